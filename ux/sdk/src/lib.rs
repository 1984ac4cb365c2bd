//! Typed Rust client of the Ingot HTTP API. API Boundary: this crate speaks only the public HTTP
//! contract (paths, JSON DTOs from `ingot-contracts`, problem+json errors); it never links a domain.
//! Method names are the operations' `operationId`s: `GET /v1/admin/ownership` is `ownership_get`.
//!
//! Every method is async. A request answered 429 or 503 is sent again (up to [`RETRIES_MAX`]
//! times, waiting what `Retry-After` says) when that cannot make anything happen twice: reads,
//! PUT, DELETE, and every POST, which carries a fresh `Idempotency-Key` (the server replays the
//! first answer). Paged lists have `…_all` twins that walk every page ([`Pager`]).
//!
//! Sign up, top up and allocate (the catalog needs no credential):
//!
//! ```no_run
//! use ingot_sdk::Client;
//! use ingot_sdk::ingot_contracts::allocation::AllocationCreateRequest;
//! use ingot_sdk::ingot_contracts::billing::TopUpRequest;
//! use ingot_sdk::ingot_contracts::iam::SignupRequest;
//! use ingot_kernel::money::{Currency, Money};
//!
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! let anonymous = Client::new("http://127.0.0.1:8080")?;
//! for offer in anonymous.catalog_offers().await? {
//!     println!("{} at {}: {} available", offer.sku, offer.site, offer.available);
//! }
//! let created = anonymous
//!     .signup(&SignupRequest {
//!         email: "ada@example.com".into(),
//!         password: "a long passphrase of yours".into(),
//!         display_name: "Ada".into(),
//!         tenant_name: "Analytical Engines".into(),
//!     })
//!     .await?;
//! let ada = anonymous.with_token(created.session_token);
//! let tenant = created.tenant.expect("sign-up opens a tenant").id;
//! let project = created.project.expect("and a default project").id;
//! // (An operator verifies the tenant first: `ingot admin kyc decide`.)
//! let top_up = TopUpRequest { amount: Money::parse("100", Currency::USD)?, provider: None };
//! ada.top_up(tenant, &top_up, None).await?;
//! let request: AllocationCreateRequest = serde_json::from_value(serde_json::json!({
//!     "sku": "cpu-64c", "count": 1, "ssh_keys": ["ssh-ed25519 AAAA… ada@laptop"]
//! }))?;
//! let allocation = ada.allocation_create(project, &request, None).await?;
//! println!("{} is {:?}", allocation.id, allocation.state);
//! # Ok(())
//! # }
//! ```
//!
//! Walk a paged list to its end:
//!
//! ```no_run
//! # async fn example(client: ingot_sdk::Client, project: ingot_kernel::id::ProjectId) -> Result<(), ingot_sdk::Error> {
//! let mut allocations = client.allocation_list_all(project);
//! while let Some(allocation) = allocations.next().await {
//!     let allocation = allocation?;
//!     println!("{} {:?}", allocation.id, allocation.state);
//! }
//! # Ok(())
//! # }
//! ```

pub use ingot_contracts;

use std::time::Duration;

use ingot_contracts::allocation::{
    AdminAllocationFilter, AdmissionView, AllocationCreateRequest, AllocationView, ExtendRequest,
    ForceReleaseRequest, QuotasSetRequest, QuotasView, ReleaseRequest,
};
use ingot_contracts::app_platform::{
    ClusterCreateRequest, ClusterScaleRequest, ClusterView, DeliveryView, ImageView, RenderedUserData,
    SshKeyCreateRequest, SshKeyView, TemplateRequest, TemplateValues, TemplateView, WebhookCreateRequest,
    WebhookCreated, WebhookEventType, WebhookUpdateRequest, WebhookView,
};
use ingot_contracts::billing::{
    BalanceView, ChargeRequest, CreditLimitRequest, CreditRequest, LedgerEntryView, LedgerVerifyReport,
    StatementView, TopUpRequest, TopUpView, UsageView, WebhookAck,
};
use ingot_contracts::iam::{
    AuditEventView, AuditVerifyReport, DEVICE_GRANT_TYPE, DeviceAuthorization, DeviceAuthorizationRequest,
    DeviceDecisionRequest, DeviceGrantView, DeviceTokenRequest, InvitationCreateRequest, InvitationView,
    KycDecisionRequest, KycReviewView, KycState, KycSubmitRequest, KycView, LoginRequest, MeView,
    MemberAddRequest, MemberUpdateRequest, MemberView, NotificationView, PasswordChangeRequest,
    PasswordResetConfirm, PasswordResetRequest, PlatformRolesRequest, PostureView, ProjectCreateRequest,
    ProjectMemberSetRequest, ProjectMemberView, ProjectView, RecoveryCodes, SessionCreated, SessionView,
    SignupRequest, TenantCreateRequest, TenantUpdateRequest, TenantView, TokenCreateRequest, TokenCreated,
    TokenView, TotpCodeRequest, TotpEnrolment, UserView,
};
use ingot_contracts::inventory::{
    CapacityHistoryPoint, CapacityView, MaintenanceRequest, NodeFilter, NodeHistoryEntry, NodeImportReport,
    NodeImportRequest, NodeView, OfferSetRequest, OfferView, QuarantineRequest, SiteCreateRequest, SiteView,
    SkuChangeReport, SkuCreateRequest, SkuUpdateRequest, SkuView,
};
use ingot_contracts::maas::{
    DriftView, NodeOperationRequest, NodeOperationView, OnboardReport, ReconcileReport, SiteBindingRequest,
    SiteBindingView,
};
use ingot_contracts::operations::{
    HealthReport, IncidentFilter, IncidentNoteRequest, IncidentView, OwnershipRegistry,
};
use ingot_contracts::read_models::{
    CapacityDashboard, HealthDashboard, ProjectionStatus, RevenueDashboard, TenantOverview,
};
use ingot_kernel::Timestamp;
use ingot_kernel::id::{
    AllocationId, ApiTokenId, DeliveryId, IncidentId, InvitationId, NodeId, ProjectId, SessionId, SkuId,
    SshKeyId, TenantId, UserId, WebhookId,
};
use ingot_kernel::page::Page;
use ingot_kernel::problem::ProblemBody;
use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The server the embedded default listens on.
pub const SERVER_DEFAULT: &str = "http://127.0.0.1:8080";
/// Requests give up after this long.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// The header a creating POST carries so that sending it again lands once.
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";
/// The longest key the server takes.
const IDEMPOTENCY_KEY_CHARS_MAX: usize = 255;
/// How many times a request refused with 429 or 503 is sent again (when that is safe).
pub const RETRIES_MAX: u32 = 3;
/// The longest wait between those, whatever `Retry-After` says.
pub const RETRY_AFTER_MAX: Duration = Duration::from_secs(30);

/// Every item of a paged list, page after page: `while let Some(item) = pager.next().await`.
/// Made by the `…_all` methods ([`Client::allocation_list_all`], …).
pub struct Pager<'a, T> {
    fetch: Box<dyn FnMut(Option<String>) -> PageFuture<'a, T> + Send + 'a>,
    cursor: Option<String>,
    buffer: std::collections::VecDeque<T>,
    done: bool,
}

type PageFuture<'a, T> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<Page<T>, Error>> + Send + 'a>>;

