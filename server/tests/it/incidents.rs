//! Alerts → incidents → paging, end to end: real conditions in the domains (failed logins, a
//! quarantined node, a MAAS region gone silent) open incidents; pages reach a local webhook and
//! PagerDuty Events v2 receiver; SEV-1 pages primary and secondary, SEV-2 the primary; an
//! incident unresolved for 30 minutes (the manual clock) escalates; maintenance holds paging and
//! says so; people acknowledge and resolve over the API, audited; other tenants are refused.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use hmac::{Hmac, Mac};
use ingot_kernel::db::Backend;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::Sha256;

use crate::{TestApp, audited, send};

/// One request the receiver was sent: path, `Ingot-Signature`, body.
type Arrival = (String, Option<String>, Value);

#[derive(Clone, Default)]
struct Receiver {
    received: Arc<Mutex<Vec<Arrival>>>,
    /// Answer 500 to this many requests first.
    fail_next: Arc<AtomicU32>,
}

impl Receiver {
    fn taken(&self) -> Vec<Arrival> {
        std::mem::take(&mut *self.received.lock().unwrap())
    }
}

async fn receive(
    State(receiver): State<Receiver>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: String,
) -> AxumStatus {
    if receiver
        .fail_next
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
    {
        return AxumStatus::INTERNAL_SERVER_ERROR;
    }
    let signature = headers
        .get("ingot-signature")
        .map(|v| v.to_str().unwrap().to_string());
    let body: Value = serde_json::from_str(&body).unwrap();
    receiver
        .received
        .lock()
        .unwrap()
        .push((uri.path().to_string(), signature, body));
    AxumStatus::ACCEPTED
}

