//! Every alert rule links to a section of its context's runbook, and every SEV-1 context of
//! OWNERS.toml has a runbook: the files under `docs/runbooks/` are read as shipped.

// Tests fail by panicking.
#![allow(clippy::unwrap_used)]

use ingot_contracts::operations::Severity;
use ingot_operations::model::{
    OWNERS_TOML, RULES, RUNBOOKS, heading_anchor, ownership_registry_parse, severity_of,
};

fn anchors_of(file: &str) -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let text = std::fs::read_to_string(root.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    text.lines()
        .filter_map(|line| line.strip_prefix("## ").or_else(|| line.strip_prefix("# ")))
        .map(heading_anchor)
        .collect()
}

#[test]
fn every_alert_links_to_a_runbook_section_and_every_sev1_context_has_a_runbook() {
    for rule in RULES {
        let (file, anchor) = rule.runbook.split_once('#').unwrap();
        assert!(
            anchors_of(file).contains(&anchor.to_string()),
            "alert {}: {file} has no section #{anchor}",
            rule.key
        );
        assert!(
            RUNBOOKS
                .iter()
                .any(|(context, path)| *context == rule.context && *path == file),
            "alert {}: its runbook is not its context's ({})",
            rule.key,
            rule.context
        );
    }
    let registry = ownership_registry_parse(OWNERS_TOML).unwrap();
    for context in registry
        .contexts
        .iter()
        .filter(|c| severity_of(c) == Severity::Sev1)
    {
        let (_, file) = RUNBOOKS
            .iter()
            .find(|(name, _)| *name == context.name)
            .unwrap_or_else(|| panic!("SEV-1 context {} has no runbook", context.name));
        assert!(!anchors_of(file).is_empty(), "{file} has no sections");
    }
}

#[test]
fn anchors_are_made_as_github_makes_them() {
    assert_eq!(heading_anchor("Site unreachable"), "site-unreachable");
    assert_eq!(
        heading_anchor("Security Controls & Reviews runbook (SEV-1)"),
        "security-controls--reviews-runbook-sev-1"
    );
}
