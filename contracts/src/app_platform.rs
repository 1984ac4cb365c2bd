//! App Platform published language: the developer-facing resources built on the core domains —
//! SSH keys so far — their DTOs, errors and the service trait the HTTP layer and CLI call.

use ingot_kernel::Timestamp;
use ingot_kernel::id::{ProjectId, SiteId, SshKeyId, UserId};
use ingot_kernel::problem::{Code, Problem};
use serde::{Deserialize, Serialize};

use crate::BoxFuture;
use crate::iam::{Actor, DenyReason};

/// One of a project's SSH public keys, installed on the machines its allocations deploy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SshKeyView {
    pub id: SshKeyId,
    pub project_id: ProjectId,
    /// A name to tell keys apart: `alice laptop`.
    pub name: String,
    /// `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`, …
    pub kind: String,
    pub bits: u32,
    /// `SHA256:…`, as `ssh-keygen -l` shows it.
    pub fingerprint: String,
    /// `TYPE BASE64`, as it goes into `authorized_keys`.
    pub public_key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    pub added_by: UserId,
    pub created_at: Timestamp,
}

/// An OS image a tenant may deploy at a site (`GET /v1/images`): the site's region offers it and
/// the site's policy allows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ImageView {
    pub site: String,
    pub site_id: SiteId,
    /// What an allocation names as `image`: `jammy`.
    pub name: String,
    pub os: String,
    /// `Ubuntu 22.04 LTS`.
    pub title: String,
    pub architectures: Vec<String>,
    /// Deployed at this site when an allocation names no image.
    pub default: bool,
    /// When the site's images were last read off its region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub synced_at: Option<Timestamp>,
}

/// `POST /v1/projects/{project_id}/ssh-keys`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SshKeyCreateRequest {
    /// 1–100 characters.
    pub name: String,
    /// One OpenSSH public key line: ed25519, ECDSA (P-256/384/521) or RSA of at least 3072 bits.
    pub public_key: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppPlatformError {
    #[error("not allowed")]
    Denied(DenyReason),
    #[error("no such {0}")]
    NotFound(&'static str),
    #[error("invalid request")]
    Invalid(Vec<(String, String)>),
    /// The project has this key already.
    #[error("the project already has this key ({0})")]
    DuplicateKey(String),
    #[error("{0} is unavailable")]
    Unavailable(&'static str),
    #[error("internal error")]
    Internal,
}

impl From<DenyReason> for AppPlatformError {
    fn from(reason: DenyReason) -> AppPlatformError {
        AppPlatformError::Denied(reason)
    }
}

impl From<AppPlatformError> for Problem {
    fn from(err: AppPlatformError) -> Problem {
        match err {
            AppPlatformError::Denied(reason) => reason.into(),
            AppPlatformError::NotFound(what) => {
                Problem::new(Code::NotFound).detail(format!("no such {what}"))
            }
            AppPlatformError::Invalid(fields) => Problem::invalid_fields(fields),
            AppPlatformError::DuplicateKey(fingerprint) => Problem::new(Code::Conflict)
                .detail(format!("the project already has this key ({fingerprint})"))
                .field("public_key", "already added to this project"),
            AppPlatformError::Unavailable(what) => {
                Problem::new(Code::Unavailable).detail(format!("{what} is unavailable"))
            }
            AppPlatformError::Internal => Problem::new(Code::Internal),
        }
    }
}

pub type Answer<'a, T> = BoxFuture<'a, Result<T, AppPlatformError>>;

/// App Platform's service. Every call is authorized against `actor`.
pub trait AppPlatformApi: Send + Sync {
    /// Images by site, the site's default first; `site` (a name) narrows to one site.
    fn images_list<'a>(&'a self, actor: &'a Actor, site: Option<&'a str>) -> Answer<'a, Vec<ImageView>>;
    fn ssh_keys_list<'a>(&'a self, actor: &'a Actor, project_id: ProjectId) -> Answer<'a, Vec<SshKeyView>>;
    fn ssh_key_create<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        request: SshKeyCreateRequest,
    ) -> Answer<'a, SshKeyView>;
    fn ssh_key_delete<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        key_id: SshKeyId,
    ) -> Answer<'a, ()>;
}
