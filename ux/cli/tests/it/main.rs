//! `ingot` as a user runs it, against a real ingotd on port 0 (SQLite, in-process).

// Test helpers panic on failure by design: a failed setup is a failed test.
#![allow(clippy::unwrap_used)]

mod coverage;

use ingotd::config::Config;
use ingotd::{Seams, app_build, app_serve};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A real ingotd with a platform admin made the way operators make one (`bootstrap-admin`).
async fn server() -> (String, String, ingot_kernel::testing::TestDb) {
    server_with(|_| {}).await
}

/// The same, with `tune` applied to its configuration.
async fn server_with(tune: impl FnOnce(&mut Config)) -> (String, String, ingot_kernel::testing::TestDb) {
    let test_db = ingot_kernel::testing::TestDb::sqlite().await;
    let mut config = Config {
        database_url: Some(test_db.url.clone()),
        data_dir: std::env::temp_dir().join(format!("ingot-cli-app-{}", ingot_kernel::id::new_ulid())),
        // On by default only without a database URL; the catalog tests want what a fresh
        // embedded install shows: site demo1 and SKUs gpu-8x-h100, gpu-8x-a100, cpu-64c.
        demo_catalog: Some(true),
        // Likewise top-ups through the test provider (credited at once, no real money).
        billing_test_provider: Some(true),
        ..Config::default()
    };
    tune(&mut config);
    let app = app_build(config, Seams::default()).await.unwrap();
    let admin_token = app.iam.bootstrap_admin("admin@example.com").await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(app_serve(app, listener, std::future::pending()));
    (url, admin_token, test_db)
}

/// A home folder of its own, so the user's real config never leaks in.
fn home() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ingot-cli-{}", ingot_kernel::id::new_ulid()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn ingot(home: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ingot"));
    command
        .args(args)
        .env("HOME", home)
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("INGOT_TOKEN")
        .env_remove("INGOT_SERVER");
    command
}

async fn run(mut command: Command) -> Output {
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "ingot failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[tokio::test]
async fn help_lists_the_commands_and_global_flags() {
    let text = stdout(&run(ingot(&home(), &["--help"])).await);
    for word in ["health", "billing", "admin", "--server", "--output"] {
        assert!(text.contains(word), "{word} missing from:\n{text}");
    }
}

#[tokio::test]
async fn health_as_table_and_as_json() {
    let (url, _admin, _db) = server().await;
    let home = home();
    let table = stdout(&run(ingot(&home, &["health", "--server", &url])).await);
    let lines: Vec<&str> = table.lines().collect();
    assert!(
        lines[0].starts_with("CHECK") && lines[0].contains("STATUS"),
        "{table}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("database") && l.contains("ok")),
        "{table}"
    );

    let json: serde_json::Value = serde_json::from_str(&stdout(
        &run(ingot(&home, &["--output", "json", "health", "--server", &url])).await,
    ))
    .unwrap();
    assert_eq!(json["readiness"]["status"], "ok");
    assert_eq!(json["readiness"]["checks"][0]["name"], "database");
}

#[tokio::test]
async fn an_unreachable_server_is_one_clear_error() {
    let output = run(ingot(&home(), &["health", "--server", "http://127.0.0.1:1"])).await;
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("ingot: cannot reach the Ingot server"),
        "{stderr}"
    );
}

#[tokio::test]
async fn token_comes_from_the_environment_or_the_config_file() {
    let (url, admin_token, _db) = server().await;
    let home = home();
    // No token: the server's problem code reaches the user.
    let output = run(ingot(&home, &["admin", "ownership", "--server", &url])).await;
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("unauthenticated"));

    let mut with_env = ingot(&home, &["admin", "ownership", "--server", &url]);
    with_env.env("INGOT_TOKEN", &admin_token);
    let table = stdout(&run(with_env).await);
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("Provisioning.BareMetal.MAAS") && l.contains("Infra/SRE Engineer")),
        "{table}"
    );

    let config_dir = home.join(".config").join("ingot");
    std::fs::create_dir_all(&config_dir).unwrap();
    std::fs::write(
        config_dir.join("config.toml"),
        format!("server = \"{url}\"\ntoken = \"{admin_token}\"\n"),
    )
    .unwrap();
    let json: serde_json::Value = serde_json::from_str(&stdout(
        &run(ingot(&home, &["admin", "ownership", "--output", "json"])).await,
    ))
    .unwrap();
    assert!(
        json["contexts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["name"] == "IAM")
    );
}

