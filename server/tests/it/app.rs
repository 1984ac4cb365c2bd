//! The real application's own routes: health, readiness, metrics, ownership, OpenAPI, 404/405.

use std::collections::BTreeSet;

use ingot_kernel::db::Backend;

use super::{http, spawn_app};

#[tokio::test]
async fn health_and_readiness_on_both_backends() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let app = spawn_app(backend, |_| {}).await;
        let health = app.client().health_get().await.unwrap();
        assert_eq!(health.status, "ok");
        assert!(health.version.starts_with(env!("CARGO_PKG_VERSION")));
        let ready = app.client().readiness_get().await.unwrap();
        assert_eq!(ready.status, "ok", "{backend:?}: {ready:?}");
        assert_eq!(
            ready.checks.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
            ["database"]
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn readiness_checks_redis_when_configured() {
    let redis = std::env::var("INGOT_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let app = spawn_app(Backend::Sqlite, |c| c.redis_url = Some(redis)).await;
    let ready = app.client().readiness_get().await.unwrap();
    assert_eq!(ready.status, "ok", "{ready:?}");
    assert!(ready.checks.iter().any(|c| c.name == "cache" && c.ok));
    app.stop().await;

    // Nothing listens on port 1: the server still starts and serves (the cache is only a
    // cache), and says it is degraded, naming the cache, while staying in rotation.
    let app = spawn_app(Backend::Sqlite, |c| {
        c.redis_url = Some("redis://127.0.0.1:1".into())
    })
    .await;
    let response = http().get(format!("{}/readyz", app.url)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let ready: serde_json::Value = response.json().await.unwrap();
    assert_eq!(ready["status"], "degraded");
    assert_eq!(ready["checks"][1]["name"], "cache");
    assert_eq!(ready["checks"][1]["ok"], false);
    app.stop().await;
}

#[tokio::test]
async fn ownership_is_for_platform_admins_only() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    let registry = app.admin().ownership_get().await.unwrap();
    let mut expected =
        ingot_operations::model::ownership_registry_parse(ingot_operations::model::OWNERS_TOML).unwrap();
    // Beside OWNERS.toml, the projections as the Read Models code declares them.
    expected.projections = ingot_read_models::service::ownerships();
    assert_eq!(registry, expected, "the API serves OWNERS.toml as is");
    let iam = registry.contexts.iter().find(|c| c.name == "IAM").unwrap();
    assert_eq!(
        (
            iam.primary.as_str(),
            iam.secondary.as_str(),
            iam.on_call_severity.as_str()
        ),
        ("backend-engineer", "security-champion", "SEV-1")
    );

    let (member, _) = app.signed_up("mallory").await;
    let err = member.ownership_get().await.unwrap_err();
    assert_eq!(err.code(), Some("forbidden"));
    let err = app.client().ownership_get().await.unwrap_err();
    assert_eq!(err.code(), Some("unauthenticated"));
    let err = app
        .client()
        .with_token("forged")
        .ownership_get()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("unauthenticated"));
    app.stop().await;
}

#[tokio::test]
async fn metrics_count_requests_per_route() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    for _ in 0..3 {
        app.client().health_get().await.unwrap();
    }
    let _ = http()
        .get(format!("{}/no/such/route", app.url))
        .send()
        .await
        .unwrap();
    let text = http()
        .get(format!("{}/metrics", app.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let count = |needle: &str| -> f64 {
        text.lines()
            .find(|l| l.starts_with("ingot_http_requests_total{") && l.contains(needle))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0.0)
    };
    // The recorder is process-wide and tests run in parallel: at least ours were counted.
    assert!(count("route=\"/healthz\",status=\"200\"") >= 3.0, "{text}");
    assert!(count("route=\"unmatched\",status=\"404\"") >= 1.0, "{text}");
    assert!(
        text.contains("ingot_http_request_duration_seconds_bucket{method=\"GET\",route=\"/healthz\""),
        "{text}"
    );
    app.stop().await;
}

#[tokio::test]
async fn openapi_is_valid_3_1_and_describes_every_route() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    let text = http()
        .get(format!("{}/openapi.json", app.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let spec = oas3::from_json(&text).expect("the document parses as OpenAPI 3.1");
    assert!(spec.openapi.starts_with("3.1"), "{}", spec.openapi);
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();

    let paths: BTreeSet<&str> = json["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for route in [
        "/healthz",
        "/readyz",
        "/metrics",
        "/openapi.json",
        "/v1/admin/ownership",
    ] {
        assert!(paths.contains(route), "{route} is missing from the document");
    }
    // Each described operation exists on the server (no 404 / 405 for its method and path).
    let mut operation_ids = BTreeSet::new();
    for (path, item) in json["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let id = operation["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path} lacks an operationId"));
            assert!(operation_ids.insert(id.to_string()), "duplicate operationId {id}");
            // Path parameters are exactly the path's placeholders (a query struct described
            // without `parameter_in = Query` shows up as a path parameter; generators refuse it).
            let placeholders: BTreeSet<&str> = path
                .split('{')
                .skip(1)
                .filter_map(|rest| rest.split('}').next())
                .collect();
            let in_path: BTreeSet<&str> = operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "path")
                .filter_map(|p| p["name"].as_str())
                .collect();
            assert_eq!(in_path, placeholders, "{method} {path}: path parameters");
            let response = http()
                .request(
                    method.to_uppercase().parse().unwrap(),
                    format!("{}{path}", app.url),
                )
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let body: serde_json::Value = response.json().await.unwrap_or_default();
            // A 404 from a route (unknown id) is fine; the router's own "no route" is not.
            let unrouted = status == 405 || (status == 404 && body["detail"] == "no route matches this path");
            assert!(!unrouted, "{method} {path} is described but not served");
        }
    }
    // Every $ref points at something that exists.
    let mut refs = Vec::new();
    collect_refs(&json, &mut refs);
    assert!(!refs.is_empty());
    for reference in refs {
        let pointer = reference
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("external ref {reference}"));
        assert!(json.pointer(pointer).is_some(), "dangling $ref {reference}");
    }
    assert!(json.pointer("/components/schemas/Problem").is_some());
    assert!(json.pointer("/components/securitySchemes/bearer").is_some());
    app.stop().await;
}