impl<'a, T> Pager<'a, T> {
    fn new(fetch: impl FnMut(Option<String>) -> PageFuture<'a, T> + Send + 'a) -> Pager<'a, T> {
        Pager {
            fetch: Box::new(fetch),
            cursor: None,
            buffer: std::collections::VecDeque::new(),
            done: false,
        }
    }

    /// The next item, fetching the next page when this one is used up; `None` after the last.
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Some(Ok(item));
            }
            if self.done {
                return None;
            }
            match (self.fetch)(self.cursor.take()).await {
                Ok(page) => {
                    self.done = page.next_cursor.is_none();
                    self.cursor = page.next_cursor;
                    self.buffer.extend(page.items);
                }
                Err(err) => {
                    self.done = true;
                    return Some(Err(err));
                }
            }
        }
    }

    /// Every remaining item, or the first error.
    pub async fn collect(mut self) -> Result<Vec<T>, Error> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The server answered with a problem.
    #[error("{}: {}", .0.code, .0.detail.as_deref().unwrap_or(&.0.title))]
    Api(Box<ProblemBody>),
    /// The server could not be reached, or the exchange broke off.
    #[error("cannot reach the Ingot server")]
    Transport(#[source] reqwest::Error),
    /// The server answered with something this client does not understand.
    #[error("unexpected response from the server (status {status})")]
    Unexpected { status: u16 },
    #[error("invalid server url {0:?}")]
    InvalidUrl(String),
    /// Caught here: a key that is not a valid header value would otherwise surface as a
    /// transport error, which it is not.
    #[error("idempotency key must be 1 to 255 visible ASCII characters")]
    InvalidIdempotencyKey,
}

impl Error {
    /// The problem's stable code, such as `unauthenticated`; `None` when it is not an API error.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Api(problem) => Some(&problem.code),
            _ => None,
        }
    }
}

