//! Billing store: SQL for the `billing_*` tables only; converts rows to model values and back.
