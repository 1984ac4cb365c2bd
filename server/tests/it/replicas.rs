//! Three `ingotd` replicas on one PostgreSQL and one Redis, with a MAAS region simulated in its own
//! process, under a bounded load of tenants signing up, being verified, topping up, allocating,
//! watching their dashboards and releasing; one replica is killed with SIGKILL mid-run and started
//! again, and then the MAAS region answers a burst of 503s and slows down. Afterwards every invariant of DESIGN.md §5 is checked against the shared database, and a
//! report with throughput, p50/p99 and errors per endpoint goes to `target/replicas/report.md`.
//!
//! Clients reach the replicas round-robin, as through a load balancer: a refused or broken
//! connection is retried on the next replica with the same `Idempotency-Key` (counted as a
//! fail-over, and as an error of that endpoint).

use std::collections::BTreeMap;
use std::io::BufRead as _;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use ingot_kernel::db::Backend;
use reqwest::Method;
use serde_json::{Value, json};

const TENANTS: usize = 9;
const ROUNDS: usize = 2;
const MACHINES: usize = 24;
/// How many MAAS answers in a row are 503 once the killed replica is back.
const MAAS_UNAVAILABLE: u32 = 12;
/// The whole load, kill and restart included, must end within this.
const LOAD_BOUND: Duration = Duration::from_secs(300);
/// After the load: how long the replicas get to settle (releases erased, usage rated, events
/// consumed) before the invariants are read.
const SETTLE_BOUND: Duration = Duration::from_secs(120);

/// One `ingotd serve`, its address, and every log line it wrote (JSON).
struct Replica {
    child: Child,
    url: String,
    logs: Arc<Mutex<Vec<String>>>,
}

fn replica_start(dir: &std::path::Path, env: &[(String, String)], logs: Arc<Mutex<Vec<String>>>) -> Replica {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ingotd"));
    for (key, _) in std::env::vars().filter(|(k, _)| k.starts_with("INGOT_")) {
        command.env_remove(key);
    }
    let mut child = command
        .args(["serve", "--listen", "127.0.0.1:0", "--log-format", "json"])
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let url = loop {
        line.clear();
        if stderr.read_line(&mut line).unwrap() == 0 {
            panic!("ingotd exited before serving:\n{}", logs.lock().unwrap().concat());
        }
        logs.lock().unwrap().push(line.clone());
        let entry: Value = serde_json::from_str(&line).unwrap_or_default();
        if entry["message"] == "ingotd serving" {
            break format!("http://{}", entry["listen"].as_str().unwrap());
        }
    };
    let kept = logs.clone();
    std::thread::spawn(move || {
        let mut line = String::new();
        loop {
            line.clear();
            if stderr.read_line(&mut line).unwrap_or(0) == 0 {
                break;
            }
            kept.lock().unwrap().push(line.clone());
        }
    });
    Replica { child, url, logs }
}

/// A process this test started, stopped however the test ends (a panic included), so nothing
/// outlives it holding database connections.
struct Reaped(Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Requests spread over the live replicas, with what each endpoint answered and how fast.
struct Load {
    urls: RwLock<Vec<String>>,
    http: reqwest::Client,
    next: AtomicUsize,
    /// By endpoint: (status, 0 for a broken connection; seconds).
    samples: Mutex<BTreeMap<&'static str, Vec<(u16, f64)>>>,
    failovers: AtomicU64,
    allocations_created: AtomicU64,
    /// Problem codes of refused allocations (capacity, funds, …), for the report.
    refusals: Mutex<BTreeMap<String, usize>>,
}

impl Load {
    async fn call(
        &self,
        label: &'static str,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let key = ingot_kernel::id::new_ulid().to_string();
        for _ in 0..12 {
            let urls = self.urls.read().unwrap().clone();
            let url = &urls[self.next.fetch_add(1, Ordering::Relaxed) % urls.len()];
            let mut request = self.http.request(method.clone(), format!("{url}{path}"));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            if method == Method::POST {
                request = request.header("Idempotency-Key", &key);
            }
            if let Some(body) = &body {
                request = request.json(body);
            }
            let started = Instant::now();
            match request.send().await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let answer = response.json::<Value>().await.unwrap_or(Value::Null);
                    self.record(label, status, started);
                    return (status, answer);
                }
                Err(_) => {
                    self.record(label, 0, started);
                    self.failovers.fetch_add(1, Ordering::Relaxed);
                    let mut tick = tokio::time::interval(Duration::from_millis(200));
                    tick.tick().await;
                    tick.tick().await;
                }
            }
        }
        (0, Value::Null)
    }

    fn record(&self, label: &'static str, status: u16, started: Instant) {
        self.samples
            .lock()
            .unwrap()
            .entry(label)
            .or_default()
            .push((status, started.elapsed().as_secs_f64()));
    }
}

