//! Leases: one holder at a time, takeover after expiry, real processes and a crash.
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use ingot_kernel::Timestamp;
use ingot_kernel::db::Db;
use ingot_kernel::lease::{lease_acquire, lease_release};
use ingot_kernel::store_test;
use sqlx::Row;

use super::kernel_db;

const T0: Timestamp = Timestamp::from_secs(1_700_000_000);
const TTL: Duration = Duration::from_secs(10);

store_test!(one_holder_at_a_time_and_takeover_after_expiry, |t| {
    let t = kernel_db(t).await;
    let a = lease_acquire(&t.db, "demo.controller", "a", TTL, T0)
        .await
        .unwrap()
        .expect("free lease is granted");
    assert_eq!((a.holder.as_str(), a.token, a.expires_at), ("a", 1, T0.plus(TTL)));
    assert_eq!(
        lease_acquire(&t.db, "demo.controller", "b", TTL, T0.plus(TTL / 2))
            .await
            .unwrap(),
        None
    );
    let renewed = lease_acquire(&t.db, "demo.controller", "a", TTL, T0.plus(TTL / 2))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(renewed.token, 1, "renewal keeps the fencing token");
    // "a" crashes: it stops renewing. Just before its term ends, "b" still waits.
    let end = T0.plus(TTL / 2).plus(TTL);
    assert_eq!(
        lease_acquire(
            &t.db,
            "demo.controller",
            "b",
            TTL,
            end.minus(Duration::from_micros(1))
        )
        .await
        .unwrap(),
        None
    );
    let b = lease_acquire(&t.db, "demo.controller", "b", TTL, end)
        .await
        .unwrap()
        .expect("expired lease is taken over");
    assert_eq!((b.holder.as_str(), b.token), ("b", 2));
    assert_eq!(
        lease_acquire(&t.db, "demo.controller", "a", TTL, end)
            .await
            .unwrap(),
        None,
        "the old holder is out"
    );
    // A clean release hands over at once.
    lease_release(&t.db, "demo.controller", "b", end).await.unwrap();
    let a = lease_acquire(&t.db, "demo.controller", "a", TTL, end)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.token, 3);
    assert!(
        lease_acquire(&t.db, "other.controller", "b", TTL, end)
            .await
            .unwrap()
            .is_some(),
        "leases are per name"
    );
});

store_test!(concurrent_contenders_never_get_overlapping_terms, |t| {
    let t = kernel_db(t).await;
    // Eight contenders, each on its own connection pool, race at every instant of a moving clock.
    let mut handles = Vec::new();
    for c in 0..8 {
        let db = Db::connect(&t.url, Default::default()).await.unwrap();
        handles.push(tokio::spawn(async move {
            let mut grants = Vec::new();
            for step in 0..60i64 {
                let now = Timestamp::from_micros(T0.as_micros() + step * 1_000_000);
                if let Some(lease) = lease_acquire(&db, "race", &format!("c{c}"), Duration::from_secs(3), now)
                    .await
                    .unwrap()
                {
                    grants.push((now, lease));
                }
                tokio::task::yield_now().await;
            }
            db.close().await;
            grants
        }));
    }
    let mut grants = Vec::new();
    for handle in handles {
        grants.extend(handle.await.unwrap());
    }
    assert!(!grants.is_empty());
    for (i, (at_a, a)) in grants.iter().enumerate() {
        for (at_b, b) in &grants[i + 1..] {
            if a.holder != b.holder {
                let overlap = *at_a < b.expires_at && *at_b < a.expires_at;
                assert!(
                    !overlap,
                    "{a:?} granted at {at_a} overlaps {b:?} granted at {at_b}"
                );
            }
        }
    }
});

/// Two OS processes contend for one lease on the real clock; one is killed with SIGKILL while
/// holding it, and the other takes over only after the dead holder's term ends.
async fn two_processes_and_a_crash(db: &Db, url: &str) {
    sqlx::raw_sql(
        "CREATE TABLE kernel_test_lease_log (holder TEXT NOT NULL, granted INTEGER NOT NULL, token BIGINT NOT NULL, \
         at_us BIGINT NOT NULL, expires_at_us BIGINT NOT NULL)",
    )
    .execute(db.reader())
    .await
    .unwrap();
    let exe = contender_exe();
    let spawn = |holder: &str| -> Child {
        Command::new(&exe)
            .args([url, holder, "800"])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("cargo builds lease_contender for this test")
    };
    let count = |sql: &'static str| async move {
        let row = sqlx::query(sql).fetch_one(db.reader()).await.unwrap();
        row.try_get::<i64, _>("n").unwrap()
    };
    let mut a = spawn("a");
    wait_until(|| {
        count("SELECT COUNT(*) AS n FROM kernel_test_lease_log WHERE holder = 'a' AND granted = 1")
    })
    .await;
    let mut b = spawn("b");
    wait_until(|| {
        count("SELECT COUNT(*) AS n FROM kernel_test_lease_log WHERE holder = 'b' AND granted = 0")
    })
    .await;
    a.kill().unwrap();
    a.wait().unwrap();
    wait_until(|| {
        count("SELECT COUNT(*) AS n FROM kernel_test_lease_log WHERE holder = 'b' AND granted = 1")
    })
    .await;
    b.kill().unwrap();
    b.wait().unwrap();

    let last_a = sqlx::query(
        "SELECT MAX(expires_at_us) AS expires, MAX(token) AS token FROM kernel_test_lease_log WHERE holder = 'a' AND granted = 1",
    )
    .fetch_one(db.reader())
    .await
    .unwrap();
    let first_b = sqlx::query(
        "SELECT MIN(at_us) AS at_us, MIN(token) AS token FROM kernel_test_lease_log WHERE holder = 'b' AND granted = 1",
    )
    .fetch_one(db.reader())
    .await
    .unwrap();
    let a_expires: i64 = last_a.try_get("expires").unwrap();
    let b_at: i64 = first_b.try_get("at_us").unwrap();
    assert!(
        b_at >= a_expires,
        "b was granted at {b_at} while a held the lease until {a_expires}"
    );
    assert_eq!(
        first_b.try_get::<i64, _>("token").unwrap(),
        last_a.try_get::<i64, _>("token").unwrap() + 1
    );
}

