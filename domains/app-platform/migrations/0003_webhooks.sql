-- A project's webhook subscriptions; the signing secret is sealed under the installation key.
CREATE TABLE app_webhooks (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    url TEXT NOT NULL,
    -- JSON list of event types, families (allocation.*) or *.
    events TEXT NOT NULL,
    description TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    secret_sealed TEXT NOT NULL,
    -- 1 once the webhook follower has read the webhook's own app.webhook_subscribed event:
    -- events after it in the outbox are delivered, none before.
    following INTEGER NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL
);
CREATE INDEX app_webhooks_of_tenant ON app_webhooks (tenant_id);

-- Which project each allocation belongs to, learnt from allocation.requested: the later events
-- of an allocation name only its tenant.
CREATE TABLE app_allocation_projects (
    allocation_id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL
);

-- One event to one webhook: the public body as sent, and when it is tried next.
CREATE TABLE app_deliveries (
    id TEXT PRIMARY KEY,
    webhook_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt_at_us BIGINT,
    created_at_us BIGINT NOT NULL,
    delivered_at_us BIGINT
);
CREATE UNIQUE INDEX app_deliveries_once ON app_deliveries (webhook_id, event_id);
CREATE INDEX app_deliveries_due ON app_deliveries (state, next_attempt_at_us);

-- Every attempt of every delivery.
CREATE TABLE app_delivery_attempts (
    delivery_id TEXT NOT NULL,
    attempt BIGINT NOT NULL,
    at_us BIGINT NOT NULL,
    status BIGINT,
    error TEXT,
    duration_ms BIGINT NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);
