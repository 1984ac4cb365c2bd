//! App Platform: SSH keys, OS images, cloud-init templates, webhooks and clusters.
//! Never: own infrastructure state; it composes other domains' APIs.
//! Built so far: SSH keys (issue #9 goes on with images, templates, webhooks and clusters).

pub mod http;
pub mod model;
pub mod service;
pub mod store;
pub mod workers;

use ingot_kernel::db::{Migration, MigrationSet};

/// This domain's tables, all prefixed `app_`.
pub const MIGRATIONS: MigrationSet = MigrationSet {
    domain: "app-platform",
    table_prefix: "app_",
    migrations: &[
        Migration::portable(1, "ssh_keys", include_str!("../migrations/0001_ssh_keys.sql")),
        Migration::portable(2, "templates", include_str!("../migrations/0002_templates.sql")),
        Migration::portable(3, "webhooks", include_str!("../migrations/0003_webhooks.sql")),
        Migration::portable(4, "clusters", include_str!("../migrations/0004_clusters.sql")),
        Migration::portable(
            5,
            "user_ssh_keys",
            include_str!("../migrations/0005_user_ssh_keys.sql"),
        ),
    ],
};
