//! Provisioning.Allocation: allocation lifecycle, node assignment, release, force-release, expiry and quotas.
//! Never: talk to MAAS; decide node availability from a snapshot read.
//! The rooms are in place (model, store, service, http, workers, migrations); the Provisioning.Allocation issue fills them.

pub mod http;
pub mod model;
pub mod service;
pub mod store;
pub mod workers;

use ingot_kernel::db::MigrationSet;

/// This domain's tables, all prefixed `alloc_`.
pub const MIGRATIONS: MigrationSet = MigrationSet {
    domain: "provisioning-allocation",
    table_prefix: "alloc_",
    migrations: &[],
};
