//! Provisioning.BareMetal.MAAS: the MAAS client, site bindings and policy, onboarding, reimage, decommission and reconciliation.
//! Never: let MAAS vocabulary (system_id, NODE_STATUS, OAuth) escape this crate.

pub mod client;
pub mod http;
pub mod model;
pub mod service;
pub mod store;
pub mod workers;

use ingot_kernel::db::{Migration, MigrationSet};

/// This domain's tables, all prefixed `maas_`.
pub const MIGRATIONS: MigrationSet = MigrationSet {
    domain: "provisioning-baremetal-maas",
    table_prefix: "maas_",
    migrations: &[
        Migration::portable(1, "maas", include_str!("../migrations/0001_maas.sql")),
        Migration::portable(
            2,
            "deployments",
            include_str!("../migrations/0002_deployments.sql"),
        ),
        Migration::portable(3, "drift", include_str!("../migrations/0003_drift.sql")),
        Migration::portable(
            4,
            "node_operations",
            include_str!("../migrations/0004_node_operations.sql"),
        ),
        Migration::portable(
            5,
            "erase_proof",
            include_str!("../migrations/0005_erase_proof.sql"),
        ),
        Migration::portable(
            6,
            "site_onboarded",
            include_str!("../migrations/0006_site_onboarded.sql"),
        ),
        Migration::portable(
            7,
            "site_images",
            include_str!("../migrations/0007_site_images.sql"),
        ),
        Migration::portable(8, "signals", include_str!("../migrations/0008_signals.sql")),
    ],
};
