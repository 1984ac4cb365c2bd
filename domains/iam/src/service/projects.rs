//! Project membership: explicit roles on single projects, for people who belong to the tenant.

use ingot_contracts::iam::{
    Action, Actor, IamError, ProjectMemberSetRequest, ProjectMemberView, ProjectRole, Resource,
};
use ingot_kernel::id::{ProjectId, UserId};

use super::{IamService, Outcome, invalid, not_found_if_hidden};
use crate::audit::{AuditRecord, audit_append_in_tx};
use crate::store;

impl IamService {
    /// The project, once `actor` may take `action` on it; "not found" otherwise.
    async fn project_authorized(
        &self,
        actor: &Actor,
        project_id: ProjectId,
        action: Action,
    ) -> Outcome<ingot_contracts::iam::ProjectView> {
        let project = store::project_by_id(self.db.reader(), project_id)
            .await?
            .ok_or(IamError::NotFound("project"))?;
        self.authorize(
            actor,
            action,
            Resource::Project {
                tenant_id: project.tenant_id,
                project_id,
            },
        )
        .map_err(not_found_if_hidden("project"))?;
        Ok(project)
    }

    pub(super) async fn project_member_list_impl(
        &self,
        actor: &Actor,
        project_id: ProjectId,
    ) -> Outcome<Vec<ProjectMemberView>> {
        self.project_authorized(actor, project_id, Action::ProjectRead)
            .await?;
        Ok(store::project_members(self.db.reader(), project_id).await?)
    }

    pub(super) async fn project_member_set_impl(
        &self,
        actor: &Actor,
        project_id: ProjectId,
        user_id: UserId,
        request: ProjectMemberSetRequest,
    ) -> Outcome<ProjectMemberView> {
        let project = self
            .project_authorized(actor, project_id, Action::ProjectManage)
            .await?;
        if self.tenant_role_now(project.tenant_id, user_id).await?.is_none() {
            return Err(invalid("user_id", "must be a member of the project's tenant").into());
        }
        // Project admins may grant up to admin on their project; that is the top project role.
        debug_assert!(ProjectRole::ALL.contains(&request.role));
        let member = ProjectMemberView {
            project_id,
            user_id,
            role: request.role,
        };
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        store::project_member_upsert_in_tx(&mut tx, &member, now).await?;
        let record = AuditRecord::by(actor, "iam.project_member.set", "success")
            .target(user_id)
            .tenant(project.tenant_id)
            .details(serde_json::json!({ "project_id": project_id, "role": request.role }));
        audit_append_in_tx(&mut tx, &record, now).await?;
        tx.commit().await?;
        Ok(member)
    }

    pub(super) async fn project_member_remove_impl(
        &self,
        actor: &Actor,
        project_id: ProjectId,
        user_id: UserId,
    ) -> Outcome<()> {
        let project = self
            .project_authorized(actor, project_id, Action::ProjectManage)
            .await?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        if store::project_member_delete_in_tx(&mut tx, project_id, user_id).await? == 0 {
            return Err(IamError::NotFound("project member").into());
        }
        let record = AuditRecord::by(actor, "iam.project_member.remove", "success")
            .target(user_id)
            .tenant(project.tenant_id)
            .details(serde_json::json!({ "project_id": project_id }));
        audit_append_in_tx(&mut tx, &record, now).await?;
        tx.commit().await?;
        Ok(())
    }
}

impl ingot_contracts::iam::ProjectDirectory for IamService {
    fn project_tenant(
        &self,
        project_id: ProjectId,
    ) -> ingot_contracts::BoxFuture<'_, Result<Option<ingot_kernel::id::TenantId>, IamError>> {
        Box::pin(async move {
            let project = store::project_by_id(self.db.reader(), project_id)
                .await
                .map_err(|err| {
                    tracing::error!(error = %err, "project lookup failed");
                    IamError::Internal
                })?;
            Ok(project.map(|p| p.tenant_id))
        })
    }
}
