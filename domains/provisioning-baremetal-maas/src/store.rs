//! Provisioning.BareMetal.MAAS store: SQL for the `maas_*` tables only.

use ingot_kernel::Timestamp;
use ingot_kernel::db::column::{enum_from_text, enum_to_text, parse};
use ingot_kernel::db::{DbError, Tx};
use ingot_kernel::id::{AllocationId, NodeId, SiteId, TenantId};
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};

use crate::model::{Desired, OpKind, OpPhase, Phase, RegionImage};

/// A site's binding as stored (the key still sealed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BindingRow {
    pub site_id: SiteId,
    pub url: String,
    pub api_key_id: String,
    pub api_key_sealed: String,
    /// `SitePolicy` as JSON.
    pub policy: String,
    pub updated_at: Timestamp,
    /// When the site's last complete onboarding pass ended.
    pub onboarded_at: Option<Timestamp>,
}

const BINDING_COLUMNS: &str =
    "site_id, url, api_key_id, api_key_sealed, policy, updated_at_us, onboarded_at_us";

fn binding_from_row(row: &AnyRow) -> Result<BindingRow, DbError> {
    Ok(BindingRow {
        site_id: parse(&row.try_get::<String, _>("site_id")?, "site id")?,
        url: row.try_get("url")?,
        api_key_id: row.try_get("api_key_id")?,
        api_key_sealed: row.try_get("api_key_sealed")?,
        policy: row.try_get("policy")?,
        updated_at: Timestamp::from_micros(row.try_get("updated_at_us")?),
        onboarded_at: row
            .try_get::<Option<i64>, _>("onboarded_at_us")?
            .map(Timestamp::from_micros),
    })
}

pub async fn binding_get<'e, E: Executor<'e, Database = Any>>(
    db: E,
    site_id: SiteId,
) -> Result<Option<BindingRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {BINDING_COLUMNS} FROM maas_sites WHERE site_id = $1"
    ));
    sqlx::query(sql)
        .bind(site_id.to_string())
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(binding_from_row)
        .transpose()
}

pub async fn bindings_all<'e, E: Executor<'e, Database = Any>>(db: E) -> Result<Vec<BindingRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {BINDING_COLUMNS} FROM maas_sites ORDER BY site_id"
    ));
    sqlx::query(sql)
        .fetch_all(db)
        .await?
        .iter()
        .map(binding_from_row)
        .collect()
}

