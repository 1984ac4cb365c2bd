-- Balance policy state per tenant: the lowest runway threshold already announced (so each
-- crossing is announced once), and since when the balance has been exhausted (the grace period
-- runs from there) and whether that was announced.
CREATE TABLE billing_balance_watch (
    tenant_id TEXT PRIMARY KEY,
    warned_hours BIGINT,
    exhausted_since_us BIGINT,
    exhausted_announced INTEGER NOT NULL DEFAULT 0,
    updated_at_us BIGINT NOT NULL
);
