//! Sites (locations) and nodes as Inventory records them.

use ingot_kernel::id::{NodeId, SiteId, SkuId};
use serde::{Deserialize, Serialize};

use super::hardware::HardwareFacts;
use super::lifecycle::NodeState;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteStatus {
    /// Being built: nodes may onboard, nothing is sold.
    Planned,
    Active,
    /// No new allocations; existing ones run out.
    Draining,
    Closed,
}

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
    pub rack: Option<String>,
    pub position: Option<u32>,
    pub fabric_group: Option<String>,
    /// `None` while unmatched; then `unmatched_reasons` says why.
    pub sku_id: Option<SkuId>,
    pub unmatched_reasons: Vec<String>,
}
