//! Operations model: the ownership registry as shipped in OWNERS.toml, readiness verdicts, the
//! alert rules and their thresholds, who is paged for what, and the on-call file.
//! No IO here: OWNERS.toml is compiled in; the on-call file's text is handed in.

use std::collections::BTreeMap;
use std::time::Duration;

use ingot_contracts::operations::{CheckResult, ContextOwnership, OwnershipRegistry, Severity, Signal};
use serde::Deserialize;

/// OWNERS.toml as built into this binary.
pub const OWNERS_TOML: &str = include_str!("../../../OWNERS.toml");

/// Parses and checks an OWNERS.toml text.
pub fn ownership_registry_parse(text: &str) -> Result<OwnershipRegistry, String> {
    let registry: OwnershipRegistry = toml::from_str(text).map_err(|e| e.to_string())?;
    registry.check()?;
    Ok(registry)
}

/// `unavailable` when a check the service cannot answer without fails (the database);
/// `degraded` when only an optional one does (the cache: every answer stays correct without it,
/// only slower), so a load balancer keeps the replica in rotation; otherwise `ok`.
pub fn readiness_status(required: &[CheckResult], optional: &[CheckResult]) -> &'static str {
    if !required.iter().all(|check| check.ok) {
        "unavailable"
    } else if !optional.iter().all(|check| check.ok) {
        "degraded"
    } else {
        "ok"
    }
}

/// An alert rule: one signal, the context that owns it (its severity and who is paged come
/// from that context in OWNERS.toml), and where its runbook explains what to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlertRule {
    /// Stable: incidents and configuration name it.
    pub key: &'static str,
    /// The signal it reads (a `SignalSource`'s name).
    pub signal: &'static str,
    /// OWNERS.toml's context name.
    pub context: &'static str,
    pub title: &'static str,
    /// `docs/runbooks/<file>.md#<anchor>`; a test checks every anchor exists.
    pub runbook: &'static str,
}

/// Every alert rule. Thresholds are configuration ([`Thresholds`]).
pub const RULES: &[AlertRule] = &[
    AlertRule {
        key: "reconciliation_drift",
        signal: "maas.drift_open",
        context: "Provisioning.BareMetal.MAAS",
        title: "Reconciliation found drift between Ingot and MAAS",
        runbook: "docs/runbooks/maas.md#reconciliation-drift",
    },
    AlertRule {
        key: "deploy_failure_rate",
        signal: "maas.deploy_failure_rate",
        context: "Provisioning.BareMetal.MAAS",
        title: "Deploys are failing",
        runbook: "docs/runbooks/maas.md#deploy-failure-rate",
    },
    AlertRule {
        key: "maas_site_unreachable",
        signal: "maas.site_unreachable_s",
        context: "Provisioning.BareMetal.MAAS",
        title: "A MAAS region does not answer",
        runbook: "docs/runbooks/maas.md#site-unreachable",
    },
    AlertRule {
        key: "ledger_verify_failed",
        signal: "billing.ledger_unbalanced",
        context: "Billing",
        title: "The ledger does not verify",
        runbook: "docs/runbooks/billing.md#ledger-verify-failed",
    },
    AlertRule {
        key: "balance_exhausted_spike",
        signal: "billing.balances_exhausted",
        context: "Billing",
        title: "Many balances ran out",
        runbook: "docs/runbooks/billing.md#balance-exhausted-spike",
    },
    AlertRule {
        key: "login_failure_spike",
        signal: "iam.login_failures",
        context: "IAM",
        title: "Failed logins spiked",
        runbook: "docs/runbooks/iam.md#login-failure-spike",
    },
    AlertRule {
        key: "node_quarantined",
        signal: "inventory.node_quarantined",
        context: "Inventory.Catalog",
        title: "A node is quarantined",
        runbook: "docs/runbooks/inventory.md#node-quarantined",
    },
    AlertRule {
        key: "outbox_consumer_lag",
        signal: "kernel.consumer_lag_s",
        context: "Operations",
        title: "An event consumer is falling behind",
        runbook: "docs/runbooks/operations.md#outbox-consumer-lag",
    },
    AlertRule {
        key: "controller_lease_lost",
        signal: "kernel.lease_expired_s",
        context: "Operations",
        title: "A controller is not running on any replica",
        runbook: "docs/runbooks/operations.md#controller-lease-lost",
    },
];

