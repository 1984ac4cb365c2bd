//! `cargo xtask test`: the README's test command and what CI runs. Makes sure PostgreSQL and
//! Redis answer (installing and starting them if needed, via .ci/services.sh), creates a throwaway
//! PostgreSQL database for the run, then runs fmt, clippy and every test.

use std::path::Path;
use std::process::Command;

use anyhow::{Context as _, bail};

use crate::run_command;

const POSTGRES_SERVER: &str = "postgres://postgres@127.0.0.1:5432";

pub fn run(root: &Path) -> anyhow::Result<()> {
    run_command(root, "bash", &[".ci/services.sh"])?;
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
    eprintln!("+ cargo test --workspace (INGOT_TEST_DATABASE_URL={POSTGRES_SERVER}/{database})");
    let status = Command::new(&cargo)
        .args(["test", "--workspace"])
        .env("INGOT_TEST_DATABASE_URL", format!("{POSTGRES_SERVER}/{database}"))
        .env("INGOT_TEST_REDIS_URL", "redis://127.0.0.1:6379")
        .current_dir(root)
        .status()
        .context("cannot run cargo test")?;
    if !status.success() {
        bail!("tests failed");
    }
    Ok(())
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
