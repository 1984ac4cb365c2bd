//! KYC as a state machine (unverified → submitted → verified | rejected; verified → revoked;
//! rejected and revoked tenants may submit again) and the policy table of limits per level.

use ingot_contracts::iam::{KycDecision, KycLevel, KycState};
use ingot_kernel::{Currency, Money};

/// Bumped whenever `policy_for` changes.
pub const KYC_POLICY_VERSION: u32 = 1;

/// Limits of one level: (max concurrent nodes, max top-up per day in whole USD, allowed SKUs).
pub fn policy_for(level: KycLevel) -> (u32, Money, Vec<String>) {
    let usd = |units: i64| Money::from_micros(units * 1_000_000, Currency::USD);
    match level {
        KycLevel::None => (0, usd(500), Vec::new()),
        KycLevel::Basic => (4, usd(5_000), vec!["cpu-*".into(), "gpu-1x-*".into()]),
        KycLevel::Full => (64, usd(100_000), vec!["*".into()]),
    }
}

/// A move the state machine refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KycTransitionError {
    pub from: KycState,
}

/// The state after a submission.
pub fn kyc_submit(from: KycState) -> Result<KycState, KycTransitionError> {
    match from {
        KycState::Unverified | KycState::Rejected | KycState::Revoked => Ok(KycState::Submitted),
        KycState::Submitted | KycState::Verified => Err(KycTransitionError { from }),
    }
}

/// The state and level after a reviewer's (or provider's) decision.
pub fn kyc_decide(
    from: KycState,
    decision: KycDecision,
    level: Option<KycLevel>,
) -> Result<(KycState, KycLevel), KycTransitionError> {
    match (from, decision) {
        (KycState::Submitted, KycDecision::Verify) => match level {
            Some(level @ (KycLevel::Basic | KycLevel::Full)) => Ok((KycState::Verified, level)),
            _ => Err(KycTransitionError { from }),
        },
        (KycState::Submitted, KycDecision::Reject) => Ok((KycState::Rejected, KycLevel::None)),
        (KycState::Verified, KycDecision::Revoke) => Ok((KycState::Revoked, KycLevel::None)),
        _ => Err(KycTransitionError { from }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;
    use std::fmt::Write as _;

    #[test]
    fn every_move_of_the_state_machine() {
        let states = [
            KycState::Unverified,
            KycState::Submitted,
            KycState::Verified,
            KycState::Rejected,
            KycState::Revoked,
        ];
        let mut table = String::new();
        for from in states {
            writeln!(
                table,
                "{from:?} submit -> {:?}",
                kyc_submit(from).map_err(|_| "refused")
            )
            .unwrap();
            for (decision, level) in [
                (KycDecision::Verify, Some(KycLevel::Full)),
                (KycDecision::Verify, None),
                (KycDecision::Reject, None),
                (KycDecision::Revoke, None),
            ] {
                let outcome = kyc_decide(from, decision, level).map_err(|_| "refused");
                writeln!(table, "{from:?} {decision:?}/{level:?} -> {outcome:?}").unwrap();
            }
        }
        expect![[r#"
            Unverified submit -> Ok(Submitted)
            Unverified Verify/Some(Full) -> Err("refused")
            Unverified Verify/None -> Err("refused")
            Unverified Reject/None -> Err("refused")
            Unverified Revoke/None -> Err("refused")
            Submitted submit -> Err("refused")
            Submitted Verify/Some(Full) -> Ok((Verified, Full))
            Submitted Verify/None -> Err("refused")
            Submitted Reject/None -> Ok((Rejected, None))
            Submitted Revoke/None -> Err("refused")
            Verified submit -> Err("refused")
            Verified Verify/Some(Full) -> Err("refused")
            Verified Verify/None -> Err("refused")
            Verified Reject/None -> Err("refused")
            Verified Revoke/None -> Ok((Revoked, None))
            Rejected submit -> Ok(Submitted)
            Rejected Verify/Some(Full) -> Err("refused")
            Rejected Verify/None -> Err("refused")
            Rejected Reject/None -> Err("refused")
            Rejected Revoke/None -> Err("refused")
            Revoked submit -> Ok(Submitted)
            Revoked Verify/Some(Full) -> Err("refused")
            Revoked Verify/None -> Err("refused")
            Revoked Reject/None -> Err("refused")
            Revoked Revoke/None -> Err("refused")
        "#]]
        .assert_eq(&table);
    }

    #[test]
    fn higher_levels_allow_more() {
        let (none_nodes, none_top_up, none_skus) = policy_for(KycLevel::None);
        let (basic_nodes, basic_top_up, _) = policy_for(KycLevel::Basic);
        let (full_nodes, full_top_up, full_skus) = policy_for(KycLevel::Full);
        assert!(none_nodes < basic_nodes && basic_nodes < full_nodes);
        assert!(none_top_up.micros() < basic_top_up.micros() && basic_top_up.micros() < full_top_up.micros());
        assert!(none_skus.is_empty() && full_skus == ["*"]);
    }
}
