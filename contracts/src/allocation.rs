//! Provisioning.Allocation published language: DTOs, events and the service traits other domains
//! call. So far: the assignment events Inventory counts capacity from, the metering events
//! Billing charges from, and the evacuation call Inventory makes when an operator forces
//! maintenance on an assigned node. The Allocation issue fills in the rest.

use ingot_kernel::Timestamp;
use ingot_kernel::id::{AllocationId, NodeId, SiteId, SkuId, TenantId};
use serde::{Deserialize, Serialize};

use crate::BoxFuture;

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

impl ingot_kernel::event::DomainEvent for NodeAssigned {
    const EVENT_TYPE: &'static str = "allocation.node_assigned";
    const SOURCE: &'static str = "provisioning-allocation";

    fn subject(&self) -> String {
        self.node_id.to_string()
    }

    fn tenant_id(&self) -> Option<TenantId> {
        Some(self.tenant_id)
    }
}

impl ingot_kernel::event::DomainEvent for NodeReleased {
    const EVENT_TYPE: &'static str = "allocation.node_released";
    const SOURCE: &'static str = "provisioning-allocation";

    fn subject(&self) -> String {
        self.node_id.to_string()
    }

    fn tenant_id(&self) -> Option<TenantId> {
        Some(self.tenant_id)
    }
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

impl ingot_kernel::event::DomainEvent for NodeDeployRequested {
    const EVENT_TYPE: &'static str = "allocation.node_deploy_requested";
    const SOURCE: &'static str = "provisioning-allocation";

    fn subject(&self) -> String {
        self.node_id.to_string()
    }

    fn tenant_id(&self) -> Option<TenantId> {
        Some(self.tenant_id)
    }
}

impl ingot_kernel::event::DomainEvent for NodeReleaseRequested {
    const EVENT_TYPE: &'static str = "allocation.node_release_requested";
    const SOURCE: &'static str = "provisioning-allocation";

    fn subject(&self) -> String {
        self.node_id.to_string()
    }

    fn tenant_id(&self) -> Option<TenantId> {
        Some(self.tenant_id)
    }
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

impl ingot_kernel::event::DomainEvent for NodeMeteringStarted {
    const EVENT_TYPE: &'static str = "allocation.node_metering_started";
    const SOURCE: &'static str = "provisioning-allocation";

    fn subject(&self) -> String {
        self.node_id.to_string()
    }

    fn tenant_id(&self) -> Option<TenantId> {
        Some(self.tenant_id)
    }
}

impl ingot_kernel::event::DomainEvent for NodeMeteringStopped {
    const EVENT_TYPE: &'static str = "allocation.node_metering_stopped";
    const SOURCE: &'static str = "provisioning-allocation";

    fn subject(&self) -> String {
        self.node_id.to_string()
    }

    fn tenant_id(&self) -> Option<TenantId> {
        Some(self.tenant_id)
    }
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
