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

async fn region(app: &TestApp, machines: usize, new_machines: usize) -> (Sim, String) {
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

async fn events(app: &TestApp, event_type: &str) -> Vec<Value> {
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
