//! Funding storage: one row per allocation naming the holds that back it and its deadline.

use ingot_contracts::billing::FundingChanged;
use ingot_kernel::Timestamp;
use ingot_kernel::db::column::parse;
use ingot_kernel::db::{DbError, Tx};
use ingot_kernel::event::DomainEvent;
use ingot_kernel::id::{AllocationId, HoldId, TenantId};
use ingot_kernel::money::{Currency, Money};
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};

/// An allocation's funding as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Funding {
    pub allocation_id: AllocationId,
    pub tenant_id: TenantId,
    pub currency: Currency,
    /// What Allocation reserved for at admission (zero when first seen through metering).
    pub reserved_rate_micros: i64,
    pub reserved_nodes: u32,
    /// What the holds are sized for now.
    pub rate_micros: i64,
    pub nodes: u32,
    pub promo_hold: Option<HoldId>,
    pub cash_hold: Option<HoldId>,
    /// The suspension deadline (`None` while the rate is zero).
    pub deadline: Option<Timestamp>,
    pub open: bool,
    pub exhausted_announced: bool,
    /// The deadline readers of `billing.funding_changed` last heard.
    pub announced_deadline: Option<Timestamp>,
}

const COLUMNS: &str = "allocation_id, tenant_id, currency, reserved_rate_micros, reserved_nodes, rate_micros, nodes, \
     promo_hold_id, cash_hold_id, deadline_us, state, exhausted_announced, announced_deadline_us";

fn from_row(row: &AnyRow) -> Result<Funding, DbError> {
    let hold = |column: &str| -> Result<Option<HoldId>, DbError> {
        row.try_get::<Option<String>, _>(column)?
            .map(|id| parse(&id, "hold id"))
            .transpose()
    };
    let count = |column: &str| -> Result<u32, DbError> {
        u32::try_from(row.try_get::<i64, _>(column)?).map_err(|_| ingot_kernel::db::column::corrupt(column))
    };
    Ok(Funding {
        allocation_id: parse(&row.try_get::<String, _>("allocation_id")?, "allocation id")?,
        tenant_id: parse(&row.try_get::<String, _>("tenant_id")?, "tenant id")?,
        currency: parse(&row.try_get::<String, _>("currency")?, "currency")?,
        reserved_rate_micros: row.try_get("reserved_rate_micros")?,
        reserved_nodes: count("reserved_nodes")?,
        rate_micros: row.try_get("rate_micros")?,
        nodes: count("nodes")?,
        promo_hold: hold("promo_hold_id")?,
        cash_hold: hold("cash_hold_id")?,
        deadline: row
            .try_get::<Option<i64>, _>("deadline_us")?
            .map(Timestamp::from_micros),
        open: row.try_get::<String, _>("state")? == "open",
        exhausted_announced: row.try_get::<i64, _>("exhausted_announced")? != 0,
        announced_deadline: row
            .try_get::<Option<i64>, _>("announced_deadline_us")?
            .map(Timestamp::from_micros),
    })
}

pub async fn funding_get<'e, E: Executor<'e, Database = Any>>(
    db: E,
    allocation_id: AllocationId,
) -> Result<Option<Funding>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM billing_fundings WHERE allocation_id = $1"
    ));
    sqlx::query(sql)
        .bind(allocation_id.to_string())
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// Reads an allocation's funding for change, taking its row first so that two writers of one
/// funding queue instead of both acting on what they read.
pub async fn funding_lock_in_tx(
    tx: &mut Tx,
    allocation_id: AllocationId,
    now: Timestamp,
) -> Result<Option<Funding>, DbError> {
    sqlx::query("UPDATE billing_fundings SET updated_at_us = $1 WHERE allocation_id = $2")
        .bind(now.as_micros())
        .bind(allocation_id.to_string())
        .execute(&mut **tx)
        .await?;
    funding_get(&mut **tx, allocation_id).await
}

