//! Deployments: what to do next for one node of one allocation, decided from what Allocation
//! wants, how far we got, and what MAAS says the machine is now. Because every step reads the
//! machine first and MAAS itself refuses a deploy from any status but ALLOCATED, repeating a
//! step after a crash never deploys a machine twice.

use crate::client::wire::status;

/// What Allocation wants of the node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Desired {
    Deployed,
    Released,
}

/// How far the domain got, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Asked for; nothing sent to MAAS yet (or not known to have landed).
    Requested,
    /// Allocated and deploy sent; waiting for MAAS to finish.
    Deploying,
    /// Reported deployed.
    Deployed,
    /// Reported failed; the machine is being given back.
    Failed,
    /// Release sent; waiting for MAAS to finish (erasing included).
    Releasing,
    /// Reported released (clean): nothing more to do.
    Released,
}

/// The next step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// READY: allocate it to this allocation, annotate, deploy, lock.
    AllocateAndDeploy,
    /// ALLOCATED to this allocation already (a crash after allocating): deploy, lock.
    Deploy,
    /// MAAS is working; look again later. `Some` moves the stored phase along.
    Wait(Option<Phase>),
    /// DEPLOYED: report it (IPs and the moment MAAS reported it).
    ReportDeployed,
    /// The deployment failed; report it with this reason (then give the machine back).
    ReportFailed(String),
    /// Unlock if locked, then release with the site's erase policy.
    Release,
    /// READY again after the release (and erasing) finished: report the clean release.
    ReportReleased,
    /// Nothing to do.
    Idle,
    /// The machine is not in a state this domain may touch: leave it, say why (drift).
    Blocked(String),
}

/// The machine as MAAS shows it now: its status code and label, and whether it is this
/// allocation's (annotated with it, or allocated under its agent name). `None`: vanished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Observed<'a> {
    pub status: u8,
    pub status_name: &'a str,
    pub ours: bool,
}

fn owned(code: u8) -> bool {
    matches!(
        code,
        status::ALLOCATED | status::DEPLOYING | status::DEPLOYED | status::FAILED_DEPLOYMENT
    )
}

pub fn deployment_step(desired: Desired, phase: Phase, machine: Option<Observed<'_>>) -> Step {
    use Phase as P;
    let Some(m) = machine else {
        return match (desired, phase) {
            (_, P::Released) | (Desired::Released, P::Requested) => Step::ReportReleased,
            (Desired::Deployed, P::Requested | P::Deploying | P::Deployed) => {
                Step::ReportFailed("the machine vanished from its region".into())
            }
            _ => Step::Blocked("the machine vanished from its region before its erase was confirmed".into()),
        };
    };
    match desired {
        Desired::Deployed => match phase {
            P::Requested => match m.status {
                status::READY => Step::AllocateAndDeploy,
                status::ALLOCATED if m.ours => Step::Deploy,
                status::DEPLOYING if m.ours => Step::Wait(Some(P::Deploying)),
                status::DEPLOYED if m.ours => Step::ReportDeployed,
                code if owned(code) => Step::Blocked(format!(
                    "the machine is taken by someone else ({})",
                    m.status_name
                )),
                _ => Step::ReportFailed(format!("the machine is not ready ({})", m.status_name)),
            },
            P::Deploying => match m.status {
                status::DEPLOYING => Step::Wait(None),
                status::DEPLOYED if m.ours => Step::ReportDeployed,
                status::FAILED_DEPLOYMENT => {
                    Step::ReportFailed(format!("deployment failed ({})", m.status_name))
                }
                // MAAS falls back to ALLOCATED when the power-on after a deploy fails.
                status::ALLOCATED if m.ours => {
                    Step::ReportFailed("the machine's BMC did not power it on".into())
                }
                _ => Step::ReportFailed(format!("the machine left its deployment ({})", m.status_name)),
            },
            P::Deployed => Step::Idle,
            // A failed deployment gives its machine back at once.
            P::Failed | P::Releasing => release_step(m),
            P::Released => Step::Idle,
        },
        Desired::Released => match phase {
            P::Released => Step::Idle,
            // Never sent to MAAS, or allocated but not ours: nothing of ours on the machine.
            P::Requested if !(m.ours && owned(m.status)) => Step::ReportReleased,
            _ => release_step(m),
        },
    }
}

