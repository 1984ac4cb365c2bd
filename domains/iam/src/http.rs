//! IAM HTTP: the routes of DESIGN.md's IAM row. Each parses, calls `IamApi`, renders.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ingot_contracts::iam::{
    Actor, AuditEventView, AuditVerifyReport, DeviceAuthorization, DeviceAuthorizationRequest,
    DeviceDecisionRequest, DeviceGrantView, DeviceTokenRequest, IamApi, InvitationCreateRequest,
    InvitationView, KycDecisionRequest, KycReviewView, KycState, KycSubmitRequest, KycView, LoginRequest,
    MeView, MemberAddRequest, MemberUpdateRequest, MemberView, NotificationView, PasswordChangeRequest,
    PasswordResetConfirm, PasswordResetRequest, PlatformRolesRequest, PostureView, ProjectCreateRequest,
    ProjectMemberSetRequest, ProjectMemberView, ProjectView, RecoveryCodes, SessionCreated, SessionView,
    SignupRequest, TenantCreateRequest, TenantUpdateRequest, TenantView, TokenCreateRequest, TokenCreated,
    TokenView, TotpCodeRequest, TotpEnrolment, UserView,
};
use ingot_kernel::http::{Json, Path, Query};
use ingot_kernel::id::{ApiTokenId, InvitationId, ProjectId, SessionId, TenantId, UserId};
use ingot_kernel::page::{Page, PageRequest};
use ingot_kernel::problem::{Problem, ProblemBody};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use ingot_contracts::iam::SESSION_COOKIE;

type Iam = State<Arc<dyn IamApi>>;

/// This domain's routes, with their OpenAPI descriptions.
pub fn router(iam: Arc<dyn IamApi>) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(signup))
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(device_authorize))
        .routes(routes!(device_token))
        .routes(routes!(device_grant_get))
        .routes(routes!(device_decide))
        .routes(routes!(me_get))
        .routes(routes!(password_reset_request))
        .routes(routes!(password_reset_confirm))
        .routes(routes!(notification_list))
        .routes(routes!(session_list))
        .routes(routes!(session_revoke))
        .routes(routes!(password_change))
        .routes(routes!(mfa_totp_enrol))
        .routes(routes!(mfa_totp_confirm))
        .routes(routes!(mfa_totp_disable))
        .routes(routes!(tenant_update))
        .routes(routes!(posture_get))
        .routes(routes!(token_list, token_create))
        .routes(routes!(token_revoke))
        .routes(routes!(tenant_list, tenant_create))
        .routes(routes!(tenant_get))
        .routes(routes!(project_list, project_create))
        .routes(routes!(project_get))
        .routes(routes!(project_member_list))
        .routes(routes!(project_member_set, project_member_remove))
        .routes(routes!(member_list, member_add))
        .routes(routes!(invitation_list, invitation_create))
        .routes(routes!(invitation_revoke))
        .routes(routes!(member_update, member_remove))
        .routes(routes!(platform_roles_set))
        .routes(routes!(kyc_get, kyc_submit))
        .routes(routes!(kyc_personal_data_redact))
        .routes(routes!(kyc_decide))
        .routes(routes!(kyc_queue))
        .routes(routes!(kyc_personal_data_get))
        .routes(routes!(kyc_webhook))
        .routes(routes!(audit_list))
        .routes(routes!(audit_verify))
        .with_state(iam)
}

/// Sets the session cookie: HttpOnly, SameSite=Lax, Secure behind TLS.
fn with_session_cookie(status: StatusCode, headers: &HeaderMap, created: SessionCreated) -> Response {
    let secure = headers
        .get("x-forwarded-proto")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"));
    let cookie = ingot_contracts::iam::session_cookie_set(&created.session_token, secure);
    let mut response = (status, Json(created)).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// Create an account, its tenant and default project, and a session.
#[utoipa::path(post, path = "/v1/auth/signup", tag = "iam", operation_id = "signup", request_body = SignupRequest,
    responses((status = 201, body = SessionCreated), (status = 409, body = ProblemBody), (status = 422, body = ProblemBody)))]
async fn signup(
    State(iam): Iam,
    actor: Actor,
    headers: HeaderMap,
    Json(request): Json<SignupRequest>,
) -> Result<Response, Problem> {
    let created = iam.signup(&actor.origin, request).await?;
    Ok(with_session_cookie(StatusCode::CREATED, &headers, created))
}

