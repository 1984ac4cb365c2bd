//! The `ingotd` binary as an operator runs it: version, config errors, JSON logs, the embedded
//! default with no configuration, and SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

fn ingotd() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ingotd"));
    // The test runner's environment must not configure the server under test.
    for (key, _) in std::env::vars().filter(|(k, _)| k.starts_with("INGOT_")) {
        command.env_remove(key);
    }
    command
}

fn temp_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ingotd-proc-{}", ingot_kernel::id::new_ulid()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn version_prints_version_and_commit() {
    let output = ingotd().arg("version").output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.starts_with(&format!("ingotd {} (commit ", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
}

#[test]
fn invalid_config_is_one_line_naming_the_key_and_exit_2() {
    let dir = temp_dir();
    let output = ingotd()
        .args(["serve"])
        .current_dir(&dir)
        .env("INGOT_HTTP_BODY_BYTES_MAX", "lots")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("INGOT_HTTP_BODY_BYTES_MAX"), "{stderr}");

    let file = dir.join("ingot.toml");
    std::fs::write(&file, "listen = \"127.0.0.1:0\"\nlisten_port = 9\n").unwrap();
    let output = ingotd()
        .args(["serve", "--config"])
        .arg(&file)
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        stderr.trim_end(),
        format!(
            "ingotd: invalid config: {}: listen_port: unknown key",
            file.display()
        )
    );
    assert!(
        !dir.join("ingot-data").exists(),
        "nothing was created on bad input"
    );
}

/// Starts `ingotd serve` with JSON logs and returns it with the address it bound.
fn serve_json(
    dir: &std::path::Path,
    extra: &[&str],
) -> (Child, String, BufReader<std::process::ChildStderr>) {
    let mut child = ingotd()
        .args(["serve", "--listen", "127.0.0.1:0", "--log-format", "json"])
        .args(extra)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "ingotd exited before serving"
        );
        let entry: serde_json::Value =
            serde_json::from_str(&line).unwrap_or_else(|_| panic!("not a JSON log line: {line}"));
        if entry["message"] == "ingotd serving" {
            return (child, entry["listen"].as_str().unwrap().to_string(), stderr);
        }
    }
}

#[test]
fn the_embedded_default_serves_with_no_configuration_and_stops_on_sigterm() {
    let dir = temp_dir();
    let (mut child, addr, mut stderr) = serve_json(&dir, &[]);
    assert!(
        dir.join("ingot-data").join("ingot.db").exists(),
        "SQLite under ./ingot-data by default"
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = ingot_sdk::Client::new(&format!("http://{addr}")).unwrap();
        assert_eq!(client.readiness_get().await.unwrap().status, "ok");
        // The simulated MAAS region is onboarded by itself: a new user sees machines on sale
        // within a minute (here, within a couple of seconds).
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        let mut tick = tokio::time::interval(std::time::Duration::from_millis(200));
        loop {
            let offers = client.catalog_offers().await.unwrap();
            let on_sale: u32 = offers.iter().map(|o| o.available).sum();
            if on_sale > 0 {
                assert!(offers.iter().all(|o| o.site == "demo1"));
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no machine on sale after a minute: {offers:?}"
            );
            tick.tick().await;
        }
    });

    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "SIGTERM is a clean exit: {status:?}");
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    let messages: Vec<String> = rest
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap_or_else(|_| panic!("not JSON: {l}")))
        .filter_map(|v| v["message"].as_str().map(String::from))
        .collect();
    assert!(messages.contains(&"request served".to_string()), "{messages:?}");
    assert_eq!(
        messages.last().map(String::as_str),
        Some("ingotd stopped"),
        "{messages:?}"
    );
}

