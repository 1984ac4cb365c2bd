//! Operations service: readiness probes, the ownership registry, and alerting — rules evaluated
//! over the domains' signals open incidents, incidents page their context's on-call roles and
//! escalate, people acknowledge and resolve them.

use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;
use std::time::Duration;

use ingot_contracts::BoxFuture;
use ingot_contracts::iam::{Action, Actor, AuditEntry, AuditTrail, Authorizer, Resource};
use ingot_contracts::operations::{
    CheckResult, HealthReport, IncidentChanged, IncidentError, IncidentFilter, IncidentNoteRequest,
    IncidentOpened, IncidentPaged, IncidentState, IncidentView, MaintenanceSource, OperationsApi,
    OwnershipError, OwnershipRegistry, Signal, SignalQuery, SignalSource,
};
use ingot_kernel::cache::Cache;
use ingot_kernel::clock::{Clock, Timestamp};
use ingot_kernel::db::{Backend, Db, DbError, Tx};
use ingot_kernel::event::DomainEvent;
use ingot_kernel::id::{IncidentId, new_ulid};
use ingot_kernel::outbox;
use ingot_kernel::page::{Page, PageRequest};
use metrics_exporter_prometheus::PrometheusHandle;

use crate::model::{self, AlertRule, OnCall, Thresholds};
use crate::notify::Notifier;
use crate::store::{self, IncidentRow, PageRow, StateFilter};

/// Alerting's settings: how often, over what window, at which thresholds, and who is on call.
#[derive(Clone)]
pub struct AlertingConfig {
    pub interval: Duration,
    pub window: Duration,
    pub thresholds: Thresholds,
    /// Unresolved this long after opening, an incident pages OWNERS.toml's `escalate_to`.
    /// `None`: OWNERS.toml's `escalate_after_min`.
    pub escalate_after: Option<Duration>,
    pub on_call: OnCall,
    /// PagerDuty's Events API v2 endpoint (a local receiver in tests).
    pub pagerduty_url: String,
    pub page_timeout: Duration,
}

impl Default for AlertingConfig {
    fn default() -> AlertingConfig {
        AlertingConfig {
            interval: Duration::from_secs(30),
            window: Duration::from_secs(15 * 60),
            thresholds: Thresholds::default(),
            escalate_after: None,
            on_call: OnCall::default(),
            pagerduty_url: "https://events.pagerduty.com/v2/enqueue".into(),
            page_timeout: Duration::from_secs(10),
        }
    }
}

/// What alerting reads and writes through: the domains' signals and maintenance, IAM's audit.
pub struct AlertingDeps {
    pub audit: Arc<dyn AuditTrail>,
    pub sources: Vec<Arc<dyn SignalSource>>,
    pub maintenance: Vec<Arc<dyn MaintenanceSource>>,
}

struct Alerting {
    config: AlertingConfig,
    deps: AlertingDeps,
    notifier: Notifier,
}

pub struct OperationsService {
    pub(crate) version: String,
    registry: OwnershipRegistry,
    authorizer: Arc<dyn Authorizer>,
    db: Db,
    cache: Cache,
    pub(crate) metrics: PrometheusHandle,
    clock: Arc<dyn Clock>,
    alerting: Option<Alerting>,
}

type Result<T, E = IncidentError> = std::result::Result<T, E>;

fn internal(err: impl std::fmt::Display + 'static) -> IncidentError {
    if ingot_kernel::db::unavailable_in(&err) {
        tracing::warn!(error = %err, "operations: the database is unavailable");
        return IncidentError::Unavailable("the database");
    }
    tracing::error!(error = %err, "operations: internal error");
    IncidentError::Internal
}

async fn emit(tx: &mut Tx, event: &impl DomainEvent, now: Timestamp) -> Result<(), DbError> {
    outbox::append_in_tx(tx, &event.to_envelope(now))
        .await
        .map(|_| ())
}

