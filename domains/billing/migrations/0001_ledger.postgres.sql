-- Billing ledger (PostgreSQL; the same tables as 0001_ledger.sql, its own trigger syntax). Accounts carry their derived balance and what holds reserve of it;
-- a transaction is a set of transfers, each moving one positive amount between two different
-- accounts of its currency, so every transaction balances by construction. Transactions and
-- transfers are append-only: triggers refuse any UPDATE or DELETE.
CREATE TABLE billing_accounts (
    key TEXT PRIMARY KEY,
    tenant_id TEXT,
    kind TEXT NOT NULL,
    currency TEXT NOT NULL,
    balance_micros BIGINT NOT NULL DEFAULT 0,
    held_micros BIGINT NOT NULL DEFAULT 0 CHECK (held_micros >= 0),
    -- NULL: no floor (platform accounts); tenant accounts: 0, or minus a credit limit.
    floor_micros BIGINT,
    created_at_us BIGINT NOT NULL
);

CREATE TABLE billing_transactions (
    id TEXT PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    fingerprint TEXT NOT NULL,
    kind TEXT NOT NULL,
    tenant_id TEXT,
    memo TEXT NOT NULL,
    reverses TEXT REFERENCES billing_transactions (id),
    hold_id TEXT,
    created_at_us BIGINT NOT NULL
);
CREATE INDEX billing_transactions_by_tenant ON billing_transactions (tenant_id, created_at_us);

CREATE TABLE billing_transfers (
    transaction_id TEXT NOT NULL REFERENCES billing_transactions (id),
    position INTEGER NOT NULL,
    debit_key TEXT NOT NULL REFERENCES billing_accounts (key),
    credit_key TEXT NOT NULL REFERENCES billing_accounts (key),
    amount_micros BIGINT NOT NULL CHECK (amount_micros > 0),
    currency TEXT NOT NULL,
    CHECK (debit_key <> credit_key),
    PRIMARY KEY (transaction_id, position)
);
CREATE INDEX billing_transfers_by_debit ON billing_transfers (debit_key);
CREATE INDEX billing_transfers_by_credit ON billing_transfers (credit_key);

CREATE TABLE billing_holds (
    id TEXT PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    account_key TEXT NOT NULL REFERENCES billing_accounts (key),
    amount_micros BIGINT NOT NULL CHECK (amount_micros > 0),
    captured_micros BIGINT NOT NULL DEFAULT 0 CHECK (captured_micros >= 0),
    currency TEXT NOT NULL,
    state TEXT NOT NULL,
    expires_at_us BIGINT NOT NULL,
    memo TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL,
    CHECK (captured_micros <= amount_micros)
);
CREATE INDEX billing_holds_pending_by_expiry ON billing_holds (state, expires_at_us);

CREATE FUNCTION billing_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger % are append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER billing_transactions_append_only BEFORE UPDATE OR DELETE ON billing_transactions
    FOR EACH ROW EXECUTE FUNCTION billing_append_only();
CREATE TRIGGER billing_transfers_append_only BEFORE UPDATE OR DELETE ON billing_transfers
    FOR EACH ROW EXECUTE FUNCTION billing_append_only();
