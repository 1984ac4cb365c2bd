//! Provisioning.Allocation model: pure types and state machines. No IO, no clock, no sqlx/axum/tokio here.