/// A local receiver for webhook pages (`/hook/<person>`) and PagerDuty events (`/pagerduty`).
async fn receiver_start() -> (Receiver, String) {
    let receiver = Receiver::default();
    let router = axum::Router::new()
        .route("/{*path}", axum::routing::post(receive))
        .with_state(receiver.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    (receiver, url)
}

const HOOK_SECRET: &str = "a-webhook-secret-for-paging";

/// The on-call file: one person per role, reachable by webhook, PagerDuty or both.
fn on_call_file(receiver: &str) -> std::path::PathBuf {
    let text = format!(
        r#"
[[people]]
name = "Bea"
role = "backend-engineer"
webhook_url = "{receiver}/hook/bea"
webhook_secret = "{HOOK_SECRET}"

[[people]]
name = "Sam"
role = "security-champion"
pagerduty_routing_key = "R0UTING-KEY-SAM"

[[people]]
name = "Lee"
role = "platform-lead"
webhook_url = "{receiver}/hook/lee"
pagerduty_routing_key = "R0UTING-KEY-LEE"

[[people]]
name = "Ira"
role = "infra-sre"
webhook_url = "{receiver}/hook/ira"
"#
    );
    let path = std::env::temp_dir().join(format!("ingot-oncall-{}.toml", ingot_kernel::id::new_ulid()));
    std::fs::write(&path, text).unwrap();
    path
}

async fn app_paging(backend: Backend, receiver: &str) -> TestApp {
    let on_call = on_call_file(receiver);
    let pagerduty = format!("{receiver}/pagerduty");
    crate::spawn_app_with(
        backend,
        move |config| {
            config.alerts_thresholds.login_failures = 3.0;
            // The tests jump the clock by half an hour: every controller's lease would look lost
            // (its renewals run on real time). `the_runtime_rules_see_a_lost_lease` covers that rule.
            config.alerts_thresholds.lease_expired_s = 1e9;
            config.alerts_thresholds.consumer_lag_s = 1e9;
            config.paging_oncall_file = Some(on_call);
            config.paging_pagerduty_url = pagerduty;
        },
        // The test drives every alert and paging pass itself.
        |seams| seams.controllers_off = vec!["operations.alerts", "operations.paging"],
    )
    .await
}

async fn incidents(app: &TestApp, query: &str) -> Vec<Value> {
    let (status, page) = send(
        app,
        Some(&app.admin_token),
        "GET",
        &format!("/v1/admin/incidents{query}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"].as_array().unwrap().clone()
}

async fn incident(app: &TestApp, id: &str) -> Value {
    let (status, incident) = send(
        app,
        Some(&app.admin_token),
        "GET",
        &format!("/v1/admin/incidents/{id}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{incident}");
    incident
}

fn timeline_kinds(incident: &Value) -> Vec<String> {
    incident["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect()
}

/// (path, reason or PagerDuty action) of what arrived, sorted.
fn arrivals(received: &[Arrival]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = received
        .iter()
        .map(|(path, _, body)| {
            let what = body["reason"]
                .as_str()
                .or(body["event_action"].as_str())
                .unwrap()
                .to_string();
            (path.clone(), what)
        })
        .collect();
    out.sort();
    out
}

/// `times` failed logins, each for another address (one account would be throttled sooner).
async fn login_fails(app: &TestApp, times: usize) {
    for _ in 0..times {
        let email = format!(
            "sprayed-{}@example.com",
            ingot_kernel::id::new_ulid().to_string().to_lowercase()
        );
        let (status, _) = send(
            app,
            None,
            "POST",
            "/v1/auth/login",
            Some(json!({"email": email, "password": "not-the-password-at-all"})),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
}

async fn a_sev1_incident_pages_both_escalates_and_is_resolved(backend: Backend) {
    let (receiver, receiver_url) = receiver_start().await;
    let app = app_paging(backend, &receiver_url).await;
    let (tenant, created) = app.signed_up("victim").await;

    // Below the threshold nothing opens.
    login_fails(&app, 2).await;
    assert!(app.operations.alerts_evaluate().await.unwrap().is_empty());
    assert!(incidents(&app, "").await.is_empty());

    // The third failure in the window: IAM (SEV-1) fires.
    login_fails(&app, 1).await;
    let firing = app.operations.alerts_evaluate().await.unwrap();
    assert_eq!(
        firing,
        [("login_failure_spike".to_string(), "platform".to_string())]
    );
    // Deduplicated by rule and subject: the next pass refreshes the same incident.
    app.operations.alerts_evaluate().await.unwrap();
    let open = incidents(&app, "").await;
    assert_eq!(open.len(), 1, "{open:?}");
    let id = open[0]["id"].as_str().unwrap().to_string();
    assert_eq!(
        (
            open[0]["context"].as_str(),
            open[0]["severity"].as_str(),
            open[0]["state"].as_str(),
            open[0]["runbook"].as_str()
        ),
        (
            Some("IAM"),
            Some("SEV-1"),
            Some("open"),
            Some("docs/runbooks/iam.md#login-failure-spike")
        )
    );

    // SEV-1: the primary (backend-engineer: Bea, by webhook) and the secondary
    // (security-champion: Sam, by PagerDuty) at once; nobody else.
    assert_eq!(app.operations.pages_deliver().await.unwrap(), 2);
    let received = receiver.taken();
    assert_eq!(
        arrivals(&received),
        [
            ("/hook/bea".to_string(), "opened".to_string()),
            ("/pagerduty".to_string(), "trigger".to_string())
        ]
    );
    let (_, signature, body) = received.iter().find(|(p, _, _)| p == "/hook/bea").unwrap();
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(HOOK_SECRET.as_bytes()).unwrap();
    mac.update(serde_json::to_vec(body).unwrap().as_slice());
    assert_eq!(
        signature.as_deref(),
        Some(format!("sha256={}", hex::encode(mac.finalize().into_bytes())).as_str()),
        "the webhook page is signed with the person's secret"
    );
    assert_eq!(body["incident"]["id"], id.as_str());
    assert_eq!(body["to"]["person"], "Bea");
    let (_, _, pagerduty) = received.iter().find(|(p, _, _)| p == "/pagerduty").unwrap();
    assert_eq!(pagerduty["routing_key"], "R0UTING-KEY-SAM");
    assert_eq!(pagerduty["dedup_key"], id.as_str());
    assert_eq!(pagerduty["payload"]["severity"], "critical");
    assert_eq!(pagerduty["payload"]["component"], "IAM");
    assert!(
        pagerduty["payload"]["summary"]
            .as_str()
            .unwrap()
            .contains("3 failed logins"),
        "{pagerduty}"
    );
    // Sent pages are not sent again.
    assert_eq!(app.operations.pages_deliver().await.unwrap(), 0);
    assert!(receiver.taken().is_empty());

    // 29 minutes unresolved: nothing more. 30: the platform lead, by both their channels.
    app.clock.advance(Duration::from_secs(29 * 60));
    login_fails(&app, 3).await;
    app.operations.alerts_evaluate().await.unwrap();
    assert_eq!(app.operations.pages_deliver().await.unwrap(), 0);
    app.clock.advance(Duration::from_secs(60));
    app.operations.alerts_evaluate().await.unwrap();
    // The receiver fails the first attempt: retried after its backoff, not lost.
    receiver.fail_next.store(1, Ordering::SeqCst);
    app.operations.pages_deliver().await.unwrap();
    app.clock.advance(Duration::from_secs(10));
    app.operations.pages_deliver().await.unwrap();
    assert_eq!(
        arrivals(&receiver.taken()),
        [
            ("/hook/lee".to_string(), "escalated".to_string()),
            ("/pagerduty".to_string(), "trigger".to_string())
        ]
    );
    let shown = incident(&app, &id).await;
    assert!(shown["escalated_at"].is_string(), "{shown}");
    let kinds = timeline_kinds(&shown);
    for kind in ["opened", "page_queued", "paged", "escalated", "page_failed"] {
        assert!(kinds.contains(&kind.to_string()), "{kind} missing from {kinds:?}");
    }
    assert_eq!(kinds.iter().filter(|k| *k == "paged").count(), 4, "{kinds:?}");

    // A tenant is refused every incident route, and changes nothing.
    let tenant_token = created.session_token.clone();
    for (method, path) in [
        ("GET", "/v1/admin/incidents".to_string()),
        ("GET", format!("/v1/admin/incidents/{id}")),
        ("POST", format!("/v1/admin/incidents/{id}/ack")),
        ("POST", format!("/v1/admin/incidents/{id}/resolve")),
    ] {
        let body = (method == "POST").then(|| json!({}));
        let (status, problem) = send(&app, Some(&tenant_token), method, &path, body).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}: {problem}");
    }
    let (status, _) = send(&app, None, "GET", "/v1/admin/incidents", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    drop(tenant);
    assert_eq!(incident(&app, &id).await["state"], "open");

    // Bad input: an unknown id, a malformed one, a note too long, a wrong type.
    let admin = Some(app.admin_token.as_str());
    let unknown = ingot_kernel::id::IncidentId::generate();
    let (status, _) = send(
        &app,
        admin,
        "POST",
        &format!("/v1/admin/incidents/{unknown}/ack"),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = send(&app, admin, "GET", "/v1/admin/incidents/inc_nope", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, problem) = send(
        &app,
        admin,
        "POST",
        &format!("/v1/admin/incidents/{id}/ack"),
        Some(json!({"note": "x".repeat(1_001)})),
    )
    .await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("note"))
    );
    let (status, _) = send(
        &app,
        admin,
        "POST",
        &format!("/v1/admin/incidents/{id}/ack"),
        Some(json!({"note": 5})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = send(&app, admin, "GET", "/v1/admin/incidents?state=sleeping", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(incident(&app, &id).await["state"], "open");

    // Acknowledged (twice: the same), then resolved; both audited.
    let path = format!("/v1/admin/incidents/{id}/ack");
    let (status, acked) = send(
        &app,
        admin,
        "POST",
        &path,
        Some(json!({"note": "looking at the login page"})),
    )
    .await;
    assert_eq!(
        (status, acked["state"].as_str()),
        (StatusCode::OK, Some("acknowledged")),
        "{acked}"
    );
    let (status, again) = send(&app, admin, "POST", &path, Some(json!({}))).await;
    assert_eq!(
        (status, &again["acknowledged_at"]),
        (StatusCode::OK, &acked["acknowledged_at"])
    );
    let path = format!("/v1/admin/incidents/{id}/resolve");
    let (status, resolved) = send(
        &app,
        admin,
        "POST",
        &path,
        Some(json!({"note": "a password sprayer, blocked"})),
    )
    .await;
    assert_eq!(
        (status, resolved["state"].as_str()),
        (StatusCode::OK, Some("resolved")),
        "{resolved}"
    );
    assert!(
        resolved["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "resolved" && e["detail"].as_str().unwrap().contains("password sprayer")),
        "{resolved}"
    );
    let (status, problem) = send(&app, admin, "POST", &path, Some(json!({}))).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (StatusCode::CONFLICT, Some("conflict"))
    );
    assert_eq!(
        audited(&app, "operations.incident.").await,
        ["operations.incident.acknowledge", "operations.incident.resolve"]
    );
    // PagerDuty hears of the resolution for each person it paged.
    app.operations.pages_deliver().await.unwrap();
    let resolves: Vec<String> = receiver
        .taken()
        .iter()
        .filter(|(path, _, body)| path == "/pagerduty" && body["event_action"] == "resolve")
        .map(|(_, _, body)| body["routing_key"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(resolves.len(), 2, "{resolves:?}");

    // Resolved, the condition still holding: the next firing opens a new incident.
    app.operations.alerts_evaluate().await.unwrap();
    let open = incidents(&app, "").await;
    assert_eq!(open.len(), 1);
    assert_ne!(open[0]["id"].as_str(), Some(id.as_str()));
    assert_eq!(incidents(&app, "?all=true").await.len(), 2);
    assert_eq!(incidents(&app, "?state=resolved").await.len(), 1);

    // Resolved before its pages went out: they are withdrawn, nobody is woken, and PagerDuty
    // (which never got a trigger) is not sent a resolve either.
    let second = open[0]["id"].as_str().unwrap().to_string();
    let (status, _) = send(
        &app,
        admin,
        "POST",
        &format!("/v1/admin/incidents/{second}/resolve"),
        Some(json!({"note": "known: the same sprayer"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.operations.pages_deliver().await.unwrap(), 0);
    assert!(receiver.taken().is_empty(), "no page for a resolved incident");
    assert!(timeline_kinds(&incident(&app, &second).await).contains(&"pages_cancelled".to_string()));
    // Another pass with the condition still there opens a third, not a page for the second.
    app.operations.alerts_evaluate().await.unwrap();
    assert_eq!(incidents(&app, "?all=true").await.len(), 3);
    app.stop().await;
}
on_both_backends!(a_sev1_incident_pages_both_escalates_and_is_resolved);

/// Two imported nodes at a fresh site; their ids.
async fn nodes_imported(app: &TestApp) -> Vec<String> {
    let admin = Some(app.admin_token.as_str());
    let (status, site) = send(
        app,
        admin,
        "POST",
        "/v1/admin/sites",
        Some(json!({"name": "ops1", "region": "eu-west", "country": "IE", "status": "active"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{site}");
    let facts = json!({"cpu": {"model": "EPYC 9554", "sockets": 1, "cores": 64}, "ram_mib": 393_216,
        "disks": [{"size_gib": 1_920, "kind": "nvme"}]});
    let (status, report) = send(
        app,
        admin,
        "POST",
        "/v1/admin/nodes/import",
        Some(json!({"nodes": [
            {"hostname": "ops1-a", "site": "ops1", "state": "available", "facts": facts},
            {"hostname": "ops1-b", "site": "ops1", "state": "available", "facts": facts},
        ]})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{report}");
    let (_, nodes) = send(app, admin, "GET", "/v1/admin/nodes?site=ops1", None).await;
    let mut ids: Vec<(String, String)> = nodes["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["hostname"].as_str().unwrap().to_string(),
                n["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    ids.sort();
    ids.into_iter().map(|(_, id)| id).collect()
}

async fn a_sev2_incident_pages_the_primary_and_maintenance_holds_paging(backend: Backend) {
    let (receiver, receiver_url) = receiver_start().await;
    let app = app_paging(backend, &receiver_url).await;
    let admin = Some(app.admin_token.as_str());
    let nodes = nodes_imported(&app).await;

    // Node b carries a condition expected during maintenance before either is quarantined.
    let node_b: ingot_kernel::id::NodeId = nodes[1].parse().unwrap();
    ingot_contracts::inventory::NodeRegistry::node_health_raise(
        app.inventory.as_ref(),
        node_b,
        ingot_contracts::inventory::HealthCondition {
            kind: "firmware_update".into(),
            action: ingot_contracts::inventory::HealthAction::SuppressesAlerting,
            source: "operator:test".into(),
            since: ingot_kernel::Clock::now(&app.clock),
            detail: None,
        },
    )
    .await
    .unwrap();
    for id in &nodes {
        let (status, body) = send(
            &app,
            admin,
            "POST",
            &format!("/v1/admin/nodes/{id}/quarantine"),
            Some(json!({"enabled": true, "reason": "ECC errors"})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    app.operations.alerts_evaluate().await.unwrap();
    let open = incidents(&app, "").await;
    assert_eq!(open.len(), 2, "{open:?}");
    assert!(
        open.iter()
            .all(|i| i["severity"] == "SEV-2" && i["context"] == "Inventory.Catalog")
    );

    // Node a: SEV-2 pages the primary only (backend-engineer: Bea), not the secondary.
    // Node b: held, and its timeline says why.
    assert_eq!(app.operations.pages_deliver().await.unwrap(), 1);
    let received = receiver.taken();
    assert_eq!(
        arrivals(&received),
        [("/hook/bea".to_string(), "opened".to_string())]
    );
    assert_eq!(received[0].2["incident"]["subject"], format!("node:{}", nodes[0]));
    let held = open
        .iter()
        .find(|i| i["subject"] == format!("node:{}", nodes[1]))
        .unwrap();
    let held = incident(&app, held["id"].as_str().unwrap()).await;
    assert!(
        held["paging_held"].as_str().unwrap().contains("firmware_update"),
        "{held}"
    );
    assert_eq!(timeline_kinds(&held), ["opened", "paging_held"]);

    // Held past the escalation time: no escalation either.
    app.clock.advance(Duration::from_secs(31 * 60));
    app.operations.alerts_evaluate().await.unwrap();
    app.operations.pages_deliver().await.unwrap();
    let escalated = arrivals(&receiver.taken());
    assert_eq!(
        escalated,
        [
            ("/hook/lee".to_string(), "escalated".to_string()),
            ("/pagerduty".to_string(), "trigger".to_string())
        ],
        "only node a's incident escalates"
    );

    // Maintenance over: paging resumes and the timeline says so.
    ingot_contracts::inventory::NodeRegistry::node_health_clear(
        app.inventory.as_ref(),
        node_b,
        "firmware_update",
    )
    .await
    .unwrap();
    app.operations.alerts_evaluate().await.unwrap();
    app.operations.pages_deliver().await.unwrap();
    let resumed = incident(&app, held["id"].as_str().unwrap()).await;
    let kinds = timeline_kinds(&resumed);
    assert!(
        kinds.contains(&"paging_resumed".to_string()) && kinds.contains(&"paged".to_string()),
        "{kinds:?}"
    );
    assert!(resumed["paging_held"].is_null());

    // The quarantine cleared: the incident is marked cleared, not resolved (a person resolves).
    let (status, _) = send(
        &app,
        admin,
        "POST",
        &format!("/v1/admin/nodes/{}/quarantine", nodes[0]),
        Some(json!({"enabled": false})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    app.operations.alerts_evaluate().await.unwrap();
    let cleared = incidents(&app, "")
        .await
        .into_iter()
        .find(|i| i["subject"] == format!("node:{}", nodes[0]))
        .unwrap();
    assert_eq!(
        (cleared["firing"].as_bool(), cleared["state"].as_str()),
        (Some(false), Some("open"))
    );
    app.stop().await;
}
on_both_backends!(a_sev2_incident_pages_the_primary_and_maintenance_holds_paging);

/// A bound MAAS region goes silent: after the threshold, Provisioning.BareMetal.MAAS's rule
/// fires; the site's maintenance window holds its paging.
async fn a_silent_region_opens_an_incident_held_by_the_sites_maintenance_window(backend: Backend) {
    let (receiver, receiver_url) = receiver_start().await;
    let app = app_paging(backend, &receiver_url).await;
    let admin = Some(app.admin_token.as_str());
    nodes_imported(&app).await;
    let sim = ingot_maas_sim::Sim::new(ingot_maas_sim::SimConfig::default(), Arc::new(app.clock.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/MAAS", listener.local_addr().unwrap());
    let region = tokio::spawn(sim.clone().serve(listener));
    // The window covers now (UTC): from the start of this hour, for two hours.
    let now = ingot_kernel::Clock::now(&app.clock);
    let secs = now.as_micros() / 1_000_000;
    let weekday = ["thu", "fri", "sat", "sun", "mon", "tue", "wed"][(secs / 86_400 % 7) as usize];
    let start = format!("{:02}:00", secs % 86_400 / 3_600);
    let (status, bound) = send(
        &app,
        admin,
        "PUT",
        "/v1/admin/sites/ops1/maas",
        Some(json!({"url": url, "api_key": sim.api_key().to_string(),
            "policy": {"maintenance_window": {"weekday": weekday, "start": start, "duration_minutes": 120}}})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{bound}");
    let (status, _) = send(&app, admin, "POST", "/v1/admin/sites/ops1/reconcile", None).await;
    assert_eq!(status, StatusCode::OK);

    // The region stops answering.
    region.abort();
    let _ = region.await;
    let (status, _) = send(&app, admin, "POST", "/v1/admin/sites/ops1/reconcile", None).await;
    assert!(status.is_server_error(), "{status}");
    app.operations.alerts_evaluate().await.unwrap();
    assert!(
        incidents(&app, "").await.is_empty(),
        "silent for less than the threshold"
    );
    app.clock.advance(Duration::from_secs(121));
    let firing = app.operations.alerts_evaluate().await.unwrap();
    assert!(
        firing.iter().any(|(rule, _)| rule == "maas_site_unreachable"),
        "{firing:?}"
    );
    let open = incidents(&app, "").await;
    let silent = open
        .iter()
        .find(|i| i["rule"] == "maas_site_unreachable")
        .unwrap();
    assert_eq!(
        (silent["context"].as_str(), silent["severity"].as_str()),
        (Some("Provisioning.BareMetal.MAAS"), Some("SEV-1"))
    );
    assert!(
        silent["paging_held"]
            .as_str()
            .unwrap()
            .contains("maintenance window"),
        "{silent}"
    );
    app.operations.pages_deliver().await.unwrap();
    assert!(
        !arrivals(&receiver.taken())
            .iter()
            .any(|(path, _)| path == "/hook/ira"),
        "infra-sre is not paged during the site's maintenance window"
    );
    app.stop().await;
}
on_both_backends!(a_silent_region_opens_an_incident_held_by_the_sites_maintenance_window);

/// No replica renews a controller's lease (here: the clock jumps two hours past the terms the
/// controllers hold): Operations' rule fires per controller; with no on-call file, pages go to
/// the log and the outbox (`incident.paged`), to the roles themselves.
async fn the_runtime_rules_see_a_lost_lease(backend: Backend) {
    let app = crate::spawn_app_with(
        backend,
        |_| {},
        // The test drives the alert and paging passes itself.
        |seams| seams.controllers_off = vec!["operations.alerts", "operations.paging"],
    )
    .await;
    let mut tick = tokio::time::interval(Duration::from_millis(20));
    for waited in 0.. {
        let held: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM kernel_leases WHERE name = 'maas.images'")
            .fetch_one(app.db.db.reader())
            .await
            .unwrap();
        if held == 1 {
            break;
        }
        assert!(waited < 1_000, "the controllers never started");
        tick.tick().await;
    }
    // Every domain's source answers on this backend.
    for (source, answer) in app.operations.signals_read().await {
        assert!(answer.is_ok(), "{:?}: {answer:?}", source.signal_names());
    }
    assert!(
        !app.operations
            .alerts_evaluate()
            .await
            .unwrap()
            .iter()
            .any(|(rule, _)| rule == "controller_lease_lost"),
        "every lease is held"
    );
    // A lease released on shutdown is not lost: another replica takes it at its next tick,
    // within the controller's interval (10 minutes for maas.images).
    let holder: String = sqlx::query_scalar("SELECT holder FROM kernel_leases WHERE name = 'maas.images'")
        .fetch_one(app.db.db.reader())
        .await
        .unwrap();
    let now = ingot_kernel::Clock::now(&app.clock);
    ingot_kernel::lease::lease_release(&app.db.db, "maas.images", &holder, now)
        .await
        .unwrap();
    // A consumer far behind but moving (a rebuild reading the history) is not stuck: two events,
    // the consumer's cursor just past the first, ten minutes on — it moved a moment ago.
    let mut seqs = Vec::new();
    for _ in 0..2 {
        let event = ingot_contracts::operations::IncidentChanged {
            incident_id: ingot_kernel::id::IncidentId::generate(),
            state: ingot_contracts::operations::IncidentState::Open,
            by: None,
        };
        let mut tx = app.db.db.begin().await.unwrap();
        let envelope = ingot_kernel::event::DomainEvent::to_envelope(&event, now);
        seqs.push(
            ingot_kernel::outbox::append_in_tx(&mut tx, &envelope)
                .await
                .unwrap(),
        );
        tx.commit().await.unwrap();
    }
    app.clock.advance(Duration::from_secs(10 * 60));
    let moved = ingot_kernel::Clock::now(&app.clock);
    let txid: i64 = sqlx::query_scalar("SELECT txid FROM kernel_outbox WHERE seq = $1")
        .bind(seqs[0])
        .fetch_one(app.db.db.reader())
        .await
        .unwrap();
    sqlx::query("INSERT INTO kernel_outbox_cursors (consumer, txid, seq, updated_at_us) VALUES ('test.rebuild', $1, $2, $3)")
        .bind(txid)
        .bind(seqs[0])
        .bind(moved.as_micros())
        .execute(app.db.db.reader())
        .await
        .unwrap();
    let lag = |signals: Vec<ingot_contracts::operations::Signal>| {
        signals
            .into_iter()
            .find(|s| s.subject == "consumer:test.rebuild")
            .map(|s| s.value)
    };
    let mut read = Vec::new();
    for (_, answer) in app.operations.signals_read().await {
        read.extend(answer.unwrap());
    }
    assert_eq!(
        lag(read),
        Some(0.0),
        "an event waited ten minutes, but the cursor just moved"
    );
    // (Controllers ticking every second or so renew on real time, behind the jumped clock:
    // only the subjects under test are looked at.)
    let firing = app.operations.alerts_evaluate().await.unwrap();
    assert!(
        !firing.contains(&(
            "controller_lease_lost".to_string(),
            "controller:maas.images".to_string()
        )),
        "released ten minutes ago, within maas.images' interval and the threshold: {firing:?}"
    );
    assert!(
        !firing.contains(&(
            "outbox_consumer_lag".to_string(),
            "consumer:test.rebuild".to_string()
        )),
        "{firing:?}"
    );
    // The cursor stands still past the threshold with an event waiting: stuck, paged.
    app.clock.advance(Duration::from_secs(6 * 60));
    let firing = app.operations.alerts_evaluate().await.unwrap();
    assert!(
        firing.contains(&(
            "outbox_consumer_lag".to_string(),
            "consumer:test.rebuild".to_string()
        )),
        "{firing:?}"
    );
    // maas.images renews every 10 minutes for 30: two hours on, nobody holds it.
    app.clock.advance(Duration::from_secs(2 * 3_600));
    let firing = app.operations.alerts_evaluate().await.unwrap();
    assert!(
        firing.contains(&(
            "controller_lease_lost".to_string(),
            "controller:maas.images".to_string()
        )),
        "{firing:?}"
    );
    let lost = incidents(&app, "")
        .await
        .into_iter()
        .find(|i| i["subject"] == "controller:maas.images")
        .unwrap();
    assert_eq!(
        (lost["context"].as_str(), lost["severity"].as_str()),
        (Some("Operations"), Some("SEV-1"))
    );
    app.operations.pages_deliver().await.unwrap();
    let paged: Vec<String> = sqlx::query_scalar(
        "SELECT payload FROM kernel_outbox WHERE event_type = 'incident.paged' AND subject = $1 ORDER BY seq",
    )
    .bind(lost["id"].as_str().unwrap())
    .fetch_all(app.db.db.reader())
    .await
    .unwrap();
    let mut roles: Vec<(String, String, String)> = paged
        .iter()
        .map(|p| {
            let p: Value = serde_json::from_str(p).unwrap();
            (
                p["role"].as_str().unwrap().to_string(),
                p["channel"].as_str().unwrap().to_string(),
                p["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    roles.sort();
    // Opened at the pass after maas.images' lease went unclaimed, unresolved for two hours:
    // primary and secondary, then the escalation.
    let page = |role: &str, reason: &str| (role.to_string(), "log".to_string(), reason.to_string());
    assert_eq!(
        roles,
        [
            page("infra-sre", "opened"),
            page("platform-lead", "escalated"),
            page("platform-lead", "opened")
        ]
    );
    app.stop().await;
}
on_both_backends!(the_runtime_rules_see_a_lost_lease);

/// The web app's incident pages: the list, one incident with its timeline, acknowledging by
/// its form (CSRF token, Origin); a tenant gets the domain's refusal.
#[tokio::test]
async fn the_web_app_lists_shows_and_acknowledges_incidents() {
    let (_receiver, receiver_url) = receiver_start().await;
    let app = app_paging(Backend::Sqlite, &receiver_url).await;
    login_fails(&app, 3).await;
    app.operations.alerts_evaluate().await.unwrap();
    let id = incidents(&app, "").await[0]["id"].as_str().unwrap().to_string();
    let (_, operator) = app.signed_up("olga").await;
    app.admin()
        .platform_roles_set(
            operator.user.id,
            &ingot_contracts::iam::PlatformRolesRequest {
                platform_roles: vec![ingot_contracts::iam::PlatformRole::Operator],
            },
        )
        .await
        .unwrap();
    let client = ingot_kernel::outbound::client_builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let cookie = format!("ingot_session={}", operator.session_token);
    let get = |path: String, cookie: String| {
        let client = client.clone();
        let url = format!("{}{path}", app.url);
        async move {
            let response = client.get(url).header("cookie", cookie).send().await.unwrap();
            (response.status(), response.text().await.unwrap())
        }
    };
    let (status, list) = get("/admin/incidents".into(), cookie.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        list.contains(&id) && list.contains("Failed logins spiked") && list.contains("SEV-1"),
        "{list}"
    );
    let (status, shown) = get(format!("/admin/incidents/{id}"), cookie.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        shown.contains("docs/runbooks/iam.md#login-failure-spike") && shown.contains("page queued"),
        "{shown}"
    );
    let token = shown
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    // A note too long: the page again, the note kept, the reason beside the ack form's field.
    let long = "x".repeat(1_001);
    let refused = client
        .post(format!("{}/admin/incidents/{id}/ack", app.url))
        .header("cookie", &cookie)
        .header("origin", &app.url)
        .form(&[("_csrf", token.as_str()), ("note", long.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(page.contains("id=\"f-ack-note-error\""), "{page}");
    assert!(!page.contains("id=\"f-resolve-note-error\""));
    assert!(page.contains(&long), "the note is kept");
    assert_eq!(incident(&app, &id).await["state"], "open");
    let acked = client
        .post(format!("{}/admin/incidents/{id}/ack", app.url))
        .header("cookie", &cookie)
        .header("origin", &app.url)
        .form(&[("_csrf", token.as_str()), ("note", "looking from the web")])
        .send()
        .await
        .unwrap();
    assert_eq!(acked.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        acked.headers()["location"],
        format!("/admin/incidents/{id}").as_str()
    );
    let shown = incident(&app, &id).await;
    assert_eq!(shown["state"], "acknowledged");
    assert!(shown.to_string().contains("looking from the web"));
    // Without the page's token: refused, nothing changes.
    let forged = client
        .post(format!("{}/admin/incidents/{id}/resolve", app.url))
        .header("cookie", &cookie)
        .header("origin", &app.url)
        .form(&[("_csrf", "forged"), ("note", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(incident(&app, &id).await["state"], "acknowledged");
    // A tenant is refused the pages.
    let (_, tenant) = app.signed_up("tina").await;
    let (status, _) = get(
        "/admin/incidents".into(),
        format!("ingot_session={}", tenant.session_token),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    app.stop().await;
}
