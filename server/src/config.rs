//! Configuration: built-in defaults, then `--config ingot.toml`, then `INGOT_*` environment
//! variables, then command-line flags, each layer overriding the one before. A bad value is
//! reported as one line naming its key and where it came from.

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const LISTEN_DEFAULT: &str = "127.0.0.1:8080";
pub const DATA_DIR_DEFAULT: &str = "./ingot-data";

/// Where the installation runs: `prod` and `staging` refuse settings unsafe there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Environment {
    /// The embedded default and developers' machines: nothing is refused.
    #[default]
    Dev,
    Staging,
    Prod,
}

impl Environment {
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Dev => "dev",
            Environment::Staging => "staging",
            Environment::Prod => "prod",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Limits the HTTP layer enforces on every request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpLimits {
    pub body_bytes_max: usize,
    pub request_timeout: Duration,
    /// Requests per second each source address may sustain; 0 turns the limiter off.
    pub rate_limit_per_s: u32,
    pub rate_limit_burst: u32,
    /// How long in-flight requests get to finish after SIGTERM.
    pub shutdown_grace: Duration,
}

impl Default for HttpLimits {
    fn default() -> HttpLimits {
        HttpLimits {
            body_bytes_max: 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            rate_limit_per_s: 200,
            rate_limit_burst: 400,
            shutdown_grace: Duration::from_secs(30),
        }
    }
}

/// The resolved configuration `ingotd` runs with.
#[derive(Clone, PartialEq)]
pub struct Config {
    pub environment: Environment,
    /// `proxy`: TLS ends at a load balancer or ingress in front (ingotd serves plain HTTP and
    /// trusts `X-Forwarded-Proto`). `None`: not declared (refused in staging and prod).
    pub tls_termination: Option<String>,
    /// SQLite in prod only when this is set (a single-node installation, knowingly).
    pub database_allow_sqlite: bool,
    /// Where each key's value came from (`INGOT_LISTEN`, `ingot.toml: listen`, `--listen`);
    /// keys absent here have their default.
    pub origins: BTreeMap<String, String>,
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    /// `postgres://…` or `sqlite:…`; `None` means SQLite at `<data_dir>/ingot.db`.
    pub database_url: Option<String>,
    /// Redis for cache and shared rate limits; `None` means in-process.
    pub redis_url: Option<String>,
    pub log_format: LogFormat,
    /// A tracing filter such as `info` or `ingotd=debug,info`.
    pub log_level: String,
    pub http: HttpLimits,
    /// The KYC provider whose signed webhooks are accepted, and its signing secret.
    pub kyc_provider: String,
    pub kyc_webhook_secret: Option<String>,
    /// Base64 of 32 bytes: the key sealing secrets at rest. When absent, a key file in the data
    /// directory is used (made on first start); replicas sharing a database must share this key.
    pub secret_key: Option<String>,
    /// Seed the demo site, SKUs and prices into an empty catalog. `None`: only on the embedded
    /// default (no `database_url`), never silently on a production database.
    pub demo_catalog: Option<bool>,
    /// Offer the `test` payment provider (top-ups credited at once, no real money). `None`: only
    /// on the embedded default.
    pub billing_test_provider: Option<bool>,
    /// How often accrued usage is charged.
    pub billing_rating_interval: Duration,
    /// New burn rates need this many hours of balance.
    pub billing_runway_hours: u32,
    /// How long an exhausted balance is tolerated before Allocation releases.
    pub billing_grace: Duration,
    /// A Stripe-compatible card provider; off unless its key and webhook secret are set.
    pub stripe_base_url: String,
    pub stripe_api_key: Option<String>,
    pub stripe_webhook_secret: Option<String>,
    /// Where the payer returns after a card checkout.
    pub stripe_return_url: String,
    /// Run a simulated MAAS region in-process, bound to the demo site. `None`: only on the
    /// embedded default (no `database_url`).
    pub maas_simulated: Option<bool>,
    /// Machines the simulated region starts with.
    pub maas_sim_machines: usize,
    /// How often every bound site is onboarded (new machines commissioned, commissioned ones
    /// registered).
    pub maas_onboarding_interval: Duration,
    /// How often deploy and release requests are followed and each deployment's next step taken.
    pub maas_deployments_interval: Duration,
    /// How often every bound site is reconciled against its region.
    pub maas_reconcile_interval: Duration,
    /// How often each bound site's deployable images are read off its region.
    pub maas_images_interval: Duration,
    /// How often Allocation follows provisioning reports and releases expired allocations.
    pub allocation_lifecycle_interval: Duration,
    /// Deploy failures replaced per allocation before it fails.
    pub allocation_replacements_max: u32,
    /// How often the read models follow new events (an answer lags an event by about this).
    pub read_models_follow_interval: Duration,
    /// How long a dashboard answer may be served from the cache.
    pub read_models_cache_ttl: Duration,
    /// Whether dashboard answers are cached at all (off: every answer is composed).
    pub read_models_cache: bool,
    /// Webhooks to plain http and private, loopback or link-local addresses; on by default only
    /// in the embedded profile (no database URL), as for receivers on this machine in tests.
    pub webhooks_private_destinations: Option<bool>,
    /// One delivery attempt's limit.
    pub webhooks_timeout: Duration,
    /// Attempts before a delivery is given up.
    pub webhooks_attempts_max: u32,
    /// How often events become deliveries and due deliveries are sent.
    pub webhooks_interval: Duration,
    /// How often the alert rules are evaluated.
    pub alerts_interval: Duration,
    /// The window spikes are counted over (failed logins, exhausted balances, deploys).
    pub alerts_window: Duration,
    pub alerts_thresholds: ingot_operations::model::Thresholds,
    /// OWNERS.toml roles → people and how to page them (TOML); without it, pages go to the log.
    pub paging_oncall_file: Option<PathBuf>,
    pub paging_pagerduty_url: String,
    /// Overrides OWNERS.toml's `escalate_after_min`.
    pub paging_escalate_after: Option<Duration>,
    /// How often due pages are sent.
    pub paging_interval: Duration,
    /// One page delivery's limit.
    pub paging_timeout: Duration,
    /// An OpenTelemetry collector's OTLP/HTTP base URL (`http://collector:4318`): every span is
    /// exported there as well. `None`: spans only shape the logs.
    pub telemetry_otlp_endpoint: Option<String>,
}

impl fmt::Debug for Config {
    // URLs may carry passwords: never print them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("environment", &self.environment)
            .field("tls_termination", &self.tls_termination)
            .field("database_allow_sqlite", &self.database_allow_sqlite)
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field("database", &self.database_url.as_deref().map(redact_url))
            .field("redis", &self.redis_url.as_deref().map(redact_url))
            .field("log_format", &self.log_format)
            .field("log_level", &self.log_level)
            .field("http", &self.http)
            .field("kyc_provider", &self.kyc_provider)
            .field(
                "kyc_webhook_secret",
                &self.kyc_webhook_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("demo_catalog", &self.demo_catalog_enabled())
            .field("billing_test_provider", &self.billing_test_provider_enabled())
            .field("billing_rating_interval", &self.billing_rating_interval)
            .field("billing_runway_hours", &self.billing_runway_hours)
            .field("billing_grace", &self.billing_grace)
            .field("stripe_base_url", &self.stripe_base_url)
            .field(
                "stripe_api_key",
                &self.stripe_api_key.as_ref().map(|_| "<redacted>"),
            )
            .field(
                "stripe_webhook_secret",
                &self.stripe_webhook_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("maas_simulated", &self.maas_simulated_enabled())
            .field("maas_sim_machines", &self.maas_sim_machines)
            .field("maas_onboarding_interval", &self.maas_onboarding_interval)
            .field("maas_deployments_interval", &self.maas_deployments_interval)
            .field("maas_reconcile_interval", &self.maas_reconcile_interval)
            .field("maas_images_interval", &self.maas_images_interval)
            .field(
                "allocation_lifecycle_interval",
                &self.allocation_lifecycle_interval,
            )
            .field("allocation_replacements_max", &self.allocation_replacements_max)
            .field("read_models_follow_interval", &self.read_models_follow_interval)
            .field("read_models_cache_ttl", &self.read_models_cache_ttl)
            .field("read_models_cache", &self.read_models_cache)
            .field(
                "webhooks_private_destinations",
                &self.webhooks_private_destinations_allowed(),
            )
            .field("webhooks_timeout", &self.webhooks_timeout)
            .field("webhooks_attempts_max", &self.webhooks_attempts_max)
            .field("webhooks_interval", &self.webhooks_interval)
            .field("alerts_interval", &self.alerts_interval)
            .field("alerts_window", &self.alerts_window)
            .field("alerts_thresholds", &self.alerts_thresholds)
            .field("paging_oncall_file", &self.paging_oncall_file)
            .field("paging_pagerduty_url", &self.paging_pagerduty_url)
            .field("paging_escalate_after", &self.paging_escalate_after)
            .field("paging_interval", &self.paging_interval)
            .field("paging_timeout", &self.paging_timeout)
            .field(
                "telemetry_otlp_endpoint",
                &self.telemetry_otlp_endpoint.as_deref().map(redact_url),
            )
            .finish()
    }
}

/// `postgres://user:secret@host/db?password=x` → `postgres://user:***@host/db?password=***`:
/// the userinfo's password and any query parameter naming a secret.
pub fn redact_url(url: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let mut out = match (base.find("://"), base.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &base[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &base[..scheme_end + 3], &base[at..]),
                None => base.to_string(),
            }
        }
        _ => base.to_string(),
    };
    if let Some(query) = query {
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _))
                    if ["password", "pass", "secret", "token", "key", "sslpassword"]
                        .iter()
                        .any(|word| key.to_ascii_lowercase().contains(word)) =>
                {
                    format!("{key}=***")
                }
                _ => pair.to_string(),
            })
            .collect();
        out.push('?');
        out.push_str(&pairs.join("&"));
    }
    out
}

