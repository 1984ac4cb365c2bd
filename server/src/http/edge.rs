//! The outermost middleware: gives each request an id, logs and measures it, and makes sure every
//! error leaves as problem+json carrying that id, whichever layer produced it.

use std::time::Instant;

use axum::body::{Body, to_bytes};
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderValue, Response, header};
use axum::middleware::Next;
use axum::response::IntoResponse;
use ingot_kernel::id::RequestId;
use ingot_kernel::problem::{Code, PROBLEM_CONTENT_TYPE, Problem, ProblemBody};
use tracing::Instrument;

pub const REQUEST_ID_HEADER: &str = "x-request-id";
/// Longest client-supplied request id we echo; longer or odd ones are replaced.
const REQUEST_ID_CHARS_MAX: usize = 128;
/// Error bodies we rewrite are small; anything larger is replaced, not buffered.
const ERROR_BODY_BYTES_MAX: usize = 64 * 1024;

/// The request's id, in request extensions for handlers and logs.
#[derive(Debug, Clone)]
pub struct RequestIdValue(pub String);

fn request_id_of(request: &Request) -> String {
    request
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= REQUEST_ID_CHARS_MAX
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        })
        .map(str::to_string)
        .unwrap_or_else(|| RequestId::generate().to_string())
}

pub async fn request_edge(mut request: Request, next: Next) -> Response<Body> {
    let started = Instant::now();
    let request_id = request_id_of(&request);
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    request
        .extensions_mut()
        .insert(RequestIdValue(request_id.clone()));
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        request.headers_mut().insert(REQUEST_ID_HEADER, value);
    }

    // `actor` and `tenant` are filled in once the credential is known (http::auth).
    let span = tracing::info_span!(
        "request",
        request_id = %request_id,
        method = %method,
        route = %route,
        actor = tracing::field::Empty,
        tenant = tracing::field::Empty,
    );
    let response = next.run(request).instrument(span.clone()).await;
    let mut response = problem_finish(response, &request_id, &path).await;
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }

    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    let labels = [
        ("method", method.to_string()),
        ("route", route.clone()),
        ("status", status.to_string()),
    ];
    metrics::counter!("ingot_http_requests_total", &labels).increment(1);
    metrics::histogram!("ingot_http_request_duration_seconds", &labels[..2]).record(elapsed.as_secs_f64());
    span.in_scope(|| {
        tracing::info!(
            status,
            latency_ms = elapsed.as_secs_f64() * 1_000.0,
            "request served"
        );
    });
    response
}

/// Errors from axum and tower (405, 408, 413, …) arrive as plain text; domain errors arrive as
/// problems. Either way the client gets problem+json with the request id and path. Routes that
/// document a JSON body for an error status (readiness) keep it.
async fn problem_finish(response: Response<Body>, request_id: &str, path: &str) -> Response<Body> {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.as_bytes().to_vec())
        .unwrap_or_default();
    let is_problem = content_type.starts_with(PROBLEM_CONTENT_TYPE.as_bytes());
    // A deliberate JSON body on an error status (a 503 readiness report) is the route's answer,
    // and so is a web page (the web app's form shown again with its errors, its 404 page).
    // The API (`/v1/…`) answers problems only, whatever a handler produced.
    let web_page = content_type.starts_with(b"text/html") && !path.starts_with("/v1/");
    if content_type.starts_with(b"application/json") || web_page {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = to_bytes(body, ERROR_BODY_BYTES_MAX).await.unwrap_or_default();
    let mut problem: ProblemBody = match is_problem.then(|| serde_json::from_slice(&bytes).ok()).flatten() {
        Some(body) => body,
        None => {
            let code = code_for_status(status.as_u16());
            let mut problem = Problem::new(code);
            let text = String::from_utf8_lossy(&bytes).trim().to_string();
            // Framework messages for client errors help; for server errors they may leak internals.
            if status.is_client_error() && !text.is_empty() && text.len() <= 300 {
                problem = problem.detail(text);
            }
            let mut body = problem.to_body();
            body.status = status.as_u16();
            body
        }
    };
    problem.request_id = Some(request_id.to_string());
    problem.instance = Some(path.to_string());
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(PROBLEM_CONTENT_TYPE),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    match serde_json::to_vec(&problem) {
        Ok(json) => Response::from_parts(parts, Body::from(json)),
        Err(_) => Problem::new(Code::Internal).into_response(),
    }
}

fn code_for_status(status: u16) -> Code {
    match status {
        400 => Code::BadRequest,
        401 => Code::Unauthenticated,
        403 => Code::Forbidden,
        404 => Code::NotFound,
        405 => Code::MethodNotAllowed,
        408 => Code::RequestTimeout,
        409 => Code::Conflict,
        413 => Code::PayloadTooLarge,
        415 => Code::UnsupportedMediaType,
        422 => Code::InvalidBody,
        429 => Code::RateLimited,
        503 => Code::Unavailable,
        _ if status < 500 => Code::BadRequest,
        _ => Code::Internal,
    }
}
