//! Tenant overview: one document per tenant, folded from IAM's KYC decisions, Billing's balance,
//! funding and ledger announcements, and Allocation's lifecycle and quota events.

use std::collections::{BTreeMap, BTreeSet};

use ingot_contracts::allocation::{
    AllocationEnded, AllocationRequested, AllocationState, AllocationStateChanged, NodeAssigned,
    NodeMeteringStarted, NodeMeteringStopped, NodeReleased, QuotaEntry, QuotasChanged,
};
use ingot_contracts::billing::{AccountSnapshot, BalanceChanged, FundingChanged, TransactionPosted};
use ingot_contracts::iam::{KycChanged, KycLevel, KycState};
use ingot_contracts::read_models::{
    AsOf, BalanceSummary, DayAmount, KycSummary, OverviewAllocation, QuotaUse, StoppingAllocation,
    TenantOverview,
};
use ingot_kernel::Timestamp;
use ingot_kernel::event::EventEnvelope;
use ingot_kernel::id::{AllocationId, NodeId, ProjectId, SiteId, SkuId, TenantId};
use ingot_kernel::money::{Currency, Money};
use serde::{Deserialize, Serialize};

use super::{ApplyError, Declared, Docs, Need, Projection, keep_newest, payload};

pub const NAME: &str = "tenant-overview";
/// Days of spend kept per tenant: this month and the last, whatever the day.
const SPEND_DAYS_KEPT: usize = 62;
const SPEND_DAYS_SHOWN: i64 = 30;
const STOPPING_SHOWN: usize = 5;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TenantDoc {
    #[serde(default)]
    pub kyc: Option<(KycState, KycLevel)>,
    #[serde(default)]
    pub balance: Option<BalanceDoc>,
    #[serde(default)]
    pub currency: Option<Currency>,
    /// Open fundings.
    #[serde(default)]
    pub fundings: BTreeMap<AllocationId, FundingDoc>,
    /// Allocations not ended.
    #[serde(default)]
    pub allocations: BTreeMap<AllocationId, AllocationDoc>,
    /// Usage charged per UTC day, in micros of `currency`.
    #[serde(default)]
    pub spend_by_day: BTreeMap<String, i64>,
    #[serde(default)]
    pub quotas: Vec<QuotaEntry>,
}

