//! The tenant's overview: balance, burn, runway and spend (Read Models' `tenant-overview`), with
//! the live allocations and what still needs doing (verification, a first top-up).

use axum::http::HeaderMap;
use ingot_contracts::iam::{Actor, KycState};
use ingot_kernel::problem::Problem;
use maud::html;

use crate::Web;
use crate::chart;
use crate::page::{self, Reply};
use crate::viewer::Viewer;

fn money_value(money: &ingot_kernel::Money) -> f64 {
    money.micros() as f64 / 1_000_000.0
}

pub async fn overview(web: Web, actor: Actor, headers: HeaderMap) -> Reply {
    let viewer = Viewer::load(&web, actor, &headers, "/overview").await?;
    let (tenant, _) = viewer.workspace()?;
    let overview = web
        .read_models
        .tenant_overview(&viewer.actor, tenant.tenant_id)
        .await
        .map_err(|err| viewer.fail(Problem::from(err)))?;
    let kyc_verified = overview
        .kyc
        .as_ref()
        .is_some_and(|kyc| kyc.state == KycState::Verified);
    let spend: Vec<(String, f64)> = overview
        .spend_by_day
        .iter()
        .map(|day| {
            (
                day.day.get(5..).unwrap_or(&day.day).to_string(),
                money_value(&day.amount),
            )
        })
        .collect();
    let currency = overview.burn_per_hour.currency().to_string();
    Ok(viewer.page(
        "Overview",
        html! {
            @if !kyc_verified {
                div.notice {
                    p {
                        "Verify your organisation before allocating machines. "
                        a href="/kyc" { "Go to verification" }
                    }
                }
            }
            div.grid {
                div.card {
                    h2 { "Available balance" }
                    @if let Some(balance) = &overview.balance {
                        p.figure { (page::money(&balance.available)) }
                        p { "Cash " (page::money(&balance.cash)) " · promotional " (page::money(&balance.promo)) " · held " (page::money(&balance.held)) }
                    } @else {
                        p.figure { "—" }
                    }
                    p { a href="/billing" { "Top up" } }
                }
                div.card {
                    h2 { "Burn rate" }
                    p.figure { (page::money(&overview.burn_per_hour)) " / hour" }
                    p {
                        "Runway: "
                        @match overview.runway_hours {
                            Some(hours) => { strong { (hours) " hours" } }
                            None => { "no spend running" }
                        }
                    }
                }
                div.card {
                    h2 { "Spend this month" }
                    p.figure { (page::money(&overview.spend_this_month)) }
                }
                div.card {
                    h2 { "Machines" }
                    p.figure { (overview.nodes_active) " active" }
                    p { (overview.nodes_live) " allocated in all" }
                }
            }
            h2 { "Spend per day" }
            @if spend.iter().all(|(_, value)| *value == 0.0) {
                (page::empty("No spend yet: it shows here per day once machines run.", Some(("/catalog", "Browse the catalog"))))
            } @else {
                (chart::bars("Spend per day", &currency, &spend))
            }
            @if !overview.stopping_first.is_empty() {
                h2 { "Funding stops first for" }
                (page::table("Allocations by funding deadline", &["Allocation", "Funded until", "Rate"],
                    overview.stopping_first.iter().map(|stop| html! {
                        tr {
                            td { a href=(format!("/allocations/{}", stop.allocation_id)) { code { (stop.allocation_id) } } }
                            td { (page::time(stop.deadline)) }
                            td.num { (page::money(&stop.rate_per_hour)) " / h" }
                        }
                    }).collect()))
            }
            h2 { "Live allocations" }
            @if overview.allocations.is_empty() {
                (page::empty("No machines running.", Some(("/allocations/new", "Allocate machines"))))
            } @else {
                (page::table("Live allocations", &["Allocation", "SKU", "Site", "State", "Nodes active", "Since"],
                    overview.allocations.iter().map(|allocation| html! {
                        tr {
                            td { a href=(format!("/allocations/{}", allocation.allocation_id)) { code { (allocation.allocation_id) } } }
                            td { (allocation.sku) }
                            td { (allocation.site) }
                            td { (page::badge(&allocation.state)) }
                            td.num { (allocation.nodes_active) " of " (allocation.node_count) }
                            td { (page::time(allocation.since)) }
                        }
                    }).collect()))
            }
            p.hint { "As of " (page::time(overview.as_of.composed_at)) "." }
        },
    ))
}
