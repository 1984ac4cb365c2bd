//! Operations store: SQL for the `ops_*` tables only (incidents and pages, with the Operations issue).
