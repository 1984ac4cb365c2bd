//! KYC end to end: owner submits, security decides (or a provider's signed webhook does), the
//! policy follows the level, revocation is an event, personal data is redactable and never logged.

use ingot_contracts::iam::{
    KycDecision, KycDecisionRequest, KycLevel, KycPolicyApi, KycState, KycSubmitRequest, PlatformRole,
    PlatformRolesRequest, TenantRole,
};
use ingot_iam::secrets::webhook_signature_make;
use ingot_kernel::Clock;
use ingot_kernel::db::Backend;
use serde_json::json;

use super::{TestApp, http, spawn_app};

const WEBHOOK_SECRET: &str = "test-webhook-secret-123";

/// A signed-up user given the security platform role by the admin.
async fn security_reviewer(app: &TestApp) -> ingot_sdk::Client {
    let (reviewer, created) = app.signed_up("reviewer").await;
    let request = PlatformRolesRequest {
        platform_roles: vec![PlatformRole::Security],
    };
    app.admin()
        .platform_roles_set(created.user.id, &request)
        .await
        .unwrap();
    reviewer
}

fn submission() -> KycSubmitRequest {
    KycSubmitRequest {
        provider_ref: None,
        personal_data: Some(ingot_contracts::iam::KycPersonalData {
            legal_name: "Alice Liddell".into(),
            country: "GB".into(),
            address: "1 Test Street, Testville".into(),
        }),
    }
}

fn decision(decision: KycDecision, level: Option<KycLevel>) -> KycDecisionRequest {
    KycDecisionRequest {
        decision,
        level,
        reason: "documents checked".into(),
    }
}

/// IAM decides what a review needs; each refusal names its fields and leaves the tenant as it was.
#[tokio::test]
async fn a_review_needs_the_details_iam_names_and_a_refusal_changes_nothing() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let app = spawn_app(backend, |_| {}).await;
        let (alice, created) = app.signed_up("alice").await;
        let tenant_id = created.tenant.unwrap().id;
        let token = created.session_token.clone();
        let path = format!("/v1/tenants/{tenant_id}/kyc");
        let fields = |body: &serde_json::Value| -> Vec<String> {
            body["errors"]
                .as_array()
                .map(|errors| {
                    errors
                        .iter()
                        .map(|e| e["field"].as_str().unwrap_or_default().to_string())
                        .collect()
                })
                .unwrap_or_default()
        };
        let blank = json!({"legal_name": " ", "country": "", "address": "\n"});
        for (body, status, code, named) in [
            (json!({}), 422, "validation_failed", vec!["personal_data"]),
            (
                json!({"personal_data": blank}),
                422,
                "validation_failed",
                vec![
                    "personal_data.legal_name",
                    "personal_data.country",
                    "personal_data.address",
                ],
            ),
            (
                json!({"personal_data": {"legal_name": "A", "country": "Atlantis", "address": "x"}}),
                422,
                "validation_failed",
                vec!["personal_data.country"],
            ),
            // A body of the old shape (a name alone) is refused by its missing members.
            (
                json!({"personal_data": {"legal_name": "A"}}),
                422,
                "invalid_body",
                vec![],
            ),
            (
                json!({"personal_data": {"legal_name": "A", "country": "DE", "address": "x", "passport": "X1"}}),
                422,
                "invalid_body",
                vec![],
            ),
        ] {
            let (got, answer) = super::send(&app, Some(&token), "POST", &path, Some(body.clone())).await;
            assert_eq!(
                (got.as_u16(), answer["code"].as_str(), fields(&answer)),
                (status, Some(code), named.iter().map(|n| n.to_string()).collect()),
                "{body} → {answer}"
            );
        }
        let kyc = alice.kyc_get(tenant_id).await.unwrap();
        assert_eq!(
            (kyc.state, kyc.personal_data_on_file),
            (KycState::Unverified, false)
        );
        let submissions: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM iam_audit_events WHERE action = 'iam.kyc.submit'")
                .fetch_one(app.db.db.reader())
                .await
                .unwrap();
        assert_eq!(submissions, 0);

        // Accepted values are kept tidy for the reviewer: trimmed, the country upper-cased.
        let (got, answer) = super::send(
            &app,
            Some(&token),
            "POST",
            &path,
            Some(json!({"personal_data": {"legal_name": "  Alice Liddell ", "country": "gb", "address": "1 Rabbit Hole\r\nOxford"}})),
        )
        .await;
        assert_eq!(got.as_u16(), 200, "{answer}");
        let reviewer = security_reviewer(&app).await;
        let data = reviewer.kyc_personal_data_get(tenant_id).await.unwrap();
        assert_eq!(
            data,
            json!({"legal_name": "Alice Liddell", "country": "GB", "address": "1 Rabbit Hole\nOxford"})
        );
    }
}

