//! IAM published language: who is calling (`Actor`), how credentials are checked
//! (`Authenticator`) and the one authorization function every service layer asks (`Authorizer`).

use std::collections::{BTreeMap, BTreeSet};

use ingot_kernel::id::{ApiTokenId, InvitationId, ProjectId, SessionId, TenantId, UserId};
use ingot_kernel::problem::{Code, Problem};
use serde::{Deserialize, Serialize};

use crate::BoxFuture;

/// Platform-wide roles, held by Ingot's own staff.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PlatformRole {
    PlatformAdmin,
    Operator,
    Finance,
    Security,
    Support,
}

/// The credential a request authenticated with, recorded so any use of a leaked one can be traced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum CredentialRef {
    Session(SessionId),
    ApiToken(ApiTokenId),
}

/// Roles within a tenant. Owner > Admin > Member > Viewer; Billing sees money, not machines.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum TenantRole {
    Owner,
    Admin,
    Member,
    Viewer,
    Billing,
}

impl TenantRole {
    pub const ALL: [TenantRole; 5] = [
        TenantRole::Owner,
        TenantRole::Admin,
        TenantRole::Member,
        TenantRole::Viewer,
        TenantRole::Billing,
    ];

    /// Whether `self` grants nothing `other` does not: what a token or invite may be given.
    pub fn at_most(self, other: TenantRole) -> bool {
        use TenantRole::*;
        match (self, other) {
            (_, Owner) => true,
            (Owner, _) => false,
            (_, Admin) => true,
            (Admin, _) => false,
            (Member | Viewer, Member) => true,
            (Viewer, Viewer) => true,
            (Billing, Billing) => true,
            _ => false,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TenantRole::Owner => "owner",
            TenantRole::Admin => "admin",
            TenantRole::Member => "member",
            TenantRole::Viewer => "viewer",
            TenantRole::Billing => "billing",
        }
    }

    pub fn parse(text: &str) -> Option<TenantRole> {
        TenantRole::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

/// Roles within one project, on top of the tenant role (which applies to every project):
/// tenant owners and admins act as project admins, members as members, viewers as viewers.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ProjectRole {
    Admin,
    Member,
    Viewer,
}

impl ProjectRole {
    pub const ALL: [ProjectRole; 3] = [ProjectRole::Admin, ProjectRole::Member, ProjectRole::Viewer];

    pub fn as_str(self) -> &'static str {
        match self {
            ProjectRole::Admin => "admin",
            ProjectRole::Member => "member",
            ProjectRole::Viewer => "viewer",
        }
    }

    pub fn parse(text: &str) -> Option<ProjectRole> {
        ProjectRole::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

impl PlatformRole {
    pub const ALL: [PlatformRole; 5] = [
        PlatformRole::PlatformAdmin,
        PlatformRole::Operator,
        PlatformRole::Finance,
        PlatformRole::Security,
        PlatformRole::Support,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PlatformRole::PlatformAdmin => "platform_admin",
            PlatformRole::Operator => "operator",
            PlatformRole::Finance => "finance",
            PlatformRole::Security => "security",
            PlatformRole::Support => "support",
        }
    }

    pub fn parse(text: &str) -> Option<PlatformRole> {
        PlatformRole::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

/// Where a request came from, for the audit log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    pub source_ip: Option<String>,
    pub request_id: Option<String>,
}

/// Who is calling, as established by authentication. Built only by IAM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<UserId>,
    pub credential: Option<CredentialRef>,
    pub platform_roles: BTreeSet<PlatformRole>,
    /// The actor's role in each tenant it belongs to; for an API token, only the token's tenant,
    /// at no more than the token's role.
    pub tenant_roles: BTreeMap<TenantId, TenantRole>,
    /// Roles granted on single projects (sessions only: API tokens act at their tenant role).
    pub project_roles: BTreeMap<ProjectId, ProjectRole>,
    /// An API token scoped to one project reaches only that project.
    pub project_scope: Option<ProjectId>,
    /// A tenant requires MFA that this user has not enrolled: only enrolment is allowed.
    pub mfa_enrolment_required: bool,
    pub origin: Origin,
}

impl Actor {
    /// No credential was presented.
    pub fn anonymous() -> Actor {
        Actor {
            user_id: None,
            credential: None,
            platform_roles: BTreeSet::new(),
            tenant_roles: BTreeMap::new(),
            project_roles: BTreeMap::new(),
            project_scope: None,
            mfa_enrolment_required: false,
            origin: Origin::default(),
        }
    }

    pub fn is_authenticated(&self) -> bool {
        self.user_id.is_some()
    }

    pub fn has_platform_role(&self, role: PlatformRole) -> bool {
        self.platform_roles.contains(&role)
    }