#[test]
fn migrate_applies_and_is_repeatable() {
    let dir = temp_dir();
    for _ in 0..2 {
        let output = ingotd()
            .args(["migrate", "--data-dir", "state"])
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert!(dir.join("state").join("ingot.db").exists());
}

#[test]
fn bootstrap_admin_prints_one_token_that_works_on_the_running_server() {
    let dir = temp_dir();
    let (mut child, addr, _stderr) = serve_json(&dir, &[]);
    let output = ingotd()
        .args(["bootstrap-admin", "--email", "ops@example.com"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "the token, alone: {stdout:?}");
    let token = stdout.trim().to_string();
    assert!(token.starts_with("ingot_pat_"), "{token}");

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let admin = ingot_sdk::Client::new(&format!("http://{addr}"))
            .unwrap()
            .with_token(&token);
        assert!(!admin.ownership_get().await.unwrap().contexts.is_empty());
        assert!(admin.audit_verify().await.unwrap().ok);
    });
    // Running it again resets: the old token stops working, the new one works.
    let again = ingotd()
        .args(["bootstrap-admin", "--email", "ops@example.com"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let new_token = String::from_utf8(again.stdout).unwrap().trim().to_string();
    runtime.block_on(async {
        let client = ingot_sdk::Client::new(&format!("http://{addr}")).unwrap();
        assert_eq!(
            client
                .clone()
                .with_token(&token)
                .ownership_get()
                .await
                .unwrap_err()
                .code(),
            Some("unauthenticated")
        );
        client.with_token(&new_token).ownership_get().await.unwrap();
    });
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    child.wait().unwrap();
}

#[test]
fn prod_refuses_to_start_on_the_embedded_defaults_and_says_why() {
    let dir = temp_dir();
    let output = ingotd()
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("INGOT_ENVIRONMENT", "prod")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    for key in [
        "secret_key:",
        "tls.termination:",
        "database_url:",
        "maas.simulated:",
    ] {
        assert!(
            stderr
                .lines()
                .any(|line| line.starts_with("ingotd: refusing to start (prod): ") && line.contains(key)),
            "{key} not named:\n{stderr}"
        );
    }
    assert!(!dir.join("ingot-data").exists(), "nothing was created");
}

#[test]
fn config_check_prints_every_key_redacts_secrets_and_judges_the_environment() {
    let dir = temp_dir();
    let output = ingotd()
        .args(["config", "check"])
        .env(
            "INGOT_DATABASE_URL",
            "postgres://ingot:hunter2-secret@db.internal:5432/ingot",
        )
        .env("INGOT_KYC_WEBHOOK_SECRET", "kyc-webhook-secret-value-1")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        !stdout.contains("hunter2") && !stdout.contains("kyc-webhook-secret-value"),
        "{stdout}"
    );
    let line = |key: &str| {
        stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(key))
            .unwrap_or_else(|| panic!("{key} missing:\n{stdout}"))
            .to_string()
    };
    assert!(
        line("database_url").contains("postgres://ingot:***@db.internal:5432/ingot (INGOT_DATABASE_URL)")
    );
    assert!(line("kyc.webhook_secret").contains("<redacted> (INGOT_KYC_WEBHOOK_SECRET)"));
    assert!(line("listen").contains("127.0.0.1:8080 (default)"));
    assert!(stdout.trim_end().ends_with("environment dev: ok"), "{stdout}");

    // The same in prod: refused, each reason named, exit 2; an unreadable on-call file too.
    let output = ingotd()
        .args(["config", "check"])
        .env("INGOT_ENVIRONMENT", "prod")
        .env("INGOT_PAGING_ONCALL_FILE", dir.join("missing.toml"))
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("environment prod: refused: secret_key:"),
        "{stdout}"
    );
    assert!(
        stdout.contains("environment prod: refused: paging.oncall_file:"),
        "{stdout}"
    );
}

#[test]
fn migrate_check_lists_what_is_pending_and_applies_nothing() {
    let dir = temp_dir();
    let check = || {
        ingotd()
            .args(["migrate", "--check", "--data-dir", "state"])
            .current_dir(&dir)
            .output()
            .unwrap()
    };
    let output = check();
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("pending: kernel/0001_"), "{stdout}");
    assert!(stdout.contains("pending: operations/0001_incidents"), "{stdout}");
    // Still pending: --check applied nothing.
    assert_eq!(check().status.code(), Some(1));
    let output = ingotd()
        .args(["migrate", "--data-dir", "state"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(output.status.success());
    let output = check();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8(output.stdout).unwrap().trim(), "up to date");
    // A migration a newer release applied is named, and does not fail the check.
    let db = dir.join("state").join("ingot.db");
    let inserted = Command::new("sqlite3")
        .arg(&db)
        .arg("INSERT INTO kernel_migrations VALUES ('operations', 99, 'from_the_future', 'x', 0)")
        .status()
        .unwrap();
    assert!(inserted.success());
    let output = check();
    assert_eq!(output.status.code(), Some(0));
    assert!(
        String::from_utf8(output.stdout)
            .unwrap()
            .contains("unknown to this binary (applied by a newer release): operations/0099_from_the_future")
    );
    // An edited one is refused.
    let edited = Command::new("sqlite3")
        .arg(&db)
        .arg("UPDATE kernel_migrations SET checksum = 'edited' WHERE domain = 'iam' AND version = 1")
        .status()
        .unwrap();
    assert!(edited.success());
    assert_eq!(check().status.code(), Some(2));
}

