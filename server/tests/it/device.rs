//! Logging a device in by approving it in the browser (OAuth 2.0 device authorization grant,
//! RFC 8628): codes, polling and its pace, approval and denial, expiry, exactly one session per
//! approval under racing polls, and the web app's approval page.

use std::time::Duration;

use ingot_contracts::iam::{
    DeviceAuthorization, DeviceAuthorizationRequest, DeviceDecisionRequest, DeviceGrantState, TenantRole,
    TokenCreateRequest,
};
use ingot_kernel::db::Backend;
use reqwest::StatusCode;
use serde_json::json;

use super::{TestApp, audited, send, spawn_app};

fn code_of<T: std::fmt::Debug>(result: Result<T, ingot_sdk::Error>) -> String {
    match result {
        Err(err) => err.code().unwrap_or("not an API error").to_string(),
        Ok(value) => panic!("expected a refusal, got {value:?}"),
    }
}

async fn authorize(app: &TestApp) -> DeviceAuthorization {
    app.client()
        .device_authorize(&DeviceAuthorizationRequest {
            client_name: Some("ingot CLI on test-box".into()),
        })
        .await
        .unwrap()
}

async fn a_device_is_approved_once_and_denied_or_expired_devices_get_nothing(backend: Backend) {
    let app = spawn_app(backend, |_| {}).await;
    let (alice, alice_created) = app.signed_up("alice").await;
    let (bob, _) = app.signed_up("bob").await;
    let device = app.client();

    let authorization = authorize(&app).await;
    assert_eq!(authorization.verification_uri, format!("{}/device", app.url));
    assert_eq!(
        authorization.verification_uri_complete,
        format!("{}/device?user_code={}", app.url, authorization.user_code)
    );
    assert_eq!((authorization.interval, authorization.expires_in), (5, 600));
    assert!(authorization.device_code.starts_with("ingot_dev_"));

    // Before anyone decides: pending; polling again at once is too fast, and the interval grows.
    let code = &authorization.device_code;
    assert_eq!(code_of(device.device_token(code).await), "authorization_pending");
    assert_eq!(code_of(device.device_token(code).await), "slow_down");
    app.clock.advance(Duration::from_secs(9));
    assert_eq!(
        code_of(device.device_token(code).await),
        "slow_down",
        "the interval is 10 s now"
    );
    app.clock.advance(Duration::from_secs(15));
    assert_eq!(code_of(device.device_token(code).await), "authorization_pending");

    // Bad polls: another grant type, an unknown device code.
    let (status, body) = send(
        &app,
        None,
        "POST",
        "/v1/auth/device/token",
        Some(json!({"grant_type": "password", "device_code": code})),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("unsupported_grant_type"))
    );
    assert_eq!(
        code_of(device.device_token("ingot_dev_nothing").await),
        "invalid_grant"
    );

    // Only a person with a session approves: not anonymously, not with an API token.
    let user_code = authorization.user_code.clone();
    assert_eq!(
        code_of(device.device_grant_get(&user_code).await),
        "unauthenticated"
    );
    let tenant = alice_created.tenant.as_ref().unwrap().id;
    let token = alice
        .token_create(&TokenCreateRequest {
            name: "ci".into(),
            tenant_id: tenant,
            project_id: None,
            role: TenantRole::Admin,
            expires_in_days: Some(1),
        })
        .await
        .unwrap();
    let by_token = app.client().with_token(&token.token);
    assert_eq!(code_of(by_token.device_grant_get(&user_code).await), "forbidden");
    let approve = DeviceDecisionRequest {
        user_code: user_code.to_lowercase().replace('-', " "),
        approve: true,
    };
    assert_eq!(code_of(by_token.device_decide(&approve).await), "forbidden");
    assert_eq!(
        code_of(device.device_token(code).await),
        "slow_down",
        "still undecided"
    );

    // Alice sees what asked (typed loosely), and approves it.
    let seen = alice.device_grant_get(&user_code.to_lowercase()).await.unwrap();
    assert_eq!(
        (seen.client_name.as_str(), seen.state, seen.user_code.as_str()),
        (
            "ingot CLI on test-box",
            DeviceGrantState::Pending,
            user_code.as_str()
        )
    );
    assert_eq!(seen.requested_from.as_deref(), Some("127.0.0.1"));
    let decided = alice.device_decide(&approve).await.unwrap();
    assert_eq!(decided.state, DeviceGrantState::Approved);
    assert_eq!(
        code_of(bob.device_decide(&approve).await),
        "invalid_grant",
        "decided once; bob cannot overturn it"
    );

    // Eight polls race for the session: exactly one gets it, and it is alice's.
    app.clock.advance(Duration::from_secs(30));
    let polls = (0..8).map(|_| {
        let device = app.client();
        let code = code.clone();
        tokio::spawn(async move { device.device_token(&code).await })
    });
    let mut sessions = Vec::new();
    for poll in polls {
        match poll.await.unwrap() {
            Ok(session) => sessions.push(session),
            Err(err) => assert_eq!(err.code(), Some("invalid_grant"), "{err}"),
        }
    }
    assert_eq!(sessions.len(), 1, "one approval, one session");
    let me = app
        .client()
        .with_token(&sessions[0].session_token)
        .me_get()
        .await
        .unwrap();
    assert_eq!(me.user.id, alice_created.user.id);
    assert_eq!(code_of(device.device_token(code).await), "invalid_grant", "spent");

    // Denied: the device is told so.
    let denied = authorize(&app).await;
    bob.device_decide(&DeviceDecisionRequest {
        user_code: denied.user_code.clone(),
        approve: false,
    })
    .await
    .unwrap();
    assert_eq!(
        code_of(device.device_token(&denied.device_code).await),
        "access_denied"
    );

    // Expired: after ten minutes the device code is dead and the user code finds nothing.
    let late = authorize(&app).await;
    app.clock.advance(Duration::from_secs(601));
    assert_eq!(
        code_of(device.device_token(&late.device_code).await),
        "expired_token"
    );
    assert_eq!(
        code_of(alice.device_grant_get(&late.user_code).await),
        "invalid_grant"
    );
    let refused = alice
        .device_decide(&DeviceDecisionRequest {
            user_code: late.user_code.clone(),
            approve: true,
        })
        .await;
    assert_eq!(code_of(refused), "invalid_grant");
    let (status, body) = send(
        &app,
        Some(&alice_created.session_token),
        "POST",
        "/v1/auth/device/decision",
        Some(json!({"user_code": "not a code", "approve": true})),
    )
    .await;
    assert_eq!(
        (status, body["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("user_code"))
    );

    let audit = audited(&app, "iam.device").await;
    for wanted in ["iam.device.authorize", "iam.device.decide"] {
        assert!(audit.iter().any(|a| a == wanted), "{audit:?}");
    }
}

#[tokio::test]
async fn a_device_is_approved_once_and_denied_or_expired_devices_get_nothing_on_sqlite() {
    a_device_is_approved_once_and_denied_or_expired_devices_get_nothing(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_device_is_approved_once_and_denied_or_expired_devices_get_nothing_on_postgres() {
    a_device_is_approved_once_and_denied_or_expired_devices_get_nothing(Backend::Postgres).await;
}

#[tokio::test]
async fn the_web_apps_device_page_approves_with_its_form() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await;
    let (_, alice) = app.signed_up("alice").await;
    let authorization = authorize(&app).await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = format!("{}/device?user_code={}", app.url, authorization.user_code);

    // Not logged in: to the login page, and back here after.
    let anonymous = http.get(&page).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        anonymous.headers()["location"],
        format!("/login?next=/device?user_code={}", authorization.user_code).as_str()
    );

    let cookie = format!("ingot_session={}", alice.session_token);
    let shown = http.get(&page).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(shown.status(), StatusCode::OK);
    let html = shown.text().await.unwrap();
    assert!(
        html.contains("ingot CLI on test-box") && html.contains(&authorization.user_code),
        "{html}"
    );
    assert!(
        !html.contains(&authorization.device_code),
        "the device's secret never reaches a page"
    );
    let csrf = html
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();

    // A mistyped code: the form again, the error beside the field.
    let wrong = http
        .get(format!("{}/device?user_code=BCDF-GHJK", app.url))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
    assert!(wrong.text().await.unwrap().contains("id=\"f-user_code-error\""));

    // Without the form's token nothing is decided; with it, approved.
    let post = |form: Vec<(&'static str, String)>| {
        let http = http.clone();
        let cookie = cookie.clone();
        let url = format!("{}/device", app.url);
        let origin = app.url.clone();
        async move {
            http.post(url)
                .header("cookie", cookie)
                .header("origin", origin)
                .form(&form)
                .send()
                .await
                .unwrap()
        }
    };
    let forged = post(vec![
        ("user_code", authorization.user_code.clone()),
        ("decision", "approve".into()),
    ])
    .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let device = app.client();
    assert_eq!(
        code_of(device.device_token(&authorization.device_code).await),
        "authorization_pending"
    );
    let approved = post(vec![
        ("user_code", authorization.user_code.clone()),
        ("decision", "approve".into()),
        ("_csrf", csrf),
    ])
    .await;
    assert_eq!(approved.status(), StatusCode::OK);
    assert!(approved.text().await.unwrap().contains("Approved"));
    app.clock.advance(Duration::from_secs(10));
    let session = device.device_token(&authorization.device_code).await.unwrap();
    assert_eq!(session.user.id, alice.user.id);
}
