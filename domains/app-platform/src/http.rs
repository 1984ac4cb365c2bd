//! App Platform HTTP: the routes of DESIGN.md's App Platform row built so far. Each parses, calls
//! `AppPlatformApi`, renders.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use ingot_contracts::app_platform::{AppPlatformApi, ImageView, SshKeyCreateRequest, SshKeyView};
use ingot_contracts::iam::Actor;
use ingot_kernel::http::{Json, Path, Query};
use ingot_kernel::id::{ProjectId, SshKeyId};
use ingot_kernel::problem::{Problem, ProblemBody};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type AppPlatform = State<Arc<dyn AppPlatformApi>>;

/// This domain's routes, with their OpenAPI descriptions.
pub fn router(app_platform: Arc<dyn AppPlatformApi>) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(images_list))
        .routes(routes!(ssh_keys_list, ssh_key_create))
        .routes(routes!(ssh_key_delete))
        .with_state(app_platform)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct ImagesQuery {
    /// A site's name: only its images.
    site: Option<String>,
}

/// The OS images tenants may deploy, per site: what each site's region offers, filtered by the
/// site's policy; the default image of each site is marked.
#[utoipa::path(get, path = "/v1/images", tag = "images", operation_id = "images_list",
    params(ImagesQuery),
    responses((status = 200, body = Vec<ImageView>), (status = 401, body = ProblemBody), (status = 404, body = ProblemBody)))]
async fn images_list(
    State(app_platform): AppPlatform,
    actor: Actor,
    Query(query): Query<ImagesQuery>,
) -> Result<Json<Vec<ImageView>>, Problem> {
    Ok(Json(
        app_platform.images_list(&actor, query.site.as_deref()).await?,
    ))
}

/// A project's SSH public keys.
#[utoipa::path(get, path = "/v1/projects/{project_id}/ssh-keys", tag = "ssh-keys", operation_id = "ssh_keys_list",
    params(("project_id" = ProjectId, Path)),
    responses((status = 200, body = Vec<SshKeyView>), (status = 404, body = ProblemBody)))]
async fn ssh_keys_list(
    State(app_platform): AppPlatform,
    actor: Actor,
    Path(project_id): Path<ProjectId>,
) -> Result<Json<Vec<SshKeyView>>, Problem> {
    Ok(Json(app_platform.ssh_keys_list(&actor, project_id).await?))
}

/// Adds an OpenSSH public key to a project (audited): ed25519, ECDSA or RSA of at least 3072
/// bits; the same key twice is refused.
#[utoipa::path(post, path = "/v1/projects/{project_id}/ssh-keys", tag = "ssh-keys", operation_id = "ssh_key_create",
    params(("project_id" = ProjectId, Path)),
    request_body = SshKeyCreateRequest,
    responses((status = 201, body = SshKeyView), (status = 404, body = ProblemBody), (status = 409, body = ProblemBody),
        (status = 422, body = ProblemBody)))]
async fn ssh_key_create(
    State(app_platform): AppPlatform,
    actor: Actor,
    Path(project_id): Path<ProjectId>,
    Json(request): Json<SshKeyCreateRequest>,
) -> Result<(StatusCode, Json<SshKeyView>), Problem> {
    let key = app_platform.ssh_key_create(&actor, project_id, request).await?;
    Ok((StatusCode::CREATED, Json(key)))
}

/// Removes one of a project's keys (audited); machines already deployed keep it until redeployed.
#[utoipa::path(delete, path = "/v1/projects/{project_id}/ssh-keys/{key_id}", tag = "ssh-keys", operation_id = "ssh_key_delete",
    params(("project_id" = ProjectId, Path), ("key_id" = SshKeyId, Path)),
    responses((status = 204), (status = 404, body = ProblemBody)))]
async fn ssh_key_delete(
    State(app_platform): AppPlatform,
    actor: Actor,
    Path((project_id, key_id)): Path<(ProjectId, SshKeyId)>,
) -> Result<StatusCode, Problem> {
    app_platform.ssh_key_delete(&actor, project_id, key_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
