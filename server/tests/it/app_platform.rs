//! App Platform end to end: a project's SSH keys through the API — validated, fingerprinted,
//! once per project, audited — and nobody else's; the images each site offers tenants;
//! templates, and allocations naming keys by id and user-data by template.

use ingot_kernel::db::Backend;
use reqwest::StatusCode;
use serde_json::json;

use ingot_contracts::iam::KycLevel;
use serde_json::Value;

use super::allocation::{KEY, tenant};
use super::maas::onboarded;
use super::{send, spawn_app};

const ALICE_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBNK3+pjPoTLgRs+vqevVS6g7tTrc3iRGID6bbvflHFK alice@laptop";
/// What `ssh-keygen -l -E sha256` prints for it.
const ALICE_FINGERPRINT: &str = "SHA256:44TK443TCF0nQwf5rTyqVPcHhOhaa8kqiJMamd6X62g";
/// Alice's own key (not a project's).
const ALICE_DESKTOP: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOxhy1bQIZDF57fcYr+eyWcEdvHHPqDlaG5VdaAaOan9 alice@desktop";
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
    let audited = super::audited(&app, "app.ssh_key.").await;
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
    let alice = tenant(&app, "alice", KycLevel::Basic, "500").await;
    let token = Some(alice.token.as_str());
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
    let (_sim, _) = onboarded(&app, 4, json!({"allowed_images": ["jammy", "focal", "noble"]})).await;
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

    // Allocations follow it: an image the site does not offer is refused by name before
    // anything is weighed; none asked, the site's default is deployed.
    let allocations = format!("/v1/projects/{}/allocations", alice.project);
    let (status, body) = send(
        &app,
        token,
        "POST",
        &allocations,
        Some(json!({"sku": "cpu-64c", "count": 1, "image": "jammy", "ssh_keys": [KEY]})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["image"]);
    assert!(
        body["errors"][0]["message"].as_str().unwrap().contains("demo1"),
        "{body}"
    );
    let (status, created) = send(
        &app,
        token,
        "POST",
        &allocations,
        Some(json!({"sku": "cpu-64c", "count": 1, "ssh_keys": [KEY]})),
    )
    .await;
    assert_eq!(
        (status, created["image"].as_str()),
        (StatusCode::CREATED, Some("noble")),
        "{created}"
    );

    // The images controller's pass reads them off the region again.
    let mut tx = app.db.db.begin().await.unwrap();
    sqlx::query("DELETE FROM maas_site_images")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
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

/// The field names of a 422's errors.
fn fields(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect()
}

fn web_template(name: &str) -> Value {
    json!({
        "name": name,
        "description": "nginx with a greeting",
        "variables": [
            {"name": "greeting", "kind": "string"},
            {"name": "port", "kind": "integer", "default": 8080},
            {"name": "size", "kind": "choice", "choices": ["s", "m"], "default": "s"}
        ],
        "body": "#cloud-config\npackages: [nginx]\nwrite_files:\n  - path: /var/www/html/index.html\n    content: {{ greeting | json }}\nruncmd:\n  - [sh, -c, \"echo {{ port }} {{ size }}\"]\n"
    })
}

/// The user-data an allocation's deploy requests carry, opened as the MAAS domain would.
pub(super) async fn deployed_user_data(
    app: &super::TestApp,
    allocation_id: &str,
) -> Vec<(Vec<String>, Option<String>)> {
    let payloads: Vec<String> = sqlx::query_scalar(
        "SELECT payload FROM kernel_outbox WHERE event_type = 'allocation.node_deploy_requested' ORDER BY seq",
    )
    .fetch_all(app.db.db.reader())
    .await
    .unwrap();
    let context = ingot_contracts::allocation::user_data_seal_context(allocation_id.parse().unwrap());
    payloads
        .iter()
        .map(|p| serde_json::from_str::<Value>(p).unwrap())
        .filter(|e| e["allocation_id"] == allocation_id)
        .map(|e| {
            let keys = e["ssh_keys"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| k.as_str().unwrap().to_string())
                .collect();
            let user_data = e["user_data_sealed"]
                .as_str()
                .map(|sealed| String::from_utf8(app.secrets.open(sealed, &context).unwrap()).unwrap());
            (keys, user_data)
        })
        .collect()
}

async fn templates_are_checked_rendered_and_used_by_allocations_with_keys_by_id(backend: Backend) {
    let app = spawn_app(backend, super::allocation::config).await;
    let (_sim, _) = onboarded(&app, 4, json!({})).await;
    let alice = tenant(&app, "alice", KycLevel::Basic, "500").await;
    let bob = tenant(&app, "bob", KycLevel::Basic, "500").await;
    let token = Some(alice.token.as_str());
    let templates = format!("/v1/projects/{}/templates", alice.project);

    // Every project sees the built-ins.
    let (status, list) = send(&app, token, "GET", &templates, None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["ingot-docker-host", "ingot-k3s-cluster", "ingot-nvidia-cuda"]
    );
    assert!(list.as_array().unwrap().iter().all(|t| t["builtin"] == true));

    // Kept once checked; refused with every reason, by field, when broken.
    let (status, web) = send(&app, token, "POST", &templates, Some(web_template("web"))).await;
    assert_eq!(status, StatusCode::CREATED, "{web}");
    assert_eq!((&web["version"], &web["builtin"]), (&json!(1), &json!(false)));
    let (status, body) = send(&app, token, "POST", &templates, Some(web_template("web"))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let mut broken = web_template("ingot-mine");
    broken["variables"][1]["default"] = json!("eighty");
    broken["body"] = json!("#cloud-config\n- {{ greeting }}\n");
    let (status, body) = send(&app, token, "POST", &templates, Some(broken)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["name", "variables[1].default"]);
    let mut broken = web_template("yaml");
    broken["body"] = json!("#cloud-config\nruncmd: [echo {{ greeting }}\n");
    let (status, body) = send(&app, token, "POST", &templates, Some(broken)).await;
    assert_eq!(
        (status, fields(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["body".to_string()]),
        "{body}"
    );
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("not valid YAML"),
        "{body}"
    );

    // Rendered with typed values; a value of the wrong type names its variable.
    let render = format!("{templates}/web/render");
    let (status, rendered) = send(
        &app,
        token,
        "POST",
        &render,
        Some(json!({"variables": {"greeting": "Hello: world", "size": "m"}})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{rendered}");
    assert_eq!(rendered["kind"], "cloud_config");
    let text = rendered["user_data"].as_str().unwrap();
    assert!(
        text.contains("content: \"Hello: world\"") && text.contains("echo 8080 m"),
        "{text}"
    );
    let (status, body) = send(
        &app,
        token,
        "POST",
        &render,
        Some(json!({"variables": {"greeting": "hi", "port": "80", "size": "xl"}})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["variables.port", "variables.size"]);

    // Replaced whole: the version moves; a built-in cannot be replaced or deleted.
    let mut changed = web_template("web");
    changed["variables"][1]["default"] = json!(9090);
    let (status, body) = send(&app, token, "PUT", &format!("{templates}/web"), Some(changed)).await;
    assert_eq!((status, &body["version"]), (StatusCode::OK, &json!(2)), "{body}");
    let (status, _) = send(
        &app,
        token,
        "DELETE",
        &format!("{templates}/ingot-docker-host"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Bob sees none of it, and can change none of it.
    let bob_token = Some(bob.token.as_str());
    for (method, path, body) in [
        ("GET", templates.clone(), None),
        ("POST", templates.clone(), Some(web_template("bobs"))),
        ("GET", format!("{templates}/web"), None),
        ("PUT", format!("{templates}/web"), Some(web_template("web"))),
        ("DELETE", format!("{templates}/web"), None),
        (
            "POST",
            render.clone(),
            Some(json!({"variables": {"greeting": "x"}})),
        ),
    ] {
        let (status, answer) = send(&app, bob_token, method, &path, body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}: {answer}");
    }

    // An allocation names a project key by id, a key by text, and its user-data by template.
    let (status, key) = send(
        &app,
        token,
        "POST",
        &format!("/v1/projects/{}/ssh-keys", alice.project),
        Some(json!({"name": "laptop", "public_key": ALICE_KEY})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{key}");
    // And one of Alice's own keys, hers in every project; nobody else sees or uses it.
    let (status, own) = send(
        &app,
        token,
        "POST",
        "/v1/me/ssh-keys",
        Some(json!({"name": "desktop", "public_key": ALICE_DESKTOP})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{own}");
    assert!(own.get("project_id").is_none(), "{own}");
    let (_, mine) = send(&app, token, "GET", "/v1/me/ssh-keys", None).await;
    assert_eq!(mine.as_array().map(Vec::len), Some(1), "{mine}");
    let (_, bobs) = send(&app, bob_token, "GET", "/v1/me/ssh-keys", None).await;
    assert_eq!(bobs.as_array().map(Vec::len), Some(0), "{bobs}");
    let own_path = format!("/v1/me/ssh-keys/{}", own["id"].as_str().unwrap());
    let (status, _) = send(&app, bob_token, "DELETE", &own_path, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = send(&app, None, "GET", "/v1/me/ssh-keys", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // One's own keys are credentials: an API token (even Alice's own) may not change them.
    let (status, minted) = send(
        &app,
        token,
        "POST",
        "/v1/tokens",
        Some(json!({"name": "ci", "tenant_id": alice.tenant, "role": "owner"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{minted}");
    let api_token = Some(minted["token"].as_str().unwrap());
    let (status, body) = send(
        &app,
        api_token,
        "POST",
        "/v1/me/ssh-keys",
        Some(json!({"name": "planted", "public_key": RSA_2048})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, _) = send(&app, api_token, "DELETE", &own_path, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = send(
        &app,
        bob_token,
        "POST",
        &format!("/v1/projects/{}/allocations", bob.project),
        Some(json!({"sku": "cpu-64c", "count": 1, "ssh_keys": [own["id"]], "dry_run": true})),
    )
    .await;
    assert_eq!(
        (status, fields(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["ssh_keys[0]".to_string()]),
        "{body}"
    );
    let allocations = format!("/v1/projects/{}/allocations", alice.project);
    let (status, created) = send(
        &app,
        token,
        "POST",
        &allocations,
        Some(json!({
            "sku": "cpu-64c", "count": 1, "ssh_keys": [key["id"], KEY, own["id"]],
            "template": {"name": "web", "variables": {"greeting": "hi"}}
        })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let deploys = deployed_user_data(&app, created["id"].as_str().unwrap()).await;
    assert_eq!(deploys.len(), 1);
    assert_eq!(
        deploys[0].0,
        [ALICE_KEY.to_string(), KEY.to_string(), ALICE_DESKTOP.to_string()]
    );
    let user_data = deploys[0].1.as_deref().unwrap();
    assert!(
        user_data.contains("content: \"hi\"") && user_data.contains("echo 9090 s"),
        "{user_data}"
    );

    // Refused before anything is assigned: bob's key id, a weak key, user-data that is not
    // cloud-init, a template's missing value, an unknown template.
    let (_, bob_key) = send(
        &app,
        bob_token,
        "POST",
        &format!("/v1/projects/{}/ssh-keys", bob.project),
        Some(json!({"name": "bob", "public_key": KEY})),
    )
    .await;
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM alloc_allocations")
        .fetch_one(app.db.db.reader())
        .await
        .unwrap();
    for (ask, expected) in [
        (
            json!({"ssh_keys": [bob_key["id"], RSA_2048]}),
            vec!["ssh_keys[0]", "ssh_keys[1]"],
        ),
        (json!({"user_data": "packages: [htop]\n"}), vec!["user_data"]),
        (
            json!({"user_data": "#cloud-config\na: &a [x]\nb: *a\n"}),
            vec!["user_data"],
        ),
        (
            json!({"template": {"name": "web"}}),
            vec!["template.variables.greeting"],
        ),
        (json!({"template": {"name": "nope"}}), vec!["template.name"]),
        (
            json!({"template": {"name": "web", "variables": {"greeting": "x"}}, "user_data": "#!/bin/sh\n"}),
            vec!["template"],
        ),
    ] {
        let mut request = json!({"sku": "cpu-64c", "count": 1});
        request
            .as_object_mut()
            .unwrap()
            .extend(ask.as_object().unwrap().clone());
        let (status, body) = send(&app, token, "POST", &allocations, Some(request.clone())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{request}: {body}");
        assert_eq!(fields(&body), expected, "{request}: {body}");
    }
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM alloc_allocations")
        .fetch_one(app.db.db.reader())
        .await
        .unwrap();
    assert_eq!(after, before, "nothing was allocated by the refusals");

    // Deleted once, audited every way.
    let (status, _) = send(
        &app,
        token,
        "DELETE",
        &format!("{templates}/{}", web["id"].as_str().unwrap()),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = send(&app, token, "GET", &format!("{templates}/web"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let audited = super::audited(&app, "app.template.").await;
    assert_eq!(
        audited,
        [
            "app.template.create",
            "app.template.replace",
            "app.template.delete"
        ]
    );
    app.stop().await;
}

on_both_backends!(templates_are_checked_rendered_and_used_by_allocations_with_keys_by_id);
