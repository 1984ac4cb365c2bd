//! Provisioning.Allocation store: SQL for the `alloc_*` tables only.

use ingot_kernel::Timestamp;
use ingot_kernel::db::column::enum_to_text;
use ingot_kernel::db::{DbError, Tx};
use ingot_kernel::id::{AllocationId, NodeId, ProjectId, SiteId, SkuId, TenantId};

use crate::model::{AllocationState, NodePhase};

/// A new allocation as recorded at admission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAllocation {
    pub id: AllocationId,
    pub tenant_id: TenantId,
    pub project_id: ProjectId,
    pub sku_id: SkuId,
    pub site_id: SiteId,
    pub node_count: u32,
    pub image: String,
    pub release_at: Option<Timestamp>,
}

pub async fn allocation_insert_in_tx(tx: &mut Tx, a: &NewAllocation, now: Timestamp) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO alloc_allocations (id, tenant_id, project_id, sku_id, site_id, node_count, image, state, \
         release_at_us, created_at_us, updated_at_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
    )
    .bind(a.id.to_string())
    .bind(a.tenant_id.to_string())
    .bind(a.project_id.to_string())
    .bind(a.sku_id.to_string())
    .bind(a.site_id.to_string())
    .bind(i64::from(a.node_count))
    .bind(&a.image)
    .bind(enum_to_text(&AllocationState::Pending))
    .bind(a.release_at.map(|t| t.as_micros()))
    .bind(now.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Why a node could not be assigned.
#[derive(Debug, thiserror::Error)]
pub enum AssignError {
    /// The node serves another live allocation (the database refused the second).
    #[error("node {0} is taken")]
    Taken(NodeId),
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Binds a node to an allocation, live. The partial unique index refuses a node that serves
/// another live allocation: that is [`AssignError::Taken`], and the caller's transaction must be
/// rolled back (PostgreSQL aborts it) before trying other nodes.
pub async fn node_assign_in_tx(
    tx: &mut Tx,
    allocation_id: AllocationId,
    node_id: NodeId,
    hostname: &str,
    now: Timestamp,
) -> Result<(), AssignError> {
    let inserted = sqlx::query(
        "INSERT INTO alloc_nodes (allocation_id, node_id, hostname, phase, live, assigned_at_us, updated_at_us) \
         VALUES ($1, $2, $3, $4, 1, $5, $5)",
    )
    .bind(allocation_id.to_string())
    .bind(node_id.to_string())
    .bind(hostname)
    .bind(enum_to_text(&NodePhase::Deploying))
    .bind(now.as_micros())
    .execute(&mut **tx)
    .await
    .map_err(DbError::from);
    match inserted {
        Ok(_) => Ok(()),
        Err(err) if err.is_unique_violation() => Err(AssignError::Taken(node_id)),
        Err(err) => Err(err.into()),
    }
}

/// Moves a node of an allocation to `phase`; a node given back (released or failed) stops being
/// live, which frees it for another allocation.
pub async fn node_phase_set_in_tx(
    tx: &mut Tx,
    allocation_id: AllocationId,
    node_id: NodeId,
    phase: NodePhase,
    now: Timestamp,
) -> Result<bool, DbError> {
    let live = !matches!(phase, NodePhase::Released | NodePhase::Failed);
    let done = sqlx::query(
        "UPDATE alloc_nodes SET phase = $1, live = $2, updated_at_us = $3 WHERE allocation_id = $4 AND node_id = $5",
    )
    .bind(enum_to_text(&phase))
    .bind(i64::from(live))
    .bind(now.as_micros())
    .bind(allocation_id.to_string())
    .bind(node_id.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The allocation a node serves now, if any.
pub async fn node_live_allocation<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    db: E,
    node_id: NodeId,
) -> Result<Option<AllocationId>, DbError> {
    let id: Option<String> =
        sqlx::query_scalar("SELECT allocation_id FROM alloc_nodes WHERE node_id = $1 AND live = 1")
            .bind(node_id.to_string())
            .fetch_optional(db)
            .await?;
    id.map(|id| ingot_kernel::db::column::parse(&id, "allocation id"))
        .transpose()
}

/// One stored quota.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaRow {
    pub project_id: Option<ProjectId>,
    pub sku_id: SkuId,
    pub sku_name: String,
    pub max_nodes: u32,
}

/// A tenant's quotas: tenant-wide first, then per project; by SKU name.
pub async fn quotas_of_tenant<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    db: E,
    tenant_id: TenantId,
) -> Result<Vec<QuotaRow>, DbError> {
    use sqlx::Row;
    sqlx::query(
        "SELECT project_id, sku_id, sku_name, max_nodes FROM alloc_quotas WHERE tenant_id = $1 \
         ORDER BY project_id, sku_name",
    )
    .bind(tenant_id.to_string())
    .fetch_all(db)
    .await?
    .iter()
    .map(|row| {
        let project: String = row.try_get("project_id")?;
        Ok(QuotaRow {
            project_id: (!project.is_empty())
                .then(|| ingot_kernel::db::column::parse(&project, "project id"))
                .transpose()?,
            sku_id: ingot_kernel::db::column::parse(&row.try_get::<String, _>("sku_id")?, "sku id")?,
            sku_name: row.try_get("sku_name")?,
            max_nodes: u32::try_from(row.try_get::<i64, _>("max_nodes")?)
                .map_err(|_| ingot_kernel::db::column::corrupt("max nodes"))?,
        })
    })
    .collect()
}

/// Replaces the tenant's whole set of quotas.
pub async fn quotas_replace_in_tx(
    tx: &mut Tx,
    tenant_id: TenantId,
    quotas: &[QuotaRow],
    now: Timestamp,
) -> Result<(), DbError> {
    sqlx::query("DELETE FROM alloc_quotas WHERE tenant_id = $1")
        .bind(tenant_id.to_string())
        .execute(&mut **tx)
        .await?;
    for quota in quotas {
        sqlx::query(
            "INSERT INTO alloc_quotas (tenant_id, project_id, sku_id, sku_name, max_nodes, updated_at_us) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(tenant_id.to_string())
        .bind(quota.project_id.map_or_else(String::new, |p| p.to_string()))
        .bind(quota.sku_id.to_string())
        .bind(&quota.sku_name)
        .bind(i64::from(quota.max_nodes))
        .bind(now.as_micros())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
