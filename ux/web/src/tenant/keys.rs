//! SSH keys: the project's (usable by everyone allocating in it) and the user's own (usable in
//! any allocation they make). App Platform parses and fingerprints them.

use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use ingot_contracts::app_platform::{SshKeyCreateRequest, SshKeyView};
use ingot_contracts::iam::Actor;
use ingot_kernel::id::SshKeyId;
use ingot_kernel::problem::{Code, Problem};
use maud::{Markup, html};

use crate::Web;
use crate::form::Posted;
use crate::page::{self, FormErrors, Input, Reply};
use crate::viewer::Viewer;

type Pairs = Vec<(String, String)>;

fn keys_table(viewer: &Viewer, caption: &str, keys: &[SshKeyView]) -> Markup {
    page::table(
        caption,
        &["Name", "Type", "Fingerprint", "Added", ""],
        keys.iter()
            .map(|key| {
                html! {
                    tr {
                        td { (key.name) }
                        td { (key.kind) " " (key.bits) }
                        td { code { (key.fingerprint) } }
                        td { (page::time(key.created_at)) }
                        td {
                            details {
                                summary { "Delete…" }
                                (page::action_button(&format!("/ssh-keys/{}/delete", key.id), &viewer.csrf.token,
                                    &format!("Yes, delete {}", key.name), "danger"))
                            }
                        }
                    }
                }
            })
            .collect(),
    )
}

async fn keys_body(
    web: &Web,
    viewer: &Viewer,
    posted: Option<&Posted>,
    errors: &FormErrors,
) -> Result<Markup, axum::response::Response> {
    let (_, project) = viewer.workspace()?;
    let project_keys = web
        .app_platform
        .ssh_keys_list(&viewer.actor, project.id)
        .await
        .map_err(|err| viewer.fail(err.into()))?;
    let my_keys = web
        .app_platform
        .my_ssh_keys_list(&viewer.actor)
        .await
        .map_err(|err| viewer.fail(err.into()))?;
    let value = |name: &str| posted.map(|p| p.get(name).to_string()).unwrap_or_default();
    let owner = value("owner");
    Ok(html! {
        h2 { "Project keys" }
        @if project_keys.is_empty() {
            (page::empty("No project keys yet.", None))
        } @else { (keys_table(viewer, "Keys of this project", &project_keys)) }
        h2 { "Your own keys" }
        @if my_keys.is_empty() {
            (page::empty("No personal keys yet.", None))
        } @else { (keys_table(viewer, "Your keys", &my_keys)) }
        h2 { "Add a key" }
        (errors.summary())
        form.stack method="post" action="/ssh-keys" novalidate {
            (page::csrf_field(&viewer.csrf.token))
            (Input::new("Name", "name", "text").value(&value("name")).required().render(errors))
            (Input::new("Public key", "public_key", "textarea").value(&value("public_key")).required()
                .hint("The contents of your .pub file: ssh-ed25519 AAAA… you@laptop.").render(errors))
            (page::select("Belongs to", "owner", &[
                ("project".to_string(), "This project (everyone allocating here can use it)".to_string()),
                ("mine".to_string(), "Me (usable in any of my allocations)".to_string()),
            ], if owner.is_empty() { "project" } else { &owner }, errors))
            button type="submit" { "Add key" }
        }
    })
}

pub async fn keys_page(web: Web, actor: Actor, headers: HeaderMap) -> Reply {
    let viewer = Viewer::load(&web, actor, &headers, "/ssh-keys").await?;
    let body = keys_body(&web, &viewer, None, &FormErrors::default()).await?;
    Ok(viewer.page("SSH keys", body))
}

pub async fn key_create(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    axum::Form(fields): axum::Form<Pairs>,
) -> Reply {
    let posted = Posted::checked(&web, &headers, fields)?;
    let viewer = Viewer::load(&web, actor, &headers, "/ssh-keys").await?;
    let (_, project) = viewer.workspace()?;
    let request = SshKeyCreateRequest {
        name: posted.get("name").to_string(),
        public_key: posted.get("public_key").to_string(),
    };
    let result = if posted.get("owner") == "mine" {
        web.app_platform.my_ssh_key_create(&viewer.actor, request).await
    } else {
        web.app_platform
            .ssh_key_create(&viewer.actor, project.id, request)
            .await
    };
    match result {
        Ok(_) => Ok(page::see_other("/ssh-keys")),
        Err(err) => {
            let problem = Problem::from(err);
            let errors = FormErrors::new(&problem, &["name", "public_key", "owner"]);
            let body = keys_body(&web, &viewer, Some(&posted), &errors).await?;
            let status = StatusCode::from_u16(problem.status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            Ok(viewer.page_status(status, "SSH keys", body))
        }
    }
}

pub async fn key_delete(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    Path(key_id): Path<String>,
    axum::Form(fields): axum::Form<Pairs>,
) -> Reply {
    Posted::checked(&web, &headers, fields)?;
    let viewer = Viewer::load(&web, actor, &headers, "/ssh-keys").await?;
    let (_, project) = viewer.workspace()?;
    let key_id: SshKeyId = key_id
        .parse()
        .map_err(|_| viewer.fail(Problem::new(Code::NotFound).detail("no such key")))?;
    let mine = web
        .app_platform
        .my_ssh_keys_list(&viewer.actor)
        .await
        .map_err(|err| viewer.fail(err.into()))?
        .iter()
        .any(|key| key.id == key_id);
    let result = if mine {
        web.app_platform.my_ssh_key_delete(&viewer.actor, key_id).await
    } else {
        web.app_platform
            .ssh_key_delete(&viewer.actor, project.id, key_id)
            .await
    };
    result.map_err(|err| viewer.fail(err.into()))?;
    Ok(page::see_other("/ssh-keys"))
}
