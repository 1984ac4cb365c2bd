//! Ledger throughput on this machine, on the embedded default (SQLite), reported as ratios to the
//! same two-entry transaction written as raw SQL in the same run: postings/s through the store,
//! through the service (authorization and the audit record included) and through HTTP; each for a
//! hot account (every posting charges one tenant) and spread over 64 tenants. Through HTTP twice:
//! without an `Idempotency-Key`, and as performance.md's scenario, every POST with a key and one
//! in ten a retry of a key already answered, checked afterwards to have changed nothing.
//!
//! `cargo bench -p ingotd --bench ledger` runs it for real; under `cargo test` it only smoke-runs.

// A benchmark reports; it does not assert. Failures to set up are fatal.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

mod support;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use ingot_billing::model::{AccountKind, AccountRef, Posting, PostingKind, Transfer};
use ingot_contracts::billing::{BillingApi, ChargeRequest, CreditRequest};
use ingot_contracts::iam::{Actor, CredentialRef, PlatformRole, PlatformRolesRequest, SignupRequest};
use ingot_kernel::db::Db;
use ingot_kernel::id::{SessionId, TenantId, UserId};
use ingot_kernel::money::{Currency, Money};
use ingot_kernel::{Clock, SystemClock};
use support::{Figure, Run, count_for, embedded_app, record, report_write, serve};

fn usd(micros: i64) -> Money {
    Money::from_micros(micros, Currency::USD)
}

fn finance_actor() -> Actor {
    let mut actor = Actor::anonymous();
    actor.user_id = Some(UserId::generate());
    actor.credential = Some(CredentialRef::Session(SessionId::generate()));
    actor.platform_roles.insert(PlatformRole::Finance);
    actor
}

/// The same posting as `charge`, by hand: claim the key, debit with the floor check, credit,
/// write the transfer.
async fn raw_two_entry(db: &Db, n: u64, from: &str, to: &str) -> bool {
    let mut tx = db.begin().await.unwrap();
    let id = format!("txn_raw_{n}");
    sqlx::query(
        "INSERT INTO billing_transactions (id, idempotency_key, fingerprint, kind, memo, created_at_us) \
         VALUES ($1, $1, '', 'adjustment', '', 0)",
    )
    .bind(&id)
    .execute(&mut *tx)
    .await
    .unwrap();
    let debited = sqlx::query(
        "UPDATE billing_accounts SET balance_micros = balance_micros - 1 WHERE key = $1 \
         AND balance_micros - held_micros - 1 >= floor_micros",
    )
    .bind(from)
    .execute(&mut *tx)
    .await
    .unwrap();
    if debited.rows_affected() != 1 {
        return false;
    }
    sqlx::query("UPDATE billing_accounts SET balance_micros = balance_micros + 1 WHERE key = $1")
        .bind(to)
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO billing_transfers (transaction_id, position, debit_key, credit_key, amount_micros, currency) \
         VALUES ($1, 0, $2, $3, 1, 'USD')",
    )
    .bind(&id)
    .bind(from)
    .bind(to)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    true
}

