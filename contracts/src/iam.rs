//! IAM published language: who is calling (`Actor`), how credentials are checked
//! (`Authenticator`) and the one authorization function every service layer asks (`Authorizer`).

use std::collections::BTreeSet;

use ingot_kernel::id::{ApiTokenId, SessionId, TenantId, UserId};
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

/// Who is calling, as established by authentication. Built only by IAM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<UserId>,
    pub credential: Option<CredentialRef>,
    pub platform_roles: BTreeSet<PlatformRole>,
}

impl Actor {
    /// No credential was presented.
    pub fn anonymous() -> Actor {
        Actor {
            user_id: None,
            credential: None,
            platform_roles: BTreeSet::new(),
        }
    }

    pub fn is_authenticated(&self) -> bool {
        self.user_id.is_some()
    }

    pub fn has_platform_role(&self, role: PlatformRole) -> bool {
        self.platform_roles.contains(&role)
    }
}

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    OwnershipRead,
}

/// What the action is applied to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    Platform,
    Tenant(TenantId),
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
}

impl From<DenyReason> for Problem {
    fn from(reason: DenyReason) -> Problem {
        match reason {
            DenyReason::Unauthenticated => Problem::new(Code::Unauthenticated),
            DenyReason::MissingRole => Problem::new(Code::Forbidden),
        }
    }
}

/// The one authorization function: (actor, action, resource) → allow | deny(reason). Pure, so it
/// is tested as a table. Every domain's service layer asks it before acting.
pub trait Authorizer: Send + Sync {
    fn authorize(&self, actor: &Actor, action: Action, resource: Resource) -> Decision;
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
