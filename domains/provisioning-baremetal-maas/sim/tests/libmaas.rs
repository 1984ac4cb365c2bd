//! Faithfulness: MAAS's official Python client (python-libmaas, from PyPI, unchanged) connects
//! to the simulator, lists machines, allocates, deploys and releases — once polling itself, once
//! with the library's own `wait=True` — and the simulator's state agrees afterwards.
//!
//! The client is installed by `.ci/libmaas.sh` (which `cargo xtask test` runs) into
//! `.venv-libmaas`; `INGOT_LIBMAAS_PYTHON` names its interpreter.

// Test helpers panic on failure by design: a failed setup is a failed test.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use ingot_maas_sim::{Sim, SimConfig, Status, Timings};

fn python() -> PathBuf {
    let path = std::env::var_os("INGOT_LIBMAAS_PYTHON").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../.venv-libmaas/bin/python"),
        PathBuf::from,
    );
    assert!(
        path.exists(),
        "python-libmaas is not installed at {}: run `bash .ci/libmaas.sh` (cargo xtask test does) or set INGOT_LIBMAAS_PYTHON",
        path.display()
    );
    path
}

#[tokio::test]
async fn python_libmaas_drives_the_simulator_unchanged() {
    let python = python();
    let second = Duration::from_secs(1);
    let sim = Sim::new(
        SimConfig {
            machines: 8,
            timings: Timings {
                commissioning: second,
                deploying: 2 * second,
                releasing: second,
                quick_erase: second,
                erase: second,
                secure_erase: second,
                power: Duration::ZERO,
            },
            ..SimConfig::default()
        },
        Arc::new(ingot_kernel::SystemClock),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/MAAS/", listener.local_addr().unwrap());
    tokio::spawn(sim.clone().serve(listener));
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/libmaas/flow.py");
    let output = tokio::process::Command::new(&python)
        .arg(&script)
        .arg(&url)
        .arg(sim.api_key().to_string())
        .args(["--poll-interval", "0.2", "--timeout", "90"])
        .kill_on_drop(true)
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.contains("PASS python-libmaas flow completed"),
        "python-libmaas failed against the simulator ({}):\n{stdout}\n{stderr}",
        output.status
    );
    for step in [
        "OK connect",
        "OK list: 8 machines",
        "OK allocate",
        "OK deployed",
        "OK released",
    ] {
        assert!(stdout.contains(step), "missing `{step}` in:\n{stdout}");
    }
    // What the client did is what the region saw: every machine is back to READY and unowned,
    // and the region recorded the acquisitions, deployments and releases.
    {
        let state = sim.lock();
        assert!(
            state
                .machines
                .values()
                .all(|m| m.status == Status::Ready && m.owner.is_none())
        );
        let kinds: Vec<&str> = state.events.iter().map(|e| e.kind).collect();
        for kind in [
            "User acquiring node",
            "User starting deployment",
            "Deployed",
            "User releasing node",
        ] {
            assert_eq!(
                kinds.iter().filter(|k| **k == kind).count(),
                2,
                "two cycles of {kind}: {kinds:?}"
            );
        }
    }
    // A wrong key is refused on the first signed call.
    let refused = tokio::process::Command::new(&python)
        .arg(&script)
        .arg(&url)
        .arg("wrong:key:secret")
        .args(["--timeout", "30"])
        .kill_on_drop(true)
        .output()
        .await
        .unwrap();
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("401"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
}
