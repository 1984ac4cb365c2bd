//! Inventory.Catalog store: SQL for the `inv_*` tables only; converts rows to model values and back.
