//! Inventory.Catalog HTTP: the routes of DESIGN.md's Inventory row. Each parses, calls
//! `InventoryApi`, renders.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use ingot_contracts::iam::Actor;
use ingot_contracts::inventory::{
    CapacityHistoryPoint, CapacityView, InventoryApi, MaintenanceRequest, NodeFilter, NodeHistoryEntry,
    NodeImportReport, NodeImportRequest, NodeView, OfferSetRequest, OfferView, QuarantineRequest,
    SiteCreateRequest, SiteView, SkuChangeReport, SkuCreateRequest, SkuUpdateRequest, SkuView,
};
use ingot_kernel::Timestamp;
use ingot_kernel::http::{Json, Path, Query};
use ingot_kernel::id::{NodeId, SkuId};
use ingot_kernel::page::Page;
use ingot_kernel::problem::{Problem, ProblemBody};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type Inventory = State<Arc<dyn InventoryApi>>;

/// This domain's routes, with their OpenAPI descriptions.
pub fn router(inventory: Arc<dyn InventoryApi>) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(catalog_skus))
        .routes(routes!(catalog_offers))
        .routes(routes!(capacity_get))
        .routes(routes!(capacity_history))
        .routes(routes!(site_list, site_create))
        .routes(routes!(sku_list, sku_create))
        .routes(routes!(sku_update))
        .routes(routes!(offer_set))
        .routes(routes!(node_list))
        .routes(routes!(node_get))
        .routes(routes!(node_history))
        .routes(routes!(node_maintenance))
        .routes(routes!(node_quarantine))
        .routes(routes!(node_import))
        .with_state(inventory)
}

/// The SKUs on sale, with their hardware. Public.
#[utoipa::path(get, path = "/v1/catalog/skus", tag = "catalog", operation_id = "catalog_skus",
    security(()), responses((status = 200, body = Vec<SkuView>)))]
async fn catalog_skus(State(inventory): Inventory) -> Result<Json<Vec<SkuView>>, Problem> {
    Ok(Json(inventory.catalog_skus().await?))
}

/// Every SKU × site on sale, its hourly list price and how many nodes are free now. Public.
#[utoipa::path(get, path = "/v1/catalog/offers", tag = "catalog", operation_id = "catalog_offers",
    security(()), responses((status = 200, body = Vec<OfferView>)))]
async fn catalog_offers(State(inventory): Inventory) -> Result<Json<Vec<OfferView>>, Problem> {
    Ok(Json(inventory.catalog_offers().await?))
}

/// Capacity per site × SKU: every count for operators, total and available for tenants.
#[utoipa::path(get, path = "/v1/capacity", tag = "catalog", operation_id = "capacity_get",
    responses((status = 200, body = Vec<CapacityView>), (status = 401, body = ProblemBody)))]
async fn capacity_get(State(inventory): Inventory, actor: Actor) -> Result<Json<Vec<CapacityView>>, Problem> {
    Ok(Json(inventory.capacity(&actor).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct HistoryQuery {
    /// RFC 3339; defaults to 24 hours before `to`.
    from: Option<Timestamp>,
    /// RFC 3339; defaults to now.
    to: Option<Timestamp>,
}

/// Hourly capacity snapshots in `[from, to)`, oldest first.
#[utoipa::path(get, path = "/v1/capacity/history", tag = "catalog", operation_id = "capacity_history",
    params(HistoryQuery),
    responses((status = 200, body = Vec<CapacityHistoryPoint>), (status = 403, body = ProblemBody)))]
async fn capacity_history(
    State(inventory): Inventory,
    actor: Actor,
    Query(query): Query<HistoryQuery>,
) -> Result<Json<Vec<CapacityHistoryPoint>>, Problem> {
    Ok(Json(
        inventory.capacity_history(&actor, query.from, query.to).await?,
    ))
}

#[utoipa::path(get, path = "/v1/admin/sites", tag = "catalog", operation_id = "site_list",
    responses((status = 200, body = Vec<SiteView>), (status = 403, body = ProblemBody)))]
async fn site_list(State(inventory): Inventory, actor: Actor) -> Result<Json<Vec<SiteView>>, Problem> {
    Ok(Json(inventory.sites_list(&actor).await?))
}

#[utoipa::path(post, path = "/v1/admin/sites", tag = "catalog", operation_id = "site_create",
    request_body = SiteCreateRequest,
    responses((status = 201, body = SiteView), (status = 409, body = ProblemBody), (status = 422, body = ProblemBody)))]
async fn site_create(
    State(inventory): Inventory,
    actor: Actor,
    Json(request): Json<SiteCreateRequest>,
) -> Result<(StatusCode, Json<SiteView>), Problem> {
    Ok((
        StatusCode::CREATED,
        Json(inventory.site_create(&actor, request).await?),
    ))
}

/// Every SKU, active or not.
#[utoipa::path(get, path = "/v1/admin/skus", tag = "catalog", operation_id = "sku_list",
    responses((status = 200, body = Vec<SkuView>), (status = 403, body = ProblemBody)))]
async fn sku_list(State(inventory): Inventory, actor: Actor) -> Result<Json<Vec<SkuView>>, Problem> {
    Ok(Json(inventory.skus_list(&actor).await?))
}

/// Add a SKU; the fleet is re-matched and the nodes that moved are listed.
#[utoipa::path(post, path = "/v1/admin/skus", tag = "catalog", operation_id = "sku_create",
    request_body = SkuCreateRequest,
    responses((status = 201, body = SkuChangeReport), (status = 409, body = ProblemBody), (status = 422, body = ProblemBody)))]