/// Log in with email and password; answers the session as a cookie and a bearer token.
#[utoipa::path(post, path = "/v1/auth/login", tag = "iam", operation_id = "login", request_body = LoginRequest,
    responses((status = 200, body = SessionCreated), (status = 401, body = ProblemBody), (status = 429, body = ProblemBody)))]
async fn login(
    State(iam): Iam,
    actor: Actor,
    headers: HeaderMap,
    Json(request): Json<LoginRequest>,
) -> Result<Response, Problem> {
    let created = iam.login(&actor.origin, request).await?;
    Ok(with_session_cookie(StatusCode::OK, &headers, created))
}

/// The server's own address as the client reached it (`Host`, and `X-Forwarded-Proto` behind a
/// TLS proxy), for the absolute URIs RFC 8628 asks for.
fn public_base(headers: &HeaderMap) -> String {
    let scheme = if headers
        .get("x-forwarded-proto")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"))
    {
        "https"
    } else {
        "http"
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|host| !host.is_empty() && host.bytes().all(|b| b.is_ascii_graphic()))
        .unwrap_or("127.0.0.1:8080");
    format!("{scheme}://{host}")
}

/// Device authorization (OAuth 2.0 device grant, RFC 8628 §3.1): a device such as the CLI asks
/// for a code a signed-in person approves at `verification_uri`; it then polls
/// `POST /v1/auth/device/token`.
#[utoipa::path(post, path = "/v1/auth/device", tag = "iam", operation_id = "device_authorize",
    request_body = DeviceAuthorizationRequest,
    responses((status = 200, body = DeviceAuthorization), (status = 422, body = ProblemBody)))]
async fn device_authorize(
    State(iam): Iam,
    actor: Actor,
    headers: HeaderMap,
    Json(request): Json<DeviceAuthorizationRequest>,
) -> Result<Json<DeviceAuthorization>, Problem> {
    let mut answer = iam.device_authorize(&actor.origin, request).await?;
    let base = public_base(&headers);
    answer.verification_uri = format!("{base}{}", answer.verification_uri);
    answer.verification_uri_complete = format!("{base}{}", answer.verification_uri_complete);
    Ok(Json(answer))
}

/// The device's poll (RFC 8628 §3.4): the session once approved, exactly once; before that a
/// 400 problem whose `code` is RFC 8628's error: `authorization_pending`, `slow_down` (wait 5 s
/// longer between polls from now on), `access_denied`, `expired_token`, or `invalid_grant`.
#[utoipa::path(post, path = "/v1/auth/device/token", tag = "iam", operation_id = "device_token",
    request_body = DeviceTokenRequest,
    responses((status = 200, body = SessionCreated), (status = 400, body = ProblemBody)))]
async fn device_token(
    State(iam): Iam,
    actor: Actor,
    Json(request): Json<DeviceTokenRequest>,
) -> Result<Json<SessionCreated>, Problem> {
    Ok(Json(iam.device_token(&actor.origin, request).await?))
}

/// The pending device showing this user code, for the signed-in person about to approve it.
#[utoipa::path(get, path = "/v1/auth/device/grants/{user_code}", tag = "iam", operation_id = "device_grant_get",
    params(("user_code" = String, Path, description = "The code the device shows, such as BCDF-GHJK")),
    responses((status = 200, body = DeviceGrantView), (status = 400, body = ProblemBody), (status = 401, body = ProblemBody)))]
async fn device_grant_get(
    State(iam): Iam,
    actor: Actor,
    Path(user_code): Path<String>,
) -> Result<Json<DeviceGrantView>, Problem> {
    Ok(Json(iam.device_grant_get(&actor, &user_code).await?))
}

/// Approve or deny a device (signed-in people only, with a session): its next poll learns which.
#[utoipa::path(post, path = "/v1/auth/device/decision", tag = "iam", operation_id = "device_decide",
    request_body = DeviceDecisionRequest,
    responses((status = 200, body = DeviceGrantView), (status = 400, body = ProblemBody), (status = 401, body = ProblemBody),
        (status = 403, body = ProblemBody)))]
