//! Inventory.Catalog workers: controllers whose every step is idempotent; `ingotd` runs each under a lease.

use std::sync::Arc;
use std::time::Duration;

use ingot_kernel::worker::{Controller, ReconcileFuture};

use crate::service::InventoryService;

/// Follows Allocation's assignment events into each node's `assigned` flag and capacity.
pub struct AssignmentFollower {
    pub inventory: Arc<InventoryService>,
}

impl Controller for AssignmentFollower {
    fn name(&self) -> &'static str {
        "inventory.assignment_follower"
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(1)
    }

    fn reconcile(&self) -> ReconcileFuture<'_> {
        Box::pin(async move {
            // Drain what is there; a full batch means more may follow.
            while self.inventory.assignments_follow(500).await? == 500 {}
            Ok(())
        })
    }
}

/// Keeps one capacity snapshot per hour for dashboards.
pub struct CapacityHistory {
    pub inventory: Arc<InventoryService>,
}

impl Controller for CapacityHistory {
    fn name(&self) -> &'static str {
        "inventory.capacity_history"
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(60)
    }

    fn reconcile(&self) -> ReconcileFuture<'_> {
        Box::pin(async move {
            self.inventory.capacity_snapshot().await?;
            Ok(())
        })
    }
}

/// The controllers `ingotd` runs for this domain.
pub fn controllers(inventory: Arc<InventoryService>) -> Vec<Arc<dyn Controller>> {
    vec![
        Arc::new(AssignmentFollower {
            inventory: inventory.clone(),
        }),
        Arc::new(CapacityHistory { inventory }),
    ]
}
