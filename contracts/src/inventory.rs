//! Inventory.Catalog published language: how a node is described (generic hardware facts, no
//! provisioning-system words), sites, SKUs, offers and capacity as served, the events Inventory
//! emits, and the traits Allocation, the MAAS domain and the HTTP layer call.

use ingot_kernel::Timestamp;
use ingot_kernel::id::{AllocationId, NodeId, SiteId, SkuId};
use ingot_kernel::money::Money;
use ingot_kernel::problem::{Code, Problem};
use serde::{Deserialize, Serialize};

use crate::BoxFuture;
use crate::iam::{Actor, DenyReason};

// ---------------------------------------------------------------------------------------------
// Hardware facts: what a node is made of. Units are in the names.

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Cpu {
    pub model: String,
    pub sockets: u32,
    /// Physical cores across all sockets.
    pub cores: u32,
}

/// A kind of GPU fitted `count` times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Gpu {
    /// Normalised model name, such as `H100-SXM5-80GB`.
    pub model: String,
    pub count: u32,
    pub memory_mib: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Nic {
    pub speed_gbps: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DiskKind {
    Nvme,
    Ssd,
    Hdd,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Disk {
    pub size_gib: u64,
    pub kind: DiskKind,
}

/// A high-speed fabric a node is wired into.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Interconnect {
    Infiniband,
    Roce,
    Nvlink,
}

/// A node's hardware, as discovered (by commissioning, or an operator's import).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HardwareFacts {
    pub cpu: Cpu,
    pub ram_mib: u64,
    #[serde(default)]
    pub gpus: Vec<Gpu>,
    #[serde(default)]
    pub nics: Vec<Nic>,
    #[serde(default)]
    pub disks: Vec<Disk>,
    #[serde(default)]
    pub interconnects: Vec<Interconnect>,
}

impl HardwareFacts {
    pub fn gpu_count(&self) -> u32 {
        self.gpus.iter().map(|g| g.count).sum()
    }

    pub fn storage_gib(&self) -> u64 {
        self.disks.iter().map(|d| d.size_gib).sum()
    }

    /// The single GPU model fitted, if exactly one kind is.
    pub fn gpu_model(&self) -> Option<&str> {
        match self.gpus.as_slice() {
            [only] => Some(only.model.as_str()),
            _ => None,
        }
    }
}

/// Where a node sits inside its site; the fabric group (an NVLink or InfiniBand domain) decides
/// which nodes can form one cluster.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Placement {
    #[serde(default)]
    pub rack: Option<String>,
    #[serde(default)]
    pub position: Option<u32>,
    #[serde(default)]
    pub fabric_group: Option<String>,
}

/// What a SKU demands of a node. Machines are sold whole, so the GPU model and count are exact;
/// cores, RAM and storage are minimums.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SkuConstraints {
    /// Exact GPU model; absent for CPU-only SKUs, which then require no GPU at all.
    #[serde(default)]
    pub gpu_model: Option<String>,
    /// Exact number of GPUs (0 for CPU-only).
    #[serde(default)]
    pub gpu_count: u32,
    #[serde(default)]
    pub cores_min: u32,
    #[serde(default)]
    pub ram_min_mib: u64,
    #[serde(default)]
    pub storage_min_gib: u64,
    #[serde(default)]
    pub interconnect: Option<Interconnect>,
}

// ---------------------------------------------------------------------------------------------
// Lifecycle and health.

/// A node's lifecycle: `onboarding → available ⇄ maintenance`, `quarantined`,
/// `decommissioning → retired`. Whether it is assigned to a tenant is Allocation's fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NodeState {
    /// Registered, not yet ready to sell (commissioning, burn-in).
    Onboarding,
    Available,
    /// Taken out by an operator for work; returns to available.
    Maintenance,
    /// Suspected faulty or compromised: out until cleared.
    Quarantined,
    /// Being wiped and removed.
    Decommissioning,
    /// Gone for good.
    Retired,
}

impl NodeState {
    pub const ALL: [NodeState; 6] = [
        NodeState::Onboarding,
        NodeState::Available,
        NodeState::Maintenance,
        NodeState::Quarantined,
        NodeState::Decommissioning,
        NodeState::Retired,
    ];
}

