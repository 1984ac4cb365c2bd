//! Webhooks: the project's subscriptions (URL, events), their signing secret shown once, and
//! each one's deliveries with every attempt, redelivery by hand. App Platform decides what a
//! valid destination is (public https unless the installation allows private ones).

use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use ingot_contracts::app_platform::{WebhookCreateRequest, WebhookUpdateRequest};
use ingot_contracts::iam::Actor;
use ingot_kernel::id::{DeliveryId, WebhookId};
use ingot_kernel::problem::{Code, Problem};
use maud::{Markup, html};

use crate::Web;
use crate::form::Posted;
use crate::page::{self, FormErrors, Input, Reply};
use crate::viewer::Viewer;

type Pairs = Vec<(String, String)>;

async fn webhooks_body(
    web: &Web,
    viewer: &Viewer,
    notice: Option<Markup>,
    posted: Option<&Posted>,
    errors: &FormErrors,
) -> Result<Markup, axum::response::Response> {
    let (_, project) = viewer.workspace()?;
    let webhooks = web
        .app_platform
        .webhooks_list(&viewer.actor, project.id)
        .await
        .map_err(|err| viewer.fail(err.into()))?;
    let events = web.app_platform.webhook_event_types();
    let chosen = posted.map(|p| p.all("events")).unwrap_or_default();
    let error = errors.field("events");
    Ok(html! {
        @if let Some(notice) = notice { (notice) }
        @if webhooks.is_empty() {
            (page::empty("No webhooks yet. Subscribe a URL to events below and we will POST them to it, signed.", None))
        } @else {
            (page::table("Webhooks of this project", &["URL", "Events", "State", "Created"],
                webhooks.iter().map(|webhook| html! {
                    tr {
                        td { a href=(format!("/webhooks/{}", webhook.id)) { (webhook.url) } }
                        td { (webhook.events.join(", ")) }
                        td { @if webhook.enabled { (page::badge(&"active")) } @else { (page::badge(&"disabled")) } }
                        td { (page::time(webhook.created_at)) }
                    }
                }).collect()))
        }
        h2 { "Add a webhook" }
        (errors.summary())
        form.stack method="post" action="/webhooks" novalidate {
            (page::csrf_field(&viewer.csrf.token))
            (Input::new("URL", "url", "url").value(posted.map(|p| p.get("url")).unwrap_or_default()).required()
                .hint("Where we POST each event, such as https://hooks.example.com/ingot.").render(errors))
            (Input::new("Description", "description", "text").value(posted.map(|p| p.get("description")).unwrap_or_default()).render(errors))
            fieldset aria-describedby=[error.map(|_| "f-events-error")] {
                legend { "Events" }
                @for event in &events {
                    @let id = format!("event-{}", event.name.replace('.', "-"));
                    div {
                        input type="checkbox" id=(id) name="events" value=(event.name) checked[chosen.contains(&event.name)];
                        " " label for=(id) { code { (event.name) } " — " (event.description) }
                    }
                }
                @if let Some(error) = error { p.error id="f-events-error" { (error) } }
            }
            button type="submit" { "Add webhook" }
        }
    })
}

pub async fn webhooks_page(web: Web, actor: Actor, headers: HeaderMap) -> Reply {
    let viewer = Viewer::load(&web, actor, &headers, "/webhooks").await?;
    let body = webhooks_body(&web, &viewer, None, None, &FormErrors::default()).await?;
    Ok(viewer.page("Webhooks", body))
}

