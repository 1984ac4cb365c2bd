-- Inventory.Catalog: SKU descriptions; nodes learn their provisioning system's key and whether
-- Allocation assigned them; health conditions per node; capacity per site × SKU kept in the same
-- transaction as every node change; an hourly capacity history for dashboards.
-- `sku_key` is the SKU id, or '' for the row counting a site's unmatched nodes (a primary key
-- cannot hold NULL on both backends alike).
ALTER TABLE inv_skus ADD COLUMN description TEXT NOT NULL DEFAULT '';

ALTER TABLE inv_nodes ADD COLUMN source_ref TEXT;
ALTER TABLE inv_nodes ADD COLUMN assigned INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX inv_nodes_by_source_ref ON inv_nodes (source_ref);

CREATE TABLE inv_node_health (
    node_id TEXT NOT NULL REFERENCES inv_nodes (id),
    kind TEXT NOT NULL,
    action TEXT NOT NULL,
    source TEXT NOT NULL,
    since_us BIGINT NOT NULL,
    detail TEXT,
    PRIMARY KEY (node_id, kind)
);

CREATE TABLE inv_capacity (
    site_id TEXT NOT NULL REFERENCES inv_sites (id),
    sku_key TEXT NOT NULL,
    total BIGINT NOT NULL,
    available BIGINT NOT NULL,
    assigned BIGINT NOT NULL,
    maintenance BIGINT NOT NULL,
    onboarding BIGINT NOT NULL,
    unmatched BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL,
    PRIMARY KEY (site_id, sku_key)
);

CREATE TABLE inv_capacity_history (
    hour_us BIGINT NOT NULL,
    site_id TEXT NOT NULL REFERENCES inv_sites (id),
    sku_key TEXT NOT NULL,
    total BIGINT NOT NULL,
    available BIGINT NOT NULL,
    assigned BIGINT NOT NULL,
    maintenance BIGINT NOT NULL,
    onboarding BIGINT NOT NULL,
    unmatched BIGINT NOT NULL,
    PRIMARY KEY (hour_us, site_id, sku_key)
);
