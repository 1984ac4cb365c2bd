//! IAM throughput on this machine, reported as numbers and ratios measured in the same run
//! (../shared/reference/performance.md): logins/s against raw argon2id hashes/s, and
//! token-authenticated reads/s against an axum hello-world, with a login storm running meanwhile.
//!
//! `cargo bench -p ingotd --bench iam` runs it for real; under `cargo test` it only smoke-runs.

// A benchmark reports; it does not assert. Failures to set up are fatal.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use ingot_contracts::iam::{LoginRequest, SignupRequest, TenantRole, TokenCreateRequest};
use ingot_iam::secrets::{ARGON2_LANES, ARGON2_MEMORY_KIB, ARGON2_PASSES, PasswordHasherPool};
use ingotd::config::Config;
use ingotd::{Seams, app_build, app_serve};

struct Run {
    seconds: f64,
    clients: usize,
}

async fn count_for<F, Fut>(run: &Run, clients: usize, stop_early: Option<Arc<AtomicBool>>, work: F) -> f64
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

#[tokio::main]
async fn main() {
    let real = std::env::args().any(|a| a == "--bench");
    let run = if real {
        Run {
            seconds: 10.0,
            clients: 16,
        }
    } else {
        Run {
            seconds: 0.2,
            clients: 2,
        }
    };
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());

    // Baseline 1: raw argon2id hashing with the same parameters and pool as IAM uses.
    let pool = PasswordHasherPool::new(cores).unwrap();
    let stored = pool.hash("tuba-cellar-orbit-42").await.unwrap();
    let hashes = {
        let (pool, stored) = (pool.clone(), stored.clone());
        count_for(&run, run.clients, None, move || {
            let (pool, stored) = (pool.clone(), stored.clone());
            async move { pool.verify("tuba-cellar-orbit-42", Some(&stored)).await.unwrap() }
        })
        .await
    };

    // Baseline 2: axum hello-world on the same machine, same client.
    let hello = axum::Router::new().route("/", axum::routing::get(|| async { "hello" }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hello_url = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, hello).await.unwrap() });
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()
        .unwrap();
    let hello_rps = {
        let (http, url) = (http.clone(), hello_url.clone());
        count_for(&run, run.clients, None, move || {
            let (http, url) = (http.clone(), url.clone());
            async move { http.get(&url).send().await.is_ok_and(|r| r.status().is_success()) }
        })
        .await
    };

    // Ingot on the embedded default (SQLite), rate limiting off for a single-source load.
    let data_dir = std::env::temp_dir().join(format!("ingot-bench-{}", ingot_kernel::id::new_ulid()));
    let mut config = Config {
        data_dir: data_dir.clone(),
        ..Config::default()
    };
    config.http.rate_limit_per_s = 0;
    config.log_level = "error".into();
    let app = app_build(config, Seams::default()).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(app_serve(app, listener, std::future::pending()));
    let client = ingot_sdk::Client::new(&base).unwrap();
    let mut users = Vec::new();
    for i in 0..run.clients {
        let email = format!("bench{i}@example.com");
        let request = SignupRequest {
            email: email.clone(),
            password: "tuba-cellar-orbit-42".into(),
            display_name: "b".into(),
            tenant_name: "b".into(),
        };
        let created = client.signup(&request).await.unwrap();
        users.push((email, created));
    }
    let (_, first) = &users[0];
    let token = client
        .clone()
        .with_token(&first.session_token)
        .token_create(&TokenCreateRequest {
            name: "bench".into(),
            tenant_id: first.tenant.as_ref().unwrap().id,
            project_id: None,
            role: TenantRole::Viewer,
            expires_in_days: Some(1),
        })
        .await
        .unwrap()
        .token;

    // A login storm (each client its own account, so lockouts never trigger) ...
    let emails: Arc<Vec<String>> = Arc::new(users.iter().map(|(e, _)| e.clone()).collect());
    let next = Arc::new(AtomicU64::new(0));
    let storm = {
        let (client, emails, next) = (client.clone(), emails.clone(), next.clone());
        let run = Run { ..run };
        tokio::spawn(async move {
            count_for(&run, run.clients, None, move || {
                let (client, emails, next) = (client.clone(), emails.clone(), next.clone());
                async move {
                    let email =
                        emails[(next.fetch_add(1, Ordering::Relaxed) as usize) % emails.len()].clone();
                    let request = LoginRequest {
                        email,
                        password: "tuba-cellar-orbit-42".into(),
                        totp_code: None,
                    };
                    client.login(&request).await.is_ok()
                }
            })
            .await
        })
    };
    // ... while token-authenticated reads run.
    let reads = {
        let reader = client.clone().with_token(&token);
        count_for(
            &Run {
                seconds: run.seconds,
                clients: run.clients,
            },
            run.clients,
            None,
            move || {
                let reader = reader.clone();
                async move { reader.me_get().await.is_ok() }
            },
        )
        .await
    };
    let logins = storm.await.unwrap();
    let _ = std::fs::remove_dir_all(&data_dir);

    println!(
        "iam benchmark ({} s per phase, {} clients, {cores} cores)",
        run.seconds, run.clients
    );
    println!(
        "  argon2id m={ARGON2_MEMORY_KIB} KiB t={ARGON2_PASSES} p={ARGON2_LANES}: {hashes:.1} verifications/s (raw)"
    );
    println!(
        "  logins through HTTP, during token reads:   {logins:.1} logins/s   ratio {:.2} (target >= 0.8)",
        logins / hashes
    );
    println!("  axum hello-world:                           {hello_rps:.0} req/s (raw)");
    println!(
        "  token GET /v1/me, during the login storm:   {reads:.0} req/s   ratio {:.2} (target >= 0.3)",
        reads / hello_rps
    );
}
