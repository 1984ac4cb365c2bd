//! Operations published language: health and readiness reports, and the ownership registry
//! (OWNERS.toml) that CODEOWNERS, paging and `GET /v1/admin/ownership` all read.

use serde::{Deserialize, Serialize};

use ingot_kernel::Timestamp;
use ingot_kernel::id::{IncidentId, NodeId, SiteId, UserId};
use ingot_kernel::page::Page;
use ingot_kernel::problem::{Code, Problem};

use crate::BoxFuture;
use crate::iam::Actor;

/// One readiness check's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CheckResult {
    /// `database`, `cache`.
    pub name: String,
    pub ok: bool,
    /// Why it failed; never carries a secret or a connection string.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub detail: Option<String>,
}

/// `/healthz` and `/readyz` bodies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct HealthReport {
    /// `ok`; `degraded` (serving, an optional dependency such as the cache is down: answers
    /// are correct, slower); or `unavailable` (503: the database is down).
    pub status: String,
    pub version: String,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub checks: Vec<CheckResult>,
}

/// A person-role of the team model, with where to reach them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnerRole {
    /// Stable key: `platform-lead`.
    pub key: String,
    /// `Platform Lead`.
    pub title: String,
    /// The code-review handle written into CODEOWNERS: `@ingot/platform-lead`.
    pub handle: String,
}

/// One bounded context (or shared area) and who answers for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContextOwnership {
    /// As the ownership map names it: `Provisioning.BareMetal.MAAS`.
    pub name: String,
    /// Repository paths the context owns; a trailing `/` means a folder.
    pub paths: Vec<String>,
    /// Role keys.
    pub primary: String,
    pub secondary: String,
    /// `SEV-1` or `SEV-2`: how incidents in this context page.
    pub on_call_severity: String,
    /// Role keys whose approval a change here needs, after the approval rules.
    pub required_reviewers: Vec<String>,
    /// Names of the approval rules that apply.
    #[serde(default)]
    pub rules: Vec<String>,
}

/// A change-approval rule of the ownership map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovalRule {
    /// `security-sensitive`.
    pub name: String,
    pub description: String,
    /// Role keys that must approve in addition to the owner; `secondary` means the context's own.
    pub reviewers: Vec<String>,
}

/// How pages escalate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EscalationPolicy {
    /// Severities that page primary and secondary at once.
    pub page_both_on: Vec<String>,
    /// Minutes unresolved before escalating to `escalate_to`.
    pub escalate_after_min: u32,
    pub escalate_to: String,
}

/// OWNERS.toml, parsed: the ownership matrix and approval rules as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnershipRegistry {
    pub roles: Vec<OwnerRole>,
    pub contexts: Vec<ContextOwnership>,
    pub approval_rules: Vec<ApprovalRule>,
    pub escalation: EscalationPolicy,
    /// The dashboards' projections with their source-owning domains and BFF owner, as the
    /// Read Models code declares them (not written in OWNERS.toml).
    #[serde(default)]
    pub projections: Vec<crate::read_models::ProjectionOwnership>,
    /// Who is on call for each role (names only; contacts stay in the on-call file), from the
    /// configured on-call file (not written in OWNERS.toml).
    #[serde(default)]
    pub on_call: std::collections::BTreeMap<String, Vec<String>>,
}

impl OwnershipRegistry {
    pub fn role(&self, key: &str) -> Option<&OwnerRole> {
        self.roles.iter().find(|role| role.key == key)
    }

    /// The context owning `path` (relative, `/`-separated): the longest matching path wins.
    pub fn owner_of(&self, path: &str) -> Option<&ContextOwnership> {
        self.contexts
            .iter()
            .flat_map(|context| context.paths.iter().map(move |p| (p, context)))
            .filter(|(p, _)| {
                if p.ends_with('/') {
                    path.starts_with(p.as_str()) || path == p.trim_end_matches('/')
                } else {
                    path == p.as_str()
                }
            })
            .max_by_key(|(p, _)| p.len())
            .map(|(_, context)| context)
    }

