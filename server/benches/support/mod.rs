//! What every benchmark shares: a timed closed-loop load generator, the axum hello-world
//! baseline measured in the same run, an embedded-default ingotd to measure against, the fleet
//! size knob, and the machine-readable report `cargo xtask bench` turns into BENCHMARKS.md.

// Each benchmark compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ingotd::config::Config;
use ingotd::{Seams, app_build, app_serve};

/// How long each phase runs, with how many concurrent clients.
#[derive(Debug, Clone, Copy)]
pub struct Run {
    pub seconds: f64,
    pub clients: usize,
}

impl Run {
    /// Real figures under `cargo bench`; a short smoke run under `cargo test --all-targets`.
    pub fn from_args() -> Run {
        if std::env::args().any(|a| a == "--bench") {
            Run {
                seconds: 10.0,
                clients: 16,
            }
        } else {
            Run {
                seconds: 0.2,
                clients: 2,
            }
        }
    }
}

/// The fleet size a run uses: `INGOT_BENCH_FLEET` when set (`cargo xtask bench` sets it once per
/// fleet size), else the bench's own `default`.
pub fn fleet(default: usize) -> usize {
    match std::env::var("INGOT_BENCH_FLEET") {
        Ok(n) => n
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("INGOT_BENCH_FLEET={n} is not a node count")),
        Err(_) => default,
    }
}

/// One measured figure, as BENCHMARKS.md shows it: the value, the baseline measured in the same
/// run (and their ratio), and performance.md's target where it names one. Whether the target is
/// met is worked out here, where the whole measurement is known, and is only ever reported.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Figure {
    /// The scenario as performance.md or the domain's issue names it.
    pub scenario: String,
    pub measure: String,
    pub value: f64,
    pub unit: String,
    pub baseline: Option<String>,
    pub baseline_value: Option<f64>,
    /// `value ÷ baseline_value`.
    pub ratio: Option<f64>,
    /// performance.md's wording of the target.
    pub target: Option<String>,
    pub met: Option<bool>,
    /// Nodes or machines in the fleet the figure was measured on.
    pub fleet: Option<usize>,
    pub notes: Vec<String>,
}

impl Figure {
    pub fn new(scenario: &str, measure: &str, value: f64, unit: &str) -> Figure {
        Figure {
            scenario: scenario.into(),
            measure: measure.into(),
            value,
            unit: unit.into(),
            ..Figure::default()
        }
    }

    pub fn baseline(mut self, name: &str, value: f64) -> Figure {
        self.baseline = Some(name.into());
        self.baseline_value = Some(value);
        self.ratio = (value > 0.0).then(|| self.value / value);
        self
    }

    pub fn target(mut self, text: &str, met: bool) -> Figure {
        self.target = Some(text.into());
        self.met = Some(met);
        self
    }

    pub fn fleet(mut self, nodes: usize) -> Figure {
        self.fleet = Some(nodes);
        self
    }

    pub fn note(mut self, text: impl Into<String>) -> Figure {
        self.notes.push(text.into());
        self
    }
}

static FIGURES: Mutex<Vec<Figure>> = Mutex::new(Vec::new());

/// Keeps `figure` for [`report_write`]; the bench still prints its own lines for people.
pub fn record(figure: Figure) {
    FIGURES.lock().unwrap().push(figure);
}

/// Writes every recorded figure as a JSON array to the file `INGOT_BENCH_REPORT` names, if any.
/// Called once, at the end of a bench's `main`.
pub fn report_write() {
    let Ok(path) = std::env::var("INGOT_BENCH_REPORT") else {
        return;
    };
    let path = PathBuf::from(path);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    let figures = FIGURES.lock().unwrap();
    std::fs::write(&path, serde_json::to_string_pretty(&*figures).unwrap()).unwrap();
}

/// Runs `work` from `clients` loops for the run's duration; returns successes per second.
pub async fn count_for<F, Fut>(run: &Run, clients: usize, stop_early: Option<Arc<AtomicBool>>, work: F) -> f64
where
    F: Fn() -> Fut + Send + Sync + Clone + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let done = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs_f64(run.seconds);
    let mut handles = Vec::new();
    for _ in 0..clients {
        let (work, done, stop) = (work.clone(), done.clone(), stop_early.clone());
        handles.push(tokio::spawn(async move {
            while Instant::now() < deadline && !stop.as_ref().is_some_and(|s| s.load(Ordering::Relaxed)) {
                if work().await {
                    done.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    let started = Instant::now();
    for handle in handles {
        handle.await.unwrap();
    }
    done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
}

/// The `p` quantile (0 to 1) of latencies sorted ascending; zero when there are none.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

/// Requests per second an axum hello-world serves on this machine to the same client.
pub async fn hello_world_rps(run: &Run) -> f64 {
    let hello = axum::Router::new().route("/", axum::routing::get(|| async { "hello" }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, hello).await.unwrap() });
    let http = ingot_kernel::outbound::client_builder()
        .pool_max_idle_per_host(64)
        .build()
        .unwrap();
    count_for(run, run.clients, None, move || {
        let (http, url) = (http.clone(), url.clone());
        async move { http.get(&url).send().await.is_ok_and(|r| r.status().is_success()) }
    })
    .await
}

/// ingotd on the embedded default (SQLite, demo catalog) with rate limiting off for a
/// single-source load, built but not yet serving; with its data dir (remove it when done) and a
/// platform admin token.
pub async fn embedded_app() -> (ingotd::App, PathBuf, String) {
    let data_dir = std::env::temp_dir().join(format!("ingot-bench-{}", ingot_kernel::id::new_ulid()));
    let mut config = Config {
        data_dir: data_dir.clone(),
        ..Config::default()
    };
    config.http.rate_limit_per_s = 0;
    config.log_level = "error".into();
    let app = app_build(config, Seams::default()).await.unwrap();
    let admin_token = app.iam.bootstrap_admin("bench-admin@example.com").await.unwrap();
    (app, data_dir, admin_token)
}

/// Serves `app` on 127.0.0.1:0 in the background; returns its base URL.
pub async fn serve(app: ingotd::App) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(app_serve(app, listener, std::future::pending()));
    base
}

/// A server [`serve_stoppable`] started.
pub struct Serving {
    stop: tokio::sync::oneshot::Sender<()>,
    served: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Serving {
    /// Stops it and waits until it has (controllers included).
    pub async fn stop(self) {
        let _ = self.stop.send(());
        self.served.await.unwrap().unwrap();
    }
}

/// [`serve`], for a run that starts another server on the same data afterwards.
pub async fn serve_stoppable(app: ingotd::App) -> (String, Serving) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let served = tokio::spawn(app_serve(app, listener, async move {
        let _ = stopped.await;
    }));
    (base, Serving { stop, served })
}

/// [`embedded_app`], serving.
pub async fn embedded_app_spawn() -> (String, PathBuf, String) {
    let (app, data_dir, admin_token) = embedded_app().await;
    (serve(app).await, data_dir, admin_token)
}
