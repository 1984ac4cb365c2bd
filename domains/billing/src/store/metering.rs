//! Metering storage: prices as announced, meters and fault windows folded from events, and the
//! rating step that charges (or refunds) a meter up to now in one transaction with its posting.

use ingot_kernel::Timestamp;
use ingot_kernel::db::column::parse;
use ingot_kernel::db::{DbError, Tx};
use ingot_kernel::id::{AllocationId, NodeId, SiteId, SkuId, TenantId};
use ingot_kernel::money::{Currency, Money};
use sqlx::{Any, Executor, Row};

/// Records a list price from `effective_at` on; the same announcement twice changes nothing.
pub async fn price_record_in_tx(
    tx: &mut Tx,
    sku_id: SkuId,
    site_id: SiteId,
    effective_at: Timestamp,
    price: Money,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO billing_prices (sku_id, site_id, effective_at_us, price_micros, currency) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (sku_id, site_id, effective_at_us) DO NOTHING",
    )
    .bind(sku_id.to_string())
    .bind(site_id.to_string())
    .bind(effective_at.as_micros())
    .bind(price.micros())
    .bind(price.currency().as_str())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The list price of `sku_id` at `site_id` in force at `at`.
pub async fn price_at<'e, E: Executor<'e, Database = Any>>(
    db: E,
    sku_id: SkuId,
    site_id: SiteId,
    at: Timestamp,
) -> Result<Option<Money>, DbError> {
    sqlx::query(
        "SELECT price_micros, currency FROM billing_prices WHERE sku_id = $1 AND site_id = $2 AND effective_at_us <= $3 \
         ORDER BY effective_at_us DESC LIMIT 1",
    )
    .bind(sku_id.to_string())
    .bind(site_id.to_string())
    .bind(at.as_micros())
    .fetch_optional(db)
    .await?
    .map(|row| {
        let currency: Currency = parse(&row.try_get::<String, _>("currency")?, "currency")?;
        Ok(Money::from_micros(row.try_get("price_micros")?, currency))
    })
    .transpose()
}

