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

/// Follows Allocation's deploy and release requests, then takes each deployment's (and each
/// operator node workflow's) next step against MAAS.
pub struct Deployments {
    pub maas: Arc<MaasService>,
    pub interval: Duration,
}

impl Controller for Deployments {
    fn name(&self) -> &'static str {
        "maas.deployments"
    }

    fn interval(&self) -> Duration {
        self.interval
    }

    fn reconcile(&self) -> ReconcileFuture<'_> {
        Box::pin(async move {
            while self.maas.requests_follow(500).await? == 500 {}
            self.maas.deployments_drive().await?;
            self.maas.operations_drive().await?;
            Ok(())
        })
    }
}

/// Diffs every bound site's region against what the control plane expects, each site under its
/// own lease.
pub struct Reconcile {
    pub maas: Arc<MaasService>,
    pub interval: Duration,
}

impl Controller for Reconcile {
    fn name(&self) -> &'static str {
        "maas.reconcile"
    }

    fn interval(&self) -> Duration {
        self.interval
    }

    fn reconcile(&self) -> ReconcileFuture<'_> {
        Box::pin(async move {
            self.maas.reconcile_all().await?;
            Ok(())
        })
    }
}

/// How often each of this domain's controllers runs.
#[derive(Debug, Clone, Copy)]
pub struct Intervals {
    pub onboarding: Duration,
    pub deployments: Duration,
    pub reconcile: Duration,
    pub images: Duration,
}

/// Reads every bound site's deployable images off its region.
pub struct Images {
    pub maas: Arc<MaasService>,
    pub interval: Duration,
}

impl Controller for Images {
    fn name(&self) -> &'static str {
        "maas.images"
    }

    fn interval(&self) -> Duration {
        self.interval
    }

    fn reconcile(&self) -> ReconcileFuture<'_> {
        Box::pin(async move {
            self.maas.images_sync_all().await?;
            Ok(())
        })
    }
}

/// The controllers `ingotd` runs for this domain.
pub fn controllers(maas: Arc<MaasService>, intervals: Intervals) -> Vec<Arc<dyn Controller>> {
    vec![
        Arc::new(Onboarding {
            maas: maas.clone(),
            interval: intervals.onboarding,
        }),
        Arc::new(Deployments {
            maas: maas.clone(),
            interval: intervals.deployments,
        }),
        Arc::new(Reconcile {
            maas: maas.clone(),
            interval: intervals.reconcile,
        }),
        Arc::new(Images {
            maas,
            interval: intervals.images,
        }),
    ]
}
