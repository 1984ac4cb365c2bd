-- Payments: each top-up through a provider (its checkout reference, the payment it became, what
-- was refunded of it) and every provider webhook event received, so a replayed event is
-- recognised and changes nothing.
CREATE TABLE billing_top_ups (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    provider TEXT NOT NULL,
    provider_ref TEXT NOT NULL,
    payment_ref TEXT,
    amount_micros BIGINT NOT NULL CHECK (amount_micros > 0),
    currency TEXT NOT NULL,
    status TEXT NOT NULL,
    refunded_micros BIGINT NOT NULL DEFAULT 0,
    created_at_us BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL,
    UNIQUE (provider, provider_ref)
);
CREATE INDEX billing_top_ups_by_payment ON billing_top_ups (provider, payment_ref);
CREATE INDEX billing_top_ups_by_tenant ON billing_top_ups (tenant_id, created_at_us);

CREATE TABLE billing_webhook_events (
    provider TEXT NOT NULL,
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    received_at_us BIGINT NOT NULL,
    PRIMARY KEY (provider, event_id)
);
