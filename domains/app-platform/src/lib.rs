//! App Platform: SSH keys, OS images, cloud-init templates, webhooks and clusters.
//! Never: own infrastructure state; it composes other domains' APIs.
//! The rooms are in place (model, store, service, http, workers, migrations); the App Platform issue fills them.

pub mod http;
pub mod model;
pub mod service;
pub mod store;
pub mod workers;

use ingot_kernel::db::MigrationSet;

/// This domain's tables, all prefixed `app_`.
pub const MIGRATIONS: MigrationSet = MigrationSet {
    domain: "app-platform",
    table_prefix: "app_",
    migrations: &[],
};
