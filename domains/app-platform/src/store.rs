//! App Platform store: SQL for the `app_*` tables only; converts rows to model values and back.