pub async fn binding_upsert_in_tx(tx: &mut Tx, binding: &BindingRow) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO maas_sites (site_id, url, api_key_id, api_key_sealed, policy, created_at_us, updated_at_us) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (site_id) DO UPDATE SET url = excluded.url, \
         api_key_id = excluded.api_key_id, api_key_sealed = excluded.api_key_sealed, policy = excluded.policy, \
         updated_at_us = excluded.updated_at_us",
    )
    .bind(binding.site_id.to_string())
    .bind(&binding.url)
    .bind(&binding.api_key_id)
    .bind(&binding.api_key_sealed)
    .bind(&binding.policy)
    .bind(binding.updated_at.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records that a complete onboarding pass of the site ended at `now`.
pub async fn site_onboarded_in_tx(tx: &mut Tx, site_id: SiteId, now: Timestamp) -> Result<(), DbError> {
    sqlx::query("UPDATE maas_sites SET onboarded_at_us = $1 WHERE site_id = $2")
        .bind(now.as_micros())
        .bind(site_id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Replaces what a site's region was last seen to offer.
pub async fn site_images_replace_in_tx(
    tx: &mut Tx,
    site_id: SiteId,
    images: &[RegionImage],
    synced_at: Timestamp,
) -> Result<(), DbError> {
    sqlx::query("DELETE FROM maas_site_images WHERE site_id = $1")
        .bind(site_id.to_string())
        .execute(&mut **tx)
        .await?;
    for image in images {
        sqlx::query(
            "INSERT INTO maas_site_images (site_id, os, series, title, architectures, synced_at_us) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(site_id.to_string())
        .bind(&image.os)
        .bind(&image.series)
        .bind(&image.title)
        .bind(image.architectures.join(","))
        .bind(synced_at.as_micros())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Every site's images as last synchronised, with when, by site.
pub async fn site_images_all<'e, E: Executor<'e, Database = Any>>(
    db: E,
) -> Result<Vec<(SiteId, RegionImage, Timestamp)>, DbError> {
    sqlx::query(
        "SELECT site_id, os, series, title, architectures, synced_at_us FROM maas_site_images \
         ORDER BY site_id, os, series",
    )
    .fetch_all(db)
    .await?
    .iter()
    .map(|row| {
        let architectures: String = row.try_get("architectures")?;
        Ok((
            parse(&row.try_get::<String, _>("site_id")?, "site id")?,
            RegionImage {
                os: row.try_get("os")?,
                series: row.try_get("series")?,
                title: row.try_get("title")?,
                architectures: architectures
                    .split(',')
                    .filter(|a| !a.is_empty())
                    .map(String::from)
                    .collect(),
            },
            Timestamp::from_micros(row.try_get("synced_at_us")?),
        ))
    })
    .collect()
}

/// What the domain knows of one machine of a region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MachineRow {
    pub site_id: SiteId,
    pub system_id: String,
    pub hostname: String,
    pub status: u8,
    pub status_name: String,
    pub power_state: String,
    pub node_id: Option<NodeId>,
    pub commission_requested_at: Option<Timestamp>,
    pub onboarded_at: Option<Timestamp>,
    pub failure: Option<String>,
    pub failure_reported: bool,
    pub last_seen_at: Timestamp,
    /// Since when it has held `status`.
    pub status_since: Option<Timestamp>,
    /// Its power state the observation before.
    pub power_state_before: Option<String>,
}

const MACHINE_COLUMNS: &str = "site_id, system_id, hostname, status, status_name, power_state, node_id, \
     commission_requested_at_us, onboarded_at_us, failure, failure_reported, last_seen_at_us, status_since_us, \
     power_state_before";

fn machine_from_row(row: &AnyRow) -> Result<MachineRow, DbError> {
    let at = |column: &str| -> Result<Option<Timestamp>, DbError> {
        Ok(row.try_get::<Option<i64>, _>(column)?.map(Timestamp::from_micros))
    };
    Ok(MachineRow {
        site_id: parse(&row.try_get::<String, _>("site_id")?, "site id")?,
        system_id: row.try_get("system_id")?,
        hostname: row.try_get("hostname")?,
        status: u8::try_from(row.try_get::<i64, _>("status")?)
            .map_err(|_| ingot_kernel::db::column::corrupt("status"))?,
        status_name: row.try_get("status_name")?,
        power_state: row.try_get("power_state")?,
        node_id: row
            .try_get::<Option<String>, _>("node_id")?
            .map(|id| parse(&id, "node id"))
            .transpose()?,
        commission_requested_at: at("commission_requested_at_us")?,
        onboarded_at: at("onboarded_at_us")?,
        failure: row.try_get("failure")?,
        failure_reported: row.try_get::<i64, _>("failure_reported")? != 0,
        last_seen_at: Timestamp::from_micros(row.try_get("last_seen_at_us")?),
        status_since: at("status_since_us")?,
        power_state_before: row.try_get("power_state_before")?,
    })
}

/// The machines of a site the domain has seen, by system id.
pub async fn machines_of_site<'e, E: Executor<'e, Database = Any>>(
    db: E,
    site_id: SiteId,
) -> Result<Vec<MachineRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {MACHINE_COLUMNS} FROM maas_machines WHERE site_id = $1 ORDER BY system_id"
    ));
    sqlx::query(sql)
        .bind(site_id.to_string())
        .fetch_all(db)
        .await?
        .iter()
        .map(machine_from_row)
        .collect()
}

/// What a pass saw of one machine.
#[derive(Debug, Clone, Copy)]
pub struct Observation<'a> {
    pub site_id: SiteId,
    pub system_id: &'a str,
    pub hostname: &'a str,
    pub status: (u8, &'a str),
    pub power_state: &'a str,
    /// Reconciliation's passes keep the power state seen before (it acts only on two reads in a
    /// row); other observers leave that memory alone.
    pub power_pass: bool,
}

/// Records what a pass observed of a machine (status, power, name), keeping what the domain
/// decided before (node, onboarding, failure reporting).
pub async fn machine_observe_in_tx(
    tx: &mut Tx,
    seen: &Observation<'_>,
    now: Timestamp,
) -> Result<(), DbError> {
    let Observation {
        site_id,
        system_id,
        hostname,
        status,
        power_state,
        power_pass,
    } = *seen;
    sqlx::query(
        "INSERT INTO maas_machines (site_id, system_id, hostname, status, status_name, power_state, last_seen_at_us, \
         status_since_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (site_id, system_id) DO UPDATE SET \
         hostname = excluded.hostname, status = excluded.status, status_name = excluded.status_name, \
         status_since_us = CASE WHEN maas_machines.status = excluded.status \
         THEN COALESCE(maas_machines.status_since_us, excluded.last_seen_at_us) ELSE excluded.last_seen_at_us END, \
         power_state_before = CASE WHEN $8 = 1 THEN maas_machines.power_state ELSE maas_machines.power_state_before END, \
         power_state = excluded.power_state, last_seen_at_us = excluded.last_seen_at_us",
    )
    .bind(site_id.to_string())
    .bind(system_id)
    .bind(hostname)
    .bind(i64::from(status.0))
    .bind(status.1)
    .bind(power_state)
    .bind(now.as_micros())
    .bind(i64::from(power_pass))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn machine_commission_requested_in_tx(
    tx: &mut Tx,
    site_id: SiteId,
    system_id: &str,
    now: Timestamp,
) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE maas_machines SET commission_requested_at_us = $1, failure = NULL, failure_reported = 0 \
         WHERE site_id = $2 AND system_id = $3",
    )
    .bind(now.as_micros())
    .bind(site_id.to_string())
    .bind(system_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn machine_registered_in_tx(
    tx: &mut Tx,
    site_id: SiteId,
    system_id: &str,
    node_id: NodeId,
    onboarded: Option<Timestamp>,
) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE maas_machines SET node_id = $1, onboarded_at_us = COALESCE(onboarded_at_us, $2) \
         WHERE site_id = $3 AND system_id = $4",
    )
    .bind(node_id.to_string())
    .bind(onboarded.map(|t| t.as_micros()))
    .bind(site_id.to_string())
    .bind(system_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records a failure as reported; `false` when it had been already (nothing changed).
pub async fn machine_failure_report_in_tx(
    tx: &mut Tx,
    site_id: SiteId,
    system_id: &str,
    failure: &str,
) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE maas_machines SET failure = $1, failure_reported = 1 \
         WHERE site_id = $2 AND system_id = $3 AND failure_reported = 0",
    )
    .bind(failure)
    .bind(site_id.to_string())
    .bind(system_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One node of one allocation, as the deployment controller drives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentRow {
    pub allocation_id: AllocationId,
    pub node_id: NodeId,
    pub tenant_id: TenantId,
    pub image: String,
    pub ssh_keys: Vec<String>,
    pub user_data_sealed: Option<String>,
    pub desired: Desired,
    pub phase: Phase,
    pub deploy_started_at: Option<Timestamp>,
    pub deployed_at: Option<Timestamp>,
    pub message: Option<String>,
    /// The machine's newest MAAS event id before this domain released it.
    pub release_event_mark: Option<i64>,
    /// The erase mode the release asked for.
    pub release_erase: Option<String>,
}

const DEPLOYMENT_COLUMNS: &str = "allocation_id, node_id, tenant_id, image, ssh_keys, user_data_sealed, desired, \
     phase, deploy_started_at_us, deployed_at_us, message, release_event_mark, release_erase";

fn deployment_from_row(row: &AnyRow) -> Result<DeploymentRow, DbError> {
    let at = |column: &str| -> Result<Option<Timestamp>, DbError> {
        Ok(row.try_get::<Option<i64>, _>(column)?.map(Timestamp::from_micros))
    };
    Ok(DeploymentRow {
        allocation_id: parse(&row.try_get::<String, _>("allocation_id")?, "allocation id")?,
        node_id: parse(&row.try_get::<String, _>("node_id")?, "node id")?,
        tenant_id: parse(&row.try_get::<String, _>("tenant_id")?, "tenant id")?,
        image: row.try_get("image")?,
        ssh_keys: serde_json::from_str(&row.try_get::<String, _>("ssh_keys")?)
            .map_err(|_| ingot_kernel::db::column::corrupt("ssh keys"))?,
        user_data_sealed: row.try_get("user_data_sealed")?,
        desired: enum_from_text(&row.try_get::<String, _>("desired")?, "desired")?,
        phase: enum_from_text(&row.try_get::<String, _>("phase")?, "phase")?,
        deploy_started_at: at("deploy_started_at_us")?,
        deployed_at: at("deployed_at_us")?,
        message: row.try_get("message")?,
        release_event_mark: row.try_get("release_event_mark")?,
        release_erase: row.try_get("release_erase")?,
    })
}

/// Records a deploy request; a repeat of the same allocation and node changes nothing.
pub async fn deployment_request_in_tx(
    tx: &mut Tx,
    row: &DeploymentRow,
    now: Timestamp,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO maas_deployments (allocation_id, node_id, tenant_id, image, ssh_keys, user_data_sealed, desired, \
         phase, created_at_us, updated_at_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
         ON CONFLICT (allocation_id, node_id) DO NOTHING",
    )
    .bind(row.allocation_id.to_string())
    .bind(row.node_id.to_string())
    .bind(row.tenant_id.to_string())
    .bind(&row.image)
    .bind(serde_json::to_string(&row.ssh_keys).map_err(|_| ingot_kernel::db::column::corrupt("ssh keys"))?)
    .bind(&row.user_data_sealed)
    .bind(enum_to_text(&row.desired))
    .bind(enum_to_text(&row.phase))
    .bind(now.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records that Allocation wants the node back. A release for a node never asked to deploy is
/// recorded too (there is nothing to undo, and it is reported released).
pub async fn deployment_release_in_tx(
    tx: &mut Tx,
    allocation_id: AllocationId,
    node_id: NodeId,
    tenant_id: TenantId,
    now: Timestamp,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO maas_deployments (allocation_id, node_id, tenant_id, image, ssh_keys, desired, phase, \
         created_at_us, updated_at_us) VALUES ($1, $2, $3, '', '[]', 'released', 'requested', $4, $4) \
         ON CONFLICT (allocation_id, node_id) DO UPDATE SET desired = 'released', updated_at_us = excluded.updated_at_us",
    )
    .bind(allocation_id.to_string())
    .bind(node_id.to_string())
    .bind(tenant_id.to_string())
    .bind(now.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Deployments with work left: not released, and not deployed-and-wanted.
pub async fn deployments_open<'e, E: Executor<'e, Database = Any>>(
    db: E,
    limit: i64,
) -> Result<Vec<DeploymentRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {DEPLOYMENT_COLUMNS} FROM maas_deployments WHERE phase <> 'released' \
         AND NOT (phase = 'deployed' AND desired = 'deployed') ORDER BY created_at_us, allocation_id, node_id LIMIT {limit}"
    ));
    sqlx::query(sql)
        .fetch_all(db)
        .await?
        .iter()
        .map(deployment_from_row)
        .collect()
}

pub async fn deployment_get<'e, E: Executor<'e, Database = Any>>(
    db: E,
    allocation_id: AllocationId,
    node_id: NodeId,
) -> Result<Option<DeploymentRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {DEPLOYMENT_COLUMNS} FROM maas_deployments WHERE allocation_id = $1 AND node_id = $2"
    ));
    sqlx::query(sql)
        .bind(allocation_id.to_string())
        .bind(node_id.to_string())
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(deployment_from_row)
        .transpose()
}