async fn device_decide(
    State(iam): Iam,
    actor: Actor,
    Json(request): Json<DeviceDecisionRequest>,
) -> Result<Json<DeviceGrantView>, Problem> {
    Ok(Json(iam.device_decide(&actor, request).await?))
}

/// End the current session.
#[utoipa::path(post, path = "/v1/auth/logout", tag = "iam", operation_id = "logout",
    responses((status = 204), (status = 401, body = ProblemBody)))]
async fn logout(State(iam): Iam, actor: Actor) -> Result<Response, Problem> {
    iam.logout(&actor).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static(ingot_contracts::iam::SESSION_COOKIE_CLEAR),
    );
    Ok(response)
}

/// Ask for a password reset token by email; answers 202 whether or not the account exists.
#[utoipa::path(post, path = "/v1/auth/password-reset", tag = "iam", operation_id = "password_reset_request",
    request_body = PasswordResetRequest, responses((status = 202), (status = 422, body = ProblemBody)))]
async fn password_reset_request(
    State(iam): Iam,
    actor: Actor,
    Json(request): Json<PasswordResetRequest>,
) -> Result<StatusCode, Problem> {
    iam.password_reset_request(&actor.origin, request).await?;
    Ok(StatusCode::ACCEPTED)
}

/// Set a new password with a reset token; every session of the account ends.
#[utoipa::path(post, path = "/v1/auth/password-reset/confirm", tag = "iam", operation_id = "password_reset_confirm",
    request_body = PasswordResetConfirm,
    responses((status = 204), (status = 400, body = ProblemBody), (status = 422, body = ProblemBody)))]
async fn password_reset_confirm(
    State(iam): Iam,
    actor: Actor,
    Json(request): Json<PasswordResetConfirm>,
) -> Result<StatusCode, Problem> {
    iam.password_reset_confirm(&actor.origin, request).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Messages waiting in the platform outbox (platform admins): where the embedded default
/// delivers password resets.
#[utoipa::path(get, path = "/v1/admin/notifications", tag = "iam", operation_id = "notification_list",
    responses((status = 200, body = Vec<NotificationView>), (status = 403, body = ProblemBody)))]
async fn notification_list(State(iam): Iam, actor: Actor) -> Result<Json<Vec<NotificationView>>, Problem> {
    Ok(Json(iam.notification_list(&actor).await?))
}

/// The caller: user, memberships, and the credential in use.
#[utoipa::path(get, path = "/v1/me", tag = "iam", operation_id = "me_get",
    responses((status = 200, body = MeView), (status = 401, body = ProblemBody)))]
async fn me_get(State(iam): Iam, actor: Actor) -> Result<Json<MeView>, Problem> {
    Ok(Json(iam.me_get(&actor).await?))
}

/// The caller's live sessions.
#[utoipa::path(get, path = "/v1/me/sessions", tag = "iam", operation_id = "session_list",
    responses((status = 200, body = Vec<SessionView>), (status = 401, body = ProblemBody)))]
async fn session_list(State(iam): Iam, actor: Actor) -> Result<Json<Vec<SessionView>>, Problem> {
    Ok(Json(iam.session_list(&actor).await?))
}

/// End one of the caller's sessions (another device, say).
#[utoipa::path(delete, path = "/v1/me/sessions/{session_id}", tag = "iam", operation_id = "session_revoke",
    params(("session_id" = SessionId, Path)),
    responses((status = 204), (status = 404, body = ProblemBody)))]
async fn session_revoke(
    State(iam): Iam,
    actor: Actor,
    Path(session_id): Path<SessionId>,
) -> Result<StatusCode, Problem> {
    iam.session_revoke(&actor, session_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Change the caller's password; every other session of theirs ends.
#[utoipa::path(post, path = "/v1/me/password", tag = "iam", operation_id = "password_change",
    request_body = PasswordChangeRequest,
    responses((status = 204), (status = 422, body = ProblemBody)))]
async fn password_change(
    State(iam): Iam,
    actor: Actor,
    Json(request): Json<PasswordChangeRequest>,
) -> Result<StatusCode, Problem> {
    iam.password_change(&actor, request).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Start TOTP enrolment: a seed for the authenticator app, active once confirmed.
#[utoipa::path(post, path = "/v1/me/mfa/totp", tag = "iam", operation_id = "mfa_totp_enrol",
    responses((status = 200, body = TotpEnrolment), (status = 422, body = ProblemBody)))]
