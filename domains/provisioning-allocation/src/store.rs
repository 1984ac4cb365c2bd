//! Provisioning.Allocation store: SQL for the `alloc_*` tables only.

use ingot_kernel::Timestamp;
use ingot_kernel::db::column::enum_to_text;
use ingot_kernel::db::{DbError, Tx};
use ingot_kernel::id::{AllocationId, NodeId, ProjectId, SiteId, SkuId, TenantId};

use crate::model::{AllocationState, NodePhase};

use ingot_contracts::allocation::PlacementPolicy;
use ingot_kernel::db::column::{corrupt, enum_from_text, from_json, parse, to_json};
use ingot_kernel::{Currency, Money};
use sqlx::Row;
use sqlx::any::AnyRow;

/// A new allocation as recorded at admission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAllocation {
    pub id: AllocationId,
    pub tenant_id: TenantId,
    pub project_id: ProjectId,
    pub sku_id: SkuId,
    pub sku_name: String,
    pub site_id: SiteId,
    pub site_name: String,
    pub node_count: u32,
    pub image: String,
    pub placement: PlacementPolicy,
    pub ssh_keys: Vec<String>,
    pub user_data_sealed: Option<String>,
    /// List price per node-hour when admitted (the view multiplies by the count).
    pub hourly_price: Money,
    pub release_at: Option<Timestamp>,
}

