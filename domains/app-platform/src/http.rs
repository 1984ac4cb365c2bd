//! App Platform HTTP: the routes of DESIGN.md's App Platform row built so far. Each parses, calls
//! `AppPlatformApi`, renders.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use ingot_contracts::app_platform::{
    AppPlatformApi, ImageView, RenderedUserData, SshKeyCreateRequest, SshKeyView, TemplateRequest,
    TemplateValues, TemplateView,
};
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
        .routes(routes!(templates_list, template_create))
        .routes(routes!(template_get, template_replace, template_delete))
        .routes(routes!(template_render))
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

/// The built-in templates, then the project's own.
#[utoipa::path(get, path = "/v1/projects/{project_id}/templates", tag = "templates", operation_id = "templates_list",
    params(("project_id" = ProjectId, Path)),
    responses((status = 200, body = Vec<TemplateView>), (status = 404, body = ProblemBody)))]
async fn templates_list(
    State(app_platform): AppPlatform,
    actor: Actor,
    Path(project_id): Path<ProjectId>,
) -> Result<Json<Vec<TemplateView>>, Problem> {
    Ok(Json(app_platform.templates_list(&actor, project_id).await?))
}

/// Keeps a cloud-init template (audited) after checking it: declared typed variables, valid
/// placeholders, a body that renders to valid user-data.
#[utoipa::path(post, path = "/v1/projects/{project_id}/templates", tag = "templates", operation_id = "template_create",
    params(("project_id" = ProjectId, Path)),
    request_body = TemplateRequest,
    responses((status = 201, body = TemplateView), (status = 404, body = ProblemBody), (status = 409, body = ProblemBody),
        (status = 422, body = ProblemBody)))]
async fn template_create(
    State(app_platform): AppPlatform,
    actor: Actor,
    Path(project_id): Path<ProjectId>,
    Json(request): Json<TemplateRequest>,
) -> Result<(StatusCode, Json<TemplateView>), Problem> {
    let template = app_platform.template_create(&actor, project_id, request).await?;
    Ok((StatusCode::CREATED, Json(template)))
}

/// One template, by id or name (built-ins by name).
#[utoipa::path(get, path = "/v1/projects/{project_id}/templates/{template}", tag = "templates", operation_id = "template_get",
    params(("project_id" = ProjectId, Path), ("template" = String, Path, description = "id or name")),
    responses((status = 200, body = TemplateView), (status = 404, body = ProblemBody)))]
async fn template_get(
    State(app_platform): AppPlatform,
    actor: Actor,
    Path((project_id, template)): Path<(ProjectId, String)>,
) -> Result<Json<TemplateView>, Problem> {
    Ok(Json(
        app_platform.template_get(&actor, project_id, &template).await?,
    ))
}

/// Replaces a project template whole (audited); its version goes up by one.
#[utoipa::path(put, path = "/v1/projects/{project_id}/templates/{template}", tag = "templates", operation_id = "template_replace",
    params(("project_id" = ProjectId, Path), ("template" = String, Path, description = "id or name")),
    request_body = TemplateRequest,
    responses((status = 200, body = TemplateView), (status = 404, body = ProblemBody), (status = 409, body = ProblemBody),
        (status = 422, body = ProblemBody)))]
async fn template_replace(
    State(app_platform): AppPlatform,
    actor: Actor,
    Path((project_id, template)): Path<(ProjectId, String)>,
    Json(request): Json<TemplateRequest>,
) -> Result<Json<TemplateView>, Problem> {
    Ok(Json(
        app_platform
            .template_replace(&actor, project_id, &template, request)
            .await?,
    ))
}

/// Deletes a project template (audited); allocations made from it keep their user-data.
#[utoipa::path(delete, path = "/v1/projects/{project_id}/templates/{template}", tag = "templates", operation_id = "template_delete",
    params(("project_id" = ProjectId, Path), ("template" = String, Path, description = "id or name")),
    responses((status = 204), (status = 404, body = ProblemBody), (status = 422, body = ProblemBody)))]
async fn template_delete(
    State(app_platform): AppPlatform,
    actor: Actor,
    Path((project_id, template)): Path<(ProjectId, String)>,
) -> Result<StatusCode, Problem> {
    app_platform
        .template_delete(&actor, project_id, &template)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Renders a template with values for its variables and checks the result as a deploy would;
/// nothing is kept. Errors name the variable (`variables.NAME`) or the rendered `user_data`.
#[utoipa::path(post, path = "/v1/projects/{project_id}/templates/{template}/render", tag = "templates",
    operation_id = "template_render",
    params(("project_id" = ProjectId, Path), ("template" = String, Path, description = "id or name")),
    request_body = TemplateValues,
    responses((status = 200, body = RenderedUserData), (status = 404, body = ProblemBody), (status = 422, body = ProblemBody)))]
async fn template_render(
    State(app_platform): AppPlatform,
    actor: Actor,
    Path((project_id, template)): Path<(ProjectId, String)>,
    Json(values): Json<TemplateValues>,
) -> Result<Json<RenderedUserData>, Problem> {
    Ok(Json(
        app_platform
            .template_render(&actor, project_id, &template, values)
            .await?,
    ))
}