/// Each account as its newest snapshot (by version) has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BalanceDoc {
    pub cash: AccountSnapshot,
    pub promo: AccountSnapshot,
    pub credit_limit: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundingDoc {
    pub rate_per_hour: Money,
    #[serde(default)]
    pub deadline: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationDoc {
    #[serde(default)]
    pub project_id: Option<ProjectId>,
    #[serde(default)]
    pub sku_id: Option<SkuId>,
    #[serde(default)]
    pub site_id: Option<SiteId>,
    #[serde(default)]
    pub sku: String,
    #[serde(default)]
    pub site: String,
    pub state: AllocationState,
    pub since: Timestamp,
    #[serde(default)]
    pub node_count: u32,
    /// Nodes bound to it now.
    #[serde(default)]
    pub nodes: BTreeSet<NodeId>,
    /// Of those, the deployed and metered ones.
    #[serde(default)]
    pub active: BTreeSet<NodeId>,
}

impl AllocationDoc {
    fn new(at: Timestamp) -> AllocationDoc {
        AllocationDoc {
            project_id: None,
            sku_id: None,
            site_id: None,
            sku: String::new(),
            site: String::new(),
            state: AllocationState::Provisioning,
            since: at,
            node_count: 0,
            nodes: BTreeSet::new(),
            active: BTreeSet::new(),
        }
    }
}

pub fn doc_key(tenant_id: TenantId) -> String {
    format!("tenant/{tenant_id}")
}

const EVENTS: &[&str] = &[
    "kyc.changed",
    "billing.balance_changed",
    "billing.funding_changed",
    "billing.transaction_posted",
    "allocation.requested",
    "allocation.node_assigned",
    "allocation.node_metering_started",
    "allocation.node_metering_stopped",
    "allocation.node_released",
    "allocation.state_changed",
    "allocation.ended",
    "allocation.quotas_changed",
];

/// This projection as `GET /v1/admin/ownership` and ARCHITECTURE.md list it.
pub const DECLARED: Declared = Declared {
    name: NAME,
    version: 1,
    sources: &["iam", "billing", "provisioning-allocation"],
    route: "GET /v1/tenants/{tenant_id}/overview",
};

pub struct TenantOverviewProjection;

impl Projection for TenantOverviewProjection {
    fn declared(&self) -> &'static Declared {
        &DECLARED
    }

    fn needs(&self, event: &EventEnvelope) -> Vec<Need> {
        match event.tenant_id {
            Some(tenant) if EVENTS.contains(&event.event_type.as_str()) => vec![Need::Key(doc_key(tenant))],
            _ => Vec::new(),
        }
    }

    fn scope(&self, event: &EventEnvelope) -> Option<String> {
        event.tenant_id.map(|t| t.to_string())
    }

    fn apply(&self, event: &EventEnvelope, docs: &mut Docs) -> Result<(), ApplyError> {
        let Some(tenant) = event.tenant_id else {
            return Ok(());
        };
        let key = doc_key(tenant);
        let mut doc: TenantDoc = docs.get(&key)?;
        match event.event_type.as_str() {
            "kyc.changed" => {
                let e: KycChanged = payload(event)?;
                doc.kyc = Some((e.state, e.level));
            }
            "billing.balance_changed" => {
                let e: BalanceChanged = payload(event)?;
                doc.currency = Some(e.cash.balance.currency());
                // Snapshots may arrive out of commit order (PostgreSQL): per account, the
                // higher version is the newer.
                let balance = doc.balance.get_or_insert_with(|| BalanceDoc {
                    cash: e.cash.clone(),
                    promo: e.promo.clone(),
                    credit_limit: e.credit_limit,
                });
                if e.cash.version >= balance.cash.version {
                    balance.cash = e.cash;
                    balance.credit_limit = e.credit_limit;
                }
                if e.promo.version >= balance.promo.version {
                    balance.promo = e.promo;
                }
            }
            "billing.funding_changed" => {
                let e: FundingChanged = payload(event)?;
                if e.open {
                    doc.fundings.insert(
                        e.allocation_id,
                        FundingDoc {
                            rate_per_hour: e.rate_per_hour,
                            deadline: e.deadline,
                        },
                    );
                } else {
                    doc.fundings.remove(&e.allocation_id);
                }
            }
            "billing.transaction_posted" => {
                let e: TransactionPosted = payload(event)?;
                // Spend: usage charged, less usage given back (a refund naming its meter); a
                // card refund takes money out and is not spend.
                let gain = e.cash.micros() + e.promo.micros();
                if e.kind == "usage" || (e.kind == "refund" && e.reference.is_some()) {
                    doc.currency = Some(e.cash.currency());
                    *doc.spend_by_day.entry(e.at.day()).or_insert(0) -= gain;
                    keep_newest(&mut doc.spend_by_day, SPEND_DAYS_KEPT);
                }
            }
            "allocation.requested" => {
                let e: AllocationRequested = payload(event)?;
                let a = doc
                    .allocations
                    .entry(e.allocation_id)
                    .or_insert_with(|| AllocationDoc::new(e.at));
                a.project_id = Some(e.project_id);
                a.sku_id = Some(e.sku_id);
                a.site_id = Some(e.site_id);
                a.sku = if e.sku_name.is_empty() {
                    e.sku_id.to_string()
                } else {
                    e.sku_name
                };
                a.site = if e.site_name.is_empty() {
                    e.site_id.to_string()
                } else {
                    e.site_name
                };
                a.node_count = e.node_count;
            }
            "allocation.node_assigned" => {
                let e: NodeAssigned = payload(event)?;
                doc.allocations
                    .entry(e.allocation_id)
                    .or_insert_with(|| AllocationDoc::new(event.occurred_at))
                    .nodes
                    .insert(e.node_id);
            }
            "allocation.node_metering_started" => {
                let e: NodeMeteringStarted = payload(event)?;
                if let Some(a) = doc.allocations.get_mut(&e.allocation_id) {
                    a.active.insert(e.node_id);
                }
            }
            "allocation.node_metering_stopped" => {
                let e: NodeMeteringStopped = payload(event)?;
                if let Some(a) = doc.allocations.get_mut(&e.allocation_id) {
                    a.active.remove(&e.node_id);
                }
            }
            "allocation.node_released" => {
                let e: NodeReleased = payload(event)?;
                if let Some(a) = doc.allocations.get_mut(&e.allocation_id) {
                    a.nodes.remove(&e.node_id);
                    a.active.remove(&e.node_id);
                }
            }
            "allocation.state_changed" => {
                let e: AllocationStateChanged = payload(event)?;
                if let Some(a) = doc.allocations.get_mut(&e.allocation_id) {
                    a.state = e.state;
                    a.since = e.at;
                }
            }
            "allocation.ended" => {
                let e: AllocationEnded = payload(event)?;
                doc.allocations.remove(&e.allocation_id);
            }
            "allocation.quotas_changed" => {
                let e: QuotasChanged = payload(event)?;
                doc.quotas = e.quotas;
            }
            _ => return Ok(()),
        }
        docs.put(&key, &doc);
        Ok(())
    }
}

