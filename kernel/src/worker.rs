//! Controllers: level-triggered reconcile loops. Each runs on one replica at a time, under a DB
//! lease named after it; every step must be idempotent and safe to repeat after a crash.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::clock::Clock;
use crate::db::Db;
use crate::lease::{lease_acquire, lease_release};

pub type ReconcileError = Box<dyn std::error::Error + Send + Sync>;
pub type ReconcileFuture<'a> = Pin<Box<dyn Future<Output = Result<(), ReconcileError>> + Send + 'a>>;

/// One controller. Domains implement it in their `workers` room; `ingotd` runs them.
pub trait Controller: Send + Sync + 'static {
    /// Unique, stable, `domain.thing`: also the lease name and the metrics label.
    fn name(&self) -> &'static str;
    /// How often to reconcile.
    fn interval(&self) -> Duration;
    /// One pass toward the desired state.
    fn reconcile(&self) -> ReconcileFuture<'_>;
}

/// Runs `controller` until `shutdown` turns true, reconciling only while this replica (`holder`)
/// holds its lease. The lease lives three intervals, so a missed renewal is not a handover; a pass
/// that runs long (calls to a slow provisioning system) renews it as it goes, and a pass whose
/// lease was lost anyway is abandoned at its next await — its steps are idempotent, so that is
/// the same as a crash — rather than running on beside the new holder's.
pub async fn controller_run(
    db: Db,
    clock: Arc<dyn Clock>,
    holder: String,
    controller: Arc<dyn Controller>,
    mut shutdown: watch::Receiver<bool>,
) {
    let name = controller.name();
    let interval = controller.interval();
    let ttl = (interval * 3).max(Duration::from_secs(5));
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticker.tick() => {}
            _ = shutdown.changed() => break,
        }
        if *shutdown.borrow() {
            break;
        }
        let token = match lease_acquire(&db, name, &holder, ttl, clock.now()).await {
            Ok(Some(lease)) => lease.token,
            Ok(None) => continue,
            Err(err) => {
                tracing::warn!(controller = name, error = %err, "lease check failed");
                continue;
            }
        };
        let started = std::time::Instant::now();
        let started_us = clock.now().as_micros();
        let span = tracing::info_span!("controller.pass", controller = name);
        let outcome =
            tracing::Instrument::instrument(pass_run(&db, &clock, &holder, controller.as_ref(), ttl), span)
                .await;
        let result = if outcome.is_ok() { "ok" } else { "error" };
        // Who ran which pass when, under which lease token: the evidence that passes of one
        // controller never overlap across replicas (server/tests/it/replicas.rs reads it).
        tracing::debug!(
            controller = name,
            holder = %holder,
            token,
            started_us,
            ended_us = clock.now().as_micros(),
            result,
            "controller pass"
        );
        metrics::counter!("ingot_controller_passes_total", "controller" => name, "result" => result)
            .increment(1);
        metrics::histogram!("ingot_controller_pass_seconds", "controller" => name)
            .record(started.elapsed().as_secs_f64());
        if let Err(err) = outcome {
            tracing::warn!(controller = name, error = %err, "reconcile pass failed");
        }
    }
    if let Err(err) = lease_release(&db, name, &holder, clock.now()).await {
        tracing::warn!(controller = name, error = %err, "lease release failed");
    }
}

/// One pass, renewing the lease every third of its term (or every interval, if shorter) while the
/// pass runs. The renewals run on a task of their own, beside the pass: awaited in between its
/// steps, a renewal needing the database (on SQLite, the one writer connection) while the pass
/// held a transaction open would wait for a pass that cannot move until the renewal is done —
/// every writer in the process stalled until the pool's timeout, again at each renewal.
async fn pass_run(
    db: &Db,
    clock: &Arc<dyn Clock>,
    holder: &str,
    controller: &dyn Controller,
    ttl: Duration,
) -> Result<(), ReconcileError> {
    let name = controller.name();
    let pass = controller.reconcile();
    tokio::pin!(pass);
    let period = (ttl / 3)
        .min(controller.interval())
        .max(Duration::from_millis(10));
    let (lost_tx, mut lost) = tokio::sync::oneshot::channel::<()>();
    // Stopping waits for a renewal under way to finish: cancelling it halfway through its
    // transaction is what must never happen to a database connection.
    let (stop_tx, mut stop) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn({
        let (db, clock, holder) = (db.clone(), clock.clone(), holder.to_string());
        async move {
            let mut renew = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
            loop {
                tokio::select! {
                    _ = renew.tick() => {}
                    _ = &mut stop => return,
                }
                match lease_acquire(&db, name, &holder, ttl, clock.now()).await {
                    Ok(Some(_)) => {}
                    Ok(None) => {
                        let _ = lost_tx.send(());
                        return;
                    }
                    Err(err) => {
                        tracing::warn!(controller = name, error = %err, "lease renewal failed; retrying")
                    }
                }
            }
        }
    });
    let outcome = tokio::select! {
        outcome = &mut pass => outcome,
        Ok(()) = &mut lost => {
            tracing::error!(controller = name, "lease lost during a pass; the pass is abandoned");
            Err("lease lost during the pass".into())
        }
    };
    let _ = stop_tx.send(());
    outcome
}