/// Giving a machine back: release what is ours, wait while MAAS releases and erases, and report
/// only once it is READY again.
fn release_step(m: Observed<'_>) -> Step {
    match m.status {
        code if owned(code) && m.ours => Step::Release,
        status::RELEASING | status::DISK_ERASING => Step::Wait(Some(Phase::Releasing)),
        status::FAILED_RELEASING | status::FAILED_DISK_ERASING | status::BROKEN => Step::Release,
        status::READY | status::NEW => Step::ReportReleased,
        _ => Step::Blocked(format!("the machine cannot be released from {}", m.status_name)),
    }
}

/// The `user_data` MAAS gets: a MIME multi-part cloud-init document with the tenant's SSH keys
/// (MAAS itself installs only its own account's keys) and, when given, the tenant's own
/// user-data as a second part, typed by its first line; base64 as MAAS stores it.
pub fn user_data_compose(ssh_keys: &[String], tenant_user_data: Option<&str>) -> String {
    use base64::Engine as _;
    const BOUNDARY: &str = "==INGOT-USER-DATA==";
    let mut keys = String::from("#cloud-config\nssh_authorized_keys:\n");
    for key in ssh_keys {
        // One key per line; a quoted scalar keeps YAML from reading anything into it.
        let clean = key
            .trim()
            .replace(['\n', '\r'], "")
            .replace('\\', "\\\\")
            .replace('"', "\\\"");
        keys.push_str(&format!("  - \"{clean}\"\n"));
    }
    let mut document = format!(
        "Content-Type: multipart/mixed; boundary=\"{BOUNDARY}\"\nMIME-Version: 1.0\n\n--{BOUNDARY}\n\
         Content-Type: text/cloud-config; charset=\"utf-8\"\nContent-Disposition: attachment; filename=\"ingot-ssh-keys.cfg\"\n\n{keys}"
    );
    if let Some(extra) = tenant_user_data.filter(|u| !u.trim().is_empty()) {
        let kind = match extra.lines().next().unwrap_or_default() {
            first if first.starts_with("#!") => "text/x-shellscript",
            first if first.starts_with("#cloud-config") => "text/cloud-config",
            first if first.starts_with("#include") => "text/x-include-url",
            first if first.starts_with("#cloud-boothook") => "text/cloud-boothook",
            _ => "text/plain",
        };
        document.push_str(&format!(
            "\n--{BOUNDARY}\nContent-Type: {kind}; charset=\"utf-8\"\nContent-Disposition: attachment; filename=\"tenant-user-data\"\n\n{extra}\n"
        ));
    }
    document.push_str(&format!("\n--{BOUNDARY}--\n"));
    base64::engine::general_purpose::STANDARD.encode(document)
}