/// A note as the timeline and audit log keep it.
fn note_valid(request: &IncidentNoteRequest) -> Result<Option<String>> {
    match request.note.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(note) if note.chars().count() > 1_000 => Err(IncidentError::Invalid {
            field: "note".into(),
            message: "at most 1000 characters".into(),
        }),
        Some(note) if note.chars().any(|c| c.is_control() && c != '\n') => Err(IncidentError::Invalid {
            field: "note".into(),
            message: "must not contain control characters".into(),
        }),
        Some(note) => Ok(Some(note.to_string())),
    }
}

impl OperationsService {
    pub fn new(
        version: String,
        registry: OwnershipRegistry,
        authorizer: Arc<dyn Authorizer>,
        db: Db,
        cache: Cache,
        metrics: PrometheusHandle,
        clock: Arc<dyn Clock>,
    ) -> OperationsService {
        OperationsService {
            version,
            registry,
            authorizer,
            db,
            cache,
            metrics,
            clock,
            alerting: None,
        }
    }

    /// Turns alerting on: without it incidents can be read but none open.
    pub fn with_alerting(mut self, config: AlertingConfig, deps: AlertingDeps) -> OperationsService {
        let notifier = Notifier::new(config.pagerduty_url.clone(), config.page_timeout);
        self.alerting = Some(Alerting {
            config,
            deps,
            notifier,
        });
        self
    }

    pub fn alerting_interval(&self) -> Option<Duration> {
        self.alerting.as_ref().map(|a| a.config.interval)
    }

    /// Liveness: the process answers. Deliberately checks nothing else, so a database outage
    /// does not get healthy replicas restarted.
    pub fn health(&self) -> HealthReport {
        HealthReport {
            status: "ok".into(),
            version: self.version.clone(),
            checks: Vec::new(),
        }
    }

    /// The Prometheus exposition, with the gauges that are read at scrape time brought up to
    /// date first: each event consumer's distance behind the outbox (counted up to 10,000).
    pub async fn metrics_render(&self) -> String {
        match ingot_kernel::outbox::backlogs(&self.db, 10_000).await {
            Ok(backlogs) => {
                let now = self.clock.now();
                for backlog in backlogs {
                    let lag = backlog
                        .oldest_unread_at
                        .map_or(0.0, |oldest| now.since(oldest).as_secs_f64());
                    metrics::gauge!("ingot_outbox_consumer_lag_seconds", "consumer" => backlog.consumer.clone())
                        .set(lag);
                    metrics::gauge!("ingot_outbox_consumer_behind", "consumer" => backlog.consumer)
                        .set(backlog.behind as f64);
                }
            }
            Err(err) => tracing::warn!(error = %err, "outbox backlogs unreadable for /metrics"),
        }
        self.metrics.render()
    }

    /// Readiness: the database answers, and Redis when one is configured.
    pub async fn readiness(&self) -> HealthReport {
        let database = self.db.ping().await;
        let required = vec![CheckResult {
            name: "database".into(),
            ok: database.is_ok(),
            detail: database.err().map(|_| "database did not answer".into()),
        }];
        let mut optional = Vec::new();
        if self.cache.is_redis() {
            let cache = self.cache.ping().await;
            optional.push(CheckResult {
                name: "cache".into(),
                ok: cache.is_ok(),
                detail: cache.err().map(|_| "redis did not answer".into()),
            });
        }
        HealthReport {
            status: model::readiness_status(&required, &optional).into(),
            version: self.version.clone(),
            checks: required.into_iter().chain(optional).collect(),
        }
    }

    /// Every source's answer now, in order (tests check that each answers on both backends).
    pub async fn signals_read(&self) -> Vec<(&Arc<dyn SignalSource>, Result<Vec<Signal>, String>)> {
        let Some(alerting) = &self.alerting else {
            return Vec::new();
        };
        let query = SignalQuery {
            now: self.clock.now(),
            window: alerting.config.window,
        };
        let mut answers = Vec::new();
        for source in &alerting.deps.sources {
            answers.push((source, source.signals(query).await));
        }
        answers
    }

