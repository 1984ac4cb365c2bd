//! IAM end to end through `ingot-sdk`: accounts, sessions, tokens, tenancy, the audit log, and for
//! every endpoint, a member of another tenant refused with nothing changed.

use std::time::Duration;

use ingot_contracts::iam::{
    LoginRequest, MemberAddRequest, MemberUpdateRequest, ProjectCreateRequest, SignupRequest,
    TenantCreateRequest, TenantRole, TokenCreateRequest,
};
use ingot_kernel::db::Backend;
use ingot_kernel::id::{ApiTokenId, ProjectId, TenantId};
use serde_json::Value;

use super::{TestApp, http, spawn_app};

fn signup_request(email: &str) -> SignupRequest {
    SignupRequest {
        email: email.into(),
        password: "tuba-cellar-orbit-42".into(),
        display_name: "Alice".into(),
        tenant_name: "Acme GPU".into(),
    }
}

fn login_request(email: &str, password: &str) -> LoginRequest {
    LoginRequest {
        email: email.into(),
        password: password.into(),
        totp_code: None,
    }
}

fn token_request(tenant_id: TenantId, role: TenantRole) -> TokenCreateRequest {
    TokenCreateRequest {
        name: "ci".into(),
        tenant_id,
        project_id: None,
        role,
        expires_in_days: Some(1),
    }
}

#[tokio::test]
async fn signup_gives_a_session_usable_as_cookie_and_bearer_until_logout() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    let response = http()
        .post(format!("{}/v1/auth/signup", app.url))
        .json(
            &serde_json::json!({"email": "Alice@Example.com", "password": "tuba-cellar-orbit-42",
            "display_name": "Alice", "tenant_name": "Acme GPU"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax")
            && cookie.starts_with("ingot_session=ingot_ses_"),
        "{cookie}"
    );
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["user"]["email"], "alice@example.com");
    assert_eq!(created["tenant"]["role"], "owner");
    assert_eq!(created["project"]["name"], "default");
    let token = created["session_token"].as_str().unwrap().to_string();
    assert!(cookie.contains(&token));

    let me = app.client().with_token(&token).me_get().await.unwrap();
    assert_eq!(me.memberships.len(), 1);
    assert_eq!(me.memberships[0].role, TenantRole::Owner);
    let by_cookie = http()
        .get(format!("{}/v1/me", app.url))
        .header("cookie", format!("ingot_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(by_cookie.status(), 200);

    app.client().with_token(&token).logout().await.unwrap();
    let err = app.client().with_token(&token).me_get().await.unwrap_err();
    assert_eq!(err.code(), Some("unauthenticated"));
    app.stop().await;
}

#[tokio::test]
async fn bad_signups_are_refused_and_create_nothing() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    let weak = SignupRequest {
        password: "password1234".into(),
        ..signup_request("a@example.com")
    };
    assert_eq!(
        app.client().signup(&weak).await.unwrap_err().code(),
        Some("weak_password")
    );
    let bad_email = signup_request("not-an-email");
    let err = app.client().signup(&bad_email).await.unwrap_err();
    assert_eq!(err.code(), Some("validation_failed"));
    app.client()
        .signup(&signup_request("a@example.com"))
        .await
        .unwrap();
    let again = signup_request("A@EXAMPLE.COM");
    assert_eq!(
        app.client().signup(&again).await.unwrap_err().code(),
        Some("email_taken")
    );
    let response = http()
        .post(format!("{}/v1/auth/signup", app.url))
        .json(&serde_json::json!({"email": 5}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM iam_users WHERE platform_roles = ''")
        .fetch_one(app.db.db.reader())
        .await
        .unwrap();
    assert_eq!(users, 1, "only the one good sign-up made a user");
    app.stop().await;
}

#[tokio::test]
async fn login_failures_look_alike_and_lock_the_account_out() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    app.client()
        .signup(&signup_request("alice@example.com"))
        .await
        .unwrap();
    let ok = app
        .client()
        .login(&login_request("alice@example.com", "tuba-cellar-orbit-42"))
        .await
        .unwrap();
    assert!(ok.session_token.starts_with("ingot_ses_"));
    let wrong = app
        .client()
        .login(&login_request("alice@example.com", "tuba-cellar-orbit-43"))
        .await
        .unwrap_err();
    let unknown = app
        .client()
        .login(&login_request("nobody@example.com", "tuba-cellar-orbit-42"))
        .await
        .unwrap_err();
    assert_eq!(wrong.code(), Some("invalid_credentials"));
    assert_eq!(
        unknown.code(),
        wrong.code(),
        "unknown emails and wrong passwords answer alike"
    );
    for _ in 0..4 {
        let err = app
            .client()
            .login(&login_request("alice@example.com", "nope-nope-nope-1"))
            .await
            .unwrap_err();
        assert_eq!(err.code(), Some("invalid_credentials"));
    }
    // Five failures: now even the right password is refused for a while.
    let response = http()
        .post(format!("{}/v1/auth/login", app.url))
        .json(&serde_json::json!({"email": "alice@example.com", "password": "tuba-cellar-orbit-42"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert!(response.headers().get("retry-after").is_some());
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "too_many_attempts");
    let audit = app.admin().audit_list(None, Some(100), None).await.unwrap();
    let failures = audit
        .items
        .iter()
        .filter(|e| e.action == "iam.login" && e.outcome == "failure")
        .count();
    let throttled = audit
        .items
        .iter()
        .filter(|e| e.action == "iam.login" && e.outcome == "throttled")
        .count();
    assert_eq!((failures, throttled), (6, 1));
    app.stop().await;
}

#[tokio::test]
async fn sessions_expire_when_idle() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    let (alice, _) = app.signed_up("alice").await;
    app.clock.advance(Duration::from_secs(11 * 3_600));
    alice.me_get().await.unwrap();
    // Use renews the idle window; twelve quiet hours end it.
    app.clock.advance(Duration::from_secs(12 * 3_600 + 1));
    assert_eq!(alice.me_get().await.unwrap_err().code(), Some("unauthenticated"));
    app.stop().await;
}

#[tokio::test]
async fn api_tokens_are_shown_once_scoped_capped_and_revocable() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    let (alice, created) = app.signed_up("alice").await;
    let tenant_id = created.tenant.unwrap().id;
    let token = alice
        .token_create(&token_request(tenant_id, TenantRole::Viewer))
        .await
        .unwrap();
    assert!(token.token.starts_with("ingot_pat_"));
    let listed = alice.token_list().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert!(
        !serde_json::to_string(&listed).unwrap().contains(&token.token),
        "the secret is shown once only"
    );
    let stored: String = sqlx::query_scalar("SELECT secret_hash FROM iam_api_tokens")
        .fetch_one(app.db.db.reader())
        .await
        .unwrap();
    assert!(!stored.contains(&token.token[10..]), "stored as a hash");

    let viewer = app.client().with_token(&token.token);
    assert_eq!(
        viewer.tenant_get(tenant_id).await.unwrap().role,
        Some(TenantRole::Viewer)
    );
    let err = viewer
        .project_create(tenant_id, &ProjectCreateRequest { name: "x".into() })
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some("forbidden"),
        "a viewer token cannot create projects"
    );
    let err = viewer
        .token_create(&token_request(tenant_id, TenantRole::Viewer))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("forbidden"), "tokens cannot mint tokens");

    // A member cannot mint an owner token.
    let (bob, _) = app.joined(&alice, tenant_id, "bob", TenantRole::Member).await;
    let err = bob
        .token_create(&token_request(tenant_id, TenantRole::Owner))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("role_too_high"));

    let revoked = alice.token_revoke(token.view.id).await.unwrap();
    assert!(revoked.revoked_at.is_some());
    assert_eq!(viewer.me_get().await.unwrap_err().code(), Some("unauthenticated"));

    let short = alice
        .token_create(&token_request(tenant_id, TenantRole::Member))
        .await
        .unwrap();
    let member = app.client().with_token(&short.token);
    member.me_get().await.unwrap();
    app.clock.advance(Duration::from_secs(86_400));
    assert_eq!(
        member.me_get().await.unwrap_err().code(),
        Some("unauthenticated"),
        "expired after one day"
    );
    let audit = app.admin().audit_list(Some(tenant_id), None, None).await.unwrap();
    assert!(
        audit.items.iter().any(|e| e.action == "iam.token.use"
            && e.credential.as_deref() == Some(&format!("api_token:{}", short.view.id))),
        "token use is traceable to the token"
    );
    app.stop().await;
}