/// Records an admitted allocation, `provisioning` (its nodes are bound in the same transaction),
/// with the first two lines of its history in one statement.
pub async fn allocation_insert_in_tx(tx: &mut Tx, a: &NewAllocation, now: Timestamp) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO alloc_allocations (id, tenant_id, project_id, sku_id, site_id, node_count, image, state, \
         release_at_us, created_at_us, updated_at_us, sku_name, site_name, placement, ssh_keys, user_data_sealed, \
         hourly_price_micros, currency) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12, $13, $14, $15, $16, $17)",
    )
    .bind(a.id.to_string())
    .bind(a.tenant_id.to_string())
    .bind(a.project_id.to_string())
    .bind(a.sku_id.to_string())
    .bind(a.site_id.to_string())
    .bind(i64::from(a.node_count))
    .bind(&a.image)
    .bind(enum_to_text(&AllocationState::Provisioning))
    .bind(a.release_at.map(|t| t.as_micros()))
    .bind(now.as_micros())
    .bind(&a.sku_name)
    .bind(&a.site_name)
    .bind(enum_to_text(&a.placement))
    .bind(to_json(&a.ssh_keys))
    .bind(&a.user_data_sealed)
    .bind(a.hourly_price.micros())
    .bind(a.hourly_price.currency().as_str().to_string())
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO alloc_history (allocation_id, seq, state, reason, at_us) \
         VALUES ($1, 1, $2, 'admitted', $4), ($1, 2, $3, 'nodes assigned; deploying', $4)",
    )
    .bind(a.id.to_string())
    .bind(enum_to_text(&AllocationState::Pending))
    .bind(enum_to_text(&AllocationState::Provisioning))
    .bind(now.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Appends a line to the allocation's status history.
pub async fn history_append_in_tx(
    tx: &mut Tx,
    allocation_id: AllocationId,
    state: AllocationState,
    reason: &str,
    at: Timestamp,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO alloc_history (allocation_id, seq, state, reason, at_us) \
         SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4 FROM alloc_history WHERE allocation_id = $1",
    )
    .bind(allocation_id.to_string())
    .bind(enum_to_text(&state))
    .bind(reason)
    .bind(at.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Serialises the admissions of one tenant: each takes this row's lock for its transaction, so
/// two cannot both pass the same quota.
pub async fn tenant_admission_lock_in_tx(tx: &mut Tx, tenant_id: TenantId) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO alloc_tenant_admissions (tenant_id, admitted) VALUES ($1, 1) \
         ON CONFLICT (tenant_id) DO UPDATE SET admitted = alloc_tenant_admissions.admitted + 1",
    )
    .bind(tenant_id.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Nodes held by a tenant's allocations that have not ended, per (project, SKU).
pub async fn tenant_nodes_in_use<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    db: E,
    tenant_id: TenantId,
) -> Result<Vec<(ProjectId, SkuId, u32)>, DbError> {
    sqlx::query(
        "SELECT project_id, sku_id, CAST(SUM(node_count) AS BIGINT) AS nodes FROM alloc_allocations \
         WHERE tenant_id = $1 AND state NOT IN ('released', 'failed') GROUP BY project_id, sku_id",
    )
    .bind(tenant_id.to_string())
    .fetch_all(db)
    .await?
    .iter()
    .map(|row| {
        Ok((
            parse(&row.try_get::<String, _>("project_id")?, "project id")?,
            parse(&row.try_get::<String, _>("sku_id")?, "sku id")?,
            u32::try_from(row.try_get::<i64, _>("nodes")?).map_err(|_| corrupt("node count"))?,
        ))
    })
    .collect()
}

/// An allocation as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllocationRow {
    pub id: AllocationId,
    pub tenant_id: TenantId,
    pub project_id: ProjectId,
    pub sku_id: SkuId,
    pub sku_name: String,
    pub site_id: SiteId,
    pub site_name: String,
    pub node_count: u32,
    pub image: String,
    pub placement: PlacementPolicy,
    pub ssh_keys: Vec<String>,
    pub user_data_sealed: Option<String>,
    pub hourly_price: Money,
    pub state: AllocationState,
    pub reason: Option<String>,
    pub release_at: Option<Timestamp>,
    /// Its end was asked for (release, force-release, expiry, balance, KYC).
    pub ending: bool,
    /// Given up: replacements exhausted, or nothing could be deployed.
    pub failed: bool,
    pub replacements: u32,
    pub funding_released: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

const ALLOCATION_COLUMNS: &str = "id, tenant_id, project_id, sku_id, sku_name, site_id, site_name, node_count, image, \
    placement, ssh_keys, user_data_sealed, hourly_price_micros, currency, state, reason, release_at_us, ending, failed, \
    replacements, funding_released, created_at_us, updated_at_us";

fn allocation_from_row(row: &AnyRow) -> Result<AllocationRow, DbError> {
    let currency: Currency = parse(&row.try_get::<String, _>("currency")?, "currency")?;
    Ok(AllocationRow {
        id: parse(&row.try_get::<String, _>("id")?, "allocation id")?,
        tenant_id: parse(&row.try_get::<String, _>("tenant_id")?, "tenant id")?,
        project_id: parse(&row.try_get::<String, _>("project_id")?, "project id")?,
        sku_id: parse(&row.try_get::<String, _>("sku_id")?, "sku id")?,
        sku_name: row.try_get("sku_name")?,
        site_id: parse(&row.try_get::<String, _>("site_id")?, "site id")?,
        site_name: row.try_get("site_name")?,
        node_count: u32::try_from(row.try_get::<i64, _>("node_count")?).map_err(|_| corrupt("node count"))?,
        image: row.try_get("image")?,
        placement: enum_from_text(&row.try_get::<String, _>("placement")?, "placement")?,
        ssh_keys: from_json(&row.try_get::<String, _>("ssh_keys")?, "ssh keys")?,
        user_data_sealed: row.try_get("user_data_sealed")?,
        hourly_price: Money::from_micros(row.try_get("hourly_price_micros")?, currency),
        state: enum_from_text(&row.try_get::<String, _>("state")?, "allocation state")?,
        reason: row.try_get("reason")?,
        release_at: row
            .try_get::<Option<i64>, _>("release_at_us")?
            .map(Timestamp::from_micros),
        ending: row.try_get::<i64, _>("ending")? != 0,
        failed: row.try_get::<i64, _>("failed")? != 0,
        replacements: u32::try_from(row.try_get::<i64, _>("replacements")?)
            .map_err(|_| corrupt("replacements"))?,
        funding_released: row.try_get::<i64, _>("funding_released")? != 0,
        created_at: Timestamp::from_micros(row.try_get("created_at_us")?),
        updated_at: Timestamp::from_micros(row.try_get("updated_at_us")?),
    })
}

pub async fn allocation_get<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    db: E,
    id: AllocationId,
) -> Result<Option<AllocationRow>, DbError> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {ALLOCATION_COLUMNS} FROM alloc_allocations WHERE id = $1"
    )))
    .bind(id.to_string())
    .fetch_optional(db)
    .await?
    .as_ref()
    .map(allocation_from_row)
    .transpose()
}

/// Locks the allocation for this transaction (a no-op write takes PostgreSQL's row lock; SQLite's
/// write transaction already excludes others) and reads it.
pub async fn allocation_lock_in_tx(tx: &mut Tx, id: AllocationId) -> Result<Option<AllocationRow>, DbError> {
    sqlx::query("UPDATE alloc_allocations SET updated_at_us = updated_at_us WHERE id = $1")
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    allocation_get(&mut **tx, id).await
}

