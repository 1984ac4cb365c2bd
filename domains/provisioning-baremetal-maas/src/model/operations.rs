//! Operators' node workflows after the drain: secure erase, then re-commission (reimage) or
//! remove/tag (decommission). Each step is decided from the machine's status and what MAAS's own
//! events prove, so a step repeated after a crash at worst erases twice, never skips the erase.

use crate::client::wire::status;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpKind {
    Reimage,
    Decommission,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpPhase {
    Erasing,
    Commissioning,
    Removing,
    Done,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpStep {
    /// READY and not yet erased: allocate it, then release it with secure erase.
    EraseFromReady,
    /// Owned (allocated, deployed, failed): release it with secure erase.
    Erase,
    Wait,
    /// Erased (MAAS said `Disks erased` since the operation began): move on to `OpPhase`.
    Next(OpPhase),
    Commission,
    /// Commissioned again: refresh its facts with Inventory and return it to service.
    Return,
    /// Delete or tag it per policy, then retire it in Inventory.
    Remove,
    Fail(String),
}

/// `erased`: MAAS reported the disks erased after the operation started. `commission_sent`: a
/// commissioning was requested in this operation.
pub fn operation_step(
    kind: OpKind,
    phase: OpPhase,
    machine: Option<(u8, &str)>,
    erased: bool,
    commission_sent: bool,
) -> OpStep {
    let Some((code, name)) = machine else {
        return match phase {
            OpPhase::Removing => OpStep::Remove,
            _ => OpStep::Fail("the machine vanished from its region before the operation finished".into()),
        };
    };
    match phase {
        OpPhase::Erasing => match code {
            status::READY if erased => OpStep::Next(match kind {
                OpKind::Reimage => OpPhase::Commissioning,
                OpKind::Decommission => OpPhase::Removing,
            }),
            status::READY => OpStep::EraseFromReady,
            status::ALLOCATED
            | status::DEPLOYING
            | status::DEPLOYED
            | status::FAILED_DEPLOYMENT
            | status::BROKEN
            | status::FAILED_DISK_ERASING
            | status::FAILED_RELEASING => OpStep::Erase,
            status::RELEASING | status::DISK_ERASING => OpStep::Wait,
            _ => OpStep::Fail(format!("the machine cannot be erased from {name}")),
        },
        OpPhase::Commissioning => match code {
            status::READY if commission_sent => OpStep::Return,
            status::READY => OpStep::Commission,
            status::COMMISSIONING | status::TESTING => OpStep::Wait,
            status::FAILED_COMMISSIONING | status::FAILED_TESTING => {
                OpStep::Fail(format!("commissioning failed ({name})"))
            }
            _ => OpStep::Fail(format!("the machine left the reimage ({name})")),
        },
        OpPhase::Removing => OpStep::Remove,
        OpPhase::Done | OpPhase::Failed => OpStep::Wait,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_erase_is_never_skipped_and_a_crash_at_most_repeats_it() {
        // Not erased yet: erase, whether the machine is free or still owned.
        assert_eq!(
            operation_step(
                OpKind::Reimage,
                OpPhase::Erasing,
                Some((status::READY, "Ready")),
                false,
                false
            ),
            OpStep::EraseFromReady
        );
        assert_eq!(
            operation_step(
                OpKind::Decommission,
                OpPhase::Erasing,
                Some((status::DEPLOYED, "Deployed")),
                false,
                false
            ),
            OpStep::Erase
        );
        assert_eq!(
            operation_step(
                OpKind::Reimage,
                OpPhase::Erasing,
                Some((status::DISK_ERASING, "Disk erasing")),
                false,
                false
            ),
            OpStep::Wait
        );
        // Only MAAS's word that the disks were erased moves past the erase.
        for code in 0..=22u8 {
            let step = operation_step(
                OpKind::Decommission,
                OpPhase::Erasing,
                Some((code, "x")),
                false,
                false,
            );
            assert!(
                !matches!(step, OpStep::Next(_) | OpStep::Remove),
                "status {code}: {step:?}"
            );
        }
        assert_eq!(
            operation_step(
                OpKind::Decommission,
                OpPhase::Erasing,
                Some((status::READY, "Ready")),
                true,
                false
            ),
            OpStep::Next(OpPhase::Removing)
        );
        assert_eq!(
            operation_step(
                OpKind::Reimage,
                OpPhase::Erasing,
                Some((status::READY, "Ready")),
                true,
                false
            ),
            OpStep::Next(OpPhase::Commissioning)
        );
    }

    #[test]
    fn a_reimage_commissions_then_returns_and_failures_say_why() {
        let ready = Some((status::READY, "Ready"));
        assert_eq!(
            operation_step(OpKind::Reimage, OpPhase::Commissioning, ready, true, false),
            OpStep::Commission
        );
        assert_eq!(
            operation_step(OpKind::Reimage, OpPhase::Commissioning, ready, true, true),
            OpStep::Return
        );
        assert_eq!(
            operation_step(
                OpKind::Reimage,
                OpPhase::Commissioning,
                Some((status::FAILED_COMMISSIONING, "Failed commissioning")),
                true,
                true
            ),
            OpStep::Fail("commissioning failed (Failed commissioning)".into())
        );
        assert!(matches!(
            operation_step(OpKind::Reimage, OpPhase::Erasing, None, false, false),
            OpStep::Fail(_)
        ));
        assert_eq!(
            operation_step(OpKind::Decommission, OpPhase::Removing, None, true, false),
            OpStep::Remove
        );
    }
}