/// What an operator's dashboards and log search need: Prometheus metrics per domain (HTTP, MAAS
/// calls, ledger postings, controller passes, event consumers' lag, incidents) and log lines
/// carrying the request id, the actor and the tenant.
#[test]
fn metrics_and_logs_carry_what_operators_need() {
    let dir = temp_dir();
    let (mut child, addr, mut stderr) = serve_json(&dir, &[]);
    // Read the logs as they come (a full pipe would stop the server mid-write).
    let logs = std::thread::spawn(move || {
        let mut rest = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
        rest
    });
    let base = format!("http://{addr}");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (user_id, tenant_id, metrics) = runtime.block_on(async {
        let client = ingot_sdk::Client::new(&base).unwrap();
        let created = client
            .signup(&ingot_contracts::iam::SignupRequest {
                email: "metrics@example.com".into(),
                password: "tuba-cellar-orbit-lantern-42".into(),
                display_name: "M".into(),
                tenant_name: "M's".into(),
            })
            .await
            .unwrap();
        let tenant = client.with_token(&created.session_token);
        let tenant_id = created.tenant.as_ref().unwrap().id;
        let top_up = ingot_contracts::billing::TopUpRequest {
            amount: ingot_kernel::money::Money::parse("10", ingot_kernel::money::Currency::USD).unwrap(),
            provider: Some("test".into()),
        };
        tenant.top_up(tenant_id, &top_up, None).await.unwrap();
        tenant.me_get().await.unwrap();
        // The simulated region is called at start (onboarding); the alert pass runs at start too.
        let mut tick = tokio::time::interval(std::time::Duration::from_millis(200));
        let mut metrics = String::new();
        for _ in 0..150 {
            metrics = crate::http()
                .get(format!("{base}/metrics"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            if metrics.contains("ingot_maas_requests_total")
                && metrics.contains("ingot_outbox_consumer_lag_seconds")
            {
                break;
            }
            tick.tick().await;
        }
        (created.user.id.to_string(), tenant_id.to_string(), metrics)
    });
    for name in [
        "ingot_http_requests_total",
        "ingot_http_request_duration_seconds",
        "ingot_maas_requests_total",
        "ingot_maas_request_seconds",
        "ingot_ledger_postings_total{kind=\"top_up\"}",
        "ingot_controller_pass_seconds",
        "ingot_outbox_consumer_lag_seconds",
        "ingot_incidents_unresolved",
    ] {
        assert!(metrics.contains(name), "{name} missing from /metrics");
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    child.wait().unwrap();
    let rest = logs.join().unwrap();
    let me = rest
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|l| l["message"] == "request served" && l["span"]["route"] == "/v1/me")
        .expect("the request to /v1/me was logged");
    assert_eq!(me["span"]["actor"], user_id.as_str(), "{me}");
    assert_eq!(me["span"]["tenant"], tenant_id.as_str(), "{me}");
    assert!(
        me["span"]["request_id"].as_str().unwrap().starts_with("req_"),
        "{me}"
    );
}

/// The deploy files describe a production installation this binary accepts: the Kubernetes
/// manifests parse (PyYAML, which `.ci` installs), probe the right paths, keep replicas through
/// rollouts and disruptions, run the image of this version, and their settings pass
/// `ingotd config check` in prod; the Dockerfile builds with a Rust new enough for the
/// workspace and runs commands that exist.
#[test]
fn the_deploy_files_describe_an_installation_this_binary_accepts() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let k8s = root.join("deploy").join("k8s");
    let mut files: Vec<_> = std::fs::read_dir(&k8s)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    let parsed = Command::new("python3")
        .arg("-c")
        .arg("import json, sys, yaml\nprint(json.dumps([d for f in sys.argv[1:] for d in yaml.safe_load_all(open(f)) if d]))")
        .args(&files)
        .output()
        .unwrap();
    assert!(
        parsed.status.success(),
        "{}",
        String::from_utf8_lossy(&parsed.stderr)
    );
    let documents: Vec<serde_json::Value> = serde_json::from_slice(&parsed.stdout).unwrap();
    let of_kind =
        |kind: &str| -> Vec<&serde_json::Value> { documents.iter().filter(|d| d["kind"] == kind).collect() };
    let deployment = of_kind("Deployment")[0];
    assert!(deployment["spec"]["replicas"].as_u64().unwrap() >= 2);
    assert_eq!(
        deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"],
        0
    );
    let container = &deployment["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(container["readinessProbe"]["httpGet"]["path"], "/readyz");
    assert_eq!(container["livenessProbe"]["httpGet"]["path"], "/healthz");
    assert_eq!(container["args"][0], "serve");
    let image = container["image"].as_str().unwrap();
    assert!(
        image.ends_with(&format!(":{}", env!("CARGO_PKG_VERSION"))),
        "{image}"
    );
    let labels = &deployment["spec"]["template"]["metadata"]["labels"];
    let pdb = of_kind("PodDisruptionBudget")[0];
    assert_eq!(&pdb["spec"]["selector"]["matchLabels"], labels);
    assert!(pdb["spec"]["minAvailable"].as_u64().unwrap() >= 1);
    assert_eq!(
        of_kind("Job")[0]["spec"]["template"]["spec"]["containers"][0]["args"][0],
        "migrate"
    );
    // Everything the pods reference exists.
    let config_maps: Vec<&str> = of_kind("ConfigMap")
        .iter()
        .map(|c| c["metadata"]["name"].as_str().unwrap())
        .collect();
    for source in container["envFrom"].as_array().unwrap() {
        if let Some(name) = source["configMapRef"]["name"].as_str() {
            assert!(config_maps.contains(&name), "{name}");
        }
        if let Some(name) = source["secretRef"]["name"].as_str() {
            assert!(
                of_kind("Secret").iter().any(|s| s["metadata"]["name"] == name),
                "{name}"
            );
        }
    }

    // The settings, with real secrets in place of the example's, pass prod's checks.
    let settings = of_kind("ConfigMap")
        .into_iter()
        .find(|c| c["metadata"]["name"] == "ingot-config")
        .unwrap();
    // The on-call file is a Secret (it holds routing keys), mounted where the settings say.
    let on_call = of_kind("Secret")
        .into_iter()
        .find(|c| c["metadata"]["name"] == "ingot-oncall")
        .unwrap();
    let volumes = deployment["spec"]["template"]["spec"]["volumes"]
        .as_array()
        .unwrap();
    assert!(
        volumes
            .iter()
            .any(|v| v["secret"]["secretName"] == "ingot-oncall")
    );
    let example = on_call["stringData"]["oncall.toml"].as_str().unwrap();
    let dir = temp_dir();
    let check = |on_call_text: &str| {
        std::fs::write(dir.join("oncall.toml"), on_call_text).unwrap();
        let mut check = ingotd();
        check.args(["config", "check"]).current_dir(&dir);
        for (key, value) in settings["data"].as_object().unwrap() {
            check.env(key, value.as_str().unwrap());
        }
        check
            .env("INGOT_PAGING_ONCALL_FILE", dir.join("oncall.toml"))
            .env("INGOT_DATABASE_URL", "postgres://ingot@db/ingot")
            .env("INGOT_SECRET_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
            .output()
            .unwrap()
    };
    // As shipped, the example's routing key is refused in prod…
    let output = check(example);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8(output.stdout)
            .unwrap()
            .contains("an example key or secret")
    );
    // …and with a key of its own the installation is accepted.
    let output = check(&example.replace(
        "REPLACE-WITH-THE-SERVICE-INTEGRATION-KEY",
        "c0ffee0123456789abcdef",
    ));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.trim_end().ends_with("environment prod: ok"), "{stdout}");

    let dockerfile = std::fs::read_to_string(root.join("Dockerfile")).unwrap();
    let rust = dockerfile
        .lines()
        .find_map(|l| l.strip_prefix("FROM rust:"))
        .and_then(|rest| rest.split('-').next())
        .unwrap();
    let workspace = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let wanted = workspace
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = \""))
        .unwrap()
        .trim_end_matches('"');
    let version = |v: &str| -> Vec<u32> { v.split('.').map(|n| n.parse().unwrap()).collect() };
    assert!(
        version(rust) >= version(wanted),
        "the image's Rust {rust} is older than {wanted}"
    );
    assert!(dockerfile.contains("ENTRYPOINT [\"ingotd\"]") && dockerfile.contains("CMD [\"serve\"]"));
    assert!(dockerfile.contains("\"ingot\", \"health\""));
}

