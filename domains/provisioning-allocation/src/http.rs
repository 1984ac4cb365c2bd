//! Provisioning.Allocation HTTP: the routes of DESIGN.md's Allocation row. Each parses, calls
//! `AllocationApi`, renders.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ingot_contracts::allocation::{
    AdminAllocationFilter, AdmissionView, AllocationApi, AllocationCreateRequest, AllocationCreated,
    AllocationFilter, AllocationView, ExtendRequest, ForceReleaseRequest, QuotasSetRequest, QuotasView,
    ReleaseRequest,
};
use ingot_contracts::iam::Actor;
use ingot_kernel::http::{Json, Path, Query};
use ingot_kernel::id::{AllocationId, ProjectId, TenantId};
use ingot_kernel::page::Page;
use ingot_kernel::problem::{Problem, ProblemBody};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type Allocation = State<Arc<dyn AllocationApi>>;

/// This domain's routes, with their OpenAPI descriptions.
pub fn router(allocation: Arc<dyn AllocationApi>) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(allocation_list, allocation_create))
        .routes(routes!(allocation_get))
        .routes(routes!(allocation_release))
        .routes(routes!(allocation_extend))
        .routes(routes!(allocation_force_release))
        .routes(routes!(allocation_admin_list))
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

/// A project's allocations, newest first.
#[utoipa::path(get, path = "/v1/projects/{project_id}/allocations", tag = "allocations", operation_id = "allocation_list",
    params(("project_id" = ProjectId, Path), AllocationFilter),
    responses((status = 200, body = Page<AllocationView>), (status = 404, body = ProblemBody)))]
async fn allocation_list(
    State(allocation): Allocation,
    actor: Actor,
    Path(project_id): Path<ProjectId>,
    Query(filter): Query<AllocationFilter>,
) -> Result<Json<Page<AllocationView>>, Problem> {
    Ok(Json(
        allocation.allocations_list(&actor, project_id, filter).await?,
    ))
}

/// Every tenant's allocations, newest first (platform operators and support), optionally one
/// tenant's or one state's.
#[utoipa::path(get, path = "/v1/admin/allocations", tag = "allocations", operation_id = "allocation_admin_list",
    params(AdminAllocationFilter),
    responses((status = 200, body = Page<AllocationView>), (status = 403, body = ProblemBody)))]
async fn allocation_admin_list(
    State(allocation): Allocation,
    actor: Actor,
    Query(filter): Query<AdminAllocationFilter>,
) -> Result<Json<Page<AllocationView>>, Problem> {
    Ok(Json(allocation.allocations_admin_list(&actor, filter).await?))
}

/// Allocates `count` whole machines of a SKU (201), or with `dry_run` answers the admission
/// decision with every reason it would be refused (200). Refusals answer their own problem
/// code (`kyc_limit`, `quota_exceeded`, `insufficient_funds`, `capacity_unavailable`,
/// `placement_unsatisfiable`), every reason listed in `errors`.
#[utoipa::path(post, path = "/v1/projects/{project_id}/allocations", tag = "allocations", operation_id = "allocation_create",
    params(("project_id" = ProjectId, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = AllocationCreateRequest,
    responses((status = 201, body = AllocationView), (status = 200, body = AdmissionView, description = "dry run"),
        (status = 402, body = ProblemBody), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody),
        (status = 409, body = ProblemBody), (status = 422, body = ProblemBody)))]
async fn allocation_create(
    State(allocation): Allocation,
    actor: Actor,
    Path(project_id): Path<ProjectId>,
    Json(request): Json<AllocationCreateRequest>,
) -> Result<Response, Problem> {
    Ok(
        match allocation.allocation_create(&actor, project_id, request).await? {
            AllocationCreated::Allocation(view) => (StatusCode::CREATED, Json(*view)).into_response(),
            AllocationCreated::DryRun(decision) => (StatusCode::OK, Json(decision)).into_response(),
        },
    )
}

/// The allocation with its nodes (state, hostname, IP addresses, SSH command, handover record)
/// and its status history.
#[utoipa::path(get, path = "/v1/allocations/{allocation_id}", tag = "allocations", operation_id = "allocation_get",
    params(("allocation_id" = AllocationId, Path)),
    responses((status = 200, body = AllocationView), (status = 404, body = ProblemBody)))]
async fn allocation_get(
    State(allocation): Allocation,
    actor: Actor,
    Path(allocation_id): Path<AllocationId>,
) -> Result<Json<AllocationView>, Problem> {
    Ok(Json(allocation.allocation_get(&actor, allocation_id).await?))
}

/// Gives the allocation's nodes back: metering stops now; nodes are erased per the site's policy.
#[utoipa::path(post, path = "/v1/allocations/{allocation_id}/release", tag = "allocations", operation_id = "allocation_release",
    params(("allocation_id" = AllocationId, Path)),
    request_body = ReleaseRequest,
    responses((status = 200, body = AllocationView), (status = 404, body = ProblemBody), (status = 409, body = ProblemBody)))]
async fn allocation_release(
    State(allocation): Allocation,
    actor: Actor,
    Path(allocation_id): Path<AllocationId>,
    body: Option<Json<ReleaseRequest>>,
) -> Result<Json<AllocationView>, Problem> {
    let request = body.map(|Json(r)| r).unwrap_or_default();
    Ok(Json(
        allocation
            .allocation_release(&actor, allocation_id, request)
            .await?,
    ))
}

/// Moves (or removes, with `null`) the allocation's automatic release time.
#[utoipa::path(post, path = "/v1/allocations/{allocation_id}/extend", tag = "allocations", operation_id = "allocation_extend",
    params(("allocation_id" = AllocationId, Path)),
    request_body = ExtendRequest,
    responses((status = 200, body = AllocationView), (status = 404, body = ProblemBody), (status = 409, body = ProblemBody),
        (status = 422, body = ProblemBody)))]
async fn allocation_extend(
    State(allocation): Allocation,
    actor: Actor,
    Path(allocation_id): Path<AllocationId>,
    Json(request): Json<ExtendRequest>,
) -> Result<Json<AllocationView>, Problem> {
    Ok(Json(
        allocation
            .allocation_extend(&actor, allocation_id, request)
            .await?,
    ))
}

/// Ends any tenant's allocation at once, with a reason (audited).
#[utoipa::path(post, path = "/v1/admin/allocations/{allocation_id}/force-release", tag = "allocations",
    operation_id = "allocation_force_release",
    params(("allocation_id" = AllocationId, Path)),
    request_body = ForceReleaseRequest,
    responses((status = 200, body = AllocationView), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody),
        (status = 409, body = ProblemBody)))]
async fn allocation_force_release(
    State(allocation): Allocation,
    actor: Actor,
    Path(allocation_id): Path<AllocationId>,
    Json(request): Json<ForceReleaseRequest>,
) -> Result<Json<AllocationView>, Problem> {
    Ok(Json(
        allocation
            .allocation_force_release(&actor, allocation_id, request)
            .await?,
    ))
}
