//! The MAAS REST API 2.0 client: OAuth 1.0a PLAINTEXT from an API key, `op=` in the query and
//! form-encoded bodies, typed errors that keep MAAS's status and message, retries with backoff
//! on 503 and on connection errors only (a POST only when it never reached the region), a
//! timeout per request, and a per-site limit on requests in flight.

pub mod wire;

use std::sync::Arc;
use std::time::Duration;

use ingot_kernel::Clock as _;
use tokio::sync::Semaphore;

pub use wire::{BootResource, Device, Event, EventsPage, Machine, PowerState, Tag, Version, Whoami, Zone};

/// An API key `consumer:token:secret`. Its `Debug` never shows the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey {
    consumer: String,
    token: String,
    secret: String,
}

impl ApiKey {
    pub fn parse(text: &str) -> Option<ApiKey> {
        let mut parts = text.trim().split(':');
        let key = ApiKey {
            consumer: parts.next()?.to_string(),
            token: parts.next()?.to_string(),
            secret: parts.next()?.to_string(),
        };
        (parts.next().is_none()
            && !key.consumer.is_empty()
            && !key.token.is_empty()
            && !key.secret.is_empty())
        .then_some(key)
    }

    /// The key as MAAS prints it, for sealing at rest.
    pub fn expose(&self) -> String {
        format!("{}:{}:{}", self.consumer, self.token, self.secret)
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ApiKey({}:…)", self.consumer)
    }
}

/// Unreserved characters pass; everything else is percent-encoded (RFC 5849 §3.6).
fn oauth_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The `Authorization` header for one attempt: a fresh nonce and the wall-clock time.
fn authorization(key: &ApiKey) -> String {
    let mut nonce = [0u8; 16];
    // A predictable nonce only risks a 401 on a repeat, never a forged request.
    let _ = getrandom::fill(&mut nonce);
    let nonce: String = nonce.iter().map(|b| format!("{b:02x}")).collect();
    let timestamp = ingot_kernel::SystemClock.now().as_micros() / 1_000_000;
    format!(
        "OAuth realm=\"\", oauth_version=\"1.0\", oauth_signature_method=\"PLAINTEXT\", \
         oauth_consumer_key=\"{}\", oauth_token=\"{}\", oauth_signature=\"{}\", oauth_nonce=\"{nonce}\", \
         oauth_timestamp=\"{timestamp}\"",
        oauth_escape(&key.consumer),
        oauth_escape(&key.token),
        oauth_escape(&format!("&{}", key.secret)),
    )
}

/// What went wrong talking to MAAS.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MaasError {
    /// MAAS answered with an error: its status and its message, kept as sent.
    #[error("MAAS answered {status}: {message}")]
    Api { status: u16, message: String },
    /// The region could not be reached or the connection broke (after retries).
    #[error("MAAS is unreachable: {0}")]
    Unreachable(String),
    /// No answer within the request timeout (after retries for reads).
    #[error("MAAS did not answer within {0:?}")]
    Timeout(Duration),
    /// An answer that is not what MAAS sends.
    #[error("unexpected answer from MAAS: {0}")]
    Decode(String),
}

impl MaasError {
    pub fn status(&self) -> Option<u16> {
        match self {
            MaasError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// A business refusal (409 without Retry-After): the state does not allow it.
    pub fn is_conflict(&self) -> bool {
        self.status() == Some(409)
    }

    /// Whether trying the same thing later may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(self, MaasError::Unreachable(_) | MaasError::Timeout(_))
            || matches!(self.status(), Some(503 | 504))
    }
}

/// Retries and timeouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub attempts: u32,
    /// The first backoff; doubled per attempt.
    pub backoff: Duration,
    /// No single wait is longer (a `Retry-After` above it is capped).
    pub backoff_max: Duration,
    pub request_timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            attempts: 5,
            backoff: Duration::from_millis(500),
            backoff_max: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
        }
    }
}

/// A form or query: ordered pairs, repeated keys for lists.
pub type Form = Vec<(String, String)>;

