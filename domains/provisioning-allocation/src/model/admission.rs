//! The admission decision: every reason a request would be refused, not only the first, so a
//! dry run can show them all.

pub use ingot_contracts::allocation::Refusal;

/// Everything the decision weighs, gathered from IAM, quotas, Billing and Inventory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Admission {
    pub asked: u32,
    pub sku: String,
    /// The KYC level allows this SKU.
    pub sku_allowed: bool,
    /// (max, running) nodes of the tenant under its KYC level.
    pub kyc_nodes: (u32, u32),
    /// (scope, max, in use) per quota that applies.
    pub quotas: Vec<(String, u32, u32)>,
    /// Billing's refusal of the new burn rate, if any.
    pub runway: Option<Refusal>,
    pub eligible: u32,
    /// `Some(largest fabric group)` when `same_fabric` was asked.
    pub fabric_largest: Option<u32>,
}

pub fn admission_decide(a: &Admission) -> Vec<Refusal> {
    let mut refusals = Vec::new();
    if !a.sku_allowed {
        refusals.push(Refusal::KycSku { sku: a.sku.clone() });
    }
    let (max, running) = a.kyc_nodes;
    if running.saturating_add(a.asked) > max {
        refusals.push(Refusal::KycNodeLimit {
            max,
            running,
            asked: a.asked,
        });
    }
    for (scope, max, in_use) in &a.quotas {
        if in_use.saturating_add(a.asked) > *max {
            refusals.push(Refusal::Quota {
                scope: scope.clone(),
                max: *max,
                in_use: *in_use,
                asked: a.asked,
            });
        }
    }
    refusals.extend(a.runway.clone());
    if a.eligible < a.asked {
        refusals.push(Refusal::Capacity {
            available: a.eligible,
            asked: a.asked,
        });
    }
    if let Some(largest) = a.fabric_largest.filter(|l| *l < a.asked) {
        refusals.push(Refusal::Placement {
            largest_group: largest,
            asked: a.asked,
        });
    }
    refusals
}

#[cfg(test)]
mod tests {
    use super::*;
    use ingot_kernel::Money;

    #[test]
    fn every_reason_is_given_not_only_the_first() {
        let ok = Admission {
            asked: 2,
            sku: "gpu-8x-h100".into(),
            sku_allowed: true,
            kyc_nodes: (8, 0),
            quotas: vec![("tenant".into(), 4, 1)],
            runway: None,
            eligible: 5,
            fabric_largest: Some(3),
        };
        assert!(admission_decide(&ok).is_empty());
        let bad = Admission {
            sku_allowed: false,
            kyc_nodes: (2, 1),
            quotas: vec![("tenant".into(), 4, 3), ("project".into(), 10, 0)],
            runway: Some(Refusal::Runway {
                hours: 24,
                needed: Money::parse("10", ingot_kernel::Currency::USD).unwrap(),
                available: Money::parse("1", ingot_kernel::Currency::USD).unwrap(),
            }),
            eligible: 1,
            fabric_largest: Some(1),
            ..ok
        };
        let reasons: Vec<String> = admission_decide(&bad)
            .iter()
            .map(|r| {
                serde_json::to_value(r).unwrap()["reason"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(
            reasons,
            [
                "kyc_sku",
                "kyc_node_limit",
                "quota",
                "runway",
                "capacity",
                "placement"
            ]
        );
    }
}
