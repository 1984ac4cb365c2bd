-- Allocations and the nodes that serve them. `live` is 1 while a node serves its allocation
-- (deploying, active, releasing) and 0 once it is given back or failed; the partial unique index
-- makes a node serving two live allocations impossible, whatever the callers do.
CREATE TABLE alloc_allocations (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    sku_id TEXT NOT NULL,
    site_id TEXT NOT NULL,
    node_count INTEGER NOT NULL CHECK (node_count > 0),
    image TEXT NOT NULL,
    state TEXT NOT NULL,
    reason TEXT,
    release_at_us BIGINT,
    created_at_us BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL
);
CREATE INDEX alloc_allocations_by_project ON alloc_allocations (project_id, created_at_us);

CREATE TABLE alloc_nodes (
    allocation_id TEXT NOT NULL REFERENCES alloc_allocations (id),
    node_id TEXT NOT NULL,
    hostname TEXT NOT NULL,
    phase TEXT NOT NULL,
    live INTEGER NOT NULL,
    assigned_at_us BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL,
    PRIMARY KEY (allocation_id, node_id)
);
CREATE UNIQUE INDEX alloc_nodes_one_live_allocation ON alloc_nodes (node_id) WHERE live = 1;
