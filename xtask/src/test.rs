//! `cargo xtask test`: the README's test command and what CI runs. Makes sure PostgreSQL and
//! Redis answer (installing and starting them if needed, via .ci/services.sh), that python-libmaas
//! is installed for the MAAS simulator's faithfulness test (.ci/libmaas.sh), the Python SDK's
//! generator (.ci/python-sdk.sh), schemathesis (.ci/api-fuzz.sh), cargo-deny and cargo-fuzz
//! (.ci/cargo-tools.sh), creates a throwaway PostgreSQL database for the run, then
//! runs fmt, clippy, cargo deny's licence, ban and source checks, every test, and every fuzz
//! target for a bounded time (`cargo xtask fuzz`).

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context as _, bail};

use crate::run_command;

const POSTGRES_SERVER: &str = "postgres://postgres@127.0.0.1:5432";

pub fn run(root: &Path) -> anyhow::Result<()> {
    run_command(root, "bash", &[".ci/services.sh"])?;
    // MAAS's official Python client, which the simulator's faithfulness test drives.
    run_command(root, "bash", &[".ci/libmaas.sh"])?;
    // The Python SDK's generator and runtime: its journey test and the staleness check use them.
    run_command(root, "bash", &[".ci/python-sdk.sh"])?;
    // schemathesis, which fuzzes the HTTP API from its OpenAPI document.
    run_command(root, "bash", &[".ci/api-fuzz.sh"])?;
    // cargo-deny, for the dependency policy in deny.toml; cargo-fuzz, for fuzz/'s targets.
    run_command(root, "bash", &[".ci/cargo-tools.sh"])?;
    let database = format!("ingot_ci_{}", std::process::id());
    psql(&format!("DROP DATABASE IF EXISTS {database}"))?;
    psql(&format!("CREATE DATABASE {database}"))?;
    let outcome = checks(root, &database);
    // The throwaway database, and the per-test databases made from it, go whatever happened.
    let _ = psql(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"));
    outcome
}

fn checks(root: &Path, database: &str) -> anyhow::Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    run_command(root, &cargo, &["fmt", "--all", "--", "--check"])?;
    run_command(
        root,
        &cargo,
        &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"],
    )?;
    // The dependency graph against deny.toml: licences, banned crates, sources (offline: the
    // advisory database needs the network, and is a release step in docs/deploy.md). It reads
    // every platform's crates, while a build downloads only this one's: fetch them all first (a
    // fresh machine has none of the Windows-only ones).
    run_command(root, &cargo, &["fetch", "--locked"])?;
    run_command(
        root,
        &cargo,
        &[
            "deny",
            "--locked",
            "--offline",
            "check",
            "licenses",
            "bans",
            "sources",
        ],
    )?;
    // Examples as programs under their own names (docs/sdk.md's walk-through is one; a test runs
    // it): `cargo test` builds them only under hashed names.
    run_command(root, &cargo, &["build", "--workspace", "--examples"])?;
    // The committed Python SDK is what the committed OpenAPI document generates (the document
    // itself is compared with the served one by a server test).
    crate::sdk::run(root, true)?;
    // The browser tests run on their own, after the rest: Chromium's rendering on two cores
    // starves the other tests' servers (see ARCHITECTURE's known gaps on SQLite under load).
    // Both runs select the whole workspace, so features unify alike and nothing is rebuilt.
    let mut totals = Totals::default();
    let everything_else = cargo_test(
        root,
        &cargo,
        database,
        &[
            "test",
            "--workspace",
            "--all-targets",
            "--no-fail-fast",
            "--",
            "--skip",
            BROWSER_TESTS,
            "--skip",
            API_FUZZ_TESTS,
            "--skip",
            REPLICA_TESTS,
            "--skip",
            FAULT_TESTS,
        ],
        &mut totals,
    )?;
    let browser = cargo_test(
        root,
        &cargo,
        database,
        &[
            "test",
            "--workspace",
            "--test",
            "it",
            "--no-fail-fast",
            "--",
            BROWSER_TESTS,
        ],
        &mut totals,
    )?;
    // The API fuzzer and the replicas under load keep both cores busy, and the faults stop the
    // shared PostgreSQL and Redis: alone, one at a time.
    let fuzz = cargo_test(
        root,
        &cargo,
        database,
        &[
            "test",
            "--workspace",
            "--test",
            "it",
            "--no-fail-fast",
            "--",
            API_FUZZ_TESTS,
            REPLICA_TESTS,
            FAULT_TESTS,
            // The fault tests are #[ignore]d so that a plain `cargo test` never runs them.
            "--include-ignored",
            "--test-threads",
            "1",
        ],
        &mut totals,
    )?;
    // Examples in the docs compile (`--all-targets` leaves doctests out).
    let doctests = cargo_test(
        root,
        &cargo,
        database,
        &["test", "--workspace", "--doc"],
        &mut totals,
    )?;
    println!("tests: {} passed, {} failed", totals.passed, totals.failed);
    // Every parser of outside input under libFuzzer, each for a bounded time from its seeds.
    let fuzzed = crate::fuzz::run(root, &["--seconds".into(), FUZZ_SECONDS.into()]);
    if let Err(err) = &fuzzed {
        println!("fuzz: {err:#}");
    }
    let screenshots = root.join("target/browser-screenshots");
    if let Ok(entries) = std::fs::read_dir(&screenshots) {
        println!(
            "browser screenshots: {} in {}",
            entries.count(),
            screenshots.display()
        );
    }
    if !everything_else || !browser || !fuzz || !doctests || fuzzed.is_err() || totals.failed > 0 {
        bail!("tests failed");
    }
    if totals.passed == 0 {
        bail!("no test ran");
    }
    Ok(())
}

