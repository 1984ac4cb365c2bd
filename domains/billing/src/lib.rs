//! Billing: the double-entry ledger, metering, rating, balance policy, payments and statements.
//! Never: trust a balance it did not derive from ledger entries; float money.

pub mod http;
pub mod model;
pub mod payments;
pub mod service;
pub mod store;
pub mod workers;

use ingot_kernel::db::{Migration, MigrationSet};

/// This domain's tables, all prefixed `billing_`.
pub const MIGRATIONS: MigrationSet = MigrationSet {
    domain: "billing",
    table_prefix: "billing_",
    migrations: &[
        Migration::per_backend(
            1,
            "ledger",
            include_str!("../migrations/0001_ledger.sql"),
            include_str!("../migrations/0001_ledger.postgres.sql"),
        ),
        Migration::portable(2, "metering", include_str!("../migrations/0002_metering.sql")),
        Migration::portable(3, "references", include_str!("../migrations/0003_references.sql")),
        Migration::portable(4, "payments", include_str!("../migrations/0004_payments.sql")),
        Migration::portable(
            5,
            "balance_watch",
            include_str!("../migrations/0005_balance_watch.sql"),
        ),
        Migration::portable(6, "funding", include_str!("../migrations/0006_funding.sql")),
        Migration::portable(
            7,
            "announcements",
            include_str!("../migrations/0007_announcements.sql"),
        ),
        Migration::portable(
            8,
            "exhausted_at",
            include_str!("../migrations/0008_exhausted_at.sql"),
        ),
    ],
};
