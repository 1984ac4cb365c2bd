//! The embedded default as a new user meets it: the built `ingotd serve` with no configuration,
//! timed from spawn to its first `/readyz` 200 on an empty data dir (cold start: key, schema,
//! demo catalog, simulated region) and again on the same data (warm start), and its resident
//! memory after a few seconds idle (performance.md: < 1 s; < 60 MiB). Medians of 3 starts.
//!
//! It runs the binary cargo built beside the bench (`CARGO_BIN_EXE_ingotd`): the release build
//! under `cargo bench -p ingotd --bench embedded`, the debug one when `cargo test` smoke-runs it.

// A benchmark reports; it does not assert. Failures to set up are fatal.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

mod support;

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use support::{Figure, record, report_write};

/// Longer than any start-up; past it the run fails rather than waiting forever.
const READY_WITHIN: Duration = Duration::from_secs(60);

struct Started {
    child: tokio::process::Child,
    ready_after: Duration,
}

/// Spawns `ingotd serve` on `data_dir` and waits for `/readyz` to answer 200.
async fn start(data_dir: &Path) -> Started {
    // Taken and released at once: another process could grab the port in between, which would
    // fail the run loudly, never skew it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_ingotd"));
    // The embedded default means no configuration: none of the caller's INGOT_* settings.
    for (key, _) in std::env::vars().filter(|(k, _)| k.starts_with("INGOT_")) {
        command.env_remove(key);
    }
    command
        .arg("serve")
        .arg("--data-dir")
        .arg(data_dir)
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true);
    let http = ingot_kernel::outbound::client_builder().build().unwrap();
    let url = format!("http://127.0.0.1:{port}/readyz");
    let started = Instant::now();
    let mut child = command.spawn().unwrap();
    let mut tick = tokio::time::interval(Duration::from_millis(5));
    loop {
        tick.tick().await;
        if http.get(&url).send().await.is_ok_and(|r| r.status().is_success()) {
            break;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("ingotd serve exited before it was ready: {status}");
        }
        assert!(
            started.elapsed() < READY_WITHIN,
            "ingotd serve not ready within {READY_WITHIN:?}"
        );
    }
    Started {
        ready_after: started.elapsed(),
        child,
    }
}

/// Stops it the way an operator would (SIGTERM), and waits until it has.
async fn stop(mut child: tokio::process::Child) {
    let pid = child.id().expect("still running").to_string();
    let _ = std::process::Command::new("kill").args(["-TERM", &pid]).status();
    if tokio::time::timeout(READY_WITHIN, child.wait()).await.is_err() {
        child.kill().await.unwrap();
    }
}

/// A process's resident memory in MiB (Linux), read from /proc.
fn rss_mib(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

#[tokio::main]
async fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let (starts, idle) = if bench {
        (3, Duration::from_secs(5))
    } else {
        (1, Duration::from_secs(1))
    };
    let (mut cold, mut warm, mut rss) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..starts {
        let data_dir = std::env::temp_dir().join(format!("ingot-bench-{}", ingot_kernel::id::new_ulid()));
        let started = start(&data_dir).await;
        cold.push(started.ready_after.as_secs_f64() * 1e3);
        let mut tick = tokio::time::interval(idle);
        tick.tick().await;
        tick.tick().await;
        rss.push(rss_mib(started.child.id().expect("still running")));
        stop(started.child).await;
        let started = start(&data_dir).await;
        warm.push(started.ready_after.as_secs_f64() * 1e3);
        stop(started.child).await;
        let _ = std::fs::remove_dir_all(&data_dir);
    }
    let list = |values: &[f64], unit: &str| {
        values
            .iter()
            .map(|v| format!("{v:.0} {unit}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (cold_ms, warm_ms, idle_mib) = (median(cold.clone()), median(warm.clone()), median(rss.clone()));
    println!(
        "embedded default (`ingotd serve`, no configuration): cold start to /readyz {cold_ms:.0} ms, \
         warm start {warm_ms:.0} ms, RSS after {} s idle {:.1} MiB (median of {starts})",
        idle.as_secs(),
        idle_mib
    );
    let scenario = "embedded default";
    // `--bench` picks the run's length, not the build: `cargo xtask bench --quick` smoke-runs the
    // release binary.
    let binary = if cfg!(debug_assertions) {
        "debug build"
    } else {
        "release build"
    };
    record(
        Figure::new(scenario, "cold start to /readyz 200 (empty data dir)", cold_ms, "ms")
            .target("< 1 s", cold_ms < 1_000.0)
            .note(format!("median of {starts}: {}", list(&cold, "ms")))
            .note(format!(
                "{binary}; the binary is in the page cache, the data dir is new (key, schema, demo catalog, simulated region)"
            )),
    );
    record(
        Figure::new(
            scenario,
            "warm start to /readyz 200 (same data dir)",
            warm_ms,
            "ms",
        )
        .note(format!("median of {starts}: {}", list(&warm, "ms")))
        .note(binary),
    );
    record(
        Figure::new(
            scenario,
            &format!("RSS after {} s idle", idle.as_secs()),
            idle_mib,
            "MiB",
        )
        .target("< 60 MiB", idle_mib < 60.0)
        .note(format!("median of {starts}: {}", list(&rss, "MiB")))
        .note(format!(
            "{binary}; includes the in-process simulated MAAS region and the controllers"
        )),
    );
    report_write();
}