/// Each context's runbook: every SEV-1 context has one (a test holds this), and so does every
/// context owning an alert rule.
pub const RUNBOOKS: &[(&str, &str)] = &[
    ("IAM", "docs/runbooks/iam.md"),
    ("Billing", "docs/runbooks/billing.md"),
    ("Provisioning.Allocation", "docs/runbooks/allocation.md"),
    ("Provisioning.BareMetal.MAAS", "docs/runbooks/maas.md"),
    ("Operations", "docs/runbooks/operations.md"),
    ("Security Controls & Reviews", "docs/runbooks/security.md"),
    ("Shared Kernel", "docs/runbooks/kernel.md"),
    ("Inventory.Catalog", "docs/runbooks/inventory.md"),
];

/// A Markdown heading's anchor as GitHub makes it: lowercase, spaces to `-`, punctuation dropped.
pub fn heading_anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

pub fn rule(key: &str) -> Option<&'static AlertRule> {
    RULES.iter().find(|rule| rule.key == key)
}

/// When each rule fires: at or above its threshold (and, for rates, over enough samples).
#[derive(Debug, Clone, PartialEq)]
pub struct Thresholds {
    /// Open drift records at one site.
    pub drift_open: f64,
    /// Failed ÷ finished deploys at one site within the window…
    pub deploy_failure_rate: f64,
    /// …counted only from this many finished deploys.
    pub deploy_min_samples: u64,
    /// Seconds a region has not answered.
    pub site_unreachable_s: f64,
    /// Balances exhausted within the window.
    pub balances_exhausted: f64,
    /// Failed logins within the window.
    pub login_failures: f64,
    /// Seconds the oldest unread event has waited for one consumer.
    pub consumer_lag_s: f64,
    /// Seconds since a controller's lease ran out with no replica renewing it.
    pub lease_expired_s: f64,
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds {
            drift_open: 1.0,
            deploy_failure_rate: 0.25,
            deploy_min_samples: 4,
            site_unreachable_s: 120.0,
            balances_exhausted: 5.0,
            login_failures: 50.0,
            consumer_lag_s: 300.0,
            lease_expired_s: 60.0,
        }
    }
}

impl Thresholds {
    /// Whether `signal` makes `rule` fire.
    pub fn fires(&self, rule: &AlertRule, signal: &Signal) -> bool {
        let threshold = match rule.key {
            "reconciliation_drift" => self.drift_open,
            "deploy_failure_rate" => {
                if signal.samples.unwrap_or(0) < self.deploy_min_samples {
                    return false;
                }
                self.deploy_failure_rate
            }
            "maas_site_unreachable" => self.site_unreachable_s,
            // Any imbalance at all.
            "ledger_verify_failed" => 1.0,
            "balance_exhausted_spike" => self.balances_exhausted,
            "login_failure_spike" => self.login_failures,
            // Every quarantined node waits for a person.
            "node_quarantined" => 1.0,
            "outbox_consumer_lag" => self.consumer_lag_s,
            "controller_lease_lost" => self.lease_expired_s,
            _ => return false,
        };
        signal.value >= threshold
    }
}

/// An incident's severity: its context's on-call severity (SEV-2 when OWNERS.toml says
/// anything else, so a typo never silences a page entirely).
pub fn severity_of(context: &ContextOwnership) -> Severity {
    Severity::parse(&context.on_call_severity).unwrap_or(Severity::Sev2)
}

/// The OWNERS.toml roles paged when an incident opens: primary and secondary at once for the
/// severities the escalation policy names, else the primary.
pub fn roles_paged_on_open(registry: &OwnershipRegistry, context: &ContextOwnership) -> Vec<String> {
    let severity = severity_of(context);
    let mut roles = vec![context.primary.clone()];
    if registry
        .escalation
        .page_both_on
        .iter()
        .any(|s| s == severity.as_str())
        && context.secondary != context.primary
    {
        roles.push(context.secondary.clone());
    }
    roles
}

