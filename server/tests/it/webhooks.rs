//! Webhooks end to end: a project subscribes a receiver on this machine; its deliveries are
//! signed (checked by an independent Python implementation), retried after a 500 and a timeout
//! with backoff, logged attempt by attempt, redelivered by hand, given up after the limit; no
//! other tenant sees or receives any of it; private destinations are refused outside the
//! embedded and test profiles.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use ingot_contracts::iam::KycLevel;
use ingot_kernel::Clock as _;
use ingot_kernel::db::Backend;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::allocation::{KEY, config, tenant};
use super::maas::onboarded;
use super::{TestApp, send, send_with, spawn_app};

/// What the receiver does with its next request.
#[derive(Debug, Clone, Copy)]
enum Answer {
    Status(u16),
    /// Never answers: the sender's timeout ends the attempt.
    Hang,
}

#[derive(Default)]
struct Receiver {
    script: Mutex<VecDeque<Answer>>,
    received: Mutex<Vec<(HeaderMap, Bytes)>>,
}

impl Receiver {
    fn received(&self) -> Vec<(HeaderMap, Bytes)> {
        self.received.lock().unwrap().clone()
    }
}

/// A receiver on 127.0.0.1 answering as scripted (200 once the script is done); its URL.
async fn receiver_start(script: &[Answer]) -> (Arc<Receiver>, String) {
    let receiver = Arc::new(Receiver::default());
    receiver.script.lock().unwrap().extend(script.iter().copied());
    let state = receiver.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let state = state.clone();
            async move {
                state.received.lock().unwrap().push((headers, body));
                let next = state.script.lock().unwrap().pop_front();
                match next.unwrap_or(Answer::Status(200)) {
                    Answer::Status(code) => AxumStatus::from_u16(code).unwrap(),
                    Answer::Hang => std::future::pending().await,
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (receiver, url)
}

/// Runs the Python receiver-side check; whether it said valid.
fn python_verifies(secret: &str, header: &str, body: &[u8], replay_window: Option<(i64, i64)>) -> bool {
    use std::io::Write as _;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/receivers/webhook_verify.py");
    let mut command = std::process::Command::new("python3");
    command.arg(script).arg(secret).arg(header);
    if let Some((now, tolerance)) = replay_window {
        command.args(["--now", &now.to_string(), "--tolerance", &tolerance.to_string()]);
    }
    let mut child = command
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs (the README's requirements)");
    child.stdin.take().unwrap().write_all(body).unwrap();
    let output = child.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&output.stdout).trim().to_string();
    match output.status.code() {
        Some(0) => {
            assert_eq!(said, "valid");
            true
        }
        Some(1) => false,
        other => panic!("the verifier failed ({other:?}): {said}"),
    }
}

fn header(headers: &HeaderMap, name: &str) -> String {
    headers[name].to_str().unwrap().to_string()
}

/// The webhook's deliveries as the API shows them.
async fn deliveries(app: &TestApp, token: &str, path: &str) -> Vec<Value> {
    let (status, list) = send(app, Some(token), "GET", &format!("{path}/deliveries"), None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list.as_array().unwrap().clone()
}

/// Follows events into deliveries until `webhook` has `count` (PostgreSQL shows an event to
/// followers once every older transaction has ended, so this may take a few passes).
async fn deliveries_made(app: &TestApp, token: &str, path: &str, count: usize) -> Vec<Value> {
    let mut tick = tokio::time::interval(Duration::from_millis(50));
    for _ in 0..200 {
        app.app_platform.webhooks_follow(500).await.unwrap();
        let made = deliveries(app, token, path).await;
        if made.len() >= count {
            return made;
        }
        tick.tick().await;
    }
    panic!(
        "the deliveries were never made: {:?}",
        deliveries(app, token, path).await
    );
}

fn secs_until(app: &TestApp, at: &Value) -> i64 {
    let at: ingot_kernel::Timestamp = at.as_str().unwrap().parse().unwrap();
    (at.as_micros() - app.clock.now().as_micros()) / 1_000_000
}

async fn deliveries_are_signed_retried_logged_and_redelivered(backend: Backend) {
    let app = spawn_app(backend, |c| {
        config(c);
        c.webhooks_private_destinations = Some(true);
        c.webhooks_timeout = Duration::from_millis(700);
        c.webhooks_attempts_max = 4;
        c.webhooks_interval = Duration::from_secs(3_600);
    })
    .await;
    // An H100 box, an A100 box and two CPU servers.
    let (_sim, _) = onboarded(&app, 4, json!({})).await;
    let alice = tenant(&app, "alice", KycLevel::Basic, "500").await;
    let bob = tenant(&app, "bob", KycLevel::Basic, "500").await;
    let (receiver, url) = receiver_start(&[Answer::Status(500), Answer::Hang]).await;
    let (bobs_receiver, bobs_url) = receiver_start(&[]).await;
    // A port nothing listens on: every attempt is refused.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/hook", listener.local_addr().unwrap())
    };

    let hooks = format!("/v1/projects/{}/webhooks", alice.project);
    let token = alice.token.as_str();
    let (status, created) = send(
        &app,
        Some(token),
        "POST",
        &hooks,
        Some(json!({"url": url, "events": ["allocation.created"], "description": "ops"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let secret = created["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_") && secret.len() > 40, "{created}");
    let hook = format!("{hooks}/{}", created["webhook"]["id"].as_str().unwrap());
    let (status, dead) = send(
        &app,
        Some(token),
        "POST",
        &hooks,
        Some(json!({"url": closed, "events": ["allocation.*"]})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{dead}");
    let dead_hook = format!("{hooks}/{}", dead["webhook"]["id"].as_str().unwrap());
    let (status, _) = send(
        &app,
        Some(bob.token.as_str()),
        "POST",
        &format!("/v1/projects/{}/webhooks", bob.project),
        Some(json!({"url": bobs_url, "events": ["*"]})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    // The secret is kept sealed, and never shown again.
    let sealed: Vec<String> = sqlx::query_scalar("SELECT secret_sealed FROM app_webhooks")
        .fetch_all(app.db.db.reader())
        .await
        .unwrap();
    assert!(sealed.iter().all(|s| !s.contains(&secret)));
    let (_, shown) = send(&app, Some(token), "GET", &hook, None).await;
    assert!(
        !shown.to_string().contains(&secret) && shown["url"] == url.as_str(),
        "{shown}"
    );

    let (status, allocation) = send(
        &app,
        Some(token),
        "POST",
        &format!("/v1/projects/{}/allocations", alice.project),
        Some(json!({"sku": "cpu-64c", "count": 1, "ssh_keys": [KEY]})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{allocation}");
    let made = deliveries_made(&app, token, &hook, 1).await;
    assert_eq!(made.len(), 1, "only allocation.created: {made:?}");
    assert_eq!(made[0]["event_type"], "allocation.created");
    assert_eq!(made[0]["payload"]["data"]["allocation_id"], allocation["id"]);

    // Attempt 1: the receiver answers 500; the next try is 10 s ± 20% later.
    assert!(app.app_platform.deliveries_drive().await.unwrap() >= 1);
    let log = deliveries(&app, token, &hook).await;
    assert_eq!(
        (log[0]["state"].as_str(), log[0]["attempts"][0]["status"].as_u64()),
        (Some("pending"), Some(500))
    );
    let wait = secs_until(&app, &log[0]["next_attempt_at"]);
    assert!((7..=12).contains(&wait), "first retry in {wait} s");
    // Nothing is due before then.
    let received = receiver.received().len();
    app.app_platform.deliveries_drive().await.unwrap();
    assert_eq!(receiver.received().len(), received, "not retried early");

    // Attempt 2: the receiver never answers; the timeout ends it; 20 s ± 20% later next.
    app.clock.advance(Duration::from_secs(13));
    app.app_platform.deliveries_drive().await.unwrap();
    let log = deliveries(&app, token, &hook).await;
    let second = &log[0]["attempts"][1];
    assert!(
        second["status"].is_null() && second["error"].as_str().unwrap().contains("no answer within"),
        "{second}"
    );
    let wait = secs_until(&app, &log[0]["next_attempt_at"]);
    assert!((15..=24).contains(&wait), "second retry in {wait} s");

    // Attempt 3 is answered 200: delivered.
    app.clock.advance(Duration::from_secs(25));
    app.app_platform.deliveries_drive().await.unwrap();
    let log = deliveries(&app, token, &hook).await;
    assert_eq!(log[0]["state"], "delivered", "{}", log[0]);
    let statuses: Vec<Value> = log[0]["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status"].clone())
        .collect();
    assert_eq!(statuses, [json!(500), Value::Null, json!(200)]);

    // Every request carried the same event, each signed over its own timestamp; an independent
    // implementation agrees, and refuses a changed body, another secret, or a stale timestamp.
    let requests = receiver.received();
    assert_eq!(requests.len(), 3);
    let first_body: Value = serde_json::from_slice(&requests[0].1).unwrap();
    for (i, (headers, body)) in requests.iter().enumerate() {
        let parsed: Value = serde_json::from_slice(body).unwrap();
        assert_eq!(parsed["id"], first_body["id"], "one event id on every attempt");
        assert_eq!(header(headers, "ingot-event"), "allocation.created");
        assert_eq!(header(headers, "ingot-attempt"), (i + 1).to_string());
        assert!(python_verifies(
            &secret,
            &header(headers, "ingot-signature"),
            body,
            None
        ));
    }
    let (headers, body) = &requests[2];
    let signature = header(headers, "ingot-signature");
    let now = app.clock.now().as_micros() / 1_000_000;
    assert!(python_verifies(&secret, &signature, body, Some((now, 300))));
    assert!(
        !python_verifies(&secret, &signature, body, Some((now + 3_600, 300))),
        "a replay an hour later"
    );
    let mut changed = body.to_vec();
    changed[10] ^= 1;
    assert!(!python_verifies(&secret, &signature, &changed, None));
    assert!(!python_verifies("whsec_another", &signature, body, None));
    assert_eq!(first_body["project_id"], alice.project.to_string());
    assert_eq!(first_body["tenant_id"], alice.tenant.to_string());
    assert!(first_body.get("user_data_sealed").is_none() && first_body["data"].get("tenant_id").is_none());

    // Redelivered by hand: the same event again, attempt 4.
    let delivery = log[0]["id"].as_str().unwrap();
    let (status, again) = send(
        &app,
        Some(token),
        "POST",
        &format!("{hook}/deliveries/{delivery}/redeliver"),
        None,
    )
    .await;
    assert_eq!(
        (status, again["state"].as_str()),
        (StatusCode::ACCEPTED, Some("pending")),
        "{again}"
    );
    app.app_platform.deliveries_drive().await.unwrap();
    let requests = receiver.received();
    assert_eq!(requests.len(), 4);
    assert_eq!(header(&requests[3].0, "ingot-attempt"), "4");
    let body: Value = serde_json::from_slice(&requests[3].1).unwrap();
    assert_eq!(body["id"], first_body["id"]);
    let log = deliveries(&app, token, &hook).await;
    assert_eq!(
        (
            log[0]["state"].as_str(),
            log[0]["attempts"].as_array().unwrap().len()
        ),
        (Some("delivered"), 4)
    );

    // The dead receiver's deliveries are given up after 4 attempts, each refused.
    for _ in 0..12 {
        app.clock.advance(Duration::from_secs(200));
        app.app_platform.webhooks_follow(500).await.unwrap();
        app.app_platform.deliveries_drive().await.unwrap();
    }
    let dead_log = deliveries(&app, token, &dead_hook).await;
    assert!(!dead_log.is_empty());
    for delivery in &dead_log {
        assert_eq!(delivery["state"], "failed", "{delivery}");
        let attempts = delivery["attempts"].as_array().unwrap();
        assert_eq!(attempts.len(), 4, "{delivery}");
        assert!(
            attempts
                .iter()
                .all(|a| a["error"].as_str().unwrap().contains("could not connect")),
            "{delivery}"
        );
    }

    // Bob's webhook takes everything of his, and got nothing of Alice's.
    assert!(
        bobs_receiver.received().is_empty(),
        "{:?}",
        bobs_receiver.received()
    );
    let bob_token = Some(bob.token.as_str());
    for (method, path, body) in [
        ("GET", hooks.clone(), None),
        (
            "POST",
            hooks.clone(),
            Some(json!({"url": bobs_url, "events": ["*"]})),
        ),
        ("GET", hook.clone(), None),
        ("PATCH", hook.clone(), Some(json!({"enabled": false}))),
        ("DELETE", hook.clone(), None),
        ("GET", format!("{hook}/deliveries"), None),
        ("POST", format!("{hook}/deliveries/{delivery}/redeliver"), None),
    ] {
        let (status, answer) = send(&app, bob_token, method, &path, body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}: {answer}");
    }

    // Disabled, changed, deleted: audited; the log goes with it.
    let (status, patched) = send(
        &app,
        Some(token),
        "PATCH",
        &hook,
        Some(json!({"enabled": false, "events": ["node.*"]})),
    )
    .await;
    assert_eq!(
        (status, &patched["enabled"], &patched["events"]),
        (StatusCode::OK, &json!(false), &json!(["node.*"]))
    );
    let (status, body) = send(
        &app,
        Some(token),
        "PATCH",
        &hook,
        Some(json!({"events": ["vm.created"]})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = send(&app, Some(token), "DELETE", &hook, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = send(&app, Some(token), "GET", &format!("{hook}/deliveries"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let audited = super::audited(&app, "app.webhook.").await;
    assert_eq!(
        audited,
        [
            "app.webhook.create",
            "app.webhook.create",
            "app.webhook.create",
            "app.webhook.redeliver",
            "app.webhook.update",
            "app.webhook.delete"
        ]
    );
    app.stop().await;
}

on_both_backends!(deliveries_are_signed_retried_logged_and_redelivered);

#[tokio::test]
async fn private_destinations_are_refused_outside_the_embedded_and_test_profiles() {
    let app = spawn_app(Backend::Sqlite, |c| c.webhooks_private_destinations = Some(false)).await;
    let (_, alice) = app.signed_up("alice").await;
    let hooks = format!("/v1/projects/{}/webhooks", alice.project.as_ref().unwrap().id);
    let token = Some(alice.session_token.as_str());
    for url in [
        "http://hooks.example.com/ingot",
        "https://127.0.0.1/hook",
        "https://10.0.0.7/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://[fd00::1]/hook",
        "https://localhost/hook",
        "https://metadata.google.internal/hook",
        "https://me:pw@hooks.example.com/ingot",
        "gopher://hooks.example.com/",
        "not a url",
    ] {
        let (status, body) = send(
            &app,
            token,
            "POST",
            &hooks,
            Some(json!({"url": url, "events": ["*"]})),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{url}: {body}");
        assert_eq!(body["errors"][0]["field"], "url", "{url}: {body}");
    }
    // Sent twice with one Idempotency-Key: one webhook, the same secret both times, and the
    // answer kept for the replay is sealed, the secret nowhere in clear.
    let ask = json!({"url": "https://hooks.example.com/ingot", "events": ["allocation.*", "kyc.changed"]});
    let (status, body) = send_with(
        &app,
        token,
        "POST",
        &hooks,
        Some(ask.clone()),
        Some("create-hook-1"),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, again) = send_with(&app, token, "POST", &hooks, Some(ask), Some("create-hook-1")).await;
    assert_eq!((status, &again["secret"]), (StatusCode::CREATED, &body["secret"]));
    let secret = body["secret"].as_str().unwrap();
    let kept: Vec<String> = sqlx::query_scalar("SELECT body FROM kernel_idempotency WHERE body IS NOT NULL")
        .fetch_all(app.db.db.reader())
        .await
        .unwrap();
    assert!(
        !kept.is_empty()
            && kept
                .iter()
                .all(|b| b.starts_with("sealed:v1:") && !b.contains(secret))
    );
    let (_, listed) = send(&app, token, "GET", &hooks, None).await;
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    let (status, body) = send(
        &app,
        token,
        "POST",
        &hooks,
        Some(json!({"url": "https://hooks.example.com/x", "events": []})),
    )
    .await;
    assert_eq!(
        (status, body["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("events"))
    );
    let (status, body) = send(
        &app,
        token,
        "POST",
        &hooks,
        Some(json!({"url": 7, "events": ["*"]})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, list) = send(&app, None, "GET", "/v1/webhook-events", None).await;
    assert_eq!((status, list.as_array().map(Vec::len)), (StatusCode::OK, Some(9)));
    app.stop().await;
}