async fn sku_create(
    State(inventory): Inventory,
    actor: Actor,
    Json(request): Json<SkuCreateRequest>,
) -> Result<(StatusCode, Json<SkuChangeReport>), Problem> {
    Ok((
        StatusCode::CREATED,
        Json(inventory.sku_create(&actor, request).await?),
    ))
}

/// Change a SKU's constraints, description or active flag; the fleet is re-matched.
#[utoipa::path(patch, path = "/v1/admin/skus/{sku_id}", tag = "catalog", operation_id = "sku_update",
    params(("sku_id" = SkuId, Path)), request_body = SkuUpdateRequest,
    responses((status = 200, body = SkuChangeReport), (status = 404, body = ProblemBody), (status = 422, body = ProblemBody)))]
async fn sku_update(
    State(inventory): Inventory,
    actor: Actor,
    Path(sku_id): Path<SkuId>,
    Json(request): Json<SkuUpdateRequest>,
) -> Result<Json<SkuChangeReport>, Problem> {
    Ok(Json(inventory.sku_update(&actor, sku_id, request).await?))
}

/// Set the hourly list price of a SKU at a site (audited; an event tells Billing).
#[utoipa::path(put, path = "/v1/admin/offers/{sku_id}/{site}", tag = "catalog", operation_id = "offer_set",
    params(("sku_id" = SkuId, Path), ("site" = String, Path, description = "site name")),
    request_body = OfferSetRequest,
    responses((status = 200, body = OfferView), (status = 404, body = ProblemBody), (status = 422, body = ProblemBody)))]
async fn offer_set(
    State(inventory): Inventory,
    actor: Actor,
    Path((sku_id, site)): Path<(SkuId, String)>,
    Json(request): Json<OfferSetRequest>,
) -> Result<Json<OfferView>, Problem> {
    Ok(Json(inventory.offer_set(&actor, sku_id, &site, request).await?))
}

/// Nodes in hostname order, filtered by site, SKU (or `unmatched`) and state.
#[utoipa::path(get, path = "/v1/admin/nodes", tag = "catalog", operation_id = "node_list", params(NodeFilter),
    responses((status = 200, body = Page<NodeView>), (status = 403, body = ProblemBody)))]
async fn node_list(
    State(inventory): Inventory,
    actor: Actor,
    Query(filter): Query<NodeFilter>,
) -> Result<Json<Page<NodeView>>, Problem> {
    Ok(Json(inventory.nodes_list(&actor, filter).await?))
}

#[utoipa::path(get, path = "/v1/admin/nodes/{node_id}", tag = "catalog", operation_id = "node_get",
    params(("node_id" = NodeId, Path)),
    responses((status = 200, body = NodeView), (status = 404, body = ProblemBody)))]
async fn node_get(
    State(inventory): Inventory,
    actor: Actor,
    Path(node_id): Path<NodeId>,
) -> Result<Json<NodeView>, Problem> {
    Ok(Json(inventory.node_get(&actor, node_id).await?))
}

/// The node's history, newest first: registered, lifecycle moves with their reasons, assigned
/// to and freed from allocations (at most 200 lines).
#[utoipa::path(get, path = "/v1/admin/nodes/{node_id}/history", tag = "catalog", operation_id = "node_history",
    params(("node_id" = NodeId, Path)),
    responses((status = 200, body = Vec<NodeHistoryEntry>), (status = 404, body = ProblemBody)))]
async fn node_history(
    State(inventory): Inventory,
    actor: Actor,
    Path(node_id): Path<NodeId>,
) -> Result<Json<Vec<NodeHistoryEntry>>, Problem> {
    Ok(Json(inventory.node_history(&actor, node_id).await?))
}

/// Take a node out of service or return it. An assigned node needs `force`.
#[utoipa::path(post, path = "/v1/admin/nodes/{node_id}/maintenance", tag = "catalog", operation_id = "node_maintenance",
    params(("node_id" = NodeId, Path)), request_body = MaintenanceRequest,
    responses((status = 200, body = NodeView), (status = 404, body = ProblemBody), (status = 409, body = ProblemBody)))]
async fn node_maintenance(
    State(inventory): Inventory,
    actor: Actor,
    Path(node_id): Path<NodeId>,
    Json(request): Json<MaintenanceRequest>,
) -> Result<Json<NodeView>, Problem> {
    Ok(Json(inventory.node_maintenance(&actor, node_id, request).await?))
}

/// Quarantine a suspect node, or clear it.
#[utoipa::path(post, path = "/v1/admin/nodes/{node_id}/quarantine", tag = "catalog", operation_id = "node_quarantine",
    params(("node_id" = NodeId, Path)), request_body = QuarantineRequest,
    responses((status = 200, body = NodeView), (status = 404, body = ProblemBody), (status = 409, body = ProblemBody)))]
async fn node_quarantine(
    State(inventory): Inventory,
    actor: Actor,
    Path(node_id): Path<NodeId>,
    Json(request): Json<QuarantineRequest>,
) -> Result<Json<NodeView>, Problem> {
    Ok(Json(inventory.node_quarantine(&actor, node_id, request).await?))
}

/// Import nodes in bulk. Every row is validated first; one bad row imports nothing, and the
/// problem's `errors` name each bad row as `nodes[i].field`.
#[utoipa::path(post, path = "/v1/admin/nodes/import", tag = "catalog", operation_id = "node_import",
    request_body = NodeImportRequest,
    responses((status = 201, body = NodeImportReport), (status = 409, body = ProblemBody), (status = 422, body = ProblemBody)))]
async fn node_import(
    State(inventory): Inventory,
    actor: Actor,
    Json(request): Json<NodeImportRequest>,
) -> Result<(StatusCode, Json<NodeImportReport>), Problem> {
    Ok((
        StatusCode::CREATED,
        Json(inventory.nodes_import(&actor, request).await?),
    ))
}