/// Moves a deployment to `phase` if it is still in `from` (a concurrent pass that moved it first
/// wins); returns whether this call moved it. The times and message are set when given.
pub async fn deployment_advance_in_tx(
    tx: &mut Tx,
    row: &DeploymentRow,
    from: Phase,
    to: Phase,
    change: &DeploymentChange,
    now: Timestamp,
) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE maas_deployments SET phase = $1, deploy_started_at_us = COALESCE($2, deploy_started_at_us), \
         deployed_at_us = COALESCE($3, deployed_at_us), ip_addresses = COALESCE($4, ip_addresses), \
         released_at_us = COALESCE($5, released_at_us), message = COALESCE($6, message), updated_at_us = $7, \
         failed_at_us = CASE WHEN $1 = 'failed' THEN COALESCE(failed_at_us, $7) ELSE failed_at_us END \
         WHERE allocation_id = $8 AND node_id = $9 AND phase = $10",
    )
    .bind(enum_to_text(&to))
    .bind(change.deploy_started_at.map(|t| t.as_micros()))
    .bind(change.deployed_at.map(|t| t.as_micros()))
    .bind(
        change
            .ip_addresses
            .as_ref()
            .map(|ips| serde_json::json!(ips).to_string()),
    )
    .bind(change.released_at.map(|t| t.as_micros()))
    .bind(&change.message)
    .bind(now.as_micros())
    .bind(row.allocation_id.to_string())
    .bind(row.node_id.to_string())
    .bind(enum_to_text(&from))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// What a phase change records alongside.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeploymentChange {
    pub deploy_started_at: Option<Timestamp>,
    pub deployed_at: Option<Timestamp>,
    pub ip_addresses: Option<Vec<String>>,
    pub released_at: Option<Timestamp>,
    pub message: Option<String>,
}