    pub fn tenant_role(&self, tenant_id: TenantId) -> Option<TenantRole> {
        self.tenant_roles.get(&tenant_id).copied()
    }
}

/// The web session cookie's name; `ingotd`'s authentication middleware reads it.
pub const SESSION_COOKIE: &str = "ingot_session";

/// The `Set-Cookie` value carrying a session: IAM's flags, the same for the JSON API and the web
/// app. HttpOnly (no script reads it), SameSite=Lax (not sent on cross-site posts), Secure when
/// the request came over TLS (`secure`: a proxy said `X-Forwarded-Proto: https`), and no
/// Max-Age: the session ends with the browser or at its server-side expiry, whichever is first.
pub fn session_cookie_set(session_token: &str, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={session_token}; Path=/; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that removes the session cookie.
pub const SESSION_COOKIE_CLEAR: &str = "ingot_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0";

/// What a request presented to prove who it is.
#[derive(Clone, PartialEq, Eq)]
pub enum PresentedCredential {
    /// `Authorization: Bearer …`: an API token or a session token.
    Bearer(String),
    /// The web session cookie.
    SessionCookie(String),
}

impl std::fmt::Debug for PresentedCredential {
    // Secrets never reach a log, even through Debug.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PresentedCredential::Bearer(_) => f.write_str("Bearer(<redacted>)"),
            PresentedCredential::SessionCookie(_) => f.write_str("SessionCookie(<redacted>)"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthenticationError {
    /// Unknown, expired or revoked: deliberately one answer, so probing learns nothing.
    #[error("invalid or expired credential")]
    InvalidCredential,
    #[error("authentication is temporarily unavailable")]
    Unavailable,
}

impl From<AuthenticationError> for Problem {
    fn from(err: AuthenticationError) -> Problem {
        match err {
            AuthenticationError::InvalidCredential => {
                Problem::new(Code::Unauthenticated).detail(err.to_string())
            }
            AuthenticationError::Unavailable => Problem::new(Code::Unavailable),
        }
    }
}

/// Turns a presented credential into an `Actor`. Implemented by IAM, called by `ingotd`'s
/// authentication middleware once per request.
pub trait Authenticator: Send + Sync {
    fn authenticate<'a>(
        &'a self,
        credential: &'a PresentedCredential,
    ) -> BoxFuture<'a, Result<Actor, AuthenticationError>>;
}

/// Everything an actor may ask to do, named `<resource>_<verb>` like the operations themselves.
/// Each domain adds its actions here; IAM's matrix test covers every one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    OwnershipRead,
    AuditVerify,
    TenantCreate,
    TenantRead,
    TenantUpdate,
    ProjectCreate,
    ProjectRead,
    MemberRead,
    MemberManage,
    AuditRead,
    PostureRead,
    KycRead,
    KycSubmit,
    KycDecide,
    /// The actor's own tokens and sessions.
    CredentialManage,
    /// Grant or withdraw platform roles.
    PlatformRolesManage,
    /// Read notifications waiting in the platform outbox.
    NotificationRead,
    /// Manage a project: its members and settings.
    ProjectManage,
    /// Full capacity counts (maintenance, onboarding, unmatched) and their history.
    CapacityRead,
    /// Sites and SKUs: list, create, change.
    CatalogManage,
    /// Set list prices.
    PriceSet,
    /// Node details and hardware facts (tenants see only their allocations' nodes, through
    /// Allocation).
    NodeRead,
    /// Maintenance, quarantine and bulk import of nodes.
    NodeOperate,
    /// A tenant's balance and ledger entries.
    BalanceRead,
    /// Add money to a tenant's balance through a payment provider.
    TopUp,
    /// Give a tenant money by hand (finance's manual provider), audited.
    CreditGrant,
    /// Recompute every ledger invariant.
    LedgerVerify,
    /// Read and set node quotas (per tenant and project, per SKU).
    QuotaManage,
    /// See a project's allocations and their nodes.
    AllocationRead,
    /// Create, release and extend a project's allocations.
    AllocationManage,
    /// End any tenant's allocation, with a reason (audited).
    AllocationForceRelease,
    /// A tenant's overview dashboard: money, runway, spend, allocations, quotas.
    OverviewRead,
    /// Operators' capacity and health dashboards.
    OpsDashboardRead,
    /// The revenue dashboard.
    RevenueRead,
    /// See projections' build state and rebuild them from the event history.
    ReadModelManage,
    /// A project's SSH public keys.
    SshKeyRead,
    /// Add and remove a project's SSH public keys.
    SshKeyManage,
    /// A project's cloud-init templates, and rendering them.
    TemplateRead,
    /// Create, change and delete a project's templates.
    TemplateManage,
    /// A project's webhook subscriptions and their delivery log (never their secrets).
    WebhookRead,
    /// Subscribe, change, delete and redeliver: sends the project's events to a URL.
    WebhookManage,
    /// A project's clusters.
    ClusterRead,
    /// Create, scale and delete a project's clusters (allocations underneath).
    ClusterManage,
    /// Incidents and their timelines.
    IncidentRead,
    /// Acknowledge and resolve incidents (audited).
    IncidentManage,
}

impl Action {
    pub const ALL: [Action; 45] = [
        Action::OwnershipRead,
        Action::AuditVerify,
        Action::TenantCreate,
        Action::TenantRead,
        Action::TenantUpdate,
        Action::ProjectCreate,
        Action::ProjectRead,
        Action::MemberRead,
        Action::MemberManage,
        Action::AuditRead,
        Action::PostureRead,
        Action::KycRead,
        Action::KycSubmit,
        Action::KycDecide,
        Action::CredentialManage,
        Action::PlatformRolesManage,
        Action::NotificationRead,
        Action::ProjectManage,
        Action::CapacityRead,
        Action::CatalogManage,
        Action::PriceSet,
        Action::NodeRead,
        Action::NodeOperate,
        Action::BalanceRead,
        Action::TopUp,
        Action::CreditGrant,
        Action::LedgerVerify,
        Action::QuotaManage,
        Action::AllocationRead,
        Action::AllocationManage,
        Action::AllocationForceRelease,
        Action::OverviewRead,
        Action::OpsDashboardRead,
        Action::RevenueRead,
        Action::ReadModelManage,
        Action::SshKeyRead,
        Action::SshKeyManage,
        Action::TemplateRead,
        Action::TemplateManage,
        Action::WebhookRead,
        Action::WebhookManage,
        Action::ClusterRead,
        Action::ClusterManage,
        Action::IncidentRead,
        Action::IncidentManage,
    ];
}

/// What the action is applied to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    Platform,
    User(UserId),
    Tenant(TenantId),
    Project {
        tenant_id: TenantId,
        project_id: ProjectId,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Deny(DenyReason),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DenyReason {
    /// No credential: the caller should authenticate.
    Unauthenticated,
    /// Authenticated, but no role grants the action.
    MissingRole,
    /// The resource belongs to a tenant the actor is not in: answered as "not found", so ids of
    /// other tenants' resources do not leak.
    NotVisible,
    /// The user's tenant requires MFA and the user has not enrolled.
    MfaEnrolmentRequired,
}

impl From<DenyReason> for Problem {
    fn from(reason: DenyReason) -> Problem {
        match reason {
            DenyReason::Unauthenticated => Problem::new(Code::Unauthenticated),
            DenyReason::MissingRole => Problem::new(Code::Forbidden),
            DenyReason::NotVisible => Problem::new(Code::NotFound),
            DenyReason::MfaEnrolmentRequired => Problem::new(Code::MfaEnrolmentRequired)
                .detail("enrol a TOTP authenticator at /v1/me/mfa first"),
        }
    }
}

/// The one authorization function: (actor, action, resource) → allow | deny(reason). Pure, so it
/// is tested as a table. Every domain's service layer asks it before acting.
pub trait Authorizer: Send + Sync {
    fn authorize(&self, actor: &Actor, action: Action, resource: Resource) -> Decision;

    /// [`Authorizer::authorize`] as a `Result`, for `?` in a service whose error converts from
    /// `DenyReason`.
    fn allow(&self, actor: &Actor, action: Action, resource: Resource) -> Result<(), DenyReason> {
        self.authorize(actor, action, resource).into_result()
    }
}

impl Decision {
    /// `Ok` when allowed, the matching problem otherwise.
    pub fn into_result(self) -> Result<(), DenyReason> {
        match self {
            Decision::Allow => Ok(()),
            Decision::Deny(reason) => Err(reason),
        }
    }
}

#[cfg(feature = "axum")]
mod extract {
    use axum::extract::FromRequestParts;
    use axum::http::request::Parts;
    use ingot_kernel::problem::Problem;

    use super::Actor;

    /// The actor `ingotd`'s authentication middleware attached to the request; anonymous when none.
    impl<S: Send + Sync> FromRequestParts<S> for Actor {
        type Rejection = Problem;

        async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Actor, Problem> {
            Ok(parts
                .extensions
                .get::<Actor>()
                .cloned()
                .unwrap_or_else(Actor::anonymous))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Accounts, sessions, tokens, tenancy: the IAM service's DTOs.

use ingot_kernel::Timestamp;

/// `POST /v1/auth/signup`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignupRequest {
    pub email: String,
    /// At least 12 characters, not a common password.
    pub password: String,
    pub display_name: String,
    pub tenant_name: String,
}

/// `POST /v1/auth/login`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
    /// Required when the user has MFA enabled.
    #[serde(default)]
    pub totp_code: Option<String>,
}

macro_rules! redacted_debug {
    ($type:ident, $($field:ident),*) => {
        impl std::fmt::Debug for $type {
            // Passwords never reach a log, even through Debug.
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($type)) $(.field(stringify!($field), &self.$field))* .finish_non_exhaustive()
            }
        }
    };
}
redacted_debug!(SignupRequest, email, display_name, tenant_name);
redacted_debug!(LoginRequest, email);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct UserView {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub platform_roles: Vec<PlatformRole>,
    pub mfa_enabled: bool,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TenantView {
    pub id: TenantId,
    pub name: String,
    pub require_mfa: bool,
    pub created_at: Timestamp,
    /// The caller's role in this tenant, if a member.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub role: Option<TenantRole>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProjectView {
    pub id: ProjectId,
    pub tenant_id: TenantId,
    pub name: String,
    pub created_at: Timestamp,
}

/// Sign-up and login answer: the session as a Bearer token too, for clients without cookies.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SessionCreated {
    pub user: UserView,
    /// Present after sign-up: the tenant and default project just made.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tenant: Option<TenantView>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub project: Option<ProjectView>,
    pub session_id: SessionId,
    /// Shown once. Send as `Authorization: Bearer …`; the web app gets the same in a cookie.
    pub session_token: String,
    pub expires_at: Timestamp,
}

impl std::fmt::Debug for SessionCreated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionCreated")
            .field("user", &self.user)
            .field("session_id", &self.session_id)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MembershipView {
    pub tenant_id: TenantId,
    pub tenant_name: String,
    pub role: TenantRole,
}

/// `GET /v1/me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MeView {
    pub user: UserView,
    pub memberships: Vec<MembershipView>,
    /// The credential this request used.
    #[schema(value_type = Object)]
    pub credential: Option<CredentialRef>,
}

/// `POST /v1/tokens`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenCreateRequest {
    pub name: String,
    pub tenant_id: TenantId,
    /// Restricts the token to one project of the tenant.
    #[serde(default)]
    pub project_id: Option<ProjectId>,
    /// No higher than the creator's role in the tenant.
    pub role: TenantRole,
    /// Days until expiry, 1–365 (default 90).
    #[serde(default)]
    pub expires_in_days: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TokenView {
    pub id: ApiTokenId,
    pub name: String,
    /// Absent for a platform token (made by `ingotd bootstrap-admin`), which carries its user's
    /// platform roles instead of a tenant role.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tenant_id: Option<TenantId>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub project_id: Option<ProjectId>,
    pub role: TenantRole,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub last_used_at: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub revoked_at: Option<Timestamp>,
}

/// The answer to `POST /v1/tokens`: the only time the secret is shown.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TokenCreated {
    #[serde(flatten)]
    pub view: TokenView,
    /// The secret, `ingot_pat_…`. Stored only as a hash: it cannot be shown again.
    pub token: String,
}

