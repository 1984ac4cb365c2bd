//! The Rust SDK's own behaviour against a scripted server: it sends again after 429/503 as
//! `Retry-After` says (and only so often), a POST keeps one idempotency key across its resends,
//! readiness's 503 is an answer, and pagers walk every page.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use serde_json::json;

/// What the scripted server saw: per request, its path and query and its idempotency key.
#[derive(Default)]
struct Seen {
    requests: Mutex<Vec<(String, Option<String>)>>,
}

impl Seen {
    fn record(&self, what: String, headers: &HeaderMap) -> usize {
        let key = headers
            .get("idempotency-key")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let mut requests = self.requests.lock().unwrap();
        requests.push((what, key));
        requests.len()
    }

    fn all(&self) -> Vec<(String, Option<String>)> {
        self.requests.lock().unwrap().clone()
    }
}

fn busy(status: StatusCode) -> axum::response::Response {
    let mut response = (
        status,
        [("content-type", "application/problem+json")],
        json!({
            "type": "about:blank", "title": "Busy", "status": status.as_u16(), "code": "rate_limited"
        })
        .to_string(),
    )
        .into_response();
    response.headers_mut().insert("retry-after", "0".parse().unwrap());
    response
}

async fn scripted(seen: Arc<Seen>) -> String {
    let offers = seen.clone();
    let tenants = seen.clone();
    let ready = seen.clone();
    let audit = seen.clone();
    let router = Router::new()
        // Busy twice, then the answer.
        .route(
            "/v1/catalog/offers",
            get(move |headers: HeaderMap| async move {
                match offers.record("offers".into(), &headers) {
                    1 => busy(StatusCode::TOO_MANY_REQUESTS),
                    2 => busy(StatusCode::SERVICE_UNAVAILABLE),
                    _ => axum::Json(json!([])).into_response(),
                }
            }),
        )
        // Always busy.
        .route(
            "/v1/tenants",
            axum::routing::post(move |headers: HeaderMap| async move {
                tenants.record("tenants".into(), &headers);
                busy(StatusCode::TOO_MANY_REQUESTS)
            }),
        )
        .route(
            "/readyz",
            get(move |headers: HeaderMap| async move {
                ready.record("ready".into(), &headers);
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    axum::Json(json!({"status": "unavailable", "version": "test", "checks": []})),
                )
            }),
        )
        // Three pages of audit events.
        .route(
            "/v1/audit-events",
            get(
                move |headers: HeaderMap, axum::extract::RawQuery(query): axum::extract::RawQuery| async move {
                    let query = query.unwrap_or_default();
                    audit.record(format!("audit?{query}"), &headers);
                    let event = |position: i64| {
                        json!({"position": position, "at": "2026-12-05T10:00:00Z", "action": "iam.login",
                               "outcome": "success", "details": {}})
                    };
                    let page = match query.as_str() {
                        "" => json!({"items": [event(1), event(2)], "next_cursor": "p2"}),
                        "cursor=p2" => json!({"items": [event(3)], "next_cursor": "p3"}),
                        "cursor=p3" => json!({"items": [event(4), event(5)]}),
                        _ => json!({"items": []}),
                    };
                    axum::Json(page)
                },
            ),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    url
}

#[tokio::test]
async fn the_sdk_retries_what_is_safe_and_walks_pages() {
    let seen = Arc::new(Seen::default());
    let url = scripted(seen.clone()).await;
    let client = ingot_sdk::Client::new(&url).unwrap();

    // 429, then 503, then the answer: one call, three requests.
    let offers = client.catalog_offers().await.unwrap();
    assert!(offers.is_empty());

    // Busy every time: sent 1 + RETRIES_MAX times, then the 429 is the caller's, and every
    // resend carried the first key.
    let refused = client
        .tenant_create(&ingot_contracts::iam::TenantCreateRequest { name: "x".into() })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Some("rate_limited"));

    // Readiness's 503 is the report, not a reason to ask again.
    let readiness = client.readiness_get().await.unwrap();
    assert_eq!(readiness.status, "unavailable");

    let positions: Vec<i64> = client
        .audit_list_all(None)
        .collect()
        .await
        .unwrap()
        .into_iter()
        .map(|event| event.position)
        .collect();
    assert_eq!(positions, [1, 2, 3, 4, 5]);

    let requests = seen.all();
    let count = |what: &str| requests.iter().filter(|(w, _)| w == what).count();
    assert_eq!(count("offers"), 3);
    assert_eq!(count("tenants"), 1 + ingot_sdk::RETRIES_MAX as usize);
    let keys: Vec<&Option<String>> = requests
        .iter()
        .filter(|(what, _)| what == "tenants")
        .map(|(_, key)| key)
        .collect();
    assert!(keys[0].is_some(), "a POST carries a key");
    assert!(
        keys.iter().all(|key| *key == keys[0]),
        "one key across resends: {keys:?}"
    );
    assert_eq!(count("ready"), 1);
    let pages: Vec<&str> = requests
        .iter()
        .filter(|(what, _)| what.starts_with("audit"))
        .map(|(what, _)| what.as_str())
        .collect();
    assert_eq!(pages, ["audit?", "audit?cursor=p2", "audit?cursor=p3"]);
}
