//! The operator's pages: capacity, health and revenue dashboards (Read Models), sites with their
//! MAAS bindings, onboarding and drift (MAAS), nodes with filters, detail, maintenance, reimage and
//! decommission (Inventory, MAAS), allocations and force-release (Allocation), KYC decisions and
//! the audit log (IAM), credits and ledger verification (Billing), incidents (Operations). Each call is authorised by its
//! domain; a tenant who opens these pages gets the domain's refusal.

mod allocations;
mod incidents;
mod money;
mod nodes;
mod people;
mod sites;

pub use allocations::{allocation_lookup, force_release};
pub use incidents::{incident_ack, incident_page, incident_resolve, incidents_page};
pub use money::{credit_grant, ledger_page};
pub use nodes::{node_decommission, node_maintenance, node_page, node_reimage, nodes_page};
pub use people::{audit_page, kyc_decide, kyc_queue};
pub use sites::{drift_page, policy_page, policy_set, site_onboard, site_reconcile, sites_page};

use axum::http::HeaderMap;
use ingot_contracts::iam::Actor;
use ingot_kernel::problem::{Code, Problem};
use maud::html;

use crate::Web;
use crate::chart;
use crate::page::{self, Reply};
use crate::viewer::Viewer;

type Pairs = Vec<(String, String)>;

pub(super) fn query_get(query: &Pairs, name: &str) -> Option<String> {
    query
        .iter()
        .find(|(key, value)| key == name && !value.trim().is_empty())
        .map(|(_, value)| value.trim().to_string())
}

pub(super) fn not_found(viewer: &Viewer, what: &str) -> axum::response::Response {
    viewer.fail(Problem::new(Code::NotFound).detail(format!("no such {what}")))
}

pub async fn dashboards(web: Web, actor: Actor, headers: HeaderMap) -> Reply {
    let viewer = Viewer::load(&web, actor, &headers, "/admin").await?;
    let capacity = web
        .read_models
        .capacity(&viewer.actor)
        .await
        .map_err(|e| viewer.fail(e.into()))?;
    let health = web
        .read_models
        .health(&viewer.actor)
        .await
        .map_err(|e| viewer.fail(e.into()))?;
    let revenue = web
        .read_models
        .revenue(&viewer.actor, 30)
        .await
        .map_err(|e| viewer.fail(e.into()))?;
    let usage: Vec<(String, f64)> = revenue
        .days
        .iter()
        .map(|day| {
            (
                day.day.get(5..).unwrap_or(&day.day).to_string(),
                day.usage.micros() as f64 / 1e6,
            )
        })
        .collect();
    let currency = revenue.totals.usage.currency().to_string();
    // Hours across every site and SKU: the fleet's assigned count as each hour ended.
    let mut hours: std::collections::BTreeMap<ingot_kernel::Timestamp, u32> =
        std::collections::BTreeMap::new();
    for cell in &capacity.cells {
        for point in &cell.history {
            *hours.entry(point.hour).or_default() += point.assigned;
        }
    }
    let utilisation: Vec<(String, f64)> = hours
        .iter()
        .map(|(hour, assigned)| {
            let text = hour.to_string();
            (
                text.get(11..16).unwrap_or(&text).to_string(),
                f64::from(*assigned),
            )
        })
        .collect();
    let deploys: Vec<(String, f64)> = health
        .deploys_by_day
        .iter()
        .map(|day| {
            (
                day.day.get(5..).unwrap_or(&day.day).to_string(),
                day.failed as f64,
            )
        })
        .collect();
    Ok(viewer.page(
        "Dashboards",
        html! {
            h2 { "Capacity" }
            @if capacity.cells.is_empty() {
                (page::empty("No nodes yet: bind a site to MAAS and onboard its machines.", Some(("/admin/sites", "Sites"))))
            } @else {
                (page::table("Capacity by site and SKU", &["Site", "SKU", "Total", "Available", "Assigned", "Maintenance", "Onboarding", "Quarantined", "Utilisation"],
                    capacity.cells.iter().map(|cell| html! {
                        tr {
                            td { (cell.site.clone().unwrap_or_else(|| cell.site_id.to_string())) }
                            td { (cell.sku.clone().unwrap_or_else(|| "unmatched".into())) }
                            td.num { (cell.total) } td.num { (cell.available) } td.num { (cell.assigned) }
                            td.num { (cell.maintenance) } td.num { (cell.onboarding) } td.num { (cell.quarantined) }
                            td.num { (format!("{:.0} %", cell.utilisation * 100.0)) }
                        }
                    }).collect()))
            }
            @if !utilisation.is_empty() {
                (chart::bars("Assigned nodes per hour, all sites (48 h)", "nodes", &utilisation))
            }
            h2 { "Health" }
            div.grid {
                div.card { h3 { "Deploys, 24 h" } p.figure { (health.deploys_24h.succeeded) " ok" } p { (health.deploys_24h.failed) " failed (" (format!("{:.1} %", health.deploys_24h.failure_rate * 100.0)) ")" } }
                div.card { h3 { "Onboarding queue" } p.figure { (health.onboarding.nodes) } p { (health.onboarding.failures_24h) " failures in 24 h" } }
                div.card { h3 { "Quarantined" } p.figure { (health.quarantined.len()) } }
                div.card { h3 { "Stuck" } p.figure { (health.stuck.len()) } }
            }
            @if deploys.iter().any(|(_, value)| *value > 0.0) {
                (chart::bars("Failed deploys per day", "deploys", &deploys))
            }
            @if !health.stuck.is_empty() || !health.quarantined.is_empty() {
                (page::table("Nodes needing attention", &["Node", "Phase", "Since", "Why"],
                    health.stuck.iter().chain(health.quarantined.iter()).map(|node| html! {
                        tr {
                            td { a href=(format!("/admin/nodes/{}", node.node_id)) { code { (node.node_id) } } }
                            td { (node.phase) }
                            td { (page::time(node.since)) }
                            td { (node.reason.clone().unwrap_or_default()) }
                        }
                    }).collect()))
            }
            p { a href="/admin/nodes?state=onboarding" { "The onboarding queue" } " · " a href="/admin/nodes?state=quarantined" { "Quarantined nodes" } }
            @if !health.drift.is_empty() {
                (page::table("Drift by kind", &["Kind", "Total", "Last 24 h"],
                    health.drift.iter().map(|drift| html! { tr { td { (drift.kind) } td.num { (drift.total) } td.num { (drift.last_24h) } } }).collect()))
            }
            h2 { "Revenue, 30 days" }
            div.grid {
                div.card { h3 { "Usage" } p.figure { (page::money(&revenue.totals.usage)) } }
                div.card { h3 { "Top-ups" } p.figure { (page::money(&revenue.totals.top_ups)) } }
                div.card { h3 { "Credits" } p.figure { (page::money(&revenue.totals.credits)) } }
                div.card { h3 { "Refunds" } p.figure { (page::money(&revenue.totals.refunds)) } }
            }
            @if usage.iter().any(|(_, value)| *value > 0.0) {
                (chart::bars("Usage revenue per day", &currency, &usage))
            } @else {
                (page::empty("No usage revenue in the last 30 days.", None))
            }
        },
    ))
}