/// Folds a start fact into the meter (creating it if only its stop arrived so far).
pub async fn meter_started_in_tx(
    tx: &mut Tx,
    allocation_id: AllocationId,
    node_id: NodeId,
    tenant_id: TenantId,
    sku_id: SkuId,
    site_id: SiteId,
    at: Timestamp,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO billing_meters (allocation_id, node_id, tenant_id, sku_id, site_id, started_at_us) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (allocation_id, node_id) DO UPDATE SET \
         tenant_id = excluded.tenant_id, sku_id = excluded.sku_id, site_id = excluded.site_id, \
         started_at_us = excluded.started_at_us, settled = 0",
    )
    .bind(allocation_id.to_string())
    .bind(node_id.to_string())
    .bind(tenant_id.to_string())
    .bind(sku_id.to_string())
    .bind(site_id.to_string())
    .bind(at.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Folds a stop fact into the meter (creating it if its start has not arrived yet).
pub async fn meter_stopped_in_tx(
    tx: &mut Tx,
    allocation_id: AllocationId,
    node_id: NodeId,
    tenant_id: TenantId,
    at: Timestamp,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO billing_meters (allocation_id, node_id, tenant_id, stopped_at_us) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (allocation_id, node_id) DO UPDATE SET stopped_at_us = excluded.stopped_at_us, settled = 0",
    )
    .bind(allocation_id.to_string())
    .bind(node_id.to_string())
    .bind(tenant_id.to_string())
    .bind(at.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Folds a fault window (open, or cleared at `until`) and unsettles the node's meters it may
/// touch, so the next rating refunds the time it covers.
pub async fn fault_record_in_tx(
    tx: &mut Tx,
    node_id: NodeId,
    kind: &str,
    since: Timestamp,
    until: Option<Timestamp>,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO billing_faults (node_id, kind, since_us, until_us) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (node_id, kind, since_us) DO UPDATE SET until_us = COALESCE(excluded.until_us, billing_faults.until_us)",
    )
    .bind(node_id.to_string())
    .bind(kind)
    .bind(since.as_micros())
    .bind(until.map(|u| u.as_micros()))
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE billing_meters SET settled = 0 WHERE node_id = $1 AND (stopped_at_us IS NULL OR stopped_at_us > $2)",
    )
    .bind(node_id.to_string())
    .bind(since.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Fault windows of a node as (since, until).
pub async fn faults_of<'e, E: Executor<'e, Database = Any>>(
    db: E,
    node_id: NodeId,
) -> Result<Vec<(Timestamp, Option<Timestamp>)>, DbError> {
    sqlx::query("SELECT since_us, until_us FROM billing_faults WHERE node_id = $1 ORDER BY since_us")
        .bind(node_id.to_string())
        .fetch_all(db)
        .await?
        .iter()
        .map(|row| {
            Ok((
                Timestamp::from_micros(row.try_get("since_us")?),
                row.try_get::<Option<i64>, _>("until_us")?
                    .map(Timestamp::from_micros),
            ))
        })
        .collect()
}

/// A meter as rating needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeterRow {
    pub allocation_id: AllocationId,
    pub node_id: NodeId,
    pub tenant_id: Option<TenantId>,
    pub sku_id: Option<SkuId>,
    pub site_id: Option<SiteId>,
    pub started_at: Option<Timestamp>,
    pub stopped_at: Option<Timestamp>,
    pub price: Option<Money>,
    pub charged_micros: i64,
    pub postings: i64,
    /// Stopped and charged in full.
    pub settled: bool,
}

const METER_COLUMNS: &str = "allocation_id, node_id, tenant_id, sku_id, site_id, started_at_us, stopped_at_us, \
     price_micros, currency, charged_micros, postings, settled";

fn meter_from_row(row: &sqlx::any::AnyRow) -> Result<MeterRow, DbError> {
    let opt = |column: &str| row.try_get::<Option<String>, _>(column);
    let currency: Option<String> = opt("currency")?;
    let price_micros: Option<i64> = row.try_get("price_micros")?;
    let price = match (price_micros, currency) {
        (Some(micros), Some(currency)) => Some(Money::from_micros(micros, parse(&currency, "currency")?)),
        _ => None,
    };
    Ok(MeterRow {
        allocation_id: parse(&row.try_get::<String, _>("allocation_id")?, "allocation id")?,
        node_id: parse(&row.try_get::<String, _>("node_id")?, "node id")?,
        tenant_id: opt("tenant_id")?.map(|t| parse(&t, "tenant id")).transpose()?,
        sku_id: opt("sku_id")?.map(|t| parse(&t, "sku id")).transpose()?,
        site_id: opt("site_id")?.map(|t| parse(&t, "site id")).transpose()?,
        started_at: row
            .try_get::<Option<i64>, _>("started_at_us")?
            .map(Timestamp::from_micros),
        stopped_at: row
            .try_get::<Option<i64>, _>("stopped_at_us")?
            .map(Timestamp::from_micros),
        price,
        charged_micros: row.try_get("charged_micros")?,
        postings: row.try_get("postings")?,
        settled: row.try_get::<i64, _>("settled")? != 0,
    })
}

/// Meters that may still owe or be owed: started and not settled.
pub async fn meters_unsettled<'e, E: Executor<'e, Database = Any>>(
    db: E,
    limit: i64,
) -> Result<Vec<MeterRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {METER_COLUMNS} FROM billing_meters WHERE settled = 0 AND started_at_us IS NOT NULL \
         ORDER BY allocation_id, node_id LIMIT {limit}"
    ));
    sqlx::query(sql)
        .fetch_all(db)
        .await?
        .iter()
        .map(meter_from_row)
        .collect()
}

/// Locks a meter for rating (a write takes its row) and reads it.
pub async fn meter_lock_in_tx(
    tx: &mut Tx,
    allocation_id: AllocationId,
    node_id: NodeId,
    now: Timestamp,
) -> Result<Option<MeterRow>, DbError> {
    sqlx::query("UPDATE billing_meters SET rated_at_us = $1 WHERE allocation_id = $2 AND node_id = $3")
        .bind(now.as_micros())
        .bind(allocation_id.to_string())
        .bind(node_id.to_string())
        .execute(&mut **tx)
        .await?;
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {METER_COLUMNS} FROM billing_meters WHERE allocation_id = $1 AND node_id = $2"
    ));
    sqlx::query(sql)
        .bind(allocation_id.to_string())
        .bind(node_id.to_string())
        .fetch_optional(&mut **tx)
        .await?
        .as_ref()
        .map(meter_from_row)
        .transpose()
}

