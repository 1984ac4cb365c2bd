//! Provisioning.Allocation published language: the allocation DTOs and routes' service trait, the
//! assignment events Inventory counts capacity from, the deploy and release requests the
//! provisioning domain acts on, the metering events Billing charges from, and the evacuation call
//! Inventory makes when an operator forces maintenance on an assigned node.

use ingot_kernel::id::{AllocationId, NodeId, ProjectId, SiteId, SkuId, TenantId};
use ingot_kernel::page::Page;
use ingot_kernel::problem::{Code, Problem};
use ingot_kernel::{Money, Timestamp};
use serde::{Deserialize, Serialize};

use crate::BoxFuture;
use crate::iam::{Actor, DenyReason};

/// A node was bound to an allocation (Allocation's fact; Inventory counts it as assigned).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeAssigned {
    pub allocation_id: AllocationId,
    pub tenant_id: TenantId,
    pub node_id: NodeId,
}

/// A node left its allocation after a clean release and may be counted as free again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeReleased {
    pub allocation_id: AllocationId,
    pub tenant_id: TenantId,
    pub node_id: NodeId,
    /// When its release (and erase) completed.
    #[serde(default)]
    pub at: Option<Timestamp>,
}

/// An allocation was admitted: its nodes are assigned and their deploys requested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationRequested {
    pub allocation_id: AllocationId,
    pub tenant_id: TenantId,
    pub project_id: ProjectId,
    pub sku_id: SkuId,
    pub site_id: SiteId,
    pub node_count: u32,
    pub at: Timestamp,
    /// The SKU's and site's names when admitted, for readers that show them.
    #[serde(default)]
    pub sku_name: String,
    #[serde(default)]
    pub site_name: String,
}

/// An allocation's state moved (read off its nodes'), with the reason its history records.
/// Its end is also announced as [`AllocationEnded`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationStateChanged {
    pub allocation_id: AllocationId,
    pub tenant_id: TenantId,
    pub state: AllocationState,
    pub reason: String,
    pub at: Timestamp,
}

/// A tenant's quotas were replaced by an operator: the whole set as it now stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotasChanged {
    pub tenant_id: TenantId,
    pub quotas: Vec<QuotaEntry>,
    pub at: Timestamp,
}

/// An allocation ended: every node it held is given back clean. `state` is `released` or
/// `failed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationEnded {
    pub allocation_id: AllocationId,
    pub tenant_id: TenantId,
    pub state: AllocationState,
    pub reason: String,
    pub at: Timestamp,
}

/// Allocation asks the node's provisioning to image it for the tenant. Repeats (same allocation
/// and node) change nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeDeployRequested {
    pub allocation_id: AllocationId,
    pub tenant_id: TenantId,
    pub node_id: NodeId,
    /// An image the site allows, such as `jammy`.
    pub image: String,
    /// OpenSSH public keys to install for the tenant.
    pub ssh_keys: Vec<String>,
    /// The tenant's cloud-init user-data, sealed with the installation key under
    /// [`user_data_seal_context`]: user-data often carries secrets, and events are stored.
    #[serde(default)]
    pub user_data_sealed: Option<String>,
}

/// The sealing context of an allocation's user-data: Allocation seals, the provisioning domain
/// opens, nothing else can.
pub fn user_data_seal_context(allocation_id: AllocationId) -> String {
    format!("allocation-user-data:{allocation_id}")
}

/// Allocation asks to take the node back (release, force-release, expiry, failure). The node is
/// free only once provisioning reports the release complete (erasing included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeReleaseRequested {
    pub allocation_id: AllocationId,
    pub tenant_id: TenantId,
    pub node_id: NodeId,
    pub reason: String,
}

/// The node is the tenant's to use from `at` (its provisioning reported it deployed): metering
/// starts there. Sent once per node of an allocation; repeats carry the same values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeMeteringStarted {
    pub allocation_id: AllocationId,
    pub tenant_id: TenantId,
    pub node_id: NodeId,
    pub sku_id: SkuId,
    pub site_id: SiteId,
    pub at: Timestamp,
}

/// Metering of the node stops at `at`: released, force-released, expired or out of money.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeMeteringStopped {
    pub allocation_id: AllocationId,
    pub tenant_id: TenantId,
    pub node_id: NodeId,
    pub at: Timestamp,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvacuationError {
    #[error("the allocation cannot be moved or ended: {0}")]
    Refused(String),
    #[error("allocation service unavailable")]
    Unavailable,
}