/// Runs `ingot` with `stdin` fed in, returning stdout (and failing on a non-zero exit).
async fn ingot_with_stdin(home: &Path, args: &[&str], stdin: &str) -> String {
    let mut command = ingot(home, args);
    command
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let input = stdin.to_string();
    let output = tokio::task::spawn_blocking(move || {
        let mut child = command.spawn().unwrap();
        std::io::Write::write_all(child.stdin.as_mut().unwrap(), input.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    stdout(&output)
}

#[tokio::test]
async fn a_tenant_journey_through_the_cli() {
    let (url, admin_token, _db) = server().await;
    let home = home();
    let admin = ingot_sdk::Client::new(&url).unwrap().with_token(&admin_token);
    let signup = ingot_sdk::ingot_contracts::iam::SignupRequest {
        email: "cli@example.com".into(),
        password: "tuba-cellar-orbit-42".into(),
        display_name: "Cli User".into(),
        tenant_name: "Cli Tenant".into(),
    };
    let created = ingot_sdk::Client::new(&url)
        .unwrap()
        .signup(&signup)
        .await
        .unwrap();
    let tenant = created.tenant.unwrap().id.to_string();

    ingot_with_stdin(
        &home,
        &[
            "login",
            "--server",
            &url,
            "--password",
            "--email",
            "cli@example.com",
            "--password-stdin",
        ],
        "tuba-cellar-orbit-42\n",
    )
    .await;
    let saved = std::fs::read_to_string(home.join(".config/ingot/config.toml")).unwrap();
    assert!(
        saved.contains("token = \"ingot_ses_") && saved.contains(&url),
        "{saved}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(home.join(".config/ingot/config.toml"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the token file is private");
    }

    let whoami = stdout(&run(ingot(&home, &["whoami"])).await);
    assert!(
        whoami.starts_with("Cli User <cli@example.com>") && whoami.contains("owner"),
        "{whoami}"
    );
    let project = stdout(
        &run(ingot(
            &home,
            &["projects", "create", "--tenant", &tenant, "training"],
        ))
        .await,
    );
    assert!(project.trim().starts_with("prj_"), "{project}");
    let projects = stdout(&run(ingot(&home, &["projects", "list", "--tenant", &tenant])).await);
    assert!(
        projects.contains("training") && projects.contains("default"),
        "{projects}"
    );
    let secret = stdout(
        &run(ingot(
            &home,
            &[
                "tokens", "create", "--name", "ci", "--tenant", &tenant, "--role", "viewer",
            ],
        ))
        .await,
    );
    assert!(
        secret.trim().starts_with("ingot_pat_"),
        "only the secret on stdout: {secret}"
    );
    let tokens: serde_json::Value = serde_json::from_str(&stdout(
        &run(ingot(&home, &["--output", "json", "tokens", "list"])).await,
    ))
    .unwrap();
    assert_eq!(tokens[0]["name"], "ci");

    // IAM says which details a review needs; the CLI passes on every field it names.
    let incomplete = run(ingot(
        &home,
        &["kyc", "submit", "--tenant", &tenant, "--legal-name", "Ada"],
    ))
    .await;
    let said = String::from_utf8_lossy(&incomplete.stderr).to_string();
    assert_eq!(incomplete.status.code(), Some(1), "{said}");
    assert!(
        said.contains("personal_data.country")
            && said.contains("personal_data.address")
            && !said.contains("legal_name"),
        "{said}"
    );
    let still: serde_json::Value = serde_json::from_str(&stdout(
        &run(ingot(
            &home,
            &["--output", "json", "kyc", "status", "--tenant", &tenant],
        ))
        .await,
    ))
    .unwrap();
    assert_eq!(still["state"], "unverified");
    let submitted = stdout(
        &run(ingot(
            &home,
            &[
                "kyc",
                "submit",
                "--tenant",
                &tenant,
                "--legal-name",
                "Ada Lovelace",
                "--country",
                "gb",
                "--address",
                "12 St James's Square, London",
            ],
        ))
        .await,
    );
    assert_eq!(submitted.trim(), "submitted");
    let refused = run(ingot(
        &home,
        &[
            "admin",
            "kyc",
            "decide",
            &tenant,
            "--decision",
            "verify",
            "--level",
            "basic",
            "--reason",
            "ok",
        ],
    ))
    .await;
    assert!(!refused.status.success() && String::from_utf8_lossy(&refused.stderr).contains("forbidden"));

    // A reviewer with the security role decides.
    let reviewer = ingot_sdk::ingot_contracts::iam::SignupRequest {
        email: "rev@example.com".into(),
        tenant_name: "Ops".into(),
        ..signup
    };
    let reviewer = ingot_sdk::Client::new(&url)
        .unwrap()
        .signup(&reviewer)
        .await
        .unwrap();
    let roles = ingot_sdk::ingot_contracts::iam::PlatformRolesRequest {
        platform_roles: vec![ingot_sdk::ingot_contracts::iam::PlatformRole::Security],
    };
    admin.platform_roles_set(reviewer.user.id, &roles).await.unwrap();
    let mut decide = ingot(
        &home,
        &[
            "admin",
            "kyc",
            "decide",
            &tenant,
            "--decision",
            "verify",
            "--level",
            "basic",
            "--reason",
            "documents checked",
        ],
    );
    decide.env("INGOT_TOKEN", &reviewer.session_token);
    assert_eq!(stdout(&run(decide).await).trim(), "verified basic");
    assert_eq!(
        stdout(&run(ingot(&home, &["kyc", "status", "--tenant", &tenant])).await).trim(),
        "verified basic"
    );

    let mut verify = ingot(&home, &["audit", "verify"]);
    verify.env("INGOT_TOKEN", &admin_token);
    assert!(stdout(&run(verify).await).starts_with("ok: "));
    let audit = stdout(&run(ingot(&home, &["audit", "list", "--tenant", &tenant])).await);
    assert!(
        audit.contains("iam.kyc.decide") && audit.contains("iam.project.create"),
        "{audit}"
    );
}

/// Runs `ingot` with `INGOT_TOKEN` set.
fn ingot_as(home: &Path, token: &str, args: &[&str]) -> Command {
    let mut command = ingot(home, args);
    command.env("INGOT_TOKEN", token);
    command
}

fn stderr_of_failure(output: &Output) -> String {
    assert!(
        !output.status.success(),
        "ingot should have failed: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[tokio::test]
async fn the_catalog_is_public() {
    let (url, _admin, _db) = server().await;
    let home = home();
    let offers: serde_json::Value = serde_json::from_str(&stdout(
        &run(ingot(
            &home,
            &["catalog", "offers", "--output", "json", "--server", &url],
        ))
        .await,
    ))
    .unwrap();
    let offers = offers.as_array().unwrap();
    let mut skus: Vec<&str> = offers.iter().map(|o| o["sku"].as_str().unwrap()).collect();
    skus.sort_unstable();
    assert_eq!(skus, ["cpu-64c", "gpu-8x-a100", "gpu-8x-h100"]);
    assert!(offers.iter().all(|o| o["site"] == "demo1"), "{offers:?}");
    let h100 = offers.iter().find(|o| o["sku"] == "gpu-8x-h100").unwrap();
    assert_eq!(h100["hourly_price"]["amount"], "19.920000");
    assert_eq!(h100["hourly_price"]["currency"], "USD");

    let table = stdout(&run(ingot(&home, &["catalog", "offers", "--server", &url])).await);
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("gpu-8x-h100") && l.contains("demo1") && l.contains("19.92 USD")),
        "{table}"
    );
    let skus = stdout(&run(ingot(&home, &["catalog", "skus", "--server", &url])).await);
    assert!(
        skus.lines().any(|l| l.starts_with("gpu-8x-h100")
            && l.contains("8x H100-SXM5-80GB")
            && l.contains("infiniband")),
        "{skus}"
    );
}

const CSV_HEADER: &str = "hostname,site,state,cpu_model,cpu_sockets,cpu_cores,ram_gib,gpu_model,gpu_count,gpu_memory_gib,disks,nics,interconnects,rack,position,fabric_group";

#[tokio::test]
async fn operators_import_nodes_from_csv_all_or_nothing() {
    let (url, admin_token, _db) = server().await;
    let home = home();
    let admin = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--server", &url]);
        ingot_as(&home, &admin_token, &all)
    };
    let node_count = |output: Output| {
        let page: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
        page["items"].as_array().unwrap().len()
    };

    // Parses locally, but the server finds row 2 (CSV line 3) bad: nothing is imported.
    let refused = home.join("refused.csv");
    std::fs::write(
        &refused,
        format!(
            "{CSV_HEADER}\n\
             gpu-001,demo1,available,\"AMD EPYC 9654, 96-Core\",2,192,2048,H100-SXM5-80GB,8,80,nvme:3840;nvme:3840,400;400,infiniband;nvlink,r1,1,ib-a\n\
             cpu-001,demo1,,Xeon 8480,1,0,256,,,,nvme:1920,25,,r1,2,\n"
        ),
    )
    .unwrap();
    let stderr = stderr_of_failure(
        &run(admin(&[
            "admin",
            "nodes",
            "import",
            "--csv",
            refused.to_str().unwrap(),
        ]))
        .await,
    );
    assert!(
        stderr.contains("nothing was imported") && stderr.contains("line 3: cpu_cores: must be at least 1"),
        "{stderr}"
    );
    assert!(!stderr.contains("line 2"), "{stderr}");
    assert_eq!(
        node_count(run(admin(&["--output", "json", "admin", "nodes", "list"])).await),
        0
    );

    // Fails locally: every bad line is reported and nothing is sent.
    let bad = home.join("bad.csv");
    std::fs::write(
        &bad,
        format!(
            "{CSV_HEADER}\n\
             gpu-001,demo1,,EPYC,2,192,lots,,,,,,,,,\n\
             cpu-001,demo1,,Xeon,1,64,256,,,,tape:10,,,,,\n\
             cpu-002,demo1,,Xeon,1,64,256,,,,,,,,,\n"
        ),
    )
    .unwrap();
    let stderr = stderr_of_failure(
        &run(admin(&[
            "admin",
            "nodes",
            "import",
            "--csv",
            bad.to_str().unwrap(),
        ]))
        .await,
    );
    assert!(
        stderr.contains("nothing was sent")
            && stderr.contains("line 2: ram_gib: must be a whole number")
            && stderr.contains("line 3: disks: \"tape:10\""),
        "{stderr}"
    );
    assert_eq!(
        node_count(run(admin(&["--output", "json", "admin", "nodes", "list"])).await),
        0
    );

    // The JSON contract as is: the server's field errors come back by row.
    let json = home.join("nodes.json");
    std::fs::write(
        &json,
        r#"{"nodes": [{"hostname": "x-1", "site": "nowhere",
            "facts": {"cpu": {"model": "x", "sockets": 1, "cores": 1}, "ram_mib": 1024}}]}"#,
    )
    .unwrap();
    let stderr = stderr_of_failure(
        &run(admin(&[
            "admin",
            "nodes",
            "import",
            "--json",
            json.to_str().unwrap(),
        ]))
        .await,
    );
    assert!(stderr.contains("nodes[0].site: no site named"), "{stderr}");

    // Fixed, the same file imports whole.
    std::fs::write(
        &refused,
        std::fs::read_to_string(&refused)
            .unwrap()
            .replace("Xeon 8480,1,0,", "Xeon 8480,1,64,"),
    )
    .unwrap();
    let imported = stdout(
        &run(admin(&[
            "admin",
            "nodes",
            "import",
            "--csv",
            refused.to_str().unwrap(),
        ]))
        .await,
    );
    assert!(imported.starts_with("imported 2 node(s)"), "{imported}");

    let listed = stdout(&run(admin(&["admin", "nodes", "list"])).await);
    let rows: Vec<&str> = listed.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{listed}");
    assert!(
        rows[0].contains("cpu-001") && rows[0].contains("onboarding") && rows[0].contains("cpu-64c"),
        "{listed}"
    );
    assert!(
        rows[1].contains("gpu-001") && rows[1].contains("available") && rows[1].contains("gpu-8x-h100"),
        "{listed}"
    );
    // One node a page: --all follows the cursor, without it the page says where to go on.
    let list_json = |args: &[&str]| {
        let mut all = vec!["--output", "json", "admin", "nodes", "list"];
        all.extend(args);
        admin(&all)
    };
    let all: serde_json::Value =
        serde_json::from_str(&stdout(&run(list_json(&["--limit", "1", "--all"])).await)).unwrap();
    assert_eq!(all["items"].as_array().unwrap().len(), 2, "{all}");
    let first: serde_json::Value =
        serde_json::from_str(&stdout(&run(list_json(&["--limit", "1"])).await)).unwrap();
    assert_eq!(first["items"][0]["hostname"], "cpu-001");
    let cursor = first["next_cursor"].as_str().unwrap();
    let second: serde_json::Value = serde_json::from_str(&stdout(
        &run(list_json(&["--limit", "1", "--cursor", cursor])).await,
    ))
    .unwrap();
    assert_eq!(second["items"][0]["hostname"], "gpu-001");
    let onboarding: serde_json::Value =
        serde_json::from_str(&stdout(&run(list_json(&["--state", "onboarding"])).await)).unwrap();
    assert_eq!(onboarding["items"].as_array().unwrap().len(), 1);
    assert_eq!(onboarding["items"][0]["hostname"], "cpu-001");
    let page: serde_json::Value = serde_json::from_str(&stdout(
        &run(list_json(&["--sku", "gpu-8x-h100", "--site", "demo1"])).await,
    ))
    .unwrap();
    let gpu = &page["items"][0];
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(gpu["facts"]["cpu"]["model"], "AMD EPYC 9654, 96-Core");
    assert_eq!(gpu["facts"]["ram_mib"], 2048 * 1024);
    assert_eq!(gpu["facts"]["gpus"][0]["memory_mib"], 80 * 1024);
    let gpu_id = gpu["id"].as_str().unwrap();

    let shown = stdout(&run(admin(&["admin", "nodes", "show", gpu_id])).await);
    assert!(
        shown.contains("8x H100-SXM5-80GB (80 GiB)") && shown.contains("rack r1"),
        "{shown}"
    );
    let on = stdout(
        &run(admin(&[
            "admin",
            "nodes",
            "maintenance",
            gpu_id,
            "--on",
            "--reason",
            "fan swap",
        ]))
        .await,
    );
    assert_eq!(on.trim(), "gpu-001 maintenance");
    let off = stdout(&run(admin(&["admin", "nodes", "maintenance", gpu_id, "--off"])).await);
    assert_eq!(off.trim(), "gpu-001 available");
    let both = run(admin(&["admin", "nodes", "quarantine", gpu_id, "--on", "--off"])).await;
    assert!(!both.status.success());

    // Operators see every count, tenants only total and available.
    let capacity = stdout(&run(admin(&["capacity"])).await);
    assert!(
        capacity.lines().next().unwrap().contains("ASSIGNED")
            && capacity
                .lines()
                .any(|l| l.starts_with("demo1") && l.contains("gpu-8x-h100")),
        "{capacity}"
    );
}

