//! The web app: server-rendered tenant and operator pages that call the domains' service traits
//! from `contracts` in-process, with the caller's own `Actor`. It owns no business rule: every
//! decision (who may do what, what a price is, whether an allocation fits) is the domain's, and a
//! rule found here is a bug to move there. Pages work without JavaScript; `app.js` only polls
//! progress and copies text.

// A page handler's error is another page (a redirect to log in, the domain's refusal): a
// `Response`, built once and returned straight to axum, so its size costs nothing that matters.
#![allow(clippy::result_large_err)]

mod assets;
mod chart;
mod csrf;
mod form;
mod operator;
mod page;
mod tenant;
mod viewer;

use std::sync::Arc;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use ingot_contracts::allocation::AllocationApi;
use ingot_contracts::app_platform::AppPlatformApi;
use ingot_contracts::billing::BillingApi;
use ingot_contracts::iam::IamApi;
use ingot_contracts::inventory::InventoryApi;
use ingot_contracts::maas::MaasApi;
use ingot_contracts::read_models::ReadModelsApi;
use ingot_kernel::crypto::SecretBox;

/// What the pages call: each domain through its published trait, never its crate.
pub struct WebDeps {
    pub iam: Arc<dyn IamApi>,
    pub billing: Arc<dyn BillingApi>,
    pub inventory: Arc<dyn InventoryApi>,
    pub allocation: Arc<dyn AllocationApi>,
    pub app_platform: Arc<dyn AppPlatformApi>,
    pub read_models: Arc<dyn ReadModelsApi>,
    pub maas: Arc<dyn MaasApi>,
    pub operations: Arc<dyn ingot_contracts::operations::OperationsApi>,
    /// Signs CSRF tokens (a MAC under the installation key, so every replica accepts them).
    pub secrets: SecretBox,
    /// Only for what pages show relative to now (this month's statement link).
    pub clock: Arc<dyn ingot_kernel::Clock>,
    pub version: &'static str,
}

type Web = axum::extract::State<Arc<WebDeps>>;

/// The web app's routes, mounted at `/`. `ingotd` wraps them in the same edge as the API
/// (request ids, limits, authentication of the session cookie, Origin checks on posts).
pub fn router(deps: WebDeps) -> Router {
    let pages = Router::new()
        .route("/", get(tenant::home))
        .route(
            "/signup",
            get(tenant::auth::signup_form).post(tenant::auth::signup),
        )
        .route("/login", get(tenant::auth::login_form).post(tenant::auth::login))
        .route("/logout", post(tenant::auth::logout))
        .route(
            "/device",
            get(tenant::device::device_page).post(tenant::device::device_decide),
        )
        .route("/tenant", post(tenant::tenant_switch))
        .route("/overview", get(tenant::overview::overview))
        .route("/kyc", get(tenant::kyc::kyc_page).post(tenant::kyc::kyc_submit))
        .route("/billing", get(tenant::billing::billing_page))
        .route("/billing/top-up", post(tenant::billing::top_up))
        .route("/billing/statements/{month}", get(tenant::billing::statement_csv))
        .route("/catalog", get(tenant::catalog::catalog_page))
        .route("/catalog/offers", get(tenant::catalog::offers_fragment))
        .route(
            "/allocations",
            get(tenant::allocations::allocations_page).post(tenant::allocations::allocation_create),
        )
        .route("/allocations/new", get(tenant::allocations::allocation_form))
        .route(
            "/allocations/{allocation_id}",
            get(tenant::allocations::allocation_page),
        )
        .route(
            "/allocations/{allocation_id}/progress",
            get(tenant::allocations::allocation_progress),
        )
        .route(
            "/allocations/{allocation_id}/release",
            get(tenant::allocations::release_confirm).post(tenant::allocations::allocation_release),
        )
        .route(
            "/ssh-keys",
            get(tenant::keys::keys_page).post(tenant::keys::key_create),
        )
        .route("/ssh-keys/{key_id}/delete", post(tenant::keys::key_delete))
        .route(
            "/members",
            get(tenant::members::members_page).post(tenant::members::member_add),
        )
        .route("/members/{user_id}/role", post(tenant::members::member_role))
        .route("/members/{user_id}/remove", post(tenant::members::member_remove))
        .route(
            "/webhooks",
            get(tenant::webhooks::webhooks_page).post(tenant::webhooks::webhook_create),
        )
        .route("/webhooks/{webhook_id}", get(tenant::webhooks::webhook_page))
        .route(
            "/webhooks/{webhook_id}/enable",
            post(tenant::webhooks::webhook_enable),
        )
        .route(
            "/webhooks/{webhook_id}/disable",
            post(tenant::webhooks::webhook_disable),
        )
        .route(
            "/webhooks/{webhook_id}/delete",
            post(tenant::webhooks::webhook_delete),
        )
        .route(
            "/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver",
            post(tenant::webhooks::delivery_redeliver),
        )
        .route("/account", get(tenant::account::account_page))
        .route("/account/mfa", post(tenant::account::mfa_enrol))
        .route("/account/mfa/confirm", post(tenant::account::mfa_confirm))
        .route("/account/tokens", post(tenant::account::token_create))
        .route(
            "/account/tokens/{token_id}/revoke",
            post(tenant::account::token_revoke),
        )
        .route("/admin", get(operator::dashboards))
        .route("/admin/nodes", get(operator::nodes_page))
        .route("/admin/nodes/{node_id}", get(operator::node_page))
        .route(
            "/admin/nodes/{node_id}/maintenance",
            post(operator::node_maintenance),
        )
        .route("/admin/nodes/{node_id}/reimage", post(operator::node_reimage))
        .route(
            "/admin/nodes/{node_id}/decommission",
            post(operator::node_decommission),
        )
        .route("/admin/sites/{site}/drift", get(operator::drift_page))
        .route("/admin/sites/{site}/reconcile", post(operator::site_reconcile))
        .route(
            "/admin/sites/{site}/policy",
            get(operator::policy_page).post(operator::policy_set),
        )
        .route("/admin/credits", post(operator::credit_grant))
        .route("/admin/audit", get(operator::audit_page))
        .route("/admin/incidents", get(operator::incidents_page))
        .route("/admin/incidents/{incident_id}", get(operator::incident_page))
        .route("/admin/incidents/{incident_id}/ack", post(operator::incident_ack))
        .route(
            "/admin/incidents/{incident_id}/resolve",
            post(operator::incident_resolve),
        )
        .route("/admin/kyc", get(operator::kyc_queue))
        .route("/admin/kyc/{tenant_id}", post(operator::kyc_decide))
        .route("/admin/allocations", get(operator::allocation_lookup))
        .route(
            "/admin/allocations/{allocation_id}/force-release",
            post(operator::force_release),
        )
        .route("/admin/ledger", get(operator::ledger_page))
        .route("/admin/sites", get(operator::sites_page))
        .route("/admin/sites/{site}/onboard", post(operator::site_onboard))
        .layer(middleware::from_fn(page_headers))
        .with_state(Arc::new(deps));
    assets::router().merge(pages)
}

/// Every page: a strict Content-Security-Policy (our own script and stylesheet only, nothing
/// inline, no framing, forms post only here), and never cached (pages carry personal data).
async fn page_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}