/// Records a new funding; `false` when the allocation has one already (left unchanged).
pub async fn funding_insert_in_tx(tx: &mut Tx, funding: &Funding, now: Timestamp) -> Result<bool, DbError> {
    let done = sqlx::query(
        "INSERT INTO billing_fundings (allocation_id, tenant_id, currency, reserved_rate_micros, reserved_nodes, \
         rate_micros, nodes, promo_hold_id, cash_hold_id, deadline_us, state, exhausted_announced, created_at_us, \
         updated_at_us, announced_deadline_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $10) \
         ON CONFLICT (allocation_id) DO NOTHING",
    )
    .bind(funding.allocation_id.to_string())
    .bind(funding.tenant_id.to_string())
    .bind(funding.currency.as_str())
    .bind(funding.reserved_rate_micros)
    .bind(i64::from(funding.reserved_nodes))
    .bind(funding.rate_micros)
    .bind(i64::from(funding.nodes))
    .bind(funding.promo_hold.map(|h| h.to_string()))
    .bind(funding.cash_hold.map(|h| h.to_string()))
    .bind(funding.deadline.map(|d| d.as_micros()))
    .bind(if funding.open { "open" } else { "closed" })
    .bind(i64::from(funding.exhausted_announced))
    .bind(now.as_micros())
    .execute(&mut **tx)
    .await?;
    let inserted = done.rows_affected() == 1;
    if inserted {
        funding_announce_in_tx(tx, funding, now).await?;
    }
    Ok(inserted)
}

/// How far a deadline may move before it is announced again: rating renews every funding's
/// holds each pass, which nudges a well-funded deadline forward every time.
const DEADLINE_ANNOUNCE_STEP_US: i64 = 60_000_000;

/// Whether readers of `billing.funding_changed` would see a difference from `before` to `after`:
/// the deadline is compared with the one last announced, so a small drift every pass adds up.
fn funding_announced_differs(before: &Funding, after: &Funding) -> bool {
    let deadline_moved = match (before.announced_deadline, after.deadline) {
        (Some(a), Some(b)) => (a.as_micros() - b.as_micros()).abs() > DEADLINE_ANNOUNCE_STEP_US,
        (a, b) => a != b,
    };
    before.rate_micros != after.rate_micros
        || before.nodes != after.nodes
        || before.open != after.open
        || deadline_moved
}

async fn funding_announce_in_tx(tx: &mut Tx, funding: &Funding, now: Timestamp) -> Result<(), DbError> {
    let event = FundingChanged {
        allocation_id: funding.allocation_id,
        tenant_id: funding.tenant_id,
        rate_per_hour: Money::from_micros(funding.rate_micros, funding.currency),
        nodes: funding.nodes,
        deadline: funding.deadline,
        open: funding.open,
        at: now,
    };
    ingot_kernel::outbox::append_in_tx(tx, &event.to_envelope(now)).await?;
    Ok(())
}

/// Writes what changes over a funding's life.
pub async fn funding_save_in_tx(tx: &mut Tx, funding: &Funding, now: Timestamp) -> Result<(), DbError> {
    let before = funding_get(&mut **tx, funding.allocation_id).await?;
    let announce = before
        .as_ref()
        .is_none_or(|before| funding_announced_differs(before, funding));
    let announced = if announce {
        funding.deadline
    } else {
        before.and_then(|b| b.announced_deadline)
    };
    sqlx::query(
        "UPDATE billing_fundings SET rate_micros = $1, nodes = $2, promo_hold_id = $3, cash_hold_id = $4, \
         deadline_us = $5, state = $6, exhausted_announced = $7, updated_at_us = $8, announced_deadline_us = $9 \
         WHERE allocation_id = $10",
    )
    .bind(funding.rate_micros)
    .bind(i64::from(funding.nodes))
    .bind(funding.promo_hold.map(|h| h.to_string()))
    .bind(funding.cash_hold.map(|h| h.to_string()))
    .bind(funding.deadline.map(|d| d.as_micros()))
    .bind(if funding.open { "open" } else { "closed" })
    .bind(i64::from(funding.exhausted_announced))
    .bind(now.as_micros())
    .bind(announced.map(|d| d.as_micros()))
    .bind(funding.allocation_id.to_string())
    .execute(&mut **tx)
    .await?;
    if announce {
        funding_announce_in_tx(tx, funding, now).await?;
    }
    Ok(())
}