/// Asked by Inventory when an operator forces maintenance on an assigned node: move the
/// allocation elsewhere or end it. Returns once the node is no longer needed by it.
pub trait NodeEvacuation: Send + Sync {
    fn node_evacuate<'a>(
        &'a self,
        node_id: NodeId,
        reason: &'a str,
    ) -> BoxFuture<'a, Result<(), EvacuationError>>;
}

/// A template an allocation's user-data is rendered from, with values for its variables.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateChoice {
    /// The template's id or name (built-ins by name, such as `ingot-docker-host`).
    pub name: String,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub variables: serde_json::Map<String, serde_json::Value>,
}

impl std::fmt::Debug for TemplateChoice {
    // Values given to templates may be secrets: only their names are shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TemplateChoice")
            .field("name", &self.name)
            .field("variables", &self.variables.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// What an allocation asks to install on its machines, as the tenant gave it.
#[derive(Debug, Clone, Copy)]
pub struct LaunchAsk<'a> {
    /// Key ids of the project (`key_…`) or OpenSSH public key lines.
    pub ssh_keys: &'a [String],
    pub user_data: Option<&'a str>,
    pub template: Option<&'a TemplateChoice>,
}

/// What is installed: every key as an `authorized_keys` line, the user-data checked.
#[derive(Clone, PartialEq, Eq)]
pub struct LaunchInputs {
    pub ssh_keys: Vec<String>,
    pub user_data: Option<String>,
}

impl std::fmt::Debug for LaunchInputs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LaunchInputs")
            .field("ssh_keys", &self.ssh_keys.len())
            .field("user_data", &self.user_data.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LaunchInputsError {
    /// Field errors, named as in the allocation request (`ssh_keys[1]`, `user_data`,
    /// `template.variables.NAME`).
    #[error("invalid launch inputs")]
    Invalid(Vec<(String, String)>),
    #[error("launch inputs unavailable")]
    Unavailable,
}

/// Asked by Allocation before it admits a request: resolves the keys named by id, checks every
/// key, checks the user-data or renders the template. App Platform (which owns keys, templates
/// and cloud-init) answers; Allocation depends on this trait only. `actor` has been authorized
/// to allocate in `project_id` already.
pub trait LaunchInputsResolver: Send + Sync {
    fn launch_inputs<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        ask: LaunchAsk<'a>,
    ) -> BoxFuture<'a, Result<LaunchInputs, LaunchInputsError>>;
}

domain_event!(NodeAssigned, "allocation.node_assigned", "provisioning-allocation", subject: node_id, tenant: tenant_id);
domain_event!(NodeReleased, "allocation.node_released", "provisioning-allocation", subject: node_id, tenant: tenant_id);
domain_event!(NodeDeployRequested, "allocation.node_deploy_requested", "provisioning-allocation", subject: node_id, tenant: tenant_id);
domain_event!(NodeReleaseRequested, "allocation.node_release_requested", "provisioning-allocation", subject: node_id, tenant: tenant_id);
domain_event!(NodeMeteringStarted, "allocation.node_metering_started", "provisioning-allocation", subject: node_id, tenant: tenant_id);
domain_event!(NodeMeteringStopped, "allocation.node_metering_stopped", "provisioning-allocation", subject: node_id, tenant: tenant_id);
domain_event!(AllocationRequested, "allocation.requested", "provisioning-allocation", subject: allocation_id, tenant: tenant_id);
domain_event!(AllocationEnded, "allocation.ended", "provisioning-allocation", subject: allocation_id, tenant: tenant_id);
domain_event!(AllocationStateChanged, "allocation.state_changed", "provisioning-allocation", subject: allocation_id, tenant: tenant_id);
domain_event!(QuotasChanged, "allocation.quotas_changed", "provisioning-allocation", subject: tenant_id, tenant: tenant_id);

/// One node quota: at most `max_nodes` nodes of `sku` at once, for the whole tenant or (with
/// `project_id`) for one of its projects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuotaEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<ProjectId>,
    /// SKU name, such as `gpu-8x-h100`.
    pub sku: String,
    pub max_nodes: u32,
}

/// `GET /v1/admin/tenants/{tenant_id}/quotas`. A SKU with no entry is not limited by quota (KYC
/// limits and capacity still apply).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct QuotasView {
    pub tenant_id: TenantId,
    pub quotas: Vec<QuotaEntry>,
}

