//! MAAS's NODE_STATUS: codes, labels, simple statuses and the transition table, as the
//! reference lists them.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Status {
    New = 0,
    Commissioning = 1,
    FailedCommissioning = 2,
    Missing = 3,
    Ready = 4,
    Reserved = 5,
    Deployed = 6,
    Retired = 7,
    Broken = 8,
    Deploying = 9,
    Allocated = 10,
    FailedDeployment = 11,
    Releasing = 12,
    FailedReleasing = 13,
    DiskErasing = 14,
    FailedDiskErasing = 15,
    RescueMode = 16,
    EnteringRescueMode = 17,
    FailedEnteringRescueMode = 18,
    ExitingRescueMode = 19,
    FailedExitingRescueMode = 20,
    Testing = 21,
    FailedTesting = 22,
}

use Status::*;

impl Status {
    pub const ALL: [Status; 23] = [
        New,
        Commissioning,
        FailedCommissioning,
        Missing,
        Ready,
        Reserved,
        Deployed,
        Retired,
        Broken,
        Deploying,
        Allocated,
        FailedDeployment,
        Releasing,
        FailedReleasing,
        DiskErasing,
        FailedDiskErasing,
        RescueMode,
        EnteringRescueMode,
        FailedEnteringRescueMode,
        ExitingRescueMode,
        FailedExitingRescueMode,
        Testing,
        FailedTesting,
    ];

    pub fn code(self) -> u8 {
        self as u8
    }

