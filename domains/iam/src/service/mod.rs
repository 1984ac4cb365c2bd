//! IAM service: accounts, sessions, API tokens, tenancy and the audit log behind `IamApi`, plus
//! the `Authenticator` and `Authorizer` every other domain relies on. Each use case loads,
//! authorizes, decides, saves and audits in one transaction.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use ingot_contracts::BoxFuture;
use ingot_contracts::iam::{
    Action, Actor, AuditEventView, AuditVerifyReport, AuthenticationError, Authenticator, Authorizer,
    CredentialRef, Decision, DenyReason, DeviceAuthorization, DeviceAuthorizationRequest,
    DeviceDecisionRequest, DeviceGrantView, DeviceTokenRequest, IamApi, IamError, InvitationCreateRequest,
    InvitationView, KycDecisionRequest, KycReviewView, KycState, KycSubmitRequest, KycView, LoginRequest,
    MeView, MemberAddRequest, MemberUpdateRequest, MemberView, MembershipView, NotificationView, Origin,
    PasswordChangeRequest, PasswordResetConfirm, PasswordResetRequest, PlatformRole, PlatformRolesRequest,
    PostureView, PresentedCredential, ProjectCreateRequest, ProjectMemberSetRequest, ProjectMemberView,
    ProjectView, RecoveryCodes, Resource, SessionCreated, SessionView, SignupRequest, TenantCreateRequest,
    TenantRole, TenantUpdateRequest, TenantView, TokenCreateRequest, TokenCreated, TokenView,
    TotpCodeRequest, TotpEnrolment, UserView,
};
use ingot_kernel::cache::Cache;
use ingot_kernel::crypto::SecretBox;
use ingot_kernel::db::{Backend, Db, DbError, Tx};
use ingot_kernel::id::{ApiTokenId, InvitationId, ProjectId, SessionId, TenantId, UserId};
use ingot_kernel::page::{Page, PageRequest};
use ingot_kernel::{Clock, Timestamp};

use crate::audit::{AuditRecord, audit_append, audit_append_in_tx, audit_list, audit_verify};
use crate::model::{self, PasswordVerdict};
use crate::secrets::{
    API_TOKEN_PREFIX, PasswordHasherPool, SESSION_TOKEN_PREFIX, SecretError, bearer_secret_hash,
    bearer_secret_new, random_secret,
};
use crate::store::{self, SessionRow, TokenRow};

mod device;
mod invitations;
mod kyc;
mod mfa;
mod notifications;
mod projects;
mod reset;
mod signals;

/// Tunables with production defaults.
#[derive(Clone)]
pub struct IamConfig {
    pub session_idle: Duration,
    pub session_absolute: Duration,
    pub token_days_default: u32,
    pub token_days_max: u32,
    /// Failed logins per account, then per source address, before a lockout.
    pub login_failures_per_account_max: i64,
    pub login_failures_per_source_max: i64,
    pub login_lockout: Duration,
    /// Last-used times are written at most this often per credential.
    pub touch_every: Duration,
    pub hashing_lanes: usize,
    /// Webhook signing secrets by KYC provider name; a provider not listed is refused.
    pub kyc_webhook_secrets: BTreeMap<String, String>,
}

