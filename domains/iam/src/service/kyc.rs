//! KYC use cases: the owner submits, security or support decide (or a provider's signed webhook
//! does), anyone deciding on money or machines asks the policy. Every change is audited with its
//! inputs and published as a `kyc.changed` event in the same transaction.

use ingot_contracts::BoxFuture;
use ingot_contracts::iam::{
    Action, Actor, IamError, KYC_QUEUE_MAX, KycChanged, KycDecision, KycDecisionRequest, KycLevel, KycPolicy,
    KycPolicyApi, KycReviewView, KycState, KycSubmitRequest, KycView, Origin, Resource,
};
use ingot_kernel::db::{Backend, Tx};
use ingot_kernel::event::DomainEvent;
use ingot_kernel::id::TenantId;
use ingot_kernel::outbox;
use serde::Deserialize;

use super::{Fail, IamService, Outcome, invalid, not_found_if_hidden};
use crate::audit::{AuditRecord, audit_append, audit_append_in_tx};
use crate::model;
use crate::secrets::webhook_signature_verify;
use crate::store::{self, KycRow};

const REASON_CHARS_MAX: usize = 1_000;

fn view(row: &KycRow) -> KycView {
    KycView {
        tenant_id: row.tenant_id,
        state: row.state,
        level: row.level,
        provider: row.provider.clone(),
        provider_ref: row.provider_ref.clone(),
        submitted_at: row.submitted_at,
        decided_at: row.decided_at,
        reason: row.reason.clone(),
        personal_data_on_file: row.personal_data.is_some(),
    }
}

/// A provider's callback body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KycWebhook {
    event_id: String,
    tenant_id: TenantId,
    outcome: KycWebhookOutcome,
    #[serde(default)]
    level: Option<KycLevel>,
    #[serde(default)]
    provider_ref: Option<String>,
    #[serde(default)]
    reason: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum KycWebhookOutcome {
    Verified,
    Rejected,
}

impl IamService {
    async fn kyc_locked_in_tx(&self, tx: &mut Tx, tenant_id: TenantId) -> Outcome<KycRow> {
        let postgres = self.db.backend() == Backend::Postgres;
        Ok(store::kyc_get_for_update_in_tx(tx, tenant_id, postgres)
            .await?
            .unwrap_or_else(|| KycRow::unverified(tenant_id)))
    }

    pub(super) async fn kyc_get_impl(&self, actor: &Actor, tenant_id: TenantId) -> Outcome<KycView> {
        self.authorize(actor, Action::KycRead, Resource::Tenant(tenant_id))
            .map_err(not_found_if_hidden("tenant"))?;
        store::tenant_by_id(self.db.reader(), tenant_id)
            .await?
            .ok_or(IamError::NotFound("tenant"))?;
        let row = store::kyc_get(self.db.reader(), tenant_id)
            .await?
            .unwrap_or_else(|| KycRow::unverified(tenant_id));
        Ok(view(&row))
    }

    pub(super) async fn kyc_queue_impl(&self, actor: &Actor, state: KycState) -> Outcome<Vec<KycReviewView>> {
        // Reviewers (those who may decide) read the queue; it names every tenant in it.
        self.authorize(actor, Action::KycDecide, Resource::Platform)?;
        let state_text = match serde_json::to_value(state) {
            Ok(serde_json::Value::String(text)) => text,
            _ => return Err(IamError::Internal.into()),
        };
        let rows = store::kyc_queue(self.db.reader(), &state_text, KYC_QUEUE_MAX).await?;
        Ok(rows
            .into_iter()
            .map(|(tenant_name, row)| KycReviewView {
                tenant_name,
                kyc: view(&row),
            })
            .collect())
    }