/// Deployments at a site in flight (allocated or deploying), for the policy's concurrency cap.
pub async fn deployments_in_flight<'e, E: Executor<'e, Database = Any>>(
    db: E,
    site_id: SiteId,
) -> Result<u32, DbError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM maas_deployments d JOIN maas_machines m ON m.node_id = d.node_id \
         WHERE m.site_id = $1 AND d.phase = 'deploying'",
    )
    .bind(site_id.to_string())
    .fetch_one(db)
    .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// The machine a node is, if this domain registered it.
pub async fn machine_of_node<'e, E: Executor<'e, Database = Any>>(
    db: E,
    node_id: NodeId,
) -> Result<Option<MachineRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {MACHINE_COLUMNS} FROM maas_machines WHERE node_id = $1"
    ));
    sqlx::query(sql)
        .bind(node_id.to_string())
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(machine_from_row)
        .transpose()
}

/// The deployments on a site's machines, oldest first (a node serves one live allocation at a
/// time; released ones are history).
pub async fn deployments_of_site<'e, E: Executor<'e, Database = Any>>(
    db: E,
    site_id: SiteId,
) -> Result<Vec<DeploymentRow>, DbError> {
    let columns: Vec<String> = DEPLOYMENT_COLUMNS
        .split(',')
        .map(|c| format!("d.{}", c.trim()))
        .collect();
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {} FROM maas_deployments d JOIN maas_machines m ON m.node_id = d.node_id \
         WHERE m.site_id = $1 ORDER BY d.created_at_us",
        columns.join(", ")
    ));
    sqlx::query(sql)
        .bind(site_id.to_string())
        .fetch_all(db)
        .await?
        .iter()
        .map(deployment_from_row)
        .collect()
}