#[tokio::test]
async fn operators_shape_sites_skus_and_prices() {
    let (url, admin_token, _db) = server().await;
    let home = home();
    let admin = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--server", &url]);
        ingot_as(&home, &admin_token, &all)
    };
    let site = stdout(
        &run(admin(&[
            "admin",
            "sites",
            "add",
            "--name",
            "fra1",
            "--region",
            "eu-central",
            "--country",
            "DE",
            "--status",
            "active",
        ]))
        .await,
    );
    assert!(site.trim().ends_with("fra1 active"), "{site}");
    let sites = stdout(&run(admin(&["admin", "sites", "list"])).await);
    assert!(sites.contains("demo1") && sites.contains("eu-central"), "{sites}");

    let created: serde_json::Value = serde_json::from_str(&stdout(
        &run(admin(&[
            "--output",
            "json",
            "admin",
            "skus",
            "add",
            "--name",
            "gpu-4x-l40s",
            "--gpu-model",
            "L40S",
            "--gpu-count",
            "4",
            "--cores-min",
            "32",
            "--ram-min-gib",
            "512",
            "--storage-min-gib",
            "1000",
            "--description",
            "4x L40S",
        ]))
        .await,
    ))
    .unwrap();
    assert_eq!(created["sku"]["constraints"]["ram_min_mib"], 512 * 1024);
    let sku_id = created["sku"]["id"].as_str().unwrap();

    let price = stdout(
        &run(admin(&[
            "admin", "offers", "set", sku_id, "fra1", "--price", "4.5", "--reason", "launch",
        ]))
        .await,
    );
    assert_eq!(price.trim(), "gpu-4x-l40s at fra1: 4.50 USD per hour");
    let offers = stdout(&run(ingot(&home, &["catalog", "offers", "--server", &url])).await);
    assert!(
        offers
            .lines()
            .any(|l| l.starts_with("gpu-4x-l40s") && l.contains("fra1") && l.contains("4.50 USD")),
        "{offers}"
    );

    let updated = stdout(
        &run(admin(&[
            "admin",
            "skus",
            "update",
            sku_id,
            "--cores-min",
            "48",
            "--active",
            "false",
        ]))
        .await,
    );
    assert!(
        updated.starts_with(&format!("{sku_id} gpu-4x-l40s (inactive); 0 node(s) moved")),
        "{updated}"
    );
    let skus: serde_json::Value = serde_json::from_str(&stdout(
        &run(admin(&["--output", "json", "admin", "skus", "list"])).await,
    ))
    .unwrap();
    let l40s = skus
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "gpu-4x-l40s")
        .unwrap();
    assert_eq!(l40s["constraints"]["cores_min"], 48);
    assert_eq!(
        l40s["constraints"]["gpu_model"], "L40S",
        "untouched constraints stay"
    );
    let offers = stdout(&run(ingot(&home, &["catalog", "offers", "--server", &url])).await);
    assert!(!offers.contains("gpu-4x-l40s"), "{offers}");

    let capacity = stdout(&run(admin(&["capacity"])).await);
    assert!(capacity.starts_with("SITE"), "{capacity}");
    let history: serde_json::Value = serde_json::from_str(&stdout(
        &run(admin(&[
            "--output",
            "json",
            "capacity",
            "--history",
            "--from",
            "2020-01-01T00:00:00Z",
        ]))
        .await,
    ))
    .unwrap();
    assert!(history.is_array(), "{history}");

    // Bad input is named field by field.
    let stderr = stderr_of_failure(
        &run(admin(&[
            "admin",
            "sites",
            "add",
            "--name",
            "Bad Name",
            "--region",
            "x",
            "--country",
            "DE",
        ]))
        .await,
    );
    assert!(stderr.contains("  name: "), "{stderr}");
}

#[tokio::test]
async fn tenants_are_refused_the_fleet() {
    let (url, _admin, _db) = server().await;
    let home = home();
    let signup = ingot_sdk::ingot_contracts::iam::SignupRequest {
        email: "tenant@example.com".into(),
        password: "tuba-cellar-orbit-42".into(),
        display_name: "Tenant".into(),
        tenant_name: "Tenant Co".into(),
    };
    let session = ingot_sdk::Client::new(&url)
        .unwrap()
        .signup(&signup)
        .await
        .unwrap()
        .session_token;
    let stderr = stderr_of_failure(
        &run(ingot_as(
            &home,
            &session,
            &["admin", "nodes", "list", "--server", &url],
        ))
        .await,
    );
    assert!(stderr.contains("forbidden"), "{stderr}");
    // The public catalog still answers them.
    stdout(&run(ingot_as(&home, &session, &["catalog", "skus", "--server", &url])).await);
}

/// A signed-up tenant owner's session token and tenant id.
async fn owner_signed_up(url: &str, email: &str) -> (String, String) {
    let signup = ingot_sdk::ingot_contracts::iam::SignupRequest {
        email: email.into(),
        password: "tuba-cellar-orbit-42".into(),
        display_name: "Owner".into(),
        tenant_name: format!("Tenant of {email}"),
    };
    let created = ingot_sdk::Client::new(url)
        .unwrap()
        .signup(&signup)
        .await
        .unwrap();
    (created.session_token, created.tenant.unwrap().id.to_string())
}

/// The session token of a user the admin made finance (a platform role).
async fn finance_signed_up(url: &str, admin_token: &str, email: &str) -> String {
    let (finance, _) = owner_signed_up(url, email).await;
    let finance_id = ingot_sdk::Client::new(url)
        .unwrap()
        .with_token(&finance)
        .me_get()
        .await
        .unwrap()
        .user
        .id;
    ingot_sdk::Client::new(url)
        .unwrap()
        .with_token(admin_token)
        .platform_roles_set(
            finance_id,
            &ingot_sdk::ingot_contracts::iam::PlatformRolesRequest {
                platform_roles: vec![ingot_sdk::ingot_contracts::iam::PlatformRole::Finance],
            },
        )
        .await
        .unwrap();
    finance
}

#[tokio::test]
async fn tenants_top_up_and_finance_credits_and_verifies() {
    let (url, admin_token, _db) = server().await;
    let home = home();
    let (owner, tenant) = owner_signed_up(&url, "owner@example.com").await;
    let as_owner = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--server", &url]);
        ingot_as(&home, &owner, &all)
    };

    // No --tenant: the owner belongs to one tenant, so it is that one.
    let topped = stdout(&run(as_owner(&["billing", "top-up", "25.50"])).await);
    assert!(
        topped.starts_with(&format!(
            "top-up of 25.50 USD to {tenant} via test: succeeded (txn_"
        )),
        "{topped}"
    );
    let balance: serde_json::Value = serde_json::from_str(&stdout(
        &run(as_owner(&["billing", "balance", "--output", "json"])).await,
    ))
    .unwrap();
    assert_eq!(
        balance["cash"],
        serde_json::json!({"amount": "25.500000", "currency": "USD"})
    );

    // Typos are refused before anything is sent.
    let stderr = stderr_of_failure(&run(as_owner(&["billing", "top-up", "1.1234567"])).await);
    assert!(stderr.contains("has 7 decimals; at most 6"), "{stderr}");
    let stderr = stderr_of_failure(&run(as_owner(&["billing", "top-up", "twenty"])).await);
    assert!(stderr.contains("\"twenty\" is not a decimal number"), "{stderr}");

    let finance = finance_signed_up(&url, &admin_token, "finance@example.com").await;
    let as_finance = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--server", &url]);
        ingot_as(&home, &finance, &all)
    };
    let credit = [
        "admin",
        "billing",
        "credit",
        &tenant,
        "5",
        "--reason",
        "sorry for the outage",
        "--promotional",
    ];
    let credited = stdout(&run(as_finance(&credit)).await);
    assert!(
        credited.starts_with(&format!("credited 5.00 USD to {tenant} (promo): txn_")),
        "{credited}"
    );
    let verified = stdout(&run(as_finance(&["admin", "billing", "verify"])).await);
    assert!(
        verified.starts_with("ok: ") && verified.contains("2 transaction(s)"),
        "{verified}"
    );

    // Owners give themselves nothing.
    let stderr = stderr_of_failure(&run(as_owner(&credit)).await);
    assert!(stderr.contains("forbidden"), "{stderr}");
    let stderr = stderr_of_failure(&run(as_owner(&["admin", "billing", "verify"])).await);
    assert!(stderr.contains("forbidden"), "{stderr}");

    let ledger = stdout(&run(as_owner(&["billing", "ledger"])).await);
    let rows: Vec<&str> = ledger.lines().collect();
    assert!(
        rows.len() == 3 && rows[0].starts_with("AT") && rows[0].contains("AMOUNT"),
        "{ledger}"
    );
    assert!(
        rows[1].contains("top_up") && rows[1].contains("cash") && rows[1].contains("25.50 USD"),
        "{ledger}"
    );
    assert!(
        rows[2].contains("credit")
            && rows[2].contains("promo")
            && rows[2].contains("5.00 USD")
            && rows[2].contains("sorry for the outage"),
        "{ledger}"
    );
    let all: serde_json::Value = serde_json::from_str(&stdout(
        &run(as_owner(&[
            "--output", "json", "billing", "ledger", "--limit", "1", "--all",
        ]))
        .await,
    ))
    .unwrap();
    assert_eq!(all["items"].as_array().unwrap().len(), 2, "{all}");
    let first = run(as_owner(&["billing", "ledger", "--limit", "1"])).await;
    assert_eq!(stdout(&first).lines().count(), 2);
    assert!(String::from_utf8_lossy(&first.stderr).contains("more entries follow"));

    let table = stdout(&run(as_owner(&["billing", "balance"])).await);
    let lines: Vec<&str> = table.lines().collect();
    assert!(
        lines[0] == format!("balance of {tenant}")
            && lines[1].starts_with("CASH")
            && lines[2].starts_with("25.50 USD")
            && lines[2].trim_end().ends_with("30.50 USD"),
        "{table}"
    );

    // With a second tenant the CLI does not guess.
    stdout(&run(as_owner(&["tenants", "create", "Second"])).await);
    let stderr = stderr_of_failure(&run(as_owner(&["billing", "balance"])).await);
    assert!(
        stderr.contains("you belong to 2 tenants; pass --tenant") && stderr.contains(&tenant),
        "{stderr}"
    );
    stdout(&run(as_owner(&["billing", "balance", "--tenant", &tenant])).await);
}