impl std::fmt::Debug for TokenCreated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenCreated")
            .field("view", &self.view)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TenantCreateRequest {
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectCreateRequest {
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MemberView {
    pub user_id: UserId,
    pub email: String,
    pub display_name: String,
    pub role: TenantRole,
    pub joined_at: Timestamp,
}

/// `POST /v1/tenants/{tenant_id}/members`: adds an existing user by email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberAddRequest {
    pub email: String,
    pub role: TenantRole,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberUpdateRequest {
    pub role: TenantRole,
}

/// `PUT /v1/admin/users/{user_id}/platform-roles` (platform admins): the complete set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlatformRolesRequest {
    pub platform_roles: Vec<PlatformRole>,
}

/// `POST /v1/me/mfa/totp`: a new seed to enter in an authenticator app, pending confirmation.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TotpEnrolment {
    /// Base32 seed (RFC 4648).
    pub secret: String,
    /// `otpauth://totp/…` for QR codes.
    pub otpauth_uri: String,
}

impl std::fmt::Debug for TotpEnrolment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpEnrolment { .. }")
    }
}

/// A TOTP code, or a recovery code where one is accepted.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TotpCodeRequest {
    pub code: String,
}

impl std::fmt::Debug for TotpCodeRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpCodeRequest { .. }")
    }
}