/// Whether an unresolved incident opened at `opened_at_us` is due for escalation at `now_us`.
pub fn escalation_due(opened_at_us: i64, now_us: i64, after: Duration) -> bool {
    now_us.saturating_sub(opened_at_us) >= i64::try_from(after.as_micros()).unwrap_or(i64::MAX)
}

/// A person on call for an OWNERS.toml role, and where to page them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnCallPerson {
    pub name: String,
    /// OWNERS.toml role key.
    pub role: String,
    #[serde(default)]
    pub email: Option<String>,
    /// Receives a JSON page (generic webhook).
    #[serde(default)]
    pub webhook_url: Option<String>,
    /// Signs webhook pages: `Ingot-Signature: sha256=<hex HMAC of the body>`.
    #[serde(default)]
    pub webhook_secret: Option<String>,
    /// A PagerDuty service's Events API v2 integration key.
    #[serde(default)]
    pub pagerduty_routing_key: Option<String>,
}

/// The on-call file: OWNERS.toml roles → people and how to reach them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnCall {
    #[serde(default)]
    pub people: Vec<OnCallPerson>,
}

/// Where one page goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// The log and the outbox (`incident.paged`): always available, the embedded default.
    Log,
    Webhook,
    PagerDuty,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Log => "log",
            Channel::Webhook => "webhook",
            Channel::PagerDuty => "pagerduty",
        }
    }

    pub fn parse(text: &str) -> Option<Channel> {
        match text {
            "log" => Some(Channel::Log),
            "webhook" => Some(Channel::Webhook),
            "pagerduty" => Some(Channel::PagerDuty),
            _ => None,
        }
    }
}

/// One page to queue: a role, the person if the on-call file names one, and a channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageTarget {
    pub role: String,
    pub person: Option<String>,
    pub channel: Channel,
}

