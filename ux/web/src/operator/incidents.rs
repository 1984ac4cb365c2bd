//! Incidents (Operations) as the people on call see them: those not yet resolved (or any state),
//! one with its timeline — firings, pages and to whom, maintenance holds, escalation — and the
//! acknowledge and resolve forms, each with a note for the timeline and the audit log.

use axum::extract::{Path, Query};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use ingot_contracts::iam::Actor;
use ingot_contracts::operations::{
    IncidentError, IncidentFilter, IncidentNoteRequest, IncidentState, IncidentView,
};
use ingot_kernel::id::IncidentId;
use ingot_kernel::problem::{Code, Problem};
use maud::html;

use super::{Pairs, not_found, query_get};
use crate::Web;
use crate::form::Posted;
use crate::page::{self, FormErrors, Input, Reply};
use crate::viewer::Viewer;

pub async fn incidents_page(web: Web, actor: Actor, headers: HeaderMap, Query(query): Query<Pairs>) -> Reply {
    let viewer = Viewer::load(&web, actor, &headers, "/admin/incidents").await?;
    let shown = query_get(&query, "state").unwrap_or_default();
    let (state, all) = match shown.as_str() {
        "" => (None, None),
        "all" => (None, Some(true)),
        text => (
            Some(
                serde_json::from_value::<IncidentState>(serde_json::Value::String(text.to_string()))
                    .map_err(|_| {
                        viewer.fail(
                            Problem::new(Code::ValidationFailed).field("state", "not an incident state"),
                        )
                    })?,
            ),
            None,
        ),
    };
    let filter = IncidentFilter {
        state,
        all,
        limit: Some(100),
        cursor: query_get(&query, "cursor"),
    };
    let incidents = web
        .operations
        .incidents_list(&viewer.actor, filter)
        .await
        .map_err(|e| viewer.fail(e.into()))?;
    let options: Vec<(String, String)> = [
        ("", "Not resolved"),
        ("open", "open"),
        ("acknowledged", "acknowledged"),
        ("resolved", "resolved"),
        ("all", "All"),
    ]
    .iter()
    .map(|(value, text)| (value.to_string(), text.to_string()))
    .collect();
    Ok(viewer.page(
        "Incidents",
        html! {
            form.filters method="get" action="/admin/incidents" {
                (page::select("Show", "state", &options, &shown, &FormErrors::default()))
                button type="submit" { "Show" }
            }
            @if incidents.items.is_empty() {
                (page::empty("No incidents here: every alert rule is quiet.", None))
            } @else {
                (page::table("Incidents, newest first", &["Incident", "Severity", "State", "Context", "What", "Opened"],
                    incidents.items.iter().map(|i| html! {
                        tr {
                            td { a href=(format!("/admin/incidents/{}", i.id)) { code { (i.id) } } }
                            td { (i.severity.as_str()) }
                            td {
                                (page::badge(&i.state))
                                @if !i.firing && i.state != IncidentState::Resolved { " (cleared)" }
                                @if i.paging_held.is_some() { " (paging held)" }
                            }
                            td { (i.context) }
                            td { (i.title) br; small { (i.summary) } }
                            td { (page::time(i.opened_at)) }
                        }
                    }).collect()))
                @if let Some(cursor) = &incidents.next_cursor {
                    p { a href=(format!("/admin/incidents?cursor={cursor}&state={shown}")) { "Next page" } }
                }
            }
        },
    ))
}

pub async fn incident_page(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    Path(incident_id): Path<String>,
) -> Reply {
    let viewer = Viewer::load(&web, actor, &headers, "/admin/incidents").await?;
    let incident_id: IncidentId = incident_id.parse().map_err(|_| not_found(&viewer, "incident"))?;
    let incident = web
        .operations
        .incident_get(&viewer.actor, incident_id)
        .await
        .map_err(|e| viewer.fail(e.into()))?;
    Ok(viewer.page(
        &format!("Incident: {}", incident.title),
        incident_body(&viewer, &incident, None),
    ))
}

/// Which of the page's forms a refusal belongs to, with the note as typed.
struct Refused<'a> {
    form: IncidentState,
    errors: &'a FormErrors,
    note: &'a str,
}

