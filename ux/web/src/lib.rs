//! The web app: server-rendered tenant and operator pages that call domain service traits from
//! `contracts` in-process. Today a landing page; the UX issue builds the journeys.

use axum::Router;
use axum::response::Html;
use axum::routing::get;

/// The web app's routes, mounted at `/`.
pub fn router(version: &'static str) -> Router {
    Router::new().route("/", get(move || async move { Html(landing_page(version)) }))
}

fn landing_page(version: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Ingot</title></head>\
         <body><h1>Ingot</h1><p>Bare-metal cloud control plane, version {version}.</p>\
         <ul><li><a href=\"/openapi.json\">API description (OpenAPI 3.1)</a></li>\
         <li><a href=\"/readyz\">Readiness</a></li></ul></body></html>"
    )
}
