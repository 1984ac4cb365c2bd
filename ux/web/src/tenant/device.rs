//! Approving a device (RFC 8628's verification page): `ingot login` shows a code and this page's
//! address; the signed-in person checks the code and what asked, then approves or denies. IAM
//! decides everything; this page shows its answers.

use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode};
use ingot_contracts::iam::{Actor, DeviceDecisionRequest, DeviceGrantState, DeviceGrantView};
use ingot_kernel::problem::{Code, Problem};
use maud::{Markup, html};

use crate::Web;
use crate::form::Posted;
use crate::page::{self, FormErrors, Input, Reply};
use crate::viewer::Viewer;

type Pairs = Vec<(String, String)>;

const TITLE: &str = "Approve a device";

fn code_form(typed: &str, errors: &FormErrors) -> Markup {
    html! {
        p { "Enter the code your terminal shows after " code { "ingot login" } "." }
        (errors.summary())
        // Looking a code up changes nothing: a plain GET form, no token needed.
        form.stack method="get" action="/device" novalidate {
            (Input::new("Code", "user_code", "text").value(typed).required().autocomplete("off")
                .hint("Eight letters, like BCDF-GHJK.").render(errors))
            button type="submit" { "Continue" }
        }
    }
}

fn grant_body(viewer: &Viewer, grant: &DeviceGrantView) -> Markup {
    html! {
        dl.card {
            dt { "Code" } dd { code #device-code { (grant.user_code) } }
            dt { "Device" } dd { (grant.client_name) }
            dt { "Asked from" } dd { (grant.requested_from.as_deref().unwrap_or("an unknown address")) }
            dt { "Asked" } dd { (page::time(grant.requested_at)) }
            dt { "Expires" } dd { (page::time(grant.expires_at)) }
        }
        @match grant.state {
            DeviceGrantState::Pending => {
                p { "Approve only if you started " code { "ingot login" } " yourself just now and your terminal shows this same code. "
                    "The device will act as you, " (viewer.me.user.email) ", until you end its session." }
                div.grid {
                    form.inline method="post" action="/device" {
                        (page::csrf_field(&viewer.csrf.token))
                        input type="hidden" name="user_code" value=(grant.user_code);
                        input type="hidden" name="decision" value="approve";
                        button type="submit" { "Approve" }
                    }
                    form.inline method="post" action="/device" {
                        (page::csrf_field(&viewer.csrf.token))
                        input type="hidden" name="user_code" value=(grant.user_code);
                        input type="hidden" name="decision" value="deny";
                        button.danger type="submit" { "Deny" }
                    }
                }
            }
            DeviceGrantState::Approved | DeviceGrantState::Issued => {
                p role="status" { (page::badge(&grant.state)) " Approved: you can close this page and go back to your terminal." }
            }
            DeviceGrantState::Denied => {
                p role="status" { (page::badge(&grant.state)) " Denied: the device was told, and has no access." }
            }
        }
    }
}

fn unknown_code(typed: &str) -> FormErrors {
    let problem = Problem::new(Code::InvalidGrant).field(
        "user_code",
        if typed.trim().is_empty() {
            "enter the code your terminal shows"
        } else {
            "no device is waiting with this code: check it, or run ingot login again (codes last ten minutes)"
        },
    );
    FormErrors::new(&problem, &["user_code"])
}

pub async fn device_page(web: Web, actor: Actor, headers: HeaderMap, Query(query): Query<Pairs>) -> Reply {
    let typed = query
        .iter()
        .find(|(key, _)| key == "user_code")
        .map(|(_, value)| value.trim().to_string());
    // The way back after logging in keeps the code, when it looks like one (letters and a dash
    // only, so it cannot smuggle anything into the redirect).
    let here = match typed.as_deref() {
        Some(code) if !code.is_empty() && code.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-') => {
            format!("/device?user_code={code}")
        }
        _ => "/device".to_string(),
    };
    let viewer = Viewer::load(&web, actor, &headers, &here).await?;
    let Some(typed) = typed else {
        return Ok(viewer.page(TITLE, code_form("", &FormErrors::default())));
    };
    match web.iam.device_grant_get(&viewer.actor, &typed).await {
        Ok(grant) => Ok(viewer.page(TITLE, grant_body(&viewer, &grant))),
        Err(ingot_contracts::iam::IamError::DeviceGrantInvalid) => Ok(viewer.page_status(
            StatusCode::NOT_FOUND,
            TITLE,
            code_form(&typed, &unknown_code(&typed)),
        )),
        Err(err) => Err(viewer.fail(err.into())),
    }
}

pub async fn device_decide(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    axum::Form(fields): axum::Form<Pairs>,
) -> Reply {
    let posted = Posted::checked(&web, &headers, fields)?;
    let viewer = Viewer::load(&web, actor, &headers, "/device").await?;
    let user_code = posted.get("user_code").to_string();
    let request = DeviceDecisionRequest {
        user_code: user_code.clone(),
        approve: posted.get("decision") == "approve",
    };
    match web.iam.device_decide(&viewer.actor, request).await {
        Ok(grant) => Ok(viewer.page(TITLE, grant_body(&viewer, &grant))),
        // Decided meanwhile (in another tab), expired, or mistyped: say so beside the code.
        Err(ingot_contracts::iam::IamError::DeviceGrantInvalid) => Ok(viewer.page_status(
            StatusCode::NOT_FOUND,
            TITLE,
            code_form(&user_code, &unknown_code(&user_code)),
        )),
        Err(err) => Err(viewer.fail(err.into())),
    }
}
