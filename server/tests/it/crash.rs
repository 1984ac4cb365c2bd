//! Crash safety of deploys and releases: the real `ingotd` is killed with SIGKILL while it
//! deploys and while it releases machines of a (simulated) MAAS region; after each restart the
//! controllers converge — every machine is deployed exactly once and every release completes
//! with its erase, each reported exactly once.

use std::process::{Child, Command};
use std::sync::Arc;
use std::time::Duration;

use ingot_contracts::allocation::{NodeDeployRequested, NodeReleaseRequested};
use ingot_kernel::db::{Db, PoolLimits};
use ingot_kernel::event::DomainEvent;
use ingot_kernel::id::{AllocationId, TenantId};
use ingot_maas_sim::{Sim, SimConfig, Status, Timings};
use serde_json::json;

const MACHINES: usize = 6;

/// A running `ingotd serve` in `dir` on the embedded SQLite, controllers brisk, no simulated
/// region of its own.
fn ingotd_start(dir: &std::path::Path) -> (Child, String) {
    super::ingotd_spawn(
        dir,
        &[
            ("INGOT_MAAS_SIMULATED", "false"),
            ("INGOT_MAAS_DEPLOYMENTS_INTERVAL_MS", "100"),
            ("INGOT_MAAS_ONBOARDING_INTERVAL_S", "3600"),
        ],
    )
}