impl Default for Config {
    fn default() -> Config {
        Config {
            environment: Environment::Dev,
            tls_termination: None,
            database_allow_sqlite: false,
            origins: BTreeMap::new(),
            listen: LISTEN_DEFAULT.parse().expect("the default listen address parses"),
            data_dir: PathBuf::from(DATA_DIR_DEFAULT),
            database_url: None,
            redis_url: None,
            log_format: LogFormat::Text,
            log_level: "info".into(),
            http: HttpLimits::default(),
            kyc_provider: "sim".into(),
            kyc_webhook_secret: None,
            secret_key: None,
            demo_catalog: None,
            billing_test_provider: None,
            billing_rating_interval: Duration::from_secs(60),
            billing_runway_hours: 24,
            billing_grace: Duration::from_secs(15 * 60),
            stripe_base_url: "https://api.stripe.com".into(),
            stripe_api_key: None,
            stripe_webhook_secret: None,
            stripe_return_url: "http://127.0.0.1:8080/".into(),
            maas_simulated: None,
            maas_sim_machines: 16,
            maas_onboarding_interval: Duration::from_secs(30),
            maas_deployments_interval: Duration::from_secs(3),
            maas_reconcile_interval: Duration::from_secs(60),
            maas_images_interval: Duration::from_secs(600),
            allocation_lifecycle_interval: Duration::from_secs(1),
            allocation_replacements_max: 2,
            read_models_follow_interval: Duration::from_millis(200),
            read_models_cache_ttl: Duration::from_secs(10),
            read_models_cache: true,
            webhooks_private_destinations: None,
            webhooks_timeout: Duration::from_secs(10),
            webhooks_attempts_max: 10,
            webhooks_interval: Duration::from_secs(1),
            alerts_interval: Duration::from_secs(30),
            alerts_window: Duration::from_secs(15 * 60),
            alerts_thresholds: ingot_operations::model::Thresholds::default(),
            paging_oncall_file: None,
            paging_pagerduty_url: "https://events.pagerduty.com/v2/enqueue".into(),
            paging_escalate_after: None,
            paging_interval: Duration::from_secs(2),
            paging_timeout: Duration::from_secs(10),
            telemetry_otlp_endpoint: None,
        }
    }
}

impl Config {
    pub fn sqlite_path(&self) -> PathBuf {
        self.data_dir.join("ingot.db")
    }

    pub fn demo_catalog_enabled(&self) -> bool {
        self.demo_catalog.unwrap_or(self.database_url.is_none())
    }