async fn mfa_totp_enrol(State(iam): Iam, actor: Actor) -> Result<Json<TotpEnrolment>, Problem> {
    Ok(Json(iam.mfa_totp_enrol(&actor).await?))
}

/// Confirm enrolment with a first code; answers ten one-time recovery codes, shown once.
#[utoipa::path(post, path = "/v1/me/mfa/totp/confirm", tag = "iam", operation_id = "mfa_totp_confirm",
    request_body = TotpCodeRequest,
    responses((status = 200, body = RecoveryCodes), (status = 422, body = ProblemBody)))]
async fn mfa_totp_confirm(
    State(iam): Iam,
    actor: Actor,
    Json(request): Json<TotpCodeRequest>,
) -> Result<Json<RecoveryCodes>, Problem> {
    Ok(Json(iam.mfa_totp_confirm(&actor, request).await?))
}

/// Turn TOTP off, proving possession with a code or a recovery code.
#[utoipa::path(post, path = "/v1/me/mfa/totp/disable", tag = "iam", operation_id = "mfa_totp_disable",
    request_body = TotpCodeRequest,
    responses((status = 204), (status = 422, body = ProblemBody)))]
async fn mfa_totp_disable(
    State(iam): Iam,
    actor: Actor,
    Json(request): Json<TotpCodeRequest>,
) -> Result<StatusCode, Problem> {
    iam.mfa_totp_disable(&actor, request).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Rename a tenant or set whether it requires MFA of every member (owners, admins).
#[utoipa::path(patch, path = "/v1/tenants/{tenant_id}", tag = "iam", operation_id = "tenant_update",
    params(("tenant_id" = TenantId, Path)), request_body = TenantUpdateRequest,
    responses((status = 200, body = TenantView), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody)))]
async fn tenant_update(
    State(iam): Iam,
    actor: Actor,
    Path(tenant_id): Path<TenantId>,
    Json(request): Json<TenantUpdateRequest>,
) -> Result<Json<TenantView>, Problem> {
    Ok(Json(iam.tenant_update(&actor, tenant_id, request).await?))
}

/// The caller's API tokens (never their secrets).
#[utoipa::path(get, path = "/v1/tokens", tag = "iam", operation_id = "token_list",
    responses((status = 200, body = Vec<TokenView>), (status = 401, body = ProblemBody)))]
async fn token_list(State(iam): Iam, actor: Actor) -> Result<Json<Vec<TokenView>>, Problem> {
    Ok(Json(iam.token_list(&actor).await?))
}

/// Create an API token; the secret `token` is in this answer only.
#[utoipa::path(post, path = "/v1/tokens", tag = "iam", operation_id = "token_create", request_body = TokenCreateRequest,
    responses((status = 201, body = TokenCreated), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody)))]
async fn token_create(
    State(iam): Iam,
    actor: Actor,
    Json(request): Json<TokenCreateRequest>,
) -> Result<(StatusCode, Json<TokenCreated>), Problem> {
    Ok((
        StatusCode::CREATED,
        Json(iam.token_create(&actor, request).await?),
    ))
}

/// Revoke one of the caller's API tokens.
#[utoipa::path(delete, path = "/v1/tokens/{token_id}", tag = "iam", operation_id = "token_revoke",
    params(("token_id" = ApiTokenId, Path)),
    responses((status = 200, body = TokenView), (status = 404, body = ProblemBody)))]
async fn token_revoke(
    State(iam): Iam,
    actor: Actor,
    Path(token_id): Path<ApiTokenId>,
) -> Result<Json<TokenView>, Problem> {
    Ok(Json(iam.token_revoke(&actor, token_id).await?))
}

/// The tenants the caller belongs to, with its role in each.
#[utoipa::path(get, path = "/v1/tenants", tag = "iam", operation_id = "tenant_list",
    responses((status = 200, body = Vec<TenantView>), (status = 401, body = ProblemBody)))]
async fn tenant_list(State(iam): Iam, actor: Actor) -> Result<Json<Vec<TenantView>>, Problem> {
    Ok(Json(iam.tenant_list(&actor).await?))
}