/// `PUT /v1/admin/tenants/{tenant_id}/quotas`: the tenant's whole set of quotas, replaced
/// (audited, with the reason).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuotasSetRequest {
    pub quotas: Vec<QuotaEntry>,
    pub reason: String,
}

/// An allocation's state, read off its nodes': `pending → provisioning → active → releasing →
/// released`, or `failed` with a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AllocationState {
    /// Admitted; nodes not yet assigned.
    Pending,
    /// Nodes assigned and being deployed.
    Provisioning,
    /// Every node deployed and in the tenant's hands.
    Active,
    /// Nodes being given back (and erased).
    Releasing,
    Released,
    /// Could not be fulfilled; what it held is released.
    Failed,
}

impl AllocationState {
    /// Released or failed: nothing more happens to it.
    pub fn is_final(self) -> bool {
        matches!(self, AllocationState::Released | AllocationState::Failed)
    }
}

/// One node of an allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NodePhase {
    /// Bound to the allocation; deploy requested.
    Deploying,
    /// Deployed: the tenant's (metering runs).
    Active,
    /// Its deployment failed; it is given back and may be replaced.
    Failed,
    /// Being released and erased.
    Releasing,
    /// Given back clean: free for the next tenant.
    Released,
}

/// Why an allocation cannot be admitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Refusal {
    /// The tenant's verification level does not allow this SKU.
    KycSku { sku: String },
    /// The tenant's verification level caps nodes running at once.
    KycNodeLimit { max: u32, running: u32, asked: u32 },
    /// An operator's quota for this SKU (`scope` is `tenant` or `project`).
    Quota {
        scope: String,
        max: u32,
        in_use: u32,
        asked: u32,
    },
    /// The balance does not cover the runway at the new total rate.
    Runway {
        hours: u32,
        needed: Money,
        available: Money,
    },
    /// Not enough eligible nodes.
    Capacity { available: u32, asked: u32 },
    /// `same_fabric` asked, and no fabric group has that many eligible nodes.
    Placement { largest_group: u32, asked: u32 },
}

impl Refusal {
    /// The problem code the refusal is answered with.
    pub fn code(&self) -> Code {
        match self {
            Refusal::KycSku { .. } | Refusal::KycNodeLimit { .. } => Code::KycLimit,
            Refusal::Quota { .. } => Code::QuotaExceeded,
            Refusal::Runway { .. } => Code::InsufficientFunds,
            Refusal::Capacity { .. } => Code::CapacityUnavailable,
            Refusal::Placement { .. } => Code::PlacementUnsatisfiable,
        }
    }

    /// One sentence for people.
    pub fn describe(&self) -> String {
        match self {
            Refusal::KycSku { sku } => format!("your verification level does not allow {sku}"),
            Refusal::KycNodeLimit { max, running, asked } => format!(
                "your verification level allows {max} nodes at once; {running} running, {asked} asked"
            ),
            Refusal::Quota {
                scope,
                max,
                in_use,
                asked,
            } => format!("the {scope} quota allows {max} nodes; {in_use} in use, {asked} asked"),
            Refusal::Runway {
                hours,
                needed,
                available,
            } => format!(
                "the balance does not cover {hours} h at the new rate: {needed} needed, {available} available"
            ),
            Refusal::Capacity { available, asked } => {
                format!("{available} nodes available, {asked} asked")
            }
            Refusal::Placement { largest_group, asked } => {
                format!("the largest fabric group has {largest_group} nodes available, {asked} asked")
            }
        }
    }

    /// The `errors[].field` a refusal is listed under in a problem.
    pub fn field(&self) -> &'static str {
        match self {
            Refusal::KycSku { .. } => "kyc_sku",
            Refusal::KycNodeLimit { .. } => "kyc_node_limit",
            Refusal::Quota { .. } => "quota",
            Refusal::Runway { .. } => "runway",
            Refusal::Capacity { .. } => "capacity",
            Refusal::Placement { .. } => "placement",
        }
    }
}

/// How an allocation's nodes must sit relative to each other.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlacementPolicy {
    /// Any eligible nodes of the site.
    #[default]
    Any,
    /// All nodes in one fabric group (an NVLink / InfiniBand domain), or refuse.
    SameFabric,
}