    pub(super) async fn kyc_submit_impl(
        &self,
        actor: &Actor,
        tenant_id: TenantId,
        request: KycSubmitRequest,
    ) -> Outcome<KycView> {
        self.authorize(actor, Action::KycSubmit, Resource::Tenant(tenant_id))
            .map_err(not_found_if_hidden("tenant"))?;
        if request
            .provider_ref
            .as_ref()
            .is_some_and(|r| r.is_empty() || r.len() > 200)
        {
            return Err(invalid("provider_ref", "must be 1 to 200 characters").into());
        }
        let personal_data =
            model::kyc_personal_data_checked(request.personal_data, request.provider_ref.as_deref())
                .map_err(IamError::InvalidFields)?
                .map(|data| serde_json::to_string(&data))
                .transpose()
                .map_err(|_| IamError::Internal)?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let mut row = self.kyc_locked_in_tx(&mut tx, tenant_id).await?;
        let from = row.state;
        row.state = model::kyc_submit(from).map_err(|e| IamError::KycWrongState(e.from))?;
        row.level = KycLevel::None;
        row.provider = Some(if request.provider_ref.is_some() {
            "provider".into()
        } else {
            "manual".into()
        });
        row.provider_ref = request.provider_ref;
        row.personal_data = personal_data;
        row.submitted_at = Some(now);
        row.decided_at = None;
        row.reviewer_user_id = None;
        row.reason = None;
        store::kyc_upsert_in_tx(&mut tx, &row, now).await?;
        let record = AuditRecord::by(actor, "iam.kyc.submit", "success")
            .target(tenant_id)
            .tenant(tenant_id)
            .details(serde_json::json!({ "from": from, "personal_data": row.personal_data.is_some(), "provider_ref": row.provider_ref }));
        audit_append_in_tx(&mut tx, &record, now).await?;
        tx.commit().await?;
        Ok(view(&row))
    }

    pub(super) async fn kyc_decide_impl(
        &self,
        actor: &Actor,
        tenant_id: TenantId,
        request: KycDecisionRequest,
    ) -> Outcome<KycView> {
        self.authorize(actor, Action::KycDecide, Resource::Tenant(tenant_id))?;
        let reason = request.reason.trim().to_string();
        if reason.is_empty() || reason.chars().count() > REASON_CHARS_MAX {
            return Err(invalid("reason", "must be 1 to 1000 characters").into());
        }
        store::tenant_by_id(self.db.reader(), tenant_id)
            .await?
            .ok_or(IamError::NotFound("tenant"))?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let mut row = self.kyc_locked_in_tx(&mut tx, tenant_id).await?;
        let (from, from_level) = (row.state, row.level);
        let (state, level) = model::kyc_decide(from, request.decision, request.level).map_err(|e| {
            if request.decision == KycDecision::Verify
                && request.level.is_none_or(|l| l == KycLevel::None)
                && from == KycState::Submitted
            {
                invalid("level", "verifying needs a level: basic or full")
            } else {
                IamError::KycWrongState(e.from)
            }
        })?;
        row.state = state;
        row.level = level;
        row.decided_at = Some(now);
        row.reviewer_user_id = actor.user_id;
        row.reason = Some(reason.clone());
        store::kyc_upsert_in_tx(&mut tx, &row, now).await?;
        outbox::append_in_tx(
            &mut tx,
            &KycChanged {
                tenant_id,
                state,
                level,
            }
            .to_envelope(now),
        )
        .await?;
        let record = AuditRecord::by(actor, "iam.kyc.decide", "success")
            .target(tenant_id)
            .tenant(tenant_id)
            .details(serde_json::json!({
                "decision": request.decision, "reason": reason, "from": from, "from_level": from_level,
                "to": state, "level": level, "policy_version": model::KYC_POLICY_VERSION,
            }));
        audit_append_in_tx(&mut tx, &record, now).await?;
        tx.commit().await?;
        Ok(view(&row))
    }