/// Open a new tenant, owned by the caller, with a default project.
#[utoipa::path(post, path = "/v1/tenants", tag = "iam", operation_id = "tenant_create", request_body = TenantCreateRequest,
    responses((status = 201, body = TenantView), (status = 401, body = ProblemBody)))]
async fn tenant_create(
    State(iam): Iam,
    actor: Actor,
    Json(request): Json<TenantCreateRequest>,
) -> Result<(StatusCode, Json<TenantView>), Problem> {
    Ok((
        StatusCode::CREATED,
        Json(iam.tenant_create(&actor, request).await?),
    ))
}

#[utoipa::path(get, path = "/v1/tenants/{tenant_id}", tag = "iam", operation_id = "tenant_get",
    params(("tenant_id" = TenantId, Path)),
    responses((status = 200, body = TenantView), (status = 404, body = ProblemBody)))]
async fn tenant_get(
    State(iam): Iam,
    actor: Actor,
    Path(tenant_id): Path<TenantId>,
) -> Result<Json<TenantView>, Problem> {
    Ok(Json(iam.tenant_get(&actor, tenant_id).await?))
}

#[utoipa::path(get, path = "/v1/tenants/{tenant_id}/projects", tag = "iam", operation_id = "project_list",
    params(("tenant_id" = TenantId, Path)),
    responses((status = 200, body = Vec<ProjectView>), (status = 404, body = ProblemBody)))]
async fn project_list(
    State(iam): Iam,
    actor: Actor,
    Path(tenant_id): Path<TenantId>,
) -> Result<Json<Vec<ProjectView>>, Problem> {
    Ok(Json(iam.project_list(&actor, tenant_id).await?))
}

#[utoipa::path(post, path = "/v1/tenants/{tenant_id}/projects", tag = "iam", operation_id = "project_create",
    params(("tenant_id" = TenantId, Path)), request_body = ProjectCreateRequest,
    responses((status = 201, body = ProjectView), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody)))]
async fn project_create(
    State(iam): Iam,
    actor: Actor,
    Path(tenant_id): Path<TenantId>,
    Json(request): Json<ProjectCreateRequest>,
) -> Result<(StatusCode, Json<ProjectView>), Problem> {
    Ok((
        StatusCode::CREATED,
        Json(iam.project_create(&actor, tenant_id, request).await?),
    ))
}

#[utoipa::path(get, path = "/v1/projects/{project_id}", tag = "iam", operation_id = "project_get",
    params(("project_id" = ProjectId, Path)),
    responses((status = 200, body = ProjectView), (status = 404, body = ProblemBody)))]
async fn project_get(
    State(iam): Iam,
    actor: Actor,
    Path(project_id): Path<ProjectId>,
) -> Result<Json<ProjectView>, Problem> {
    Ok(Json(iam.project_get(&actor, project_id).await?))
}

/// Explicit project roles (tenant roles apply to every project as well).
#[utoipa::path(get, path = "/v1/projects/{project_id}/members", tag = "iam", operation_id = "project_member_list",
    params(("project_id" = ProjectId, Path)),
    responses((status = 200, body = Vec<ProjectMemberView>), (status = 404, body = ProblemBody)))]
async fn project_member_list(
    State(iam): Iam,
    actor: Actor,
    Path(project_id): Path<ProjectId>,
) -> Result<Json<Vec<ProjectMemberView>>, Problem> {
    Ok(Json(iam.project_member_list(&actor, project_id).await?))
}

/// Give a tenant member a role on this project (tenant owners and admins, project admins).
#[utoipa::path(put, path = "/v1/projects/{project_id}/members/{user_id}", tag = "iam", operation_id = "project_member_set",
    params(("project_id" = ProjectId, Path), ("user_id" = UserId, Path)), request_body = ProjectMemberSetRequest,
    responses((status = 200, body = ProjectMemberView), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody)))]
async fn project_member_set(
    State(iam): Iam,
    actor: Actor,
    Path((project_id, user_id)): Path<(ProjectId, UserId)>,
    Json(request): Json<ProjectMemberSetRequest>,
) -> Result<Json<ProjectMemberView>, Problem> {
    Ok(Json(
        iam.project_member_set(&actor, project_id, user_id, request)
            .await?,
    ))
}

