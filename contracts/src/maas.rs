//! Provisioning.BareMetal.MAAS published language: how an operator binds a site to its MAAS
//! region and sets the site's policy, what an onboarding pass reports, the events the domain
//! emits, and the service trait the HTTP layer calls. MAAS's own wire vocabulary stays in the
//! domain crate; nothing here names a MAAS status or identifier.

use ingot_kernel::Timestamp;
use ingot_kernel::id::{AllocationId, NodeId, SiteId, TenantId};
use ingot_kernel::problem::{Code, Problem};
use serde::{Deserialize, Serialize};

use crate::BoxFuture;
use crate::iam::{Actor, DenyReason};

/// How disks are erased when a machine is released.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EraseMode {
    None,
    /// Wipe the partition tables and the start and end of each disk.
    #[default]
    Quick,
    /// The disks' own secure erase.
    Secure,
}

/// A weekly window in which disruptive operator work (reimage, decommission) may run, in UTC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MaintenanceWindow {
    /// `mon` … `sun`.
    pub weekday: String,
    /// `HH:MM`, UTC.
    pub start: String,
    pub duration_minutes: u32,
}

/// What decommissioning does with a machine in MAAS once it is erased.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecommissionMode {
    /// Delete it from the region.
    Remove,
    /// Keep it, tagged `retired`.
    #[default]
    Tag,
}

/// What the site lets the control plane do with its machines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SitePolicy {
    /// Only machines in this zone belong to the site (all zones when absent).
    pub zone: Option<String>,
    /// Only machines in this resource pool belong to the site (all pools when absent).
    pub pool: Option<String>,
    /// Images tenants may deploy (`jammy`, `noble`); the first is the default.
    pub allowed_images: Vec<String>,
    /// Deployments running at once at this site; more wait their turn.
    pub max_concurrent_deploys: u32,
    pub erase_on_release: EraseMode,
    /// Commission machines that appear NEW without an operator's word.
    pub auto_commission: bool,
    pub maintenance_window: Option<MaintenanceWindow>,
    /// Let reconciliation repair what it finds (release machines this control plane left
    /// deployed, power on a tenant's machine confirmed off, abort stuck operations); otherwise
    /// it only reports.
    pub auto_repair: bool,
    /// How long a machine may stay commissioning, deploying, releasing or erasing before it
    /// counts as stuck.
    pub transitional_timeout_minutes: u32,
    pub decommission: DecommissionMode,
}

impl Default for SitePolicy {
    fn default() -> SitePolicy {
        SitePolicy {
            zone: None,
            pool: None,
            allowed_images: vec!["jammy".into(), "noble".into()],
            max_concurrent_deploys: 8,
            erase_on_release: EraseMode::Quick,
            auto_commission: true,
            maintenance_window: None,
            auto_repair: true,
            transitional_timeout_minutes: 45,
            decommission: DecommissionMode::Tag,
        }
    }
}

/// `PUT /v1/admin/sites/{site}/maas`. Its `Debug` never shows the key.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteBindingRequest {
    /// The region's base URL, such as `http://maas.fra1.example:5240/MAAS`.
    pub url: String,
    /// `consumer:token:secret`; required the first time, kept when omitted later. Stored
    /// encrypted, never returned or logged.
    #[serde(default)]
    pub api_key: Option<String>,
    #[serde(default)]
    pub policy: SitePolicy,
}

impl std::fmt::Debug for SiteBindingRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SiteBindingRequest")
            .field("url", &self.url)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("policy", &self.policy)
            .finish()
    }
}

/// A site's binding as served: never the key itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SiteBindingView {
    pub site_id: SiteId,
    pub site: String,
    pub url: String,
    /// The key's first part, to tell keys apart; the secret parts are never shown.
    pub api_key_id: String,
    pub policy: SitePolicy,
    pub updated_at: Timestamp,
}

/// What one onboarding pass did at a site.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OnboardReport {
    /// Machines of the site seen in the region.
    pub seen: u32,
    /// New machines sent to commissioning in this pass.
    pub commissioning_started: u32,
    /// Machines still commissioning.
    pub commissioning: u32,
    /// Machines handed to Inventory (new or refreshed) in this pass.
    pub registered: u32,
    /// Machines whose commissioning failed (each reported once as an event).
    pub failed: u32,
    /// New machines waiting for an operator (auto-commission off).
    pub awaiting_operator: u32,
    /// Machines whose step failed this pass (logged; retried next pass).
    pub errors: u32,
}

