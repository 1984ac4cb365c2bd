//! App Platform HTTP: axum routes that parse, call the service and render contracts DTOs.

use utoipa_axum::router::OpenApiRouter;

/// This domain's routes, with their OpenAPI descriptions.
pub fn router() -> OpenApiRouter {
    OpenApiRouter::new()
}
