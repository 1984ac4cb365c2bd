//! Billing through HTTP: test-provider top-ups, finance credits, the ledger listing and its
//! verification, idempotent retries, and who may see or move whose money.

use ingot_contracts::iam::{PlatformRole, PlatformRolesRequest, TenantRole};
use ingot_kernel::db::Backend;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{TestApp, allocation_says, http, kyc_verified, send_with, spawn_app};

fn usd(amount: &str) -> Value {
    json!({"amount": amount, "currency": "USD"})
}

/// A finance staffer's session token.
async fn finance(app: &TestApp) -> String {
    let (_, created) = app.signed_up("finance").await;
    app.admin()
        .platform_roles_set(
            created.user.id,
            &PlatformRolesRequest {
                platform_roles: vec![PlatformRole::Finance],
            },
        )
        .await
        .unwrap();
    created.session_token
}

async fn top_ups_and_credits_land_once_and_the_ledger_verifies(backend: Backend) {
    let app = spawn_app(backend, |config| config.billing_test_provider = Some(true)).await;
    let (_, owner) = app.signed_up("owner").await;
    let tenant = owner.tenant.as_ref().unwrap().id;
    let token = Some(owner.session_token.as_str());

    let (status, balance) = send_with(
        &app,
        token,
        "GET",
        &format!("/v1/tenants/{tenant}/balance"),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{balance}");
    assert_eq!(balance["available"], usd("0.000000"));

    let path = format!("/v1/tenants/{tenant}/top-ups");
    let body = json!({"amount": usd("25.50")});
    let (status, first) = send_with(&app, token, "POST", &path, Some(body.clone()), Some("pay-1")).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["status"], "succeeded");
    let (status, again) = send_with(&app, token, "POST", &path, Some(body), Some("pay-1")).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        again["transaction_id"], first["transaction_id"],
        "a retried top-up lands once"
    );

    let finance = finance(&app).await;
    let credit = json!({"amount": usd("5"), "reason": "sorry for the outage", "promotional": true});
    let (status, entry) = send_with(
        &app,
        Some(&finance),
        "POST",
        &format!("/v1/admin/tenants/{tenant}/credits"),
        Some(credit),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{entry}");
    assert_eq!(
        (entry["account"].as_str(), &entry["amount"]),
        (Some("promo"), &usd("5.000000"))
    );

    let (_, balance) = send_with(
        &app,
        token,
        "GET",
        &format!("/v1/tenants/{tenant}/balance"),
        None,
        None,
    )
    .await;
    assert_eq!(balance["cash"], usd("25.500000"));
    assert_eq!(balance["promo"], usd("5.000000"));
    assert_eq!(balance["available"], usd("30.500000"));
    let (_, ledger) = send_with(
        &app,
        token,
        "GET",
        &format!("/v1/tenants/{tenant}/ledger?limit=1"),
        None,
        None,
    )
    .await;
    assert_eq!(ledger["items"].as_array().unwrap().len(), 1);
    assert_eq!(ledger["items"][0]["kind"], "top_up");
    let cursor = ledger["next_cursor"].as_str().unwrap();
    let (_, rest) = send_with(
        &app,
        token,
        "GET",
        &format!("/v1/tenants/{tenant}/ledger?cursor={cursor}"),
        None,
        None,
    )
    .await;
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert_eq!(rest["items"][0]["kind"], "credit");
    assert!(rest.get("next_cursor").is_none());

    let (status, report) =
        send_with(&app, Some(&finance), "GET", "/v1/admin/ledger/verify", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(report["ok"], true, "{report}");
    assert_eq!(report["transactions"], 2);
    let audit = app.admin().audit_list(None, Some(100), None).await.unwrap();
    let actions: Vec<&str> = audit.items.iter().map(|e| e.action.as_str()).collect();
    assert!(
        actions.contains(&"billing.top_up") && actions.contains(&"billing.credit.grant"),
        "{actions:?}"
    );
    app.stop().await;
}

on_both_backends!(top_ups_and_credits_land_once_and_the_ledger_verifies);

#[tokio::test]
async fn nobody_reads_or_moves_another_tenants_money() {
    let app = spawn_app(Backend::Sqlite, |config| {
        config.billing_test_provider = Some(true)
    })
    .await;
    let (owner_client, owner) = app.signed_up("owner").await;
    let tenant = owner.tenant.as_ref().unwrap().id;
    let (_, stranger) = app.signed_up("stranger").await;
    let (_, viewer) = app
        .joined(&owner_client, tenant, "viewer", TenantRole::Viewer)
        .await;
    let (_, billing_member) = app
        .joined(&owner_client, tenant, "payer", TenantRole::Billing)
        .await;
    let top_up = json!({"amount": usd("10")});
    let credits = format!("/v1/admin/tenants/{tenant}/credits");
    let credit = json!({"amount": usd("10"), "reason": "r"});

    for (who, token) in [("stranger", &stranger.session_token)] {
        for path in [
            format!("/v1/tenants/{tenant}/balance"),
            format!("/v1/tenants/{tenant}/ledger"),
        ] {
            let (status, _) = send_with(&app, Some(token), "GET", &path, None, None).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{who} GET {path}");
        }
        let (status, _) = send_with(
            &app,
            Some(token),
            "POST",
            &format!("/v1/tenants/{tenant}/top-ups"),
            Some(top_up.clone()),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{who} tops up another tenant");
    }
    let (status, _) = send_with(
        &app,
        Some(&viewer.session_token),
        "GET",
        &format!("/v1/tenants/{tenant}/balance"),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "viewers see machines, not money");
    let (status, _) = send_with(
        &app,
        Some(&viewer.session_token),
        "POST",
        &format!("/v1/tenants/{tenant}/top-ups"),
        Some(top_up.clone()),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = send_with(
        &app,
        Some(&billing_member.session_token),
        "POST",
        &format!("/v1/tenants/{tenant}/top-ups"),
        Some(top_up.clone()),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "the billing role pays");
    for token in [&owner.session_token, &app.admin_token] {
        let (status, _) = send_with(&app, Some(token), "POST", &credits, Some(credit.clone()), None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "only finance grants credit");
        let charges = format!("/v1/admin/tenants/{tenant}/charges");
        let charge = json!({"amount": usd("1"), "reason": "r"});
        let (status, _) = send_with(&app, Some(token), "POST", &charges, Some(charge), None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "only finance charges by hand");
    }
    let (status, _) = send_with(
        &app,
        Some(&stranger.session_token),
        "GET",
        &format!("/v1/tenants/{tenant}/usage"),
        None,
        None,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another tenant's usage is invisible"
    );
    let (status, _) = send_with(
        &app,
        Some(&owner.session_token),
        "GET",
        "/v1/admin/ledger/verify",
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = send_with(
        &app,
        None,
        "GET",
        &format!("/v1/tenants/{tenant}/balance"),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (_, balance) = send_with(
        &app,
        Some(&owner.session_token),
        "GET",
        &format!("/v1/tenants/{tenant}/balance"),
        None,
        None,
    )
    .await;
    assert_eq!(
        balance["cash"],
        usd("10.000000"),
        "only the billing member's top-up landed"
    );
    app.stop().await;
}

#[tokio::test]
async fn bad_money_is_refused_and_changes_nothing() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    let (_, owner) = app.signed_up("owner").await;
    let tenant = owner.tenant.as_ref().unwrap().id;
    let token = Some(owner.session_token.as_str());
    let path = format!("/v1/tenants/{tenant}/top-ups");
    for (body, why) in [
        (json!({"amount": usd("0")}), "zero"),
        (json!({"amount": usd("-5")}), "negative"),
        (
            json!({"amount": {"amount": "5", "currency": "EUR"}}),
            "another currency",
        ),
        (json!({"amount": usd("5000000")}), "absurdly large"),
        (
            json!({"amount": usd("5")}),
            "the test provider is off on a configured database",
        ),
        (
            json!({"amount": usd("5"), "provider": "paypal"}),
            "an unknown provider",
        ),
    ] {
        let (status, problem) = send_with(&app, token, "POST", &path, Some(body), None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{why}: {problem}");
    }
    let (status, _) = send_with(&app, token, "POST", &path, Some(json!({"amount": 5.0})), None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a float amount");
    let finance = finance(&app).await;
    let (status, problem) = send_with(
        &app,
        Some(&finance),
        "POST",
        &format!("/v1/admin/tenants/{tenant}/credits"),
        Some(json!({"amount": usd("5"), "reason": "  "})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "reason");
    let (_, balance) = send_with(
        &app,
        token,
        "GET",
        &format!("/v1/tenants/{tenant}/balance"),
        None,
        None,
    )
    .await;
    assert_eq!(balance["cash"], usd("0.000000"));
    let (_, report) = send_with(&app, Some(&finance), "GET", "/v1/admin/ledger/verify", None, None).await;
    assert_eq!(
        (report["ok"].as_bool(), report["transactions"].as_u64()),
        (Some(true), Some(0))
    );
    app.stop().await;
}

/// Lets Billing fold every event committed so far, then rates. On PostgreSQL the outbox holds an
/// event back while any older transaction on the cluster is open, so this polls until Billing's
/// cursor has passed every event in the outbox.
async fn billed(app: &TestApp) -> ingot_billing::service::RatingPass {
    let mut tick = tokio::time::interval(std::time::Duration::from_millis(10));
    for _ in 0..1_000 {
        app.billing.usage_follow(100).await.unwrap();
        let pending: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM kernel_outbox o JOIN kernel_outbox_cursors c ON c.consumer = 'billing.usage' \
             WHERE o.txid > c.txid OR (o.txid = c.txid AND o.seq > c.seq)",
        )
        .fetch_one(app.db.db.reader())
        .await
        .unwrap();
        if pending == 0 {
            return app.billing.rate_due().await.unwrap();
        }
        tick.tick().await;
    }
    panic!("billing never caught up with the outbox");
}

async fn ledger_total(app: &TestApp, token: &str, tenant: ingot_kernel::id::TenantId, kinds: &[&str]) -> i64 {
    let (_, ledger) = send_with(
        app,
        Some(token),
        "GET",
        &format!("/v1/tenants/{tenant}/ledger?limit=500"),
        None,
        None,
    )
    .await;
    ledger["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| kinds.contains(&e["kind"].as_str().unwrap()))
        .map(|e| {
            let amount = ingot_kernel::money::Money::parse(
                e["amount"]["amount"].as_str().unwrap(),
                ingot_kernel::money::Currency::USD,
            )
            .unwrap();
            amount.micros()
        })
        .sum()
}

async fn usage_is_charged_to_the_second_faults_are_credited_late_stops_refunded(backend: Backend) {
    use ingot_contracts::allocation::{NodeMeteringStarted, NodeMeteringStopped};
    use ingot_kernel::id::{AllocationId, NodeId};
    use std::time::Duration;

    let app = spawn_app(backend, |config| {
        config.billing_test_provider = Some(true);
        config.demo_catalog = Some(true);
        // The test rates by hand; the background pass must not race it.
        config.billing_rating_interval = Duration::from_secs(3_600);
    })
    .await;
    let admin = Some(app.admin_token.as_str());
    let (_, offers) = send_with(&app, None, "GET", "/v1/catalog/offers", None, None).await;
    let h100 = offers
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["sku"] == "gpu-8x-h100")
        .unwrap()
        .clone();
    let (sku_id, site_id) = (
        h100["sku_id"].as_str().unwrap().parse().unwrap(),
        h100["site_id"].as_str().unwrap().parse().unwrap(),
    );
    // A machine in the inventory, so an operator can quarantine it.
    let facts = json!({"cpu": {"model": "EPYC", "sockets": 2, "cores": 128}, "ram_mib": 2_097_152,
        "gpus": [{"model": "H100-SXM5-80GB", "count": 8, "memory_mib": 81_920}],
        "disks": [{"size_gib": 7_680, "kind": "nvme"}], "interconnects": ["infiniband"]});
    let (status, report) = send_with(
        &app,
        admin,
        "POST",
        "/v1/admin/nodes/import",
        Some(json!({"nodes": [{"hostname": "h1", "site": "demo1", "state": "available", "facts": facts}]})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{report}");
    let node_id: NodeId = report["imported"][0]["id"].as_str().unwrap().parse().unwrap();

    let (_, owner) = app.signed_up("owner").await;
    let tenant = owner.tenant.as_ref().unwrap().id;
    let token = owner.session_token.as_str();
    send_with(
        &app,
        Some(token),
        "POST",
        &format!("/v1/tenants/{tenant}/top-ups"),
        Some(json!({"amount": usd("100")})),
        None,
    )
    .await;

    // Allocation reports the node deployed for the tenant.
    let allocation_id = AllocationId::generate();
    let start = ingot_kernel::Clock::now(&app.clock);
    allocation_says(
        &app,
        &NodeMeteringStarted {
            allocation_id,
            tenant_id: tenant,
            node_id,
            sku_id,
            site_id,
            at: start,
        },
    )
    .await;
    app.clock.advance(Duration::from_secs(1_800));
    let pass = billed(&app).await;
    assert_eq!(pass.postings, 1);
    let half_hour = 9_960_000; // 19.92 / 2
    assert_eq!(ledger_total(&app, token, tenant, &["usage"]).await, -half_hour);

    // An operator quarantines the machine for 15 minutes: that time is not charged.
    let quarantine = format!("/v1/admin/nodes/{node_id}/quarantine");
    send_with(
        &app,
        admin,
        "POST",
        &quarantine,
        Some(json!({"enabled": true, "reason": "xid 79"})),
        None,
    )
    .await;
    app.clock.advance(Duration::from_secs(900));
    send_with(
        &app,
        admin,
        "POST",
        &quarantine,
        Some(json!({"enabled": false})),
        None,
    )
    .await;
    // Rated at 2 h with no stop yet: 2 h − 15 min.
    app.clock.advance(Duration::from_secs(4_500));
    billed(&app).await;
    let seven_quarters = 34_860_000; // 19.92 × 1.75
    assert_eq!(
        ledger_total(&app, token, tenant, &["usage", "refund"]).await,
        -seven_quarters
    );

    // The stop arrives late: it happened at 1 h 30 min. The excess is refunded.
    allocation_says(
        &app,
        &NodeMeteringStopped {
            allocation_id,
            tenant_id: tenant,
            node_id,
            at: start.plus(Duration::from_secs(5_400)),
            reason: "released".into(),
        },
    )
    .await;
    let pass = billed(&app).await;
    assert_eq!(pass.postings, 1);
    let one_and_a_quarter = 24_900_000; // 19.92 × 1.25
    assert_eq!(
        ledger_total(&app, token, tenant, &["usage", "refund"]).await,
        -one_and_a_quarter
    );
    // Settled: later passes charge nothing more.
    app.clock.advance(Duration::from_secs(3_600));
    let pass = billed(&app).await;
    assert_eq!(pass.postings, 0);
    let (_, balance) = send_with(
        &app,
        Some(token),
        "GET",
        &format!("/v1/tenants/{tenant}/balance"),
        None,
        None,
    )
    .await;
    assert_eq!(balance["cash"], usd("75.100000"));
    let (_, report) = send_with(&app, admin, "GET", "/v1/admin/ledger/verify", None, None).await;
    assert_eq!(report["ok"], true, "{report}");

    let (status, usage) = send_with(
        &app,
        Some(token),
        "GET",
        &format!("/v1/tenants/{tenant}/usage"),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{usage}");
    assert_eq!(usage.as_array().unwrap().len(), 1);
    assert_eq!(
        (&usage[0]["charged"], &usage[0]["hourly_rate"]),
        (&usd("24.900000"), &usd("19.920000"))
    );
    assert!(usage[0]["stopped_at"].is_string());

    // The statements of the months this ran in add up to the ledger exactly.
    let mut months: Vec<String> = [start, ingot_kernel::Clock::now(&app.clock)]
        .iter()
        .map(|t| t.to_string()[..7].to_string())
        .collect();
    months.dedup();
    let (mut usage_total, mut seconds, mut top_ups) = (0i64, 0i64, 0i64);
    let mut closing = Value::Null;
    for (i, month) in months.iter().enumerate() {
        let (status, statement) = send_with(
            &app,
            Some(token),
            "GET",
            &format!("/v1/tenants/{tenant}/statements/{month}"),
            None,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{statement}");
        if i == 0 {
            assert_eq!(statement["opening_balance"], usd("0.000000"));
        }
        let micros = |v: &Value| {
            ingot_kernel::money::Money::parse(
                v["amount"].as_str().unwrap(),
                ingot_kernel::money::Currency::USD,
            )
            .unwrap()
            .micros()
        };
        usage_total += micros(&statement["usage_total"]);
        top_ups += micros(&statement["top_ups"]);
        for line in statement["usage"].as_array().unwrap() {
            assert_eq!(line["hourly_rate"], usd("19.920000"));
            seconds += line["seconds"].as_i64().unwrap();
        }
        closing = statement["closing_balance"].clone();
    }
    assert_eq!(
        (usage_total, seconds, top_ups),
        (one_and_a_quarter, 4_500, 100_000_000)
    );
    assert_eq!(
        closing,
        usd("75.100000"),
        "the last closing balance is the balance"
    );
    let csv = http()
        .get(format!(
            "{}/v1/tenants/{tenant}/statements/{}",
            app.url, months[0]
        ))
        .bearer_auth(token)
        .header("accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = csv.text().await.unwrap();
    assert!(
        csv.starts_with("line,allocation_id,node_id,sku_id,seconds,hourly_rate,amount,currency\n"),
        "{csv}"
    );
    assert!(
        csv.contains(&format!("usage,{allocation_id},{node_id},")),
        "{csv}"
    );
    let (status, _) = send_with(
        &app,
        Some(token),
        "GET",
        &format!("/v1/tenants/{tenant}/statements/2026-13"),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, stranger) = app.signed_up("stranger").await;
    let (status, _) = send_with(
        &app,
        Some(&stranger.session_token),
        "GET",
        &format!("/v1/tenants/{tenant}/statements/{}", months[0]),
        None,
        None,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another tenant's statement is invisible"
    );
    app.stop().await;
}

on_both_backends!(usage_is_charged_to_the_second_faults_are_credited_late_stops_refunded);

/// A stand-in for Stripe's checkout API on 127.0.0.1: answers `POST /v1/checkout/sessions` for
/// the right key, one session per idempotency key, and keeps every request body it saw.
struct FakeStripe {
    url: String,
    requests: std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>>,
}

async fn fake_stripe() -> FakeStripe {
    use axum::http::{HeaderMap, StatusCode as Status};
    let requests: std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>> = Default::default();
    let seen = requests.clone();
    let router = axum::Router::new().route(
        "/v1/checkout/sessions",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let seen = seen.clone();
            async move {
                if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some("Bearer sk_test_123") {
                    return (Status::UNAUTHORIZED, axum::Json(json!({"error": {"message": "bad key"}})));
                }
                let key = headers
                    .get("idempotency-key")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string();
                let mut seen = seen.lock().unwrap();
                let n = seen.iter().position(|(k, _)| *k == key).unwrap_or_else(|| {
                    seen.push((key, body));
                    seen.len() - 1
                });
                (
                    Status::OK,
                    axum::Json(json!({"id": format!("cs_test_{n}"), "url": format!("https://checkout.example/cs_test_{n}")})),
                )
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    FakeStripe { url, requests }
}

const STRIPE_SECRET: &str = "whsec_test_secret_123";

async fn stripe_says(app: &TestApp, event: &Value, secret: &str) -> (StatusCode, Value) {
    let body = serde_json::to_vec(event).unwrap();
    let now_s = ingot_kernel::Clock::now(&app.clock).as_micros() / 1_000_000;
    let signature = ingot_kernel::crypto::webhook_signature_make(secret, &body, now_s);
    let response = http()
        .post(format!("{}/v1/webhooks/payments/stripe", app.url))
        .header("stripe-signature", signature)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn card_top_ups_credit_once_and_refunds_follow(backend: Backend) {
    let stripe = fake_stripe().await;
    let app = spawn_app(backend, |config| {
        config.stripe_base_url = stripe.url.clone();
        config.stripe_api_key = Some("sk_test_123".into());
        config.stripe_webhook_secret = Some(STRIPE_SECRET.into());
    })
    .await;
    let (_, owner) = app.signed_up("owner").await;
    let tenant = owner.tenant.as_ref().unwrap().id;
    let token = Some(owner.session_token.as_str());
    let balance = |app: &TestApp| {
        let path = format!("/v1/tenants/{tenant}/balance");
        let token = owner.session_token.clone();
        let app_url = app.url.clone();
        async move {
            let response = http()
                .get(format!("{app_url}{path}"))
                .bearer_auth(token)
                .send()
                .await
                .unwrap();
            response.json::<Value>().await.unwrap()["cash"].clone()
        }
    };

    let path = format!("/v1/tenants/{tenant}/top-ups");
    let (status, top_up) = send_with(
        &app,
        token,
        "POST",
        &path,
        Some(json!({"amount": usd("25.50")})),
        Some("card-1"),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{top_up}");
    assert_eq!(top_up["status"], "pending");
    assert_eq!(top_up["checkout_url"], "https://checkout.example/cs_test_0");
    {
        let requests = stripe.requests.lock().unwrap();
        assert_eq!(requests.len(), 1);
        assert!(
            requests[0].1.contains("2550") && requests[0].1.contains(&tenant.to_string()),
            "{}",
            requests[0].1
        );
    }
    assert_eq!(
        balance(&app).await,
        usd("0.000000"),
        "nothing is credited before the provider says paid"
    );

    let paid = json!({"id": "evt_paid", "type": "checkout.session.completed", "data": {"object": {
        "id": "cs_test_0", "payment_status": "paid", "payment_intent": "pi_1", "amount_total": 2550, "currency": "usd"}}});
    let (status, ack) = stripe_says(&app, &paid, STRIPE_SECRET).await;
    assert_eq!(
        (status, &ack["duplicate"]),
        (StatusCode::OK, &json!(false)),
        "{ack}"
    );
    assert_eq!(balance(&app).await, usd("25.500000"));
    let (status, ack) = stripe_says(&app, &paid, STRIPE_SECRET).await;
    assert_eq!((status, &ack["duplicate"]), (StatusCode::OK, &json!(true)));
    assert_eq!(
        balance(&app).await,
        usd("25.500000"),
        "a replayed webhook credits once"
    );

    let forged = json!({"id": "evt_forged", "type": "checkout.session.completed", "data": {"object": {
        "id": "cs_test_0", "payment_status": "paid", "amount_total": 999_999, "currency": "usd"}}});
    let (status, problem) = stripe_says(&app, &forged, "whsec_not_the_secret").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    assert_eq!(problem["code"], "payment_signature_invalid");
    let unsigned = http()
        .post(format!("{}/v1/webhooks/payments/stripe", app.url))
        .body(serde_json::to_vec(&forged).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        balance(&app).await,
        usd("25.500000"),
        "bad signatures change nothing"
    );

    // Refunds are running totals: 10.00, then all of it.
    let refund = |id: &str, cents: i64| {
        json!({"id": id, "type": "charge.refunded", "data": {"object": {
            "id": "ch_1", "payment_intent": "pi_1", "amount_refunded": cents, "currency": "usd"}}})
    };
    stripe_says(&app, &refund("evt_r1", 1_000), STRIPE_SECRET).await;
    assert_eq!(balance(&app).await, usd("15.500000"));
    stripe_says(&app, &refund("evt_r2", 2_550), STRIPE_SECRET).await;
    stripe_says(&app, &refund("evt_r2", 2_550), STRIPE_SECRET).await;
    assert_eq!(balance(&app).await, usd("0.000000"));

    // Card amounts are whole cents; the KYC level's daily ceiling (500 for an unverified
    // tenant) counts pending checkouts too.
    let (status, _) = send_with(
        &app,
        token,
        "POST",
        &path,
        Some(json!({"amount": usd("1.005")})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, problem) = send_with(
        &app,
        token,
        "POST",
        &path,
        Some(json!({"amount": usd("480")})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("daily top-up limit"),
        "{problem}"
    );
    let (status, _) = send_with(
        &app,
        token,
        "POST",
        &path,
        Some(json!({"amount": usd("10"), "provider": "test"})),
        None,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the test provider is off here"
    );
    let (status, _) = send_with(
        &app,
        None,
        "POST",
        "/v1/webhooks/payments/paypal",
        Some(json!({})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let finance = finance(&app).await;
    let (_, report) = send_with(&app, Some(&finance), "GET", "/v1/admin/ledger/verify", None, None).await;
    assert_eq!(report["ok"], true, "{report}");
    app.stop().await;
}

on_both_backends!(card_top_ups_credit_once_and_refunds_follow);

/// 32 HTTP clients charge one tenant at once: exactly what fits above the floor is charged,
/// every other request is refused with `insufficient_funds`, and the ledger verifies.
#[tokio::test]
async fn racing_http_charges_never_overdraw_the_hot_account() {
    let app = spawn_app(Backend::Postgres, |config| config.http.rate_limit_per_s = 0).await;
    let (_, owner) = app.signed_up("owner").await;
    let tenant = owner.tenant.as_ref().unwrap().id;
    let finance = finance(&app).await;
    let (status, _) = send_with(
        &app,
        Some(&finance),
        "POST",
        &format!("/v1/admin/tenants/{tenant}/credits"),
        Some(json!({"amount": usd("10"), "reason": "float"})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let url = format!("{}/v1/admin/tenants/{tenant}/charges", app.url);
    let mut clients = Vec::new();
    for _ in 0..32 {
        let (url, finance) = (url.clone(), finance.clone());
        clients.push(tokio::spawn(async move {
            let http = http();
            let (mut charged, mut refused) = (0, 0);
            for _ in 0..5 {
                let response = http
                    .post(&url)
                    .bearer_auth(&finance)
                    .json(&json!({"amount": usd("0.07"), "reason": "racing"}))
                    .send()
                    .await
                    .unwrap();
                match response.status() {
                    StatusCode::CREATED => charged += 1,
                    StatusCode::PAYMENT_REQUIRED => {
                        let problem: Value = response.json().await.unwrap();
                        assert_eq!(problem["code"], "insufficient_funds");
                        refused += 1;
                    }
                    other => panic!("unexpected {other}: {}", response.text().await.unwrap()),
                }
            }
            (charged, refused)
        }));
    }
    let (mut charged, mut refused) = (0, 0);
    for client in clients {
        let (c, r) = client.await.unwrap();
        charged += c;
        refused += r;
    }
    assert_eq!(
        (charged, refused),
        (142, 18),
        "142 × 0.07 = 9.94 fits in 10.00; nothing more"
    );
    let (_, balance) = send_with(
        &app,
        Some(&owner.session_token),
        "GET",
        &format!("/v1/tenants/{tenant}/balance"),
        None,
        None,
    )
    .await;
    assert_eq!(balance["cash"], usd("0.060000"));
    let (_, report) = send_with(&app, Some(&finance), "GET", "/v1/admin/ledger/verify", None, None).await;
    assert_eq!(report["ok"], true, "{report}");
    assert_eq!(report["transactions"], 143);
    app.stop().await;
}

async fn outbox_count(app: &TestApp, event_type: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM kernel_outbox WHERE event_type = $1")
        .bind(event_type)
        .fetch_one(app.db.db.reader())
        .await
        .unwrap()
}

#[tokio::test]
async fn the_balance_policy_approves_runway_and_announces_exhaustion_once() {
    use ingot_contracts::allocation::NodeMeteringStarted;
    use ingot_contracts::billing::{BalancePolicy, BurnDecision, BurnRateRequest, BurnRefusal};
    use ingot_contracts::iam::KycLevel;
    use ingot_kernel::id::{AllocationId, NodeId};
    use std::time::Duration;

    let app = spawn_app(Backend::Sqlite, |config| {
        config.billing_test_provider = Some(true);
        config.demo_catalog = Some(true);
        config.billing_rating_interval = Duration::from_secs(3_600);
    })
    .await;
    let (owner_client, owner) = app.signed_up("owner").await;
    let tenant = owner.tenant.as_ref().unwrap().id;
    let token = owner.session_token.as_str();
    let price = ingot_kernel::money::Money::parse("1.20", ingot_kernel::money::Currency::USD).unwrap();
    let ask = |nodes: u32| BurnRateRequest {
        tenant_id: tenant,
        node_count: nodes,
        hourly_price: price,
    };

    // Unverified tenants may not run nodes at all.
    assert_eq!(
        app.billing.burn_rate_approve(ask(1)).await.unwrap(),
        BurnDecision::Refused(BurnRefusal::NodeLimit { max: 0, running: 0 })
    );
    kyc_verified(&app, &owner_client, tenant, KycLevel::Basic).await;
    // Verified, but no money: 24 h × 1.20 = 28.80 needed.
    let refused = app.billing.burn_rate_approve(ask(1)).await.unwrap();
    assert!(
        matches!(
            refused,
            BurnDecision::Refused(BurnRefusal::InsufficientRunway { runway_hours: 24, .. })
        ),
        "{refused:?}"
    );
    send_with(
        &app,
        Some(token),
        "POST",
        &format!("/v1/tenants/{tenant}/top-ups"),
        Some(json!({"amount": usd("30")})),
        None,
    )
    .await;
    assert_eq!(
        app.billing.burn_rate_approve(ask(1)).await.unwrap(),
        BurnDecision::Approved {
            runway_hours: Some(25)
        }
    );
    assert!(matches!(
        app.billing.burn_rate_approve(ask(2)).await.unwrap(),
        BurnDecision::Refused(_)
    ));
    // A credit limit set by finance counts as money.
    let finance = finance(&app).await;
    let (status, balance) = send_with(
        &app,
        Some(&finance),
        "PUT",
        &format!("/v1/admin/tenants/{tenant}/credit-limit"),
        Some(json!({"credit_limit": usd("100"), "reason": "invoiced customer"})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{balance}");
    assert_eq!(balance["available"], usd("130.000000"));
    assert!(matches!(
        app.billing.burn_rate_approve(ask(2)).await.unwrap(),
        BurnDecision::Approved { .. }
    ));
    let (status, _) = send_with(
        &app,
        Some(token),
        "PUT",
        &format!("/v1/admin/tenants/{tenant}/credit-limit"),
        Some(json!({"credit_limit": usd("1000000"), "reason": "mine"})),
        None,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "tenants do not set their own credit"
    );
    send_with(
        &app,
        Some(&finance),
        "PUT",
        &format!("/v1/admin/tenants/{tenant}/credit-limit"),
        Some(json!({"credit_limit": usd("0"), "reason": "back to prepaid"})),
        None,
    )
    .await;

    // One cpu-64c node runs at 1.20/h on 30.00: the watch warns at 24 h and 6 h of runway…
    let (_, offers) = send_with(&app, None, "GET", "/v1/catalog/offers", None, None).await;
    let cpu = offers
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["sku"] == "cpu-64c")
        .unwrap()
        .clone();
    let start = ingot_kernel::Clock::now(&app.clock);
    // Metered without a reservation first: the rating funds it from what is there.
    let allocation_id = AllocationId::generate();
    allocation_says(
        &app,
        &NodeMeteringStarted {
            allocation_id,
            tenant_id: tenant,
            node_id: NodeId::generate(),
            sku_id: cpu["sku_id"].as_str().unwrap().parse().unwrap(),
            site_id: cpu["site_id"].as_str().unwrap().parse().unwrap(),
            at: start,
        },
    )
    .await;
    billed(&app).await;
    assert_eq!(
        app.billing.balance_watch().await.unwrap(),
        0,
        "25 h of runway: nothing to say"
    );
    app.clock.advance(Duration::from_secs(2 * 3_600));
    billed(&app).await;
    assert_eq!(app.billing.balance_watch().await.unwrap(), 1);
    assert_eq!(
        app.billing.balance_watch().await.unwrap(),
        0,
        "each crossing is announced once"
    );
    app.clock.advance(Duration::from_secs(18 * 3_600));
    billed(&app).await;
    assert_eq!(app.billing.balance_watch().await.unwrap(), 1, "under 6 h");
    // …then the money runs out at 25 h: the funding's deadline is that plus the 15-minute grace,
    // and Allocation is told once, naming the allocation.
    app.clock.advance(Duration::from_secs(5 * 3_600 + 5 * 60));
    billed(&app).await;
    app.billing.balance_watch().await.unwrap();
    assert_eq!(
        outbox_count(&app, "billing.balance_exhausted").await,
        0,
        "not during the grace period"
    );
    let funding = ingot_billing::store::funding::funding_get(app.db.db.reader(), allocation_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        funding.deadline,
        Some(start.plus(Duration::from_secs(25 * 3_600 + 15 * 60))),
        "the deadline is when the money ran out plus the grace"
    );
    app.clock.advance(Duration::from_secs(11 * 60));
    billed(&app).await;
    app.billing.balance_watch().await.unwrap();
    app.billing.balance_watch().await.unwrap();
    assert_eq!(outbox_count(&app, "billing.balance_exhausted").await, 1);
    let told: serde_json::Value = sqlx::query_scalar(
        "SELECT payload FROM kernel_outbox WHERE event_type = 'billing.balance_exhausted'",
    )
    .fetch_one(app.db.db.reader())
    .await
    .map(|text: String| serde_json::from_str(&text).unwrap())
    .unwrap();
    assert_eq!(told["allocation_id"], allocation_id.to_string());
    assert_eq!(
        outbox_count(&app, "billing.balance_low").await,
        3,
        "24 h, 6 h and 1 h"
    );
    let (_, balance) = send_with(
        &app,
        Some(app.admin_token.as_str()),
        "GET",
        &format!("/v1/tenants/{tenant}/balance"),
        None,
        None,
    )
    .await;
    assert_eq!(
        balance["cash"],
        usd("0.000000"),
        "charged down to the floor, never below (read with the API token: a day on, the session has expired)"
    );
    app.stop().await;
}

async fn balance_now(app: &TestApp, tenant: ingot_kernel::id::TenantId) -> Value {
    let (status, balance) = send_with(
        app,
        Some(app.admin_token.as_str()),
        "GET",
        &format!("/v1/tenants/{tenant}/balance"),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{balance}");
    balance
}

async fn ledger_verifies(app: &TestApp) {
    let finance = finance(app).await;
    let (status, report) = send_with(app, Some(&finance), "GET", "/v1/admin/ledger/verify", None, None).await;
    assert_eq!(
        (status, &report["ok"]),
        (StatusCode::OK, &json!(true)),
        "{report}"
    );
}

// Sixteen admissions race for one tenant's 100.00, each needing 24 h × 1.00 reserved: exactly
// four win, the money they hold is no longer available to anyone, and the ledger verifies.
async fn runway_reservations_hold_money_and_racing_admissions_never_share_it(backend: Backend) {
    use ingot_contracts::billing::{
        BalancePolicy, BurnDecision, BurnRateRequest, BurnRefusal, RunwayReservation,
    };
    use ingot_contracts::iam::KycLevel;
    use ingot_kernel::id::AllocationId;
    use ingot_kernel::money::{Currency, Money};

    let app = spawn_app(backend, |config| {
        config.billing_test_provider = Some(true);
        config.billing_rating_interval = std::time::Duration::from_secs(3_600);
    })
    .await;
    let (owner_client, owner) = app.signed_up("owner").await;
    let tenant = owner.tenant.as_ref().unwrap().id;
    kyc_verified(&app, &owner_client, tenant, KycLevel::Full).await;
    let (status, _) = send_with(
        &app,
        Some(owner.session_token.as_str()),
        "POST",
        &format!("/v1/tenants/{tenant}/top-ups"),
        Some(json!({"amount": usd("100")})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let request = BurnRateRequest {
        tenant_id: tenant,
        node_count: 1,
        hourly_price: Money::parse("1.00", Currency::USD).unwrap(),
    };
    let mut racing = Vec::new();
    for _ in 0..16 {
        let billing = app.billing.clone();
        let reservation = RunwayReservation {
            allocation_id: AllocationId::generate(),
            request: request.clone(),
        };
        racing.push(tokio::spawn(async move {
            let decision = billing.runway_reserve(reservation.clone()).await.unwrap();
            (reservation.allocation_id, decision)
        }));
    }
    let mut approved = Vec::new();
    for handle in racing {
        match handle.await.unwrap() {
            (allocation_id, BurnDecision::Approved { .. }) => approved.push(allocation_id),
            (_, BurnDecision::Refused(BurnRefusal::InsufficientRunway { .. })) => {}
            (_, other) => panic!("{other:?}"),
        }
    }
    assert_eq!(approved.len(), 4, "100.00 holds four runways of 24.00");
    let balance = balance_now(&app, tenant).await;
    assert_eq!(
        (&balance["held"], &balance["available"]),
        (&usd("96.000000"), &usd("4.000000"))
    );
    // The same allocation again is approved once: nothing more is held.
    let again = RunwayReservation {
        allocation_id: approved[0],
        request: request.clone(),
    };
    assert!(matches!(
        app.billing.runway_reserve(again).await.unwrap(),
        BurnDecision::Approved { .. }
    ));
    assert_eq!(balance_now(&app, tenant).await["held"], usd("96.000000"));
    // A dry run sees the reservations.
    assert!(matches!(
        app.billing.burn_rate_approve(request.clone()).await.unwrap(),
        BurnDecision::Refused(BurnRefusal::InsufficientRunway { .. })
    ));
    // An allocation that never ran frees its whole hold when released, once.
    app.billing.runway_release(approved[0]).await.unwrap();
    app.billing.runway_release(approved[0]).await.unwrap();
    let balance = balance_now(&app, tenant).await;
    assert_eq!(
        (&balance["held"], &balance["available"]),
        (&usd("72.000000"), &usd("28.000000"))
    );
    ledger_verifies(&app).await;
    app.stop().await;
}

on_both_backends!(runway_reservations_hold_money_and_racing_admissions_never_share_it);

// One cpu-64c node (1.20/h) admitted on 30.00 cash and 5.00 promotional credit: its runway is
// held (promotional first), usage is charged against the holds and they are topped up from what
// is free, a top-up moves the deadline out, and the end of the allocation frees the rest.
async fn a_live_allocation_is_charged_against_its_hold_and_its_end_frees_the_rest(backend: Backend) {
    use ingot_contracts::allocation::{NodeMeteringStarted, NodeMeteringStopped};
    use ingot_contracts::billing::{BalancePolicy, BurnDecision, BurnRateRequest, RunwayReservation};
    use ingot_contracts::iam::KycLevel;
    use ingot_kernel::id::{AllocationId, NodeId};
    use ingot_kernel::money::{Currency, Money};
    use std::time::Duration;

    let app = spawn_app(backend, |config| {
        config.billing_test_provider = Some(true);
        config.demo_catalog = Some(true);
        config.billing_rating_interval = Duration::from_secs(3_600);
    })
    .await;
    let (owner_client, owner) = app.signed_up("owner").await;
    let tenant = owner.tenant.as_ref().unwrap().id;
    let token = owner.session_token.clone();
    kyc_verified(&app, &owner_client, tenant, KycLevel::Basic).await;
    let top_up = |amount: &'static str| {
        let (app, token) = (&app, token.clone());
        async move {
            let (status, _) = send_with(
                app,
                Some(token.as_str()),
                "POST",
                &format!("/v1/tenants/{tenant}/top-ups"),
                Some(json!({"amount": usd(amount)})),
                None,
            )
            .await;
            assert_eq!(status, StatusCode::CREATED);
        }
    };
    top_up("30").await;
    let finance = finance(&app).await;
    let (status, _) = send_with(
        &app,
        Some(&finance),
        "POST",
        &format!("/v1/admin/tenants/{tenant}/credits"),
        Some(json!({"amount": usd("5"), "reason": "welcome", "promotional": true})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, offers) = send_with(&app, None, "GET", "/v1/catalog/offers", None, None).await;
    let cpu = offers
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["sku"] == "cpu-64c")
        .unwrap()
        .clone();
    let request = BurnRateRequest {
        tenant_id: tenant,
        node_count: 1,
        hourly_price: Money::parse("1.20", Currency::USD).unwrap(),
    };
    let allocation_id = AllocationId::generate();
    let decision = app
        .billing
        .runway_reserve(RunwayReservation {
            allocation_id,
            request: request.clone(),
        })
        .await
        .unwrap();
    assert!(matches!(decision, BurnDecision::Approved { .. }), "{decision:?}");
    let balance = balance_now(&app, tenant).await;
    assert_eq!(
        (&balance["held"], &balance["available"]),
        (&usd("28.800000"), &usd("6.200000")),
        "24 h × 1.20 held: 5.00 promotional, 23.80 cash"
    );
    let start = ingot_kernel::Clock::now(&app.clock);
    let deadline = || async {
        ingot_billing::store::funding::funding_get(app.db.db.reader(), allocation_id)
            .await
            .unwrap()
            .unwrap()
    };
    assert_eq!(
        deadline().await.deadline,
        Some(start.plus(Duration::from_secs(24 * 3_600 + 15 * 60)))
    );
    let node_id = NodeId::generate();
    allocation_says(
        &app,
        &NodeMeteringStarted {
            allocation_id,
            tenant_id: tenant,
            node_id,
            sku_id: cpu["sku_id"].as_str().unwrap().parse().unwrap(),
            site_id: cpu["site_id"].as_str().unwrap().parse().unwrap(),
            at: start,
        },
    )
    .await;
    // Two hours: 2.40 charged, from the promotional hold; the holds are refilled to 28.80 from
    // what was free, so what is available shrinks by the charge.
    app.clock.advance(Duration::from_secs(2 * 3_600));
    billed(&app).await;
    let balance = balance_now(&app, tenant).await;
    assert_eq!(
        (
            &balance["promo"],
            &balance["cash"],
            &balance["held"],
            &balance["available"]
        ),
        (
            &usd("2.600000"),
            &usd("30.000000"),
            &usd("28.800000"),
            &usd("3.800000")
        )
    );
    // The money still lasts the runway: the deadline rolls with it.
    let now = ingot_kernel::Clock::now(&app.clock);
    assert_eq!(
        deadline().await.deadline,
        Some(now.plus(Duration::from_secs(24 * 3_600 + 15 * 60)))
    );
    // A second node now would need another 28.80 free.
    assert!(matches!(
        app.billing.burn_rate_approve(request.clone()).await.unwrap(),
        BurnDecision::Refused(_)
    ));
    top_up("12").await;
    billed(&app).await;
    assert_eq!(balance_now(&app, tenant).await["available"], usd("15.800000"));
    // The node stops at 2 h 30 min: the last 0.60 is charged. The reservation stands until
    // Allocation releases it (a replacement node may still come); then the holds are voided.
    app.clock.advance(Duration::from_secs(30 * 60));
    allocation_says(
        &app,
        &NodeMeteringStopped {
            allocation_id,
            tenant_id: tenant,
            node_id,
            at: ingot_kernel::Clock::now(&app.clock),
            reason: "released".into(),
        },
    )
    .await;
    billed(&app).await;
    let balance = balance_now(&app, tenant).await;
    assert_eq!(
        (&balance["promo"], &balance["cash"], &balance["held"]),
        (&usd("2.000000"), &usd("42.000000"), &usd("28.800000")),
        "2.5 h × 1.20 = 3.00, all from promotional credit; the runway still reserved"
    );
    assert!(deadline().await.open);
    app.billing.runway_release(allocation_id).await.unwrap();
    app.billing.runway_release(allocation_id).await.unwrap();
    let balance = balance_now(&app, tenant).await;
    assert_eq!(
        (&balance["held"], &balance["available"]),
        (&usd("0.000000"), &usd("44.000000")),
        "released: nothing held any more"
    );
    let funding = deadline().await;
    assert!(!funding.open && funding.deadline.is_none(), "{funding:?}");
    ledger_verifies(&app).await;
    app.stop().await;
}

on_both_backends!(a_live_allocation_is_charged_against_its_hold_and_its_end_frees_the_rest);
