//! Read Models published language: the dashboards' answers (tenant overview, ops capacity,
//! health and revenue), the freshness every answer states, the projections' declared owners,
//! and the service trait the HTTP layer, the CLI and the web app call.

use ingot_kernel::id::{AllocationId, NodeId, ProjectId, SiteId, SkuId, TenantId};
use ingot_kernel::problem::{Code, Problem};
use ingot_kernel::{Money, Timestamp};
use serde::{Deserialize, Serialize};

use crate::BoxFuture;
use crate::allocation::AllocationState;
use crate::iam::{Actor, DenyReason, KycLevel, KycState};

/// A projection as it declares itself: the domains that own the data it is built from, and the
/// BFF owner answering for the composed dashboard (domain-ownership-map.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProjectionOwnership {
    /// `tenant-overview`.
    pub name: String,
    /// Source-owning domains, as OWNERS.toml names them: `billing`, `provisioning-allocation`.
    pub sources: Vec<String>,
    /// The context answering for the composition: `UX`.
    pub bff_owner: String,
    /// The route serving it.
    pub route: String,
}

/// Whether a cached answer was used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CacheOutcome {
    /// Served from the cache (Redis or in-process).
    Hit,
    /// Composed from the projection, then cached.
    Miss,
    /// The cache was unreachable: composed from the projection.
    Unavailable,
    /// Not cached (caching is off, or no generation exists yet): composed from the projection.
    Off,
}

/// What an answer reflects: every event up to `position` of the event history (in commit
/// order) that concerns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AsOf {
    pub projection: String,
    /// The projection's generation serving the answer (a rebuild makes a new one).
    pub generation: i64,
    /// The last applied event's position, `txid.seq`; `0.0` before any.
    pub position: String,
    /// When that event happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_event_at: Option<Timestamp>,
    /// When the answer was composed.
    pub composed_at: Timestamp,
    pub cache: CacheOutcome,
}

