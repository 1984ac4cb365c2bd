//! Provisioning.Allocation service: use cases behind `contracts::allocation::AllocationApi`;
//! authorization is decided here. So far: operators' quotas.

use std::collections::HashSet;
use std::sync::Arc;

use ingot_contracts::BoxFuture;
use ingot_contracts::allocation::{AllocationApi, AllocationError, QuotaEntry, QuotasSetRequest, QuotasView};
use ingot_contracts::iam::{Action, Actor, AuditEntry, AuditTrail, Authorizer, Resource};
use ingot_contracts::inventory::InventoryApi;
use ingot_kernel::Clock;
use ingot_kernel::db::Db;
use ingot_kernel::id::TenantId;

use crate::store::{self, QuotaRow};

type Result<T> = std::result::Result<T, AllocationError>;

/// The most nodes a quota may allow: a typo guard, not a business limit.
const QUOTA_MAX: u32 = 100_000;

fn internal(err: impl std::fmt::Display) -> AllocationError {
    tracing::error!(error = %err, "allocation storage failed");
    AllocationError::Internal
}

pub struct AllocationService {
    db: Db,
    clock: Arc<dyn Clock>,
    authorizer: Arc<dyn Authorizer>,
    audit: Arc<dyn AuditTrail>,
    inventory: Arc<dyn InventoryApi>,
}

impl AllocationService {
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        authorizer: Arc<dyn Authorizer>,
        audit: Arc<dyn AuditTrail>,
        inventory: Arc<dyn InventoryApi>,
    ) -> AllocationService {
        AllocationService {
            db,
            clock,
            authorizer,
            audit,
            inventory,
        }
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
}

impl AllocationApi for AllocationService {
    fn quotas_get<'a>(&'a self, actor: &'a Actor, tenant_id: TenantId) -> BoxFuture<'a, Result<QuotasView>> {
        Box::pin(async move {
            self.authorizer
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
            self.authorizer
                .allow(actor, Action::QuotaManage, Resource::Platform)?;
            let skus = self
                .inventory
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
            self.audit
                .audit_in_tx(&mut tx, actor, entry)
                .await
                .map_err(internal)?;
            tx.commit().await.map_err(internal)?;
            self.quotas_view(tenant_id).await
        })
    }
}
