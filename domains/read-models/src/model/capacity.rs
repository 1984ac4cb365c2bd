//! Ops capacity: per site × SKU counts of nodes by state, and hourly utilisation, folded from
//! Inventory's node events and Allocation's assignments. One document per node (where it counts)
//! and one per site × SKU cell.

use std::collections::BTreeMap;

use ingot_contracts::allocation::{NodeAssigned, NodeReleased};
use ingot_contracts::inventory::{NodeRegistered, NodeSkuChanged, NodeState, NodeStateChanged};
use ingot_contracts::read_models::{AsOf, CapacityCell, CapacityDashboard, UtilisationPoint};
use ingot_kernel::Timestamp;
use ingot_kernel::event::EventEnvelope;
use ingot_kernel::id::{NodeId, SiteId, SkuId};
use serde::{Deserialize, Serialize};

use super::{ApplyError, Declared, Docs, Names, Need, OPS_SCOPE, Projection, keep_newest, payload, ratio};

pub const NAME: &str = "ops-capacity";
const HISTORY_HOURS: usize = 48;
pub const CELL_PREFIX: &str = "cell/";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeDoc {
    pub site_id: SiteId,
    #[serde(default)]
    pub sku_id: Option<SkuId>,
    pub state: NodeState,
    #[serde(default)]
    pub assigned: bool,
}

/// Where a node counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bucket {
    Available,
    Assigned,
    Maintenance,
    Onboarding,
    Quarantined,
    Decommissioning,
}

impl NodeDoc {
    fn bucket(&self) -> Option<Bucket> {
        Some(match self.state {
            NodeState::Available if self.assigned => Bucket::Assigned,
            NodeState::Available => Bucket::Available,
            NodeState::Maintenance => Bucket::Maintenance,
            NodeState::Onboarding => Bucket::Onboarding,
            NodeState::Quarantined => Bucket::Quarantined,
            NodeState::Decommissioning => Bucket::Decommissioning,
            NodeState::Retired => return None,
        })
    }

