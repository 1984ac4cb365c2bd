//! MAAS domain benchmark: one full reconciliation pass over a simulated region of 5,000
//! machines (`INGOT_BENCH_FLEET=N`: N machines; time, requests made to the region, rows written
//! per unchanged machine, memory), and deploy throughput at the site policy's concurrency limit
//! against the theoretical ceiling (limit × 60 s ÷ deploy time).
//! `cargo bench -p ingotd --bench maas`; under `cargo test` it runs small, as a smoke test.

// A benchmark's setup panics on failure by design: a failed setup is a failed run.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use ingot_contracts::allocation::NodeDeployRequested;
use ingot_contracts::maas::{SiteBindingRequest, SitePolicy};
use ingot_kernel::event::DomainEvent;
use ingot_kernel::id::{AllocationId, TenantId};
use ingot_maas_sim::{Sim, SimConfig, Timings};
use ingotd::config::Config;
use ingotd::{Seams, app_build};
use support::{Figure, record, report_write};

/// The process's resident memory now and at its peak, in MiB (Linux).
fn memory_mib() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// The outbox's last sequence number (0 when empty).
async fn outbox_last(db: &ingot_kernel::db::Db) -> i64 {
    sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(seq) FROM kernel_outbox")
        .fetch_one(db.reader())
        .await
        .unwrap()
        .unwrap_or(0)
}

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let (machines, deploys, concurrency) = if bench { (5_000, 64, 16) } else { (40, 8, 4) };
    let machines = support::fleet(machines);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let deploy_time = Duration::from_secs(2);
        let sim = Sim::new(
            SimConfig {
                machines,
                timings: Timings {
                    commissioning: Duration::from_secs(1),
                    deploying: deploy_time,
                    releasing: Duration::from_secs(1),
                    quick_erase: Duration::from_secs(1),
                    erase: Duration::from_secs(1),
                    secure_erase: Duration::from_secs(1),
                    power: Duration::ZERO,
                },
                ..SimConfig::default()
            },
            Arc::new(ingot_kernel::SystemClock),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/MAAS", listener.local_addr().unwrap());
        tokio::spawn(sim.clone().serve(listener));

        let data_dir = std::env::temp_dir().join(format!("ingot-bench-{}", ingot_kernel::id::new_ulid()));
        let mut config = Config {
            data_dir: data_dir.clone(),
            maas_simulated: Some(false),
            ..Config::default()
        };
        config.log_level = "error".into();
        let app = app_build(config, Seams::default()).await.unwrap();
        let site = app.inventory.site_id_by_name("demo1").await.unwrap().unwrap();
        let policy = SitePolicy {
            max_concurrent_deploys: concurrency,
            ..SitePolicy::default()
        };
        app.maas
            .binding_set_system(
                site,
                SiteBindingRequest {
                    url,
                    api_key: Some(sim.api_key().to_string()),
                    policy,
                },
            )
            .await
            .unwrap();

        let requests = sim.requests();
        let started = Instant::now();
        let onboarded = app.maas.onboard_site(site).await.unwrap();
        let onboarding_s = started.elapsed().as_secs_f64();
        println!(
            "maas onboarding: {} machines registered in {onboarding_s:.1} s, {} requests to the region",
            onboarded.registered,
            sim.requests() - requests
        );
        record(
            Figure::new("onboarding a simulated region", "registering every machine", onboarding_s, "s")
                .fleet(machines)
                .note(format!(
                    "{} registered, {} requests to the region",
                    onboarded.registered,
                    sim.requests() - requests
                )),
        );

        let scenario = "reconcile simulated machines (one site)";
        for pass in 1..=2 {
            let (rss_before, _) = memory_mib();
            let requests = sim.requests();
            let since = ingot_kernel::Clock::now(&ingot_kernel::SystemClock).as_micros();
            let events_before = outbox_last(&app.db).await;
            let started = Instant::now();
            let report = app.maas.reconcile_site(site).await.unwrap();
            let took = started.elapsed();
            let (rss_after, peak) = memory_mib();
            // What a pass wrote per machine: its rows in the domain's tables and the events it
            // appended (the pass's lease is two writes per pass, not per machine).
            let mut rows = outbox_last(&app.db).await - events_before;
            for sql in [
                "SELECT COUNT(*) FROM maas_machines WHERE last_seen_at_us >= $1",
                "SELECT COUNT(*) FROM maas_drift WHERE last_seen_at_us >= $1",
            ] {
                let touched: i64 = sqlx::query_scalar(sql)
                    .bind(since)
                    .fetch_one(app.db.reader())
                    .await
                    .unwrap();
                rows += touched;
            }
            let per_machine = rows as f64 / f64::from(report.machines.max(1));
            let notes = format!(
                "{} requests to the region, {} findings, RSS {rss_before:.0} → {rss_after:.0} MiB (peak {peak:.0} MiB, \
                 simulator included); performance.md spreads its 5,000 over 5 sites",
                sim.requests() - requests,
                report.findings
            );
            record(
                Figure::new(scenario, &format!("pass {pass} wall time"), took.as_secs_f64(), "s")
                    .target("≤ 5 s (5,000 machines)", took.as_secs_f64() <= 5.0)
                    .fleet(machines)
                    .note(notes),
            );
            if pass == 2 {
                record(
                    Figure::new(scenario, "rows written per unchanged machine (pass 2)", per_machine, "rows")
                        .target("0", rows == 0)
                        .fleet(machines)
                        .note(format!(
                            "{rows} rows of maas_machines, maas_drift and kernel_outbox written by a pass that found nothing changed"
                        )),
                );
            }
            println!("  rows written by the pass: {rows} ({per_machine:.2} per machine)");
            println!(
                "maas reconcile pass {pass}: {} machines in {:.0} ms ({:.0} machines/s), {} requests to the region, \
                 {} findings; RSS {rss_before:.0} → {rss_after:.0} MiB (peak {peak:.0} MiB, simulator included)",
                report.machines,
                took.as_secs_f64() * 1e3,
                f64::from(report.machines) / took.as_secs_f64(),
                sim.requests() - requests,
                report.findings,
            );
        }

        // Deploy throughput at the policy's limit.
        let nodes: Vec<String> = sqlx::query_scalar("SELECT node_id FROM maas_machines WHERE node_id IS NOT NULL LIMIT $1")
            .bind(i64::from(deploys))
            .fetch_all(app.db.reader())
            .await
            .unwrap();
        let (allocation_id, tenant_id) = (AllocationId::generate(), TenantId::generate());
        let mut tx = app.db.begin().await.unwrap();
        for node in &nodes {
            let event = NodeDeployRequested {
                allocation_id,
                tenant_id,
                node_id: node.parse().unwrap(),
                image: "jammy".into(),
                ssh_keys: vec!["ssh-ed25519 AAAA bench".into()],
                user_data_sealed: None,
            };
            ingot_kernel::outbox::append_in_tx(&mut tx, &event.to_envelope(ingot_kernel::Clock::now(&ingot_kernel::SystemClock)))
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        let started = Instant::now();
        let mut tick = tokio::time::interval(Duration::from_millis(100));
        loop {
            app.maas.requests_follow(500).await.unwrap();
            app.maas.deployments_drive().await.unwrap();
            let done: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM kernel_outbox WHERE event_type = 'baremetal.node_deployed'")
                .fetch_one(app.db.reader())
                .await
                .unwrap();
            if done as usize >= nodes.len() {
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(600), "deploys did not finish");
            tick.tick().await;
        }
        let took = started.elapsed().as_secs_f64();
        let per_minute = nodes.len() as f64 * 60.0 / took;
        let ceiling = f64::from(concurrency) * 60.0 / deploy_time.as_secs_f64();
        println!(
            "maas deploy throughput: {} machines in {took:.1} s at {concurrency} concurrent = {per_minute:.0}/min; \
             ceiling {ceiling:.0}/min (ratio {:.2})",
            nodes.len(),
            per_minute / ceiling
        );
        record(
            Figure::new("deploy throughput at the site policy's concurrency limit", "deploys", per_minute, "/min")
                .baseline("ceiling: limit × 60 s ÷ deploy time", ceiling)
                .note(format!(
                    "{} machines at {concurrency} concurrent, {} s per simulated deploy",
                    nodes.len(),
                    deploy_time.as_secs()
                )),
        );
        let _ = std::fs::remove_dir_all(&data_dir);
        report_write();
    });
}
