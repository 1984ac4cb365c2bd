-- What an allocation needs to live its whole life: how it was asked for (placement, keys, sealed
-- user-data for replacement deploys, price), whether its end was asked for or it failed, how
-- many deploy failures were replaced, and whether Billing was told to release its runway.
ALTER TABLE alloc_allocations ADD COLUMN sku_name TEXT NOT NULL DEFAULT '';
ALTER TABLE alloc_allocations ADD COLUMN site_name TEXT NOT NULL DEFAULT '';
ALTER TABLE alloc_allocations ADD COLUMN placement TEXT NOT NULL DEFAULT 'any';
ALTER TABLE alloc_allocations ADD COLUMN ssh_keys TEXT NOT NULL DEFAULT '[]';
ALTER TABLE alloc_allocations ADD COLUMN user_data_sealed TEXT;
ALTER TABLE alloc_allocations ADD COLUMN hourly_price_micros BIGINT NOT NULL DEFAULT 0;
ALTER TABLE alloc_allocations ADD COLUMN currency TEXT NOT NULL DEFAULT 'USD';
ALTER TABLE alloc_allocations ADD COLUMN ending INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alloc_allocations ADD COLUMN failed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alloc_allocations ADD COLUMN replacements INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alloc_allocations ADD COLUMN funding_released INTEGER NOT NULL DEFAULT 0;
CREATE INDEX alloc_allocations_open ON alloc_allocations (state, release_at_us);
CREATE INDEX alloc_allocations_by_tenant ON alloc_allocations (tenant_id, state);

-- Per node: what the tenant is told at handover, why it failed, and its fabric group (a
-- replacement under `same_fabric` must share it).
ALTER TABLE alloc_nodes ADD COLUMN ip_addresses TEXT NOT NULL DEFAULT '[]';
ALTER TABLE alloc_nodes ADD COLUMN reason TEXT;
ALTER TABLE alloc_nodes ADD COLUMN deploy_started_at_us BIGINT;
ALTER TABLE alloc_nodes ADD COLUMN deployed_at_us BIGINT;
ALTER TABLE alloc_nodes ADD COLUMN metering_started_at_us BIGINT;
ALTER TABLE alloc_nodes ADD COLUMN metering_stopped_at_us BIGINT;
ALTER TABLE alloc_nodes ADD COLUMN released_at_us BIGINT;
ALTER TABLE alloc_nodes ADD COLUMN previous_erase TEXT;
ALTER TABLE alloc_nodes ADD COLUMN previous_erased_at_us BIGINT;
ALTER TABLE alloc_nodes ADD COLUMN fabric_group TEXT;

-- Each state an allocation entered, when and why.
CREATE TABLE alloc_history (
    allocation_id TEXT NOT NULL REFERENCES alloc_allocations (id),
    seq INTEGER NOT NULL,
    state TEXT NOT NULL,
    reason TEXT NOT NULL,
    at_us BIGINT NOT NULL,
    PRIMARY KEY (allocation_id, seq)
);

-- How each node was last given back (erase mode, time): the next tenant's handover record.
CREATE TABLE alloc_node_erasures (
    node_id TEXT PRIMARY KEY,
    erase TEXT NOT NULL,
    at_us BIGINT NOT NULL
);

-- One row per tenant, updated by every admission: admissions of a tenant queue on it, so two
-- cannot both pass the same quota.
CREATE TABLE alloc_tenant_admissions (
    tenant_id TEXT PRIMARY KEY,
    admitted BIGINT NOT NULL
);
