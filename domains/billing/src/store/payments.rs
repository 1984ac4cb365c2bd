//! Payment storage: top-ups through providers and the webhook events already received.

use ingot_kernel::Timestamp;
use ingot_kernel::db::column::parse;
use ingot_kernel::db::{DbError, Tx};
use ingot_kernel::id::TenantId;
use ingot_kernel::money::{Currency, Money};
use sqlx::{Any, Executor, Row};

/// One top-up as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopUpRow {
    pub id: String,
    pub tenant_id: TenantId,
    pub provider: String,
    pub provider_ref: String,
    pub payment_ref: Option<String>,
    pub amount: Money,
    /// `pending`, `succeeded`, `failed`.
    pub status: String,
    pub refunded: Money,
}

/// Records a top-up; the same (provider, provider_ref) twice keeps the first.
pub async fn top_up_insert_in_tx(tx: &mut Tx, row: &TopUpRow, now: Timestamp) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO billing_top_ups (id, tenant_id, provider, provider_ref, payment_ref, amount_micros, currency, status, \
         created_at_us, updated_at_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
         ON CONFLICT (provider, provider_ref) DO NOTHING",
    )
    .bind(&row.id)
    .bind(row.tenant_id.to_string())
    .bind(&row.provider)
    .bind(&row.provider_ref)
    .bind(row.payment_ref.as_deref())
    .bind(row.amount.micros())
    .bind(row.amount.currency().as_str())
    .bind(&row.status)
    .bind(now.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

const TOP_UP_COLUMNS: &str =
    "id, tenant_id, provider, provider_ref, payment_ref, amount_micros, currency, status, refunded_micros";

fn top_up_from_row(row: &sqlx::any::AnyRow) -> Result<TopUpRow, DbError> {
    let currency: Currency = parse(&row.try_get::<String, _>("currency")?, "currency")?;
    Ok(TopUpRow {
        id: row.try_get("id")?,
        tenant_id: parse(&row.try_get::<String, _>("tenant_id")?, "tenant id")?,
        provider: row.try_get("provider")?,
        provider_ref: row.try_get("provider_ref")?,
        payment_ref: row.try_get("payment_ref")?,
        amount: Money::from_micros(row.try_get("amount_micros")?, currency),
        status: row.try_get("status")?,
        refunded: Money::from_micros(row.try_get("refunded_micros")?, currency),
    })
}

/// The top-up a provider knows as `reference` (its checkout id, or with `by_payment` its payment id).
pub async fn top_up_find<'e, E: Executor<'e, Database = Any>>(
    db: E,
    provider: &str,
    reference: &str,
    by_payment: bool,
) -> Result<Option<TopUpRow>, DbError> {
    let column = if by_payment { "payment_ref" } else { "provider_ref" };
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {TOP_UP_COLUMNS} FROM billing_top_ups WHERE provider = $1 AND {column} = $2"
    ));
    sqlx::query(sql)
        .bind(provider)
        .bind(reference)
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(top_up_from_row)
        .transpose()
}

pub async fn top_up_update_in_tx(
    tx: &mut Tx,
    id: &str,
    status: &str,
    payment_ref: Option<&str>,
    refunded_micros: i64,
    now: Timestamp,
) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE billing_top_ups SET status = $1, payment_ref = COALESCE($2, payment_ref), refunded_micros = $3, \
         updated_at_us = $4 WHERE id = $5",
    )
    .bind(status)
    .bind(payment_ref)
    .bind(refunded_micros)
    .bind(now.as_micros())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What a tenant topped up (or has waiting) since `since`, for the KYC daily limit.
pub async fn top_ups_since<'e, E: Executor<'e, Database = Any>>(
    db: E,
    tenant_id: TenantId,
    since: Timestamp,
) -> Result<i64, DbError> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(amount_micros), 0) AS BIGINT) AS total FROM billing_top_ups \
         WHERE tenant_id = $1 AND created_at_us >= $2 AND status <> 'failed'",
    )
    .bind(tenant_id.to_string())
    .bind(since.as_micros())
    .fetch_one(db)
    .await?;
    Ok(row.try_get("total")?)
}

/// Claims a provider's event id: `false` when it was received before (a replay).
pub async fn webhook_event_claim_in_tx(
    tx: &mut Tx,
    provider: &str,
    event_id: &str,
    event_type: &str,
    now: Timestamp,
) -> Result<bool, DbError> {
    let done = sqlx::query(
        "INSERT INTO billing_webhook_events (provider, event_id, event_type, received_at_us) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (provider, event_id) DO NOTHING",
    )
    .bind(provider)
    .bind(event_id)
    .bind(event_type)
    .bind(now.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
