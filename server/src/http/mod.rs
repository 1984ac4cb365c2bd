//! The HTTP conventions every route gets, as middleware: request ids, access log and metrics,
//! problem+json for every error, rate limits, authentication and `Idempotency-Key`.
//! No business rules here: domains decide in their service layer.

pub mod auth;
pub mod edge;
pub mod idempotency;
pub mod rate_limit;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware;
use ingot_contracts::iam::Authenticator;
use ingot_kernel::Clock;
use ingot_kernel::db::Db;
use ingot_kernel::problem::{Code, Problem};
use tower::ServiceBuilder;
use tower_http::timeout::TimeoutLayer;

use crate::config::HttpLimits;

/// What the middleware needs at run time.
#[derive(Clone)]
pub struct EdgeState {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub authenticator: Arc<dyn Authenticator>,
    pub limits: HttpLimits,
    pub rate_limiter: Arc<rate_limit::RateLimiter>,
    /// Seals the responses kept for idempotent replays (some carry secrets shown once: new API
    /// tokens, webhook signing secrets).
    pub secrets: ingot_kernel::crypto::SecretBox,
}

/// Wraps every route (and the fallback) of `router` in the house conventions. Call last, after
/// every domain's routes are merged: `Router::layer` applies to the routes present at the time.
pub fn conventions(router: Router, state: EdgeState) -> Router {
    let limits = state.limits.clone();
    router.fallback(route_not_found).layer(
        // Outermost first.
        ServiceBuilder::new()
            .layer(middleware::from_fn(edge::request_edge))
            .layer(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                limits.request_timeout,
            ))
            .layer(middleware::from_fn_with_state(
                state.clone(),
                rate_limit::rate_limit,
            ))
            // Body extractors and the idempotency layer stop reading past this; the JSON extractor
            // answers 413.
            .layer(DefaultBodyLimit::max(limits.body_bytes_max))
            .layer(middleware::from_fn_with_state(state.clone(), auth::authenticate))
            .layer(middleware::from_fn_with_state(state, idempotency::idempotency)),
    )
}

async fn route_not_found() -> Problem {
    Problem::new(Code::NotFound).detail("no route matches this path")
}
