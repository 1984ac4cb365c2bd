//! App Platform end to end: a project's SSH keys through the API — validated, fingerprinted,
//! once per project, audited — and nobody else's; the images each site offers tenants.

use ingot_kernel::db::Backend;
use reqwest::StatusCode;
use serde_json::json;

use super::maas::onboarded;
use super::{send, spawn_app};

const ALICE_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBNK3+pjPoTLgRs+vqevVS6g7tTrc3iRGID6bbvflHFK alice@laptop";
/// What `ssh-keygen -l -E sha256` prints for it.
const ALICE_FINGERPRINT: &str = "SHA256:44TK443TCF0nQwf5rTyqVPcHhOhaa8kqiJMamd6X62g";
const RSA_2048: &str = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDE2Y7jPYbe5lALIPS8BclkE0SCw85tYREFNEOXEZiadHSLsQk4SIZMOJgcUyqReWS6A0es9CFi+XOCYmQ9Q/dtm0tqOH3XfUMc2uKhAfKdwA4O5jDq5OZjwTUui1dnvU8YxLBqU/y+3NYXnWXZ+C/C3EQK1Axn5r9rTikt7LgkxJ2xUM0EiDJ7rSiPxKxBsjMyRX1X/cMj7XVzA0k1PF7d2QL+jX4+b1s1cWUtv19E6f1CqwREgCndUCdDrFt5aB8DkZs+CCw13V5OiSwod+useqefXMVpRxqCxV08LkcreXa3Bv+yxhmcp329LYbnMh54qClXs7JlMBM5IiLmmv33 old@box";