/// `POST /v1/projects/{project_id}/allocations`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AllocationCreateRequest {
    /// SKU name, such as `gpu-8x-h100`.
    pub sku: String,
    pub count: u32,
    /// Site name; absent: a site that can serve the whole request is chosen.
    #[serde(default)]
    pub site: Option<String>,
    /// Image to deploy; default `jammy`.
    #[serde(default)]
    pub image: Option<String>,
    /// SSH keys installed for the tenant: ids of the project's keys (`key_…`, see
    /// `/v1/projects/{project_id}/ssh-keys`) or OpenSSH public key lines.
    #[serde(default)]
    pub ssh_keys: Vec<String>,
    /// cloud-init user-data: `#cloud-config` YAML or a `#!` script, at most 16 KiB. Not with
    /// `template`.
    #[serde(default)]
    pub user_data: Option<String>,
    /// Render the user-data from a template (see `/v1/projects/{project_id}/templates`).
    #[serde(default)]
    pub template: Option<TemplateChoice>,
    /// Released automatically at this time (RFC 3339), unless extended.
    #[serde(default)]
    pub release_at: Option<Timestamp>,
    #[serde(default)]
    pub placement: PlacementPolicy,
    /// Decide only: every reason it would be refused, nothing assigned or reserved.
    #[serde(default)]
    pub dry_run: bool,
}

impl std::fmt::Debug for AllocationCreateRequest {
    // user-data often carries secrets: it never reaches a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AllocationCreateRequest")
            .field("sku", &self.sku)
            .field("count", &self.count)
            .field("site", &self.site)
            .field("image", &self.image)
            .field("ssh_keys", &self.ssh_keys.len())
            .field("user_data", &self.user_data.as_ref().map(|_| "<redacted>"))
            .field("template", &self.template.as_ref().map(|t| &t.name))
            .field("release_at", &self.release_at)
            .field("placement", &self.placement)
            .field("dry_run", &self.dry_run)
            .finish()
    }
}

/// A dry run's answer: whether it would be admitted, and every reason it would not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AdmissionView {
    pub admitted: bool,
    pub refusals: Vec<Refusal>,
    /// The site that would serve it (absent: none can).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    /// What it would cost per hour, all nodes together.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hourly_price: Option<Money>,
}

/// How the previous tenant's data was removed from a node before it was handed over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ErasureRecord {
    /// `none`, `quick` or `secure`, per the site's policy.
    pub erase: String,
    pub at: Timestamp,
}

/// What the tenant is told about the node it was handed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Handover {
    /// Absent: the node had no earlier tenant here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_erasure: Option<ErasureRecord>,
    pub image: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deploy_started_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployed_at: Option<Timestamp>,
    /// When billing for the node started (its deploy-complete time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_started_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_stopped_at: Option<Timestamp>,
}

/// One node of an allocation, as its tenant sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AllocationNodeView {
    pub node_id: NodeId,
    pub hostname: String,
    pub state: NodePhase,
    pub ip_addresses: Vec<String>,
    /// Ready to paste, once the node is active.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_command: Option<String>,
    /// Why it failed, when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub assigned_at: Timestamp,
    pub handover: Handover,
}

/// One step of an allocation's status history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StatusChange {
    pub at: Timestamp,
    pub state: AllocationState,
    pub reason: String,
}

/// `GET /v1/allocations/{allocation_id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AllocationView {
    pub id: AllocationId,
    pub tenant_id: TenantId,
    pub project_id: ProjectId,
    /// SKU name.
    pub sku: String,
    /// Site name.
    pub site: String,
    pub count: u32,
    pub image: String,
    pub placement: PlacementPolicy,
    pub state: AllocationState,
    /// Why it is ending, ended or failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_at: Option<Timestamp>,
    /// List price per hour, all nodes together, when admitted.
    pub hourly_price: Money,
    /// Deploy failures replaced so far.
    pub replacements: u32,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub nodes: Vec<AllocationNodeView>,
    pub history: Vec<StatusChange>,
}

/// The answer to a create: the allocation, or (with `dry_run`) the admission decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum AllocationCreated {
    Allocation(Box<AllocationView>),
    DryRun(AdmissionView),
}

/// `POST /v1/allocations/{allocation_id}/release`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReleaseRequest {
    #[serde(default)]
    pub reason: Option<String>,
}

/// `POST /v1/allocations/{allocation_id}/extend`: a new `release_at` (later than now), or none
/// to keep the allocation until released.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendRequest {
    pub release_at: Option<Timestamp>,
}

