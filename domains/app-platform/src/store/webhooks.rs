//! SQL for webhooks, the allocation→project map and deliveries.

use ingot_contracts::app_platform::{DeliveryAttempt, DeliveryState, WebhookView};
use ingot_kernel::Timestamp;
use ingot_kernel::db::column::{corrupt, parse};
use ingot_kernel::db::{DbError, Tx};
use ingot_kernel::id::{AllocationId, DeliveryId, ProjectId, TenantId, WebhookId};
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};

/// A webhook as kept: its view and its sealed secret.
#[derive(Debug, Clone)]
pub struct WebhookRow {
    pub view: WebhookView,
    pub tenant_id: TenantId,
    pub secret_sealed: String,
}

const WEBHOOK_COLUMNS: &str = "id, tenant_id, project_id, url, events, description, enabled, secret_sealed, \
     created_by, created_at_us, updated_at_us";

fn webhook_from_row(row: &AnyRow) -> Result<WebhookRow, DbError> {
    let events: String = row.try_get("events")?;
    Ok(WebhookRow {
        view: WebhookView {
            id: parse(&row.try_get::<String, _>("id")?, "webhook id")?,
            project_id: parse(&row.try_get::<String, _>("project_id")?, "project id")?,
            url: row.try_get("url")?,
            events: serde_json::from_str(&events).map_err(|_| corrupt("webhook events"))?,
            description: row.try_get("description")?,
            enabled: row.try_get::<i64, _>("enabled")? == 1,
            created_by: parse(&row.try_get::<String, _>("created_by")?, "user id")?,
            created_at: Timestamp::from_micros(row.try_get("created_at_us")?),
            updated_at: Timestamp::from_micros(row.try_get("updated_at_us")?),
        },
        tenant_id: parse(&row.try_get::<String, _>("tenant_id")?, "tenant id")?,
        secret_sealed: row.try_get("secret_sealed")?,
    })
}

fn events_json(events: &[String]) -> Result<String, DbError> {
    serde_json::to_string(events).map_err(|_| corrupt("webhook events"))
}

pub async fn webhook_insert_in_tx(tx: &mut Tx, row: &WebhookRow) -> Result<(), DbError> {
    let v = &row.view;
    sqlx::query(
        "INSERT INTO app_webhooks (id, tenant_id, project_id, url, events, description, enabled, secret_sealed, \
         created_by, created_at_us, updated_at_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(v.id.to_string())
    .bind(row.tenant_id.to_string())
    .bind(v.project_id.to_string())
    .bind(&v.url)
    .bind(events_json(&v.events)?)
    .bind(&v.description)
    .bind(i64::from(v.enabled))
    .bind(&row.secret_sealed)
    .bind(v.created_by.to_string())
    .bind(v.created_at.as_micros())
    .bind(v.updated_at.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes what can change: URL, events, description, enabled.
pub async fn webhook_update_in_tx(tx: &mut Tx, view: &WebhookView) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE app_webhooks SET url = $1, events = $2, description = $3, enabled = $4, updated_at_us = $5 \
         WHERE id = $6",
    )
    .bind(&view.url)
    .bind(events_json(&view.events)?)
    .bind(&view.description)
    .bind(i64::from(view.enabled))
    .bind(view.updated_at.as_micros())
    .bind(view.id.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn webhooks_of_project<'e, E: Executor<'e, Database = Any>>(
    db: E,
    project_id: ProjectId,
) -> Result<Vec<WebhookRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {WEBHOOK_COLUMNS} FROM app_webhooks WHERE project_id = $1 ORDER BY id"
    ));
    sqlx::query(sql)
        .bind(project_id.to_string())
        .fetch_all(db)
        .await?
        .iter()
        .map(webhook_from_row)
        .collect()
}

/// From now on the follower delivers to this webhook.
pub async fn webhook_following_in_tx(tx: &mut Tx, webhook_id: WebhookId) -> Result<(), DbError> {
    sqlx::query("UPDATE app_webhooks SET following = 1 WHERE id = $1")
        .bind(webhook_id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A tenant's enabled webhooks the follower has reached (every project's).
pub async fn webhooks_enabled_of_tenant<'e, E: Executor<'e, Database = Any>>(
    db: E,
    tenant_id: TenantId,
) -> Result<Vec<WebhookRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {WEBHOOK_COLUMNS} FROM app_webhooks WHERE tenant_id = $1 AND enabled = 1 AND following = 1 \
         ORDER BY id"
    ));
    sqlx::query(sql)
        .bind(tenant_id.to_string())
        .fetch_all(db)
        .await?
        .iter()
        .map(webhook_from_row)
        .collect()
}

pub async fn webhook_get<'e, E: Executor<'e, Database = Any>>(
    db: E,
    project_id: ProjectId,
    webhook_id: WebhookId,
) -> Result<Option<WebhookRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {WEBHOOK_COLUMNS} FROM app_webhooks WHERE project_id = $1 AND id = $2"
    ));
    sqlx::query(sql)
        .bind(project_id.to_string())
        .bind(webhook_id.to_string())
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(webhook_from_row)
        .transpose()
}

