-- When each allocation's funding was announced exhausted: Operations counts these per window
-- (an exhausted-balance spike is an alert).
ALTER TABLE billing_fundings ADD COLUMN exhausted_at_us BIGINT;
CREATE INDEX billing_fundings_by_exhausted_at ON billing_fundings (exhausted_at_us);
