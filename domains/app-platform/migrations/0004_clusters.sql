-- Named multi-node deployments: a head and workers, each node its own allocation.
-- `variables_sealed` and `token_sealed` are sealed under the installation key (values given to
-- templates and the cluster's join token may be secrets).
CREATE TABLE app_clusters (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    name TEXT NOT NULL,
    template TEXT NOT NULL,
    variables_sealed TEXT NOT NULL,
    token_sealed TEXT NOT NULL,
    sku TEXT NOT NULL,
    worker_sku TEXT NOT NULL,
    site TEXT,
    image TEXT,
    -- JSON list of authorized_keys lines, resolved at creation.
    ssh_keys TEXT NOT NULL,
    workers BIGINT NOT NULL,
    deleting INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL
);
-- A name is taken until its cluster is deleted.
CREATE UNIQUE INDEX app_clusters_name_once ON app_clusters (project_id, name) WHERE deleting = 0;

CREATE TABLE app_cluster_members (
    allocation_id TEXT PRIMARY KEY,
    cluster_id TEXT NOT NULL,
    role TEXT NOT NULL,
    node_index BIGINT NOT NULL,
    created_at_us BIGINT NOT NULL,
    -- Set when the cluster released it (scaled down or deleted).
    removed_at_us BIGINT
);
CREATE INDEX app_cluster_members_of ON app_cluster_members (cluster_id);