async fn a_projects_ssh_keys_are_validated_kept_once_and_private(backend: Backend) {
    let app = spawn_app(backend, |_| {}).await;
    let (_, alice) = app.signed_up("alice").await;
    let (_, bob) = app.signed_up("bob").await;
    let project = alice.project.as_ref().unwrap().id;
    let path = format!("/v1/projects/{project}/ssh-keys");
    let token = Some(alice.session_token.as_str());

    let (status, key) = send(
        &app,
        token,
        "POST",
        &path,
        Some(json!({"name": "laptop", "public_key": ALICE_KEY})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{key}");
    assert_eq!(key["fingerprint"], ALICE_FINGERPRINT);
    assert_eq!(
        (&key["kind"], &key["bits"], &key["comment"]),
        (&json!("ssh-ed25519"), &json!(256), &json!("alice@laptop"))
    );
    assert_eq!(key["public_key"], ALICE_KEY.rsplit_once(' ').unwrap().0);
    let id = key["id"].as_str().unwrap().to_string();

    // The same key again (another comment, another name) is the same key.
    let again = ALICE_KEY.replace("alice@laptop", "alice@desktop");
    let (status, body) = send(
        &app,
        token,
        "POST",
        &path,
        Some(json!({"name": "desktop", "public_key": again})),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("conflict")),
        "{body}"
    );
    // Weak, damaged or unnamed keys: every reason, by field, and nothing kept.
    let (status, body) = send(
        &app,
        token,
        "POST",
        &path,
        Some(json!({"name": "", "public_key": RSA_2048})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["name", "public_key"], "{body}");
    assert!(
        body["errors"][1]["message"].as_str().unwrap().contains("3072"),
        "{body}"
    );
    let (status, _) = send(
        &app,
        token,
        "POST",
        &path,
        Some(json!({"name": "x", "public_key": "ssh-ed25519 AAAA"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = send(
        &app,
        token,
        "POST",
        &path,
        Some(json!({"name": "x", "key": ALICE_KEY})),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown fields are refused"
    );
    let (status, list) = send(&app, token, "GET", &path, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");

    // Bob sees no such project; anonymous callers are asked to sign in.
    let bob_token = Some(bob.session_token.as_str());
    let (status, _) = send(&app, bob_token, "GET", &path, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = send(
        &app,
        bob_token,
        "POST",
        &path,
        Some(json!({"name": "mine", "public_key": ALICE_KEY})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = send(&app, bob_token, "DELETE", &format!("{path}/{id}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = send(&app, None, "GET", &path, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Bob adds the same key to his own project: keys are per project.
    let bob_path = format!("/v1/projects/{}/ssh-keys", bob.project.as_ref().unwrap().id);
    let (status, _) = send(
        &app,
        bob_token,
        "POST",
        &bob_path,
        Some(json!({"name": "shared", "public_key": ALICE_KEY})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);

    // Removed once, audited both ways.
    let (status, _) = send(&app, token, "DELETE", &format!("{path}/{id}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = send(&app, token, "DELETE", &format!("{path}/{id}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let audited: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM iam_audit_events WHERE action LIKE 'app.ssh_key.%' ORDER BY position",
    )
    .fetch_all(app.db.db.reader())
    .await
    .unwrap();
    assert_eq!(
        audited,
        ["app.ssh_key.add", "app.ssh_key.add", "app.ssh_key.remove"]
    );
    app.stop().await;
}

on_both_backends!(a_projects_ssh_keys_are_validated_kept_once_and_private);

/// (site, name, default, title, architectures) of each image listed.
fn images_of(list: &serde_json::Value) -> Vec<(String, String, bool, String, String)> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let archs: Vec<&str> = i["architectures"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap())
                .collect();
            (
                i["site"].as_str().unwrap().to_string(),
                i["name"].as_str().unwrap().to_string(),
                i["default"].as_bool().unwrap(),
                i["title"].as_str().unwrap().to_string(),
                archs.join(","),
            )
        })
        .collect()
}

async fn tenants_see_the_images_each_site_offers_and_its_policy_allows(backend: Backend) {
    let app = spawn_app(backend, super::allocation::config).await;
    let (_, alice) = app.signed_up("alice").await;
    let token = Some(alice.session_token.as_str());
    let (status, _) = send(&app, None, "GET", "/v1/images", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Before the site is bound to its region nothing is known to be deployable there.
    let (status, list) = send(&app, token, "GET", "/v1/images", None).await;
    assert_eq!(
        (status, list.as_array().map(Vec::len)),
        (StatusCode::OK, Some(0)),
        "{list}"
    );

    // The region offers jammy (amd64) and noble (amd64, arm64); the policy also allows focal,
    // which the region does not have.
    let (_sim, _) = onboarded(&app, 1, json!({"allowed_images": ["jammy", "focal", "noble"]})).await;
    let (status, list) = send(&app, token, "GET", "/v1/images", None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let demo = |name: &str, default: bool, title: &str, archs: &str| {
        (
            "demo1".to_string(),
            name.to_string(),
            default,
            title.to_string(),
            archs.to_string(),
        )
    };
    assert_eq!(
        images_of(&list),
        [
            demo("jammy", true, "Ubuntu 22.04 LTS", "amd64"),
            demo("noble", false, "Ubuntu 24.04 LTS", "amd64,arm64"),
        ]
    );
    assert!(list[0]["synced_at"].is_string(), "{list}");
    let (status, one) = send(&app, token, "GET", "/v1/images?site=demo1", None).await;
    assert_eq!((status, &one), (StatusCode::OK, &list));
    let (status, body) = send(&app, token, "GET", "/v1/images?site=nowhere", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, _) = send(&app, token, "GET", "/v1/images?sight=demo1", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "unknown parameters are refused");

    // The operator narrows the policy: the list follows at once, without a new sync.
    let admin = Some(app.admin_token.as_str());
    let (_, binding) = send(&app, admin, "GET", "/v1/admin/sites/demo1/maas", None).await;
    let (status, body) = send(
        &app,
        admin,
        "PUT",
        "/v1/admin/sites/demo1/maas",
        Some(json!({"url": binding["url"], "policy": {"allowed_images": ["noble"]}})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, list) = send(&app, token, "GET", "/v1/images", None).await;
    assert_eq!(
        images_of(&list),
        [demo("noble", true, "Ubuntu 24.04 LTS", "amd64,arm64")]
    );

    // The images controller's pass reads them off the region again.
    sqlx::query("DELETE FROM maas_site_images")
        .execute(app.db.db.reader())
        .await
        .unwrap();
    assert_eq!(app.maas.images_sync_all().await.unwrap(), 1);
    let (_, again) = send(&app, token, "GET", "/v1/images", None).await;
    assert_eq!(
        images_of(&again),
        images_of(&list),
        "the images controller reads them back"
    );
    app.stop().await;
}

on_both_backends!(tenants_see_the_images_each_site_offers_and_its_policy_allows);