    pub fn billing_test_provider_enabled(&self) -> bool {
        self.billing_test_provider.unwrap_or(self.database_url.is_none())
    }

    pub fn maas_simulated_enabled(&self) -> bool {
        self.maas_simulated.unwrap_or(self.database_url.is_none())
    }

    pub fn webhooks_private_destinations_allowed(&self) -> bool {
        self.webhooks_private_destinations
            .unwrap_or(self.database_url.is_none())
    }
}

/// Words that mark a value copied from documentation or an example file, not made for this
/// installation.
const EXAMPLE_MARKERS: &[&str] = &[
    "replace",
    "change-me",
    "changeme",
    "example",
    "a-long-random-secret",
];

pub(crate) fn looks_like_an_example(secret: &str) -> bool {
    let lower = secret.to_ascii_lowercase();
    EXAMPLE_MARKERS.iter().any(|marker| lower.contains(marker))
}

impl Config {
    /// What `staging` and `prod` refuse, one line each naming the key; empty when the
    /// configuration may run in its environment (`dev` refuses nothing).
    pub fn environment_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let env = self.environment;
        if env == Environment::Dev {
            return problems;
        }
        let name = env.as_str();
        if self.secret_key.is_none() {
            problems.push(format!(
                "secret_key: {name} needs it set explicitly (openssl rand -base64 32), the same on every replica"
            ));
        }
        if self.tls_termination.is_none() {
            problems.push(format!(
                "tls.termination: {name} needs TLS declared: `proxy` (a load balancer or ingress in front terminates it)"
            ));
        }
        for (key, secret) in [
            ("kyc.webhook_secret", &self.kyc_webhook_secret),
            ("payments.stripe.api_key", &self.stripe_api_key),
            ("payments.stripe.webhook_secret", &self.stripe_webhook_secret),
        ] {
            if secret.as_deref().is_some_and(looks_like_an_example) {
                problems.push(format!("{key}: an example value; make one for this installation"));
            }
        }
        if env == Environment::Prod {
            if self.database_url.is_none() && !self.database_allow_sqlite {
                problems.push(
                    "database_url: prod runs on PostgreSQL (set database.allow_sqlite = true for a knowingly single-node installation)"
                        .into(),
                );
            }
            if self.maas_simulated_enabled() {
                problems.push("maas.simulated: prod never runs the simulated MAAS region".into());
            }
            if self.billing_test_provider_enabled() {
                problems.push("billing.test_provider: prod never credits top-ups without payment".into());
            }
            if self.demo_catalog_enabled() {
                problems.push("demo_catalog: prod never seeds the demo catalog".into());
            }
            if self.webhooks_private_destinations_allowed() {
                problems.push(
                    "webhooks.private_destinations: prod never sends tenants' webhooks to private addresses"
                        .into(),
                );
            }
        }
        problems
    }

    /// Every key with its effective value (secrets as `<redacted>`, URLs without passwords) and
    /// where it came from, in the order of the README's table.
    pub fn effective(&self) -> Vec<(&'static str, String, String)> {
        let secret = |value: &Option<String>| match value {
            Some(_) => "<redacted>".to_string(),
            None => "(none)".to_string(),
        };
        let optional = |value: Option<String>| value.unwrap_or_else(|| "(none)".into());
        let ms = |d: Duration| d.as_millis().to_string();
        let s = |d: Duration| d.as_secs().to_string();
        let t = &self.alerts_thresholds;
        KEYS.iter()
            .map(|(key, _)| {
                let value = match *key {
                    "environment" => self.environment.as_str().to_string(),
                    "tls.termination" => optional(self.tls_termination.clone()),
                    "database.allow_sqlite" => self.database_allow_sqlite.to_string(),
                    "listen" => self.listen.to_string(),
                    "data_dir" => self.data_dir.display().to_string(),
                    "database_url" => self
                        .database_url
                        .as_deref()
                        .map(redact_url)
                        .unwrap_or_else(|| format!("(SQLite at {})", self.sqlite_path().display())),
                    "redis_url" => optional(self.redis_url.as_deref().map(redact_url)),
                    "log_format" => format!("{:?}", self.log_format).to_lowercase(),
                    "log_level" => self.log_level.clone(),
                    "http.body_bytes_max" => self.http.body_bytes_max.to_string(),
                    "http.request_timeout_ms" => ms(self.http.request_timeout),
                    "http.rate_limit_per_s" => self.http.rate_limit_per_s.to_string(),
                    "http.rate_limit_burst" => self.http.rate_limit_burst.to_string(),
                    "http.shutdown_grace_ms" => ms(self.http.shutdown_grace),
                    "kyc.provider" => self.kyc_provider.clone(),
                    "kyc.webhook_secret" => secret(&self.kyc_webhook_secret),
                    "secret_key" => match &self.secret_key {
                        Some(_) => "<redacted>".into(),
                        None => format!("(key file {})", self.data_dir.join("secret.key").display()),
                    },
                    "demo_catalog" => self.demo_catalog_enabled().to_string(),
                    "billing.test_provider" => self.billing_test_provider_enabled().to_string(),
                    "billing.rating_interval_s" => s(self.billing_rating_interval),
                    "billing.runway_hours" => self.billing_runway_hours.to_string(),
                    "billing.grace_s" => s(self.billing_grace),
                    "payments.stripe.base_url" => self.stripe_base_url.clone(),
                    "payments.stripe.api_key" => secret(&self.stripe_api_key),
                    "payments.stripe.webhook_secret" => secret(&self.stripe_webhook_secret),
                    "payments.stripe.return_url" => self.stripe_return_url.clone(),
                    "maas.simulated" => self.maas_simulated_enabled().to_string(),
                    "maas.sim_machines" => self.maas_sim_machines.to_string(),
                    "maas.onboarding_interval_s" => s(self.maas_onboarding_interval),
                    "maas.deployments_interval_ms" => ms(self.maas_deployments_interval),
                    "maas.reconcile_interval_s" => s(self.maas_reconcile_interval),
                    "maas.images_interval_s" => s(self.maas_images_interval),
                    "allocation.lifecycle_interval_ms" => ms(self.allocation_lifecycle_interval),
                    "allocation.replacements_max" => self.allocation_replacements_max.to_string(),
                    "read_models.follow_interval_ms" => ms(self.read_models_follow_interval),
                    "read_models.cache_ttl_ms" => ms(self.read_models_cache_ttl),
                    "read_models.cache" => self.read_models_cache.to_string(),
                    "webhooks.private_destinations" => {
                        self.webhooks_private_destinations_allowed().to_string()
                    }
                    "webhooks.timeout_ms" => ms(self.webhooks_timeout),
                    "webhooks.attempts_max" => self.webhooks_attempts_max.to_string(),
                    "webhooks.interval_ms" => ms(self.webhooks_interval),
                    "alerts.interval_ms" => ms(self.alerts_interval),
                    "alerts.window_s" => s(self.alerts_window),
                    "alerts.drift_open" => t.drift_open.to_string(),
                    "alerts.deploy_failure_rate_pct" => (t.deploy_failure_rate * 100.0).round().to_string(),
                    "alerts.deploy_min_samples" => t.deploy_min_samples.to_string(),
                    "alerts.site_unreachable_s" => t.site_unreachable_s.to_string(),
                    "alerts.balances_exhausted" => t.balances_exhausted.to_string(),
                    "alerts.login_failures" => t.login_failures.to_string(),
                    "alerts.consumer_lag_s" => t.consumer_lag_s.to_string(),
                    "alerts.lease_expired_s" => t.lease_expired_s.to_string(),
                    "paging.oncall_file" => {
                        optional(self.paging_oncall_file.as_ref().map(|p| p.display().to_string()))
                    }
                    "paging.pagerduty_url" => self.paging_pagerduty_url.clone(),
                    "paging.escalate_after_min" => self
                        .paging_escalate_after
                        .map(|d| (d.as_secs() / 60).to_string())
                        .unwrap_or_else(|| "(OWNERS.toml's escalate_after_min)".into()),
                    "paging.interval_ms" => ms(self.paging_interval),
                    "paging.timeout_ms" => ms(self.paging_timeout),
                    "telemetry.otlp_endpoint" => {
                        optional(self.telemetry_otlp_endpoint.as_deref().map(redact_url))
                    }
                    // Every key is listed above; a new one without a line shows as unknown here
                    // and fails `every_key_has_an_effective_value`.
                    _ => "?".into(),
                };
                let origin = self
                    .origins
                    .get(*key)
                    .cloned()
                    .unwrap_or_else(|| "default".into());
                (*key, value, origin)
            })
            .collect()
    }
}

