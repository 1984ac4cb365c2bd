//! The dependency rule of DESIGN.md §1, checked over `cargo metadata` rather than by review:
//! domain crates depend on kernel and contracts only, never on each other; ux crates never on a
//! domain; kernel and contracts on no domain (and kernel not on contracts). Dev-dependencies may
//! reach further, for tests.

use std::path::Path;

use anyhow::Context as _;

/// Which room of the house a crate's folder is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Kernel,
    Contracts,
    Domain(String),
    Ux,
    Server,
    Tool,
}

pub fn kind_of(relative_dir: &str) -> Kind {
    let parts: Vec<&str> = relative_dir.split('/').collect();
    match parts.as_slice() {
        ["kernel", ..] => Kind::Kernel,
        ["contracts", ..] => Kind::Contracts,
        ["domains", domain, ..] => Kind::Domain((*domain).to_string()),
        ["ux", ..] => Kind::Ux,
        ["server", ..] => Kind::Server,
        _ => Kind::Tool,
    }
}

/// A workspace crate and its normal and build dependencies on other workspace crates.
#[derive(Debug, Clone)]
pub struct Crate {
    pub name: String,
    pub dir: String,
    pub deps: Vec<String>,
}

pub fn workspace_graph(root: &Path) -> anyhow::Result<Vec<Crate>> {
    let output = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .current_dir(root)
        .output()
        .context("cannot run cargo metadata")?;
    anyhow::ensure!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&output.stdout)?;
    let ws_root = meta["workspace_root"].as_str().context("workspace_root")?;
    let packages = meta["packages"].as_array().context("packages")?;
    let names: Vec<&str> = packages.iter().filter_map(|p| p["name"].as_str()).collect();
    let mut crates = Vec::new();
    for package in packages {
        let manifest = package["manifest_path"].as_str().context("manifest_path")?;
        let dir = Path::new(manifest).parent().context("manifest dir")?;
        let dir = dir
            .strip_prefix(ws_root)
            .unwrap_or(dir)
            .to_string_lossy()
            .replace('\\', "/");
        let deps = package["dependencies"]
            .as_array()
            .context("dependencies")?
            .iter()
            .filter(|d| d["kind"].as_str() != Some("dev"))
            .filter_map(|d| d["name"].as_str())
            .filter(|d| names.contains(d))
            .map(String::from)
            .collect();
        crates.push(Crate {
            name: package["name"].as_str().context("name")?.to_string(),
            dir,
            deps,
        });
    }
    Ok(crates)
}

/// Every forbidden edge, as a sentence.
pub fn violations(crates: &[Crate]) -> Vec<String> {
    let kind = |name: &str| crates.iter().find(|c| c.name == name).map(|c| kind_of(&c.dir));
    let mut found = Vec::new();
    for krate in crates {
        let mine = kind_of(&krate.dir);
        for dep in &krate.deps {
            let Some(theirs) = kind(dep) else { continue };
            let reason = match (&mine, &theirs) {
                (Kind::Domain(a), Kind::Domain(b)) if a != b => Some("domains meet only through contracts"),
                (Kind::Ux, Kind::Domain(_)) => Some("UX consumes contracts, not domain crates"),
                (Kind::Kernel | Kind::Contracts, Kind::Domain(_) | Kind::Ux | Kind::Server) => {
                    Some("the shared kernel and contracts depend on no domain")
                }
                (Kind::Kernel, Kind::Contracts) => Some("kernel sits below contracts"),
                (Kind::Domain(_) | Kind::Ux, Kind::Server) => {
                    Some("only tests depend on the composition root")
                }
                _ => None,
            };
            if let Some(reason) = reason {
                found.push(format!(
                    "{} ({}) -> {dep} ({}): {reason}",
                    krate.name,
                    krate.dir,
                    crate_dir(crates, dep)
                ));
            }
        }
    }
    found
}

fn crate_dir<'a>(crates: &'a [Crate], name: &str) -> &'a str {
    crates
        .iter()
        .find(|c| c.name == name)
        .map_or("?", |c| c.dir.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn krate(name: &str, dir: &str, deps: &[&str]) -> Crate {
        Crate {
            name: name.into(),
            dir: dir.into(),
            deps: deps.iter().map(|d| d.to_string()).collect(),
        }
    }

    fn house(extra: Vec<Crate>) -> Vec<Crate> {
        let mut crates = vec![
            krate("ingot-kernel", "kernel", &[]),
            krate("ingot-contracts", "contracts", &["ingot-kernel"]),
            krate(
                "ingot-billing",
                "domains/billing",
                &["ingot-kernel", "ingot-contracts"],
            ),
            krate("ingot-iam", "domains/iam", &["ingot-kernel", "ingot-contracts"]),
            krate(
                "ingot-maas",
                "domains/provisioning-baremetal-maas",
                &["ingot-kernel"],
            ),
            krate("ingot-maas-sim", "domains/provisioning-baremetal-maas/sim", &[]),
            krate("ingot-sdk", "ux/sdk", &["ingot-contracts"]),
            krate("ingotd", "server", &["ingot-billing", "ingot-iam", "ingot-maas"]),
        ];
        crates.extend(extra);
        crates
    }

    #[test]
    fn a_clean_graph_passes() {
        assert_eq!(violations(&house(vec![])), Vec::<String>::new());
        // A domain's own sub-crate is the same domain.
        let graph = house(vec![krate(
            "ingot-maas2",
            "domains/provisioning-baremetal-maas/x",
            &["ingot-maas-sim"],
        )]);
        assert_eq!(violations(&graph), Vec::<String>::new());
    }

    #[test]
    fn each_forbidden_edge_is_caught() {
        let cases = [
            (
                krate(
                    "ingot-alloc",
                    "domains/provisioning-allocation",
                    &["ingot-billing"],
                ),
                "domains meet only through contracts",
            ),
            (
                krate("ingot-cli", "ux/cli", &["ingot-iam"]),
                "UX consumes contracts, not domain crates",
            ),
            (
                krate("ingot-kernel2", "kernel/x", &["ingot-iam"]),
                "the shared kernel and contracts depend on no domain",
            ),
            (
                krate("ingot-contracts2", "contracts/x", &["ingot-billing"]),
                "the shared kernel and contracts depend on no domain",
            ),
            (
                krate("ingot-kernel3", "kernel/y", &["ingot-contracts"]),
                "kernel sits below contracts",
            ),
            (
                krate("ingot-web", "ux/web", &["ingotd"]),
                "only tests depend on the composition root",
            ),
        ];
        for (bad, reason) in cases {
            let name = bad.name.clone();
            let found = violations(&house(vec![bad]));
            assert_eq!(found.len(), 1, "{name}: {found:?}");
            assert!(
                found[0].starts_with(&name) && found[0].ends_with(reason),
                "{found:?}"
            );
        }
    }

    #[test]
    fn the_real_workspace_is_clean() {
        let graph = workspace_graph(&crate::workspace_root()).unwrap();
        assert!(
            graph.len() >= 16,
            "every crate of DESIGN.md §1 is in the workspace: {}",
            graph.len()
        );
        assert_eq!(violations(&graph), Vec::<String>::new());
    }
}