#[tokio::test]
async fn owner_submits_security_verifies_and_revokes_and_the_policy_follows() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let app = spawn_app(backend, |_| {}).await;
        let (alice, created) = app.signed_up("alice").await;
        let tenant_id = created.tenant.unwrap().id;
        let reviewer = security_reviewer(&app).await;
        assert_eq!(
            alice.kyc_get(tenant_id).await.unwrap().state,
            KycState::Unverified
        );
        assert_eq!(app.iam_policy(tenant_id).await.max_concurrent_nodes, 0);

        let submitted = alice.kyc_submit(tenant_id, &submission()).await.unwrap();
        assert_eq!(
            (submitted.state, submitted.personal_data_on_file),
            (KycState::Submitted, true)
        );
        assert_eq!(
            alice
                .kyc_submit(tenant_id, &submission())
                .await
                .unwrap_err()
                .code(),
            Some("kyc_wrong_state")
        );

        // The owner cannot decide on their own tenant; a level is needed to verify.
        assert_eq!(
            alice
                .kyc_decide(tenant_id, &decision(KycDecision::Verify, Some(KycLevel::Full)))
                .await
                .unwrap_err()
                .code(),
            Some("forbidden")
        );
        assert_eq!(
            reviewer
                .kyc_decide(tenant_id, &decision(KycDecision::Verify, None))
                .await
                .unwrap_err()
                .code(),
            Some("validation_failed")
        );
        let verified = reviewer
            .kyc_decide(tenant_id, &decision(KycDecision::Verify, Some(KycLevel::Basic)))
            .await
            .unwrap();
        assert_eq!(
            (verified.state, verified.level),
            (KycState::Verified, KycLevel::Basic)
        );
        let policy = app.iam_policy(tenant_id).await;
        assert_eq!((policy.level, policy.max_concurrent_nodes), (KycLevel::Basic, 4));
        assert!(policy.allows_sku("gpu-1x-a100") && !policy.allows_sku("gpu-8x-h100"));

        let revoked = reviewer
            .kyc_decide(tenant_id, &decision(KycDecision::Revoke, None))
            .await
            .unwrap();
        assert_eq!(
            (revoked.state, revoked.level),
            (KycState::Revoked, KycLevel::None)
        );
        assert_eq!(app.iam_policy(tenant_id).await.max_concurrent_nodes, 0);

        // Both decisions went out as events, in order, for Allocation and Billing to act on.
        let events: Vec<(String, String)> =
            sqlx::query_as("SELECT event_type, payload FROM kernel_outbox WHERE subject = $1 ORDER BY seq")
                .bind(tenant_id.to_string())
                .fetch_all(app.db.db.reader())
                .await
                .unwrap();
        let states: Vec<String> = events
            .iter()
            .map(|(_, p)| {
                serde_json::from_str::<serde_json::Value>(p).unwrap()["state"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(states, ["verified", "revoked"]);
        assert!(events.iter().all(|(t, _)| t == "kyc.changed"));

        // The decision is audited with its inputs; personal data is not in the log.
        let audit = app
            .admin()
            .audit_list(Some(tenant_id), Some(100), None)
            .await
            .unwrap();
        let decided = audit.items.iter().find(|e| e.action == "iam.kyc.decide").unwrap();
        assert_eq!(decided.details["reason"], "documents checked");
        assert_eq!(decided.details["policy_version"], 1);
        assert!(!serde_json::to_string(&audit).unwrap().contains("Liddell"));
        app.stop().await;
    }
}

#[tokio::test]
async fn only_owners_submit_and_other_tenants_see_nothing() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    let (alice, created) = app.signed_up("alice").await;
    let tenant_id = created.tenant.unwrap().id;
    let (bob, _) = app.joined(&alice, tenant_id, "bob", TenantRole::Admin).await;
    assert_eq!(
        bob.kyc_submit(tenant_id, &submission()).await.unwrap_err().code(),
        Some("forbidden")
    );
    assert_eq!(
        bob.kyc_get(tenant_id).await.unwrap().state,
        KycState::Unverified,
        "admins may read"
    );
    let (mallory, _) = app.signed_up("mallory").await;
    assert_eq!(
        mallory.kyc_get(tenant_id).await.unwrap_err().code(),
        Some("not_found")
    );
    assert_eq!(
        mallory
            .kyc_submit(tenant_id, &submission())
            .await
            .unwrap_err()
            .code(),
        Some("not_found")
    );
    assert_eq!(
        mallory
            .kyc_personal_data_redact(tenant_id)
            .await
            .unwrap_err()
            .code(),
        Some("not_found")
    );
    assert_eq!(
        mallory
            .kyc_decide(tenant_id, &decision(KycDecision::Reject, None))
            .await
            .unwrap_err()
            .code(),
        Some("not_found")
    );
    assert_eq!(
        alice.kyc_get(tenant_id).await.unwrap().state,
        KycState::Unverified,
        "nothing changed"
    );
    app.stop().await;
}

