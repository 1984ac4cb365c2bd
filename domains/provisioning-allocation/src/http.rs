//! Provisioning.Allocation HTTP: the routes of DESIGN.md's Allocation row built so far (quotas).
//! Each parses, calls `AllocationApi`, renders.

use std::sync::Arc;

use axum::extract::State;
use ingot_contracts::allocation::{AllocationApi, QuotasSetRequest, QuotasView};
use ingot_contracts::iam::Actor;
use ingot_kernel::http::{Json, Path};
use ingot_kernel::id::TenantId;
use ingot_kernel::problem::{Problem, ProblemBody};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type Allocation = State<Arc<dyn AllocationApi>>;

/// This domain's routes, with their OpenAPI descriptions.
pub fn router(allocation: Arc<dyn AllocationApi>) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(quotas_get, quotas_set))
        .with_state(allocation)
}

/// A tenant's node quotas (tenant-wide and per project, per SKU).
#[utoipa::path(get, path = "/v1/admin/tenants/{tenant_id}/quotas", tag = "allocations", operation_id = "quotas_get",
    params(("tenant_id" = TenantId, Path)),
    responses((status = 200, body = QuotasView), (status = 403, body = ProblemBody)))]
async fn quotas_get(
    State(allocation): Allocation,
    actor: Actor,
    Path(tenant_id): Path<TenantId>,
) -> Result<Json<QuotasView>, Problem> {
    Ok(Json(allocation.quotas_get(&actor, tenant_id).await?))
}

/// Replaces a tenant's node quotas (audited, with the reason).
#[utoipa::path(put, path = "/v1/admin/tenants/{tenant_id}/quotas", tag = "allocations", operation_id = "quotas_set",
    params(("tenant_id" = TenantId, Path)),
    request_body = QuotasSetRequest,
    responses((status = 200, body = QuotasView), (status = 403, body = ProblemBody), (status = 422, body = ProblemBody)))]
async fn quotas_set(
    State(allocation): Allocation,
    actor: Actor,
    Path(tenant_id): Path<TenantId>,
    Json(request): Json<QuotasSetRequest>,
) -> Result<Json<QuotasView>, Problem> {
    Ok(Json(allocation.quotas_set(&actor, tenant_id, request).await?))
}
