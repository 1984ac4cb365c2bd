//! Property-based fuzzing of the HTTP API from its own OpenAPI document, with schemathesis (from
//! PyPI, pinned in `server/tests/api-fuzz/requirements.txt`, installed by `.ci/api-fuzz.sh`).
//! On both backends, as a tenant and as a platform operator: no server error, every answer within
//! its documented schema and content type, and data the document calls invalid refused.
//!
//! Bounded by time (`INGOT_FUZZ_SECONDS` per run, default 40) with a fixed seed
//! (`INGOT_FUZZ_SEED`, default 1), so CI repeats the same search; set another seed to search
//! elsewhere. JUnit reports go to `target/api-fuzz/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use ingot_kernel::db::Backend;
use serde_json::json;

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// What schemathesis asserts of every answer.
const CHECKS: &str =
    "not_a_server_error,response_schema_conformance,content_type_conformance,negative_data_rejection";

/// Operations left out, with why: logging out would end the very session the run uses.
const EXCLUDED_OPERATIONS: [&str; 1] = ["logout"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_requests_get_documented_answers_and_never_a_server_error() {
    let schemathesis = std::env::var_os("INGOT_FUZZ_SCHEMATHESIS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repository().join(".venv-fuzz/bin/schemathesis"));
    assert!(
        schemathesis.exists(),
        "{} is missing: run `bash .ci/api-fuzz.sh` (cargo xtask test does)",
        schemathesis.display()
    );
    let seconds = std::env::var("INGOT_FUZZ_SECONDS").unwrap_or_else(|_| "40".into());
    let seed = std::env::var("INGOT_FUZZ_SEED").unwrap_or_else(|_| "1".into());
    let reports = repository().join("target/api-fuzz");
    std::fs::create_dir_all(&reports).unwrap();
    let mut failures = Vec::new();
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let db = match backend {
            Backend::Postgres => Some(ingot_kernel::testing::TestDb::new(Backend::Postgres).await),
            Backend::Sqlite => None,
        };
        let dir = std::env::temp_dir().join(format!("ingotd-fuzz-{}", ingot_kernel::id::new_ulid()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut env = vec![
            ("INGOT_HTTP_RATE_LIMIT_PER_S", "100000"),
            ("INGOT_HTTP_RATE_LIMIT_BURST", "100000"),
        ];
        if let Some(db) = &db {
            env.push(("INGOT_DATABASE_URL", db.url.as_str()));
        }
        let (mut child, address) = super::ingotd_spawn(&dir, &env);
        let url = format!("http://{address}");
        let mut admin = Command::new(env!("CARGO_BIN_EXE_ingotd"));
        admin
            .args(["bootstrap-admin", "--email", "root@example.com"])
            .current_dir(&dir);
        if let Some(db) = &db {
            admin.env("INGOT_DATABASE_URL", &db.url);
        }
        let operator = String::from_utf8(admin.output().unwrap().stdout)
            .unwrap()
            .trim()
            .to_string();
        assert!(!operator.is_empty(), "bootstrap-admin printed a token");
        let signed: serde_json::Value = super::http()
            .post(format!("{url}/v1/auth/signup"))
            .json(&json!({
                "email": "fuzz-tenant@example.com",
                "password": "violet-harbour-long-enough-9",
                "display_name": "Fuzz",
                "tenant_name": "Fuzz Ltd",
            }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let tenant = signed["session_token"].as_str().unwrap().to_string();
        for (who, token) in [("tenant", tenant), ("operator", operator)] {
            let report = reports.join(format!("{backend:?}-{who}.xml").to_lowercase());
            let mut command = Command::new(&schemathesis);
            // Its own cache (`.schemathesis/`) goes to the run's folder, not the checkout.
            command
                .current_dir(&dir)
                .arg("run")
                .arg(format!("{url}/openapi.json"))
                .args(["--header", &format!("Authorization: Bearer {token}")])
                .args(["--checks", CHECKS])
                .args(["--phases", "examples,coverage,fuzzing"])
                // One worker: the run is repeatable for its seed, and hypothesis's lambda descriptions
                // (parsed with `ast` while drawing) are not safe across threads on CPython 3.11.
                .args(["--max-time", &seconds, "--seed", &seed, "--workers", "1"])
                .args(["--report", "junit", "--report-junit-path"])
                .arg(&report);
            for operation in EXCLUDED_OPERATIONS {
                command.args(["--exclude-operation-id", operation]);
            }
            let output = tokio::task::spawn_blocking(move || command.env("NO_COLOR", "1").output().unwrap())
                .await
                .unwrap();
            let said = String::from_utf8_lossy(&output.stdout);
            // What the run covered shows in the test's output either way.
            let summary: Vec<&str> = said
                .lines()
                .skip_while(|line| !line.contains("SUMMARY"))
                .collect();
            println!("{backend:?} as {who}:\n{}", summary.join("\n"));
            if !output.status.success() {
                failures.push(format!(
                    "{backend:?} as {who} (seed {seed}, report {}):\n{said}\n{}",
                    report.display(),
                    String::from_utf8_lossy(&output.stderr)
                ));
            }
        }
        child.kill().unwrap();
        child.wait().unwrap();
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
