-- Deployments: for each node of an allocation, what Allocation wants (deployed or released), how
-- far this domain got, and what it reported. The tenant's user-data is sealed at rest.
CREATE TABLE maas_deployments (
    allocation_id TEXT NOT NULL,
    node_id TEXT NOT NULL,
    tenant_id TEXT NOT NULL,
    image TEXT NOT NULL,
    ssh_keys TEXT NOT NULL,
    user_data_sealed TEXT,
    desired TEXT NOT NULL,
    phase TEXT NOT NULL,
    -- The machine it runs on, once known.
    site_id TEXT,
    system_id TEXT,
    deploy_started_at_us BIGINT,
    deployed_at_us BIGINT,
    ip_addresses TEXT,
    released_at_us BIGINT,
    message TEXT,
    created_at_us BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL,
    PRIMARY KEY (allocation_id, node_id)
);
CREATE INDEX maas_deployments_by_phase ON maas_deployments (phase, updated_at_us);