/// A project's allocations, newest first, after the cursor `(created_at_us, id)`.
pub async fn allocations_of_project<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    db: E,
    project_id: ProjectId,
    state: Option<AllocationState>,
    after: Option<(i64, String)>,
    limit: u32,
) -> Result<Vec<AllocationRow>, DbError> {
    let (after_us, after_id) = after.unwrap_or((i64::MAX, String::new()));
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {ALLOCATION_COLUMNS} FROM alloc_allocations WHERE project_id = $1 \
         AND ($2 = '' OR state = $2) AND (created_at_us < $3 OR (created_at_us = $3 AND id < $4)) \
         ORDER BY created_at_us DESC, id DESC LIMIT $5"
    )))
    .bind(project_id.to_string())
    .bind(state.map(|s| enum_to_text(&s)).unwrap_or_default())
    .bind(after_us)
    .bind(if after_id.is_empty() {
        "~".to_string()
    } else {
        after_id
    })
    .bind(i64::from(limit) + 1)
    .fetch_all(db)
    .await?
    .iter()
    .map(allocation_from_row)
    .collect()
}

/// Every tenant's allocations (or one tenant's), newest first: the operators' list.
pub async fn allocations_all<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    db: E,
    tenant_id: Option<TenantId>,
    state: Option<AllocationState>,
    after: Option<(i64, String)>,
    limit: u32,
) -> Result<Vec<AllocationRow>, DbError> {
    let (after_us, after_id) = after.unwrap_or((i64::MAX, String::new()));
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {ALLOCATION_COLUMNS} FROM alloc_allocations WHERE ($1 = '' OR tenant_id = $1) \
         AND ($2 = '' OR state = $2) AND (created_at_us < $3 OR (created_at_us = $3 AND id < $4)) \
         ORDER BY created_at_us DESC, id DESC LIMIT $5"
    )))
    .bind(tenant_id.map(|t| t.to_string()).unwrap_or_default())
    .bind(state.map(|s| enum_to_text(&s)).unwrap_or_default())
    .bind(after_us)
    .bind(if after_id.is_empty() {
        "~".to_string()
    } else {
        after_id
    })
    .bind(i64::from(limit) + 1)
    .fetch_all(db)
    .await?
    .iter()
    .map(allocation_from_row)
    .collect()
}

/// Allocations past their `release_at` that have not been asked to end, oldest due first.
pub async fn allocations_expired<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    db: E,
    now: Timestamp,
    limit: u32,
) -> Result<Vec<AllocationRow>, DbError> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {ALLOCATION_COLUMNS} FROM alloc_allocations \
         WHERE ending = 0 AND failed = 0 AND release_at_us IS NOT NULL AND release_at_us <= $1 \
         ORDER BY release_at_us LIMIT $2"
    )))
    .bind(now.as_micros())
    .bind(i64::from(limit))
    .fetch_all(db)
    .await?
    .iter()
    .map(allocation_from_row)
    .collect()
}

/// Ended allocations whose runway Billing was not yet told to release. Kept apart from
/// expiry, so a Billing that keeps failing cannot hold expiries up.
pub async fn allocations_unfunded<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    db: E,
    limit: u32,
) -> Result<Vec<AllocationRow>, DbError> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {ALLOCATION_COLUMNS} FROM alloc_allocations \
         WHERE state IN ('released', 'failed') AND funding_released = 0 ORDER BY updated_at_us LIMIT $1"
    )))
    .bind(i64::from(limit))
    .fetch_all(db)
    .await?
    .iter()
    .map(allocation_from_row)
    .collect()
}

/// A tenant's allocations that have not been asked to end.
pub async fn tenant_allocations_running<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    db: E,
    tenant_id: TenantId,
) -> Result<Vec<AllocationId>, DbError> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM alloc_allocations WHERE tenant_id = $1 AND ending = 0 AND failed = 0 \
         AND state NOT IN ('released', 'failed')",
    )
    .bind(tenant_id.to_string())
    .fetch_all(db)
    .await?;
    ids.iter().map(|id| parse(id, "allocation id")).collect()
}

