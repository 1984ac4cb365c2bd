//! Faults of the parts Ingot stands on, injected under a running load, each with the behaviour
//! `docs/reliability.md` promises asserted: PostgreSQL stopped and started again, Redis stopped
//! and started again, and the SQLite file refused more bytes (the file-size limit standing in for
//! a full disk). MAAS faults (503 bursts, latency) run in `replicas.rs`; vanished machines in
//! `maas.rs` and `allocation.rs`.
//!
//! These stop and start the machine's shared PostgreSQL and Redis, and limit the size of every
//! file the test process writes, so they are `#[ignore]`d: a plain `cargo test` would run them
//! beside other tests. `cargo xtask test` runs them alone, after the rest, with one test thread
//! (`cargo test -p ingotd --test it -- faults:: --include-ignored --test-threads 1`).

use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ingot_kernel::db::Backend;
use serde_json::{Value, json};

use crate::{TestApp, send_with, spawn_app};

/// What one request answered, and when it was sent.
#[derive(Debug, Clone)]
struct Answer {
    sent: Instant,
    what: &'static str,
    status: u16,
    code: String,
    retry_after: Option<String>,
    content_type: String,
}

/// Requests and what they answered, shared by the load's clients.
#[derive(Default)]
struct Record {
    answers: Mutex<Vec<Answer>>,
    /// Top-ups the server acknowledged (201), by the Idempotency-Key they were sent with.
    acknowledged: Mutex<Vec<String>>,
}

impl Record {
    fn answers(&self) -> Vec<Answer> {
        self.answers.lock().unwrap().clone()
    }

    fn acknowledged(&self) -> usize {
        self.acknowledged.lock().unwrap().len()
    }
}

/// Waits `wait` without `tokio::time::sleep` (the house lint): one interval tick.
async fn pause(wait: Duration) {
    if wait.is_zero() {
        return;
    }
    let mut tick = tokio::time::interval(wait);
    tick.tick().await;
    tick.tick().await;
}

/// One request, recorded; its status and JSON body.
async fn call(
    record: &Record,
    url: &str,
    what: &'static str,
    request: reqwest::RequestBuilder,
) -> (u16, Value) {
    let sent = Instant::now();
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("{what} {url}: {e}"));
    let status = response.status().as_u16();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(String::from)
    };
    let (retry_after, content_type) = (header("retry-after"), header("content-type").unwrap_or_default());
    let body: Value = response.json().await.unwrap_or(Value::Null);
    record.answers.lock().unwrap().push(Answer {
        sent,
        what,
        status,
        code: body["code"].as_str().unwrap_or_default().to_string(),
        retry_after,
        content_type,
    });
    (status, body)
}

/// A tenant's client until `stop`: tops up 1.00 USD under a fresh Idempotency-Key, repeating the
/// same key after a 503 (as long as Retry-After says) or while the key is still in use, then reads
/// the balance. Like the SDK does.
async fn tenant_client(
    app_url: String,
    token: String,
    tenant: String,
    stop: Arc<AtomicBool>,
    record: Arc<Record>,
) {
    let http = crate::http();
    while !stop.load(Ordering::Relaxed) {
        let key = ingot_kernel::id::new_ulid().to_string();
        loop {
            let request = http
                .post(format!("{app_url}/v1/tenants/{tenant}/top-ups"))
                .bearer_auth(&token)
                .header("idempotency-key", &key)
                .json(&json!({"amount": {"amount": "1.00", "currency": "USD"}}));
            let (status, body) = call(&record, &app_url, "top-up", request).await;
            match status {
                201 => {
                    record.acknowledged.lock().unwrap().push(key.clone());
                    break;
                }
                503 | 409 => pause(Duration::from_millis(500)).await,
                _ => panic!("top-up answered {status}: {body}"),
            }
        }
        let request = http
            .get(format!("{app_url}/v1/tenants/{tenant}/balance"))
            .bearer_auth(&token);
        call(&record, &app_url, "balance", request).await;
    }
}

