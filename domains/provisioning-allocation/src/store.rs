//! Provisioning.Allocation store: SQL for the `alloc_*` tables only; converts rows to model values and back.