/// What can be asked of a node's lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NodeCommand {
    /// Onboarding finished cleanly.
    OnboardingComplete,
    MaintenanceStart,
    MaintenanceEnd,
    Quarantine,
    /// Cleared after quarantine: back to available.
    QuarantineRelease,
    Decommission,
    /// The wipe and removal finished.
    DecommissionComplete,
}

impl NodeCommand {
    pub const ALL: [NodeCommand; 7] = [
        NodeCommand::OnboardingComplete,
        NodeCommand::MaintenanceStart,
        NodeCommand::MaintenanceEnd,
        NodeCommand::Quarantine,
        NodeCommand::QuarantineRelease,
        NodeCommand::Decommission,
        NodeCommand::DecommissionComplete,
    ];
}

/// What a health condition means for operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HealthAction {
    /// The node must not be handed out while this holds.
    PreventsAllocation,
    /// Expected during maintenance: do not page for it.
    SuppressesAlerting,
    /// Worth showing, changes nothing.
    Informational,
}

/// Something observed about a node's health; separate from its lifecycle state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct HealthCondition {
    /// `gpu_xid_error`, `ib_link_down`, `power_drift`, `maintenance`…
    pub kind: String,
    pub action: HealthAction,
    /// Who reported it: `operator:usr_…`, `reconciler`, a provisioning system.
    pub source: String,
    pub since: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Views and requests.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SiteStatus {
    /// Being built: nodes may onboard, nothing is sold.
    Planned,
    Active,
    /// No new allocations; existing ones run out.
    Draining,
    Closed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SiteView {
    pub id: SiteId,
    /// Stable short name used in URLs: `fra1`.
    pub name: String,
    pub region: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub status: SiteStatus,
}

/// `POST /v1/admin/sites`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteCreateRequest {
    /// Lowercase letters, digits and `-`, 2–32 characters: `fra1`.
    pub name: String,
    pub region: String,
    pub country: String,
    /// Defaults to `planned`: nodes onboard, nothing is sold until the site is `active`.
    #[serde(default)]
    pub status: Option<SiteStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SkuView {
    pub id: SkuId,
    /// Stable, human name: `gpu-8x-h100`.
    pub name: String,
    pub description: String,
    pub active: bool,
    pub constraints: SkuConstraints,
}

/// `POST /v1/admin/skus`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SkuCreateRequest {
    /// Lowercase letters, digits and `-`, 2–48 characters.
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub constraints: SkuConstraints,
    /// Defaults to true.
    #[serde(default)]
    pub active: Option<bool>,
}

/// `PATCH /v1/admin/skus/{sku_id}`: absent fields stay as they are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SkuUpdateRequest {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub constraints: Option<SkuConstraints>,
    #[serde(default)]
    pub active: Option<bool>,
}

/// A node whose SKU changed because the catalog did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SkuMoveView {
    pub node_id: NodeId,
    pub hostname: String,
    /// SKU names; absent = unmatched.
    pub from: Option<String>,
    pub to: Option<String>,
}

/// What creating or changing a SKU did to the fleet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SkuChangeReport {
    pub sku: SkuView,
    pub moved: Vec<SkuMoveView>,
}

/// One SKU sold at one site: `GET /v1/catalog/offers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OfferView {
    pub sku_id: SkuId,
    pub sku: String,
    pub site_id: SiteId,
    pub site: String,
    /// List price per node-hour; usage is billed per second.
    pub hourly_price: Money,
    /// Nodes that could be allocated right now.
    pub available: u32,
}

/// `PUT /v1/admin/offers/{sku_id}/{site}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferSetRequest {
    pub hourly_price: Money,
    /// Why the price changes; kept in the audit log.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Counts for one site × SKU. Operators see every column; tenants see `total` and `available`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CapacityView {
    pub site_id: SiteId,
    pub site: String,
    /// Absent on the row counting the site's unmatched nodes.
    pub sku_id: Option<SkuId>,
    pub sku: Option<String>,
    /// available + assigned + maintenance + onboarding.
    pub total: u32,
    pub available: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assigned: Option<u32>,
    /// Out of service: maintenance, quarantine, or a health condition that prevents allocation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maintenance: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub onboarding: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unmatched: Option<u32>,
}

