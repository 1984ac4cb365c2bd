//! Which nodes, at which site: all-or-nothing choices over Inventory's eligible nodes.

use std::collections::BTreeMap;

use ingot_kernel::id::{NodeId, SiteId};

/// An eligible node as placement sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub node_id: NodeId,
    pub hostname: String,
    pub fabric_group: Option<String>,
}

impl From<&ingot_contracts::inventory::EligibleNode> for Candidate {
    fn from(node: &ingot_contracts::inventory::EligibleNode) -> Candidate {
        Candidate {
            node_id: node.node_id,
            hostname: node.hostname.clone(),
            fabric_group: node.fabric_group.clone(),
        }
    }
}

/// `count` nodes from one fabric group, or `None` when no group has that many. The smallest
/// group that fits is used (large groups stay whole for large requests); ties by group name;
/// within a group, hostname order.
pub fn fabric_pick(candidates: &[Candidate], count: usize) -> Option<Vec<NodeId>> {
    let mut groups: BTreeMap<&str, Vec<&Candidate>> = BTreeMap::new();
    for candidate in candidates {
        if let Some(group) = &candidate.fabric_group {
            groups.entry(group.as_str()).or_default().push(candidate);
        }
    }
    let (_, mut chosen) = groups
        .into_iter()
        .filter(|(_, members)| members.len() >= count)
        .min_by_key(|(name, members)| (members.len(), *name))?;
    chosen.sort_by(|a, b| a.hostname.cmp(&b.hostname));
    Some(chosen.into_iter().take(count).map(|c| c.node_id).collect())
}

/// The site to serve a request of `count` nodes when none was named: among the sites with at
/// least `count` eligible nodes, the one with the most (it keeps the others' spare capacity);
/// ties by site id. `None`: no single site can serve it.
pub fn site_pick(eligible_per_site: &[(SiteId, usize)], count: usize) -> Option<SiteId> {
    eligible_per_site
        .iter()
        .filter(|(_, n)| *n >= count)
        .max_by(|(a_site, a), (b_site, b)| a.cmp(b).then_with(|| b_site.to_string().cmp(&a_site.to_string())))
        .map(|(site, _)| *site)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(host: &str, group: Option<&str>) -> Candidate {
        Candidate {
            node_id: NodeId::generate(),
            hostname: host.into(),
            fabric_group: group.map(String::from),
        }
    }

    #[test]
    fn same_fabric_takes_the_smallest_group_that_fits_or_refuses() {
        let nodes = vec![
            node("a1", Some("ib1")),
            node("a2", Some("ib1")),
            node("a3", Some("ib1")),
            node("a4", Some("ib1")),
            node("b2", Some("ib2")),
            node("b1", Some("ib2")),
            node("c1", None),
        ];
        let two = fabric_pick(&nodes, 2).unwrap();
        assert_eq!(
            two,
            vec![nodes[5].node_id, nodes[4].node_id],
            "ib2 fits; hostname order"
        );
        let three = fabric_pick(&nodes, 3).unwrap();
        assert_eq!(three.len(), 3);
        assert!(three.iter().all(|id| nodes[..4].iter().any(|n| n.node_id == *id)));
        assert_eq!(fabric_pick(&nodes, 5), None, "no group of five");
    }

    #[test]
    fn with_no_site_named_the_roomiest_site_that_can_serve_it_all() {
        let (a, b, c) = (SiteId::generate(), SiteId::generate(), SiteId::generate());
        assert_eq!(site_pick(&[(a, 2), (b, 6), (c, 4)], 3), Some(b));
        assert_eq!(
            site_pick(&[(a, 2), (b, 1)], 3),
            None,
            "nodes are never split over sites"
        );
    }
}