store_test!(a_crashed_process_lease_is_taken_over_after_expiry, |t| {
    let t = kernel_db(t).await;
    two_processes_and_a_crash(&t.db, &t.url).await;
});

/// Cargo builds the helper binary before this test and says where.
fn contender_exe() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_BIN_EXE_lease_contender"))
}

/// Polls a condition the other processes make true; bounded, so a broken lease fails the test.
async fn wait_until<F, Fut>(mut condition: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = i64>,
{
    let mut ticker = tokio::time::interval(Duration::from_millis(20));
    for _ in 0..500 {
        ticker.tick().await;
        if condition().await > 0 {
            return;
        }
    }
    panic!("condition not reached within 10 s");
}

/// A pass that runs until told to finish, and says whether it was abandoned.
struct LongPass {
    started: std::sync::Arc<tokio::sync::Notify>,
    finish: std::sync::Arc<tokio::sync::Notify>,
    abandoned: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

struct AbandonGuard(std::sync::Arc<std::sync::atomic::AtomicBool>, bool);

impl Drop for AbandonGuard {
    fn drop(&mut self) {
        if !self.1 {
            self.0.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    }
}

impl ingot_kernel::worker::Controller for LongPass {
    fn name(&self) -> &'static str {
        "demo.long_pass"
    }

    fn interval(&self) -> Duration {
        Duration::from_millis(20)
    }

    fn reconcile(&self) -> ingot_kernel::worker::ReconcileFuture<'_> {
        Box::pin(async move {
            let mut guard = AbandonGuard(self.abandoned.clone(), false);
            self.started.notify_one();
            self.finish.notified().await;
            guard.1 = true;
            Ok(())
        })
    }
}

async fn lease_expiry(db: &Db) -> i64 {
    sqlx::query("SELECT expires_at_us FROM kernel_leases WHERE name = 'demo.long_pass'")
        .fetch_one(db.reader())
        .await
        .unwrap()
        .try_get("expires_at_us")
        .unwrap()
}

// A pass outliving its lease's term renews the lease as it runs, so no other replica starts one
// beside it; and a pass whose lease was taken over anyway is abandoned, not run on.
store_test!(a_long_pass_keeps_its_lease_or_is_abandoned, |t| {
    use ingot_kernel::Clock as _;
    let t = kernel_db(t).await;
    let clock = ingot_kernel::ManualClock::new(T0);
    let (started, finish) = (
        std::sync::Arc::new(tokio::sync::Notify::new()),
        std::sync::Arc::new(tokio::sync::Notify::new()),
    );
    let abandoned = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let controller = std::sync::Arc::new(LongPass {
        started: started.clone(),
        finish: finish.clone(),
        abandoned: abandoned.clone(),
    });
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let runner = tokio::spawn(ingot_kernel::worker::controller_run(
        t.db.clone(),
        std::sync::Arc::new(clock.clone()),
        "a".into(),
        controller,
        stopping,
    ));
    started.notified().await;
    // The pass runs far past the lease's term (5 s): it renews as it goes.
    clock.advance(Duration::from_secs(60));
    let mut tick = tokio::time::interval(Duration::from_millis(10));
    for waited in 0.. {
        if lease_expiry(&t.db).await > clock.now().as_micros() {
            break;
        }
        assert!(waited < 500, "the running pass never renewed its lease");
        tick.tick().await;
    }
    assert!(
        lease_acquire(&t.db, "demo.long_pass", "b", TTL, clock.now())
            .await
            .unwrap()
            .is_none(),
        "another replica cannot take a lease a running pass keeps renewing"
    );
    assert!(!abandoned.load(std::sync::atomic::Ordering::SeqCst));
    // Its term ends unrenewed (time jumps past it between two renewals) and another replica
    // takes it: the pass is abandoned.
    loop {
        clock.advance(Duration::from_secs(600));
        let taken = lease_acquire(
            &t.db,
            "demo.long_pass",
            "b",
            Duration::from_secs(3_600),
            clock.now(),
        )
        .await
        .unwrap();
        if taken.is_some() {
            break;
        }
    }
    for waited in 0.. {
        if abandoned.load(std::sync::atomic::Ordering::SeqCst) {
            break;
        }
        assert!(waited < 500, "a pass whose lease was taken over ran on");
        tick.tick().await;
    }
    stop.send(true).unwrap();
    finish.notify_waiters();
    runner.await.unwrap();
});
