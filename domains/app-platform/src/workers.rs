//! App Platform workers: controllers whose every step is idempotent; `ingotd` runs each under a lease.

use std::sync::Arc;
use std::time::Duration;

use ingot_kernel::worker::{Controller, ReconcileFuture};

use crate::service::AppPlatformService;

/// Turns events into webhook deliveries, then sends what is due.
pub struct Webhooks {
    pub app_platform: Arc<AppPlatformService>,
    pub interval: Duration,
}

impl Controller for Webhooks {
    fn name(&self) -> &'static str {
        "app-platform.webhooks"
    }

    fn interval(&self) -> Duration {
        self.interval
    }

    fn reconcile(&self) -> ReconcileFuture<'_> {
        Box::pin(async move {
            while self.app_platform.webhooks_follow(500).await? == 500 {}
            self.app_platform.deliveries_drive().await?;
            Ok(())
        })
    }
}

/// The controllers `ingotd` runs for this domain.
pub fn controllers(
    app_platform: Arc<AppPlatformService>,
    webhooks_interval: Duration,
) -> Vec<Arc<dyn Controller>> {
    vec![Arc::new(Webhooks {
        app_platform,
        interval: webhooks_interval,
    })]
}
