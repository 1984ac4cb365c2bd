//! App Platform model: pure types and rules. No IO, no clock, no sqlx/axum/tokio here.

pub mod ssh_key;
