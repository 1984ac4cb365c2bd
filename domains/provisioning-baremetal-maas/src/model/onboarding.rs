//! What onboarding does with a machine it sees in the region.

use crate::client::wire::status;

/// The next step for one machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OnboardingStep {
    /// Start commissioning (a NEW machine, policy allowing).
    Commission,
    /// NEW, and the policy waits for an operator.
    AwaitOperator,
    /// Commissioning (or its tests) still running.
    Wait,
    /// Commissioned: read its hardware and hand it to Inventory.
    Register,
    /// Commissioning failed: report MAAS's message, once.
    ReportFailure,
    /// Not onboarding's business (already registered and owned by a workload, broken, …).
    Skip,
}

/// Decides the step from the machine's status, whether Inventory has a node for it and has it
/// onboarded (on sale), and whether the site commissions new machines by itself.
pub fn onboarding_step(
    machine_status: u8,
    has_node: bool,
    onboarded: bool,
    auto_commission: bool,
) -> OnboardingStep {
    match machine_status {
        status::NEW if auto_commission => OnboardingStep::Commission,
        status::NEW => OnboardingStep::AwaitOperator,
        status::COMMISSIONING | status::TESTING => OnboardingStep::Wait,
        status::FAILED_COMMISSIONING | status::FAILED_TESTING => OnboardingStep::ReportFailure,
        // Free and not yet on sale (new, or registered while it was busy): register and finish.
        status::READY if !onboarded => OnboardingStep::Register,
        // A machine already in use when the site was bound is still hardware we own: register it
        // so its node exists (reconciliation decides what to do about its workload).
        status::ALLOCATED | status::DEPLOYING | status::DEPLOYED if !has_node => OnboardingStep::Register,
        _ => OnboardingStep::Skip,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OnboardingStep::*;

    #[test]
    fn every_status_has_a_step() {
        // (status, has a node, onboarded, auto-commission) → step
        let cases = [
            (status::NEW, false, false, true, Commission),
            (status::NEW, false, false, false, AwaitOperator),
            (status::COMMISSIONING, false, false, true, Wait),
            (status::TESTING, false, false, true, Wait),
            (status::FAILED_COMMISSIONING, false, false, true, ReportFailure),
            (status::READY, false, false, true, Register),
            (status::READY, true, true, true, Skip),
            // Registered while deployed, free now: onboarding finishes.
            (status::READY, true, false, true, Register),
            (status::DEPLOYED, false, false, true, Register),
            (status::DEPLOYED, true, false, true, Skip),
            (status::BROKEN, false, false, true, Skip),
            (status::RELEASING, false, false, true, Skip),
        ];
        for (code, has_node, onboarded, auto, expected) in cases {
            assert_eq!(
                onboarding_step(code, has_node, onboarded, auto),
                expected,
                "status {code}"
            );
        }
    }
}
