//! Invitations: a tenant admin invites an email that has no account yet; the invitee learns of it
//! through the notification outbox, and signing up with that email joins the tenant. An email that
//! already has an account is added as a member directly instead.

use std::time::Duration;

use ingot_contracts::iam::{
    Action, Actor, IamError, InvitationCreateRequest, InvitationView, Resource, UserView,
};
use ingot_kernel::Timestamp;
use ingot_kernel::db::Tx;
use ingot_kernel::id::{InvitationId, TenantId};

use super::{IamService, Outcome, invalid, not_found_if_hidden};
use crate::audit::{AuditRecord, audit_append_in_tx};
use crate::model;
use crate::store;

const INVITATION_TTL: Duration = Duration::from_secs(7 * 86_400);

impl IamService {
    pub(super) async fn invitation_create_impl(
        &self,
        actor: &Actor,
        tenant_id: TenantId,
        request: InvitationCreateRequest,
    ) -> Outcome<InvitationView> {
        self.authorize(actor, Action::MemberManage, Resource::Tenant(tenant_id))
            .map_err(not_found_if_hidden("tenant"))?;
        self.grantable(actor, tenant_id, request.role)?;
        let inviter = actor.user_id.ok_or(IamError::Internal)?;
        let email = model::email_normalize(&request.email).map_err(|m| invalid("email", m))?;
        if store::user_by_email(self.db.reader(), &email).await?.is_some() {
            return Err(invalid(
                "email",
                "already has an account: add it with POST /v1/tenants/{tenant_id}/members",
            )
            .into());
        }
        let tenant = store::tenant_by_id(self.db.reader(), tenant_id)
            .await?
            .ok_or(IamError::NotFound("tenant"))?;
        let now = self.clock.now();
        let invitation = InvitationView {
            id: InvitationId::generate(),
            tenant_id,
            email: email.clone(),
            role: request.role,
            invited_by: inviter,
            created_at: now,
            expires_at: now.plus(INVITATION_TTL),
        };
        let mut tx = self.db.begin().await?;
        let inserted = store::invitation_insert_in_tx(&mut tx, &invitation).await;
        if let Err(err) = inserted {
            return Err(if err.is_unique_violation() {
                invalid("email", "is already invited").into()
            } else {
                err.into()
            });
        }
        let body = format!(
            "You are invited to join {} on Ingot as {}. Sign up with this address ({email}) within seven days to accept.",
            tenant.name,
            request.role.as_str()
        );
        self.notify_in_tx(&mut tx, &email, "You are invited to Ingot", &body, now)
            .await?;
        let record = AuditRecord::by(actor, "iam.invitation.create", "success")
            .target(invitation.id)
            .tenant(tenant_id)
            .details(serde_json::json!({ "role": request.role }));
        audit_append_in_tx(&mut tx, &record, now).await?;
        tx.commit().await?;
        Ok(invitation)
    }

    pub(super) async fn invitation_list_impl(
        &self,
        actor: &Actor,
        tenant_id: TenantId,
    ) -> Outcome<Vec<InvitationView>> {
        self.authorize(actor, Action::MemberManage, Resource::Tenant(tenant_id))
            .map_err(not_found_if_hidden("tenant"))?;
        Ok(store::invitations_open_of_tenant(self.db.reader(), tenant_id, self.clock.now()).await?)
    }

    pub(super) async fn invitation_revoke_impl(
        &self,
        actor: &Actor,
        tenant_id: TenantId,
        invitation_id: InvitationId,
    ) -> Outcome<()> {
        self.authorize(actor, Action::MemberManage, Resource::Tenant(tenant_id))
            .map_err(not_found_if_hidden("tenant"))?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let revoked = store::invitation_revoke_in_tx(&mut tx, tenant_id, invitation_id, now).await?;
        if !revoked {
            return Err(IamError::NotFound("invitation").into());
        }
        audit_append_in_tx(
            &mut tx,
            &AuditRecord::by(actor, "iam.invitation.revoke", "success")
                .target(invitation_id)
                .tenant(tenant_id),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// At sign-up: joins every tenant that invited this email, inside the sign-up transaction.
    pub(super) async fn invitations_accept_in_tx(
        &self,
        tx: &mut Tx,
        user: &UserView,
        now: Timestamp,
    ) -> Outcome<Vec<TenantId>> {
        let invitations = store::invitations_open_for_email_in_tx(tx, &user.email, now).await?;
        let mut joined = Vec::new();
        for invitation in invitations {
            store::membership_upsert_in_tx(tx, invitation.tenant_id, user.id, invitation.role, now).await?;
            store::invitation_accept_in_tx(tx, invitation.id, now).await?;
            let mut record = AuditRecord::anonymous(
                &ingot_contracts::iam::Origin::default(),
                "iam.invitation.accept",
                "success",
            )
            .target(invitation.id)
            .tenant(invitation.tenant_id)
            .details(serde_json::json!({ "role": invitation.role }));
            record.actor_user_id = Some(user.id);
            audit_append_in_tx(tx, &record, now).await?;
            joined.push(invitation.tenant_id);
        }
        Ok(joined)
    }
}
