//! App Platform HTTP: the routes of DESIGN.md's App Platform row. Each parses, calls
//! `AppPlatformApi`, renders.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use ingot_contracts::app_platform::{
    AppPlatformApi, ClusterCreateRequest, ClusterScaleRequest, ClusterView, DeliveryView, ImageView,
    RenderedUserData, SshKeyCreateRequest, SshKeyView, TemplateRequest, TemplateValues, TemplateView,
    WebhookCreateRequest, WebhookCreated, WebhookEventType, WebhookUpdateRequest, WebhookView,
};
use ingot_contracts::iam::Actor;
use ingot_kernel::http::{Json, Path, Query};
use ingot_kernel::id::{DeliveryId, ProjectId, SshKeyId, WebhookId};
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
        .routes(routes!(my_ssh_keys_list, my_ssh_key_create))
        .routes(routes!(my_ssh_key_delete))
        .routes(routes!(templates_list, template_create))
        .routes(routes!(template_get, template_replace, template_delete))
        .routes(routes!(template_render))
        .routes(routes!(webhook_event_types))
        .routes(routes!(webhooks_list, webhook_create))
        .routes(routes!(webhook_get, webhook_update, webhook_delete))
        .routes(routes!(deliveries_list))
        .routes(routes!(delivery_redeliver))
        .routes(routes!(clusters_list, cluster_create))
        .routes(routes!(cluster_get, cluster_delete))
        .routes(routes!(cluster_scale))
        .with_state(app_platform)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
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

/// The event types a webhook can subscribe to, with what each means.
#[utoipa::path(get, path = "/v1/webhook-events", tag = "webhooks", operation_id = "webhook_event_types",
    responses((status = 200, body = Vec<WebhookEventType>)))]
async fn webhook_event_types(State(app_platform): AppPlatform) -> Json<Vec<WebhookEventType>> {
    Json(app_platform.webhook_event_types())
}

/// A project's webhooks (never their secrets).
#[utoipa::path(get, path = "/v1/projects/{project_id}/webhooks", tag = "webhooks", operation_id = "webhooks_list",
    params(("project_id" = ProjectId, Path)),
    responses((status = 200, body = Vec<WebhookView>), (status = 404, body = ProblemBody)))]
async fn webhooks_list(
    State(app_platform): AppPlatform,
    actor: Actor,
    Path(project_id): Path<ProjectId>,
) -> Result<Json<Vec<WebhookView>>, Problem> {
    Ok(Json(app_platform.webhooks_list(&actor, project_id).await?))
}

/// Subscribes a URL to event types (audited). The answer carries the signing secret, once.
/// Every delivery is a POST of JSON `{id, type, created_at, tenant_id, project_id, data}` with
/// `Ingot-Signature: t=UNIX_SECONDS,v1=HEX`: HEX is the HMAC-SHA256, keyed with the whole
/// secret string (`whsec_…`, its UTF-8 bytes), of `UNIX_SECONDS`, `.`, and the body's bytes as
/// received. Compare in constant time and refuse timestamps far from your clock (replays); `id`
/// stays the same on every retry and redelivery. A 2xx answer within the timeout delivers;
/// anything else is retried with exponential backoff (10 s doubling, at most an hour, ±20%).
#[utoipa::path(post, path = "/v1/projects/{project_id}/webhooks", tag = "webhooks", operation_id = "webhook_create",
    params(("project_id" = ProjectId, Path)),
    request_body = WebhookCreateRequest,
    responses((status = 201, body = WebhookCreated), (status = 404, body = ProblemBody), (status = 422, body = ProblemBody)))]
async fn webhook_create(
    State(app_platform): AppPlatform,
    actor: Actor,
    Path(project_id): Path<ProjectId>,
    Json(request): Json<WebhookCreateRequest>,
) -> Result<(StatusCode, Json<WebhookCreated>), Problem> {
    let created = app_platform.webhook_create(&actor, project_id, request).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

#[utoipa::path(get, path = "/v1/projects/{project_id}/webhooks/{webhook_id}", tag = "webhooks", operation_id = "webhook_get",
    params(("project_id" = ProjectId, Path), ("webhook_id" = WebhookId, Path)),
    responses((status = 200, body = WebhookView), (status = 404, body = ProblemBody)))]
async fn webhook_get(
    State(app_platform): AppPlatform,
    actor: Actor,
    Path((project_id, webhook_id)): Path<(ProjectId, WebhookId)>,
) -> Result<Json<WebhookView>, Problem> {
    Ok(Json(
        app_platform.webhook_get(&actor, project_id, webhook_id).await?,
    ))
}

