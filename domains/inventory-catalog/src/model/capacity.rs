//! Capacity per site × SKU, kept up to date event by event and always equal to a recount from
//! node states and assignments. Assignment is Allocation's fact; Inventory learns it from events.

use std::collections::{BTreeMap, BTreeSet};

use ingot_kernel::id::{NodeId, SiteId, SkuId};
use serde::{Deserialize, Serialize};

use super::lifecycle::NodeState;

/// Counts for one site × SKU (`sku: None` counts the site's unmatched nodes in `unmatched`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capacity {
    /// available + assigned + maintenance + onboarding.
    pub total: u32,
    pub available: u32,
    pub assigned: u32,
    /// Out of service: maintenance, quarantine, or a health condition that prevents allocation.
    pub maintenance: u32,
    pub onboarding: u32,
    pub unmatched: u32,
}

/// A node as capacity sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeStanding {
    pub site_id: SiteId,
    pub sku_id: Option<SkuId>,
    pub state: NodeState,
    pub assigned: bool,
    /// A health condition prevents allocating it.
    pub blocked: bool,
}

/// What changes capacity: Inventory's own node events and Allocation's assignment events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapacityEvent {
    NodeRegistered {
        node_id: NodeId,
        site_id: SiteId,
        sku_id: Option<SkuId>,
        state: NodeState,
    },
    NodeStateChanged {
        node_id: NodeId,
        state: NodeState,
    },
    NodeSkuChanged {
        node_id: NodeId,
        sku_id: Option<SkuId>,
    },
    NodeAssigned {
        node_id: NodeId,
    },
    NodeReleased {
        node_id: NodeId,
    },
    /// Whether some health condition now prevents allocating the node.
    NodeHealthChanged {
        node_id: NodeId,
        blocked: bool,
    },
}

pub type CapacityKey = (SiteId, Option<SkuId>);

fn count_into(capacity: &mut BTreeMap<CapacityKey, Capacity>, node: &NodeStanding, sign: i64) {
    let entry = capacity.entry((node.site_id, node.sku_id)).or_default();
    let bump = |field: &mut u32| *field = u32::try_from(i64::from(*field) + sign).unwrap_or(0);
    if node.sku_id.is_none() {
        if !matches!(node.state, NodeState::Decommissioning | NodeState::Retired) {
            bump(&mut entry.unmatched);
        }
        return;
    }
    let bucket = match node.state {
        NodeState::Available if node.assigned => &mut entry.assigned,
        NodeState::Available if node.blocked => &mut entry.maintenance,
        NodeState::Available => &mut entry.available,
        NodeState::Maintenance | NodeState::Quarantined => &mut entry.maintenance,
        NodeState::Onboarding => &mut entry.onboarding,
        NodeState::Decommissioning | NodeState::Retired => return,
    };
    bump(bucket);
    bump(&mut entry.total);
}

/// Capacity counted from scratch.
pub fn capacity_recount<'a>(
    nodes: impl IntoIterator<Item = &'a NodeStanding>,
) -> BTreeMap<CapacityKey, Capacity> {
    let mut capacity = BTreeMap::new();
    for node in nodes {
        count_into(&mut capacity, node, 1);
    }
    capacity.retain(|_, c| *c != Capacity::default());
    capacity
}

/// Capacity kept event by event, as a projection does.
#[derive(Debug, Default, Clone)]
pub struct CapacityLedger {
    nodes: BTreeMap<NodeId, NodeStanding>,
    capacity: BTreeMap<CapacityKey, Capacity>,
    /// Nodes Allocation assigned before Inventory heard of them (events may arrive in either order).
    early_assignments: BTreeSet<NodeId>,
}

impl CapacityLedger {
    pub fn apply(&mut self, event: CapacityEvent) {
        let node_id = match event {
            CapacityEvent::NodeRegistered { node_id, .. }
            | CapacityEvent::NodeStateChanged { node_id, .. }
            | CapacityEvent::NodeSkuChanged { node_id, .. }
            | CapacityEvent::NodeAssigned { node_id }
            | CapacityEvent::NodeReleased { node_id }
            | CapacityEvent::NodeHealthChanged { node_id, .. } => node_id,
        };
        if let Some(before) = self.nodes.get(&node_id).copied() {
            count_into(&mut self.capacity, &before, -1);
        }
        let after = match (event, self.nodes.get(&node_id).copied()) {
            (
                CapacityEvent::NodeRegistered {
                    site_id,
                    sku_id,
                    state,
                    ..
                },
                _,
            ) => Some(NodeStanding {
                site_id,
                sku_id,
                state,
                assigned: self.early_assignments.remove(&node_id),
                blocked: false,
            }),
            (CapacityEvent::NodeStateChanged { state, .. }, Some(node)) => {
                Some(NodeStanding { state, ..node })
            }
            (CapacityEvent::NodeSkuChanged { sku_id, .. }, Some(node)) => {
                Some(NodeStanding { sku_id, ..node })
            }
            (CapacityEvent::NodeAssigned { .. }, Some(node)) => Some(NodeStanding {
                assigned: true,
                ..node
            }),
            (CapacityEvent::NodeReleased { .. }, Some(node)) => Some(NodeStanding {
                assigned: false,
                ..node
            }),
            (CapacityEvent::NodeHealthChanged { blocked, .. }, Some(node)) => {
                Some(NodeStanding { blocked, ..node })
            }
            (CapacityEvent::NodeAssigned { .. }, None) => {
                self.early_assignments.insert(node_id);
                None
            }
            (CapacityEvent::NodeReleased { .. }, None) => {
                self.early_assignments.remove(&node_id);
                None
            }
            (_, None) => None,
        };
        if let Some(after) = after {
            count_into(&mut self.capacity, &after, 1);
            self.nodes.insert(node_id, after);
        }
        self.capacity.retain(|_, c| *c != Capacity::default());
    }

