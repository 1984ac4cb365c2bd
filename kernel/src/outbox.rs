//! The transactional outbox: a domain appends its events in the same transaction as the state
//! change, and each consumer reads them in order behind its own cursor.
//!
//! The trap (DESIGN.md §2): on PostgreSQL, sequence order is not commit order. A transaction can
//! take seq 5, stall, and commit after another that took seq 6; a reader that jumped to 6 would
//! never see 5. So every event records its top-level transaction id, readers take only events
//! whose transaction is older than the oldest one still running (all of those have finished), and
//! cursors advance over `(txid, seq)`. Any event not yet visible belongs to a transaction at or
//! past that horizon, so it sorts after the cursor. On SQLite there is one writer, so seq order is
//! commit order and `txid` is always 0.

use sqlx::Row;

use crate::clock::Timestamp;
use crate::db::{Backend, Db, DbError, Tx};
use crate::event::EventEnvelope;

/// Appends an event inside the caller's transaction; it becomes visible when that commits.
pub async fn append_in_tx(tx: &mut Tx, event: &EventEnvelope) -> Result<i64, DbError> {
    let row = sqlx::query(
        "INSERT INTO kernel_outbox (event_id, event_type, source, subject, tenant_id, occurred_at_us, \
         schema_version, payload) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING seq",
    )
    .bind(event.id.to_string())
    .bind(&event.event_type)
    .bind(&event.source)
    .bind(&event.subject)
    .bind(event.tenant_id.map(|t| t.to_string()))
    .bind(event.occurred_at.as_micros())
    .bind(i64::from(event.schema_version))
    .bind(event.payload.to_string())
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.try_get("seq")?)
}

/// Where a consumer has read up to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct OutboxPosition {
    pub txid: i64,
    pub seq: i64,
}

impl OutboxPosition {
    pub const START: OutboxPosition = OutboxPosition { txid: -1, seq: 0 };
}

/// A batch handed to a consumer, with the position to store once it is handled.
#[derive(Debug)]
pub struct OutboxBatch {
    pub events: Vec<EventEnvelope>,
    pub last: Option<OutboxPosition>,
}

/// Locks `consumer`'s cursor for this transaction and reads up to `batch_max` events after it.
/// Handle them with the same `tx`, then call [`cursor_advance_in_tx`] and commit: the effects and
/// the cursor move together, so each event's effect lands exactly once even across crashes.
/// Two replicas consuming under the same name queue behind the cursor lock.
pub async fn batch_fetch_in_tx(
    db: &Db,
    tx: &mut Tx,
    consumer: &str,
    batch_max: i64,
    now: Timestamp,
) -> Result<OutboxBatch, DbError> {
    sqlx::query(
        "INSERT INTO kernel_outbox_cursors (consumer, txid, seq, updated_at_us) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (consumer) DO NOTHING",
    )
    .bind(consumer)
    .bind(OutboxPosition::START.txid)
    .bind(OutboxPosition::START.seq)
    .bind(now.as_micros())
    .execute(&mut **tx)
    .await?;
    let lock_sql = match db.backend() {
        Backend::Postgres => "SELECT txid, seq FROM kernel_outbox_cursors WHERE consumer = $1 FOR UPDATE",
        // BEGIN IMMEDIATE already holds the database's write lock.
        Backend::Sqlite => "SELECT txid, seq FROM kernel_outbox_cursors WHERE consumer = $1",
    };
    let cursor = sqlx::query(lock_sql).bind(consumer).fetch_one(&mut **tx).await?;
    let after = OutboxPosition {
        txid: cursor.try_get("txid")?,
        seq: cursor.try_get("seq")?,
    };
    let fetch_sql = format!(
        "{} LIMIT $3",
        visible_after_sql(
            db.backend(),
            "seq, txid, event_id, event_type, source, subject, tenant_id, occurred_at_us, schema_version, payload",
        )
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(fetch_sql))
        .bind(after.txid)
        .bind(after.seq)
        .bind(batch_max)
        .fetch_all(&mut **tx)
        .await?;
    let mut events = Vec::with_capacity(rows.len());
    let mut last = None;
    for row in rows {
        last = Some(OutboxPosition {
            txid: row.try_get("txid")?,
            seq: row.try_get("seq")?,
        });
        events.push(envelope_from_row(&row)?);
    }
    Ok(OutboxBatch { events, last })
}

/// Moves `consumer`'s cursor; call in the transaction that handled the batch.
pub async fn cursor_advance_in_tx(
    tx: &mut Tx,
    consumer: &str,
    to: OutboxPosition,
    now: Timestamp,
) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE kernel_outbox_cursors SET txid = $1, seq = $2, updated_at_us = $3 WHERE consumer = $4",
    )
    .bind(to.txid)
    .bind(to.seq)
    .bind(now.as_micros())
    .bind(consumer)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Where `consumer`'s cursor stands (the start when it has none yet). A plain read: no lock.
pub async fn cursor_get(db: &Db, consumer: &str) -> Result<OutboxPosition, DbError> {
    let row = sqlx::query("SELECT txid, seq FROM kernel_outbox_cursors WHERE consumer = $1")
        .bind(consumer)
        .fetch_optional(db.reader())
        .await?;
    Ok(match row {
        Some(row) => OutboxPosition {
            txid: row.try_get("txid")?,
            seq: row.try_get("seq")?,
        },
        None => OutboxPosition::START,
    })
}

