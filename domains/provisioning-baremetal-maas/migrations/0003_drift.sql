-- Reconciliation: since when each machine has held its status (for stuck transitions) and its
-- power state the pass before (power is acted on only when read off twice), and the drift
-- history per site: each disagreement when found, by which pass, what was done, whether it cost
-- a tenant money, and when it ended. At most one open drift per machine and kind.
ALTER TABLE maas_machines ADD COLUMN status_since_us BIGINT;
ALTER TABLE maas_machines ADD COLUMN power_state_before TEXT;

CREATE TABLE maas_drift (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL,
    system_id TEXT NOT NULL,
    node_id TEXT,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    repair TEXT NOT NULL,
    repaired_at_us BIGINT,
    tenant_cost INTEGER NOT NULL,
    found_at_us BIGINT NOT NULL,
    found_by_pass TEXT NOT NULL,
    last_seen_at_us BIGINT NOT NULL,
    resolved_at_us BIGINT
);
CREATE INDEX maas_drift_by_site ON maas_drift (site_id, found_at_us);
CREATE UNIQUE INDEX maas_drift_open ON maas_drift (site_id, system_id, kind) WHERE resolved_at_us IS NULL;
