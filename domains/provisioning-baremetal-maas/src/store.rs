//! Provisioning.BareMetal.MAAS store: SQL for the `maas_*` tables only.

use ingot_kernel::Timestamp;
use ingot_kernel::db::column::parse;
use ingot_kernel::db::{DbError, Tx};
use ingot_kernel::id::{NodeId, SiteId};
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};

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
}

const BINDING_COLUMNS: &str = "site_id, url, api_key_id, api_key_sealed, policy, updated_at_us";

fn binding_from_row(row: &AnyRow) -> Result<BindingRow, DbError> {
    Ok(BindingRow {
        site_id: parse(&row.try_get::<String, _>("site_id")?, "site id")?,
        url: row.try_get("url")?,
        api_key_id: row.try_get("api_key_id")?,
        api_key_sealed: row.try_get("api_key_sealed")?,
        policy: row.try_get("policy")?,
        updated_at: Timestamp::from_micros(row.try_get("updated_at_us")?),
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
}

const MACHINE_COLUMNS: &str = "site_id, system_id, hostname, status, status_name, power_state, node_id, \
     commission_requested_at_us, onboarded_at_us, failure, failure_reported, last_seen_at_us";

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

/// Records what a pass observed of a machine (status, power, name), keeping what the domain
/// decided before (node, onboarding, failure reporting).
pub async fn machine_observe_in_tx(
    tx: &mut Tx,
    site_id: SiteId,
    system_id: &str,
    hostname: &str,
    status: (u8, &str),
    power_state: &str,
    now: Timestamp,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO maas_machines (site_id, system_id, hostname, status, status_name, power_state, last_seen_at_us) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (site_id, system_id) DO UPDATE SET \
         hostname = excluded.hostname, status = excluded.status, status_name = excluded.status_name, \
         power_state = excluded.power_state, last_seen_at_us = excluded.last_seen_at_us",
    )
    .bind(site_id.to_string())
    .bind(system_id)
    .bind(hostname)
    .bind(i64::from(status.0))
    .bind(status.1)
    .bind(power_state)
    .bind(now.as_micros())
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