impl std::fmt::Debug for IamConfig {
    // Webhook secrets never print.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IamConfig")
            .field("session_idle", &self.session_idle)
            .field("session_absolute", &self.session_absolute)
            .field(
                "kyc_providers",
                &self.kyc_webhook_secrets.keys().collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl Default for IamConfig {
    fn default() -> IamConfig {
        IamConfig {
            session_idle: Duration::from_secs(12 * 3_600),
            session_absolute: Duration::from_secs(7 * 24 * 3_600),
            token_days_default: 90,
            token_days_max: 365,
            login_failures_per_account_max: 5,
            login_failures_per_source_max: 50,
            login_lockout: Duration::from_secs(15 * 60),
            touch_every: Duration::from_secs(60),
            hashing_lanes: std::thread::available_parallelism().map_or(2, |n| n.get()),
            kyc_webhook_secrets: BTreeMap::new(),
        }
    }
}

pub struct IamService {
    db: Db,
    clock: Arc<dyn Clock>,
    cache: Cache,
    secret_box: SecretBox,
    notifier: Arc<dyn crate::notify::Notifier>,
    hasher: PasswordHasherPool,
    config: IamConfig,
}

/// What a use case can fail with inside the service; the trait boundary turns it into `IamError`,
/// logging internal causes there and keeping them out of answers.
#[derive(Debug, thiserror::Error)]
enum Fail {
    #[error(transparent)]
    Iam(#[from] IamError),
    #[error("iam storage failed")]
    Store(#[from] DbError),
    #[error("iam secret handling failed")]
    Secret(#[from] SecretError),
}

impl From<sqlx::Error> for Fail {
    fn from(err: sqlx::Error) -> Fail {
        Fail::Store(DbError::Sqlx(err))
    }
}

impl From<Fail> for IamError {
    fn from(fail: Fail) -> IamError {
        match fail {
            Fail::Iam(err) => err,
            Fail::Store(err) if err.is_unavailable() => {
                tracing::warn!(error = %err, "iam: the database is unavailable");
                IamError::Unavailable("the database")
            }
            internal => {
                tracing::error!(error = %internal, cause = ?std::error::Error::source(&internal), "iam failed");
                IamError::Internal
            }
        }
    }
}

type Outcome<T> = Result<T, Fail>;

/// The audit record of a successful log-in (by password or by an approved device).
fn login_record(origin: &Origin, user_id: UserId, session: &SessionRow) -> AuditRecord {
    AuditRecord {
        actor_user_id: Some(user_id),
        credential: Some(crate::audit::credential_text(CredentialRef::Session(session.id))),
        ..AuditRecord::anonymous(origin, "iam.login", "success")
    }
}

/// What a log-in answers: the user and the new session's secret.
fn login_answer(user: UserView, session: &SessionRow, secret: String) -> SessionCreated {
    SessionCreated {
        user,
        tenant: None,
        project: None,
        session_id: session.id,
        session_token: secret,
        expires_at: session.idle_expires_at,
    }
}

fn invalid(field: &'static str, message: &str) -> IamError {
    IamError::Invalid {
        field,
        message: message.to_string(),
    }
}

fn check(decision: Decision) -> Result<(), IamError> {
    decision.into_result().map_err(IamError::Denied)
}

impl IamService {
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        cache: Cache,
        secret_box: SecretBox,
        config: IamConfig,
    ) -> Result<IamService, SecretError> {
        let hasher = PasswordHasherPool::new(config.hashing_lanes)?;
        Ok(IamService {
            db,
            clock,
            cache,
            secret_box,
            notifier: Arc::new(crate::notify::LogNotifier),
            hasher,
            config,
        })
    }

    /// Delivers notifications through `notifier` instead of the log (a mail transport, a test).
    pub fn with_notifier(mut self, notifier: Arc<dyn crate::notify::Notifier>) -> IamService {
        self.notifier = notifier;
        self
    }

    fn authorize(&self, actor: &Actor, action: Action, resource: Resource) -> Result<(), IamError> {
        check(model::authorize(actor, action, resource))
    }

    async fn session_open_in_tx(
        &self,
        tx: &mut Tx,
        user_id: UserId,
        origin: &Origin,
        now: Timestamp,
    ) -> Outcome<(SessionRow, String)> {
        let (secret, hash) = bearer_secret_new(SESSION_TOKEN_PREFIX);
        let absolute = now.plus(self.config.session_absolute);
        let session = SessionRow {
            id: SessionId::generate(),
            user_id,
            last_seen_at: now,
            idle_expires_at: now.plus(self.config.session_idle).min(absolute),
            absolute_expires_at: absolute,
            revoked: false,
        };
        store::session_insert_in_tx(tx, &session, &hash, origin.source_ip.as_deref(), now).await?;
        Ok((session, secret))
    }

    /// A tenant with its owner and default project, inside `tx`.
    async fn tenant_open_in_tx(
        &self,
        tx: &mut Tx,
        owner: UserId,
        name: String,
        now: Timestamp,
    ) -> Outcome<(TenantView, ProjectView)> {
        let tenant = TenantView {
            id: TenantId::generate(),
            name,
            require_mfa: false,
            created_at: now,
            role: Some(TenantRole::Owner),
        };
        store::tenant_insert_in_tx(tx, &tenant).await?;
        store::membership_upsert_in_tx(tx, tenant.id, owner, TenantRole::Owner, now).await?;
        let project = ProjectView {
            id: ProjectId::generate(),
            tenant_id: tenant.id,
            name: "default".into(),
            created_at: now,
        };
        store::project_insert_in_tx(tx, &project).await?;
        Ok((tenant, project))
    }

    fn throttle_keys(&self, email: &str, origin: &Origin) -> (String, String) {
        (
            throttle_account_key(email),
            format!(
                "iam:login:source:{}",
                origin.source_ip.as_deref().unwrap_or("unknown")
            ),
        )
    }

    /// Counts a failed login against the account and the source.
    async fn throttle_failure(&self, keys: [&str; 2]) {
        for key in keys {
            if let Err(err) = self.cache.counter_incr(key, self.config.login_lockout).await {
                tracing::warn!(error = %err, "login throttle unavailable");
            }
        }
    }

    /// Counter values; a cache outage must not open the gates, nor lock everyone out: it counts
    /// as zero and is logged.
    async fn throttle_count(&self, key: &str) -> i64 {
        self.cache.counter_get(key).await.unwrap_or_else(|err| {
            tracing::warn!(error = %err, "login throttle unavailable");
            0
        })
    }

    async fn signup_impl(&self, origin: &Origin, request: SignupRequest) -> Outcome<SessionCreated> {
        let email = model::email_normalize(&request.email).map_err(|m| invalid("email", m))?;
        let display_name =
            model::name_validate(&request.display_name).map_err(|m| invalid("display_name", m))?;
        let tenant_name =
            model::name_validate(&request.tenant_name).map_err(|m| invalid("tenant_name", m))?;
        if let PasswordVerdict::Refused(why) = model::password_check(&request.password, &email) {
            return Err(IamError::WeakPassword(format!("password {why}")).into());
        }
        let password_hash = self.hasher.hash(&request.password).await?;
        let now = self.clock.now();
        let user = UserView {
            id: UserId::generate(),
            email,
            display_name,
            platform_roles: Vec::new(),
            mfa_enabled: false,
            created_at: now,
        };
        let mut tx = self.db.begin().await?;
        if let Err(err) = store::user_insert_in_tx(&mut tx, &user, &password_hash).await {
            return Err(if err.is_unique_violation() {
                IamError::EmailTaken.into()
            } else {
                err.into()
            });
        }
        let (tenant, project) = self.tenant_open_in_tx(&mut tx, user.id, tenant_name, now).await?;
        self.invitations_accept_in_tx(&mut tx, &user, now).await?;
        let (session, secret) = self.session_open_in_tx(&mut tx, user.id, origin, now).await?;
        let record = AuditRecord::anonymous(origin, "iam.signup", "success")
            .target(user.id)
            .tenant(tenant.id)
            .details(serde_json::json!({ "session_id": session.id, "project_id": project.id }));
        let record = AuditRecord {
            actor_user_id: Some(user.id),
            credential: Some(crate::audit::credential_text(CredentialRef::Session(session.id))),
            ..record
        };
        audit_append_in_tx(&mut tx, &record, now).await?;
        tx.commit().await?;
        Ok(SessionCreated {
            user,
            tenant: Some(tenant),
            project: Some(project),
            session_id: session.id,
            session_token: secret,
            expires_at: session.idle_expires_at,
        })
    }

    async fn login_impl(&self, origin: &Origin, request: LoginRequest) -> Outcome<SessionCreated> {
        let email =
            model::email_normalize(&request.email).unwrap_or_else(|_| request.email.trim().to_lowercase());
        let (account_key, source_key) = self.throttle_keys(&email, origin);
        let now = self.clock.now();
        if self.throttle_count(&account_key).await >= self.config.login_failures_per_account_max
            || self.throttle_count(&source_key).await >= self.config.login_failures_per_source_max
        {
            let record = AuditRecord::anonymous(origin, "iam.login", "throttled")
                .details(serde_json::json!({ "email_domain": email.rsplit('@').next() }));
            audit_append(&self.db, &record, now).await?;
            return Err(IamError::TooManyAttempts {
                retry_after_s: self.config.login_lockout.as_secs(),
            }
            .into());
        }
        let user = store::user_by_email(self.db.reader(), &email).await?;
        // The same argon2 work whether or not the account exists: timing does not tell.
        let matched = self
            .hasher
            .verify(&request.password, user.as_ref().map(|u| u.password_hash.as_str()))
            .await?;
        let attempted = user.as_ref().map(|u| u.view.id);
        let Some(user) = user.filter(|_| matched) else {
            self.throttle_failure([&account_key, &source_key]).await;
            // The account attacked (when it exists) feeds its tenants' security posture.
            let mut record = AuditRecord::anonymous(origin, "iam.login", "failure");
            record.target = attempted.map(|id| id.to_string());
            audit_append(&self.db, &record, now).await?;
            return Err(IamError::InvalidCredentials.into());
        };
        let mut tx = self.db.begin().await?;
        if user.view.mfa_enabled {
            let Some(code) = request.totp_code.as_deref() else {
                return Err(IamError::MfaRequired.into());
            };
            if !self.mfa_check_in_tx(&mut tx, user.view.id, code).await? {
                drop(tx);
                self.throttle_failure([&account_key, &source_key]).await;
                let record = AuditRecord::anonymous(origin, "iam.login", "failure")
                    .target(user.view.id)
                    .details(serde_json::json!({ "why": "second factor" }));
                audit_append(&self.db, &record, now).await?;
                return Err(IamError::InvalidCredentials.into());
            }
        }
        let _ = self.cache.delete(&account_key).await;
        let (session, secret) = self
            .session_open_in_tx(&mut tx, user.view.id, origin, now)
            .await?;
        audit_append_in_tx(&mut tx, &login_record(origin, user.view.id, &session), now).await?;
        tx.commit().await?;
        Ok(login_answer(user.view, &session, secret))
    }

    async fn actor_for_user(&self, user: &UserView, credential: CredentialRef) -> Result<Actor, DbError> {
        let tenants = store::tenants_of_user(self.db.reader(), user.id).await?;
        let mfa_enrolment_required = !user.mfa_enabled && tenants.iter().any(|t| t.require_mfa);
        let tenant_roles: BTreeMap<TenantId, TenantRole> =
            tenants.iter().filter_map(|t| t.role.map(|r| (t.id, r))).collect();
        let project_roles = store::project_roles_of_user(self.db.reader(), user.id)
            .await?
            .into_iter()
            .collect();
        Ok(Actor {
            user_id: Some(user.id),
            credential: Some(credential),
            platform_roles: user.platform_roles.iter().copied().collect(),
            tenant_roles,
            project_roles,
            project_scope: None,
            mfa_enrolment_required,
            origin: Origin::default(),
        })
    }

    async fn authenticate_session(&self, secret: &str) -> Result<Actor, AuthenticationError> {
        let now = self.clock.now();
        let session = store::session_by_secret_hash(self.db.reader(), &bearer_secret_hash(secret))
            .await
            .map_err(unavailable)?
            .filter(|s| !s.revoked && now < s.idle_expires_at && now < s.absolute_expires_at)
            .ok_or(AuthenticationError::InvalidCredential)?;
        let user = store::user_by_id(self.db.reader(), session.user_id)
            .await
            .map_err(unavailable)?
            .ok_or(AuthenticationError::InvalidCredential)?;
        if now.since(session.last_seen_at) >= self.config.touch_every {
            let idle = now
                .plus(self.config.session_idle)
                .min(session.absolute_expires_at);
            let touched = async {
                let mut tx = self.db.begin().await?;
                store::session_touch_in_tx(&mut tx, session.id, now, idle).await?;
                tx.commit().await.map_err(DbError::from)
            };
            if let Err(err) = touched.await {
                tracing::warn!(error = %err, "session last-seen not recorded");
            }
        }
        self.actor_for_user(&user.view, CredentialRef::Session(session.id))
            .await
            .map_err(unavailable)
    }

    async fn authenticate_token(&self, secret: &str) -> Result<Actor, AuthenticationError> {
        let now = self.clock.now();
        let token = store::token_by_secret_hash(self.db.reader(), &bearer_secret_hash(secret))
            .await
            .map_err(unavailable)?
            .filter(|t| t.view.revoked_at.is_none() && now < t.view.expires_at)
            .ok_or(AuthenticationError::InvalidCredential)?;
        let user = store::user_by_id(self.db.reader(), token.user_id)
            .await
            .map_err(unavailable)?
            .ok_or(AuthenticationError::InvalidCredential)?;
        let credential = CredentialRef::ApiToken(token.view.id);
        let mut actor = self
            .actor_for_user(&user.view, credential)
            .await
            .map_err(unavailable)?;
        match token.view.tenant_id {
            // A platform token acts with its user's platform roles and no tenant.
            None => actor.tenant_roles.clear(),
            Some(tenant_id) => {
                actor.platform_roles.clear();
                actor.project_roles.clear();
                let member_role = actor.tenant_role(tenant_id);
                actor.tenant_roles.clear();
                // Never more than the token was given, nor more than its user holds today.
                if let Some(role) = member_role
                    .filter(|m| token.view.role.at_most(*m))
                    .map(|_| token.view.role)
                {
                    actor.tenant_roles.insert(tenant_id, role);
                }
                actor.project_scope = token.view.project_id;
            }
        }
        let due = token
            .view
            .last_used_at
            .is_none_or(|at| now.since(at) >= self.config.touch_every);
        if due {
            let touched = async {
                let mut tx = self.db.begin().await?;
                store::token_touch_in_tx(&mut tx, token.view.id, now).await?;
                let mut record = AuditRecord::by(&actor, "iam.token.use", "success").target(token.view.id);
                record.tenant_id = token.view.tenant_id;
                audit_append_in_tx(&mut tx, &record, now).await?;
                tx.commit().await.map_err(DbError::from)
            };
            if let Err(err) = touched.await {
                tracing::warn!(error = %err, "token last-used not recorded");
            }
        }
        Ok(actor)
    }

    /// Creates or resets a platform admin and returns one new platform API token.
    /// For `ingotd bootstrap-admin`; works beside a running server (same database).
    pub async fn bootstrap_admin(&self, email: &str) -> Result<String, IamError> {
        Ok(self.bootstrap_admin_impl(email).await?)
    }

    async fn bootstrap_admin_impl(&self, email: &str) -> Outcome<String> {
        let email = model::email_normalize(email).map_err(|m| invalid("email", m))?;
        let now = self.clock.now();
        // A random password nobody knows: the token is the way in until a password reset.
        let password_hash = self.hasher.hash(&random_secret()).await?;
        let mut tx = self.db.begin().await?;
        let user_id = match store::user_by_email(&mut *tx, &email).await? {
            Some(existing) => {
                let mut roles = existing.view.platform_roles.clone();
                if !roles.contains(&PlatformRole::PlatformAdmin) {
                    roles.push(PlatformRole::PlatformAdmin);
                }
                store::user_credentials_update_in_tx(&mut tx, existing.view.id, &password_hash, &roles, now)
                    .await?;
                for token in store::tokens_of_user(&mut *tx, existing.view.id).await? {
                    if token.view.tenant_id.is_none() {
                        store::token_revoke_in_tx(&mut tx, token.view.id, now).await?;
                    }
                }
                existing.view.id
            }
            None => {
                let user = UserView {
                    id: UserId::generate(),
                    email: email.clone(),
                    display_name: "Platform admin".into(),
                    platform_roles: vec![PlatformRole::PlatformAdmin],
                    mfa_enabled: false,
                    created_at: now,
                };
                store::user_insert_in_tx(&mut tx, &user, &password_hash).await?;
                user.id
            }
        };
        let (secret, hash) = bearer_secret_new(API_TOKEN_PREFIX);
        let token = TokenRow {
            user_id,
            view: TokenView {
                id: ApiTokenId::generate(),
                name: "bootstrap-admin".into(),
                tenant_id: None,
                project_id: None,
                role: TenantRole::Viewer,
                created_at: now,
                expires_at: now.plus(Duration::from_secs(
                    u64::from(self.config.token_days_default) * 86_400,
                )),
                last_used_at: None,
                revoked_at: None,
            },
        };
        store::token_insert_in_tx(&mut tx, &token, &hash).await?;
        let record = AuditRecord {
            actor_user_id: Some(user_id),
            ..AuditRecord::anonymous(&Origin::default(), "iam.bootstrap_admin", "success")
        }
        .target(token.view.id)
        .details(serde_json::json!({ "via": "ingotd bootstrap-admin" }));
        audit_append_in_tx(&mut tx, &record, now).await?;
        tx.commit().await?;
        Ok(secret)
    }

    async fn tenant_role_now(&self, tenant_id: TenantId, user_id: UserId) -> Outcome<Option<TenantRole>> {
        Ok(store::tenants_of_user(self.db.reader(), user_id)
            .await?
            .into_iter()
            .find(|t| t.id == tenant_id)
            .and_then(|t| t.role))
    }

    /// The role the actor may grant in `tenant_id`: its own, or any for platform admins.
    fn grantable(&self, actor: &Actor, tenant_id: TenantId, role: TenantRole) -> Result<(), IamError> {
        if actor.has_platform_role(PlatformRole::PlatformAdmin) {
            return Ok(());
        }
        match actor.tenant_role(tenant_id) {
            Some(own) if role.at_most(own) => Ok(()),
            _ => Err(IamError::RoleTooHigh),
        }
    }

    /// Applies a membership change that must leave the tenant with an owner.
    async fn member_change(
        &self,
        actor: &Actor,
        tenant_id: TenantId,
        user_id: UserId,
        new_role: Option<TenantRole>,
    ) -> Outcome<Option<MemberView>> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let members = store::members_of_tenant_for_update_in_tx(
            &mut tx,
            tenant_id,
            self.db.backend() == Backend::Postgres,
        )
        .await?;
        let target = members
            .iter()
            .find(|m| m.user_id == user_id)
            .cloned()
            .ok_or(IamError::NotFound("member"))?;
        let owners = members.iter().filter(|m| m.role == TenantRole::Owner).count();
        // Invariant: a tenant keeps at least one owner (checked under the members' row locks).
        if target.role == TenantRole::Owner && new_role != Some(TenantRole::Owner) && owners <= 1 {
            return Err(IamError::LastOwner.into());
        }
        // Only an owner (or platform admin) may change another owner.
        if target.role == TenantRole::Owner && user_id != actor.user_id.unwrap_or(user_id) {
            self.grantable(actor, tenant_id, TenantRole::Owner)?;
        }
        let (action, view) = match new_role {
            Some(role) => {
                store::membership_upsert_in_tx(&mut tx, tenant_id, user_id, role, now).await?;
                (
                    "iam.member.update",
                    Some(MemberView {
                        role,
                        ..target.clone()
                    }),
                )
            }
            None => {
                store::membership_delete_in_tx(&mut tx, tenant_id, user_id).await?;
                store::project_members_of_tenant_delete_in_tx(&mut tx, tenant_id, user_id).await?;
                ("iam.member.remove", None)
            }
        };
        let record = AuditRecord::by(actor, action, "success")
            .target(user_id)
            .tenant(tenant_id)
            .details(serde_json::json!({ "from": target.role, "to": new_role }));
        audit_append_in_tx(&mut tx, &record, now).await?;
        tx.commit().await?;
        Ok(view)
    }
}

fn unavailable(err: DbError) -> AuthenticationError {
    if err.is_unavailable() {
        tracing::warn!(error = %err, "authentication: the database is unavailable");
    } else {
        tracing::error!(error = %err, "authentication storage failed");
    }
    AuthenticationError::Unavailable
}

impl IamService {
    async fn logout_impl(&self, actor: &Actor) -> Outcome<()> {
        let Some(CredentialRef::Session(session_id)) = actor.credential else {
            return Err(Fail::from(if actor.is_authenticated() {
                invalid(
                    "credential",
                    "log out ends a session; revoke API tokens with DELETE /v1/tokens/{id}",
                )
            } else {
                IamError::Denied(DenyReason::Unauthenticated)
            }));
        };
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        store::session_revoke_in_tx(&mut tx, session_id, now).await?;
        audit_append_in_tx(
            &mut tx,
            &AuditRecord::by(actor, "iam.logout", "success").target(session_id),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn me_get_impl(&self, actor: &Actor) -> Outcome<MeView> {
        let user_id = actor
            .user_id
            .ok_or(IamError::Denied(DenyReason::Unauthenticated))?;
        let user = store::user_by_id(self.db.reader(), user_id)
            .await?
            .ok_or(IamError::NotFound("user"))?;
        let memberships = store::tenants_of_user(self.db.reader(), user_id)
            .await?
            .into_iter()
            .filter_map(|t| {
                // What this credential can use, not everything the person holds.
                let role = actor.tenant_role(t.id)?;
                Some(MembershipView {
                    tenant_id: t.id,
                    tenant_name: t.name,
                    role,
                })
            })
            .collect();
        Ok(MeView {
            user: user.view,
            memberships,
            credential: actor.credential,
        })
    }

    async fn token_create_impl(&self, actor: &Actor, request: TokenCreateRequest) -> Outcome<TokenCreated> {
        let user_id = actor
            .user_id
            .ok_or(IamError::Denied(DenyReason::Unauthenticated))?;
        self.authorize(actor, Action::CredentialManage, Resource::User(user_id))?;
        let name = model::name_validate(&request.name).map_err(|m| invalid("name", m))?;
        let own_role = actor
            .tenant_role(request.tenant_id)
            .ok_or(IamError::NotFound("tenant"))?;
        if !request.role.at_most(own_role) {
            return Err(IamError::RoleTooHigh.into());
        }
        if let Some(project_id) = request.project_id {
            let project = store::project_by_id(self.db.reader(), project_id).await?;
            if project.is_none_or(|p| p.tenant_id != request.tenant_id) {
                return Err(IamError::NotFound("project").into());
            }
        }
        let days = request.expires_in_days.unwrap_or(self.config.token_days_default);
        if days == 0 || days > self.config.token_days_max {
            return Err(invalid(
                "expires_in_days",
                &format!("must be between 1 and {}", self.config.token_days_max),
            )
            .into());
        }
        let now = self.clock.now();
        let (secret, hash) = bearer_secret_new(API_TOKEN_PREFIX);
        let token = TokenRow {
            user_id,
            view: TokenView {
                id: ApiTokenId::generate(),
                name,
                tenant_id: Some(request.tenant_id),
                project_id: request.project_id,
                role: request.role,
                created_at: now,
                expires_at: now.plus(Duration::from_secs(u64::from(days) * 86_400)),
                last_used_at: None,
                revoked_at: None,
            },
        };
        let mut tx = self.db.begin().await?;
        store::token_insert_in_tx(&mut tx, &token, &hash).await?;
        let record = AuditRecord::by(actor, "iam.token.create", "success")
                .target(token.view.id)
                .tenant(request.tenant_id)
                .details(serde_json::json!({ "role": request.role, "project_id": request.project_id, "expires_at": token.view.expires_at }));
        audit_append_in_tx(&mut tx, &record, now).await?;
        tx.commit().await?;
        Ok(TokenCreated {
            view: token.view,
            token: secret,
        })
    }

    async fn token_list_impl(&self, actor: &Actor) -> Outcome<Vec<TokenView>> {
        let user_id = actor
            .user_id
            .ok_or(IamError::Denied(DenyReason::Unauthenticated))?;
        self.authorize(actor, Action::CredentialManage, Resource::User(user_id))?;
        Ok(store::tokens_of_user(self.db.reader(), user_id)
            .await?
            .into_iter()
            .map(|t| t.view)
            .collect())
    }

    async fn token_revoke_impl(&self, actor: &Actor, token_id: ApiTokenId) -> Outcome<TokenView> {
        let user_id = actor
            .user_id
            .ok_or(IamError::Denied(DenyReason::Unauthenticated))?;
        self.authorize(actor, Action::CredentialManage, Resource::User(user_id))?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        // Someone else's token is "not found": ids do not leak.
        let token = store::token_by_id(&mut *tx, token_id)
            .await?
            .filter(|t| t.user_id == user_id)
            .ok_or(IamError::NotFound("token"))?;
        store::token_revoke_in_tx(&mut tx, token_id, now).await?;
        let mut record = AuditRecord::by(actor, "iam.token.revoke", "success").target(token_id);
        record.tenant_id = token.view.tenant_id;
        audit_append_in_tx(&mut tx, &record, now).await?;
        tx.commit().await?;
        Ok(TokenView {
            revoked_at: token.view.revoked_at.or(Some(now)),
            ..token.view
        })
    }

    async fn tenant_create_impl(&self, actor: &Actor, request: TenantCreateRequest) -> Outcome<TenantView> {
        self.authorize(actor, Action::TenantCreate, Resource::Platform)?;
        let user_id = actor
            .user_id
            .ok_or(IamError::Denied(DenyReason::Unauthenticated))?;
        let name = model::name_validate(&request.name).map_err(|m| invalid("name", m))?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let (tenant, project) = self.tenant_open_in_tx(&mut tx, user_id, name, now).await?;
        let record = AuditRecord::by(actor, "iam.tenant.create", "success")
            .target(tenant.id)
            .tenant(tenant.id)
            .details(serde_json::json!({ "project_id": project.id }));
        audit_append_in_tx(&mut tx, &record, now).await?;
        tx.commit().await?;
        Ok(tenant)
    }

    async fn tenant_list_impl(&self, actor: &Actor) -> Outcome<Vec<TenantView>> {
        let user_id = actor
            .user_id
            .ok_or(IamError::Denied(DenyReason::Unauthenticated))?;
        let tenants = store::tenants_of_user(self.db.reader(), user_id).await?;
        Ok(tenants
            .into_iter()
            .filter_map(|t| {
                actor.tenant_role(t.id).map(|role| TenantView {
                    role: Some(role),
                    ..t
                })
            })
            .collect())
    }

    async fn tenant_get_impl(&self, actor: &Actor, tenant_id: TenantId) -> Outcome<TenantView> {
        self.authorize(actor, Action::TenantRead, Resource::Tenant(tenant_id))
            .map_err(not_found_if_hidden("tenant"))?;
        let tenant = store::tenant_by_id(self.db.reader(), tenant_id)
            .await?
            .ok_or(IamError::NotFound("tenant"))?;
        Ok(TenantView {
            role: actor.tenant_role(tenant_id),
            ..tenant
        })
    }

    async fn project_create_impl(
        &self,
        actor: &Actor,
        tenant_id: TenantId,
        request: ProjectCreateRequest,
    ) -> Outcome<ProjectView> {
        self.authorize(actor, Action::ProjectCreate, Resource::Tenant(tenant_id))
            .map_err(not_found_if_hidden("tenant"))?;
        let name = model::name_validate(&request.name).map_err(|m| invalid("name", m))?;
        store::tenant_by_id(self.db.reader(), tenant_id)
            .await?
            .ok_or(IamError::NotFound("tenant"))?;
        let now = self.clock.now();
        let project = ProjectView {
            id: ProjectId::generate(),
            tenant_id,
            name,
            created_at: now,
        };
        let mut tx = self.db.begin().await?;
        if let Err(err) = store::project_insert_in_tx(&mut tx, &project).await {
            return Err(if err.is_unique_violation() {
                invalid("name", "a project with this name already exists").into()
            } else {
                err.into()
            });
        }
        audit_append_in_tx(
            &mut tx,
            &AuditRecord::by(actor, "iam.project.create", "success")
                .target(project.id)
                .tenant(tenant_id),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(project)
    }

    async fn project_list_impl(&self, actor: &Actor, tenant_id: TenantId) -> Outcome<Vec<ProjectView>> {
        self.authorize(actor, Action::TenantRead, Resource::Tenant(tenant_id))
            .map_err(not_found_if_hidden("tenant"))?;
        let projects = store::projects_of_tenant(self.db.reader(), tenant_id).await?;
        Ok(projects
            .into_iter()
            .filter(|p| actor.project_scope.is_none_or(|scope| scope == p.id))
            .collect())
    }

    async fn project_get_impl(&self, actor: &Actor, project_id: ProjectId) -> Outcome<ProjectView> {
        if !actor.is_authenticated() {
            return Err(IamError::Denied(DenyReason::Unauthenticated).into());
        }
        let project = store::project_by_id(self.db.reader(), project_id)
            .await?
            .ok_or(IamError::NotFound("project"))?;
        self.authorize(
            actor,
            Action::ProjectRead,
            Resource::Project {
                tenant_id: project.tenant_id,
                project_id,
            },
        )
        .map_err(not_found_if_hidden("project"))?;
        Ok(project)
    }

    async fn member_list_impl(&self, actor: &Actor, tenant_id: TenantId) -> Outcome<Vec<MemberView>> {
        self.authorize(actor, Action::MemberRead, Resource::Tenant(tenant_id))
            .map_err(not_found_if_hidden("tenant"))?;
        Ok(store::members_of_tenant(self.db.reader(), tenant_id).await?)
    }

    async fn member_add_impl(
        &self,
        actor: &Actor,
        tenant_id: TenantId,
        request: MemberAddRequest,
    ) -> Outcome<MemberView> {
        self.authorize(actor, Action::MemberManage, Resource::Tenant(tenant_id))
            .map_err(not_found_if_hidden("tenant"))?;
        self.grantable(actor, tenant_id, request.role)?;
        let email = model::email_normalize(&request.email).map_err(|m| invalid("email", m))?;
        // Platform admins may manage any tenant's members, so the tenant may not exist.
        store::tenant_by_id(self.db.reader(), tenant_id)
            .await?
            .ok_or(IamError::NotFound("tenant"))?;
        let user = store::user_by_email(self.db.reader(), &email)
            .await?
            .ok_or(IamError::NotFound("user"))?;
        if self.tenant_role_now(tenant_id, user.view.id).await?.is_some() {
            return Err(IamError::AlreadyMember.into());
        }
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        store::membership_upsert_in_tx(&mut tx, tenant_id, user.view.id, request.role, now).await?;
        let record = AuditRecord::by(actor, "iam.member.add", "success")
            .target(user.view.id)
            .tenant(tenant_id)
            .details(serde_json::json!({ "role": request.role }));
        audit_append_in_tx(&mut tx, &record, now).await?;
        tx.commit().await?;
        Ok(MemberView {
            user_id: user.view.id,
            email: user.view.email,
            display_name: user.view.display_name,
            role: request.role,
            joined_at: now,
        })
    }

    async fn member_update_impl(
        &self,
        actor: &Actor,
        tenant_id: TenantId,
        user_id: UserId,
        request: MemberUpdateRequest,
    ) -> Outcome<MemberView> {
        self.authorize(actor, Action::MemberManage, Resource::Tenant(tenant_id))
            .map_err(not_found_if_hidden("tenant"))?;
        self.grantable(actor, tenant_id, request.role)?;
        self.member_change(actor, tenant_id, user_id, Some(request.role))
            .await?
            .ok_or(IamError::NotFound("member").into())
    }

    async fn member_remove_impl(&self, actor: &Actor, tenant_id: TenantId, user_id: UserId) -> Outcome<()> {
        // Anyone may leave a tenant; removing others takes MemberManage.
        let leaving = actor.user_id == Some(user_id) && actor.tenant_role(tenant_id).is_some();
        if !leaving {
            self.authorize(actor, Action::MemberManage, Resource::Tenant(tenant_id))
                .map_err(not_found_if_hidden("tenant"))?;
        }
        self.member_change(actor, tenant_id, user_id, None).await?;
        Ok(())
    }

    async fn audit_list_impl(
        &self,
        actor: &Actor,
        tenant_id: Option<TenantId>,
        page: PageRequest,
    ) -> Outcome<Page<AuditEventView>> {
        let resource = tenant_id.map_or(Resource::Platform, Resource::Tenant);
        self.authorize(actor, Action::AuditRead, resource)
            .map_err(not_found_if_hidden("tenant"))?;
        let limit = page.limit().map_err(|e| invalid("limit", &e.to_string()))?;
        let after: i64 = page
            .after()
            .map_err(|e| invalid("cursor", &e.to_string()))?
            .unwrap_or(0);
        let events = audit_list(&self.db, tenant_id, after, i64::from(limit) + 1).await?;
        Ok(Page::from_overfetch(events, limit, |e| e.position))
    }

    async fn audit_verify_impl(&self, actor: &Actor) -> Outcome<AuditVerifyReport> {
        self.authorize(actor, Action::AuditVerify, Resource::Platform)?;
        Ok(audit_verify(&self.db).await?)
    }
}

impl IamService {
    async fn session_list_impl(&self, actor: &Actor) -> Outcome<Vec<SessionView>> {
        let user_id = actor
            .user_id
            .ok_or(IamError::Denied(DenyReason::Unauthenticated))?;
        self.authorize(actor, Action::CredentialManage, Resource::User(user_id))?;
        let current = match actor.credential {
            Some(CredentialRef::Session(id)) => Some(id),
            _ => None,
        };
        let sessions = store::sessions_of_user(self.db.reader(), user_id, self.clock.now()).await?;
        Ok(sessions
            .into_iter()
            .map(|(s, source_ip, created_at)| SessionView {
                id: s.id,
                created_at,
                last_seen_at: s.last_seen_at,
                expires_at: s.idle_expires_at.min(s.absolute_expires_at),
                source_ip,
                current: current == Some(s.id),
            })
            .collect())
    }

    async fn session_revoke_impl(&self, actor: &Actor, session_id: SessionId) -> Outcome<()> {
        let user_id = actor
            .user_id
            .ok_or(IamError::Denied(DenyReason::Unauthenticated))?;
        self.authorize(actor, Action::CredentialManage, Resource::User(user_id))?;
        let now = self.clock.now();
        let owned = store::sessions_of_user(self.db.reader(), user_id, now)
            .await?
            .iter()
            .any(|(s, _, _)| s.id == session_id);
        if !owned {
            return Err(IamError::NotFound("session").into());
        }
        let mut tx = self.db.begin().await?;
        store::session_revoke_in_tx(&mut tx, session_id, now).await?;
        audit_append_in_tx(
            &mut tx,
            &AuditRecord::by(actor, "iam.session.revoke", "success").target(session_id),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn password_change_impl(&self, actor: &Actor, request: PasswordChangeRequest) -> Outcome<()> {
        let user_id = actor
            .user_id
            .ok_or(IamError::Denied(DenyReason::Unauthenticated))?;
        self.authorize(actor, Action::CredentialManage, Resource::User(user_id))?;
        let user = store::user_by_id(self.db.reader(), user_id)
            .await?
            .ok_or(IamError::NotFound("user"))?;
        let now = self.clock.now();
        if !self
            .hasher
            .verify(&request.current_password, Some(&user.password_hash))
            .await?
        {
            audit_append(
                &self.db,
                &AuditRecord::by(actor, "iam.password.change", "failure").target(user_id),
                now,
            )
            .await?;
            return Err(invalid("current_password", "is wrong").into());
        }
        if let PasswordVerdict::Refused(why) = model::password_check(&request.new_password, &user.view.email)
        {
            return Err(IamError::WeakPassword(format!("new password {why}")).into());
        }
        let hash = self.hasher.hash(&request.new_password).await?;
        let keep = match actor.credential {
            Some(CredentialRef::Session(id)) => Some(id),
            _ => None,
        };
        let mut tx = self.db.begin().await?;
        store::user_password_update_in_tx(&mut tx, user_id, &hash, now).await?;
        let revoked = store::sessions_revoke_all_in_tx(&mut tx, user_id, keep, now).await?;
        let record = AuditRecord::by(actor, "iam.password.change", "success")
            .target(user_id)
            .details(serde_json::json!({ "other_sessions_revoked": revoked }));
        audit_append_in_tx(&mut tx, &record, now).await?;
        tx.commit().await?;
        Ok(())
    }
}

impl IamService {
    async fn platform_roles_set_impl(
        &self,
        actor: &Actor,
        user_id: UserId,
        request: PlatformRolesRequest,
    ) -> Outcome<UserView> {
        self.authorize(actor, Action::PlatformRolesManage, Resource::Platform)?;
        let mut roles = request.platform_roles;
        roles.sort();
        roles.dedup();
        if actor.user_id == Some(user_id) && !roles.contains(&PlatformRole::PlatformAdmin) {
            // Locking yourself out is done with bootstrap-admin on another account, not by accident.
            return Err(invalid("platform_roles", "you cannot remove your own platform_admin role").into());
        }
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let user = store::user_by_id(&mut *tx, user_id)
            .await?
            .ok_or(IamError::NotFound("user"))?;
        store::user_platform_roles_update_in_tx(&mut tx, user_id, &roles).await?;
        let record = AuditRecord::by(actor, "iam.platform_roles.set", "success")
            .target(user_id)
            .details(serde_json::json!({ "from": user.view.platform_roles, "to": roles }));
        audit_append_in_tx(&mut tx, &record, now).await?;
        tx.commit().await?;
        Ok(UserView {
            platform_roles: roles,
            ..user.view
        })
    }
}

impl IamApi for IamService {
    fn project_member_list<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
    ) -> BoxFuture<'a, Result<Vec<ProjectMemberView>, IamError>> {
        Box::pin(async move { Ok(self.project_member_list_impl(actor, project_id).await?) })
    }

    fn project_member_set<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        user_id: UserId,
        request: ProjectMemberSetRequest,
    ) -> BoxFuture<'a, Result<ProjectMemberView, IamError>> {
        Box::pin(async move {
            Ok(self
                .project_member_set_impl(actor, project_id, user_id, request)
                .await?)
        })
    }

    fn project_member_remove<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        user_id: UserId,
    ) -> BoxFuture<'a, Result<(), IamError>> {
        Box::pin(async move {
            Ok(self
                .project_member_remove_impl(actor, project_id, user_id)
                .await?)
        })
    }

    fn invitation_create<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        request: InvitationCreateRequest,
    ) -> BoxFuture<'a, Result<InvitationView, IamError>> {
        Box::pin(async move { Ok(self.invitation_create_impl(actor, tenant_id, request).await?) })
    }

