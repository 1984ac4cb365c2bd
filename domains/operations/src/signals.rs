//! Signals about the runtime every domain shares (the kernel's outbox and leases), answered by
//! Operations itself: consumers falling behind, controllers no replica is running.

use std::sync::Arc;

use ingot_contracts::BoxFuture;
use ingot_contracts::operations::{Signal, SignalQuery, SignalSource};
use ingot_kernel::clock::{Clock, Timestamp};
use ingot_kernel::db::Db;
use sqlx::Row;

pub struct KernelSignals {
    db: Db,
    /// The controllers this binary runs: leases of others (renamed, retired) are not watched.
    controllers: Vec<String>,
    /// A lease that ran out before this process started counts from the start, so a restart
    /// after downtime does not page for every controller before its first tick.
    started_at: Timestamp,
}

impl KernelSignals {
    pub fn new(db: Db, clock: Arc<dyn Clock>, controllers: Vec<String>) -> KernelSignals {
        KernelSignals {
            db,
            controllers,
            started_at: clock.now(),
        }
    }

    async fn measure(&self, query: SignalQuery) -> Result<Vec<Signal>, ingot_kernel::db::DbError> {
        let mut signals = Vec::new();
        for backlog in ingot_kernel::outbox::backlogs(&self.db, 100_000).await? {
            let waited = backlog
                .oldest_unread_at
                .map_or(0.0, |oldest| query.now.since(oldest).as_secs_f64());
            metrics::gauge!("ingot_outbox_consumer_lag_seconds", "consumer" => backlog.consumer.clone())
                .set(waited);
            metrics::gauge!("ingot_outbox_consumer_behind", "consumer" => backlog.consumer.clone())
                .set(backlog.behind as f64);
            if backlog.oldest_unread_at.is_some() {
                signals.push(Signal::new(
                    "kernel.consumer_lag_s",
                    format!("consumer:{}", backlog.consumer),
                    waited,
                    format!(
                        "consumer {} is {} events behind; the oldest has waited {:.0} s",
                        backlog.consumer, backlog.behind, waited
                    ),
                ));
            }
        }
        let rows = sqlx::query("SELECT name, expires_at_us FROM kernel_leases")
            .fetch_all(self.db.reader())
            .await?;
        for row in rows {
            let name: String = row.try_get("name")?;
            if !self.controllers.contains(&name) {
                continue;
            }
            let expired_at = Timestamp::from_micros(row.try_get("expires_at_us")?).max(self.started_at);
            if expired_at < query.now {
                let for_s = query.now.since(expired_at).as_secs_f64();
                signals.push(Signal::new(
                    "kernel.lease_expired_s",
                    format!("controller:{name}"),
                    for_s,
                    format!("controller {name}: no replica has renewed its lease for {for_s:.0} s"),
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