/// Until `check` holds, polling; panics with `what` after `bound`.
async fn until(what: &str, bound: Duration, mut check: impl AsyncFnMut() -> bool) -> Duration {
    let started = Instant::now();
    while !check().await {
        assert!(started.elapsed() < bound, "{what}: not within {bound:?}");
        pause(Duration::from_millis(100)).await;
    }
    started.elapsed()
}

/// The 5xx answers: each must be a 503 `unavailable` problem with Retry-After.
fn unavailable_answers(answers: &[Answer]) -> Vec<&Answer> {
    let failed: Vec<&Answer> = answers.iter().filter(|a| a.status >= 500).collect();
    for answer in &failed {
        assert_eq!(
            (answer.status, answer.code.as_str()),
            (503, "unavailable"),
            "a fault answers 503 unavailable, never 500: {answer:?}"
        );
        assert!(
            answer.retry_after.is_some(),
            "a 503 says when to retry: {answer:?}"
        );
        assert!(
            answer.content_type.starts_with("application/problem+json"),
            "{answer:?}"
        );
    }
    failed
}

/// Every top-up acknowledged is in the balance exactly once, and the ledger verifies.
async fn money_kept(app: &TestApp, token: &str, tenant: &str, record: &Record) {
    let (status, balance) = send_with(
        app,
        Some(token),
        "GET",
        &format!("/v1/tenants/{tenant}/balance"),
        None,
        None,
    )
    .await;
    assert_eq!(status, 200, "{balance}");
    let acknowledged = record.acknowledged();
    assert_eq!(
        balance["cash"]["amount"].as_str().unwrap(),
        format!("{acknowledged}.000000"),
        "each acknowledged top-up landed once, none more"
    );
    let (status, verified) = send_with(
        app,
        Some(&app.admin_token),
        "GET",
        "/v1/admin/ledger/verify",
        None,
        None,
    )
    .await;
    assert_eq!(
        (status.as_u16(), &verified["ok"]),
        (200, &json!(true)),
        "{verified}"
    );
}

