//! Operations HTTP: `/healthz`, `/readyz`, `/metrics`, `GET /v1/admin/ownership` and incidents.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use ingot_contracts::iam::Actor;
use ingot_contracts::operations::{
    HealthReport, IncidentFilter, IncidentNoteRequest, IncidentView, OperationsApi, OwnershipRegistry,
};
use ingot_kernel::http::Json;
use ingot_kernel::id::IncidentId;
use ingot_kernel::page::Page;
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
        .routes(routes!(incident_list))
        .routes(routes!(incident_get))
        .routes(routes!(incident_ack))
        .routes(routes!(incident_resolve))
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
    let status = if report.status == "unavailable" {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    (status, Json(report))
}

/// Prometheus metrics: HTTP requests and latencies per route, controller passes, event consumers'
/// lag, MAAS calls, ledger postings, incidents and pages.
#[utoipa::path(get, path = "/metrics", tag = "operations", operation_id = "metrics_get",
    responses((status = 200, description = "Prometheus text exposition format", content_type = "text/plain")))]
async fn metrics_get(State(ops): Ops) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        ops.metrics_render().await,
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

/// Incidents, newest first: those not yet resolved, or `?state=`, or `?all=true`.
#[utoipa::path(get, path = "/v1/admin/incidents", tag = "operations", operation_id = "incident_list",
    security(("bearer" = [])), params(IncidentFilter),
    responses((status = 200, body = Page<IncidentView>), (status = 401, body = ProblemBody),
        (status = 403, body = ProblemBody), (status = 422, body = ProblemBody)))]
async fn incident_list(
    State(ops): Ops,
    actor: Actor,
    Query(filter): Query<IncidentFilter>,
) -> Result<Json<Page<IncidentView>>, Problem> {
    Ok(Json(ops.incidents_list(&actor, filter).await?))
}

/// One incident with its timeline: firings, pages (to whom, how, delivered or not), maintenance
/// holds, escalation, acknowledgement and resolution.
#[utoipa::path(get, path = "/v1/admin/incidents/{incident_id}", tag = "operations", operation_id = "incident_get",
    security(("bearer" = [])), params(("incident_id" = IncidentId, Path)),
    responses((status = 200, body = IncidentView), (status = 401, body = ProblemBody),
        (status = 403, body = ProblemBody), (status = 404, body = ProblemBody)))]
async fn incident_get(
    State(ops): Ops,
    actor: Actor,
    Path(incident_id): Path<IncidentId>,
) -> Result<Json<IncidentView>, Problem> {
    Ok(Json(ops.incident_get(&actor, incident_id).await?))
}

/// Acknowledges an incident (audited; repeating it changes nothing). Paging and escalation go
/// on until it is resolved.
#[utoipa::path(post, path = "/v1/admin/incidents/{incident_id}/ack", tag = "operations", operation_id = "incident_ack",
    security(("bearer" = [])), params(("incident_id" = IncidentId, Path)),
    request_body = IncidentNoteRequest,
    responses((status = 200, body = IncidentView), (status = 401, body = ProblemBody),
        (status = 403, body = ProblemBody), (status = 404, body = ProblemBody),
        (status = 409, body = ProblemBody), (status = 422, body = ProblemBody)))]
async fn incident_ack(
    State(ops): Ops,
    actor: Actor,
    Path(incident_id): Path<IncidentId>,
    Json(request): Json<IncidentNoteRequest>,
) -> Result<Json<IncidentView>, Problem> {
    Ok(Json(ops.incident_ack(&actor, incident_id, request).await?))
}

/// Resolves an incident (audited). PagerDuty is told; the rule firing again about the same
/// subject opens a new incident.
#[utoipa::path(post, path = "/v1/admin/incidents/{incident_id}/resolve", tag = "operations", operation_id = "incident_resolve",
    security(("bearer" = [])), params(("incident_id" = IncidentId, Path)),
    request_body = IncidentNoteRequest,
    responses((status = 200, body = IncidentView), (status = 401, body = ProblemBody),
        (status = 403, body = ProblemBody), (status = 404, body = ProblemBody),
        (status = 409, body = ProblemBody), (status = 422, body = ProblemBody)))]
async fn incident_resolve(
    State(ops): Ops,
    actor: Actor,
    Path(incident_id): Path<IncidentId>,
    Json(request): Json<IncidentNoteRequest>,
) -> Result<Json<IncidentView>, Problem> {
    Ok(Json(ops.incident_resolve(&actor, incident_id, request).await?))
}
