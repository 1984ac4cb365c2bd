//! Allocations as the operator sees them: every tenant's, newest first, filtered by tenant or
//! state; one looked up by id, with force-release (confirmed, with a reason the tenant is shown).

use axum::extract::{Path, Query};
use axum::http::HeaderMap;
use ingot_contracts::iam::Actor;
use maud::html;

use super::{Pairs, not_found, query_get};
use crate::Web;
use crate::form::Posted;
use crate::page::{self, FormErrors, Input, Reply};
use crate::viewer::Viewer;
use ingot_contracts::allocation::{AdminAllocationFilter, AllocationState, ForceReleaseRequest};
use ingot_kernel::id::AllocationId;
use ingot_kernel::problem::{Code, Problem};

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
    let list = match &allocation {
        Some(_) => None,
        None => {
            let tenant_id = match query_get(&query, "tenant") {
                None => None,
                Some(text) => Some(text.parse().map_err(|_| not_found(&viewer, "tenant"))?),
            };
            let state = match query_get(&query, "state") {
                None => None,
                Some(text) => Some(
                    serde_json::from_value::<AllocationState>(serde_json::Value::String(text)).map_err(
                        |_| {
                            viewer.fail(
                                Problem::new(Code::ValidationFailed)
                                    .field("state", "not an allocation state"),
                            )
                        },
                    )?,
                ),
            };
            let filter = AdminAllocationFilter {
                tenant_id,
                state,
                limit: Some(100),
                cursor: query_get(&query, "cursor"),
            };
            Some(
                web.allocation
                    .allocations_admin_list(&viewer.actor, filter)
                    .await
                    .map_err(|e| viewer.fail(e.into()))?,
            )
        }
    };
    let states = [
        AllocationState::Pending,
        AllocationState::Provisioning,
        AllocationState::Active,
        AllocationState::Releasing,
        AllocationState::Released,
        AllocationState::Failed,
    ];
    let mut state_options = vec![(String::new(), "Any state".to_string())];
    state_options.extend(states.iter().map(|s| (page::label(s), page::label(s))));
    let no_errors = FormErrors::default();
    Ok(viewer.page(
        "Allocations",
        html! {
            form.filters method="get" action="/admin/allocations" {
                (Input::new("Allocation id", "id", "text").value(&query_get(&query, "id").unwrap_or_default()).render(&no_errors))
                button type="submit" { "Look up" }
            }
            @if let Some(page_of) = &list {
                form.filters method="get" action="/admin/allocations" {
                    (Input::new("Tenant id", "tenant", "text").value(&query_get(&query, "tenant").unwrap_or_default()).render(&no_errors))
                    (page::select("State", "state", &state_options, &query_get(&query, "state").unwrap_or_default(), &no_errors))
                    button type="submit" { "Filter" }
                }
                @if page_of.items.is_empty() {
                    (page::empty("No allocations match.", None))
                } @else {
                    (page::table("Allocations, newest first", &["Allocation", "Tenant", "What", "State", "Created"],
                        page_of.items.iter().map(|a| html! {
                            tr {
                                td { a href=(format!("/admin/allocations?id={}", a.id)) { code { (a.id) } } }
                                td { code { (a.tenant_id) } }
                                td { (a.count) " × " (a.sku) " at " (a.site) }
                                td { (page::badge(&a.state)) }
                                td { (page::time(a.created_at)) }
                            }
                        }).collect()))
                    @if let Some(cursor) = &page_of.next_cursor {
                        p { a href=(format!("/admin/allocations?cursor={cursor}&state={}&tenant={}",
                            query_get(&query, "state").unwrap_or_default(), query_get(&query, "tenant").unwrap_or_default())) { "Next page" } }
                    }
                }
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
