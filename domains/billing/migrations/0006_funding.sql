-- Funding: the holds backing each live allocation (promotional credit and cash, either absent
-- while it would reserve nothing), the rate they are sized for, and the suspension deadline —
-- when the reserved money runs out at that rate, plus grace — which the holds' expiry repeats.
CREATE TABLE billing_fundings (
    allocation_id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    currency TEXT NOT NULL,
    -- What Allocation asked to reserve at admission (nodes × list price per hour); zero for an
    -- allocation first seen through its metering.
    reserved_rate_micros BIGINT NOT NULL,
    reserved_nodes BIGINT NOT NULL,
    -- The rate and node count the holds are sized for now.
    rate_micros BIGINT NOT NULL,
    nodes BIGINT NOT NULL,
    promo_hold_id TEXT REFERENCES billing_holds (id),
    cash_hold_id TEXT REFERENCES billing_holds (id),
    deadline_us BIGINT,
    -- `open` while the allocation lives; `closed` once its usage is settled or it was released.
    state TEXT NOT NULL,
    exhausted_announced INTEGER NOT NULL DEFAULT 0,
    created_at_us BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL
);
CREATE INDEX billing_fundings_by_deadline ON billing_fundings (state, deadline_us);
CREATE INDEX billing_fundings_by_tenant ON billing_fundings (tenant_id, state);

-- What each posting drew from each hold, so the verifier can re-add every hold's captures.
CREATE TABLE billing_hold_captures (
    hold_id TEXT NOT NULL REFERENCES billing_holds (id),
    transaction_id TEXT NOT NULL REFERENCES billing_transactions (id),
    amount_micros BIGINT NOT NULL CHECK (amount_micros > 0),
    PRIMARY KEY (hold_id, transaction_id)
);

-- A posting may draw on several holds now: billing_hold_captures replaces the single column,
-- carrying over what earlier postings drew (the debit of the hold's account) before it goes.
INSERT INTO billing_hold_captures (hold_id, transaction_id, amount_micros)
SELECT x.hold_id, x.id, CAST(SUM(t.amount_micros) AS BIGINT)
FROM billing_transactions x
JOIN billing_holds h ON h.id = x.hold_id
JOIN billing_transfers t ON t.transaction_id = x.id AND t.debit_key = h.account_key
WHERE x.hold_id IS NOT NULL
GROUP BY x.hold_id, x.id;
ALTER TABLE billing_transactions DROP COLUMN hold_id;
-- Exhaustion is the funding deadline now, not a per-tenant clock.
ALTER TABLE billing_balance_watch DROP COLUMN exhausted_since_us;
ALTER TABLE billing_balance_watch DROP COLUMN exhausted_announced;