#[tokio::test]
async fn project_scoped_tokens_see_only_their_project() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    let (alice, created) = app.signed_up("alice").await;
    let tenant_id = created.tenant.unwrap().id;
    let default_project = created.project.unwrap().id;
    let other = alice
        .project_create(
            tenant_id,
            &ProjectCreateRequest {
                name: "research".into(),
            },
        )
        .await
        .unwrap();
    let request = TokenCreateRequest {
        project_id: Some(other.id),
        ..token_request(tenant_id, TenantRole::Member)
    };
    let scoped = app
        .client()
        .with_token(&alice.token_create(&request).await.unwrap().token);
    assert_eq!(scoped.project_get(other.id).await.unwrap().name, "research");
    assert_eq!(
        scoped.project_get(default_project).await.unwrap_err().code(),
        Some("not_found")
    );
    assert_eq!(
        scoped
            .project_list(tenant_id)
            .await
            .unwrap()
            .iter()
            .map(|p| p.id)
            .collect::<Vec<_>>(),
        [other.id]
    );
    app.stop().await;
}

#[tokio::test]
async fn the_last_owner_cannot_leave_or_be_demoted() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    let (alice, created) = app.signed_up("alice").await;
    let tenant_id = created.tenant.unwrap().id;
    let alice_id = created.user.id;
    let demote = MemberUpdateRequest {
        role: TenantRole::Admin,
    };
    assert_eq!(
        alice
            .member_update(tenant_id, alice_id, &demote)
            .await
            .unwrap_err()
            .code(),
        Some("last_owner")
    );
    assert_eq!(
        alice.member_remove(tenant_id, alice_id).await.unwrap_err().code(),
        Some("last_owner")
    );

    let (bob, bob_created) = app.signed_up("bob").await;
    let bob_id = bob_created.user.id;
    alice
        .member_add(
            tenant_id,
            &MemberAddRequest {
                email: bob_created.user.email,
                role: TenantRole::Owner,
            },
        )
        .await
        .unwrap();
    alice.member_update(tenant_id, alice_id, &demote).await.unwrap();
    let members = bob.member_list(tenant_id).await.unwrap();
    assert_eq!(
        members.iter().find(|m| m.user_id == alice_id).unwrap().role,
        TenantRole::Admin
    );
    // Now bob is the last owner; alice, an admin, cannot remove or demote him.
    assert_eq!(
        alice.member_remove(tenant_id, bob_id).await.unwrap_err().code(),
        Some("last_owner")
    );
    alice.member_remove(tenant_id, alice_id).await.unwrap();
    assert_eq!(
        alice.tenant_get(tenant_id).await.unwrap_err().code(),
        Some("not_found"),
        "alice left"
    );
    app.stop().await;
}

