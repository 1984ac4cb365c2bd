//! MFA: TOTP enrolment (a seed sealed at rest, confirmed by a first code), ten one-time recovery
//! codes, disabling with a code, the login check, and tenants that require MFA of every member.

use ingot_contracts::iam::{
    Action, Actor, DenyReason, IamError, KycLevel, KycState, PostureToken, PostureView, RecoveryCodes,
    Resource, TenantUpdateRequest, TenantView, TotpCodeRequest, TotpEnrolment,
};
use ingot_kernel::id::{TenantId, UserId};

use super::{IamService, Outcome, invalid, not_found_if_hidden};
use crate::audit::{AuditRecord, audit_append_in_tx};
use crate::model;
use crate::secrets::{base32_encode, bearer_secret_hash, random_secret, totp_verify};
use crate::store::{self, MfaRow};

const RECOVERY_CODES: usize = 10;
const SEED_BYTES: usize = 20;

fn seal_context(user_id: UserId) -> String {
    format!("iam.totp:{user_id}")
}

impl IamService {
    fn now_s(&self) -> i64 {
        self.clock.now().as_micros().div_euclid(1_000_000)
    }

    /// Whether `code` (TOTP or recovery) passes for `user_id`, consuming it if so. In `tx`.
    pub(super) async fn mfa_check_in_tx(
        &self,
        tx: &mut ingot_kernel::db::Tx,
        user_id: UserId,
        code: &str,
    ) -> Outcome<bool> {
        let Some(mut mfa) = store::mfa_get(&mut **tx, user_id).await? else {
            return Ok(false);
        };
        let seed = self
            .secret_box
            .open(&mfa.secret_sealed, &seal_context(user_id))
            .map_err(|_| IamError::Internal)?;
        let now = self.clock.now();
        if let Some(step) = totp_verify(&seed, code, self.now_s(), mfa.last_step) {
            mfa.last_step = step;
            store::mfa_upsert_in_tx(tx, user_id, &mfa, now).await?;
            return Ok(true);
        }
        let hash = bearer_secret_hash(code.trim());
        if let Some(position) = mfa.recovery_hashes.iter().position(|h| *h == hash) {
            mfa.recovery_hashes.remove(position);
            store::mfa_upsert_in_tx(tx, user_id, &mfa, now).await?;
            return Ok(true);
        }
        Ok(false)
    }

    pub(super) async fn mfa_totp_enrol_impl(&self, actor: &Actor) -> Outcome<TotpEnrolment> {
        let user_id = actor
            .user_id
            .ok_or(IamError::Denied(DenyReason::Unauthenticated))?;
        self.authorize(actor, Action::CredentialManage, Resource::User(user_id))?;
        let user = store::user_by_id(self.db.reader(), user_id)
            .await?
            .ok_or(IamError::NotFound("user"))?;
        if user.view.mfa_enabled {
            return Err(invalid("mfa", "TOTP is already enabled; disable it first").into());
        }
        let mut seed = [0u8; SEED_BYTES];
        getrandom::fill(&mut seed).map_err(|_| IamError::Internal)?;
        let sealed = self
            .secret_box
            .seal(&seed, &seal_context(user_id))
            .map_err(|_| IamError::Internal)?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let pending = MfaRow {
            secret_sealed: sealed,
            confirmed: false,
            last_step: 0,
            recovery_hashes: Vec::new(),
        };
        store::mfa_upsert_in_tx(&mut tx, user_id, &pending, now).await?;
        audit_append_in_tx(
            &mut tx,
            &AuditRecord::by(actor, "iam.mfa.enrol", "success").target(user_id),
            now,
        )
        .await?;
        tx.commit().await?;
        let secret = base32_encode(&seed);
        let otpauth_uri = format!(
            "otpauth://totp/Ingot:{}?secret={secret}&issuer=Ingot&digits=6&period=30",
            user.view.email
        );
        Ok(TotpEnrolment { secret, otpauth_uri })
    }