pub async fn webhook_by_id<'e, E: Executor<'e, Database = Any>>(
    db: E,
    webhook_id: WebhookId,
) -> Result<Option<WebhookRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {WEBHOOK_COLUMNS} FROM app_webhooks WHERE id = $1"
    ));
    sqlx::query(sql)
        .bind(webhook_id.to_string())
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(webhook_from_row)
        .transpose()
}

/// Deletes a webhook with its deliveries and their attempts; `false` when there was none.
pub async fn webhook_delete_in_tx(
    tx: &mut Tx,
    project_id: ProjectId,
    webhook_id: WebhookId,
) -> Result<bool, DbError> {
    let done = sqlx::query("DELETE FROM app_webhooks WHERE project_id = $1 AND id = $2")
        .bind(project_id.to_string())
        .bind(webhook_id.to_string())
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query(
        "DELETE FROM app_delivery_attempts WHERE delivery_id IN (SELECT id FROM app_deliveries WHERE webhook_id = $1)",
    )
    .bind(webhook_id.to_string())
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM app_deliveries WHERE webhook_id = $1")
        .bind(webhook_id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(true)
}

pub async fn allocation_project_record_in_tx(
    tx: &mut Tx,
    allocation_id: AllocationId,
    project_id: ProjectId,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO app_allocation_projects (allocation_id, project_id) VALUES ($1, $2) \
         ON CONFLICT (allocation_id) DO NOTHING",
    )
    .bind(allocation_id.to_string())
    .bind(project_id.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn allocation_project_in_tx(
    tx: &mut Tx,
    allocation_id: AllocationId,
) -> Result<Option<ProjectId>, DbError> {
    let found: Option<String> =
        sqlx::query_scalar("SELECT project_id FROM app_allocation_projects WHERE allocation_id = $1")
            .bind(allocation_id.to_string())
            .fetch_optional(&mut **tx)
            .await?;
    found.map(|p| parse(&p, "project id")).transpose()
}

/// A delivery as kept, without its attempts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRow {
    pub id: DeliveryId,
    pub webhook_id: WebhookId,
    pub event_id: String,
    pub event_type: String,
    pub payload: String,
    pub state: DeliveryState,
    pub attempts: u32,
    pub next_attempt_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub delivered_at: Option<Timestamp>,
}

const DELIVERY_COLUMNS: &str = "id, webhook_id, event_id, event_type, payload, state, attempts, next_attempt_at_us, \
     created_at_us, delivered_at_us";

fn state_text(state: DeliveryState) -> &'static str {
    match state {
        DeliveryState::Pending => "pending",
        DeliveryState::Delivered => "delivered",
        DeliveryState::Failed => "failed",
    }
}

fn delivery_from_row(row: &AnyRow) -> Result<DeliveryRow, DbError> {
    let state = match row.try_get::<String, _>("state")?.as_str() {
        "pending" => DeliveryState::Pending,
        "delivered" => DeliveryState::Delivered,
        "failed" => DeliveryState::Failed,
        _ => return Err(corrupt("delivery state")),
    };
    Ok(DeliveryRow {
        id: parse(&row.try_get::<String, _>("id")?, "delivery id")?,
        webhook_id: parse(&row.try_get::<String, _>("webhook_id")?, "webhook id")?,
        event_id: row.try_get("event_id")?,
        event_type: row.try_get("event_type")?,
        payload: row.try_get("payload")?,
        state,
        attempts: u32::try_from(row.try_get::<i64, _>("attempts")?).map_err(|_| corrupt("attempts"))?,
        next_attempt_at: row
            .try_get::<Option<i64>, _>("next_attempt_at_us")?
            .map(Timestamp::from_micros),
        created_at: Timestamp::from_micros(row.try_get("created_at_us")?),
        delivered_at: row
            .try_get::<Option<i64>, _>("delivered_at_us")?
            .map(Timestamp::from_micros),
    })
}

/// Records a delivery to make; nothing when the webhook has this event already.
pub async fn delivery_insert_in_tx(tx: &mut Tx, row: &DeliveryRow) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO app_deliveries (id, webhook_id, event_id, event_type, payload, state, attempts, \
         next_attempt_at_us, created_at_us, delivered_at_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (webhook_id, event_id) DO NOTHING",
    )
    .bind(row.id.to_string())
    .bind(row.webhook_id.to_string())
    .bind(&row.event_id)
    .bind(&row.event_type)
    .bind(&row.payload)
    .bind(state_text(row.state))
    .bind(i64::from(row.attempts))
    .bind(row.next_attempt_at.map(Timestamp::as_micros))
    .bind(row.created_at.as_micros())
    .bind(row.delivered_at.map(Timestamp::as_micros))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Pending deliveries of enabled webhooks due by `now`, oldest due first.
