//! Logs (text or JSON lines) and the Prometheus recorder. Secrets never reach either: types that
//! hold them redact themselves in Debug.

use std::sync::OnceLock;

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Installs the global log subscriber; later calls (tests spawning many apps) are no-ops.
pub fn logging_init(format: LogFormat, level: &str) {
    let _ = subscriber_init(format, level, None);
}

/// Trace export to an OpenTelemetry collector, when configured; flushed by [`Tracing::shutdown`].
pub struct Tracing {
    provider: Option<opentelemetry_sdk::trace::SdkTracerProvider>,
}

impl Tracing {
    /// Sends the spans still batched and stops the exporter (on the way out of `serve`).
    pub fn shutdown(self) {
        if let Some(provider) = self.provider
            && let Err(err) = provider.shutdown()
        {
            tracing::warn!(error = %err, "trace export did not shut down cleanly");
        }
    }
}

/// The log subscriber, and with `otlp_endpoint` (`http://collector:4318`) every span exported
/// over OTLP/HTTP (JSON) as well.
pub fn tracing_init(format: LogFormat, level: &str, otlp_endpoint: Option<&str>) -> Result<Tracing, String> {
    subscriber_init(format, level, otlp_endpoint)
}

fn subscriber_init(format: LogFormat, level: &str, otlp_endpoint: Option<&str>) -> Result<Tracing, String> {
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;
    let filter = EnvFilter::try_new(level).unwrap_or_else(|_| EnvFilter::new("info"));
    let fmt = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let fmt: Box<dyn tracing_subscriber::Layer<_> + Send + Sync> = match format {
        LogFormat::Json => Box::new(fmt.json().flatten_event(true).with_current_span(true)),
        LogFormat::Text => Box::new(fmt.with_ansi(false)),
    };
    let (otel, provider) = match otlp_endpoint {
        Some(endpoint) => {
            let (layer, provider) = otlp_layer(endpoint)?;
            (Some(layer), Some(provider))
        }
        None => (None, None),
    };
    let _already_set = tracing_subscriber::registry()
        .with(otel)
        .with(fmt)
        .with(filter)
        .try_init();
    Ok(Tracing { provider })
}

type OtelLayer =
    tracing_opentelemetry::OpenTelemetryLayer<tracing_subscriber::Registry, opentelemetry_sdk::trace::Tracer>;

fn otlp_layer(endpoint: &str) -> Result<(OtelLayer, opentelemetry_sdk::trace::SdkTracerProvider), String> {
    use opentelemetry::trace::TracerProvider as _;
    use opentelemetry_otlp::{WithExportConfig as _, WithHttpConfig as _};
    // The exporter's own thread sends with a blocking client: built here, after the kernel has
    // installed the TLS provider every client of ours uses.
    // A blocking client runs a runtime of its own, which must not be made (or dropped) on one of
    // the server's async threads: it is built on a thread of its own.
    let _ = ingot_kernel::outbound::client_builder();
    let http = std::thread::spawn(|| {
        reqwest::blocking::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .build()
    })
    .join()
    .map_err(|_| "telemetry.otlp_endpoint: the HTTP client could not be built".to_string())?
    .map_err(|e| format!("telemetry.otlp_endpoint: {e}"))?;
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_http_client(http)
        .with_protocol(opentelemetry_otlp::Protocol::HttpJson)
        .with_endpoint(format!("{}/v1/traces", endpoint.trim_end_matches('/')))
        .build()
        .map_err(|e| format!("telemetry.otlp_endpoint: {e}"))?;
    let resource = opentelemetry_sdk::Resource::builder()
        .with_service_name("ingotd")
        .with_attribute(opentelemetry::KeyValue::new("service.version", crate::VERSION))
        .build();
    let provider = opentelemetry_sdk::trace::SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(resource)
        .build();
    let layer = tracing_opentelemetry::layer().with_tracer(provider.tracer("ingotd"));
    Ok((layer, provider))
}

/// For tests: warnings and errors through libtest's capture, shown only for failing tests.
pub fn logging_init_for_tests() {
    let _already_set = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new("warn"))
        .with_test_writer()
        .with_ansi(false)
        .try_init();
}

static METRICS: OnceLock<PrometheusHandle> = OnceLock::new();

/// Latency buckets in seconds: sub-millisecond reads through multi-second MAAS calls.
const LATENCY_BUCKETS_S: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The process-wide metrics recorder (metrics' recorder is global, so one per process).
pub fn metrics_handle() -> PrometheusHandle {
    METRICS
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets(LATENCY_BUCKETS_S)
                .expect("the bucket list is non-empty");
            match builder.install_recorder() {
                Ok(handle) => handle,
                // Another recorder is already global (an embedding test harness): keep ours local.
                Err(_) => PrometheusBuilder::new().build_recorder().handle(),
            }
        })
        .clone()
}