/// `POST /v1/admin/allocations/{allocation_id}/force-release`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForceReleaseRequest {
    pub reason: String,
}

/// `GET /v1/projects/{project_id}/allocations`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AllocationFilter {
    /// Only allocations in this state.
    #[serde(default)]
    pub state: Option<AllocationState>,
    #[serde(default)]
    pub limit: Option<u32>,
    #[serde(default)]
    pub cursor: Option<String>,
}

/// `GET /v1/admin/allocations`: every tenant's allocations, newest first (operators, support).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AdminAllocationFilter {
    /// Only this tenant's.
    #[serde(default)]
    pub tenant_id: Option<TenantId>,
    /// Only allocations in this state.
    #[serde(default)]
    pub state: Option<AllocationState>,
    #[serde(default)]
    pub limit: Option<u32>,
    #[serde(default)]
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AllocationError {
    #[error("not allowed")]
    Denied(DenyReason),
    #[error("no such {0}")]
    NotFound(&'static str),
    #[error("invalid request")]
    Invalid(Vec<(String, String)>),
    /// Not admitted: every reason, the first decides the problem code.
    #[error("refused")]
    Refused(Vec<Refusal>),
    /// Released, failed or already releasing.
    #[error("the allocation has ended or is ending")]
    Ended,
    #[error("{0} is unavailable")]
    Unavailable(&'static str),
    #[error("internal error")]
    Internal,
}

impl From<DenyReason> for AllocationError {
    fn from(reason: DenyReason) -> AllocationError {
        AllocationError::Denied(reason)
    }
}

impl From<AllocationError> for Problem {
    fn from(err: AllocationError) -> Problem {
        match err {
            AllocationError::Denied(reason) => reason.into(),
            AllocationError::NotFound(what) => Problem::new(Code::NotFound).detail(format!("no such {what}")),
            AllocationError::Invalid(fields) => Problem::invalid_fields(fields),
            AllocationError::Refused(refusals) => {
                let code = refusals.first().map_or(Code::Conflict, Refusal::code);
                let detail = refusals
                    .iter()
                    .map(Refusal::describe)
                    .collect::<Vec<_>>()
                    .join("; ");
                refusals
                    .iter()
                    .fold(Problem::new(code).detail(detail), |problem, refusal| {
                        problem.field(refusal.field(), refusal.describe())
                    })
            }
            AllocationError::Ended => Problem::new(Code::AllocationEnded),
            AllocationError::Unavailable(what) => {
                Problem::new(Code::Unavailable).detail(format!("{what} is unavailable"))
            }
            AllocationError::Internal => Problem::new(Code::Internal),
        }
    }
}

type Answer<'a, T> = BoxFuture<'a, Result<T, AllocationError>>;

/// Allocation's service, as the HTTP layer calls it.
pub trait AllocationApi: Send + Sync {
    fn allocation_create<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        request: AllocationCreateRequest,
    ) -> Answer<'a, AllocationCreated>;
    fn allocations_list<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        filter: AllocationFilter,
    ) -> Answer<'a, Page<AllocationView>>;
    fn allocation_get<'a>(
        &'a self,
        actor: &'a Actor,
        allocation_id: AllocationId,
    ) -> Answer<'a, AllocationView>;
    fn allocation_release<'a>(
        &'a self,
        actor: &'a Actor,
        allocation_id: AllocationId,
        request: ReleaseRequest,
    ) -> Answer<'a, AllocationView>;
    fn allocation_extend<'a>(
        &'a self,
        actor: &'a Actor,
        allocation_id: AllocationId,
        request: ExtendRequest,
    ) -> Answer<'a, AllocationView>;
    fn allocation_force_release<'a>(
        &'a self,
        actor: &'a Actor,
        allocation_id: AllocationId,
        request: ForceReleaseRequest,
    ) -> Answer<'a, AllocationView>;
    /// Every tenant's allocations, newest first (platform operators and support).
    fn allocations_admin_list<'a>(
        &'a self,
        actor: &'a Actor,
        filter: AdminAllocationFilter,
    ) -> Answer<'a, Page<AllocationView>>;
    fn quotas_get<'a>(&'a self, actor: &'a Actor, tenant_id: TenantId) -> Answer<'a, QuotasView>;
    fn quotas_set<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        request: QuotasSetRequest,
    ) -> Answer<'a, QuotasView>;
}