/// The web app's tests in Chromium: `server/tests/it/web.rs` (test names `web::…`).
const BROWSER_TESTS: &str = "web::";

/// How long `cargo xtask test` runs each cargo-fuzz target.
const FUZZ_SECONDS: &str = "15";

/// schemathesis against live servers: `server/tests/it/api_fuzz.rs`.
const API_FUZZ_TESTS: &str = "api_fuzz::";

/// Three replicas, a MAAS simulator and a load with a SIGKILL: `server/tests/it/replicas.rs`.
const REPLICA_TESTS: &str = "replicas::";

/// PostgreSQL and Redis stopped and started, SQLite out of room: `server/tests/it/faults.rs`.
/// They stop the services every other test uses, so they run alone.
const FAULT_TESTS: &str = "faults::";

/// Runs one `cargo test`, passing its output through and adding up its per-binary summaries;
/// whether it succeeded.
fn cargo_test(
    root: &Path,
    cargo: &str,
    database: &str,
    args: &[&str],
    totals: &mut Totals,
) -> anyhow::Result<bool> {
    eprintln!(
        "+ cargo {} (INGOT_TEST_DATABASE_URL={POSTGRES_SERVER}/{database})",
        args.join(" ")
    );
    let mut child = Command::new(cargo)
        .args(args)
        .env("INGOT_TEST_DATABASE_URL", format!("{POSTGRES_SERVER}/{database}"))
        .env("INGOT_TEST_REDIS_URL", "redis://127.0.0.1:6379")
        .env("INGOT_LIBMAAS_PYTHON", root.join(".venv-libmaas/bin/python"))
        .env("INGOT_SDK_PYTHON", root.join(".venv-sdk/bin/python"))
        .env(
            "INGOT_FUZZ_SCHEMATHESIS",
            root.join(".venv-fuzz/bin/schemathesis"),
        )
        .current_dir(root)
        .stdout(Stdio::piped())
        .spawn()
        .context("cannot run cargo test")?;
    let stdout = child.stdout.take().context("cargo test stdout")?;
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        println!("{line}");
        totals.add(&line);
    }
    Ok(child.wait()?.success())
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Totals {
    passed: u64,
    failed: u64,
}

impl Totals {
    /// Reads libtest's `test result: ok. 5 passed; 0 failed; …` lines.
    fn add(&mut self, line: &str) {
        let Some(rest) = line.strip_prefix("test result: ") else {
            return;
        };
        for part in rest.split(';') {
            let mut words = part.split_whitespace().rev();
            let (Some(what), Some(count)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(count) = count.parse::<u64>() else { continue };
            match what {
                "passed" => self.passed += count,
                "failed" => self.failed += count,
                _ => {}
            }
        }
    }
}

fn psql(sql: &str) -> anyhow::Result<()> {
    let status = Command::new("psql")
        .args([
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-v",
            "ON_ERROR_STOP=1",
            "-q",
            "-c",
            sql,
        ])
        .status()
        .context("cannot run psql (is postgresql-client installed?)")?;
    if !status.success() {
        bail!("psql failed: {sql}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_add_up_libtest_summaries() {
        let mut totals = Totals::default();
        totals.add(
            "test result: ok. 30 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s",
        );
        totals.add("test result: FAILED. 18 passed; 3 failed; 0 ignored; 0 measured; 0 filtered out; finished in 30.26s");
        totals.add("test money::tests::parse_whole ... ok");
        assert_eq!(
            totals,
            Totals {
                passed: 48,
                failed: 3
            }
        );
    }
}
