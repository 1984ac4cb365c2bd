//! Read Models HTTP: the routes of DESIGN.md's Read Models row (BFF: UX), plus the operators'
//! view of the projections and their rebuild. Each parses, calls `ReadModelsApi`, renders.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use ingot_contracts::iam::Actor;
use ingot_contracts::read_models::{
    CapacityDashboard, HealthDashboard, ProjectionStatus, ReadModelsApi, RevenueDashboard, TenantOverview,
};
use ingot_kernel::http::{Json, Path, Query};
use ingot_kernel::id::TenantId;
use ingot_kernel::problem::{Problem, ProblemBody};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type ReadModels = State<Arc<dyn ReadModelsApi>>;

/// This domain's routes, with their OpenAPI descriptions.
pub fn router(read_models: Arc<dyn ReadModelsApi>) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(tenant_overview))
        .routes(routes!(dashboard_capacity))
        .routes(routes!(dashboard_health))
        .routes(routes!(dashboard_revenue))
        .routes(routes!(projections_list))
        .routes(routes!(projection_rebuild))
        .with_state(read_models)
}

/// A tenant's overview: balance, holds, burn rate, runway and what stops first, spend this month
/// and by day, live allocations and nodes, KYC level, quota use. `as_of` says which events it
/// reflects.
#[utoipa::path(get, path = "/v1/tenants/{tenant_id}/overview", tag = "dashboards", operation_id = "tenant_overview",
    params(("tenant_id" = TenantId, Path)),
    responses((status = 200, body = TenantOverview), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody)))]
async fn tenant_overview(
    State(read_models): ReadModels,
    actor: Actor,
    Path(tenant_id): Path<TenantId>,
) -> Result<Json<TenantOverview>, Problem> {
    Ok(Json(read_models.tenant_overview(&actor, tenant_id).await?))
}

/// Capacity per site and SKU: nodes by state and hourly utilisation.
#[utoipa::path(get, path = "/v1/admin/dashboards/capacity", tag = "dashboards", operation_id = "dashboard_capacity",
    responses((status = 200, body = CapacityDashboard), (status = 403, body = ProblemBody)))]
async fn dashboard_capacity(
    State(read_models): ReadModels,
    actor: Actor,
) -> Result<Json<CapacityDashboard>, Problem> {
    Ok(Json(read_models.capacity(&actor).await?))
}

/// Fleet health: drift by kind, deploy failure rate, quarantined and stuck nodes, the onboarding
/// queue, and each event consumer's lag.
#[utoipa::path(get, path = "/v1/admin/dashboards/health", tag = "dashboards", operation_id = "dashboard_health",
    responses((status = 200, body = HealthDashboard), (status = 403, body = ProblemBody)))]
async fn dashboard_health(
    State(read_models): ReadModels,
    actor: Actor,
) -> Result<Json<HealthDashboard>, Problem> {
    Ok(Json(read_models.health(&actor).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct RevenueQuery {
    /// Days back from today (UTC), 1 to 366; 30 by default.
    days: Option<u32>,
}

/// Revenue per day (usage, top-ups, credits, refunds) and usage by SKU and site.
#[utoipa::path(get, path = "/v1/admin/dashboards/revenue", tag = "dashboards", operation_id = "dashboard_revenue",
    params(RevenueQuery),
    responses((status = 200, body = RevenueDashboard), (status = 400, body = ProblemBody), (status = 403, body = ProblemBody)))]
async fn dashboard_revenue(
    State(read_models): ReadModels,
    actor: Actor,
    Query(query): Query<RevenueQuery>,
) -> Result<Json<RevenueDashboard>, Problem> {
    Ok(Json(read_models.revenue(&actor, query.days.unwrap_or(30)).await?))
}

/// Every projection: its owners, version, and the generations answering and being built.
#[utoipa::path(get, path = "/v1/admin/read-models", tag = "dashboards", operation_id = "read_models_list",
    responses((status = 200, body = Vec<ProjectionStatus>), (status = 403, body = ProblemBody)))]
async fn projections_list(
    State(read_models): ReadModels,
    actor: Actor,
) -> Result<Json<Vec<ProjectionStatus>>, Problem> {
    Ok(Json(read_models.projections(&actor).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct RebuildQuery {
    /// Build this server's version even where a newer one is live (after a downgrade).
    force: Option<bool>,
}

/// Rebuilds a projection from the event history beside the live one; it is swapped in once it
/// has caught up, and the live one answers meanwhile.
#[utoipa::path(post, path = "/v1/admin/read-models/{name}/rebuild", tag = "dashboards", operation_id = "read_model_rebuild",
    params(("name" = String, Path), RebuildQuery),
    responses((status = 202, body = ProjectionStatus), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody),
        (status = 409, body = ProblemBody)))]
async fn projection_rebuild(
    State(read_models): ReadModels,
    actor: Actor,
    Path(name): Path<String>,
    Query(query): Query<RebuildQuery>,
) -> Result<(StatusCode, Json<ProjectionStatus>), Problem> {
    let status = read_models
        .rebuild(&actor, &name, query.force.unwrap_or(false))
        .await?;
    Ok((StatusCode::ACCEPTED, Json(status)))
}
