//! App Platform published language: the developer-facing resources built on the core domains —
//! SSH keys so far — their DTOs, errors and the service trait the HTTP layer and CLI call.

use ingot_kernel::Timestamp;
use ingot_kernel::id::{
    AllocationId, ClusterId, DeliveryId, ProjectId, SiteId, SshKeyId, TemplateId, TenantId, UserId, WebhookId,
};
use ingot_kernel::problem::{Code, Problem};
use serde::{Deserialize, Serialize};

use crate::BoxFuture;
use crate::allocation::{AllocationError, AllocationState};
use crate::iam::{Actor, DenyReason};

/// An SSH public key: a project's (any member may install it) or a user's own (installed only
/// by allocations that user makes), named by id in allocations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SshKeyView {
    pub id: SshKeyId,
    /// Absent for a user's own key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<ProjectId>,
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

/// The type of a template variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VariableKind {
    /// One line of printable text.
    String,
    Integer,
    Boolean,
    /// One of `choices`.
    Choice,
}

/// A typed variable a template's body uses as `{{ name }}` (or `{{ name | json }}`, quoted for
/// YAML and JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateVariable {
    /// `a-z`, `0-9`, `_`, starting with a letter; `ingot_` is reserved for what the platform
    /// fills in (clusters: `ingot_cluster_name`, `ingot_role`, `ingot_node_index`,
    /// `ingot_head_address`, `ingot_cluster_token`).
    pub name: String,
    pub kind: VariableKind,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Used when a render gives no value; a variable without one must be given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Any JSON value of the variable's kind (a string, a number, a list, …).
    #[schema(value_type = Option<serde_json::Value>)]
    pub default: Option<serde_json::Value>,
    /// The allowed values of a `choice`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<String>,
}

/// A cloud-init user-data template: a project's own, or one of the built-ins every project sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TemplateView {
    /// `None` for a built-in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<TemplateId>,
    /// Unique in the project; built-ins are named `ingot-…`.
    pub name: String,
    pub description: String,
    pub builtin: bool,
    pub variables: Vec<TemplateVariable>,
    /// `#cloud-config` YAML or a script (`#!…`), with `{{ variable }}` placeholders.
    pub body: String,
    /// Starts at 1, bumped by every change.
    pub version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<Timestamp>,
}

impl TemplateView {
    /// A value given as text (a CLI `--var`, a web form line), typed by this template's
    /// declaration; a name it does not declare (or a platform `ingot_…` name) stays text, for the
    /// server to judge. Err says what the text should have been.
    pub fn value_typed(&self, name: &str, text: &str) -> Result<serde_json::Value, String> {
        let kind = self.variables.iter().find(|v| v.name == name).map(|v| v.kind);
        match kind {
            Some(VariableKind::Integer) => text
                .parse::<i64>()
                .map(serde_json::Value::from)
                .map_err(|_| format!("{name}: {text} is not an integer")),
            Some(VariableKind::Boolean) => text
                .parse::<bool>()
                .map(serde_json::Value::Bool)
                .map_err(|_| format!("{name}: true or false")),
            _ => Ok(serde_json::Value::String(text.to_string())),
        }
    }
}

/// `POST /v1/projects/{project_id}/templates` and `PUT …/templates/{template}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateRequest {
    /// 1–64 of `a-z`, `0-9`, `-`; not starting with `ingot-`.
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub variables: Vec<TemplateVariable>,
    /// At most 16 KiB.
    pub body: String,
}

/// `POST /v1/projects/{project_id}/templates/{template}/render`: a template and values for its
/// variables, as an allocation names them too.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateValues {
    #[serde(default)]
    #[schema(value_type = Object)]
    pub variables: serde_json::Map<String, serde_json::Value>,
}

impl std::fmt::Debug for TemplateValues {
    // Values given to templates may be secrets: only their names are shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TemplateValues")
            .field("variables", &self.variables.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// What user-data is, once checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UserDataKind {
    /// `#cloud-config` YAML, a mapping.
    CloudConfig,
    /// A script cloud-init runs once (`#!` and an interpreter).
    Script,
}

/// A rendered template, checked as any user-data is before a deploy.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RenderedUserData {
    pub template: String,
    pub version: u32,
    pub kind: UserDataKind,
    pub bytes: u32,
    pub user_data: String,
}

impl std::fmt::Debug for RenderedUserData {
    // Rendered user-data may carry secrets given as variables.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RenderedUserData")
            .field("template", &self.template)
            .field("version", &self.version)
            .field("kind", &self.kind)
            .field("bytes", &self.bytes)
            .finish_non_exhaustive()
    }
}

/// A project's subscription of a URL to event types.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WebhookView {
    pub id: WebhookId,
    pub project_id: ProjectId,
    pub url: String,
    /// Event types (`node.active`), families (`allocation.*`) or `*`.
    pub events: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub enabled: bool,
    pub created_by: UserId,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// `POST /v1/projects/{project_id}/webhooks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookCreateRequest {
    /// `https://…` (plain http and private addresses only in the test and embedded profiles).
    pub url: String,
    /// Event types (`node.active`), families (`allocation.*`) or `*`; see `GET /v1/webhook-events`.
    pub events: Vec<String>,
    #[serde(default)]
    pub description: String,
}

