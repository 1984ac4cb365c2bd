//! Inventory.Catalog speed on this machine: node→SKU matching of a 10,000-node fleet against 50
//! SKUs (pure model, wall time), and capacity / offer reads through HTTP on the embedded default
//! with a 2,000-node fleet, as a ratio to an axum hello-world measured in the same run.
//! `INGOT_BENCH_FLEET=N` makes both fleets N nodes.
//!
//! `cargo bench -p ingotd --bench catalog` runs it for real; under `cargo test` it only smoke-runs.

// A benchmark reports; it does not assert. Failures to set up are fatal.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

mod support;

use std::time::Instant;

use ingot_contracts::inventory::{Cpu, Disk, DiskKind, Gpu, HardwareFacts, Interconnect};
use ingot_inventory_catalog::model::{Sku, SkuConstraints, fleet_rematch};
use ingot_kernel::id::{NodeId, SkuId};
use serde_json::json;
use support::{Figure, Run, count_for, embedded_app_spawn, hello_world_rps, record, report_write};

const GPU_MODELS: [&str; 5] = [
    "H100-SXM5-80GB",
    "A100-SXM4-80GB",
    "L40S",
    "H200-SXM5-141GB",
    "B200",
];

/// 50 SKUs: 5 GPU models × GPU counts {1, 2, 4, 8} × two RAM tiers = 40, plus 10 CPU-only tiers.
fn skus() -> Vec<Sku> {
    let mut skus = Vec::new();
    for model in GPU_MODELS {
        for count in [1u32, 2, 4, 8] {
            for (tier, ram_gib) in [("std", 256u64), ("fat", 1024)] {
                skus.push(Sku {
                    id: SkuId::generate(),
                    name: format!("{model}-{count}x-{tier}").to_lowercase(),
                    description: String::new(),
                    active: true,
                    constraints: SkuConstraints {
                        gpu_model: Some(model.into()),
                        gpu_count: count,
                        cores_min: 16 * count,
                        ram_min_mib: ram_gib * 1024,
                        storage_min_gib: 1_000,
                        interconnect: (count == 8).then_some(Interconnect::Infiniband),
                    },
                });
            }
        }
    }
    for i in 1..=10u32 {
        skus.push(Sku {
            id: SkuId::generate(),
            name: format!("cpu-{}c", 16 * i),
            description: String::new(),
            active: true,
            constraints: SkuConstraints {
                gpu_model: None,
                gpu_count: 0,
                cores_min: 16 * i,
                ram_min_mib: u64::from(i) * 32 * 1024,
                storage_min_gib: 500,
                interconnect: None,
            },
        });
    }
    skus
}

/// A varied fleet, deterministic: GPU and CPU boxes of many sizes, some fitting nothing.
fn fleet(count: usize) -> Vec<(NodeId, HardwareFacts, Option<SkuId>)> {
    (0..count)
        .map(|i| {
            let gpus = match i % 6 {
                0 => Vec::new(),
                k => vec![Gpu {
                    model: GPU_MODELS[i % GPU_MODELS.len()].into(),
                    count: [1u32, 2, 4, 8, 8][k - 1],
                    memory_mib: 81_920,
                }],
            };
            let facts = HardwareFacts {
                cpu: Cpu {
                    model: "EPYC".into(),
                    sockets: 2,
                    cores: 16 * (1 + (i % 12) as u32),
                },
                ram_mib: (128 << (i % 4)) * 1024,
                gpus,
                nics: Vec::new(),
                disks: vec![Disk {
                    size_gib: 960 * (1 + (i % 8) as u64),
                    kind: DiskKind::Nvme,
                }],
                interconnects: if i.is_multiple_of(3) {
                    vec![Interconnect::Infiniband]
                } else {
                    Vec::new()
                },
            };
            (NodeId::generate(), facts, None)
        })
        .collect()
}

fn import_row(i: usize, site: &str) -> serde_json::Value {
    json!({
        "hostname": format!("bench-{i:05}"),
        "site": site,
        "state": "available",
        "facts": {
            "cpu": {"model": "EPYC", "sockets": 2, "cores": 128},
            "ram_mib": 2_097_152,
            "gpus": [{"model": if i.is_multiple_of(2) { "H100-SXM5-80GB" } else { "A100-SXM4-80GB" }, "count": 8, "memory_mib": 81_920}],
            "disks": [{"size_gib": 7_680, "kind": "nvme"}],
            "interconnects": ["infiniband"]
        }
    })
}

