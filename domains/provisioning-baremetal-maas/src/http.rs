//! Provisioning.BareMetal.MAAS HTTP: the routes of DESIGN.md's MAAS row. Each parses,
//! calls `MaasApi`, renders.

use std::sync::Arc;

use axum::extract::State;
use ingot_contracts::iam::Actor;
use ingot_contracts::maas::{
    DriftView, MaasApi, NodeOperationRequest, NodeOperationView, OnboardReport, ReconcileReport,
    SiteBindingRequest, SiteBindingView,
};
use ingot_kernel::http::{Json, Path, Query};
use ingot_kernel::id::NodeId;
use ingot_kernel::problem::{Problem, ProblemBody};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type Maas = State<Arc<dyn MaasApi>>;

/// This domain's routes, with their OpenAPI descriptions.
pub fn router(maas: Arc<dyn MaasApi>) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(binding_get, binding_set))
        .routes(routes!(site_onboard))
        .routes(routes!(site_reconcile))
        .routes(routes!(site_drift))
        .routes(routes!(node_reimage))
        .routes(routes!(node_decommission))
        .with_state(maas)
}

/// A site's MAAS binding: the region's URL, the key's id (never the key) and the site policy.
#[utoipa::path(get, path = "/v1/admin/sites/{site}/maas", tag = "maas", operation_id = "site_maas_get",
    params(("site" = String, Path, description = "site name")),
    responses((status = 200, body = SiteBindingView), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody)))]
async fn binding_get(
    State(maas): Maas,
    actor: Actor,
    Path(site): Path<String>,
) -> Result<Json<SiteBindingView>, Problem> {
    Ok(Json(maas.binding_get(&actor, &site).await?))
}

/// Binds a site to its MAAS region, or changes the binding (audited). The key is checked against
/// the region first, stored encrypted, and never returned.
#[utoipa::path(put, path = "/v1/admin/sites/{site}/maas", tag = "maas", operation_id = "site_maas_set",
    params(("site" = String, Path, description = "site name")),
    request_body = SiteBindingRequest,
    responses((status = 200, body = SiteBindingView), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody),
        (status = 422, body = ProblemBody), (status = 503, body = ProblemBody)))]
async fn binding_set(
    State(maas): Maas,
    actor: Actor,
    Path(site): Path<String>,
    Json(request): Json<SiteBindingRequest>,
) -> Result<Json<SiteBindingView>, Problem> {
    Ok(Json(maas.binding_set(&actor, &site, request).await?))
}

/// Runs an onboarding pass at the site now: commissions new machines (per policy) and hands
/// commissioned ones to Inventory.
#[utoipa::path(post, path = "/v1/admin/sites/{site}/onboard", tag = "maas", operation_id = "site_onboard",
    params(("site" = String, Path, description = "site name")),
    responses((status = 200, body = OnboardReport), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody),
        (status = 503, body = ProblemBody)))]
async fn site_onboard(
    State(maas): Maas,
    actor: Actor,
    Path(site): Path<String>,
) -> Result<Json<OnboardReport>, Problem> {
    Ok(Json(maas.onboard(&actor, &site).await?))
}

/// Runs a reconciliation pass at the site now: the region diffed against what the control plane
/// expects, drift recorded, repairs made where the site's policy allows.
#[utoipa::path(post, path = "/v1/admin/sites/{site}/reconcile", tag = "maas", operation_id = "site_reconcile",
    params(("site" = String, Path, description = "site name")),
    responses((status = 200, body = ReconcileReport), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody),
        (status = 503, body = ProblemBody)))]
async fn site_reconcile(
    State(maas): Maas,
    actor: Actor,
    Path(site): Path<String>,
) -> Result<Json<ReconcileReport>, Problem> {
    Ok(Json(maas.reconcile(&actor, &site).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct DriftQuery {
    /// Include resolved drift (the history), not only what is open.
    #[serde(default)]
    all: bool,
}

/// The site's drift: open first, newest first; `?all=true` adds the resolved history.
#[utoipa::path(get, path = "/v1/admin/sites/{site}/drift", tag = "maas", operation_id = "site_drift",
    params(("site" = String, Path, description = "site name"), DriftQuery),
    responses((status = 200, body = Vec<DriftView>), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody)))]
async fn site_drift(
    State(maas): Maas,
    actor: Actor,
    Path(site): Path<String>,
    Query(query): Query<DriftQuery>,
) -> Result<Json<Vec<DriftView>>, Problem> {
    Ok(Json(maas.drift_list(&actor, &site, query.all).await?))
}

/// Reimages a node: drained (refused while it serves an allocation), erased with the disks'
/// secure erase, re-commissioned, returned to service. Audited; progress is driven in the
/// background.
#[utoipa::path(post, path = "/v1/admin/nodes/{node_id}/reimage", tag = "maas", operation_id = "node_reimage",
    params(("node_id" = NodeId, Path)),
    request_body = NodeOperationRequest,
    responses((status = 202, body = NodeOperationView), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody),
        (status = 409, body = ProblemBody), (status = 422, body = ProblemBody)))]
async fn node_reimage(
    State(maas): Maas,
    actor: Actor,
    Path(node_id): Path<NodeId>,
    Json(request): Json<NodeOperationRequest>,
) -> Result<(axum::http::StatusCode, Json<NodeOperationView>), Problem> {
    Ok((
        axum::http::StatusCode::ACCEPTED,
        Json(maas.node_reimage(&actor, node_id, request).await?),
    ))
}

/// Decommissions a node: drained, erased securely, removed or tagged `retired` in its region per
/// the site's policy, retired in Inventory. Audited; progress is driven in the background.
#[utoipa::path(post, path = "/v1/admin/nodes/{node_id}/decommission", tag = "maas", operation_id = "node_decommission",
    params(("node_id" = NodeId, Path)),
    request_body = NodeOperationRequest,
    responses((status = 202, body = NodeOperationView), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody),
        (status = 409, body = ProblemBody), (status = 422, body = ProblemBody)))]
async fn node_decommission(
    State(maas): Maas,
    actor: Actor,
    Path(node_id): Path<NodeId>,
    Json(request): Json<NodeOperationRequest>,
) -> Result<(axum::http::StatusCode, Json<NodeOperationView>), Problem> {
    Ok((
        axum::http::StatusCode::ACCEPTED,
        Json(maas.node_decommission(&actor, node_id, request).await?),
    ))
}
