//! The account: two-factor enrolment (TOTP, with recovery codes shown once) and API tokens (the
//! secret shown once). Secrets are rendered only in the response that creates them.

use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use ingot_contracts::iam::{Actor, TenantRole, TokenCreateRequest, TotpCodeRequest};
use ingot_kernel::id::ApiTokenId;
use ingot_kernel::problem::{Code, Problem};
use maud::{Markup, html};

use crate::Web;
use crate::form::Posted;
use crate::page::{self, FormErrors, Input, Reply};
use crate::viewer::Viewer;

type Pairs = Vec<(String, String)>;

async fn account_body(
    web: &Web,
    viewer: &Viewer,
    notice: Option<Markup>,
    errors: &FormErrors,
) -> Result<Markup, axum::response::Response> {
    let tokens = web
        .iam
        .token_list(&viewer.actor)
        .await
        .map_err(|err| viewer.fail(err.into()))?;
    let roles = [
        TenantRole::Viewer,
        TenantRole::Member,
        TenantRole::Admin,
        TenantRole::Billing,
    ]
    .map(|role| (page::label(&role), page::label(&role)));
    Ok(html! {
        @if let Some(notice) = notice { (notice) }
        (errors.summary())
        div.card {
            p { strong { (viewer.me.user.display_name) } " · " (viewer.me.user.email) }
            @if !viewer.me.user.platform_roles.is_empty() {
                p { "Platform roles: " (viewer.me.user.platform_roles.iter().map(page::label).collect::<Vec<_>>().join(", ")) }
            }
        }
        h2 { "Two-factor authentication" }
        @if viewer.me.user.mfa_enabled {
            p { (page::badge(&"on")) " Codes from your authenticator app are asked at every log-in." }
        } @else {
            @if viewer.actor.mfa_enrolment_required {
                div.alert role="alert" { p { "Your organisation requires two-factor authentication: enrol to continue." } }
            }
            p { "Add a second factor: a code from an authenticator app, asked at every log-in." }
            form.inline method="post" action="/account/mfa" {
                (page::csrf_field(&viewer.csrf.token))
                button type="submit" { "Set up two-factor authentication" }
            }
        }
        @if let Some(tenant) = &viewer.tenant {
            h2 { "API tokens" }
            @if tokens.is_empty() {
                (page::empty("No API tokens. Create one for the CLI, the SDK or your scripts.", None))
            } @else {
                (page::table("Your API tokens", &["Name", "Role", "Created", "Expires", "Last used", ""],
                    tokens.iter().map(|token| html! {
                        tr {
                            td { (token.name) }
                            td { (page::label(&token.role)) }
                            td { (page::time(token.created_at)) }
                            td { (page::time(token.expires_at)) }
                            td { @match token.last_used_at { Some(at) => { (page::time(at)) } None => { "never" } } }
                            td {
                                @if token.revoked_at.is_some() { "revoked" } @else {
                                    details {
                                        summary { "Revoke…" }
                                        (page::action_button(&format!("/account/tokens/{}/revoke", token.id), &viewer.csrf.token,
                                            &format!("Yes, revoke {}", token.name), "danger"))
                                    }
                                }
                            }
                        }
                    }).collect()))
            }
            form.stack method="post" action="/account/tokens" novalidate {
                (page::csrf_field(&viewer.csrf.token))
                (Input::new("Token name", "name", "text").required().hint("What it is for, such as ci-deploys.").render(errors))
                (page::select("Role", "role", &roles, "member", errors))
                (Input::new("Expires in days", "expires_in_days", "number").value("90").render(errors))
                input type="hidden" name="tenant_id" value=(tenant.tenant_id.to_string());
                button type="submit" { "Create token" }
            }
        }
    })
}

pub async fn account_page(web: Web, actor: Actor, headers: HeaderMap, Query(_query): Query<Pairs>) -> Reply {
    let viewer = Viewer::load(&web, actor, &headers, "/account").await?;
    let body = account_body(&web, &viewer, None, &FormErrors::default()).await?;
    Ok(viewer.page("Account", body))
}

pub async fn mfa_enrol(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    axum::Form(fields): axum::Form<Pairs>,
) -> Reply {
    Posted::checked(&web, &headers, fields)?;
    let viewer = Viewer::load(&web, actor, &headers, "/account").await?;
    let enrolment = web
        .iam
        .mfa_totp_enrol(&viewer.actor)
        .await
        .map_err(|err| viewer.fail(err.into()))?;
    Ok(viewer.page(
        "Set up two-factor authentication",
        mfa_confirm_body(
            &viewer,
            &enrolment.secret,
            &enrolment.otpauth_uri,
            &FormErrors::default(),
        ),
    ))
}