/// A client for one server, optionally with a bearer token. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    base: String,
    token: Option<String>,
    http: reqwest::Client,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Client {
    /// `server` is a base URL such as `http://127.0.0.1:8080`.
    pub fn new(server: &str) -> Result<Client, Error> {
        let base = server.trim_end_matches('/').to_string();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(Error::InvalidUrl(server.to_string()));
        }
        let http = ingot_kernel::outbound::client_builder()
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(Error::Transport)?;
        Ok(Client {
            base,
            token: None,
            http,
        })
    }

    pub fn with_token(mut self, token: impl Into<String>) -> Client {
        self.token = Some(token.into());
        self
    }

    pub fn server(&self) -> &str {
        &self.base
    }

    /// Liveness.
    pub async fn health_get(&self) -> Result<HealthReport, Error> {
        self.get("/healthz").await
    }

    /// Readiness; a not-ready server answers 503 with the same report, returned here as `Ok`.
    pub async fn readiness_get(&self) -> Result<HealthReport, Error> {
        let response = self
            .send_once(self.http.get(format!("{}/readyz", self.base)))
            .await?;
        let status = response.status().as_u16();
        if status == 200 || status == 503 {
            return response.json().await.map_err(|_| Error::Unexpected { status });
        }
        Err(problem_of(response).await)
    }

    /// The ownership registry (platform admins).
    pub async fn ownership_get(&self) -> Result<OwnershipRegistry, Error> {
        self.get("/v1/admin/ownership").await
    }

    /// Incidents, newest first: unresolved ones, or `filter.state`, or all with `filter.all`
    /// (operators, security, finance, support).
    pub async fn incident_list(&self, filter: &IncidentFilter) -> Result<Page<IncidentView>, Error> {
        let request = self
            .http
            .get(format!("{}/v1/admin/incidents", self.base))
            .query(filter);
        decode(self.send(request).await?).await
    }

    /// Every incident the filter matches, page after page.
    pub fn incident_list_all(&self, filter: IncidentFilter) -> Pager<'_, IncidentView> {
        let mut first = filter.cursor.clone();
        Pager::new(move |cursor| {
            let filter = IncidentFilter {
                cursor: cursor.or_else(|| first.take()),
                ..filter.clone()
            };
            Box::pin(async move { self.incident_list(&filter).await })
        })
    }

    /// One incident with its whole timeline.
    pub async fn incident_get(&self, incident_id: IncidentId) -> Result<IncidentView, Error> {
        self.get(&format!("/v1/admin/incidents/{incident_id}")).await
    }

    /// Acknowledges an incident (audited); escalation still happens unless it is resolved.
    pub async fn incident_ack(
        &self,
        incident_id: IncidentId,
        request: &IncidentNoteRequest,
    ) -> Result<IncidentView, Error> {
        self.call(
            Method::POST,
            &format!("/v1/admin/incidents/{incident_id}/ack"),
            Some(request),
        )
        .await
    }

    /// Resolves an incident (audited); PagerDuty is told.
    pub async fn incident_resolve(
        &self,
        incident_id: IncidentId,
        request: &IncidentNoteRequest,
    ) -> Result<IncidentView, Error> {
        self.call(
            Method::POST,
            &format!("/v1/admin/incidents/{incident_id}/resolve"),
            Some(request),
        )
        .await
    }

    /// Creates an account, tenant and default project; the answer carries a session token.
    pub async fn signup(&self, request: &SignupRequest) -> Result<SessionCreated, Error> {
        self.call(Method::POST, "/v1/auth/signup", Some(request)).await
    }

    pub async fn login(&self, request: &LoginRequest) -> Result<SessionCreated, Error> {
        self.call(Method::POST, "/v1/auth/login", Some(request)).await
    }

    /// Asks the server to let a person approve this client (OAuth 2.0 device authorization
    /// grant, RFC 8628): show them `user_code` and `verification_uri_complete`, then wait with
    /// [`Client::device_login_wait`].
    pub async fn device_authorize(
        &self,
        request: &DeviceAuthorizationRequest,
    ) -> Result<DeviceAuthorization, Error> {
        self.call(Method::POST, "/v1/auth/device", Some(request)).await
    }

    /// One poll with the device code: the session once approved; until then an [`Error::Api`]
    /// whose code is RFC 8628's (`authorization_pending`, `slow_down`, `access_denied`,
    /// `expired_token`).
    pub async fn device_token(&self, device_code: &str) -> Result<SessionCreated, Error> {
        let request = DeviceTokenRequest {
            grant_type: DEVICE_GRANT_TYPE.to_string(),
            device_code: device_code.to_string(),
        };
        self.call(Method::POST, "/v1/auth/device/token", Some(&request))
            .await
    }

    /// Polls at the server's interval (longer after a `slow_down`) until the person approves
    /// (the session), denies, or the code expires (the error).
    pub async fn device_login_wait(
        &self,
        authorization: &DeviceAuthorization,
    ) -> Result<SessionCreated, Error> {
        let mut interval = Duration::from_secs(authorization.interval.max(1));
        loop {
            // Pacing a protocol the server paces (RFC 8628 §3.5), not synchronising on anything.
            #[allow(clippy::disallowed_methods)]
            tokio::time::sleep(interval).await;
            match self.device_token(&authorization.device_code).await {
                Err(err) if err.code() == Some("authorization_pending") => {}
                Err(err) if err.code() == Some("slow_down") => interval += Duration::from_secs(5),
                other => return other,
            }
        }
    }

    /// The device waiting with `user_code`, as the person approving it sees it (signed in).
    pub async fn device_grant_get(&self, user_code: &str) -> Result<DeviceGrantView, Error> {
        self.get(&format!("/v1/auth/device/grants/{}", path_segment(user_code)))
            .await
    }

    /// Approves or denies the device waiting with `user_code` (signed in, with a session).
    pub async fn device_decide(&self, request: &DeviceDecisionRequest) -> Result<DeviceGrantView, Error> {
        self.call(Method::POST, "/v1/auth/device/decision", Some(request))
            .await
    }

    pub async fn logout(&self) -> Result<(), Error> {
        self.call_empty(Method::POST, "/v1/auth/logout", None::<&()>)
            .await
    }

    pub async fn me_get(&self) -> Result<MeView, Error> {
        self.get("/v1/me").await
    }

    pub async fn session_list(&self) -> Result<Vec<SessionView>, Error> {
        self.get("/v1/me/sessions").await
    }

    pub async fn session_revoke(&self, session_id: SessionId) -> Result<(), Error> {
        self.call_empty(
            Method::DELETE,
            &format!("/v1/me/sessions/{session_id}"),
            None::<&()>,
        )
        .await
    }

    pub async fn password_change(&self, request: &PasswordChangeRequest) -> Result<(), Error> {
        self.call_empty(Method::POST, "/v1/me/password", Some(request))
            .await
    }

    pub async fn token_create(&self, request: &TokenCreateRequest) -> Result<TokenCreated, Error> {
        self.call(Method::POST, "/v1/tokens", Some(request)).await
    }

    pub async fn token_list(&self) -> Result<Vec<TokenView>, Error> {
        self.get("/v1/tokens").await
    }

    pub async fn token_revoke(&self, token_id: ApiTokenId) -> Result<TokenView, Error> {
        self.call(Method::DELETE, &format!("/v1/tokens/{token_id}"), None::<&()>)
            .await
    }

    pub async fn tenant_create(&self, request: &TenantCreateRequest) -> Result<TenantView, Error> {
        self.call(Method::POST, "/v1/tenants", Some(request)).await
    }

    pub async fn tenant_list(&self) -> Result<Vec<TenantView>, Error> {
        self.get("/v1/tenants").await
    }

    pub async fn tenant_get(&self, tenant_id: TenantId) -> Result<TenantView, Error> {
        self.get(&format!("/v1/tenants/{tenant_id}")).await
    }

    pub async fn project_create(
        &self,
        tenant_id: TenantId,
        request: &ProjectCreateRequest,
    ) -> Result<ProjectView, Error> {
        self.call(
            Method::POST,
            &format!("/v1/tenants/{tenant_id}/projects"),
            Some(request),
        )
        .await
    }

    pub async fn project_list(&self, tenant_id: TenantId) -> Result<Vec<ProjectView>, Error> {
        self.get(&format!("/v1/tenants/{tenant_id}/projects")).await
    }

    pub async fn project_get(&self, project_id: ProjectId) -> Result<ProjectView, Error> {
        self.get(&format!("/v1/projects/{project_id}")).await
    }

    pub async fn member_list(&self, tenant_id: TenantId) -> Result<Vec<MemberView>, Error> {
        self.get(&format!("/v1/tenants/{tenant_id}/members")).await
    }

    pub async fn member_add(
        &self,
        tenant_id: TenantId,
        request: &MemberAddRequest,
    ) -> Result<MemberView, Error> {
        self.call(
            Method::POST,
            &format!("/v1/tenants/{tenant_id}/members"),
            Some(request),
        )
        .await
    }

    pub async fn member_update(
        &self,
        tenant_id: TenantId,
        user_id: UserId,
        request: &MemberUpdateRequest,
    ) -> Result<MemberView, Error> {
        self.call(
            Method::PATCH,
            &format!("/v1/tenants/{tenant_id}/members/{user_id}"),
            Some(request),
        )
        .await
    }

    pub async fn member_remove(&self, tenant_id: TenantId, user_id: UserId) -> Result<(), Error> {
        self.call_empty(
            Method::DELETE,
            &format!("/v1/tenants/{tenant_id}/members/{user_id}"),
            None::<&()>,
        )
        .await
    }

    /// Every audit event, oldest first, page after page; `tenant_id: None` reads all.
    pub fn audit_list_all(&self, tenant_id: Option<TenantId>) -> Pager<'_, AuditEventView> {
        Pager::new(move |cursor| {
            Box::pin(async move { self.audit_list(tenant_id, None, cursor.as_deref()).await })
        })
    }

    /// One page of audit events; `tenant_id: None` reads all (security roles).
    pub async fn audit_list(
        &self,
        tenant_id: Option<TenantId>,
        limit: Option<u32>,
        cursor: Option<&str>,
    ) -> Result<Page<AuditEventView>, Error> {
        let mut query: Vec<(&str, String)> = Vec::new();
        query.extend(tenant_id.map(|t| ("tenant_id", t.to_string())));
        query.extend(limit.map(|l| ("limit", l.to_string())));
        query.extend(cursor.map(|c| ("cursor", c.to_string())));
        let request = self
            .http
            .get(format!("{}/v1/audit-events", self.base))
            .query(&query);
        decode(self.send(request).await?).await
    }

    pub async fn platform_roles_set(
        &self,
        user_id: UserId,
        request: &PlatformRolesRequest,
    ) -> Result<UserView, Error> {
        self.call(
            Method::PUT,
            &format!("/v1/admin/users/{user_id}/platform-roles"),
            Some(request),
        )
        .await
    }

    pub async fn mfa_totp_enrol(&self) -> Result<TotpEnrolment, Error> {
        self.call(Method::POST, "/v1/me/mfa/totp", None::<&()>).await
    }

    pub async fn mfa_totp_confirm(&self, request: &TotpCodeRequest) -> Result<RecoveryCodes, Error> {
        self.call(Method::POST, "/v1/me/mfa/totp/confirm", Some(request))
            .await
    }

    pub async fn mfa_totp_disable(&self, request: &TotpCodeRequest) -> Result<(), Error> {
        self.call_empty(Method::POST, "/v1/me/mfa/totp/disable", Some(request))
            .await
    }

    pub async fn tenant_update(
        &self,
        tenant_id: TenantId,
        request: &TenantUpdateRequest,
    ) -> Result<TenantView, Error> {
        self.call(Method::PATCH, &format!("/v1/tenants/{tenant_id}"), Some(request))
            .await
    }

    pub async fn posture_get(&self, tenant_id: TenantId) -> Result<PostureView, Error> {
        self.get(&format!("/v1/tenants/{tenant_id}/posture")).await
    }

    pub async fn password_reset_request(&self, request: &PasswordResetRequest) -> Result<(), Error> {
        self.call_empty(Method::POST, "/v1/auth/password-reset", Some(request))
            .await
    }

    pub async fn password_reset_confirm(&self, request: &PasswordResetConfirm) -> Result<(), Error> {
        self.call_empty(Method::POST, "/v1/auth/password-reset/confirm", Some(request))
            .await
    }

    pub async fn notification_list(&self) -> Result<Vec<NotificationView>, Error> {
        self.get("/v1/admin/notifications").await
    }

    pub async fn invitation_create(
        &self,
        tenant_id: TenantId,
        request: &InvitationCreateRequest,
    ) -> Result<InvitationView, Error> {
        self.call(
            Method::POST,
            &format!("/v1/tenants/{tenant_id}/invitations"),
            Some(request),
        )
        .await
    }

    pub async fn invitation_list(&self, tenant_id: TenantId) -> Result<Vec<InvitationView>, Error> {
        self.get(&format!("/v1/tenants/{tenant_id}/invitations")).await
    }

    pub async fn invitation_revoke(
        &self,
        tenant_id: TenantId,
        invitation_id: InvitationId,
    ) -> Result<(), Error> {
        self.call_empty(
            Method::DELETE,
            &format!("/v1/tenants/{tenant_id}/invitations/{invitation_id}"),
            None::<&()>,
        )
        .await
    }

    pub async fn project_member_list(&self, project_id: ProjectId) -> Result<Vec<ProjectMemberView>, Error> {
        self.get(&format!("/v1/projects/{project_id}/members")).await
    }

    pub async fn project_member_set(
        &self,
        project_id: ProjectId,
        user_id: UserId,
        request: &ProjectMemberSetRequest,
    ) -> Result<ProjectMemberView, Error> {
        self.call(
            Method::PUT,
            &format!("/v1/projects/{project_id}/members/{user_id}"),
            Some(request),
        )
        .await
    }

    pub async fn project_member_remove(&self, project_id: ProjectId, user_id: UserId) -> Result<(), Error> {
        self.call_empty(
            Method::DELETE,
            &format!("/v1/projects/{project_id}/members/{user_id}"),
            None::<&()>,
        )
        .await
    }

    pub async fn kyc_get(&self, tenant_id: TenantId) -> Result<KycView, Error> {
        self.get(&format!("/v1/tenants/{tenant_id}/kyc")).await
    }

    pub async fn kyc_submit(
        &self,
        tenant_id: TenantId,
        request: &KycSubmitRequest,
    ) -> Result<KycView, Error> {
        self.call(
            Method::POST,
            &format!("/v1/tenants/{tenant_id}/kyc"),
            Some(request),
        )
        .await
    }

    pub async fn kyc_personal_data_redact(&self, tenant_id: TenantId) -> Result<KycView, Error> {
        self.call(
            Method::DELETE,
            &format!("/v1/tenants/{tenant_id}/kyc/personal-data"),
            None::<&()>,
        )
        .await
    }

    pub async fn kyc_decide(
        &self,
        tenant_id: TenantId,
        request: &KycDecisionRequest,
    ) -> Result<KycView, Error> {
        self.call(
            Method::POST,
            &format!("/v1/admin/kyc/{tenant_id}/decision"),
            Some(request),
        )
        .await
    }

    /// The personal data a tenant submitted (reviewers; audited).
    pub async fn kyc_personal_data_get(&self, tenant_id: TenantId) -> Result<serde_json::Value, Error> {
        self.get(&format!("/v1/admin/kyc/{tenant_id}/personal-data"))
            .await
    }

    /// The KYC review queue: tenants whose verification is in `state` (default: submitted).
    pub async fn kyc_queue(&self, state: Option<KycState>) -> Result<Vec<KycReviewView>, Error> {
        let mut query: Vec<(&str, String)> = Vec::new();
        if let Some(state) = state {
            let text = serde_json::to_value(state)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            query.push(("state", text));
        }
        let request = self.http.get(format!("{}/v1/admin/kyc", self.base)).query(&query);
        decode(self.send(request).await?).await
    }

    pub async fn audit_verify(&self) -> Result<AuditVerifyReport, Error> {
        self.get("/v1/admin/audit/verify").await
    }

    /// The SKUs on sale. Public: works without a token.
    pub async fn catalog_skus(&self) -> Result<Vec<SkuView>, Error> {
        self.get("/v1/catalog/skus").await
    }

    /// Every SKU × site on sale with its hourly price and free nodes. Public.
    pub async fn catalog_offers(&self) -> Result<Vec<OfferView>, Error> {
        self.get("/v1/catalog/offers").await
    }

    /// Capacity per site × SKU; tenants get fewer columns than operators.
    pub async fn capacity_get(&self) -> Result<Vec<CapacityView>, Error> {
        self.get("/v1/capacity").await
    }

    /// Hourly snapshots in `[from, to)`; the server defaults `to` to now and `from` to a day
    /// before `to`.
    pub async fn capacity_history(
        &self,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
    ) -> Result<Vec<CapacityHistoryPoint>, Error> {
        let mut query: Vec<(&str, String)> = Vec::new();
        query.extend(from.map(|t| ("from", t.to_string())));
        query.extend(to.map(|t| ("to", t.to_string())));
        let request = self
            .http
            .get(format!("{}/v1/capacity/history", self.base))
            .query(&query);
        decode(self.send(request).await?).await
    }

    pub async fn site_list(&self) -> Result<Vec<SiteView>, Error> {
        self.get("/v1/admin/sites").await
    }

    pub async fn site_create(&self, request: &SiteCreateRequest) -> Result<SiteView, Error> {
        self.call(Method::POST, "/v1/admin/sites", Some(request)).await
    }

    /// The site's MAAS binding: URL, the key's id (never the key) and the site policy.
    pub async fn site_maas_get(&self, site: &str) -> Result<SiteBindingView, Error> {
        self.get(&format!("/v1/admin/sites/{}/maas", path_segment(site)))
            .await
    }

    /// Binds the site to its MAAS region, or changes the binding; the server checks the key
    /// against the region before it keeps it.
    pub async fn site_maas_set(
        &self,
        site: &str,
        request: &SiteBindingRequest,
    ) -> Result<SiteBindingView, Error> {
        self.call(
            Method::PUT,
            &format!("/v1/admin/sites/{}/maas", path_segment(site)),
            Some(request),
        )
        .await
    }

    /// One onboarding pass at the site now.
    pub async fn site_onboard(&self, site: &str) -> Result<OnboardReport, Error> {
        self.call::<(), _>(
            Method::POST,
            &format!("/v1/admin/sites/{}/onboard", path_segment(site)),
            None,
        )
        .await
    }

    /// Allocates machines (201). Keyed like [`Client::top_up`]: `idempotency_key`, or a fresh
    /// key when `None`, so resending cannot allocate twice. With `dry_run` set, use
    /// [`Client::allocation_admission`] instead.
    pub async fn allocation_create(
        &self,
        project_id: ProjectId,
        request: &AllocationCreateRequest,
        idempotency_key: Option<&str>,
    ) -> Result<AllocationView, Error> {
        self.post_idempotent(
            &format!("/v1/projects/{project_id}/allocations"),
            request,
            idempotency_key,
        )
        .await
    }

    /// The admission decision for `request` (sent as a dry run): every reason it would be refused.
    pub async fn allocation_admission(
        &self,
        project_id: ProjectId,
        request: &AllocationCreateRequest,
    ) -> Result<AdmissionView, Error> {
        let mut request = request.clone();
        request.dry_run = true;
        self.call(
            Method::POST,
            &format!("/v1/projects/{project_id}/allocations"),
            Some(&request),
        )
        .await
    }

    /// A project's allocations, newest first, one page.
    pub async fn allocation_list(
        &self,
        project_id: ProjectId,
        cursor: Option<&str>,
    ) -> Result<Page<AllocationView>, Error> {
        let request = self
            .http
            .get(format!("{}/v1/projects/{project_id}/allocations", self.base))
            .query(
                &cursor
                    .map(|cursor| ("cursor", cursor))
                    .into_iter()
                    .collect::<Vec<_>>(),
            );
        decode(self.send(request).await?).await
    }

    /// Every allocation of a project, newest first, page after page.
    pub fn allocation_list_all(&self, project_id: ProjectId) -> Pager<'_, AllocationView> {
        Pager::new(move |cursor| {
            Box::pin(async move { self.allocation_list(project_id, cursor.as_deref()).await })
        })
    }

    pub async fn allocation_get(&self, allocation_id: AllocationId) -> Result<AllocationView, Error> {
        self.get(&format!("/v1/allocations/{allocation_id}")).await
    }

    pub async fn allocation_release(
        &self,
        allocation_id: AllocationId,
        request: &ReleaseRequest,
    ) -> Result<AllocationView, Error> {
        self.call(
            Method::POST,
            &format!("/v1/allocations/{allocation_id}/release"),
            Some(request),
        )
        .await
    }

    pub async fn allocation_extend(
        &self,
        allocation_id: AllocationId,
        request: &ExtendRequest,
    ) -> Result<AllocationView, Error> {
        self.call(
            Method::POST,
            &format!("/v1/allocations/{allocation_id}/extend"),
            Some(request),
        )
        .await
    }

    /// Ends any tenant's allocation (operators; audited with the reason).
    pub async fn allocation_force_release(
        &self,
        allocation_id: AllocationId,
        request: &ForceReleaseRequest,
    ) -> Result<AllocationView, Error> {
        self.call(
            Method::POST,
            &format!("/v1/admin/allocations/{allocation_id}/force-release"),
            Some(request),
        )
        .await
    }

    /// Every allocation the filter matches (operators), page after page.
    pub fn allocation_admin_list_all(&self, filter: AdminAllocationFilter) -> Pager<'_, AllocationView> {
        let mut first = filter.cursor.clone();
        Pager::new(move |cursor| {
            let filter = AdminAllocationFilter {
                cursor: cursor.or_else(|| first.take()),
                ..filter.clone()
            };
            Box::pin(async move { self.allocation_admin_list(&filter).await })
        })
    }

    /// Every tenant's allocations, newest first (operators, support); pass the page's
    /// `next_cursor` back in `filter.cursor` for the next page.
    pub async fn allocation_admin_list(
        &self,
        filter: &AdminAllocationFilter,
    ) -> Result<Page<AllocationView>, Error> {
        let request = self
            .http
            .get(format!("{}/v1/admin/allocations", self.base))
            .query(filter);
        decode(self.send(request).await?).await
    }

    /// A tenant's node quotas (operators).
    pub async fn quotas_get(&self, tenant_id: TenantId) -> Result<QuotasView, Error> {
        self.get(&format!("/v1/admin/tenants/{tenant_id}/quotas")).await
    }

    /// Replaces a tenant's node quotas (operators; audited with the reason).
    pub async fn quotas_set(
        &self,
        tenant_id: TenantId,
        request: &QuotasSetRequest,
    ) -> Result<QuotasView, Error> {
        self.call(
            Method::PUT,
            &format!("/v1/admin/tenants/{tenant_id}/quotas"),
            Some(request),
        )
        .await
    }

    /// One reconciliation pass at the site now.
    pub async fn site_reconcile(&self, site: &str) -> Result<ReconcileReport, Error> {
        self.call::<(), _>(
            Method::POST,
            &format!("/v1/admin/sites/{}/reconcile", path_segment(site)),
            None,
        )
        .await
    }

    /// The site's drift, open first; `all` adds the resolved history.
    pub async fn site_drift(&self, site: &str, all: bool) -> Result<Vec<DriftView>, Error> {
        self.get(&format!("/v1/admin/sites/{}/drift?all={all}", path_segment(site)))
            .await
    }

    /// Starts a reimage of the node (runs in the background).
    pub async fn node_reimage(
        &self,
        node_id: NodeId,
        request: &NodeOperationRequest,
    ) -> Result<NodeOperationView, Error> {
        self.call(
            Method::POST,
            &format!("/v1/admin/nodes/{node_id}/reimage"),
            Some(request),
        )
        .await
    }

    /// Starts a decommission of the node (runs in the background).
    pub async fn node_decommission(
        &self,
        node_id: NodeId,
        request: &NodeOperationRequest,
    ) -> Result<NodeOperationView, Error> {
        self.call(
            Method::POST,
            &format!("/v1/admin/nodes/{node_id}/decommission"),
            Some(request),
        )
        .await
    }

    /// Every SKU, active or not.
    pub async fn sku_list(&self) -> Result<Vec<SkuView>, Error> {
        self.get("/v1/admin/skus").await
    }

    /// The report lists the nodes the fleet re-match moved.
    pub async fn sku_create(&self, request: &SkuCreateRequest) -> Result<SkuChangeReport, Error> {
        self.call(Method::POST, "/v1/admin/skus", Some(request)).await
    }

    pub async fn sku_update(
        &self,
        sku_id: SkuId,
        request: &SkuUpdateRequest,
    ) -> Result<SkuChangeReport, Error> {
        self.call(Method::PATCH, &format!("/v1/admin/skus/{sku_id}"), Some(request))
            .await
    }

    /// `site` is the site's name, not its id.
    pub async fn offer_set(
        &self,
        sku_id: SkuId,
        site: &str,
        request: &OfferSetRequest,
    ) -> Result<OfferView, Error> {
        let site = path_segment(site);
        self.call(
            Method::PUT,
            &format!("/v1/admin/offers/{sku_id}/{site}"),
            Some(request),
        )
        .await
    }

    /// One page of nodes; pass the page's `next_cursor` back in `filter.cursor` for the next.
    /// Every node the filter matches, page after page (its `cursor` is where it starts).
    pub fn node_list_all(&self, filter: NodeFilter) -> Pager<'_, NodeView> {
        let mut first = filter.cursor.clone();
        Pager::new(move |cursor| {
            let filter = NodeFilter {
                cursor: cursor.or_else(|| first.take()),
                ..filter.clone()
            };
            Box::pin(async move { self.node_list(&filter).await })
        })
    }

    pub async fn node_list(&self, filter: &NodeFilter) -> Result<Page<NodeView>, Error> {
        let request = self
            .http
            .get(format!("{}/v1/admin/nodes", self.base))
            .query(filter);
        decode(self.send(request).await?).await
    }

    pub async fn node_get(&self, node_id: NodeId) -> Result<NodeView, Error> {
        self.get(&format!("/v1/admin/nodes/{node_id}")).await
    }

    /// The node's history, newest first (operators).
    pub async fn node_history(&self, node_id: NodeId) -> Result<Vec<NodeHistoryEntry>, Error> {
        self.get(&format!("/v1/admin/nodes/{node_id}/history")).await
    }

    pub async fn node_maintenance(
        &self,
        node_id: NodeId,
        request: &MaintenanceRequest,
    ) -> Result<NodeView, Error> {
        self.call(
            Method::POST,
            &format!("/v1/admin/nodes/{node_id}/maintenance"),
            Some(request),
        )
        .await
    }

    pub async fn node_quarantine(
        &self,
        node_id: NodeId,
        request: &QuarantineRequest,
    ) -> Result<NodeView, Error> {
        self.call(
            Method::POST,
            &format!("/v1/admin/nodes/{node_id}/quarantine"),
            Some(request),
        )
        .await
    }

    /// All or nothing: one bad row imports no node, and the problem's `errors` name each bad
    /// row as `nodes[i].field`.
    pub async fn node_import(&self, request: &NodeImportRequest) -> Result<NodeImportReport, Error> {
        self.call(Method::POST, "/v1/admin/nodes/import", Some(request))
            .await
    }

    /// The tenant's money: cash, promotional credit, holds and what is still available.
    pub async fn balance_get(&self, tenant_id: TenantId) -> Result<BalanceView, Error> {
        self.get(&format!("/v1/tenants/{tenant_id}/balance")).await
    }

    /// Every ledger entry of the tenant, oldest first, page after page.
    pub fn ledger_list_all(&self, tenant_id: TenantId) -> Pager<'_, LedgerEntryView> {
        Pager::new(move |cursor| {
            Box::pin(async move { self.ledger_list(tenant_id, None, cursor.as_deref()).await })
        })
    }

    /// One page of the tenant's ledger entries, oldest first; pass the page's `next_cursor` back
    /// as `cursor` for the next.
    pub async fn ledger_list(
        &self,
        tenant_id: TenantId,
        limit: Option<u32>,
        cursor: Option<&str>,
    ) -> Result<Page<LedgerEntryView>, Error> {
        let mut query: Vec<(&str, String)> = Vec::new();
        query.extend(limit.map(|l| ("limit", l.to_string())));
        query.extend(cursor.map(|c| ("cursor", c.to_string())));
        let request = self
            .http
            .get(format!("{}/v1/tenants/{tenant_id}/ledger", self.base))
            .query(&query);
        decode(self.send(request).await?).await
    }

    /// Adds money through a payment provider (`request.provider`; the server's default is
    /// `test`). The request carries `idempotency_key`, or a fresh key when `None`: the server
    /// answers a repeat of the key with the first answer and the ledger posts once per key, so
    /// resending the request cannot add the money twice. This client does not retry by itself;
    /// to retry a top-up whose answer was lost, pass the same key again (see
    /// [`idempotency_key_new`]).
    pub async fn top_up(
        &self,
        tenant_id: TenantId,
        request: &TopUpRequest,
        idempotency_key: Option<&str>,
    ) -> Result<TopUpView, Error> {
        self.post_idempotent(
            &format!("/v1/tenants/{tenant_id}/top-ups"),
            request,
            idempotency_key,
        )
        .await
    }

    /// Gives a tenant money by hand (finance only), audited. Keyed like [`Client::top_up`]:
    /// `idempotency_key`, or a fresh key when `None`, so resending cannot credit twice.
    pub async fn credit_grant(
        &self,
        tenant_id: TenantId,
        request: &CreditRequest,
        idempotency_key: Option<&str>,
    ) -> Result<LedgerEntryView, Error> {
        self.post_idempotent(
            &format!("/v1/admin/tenants/{tenant_id}/credits"),
            request,
            idempotency_key,
        )
        .await
    }

    /// Delivers a KYC provider's signed decision (`x-ingot-signature: t=…,v1=…`) as the
    /// provider would: for an operator replaying an event the provider shows as undelivered.
    pub async fn kyc_webhook(&self, provider: &str, body: &[u8], signature: &str) -> Result<KycView, Error> {
        let request = self
            .http
            .post(format!(
                "{}/v1/webhooks/kyc/{}",
                self.base,
                path_segment(provider)
            ))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("x-ingot-signature", signature)
            .body(body.to_vec());
        decode(self.send_once(request).await?).await
    }

    /// Delivers a payment provider's signed event (Stripe: `Stripe-Signature`) as the provider
    /// would; applied once per event id, a replay is acknowledged and changes nothing.
    pub async fn payment_webhook(
        &self,
        provider: &str,
        body: &[u8],
        signature: &str,
    ) -> Result<WebhookAck, Error> {
        let request = self
            .http
            .post(format!(
                "{}/v1/webhooks/payments/{}",
                self.base,
                path_segment(provider)
            ))
            .header(reqwest::header::CONTENT_TYPE, "text/plain")
            .header("stripe-signature", signature)
            .body(body.to_vec());
        decode(self.send_once(request).await?).await
    }

    /// Lets an invoiced tenant's cash go this far below zero (finance only), audited.
    pub async fn credit_limit_set(
        &self,
        tenant_id: TenantId,
        request: &CreditLimitRequest,
    ) -> Result<BalanceView, Error> {
        self.call(
            Method::PUT,
            &format!("/v1/admin/tenants/{tenant_id}/credit-limit"),
            Some(request),
        )
        .await
    }

    /// Charges a tenant by hand (finance only), audited. Keyed like [`Client::top_up`]:
    /// `idempotency_key`, or a fresh key when `None`, so resending cannot charge twice. A
    /// charge past the tenant's floor is refused with `insufficient_funds`.
    pub async fn charge_post(
        &self,
        tenant_id: TenantId,
        request: &ChargeRequest,
        idempotency_key: Option<&str>,
    ) -> Result<LedgerEntryView, Error> {
        self.post_idempotent(
            &format!("/v1/admin/tenants/{tenant_id}/charges"),
            request,
            idempotency_key,
        )
        .await
    }

    /// The tenant's metered nodes: started, stopped, rate and what each cost so far.
    pub async fn usage_list(&self, tenant_id: TenantId) -> Result<Vec<UsageView>, Error> {
        self.get(&format!("/v1/tenants/{tenant_id}/usage")).await
    }

    /// The statement of `month` (`YYYY-MM`, UTC); the server says whether the month is valid.
    pub async fn statement_get(&self, tenant_id: TenantId, month: &str) -> Result<StatementView, Error> {
        self.get(&statement_path(tenant_id, month)).await
    }

    /// The same statement as the server's CSV, unaltered, ready to be saved as a file;
    /// [`Error::Unexpected`] when the answer is not CSV.
    pub async fn statement_csv(&self, tenant_id: TenantId, month: &str) -> Result<String, Error> {
        let request = self
            .http
            .get(format!("{}{}", self.base, statement_path(tenant_id, month)))
            .header(reqwest::header::ACCEPT, "text/csv");
        let response = self.send(request).await?;
        let status = response.status().as_u16();
        if !response.status().is_success() {
            return Err(problem_of(response).await);
        }
        // A server that ignores `Accept` answers JSON, which must not be saved as CSV.
        let is_csv = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/csv"));
        if !is_csv {
            return Err(Error::Unexpected { status });
        }
        response.text().await.map_err(Error::Transport)
    }

    /// Recomputes every ledger invariant; breaches are named in the report, not as an error.
    pub async fn ledger_verify(&self) -> Result<LedgerVerifyReport, Error> {
        self.get("/v1/admin/ledger/verify").await
    }

    /// The OS images tenants may deploy, per site; `site` (a name) narrows to one site.
    pub async fn images_list(&self, site: Option<&str>) -> Result<Vec<ImageView>, Error> {
        let query: Vec<(&str, &str)> = site.map(|s| ("site", s)).into_iter().collect();
        let request = self.http.get(format!("{}/v1/images", self.base)).query(&query);
        decode(self.send(request).await?).await
    }

    /// A project's SSH public keys.
    pub async fn ssh_keys_list(&self, project_id: ProjectId) -> Result<Vec<SshKeyView>, Error> {
        self.get(&format!("/v1/projects/{project_id}/ssh-keys")).await
    }

    /// Adds an OpenSSH public key to a project.
    pub async fn ssh_key_create(
        &self,
        project_id: ProjectId,
        request: &SshKeyCreateRequest,
    ) -> Result<SshKeyView, Error> {
        self.post_idempotent(&format!("/v1/projects/{project_id}/ssh-keys"), request, None)
            .await
    }

    pub async fn ssh_key_delete(&self, project_id: ProjectId, key_id: SshKeyId) -> Result<(), Error> {
        self.call_empty::<()>(
            Method::DELETE,
            &format!("/v1/projects/{project_id}/ssh-keys/{key_id}"),
            None,
        )
        .await
    }

    /// Your own SSH public keys.
    pub async fn my_ssh_keys_list(&self) -> Result<Vec<SshKeyView>, Error> {
        self.get("/v1/me/ssh-keys").await
    }

    /// Adds one of your own keys: usable by id in any allocation you make.
    pub async fn my_ssh_key_create(&self, request: &SshKeyCreateRequest) -> Result<SshKeyView, Error> {
        self.post_idempotent("/v1/me/ssh-keys", request, None).await
    }

    pub async fn my_ssh_key_delete(&self, key_id: SshKeyId) -> Result<(), Error> {
        self.call_empty::<()>(Method::DELETE, &format!("/v1/me/ssh-keys/{key_id}"), None)
            .await
    }

    /// The built-in templates, then the project's own.
    pub async fn templates_list(&self, project_id: ProjectId) -> Result<Vec<TemplateView>, Error> {
        self.get(&format!("/v1/projects/{project_id}/templates")).await
    }

    /// A template by id or name.
    pub async fn template_get(&self, project_id: ProjectId, template: &str) -> Result<TemplateView, Error> {
        self.get(&format!("/v1/projects/{project_id}/templates/{template}"))
            .await
    }

    pub async fn template_create(
        &self,
        project_id: ProjectId,
        request: &TemplateRequest,
    ) -> Result<TemplateView, Error> {
        self.post_idempotent(&format!("/v1/projects/{project_id}/templates"), request, None)
            .await
    }

    /// Replaces a project template whole; its version goes up by one.
    pub async fn template_replace(
        &self,
        project_id: ProjectId,
        template: &str,
        request: &TemplateRequest,
    ) -> Result<TemplateView, Error> {
        self.call(
            Method::PUT,
            &format!("/v1/projects/{project_id}/templates/{template}"),
            Some(request),
        )
        .await
    }

    pub async fn template_delete(&self, project_id: ProjectId, template: &str) -> Result<(), Error> {
        self.call_empty::<()>(
            Method::DELETE,
            &format!("/v1/projects/{project_id}/templates/{template}"),
            None,
        )
        .await
    }

    /// Renders a template with values for its variables, checked as a deploy would check it.
    pub async fn template_render(
        &self,
        project_id: ProjectId,
        template: &str,
        values: &TemplateValues,
    ) -> Result<RenderedUserData, Error> {
        self.call(
            Method::POST,
            &format!("/v1/projects/{project_id}/templates/{template}/render"),
            Some(values),
        )
        .await
    }

    /// The event types a webhook can subscribe to.
    pub async fn webhook_event_types(&self) -> Result<Vec<WebhookEventType>, Error> {
        self.get("/v1/webhook-events").await
    }

    pub async fn webhooks_list(&self, project_id: ProjectId) -> Result<Vec<WebhookView>, Error> {
        self.get(&format!("/v1/projects/{project_id}/webhooks")).await
    }

    /// Subscribes a URL; the answer carries the signing secret, shown this once.
    pub async fn webhook_create(
        &self,
        project_id: ProjectId,
        request: &WebhookCreateRequest,
    ) -> Result<WebhookCreated, Error> {
        self.post_idempotent(&format!("/v1/projects/{project_id}/webhooks"), request, None)
            .await
    }

    pub async fn webhook_get(
        &self,
        project_id: ProjectId,
        webhook_id: WebhookId,
    ) -> Result<WebhookView, Error> {
        self.get(&format!("/v1/projects/{project_id}/webhooks/{webhook_id}"))
            .await
    }

    pub async fn webhook_update(
        &self,
        project_id: ProjectId,
        webhook_id: WebhookId,
        request: &WebhookUpdateRequest,
    ) -> Result<WebhookView, Error> {
        self.call(
            Method::PATCH,
            &format!("/v1/projects/{project_id}/webhooks/{webhook_id}"),
            Some(request),
        )
        .await
    }

    pub async fn webhook_delete(&self, project_id: ProjectId, webhook_id: WebhookId) -> Result<(), Error> {
        self.call_empty::<()>(
            Method::DELETE,
            &format!("/v1/projects/{project_id}/webhooks/{webhook_id}"),
            None,
        )
        .await
    }

    /// The webhook's newest deliveries (at most `limit`), each with every attempt.
    pub async fn deliveries_list(
        &self,
        project_id: ProjectId,
        webhook_id: WebhookId,
        limit: u32,
    ) -> Result<Vec<DeliveryView>, Error> {
        self.get(&format!(
            "/v1/projects/{project_id}/webhooks/{webhook_id}/deliveries?limit={limit}"
        ))
        .await
    }

    /// Sends a delivery again now.
    pub async fn delivery_redeliver(
        &self,
        project_id: ProjectId,
        webhook_id: WebhookId,
        delivery_id: DeliveryId,
    ) -> Result<DeliveryView, Error> {
        self.call::<(), _>(
            Method::POST,
            &format!("/v1/projects/{project_id}/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver"),
            None,
        )
        .await
    }

    pub async fn clusters_list(&self, project_id: ProjectId) -> Result<Vec<ClusterView>, Error> {
        self.get(&format!("/v1/projects/{project_id}/clusters")).await
    }

    /// Creates a cluster: the head, then every worker; all or nothing.
    pub async fn cluster_create(
        &self,
        project_id: ProjectId,
        request: &ClusterCreateRequest,
    ) -> Result<ClusterView, Error> {
        self.post_idempotent(&format!("/v1/projects/{project_id}/clusters"), request, None)
            .await
    }

    /// A cluster by id or name.
    pub async fn cluster_get(&self, project_id: ProjectId, cluster: &str) -> Result<ClusterView, Error> {
        self.get(&format!("/v1/projects/{project_id}/clusters/{cluster}"))
            .await
    }

    pub async fn cluster_scale(
        &self,
        project_id: ProjectId,
        cluster: &str,
        workers: u32,
    ) -> Result<ClusterView, Error> {
        self.call(
            Method::POST,
            &format!("/v1/projects/{project_id}/clusters/{cluster}/scale"),
            Some(&ClusterScaleRequest { workers }),
        )
        .await
    }

    /// Releases every node of the cluster.
    pub async fn cluster_delete(&self, project_id: ProjectId, cluster: &str) -> Result<ClusterView, Error> {
        self.call::<(), _>(
            Method::DELETE,
            &format!("/v1/projects/{project_id}/clusters/{cluster}"),
            None,
        )
        .await
    }

    /// A tenant's overview: money, runway, spend, allocations, quota use.
    pub async fn tenant_overview(&self, tenant_id: TenantId) -> Result<TenantOverview, Error> {
        self.get(&format!("/v1/tenants/{tenant_id}/overview")).await
    }

    pub async fn dashboard_capacity(&self) -> Result<CapacityDashboard, Error> {
        self.get("/v1/admin/dashboards/capacity").await
    }

    pub async fn dashboard_health(&self) -> Result<HealthDashboard, Error> {
        self.get("/v1/admin/dashboards/health").await
    }

    /// Revenue over the last `days` days (1–366).
    pub async fn dashboard_revenue(&self, days: u32) -> Result<RevenueDashboard, Error> {
        self.get(&format!("/v1/admin/dashboards/revenue?days={days}"))
            .await
    }

    pub async fn read_models_list(&self) -> Result<Vec<ProjectionStatus>, Error> {
        self.get("/v1/admin/read-models").await
    }

    /// Starts rebuilding a projection from the event history beside the live one (`force`:
    /// even over a newer version, after a downgrade).
    pub async fn read_model_rebuild(&self, name: &str, force: bool) -> Result<ProjectionStatus, Error> {
        self.call::<(), _>(
            Method::POST,
            &format!("/v1/admin/read-models/{name}/rebuild?force={force}"),
            None,
        )
        .await
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, Error> {
        let response = self.send(self.http.get(format!("{}{path}", self.base))).await?;
        decode(response).await
    }

    async fn call<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, Error> {
        let mut request = self.http.request(method.clone(), format!("{}{path}", self.base));
        if method == Method::POST {
            // Every POST carries a fresh key, so that resending it (below, after a 429 or 503)
            // lands once: the server replays the first answer.
            request = request.header(IDEMPOTENCY_KEY_HEADER, idempotency_key_new());
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        decode(self.send(request).await?).await
    }

    /// A call whose success has no body (202, 204).
    async fn call_empty<B: Serialize + ?Sized>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<(), Error> {
        let mut request = self.http.request(method.clone(), format!("{}{path}", self.base));
        if method == Method::POST {
            // Every POST carries a fresh key, so that resending it (below, after a 429 or 503)
            // lands once: the server replays the first answer.
            request = request.header(IDEMPOTENCY_KEY_HEADER, idempotency_key_new());
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = self.send(request).await?;
        if response.status().is_success() {
            return Ok(());
        }
        Err(problem_of(response).await)
    }

    /// A POST with an `Idempotency-Key`: the given key, else a fresh one, so that whatever
    /// resends this request (a retry layer, a proxy) cannot make it land twice.
    async fn post_idempotent<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
        idempotency_key: Option<&str>,
    ) -> Result<T, Error> {
        let key = match idempotency_key {
            Some(key) if idempotency_key_valid(key) => key.to_string(),
            Some(_) => return Err(Error::InvalidIdempotencyKey),
            None => idempotency_key_new(),
        };
        let request = self
            .http
            .post(format!("{}{path}", self.base))
            .header(IDEMPOTENCY_KEY_HEADER, key)
            .json(body);
        decode(self.send(request).await?).await
    }

    /// Sends, and sends again after a 429 or 503 when that cannot make anything happen twice
    /// (reads, PUT, DELETE, and posts carrying an `Idempotency-Key`), waiting what the server's
    /// `Retry-After` asks (at most [`RETRY_AFTER_MAX`]; 1 s, 2 s, 4 s without one), up to
    /// [`RETRIES_MAX`] times. The last answer is returned either way.
    async fn send(&self, request: reqwest::RequestBuilder) -> Result<reqwest::Response, Error> {
        let request = match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        };
        let repeatable = request
            .try_clone()
            .and_then(|copy| copy.build().ok())
            .is_some_and(|built| {
                matches!(
                    *built.method(),
                    Method::GET | Method::HEAD | Method::PUT | Method::DELETE
                ) || built.headers().contains_key(IDEMPOTENCY_KEY_HEADER)
            });
        let mut attempt = 0u32;
        let mut request = request;
        loop {
            let retry = if repeatable { request.try_clone() } else { None };
            let response = request.send().await.map_err(Error::Transport)?;
            let status = response.status().as_u16();
            let Some(next) = retry.filter(|_| (status == 429 || status == 503) && attempt < RETRIES_MAX)
            else {
                return Ok(response);
            };
            let wait = retry_after(&response).unwrap_or(Duration::from_secs(1 << attempt));
            // Pacing what the server asked for, not synchronising on anything.
            #[allow(clippy::disallowed_methods)]
            tokio::time::sleep(wait.min(RETRY_AFTER_MAX)).await;
            attempt += 1;
            request = next;
        }
    }

    /// Sends once, whatever the answer: for calls whose 503 is itself the answer (readiness).
    async fn send_once(&self, request: reqwest::RequestBuilder) -> Result<reqwest::Response, Error> {
        let request = match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        };
        request.send().await.map_err(Error::Transport)
    }
}