#[tokio::test]
async fn personal_data_is_redactable_and_the_decision_stays() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    let (alice, created) = app.signed_up("alice").await;
    let tenant_id = created.tenant.unwrap().id;
    let reviewer = security_reviewer(&app).await;
    alice.kyc_submit(tenant_id, &submission()).await.unwrap();
    reviewer
        .kyc_decide(tenant_id, &decision(KycDecision::Reject, None))
        .await
        .unwrap();
    let redacted = alice.kyc_personal_data_redact(tenant_id).await.unwrap();
    assert_eq!(
        (redacted.personal_data_on_file, redacted.state),
        (false, KycState::Rejected)
    );
    assert_eq!(redacted.reason.as_deref(), Some("documents checked"));
    let stored: Option<String> = sqlx::query_scalar("SELECT personal_data FROM iam_kyc")
        .fetch_one(app.db.db.reader())
        .await
        .unwrap();
    assert_eq!(stored, None);
    app.stop().await;
}

#[tokio::test]
async fn provider_webhooks_are_signed_and_never_replayed() {
    let app = spawn_app(Backend::Sqlite, |c| {
        c.kyc_webhook_secret = Some(WEBHOOK_SECRET.into())
    })
    .await;
    let (alice, created) = app.signed_up("alice").await;
    let tenant_id = created.tenant.unwrap().id;
    alice
        .kyc_submit(
            tenant_id,
            &KycSubmitRequest {
                provider_ref: Some("case-77".into()),
                personal_data: None,
            },
        )
        .await
        .unwrap();
    let body = serde_json::to_vec(
        &json!({"event_id": "evt-1", "tenant_id": tenant_id, "outcome": "verified", "level": "full"}),
    )
    .unwrap();
    let now_s = app.clock.now().as_micros() / 1_000_000;
    let post = |signature: String, body: Vec<u8>| {
        http()
            .post(format!("{}/v1/webhooks/kyc/sim", app.url))
            .header("content-type", "application/json")
            .header("x-ingot-signature", signature)
            .body(body)
            .send()
    };
    let code = |response: reqwest::Response| async move {
        response.json::<serde_json::Value>().await.unwrap()["code"].clone()
    };

    let forged = post(
        webhook_signature_make("not-the-secret-at-all", &body, now_s),
        body.clone(),
    )
    .await
    .unwrap();
    assert_eq!(forged.status(), 401);
    assert_eq!(code(forged).await, "webhook_signature_invalid");
    let stale = post(
        webhook_signature_make(WEBHOOK_SECRET, &body, now_s - 3_600),
        body.clone(),
    )
    .await
    .unwrap();
    assert_eq!(stale.status(), 401);
    let tampered_body = serde_json::to_vec(
        &json!({"event_id": "evt-1", "tenant_id": tenant_id, "outcome": "verified", "level": "full", }),
    )
    .unwrap()
    .into_iter()
    .chain(b" ".iter().copied())
    .collect();
    let tampered = post(
        webhook_signature_make(WEBHOOK_SECRET, &body, now_s),
        tampered_body,
    )
    .await
    .unwrap();
    assert_eq!(tampered.status(), 401);
    assert_eq!(
        alice.kyc_get(tenant_id).await.unwrap().state,
        KycState::Submitted,
        "refused webhooks change nothing"
    );

    let good = post(webhook_signature_make(WEBHOOK_SECRET, &body, now_s), body.clone())
        .await
        .unwrap();
    assert_eq!(good.status(), 200);
    let kyc = alice.kyc_get(tenant_id).await.unwrap();
    assert_eq!(
        (kyc.state, kyc.level, kyc.provider.as_deref()),
        (KycState::Verified, KycLevel::Full, Some("sim"))
    );

    let replay = post(webhook_signature_make(WEBHOOK_SECRET, &body, now_s), body.clone())
        .await
        .unwrap();
    assert_eq!(replay.status(), 409);
    assert_eq!(code(replay).await, "webhook_replayed");
    let unknown = http()
        .post(format!("{}/v1/webhooks/kyc/elsewhere", app.url))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    let audit = app
        .admin()
        .audit_list(Some(tenant_id), Some(100), None)
        .await
        .unwrap();
    assert_eq!(
        audit
            .items
            .iter()
            .filter(|e| e.action == "iam.kyc.webhook" && e.outcome == "denied")
            .count(),
        1,
        "the replay is audited"
    );
    app.stop().await;
}

