//! Allocation admission throughput on this machine, on the embedded default (SQLite), reported as
//! a ratio to the raw-SQL assign transaction measured in the same run: allocations/s through HTTP
//! (authorization, KYC, quota, runway reserve at Billing, eligible nodes, the guarded assignment,
//! outbox events and the audit record included) ÷ one transaction that takes a free node and
//! records the allocation; and the p50/p99 latency of a create under 16 concurrent clients.
//! Controllers are slowed so the run measures admission alone (deploys do not run meanwhile).
//!
//! `cargo bench -p ingotd --bench allocation` runs it for real; under `cargo test` it only
//! smoke-runs.

// A benchmark reports; it does not assert. Failures to set up are fatal.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

mod support;

use std::sync::atomic::{AtomicU64, Ordering};
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
use support::{Run, count_for, percentile, serve};

/// The raw baseline: claim one free node of a pool and record an allocation holding it, in one
/// transaction (the shape of Allocation's own assign, without anything around it).
async fn raw_assign(db: &Db, n: u64) -> bool {
    let mut tx = db.begin().await.unwrap();
    let taken: Option<String> = sqlx::query_scalar(
        "UPDATE bench_pool SET taken = 1 WHERE node_id = (SELECT node_id FROM bench_pool WHERE taken = 0 LIMIT 1) \
         AND taken = 0 RETURNING node_id",
    )
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

#[tokio::main]
async fn main() {
    let run = Run::from_args();
    let real = run.seconds > 1.0;
    let (tenant_count, node_count) = if real { (64, 4_096) } else { (2, 64) };
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
    let base = serve(app).await;
    let client = ingot_sdk::Client::new(&base).unwrap();
    let http = ingot_kernel::outbound::client_builder()
        .pool_max_idle_per_host(64)
        .build()
        .unwrap();

    // Nodes for the HTTP run, imported available at the demo site.
    let rows: Vec<serde_json::Value> = (0..node_count)
        .map(|i| {
            json!({"hostname": format!("bench-{i:05}"), "site": "demo1", "state": "available", "facts": {
                "cpu": {"model": "EPYC 9554", "sockets": 1, "cores": 64},
                "ram_mib": 393_216,
                "disks": [{"size_gib": 1_920, "kind": "nvme"}]
            }})
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
        "CREATE TABLE bench_pool (node_id TEXT PRIMARY KEY, taken INTEGER NOT NULL)",
        "CREATE INDEX bench_pool_free ON bench_pool (taken)",
    ] {
        let mut tx = db.begin().await.unwrap();
        sqlx::query(sql).execute(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
    }
    let mut tx = db.begin().await.unwrap();
    for i in 0..node_count {
        sqlx::query("INSERT INTO bench_pool (node_id, taken) VALUES ($1, 0)")
            .bind(format!("nod_raw_{i:05}"))
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();

    // Tenants verified at the full level (64 nodes each) with money for their runway.
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
            .json(&json!({"amount": {"amount": "5000", "currency": "USD"}}))
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success());
        tenants.push((created.project.unwrap().id, created.session_token));
    }
    let tenants = Arc::new(tenants);

    println!(
        "allocation admission, embedded default (SQLite), {} clients, {} s per phase, {node_count} nodes, {tenant_count} tenants",
        run.clients, run.seconds
    );
    let next = Arc::new(AtomicU64::new(0));
    let raw = {
        let (db, next) = (db.clone(), next.clone());
        count_for(&run, run.clients, None, move || {
            let (db, next) = (db.clone(), next.clone());
            async move { raw_assign(&db, next.fetch_add(1, Ordering::Relaxed)).await }
        })
        .await
    };
    println!("  raw assign transaction        {raw:>9.0} /s");

    let latencies = Arc::new(Mutex::new(Vec::new()));
    let refused = Arc::new(AtomicU64::new(0));
    let api = {
        let (http, base, next, latencies, refused, tenants) = (
            http.clone(),
            base.clone(),
            next.clone(),
            latencies.clone(),
            refused.clone(),
            tenants.clone(),
        );
        count_for(&run, run.clients, None, move || {
            let (http, base, next, latencies, refused, tenants) = (
                http.clone(),
                base.clone(),
                next.clone(),
                latencies.clone(),
                refused.clone(),
                tenants.clone(),
            );
            async move {
                let n = next.fetch_add(1, Ordering::Relaxed) as usize;
                let (project, token) = &tenants[n % tenants.len()];
                let started = Instant::now();
                let response = http
                    .post(format!("{base}/v1/projects/{project}/allocations"))
                    .bearer_auth(token)
                    .json(&json!({"sku": "cpu-64c", "count": 1}))
                    .send()
                    .await
                    .unwrap();
                let created = response.status() == reqwest::StatusCode::CREATED;
                let body = response.text().await.unwrap_or_default();
                if created {
                    latencies.lock().unwrap().push(started.elapsed());
                } else if refused.fetch_add(1, Ordering::Relaxed) == 0 {
                    println!("  first refusal: {body}");
                }
                created
            }
        })
        .await
    };
    let mut latencies = latencies.lock().unwrap().clone();
    latencies.sort_unstable();
    let twice: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT node_id FROM alloc_nodes WHERE live = 1 GROUP BY node_id HAVING COUNT(*) > 1) d",
    )
    .fetch_one(db.reader())
    .await
    .unwrap();
    println!(
        "  HTTP create (1 node)          {api:>9.0} /s   ratio {:.2}   p50 {:.1} ms   p99 {:.1} ms   refused {}   nodes assigned twice {twice}",
        api / raw.max(1.0),
        percentile(&latencies, 0.50).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        refused.load(Ordering::Relaxed),
    );
    let _ = std::fs::remove_dir_all(&data_dir);
}