/// Records a rating: the captured price, the new charged total, one more posting (if one was
/// made), and whether the meter is settled.
pub async fn meter_rated_in_tx(
    tx: &mut Tx,
    meter: &MeterRow,
    price: Money,
    charged_micros: i64,
    posted: bool,
    settled: bool,
) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE billing_meters SET price_micros = $1, currency = $2, charged_micros = $3, postings = postings + $4, \
         settled = $5 WHERE allocation_id = $6 AND node_id = $7",
    )
    .bind(price.micros())
    .bind(price.currency().as_str())
    .bind(charged_micros)
    .bind(i64::from(posted))
    .bind(i64::from(settled))
    .bind(meter.allocation_id.to_string())
    .bind(meter.node_id.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn meter_get<'e, E: Executor<'e, Database = Any>>(
    db: E,
    allocation_id: AllocationId,
    node_id: NodeId,
) -> Result<Option<MeterRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {METER_COLUMNS} FROM billing_meters WHERE allocation_id = $1 AND node_id = $2"
    ));
    sqlx::query(sql)
        .bind(allocation_id.to_string())
        .bind(node_id.to_string())
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(meter_from_row)
        .transpose()
}

/// A tenant's meters, newest first.
pub async fn meters_of_tenant<'e, E: Executor<'e, Database = Any>>(
    db: E,
    tenant_id: TenantId,
    limit: i64,
) -> Result<Vec<MeterRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {METER_COLUMNS} FROM billing_meters WHERE tenant_id = $1 \
         ORDER BY started_at_us DESC, allocation_id, node_id LIMIT {limit}"
    ));
    sqlx::query(sql)
        .bind(tenant_id.to_string())
        .fetch_all(db)
        .await?
        .iter()
        .map(meter_from_row)
        .collect()
}

/// Tenants with a node still metered or an allocation funded, and tenants the balance watch
/// already tracks.
pub async fn tenants_watched<'e, E: Executor<'e, Database = Any>>(db: E) -> Result<Vec<TenantId>, DbError> {
    sqlx::query(
        "SELECT tenant_id FROM billing_meters WHERE started_at_us IS NOT NULL AND stopped_at_us IS NULL \
         AND tenant_id IS NOT NULL UNION SELECT tenant_id FROM billing_fundings WHERE state = 'open' \
         UNION SELECT tenant_id FROM billing_balance_watch ORDER BY tenant_id",
    )
    .fetch_all(db)
    .await?
    .iter()
    .map(|row| parse(&row.try_get::<String, _>("tenant_id")?, "tenant id"))
    .collect()
}

/// The lowest runway threshold already announced for a tenant.
pub async fn watch_get<'e, E: Executor<'e, Database = Any>>(
    db: E,
    tenant_id: TenantId,
) -> Result<Option<i64>, DbError> {
    Ok(
        sqlx::query("SELECT warned_hours FROM billing_balance_watch WHERE tenant_id = $1")
            .bind(tenant_id.to_string())
            .fetch_optional(db)
            .await?
            .map(|row| row.try_get::<Option<i64>, _>("warned_hours"))
            .transpose()?
            .flatten(),
    )
}

pub async fn watch_set_in_tx(
    tx: &mut Tx,
    tenant_id: TenantId,
    warned_hours: Option<i64>,
    now: Timestamp,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO billing_balance_watch (tenant_id, warned_hours, updated_at_us) VALUES ($1, $2, $3) \
         ON CONFLICT (tenant_id) DO UPDATE SET warned_hours = excluded.warned_hours, updated_at_us = excluded.updated_at_us",
    )
    .bind(tenant_id.to_string())
    .bind(warned_hours)
    .bind(now.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// An allocation's meters.
pub async fn meters_of_allocation<'e, E: Executor<'e, Database = Any>>(
    db: E,
    allocation_id: AllocationId,
) -> Result<Vec<MeterRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {METER_COLUMNS} FROM billing_meters WHERE allocation_id = $1 ORDER BY node_id"
    ));
    sqlx::query(sql)
        .bind(allocation_id.to_string())
        .fetch_all(db)
        .await?
        .iter()
        .map(meter_from_row)
        .collect()
}
