//! Provisioning.Allocation published language: DTOs, events and the service traits other domains
//! call. So far: the assignment events Inventory counts capacity from, the metering events
//! Billing charges from, and the evacuation call Inventory makes when an operator forces
//! maintenance on an assigned node. The Allocation issue fills in the rest.

use ingot_kernel::Timestamp;
use ingot_kernel::id::{AllocationId, NodeId, ProjectId, SiteId, SkuId, TenantId};
use ingot_kernel::problem::{Code, Problem};
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
    /// The tenant's cloud-init user-data, as given.
    #[serde(default)]
    pub user_data: Option<String>,
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

domain_event!(NodeAssigned, "allocation.node_assigned", "provisioning-allocation", subject: node_id, tenant: tenant_id);
domain_event!(NodeReleased, "allocation.node_released", "provisioning-allocation", subject: node_id, tenant: tenant_id);
domain_event!(NodeDeployRequested, "allocation.node_deploy_requested", "provisioning-allocation", subject: node_id, tenant: tenant_id);
domain_event!(NodeReleaseRequested, "allocation.node_release_requested", "provisioning-allocation", subject: node_id, tenant: tenant_id);
domain_event!(NodeMeteringStarted, "allocation.node_metering_started", "provisioning-allocation", subject: node_id, tenant: tenant_id);
domain_event!(NodeMeteringStopped, "allocation.node_metering_stopped", "provisioning-allocation", subject: node_id, tenant: tenant_id);

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

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AllocationError {
    #[error("not allowed")]
    Denied(DenyReason),
    #[error("no such {0}")]
    NotFound(&'static str),
    #[error("invalid request")]
    Invalid(Vec<(String, String)>),
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
            AllocationError::Unavailable(what) => {
                Problem::new(Code::Unavailable).detail(format!("{what} is unavailable"))
            }
            AllocationError::Internal => Problem::new(Code::Internal),
        }
    }
}

type Answer<'a, T> = BoxFuture<'a, Result<T, AllocationError>>;

/// Allocation's service, as the HTTP layer calls it (so far: quotas).
pub trait AllocationApi: Send + Sync {
    fn quotas_get<'a>(&'a self, actor: &'a Actor, tenant_id: TenantId) -> Answer<'a, QuotasView>;
    fn quotas_set<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        request: QuotasSetRequest,
    ) -> Answer<'a, QuotasView>;
}