#[tokio::test]
async fn a_retried_top_up_lands_once_per_idempotency_key() {
    let (url, _admin, _db) = server().await;
    let home = home();
    let (owner, tenant) = owner_signed_up(&url, "retry@example.com").await;
    let keyed = [
        "--output",
        "json",
        "billing",
        "top-up",
        "1",
        "--idempotency-key",
        "pay-1",
        "--server",
        &url,
    ];
    let transaction = |output: Output| {
        let view: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
        view["transaction_id"].as_str().unwrap().to_string()
    };
    let first = transaction(run(ingot_as(&home, &owner, &keyed)).await);
    let again = transaction(run(ingot_as(&home, &owner, &keyed)).await);
    assert_eq!(first, again, "the same key lands once");

    // Without a key the SDK makes a fresh one per call: two calls are two top-ups.
    let client = ingot_sdk::Client::new(&url).unwrap().with_token(&owner);
    let tenant_id: ingot_kernel::id::TenantId = tenant.parse().unwrap();
    let request = ingot_sdk::ingot_contracts::billing::TopUpRequest {
        amount: ingot_kernel::money::Money::parse("1", ingot_kernel::money::Currency::USD).unwrap(),
        provider: None,
    };
    let one = client.top_up(tenant_id, &request, None).await.unwrap();
    let two = client.top_up(tenant_id, &request, None).await.unwrap();
    assert_ne!(one.transaction_id, two.transaction_id);
    assert!(matches!(
        client.top_up(tenant_id, &request, Some("two words")).await,
        Err(ingot_sdk::Error::InvalidIdempotencyKey)
    ));
    let balance = client.balance_get(tenant_id).await.unwrap();
    assert_eq!(balance.cash.amount_string(), "3.000000");
}

#[tokio::test]
async fn finance_charges_and_tenants_read_usage_and_statements() {
    let (url, admin_token, _db) = server().await;
    let home = home();
    let (owner, tenant) = owner_signed_up(&url, "owner@example.com").await;
    let as_owner = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--server", &url]);
        ingot_as(&home, &owner, &all)
    };
    let finance = finance_signed_up(&url, &admin_token, "finance@example.com").await;
    let as_finance = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--server", &url]);
        ingot_as(&home, &finance, &all)
    };
    let cash = |output: Output| {
        let balance: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
        balance["cash"]["amount"].as_str().unwrap().to_string()
    };

    // Nothing ran yet: no usage is an empty list, not an error.
    let usage = stdout(&run(as_owner(&["billing", "usage", "--output", "json"])).await);
    assert_eq!(usage.trim(), "[]");
    let usage = stdout(&run(as_owner(&["billing", "usage"])).await);
    assert_eq!(
        usage.trim(),
        "ALLOCATION  NODE  SKU  STARTED  STOPPED  RATE/HOUR  CHARGED"
    );

    stdout(&run(as_owner(&["billing", "top-up", "25.50"])).await);
    let charge = |amount: &'static str| {
        [
            "admin",
            "billing",
            "charge",
            tenant.as_str(),
            amount,
            "--reason",
            "damaged a chassis",
        ]
    };
    let charged = stdout(&run(as_finance(&charge("5.00"))).await);
    assert!(
        charged.starts_with(&format!("charged 5.00 USD to {tenant} (cash): txn_")),
        "{charged}"
    );
    let balance = ["billing", "balance", "--output", "json"];
    assert_eq!(cash(run(as_owner(&balance)).await), "20.500000");

    // Past the floor: refused, and nothing moves.
    let stderr = stderr_of_failure(&run(as_finance(&charge("100"))).await);
    assert!(stderr.contains("insufficient_funds"), "{stderr}");
    assert_eq!(cash(run(as_owner(&balance)).await), "20.500000");
    // Owners charge nobody, not even themselves.
    let stderr = stderr_of_failure(&run(as_owner(&charge("1"))).await);
    assert!(stderr.contains("forbidden"), "{stderr}");
    // A charge retried with its key lands once.
    let keyed = [
        &charge("0.5")[..],
        &["--idempotency-key", "fee-1", "--output", "json"],
    ]
    .concat();
    let transaction = |output: Output| {
        let entry: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
        assert_eq!(entry["amount"]["amount"], "-0.500000", "{entry}");
        entry["transaction_id"].as_str().unwrap().to_string()
    };
    let first = transaction(run(as_finance(&keyed)).await);
    assert_eq!(transaction(run(as_finance(&keyed)).await), first);
    assert_eq!(cash(run(as_owner(&balance)).await), "20.000000");

    // This month's statement, as the server dates it: `2026-11-29T13:43:36.000000Z`.
    let now = ingot_kernel::Clock::now(&ingot_kernel::SystemClock).to_string();
    let month = &now[..7];
    let statement = stdout(&run(as_owner(&["billing", "statement", month])).await);
    let lines: Vec<&str> = statement.lines().collect();
    assert_eq!(
        lines,
        [
            format!("statement of {tenant} for {month}").as_str(),
            "opening balance   0.00 USD",
            "top-ups          25.50 USD",
            "credits           0.00 USD",
            "usage            none",
            "usage total       0.00 USD",
            "other            -5.50 USD",
            "closing balance  20.00 USD",
        ],
        "{statement}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(
        &run(as_owner(&["--output", "json", "billing", "statement", month])).await,
    ))
    .unwrap();
    assert_eq!(json["closing_balance"]["amount"], "20.000000", "{json}");
    let csv = stdout(&run(as_owner(&["billing", "statement", month, "--csv"])).await);
    assert!(
        csv.starts_with("line,allocation_id,node_id,sku_id,seconds,hourly_rate,amount,currency\n"),
        "{csv}"
    );
    assert!(
        csv.contains("\ntop_ups,,,,,,25.500000,USD\n")
            && csv.ends_with("\nclosing_balance,,,,,,20.000000,USD\n"),
        "{csv}"
    );

    // Typos are refused before anything is sent: no server answers here.
    let offline = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--server", "http://127.0.0.1:1"]);
        ingot_as(&home, &owner, &all)
    };
    let stderr = stderr_of_failure(&run(offline(&["billing", "statement", "2026-13"])).await);
    assert_eq!(
        stderr.trim(),
        "ingot: month \"2026-13\": 13 is not a month; months are 01 to 12"
    );
    let stderr = stderr_of_failure(&run(offline(&["billing", "statement", "Nov"])).await);
    assert_eq!(
        stderr.trim(),
        "ingot: month \"Nov\" is not YYYY-MM, such as 2026-11"
    );
    let both = ["--output", "json", "billing", "statement", month, "--csv"];
    let stderr = stderr_of_failure(&run(offline(&both)).await);
    assert!(stderr.contains("pass one"), "{stderr}");
}

#[tokio::test]
async fn operators_bind_a_site_to_maas_and_onboard_it() {
    // The embedded default's simulated region, bound to demo1 at start.
    let test_db = ingot_kernel::testing::TestDb::sqlite().await;
    let config = Config {
        database_url: Some(test_db.url.clone()),
        data_dir: std::env::temp_dir().join(format!("ingot-cli-app-{}", ingot_kernel::id::new_ulid())),
        demo_catalog: Some(true),
        maas_simulated: Some(true),
        maas_sim_machines: 4,
        ..Config::default()
    };
    let app = app_build(config, Seams::default()).await.unwrap();
    let key = app.maas_sim.as_ref().unwrap().api_key().to_string();
    let admin_token = app.iam.bootstrap_admin("admin@example.com").await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(app_serve(app, listener, std::future::pending()));
    let home = home();
    let admin = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--server", &url]);
        ingot_as(&home, &admin_token, &all)
    };
    let shown = stdout(&run(admin(&["admin", "sites", "maas", "show", "demo1"])).await);
    assert!(
        shown.contains("erase on release") && shown.contains("quick"),
        "{shown}"
    );
    let secret = key.rsplit(':').next().unwrap();
    assert!(!shown.contains(secret), "the key is never printed");
    let region: serde_json::Value = serde_json::from_str(&stdout(
        &run(admin(&[
            "--output", "json", "admin", "sites", "maas", "show", "demo1",
        ]))
        .await,
    ))
    .unwrap();
    let region_url = region["url"].as_str().unwrap().to_string();

    // One flag changes one thing; the stored key is kept when none is given.
    let changed = stdout(
        &run(admin(&[
            "admin",
            "sites",
            "maas",
            "set",
            "demo1",
            "--url",
            &region_url,
            "--erase",
            "secure",
            "--maintenance-window",
            "sat 02:00 240",
        ]))
        .await,
    );
    assert!(
        changed.contains("secure") && changed.contains("sat 02:00 240 min"),
        "{changed}"
    );
    assert!(changed.contains("jammy,noble"), "the rest kept: {changed}");

    // A wrong key from a file is refused with the server's reason; nothing changes.
    let key_file = home.join("maas.key");
    std::fs::write(&key_file, "wrong:key:secret\n").unwrap();
    let refused = run(admin(&[
        "admin",
        "sites",
        "maas",
        "set",
        "demo1",
        "--url",
        &region_url,
        "--api-key-file",
        key_file.to_str().unwrap(),
    ]))
    .await;
    assert!(!refused.status.success());
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(why.contains("api_key"), "{why}");

    let report = stdout(&run(admin(&["admin", "onboard", "demo1"])).await);
    assert!(
        report.contains("SEEN") && report.contains("REGISTERED"),
        "{report}"
    );
    let refused = run(admin(&["admin", "onboard", "nowhere"])).await;
    assert!(!refused.status.success());
}

