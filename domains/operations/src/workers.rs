//! Operations workers: controllers whose every step is idempotent; `ingotd` runs each under a lease.

use std::sync::Arc;
use std::time::Duration;

use ingot_kernel::worker::{Controller, ReconcileFuture};

use crate::service::OperationsService;

/// Evaluates the alert rules: opens, refreshes and clears incidents, queues their pages.
struct Alerts {
    operations: Arc<OperationsService>,
    interval: Duration,
}

impl Controller for Alerts {
    fn name(&self) -> &'static str {
        "operations.alerts"
    }

    fn interval(&self) -> Duration {
        self.interval
    }

    fn reconcile(&self) -> ReconcileFuture<'_> {
        Box::pin(async move {
            self.operations.alerts_evaluate().await?;
            Ok(())
        })
    }
}

/// Sends the pages due, retrying failures with backoff.
struct Paging {
    operations: Arc<OperationsService>,
    interval: Duration,
}

impl Controller for Paging {
    fn name(&self) -> &'static str {
        "operations.paging"
    }

    fn interval(&self) -> Duration {
        self.interval
    }

    fn reconcile(&self) -> ReconcileFuture<'_> {
        Box::pin(async move {
            self.operations.pages_deliver().await?;
            Ok(())
        })
    }
}

/// The controllers `ingotd` runs for this domain: none without alerting configured.
pub fn controllers(
    operations: Arc<OperationsService>,
    paging_interval: Duration,
) -> Vec<Arc<dyn Controller>> {
    let Some(interval) = operations.alerting_interval() else {
        return Vec::new();
    };
    vec![
        Arc::new(Alerts {
            operations: operations.clone(),
            interval,
        }),
        Arc::new(Paging {
            operations,
            interval: paging_interval,
        }),
    ]
}
