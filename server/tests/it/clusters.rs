//! Clusters end to end: a k3s head and workers from the built-in template, each node its own
//! allocation wired to the head; scaled up and down, refused whole when it cannot fit, deleted
//! as one thing; nobody else's to see or touch.

use std::time::Duration;

use ingot_contracts::iam::KycLevel;
use ingot_kernel::db::Backend;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::allocation::{KEY, config, drive, tenant};
use super::app_platform::deployed_user_data;
use super::maas::onboarded;
use super::{TestApp, send, spawn_app};

/// Drives the cloud until the cluster shows what `done` wants.
async fn cluster_until(app: &TestApp, token: &str, path: &str, done: impl Fn(&Value) -> bool) -> Value {
    let mut tick = tokio::time::interval(Duration::from_millis(50));
    for _ in 0..200 {
        drive(app).await;
        let (status, cluster) = send(app, Some(token), "GET", path, None).await;
        assert_eq!(status, StatusCode::OK, "{cluster}");
        if done(&cluster) {
            return cluster;
        }
        tick.tick().await;
        app.clock.advance(Duration::from_secs(20));
    }
    panic!(
        "the cluster never got there: {}",
        send(app, Some(token), "GET", path, None).await.1
    );
}

fn roles(cluster: &Value) -> Vec<(String, u64)> {
    cluster["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["role"].as_str().unwrap().to_string(),
                n["index"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn fields(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect()
}

async fn allocations_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM alloc_allocations")
        .fetch_one(app.db.db.reader())
        .await
        .unwrap()
}

async fn a_cluster_is_created_scaled_and_deleted_as_one_thing(backend: Backend) {
    let app = spawn_app(backend, config).await;
    // Two H100 boxes, two A100 boxes, four CPU servers.
    let (_sim, _) = onboarded(&app, 8, json!({})).await;
    let alice = tenant(&app, "alice", KycLevel::Full, "2000").await;
    let bob = tenant(&app, "bob", KycLevel::Basic, "500").await;
    let token = alice.token.as_str();
    let clusters = format!("/v1/projects/{}/clusters", alice.project);
    let ask = |name: &str, workers: u32| {
        json!({"name": name, "template": "ingot-k3s-cluster", "sku": "cpu-64c", "workers": workers,
               "ssh_keys": [KEY], "variables": {"channel": "stable"}})
    };

    // Refused whole, before anything is allocated: bad values, reserved names, too big.
    let mut bad = ask("lab", 1);
    bad["variables"] = json!({"channel": "nightly", "ingot_role": "head"});
    let (status, body) = send(&app, Some(token), "POST", &clusters, Some(bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["variables", "variables.channel"]);
    let (status, body) = send(&app, Some(token), "POST", &clusters, Some(ask("lab", 4))).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("capacity_unavailable")),
        "{body}"
    );
    assert_eq!(
        allocations_count(&app).await,
        0,
        "nothing was allocated for a refused cluster"
    );

    // A head and two workers: three allocations, the workers told where the head is.
    let (status, lab) = send(&app, Some(token), "POST", &clusters, Some(ask("lab", 2))).await;
    assert_eq!(status, StatusCode::CREATED, "{lab}");
    assert_eq!(
        roles(&lab),
        [("head".into(), 0), ("worker".into(), 1), ("worker".into(), 2)]
    );
    let head_host = lab["nodes"][0]["hostname"].as_str().unwrap().to_string();
    let head_data = deployed_user_data(&app, lab["nodes"][0]["allocation_id"].as_str().unwrap()).await;
    let head_data = head_data[0].1.as_deref().unwrap();
    assert!(
        head_data.starts_with("#!/bin/sh") && head_data.contains("case head in"),
        "{head_data}"
    );
    let worker_data = deployed_user_data(&app, lab["nodes"][2]["allocation_id"].as_str().unwrap()).await;
    let (worker_keys, worker_data) = (&worker_data[0].0, worker_data[0].1.as_deref().unwrap());
    assert_eq!(worker_keys, &[KEY.to_string()]);
    assert!(
        worker_data.contains(&format!("K3S_URL=https://{head_host}:6443")),
        "{worker_data}"
    );
    assert!(worker_data.contains("--node-name lab-worker-2"), "{worker_data}");
    let token_line = |text: &str| {
        text.lines()
            .find(|l| l.contains("K3S_TOKEN="))
            .unwrap()
            .to_string()
    };
    assert_eq!(token_line(head_data), token_line(worker_data), "one join token");
    let (status, body) = send(&app, Some(token), "POST", &clusters, Some(ask("lab", 0))).await;
    assert_eq!(status, StatusCode::CONFLICT, "the name is taken: {body}");

    let path = format!("{clusters}/lab");
    let lab = cluster_until(&app, token, &path, |c| c["state"] == "active").await;
    assert_eq!(lab["active"], 3);
    assert!(
        lab["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["ssh_command"].is_string()),
        "{lab}"
    );

    // Scaled up to the last CPU server; a step too far is refused and changes nothing.
    let (status, body) = send(
        &app,
        Some(token),
        "POST",
        &format!("{path}/scale"),
        Some(json!({"workers": 5})),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("capacity_unavailable")),
        "{body}"
    );
    let (status, lab) = send(
        &app,
        Some(token),
        "POST",
        &format!("{path}/scale"),
        Some(json!({"workers": 3})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{lab}");
    assert_eq!(lab["workers"], 3);
    assert_eq!(roles(&lab).last().unwrap(), &("worker".to_string(), 3));
    let lab = cluster_until(&app, token, &path, |c| c["state"] == "active" && c["active"] == 4).await;

    // Scaled down: the newest workers go, the cluster stays active.
    let released = [
        lab["nodes"][2]["allocation_id"].clone(),
        lab["nodes"][3]["allocation_id"].clone(),
    ];
    let (status, lab) = send(
        &app,
        Some(token),
        "POST",
        &format!("{path}/scale"),
        Some(json!({"workers": 1})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{lab}");
    let lab = cluster_until(&app, token, &path, |c| c["nodes"].as_array().unwrap().len() == 2).await;
    assert_eq!(roles(&lab), [("head".into(), 0), ("worker".into(), 1)]);
    assert_eq!(lab["state"], "active");
    for id in &released {
        let (_, allocation) = send(
            &app,
            Some(token),
            "GET",
            &format!("/v1/allocations/{}", id.as_str().unwrap()),
            None,
        )
        .await;
        assert_eq!(allocation["state"], "released", "{allocation}");
    }

    // Bob sees none of it and can change none of it.
    let bob_token = Some(bob.token.as_str());
    for (method, route, body) in [
        ("GET", clusters.clone(), None),
        ("POST", clusters.clone(), Some(ask("mine", 0))),
        ("GET", path.clone(), None),
        ("POST", format!("{path}/scale"), Some(json!({"workers": 0}))),
        ("DELETE", path.clone(), None),
    ] {
        let (status, answer) = send(&app, bob_token, method, &route, body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {route}: {answer}");
    }

    // Deleted as one thing: every node released; the name is free again.
    let id = lab["id"].as_str().unwrap().to_string();
    let (status, deleting) = send(&app, Some(token), "DELETE", &path, None).await;
    assert_eq!(
        (status, deleting["state"].as_str()),
        (StatusCode::ACCEPTED, Some("deleting")),
        "{deleting}"
    );
    let gone = cluster_until(&app, token, &format!("{clusters}/{id}"), |c| {
        c["state"] == "deleted"
    })
    .await;
    assert!(gone["nodes"].as_array().unwrap().is_empty(), "{gone}");
    let (status, again) = send(&app, Some(token), "POST", &clusters, Some(ask("lab", 0))).await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
    let (_, listed) = send(&app, Some(token), "GET", &clusters, None).await;
    let states: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["provisioning", "deleted"]);
    let audited = super::audited(&app, "app.cluster.").await;
    assert_eq!(
        audited,
        [
            "app.cluster.create",
            "app.cluster.scale",
            "app.cluster.scale",
            "app.cluster.delete",
            "app.cluster.create"
        ]
    );
    app.stop().await;
}

on_both_backends!(a_cluster_is_created_scaled_and_deleted_as_one_thing);
