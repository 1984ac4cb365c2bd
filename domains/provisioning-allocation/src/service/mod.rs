//! Provisioning.Allocation service: use cases behind `contracts::allocation::AllocationApi`;
//! authorization is decided here. So far: operators' quotas.

//! Provisioning.Allocation service: use cases behind `contracts::allocation::AllocationApi`;
//! authorization is decided here. Admission and assignment (`admission`), the lifecycle driven
//! by the provisioning domain's reports, Billing and IAM (`lifecycle`), and the views (`views`).

mod admission;
mod lifecycle;
mod views;

use std::collections::HashSet;
use std::sync::Arc;

use ingot_contracts::BoxFuture;
use ingot_contracts::allocation::{
    AdminAllocationFilter, AllocationApi, AllocationCreateRequest, AllocationCreated, AllocationError,
    AllocationFilter, AllocationView, ExtendRequest, ForceReleaseRequest, LaunchInputsResolver, QuotaEntry,
    QuotasChanged, QuotasSetRequest, QuotasView, ReleaseRequest,
};
use ingot_contracts::billing::BalancePolicy;
use ingot_contracts::iam::{
    Action, Actor, AuditEntry, AuditTrail, Authorizer, DenyReason, KycPolicyApi, ProjectAccessError,
    ProjectDirectory, Resource, project_access,
};
use ingot_contracts::inventory::{InventoryApi, InventoryForAllocation};
use ingot_contracts::maas::SiteImageCatalog;
use ingot_kernel::Clock;
use ingot_kernel::crypto::SecretBox;
use ingot_kernel::db::Db;
use ingot_kernel::event::DomainEvent;
use ingot_kernel::id::{AllocationId, ProjectId, TenantId};
use ingot_kernel::page::Page;

use crate::store::{self, QuotaRow};

type Result<T> = std::result::Result<T, AllocationError>;

/// The most nodes a quota may allow: a typo guard, not a business limit.
const QUOTA_MAX: u32 = 100_000;

fn internal(err: impl std::fmt::Debug + 'static) -> AllocationError {
    if ingot_kernel::db::unavailable_in(&err) {
        tracing::warn!(error = ?err, "allocation: the database is unavailable");
        return AllocationError::Unavailable("the database");
    }
    // Debug carries the database's own message (a deadlock, a constraint), which Display hides.
    tracing::error!(error = ?err, "allocation storage failed");
    AllocationError::Internal
}

/// What Allocation asks of other domains, each through its contract.
#[derive(Clone)]
pub struct AllocationDeps {
    pub authorizer: Arc<dyn Authorizer>,
    pub audit: Arc<dyn AuditTrail>,
    pub projects: Arc<dyn ProjectDirectory>,
    pub kyc: Arc<dyn KycPolicyApi>,
    pub catalog: Arc<dyn InventoryApi>,
    pub inventory: Arc<dyn InventoryForAllocation>,
    pub balance: Arc<dyn BalancePolicy>,
    /// Keys by id and user-data checks or templates (App Platform).
    pub launch: Arc<dyn LaunchInputsResolver>,
    /// What each site deploys (the MAAS domain).
    pub images: Arc<dyn SiteImageCatalog>,
}

#[derive(Debug, Clone)]
pub struct AllocationConfig {
    /// Deploy failures replaced per allocation before it is given up.
    pub replacements_max: u32,
    /// The image deployed when none is asked for and the site's own default is not known (its
    /// images were never read).
    pub default_image: String,
}

impl Default for AllocationConfig {
    fn default() -> AllocationConfig {
        AllocationConfig {
            replacements_max: 2,
            default_image: "jammy".into(),
        }
    }
}

pub struct AllocationService {
    db: Db,
    clock: Arc<dyn Clock>,
    /// Seals tenants' user-data at rest and in events.
    secrets: SecretBox,
    deps: AllocationDeps,
    config: AllocationConfig,
}