/// Alice's world, and a Mallory who belongs to a tenant of her own.
struct TwoTenants {
    alice: ingot_sdk::Client,
    mallory: ingot_sdk::Client,
    tenant_id: TenantId,
    project_id: ProjectId,
    alice_token: ApiTokenId,
    alice_id: ingot_kernel::id::UserId,
}

async fn two_tenants(app: &TestApp) -> TwoTenants {
    let (alice, created) = app.signed_up("alice").await;
    let (mallory, _) = app.signed_up("mallory").await;
    let tenant_id = created.tenant.unwrap().id;
    let token = alice
        .token_create(&token_request(tenant_id, TenantRole::Viewer))
        .await
        .unwrap();
    TwoTenants {
        alice,
        mallory,
        tenant_id,
        project_id: created.project.unwrap().id,
        alice_token: token.view.id,
        alice_id: created.user.id,
    }
}

#[tokio::test]
async fn another_tenant_is_refused_on_every_iam_endpoint_and_nothing_changes() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let app = spawn_app(backend, |_| {}).await;
        let w = two_tenants(&app).await;
        let before_members = w.alice.member_list(w.tenant_id).await.unwrap();
        let before_projects = w.alice.project_list(w.tenant_id).await.unwrap();
        let before_tokens = w.alice.token_list().await.unwrap();
        let m = &w.mallory;
        let codes = [
            ("tenant_get", m.tenant_get(w.tenant_id).await.unwrap_err()),
            ("project_list", m.project_list(w.tenant_id).await.unwrap_err()),
            (
                "project_create",
                m.project_create(w.tenant_id, &ProjectCreateRequest { name: "evil".into() })
                    .await
                    .unwrap_err(),
            ),
            ("project_get", m.project_get(w.project_id).await.unwrap_err()),
            ("member_list", m.member_list(w.tenant_id).await.unwrap_err()),
            (
                "member_add",
                m.member_add(
                    w.tenant_id,
                    &MemberAddRequest {
                        email: "x@example.com".into(),
                        role: TenantRole::Owner,
                    },
                )
                .await
                .unwrap_err(),
            ),
            (
                "member_update",
                m.member_update(
                    w.tenant_id,
                    w.alice_id,
                    &MemberUpdateRequest {
                        role: TenantRole::Viewer,
                    },
                )
                .await
                .unwrap_err(),
            ),
            (
                "member_remove",
                m.member_remove(w.tenant_id, w.alice_id).await.unwrap_err(),
            ),
            (
                "audit_list",
                m.audit_list(Some(w.tenant_id), None, None).await.unwrap_err(),
            ),
            ("token_revoke", m.token_revoke(w.alice_token).await.unwrap_err()),
            (
                "token_create",
                m.token_create(&token_request(w.tenant_id, TenantRole::Viewer))
                    .await
                    .unwrap_err(),
            ),
            (
                "tenant_update",
                m.tenant_update(
                    w.tenant_id,
                    &ingot_contracts::iam::TenantUpdateRequest {
                        name: Some("pwned".into()),
                        require_mfa: None,
                    },
                )
                .await
                .unwrap_err(),
            ),
            (
                "invitation_create",
                m.invitation_create(
                    w.tenant_id,
                    &ingot_contracts::iam::InvitationCreateRequest {
                        email: "x@example.com".into(),
                        role: TenantRole::Owner,
                    },
                )
                .await
                .unwrap_err(),
            ),
            (
                "invitation_list",
                m.invitation_list(w.tenant_id).await.unwrap_err(),
            ),
            (
                "project_member_list",
                m.project_member_list(w.project_id).await.unwrap_err(),
            ),
            (
                "project_member_remove",
                m.project_member_remove(w.project_id, w.alice_id)
                    .await
                    .unwrap_err(),
            ),
            ("posture_get", m.posture_get(w.tenant_id).await.unwrap_err()),
            ("kyc_get", m.kyc_get(w.tenant_id).await.unwrap_err()),
        ];
        for (operation, err) in codes {
            assert_eq!(err.code(), Some("not_found"), "{backend:?} {operation}: {err}");
        }
        // Platform-only reads: a tenant owner is not a platform admin.
        assert_eq!(
            m.audit_list(None, None, None).await.unwrap_err().code(),
            Some("forbidden")
        );
        assert_eq!(m.audit_verify().await.unwrap_err().code(), Some("forbidden"));
        // And nothing changed.
        assert_eq!(w.alice.member_list(w.tenant_id).await.unwrap(), before_members);
        assert_eq!(w.alice.project_list(w.tenant_id).await.unwrap(), before_projects);
        assert_eq!(w.alice.token_list().await.unwrap(), before_tokens);
        assert_eq!(
            w.alice.tenant_get(w.tenant_id).await.unwrap().name,
            "alice's tenant"
        );
        assert!(w.alice.invitation_list(w.tenant_id).await.unwrap().is_empty());
        // Anonymous callers are asked to authenticate.
        assert_eq!(
            app.client().tenant_get(w.tenant_id).await.unwrap_err().code(),
            Some("unauthenticated")
        );
        assert_eq!(
            app.client().me_get().await.unwrap_err().code(),
            Some("unauthenticated")
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn tenancy_grows_with_projects_members_and_new_tenants() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    let w = two_tenants(&app).await;
    let project = w
        .alice
        .project_create(
            w.tenant_id,
            &ProjectCreateRequest {
                name: "training".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(w.alice.project_get(project.id).await.unwrap(), project);
    let err = w
        .alice
        .project_create(
            w.tenant_id,
            &ProjectCreateRequest {
                name: "training".into(),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some("validation_failed"),
        "project names are unique in a tenant"
    );
    let second = w
        .alice
        .tenant_create(&TenantCreateRequest {
            name: "Side project".into(),
        })
        .await
        .unwrap();
    assert_eq!(w.alice.tenant_list().await.unwrap().len(), 2);
    assert_eq!(w.alice.project_list(second.id).await.unwrap()[0].name, "default");
    let mallory_me = w.mallory.me_get().await.unwrap();
    let added = w
        .alice
        .member_add(
            w.tenant_id,
            &MemberAddRequest {
                email: mallory_me.user.email.clone(),
                role: TenantRole::Viewer,
            },
        )
        .await
        .unwrap();
    assert_eq!(added.role, TenantRole::Viewer);
    assert_eq!(
        w.mallory.tenant_get(w.tenant_id).await.unwrap().role,
        Some(TenantRole::Viewer)
    );
    let err = w
        .alice
        .member_add(
            w.tenant_id,
            &MemberAddRequest {
                email: mallory_me.user.email,
                role: TenantRole::Viewer,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("already_member"));
    // A platform admin may manage any tenant's members, so IAM looks the tenant up first (the
    // API fuzzer found a 500 from the foreign key here).
    let ghost: ingot_kernel::id::TenantId = "ten_0qwm9410s9pxphch0vx30r8b2b".parse().unwrap();
    let err = app
        .admin()
        .member_add(
            ghost,
            &MemberAddRequest {
                email: w.alice.me_get().await.unwrap().user.email,
                role: TenantRole::Admin,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("not_found"), "{err:?}");
    assert!(err.to_string().contains("no such tenant"), "{err}");
    app.stop().await;
}

#[tokio::test]
async fn the_audit_chain_detects_edits_deletions_and_truncation() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let app = spawn_app(backend, |_| {}).await;
        let w = two_tenants(&app).await;
        w.alice
            .project_create(w.tenant_id, &ProjectCreateRequest { name: "p2".into() })
            .await
            .unwrap();
        let report = app.admin().audit_verify().await.unwrap();
        assert!(report.ok && report.records_checked >= 5, "{report:?}");
        // Tampering goes through a write transaction: readers are query-only.
        let db = &app.db.db;
        let exec = |sql: &'static str| async move {
            let mut tx = db.begin().await.unwrap();
            let done = sqlx::query(sql).execute(&mut *tx).await.unwrap();
            tx.commit().await.unwrap();
            done
        };

        exec("UPDATE iam_audit_events SET outcome = 'failure' WHERE position = 3").await;
        let report = app.admin().audit_verify().await.unwrap();
        assert_eq!(
            (
                report.ok,
                report
                    .first_break
                    .as_ref()
                    .map(|b| (b.position, b.reason.as_str()))
            ),
            (false, Some((3, "edited")))
        );
        exec("UPDATE iam_audit_events SET outcome = 'success' WHERE position = 3").await;
        assert!(
            app.admin().audit_verify().await.unwrap().ok,
            "restoring the row restores the chain"
        );

        exec("DELETE FROM iam_audit_events WHERE position = 2").await;
        let report = app.admin().audit_verify().await.unwrap();
        assert_eq!(
            report.first_break.map(|b| (b.position, b.reason)),
            Some((2, "missing".to_string()))
        );
        app.stop().await;
    }
    // Cutting records off the end is caught against the head.
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    app.signed_up("alice").await;
    // The admin's token use is itself audited (once a minute): get it recorded before cutting.
    assert!(app.admin().audit_verify().await.unwrap().ok);
    let mut tx = app.db.db.begin().await.unwrap();
    sqlx::query("DELETE FROM iam_audit_events WHERE position = (SELECT MAX(position) FROM iam_audit_events)")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let report = app.admin().audit_verify().await.unwrap();
    assert_eq!(
        report.first_break.map(|b| b.reason),
        Some("truncated".to_string())
    );
    app.stop().await;
}

#[tokio::test]
async fn concurrent_writers_keep_the_audit_chain_whole() {
    let app = spawn_app(Backend::Postgres, |_| {}).await;
    let (alice, created) = app.signed_up("alice").await;
    let tenant_id = created.tenant.unwrap().id;
    let mut handles = Vec::new();
    for i in 0..16 {
        let alice = alice.clone();
        handles.push(tokio::spawn(async move {
            alice
                .project_create(
                    tenant_id,
                    &ProjectCreateRequest {
                        name: format!("p{i}"),
                    },
                )
                .await
                .unwrap();
        }));
    }
    for handle in handles {
        handle.await.unwrap();
    }
    let report = app.admin().audit_verify().await.unwrap();
    assert!(report.ok, "{report:?}");
    let page = app
        .admin()
        .audit_list(Some(tenant_id), Some(100), None)
        .await
        .unwrap();
    assert_eq!(
        page.items
            .iter()
            .filter(|e| e.action == "iam.project.create")
            .count(),
        16
    );
    app.stop().await;
}

#[tokio::test]
async fn audit_records_carry_actor_credential_origin_and_request_id() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    let (alice, created) = app.signed_up("alice").await;
    let tenant_id = created.tenant.unwrap().id;
    let response = http()
        .post(format!("{}/v1/tenants/{tenant_id}/projects", app.url))
        .bearer_auth(&created.session_token)
        .header("x-request-id", "trace-me-123")
        .json(&serde_json::json!({"name": "traced"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let page = alice.audit_list(Some(tenant_id), None, None).await.unwrap();
    let record = page
        .items
        .iter()
        .find(|e| e.action == "iam.project.create")
        .unwrap();
    assert_eq!(record.actor_user_id, Some(created.user.id));
    assert_eq!(
        record.credential.as_deref(),
        Some(format!("session:{}", created.session_id).as_str())
    );
    assert_eq!(record.request_id.as_deref(), Some("trace-me-123"));
    assert_eq!(record.source_ip.as_deref(), Some("127.0.0.1"));
    assert_eq!(record.outcome, "success");
    app.stop().await;
}

#[tokio::test]
async fn cookie_authenticated_changes_need_a_same_site_origin() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    let (_, created) = app.signed_up("alice").await;
    let tenant_id = created.tenant.unwrap().id;
    let cookie = format!("ingot_session={}", created.session_token);
    let create = |name: &str| {
        http()
            .post(format!("{}/v1/tenants/{tenant_id}/projects", app.url))
            .header("cookie", &cookie)
            .json(&serde_json::json!({ "name": name }))
    };
    let forged = create("forged")
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert_eq!(forged.json::<Value>().await.unwrap()["code"], "csrf_rejected");
    let bare = create("bare").send().await.unwrap();
    assert_eq!(bare.status(), 403, "no Origin at all is refused for cookies");
    let own = create("own")
        .header("origin", format!("http://{}", app.addr))
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 201);
    let reads = http()
        .get(format!("{}/v1/tenants/{tenant_id}/projects", app.url))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(reads.status(), 200, "reads need no Origin");
    let names: Vec<String> = reads
        .json::<Vec<Value>>()
        .await
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names.len(), 2, "only the same-origin change happened: {names:?}");
    app.stop().await;
}

#[tokio::test]
async fn users_list_and_revoke_their_sessions_and_a_password_change_ends_the_others() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    let email = "alice@example.com";
    app.client().signup(&signup_request(email)).await.unwrap();
    let laptop = app
        .client()
        .login(&login_request(email, "tuba-cellar-orbit-42"))
        .await
        .unwrap();
    let phone = app
        .client()
        .login(&login_request(email, "tuba-cellar-orbit-42"))
        .await
        .unwrap();
    let laptop_client = app.client().with_token(&laptop.session_token);
    let sessions = laptop_client.session_list().await.unwrap();
    assert_eq!(sessions.len(), 3);
    assert_eq!(
        sessions
            .iter()
            .filter(|s| s.current)
            .map(|s| s.id)
            .collect::<Vec<_>>(),
        [laptop.session_id]
    );

    laptop_client.session_revoke(phone.session_id).await.unwrap();
    assert_eq!(
        app.client()
            .with_token(&phone.session_token)
            .me_get()
            .await
            .unwrap_err()
            .code(),
        Some("unauthenticated")
    );
    let (mallory, _) = app.signed_up("mallory").await;
    assert_eq!(
        mallory
            .session_revoke(laptop.session_id)
            .await
            .unwrap_err()
            .code(),
        Some("not_found"),
        "others' sessions are invisible"
    );

    let wrong = ingot_contracts::iam::PasswordChangeRequest {
        current_password: "not-it-at-all-1".into(),
        new_password: "new-long-passphrase-77".into(),
    };
    assert_eq!(
        laptop_client.password_change(&wrong).await.unwrap_err().code(),
        Some("validation_failed")
    );
    let change = ingot_contracts::iam::PasswordChangeRequest {
        current_password: "tuba-cellar-orbit-42".into(),
        new_password: "new-long-passphrase-77".into(),
    };
    laptop_client.password_change(&change).await.unwrap();
    assert_eq!(
        laptop_client.session_list().await.unwrap().len(),
        1,
        "only the session that changed it remains"
    );
    let old = app
        .client()
        .login(&login_request(email, "tuba-cellar-orbit-42"))
        .await
        .unwrap_err();
    assert_eq!(old.code(), Some("invalid_credentials"));
    app.client()
        .login(&login_request(email, "new-long-passphrase-77"))
        .await
        .unwrap();
    app.stop().await;
}