/// One-time recovery codes, shown once when MFA is confirmed.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RecoveryCodes {
    pub recovery_codes: Vec<String>,
}

impl std::fmt::Debug for RecoveryCodes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RecoveryCodes({} codes)", self.recovery_codes.len())
    }
}

/// `PATCH /v1/tenants/{tenant_id}` (owners, admins).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TenantUpdateRequest {
    #[serde(default)]
    pub name: Option<String>,
    /// Require every member to have MFA; members without it may only enrol.
    #[serde(default)]
    pub require_mfa: Option<bool>,
}

/// `GET /v1/tenants/{tenant_id}/posture`: what a security review of the tenant looks at first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PostureView {
    pub tenant_id: TenantId,
    pub require_mfa: bool,
    pub members: u32,
    pub members_with_mfa: u32,
    pub kyc_state: KycState,
    pub kyc_level: KycLevel,
    /// Live API tokens of the tenant, oldest first.
    pub tokens: Vec<PostureToken>,
    /// Live tokens that expire within seven days.
    pub tokens_expiring_soon: u32,
    /// Failed logins on member accounts in the last 24 hours.
    pub failed_logins_24h: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PostureToken {
    pub id: ApiTokenId,
    pub name: String,
    pub user_id: UserId,
    pub role: TenantRole,
    pub age_days: u32,
    pub expires_at: Timestamp,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub last_used_at: Option<Timestamp>,
}

/// `POST /v1/auth/password-reset`: always accepted, whether or not the email has an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    pub email: String,
}

/// The web app's page where a signed-in person approves a device: RFC 8628's `verification_uri`.
pub const DEVICE_VERIFICATION_PATH: &str = "/device";
/// RFC 8628 §3.4's `grant_type` for polling with a device code.
pub const DEVICE_GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// `POST /v1/auth/device`: a device (the CLI) asks to be approved by a signed-in person (the
/// OAuth 2.0 device authorization grant, RFC 8628).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeviceAuthorizationRequest {
    /// What the approving person is shown, such as "ingot CLI on laptop" (1 to 100 characters).
    #[serde(default)]
    pub client_name: Option<String>,
}

/// RFC 8628 §3.2's answer: show `user_code` and `verification_uri` to the person, then poll
/// `POST /v1/auth/device/token` with `device_code` every `interval` seconds.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DeviceAuthorization {
    /// The device's secret for polling; never shown to anyone.
    pub device_code: String,
    /// The short code the person checks on the approval page, as `XXXX-XXXX`.
    pub user_code: String,
    pub verification_uri: String,
    /// `verification_uri` with the code filled in.
    pub verification_uri_complete: String,
    /// Seconds until both codes expire.
    pub expires_in: u64,
    /// Seconds to wait between polls.
    pub interval: u64,
}

impl std::fmt::Debug for DeviceAuthorization {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceAuthorization")
            .field("user_code", &self.user_code)
            .field("expires_in", &self.expires_in)
            .finish_non_exhaustive()
    }
}

/// `POST /v1/auth/device/token`: a poll. Answers the session once the person approved; until
/// then a problem whose `code` is RFC 8628's error (`authorization_pending`, `slow_down`,
/// `access_denied`, `expired_token`).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeviceTokenRequest {
    /// `urn:ietf:params:oauth:grant-type:device_code`
    pub grant_type: String,
    pub device_code: String,
}

impl std::fmt::Debug for DeviceTokenRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DeviceTokenRequest { .. }")
    }
}

/// `POST /v1/auth/device/decision`: the signed-in person approves (or denies) the device
/// showing `user_code`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeviceDecisionRequest {
    pub user_code: String,
    pub approve: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeviceGrantState {
    /// Waiting for a person.
    Pending,
    /// Approved; the device receives its session on its next poll.
    Approved,
    Denied,
    /// The device has its session; the codes are spent.
    Issued,
}

/// A device's request as the person asked to approve it sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DeviceGrantView {
    pub user_code: String,
    pub client_name: String,
    /// The address the request came from.
    pub requested_from: Option<String>,
    pub requested_at: Timestamp,
    pub expires_at: Timestamp,
    pub state: DeviceGrantState,
}

/// `POST /v1/auth/password-reset/confirm`: ends every session of the account.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetConfirm {
    pub token: String,
    pub new_password: String,
}

impl std::fmt::Debug for PasswordResetConfirm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordResetConfirm { .. }")
    }
}