/// Seconds in a `Retry-After` header (the HTTP-date form is not used by Ingot).
fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    let seconds: u64 = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(seconds))
}

/// A fresh idempotency key. Make one before the first attempt and pass it to every retry of
/// the same operation.
pub fn idempotency_key_new() -> String {
    ingot_kernel::id::new_ulid().to_string()
}

/// The server's rule for keys: 1 to 255 visible ASCII characters.
fn idempotency_key_valid(key: &str) -> bool {
    !key.is_empty() && key.len() <= IDEMPOTENCY_KEY_CHARS_MAX && key.bytes().all(|b| b.is_ascii_graphic())
}

/// `month` is typed by people: encoded, so that a typo is refused as a month rather than routed
/// elsewhere.
fn statement_path(tenant_id: TenantId, month: &str) -> String {
    format!("/v1/tenants/{tenant_id}/statements/{}", path_segment(month))
}

/// Percent-encodes a free-text path segment. Site names are `[a-z0-9-]` by rule, but a typo
/// holding `/` or `?` must reach the server as one (unknown) name, not as another route.
fn path_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

async fn decode<T: DeserializeOwned>(response: reqwest::Response) -> Result<T, Error> {
    let status = response.status().as_u16();
    if response.status().is_success() {
        return response.json().await.map_err(|_| Error::Unexpected { status });
    }
    Err(problem_of(response).await)
}

