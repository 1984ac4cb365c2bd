//! The MAAS domain through ingotd: binding a site to its region (key checked, sealed, never
//! shown), onboarding (commission new machines, register commissioned ones, report failures
//! once) until the catalog sells them, and every refusal.

use std::sync::Arc;
use std::time::Duration;

use ingot_kernel::db::Backend;
use ingot_maas_sim::{Sim, SimConfig, Timings};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{TestApp, send_with, spawn_app};

/// Waits until the MAAS controllers have taken their leases, i.e. begun their start-up pass
/// (which finds no bound site): a test's own passes then do not race a controller's first one.
async fn controllers_started(app: &TestApp) {
    let mut tick = tokio::time::interval(Duration::from_millis(10));
    for waited in 0.. {
        let started: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM kernel_leases WHERE name IN ('maas.onboarding', 'maas.deployments', 'maas.reconcile')",
        )
        .fetch_one(app.db.db.reader())
        .await
        .unwrap();
        if started == 3 {
            return;
        }
        assert!(waited < 1_000, "the MAAS controllers never started");
        tick.tick().await;
    }
}

pub(super) async fn region(app: &TestApp, machines: usize, new_machines: usize) -> (Sim, String) {
    controllers_started(app).await;
    let sim = Sim::new(
        SimConfig {
            machines,
            new_machines,
            timings: Timings::realistic(),
            ..SimConfig::default()
        },
        Arc::new(app.clock.clone()),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/MAAS", listener.local_addr().unwrap());
    tokio::spawn(sim.clone().serve(listener));
    (sim, url)
}

async fn available(app: &TestApp) -> Vec<(String, i64)> {
    let (_, offers) = send_with(app, None, "GET", "/v1/catalog/offers", None, None).await;
    offers
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["sku"].as_str().unwrap().to_string(),
                o["available"].as_i64().unwrap(),
            )
        })
        .collect()
}

pub(super) async fn events(app: &TestApp, event_type: &str) -> Vec<Value> {
    let payloads: Vec<String> =
        sqlx::query_scalar("SELECT payload FROM kernel_outbox WHERE event_type = $1 ORDER BY seq")
            .bind(event_type)
            .fetch_all(app.db.db.reader())
            .await
            .unwrap();
    payloads
        .iter()
        .map(|p| serde_json::from_str(p).unwrap())
        .collect()
}