/// One hour's capacity snapshot for dashboards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CapacityHistoryPoint {
    /// Start of the hour.
    pub hour: Timestamp,
    pub site_id: SiteId,
    pub sku_id: Option<SkuId>,
    pub total: u32,
    pub available: u32,
    pub assigned: u32,
    pub maintenance: u32,
    pub onboarding: u32,
    pub unmatched: u32,
}

/// One line of a node's history: registered, a lifecycle move, assigned to or freed from an
/// allocation. Answers are newest first, at most [`NODE_HISTORY_MAX`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NodeHistoryEntry {
    pub at: Timestamp,
    /// `registered`, `state_changed`, `assigned` or `freed`.
    pub kind: String,
    /// For people: `available → maintenance (operator): disk check`.
    pub detail: String,
    /// The allocation it was assigned to or freed from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocation_id: Option<AllocationId>,
}

pub const NODE_HISTORY_MAX: u32 = 200;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NodeView {
    pub id: NodeId,
    pub hostname: String,
    pub site_id: SiteId,
    pub site: String,
    pub state: NodeState,
    /// Assigned to an allocation (Allocation's fact, learned from its events).
    pub assigned: bool,
    pub sku_id: Option<SkuId>,
    pub sku: Option<String>,
    /// Why no SKU matched; empty when one did.
    pub unmatched_reasons: Vec<String>,
    pub facts: HardwareFacts,
    pub placement: Placement,
    pub health: Vec<HealthCondition>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// `GET /v1/admin/nodes` filters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NodeFilter {
    /// Site name.
    #[serde(default)]
    pub site: Option<String>,
    /// SKU name, or `unmatched`.
    #[serde(default)]
    pub sku: Option<String>,
    #[serde(default)]
    pub state: Option<NodeState>,
    #[serde(default)]
    pub limit: Option<u32>,
    #[serde(default)]
    pub cursor: Option<String>,
}

/// `POST /v1/admin/nodes/{node_id}/maintenance`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MaintenanceRequest {
    /// true = take the node out of service; false = return it.
    pub enabled: bool,
    #[serde(default)]
    pub reason: Option<String>,
    /// Take an assigned node anyway: Allocation is asked to move or end its allocation first.
    #[serde(default)]
    pub force: bool,
}

/// `POST /v1/admin/nodes/{node_id}/quarantine`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuarantineRequest {
    /// true = quarantine; false = clear it, back to available.
    pub enabled: bool,
    #[serde(default)]
    pub reason: Option<String>,
}

/// One node in `POST /v1/admin/nodes/import`, the canonical bulk-onboarding contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NodeImportRow {
    pub hostname: String,
    /// Site name.
    pub site: String,
    /// `onboarding` (default) or `available`.
    #[serde(default)]
    pub state: Option<NodeState>,
    pub facts: HardwareFacts,
    #[serde(default)]
    pub placement: Placement,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NodeImportRequest {
    pub nodes: Vec<NodeImportRow>,
}

/// Every row was valid and all were imported. (A bad row imports nothing: the problem's
/// `errors` name each bad row as `nodes[i].field`.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NodeImportReport {
    pub imported: Vec<NodeView>,
}

// ---------------------------------------------------------------------------------------------
// What other domains call.

/// A node Allocation may hand out now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EligibleNode {
    pub node_id: NodeId,
    pub hostname: String,
    pub site_id: SiteId,
    pub fabric_group: Option<String>,
}

/// A node as a provisioning system reports it: `source_ref` is that system's own key for the
/// machine, kept opaque here, so registering the same machine twice updates it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeRegistration {
    pub site_id: SiteId,
    pub source_ref: String,
    pub hostname: String,
    pub facts: HardwareFacts,
    pub placement: Placement,
}

/// A SKU and site as priced now, for Billing and Allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceQuote {
    pub sku_id: SkuId,
    pub site_id: SiteId,
    pub hourly_price: Money,
}

