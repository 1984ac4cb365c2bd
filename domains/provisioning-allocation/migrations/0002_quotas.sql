-- Node quotas per tenant (project_id '') or per project, per SKU, set by operators.
CREATE TABLE alloc_quotas (
    tenant_id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    sku_id TEXT NOT NULL,
    sku_name TEXT NOT NULL,
    max_nodes BIGINT NOT NULL CHECK (max_nodes >= 0),
    updated_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, project_id, sku_id)
);