#[tokio::test]
async fn lockout_is_shared_across_replicas_through_redis() {
    let redis = std::env::var("INGOT_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let one = spawn_app(Backend::Postgres, |c| c.redis_url = Some(redis.clone())).await;
    // A second replica on the same database and Redis.
    let db_url = one.db.url.clone();
    let two = spawn_app(Backend::Sqlite, |c| {
        c.redis_url = Some(redis.clone());
        c.database_url = Some(db_url);
    })
    .await;
    let email = format!(
        "shared-{}@example.com",
        ingot_kernel::id::new_ulid().to_string().to_lowercase()
    );
    one.client().signup(&signup_request(&email)).await.unwrap();
    for (i, replica) in [&one, &two, &one, &two, &one].into_iter().enumerate() {
        let err = replica
            .client()
            .login(&login_request(&email, "wrong-password-123"))
            .await
            .unwrap_err();
        assert_eq!(err.code(), Some("invalid_credentials"), "attempt {i}");
    }
    let err = two
        .client()
        .login(&login_request(&email, "tuba-cellar-orbit-42"))
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some("too_many_attempts"),
        "the other replica saw the failures"
    );
    one.stop().await;
    two.stop().await;
}

/// What an authenticator app would show now, from the enrolment's seed.
fn totp_now(app: &TestApp, secret: &str) -> String {
    let seed = base32_decode(secret);
    let now_s = ingot_kernel::Clock::now(&app.clock).as_micros() / 1_000_000;
    ingot_iam::secrets::totp_code(&seed, now_s / 30)
}

