//! Operations published language: health and readiness reports, and the ownership registry
//! (OWNERS.toml) that CODEOWNERS, paging and `GET /v1/admin/ownership` all read.

use serde::{Deserialize, Serialize};

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
    /// `ok` or `unavailable`.
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
}
