//! Test helper for kernel's lease suite, a binary so that it runs as its own OS process: contends
//! for the lease `contended` as HOLDER, on the real clock, until killed, logging every attempt to
//! `kernel_test_lease_log`.
//! Usage: lease_contender DATABASE_URL HOLDER TTL_MS

use std::time::Duration;

use ingot_kernel::db::Db;
use ingot_kernel::lease::lease_acquire;
use ingot_kernel::{Clock, SystemClock};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, holder, ttl_ms] = args.as_slice() else {
        eprintln!("usage: lease_contender DATABASE_URL HOLDER TTL_MS");
        std::process::exit(2);
    };
    let ttl = Duration::from_millis(ttl_ms.parse().expect("TTL_MS is a number"));
    let db = Db::connect(url, Default::default())
        .await
        .expect("database reachable");
    let mut ticker = tokio::time::interval(ttl / 8);
    loop {
        ticker.tick().await;
        let now = SystemClock.now();
        let lease = lease_acquire(&db, "contended", holder, ttl, now)
            .await
            .expect("lease query");
        let mut tx = db.begin().await.expect("begin");
        sqlx::query(
            "INSERT INTO kernel_test_lease_log (holder, granted, token, at_us, expires_at_us) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(holder.as_str())
        .bind(i64::from(lease.is_some()))
        .bind(lease.as_ref().map_or(0, |l| l.token))
        .bind(now.as_micros())
        .bind(lease.as_ref().map_or(0, |l| l.expires_at.as_micros()))
        .execute(&mut *tx)
        .await
        .expect("log insert");
        tx.commit().await.expect("commit");
    }
}
