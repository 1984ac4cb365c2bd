-- MAAS site bindings and what the domain knows of each region's machines.
-- The API key is sealed under the installation key (never stored in clear); the policy is the
-- contracts' SitePolicy as JSON.
CREATE TABLE maas_sites (
    site_id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    api_key_id TEXT NOT NULL,
    api_key_sealed TEXT NOT NULL,
    policy TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL
);

-- One row per machine seen in a bound region: its last observed status and power, the Inventory
-- node it became, and whether a failure was already reported.
CREATE TABLE maas_machines (
    site_id TEXT NOT NULL,
    system_id TEXT NOT NULL,
    hostname TEXT NOT NULL,
    status INTEGER NOT NULL,
    status_name TEXT NOT NULL,
    power_state TEXT NOT NULL,
    node_id TEXT,
    commission_requested_at_us BIGINT,
    onboarded_at_us BIGINT,
    failure TEXT,
    failure_reported INTEGER NOT NULL DEFAULT 0,
    last_seen_at_us BIGINT NOT NULL,
    PRIMARY KEY (site_id, system_id)
);
CREATE UNIQUE INDEX maas_machines_by_node ON maas_machines (node_id);
