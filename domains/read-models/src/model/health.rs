//! Ops health: drift by kind, deploy outcomes, quarantined and stuck nodes, the onboarding queue,
//! folded from Inventory's node events, the MAAS domain's reports and Allocation's deploy
//! requests. Controller lag is not an event: the service reads it from the outbox cursors.

use std::collections::BTreeMap;
use std::time::Duration;

use ingot_contracts::allocation::NodeDeployRequested;
use ingot_contracts::inventory::{NodeRegistered, NodeState, NodeStateChanged};
use ingot_contracts::maas::{DriftFound, NodeDeployFailed, NodeDeployed};
use ingot_contracts::read_models::{
    AsOf, ConsumerLag, DeployCounts, DeployDay, DriftCount, HealthDashboard, NodeSince, OnboardingQueue,
};
use ingot_kernel::Timestamp;
use ingot_kernel::event::EventEnvelope;
use ingot_kernel::id::{NodeId, SiteId};
use serde::{Deserialize, Serialize};

use super::{ApplyError, Declared, Docs, Need, OPS_SCOPE, Projection, keep_newest, payload, ratio};

pub const NAME: &str = "ops-health";
pub const DOC_KEY: &str = "health";
const HOURS_KEPT: usize = 48;
const DAYS_KEPT: usize = 30;
/// Time budgets past which a node in a transitional phase is shown as stuck.
pub const ONBOARDING_BUDGET: Duration = Duration::from_secs(2 * 3600);
pub const DEPLOYING_BUDGET: Duration = Duration::from_secs(3600);

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthDoc {
    #[serde(default)]
    pub drift: BTreeMap<String, DriftDoc>,
    /// Day → (succeeded, failed).
    #[serde(default)]
    pub deploys_by_day: BTreeMap<String, (u64, u64)>,
    /// Hour start (µs) → (succeeded, failed).
    #[serde(default)]
    pub deploys_by_hour: BTreeMap<i64, (u64, u64)>,
    #[serde(default)]
    pub quarantined: BTreeMap<NodeId, Since>,
    #[serde(default)]
    pub onboarding: BTreeMap<NodeId, Since>,
    #[serde(default)]
    pub deploying: BTreeMap<NodeId, Since>,
    #[serde(default)]
    pub onboarding_failures_by_hour: BTreeMap<i64, u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriftDoc {
    pub total: u64,
    pub tenant_cost: u64,
    #[serde(default)]
    pub by_hour: BTreeMap<i64, u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Since {
    pub site_id: SiteId,
    pub since: Timestamp,
    #[serde(default)]
    pub reason: Option<String>,
}

/// Where a node is, so deploy requests (which do not say) can be shown with their site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeSiteDoc {
    pub site_id: SiteId,
}

fn node_key(node_id: NodeId) -> String {
    format!("node/{node_id}")
}

fn node_of(event: &EventEnvelope) -> Option<NodeId> {
    event.payload.get("node_id")?.as_str()?.parse().ok()
}

const EVENTS: &[&str] = &[
    "node.registered",
    "node.state_changed",
    "allocation.node_deploy_requested",
    "allocation.node_released",
    "baremetal.node_deployed",
    "baremetal.node_deploy_failed",
    "baremetal.drift_found",
    "baremetal.machine_onboarding_failed",
];

/// This projection as `GET /v1/admin/ownership` and ARCHITECTURE.md list it.
pub const DECLARED: Declared = Declared {
    name: NAME,
    version: 1,
    sources: &[
        "inventory-catalog",
        "provisioning-baremetal-maas",
        "provisioning-allocation",
    ],
    route: "GET /v1/admin/dashboards/health",
};

pub struct HealthProjection;

impl Projection for HealthProjection {
    fn declared(&self) -> &'static Declared {
        &DECLARED
    }

    fn needs(&self, event: &EventEnvelope) -> Vec<Need> {
        if !EVENTS.contains(&event.event_type.as_str()) {
            return Vec::new();
        }
        let mut needs = vec![Need::Key(DOC_KEY.to_string())];
        if let Some(node) = node_of(event) {
            needs.push(Need::Key(node_key(node)));
        }
        needs
    }

    fn scope(&self, _event: &EventEnvelope) -> Option<String> {
        Some(OPS_SCOPE.to_string())
    }

    fn apply(&self, event: &EventEnvelope, docs: &mut Docs) -> Result<(), ApplyError> {
        let mut doc: HealthDoc = docs.get(DOC_KEY)?;
        let at = event.occurred_at;
        let hour = at.hour_start().as_micros();
        match event.event_type.as_str() {
            "node.registered" => {
                let e: NodeRegistered = payload(event)?;
                docs.put(&node_key(e.node_id), &NodeSiteDoc { site_id: e.site_id });
                doc.quarantined.remove(&e.node_id);
                doc.onboarding.remove(&e.node_id);
                phase_enter(&mut doc, e.node_id, e.site_id, e.state, at, None);
            }
            "node.state_changed" => {
                let e: NodeStateChanged = payload(event)?;
                docs.put(&node_key(e.node_id), &NodeSiteDoc { site_id: e.site_id });
                match e.from {
                    NodeState::Quarantined => {
                        doc.quarantined.remove(&e.node_id);
                    }
                    NodeState::Onboarding => {
                        doc.onboarding.remove(&e.node_id);
                    }
                    _ => {}
                }
                phase_enter(&mut doc, e.node_id, e.site_id, e.to, at, e.reason);
            }
            "allocation.node_deploy_requested" => {
                let e: NodeDeployRequested = payload(event)?;
                if let Some(node) = docs.get_opt::<NodeSiteDoc>(&node_key(e.node_id))? {
                    doc.deploying.insert(
                        e.node_id,
                        Since {
                            site_id: node.site_id,
                            since: at,
                            reason: None,
                        },
                    );
                }
            }
            "allocation.node_released" => {
                if let Some(node) = node_of(event) {
                    doc.deploying.remove(&node);
                }
            }
            "baremetal.node_deployed" => {
                let e: NodeDeployed = payload(event)?;
                doc.deploying.remove(&e.node_id);
                deploy_count(&mut doc, at, hour, true);
            }
            "baremetal.node_deploy_failed" => {
                let e: NodeDeployFailed = payload(event)?;
                doc.deploying.remove(&e.node_id);
                deploy_count(&mut doc, at, hour, false);
            }
            "baremetal.drift_found" => {
                let e: DriftFound = payload(event)?;
                let drift = doc.drift.entry(e.kind).or_default();
                drift.total += 1;
                drift.tenant_cost += u64::from(e.tenant_cost);
                *drift.by_hour.entry(hour).or_insert(0) += 1;
                keep_newest(&mut drift.by_hour, HOURS_KEPT);
            }
            "baremetal.machine_onboarding_failed" => {
                *doc.onboarding_failures_by_hour.entry(hour).or_insert(0) += 1;
                keep_newest(&mut doc.onboarding_failures_by_hour, HOURS_KEPT);
            }
            _ => return Ok(()),
        }
        docs.put(DOC_KEY, &doc);
        Ok(())
    }
}