pub(super) fn base32_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut buffer, mut bits, mut out) = (0u32, 0u32, Vec::new());
    for c in text.chars() {
        buffer = (buffer << 5) | ALPHABET.find(c).unwrap() as u32;
        bits += 5;
        if bits >= 8 {
            out.push((buffer >> (bits - 8)) as u8);
            bits -= 8;
        }
    }
    out
}

#[tokio::test]
async fn totp_guards_login_codes_work_once_and_recovery_codes_too() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    let email = "mfa@example.com";
    let created = app.client().signup(&signup_request(email)).await.unwrap();
    let alice = app.client().with_token(&created.session_token);
    let enrolment = alice.mfa_totp_enrol().await.unwrap();
    assert!(
        enrolment
            .otpauth_uri
            .starts_with("otpauth://totp/Ingot:mfa@example.com?secret=")
    );
    let sealed: String = sqlx::query_scalar("SELECT secret_sealed FROM iam_mfa")
        .fetch_one(app.db.db.reader())
        .await
        .unwrap();
    assert!(!sealed.contains(&enrolment.secret), "the seed is sealed at rest");
    let bad = ingot_contracts::iam::TotpCodeRequest {
        code: "000000".into(),
    };
    assert_eq!(
        alice.mfa_totp_confirm(&bad).await.unwrap_err().code(),
        Some("validation_failed")
    );
    let code = ingot_contracts::iam::TotpCodeRequest {
        code: totp_now(&app, &enrolment.secret),
    };
    let recovery = alice.mfa_totp_confirm(&code).await.unwrap();
    assert_eq!(recovery.recovery_codes.len(), 10);
    assert!(alice.me_get().await.unwrap().user.mfa_enabled);

    // Password alone is no longer enough.
    let err = app
        .client()
        .login(&login_request(email, "tuba-cellar-orbit-42"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("mfa_required"));
    // The code used to confirm cannot be used again in the same step.
    let reused = LoginRequest {
        totp_code: Some(code.code.clone()),
        ..login_request(email, "tuba-cellar-orbit-42")
    };
    assert_eq!(
        app.client().login(&reused).await.unwrap_err().code(),
        Some("invalid_credentials")
    );
    app.clock.advance(Duration::from_secs(30));
    let fresh = LoginRequest {
        totp_code: Some(totp_now(&app, &enrolment.secret)),
        ..login_request(email, "tuba-cellar-orbit-42")
    };
    app.client().login(&fresh).await.unwrap();
    // A recovery code works once.
    let with_recovery = LoginRequest {
        totp_code: Some(recovery.recovery_codes[0].clone()),
        ..login_request(email, "tuba-cellar-orbit-42")
    };
    app.client().login(&with_recovery).await.unwrap();
    assert_eq!(
        app.client().login(&with_recovery).await.unwrap_err().code(),
        Some("invalid_credentials")
    );
    app.stop().await;
}

