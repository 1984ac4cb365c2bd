//! Typed Rust client of the Ingot HTTP API. API Boundary: this crate speaks only the public HTTP
//! contract (paths, JSON DTOs from `ingot-contracts`, problem+json errors); it never links a domain.
//! Method names follow the operations: `GET /v1/admin/ownership` is `ownership_get`.

pub use ingot_contracts;

use std::time::Duration;

use ingot_contracts::operations::{HealthReport, OwnershipRegistry};
use ingot_kernel::problem::ProblemBody;
use serde::de::DeserializeOwned;

/// The server the embedded default listens on.
pub const SERVER_DEFAULT: &str = "http://127.0.0.1:8080";
/// Requests give up after this long.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The server answered with a problem.
    #[error("{}: {}", .0.code, .0.detail.as_deref().unwrap_or(&.0.title))]
    Api(Box<ProblemBody>),
    /// The server could not be reached, or the exchange broke off.
    #[error("cannot reach the Ingot server")]
    Transport(#[source] reqwest::Error),
    /// The server answered with something this client does not understand.
    #[error("unexpected response from the server (status {status})")]
    Unexpected { status: u16 },
    #[error("invalid server url {0:?}")]
    InvalidUrl(String),
}

impl Error {
    /// The problem's stable code, such as `unauthenticated`; `None` when it is not an API error.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Api(problem) => Some(&problem.code),
            _ => None,
        }
    }
}

/// A client for one server, optionally with a bearer token. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    base: String,
    token: Option<String>,
    http: reqwest::Client,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Client {
    /// `server` is a base URL such as `http://127.0.0.1:8080`.
    pub fn new(server: &str) -> Result<Client, Error> {
        let base = server.trim_end_matches('/').to_string();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(Error::InvalidUrl(server.to_string()));
        }
        let http = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(Error::Transport)?;
        Ok(Client {
            base,
            token: None,
            http,
        })
    }

    pub fn with_token(mut self, token: impl Into<String>) -> Client {
        self.token = Some(token.into());
        self
    }

    pub fn server(&self) -> &str {
        &self.base
    }

    /// Liveness.
    pub async fn health_get(&self) -> Result<HealthReport, Error> {
        self.get("/healthz").await
    }

    /// Readiness; a not-ready server answers 503 with the same report, returned here as `Ok`.
    pub async fn readiness_get(&self) -> Result<HealthReport, Error> {
        let response = self.send(self.http.get(format!("{}/readyz", self.base))).await?;
        let status = response.status().as_u16();
        if status == 200 || status == 503 {
            return response.json().await.map_err(|_| Error::Unexpected { status });
        }
        Err(problem_of(response).await)
    }

    /// The ownership registry (platform admins).
    pub async fn ownership_get(&self) -> Result<OwnershipRegistry, Error> {
        self.get("/v1/admin/ownership").await
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, Error> {
        let response = self.send(self.http.get(format!("{}{path}", self.base))).await?;
        decode(response).await
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Result<reqwest::Response, Error> {
        let request = match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        };
        request.send().await.map_err(Error::Transport)
    }
}

async fn decode<T: DeserializeOwned>(response: reqwest::Response) -> Result<T, Error> {
    let status = response.status().as_u16();
    if response.status().is_success() {
        return response.json().await.map_err(|_| Error::Unexpected { status });
    }
    Err(problem_of(response).await)
}

async fn problem_of(response: reqwest::Response) -> Error {
    let status = response.status().as_u16();
    match response.json::<ProblemBody>().await {
        Ok(problem) => Error::Api(Box::new(problem)),
        Err(_) => Error::Unexpected { status },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_urls_without_a_scheme_and_hides_the_token() {
        assert!(matches!(Client::new("127.0.0.1:8080"), Err(Error::InvalidUrl(_))));
        let client = Client::new("http://127.0.0.1:8080/")
            .unwrap()
            .with_token("ingot_secret");
        assert_eq!(client.server(), "http://127.0.0.1:8080");
        assert!(!format!("{client:?}").contains("ingot_secret"));
    }
}
