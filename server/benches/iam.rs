//! IAM throughput on this machine, reported as numbers and ratios measured in the same run
//! (../shared/reference/performance.md): logins/s against raw argon2id hashes/s, and
//! token-authenticated reads/s against an axum hello-world, with a login storm running meanwhile.
//!
//! `cargo bench -p ingotd --bench iam` runs it for real; under `cargo test` it only smoke-runs.

// A benchmark reports; it does not assert. Failures to set up are fatal.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use ingot_contracts::iam::{LoginRequest, SignupRequest, TenantRole, TokenCreateRequest};
use ingot_iam::secrets::{ARGON2_LANES, ARGON2_MEMORY_KIB, ARGON2_PASSES, PasswordHasherPool};
use support::{Figure, Run, count_for, embedded_app_spawn, hello_world_rps, record, report_write};

#[tokio::main]
async fn main() {
    let run = Run::from_args();
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
    let hello_rps = hello_world_rps(&run).await;

    let (base, data_dir, _) = embedded_app_spawn().await;
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
    let scenario = "login storm while token-authenticated reads run";
    let load = format!(
        "{} clients each for logins and reads, {} s",
        run.clients, run.seconds
    );
    record(
        Figure::new(scenario, "logins through HTTP", logins, "/s")
            .baseline("raw argon2id verifications", hashes)
            .target("≥ 0.8", logins / hashes >= 0.8)
            .note(format!(
                "argon2id m={ARGON2_MEMORY_KIB} KiB t={ARGON2_PASSES} p={ARGON2_LANES}, {cores} cores"
            ))
            .note(load.clone()),
    );
    record(
        Figure::new(scenario, "token GET /v1/me", reads, "/s")
            .baseline("axum hello-world", hello_rps)
            .target("≥ 0.3", reads / hello_rps >= 0.3)
            .note(load),
    );
    report_write();
}