#[tokio::test]
async fn a_tenant_requiring_mfa_limits_members_without_it_to_enrolling() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    let (alice, created) = app.signed_up("alice").await;
    let tenant_id = created.tenant.unwrap().id;
    let (bob, _) = app.joined(&alice, tenant_id, "bob", TenantRole::Member).await;
    let update = ingot_contracts::iam::TenantUpdateRequest {
        name: None,
        require_mfa: Some(true),
    };
    assert_eq!(
        bob.tenant_update(tenant_id, &update).await.unwrap_err().code(),
        Some("forbidden"),
        "members cannot change policy"
    );
    assert!(alice.tenant_update(tenant_id, &update).await.unwrap().require_mfa);

    let err = bob.tenant_get(tenant_id).await.unwrap_err();
    assert_eq!(err.code(), Some("mfa_enrolment_required"));
    assert_eq!(
        bob.project_list(tenant_id).await.unwrap_err().code(),
        Some("mfa_enrolment_required")
    );
    let enrolment = bob.mfa_totp_enrol().await.expect("enrolling stays allowed");
    bob.mfa_totp_confirm(&ingot_contracts::iam::TotpCodeRequest {
        code: totp_now(&app, &enrolment.secret),
    })
    .await
    .unwrap();
    assert_eq!(
        bob.tenant_get(tenant_id).await.unwrap().role,
        Some(TenantRole::Member)
    );
    app.stop().await;
}