/// A message the platform sent (or would send) a person; the embedded default keeps them here.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NotificationView {
    pub id: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: Timestamp,
}

impl std::fmt::Debug for NotificationView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NotificationView")
            .field("id", &self.id)
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

/// One of the caller's sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SessionView {
    pub id: SessionId,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    /// When it ends if left idle (never later than its absolute end).
    pub expires_at: Timestamp,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub source_ip: Option<String>,
    /// The session this request uses.
    pub current: bool,
}

/// `POST /v1/me/password`: revokes every other session of the user.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChangeRequest {
    pub current_password: String,
    pub new_password: String,
}

impl std::fmt::Debug for PasswordChangeRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordChangeRequest { .. }")
    }
}

/// `POST /v1/tenants/{tenant_id}/invitations`: invites someone without an account yet. Signing
/// up with that email joins the tenant with the role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationCreateRequest {
    pub email: String,
    pub role: TenantRole,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct InvitationView {
    pub id: InvitationId,
    pub tenant_id: TenantId,
    pub email: String,
    pub role: TenantRole,
    pub invited_by: UserId,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// A person's explicit role on a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProjectMemberView {
    pub project_id: ProjectId,
    pub user_id: UserId,
    pub role: ProjectRole,
}

/// `PUT /v1/projects/{project_id}/members/{user_id}`: the person must be a member of the tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectMemberSetRequest {
    pub role: ProjectRole,
}

/// One audit record as served.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AuditEventView {
    pub position: i64,
    pub at: Timestamp,
    pub action: String,
    pub outcome: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub actor_user_id: Option<UserId>,
    /// `session:ses_…` or `api_token:tok_…`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub credential: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub target: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tenant_id: Option<TenantId>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub source_ip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub request_id: Option<String>,
    /// Decision inputs and other context, never secrets.
    pub details: serde_json::Value,
}

/// `GET /v1/admin/audit/verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AuditVerifyReport {
    pub ok: bool,
    pub records_checked: i64,
    /// The first position where the chain breaks, and why.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub first_break: Option<AuditBreak>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AuditBreak {
    pub position: i64,
    /// `edited`, `missing` or `truncated`.
    pub reason: String,
}

// ---------------------------------------------------------------------------------------------
// KYC: a cross-domain flow rooted in IAM. IAM verifies; Allocation and Billing ask its policy.

/// Where a tenant's verification stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum KycState {
    Unverified,
    Submitted,
    Verified,
    Rejected,
    Revoked,
}

/// How much a verified tenant is trusted with; `none` unless verified.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum KycLevel {
    None,
    Basic,
    Full,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct KycView {
    pub tenant_id: TenantId,
    pub state: KycState,
    pub level: KycLevel,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub provider: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub provider_ref: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub submitted_at: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub decided_at: Option<Timestamp>,
    /// The reviewer's reason for the last decision.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub reason: Option<String>,
    /// Whether submitted personal data is still held (it can be redacted on request).
    pub personal_data_on_file: bool,
}

/// A tenant's verification as reviewers see it in their queue: the tenant's name beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct KycReviewView {
    pub tenant_name: String,
    #[serde(flatten)]
    pub kyc: KycView,
}

/// At most this many tenants in one answer of the KYC queue (oldest submissions first).
pub const KYC_QUEUE_MAX: u32 = 200;

/// `POST /v1/tenants/{tenant_id}/kyc` (tenant owner).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KycSubmitRequest {
    /// The verification provider's case reference, when verification runs at a provider.
    #[serde(default)]
    pub provider_ref: Option<String>,
    /// What a reviewer needs to verify the tenant; required unless `provider_ref` names a
    /// provider's case. Held until verification ends, then redactable on request.
    #[serde(default)]
    pub personal_data: Option<KycPersonalData>,
}

/// The details a manual review needs; IAM decides what is required and checks every field.
// Forms list `KYC_PERSONAL_FIELDS` rather than deciding for themselves.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KycPersonalData {
    /// The organisation's or person's legal name, 1 to 200 characters.
    pub legal_name: String,
    /// ISO 3166-1 alpha-2 country code, e.g. `DE` (either case).
    pub country: String,
    /// The registered address, 1 to 1000 characters (line breaks allowed).
    pub address: String,
}

impl std::fmt::Debug for KycPersonalData {
    // Personal data never reaches a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KycPersonalData").finish_non_exhaustive()
    }
}

/// One field of [`KycPersonalData`], described for forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KycField {
    /// The member's name in `personal_data` (and in a refusal's `errors[].field`, after
    /// `personal_data.`).
    pub name: &'static str,
    pub label: &'static str,
    pub max_chars: usize,
    /// Whether the value may span lines.
    pub multiline: bool,
}

/// Every field of [`KycPersonalData`], in the order a person fills them in; all are required.
pub const KYC_PERSONAL_FIELDS: [KycField; 3] = [
    KycField {
        name: "legal_name",
        label: "Legal name of the organisation or person",
        max_chars: 200,
        multiline: false,
    },
    KycField {
        name: "country",
        label: "Country (ISO code, e.g. DE)",
        max_chars: 2,
        multiline: false,
    },
    KycField {
        name: "address",
        label: "Registered address",
        max_chars: 1_000,
        multiline: true,
    },
];

impl std::fmt::Debug for KycSubmitRequest {
    // Personal data never reaches a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KycSubmitRequest")
            .field("provider_ref", &self.provider_ref)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum KycDecision {
    Verify,
    Reject,
    Revoke,
}

/// `POST /v1/admin/kyc/{tenant_id}/decision` (security, support).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KycDecisionRequest {
    pub decision: KycDecision,
    /// Required to verify: the level granted.
    #[serde(default)]
    pub level: Option<KycLevel>,
    /// Why; kept with the decision and audited.
    pub reason: String,
}