/// `POST /v1/admin/nodes/{node_id}/reimage` and `…/decommission`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NodeOperationRequest {
    /// Why: kept with the operation and in the audit log.
    pub reason: String,
}

/// An operator's workflow on one node: drained (maintenance), erased with the disks' secure
/// erase, then re-commissioned and returned (reimage) or removed or tagged and retired
/// (decommission).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NodeOperationView {
    pub id: String,
    pub node_id: NodeId,
    /// `reimage` or `decommission`.
    pub kind: String,
    /// `erasing`, `commissioning`, `removing`, `done`, `failed`.
    pub phase: String,
    pub reason: String,
    pub started_at: Timestamp,
    pub finished_at: Option<Timestamp>,
    /// Why it failed, in the provisioning system's words.
    pub message: Option<String>,
}

/// One disagreement between a site's region and what the control plane expects, as kept in
/// the site's drift history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DriftView {
    pub id: String,
    pub site_id: SiteId,
    /// The machine's identifier in the provisioning system.
    pub machine_ref: String,
    pub node_id: Option<NodeId>,
    /// `deployed_without_allocation`, `allocation_machine_lost`, `power_drift`,
    /// `unknown_machine`, `stuck_transitional`.
    pub kind: String,
    pub detail: String,
    /// `observe_again`, `report`, `release`, `power_on`, `abort`.
    pub repair: String,
    /// When the repair was carried out, if it was.
    pub repaired_at: Option<Timestamp>,
    /// Whether a tenant was paying for a machine it could not use.
    pub tenant_cost: bool,
    pub found_at: Timestamp,
    /// The reconciliation pass that found it.
    pub found_by_pass: String,
    pub last_seen_at: Timestamp,
    /// When a later pass no longer found it; absent while it lasts.
    pub resolved_at: Option<Timestamp>,
}

/// What one reconciliation pass at a site did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReconcileReport {
    pub pass_id: String,
    pub machines: u32,
    /// Drift found this pass (new or ongoing).
    pub findings: u32,
    pub new: u32,
    pub resolved: u32,
    pub repairs: u32,
    /// Requests made to the region.
    pub requests: u32,
}

/// A drift was found (once per drift, when first seen).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriftFound {
    pub site_id: SiteId,
    pub machine_ref: String,
    pub node_id: Option<NodeId>,
    pub kind: String,
    pub detail: String,
    pub repair: String,
    pub tenant_cost: bool,
}

/// Commissioning a machine failed; `message` is the provisioning system's own words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MachineOnboardingFailed {
    pub site_id: SiteId,
    /// The machine's identifier in the provisioning system.
    pub machine_ref: String,
    pub hostname: String,
    pub message: String,
    pub node_id: Option<NodeId>,
}

/// The node is deployed for its allocation: reachable at `ip_addresses` from `deployed_at`, the
/// moment the provisioning system reported it deployed (metering starts there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeDeployed {
    pub allocation_id: AllocationId,
    pub tenant_id: TenantId,
    pub node_id: NodeId,
    pub image: String,
    pub ip_addresses: Vec<String>,
    pub deploy_started_at: Timestamp,
    pub deployed_at: Timestamp,
}

/// Deploying the node failed; `reason` is the provisioning system's account. The machine is
/// being given back; Allocation may try another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeDeployFailed {
    pub allocation_id: AllocationId,
    pub tenant_id: TenantId,
    pub node_id: NodeId,
    pub reason: String,
    pub at: Timestamp,
}

/// The node is released and (per the site's policy) erased: clean for the next tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeReleaseCompleted {
    pub allocation_id: AllocationId,
    pub tenant_id: TenantId,
    pub node_id: NodeId,
    pub erase: EraseMode,
    /// When the release (and erase) finished.
    pub at: Timestamp,
}