impl OnCall {
    /// Parses and checks an on-call file against the ownership registry's roles.
    pub fn parse(text: &str, registry: &OwnershipRegistry) -> Result<OnCall, String> {
        let on_call: OnCall = toml::from_str(text).map_err(|e| e.message().replace('\n', " "))?;
        for person in &on_call.people {
            if registry.role(&person.role).is_none() {
                return Err(format!(
                    "{}: unknown role `{}` (OWNERS.toml has {})",
                    person.name,
                    person.role,
                    registry
                        .roles
                        .iter()
                        .map(|r| r.key.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            if let Some(url) = &person.webhook_url
                && !(url.starts_with("https://") || url.starts_with("http://"))
            {
                return Err(format!("{}: webhook_url must be http(s)://…", person.name));
            }
            if person.webhook_secret.is_some() && person.webhook_url.is_none() {
                return Err(format!("{}: webhook_secret without webhook_url", person.name));
            }
        }
        Ok(on_call)
    }

    /// Every page owed to `role`: one per person and channel they have, a log page for a
    /// person without any, and a log page to the role itself when nobody is on call for it.
    pub fn targets(&self, role: &str) -> Vec<PageTarget> {
        let mut targets = Vec::new();
        for person in self.people.iter().filter(|p| p.role == role) {
            let mut channels = Vec::new();
            if person.webhook_url.is_some() {
                channels.push(Channel::Webhook);
            }
            if person.pagerduty_routing_key.is_some() {
                channels.push(Channel::PagerDuty);
            }
            if channels.is_empty() {
                channels.push(Channel::Log);
            }
            targets.extend(channels.into_iter().map(|channel| PageTarget {
                role: role.to_string(),
                person: Some(person.name.clone()),
                channel,
            }));
        }
        if targets.is_empty() {
            targets.push(PageTarget {
                role: role.to_string(),
                person: None,
                channel: Channel::Log,
            });
        }
        targets
    }

    pub fn person(&self, role: &str, name: &str) -> Option<&OnCallPerson> {
        self.people.iter().find(|p| p.role == role && p.name == name)
    }

    /// Names per role, for `ingot admin ownership` and the incident page.
    pub fn by_role(&self) -> BTreeMap<String, Vec<String>> {
        let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for person in &self.people {
            map.entry(person.role.clone())
                .or_default()
                .push(person.name.clone());
        }
        map
    }
}

/// Delay before the `attempt`-th retry of a page (1-based): 5 s doubling, at most 5 minutes.
pub fn page_retry_delay(attempt: u32) -> Duration {
    let seconds = 5u64.saturating_mul(1u64 << attempt.saturating_sub(1).min(6));
    Duration::from_secs(seconds.min(300))
}

/// Attempts before a page is given up (and the failure shown on the timeline).
pub const PAGE_ATTEMPTS_MAX: u32 = 8;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_database_makes_a_replica_unready_and_a_cache_outage_is_degraded() {
        let check = |name: &str, ok: bool| CheckResult {
            name: name.into(),
            ok,
            detail: None,
        };
        let table = [
            (true, Some(true), "ok"),
            (true, None, "ok"),
            (true, Some(false), "degraded"),
            (false, Some(true), "unavailable"),
            (false, Some(false), "unavailable"),
            (false, None, "unavailable"),
        ];
        for (database, cache, expected) in table {
            let optional: Vec<_> = cache.map(|ok| check("cache", ok)).into_iter().collect();
            assert_eq!(
                readiness_status(&[check("database", database)], &optional),
                expected,
                "database {database}, cache {cache:?}"
            );
        }
    }

    #[test]
    fn shipped_owners_file_is_valid_and_complete() {
        let registry = ownership_registry_parse(OWNERS_TOML).unwrap();
        for context in [
            "IAM",
            "Billing",
            "Provisioning.Allocation",
            "Provisioning.BareMetal.MAAS",
            "Inventory.Catalog",
            "App Platform",
            "UX",
            "Operations",
            "Read Models",
            "Security Controls & Reviews",
        ] {
            assert!(
                registry.contexts.iter().any(|c| c.name == context),
                "{context} missing"
            );
        }
        let maas = registry
            .owner_of("domains/provisioning-baremetal-maas/sim/src/lib.rs")
            .unwrap();
        assert_eq!(
            (maas.primary.as_str(), maas.on_call_severity.as_str()),
            ("infra-sre", "SEV-1")
        );
        assert_eq!(
            registry.owner_of("contracts/src/billing.rs").unwrap().name,
            "Billing"
        );
        assert_eq!(
            registry.owner_of("contracts/src/lib.rs").unwrap().name,
            "Shared Kernel"
        );
    }

    #[test]
    fn a_rule_without_its_reviewer_is_refused() {
        let broken = OWNERS_TOML.replace(
            "required_reviewers = [\"platform-lead\", \"backend-engineer\"]\n\n[[contexts]]\nname = \"Provisioning.Allocation\"",
            "required_reviewers = [\"backend-engineer\"]\n\n[[contexts]]\nname = \"Provisioning.Allocation\"",
        );
        assert_ne!(broken, OWNERS_TOML, "the fixture edit must apply");
        let err = ownership_registry_parse(&broken).unwrap_err();
        assert!(err.contains("Billing") && err.contains("platform-lead"), "{err}");
    }

    fn registry() -> OwnershipRegistry {
        ownership_registry_parse(OWNERS_TOML).unwrap()
    }

    fn context<'a>(registry: &'a OwnershipRegistry, name: &str) -> &'a ContextOwnership {
        registry.contexts.iter().find(|c| c.name == name).unwrap()
    }

    #[test]
    fn every_rule_belongs_to_a_context_of_owners_toml() {
        let registry = registry();
        for rule in RULES {
            assert!(
                registry.contexts.iter().any(|c| c.name == rule.context),
                "{}: unknown context {}",
                rule.key,
                rule.context
            );
            assert!(
                rule.runbook.starts_with("docs/runbooks/") && rule.runbook.contains(".md#"),
                "{}",
                rule.key
            );
        }
        let keys: std::collections::BTreeSet<_> = RULES.iter().map(|r| r.key).collect();
        assert_eq!(keys.len(), RULES.len(), "rule keys are unique");
    }

    #[test]
    fn sev1_pages_primary_and_secondary_and_sev2_the_primary() {
        let registry = registry();
        let iam = context(&registry, "IAM");
        assert_eq!(severity_of(iam), Severity::Sev1);
        assert_eq!(
            roles_paged_on_open(&registry, iam),
            ["backend-engineer", "security-champion"]
        );
        let inventory = context(&registry, "Inventory.Catalog");
        assert_eq!(severity_of(inventory), Severity::Sev2);
        assert_eq!(roles_paged_on_open(&registry, inventory), ["backend-engineer"]);
    }

    #[test]
    fn escalation_is_due_at_the_configured_age_not_before() {
        let after = Duration::from_secs(30 * 60);
        let opened = 1_000_000;
        assert!(!escalation_due(opened, opened + 29 * 60 * 1_000_000, after));
        assert!(escalation_due(opened, opened + 30 * 60 * 1_000_000, after));
    }

    #[test]
    fn thresholds_decide_and_rates_need_enough_samples() {
        let t = Thresholds::default();
        let rule = rule("deploy_failure_rate").unwrap();
        let rate = |value, samples| {
            Signal::new("maas.deploy_failure_rate", "site:x", value, "").from_samples(samples)
        };
        assert!(t.fires(rule, &rate(0.5, 4)));
        assert!(!t.fires(rule, &rate(0.5, 3)), "too few deploys to judge");
        assert!(!t.fires(rule, &rate(0.2, 100)));
        let silent = rule_signal("maas_site_unreachable", 119.0);
        assert!(!t.fires(rule_of("maas_site_unreachable"), &silent));
        assert!(t.fires(
            rule_of("maas_site_unreachable"),
            &rule_signal("maas_site_unreachable", 120.0)
        ));
        assert!(t.fires(
            rule_of("ledger_verify_failed"),
            &rule_signal("ledger_verify_failed", 1.0)
        ));
    }

    fn rule_of(key: &str) -> &'static AlertRule {
        rule(key).unwrap()
    }

