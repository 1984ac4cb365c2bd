//! The house HTTP conventions (ingotd::http::conventions), exercised on a small router of test
//! routes wrapped exactly as the real one is: request ids, limits, problem+json, idempotency.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::routing::{get, post};
use ingot_kernel::problem::{Code, Problem};
use ingot_kernel::testing::TestDb;
use ingot_kernel::{Clock, SystemClock};
use ingotd::config::HttpLimits;
use ingotd::http::{EdgeState, conventions, rate_limit::RateLimiter};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::Notify;

use super::{ADMIN_TOKEN, FixedTokens, MEMBER_TOKEN, http};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewThing {
    name: String,
    count: u32,
}

#[derive(Default)]
struct Probe {
    created: AtomicUsize,
    entered: Notify,
    release: Notify,
}

struct Served {
    url: String,
    probe: Arc<Probe>,
    _db: TestDb,
}

async fn serve(limits: HttpLimits) -> Served {
    let test_db = TestDb::sqlite().await.migrated(&ingotd::migration_sets()).await;
    let probe = Arc::new(Probe::default());
    let (p1, p2) = (probe.clone(), probe.clone());
    let router = Router::new()
        .route(
            "/v1/things",
            post(
                move |ingot_kernel::http::Json(thing): ingot_kernel::http::Json<NewThing>| async move {
                    let n = p1.created.fetch_add(1, Ordering::SeqCst) + 1;
                    (
                        axum::http::StatusCode::CREATED,
                        ingot_kernel::http::Json(json!({"n": n, "name": thing.name, "count": thing.count})),
                    )
                },
            ),
        )
        .route(
            "/v1/slow",
            post(move || async move {
                p2.entered.notify_one();
                p2.release.notified().await;
                "done"
            }),
        )
        .route(
            "/v1/boom",
            get(|| async {
                Problem::internal(std::io::Error::other("db password=hunter2 in a driver message"))
            }),
        )
        .route(
            "/v1/conflict",
            post(|| async { Problem::new(Code::Conflict).detail("already there") }),
        );
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let edge = EdgeState {
        db: test_db.db.clone(),
        clock,
        authenticator: Arc::new(FixedTokens),
        rate_limiter: Arc::new(RateLimiter::new(limits.rate_limit_per_s, limits.rate_limit_burst)),
        limits,
        secrets: ingot_kernel::crypto::SecretBox::from_base64(
            &ingot_kernel::crypto::SecretBox::key_generate().unwrap(),
        )
        .unwrap(),
    };
    let app = conventions(router, edge);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
        .unwrap();
    });
    Served {
        url,
        probe,
        _db: test_db,
    }
}

fn unlimited() -> HttpLimits {
    HttpLimits {
        rate_limit_per_s: 0,
        ..HttpLimits::default()
    }
}

async fn problem(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json",
        "status {status}"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], status);
    assert!(
        body["request_id"].as_str().is_some_and(|id| !id.is_empty()),
        "{body}"
    );
    (status, body)
}

#[tokio::test]
async fn request_ids_are_echoed_or_made() {
    let s = serve(unlimited()).await;
    let response = http()
        .get(format!("{}/v1/boom", s.url))
        .header("x-request-id", "client-abc.123")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "client-abc.123");
    let (_, body) = problem(response).await;
    assert_eq!(body["request_id"], "client-abc.123");

    let response = http().get(format!("{}/v1/boom", s.url)).send().await.unwrap();
    let made = response.headers()["x-request-id"].to_str().unwrap().to_string();
    assert!(made.starts_with("req_"), "{made}");

    let response = http()
        .get(format!("{}/v1/boom", s.url))
        .header("x-request-id", "evil\tid with spaces")
        .send()
        .await
        .unwrap();
    assert!(
        response.headers()["x-request-id"]
            .to_str()
            .unwrap()
            .starts_with("req_"),
        "odd ids are replaced"
    );
}