#[tokio::test]
async fn operators_set_and_read_quotas() {
    let (url, admin_token, _db) = server().await;
    let home = home();
    let admin = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--server", &url]);
        ingot_as(&home, &admin_token, &all)
    };
    let tenant = ingot_kernel::id::TenantId::generate().to_string();
    let project = ingot_kernel::id::ProjectId::generate().to_string();
    let scoped = format!("{project}/cpu-64c=2");
    let set = stdout(
        &run(admin(&[
            "admin",
            "quotas",
            "set",
            &tenant,
            "gpu-8x-h100=4",
            &scoped,
            "--reason",
            "pilot",
        ]))
        .await,
    );
    assert!(
        set.contains("gpu-8x-h100") && set.contains("(tenant)") && set.contains(&project),
        "{set}"
    );
    let got = stdout(&run(admin(&["--output", "json", "admin", "quotas", "get", &tenant])).await);
    let got: serde_json::Value = serde_json::from_str(&got).unwrap();
    assert_eq!(got["quotas"].as_array().unwrap().len(), 2);
    let refused = run(admin(&[
        "admin",
        "quotas",
        "set",
        &tenant,
        "no-such-sku=1",
        "--reason",
        "x",
    ]))
    .await;
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("quotas[0].sku"));
    let typo = run(admin(&[
        "admin",
        "quotas",
        "set",
        &tenant,
        "gpu-8x-h100",
        "--reason",
        "x",
    ]))
    .await;
    assert!(
        !typo.status.success(),
        "a quota without =N is refused before anything is sent"
    );
}

#[tokio::test]
async fn a_tenant_allocates_waits_and_releases_through_the_cli() {
    use ingot_sdk::ingot_contracts::iam::{KycDecision, KycDecisionRequest, KycLevel, KycSubmitRequest};
    // The embedded default's simulated region (machines deploy in seconds), bound to demo1.
    let test_db = ingot_kernel::testing::TestDb::sqlite().await;
    let config = Config {
        database_url: Some(test_db.url.clone()),
        data_dir: std::env::temp_dir().join(format!("ingot-cli-app-{}", ingot_kernel::id::new_ulid())),
        demo_catalog: Some(true),
        billing_test_provider: Some(true),
        maas_simulated: Some(true),
        maas_sim_machines: 8,
        maas_deployments_interval: std::time::Duration::from_millis(500),
        allocation_lifecycle_interval: std::time::Duration::from_millis(200),
        ..Config::default()
    };
    let app = app_build(config, Seams::default()).await.unwrap();
    let admin_token = app.iam.bootstrap_admin("admin@example.com").await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(app_serve(app, listener, std::future::pending()));

    // A verified tenant with money, and a security reviewer who verified it.
    let (owner, tenant) = owner_signed_up(&url, "alloc-owner@example.com").await;
    let tenant_id: ingot_kernel::id::TenantId = tenant.parse().unwrap();
    let client = |token: &str| ingot_sdk::Client::new(&url).unwrap().with_token(token);
    client(&owner)
        .kyc_submit(
            tenant_id,
            &KycSubmitRequest {
                provider_ref: None,
                personal_data: Some(ingot_contracts::iam::KycPersonalData {
                    legal_name: "Owner".into(),
                    country: "DE".into(),
                    address: "1 Test Street, Testville".into(),
                }),
            },
        )
        .await
        .unwrap();
    let (reviewer, _) = owner_signed_up(&url, "alloc-reviewer@example.com").await;
    let home = home();
    let whoami = stdout(&run(ingot_as(&home, &reviewer, &["whoami", "--server", &url])).await);
    let reviewer_id = whoami
        .lines()
        .next()
        .unwrap()
        .rsplit(' ')
        .next()
        .unwrap()
        .to_string();
    let granted = stdout(
        &run(ingot_as(
            &home,
            &admin_token,
            &["admin", "roles", &reviewer_id, "security", "--server", &url],
        ))
        .await,
    );
    assert!(granted.ends_with(": security\n"), "{granted}");
    let refused = run(ingot_as(
        &home,
        &admin_token,
        &["admin", "roles", &reviewer_id, "wizard", "--server", &url],
    ))
    .await;
    assert!(!refused.status.success(), "unknown roles are refused");
    client(&reviewer)
        .kyc_decide(
            tenant_id,
            &KycDecisionRequest {
                decision: KycDecision::Verify,
                level: Some(KycLevel::Basic),
                reason: "ok".into(),
            },
        )
        .await
        .unwrap();
    let as_owner = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--server", &url]);
        ingot_as(&home, &owner, &all)
    };
    stdout(&run(as_owner(&["billing", "top-up", "100"])).await);

    let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINH4m/g1mwBIyOOJyHVzRyxHdmgPza1/LGTT0mcLu93i owner@laptop";
    // What can go on the machines: the site's images, a key kept in the project, templates.
    let images = stdout(&run(as_owner(&["images"])).await);
    assert!(
        images.contains("demo1") && images.contains("jammy (default)") && images.contains("noble"),
        "{images}"
    );
    let added = stdout(&run(as_owner(&["ssh-keys", "add", key])).await);
    let key_id = added.split_whitespace().next().unwrap().to_string();
    assert!(key_id.starts_with("key_"), "{added}");
    let templates = stdout(&run(as_owner(&["templates", "list"])).await);
    assert!(
        templates.contains("ingot-docker-host") && templates.contains("built-in"),
        "{templates}"
    );
    let rendered = stdout(
        &run(as_owner(&[
            "templates",
            "render",
            "ingot-nvidia-cuda",
            "--var",
            "expected_gpus=8",
        ]))
        .await,
    );
    assert!(
        rendered.starts_with("#cloud-config") && rendered.contains("-ge 8"),
        "{rendered}"
    );
    let mistyped = run(as_owner(&[
        "templates",
        "render",
        "ingot-nvidia-cuda",
        "--var",
        "expected_gpus=eight",
    ]))
    .await;
    assert!(!mistyped.status.success(), "an integer variable refuses words");
    let dry = stdout(
        &run(as_owner(&[
            "alloc",
            "create",
            "--sku",
            "cpu-64c",
            "--ssh-key",
            key,
            "--dry-run",
        ]))
        .await,
    );
    assert!(dry.contains("would be admitted at demo1"), "{dry}");
    let refused = run(as_owner(&[
        "alloc",
        "create",
        "--sku",
        "cpu-64c",
        "--count",
        "9",
        "--dry-run",
    ]))
    .await;
    assert!(!refused.status.success());
    let why = String::from_utf8_lossy(&refused.stdout);
    assert!(
        why.contains("kyc_node_limit") && why.contains("capacity"),
        "{why}"
    );

    // Create and wait: progress on stderr, the active nodes with their SSH command on stdout.
    let waited = run(as_owner(&[
        "alloc",
        "create",
        "--sku",
        "cpu-64c",
        "--ssh-key",
        &key_id,
        "--template",
        "ingot-docker-host",
        "--var",
        "user=ops",
        "--wait",
    ]))
    .await;
    let shown = stdout(&waited);
    assert!(shown.contains(": active"), "{shown}");
    assert!(shown.contains("ssh ubuntu@"), "{shown}");
    assert!(
        String::from_utf8_lossy(&waited.stderr).contains("provisioning: 0 of 1 nodes active"),
        "progress is shown"
    );
    let id = shown.split_whitespace().next().unwrap().to_string();
    assert!(stdout(&run(as_owner(&["alloc", "list"])).await).contains(&id));
    let json: serde_json::Value = serde_json::from_str(&stdout(
        &run(as_owner(&["--output", "json", "alloc", "show", &id])).await,
    ))
    .unwrap();
    assert_eq!(json["state"], "active");
    assert!(json["nodes"][0]["handover"]["billing_started_at"].is_string());
    // At a terminal (util-linux's `script` gives the command one) the state is coloured, unless
    // NO_COLOR is set; through a pipe, as above, it never is.
    assert!(!shown.contains('\x1b'), "no colour into a pipe: {shown:?}");
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok()
    {
        let at_terminal = |no_colour: bool| {
            let command = format!("{} alloc show {id} --server {url}", env!("CARGO_BIN_EXE_ingot"));
            let mut script = std::process::Command::new("script");
            script
                .args(["-qec", &command, "/dev/null"])
                .env("HOME", &home)
                .env("INGOT_TOKEN", &owner)
                .env("TERM", "xterm")
                .env_remove("NO_COLOR");
            if no_colour {
                script.env("NO_COLOR", "1");
            }
            script
        };
        let coloured = stdout(&run(at_terminal(false)).await);
        assert!(coloured.contains("\x1b[32mactive\x1b[0m"), "{coloured:?}");
        let plain = stdout(&run(at_terminal(true)).await);
        assert!(
            !plain.contains("\x1b[") && plain.contains(": active"),
            "{plain:?}"
        );
    }

    // The tenant's overview shows it (the read models follow within a moment), with what the
    // answer reflects; operators' dashboards are for operators.
    let mut tick = tokio::time::interval(std::time::Duration::from_millis(100));
    let mut tries = 0;
    let overview = loop {
        tries += 1;
        assert!(tries < 300, "the overview never showed the active node");
        let text = stdout(&run(as_owner(&["overview"])).await);
        if text.contains(&id) && text.contains("nodes: 1 live, 1 active") {
            break text;
        }
        tick.tick().await;
    };
    assert!(overview.contains("as of event "), "{overview}");
    assert!(overview.contains("balance: "), "{overview}");
    assert!(overview.contains("nodes: 1 live, 1 active"), "{overview}");
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&run(as_owner(&["--output", "json", "overview"])).await)).unwrap();
    assert_eq!(json["allocations"][0]["allocation_id"], id.as_str());
    let as_admin = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--server", &url]);
        ingot_as(&home, &admin_token, &all)
    };
    let capacity = stdout(&run(as_admin(&["admin", "dashboard", "capacity"])).await);
    assert!(
        capacity.contains("AVAILABLE") && capacity.contains("ASSIGNED"),
        "{capacity}"
    );
    assert!(
        capacity.contains("demo1") && capacity.contains("cpu-64c"),
        "{capacity}"
    );
    let health = stdout(&run(as_admin(&["admin", "dashboard", "health"])).await);
    assert!(health.contains("deploys (24 h): "), "{health}");
    let revenue = stdout(&run(as_admin(&["admin", "dashboard", "revenue", "--days", "2"])).await);
    assert!(revenue.contains("top-ups 100.00"), "{revenue}");
    let projections = stdout(&run(as_admin(&["admin", "read-models", "list"])).await);
    for name in ["tenant-overview", "ops-capacity", "ops-health", "revenue"] {
        assert!(projections.contains(name), "{projections}");
    }
    let refused = run(as_owner(&["admin", "dashboard", "capacity"])).await;
    assert!(!refused.status.success(), "tenants see no operators' dashboard");

    // Another tenant does not see it.
    let (stranger, _) = owner_signed_up(&url, "alloc-stranger@example.com").await;
    let hidden = run(ingot_as(
        &home,
        &stranger,
        &["alloc", "show", &id, "--server", &url],
    ))
    .await;
    assert!(!hidden.status.success());
    assert!(String::from_utf8_lossy(&hidden.stderr).contains("not_found"));

    let extended = stdout(
        &run(as_owner(&[
            "alloc",
            "extend",
            &id,
            "--release-at",
            "2099-01-01T00:00:00Z",
        ]))
        .await,
    );
    assert!(extended.contains("active"), "{extended}");
    let released = stdout(&run(as_owner(&["alloc", "release", &id])).await);
    assert!(released.contains("releasing"), "{released}");
    let again = run(as_owner(&["alloc", "release", &id])).await;
    assert!(String::from_utf8_lossy(&again.stderr).contains("allocation_ended"));

    // Operators force-release any tenant's allocation, with a reason.
    let second = stdout(&run(as_owner(&["alloc", "create", "--sku", "cpu-64c"])).await);
    let second = second.split_whitespace().next().unwrap().to_string();
    let refused = run(as_owner(&[
        "admin",
        "alloc",
        "force-release",
        &second,
        "--reason",
        "x",
    ]))
    .await;
    assert!(!refused.status.success(), "tenants may not");
    let forced = stdout(
        &run(ingot_as(
            &home,
            &admin_token,
            &[
                "admin",
                "alloc",
                "force-release",
                &second,
                "--reason",
                "abuse report",
                "--server",
                &url,
            ],
        ))
        .await,
    );
    assert!(
        forced.contains("releasing") && forced.contains("abuse report"),
        "{forced}"
    );

    // A cluster (a k3s head, on what CPU servers are left), refused a worker it has no room for,
    // deleted as one.
    let lab = stdout(
        &run(as_owner(&[
            "clusters",
            "create",
            "lab",
            "--template",
            "ingot-k3s-cluster",
            "--sku",
            "cpu-64c",
            "--var",
            "channel=latest",
            "--ssh-key",
            &key_id,
        ]))
        .await,
    );
    assert!(
        lab.contains(" lab: provisioning") && lab.contains("head-0"),
        "{lab}"
    );
    let shown = stdout(&run(as_owner(&["clusters", "show", "lab"])).await);
    assert!(
        shown.contains("head-0") && shown.contains("0 workers wanted"),
        "{shown}"
    );
    let too_big = run(as_owner(&["clusters", "scale", "lab", "3"])).await;
    assert!(!too_big.status.success());
    assert!(
        String::from_utf8_lossy(&too_big.stderr).contains("3 asked"),
        "{too_big:?}"
    );
    assert!(stdout(&run(as_owner(&["clusters", "list"])).await).contains("lab"));
    let deleted = stdout(&run(as_owner(&["clusters", "delete", "lab"])).await);
    assert!(deleted.contains("lab: deleting"), "{deleted}");
}

