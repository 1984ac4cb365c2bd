//! The tenant's pages: signing up and in, the overview, verification, money, the catalog,
//! allocations, SSH keys and the account. Each handler reads the form, calls one domain trait
//! with the viewer's actor, and shows the answer or the domain's refusal beside the field.

pub mod account;
pub mod allocations;
pub mod auth;
pub mod billing;
pub mod catalog;
pub mod device;
pub mod keys;
pub mod kyc;
pub mod members;
pub mod overview;
pub mod webhooks;

use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use ingot_contracts::iam::Actor;
use maud::html;

use crate::Web;
use crate::page;

/// `/`: the visitor's way in, or the logged-in user's home (their tenant, else the operator's).
pub async fn home(web: Web, actor: Actor, headers: HeaderMap) -> Response {
    if actor.user_id.is_some() {
        if !actor.tenant_roles.is_empty() {
            return page::see_other("/overview");
        }
        if !actor.platform_roles.is_empty() {
            return page::see_other("/admin");
        }
        return page::see_other("/account");
    }
    auth::anonymous_page(&web, &headers, "Bare-metal cloud", |_| {
        html! {
            p { "Whole machines, GPUs included, imaged and reachable over SSH in minutes. Pay per second from a prepaid balance." }
            p {
                a.button href="/signup" { "Create an account" } " "
                a.button.secondary href="/login" { "Log in" }
            }
            p.hint {
                "Version " (web.version) ". "
                a href="/openapi.json" { "API description (OpenAPI 3.1)" }
            }
        }
    })
    .into_response()
}

/// Chooses the tenant the pages act in, among the user's own (a cookie; IAM still authorises
/// every call in it).
pub async fn tenant_switch(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> crate::page::Reply {
    let posted = crate::form::Posted::checked(&web, &headers, fields)?;
    let viewer = crate::viewer::Viewer::load(&web, actor, &headers, "/overview").await?;
    let Some(membership) = viewer
        .me
        .memberships
        .iter()
        .find(|m| m.tenant_id.to_string() == posted.get("tenant_id"))
    else {
        return Err(viewer.fail(
            ingot_kernel::problem::Problem::new(ingot_kernel::problem::Code::NotFound)
                .detail("no such tenant"),
        ));
    };
    let mut response = page::see_other("/overview");
    let cookie = format!(
        "{}={}; Path=/; HttpOnly; SameSite=Lax",
        crate::viewer::TENANT_COOKIE,
        membership.tenant_id
    );
    if let Ok(value) = axum::http::HeaderValue::from_str(&cookie) {
        response
            .headers_mut()
            .append(axum::http::header::SET_COOKIE, value);
    }
    Ok(response)
}
