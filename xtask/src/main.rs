//! Project tooling, run as `cargo xtask <command>`:
//!   test         the whole check: services up, throwaway database, fmt, clippy, every test
//!   codeowners   write .github/CODEOWNERS from OWNERS.toml (`--check` only compares)
//!   boundaries   check the crate graph against the domain boundary rules
//!   sdk          regenerate the Python SDK from the served OpenAPI document (`--check` only compares)
//!   fuzz         build the cargo-fuzz targets (fuzz/) and run each for a bounded time (`--seconds N`)
//!   bench        run ingotd's benches (release) at 1k/5k/20k nodes and write BENCHMARKS.md (`--quick`: smoke)
//!   rebuild-read-models   rebuild dashboard projections from the event history (`ingotd rebuild-read-models`)

mod bench;
mod boundaries;
mod codeowners;
mod fuzz;
mod sdk;
mod test;
mod tidy;

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    match args.first().map(String::as_str) {
        Some("test") => test::run(&root),
        Some("codeowners") => {
            let check = args.iter().any(|a| a == "--check");
            codeowners::run(&root, check)
        }
        Some("sdk") => sdk::run(&root, args.iter().any(|a| a == "--check")),
        Some("fuzz") => fuzz::run(&root, &args[1..]),
        Some("bench") => bench::run(&root, &args[1..]),
        Some("rebuild-read-models") => {
            // The server's own command, so it runs with the server's configuration (flags,
            // INGOT_* environment, config file) against the same database.
            let mut args_for: Vec<&str> =
                vec!["run", "--quiet", "--bin", "ingotd", "--", "rebuild-read-models"];
            args_for.extend(args.iter().skip(1).map(String::as_str));
            run_command(&root, "cargo", &args_for)
        }
        Some("boundaries") => {
            let violations = boundaries::violations(&boundaries::workspace_graph(&root)?);
            for violation in &violations {
                println!("{violation}");
            }
            if violations.is_empty() {
                println!("boundaries: clean");
                Ok(())
            } else {
                bail!("{} forbidden dependency edge(s)", violations.len())
            }
        }
        _ => {
            eprintln!(
                "usage: cargo xtask <test | codeowners [--check] | sdk [--check] | boundaries | fuzz [--seconds N] [TARGET…] | bench [--quick] [--fleet 1000,5000,20000] [BENCH…] | rebuild-read-models [NAME…] [--data-dir DIR]>"
            );
            std::process::exit(2);
        }
    }
}

/// The repository root: xtask lives one folder below it.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits inside the workspace")
        .to_path_buf()
}

/// Runs a command in `dir`, failing with its name when it fails.
pub fn run_command(dir: &Path, program: &str, args: &[&str]) -> anyhow::Result<()> {
    eprintln!("+ {program} {}", args.join(" "));
    let status = std::process::Command::new(program)
        .args(args)
        .current_dir(dir)
        .status()
        .with_context(|| format!("cannot start {program}"))?;
    if !status.success() {
        bail!("`{program} {}` failed ({status})", args.join(" "));
    }
    Ok(())
}
