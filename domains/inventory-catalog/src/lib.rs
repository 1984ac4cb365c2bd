//! Inventory.Catalog: sites, nodes and hardware facts, SKUs and node→SKU matching, capacity, offers and prices.
//! Never: know which tenant uses a node; call MAAS.

pub mod http;
pub mod model;
pub mod service;
pub mod store;
pub mod workers;

use ingot_kernel::db::{Migration, MigrationSet};

/// This domain's tables, all prefixed `inv_`.
pub const MIGRATIONS: MigrationSet = MigrationSet {
    domain: "inventory-catalog",
    table_prefix: "inv_",
    migrations: &[
        Migration::portable(1, "catalog", include_str!("../migrations/0001_catalog.sql")),
        Migration::portable(
            2,
            "nodes_health_capacity",
            include_str!("../migrations/0002_nodes_health_capacity.sql"),
        ),
        Migration::portable(
            3,
            "node_history",
            include_str!("../migrations/0003_node_history.sql"),
        ),
    ],
};
