//! Sites: their MAAS bindings and policy, onboarding new machines, and the drift report with
//! its repairs (MAAS's reconcile pass).

use axum::extract::{Path, Query};
use axum::http::HeaderMap;
use ingot_contracts::iam::Actor;
use maud::{Markup, html};

use super::{Pairs, query_get};
use crate::Web;
use crate::form::Posted;
use crate::page::{self, Reply};
use crate::viewer::Viewer;

pub async fn sites_page(web: Web, actor: Actor, headers: HeaderMap) -> Reply {
    let viewer = Viewer::load(&web, actor, &headers, "/admin/sites").await?;
    let sites = web
        .inventory
        .sites_list(&viewer.actor)
        .await
        .map_err(|e| viewer.fail(e.into()))?;
    let mut rows = Vec::new();
    for site in &sites {
        let binding = web.maas.binding_get(&viewer.actor, &site.name).await.ok();
        rows.push(html! {
            tr {
                td { strong { (site.name) } }
                td { (site.region) " · " (site.country) }
                td { (page::badge(&site.status)) }
                td { @match &binding { Some(binding) => { code { (binding.url) } } None => { "not bound" } } }
                td {
                    @if let Some(binding) = &binding {
                        details {
                            summary { "Policy" }
                            dl {
                                dt { "Images allowed" } dd { @if binding.policy.allowed_images.is_empty() { "all the region has" } @else { (binding.policy.allowed_images.join(", ")) } }
                                dt { "Concurrent deploys" } dd { (binding.policy.max_concurrent_deploys) }
                                dt { "Erase on release" } dd { (page::label(&binding.policy.erase_on_release)) }
                                dt { "Commission new machines" } dd { @if binding.policy.auto_commission { "automatically" } @else { "when an operator says so" } }
                                dt { "Repair drift" } dd { @if binding.policy.auto_repair { "automatically" } @else { "when an operator says so" } }
                            }
                        }
                    }
                }
                td {
                    @if binding.is_some() {
                        (page::action_button(&format!("/admin/sites/{}/onboard", site.name), &viewer.csrf.token, "Onboard new machines", "secondary"))
                        " "
                        a href=(format!("/admin/sites/{}/drift", site.name)) { "Drift report" }
                    }
                }
            }
        });
    }
    Ok(viewer.page(
        "Sites",
        html! {
            @if sites.is_empty() {
                (page::empty("No sites yet. Add one with `ingot admin sites add`.", None))
            } @else {
                (page::table("Sites", &["Site", "Where", "Status", "MAAS region", "Policy", ""], rows))
            }
        },
    ))
}

pub async fn site_onboard(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    Path(site): Path<String>,
    axum::Form(fields): axum::Form<Pairs>,
) -> Reply {
    Posted::checked(&web, &headers, fields)?;
    let viewer = Viewer::load(&web, actor, &headers, "/admin/sites").await?;
    let report = web
        .maas
        .onboard(&viewer.actor, &site)
        .await
        .map_err(|e| viewer.fail(e.into()))?;
    Ok(viewer.page(
        &format!("Onboarding at {site}"),
        html! {
            div.notice role="status" {
                p { "MAAS reported " (report.seen) " machines: " (report.commissioning_started) " started commissioning, "
                    (report.commissioning) " commissioning, " (report.registered) " registered, " (report.failed) " failed, "
                    (report.awaiting_operator) " waiting for an operator, " (report.errors) " errors." }
            }
            p { "Commissioning continues in the background; registered machines appear on the " a href="/admin/nodes?state=onboarding" { "nodes page" } "." }
            p { a.button href="/admin/sites" { "Back to sites" } }
        },
    ))
}

/// What MAAS shows that Ingot did not expect, found by the reconcile passes: open findings first,
/// each with the repair taken or proposed; "Reconcile now" runs a pass (and, per the site's
/// policy, its repairs).
pub async fn drift_page(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    Path(site): Path<String>,
    Query(query): Query<Pairs>,
) -> Reply {
    let viewer = Viewer::load(&web, actor, &headers, "/admin/sites").await?;
    let all = query_get(&query, "all").is_some();
    let drift = web
        .maas
        .drift_list(&viewer.actor, &site, all)
        .await
        .map_err(|e| viewer.fail(e.into()))?;
    Ok(viewer.page(
        &format!("Drift at {site}"),
        html! {
            p {
                (page::action_button(&format!("/admin/sites/{site}/reconcile"), &viewer.csrf.token, "Reconcile now", ""))
                " "
                @if all { a href=(format!("/admin/sites/{site}/drift")) { "Open findings only" } }
                @else { a href=(format!("/admin/sites/{site}/drift?all=1")) { "Include resolved findings" } }
            }
            (drift_table(&drift))
        },
    ))
}

fn drift_table(drift: &[ingot_contracts::maas::DriftView]) -> Markup {
    if drift.is_empty() {
        return page::empty("No drift: MAAS and Ingot agree about every machine.", None);
    }
    page::table(
        "Drift findings",
        &["Machine", "Kind", "What differs", "Repair", "Tenant cost", "Found", "State"],
        drift
            .iter()
            .map(|finding| {
                html! {
                    tr {
                        td {
                            @match finding.node_id {
                                Some(node_id) => { a href=(format!("/admin/nodes/{node_id}")) { (finding.machine_ref) } }
                                None => { (finding.machine_ref) }
                            }
                        }
                        td { (finding.kind) }
                        td { (finding.detail) }
                        td { (finding.repair) @if let Some(at) = finding.repaired_at { br; "done " (page::time(at)) } }
                        td { @if finding.tenant_cost { "yes" } @else { "no" } }
                        td { (page::time(finding.found_at)) }
                        td { @match finding.resolved_at { Some(at) => { "resolved " (page::time(at)) } None => { (page::badge(&"open")) } } }
                    }
                }
            })
            .collect(),
    )
}

pub async fn site_reconcile(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    Path(site): Path<String>,
    axum::Form(fields): axum::Form<Pairs>,
) -> Reply {
    Posted::checked(&web, &headers, fields)?;
    let viewer = Viewer::load(&web, actor, &headers, "/admin/sites").await?;
    let report = web
        .maas
        .reconcile(&viewer.actor, &site)
        .await
        .map_err(|e| viewer.fail(e.into()))?;
    let drift = web
        .maas
        .drift_list(&viewer.actor, &site, false)
        .await
        .map_err(|e| viewer.fail(e.into()))?;
    Ok(viewer.page(
        &format!("Drift at {site}"),
        html! {
            div.notice role="status" {
                p { "Reconcile pass " code { (report.pass_id) } ": " (report.machines) " machines compared, " (report.findings) " findings ("
                    (report.new) " new, " (report.resolved) " resolved), " (report.repairs) " repairs, " (report.requests) " MAAS requests." }
            }
            (drift_table(&drift))
        },
    ))
}
