-- What Billing announces to readers of its events (read models):
-- every change to an account bumps its version, so of two balance snapshots the one with the
-- higher version per account is the newer, whatever order the transactions' events arrive in;
-- and the deadline last announced for a funding, so a deadline drifting a little each rating
-- pass is announced once it has moved far enough from what readers know.
ALTER TABLE billing_accounts ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE billing_fundings ADD COLUMN announced_deadline_us BIGINT;