/// Polls `check` every 250 ms until it answers `Some`, or fails naming `what` after `bound`.
async fn until<T>(what: &str, bound: Duration, mut check: impl AsyncFnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + bound;
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    loop {
        tick.tick().await;
        if let Some(value) = check().await {
            return value;
        }
        assert!(Instant::now() < deadline, "{what}: not within {bound:?}");
    }
}

/// One tenant's life: sign up, get verified, top up, then allocate, watch and release, twice.
async fn tenant_journey(load: Arc<Load>, reviewer: String, sku: String, i: usize) {
    let (status, signed) = load
        .call(
            "POST /v1/auth/signup",
            Method::POST,
            "/v1/auth/signup",
            None,
            Some(json!({
                "email": format!("load-{i}@example.com"),
                "password": "violet-harbour-long-enough-9",
                "display_name": format!("Load {i}"),
                "tenant_name": format!("Load {i}"),
            })),
        )
        .await;
    assert_eq!(status, 201, "sign-up: {signed}");
    let token = signed["session_token"].as_str().unwrap().to_string();
    let tenant = signed["tenant"]["id"].as_str().unwrap().to_string();
    let project = signed["project"]["id"].as_str().unwrap().to_string();
    let personal = json!({"personal_data": {"legal_name": format!("Load {i} Ltd"), "country": "DE", "address": "1 Load Street"}});
    let (status, body) = load
        .call(
            "POST /v1/tenants/{id}/kyc",
            Method::POST,
            &format!("/v1/tenants/{tenant}/kyc"),
            Some(&token),
            Some(personal),
        )
        .await;
    assert_eq!(status, 200, "kyc: {body}");
    let (status, body) = load
        .call(
            "POST /v1/admin/kyc/{id}/decision",
            Method::POST,
            &format!("/v1/admin/kyc/{tenant}/decision"),
            Some(&reviewer),
            Some(json!({"decision": "verify", "level": "full", "reason": "load test"})),
        )
        .await;
    assert_eq!(status, 200, "kyc decision: {body}");
    let (status, body) = load
        .call(
            "POST /v1/tenants/{id}/top-ups",
            Method::POST,
            &format!("/v1/tenants/{tenant}/top-ups"),
            Some(&token),
            Some(json!({"amount": {"amount": "300", "currency": "USD"}})),
        )
        .await;
    assert!((200..300).contains(&status), "top-up: {body}");
    for _ in 0..ROUNDS {
        let (status, created) = load
            .call(
                "POST /v1/projects/{id}/allocations",
                Method::POST,
                &format!("/v1/projects/{project}/allocations"),
                Some(&token),
                Some(json!({"sku": sku, "count": 1})),
            )
            .await;
        if status != 201 {
            // Refused (capacity, an in-flight key lost with a killed replica): the report counts it.
            let code = created["code"].as_str().unwrap_or("no answer").to_string();
            *load.refusals.lock().unwrap().entry(code).or_default() += 1;
            continue;
        }
        load.allocations_created.fetch_add(1, Ordering::Relaxed);
        let id = created["id"].as_str().unwrap().to_string();
        state_wait(&load, &token, &tenant, &id, "active").await;
        let (status, body) = load
            .call(
                "POST /v1/allocations/{id}/release",
                Method::POST,
                &format!("/v1/allocations/{id}/release"),
                Some(&token),
                Some(json!({})),
            )
            .await;
        assert!((200..300).contains(&status), "release: {body}");
        state_wait(&load, &token, &tenant, &id, "released").await;
    }
}