/// What changes on an allocation row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllocationChange {
    pub state: AllocationState,
    pub reason: Option<String>,
    pub release_at: Option<Timestamp>,
    pub ending: bool,
    pub failed: bool,
    pub replacements: u32,
}

impl AllocationChange {
    pub fn of(row: &AllocationRow) -> AllocationChange {
        AllocationChange {
            state: row.state,
            reason: row.reason.clone(),
            release_at: row.release_at,
            ending: row.ending,
            failed: row.failed,
            replacements: row.replacements,
        }
    }
}

pub async fn allocation_update_in_tx(
    tx: &mut Tx,
    id: AllocationId,
    change: &AllocationChange,
    now: Timestamp,
) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE alloc_allocations SET state = $1, reason = $2, release_at_us = $3, ending = $4, failed = $5, \
         replacements = $6, updated_at_us = $7 WHERE id = $8",
    )
    .bind(enum_to_text(&change.state))
    .bind(&change.reason)
    .bind(change.release_at.map(|t| t.as_micros()))
    .bind(i64::from(change.ending))
    .bind(i64::from(change.failed))
    .bind(i64::from(change.replacements))
    .bind(now.as_micros())
    .bind(id.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Billing was told the allocation's runway may be released.
pub async fn funding_released_set_in_tx(
    tx: &mut Tx,
    id: AllocationId,
    now: Timestamp,
) -> Result<(), DbError> {
    sqlx::query("UPDATE alloc_allocations SET funding_released = 1, updated_at_us = $1 WHERE id = $2")
        .bind(now.as_micros())
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A line of an allocation's status history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    pub state: AllocationState,
    pub reason: String,
    pub at: Timestamp,
}

pub async fn allocation_history<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    db: E,
    id: AllocationId,
) -> Result<Vec<HistoryRow>, DbError> {
    sqlx::query("SELECT state, reason, at_us FROM alloc_history WHERE allocation_id = $1 ORDER BY seq")
        .bind(id.to_string())
        .fetch_all(db)
        .await?
        .iter()
        .map(|row| {
            Ok(HistoryRow {
                state: enum_from_text(&row.try_get::<String, _>("state")?, "allocation state")?,
                reason: row.try_get("reason")?,
                at: Timestamp::from_micros(row.try_get("at_us")?),
            })
        })
        .collect()
}

/// A node of an allocation as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeRow {
    pub allocation_id: AllocationId,
    pub node_id: NodeId,
    pub hostname: String,
    pub phase: NodePhase,
    pub ip_addresses: Vec<String>,
    pub reason: Option<String>,
    pub assigned_at: Timestamp,
    pub deploy_started_at: Option<Timestamp>,
    pub deployed_at: Option<Timestamp>,
    pub metering_started_at: Option<Timestamp>,
    pub metering_stopped_at: Option<Timestamp>,
    pub released_at: Option<Timestamp>,
    /// How the node was given back before this allocation got it.
    pub previous_erasure: Option<(String, Timestamp)>,
    pub fabric_group: Option<String>,
}

fn micros_opt(row: &AnyRow, column: &str) -> Result<Option<Timestamp>, DbError> {
    Ok(row.try_get::<Option<i64>, _>(column)?.map(Timestamp::from_micros))
}

pub async fn allocation_nodes<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    db: E,
    id: AllocationId,
) -> Result<Vec<NodeRow>, DbError> {
    sqlx::query(
        "SELECT allocation_id, node_id, hostname, phase, ip_addresses, reason, assigned_at_us, deploy_started_at_us, \
         deployed_at_us, metering_started_at_us, metering_stopped_at_us, released_at_us, previous_erase, \
         previous_erased_at_us, fabric_group FROM alloc_nodes WHERE allocation_id = $1 ORDER BY assigned_at_us, hostname",
    )
    .bind(id.to_string())
    .fetch_all(db)
    .await?
    .iter()
    .map(|row| {
        let erase: Option<String> = row.try_get("previous_erase")?;
        let erased_at = micros_opt(row, "previous_erased_at_us")?;
        Ok(NodeRow {
            allocation_id: parse(&row.try_get::<String, _>("allocation_id")?, "allocation id")?,
            node_id: parse(&row.try_get::<String, _>("node_id")?, "node id")?,
            hostname: row.try_get("hostname")?,
            phase: enum_from_text(&row.try_get::<String, _>("phase")?, "node phase")?,
            ip_addresses: from_json(&row.try_get::<String, _>("ip_addresses")?, "ip addresses")?,
            reason: row.try_get("reason")?,
            assigned_at: Timestamp::from_micros(row.try_get("assigned_at_us")?),
            deploy_started_at: micros_opt(row, "deploy_started_at_us")?,
            deployed_at: micros_opt(row, "deployed_at_us")?,
            metering_started_at: micros_opt(row, "metering_started_at_us")?,
            metering_stopped_at: micros_opt(row, "metering_stopped_at_us")?,
            released_at: micros_opt(row, "released_at_us")?,
            previous_erasure: erase.zip(erased_at),
            fabric_group: row.try_get("fabric_group")?,
        })
    })
    .collect()
}

