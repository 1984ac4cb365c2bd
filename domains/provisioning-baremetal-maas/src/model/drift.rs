//! Drift: where a region's machines disagree with what this domain expects of them, what kind of
//! disagreement it is, and what may be done about it. Acting is reserved for confirmed states:
//! a power state that is unknown, in error, or seen only once is observed again, never answered
//! with a power action (on IPMI, a MAAS power-on of a running machine is a power cycle).

use std::time::Duration;

use ingot_kernel::Timestamp;

use crate::client::wire::status;
use crate::model::{Desired, Phase};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DriftKind {
    /// Allocated or deployed in MAAS, but no live allocation of ours wants it.
    DeployedWithoutAllocation,
    /// A live allocation's machine failed, broke, left or vanished.
    AllocationMachineLost,
    /// A live allocation's machine is not powered on.
    PowerDrift,
    /// A machine the domain has never seen.
    UnknownMachine,
    /// In a transitional status for longer than the site allows.
    StuckTransitional,
}

/// What the reconciler does about a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Repair {
    /// Nothing yet: the state is not confirmed; look again next pass.
    ObserveAgain,
    /// Reported for a person (or another domain) to act on.
    Report,
    /// Release it (with the site's erase).
    Release,
    /// Power it on (confirmed off twice and by a live BMC query first).
    PowerOn,
    /// Abort the stuck operation.
    Abort,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: DriftKind,
    pub detail: String,
    pub repair: Repair,
    /// Whether a tenant is paying for a machine it cannot use meanwhile.
    pub tenant_cost: bool,
}

/// A machine as the region shows it this pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen<'a> {
    pub status: u8,
    pub status_name: &'a str,
    pub power_state: &'a str,
    /// The allocation annotation, if any.
    pub annotation: Option<&'a str>,
}

/// What the domain expects of one machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expected<'a> {
    /// Seen in an earlier pass (or by onboarding).
    pub known: bool,
    /// Its power state in the previous pass.
    pub power_before: Option<&'a str>,
    /// Since when it has been in its current status.
    pub status_since: Option<Timestamp>,
    /// The live deployment on it, if any: (allocation, desired, phase).
    pub deployment: Option<(&'a str, Desired, Phase)>,
}

/// The site's tolerances and permissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tolerance {
    /// How long a transitional status may last.
    pub transitional_timeout: Duration,
    /// Whether the reconciler may act (release, power on, abort) or only report.
    pub auto_repair: bool,
}

fn owned(code: u8) -> bool {
    matches!(code, status::ALLOCATED | status::DEPLOYING | status::DEPLOYED)
}