#[utoipa::path(delete, path = "/v1/projects/{project_id}/members/{user_id}", tag = "iam", operation_id = "project_member_remove",
    params(("project_id" = ProjectId, Path), ("user_id" = UserId, Path)),
    responses((status = 204), (status = 404, body = ProblemBody)))]
async fn project_member_remove(
    State(iam): Iam,
    actor: Actor,
    Path((project_id, user_id)): Path<(ProjectId, UserId)>,
) -> Result<StatusCode, Problem> {
    iam.project_member_remove(&actor, project_id, user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/v1/tenants/{tenant_id}/members", tag = "iam", operation_id = "member_list",
    params(("tenant_id" = TenantId, Path)),
    responses((status = 200, body = Vec<MemberView>), (status = 404, body = ProblemBody)))]
async fn member_list(
    State(iam): Iam,
    actor: Actor,
    Path(tenant_id): Path<TenantId>,
) -> Result<Json<Vec<MemberView>>, Problem> {
    Ok(Json(iam.member_list(&actor, tenant_id).await?))
}

/// Add an existing user, by email, with a role no higher than the caller's.
#[utoipa::path(post, path = "/v1/tenants/{tenant_id}/members", tag = "iam", operation_id = "member_add",
    params(("tenant_id" = TenantId, Path)), request_body = MemberAddRequest,
    responses((status = 201, body = MemberView), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody), (status = 409, body = ProblemBody)))]
async fn member_add(
    State(iam): Iam,
    actor: Actor,
    Path(tenant_id): Path<TenantId>,
    Json(request): Json<MemberAddRequest>,
) -> Result<(StatusCode, Json<MemberView>), Problem> {
    Ok((
        StatusCode::CREATED,
        Json(iam.member_add(&actor, tenant_id, request).await?),
    ))
}

/// Change a member's role; the last owner cannot be demoted.
#[utoipa::path(patch, path = "/v1/tenants/{tenant_id}/members/{user_id}", tag = "iam", operation_id = "member_update",
    params(("tenant_id" = TenantId, Path), ("user_id" = UserId, Path)), request_body = MemberUpdateRequest,
    responses((status = 200, body = MemberView), (status = 404, body = ProblemBody), (status = 409, body = ProblemBody)))]
async fn member_update(
    State(iam): Iam,
    actor: Actor,
    Path((tenant_id, user_id)): Path<(TenantId, UserId)>,
    Json(request): Json<MemberUpdateRequest>,
) -> Result<Json<MemberView>, Problem> {
    Ok(Json(
        iam.member_update(&actor, tenant_id, user_id, request).await?,
    ))
}

/// Remove a member (or leave); the last owner cannot leave.
#[utoipa::path(delete, path = "/v1/tenants/{tenant_id}/members/{user_id}", tag = "iam", operation_id = "member_remove",
    params(("tenant_id" = TenantId, Path), ("user_id" = UserId, Path)),
    responses((status = 204), (status = 404, body = ProblemBody), (status = 409, body = ProblemBody)))]
async fn member_remove(
    State(iam): Iam,
    actor: Actor,
    Path((tenant_id, user_id)): Path<(TenantId, UserId)>,
) -> Result<StatusCode, Problem> {
    iam.member_remove(&actor, tenant_id, user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Set a user's platform roles (platform admins).
#[utoipa::path(put, path = "/v1/admin/users/{user_id}/platform-roles", tag = "iam", operation_id = "platform_roles_set",
    params(("user_id" = UserId, Path)), request_body = PlatformRolesRequest,
    responses((status = 200, body = UserView), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody)))]
async fn platform_roles_set(
    State(iam): Iam,
    actor: Actor,
    Path(user_id): Path<UserId>,
    Json(request): Json<PlatformRolesRequest>,
) -> Result<Json<UserView>, Problem> {
    Ok(Json(iam.platform_roles_set(&actor, user_id, request).await?))
}

/// The tenant's security posture: MFA coverage, token ages and expiries, KYC, failed logins.
#[utoipa::path(get, path = "/v1/tenants/{tenant_id}/posture", tag = "iam", operation_id = "posture_get",
    params(("tenant_id" = TenantId, Path)),
    responses((status = 200, body = PostureView), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody)))]
