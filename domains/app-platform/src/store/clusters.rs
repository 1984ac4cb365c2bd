//! SQL for clusters and their members.

use ingot_kernel::Timestamp;
use ingot_kernel::db::column::{corrupt, parse};
use ingot_kernel::db::{DbError, Tx};
use ingot_kernel::id::{AllocationId, ClusterId, ProjectId, TenantId, UserId};
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterRow {
    pub id: ClusterId,
    pub tenant_id: TenantId,
    pub project_id: ProjectId,
    pub name: String,
    pub template: String,
    pub variables_sealed: String,
    pub token_sealed: String,
    pub sku: String,
    pub worker_sku: String,
    pub site: Option<String>,
    pub image: Option<String>,
    pub ssh_keys: Vec<String>,
    pub workers: u32,
    pub deleting: bool,
    pub created_by: UserId,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

const COLUMNS: &str = "id, tenant_id, project_id, name, template, variables_sealed, token_sealed, sku, worker_sku, \
     site, image, ssh_keys, workers, deleting, created_by, created_at_us, updated_at_us";

fn cluster_from_row(row: &AnyRow) -> Result<ClusterRow, DbError> {
    let ssh_keys: String = row.try_get("ssh_keys")?;
    Ok(ClusterRow {
        id: parse(&row.try_get::<String, _>("id")?, "cluster id")?,
        tenant_id: parse(&row.try_get::<String, _>("tenant_id")?, "tenant id")?,
        project_id: parse(&row.try_get::<String, _>("project_id")?, "project id")?,
        name: row.try_get("name")?,
        template: row.try_get("template")?,
        variables_sealed: row.try_get("variables_sealed")?,
        token_sealed: row.try_get("token_sealed")?,
        sku: row.try_get("sku")?,
        worker_sku: row.try_get("worker_sku")?,
        site: row.try_get("site")?,
        image: row.try_get("image")?,
        ssh_keys: serde_json::from_str(&ssh_keys).map_err(|_| corrupt("cluster ssh keys"))?,
        workers: u32::try_from(row.try_get::<i64, _>("workers")?).map_err(|_| corrupt("workers"))?,
        deleting: row.try_get::<i64, _>("deleting")? == 1,
        created_by: parse(&row.try_get::<String, _>("created_by")?, "user id")?,
        created_at: Timestamp::from_micros(row.try_get("created_at_us")?),
        updated_at: Timestamp::from_micros(row.try_get("updated_at_us")?),
    })
}

/// Keeps a new cluster; `false` when the project has a live cluster of this name.
pub async fn cluster_insert_in_tx(tx: &mut Tx, row: &ClusterRow) -> Result<bool, DbError> {
    let done = sqlx::query(
        "INSERT INTO app_clusters (id, tenant_id, project_id, name, template, variables_sealed, token_sealed, sku, \
         worker_sku, site, image, ssh_keys, workers, deleting, created_by, created_at_us, updated_at_us) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) \
         ON CONFLICT (project_id, name) WHERE deleting = 0 DO NOTHING",
    )
    .bind(row.id.to_string())
    .bind(row.tenant_id.to_string())
    .bind(row.project_id.to_string())
    .bind(&row.name)
    .bind(&row.template)
    .bind(&row.variables_sealed)
    .bind(&row.token_sealed)
    .bind(&row.sku)
    .bind(&row.worker_sku)
    .bind(&row.site)
    .bind(&row.image)
    .bind(serde_json::to_string(&row.ssh_keys).map_err(|_| corrupt("cluster ssh keys"))?)
    .bind(i64::from(row.workers))
    .bind(i64::from(row.deleting))
    .bind(row.created_by.to_string())
    .bind(row.created_at.as_micros())
    .bind(row.updated_at.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A project's clusters, not yet deleted first, by name.
pub async fn clusters_of<'e, E: Executor<'e, Database = Any>>(
    db: E,
    project_id: ProjectId,
) -> Result<Vec<ClusterRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM app_clusters WHERE project_id = $1 ORDER BY deleting, name, id"
    ));
    sqlx::query(sql)
        .bind(project_id.to_string())
        .fetch_all(db)
        .await?
        .iter()
        .map(cluster_from_row)
        .collect()
}

/// A project's cluster by id, or its live cluster by name.
pub async fn cluster_find<'e, E: Executor<'e, Database = Any>>(
    db: E,
    project_id: ProjectId,
    id_or_name: &str,
) -> Result<Option<ClusterRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM app_clusters WHERE project_id = $1 AND (id = $2 OR (name = $2 AND deleting = 0))"
    ));
    sqlx::query(sql)
        .bind(project_id.to_string())
        .bind(id_or_name)
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(cluster_from_row)
        .transpose()
}

/// Sets the workers wanted if they are still `from` (two scalings at once: one wins).
pub async fn cluster_workers_set_in_tx(
    tx: &mut Tx,
    id: ClusterId,
    from: u32,
    to: u32,
    now: Timestamp,
) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE app_clusters SET workers = $1, updated_at_us = $2 WHERE id = $3 AND workers = $4 AND deleting = 0",
    )
    .bind(i64::from(to))
    .bind(now.as_micros())
    .bind(id.to_string())
    .bind(i64::from(from))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks a cluster deleting (its name is free again); `false` when it already was.
pub async fn cluster_deleting_in_tx(tx: &mut Tx, id: ClusterId, now: Timestamp) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE app_clusters SET deleting = 1, updated_at_us = $1 WHERE id = $2 AND deleting = 0",
    )
    .bind(now.as_micros())
    .bind(id.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRow {
    pub allocation_id: AllocationId,
    pub cluster_id: ClusterId,
    pub role: String,
    pub index: u32,
    pub removed_at: Option<Timestamp>,
}

pub async fn member_insert_in_tx(tx: &mut Tx, member: &MemberRow, now: Timestamp) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO app_cluster_members (allocation_id, cluster_id, role, node_index, created_at_us, removed_at_us) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(member.allocation_id.to_string())
    .bind(member.cluster_id.to_string())
    .bind(&member.role)
    .bind(i64::from(member.index))
    .bind(now.as_micros())
    .bind(member.removed_at.map(Timestamp::as_micros))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn member_removed_in_tx(
    tx: &mut Tx,
    allocation_id: AllocationId,
    now: Timestamp,
) -> Result<(), DbError> {
    sqlx::query("UPDATE app_cluster_members SET removed_at_us = $1 WHERE allocation_id = $2 AND removed_at_us IS NULL")
        .bind(now.as_micros())
        .bind(allocation_id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A cluster's members, the head first, then by index.
pub async fn members_of<'e, E: Executor<'e, Database = Any>>(
    db: E,
    cluster_id: ClusterId,
) -> Result<Vec<MemberRow>, DbError> {
    sqlx::query(
        "SELECT allocation_id, cluster_id, role, node_index, removed_at_us FROM app_cluster_members \
         WHERE cluster_id = $1 ORDER BY node_index",
    )
    .bind(cluster_id.to_string())
    .fetch_all(db)
    .await?
    .iter()
    .map(|row| {
        Ok(MemberRow {
            allocation_id: parse(&row.try_get::<String, _>("allocation_id")?, "allocation id")?,
            cluster_id: parse(&row.try_get::<String, _>("cluster_id")?, "cluster id")?,
            role: row.try_get("role")?,
            index: u32::try_from(row.try_get::<i64, _>("node_index")?).map_err(|_| corrupt("node index"))?,
            removed_at: row
                .try_get::<Option<i64>, _>("removed_at_us")?
                .map(Timestamp::from_micros),
        })
    })
    .collect()
}
