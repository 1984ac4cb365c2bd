-- TOTP second factor. The seed is sealed with the installation's secret key (kernel::crypto);
-- recovery codes are stored as SHA-256 hashes and struck off as they are used.
CREATE TABLE iam_mfa (
    user_id TEXT PRIMARY KEY REFERENCES iam_users (id),
    secret_sealed TEXT NOT NULL,
    confirmed INTEGER NOT NULL DEFAULT 0,
    -- The last 30-second step a code was accepted for: a code works once.
    last_step BIGINT NOT NULL DEFAULT 0,
    recovery_hashes TEXT NOT NULL DEFAULT '[]',
    created_at_us BIGINT NOT NULL
);
