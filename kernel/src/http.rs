//! axum glue every domain's `http` room uses: problems render as `application/problem+json`, and
//! the `Json`, `Query` and `Path` extractors turn every rejection into a problem, so malformed
//! input is never a 500 and never an unexplained plain-text error.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::problem::{Code, PROBLEM_CONTENT_TYPE, Problem};

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        // Invariant: ProblemBody is plain data and always serialises.
        let body = serde_json::to_vec(&self.to_body()).expect("problem bodies serialise");
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(PROBLEM_CONTENT_TYPE),
        );
        if let Some(seconds) = self.retry_after_s {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// A JSON body, in or out. Rejections become problems: 415 without a JSON content type, 400 for
/// malformed JSON, 422 for JSON of the wrong shape, 413 past the body limit. A request body is
/// always a JSON object: serde would also read a struct from an array of its fields in order
/// (`[null, null]`), which no client means.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Json<T>, Problem> {
        let (parts, body) = req.into_parts();
        let headers = parts.headers.clone();
        let bytes = bytes::Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|rejection| match rejection.status() {
                StatusCode::PAYLOAD_TOO_LARGE => Problem::new(Code::PayloadTooLarge),
                _ => Problem::new(Code::BadRequest).detail(rejection.body_text()),
            })?;
        let first = bytes.iter().copied().find(|b| !b.is_ascii_whitespace());
        let mut rebuilt = Request::new(axum::body::Body::from(bytes));
        *rebuilt.headers_mut() = headers;
        match axum::Json::<T>::from_request(rebuilt, state).await {
            Ok(_) if first != Some(b'{') => {
                Err(Problem::new(Code::InvalidBody).detail("the body must be a JSON object"))
            }
            Ok(axum::Json(value)) => Ok(Json(value)),
            Err(rejection) => Err(json_rejection_problem(rejection)),
        }
    }
}

/// An optional JSON body: a request with neither a content type nor a body has none; anything
/// else must be valid JSON of the right shape.
impl<S: Send + Sync, T: DeserializeOwned> axum::extract::OptionalFromRequest<S> for Json<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Option<Json<T>>, Problem> {
        let headers = req.headers();
        let bodiless = headers.get(axum::http::header::CONTENT_TYPE).is_none()
            && headers.get(axum::http::header::TRANSFER_ENCODING).is_none()
            && headers
                .get(axum::http::header::CONTENT_LENGTH)
                .is_none_or(|length| length == "0");
        if bodiless {
            return Ok(None);
        }
        <Json<T> as FromRequest<S>>::from_request(req, state)
            .await
            .map(Some)
    }
}

fn json_rejection_problem(rejection: JsonRejection) -> Problem {
    match rejection {
        JsonRejection::JsonDataError(err) => Problem::new(Code::InvalidBody).detail(err.body_text()),
        JsonRejection::JsonSyntaxError(err) => Problem::new(Code::MalformedJson).detail(err.body_text()),
        JsonRejection::MissingJsonContentType(_) => Problem::new(Code::UnsupportedMediaType)
            .detail("send the body with `Content-Type: application/json`"),
        JsonRejection::BytesRejection(err) if err.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            Problem::new(Code::PayloadTooLarge)
        }
        other => Problem::new(Code::BadRequest).detail(other.body_text()),
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// Query parameters; a bad one is a 400 `invalid_parameter` naming it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Query<T>, Problem> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| Query(value))
            .map_err(|rejection: QueryRejection| {
                Problem::new(Code::InvalidParameter).detail(rejection.body_text())
            })
    }
}

/// Path parameters; an id of the wrong kind is a 404, since no such resource can exist.
#[derive(Debug, Clone, Copy, Default)]
pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Path<T>, Problem> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| Path(value))
            .map_err(|rejection: PathRejection| match rejection {
                PathRejection::FailedToDeserializePathParams(err) => {
                    Problem::new(Code::NotFound).detail(err.body_text())
                }
                other => Problem::internal(other),
            })
    }
}
