//! Clusters: names, and a cluster's state from its nodes'.

use ingot_contracts::allocation::AllocationState;
use ingot_contracts::app_platform::ClusterState;

/// The most workers a cluster has.
pub const WORKERS_MAX: u32 = 64;

pub fn cluster_name_ok(name: &str) -> bool {
    (1..=40).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A node as the cluster sees it: its allocation's state, and whether the cluster released it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeSeen {
    pub state: AllocationState,
    pub removed: bool,
}

fn ended(state: AllocationState) -> bool {
    matches!(state, AllocationState::Released | AllocationState::Failed)
}

/// The cluster's state: deleting until every node has ended, then deleted; otherwise degraded
/// when a node it did not release is failing, ending or ended, active when every live node is,
/// provisioning before.
pub fn cluster_state(deleting: bool, nodes: &[NodeSeen]) -> ClusterState {
    if deleting {
        return if nodes.iter().all(|n| ended(n.state)) {
            ClusterState::Deleted
        } else {
            ClusterState::Deleting
        };
    }
    let live: Vec<&NodeSeen> = nodes.iter().filter(|n| !n.removed).collect();
    if live
        .iter()
        .any(|n| ended(n.state) || n.state == AllocationState::Releasing)
    {
        ClusterState::Degraded
    } else if !live.is_empty() && live.iter().all(|n| n.state == AllocationState::Active) {
        ClusterState::Active
    } else {
        ClusterState::Provisioning
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AllocationState::*;

    fn seen(state: AllocationState, removed: bool) -> NodeSeen {
        NodeSeen { state, removed }
    }

    #[test]
    fn a_clusters_state_follows_its_nodes() {
        assert_eq!(
            cluster_state(false, &[seen(Active, false), seen(Provisioning, false)]),
            ClusterState::Provisioning
        );
        assert_eq!(
            cluster_state(false, &[seen(Active, false), seen(Active, false)]),
            ClusterState::Active
        );
        // A worker the cluster scaled away does not degrade it, one that failed does.
        assert_eq!(
            cluster_state(false, &[seen(Active, false), seen(Releasing, true)]),
            ClusterState::Active
        );
        assert_eq!(
            cluster_state(false, &[seen(Active, false), seen(Failed, false)]),
            ClusterState::Degraded
        );
        assert_eq!(
            cluster_state(false, &[seen(Active, false), seen(Released, false)]),
            ClusterState::Degraded
        );
        assert_eq!(
            cluster_state(true, &[seen(Releasing, true), seen(Released, true)]),
            ClusterState::Deleting
        );
        assert_eq!(
            cluster_state(true, &[seen(Failed, true), seen(Released, true)]),
            ClusterState::Deleted
        );
    }

    #[test]
    fn names_are_short_lowercase_words() {
        assert!(cluster_name_ok("lab-1"));
        assert!(!cluster_name_ok("Lab"));
        assert!(!cluster_name_ok("1lab"));
        assert!(!cluster_name_ok(""));
        assert!(!cluster_name_ok(&"a".repeat(41)));
    }
}