#[tokio::main]
async fn main() {
    let run = Run::from_args();
    let (app, data_dir, admin_token) = embedded_app().await;
    let db = app.db.clone();
    let billing = app.billing.clone();
    let finance = finance_actor();
    let tenants: Vec<TenantId> = (0..64).map(|_| TenantId::generate()).collect();
    for tenant in &tenants {
        let request = CreditRequest {
            amount: usd(500_000_000_000),
            reason: "bench float".into(),
            promotional: false,
        };
        billing
            .credit_grant(&finance, *tenant, request, None)
            .await
            .unwrap();
    }
    let cash = |t: TenantId| AccountRef::tenant(t, AccountKind::TenantCash, Currency::USD).unwrap();
    let revenue = AccountRef::platform(AccountKind::PlatformRevenue, Currency::USD).unwrap();
    // The raw path writes plain UPDATEs: the accounts it touches must exist.
    let mut tx = db.begin().await.unwrap();
    ingot_billing::store::account_ensure_in_tx(&mut tx, &revenue, SystemClock.now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let next = Arc::new(AtomicU64::new(0));
    let pick = move |next: &AtomicU64, hot: bool, tenants: &[TenantId]| {
        let n = next.fetch_add(1, Ordering::Relaxed);
        (
            n,
            if hot {
                tenants[0]
            } else {
                tenants[n as usize % tenants.len()]
            },
        )
    };
    let tenants = Arc::new(tenants);

    // A finance session for the HTTP runs.
    let base = serve(app).await;
    let client = ingot_sdk::Client::new(&base).unwrap();
    let created = client
        .signup(&SignupRequest {
            email: "bench-finance@example.com".into(),
            password: "tuba-cellar-orbit-42".into(),
            display_name: "f".into(),
            tenant_name: "f".into(),
        })
        .await
        .unwrap();
    client
        .clone()
        .with_token(&admin_token)
        .platform_roles_set(
            created.user.id,
            &PlatformRolesRequest {
                platform_roles: vec![PlatformRole::Finance],
            },
        )
        .await
        .unwrap();
    let finance_token = created.session_token;
    let http = ingot_kernel::outbound::client_builder()
        .pool_max_idle_per_host(64)
        .build()
        .unwrap();

    let mut lines = Vec::new();
    let mut figures = Vec::new();
    for (label, hot) in [("hot account", true), ("spread over 64", false)] {
        let raw = {
            let (db, next, tenants) = (db.clone(), next.clone(), tenants.clone());
            let revenue_key = revenue.key();
            count_for(&run, run.clients, None, move || {
                let (db, next, tenants, revenue_key) =
                    (db.clone(), next.clone(), tenants.clone(), revenue_key.clone());
                async move {
                    let (n, tenant) = pick(&next, hot, &tenants);
                    raw_two_entry(&db, n, &cash(tenant).key(), &revenue_key).await
                }
            })
            .await
        };
        let store = {
            let (db, next, tenants) = (db.clone(), next.clone(), tenants.clone());
            count_for(&run, run.clients, None, move || {
                let (db, next, tenants) = (db.clone(), next.clone(), tenants.clone());
                async move {
                    let (n, tenant) = pick(&next, hot, &tenants);
                    let posting = Posting::new(
                        format!("bench-store-{n}"),
                        PostingKind::Adjustment,
                        Some(tenant),
                        vec![Transfer {
                            debit: cash(tenant),
                            credit: revenue,
                            amount: usd(1),
                        }],
                        "bench",
                    )
                    .unwrap();
                    let mut tx = db.begin().await.unwrap();
                    let ok = ingot_billing::store::post_in_tx(&mut tx, &posting, &[], SystemClock.now())
                        .await
                        .is_ok();
                    tx.commit().await.unwrap();
                    ok
                }
            })
            .await
        };
        let service = {
            let (billing, next, tenants, finance) =
                (billing.clone(), next.clone(), tenants.clone(), finance.clone());
            count_for(&run, run.clients, None, move || {
                let (billing, next, tenants, finance) =
                    (billing.clone(), next.clone(), tenants.clone(), finance.clone());
                async move {
                    let (_, tenant) = pick(&next, hot, &tenants);
                    let request = ChargeRequest {
                        amount: usd(10_000),
                        reason: "bench".into(),
                    };
                    billing.charge_post(&finance, tenant, request, None).await.is_ok()
                }
            })
            .await
        };
        let over_http = {
            let (http, next, tenants, token, base) = (
                http.clone(),
                next.clone(),
                tenants.clone(),
                finance_token.clone(),
                base.clone(),
            );
            count_for(&run, run.clients, None, move || {
                let (http, next, tenants, token, base) =
                    (http.clone(), next.clone(), tenants.clone(), token.clone(), base.clone());
                async move {
                    let (_, tenant) = pick(&next, hot, &tenants);
                    http.post(format!("{base}/v1/admin/tenants/{tenant}/charges"))
                        .bearer_auth(&token)
                        .json(&serde_json::json!({"amount": {"amount": "0.01", "currency": "USD"}, "reason": "bench"}))
                        .send()
                        .await
                        .is_ok_and(|r| r.status().is_success())
                }
            })
            .await
        };
        // performance.md's scenario: every POST carries an Idempotency-Key, and one in ten repeats
        // a key already answered (same tenant, same body), as a client retrying after a lost
        // response would. Only answered keys are retried, so no retry meets one still in flight.
        let phase = if hot { "hot" } else { "spread" };
        let answered: Arc<Mutex<Vec<(String, TenantId, String)>>> = Arc::new(Mutex::new(Vec::new()));
        let fresh = Arc::new(AtomicU64::new(0));
        let replayed = Arc::new(AtomicU64::new(0));
        let replays_differing = Arc::new(AtomicU64::new(0));
        let idempotent = {
            let (http, next, tenants, token, base) = (
                http.clone(),
                next.clone(),
                tenants.clone(),
                finance_token.clone(),
                base.clone(),
            );
            let (answered, fresh, replayed, replays_differing) = (
                answered.clone(),
                fresh.clone(),
                replayed.clone(),
                replays_differing.clone(),
            );
            count_for(&run, run.clients, None, move || {
                let (http, next, tenants, token, base) =
                    (http.clone(), next.clone(), tenants.clone(), token.clone(), base.clone());
                let (answered, fresh, replayed, replays_differing) =
                    (answered.clone(), fresh.clone(), replayed.clone(), replays_differing.clone());
                async move {
                    let (n, tenant) = pick(&next, hot, &tenants);
                    let retry = if n % 10 == 9 {
                        let answered = answered.lock().unwrap();
                        (!answered.is_empty()).then(|| answered[n as usize % answered.len()].clone())
                    } else {
                        None
                    };
                    let (key, tenant) = match &retry {
                        Some((key, tenant, _)) => (key.clone(), *tenant),
                        None => (format!("bench-idem-{phase}-{n}"), tenant),
                    };
                    let Ok(response) = http
                        .post(format!("{base}/v1/admin/tenants/{tenant}/charges"))
                        .bearer_auth(&token)
                        .header("idempotency-key", &key)
                        .json(&serde_json::json!({"amount": {"amount": "0.01", "currency": "USD"}, "reason": "bench"}))
                        .send()
                        .await
                    else {
                        return false;
                    };
                    if !response.status().is_success() {
                        return false;
                    }
                    let body = response.text().await.unwrap_or_default();
                    match retry {
                        Some((_, _, first)) => {
                            replayed.fetch_add(1, Ordering::Relaxed);
                            if body != first {
                                replays_differing.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                        None => {
                            fresh.fetch_add(1, Ordering::Relaxed);
                            answered.lock().unwrap().push((key, tenant, body));
                        }
                    }
                    true
                }
            })
            .await
        };
        let postings: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM billing_transactions WHERE idempotency_key LIKE $1")
                .bind(format!("charge/%/bench-idem-{phase}-%"))
                .fetch_one(db.reader())
                .await
                .unwrap();
        let (fresh, replayed, replays_differing) = (
            fresh.load(Ordering::Relaxed),
            replayed.load(Ordering::Relaxed),
            replays_differing.load(Ordering::Relaxed),
        );
        let unchanged = postings == i64::try_from(fresh).unwrap() && replays_differing == 0;
        lines.push(format!(
            "  {label:<15} raw SQL {raw:>7.0}/s | store {store:>7.0}/s ({:.2}) | service {service:>7.0}/s ({:.2}) | HTTP {over_http:>7.0}/s ({:.2}) \
             | HTTP with keys, 10 % retries {idempotent:>7.0}/s ({:.2}; {fresh} keys, {postings} postings, {replayed} retries, {replays_differing} answered differently)",
            store / raw,
            service / raw,
            over_http / raw,
            idempotent / raw,
        ));
        let scenario = if hot {
            "ledger posting, hot account (every posting charges one tenant)"
        } else {
            "ledger posting, spread over 64 tenants"
        };
        let load = format!("{} clients, {} s", run.clients, run.seconds);
        let baseline = "raw two-entry transaction (SQL)";
        figures.push(Figure::new(scenario, "store post_in_tx", store, "/s").baseline(baseline, raw));
        figures.push(Figure::new(scenario, "service charge_post", service, "/s").baseline(baseline, raw));
        figures.push(
            Figure::new(scenario, "HTTP charge, no Idempotency-Key", over_http, "/s")
                .baseline(baseline, raw)
                .note(load.clone()),
        );
        figures.push(
            Figure::new(scenario, "HTTP charge, Idempotency-Key, 10 % retries", idempotent, "/s")
                .baseline(baseline, raw)
                .target("≥ 0.5; replays change nothing", idempotent / raw >= 0.5 && unchanged)
                .note(format!(
                    "{fresh} keys posted {postings} transactions; {replayed} retries, {replays_differing} answered differently from the first"
                ))
                .note(load),
        );
    }
    let report = ingot_billing::store::ledger_verify(db.reader()).await.unwrap();
    let _ = std::fs::remove_dir_all(&data_dir);
    println!(
        "ledger benchmark, embedded SQLite ({} s per phase, {} clients; ratios to raw SQL)",
        run.seconds, run.clients
    );
    for line in lines {
        println!("{line}");
    }
    println!(
        "  afterwards: {} transactions, ledger verifies: {}",
        report.transactions,
        report.breaches.is_empty()
    );
    for figure in figures {
        if figure.target.is_some() {
            let verifies = report.breaches.is_empty();
            record(figure.note(format!("ledger verifies afterwards: {verifies}")));
        } else {
            record(figure);
        }
    }
    report_write();
}
