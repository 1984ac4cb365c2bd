//! docs/cli.md's five-minute tutorial, run as written: its ```sh tutorial blocks, in order, in one
//! bash with `set -euo pipefail`, against a live `ingotd serve` on the embedded default, with the
//! freshly built `ingot` and `ingotd` first on PATH and a home folder of its own.

use std::path::Path;
use std::time::Duration;

fn tutorial_script(markdown: &str) -> String {
    let mut script = String::from("set -euo pipefail\n");
    let mut inside = false;
    for line in markdown.lines() {
        if inside {
            if line.trim_start().starts_with("```") {
                inside = false;
            } else {
                script.push_str(line);
                script.push('\n');
            }
        } else if line.trim() == "```sh tutorial" {
            inside = true;
        }
    }
    script
}

#[test]
fn only_the_tutorial_blocks_are_taken() {
    let markdown = "```sh\nnot this\n```\ntext\n```sh tutorial\nfirst\n```\n```sh tutorial\nsecond\n```\n";
    assert_eq!(tutorial_script(markdown), "set -euo pipefail\nfirst\nsecond\n");
}

#[tokio::test]
async fn the_cli_tutorial_runs_as_written() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let script = tutorial_script(&std::fs::read_to_string(root.join("docs/cli.md")).unwrap());
    assert!(script.lines().count() > 10, "the tutorial has steps: {script}");
    let bin = Path::new(env!("CARGO_BIN_EXE_ingotd"))
        .parent()
        .unwrap()
        .to_path_buf();
    assert!(
        bin.join("ingot").exists(),
        "{} is missing: build it (cargo build --bin ingot; cargo xtask test does)",
        bin.join("ingot").display()
    );
    let dir = std::env::temp_dir().join(format!("ingot-tutorial-{}", ingot_kernel::id::new_ulid()));
    std::fs::create_dir_all(dir.join("home")).unwrap();
    let (mut child, address) = super::ingotd_spawn(&dir, &[]);
    let url = format!("http://{address}");
    // The reader waits until machines are on sale ("the simulated machines take a few seconds").
    let mut tick = tokio::time::interval(Duration::from_millis(200));
    let mut on_sale = false;
    for _ in 0..300 {
        tick.tick().await;
        let offers: serde_json::Value =
            match super::http().get(format!("{url}/v1/catalog/offers")).send().await {
                Ok(response) => response.json().await.unwrap_or_default(),
                Err(_) => continue,
            };
        if offers.as_array().is_some_and(|offers| {
            offers
                .iter()
                .any(|o| o["sku"] == "cpu-64c" && o["available"].as_u64() > Some(0))
        }) {
            on_sale = true;
            break;
        }
    }
    assert!(on_sale, "cpu-64c never went on sale");
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let run = {
        let dir = dir.clone();
        tokio::task::spawn_blocking(move || {
            let mut command = std::process::Command::new("bash");
            command
                .args(["-c", &script])
                .current_dir(&dir)
                .env("HOME", dir.join("home"))
                .env("PATH", path)
                .env("INGOT_SERVER", &url)
                .env_remove("XDG_CONFIG_HOME")
                .env_remove("INGOT_TOKEN")
                .env_remove("INGOT_PROFILE");
            for (key, _) in std::env::vars().filter(|(k, _)| k.starts_with("INGOT_") && k != "INGOT_SERVER") {
                command.env_remove(key);
            }
            command.output().unwrap()
        })
    };
    let output = run.await.unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the tutorial stopped:\n{stdout}\n{stderr}"
    );
    // What the reader sees at the end: the machine's cost in the ledger.
    assert!(
        stdout.contains("cpu-64c"),
        "the catalog and the allocation show: {stdout}"
    );
    assert!(stdout.contains("100"), "the top-up is in the ledger: {stdout}");
}