    fn rule_signal(key: &str, value: f64) -> Signal {
        Signal::new(rule_of(key).signal, "s", value, "")
    }

    #[test]
    fn the_on_call_file_maps_roles_to_people_and_channels() {
        let registry = registry();
        let on_call = OnCall::parse(
            r#"
[[people]]
name = "Ada"
role = "infra-sre"
webhook_url = "https://hooks.example.com/ada"
pagerduty_routing_key = "key"

[[people]]
name = "Bo"
role = "infra-sre"
"#,
            &registry,
        )
        .unwrap();
        let channels: Vec<_> = on_call
            .targets("infra-sre")
            .into_iter()
            .map(|t| (t.person.unwrap(), t.channel))
            .collect();
        assert_eq!(
            channels,
            [
                ("Ada".to_string(), Channel::Webhook),
                ("Ada".to_string(), Channel::PagerDuty),
                ("Bo".to_string(), Channel::Log)
            ]
        );
        // Nobody on call for a role: the page still happens, to the log, naming the role.
        assert_eq!(
            on_call.targets("platform-lead"),
            [PageTarget {
                role: "platform-lead".into(),
                person: None,
                channel: Channel::Log
            }]
        );
        let err = OnCall::parse("[[people]]\nname = \"X\"\nrole = \"ceo\"\n", &registry).unwrap_err();
        assert!(err.contains("unknown role `ceo`"), "{err}");
        let err = OnCall::parse(
            "[[people]]\nname = \"X\"\nrole = \"infra-sre\"\nwebhook_url = \"ftp://x\"\n",
            &registry,
        )
        .unwrap_err();
        assert!(err.contains("webhook_url"), "{err}");
        let err = OnCall::parse(
            "[[people]]\nname = \"X\"\nrole = \"infra-sre\"\npager = 1\n",
            &registry,
        )
        .unwrap_err();
        assert!(err.contains("pager"), "{err}");
    }

    #[test]
    fn page_retries_back_off_to_five_minutes() {
        assert_eq!(page_retry_delay(1), Duration::from_secs(5));
        assert_eq!(page_retry_delay(2), Duration::from_secs(10));
        assert_eq!(page_retry_delay(7), Duration::from_secs(300));
        assert_eq!(page_retry_delay(40), Duration::from_secs(300));
    }

    #[test]
    fn unknown_keys_are_refused() {
        let err = ownership_registry_parse(&format!("{OWNERS_TOML}\nsurprise = 1\n")).unwrap_err();
        assert!(err.contains("surprise"), "{err}");
    }
}
