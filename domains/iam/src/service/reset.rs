//! Password reset by one-time token, delivered through the notification outbox. Asking for a
//! reset answers the same whether or not the account exists; a token lives an hour, works once,
//! and using it ends every session of the account.

use std::time::Duration;

use ingot_contracts::iam::{IamError, Origin, PasswordResetConfirm, PasswordResetRequest};

use super::{IamService, Outcome, invalid};
use crate::audit::{AuditRecord, audit_append, audit_append_in_tx};
use crate::model::{self, PasswordVerdict};
use crate::secrets::{bearer_secret_hash, bearer_secret_new};
use crate::store;

const RESET_TTL: Duration = Duration::from_secs(3_600);
/// Reset mails per account per hour: enough for a person, too few to spam them.
const RESETS_PER_HOUR_MAX: i64 = 3;
const RESET_PREFIX: &str = "ingot_rst_";

impl IamService {
    pub(super) async fn password_reset_request_impl(
        &self,
        origin: &Origin,
        request: PasswordResetRequest,
    ) -> Outcome<()> {
        let Ok(email) = model::email_normalize(&request.email) else {
            return Err(invalid("email", "must look like name@example.com").into());
        };
        let now = self.clock.now();
        let Some(user) = store::user_by_email(self.db.reader(), &email).await? else {
            audit_append(
                &self.db,
                &AuditRecord::anonymous(origin, "iam.password_reset.request", "unknown_account"),
                now,
            )
            .await?;
            return Ok(());
        };
        let key = format!("iam:reset:{}", user.view.id);
        if self
            .cache
            .counter_incr(&key, Duration::from_secs(3_600))
            .await
            .unwrap_or(0)
            > RESETS_PER_HOUR_MAX
        {
            audit_append(
                &self.db,
                &AuditRecord::anonymous(origin, "iam.password_reset.request", "throttled")
                    .target(user.view.id),
                now,
            )
            .await?;
            return Ok(());
        }
        let (token, hash) = bearer_secret_new(RESET_PREFIX);
        let mut tx = self.db.begin().await?;
        store::password_reset_insert_in_tx(&mut tx, user.view.id, &hash, now, now.plus(RESET_TTL)).await?;
        let body = format!(
            "Someone asked to reset the password of {email}. If it was you, send this token to \
             POST /v1/auth/password-reset/confirm within an hour:\n\n{token}\n\nIf it was not you, ignore this message."
        );
        self.notify_in_tx(&mut tx, &email, "Reset your Ingot password", &body, now)
            .await?;
        audit_append_in_tx(
            &mut tx,
            &AuditRecord::anonymous(origin, "iam.password_reset.request", "success").target(user.view.id),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(super) async fn password_reset_confirm_impl(
        &self,
        origin: &Origin,
        request: PasswordResetConfirm,
    ) -> Outcome<()> {
        let now = self.clock.now();
        let hash = bearer_secret_hash(request.token.trim());
        let reset = store::password_reset_valid(self.db.reader(), &hash, now).await?;
        let Some((reset_id, user_id)) = reset else {
            audit_append(
                &self.db,
                &AuditRecord::anonymous(origin, "iam.password_reset.confirm", "failure"),
                now,
            )
            .await?;
            return Err(IamError::ResetTokenInvalid.into());
        };
        let user = store::user_by_id(self.db.reader(), user_id)
            .await?
            .ok_or(IamError::ResetTokenInvalid)?;
        if let PasswordVerdict::Refused(why) = model::password_check(&request.new_password, &user.view.email)
        {
            return Err(IamError::WeakPassword(format!("new password {why}")).into());
        }
        let password_hash = self.hasher.hash(&request.new_password).await?;
        let mut tx = self.db.begin().await?;
        // Invariant: a token works once, even when two confirmations race (the update decides).
        let used = store::password_reset_use_in_tx(&mut tx, &reset_id, now).await?;
        if !used {
            return Err(IamError::ResetTokenInvalid.into());
        }
        store::user_password_update_in_tx(&mut tx, user_id, &password_hash, now).await?;
        let revoked = store::sessions_revoke_all_in_tx(&mut tx, user_id, None, now).await?;
        let record = AuditRecord::anonymous(origin, "iam.password_reset.confirm", "success")
            .target(user_id)
            .details(serde_json::json!({ "sessions_revoked": revoked }));
        audit_append_in_tx(&mut tx, &record, now).await?;
        tx.commit().await?;
        let _ = self
            .cache
            .delete(&super::throttle_account_key(&user.view.email))
            .await;
        Ok(())
    }
}
