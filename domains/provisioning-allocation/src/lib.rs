//! Provisioning.Allocation: allocation lifecycle, node assignment, release, force-release, expiry and quotas.
//! Never: talk to MAAS; decide node availability from a snapshot read.
//! Built so far (issue #7, in progress): the lifecycle, admission and placement model, the
//! store's assignment that a database constraint keeps single per node, and operators' quotas.

pub mod http;
pub mod model;
pub mod service;
pub mod store;
pub mod workers;

use ingot_kernel::db::{Migration, MigrationSet};

/// This domain's tables, all prefixed `alloc_`.
pub const MIGRATIONS: MigrationSet = MigrationSet {
    domain: "provisioning-allocation",
    table_prefix: "alloc_",
    migrations: &[
        Migration::portable(
            1,
            "allocations",
            include_str!("../migrations/0001_allocations.sql"),
        ),
        Migration::portable(2, "quotas", include_str!("../migrations/0002_quotas.sql")),
        Migration::portable(3, "lifecycle", include_str!("../migrations/0003_lifecycle.sql")),
    ],
};