/// What a tenant may do at its KYC level. Allocation and Billing ask for it; IAM owns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct KycPolicy {
    pub tenant_id: TenantId,
    pub level: KycLevel,
    /// Bumped whenever the table of limits changes, so decisions can record which they used.
    pub policy_version: u32,
    pub max_concurrent_nodes: u32,
    pub max_top_up_per_day: ingot_kernel::Money,
    /// SKU names allowed; `["*"]` for all.
    pub allowed_skus: Vec<String>,
}

impl KycPolicy {
    pub fn allows_sku(&self, sku: &str) -> bool {
        self.allowed_skus.iter().any(|pattern| {
            pattern == "*"
                || pattern == sku
                || pattern
                    .strip_suffix('*')
                    .is_some_and(|prefix| sku.starts_with(prefix))
        })
    }
}

/// A KYC state change other domains act on (a revocation stops new allocations, say).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KycChanged {
    pub tenant_id: TenantId,
    pub state: KycState,
    pub level: KycLevel,
}

domain_event!(KycChanged, "kyc.changed", "iam", subject: tenant_id, tenant: tenant_id);

/// Which tenant a project belongs to, for domains that authorize on projects.
pub trait ProjectDirectory: Send + Sync {
    /// `None`: no such project.
    fn project_tenant(&self, project_id: ProjectId) -> BoxFuture<'_, Result<Option<TenantId>, IamError>>;
}

/// Why a call on a project may not go on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProjectAccessError {
    Denied(DenyReason),
    /// No such project, or one the actor may not see: the same answer, so ids do not leak.
    NotFound,
    /// The project directory did not answer.
    Unavailable,
}

/// The project's tenant, once `actor` may take `action` on it: the one way domains that own
/// project-scoped resources authorize them.
pub async fn project_access(
    projects: &dyn ProjectDirectory,
    authorizer: &dyn Authorizer,
    actor: &Actor,
    project_id: ProjectId,
    action: Action,
) -> Result<TenantId, ProjectAccessError> {
    if !actor.is_authenticated() {
        return Err(ProjectAccessError::Denied(DenyReason::Unauthenticated));
    }
    let tenant_id = projects
        .project_tenant(project_id)
        .await
        .map_err(|_| ProjectAccessError::Unavailable)?
        .ok_or(ProjectAccessError::NotFound)?;
    authorizer
        .allow(
            actor,
            action,
            Resource::Project {
                tenant_id,
                project_id,
            },
        )
        .map_err(|reason| match reason {
            DenyReason::NotVisible => ProjectAccessError::NotFound,
            reason => ProjectAccessError::Denied(reason),
        })?;
    Ok(tenant_id)
}

/// The KYC policy contract: what other domains call before letting a tenant act.
pub trait KycPolicyApi: Send + Sync {
    fn kyc_policy_get<'a>(&'a self, tenant_id: TenantId) -> BoxFuture<'a, Result<KycPolicy, IamError>>;
}

