//! Allocation admission throughput on this machine, on the embedded default (SQLite), reported as
//! a ratio to the raw-SQL assign transaction measured in the same run: allocations/s through HTTP
//! (authorization, KYC, quota, runway reserve at Billing, eligible nodes, the guarded assignment,
//! outbox events and the audit record included) ÷ one transaction that takes a free node and
//! records the allocation; and the p50/p99 latency of a create under 16 concurrent clients.
//! Controllers are slowed so the run measures admission alone (deploys do not run meanwhile).
//!
//! Two phases, each on a fresh database, as performance.md orders them: creates spread over 5
//! SKUs (the demo catalog's three and two CPU SKUs added through the admin API), then all on
//! one. Each imports 4,096 nodes (`INGOT_BENCH_FLEET=N`: N) and gives the raw transaction a pool
//! of as many. Both the raw and the HTTP run stop once 90 % of their nodes are taken, so neither
//! figure counts time spent finding nothing free; tenants are added until their KYC limits
//! (64 nodes each) cover the fleet.
//!
//! `cargo bench -p ingotd --bench allocation` runs it for real; under `cargo test` it only
//! smoke-runs.

// A benchmark reports; it does not assert. Failures to set up are fatal.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

mod support;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ingot_contracts::iam::{
    KycDecision, KycDecisionRequest, KycLevel, KycSubmitRequest, PlatformRole, PlatformRolesRequest,
    SignupRequest,
};
use ingot_kernel::db::Db;
use ingotd::config::Config;
use ingotd::{Seams, app_build};
use serde_json::json;
use support::{Figure, Run, count_for, percentile, record, report_write, serve_stoppable};

/// The raw baseline: claim one free node of a SKU's pool and record an allocation holding it, in
/// one transaction (the shape of Allocation's own assign, without anything around it).
async fn raw_assign(db: &Db, n: u64, sku: &str) -> bool {
    let mut tx = db.begin().await.unwrap();
    let taken: Option<String> = sqlx::query_scalar(
        "UPDATE bench_pool SET taken = 1 WHERE node_id = \
         (SELECT node_id FROM bench_pool WHERE sku = $1 AND taken = 0 LIMIT 1) AND taken = 0 RETURNING node_id",
    )
    .bind(sku)
    .fetch_optional(&mut *tx)
    .await
    .unwrap();
    let Some(node) = taken else {
        return false;
    };
    let id = format!("alc_raw_{n}");
    sqlx::query(
        "INSERT INTO alloc_allocations (id, tenant_id, project_id, sku_id, site_id, node_count, image, state, \
         created_at_us, updated_at_us) VALUES ($1, 'ten_raw', 'prj_raw', 'sku_raw', 'sit_raw', 1, 'jammy', \
         'provisioning', 0, 0)",
    )
    .bind(&id)
    .execute(&mut *tx)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO alloc_nodes (allocation_id, node_id, hostname, phase, live, assigned_at_us, updated_at_us) \
         VALUES ($1, $2, 'raw', 'deploying', 1, 0, 0)",
    )
    .bind(&id)
    .bind(&node)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    true
}

/// Nodes a tenant may hold at the full KYC level (IAM's policy table).
const KYC_FULL_NODES: usize = 64;

