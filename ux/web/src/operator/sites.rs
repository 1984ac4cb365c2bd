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
                        " "
                        a href=(format!("/admin/sites/{}/policy", site.name)) { "Edit policy" }
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

/// The site's MAAS policy as a form (the region's URL and key stay as they are).
fn policy_form(
    viewer: &Viewer,
    site: &str,
    policy: &ingot_contracts::maas::SitePolicy,
    errors: &crate::page::FormErrors,
) -> Markup {
    use crate::page::Input;
    use ingot_contracts::maas::{DecommissionMode, EraseMode};
    let erase =
        [EraseMode::None, EraseMode::Quick, EraseMode::Secure].map(|m| (page::label(&m), page::label(&m)));
    let decommission =
        [DecommissionMode::Tag, DecommissionMode::Remove].map(|m| (page::label(&m), page::label(&m)));
    let images = policy.allowed_images.join(", ");
    let concurrent = policy.max_concurrent_deploys.to_string();
    let timeout = policy.transitional_timeout_minutes.to_string();
    html! {
        (errors.summary())
        form.stack method="post" action=(format!("/admin/sites/{site}/policy")) novalidate {
            (page::csrf_field(&viewer.csrf.token))
            (Input::new("Images allowed", "allowed_images", "text").value(&images)
                .hint("OS series, comma-separated, first = default (jammy, noble); empty allows all the region has.").render(errors))
            (Input::new("Concurrent deploys", "max_concurrent_deploys", "number").value(&concurrent).required().render(errors))
            (page::select("Erase on release", "erase_on_release", &erase, &page::label(&policy.erase_on_release), errors))
            (Input::new("Transitional timeout (minutes)", "transitional_timeout_minutes", "number").value(&timeout)
                .hint("How long a machine may sit in a transitional MAAS state before it counts as drift.").render(errors))
            (page::select("Decommissioned machines", "decommission", &decommission, &page::label(&policy.decommission), errors))
            div.field {
                div { input #f-auto_commission type="checkbox" name="auto_commission" value="true" checked[policy.auto_commission]; " " label for="f-auto_commission" { "Commission new machines automatically" } }
                div { input #f-auto_repair type="checkbox" name="auto_repair" value="true" checked[policy.auto_repair]; " " label for="f-auto_repair" { "Repair drift automatically" } }
            }
            button type="submit" { "Save policy" }
        }
    }
}

pub async fn policy_page(web: Web, actor: Actor, headers: HeaderMap, Path(site): Path<String>) -> Reply {
    let viewer = Viewer::load(&web, actor, &headers, "/admin/sites").await?;
    let binding = web
        .maas
        .binding_get(&viewer.actor, &site)
        .await
        .map_err(|e| viewer.fail(e.into()))?;
    Ok(viewer.page(
        &format!("Policy of {site}"),
        html! {
            p { "MAAS region " code { (binding.url) } ", key " code { (binding.api_key_id) } " (the key itself is never shown)." }
            (policy_form(&viewer, &site, &binding.policy, &crate::page::FormErrors::default()))
        },
    ))
}

pub async fn policy_set(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    Path(site): Path<String>,
    axum::Form(fields): axum::Form<Pairs>,
) -> Reply {
    use ingot_kernel::problem::{Code, Problem};
    let posted = Posted::checked(&web, &headers, fields)?;
    let viewer = Viewer::load(&web, actor, &headers, "/admin/sites").await?;
    let binding = web
        .maas
        .binding_get(&viewer.actor, &site)
        .await
        .map_err(|e| viewer.fail(e.into()))?;
    let mut policy = binding.policy.clone();
    let mut invalid = Problem::new(Code::ValidationFailed);
    policy.allowed_images = posted
        .get("allowed_images")
        .split(',')
        .map(str::trim)
        .filter(|image| !image.is_empty())
        .map(str::to_string)
        .collect();
    match posted.get("max_concurrent_deploys").parse() {
        Ok(value) => policy.max_concurrent_deploys = value,
        Err(_) => invalid = invalid.field("max_concurrent_deploys", "a whole number"),
    }
    match posted.get("transitional_timeout_minutes").parse() {
        Ok(value) => policy.transitional_timeout_minutes = value,
        Err(_) => invalid = invalid.field("transitional_timeout_minutes", "a whole number of minutes"),
    }
    let word = |name: &str| serde_json::Value::String(posted.get(name).to_string());
    match serde_json::from_value(word("erase_on_release")) {
        Ok(value) => policy.erase_on_release = value,
        Err(_) => invalid = invalid.field("erase_on_release", "none, quick or secure"),
    }
    match serde_json::from_value(word("decommission")) {
        Ok(value) => policy.decommission = value,
        Err(_) => invalid = invalid.field("decommission", "tag or remove"),
    }
    policy.auto_commission = posted.get("auto_commission") == "true";
    policy.auto_repair = posted.get("auto_repair") == "true";
    let result = if invalid.errors.is_empty() {
        let request = ingot_contracts::maas::SiteBindingRequest {
            url: binding.url.clone(),
            api_key: None,
            policy: policy.clone(),
        };
        web.maas
            .binding_set(&viewer.actor, &site, request)
            .await
            .map(|_| ())
            .map_err(Problem::from)
    } else {
        Err(invalid)
    };
    match result {
        Ok(()) => Ok(crate::page::see_other("/admin/sites")),
        Err(problem) => {
            let known = [
                "allowed_images",
                "max_concurrent_deploys",
                "erase_on_release",
                "transitional_timeout_minutes",
                "decommission",
            ];
            // MAAS names the policy's fields `policy.max_concurrent_deploys`; the form, without the prefix.
            let mut problem = problem;
            for error in &mut problem.errors {
                if let Some(field) = error.field.strip_prefix("policy.") {
                    error.field = field.to_string();
                }
            }
            let errors = crate::page::FormErrors::new(&problem, &known);
            let status = axum::http::StatusCode::from_u16(problem.status())
                .unwrap_or(axum::http::StatusCode::UNPROCESSABLE_ENTITY);
            Ok(viewer.page_status(
                status,
                &format!("Policy of {site}"),
                policy_form(&viewer, &site, &policy, &errors),
            ))
        }
    }
}
