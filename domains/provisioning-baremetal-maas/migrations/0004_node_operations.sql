-- Operators' workflows on nodes (reimage, decommission): one open at a time per node, kept as
-- history once finished.
CREATE TABLE maas_node_operations (
    id TEXT PRIMARY KEY,
    node_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    phase TEXT NOT NULL,
    site_id TEXT NOT NULL,
    system_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    started_at_us BIGINT NOT NULL,
    commission_requested_at_us BIGINT,
    finished_at_us BIGINT,
    message TEXT,
    updated_at_us BIGINT NOT NULL
);
CREATE UNIQUE INDEX maas_node_operations_open ON maas_node_operations (node_id) WHERE finished_at_us IS NULL;