impl TestApp {
    /// The KYC policy as Allocation and Billing will ask for it, through the contract.
    async fn iam_policy(&self, tenant_id: ingot_kernel::id::TenantId) -> ingot_contracts::iam::KycPolicy {
        self.iam.kyc_policy_get(tenant_id).await.unwrap()
    }
}

#[tokio::test]
async fn reviewers_see_the_queue_oldest_first_and_nobody_else_does() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let app = spawn_app(backend, |_| {}).await;
        let (alice, alice_created) = app.signed_up("alice").await;
        let (bob, bob_created) = app.signed_up("bob").await;
        let (_carol, _) = app.signed_up("carol").await;
        let alice_tenant = alice_created.tenant.unwrap().id;
        let bob_tenant = bob_created.tenant.unwrap().id;
        let reviewer = security_reviewer(&app).await;
        assert!(
            reviewer.kyc_queue(None).await.unwrap().is_empty(),
            "nobody has submitted"
        );

        bob.kyc_submit(bob_tenant, &submission()).await.unwrap();
        app.clock.advance(std::time::Duration::from_secs(60));
        alice.kyc_submit(alice_tenant, &submission()).await.unwrap();
        let queue = reviewer.kyc_queue(None).await.unwrap();
        let order: Vec<_> = queue
            .iter()
            .map(|item| (item.kyc.tenant_id, item.kyc.state))
            .collect();
        assert_eq!(
            order,
            vec![
                (bob_tenant, KycState::Submitted),
                (alice_tenant, KycState::Submitted)
            ],
            "oldest submission first; carol never submitted"
        );
        assert!(
            queue
                .iter()
                .all(|item| item.kyc.personal_data_on_file && !item.tenant_name.is_empty())
        );

        // Decided, a tenant leaves the queue and shows under its new state.
        reviewer
            .kyc_decide(bob_tenant, &decision(KycDecision::Verify, Some(KycLevel::Basic)))
            .await
            .unwrap();
        let queue = reviewer.kyc_queue(None).await.unwrap();
        assert_eq!(
            queue.iter().map(|i| i.kyc.tenant_id).collect::<Vec<_>>(),
            vec![alice_tenant]
        );
        let verified = reviewer.kyc_queue(Some(KycState::Verified)).await.unwrap();
        assert_eq!(
            verified.iter().map(|i| i.kyc.tenant_id).collect::<Vec<_>>(),
            vec![bob_tenant]
        );

        // Reviewers read what was submitted, each read audited; owners may not read it back.
        let data = reviewer.kyc_personal_data_get(alice_tenant).await.unwrap();
        assert_eq!(data["legal_name"], "Alice Liddell");
        let err = alice.kyc_personal_data_get(alice_tenant).await.unwrap_err();
        assert_eq!(err.code(), Some("forbidden"), "{err:?}");
        let err = bob.kyc_personal_data_get(alice_tenant).await.unwrap_err();
        assert_eq!(err.code(), Some("not_found"), "another tenant's: {err:?}");
        let (_, audit) = super::send(
            &app,
            Some(&app.admin_token),
            "GET",
            "/v1/audit-events?limit=500",
            None,
        )
        .await;
        assert!(
            audit.to_string().contains("iam.kyc.personal_data.read"),
            "{audit}"
        );
        alice.kyc_personal_data_redact(alice_tenant).await.unwrap();
        let err = reviewer.kyc_personal_data_get(alice_tenant).await.unwrap_err();
        assert_eq!(err.code(), Some("not_found"), "redacted: {err:?}");

        // Tenants (owners included) and visitors do not read other tenants' names.
        let err = alice.kyc_queue(None).await.unwrap_err();
        assert_eq!(err.code(), Some("forbidden"), "{err:?}");
        let (status, _) = super::send(&app, None, "GET", "/v1/admin/kyc", None).await;
        assert_eq!(status, reqwest::StatusCode::UNAUTHORIZED);
        let (status, body) = super::send(
            &app,
            Some(&app.admin_token),
            "GET",
            "/v1/admin/kyc?state=sideways",
            None,
        )
        .await;
        assert_eq!(status, reqwest::StatusCode::BAD_REQUEST, "{body}");
    }
}