    /// The owner plus every reviewer the context's approval rules call for (`secondary` resolved).
    pub fn reviewers_by_rules(&self, context: &ContextOwnership) -> Vec<String> {
        let mut reviewers = vec![context.primary.clone()];
        for rule in self
            .approval_rules
            .iter()
            .filter(|r| context.rules.contains(&r.name))
        {
            for reviewer in &rule.reviewers {
                let key = if reviewer == "secondary" {
                    &context.secondary
                } else {
                    reviewer
                };
                if !reviewers.contains(key) {
                    reviewers.push(key.clone());
                }
            }
        }
        reviewers
    }

    /// Every role key used anywhere is defined, and every context names known rules.
    pub fn check(&self) -> Result<(), String> {
        for context in &self.contexts {
            for key in [&context.primary, &context.secondary]
                .into_iter()
                .chain(&context.required_reviewers)
            {
                let key = key.as_str();
                if self.role(key).is_none() {
                    return Err(format!("context {}: unknown role `{key}`", context.name));
                }
            }
            for rule in &context.rules {
                if !self.approval_rules.iter().any(|r| &r.name == rule) {
                    return Err(format!(
                        "context {}: unknown approval rule `{rule}`",
                        context.name
                    ));
                }
            }
            for reviewer in self.reviewers_by_rules(context) {
                if !context.required_reviewers.contains(&reviewer) {
                    return Err(format!(
                        "context {}: its rules require `{reviewer}` among required_reviewers",
                        context.name
                    ));
                }
            }
            if context.paths.is_empty() {
                return Err(format!("context {} owns no path", context.name));
            }
        }
        if self.role(&self.escalation.escalate_to).is_none() {
            return Err(format!(
                "escalation: unknown role `{}`",
                self.escalation.escalate_to
            ));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OwnershipError {
    #[error("not allowed")]
    Denied(crate::iam::DenyReason),
}

impl From<OwnershipError> for ingot_kernel::problem::Problem {
    fn from(err: OwnershipError) -> ingot_kernel::problem::Problem {
        match err {
            OwnershipError::Denied(reason) => reason.into(),
        }
    }
}

/// Operations' service trait.
pub trait OperationsApi: Send + Sync {
    /// The ownership registry; platform admins only.
    fn ownership_get<'a>(
        &'a self,
        actor: &'a Actor,
    ) -> BoxFuture<'a, Result<OwnershipRegistry, OwnershipError>>;
    /// Incidents, newest first; operators, security, finance and support.
    fn incidents_list<'a>(
        &'a self,
        actor: &'a Actor,
        filter: IncidentFilter,
    ) -> BoxFuture<'a, Result<Page<IncidentView>, IncidentError>>;
    /// One incident with its whole timeline.
    fn incident_get<'a>(
        &'a self,
        actor: &'a Actor,
        incident_id: IncidentId,
    ) -> BoxFuture<'a, Result<IncidentView, IncidentError>>;
    /// Someone is on it: recorded, audited; paging goes on until resolved (escalation too).
    fn incident_ack<'a>(
        &'a self,
        actor: &'a Actor,
        incident_id: IncidentId,
        request: IncidentNoteRequest,
    ) -> BoxFuture<'a, Result<IncidentView, IncidentError>>;
    /// Done: recorded, audited; the next firing of the same rule and subject opens a new one.
    fn incident_resolve<'a>(
        &'a self,
        actor: &'a Actor,
        incident_id: IncidentId,
        request: IncidentNoteRequest,
    ) -> BoxFuture<'a, Result<IncidentView, IncidentError>>;
}

// ---------------------------------------------------------------------------------------------
// Alerting: what domains report about themselves, and the incidents Operations opens from it.

/// How far back a spike is counted, and the moment the question is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignalQuery {
    pub now: Timestamp,
    /// Window for counts such as "failed logins in the last 15 minutes".
    pub window: std::time::Duration,
}