domain_event!(DriftFound, "baremetal.drift_found", "provisioning-baremetal-maas", subject: machine_ref, tenant: none);
domain_event!(MachineOnboardingFailed, "baremetal.machine_onboarding_failed", "provisioning-baremetal-maas", subject: machine_ref, tenant: none);
domain_event!(NodeDeployed, "baremetal.node_deployed", "provisioning-baremetal-maas", subject: node_id, tenant: tenant_id);
domain_event!(NodeDeployFailed, "baremetal.node_deploy_failed", "provisioning-baremetal-maas", subject: node_id, tenant: tenant_id);
domain_event!(NodeReleaseCompleted, "baremetal.node_release_completed", "provisioning-baremetal-maas", subject: node_id, tenant: tenant_id);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MaasError {
    #[error("not allowed")]
    Denied(DenyReason),
    #[error("no such {0}")]
    NotFound(&'static str),
    #[error("invalid request")]
    Invalid(Vec<(String, String)>),
    /// The node serves an allocation: drain it first.
    #[error("the node is assigned to an allocation")]
    NodeAssigned,
    /// The state does not allow it now (an operation already running, a state Inventory refuses).
    #[error("{0}")]
    Conflict(String),
    /// The region refused or could not be reached; the message says which, in its words.
    #[error("the site's provisioning system: {0}")]
    Upstream(String),
    /// A dependency (the database) is down for now: retry after a moment.
    #[error("{0} is unavailable")]
    Unavailable(&'static str),
    #[error("internal error")]
    Internal,
}

impl MaasError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> MaasError {
        MaasError::Invalid(vec![(field.into(), message.into())])
    }
}

impl From<DenyReason> for MaasError {
    fn from(reason: DenyReason) -> MaasError {
        MaasError::Denied(reason)
    }
}

impl From<MaasError> for Problem {
    fn from(err: MaasError) -> Problem {
        match err {
            MaasError::Denied(reason) => reason.into(),
            MaasError::NotFound(what) => Problem::new(Code::NotFound).detail(format!("no such {what}")),
            MaasError::Invalid(fields) => Problem::invalid_fields(fields),
            MaasError::NodeAssigned => Problem::new(Code::NodeAssigned),
            MaasError::Conflict(why) => Problem::new(Code::Conflict).detail(why),
            MaasError::Upstream(why) => Problem::new(Code::Unavailable).detail(why),
            MaasError::Unavailable(what) => {
                Problem::new(Code::Unavailable).detail(format!("{what} is unavailable"))
            }
            MaasError::Internal => Problem::new(Code::Internal),
        }
    }
}

type Answer<'a, T> = BoxFuture<'a, Result<T, MaasError>>;

/// The MAAS domain's service, as the HTTP layer calls it. Sites are named as in URLs.
pub trait MaasApi: Send + Sync {
    fn binding_get<'a>(&'a self, actor: &'a Actor, site: &'a str) -> Answer<'a, SiteBindingView>;
    /// Checks the key against the region before it is stored.
    fn binding_set<'a>(
        &'a self,
        actor: &'a Actor,
        site: &'a str,
        request: SiteBindingRequest,
    ) -> Answer<'a, SiteBindingView>;
    /// One onboarding pass now.
    fn onboard<'a>(&'a self, actor: &'a Actor, site: &'a str) -> Answer<'a, OnboardReport>;
    /// One reconciliation pass now.
    fn reconcile<'a>(&'a self, actor: &'a Actor, site: &'a str) -> Answer<'a, ReconcileReport>;
    /// Drains the node, erases it securely, re-commissions it and returns it to service.
    fn node_reimage<'a>(
        &'a self,
        actor: &'a Actor,
        node_id: NodeId,
        request: NodeOperationRequest,
    ) -> Answer<'a, NodeOperationView>;
    /// Drains the node, erases it securely, removes or tags it in its region and retires it.
    fn node_decommission<'a>(
        &'a self,
        actor: &'a Actor,
        node_id: NodeId,
        request: NodeOperationRequest,
    ) -> Answer<'a, NodeOperationView>;
    /// The site's drift, open first, newest first; `all` includes resolved history.
    fn drift_list<'a>(&'a self, actor: &'a Actor, site: &'a str, all: bool) -> Answer<'a, Vec<DriftView>>;
}

/// An image tenants may deploy at a site: its region offers it and the site's policy allows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SiteImage {
    /// What an allocation names as its `image`: `jammy`, `noble`.
    pub name: String,
    /// `ubuntu`, `custom`…
    pub os: String,
    /// `Ubuntu 22.04 LTS`.
    pub title: String,
    /// `amd64`, `arm64`…
    pub architectures: Vec<String>,
    /// Deployed when an allocation names none: the first the policy allows.
    pub default: bool,
}

/// The images one bound site offers tenants, as of its last image sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SiteImages {
    pub site_id: SiteId,
    /// In the policy's order.
    pub images: Vec<SiteImage>,
    /// When the region's images were last read; `None` until the first sync.
    pub synced_at: Option<Timestamp>,
}

/// What the MAAS domain tells the developer-facing layer about images, without MAAS's words:
/// every bound site's deployable, allowed images. Not an actor's call: callers authorize.
pub trait SiteImageCatalog: Send + Sync {
    fn site_images(&self) -> BoxFuture<'_, Result<Vec<SiteImages>, MaasError>>;
}
