//! Webhooks: subscriptions, the follower that turns events into deliveries, and the sender
//! that signs, sends, and tries again with backoff until the receiver answers 2xx.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use futures::StreamExt as _;
use ingot_contracts::allocation::AllocationRequested;
use ingot_contracts::app_platform::{
    AppPlatformError, DeliveryAttempt, DeliveryState, DeliveryView, WebhookCreateRequest, WebhookCreated,
    WebhookEventType, WebhookSubscribed, WebhookUpdateRequest, WebhookView,
};
use ingot_contracts::iam::{Action, Actor, DenyReason, Resource};
use ingot_kernel::crypto::webhook_signature_make;
use ingot_kernel::db::DbError;
use ingot_kernel::event::DomainEvent as _;
use ingot_kernel::id::{DeliveryId, ProjectId, TenantId, WebhookId};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use super::{AppPlatformService, Result, internal};
use crate::model::webhook::{
    PUBLIC_EVENTS, Scope, address_is_public, delivery_body, event_filter_check, event_matches, public_event,
    retry_delay, url_check,
};
use crate::store::webhooks::{self as store, DeliveryRow, WebhookRow};

/// The outbox consumer that turns events into deliveries.
pub const CONSUMER: &str = "app-platform.webhooks";
const DESCRIPTION_CHARS_MAX: usize = 500;
/// Deliveries taken per pass.
const DUE_BATCH: i64 = 64;

/// How webhooks are delivered.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    /// Plain http and private, loopback and link-local destinations: the test and embedded
    /// profiles only.
    pub private_destinations_ok: bool,
    /// One attempt's limit, connection to last byte.
    pub timeout: Duration,
    /// Attempts before a delivery is given up (it can still be redelivered by hand).
    pub attempts_max: u32,
    /// Deliveries in flight at once.
    pub in_flight: usize,
}

impl Default for WebhookConfig {
    fn default() -> WebhookConfig {
        WebhookConfig {
            private_destinations_ok: false,
            timeout: Duration::from_secs(10),
            attempts_max: 10,
            in_flight: 8,
        }
    }
}