/// The overview as of `now` (which only decides what "this month" and "the last 30 days" are).
pub fn render(
    doc: &TenantDoc,
    tenant_id: TenantId,
    fallback: Currency,
    now: Timestamp,
    as_of: AsOf,
) -> TenantOverview {
    let currency = doc.currency.unwrap_or(fallback);
    let money = |micros: i64| Money::from_micros(micros, currency);
    let burn: i64 = doc.fundings.values().map(|f| f.rate_per_hour.micros()).sum();
    let runway_hours = doc.balance.as_ref().and_then(|b| {
        let money_left = b.cash.balance.micros() + b.promo.balance.micros() + b.credit_limit.micros();
        (burn > 0).then(|| u64::try_from(money_left.max(0) / burn).unwrap_or(0))
    });
    let mut stopping: Vec<StoppingAllocation> = doc
        .fundings
        .iter()
        .filter_map(|(id, f)| {
            f.deadline.map(|deadline| StoppingAllocation {
                allocation_id: *id,
                deadline,
                rate_per_hour: f.rate_per_hour,
            })
        })
        .collect();
    stopping.sort_by_key(|s| (s.deadline, s.allocation_id));
    stopping.truncate(STOPPING_SHOWN);

    let month = now.month_start_of().day();
    let spend_this_month = doc
        .spend_by_day
        .iter()
        .filter(|(day, _)| day.as_str() >= month.as_str())
        .map(|(_, m)| *m)
        .sum();
    let today = now.day_start();
    let spend_by_day = (0..SPEND_DAYS_SHOWN)
        .rev()
        .map(|back| {
            let day = today
                .minus(std::time::Duration::from_secs(86_400 * back as u64))
                .day();
            let amount = money(doc.spend_by_day.get(&day).copied().unwrap_or(0));
            DayAmount { day, amount }
        })
        .collect();

    let mut allocations: Vec<OverviewAllocation> = doc
        .allocations
        .iter()
        // An allocation whose admission event is in a later batch than its first node's.
        .filter_map(|(id, a)| {
            Some(OverviewAllocation {
                allocation_id: *id,
                project_id: a.project_id?,
                sku: a.sku.clone(),
                site: a.site.clone(),
                state: a.state,
                since: a.since,
                node_count: a.node_count,
                nodes_active: count(a.active.len()),
            })
        })
        .collect();
    allocations.reverse();
    let nodes_live = count(doc.allocations.values().map(|a| a.nodes.len()).sum());
    let nodes_active = count(doc.allocations.values().map(|a| a.active.len()).sum());
    let quotas = doc
        .quotas
        .iter()
        .map(|q| QuotaUse {
            sku: q.sku.clone(),
            project_id: q.project_id,
            max_nodes: q.max_nodes,
            used: count(
                doc.allocations
                    .values()
                    .filter(|a| a.sku == q.sku && q.project_id.is_none_or(|p| a.project_id == Some(p)))
                    .map(|a| a.nodes.len())
                    .sum(),
            ),
        })
        .collect();
    TenantOverview {
        tenant_id,
        as_of,
        kyc: doc.kyc.map(|(state, level)| KycSummary { state, level }),
        balance: doc.balance.as_ref().map(|b| {
            let held = b.cash.held.micros() + b.promo.held.micros();
            let (cash, promo) = (b.cash.balance, b.promo.balance);
            BalanceSummary {
                cash,
                promo,
                held: Money::from_micros(held, cash.currency()),
                available: Money::from_micros(
                    cash.micros() + promo.micros() - held + b.credit_limit.micros(),
                    cash.currency(),
                ),
                credit_limit: b.credit_limit,
            }
        }),
        burn_per_hour: money(burn),
        runway_hours,
        stopping_first: stopping,
        spend_this_month: money(spend_this_month),
        spend_by_day,
        allocations,
        nodes_live,
        nodes_active,
        quotas,
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
