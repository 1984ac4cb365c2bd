//! Operations model: the ownership registry as shipped in OWNERS.toml, and readiness verdicts.
//! No IO here: the file is compiled in.

use ingot_contracts::operations::{CheckResult, OwnershipRegistry};

/// OWNERS.toml as built into this binary.
pub const OWNERS_TOML: &str = include_str!("../../../OWNERS.toml");

/// Parses and checks an OWNERS.toml text.
pub fn ownership_registry_parse(text: &str) -> Result<OwnershipRegistry, String> {
    let registry: OwnershipRegistry = toml::from_str(text).map_err(|e| e.to_string())?;
    registry.check()?;
    Ok(registry)
}

/// `ok` only when every check passed.
pub fn readiness_status(checks: &[CheckResult]) -> &'static str {
    if checks.iter().all(|check| check.ok) {
        "ok"
    } else {
        "unavailable"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_owners_file_is_valid_and_complete() {
        let registry = ownership_registry_parse(OWNERS_TOML).unwrap();
        for context in [
            "IAM",
            "Billing",
            "Provisioning.Allocation",
            "Provisioning.BareMetal.MAAS",
            "Inventory.Catalog",
            "App Platform",
            "UX",
            "Operations",
            "Read Models",
            "Security Controls & Reviews",
        ] {
            assert!(
                registry.contexts.iter().any(|c| c.name == context),
                "{context} missing"
            );
        }
        let maas = registry
            .owner_of("domains/provisioning-baremetal-maas/sim/src/lib.rs")
            .unwrap();
        assert_eq!(
            (maas.primary.as_str(), maas.on_call_severity.as_str()),
            ("infra-sre", "SEV-1")
        );
        assert_eq!(
            registry.owner_of("contracts/src/billing.rs").unwrap().name,
            "Billing"
        );
        assert_eq!(
            registry.owner_of("contracts/src/lib.rs").unwrap().name,
            "Shared Kernel"
        );
    }

    #[test]
    fn a_rule_without_its_reviewer_is_refused() {
        let broken = OWNERS_TOML.replace(
            "required_reviewers = [\"platform-lead\", \"backend-engineer\"]\n\n[[contexts]]\nname = \"Provisioning.Allocation\"",
            "required_reviewers = [\"backend-engineer\"]\n\n[[contexts]]\nname = \"Provisioning.Allocation\"",
        );
        assert_ne!(broken, OWNERS_TOML, "the fixture edit must apply");
        let err = ownership_registry_parse(&broken).unwrap_err();
        assert!(err.contains("Billing") && err.contains("platform-lead"), "{err}");
    }

    #[test]
    fn unknown_keys_are_refused() {
        let err = ownership_registry_parse(&format!("{OWNERS_TOML}\nsurprise = 1\n")).unwrap_err();
        assert!(err.contains("surprise"), "{err}");
    }
}