#[tokio::test]
async fn a_member_adds_lists_and_deletes_ssh_keys() {
    let (url, _admin, _db) = server().await;
    let (owner, _) = owner_signed_up(&url, "keys-owner@example.com").await;
    let home = home();
    let key = home.join("id_ed25519.pub");
    std::fs::write(
        &key,
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBNK3+pjPoTLgRs+vqevVS6g7tTrc3iRGID6bbvflHFK alice@laptop\n",
    )
    .unwrap();
    let as_owner = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--server", &url]);
        ingot_as(&home, &owner, &all)
    };
    let added = stdout(&run(as_owner(&["ssh-keys", "add", key.to_str().unwrap()])).await);
    assert!(
        added.contains("SHA256:44TK443TCF0nQwf5rTyqVPcHhOhaa8kqiJMamd6X62g"),
        "{added}"
    );
    let id = added.split_whitespace().next().unwrap().to_string();
    let listed = stdout(&run(as_owner(&["ssh-keys", "list"])).await);
    assert!(
        listed.contains(&id) && listed.contains("alice@laptop"),
        "{listed}"
    );
    let again = run(as_owner(&["ssh-keys", "add", key.to_str().unwrap()])).await;
    assert!(!again.status.success(), "the same key twice is refused");
    let weak = run(as_owner(&["ssh-keys", "add", "ssh-rsa AAAAB3NzaC1yc2E"])).await;
    assert!(!weak.status.success());
    stdout(&run(as_owner(&["ssh-keys", "delete", &id])).await);
    assert!(!stdout(&run(as_owner(&["ssh-keys", "list"])).await).contains(&id));
    // The same key as one's own: kept apart from the project's.
    let own = stdout(&run(as_owner(&["ssh-keys", "add", "--mine", key.to_str().unwrap()])).await);
    let own_id = own.split_whitespace().next().unwrap().to_string();
    assert!(stdout(&run(as_owner(&["ssh-keys", "list", "--mine"])).await).contains(&own_id));
    assert!(!stdout(&run(as_owner(&["ssh-keys", "list"])).await).contains(&own_id));
    stdout(&run(as_owner(&["ssh-keys", "delete", "--mine", &own_id])).await);
    assert!(!stdout(&run(as_owner(&["ssh-keys", "list", "--mine"])).await).contains(&own_id));
}

#[tokio::test]
async fn an_owner_subscribes_a_webhook_and_reads_its_deliveries() {
    let (url, _admin, _db) = server().await;
    let (owner, _) = owner_signed_up(&url, "hooks-owner@example.com").await;
    let home = home();
    let as_owner = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--server", &url]);
        ingot_as(&home, &owner, &all)
    };
    let events = stdout(&run(as_owner(&["webhooks", "events"])).await);
    assert!(
        events.contains("node.active") && events.contains("kyc.changed"),
        "{events}"
    );
    let created = stdout(
        &run(as_owner(&[
            "webhooks",
            "create",
            "https://hooks.example.com/ingot",
            "--events",
            "allocation.*,node.active",
        ]))
        .await,
    );
    assert!(
        created.contains("signing secret (shown once, keep it): whsec_"),
        "{created}"
    );
    let id = created.split_whitespace().next().unwrap().to_string();
    let listed = stdout(&run(as_owner(&["webhooks", "list"])).await);
    assert!(
        listed.contains(&id) && listed.contains("allocation.*,node.active") && !listed.contains("whsec_"),
        "{listed}"
    );
    // A database-backed server is not the embedded profile: private destinations are refused.
    let private = run(as_owner(&[
        "webhooks",
        "create",
        "http://127.0.0.1:9/hook",
        "--events",
        "*",
    ]))
    .await;
    assert!(!private.status.success());
    assert!(
        String::from_utf8_lossy(&private.stderr).contains("url"),
        "{private:?}"
    );
    let disabled = stdout(&run(as_owner(&["webhooks", "update", &id, "--disable"])).await);
    assert!(disabled.contains("disabled"), "{disabled}");
    let log = stdout(&run(as_owner(&["webhooks", "deliveries", &id])).await);
    assert!(log.contains("ATTEMPTS"), "{log}");
    stdout(&run(as_owner(&["webhooks", "delete", &id])).await);
    assert!(!stdout(&run(as_owner(&["webhooks", "list"])).await).contains(&id));
}

