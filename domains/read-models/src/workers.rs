//! Read Models workers: controllers whose every step is idempotent; `ingotd` runs each under a lease.

use std::sync::Arc;
use std::time::Duration;

use ingot_kernel::worker::{Controller, ReconcileFuture};

use crate::service::ReadModelsService;

/// Follows the event history into every projection, and swaps rebuilt generations in.
pub struct Follow {
    pub read_models: Arc<ReadModelsService>,
    pub interval: Duration,
}

impl Controller for Follow {
    fn name(&self) -> &'static str {
        "read-models.follow"
    }

    fn interval(&self) -> Duration {
        self.interval
    }

    fn reconcile(&self) -> ReconcileFuture<'_> {
        Box::pin(async move {
            while self.read_models.follow_pass().await?.behind {}
            Ok(())
        })
    }
}

/// The controllers `ingotd` runs for this domain.
pub fn controllers(read_models: Arc<ReadModelsService>, interval: Duration) -> Vec<Arc<dyn Controller>> {
    vec![Arc::new(Follow {
        read_models,
        interval,
    })]
}