/// A SKU the bench allocates, with the hardware of the nodes imported for it; `created` is the
/// constraints and hourly price of a SKU the demo catalog lacks, added through the admin API.
struct SkuSpec {
    name: &'static str,
    facts: serde_json::Value,
    created: Option<(serde_json::Value, &'static str)>,
}

fn cpu_facts(cores: u32, ram_gib: u64, disk_gib: u64) -> serde_json::Value {
    json!({
        "cpu": {"model": "EPYC 9554", "sockets": 1, "cores": cores},
        "ram_mib": ram_gib * 1024,
        "disks": [{"size_gib": disk_gib, "kind": "nvme"}]
    })
}

fn gpu_facts(model: &str) -> serde_json::Value {
    json!({
        "cpu": {"model": "EPYC 9554", "sockets": 2, "cores": 128},
        "ram_mib": 2_097_152,
        "gpus": [{"model": model, "count": 8, "memory_mib": 81_920}],
        "disks": [{"size_gib": 7_680, "kind": "nvme"}],
        "interconnects": ["infiniband"]
    })
}

/// The demo catalog's `cpu-64c`, alone.
fn one_sku() -> Vec<SkuSpec> {
    vec![SkuSpec {
        name: "cpu-64c",
        facts: cpu_facts(64, 384, 1_920),
        created: None,
    }]
}

/// The demo catalog's three SKUs and two CPU SKUs of other sizes; each node fits exactly one.
fn five_skus() -> Vec<SkuSpec> {
    let cpu_sku = |cores: u32, ram_gib: u64, storage_gib: u64| json!({"gpu_count": 0, "cores_min": cores, "ram_min_mib": ram_gib * 1024, "storage_min_gib": storage_gib});
    vec![
        SkuSpec {
            name: "gpu-8x-h100",
            facts: gpu_facts("H100-SXM5-80GB"),
            created: None,
        },
        SkuSpec {
            name: "gpu-8x-a100",
            facts: gpu_facts("A100-SXM4-80GB"),
            created: None,
        },
        SkuSpec {
            name: "cpu-64c",
            facts: cpu_facts(64, 384, 1_920),
            created: None,
        },
        SkuSpec {
            name: "cpu-32c",
            facts: cpu_facts(32, 192, 960),
            created: Some((cpu_sku(32, 128, 900), "0.600000")),
        },
        SkuSpec {
            name: "cpu-128c",
            facts: cpu_facts(128, 768, 3_840),
            created: Some((cpu_sku(128, 512, 3_600), "2.400000")),
        },
    ]
}

#[tokio::main]
async fn main() {
    let run = Run::from_args();
    let real = run.seconds > 1.0;
    let nodes = support::fleet(if real { 4_096 } else { 64 });
    let tenants_min = if real { 64 } else { 2 };
    let tenant_count = tenants_min.max(nodes.div_ceil(KYC_FULL_NODES));
    for skus in [five_skus(), one_sku()] {
        phase(&run, &skus, nodes, tenant_count).await;
    }
    report_write();
}

/// One phase on a fresh embedded ingotd: the fleet spread over `skus`, the raw run, the HTTP run.
async fn phase(run: &Run, skus: &[SkuSpec], node_count: usize, tenant_count: usize) {
    let data_dir = std::env::temp_dir().join(format!("ingot-bench-{}", ingot_kernel::id::new_ulid()));
    let mut config = Config {
        data_dir: data_dir.clone(),
        maas_simulated: Some(false),
        billing_test_provider: Some(true),
        allocation_lifecycle_interval: Duration::from_secs(600),
        maas_deployments_interval: Duration::from_secs(600),
        ..Config::default()
    };
    config.http.rate_limit_per_s = 0;
    config.log_level = "error".into();
    let app = app_build(config, Seams::default()).await.unwrap();
    let admin_token = app.iam.bootstrap_admin("bench-admin@example.com").await.unwrap();
    let db = app.db.clone();
    // Stopped at the end, so the next phase's server runs alone.
    let (base, server) = serve_stoppable(app).await;
    let client = ingot_sdk::Client::new(&base).unwrap();
    let http = ingot_kernel::outbound::client_builder()
        .pool_max_idle_per_host(64)
        .build()
        .unwrap();

    // The SKUs the demo catalog lacks, priced at the demo site.
    for sku in skus {
        let Some((constraints, price)) = &sku.created else {
            continue;
        };
        let response = http
            .post(format!("{base}/v1/admin/skus"))
            .bearer_auth(&admin_token)
            .json(&json!({"name": sku.name, "description": "bench", "constraints": constraints}))
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "{}",
            response.text().await.unwrap()
        );
        let created: serde_json::Value = response.json().await.unwrap();
        let sku_id = created["sku"]["id"].as_str().unwrap().to_string();
        let response = http
            .put(format!("{base}/v1/admin/offers/{sku_id}/demo1"))
            .bearer_auth(&admin_token)
            .json(&json!({"hourly_price": {"amount": price, "currency": "USD"}}))
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "{}",
            response.text().await.unwrap()
        );
    }

    // Nodes for the HTTP run, imported available at the demo site, dealt round the SKUs.
    let rows: Vec<serde_json::Value> = (0..node_count)
        .map(|i| {
            json!({"hostname": format!("bench-{i:06}"), "site": "demo1", "state": "available",
                "facts": skus[i % skus.len()].facts})
        })
        .collect();
    for chunk in rows.chunks(2_000) {
        let response = http
            .post(format!("{base}/v1/admin/nodes/import"))
            .bearer_auth(&admin_token)
            .json(&json!({"nodes": chunk}))
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "{}",
            response.text().await.unwrap()
        );
    }
    // The same number of free nodes for the raw run, in a pool of its own.
    for sql in [
        "CREATE TABLE bench_pool (node_id TEXT PRIMARY KEY, sku TEXT NOT NULL, taken INTEGER NOT NULL)",
        "CREATE INDEX bench_pool_free ON bench_pool (sku, taken)",
    ] {
        let mut tx = db.begin().await.unwrap();
        sqlx::query(sql).execute(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
    }
    let mut tx = db.begin().await.unwrap();
    for i in 0..node_count {
        sqlx::query("INSERT INTO bench_pool (node_id, sku, taken) VALUES ($1, $2, 0)")
            .bind(format!("nod_raw_{i:06}"))
            .bind(skus[i % skus.len()].name)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();

    // Tenants verified at the full level (64 nodes each) with money for their runway (24 hours
    // of 64 of the dearest SKU's nodes).
    let reviewer = client
        .signup(&SignupRequest {
            email: "bench-reviewer@example.com".into(),
            password: "tuba-cellar-orbit-42".into(),
            display_name: "r".into(),
            tenant_name: "r".into(),
        })
        .await
        .unwrap();
    client
        .clone()
        .with_token(&admin_token)
        .platform_roles_set(
            reviewer.user.id,
            &PlatformRolesRequest {
                platform_roles: vec![PlatformRole::Security],
            },
        )
        .await
        .unwrap();
    let reviewer = client.clone().with_token(&reviewer.session_token);
    let mut tenants = Vec::new();
    for i in 0..tenant_count {
        let created = client
            .signup(&SignupRequest {
                email: format!("bench-{i}@example.com"),
                password: "tuba-cellar-orbit-42".into(),
                display_name: "b".into(),
                tenant_name: format!("bench {i}"),
            })
            .await
            .unwrap();
        let tenant = created.tenant.as_ref().unwrap().id;
        let owner = client.clone().with_token(&created.session_token);
        owner
            .kyc_submit(
                tenant,
                &KycSubmitRequest {
                    provider_ref: None,
                    personal_data: Some(ingot_contracts::iam::KycPersonalData {
                        legal_name: "B".into(),
                        country: "DE".into(),
                        address: "1 Test Street, Testville".into(),
                    }),
                },
            )
            .await
            .unwrap();
        reviewer
            .kyc_decide(
                tenant,
                &KycDecisionRequest {
                    decision: KycDecision::Verify,
                    level: Some(KycLevel::Full),
                    reason: "bench".into(),
                },
            )
            .await
            .unwrap();
        let response = http
            .post(format!("{base}/v1/tenants/{tenant}/top-ups"))
            .bearer_auth(&created.session_token)
            .json(&json!({"amount": {"amount": "40000", "currency": "USD"}}))
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "{}",
            response.text().await.unwrap()
        );
        tenants.push((created.project.unwrap().id, created.session_token));
    }
    let tenants = Arc::new(tenants);
    let sku_names: Arc<Vec<&'static str>> = Arc::new(skus.iter().map(|s| s.name).collect());
    // Past this many the runs stop: the last free nodes are found only by luck.
    let cap = (node_count * 9 / 10).max(1) as u64;

    let sku_label = if skus.len() == 1 {
        format!("1 SKU ({})", skus[0].name)
    } else {
        format!("{} SKUs ({})", skus.len(), sku_names.join(", "))
    };
    println!(
        "allocation admission, embedded default (SQLite), {} clients, {} s per phase, {node_count} nodes, {tenant_count} tenants, {sku_label}",
        run.clients, run.seconds
    );
    let next = Arc::new(AtomicU64::new(0));
    let raw_stop = Arc::new(AtomicBool::new(false));
    let raw_taken = Arc::new(AtomicU64::new(0));
    let raw = {
        let (db, next, sku_names, raw_stop, raw_taken) = (
            db.clone(),
            next.clone(),
            sku_names.clone(),
            raw_stop.clone(),
            raw_taken.clone(),
        );
        count_for(run, run.clients, Some(raw_stop.clone()), move || {
            let (db, next, sku_names, raw_stop, raw_taken) = (
                db.clone(),
                next.clone(),
                sku_names.clone(),
                raw_stop.clone(),
                raw_taken.clone(),
            );
            async move {
                let n = next.fetch_add(1, Ordering::Relaxed);
                let sku = sku_names[n as usize % sku_names.len()];
                let taken = raw_assign(&db, n, sku).await;
                if taken && raw_taken.fetch_add(1, Ordering::Relaxed) + 1 >= cap {
                    raw_stop.store(true, Ordering::Relaxed);
                }
                taken
            }
        })
        .await
    };
    let raw_capped = raw_stop.load(Ordering::Relaxed);
    println!(
        "  raw assign transaction        {raw:>9.0} /s{}",
        if raw_capped {
            "   (stopped at 90 % of the pool)"
        } else {
            ""
        }
    );

    let latencies = Arc::new(Mutex::new(Vec::new()));
    let refused = Arc::new(AtomicU64::new(0));
    let api_stop = Arc::new(AtomicBool::new(false));
    let created = Arc::new(AtomicU64::new(0));
    let api = {
        let (http, base, next, latencies, refused, tenants, sku_names, api_stop, created) = (
            http.clone(),
            base.clone(),
            next.clone(),
            latencies.clone(),
            refused.clone(),
            tenants.clone(),
            sku_names.clone(),
            api_stop.clone(),
            created.clone(),
        );
        count_for(run, run.clients, Some(api_stop.clone()), move || {
            let (http, base, next, latencies, refused, tenants, sku_names, api_stop, created) = (
                http.clone(),
                base.clone(),
                next.clone(),
                latencies.clone(),
                refused.clone(),
                tenants.clone(),
                sku_names.clone(),
                api_stop.clone(),
                created.clone(),
            );
            async move {
                let n = next.fetch_add(1, Ordering::Relaxed) as usize;
                let (project, token) = &tenants[n % tenants.len()];
                let sku = sku_names[n % sku_names.len()];
                let started = Instant::now();
                let response = http
                    .post(format!("{base}/v1/projects/{project}/allocations"))
                    .bearer_auth(token)
                    .json(&json!({"sku": sku, "count": 1}))
                    .send()
                    .await
                    .unwrap();
                let ok = response.status() == reqwest::StatusCode::CREATED;
                let body = response.text().await.unwrap_or_default();
                if ok {
                    latencies.lock().unwrap().push(started.elapsed());
                    if created.fetch_add(1, Ordering::Relaxed) + 1 >= cap {
                        api_stop.store(true, Ordering::Relaxed);
                    }
                } else if refused.fetch_add(1, Ordering::Relaxed) == 0 {
                    println!("  first refusal: {body}");
                }
                ok
            }
        })
        .await
    };
    let api_capped = api_stop.load(Ordering::Relaxed);
    let mut latencies = latencies.lock().unwrap().clone();
    latencies.sort_unstable();
    let twice: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT node_id FROM alloc_nodes WHERE live = 1 GROUP BY node_id HAVING COUNT(*) > 1) d",
    )
    .fetch_one(db.reader())
    .await
    .unwrap();
    let (p50, p99) = (
        percentile(&latencies, 0.50).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
    );
    let refused = refused.load(Ordering::Relaxed);
    println!(
        "  HTTP create (1 node)          {api:>9.0} /s   ratio {:.2}   p50 {p50:.1} ms   p99 {p99:.1} ms   refused {refused}   nodes assigned twice {twice}{}",
        api / raw.max(1.0),
        if api_capped {
            "   (stopped at 90 % of the fleet)"
        } else {
            ""
        }
    );
    let scenario = if skus.len() == 1 {
        "allocate through HTTP, 1 SKU"
    } else {
        "allocate through HTTP, 5 SKUs"
    };
    let stopped = |capped: bool| {
        if capped {
            format!("stopped once {cap} nodes (90 %) were taken")
        } else {
            "ran the whole phase".to_string()
        }
    };
    let setup = format!(
        "{} clients, {} s at most; {tenant_count} tenants at full KYC; {sku_label}",
        run.clients, run.seconds
    );
    record(
        Figure::new(scenario, "HTTP creates (1 node each)", api, "/s")
            .baseline("raw assign transaction (SQL)", raw)
            .target(
                "≥ 0.6, 0 double-bookings",
                api / raw.max(1.0) >= 0.6 && twice == 0,
            )
            .fleet(node_count)
            .note(format!("p50 {p50:.1} ms, p99 {p99:.1} ms"))
            .note(format!("{refused} refused, {twice} nodes assigned twice"))
            .note(format!(
                "HTTP {}; raw {}",
                stopped(api_capped),
                stopped(raw_capped)
            ))
            .note(setup.clone()),
    );
    record(
        Figure::new(scenario, "create latency p99", p99, "ms per create")
            .fleet(node_count)
            .note(format!("p50 {p50:.1} ms"))
            .note(setup),
    );
    server.stop().await;
    let _ = std::fs::remove_dir_all(&data_dir);
}
