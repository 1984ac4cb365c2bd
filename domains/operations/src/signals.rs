//! Signals about the runtime every domain shares (the kernel's outbox and leases), answered by
//! Operations itself: consumers falling behind, controllers no replica is running.

use std::sync::Arc;
use std::time::Duration;

use ingot_contracts::BoxFuture;
use ingot_contracts::operations::{Signal, SignalQuery, SignalSource};
use ingot_kernel::clock::{Clock, Timestamp};
use ingot_kernel::db::Db;

pub struct KernelSignals {
    db: Db,
    /// The controllers this binary runs, with their intervals: leases of others (renamed,
    /// retired) are not watched.
    controllers: Vec<(String, Duration)>,
    /// A lease that ran out before this process started counts from the start, so a restart
    /// after downtime does not page for every controller before its first tick.
    started_at: Timestamp,
}

impl KernelSignals {
    pub fn new(db: Db, clock: Arc<dyn Clock>, controllers: Vec<(String, Duration)>) -> KernelSignals {
        KernelSignals {
            db,
            controllers,
            started_at: clock.now(),
        }
    }

    async fn measure(&self, query: SignalQuery) -> Result<Vec<Signal>, ingot_kernel::db::DbError> {
        let mut signals = Vec::new();
        for backlog in ingot_kernel::outbox::backlogs(&self.db, 100_000).await? {
            let Some(oldest) = backlog.oldest_unread_at else {
                continue;
            };
            // Stuck, not merely behind: events wait and the cursor has not moved. A rebuild
            // reading years of history moves its cursor every batch and is not paged for.
            let waited = query.now.since(oldest);
            let still = query.now.since(backlog.advanced_at);
            let stuck = waited.min(still).as_secs_f64();
            signals.push(Signal::new(
                "kernel.consumer_lag_s",
                format!("consumer:{}", backlog.consumer),
                stuck,
                format!(
                    "consumer {} is {} events behind; the oldest has waited {:.0} s and its cursor last moved {:.0} s ago",
                    backlog.consumer,
                    backlog.behind,
                    waited.as_secs_f64(),
                    still.as_secs_f64()
                ),
            ));
        }
        for lease in ingot_kernel::lease::leases_all(&self.db).await? {
            let name = lease.name;
            let Some((_, interval)) = self.controllers.iter().find(|(n, _)| *n == name) else {
                continue;
            };
            let expired_at = lease.expires_at.max(self.started_at);
            // A lease released on shutdown is taken at the next replica's next tick: only time
            // past one interval after expiry means nobody runs the controller.
            let due = expired_at.plus(*interval);
            if due < query.now {
                let for_s = query.now.since(due).as_secs_f64();
                signals.push(Signal::new(
                    "kernel.lease_expired_s",
                    format!("controller:{name}"),
                    for_s,
                    format!(
                        "controller {name}: no replica has taken its lease for {for_s:.0} s past its interval ({} s)",
                        interval.as_secs()
                    ),
                ));
            }
        }
        Ok(signals)
    }
}

impl SignalSource for KernelSignals {
    fn signal_names(&self) -> &'static [&'static str] {
        &["kernel.consumer_lag_s", "kernel.lease_expired_s"]
    }

    fn signals(&self, query: SignalQuery) -> BoxFuture<'_, Result<Vec<Signal>, String>> {
        Box::pin(async move { self.measure(query).await.map_err(|e| e.to_string()) })
    }
}