/// `ingot login` with no flags: it shows an address and a code, the person approves in the
/// browser (here: through the API the web page uses), and the CLI keeps the session it receives.
#[tokio::test]
async fn login_is_approved_in_the_browser() {
    use std::io::BufRead as _;
    let (url, _admin_token, _db) = server().await;
    let home = home();
    let signup = ingot_sdk::ingot_contracts::iam::SignupRequest {
        email: "device@example.com".into(),
        password: "tuba-cellar-orbit-42".into(),
        display_name: "Device User".into(),
        tenant_name: "Device Tenant".into(),
    };
    let created = ingot_sdk::Client::new(&url)
        .unwrap()
        .signup(&signup)
        .await
        .unwrap();
    let browser = ingot_sdk::Client::new(&url)
        .unwrap()
        .with_token(&created.session_token);

    let mut child = ingot(&home, &["login", "--server", &url])
        .env("HOSTNAME", "test-box")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    // The CLI's instructions, read line by line until the code appears; the rest is kept.
    let (shown, rest) = tokio::task::spawn_blocking(move || {
        let mut lines = std::io::BufReader::new(stderr).lines();
        let mut shown = String::new();
        for line in lines.by_ref() {
            let line = line.unwrap();
            shown.push_str(&line);
            shown.push('\n');
            if line.contains("shows the code") {
                break;
            }
        }
        (shown, lines)
    })
    .await
    .unwrap();
    assert!(shown.contains(&format!("{url}/device?user_code=")), "{shown}");
    let user_code = shown
        .split("shows the code ")
        .nth(1)
        .and_then(|rest| rest.get(..9))
        .unwrap()
        .to_string();
    let grant = browser.device_grant_get(&user_code).await.unwrap();
    assert_eq!(grant.client_name, "ingot CLI on test-box");
    browser
        .device_decide(&ingot_sdk::ingot_contracts::iam::DeviceDecisionRequest {
            user_code,
            approve: true,
        })
        .await
        .unwrap();
    let (status, tail) = tokio::task::spawn_blocking(move || {
        let tail: Vec<String> = rest.map_while(Result::ok).collect();
        (child.wait().unwrap(), tail.join("\n"))
    })
    .await
    .unwrap();
    assert!(status.success(), "{shown}{tail}");
    assert!(tail.contains("logged in as device@example.com"), "{tail}");
    let whoami = stdout(&run(ingot(&home, &["whoami"])).await);
    assert!(whoami.starts_with("Device User <device@example.com>"), "{whoami}");
}

#[tokio::test]
async fn password_login_flags_need_password() {
    let output = run(ingot(&home(), &["login", "--email", "a@example.com"])).await;
    assert_eq!(output.status.code(), Some(2), "a usage error");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("--password"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Sign-up, sessions, two-factor enrolment, password change, tenant posture and settings,
/// invitations, project roles, approving another terminal, and log-out, each through `ingot`.
#[tokio::test]
async fn an_account_is_managed_from_the_terminal() {
    let (url, admin_token, _db) = server().await;
    let home = home();
    let password = "tuba-cellar-orbit-42";
    let user_id = ingot_with_stdin(
        &home,
        &[
            "signup",
            "--server",
            &url,
            "--email",
            "own@example.com",
            "--display-name",
            "Own",
            "--tenant-name",
            "Own Tenant",
        ],
        &format!("{password}\n"),
    )
    .await;
    assert!(user_id.trim().starts_with("usr_"), "{user_id}");
    let me: serde_json::Value =
        serde_json::from_str(&stdout(&run(ingot(&home, &["whoami", "--output", "json"])).await)).unwrap();
    let tenant = me["memberships"][0]["tenant_id"].as_str().unwrap().to_string();

    let sessions = stdout(&run(ingot(&home, &["sessions", "list"])).await);
    assert!(sessions.contains("this one"), "{sessions}");

    let enrolment = stdout(&run(ingot(&home, &["mfa", "enrol"])).await);
    assert!(enrolment.contains("otpauth://totp/"), "{enrolment}");
    let refused = stderr_of_failure(&run(ingot(&home, &["mfa", "confirm", "000000"])).await);
    assert!(!refused.is_empty());

    let updated = stdout(&run(ingot(&home, &["tenants", "update", &tenant, "--name", "Renamed"])).await);
    assert!(updated.contains("Renamed"), "{updated}");
    let posture = stdout(&run(ingot(&home, &["tenants", "posture", &tenant])).await);
    assert!(posture.contains("members with two-factor: 0/1"), "{posture}");

    let invitation = stdout(
        &run(ingot(
            &home,
            &[
                "invitations",
                "create",
                "--tenant",
                &tenant,
                "--email",
                "new@example.com",
                "--role",
                "member",
            ],
        ))
        .await,
    );
    let invitation = invitation.trim();
    assert!(invitation.starts_with("inv_"), "{invitation}");
    let listed = stdout(&run(ingot(&home, &["invitations", "list", "--tenant", &tenant])).await);
    assert!(listed.contains("new@example.com"), "{listed}");
    run(ingot(
        &home,
        &["invitations", "revoke", "--tenant", &tenant, invitation],
    ))
    .await;
    let listed = stdout(&run(ingot(&home, &["invitations", "list", "--tenant", &tenant])).await);
    assert!(!listed.contains("new@example.com"), "{listed}");

    // A second person, given a role on one project only.
    let (other_token, _) = owner_signed_up(&url, "other@example.com").await;
    let other_id = ingot_sdk::Client::new(&url)
        .unwrap()
        .with_token(&other_token)
        .me_get()
        .await
        .unwrap()
        .user
        .id
        .to_string();
    run(ingot(
        &home,
        &[
            "members",
            "add",
            "--tenant",
            &tenant,
            "--email",
            "other@example.com",
            "--role",
            "viewer",
        ],
    ))
    .await;
    let projects: serde_json::Value = serde_json::from_str(&stdout(
        &run(ingot(
            &home,
            &["projects", "list", "--tenant", &tenant, "--output", "json"],
        ))
        .await,
    ))
    .unwrap();
    let project = projects[0]["id"].as_str().unwrap().to_string();
    assert!(stdout(&run(ingot(&home, &["projects", "get", &project])).await).contains("default"));
    let set = stdout(
        &run(ingot(
            &home,
            &[
                "projects", "members", "set", &project, &other_id, "--role", "member",
            ],
        ))
        .await,
    );
    assert!(set.contains("member"), "{set}");
    let members = stdout(&run(ingot(&home, &["projects", "members", "list", &project])).await);
    assert!(members.contains(&other_id), "{members}");
    run(ingot(
        &home,
        &["projects", "members", "remove", &project, &other_id],
    ))
    .await;
    let members = stdout(&run(ingot(&home, &["projects", "members", "list", &project])).await);
    assert!(!members.contains(&other_id), "{members}");

    // Another terminal's `ingot login`, approved from this one.
    let device = ingot_sdk::Client::new(&url)
        .unwrap()
        .device_authorize(&Default::default())
        .await
        .unwrap();
    let shown = stdout(&run(ingot(&home, &["device", "show", &device.user_code])).await);
    assert!(shown.contains("pending"), "{shown}");
    let approved = stdout(&run(ingot(&home, &["device", "approve", &device.user_code])).await);
    assert!(approved.contains("approved"), "{approved}");

    // The password changes (current, then new, from standard input); the old one stops working.
    ingot_with_stdin(
        &home,
        &["password", "change"],
        &format!("{password}\nviolin-harbour-comet-77\n"),
    )
    .await;
    let old = ingot_sdk::Client::new(&url)
        .unwrap()
        .login(&ingot_sdk::ingot_contracts::iam::LoginRequest {
            email: "own@example.com".into(),
            password: password.into(),
            totp_code: None,
        })
        .await;
    assert_eq!(old.unwrap_err().code(), Some("invalid_credentials"));

    // Operators read the platform's outbox.
    let mut outbox = ingot(&home, &["admin", "notifications"]);
    outbox.env("INGOT_TOKEN", &admin_token);
    assert!(stdout(&run(outbox).await).starts_with("AT"));

    run(ingot(&home, &["logout"])).await;
    let saved = std::fs::read_to_string(home.join(".config/ingot/config.toml")).unwrap();
    assert!(!saved.contains("token"), "{saved}");
    assert!(saved.contains(&url), "the server stays: {saved}");
    let gone = stderr_of_failure(&run(ingot(&home, &["whoami"])).await);
    assert!(gone.contains("unauthenticated"), "{gone}");
}

/// `--quiet` prints ids alone, `--output yaml` the same document as JSON, and the exit code
/// says what went wrong: 2 usage, 3 not found, 4 refused.
#[tokio::test]
async fn scripts_get_ids_yaml_and_telling_exit_codes() {
    let (url, admin_token, _db) = server().await;
    let home = home();
    let quiet = stdout(&run(ingot(&home, &["catalog", "skus", "--quiet", "--server", &url])).await);
    let mut ids: Vec<&str> = quiet.lines().collect();
    ids.sort_unstable();
    assert_eq!(ids, ["cpu-64c", "gpu-8x-a100", "gpu-8x-h100"], "{quiet}");

    let as_json: serde_json::Value = serde_json::from_str(&stdout(
        &run(ingot(
            &home,
            &["catalog", "offers", "--output", "json", "--server", &url],
        ))
        .await,
    ))
    .unwrap();
    let yaml = stdout(
        &run(ingot(
            &home,
            &["catalog", "offers", "--output", "yaml", "--server", &url],
        ))
        .await,
    );
    assert!(yaml.starts_with("- "), "{yaml}");
    let parsed = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            std::io::Write::write_all(child.stdin.as_mut().unwrap(), yaml.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    let from_yaml: serde_json::Value = serde_json::from_slice(&parsed.stdout).unwrap();
    assert_eq!(from_yaml, as_json, "{yaml}");

    let usage = run(ingot(&home, &["alloc", "--server", &url])).await;
    assert_eq!(usage.status.code(), Some(2));
    let refused = run(ingot(&home, &["admin", "ownership", "--server", &url])).await;
    assert_eq!(refused.status.code(), Some(4), "not logged in");
    let (tenant_token, _) = owner_signed_up(&url, "exit@example.com").await;
    let forbidden = run(ingot_as(
        &home,
        &tenant_token,
        &["admin", "ownership", "--server", &url],
    ))
    .await;
    assert_eq!(forbidden.status.code(), Some(4), "not allowed");
    let missing = run(ingot_as(
        &home,
        &admin_token,
        &[
            "alloc",
            "show",
            "alc_01jd00000000000000000000aa",
            "--server",
            &url,
        ],
    ))
    .await;
    assert_eq!(
        missing.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&missing.stderr)
    );
}

#[tokio::test]
async fn shells_complete_the_commands() {
    let home = home();
    let manual = stdout(&run(ingot(&home, &["man"])).await);
    assert!(
        manual.starts_with(".ie") || manual.contains(".TH ingot"),
        "{manual}"
    );
    assert!(
        manual.contains("Exit codes") && manual.contains("completions"),
        "{manual}"
    );
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef ingot"),
        ("fish", "complete -c ingot"),
    ] {
        let script = stdout(&run(ingot(&home, &["completions", shell])).await);
        assert!(script.contains(marker), "{shell}: {script}");
        for command in ["alloc", "login", "catalog", "completions"] {
            assert!(script.contains(command), "{shell} completes {command}");
        }
    }
    if std::process::Command::new("bash")
        .arg("--version")
        .output()
        .is_ok()
    {
        // bash accepts the script and then knows how to complete `ingot`.
        let script = stdout(&run(ingot(&home, &["completions", "bash"])).await);
        let file = home.join("ingot.bash");
        std::fs::write(&file, script).unwrap();
        let check = std::process::Command::new("bash")
            .args(["-c", &format!("source {} && complete -p ingot", file.display())])
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "{}",
            String::from_utf8_lossy(&check.stderr)
        );
        assert!(String::from_utf8_lossy(&check.stdout).contains("ingot"));
    }
}