    fn invitation_list<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
    ) -> BoxFuture<'a, Result<Vec<InvitationView>, IamError>> {
        Box::pin(async move { Ok(self.invitation_list_impl(actor, tenant_id).await?) })
    }

    fn invitation_revoke<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        invitation_id: InvitationId,
    ) -> BoxFuture<'a, Result<(), IamError>> {
        Box::pin(async move {
            Ok(self
                .invitation_revoke_impl(actor, tenant_id, invitation_id)
                .await?)
        })
    }

    fn password_reset_request<'a>(
        &'a self,
        origin: &'a Origin,
        request: PasswordResetRequest,
    ) -> BoxFuture<'a, Result<(), IamError>> {
        Box::pin(async move { Ok(self.password_reset_request_impl(origin, request).await?) })
    }

    fn password_reset_confirm<'a>(
        &'a self,
        origin: &'a Origin,
        request: PasswordResetConfirm,
    ) -> BoxFuture<'a, Result<(), IamError>> {
        Box::pin(async move { Ok(self.password_reset_confirm_impl(origin, request).await?) })
    }

    fn notification_list<'a>(
        &'a self,
        actor: &'a Actor,
    ) -> BoxFuture<'a, Result<Vec<NotificationView>, IamError>> {
        Box::pin(async move { Ok(self.notification_list_impl(actor).await?) })
    }

    fn posture_get<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
    ) -> BoxFuture<'a, Result<PostureView, IamError>> {
        Box::pin(async move { Ok(self.posture_get_impl(actor, tenant_id).await?) })
    }

    fn mfa_totp_enrol<'a>(&'a self, actor: &'a Actor) -> BoxFuture<'a, Result<TotpEnrolment, IamError>> {
        Box::pin(async move { Ok(self.mfa_totp_enrol_impl(actor).await?) })
    }

    fn mfa_totp_confirm<'a>(
        &'a self,
        actor: &'a Actor,
        request: TotpCodeRequest,
    ) -> BoxFuture<'a, Result<RecoveryCodes, IamError>> {
        Box::pin(async move { Ok(self.mfa_totp_confirm_impl(actor, request).await?) })
    }

    fn mfa_totp_disable<'a>(
        &'a self,
        actor: &'a Actor,
        request: TotpCodeRequest,
    ) -> BoxFuture<'a, Result<(), IamError>> {
        Box::pin(async move { Ok(self.mfa_totp_disable_impl(actor, request).await?) })
    }

    fn tenant_update<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        request: TenantUpdateRequest,
    ) -> BoxFuture<'a, Result<TenantView, IamError>> {
        Box::pin(async move { Ok(self.tenant_update_impl(actor, tenant_id, request).await?) })
    }

    fn platform_roles_set<'a>(
        &'a self,
        actor: &'a Actor,
        user_id: UserId,
        request: PlatformRolesRequest,
    ) -> BoxFuture<'a, Result<UserView, IamError>> {
        Box::pin(async move { Ok(self.platform_roles_set_impl(actor, user_id, request).await?) })
    }

    fn kyc_get<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
    ) -> BoxFuture<'a, Result<KycView, IamError>> {
        Box::pin(async move { Ok(self.kyc_get_impl(actor, tenant_id).await?) })
    }

    fn kyc_submit<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        request: KycSubmitRequest,
    ) -> BoxFuture<'a, Result<KycView, IamError>> {
        Box::pin(async move { Ok(self.kyc_submit_impl(actor, tenant_id, request).await?) })
    }

    fn kyc_decide<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        request: KycDecisionRequest,
    ) -> BoxFuture<'a, Result<KycView, IamError>> {
        Box::pin(async move { Ok(self.kyc_decide_impl(actor, tenant_id, request).await?) })
    }

    fn kyc_queue<'a>(
        &'a self,
        actor: &'a Actor,
        state: KycState,
    ) -> BoxFuture<'a, Result<Vec<KycReviewView>, IamError>> {
        Box::pin(async move { Ok(self.kyc_queue_impl(actor, state).await?) })
    }

    fn kyc_personal_data_redact<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
    ) -> BoxFuture<'a, Result<KycView, IamError>> {
        Box::pin(async move { Ok(self.kyc_redact_impl(actor, tenant_id).await?) })
    }

    fn kyc_personal_data_get<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
    ) -> BoxFuture<'a, Result<serde_json::Value, IamError>> {
        Box::pin(async move { Ok(self.kyc_personal_data_get_impl(actor, tenant_id).await?) })
    }

    fn kyc_webhook<'a>(
        &'a self,
        origin: &'a Origin,
        provider: &'a str,
        signature: Option<&'a str>,
        body: &'a [u8],
    ) -> BoxFuture<'a, Result<KycView, IamError>> {
        Box::pin(async move { Ok(self.kyc_webhook_impl(origin, provider, signature, body).await?) })
    }

    fn session_list<'a>(&'a self, actor: &'a Actor) -> BoxFuture<'a, Result<Vec<SessionView>, IamError>> {
        Box::pin(async move { Ok(self.session_list_impl(actor).await?) })
    }

    fn session_revoke<'a>(
        &'a self,
        actor: &'a Actor,
        session_id: SessionId,
    ) -> BoxFuture<'a, Result<(), IamError>> {
        Box::pin(async move { Ok(self.session_revoke_impl(actor, session_id).await?) })
    }

    fn password_change<'a>(
        &'a self,
        actor: &'a Actor,
        request: PasswordChangeRequest,
    ) -> BoxFuture<'a, Result<(), IamError>> {
        Box::pin(async move { Ok(self.password_change_impl(actor, request).await?) })
    }

    fn signup<'a>(
        &'a self,
        origin: &'a Origin,
        request: SignupRequest,
    ) -> BoxFuture<'a, Result<SessionCreated, IamError>> {
        Box::pin(async move { Ok(self.signup_impl(origin, request).await?) })
    }

    fn login<'a>(
        &'a self,
        origin: &'a Origin,
        request: LoginRequest,
    ) -> BoxFuture<'a, Result<SessionCreated, IamError>> {
        Box::pin(async move { Ok(self.login_impl(origin, request).await?) })
    }

    fn logout<'a>(&'a self, actor: &'a Actor) -> BoxFuture<'a, Result<(), IamError>> {
        Box::pin(async move { Ok(self.logout_impl(actor).await?) })
    }

    fn me_get<'a>(&'a self, actor: &'a Actor) -> BoxFuture<'a, Result<MeView, IamError>> {
        Box::pin(async move { Ok(self.me_get_impl(actor).await?) })
    }

    fn device_authorize<'a>(
        &'a self,
        origin: &'a Origin,
        request: DeviceAuthorizationRequest,
    ) -> BoxFuture<'a, Result<DeviceAuthorization, IamError>> {
        Box::pin(async move { Ok(self.device_authorize_impl(origin, request).await?) })
    }

    fn device_token<'a>(
        &'a self,
        origin: &'a Origin,
        request: DeviceTokenRequest,
    ) -> BoxFuture<'a, Result<SessionCreated, IamError>> {
        Box::pin(async move { Ok(self.device_token_impl(origin, request).await?) })
    }

    fn device_grant_get<'a>(
        &'a self,
        actor: &'a Actor,
        user_code: &'a str,
    ) -> BoxFuture<'a, Result<DeviceGrantView, IamError>> {
        Box::pin(async move { Ok(self.device_grant_get_impl(actor, user_code).await?) })
    }

    fn device_decide<'a>(
        &'a self,
        actor: &'a Actor,
        request: DeviceDecisionRequest,
    ) -> BoxFuture<'a, Result<DeviceGrantView, IamError>> {
        Box::pin(async move { Ok(self.device_decide_impl(actor, request).await?) })
    }

    fn token_create<'a>(
        &'a self,
        actor: &'a Actor,
        request: TokenCreateRequest,
    ) -> BoxFuture<'a, Result<TokenCreated, IamError>> {
        Box::pin(async move { Ok(self.token_create_impl(actor, request).await?) })
    }

    fn token_list<'a>(&'a self, actor: &'a Actor) -> BoxFuture<'a, Result<Vec<TokenView>, IamError>> {
        Box::pin(async move { Ok(self.token_list_impl(actor).await?) })
    }

    fn token_revoke<'a>(
        &'a self,
        actor: &'a Actor,
        token_id: ApiTokenId,
    ) -> BoxFuture<'a, Result<TokenView, IamError>> {
        Box::pin(async move { Ok(self.token_revoke_impl(actor, token_id).await?) })
    }

    fn tenant_create<'a>(
        &'a self,
        actor: &'a Actor,
        request: TenantCreateRequest,
    ) -> BoxFuture<'a, Result<TenantView, IamError>> {
        Box::pin(async move { Ok(self.tenant_create_impl(actor, request).await?) })
    }

    fn tenant_list<'a>(&'a self, actor: &'a Actor) -> BoxFuture<'a, Result<Vec<TenantView>, IamError>> {
        Box::pin(async move { Ok(self.tenant_list_impl(actor).await?) })
    }

    fn tenant_get<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
    ) -> BoxFuture<'a, Result<TenantView, IamError>> {
        Box::pin(async move { Ok(self.tenant_get_impl(actor, tenant_id).await?) })
    }

    fn project_create<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        request: ProjectCreateRequest,
    ) -> BoxFuture<'a, Result<ProjectView, IamError>> {
        Box::pin(async move { Ok(self.project_create_impl(actor, tenant_id, request).await?) })
    }

    fn project_list<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
    ) -> BoxFuture<'a, Result<Vec<ProjectView>, IamError>> {
        Box::pin(async move { Ok(self.project_list_impl(actor, tenant_id).await?) })
    }

    fn project_get<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
    ) -> BoxFuture<'a, Result<ProjectView, IamError>> {
        Box::pin(async move { Ok(self.project_get_impl(actor, project_id).await?) })
    }

    fn member_list<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
    ) -> BoxFuture<'a, Result<Vec<MemberView>, IamError>> {
        Box::pin(async move { Ok(self.member_list_impl(actor, tenant_id).await?) })
    }

    fn member_add<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        request: MemberAddRequest,
    ) -> BoxFuture<'a, Result<MemberView, IamError>> {
        Box::pin(async move { Ok(self.member_add_impl(actor, tenant_id, request).await?) })
    }

    fn member_update<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        user_id: UserId,
        request: MemberUpdateRequest,
    ) -> BoxFuture<'a, Result<MemberView, IamError>> {
        Box::pin(async move {
            Ok(self
                .member_update_impl(actor, tenant_id, user_id, request)
                .await?)
        })
    }

    fn member_remove<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        user_id: UserId,
    ) -> BoxFuture<'a, Result<(), IamError>> {
        Box::pin(async move { Ok(self.member_remove_impl(actor, tenant_id, user_id).await?) })
    }

    fn audit_list<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: Option<TenantId>,
        page: PageRequest,
    ) -> BoxFuture<'a, Result<Page<AuditEventView>, IamError>> {
        Box::pin(async move { Ok(self.audit_list_impl(actor, tenant_id, page).await?) })
    }

    fn audit_verify<'a>(&'a self, actor: &'a Actor) -> BoxFuture<'a, Result<AuditVerifyReport, IamError>> {
        Box::pin(async move { Ok(self.audit_verify_impl(actor).await?) })
    }
}

