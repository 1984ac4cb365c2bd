//! Sites (locations) and nodes as Inventory records them.

use ingot_kernel::id::{NodeId, SiteId, SkuId};
use serde::{Deserialize, Serialize};

use ingot_kernel::Timestamp;

use super::hardware::{HardwareFacts, Placement};
use super::lifecycle::NodeState;

pub use ingot_contracts::inventory::SiteStatus;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Site {
    pub id: SiteId,
    /// Stable short name used in URLs: `fra1`.
    pub name: String,
    pub region: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub status: SiteStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    pub id: NodeId,
    pub site_id: SiteId,
    pub hostname: String,
    pub state: NodeState,
    pub facts: HardwareFacts,
    pub placement: Placement,
    /// The provisioning system's own key for the machine, if one registered it.
    pub source_ref: Option<String>,
    /// `None` while unmatched; then `unmatched_reasons` says why.
    pub sku_id: Option<SkuId>,
    pub unmatched_reasons: Vec<String>,
    /// Assigned to an allocation: Allocation's fact, learned from its events.
    pub assigned: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}