async fn a_bound_site_onboards_its_machines_until_the_catalog_sells_them(backend: Backend) {
    let app = spawn_app(backend, |config| config.demo_catalog = Some(true)).await;
    let admin = Some(app.admin_token.as_str());
    // 4 READY (an H100 box, an A100 box, two CPU servers) and 2 NEW, one of which fails
    // commissioning.
    let (sim, url) = region(&app, 4, 2).await;
    let key = sim.api_key().to_string();
    let (status, bound) = send_with(
        &app,
        admin,
        "PUT",
        "/v1/admin/sites/demo1/maas",
        Some(json!({"url": url, "api_key": key, "policy": {"erase_on_release": "secure"}})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{bound}");
    assert_eq!(bound["policy"]["erase_on_release"], "secure");
    assert_eq!(bound["policy"]["auto_commission"], true, "defaults fill the rest");
    let secret = key.rsplit(':').next().unwrap();
    assert!(!bound.to_string().contains(secret), "the key is never shown");
    let (status, shown) = send_with(&app, admin, "GET", "/v1/admin/sites/demo1/maas", None, None).await;
    assert_eq!((status, &shown["url"]), (StatusCode::OK, &bound["url"]));
    assert!(!shown.to_string().contains(secret));
    let sealed: String = sqlx::query_scalar("SELECT api_key_sealed FROM maas_sites")
        .fetch_one(app.db.db.reader())
        .await
        .unwrap();
    assert!(!sealed.contains(secret), "sealed at rest");

    let doomed = sim
        .lock()
        .machines
        .values()
        .find(|m| m.status == ingot_maas_sim::Status::New)
        .map(|m| m.system_id.clone())
        .unwrap();
    sim.faults_set(|f| f.commission_fails = vec![doomed.clone()]);
    let (status, report) = send_with(&app, admin, "POST", "/v1/admin/sites/demo1/onboard", None, None).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(
        (
            &report["seen"],
            &report["registered"],
            &report["commissioning_started"]
        ),
        (&json!(6), &json!(4), &json!(2)),
        "{report}"
    );
    let now_selling = available(&app).await;
    assert!(
        now_selling.contains(&("gpu-8x-h100".into(), 1)),
        "{now_selling:?}"
    );
    assert!(
        now_selling.contains(&("gpu-8x-a100".into(), 1)),
        "{now_selling:?}"
    );
    assert!(now_selling.contains(&("cpu-64c".into(), 2)), "{now_selling:?}");
    // A pass while commissioning runs changes nothing.
    let (_, report) = send_with(&app, admin, "POST", "/v1/admin/sites/demo1/onboard", None, None).await;
    assert_eq!(
        (&report["commissioning"], &report["registered"]),
        (&json!(2), &json!(0)),
        "{report}"
    );

    // Commissioning takes its time; then one machine is ready and one failed.
    app.clock.advance(Duration::from_secs(10 * 60));
    let (_, report) = send_with(&app, admin, "POST", "/v1/admin/sites/demo1/onboard", None, None).await;
    let (registered, failed) = (
        report["registered"].as_i64().unwrap(),
        report["failed"].as_i64().unwrap(),
    );
    assert_eq!((registered, failed), (1, 1), "{report}");
    let failures = events(&app, "baremetal.machine_onboarding_failed").await;
    assert_eq!(failures.len() as i64, failed, "{failures:?}");
    if let Some(failure) = failures.first() {
        assert!(
            failure["message"]
                .as_str()
                .unwrap()
                .contains("Commissioning failed"),
            "MAAS's own words: {failure}"
        );
    }
    // Another pass reports nothing twice and registers nothing twice.
    let (_, report) = send_with(&app, admin, "POST", "/v1/admin/sites/demo1/onboard", None, None).await;
    assert_eq!(report["registered"], 0);
    assert_eq!(
        events(&app, "baremetal.machine_onboarding_failed").await.len() as i64,
        failed
    );
    let (_, nodes) = send_with(&app, admin, "GET", "/v1/admin/nodes?limit=100", None, None).await;
    assert_eq!(
        nodes["items"].as_array().unwrap().len() as i64,
        4 + registered,
        "{nodes}"
    );
    assert!(
        nodes["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["state"] == "available"),
        "{nodes}"
    );
    app.stop().await;
}

on_both_backends!(a_bound_site_onboards_its_machines_until_the_catalog_sells_them);

#[tokio::test]
async fn bad_bindings_are_refused_with_the_field_and_change_nothing() {
    let app = spawn_app(Backend::Sqlite, |config| config.demo_catalog = Some(true)).await;
    let admin = Some(app.admin_token.as_str());
    let (sim, url) = region(&app, 1, 0).await;
    let key = sim.api_key().to_string();
    let put = |body: Value| {
        let app = &app;
        async move { send_with(app, admin, "PUT", "/v1/admin/sites/demo1/maas", Some(body), None).await }
    };
    let field_of = |body: &Value| {
        body["errors"][0]["field"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let (status, body) = put(json!({"url": url})).await;
    assert_eq!(
        (status, field_of(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "api_key".into()),
        "{body}"
    );
    let (status, body) = put(json!({"url": url, "api_key": "not-a-key"})).await;
    assert_eq!(
        (status, field_of(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "api_key".into()),
        "{body}"
    );
    let (status, body) = put(json!({"url": url, "api_key": "wrong:key:secret"})).await;
    assert_eq!(
        (status, field_of(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "api_key".into()),
        "{body}"
    );
    assert!(body.to_string().contains("refused"), "{body}");
    let (status, body) = put(json!({"url": "ftp://x", "api_key": key})).await;
    assert_eq!(
        (status, field_of(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "url".into()),
        "{body}"
    );
    let (status, body) =
        put(json!({"url": url, "api_key": key, "policy": {"max_concurrent_deploys": 0}})).await;
    assert_eq!(
        (status, field_of(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "policy.max_concurrent_deploys".into()
        ),
        "{body}"
    );
    let (status, body) = put(json!({"url": url, "api_key": key, "policy": {"colour": "blue"}})).await;
    assert!(
        status.is_client_error(),
        "unknown policy fields are refused: {status} {body}"
    );
    // A region nobody answers at: 503, and nothing stored.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let nowhere = format!("http://{}/MAAS", closed.local_addr().unwrap());
    drop(closed);
    let (status, body) = put(json!({"url": nowhere, "api_key": key})).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    let (status, _) = send_with(&app, admin, "GET", "/v1/admin/sites/demo1/maas", None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "nothing was bound by the refusals");
    let (status, _) = send_with(
        &app,
        admin,
        "PUT",
        "/v1/admin/sites/nowhere/maas",
        Some(json!({"url": url, "api_key": key})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = send_with(&app, admin, "POST", "/v1/admin/sites/demo1/onboard", None, None).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "an unbound site has nothing to onboard"
    );

    // Tenants and anonymous callers are refused every route.
    let (_, owner) = app.signed_up("owner").await;
    let tenant = Some(owner.session_token.as_str());
    for (method, path) in [
        ("GET", "/v1/admin/sites/demo1/maas"),
        ("PUT", "/v1/admin/sites/demo1/maas"),
        ("POST", "/v1/admin/sites/demo1/onboard"),
    ] {
        let body = (method == "PUT").then(|| json!({"url": url, "api_key": key}));
        let (status, _) = send_with(&app, tenant, method, path, body.clone(), None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}");
        let (status, _) = send_with(&app, None, method, path, body, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path}");
    }
    // After all that, a good binding works and is audited.
    let (status, _) = put(json!({"url": url, "api_key": key})).await;
    assert_eq!(status, StatusCode::OK);
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM iam_audit_events WHERE action = 'maas.site.bind'")
            .fetch_one(app.db.db.reader())
            .await
            .unwrap();
    assert_eq!(audited, 1);
    app.stop().await;
}

/// Binds demo1 to a fresh region of `machines` READY machines, onboards them, and returns the
/// nodes (node id, system id) in hostname order. The controllers are slowed down so the test
/// drives every pass itself.
pub(super) async fn onboarded(
    app: &TestApp,
    machines: usize,
    policy: Value,
) -> (Sim, Vec<(ingot_kernel::id::NodeId, String)>) {
    let admin = Some(app.admin_token.as_str());
    let (sim, url) = region(app, machines, 0).await;
    let (status, body) = send_with(
        app,
        admin,
        "PUT",
        "/v1/admin/sites/demo1/maas",
        Some(json!({"url": url, "api_key": sim.api_key().to_string(), "policy": policy})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = send_with(app, admin, "POST", "/v1/admin/sites/demo1/onboard", None, None).await;
    assert_eq!(status, StatusCode::OK);
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT node_id, system_id FROM maas_machines WHERE node_id IS NOT NULL ORDER BY hostname",
    )
    .fetch_all(app.db.db.reader())
    .await
    .unwrap();
    let nodes = rows
        .into_iter()
        .map(|(node, system_id)| (node.parse().unwrap(), system_id))
        .collect();
    (sim, nodes)
}

pub(super) fn slow_controllers(config: &mut ingotd::config::Config) {
    config.demo_catalog = Some(true);
    config.maas_onboarding_interval = Duration::from_secs(3_600);
    config.maas_deployments_interval = Duration::from_secs(600);
    config.maas_reconcile_interval = Duration::from_secs(3_600);
    config.maas_images_interval = Duration::from_secs(3_600);
    config.webhooks_interval = Duration::from_secs(3_600);
}

pub(super) async fn pass(app: &TestApp) {
    app.maas.requests_follow(500).await.unwrap();
    app.maas.deployments_drive().await.unwrap();
}

fn starts_of(sim: &Sim, system_id: &str) -> usize {
    sim.lock()
        .events
        .iter()
        .filter(|e| e.system_id == system_id && e.kind == "User starting deployment")
        .count()
}

async fn allocations_are_deployed_with_the_tenants_keys_and_released_with_the_sites_erase(backend: Backend) {
    use ingot_contracts::allocation::{NodeDeployRequested, NodeReleaseRequested};
    use ingot_kernel::id::{AllocationId, TenantId};

    let app = spawn_app(backend, slow_controllers).await;
    let (sim, nodes) = onboarded(
        &app,
        3,
        json!({"erase_on_release": "secure", "max_concurrent_deploys": 1}),
    )
    .await;
    let allocation = AllocationId::generate();
    let tenant = TenantId::generate();
    for (node_id, _) in &nodes[..2] {
        super::allocation_says(
            &app,
            &NodeDeployRequested {
                allocation_id: allocation,
                tenant_id: tenant,
                node_id: *node_id,
                image: "jammy".into(),
                ssh_keys: vec!["ssh-ed25519 AAAAC3Nza tenant@laptop".into()],
                user_data_sealed: Some(
                    app.secrets
                        .seal(
                            b"#!/bin/sh\necho hello\n",
                            &ingot_contracts::allocation::user_data_seal_context(allocation),
                        )
                        .unwrap(),
                ),
            },
        )
        .await;
    }
    // An image the site does not allow fails at once, without touching the machine.
    let refused = AllocationId::generate();
    super::allocation_says(
        &app,
        &NodeDeployRequested {
            allocation_id: refused,
            tenant_id: tenant,
            node_id: nodes[2].0,
            image: "windows".into(),
            ssh_keys: Vec::new(),
            user_data_sealed: None,
        },
    )
    .await;
    // On PostgreSQL the requests reach the follower once every older transaction in the
    // cluster has ended: pass until the refusal is reported (bounded).
    let mut tick = tokio::time::interval(Duration::from_millis(50));
    let mut failed = Vec::new();
    for _ in 0..200 {
        pass(&app).await;
        failed = events(&app, "baremetal.node_deploy_failed").await;
        if !failed.is_empty() {
            break;
        }
        tick.tick().await;
    }
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert!(
        failed[0]["reason"].as_str().unwrap().contains("not allowed"),
        "{}",
        failed[0]
    );
    assert_eq!(starts_of(&sim, &nodes[2].1), 0);

    // One deploy at a time at this site: the second waits its turn.
    let (first, second) = (&nodes[0].1, &nodes[1].1);
    let deploying = |sim: &Sim| {
        sim.lock()
            .machines
            .values()
            .filter(|m| m.status == ingot_maas_sim::Status::Deploying)
            .count()
    };
    assert_eq!(deploying(&sim), 1);
    pass(&app).await;
    assert_eq!(deploying(&sim), 1, "the policy's concurrency holds across passes");
    let started = ingot_kernel::Clock::now(&app.clock);
    app.clock.advance(Duration::from_secs(12 * 60));
    pass(&app).await;
    pass(&app).await;
    app.clock.advance(Duration::from_secs(12 * 60));
    pass(&app).await;
    pass(&app).await;
    let deployed = events(&app, "baremetal.node_deployed").await;
    assert_eq!(deployed.len(), 2, "{deployed:?}");
    let first_report = deployed
        .iter()
        .find(|e| e["node_id"] == nodes[0].0.to_string())
        .unwrap();
    assert_eq!(first_report["ip_addresses"].as_array().unwrap().len(), 1);
    // Metering starts when MAAS said DEPLOYED (its event, to the second), not when we looked:
    // the first machine 12 minutes after it started, the second 12 minutes after its turn came.
    let mut deployed_at: Vec<i64> = deployed
        .iter()
        .map(|e| {
            let at: ingot_kernel::Timestamp = serde_json::from_value(e["deployed_at"].clone()).unwrap();
            at.as_micros() / 1_000_000 - started.as_micros() / 1_000_000
        })
        .collect();
    deployed_at.sort_unstable();
    assert_eq!(deployed_at, [12 * 60, 24 * 60]);
    {
        let state = sim.lock();
        for system_id in [first, second] {
            let machine = &state.machines[system_id.as_str()];
            assert!(machine.locked, "locked against accidental release");
            assert_eq!(
                machine.owner_data.get("ingot_allocation"),
                Some(&allocation.to_string())
            );
            use base64::Engine as _;
            let user_data = base64::engine::general_purpose::STANDARD
                .decode(machine.user_data.as_deref().unwrap())
                .unwrap();
            let user_data = String::from_utf8(user_data).unwrap();
            assert!(
                user_data.contains("ssh-ed25519 AAAAC3Nza tenant@laptop"),
                "{user_data}"
            );
            assert!(user_data.contains("echo hello"), "{user_data}");
        }
    }
    assert_eq!(
        (starts_of(&sim, first), starts_of(&sim, second)),
        (1, 1),
        "one deploy each"
    );

    // Release: unlocked, released with secure erase, reported only once erasing finished.
    for (node_id, _) in &nodes[..2] {
        super::allocation_says(
            &app,
            &NodeReleaseRequested {
                allocation_id: allocation,
                tenant_id: tenant,
                node_id: *node_id,
                reason: "released by the tenant".into(),
            },
        )
        .await;
    }
    // On PostgreSQL a request is readable once every older transaction in the cluster has
    // ended (other tests' too), so both may take a few passes, in real time, to be picked up.
    let mut tick = tokio::time::interval(Duration::from_millis(50));
    for _ in 0..200 {
        pass(&app).await;
        let erasing = {
            let state = sim.lock();
            [&first, &second]
                .iter()
                .all(|m| state.machines[m.as_str()].status == ingot_maas_sim::Status::DiskErasing)
        };
        if erasing {
            break;
        }
        tick.tick().await;
    }
    assert!(events(&app, "baremetal.node_release_completed").await.is_empty());
    assert_eq!(
        sim.lock().machines[first.as_str()].status,
        ingot_maas_sim::Status::DiskErasing
    );
    assert_eq!(
        sim.lock().machines[second.as_str()].status,
        ingot_maas_sim::Status::DiskErasing
    );
    app.clock.advance(Duration::from_secs(11 * 60));
    pass(&app).await;
    pass(&app).await;
    let released = events(&app, "baremetal.node_release_completed").await;
    assert_eq!(released.len(), 2, "{released:?}");
    assert!(released.iter().all(|e| e["erase"] == "secure"));
    let all_ready = {
        let state = sim.lock();
        [first, second]
            .iter()
            .all(|s| state.machines[s.as_str()].status == ingot_maas_sim::Status::Ready)
    };
    assert!(all_ready);
    app.stop().await;
}

on_both_backends!(allocations_are_deployed_with_the_tenants_keys_and_released_with_the_sites_erase);

async fn reconcile(app: &TestApp) -> Value {
    let (status, report) = send_with(
        app,
        Some(app.admin_token.as_str()),
        "POST",
        "/v1/admin/sites/demo1/reconcile",
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    report
}

async fn drift(app: &TestApp, all: bool) -> Vec<Value> {
    let path = format!("/v1/admin/sites/demo1/drift?all={all}");
    let (status, body) = send_with(app, Some(app.admin_token.as_str()), "GET", &path, None, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_array().unwrap().clone()
}

fn kinds_of(drift: &[Value]) -> Vec<(String, String)> {
    let mut kinds: Vec<(String, String)> = drift
        .iter()
        .map(|d| {
            (
                d["machine_ref"].as_str().unwrap().to_string(),
                d["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    kinds.sort();
    kinds
}

fn power_ons(sim: &Sim, system_id: &str) -> usize {
    sim.lock()
        .events
        .iter()
        .filter(|e| e.system_id == system_id && e.kind == "User powering up node")
        .count()
}

async fn reconciliation_finds_each_drift_once_acts_only_on_confirmed_states_and_keeps_history(
    backend: Backend,
) {
    use ingot_contracts::allocation::NodeDeployRequested;
    use ingot_kernel::id::{AllocationId, TenantId};

    let app = spawn_app(backend, slow_controllers).await;
    let (sim, nodes) = onboarded(&app, 4, json!({})).await;
    let (allocation, tenant) = (AllocationId::generate(), TenantId::generate());
    for (node_id, _) in &nodes[..3] {
        super::allocation_says(
            &app,
            &NodeDeployRequested {
                allocation_id: allocation,
                tenant_id: tenant,
                node_id: *node_id,
                image: "jammy".into(),
                ssh_keys: Vec::new(),
                user_data_sealed: None,
            },
        )
        .await;
    }
    // On PostgreSQL the requests reach the follower once every older transaction in the
    // cluster has ended: pass until all three deploy, then until all three are reported.
    let mut tick = tokio::time::interval(Duration::from_millis(50));
    for tries in 0.. {
        pass(&app).await;
        let deploying = sim
            .lock()
            .machines
            .values()
            .filter(|m| m.status == ingot_maas_sim::Status::Deploying)
            .count();
        if deploying == 3 {
            break;
        }
        assert!(tries < 200, "the deploy requests were never followed");
        tick.tick().await;
    }
    app.clock.advance(Duration::from_secs(12 * 60));
    for tries in 0.. {
        pass(&app).await;
        if events(&app, "baremetal.node_deployed").await.len() == 3 {
            break;
        }
        assert!(tries < 200, "the deploys were never reported");
        tick.tick().await;
    }
    let report = reconcile(&app).await;
    assert_eq!(
        (&report["machines"], &report["findings"]),
        (&json!(4), &json!(0)),
        "{report}"
    );

    // Drift: one tenant machine reads power off, one reads power unknown, one vanishes; a
    // machine appears that nobody onboarded; an operator deploys the fourth by hand in MAAS.
    let (off, flapping, lost, by_hand) = (&nodes[0].1, &nodes[1].1, &nodes[2].1, &nodes[3].1);
    {
        let mut state = sim.lock();
        state.machines.get_mut(off.as_str()).unwrap().power_state = "off";
        state.machines.get_mut(flapping.as_str()).unwrap().power_state = "unknown";
        let constraints = ingot_maas_sim::state::Constraints {
            system_id: Some(by_hand.clone()),
            ..Default::default()
        };
        let now = ingot_kernel::Clock::now(&app.clock);
        state.allocate("admin", &constraints, now).unwrap();
        state
            .deploy(
                by_hand,
                "admin",
                &ingot_maas_sim::state::DeployOptions::default(),
                now,
            )
            .unwrap();
        state.seed_machines(1, ingot_maas_sim::Status::Ready);
    }
    sim.vanish(lost);
    let report = reconcile(&app).await;
    assert_eq!(
        (&report["new"], &report["repairs"]),
        (&json!(5), &json!(0)),
        "{report}"
    );
    let open = drift(&app, false).await;
    let newcomer = open.iter().find(|d| d["kind"] == "unknown_machine").unwrap()["machine_ref"]
        .as_str()
        .unwrap()
        .to_string();
    let mut expected = vec![
        (off.clone(), "power_drift".to_string()),
        (flapping.clone(), "power_drift".to_string()),
        (lost.clone(), "allocation_machine_lost".to_string()),
        (by_hand.clone(), "deployed_without_allocation".to_string()),
        (newcomer.clone(), "unknown_machine".to_string()),
    ];
    expected.sort();
    assert_eq!(kinds_of(&open), expected);
    let lost_drift = open
        .iter()
        .find(|d| d["kind"] == "allocation_machine_lost")
        .unwrap();
    assert_eq!(lost_drift["tenant_cost"], true);
    let by_hand_drift = open
        .iter()
        .find(|d| d["kind"] == "deployed_without_allocation")
        .unwrap();
    assert_eq!(
        by_hand_drift["repair"], "report",
        "a machine deployed outside the control plane is never touched"
    );
    assert_eq!(
        power_ons(&sim, off),
        0,
        "power read off once is observed again, not acted on"
    );

    // The next pass: off twice (and off at the BMC) is powered on once; unknown never is; the
    // newcomer is known now; nothing is announced twice.
    let report = reconcile(&app).await;
    assert_eq!(
        (&report["new"], &report["repairs"], &report["resolved"]),
        (&json!(0), &json!(1), &json!(1)),
        "{report}"
    );
    assert_eq!(power_ons(&sim, off), 1);
    assert_eq!(power_ons(&sim, flapping), 0);
    let report = reconcile(&app).await;
    assert_eq!(power_ons(&sim, flapping), 0, "{report}");
    assert_eq!(events(&app, "baremetal.drift_found").await.len(), 5);
    let open = drift(&app, false).await;
    assert!(
        !open
            .iter()
            .any(|d| d["kind"] == "unknown_machine" || d["machine_ref"] == off.as_str()),
        "{open:?}"
    );
    let history = drift(&app, true).await;
    let repaired = history.iter().find(|d| d["machine_ref"] == off.as_str()).unwrap();
    assert!(
        repaired["repaired_at"].is_string() && repaired["resolved_at"].is_string(),
        "{repaired}"
    );
    assert_eq!(repaired["repair"], "power_on");
    assert!(
        history
            .iter()
            .any(|d| d["kind"] == "unknown_machine" && d["resolved_at"].is_string())
    );

    // Tenants see no drift.
    let (_, owner) = app.signed_up("owner").await;
    let (status, _) = send_with(
        &app,
        Some(owner.session_token.as_str()),
        "GET",
        "/v1/admin/sites/demo1/drift",
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = send_with(
        &app,
        Some(owner.session_token.as_str()),
        "POST",
        "/v1/admin/sites/demo1/reconcile",
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = send_with(&app, None, "GET", "/v1/admin/sites/demo1/drift", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    app.stop().await;
}

on_both_backends!(reconciliation_finds_each_drift_once_acts_only_on_confirmed_states_and_keeps_history);

async fn node_state(app: &TestApp, node_id: ingot_kernel::id::NodeId) -> String {
    let (status, node) = send_with(
        app,
        Some(app.admin_token.as_str()),
        "GET",
        &format!("/v1/admin/nodes/{node_id}"),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{node}");
    node["state"].as_str().unwrap().to_string()
}

async fn region_url(app: &TestApp) -> String {
    let (_, binding) = send_with(
        app,
        Some(app.admin_token.as_str()),
        "GET",
        "/v1/admin/sites/demo1/maas",
        None,
        None,
    )
    .await;
    binding["url"].as_str().unwrap().to_string()
}

async fn operations_pass(app: &TestApp) {
    app.maas.operations_drive().await.unwrap();
}

fn count_events(sim: &Sim, system_id: &str, kind: &str) -> usize {
    sim.lock()
        .events
        .iter()
        .filter(|e| e.system_id == system_id && e.kind == kind)
        .count()
}

async fn operators_reimage_and_decommission_nodes_with_a_secure_erase(backend: Backend) {
    use ingot_contracts::allocation::NodeDeployRequested;
    use ingot_kernel::id::{AllocationId, TenantId};

    let app = spawn_app(backend, slow_controllers).await;
    let admin = Some(app.admin_token.as_str());
    let (sim, nodes) = onboarded(&app, 3, json!({"decommission": "remove"})).await;
    let (busy, reimaged, retired) = (&nodes[0], &nodes[1], &nodes[2]);
    super::allocation_says(
        &app,
        &NodeDeployRequested {
            allocation_id: AllocationId::generate(),
            tenant_id: TenantId::generate(),
            node_id: busy.0,
            image: "jammy".into(),
            ssh_keys: Vec::new(),
            user_data_sealed: None,
        },
    )
    .await;
    // On PostgreSQL the request becomes visible to the follower once every older transaction in
    // the cluster has ended: pass until the deployment is recorded (bounded).
    let mut tick = tokio::time::interval(Duration::from_millis(50));
    for tries in 0.. {
        pass(&app).await;
        let recorded: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM maas_deployments WHERE node_id = $1")
            .bind(busy.0.to_string())
            .fetch_one(app.db.db.reader())
            .await
            .unwrap();
        if recorded > 0 {
            break;
        }
        assert!(tries < 200, "the deploy request was never followed");
        tick.tick().await;
    }
    let op = |node: ingot_kernel::id::NodeId, what: &'static str, body: Value| {
        let app = &app;
        async move {
            send_with(
                app,
                admin,
                "POST",
                &format!("/v1/admin/nodes/{node}/{what}"),
                Some(body),
                None,
            )
            .await
        }
    };
    let (status, body) = op(busy.0, "reimage", json!({"reason": "driver update"})).await;
    assert_eq!(
        (status, &body["code"]),
        (StatusCode::CONFLICT, &json!("node_assigned")),
        "a node in use is refused"
    );
    let (status, _) = op(reimaged.0, "reimage", json!({"reason": ""})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = op(
        ingot_kernel::id::NodeId::generate(),
        "reimage",
        json!({"reason": "x"}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, owner) = app.signed_up("owner").await;
    for what in ["reimage", "decommission"] {
        let path = format!("/v1/admin/nodes/{}/{what}", reimaged.0);
        let (status, _) = send_with(
            &app,
            Some(owner.session_token.as_str()),
            "POST",
            &path,
            Some(json!({"reason": "x"})),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = send_with(&app, None, "POST", &path, Some(json!({"reason": "x"})), None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }

    // Reimage: drained at once, erased securely, re-commissioned, back in service — but machine
    // work waits for the site's maintenance window.
    let now = ingot_kernel::Clock::now(&app.clock);
    let weekday = ["thu", "fri", "sat", "sun", "mon", "tue", "wed"]
        [usize::try_from((now.as_micros() / 86_400_000_000).rem_euclid(7)).unwrap()];
    let closed = (now.as_micros() / 3_600_000_000 + 2).rem_euclid(24);
    let (status, body) = send_with(
        &app,
        admin,
        "PUT",
        "/v1/admin/sites/demo1/maas",
        Some(json!({"url": region_url(&app).await, "policy": {"decommission": "remove",
            "maintenance_window": {"weekday": weekday, "start": format!("{closed:02}:00"), "duration_minutes": 60}}})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, started) = op(reimaged.0, "reimage", json!({"reason": "driver update"})).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{started}");
    assert_eq!(started["phase"], "erasing");
    assert_eq!(node_state(&app, reimaged.0).await, "maintenance");
    let (status, _) = op(reimaged.0, "reimage", json!({"reason": "again"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "one operation at a time");
    operations_pass(&app).await;
    assert_eq!(
        sim.lock().machines[reimaged.1.as_str()].status,
        ingot_maas_sim::Status::Ready,
        "outside the maintenance window nothing is done to the machine"
    );
    let (status, _) = send_with(
        &app,
        admin,
        "PUT",
        "/v1/admin/sites/demo1/maas",
        Some(json!({"url": region_url(&app).await, "policy": {"decommission": "remove"}})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    operations_pass(&app).await;
    assert_eq!(
        sim.lock().machines[reimaged.1.as_str()].status,
        ingot_maas_sim::Status::DiskErasing
    );
    operations_pass(&app).await;
    app.clock.advance(Duration::from_secs(11 * 60));
    for _ in 0..3 {
        operations_pass(&app).await;
    }
    assert_eq!(
        sim.lock().machines[reimaged.1.as_str()].status,
        ingot_maas_sim::Status::Commissioning
    );
    app.clock.advance(Duration::from_secs(9 * 60));
    operations_pass(&app).await;
    assert_eq!(node_state(&app, reimaged.0).await, "available");
    assert_eq!(count_events(&sim, &reimaged.1, "Disks erased"), 1, "erased once");
    assert_eq!(
        count_events(&sim, &reimaged.1, "User starting node commissioning"),
        1
    );

    // Decommission: retired in Inventory, removed from the region (the site's policy).
    let (status, started) = op(retired.0, "decommission", json!({"reason": "end of life"})).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{started}");
    assert_eq!(node_state(&app, retired.0).await, "decommissioning");
    operations_pass(&app).await;
    app.clock.advance(Duration::from_secs(11 * 60));
    for _ in 0..3 {
        operations_pass(&app).await;
    }
    assert_eq!(node_state(&app, retired.0).await, "retired");
    assert!(
        !sim.lock().machines.contains_key(retired.1.as_str()),
        "removed from the region"
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM iam_audit_events WHERE action IN ('maas.node.reimage', 'maas.node.decommission')",
    )
    .fetch_one(app.db.db.reader())
    .await
    .unwrap();
    assert_eq!(audited, 2);
    app.stop().await;
}

on_both_backends!(operators_reimage_and_decommission_nodes_with_a_secure_erase);

#[tokio::test]
async fn a_machine_released_by_hand_is_erased_before_its_release_is_reported() {
    use ingot_contracts::allocation::{NodeDeployRequested, NodeReleaseRequested};
    use ingot_kernel::id::{AllocationId, TenantId};

    let app = spawn_app(Backend::Sqlite, slow_controllers).await;
    let (sim, nodes) = onboarded(&app, 1, json!({"erase_on_release": "quick"})).await;
    let (node_id, system_id) = nodes[0].clone();
    let (allocation_id, tenant_id) = (AllocationId::generate(), TenantId::generate());
    super::allocation_says(
        &app,
        &NodeDeployRequested {
            allocation_id,
            tenant_id,
            node_id,
            image: "jammy".into(),
            ssh_keys: Vec::new(),
            user_data_sealed: None,
        },
    )
    .await;
    pass(&app).await;
    app.clock.advance(Duration::from_secs(12 * 60));
    pass(&app).await;
    assert_eq!(events(&app, "baremetal.node_deployed").await.len(), 1);
    // Someone releases it in MAAS by hand, without erasing its disks.
    {
        let now = ingot_kernel::Clock::now(&app.clock);
        let mut state = sim.lock();
        state.lock(&system_id, "admin", false, None, now).ok();
        state
            .release(&system_id, "admin", ingot_maas_sim::state::Erase::None, None, now)
            .unwrap();
    }
    app.clock.advance(Duration::from_secs(2 * 60));
    super::allocation_says(
        &app,
        &NodeReleaseRequested {
            allocation_id,
            tenant_id,
            node_id,
            reason: "done".into(),
        },
    )
    .await;
    pass(&app).await;
    assert!(
        events(&app, "baremetal.node_release_completed").await.is_empty(),
        "no release is reported clean without MAAS's word that the disks were erased"
    );
    assert_eq!(
        sim.lock().machines[system_id.as_str()].status,
        ingot_maas_sim::Status::DiskErasing
    );
    app.clock.advance(Duration::from_secs(3 * 60));
    pass(&app).await;
    let released = events(&app, "baremetal.node_release_completed").await;
    assert_eq!(released.len(), 1, "{released:?}");
    assert_eq!(released[0]["erase"], "quick");
    assert_eq!(count_events(&sim, &system_id, "Disks erased"), 1);
    app.stop().await;
}

#[tokio::test]
async fn the_first_reconciliation_of_a_new_site_is_not_drift() {
    let app = spawn_app(Backend::Sqlite, slow_controllers).await;
    let admin = Some(app.admin_token.as_str());
    let (sim, url) = region(&app, 3, 2).await;
    let (status, _) = send_with(
        &app,
        admin,
        "PUT",
        "/v1/admin/sites/demo1/maas",
        Some(json!({"url": url, "api_key": sim.api_key().to_string()})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let report = reconcile(&app).await;
    assert_eq!(
        (&report["machines"], &report["findings"]),
        (&json!(5), &json!(0)),
        "{report}"
    );
    // Once the site has been onboarded, a machine that appears is.
    let (status, _) = send_with(&app, admin, "POST", "/v1/admin/sites/demo1/onboard", None, None).await;
    assert_eq!(status, StatusCode::OK);
    let report = reconcile(&app).await;
    assert_eq!(report["findings"], 0, "{report}");
    sim.lock().seed_machines(1, ingot_maas_sim::Status::Ready);
    let report = reconcile(&app).await;
    assert_eq!(report["new"], 1, "{report}");
    assert_eq!(drift(&app, false).await[0]["kind"], "unknown_machine");
    app.stop().await;
}