fn sigkill(child: &mut Child) {
    let status = Command::new("kill")
        .args(["-KILL", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let _ = child.wait();
}

fn count_of(sim: &Sim, kind: &str, system_id: &str) -> usize {
    sim.lock()
        .events
        .iter()
        .filter(|e| e.kind == kind && e.system_id == system_id)
        .count()
}

async fn reported(db: &Db, event_type: &str) -> Vec<serde_json::Value> {
    let payloads: Vec<String> = sqlx::query_scalar("SELECT payload FROM kernel_outbox WHERE event_type = $1")
        .bind(event_type)
        .fetch_all(db.reader())
        .await
        .unwrap();
    payloads
        .iter()
        .map(|p| serde_json::from_str(p).unwrap())
        .collect()
}

/// How long convergence may take before the test gives up: alone it takes seconds; a full test
/// run on two cores (64-client races, end-to-end flows) slows the restarted server a lot.
const CONVERGE_WITHIN: Duration = Duration::from_secs(180);

/// Waits (polling the simulated region) until `ready` holds, for at most [`CONVERGE_WITHIN`].
async fn until(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + CONVERGE_WITHIN;
    let mut tick = tokio::time::interval(Duration::from_millis(5));
    while !ready() {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tick.tick().await;
    }
}

async fn until_reported(db: &Db, event_type: &str, count: usize) {
    let deadline = std::time::Instant::now() + CONVERGE_WITHIN;
    let mut tick = tokio::time::interval(Duration::from_millis(50));
    loop {
        let seen = reported(db, event_type).await.len();
        assert!(
            seen <= count,
            "{event_type} reported {seen} times for {count} nodes"
        );
        if seen == count {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "only {seen} of {count} {event_type}"
        );
        tick.tick().await;
    }
}

/// After convergence, lets the controller run many more passes (100 ms apart) and checks that
/// nothing was reported again: duplicates would show up only after the count was first reached.
async fn stays_reported(db: &Db, event_type: &str, count: usize) {
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    for _ in 0..20 {
        tick.tick().await;
    }
    assert_eq!(
        reported(db, event_type).await.len(),
        count,
        "{event_type} reported again after convergence"
    );
}

async fn say(db: &Db, event: &impl DomainEvent) {
    let mut tx = db.begin().await.unwrap();
    ingot_kernel::outbox::append_in_tx(
        &mut tx,
        &event.to_envelope(ingot_kernel::Clock::now(&ingot_kernel::SystemClock)),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_mid_deploy_and_mid_release_converges_without_a_second_deploy_or_a_lost_release() {
    let second = Duration::from_secs(1);
    let sim = Sim::new(
        SimConfig {
            machines: MACHINES,
            timings: Timings {
                commissioning: second,
                deploying: 2 * second,
                releasing: second,
                quick_erase: 2 * second,
                erase: 2 * second,
                secure_erase: 2 * second,
                power: Duration::ZERO,
            },
            ..SimConfig::default()
        },
        Arc::new(ingot_kernel::SystemClock),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let region = format!("http://{}/MAAS", listener.local_addr().unwrap());
    tokio::spawn(sim.clone().serve(listener));

    let dir = std::env::temp_dir().join(format!("ingotd-crash-{}", ingot_kernel::id::new_ulid()));
    std::fs::create_dir_all(&dir).unwrap();
    let (mut child, address) = ingotd_start(&dir);
    let token = Command::new(env!("CARGO_BIN_EXE_ingotd"))
        .args(["bootstrap-admin", "--email", "ops@example.com"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let token = String::from_utf8(token.stdout).unwrap().trim().to_string();
    let http = ingot_kernel::outbound::client_builder().build().unwrap();
    let bound = http
        .put(format!("http://{address}/v1/admin/sites/demo1/maas"))
        .bearer_auth(&token)
        .json(&json!({"url": region, "api_key": sim.api_key().to_string()}))
        .send()
        .await
        .unwrap();
    assert!(bound.status().is_success(), "{}", bound.text().await.unwrap());
    let onboarded = http
        .post(format!("http://{address}/v1/admin/sites/demo1/onboard"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert!(onboarded.status().is_success());

    let db = Db::open_sqlite_file(&dir.join("ingot-data").join("ingot.db"), PoolLimits::default())
        .await
        .unwrap();
    let nodes: Vec<(String, String)> = sqlx::query_as(
        "SELECT node_id, system_id FROM maas_machines WHERE node_id IS NOT NULL ORDER BY system_id",
    )
    .fetch_all(db.reader())
    .await
    .unwrap();
    assert_eq!(nodes.len(), MACHINES);
    let (allocation_id, tenant_id) = (AllocationId::generate(), TenantId::generate());
    for (node, _) in &nodes {
        say(
            &db,
            &NodeDeployRequested {
                allocation_id,
                tenant_id,
                node_id: node.parse().unwrap(),
                image: "jammy".into(),
                ssh_keys: vec!["ssh-ed25519 AAAA crash@test".into()],
                user_data_sealed: None,
            },
        )
        .await;
    }
    // Kill it as soon as deploys begin, twice, each time after more machines started.
    let deploys_started = |sim: &Sim| {
        nodes
            .iter()
            .filter(|(_, sid)| count_of(sim, "User starting deployment", sid) > 0)
            .count()
    };
    for kill in 1..=2 {
        until("deploys to start", || deploys_started(&sim) >= kill).await;
        sigkill(&mut child);
        (child, _) = ingotd_start(&dir);
    }
    until_reported(&db, "baremetal.node_deployed", MACHINES).await;
    stays_reported(&db, "baremetal.node_deployed", MACHINES).await;
    for (_, system_id) in &nodes {
        assert_eq!(
            count_of(&sim, "User starting deployment", system_id),
            1,
            "{system_id} deployed once"
        );
        assert_eq!(sim.lock().machines[system_id.as_str()].status, Status::Deployed);
    }

    for (node, _) in &nodes {
        say(
            &db,
            &NodeReleaseRequested {
                allocation_id,
                tenant_id,
                node_id: node.parse().unwrap(),
                reason: "crash test".into(),
            },
        )
        .await;
    }
    let releases_started = |sim: &Sim| {
        nodes
            .iter()
            .filter(|(_, sid)| count_of(sim, "User releasing node", sid) > 0)
            .count()
    };
    for kill in 1..=2 {
        until("releases to start", || releases_started(&sim) >= kill).await;
        sigkill(&mut child);
        (child, _) = ingotd_start(&dir);
    }
    until_reported(&db, "baremetal.node_release_completed", MACHINES).await;
    stays_reported(&db, "baremetal.node_release_completed", MACHINES).await;
    for (_, system_id) in &nodes {
        assert_eq!(
            count_of(&sim, "User releasing node", system_id),
            1,
            "{system_id} released once"
        );
        assert_eq!(count_of(&sim, "Disks erased", system_id), 1, "{system_id} erased");
        let machine = sim.lock().machines[system_id.as_str()].clone();
        assert_eq!((machine.status, machine.owner), (Status::Ready, None));
    }
    let completed = reported(&db, "baremetal.node_release_completed").await;
    let mut released_nodes: Vec<String> = completed
        .iter()
        .map(|e| e["node_id"].as_str().unwrap().to_string())
        .collect();
    released_nodes.sort();
    let reports = released_nodes.len();
    released_nodes.dedup();
    assert_eq!(
        (reports, released_nodes.len()),
        (MACHINES, MACHINES),
        "one report per node"
    );
    sigkill(&mut child);
}