/// Changes a webhook's URL, events, description or whether it is enabled (audited).
#[utoipa::path(patch, path = "/v1/projects/{project_id}/webhooks/{webhook_id}", tag = "webhooks",
    operation_id = "webhook_update",
    params(("project_id" = ProjectId, Path), ("webhook_id" = WebhookId, Path)),
    request_body = WebhookUpdateRequest,
    responses((status = 200, body = WebhookView), (status = 404, body = ProblemBody), (status = 422, body = ProblemBody)))]
async fn webhook_update(
    State(app_platform): AppPlatform,
    actor: Actor,
    Path((project_id, webhook_id)): Path<(ProjectId, WebhookId)>,
    Json(request): Json<WebhookUpdateRequest>,
) -> Result<Json<WebhookView>, Problem> {
    Ok(Json(
        app_platform
            .webhook_update(&actor, project_id, webhook_id, request)
            .await?,
    ))
}

/// Deletes a webhook and its delivery log (audited).
#[utoipa::path(delete, path = "/v1/projects/{project_id}/webhooks/{webhook_id}", tag = "webhooks",
    operation_id = "webhook_delete",
    params(("project_id" = ProjectId, Path), ("webhook_id" = WebhookId, Path)),
    responses((status = 204), (status = 404, body = ProblemBody)))]
async fn webhook_delete(
    State(app_platform): AppPlatform,
    actor: Actor,
    Path((project_id, webhook_id)): Path<(ProjectId, WebhookId)>,
) -> Result<StatusCode, Problem> {
    app_platform
        .webhook_delete(&actor, project_id, webhook_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct DeliveriesQuery {
    /// 1–200 [default 50].
    limit: Option<u32>,
}

/// The webhook's delivery log, newest first: every attempt's time, status or error, duration.
#[utoipa::path(get, path = "/v1/projects/{project_id}/webhooks/{webhook_id}/deliveries", tag = "webhooks",
    operation_id = "deliveries_list",
    params(("project_id" = ProjectId, Path), ("webhook_id" = WebhookId, Path), DeliveriesQuery),
    responses((status = 200, body = Vec<DeliveryView>), (status = 404, body = ProblemBody)))]
async fn deliveries_list(
    State(app_platform): AppPlatform,
    actor: Actor,
    Path((project_id, webhook_id)): Path<(ProjectId, WebhookId)>,
    Query(query): Query<DeliveriesQuery>,
) -> Result<Json<Vec<DeliveryView>>, Problem> {
    Ok(Json(
        app_platform
            .deliveries_list(&actor, project_id, webhook_id, query.limit.unwrap_or(50))
            .await?,
    ))
}

/// Sends a delivery again now, whatever its state (audited); attempts go on counting.
#[utoipa::path(post, path = "/v1/projects/{project_id}/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver",
    tag = "webhooks", operation_id = "delivery_redeliver",
    params(("project_id" = ProjectId, Path), ("webhook_id" = WebhookId, Path), ("delivery_id" = DeliveryId, Path)),
    responses((status = 202, body = DeliveryView), (status = 404, body = ProblemBody)))]
async fn delivery_redeliver(
    State(app_platform): AppPlatform,
    actor: Actor,
    Path((project_id, webhook_id, delivery_id)): Path<(ProjectId, WebhookId, DeliveryId)>,
) -> Result<(StatusCode, Json<DeliveryView>), Problem> {
    let delivery = app_platform
        .delivery_redeliver(&actor, project_id, webhook_id, delivery_id)
        .await?;
    Ok((StatusCode::ACCEPTED, Json(delivery)))
}

/// A project's clusters with their nodes' states (deleted ones last).
#[utoipa::path(get, path = "/v1/projects/{project_id}/clusters", tag = "clusters", operation_id = "clusters_list",
    params(("project_id" = ProjectId, Path)),
    responses((status = 200, body = Vec<ClusterView>), (status = 404, body = ProblemBody)))]
async fn clusters_list(
    State(app_platform): AppPlatform,
    actor: Actor,
    Path(project_id): Path<ProjectId>,
) -> Result<Json<Vec<ClusterView>>, Problem> {
    Ok(Json(app_platform.clusters_list(&actor, project_id).await?))
}

/// Creates a cluster: the head, then every worker, each its own allocation with user-data
/// rendered from the template and the cluster's wiring; all or nothing. Refusals are
/// Allocation's (capacity, quota, funds, KYC) or the template's (`variables.NAME`).
#[utoipa::path(post, path = "/v1/projects/{project_id}/clusters", tag = "clusters", operation_id = "cluster_create",
    params(("project_id" = ProjectId, Path)),
    request_body = ClusterCreateRequest,
    responses((status = 201, body = ClusterView), (status = 404, body = ProblemBody), (status = 409, body = ProblemBody),
        (status = 422, body = ProblemBody)))]
