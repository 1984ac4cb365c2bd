//! Billing: the double-entry ledger, metering, rating, balance policy, payments and statements.
//! Never: trust a balance it did not derive from ledger entries; float money.
//! The rooms are in place (model, store, service, http, workers, migrations); the Billing issue fills them.

pub mod http;
pub mod model;
pub mod service;
pub mod store;
pub mod workers;

use ingot_kernel::db::MigrationSet;

/// This domain's tables, all prefixed `billing_`.
pub const MIGRATIONS: MigrationSet = MigrationSet {
    domain: "billing",
    table_prefix: "billing_",
    migrations: &[],
};
