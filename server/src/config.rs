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
#[derive(Clone, PartialEq, Eq)]
pub struct Config {
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
}

impl fmt::Debug for Config {
    // URLs may carry passwords: never print them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
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
            .finish()
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl Default for Config {
    fn default() -> Config {
        Config {
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
    match key {
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