/// One drift as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DriftRow {
    pub id: String,
    pub site_id: SiteId,
    pub system_id: String,
    pub node_id: Option<NodeId>,
    pub kind: String,
    pub detail: String,
    pub repair: String,
    pub repaired_at: Option<Timestamp>,
    pub tenant_cost: bool,
    pub found_at: Timestamp,
    pub found_by_pass: String,
    pub last_seen_at: Timestamp,
    pub resolved_at: Option<Timestamp>,
}

const DRIFT_COLUMNS: &str = "id, site_id, system_id, node_id, kind, detail, repair, repaired_at_us, tenant_cost, \
     found_at_us, found_by_pass, last_seen_at_us, resolved_at_us";

fn drift_from_row(row: &AnyRow) -> Result<DriftRow, DbError> {
    let at = |column: &str| -> Result<Option<Timestamp>, DbError> {
        Ok(row.try_get::<Option<i64>, _>(column)?.map(Timestamp::from_micros))
    };
    Ok(DriftRow {
        id: row.try_get("id")?,
        site_id: parse(&row.try_get::<String, _>("site_id")?, "site id")?,
        system_id: row.try_get("system_id")?,
        node_id: row
            .try_get::<Option<String>, _>("node_id")?
            .map(|id| parse(&id, "node id"))
            .transpose()?,
        kind: row.try_get("kind")?,
        detail: row.try_get("detail")?,
        repair: row.try_get("repair")?,
        repaired_at: at("repaired_at_us")?,
        tenant_cost: row.try_get::<i64, _>("tenant_cost")? != 0,
        found_at: Timestamp::from_micros(row.try_get("found_at_us")?),
        found_by_pass: row.try_get("found_by_pass")?,
        last_seen_at: Timestamp::from_micros(row.try_get("last_seen_at_us")?),
        resolved_at: at("resolved_at_us")?,
    })
}

/// A site's drift: open only, or all of its history; open first, newest first.
pub async fn drift_of_site<'e, E: Executor<'e, Database = Any>>(
    db: E,
    site_id: SiteId,
    all: bool,
    limit: i64,
) -> Result<Vec<DriftRow>, DbError> {
    let filter = if all { "" } else { "AND resolved_at_us IS NULL" };
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {DRIFT_COLUMNS} FROM maas_drift WHERE site_id = $1 {filter} \
         ORDER BY CASE WHEN resolved_at_us IS NULL THEN 0 ELSE 1 END, found_at_us DESC, id DESC LIMIT {limit}"
    ));
    sqlx::query(sql)
        .bind(site_id.to_string())
        .fetch_all(db)
        .await?
        .iter()
        .map(drift_from_row)
        .collect()
}

