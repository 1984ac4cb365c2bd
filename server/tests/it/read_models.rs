//! Read Models end to end: the dashboards follow a real cloud's events, say what they reflect,
//! refuse other tenants, stay correct whatever Redis does, and a rebuild from the event history
//! equals what was built as events arrived.

use std::time::{Duration, Instant};

use ingot_contracts::iam::KycLevel;
use ingot_kernel::db::Backend;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::allocation::{KEY, config, drive, drive_until, micros, tenant};
use super::maas::onboarded;
use super::{TestApp, send, spawn_app};

const PROJECTIONS: [&str; 4] = ["tenant-overview", "ops-capacity", "ops-health", "revenue"];

/// Follows every projection until a pass finds nothing new (the controller may be doing the
/// same in the background; they take turns on each cursor).
async fn follow(app: &TestApp) {
    for _ in 0..100 {
        if app.read_models.follow_pass().await.unwrap().events_applied == 0 {
            return;
        }
    }
    panic!("the read models never caught up");
}

/// GETs `path` until `done` holds (the projection follows events behind the API), at most ~10 s.
async fn get_until(app: &TestApp, token: &str, path: &str, done: impl Fn(&Value) -> bool) -> Value {
    let mut tick = tokio::time::interval(Duration::from_millis(50));
    for _ in 0..200 {
        follow(app).await;
        let (status, body) = send(app, Some(token), "GET", path, None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        if done(&body) {
            return body;
        }
        tick.tick().await;
    }
    let (_, body) = send(app, Some(token), "GET", path, None).await;
    panic!("{path} never showed what was expected: {body}");
}

/// Follows until every projection has read the last event in the outbox. On PostgreSQL an
/// event is readable only once older transactions in the cluster have ended, so a pass that
/// finds nothing new may still be short of one.
async fn caught_up(app: &TestApp) {
    let mut tick = tokio::time::interval(Duration::from_millis(50));
    for _ in 0..400 {
        follow(app).await;
        let (txid, seq) = sqlx::query_as::<_, (i64, i64)>(
            "SELECT txid, seq FROM kernel_outbox ORDER BY txid DESC, seq DESC LIMIT 1",
        )
        .fetch_one(app.db.db.reader())
        .await
        .unwrap();
        let behind = sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM kernel_outbox_cursors WHERE consumer LIKE 'read-models/%' \
             AND (txid < $1 OR (txid = $1 AND seq < $2))",
        )
        .bind(txid)
        .bind(seq)
        .fetch_one(app.db.db.reader())
        .await
        .unwrap();
        if behind == 0 {
            return;
        }
        tick.tick().await;
    }
    panic!("the read models never read the last event");
}

async fn outbox_count(app: &TestApp) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM kernel_outbox")
        .fetch_one(app.db.db.reader())
        .await
        .unwrap()
}

/// Every outbox consumer by name.
async fn consumer_names(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar::<_, String>("SELECT consumer FROM kernel_outbox_cursors ORDER BY consumer")
        .fetch_all(app.db.db.reader())
        .await
        .unwrap()
}

