-- Password reset: one-time tokens (stored hashed) and the notifications that carry them. The
-- embedded default has no mail server: notifications wait here, bodies sealed at rest, for a
-- platform admin to read (GET /v1/admin/notifications) or a mail notifier to deliver.
CREATE TABLE iam_password_resets (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES iam_users (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at_us BIGINT NOT NULL,
    expires_at_us BIGINT NOT NULL,
    used_at_us BIGINT
);

CREATE TABLE iam_notifications (
    id TEXT PRIMARY KEY,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_sealed TEXT NOT NULL,
    created_at_us BIGINT NOT NULL
);
