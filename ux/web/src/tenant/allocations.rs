//! Allocations: the project's list, the form that asks Allocation for machines (SKU, site, image,
//! SSH keys, template), the live progress of one, its SSH commands, and its release.

use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use ingot_contracts::allocation::{
    AllocationCreateRequest, AllocationCreated, AllocationFilter, AllocationState, AllocationView,
    PlacementPolicy, ReleaseRequest, TemplateChoice,
};
use ingot_contracts::app_platform::{SshKeyView, TemplateView};
use ingot_contracts::iam::Actor;
use ingot_kernel::id::AllocationId;
use ingot_kernel::problem::{Code, Problem};
use maud::{Markup, html};

use crate::Web;
use crate::form::Posted;
use crate::page::{self, FormErrors, Input, Reply};
use crate::viewer::Viewer;

type Pairs = Vec<(String, String)>;

pub async fn allocations_page(web: Web, actor: Actor, headers: HeaderMap) -> Reply {
    let viewer = Viewer::load(&web, actor, &headers, "/allocations").await?;
    let (_, project) = viewer.workspace()?;
    let allocations = web
        .allocation
        .allocations_list(
            &viewer.actor,
            project.id,
            AllocationFilter {
                state: None,
                limit: Some(100),
                cursor: None,
            },
        )
        .await
        .map_err(|err| viewer.fail(Problem::from(err)))?;
    Ok(viewer.page(
        "Allocations",
        html! {
            p { a.button href="/allocations/new" { "New allocation" } }
            @if allocations.items.is_empty() {
                (page::empty("No allocations in this project yet.", Some(("/allocations/new", "Allocate your first machine"))))
            } @else {
                (page::table("Allocations in this project", &["Allocation", "SKU", "Site", "Nodes", "State", "Price per hour", "Created"],
                    allocations.items.iter().map(|allocation| html! {
                        tr {
                            td { a href=(format!("/allocations/{}", allocation.id)) { code { (allocation.id) } } }
                            td { (allocation.sku) }
                            td { (allocation.site) }
                            td.num { (allocation.count) }
                            td { (page::badge(&allocation.state)) }
                            td.num { (page::money(&allocation.hourly_price)) }
                            td { (page::time(allocation.created_at)) }
                        }
                    }).collect()))
            }
        },
    ))
}

/// What the form shows: the choices the domains offer and what the user typed so far.
struct AllocationForm {
    skus: Vec<(String, String)>,
    sites: Vec<(String, String)>,
    images: Vec<(String, String)>,
    templates: Vec<TemplateView>,
    keys: Vec<SshKeyView>,
}

#[derive(Default)]
struct Draft {
    sku: String,
    site: String,
    count: String,
    image: String,
    ssh_keys: Vec<String>,
    ssh_key_text: String,
    template: String,
    variables: String,
}

async fn form_choices(web: &Web, viewer: &Viewer) -> Result<AllocationForm, Response> {
    let (_, project) = viewer.workspace()?;
    let fail = |problem: Problem| viewer.fail(problem);
    let skus = web.inventory.catalog_skus().await.map_err(|e| fail(e.into()))?;
    let offers = web.inventory.catalog_offers().await.map_err(|e| fail(e.into()))?;
    let images = web
        .app_platform
        .images_list(&viewer.actor, None)
        .await
        .map_err(|e| fail(e.into()))?;
    let templates = web
        .app_platform
        .templates_list(&viewer.actor, project.id)
        .await
        .map_err(|e| fail(e.into()))?;
    let mut keys = web
        .app_platform
        .ssh_keys_list(&viewer.actor, project.id)
        .await
        .map_err(|e| fail(e.into()))?;
    keys.extend(
        web.app_platform
            .my_ssh_keys_list(&viewer.actor)
            .await
            .map_err(|e| fail(e.into()))?,
    );
    let mut sites: Vec<(String, String)> = vec![(String::new(), "Any site with capacity".into())];
    for offer in &offers {
        if !sites.iter().any(|(name, _)| *name == offer.site) {
            sites.push((offer.site.clone(), offer.site.clone()));
        }
    }
    let mut image_choices: Vec<(String, String)> = vec![(String::new(), "The site's default image".into())];
    for image in &images {
        if !image_choices.iter().any(|(name, _)| *name == image.name) {
            image_choices.push((image.name.clone(), format!("{} ({})", image.title, image.name)));
        }
    }
    Ok(AllocationForm {
        skus: skus
            .iter()
            .filter(|sku| sku.active)
            .map(|sku| {
                // Sites may price a SKU differently: one price, or the range.
                let mut prices: Vec<_> = offers
                    .iter()
                    .filter(|offer| offer.sku_id == sku.id)
                    .map(|offer| offer.hourly_price)
                    .collect();
                prices.sort_by_key(|price| price.micros());
                prices.dedup();
                let price = match (prices.first(), prices.last()) {
                    (Some(low), Some(high)) if low == high => page::money(low),
                    (Some(low), Some(high)) => format!("{} to {}", page::money(low), page::money(high)),
                    _ => "not on sale".into(),
                };
                (
                    sku.name.clone(),
                    format!("{} — {} — {price} / h", sku.name, sku.description),
                )
            })
            .collect(),
        sites,
        images: image_choices,
        templates,
        keys,
    })
}

