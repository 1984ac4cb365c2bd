-- The images each site's region can deploy, as its last successful image sync read them off the
-- region's boot resources (before any policy filter: the policy is applied when they are read, so
-- a policy change shows at once).
CREATE TABLE maas_site_images (
    site_id TEXT NOT NULL,
    os TEXT NOT NULL,
    series TEXT NOT NULL,
    title TEXT NOT NULL,
    -- Comma-separated, sorted: amd64,arm64.
    architectures TEXT NOT NULL,
    synced_at_us BIGINT NOT NULL,
    PRIMARY KEY (site_id, os, series)
);
