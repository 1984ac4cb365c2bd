//! The simulator's own fault controls (`/_sim/…`), as an operator uses them against a running
//! standalone region.

// Test helpers panic on failure by design: a failed setup is a failed test.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use ingot_maas_sim::{Sim, SimConfig};

#[tokio::test]
async fn the_standalone_controls_inject_faults_into_a_running_region() {
    let sim = Sim::new(
        SimConfig {
            machines: 2,
            ..SimConfig::default()
        },
        Arc::new(ingot_kernel::SystemClock),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(sim.clone().serve(listener));
    let http = ingot_kernel::outbound::client_builder().build().unwrap();
    let set = http
        .post(format!("{base}/_sim/faults"))
        .json(&serde_json::json!({"unavailable_next": 2, "retry_after_s": 3, "deploy_failure_rate": 0.25}))
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), 200);
    let refused = http
        .post(format!("{base}/_sim/faults"))
        .json(&serde_json::json!({"deploy_failure_rate": 2.0}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422, "a rate above 1 changes nothing");
    for _ in 0..2 {
        let busy = http
            .get(format!("{base}/MAAS/api/2.0/version/"))
            .send()
            .await
            .unwrap();
        assert_eq!(busy.status(), 503);
        assert_eq!(busy.headers()["retry-after"], "3");
    }
    let version = http
        .get(format!("{base}/MAAS/api/2.0/version/"))
        .send()
        .await
        .unwrap();
    assert_eq!(version.status(), 200);
    let faults: serde_json::Value = http
        .get(format!("{base}/_sim/faults"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(faults["deploy_failure_rate"], 0.25);
    let system_id = sim.lock().machines.keys().next().unwrap().clone();
    let gone = http
        .post(format!("{base}/_sim/machines/{system_id}/vanish"))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 204);
    assert!(!sim.lock().machines.contains_key(&system_id));
}