    /// One evaluation: every source asked, every rule compared, incidents opened, refreshed and
    /// cleared, then each unresolved incident's paging brought up to date (held under
    /// maintenance, first pages, escalation). Returns the rules firing, by (rule, subject).
    #[tracing::instrument(name = "operations.alerts_evaluate", skip_all)]
    pub async fn alerts_evaluate(&self) -> Result<Vec<(String, String)>, DbError> {
        let Some(alerting) = &self.alerting else {
            return Ok(Vec::new());
        };
        let now = self.clock.now();
        let mut answered: HashSet<&'static str> = HashSet::new();
        let mut firing: Vec<(&'static AlertRule, Signal)> = Vec::new();
        for (source, answer) in self.signals_read().await {
            match answer {
                Ok(signals) => {
                    answered.extend(source.signal_names().iter().copied());
                    for signal in signals {
                        for rule in model::RULES.iter().filter(|r| r.signal == signal.name) {
                            if alerting.config.thresholds.fires(rule, &signal) {
                                firing.push((rule, signal.clone()));
                            }
                        }
                    }
                }
                Err(err) => {
                    // Its rules keep their incidents as they are: an unanswered question clears
                    // nothing.
                    metrics::counter!("ingot_alert_source_errors_total").increment(1);
                    tracing::warn!(signals = ?source.signal_names(), error = %err, "a signal source did not answer");
                }
            }
        }
        metrics::counter!("ingot_alert_evaluations_total").increment(1);

        let mut keys = Vec::new();
        for (rule, signal) in &firing {
            keys.push((rule.key.to_string(), signal.subject.clone()));
            self.incident_fire(rule, signal, now).await?;
        }
        let firing_keys: BTreeSet<(String, String)> = keys.iter().cloned().collect();

        let unresolved = store::incidents_unresolved(self.db.reader()).await?;
        for row in &unresolved {
            let incident = &row.view;
            let Some(rule) = model::rule(&incident.rule) else {
                continue;
            };
            if incident.firing
                && answered.contains(rule.signal)
                && !firing_keys.contains(&(incident.rule.clone(), incident.subject.clone()))
            {
                let mut tx = self.db.begin().await?;
                store::incident_cleared_in_tx(&mut tx, incident.id).await?;
                store::timeline_append_in_tx(
                    &mut tx,
                    incident.id,
                    now,
                    "cleared",
                    "the condition no longer holds",
                )
                .await?;
                tx.commit().await?;
            }
        }
        let unresolved = store::incidents_unresolved(self.db.reader()).await?;
        metrics::gauge!("ingot_incidents_unresolved").set(unresolved.len() as f64);
        for row in unresolved {
            self.incident_page(alerting, row, now).await?;
        }
        Ok(keys)
    }

    /// Opens the incident for (rule, subject), or records another firing of the open one.
    async fn incident_fire(&self, rule: &AlertRule, signal: &Signal, now: Timestamp) -> Result<(), DbError> {
        let context = self.registry.contexts.iter().find(|c| c.name == rule.context);
        let severity = context
            .map(model::severity_of)
            .unwrap_or(ingot_contracts::operations::Severity::Sev2);
        let mut tx = self.db.begin().await?;
        match store::incident_unresolved_in_tx(&mut tx, rule.key, &signal.subject).await? {
            Some(existing) => {
                if !existing.view.firing {
                    store::timeline_append_in_tx(
                        &mut tx,
                        existing.view.id,
                        now,
                        "fired_again",
                        &signal.summary,
                    )
                    .await?;
                }
                store::incident_fired_in_tx(&mut tx, existing.view.id, &signal.summary, now).await?;
            }
            None => {
                let view = IncidentView {
                    id: IncidentId::generate(),
                    rule: rule.key.to_string(),
                    subject: signal.subject.clone(),
                    context: rule.context.to_string(),
                    severity,
                    state: IncidentState::Open,
                    title: rule.title.to_string(),
                    summary: signal.summary.clone(),
                    runbook: rule.runbook.to_string(),
                    firing: true,
                    opened_at: now,
                    last_fired_at: now,
                    acknowledged_at: None,
                    acknowledged_by: None,
                    resolved_at: None,
                    resolved_by: None,
                    escalated_at: None,
                    paging_held: None,
                    site_id: signal.site_id,
                    node_id: signal.node_id,
                    timeline: Vec::new(),
                };
                store::incident_insert_in_tx(&mut tx, &view).await?;
                store::timeline_append_in_tx(
                    &mut tx,
                    view.id,
                    now,
                    "opened",
                    &format!(
                        "{} ({}, {}): {}",
                        rule.title,
                        rule.context,
                        severity.as_str(),
                        signal.summary
                    ),
                )
                .await?;
                emit(
                    &mut tx,
                    &IncidentOpened {
                        incident_id: view.id,
                        rule: view.rule.clone(),
                        subject: view.subject.clone(),
                        context: view.context.clone(),
                        severity,
                        title: view.title.clone(),
                    },
                    now,
                )
                .await?;
                metrics::counter!("ingot_incidents_opened_total", "rule" => rule.key, "context" => rule.context)
                    .increment(1);
                tracing::warn!(incident = %view.id, rule = rule.key, subject = %view.subject, summary = %view.summary, "incident opened");
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Why paging about this incident is held now, asking each maintenance source.
    async fn maintenance_of(
        &self,
        alerting: &Alerting,
        incident: &IncidentView,
        now: Timestamp,
    ) -> Option<String> {
        if incident.site_id.is_none() && incident.node_id.is_none() {
            return None;
        }
        for source in &alerting.deps.maintenance {
            match source
                .maintenance_of(incident.site_id, incident.node_id, now)
                .await
            {
                Ok(Some(reason)) => return Some(reason),
                Ok(None) => {}
                // Unknown: page. Missing a real page is worse than an extra one.
                Err(err) => {
                    tracing::warn!(incident = %incident.id, error = %err, "maintenance lookup failed")
                }
            }
        }
        None
    }

    /// Brings one unresolved incident's paging up to date.
    async fn incident_page(
        &self,
        alerting: &Alerting,
        row: IncidentRow,
        now: Timestamp,
    ) -> Result<(), DbError> {
        let held = self.maintenance_of(alerting, &row.view, now).await;
        let mut tx = self.db.begin().await?;
        // Read again under the row lock: a resolution (or another pass) since the list was read
        // wins, and the conditional updates below queue each page once.
        let Some(row) =
            store::incident_get_in_tx(&mut tx, row.view.id, self.db.backend() == Backend::Postgres).await?
        else {
            return Ok(());
        };
        let incident = &row.view;
        if incident.state == IncidentState::Resolved {
            return Ok(());
        }
        if held != incident.paging_held {
            store::incident_paging_held_in_tx(&mut tx, incident.id, held.as_deref()).await?;
            let (kind, detail) = match &held {
                Some(reason) => ("paging_held", format!("paging held: {reason}")),
                None => ("paging_resumed", "maintenance ended: paging resumes".to_string()),
            };
            store::timeline_append_in_tx(&mut tx, incident.id, now, kind, &detail).await?;
        }
        let context = self.registry.contexts.iter().find(|c| c.name == incident.context);
        if held.is_none()
            && let Some(context) = context
        {
            if row.paged_at.is_none()
                && incident.firing
                && store::incident_paged_in_tx(&mut tx, incident.id, now).await?
            {
                for role in model::roles_paged_on_open(&self.registry, context) {
                    Self::pages_queue(&mut tx, alerting, incident.id, "opened", &role, now).await?;
                }
            }
            let after = alerting.config.escalate_after.unwrap_or(Duration::from_secs(
                u64::from(self.registry.escalation.escalate_after_min) * 60,
            ));
            if row.paged_at.is_some()
                && incident.escalated_at.is_none()
                && model::escalation_due(incident.opened_at.as_micros(), now.as_micros(), after)
                && store::incident_escalated_in_tx(&mut tx, incident.id, now).await?
            {
                let to = self.registry.escalation.escalate_to.clone();
                store::timeline_append_in_tx(
                    &mut tx,
                    incident.id,
                    now,
                    "escalated",
                    &format!("unresolved after {} min: escalated to {to}", after.as_secs() / 60),
                )
                .await?;
                Self::pages_queue(&mut tx, alerting, incident.id, "escalated", &to, now).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    async fn pages_queue(
        tx: &mut Tx,
        alerting: &Alerting,
        incident_id: IncidentId,
        reason: &str,
        role: &str,
        now: Timestamp,
    ) -> Result<(), DbError> {
        for target in alerting.config.on_call.targets(role) {
            let page = PageRow {
                id: new_ulid().to_string(),
                incident_id,
                reason: reason.to_string(),
                role: target.role.clone(),
                person: target.person.clone(),
                channel: target.channel.as_str().to_string(),
                attempts: 0,
            };
            store::page_insert_in_tx(tx, &page, now).await?;
            store::timeline_append_in_tx(
                tx,
                incident_id,
                now,
                "page_queued",
                &format!("{reason}: {} via {}", page_to(&page), page.channel),
            )
            .await?;
        }
        Ok(())
    }

    /// Sends every page due: the outcome lands on the incident's timeline (and, once sent, in
    /// the outbox as `incident.paged`). Failed sends are retried with backoff, then given up.
    #[tracing::instrument(name = "operations.pages_deliver", skip_all)]
    pub async fn pages_deliver(&self) -> Result<usize, DbError> {
        let Some(alerting) = &self.alerting else {
            return Ok(0);
        };
        let now = self.clock.now();
        let mut sent = 0;
        for page in store::pages_due(self.db.reader(), now, 100).await? {
            let Some(incident) = store::incident_get(self.db.reader(), page.incident_id).await? else {
                continue;
            };
            // Resolved before this page went out: withdrawn, never sent (the resolution
            // cancels pending pages; this covers one read just before it).
            if incident.view.state == IncidentState::Resolved && page.reason != "resolved" {
                let mut tx = self.db.begin().await?;
                store::pages_cancel_in_tx(&mut tx, page.incident_id).await?;
                tx.commit().await?;
                continue;
            }
            let person = page
                .person
                .as_deref()
                .and_then(|name| alerting.config.on_call.person(&page.role, name));
            let outcome = alerting.notifier.send(&page, &incident.view, person).await;
            let attempts = page.attempts + 1;
            let now = self.clock.now();
            let channel = page.channel.clone();
            let mut tx = self.db.begin().await?;
            match outcome {
                Ok(()) => {
                    if store::page_attempted_in_tx(&mut tx, &page.id, "sent", attempts, now, None, now)
                        .await?
                    {
                        store::timeline_append_in_tx(
                            &mut tx,
                            page.incident_id,
                            now,
                            "paged",
                            &format!("{}: {} via {channel}", page.reason, page_to(&page)),
                        )
                        .await?;
                        emit(
                            &mut tx,
                            &IncidentPaged {
                                incident_id: page.incident_id,
                                role: page.role.clone(),
                                person: page.person.clone(),
                                channel: channel.clone(),
                                reason: page.reason.clone(),
                            },
                            now,
                        )
                        .await?;
                        sent += 1;
                    }
                    metrics::counter!("ingot_pages_total", "channel" => channel, "result" => "sent")
                        .increment(1);
                }
                Err(err) => {
                    let gave_up = attempts >= model::PAGE_ATTEMPTS_MAX;
                    let (state, next) = if gave_up {
                        ("failed", now)
                    } else {
                        ("pending", now.plus(model::page_retry_delay(attempts)))
                    };
                    if store::page_attempted_in_tx(&mut tx, &page.id, state, attempts, next, Some(&err), now)
                        .await?
                        && (gave_up || attempts == 1)
                    {
                        let detail = if gave_up {
                            format!(
                                "{}: {} via {channel} failed {attempts} times; gave up: {err}",
                                page.reason,
                                page_to(&page)
                            )
                        } else {
                            format!(
                                "{}: {} via {channel} failed, retrying: {err}",
                                page.reason,
                                page_to(&page)
                            )
                        };
                        store::timeline_append_in_tx(&mut tx, page.incident_id, now, "page_failed", &detail)
                            .await?;
                    }
                    metrics::counter!("ingot_pages_total", "channel" => channel, "result" => "error")
                        .increment(1);
                    tracing::warn!(incident = %page.incident_id, role = %page.role, error = %err, "page not delivered");
                }
            }
            tx.commit().await?;
        }
        Ok(sent)
    }

    fn incident_lookup_allowed(&self, actor: &Actor, action: Action) -> Result<()> {
        self.authorizer
            .authorize(actor, action, Resource::Platform)
            .into_result()
            .map_err(IncidentError::Denied)
    }

    async fn incident_with_timeline(&self, incident_id: IncidentId) -> Result<IncidentView> {
        let row = store::incident_get(self.db.reader(), incident_id)
            .await
            .map_err(internal)?
            .ok_or(IncidentError::NotFound)?;
        let mut view = row.view;
        view.timeline = store::timeline_of(self.db.reader(), incident_id)
            .await
            .map_err(internal)?;
        Ok(view)
    }

    /// Acknowledge or resolve, in one transaction with its timeline line, audit record and event.
    async fn incident_change(
        &self,
        actor: &Actor,
        incident_id: IncidentId,
        request: IncidentNoteRequest,
        to: IncidentState,
    ) -> Result<IncidentView> {
        self.incident_lookup_allowed(actor, Action::IncidentManage)?;
        let note = note_valid(&request)?;
        let now = self.clock.now();
        let by = actor
            .user_id
            .map(|id| id.to_string())
            .unwrap_or_else(|| "unknown".into());
        let mut tx = self.db.begin().await.map_err(internal)?;
        let row = store::incident_get_in_tx(&mut tx, incident_id, self.db.backend() == Backend::Postgres)
            .await
            .map_err(internal)?
            .ok_or(IncidentError::NotFound)?;
        match (row.view.state, to) {
            (IncidentState::Resolved, _) => return Err(IncidentError::AlreadyResolved),
            // Acknowledging twice changes nothing.
            (IncidentState::Acknowledged, IncidentState::Acknowledged) => {
                drop(tx);
                return self.incident_with_timeline(incident_id).await;
            }
            _ => {}
        }
        store::incident_state_set_in_tx(&mut tx, incident_id, to, &by, now)
            .await
            .map_err(internal)?;
        let (action, kind) = match to {
            IncidentState::Acknowledged => ("operations.incident.acknowledge", "acknowledged"),
            _ => ("operations.incident.resolve", "resolved"),
        };
        let detail = match &note {
            Some(note) => format!("{kind} by {by}: {note}"),
            None => format!("{kind} by {by}"),
        };
        store::timeline_append_in_tx(&mut tx, incident_id, now, kind, &detail)
            .await
            .map_err(internal)?;
        if to == IncidentState::Resolved {
            let cancelled = store::pages_cancel_in_tx(&mut tx, incident_id)
                .await
                .map_err(internal)?;
            if cancelled > 0 {
                store::timeline_append_in_tx(
                    &mut tx,
                    incident_id,
                    now,
                    "pages_cancelled",
                    &format!("{cancelled} page(s) not yet sent were withdrawn"),
                )
                .await
                .map_err(internal)?;
            }
            // PagerDuty keeps an incident open until told: every person whose PagerDuty may have
            // received a trigger (sent, or tried: a timeout can hide a delivery) hears of it.
            let paged = store::pages_of(&mut *tx, incident_id).await.map_err(internal)?;
            let mut told = BTreeSet::new();
            for page in paged {
                if page.channel == "pagerduty"
                    && page.reason != "resolved"
                    && (page.state == "sent" || page.attempts > 0)
                    && told.insert((page.role.clone(), page.person.clone()))
                {
                    let resolve = PageRow {
                        id: new_ulid().to_string(),
                        incident_id,
                        reason: "resolved".into(),
                        role: page.role,
                        person: page.person,
                        channel: page.channel,
                        attempts: 0,
                    };
                    store::page_insert_in_tx(&mut tx, &resolve, now)
                        .await
                        .map_err(internal)?;
                }
            }
        }
        let audit = self.alerting.as_ref().map(|a| a.deps.audit.clone());
        if let Some(audit) = audit {
            audit
                .audit_in_tx(
                    &mut tx,
                    actor,
                    AuditEntry {
                        action,
                        target: incident_id.to_string(),
                        details: serde_json::json!({
                            "rule": row.view.rule,
                            "subject": row.view.subject,
                            "note": note,
                        }),
                    },
                )
                .await
                .map_err(internal)?;
        }
        emit(
            &mut tx,
            &IncidentChanged {
                incident_id,
                state: to,
                by: actor.user_id,
            },
            now,
        )
        .await
        .map_err(internal)?;
        tx.commit().await.map_err(internal)?;
        self.incident_with_timeline(incident_id).await
    }
}

fn page_to(page: &PageRow) -> String {
    match &page.person {
        Some(person) => format!("{person} ({})", page.role),
        None => format!("{} (no one on call named)", page.role),
    }
}

impl OperationsApi for OperationsService {
    fn ownership_get<'a>(
        &'a self,
        actor: &'a Actor,
    ) -> BoxFuture<'a, Result<OwnershipRegistry, OwnershipError>> {
        Box::pin(async move {
            self.authorizer
                .authorize(actor, Action::OwnershipRead, Resource::Platform)
                .into_result()
                .map_err(OwnershipError::Denied)?;
            Ok(self.registry.clone())
        })
    }

    fn incidents_list<'a>(
        &'a self,
        actor: &'a Actor,
        filter: IncidentFilter,
    ) -> BoxFuture<'a, Result<Page<IncidentView>>> {
        Box::pin(async move {
            self.incident_lookup_allowed(actor, Action::IncidentRead)?;
            let request = PageRequest {
                limit: filter.limit,
                cursor: filter.cursor.clone(),
            };
            let invalid = |field: &str, message: String| IncidentError::Invalid {
                field: field.into(),
                message,
            };
            let limit = request.limit().map_err(|e| invalid("limit", e.to_string()))?;
            let before: Option<IncidentId> = request.after().map_err(|e| invalid("cursor", e.to_string()))?;
            let states = match (filter.state, filter.all) {
                (Some(state), _) => StateFilter::Only(state),
                (None, Some(true)) => StateFilter::All,
                (None, _) => StateFilter::Unresolved,
            };
            let rows = store::incidents_page(self.db.reader(), states, before, limit)
                .await
                .map_err(internal)?;
            let views = rows.into_iter().map(|row| row.view).collect();
            Ok(Page::from_overfetch(views, limit, |view: &IncidentView| view.id))
        })
    }

    fn incident_get<'a>(
        &'a self,
        actor: &'a Actor,
        incident_id: IncidentId,
    ) -> BoxFuture<'a, Result<IncidentView>> {
        Box::pin(async move {
            self.incident_lookup_allowed(actor, Action::IncidentRead)?;
            self.incident_with_timeline(incident_id).await
        })
    }

    fn incident_ack<'a>(
        &'a self,
        actor: &'a Actor,
        incident_id: IncidentId,
        request: IncidentNoteRequest,
    ) -> BoxFuture<'a, Result<IncidentView>> {
        Box::pin(self.incident_change(actor, incident_id, request, IncidentState::Acknowledged))
    }

    fn incident_resolve<'a>(
        &'a self,
        actor: &'a Actor,
        incident_id: IncidentId,
        request: IncidentNoteRequest,
    ) -> BoxFuture<'a, Result<IncidentView>> {
        Box::pin(self.incident_change(actor, incident_id, request, IncidentState::Resolved))
    }
}
