//! The MAAS client against the simulator: the lifecycle the domain drives, MAAS's errors kept as
//! sent, retries only where they are safe, and the per-site limit on requests in flight.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use ingot_kernel::ManualClock;
use ingot_maas_sim::{Sim, SimConfig, Timings};
use ingot_provisioning_baremetal_maas::client::wire::status;
use ingot_provisioning_baremetal_maas::client::{
    AllocateParams, ApiKey, DeployParams, Erase, MaasClient, MaasError, ReleaseParams, RetryPolicy,
};

fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        attempts: 3,
        backoff: Duration::from_millis(5),
        backoff_max: Duration::from_millis(20),
        request_timeout: Duration::from_secs(10),
    }
}

async fn region(machines: usize) -> (Sim, ManualClock, MaasClient) {
    let clock = ManualClock::new(ingot_kernel::Timestamp::from_secs(1_800_000_000));
    let sim = Sim::new(
        SimConfig {
            machines,
            timings: Timings::realistic(),
            ..SimConfig::default()
        },
        Arc::new(clock.clone()),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/MAAS", listener.local_addr().unwrap());
    tokio::spawn(sim.clone().serve(listener));
    let key = ApiKey::parse(&sim.api_key().to_string()).unwrap();
    let client = MaasClient::new(&url, key, 4, quick_retries()).unwrap();
    (sim, clock, client)
}

#[tokio::test]
async fn a_machine_is_allocated_deployed_annotated_and_released_with_secure_erase() {
    let (_sim, clock, maas) = region(8).await;
    assert!(maas.whoami().await.unwrap().is_superuser);
    let ready = maas
        .machines(&vec![("status".into(), "ready".into())])
        .await
        .unwrap();
    assert_eq!(ready.len(), 8);
    let gpu = ready
        .iter()
        .find(|m| m.tag_names.iter().any(|t| t == "gpu"))
        .unwrap();
    let devices = maas.devices(&gpu.system_id).await.unwrap();
    assert_eq!(
        devices.iter().filter(|d| d.hardware_type == 5).count(),
        8,
        "eight GPUs"
    );

    let machine = maas
        .allocate(&AllocateParams {
            system_id: Some(gpu.system_id.clone()),
            agent_name: Some("ingot".into()),
            ..AllocateParams::default()
        })
        .await
        .unwrap();
    assert_eq!(machine.status, status::ALLOCATED);
    let deploying = maas
        .deploy(
            &machine.system_id,
            &DeployParams {
                distro_series: Some("jammy".into()),
                user_data: Some("I2Nsb3VkLWNvbmZpZwo=".into()),
                ..DeployParams::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(deploying.status, status::DEPLOYING);
    assert!(deploying.ip_addresses.is_empty());
    clock.advance(Duration::from_secs(12 * 60));
    let deployed = maas.machine(&machine.system_id).await.unwrap();
    assert_eq!(
        (deployed.status, deployed.status_message.as_str()),
        (status::DEPLOYED, "Deployed")
    );
    assert_eq!(deployed.ip_addresses.len(), 1);
    let annotated = maas
        .annotate(&machine.system_id, &[("ingot_allocation", "alc_01TEST")])
        .await
        .unwrap();
    assert_eq!(annotated.annotation("ingot_allocation"), Some("alc_01TEST"));
    maas.lock(&machine.system_id, "tenant workload").await.unwrap();
    let err = maas
        .release(
            &machine.system_id,
            &ReleaseParams {
                erase: Erase::Secure,
                comment: None,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        err.status(),
        Some(403),
        "a locked machine cannot be released: {err}"
    );
    maas.unlock(&machine.system_id, "releasing").await.unwrap();
    let erasing = maas
        .release(
            &machine.system_id,
            &ReleaseParams {
                erase: Erase::Secure,
                comment: Some("ingot release".into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(erasing.status, status::DISK_ERASING);
    clock.advance(Duration::from_secs(10 * 60));
    let released = maas.machine(&machine.system_id).await.unwrap();
    assert_eq!(
        (released.status, released.owner.as_deref()),
        (status::READY, None)
    );
    assert_eq!(
        released.annotation("ingot_allocation"),
        None,
        "annotations go with the owner"
    );
    let events = maas.events_after(0, 100).await.unwrap();
    assert!(
        events
            .iter()
            .any(|e| e.node == machine.system_id && e.kind == "Disks erased")
    );
    assert!(events.windows(2).all(|w| w[0].id < w[1].id), "oldest first");
}

#[tokio::test]
async fn maas_errors_keep_their_status_and_message_and_business_refusals_are_not_retried() {
    let (sim, _clock, maas) = region(2).await;
    let before = sim.requests();
    let err = maas
        .allocate(&AllocateParams {
            hostname: Some("no-such-host".into()),
            ..AllocateParams::default()
        })
        .await
        .unwrap_err();
    assert!(err.is_conflict(), "{err}");
    assert!(
        matches!(&err, MaasError::Api { message, .. } if message.starts_with("No available machine matches constraints")),
        "{err}"
    );
    assert_eq!(
        sim.requests() - before,
        1,
        "a 409 without Retry-After is an answer, not a hiccup"
    );
    let err = maas.machine("nosuch").await.unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(
        err,
        MaasError::Api {
            status: 404,
            message: "No Machine matches the given query.".into()
        }
    );
    let stranger = MaasClient::new(
        maas.api_url().trim_end_matches("/api/2.0/"),
        ApiKey::parse("wrong:key:secret").unwrap(),
        1,
        quick_retries(),
    )
    .unwrap();
    let err = stranger.whoami().await.unwrap_err();
    assert_eq!(err.status(), Some(401), "{err}");
}

#[tokio::test]
async fn a_503_burst_is_ridden_out_and_an_unreachable_region_gives_up_after_the_attempts() {
    let (sim, _clock, maas) = region(2).await;
    sim.faults_set(|f| {
        f.unavailable_next = 2;
        f.retry_after_s = 0;
    });
    let before = sim.requests();
    assert_eq!(maas.machines(&Vec::new()).await.unwrap().len(), 2);
    assert_eq!(sim.requests() - before, 3, "two 503s, then the answer");
    // Three 503s in a row exhaust three attempts: the last 503 is returned as it came.
    sim.faults_set(|f| f.unavailable_next = 3);
    let err = maas.machines(&Vec::new()).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert!(err.is_transient());

    // Nobody listens: a write that never left is retried, and the error says unreachable.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/MAAS", closed.local_addr().unwrap());
    drop(closed);
    let nowhere = MaasClient::new(&url, ApiKey::parse("a:b:c").unwrap(), 1, quick_retries()).unwrap();
    let err = nowhere.commission("abc123").await.unwrap_err();
    assert!(matches!(err, MaasError::Unreachable(_)), "{err}");
}

/// A server that counts requests in flight, each held for a moment (its latency).
async fn counting_server() -> (String, Arc<AtomicUsize>) {
    let current = Arc::new(AtomicUsize::new(0));
    let max = Arc::new(AtomicUsize::new(0));
    let (c, m) = (current.clone(), max.clone());
    let router = axum::Router::new().fallback(move || {
        let (c, m) = (c.clone(), m.clone());
        async move {
            let now = c.fetch_add(1, Ordering::SeqCst) + 1;
            m.fetch_max(now, Ordering::SeqCst);
            // Server-side latency: requests overlap while it lasts.
            let mut tick = tokio::time::interval(Duration::from_millis(30));
            tick.tick().await;
            tick.tick().await;
            c.fetch_sub(1, Ordering::SeqCst);
            (
                [("content-type", "application/json")],
                "{\"username\": \"admin\", \"is_superuser\": true}",
            )
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/MAAS", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (url, max)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_in_flight_per_site_never_exceed_the_limit() {
    for (limit, expect_at_most) in [(2usize, 2usize), (12, 12)] {
        let (url, max) = counting_server().await;
        let maas = MaasClient::new(&url, ApiKey::parse("a:b:c").unwrap(), limit, quick_retries()).unwrap();
        let calls: Vec<_> = (0..12)
            .map(|_| {
                let maas = maas.clone();
                tokio::spawn(async move { maas.whoami().await })
            })
            .collect();
        for call in calls {
            call.await.unwrap().unwrap();
        }
        let seen = max.load(Ordering::SeqCst);
        assert!(seen <= expect_at_most, "limit {limit}: {seen} in flight");
        if limit > 2 {
            assert!(
                seen > 2,
                "without a tight limit requests do overlap ({seen}), so the limit above is what held them"
            );
        }
    }
}