/// Allocation constraints and options.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllocateParams {
    pub system_id: Option<String>,
    pub hostname: Option<String>,
    pub zone: Option<String>,
    pub pool: Option<String>,
    pub tags: Vec<String>,
    pub agent_name: Option<String>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeployParams {
    pub distro_series: Option<String>,
    /// Base64, as MAAS stores it.
    pub user_data: Option<String>,
    pub agent_name: Option<String>,
    pub comment: Option<String>,
}

/// How a release erases disks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Erase {
    None,
    Quick,
    Full,
    Secure,
}

impl From<ingot_contracts::maas::EraseMode> for Erase {
    fn from(mode: ingot_contracts::maas::EraseMode) -> Erase {
        match mode {
            ingot_contracts::maas::EraseMode::None => Erase::None,
            ingot_contracts::maas::EraseMode::Quick => Erase::Quick,
            ingot_contracts::maas::EraseMode::Secure => Erase::Secure,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseParams {
    pub erase: Erase,
    pub comment: Option<String>,
}

/// A client for one MAAS region.
#[derive(Clone)]
pub struct MaasClient {
    /// `http(s)://host:5240/MAAS/api/2.0/`.
    api: String,
    key: ApiKey,
    http: reqwest::Client,
    permits: Arc<Semaphore>,
    retry: RetryPolicy,
}

impl std::fmt::Debug for MaasClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MaasClient")
            .field("api", &self.api)
            .finish_non_exhaustive()
    }
}

fn pairs<const N: usize>(items: [(&str, Option<&str>); N]) -> Form {
    items
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k.to_string(), v.to_string())))
        .collect()
}