/// A bad configuration value, named by its key and source.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid config: {key}: {message}")]
pub struct ConfigError {
    /// `INGOT_LISTEN`, `--listen`, or `ingot.toml: http.body_bytes_max`.
    pub key: String,
    pub message: String,
}

/// Values given on the command line; `None` when absent.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    pub config: Option<PathBuf>,
    pub listen: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub log_format: Option<String>,
}

/// Every key the file and the environment understand: (file key, environment variable).
const KEYS: &[(&str, &str)] = &[
    ("environment", "INGOT_ENVIRONMENT"),
    ("tls.termination", "INGOT_TLS_TERMINATION"),
    ("database.allow_sqlite", "INGOT_DATABASE_ALLOW_SQLITE"),
    ("listen", "INGOT_LISTEN"),
    ("data_dir", "INGOT_DATA_DIR"),
    ("database_url", "INGOT_DATABASE_URL"),
    ("redis_url", "INGOT_REDIS_URL"),
    ("log_format", "INGOT_LOG_FORMAT"),
    ("log_level", "INGOT_LOG_LEVEL"),
    ("http.body_bytes_max", "INGOT_HTTP_BODY_BYTES_MAX"),
    ("http.request_timeout_ms", "INGOT_HTTP_REQUEST_TIMEOUT_MS"),
    ("http.rate_limit_per_s", "INGOT_HTTP_RATE_LIMIT_PER_S"),
    ("http.rate_limit_burst", "INGOT_HTTP_RATE_LIMIT_BURST"),
    ("http.shutdown_grace_ms", "INGOT_HTTP_SHUTDOWN_GRACE_MS"),
    ("kyc.provider", "INGOT_KYC_PROVIDER"),
    ("kyc.webhook_secret", "INGOT_KYC_WEBHOOK_SECRET"),
    ("secret_key", "INGOT_SECRET_KEY"),
    ("demo_catalog", "INGOT_DEMO_CATALOG"),
    ("billing.test_provider", "INGOT_BILLING_TEST_PROVIDER"),
    ("billing.rating_interval_s", "INGOT_BILLING_RATING_INTERVAL_S"),
    ("billing.runway_hours", "INGOT_BILLING_RUNWAY_HOURS"),
    ("billing.grace_s", "INGOT_BILLING_GRACE_S"),
    ("payments.stripe.base_url", "INGOT_PAYMENTS_STRIPE_BASE_URL"),
    ("payments.stripe.api_key", "INGOT_PAYMENTS_STRIPE_API_KEY"),
    (
        "payments.stripe.webhook_secret",
        "INGOT_PAYMENTS_STRIPE_WEBHOOK_SECRET",
    ),
    ("payments.stripe.return_url", "INGOT_PAYMENTS_STRIPE_RETURN_URL"),
    ("maas.simulated", "INGOT_MAAS_SIMULATED"),
    ("maas.sim_machines", "INGOT_MAAS_SIM_MACHINES"),
    ("maas.onboarding_interval_s", "INGOT_MAAS_ONBOARDING_INTERVAL_S"),
    (
        "maas.deployments_interval_ms",
        "INGOT_MAAS_DEPLOYMENTS_INTERVAL_MS",
    ),
    ("maas.reconcile_interval_s", "INGOT_MAAS_RECONCILE_INTERVAL_S"),
    ("maas.images_interval_s", "INGOT_MAAS_IMAGES_INTERVAL_S"),
    (
        "allocation.lifecycle_interval_ms",
        "INGOT_ALLOCATION_LIFECYCLE_INTERVAL_MS",
    ),
    ("allocation.replacements_max", "INGOT_ALLOCATION_REPLACEMENTS_MAX"),
    (
        "read_models.follow_interval_ms",
        "INGOT_READ_MODELS_FOLLOW_INTERVAL_MS",
    ),
    ("read_models.cache_ttl_ms", "INGOT_READ_MODELS_CACHE_TTL_MS"),
    ("read_models.cache", "INGOT_READ_MODELS_CACHE"),
    (
        "webhooks.private_destinations",
        "INGOT_WEBHOOKS_PRIVATE_DESTINATIONS",
    ),
    ("webhooks.timeout_ms", "INGOT_WEBHOOKS_TIMEOUT_MS"),
    ("webhooks.attempts_max", "INGOT_WEBHOOKS_ATTEMPTS_MAX"),
    ("webhooks.interval_ms", "INGOT_WEBHOOKS_INTERVAL_MS"),
    ("alerts.interval_ms", "INGOT_ALERTS_INTERVAL_MS"),
    ("alerts.window_s", "INGOT_ALERTS_WINDOW_S"),
    ("alerts.drift_open", "INGOT_ALERTS_DRIFT_OPEN"),
    (
        "alerts.deploy_failure_rate_pct",
        "INGOT_ALERTS_DEPLOY_FAILURE_RATE_PCT",
    ),
    ("alerts.deploy_min_samples", "INGOT_ALERTS_DEPLOY_MIN_SAMPLES"),
    ("alerts.site_unreachable_s", "INGOT_ALERTS_SITE_UNREACHABLE_S"),
    ("alerts.balances_exhausted", "INGOT_ALERTS_BALANCES_EXHAUSTED"),
    ("alerts.login_failures", "INGOT_ALERTS_LOGIN_FAILURES"),
    ("alerts.consumer_lag_s", "INGOT_ALERTS_CONSUMER_LAG_S"),
    ("alerts.lease_expired_s", "INGOT_ALERTS_LEASE_EXPIRED_S"),
    ("paging.oncall_file", "INGOT_PAGING_ONCALL_FILE"),
    ("paging.pagerduty_url", "INGOT_PAGING_PAGERDUTY_URL"),
    ("paging.escalate_after_min", "INGOT_PAGING_ESCALATE_AFTER_MIN"),
    ("paging.interval_ms", "INGOT_PAGING_INTERVAL_MS"),
    ("paging.timeout_ms", "INGOT_PAGING_TIMEOUT_MS"),
    ("telemetry.otlp_endpoint", "INGOT_TELEMETRY_OTLP_ENDPOINT"),
];