/// Resolves host names to their public addresses only (unless private ones are allowed): the
/// connection goes to what was checked, so a name re-pointed at an internal address between a
/// check and the connection (DNS rebinding) finds nothing to connect to.
struct GuardedResolver {
    private_ok: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let private_ok = self.private_ok;
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> = found
                .into_iter()
                .filter(|a| private_ok || address_is_public(a.ip()))
                .collect();
            if allowed.is_empty() {
                return Err(format!("{host} has no public address").into());
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

/// The HTTP client deliveries go through: no redirects (a redirect could lead anywhere), the
/// attempt's timeout, the guarded resolver.
pub(super) fn delivery_client(config: &WebhookConfig) -> Option<reqwest::Client> {
    ingot_kernel::outbound::client_builder()
        // An environment proxy would resolve the receiver's host itself, past the guard.
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(config.timeout)
        .user_agent(concat!("ingot-webhooks/", env!("CARGO_PKG_VERSION")))
        .dns_resolver(Arc::new(GuardedResolver {
            private_ok: config.private_destinations_ok,
        }))
        .build()
        .map_err(|err| tracing::error!(error = %err, "webhook client not built; deliveries will fail"))
        .ok()
}

fn secret_context(webhook_id: WebhookId) -> String {
    format!("app.webhook:{webhook_id}")
}

/// A uniform number in [0, 1) for jitter.
fn unit_random() -> f64 {
    let mut bytes = [0u8; 8];
    if getrandom::fill(&mut bytes).is_err() {
        return 0.5;
    }
    // 53 random bits make every double in [0, 1) equally likely.
    (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64
}

fn delivery_view(row: DeliveryRow, attempts: Vec<DeliveryAttempt>) -> DeliveryView {
    DeliveryView {
        id: row.id,
        webhook_id: row.webhook_id,
        event_id: row.event_id,
        event_type: row.event_type,
        state: row.state,
        next_attempt_at: row
            .next_attempt_at
            .filter(|_| row.state == DeliveryState::Pending),
        created_at: row.created_at,
        delivered_at: row.delivered_at,
        attempts,
        payload: serde_json::from_str(&row.payload).unwrap_or(serde_json::Value::Null),
    }
}

impl AppPlatformService {
    fn webhook_fields_check(&self, url: &str, events: &[String], description: &str) -> Vec<(String, String)> {
        let mut errors = Vec::new();
        if let Err(problem) = url_check(url, self.webhooks.private_destinations_ok) {
            errors.push(("url".to_string(), problem));
        }
        errors.extend(event_filter_check(events));
        if description.chars().count() > DESCRIPTION_CHARS_MAX {
            errors.push((
                "description".into(),
                format!("at most {DESCRIPTION_CHARS_MAX} characters"),
            ));
        }
        errors
    }

    /// Tenant-wide events show the tenant's money or verification: a subscription may name
    /// them only if its author may read those on the tenant (a project admin is not enough).
    fn tenant_events_authorize(&self, actor: &Actor, tenant_id: TenantId, events: &[String]) -> Result<()> {
        for (event, action, what) in [
            ("balance.low", Action::BalanceRead, "the tenant's balance"),
            ("balance.exhausted", Action::BalanceRead, "the tenant's balance"),
            ("kyc.changed", Action::KycRead, "the tenant's verification"),
        ] {
            if event_matches(events, event)
                && self
                    .deps
                    .authorizer
                    .allow(actor, action, Resource::Tenant(tenant_id))
                    .is_err()
            {
                return Err(AppPlatformError::Invalid(vec![(
                    "events".into(),
                    format!("{event}: your role may not see {what}; name the events you may see"),
                )]));
            }
        }
        Ok(())
    }

    async fn webhook_audit_in_tx(
        &self,
        tx: &mut ingot_kernel::db::Tx,
        actor: &Actor,
        action: &'static str,
        view: &WebhookView,
    ) -> Result<()> {
        let details = serde_json::json!({"project_id": view.project_id, "url": view.url,
            "events": view.events, "enabled": view.enabled});
        self.audit_in_tx(tx, actor, action, view.id.to_string(), details)
            .await
    }

    async fn webhook_load(&self, project_id: ProjectId, webhook_id: WebhookId) -> Result<WebhookRow> {
        store::webhook_get(self.db.reader(), project_id, webhook_id)
            .await
            .map_err(internal)?
            .ok_or(AppPlatformError::NotFound("webhook"))
    }

    pub(super) fn webhook_event_types_impl() -> Vec<WebhookEventType> {
        PUBLIC_EVENTS
            .iter()
            .map(|(name, description)| WebhookEventType {
                name: (*name).to_string(),
                description: (*description).to_string(),
            })
            .collect()
    }

    pub(super) async fn webhooks_list_impl(
        &self,
        actor: &Actor,
        project_id: ProjectId,
    ) -> Result<Vec<WebhookView>> {
        self.project_authorize(actor, project_id, Action::WebhookRead)
            .await?;
        Ok(store::webhooks_of_project(self.db.reader(), project_id)
            .await
            .map_err(internal)?
            .into_iter()
            .map(|row| row.view)
            .collect())
    }

    pub(super) async fn webhook_get_impl(
        &self,
        actor: &Actor,
        project_id: ProjectId,
        webhook_id: WebhookId,
    ) -> Result<WebhookView> {
        self.project_authorize(actor, project_id, Action::WebhookRead)
            .await?;
        Ok(self.webhook_load(project_id, webhook_id).await?.view)
    }

    pub(super) async fn webhook_create_impl(
        &self,
        actor: &Actor,
        project_id: ProjectId,
        request: WebhookCreateRequest,
    ) -> Result<WebhookCreated> {
        let tenant_id = self
            .project_authorize(actor, project_id, Action::WebhookManage)
            .await?;
        let errors = self.webhook_fields_check(&request.url, &request.events, &request.description);
        if !errors.is_empty() {
            return Err(AppPlatformError::Invalid(errors));
        }
        self.tenant_events_authorize(actor, tenant_id, &request.events)?;
        let Some(created_by) = actor.user_id else {
            return Err(AppPlatformError::Denied(DenyReason::Unauthenticated));
        };
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(internal)?;
        let secret = format!("whsec_{}", URL_SAFE_NO_PAD.encode(bytes));
        let id = WebhookId::generate();
        let now = self.clock.now();
        let row = WebhookRow {
            view: WebhookView {
                id,
                project_id,
                url: request.url,
                events: request.events,
                description: request.description,
                enabled: true,
                created_by,
                created_at: now,
                updated_at: now,
            },
            tenant_id,
            secret_sealed: self
                .secrets
                .seal(secret.as_bytes(), &secret_context(id))
                .map_err(internal)?,
        };
        let mut tx = self.db.begin().await.map_err(internal)?;
        store::webhook_insert_in_tx(&mut tx, &row)
            .await
            .map_err(internal)?;
        let subscribed = WebhookSubscribed {
            webhook_id: id,
            project_id,
            tenant_id,
            at: now,
        };
        ingot_kernel::outbox::append_in_tx(&mut tx, &subscribed.to_envelope(now))
            .await
            .map_err(internal)?;
        self.webhook_audit_in_tx(&mut tx, actor, "app.webhook.create", &row.view)
            .await?;
        tx.commit().await.map_err(internal)?;
        Ok(WebhookCreated {
            webhook: row.view,
            secret,
        })
    }

    pub(super) async fn webhook_update_impl(
        &self,
        actor: &Actor,
        project_id: ProjectId,
        webhook_id: WebhookId,
        request: WebhookUpdateRequest,
    ) -> Result<WebhookView> {
        let tenant_id = self
            .project_authorize(actor, project_id, Action::WebhookManage)
            .await?;
        let mut view = self.webhook_load(project_id, webhook_id).await?.view;
        if let Some(url) = request.url {
            view.url = url;
        }
        if let Some(events) = request.events {
            view.events = events;
        }
        if let Some(description) = request.description {
            view.description = description;
        }
        if let Some(enabled) = request.enabled {
            view.enabled = enabled;
        }
        let errors = self.webhook_fields_check(&view.url, &view.events, &view.description);
        if !errors.is_empty() {
            return Err(AppPlatformError::Invalid(errors));
        }
        self.tenant_events_authorize(actor, tenant_id, &view.events)?;
        view.updated_at = self.clock.now();
        let mut tx = self.db.begin().await.map_err(internal)?;
        store::webhook_update_in_tx(&mut tx, &view)
            .await
            .map_err(internal)?;
        self.webhook_audit_in_tx(&mut tx, actor, "app.webhook.update", &view)
            .await?;
        tx.commit().await.map_err(internal)?;
        Ok(view)
    }

    pub(super) async fn webhook_delete_impl(
        &self,
        actor: &Actor,
        project_id: ProjectId,
        webhook_id: WebhookId,
    ) -> Result<()> {
        self.project_authorize(actor, project_id, Action::WebhookManage)
            .await?;
        let view = self.webhook_load(project_id, webhook_id).await?.view;
        let mut tx = self.db.begin().await.map_err(internal)?;
        if !store::webhook_delete_in_tx(&mut tx, project_id, webhook_id)
            .await
            .map_err(internal)?
        {
            return Err(AppPlatformError::NotFound("webhook"));
        }
        self.webhook_audit_in_tx(&mut tx, actor, "app.webhook.delete", &view)
            .await?;
        tx.commit().await.map_err(internal)?;
        Ok(())
    }

    async fn deliveries_with_attempts(&self, rows: Vec<DeliveryRow>) -> Result<Vec<DeliveryView>> {
        let ids: Vec<DeliveryId> = rows.iter().map(|r| r.id).collect();
        let mut attempts: HashMap<DeliveryId, Vec<DeliveryAttempt>> = HashMap::new();
        for (id, attempt) in store::attempts_of(self.db.reader(), &ids)
            .await
            .map_err(internal)?
        {
            attempts.entry(id).or_default().push(attempt);
        }
        Ok(rows
            .into_iter()
            .map(|row| {
                let tried = attempts.remove(&row.id).unwrap_or_default();
                delivery_view(row, tried)
            })
            .collect())
    }

    pub(super) async fn deliveries_list_impl(
        &self,
        actor: &Actor,
        project_id: ProjectId,
        webhook_id: WebhookId,
        limit: u32,
    ) -> Result<Vec<DeliveryView>> {
        self.project_authorize(actor, project_id, Action::WebhookRead)
            .await?;
        self.webhook_load(project_id, webhook_id).await?;
        if !(1..=200).contains(&limit) {
            return Err(AppPlatformError::Invalid(vec![(
                "limit".into(),
                "1 to 200".into(),
            )]));
        }
        let rows = store::deliveries_of(self.db.reader(), webhook_id, i64::from(limit))
            .await
            .map_err(internal)?;
        self.deliveries_with_attempts(rows).await
    }

    pub(super) async fn delivery_redeliver_impl(
        &self,
        actor: &Actor,
        project_id: ProjectId,
        webhook_id: WebhookId,
        delivery_id: DeliveryId,
    ) -> Result<DeliveryView> {
        self.project_authorize(actor, project_id, Action::WebhookManage)
            .await?;
        let webhook = self.webhook_load(project_id, webhook_id).await?;
        store::delivery_get(self.db.reader(), webhook_id, delivery_id)
            .await
            .map_err(internal)?
            .ok_or(AppPlatformError::NotFound("delivery"))?;
        let mut tx = self.db.begin().await.map_err(internal)?;
        store::delivery_rearm_in_tx(&mut tx, delivery_id, self.clock.now())
            .await
            .map_err(internal)?;
        let details = serde_json::json!({"project_id": project_id, "webhook_id": webhook.view.id});
        self.audit_in_tx(
            &mut tx,
            actor,
            "app.webhook.redeliver",
            delivery_id.to_string(),
            details,
        )
        .await?;
        tx.commit().await.map_err(internal)?;
        let row = store::delivery_get(self.db.reader(), webhook_id, delivery_id)
            .await
            .map_err(internal)?
            .ok_or(AppPlatformError::NotFound("delivery"))?;
        Ok(self.deliveries_with_attempts(vec![row]).await?.remove(0))
    }

    /// Turns up to `batch_max` events into deliveries for the webhooks that take them (those
    /// whose `app.webhook_subscribed` came before the event in the outbox); the cursor moves in
    /// the same transaction. The number of events read.
    pub async fn webhooks_follow(&self, batch_max: i64) -> std::result::Result<usize, DbError> {
        // Idle most of the time: peek without the write lock first.
        if !ingot_kernel::outbox::pending(&self.db, CONSUMER).await? {
            return Ok(0);
        }
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let batch =
            ingot_kernel::outbox::batch_fetch_in_tx(&self.db, &mut tx, CONSUMER, batch_max, now).await?;
        let mut hooks_of: HashMap<TenantId, Vec<WebhookRow>> = HashMap::new();
        for event in &batch.events {
            if event.event_type == AllocationRequested::EVENT_TYPE
                && let Ok(requested) = serde_json::from_value::<AllocationRequested>(event.payload.clone())
            {
                store::allocation_project_record_in_tx(
                    &mut tx,
                    requested.allocation_id,
                    requested.project_id,
                )
                .await?;
            }
            if event.event_type == WebhookSubscribed::EVENT_TYPE
                && let Ok(subscribed) = serde_json::from_value::<WebhookSubscribed>(event.payload.clone())
            {
                store::webhook_following_in_tx(&mut tx, subscribed.webhook_id).await?;
                hooks_of.remove(&subscribed.tenant_id);
                continue;
            }
            let (Some(public), Some(tenant_id)) =
                (public_event(&event.event_type, &event.payload), event.tenant_id)
            else {
                continue;
            };
            let hooks = match hooks_of.entry(tenant_id) {
                std::collections::hash_map::Entry::Occupied(found) => found.into_mut(),
                std::collections::hash_map::Entry::Vacant(empty) => {
                    empty.insert(store::webhooks_enabled_of_tenant(&mut *tx, tenant_id).await?)
                }
            };
            let hooks: &[WebhookRow] = hooks;
            if !hooks
                .iter()
                .any(|h| event_matches(&h.view.events, public.event_type))
            {
                continue;
            }
            let project = match public.scope {
                Scope::Project(project_id) => Some(project_id),
                Scope::Allocation(allocation_id) => {
                    store::allocation_project_in_tx(&mut tx, allocation_id).await?
                }
                Scope::Tenant => None,
            };
            for hook in hooks {
                let wanted = event_matches(&hook.view.events, public.event_type)
                    && (public.scope == Scope::Tenant || project == Some(hook.view.project_id));
                if !wanted {
                    continue;
                }
                let body = delivery_body(
                    &event.id.to_string(),
                    &public,
                    event.occurred_at,
                    tenant_id,
                    hook.view.project_id,
                );
                let row = DeliveryRow {
                    id: DeliveryId::generate(),
                    webhook_id: hook.view.id,
                    event_id: event.id.to_string(),
                    event_type: public.event_type.to_string(),
                    payload: body.to_string(),
                    state: DeliveryState::Pending,
                    attempts: 0,
                    next_attempt_at: Some(now),
                    created_at: now,
                    delivered_at: None,
                };
                store::delivery_insert_in_tx(&mut tx, &row).await?;
            }
        }
        if let Some(last) = batch.last {
            ingot_kernel::outbox::cursor_advance_in_tx(&mut tx, CONSUMER, last, now).await?;
        }
        tx.commit().await?;
        Ok(batch.events.len())
    }

    /// One attempt at every delivery due, several at once; the number attempted.
    pub async fn deliveries_drive(&self) -> std::result::Result<usize, DbError> {
        let now = self.clock.now();
        let due = store::deliveries_due(self.db.reader(), now, DUE_BATCH).await?;
        // A taken delivery is not due again until its attempt has surely ended (a crashed
        // sender's delivery comes back then).
        let lease_until = now.plus(self.webhooks.timeout * 2 + Duration::from_secs(5));
        let mut claimed = Vec::with_capacity(due.len());
        if !due.is_empty() {
            let mut tx = self.db.begin().await?;
            for row in due {
                if store::delivery_claim_in_tx(&mut tx, &row, lease_until).await? {
                    claimed.push(row);
                }
            }
            tx.commit().await?;
        }
        let attempted = claimed.len();
        let results: Vec<std::result::Result<(), DbError>> = futures::stream::iter(claimed)
            .map(|row| self.delivery_attempt(row))
            .buffer_unordered(self.webhooks.in_flight.max(1))
            .collect()
            .await;
        for result in results {
            result?;
        }
        Ok(attempted)
    }

    /// Sends one delivery once and records how it went.
    async fn delivery_attempt(&self, row: DeliveryRow) -> std::result::Result<(), DbError> {
        let attempt_number = row.attempts + 1;
        let started_at = self.clock.now();
        let started = Instant::now();
        let outcome = self.delivery_send(&row, attempt_number).await;
        let (status, error) = match outcome {
            Ok(status) if (200..300).contains(&status) => (Some(status), None),
            Ok(status) => (Some(status), Some(format!("the receiver answered HTTP {status}"))),
            Err(error) => (None, Some(error)),
        };
        let attempt = DeliveryAttempt {
            attempt: attempt_number,
            at: started_at,
            status,
            error,
            duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        };
        let (state, next) = if attempt.error.is_none() {
            (DeliveryState::Delivered, None)
        } else if attempt_number >= self.webhooks.attempts_max {
            (DeliveryState::Failed, None)
        } else {
            let after = self.clock.now();
            (
                DeliveryState::Pending,
                Some(after.plus(retry_delay(attempt_number, unit_random()))),
            )
        };
        if state == DeliveryState::Failed {
            tracing::warn!(delivery_id = %row.id, webhook_id = %row.webhook_id, attempts = attempt_number,
                "webhook delivery given up");
        }
        let mut tx = self.db.begin().await?;
        store::delivery_attempted_in_tx(&mut tx, row.id, &attempt, state, next).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The receiver's status, or why there was none.
    async fn delivery_send(&self, row: &DeliveryRow, attempt: u32) -> std::result::Result<u16, String> {
        let webhook = store::webhook_by_id(self.db.reader(), row.webhook_id)
            .await
            .map_err(|err| format!("the webhook could not be read: {err}"))?
            .ok_or("the webhook was deleted")?;
        // Checked again at every attempt: the profile may have changed since it was written.
        let url = url_check(&webhook.view.url, self.webhooks.private_destinations_ok)?;
        let secret = self
            .secrets
            .open(&webhook.secret_sealed, &secret_context(webhook.view.id))
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or("the webhook's secret could not be opened")?;
        let Some(client) = &self.webhook_client else {
            return Err("no HTTP client".into());
        };
        let unix_seconds = self.clock.now().as_micros().div_euclid(1_000_000);
        let signature = webhook_signature_make(&secret, row.payload.as_bytes(), unix_seconds);
        let response = client
            .post(url)
            .header("content-type", "application/json")
            .header("ingot-signature", signature)
            .header("ingot-event", &row.event_type)
            .header("ingot-delivery", row.id.to_string())
            .header("ingot-attempt", attempt.to_string())
            .body(row.payload.clone())
            .send()
            .await
            .map_err(|err| {
                if err.is_timeout() {
                    format!("no answer within {} ms", self.webhooks.timeout.as_millis())
                } else if err.is_connect() {
                    format!("could not connect: {}", error_chain(&err))
                } else {
                    error_chain(&err)
                }
            })?;
        Ok(response.status().as_u16())
    }
}

/// An error and its causes on one line (reqwest's own message names only the outermost).
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use std::str::FromStr as _;

    use super::*;

    #[tokio::test]
    async fn names_resolving_to_private_addresses_are_not_connected_to() {
        let guarded = GuardedResolver { private_ok: false };
        let refused = guarded.resolve(Name::from_str("localhost").unwrap()).await;
        assert!(refused.is_err_and(|err| err.to_string().contains("no public address")));
        let open = GuardedResolver { private_ok: true };
        let found: Vec<SocketAddr> = open
            .resolve(Name::from_str("localhost").unwrap())
            .await
            .unwrap()
            .collect();
        assert!(found.iter().all(|a| a.ip().is_loopback()) && !found.is_empty());
    }
}