// ---------------------------------------------------------------------------------------------
// Events.

/// A node entered the inventory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeRegistered {
    pub node_id: NodeId,
    pub site_id: SiteId,
    pub hostname: String,
    pub state: NodeState,
    pub sku_id: Option<SkuId>,
}

/// A node's lifecycle state changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeStateChanged {
    pub node_id: NodeId,
    pub site_id: SiteId,
    pub from: NodeState,
    pub to: NodeState,
    #[serde(default)]
    pub reason: Option<String>,
}

/// A node now sells as another SKU (or none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeSkuChanged {
    pub node_id: NodeId,
    pub site_id: SiteId,
    pub from: Option<SkuId>,
    pub to: Option<SkuId>,
}

/// A list price changed; Billing prices usage from `effective_at` on with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferPriceChanged {
    pub sku_id: SkuId,
    pub site_id: SiteId,
    pub previous: Option<Money>,
    pub hourly_price: Money,
    pub effective_at: Timestamp,
}

/// A health condition was raised (`cleared_at` absent) or cleared. Billing credits the time a
/// node spends under an operator-declared condition that prevents allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeHealthChanged {
    pub node_id: NodeId,
    pub site_id: SiteId,
    pub condition: HealthCondition,
    #[serde(default)]
    pub cleared_at: Option<Timestamp>,
}

domain_event!(NodeRegistered, "node.registered", "inventory-catalog", subject: node_id, tenant: none);
domain_event!(NodeStateChanged, "node.state_changed", "inventory-catalog", subject: node_id, tenant: none);
domain_event!(NodeSkuChanged, "node.sku_changed", "inventory-catalog", subject: node_id, tenant: none);
domain_event!(OfferPriceChanged, "offer.price_changed", "inventory-catalog", subject: sku_id, tenant: none);
domain_event!(NodeHealthChanged, "node.health_changed", "inventory-catalog", subject: node_id, tenant: none);

// ---------------------------------------------------------------------------------------------
// Errors and traits.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InventoryError {
    #[error("not allowed")]
    Denied(DenyReason),
    #[error("no such {0}")]
    NotFound(&'static str),
    /// Field-level problems: (field, message), such as `("nodes[3].hostname", "already exists")`.
    #[error("invalid request")]
    Invalid(Vec<(String, String)>),
    #[error("{0}")]
    Conflict(String),
    /// A node is assigned to an allocation and `force` was not given.
    #[error("the node is assigned to an allocation")]
    NodeAssigned,
    #[error("{0} is unavailable")]
    Unavailable(&'static str),
    #[error("internal error")]
    Internal,
}

impl InventoryError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> InventoryError {
        InventoryError::Invalid(vec![(field.into(), message.into())])
    }
}

impl From<DenyReason> for InventoryError {
    fn from(reason: DenyReason) -> InventoryError {
        InventoryError::Denied(reason)
    }
}

impl From<InventoryError> for Problem {
    fn from(err: InventoryError) -> Problem {
        match err {
            InventoryError::Denied(reason) => reason.into(),
            InventoryError::NotFound(what) => Problem::new(Code::NotFound).detail(format!("no such {what}")),
            InventoryError::Invalid(fields) => Problem::invalid_fields(fields),
            InventoryError::Conflict(why) => Problem::new(Code::Conflict).detail(why),
            InventoryError::NodeAssigned => Problem::new(Code::NodeAssigned),
            InventoryError::Unavailable(what) => {
                Problem::new(Code::Unavailable).detail(format!("{what} is unavailable"))
            }
            InventoryError::Internal => Problem::new(Code::Internal),
        }
    }
}

type Answer<'a, T> = BoxFuture<'a, Result<T, InventoryError>>;

