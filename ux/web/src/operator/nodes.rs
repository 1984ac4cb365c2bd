//! Nodes: the fleet with filters (site, SKU, state), one node's hardware and health, and the
//! operator's actions on it: maintenance (Inventory), reimage and decommission (MAAS).

use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use ingot_contracts::iam::Actor;
use ingot_kernel::problem::{Code, Problem};
use maud::{Markup, html};

use super::{Pairs, not_found, query_get};
use crate::Web;
use crate::form::Posted;
use crate::page::{self, FormErrors, Input, Reply};
use crate::viewer::Viewer;
use ingot_contracts::inventory::{MaintenanceRequest, NodeFilter, NodeState};
use ingot_kernel::id::NodeId;

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
                    p { a href=(format!("/admin/nodes?cursor={cursor}&state={selected_state}&site={}&sku={}",
                        filter.site.as_deref().unwrap_or_default(), filter.sku.as_deref().unwrap_or_default())) { "Next page" } }
                }
            }
        },
    ))
}

/// The node page's three forms, to show a failed post's errors beside the right one.
#[derive(Clone, Copy, PartialEq, Eq)]
enum NodeForm {
    Maintenance,
    Reimage,
    Decommission,
}

async fn node_body(
    web: &Web,
    viewer: &Viewer,
    node_id: NodeId,
    failed: Option<(NodeForm, &FormErrors)>,
) -> Result<Markup, axum::response::Response> {
    let node = web
        .inventory
        .node_get(&viewer.actor, node_id)
        .await
        .map_err(|e| viewer.fail(e.into()))?;
    let history = web
        .inventory
        .node_history(&viewer.actor, node_id)
        .await
        .map_err(|e| viewer.fail(e.into()))?;
    // What it serves now: the latest assignment, when the node is assigned.
    let serving = node
        .assigned
        .then(|| {
            history
                .iter()
                .find(|entry| entry.kind == "assigned")
                .and_then(|entry| entry.allocation_id)
        })
        .flatten();
    let in_maintenance = node.state == NodeState::Maintenance;
    // Each of the three forms shows only its own errors (they share the field name `reason`).
    let none = FormErrors::default();
    let errors_of = |form: NodeForm| match failed {
        Some((failed_form, errors)) if failed_form == form => errors,
        _ => &none,
    };
    let open_if_failed = |form: NodeForm| matches!(failed, Some((failed_form, _)) if failed_form == form);
    Ok(html! {
        dl.card {
            dt { "State" } dd {
                (page::badge(&node.state))
                @if node.assigned {
                    " · serving "
                    @match serving {
                        Some(allocation_id) => { a href=(format!("/admin/allocations?id={allocation_id}")) { code { (allocation_id) } } }
                        None => { "an allocation" }
                    }
                }
            }
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
        h2 { "History" }
        @if history.is_empty() {
            (page::empty("Nothing recorded yet.", None))
        } @else {
            div #history {
                (page::table("Node history, newest first", &["When", "What", "Detail"],
                    history.iter().map(|entry| html! {
                        tr {
                            td { (page::time(entry.at)) }
                            td { (entry.kind.replace('_', " ")) }
                            td {
                                (entry.detail)
                                @if let Some(allocation_id) = entry.allocation_id {
                                    " " a href=(format!("/admin/allocations?id={allocation_id}")) { code { (allocation_id) } }
                                }
                            }
                        }
                    }).collect()))
            }
        }
        h2 { "Reimage or decommission" }
        div.grid {
            details.card open[open_if_failed(NodeForm::Reimage)] {
                summary { "Reimage…" }
                p { "Wipes the machine and deploys its image again (MAAS), then returns it to sale." }
                form.stack method="post" action=(format!("/admin/nodes/{}/reimage", node.id)) {
                    (page::csrf_field(&viewer.csrf.token))
                    (errors_of(NodeForm::Reimage).summary())
                    (Input::new("Reason", "reason", "text").required().in_form("reimage").render(errors_of(NodeForm::Reimage)))
                    button.danger type="submit" { "Reimage" }
                }
            }
            details.card open[open_if_failed(NodeForm::Decommission)] {
                summary { "Decommission…" }
                p { "Takes the machine out of service for good: erased and released in MAAS, retired in the catalog." }
                form.stack method="post" action=(format!("/admin/nodes/{}/decommission", node.id)) {
                    (page::csrf_field(&viewer.csrf.token))
                    (errors_of(NodeForm::Decommission).summary())
                    (Input::new("Reason", "reason", "text").required().in_form("decommission").render(errors_of(NodeForm::Decommission)))
                    button.danger type="submit" { "Decommission" }
                }
            }
        }
        h2 { "Maintenance" }
        (errors_of(NodeForm::Maintenance).summary())
        form.stack method="post" action=(format!("/admin/nodes/{}/maintenance", node.id)) novalidate {
            (page::csrf_field(&viewer.csrf.token))
            input type="hidden" name="enabled" value=(if in_maintenance { "false" } else { "true" });
            @if !in_maintenance {
                (Input::new("Reason", "reason", "text").required().hint("Shown in the node's history and to on-call.").render(errors_of(NodeForm::Maintenance)))
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
    let body = node_body(&web, &viewer, node_id, None).await?;
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
            let body = node_body(&web, &viewer, node_id, Some((NodeForm::Maintenance, &errors))).await?;
            let status = StatusCode::from_u16(problem.status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            Ok(viewer.page_status(status, &format!("Node {node_id}"), body))
        }
    }
}

async fn node_operation(web: &Web, viewer: &Viewer, node_id: &str, reimage: bool, reason: String) -> Reply {
    let node_id = node_id_parse(viewer, node_id)?;
    let request = ingot_contracts::maas::NodeOperationRequest { reason };
    let result = if reimage {
        web.maas.node_reimage(&viewer.actor, node_id, request).await
    } else {
        web.maas.node_decommission(&viewer.actor, node_id, request).await
    };
    match result {
        Ok(_) => Ok(page::see_other(&format!("/admin/nodes/{node_id}"))),
        Err(err) => {
            let problem = Problem::from(err);
            let errors = FormErrors::new(&problem, &["reason"]);
            let form = if reimage {
                NodeForm::Reimage
            } else {
                NodeForm::Decommission
            };
            let body = node_body(web, viewer, node_id, Some((form, &errors))).await?;
            let status = StatusCode::from_u16(problem.status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            Ok(viewer.page_status(status, &format!("Node {node_id}"), body))
        }
    }
}

pub async fn node_reimage(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    Path(node_id): Path<String>,
    axum::Form(fields): axum::Form<Pairs>,
) -> Reply {
    let posted = Posted::checked(&web, &headers, fields)?;
    let viewer = Viewer::load(&web, actor, &headers, "/admin/nodes").await?;
    node_operation(&web, &viewer, &node_id, true, posted.get("reason").to_string()).await
}

pub async fn node_decommission(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    Path(node_id): Path<String>,
    axum::Form(fields): axum::Form<Pairs>,
) -> Reply {
    let posted = Posted::checked(&web, &headers, fields)?;
    let viewer = Viewer::load(&web, actor, &headers, "/admin/nodes").await?;
    node_operation(&web, &viewer, &node_id, false, posted.get("reason").to_string()).await
}