    pub(super) async fn mfa_totp_confirm_impl(
        &self,
        actor: &Actor,
        request: TotpCodeRequest,
    ) -> Outcome<RecoveryCodes> {
        let user_id = actor
            .user_id
            .ok_or(IamError::Denied(DenyReason::Unauthenticated))?;
        self.authorize(actor, Action::CredentialManage, Resource::User(user_id))?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let Some(mut mfa) = store::mfa_get(&mut *tx, user_id).await?.filter(|m| !m.confirmed) else {
            return Err(invalid("mfa", "start enrolment first").into());
        };
        let seed = self
            .secret_box
            .open(&mfa.secret_sealed, &seal_context(user_id))
            .map_err(|_| IamError::Internal)?;
        let Some(step) = totp_verify(&seed, &request.code, self.now_s(), mfa.last_step) else {
            return Err(invalid("code", "does not match; check the authenticator's clock").into());
        };
        let codes: Vec<String> = (0..RECOVERY_CODES)
            .map(|_| random_secret()[..16].to_string())
            .collect();
        mfa.confirmed = true;
        mfa.last_step = step;
        mfa.recovery_hashes = codes.iter().map(|c| bearer_secret_hash(c)).collect();
        store::mfa_upsert_in_tx(&mut tx, user_id, &mfa, now).await?;
        store::user_mfa_enabled_set_in_tx(&mut tx, user_id, true).await?;
        audit_append_in_tx(
            &mut tx,
            &AuditRecord::by(actor, "iam.mfa.confirm", "success").target(user_id),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(RecoveryCodes {
            recovery_codes: codes,
        })
    }

    pub(super) async fn mfa_totp_disable_impl(&self, actor: &Actor, request: TotpCodeRequest) -> Outcome<()> {
        let user_id = actor
            .user_id
            .ok_or(IamError::Denied(DenyReason::Unauthenticated))?;
        self.authorize(actor, Action::CredentialManage, Resource::User(user_id))?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        if !self.mfa_check_in_tx(&mut tx, user_id, &request.code).await? {
            return Err(invalid("code", "does not match").into());
        }
        store::mfa_delete_in_tx(&mut tx, user_id).await?;
        store::user_mfa_enabled_set_in_tx(&mut tx, user_id, false).await?;
        audit_append_in_tx(
            &mut tx,
            &AuditRecord::by(actor, "iam.mfa.disable", "success").target(user_id),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(super) async fn posture_get_impl(&self, actor: &Actor, tenant_id: TenantId) -> Outcome<PostureView> {
        self.authorize(actor, Action::PostureRead, Resource::Tenant(tenant_id))
            .map_err(not_found_if_hidden("tenant"))?;
        let tenant = store::tenant_by_id(self.db.reader(), tenant_id)
            .await?
            .ok_or(IamError::NotFound("tenant"))?;
        let now = self.clock.now();
        let (members, with_mfa) = store::mfa_coverage(self.db.reader(), tenant_id).await?;
        let kyc = store::kyc_get(self.db.reader(), tenant_id).await?;
        let tokens = store::tokens_of_tenant(self.db.reader(), tenant_id, now).await?;
        let soon = now.plus(std::time::Duration::from_secs(7 * 86_400));
        let failed = store::failed_logins_of_members(
            self.db.reader(),
            tenant_id,
            now.minus(std::time::Duration::from_secs(86_400)),
        )
        .await?;
        let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        Ok(PostureView {
            tenant_id,
            require_mfa: tenant.require_mfa,
            members: count(members),
            members_with_mfa: count(with_mfa),
            kyc_state: kyc.as_ref().map_or(KycState::Unverified, |k| k.state),
            kyc_level: kyc
                .as_ref()
                .filter(|k| k.state == KycState::Verified)
                .map_or(KycLevel::None, |k| k.level),
            tokens_expiring_soon: count(tokens.iter().filter(|t| t.view.expires_at <= soon).count() as i64),
            tokens: tokens
                .into_iter()
                .map(|t| PostureToken {
                    id: t.view.id,
                    name: t.view.name,
                    user_id: t.user_id,
                    role: t.view.role,
                    age_days: count((now.since(t.view.created_at).as_secs() / 86_400) as i64),
                    expires_at: t.view.expires_at,
                    last_used_at: t.view.last_used_at,
                })
                .collect(),
            failed_logins_24h: count(failed),
        })
    }

    pub(super) async fn tenant_update_impl(
        &self,
        actor: &Actor,
        tenant_id: TenantId,
        request: TenantUpdateRequest,
    ) -> Outcome<TenantView> {
        self.authorize(actor, Action::TenantUpdate, Resource::Tenant(tenant_id))
            .map_err(not_found_if_hidden("tenant"))?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let before = store::tenant_by_id(&mut *tx, tenant_id)
            .await?
            .ok_or(IamError::NotFound("tenant"))?;
        let mut tenant = before.clone();
        if let Some(name) = request.name {
            tenant.name = model::name_validate(&name).map_err(|m| invalid("name", m))?;
        }
        if let Some(require_mfa) = request.require_mfa {
            tenant.require_mfa = require_mfa;
        }
        store::tenant_update_in_tx(&mut tx, &tenant).await?;
        let record = AuditRecord::by(actor, "iam.tenant.update", "success")
            .target(tenant_id)
            .tenant(tenant_id)
            .details(serde_json::json!({ "require_mfa": { "from": before.require_mfa, "to": tenant.require_mfa } }));
        audit_append_in_tx(&mut tx, &record, now).await?;
        tx.commit().await?;
        Ok(TenantView {
            role: actor.tenant_role(tenant_id),
            ..tenant
        })
    }
}
