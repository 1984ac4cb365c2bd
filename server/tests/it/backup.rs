//! Backup and restore as docs/deploy.md tells operators to do them, on both backends: money in,
//! dump, restore into a fresh database, start `ingotd` on it — the balance is there and the
//! ledger verifies.

use std::process::Command;
use std::time::Duration;

use ingot_kernel::db::Backend;
use reqwest::StatusCode;
use serde_json::json;

use crate::{TestApp, send, spawn_app};

/// A tenant topped up with 250 USD through the test provider; its tenant id.
async fn money_in(app: &TestApp) -> String {
    let (_, created) = app.signed_up("saver").await;
    let tenant_id = created.tenant.as_ref().unwrap().id.to_string();
    let (status, top_up) = send(
        app,
        Some(&created.session_token),
        "POST",
        &format!("/v1/tenants/{tenant_id}/top-ups"),
        Some(json!({"amount": {"amount": "250", "currency": "USD"}})),
    )
    .await;
    assert_eq!(
        (status, top_up["status"].as_str()),
        (StatusCode::CREATED, Some("succeeded")),
        "{top_up}"
    );
    tenant_id
}

async fn balance_and_verdict(app: &TestApp, tenant_id: &str) -> (String, bool) {
    let admin = Some(app.admin_token.as_str());
    let (status, balance) = send(
        app,
        admin,
        "GET",
        &format!("/v1/tenants/{tenant_id}/balance"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{balance}");
    let (status, verdict) = send(app, admin, "GET", "/v1/admin/ledger/verify", None).await;
    assert_eq!(status, StatusCode::OK, "{verdict}");
    (
        balance["available"]["amount"].as_str().unwrap().to_string(),
        verdict["ok"].as_bool().unwrap(),
    )
}

#[tokio::test]
async fn a_postgres_dump_restores_with_its_money_and_a_verifying_ledger() {
    // Both servers share the installation key, as a restored installation must.
    let key = ingot_kernel::crypto::SecretBox::key_generate().unwrap();
    let first_key = key.clone();
    let app = spawn_app(Backend::Postgres, move |config| {
        config.billing_test_provider = Some(true);
        config.secret_key = Some(first_key);
    })
    .await;
    let tenant_id = money_in(&app).await;
    let before = balance_and_verdict(&app, &tenant_id).await;
    assert_eq!(before, ("250.000000".to_string(), true));
    let dump = std::env::temp_dir().join(format!("ingot-{}.dump", ingot_kernel::id::new_ulid()));
    let dumped = Command::new("pg_dump")
        .args(["--format=custom", "--no-owner", "--file"])
        .arg(&dump)
        .arg(&app.db.url)
        .output()
        .unwrap();
    assert!(
        dumped.status.success(),
        "{}",
        String::from_utf8_lossy(&dumped.stderr)
    );
    app.stop().await;

    // A fresh, empty database; the dump restored into it; ingotd started on it with the same
    // installation key.
    let restored_db = ingot_kernel::testing::TestDb::new(Backend::Postgres).await;
    let restored = Command::new("pg_restore")
        .args(["--no-owner", "--dbname"])
        .arg(&restored_db.url)
        .arg(&dump)
        .output()
        .unwrap();
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    let url = restored_db.url.clone();
    let app = crate::spawn_app_on(
        restored_db,
        move |config| {
            config.database_url = Some(url);
            config.secret_key = Some(key);
        },
        |_| {},
    )
    .await;
    assert_eq!(balance_and_verdict(&app, &tenant_id).await, before);
    app.stop().await;
}

#[tokio::test]
async fn an_sqlite_backup_taken_while_serving_restores_with_its_money() {
    let dir = std::env::temp_dir().join(format!("ingot-backup-{}", ingot_kernel::id::new_ulid()));
    std::fs::create_dir_all(&dir).unwrap();
    let (mut server, address) = crate::ingotd_spawn(&dir, &[]);
    let base = format!("http://{address}");
    let ready = || async {
        let mut tick = tokio::time::interval(Duration::from_millis(50));
        for _ in 0..400 {
            if crate::http()
                .get(format!("{base}/readyz"))
                .send()
                .await
                .is_ok_and(|r| r.status() == 200)
            {
                return;
            }
            tick.tick().await;
        }
        panic!("ingotd never became ready");
    };
    ready().await;
    let admin = Command::new(env!("CARGO_BIN_EXE_ingotd"))
        .args(["bootstrap-admin", "--email", "ops@example.com"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let token = String::from_utf8(admin.stdout).unwrap().trim().to_string();
    let client = ingot_sdk::Client::new(&base).unwrap();
    let signup = ingot_contracts::iam::SignupRequest {
        email: "saver@example.com".into(),
        password: "a-long-enough-passphrase-for-backups-9".into(),
        display_name: "Saver".into(),
        tenant_name: "Saver's".into(),
    };
    let created = client.signup(&signup).await.unwrap();
    let tenant = client.with_token(&created.session_token);
    let tenant_id = created.tenant.as_ref().unwrap().id;
    let top_up = ingot_contracts::billing::TopUpRequest {
        amount: ingot_kernel::money::Money::parse("250", ingot_kernel::money::Currency::USD).unwrap(),
        provider: Some("test".into()),
    };
    tenant.top_up(tenant_id, &top_up, None).await.unwrap();

    // The backup, taken beside the running server.
    let copy = dir.join("ingot-backup.db");
    let output = Command::new(env!("CARGO_BIN_EXE_ingotd"))
        .args(["backup", "--to"])
        .arg(&copy)
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let again = Command::new(env!("CARGO_BIN_EXE_ingotd"))
        .args(["backup", "--to"])
        .arg(&copy)
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(!again.status.success(), "a backup never overwrites");
    let _ = Command::new("kill").arg(server.id().to_string()).status();
    server.wait().unwrap();

    // Restored as docs/deploy.md says: the copy in place of ingot.db, the key file kept.
    let data = dir.join("ingot-data");
    for stale in ["ingot.db", "ingot.db-wal", "ingot.db-shm"] {
        let _ = std::fs::remove_file(data.join(stale));
    }
    std::fs::rename(&copy, data.join("ingot.db")).unwrap();
    let (mut server, address) = crate::ingotd_spawn(&dir, &[]);
    let base = format!("http://{address}");
    let operator = ingot_sdk::Client::new(&base).unwrap().with_token(&token);
    let balance = operator.balance_get(tenant_id).await.unwrap();
    assert_eq!(
        balance.available,
        ingot_kernel::money::Money::parse("250", ingot_kernel::money::Currency::USD).unwrap()
    );
    assert!(operator.ledger_verify().await.unwrap().ok);
    let _ = Command::new("kill").arg(server.id().to_string()).status();
    server.wait().unwrap();
}