async fn problem_of(response: reqwest::Response) -> Error {
    let status = response.status().as_u16();
    match response.json::<ProblemBody>().await {
        Ok(problem) => Error::Api(Box::new(problem)),
        Err(_) => Error::Unexpected { status },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_urls_without_a_scheme_and_hides_the_token() {
        assert!(matches!(Client::new("127.0.0.1:8080"), Err(Error::InvalidUrl(_))));
        let client = Client::new("http://127.0.0.1:8080/")
            .unwrap()
            .with_token("ingot_secret");
        assert_eq!(client.server(), "http://127.0.0.1:8080");
        assert!(!format!("{client:?}").contains("ingot_secret"));
    }

    #[test]
    fn idempotency_keys_are_fresh_and_valid_header_values() {
        let (first, second) = (idempotency_key_new(), idempotency_key_new());
        assert_ne!(first, second);
        assert!(idempotency_key_valid(&first));
        assert!(idempotency_key_valid("pay-1"));
        for bad in ["", "two words", "line\nbreak", "café", &"k".repeat(256)] {
            assert!(!idempotency_key_valid(bad), "{bad:?}");
        }
    }

    #[test]
    fn path_segments_cannot_leave_their_segment() {
        assert_eq!(path_segment("fra1"), "fra1");
        assert_eq!(path_segment("a/b?c d"), "a%2Fb%3Fc%20d");
        assert_eq!(path_segment("ü"), "%C3%BC");
        let tenant: TenantId = "ten_01jdq3v0k4x2m8n5p7r9s1t3w5".parse().unwrap();
        assert_eq!(
            statement_path(tenant, "2026-11"),
            "/v1/tenants/ten_01jdq3v0k4x2m8n5p7r9s1t3w5/statements/2026-11"
        );
        assert!(statement_path(tenant, "../usage").ends_with("/statements/..%2Fusage"));
    }
}
