//! Provisioning.Allocation through ingotd (so far: operators' quotas).

use ingot_kernel::db::Backend;
use reqwest::StatusCode;
use serde_json::json;

use super::{send_with, spawn_app};

#[tokio::test]
async fn operators_set_quotas_per_tenant_and_project_and_nobody_else_does() {
    let app = spawn_app(Backend::Sqlite, |config| config.demo_catalog = Some(true)).await;
    let admin = Some(app.admin_token.as_str());
    let (_, owner) = app.signed_up("owner").await;
    let tenant = owner.tenant.as_ref().unwrap().id;
    let path = format!("/v1/admin/tenants/{tenant}/quotas");
    let project = ingot_kernel::id::ProjectId::generate();
    let (status, empty) = send_with(&app, admin, "GET", &path, None, None).await;
    assert_eq!(
        (status, &empty["quotas"]),
        (StatusCode::OK, &json!([])),
        "no quota: not limited by quota"
    );
    let body = json!({"reason": "pilot customer", "quotas": [
        {"sku": "gpu-8x-h100", "max_nodes": 4},
        {"project_id": project, "sku": "gpu-8x-h100", "max_nodes": 2},
        {"sku": "cpu-64c", "max_nodes": 0}
    ]});
    let (status, set) = send_with(&app, admin, "PUT", &path, Some(body.clone()), None).await;
    assert_eq!(status, StatusCode::OK, "{set}");
    assert_eq!(set["quotas"].as_array().unwrap().len(), 3);
    let (_, shown) = send_with(&app, admin, "GET", &path, None, None).await;
    assert_eq!(shown, set);

    // Bad input names the field and changes nothing.
    for (bad, field) in [
        (
            json!({"reason": "x", "quotas": [{"sku": "no-such-sku", "max_nodes": 1}]}),
            "quotas[0].sku",
        ),
        (
            json!({"reason": "x", "quotas": [{"sku": "cpu-64c", "max_nodes": 1}, {"sku": "cpu-64c", "max_nodes": 2}]}),
            "quotas[1]",
        ),
        (
            json!({"reason": "x", "quotas": [{"sku": "cpu-64c", "max_nodes": 1000000}]}),
            "quotas[0].max_nodes",
        ),
        (json!({"reason": " ", "quotas": []}), "reason"),
    ] {
        let (status, problem) = send_with(&app, admin, "PUT", &path, Some(bad), None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    let (status, _) = send_with(&app, admin, "PUT", &path, Some(json!({"quotas": []})), None).await;
    assert!(status.is_client_error(), "a reason is required");
    let (_, after) = send_with(&app, admin, "GET", &path, None, None).await;
    assert_eq!(after, set, "refused requests changed nothing");

    // The tenant itself (and anyone else) may not read or set its quotas.
    let tenant_token = Some(owner.session_token.as_str());
    let (status, _) = send_with(&app, tenant_token, "GET", &path, None, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = send_with(&app, tenant_token, "PUT", &path, Some(body.clone()), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = send_with(&app, None, "GET", &path, None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM iam_audit_events WHERE action = 'allocation.quotas.set'")
            .fetch_one(app.db.db.reader())
            .await
            .unwrap();
    assert_eq!(audited, 1);
    app.stop().await;
}
