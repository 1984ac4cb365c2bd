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

/// Decides the step from the machine's status, whether Inventory already knows it, and whether
/// the site commissions new machines by itself.
pub fn onboarding_step(machine_status: u8, registered: bool, auto_commission: bool) -> OnboardingStep {
    match machine_status {
        status::NEW if auto_commission => OnboardingStep::Commission,
        status::NEW => OnboardingStep::AwaitOperator,
        status::COMMISSIONING | status::TESTING => OnboardingStep::Wait,
        status::FAILED_COMMISSIONING | status::FAILED_TESTING => OnboardingStep::ReportFailure,
        // A machine already in use when the site was bound is still hardware we own: register it
        // so its node exists (reconciliation decides what to do about its workload).
        status::READY | status::ALLOCATED | status::DEPLOYING | status::DEPLOYED if !registered => {
            OnboardingStep::Register
        }
        _ => OnboardingStep::Skip,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OnboardingStep::*;

    #[test]
    fn every_status_has_a_step() {
        let cases = [
            (status::NEW, false, true, Commission),
            (status::NEW, false, false, AwaitOperator),
            (status::COMMISSIONING, false, true, Wait),
            (status::TESTING, false, true, Wait),
            (status::FAILED_COMMISSIONING, false, true, ReportFailure),
            (status::READY, false, true, Register),
            (status::READY, true, true, Skip),
            (status::DEPLOYED, false, true, Register),
            (status::DEPLOYED, true, true, Skip),
            (status::BROKEN, false, true, Skip),
            (status::RELEASING, false, true, Skip),
        ];
        for (code, registered, auto, expected) in cases {
            assert_eq!(onboarding_step(code, registered, auto), expected, "status {code}");
        }
    }
}