#[tokio::test]
async fn posture_shows_mfa_coverage_tokens_kyc_and_failed_logins() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    let email = "posture@example.com";
    let created = app.client().signup(&signup_request(email)).await.unwrap();
    let alice = app.client().with_token(&created.session_token);
    let tenant_id = created.tenant.unwrap().id;
    let (bob, _) = app.joined(&alice, tenant_id, "bob", TenantRole::Viewer).await;
    alice
        .token_create(&TokenCreateRequest {
            expires_in_days: Some(3),
            ..token_request(tenant_id, TenantRole::Viewer)
        })
        .await
        .unwrap();
    alice
        .token_create(&TokenCreateRequest {
            expires_in_days: Some(90),
            ..token_request(tenant_id, TenantRole::Member)
        })
        .await
        .unwrap();
    for _ in 0..2 {
        app.client()
            .login(&login_request(email, "wrong-password-123"))
            .await
            .unwrap_err();
    }
    app.client()
        .login(&login_request("someone-else@example.com", "wrong-password-123"))
        .await
        .unwrap_err();

    let posture = alice.posture_get(tenant_id).await.unwrap();
    assert_eq!((posture.members, posture.members_with_mfa), (2, 0));
    assert_eq!(posture.tokens.len(), 2);
    assert_eq!(posture.tokens_expiring_soon, 1);
    assert_eq!(
        posture.failed_logins_24h, 2,
        "only failures on member accounts count"
    );
    assert_eq!(posture.kyc_state, ingot_contracts::iam::KycState::Unverified);
    assert_eq!(
        bob.posture_get(tenant_id).await.unwrap_err().code(),
        Some("forbidden"),
        "viewers do not see posture"
    );
    let (mallory, _) = app.signed_up("mallory").await;
    assert_eq!(
        mallory.posture_get(tenant_id).await.unwrap_err().code(),
        Some("not_found")
    );
    app.stop().await;
}

#[tokio::test]
async fn password_reset_by_one_time_token_from_the_outbox() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    let email = "forgetful@example.com";
    let created = app.client().signup(&signup_request(email)).await.unwrap();
    let request = ingot_contracts::iam::PasswordResetRequest { email: email.into() };
    app.client().password_reset_request(&request).await.unwrap();
    // Unknown accounts get the same answer, and no message.
    app.client()
        .password_reset_request(&ingot_contracts::iam::PasswordResetRequest {
            email: "ghost@example.com".into(),
        })
        .await
        .unwrap();
    let (mallory, _) = app.signed_up("mallory").await;
    assert_eq!(
        mallory.notification_list().await.unwrap_err().code(),
        Some("forbidden")
    );
    let outbox = app.admin().notification_list().await.unwrap();
    let message = outbox
        .iter()
        .find(|n| n.recipient == email)
        .expect("a reset message for the account");
    assert_eq!(
        outbox
            .iter()
            .filter(|n| n.recipient == "ghost@example.com")
            .count(),
        0
    );
    let token = message
        .body
        .split_whitespace()
        .find(|w| w.starts_with("ingot_rst_"))
        .unwrap()
        .to_string();
    let sealed: Vec<String> = sqlx::query_scalar("SELECT body_sealed FROM iam_notifications")
        .fetch_all(app.db.db.reader())
        .await
        .unwrap();
    assert!(
        sealed.iter().all(|b| !b.contains(&token)),
        "message bodies are sealed at rest"
    );

    let confirm = |token: &str, password: &str| ingot_contracts::iam::PasswordResetConfirm {
        token: token.into(),
        new_password: password.into(),
    };
    assert_eq!(
        app.client()
            .password_reset_confirm(&confirm("ingot_rst_forged", "brand-new-passphrase-5"))
            .await
            .unwrap_err()
            .code(),
        Some("reset_token_invalid")
    );
    assert_eq!(
        app.client()
            .password_reset_confirm(&confirm(&token, "password1234"))
            .await
            .unwrap_err()
            .code(),
        Some("weak_password")
    );
    app.client()
        .password_reset_confirm(&confirm(&token, "brand-new-passphrase-5"))
        .await
        .unwrap();
    assert_eq!(
        app.client()
            .password_reset_confirm(&confirm(&token, "another-new-phrase-66"))
            .await
            .unwrap_err()
            .code(),
        Some("reset_token_invalid"),
        "once only"
    );
    assert_eq!(
        app.client()
            .with_token(&created.session_token)
            .me_get()
            .await
            .unwrap_err()
            .code(),
        Some("unauthenticated"),
        "old sessions end"
    );
    app.client()
        .login(&login_request(email, "brand-new-passphrase-5"))
        .await
        .unwrap();

    // A token left unused for an hour expires.
    app.client().password_reset_request(&request).await.unwrap();
    let outbox = app.admin().notification_list().await.unwrap();
    let newest = outbox.iter().find(|n| n.recipient == email).unwrap();
    let late = newest
        .body
        .split_whitespace()
        .find(|w| w.starts_with("ingot_rst_"))
        .unwrap()
        .to_string();
    assert_ne!(late, token);
    app.clock.advance(Duration::from_secs(3_601));
    assert_eq!(
        app.client()
            .password_reset_confirm(&confirm(&late, "yet-another-phrase-77"))
            .await
            .unwrap_err()
            .code(),
        Some("reset_token_invalid")
    );
    app.stop().await;
}