fn phase_enter(
    doc: &mut HealthDoc,
    node: NodeId,
    site_id: SiteId,
    state: NodeState,
    since: Timestamp,
    reason: Option<String>,
) {
    let entry = Since {
        site_id,
        since,
        reason,
    };
    match state {
        NodeState::Quarantined => {
            doc.quarantined.insert(node, entry);
        }
        NodeState::Onboarding => {
            doc.onboarding.insert(node, entry);
        }
        NodeState::Retired | NodeState::Decommissioning => {
            doc.deploying.remove(&node);
        }
        _ => {}
    }
}

fn deploy_count(doc: &mut HealthDoc, at: Timestamp, hour: i64, succeeded: bool) {
    let day = doc.deploys_by_day.entry(at.day()).or_insert((0, 0));
    let slot = doc.deploys_by_hour.entry(hour).or_insert((0, 0));
    if succeeded {
        day.0 += 1;
        slot.0 += 1;
    } else {
        day.1 += 1;
        slot.1 += 1;
    }
    keep_newest(&mut doc.deploys_by_day, DAYS_KEPT);
    keep_newest(&mut doc.deploys_by_hour, HOURS_KEPT);
}

fn since_list(map: &BTreeMap<NodeId, Since>, phase: &str, older_than: Option<Timestamp>) -> Vec<NodeSince> {
    let mut list: Vec<NodeSince> = map
        .iter()
        .filter(|(_, s)| older_than.is_none_or(|t| s.since < t))
        .map(|(node, s)| NodeSince {
            node_id: *node,
            site_id: s.site_id,
            phase: phase.to_string(),
            since: s.since,
            reason: s.reason.clone(),
        })
        .collect();
    list.sort_by_key(|n| (n.since, n.node_id));
    list
}

/// The dashboard as of `now` (which decides the 24-hour windows and what is stuck).
pub fn render(
    doc: &HealthDoc,
    controllers: Vec<ConsumerLag>,
    now: Timestamp,
    as_of: AsOf,
) -> HealthDashboard {
    let window = now.minus(Duration::from_secs(24 * 3600)).as_micros();
    let drift = doc
        .drift
        .iter()
        .map(|(kind, d)| DriftCount {
            kind: kind.clone(),
            total: d.total,
            last_24h: d.by_hour.range(window..).map(|(_, n)| *n).sum(),
            tenant_cost: d.tenant_cost,
        })
        .collect();
    let (succeeded, failed) = doc
        .deploys_by_hour
        .range(window..)
        .fold((0, 0), |(s, f), (_, (ds, df))| (s + ds, f + df));
    let mut stuck = since_list(&doc.onboarding, "onboarding", Some(now.minus(ONBOARDING_BUDGET)));
    stuck.extend(since_list(
        &doc.deploying,
        "deploying",
        Some(now.minus(DEPLOYING_BUDGET)),
    ));
    HealthDashboard {
        as_of,
        drift,
        deploys_24h: DeployCounts {
            succeeded,
            failed,
            failure_rate: ratio(failed, succeeded + failed),
        },
        deploys_by_day: doc
            .deploys_by_day
            .iter()
            .map(|(day, (s, f))| DeployDay {
                day: day.clone(),
                succeeded: *s,
                failed: *f,
            })
            .collect(),
        quarantined: since_list(&doc.quarantined, "quarantined", None),
        stuck,
        onboarding: OnboardingQueue {
            nodes: u32::try_from(doc.onboarding.len()).unwrap_or(u32::MAX),
            oldest_since: doc.onboarding.values().map(|s| s.since).min(),
            failures_24h: doc
                .onboarding_failures_by_hour
                .range(window..)
                .map(|(_, n)| *n)
                .sum(),
        },
        controllers,
    }
}