/// MAAS's event time (`Fri, 07 Dec. 2018 20:11:08`, the region's clock, taken as UTC) in µs.
pub fn maas_time_parse(text: &str) -> Option<i64> {
    let mut parts = text.split_whitespace();
    let _weekday = parts.next()?;
    let day: i64 = parts.next()?.parse().ok()?;
    let month = parts.next()?.trim_end_matches('.');
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = i64::try_from(MONTHS.iter().position(|m| *m == month)? + 1).ok()?;
    let year: i64 = parts.next()?.parse().ok()?;
    let mut clock = parts.next()?.split(':').map(|p| p.parse::<i64>());
    let (h, m, s) = (clock.next()?.ok()?, clock.next()?.ok()?, clock.next()?.ok()?);
    let month_start = ingot_kernel::Timestamp::month_start(year, u32::try_from(month).ok()?)?;
    Some(month_start.as_micros() + ((day - 1) * 86_400 + h * 3_600 + m * 60 + s) * 1_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Desired::*;
    use Phase as P;

    fn seen(code: u8, ours: bool) -> Option<Observed<'static>> {
        Some(Observed {
            status: code,
            status_name: "x",
            ours,
        })
    }

    #[test]
    fn a_deployment_walks_ready_to_deployed_and_a_crash_anywhere_never_deploys_twice() {
        assert_eq!(
            deployment_step(Deployed, P::Requested, seen(status::READY, false)),
            Step::AllocateAndDeploy
        );
        // Crashed after allocating: deploy, never allocate again.
        assert_eq!(
            deployment_step(Deployed, P::Requested, seen(status::ALLOCATED, true)),
            Step::Deploy
        );
        // Crashed after deploying, before recording it: only wait.
        assert_eq!(
            deployment_step(Deployed, P::Requested, seen(status::DEPLOYING, true)),
            Step::Wait(Some(P::Deploying))
        );
        assert_eq!(
            deployment_step(Deployed, P::Deploying, seen(status::DEPLOYING, true)),
            Step::Wait(None)
        );
        assert_eq!(
            deployment_step(Deployed, P::Deploying, seen(status::DEPLOYED, true)),
            Step::ReportDeployed
        );
        assert_eq!(
            deployment_step(Deployed, P::Requested, seen(status::DEPLOYED, true)),
            Step::ReportDeployed
        );
        assert_eq!(
            deployment_step(Deployed, P::Deployed, seen(status::DEPLOYED, true)),
            Step::Idle
        );
        // Never a step that deploys from anything but READY or our ALLOCATED.
        for code in 0..=22u8 {
            for ours in [false, true] {
                for phase in [
                    P::Requested,
                    P::Deploying,
                    P::Deployed,
                    P::Failed,
                    P::Releasing,
                    P::Released,
                ] {
                    let step = deployment_step(Deployed, phase, seen(code, ours));
                    if matches!(step, Step::AllocateAndDeploy) {
                        assert_eq!(code, status::READY);
                    }
                    if matches!(step, Step::Deploy) {
                        assert!(code == status::ALLOCATED && ours && phase == P::Requested);
                    }
                }
            }
        }
    }

    #[test]
    fn someone_elses_machine_is_never_touched() {
        assert!(matches!(
            deployment_step(Deployed, P::Requested, seen(status::ALLOCATED, false)),
            Step::Blocked(_)
        ));
        assert_eq!(
            deployment_step(Released, P::Requested, seen(status::DEPLOYED, false)),
            Step::ReportReleased,
            "never ours: nothing of ours to erase"
        );
        for code in 0..=22u8 {
            for phase in [P::Requested, P::Deploying, P::Deployed, P::Failed, P::Releasing] {
                let step = deployment_step(Released, phase, seen(code, false));
                assert!(
                    !matches!(step, Step::Release) || matches!(code, 13 | 15 | 8),
                    "release of a machine not ours from {code} in {phase:?}"
                );
            }
        }
    }

    #[test]
    fn a_release_is_reported_only_once_the_machine_is_ready_again() {
        assert_eq!(
            deployment_step(Released, P::Deployed, seen(status::DEPLOYED, true)),
            Step::Release
        );
        assert_eq!(
            deployment_step(Released, P::Releasing, seen(status::DISK_ERASING, true)),
            Step::Wait(Some(P::Releasing))
        );
        assert_eq!(
            deployment_step(Released, P::Releasing, seen(status::FAILED_DISK_ERASING, true)),
            Step::Release
        );
        assert_eq!(
            deployment_step(Released, P::Releasing, seen(status::READY, false)),
            Step::ReportReleased
        );
        assert!(matches!(
            deployment_step(Released, P::Releasing, None),
            Step::Blocked(_)
        ));
        assert_eq!(
            deployment_step(Released, P::Released, seen(status::READY, false)),
            Step::Idle
        );
        // A failed deployment is given back, and reported released once clean.
        assert_eq!(
            deployment_step(Deployed, P::Deploying, seen(status::FAILED_DEPLOYMENT, true)),
            Step::ReportFailed("deployment failed (x)".into())
        );
        assert_eq!(
            deployment_step(Deployed, P::Failed, seen(status::FAILED_DEPLOYMENT, true)),
            Step::Release
        );
    }

    #[test]
    fn user_data_carries_the_keys_and_the_tenants_part() {
        use base64::Engine as _;
        let encoded = user_data_compose(
            &[
                "ssh-ed25519 AAAA user@host".into(),
                "ssh-rsa BBB \"quoted\"".into(),
            ],
            Some("#!/bin/sh\necho hello\n"),
        );
        let text =
            String::from_utf8(base64::engine::general_purpose::STANDARD.decode(encoded).unwrap()).unwrap();
        assert!(text.contains("  - \"ssh-ed25519 AAAA user@host\"\n"), "{text}");
        assert!(text.contains("  - \"ssh-rsa BBB \\\"quoted\\\"\"\n"), "{text}");
        assert!(text.contains("Content-Type: text/x-shellscript"), "{text}");
        assert!(text.contains("echo hello"));
        assert!(text.trim_end().ends_with("--==INGOT-USER-DATA==--"));
    }

    #[test]
    fn maas_event_times_parse() {
        assert_eq!(
            maas_time_parse("Fri, 07 Dec. 2018 20:11:08"),
            Some(1_544_213_468_000_000)
        );
        assert_eq!(maas_time_parse("nonsense"), None);
    }
}
