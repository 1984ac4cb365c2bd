//! Inventory.Catalog through HTTP: the public catalog and the demo seed, operator changes to
//! sites, SKUs, prices and nodes (all-or-nothing import, maintenance, quarantine), capacity that
//! follows Allocation's events, and who may see and do what.

use std::time::Duration;

use ingot_contracts::BoxFuture;
use ingot_contracts::allocation::{EvacuationError, NodeAssigned, NodeEvacuation, NodeReleased};
use ingot_contracts::iam::{PlatformRole, PlatformRolesRequest};
use ingot_contracts::inventory::{
    Cpu, Gpu, HardwareFacts, HealthAction, HealthCondition, InventoryForAllocation, NodeCommand,
    NodeRegistration, NodeRegistry, Placement,
};
use ingot_kernel::db::Backend;
use ingot_kernel::id::{AllocationId, NodeId, SiteId, TenantId};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::Row;

use super::{TestApp, allocation_says, http, send, spawn_app, spawn_app_with};

fn h100_facts() -> Value {
    json!({
        "cpu": {"model": "EPYC 9654", "sockets": 2, "cores": 192},
        "ram_mib": 2_097_152,
        "gpus": [{"model": "H100-SXM5-80GB", "count": 8, "memory_mib": 81_920}],
        "nics": [{"speed_gbps": 400}],
        "disks": [{"size_gib": 7_680, "kind": "nvme"}],
        "interconnects": ["infiniband"]
    })
}

fn cpu_facts() -> Value {
    json!({
        "cpu": {"model": "EPYC 9554", "sockets": 1, "cores": 64},
        "ram_mib": 393_216,
        "disks": [{"size_gib": 1_920, "kind": "nvme"}]
    })
}