/// Why an IAM operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IamError {
    #[error("not allowed")]
    Denied(DenyReason),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("email or password is wrong")]
    InvalidCredentials,
    #[error("a TOTP code is required")]
    MfaRequired,
    #[error("too many failed attempts")]
    TooManyAttempts { retry_after_s: u64 },
    #[error("an account with this email already exists")]
    EmailTaken,
    #[error("{0}")]
    WeakPassword(String),
    #[error("invalid {field}: {message}")]
    Invalid { field: &'static str, message: String },
    /// Several fields refused at once, each with why (a form shows them all together).
    #[error("invalid fields: {0:?}")]
    InvalidFields(Vec<(String, String)>),
    #[error("cannot grant a role above your own")]
    RoleTooHigh,
    #[error("a tenant keeps at least one owner")]
    LastOwner,
    #[error("already a member")]
    AlreadyMember,
    #[error("kyc is {0:?}, which does not allow this")]
    KycWrongState(KycState),
    #[error("webhook signature is missing, wrong or stale")]
    WebhookSignatureInvalid,
    #[error("webhook event already received")]
    WebhookReplayed,
    #[error("reset token is invalid, used or expired")]
    ResetTokenInvalid,
    /// RFC 8628 §3.5: nobody has decided yet; poll again after the interval.
    #[error("the device is not approved yet")]
    DeviceAuthorizationPending,
    /// RFC 8628 §3.5: polled too fast; the interval is now `interval_s`.
    #[error("polling too fast")]
    DeviceSlowDown { interval_s: u64 },
    #[error("the person denied the device")]
    DeviceAccessDenied,
    #[error("the device code expired")]
    DeviceCodeExpired,
    /// An unknown or spent device code, or a user code with no pending device.
    #[error("the device code is invalid or spent")]
    DeviceGrantInvalid,
    #[error("unsupported grant type")]
    DeviceGrantTypeUnsupported,
    /// A dependency (the database) is down for now: retry after a moment.
    #[error("{0} is unavailable")]
    Unavailable(&'static str),
    #[error("iam storage failed")]
    Internal,
}

impl From<IamError> for Problem {
    fn from(err: IamError) -> Problem {
        match err {
            IamError::Denied(reason) => reason.into(),
            IamError::NotFound(what) => Problem::new(Code::NotFound).detail(format!("no such {what}")),
            IamError::InvalidCredentials => Problem::new(Code::InvalidCredentials),
            IamError::MfaRequired => Problem::new(Code::MfaRequired),
            IamError::TooManyAttempts { retry_after_s } => {
                Problem::new(Code::TooManyAttempts).retry_after(retry_after_s)
            }
            IamError::EmailTaken => Problem::new(Code::EmailTaken),
            IamError::WeakPassword(why) => Problem::new(Code::WeakPassword)
                .detail(why.clone())
                .field("password", why),
            IamError::Invalid { field, message } => {
                Problem::new(Code::ValidationFailed).field(field, message)
            }
            IamError::InvalidFields(fields) => Problem::invalid_fields(fields),
            IamError::RoleTooHigh => Problem::new(Code::RoleTooHigh),
            IamError::LastOwner => Problem::new(Code::LastOwner),
            IamError::AlreadyMember => Problem::new(Code::AlreadyMember),
            IamError::KycWrongState(state) => {
                Problem::new(Code::KycWrongState).detail(format!("kyc is {state:?}"))
            }
            IamError::WebhookSignatureInvalid => Problem::new(Code::WebhookSignatureInvalid),
            IamError::WebhookReplayed => Problem::new(Code::WebhookReplayed),
            IamError::ResetTokenInvalid => Problem::new(Code::ResetTokenInvalid),
            IamError::DeviceAuthorizationPending => Problem::new(Code::AuthorizationPending),
            IamError::DeviceSlowDown { interval_s } => {
                Problem::new(Code::SlowDown).detail(format!("poll at most every {interval_s} seconds"))
            }
            IamError::DeviceAccessDenied => Problem::new(Code::AccessDenied),
            IamError::DeviceCodeExpired => Problem::new(Code::ExpiredToken),
            IamError::DeviceGrantInvalid => Problem::new(Code::InvalidGrant),
            IamError::DeviceGrantTypeUnsupported => {
                Problem::new(Code::UnsupportedGrantType).detail(format!("use grant_type {DEVICE_GRANT_TYPE}"))
            }
            IamError::Unavailable(what) => {
                Problem::new(Code::Unavailable).detail(format!("{what} is unavailable"))
            }
            IamError::Internal => Problem::new(Code::Internal),
        }
    }
}

impl From<DenyReason> for IamError {
    fn from(reason: DenyReason) -> IamError {
        IamError::Denied(reason)
    }
}

/// IAM's service trait: what other domains, the web app and the HTTP layer call.
pub trait IamApi: Send + Sync {
    fn signup<'a>(
        &'a self,
        origin: &'a Origin,
        request: SignupRequest,
    ) -> BoxFuture<'a, Result<SessionCreated, IamError>>;
    fn login<'a>(
        &'a self,
        origin: &'a Origin,
        request: LoginRequest,
    ) -> BoxFuture<'a, Result<SessionCreated, IamError>>;
    fn logout<'a>(&'a self, actor: &'a Actor) -> BoxFuture<'a, Result<(), IamError>>;
    /// RFC 8628: a device asks to be approved. The answer's URIs are paths (the web app's
    /// approval page); the HTTP layer makes them absolute.
    fn device_authorize<'a>(
        &'a self,
        origin: &'a Origin,
        request: DeviceAuthorizationRequest,
    ) -> BoxFuture<'a, Result<DeviceAuthorization, IamError>>;
    /// RFC 8628: the device polls; a session once approved, exactly once.
    fn device_token<'a>(
        &'a self,
        origin: &'a Origin,
        request: DeviceTokenRequest,
    ) -> BoxFuture<'a, Result<SessionCreated, IamError>>;
    /// The pending device showing `user_code`, for the person about to approve it (signed in).
    fn device_grant_get<'a>(
        &'a self,
        actor: &'a Actor,
        user_code: &'a str,
    ) -> BoxFuture<'a, Result<DeviceGrantView, IamError>>;
    /// The signed-in person approves or denies it; the device's next poll learns which.
    fn device_decide<'a>(
        &'a self,
        actor: &'a Actor,
        request: DeviceDecisionRequest,
    ) -> BoxFuture<'a, Result<DeviceGrantView, IamError>>;
    fn me_get<'a>(&'a self, actor: &'a Actor) -> BoxFuture<'a, Result<MeView, IamError>>;
    fn token_create<'a>(
        &'a self,
        actor: &'a Actor,
        request: TokenCreateRequest,
    ) -> BoxFuture<'a, Result<TokenCreated, IamError>>;
    fn token_list<'a>(&'a self, actor: &'a Actor) -> BoxFuture<'a, Result<Vec<TokenView>, IamError>>;
    fn token_revoke<'a>(
        &'a self,
        actor: &'a Actor,
        token_id: ApiTokenId,
    ) -> BoxFuture<'a, Result<TokenView, IamError>>;
    fn tenant_create<'a>(
        &'a self,
        actor: &'a Actor,
        request: TenantCreateRequest,
    ) -> BoxFuture<'a, Result<TenantView, IamError>>;
    fn tenant_list<'a>(&'a self, actor: &'a Actor) -> BoxFuture<'a, Result<Vec<TenantView>, IamError>>;
    fn tenant_get<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
    ) -> BoxFuture<'a, Result<TenantView, IamError>>;
    fn project_create<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        request: ProjectCreateRequest,
    ) -> BoxFuture<'a, Result<ProjectView, IamError>>;
    fn project_list<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
    ) -> BoxFuture<'a, Result<Vec<ProjectView>, IamError>>;
    fn project_get<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
    ) -> BoxFuture<'a, Result<ProjectView, IamError>>;
    fn member_list<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
    ) -> BoxFuture<'a, Result<Vec<MemberView>, IamError>>;
    fn member_add<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        request: MemberAddRequest,
    ) -> BoxFuture<'a, Result<MemberView, IamError>>;
    fn member_update<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        user_id: UserId,
        request: MemberUpdateRequest,
    ) -> BoxFuture<'a, Result<MemberView, IamError>>;
    fn member_remove<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        user_id: UserId,
    ) -> BoxFuture<'a, Result<(), IamError>>;
    fn session_list<'a>(&'a self, actor: &'a Actor) -> BoxFuture<'a, Result<Vec<SessionView>, IamError>>;
    fn session_revoke<'a>(
        &'a self,
        actor: &'a Actor,
        session_id: SessionId,
    ) -> BoxFuture<'a, Result<(), IamError>>;
    fn password_change<'a>(
        &'a self,
        actor: &'a Actor,
        request: PasswordChangeRequest,
    ) -> BoxFuture<'a, Result<(), IamError>>;
    fn platform_roles_set<'a>(
        &'a self,
        actor: &'a Actor,
        user_id: UserId,
        request: PlatformRolesRequest,
    ) -> BoxFuture<'a, Result<UserView, IamError>>;
    fn mfa_totp_enrol<'a>(&'a self, actor: &'a Actor) -> BoxFuture<'a, Result<TotpEnrolment, IamError>>;
    fn mfa_totp_confirm<'a>(
        &'a self,
        actor: &'a Actor,
        request: TotpCodeRequest,
    ) -> BoxFuture<'a, Result<RecoveryCodes, IamError>>;
    fn mfa_totp_disable<'a>(
        &'a self,
        actor: &'a Actor,
        request: TotpCodeRequest,
    ) -> BoxFuture<'a, Result<(), IamError>>;
    fn tenant_update<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        request: TenantUpdateRequest,
    ) -> BoxFuture<'a, Result<TenantView, IamError>>;
    fn posture_get<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
    ) -> BoxFuture<'a, Result<PostureView, IamError>>;
    fn password_reset_request<'a>(
        &'a self,
        origin: &'a Origin,
        request: PasswordResetRequest,
    ) -> BoxFuture<'a, Result<(), IamError>>;
    fn password_reset_confirm<'a>(
        &'a self,
        origin: &'a Origin,
        request: PasswordResetConfirm,
    ) -> BoxFuture<'a, Result<(), IamError>>;
    fn notification_list<'a>(
        &'a self,
        actor: &'a Actor,
    ) -> BoxFuture<'a, Result<Vec<NotificationView>, IamError>>;
    fn invitation_create<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        request: InvitationCreateRequest,
    ) -> BoxFuture<'a, Result<InvitationView, IamError>>;
    fn invitation_list<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
    ) -> BoxFuture<'a, Result<Vec<InvitationView>, IamError>>;
    fn invitation_revoke<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        invitation_id: InvitationId,
    ) -> BoxFuture<'a, Result<(), IamError>>;
    fn project_member_list<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
    ) -> BoxFuture<'a, Result<Vec<ProjectMemberView>, IamError>>;
    fn project_member_set<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        user_id: UserId,
        request: ProjectMemberSetRequest,
    ) -> BoxFuture<'a, Result<ProjectMemberView, IamError>>;
    fn project_member_remove<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        user_id: UserId,
    ) -> BoxFuture<'a, Result<(), IamError>>;
    fn kyc_get<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
    ) -> BoxFuture<'a, Result<KycView, IamError>>;
    fn kyc_submit<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        request: KycSubmitRequest,
    ) -> BoxFuture<'a, Result<KycView, IamError>>;
    fn kyc_decide<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        request: KycDecisionRequest,
    ) -> BoxFuture<'a, Result<KycView, IamError>>;
    /// Tenants whose verification is in `state` (reviewers: the submitted ones), oldest
    /// submission first, at most [`KYC_QUEUE_MAX`].
    fn kyc_queue<'a>(
        &'a self,
        actor: &'a Actor,
        state: KycState,
    ) -> BoxFuture<'a, Result<Vec<KycReviewView>, IamError>>;
    fn kyc_personal_data_redact<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
    ) -> BoxFuture<'a, Result<KycView, IamError>>;
    /// The personal data a tenant submitted, for the reviewer deciding (security, support);
    /// every read is audited. `NotFound` when none is on file (never submitted, or redacted).
    fn kyc_personal_data_get<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
    ) -> BoxFuture<'a, Result<serde_json::Value, IamError>>;
    /// A provider's signed callback: `signature` is the `x-ingot-signature` header, `body` the raw bytes.
    fn kyc_webhook<'a>(
        &'a self,
        origin: &'a Origin,
        provider: &'a str,
        signature: Option<&'a str>,
        body: &'a [u8],
    ) -> BoxFuture<'a, Result<KycView, IamError>>;
    fn audit_list<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: Option<TenantId>,
        page: ingot_kernel::page::PageRequest,
    ) -> BoxFuture<'a, Result<ingot_kernel::page::Page<AuditEventView>, IamError>>;
    fn audit_verify<'a>(&'a self, actor: &'a Actor) -> BoxFuture<'a, Result<AuditVerifyReport, IamError>>;
}

/// An audited change made by another domain, recorded by IAM's audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    /// `<domain>.<thing>.<verb>`: `inventory.offer.price_set`.
    pub action: &'static str,
    /// The id or name of what changed.
    pub target: String,
    /// Decision inputs and context; never secrets.
    pub details: serde_json::Value,
}

/// IAM's audit log, for other domains: the record is appended inside the caller's transaction,
/// so an audited change and its record commit together or not at all.
#[cfg(feature = "sql")]
pub trait AuditTrail: Send + Sync {
    fn audit_in_tx<'a>(
        &'a self,
        tx: &'a mut ingot_kernel::db::Tx,
        actor: &'a Actor,
        entry: AuditEntry,
    ) -> BoxFuture<'a, Result<(), ingot_kernel::db::DbError>>;
}