#[tokio::test]
async fn invitations_bring_new_people_in_at_sign_up() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    let (alice, created) = app.signed_up("alice").await;
    let tenant_id = created.tenant.unwrap().id;
    let invite = |email: &str, role| ingot_contracts::iam::InvitationCreateRequest {
        email: email.into(),
        role,
    };
    let invitation = alice
        .invitation_create(tenant_id, &invite("New.Hire@example.com", TenantRole::Member))
        .await
        .unwrap();
    assert_eq!(invitation.email, "new.hire@example.com");
    let again = alice
        .invitation_create(tenant_id, &invite("new.hire@example.com", TenantRole::Member))
        .await
        .unwrap_err();
    assert_eq!(
        again.code(),
        Some("validation_failed"),
        "one open invitation per person"
    );
    let existing = alice
        .invitation_create(tenant_id, &invite(&created.user.email, TenantRole::Member))
        .await
        .unwrap_err();
    assert_eq!(
        existing.code(),
        Some("validation_failed"),
        "accounts are added, not invited"
    );
    let outbox = app.admin().notification_list().await.unwrap();
    assert!(
        outbox
            .iter()
            .any(|n| n.recipient == "new.hire@example.com" && n.body.contains("alice's tenant"))
    );

    let (mallory, _) = app.signed_up("mallory").await;
    assert_eq!(
        mallory.invitation_list(tenant_id).await.unwrap_err().code(),
        Some("not_found")
    );
    assert_eq!(
        mallory
            .invitation_revoke(tenant_id, invitation.id)
            .await
            .unwrap_err()
            .code(),
        Some("not_found")
    );
    assert_eq!(alice.invitation_list(tenant_id).await.unwrap().len(), 1);

    let joined = app
        .client()
        .signup(&signup_request("new.hire@example.com"))
        .await
        .unwrap();
    let hire = app.client().with_token(&joined.session_token);
    assert_eq!(
        hire.tenant_get(tenant_id).await.unwrap().role,
        Some(TenantRole::Member)
    );
    assert!(
        alice.invitation_list(tenant_id).await.unwrap().is_empty(),
        "accepted invitations close"
    );

    // A revoked invitation does nothing at sign-up.
    let second = alice
        .invitation_create(tenant_id, &invite("late@example.com", TenantRole::Viewer))
        .await
        .unwrap();
    alice.invitation_revoke(tenant_id, second.id).await.unwrap();
    let late = app
        .client()
        .signup(&signup_request("late@example.com"))
        .await
        .unwrap();
    assert_eq!(
        app.client()
            .with_token(&late.session_token)
            .tenant_get(tenant_id)
            .await
            .unwrap_err()
            .code(),
        Some("not_found")
    );
    app.stop().await;
}

#[tokio::test]
async fn project_roles_lift_a_member_on_one_project_only() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    let (alice, created) = app.signed_up("alice").await;
    let tenant_id = created.tenant.unwrap().id;
    let default_project = created.project.unwrap().id;
    let research = alice
        .project_create(
            tenant_id,
            &ProjectCreateRequest {
                name: "research".into(),
            },
        )
        .await
        .unwrap();
    let (bob, bob_created) = app.signed_up("bob").await;
    let bob_id = bob_created.user.id;
    let set = |role| ingot_contracts::iam::ProjectMemberSetRequest { role };
    use ingot_contracts::iam::ProjectRole;

    // Not yet a tenant member: cannot be given a project role.
    assert_eq!(
        alice
            .project_member_set(research.id, bob_id, &set(ProjectRole::Admin))
            .await
            .unwrap_err()
            .code(),
        Some("validation_failed")
    );
    alice
        .member_add(
            tenant_id,
            &MemberAddRequest {
                email: bob_created.user.email,
                role: TenantRole::Viewer,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        bob.project_member_set(research.id, bob_id, &set(ProjectRole::Admin))
            .await
            .unwrap_err()
            .code(),
        Some("forbidden"),
        "viewers cannot promote themselves"
    );
    alice
        .project_member_set(research.id, bob_id, &set(ProjectRole::Admin))
        .await
        .unwrap();

    // Bob now manages research (its members), but not the default project.
    let (carol, carol_created) = app.joined(&alice, tenant_id, "carol", TenantRole::Viewer).await;
    bob.project_member_set(research.id, carol_created.user.id, &set(ProjectRole::Member))
        .await
        .unwrap();
    assert_eq!(
        bob.project_member_set(default_project, carol_created.user.id, &set(ProjectRole::Member))
            .await
            .unwrap_err()
            .code(),
        Some("forbidden")
    );
    assert_eq!(bob.project_member_list(research.id).await.unwrap().len(), 2);
    let (mallory, _) = app.signed_up("mallory").await;
    assert_eq!(
        mallory.project_member_list(research.id).await.unwrap_err().code(),
        Some("not_found")
    );
    assert_eq!(
        mallory
            .project_member_set(research.id, bob_id, &set(ProjectRole::Viewer))
            .await
            .unwrap_err()
            .code(),
        Some("not_found")
    );

    // Leaving the tenant ends project roles too.
    alice.member_remove(tenant_id, bob_id).await.unwrap();
    assert_eq!(alice.project_member_list(research.id).await.unwrap().len(), 1);
    assert_eq!(carol.project_member_list(research.id).await.unwrap().len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn queued_notifications_reach_the_notifier_once() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    let email = "notify-me@example.com";
    app.client().signup(&signup_request(email)).await.unwrap();
    app.client()
        .password_reset_request(&ingot_contracts::iam::PasswordResetRequest { email: email.into() })
        .await
        .unwrap();
    // One delivery pass, as the iam.notification_delivery controller runs it.
    let first = app.iam.notifications_deliver_pending(100).await.unwrap();
    let again = app.iam.notifications_deliver_pending(100).await.unwrap();
    let mine: Vec<_> = app
        .delivered
        .messages()
        .into_iter()
        .filter(|m| m.recipient == email)
        .collect();
    assert_eq!(
        mine.len(),
        1,
        "delivered once, whichever pass (or the controller) took it"
    );
    assert!(first + again <= 1);
    assert!(
        mine[0].body.contains("ingot_rst_"),
        "the notifier gets the body the outbox sealed"
    );
    app.stop().await;
}