/// The allocation ended: nothing stays reserved for nodes it did not meter.
pub async fn funding_reservation_end_in_tx(tx: &mut Tx, allocation_id: AllocationId) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE billing_fundings SET reserved_rate_micros = 0, reserved_nodes = 0 WHERE allocation_id = $1",
    )
    .bind(allocation_id.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Open fundings, oldest allocation first (ULIDs sort by creation), after `after`.
pub async fn fundings_open<'e, E: Executor<'e, Database = Any>>(
    db: E,
    after: Option<AllocationId>,
    limit: i64,
) -> Result<Vec<AllocationId>, DbError> {
    sqlx::query(
        "SELECT allocation_id FROM billing_fundings WHERE state = 'open' AND allocation_id > $1 \
         ORDER BY allocation_id LIMIT $2",
    )
    .bind(after.map_or_else(String::new, |a| a.to_string()))
    .bind(limit)
    .fetch_all(db)
    .await?
    .iter()
    .map(|row| parse(&row.try_get::<String, _>("allocation_id")?, "allocation id"))
    .collect()
}

/// Open fundings whose deadline has passed and that were not announced yet.
pub async fn fundings_past_deadline<'e, E: Executor<'e, Database = Any>>(
    db: E,
    now: Timestamp,
    limit: i64,
) -> Result<Vec<AllocationId>, DbError> {
    sqlx::query(
        "SELECT allocation_id FROM billing_fundings WHERE state = 'open' AND deadline_us <= $1 \
         AND exhausted_announced = 0 ORDER BY deadline_us LIMIT $2",
    )
    .bind(now.as_micros())
    .bind(limit)
    .fetch_all(db)
    .await?
    .iter()
    .map(|row| parse(&row.try_get::<String, _>("allocation_id")?, "allocation id"))
    .collect()
}

/// A tenant's open fundings.
pub async fn fundings_of_tenant<'e, E: Executor<'e, Database = Any>>(
    db: E,
    tenant_id: TenantId,
) -> Result<Vec<Funding>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM billing_fundings WHERE tenant_id = $1 AND state = 'open' ORDER BY allocation_id"
    ));
    sqlx::query(sql)
        .bind(tenant_id.to_string())
        .fetch_all(db)
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// Allocations with a node metered now but no funding yet (their allocation was not reserved
/// through the balance policy, or its metering arrived first): the rating funds them.
pub async fn allocations_unfunded<'e, E: Executor<'e, Database = Any>>(
    db: E,
    limit: i64,
) -> Result<Vec<(AllocationId, TenantId)>, DbError> {
    sqlx::query(
        "SELECT DISTINCT m.allocation_id, m.tenant_id FROM billing_meters m \
         LEFT JOIN billing_fundings f ON f.allocation_id = m.allocation_id \
         WHERE f.allocation_id IS NULL AND m.tenant_id IS NOT NULL AND m.started_at_us IS NOT NULL \
         AND m.stopped_at_us IS NULL ORDER BY m.allocation_id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await?
    .iter()
    .map(|row| {
        Ok((
            parse(&row.try_get::<String, _>("allocation_id")?, "allocation id")?,
            parse(&row.try_get::<String, _>("tenant_id")?, "tenant id")?,
        ))
    })
    .collect()
}

/// Records when the funding was announced exhausted.
pub async fn funding_exhausted_at_in_tx(
    tx: &mut Tx,
    allocation_id: AllocationId,
    now: Timestamp,
) -> Result<(), DbError> {
    sqlx::query("UPDATE billing_fundings SET exhausted_at_us = $1 WHERE allocation_id = $2")
        .bind(now.as_micros())
        .bind(allocation_id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}