fn mfa_confirm_body(viewer: &Viewer, secret: &str, uri: &str, errors: &FormErrors) -> Markup {
    html! {
        div.secret {
            p { "Add this key to your authenticator app (or open the link on the device that has the app):" }
            p.copyable { code #totp-secret { (secret) } button.secondary type="button" data-copy="totp-secret" hidden { "Copy" } }
            p { a href=(uri) { "Open in authenticator app" } }
        }
        (errors.summary())
        form.stack method="post" action="/account/mfa/confirm" novalidate {
            (page::csrf_field(&viewer.csrf.token))
            (Input::new("Code from the app", "code", "text").required().autocomplete("one-time-code")
                .hint("6 digits; it proves the app and Ingot agree.").render(errors))
            button type="submit" { "Turn on" }
        }
    }
}

pub async fn mfa_confirm(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    axum::Form(fields): axum::Form<Pairs>,
) -> Reply {
    let posted = Posted::checked(&web, &headers, fields)?;
    let viewer = Viewer::load(&web, actor, &headers, "/account").await?;
    match web
        .iam
        .mfa_totp_confirm(&viewer.actor, TotpCodeRequest { code: posted.get("code").to_string() })
        .await
    {
        Ok(codes) => Ok(viewer.page(
            "Two-factor authentication is on",
            html! {
                div.secret {
                    p { "Keep these recovery codes somewhere safe: each logs you in once if you lose your app. They are shown only now." }
                    ul #recovery-codes { @for code in &codes.recovery_codes { li { code { (code) } } } }
                }
                p { a.button href="/account" { "Done" } }
            },
        )),
        Err(err) => {
            let problem = Problem::from(err).field("code", "that code did not match; try the newest one");
            let errors = FormErrors::new(&problem, &["code"]);
            Ok(viewer.page_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Set up two-factor authentication",
                html! {
                    (errors.summary())
                    p { "Start again: " }
                    form.inline method="post" action="/account/mfa" {
                        (page::csrf_field(&viewer.csrf.token))
                        button type="submit" { "Show a new key" }
                    }
                },
            ))
        }
    }
}

pub async fn token_create(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    axum::Form(fields): axum::Form<Pairs>,
) -> Reply {
    let posted = Posted::checked(&web, &headers, fields)?;
    let viewer = Viewer::load(&web, actor, &headers, "/account").await?;
    let (tenant, _) = viewer.workspace()?;
    let role =
        serde_json::from_value::<TenantRole>(serde_json::Value::String(posted.get("role").to_string()));
    let days = posted.get("expires_in_days");
    let result = match (role, days.parse::<u32>()) {
        (Err(_), _) => Err(Problem::new(Code::ValidationFailed).field("role", "choose a role")),
        (_, Err(_)) if !days.is_empty() => {
            Err(Problem::new(Code::ValidationFailed).field("expires_in_days", "a whole number of days"))
        }
        (Ok(role), days) => web
            .iam
            .token_create(
                &viewer.actor,
                TokenCreateRequest {
                    name: posted.get("name").to_string(),
                    tenant_id: tenant.tenant_id,
                    project_id: None,
                    role,
                    expires_in_days: days.ok(),
                },
            )
            .await
            .map_err(Problem::from),
    };
    match result {
        Ok(created) => {
            let notice = html! {
                div.secret role="status" {
                    p { "Token " strong { (created.view.name) } " created. Copy it now: it is shown only once." }
                    p.copyable { code #new-token { (created.token) } button.secondary type="button" data-copy="new-token" hidden { "Copy" } }
                }
            };
            let body = account_body(&web, &viewer, Some(notice), &FormErrors::default()).await?;
            Ok(viewer.page_status(StatusCode::CREATED, "Account", body))
        }
        Err(problem) => {
            let errors = FormErrors::new(&problem, &["name", "role", "expires_in_days"]);
            let body = account_body(&web, &viewer, None, &errors).await?;
            let status = StatusCode::from_u16(problem.status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            Ok(viewer.page_status(status, "Account", body))
        }
    }
}

pub async fn token_revoke(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    Path(token_id): Path<String>,
    axum::Form(fields): axum::Form<Pairs>,
) -> Reply {
    Posted::checked(&web, &headers, fields)?;
    let viewer = Viewer::load(&web, actor, &headers, "/account").await?;
    let token_id: ApiTokenId = token_id
        .parse()
        .map_err(|_| viewer.fail(Problem::new(Code::NotFound).detail("no such token")))?;
    web.iam
        .token_revoke(&viewer.actor, token_id)
        .await
        .map_err(|err| viewer.fail(err.into()))?;
    Ok(page::see_other("/account"))
}
