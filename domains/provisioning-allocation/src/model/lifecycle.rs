//! An allocation's lifecycle, derived from its nodes': `pending → provisioning → active →
//! releasing → released`, or `failed` with a reason. Each node moves on its own (assigned,
//! deploying, active, failed, releasing, released); the allocation's state is read off them, so
//! the two can never disagree.

pub use ingot_contracts::allocation::{AllocationState, NodePhase};

/// What happens to a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeEvent {
    Deployed,
    DeployFailed,
    ReleaseRequested,
    ReleaseCompleted,
}

/// A node's next phase, or `None` when the event does not apply (a duplicate or stale report):
/// reports may arrive twice or late, and are then ignored rather than refused.
pub fn node_transition(phase: NodePhase, event: NodeEvent) -> Option<NodePhase> {
    use NodeEvent as E;
    use NodePhase as N;
    match (phase, event) {
        (N::Deploying, E::Deployed) => Some(N::Active),
        (N::Deploying, E::DeployFailed) => Some(N::Failed),
        (N::Deploying | N::Active | N::Failed, E::ReleaseRequested) => Some(N::Releasing),
        (N::Releasing, E::ReleaseCompleted) => Some(N::Released),
        _ => None,
    }
}

/// The allocation's state from its nodes'. `ending`: a release was asked for (by the tenant, an
/// operator, expiry, the balance or KYC); `failed`: it was given up (replacements exhausted).
pub fn allocation_state_of(nodes: &[NodePhase], ending: bool, failed: bool) -> AllocationState {
    use NodePhase as N;
    let live = nodes
        .iter()
        .filter(|n| !matches!(n, N::Released | N::Failed))
        .count();
    let settled = nodes.iter().all(|n| *n == N::Released);
    if failed {
        return if settled {
            AllocationState::Failed
        } else {
            AllocationState::Releasing
        };
    }
    if ending {
        return if settled {
            AllocationState::Released
        } else {
            AllocationState::Releasing
        };
    }
    if nodes.is_empty() {
        return AllocationState::Pending;
    }
    // Not ending, a node being given back is one whose deploy failed: it no longer serves, and
    // the allocation is active once every node that does is.
    let serving: Vec<&NodePhase> = nodes
        .iter()
        .filter(|n| matches!(n, N::Deploying | N::Active))
        .collect();
    if live > 0 && !serving.is_empty() && serving.iter().all(|n| **n == N::Active) {
        AllocationState::Active
    } else {
        AllocationState::Provisioning
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use NodeEvent as E;
    use NodePhase as N;

    #[test]
    fn nodes_move_forward_only_and_stale_reports_are_ignored() {
        assert_eq!(node_transition(N::Deploying, E::Deployed), Some(N::Active));
        assert_eq!(
            node_transition(N::Active, E::Deployed),
            None,
            "a repeat changes nothing"
        );
        assert_eq!(
            node_transition(N::Released, E::Deployed),
            None,
            "a late report changes nothing"
        );
        assert_eq!(
            node_transition(N::Active, E::ReleaseRequested),
            Some(N::Releasing)
        );
        assert_eq!(
            node_transition(N::Releasing, E::ReleaseCompleted),
            Some(N::Released)
        );
        assert_eq!(
            node_transition(N::Active, E::ReleaseCompleted),
            None,
            "released only after asking"
        );
        // Every (phase, event) pair is answered; none goes backwards to deploying.
        for phase in [N::Deploying, N::Active, N::Failed, N::Releasing, N::Released] {
            for event in [
                E::Deployed,
                E::DeployFailed,
                E::ReleaseRequested,
                E::ReleaseCompleted,
            ] {
                assert_ne!(node_transition(phase, event), Some(N::Deploying));
            }
        }
    }

    #[test]
    fn the_allocation_reads_its_state_off_its_nodes() {
        assert_eq!(allocation_state_of(&[], false, false), AllocationState::Pending);
        assert_eq!(
            allocation_state_of(&[N::Active, N::Deploying], false, false),
            AllocationState::Provisioning
        );
        assert_eq!(
            allocation_state_of(&[N::Active, N::Active], false, false),
            AllocationState::Active
        );
        // A failed node awaiting its replacement keeps it provisioning.
        assert_eq!(
            allocation_state_of(&[N::Active, N::Failed, N::Deploying], false, false),
            AllocationState::Provisioning
        );
        // A failed node still being given back does not hold the allocation in provisioning
        // once its replacement is active.
        assert_eq!(
            allocation_state_of(&[N::Releasing, N::Active], false, false),
            AllocationState::Active
        );
        assert_eq!(
            allocation_state_of(&[N::Releasing, N::Deploying], false, false),
            AllocationState::Provisioning
        );
        assert_eq!(
            allocation_state_of(&[N::Releasing, N::Released], true, false),
            AllocationState::Releasing
        );
        assert_eq!(
            allocation_state_of(&[N::Released, N::Released], true, false),
            AllocationState::Released
        );
        assert_eq!(
            allocation_state_of(&[N::Released], false, true),
            AllocationState::Failed
        );
        assert_eq!(
            allocation_state_of(&[N::Releasing], false, true),
            AllocationState::Releasing
        );
    }
}