pub async fn deliveries_due<'e, E: Executor<'e, Database = Any>>(
    db: E,
    now: Timestamp,
    limit: i64,
) -> Result<Vec<DeliveryRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {} FROM app_deliveries d WHERE d.state = 'pending' AND d.next_attempt_at_us <= $1 \
         AND EXISTS (SELECT 1 FROM app_webhooks w WHERE w.id = d.webhook_id AND w.enabled = 1) \
         ORDER BY d.next_attempt_at_us LIMIT $2",
        DELIVERY_COLUMNS
            .split(", ")
            .map(|c| format!("d.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    sqlx::query(sql)
        .bind(now.as_micros())
        .bind(limit)
        .fetch_all(db)
        .await?
        .iter()
        .map(delivery_from_row)
        .collect()
}

/// Takes a due delivery for one attempt: moves its next attempt to `lease_until` if nobody
/// else took it since it was read (same attempt count, still pending). `false`: taken.
pub async fn delivery_claim_in_tx(
    tx: &mut Tx,
    row: &DeliveryRow,
    lease_until: Timestamp,
) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE app_deliveries SET next_attempt_at_us = $1 WHERE id = $2 AND state = 'pending' AND attempts = $3 \
         AND next_attempt_at_us = $4",
    )
    .bind(lease_until.as_micros())
    .bind(row.id.to_string())
    .bind(i64::from(row.attempts))
    .bind(row.next_attempt_at.map(Timestamp::as_micros))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records an attempt and the delivery's new state in one transaction.
pub async fn delivery_attempted_in_tx(
    tx: &mut Tx,
    delivery_id: DeliveryId,
    attempt: &DeliveryAttempt,
    state: DeliveryState,
    next_attempt_at: Option<Timestamp>,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO app_delivery_attempts (delivery_id, attempt, at_us, status, error, duration_ms) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(delivery_id.to_string())
    .bind(i64::from(attempt.attempt))
    .bind(attempt.at.as_micros())
    .bind(attempt.status.map(i64::from))
    .bind(&attempt.error)
    .bind(i64::try_from(attempt.duration_ms).unwrap_or(i64::MAX))
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE app_deliveries SET attempts = $1, state = $2, next_attempt_at_us = $3, \
         delivered_at_us = CASE WHEN $2 = 'delivered' THEN $4 ELSE delivered_at_us END WHERE id = $5",
    )
    .bind(i64::from(attempt.attempt))
    .bind(state_text(state))
    .bind(next_attempt_at.map(Timestamp::as_micros))
    .bind(attempt.at.as_micros())
    .bind(delivery_id.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Makes a delivery due now again (a redelivery by hand).
pub async fn delivery_rearm_in_tx(
    tx: &mut Tx,
    delivery_id: DeliveryId,
    now: Timestamp,
) -> Result<(), DbError> {
    sqlx::query("UPDATE app_deliveries SET state = 'pending', next_attempt_at_us = $1 WHERE id = $2")
        .bind(now.as_micros())
        .bind(delivery_id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn delivery_get<'e, E: Executor<'e, Database = Any>>(
    db: E,
    webhook_id: WebhookId,
    delivery_id: DeliveryId,
) -> Result<Option<DeliveryRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {DELIVERY_COLUMNS} FROM app_deliveries WHERE webhook_id = $1 AND id = $2"
    ));
    sqlx::query(sql)
        .bind(webhook_id.to_string())
        .bind(delivery_id.to_string())
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(delivery_from_row)
        .transpose()
}

/// A webhook's newest deliveries.
pub async fn deliveries_of<'e, E: Executor<'e, Database = Any>>(
    db: E,
    webhook_id: WebhookId,
    limit: i64,
) -> Result<Vec<DeliveryRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {DELIVERY_COLUMNS} FROM app_deliveries WHERE webhook_id = $1 ORDER BY id DESC LIMIT $2"
    ));
    sqlx::query(sql)
        .bind(webhook_id.to_string())
        .bind(limit)
        .fetch_all(db)
        .await?
        .iter()
        .map(delivery_from_row)
        .collect()
}

/// The attempts of these deliveries, in order, by delivery.
pub async fn attempts_of<'e, E: Executor<'e, Database = Any>>(
    db: E,
    deliveries: &[DeliveryId],
) -> Result<Vec<(DeliveryId, DeliveryAttempt)>, DbError> {
    if deliveries.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=deliveries.len()).map(|i| format!("${i}")).collect();
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT delivery_id, attempt, at_us, status, error, duration_ms FROM app_delivery_attempts \
         WHERE delivery_id IN ({}) ORDER BY delivery_id, attempt",
        marks.join(", ")
    ));
    let mut query = sqlx::query(sql);
    for id in deliveries {
        query = query.bind(id.to_string());
    }
    query
        .fetch_all(db)
        .await?
        .iter()
        .map(|row| {
            Ok((
                parse(&row.try_get::<String, _>("delivery_id")?, "delivery id")?,
                DeliveryAttempt {
                    attempt: u32::try_from(row.try_get::<i64, _>("attempt")?)
                        .map_err(|_| corrupt("attempt"))?,
                    at: Timestamp::from_micros(row.try_get("at_us")?),
                    status: row
                        .try_get::<Option<i64>, _>("status")?
                        .and_then(|s| u16::try_from(s).ok()),
                    error: row.try_get("error")?,
                    duration_ms: u64::try_from(row.try_get::<i64, _>("duration_ms")?).unwrap_or(0),
                },
            ))
        })
        .collect()
}