/// `SELECT {select}` of the events readable after the position bound as `$1` (txid), `$2`
/// (seq), in delivery order.
fn visible_after_sql(backend: Backend, select: &str) -> String {
    match backend {
        Backend::Postgres => format!(
            "SELECT {select} FROM kernel_outbox WHERE (txid, seq) > ($1, $2) \
             AND txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint ORDER BY txid, seq"
        ),
        // txid is always 0 here (and -1 only in the start position, whose seq is 0), so seq
        // alone orders: a seek on the rowid. A row-value comparison would make SQLite scan
        // every event from the first on each read. `$1` stays bound like PostgreSQL's.
        Backend::Sqlite => {
            format!("SELECT {select} FROM kernel_outbox WHERE seq > $2 AND $1 IS NOT NULL ORDER BY seq")
        }
    }
}

/// Whether an event is readable after `consumer`'s cursor: a lock-free peek, so an idle
/// consumer does not take the write lock (SQLite) or the cursor's row (PostgreSQL) to find
/// out there is nothing to do.
pub async fn pending(db: &Db, consumer: &str) -> Result<bool, DbError> {
    let after = cursor_get(db, consumer).await?;
    let sql = sqlx::AssertSqlSafe(format!("{} LIMIT 1", visible_after_sql(db.backend(), "1 AS one")));
    let row = sqlx::query(sql)
        .bind(after.txid)
        .bind(after.seq)
        .fetch_optional(db.reader())
        .await?;
    Ok(row.is_some())
}

/// Forgets `consumer`'s cursor (a consumer that will never read again).
pub async fn cursor_drop_in_tx(tx: &mut Tx, consumer: &str) -> Result<(), DbError> {
    sqlx::query("DELETE FROM kernel_outbox_cursors WHERE consumer = $1")
        .bind(consumer)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// How far one consumer is behind the event history.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsumerBacklog {
    pub consumer: String,
    pub position: OutboxPosition,
    /// Readable events after the cursor, counted up to `count_max`.
    pub behind: u64,
    /// When the oldest unread one happened (`None`: caught up).
    pub oldest_unread_at: Option<Timestamp>,
    /// When the cursor last moved (or was made): a consumer far behind but moving is catching
    /// up; one whose cursor stands still with events waiting is stuck.
    pub advanced_at: Timestamp,
}

/// Every consumer's backlog, by name.
pub async fn backlogs(db: &Db, count_max: i64) -> Result<Vec<ConsumerBacklog>, DbError> {
    let cursors =
        sqlx::query("SELECT consumer, txid, seq, updated_at_us FROM kernel_outbox_cursors ORDER BY consumer")
            .fetch_all(db.reader())
            .await?;
    let count_sql = format!(
        "SELECT COUNT(*) AS n FROM ({} LIMIT $3) AS unread",
        visible_after_sql(db.backend(), "seq")
    );
    let oldest_sql = format!("{} LIMIT 1", visible_after_sql(db.backend(), "occurred_at_us"));
    let mut out = Vec::with_capacity(cursors.len());
    for cursor in cursors {
        let position = OutboxPosition {
            txid: cursor.try_get("txid")?,
            seq: cursor.try_get("seq")?,
        };
        let behind: i64 = sqlx::query(sqlx::AssertSqlSafe(count_sql.clone()))
            .bind(position.txid)
            .bind(position.seq)
            .bind(count_max)
            .fetch_one(db.reader())
            .await?
            .try_get("n")?;
        let oldest = sqlx::query(sqlx::AssertSqlSafe(oldest_sql.clone()))
            .bind(position.txid)
            .bind(position.seq)
            .fetch_optional(db.reader())
            .await?
            .map(|row| row.try_get::<i64, _>("occurred_at_us"))
            .transpose()?;
        out.push(ConsumerBacklog {
            consumer: cursor.try_get("consumer")?,
            position,
            behind: u64::try_from(behind).unwrap_or(0),
            oldest_unread_at: oldest.map(Timestamp::from_micros),
            advanced_at: Timestamp::from_micros(cursor.try_get("updated_at_us")?),
        });
    }
    Ok(out)
}

fn envelope_from_row(row: &sqlx::any::AnyRow) -> Result<EventEnvelope, DbError> {
    use crate::db::column::{corrupt, from_json, parse};
    let event_id: String = row.try_get("event_id")?;
    let tenant_id: Option<String> = row.try_get("tenant_id")?;
    let payload: String = row.try_get("payload")?;
    let schema_version: i64 = row.try_get("schema_version")?;
    Ok(EventEnvelope {
        id: parse(&event_id, "outbox event_id")?,
        seq: row.try_get("seq")?,
        event_type: row.try_get("event_type")?,
        source: row.try_get("source")?,
        subject: row.try_get("subject")?,
        tenant_id: tenant_id.map(|t| parse(&t, "outbox tenant_id")).transpose()?,
        occurred_at: Timestamp::from_micros(row.try_get("occurred_at_us")?),
        schema_version: u32::try_from(schema_version).map_err(|_| corrupt("outbox schema_version"))?,
        payload: from_json(&payload, "outbox payload")?,
    })
}
