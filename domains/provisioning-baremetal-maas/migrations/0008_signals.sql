-- For Operations' alert rules: since when a site's region has failed to answer (cleared by the
-- next answer) and why, and when each deployment was reported failed (kept after it releases).
ALTER TABLE maas_sites ADD COLUMN contact_failing_since_us BIGINT;
ALTER TABLE maas_sites ADD COLUMN contact_error TEXT;
ALTER TABLE maas_deployments ADD COLUMN failed_at_us BIGINT;