async fn sku_id(app: &TestApp, name: &str) -> String {
    let (_, skus) = send(app, None, "GET", "/v1/catalog/skus", None).await;
    skus.as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn dashboards_follow_the_cloud_and_a_rebuild_equals_them(backend: Backend) {
    let app = spawn_app(backend, config).await;
    let admin = app.admin_token.clone();
    let (_sim, _) = onboarded(&app, 8, json!({"erase_on_release": "quick"})).await;
    let alice = tenant(&app, "alice", KycLevel::Basic, "500").await;
    let bob = tenant(&app, "bob", KycLevel::Basic, "100").await;
    let (status, body) = send(
        &app,
        Some(&admin),
        "PUT",
        &format!("/v1/admin/tenants/{}/quotas", alice.tenant),
        Some(json!({"quotas": [{"sku": "cpu-64c", "max_nodes": 3}], "reason": "pilot"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, created) = send(
        &app,
        Some(&alice.token),
        "POST",
        &format!("/v1/projects/{}/allocations", alice.project),
        Some(json!({"sku": "cpu-64c", "count": 2, "ssh_keys": [KEY]})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    let active = drive_until(&app, &alice.token, &id, |v| v["state"] == "active").await;

    // The tenant's overview.
    let path = format!("/v1/tenants/{}/overview", alice.tenant);
    let view = get_until(&app, &alice.token, &path, |v| {
        v["allocations"][0]["state"] == "active"
            && v["nodes_active"] == 2
            && v["balance"]["held"]["amount"] != "0.000000"
    })
    .await;
    assert_eq!(view["allocations"][0]["allocation_id"], id.as_str());
    assert_eq!(view["allocations"][0]["sku"], "cpu-64c");
    assert_eq!(view["nodes_live"], 2);
    assert_eq!(view["kyc"]["level"], "basic");
    assert_eq!(micros(&view["balance"]["cash"]), 500_000_000);
    let hourly = micros(&active["hourly_price"]);
    assert!(hourly > 0, "{active}");
    assert_eq!(
        micros(&view["burn_per_hour"]),
        hourly,
        "the allocation's whole rate: {view}"
    );
    assert_eq!(view["runway_hours"], 500_000_000 / hourly);
    assert_eq!(view["stopping_first"][0]["allocation_id"], id.as_str());
    assert_eq!(
        view["quotas"],
        json!([{"sku": "cpu-64c", "max_nodes": 3, "used": 2}])
    );
    assert_ne!(view["as_of"]["position"], "0.0");
    assert_eq!(view["as_of"]["projection"], "tenant-overview");

    // Served again from the cache, the same answer.
    let (_, again) = send(&app, Some(&alice.token), "GET", &path, None).await;
    assert_eq!(again["as_of"]["cache"], "hit", "{again}");
    let strip = |mut v: Value| {
        v["as_of"]["cache"] = Value::Null;
        v
    };
    assert_eq!(strip(again.clone()), strip(view.clone()));

    // Nobody else's overview; operators' dashboards are for operators.
    let (status, _) = send(&app, Some(&bob.token), "GET", &path, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = send(&app, None, "GET", &path, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let bobs = get_until(
        &app,
        &bob.token,
        &format!("/v1/tenants/{}/overview", bob.tenant),
        |v| v["balance"]["cash"]["amount"] == "100.000000",
    )
    .await;
    assert_eq!(bobs["allocations"], json!([]));
    for dashboard in ["capacity", "health", "revenue"] {
        let path = format!("/v1/admin/dashboards/{dashboard}");
        let (status, body) = send(&app, Some(&alice.token), "GET", &path, None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{dashboard}: {body}");
        let (status, _) = send(&app, None, "GET", &path, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{dashboard}");
    }
    let (status, _) = send(&app, Some(&alice.token), "GET", "/v1/admin/read-models", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = send(
        &app,
        Some(&alice.token),
        "POST",
        "/v1/admin/read-models/revenue/rebuild",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Capacity: the demo site's CPU servers, two of four assigned.
    let cpu = sku_id(&app, "cpu-64c").await;
    let capacity = get_until(&app, &admin, "/v1/admin/dashboards/capacity", |v| {
        v["cells"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["sku_id"] == cpu.as_str() && c["assigned"] == 2)
    })
    .await;
    let cell = capacity["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["sku_id"] == cpu.as_str())
        .unwrap();
    assert_eq!(
        (&cell["total"], &cell["available"], &cell["assigned"]),
        (&json!(4), &json!(2), &json!(2)),
        "{cell}"
    );
    assert_eq!(cell["utilisation"], 0.5);
    assert_eq!(
        (&cell["sku"], &cell["site"]),
        (&json!("cpu-64c"), &json!("demo1")),
        "named from the catalog"
    );

    // Health: both deploys succeeded; every consumer's lag is listed.
    let health = get_until(&app, &admin, "/v1/admin/dashboards/health", |v| {
        v["deploys_24h"]["succeeded"] == 2
    })
    .await;
    assert_eq!(health["deploys_24h"]["failed"], 0);
    let consumers: Vec<&str> = health["controllers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["consumer"].as_str().unwrap())
        .collect();
    assert!(consumers.contains(&"allocation.lifecycle"), "{consumers:?}");

    // An hour of use, rated: revenue by SKU and site, and the tenant's spend.
    app.clock.advance(Duration::from_secs(3_600));
    drive(&app).await;
    app.billing.rate_due().await.unwrap();
    let revenue = get_until(&app, &admin, "/v1/admin/dashboards/revenue?days=2", |v| {
        micros(&v["totals"]["usage"]) > 0 && micros(&v["totals"]["top_ups"]) == 600_000_000
    })
    .await;
    assert_eq!(revenue["days"].as_array().unwrap().len(), 2);
    let usage = micros(&revenue["totals"]["usage"]);
    assert_eq!(revenue["by_sku_site"][0]["sku_id"], cpu.as_str());
    assert_eq!(revenue["by_sku_site"][0]["sku"], "cpu-64c");
    assert_eq!(micros(&revenue["by_sku_site"][0]["usage"]), usage);
    let view = get_until(&app, &alice.token, &path, |v| {
        micros(&v["spend_this_month"]) == usage
    })
    .await;
    assert!(micros(&view["balance"]["cash"]) < 500_000_000);
    let (status, _) = send(
        &app,
        Some(&admin),
        "GET",
        "/v1/admin/dashboards/revenue?days=0",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // The ownership registry lists every projection with its sources and BFF owner.
    let (_, ownership) = send(&app, Some(&admin), "GET", "/v1/admin/ownership", None).await;
    let listed: Vec<&str> = ownership["projections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(listed, PROJECTIONS);
    assert!(
        ownership["projections"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["bff_owner"] == "UX" && !p["sources"].as_array().unwrap().is_empty())
    );

    // A rebuild from the event history equals what was built as the events came, fires nothing
    // (no event appended, no other consumer moved), and the live generation answers meanwhile.
    caught_up(&app).await;
    let mut built = Vec::new();
    for name in PROJECTIONS {
        built.push(app.read_models.active_docs(name).await.unwrap());
    }
    let events_before = outbox_count(&app).await;
    let consumers_before = consumer_names(&app).await;
    for name in PROJECTIONS {
        let (status, body) = send(
            &app,
            Some(&admin),
            "POST",
            &format!("/v1/admin/read-models/{name}/rebuild"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        assert_eq!(body["building"]["generation"], 2, "{body}");
        assert_eq!(body["active"]["generation"], 1, "{body}");
    }
    let (_, during) = send(&app, Some(&alice.token), "GET", &path, None).await;
    assert_eq!(
        during["allocations"][0]["allocation_id"],
        id.as_str(),
        "answers during the rebuild: {during}"
    );
    let rebuilt = get_until(&app, &admin, "/v1/admin/read-models", |v| {
        v.as_array()
            .unwrap()
            .iter()
            .all(|p| p["active"]["generation"] == 2 && p["building"].is_null())
    })
    .await;
    assert_eq!(rebuilt.as_array().unwrap().len(), 4);
    for (name, before) in PROJECTIONS.iter().zip(&built) {
        let after = app.read_models.active_docs(name).await.unwrap();
        assert!(!after.is_empty(), "{name} rebuilt empty");
        assert_eq!(
            &after, before,
            "{name}: the rebuild differs from the incremental build"
        );
    }
    assert_eq!(
        outbox_count(&app).await,
        events_before,
        "a rebuild appends no event"
    );
    // The new generations read through cursors of their own; the old ones' are dropped.
    let renamed: Vec<String> = consumers_before.iter().map(|c| c.replace("/g1", "/g2")).collect();
    assert_eq!(
        consumer_names(&app).await,
        renamed,
        "a rebuild adds no other consumer"
    );
    let (_, after) = send(&app, Some(&alice.token), "GET", &path, None).await;
    assert_eq!(after["as_of"]["generation"], 2);
    assert_eq!(after["allocations"], view["allocations"]);
    assert_eq!(after["spend_by_day"], view["spend_by_day"]);
    let (status, _) = send(
        &app,
        Some(&admin),
        "POST",
        "/v1/admin/read-models/nope/rebuild",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.stop().await;
}

on_both_backends!(dashboards_follow_the_cloud_and_a_rebuild_equals_them);

/// A Redis server of the test's own, on a free port, that the test can stop and start.
struct OwnRedis {
    port: u16,
    child: Option<std::process::Child>,
}

impl OwnRedis {
    async fn start() -> OwnRedis {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut redis = OwnRedis { port, child: None };
        redis.up().await;
        redis
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    async fn up(&mut self) {
        let child = std::process::Command::new("redis-server")
            .args([
                "--port",
                &self.port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("redis-server runs (.ci/services.sh installs it)");
        self.child = Some(child);
        let mut tick = tokio::time::interval(Duration::from_millis(10));
        for _ in 0..500 {
            if tokio::net::TcpStream::connect(("127.0.0.1", self.port))
                .await
                .is_ok()
            {
                return;
            }
            tick.tick().await;
        }
        panic!("redis-server did not start on {}", self.port);
    }

    fn down(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }

    async fn connection(&self) -> redis::aio::MultiplexedConnection {
        redis::Client::open(self.url())
            .unwrap()
            .get_multiplexed_async_connection()
            .await
            .unwrap()
    }

    /// The cache keys naming `tenant`.
    async fn keys_of(&self, tenant: &str) -> Vec<String> {
        let mut conn = self.connection().await;
        redis::cmd("KEYS")
            .arg(format!("ingot:rm:*:{tenant}:*"))
            .query_async(&mut conn)
            .await
            .unwrap()
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.down();
    }
}

#[tokio::test]
async fn answers_stay_right_whatever_redis_does_on_postgres() {
    let mut redis = OwnRedis::start().await;
    let url = redis.url();
    let app = spawn_app(Backend::Postgres, |c| {
        config(c);
        c.redis_url = Some(url);
    })
    .await;
    let alice = tenant(&app, "alice", KycLevel::Basic, "100").await;
    let bob = tenant(&app, "bob", KycLevel::Basic, "7").await;
    let path = format!("/v1/tenants/{}/overview", alice.tenant);
    let cash = |v: &Value| micros(&v["balance"]["cash"]);

    let first = get_until(&app, &alice.token, &path, |v| cash(v) == 100_000_000).await;
    let (_, hit) = send(&app, Some(&alice.token), "GET", &path, None).await;
    assert_eq!(
        (hit["as_of"]["cache"].as_str(), cash(&hit)),
        (Some("hit"), 100_000_000),
        "{hit}"
    );
    // The entry for the position the answer reflects (earlier polls may have cached others).
    let position = hit["as_of"]["position"].as_str().unwrap().to_string();
    let cached: Vec<String> = redis
        .keys_of(&alice.tenant.to_string())
        .await
        .into_iter()
        .filter(|k| k.ends_with(&format!(":{position}")))
        .collect();
    assert_eq!(cached.len(), 1, "{cached:?}");

    // An event after the answer was cached: the old entry is still in Redis, never served.
    let (status, body) = send(
        &app,
        Some(&alice.token),
        "POST",
        &format!("/v1/tenants/{}/top-ups", alice.tenant),
        Some(json!({"amount": {"amount": "50", "currency": "USD"}})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let fresh = get_until(&app, &alice.token, &path, |v| cash(v) == 150_000_000).await;
    assert_ne!(fresh["as_of"]["position"], first["as_of"]["position"]);
    let mut conn = redis.connection().await;
    let stale: Option<Vec<u8>> = redis::cmd("GET")
        .arg(&cached[0])
        .query_async(&mut conn)
        .await
        .unwrap();
    assert!(
        stale.is_some(),
        "the stale answer is still cached, and was not served"
    );

    // A key holding another tenant's answer is refused: bob never sees alice's money.
    let bob_path = format!("/v1/tenants/{}/overview", bob.tenant);
    get_until(&app, &bob.token, &bob_path, |v| cash(v) == 7_000_000).await;
    let bob_keys = redis.keys_of(&bob.tenant.to_string()).await;
    let alice_keys = redis.keys_of(&alice.tenant.to_string()).await;
    let fresh_position = fresh["as_of"]["position"].as_str().unwrap();
    let alice_current = alice_keys
        .iter()
        .find(|k| k.ends_with(&format!(":{fresh_position}")))
        .unwrap();
    let alices: Vec<u8> = redis::cmd("GET")
        .arg(alice_current)
        .query_async(&mut conn)
        .await
        .unwrap();
    for key in &bob_keys {
        let _: () = redis::cmd("SET")
            .arg(key)
            .arg(&alices)
            .query_async(&mut conn)
            .await
            .unwrap();
    }
    let (status, bobs) = send(&app, Some(&bob.token), "GET", &bob_path, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bobs["tenant_id"], bob.tenant.to_string());
    assert_eq!(cash(&bobs), 7_000_000, "{bobs}");
    assert_eq!(bobs["as_of"]["cache"], "miss");

    // Flushed: composed again, then cached again.
    let _: () = redis::cmd("FLUSHALL").query_async(&mut conn).await.unwrap();
    let (_, after_flush) = send(&app, Some(&alice.token), "GET", &path, None).await;
    assert_eq!(
        (after_flush["as_of"]["cache"].as_str(), cash(&after_flush)),
        (Some("miss"), 150_000_000)
    );
    let (_, cached_again) = send(&app, Some(&alice.token), "GET", &path, None).await;
    assert_eq!(cached_again["as_of"]["cache"], "hit");

    // Redis stopped mid-run: every answer still comes, right, from the projection — including
    // one that changed while Redis was away.
    redis.down();
    for _ in 0..3 {
        let (status, body) = send(&app, Some(&alice.token), "GET", &path, None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            (body["as_of"]["cache"].as_str(), cash(&body)),
            (Some("unavailable"), 150_000_000)
        );
    }
    let (status, body) = send(
        &app,
        Some(&alice.token),
        "POST",
        &format!("/v1/tenants/{}/top-ups", alice.tenant),
        Some(json!({"amount": {"amount": "25", "currency": "USD"}})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let during = get_until(&app, &alice.token, &path, |v| cash(v) == 175_000_000).await;
    assert_eq!(during["as_of"]["cache"], "unavailable");
    let (status, capacity) = send(
        &app,
        Some(&app.admin_token),
        "GET",
        "/v1/admin/dashboards/capacity",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{capacity}");

    // Back up: answers are cached again, and right.
    redis.up().await;
    let back = get_until(&app, &alice.token, &path, |v| v["as_of"]["cache"] == "hit").await;
    assert_eq!(cash(&back), 175_000_000);
    app.stop().await;
}

/// The embedded default (`ingotd serve`, no configuration): an allocation shows in its tenant's
/// overview within a second of becoming active.
#[tokio::test]
async fn an_active_allocation_is_in_the_overview_within_a_second_on_the_embedded_default() {
    let dir = std::env::temp_dir().join(format!("ingotd-fresh-{}", ingot_kernel::id::new_ulid()));
    std::fs::create_dir_all(&dir).unwrap();
    let (mut child, address) = super::ingotd_spawn(&dir, &[]);
    let base = format!("http://{address}");
    let admin = std::process::Command::new(env!("CARGO_BIN_EXE_ingotd"))
        .args(["bootstrap-admin", "--email", "ops@example.com"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let admin = String::from_utf8(admin.stdout).unwrap().trim().to_string();
    let http = super::http();
    let call = |token: Option<String>, method: reqwest::Method, path: String, body: Option<Value>| {
        let http = http.clone();
        let base = base.clone();
        async move {
            let mut request = http.request(method, format!("{base}{path}"));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            if let Some(body) = body {
                request = request.json(&body);
            }
            let response = request.send().await.unwrap();
            let status = response.status();
            (status, response.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    use reqwest::Method;
    let (status, me) = call(Some(admin.clone()), Method::GET, "/v1/me".into(), None).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    let admin_id = me["user"]["id"].as_str().unwrap().to_string();
    let (status, body) = call(
        Some(admin.clone()),
        Method::PUT,
        format!("/v1/admin/users/{admin_id}/platform-roles"),
        Some(json!({"platform_roles": ["platform_admin", "security"]})),
    )
    .await;
    assert!(status.is_success(), "{status} {body}");
    let (status, signed) = call(
        None,
        Method::POST,
        "/v1/auth/signup".into(),
        Some(json!({"email": "fresh@example.com", "password": "violet-harbour-long-enough-9", "display_name": "F", "tenant_name": "F"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{signed}");
    let token = signed["session_token"].as_str().unwrap().to_string();
    let tenant = signed["tenant"]["id"].as_str().unwrap().to_string();
    let project = signed["project"]["id"].as_str().unwrap().to_string();
    let (status, body) = call(
        Some(token.clone()),
        Method::POST,
        format!("/v1/tenants/{tenant}/kyc"),
        Some(json!({"personal_data": {"legal_name": "F", "country": "DE", "address": "1 Test Street"}})),
    )
    .await;
    assert!(status.is_success(), "{status} {body}");
    let (status, body) = call(
        Some(admin.clone()),
        Method::POST,
        format!("/v1/admin/kyc/{tenant}/decision"),
        Some(json!({"decision": "verify", "level": "basic", "reason": "ok"})),
    )
    .await;
    assert!(status.is_success(), "{status} {body}");
    let (status, body) = call(
        Some(token.clone()),
        Method::POST,
        format!("/v1/tenants/{tenant}/top-ups"),
        Some(json!({"amount": {"amount": "100", "currency": "USD"}})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, created) = call(
        Some(token.clone()),
        Method::POST,
        format!("/v1/projects/{project}/allocations"),
        Some(json!({"sku": "cpu-64c", "count": 1, "ssh_keys": [KEY]})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap().to_string();

    // Poll tightly: the moment it is seen active is (within a poll) the moment it became so.
    let mut tick = tokio::time::interval(Duration::from_millis(10));
    let deadline = Instant::now() + Duration::from_secs(180);
    let became_active = loop {
        let (_, view) = call(
            Some(token.clone()),
            Method::GET,
            format!("/v1/allocations/{id}"),
            None,
        )
        .await;
        if view["state"] == "active" {
            break Instant::now();
        }
        assert!(view["state"] != "failed", "{view}");
        assert!(Instant::now() < deadline, "never active: {view}");
        tick.tick().await;
    };
    let shown = loop {
        let (status, overview) = call(
            Some(token.clone()),
            Method::GET,
            format!("/v1/tenants/{tenant}/overview"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{overview}");
        if overview["allocations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["allocation_id"] == id.as_str() && a["state"] == "active")
        {
            break Instant::now();
        }
        assert!(
            became_active.elapsed() < Duration::from_secs(10),
            "not in the overview: {overview}"
        );
        tick.tick().await;
    };
    let lag = shown - became_active;
    assert!(
        lag < Duration::from_secs(1),
        "the overview showed it {lag:?} after it became active"
    );
    child.kill().unwrap();
    child.wait().unwrap();
}

/// A projection's next version: the same fold, announced as version 2.
struct NextVersion(std::sync::Arc<dyn ingot_read_models::model::Projection>);

impl ingot_read_models::model::Projection for NextVersion {
    fn declared(&self) -> &'static ingot_read_models::model::Declared {
        self.0.declared()
    }
    fn version(&self) -> u32 {
        self.0.version() + 1
    }
    fn needs(&self, event: &ingot_kernel::event::EventEnvelope) -> Vec<ingot_read_models::model::Need> {
        self.0.needs(event)
    }
    fn scope(&self, event: &ingot_kernel::event::EventEnvelope) -> Option<String> {
        self.0.scope(event)
    }
    fn apply(
        &self,
        event: &ingot_kernel::event::EventEnvelope,
        docs: &mut ingot_read_models::model::Docs,
    ) -> Result<(), ingot_read_models::model::ApplyError> {
        self.0.apply(event, docs)
    }
}

/// A new version of a projection is built beside the live one, a little each pass, while the
/// live one keeps answering; once caught up it is swapped in, and answers the same.
#[tokio::test]
async fn a_new_projection_version_is_built_beside_the_live_one_and_swapped_in_on_sqlite() {
    use ingot_contracts::read_models::ReadModelsApi as _;
    use ingot_read_models::service::{ReadModelsConfig, ReadModelsService, projections};

    let app = spawn_app(Backend::Sqlite, config).await;
    let alice = tenant(&app, "alice", KycLevel::Basic, "500").await;
    let path = format!("/v1/tenants/{}/overview", alice.tenant);
    let before = get_until(&app, &alice.token, &path, |v| {
        micros(&v["balance"]["cash"]) == 500_000_000
    })
    .await;
    caught_up(&app).await;
    let built = app.read_models.active_docs("tenant-overview").await.unwrap();
    assert!(!built.is_empty());

    let overview = projections()
        .into_iter()
        .find(|p| p.name() == "tenant-overview")
        .unwrap();
    let next = ReadModelsService::new(
        app.db.db.clone(),
        std::sync::Arc::new(app.clock.clone()),
        ingot_kernel::cache::Cache::in_process(),
        std::sync::Arc::new(ingot_iam::IamAuthorizer),
        ReadModelsConfig {
            batch_max: 2,
            batches_per_pass: 1,
            ..ReadModelsConfig::default()
        },
    )
    .with_projections(vec![std::sync::Arc::new(NextVersion(overview))]);
    let admin = ingot_contracts::iam::Actor {
        user_id: Some(ingot_kernel::id::UserId::generate()),
        platform_roles: [ingot_contracts::iam::PlatformRole::PlatformAdmin]
            .into_iter()
            .collect(),
        ..ingot_contracts::iam::Actor::anonymous()
    };

    let first = next.follow_pass().await.unwrap();
    assert!(first.swapped.is_empty() && first.behind, "{first:?}");
    let status = next.statuses().await.unwrap().remove(0);
    assert_eq!(status.version, 2);
    assert_eq!(
        (
            status.active.as_ref().unwrap().generation,
            status.active.unwrap().version
        ),
        (1, 1)
    );
    assert_eq!(status.building.as_ref().unwrap().generation, 2);
    // While it builds, the live generation answers, through either version's code.
    let (status, during) = send(&app, Some(&alice.token), "GET", &path, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (
            during["as_of"]["generation"].as_i64(),
            micros(&during["balance"]["cash"])
        ),
        (Some(1), 500_000_000)
    );
    let served = next.tenant_overview(&admin, alice.tenant).await.unwrap();
    assert_eq!(served.as_of.generation, 1);

    let mut passes = 1;
    loop {
        passes += 1;
        assert!(passes < 1_000, "never swapped in");
        if !next.follow_pass().await.unwrap().swapped.is_empty() {
            break;
        }
    }
    assert!(
        passes > 2,
        "built over several passes, beside the live one ({passes})"
    );
    let status = next.statuses().await.unwrap().remove(0);
    assert_eq!(
        (
            status.active.as_ref().unwrap().generation,
            status.active.unwrap().version
        ),
        (2, 2)
    );
    assert!(status.building.is_none());
    assert_eq!(next.active_docs("tenant-overview").await.unwrap(), built);
    let served = next.tenant_overview(&admin, alice.tenant).await.unwrap();
    assert_eq!(served.as_of.generation, 2);
    let served = serde_json::to_value(&served).unwrap();
    for field in ["balance", "kyc", "allocations", "spend_by_day"] {
        assert_eq!(served[field], before[field], "{field}");
    }
    // The retired generation's documents stay a minute (for queries that read its position
    // just before), then go.
    let docs_of = |generation: i64| {
        let db = app.db.db.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM rm_docs WHERE projection = 'tenant-overview' AND generation = $1",
            )
            .bind(generation)
            .fetch_one(db.reader())
            .await
            .unwrap()
        }
    };
    assert!(docs_of(1).await > 0);
    app.clock.advance(Duration::from_secs(61));
    next.follow_pass().await.unwrap();
    assert_eq!(docs_of(1).await, 0, "purged a minute after the swap");
    assert!(docs_of(2).await > 0);

    // The older code leaves the newer generation alone: no rebuild back, by itself or asked.
    let (status, body) = send(
        &app,
        Some(&app.admin_token),
        "POST",
        "/v1/admin/read-models/tenant-overview/rebuild",
        None,
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("conflict")),
        "{body}"
    );
    app.read_models.follow_pass().await.unwrap();
    let status = app.read_models.statuses().await.unwrap().remove(0);
    assert_eq!((status.active.unwrap().generation, status.building), (2, None));
    app.stop().await;
}
