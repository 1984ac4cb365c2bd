//! Billing workers: controllers whose every step is idempotent; `ingotd` runs each under a lease.

use std::sync::Arc;
use std::time::Duration;

use ingot_kernel::worker::{Controller, ReconcileFuture};

use crate::service::BillingService;

/// Folds prices, metering starts and stops, and operator-declared faults into meters.
pub struct UsageFollower {
    pub billing: Arc<BillingService>,
}

impl Controller for UsageFollower {
    fn name(&self) -> &'static str {
        "billing.usage_follower"
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(1)
    }

    fn reconcile(&self) -> ReconcileFuture<'_> {
        Box::pin(async move {
            // Drain what is there; a full batch means more may follow.
            while self.billing.usage_follow(500).await? == 500 {}
            Ok(())
        })
    }
}

/// Charges accrued usage (and refunds what late facts took back) every `interval`.
pub struct Rating {
    pub billing: Arc<BillingService>,
    pub interval: Duration,
}

impl Controller for Rating {
    fn name(&self) -> &'static str {
        "billing.rating"
    }

    fn interval(&self) -> Duration {
        self.interval
    }

    fn reconcile(&self) -> ReconcileFuture<'_> {
        Box::pin(async move {
            self.billing.rate_due().await?;
            Ok(())
        })
    }
}

/// Announces low balances and, after the grace period, exhausted ones.
pub struct BalanceWatch {
    pub billing: Arc<BillingService>,
}

impl Controller for BalanceWatch {
    fn name(&self) -> &'static str {
        "billing.balance_watch"
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(30)
    }

    fn reconcile(&self) -> ReconcileFuture<'_> {
        Box::pin(async move {
            self.billing.balance_watch().await?;
            Ok(())
        })
    }
}

/// The controllers `ingotd` runs for this domain.
pub fn controllers(billing: Arc<BillingService>, rating_interval: Duration) -> Vec<Arc<dyn Controller>> {
    vec![
        Arc::new(UsageFollower {
            billing: billing.clone(),
        }),
        Arc::new(Rating {
            billing: billing.clone(),
            interval: rating_interval,
        }),
        Arc::new(BalanceWatch { billing }),
    ]
}