/// Writes a node's phase and what it learnt; a node given back clean stops being live, which
/// frees it for another allocation. (A failed node stays live until its release completes: it
/// is not clean before.)
pub async fn node_update_in_tx(tx: &mut Tx, node: &NodeRow, now: Timestamp) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE alloc_nodes SET phase = $1, live = $2, ip_addresses = $3, reason = $4, deploy_started_at_us = $5, \
         deployed_at_us = $6, metering_started_at_us = $7, metering_stopped_at_us = $8, released_at_us = $9, \
         updated_at_us = $10 WHERE allocation_id = $11 AND node_id = $12",
    )
    .bind(enum_to_text(&node.phase))
    .bind(i64::from(node.phase != NodePhase::Released))
    .bind(to_json(&node.ip_addresses))
    .bind(&node.reason)
    .bind(node.deploy_started_at.map(|t| t.as_micros()))
    .bind(node.deployed_at.map(|t| t.as_micros()))
    .bind(node.metering_started_at.map(|t| t.as_micros()))
    .bind(node.metering_stopped_at.map(|t| t.as_micros()))
    .bind(node.released_at.map(|t| t.as_micros()))
    .bind(now.as_micros())
    .bind(node.allocation_id.to_string())
    .bind(node.node_id.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Remembers how a node was given back, for the next tenant's handover record.
pub async fn erasure_record_in_tx(
    tx: &mut Tx,
    node_id: NodeId,
    erase: &str,
    at: Timestamp,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO alloc_node_erasures (node_id, erase, at_us) VALUES ($1, $2, $3) \
         ON CONFLICT (node_id) DO UPDATE SET erase = excluded.erase, at_us = excluded.at_us",
    )
    .bind(node_id.to_string())
    .bind(erase)
    .bind(at.as_micros())
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
/// another live allocation: that is [`AssignError::Taken`], answered without aborting the
/// transaction (`ON CONFLICT … DO NOTHING` on that index), so the caller may try another node.
pub async fn node_assign_in_tx(
    tx: &mut Tx,
    allocation_id: AllocationId,
    node: &crate::model::Candidate,
    now: Timestamp,
) -> Result<(), AssignError> {
    let node_id = node.node_id;
    let inserted = sqlx::query(
        "INSERT INTO alloc_nodes (allocation_id, node_id, hostname, phase, live, assigned_at_us, updated_at_us, \
         fabric_group, previous_erase, previous_erased_at_us) \
         SELECT $1, $2, $3, $4, 1, $5, $5, $6, \
         (SELECT erase FROM alloc_node_erasures WHERE node_id = $2), \
         (SELECT at_us FROM alloc_node_erasures WHERE node_id = $2) \
         ON CONFLICT (node_id) WHERE live = 1 DO NOTHING",
    )
    .bind(allocation_id.to_string())
    .bind(node_id.to_string())
    .bind(&node.hostname)
    .bind(enum_to_text(&NodePhase::Deploying))
    .bind(now.as_micros())
    .bind(&node.fabric_group)
    .execute(&mut **tx)
    .await
    .map_err(DbError::from);
    match inserted {
        Ok(done) if done.rows_affected() == 1 => Ok(()),
        Ok(_) => Err(AssignError::Taken(node_id)),
        Err(err) if err.is_unique_violation() => Err(AssignError::Taken(node_id)),
        Err(err) => Err(err.into()),
    }
}

/// Moves a node of an allocation to `phase`; a node given back clean (released) stops being
/// live, which frees it for another allocation.
pub async fn node_phase_set_in_tx(
    tx: &mut Tx,
    allocation_id: AllocationId,
    node_id: NodeId,
    phase: NodePhase,
    now: Timestamp,
) -> Result<bool, DbError> {
    let live = phase != NodePhase::Released;
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
