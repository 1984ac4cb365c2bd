-- Kernel plumbing shared by every domain: the transactional outbox, consumer cursors,
-- controller leases and stored responses for Idempotency-Key.
-- PostgreSQL hands out `seq` in one order and commits in another, so each event also records its
-- top-level transaction id; consumers read only below the oldest transaction still running
-- and order by (txid, seq). See kernel::outbox.
CREATE TABLE kernel_outbox (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    txid BIGINT NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),
    event_id TEXT NOT NULL UNIQUE,
    event_type TEXT NOT NULL,
    source TEXT NOT NULL,
    subject TEXT NOT NULL,
    tenant_id TEXT,
    occurred_at_us BIGINT NOT NULL,
    schema_version INTEGER NOT NULL,
    payload TEXT NOT NULL
);
CREATE INDEX kernel_outbox_order ON kernel_outbox (txid, seq);

CREATE TABLE kernel_outbox_cursors (
    consumer TEXT PRIMARY KEY,
    txid BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL
);

CREATE TABLE kernel_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    token BIGINT NOT NULL,
    expires_at_us BIGINT NOT NULL
);

CREATE TABLE kernel_idempotency (
    scope TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    state TEXT NOT NULL,
    status INTEGER,
    content_type TEXT,
    body TEXT,
    created_at_us BIGINT NOT NULL,
    expires_at_us BIGINT NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
CREATE INDEX kernel_idempotency_expiry ON kernel_idempotency (expires_at_us);