/// Inventory's service: what the HTTP layer, the web app and the CLI (through HTTP) use.
/// The catalog reads are public; everything else is authorized against `actor`.
pub trait InventoryApi: Send + Sync {
    fn catalog_skus(&self) -> Answer<'_, Vec<SkuView>>;
    fn catalog_offers(&self) -> Answer<'_, Vec<OfferView>>;
    fn capacity<'a>(&'a self, actor: &'a Actor) -> Answer<'a, Vec<CapacityView>>;
    /// Hourly snapshots with `from <= hour < to`; `to` defaults to now, `from` to a day before `to`.
    fn capacity_history<'a>(
        &'a self,
        actor: &'a Actor,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
    ) -> Answer<'a, Vec<CapacityHistoryPoint>>;
    fn sites_list<'a>(&'a self, actor: &'a Actor) -> Answer<'a, Vec<SiteView>>;
    fn site_create<'a>(&'a self, actor: &'a Actor, request: SiteCreateRequest) -> Answer<'a, SiteView>;
    fn skus_list<'a>(&'a self, actor: &'a Actor) -> Answer<'a, Vec<SkuView>>;
    fn sku_create<'a>(&'a self, actor: &'a Actor, request: SkuCreateRequest) -> Answer<'a, SkuChangeReport>;
    fn sku_update<'a>(
        &'a self,
        actor: &'a Actor,
        sku_id: SkuId,
        request: SkuUpdateRequest,
    ) -> Answer<'a, SkuChangeReport>;
    /// `site` is the site's name.
    fn offer_set<'a>(
        &'a self,
        actor: &'a Actor,
        sku_id: SkuId,
        site: &'a str,
        request: OfferSetRequest,
    ) -> Answer<'a, OfferView>;
    fn nodes_list<'a>(
        &'a self,
        actor: &'a Actor,
        filter: NodeFilter,
    ) -> Answer<'a, ingot_kernel::page::Page<NodeView>>;
    fn node_get<'a>(&'a self, actor: &'a Actor, node_id: NodeId) -> Answer<'a, NodeView>;
    /// The node's history, newest first (operators).
    fn node_history<'a>(&'a self, actor: &'a Actor, node_id: NodeId) -> Answer<'a, Vec<NodeHistoryEntry>>;
    fn node_maintenance<'a>(
        &'a self,
        actor: &'a Actor,
        node_id: NodeId,
        request: MaintenanceRequest,
    ) -> Answer<'a, NodeView>;
    fn node_quarantine<'a>(
        &'a self,
        actor: &'a Actor,
        node_id: NodeId,
        request: QuarantineRequest,
    ) -> Answer<'a, NodeView>;
    fn nodes_import<'a>(
        &'a self,
        actor: &'a Actor,
        request: NodeImportRequest,
    ) -> Answer<'a, NodeImportReport>;
}

/// What Allocation asks of Inventory.
pub trait InventoryForAllocation: Send + Sync {
    /// Nodes of `sku_id` at `site_id` that may be handed out now: available, not assigned, no
    /// health condition that prevents allocation, at an active site. `sample: None`: all of them,
    /// in hostname order; `Some(n)`: at most `n`, in random order (an admission needing a few of
    /// thousands reads only a few, and racing admissions start on different nodes).
    fn eligible_nodes(
        &self,
        sku_id: SkuId,
        site_id: SiteId,
        sample: Option<u32>,
    ) -> Answer<'_, Vec<EligibleNode>>;
    /// The current list price of a SKU at a site.
    fn price_quote(&self, sku_id: SkuId, site_id: SiteId) -> Answer<'_, PriceQuote>;
}

/// What a provisioning system (the MAAS domain) tells Inventory about the machines it manages.
pub trait NodeRegistry: Send + Sync {
    /// Registers a machine, or refreshes its facts if `source_ref` is known (re-matching its SKU).
    /// New nodes start `onboarding`.
    fn node_register(&self, registration: NodeRegistration) -> Answer<'_, NodeId>;
    /// Applies a lifecycle command on the system's behalf.
    fn node_command(&self, node_id: NodeId, command: NodeCommand, reason: String) -> Answer<'_, NodeState>;
    /// Raises (or refreshes) a health condition of the given kind.
    fn node_health_raise(&self, node_id: NodeId, condition: HealthCondition) -> Answer<'_, ()>;
    /// Clears the condition of `kind`, if present.
    fn node_health_clear<'a>(&'a self, node_id: NodeId, kind: &'a str) -> Answer<'a, ()>;
}