/// docs/sdk.md's Rust walk-through is `ux/sdk/examples/five_minutes.rs`, word for word, and it
/// runs against a live `ingotd serve`.
#[tokio::test]
async fn the_rust_sdk_walkthrough_is_the_example_and_runs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let guide = std::fs::read_to_string(root.join("docs/sdk.md")).unwrap();
    let shown = guide
        .split("```rust\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("docs/sdk.md has a Rust example");
    let example = std::fs::read_to_string(root.join("ux/sdk/examples/five_minutes.rs")).unwrap();
    assert_eq!(
        shown, example,
        "docs/sdk.md shows ux/sdk/examples/five_minutes.rs as it is"
    );
    let program = Path::new(env!("CARGO_BIN_EXE_ingotd"))
        .parent()
        .unwrap()
        .join("examples/five_minutes");
    assert!(
        program.exists(),
        "{} is missing: build it (cargo build --workspace --examples; cargo xtask test does)",
        program.display()
    );
    let dir = std::env::temp_dir().join(format!("ingot-sdk-example-{}", ingot_kernel::id::new_ulid()));
    std::fs::create_dir_all(&dir).unwrap();
    let (mut child, address) = super::ingotd_spawn(&dir, &[]);
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(program)
            .env("INGOT_SERVER", format!("http://{address}"))
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success()
            && printed.contains("cpu-64c at demo1")
            && printed.trim_end().ends_with("grace@example.com"),
        "{printed}{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Every `ingot …` and `ingotd …` command the runbooks and the deploy guide quote exists, with
/// the flags they give it: a person paged at night copies them as written.
#[test]
fn the_commands_the_runbooks_quote_exist_with_their_flags() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let bin = Path::new(env!("CARGO_BIN_EXE_ingotd"))
        .parent()
        .unwrap()
        .to_path_buf();
    let mut files: Vec<_> = std::fs::read_dir(root.join("docs/runbooks"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.push(root.join("docs/deploy.md"));
    files.sort();
    let mut checked = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap().replace('\n', " ");
        // Inline code spans only (a fenced block opens with three backticks).
        for (i, span) in text.split('`').enumerate() {
            if i % 2 == 0 || !(span.starts_with("ingot ") || span.starts_with("ingotd ")) {
                continue;
            }
            let words: Vec<&str> = span.split_whitespace().collect();
            let program = words[0];
            // Subcommands: lowercase words up to the first argument, placeholder or flag;
            // `credit|charge` names two.
            let mut paths: Vec<Vec<String>> = vec![Vec::new()];
            let mut rest = &words[1..];
            while let Some(word) = rest.first() {
                let is_command = word
                    .split('|')
                    .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
                    && !word.starts_with('-');
                if !is_command {
                    break;
                }
                paths = paths
                    .iter()
                    .flat_map(|path| {
                        word.split('|').map(move |w| {
                            let mut path = path.clone();
                            path.push(w.to_string());
                            path
                        })
                    })
                    .collect();
                rest = &rest[1..];
            }
            let flags: Vec<&str> = rest
                .iter()
                .filter(|w| w.starts_with("--"))
                .map(|w| {
                    w.split('=')
                        .next()
                        .unwrap()
                        .trim_end_matches(['"', ',', '.', ')'])
                })
                .collect();
            for path in paths {
                let output = std::process::Command::new(bin.join(program))
                    .args(&path)
                    .arg("--help")
                    .output()
                    .unwrap();
                let help = String::from_utf8_lossy(&output.stdout);
                assert!(
                    output.status.success(),
                    "{}: `{span}`: `{program} {}` is not a command",
                    file.display(),
                    path.join(" ")
                );
                for flag in &flags {
                    assert!(
                        help.contains(&format!("{flag} "))
                            || help.contains(&format!("{flag}\n"))
                            || help.contains(&format!("{flag}=")),
                        "{}: `{span}`: `{program} {}` has no {flag}",
                        file.display(),
                        path.join(" ")
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(
        checked > 30,
        "only {checked} commands found: is the parsing right?"
    );
}