async fn readiness(app_url: &str) -> (u16, Value) {
    let response = crate::http()
        .get(format!("{app_url}/readyz"))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn run(program: &str, args: &[&str]) {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    assert!(
        output.status.success(),
        "{program} {}: {}{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The PostgreSQL cluster `.ci/services.sh` runs: the newest under /etc/postgresql.
fn postgres_cluster(action: &str) {
    let mut versions: Vec<String> = std::fs::read_dir("/etc/postgresql")
        .expect("a Debian PostgreSQL cluster (see .ci/services.sh)")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    versions.sort_by_key(|v| v.parse::<u32>().unwrap_or(0));
    let version = versions.last().expect("a PostgreSQL version");
    let mut args = vec!["--skip-systemctl-redirect", version.as_str(), "main", action];
    if action == "stop" {
        args.extend(["-m", "fast"]);
    }
    run("pg_ctlcluster", &args);
}

/// Starts PostgreSQL again however the test ends, so the tests after it find it running.
struct PostgresBack;

impl Drop for PostgresBack {
    fn drop(&mut self) {
        if std::net::TcpStream::connect("127.0.0.1:5432").is_err() {
            postgres_cluster("start");
        }
    }
}

/// PostgreSQL stops for longer than the pool waits for a connection (5 s) and starts again, with
/// three tenants topping up and reading meanwhile. Expected: requests in flight or waiting when
/// it stops answer `503 unavailable` with Retry-After (never 500), `/readyz` says `unavailable`;
/// once it is back the same process serves again without anyone acting, `/readyz` is `ok`,
/// retried top-ups land once, every acknowledged one is kept and the ledger verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "stops the machine's shared services: run alone (cargo xtask test does)"]
async fn postgres_stopped_and_started_mid_load_answers_503_then_recovers_and_keeps_every_top_up() {
    let app = spawn_app(Backend::Postgres, |config| {
        config.billing_test_provider = Some(true);
        config.http.rate_limit_per_s = 0;
    })
    .await;
    let record = Arc::new(Record::default());
    let stop = Arc::new(AtomicBool::new(false));
    let mut tenants = Vec::new();
    let mut clients = Vec::new();
    for i in 0..3 {
        let (_, owner) = app.signed_up(&format!("pg-fault-{i}")).await;
        let tenant = owner.tenant.as_ref().unwrap().id.to_string();
        tenants.push((owner.session_token.clone(), tenant.clone()));
        clients.push(tokio::spawn(tenant_client(
            app.url.clone(),
            owner.session_token.clone(),
            tenant,
            stop.clone(),
            record.clone(),
        )));
    }
    until("the load is under way", Duration::from_secs(30), async || {
        record.acknowledged() >= 15
    })
    .await;

    let _restart = PostgresBack;
    let down = Instant::now();
    postgres_cluster("stop");
    let during = readiness(&app.url).await;
    pause(Duration::from_secs(7).saturating_sub(down.elapsed())).await;
    postgres_cluster("start");
    let up = Instant::now();
    let recovered_in = until(
        "ready again without anyone acting",
        Duration::from_secs(30),
        async || readiness(&app.url).await.0 == 200,
    )
    .await;
    let before = record.acknowledged();
    until("top-ups land again", Duration::from_secs(30), async || {
        record.acknowledged() >= before + 15
    })
    .await;
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        client.await.unwrap();
    }

    assert_eq!(during.0, 503, "{}", during.1);
    assert_eq!(during.1["status"], "unavailable", "{}", during.1);
    let answers = record.answers();
    let failed = unavailable_answers(&answers);
    assert!(
        !failed.is_empty(),
        "the outage reached the clients (else this test proves nothing)"
    );
    let settle = Duration::from_secs(2);
    for answer in &failed {
        assert!(
            answer.sent >= down.checked_sub(settle).unwrap() && answer.sent <= up + settle,
            "503s only while PostgreSQL was down: {:?} after it stopped, it was down {:?}",
            answer.sent.saturating_duration_since(down),
            up - down
        );
    }
    eprintln!(
        "postgres fault: {} requests, {} answered 503 while down {:?}; ready {:?} after the start",
        answers.len(),
        failed.len(),
        up - down,
        recovered_in
    );
    let mut total = 0_u64;
    for (token, tenant) in &tenants {
        let (_, balance) = send_with(
            &app,
            Some(token),
            "GET",
            &format!("/v1/tenants/{tenant}/balance"),
            None,
            None,
        )
        .await;
        let cash: f64 = balance["cash"]["amount"].as_str().unwrap().parse().unwrap();
        total += cash as u64;
    }
    assert_eq!(
        total,
        record.acknowledged() as u64,
        "each acknowledged top-up landed once, none more"
    );
    let (status, verified) = send_with(
        &app,
        Some(&app.admin_token),
        "GET",
        "/v1/admin/ledger/verify",
        None,
        None,
    )
    .await;
    assert_eq!(
        (status.as_u16(), &verified["ok"]),
        (200, &json!(true)),
        "{verified}"
    );
    app.stop().await;
}

fn redis_url() -> String {
    std::env::var("INGOT_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

fn redis_cli(args: &[&str]) -> String {
    let url = redis_url();
    let output = Command::new("redis-cli")
        .args(["-u", url.as_str()])
        .args(args)
        .output()
        .expect("redis-cli (see .ci/services.sh)");
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// Starts Redis the way `.ci/services.sh` does.
fn redis_start() {
    run(
        "redis-server",
        &[
            "--daemonize",
            "yes",
            "--bind",
            "127.0.0.1",
            "-::1",
            "--port",
            "6379",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            "/tmp",
            "--logfile",
            "/tmp/ingot-redis.log",
        ],
    );
}

/// Starts Redis again however the test ends.
struct RedisBack;

impl Drop for RedisBack {
    fn drop(&mut self) {
        if std::net::TcpStream::connect("127.0.0.1:6379").is_err() {
            redis_start();
        }
    }
}

/// Redis stops and starts again (empty, as a restart without persistence leaves it). Expected:
/// it is a cache only, so every request keeps answering correctly meanwhile (logins, failed
/// logins, dashboards, top-ups, reads), slower; `/readyz` answers 200 `degraded` naming the
/// cache, so load balancers keep the replica; once Redis is back, the same process uses it
/// again without anyone acting (`ok`, and dashboard reads fill it again).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "stops the machine's shared services: run alone (cargo xtask test does)"]
async fn redis_stopped_and_started_is_a_slower_cache_miss_and_is_used_again() {
    let app = spawn_app(Backend::Sqlite, |config| {
        config.billing_test_provider = Some(true);
        config.http.rate_limit_per_s = 0;
        config.redis_url = Some(redis_url());
    })
    .await;
    let (_, owner) = app.signed_up("redis-fault").await;
    let tenant = owner.tenant.as_ref().unwrap().id.to_string();
    let token = owner.session_token.clone();
    let overview = format!("/v1/tenants/{tenant}/overview");
    let (status, before) = send_with(&app, Some(&token), "GET", &overview, None, None).await;
    assert_eq!(status, 200, "{before}");
    let (status, ready) = readiness(&app.url).await;
    assert_eq!((status, &ready["status"]), (200, &json!("ok")), "{ready}");

    let _restart = RedisBack;
    redis_cli(&["shutdown", "nosave"]);
    until("Redis stopped", Duration::from_secs(10), async || {
        std::net::TcpStream::connect("127.0.0.1:6379").is_err()
    })
    .await;

    let (status, ready) = readiness(&app.url).await;
    assert_eq!((status, &ready["status"]), (200, &json!("degraded")), "{ready}");
    let cache = ready["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "cache")
        .unwrap();
    assert_eq!(cache["ok"], false, "{ready}");
    let (status, during) = send_with(&app, Some(&token), "GET", &overview, None, None).await;
    assert_eq!(status, 200, "{during}");
    assert_eq!(
        during["balance"], before["balance"],
        "the same answer without the cache"
    );
    let (status, body) = send_with(
        &app,
        Some(&token),
        "POST",
        &format!("/v1/tenants/{tenant}/top-ups"),
        Some(json!({"amount": {"amount": "2.00", "currency": "USD"}})),
        Some("top-up-without-redis"),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let email = owner.user.email.clone();
    let (status, body) = send_with(
        &app,
        None,
        "POST",
        "/v1/auth/login",
        Some(json!({"email": email, "password": "wrong password, not this one"})),
        None,
    )
    .await;
    assert_eq!(status, 401, "a failed login is refused, not an error: {body}");
    let (status, body) = send_with(
        &app,
        None,
        "POST",
        "/v1/auth/login",
        Some(json!({"email": email, "password": "redis-fault-long-enough-passphrase-9"})),
        None,
    )
    .await;
    assert_eq!(status, 200, "logins go on without the cache: {body}");
    let (status, me) = send_with(&app, Some(&token), "GET", "/v1/me", None, None).await;
    assert_eq!(status, 200, "{me}");

    redis_start();
    until("Redis started", Duration::from_secs(10), async || {
        std::net::TcpStream::connect("127.0.0.1:6379").is_ok()
    })
    .await;
    assert_eq!(redis_cli(&["dbsize"]), "0", "a restarted Redis is empty");
    until(
        "ready again without anyone acting",
        Duration::from_secs(30),
        async || readiness(&app.url).await.1["status"] == "ok",
    )
    .await;
    until(
        "dashboard reads fill the cache again",
        Duration::from_secs(30),
        async || {
            let (status, after) = send_with(&app, Some(&token), "GET", &overview, None, None).await;
            assert_eq!(status, 200, "{after}");
            redis_cli(&["dbsize"]) != "0"
        },
    )
    .await;
    let (_, after) = send_with(&app, Some(&token), "GET", &overview, None, None).await;
    assert_ne!(
        after["balance"], before["balance"],
        "the top-up made meanwhile shows: {after}"
    );
    app.stop().await;
}

/// Sets this process's file-size limit (soft; the hard limit stays unlimited), in bytes.
fn file_size_limit(bytes: Option<u64>) {
    let soft = bytes.map_or("unlimited".to_string(), |b| b.to_string());
    run(
        "prlimit",
        &[
            "--pid",
            &std::process::id().to_string(),
            &format!("--fsize={soft}:unlimited"),
        ],
    );
}

/// Lifts the file-size limit however the test ends.
struct Unlimited;

impl Drop for Unlimited {
    fn drop(&mut self) {
        // Never a panic here (it may run while unwinding from one): report and go on.
        let lifted = Command::new("prlimit")
            .args([
                "--pid",
                &std::process::id().to_string(),
                "--fsize=unlimited:unlimited",
            ])
            .status();
        if !lifted.is_ok_and(|s| s.success()) {
            eprintln!("could not lift the file-size limit of the test process");
        }
    }
}

/// The SQLite file may not grow (this process's file-size limit set just above what it holds:
/// writes then fail as on a full disk) while a tenant tops up and reads. Expected: writes answer
/// `503 unavailable` with Retry-After, never 500; reads go on answering; nothing half-written;
/// once space is back the same process writes again without a restart, retried top-ups land
/// once, every acknowledged one is kept and the ledger verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "stops the machine's shared services: run alone (cargo xtask test does)"]
async fn sqlite_with_no_room_to_grow_refuses_writes_with_503_keeps_reading_and_recovers() {
    let app = spawn_app(Backend::Sqlite, |config| {
        config.billing_test_provider = Some(true);
        config.http.rate_limit_per_s = 0;
    })
    .await;
    let (_, owner) = app.signed_up("disk-fault").await;
    let tenant = owner.tenant.as_ref().unwrap().id.to_string();
    let token = owner.session_token.clone();
    let record = Arc::new(Record::default());
    let path = app
        .db
        .url
        .strip_prefix("sqlite://")
        .and_then(|rest| rest.split('?').next())
        .map(std::path::PathBuf::from)
        .expect("a SQLite file");
    let size = |suffix: &str| {
        std::fs::metadata(format!("{}{suffix}", path.display()))
            .map(|m| m.len())
            .unwrap_or(0)
    };

    // A write past the limit is refused with EFBIG instead of SIGXFSZ ending the process.
    let _xfsz = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::from_raw(25)).unwrap();
    let _unlimited = Unlimited;
    file_size_limit(Some(size("").max(size("-wal")) + 64 * 1024));

    let stop = Arc::new(AtomicBool::new(false));
    let client = tokio::spawn(tenant_client(
        app.url.clone(),
        token.clone(),
        tenant.clone(),
        stop.clone(),
        record.clone(),
    ));
    let full = until("writes are refused", Duration::from_secs(120), async || {
        record.answers().iter().any(|a| a.status == 503)
    })
    .await;
    // Full: reads still answer, and writes keep being refused cleanly.
    for path in ["/v1/me".to_string(), format!("/v1/tenants/{tenant}/balance")] {
        let (status, body) = send_with(&app, Some(&token), "GET", &path, None, None).await;
        assert_eq!(status, 200, "{path} while the disk is full: {body}");
    }
    // A retry under the same key answers 503 again, or 409 `idempotency_key_in_use` when the
    // refused request's key could not be released either (releasing it is a write too).
    let refused = || {
        record
            .answers()
            .iter()
            .filter(|a| a.what == "top-up" && matches!(a.status, 503 | 409))
            .count()
    };
    let refused_before = refused();
    until("a few more writes refused", Duration::from_secs(30), async || {
        refused() >= refused_before + 2
    })
    .await;

    file_size_limit(None);
    let before = record.acknowledged();
    let freed = Instant::now();
    until(
        "top-ups land again without a restart",
        Duration::from_secs(30),
        async || record.acknowledged() >= before + 5,
    )
    .await;
    stop.store(true, Ordering::Relaxed);
    client.await.unwrap();

    let answers = record.answers();
    let failed = unavailable_answers(&answers);
    assert!(!failed.is_empty());
    for answer in answers.iter().filter(|a| a.status == 409) {
        assert_eq!(answer.code, "idempotency_key_in_use", "{answer:?}");
        assert!(answer.retry_after.is_some(), "{answer:?}");
    }
    assert!(
        answers
            .iter()
            .filter(|a| a.what == "balance" && a.sent < freed)
            .all(|a| a.status == 200),
        "reads answered while writes were refused"
    );
    eprintln!(
        "disk fault: {} requests, {} refused with 503 (the first after {full:?}), {} top-ups kept",
        answers.len(),
        failed.len(),
        record.acknowledged()
    );
    money_kept(&app, &token, &tenant, &record).await;
    app.stop().await;
}