    /// `status_name` as MAAS renders it.
    pub fn label(self) -> &'static str {
        match self {
            New => "New",
            Commissioning => "Commissioning",
            FailedCommissioning => "Failed commissioning",
            Missing => "Missing",
            Ready => "Ready",
            Reserved => "Reserved",
            Deployed => "Deployed",
            Retired => "Retired",
            Broken => "Broken",
            Deploying => "Deploying",
            Allocated => "Allocated",
            FailedDeployment => "Failed deployment",
            Releasing => "Releasing",
            FailedReleasing => "Releasing failed",
            DiskErasing => "Disk erasing",
            FailedDiskErasing => "Failed disk erasing",
            RescueMode => "Rescue mode",
            EnteringRescueMode => "Entering rescue mode",
            FailedEnteringRescueMode => "Failed to enter rescue mode",
            ExitingRescueMode => "Exiting rescue mode",
            FailedExitingRescueMode => "Failed to exit rescue mode",
            Testing => "Testing",
            FailedTesting => "Failed testing",
        }
    }

    /// The lower-case enum name list filters take (`status=ready`).
    pub fn filter_name(self) -> &'static str {
        match self {
            New => "new",
            Commissioning => "commissioning",
            FailedCommissioning => "failed_commissioning",
            Missing => "missing",
            Ready => "ready",
            Reserved => "reserved",
            Deployed => "deployed",
            Retired => "retired",
            Broken => "broken",
            Deploying => "deploying",
            Allocated => "allocated",
            FailedDeployment => "failed_deployment",
            Releasing => "releasing",
            FailedReleasing => "failed_releasing",
            DiskErasing => "disk_erasing",
            FailedDiskErasing => "failed_disk_erasing",
            RescueMode => "rescue_mode",
            EnteringRescueMode => "entering_rescue_mode",
            FailedEnteringRescueMode => "failed_entering_rescue_mode",
            ExitingRescueMode => "exiting_rescue_mode",
            FailedExitingRescueMode => "failed_exiting_rescue_mode",
            Testing => "testing",
            FailedTesting => "failed_testing",
        }
    }

    pub fn simple(self) -> &'static str {
        match self {
            New => "new",
            Commissioning => "commissioning",
            FailedCommissioning
            | FailedDeployment
            | FailedReleasing
            | FailedDiskErasing
            | FailedEnteringRescueMode
            | FailedExitingRescueMode
            | FailedTesting => "failed",
            Ready => "ready",
            Deployed => "deployed",
            Broken => "broken",
            Deploying => "deploying",
            Allocated => "allocated",
            Releasing | DiskErasing => "releasing",
            RescueMode | EnteringRescueMode | ExitingRescueMode => "rescue_mode",
            Testing => "testing",
            Missing | Reserved | Retired => "other",
        }
    }

    /// Statuses in which the machine keeps its owner.
    pub fn owned(self) -> bool {
        matches!(
            self,
            Allocated
                | Deploying
                | Deployed
                | FailedDeployment
                | Releasing
                | FailedReleasing
                | DiskErasing
                | FailedDiskErasing
                | RescueMode
                | EnteringRescueMode
                | FailedEnteringRescueMode
                | ExitingRescueMode
                | FailedExitingRescueMode
                | Testing
                | FailedTesting
        )
    }

    /// `NODE_TRANSITIONS`: whether MAAS lets a machine move from `self` to `to`.
    pub fn may_become(self, to: Status) -> bool {
        if self == to {
            return true;
        }
        let allowed: &[Status] = match self {
            New => &[
                Commissioning,
                Testing,
                Missing,
                Ready,
                Retired,
                Broken,
                EnteringRescueMode,
            ],
            Commissioning => &[FailedCommissioning, Ready, Retired, Missing, New, Broken, Testing],
            FailedCommissioning => &[
                Commissioning,
                Missing,
                Retired,
                Broken,
                EnteringRescueMode,
                Testing,
            ],
            Ready => &[
                EnteringRescueMode,
                Commissioning,
                Allocated,
                Reserved,
                Retired,
                Missing,
                Broken,
                Testing,
            ],
            Reserved => &[
                Ready,
                Allocated,
                Retired,
                Missing,
                Broken,
                DiskErasing,
                Releasing,
                EnteringRescueMode,
                Testing,
            ],
            Allocated => &[
                Ready,
                Retired,
                Missing,
                Broken,
                Deploying,
                DiskErasing,
                Releasing,
                EnteringRescueMode,
                Testing,
            ],
            Releasing => &[
                New,
                Allocated,
                Reserved,
                Deployed,
                Ready,
                Broken,
                Missing,
                FailedDeployment,
                FailedDiskErasing,
                FailedReleasing,
            ],
            Deploying => &[
                Allocated,
                Missing,
                Broken,
                FailedDeployment,
                Deployed,
                Ready,
                DiskErasing,
                Releasing,
            ],
            FailedDeployment => &[
                Allocated,
                Missing,
                Broken,
                Ready,
                DiskErasing,
                Releasing,
                EnteringRescueMode,
                Testing,
            ],
            Deployed => &[
                Allocated,
                Missing,
                Broken,
                Ready,
                DiskErasing,
                Releasing,
                EnteringRescueMode,
                Testing,
            ],
            Missing => &[
                New,
                Ready,
                Allocated,
                Commissioning,
                Broken,
                EnteringRescueMode,
                Testing,
            ],
            Retired => &[New, Ready, Missing, Broken, EnteringRescueMode, Testing],
            Broken => &[
                Commissioning,
                Ready,
                DiskErasing,
                Releasing,
                EnteringRescueMode,
                Testing,
                Deployed,
            ],
            FailedReleasing => &[Releasing, DiskErasing, Ready, Broken, Testing],
            DiskErasing => &[Broken, DiskErasing, FailedDiskErasing, Ready, Releasing],
            FailedDiskErasing => &[
                DiskErasing,
                Releasing,
                Broken,
                Allocated,
                Ready,
                EnteringRescueMode,
                Testing,
            ],
            EnteringRescueMode => &[
                Ready,
                Broken,
                Deployed,
                RescueMode,
                FailedEnteringRescueMode,
                ExitingRescueMode,
            ],
            FailedEnteringRescueMode => &[Broken, EnteringRescueMode, ExitingRescueMode, Testing],
            RescueMode => &[Broken, ExitingRescueMode, Testing],
            ExitingRescueMode => &[
                New,
                Broken,
                FailedCommissioning,
                Ready,
                Reserved,
                Allocated,
                FailedDeployment,
                Deployed,
                Missing,
                Retired,
                FailedReleasing,
                FailedDiskErasing,
                RescueMode,
                FailedEnteringRescueMode,
                FailedExitingRescueMode,
                FailedTesting,
            ],
            FailedExitingRescueMode => &[Broken, ExitingRescueMode, Testing],
            Testing => &[
                Broken,
                New,
                Ready,
                Reserved,
                Allocated,
                Deployed,
                Commissioning,
                FailedDeployment,
                Missing,
                Retired,
                FailedReleasing,
                FailedDiskErasing,
                FailedEnteringRescueMode,
                FailedExitingRescueMode,
                FailedTesting,
            ],
            FailedTesting => &[
                Commissioning,
                Broken,
                Missing,
                EnteringRescueMode,
                Testing,
                Ready,
                Deployed,
            ],
        };
        allowed.contains(&to)
    }

    pub fn from_filter_name(name: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.filter_name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_the_enum_and_names_round_trip() {
        for (i, status) in Status::ALL.into_iter().enumerate() {
            assert_eq!(usize::from(status.code()), i);
            assert_eq!(Status::from_filter_name(status.filter_name()), Some(status));
        }
        assert_eq!(FailedReleasing.label(), "Releasing failed");
    }

    #[test]
    fn the_lifecycle_the_api_drives_is_allowed_by_the_table() {
        for (from, to) in [
            (New, Commissioning),
            (Commissioning, Ready),
            (Ready, Allocated),
            (Allocated, Deploying),
            (Deploying, Deployed),
            (Deploying, FailedDeployment),
            (Deployed, Releasing),
            (Deployed, DiskErasing),
            (DiskErasing, Ready),
            (Deployed, Broken),
            (Broken, Ready),
        ] {
            assert!(from.may_become(to), "{from:?} -> {to:?}");
        }
        assert!(!Ready.may_become(Deployed));
        assert!(!New.may_become(Allocated));
    }
}