/// An active site `fra1` and the SKUs `gpu-8x-h100` and `cpu-64c`, made through the admin API.
async fn catalog_built(app: &TestApp) -> (String, String) {
    let admin = Some(app.admin_token.as_str());
    let (status, site) = send(
        app,
        admin,
        "POST",
        "/v1/admin/sites",
        Some(json!({"name": "fra1", "region": "eu-central", "country": "DE", "status": "active"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{site}");
    let (status, h100) = send(
        app,
        admin,
        "POST",
        "/v1/admin/skus",
        Some(json!({"name": "gpu-8x-h100", "constraints": {"gpu_model": "H100-SXM5-80GB", "gpu_count": 8,
            "cores_min": 96, "ram_min_mib": 1_048_576, "storage_min_gib": 7_000, "interconnect": "infiniband"}})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{h100}");
    let (status, cpu) = send(
        app,
        admin,
        "POST",
        "/v1/admin/skus",
        Some(
            json!({"name": "cpu-64c", "constraints": {"cores_min": 64, "ram_min_mib": 262_144,
            "storage_min_gib": 1_800}}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{cpu}");
    (
        h100["sku"]["id"].as_str().unwrap().to_string(),
        cpu["sku"]["id"].as_str().unwrap().to_string(),
    )
}

async fn node_count(app: &TestApp) -> usize {
    let (status, page) = send(
        app,
        Some(&app.admin_token),
        "GET",
        "/v1/admin/nodes?limit=500",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"].as_array().unwrap().len()
}

async fn capacity_row(app: &TestApp, token: &str, sku: &str) -> Value {
    let (status, rows) = send(app, Some(token), "GET", "/v1/capacity", None).await;
    assert_eq!(status, StatusCode::OK, "{rows}");
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["sku"] == sku)
        .cloned()
        .unwrap_or(Value::Null)
}

async fn fresh_serve_shows_the_demo_catalog_to_anyone(backend: Backend) {
    let app = spawn_app(backend, |config| config.demo_catalog = Some(true)).await;
    let (status, skus) = send(&app, None, "GET", "/v1/catalog/skus", None).await;
    assert_eq!(status, StatusCode::OK);
    let mut names: Vec<&str> = skus
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["cpu-64c", "gpu-8x-a100", "gpu-8x-h100"]);
    let (status, offers) = send(&app, None, "GET", "/v1/catalog/offers", None).await;
    assert_eq!(status, StatusCode::OK);
    let h100 = offers
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["sku"] == "gpu-8x-h100")
        .unwrap();
    assert_eq!(h100["site"], "demo1");
    assert_eq!(
        h100["hourly_price"],
        json!({"amount": "19.920000", "currency": "USD"})
    );
    assert_eq!(h100["available"], 0, "no machines until a site onboards some");
    app.stop().await;
}

on_both_backends!(fresh_serve_shows_the_demo_catalog_to_anyone);

#[tokio::test]
async fn the_demo_catalog_is_seeded_once_and_only_where_asked() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    let (_, offers) = send(&app, None, "GET", "/v1/catalog/offers", None).await;
    assert_eq!(
        offers,
        json!([]),
        "a configured database gets no demo prices unless asked"
    );
    assert!(app.inventory.demo_catalog_seed().await.unwrap());
    assert!(
        !app.inventory.demo_catalog_seed().await.unwrap(),
        "a second seed changes nothing"
    );
    let (_, offers) = send(&app, None, "GET", "/v1/catalog/offers", None).await;
    assert_eq!(offers.as_array().unwrap().len(), 3);
    app.stop().await;
}

async fn import_is_all_or_nothing_and_prices_are_audited_events(backend: Backend) {
    let app = spawn_app(backend, |_| {}).await;
    let (h100_sku, _) = catalog_built(&app).await;
    let admin = Some(app.admin_token.as_str());

    let bad = json!({"nodes": [
        {"hostname": "fra1-n01", "site": "fra1", "state": "available", "facts": h100_facts()},
        {"hostname": "fra1-n02", "site": "nowhere", "facts": h100_facts()},
        {"hostname": "fra1-n01", "site": "fra1", "facts": cpu_facts()},
        {"hostname": "bad host", "site": "fra1", "state": "retired",
         "facts": {"cpu": {"model": "x", "sockets": 1, "cores": 0}, "ram_mib": 1}},
    ]});
    let (status, problem) = send(&app, admin, "POST", "/v1/admin/nodes/import", Some(bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "nodes[1].site",
            "nodes[2].hostname",
            "nodes[3].hostname",
            "nodes[3].state",
            "nodes[3].facts.cpu.cores"
        ]
    );
    assert_eq!(node_count(&app).await, 0, "one bad row imports nothing");

    let good = json!({"nodes": [
        {"hostname": "fra1-n01", "site": "fra1", "state": "available", "facts": h100_facts(),
         "placement": {"rack": "r01", "position": 1, "fabric_group": "ib-a"}},
        {"hostname": "fra1-n02", "site": "fra1", "state": "available", "facts": h100_facts()},
        {"hostname": "fra1-c01", "site": "fra1", "facts": cpu_facts()},
        {"hostname": "fra1-odd", "site": "fra1", "state": "available",
         "facts": {"cpu": {"model": "Xeon", "sockets": 1, "cores": 8}, "ram_mib": 16_384}},
    ]});
    let (status, report) = send(&app, admin, "POST", "/v1/admin/nodes/import", Some(good.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{report}");
    let imported = report["imported"].as_array().unwrap();
    assert_eq!(imported.len(), 4);
    assert_eq!(imported[0]["sku"], "gpu-8x-h100");
    assert_eq!(imported[0]["placement"]["fabric_group"], "ib-a");
    assert_eq!(imported[2]["sku"], "cpu-64c");
    assert_eq!(imported[2]["state"], "onboarding");
    assert_eq!(imported[3]["sku"], Value::Null);
    assert!(
        imported[3]["unmatched_reasons"][0]
            .as_str()
            .unwrap()
            .contains("cores"),
        "{}",
        imported[3]
    );
    let (status, again) = send(&app, admin, "POST", "/v1/admin/nodes/import", Some(good)).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "re-importing the same hosts is refused: {again}"
    );
    assert_eq!(node_count(&app).await, 4);

    let h100 = capacity_row(&app, &app.admin_token, "gpu-8x-h100").await;
    assert_eq!(
        (h100["total"].as_u64(), h100["available"].as_u64()),
        (Some(2), Some(2))
    );
    let cpu = capacity_row(&app, &app.admin_token, "cpu-64c").await;
    assert_eq!(cpu["onboarding"], 1);

    // A price: audited, an event for Billing, and on the public catalog with live availability.
    let (status, offer) = send(
        &app,
        admin,
        "PUT",
        &format!("/v1/admin/offers/{h100_sku}/fra1"),
        Some(json!({"hourly_price": {"amount": "24.50", "currency": "USD"}, "reason": "launch"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{offer}");
    let (_, offers) = send(&app, None, "GET", "/v1/catalog/offers", None).await;
    assert_eq!(
        offers,
        json!([{"sku_id": h100_sku, "sku": "gpu-8x-h100", "site_id": offer["site_id"], "site": "fra1",
            "hourly_price": {"amount": "24.500000", "currency": "USD"}, "available": 2}])
    );
    let events = sqlx::query("SELECT payload FROM kernel_outbox WHERE event_type = 'offer.price_changed'")
        .fetch_all(app.db.db.reader())
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    let payload: Value = serde_json::from_str(&events[0].get::<String, _>("payload")).unwrap();
    assert_eq!(payload["hourly_price"]["amount"], "24.500000");
    assert_eq!(payload["previous"], Value::Null);
    let audit = app.admin().audit_list(None, Some(100), None).await.unwrap();
    assert!(
        audit
            .items
            .iter()
            .any(|e| e.action == "inventory.offer.price_set"),
        "price changes are audited"
    );
    let registered =
        sqlx::query("SELECT COUNT(*) AS n FROM kernel_outbox WHERE event_type = 'node.registered'")
            .fetch_one(app.db.db.reader())
            .await
            .unwrap();
    assert_eq!(registered.get::<i64, _>("n"), 4);
    app.stop().await;
}

on_both_backends!(import_is_all_or_nothing_and_prices_are_audited_events);

#[tokio::test]
async fn sku_changes_rematch_the_fleet_and_report_what_moved() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    let (h100_sku, _) = catalog_built(&app).await;
    let admin = Some(app.admin_token.as_str());
    let import =
        json!({"nodes": [{"hostname": "n1", "site": "fra1", "state": "available", "facts": h100_facts()}]});
    let (status, _) = send(&app, admin, "POST", "/v1/admin/nodes/import", Some(import)).await;
    assert_eq!(status, StatusCode::CREATED);

    // A more demanding SKU the node also fits takes it; the report says so.
    let (status, report) = send(
        &app,
        admin,
        "POST",
        "/v1/admin/skus",
        Some(json!({"name": "gpu-8x-h100-fat", "constraints": {"gpu_model": "H100-SXM5-80GB", "gpu_count": 8,
            "cores_min": 96, "ram_min_mib": 2_097_152, "storage_min_gib": 7_000, "interconnect": "infiniband"}})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{report}");
    assert_eq!(
        report["moved"],
        json!([{"node_id": report["moved"][0]["node_id"], "hostname": "n1", "from": "gpu-8x-h100", "to": "gpu-8x-h100-fat"}])
    );
    let fat_sku = report["sku"]["id"].as_str().unwrap().to_string();

    // Retiring it moves the node back; an unknown SKU id is a 404.
    let (status, report) = send(
        &app,
        admin,
        "PATCH",
        &format!("/v1/admin/skus/{fat_sku}"),
        Some(json!({"active": false})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["moved"][0]["to"], "gpu-8x-h100");
    let (status, _) = send(
        &app,
        admin,
        "PATCH",
        &format!("/v1/admin/skus/{}", ingot_kernel::id::SkuId::generate()),
        Some(json!({"active": false})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Constraints that cannot describe a machine are refused, naming the field.
    let (status, problem) = send(&app, admin, "PATCH", &format!("/v1/admin/skus/{h100_sku}"),
        Some(json!({"constraints": {"gpu_model": "H100-SXM5-80GB", "gpu_count": 0, "cores_min": 1, "ram_min_mib": 1}}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "constraints.gpu_count");
    let moved = sqlx::query("SELECT COUNT(*) AS n FROM kernel_outbox WHERE event_type = 'node.sku_changed'")
        .fetch_one(app.db.db.reader())
        .await
        .unwrap();
    assert_eq!(moved.get::<i64, _>("n"), 2);
    app.stop().await;
}

async fn followed_until(app: &TestApp, node_id: NodeId, assigned: bool) {
    // The PostgreSQL outbox hands out events once every older transaction in the cluster has
    // finished (other tests run beside this one), so the consumer may need several passes.
    let mut tick = tokio::time::interval(Duration::from_millis(10));
    for _ in 0..1_000 {
        tick.tick().await;
        app.inventory.assignments_follow(100).await.unwrap();
        let (_, node) = send(
            app,
            Some(&app.admin_token),
            "GET",
            &format!("/v1/admin/nodes/{node_id}"),
            None,
        )
        .await;
        if node["assigned"] == assigned {
            return;
        }
    }
    panic!("node {node_id} never became assigned={assigned}");
}

async fn maintenance_respects_assignments(backend: Backend) {
    let app = spawn_app(backend, |_| {}).await;
    let (h100_sku, _) = catalog_built(&app).await;
    let admin = Some(app.admin_token.as_str());
    let import = json!({"nodes": [
        {"hostname": "n1", "site": "fra1", "state": "available", "facts": h100_facts()},
        {"hostname": "n2", "site": "fra1", "state": "available", "facts": h100_facts()},
    ]});
    let (_, report) = send(&app, admin, "POST", "/v1/admin/nodes/import", Some(import)).await;
    let n1: NodeId = report["imported"][0]["id"].as_str().unwrap().parse().unwrap();
    let site_id: SiteId = report["imported"][0]["site_id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let sku_id = h100_sku.parse().unwrap();
    assert_eq!(
        app.inventory
            .eligible_nodes(sku_id, site_id, None)
            .await
            .unwrap()
            .len(),
        2
    );

    let assignment = NodeAssigned {
        allocation_id: AllocationId::generate(),
        tenant_id: TenantId::generate(),
        node_id: n1,
    };
    allocation_says(&app, &assignment).await;
    followed_until(&app, n1, true).await;
    let eligible = app.inventory.eligible_nodes(sku_id, site_id, None).await.unwrap();
    assert_eq!(
        eligible.iter().map(|n| n.hostname.as_str()).collect::<Vec<_>>(),
        ["n2"]
    );
    let row = capacity_row(&app, &app.admin_token, "gpu-8x-h100").await;
    assert_eq!(
        (row["assigned"].as_u64(), row["available"].as_u64()),
        (Some(1), Some(1))
    );

    let path = format!("/v1/admin/nodes/{n1}/maintenance");
    let (status, problem) = send(&app, admin, "POST", &path, Some(json!({"enabled": true}))).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (StatusCode::CONFLICT, Some("node_assigned"))
    );
    let (status, problem) = send(
        &app,
        admin,
        "POST",
        &path,
        Some(json!({"enabled": true, "force": true})),
    )
    .await;
    // Forcing asks Allocation to end what the node serves; this assignment was announced by
    // the test, not admitted, so Allocation has nothing to end and maintenance starts.
    assert_eq!(status, StatusCode::OK, "{problem}");
    assert_eq!(problem["state"], "maintenance");
    let (status, back) = send(&app, admin, "POST", &path, Some(json!({"enabled": false}))).await;
    assert_eq!(
        (status, &back["state"]),
        (StatusCode::OK, &json!("available")),
        "{back}"
    );

    allocation_says(
        &app,
        &NodeReleased {
            allocation_id: assignment.allocation_id,
            tenant_id: assignment.tenant_id,
            node_id: n1,
            at: None,
        },
    )
    .await;
    followed_until(&app, n1, false).await;
    let (status, node) = send(
        &app,
        admin,
        "POST",
        &path,
        Some(json!({"enabled": true, "reason": "DIMM swap"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{node}");
    assert_eq!(node["state"], "maintenance");
    assert_eq!(node["health"][0]["kind"], "maintenance");
    assert_eq!(node["health"][0]["action"], "suppresses_alerting");
    let (status, again) = send(&app, admin, "POST", &path, Some(json!({"enabled": true}))).await;
    assert_eq!(
        (status, &again["state"]),
        (StatusCode::OK, &json!("maintenance")),
        "repeating is harmless"
    );
    let row = capacity_row(&app, &app.admin_token, "gpu-8x-h100").await;
    assert_eq!(
        (row["maintenance"].as_u64(), row["available"].as_u64()),
        (Some(1), Some(1))
    );

    // Quarantine from maintenance, then clearing it returns the node to service.
    let quarantine = format!("/v1/admin/nodes/{n1}/quarantine");
    let (status, node) = send(
        &app,
        admin,
        "POST",
        &quarantine,
        Some(json!({"enabled": true, "reason": "xid 79"})),
    )
    .await;
    assert_eq!((status, &node["state"]), (StatusCode::OK, &json!("quarantined")));
    let (status, problem) = send(&app, admin, "POST", &path, Some(json!({"enabled": false}))).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a quarantined node does not leave through maintenance: {problem}"
    );
    let (_, node) = send(&app, admin, "POST", &quarantine, Some(json!({"enabled": false}))).await;
    assert_eq!(node["state"], "available");
    assert_eq!(node["health"], json!([]));
    assert_eq!(
        app.inventory
            .eligible_nodes(sku_id, site_id, None)
            .await
            .unwrap()
            .len(),
        2
    );

    // Everything above is the node's history, newest first; tenants never read it.
    let (status, history) = send(&app, admin, "GET", &format!("/v1/admin/nodes/{n1}/history"), None).await;
    assert_eq!(status, StatusCode::OK, "{history}");
    let lines: Vec<(String, String)> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_string(),
                e["detail"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let kinds: Vec<&str> = lines.iter().map(|(kind, _)| kind.as_str()).rev().collect();
    assert_eq!(
        kinds,
        [
            "registered",
            "assigned",
            "state_changed",
            "state_changed",
            "freed",
            "state_changed",
            "state_changed",
            "state_changed"
        ],
        "{history}"
    );
    assert!(
        lines
            .iter()
            .any(|(_, d)| d.contains("available → maintenance") && d.contains("DIMM swap")),
        "{history}"
    );
    let assigned = history
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "assigned")
        .unwrap();
    assert_eq!(
        assigned["allocation_id"],
        json!(assignment.allocation_id.to_string())
    );
    let (tenant, _) = app.signed_up("tina").await;
    let err = tenant.node_history(n1).await.unwrap_err();
    assert_eq!(err.code(), Some("forbidden"), "{err:?}");
    app.stop().await;
}

on_both_backends!(maintenance_respects_assignments);

#[tokio::test]
async fn a_provisioning_system_registers_machines_idempotently() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    catalog_built(&app).await;
    let (_, sites) = send(&app, Some(&app.admin_token), "GET", "/v1/admin/sites", None).await;
    let site_id: SiteId = sites[0]["id"].as_str().unwrap().parse().unwrap();
    let facts = HardwareFacts {
        cpu: Cpu {
            model: "EPYC 9554".into(),
            sockets: 1,
            cores: 64,
        },
        ram_mib: 393_216,
        gpus: Vec::new(),
        nics: Vec::new(),
        disks: vec![ingot_contracts::inventory::Disk {
            size_gib: 1_920,
            kind: ingot_contracts::inventory::DiskKind::Nvme,
        }],
        interconnects: Vec::new(),
    };
    let registration = NodeRegistration {
        site_id,
        source_ref: "machine-abc".into(),
        hostname: "m1".into(),
        facts: facts.clone(),
        placement: Placement::default(),
    };
    let id = app.inventory.node_register(registration.clone()).await.unwrap();
    let (_, node) = send(
        &app,
        Some(&app.admin_token),
        "GET",
        &format!("/v1/admin/nodes/{id}"),
        None,
    )
    .await;
    assert_eq!(
        (node["sku"].as_str(), node["state"].as_str()),
        (Some("cpu-64c"), Some("onboarding"))
    );

    // Commissioned: sellable. A reported fault that prevents allocation takes it out of the
    // available count (and out of eligibility) until it clears; the lifecycle state stays.
    let state = app
        .inventory
        .node_command(id, NodeCommand::OnboardingComplete, "commissioned".into())
        .await
        .unwrap();
    assert_eq!(state, ingot_contracts::inventory::NodeState::Available);
    let cpu = capacity_row(&app, &app.admin_token, "cpu-64c").await;
    assert_eq!(
        (cpu["available"].as_u64(), cpu["maintenance"].as_u64()),
        (Some(1), Some(0))
    );
    let fault = HealthCondition {
        kind: "disk_smart_failure".into(),
        action: HealthAction::PreventsAllocation,
        source: "provisioning".into(),
        since: ingot_kernel::Clock::now(&app.clock),
        detail: Some("nvme0 reallocated sectors".into()),
    };
    app.inventory.node_health_raise(id, fault).await.unwrap();
    let cpu = capacity_row(&app, &app.admin_token, "cpu-64c").await;
    assert_eq!(
        (cpu["available"].as_u64(), cpu["maintenance"].as_u64()),
        (Some(0), Some(1))
    );
    let cpu_sku = node["sku_id"].as_str().unwrap().parse().unwrap();
    assert!(
        app.inventory
            .eligible_nodes(cpu_sku, site_id, None)
            .await
            .unwrap()
            .is_empty()
    );
    app.inventory
        .node_health_clear(id, "disk_smart_failure")
        .await
        .unwrap();
    let cpu = capacity_row(&app, &app.admin_token, "cpu-64c").await;
    assert_eq!(cpu["available"], 1);

    // The same machine, re-commissioned with GPUs fitted: same node, new SKU (here: none fits).
    let upgraded = NodeRegistration {
        facts: HardwareFacts {
            gpus: vec![Gpu {
                model: "L40S".into(),
                count: 4,
                memory_mib: 49_152,
            }],
            ..facts
        },
        ..registration
    };
    assert_eq!(app.inventory.node_register(upgraded).await.unwrap(), id);
    let (_, node) = send(
        &app,
        Some(&app.admin_token),
        "GET",
        &format!("/v1/admin/nodes/{id}"),
        None,
    )
    .await;
    assert_eq!(node["sku"], Value::Null);
    assert_eq!(node_count(&app).await, 1);
    app.stop().await;
}

#[tokio::test]
async fn tenants_read_the_catalog_but_never_node_details() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    let (h100_sku, _) = catalog_built(&app).await;
    let admin = Some(app.admin_token.as_str());
    let import =
        json!({"nodes": [{"hostname": "n1", "site": "fra1", "state": "available", "facts": h100_facts()}]});
    let (_, report) = send(
        &app,
        admin,
        "POST",
        "/v1/admin/nodes/import",
        Some(import.clone()),
    )
    .await;
    let node_id = report["imported"][0]["id"].as_str().unwrap().to_string();
    let (_, owner) = app.signed_up("owner").await;
    let tenant = Some(owner.session_token.as_str());

    // The public catalog and tenant-sized capacity: yes.
    let (status, _) = send(&app, tenant, "GET", "/v1/catalog/skus", None).await;
    assert_eq!(status, StatusCode::OK);
    let row = capacity_row(&app, &owner.session_token, "gpu-8x-h100").await;
    assert_eq!(row["available"], 1);
    assert!(
        row.get("maintenance").is_none() && row.get("unmatched").is_none(),
        "{row}"
    );
    let (status, _) = send(&app, None, "GET", "/v1/capacity", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Node details and every operator action: no, and nothing changes.
    let refused = [
        ("GET", "/v1/admin/nodes".to_string(), None),
        ("GET", format!("/v1/admin/nodes/{node_id}"), None),
        ("GET", "/v1/admin/sites".to_string(), None),
        ("GET", "/v1/admin/skus".to_string(), None),
        ("GET", "/v1/capacity/history".to_string(), None),
        (
            "POST",
            format!("/v1/admin/nodes/{node_id}/maintenance"),
            Some(json!({"enabled": true})),
        ),
        (
            "POST",
            format!("/v1/admin/nodes/{node_id}/quarantine"),
            Some(json!({"enabled": true})),
        ),
        (
            "POST",
            "/v1/admin/nodes/import".to_string(),
            Some(json!({"nodes": []})),
        ),
        (
            "POST",
            "/v1/admin/sites".to_string(),
            Some(json!({"name": "x1", "region": "r", "country": "DE"})),
        ),
        (
            "POST",
            "/v1/admin/skus".to_string(),
            Some(json!({"name": "x", "constraints": {"cores_min": 1, "ram_min_mib": 1}})),
        ),
        (
            "PATCH",
            format!("/v1/admin/skus/{h100_sku}"),
            Some(json!({"active": false})),
        ),
        (
            "PUT",
            format!("/v1/admin/offers/{h100_sku}/fra1"),
            Some(json!({"hourly_price": {"amount": "0.01", "currency": "USD"}})),
        ),
    ];
    for (method, path, body) in &refused {
        let (status, problem) = send(&app, tenant, method, path, body.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}: {problem}");
        let (status, _) = send(&app, None, method, path, body.clone()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "anonymous {method} {path}");
    }
    let (_, node) = send(&app, admin, "GET", &format!("/v1/admin/nodes/{node_id}"), None).await;
    assert_eq!(node["state"], "available");
    let (_, offers) = send(&app, None, "GET", "/v1/catalog/offers", None).await;
    assert_eq!(offers, json!([]));

    // Finance sets prices but does not touch machines.
    let (_, created) = app.signed_up("finance").await;
    app.admin()
        .platform_roles_set(
            created.user.id,
            &PlatformRolesRequest {
                platform_roles: vec![PlatformRole::Finance],
            },
        )
        .await
        .unwrap();
    let finance_token = created.session_token.clone();
    let (status, _) = send(
        &app,
        Some(&finance_token),
        "PUT",
        &format!("/v1/admin/offers/{h100_sku}/fra1"),
        Some(json!({"hourly_price": {"amount": "20", "currency": "USD"}})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = send(
        &app,
        Some(&finance_token),
        "POST",
        &format!("/v1/admin/nodes/{node_id}/maintenance"),
        Some(json!({"enabled": true})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    app.stop().await;
}

#[tokio::test]
async fn bad_input_is_refused_clearly_and_changes_nothing() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    let (h100_sku, _) = catalog_built(&app).await;
    let admin = Some(app.admin_token.as_str());
    let raw = |body: &'static str| {
        http()
            .post(format!("{}/v1/admin/nodes/import", app.url))
            .bearer_auth(&app.admin_token)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let response = raw("{\"nodes\": [").await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = raw("{\"nodes\": [{\"hostname\": 7}]}").await.unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = send(
        &app,
        admin,
        "GET",
        &format!("/v1/admin/nodes/{}", NodeId::generate()),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = send(&app, admin, "GET", "/v1/admin/nodes/not-an-id", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no node can have a malformed id");
    let (status, _) = send(
        &app,
        admin,
        "PUT",
        &format!("/v1/admin/offers/{h100_sku}/nowhere"),
        Some(json!({"hourly_price": {"amount": "1", "currency": "USD"}})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, problem) = send(
        &app,
        admin,
        "PUT",
        &format!("/v1/admin/offers/{h100_sku}/fra1"),
        Some(json!({"hourly_price": {"amount": "-1", "currency": "USD"}})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let (status, _) = send(
        &app,
        admin,
        "PUT",
        &format!("/v1/admin/offers/{h100_sku}/fra1"),
        Some(json!({"hourly_price": {"amount": 1.5, "currency": "USD"}})),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a float price is refused"
    );
    let (status, problem) = send(
        &app,
        admin,
        "POST",
        "/v1/admin/sites",
        Some(json!({"name": "Bad Name", "region": "", "country": "Germany"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"].as_array().unwrap().len(), 3, "{problem}");
    let (status, _) = send(
        &app,
        admin,
        "POST",
        "/v1/admin/sites",
        Some(json!({"name": "fra1", "region": "eu", "country": "DE"})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "site names are unique");
    let (status, _) = send(&app, admin, "GET", "/v1/admin/nodes?state=melted", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = send(&app, admin, "GET", "/v1/admin/nodes?site=nowhere", None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(node_count(&app).await, 0);
    let (_, offers) = send(&app, None, "GET", "/v1/catalog/offers", None).await;
    assert_eq!(offers, json!([]));
    app.stop().await;
}

/// Stands in for Allocation: records what it was asked to evacuate and says yes.
#[derive(Default)]
struct EvacuationLog(std::sync::Mutex<Vec<(NodeId, String)>>);

impl NodeEvacuation for EvacuationLog {
    fn node_evacuate<'a>(
        &'a self,
        node_id: NodeId,
        reason: &'a str,
    ) -> BoxFuture<'a, Result<(), EvacuationError>> {
        self.0.lock().unwrap().push((node_id, reason.to_string()));
        Box::pin(async { Ok(()) })
    }
}

#[tokio::test]
async fn forced_maintenance_asks_allocation_to_evacuate_first() {
    let evacuations = std::sync::Arc::new(EvacuationLog::default());
    let app = spawn_app_with(
        Backend::Sqlite,
        |_| {},
        |seams| seams.node_evacuation = Some(evacuations.clone()),
    )
    .await;
    catalog_built(&app).await;
    let admin = Some(app.admin_token.as_str());
    let import =
        json!({"nodes": [{"hostname": "n1", "site": "fra1", "state": "available", "facts": h100_facts()}]});
    let (_, report) = send(&app, admin, "POST", "/v1/admin/nodes/import", Some(import)).await;
    let n1: NodeId = report["imported"][0]["id"].as_str().unwrap().parse().unwrap();
    allocation_says(
        &app,
        &NodeAssigned {
            allocation_id: AllocationId::generate(),
            tenant_id: TenantId::generate(),
            node_id: n1,
        },
    )
    .await;
    followed_until(&app, n1, true).await;

    let path = format!("/v1/admin/nodes/{n1}/maintenance");
    let (status, _) = send(&app, admin, "POST", &path, Some(json!({"enabled": true}))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        evacuations.0.lock().unwrap().is_empty(),
        "without force, Allocation is not asked"
    );
    let (status, node) = send(
        &app,
        admin,
        "POST",
        &path,
        Some(json!({"enabled": true, "force": true, "reason": "PSU"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{node}");
    assert_eq!(node["state"], "maintenance");
    assert_eq!(*evacuations.0.lock().unwrap(), [(n1, "PSU".to_string())]);
    app.stop().await;
}

#[tokio::test]
async fn capacity_history_defaults_to_the_last_day() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    catalog_built(&app).await;
    let admin = Some(app.admin_token.as_str());
    let import =
        json!({"nodes": [{"hostname": "n1", "site": "fra1", "state": "available", "facts": h100_facts()}]});
    send(&app, admin, "POST", "/v1/admin/nodes/import", Some(import)).await;
    app.inventory.capacity_snapshot().await.unwrap();
    let (status, history) = send(&app, admin, "GET", "/v1/capacity/history", None).await;
    assert_eq!(status, StatusCode::OK, "{history}");
    let points = history.as_array().unwrap();
    assert_eq!(points.len(), 1, "{history}");
    assert_eq!(points[0]["available"], 1);
    app.clock.advance(Duration::from_secs(2 * 86_400));
    let (_, history) = send(&app, admin, "GET", "/v1/capacity/history", None).await;
    assert_eq!(
        history,
        json!([]),
        "two days later the snapshot is outside the default window"
    );
    app.stop().await;
}