fn collect_refs(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, inner) in map {
                if key == "$ref" {
                    out.extend(inner.as_str().map(String::from));
                } else {
                    collect_refs(inner, out);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn unknown_routes_and_methods_are_problems() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    let response = http()
        .get(format!("{}/v1/nothing/here", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        (body["code"].as_str(), body["instance"].as_str()),
        (Some("not_found"), Some("/v1/nothing/here"))
    );

    let response = http()
        .delete(format!("{}/healthz", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert!(response.headers().contains_key("allow"));
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["code"], "method_not_allowed");
    app.stop().await;
}

/// Every migration file in a domain's folder is listed in its migration set: a file written but
/// not registered would silently never run.
#[test]
fn every_migration_file_is_registered() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    for set in ingotd::migration_sets() {
        let folder = if set.domain == "kernel" {
            root.join("kernel/migrations")
        } else {
            root.join("domains").join(set.domain).join("migrations")
        };
        let mut versions: Vec<String> = std::fs::read_dir(&folder)
            .unwrap_or_else(|_| panic!("{} has no migrations folder", set.domain))
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| name.ends_with(".sql"))
            .map(|name| name[..4].to_string())
            .collect();
        versions.sort();
        versions.dedup();
        let registered: Vec<String> = set
            .migrations
            .iter()
            .map(|m| format!("{:04}", m.version))
            .collect();
        assert_eq!(
            versions, registered,
            "{}: migration files and registered migrations differ",
            set.domain
        );
    }
}