/// Records a finding: a new open drift (`true`), or the open one of this machine and kind
/// brought up to date (`false`).
pub async fn drift_record_in_tx(tx: &mut Tx, drift: &DriftRow) -> Result<bool, DbError> {
    let updated = sqlx::query(
        "UPDATE maas_drift SET detail = $1, repair = $2, tenant_cost = $3, last_seen_at_us = $4, node_id = $5 \
         WHERE site_id = $6 AND system_id = $7 AND kind = $8 AND resolved_at_us IS NULL",
    )
    .bind(&drift.detail)
    .bind(&drift.repair)
    .bind(i64::from(drift.tenant_cost))
    .bind(drift.last_seen_at.as_micros())
    .bind(drift.node_id.map(|n| n.to_string()))
    .bind(drift.site_id.to_string())
    .bind(&drift.system_id)
    .bind(&drift.kind)
    .execute(&mut **tx)
    .await?;
    if updated.rows_affected() > 0 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO maas_drift (id, site_id, system_id, node_id, kind, detail, repair, tenant_cost, found_at_us, \
         found_by_pass, last_seen_at_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9)",
    )
    .bind(&drift.id)
    .bind(drift.site_id.to_string())
    .bind(&drift.system_id)
    .bind(drift.node_id.map(|n| n.to_string()))
    .bind(&drift.kind)
    .bind(&drift.detail)
    .bind(&drift.repair)
    .bind(i64::from(drift.tenant_cost))
    .bind(drift.found_at.as_micros())
    .bind(&drift.found_by_pass)
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

/// Whether the open drift of this machine and kind was repaired already.
pub async fn drift_repaired<'e, E: Executor<'e, Database = Any>>(
    db: E,
    site_id: SiteId,
    system_id: &str,
    kind: &str,
) -> Result<bool, DbError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM maas_drift WHERE site_id = $1 AND system_id = $2 AND kind = $3 \
         AND resolved_at_us IS NULL AND repaired_at_us IS NOT NULL",
    )
    .bind(site_id.to_string())
    .bind(system_id)
    .bind(kind)
    .fetch_one(db)
    .await?;
    Ok(n > 0)
}

/// Marks the open drift of this machine and kind repaired.
pub async fn drift_repaired_in_tx(
    tx: &mut Tx,
    site_id: SiteId,
    system_id: &str,
    kind: &str,
    now: Timestamp,
) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE maas_drift SET repaired_at_us = $1 WHERE site_id = $2 AND system_id = $3 AND kind = $4 \
         AND resolved_at_us IS NULL",
    )
    .bind(now.as_micros())
    .bind(site_id.to_string())
    .bind(system_id)
    .bind(kind)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Ends an open drift a pass no longer found.
pub async fn drift_resolve_in_tx(tx: &mut Tx, id: &str, now: Timestamp) -> Result<(), DbError> {
    sqlx::query("UPDATE maas_drift SET resolved_at_us = $1 WHERE id = $2 AND resolved_at_us IS NULL")
        .bind(now.as_micros())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// An operator's workflow on a node, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationRow {
    pub id: String,
    pub node_id: NodeId,
    pub kind: OpKind,
    pub phase: OpPhase,
    pub site_id: SiteId,
    pub system_id: String,
    pub reason: String,
    pub started_at: Timestamp,
    pub commission_requested_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
    pub message: Option<String>,
    /// The machine's newest MAAS event id before this operation's erase was sent.
    pub erase_event_mark: Option<i64>,
}

const OPERATION_COLUMNS: &str = "id, node_id, kind, phase, site_id, system_id, reason, started_at_us, \
     commission_requested_at_us, finished_at_us, message, erase_event_mark";