/// Watches allocation `id` (and the tenant's dashboard, as a person would) until it is `wanted`.
async fn state_wait(load: &Load, token: &str, tenant: &str, id: &str, wanted: &str) {
    let deadline = Instant::now() + Duration::from_secs(90);
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    loop {
        tick.tick().await;
        let (_, seen) = load
            .call(
                "GET /v1/allocations/{id}",
                Method::GET,
                &format!("/v1/allocations/{id}"),
                Some(token),
                None,
            )
            .await;
        let _ = load
            .call(
                "GET /v1/tenants/{id}/overview",
                Method::GET,
                &format!("/v1/tenants/{tenant}/overview"),
                Some(token),
                None,
            )
            .await;
        let state = seen["state"].as_str().unwrap_or_default();
        assert_ne!(state, "failed", "allocation {id} failed: {seen}");
        if state == wanted {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "allocation {id} not {wanted} within 90 s: {seen}"
        );
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_replicas_under_load_with_one_killed_keep_every_invariant() {
    let db = ingot_kernel::testing::TestDb::new(Backend::Postgres).await;
    let redis = std::env::var("INGOT_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let dir = std::env::temp_dir().join(format!("ingotd-replicas-{}", ingot_kernel::id::new_ulid()));
    std::fs::create_dir_all(&dir).unwrap();

    // The MAAS region, in a process of its own that every replica talks to.
    let sim_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let sim_program = std::path::Path::new(env!("CARGO_BIN_EXE_ingotd")).with_file_name("ingot-maas-sim");
    assert!(
        sim_program.exists(),
        "{} is missing: cargo build --workspace builds it",
        sim_program.display()
    );
    let api_key = "loadconsumer:loadtoken:loadsecret";
    let _sim = Command::new(&sim_program)
        .args([
            "--machines",
            &MACHINES.to_string(),
            "--port",
            &sim_port.to_string(),
            "--brisk",
        ])
        .args(["--api-key", api_key])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map(Reaped)
        .unwrap();

    let env: Vec<(String, String)> = [
        ("INGOT_DATABASE_URL", db.url.as_str()),
        ("INGOT_REDIS_URL", redis.as_str()),
        ("INGOT_DEMO_CATALOG", "true"),
        ("INGOT_BILLING_TEST_PROVIDER", "true"),
        ("INGOT_MAAS_SIMULATED", "false"),
        ("INGOT_MAAS_DEPLOYMENTS_INTERVAL_MS", "500"),
        ("INGOT_MAAS_ONBOARDING_INTERVAL_S", "2"),
        ("INGOT_ALLOCATION_LIFECYCLE_INTERVAL_MS", "500"),
        ("INGOT_BILLING_RATING_INTERVAL_S", "1"),
        ("INGOT_HTTP_RATE_LIMIT_PER_S", "100000"),
        ("INGOT_HTTP_RATE_LIMIT_BURST", "100000"),
        ("INGOT_LOG_LEVEL", "info,ingot_kernel::worker=debug"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    // The first replica migrates and seeds the demo catalog; the others start on its schema.
    let mut replicas = vec![replica_start(&dir, &env, Arc::default())];
    for _ in 0..2 {
        replicas.push(replica_start(&dir, &env, Arc::default()));
    }
    let admin = Command::new(env!("CARGO_BIN_EXE_ingotd"))
        .args(["bootstrap-admin", "--email", "ops@example.com"])
        .env("INGOT_DATABASE_URL", &db.url)
        .current_dir(&dir)
        .output()
        .unwrap();
    let admin = String::from_utf8(admin.stdout).unwrap().trim().to_string();
    let http = super::http();
    let first = replicas[0].url.clone();
    // A reviewer (security, finance) verifies tenants and reads the ledger's verification.
    let signed: Value = http
        .post(format!("{first}/v1/auth/signup"))
        .json(
            &json!({"email": "reviewer@example.com", "password": "violet-harbour-long-enough-9",
            "display_name": "Reviewer", "tenant_name": "Ops"}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let reviewer = signed["session_token"].as_str().unwrap().to_string();
    let roles = http
        .put(format!(
            "{first}/v1/admin/users/{}/platform-roles",
            signed["user"]["id"].as_str().unwrap()
        ))
        .bearer_auth(&admin)
        .json(&json!({"platform_roles": ["security", "finance"]}))
        .send()
        .await
        .unwrap();
    assert!(roles.status().is_success(), "{}", roles.text().await.unwrap());
    let bound = http
        .put(format!("{first}/v1/admin/sites/demo1/maas"))
        .bearer_auth(&admin)
        .json(&json!({"url": format!("http://127.0.0.1:{sim_port}/MAAS"), "api_key": api_key, "policy": {}}))
        .send()
        .await
        .unwrap();
    assert!(bound.status().is_success(), "{}", bound.text().await.unwrap());
    // Onboarding (under its lease, on whichever replica holds it) puts the machines on sale.
    let sku = until("machines on sale", Duration::from_secs(120), async || {
        let offers: Value = http
            .get(format!("{first}/v1/catalog/offers"))
            .send()
            .await
            .ok()?
            .json()
            .await
            .ok()?;
        offers
            .as_array()?
            .iter()
            .filter(|o| o["available"].as_u64().unwrap_or(0) >= TENANTS as u64)
            .map(|o| o["sku"].as_str().unwrap_or_default().to_string())
            .next()
    })
    .await;

    let load = Arc::new(Load {
        urls: RwLock::new(replicas.iter().map(|r| r.url.clone()).collect()),
        http: ingot_kernel::outbound::client_builder()
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap(),
        next: AtomicUsize::new(0),
        samples: Mutex::default(),
        failovers: AtomicU64::new(0),
        allocations_created: AtomicU64::new(0),
        refusals: Mutex::default(),
    });
    let started = Instant::now();
    let journeys: Vec<_> = (0..TENANTS)
        .map(|i| tokio::spawn(tenant_journey(load.clone(), reviewer.clone(), sku.clone(), i)))
        .collect();

    // Mid-run, once a third of the allocations exist: SIGKILL the replica holding the most
    // controller leases (its holder id starts with its process id), so others must take over;
    // the "load balancer" notices a second later; the replica starts again 3 s after the kill.
    until("a third of the allocations", LOAD_BOUND, async || {
        (load.allocations_created.load(Ordering::Relaxed) as usize >= TENANTS * ROUNDS / 3).then_some(())
    })
    .await;
    let now_us = ingot_kernel::Clock::now(&ingot_kernel::SystemClock).as_micros();
    let holders: Vec<String> =
        sqlx::query_scalar("SELECT holder FROM kernel_leases WHERE expires_at_us > $1")
            .bind(now_us)
            .fetch_all(db.db.reader())
            .await
            .unwrap();
    let held = |replica: &Replica| {
        let prefix = format!("{}-", replica.child.id());
        holders.iter().filter(|h| h.starts_with(&prefix)).count()
    };
    let victim = (0..replicas.len()).max_by_key(|&i| held(&replicas[i])).unwrap();
    let leases_lost = held(&replicas[victim]);
    assert!(leases_lost > 0, "some replica holds leases: {holders:?}");
    replicas[victim].child.kill().unwrap();
    replicas[victim].child.wait().unwrap();
    let killed_at_us = ingot_kernel::Clock::now(&ingot_kernel::SystemClock).as_micros();
    let mut pause = tokio::time::interval(Duration::from_secs(1));
    pause.tick().await;
    pause.tick().await;
    let killed_url = replicas[victim].url.clone();
    load.urls.write().unwrap().retain(|u| *u != killed_url);
    pause.tick().await;
    pause.tick().await;
    let logs = replicas[victim].logs.clone();
    replicas[victim] = replica_start(&dir, &env, logs);
    load.urls.write().unwrap().push(replicas[victim].url.clone());

    // Then the MAAS region falters: its next 12 answers are 503 with `Retry-After: 1`, and every
    // answer takes 300 ms more. Deployments and releases must still complete (retried, nothing
    // lost), and tenants see no server error for it.
    let faults = format!("http://127.0.0.1:{sim_port}/_sim/faults");
    let injected = http
        .post(&faults)
        .json(&json!({"unavailable_next": MAAS_UNAVAILABLE, "retry_after_s": 1, "latency_ms": 300}))
        .send()
        .await
        .unwrap();
    assert!(injected.status().is_success());

    for journey in journeys {
        tokio::time::timeout(LOAD_BOUND.saturating_sub(started.elapsed()), journey)
            .await
            .expect("the load ends within its bound")
            .expect("every tenant's journey completes");
    }
    let elapsed = started.elapsed().as_secs_f64();
    // Every refused MAAS call was made (and so retried: the load completed).
    let left: Value = http.get(&faults).send().await.unwrap().json().await.unwrap();
    assert_eq!(
        left["unavailable_next"], 0,
        "the region's 503s were all met: {left}"
    );

    // Settle: every allocation ended, every meter settled, every consumer at the end of the log.
    let pool = db.db.reader();
    let unsettled = [
        (
            "allocations ended",
            "SELECT COUNT(*) FROM alloc_allocations WHERE state NOT IN ('released', 'failed')",
        ),
        (
            "usage rated",
            "SELECT COUNT(*) FROM billing_meters WHERE settled = 0 OR stopped_at_us IS NULL",
        ),
        (
            "consumers caught up",
            "SELECT COUNT(*) FROM kernel_outbox_cursors WHERE seq < (SELECT MAX(seq) FROM kernel_outbox)",
        ),
    ];
    for (what, count) in unsettled {
        until(what, SETTLE_BOUND, async || {
            let left: i64 = sqlx::query_scalar(count).fetch_one(pool).await.ok()?;
            (left == 0).then_some(())
        })
        .await;
    }

    // 1. No node was ever in two live allocations: per node, each assignment ended before the
    //    next began.
    let assignments: Vec<(String, i64, i64, i64)> = sqlx::query_as(
        "SELECT node_id, assigned_at_us, updated_at_us, live FROM alloc_nodes ORDER BY node_id, assigned_at_us",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    assert!(
        assignments.iter().all(|(_, _, _, live)| *live == 0),
        "a node is still live"
    );
    for pair in assignments.windows(2) {
        let ((node_a, _, ended_a, _), (node_b, began_b, _, _)) = (&pair[0], &pair[1]);
        if node_a == node_b {
            assert!(
                ended_a <= began_b,
                "node {node_a} was assigned again before its release"
            );
        }
    }
    let allocations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM alloc_allocations")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(
        allocations as u64,
        load.allocations_created.load(Ordering::Relaxed),
        "no allocation lost or doubled"
    );

    // 2. The ledger verifies.
    let verified: Value = http
        .get(format!("{}/v1/admin/ledger/verify", replicas[victim].url))
        .bearer_auth(&reviewer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(verified["ok"], true, "{verified}");

    // 3. Metering = charged: one meter per node Allocation started metering, each stopped, and
    //    what the meters charged is what the ledger holds as revenue.
    let started_events = events(pool, "allocation.node_metering_started").await;
    let stopped_events = events(pool, "allocation.node_metering_stopped").await;
    let meters: Vec<(String, i64, i64, i64)> =
        sqlx::query_as("SELECT node_id, started_at_us, stopped_at_us, charged_micros FROM billing_meters")
            .fetch_all(pool)
            .await
            .unwrap();
    assert_eq!(meters.len(), started_events.len(), "one meter per metered node");
    assert_eq!(
        started_events.len(),
        stopped_events.len(),
        "every start has its stop"
    );
    for (node, started, stopped, _) in &meters {
        assert!(
            started <= stopped,
            "node {node}: its meter stopped before it started"
        );
    }
    let charged: i64 = meters.iter().map(|m| m.3).sum();
    assert!(charged > 0, "usage was charged");
    // Only usage reaches the platform's revenue account (top-ups and credits go to tenants').
    let revenue: i64 =
        sqlx::query_scalar("SELECT balance_micros FROM billing_accounts WHERE key = 'platform/revenue/USD'")
            .fetch_one(pool)
            .await
            .unwrap();
    assert_eq!(
        revenue.abs(),
        charged,
        "the ledger's revenue equals what the meters charged"
    );

    // 4. No event lost or duplicated: one `allocation.requested` and one `allocation.ended` per
    //    allocation, each event id once (the table's key), every consumer at the end (above).
    for event_type in ["allocation.requested", "allocation.ended"] {
        let subjects = events(pool, event_type).await;
        let mut unique = subjects.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(
            (subjects.len(), unique.len()),
            (allocations as usize, allocations as usize),
            "{event_type}: once per allocation"
        );
    }

    // 5. Each controller ran under one lease holder at a time: passes by different holders never
    //    overlap (a pass cut short by SIGKILL ends when the process did), and the fencing token
    //    grows with every change of holder.
    let mut passes: BTreeMap<String, Vec<(i64, i64, String, i64)>> = BTreeMap::new();
    for replica in &replicas {
        for line in replica.logs.lock().unwrap().iter() {
            let entry: Value = serde_json::from_str(line).unwrap_or_default();
            if entry["message"] != "controller pass" {
                continue;
            }
            passes
                .entry(entry["controller"].as_str().unwrap_or_default().to_string())
                .or_default()
                .push((
                    entry["started_us"].as_i64().unwrap(),
                    entry["ended_us"].as_i64().unwrap(),
                    entry["holder"].as_str().unwrap_or_default().to_string(),
                    entry["token"].as_i64().unwrap(),
                ));
        }
    }
    assert!(
        passes.len() >= 5,
        "controllers' passes were logged: {:?}",
        passes.keys()
    );
    let mut handovers = 0;
    for (controller, list) in &mut passes {
        list.sort();
        for pair in list.windows(2) {
            let ((_, ended_a, holder_a, token_a), (started_b, _, holder_b, token_b)) = (&pair[0], &pair[1]);
            if holder_a != holder_b {
                handovers += 1;
                assert!(
                    ended_a <= started_b,
                    "{controller}: {holder_b} began before {holder_a} ended"
                );
                assert!(
                    token_b > token_a,
                    "{controller}: the token did not grow with the new holder"
                );
            }
        }
    }
    // The killed replica's leases were taken over: at least one changed hands, and every
    // controller that ran often before the kill (three passes or more) ran again after it.
    // Controllers with long intervals (reconciliation: hourly) are taken over at their next tick.
    assert!(
        handovers >= 1,
        "the killed replica held {leases_lost} leases; none changed hands"
    );
    for (controller, list) in &passes {
        let before = list.iter().filter(|p| p.0 < killed_at_us).count();
        let after = list.iter().filter(|p| p.0 > killed_at_us).count();
        assert!(
            before < 3 || after > 0,
            "{controller} stopped at the kill ({before} passes before)"
        );
    }

    // The report.
    let samples = load.samples.lock().unwrap();
    let total: usize = samples.values().map(Vec::len).sum();
    let mut report = format!(
        "# Three replicas under load\n\n{TENANTS} tenants × {ROUNDS} allocations of `{sku}` on {MACHINES} simulated machines; \
         PostgreSQL and Redis on loopback; replica {victim} (holding {leases_lost} controller leases) killed with SIGKILL at {killed_at_us} µs, taken out of rotation 1 s later and restarted 3 s after the kill; then {MAAS_UNAVAILABLE} MAAS answers in a row were 503 and every MAAS answer 300 ms slower.\n\n\
         {total} requests in {elapsed:.1} s ({:.1}/s); {} fail-overs to another replica; {handovers} lease handovers; \
         {allocations} allocations, all released; ledger verified; {} µUSD charged by the meters = the revenue account.\n\n\
         | endpoint | requests | answers | errors (5xx or no answer) | p50 ms | p99 ms |\n|---|---:|---|---:|---:|---:|\n",
        total as f64 / elapsed,
        load.failovers.load(Ordering::Relaxed),
        charged,
    );
    for (label, list) in samples.iter() {
        let mut seconds: Vec<f64> = list.iter().map(|(_, s)| *s).collect();
        seconds.sort_by(f64::total_cmp);
        let errors = list
            .iter()
            .filter(|(status, _)| *status == 0 || *status >= 500)
            .count();
        let mut answers: BTreeMap<u16, usize> = BTreeMap::new();
        for (status, _) in list {
            *answers.entry(*status).or_default() += 1;
        }
        let answers: Vec<String> = answers
            .iter()
            .map(|(status, n)| match status {
                0 => format!("no answer ×{n}"),
                _ => format!("{status} ×{n}"),
            })
            .collect();
        report.push_str(&format!(
            "| `{label}` | {} | {} | {errors} | {:.1} | {:.1} |\n",
            list.len(),
            answers.join(", "),
            percentile(&seconds, 0.5) * 1e3,
            percentile(&seconds, 0.99) * 1e3
        ));
    }
    let refusals = load.refusals.lock().unwrap();
    if !refusals.is_empty() {
        let listed: Vec<String> = refusals
            .iter()
            .map(|(code, n)| format!("`{code}` ×{n}"))
            .collect();
        report.push_str(&format!("\nAllocations refused: {}.\n", listed.join(", ")));
    }
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .join("target/replicas");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("report.md"), &report).unwrap();
    println!("{report}");
    let server_errors: usize = samples
        .values()
        .flatten()
        .filter(|(status, _)| *status >= 500)
        .count();
    assert_eq!(server_errors, 0, "no replica answered 5xx:\n{report}");
}

/// The subjects of every event of `event_type`, in log order.
async fn events(pool: &sqlx::AnyPool, event_type: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT subject FROM kernel_outbox WHERE event_type = $1 ORDER BY seq")
        .bind(event_type)
        .fetch_all(pool)
        .await
        .unwrap()
}
