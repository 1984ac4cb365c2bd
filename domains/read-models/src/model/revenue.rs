//! Revenue: per day, usage charged (by SKU and site), top-ups, credits and refunds, folded from
//! Billing's ledger announcements; usage is placed on its SKU and site through Allocation's
//! metering events (a usage posting names the allocation and node it is for).

use std::collections::BTreeMap;
use std::time::Duration;

use ingot_contracts::allocation::NodeMeteringStarted;
use ingot_contracts::billing::TransactionPosted;
use ingot_contracts::read_models::{AsOf, RevenueCell, RevenueDashboard, RevenueDay, RevenueTotals};
use ingot_kernel::Timestamp;
use ingot_kernel::event::EventEnvelope;
use ingot_kernel::id::{SiteId, SkuId};
use ingot_kernel::money::{Currency, Money};
use serde::{Deserialize, Serialize};

use super::{ApplyError, Declared, Docs, Names, Need, OPS_SCOPE, Projection, payload};

pub const NAME: &str = "revenue";
pub const DAY_PREFIX: &str = "day/";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayDoc {
    #[serde(default)]
    pub currency: Option<Currency>,
    pub usage: i64,
    pub top_ups: i64,
    pub credits: i64,
    pub refunds: i64,
    /// `sku_id/site_id` → usage; usage of unknown placement is under `unknown`.
    #[serde(default)]
    pub by_cell: BTreeMap<String, i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeterDoc {
    pub sku_id: SkuId,
    pub site_id: SiteId,
}

pub fn day_key(day: &str) -> String {
    format!("{DAY_PREFIX}{day}")
}

/// A usage posting's reference is `alc_…/nod_…`: the meter it charges.
fn meter_key(reference: &str) -> String {
    format!("meter/{reference}")
}

/// This projection as `GET /v1/admin/ownership` and ARCHITECTURE.md list it.
pub const DECLARED: Declared = Declared {
    name: NAME,
    version: 1,
    sources: &["billing", "provisioning-allocation"],
    route: "GET /v1/admin/dashboards/revenue",
};

pub struct RevenueProjection;

impl Projection for RevenueProjection {
    fn declared(&self) -> &'static Declared {
        &DECLARED
    }

    fn needs(&self, event: &EventEnvelope) -> Vec<Need> {
        match event.event_type.as_str() {
            "allocation.node_metering_started" => {
                let allocation = event.payload.get("allocation_id").and_then(|v| v.as_str());
                let node = event.payload.get("node_id").and_then(|v| v.as_str());
                match (allocation, node) {
                    (Some(a), Some(n)) => vec![Need::Key(meter_key(&format!("{a}/{n}")))],
                    _ => Vec::new(),
                }
            }
            "billing.transaction_posted" => {
                let mut needs = vec![Need::Key(day_key(&event.occurred_at.day()))];
                if let Some(reference) = event.payload.get("reference").and_then(|v| v.as_str()) {
                    needs.push(Need::Key(meter_key(reference)));
                }
                needs
            }
            _ => Vec::new(),
        }
    }

    fn scope(&self, _event: &EventEnvelope) -> Option<String> {
        Some(OPS_SCOPE.to_string())
    }

    fn apply(&self, event: &EventEnvelope, docs: &mut Docs) -> Result<(), ApplyError> {
        match event.event_type.as_str() {
            "allocation.node_metering_started" => {
                let e: NodeMeteringStarted = payload(event)?;
                let meter = MeterDoc {
                    sku_id: e.sku_id,
                    site_id: e.site_id,
                };
                docs.put(&meter_key(&format!("{}/{}", e.allocation_id, e.node_id)), &meter);
            }
            "billing.transaction_posted" => {
                let e: TransactionPosted = payload(event)?;
                let key = day_key(&event.occurred_at.day());
                let mut day: DayDoc = docs.get(&key)?;
                day.currency = Some(e.cash.currency());
                let tenant_gain = e.cash.micros() + e.promo.micros();
                match e.kind.as_str() {
                    "top_up" => day.top_ups += tenant_gain,
                    "credit" => day.credits += tenant_gain,
                    // Money paid back to a payer's card (no meter named), the platform's share
                    // included, as Billing's statements tell them apart.
                    "refund" if e.reference.is_none() => {
                        day.refunds += e.gross.map_or(-tenant_gain, |g| g.micros());
                    }
                    // Usage given back to the balance (a fault credited) nets usage down.
                    "usage" | "refund" => {
                        day.usage -= tenant_gain;
                        let meter = match &e.reference {
                            Some(reference) => docs.get_opt::<MeterDoc>(&meter_key(reference))?,
                            None => None,
                        };
                        let cell = meter.map_or_else(
                            || "unknown".to_string(),
                            |m| format!("{}/{}", m.sku_id, m.site_id),
                        );
                        *day.by_cell.entry(cell).or_insert(0) -= tenant_gain;
                    }
                    _ => return Ok(()),
                }
                docs.put(&key, &day);
            }
            _ => {}
        }
        Ok(())
    }
}

/// The last `days` days up to `now`'s, oldest first, from the day documents found (by day).
pub fn render(
    found: &BTreeMap<String, DayDoc>,
    names: &Names,
    days: u32,
    fallback: Currency,
    now: Timestamp,
    as_of: AsOf,
) -> RevenueDashboard {
    let currency = found.values().find_map(|d| d.currency).unwrap_or(fallback);
    let money = |micros: i64| Money::from_micros(micros, currency);
    let today = now.day_start();
    let mut totals = (0i64, 0i64, 0i64, 0i64);
    let mut cells: BTreeMap<String, i64> = BTreeMap::new();
    let days = (0..i64::from(days))
        .rev()
        .map(|back| {
            let day = today.minus(Duration::from_secs(86_400 * back as u64)).day();
            let doc = found.get(&day).cloned().unwrap_or_default();
            totals.0 += doc.usage;
            totals.1 += doc.top_ups;
            totals.2 += doc.credits;
            totals.3 += doc.refunds;
            for (cell, usage) in &doc.by_cell {
                *cells.entry(cell.clone()).or_insert(0) += usage;
            }
            RevenueDay {
                day,
                usage: money(doc.usage),
                top_ups: money(doc.top_ups),
                credits: money(doc.credits),
                refunds: money(doc.refunds),
            }
        })
        .collect();
    let mut by_sku_site: Vec<RevenueCell> = cells
        .iter()
        .filter_map(|(cell, usage)| {
            let (sku, site) = cell.split_once('/')?;
            let (sku_id, site_id) = (sku.parse().ok()?, site.parse().ok()?);
            Some(RevenueCell {
                sku_id,
                site_id,
                sku: names.skus.get(&sku_id).cloned(),
                site: names.sites.get(&site_id).cloned(),
                usage: money(*usage),
            })
        })
        .collect();
    by_sku_site.sort_by(|a, b| {
        b.usage
            .micros()
            .cmp(&a.usage.micros())
            .then(a.sku_id.cmp(&b.sku_id))
    });
    RevenueDashboard {
        as_of,
        days,
        by_sku_site,
        totals: RevenueTotals {
            usage: money(totals.0),
            top_ups: money(totals.1),
            credits: money(totals.2),
            refunds: money(totals.3),
        },
    }
}
