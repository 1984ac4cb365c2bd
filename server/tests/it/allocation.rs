//! Provisioning.Allocation through ingotd: the first end-to-end cloud (sign up → credit →
//! allocate → active with IPs → usage → release → erase → statement), balance exhaustion,
//! deploy failures and their replacement, the admission's refusals, and operators' quotas.

use std::time::Duration;

use ingot_contracts::iam::KycLevel;
use ingot_kernel::db::Backend;
use ingot_kernel::id::{ProjectId, TenantId};
use ingot_kernel::{Clock, Timestamp};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::maas::{events, onboarded, pass, slow_controllers};
use super::{TestApp, kyc_verified, send, send_with, spawn_app};

pub(super) const KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOEeEcVR5yZKMAll6vRqnmUb5PPaibQTqlFojrZK0LFE alice@laptop";

pub(super) fn usd(amount: &str) -> Value {
    json!({"amount": amount, "currency": "USD"})
}

pub(super) fn micros(v: &Value) -> i64 {
    ingot_kernel::money::Money::parse(v["amount"].as_str().unwrap(), ingot_kernel::money::Currency::USD)
        .unwrap()
        .micros()
}

/// Every controller's step, once, in the order the flow needs them: Inventory counts
/// assignments, MAAS follows requests and drives machines, Allocation follows MAAS's reports,
/// Billing meters.
pub(super) async fn drive(app: &TestApp) {
    for _ in 0..2 {
        app.inventory.assignments_follow(500).await.unwrap();
        pass(app).await;
        app.allocation.events_follow(500).await.unwrap();
        app.allocation.attention_pass().await.unwrap();
        app.inventory.assignments_follow(500).await.unwrap();
        app.billing.usage_follow(500).await.unwrap();
    }
}

/// Drives until the allocation shows what `done` wants. On PostgreSQL an event becomes visible
/// to followers only once every older transaction in the cluster has ended, so under a busy
/// test run a report may need a few more passes (in real time, not simulated time) to arrive.
/// A request that arrived late also starts late on the simulated region, so each further try
/// moves its clock on a little too.
pub(super) async fn drive_until(
    app: &TestApp,
    token: &str,
    id: &str,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let mut tick = tokio::time::interval(Duration::from_millis(50));
    for _ in 0..200 {
        drive(app).await;
        let view = show(app, token, id).await;
        if done(&view) {
            return view;
        }
        tick.tick().await;
        app.clock.advance(Duration::from_secs(20));
    }
    panic!("the allocation never got there: {}", show(app, token, id).await);
}

pub(super) fn config(config: &mut ingotd::config::Config) {
    slow_controllers(config);
    config.billing_test_provider = Some(true);
    config.billing_rating_interval = Duration::from_secs(3_600);
    config.allocation_lifecycle_interval = Duration::from_secs(600);
}

/// A signed-up tenant, verified at `level`, with `top_up` on its balance.
pub(super) struct Tenant {
    pub(super) tenant: TenantId,
    pub(super) project: ProjectId,
    pub(super) token: String,
}

