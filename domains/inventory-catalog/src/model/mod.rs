//! Inventory.Catalog model: nodes described generically (no MAAS words here), their lifecycle
//! state machine, health conditions, SKUs as hardware constraints and deterministic node→SKU
//! matching. No IO, no clock, no sqlx/axum/tokio here: time comes in as arguments.

mod capacity;
mod hardware;
mod lifecycle;
mod matching;
mod site;

pub use capacity::{Capacity, CapacityEvent, CapacityKey, CapacityLedger, NodeStanding, capacity_recount};
pub use hardware::{
    Cpu, Disk, DiskKind, Gpu, HardwareFacts, HealthAction, HealthCondition, Interconnect, Nic, Placement,
};
pub use lifecycle::{NodeCommand, NodeState, NodeTransitionError, node_transition};
pub use matching::{
    MatchOutcome, Mismatch, Sku, SkuConstraints, SkuMove, fleet_rematch, sku_match, sku_mismatches,
};
pub use site::{Node, Site, SiteStatus};