/// Two accounts in two profiles of one config file: `config use` switches, `--profile` overrides.
#[tokio::test]
async fn profiles_keep_several_accounts_apart() {
    let (url, _admin, _db) = server().await;
    let home = home();
    for name in ["alice", "bob"] {
        owner_signed_up(&url, &format!("{name}@example.com")).await;
        ingot_with_stdin(
            &home,
            &[
                "--profile",
                name,
                "login",
                "--server",
                &url,
                "--password",
                "--email",
                &format!("{name}@example.com"),
            ],
            "tuba-cellar-orbit-42\n",
        )
        .await;
    }
    run(ingot(&home, &["config", "use", "bob"])).await;
    let whoami = |args: &'static [&'static str]| {
        let home = home.clone();
        async move {
            let me: serde_json::Value =
                serde_json::from_str(&stdout(&run(ingot(&home, args)).await)).unwrap();
            me["user"]["email"].as_str().unwrap().to_string()
        }
    };
    assert_eq!(whoami(&["whoami", "--output", "json"]).await, "bob@example.com");
    assert_eq!(
        whoami(&["--profile", "alice", "whoami", "--output", "json"]).await,
        "alice@example.com"
    );
    let listed = stdout(&run(ingot(&home, &["config", "list"])).await);
    assert!(
        listed
            .lines()
            .any(|l| l.starts_with("bob") && l.contains("yes") && l.contains("in use")),
        "{listed}"
    );
    assert!(
        listed
            .lines()
            .any(|l| l.starts_with("alice") && !l.contains("in use")),
        "{listed}"
    );
    let shown = stdout(&run(ingot(&home, &["config", "show"])).await);
    assert!(
        shown.starts_with("bob at ") && shown.contains("with a credential"),
        "{shown}"
    );
    let saved = std::fs::read_to_string(home.join(".config/ingot/config.toml")).unwrap();
    assert!(
        saved.contains("[profiles.alice]") && saved.contains("profile = \"bob\""),
        "{saved}"
    );
    let bad = stderr_of_failure(&run(ingot(&home, &["config", "use", "two words"])).await);
    assert!(bad.contains("not a profile name"), "{bad}");
}

/// An operator delivers a provider's event by hand; the server checks its signature as always.
#[tokio::test]
async fn a_provider_event_delivered_by_hand_is_checked_like_any_other() {
    // A server that takes the simulated KYC provider's webhooks (signed with this secret).
    let (url, admin_token, _db) = server_with(|config| {
        config.kyc_webhook_secret = Some("kyc-test-secret".into());
    })
    .await;
    let home = home();
    let body = home.join("event.json");
    std::fs::write(
        &body,
        r#"{"tenant_id":"ten_01jd00000000000000000000aa","decision":"verify"}"#,
    )
    .unwrap();
    for (kind, provider) in [("kyc", "sim"), ("payment", "stripe")] {
        let forged = run(ingot_as(
            &home,
            &admin_token,
            &[
                "admin",
                "provider-event",
                kind,
                provider,
                "--body",
                body.to_str().unwrap(),
                "--signature",
                "t=1,v1=00",
                "--server",
                &url,
            ],
        ))
        .await;
        let said = stderr_of_failure(&forged);
        let expected = match kind {
            // Reached, and refused for its signature: an operator cannot forge a decision.
            "kyc" => "webhook_signature_invalid",
            // No payment provider is configured on this server: reached, and not found.
            _ => "no such payment provider",
        };
        assert!(said.contains(expected), "{kind}: {said}");
    }
    let missing = run(ingot_as(
        &home,
        &admin_token,
        &[
            "admin",
            "provider-event",
            "kyc",
            "sim",
            "--body",
            "/nonexistent/event.json",
            "--signature",
            "t=1,v1=00",
            "--server",
            &url,
        ],
    ))
    .await;
    assert!(stderr_of_failure(&missing).contains("cannot read /nonexistent/event.json"));
}

/// The people on call work incidents from the terminal: a failed-login spike (threshold 2 here)
/// opens one by itself (the alerts controller runs every 50 ms), it is listed, shown with its
/// timeline, acknowledged and resolved; `ingot admin ownership` names who is on call.
#[tokio::test]
async fn incidents_are_listed_acknowledged_and_resolved_from_the_terminal() {
    let on_call =
        std::env::temp_dir().join(format!("ingot-cli-oncall-{}.toml", ingot_kernel::id::new_ulid()));
    std::fs::write(
        &on_call,
        "[[people]]\nname = \"Bea\"\nrole = \"backend-engineer\"\n",
    )
    .unwrap();
    let (url, admin_token, _db) = server_with(|config| {
        config.alerts_interval = std::time::Duration::from_millis(50);
        config.alerts_thresholds.login_failures = 2.0;
        config.paging_oncall_file = Some(on_call);
    })
    .await;
    let home = home();
    let admin = |args: &[&str]| {
        let mut command = ingot(&home, args);
        command.env("INGOT_TOKEN", &admin_token).env("INGOT_SERVER", &url);
        command
    };
    let ownership = stdout(&run(admin(&["admin", "ownership"])).await);
    assert!(
        ownership
            .lines()
            .any(|l| l.starts_with("IAM") && l.contains("Backend Engineer (Bea)")),
        "{ownership}"
    );
    for n in 0..2 {
        let client = ingot_sdk::Client::new(&url).unwrap();
        let login = ingot_sdk::ingot_contracts::iam::LoginRequest {
            email: format!("nobody-{n}@example.com"),
            password: "not-a-password-of-anyone".into(),
            totp_code: None,
        };
        assert!(client.login(&login).await.is_err());
    }
    let mut tick = tokio::time::interval(std::time::Duration::from_millis(100));
    let mut waited = 0;
    let id = loop {
        let listed = stdout(&run(admin(&["admin", "incidents", "list", "--quiet"])).await);
        if let Some(id) = listed.lines().next() {
            break id.to_string();
        }
        waited += 1;
        assert!(waited < 300, "no incident opened for the failed logins");
        tick.tick().await;
    };
    assert!(id.starts_with("inc_"), "{id}");
    let table = stdout(&run(admin(&["admin", "incidents", "list"])).await);
    assert!(
        table
            .lines()
            .any(|l| l.starts_with(&id) && l.contains("SEV-1") && l.contains("open") && l.contains("IAM")),
        "{table}"
    );
    let shown = stdout(&run(admin(&["admin", "incidents", "show", &id])).await);
    assert!(
        shown.contains("docs/runbooks/iam.md#login-failure-spike") && shown.contains("opened"),
        "{shown}"
    );
    let acked = stdout(&run(admin(&["admin", "incidents", "ack", &id, "--note", "on it"])).await);
    assert!(
        acked.contains("acknowledged by") && acked.contains("on it"),
        "{acked}"
    );
    let resolved: serde_json::Value = serde_json::from_str(&stdout(
        &run(admin(&[
            "--output",
            "json",
            "admin",
            "incidents",
            "resolve",
            &id,
            "--note",
            "sprayer blocked",
        ]))
        .await,
    ))
    .unwrap();
    assert_eq!(resolved["state"], "resolved");
    // Resolving twice is the server's 409, exit code 1 with its problem code.
    let again = run(admin(&["admin", "incidents", "resolve", &id])).await;
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("conflict"));
    let all = stdout(
        &run(admin(&[
            "admin",
            "incidents",
            "list",
            "--state",
            "resolved",
            "--quiet",
        ]))
        .await,
    );
    assert!(all.lines().any(|l| l == id), "{all}");
}
