//! Operations HTTP: `/healthz`, `/readyz`, `/metrics` and `GET /v1/admin/ownership`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use ingot_contracts::iam::Actor;
use ingot_contracts::operations::{HealthReport, OperationsApi, OwnershipRegistry};
use ingot_kernel::http::Json;
use ingot_kernel::problem::{Problem, ProblemBody};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::service::OperationsService;

type Ops = State<Arc<OperationsService>>;

/// This domain's routes, with their OpenAPI descriptions.
pub fn router(service: Arc<OperationsService>) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(health_get))
        .routes(routes!(readiness_get))
        .routes(routes!(metrics_get))
        .routes(routes!(ownership_get))
        .with_state(service)
}

/// Liveness: 200 while the process serves requests.
#[utoipa::path(get, path = "/healthz", tag = "operations", operation_id = "health_get",
    responses((status = 200, body = HealthReport)))]
async fn health_get(State(ops): Ops) -> Json<HealthReport> {
    Json(ops.health())
}

/// Readiness: 200 when the database (and Redis, if configured) answer; 503 otherwise.
#[utoipa::path(get, path = "/readyz", tag = "operations", operation_id = "readiness_get",
    responses((status = 200, body = HealthReport), (status = 503, body = HealthReport)))]
async fn readiness_get(State(ops): Ops) -> impl IntoResponse {
    let report = ops.readiness().await;
    let status = if report.status == "ok" {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(report))
}

/// Prometheus metrics: request counts and latencies per route, controller passes.
#[utoipa::path(get, path = "/metrics", tag = "operations", operation_id = "metrics_get",
    responses((status = 200, description = "Prometheus text exposition format", content_type = "text/plain")))]
async fn metrics_get(State(ops): Ops) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        ops.metrics.render(),
    )
}

/// The ownership registry (OWNERS.toml): contexts, owners, on-call severity, approval rules.
#[utoipa::path(get, path = "/v1/admin/ownership", tag = "operations", operation_id = "ownership_get",
    security(("bearer" = [])),
    responses((status = 200, body = OwnershipRegistry), (status = 401, body = ProblemBody),
        (status = 403, body = ProblemBody)))]
async fn ownership_get(State(ops): Ops, actor: Actor) -> Result<Json<OwnershipRegistry>, Problem> {
    Ok(Json(ops.ownership_get(&actor).await?))
}