pub async fn webhook_create(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    axum::Form(fields): axum::Form<Pairs>,
) -> Reply {
    let posted = Posted::checked(&web, &headers, fields)?;
    let viewer = Viewer::load(&web, actor, &headers, "/webhooks").await?;
    let (_, project) = viewer.workspace()?;
    let request = WebhookCreateRequest {
        url: posted.get("url").to_string(),
        events: posted.all("events"),
        description: posted.get("description").to_string(),
    };
    match web
        .app_platform
        .webhook_create(&viewer.actor, project.id, request)
        .await
    {
        Ok(created) => {
            let notice = html! {
                div.secret role="status" {
                    p { "Webhook for " code { (created.webhook.url) } " added. Its signing secret is shown only now: keep it where your receiver checks the "
                        code { "Ingot-Signature" } " header." }
                    p.copyable { code #webhook-secret { (created.secret) } button.secondary type="button" data-copy="webhook-secret" hidden { "Copy" } }
                }
            };
            let body = webhooks_body(&web, &viewer, Some(notice), None, &FormErrors::default()).await?;
            Ok(viewer.page_status(StatusCode::CREATED, "Webhooks", body))
        }
        Err(err) => {
            let problem = Problem::from(err);
            let errors = FormErrors::new(&problem, &["url", "events", "description"]);
            let body = webhooks_body(&web, &viewer, None, Some(&posted), &errors).await?;
            let status = StatusCode::from_u16(problem.status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            Ok(viewer.page_status(status, "Webhooks", body))
        }
    }
}

fn webhook_id_parse(viewer: &Viewer, text: &str) -> Result<WebhookId, axum::response::Response> {
    text.parse()
        .map_err(|_| viewer.fail(Problem::new(Code::NotFound).detail("no such webhook")))
}

pub async fn webhook_page(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    Path(webhook_id): Path<String>,
) -> Reply {
    let viewer = Viewer::load(&web, actor, &headers, "/webhooks").await?;
    let (_, project) = viewer.workspace()?;
    let webhook_id = webhook_id_parse(&viewer, &webhook_id)?;
    let webhook = web
        .app_platform
        .webhook_get(&viewer.actor, project.id, webhook_id)
        .await
        .map_err(|err| viewer.fail(err.into()))?;
    let deliveries = web
        .app_platform
        .deliveries_list(&viewer.actor, project.id, webhook_id, 50)
        .await
        .map_err(|err| viewer.fail(err.into()))?;
    let base = format!("/webhooks/{}", webhook.id);
    Ok(viewer.page(
        "Webhook",
        html! {
            dl.card {
                dt { "URL" } dd { code { (webhook.url) } }
                dt { "Events" } dd { (webhook.events.join(", ")) }
                @if !webhook.description.is_empty() { dt { "Description" } dd { (webhook.description) } }
                dt { "State" } dd { @if webhook.enabled { "enabled" } @else { "disabled: deliveries wait until it is enabled again" } }
            }
            p {
                (page::action_button(&format!("{base}/{}", if webhook.enabled { "disable" } else { "enable" }), &viewer.csrf.token,
                    if webhook.enabled { "Disable" } else { "Enable" }, "secondary"))
            }
            details {
                summary { "Delete…" }
                (page::action_button(&format!("{base}/delete"), &viewer.csrf.token, "Yes, delete this webhook and its delivery log", "danger"))
            }
            h2 { "Deliveries" }
            @if deliveries.is_empty() {
                (page::empty("Nothing delivered yet: events after this webhook was added show here.", None))
            } @else {
                (page::table("Latest deliveries", &["Event", "State", "Attempts", "Created", ""],
                    deliveries.iter().map(|delivery| html! {
                        tr {
                            td { code { (delivery.event_type) } br; small { (delivery.event_id) } }
                            td { (page::badge(&delivery.state)) @if let Some(at) = delivery.next_attempt_at { br; "next " (page::time(at)) } }
                            td {
                                ol {
                                    @for attempt in &delivery.attempts {
                                        li {
                                            (page::time(attempt.at)) " — "
                                            @match (attempt.status, &attempt.error) {
                                                (Some(status), _) => { "HTTP " (status) }
                                                (None, Some(error)) => { (error) }
                                                (None, None) => { "no answer" }
                                            }
                                            " (" (attempt.duration_ms) " ms)"
                                        }
                                    }
                                }
                            }
                            td { (page::time(delivery.created_at)) }
                            td { (page::action_button(&format!("{base}/deliveries/{}/redeliver", delivery.id), &viewer.csrf.token, "Redeliver", "secondary")) }
                        }
                    }).collect()))
            }
        },
    ))
}

async fn webhook_change(web: &Web, viewer: &Viewer, webhook_id: &str, change: WebhookChange) -> Reply {
    let (_, project) = viewer.workspace()?;
    let webhook_id = webhook_id_parse(viewer, webhook_id)?;
    let result = match change {
        WebhookChange::Enabled(enabled) => web
            .app_platform
            .webhook_update(
                &viewer.actor,
                project.id,
                webhook_id,
                WebhookUpdateRequest {
                    url: None,
                    events: None,
                    description: None,
                    enabled: Some(enabled),
                },
            )
            .await
            .map(|_| format!("/webhooks/{webhook_id}")),
        WebhookChange::Delete => web
            .app_platform
            .webhook_delete(&viewer.actor, project.id, webhook_id)
            .await
            .map(|()| "/webhooks".to_string()),
        WebhookChange::Redeliver(delivery_id) => {
            let delivery_id: DeliveryId = delivery_id
                .parse()
                .map_err(|_| viewer.fail(Problem::new(Code::NotFound).detail("no such delivery")))?;
            web.app_platform
                .delivery_redeliver(&viewer.actor, project.id, webhook_id, delivery_id)
                .await
                .map(|_| format!("/webhooks/{webhook_id}"))
        }
    };
    match result {
        Ok(to) => Ok(page::see_other(&to)),
        Err(err) => Err(viewer.fail(err.into())),
    }
}

enum WebhookChange {
    Enabled(bool),
    Delete,
    Redeliver(String),
}

pub async fn webhook_enable(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    Path(id): Path<String>,
    axum::Form(fields): axum::Form<Pairs>,
) -> Reply {
    Posted::checked(&web, &headers, fields)?;
    let viewer = Viewer::load(&web, actor, &headers, "/webhooks").await?;
    webhook_change(&web, &viewer, &id, WebhookChange::Enabled(true)).await
}

pub async fn webhook_disable(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    Path(id): Path<String>,
    axum::Form(fields): axum::Form<Pairs>,
) -> Reply {
    Posted::checked(&web, &headers, fields)?;
    let viewer = Viewer::load(&web, actor, &headers, "/webhooks").await?;
    webhook_change(&web, &viewer, &id, WebhookChange::Enabled(false)).await
}

pub async fn webhook_delete(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    Path(id): Path<String>,
    axum::Form(fields): axum::Form<Pairs>,
) -> Reply {
    Posted::checked(&web, &headers, fields)?;
    let viewer = Viewer::load(&web, actor, &headers, "/webhooks").await?;
    webhook_change(&web, &viewer, &id, WebhookChange::Delete).await
}

pub async fn delivery_redeliver(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    Path((id, delivery_id)): Path<(String, String)>,
    axum::Form(fields): axum::Form<Pairs>,
) -> Reply {
    Posted::checked(&web, &headers, fields)?;
    let viewer = Viewer::load(&web, actor, &headers, "/webhooks").await?;
    webhook_change(&web, &viewer, &id, WebhookChange::Redeliver(delivery_id)).await
}
