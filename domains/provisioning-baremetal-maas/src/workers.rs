//! Provisioning.BareMetal.MAAS workers: controllers whose every step is idempotent; `ingotd` runs
//! each under a lease.

use std::sync::Arc;
use std::time::Duration;

use ingot_kernel::worker::{Controller, ReconcileFuture};

use crate::service::MaasService;

/// Commissions new machines and hands commissioned ones to Inventory, at every bound site.
pub struct Onboarding {
    pub maas: Arc<MaasService>,
    pub interval: Duration,
}

impl Controller for Onboarding {
    fn name(&self) -> &'static str {
        "maas.onboarding"
    }

    fn interval(&self) -> Duration {
        self.interval
    }

    fn reconcile(&self) -> ReconcileFuture<'_> {
        Box::pin(async move {
            self.maas.onboard_all().await?;
            Ok(())
        })
    }
}

/// The controllers `ingotd` runs for this domain.
pub fn controllers(maas: Arc<MaasService>, onboarding_interval: Duration) -> Vec<Arc<dyn Controller>> {
    vec![Arc::new(Onboarding {
        maas,
        interval: onboarding_interval,
    })]
}