fn operation_from_row(row: &AnyRow) -> Result<OperationRow, DbError> {
    let at = |column: &str| -> Result<Option<Timestamp>, DbError> {
        Ok(row.try_get::<Option<i64>, _>(column)?.map(Timestamp::from_micros))
    };
    Ok(OperationRow {
        id: row.try_get("id")?,
        node_id: parse(&row.try_get::<String, _>("node_id")?, "node id")?,
        kind: enum_from_text(&row.try_get::<String, _>("kind")?, "operation kind")?,
        phase: enum_from_text(&row.try_get::<String, _>("phase")?, "operation phase")?,
        site_id: parse(&row.try_get::<String, _>("site_id")?, "site id")?,
        system_id: row.try_get("system_id")?,
        reason: row.try_get("reason")?,
        started_at: Timestamp::from_micros(row.try_get("started_at_us")?),
        commission_requested_at: at("commission_requested_at_us")?,
        finished_at: at("finished_at_us")?,
        message: row.try_get("message")?,
        erase_event_mark: row.try_get("erase_event_mark")?,
    })
}

/// Starts an operation; `false` when the node has one open already (nothing written).
pub async fn operation_start_in_tx(tx: &mut Tx, op: &OperationRow) -> Result<bool, DbError> {
    let done = sqlx::query(
        "INSERT INTO maas_node_operations (id, node_id, kind, phase, site_id, system_id, reason, started_at_us, \
         updated_at_us) SELECT $1, $2, $3, $4, $5, $6, $7, $8, $8 WHERE NOT EXISTS \
         (SELECT 1 FROM maas_node_operations WHERE node_id = $2 AND finished_at_us IS NULL)",
    )
    .bind(&op.id)
    .bind(op.node_id.to_string())
    .bind(enum_to_text(&op.kind))
    .bind(enum_to_text(&op.phase))
    .bind(op.site_id.to_string())
    .bind(&op.system_id)
    .bind(&op.reason)
    .bind(op.started_at.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn operations_open<'e, E: Executor<'e, Database = Any>>(
    db: E,
) -> Result<Vec<OperationRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {OPERATION_COLUMNS} FROM maas_node_operations WHERE finished_at_us IS NULL ORDER BY started_at_us"
    ));
    sqlx::query(sql)
        .fetch_all(db)
        .await?
        .iter()
        .map(operation_from_row)
        .collect()
}

pub async fn operation_get<'e, E: Executor<'e, Database = Any>>(
    db: E,
    id: &str,
) -> Result<Option<OperationRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {OPERATION_COLUMNS} FROM maas_node_operations WHERE id = $1"
    ));
    sqlx::query(sql)
        .bind(id)
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(operation_from_row)
        .transpose()
}

/// Moves an open operation from `from` to `to` (finishing it at `done`/`failed`); `false` when
/// a concurrent pass moved it first.
pub async fn operation_advance_in_tx(
    tx: &mut Tx,
    op: &OperationRow,
    to: OpPhase,
    message: Option<&str>,
    now: Timestamp,
) -> Result<bool, DbError> {
    let finished = matches!(to, OpPhase::Done | OpPhase::Failed).then_some(now.as_micros());
    let done = sqlx::query(
        "UPDATE maas_node_operations SET phase = $1, finished_at_us = $2, message = COALESCE($3, message), \
         updated_at_us = $4 WHERE id = $5 AND phase = $6 AND finished_at_us IS NULL",
    )
    .bind(enum_to_text(&to))
    .bind(finished)
    .bind(message)
    .bind(now.as_micros())
    .bind(&op.id)
    .bind(enum_to_text(&op.phase))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn operation_commission_requested_in_tx(
    tx: &mut Tx,
    id: &str,
    now: Timestamp,
) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE maas_node_operations SET commission_requested_at_us = $1, updated_at_us = $1 WHERE id = $2",
    )
    .bind(now.as_micros())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Whether a live allocation's deployment is on the node (wanted deployed, not yet given back).
pub async fn deployment_live_of_node<'e, E: Executor<'e, Database = Any>>(
    db: E,
    node_id: NodeId,
) -> Result<bool, DbError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM maas_deployments WHERE node_id = $1 AND desired = 'deployed' AND phase <> 'released' \
         AND phase <> 'failed'",
    )
    .bind(node_id.to_string())
    .fetch_one(db)
    .await?;
    Ok(n > 0)
}