    fn cell_key(&self) -> String {
        cell_key(self.site_id, self.sku_id)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellDoc {
    #[serde(default)]
    pub site_id: Option<SiteId>,
    #[serde(default)]
    pub sku_id: Option<SkuId>,
    pub available: u32,
    pub assigned: u32,
    pub maintenance: u32,
    pub onboarding: u32,
    pub quarantined: u32,
    pub decommissioning: u32,
    /// Hour start (µs) → the hour's figures.
    #[serde(default)]
    pub history: BTreeMap<i64, HourDoc>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HourDoc {
    pub assigned: u32,
    pub in_service: u32,
    pub peak: u32,
}

impl CellDoc {
    fn slot(&mut self, bucket: Bucket) -> &mut u32 {
        match bucket {
            Bucket::Available => &mut self.available,
            Bucket::Assigned => &mut self.assigned,
            Bucket::Maintenance => &mut self.maintenance,
            Bucket::Onboarding => &mut self.onboarding,
            Bucket::Quarantined => &mut self.quarantined,
            Bucket::Decommissioning => &mut self.decommissioning,
        }
    }

    fn total(&self) -> u32 {
        self.available
            + self.assigned
            + self.maintenance
            + self.onboarding
            + self.quarantined
            + self.decommissioning
    }

    fn in_service(&self) -> u32 {
        self.available + self.assigned
    }

    fn record_hour(&mut self, at: Timestamp) {
        let (assigned, in_service) = (self.assigned, self.in_service());
        let hour = self.history.entry(at.hour_start().as_micros()).or_default();
        hour.assigned = assigned;
        hour.in_service = in_service;
        hour.peak = hour.peak.max(assigned);
        keep_newest(&mut self.history, HISTORY_HOURS);
    }
}

pub fn node_key(node_id: NodeId) -> String {
    format!("node/{node_id}")
}

pub fn cell_key(site_id: SiteId, sku_id: Option<SkuId>) -> String {
    match sku_id {
        Some(sku) => format!("{CELL_PREFIX}{site_id}/{sku}"),
        None => format!("{CELL_PREFIX}{site_id}/none"),
    }
}

/// This projection as `GET /v1/admin/ownership` and ARCHITECTURE.md list it.
pub const DECLARED: Declared = Declared {
    name: NAME,
    version: 1,
    sources: &["inventory-catalog", "provisioning-allocation"],
    route: "GET /v1/admin/dashboards/capacity",
};

pub struct CapacityProjection;

impl CapacityProjection {
    /// The node as the event leaves it, from the node as it was (`None`: unknown so far).
    fn node_after(event: &EventEnvelope, before: Option<&NodeDoc>) -> Result<Option<NodeDoc>, ApplyError> {
        Ok(match event.event_type.as_str() {
            "node.registered" => {
                let e: NodeRegistered = payload(event)?;
                Some(NodeDoc {
                    site_id: e.site_id,
                    sku_id: e.sku_id,
                    state: e.state,
                    assigned: before.is_some_and(|b| b.assigned),
                })
            }
            "node.state_changed" => {
                let e: NodeStateChanged = payload(event)?;
                before.map(|b| NodeDoc {
                    state: e.to,
                    site_id: e.site_id,
                    ..b.clone()
                })
            }
            "node.sku_changed" => {
                let e: NodeSkuChanged = payload(event)?;
                before.map(|b| NodeDoc {
                    sku_id: e.to,
                    ..b.clone()
                })
            }
            "allocation.node_assigned" => {
                let _: NodeAssigned = payload(event)?;
                before.map(|b| NodeDoc {
                    assigned: true,
                    ..b.clone()
                })
            }
            "allocation.node_released" => {
                let _: NodeReleased = payload(event)?;
                before.map(|b| NodeDoc {
                    assigned: false,
                    ..b.clone()
                })
            }
            _ => before.cloned(),
        })
    }
}

fn node_of(event: &EventEnvelope) -> Option<NodeId> {
    match event.event_type.as_str() {
        "node.registered"
        | "node.state_changed"
        | "node.sku_changed"
        | "allocation.node_assigned"
        | "allocation.node_released" => event.payload.get("node_id")?.as_str()?.parse().ok(),
        _ => None,
    }
}

impl Projection for CapacityProjection {
    fn declared(&self) -> &'static Declared {
        &DECLARED
    }

    fn needs(&self, event: &EventEnvelope) -> Vec<Need> {
        match node_of(event) {
            Some(node) => vec![Need::Key(node_key(node)), Need::Prefix(CELL_PREFIX.to_string())],
            None => Vec::new(),
        }
    }

    fn scope(&self, _event: &EventEnvelope) -> Option<String> {
        Some(OPS_SCOPE.to_string())
    }

    fn apply(&self, event: &EventEnvelope, docs: &mut Docs) -> Result<(), ApplyError> {
        let Some(node_id) = node_of(event) else {
            return Ok(());
        };
        let key = node_key(node_id);
        let before: Option<NodeDoc> = docs.get_opt(&key)?;
        let after = Self::node_after(event, before.as_ref())?;
        if before == after {
            return Ok(());
        }
        let mut touched: Vec<(String, CellDoc)> = Vec::new();
        let cell =
            |key: String, docs: &Docs, touched: &mut Vec<(String, CellDoc)>| -> Result<usize, ApplyError> {
                if let Some(i) = touched.iter().position(|(k, _)| *k == key) {
                    return Ok(i);
                }
                let doc: CellDoc = docs.get(&key)?;
                touched.push((key, doc));
                Ok(touched.len() - 1)
            };
        if let Some(b) = &before
            && let Some(bucket) = b.bucket()
        {
            let i = cell(b.cell_key(), docs, &mut touched)?;
            let slot = touched[i].1.slot(bucket);
            *slot = slot.saturating_sub(1);
        }
        if let Some(a) = &after {
            let i = cell(a.cell_key(), docs, &mut touched)?;
            let doc = &mut touched[i].1;
            doc.site_id = Some(a.site_id);
            doc.sku_id = a.sku_id;
            if let Some(bucket) = a.bucket() {
                *doc.slot(bucket) += 1;
            }
        }
        for (cell_key, mut doc) in touched {
            doc.record_hour(event.occurred_at);
            docs.put(&cell_key, &doc);
        }
        match after {
            Some(a) => docs.put(&key, &a),
            None => docs.remove(&key),
        }
        Ok(())
    }
}

pub fn render(cells: &[CellDoc], names: &Names, as_of: AsOf) -> CapacityDashboard {
    let cells = cells
        .iter()
        .filter_map(|c| {
            let site_id = c.site_id?;
            Some(CapacityCell {
                site_id,
                sku_id: c.sku_id,
                site: names.sites.get(&site_id).cloned(),
                sku: c.sku_id.and_then(|sku| names.skus.get(&sku).cloned()),
                total: c.total(),
                available: c.available,
                assigned: c.assigned,
                maintenance: c.maintenance,
                onboarding: c.onboarding,
                quarantined: c.quarantined,
                decommissioning: c.decommissioning,
                utilisation: ratio(u64::from(c.assigned), u64::from(c.in_service())),
                history: c
                    .history
                    .iter()
                    .map(|(hour, h)| UtilisationPoint {
                        hour: Timestamp::from_micros(*hour),
                        assigned: h.assigned,
                        in_service: h.in_service,
                        assigned_peak: h.peak,
                        utilisation: ratio(u64::from(h.assigned), u64::from(h.in_service)),
                    })
                    .collect(),
            })
        })
        .collect();
    CapacityDashboard { as_of, cells }
}
