//! The operator's pages: capacity, health and revenue dashboards (Read Models), sites and their
//! onboarding (MAAS), nodes with filters and detail with maintenance (Inventory), KYC decisions
//! (IAM), force-release (Allocation) and ledger verification (Billing). Each call is authorised
//! by its domain; a tenant who opens these pages gets the domain's 403.

use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use ingot_contracts::allocation::{AllocationState, ForceReleaseRequest};
use ingot_contracts::iam::{Actor, KycDecision, KycDecisionRequest, KycLevel};
use ingot_contracts::inventory::{MaintenanceRequest, NodeFilter, NodeState};
use ingot_kernel::id::{AllocationId, NodeId, TenantId};
use ingot_kernel::problem::{Code, Problem};
use maud::{Markup, html};

use crate::Web;
use crate::chart;
use crate::form::Posted;
use crate::page::{self, FormErrors, Input, Reply};
use crate::viewer::Viewer;

type Pairs = Vec<(String, String)>;

fn query_get(query: &Pairs, name: &str) -> Option<String> {
    query
        .iter()
        .find(|(key, value)| key == name && !value.trim().is_empty())
        .map(|(_, value)| value.trim().to_string())
}

fn not_found(viewer: &Viewer, what: &str) -> axum::response::Response {
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
            h2 { "Health" }
            div.grid {
                div.card { h3 { "Deploys, 24 h" } p.figure { (health.deploys_24h.succeeded) " ok" } p { (health.deploys_24h.failed) " failed (" (format!("{:.1} %", health.deploys_24h.failure_rate * 100.0)) ")" } }
                div.card { h3 { "Onboarding queue" } p.figure { (health.onboarding.nodes) } p { (health.onboarding.failures_24h) " failures in 24 h" } }
                div.card { h3 { "Quarantined" } p.figure { (health.quarantined.len()) } }
                div.card { h3 { "Stuck" } p.figure { (health.stuck.len()) } }
            }
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
                    @if binding.is_some() {
                        (page::action_button(&format!("/admin/sites/{}/onboard", site.name), &viewer.csrf.token, "Onboard new machines", "secondary"))
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
                (page::table("Sites", &["Site", "Where", "Status", "MAAS region", ""], rows))
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

const STATES: [NodeState; 6] = [
    NodeState::Onboarding,
    NodeState::Available,
    NodeState::Maintenance,
    NodeState::Quarantined,
    NodeState::Decommissioning,
    NodeState::Retired,
];

pub async fn nodes_page(web: Web, actor: Actor, headers: HeaderMap, Query(query): Query<Pairs>) -> Reply {
    let viewer = Viewer::load(&web, actor, &headers, "/admin/nodes").await?;
    let state = match query_get(&query, "state") {
        None => None,
        Some(text) => Some(
            serde_json::from_value::<NodeState>(serde_json::Value::String(text)).map_err(|_| {
                viewer.fail(Problem::new(Code::ValidationFailed).field("state", "not a node state"))
            })?,
        ),
    };
    let filter = NodeFilter {
        site: query_get(&query, "site"),
        sku: query_get(&query, "sku"),
        state,
        limit: Some(200),
        cursor: query_get(&query, "cursor"),
    };
    let nodes = web
        .inventory
        .nodes_list(&viewer.actor, filter.clone())
        .await
        .map_err(|e| viewer.fail(e.into()))?;
    let mut state_options = vec![(String::new(), "Any state".to_string())];
    state_options.extend(STATES.iter().map(|s| (page::label(s), page::label(s))));
    let selected_state = state.map(|s| page::label(&s)).unwrap_or_default();
    Ok(viewer.page(
        "Nodes",
        html! {
            form.filters method="get" action="/admin/nodes" {
                (Input::new("Site", "site", "text").value(filter.site.as_deref().unwrap_or_default()).render(&FormErrors::default()))
                (Input::new("SKU", "sku", "text").value(filter.sku.as_deref().unwrap_or_default()).render(&FormErrors::default()))
                (page::select("State", "state", &state_options, &selected_state, &FormErrors::default()))
                button type="submit" { "Filter" }
            }
            @if nodes.items.is_empty() {
                (page::empty("No nodes match.", None))
            } @else {
                (page::table("Nodes", &["Host", "Site", "SKU", "State", "Assigned", "Updated"],
                    nodes.items.iter().map(|node| html! {
                        tr {
                            td { a href=(format!("/admin/nodes/{}", node.id)) { (node.hostname) } }
                            td { (node.site) }
                            td { (node.sku.clone().unwrap_or_else(|| "unmatched".into())) }
                            td { (page::badge(&node.state)) }
                            td { @if node.assigned { "yes" } @else { "no" } }
                            td { (page::time(node.updated_at)) }
                        }
                    }).collect()))
                @if let Some(cursor) = &nodes.next_cursor {
                    p { a href=(format!("/admin/nodes?cursor={cursor}&state={selected_state}")) { "Next page" } }
                }
            }
        },
    ))
}

async fn node_body(
    web: &Web,
    viewer: &Viewer,
    node_id: NodeId,
    errors: &FormErrors,
) -> Result<Markup, axum::response::Response> {
    let node = web
        .inventory
        .node_get(&viewer.actor, node_id)
        .await
        .map_err(|e| viewer.fail(e.into()))?;
    let in_maintenance = node.state == NodeState::Maintenance;
    Ok(html! {
        dl.card {
            dt { "State" } dd { (page::badge(&node.state)) @if node.assigned { " · serving an allocation" } }
            dt { "Site" } dd { (node.site) }
            dt { "SKU" } dd { (node.sku.clone().unwrap_or_else(|| "unmatched".into())) }
            @if !node.unmatched_reasons.is_empty() { dt { "Why unmatched" } dd { (node.unmatched_reasons.join("; ")) } }
            dt { "Created" } dd { (page::time(node.created_at)) }
            dt { "Updated" } dd { (page::time(node.updated_at)) }
        }
        h2 { "Hardware" }
        pre { (serde_json::to_string_pretty(&node.facts).unwrap_or_default()) }
        @if !node.health.is_empty() {
            h2 { "Health" }
            pre { (serde_json::to_string_pretty(&node.health).unwrap_or_default()) }
        }
        h2 { "Maintenance" }
        (errors.summary())
        form.stack method="post" action=(format!("/admin/nodes/{}/maintenance", node.id)) novalidate {
            (page::csrf_field(&viewer.csrf.token))
            input type="hidden" name="enabled" value=(if in_maintenance { "false" } else { "true" });
            @if !in_maintenance {
                (Input::new("Reason", "reason", "text").required().hint("Shown in the node's history and to on-call.").render(errors))
                @if node.assigned {
                    div.field {
                        div { input #f-force type="checkbox" name="force" value="true"; " " label for="f-force" { "Also end the allocation it serves (the tenant is told and stops paying)" } }
                    }
                }
                button.danger type="submit" { "Put into maintenance" }
            } @else {
                button type="submit" { "End maintenance" }
            }
        }
    })
}

fn node_id_parse(viewer: &Viewer, text: &str) -> Result<NodeId, axum::response::Response> {
    text.parse().map_err(|_| not_found(viewer, "node"))
}

pub async fn node_page(web: Web, actor: Actor, headers: HeaderMap, Path(node_id): Path<String>) -> Reply {
    let viewer = Viewer::load(&web, actor, &headers, "/admin/nodes").await?;
    let node_id = node_id_parse(&viewer, &node_id)?;
    let body = node_body(&web, &viewer, node_id, &FormErrors::default()).await?;
    Ok(viewer.page(&format!("Node {node_id}"), body))
}

pub async fn node_maintenance(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    Path(node_id): Path<String>,
    axum::Form(fields): axum::Form<Pairs>,
) -> Reply {
    let posted = Posted::checked(&web, &headers, fields)?;
    let viewer = Viewer::load(&web, actor, &headers, "/admin/nodes").await?;
    let node_id = node_id_parse(&viewer, &node_id)?;
    let request = MaintenanceRequest {
        enabled: posted.get("enabled") == "true",
        reason: posted.opt("reason"),
        force: posted.get("force") == "true",
    };
    match web
        .inventory
        .node_maintenance(&viewer.actor, node_id, request)
        .await
    {
        Ok(_) => Ok(page::see_other(&format!("/admin/nodes/{node_id}"))),
        Err(err) => {
            let problem = Problem::from(err);
            let errors = FormErrors::new(&problem, &["reason", "force"]);
            let body = node_body(&web, &viewer, node_id, &errors).await?;
            let status = StatusCode::from_u16(problem.status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            Ok(viewer.page_status(status, &format!("Node {node_id}"), body))
        }
    }
}

/// KYC decisions: the tenant is looked up by id (from the notification, the audit log or the
/// tenant), its submission shown, and a decision recorded with a reason.
pub async fn kyc_queue(web: Web, actor: Actor, headers: HeaderMap, Query(query): Query<Pairs>) -> Reply {
    let viewer = Viewer::load(&web, actor, &headers, "/admin/kyc").await?;
    let tenant = query_get(&query, "tenant");
    let kyc = match &tenant {
        None => None,
        Some(text) => {
            let tenant_id: TenantId = text.parse().map_err(|_| not_found(&viewer, "tenant"))?;
            Some(
                web.iam
                    .kyc_get(&viewer.actor, tenant_id)
                    .await
                    .map_err(|e| viewer.fail(e.into()))?,
            )
        }
    };
    let levels = [KycLevel::Basic, KycLevel::Full].map(|l| (page::label(&l), page::label(&l)));
    let decisions = [KycDecision::Verify, KycDecision::Reject, KycDecision::Revoke]
        .map(|d| (page::label(&d), page::label(&d)));
    Ok(viewer.page(
        "KYC review",
        html! {
            form.stack method="get" action="/admin/kyc" {
                (Input::new("Tenant id", "tenant", "text").value(tenant.as_deref().unwrap_or_default()).required().render(&FormErrors::default()))
                button type="submit" { "Look up" }
            }
            @if let Some(kyc) = kyc {
                div.card {
                    p { "Tenant " code { (kyc.tenant_id) } ": " (page::badge(&kyc.state)) " · level " (page::label(&kyc.level)) }
                    @if let Some(at) = kyc.submitted_at { p { "Submitted " (page::time(at)) } }
                    p { @if kyc.personal_data_on_file { "Personal data is on file." } @else { "No personal data on file." } }
                }
                form.stack method="post" action=(format!("/admin/kyc/{}", kyc.tenant_id)) novalidate {
                    (page::csrf_field(&viewer.csrf.token))
                    (page::select("Decision", "decision", &decisions, "verify", &FormErrors::default()))
                    (page::select("Level", "level", &levels, "basic", &FormErrors::default()))
                    (Input::new("Reason", "reason", "text").required().render(&FormErrors::default()))
                    button type="submit" { "Record decision" }
                }
            }
        },
    ))
}

pub async fn kyc_decide(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    Path(tenant_id): Path<String>,
    axum::Form(fields): axum::Form<Pairs>,
) -> Reply {
    let posted = Posted::checked(&web, &headers, fields)?;
    let viewer = Viewer::load(&web, actor, &headers, "/admin/kyc").await?;
    let tenant_id: TenantId = tenant_id.parse().map_err(|_| not_found(&viewer, "tenant"))?;
    let decision =
        serde_json::from_value::<KycDecision>(serde_json::Value::String(posted.get("decision").to_string()))
            .map_err(|_| {
                viewer
                    .fail(Problem::new(Code::ValidationFailed).field("decision", "verify, reject or revoke"))
            })?;
    let level =
        serde_json::from_value::<KycLevel>(serde_json::Value::String(posted.get("level").to_string())).ok();
    web.iam
        .kyc_decide(
            &viewer.actor,
            tenant_id,
            KycDecisionRequest {
                decision,
                level,
                reason: posted.get("reason").to_string(),
            },
        )
        .await
        .map_err(|e| viewer.fail(e.into()))?;
    Ok(page::see_other(&format!("/admin/kyc?tenant={tenant_id}")))
}

/// An allocation looked up by id (from the tenant, a node's page, an incident), with the
/// force-release form: the confirmation step of that destructive action.
pub async fn allocation_lookup(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    Query(query): Query<Pairs>,
) -> Reply {
    let viewer = Viewer::load(&web, actor, &headers, "/admin/allocations").await?;
    let allocation = match query_get(&query, "id") {
        None => None,
        Some(text) => {
            let allocation_id: AllocationId = text.parse().map_err(|_| not_found(&viewer, "allocation"))?;
            Some(
                web.allocation
                    .allocation_get(&viewer.actor, allocation_id)
                    .await
                    .map_err(|e| viewer.fail(e.into()))?,
            )
        }
    };
    Ok(viewer.page(
        "Allocations",
        html! {
            form.stack method="get" action="/admin/allocations" {
                (Input::new("Allocation id", "id", "text").value(&query_get(&query, "id").unwrap_or_default()).required().render(&FormErrors::default()))
                button type="submit" { "Look up" }
            }
            @if let Some(allocation) = allocation {
                dl.card {
                    dt { "Allocation" } dd { code { (allocation.id) } }
                    dt { "Tenant" } dd { code { (allocation.tenant_id) } }
                    dt { "What" } dd { (allocation.count) " × " (allocation.sku) " at " (allocation.site) }
                    dt { "State" } dd { (page::badge(&allocation.state)) }
                    dt { "Nodes" } dd {
                        @for node in &allocation.nodes { a href=(format!("/admin/nodes/{}", node.node_id)) { (node.hostname) } " " }
                    }
                }
                @if matches!(allocation.state, AllocationState::Pending | AllocationState::Provisioning | AllocationState::Active) {
                    h2 { "Force-release" }
                    div.alert {
                        p { "Force-releasing wipes its machines now, whatever the tenant is doing. The tenant is told and stops paying." }
                    }
                    form.stack method="post" action=(format!("/admin/allocations/{}/force-release", allocation.id)) novalidate {
                        (page::csrf_field(&viewer.csrf.token))
                        (Input::new("Reason", "reason", "text").required().hint("Kept in the audit log and shown to the tenant.").render(&FormErrors::default()))
                        div { button.danger type="submit" { "Force-release" } " " a href="/admin" { "Cancel" } }
                    }
                }
            }
        },
    ))
}

pub async fn force_release(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    Path(allocation_id): Path<String>,
    axum::Form(fields): axum::Form<Pairs>,
) -> Reply {
    let posted = Posted::checked(&web, &headers, fields)?;
    let viewer = Viewer::load(&web, actor, &headers, "/admin/allocations").await?;
    let allocation_id: AllocationId = allocation_id
        .parse()
        .map_err(|_| not_found(&viewer, "allocation"))?;
    let allocation = web
        .allocation
        .allocation_force_release(
            &viewer.actor,
            allocation_id,
            ForceReleaseRequest {
                reason: posted.get("reason").to_string(),
            },
        )
        .await
        .map_err(|e| viewer.fail(e.into()))?;
    Ok(viewer.page(
        "Allocation force-released",
        html! {
            div.notice role="status" { p { "Allocation " code { (allocation.id) } " is now " (page::badge(&allocation.state)) "." } }
            p { a.button href="/admin/ledger" { "Verify the ledger" } }
        },
    ))
}

pub async fn ledger_page(web: Web, actor: Actor, headers: HeaderMap) -> Reply {
    let viewer = Viewer::load(&web, actor, &headers, "/admin/ledger").await?;
    let report = web
        .billing
        .ledger_verify(&viewer.actor)
        .await
        .map_err(|e| viewer.fail(e.into()))?;
    Ok(viewer.page(
        "Ledger verification",
        html! {
            div class=(if report.ok { "notice" } else { "alert" }) role="status" {
                p #ledger-verdict {
                    @if report.ok { "The ledger balances." } @else { "The ledger does NOT balance." }
                }
                p { (report.accounts) " accounts, " (report.transactions) " transactions, " (report.transfers) " transfers checked." }
            }
            @if !report.breaches.is_empty() {
                h2 { "Breaches" }
                ul { @for breach in &report.breaches { li { (breach) } } }
            }
        },
    ))
}
