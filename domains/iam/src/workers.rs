//! IAM workers: controllers whose every step is idempotent; `ingotd` runs each under a lease.

use std::sync::Arc;
use std::time::Duration;

use ingot_kernel::worker::{Controller, ReconcileFuture};

use crate::IamService;

/// Hands queued notifications to the notifier.
pub struct NotificationDelivery {
    pub iam: Arc<IamService>,
}

impl Controller for NotificationDelivery {
    fn name(&self) -> &'static str {
        "iam.notification_delivery"
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(5)
    }

    fn reconcile(&self) -> ReconcileFuture<'_> {
        Box::pin(async move {
            self.iam.notifications_deliver_pending(100).await?;
            Ok(())
        })
    }
}

/// The controllers `ingotd` runs for this domain.
pub fn controllers(iam: Arc<IamService>) -> Vec<Arc<dyn Controller>> {
    vec![Arc::new(NotificationDelivery { iam })]
}
