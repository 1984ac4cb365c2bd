//! Read Models: dashboard projections built from events, each naming its source-owning domains and BFF owner.
//! Never: become a source of truth: every projection is rebuildable, every cached answer correct without Redis.

pub mod http;
pub mod model;
pub mod service;
pub mod store;
pub mod workers;

use ingot_kernel::db::{Migration, MigrationSet};

/// This domain's tables, all prefixed `rm_`.
pub const MIGRATIONS: MigrationSet = MigrationSet {
    domain: "read-models",
    table_prefix: "rm_",
    migrations: &[Migration::per_backend(
        1,
        "projections",
        include_str!("../migrations/0001_projections.sql"),
        include_str!("../migrations/0001_projections.postgres.sql"),
    )],
};
