//! `ingot` as a user runs it, against a real ingotd on port 0 (SQLite, in-process).

// Test helpers panic on failure by design: a failed setup is a failed test.
#![allow(clippy::unwrap_used)]

use ingotd::config::Config;
use ingotd::{Seams, app_build, app_serve};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A real ingotd with a platform admin made the way operators make one (`bootstrap-admin`).
async fn server() -> (String, String, ingot_kernel::testing::TestDb) {
    let test_db = ingot_kernel::testing::TestDb::sqlite().await;
    let config = Config {
        database_url: Some(test_db.url.clone()),
        data_dir: std::env::temp_dir().join(format!("ingot-cli-app-{}", ingot_kernel::id::new_ulid())),
        ..Config::default()
    };
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
    for word in ["health", "admin", "--server", "--output"] {
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

    let submitted = stdout(&run(ingot(&home, &["kyc", "submit", "--tenant", &tenant])).await);
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