pub fn drift_assess(
    seen: Option<Seen<'_>>,
    expected: Expected<'_>,
    now: Timestamp,
    tolerance: Tolerance,
) -> Vec<Finding> {
    let live = expected
        .deployment
        .filter(|(_, desired, phase)| *desired == Desired::Deployed && *phase == Phase::Deployed);
    let act = |repair: Repair| {
        if tolerance.auto_repair {
            repair
        } else {
            Repair::Report
        }
    };
    let Some(m) = seen else {
        return match live {
            Some((allocation, ..)) => vec![Finding {
                kind: DriftKind::AllocationMachineLost,
                detail: format!("the machine of allocation {allocation} vanished from its region"),
                repair: Repair::Report,
                tenant_cost: true,
            }],
            None => Vec::new(),
        };
    };
    let mut findings = Vec::new();
    if !expected.known {
        findings.push(Finding {
            kind: DriftKind::UnknownMachine,
            detail: format!("a machine never seen before, {}", m.status_name),
            repair: Repair::Report,
            tenant_cost: false,
        });
    }
    // Any deployment of ours in flight (not only a finished one) accounts for an owned machine.
    let accounted = expected
        .deployment
        .is_some_and(|(_, desired, phase)| desired == Desired::Deployed || phase != Phase::Released);
    if owned(m.status) && !accounted {
        // Ours (annotated by this domain) may be taken back; a machine someone deployed by hand
        // in MAAS is only reported.
        let ours = m.annotation.is_some();
        findings.push(Finding {
            kind: DriftKind::DeployedWithoutAllocation,
            detail: match m.annotation {
                Some(allocation) => format!(
                    "{} for allocation {allocation}, which no longer wants it",
                    m.status_name
                ),
                None => format!("{} outside this control plane", m.status_name),
            },
            repair: if ours {
                act(Repair::Release)
            } else {
                Repair::Report
            },
            tenant_cost: false,
        });
    }
    if let Some((allocation, ..)) = live {
        if m.status != status::DEPLOYED {
            findings.push(Finding {
                kind: DriftKind::AllocationMachineLost,
                detail: format!("the machine of allocation {allocation} is {}", m.status_name),
                repair: Repair::Report,
                tenant_cost: true,
            });
        } else if m.power_state != "on" {
            let confirmed = m.power_state == "off" && expected.power_before == Some("off");
            findings.push(Finding {
                kind: DriftKind::PowerDrift,
                detail: format!(
                    "the machine of allocation {allocation} reads power {}{}",
                    m.power_state,
                    if confirmed {
                        " twice"
                    } else {
                        "; observed again before acting"
                    }
                ),
                repair: if confirmed {
                    act(Repair::PowerOn)
                } else {
                    Repair::ObserveAgain
                },
                tenant_cost: true,
            });
        }
    }
    let stuck = status::transitional(m.status)
        && expected
            .status_since
            .is_some_and(|since| now.since(since) > tolerance.transitional_timeout);
    if stuck {
        // An erase may legitimately take hours (a full or secure erase of large disks): it is
        // reported, never cut short.
        let abortable = matches!(m.status, status::DEPLOYING | status::COMMISSIONING);
        findings.push(Finding {
            kind: DriftKind::StuckTransitional,
            detail: format!(
                "{} for more than {} minutes",
                m.status_name,
                tolerance.transitional_timeout.as_secs() / 60
            ),
            repair: if abortable {
                act(Repair::Abort)
            } else {
                Repair::Report
            },
            tenant_cost: live.is_some(),
        });
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Timestamp = Timestamp::from_secs(1_800_000_000);

    fn tolerance(auto_repair: bool) -> Tolerance {
        Tolerance {
            transitional_timeout: Duration::from_secs(30 * 60),
            auto_repair,
        }
    }

    fn seen(code: u8, power: &'static str, annotation: Option<&'static str>) -> Option<Seen<'static>> {
        Some(Seen {
            status: code,
            status_name: "S",
            power_state: power,
            annotation,
        })
    }

    fn expected(
        deployment: Option<(&'static str, Desired, Phase)>,
        power_before: Option<&'static str>,
    ) -> Expected<'static> {
        Expected {
            known: true,
            power_before,
            status_since: Some(T),
            deployment,
        }
    }

    fn kinds(findings: &[Finding]) -> Vec<(DriftKind, Repair)> {
        findings.iter().map(|f| (f.kind, f.repair)).collect()
    }

    const LIVE: Option<(&str, Desired, Phase)> = Some(("alc_1", Desired::Deployed, Phase::Deployed));

    #[test]
    fn a_healthy_fleet_has_no_drift() {
        assert!(
            drift_assess(
                seen(status::DEPLOYED, "on", Some("alc_1")),
                expected(LIVE, Some("on")),
                T,
                tolerance(true)
            )
            .is_empty()
        );
        assert!(
            drift_assess(
                seen(status::READY, "off", None),
                expected(None, Some("off")),
                T,
                tolerance(true)
            )
            .is_empty()
        );
        let deploying = Some(("alc_1", Desired::Deployed, Phase::Deploying));
        assert!(
            drift_assess(
                seen(status::DEPLOYING, "on", Some("alc_1")),
                expected(deploying, None),
                T,
                tolerance(true)
            )
            .is_empty()
        );
    }

    #[test]
    fn each_drift_class_is_found_and_repaired_only_where_allowed() {
        // Ours, left deployed after its allocation ended: released when policy allows.
        let ended = Some(("alc_1", Desired::Released, Phase::Released));
        let f = drift_assess(
            seen(status::DEPLOYED, "on", Some("alc_1")),
            expected(ended, None),
            T,
            tolerance(true),
        );
        assert_eq!(
            kinds(&f),
            [(DriftKind::DeployedWithoutAllocation, Repair::Release)]
        );
        let f = drift_assess(
            seen(status::DEPLOYED, "on", Some("alc_1")),
            expected(ended, None),
            T,
            tolerance(false),
        );
        assert_eq!(
            kinds(&f),
            [(DriftKind::DeployedWithoutAllocation, Repair::Report)]
        );
        // Deployed by hand in MAAS: never touched.
        let f = drift_assess(
            seen(status::DEPLOYED, "on", None),
            expected(None, None),
            T,
            tolerance(true),
        );
        assert_eq!(
            kinds(&f),
            [(DriftKind::DeployedWithoutAllocation, Repair::Report)]
        );
        // A live allocation's machine broke, or vanished: the tenant pays meanwhile.
        let f = drift_assess(
            seen(status::BROKEN, "off", Some("alc_1")),
            expected(LIVE, None),
            T,
            tolerance(true),
        );
        assert_eq!(kinds(&f), [(DriftKind::AllocationMachineLost, Repair::Report)]);
        assert!(f[0].tenant_cost);
        let f = drift_assess(None, expected(LIVE, None), T, tolerance(true));
        assert_eq!(kinds(&f), [(DriftKind::AllocationMachineLost, Repair::Report)]);
        // Never seen before.
        let mut unknown = expected(None, None);
        unknown.known = false;
        let f = drift_assess(seen(status::READY, "off", None), unknown, T, tolerance(true));
        assert_eq!(kinds(&f), [(DriftKind::UnknownMachine, Repair::Report)]);
        // Stuck deploying past the timeout: aborted when allowed.
        let deploying = Some(("alc_1", Desired::Deployed, Phase::Deploying));
        let later = T.plus(Duration::from_secs(31 * 60));
        let f = drift_assess(
            seen(status::DEPLOYING, "on", Some("alc_1")),
            expected(deploying, None),
            later,
            tolerance(true),
        );
        assert_eq!(kinds(&f), [(DriftKind::StuckTransitional, Repair::Abort)]);
    }

    #[test]
    fn power_is_acted_on_only_when_confirmed_off() {
        // Off once: observe again. Off twice: power on. Unknown or error: never act.
        let f = drift_assess(
            seen(status::DEPLOYED, "off", Some("alc_1")),
            expected(LIVE, Some("on")),
            T,
            tolerance(true),
        );
        assert_eq!(kinds(&f), [(DriftKind::PowerDrift, Repair::ObserveAgain)]);
        let f = drift_assess(
            seen(status::DEPLOYED, "off", Some("alc_1")),
            expected(LIVE, Some("off")),
            T,
            tolerance(true),
        );
        assert_eq!(kinds(&f), [(DriftKind::PowerDrift, Repair::PowerOn)]);
        for flapping in ["unknown", "error"] {
            for before in [Some("off"), Some("unknown"), None] {
                let f = drift_assess(
                    seen(status::DEPLOYED, flapping, Some("alc_1")),
                    expected(LIVE, before),
                    T,
                    tolerance(true),
                );
                assert_eq!(kinds(&f), [(DriftKind::PowerDrift, Repair::ObserveAgain)]);
            }
        }
    }
}