/// `GET /v1/tenants/{tenant_id}/overview`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TenantOverview {
    pub tenant_id: TenantId,
    pub as_of: AsOf,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kyc: Option<KycSummary>,
    /// Absent until the tenant's money first moved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance: Option<BalanceSummary>,
    /// What the running allocations cost per hour, at their list prices.
    pub burn_per_hour: Money,
    /// Whole hours the balance (cash + promotional + credit limit) lasts at that rate; absent
    /// when nothing burns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runway_hours: Option<u64>,
    /// Allocations whose funding runs out first, earliest deadline first (at most five).
    pub stopping_first: Vec<StoppingAllocation>,
    /// Charged for usage since the first of this month (UTC).
    pub spend_this_month: Money,
    /// Usage charged per day, the last 30 days, oldest first (days with none included).
    pub spend_by_day: Vec<DayAmount>,
    /// Allocations not yet ended, newest first.
    pub allocations: Vec<OverviewAllocation>,
    /// Nodes held by live allocations, and of those the ones deployed and metered.
    pub nodes_live: u32,
    pub nodes_active: u32,
    pub quotas: Vec<QuotaUse>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct KycSummary {
    pub state: KycState,
    pub level: KycLevel,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BalanceSummary {
    pub cash: Money,
    pub promo: Money,
    /// Reserved by running allocations' holds.
    pub held: Money,
    pub available: Money,
    pub credit_limit: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StoppingAllocation {
    pub allocation_id: AllocationId,
    /// When its funding runs out, grace period included: it is force-released then.
    pub deadline: Timestamp,
    pub rate_per_hour: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DayAmount {
    /// `2026-11-29` (UTC).
    pub day: String,
    pub amount: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OverviewAllocation {
    pub allocation_id: AllocationId,
    pub project_id: ProjectId,
    pub sku: String,
    pub site: String,
    pub state: AllocationState,
    /// Since when it is in that state.
    pub since: Timestamp,
    pub node_count: u32,
    pub nodes_active: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct QuotaUse {
    /// SKU name.
    pub sku: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<ProjectId>,
    pub max_nodes: u32,
    /// Nodes of that SKU held now (by the project, when the quota names one).
    pub used: u32,
}

/// `GET /v1/admin/dashboards/capacity`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CapacityDashboard {
    pub as_of: AsOf,
    /// One per site and SKU (nodes matching no SKU yet under `sku_id` absent).
    pub cells: Vec<CapacityCell>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CapacityCell {
    pub site_id: SiteId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku_id: Option<SkuId>,
    /// The site's and SKU's names, from the catalog (absent when it could not say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    /// Every node not retired.
    pub total: u32,
    /// Sellable now: in service and not assigned.
    pub available: u32,
    pub assigned: u32,
    pub maintenance: u32,
    pub onboarding: u32,
    pub quarantined: u32,
    pub decommissioning: u32,
    /// Assigned ÷ in service (available + assigned), 0 to 1.
    pub utilisation: f64,
    /// Hourly, the last 48 hours with any change, oldest first.
    pub history: Vec<UtilisationPoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct UtilisationPoint {
    /// Start of the hour (UTC).
    pub hour: Timestamp,
    /// As the hour ended (or as it stands, for the current one).
    pub assigned: u32,
    pub in_service: u32,
    /// The highest assigned count seen during the hour.
    pub assigned_peak: u32,
    pub utilisation: f64,
}

/// `GET /v1/admin/dashboards/health`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct HealthDashboard {
    pub as_of: AsOf,
    /// Drift found by reconciliation, per kind.
    pub drift: Vec<DriftCount>,
    /// Deploys finished in the last 24 hours and per day (30 days).
    pub deploys_24h: DeployCounts,
    pub deploys_by_day: Vec<DeployDay>,
    pub quarantined: Vec<NodeSince>,
    /// Nodes in a transitional phase past its time budget (onboarding 2 h, deploying 1 h).
    pub stuck: Vec<NodeSince>,
    pub onboarding: OnboardingQueue,
    /// Each event consumer's distance behind the event history.
    pub controllers: Vec<ConsumerLag>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DriftCount {
    /// `deployed_without_allocation`, `power_drift`, …
    pub kind: String,
    pub total: u64,
    pub last_24h: u64,
    /// Of those, drift that cost a tenant something.
    pub tenant_cost: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DeployCounts {
    pub succeeded: u64,
    pub failed: u64,
    /// failed ÷ (succeeded + failed); 0 without deploys.
    pub failure_rate: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DeployDay {
    pub day: String,
    pub succeeded: u64,
    pub failed: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NodeSince {
    pub node_id: NodeId,
    pub site_id: SiteId,
    /// `quarantined`, `onboarding`, `deploying`.
    pub phase: String,
    pub since: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OnboardingQueue {
    /// Nodes registered and not yet sellable.
    pub nodes: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oldest_since: Option<Timestamp>,
    /// Machines whose commissioning failed in the last 24 hours.
    pub failures_24h: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ConsumerLag {
    /// The consumer's cursor name: `allocation.lifecycle`, `read-models/capacity/g1`.
    pub consumer: String,
    /// Events after its cursor (counted up to 10,000).
    pub behind: u64,
    /// Age of the oldest event it has not read; 0 when caught up.
    pub lag_seconds: f64,
}

/// `GET /v1/admin/dashboards/revenue?days=N`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RevenueDashboard {
    pub as_of: AsOf,
    pub days: Vec<RevenueDay>,
    /// Usage revenue over the window per SKU and site, largest first.
    pub by_sku_site: Vec<RevenueCell>,
    pub totals: RevenueTotals,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RevenueDay {
    pub day: String,
    /// Usage charged, net of usage given back (faults credited).
    pub usage: Money,
    pub top_ups: Money,
    /// Given by finance (cash and promotional).
    pub credits: Money,
    /// Paid back to payers' cards.
    pub refunds: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RevenueCell {
    pub sku_id: SkuId,
    pub site_id: SiteId,
    /// Names from the catalog (absent when it could not say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    pub usage: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RevenueTotals {
    pub usage: Money,
    pub top_ups: Money,
    pub credits: Money,
    pub refunds: Money,
}

/// A projection's build state, for operators: `GET /v1/admin/read-models`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProjectionStatus {
    pub ownership: ProjectionOwnership,
    /// The code's version of the projection.
    pub version: u32,
    /// The generation answering queries, and its position.
    pub active: Option<GenerationStatus>,
    /// A generation being built beside it, swapped in when it has caught up.
    pub building: Option<GenerationStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct GenerationStatus {
    pub generation: i64,
    pub version: u32,
    pub position: String,
    pub events_applied: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadModelError {
    #[error("not allowed")]
    Denied(DenyReason),
    #[error("no such projection")]
    UnknownProjection,
    #[error("invalid {0}: {1}")]
    Invalid(&'static str, String),
    /// A newer version of the projection is live: only code that knows it may rebuild it.
    #[error("a newer version of this projection is live")]
    NewerVersionLive,
    #[error("read models unavailable")]
    Unavailable,
}

impl From<DenyReason> for ReadModelError {
    fn from(reason: DenyReason) -> ReadModelError {
        ReadModelError::Denied(reason)
    }
}

impl From<ReadModelError> for Problem {
    fn from(err: ReadModelError) -> Problem {
        match err {
            ReadModelError::Denied(reason) => reason.into(),
            ReadModelError::UnknownProjection => Problem::new(Code::NotFound).detail("no such projection"),
            ReadModelError::Invalid(field, message) => Problem::new(Code::InvalidParameter)
                .detail(format!("{field}: {message}"))
                .field(field, message),
            ReadModelError::NewerVersionLive => Problem::new(Code::Conflict).detail(
                "a newer version of this projection is live; rebuild it from a server running that version",
            ),
            ReadModelError::Unavailable => {
                Problem::new(Code::Unavailable).detail("read models are unavailable; retry")
            }
        }
    }
}

pub type Answer<'a, T> = BoxFuture<'a, Result<T, ReadModelError>>;

/// The Read Models service. Every call is authorized against `actor`.
pub trait ReadModelsApi: Send + Sync {
    fn tenant_overview<'a>(&'a self, actor: &'a Actor, tenant_id: TenantId) -> Answer<'a, TenantOverview>;
    fn capacity<'a>(&'a self, actor: &'a Actor) -> Answer<'a, CapacityDashboard>;
    fn health<'a>(&'a self, actor: &'a Actor) -> Answer<'a, HealthDashboard>;
    /// `days`: 1 to 366.
    fn revenue<'a>(&'a self, actor: &'a Actor, days: u32) -> Answer<'a, RevenueDashboard>;
    fn projections<'a>(&'a self, actor: &'a Actor) -> Answer<'a, Vec<ProjectionStatus>>;
    /// Starts rebuilding `name` from the event history beside the live generation; it is
    /// swapped in once caught up. `force`: even over a newer version (after a downgrade).
    fn rebuild<'a>(&'a self, actor: &'a Actor, name: &'a str, force: bool) -> Answer<'a, ProjectionStatus>;
}