    pub(super) async fn kyc_redact_impl(&self, actor: &Actor, tenant_id: TenantId) -> Outcome<KycView> {
        // The owner asks for their data to go; reviewers may purge it too.
        let as_owner = self.authorize(actor, Action::KycSubmit, Resource::Tenant(tenant_id));
        let as_reviewer = self.authorize(actor, Action::KycDecide, Resource::Tenant(tenant_id));
        if let (Err(refusal), Err(_)) = (as_owner, as_reviewer) {
            return Err(not_found_if_hidden("tenant")(refusal).into());
        }
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let mut row = self.kyc_locked_in_tx(&mut tx, tenant_id).await?;
        let had = row.personal_data.take().is_some();
        if had {
            store::kyc_upsert_in_tx(&mut tx, &row, now).await?;
        }
        audit_append_in_tx(
            &mut tx,
            &AuditRecord::by(actor, "iam.kyc.redact", "success")
                .target(tenant_id)
                .tenant(tenant_id)
                .details(serde_json::json!({ "had_data": had })),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(view(&row))
    }

    pub(super) async fn kyc_personal_data_get_impl(
        &self,
        actor: &Actor,
        tenant_id: TenantId,
    ) -> Outcome<serde_json::Value> {
        // Reviewers only: owners submitted it and may redact it, but reading it back is the
        // reviewer's need, and each read is on the audit trail.
        self.authorize(actor, Action::KycDecide, Resource::Tenant(tenant_id))
            .map_err(not_found_if_hidden("tenant"))?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let row = self.kyc_locked_in_tx(&mut tx, tenant_id).await?;
        let Some(data) = row.personal_data.as_deref() else {
            return Err(IamError::NotFound("personal data").into());
        };
        let data: serde_json::Value = serde_json::from_str(data).map_err(|_| IamError::Internal)?;
        audit_append_in_tx(
            &mut tx,
            &AuditRecord::by(actor, "iam.kyc.personal_data.read", "success")
                .target(tenant_id)
                .tenant(tenant_id),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(data)
    }

    pub(super) async fn kyc_webhook_impl(
        &self,
        origin: &Origin,
        provider: &str,
        signature: Option<&str>,
        body: &[u8],
    ) -> Outcome<KycView> {
        let secret = self
            .config
            .kyc_webhook_secrets
            .get(provider)
            .ok_or(IamError::NotFound("kyc provider"))?;
        let now = self.clock.now();
        if !webhook_signature_verify(secret, signature, body, now.as_micros().div_euclid(1_000_000)) {
            let record = AuditRecord::anonymous(origin, "iam.kyc.webhook", "denied")
                .details(serde_json::json!({ "provider": provider, "why": "signature" }));
            audit_append(&self.db, &record, now).await?;
            return Err(IamError::WebhookSignatureInvalid.into());
        }
        let event: KycWebhook = serde_json::from_slice(body).map_err(|e| invalid("body", &e.to_string()))?;
        if event.event_id.is_empty() || event.event_id.len() > 200 {
            return Err(invalid("event_id", "must be 1 to 200 characters").into());
        }
        store::tenant_by_id(self.db.reader(), event.tenant_id)
            .await?
            .ok_or(IamError::NotFound("tenant"))?;
        let mut tx = self.db.begin().await?;
        if let Err(err) = store::kyc_webhook_event_insert_in_tx(&mut tx, provider, &event.event_id, now).await
        {
            drop(tx);
            if err.is_unique_violation() {
                let record = AuditRecord::anonymous(origin, "iam.kyc.webhook", "denied")
                    .tenant(event.tenant_id)
                    .details(serde_json::json!({ "provider": provider, "event_id": event.event_id, "why": "replay" }));
                audit_append(&self.db, &record, now).await?;
                return Err(IamError::WebhookReplayed.into());
            }
            return Err(Fail::Store(err));
        }
        let mut row = self.kyc_locked_in_tx(&mut tx, event.tenant_id).await?;
        let from = row.state;
        let decision = match event.outcome {
            KycWebhookOutcome::Verified => KycDecision::Verify,
            KycWebhookOutcome::Rejected => KycDecision::Reject,
        };
        let (state, level) =
            model::kyc_decide(from, decision, event.level).map_err(|e| IamError::KycWrongState(e.from))?;
        row.state = state;
        row.level = level;
        row.provider = Some(provider.to_string());
        row.provider_ref = event.provider_ref.or(row.provider_ref);
        row.decided_at = Some(now);
        row.reviewer_user_id = None;
        row.reason = event.reason.map(|r| r.chars().take(REASON_CHARS_MAX).collect());
        store::kyc_upsert_in_tx(&mut tx, &row, now).await?;
        outbox::append_in_tx(
            &mut tx,
            &KycChanged {
                tenant_id: event.tenant_id,
                state,
                level,
            }
            .to_envelope(now),
        )
        .await?;
        let record = AuditRecord::anonymous(origin, "iam.kyc.webhook", "success")
            .target(event.tenant_id)
            .tenant(event.tenant_id)
            .details(serde_json::json!({ "provider": provider, "event_id": event.event_id, "from": from, "to": state, "level": level }));
        audit_append_in_tx(&mut tx, &record, now).await?;
        tx.commit().await?;
        Ok(view(&row))
    }

    async fn kyc_policy_impl(&self, tenant_id: TenantId) -> Outcome<KycPolicy> {
        let row = store::kyc_get(self.db.reader(), tenant_id).await?;
        let level = row
            .filter(|r| r.state == KycState::Verified)
            .map_or(KycLevel::None, |r| r.level);
        let (max_concurrent_nodes, max_top_up_per_day, allowed_skus) = model::policy_for(level);
        Ok(KycPolicy {
            tenant_id,
            level,
            policy_version: model::KYC_POLICY_VERSION,
            max_concurrent_nodes,
            max_top_up_per_day,
            allowed_skus,
        })
    }
}

impl KycPolicyApi for IamService {
    fn kyc_policy_get<'a>(&'a self, tenant_id: TenantId) -> BoxFuture<'a, Result<KycPolicy, IamError>> {
        Box::pin(async move { Ok(self.kyc_policy_impl(tenant_id).await?) })
    }
}