/// With `telemetry.otlp_endpoint`, spans reach an OpenTelemetry collector over OTLP/HTTP: a
/// local receiver gets the request's span (with its request id and route) from service `ingotd`
/// by the time the server has stopped (SIGTERM flushes the batch).
#[test]
fn spans_are_exported_over_otlp_when_a_collector_is_configured() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::<(String, serde_json::Value)>::new()));
    let collector = runtime.block_on(async {
        let received = received.clone();
        let router = axum::Router::new().route(
            "/v1/traces",
            axum::routing::post(move |body: String| {
                let received = received.clone();
                async move {
                    let json: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
                    received.lock().unwrap().push(("/v1/traces".into(), json));
                    axum::http::StatusCode::OK
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await });
        url
    });
    let dir = temp_dir();
    let mut child = ingotd()
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--log-format",
            "json",
            "--data-dir",
            "state",
        ])
        .env("INGOT_TELEMETRY_OTLP_ENDPOINT", &collector)
        .current_dir(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let mut seen = String::new();
    let addr = loop {
        line.clear();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "ingotd exited before serving: {seen}"
        );
        seen.push_str(&line);
        let entry: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
        if entry["message"] == "ingotd serving" {
            break entry["listen"].as_str().unwrap().to_string();
        }
    };
    // Keep reading the logs, so a full pipe never stops the server.
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    let answered = runtime.block_on(async {
        crate::http()
            .get(format!("http://{addr}/v1/catalog/skus"))
            .send()
            .await
            .unwrap()
    });
    let request_id = answered.headers()["x-request-id"].to_str().unwrap().to_string();
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    assert!(child.wait().unwrap().success());
    let batches = received.lock().unwrap().clone();
    assert!(!batches.is_empty(), "nothing reached the collector");
    let text = serde_json::to_string(&batches).unwrap();
    assert!(text.contains("\"ingotd\""), "the service is named");
    assert!(
        text.contains(&request_id),
        "the request's span, with its request id, was exported"
    );
    assert!(text.contains("/v1/catalog/skus"), "with its route");
}

