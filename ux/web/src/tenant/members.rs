//! Members and roles of the tenant: who belongs, with which role; adding someone by email,
//! changing a role, removing a member. IAM decides who may do each (owners and admins).

use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use ingot_contracts::iam::{Actor, MemberAddRequest, MemberUpdateRequest, TenantRole};
use ingot_kernel::id::UserId;
use ingot_kernel::problem::{Code, Problem};
use maud::{Markup, html};

use crate::Web;
use crate::form::Posted;
use crate::page::{self, FormErrors, Input, Reply};
use crate::viewer::Viewer;

type Pairs = Vec<(String, String)>;

const ROLES: [TenantRole; 5] = [
    TenantRole::Viewer,
    TenantRole::Member,
    TenantRole::Billing,
    TenantRole::Admin,
    TenantRole::Owner,
];

fn role_options() -> Vec<(String, String)> {
    ROLES
        .iter()
        .map(|role| (page::label(role), page::label(role)))
        .collect()
}

fn role_parse(text: &str) -> Result<TenantRole, Problem> {
    serde_json::from_value(serde_json::Value::String(text.to_string()))
        .map_err(|_| Problem::new(Code::ValidationFailed).field("role", "choose one of the roles"))
}

async fn members_body(
    web: &Web,
    viewer: &Viewer,
    email: &str,
    errors: &FormErrors,
) -> Result<Markup, axum::response::Response> {
    let (tenant, _) = viewer.workspace()?;
    let members = web
        .iam
        .member_list(&viewer.actor, tenant.tenant_id)
        .await
        .map_err(|err| viewer.fail(err.into()))?;
    let options = role_options();
    Ok(html! {
        p { "Roles: " strong { "viewer" } " reads; " strong { "member" } " allocates; " strong { "billing" } " manages money; "
            strong { "admin" } " manages members and settings; " strong { "owner" } " everything, including owners." }
        (errors.summary())
        (page::table("Members", &["Name", "Email", "Role", "Joined", ""],
            members.iter().map(|member| html! {
                tr {
                    td { (member.display_name) }
                    td { (member.email) }
                    td {
                        form.inline method="post" action=(format!("/members/{}/role", member.user_id)) {
                            (page::csrf_field(&viewer.csrf.token))
                            label.visually-hidden for=(format!("role-{}", member.user_id)) { "Role of " (member.display_name) }
                            select id=(format!("role-{}", member.user_id)) name="role" {
                                @for (value, text) in &options {
                                    option value=(value) selected[*value == page::label(&member.role)] { (text) }
                                }
                            }
                            " "
                            button.secondary type="submit" { "Change" }
                        }
                    }
                    td { (page::time(member.joined_at)) }
                    td {
                        @if Some(member.user_id) != viewer.actor.user_id {
                            details {
                                summary { "Remove…" }
                                (page::action_button(&format!("/members/{}/remove", member.user_id), &viewer.csrf.token,
                                    &format!("Yes, remove {}", member.display_name), "danger"))
                            }
                        }
                    }
                }
            }).collect()))
        h2 { "Add a member" }
        form.stack method="post" action="/members" novalidate {
            (page::csrf_field(&viewer.csrf.token))
            (Input::new("Email", "email", "email").value(email).required().hint("They must have signed up already.").render(errors))
            (page::select("Role", "role", &options, "member", errors))
            button type="submit" { "Add member" }
        }
    })
}

pub async fn members_page(web: Web, actor: Actor, headers: HeaderMap) -> Reply {
    let viewer = Viewer::load(&web, actor, &headers, "/members").await?;
    let body = members_body(&web, &viewer, "", &FormErrors::default()).await?;
    Ok(viewer.page("Members and roles", body))
}

async fn answer(web: &Web, viewer: &Viewer, result: Result<(), Problem>, email: &str) -> Reply {
    match result {
        Ok(()) => Ok(page::see_other("/members")),
        Err(problem) => {
            let errors = FormErrors::new(&problem, &["email", "role"]);
            let body = members_body(web, viewer, email, &errors).await?;
            let status = StatusCode::from_u16(problem.status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            Ok(viewer.page_status(status, "Members and roles", body))
        }
    }
}

pub async fn member_add(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    axum::Form(fields): axum::Form<Pairs>,
) -> Reply {
    let posted = Posted::checked(&web, &headers, fields)?;
    let viewer = Viewer::load(&web, actor, &headers, "/members").await?;
    let (tenant, _) = viewer.workspace()?;
    let result = match role_parse(posted.get("role")) {
        Err(problem) => Err(problem),
        Ok(role) => web
            .iam
            .member_add(
                &viewer.actor,
                tenant.tenant_id,
                MemberAddRequest {
                    email: posted.get("email").to_string(),
                    role,
                },
            )
            .await
            .map(|_| ())
            .map_err(Problem::from),
    };
    answer(&web, &viewer, result, posted.get("email")).await
}

fn user_id_parse(viewer: &Viewer, text: &str) -> Result<UserId, axum::response::Response> {
    text.parse()
        .map_err(|_| viewer.fail(Problem::new(Code::NotFound).detail("no such member")))
}

pub async fn member_role(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    Path(user_id): Path<String>,
    axum::Form(fields): axum::Form<Pairs>,
) -> Reply {
    let posted = Posted::checked(&web, &headers, fields)?;
    let viewer = Viewer::load(&web, actor, &headers, "/members").await?;
    let (tenant, _) = viewer.workspace()?;
    let user_id = user_id_parse(&viewer, &user_id)?;
    let result = match role_parse(posted.get("role")) {
        Err(problem) => Err(problem),
        Ok(role) => web
            .iam
            .member_update(
                &viewer.actor,
                tenant.tenant_id,
                user_id,
                MemberUpdateRequest { role },
            )
            .await
            .map(|_| ())
            .map_err(Problem::from),
    };
    answer(&web, &viewer, result, "").await
}

pub async fn member_remove(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    Path(user_id): Path<String>,
    axum::Form(fields): axum::Form<Pairs>,
) -> Reply {
    Posted::checked(&web, &headers, fields)?;
    let viewer = Viewer::load(&web, actor, &headers, "/members").await?;
    let (tenant, _) = viewer.workspace()?;
    let user_id = user_id_parse(&viewer, &user_id)?;
    let result = web
        .iam
        .member_remove(&viewer.actor, tenant.tenant_id, user_id)
        .await
        .map_err(Problem::from);
    answer(&web, &viewer, result, "").await
}
