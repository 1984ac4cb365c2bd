//! Provisioning.Allocation workers: controllers whose every step is idempotent; `ingotd` runs each under a lease.

use std::sync::Arc;
use std::time::Duration;

use ingot_kernel::worker::{Controller, ReconcileFuture};

use crate::service::AllocationService;

/// Follows the provisioning domain's reports, Billing's exhaustion and IAM's revocations, then
/// releases expired allocations and hands ended ones' runway back to Billing.
pub struct Lifecycle {
    pub allocation: Arc<AllocationService>,
    pub interval: Duration,
}

impl Controller for Lifecycle {
    fn name(&self) -> &'static str {
        "allocation.lifecycle"
    }

    fn interval(&self) -> Duration {
        self.interval
    }

    fn reconcile(&self) -> ReconcileFuture<'_> {
        Box::pin(async move {
            while self.allocation.events_follow(500).await? == 500 {}
            self.allocation.attention_pass().await?;
            Ok(())
        })
    }
}

/// The controllers `ingotd` runs for this domain.
pub fn controllers(allocation: Arc<AllocationService>, interval: Duration) -> Vec<Arc<dyn Controller>> {
    vec![Arc::new(Lifecycle { allocation, interval })]
}
