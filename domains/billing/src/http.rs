//! Billing HTTP: the routes of DESIGN.md's Billing row built so far. Each parses, calls
//! `BillingApi`, renders.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ingot_contracts::billing::{
    BalanceView, BillingApi, ChargeRequest, CreditLimitRequest, CreditRequest, LedgerEntryView,
    LedgerVerifyReport, StatementView, TopUpRequest, TopUpView, UsageView, WebhookAck,
};
use ingot_contracts::iam::Actor;
use ingot_kernel::http::{Json, Path, Query};
use ingot_kernel::id::TenantId;
use ingot_kernel::page::{Page, PageRequest};
use ingot_kernel::problem::{Problem, ProblemBody};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type Billing = State<Arc<dyn BillingApi>>;

/// This domain's routes, with their OpenAPI descriptions.
pub fn router(billing: Arc<dyn BillingApi>) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(balance_get))
        .routes(routes!(ledger_list))
        .routes(routes!(top_up))
        .routes(routes!(credit_grant))
        .routes(routes!(ledger_verify))
        .routes(routes!(statement_get))
        .routes(routes!(payment_webhook))
        .routes(routes!(charge_post))
        .routes(routes!(usage_list))
        .routes(routes!(credit_limit_set))
        .with_state(billing)
}

/// The request's `Idempotency-Key`, which the ledger also keys the posting by: a retry that
/// reaches the service twice still lands once.
fn idempotency_key(headers: &HeaderMap) -> Option<String> {
    headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

#[utoipa::path(get, path = "/v1/tenants/{tenant_id}/balance", tag = "billing", operation_id = "balance_get",
    params(("tenant_id" = TenantId, Path)),
    responses((status = 200, body = BalanceView), (status = 404, body = ProblemBody)))]
async fn balance_get(
    State(billing): Billing,
    actor: Actor,
    Path(tenant_id): Path<TenantId>,
) -> Result<Json<BalanceView>, Problem> {
    Ok(Json(billing.balance_get(&actor, tenant_id).await?))
}

/// The tenant's ledger entries, oldest first.
#[utoipa::path(get, path = "/v1/tenants/{tenant_id}/ledger", tag = "billing", operation_id = "ledger_list",
    params(("tenant_id" = TenantId, Path), PageRequest),
    responses((status = 200, body = Page<LedgerEntryView>), (status = 404, body = ProblemBody)))]
async fn ledger_list(
    State(billing): Billing,
    actor: Actor,
    Path(tenant_id): Path<TenantId>,
    Query(page): Query<PageRequest>,
) -> Result<Json<Page<LedgerEntryView>>, Problem> {
    Ok(Json(billing.ledger_list(&actor, tenant_id, page).await?))
}

/// Add money through a payment provider. On the embedded default the `test` provider credits
/// at once (no real money).
#[utoipa::path(post, path = "/v1/tenants/{tenant_id}/top-ups", tag = "billing", operation_id = "top_up",
    params(("tenant_id" = TenantId, Path)), request_body = TopUpRequest,
    responses((status = 201, body = TopUpView), (status = 404, body = ProblemBody), (status = 422, body = ProblemBody)))]
async fn top_up(
    State(billing): Billing,
    actor: Actor,
    headers: HeaderMap,
    Path(tenant_id): Path<TenantId>,
    Json(request): Json<TopUpRequest>,
) -> Result<(StatusCode, Json<TopUpView>), Problem> {
    let view = billing
        .top_up(&actor, tenant_id, request, idempotency_key(&headers))
        .await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Give a tenant money by hand (finance only), audited.
#[utoipa::path(post, path = "/v1/admin/tenants/{tenant_id}/credits", tag = "billing", operation_id = "credit_grant",
    params(("tenant_id" = TenantId, Path)), request_body = CreditRequest,
    responses((status = 201, body = LedgerEntryView), (status = 403, body = ProblemBody), (status = 422, body = ProblemBody)))]
async fn credit_grant(
    State(billing): Billing,
    actor: Actor,
    headers: HeaderMap,
    Path(tenant_id): Path<TenantId>,
    Json(request): Json<CreditRequest>,
) -> Result<(StatusCode, Json<LedgerEntryView>), Problem> {
    let entry = billing
        .credit_grant(&actor, tenant_id, request, idempotency_key(&headers))
        .await?;
    Ok((StatusCode::CREATED, Json(entry)))
}

/// Recompute every ledger invariant and name each breach.
#[utoipa::path(get, path = "/v1/admin/ledger/verify", tag = "billing", operation_id = "ledger_verify",
    responses((status = 200, body = LedgerVerifyReport), (status = 403, body = ProblemBody)))]
