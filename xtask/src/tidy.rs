//! Tidy checks that run as ordinary tests: every Rust file opens with a `//!` comment saying what it
//! owns, and every domain `model` stays free of IO crates.

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use crate::workspace_root;

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if name == "target" || name.to_string_lossy().starts_with('.') {
                continue;
            }
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    fn all_rust_files() -> Vec<PathBuf> {
        let root = workspace_root();
        let mut files = Vec::new();
        for top in ["kernel", "contracts", "domains", "server", "ux", "xtask"] {
            rust_files(&root.join(top), &mut files);
        }
        assert!(files.len() > 40, "found only {} files", files.len());
        files
    }

    #[test]
    fn every_file_says_what_it_owns() {
        let missing: Vec<String> = all_rust_files()
            .into_iter()
            .filter(|path| path.file_name().is_some_and(|n| n != "build.rs"))
            .filter(|path| {
                !std::fs::read_to_string(path)
                    .unwrap_or_default()
                    .starts_with("//!")
            })
            .map(|path| path.display().to_string())
            .collect();
        assert!(
            missing.is_empty(),
            "files without a leading //! comment: {missing:?}"
        );
    }

    #[test]
    fn domain_models_do_no_io() {
        const IO_CRATES: &[&str] = &[
            "sqlx::",
            "axum::",
            "tokio::",
            "reqwest::",
            "redis::",
            "std::fs",
            "std::net",
            "SystemTime",
        ];
        for path in all_rust_files() {
            let in_model = path.components().any(|c| c.as_os_str() == "model")
                || path.file_name().is_some_and(|n| n == "model.rs");
            if !in_model || !path.to_string_lossy().contains("/domains/") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for krate in IO_CRATES {
                assert!(
                    !text.contains(krate),
                    "{} mentions {krate}: model stays pure",
                    path.display()
                );
            }
        }
    }
}