async fn cluster_create(
    State(app_platform): AppPlatform,
    actor: Actor,
    Path(project_id): Path<ProjectId>,
    Json(request): Json<ClusterCreateRequest>,
) -> Result<(StatusCode, Json<ClusterView>), Problem> {
    let cluster = app_platform.cluster_create(&actor, project_id, request).await?;
    Ok((StatusCode::CREATED, Json(cluster)))
}

/// A cluster (by id, or a live one by name): its state from its nodes', and each node.
#[utoipa::path(get, path = "/v1/projects/{project_id}/clusters/{cluster}", tag = "clusters", operation_id = "cluster_get",
    params(("project_id" = ProjectId, Path), ("cluster" = String, Path, description = "id or name")),
    responses((status = 200, body = ClusterView), (status = 404, body = ProblemBody)))]
async fn cluster_get(
    State(app_platform): AppPlatform,
    actor: Actor,
    Path((project_id, cluster)): Path<(ProjectId, String)>,
) -> Result<Json<ClusterView>, Problem> {
    Ok(Json(
        app_platform.cluster_get(&actor, project_id, &cluster).await?,
    ))
}

/// Releases every node of the cluster; it shows `deleting`, then `deleted`.
#[utoipa::path(delete, path = "/v1/projects/{project_id}/clusters/{cluster}", tag = "clusters", operation_id = "cluster_delete",
    params(("project_id" = ProjectId, Path), ("cluster" = String, Path, description = "id or name")),
    responses((status = 202, body = ClusterView), (status = 404, body = ProblemBody)))]
async fn cluster_delete(
    State(app_platform): AppPlatform,
    actor: Actor,
    Path((project_id, cluster)): Path<(ProjectId, String)>,
) -> Result<(StatusCode, Json<ClusterView>), Problem> {
    let cluster = app_platform.cluster_delete(&actor, project_id, &cluster).await?;
    Ok((StatusCode::ACCEPTED, Json(cluster)))
}

/// Sets the number of workers: more are allocated (wired to the head), the newest released.
#[utoipa::path(post, path = "/v1/projects/{project_id}/clusters/{cluster}/scale", tag = "clusters",
    operation_id = "cluster_scale",
    params(("project_id" = ProjectId, Path), ("cluster" = String, Path, description = "id or name")),
    request_body = ClusterScaleRequest,
    responses((status = 200, body = ClusterView), (status = 404, body = ProblemBody), (status = 409, body = ProblemBody),
        (status = 422, body = ProblemBody)))]
async fn cluster_scale(
    State(app_platform): AppPlatform,
    actor: Actor,
    Path((project_id, cluster)): Path<(ProjectId, String)>,
    Json(request): Json<ClusterScaleRequest>,
) -> Result<Json<ClusterView>, Problem> {
    Ok(Json(
        app_platform
            .cluster_scale(&actor, project_id, &cluster, request)
            .await?,
    ))
}

/// Your own SSH public keys: named by id in any allocation you make, in any project.
#[utoipa::path(get, path = "/v1/me/ssh-keys", tag = "ssh-keys", operation_id = "my_ssh_keys_list",
    responses((status = 200, body = Vec<SshKeyView>), (status = 401, body = ProblemBody)))]
async fn my_ssh_keys_list(
    State(app_platform): AppPlatform,
    actor: Actor,
) -> Result<Json<Vec<SshKeyView>>, Problem> {
    Ok(Json(app_platform.my_ssh_keys_list(&actor).await?))
}

/// Adds one of your own keys (audited); the same key twice is refused.
#[utoipa::path(post, path = "/v1/me/ssh-keys", tag = "ssh-keys", operation_id = "my_ssh_key_create",
    request_body = SshKeyCreateRequest,
    responses((status = 201, body = SshKeyView), (status = 401, body = ProblemBody), (status = 409, body = ProblemBody),
        (status = 422, body = ProblemBody)))]
async fn my_ssh_key_create(
    State(app_platform): AppPlatform,
    actor: Actor,
    Json(request): Json<SshKeyCreateRequest>,
) -> Result<(StatusCode, Json<SshKeyView>), Problem> {
    let key = app_platform.my_ssh_key_create(&actor, request).await?;
    Ok((StatusCode::CREATED, Json(key)))
}

/// Removes one of your own keys (audited).
#[utoipa::path(delete, path = "/v1/me/ssh-keys/{key_id}", tag = "ssh-keys", operation_id = "my_ssh_key_delete",
    params(("key_id" = SshKeyId, Path)),
    responses((status = 204), (status = 401, body = ProblemBody), (status = 404, body = ProblemBody)))]
async fn my_ssh_key_delete(
    State(app_platform): AppPlatform,
    actor: Actor,
    Path(key_id): Path<SshKeyId>,
) -> Result<StatusCode, Problem> {
    app_platform.my_ssh_key_delete(&actor, key_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
