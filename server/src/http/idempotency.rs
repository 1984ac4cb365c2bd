//! `Idempotency-Key` on POST: the first request with a key runs and its response is stored; the
//! same key with the same request replays that response (`idempotent-replayed: true`); the same key
//! with a different request is a 422; a retry while the first is still running is a 409.
//! Keys are scoped to the credential, so two callers never see each other's responses. Kept
//! responses are sealed under the installation key: some carry a secret shown once (a new API
//! token, a webhook's signing secret), and secrets are never stored in clear.

use std::net::SocketAddr;

use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, Response, StatusCode, header};
use axum::middleware::Next;
use axum::response::IntoResponse;
use ingot_kernel::clock::Timestamp;
use ingot_kernel::idempotency::{
    IdempotencyBegin, StoredResponse, idempotency_abandon, idempotency_begin, idempotency_complete,
};
use ingot_kernel::problem::{Code, Problem};
use sha2::{Digest, Sha256};

use super::EdgeState;
use super::auth::CredentialScope;

pub const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";
pub const REPLAYED_HEADER: &str = "idempotent-replayed";
const KEY_CHARS_MAX: usize = 255;
/// Responses larger than this are not stored (and the key is released).
const STORED_BODY_BYTES_MAX: usize = 1024 * 1024;
/// Marks a kept body as sealed; records kept before sealing began are replayed as they are.
const SEALED_PREFIX: &str = "sealed:v1:";

fn seal_context(scope: &str, key: &str) -> String {
    format!("http.idempotency:{scope}:{key}")
}

pub async fn idempotency(State(state): State<EdgeState>, request: Request, next: Next) -> Response<Body> {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let Some(key) = request.headers().get(IDEMPOTENCY_KEY_HEADER) else {
        return next.run(request).await;
    };
    let key = match key.to_str() {
        Ok(key)
            if !key.is_empty() && key.len() <= KEY_CHARS_MAX && key.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            key.to_string()
        }
        _ => {
            return Problem::new(Code::BadRequest)
                .detail("Idempotency-Key must be 1 to 255 visible ASCII characters")
                .into_response();
        }
    };
    let mut scope = request
        .extensions()
        .get::<CredentialScope>()
        .map(|s| s.0.clone())
        .unwrap_or_default();
    if scope == "anonymous" {
        // Unauthenticated callers are told apart by address, the best the edge has.
        if let Some(ConnectInfo(addr)) = request.extensions().get::<ConnectInfo<SocketAddr>>() {
            scope = format!("anonymous:{}", addr.ip());
        }
    }

    let (parts, body) = request.into_parts();
    let bytes = match to_bytes(body, state.limits.body_bytes_max).await {
        Ok(bytes) => bytes,
        Err(_) => return Problem::new(Code::PayloadTooLarge).into_response(),
    };
    let mut hasher = Sha256::new();
    hasher.update(parts.method.as_str());
    hasher.update([0]);
    hasher.update(parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or(""));
    hasher.update([0]);
    hasher.update(&bytes);
    let request_hash = format!("{:x}", hasher.finalize());

    let claimed_at = state.clock.now();
    match idempotency_begin(&state.db, &scope, &key, &request_hash, claimed_at).await {
        Err(err) if err.is_unavailable() => {
            tracing::warn!(error = %err, "idempotency: the database is unavailable");
            return Problem::new(Code::Unavailable)
                .detail("the database is unavailable")
                .into_response();
        }
        Err(err) => return Problem::internal(err).into_response(),
        Ok(IdempotencyBegin::Mismatch) => {
            return Problem::new(Code::IdempotencyKeyReused).into_response();
        }
        Ok(IdempotencyBegin::InFlight) => {
            return Problem::new(Code::IdempotencyKeyInUse)
                .retry_after(1)
                .into_response();
        }
        Ok(IdempotencyBegin::Replay(stored)) => {
            let body = match stored.body.strip_prefix(SEALED_PREFIX) {
                None => Some(stored.body.clone()),
                Some(sealed) => state
                    .secrets
                    .open(sealed, &seal_context(&scope, &key))
                    .ok()
                    .and_then(|bytes| String::from_utf8(bytes).ok()),
            };
            let Some(body) = body else {
                return Problem::new(Code::Internal)
                    .detail("the kept response could not be opened")
                    .into_response();
            };
            return replay(StoredResponse { body, ..stored });
        }
        Ok(IdempotencyBegin::Fresh) => {}
    }

    let response = next.run(Request::from_parts(parts, Body::from(bytes))).await;
    let (parts, body) = response.into_parts();
    let bytes = to_bytes(body, STORED_BODY_BYTES_MAX).await;
    let stored = bytes
        .as_ref()
        .ok()
        .filter(|_| worth_storing(parts.status))
        .and_then(|bytes| {
            Some(StoredResponse {
                status: parts.status.as_u16(),
                content_type: parts
                    .headers
                    .get(header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .map(String::from),
                body: format!(
                    "{SEALED_PREFIX}{}",
                    state.secrets.seal(bytes, &seal_context(&scope, &key)).ok()?
                ),
            })
        });
    let outcome = match &stored {
        Some(stored) => idempotency_complete(&state.db, &scope, &key, stored, state.clock.now()).await,
        None => idempotency_abandon(&state.db, &scope, &key, claimed_at).await,
    };
    match outcome {
        Ok(()) => {}
        // Not releasing the key would answer every retry `idempotency_key_in_use` until the
        // pending record expires, long after the database is back: keep trying meanwhile.
        Err(err) if stored.is_none() => {
            tracing::warn!(error = %err, "idempotency key not released yet; retrying in the background");
            tokio::spawn(abandon_until_released(state, scope, key, claimed_at));
        }
        // The request itself succeeded; only its replay record is lost. Say so, do not fail it.
        Err(err) => tracing::warn!(error = %err, "idempotency record not saved"),
    }
    match bytes {
        Ok(bytes) => Response::from_parts(parts, Body::from(bytes)),
        Err(_) => Problem::new(Code::Internal)
            .detail("response too large")
            .into_response(),
    }
}

/// Releases a key whose request failed, once a second until the database takes it or the claim
/// has expired (a retry may then claim the key afresh; the claim time keeps this from touching
/// that one).
async fn abandon_until_released(state: EdgeState, scope: String, key: String, claimed_at: Timestamp) {
    let expires = claimed_at.plus(ingot_kernel::idempotency::IDEMPOTENCY_PENDING_TTL);
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tick.tick().await;
    while state.clock.now() < expires {
        tick.tick().await;
        if idempotency_abandon(&state.db, &scope, &key, claimed_at)
            .await
            .is_ok()
        {
            return;
        }
    }
}

/// Final answers are replayed; transient ones (auth, rate limit, conflict, timeouts, 5xx) are not,
/// so a retry can still succeed.
fn worth_storing(status: StatusCode) -> bool {
    status.is_success()
        || (status.is_client_error() && !matches!(status.as_u16(), 401 | 403 | 408 | 409 | 429))
}

fn replay(stored: StoredResponse) -> Response<Body> {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut response = (status, stored.body).into_response();
    let headers = response.headers_mut();
    match stored.content_type.as_deref().map(HeaderValue::from_str) {
        Some(Ok(value)) => {
            headers.insert(header::CONTENT_TYPE, value);
        }
        _ => {
            headers.remove(header::CONTENT_TYPE);
        }
    }
    headers.insert(REPLAYED_HEADER, HeaderValue::from_static("true"));
    response
}
