//! Notifier adapters: how a page leaves the building. `log` (the embedded default: a log line,
//! and the `incident.paged` event the service appends), a generic JSON webhook, and PagerDuty's
//! Events API v2.

use std::time::Duration;

use hmac::{Hmac, Mac};
use ingot_contracts::operations::{IncidentView, Severity};
use serde_json::json;
use sha2::Sha256;

use crate::model::{Channel, OnCallPerson};
use crate::store::PageRow;

pub struct Notifier {
    http: reqwest::Client,
    pagerduty_url: String,
}

/// The generic webhook's body (`kind` is `page`; `reason` `opened`, `escalated` or `resolved`).
pub fn webhook_body(page: &PageRow, incident: &IncidentView) -> serde_json::Value {
    json!({
        "kind": "page",
        "reason": page.reason,
        "to": { "role": page.role, "person": page.person },
        "incident": {
            "id": incident.id,
            "rule": incident.rule,
            "subject": incident.subject,
            "context": incident.context,
            "severity": incident.severity,
            "state": incident.state,
            "title": incident.title,
            "summary": incident.summary,
            "runbook": incident.runbook,
            "opened_at": incident.opened_at,
        },
    })
}

/// PagerDuty Events API v2: `trigger` (deduplicated on the incident id, so an escalation or a
/// retry updates the same PagerDuty incident) or `resolve`.
pub fn pagerduty_body(page: &PageRow, incident: &IncidentView, routing_key: &str) -> serde_json::Value {
    if page.reason == "resolved" {
        return json!({
            "routing_key": routing_key,
            "event_action": "resolve",
            "dedup_key": incident.id.to_string(),
        });
    }
    let severity = match incident.severity {
        Severity::Sev1 => "critical",
        Severity::Sev2 => "error",
    };
    let mut summary = format!(
        "[{}] {}: {}",
        incident.severity.as_str(),
        incident.title,
        incident.summary
    );
    // PagerDuty's limit on the summary.
    if summary.chars().count() > 1024 {
        summary = summary.chars().take(1021).collect::<String>() + "...";
    }
    json!({
        "routing_key": routing_key,
        "event_action": "trigger",
        "dedup_key": incident.id.to_string(),
        "payload": {
            "summary": summary,
            "source": format!("ingot:{}", incident.subject),
            "severity": severity,
            "timestamp": incident.opened_at.to_string(),
            "component": incident.context,
            "group": incident.context,
            "class": incident.rule,
            "custom_details": {
                "incident_id": incident.id,
                "reason": page.reason,
                "role": page.role,
                "runbook": incident.runbook,
            },
        },
        "client": "Ingot",
    })
}

impl Notifier {
    pub fn new(pagerduty_url: String, timeout: Duration) -> Notifier {
        let http = ingot_kernel::outbound::client_builder()
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            // Invariant: a builder with only a timeout and a redirect policy builds.
            .expect("the paging HTTP client builds");
        Notifier { http, pagerduty_url }
    }

    /// Sends one page. The error is one line, safe to show on the timeline (no secrets).
    pub async fn send(
        &self,
        page: &PageRow,
        incident: &IncidentView,
        person: Option<&OnCallPerson>,
    ) -> Result<(), String> {
        match Channel::parse(&page.channel) {
            Some(Channel::Log) => {
                tracing::warn!(
                    incident = %incident.id,
                    severity = incident.severity.as_str(),
                    role = %page.role,
                    person = page.person.as_deref().unwrap_or("-"),
                    reason = %page.reason,
                    title = %incident.title,
                    summary = %incident.summary,
                    runbook = %incident.runbook,
                    "PAGE"
                );
                Ok(())
            }
            Some(Channel::Webhook) => {
                let Some(url) = person.and_then(|p| p.webhook_url.as_deref()) else {
                    return Err("nobody with a webhook_url in the on-call file any more".into());
                };
                let body = serde_json::to_vec(&webhook_body(page, incident)).map_err(|e| e.to_string())?;
                let mut request = self
                    .http
                    .post(url)
                    .header(reqwest::header::CONTENT_TYPE, "application/json");
                if let Some(secret) = person.and_then(|p| p.webhook_secret.as_deref()) {
                    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
                        .map_err(|_| "the webhook secret is unusable".to_string())?;
                    mac.update(&body);
                    let signature = hex::encode(mac.finalize().into_bytes());
                    request = request.header("Ingot-Signature", format!("sha256={signature}"));
                }
                Self::answer(request.body(body).send().await)
            }
            Some(Channel::PagerDuty) => {
                let Some(key) = person.and_then(|p| p.pagerduty_routing_key.as_deref()) else {
                    return Err("nobody with a pagerduty_routing_key in the on-call file any more".into());
                };
                let body = pagerduty_body(page, incident, key);
                Self::answer(self.http.post(&self.pagerduty_url).json(&body).send().await)
            }
            None => Err(format!("unknown channel {}", page.channel)),
        }
    }

    fn answer(sent: Result<reqwest::Response, reqwest::Error>) -> Result<(), String> {
        match sent {
            Ok(response) if response.status().is_success() => Ok(()),
            Ok(response) => Err(format!("the receiver answered {}", response.status())),
            // Without the URL: it may carry a key.
            Err(err) => Err(format!("not delivered: {}", err.without_url())),
        }
    }
}
