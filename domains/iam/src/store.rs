//! IAM store: SQL for the `iam_*` tables only; converts rows to model values and back.
