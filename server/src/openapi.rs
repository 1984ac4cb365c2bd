//! The OpenAPI 3.1 document: its frame (info, security schemes, shared schemas) is declared here;
//! every path comes from the domains' routers, generated from the handlers themselves.

use std::sync::{Arc, OnceLock};

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use ingot_kernel::problem::{PROBLEM_CONTENT_TYPE, ProblemBody};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Ingot",
        description = "Control plane of a multi-tenant bare-metal cloud. Errors are RFC 9457 \
            problem+json with a stable `code`; lists use `?limit=&cursor=`; creating POSTs honour \
            `Idempotency-Key`; money is `{\"amount\": \"12.500000\", \"currency\": \"USD\"}`.",
        license(name = "Apache-2.0", identifier = "Apache-2.0")
    ),
    components(schemas(ProblemBody)),
    modifiers(&SecuritySchemes),
    tags(
        (name = "iam", description = "Accounts, sessions, API tokens, tenants, projects, members, audit (IAM)"),
        (name = "operations", description = "Health, readiness, metrics, ownership (Operations)"),
        (name = "meta", description = "This document"),
    )
)]
pub struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API token or a session token"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::http::auth::SESSION_COOKIE,
            ))),
        );
    }
}

/// The document as served. Error responses are declared with `body = ProblemBody`, which
/// utoipa files under `application/json`; they are sent as `application/problem+json`, so the
/// document says that (clients and API fuzzers check the content type against it).
pub fn render(openapi: &utoipa::openapi::OpenApi) -> String {
    let mut document = serde_json::to_value(openapi).expect("the OpenAPI document serialises");
    let operations = document["paths"]
        .as_object_mut()
        .into_iter()
        .flat_map(|paths| paths.values_mut())
        .filter_map(|item| item.as_object_mut())
        .flat_map(|item| item.values_mut());
    for operation in operations {
        let Some(responses) = operation.get_mut("responses").and_then(|r| r.as_object_mut()) else {
            continue;
        };
        for (status, response) in responses.iter_mut() {
            if !(status.starts_with('4') || status.starts_with('5')) {
                continue;
            }
            let Some(content) = response.get_mut("content").and_then(|c| c.as_object_mut()) else {
                continue;
            };
            if let Some(json) = content.remove("application/json") {
                content.insert(PROBLEM_CONTENT_TYPE.to_string(), json);
            }
        }
    }
    serde_json::to_string(&document).expect("the OpenAPI document serialises")
}

/// The rendered document, filled once the full router is assembled.
pub type OpenApiJson = Arc<OnceLock<String>>;

pub fn router(json: OpenApiJson) -> OpenApiRouter {
    OpenApiRouter::new().routes(routes!(openapi_get)).with_state(json)
}

/// This document.
#[utoipa::path(get, path = "/openapi.json", tag = "meta", operation_id = "openapi_get",
    responses((status = 200, description = "OpenAPI 3.1 document", content_type = "application/json")))]
async fn openapi_get(State(json): State<OpenApiJson>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        json.get().cloned().unwrap_or_default(),
    )
}