fn allocation_form_body(
    viewer: &Viewer,
    choices: &AllocationForm,
    draft: &Draft,
    errors: &FormErrors,
) -> Markup {
    let mut template_options = vec![(String::new(), "None".to_string())];
    template_options.extend(
        choices
            .templates
            .iter()
            .map(|t| (t.name.clone(), format!("{} — {}", t.name, t.description))),
    );
    let key_error = errors.field("ssh_keys");
    html! {
        (errors.summary())
        form.stack method="post" action="/allocations" novalidate {
            (page::csrf_field(&viewer.csrf.token))
            (page::select("Machine type (SKU)", "sku", &choices.skus, &draft.sku, errors))
            (page::select("Site", "site", &choices.sites, &draft.site, errors))
            (Input::new("Number of machines", "count", "number").value(if draft.count.is_empty() { "1" } else { &draft.count }).required().render(errors))
            (page::select("Image", "image", &choices.images, &draft.image, errors))
            fieldset aria-describedby=[key_error.map(|_| "f-ssh_keys-error")] {
                legend { "SSH keys" }
                @if choices.keys.is_empty() {
                    p.hint { "No saved keys yet: paste one below, or " a href="/ssh-keys" { "save one" } " for next time." }
                }
                @for key in &choices.keys {
                    @let id = format!("key-{}", key.id);
                    div {
                        input type="checkbox" id=(id) name="ssh_keys" value=(key.id.to_string())
                            checked[draft.ssh_keys.contains(&key.id.to_string())];
                        " "
                        label for=(id) {
                            (key.name) " "
                            code { (key.fingerprint) }
                            @if key.project_id.is_none() { " (yours)" }
                        }
                    }
                }
                (Input::new("Or paste a public key", "ssh_key_text", "textarea").value(&draft.ssh_key_text)
                    .hint("One OpenSSH public key line, such as ssh-ed25519 AAAA… you@laptop.").render(&FormErrors::default()))
                @if let Some(error) = key_error { p.error id="f-ssh_keys-error" { (error) } }
            }
            (page::select("Template", "template", &template_options, &draft.template, errors))
            (Input::new("Template variables", "variables", "textarea").value(&draft.variables)
                .hint("One NAME=VALUE per line, for the template's variables.").render(errors))
            button type="submit" { "Allocate" }
        }
        @if !choices.templates.is_empty() {
            details {
                summary { "What the templates ask for" }
                @for template in &choices.templates {
                    h3 { (template.name) }
                    p { (template.description) }
                    @if !template.variables.is_empty() {
                        ul {
                            @for variable in &template.variables {
                                li { code { (variable.name) } " (" (page::label(&variable.kind)) ") " (variable.description) }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub async fn allocation_form(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    Query(query): Query<Pairs>,
) -> Reply {
    let viewer = Viewer::load(&web, actor, &headers, "/allocations/new").await?;
    let choices = form_choices(&web, &viewer).await?;
    let given = |name: &str| {
        query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .unwrap_or_default()
    };
    let draft = Draft {
        sku: given("sku"),
        site: given("site"),
        ..Draft::default()
    };
    Ok(viewer.page(
        "New allocation",
        allocation_form_body(&viewer, &choices, &draft, &FormErrors::default()),
    ))
}

/// The request the form describes; an unreadable field is a field error, and nothing is sent.
fn request_from(posted: &Posted, templates: &[TemplateView]) -> Result<AllocationCreateRequest, Problem> {
    let mut invalid = Problem::new(Code::ValidationFailed);
    let count = match posted.get("count").parse::<u32>() {
        Ok(count) => count,
        Err(_) => {
            invalid = invalid.field("count", "a whole number of machines, such as 1");
            0
        }
    };
    let mut ssh_keys = posted.all("ssh_keys");
    ssh_keys.extend(
        posted
            .get("ssh_key_text")
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_string),
    );
    let template = match posted.opt("template") {
        None => None,
        Some(name) => {
            let mut variables = serde_json::Map::new();
            let declared = templates.iter().find(|t| t.name == name);
            for line in posted
                .get("variables")
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
            {
                let Some((key, text)) = line.split_once('=') else {
                    invalid = invalid.field("variables", format!("{line}: expected NAME=VALUE"));
                    continue;
                };
                let (key, text) = (key.trim(), text.trim());
                let value = match declared {
                    Some(template) => template.value_typed(key, text),
                    None => Ok(serde_json::Value::String(text.to_string())),
                };
                match value {
                    Ok(value) => {
                        variables.insert(key.to_string(), value);
                    }
                    Err(why) => invalid = invalid.field("variables", why),
                }
            }
            Some(TemplateChoice { name, variables })
        }
    };
    if !invalid.errors.is_empty() {
        return Err(invalid);
    }
    Ok(AllocationCreateRequest {
        sku: posted.get("sku").to_string(),
        count,
        site: posted.opt("site"),
        image: posted.opt("image"),
        ssh_keys,
        user_data: None,
        template,
        release_at: None,
        placement: PlacementPolicy::Any,
        dry_run: false,
    })
}

pub async fn allocation_create(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    axum::Form(fields): axum::Form<Pairs>,
) -> Reply {
    let posted = Posted::checked(&web, &headers, fields)?;
    let viewer = Viewer::load(&web, actor, &headers, "/allocations/new").await?;
    let (_, project) = viewer.workspace()?;
    let choices = form_choices(&web, &viewer).await?;
    let result = match request_from(&posted, &choices.templates) {
        Err(problem) => Err(problem),
        Ok(request) => web
            .allocation
            .allocation_create(&viewer.actor, project.id, request)
            .await
            .map_err(Problem::from),
    };
    match result {
        Ok(AllocationCreated::Allocation(allocation)) => {
            Ok(page::see_other(&format!("/allocations/{}", allocation.id)))
        }
        Ok(AllocationCreated::DryRun(_)) => Ok(page::see_other("/allocations")),
        Err(problem) => {
            let errors = FormErrors::new(
                &problem,
                &[
                    "sku",
                    "site",
                    "count",
                    "image",
                    "ssh_keys",
                    "template",
                    "variables",
                ],
            );
            let draft = Draft {
                sku: posted.get("sku").to_string(),
                site: posted.get("site").to_string(),
                count: posted.get("count").to_string(),
                image: posted.get("image").to_string(),
                ssh_keys: posted.all("ssh_keys"),
                ssh_key_text: posted.get("ssh_key_text").to_string(),
                template: posted.get("template").to_string(),
                variables: posted.get("variables").to_string(),
            };
            let status = StatusCode::from_u16(problem.status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            Ok(viewer.page_status(
                status,
                "New allocation",
                allocation_form_body(&viewer, &choices, &draft, &errors),
            ))
        }
    }
}

fn settled(state: AllocationState) -> bool {
    matches!(
        state,
        AllocationState::Active | AllocationState::Released | AllocationState::Failed
    )
}

/// The part of the allocation page that changes while it provisions or releases.
fn progress(allocation: &AllocationView) -> Markup {
    let active = allocation
        .nodes
        .iter()
        .filter(|node| page::label(&node.state) == "active")
        .count();
    html! {
        div data-final=[settled(allocation.state).then_some("true")] {
            p {
                "State: " (page::badge(&allocation.state))
                @if let Some(reason) = &allocation.reason { " — " (reason) }
            }
            @if !settled(allocation.state) {
                label for="progress-bar" { (active) " of " (allocation.count) " machines ready" }
                " "
                progress #progress-bar max=(allocation.count) value=(active) { (active) " of " (allocation.count) }
                p.hint { "This updates by itself. " a href=(format!("/allocations/{}", allocation.id)) { "Refresh" } }
            }
            @if allocation.nodes.is_empty() {
                p.hint { "No machines assigned yet." }
            } @else {
                (page::table("Machines", &["Host", "State", "Addresses", "SSH"],
                    allocation.nodes.iter().enumerate().map(|(index, node)| html! {
                        tr {
                            td { (node.hostname) }
                            td { (page::badge(&node.state)) @if let Some(reason) = &node.reason { " " (reason) } }
                            td { (node.ip_addresses.join(", ")) }
                            td {
                                @if let Some(command) = &node.ssh_command {
                                    div.copyable {
                                        code id=(format!("ssh-{index}")) { (command) }
                                        button.secondary type="button" data-copy=(format!("ssh-{index}")) hidden { "Copy" }
                                    }
                                } @else { "—" }
                            }
                        }
                    }).collect()))
            }
            h2 { "History" }
            ol {
                @for change in &allocation.history {
                    li { (page::time(change.at)) " " (page::badge(&change.state)) " " (change.reason) }
                }
            }
        }
    }
}

async fn allocation_load(
    web: &Web,
    viewer: &Viewer,
    allocation_id: &str,
) -> Result<AllocationView, Response> {
    let allocation_id: AllocationId = allocation_id
        .parse()
        .map_err(|_| viewer.fail(Problem::new(Code::NotFound).detail("no such allocation")))?;
    web.allocation
        .allocation_get(&viewer.actor, allocation_id)
        .await
        .map_err(|err| viewer.fail(Problem::from(err)))
}

pub async fn allocation_page(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    Path(allocation_id): Path<String>,
) -> Reply {
    let viewer = Viewer::load(&web, actor, &headers, "/allocations").await?;
    let allocation = allocation_load(&web, &viewer, &allocation_id).await?;
    let releasable = matches!(
        allocation.state,
        AllocationState::Pending | AllocationState::Provisioning | AllocationState::Active
    );
    Ok(viewer.page(
        &format!("Allocation {}", allocation.id),
        html! {
            dl.card {
                dt { "SKU" } dd { (allocation.sku) " × " (allocation.count) }
                dt { "Site" } dd { (allocation.site) }
                dt { "Image" } dd { (allocation.image) }
                dt { "Price" } dd { (page::money(&allocation.hourly_price)) " per hour" }
                dt { "Created" } dd { (page::time(allocation.created_at)) }
                @if let Some(at) = allocation.release_at { dt { "Releases at" } dd { (page::time(at)) } }
            }
            section aria-labelledby="progress-heading" {
                h2 #progress-heading { "Progress" }
                div #progress aria-live="polite" data-poll=(format!("/allocations/{}/progress", allocation.id)) data-poll-ms="2000" {
                    (progress(&allocation))
                }
            }
            @if releasable {
                p { a.button.secondary href=(format!("/allocations/{}/release", allocation.id)) { "Release…" } }
            }
        },
    ))
}

/// The progress section alone, for the page's live refresh.
pub async fn allocation_progress(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    Path(allocation_id): Path<String>,
) -> Reply {
    let viewer = Viewer::load(&web, actor, &headers, "/allocations").await?;
    let allocation = allocation_load(&web, &viewer, &allocation_id).await?;
    Ok(page::respond(StatusCode::OK, progress(&allocation)))
}

pub async fn release_confirm(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    Path(allocation_id): Path<String>,
) -> Reply {
    let viewer = Viewer::load(&web, actor, &headers, "/allocations").await?;
    let allocation = allocation_load(&web, &viewer, &allocation_id).await?;
    Ok(viewer.page(
        "Release this allocation?",
        html! {
            div.alert {
                p {
                    "Releasing " code { (allocation.id) } " wipes its " (allocation.count) " "
                    (allocation.sku) " machine(s) and stops billing. This cannot be undone."
                }
            }
            form.stack method="post" action=(format!("/allocations/{}/release", allocation.id)) {
                (page::csrf_field(&viewer.csrf.token))
                (Input::new("Reason (optional)", "reason", "text").render(&FormErrors::default()))
                div {
                    button.danger type="submit" { "Release and wipe" } " "
                    a href=(format!("/allocations/{}", allocation.id)) { "Cancel" }
                }
            }
        },
    ))
}

pub async fn allocation_release(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    Path(allocation_id): Path<String>,
    axum::Form(fields): axum::Form<Pairs>,
) -> Reply {
    let posted = Posted::checked(&web, &headers, fields)?;
    let viewer = Viewer::load(&web, actor, &headers, "/allocations").await?;
    let allocation = allocation_load(&web, &viewer, &allocation_id).await?;
    web.allocation
        .allocation_release(
            &viewer.actor,
            allocation.id,
            ReleaseRequest {
                reason: posted.opt("reason"),
            },
        )
        .await
        .map_err(|err| viewer.fail(Problem::from(err)))?;
    Ok(page::see_other(&format!("/allocations/{}", allocation.id)))
}
