//! `cargo xtask sdk`: regenerates the Python SDK (`sdks/python/ingot-client`) from the OpenAPI
//! document ingotd serves, with openapi-python-client from `.venv-sdk` (`.ci/python-sdk.sh`).
//! First the document: the server's test that compares `/openapi.json` with the committed
//! `sdks/openapi.json` rewrites the file when run with `UPDATE_SDK_DOCUMENT=1`. Then the client,
//! generated from that file. `--check` writes nothing: it generates into a temporary folder and
//! fails when the committed client differs (CI runs it; the document itself is checked by that
//! server test).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

use crate::run_command;

const CLIENT_DIR: &str = "sdks/python/ingot-client";

pub fn run(root: &Path, check: bool) -> anyhow::Result<()> {
    run_command(root, "bash", &[".ci/python-sdk.sh"])?;
    if check {
        let scratch = std::env::temp_dir().join(format!("ingot-sdk-check-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&scratch);
        generate(root, &scratch)?;
        let differences = tree_differences(&root.join(CLIENT_DIR), &scratch)?;
        let _ = std::fs::remove_dir_all(&scratch);
        if !differences.is_empty() {
            bail!(
                "the Python SDK is stale ({}): run `cargo xtask sdk` and commit sdks/",
                differences.join(", ")
            );
        }
        println!("sdk: the Python SDK matches sdks/openapi.json");
        return Ok(());
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = std::process::Command::new(&cargo)
        .args([
            "test",
            "-p",
            "ingotd",
            "--test",
            "it",
            "--",
            "python_sdk::the_committed_document",
        ])
        .env("UPDATE_SDK_DOCUMENT", "1")
        .current_dir(root)
        .status()
        .context("cannot run cargo test")?;
    if !status.success() {
        bail!("could not refresh sdks/openapi.json");
    }
    generate(root, &root.join(CLIENT_DIR))?;
    println!("sdk: {CLIENT_DIR} regenerated from sdks/openapi.json");
    Ok(())
}

/// openapi-python-client over the committed document, formatted by its ruff (both from the
/// venv, so their versions are the pinned ones).
fn generate(root: &Path, out: &Path) -> anyhow::Result<()> {
    let venv_bin = root.join(".venv-sdk/bin");
    let path = format!(
        "{}:{}",
        venv_bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = std::process::Command::new(venv_bin.join("openapi-python-client"))
        .args([
            "generate",
            "--path",
            "../openapi.json",
            "--config",
            "config.yml",
            "--meta",
            "setup",
        ])
        .arg("--output-path")
        .arg(out)
        .arg("--overwrite")
        .env("PATH", path)
        .current_dir(root.join("sdks/python"))
        .output()
        .context("cannot run openapi-python-client (bash .ci/python-sdk.sh makes it)")?;
    if !output.status.success() {
        bail!(
            "openapi-python-client failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    // ruff's cache is not part of the client.
    let _ = std::fs::remove_dir_all(out.join(".ruff_cache"));
    Ok(())
}

fn files_under(dir: &Path) -> anyhow::Result<BTreeMap<PathBuf, Vec<u8>>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in
            std::fs::read_dir(&folder).with_context(|| format!("cannot read {}", folder.display()))?
        {
            let path = entry?.path();
            if path
                .file_name()
                .is_some_and(|n| n == ".ruff_cache" || n == "__pycache__")
            {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir)?.to_path_buf();
                files.insert(relative, std::fs::read(&path)?);
            }
        }
    }
    Ok(files)
}

/// The files that are missing, extra or different between the two trees.
fn tree_differences(committed: &Path, generated: &Path) -> anyhow::Result<Vec<String>> {
    let (committed, generated) = (files_under(committed)?, files_under(generated)?);
    let mut differences = Vec::new();
    for (path, body) in &generated {
        match committed.get(path) {
            None => differences.push(format!("{} missing", path.display())),
            Some(old) if old != body => differences.push(format!("{} differs", path.display())),
            Some(_) => {}
        }
    }
    for path in committed.keys().filter(|path| !generated.contains_key(*path)) {
        differences.push(format!("{} no longer generated", path.display()));
    }
    Ok(differences)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_differences_name_missing_extra_and_changed_files() {
        let base = std::env::temp_dir().join(format!("ingot-sdk-tree-{}", std::process::id()));
        let (a, b) = (base.join("a"), base.join("b"));
        for dir in [&a, &b] {
            std::fs::create_dir_all(dir.join("pkg")).unwrap();
            std::fs::write(dir.join("pkg/same.py"), "x = 1\n").unwrap();
        }
        assert!(tree_differences(&a, &b).unwrap().is_empty());
        std::fs::write(a.join("pkg/old.py"), "").unwrap();
        std::fs::write(b.join("pkg/new.py"), "").unwrap();
        std::fs::write(b.join("pkg/same.py"), "x = 2\n").unwrap();
        let mut found = tree_differences(&a, &b).unwrap();
        found.sort();
        assert_eq!(
            found,
            [
                "pkg/new.py missing",
                "pkg/old.py no longer generated",
                "pkg/same.py differs"
            ]
        );
        std::fs::remove_dir_all(base).unwrap();
    }
}