/// `PATCH /v1/projects/{project_id}/webhooks/{webhook_id}`: what is given changes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookUpdateRequest {
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub events: Option<Vec<String>>,
    #[serde(default)]
    pub description: Option<String>,
    /// A disabled webhook keeps its undelivered events until it is enabled again.
    #[serde(default)]
    pub enabled: Option<bool>,
}

/// A new webhook and its signing secret, shown this once.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WebhookCreated {
    pub webhook: WebhookView,
    /// `whsec_…`: the HMAC-SHA256 key of the `Ingot-Signature` header. Kept sealed; never shown
    /// again.
    pub secret: String,
}

impl std::fmt::Debug for WebhookCreated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookCreated")
            .field("webhook", &self.webhook)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// A webhook was created: its follower delivers the events after this one in the outbox (so a
/// webhook never receives what happened before it existed, whatever the clocks say).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookSubscribed {
    pub webhook_id: WebhookId,
    pub project_id: ProjectId,
    pub tenant_id: TenantId,
    pub at: Timestamp,
}

domain_event!(WebhookSubscribed, "app.webhook_subscribed", "app-platform", subject: webhook_id, tenant: tenant_id);

/// An event type a webhook can subscribe to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WebhookEventType {
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Waiting for its first or next attempt.
    Pending,
    /// The receiver answered 2xx.
    Delivered,
    /// Every attempt failed; it can be redelivered by hand.
    Failed,
}

/// One try at delivering.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DeliveryAttempt {
    pub attempt: u32,
    pub at: Timestamp,
    /// The receiver's HTTP status, when it answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Why it failed: the status, a timeout, a refused connection, a refused destination.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub duration_ms: u64,
}

/// One event's delivery to one webhook, with every attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DeliveryView {
    pub id: DeliveryId,
    pub webhook_id: WebhookId,
    /// The event's id: the same on every attempt and redelivery (receivers dedupe on it).
    pub event_id: String,
    pub event_type: String,
    pub state: DeliveryState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_attempt_at: Option<Timestamp>,
    pub created_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<Timestamp>,
    pub attempts: Vec<DeliveryAttempt>,
    /// The JSON body sent.
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
}

/// `POST /v1/projects/{project_id}/clusters`: a head node and `workers` worker nodes, each its
/// own allocation, their user-data rendered from one template with the cluster's wiring
/// (`ingot_cluster_name`, `ingot_role`, `ingot_node_index`, `ingot_head_address` — the head's
/// host name —, `ingot_cluster_token`).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClusterCreateRequest {
    /// 1–40 of `a-z`, `0-9`, `-`, unique among the project's clusters.
    pub name: String,
    /// A template's id or name, such as `ingot-k3s-cluster`.
    pub template: String,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub variables: serde_json::Map<String, serde_json::Value>,
    /// The head node's SKU.
    pub sku: String,
    /// The workers' SKU [default: the head's].
    #[serde(default)]
    pub worker_sku: Option<String>,
    /// 0–64.
    pub workers: u32,
    #[serde(default)]
    pub site: Option<String>,
    #[serde(default)]
    pub image: Option<String>,
    /// Key ids of the project or OpenSSH public keys, installed on every node.
    #[serde(default)]
    pub ssh_keys: Vec<String>,
}

impl std::fmt::Debug for ClusterCreateRequest {
    // Values given to templates may be secrets: only their names are shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClusterCreateRequest")
            .field("name", &self.name)
            .field("template", &self.template)
            .field("sku", &self.sku)
            .field("workers", &self.workers)
            .field("variables", &self.variables.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// `POST /v1/projects/{project_id}/clusters/{cluster}/scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClusterScaleRequest {
    /// The number of workers wanted, 0–64: more are allocated, the newest are released.
    pub workers: u32,
}

/// A cluster's state, from its nodes'.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClusterState {
    /// Nodes are being assigned and deployed.
    Provisioning,
    /// Every node is active.
    Active,
    /// A node failed or ended without being asked to: the rest keep running.
    Degraded,
    /// Being deleted: its nodes are being released.
    Deleting,
    /// Every node released.
    Deleted,
}

