-- Inventory.Catalog: sites, SKUs (hardware constraints as JSON), nodes (generic hardware facts as
-- JSON, lifecycle state, matched SKU) and offers (SKU × site list prices in micro-units).
CREATE TABLE inv_sites (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    region TEXT NOT NULL,
    country TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at_us BIGINT NOT NULL
);

CREATE TABLE inv_skus (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    active INTEGER NOT NULL,
    constraints TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL
);

CREATE TABLE inv_nodes (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL REFERENCES inv_sites (id),
    hostname TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL,
    facts TEXT NOT NULL,
    rack TEXT,
    position INTEGER,
    fabric_group TEXT,
    sku_id TEXT REFERENCES inv_skus (id),
    unmatched_reasons TEXT NOT NULL DEFAULT '[]',
    created_at_us BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL
);
CREATE INDEX inv_nodes_by_site_sku_state ON inv_nodes (site_id, sku_id, state);

CREATE TABLE inv_offers (
    sku_id TEXT NOT NULL REFERENCES inv_skus (id),
    site_id TEXT NOT NULL REFERENCES inv_sites (id),
    hourly_price_micros BIGINT NOT NULL,
    currency TEXT NOT NULL,
    updated_at_us BIGINT NOT NULL,
    PRIMARY KEY (sku_id, site_id)
);
