-- What a ledger transaction is for (`alc_…/nod_…` for one node's usage), so statements can show
-- usage per allocation and SKU. Set when the transaction is written; never changed after.
ALTER TABLE billing_transactions ADD COLUMN reference TEXT;