/// One node of a cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ClusterNodeView {
    /// `head` or `worker`.
    pub role: String,
    /// 0 for the head, 1… for workers, never reused.
    pub index: u32,
    pub allocation_id: AllocationId,
    pub state: AllocationState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    pub ip_addresses: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_command: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ClusterView {
    pub id: ClusterId,
    pub project_id: ProjectId,
    pub name: String,
    pub template: String,
    pub state: ClusterState,
    pub sku: String,
    pub worker_sku: String,
    pub workers: u32,
    /// Live nodes, the head first.
    pub nodes: Vec<ClusterNodeView>,
    /// Nodes active of those live.
    pub active: u32,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppPlatformError {
    #[error("not allowed")]
    Denied(DenyReason),
    #[error("no such {0}")]
    NotFound(&'static str),
    #[error("invalid request")]
    Invalid(Vec<(String, String)>),
    /// The project (or the user) has this key already.
    #[error("this key is there already ({0})")]
    DuplicateKey(String),
    /// A concurrent change came first, or the resource's state forbids it.
    #[error("{0}")]
    Conflict(String),
    /// The name is taken in the project.
    #[error("the project already has a {0} named {1}")]
    DuplicateName(&'static str, String),
    #[error("{0} is unavailable")]
    Unavailable(&'static str),
    /// Allocation's answer, for what a cluster asked of it.
    #[error("allocation: {0}")]
    Allocation(AllocationError),
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
                .detail(format!("this key is there already ({fingerprint})"))
                .field("public_key", "already added"),
            AppPlatformError::Conflict(why) => Problem::new(Code::Conflict).detail(why),
            AppPlatformError::DuplicateName(what, name) => Problem::new(Code::Conflict)
                .detail(format!("the project already has a {what} named {name}"))
                .field("name", "taken in this project"),
            AppPlatformError::Unavailable(what) => {
                Problem::new(Code::Unavailable).detail(format!("{what} is unavailable"))
            }
            AppPlatformError::Allocation(err) => err.into(),
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
    /// The caller's own keys.
    fn my_ssh_keys_list<'a>(&'a self, actor: &'a Actor) -> Answer<'a, Vec<SshKeyView>>;
    fn my_ssh_key_create<'a>(
        &'a self,
        actor: &'a Actor,
        request: SshKeyCreateRequest,
    ) -> Answer<'a, SshKeyView>;
    fn my_ssh_key_delete<'a>(&'a self, actor: &'a Actor, key_id: SshKeyId) -> Answer<'a, ()>;
    /// The built-ins, then the project's own, by name.
    fn templates_list<'a>(&'a self, actor: &'a Actor, project_id: ProjectId)
    -> Answer<'a, Vec<TemplateView>>;
    /// `template`: an id or a name.
    fn template_get<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        template: &'a str,
    ) -> Answer<'a, TemplateView>;
    fn template_create<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        request: TemplateRequest,
    ) -> Answer<'a, TemplateView>;
    /// Replaces a project template whole; its version goes up by one.
    fn template_replace<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        template: &'a str,
        request: TemplateRequest,
    ) -> Answer<'a, TemplateView>;
    fn template_delete<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        template: &'a str,
    ) -> Answer<'a, ()>;
    /// The event types a webhook can subscribe to.
    fn webhook_event_types(&self) -> Vec<WebhookEventType>;
    fn webhooks_list<'a>(&'a self, actor: &'a Actor, project_id: ProjectId) -> Answer<'a, Vec<WebhookView>>;
    fn webhook_create<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        request: WebhookCreateRequest,
    ) -> Answer<'a, WebhookCreated>;
    fn webhook_get<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        webhook_id: WebhookId,
    ) -> Answer<'a, WebhookView>;
    fn webhook_update<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        webhook_id: WebhookId,
        request: WebhookUpdateRequest,
    ) -> Answer<'a, WebhookView>;
    /// Deletes the webhook and its delivery log.
    fn webhook_delete<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        webhook_id: WebhookId,
    ) -> Answer<'a, ()>;
    /// The webhook's deliveries, newest first (at most `limit`, 1–200).
    fn deliveries_list<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        webhook_id: WebhookId,
        limit: u32,
    ) -> Answer<'a, Vec<DeliveryView>>;
    /// Sends a delivery again now, whatever its state; attempts go on counting.
    fn delivery_redeliver<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        webhook_id: WebhookId,
        delivery_id: DeliveryId,
    ) -> Answer<'a, DeliveryView>;
    fn clusters_list<'a>(&'a self, actor: &'a Actor, project_id: ProjectId) -> Answer<'a, Vec<ClusterView>>;
    /// Allocates the head, then every worker; all or nothing (what was allocated is released
    /// when a later node is refused).
    fn cluster_create<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        request: ClusterCreateRequest,
    ) -> Answer<'a, ClusterView>;
    /// `cluster`: an id or a name.
    fn cluster_get<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        cluster: &'a str,
    ) -> Answer<'a, ClusterView>;
    fn cluster_scale<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        cluster: &'a str,
        request: ClusterScaleRequest,
    ) -> Answer<'a, ClusterView>;
    /// Releases every node; the cluster shows `deleting`, then `deleted`.
    fn cluster_delete<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        cluster: &'a str,
    ) -> Answer<'a, ClusterView>;
    /// Renders with `values` and checks the result as a deploy would; nothing is kept.
    fn template_render<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        template: &'a str,
        values: TemplateValues,
    ) -> Answer<'a, RenderedUserData>;
}