/// One measurement a domain reports about itself. The owning domain decides how to measure;
/// Operations' rules decide when a value is worth waking someone for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signal {
    /// The measurement's stable name, as Operations' rules refer to it: `maas.site_unreachable_s`.
    pub name: String,
    /// What it is about, stable across passes (the incident's dedup key with the rule):
    /// `site:demo1`, `controller:billing.rating`, `platform`.
    pub subject: String,
    pub value: f64,
    /// One line for people: `site demo1: the region has not answered for 4 min (connection refused)`.
    pub summary: String,
    /// How many observations a rate is computed from (rules may want a minimum).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub samples: Option<u64>,
    /// The site or node it is about, so maintenance declared there can hold the pager.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_id: Option<SiteId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_id: Option<NodeId>,
}

impl Signal {
    pub fn new(name: &str, subject: impl Into<String>, value: f64, summary: impl Into<String>) -> Signal {
        Signal {
            name: name.to_string(),
            subject: subject.into(),
            value,
            summary: summary.into(),
            samples: None,
            site_id: None,
            node_id: None,
        }
    }

    pub fn from_samples(mut self, samples: u64) -> Signal {
        self.samples = Some(samples);
        self
    }

    pub fn at_site(mut self, site_id: SiteId) -> Signal {
        self.site_id = Some(site_id);
        self
    }

    pub fn at_node(mut self, node_id: NodeId) -> Signal {
        self.node_id = Some(node_id);
        self
    }
}

/// A domain's answer to "how are you?", for Operations' alert rules. Service to service: no
/// actor, nothing a tenant can reach.
pub trait SignalSource: Send + Sync {
    /// The names of the signals this source reports (every pass, even when healthy: a name
    /// answered without a subject means "nothing wrong", which clears open incidents).
    fn signal_names(&self) -> &'static [&'static str];
    /// The current measurements. Subjects absent from the answer are healthy.
    fn signals(&self, query: SignalQuery) -> BoxFuture<'_, Result<Vec<Signal>, String>>;
}

/// Whether a site or node is under declared maintenance: paging about it is held.
pub trait MaintenanceSource: Send + Sync {
    /// Why paging about this site or node is held now (`node nod_… is in maintenance: disk
    /// swap`), or `None`.
    fn maintenance_of(
        &self,
        site_id: Option<SiteId>,
        node_id: Option<NodeId>,
        now: Timestamp,
    ) -> BoxFuture<'_, Result<Option<String>, String>>;
}

/// `SEV-1` pages the context's primary and secondary at once; `SEV-2` its primary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub enum Severity {
    #[serde(rename = "SEV-1")]
    Sev1,
    #[serde(rename = "SEV-2")]
    Sev2,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Sev1 => "SEV-1",
            Severity::Sev2 => "SEV-2",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "SEV-1" => Some(Severity::Sev1),
            "SEV-2" => Some(Severity::Sev2),
            _ => None,
        }
    }
}

/// `open → acknowledged → resolved` (or `open → resolved`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IncidentState {
    Open,
    Acknowledged,
    Resolved,
}

impl IncidentState {
    pub fn as_str(self) -> &'static str {
        match self {
            IncidentState::Open => "open",
            IncidentState::Acknowledged => "acknowledged",
            IncidentState::Resolved => "resolved",
        }
    }

    pub fn parse(text: &str) -> Option<IncidentState> {
        match text {
            "open" => Some(IncidentState::Open),
            "acknowledged" => Some(IncidentState::Acknowledged),
            "resolved" => Some(IncidentState::Resolved),
            _ => None,
        }
    }
}

/// One line of an incident's history: fired, paged whom and how, held for maintenance,
/// escalated, acknowledged, cleared, resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TimelineEntry {
    pub at: Timestamp,
    /// `opened`, `fired_again`, `cleared`, `page_queued`, `paged`, `page_failed`,
    /// `paging_held`, `escalated`, `acknowledged`, `resolved`.
    pub kind: String,
    pub detail: String,
}

