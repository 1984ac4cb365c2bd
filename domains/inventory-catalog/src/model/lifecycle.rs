//! A node's lifecycle: `onboarding → available ⇄ maintenance`, `quarantined`,
//! `decommissioning → retired`. Whether a node is assigned to a tenant is Allocation's, not a
//! state here.

pub use ingot_contracts::inventory::{NodeCommand, NodeState};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeTransitionError {
    pub from: NodeState,
    pub command: NodeCommand,
}

impl std::fmt::Display for NodeTransitionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "a node in state {:?} cannot take {:?}",
            self.from, self.command
        )
    }
}

/// The state after `command`, or why not.
pub fn node_transition(from: NodeState, command: NodeCommand) -> Result<NodeState, NodeTransitionError> {
    use NodeCommand::*;
    use NodeState::*;
    let to = match (from, command) {
        (Onboarding, OnboardingComplete) => Available,
        (Available, MaintenanceStart) => Maintenance,
        (Maintenance, MaintenanceEnd) => Available,
        (Onboarding | Available | Maintenance, Quarantine) => Quarantined,
        (Quarantined, QuarantineRelease) => Available,
        (Onboarding | Available | Maintenance | Quarantined, Decommission) => Decommissioning,
        (Decommissioning, DecommissionComplete) => Retired,
        _ => return Err(NodeTransitionError { from, command }),
    };
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;
    use std::fmt::Write as _;

    /// Every state × every command.
    #[test]
    fn the_whole_state_machine() {
        let mut table = String::new();
        for from in NodeState::ALL {
            for command in NodeCommand::ALL {
                if let Ok(to) = node_transition(from, command) {
                    writeln!(table, "{from:?} --{command:?}--> {to:?}").unwrap();
                }
            }
        }
        expect![[r#"
            Onboarding --OnboardingComplete--> Available
            Onboarding --Quarantine--> Quarantined
            Onboarding --Decommission--> Decommissioning
            Available --MaintenanceStart--> Maintenance
            Available --Quarantine--> Quarantined
            Available --Decommission--> Decommissioning
            Maintenance --MaintenanceEnd--> Available
            Maintenance --Quarantine--> Quarantined
            Maintenance --Decommission--> Decommissioning
            Quarantined --QuarantineRelease--> Available
            Quarantined --Decommission--> Decommissioning
            Decommissioning --DecommissionComplete--> Retired
        "#]]
        .assert_eq(&table);
    }

    #[test]
    fn retired_is_final_and_refusals_say_why() {
        for command in NodeCommand::ALL {
            assert_eq!(
                node_transition(NodeState::Retired, command),
                Err(NodeTransitionError {
                    from: NodeState::Retired,
                    command
                })
            );
        }
        let err = node_transition(NodeState::Available, NodeCommand::MaintenanceEnd).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a node in state Available cannot take MaintenanceEnd"
        );
    }
}
