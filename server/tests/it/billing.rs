//! Billing through HTTP: test-provider top-ups, finance credits, the ledger listing and its
//! verification, idempotent retries, and who may see or move whose money.

use ingot_contracts::iam::{PlatformRole, PlatformRolesRequest, TenantRole};
use ingot_kernel::db::Backend;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{TestApp, http, spawn_app};

async fn send(
    app: &TestApp,
    token: Option<&str>,
    method: &str,
    path: &str,
    body: Option<Value>,
    idempotency_key: Option<&str>,
) -> (StatusCode, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = http().request(method, format!("{}{path}", app.url));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(key) = idempotency_key {
        request = request.header("idempotency-key", key);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

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

    let (status, balance) = send(
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
    let (status, first) = send(&app, token, "POST", &path, Some(body.clone()), Some("pay-1")).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["status"], "succeeded");
    let (status, again) = send(&app, token, "POST", &path, Some(body), Some("pay-1")).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        again["transaction_id"], first["transaction_id"],
        "a retried top-up lands once"
    );

    let finance = finance(&app).await;
    let credit = json!({"amount": usd("5"), "reason": "sorry for the outage", "promotional": true});
    let (status, entry) = send(
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

    let (_, balance) = send(
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
    let (_, ledger) = send(
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
    let (_, rest) = send(
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

    let (status, report) = send(&app, Some(&finance), "GET", "/v1/admin/ledger/verify", None, None).await;
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

#[tokio::test]
async fn top_ups_and_credits_land_once_and_the_ledger_verifies_sqlite() {
    top_ups_and_credits_land_once_and_the_ledger_verifies(Backend::Sqlite).await;
}

#[tokio::test]
async fn top_ups_and_credits_land_once_and_the_ledger_verifies_postgres() {
    top_ups_and_credits_land_once_and_the_ledger_verifies(Backend::Postgres).await;
}

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
            let (status, _) = send(&app, Some(token), "GET", &path, None, None).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{who} GET {path}");
        }
        let (status, _) = send(
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
    let (status, _) = send(
        &app,
        Some(&viewer.session_token),
        "GET",
        &format!("/v1/tenants/{tenant}/balance"),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "viewers see machines, not money");
    let (status, _) = send(
        &app,
        Some(&viewer.session_token),
        "POST",
        &format!("/v1/tenants/{tenant}/top-ups"),
        Some(top_up.clone()),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = send(
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
        let (status, _) = send(&app, Some(token), "POST", &credits, Some(credit.clone()), None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "only finance grants credit");
    }
    let (status, _) = send(
        &app,
        Some(&owner.session_token),
        "GET",
        "/v1/admin/ledger/verify",
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = send(
        &app,
        None,
        "GET",
        &format!("/v1/tenants/{tenant}/balance"),
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (_, balance) = send(
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
        let (status, problem) = send(&app, token, "POST", &path, Some(body), None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{why}: {problem}");
    }
    let (status, _) = send(&app, token, "POST", &path, Some(json!({"amount": 5.0})), None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a float amount");
    let finance = finance(&app).await;
    let (status, problem) = send(
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
    let (_, balance) = send(
        &app,
        token,
        "GET",
        &format!("/v1/tenants/{tenant}/balance"),
        None,
        None,
    )
    .await;
    assert_eq!(balance["cash"], usd("0.000000"));
    let (_, report) = send(&app, Some(&finance), "GET", "/v1/admin/ledger/verify", None, None).await;
    assert_eq!(
        (report["ok"].as_bool(), report["transactions"].as_u64()),
        (Some(true), Some(0))
    );
    app.stop().await;
}