    pub fn capacity(&self) -> &BTreeMap<CapacityKey, Capacity> {
        &self.capacity
    }

    pub fn nodes(&self) -> impl Iterator<Item = &NodeStanding> {
        self.nodes.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ingot_kernel::testing::XorShift;

    #[test]
    fn random_event_sequences_always_agree_with_a_recount() {
        let sites = [SiteId::generate(), SiteId::generate()];
        let skus = [Some(SkuId::generate()), Some(SkuId::generate()), None];
        let nodes: Vec<NodeId> = (0..12).map(|_| NodeId::generate()).collect();
        for seed in 1..=200u64 {
            let mut random = XorShift(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let mut ledger = CapacityLedger::default();
            for _ in 0..300 {
                let node_id = nodes[random.next(nodes.len())];
                let event = match random.next(6) {
                    0 => CapacityEvent::NodeRegistered {
                        node_id,
                        site_id: sites[random.next(2)],
                        sku_id: skus[random.next(3)],
                        state: NodeState::ALL[random.next(NodeState::ALL.len())],
                    },
                    1 => CapacityEvent::NodeStateChanged {
                        node_id,
                        state: NodeState::ALL[random.next(NodeState::ALL.len())],
                    },
                    2 => CapacityEvent::NodeSkuChanged {
                        node_id,
                        sku_id: skus[random.next(3)],
                    },
                    3 => CapacityEvent::NodeAssigned { node_id },
                    4 => CapacityEvent::NodeHealthChanged {
                        node_id,
                        blocked: random.next(2) == 0,
                    },
                    _ => CapacityEvent::NodeReleased { node_id },
                };
                ledger.apply(event);
                let recount = capacity_recount(ledger.nodes());
                assert_eq!(ledger.capacity(), &recount, "seed {seed}: after {event:?}");
                for capacity in recount.values() {
                    assert_eq!(
                        capacity.total,
                        capacity.available + capacity.assigned + capacity.maintenance + capacity.onboarding
                    );
                }
            }
        }
    }

    #[test]
    fn buckets_follow_state_and_assignment() {
        let site = SiteId::generate();
        let sku = Some(SkuId::generate());
        let (a, b, c) = (NodeId::generate(), NodeId::generate(), NodeId::generate());
        let mut ledger = CapacityLedger::default();
        // Allocation's event may arrive before Inventory registers the node.
        ledger.apply(CapacityEvent::NodeAssigned { node_id: a });
        ledger.apply(CapacityEvent::NodeRegistered {
            node_id: a,
            site_id: site,
            sku_id: sku,
            state: NodeState::Available,
        });
        ledger.apply(CapacityEvent::NodeRegistered {
            node_id: b,
            site_id: site,
            sku_id: sku,
            state: NodeState::Onboarding,
        });
        ledger.apply(CapacityEvent::NodeRegistered {
            node_id: c,
            site_id: site,
            sku_id: None,
            state: NodeState::Available,
        });
        ledger.apply(CapacityEvent::NodeStateChanged {
            node_id: b,
            state: NodeState::Quarantined,
        });
        assert_eq!(
            ledger.capacity()[&(site, sku)],
            Capacity {
                total: 2,
                available: 0,
                assigned: 1,
                maintenance: 1,
                onboarding: 0,
                unmatched: 0
            }
        );
        assert_eq!(ledger.capacity()[&(site, None)].unmatched, 1);
        // A health condition that prevents allocation takes an available node out of service.
        ledger.apply(CapacityEvent::NodeReleased { node_id: a });
        ledger.apply(CapacityEvent::NodeHealthChanged {
            node_id: a,
            blocked: true,
        });
        assert_eq!(
            (
                ledger.capacity()[&(site, sku)].available,
                ledger.capacity()[&(site, sku)].maintenance
            ),
            (0, 2)
        );
        ledger.apply(CapacityEvent::NodeHealthChanged {
            node_id: a,
            blocked: false,
        });
        ledger.apply(CapacityEvent::NodeStateChanged {
            node_id: b,
            state: NodeState::Retired,
        });
        assert_eq!(
            ledger.capacity()[&(site, sku)],
            Capacity {
                total: 1,
                available: 1,
                assigned: 0,
                maintenance: 0,
                onboarding: 0,
                unmatched: 0
            }
        );
    }
}