#[tokio::main]
async fn main() {
    let run = Run::from_args();
    let real = run.clients > 2;

    // Matching: pure model, the whole fleet at once (what a SKU change does).
    let (skus, fleet) = (skus(), fleet(support::fleet(if real { 10_000 } else { 1_000 })));
    let rounds = if real { 5 } else { 1 };
    let started = Instant::now();
    let mut moved = 0;
    for _ in 0..rounds {
        moved = fleet_rematch(&fleet, &skus).len();
    }
    let per_round = started.elapsed().as_secs_f64() / f64::from(rounds);

    // Capacity and offers through HTTP, against a fleet imported through the admin API.
    let hello_rps = hello_world_rps(&run).await;
    let (base, data_dir, admin_token) = embedded_app_spawn().await;
    let http = ingot_kernel::outbound::client_builder()
        .pool_max_idle_per_host(64)
        .build()
        .unwrap();
    let nodes = support::fleet(if real { 2_000 } else { 50 });
    for chunk in (0..nodes).collect::<Vec<_>>().chunks(500) {
        let rows: Vec<_> = chunk.iter().map(|i| import_row(*i, "demo1")).collect();
        let response = http
            .post(format!("{base}/v1/admin/nodes/import"))
            .bearer_auth(&admin_token)
            .json(&json!({ "nodes": rows }))
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "{}",
            response.text().await.unwrap()
        );
    }
    let capacity_rps = {
        let (http, url, token) = (http.clone(), format!("{base}/v1/capacity"), admin_token.clone());
        count_for(&run, run.clients, None, move || {
            let (http, url, token) = (http.clone(), url.clone(), token.clone());
            async move {
                http.get(&url)
                    .bearer_auth(&token)
                    .send()
                    .await
                    .is_ok_and(|r| r.status().is_success())
            }
        })
        .await
    };
    let offers_rps = {
        let (http, url) = (http.clone(), format!("{base}/v1/catalog/offers"));
        count_for(&run, run.clients, None, move || {
            let (http, url) = (http.clone(), url.clone());
            async move { http.get(&url).send().await.is_ok_and(|r| r.status().is_success()) }
        })
        .await
    };
    let _ = std::fs::remove_dir_all(&data_dir);

    println!(
        "catalog benchmark ({} s per phase, {} clients)",
        run.seconds, run.clients
    );
    println!(
        "  matching {} nodes × {} SKUs: {:.1} ms per fleet ({:.0} nodes/s), {moved} nodes matched",
        fleet.len(),
        skus.len(),
        per_round * 1e3,
        fleet.len() as f64 / per_round
    );
    println!("  axum hello-world:                      {hello_rps:.0} req/s (raw)");
    println!(
        "  GET /v1/capacity (operator token):     {capacity_rps:.0} req/s   ratio {:.2}",
        capacity_rps / hello_rps
    );
    println!(
        "  GET /v1/catalog/offers (public):       {offers_rps:.0} req/s   ratio {:.2}   ({nodes} nodes imported)",
        offers_rps / hello_rps
    );
    let load = format!("{} clients, {} s", run.clients, run.seconds);
    record(
        Figure::new(
            &format!("node→SKU matching against {} SKUs", skus.len()),
            "whole-fleet re-match",
            per_round * 1e3,
            "ms",
        )
        .fleet(fleet.len())
        .note(format!(
            "{:.0} nodes/s, {moved} nodes matched, mean of {rounds} rounds",
            fleet.len() as f64 / per_round
        )),
    );
    let scenario = "capacity and offer reads through HTTP";
    record(
        Figure::new(scenario, "GET /v1/capacity (operator token)", capacity_rps, "/s")
            .baseline("axum hello-world", hello_rps)
            .fleet(nodes)
            .note(load.clone()),
    );
    record(
        Figure::new(scenario, "GET /v1/catalog/offers (public)", offers_rps, "/s")
            .baseline("axum hello-world", hello_rps)
            .fleet(nodes)
            .note(load),
    );
    report_write();
}