impl MaasClient {
    /// `url` is the region's base (`http://host:5240/MAAS`, with or without the trailing slash);
    /// at most `in_flight` requests run at once.
    pub fn new(
        url: &str,
        key: ApiKey,
        in_flight: usize,
        retry: RetryPolicy,
    ) -> Result<MaasClient, MaasError> {
        let base = url.trim_end_matches('/');
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(MaasError::Decode(format!("not an http(s) URL: {url}")));
        }
        let http = ingot_kernel::outbound::client_builder()
            .timeout(retry.request_timeout)
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|err| MaasError::Unreachable(err.to_string()))?;
        Ok(MaasClient {
            api: format!("{base}/api/2.0/"),
            key,
            http,
            permits: Arc::new(Semaphore::new(in_flight.max(1))),
            retry,
        })
    }

    /// The region's API root (`…/MAAS/api/2.0/`).
    pub fn api_url(&self) -> &str {
        &self.api
    }

    /// One API call with retries; returns the body of a 2xx answer.
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        op: Option<&str>,
        params: &Form,
    ) -> Result<String, MaasError> {
        let mut url = format!("{}{}", self.api, path);
        if !url.ends_with('/') {
            url.push('/');
        }
        let read = method == reqwest::Method::GET;
        let mut query: Form = op
            .map(|op| vec![("op".to_string(), op.to_string())])
            .unwrap_or_default();
        let mut body = Form::new();
        if read || method == reqwest::Method::DELETE {
            query.extend(params.iter().cloned());
        } else {
            body.extend(params.iter().cloned());
        }
        // Metrics and spans name the resource (`machines`, `machine`), never a machine's id.
        let resource = path.trim_matches('/').split('/').next().unwrap_or("").to_string();
        let span =
            tracing::info_span!("maas.call", method = %method, resource = %resource, op = op.unwrap_or(""));
        let call = async {
            let mut attempt = 0;
            loop {
                attempt += 1;
                let started = std::time::Instant::now();
                let outcome = {
                    let _permit = self
                        .permits
                        .acquire()
                        .await
                        .map_err(|_| MaasError::Unreachable("client closed".into()))?;
                    let mut request = self
                        .http
                        .request(method.clone(), &url)
                        .header(reqwest::header::AUTHORIZATION, authorization(&self.key))
                        .header(reqwest::header::ACCEPT, "application/json")
                        .query(&query);
                    if !read {
                        request = request.form(&body);
                    }
                    request.send().await
                };
                let result = match &outcome {
                    Ok(response) if response.status().is_success() => "ok",
                    Ok(_) => "error_answer",
                    Err(err) if err.is_timeout() => "timeout",
                    Err(_) => "unreachable",
                };
                let labels = [
                    ("method", method.to_string()),
                    ("resource", resource.clone()),
                    ("op", op.unwrap_or("").to_string()),
                ];
                metrics::histogram!("ingot_maas_request_seconds", &labels)
                    .record(started.elapsed().as_secs_f64());
                metrics::counter!("ingot_maas_requests_total", "method" => method.to_string(), "resource" => resource.clone(), "result" => result)
                .increment(1);
                let wait = match outcome {
                    Ok(response) => {
                        let status = response.status();
                        let retry_after = response
                            .headers()
                            .get(reqwest::header::RETRY_AFTER)
                            .and_then(|v| v.to_str().ok())
                            .and_then(|v| v.trim().parse::<u64>().ok())
                            .map(Duration::from_secs);
                        let text = response.text().await.unwrap_or_default();
                        if status.is_success() {
                            return Ok(text);
                        }
                        let error = MaasError::Api {
                            status: status.as_u16(),
                            message: text.trim().to_string(),
                        };
                        // 503 is the region saying "later"; a 409 with Retry-After is a database
                        // conflict MAAS gave up on. Everything else is an answer, not a hiccup.
                        let retryable =
                            status.as_u16() == 503 || (status.as_u16() == 409 && retry_after.is_some());
                        if !retryable || attempt >= self.retry.attempts {
                            return Err(error);
                        }
                        tracing::warn!(%url, status = status.as_u16(), attempt, "MAAS asked to retry");
                        retry_after.unwrap_or_else(|| self.backoff(attempt))
                    }
                    Err(err) => {
                        let error = if err.is_timeout() {
                            MaasError::Timeout(self.retry.request_timeout)
                        } else {
                            MaasError::Unreachable(err.to_string())
                        };
                        // A read may be repeated; a write only if it never left this process.
                        let may_repeat = read || err.is_connect();
                        if !may_repeat || attempt >= self.retry.attempts {
                            return Err(error);
                        }
                        tracing::warn!(%url, attempt, error = %err, "MAAS unreachable, retrying");
                        self.backoff(attempt)
                    }
                };
                // Backoff between attempts is the point here, not a stand-in for synchronisation.
                #[allow(clippy::disallowed_methods)]
                tokio::time::sleep(wait.min(self.retry.backoff_max)).await;
            }
        };
        tracing::Instrument::instrument(call, span).await
    }

    fn backoff(&self, attempt: u32) -> Duration {
        self.retry
            .backoff
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)))
            .min(self.retry.backoff_max)
    }

    async fn json<T: serde::de::DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        op: Option<&str>,
        params: &Form,
    ) -> Result<T, MaasError> {
        let body = self.call(method, path, op, params).await?;
        serde_json::from_str(&body).map_err(|err| MaasError::Decode(format!("{path}: {err}")))
    }

    pub async fn version(&self) -> Result<Version, MaasError> {
        self.json(reqwest::Method::GET, "version/", None, &Form::new())
            .await
    }

    /// Checks the key: MAAS answers 401 to a wrong one.
    pub async fn whoami(&self) -> Result<Whoami, MaasError> {
        self.json(reqwest::Method::GET, "users/", Some("whoami"), &Form::new())
            .await
    }

    /// `GET machines/` with filters (`("status", "ready")`, `("id", sid)`, …).
    pub async fn machines(&self, filters: &Form) -> Result<Vec<Machine>, MaasError> {
        self.json(reqwest::Method::GET, "machines/", None, filters).await
    }

    pub async fn machine(&self, system_id: &str) -> Result<Machine, MaasError> {
        self.json(
            reqwest::Method::GET,
            &format!("machines/{system_id}/"),
            None,
            &Form::new(),
        )
        .await
    }

    pub async fn allocate(&self, params: &AllocateParams) -> Result<Machine, MaasError> {
        let mut form = pairs([
            ("system_id", params.system_id.as_deref()),
            ("name", params.hostname.as_deref()),
            ("zone", params.zone.as_deref()),
            ("pool", params.pool.as_deref()),
            ("agent_name", params.agent_name.as_deref()),
            ("comment", params.comment.as_deref()),
        ]);
        form.extend(params.tags.iter().map(|t| ("tags".to_string(), t.clone())));
        self.json(reqwest::Method::POST, "machines/", Some("allocate"), &form)
            .await
    }

    pub async fn deploy(&self, system_id: &str, params: &DeployParams) -> Result<Machine, MaasError> {
        let form = pairs([
            ("distro_series", params.distro_series.as_deref()),
            ("user_data", params.user_data.as_deref()),
            ("agent_name", params.agent_name.as_deref()),
            ("comment", params.comment.as_deref()),
        ]);
        self.machine_op(system_id, "deploy", &form).await
    }

    pub async fn release(&self, system_id: &str, params: &ReleaseParams) -> Result<Machine, MaasError> {
        let mut form = pairs([("comment", params.comment.as_deref())]);
        match params.erase {
            Erase::None => {}
            Erase::Quick => form.extend([
                ("erase".into(), "true".into()),
                ("quick_erase".into(), "true".into()),
            ]),
            Erase::Full => form.push(("erase".into(), "true".into())),
            Erase::Secure => form.extend([
                ("erase".into(), "true".into()),
                ("secure_erase".into(), "true".into()),
            ]),
        }
        self.machine_op(system_id, "release", &form).await
    }

    pub async fn commission(&self, system_id: &str) -> Result<Machine, MaasError> {
        self.machine_op(system_id, "commission", &Form::new()).await
    }

    pub async fn abort(&self, system_id: &str, comment: &str) -> Result<Machine, MaasError> {
        self.machine_op(system_id, "abort", &pairs([("comment", Some(comment))]))
            .await
    }

    pub async fn mark_broken(&self, system_id: &str, comment: &str) -> Result<Machine, MaasError> {
        self.machine_op(system_id, "mark_broken", &pairs([("comment", Some(comment))]))
            .await
    }

    pub async fn mark_fixed(&self, system_id: &str, comment: &str) -> Result<Machine, MaasError> {
        self.machine_op(system_id, "mark_fixed", &pairs([("comment", Some(comment))]))
            .await
    }

    pub async fn lock(&self, system_id: &str, comment: &str) -> Result<Machine, MaasError> {
        self.machine_op(system_id, "lock", &pairs([("comment", Some(comment))]))
            .await
    }

    pub async fn unlock(&self, system_id: &str, comment: &str) -> Result<Machine, MaasError> {
        self.machine_op(system_id, "unlock", &pairs([("comment", Some(comment))]))
            .await
    }

    /// Sets workload annotations (an empty value deletes the key).
    pub async fn annotate(
        &self,
        system_id: &str,
        annotations: &[(&str, &str)],
    ) -> Result<Machine, MaasError> {
        let form: Form = annotations
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect();
        self.machine_op(system_id, "set_workload_annotations", &form)
            .await
    }

    pub async fn power_on(&self, system_id: &str) -> Result<Machine, MaasError> {
        self.machine_op(system_id, "power_on", &Form::new()).await
    }

    pub async fn power_off(&self, system_id: &str) -> Result<Option<Machine>, MaasError> {
        let body = self
            .call(
                reqwest::Method::POST,
                &format!("machines/{system_id}/"),
                Some("power_off"),
                &Form::new(),
            )
            .await?;
        // `null` when the power type cannot be driven.
        serde_json::from_str(&body).map_err(|err| MaasError::Decode(err.to_string()))
    }

    /// Asks the BMC (MAAS waits up to a minute on it): `on`, `off`, `unknown` or `error`.
    pub async fn power_query(&self, system_id: &str) -> Result<String, MaasError> {
        let state: PowerState = self
            .json(
                reqwest::Method::GET,
                &format!("machines/{system_id}/"),
                Some("query_power_state"),
                &Form::new(),
            )
            .await?;
        Ok(state.state)
    }

    pub async fn delete(&self, system_id: &str) -> Result<(), MaasError> {
        self.call(
            reqwest::Method::DELETE,
            &format!("machines/{system_id}/"),
            None,
            &Form::new(),
        )
        .await
        .map(|_| ())
    }

    async fn machine_op(&self, system_id: &str, op: &str, form: &Form) -> Result<Machine, MaasError> {
        self.json(
            reqwest::Method::POST,
            &format!("machines/{system_id}/"),
            Some(op),
            form,
        )
        .await
    }

    /// A machine's PCI devices (GPUs, NICs).
    pub async fn devices(&self, system_id: &str) -> Result<Vec<Device>, MaasError> {
        self.json(
            reqwest::Method::GET,
            &format!("nodes/{system_id}/devices/"),
            None,
            &Form::new(),
        )
        .await
    }

    /// Events newer than `after` (oldest first), at INFO and above, at most `limit`.
    pub async fn events_after(&self, after: u64, limit: u32) -> Result<Vec<Event>, MaasError> {
        let params = vec![
            ("after".to_string(), after.to_string()),
            ("limit".to_string(), limit.to_string()),
        ];
        let page: EventsPage = self
            .json(reqwest::Method::GET, "events/", Some("query"), &params)
            .await?;
        let mut events = page.events;
        events.reverse();
        Ok(events)
    }

    /// A machine's newest events at INFO and above (newest first), at most `limit`.
    pub async fn events_of(&self, system_id: &str, limit: u32) -> Result<Vec<Event>, MaasError> {
        let params = vec![
            ("id".to_string(), system_id.to_string()),
            ("limit".to_string(), limit.to_string()),
        ];
        let page: EventsPage = self
            .json(reqwest::Method::GET, "events/", Some("query"), &params)
            .await?;
        Ok(page.events)
    }

    pub async fn zones(&self) -> Result<Vec<Zone>, MaasError> {
        self.json(reqwest::Method::GET, "zones/", None, &Form::new())
            .await
    }

    pub async fn pools(&self) -> Result<Vec<Zone>, MaasError> {
        self.json(reqwest::Method::GET, "resourcepools/", None, &Form::new())
            .await
    }

    pub async fn tags(&self) -> Result<Vec<Tag>, MaasError> {
        self.json(reqwest::Method::GET, "tags/", None, &Form::new()).await
    }

    pub async fn tag_create(&self, name: &str, comment: &str) -> Result<Tag, MaasError> {
        let form = pairs([("name", Some(name)), ("comment", Some(comment))]);
        self.json(reqwest::Method::POST, "tags/", None, &form).await
    }

    pub async fn tag_machines(&self, name: &str, add: &[&str], remove: &[&str]) -> Result<(), MaasError> {
        let mut form: Form = add
            .iter()
            .map(|s| ("add".to_string(), (*s).to_string()))
            .collect();
        form.extend(remove.iter().map(|s| ("remove".to_string(), (*s).to_string())));
        self.call(
            reqwest::Method::POST,
            &format!("tags/{name}/"),
            Some("update_nodes"),
            &form,
        )
        .await
        .map(|_| ())
    }

    pub async fn boot_resources(&self) -> Result<Vec<BootResource>, MaasError> {
        self.json(reqwest::Method::GET, "boot-resources/", None, &Form::new())
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_and_never_print_their_secret() {
        let key = ApiKey::parse("ck:tk:s3cret").unwrap();
        assert_eq!(key.expose(), "ck:tk:s3cret");
        assert!(!format!("{key:?}").contains("s3cret"));
        assert!(ApiKey::parse("ck:tk").is_none());
        assert!(ApiKey::parse("ck::s").is_none());
    }

    #[test]
    fn the_header_is_plaintext_oauth_with_a_fresh_nonce() {
        let key = ApiKey::parse("ck:tk:s&c").unwrap();
        let first = authorization(&key);
        assert!(first.contains("oauth_signature=\"%26s%26c\""), "{first}");
        assert!(first.contains("oauth_signature_method=\"PLAINTEXT\""));
        assert_ne!(first, authorization(&key), "a nonce per attempt");
    }
}