impl AllocationService {
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        secrets: SecretBox,
        deps: AllocationDeps,
        config: AllocationConfig,
    ) -> AllocationService {
        AllocationService {
            db,
            clock,
            secrets,
            deps,
            config,
        }
    }

    /// The project's tenant, once `actor` may take `action` on it; an invisible project is "not
    /// found", like one that does not exist.
    async fn project_authorize(
        &self,
        actor: &Actor,
        project_id: ProjectId,
        action: Action,
    ) -> Result<TenantId> {
        project_access(
            self.deps.projects.as_ref(),
            self.deps.authorizer.as_ref(),
            actor,
            project_id,
            action,
        )
        .await
        .map_err(|err| match err {
            ProjectAccessError::Denied(reason) => AllocationError::Denied(reason),
            ProjectAccessError::NotFound => AllocationError::NotFound("project"),
            ProjectAccessError::Unavailable => AllocationError::Unavailable("the project directory"),
        })
    }

    /// The allocation, once `actor` may take `action` on its project.
    async fn allocation_authorize(
        &self,
        actor: &Actor,
        allocation_id: AllocationId,
        action: Action,
    ) -> Result<store::AllocationRow> {
        if !actor.is_authenticated() {
            return Err(AllocationError::Denied(DenyReason::Unauthenticated));
        }
        let row = store::allocation_get(self.db.reader(), allocation_id)
            .await
            .map_err(internal)?
            .ok_or(AllocationError::NotFound("allocation"))?;
        let resource = Resource::Project {
            tenant_id: row.tenant_id,
            project_id: row.project_id,
        };
        self.deps
            .authorizer
            .allow(actor, action, resource)
            .map_err(|reason| hidden(reason, "allocation"))?;
        Ok(row)
    }

    async fn quotas_view(&self, tenant_id: TenantId) -> Result<QuotasView> {
        let quotas = store::quotas_of_tenant(self.db.reader(), tenant_id)
            .await
            .map_err(internal)?
            .into_iter()
            .map(|q| QuotaEntry {
                project_id: q.project_id,
                sku: q.sku_name,
                max_nodes: q.max_nodes,
            })
            .collect();
        Ok(QuotasView { tenant_id, quotas })
    }

    async fn allocations_list_impl(
        &self,
        actor: &Actor,
        project_id: ProjectId,
        filter: AllocationFilter,
    ) -> Result<Page<AllocationView>> {
        self.project_authorize(actor, project_id, Action::AllocationRead)
            .await?;
        let page = ingot_kernel::page::PageRequest {
            limit: filter.limit,
            cursor: filter.cursor.clone(),
        };
        let limit = page
            .limit()
            .map_err(|e| AllocationError::Invalid(vec![("limit".into(), e.to_string())]))?;
        let after: Option<(i64, String)> = page
            .after()
            .map_err(|e| AllocationError::Invalid(vec![("cursor".into(), e.to_string())]))?;
        let rows = store::allocations_of_project(self.db.reader(), project_id, filter.state, after, limit)
            .await
            .map_err(internal)?;
        self.views_page(rows, limit).await
    }

    async fn allocations_admin_list_impl(
        &self,
        actor: &Actor,
        filter: AdminAllocationFilter,
    ) -> Result<Page<AllocationView>> {
        self.deps
            .authorizer
            .allow(actor, Action::AllocationRead, Resource::Platform)?;
        let page = ingot_kernel::page::PageRequest {
            limit: filter.limit,
            cursor: filter.cursor.clone(),
        };
        let limit = page
            .limit()
            .map_err(|e| AllocationError::Invalid(vec![("limit".into(), e.to_string())]))?;
        let after: Option<(i64, String)> = page
            .after()
            .map_err(|e| AllocationError::Invalid(vec![("cursor".into(), e.to_string())]))?;
        let rows = store::allocations_all(self.db.reader(), filter.tenant_id, filter.state, after, limit)
            .await
            .map_err(internal)?;
        self.views_page(rows, limit).await
    }

    /// One page of views from rows fetched one past `limit` (newest first).
    async fn views_page(&self, rows: Vec<store::AllocationRow>, limit: u32) -> Result<Page<AllocationView>> {
        let mut views = Vec::with_capacity(rows.len());
        for row in rows {
            views.push(self.view(row).await?);
        }
        Ok(Page::from_overfetch(views, limit, |v| {
            (v.created_at.as_micros(), v.id.to_string())
        }))
    }
}

/// A resource the actor may not see is answered as missing, so ids cannot be probed.
fn hidden(reason: DenyReason, what: &'static str) -> AllocationError {
    match reason {
        DenyReason::NotVisible => AllocationError::NotFound(what),
        reason => AllocationError::Denied(reason),
    }
}