#[tokio::test]
async fn bad_bodies_get_the_right_problem_and_never_a_500() {
    let s = serve(unlimited()).await;
    let post = |body: &'static str, content_type: &'static str| {
        http()
            .post(format!("{}/v1/things", s.url))
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let (status, body) = problem(post("{\"name\": \"a\", ", "application/json").await.unwrap()).await;
    assert_eq!((status, body["code"].as_str()), (400, Some("malformed_json")));
    let (status, body) = problem(
        post("{\"name\": \"a\", \"count\": \"many\"}", "application/json")
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((status, body["code"].as_str()), (422, Some("invalid_body")));
    assert!(body["detail"].as_str().unwrap().contains("count"), "{body}");
    let (status, body) = problem(
        post("{\"name\": \"a\", \"count\": 1}", "text/plain")
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (415, Some("unsupported_media_type"))
    );
    // serde would read a struct from an array of its fields; a body is an object (found by the
    // API fuzzer: `[null, null]` patched a tenant with nothing).
    let (status, body) = problem(post("  [\"a\", 1]", "application/json").await.unwrap()).await;
    assert_eq!(
        (status, body["code"].as_str(), body["detail"].as_str()),
        (422, Some("invalid_body"), Some("the body must be a JSON object"))
    );
    for garbage in [
        "",
        "null",
        "[]",
        "\u{0}",
        "{\"name\": 1e999}",
        "{\"name\":\"a\",\"count\":-1}",
        "{\"name\":\"a\",\"count\":1,\"extra\":1}",
    ] {
        let response = http()
            .post(format!("{}/v1/things", s.url))
            .header("content-type", "application/json")
            .body(garbage)
            .send()
            .await
            .unwrap();
        let (status, _) = problem(response).await;
        assert!((400..500).contains(&status), "{garbage:?} gave {status}");
    }
    assert_eq!(
        s.probe.created.load(Ordering::SeqCst),
        0,
        "no bad body reached the handler"
    );
}

#[tokio::test]
async fn bodies_past_the_limit_are_413() {
    let s = serve(HttpLimits {
        body_bytes_max: 1_024,
        ..unlimited()
    })
    .await;
    let big = format!("{{\"name\": \"{}\", \"count\": 1}}", "x".repeat(2_000));
    let response = http()
        .post(format!("{}/v1/things", s.url))
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    let (status, body) = problem(response).await;
    assert_eq!((status, body["code"].as_str()), (413, Some("payload_too_large")));
    assert_eq!(s.probe.created.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn internal_errors_are_opaque_500s() {
    let s = serve(unlimited()).await;
    let (status, body) = problem(http().get(format!("{}/v1/boom", s.url)).send().await.unwrap()).await;
    assert_eq!((status, body["code"].as_str()), (500, Some("internal")));
    assert!(!body.to_string().contains("hunter2"), "{body}");
}

#[tokio::test]
async fn domain_problems_keep_their_code_and_detail() {
    let s = serve(unlimited()).await;
    let (status, body) = problem(
        http()
            .post(format!("{}/v1/conflict", s.url))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str(), body["detail"].as_str()),
        (409, Some("conflict"), Some("already there"))
    );
    assert_eq!(body["instance"], "/v1/conflict");
}

#[tokio::test]
async fn bad_credentials_are_401_whatever_the_route() {
    let s = serve(unlimited()).await;
    for auth in ["Bearer nope", "Basic dXNlcjpwYXNz", "Bearer", "Bearer  "] {
        let response = http()
            .get(format!("{}/v1/boom", s.url))
            .header("authorization", auth)
            .send()
            .await
            .unwrap();
        let (status, body) = problem(response).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (401, Some("unauthenticated")),
            "{auth}"
        );
    }
}

#[tokio::test]
async fn slow_requests_time_out_with_408() {
    let s = serve(HttpLimits {
        request_timeout: Duration::from_millis(200),
        ..unlimited()
    })
    .await;
    let (status, body) = problem(http().post(format!("{}/v1/slow", s.url)).send().await.unwrap()).await;
    assert_eq!((status, body["code"].as_str()), (408, Some("request_timeout")));
}

#[tokio::test]
async fn floods_from_one_source_get_429_with_retry_after() {
    let s = serve(HttpLimits {
        rate_limit_per_s: 1,
        rate_limit_burst: 3,
        ..HttpLimits::default()
    })
    .await;
    let mut statuses = Vec::new();
    let mut retry_after = None;
    for _ in 0..5 {
        let response = http().get(format!("{}/v1/boom", s.url)).send().await.unwrap();
        if response.status() == 429 {
            retry_after = response
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().to_string());
            let (_, body) = problem(response).await;
            assert_eq!(body["code"], "rate_limited");
            statuses.push(429);
        } else {
            statuses.push(response.status().as_u16());
        }
    }
    // Burst of three, at one per second: the 4th and 5th within the same second are refused.
    assert_eq!(statuses, [500, 500, 500, 429, 429]);
    assert_eq!(retry_after.as_deref(), Some("1"));
}

#[tokio::test]
async fn idempotency_key_replays_the_first_response() {
    let s = serve(unlimited()).await;
    let create = |key: &'static str, body: &'static str, token: &'static str| {
        http()
            .post(format!("{}/v1/things", s.url))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .header("idempotency-key", key)
            .body(body)
            .send()
    };
    let first = create("k-1", r#"{"name":"a","count":1}"#, ADMIN_TOKEN)
        .await
        .unwrap();
    assert_eq!(first.status(), 201);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first: Value = first.json().await.unwrap();

    let again = create("k-1", r#"{"name":"a","count":1}"#, ADMIN_TOKEN)
        .await
        .unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.headers()["content-type"], "application/json");
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    assert_eq!(
        s.probe.created.load(Ordering::SeqCst),
        1,
        "the replay did not run the handler"
    );

    let (status, body) = problem(
        create("k-1", r#"{"name":"b","count":1}"#, ADMIN_TOKEN)
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("idempotency_key_reused"))
    );
    assert_eq!(
        s.probe.created.load(Ordering::SeqCst),
        1,
        "a reused key changes nothing"
    );

    // Keys belong to a credential: someone else's identical key is their own first request.
    let other = create("k-1", r#"{"name":"a","count":1}"#, MEMBER_TOKEN)
        .await
        .unwrap();
    assert_eq!(other.status(), 201);
    assert!(other.headers().get("idempotent-replayed").is_none());
    assert_eq!(s.probe.created.load(Ordering::SeqCst), 2);

    // Without a key, every POST runs.
    for _ in 0..2 {
        let response = http()
            .post(format!("{}/v1/things", s.url))
            .header("content-type", "application/json")
            .body(r#"{"name":"a","count":1}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
    }
    assert_eq!(s.probe.created.load(Ordering::SeqCst), 4);

    let response = http()
        .post(format!("{}/v1/things", s.url))
        .header("idempotency-key", "x".repeat(300))
        .header("content-type", "application/json")
        .body(r#"{"name":"a","count":1}"#)
        .send()
        .await
        .unwrap();
    let (status, _) = problem(response).await;
    assert_eq!(status, 400, "oversized keys are refused");
}

#[tokio::test]
async fn a_retry_while_the_first_runs_is_409() {
    let s = serve(unlimited()).await;
    let url = format!("{}/v1/slow", s.url);
    let first = tokio::spawn(
        http()
            .post(&url)
            .bearer_auth(ADMIN_TOKEN)
            .header("idempotency-key", "slow-1")
            .send(),
    );
    s.probe.entered.notified().await;
    let response = http()
        .post(&url)
        .bearer_auth(ADMIN_TOKEN)
        .header("idempotency-key", "slow-1")
        .send()
        .await
        .unwrap();
    let (status, body) = problem(response).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("idempotency_key_in_use"))
    );
    s.probe.release.notify_one();
    let first = first.await.unwrap().unwrap();
    assert_eq!(first.status(), 200);
    assert_eq!(first.text().await.unwrap(), "done");
    let replay = http()
        .post(&url)
        .bearer_auth(ADMIN_TOKEN)
        .header("idempotency-key", "slow-1")
        .send()
        .await
        .unwrap();
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    assert_eq!(replay.text().await.unwrap(), "done");
}

#[tokio::test]
async fn graceful_shutdown_lets_in_flight_requests_finish() {
    let probe = Arc::new(Probe::default());
    let p = probe.clone();
    let router = Router::new().route(
        "/v1/slow",
        get(move || async move {
            p.entered.notify_one();
            p.release.notified().await;
            "finished"
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/v1/slow", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(ingotd::http_serve(
        router,
        listener,
        Duration::from_secs(30),
        async move {
            let _ = stopped.await;
        },
    ));
    let in_flight = tokio::spawn(http().get(&url).send());
    probe.entered.notified().await;
    stop.send(()).unwrap();
    // Shutdown has begun; the server must wait for the in-flight request, not cut it off.
    tokio::task::yield_now().await;
    assert!(!server.is_finished());
    probe.release.notify_one();
    let response = in_flight.await.unwrap().unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "finished");
    server.await.unwrap().unwrap();
    assert!(
        http().get(&url).send().await.is_err(),
        "no new connections after shutdown"
    );
}