/// Store calls show inside the spans of what caused them: with `sqlx::query=debug` each SQL
/// statement is a log event (and an OTLP span event) carrying the statement and its time, in the
/// request's span.
#[test]
fn sql_statements_show_inside_the_request_that_made_them() {
    let dir = temp_dir();
    let mut child = ingotd()
        .args(["serve", "--listen", "127.0.0.1:0", "--log-format", "json"])
        .env("INGOT_LOG_LEVEL", "info,sqlx::query=debug")
        .current_dir(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let addr = loop {
        line.clear();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "ingotd exited before serving"
        );
        let entry: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
        if entry["message"] == "ingotd serving" {
            break entry["listen"].as_str().unwrap().to_string();
        }
    };
    let logs = std::thread::spawn(move || {
        let mut rest = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
        rest
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let request_id = runtime.block_on(async {
        let answer = crate::http()
            .get(format!("http://{addr}/v1/catalog/skus"))
            .send()
            .await
            .unwrap();
        answer.headers()["x-request-id"].to_str().unwrap().to_string()
    });
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    child.wait().unwrap();
    let logs = logs.join().unwrap();
    let statement = logs
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|l| l["target"] == "sqlx::query" && l["span"]["request_id"] == request_id.as_str())
        .find(|l| {
            l["db.statement"]
                .as_str()
                .is_some_and(|sql| sql.contains("inv_skus"))
        })
        .expect("the catalog's SELECT logged inside the request's span");
    assert!(statement["elapsed_secs"].is_number(), "{statement}");
}
