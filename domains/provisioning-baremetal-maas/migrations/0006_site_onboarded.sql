-- When a site's last complete onboarding pass ended: until one has, every machine of the site is
-- onboarding's business and reconciliation does not call it unknown.
ALTER TABLE maas_sites ADD COLUMN onboarded_at_us BIGINT;