/// Resolves the configuration from flags, the given environment and the config file they name.
pub fn config_load(flags: &Flags, env: &BTreeMap<String, String>) -> Result<Config, ConfigError> {
    let mut config = Config::default();
    let file = flags
        .config
        .clone()
        .or_else(|| env.get("INGOT_CONFIG").map(PathBuf::from));
    if let Some(path) = file {
        for (key, value) in file_values(&path)? {
            apply(&mut config, &key, &value, &format!("{}: {key}", path.display()))?;
        }
    }
    for (key, var) in KEYS {
        if let Some(value) = env.get(*var) {
            apply(&mut config, key, value, var)?;
        }
    }
    if let Some(value) = &flags.listen {
        apply(&mut config, "listen", value, "--listen")?;
    }
    if let Some(value) = &flags.data_dir {
        apply(&mut config, "data_dir", &value.to_string_lossy(), "--data-dir")?;
    }
    if let Some(value) = &flags.log_format {
        apply(&mut config, "log_format", value, "--log-format")?;
    }
    Ok(config)
}

/// The file's scalar values, flattened to dotted keys; unknown keys are errors.
fn file_values(path: &Path) -> Result<Vec<(String, String)>, ConfigError> {
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        key: origin.clone(),
        message: format!("cannot read the file: {e}"),
    })?;
    text_values(&text, &origin)
}

/// A configuration file's text alone, over the defaults (no environment, no flags): what
/// `config check` would say of it. The fuzz target `config` feeds it arbitrary text.
pub fn config_from_text(text: &str, origin: &str) -> Result<Config, ConfigError> {
    let mut config = Config::default();
    for (key, value) in text_values(text, origin)? {
        apply(&mut config, &key, &value, &format!("{origin}: {key}"))?;
    }
    Ok(config)
}

fn text_values(text: &str, origin: &str) -> Result<Vec<(String, String)>, ConfigError> {
    let origin = origin.to_string();
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let line = e.span().map(|span| text[..span.start].lines().count().max(1));
        let message = e.message().replace('\n', " ");
        ConfigError {
            key: origin.clone(),
            message: match line {
                Some(line) => format!("line {line}: {message}"),
                None => message,
            },
        }
    })?;
    let mut values = Vec::new();
    flatten(&table, "", &mut values, &origin)?;
    Ok(values)
}

fn flatten(
    table: &toml::Table,
    prefix: &str,
    out: &mut Vec<(String, String)>,
    origin: &str,
) -> Result<(), ConfigError> {
    for (name, value) in table {
        let key = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        match value {
            toml::Value::Table(inner) if KEYS.iter().any(|(k, _)| k.starts_with(&format!("{key}."))) => {
                flatten(inner, &key, out, origin)?;
            }
            _ if !KEYS.iter().any(|(k, _)| *k == key) => {
                return Err(ConfigError {
                    key: format!("{origin}: {key}"),
                    message: "unknown key".into(),
                });
            }
            toml::Value::String(text) => out.push((key, text.clone())),
            toml::Value::Integer(n) => out.push((key, n.to_string())),
            other => {
                return Err(ConfigError {
                    key: format!("{origin}: {key}"),
                    message: format!("expected a string or an integer, found {}", other.type_str()),
                });
            }
        }
    }
    Ok(())
}

