-- KYC: one row per tenant that ever started verification. Least PII: level, provider reference,
-- timestamps and the reviewer's reason; submitted personal data is held only until redacted.
CREATE TABLE iam_kyc (
    tenant_id TEXT PRIMARY KEY REFERENCES iam_tenants (id),
    state TEXT NOT NULL,
    level TEXT NOT NULL,
    provider TEXT,
    provider_ref TEXT,
    personal_data TEXT,
    submitted_at_us BIGINT,
    decided_at_us BIGINT,
    reviewer_user_id TEXT,
    reason TEXT,
    updated_at_us BIGINT NOT NULL
);

-- Provider webhook events already applied: a replay is refused.
CREATE TABLE iam_kyc_webhook_events (
    provider TEXT NOT NULL,
    event_id TEXT NOT NULL,
    received_at_us BIGINT NOT NULL,
    PRIMARY KEY (provider, event_id)
);
