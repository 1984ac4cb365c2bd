//! Operations: health and readiness, telemetry, the ownership registry (OWNERS.toml), and
//! alerts → incidents → paging and escalation.
//! Never: own another domain's state; it observes through events, probes and read models.

pub mod http;
pub mod model;
pub mod notify;
pub mod service;
pub mod signals;
pub mod store;
pub mod workers;

use ingot_kernel::db::{Migration, MigrationSet};

pub use service::OperationsService;

/// This domain's tables, all prefixed `ops_`.
pub const MIGRATIONS: MigrationSet = MigrationSet {
    domain: "operations",
    table_prefix: "ops_",
    migrations: &[Migration::portable(
        1,
        "incidents",
        include_str!("../migrations/0001_incidents.sql"),
    )],
};