pub(super) async fn tenant(app: &TestApp, name: &str, level: KycLevel, top_up: &str) -> Tenant {
    let (client, created) = app.signed_up(name).await;
    let tenant = created.tenant.as_ref().unwrap().id;
    kyc_verified(app, &client, tenant, level).await;
    let (status, paid) = send_with(
        app,
        Some(&created.session_token),
        "POST",
        &format!("/v1/tenants/{tenant}/top-ups"),
        Some(json!({"amount": usd(top_up)})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{paid}");
    Tenant {
        tenant,
        project: created.project.as_ref().unwrap().id,
        token: created.session_token,
    }
}

async fn available(app: &TestApp, sku: &str) -> i64 {
    let (_, offers) = send_with(app, None, "GET", "/v1/catalog/offers", None, None).await;
    offers
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["sku"] == sku)
        .map(|o| o["available"].as_i64().unwrap())
        .sum()
}

/// Drives until the catalog offers `want` nodes of `sku` (see [`drive_until`] on PostgreSQL).
async fn available_becomes(app: &TestApp, sku: &str, want: i64) {
    let mut tick = tokio::time::interval(Duration::from_millis(50));
    for _ in 0..200 {
        if available(app, sku).await == want {
            return;
        }
        drive(app).await;
        tick.tick().await;
        app.clock.advance(Duration::from_secs(20));
    }
    panic!("{sku}: {} available, {want} expected", available(app, sku).await);
}

async fn show(app: &TestApp, token: &str, id: &str) -> Value {
    let (status, view) = send_with(
        app,
        Some(token),
        "GET",
        &format!("/v1/allocations/{id}"),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    view
}

fn ts(v: &Value) -> Timestamp {
    v.as_str().unwrap().parse().unwrap()
}

async fn the_first_cloud_end_to_end(backend: Backend) {
    let app = spawn_app(backend, config).await;
    // 8 machines: 2 H100 boxes, 2 A100 boxes, 4 CPU servers.
    let (_sim, _) = onboarded(&app, 8, json!({"erase_on_release": "quick"})).await;
    assert_eq!(available(&app, "cpu-64c").await, 4);
    let alice = tenant(&app, "alice", KycLevel::Basic, "500").await;
    let bob = tenant(&app, "bob", KycLevel::Basic, "500").await;
    let path = format!("/v1/projects/{}/allocations", alice.project);
    let ask = json!({
        "sku": "cpu-64c", "count": 2, "ssh_keys": [KEY],
        "user_data": "#cloud-config\nruncmd: [echo hi]\n"
    });

    // A dry run that would be refused names every reason, and assigns nothing.
    let (status, dry) = send_with(
        &app,
        Some(&alice.token),
        "POST",
        &path,
        Some(json!({"sku": "cpu-64c", "count": 5, "placement": "same_fabric", "dry_run": true})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{dry}");
    assert_eq!(dry["admitted"], false);
    let reasons: Vec<&str> = dry["refusals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons, ["kyc_node_limit", "capacity", "placement"], "{dry}");
    let (status, dry) = send_with(
        &app,
        Some(&alice.token),
        "POST",
        &path,
        Some(json!({"sku": "cpu-64c", "count": 2, "dry_run": true})),
        None,
    )
    .await;
    assert_eq!(
        (status, &dry["admitted"]),
        (StatusCode::OK, &json!(true)),
        "{dry}"
    );
    assert_eq!(available(&app, "cpu-64c").await, 4, "a dry run assigns nothing");

    // Refusals answer their own code; the first decides, all are listed.
    let (status, refused) = send_with(
        &app,
        Some(&alice.token),
        "POST",
        &path,
        Some(json!({"sku": "gpu-8x-h100", "count": 1})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    assert_eq!(refused["code"], "kyc_limit");
    assert_eq!(refused["errors"][0]["field"], "kyc_sku");

    // Another tenant cannot allocate in alice's project (it does not exist for bob).
    let (status, _) = send_with(&app, Some(&bob.token), "POST", &path, Some(ask.clone()), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, created) = send_with(
        &app,
        Some(&alice.token),
        "POST",
        &path,
        Some(ask.clone()),
        Some("alloc-1"),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["state"], "provisioning");
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(created["nodes"].as_array().unwrap().len(), 2);
    let (status, replay) = send_with(
        &app,
        Some(&alice.token),
        "POST",
        &path,
        Some(ask.clone()),
        Some("alloc-1"),
    )
    .await;
    assert_eq!(
        (status, &replay["id"]),
        (StatusCode::CREATED, &created["id"]),
        "a retried create lands once"
    );
    let (_, list) = send_with(&app, Some(&alice.token), "GET", &path, None, None).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");
    for (method, suffix, body) in [
        ("GET", "", None),
        ("POST", "/release", Some(json!({}))),
        ("POST", "/extend", Some(json!({"release_at": null}))),
    ] {
        let (status, _) = send_with(
            &app,
            Some(&bob.token),
            method,
            &format!("/v1/allocations/{id}{suffix}"),
            body,
            None,
        )
        .await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "{method} {suffix}: another tenant's allocation does not exist for bob"
        );
    }
    let (status, _) = send_with(
        &app,
        Some(&bob.token),
        "GET",
        &format!("/v1/projects/{}/allocations", alice.project),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The machines deploy (12 simulated minutes) with alice's keys and user-data.
    drive(&app).await;
    available_becomes(&app, "cpu-64c", 2).await;
    app.clock.advance(Duration::from_secs(13 * 60));
    let active = drive_until(&app, &alice.token, &id, |v| v["state"] != "provisioning").await;
    assert_eq!(active["state"], "active", "{active}");
    let mut deployed_at = Vec::new();
    for node in active["nodes"].as_array().unwrap() {
        assert_eq!(node["state"], "active");
        let ip = node["ip_addresses"][0].as_str().unwrap();
        assert_eq!(node["ssh_command"], format!("ssh ubuntu@{ip}"));
        assert_eq!(node["handover"]["image"], "jammy");
        assert_eq!(
            node["handover"]["billing_started_at"],
            node["handover"]["deployed_at"]
        );
        assert!(
            node["handover"].get("previous_erasure").is_none(),
            "first tenant of the node"
        );
        deployed_at.push(ts(&node["handover"]["deployed_at"]));
    }
    let states: Vec<&str> = active["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["pending", "provisioning", "active"]);
    let user_data: Vec<String> = sqlx::query_scalar(
        "SELECT payload FROM kernel_outbox WHERE event_type = 'allocation.node_deploy_requested'",
    )
    .fetch_all(app.db.db.reader())
    .await
    .unwrap();
    assert!(
        user_data.iter().all(|p| !p.contains("runcmd")),
        "user-data travels sealed"
    );

    // Usage accrues for an hour; then alice releases.
    app.clock.advance(Duration::from_secs(3_600));
    drive(&app).await;
    let (status, released) = send_with(
        &app,
        Some(&alice.token),
        "POST",
        &format!("/v1/allocations/{id}/release"),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{released}");
    assert_eq!(released["state"], "releasing");
    let stopped_at = app.clock.now();
    let (status, again) = send_with(
        &app,
        Some(&alice.token),
        "POST",
        &format!("/v1/allocations/{id}/release"),
        None,
        None,
    )
    .await;
    assert_eq!(
        (status, &again["code"]),
        (StatusCode::CONFLICT, &json!("allocation_ended"))
    );
    drive(&app).await;
    assert_eq!(
        available(&app, "cpu-64c").await,
        2,
        "not available before the erase completes"
    );
    app.clock.advance(Duration::from_secs(4 * 60));
    let done = drive_until(&app, &alice.token, &id, |v| v["state"] != "releasing").await;
    assert_eq!(done["state"], "released", "{done}");
    available_becomes(&app, "cpu-64c", 4).await; // erased and free again
    assert_eq!(events(&app, "allocation.ended").await.len(), 1);

    // The next tenant's handover names the erase that preceded it.
    let bob_path = format!("/v1/projects/{}/allocations", bob.project);
    let (status, next) = send_with(
        &app,
        Some(&bob.token),
        "POST",
        &bob_path,
        Some(json!({"sku": "cpu-64c", "count": 4})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{next}");
    let erased: Vec<&Value> = next["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["handover"].get("previous_erasure"))
        .collect();
    assert_eq!(erased.len(), 2, "{next}");
    assert!(erased.iter().all(|e| e["erase"] == "quick"));

    // The statement bills exactly the seconds from deploy-complete to release, per node.
    app.billing.rate_due().await.unwrap();
    let month = stopped_at.to_string()[..7].to_string();
    let (status, statement) = send_with(
        &app,
        Some(&alice.token),
        "GET",
        &format!("/v1/tenants/{}/statements/{month}", alice.tenant),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{statement}");
    // (seconds, amount) per node: the amount is exact to the micro-unit (rounded down), the
    // seconds it covers rounded to the nearest.
    let mut billed: Vec<(i64, i64)> = statement["usage"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["seconds"].as_i64().unwrap(), micros(&l["amount"])))
        .collect();
    billed.sort_unstable();
    let mut expected: Vec<(i64, i64)> = deployed_at
        .iter()
        .map(|d| {
            let used = i128::from(stopped_at.as_micros() - d.as_micros());
            let seconds = (used + 500_000) / 1_000_000;
            let amount = used * 1_200_000 / 3_600_000_000;
            (i64::try_from(seconds).unwrap(), i64::try_from(amount).unwrap())
        })
        .collect();
    expected.sort_unstable();
    assert_eq!(billed, expected, "{statement}");
    assert!(micros(&statement["usage_total"]) > 0);
    let (_, verify) = send_with(
        &app,
        Some(&app.admin_token),
        "GET",
        "/v1/admin/ledger/verify",
        None,
        None,
    )
    .await;
    assert_eq!(verify["ok"], true, "{verify}");
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM iam_audit_events WHERE action IN ('allocation.create', 'allocation.release')",
    )
    .fetch_one(app.db.db.reader())
    .await
    .unwrap();
    assert_eq!(audited, 3);
    app.stop().await;
}

#[tokio::test]
async fn the_first_cloud_end_to_end_on_sqlite() {
    the_first_cloud_end_to_end(Backend::Sqlite).await;
}

#[tokio::test]
async fn the_first_cloud_end_to_end_on_postgres() {
    the_first_cloud_end_to_end(Backend::Postgres).await;
}

async fn node_of(app: &TestApp, view: &Value) -> (String, String) {
    let node = view["nodes"].as_array().unwrap().last().unwrap()["node_id"]
        .as_str()
        .unwrap()
        .to_string();
    let system_id: String = sqlx::query_scalar("SELECT system_id FROM maas_machines WHERE node_id = $1")
        .bind(&node)
        .fetch_one(app.db.db.reader())
        .await
        .unwrap();
    (node, system_id)
}

async fn a_failed_deploy_is_replaced_and_past_the_limit_the_allocation_fails(backend: Backend) {
    let app = spawn_app(backend, |c| {
        config(c);
        c.allocation_replacements_max = 1;
    })
    .await;
    let (sim, machines) = onboarded(&app, 8, json!({"erase_on_release": "quick"})).await;
    let alice = tenant(&app, "alice", KycLevel::Basic, "500").await;
    let path = format!("/v1/projects/{}/allocations", alice.project);
    let (status, created) = send_with(
        &app,
        Some(&alice.token),
        "POST",
        &path,
        Some(json!({"sku": "cpu-64c", "count": 1})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    let (first, first_system) = node_of(&app, &created).await;
    sim.faults_set(|f| f.deploy_fails = vec![first_system.clone()]);
    drive(&app).await;
    app.clock.advance(Duration::from_secs(13 * 60));
    let replaced = drive_until(&app, &alice.token, &id, |v| {
        v["replacements"] != 0 || v["state"] != "provisioning"
    })
    .await;
    assert_eq!(replaced["replacements"], 1, "{replaced}");
    assert_eq!(replaced["state"], "provisioning");
    let nodes = replaced["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 2);
    assert_eq!(nodes[0]["node_id"], first.as_str());
    assert_eq!(nodes[0]["state"], "releasing", "the failed node is given back");
    assert!(nodes[0]["reason"].as_str().unwrap().contains("deploy failed"));
    app.clock.advance(Duration::from_secs(13 * 60));
    let active = drive_until(&app, &alice.token, &id, |v| {
        v["state"] != "provisioning" && v["nodes"][0]["state"] == "released"
    })
    .await;
    assert_eq!(active["state"], "active", "{active}");
    let nodes = active["nodes"].as_array().unwrap();
    assert_eq!(
        (nodes[0]["state"].as_str(), nodes[1]["state"].as_str()),
        (Some("released"), Some("active"))
    );
    let metered = events(&app, "allocation.node_metering_started").await;
    assert_eq!(metered.len(), 1, "only the deployed node is metered");
    assert_eq!(metered[0]["node_id"], nodes[1]["node_id"]);

    // Every CPU machine now fails: the replacement fails too, and the allocation fails and
    // gives back what it held, never billed.
    let cpu_systems: Vec<String> = machines.iter().map(|(_, s)| s.clone()).collect();
    sim.faults_set(|f| f.deploy_fails = cpu_systems.clone());
    let (status, doomed) = send_with(
        &app,
        Some(&alice.token),
        "POST",
        &path,
        Some(json!({"sku": "cpu-64c", "count": 1})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{doomed}");
    let doomed_id = doomed["id"].as_str().unwrap().to_string();
    // Deploy, fail, replace, deploy, fail, release: each step's report may need a pass or two.
    let mut failed = Value::Null;
    for _ in 0..8 {
        failed = drive_until(&app, &alice.token, &doomed_id, |_| true).await;
        if failed["state"] == "failed" {
            break;
        }
        app.clock.advance(Duration::from_secs(13 * 60));
    }
    assert_eq!(failed["state"], "failed", "{failed}");
    assert_eq!(failed["replacements"], 1);
    assert!(
        failed["reason"].as_str().unwrap().contains("failed to deploy"),
        "{failed}"
    );
    assert!(
        failed["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["state"] == "released" && n["handover"].get("billing_started_at").is_none())
    );
    let metered = events(&app, "allocation.node_metering_started").await;
    assert!(
        metered.iter().all(|m| m["allocation_id"] != doomed_id.as_str()),
        "nothing billed for nodes never deployed"
    );
    let funded: i64 = sqlx::query_scalar("SELECT funding_released FROM alloc_allocations WHERE id = $1")
        .bind(&doomed_id)
        .fetch_one(app.db.db.reader())
        .await
        .unwrap();
    assert_eq!(funded, 1, "Billing was told to release its runway");
    app.stop().await;
}

#[tokio::test]
async fn a_failed_deploy_is_replaced_and_past_the_limit_the_allocation_fails_on_sqlite() {
    a_failed_deploy_is_replaced_and_past_the_limit_the_allocation_fails(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_failed_deploy_is_replaced_and_past_the_limit_the_allocation_fails_on_postgres() {
    a_failed_deploy_is_replaced_and_past_the_limit_the_allocation_fails(Backend::Postgres).await;
}

async fn balance_exhaustion_force_releases_after_grace(backend: Backend) {
    let app = spawn_app(backend, |c| {
        config(c);
        c.billing_runway_hours = 1;
        // The loop below moves the clock 15 minutes a step: Operations counts over an hour.
        c.alerts_window = Duration::from_secs(3_600);
    })
    .await;
    onboarded(&app, 8, json!({"erase_on_release": "quick"})).await;
    // 2 nodes at 1.20/h: 3.00 lasts 75 minutes.
    let alice = tenant(&app, "alice", KycLevel::Basic, "3").await;
    let path = format!("/v1/projects/{}/allocations", alice.project);
    let (status, created) = send_with(
        &app,
        Some(&alice.token),
        "POST",
        &path,
        Some(json!({"sku": "cpu-64c", "count": 2})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    drive(&app).await;
    app.clock.advance(Duration::from_secs(13 * 60));
    drive_until(&app, &alice.token, &id, |v| v["state"] == "active").await;
    let mut view = Value::Null;
    for _ in 0..12 {
        app.clock.advance(Duration::from_secs(15 * 60));
        app.billing.rate_due().await.unwrap();
        app.billing.balance_watch().await.unwrap();
        drive(&app).await;
        view = show(&app, &alice.token, &id).await;
        if view["state"] != "active" {
            break;
        }
    }
    assert_eq!(view["state"], "releasing", "{view}");
    assert!(
        view["reason"].as_str().unwrap().starts_with("balance exhausted"),
        "{view}"
    );
    let exhausted = events(&app, "billing.balance_exhausted").await;
    assert_eq!(exhausted.len(), 1);
    // Operations sees it: Billing's signal counts the tenant whose allocation ran dry.
    let signals: Vec<_> = app
        .operations
        .signals_read()
        .await
        .into_iter()
        .flat_map(|(_, answer)| answer.unwrap())
        .filter(|s| s.name == "billing.balances_exhausted")
        .collect();
    assert_eq!(signals.len(), 1, "{signals:?}");
    assert_eq!(signals[0].value, 1.0);
    let deadline = ts(&exhausted[0]["deadline"]);
    for node in view["nodes"].as_array().unwrap() {
        let stopped = ts(&node["handover"]["billing_stopped_at"]);
        assert!(stopped >= deadline, "not before the grace ended");
    }
    assert_eq!(
        events(&app, "allocation.node_metering_stopped").await.len(),
        2,
        "metering stops"
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM iam_audit_events WHERE action = 'allocation.force_release.balance_exhausted'",
    )
    .fetch_one(app.db.db.reader())
    .await
    .unwrap();
    assert_eq!(audited, 1);
    app.clock.advance(Duration::from_secs(4 * 60));
    drive_until(&app, &alice.token, &id, |v| v["state"] == "released").await;
    app.billing.rate_due().await.unwrap();
    let (_, usage) = send_with(
        &app,
        Some(&alice.token),
        "GET",
        &format!("/v1/tenants/{}/usage", alice.tenant),
        None,
        None,
    )
    .await;
    let usage = usage.get("items").unwrap_or(&usage).clone();
    assert!(
        usage
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["stopped_at"].is_string()),
        "{usage}"
    );
    app.stop().await;
}

#[tokio::test]
async fn balance_exhaustion_force_releases_after_grace_on_sqlite() {
    balance_exhaustion_force_releases_after_grace(Backend::Sqlite).await;
}

#[tokio::test]
async fn balance_exhaustion_force_releases_after_grace_on_postgres() {
    balance_exhaustion_force_releases_after_grace(Backend::Postgres).await;
}

#[tokio::test]
async fn operators_force_release_and_extend_and_kyc_revocation_end_allocations() {
    use ingot_contracts::iam::{KycDecision, KycDecisionRequest, PlatformRole, PlatformRolesRequest};
    let app = spawn_app(Backend::Sqlite, config).await;
    onboarded(&app, 8, json!({"erase_on_release": "quick"})).await;
    let alice = tenant(&app, "alice", KycLevel::Basic, "500").await;
    let path = format!("/v1/projects/{}/allocations", alice.project);
    let later = app.clock.now().plus(Duration::from_secs(3_600));
    let (_, first) = send_with(
        &app,
        Some(&alice.token),
        "POST",
        &path,
        Some(json!({"sku": "cpu-64c", "count": 1, "release_at": later})),
        None,
    )
    .await;
    let first = first["id"].as_str().unwrap().to_string();
    let (status, extended) = send_with(
        &app,
        Some(&alice.token),
        "POST",
        &format!("/v1/allocations/{first}/extend"),
        Some(json!({"release_at": null})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{extended}");
    assert!(extended.get("release_at").is_none());
    let (status, _) = send_with(
        &app,
        Some(&alice.token),
        "POST",
        &format!("/v1/allocations/{first}/extend"),
        Some(json!({"release_at": app.clock.now()})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Operators list every tenant's allocations (by tenant, by state); tenants may not.
    let bob = tenant(&app, "bob", KycLevel::Basic, "500").await;
    let (status, bobs) = send_with(
        &app,
        Some(&bob.token),
        "POST",
        &format!("/v1/projects/{}/allocations", bob.project),
        Some(json!({"sku": "cpu-64c", "count": 1})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{bobs}");
    let admin = Some(app.admin_token.as_str());
    let ids = |page: &serde_json::Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_string())
            .collect()
    };
    let (status, all) = send(&app, admin, "GET", "/v1/admin/allocations", None).await;
    assert_eq!(status, StatusCode::OK, "{all}");
    assert_eq!(
        ids(&all),
        vec![bobs["id"].as_str().unwrap().to_string(), first.clone()],
        "newest first"
    );
    let (_, alices) = send(
        &app,
        admin,
        "GET",
        &format!("/v1/admin/allocations?tenant_id={}", alice.tenant),
        None,
    )
    .await;
    assert_eq!(ids(&alices), vec![first.clone()]);
    let (_, failed) = send(&app, admin, "GET", "/v1/admin/allocations?state=failed", None).await;
    assert!(ids(&failed).is_empty(), "{failed}");
    let (_, one) = send(&app, admin, "GET", "/v1/admin/allocations?limit=1", None).await;
    let cursor = one["next_cursor"].as_str().unwrap().to_string();
    let (_, next) = send(
        &app,
        admin,
        "GET",
        &format!("/v1/admin/allocations?limit=1&cursor={cursor}"),
        None,
    )
    .await;
    assert_eq!(ids(&next), vec![first.clone()]);
    let (status, _) = send(&app, Some(&alice.token), "GET", "/v1/admin/allocations", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Only operators force-release, with a reason.
    let force = format!("/v1/admin/allocations/{first}/force-release");
    let (status, _) = send_with(
        &app,
        Some(&alice.token),
        "POST",
        &force,
        Some(json!({"reason": "abuse"})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = send_with(
        &app,
        Some(&app.admin_token),
        "POST",
        &force,
        Some(json!({"reason": " "})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, forced) = send_with(
        &app,
        Some(&app.admin_token),
        "POST",
        &force,
        Some(json!({"reason": "abuse report 42"})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{forced}");
    assert_eq!(forced["state"], "releasing");
    assert!(forced["reason"].as_str().unwrap().contains("abuse report 42"));

    // Expiry at release_at.
    let soon = app.clock.now().plus(Duration::from_secs(600));
    let (_, second) = send_with(
        &app,
        Some(&alice.token),
        "POST",
        &path,
        Some(json!({"sku": "cpu-64c", "count": 1, "release_at": soon})),
        None,
    )
    .await;
    let second = second["id"].as_str().unwrap().to_string();
    app.clock.advance(Duration::from_secs(601));
    drive(&app).await;
    let expired = show(&app, &alice.token, &second).await;
    assert_eq!(expired["state"], "releasing", "{expired}");
    assert_eq!(expired["reason"], "release_at reached");

    // A revoked verification ends what runs.
    let (_, third) = send_with(
        &app,
        Some(&alice.token),
        "POST",
        &path,
        Some(json!({"sku": "cpu-64c", "count": 1})),
        None,
    )
    .await;
    let third = third["id"].as_str().unwrap().to_string();
    let (reviewer, created) = app.signed_up("reviewer2").await;
    app.admin()
        .platform_roles_set(
            created.user.id,
            &PlatformRolesRequest {
                platform_roles: vec![PlatformRole::Security],
            },
        )
        .await
        .unwrap();
    reviewer
        .kyc_decide(
            alice.tenant,
            &KycDecisionRequest {
                decision: KycDecision::Revoke,
                level: None,
                reason: "fraud".into(),
            },
        )
        .await
        .unwrap();
    drive(&app).await;
    let revoked = show(&app, &alice.token, &third).await;
    assert_eq!(revoked["state"], "releasing", "{revoked}");
    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM iam_audit_events WHERE action LIKE 'allocation.%' ORDER BY action",
    )
    .fetch_all(app.db.db.reader())
    .await
    .unwrap();
    for action in [
        "allocation.extend",
        "allocation.force_release",
        "allocation.expire",
        "allocation.force_release.kyc_revoked",
    ] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} audited: {actions:?}"
        );
    }
    app.stop().await;
}

/// 64 clients of 8 tenants race over HTTP for the last 10 nodes of a SKU.
async fn race(urls: &[String], tenants: &[Tenant]) -> Vec<(StatusCode, Value)> {
    let client = super::http();
    let mut racers = Vec::new();
    for i in 0..64 {
        let client = client.clone();
        let url = format!(
            "{}/v1/projects/{}/allocations",
            urls[i % urls.len()],
            tenants[i % tenants.len()].project
        );
        let token = tenants[i % tenants.len()].token.clone();
        racers.push(tokio::spawn(async move {
            let response = client
                .post(url)
                .bearer_auth(token)
                .json(&json!({"sku": "cpu-64c", "count": 1}))
                .send()
                .await
                .unwrap();
            let status = response.status();
            (status, response.json::<Value>().await.unwrap())
        }));
    }
    let mut answers = Vec::new();
    for racer in racers {
        answers.push(racer.await.unwrap());
    }
    answers
}

async fn race_checked(db: &ingot_kernel::db::Db, answers: &[(StatusCode, Value)]) {
    let won = answers.iter().filter(|(s, _)| *s == StatusCode::CREATED).count();
    let statuses: Vec<u16> = answers.iter().map(|(s, _)| s.as_u16()).collect();
    assert_eq!(won, 10, "{statuses:?}");
    for (status, body) in answers.iter().filter(|(s, _)| *s != StatusCode::CREATED) {
        assert_eq!(
            (*status, body["code"].as_str()),
            (StatusCode::CONFLICT, Some("capacity_unavailable")),
            "{body}"
        );
    }
    let live: Vec<(String, i64)> =
        sqlx::query_as("SELECT node_id, COUNT(*) FROM alloc_nodes WHERE live = 1 GROUP BY node_id")
            .fetch_all(db.reader())
            .await
            .unwrap();
    assert_eq!(live.len(), 10, "ten nodes assigned");
    assert!(live.iter().all(|(_, n)| *n == 1), "none twice");
    let funded: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM billing_fundings WHERE reserved_rate_micros > 0")
            .fetch_one(db.reader())
            .await
            .unwrap();
    assert_eq!(funded, 10, "a refused admission leaves no runway reserved");
}

async fn race_setup(app: &TestApp) -> Vec<Tenant> {
    // 20 machines: 10 of them CPU servers.
    onboarded(app, 20, json!({"erase_on_release": "quick"})).await;
    assert_eq!(available(app, "cpu-64c").await, 10);
    let mut tenants = Vec::new();
    for i in 0..8 {
        tenants.push(tenant(app, &format!("racer{i}"), KycLevel::Full, "1000").await);
    }
    tenants
}

#[tokio::test]
async fn sixty_four_clients_race_for_the_last_ten_nodes_on_postgres() {
    let tune = |c: &mut ingotd::config::Config| {
        config(c);
        c.http.rate_limit_per_s = 10_000;
        c.http.rate_limit_burst = 10_000;
    };
    let app = spawn_app(Backend::Postgres, tune).await;
    let tenants = race_setup(&app).await;
    let answers = race(std::slice::from_ref(&app.url), &tenants).await;
    race_checked(&app.db.db, &answers).await;
    app.stop().await;

    // The same with two servers sharing one database.
    let first = spawn_app(Backend::Postgres, tune).await;
    // Set up first: the second server's start-up resets the bootstrap admin's token.
    let tenants = race_setup(&first).await;
    let url = first.db.url.clone();
    let second = spawn_app(Backend::Postgres, move |c| {
        tune(c);
        c.database_url = Some(url);
    })
    .await;
    let answers = race(&[first.url.clone(), second.url.clone()], &tenants).await;
    race_checked(&first.db.db, &answers).await;
    second.stop().await;
    first.stop().await;
}

#[tokio::test]
async fn operators_set_quotas_per_tenant_and_project_and_nobody_else_does() {
    let app = spawn_app(Backend::Sqlite, |config| config.demo_catalog = Some(true)).await;
    let admin = Some(app.admin_token.as_str());
    let (_, owner) = app.signed_up("owner").await;
    let tenant = owner.tenant.as_ref().unwrap().id;
    let path = format!("/v1/admin/tenants/{tenant}/quotas");
    let project = ingot_kernel::id::ProjectId::generate();
    let (status, empty) = send_with(&app, admin, "GET", &path, None, None).await;
    assert_eq!(
        (status, &empty["quotas"]),
        (StatusCode::OK, &json!([])),
        "no quota: not limited by quota"
    );
    let body = json!({"reason": "pilot customer", "quotas": [
        {"sku": "gpu-8x-h100", "max_nodes": 4},
        {"project_id": project, "sku": "gpu-8x-h100", "max_nodes": 2},
        {"sku": "cpu-64c", "max_nodes": 0}
    ]});
    let (status, set) = send_with(&app, admin, "PUT", &path, Some(body.clone()), None).await;
    assert_eq!(status, StatusCode::OK, "{set}");
    assert_eq!(set["quotas"].as_array().unwrap().len(), 3);
    let (_, shown) = send_with(&app, admin, "GET", &path, None, None).await;
    assert_eq!(shown, set);

    // Bad input names the field and changes nothing.
    for (bad, field) in [
        (
            json!({"reason": "x", "quotas": [{"sku": "no-such-sku", "max_nodes": 1}]}),
            "quotas[0].sku",
        ),
        (
            json!({"reason": "x", "quotas": [{"sku": "cpu-64c", "max_nodes": 1}, {"sku": "cpu-64c", "max_nodes": 2}]}),
            "quotas[1]",
        ),
        (
            json!({"reason": "x", "quotas": [{"sku": "cpu-64c", "max_nodes": 1000000}]}),
            "quotas[0].max_nodes",
        ),
        (json!({"reason": " ", "quotas": []}), "reason"),
    ] {
        let (status, problem) = send_with(&app, admin, "PUT", &path, Some(bad), None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    let (status, _) = send_with(&app, admin, "PUT", &path, Some(json!({"quotas": []})), None).await;
    assert!(status.is_client_error(), "a reason is required");
    let (_, after) = send_with(&app, admin, "GET", &path, None, None).await;
    assert_eq!(after, set, "refused requests changed nothing");

    // The tenant itself (and anyone else) may not read or set its quotas.
    let tenant_token = Some(owner.session_token.as_str());
    let (status, _) = send_with(&app, tenant_token, "GET", &path, None, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = send_with(&app, tenant_token, "PUT", &path, Some(body.clone()), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = send_with(&app, None, "GET", &path, None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM iam_audit_events WHERE action = 'allocation.quotas.set'")
            .fetch_one(app.db.db.reader())
            .await
            .unwrap();
    assert_eq!(audited, 1);
    app.stop().await;
}

/// `ingotd serve` as an operator runs it, on `database_url`, in `dir`; with its base URL.
fn ingotd_serve(dir: &std::path::Path, database_url: &str) -> (std::process::Child, String) {
    let (child, address) = super::ingotd_spawn(
        dir,
        &[
            ("INGOT_DATABASE_URL", database_url),
            ("INGOT_DEMO_CATALOG", "true"),
            ("INGOT_BILLING_TEST_PROVIDER", "true"),
            ("INGOT_MAAS_SIMULATED", "false"),
            ("INGOT_MAAS_DEPLOYMENTS_INTERVAL_MS", "600000"),
            ("INGOT_HTTP_RATE_LIMIT_PER_S", "100000"),
            ("INGOT_HTTP_RATE_LIMIT_BURST", "100000"),
        ],
    );
    (child, format!("http://{address}"))
}

/// The same race, between two `ingotd` processes sharing one PostgreSQL database: the
/// database's constraint, not anything in one process, keeps a node to one allocation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_clients_race_across_two_ingotd_processes_on_postgres() {
    use ingot_contracts::iam::{
        KycDecision, KycDecisionRequest, KycSubmitRequest, PlatformRole, PlatformRolesRequest, SignupRequest,
    };
    let db = ingot_kernel::testing::TestDb::new(Backend::Postgres).await;
    let dir = std::env::temp_dir().join(format!("ingotd-race-{}", ingot_kernel::id::new_ulid()));
    std::fs::create_dir_all(&dir).unwrap();
    let (mut first, first_url) = ingotd_serve(&dir, &db.url);
    let (mut second, second_url) = ingotd_serve(&dir, &db.url);
    let admin = std::process::Command::new(env!("CARGO_BIN_EXE_ingotd"))
        .args(["bootstrap-admin", "--email", "ops@example.com"])
        .env("INGOT_DATABASE_URL", &db.url)
        .current_dir(&dir)
        .output()
        .unwrap();
    let admin = String::from_utf8(admin.stdout).unwrap().trim().to_string();
    let http = super::http();
    let nodes: Vec<Value> = (0..10)
        .map(|i| {
            json!({"hostname": format!("race-{i:02}"), "site": "demo1", "state": "available", "facts": {
                "cpu": {"model": "EPYC 9554", "sockets": 1, "cores": 64},
                "ram_mib": 393_216,
                "disks": [{"size_gib": 1_920, "kind": "nvme"}]
            }})
        })
        .collect();
    let imported = http
        .post(format!("{first_url}/v1/admin/nodes/import"))
        .bearer_auth(&admin)
        .json(&json!({"nodes": nodes}))
        .send()
        .await
        .unwrap();
    assert!(
        imported.status().is_success(),
        "{}",
        imported.text().await.unwrap()
    );

    let client = ingot_sdk::Client::new(&first_url).unwrap();
    let signup = |name: String| SignupRequest {
        email: format!("{name}@example.com"),
        password: "tuba-cellar-orbit-42".into(),
        display_name: name.clone(),
        tenant_name: name,
    };
    let reviewer = client.signup(&signup("reviewer".into())).await.unwrap();
    client
        .clone()
        .with_token(&admin)
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
    for i in 0..8 {
        let created = client.signup(&signup(format!("racer{i}"))).await.unwrap();
        let tenant = created.tenant.as_ref().unwrap().id;
        client
            .clone()
            .with_token(&created.session_token)
            .kyc_submit(
                tenant,
                &KycSubmitRequest {
                    provider_ref: None,
                    personal_data: Some(ingot_contracts::iam::KycPersonalData {
                        legal_name: "R".into(),
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
                    reason: "ok".into(),
                },
            )
            .await
            .unwrap();
        let paid = http
            .post(format!("{first_url}/v1/tenants/{tenant}/top-ups"))
            .bearer_auth(&created.session_token)
            .json(&json!({"amount": usd("1000")}))
            .send()
            .await
            .unwrap();
        assert!(paid.status().is_success());
        tenants.push(Tenant {
            tenant,
            project: created.project.unwrap().id,
            token: created.session_token,
        });
    }
    let answers = race(&[first_url, second_url], &tenants).await;
    race_checked(&db.db, &answers).await;
    let _ = first.kill();
    let _ = second.kill();
    let _ = first.wait();
    let _ = second.wait();
}

#[tokio::test]
async fn same_fabric_keeps_every_node_in_one_group_or_refuses() {
    let app = spawn_app(Backend::Sqlite, config).await;
    // Four CPU servers imported by hand: three in fabric group ib-a, one in ib-b.
    let node = |host: &str, group: &str| {
        json!({"hostname": host, "site": "demo1", "state": "available", "placement": {"fabric_group": group}, "facts": {
            "cpu": {"model": "EPYC 9554", "sockets": 1, "cores": 64},
            "ram_mib": 393_216,
            "disks": [{"size_gib": 1_920, "kind": "nvme"}]
        }})
    };
    let nodes = json!({"nodes": [node("f-1", "ib-a"), node("f-2", "ib-a"), node("f-3", "ib-a"), node("f-4", "ib-b")]});
    let (status, imported) = send_with(
        &app,
        Some(&app.admin_token),
        "POST",
        "/v1/admin/nodes/import",
        Some(nodes),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{imported}");
    let alice = tenant(&app, "alice", KycLevel::Full, "500").await;
    let path = format!("/v1/projects/{}/allocations", alice.project);
    let ask = |count: u32| Some(json!({"sku": "cpu-64c", "count": count, "placement": "same_fabric"}));
    let (status, refused) = send_with(&app, Some(&alice.token), "POST", &path, ask(4), None).await;
    assert_eq!(
        (status, refused["code"].as_str()),
        (StatusCode::CONFLICT, Some("placement_unsatisfiable")),
        "{refused}"
    );
    let (status, created) = send_with(&app, Some(&alice.token), "POST", &path, ask(3), None).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let mut hosts: Vec<&str> = created["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["hostname"].as_str().unwrap())
        .collect();
    hosts.sort_unstable();
    assert_eq!(hosts, ["f-1", "f-2", "f-3"], "all of ib-a");
    let (status, refused) = send_with(&app, Some(&alice.token), "POST", &path, ask(2), None).await;
    assert_eq!(
        (status, refused["code"].as_str()),
        (StatusCode::CONFLICT, Some("placement_unsatisfiable")),
        "one node left in ib-b: {refused}"
    );
    app.stop().await;
}

/// The machine a tenant's node is being deployed on vanishes from its MAAS region. Expected: the
/// deployment is reported failed (the machine vanished), Allocation replaces the node and the
/// tenant gets a working one; only that one is metered; the vanished node is never reported
/// released (its erase cannot be confirmed), so it does not go back on sale.
async fn a_machine_vanishing_mid_deploy_is_replaced_and_the_tenant_gets_a_working_node(backend: Backend) {
    let app = spawn_app(backend, |c| {
        config(c);
        c.allocation_replacements_max = 1;
    })
    .await;
    let (sim, _) = onboarded(&app, 4, json!({"erase_on_release": "quick"})).await;
    let alice = tenant(&app, "vanish", KycLevel::Basic, "500").await;
    let (status, created) = send_with(
        &app,
        Some(&alice.token),
        "POST",
        &format!("/v1/projects/{}/allocations", alice.project),
        Some(json!({"sku": "cpu-64c", "count": 1})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    let (first, first_system) = node_of(&app, &created).await;
    drive(&app).await;
    assert!(sim.vanish(&first_system), "the machine was in the region");
    app.clock.advance(Duration::from_secs(13 * 60));
    let replaced = drive_until(&app, &alice.token, &id, |v| {
        v["replacements"] != 0 || v["state"] != "provisioning"
    })
    .await;
    assert_eq!(
        (&replaced["replacements"], &replaced["state"]),
        (&json!(1), &json!("provisioning")),
        "{replaced}"
    );
    let nodes = replaced["nodes"].as_array().unwrap();
    assert_eq!(nodes[0]["node_id"], first.as_str());
    assert!(
        nodes[0]["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("vanished"),
        "{replaced}"
    );
    app.clock.advance(Duration::from_secs(13 * 60));
    let active = drive_until(&app, &alice.token, &id, |v| v["state"] != "provisioning").await;
    assert_eq!(active["state"], "active", "{active}");
    let nodes = active["nodes"].as_array().unwrap();
    assert_eq!(nodes[1]["state"], "active", "{active}");
    assert_ne!(
        nodes[0]["state"], "released",
        "a vanished machine's erase is never assumed: {active}"
    );
    let metered = events(&app, "allocation.node_metering_started").await;
    assert_eq!(metered.len(), 1, "only the working node is metered");
    assert_eq!(metered[0]["node_id"], nodes[1]["node_id"]);
    app.stop().await;
}

#[tokio::test]
async fn a_machine_vanishing_mid_deploy_is_replaced_and_the_tenant_gets_a_working_node_on_sqlite() {
    a_machine_vanishing_mid_deploy_is_replaced_and_the_tenant_gets_a_working_node(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_machine_vanishing_mid_deploy_is_replaced_and_the_tenant_gets_a_working_node_on_postgres() {
    a_machine_vanishing_mid_deploy_is_replaced_and_the_tenant_gets_a_working_node(Backend::Postgres).await;
}
