//! App Platform model: pure types and decisions. No IO, no clock, no sqlx/axum/tokio here.

pub mod builtin;
pub mod cluster;
pub mod ssh_key;
pub mod template;
pub mod user_data;
pub mod webhook;
