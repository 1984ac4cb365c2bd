//! People and trust: KYC decisions (IAM's) and the audit log.

use axum::extract::{Path, Query};
use axum::http::HeaderMap;
use ingot_contracts::iam::Actor;
use ingot_kernel::problem::{Code, Problem};
use maud::html;

use super::{Pairs, not_found, query_get};
use crate::Web;
use crate::form::Posted;
use crate::page::{self, FormErrors, Input, Reply};
use crate::viewer::Viewer;
use ingot_contracts::iam::{KycDecision, KycDecisionRequest, KycLevel};
use ingot_kernel::id::TenantId;

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
    let details = match (&kyc, query_get(&query, "details")) {
        (Some(kyc), Some(_)) if kyc.personal_data_on_file => Some(
            web.iam
                .kyc_personal_data_get(&viewer.actor, kyc.tenant_id)
                .await
                .map_err(|e| viewer.fail(e.into()))?,
        ),
        _ => None,
    };
    let queue = web
        .iam
        .kyc_queue(&viewer.actor, ingot_contracts::iam::KycState::Submitted)
        .await
        .map_err(|e| viewer.fail(e.into()))?;
    let levels = [KycLevel::Basic, KycLevel::Full].map(|l| (page::label(&l), page::label(&l)));
    let decisions = [KycDecision::Verify, KycDecision::Reject, KycDecision::Revoke]
        .map(|d| (page::label(&d), page::label(&d)));
    Ok(viewer.page(
        "KYC review",
        html! {
            h2 { "Waiting for a decision" }
            @if queue.is_empty() {
                (page::empty("Nobody is waiting: every submission has been decided.", None))
            } @else {
                (page::table("Submissions, oldest first", &["Tenant", "Submitted", "Personal data", ""],
                    queue.iter().map(|item| html! {
                        tr {
                            td { (item.tenant_name) br; small { code { (item.kyc.tenant_id) } } }
                            td { @if let Some(at) = item.kyc.submitted_at { (page::time(at)) } }
                            td { @if item.kyc.personal_data_on_file { "on file" } @else { "none" } }
                            td { a href=(format!("/admin/kyc?tenant={}", item.kyc.tenant_id)) aria-label=(format!("Review {}", item.tenant_name)) { "Review" } }
                        }
                    }).collect()))
            }
            h2 { "Look up a tenant" }
            form.stack method="get" action="/admin/kyc" {
                (Input::new("Tenant id", "tenant", "text").value(tenant.as_deref().unwrap_or_default()).required().render(&FormErrors::default()))
                button type="submit" { "Look up" }
            }
            @if let Some(kyc) = kyc {
                div.card {
                    p { "Tenant " code { (kyc.tenant_id) } ": " (page::badge(&kyc.state)) " · level " (page::label(&kyc.level)) }
                    @if let Some(at) = kyc.submitted_at { p { "Submitted " (page::time(at)) } }
                    @if kyc.personal_data_on_file {
                        @if let Some(details) = &details {
                            h2 { "Submitted details" }
                            dl #personal-data {
                                @if let Some(fields) = details.as_object() {
                                    @for (name, value) in fields {
                                        dt { (name.replace('_', " ")) }
                                        dd { @match value.as_str() { Some(text) => { (text) } None => { code { (value.to_string()) } } } }
                                    }
                                }
                            }
                        } @else {
                            p { "Personal data is on file. "
                                a href=(format!("/admin/kyc?tenant={}&details=1", kyc.tenant_id)) { "Show the submitted details" }
                                " (each view is recorded in the audit log)." }
                        }
                    } @else {
                        p { "No personal data on file." }
                    }
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

/// The audit log in order (oldest first, a page at a time), all tenants or one (`?tenant=`);
/// IAM decides who may read it.
pub async fn audit_page(web: Web, actor: Actor, headers: HeaderMap, Query(query): Query<Pairs>) -> Reply {
    let viewer = Viewer::load(&web, actor, &headers, "/admin/audit").await?;
    let tenant = match query_get(&query, "tenant") {
        None => None,
        Some(text) => Some(
            text.parse::<TenantId>()
                .map_err(|_| not_found(&viewer, "tenant"))?,
        ),
    };
    let cursor = query_get(&query, "cursor");
    let events = web
        .iam
        .audit_list(
            &viewer.actor,
            tenant,
            ingot_kernel::page::PageRequest {
                limit: Some(100),
                cursor,
            },
        )
        .await
        .map_err(|e| viewer.fail(e.into()))?;
    Ok(viewer.page(
        "Audit log",
        html! {
            form.filters method="get" action="/admin/audit" {
                (Input::new("Tenant id", "tenant", "text").value(&tenant.map(|t| t.to_string()).unwrap_or_default()).render(&FormErrors::default()))
                button type="submit" { "Filter" }
            }
            @if events.items.is_empty() {
                (page::empty("No audit records match.", None))
            } @else {
                (page::table("Audit records", &["#", "When", "Action", "Outcome", "Actor", "Target", "From"],
                    events.items.iter().map(|event| html! {
                        tr {
                            td.num { (event.position) }
                            td { (page::time(event.at)) }
                            td { code { (event.action) } }
                            td { (event.outcome) }
                            td { (event.actor_user_id.map(|u| u.to_string()).unwrap_or_else(|| "system".into())) }
                            td { (event.target.clone().unwrap_or_default()) }
                            td { (event.source_ip.clone().unwrap_or_default()) }
                        }
                    }).collect()))
                @if let Some(cursor) = &events.next_cursor {
                    p { a href=(format!("/admin/audit?cursor={cursor}{}", tenant.map(|t| format!("&tenant={t}")).unwrap_or_default())) { "Next records" } }
                }
            }
        },
    ))
}