fn apply(config: &mut Config, key: &str, value: &str, origin: &str) -> Result<(), ConfigError> {
    let bad = |message: String| ConfigError {
        key: origin.to_string(),
        message,
    };
    let number = |value: &str| -> Result<u64, ConfigError> {
        value
            .trim()
            .parse::<u64>()
            .map_err(|_| bad(format!("expected a non-negative integer, got {value:?}")))
    };
    let flag = |value: &str| -> Result<bool, ConfigError> {
        match value {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(bad(format!("expected true or false, got {value:?}"))),
        }
    };
    config.origins.insert(key.to_string(), origin.to_string());
    match key {
        "environment" => {
            config.environment = match value {
                "dev" => Environment::Dev,
                "staging" => Environment::Staging,
                "prod" => Environment::Prod,
                _ => return Err(bad(format!("expected dev, staging or prod, got {value:?}"))),
            };
        }
        "tls.termination" => {
            if value != "proxy" {
                return Err(bad(format!(
                    "expected proxy (TLS ends at a load balancer or ingress in front), got {value:?}"
                )));
            }
            config.tls_termination = Some(value.to_string());
        }
        "database.allow_sqlite" => config.database_allow_sqlite = flag(value)?,
        "listen" => {
            config.listen = value.parse().map_err(|_| {
                bad(format!(
                    "expected an address such as 127.0.0.1:8080, got {value:?}"
                ))
            })?;
        }
        "data_dir" => {
            if value.is_empty() {
                return Err(bad("must not be empty".into()));
            }
            config.data_dir = PathBuf::from(value);
        }
        "database_url" => {
            if !(value.starts_with("postgres://")
                || value.starts_with("postgresql://")
                || value.starts_with("sqlite:"))
            {
                return Err(bad("expected postgres://… or sqlite:…".into()));
            }
            config.database_url = Some(value.to_string());
        }
        "redis_url" => {
            if !(value.starts_with("redis://") || value.starts_with("rediss://")) {
                return Err(bad("expected redis://…".into()));
            }
            config.redis_url = Some(value.to_string());
        }
        "log_format" => {
            config.log_format = match value {
                "text" => LogFormat::Text,
                "json" => LogFormat::Json,
                _ => return Err(bad(format!("expected text or json, got {value:?}"))),
            };
        }
        "log_level" => {
            if value.trim().is_empty() {
                return Err(bad("must not be empty".into()));
            }
            config.log_level = value.to_string();
        }
        "http.body_bytes_max" => {
            let n = number(value)?;
            if !(1_024..=64 * 1024 * 1024).contains(&n) {
                return Err(bad("must be between 1024 and 67108864".into()));
            }
            config.http.body_bytes_max = n as usize;
        }
        "http.request_timeout_ms" => {
            let n = number(value)?;
            if !(100..=3_600_000).contains(&n) {
                return Err(bad("must be between 100 and 3600000".into()));
            }
            config.http.request_timeout = Duration::from_millis(n);
        }
        "http.rate_limit_per_s" => {
            config.http.rate_limit_per_s =
                u32::try_from(number(value)?).map_err(|_| bad("is too large".into()))?;
        }
        "http.rate_limit_burst" => {
            config.http.rate_limit_burst =
                u32::try_from(number(value)?).map_err(|_| bad("is too large".into()))?;
        }
        "http.shutdown_grace_ms" => config.http.shutdown_grace = Duration::from_millis(number(value)?),
        "kyc.provider" => {
            if value.is_empty()
                || !value
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            {
                return Err(bad("must be lowercase letters, digits and dashes".into()));
            }
            config.kyc_provider = value.to_string();
        }
        "secret_key" => {
            if ingot_kernel::crypto::SecretBox::from_base64(value).is_err() {
                return Err(bad(
                    "must be 32 random bytes, base64-encoded (openssl rand -base64 32)".into(),
                ));
            }
            config.secret_key = Some(value.to_string());
        }
        "demo_catalog" => config.demo_catalog = Some(flag(value)?),
        "billing.test_provider" => config.billing_test_provider = Some(flag(value)?),
        "payments.stripe.base_url" => {
            if !(value.starts_with("http://") || value.starts_with("https://")) {
                return Err(bad("expected http(s)://…".into()));
            }
            config.stripe_base_url = value.trim_end_matches('/').to_string();
        }
        "payments.stripe.api_key" => {
            if value.trim().is_empty() {
                return Err(bad("must not be empty".into()));
            }
            config.stripe_api_key = Some(value.to_string());
        }
        "payments.stripe.webhook_secret" => {
            if value.len() < 16 {
                return Err(bad("must be at least 16 characters".into()));
            }
            config.stripe_webhook_secret = Some(value.to_string());
        }
        "payments.stripe.return_url" => {
            if !(value.starts_with("http://") || value.starts_with("https://")) {
                return Err(bad("expected http(s)://…".into()));
            }
            config.stripe_return_url = value.to_string();
        }
        "billing.runway_hours" => {
            let n = number(value)?;
            if !(1..=720).contains(&n) {
                return Err(bad("must be between 1 and 720".into()));
            }
            config.billing_runway_hours = u32::try_from(n).map_err(|_| bad("is too large".into()))?;
        }
        "billing.grace_s" => config.billing_grace = Duration::from_secs(number(value)?),
        "billing.rating_interval_s" => {
            let n = number(value)?;
            if !(1..=3_600).contains(&n) {
                return Err(bad("must be between 1 and 3600".into()));
            }
            config.billing_rating_interval = Duration::from_secs(n);
        }
        "maas.simulated" => config.maas_simulated = Some(flag(value)?),
        "maas.sim_machines" => {
            let n = number(value)?;
            if n > 10_000 {
                return Err(bad("must be at most 10000".into()));
            }
            config.maas_sim_machines = usize::try_from(n).map_err(|_| bad("is too large".into()))?;
        }
        "allocation.lifecycle_interval_ms" => {
            let n = number(value)?;
            if !(50..=600_000).contains(&n) {
                return Err(bad("must be between 50 and 600000".into()));
            }
            config.allocation_lifecycle_interval = Duration::from_millis(n);
        }
        "read_models.follow_interval_ms" => {
            let n = number(value)?;
            if !(20..=600_000).contains(&n) {
                return Err(bad("must be between 20 and 600000".into()));
            }
            config.read_models_follow_interval = Duration::from_millis(n);
        }
        "read_models.cache" => config.read_models_cache = flag(value)?,
        "webhooks.private_destinations" => config.webhooks_private_destinations = Some(flag(value)?),
        "webhooks.timeout_ms" => {
            let n = number(value)?;
            if !(100..=60_000).contains(&n) {
                return Err(bad("must be between 100 and 60000".into()));
            }
            config.webhooks_timeout = Duration::from_millis(n);
        }
        "webhooks.attempts_max" => {
            let n = number(value)?;
            if !(1..=50).contains(&n) {
                return Err(bad("must be between 1 and 50".into()));
            }
            config.webhooks_attempts_max = u32::try_from(n).map_err(|_| bad("too large".into()))?;
        }
        "webhooks.interval_ms" => {
            let n = number(value)?;
            if !(50..=600_000).contains(&n) {
                return Err(bad("must be between 50 and 600000".into()));
            }
            config.webhooks_interval = Duration::from_millis(n);
        }
        "alerts.interval_ms" => {
            let n = number(value)?;
            if !(50..=3_600_000).contains(&n) {
                return Err(bad("must be between 50 and 3600000".into()));
            }
            config.alerts_interval = Duration::from_millis(n);
        }
        "alerts.window_s" => {
            let n = number(value)?;
            if !(60..=86_400).contains(&n) {
                return Err(bad("must be between 60 and 86400".into()));
            }
            config.alerts_window = Duration::from_secs(n);
        }
        "alerts.drift_open"
        | "alerts.site_unreachable_s"
        | "alerts.balances_exhausted"
        | "alerts.login_failures"
        | "alerts.consumer_lag_s"
        | "alerts.lease_expired_s" => {
            let n = number(value)?;
            if !(1..=1_000_000).contains(&n) {
                return Err(bad("must be between 1 and 1000000".into()));
            }
            let t = &mut config.alerts_thresholds;
            let slot = match key {
                "alerts.drift_open" => &mut t.drift_open,
                "alerts.site_unreachable_s" => &mut t.site_unreachable_s,
                "alerts.balances_exhausted" => &mut t.balances_exhausted,
                "alerts.login_failures" => &mut t.login_failures,
                "alerts.consumer_lag_s" => &mut t.consumer_lag_s,
                _ => &mut t.lease_expired_s,
            };
            *slot = n as f64;
        }
        "alerts.deploy_failure_rate_pct" => {
            let n = number(value)?;
            if !(1..=100).contains(&n) {
                return Err(bad("must be between 1 and 100".into()));
            }
            config.alerts_thresholds.deploy_failure_rate = n as f64 / 100.0;
        }
        "alerts.deploy_min_samples" => {
            let n = number(value)?;
            if !(1..=10_000).contains(&n) {
                return Err(bad("must be between 1 and 10000".into()));
            }
            config.alerts_thresholds.deploy_min_samples = n;
        }
        "paging.oncall_file" => {
            if value.trim().is_empty() {
                return Err(bad("must not be empty".into()));
            }
            config.paging_oncall_file = Some(PathBuf::from(value));
        }
        "paging.pagerduty_url" => {
            if !(value.starts_with("http://") || value.starts_with("https://")) {
                return Err(bad("expected http(s)://…".into()));
            }
            config.paging_pagerduty_url = value.to_string();
        }
        "paging.escalate_after_min" => {
            let n = number(value)?;
            if !(1..=10_080).contains(&n) {
                return Err(bad("must be between 1 and 10080".into()));
            }
            config.paging_escalate_after = Some(Duration::from_secs(n * 60));
        }
        "paging.interval_ms" => {
            let n = number(value)?;
            if !(50..=600_000).contains(&n) {
                return Err(bad("must be between 50 and 600000".into()));
            }
            config.paging_interval = Duration::from_millis(n);
        }
        "telemetry.otlp_endpoint" => {
            if !(value.starts_with("http://") || value.starts_with("https://")) {
                return Err(bad(
                    "expected http(s)://… (an OTLP/HTTP collector, such as http://collector:4318)".into(),
                ));
            }
            config.telemetry_otlp_endpoint = Some(value.trim_end_matches('/').to_string());
        }
        "paging.timeout_ms" => {
            let n = number(value)?;
            if !(100..=60_000).contains(&n) {
                return Err(bad("must be between 100 and 60000".into()));
            }
            config.paging_timeout = Duration::from_millis(n);
        }
        "read_models.cache_ttl_ms" => {
            let n = number(value)?;
            if !(1..=3_600_000).contains(&n) {
                return Err(bad("must be between 1 and 3600000".into()));
            }
            config.read_models_cache_ttl = Duration::from_millis(n);
        }
        "allocation.replacements_max" => {
            let n = number(value)?;
            if n > 100 {
                return Err(bad("must be at most 100".into()));
            }
            config.allocation_replacements_max = u32::try_from(n).map_err(|_| bad("is too large".into()))?;
        }
        "maas.deployments_interval_ms" => {
            let n = number(value)?;
            if !(50..=600_000).contains(&n) {
                return Err(bad("must be between 50 and 600000".into()));
            }
            config.maas_deployments_interval = Duration::from_millis(n);
        }
        "maas.reconcile_interval_s" => {
            let n = number(value)?;
            if !(1..=86_400).contains(&n) {
                return Err(bad("must be between 1 and 86400".into()));
            }
            config.maas_reconcile_interval = Duration::from_secs(n);
        }
        "maas.images_interval_s" => {
            let n = number(value)?;
            if !(1..=86_400).contains(&n) {
                return Err(bad("must be between 1 and 86400".into()));
            }
            config.maas_images_interval = Duration::from_secs(n);
        }
        "maas.onboarding_interval_s" => {
            let n = number(value)?;
            if !(1..=3_600).contains(&n) {
                return Err(bad("must be between 1 and 3600".into()));
            }
            config.maas_onboarding_interval = Duration::from_secs(n);
        }
        "kyc.webhook_secret" => {
            if value.len() < 16 {
                return Err(bad("must be at least 16 characters".into()));
            }
            config.kyc_webhook_secret = Some(value.to_string());
        }
        _ => return Err(bad("unknown key".into())),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn write_config(text: &str) -> PathBuf {
        let path = std::env::temp_dir().join(format!("ingot-config-{}.toml", ingot_kernel::id::new_ulid()));
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn defaults_need_nothing() {
        let config = config_load(&Flags::default(), &BTreeMap::new()).unwrap();
        assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(config.sqlite_path(), PathBuf::from("./ingot-data/ingot.db"));
        assert_eq!(config.database_url, None);
    }

    #[test]
    fn flags_beat_env_beat_file() {
        let path = write_config(
            "listen = \"127.0.0.1:1000\"\nlog_level = \"debug\"\n[http]\nbody_bytes_max = 4096\n",
        );
        let flags = Flags {
            config: Some(path),
            listen: Some("127.0.0.1:3000".into()),
            ..Flags::default()
        };
        let config = config_load(
            &flags,
            &env(&[("INGOT_LISTEN", "127.0.0.1:2000"), ("INGOT_LOG_LEVEL", "warn")]),
        )
        .unwrap();
        assert_eq!(config.listen.to_string(), "127.0.0.1:3000");
        assert_eq!(config.log_level, "warn");
        assert_eq!(config.http.body_bytes_max, 4096);
    }

    #[test]
    fn errors_name_the_key_and_its_source() {
        let err = config_load(&Flags::default(), &env(&[("INGOT_LISTEN", "nowhere")])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid config: INGOT_LISTEN: expected an address such as 127.0.0.1:8080, got \"nowhere\""
        );
        let path = write_config("[http]\nbody_bytez_max = 1\n");
        let err = config_load(
            &Flags {
                config: Some(path.clone()),
                ..Flags::default()
            },
            &BTreeMap::new(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "invalid config: {}: http.body_bytez_max: unknown key",
                path.display()
            )
        );
        let path = write_config("[http]\nrequest_timeout_ms = \"soon\"\n");
        let err = config_load(
            &Flags {
                config: Some(path.clone()),
                ..Flags::default()
            },
            &BTreeMap::new(),
        )
        .unwrap_err();
        assert_eq!(err.key, format!("{}: http.request_timeout_ms", path.display()));
        let err = config_load(
            &Flags {
                log_format: Some("xml".into()),
                ..Flags::default()
            },
            &BTreeMap::new(),
        )
        .unwrap_err();
        assert_eq!(err.key, "--log-format");
        let path = write_config("listen = \n");
        let err = config_load(
            &Flags {
                config: Some(path),
                ..Flags::default()
            },
            &BTreeMap::new(),
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("line 1") && !err.to_string().contains('\n'),
            "{err}"
        );
    }

    #[test]
    fn every_key_has_an_effective_value_and_secrets_are_redacted() {
        let config = config_load(
            &Flags::default(),
            &env(&[
                ("INGOT_DATABASE_URL", "postgres://ingot:s3cret@db:5432/ingot"),
                ("INGOT_KYC_WEBHOOK_SECRET", "kyc-secret-0123456789"),
                ("INGOT_SECRET_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
            ]),
        )
        .unwrap();
        let effective = config.effective();
        assert_eq!(effective.len(), KEYS.len());
        for (key, value, _) in &effective {
            assert_ne!(value, "?", "{key} has no effective value");
        }
        let shown = format!("{effective:?}");
        assert!(
            !shown.contains("s3cret") && !shown.contains("kyc-secret") && !shown.contains("AAAA"),
            "{shown}"
        );
        let origin = |key: &str| effective.iter().find(|(k, _, _)| *k == key).unwrap().2.clone();
        assert_eq!(origin("database_url"), "INGOT_DATABASE_URL");
        assert_eq!(origin("listen"), "default");
    }

    #[test]
    fn prod_refuses_what_is_unsafe_there_and_dev_nothing() {
        assert!(Config::default().environment_problems().is_empty());
        let prod = config_load(&Flags::default(), &env(&[("INGOT_ENVIRONMENT", "prod")])).unwrap();
        let problems = prod.environment_problems().join("\n");
        for key in [
            "secret_key:",
            "tls.termination:",
            "database_url:",
            "maas.simulated:",
            "billing.test_provider:",
            "demo_catalog:",
            "webhooks.private_destinations:",
        ] {
            assert!(problems.contains(key), "{key} not refused:\n{problems}");
        }
        let ready = config_load(
            &Flags::default(),
            &env(&[
                ("INGOT_ENVIRONMENT", "prod"),
                ("INGOT_DATABASE_URL", "postgres://ingot@db/ingot"),
                ("INGOT_SECRET_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
                ("INGOT_TLS_TERMINATION", "proxy"),
            ]),
        )
        .unwrap();
        assert_eq!(ready.environment_problems(), Vec::<String>::new());
        // An example secret is refused; SQLite only when allowed; staging allows the simulator.
        let mut example = ready.clone();
        example.kyc_webhook_secret = Some("REPLACE-ME-0123456789".into());
        assert!(example.environment_problems()[0].starts_with("kyc.webhook_secret:"));
        let mut sqlite = ready.clone();
        sqlite.database_url = None;
        sqlite.maas_simulated = Some(false);
        sqlite.demo_catalog = Some(false);
        sqlite.billing_test_provider = Some(false);
        sqlite.webhooks_private_destinations = Some(false);
        assert!(sqlite.environment_problems()[0].starts_with("database_url:"));
        sqlite.database_allow_sqlite = true;
        assert!(sqlite.environment_problems().is_empty());
        let staging = Config {
            environment: Environment::Staging,
            database_url: None,
            ..ready
        };
        assert!(
            staging.environment_problems().is_empty(),
            "{:?}",
            staging.environment_problems()
        );
        let err = config_load(&Flags::default(), &env(&[("INGOT_ENVIRONMENT", "production")])).unwrap_err();
        assert_eq!(err.key, "INGOT_ENVIRONMENT");
    }

    #[test]
    fn secrets_in_query_strings_are_redacted_too() {
        assert_eq!(
            redact_url("postgres://u@db/ingot?sslmode=require&password=hunter2"),
            "postgres://u@db/ingot?sslmode=require&password=***"
        );
        assert_eq!(redact_url("redis://r:6379"), "redis://r:6379");
    }

    #[test]
    fn secrets_in_urls_never_print() {
        let config = config_load(
            &Flags::default(),
            &env(&[
                ("INGOT_DATABASE_URL", "postgres://ingot:s3cret@db:5432/ingot"),
                ("INGOT_REDIS_URL", "redis://:pw@r:6379"),
            ]),
        )
        .unwrap();
        let shown = format!("{config:?}");
        assert!(!shown.contains("s3cret") && !shown.contains(":pw@"), "{shown}");
        assert!(shown.contains("postgres://ingot:***@db:5432/ingot"), "{shown}");
    }
}