async fn ledger_verify(State(billing): Billing, actor: Actor) -> Result<Json<LedgerVerifyReport>, Problem> {
    Ok(Json(billing.ledger_verify(&actor).await?))
}

/// The month's statement: JSON, or CSV when asked with `Accept: text/csv`.
#[utoipa::path(get, path = "/v1/tenants/{tenant_id}/statements/{month}", tag = "billing", operation_id = "statement_get",
    params(("tenant_id" = TenantId, Path), ("month" = String, Path, description = "YYYY-MM")),
    responses(
        (status = 200, body = StatementView, content_type = "application/json"),
        (status = 200, body = String, content_type = "text/csv"),
        (status = 404, body = ProblemBody), (status = 422, body = ProblemBody)))]
async fn statement_get(
    State(billing): Billing,
    actor: Actor,
    headers: HeaderMap,
    Path((tenant_id, month)): Path<(TenantId, String)>,
) -> Result<Response, Problem> {
    let statement = billing.statement_get(&actor, tenant_id, &month).await?;
    let wants_csv = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/csv"));
    if !wants_csv {
        return Ok(Json(statement).into_response());
    }
    let mut response = (StatusCode::OK, statement.to_csv()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(disposition) = HeaderValue::from_str(&format!(
        "attachment; filename=\"statement-{}-{}.csv\"",
        statement.tenant_id, statement.month
    )) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, disposition);
    }
    Ok(response)
}

/// A payment provider's signed event (Stripe: `Stripe-Signature: t=…,v1=…`). Verified, then
/// applied once per event id; a replay is acknowledged and changes nothing.
#[utoipa::path(post, path = "/v1/webhooks/payments/{provider}", tag = "billing", operation_id = "payment_webhook",
    security(()), params(("provider" = String, Path, description = "`stripe`")), request_body = String,
    responses((status = 200, body = WebhookAck), (status = 400, body = ProblemBody), (status = 404, body = ProblemBody)))]
async fn payment_webhook(
    State(billing): Billing,
    headers: HeaderMap,
    Path(provider): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<WebhookAck>, Problem> {
    let signature = headers.get("stripe-signature").and_then(|v| v.to_str().ok());
    Ok(Json(billing.payment_webhook(&provider, signature, &body).await?))
}

/// Charge a tenant by hand (finance only), audited; refused past the tenant's floor.
#[utoipa::path(post, path = "/v1/admin/tenants/{tenant_id}/charges", tag = "billing", operation_id = "charge_post",
    params(("tenant_id" = TenantId, Path)), request_body = ChargeRequest,
    responses((status = 201, body = LedgerEntryView), (status = 402, body = ProblemBody), (status = 403, body = ProblemBody)))]
async fn charge_post(
    State(billing): Billing,
    actor: Actor,
    headers: HeaderMap,
    Path(tenant_id): Path<TenantId>,
    Json(request): Json<ChargeRequest>,
) -> Result<(StatusCode, Json<LedgerEntryView>), Problem> {
    let entry = billing
        .charge_post(&actor, tenant_id, request, idempotency_key(&headers))
        .await?;
    Ok((StatusCode::CREATED, Json(entry)))
}

/// The tenant's metered nodes: when each started and stopped, its rate and what it cost so far.
#[utoipa::path(get, path = "/v1/tenants/{tenant_id}/usage", tag = "billing", operation_id = "usage_list",
    params(("tenant_id" = TenantId, Path)),
    responses((status = 200, body = Vec<UsageView>), (status = 404, body = ProblemBody)))]
async fn usage_list(
    State(billing): Billing,
    actor: Actor,
    Path(tenant_id): Path<TenantId>,
) -> Result<Json<Vec<UsageView>>, Problem> {
    Ok(Json(billing.usage_list(&actor, tenant_id).await?))
}

/// Let an invoiced tenant's cash go this far below zero (finance only), audited.
#[utoipa::path(put, path = "/v1/admin/tenants/{tenant_id}/credit-limit", tag = "billing", operation_id = "credit_limit_set",
    params(("tenant_id" = TenantId, Path)), request_body = CreditLimitRequest,
    responses((status = 200, body = BalanceView), (status = 403, body = ProblemBody), (status = 422, body = ProblemBody)))]
async fn credit_limit_set(
    State(billing): Billing,
    actor: Actor,
    Path(tenant_id): Path<TenantId>,
    Json(request): Json<CreditLimitRequest>,
) -> Result<Json<BalanceView>, Problem> {
    Ok(Json(billing.credit_limit_set(&actor, tenant_id, request).await?))
}