async fn posture_get(
    State(iam): Iam,
    actor: Actor,
    Path(tenant_id): Path<TenantId>,
) -> Result<Json<PostureView>, Problem> {
    Ok(Json(iam.posture_get(&actor, tenant_id).await?))
}

/// The tenant's KYC state and level.
#[utoipa::path(get, path = "/v1/tenants/{tenant_id}/kyc", tag = "iam", operation_id = "kyc_get",
    params(("tenant_id" = TenantId, Path)),
    responses((status = 200, body = KycView), (status = 404, body = ProblemBody)))]
async fn kyc_get(
    State(iam): Iam,
    actor: Actor,
    Path(tenant_id): Path<TenantId>,
) -> Result<Json<KycView>, Problem> {
    Ok(Json(iam.kyc_get(&actor, tenant_id).await?))
}

/// Submit the tenant for verification (tenant owner).
#[utoipa::path(post, path = "/v1/tenants/{tenant_id}/kyc", tag = "iam", operation_id = "kyc_submit",
    params(("tenant_id" = TenantId, Path)), request_body = KycSubmitRequest,
    responses((status = 200, body = KycView), (status = 403, body = ProblemBody), (status = 409, body = ProblemBody)))]
async fn kyc_submit(
    State(iam): Iam,
    actor: Actor,
    Path(tenant_id): Path<TenantId>,
    Json(request): Json<KycSubmitRequest>,
) -> Result<Json<KycView>, Problem> {
    Ok(Json(iam.kyc_submit(&actor, tenant_id, request).await?))
}

/// Delete the personal data submitted for KYC; the decision and its reason stay.
#[utoipa::path(delete, path = "/v1/tenants/{tenant_id}/kyc/personal-data", tag = "iam", operation_id = "kyc_personal_data_redact",
    params(("tenant_id" = TenantId, Path)),
    responses((status = 200, body = KycView), (status = 404, body = ProblemBody)))]
async fn kyc_personal_data_redact(
    State(iam): Iam,
    actor: Actor,
    Path(tenant_id): Path<TenantId>,
) -> Result<Json<KycView>, Problem> {
    Ok(Json(iam.kyc_personal_data_redact(&actor, tenant_id).await?))
}

/// The personal data a tenant submitted for verification, for the reviewer deciding (security,
/// support); every read is audited. 404 when none is on file.
#[utoipa::path(get, path = "/v1/admin/kyc/{tenant_id}/personal-data", tag = "iam", operation_id = "kyc_personal_data_get",
    params(("tenant_id" = TenantId, Path)),
    responses((status = 200, body = Object), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody)))]
async fn kyc_personal_data_get(
    State(iam): Iam,
    actor: Actor,
    Path(tenant_id): Path<TenantId>,
) -> Result<Json<serde_json::Value>, Problem> {
    Ok(Json(iam.kyc_personal_data_get(&actor, tenant_id).await?))
}

/// Verify, reject or revoke a tenant (security, support), with a reason.
#[utoipa::path(post, path = "/v1/admin/kyc/{tenant_id}/decision", tag = "iam", operation_id = "kyc_decide",
    params(("tenant_id" = TenantId, Path)), request_body = KycDecisionRequest,
    responses((status = 200, body = KycView), (status = 403, body = ProblemBody), (status = 409, body = ProblemBody)))]
async fn kyc_decide(
    State(iam): Iam,
    actor: Actor,
    Path(tenant_id): Path<TenantId>,
    Json(request): Json<KycDecisionRequest>,
) -> Result<Json<KycView>, Problem> {
    Ok(Json(iam.kyc_decide(&actor, tenant_id, request).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct KycQueueQuery {
    /// Which verifications: `submitted` (the default: waiting for a reviewer), `rejected`, …
    state: Option<KycState>,
}

/// The KYC review queue (security, support): tenants whose verification is in `state`, oldest
/// submission first, at most 200.
#[utoipa::path(get, path = "/v1/admin/kyc", tag = "iam", operation_id = "kyc_queue", params(KycQueueQuery),
    responses((status = 200, body = Vec<KycReviewView>), (status = 403, body = ProblemBody)))]
async fn kyc_queue(
    State(iam): Iam,
    actor: Actor,
    Query(query): Query<KycQueueQuery>,
) -> Result<Json<Vec<KycReviewView>>, Problem> {
    let state = query.state.unwrap_or(KycState::Submitted);
    Ok(Json(iam.kyc_queue(&actor, state).await?))
}

/// A KYC provider's decision, signed `x-ingot-signature: t=<unix>,v1=<hex HMAC-SHA256("<t>.<body>")>`.
#[utoipa::path(post, path = "/v1/webhooks/kyc/{provider}", tag = "iam", operation_id = "kyc_webhook",
    params(("provider" = String, Path)), request_body(content = Object, content_type = "application/json"),
    responses((status = 200, body = KycView), (status = 401, body = ProblemBody), (status = 409, body = ProblemBody)))]
