-- Billing metering: list prices as Inventory announced them (append-only history, so the price
-- at any moment can be looked up again), one meter per node of an allocation (folded from
-- Allocation's start/stop events in any order), operator-declared fault windows per node, and
-- how much of each meter is charged so far. `postings` numbers each meter's ledger postings, so
-- a rating's idempotency key is used by exactly one posting.
CREATE TABLE billing_prices (
    sku_id TEXT NOT NULL,
    site_id TEXT NOT NULL,
    effective_at_us BIGINT NOT NULL,
    price_micros BIGINT NOT NULL,
    currency TEXT NOT NULL,
    PRIMARY KEY (sku_id, site_id, effective_at_us)
);

CREATE TABLE billing_meters (
    allocation_id TEXT NOT NULL,
    node_id TEXT NOT NULL,
    tenant_id TEXT,
    sku_id TEXT,
    site_id TEXT,
    started_at_us BIGINT,
    stopped_at_us BIGINT,
    -- The price captured at start, once rated.
    price_micros BIGINT,
    currency TEXT,
    charged_micros BIGINT NOT NULL DEFAULT 0,
    postings BIGINT NOT NULL DEFAULT 0,
    -- Set when stopped and fully charged; cleared when a late fact may change what is due.
    settled INTEGER NOT NULL DEFAULT 0,
    rated_at_us BIGINT,
    PRIMARY KEY (allocation_id, node_id)
);
CREATE INDEX billing_meters_unsettled ON billing_meters (settled, node_id);

CREATE TABLE billing_faults (
    node_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    since_us BIGINT NOT NULL,
    until_us BIGINT,
    PRIMARY KEY (node_id, kind, since_us)
);
