//! Authentication at the edge: turns a bearer token or session cookie into an `Actor` through
//! IAM's `Authenticator`, and attaches it to the request. Authorization is not decided here.

use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use ingot_contracts::iam::{Actor, Origin, PresentedCredential};
use ingot_kernel::problem::{Code, Problem};

use super::EdgeState;

pub use ingot_contracts::iam::SESSION_COOKIE;

/// Where the actor's credential came from, for the idempotency scope and audit.
#[derive(Debug, Clone)]
pub struct CredentialScope(pub String);

fn presented_credential(request: &Request) -> Result<Option<PresentedCredential>, Problem> {
    if let Some(value) = request.headers().get(header::AUTHORIZATION) {
        let text = value.to_str().map_err(|_| Problem::new(Code::Unauthenticated))?;
        let (scheme, token) = text.split_once(' ').ok_or(Problem::new(Code::Unauthenticated))?;
        if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
            return Err(Problem::new(Code::Unauthenticated).detail("use `Authorization: Bearer <token>`"));
        }
        return Ok(Some(PresentedCredential::Bearer(token.trim().to_string())));
    }
    let cookie = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| PresentedCredential::SessionCookie(value.to_string()));
    Ok(cookie)
}

/// Cookie-authenticated changes must come from our own pages: the browser's `Origin` (or
/// `Sec-Fetch-Site`) says so. API clients use bearer tokens and are not affected.
fn csrf_check(request: &Request) -> Result<(), Problem> {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    let headers = request.headers();
    if headers.get("sec-fetch-site").is_some_and(|v| v == "same-origin") {
        return Ok(());
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin_host = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .and_then(|origin| {
            origin
                .split_once("://")
                .map(|(_, rest)| rest.trim_end_matches('/'))
        });
    match (origin_host, host) {
        (Some(origin), Some(host)) if origin.eq_ignore_ascii_case(host) => Ok(()),
        _ => Err(Problem::new(Code::CsrfRejected)
            .detail("cookie-authenticated changes must come from this site; API clients use a bearer token")),
    }
}

pub async fn authenticate(State(state): State<EdgeState>, mut request: Request, next: Next) -> Response {
    let origin = Origin {
        source_ip: request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip().to_string()),
        request_id: request
            .extensions()
            .get::<super::edge::RequestIdValue>()
            .map(|id| id.0.clone()),
    };
    // The web app's forms (everything outside `/v1/`) must come from our own pages even before
    // log-in: their CSRF token binds to a pre-session cookie, which a sibling subdomain could
    // plant, so the browser's Origin is checked as well. Only what a page of another site can
    // send without asking (a form's content types) is checked: anything else needs CORS.
    let web_page = !request.uri().path().starts_with("/v1/");
    let bearer = request.headers().contains_key(header::AUTHORIZATION);
    let form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|kind| {
            let kind = kind.trim_start().to_ascii_lowercase();
            [
                "application/x-www-form-urlencoded",
                "multipart/form-data",
                "text/plain",
            ]
            .iter()
            .any(|simple| kind.starts_with(simple))
        });
    if web_page
        && form
        && !bearer
        && let Err(problem) = csrf_check(&request)
    {
        return problem.into_response();
    }
    let mut actor = match presented_credential(&request) {
        Err(problem) => return problem.into_response(),
        Ok(None) => Actor::anonymous(),
        Ok(Some(credential)) => match state.authenticator.authenticate(&credential).await {
            Ok(actor) if matches!(credential, PresentedCredential::SessionCookie(_)) => {
                match csrf_check(&request) {
                    Ok(()) => actor,
                    Err(problem) => return problem.into_response(),
                }
            }
            Ok(actor) => actor,
            // A browser holding an expired session cookie is shown the web app's login page, not
            // a JSON error: outside the API, a dead session is simply no session.
            Err(ingot_contracts::iam::AuthenticationError::InvalidCredential)
                if matches!(credential, PresentedCredential::SessionCookie(_)) && web_page =>
            {
                Actor::anonymous()
            }
            Err(err) => return Problem::from(err).into_response(),
        },
    };
    actor.origin = origin;
    // Every log line of the request carries who is acting and, when it is one, for which tenant.
    let span = tracing::Span::current();
    if let Some(user_id) = actor.user_id {
        span.record("actor", tracing::field::display(user_id));
    }
    if actor.tenant_roles.len() == 1
        && let Some(tenant_id) = actor.tenant_roles.keys().next()
    {
        span.record("tenant", tracing::field::display(tenant_id));
    }
    let scope = match actor.credential {
        Some(credential) => serde_json::to_string(&credential).unwrap_or_default(),
        None => "anonymous".to_string(),
    };
    request.extensions_mut().insert(CredentialScope(scope));
    request.extensions_mut().insert(actor);
    next.run(request).await
}