async fn kyc_webhook(
    State(iam): Iam,
    actor: Actor,
    Path(provider): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<KycView>, Problem> {
    let signature = headers.get("x-ingot-signature").and_then(|v| v.to_str().ok());
    Ok(Json(
        iam.kyc_webhook(&actor.origin, &provider, signature, &body)
            .await?,
    ))
}

/// Open invitations of the tenant.
#[utoipa::path(get, path = "/v1/tenants/{tenant_id}/invitations", tag = "iam", operation_id = "invitation_list",
    params(("tenant_id" = TenantId, Path)),
    responses((status = 200, body = Vec<InvitationView>), (status = 404, body = ProblemBody)))]
async fn invitation_list(
    State(iam): Iam,
    actor: Actor,
    Path(tenant_id): Path<TenantId>,
) -> Result<Json<Vec<InvitationView>>, Problem> {
    Ok(Json(iam.invitation_list(&actor, tenant_id).await?))
}

/// Invite an email without an account; signing up with it joins the tenant with the role.
#[utoipa::path(post, path = "/v1/tenants/{tenant_id}/invitations", tag = "iam", operation_id = "invitation_create",
    params(("tenant_id" = TenantId, Path)), request_body = InvitationCreateRequest,
    responses((status = 201, body = InvitationView), (status = 403, body = ProblemBody), (status = 422, body = ProblemBody)))]
async fn invitation_create(
    State(iam): Iam,
    actor: Actor,
    Path(tenant_id): Path<TenantId>,
    Json(request): Json<InvitationCreateRequest>,
) -> Result<(StatusCode, Json<InvitationView>), Problem> {
    Ok((
        StatusCode::CREATED,
        Json(iam.invitation_create(&actor, tenant_id, request).await?),
    ))
}

#[utoipa::path(delete, path = "/v1/tenants/{tenant_id}/invitations/{invitation_id}", tag = "iam", operation_id = "invitation_revoke",
    params(("tenant_id" = TenantId, Path), ("invitation_id" = InvitationId, Path)),
    responses((status = 204), (status = 404, body = ProblemBody)))]
async fn invitation_revoke(
    State(iam): Iam,
    actor: Actor,
    Path((tenant_id, invitation_id)): Path<(TenantId, InvitationId)>,
) -> Result<StatusCode, Problem> {
    iam.invitation_revoke(&actor, tenant_id, invitation_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct AuditQuery {
    /// One tenant's events (tenant owners and admins); all events need the security role.
    tenant_id: Option<TenantId>,
    limit: Option<u32>,
    cursor: Option<String>,
}

/// Audit events, oldest first.
#[utoipa::path(get, path = "/v1/audit-events", tag = "iam", operation_id = "audit_list", params(AuditQuery),
    responses((status = 200, body = Page<AuditEventView>), (status = 403, body = ProblemBody)))]
async fn audit_list(
    State(iam): Iam,
    actor: Actor,
    Query(query): Query<AuditQuery>,
) -> Result<Json<Page<AuditEventView>>, Problem> {
    let page = PageRequest {
        limit: query.limit,
        cursor: query.cursor,
    };
    Ok(Json(iam.audit_list(&actor, query.tenant_id, page).await?))
}

/// Walk the audit hash chain and report the first edited, missing or truncated record.
#[utoipa::path(get, path = "/v1/admin/audit/verify", tag = "iam", operation_id = "audit_verify",
    responses((status = 200, body = AuditVerifyReport), (status = 403, body = ProblemBody)))]
async fn audit_verify(State(iam): Iam, actor: Actor) -> Result<Json<AuditVerifyReport>, Problem> {
    Ok(Json(iam.audit_verify(&actor).await?))
}
