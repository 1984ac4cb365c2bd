//! Read Models store: SQL for the `rm_*` tables only; converts rows to model values and back.