/// The login-failure counter of one account.
fn throttle_account_key(email: &str) -> String {
    format!("iam:login:account:{email}")
}

/// Another tenant's resource is "not found", never "forbidden": its id must not leak.
fn not_found_if_hidden(what: &'static str) -> impl Fn(IamError) -> IamError {
    move |err| match err {
        IamError::Denied(DenyReason::NotVisible) => IamError::NotFound(what),
        other => other,
    }
}

/// The authorizer every domain's service layer asks.
#[derive(Debug, Default, Clone, Copy)]
pub struct IamAuthorizer;

impl Authorizer for IamAuthorizer {
    fn authorize(&self, actor: &Actor, action: Action, resource: Resource) -> Decision {
        model::authorize(actor, action, resource)
    }
}

impl ingot_contracts::iam::AuditTrail for IamService {
    fn audit_in_tx<'a>(
        &'a self,
        tx: &'a mut Tx,
        actor: &'a Actor,
        entry: ingot_contracts::iam::AuditEntry,
    ) -> BoxFuture<'a, Result<(), DbError>> {
        Box::pin(async move {
            let record = AuditRecord::by(actor, entry.action, "success")
                .target(entry.target)
                .details(entry.details);
            audit_append_in_tx(tx, &record, self.clock.now()).await?;
            Ok(())
        })
    }
}

impl Authenticator for IamService {
    fn authenticate<'a>(
        &'a self,
        credential: &'a PresentedCredential,
    ) -> BoxFuture<'a, Result<Actor, AuthenticationError>> {
        Box::pin(async move {
            match credential {
                PresentedCredential::Bearer(secret) if secret.starts_with(API_TOKEN_PREFIX) => {
                    self.authenticate_token(secret).await
                }
                PresentedCredential::Bearer(secret) if secret.starts_with(SESSION_TOKEN_PREFIX) => {
                    self.authenticate_session(secret).await
                }
                PresentedCredential::SessionCookie(secret) => self.authenticate_session(secret).await,
                PresentedCredential::Bearer(_) => Err(AuthenticationError::InvalidCredential),
            }
        })
    }
}