fn incident_body(viewer: &Viewer, incident: &IncidentView, refused: Option<Refused<'_>>) -> maud::Markup {
    let no_errors = FormErrors::default();
    let for_form = |form: IncidentState| match &refused {
        Some(r) if r.form == form => (r.errors, r.note),
        _ => (&no_errors, ""),
    };
    let (ack_errors, ack_note) = for_form(IncidentState::Acknowledged);
    let (resolve_errors, resolve_note) = for_form(IncidentState::Resolved);
    html! {
        dl.card {
            dt { "Incident" } dd { code { (incident.id) } }
            dt { "Severity" } dd { (incident.severity.as_str()) " · " (incident.context) }
            dt { "State" } dd {
                (page::badge(&incident.state))
                " " @if incident.firing { "firing" } @else { "condition cleared" }
            }
            dt { "About" } dd { code { (incident.subject) } }
            dt { "Latest" } dd { (incident.summary) }
            dt { "Runbook" } dd { code { (incident.runbook) } }
            @if let Some(held) = &incident.paging_held { dt { "Paging held" } dd { (held) } }
            @if let Some(at) = incident.escalated_at { dt { "Escalated" } dd { (page::time(at)) } }
            @if let Some(node_id) = incident.node_id {
                dt { "Node" } dd { a href=(format!("/admin/nodes/{node_id}")) { code { (node_id) } } }
            }
        }
        h2 { "Timeline" }
        (page::table("Timeline, oldest first", &["When", "What", "Detail"],
            incident.timeline.iter().map(|entry| html! {
                tr {
                    td { (page::time(entry.at)) }
                    td { (entry.kind.replace('_', " ")) }
                    td { (entry.detail) }
                }
            }).collect()))
        @if incident.state == IncidentState::Open {
            h2 { "Acknowledge" }
            p { "Tells the others you are on it. Escalation still follows unless it is resolved." }
            form.stack #ack method="post" action=(format!("/admin/incidents/{}/ack", incident.id)) novalidate {
                (ack_errors.summary())
                (page::csrf_field(&viewer.csrf.token))
                (Input::new("Note", "note", "text").in_form("ack").value(ack_note).hint("Optional: what you are looking at.").render(ack_errors))
                div { button type="submit" { "Acknowledge" } }
            }
        }
        @if incident.state != IncidentState::Resolved {
            h2 { "Resolve" }
            form.stack #resolve method="post" action=(format!("/admin/incidents/{}/resolve", incident.id)) novalidate {
                (resolve_errors.summary())
                (page::csrf_field(&viewer.csrf.token))
                (Input::new("Note", "note", "text").in_form("resolve").value(resolve_note).hint("What was wrong and what was done, for the timeline and the audit log.").render(resolve_errors))
                div { button type="submit" { "Resolve" } " " a href="/admin/incidents" { "Cancel" } }
            }
        }
    }
}

async fn incident_change(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    incident_id: String,
    fields: Pairs,
    to: IncidentState,
) -> Reply {
    let posted = Posted::checked(&web, &headers, fields)?;
    let viewer = Viewer::load(&web, actor, &headers, "/admin/incidents").await?;
    let incident_id: IncidentId = incident_id.parse().map_err(|_| not_found(&viewer, "incident"))?;
    let typed = posted.get("note").to_string();
    let note = Some(typed.trim().to_string()).filter(|n| !n.is_empty());
    let request = IncidentNoteRequest { note };
    let changed = match to {
        IncidentState::Acknowledged => {
            web.operations
                .incident_ack(&viewer.actor, incident_id, request)
                .await
        }
        _ => {
            web.operations
                .incident_resolve(&viewer.actor, incident_id, request)
                .await
        }
    };
    match changed {
        Ok(_) => Ok(page::see_other(&format!("/admin/incidents/{incident_id}"))),
        // A note the domain refused: the page again, the note kept, the reason beside it.
        Err(err @ IncidentError::Invalid { .. }) => {
            let problem = Problem::from(err);
            let errors = FormErrors::new(&problem, &["note"]);
            let incident = web
                .operations
                .incident_get(&viewer.actor, incident_id)
                .await
                .map_err(|e| viewer.fail(e.into()))?;
            let body = incident_body(
                &viewer,
                &incident,
                Some(Refused {
                    form: to,
                    errors: &errors,
                    note: &typed,
                }),
            );
            Ok(viewer.page_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &format!("Incident: {}", incident.title),
                body,
            ))
        }
        Err(err) => Err(viewer.fail(err.into())),
    }
}

pub async fn incident_ack(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    Path(incident_id): Path<String>,
    axum::Form(fields): axum::Form<Pairs>,
) -> Reply {
    incident_change(
        web,
        actor,
        headers,
        incident_id,
        fields,
        IncidentState::Acknowledged,
    )
    .await
}

pub async fn incident_resolve(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    Path(incident_id): Path<String>,
    axum::Form(fields): axum::Form<Pairs>,
) -> Reply {
    incident_change(web, actor, headers, incident_id, fields, IncidentState::Resolved).await
}
