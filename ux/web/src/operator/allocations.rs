//! Allocations as the operator sees them: looked up by id, with force-release (confirmed, with
//! a reason the tenant is shown).

use axum::extract::{Path, Query};
use axum::http::HeaderMap;
use ingot_contracts::iam::Actor;
use maud::html;

use super::{Pairs, not_found, query_get};
use crate::Web;
use crate::form::Posted;
use crate::page::{self, FormErrors, Input, Reply};
use crate::viewer::Viewer;
use ingot_contracts::allocation::{AllocationState, ForceReleaseRequest};
use ingot_kernel::id::AllocationId;

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