impl AllocationApi for AllocationService {
    fn allocation_create<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        request: AllocationCreateRequest,
    ) -> BoxFuture<'a, Result<AllocationCreated>> {
        let span = tracing::info_span!("allocation.create", %project_id, sku = %request.sku);
        Box::pin(tracing::Instrument::instrument(
            self.create(actor, project_id, request),
            span,
        ))
    }

    fn allocations_list<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        filter: AllocationFilter,
    ) -> BoxFuture<'a, Result<Page<AllocationView>>> {
        Box::pin(self.allocations_list_impl(actor, project_id, filter))
    }

    fn allocation_get<'a>(
        &'a self,
        actor: &'a Actor,
        allocation_id: AllocationId,
    ) -> BoxFuture<'a, Result<AllocationView>> {
        Box::pin(async move {
            let row = self
                .allocation_authorize(actor, allocation_id, Action::AllocationRead)
                .await?;
            self.view(row).await
        })
    }

    fn allocation_release<'a>(
        &'a self,
        actor: &'a Actor,
        allocation_id: AllocationId,
        request: ReleaseRequest,
    ) -> BoxFuture<'a, Result<AllocationView>> {
        Box::pin(self.release(actor, allocation_id, request))
    }

    fn allocation_extend<'a>(
        &'a self,
        actor: &'a Actor,
        allocation_id: AllocationId,
        request: ExtendRequest,
    ) -> BoxFuture<'a, Result<AllocationView>> {
        Box::pin(self.extend(actor, allocation_id, request))
    }

    fn allocation_force_release<'a>(
        &'a self,
        actor: &'a Actor,
        allocation_id: AllocationId,
        request: ForceReleaseRequest,
    ) -> BoxFuture<'a, Result<AllocationView>> {
        Box::pin(self.force_release(actor, allocation_id, request))
    }

    fn allocations_admin_list<'a>(
        &'a self,
        actor: &'a Actor,
        filter: AdminAllocationFilter,
    ) -> BoxFuture<'a, Result<Page<AllocationView>>> {
        Box::pin(self.allocations_admin_list_impl(actor, filter))
    }

    fn quotas_get<'a>(&'a self, actor: &'a Actor, tenant_id: TenantId) -> BoxFuture<'a, Result<QuotasView>> {
        Box::pin(async move {
            self.deps
                .authorizer
                .allow(actor, Action::QuotaManage, Resource::Platform)?;
            self.quotas_view(tenant_id).await
        })
    }

    fn quotas_set<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        request: QuotasSetRequest,
    ) -> BoxFuture<'a, Result<QuotasView>> {
        Box::pin(async move {
            self.deps
                .authorizer
                .allow(actor, Action::QuotaManage, Resource::Platform)?;
            let skus = self
                .deps
                .catalog
                .skus_list(actor)
                .await
                .map_err(|_| AllocationError::Unavailable("the catalog"))?;
            let mut errors = Vec::new();
            let reason = request.reason.trim();
            if reason.is_empty() || reason.len() > 500 {
                errors.push(("reason".to_string(), "1 to 500 characters".to_string()));
            }
            let mut seen = HashSet::new();
            let mut rows = Vec::new();
            for (i, entry) in request.quotas.iter().enumerate() {
                match skus.iter().find(|s| s.name == entry.sku) {
                    None => errors.push((format!("quotas[{i}].sku"), "no such SKU".into())),
                    Some(sku) => {
                        if !seen.insert((entry.project_id, sku.id)) {
                            errors.push((
                                format!("quotas[{i}]"),
                                "a second quota for the same project and SKU".into(),
                            ));
                        }
                        rows.push(QuotaRow {
                            project_id: entry.project_id,
                            sku_id: sku.id,
                            sku_name: sku.name.clone(),
                            max_nodes: entry.max_nodes,
                        });
                    }
                }
                if entry.max_nodes > QUOTA_MAX {
                    errors.push((format!("quotas[{i}].max_nodes"), format!("at most {QUOTA_MAX}")));
                }
            }
            if !errors.is_empty() {
                return Err(AllocationError::Invalid(errors));
            }
            let mut tx = self.db.begin().await.map_err(internal)?;
            store::quotas_replace_in_tx(&mut tx, tenant_id, &rows, self.clock.now())
                .await
                .map_err(internal)?;
            let entry = AuditEntry {
                action: "allocation.quotas.set",
                target: tenant_id.to_string(),
                details: serde_json::json!({"reason": reason, "quotas": request.quotas}),
            };
            self.deps
                .audit
                .audit_in_tx(&mut tx, actor, entry)
                .await
                .map_err(internal)?;
            let now = self.clock.now();
            let changed = QuotasChanged {
                tenant_id,
                quotas: request.quotas.clone(),
                at: now,
            };
            ingot_kernel::outbox::append_in_tx(&mut tx, &changed.to_envelope(now))
                .await
                .map_err(internal)?;
            tx.commit().await.map_err(internal)?;
            self.quotas_view(tenant_id).await
        })
    }
}