/// An incident: one rule firing about one subject, from its first firing until resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct IncidentView {
    pub id: IncidentId,
    /// The alert rule: `maas_site_unreachable`.
    pub rule: String,
    pub subject: String,
    /// The bounded context that owns the rule (OWNERS.toml's name).
    pub context: String,
    pub severity: Severity,
    pub state: IncidentState,
    pub title: String,
    /// The latest measurement's summary.
    pub summary: String,
    /// Where the owning context's runbook explains this alert: `docs/runbooks/maas.md#site-unreachable`.
    pub runbook: String,
    /// Whether the condition still held at the latest evaluation.
    pub firing: bool,
    pub opened_at: Timestamp,
    pub last_fired_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledged_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledged_by: Option<UserId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_by: Option<UserId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalated_at: Option<Timestamp>,
    /// Why paging is held now (maintenance), if it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paging_held: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_id: Option<SiteId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_id: Option<NodeId>,
    /// Oldest first. Empty in lists; whole on `GET /v1/admin/incidents/{incident_id}`.
    #[serde(default)]
    pub timeline: Vec<TimelineEntry>,
}

/// `GET /v1/admin/incidents`: newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct IncidentFilter {
    /// Only incidents in this state; without it, those not yet resolved.
    #[serde(default)]
    pub state: Option<IncidentState>,
    /// `true`: every state.
    #[serde(default)]
    pub all: Option<bool>,
    #[serde(default)]
    pub limit: Option<u32>,
    #[serde(default)]
    pub cursor: Option<String>,
}

/// `POST /v1/admin/incidents/{incident_id}/ack` and `…/resolve`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IncidentNoteRequest {
    /// What was found or done, for the timeline and the audit log (at most 1,000 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IncidentError {
    #[error("not allowed")]
    Denied(crate::iam::DenyReason),
    #[error("no such incident")]
    NotFound,
    #[error("the incident is already resolved")]
    AlreadyResolved,
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// A dependency (the database) is down for now: retry after a moment.
    #[error("{0} is unavailable")]
    Unavailable(&'static str),
    #[error("internal error")]
    Internal,
}

impl From<crate::iam::DenyReason> for IncidentError {
    fn from(reason: crate::iam::DenyReason) -> IncidentError {
        IncidentError::Denied(reason)
    }
}

impl From<IncidentError> for Problem {
    fn from(err: IncidentError) -> Problem {
        match err {
            IncidentError::Denied(reason) => reason.into(),
            IncidentError::NotFound => Problem::new(Code::NotFound).detail("no such incident"),
            IncidentError::AlreadyResolved => {
                Problem::new(Code::Conflict).detail("the incident is already resolved")
            }
            IncidentError::Invalid { field, message } => {
                Problem::new(Code::ValidationFailed).field(field, message)
            }
            IncidentError::Unavailable(what) => {
                Problem::new(Code::Unavailable).detail(format!("{what} is unavailable"))
            }
            IncidentError::Internal => Problem::new(Code::Internal),
        }
    }
}

/// `incident.opened`: a rule fired about a subject with no unresolved incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentOpened {
    pub incident_id: IncidentId,
    pub rule: String,
    pub subject: String,
    pub context: String,
    pub severity: Severity,
    pub title: String,
}
domain_event!(IncidentOpened, "incident.opened", "operations", subject: incident_id, tenant: none);

/// `incident.paged`: a page was handed to a notifier (the embedded default's outbox notifier
/// is this event and a log line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentPaged {
    pub incident_id: IncidentId,
    /// The OWNERS.toml role paged: `infra-sre`.
    pub role: String,
    /// The person, when the on-call file names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    /// `log`, `webhook`, `pagerduty`.
    pub channel: String,
    /// `opened` or `escalated`.
    pub reason: String,
}
domain_event!(IncidentPaged, "incident.paged", "operations", subject: incident_id, tenant: none);

/// `incident.acknowledged` and `incident.resolved`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentChanged {
    pub incident_id: IncidentId,
    pub state: IncidentState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<UserId>,
}
domain_event!(IncidentChanged, "incident.changed", "operations", subject: incident_id, tenant: none);