/// Records, before a release is sent, the machine's newest event id and the erase asked for.
pub async fn deployment_release_mark_in_tx(
    tx: &mut Tx,
    allocation_id: AllocationId,
    node_id: NodeId,
    mark: i64,
    erase: &str,
) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE maas_deployments SET release_event_mark = $1, release_erase = $2 WHERE allocation_id = $3 AND node_id = $4",
    )
    .bind(mark)
    .bind(erase)
    .bind(allocation_id.to_string())
    .bind(node_id.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records, before an operation's erase is sent, the machine's newest event id.
pub async fn operation_erase_mark_in_tx(tx: &mut Tx, id: &str, mark: i64) -> Result<(), DbError> {
    sqlx::query("UPDATE maas_node_operations SET erase_event_mark = $1 WHERE id = $2")
        .bind(mark)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Records whether a site's region answered: an answer clears the failure; a failure keeps the
/// time of the first one in a row.
pub async fn site_contact_in_tx(
    tx: &mut Tx,
    site_id: SiteId,
    error: Option<&str>,
    now: Timestamp,
) -> Result<(), DbError> {
    let query = match error {
        None => sqlx::query(
            "UPDATE maas_sites SET contact_failing_since_us = NULL, contact_error = NULL WHERE site_id = $1",
        )
        .bind(site_id.to_string()),
        Some(error) => sqlx::query(
            "UPDATE maas_sites SET contact_failing_since_us = COALESCE(contact_failing_since_us, $1), \
             contact_error = $2 WHERE site_id = $3",
        )
        .bind(now.as_micros())
        .bind(error)
        .bind(site_id.to_string()),
    };
    query.execute(&mut **tx).await?;
    Ok(())
}

/// Sites whose region is failing to answer: (site, since, last error).
pub async fn sites_out_of_contact<'e, E: Executor<'e, Database = Any>>(
    db: E,
) -> Result<Vec<(SiteId, Timestamp, String)>, DbError> {
    let rows = sqlx::query(
        "SELECT site_id, contact_failing_since_us, contact_error FROM maas_sites \
         WHERE contact_failing_since_us IS NOT NULL ORDER BY site_id",
    )
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                parse(&row.try_get::<String, _>("site_id")?, "site id")?,
                Timestamp::from_micros(row.try_get("contact_failing_since_us")?),
                row.try_get::<Option<String>, _>("contact_error")?
                    .unwrap_or_default(),
            ))
        })
        .collect()
}

/// Open drift per machine: (site, system id, node, kinds).
pub async fn drift_open_by_machine<'e, E: Executor<'e, Database = Any>>(
    db: E,
) -> Result<Vec<(SiteId, String, Option<NodeId>, Vec<String>)>, DbError> {
    let rows = sqlx::query(
        "SELECT site_id, system_id, node_id, kind FROM maas_drift WHERE resolved_at_us IS NULL \
         ORDER BY site_id, system_id, kind",
    )
    .fetch_all(db)
    .await?;
    let mut out: Vec<(SiteId, String, Option<NodeId>, Vec<String>)> = Vec::new();
    for row in rows {
        let site_id: SiteId = parse(&row.try_get::<String, _>("site_id")?, "site id")?;
        let system_id: String = row.try_get("system_id")?;
        let node_id: Option<NodeId> = row
            .try_get::<Option<String>, _>("node_id")?
            .map(|text| parse(&text, "node id"))
            .transpose()?;
        let kind: String = row.try_get("kind")?;
        match out.last_mut() {
            Some(last) if last.0 == site_id && last.1 == system_id => last.3.push(kind),
            _ => out.push((site_id, system_id, node_id, vec![kind])),
        }
    }
    Ok(out)
}

/// Deploys finished per site since `since`: (site, succeeded, failed).
pub async fn deploy_outcomes_since<'e, E: Executor<'e, Database = Any>>(
    db: E,
    since: Timestamp,
) -> Result<Vec<(SiteId, u64, u64)>, DbError> {
    let rows = sqlx::query(
        "SELECT site_id, \
           SUM(CASE WHEN deployed_at_us > $1 THEN 1 ELSE 0 END) AS succeeded, \
           SUM(CASE WHEN failed_at_us > $1 THEN 1 ELSE 0 END) AS failed \
         FROM maas_deployments WHERE site_id IS NOT NULL AND (deployed_at_us > $1 OR failed_at_us > $1) \
         GROUP BY site_id ORDER BY site_id",
    )
    .bind(since.as_micros())
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|row| {
            let count = |column: &str| -> Result<u64, DbError> {
                Ok(u64::try_from(row.try_get::<i64, _>(column)?).unwrap_or(0))
            };
            Ok((
                parse(&row.try_get::<String, _>("site_id")?, "site id")?,
                count("succeeded")?,
                count("failed")?,
            ))
        })
        .collect()
}
