//! `cargo xtask fuzz [--seconds N] [TARGET…]`: builds the cargo-fuzz targets in `fuzz/` once and
//! runs each for a bounded time (default 20 s) from its committed seeds (`fuzz/seeds/TARGET/`),
//! with a fixed libFuzzer seed so a run repeats. What it finds is kept under `target/fuzz/`: the
//! growing corpus in `corpus/TARGET/`, and a crashing input in `artifacts/TARGET/`, named in
//! the failure with the command that replays it.
//!
//! cargo-fuzz needs a nightly compiler's `-Z` flags; the machine has one stable toolchain, so
//! the build runs with `RUSTC_BOOTSTRAP=1`, which only unlocks those flags for this build.

use std::path::Path;
use std::process::Command;

use anyhow::{Context as _, bail};

const DEFAULT_SECONDS: u32 = 20;

pub fn run(root: &Path, args: &[String]) -> anyhow::Result<()> {
    let mut seconds = DEFAULT_SECONDS;
    let mut chosen = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--seconds" => {
                seconds = rest
                    .next()
                    .and_then(|n| n.parse().ok())
                    .context("--seconds takes a whole number")?;
            }
            target => chosen.push(target.to_string()),
        }
    }
    let listed = cargo_fuzz(root, &["list"])
        .output()
        .context("cannot run cargo fuzz")?;
    if !listed.status.success() {
        bail!("`cargo fuzz list` failed: install cargo-fuzz (bash .ci/cargo-tools.sh)");
    }
    let targets: Vec<String> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    if let Some(unknown) = chosen.iter().find(|t| !targets.contains(t)) {
        bail!("no fuzz target {unknown}; there are: {}", targets.join(", "));
    }
    let targets = if chosen.is_empty() { targets } else { chosen };
    // One build for all of them (`cargo fuzz build` builds every target), then bounded runs.
    let built = cargo_fuzz(root, &["build", "--dev"]).status()?;
    if !built.success() {
        bail!("`cargo fuzz build` failed");
    }
    let mut failed = Vec::new();
    for target in &targets {
        let corpus = root.join("target/fuzz/corpus").join(target);
        let artifacts = root.join("target/fuzz/artifacts").join(target);
        let seeds = root.join("fuzz/seeds").join(target);
        std::fs::create_dir_all(&corpus)?;
        std::fs::create_dir_all(&artifacts)?;
        let mut args: Vec<String> = vec!["run".into(), "--dev".into(), target.clone()];
        args.push(corpus.display().to_string());
        if seeds.is_dir() {
            args.push(seeds.display().to_string());
        }
        args.extend([
            "--".into(),
            format!("-max_total_time={seconds}"),
            "-seed=1".into(),
            "-print_final_stats=1".into(),
            format!("-artifact_prefix={}/", artifacts.display()),
        ]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        eprintln!("+ cargo fuzz {}", args.join(" "));
        let status = cargo_fuzz(root, &args).status()?;
        if status.success() {
            println!("fuzz: {target}: no crash in {seconds} s");
        } else {
            println!(
                "fuzz: {target}: FAILED; the input is in {} (replay: RUSTC_BOOTSTRAP=1 cargo fuzz run --dev {target} FILE)",
                artifacts.display()
            );
            failed.push(target.clone());
        }
    }
    if !failed.is_empty() {
        bail!("fuzz targets failed: {}", failed.join(", "));
    }
    Ok(())
}

fn cargo_fuzz(root: &Path, args: &[&str]) -> Command {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .arg("fuzz")
        .args(args)
        .env("RUSTC_BOOTSTRAP", "1")
        // The fuzz crate's own build directory, apart from the workspace's target/.
        .env("CARGO_TARGET_DIR", root.join("target/fuzz/build"))
        .current_dir(root);
    command
}
