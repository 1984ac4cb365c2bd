//! Read Models store: SQL for the `rm_*` tables only; converts rows to model values and back.

use ingot_kernel::Timestamp;
use ingot_kernel::db::{DbError, Tx};
use ingot_kernel::outbox::OutboxPosition;
use sqlx::{Any, Executor, Row};

/// A generation's lifecycle: `building` beside the `active` one, swapped in; the one it
/// replaces is `retired` (its documents kept a while for queries already reading them), then
/// `purged`.
pub const BUILDING: &str = "building";
pub const ACTIVE: &str = "active";
pub const RETIRED: &str = "retired";
pub const PURGED: &str = "purged";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerationRow {
    pub projection: String,
    pub generation: i64,
    pub version: u32,
    pub state: String,
    pub position: OutboxPosition,
    pub events_applied: u64,
    pub last_event_at: Option<Timestamp>,
}

/// The outbox consumer that builds one generation.
pub fn consumer_name(projection: &str, generation: i64) -> String {
    format!("read-models/{projection}/g{generation}")
}

fn generation_from_row(row: &sqlx::any::AnyRow) -> Result<GenerationRow, DbError> {
    Ok(GenerationRow {
        projection: row.try_get("projection")?,
        generation: row.try_get("generation")?,
        version: u32::try_from(row.try_get::<i64, _>("version")?)
            .map_err(|_| ingot_kernel::db::column::corrupt("version"))?,
        state: row.try_get("state")?,
        position: OutboxPosition {
            txid: row.try_get("txid")?,
            seq: row.try_get("seq")?,
        },
        events_applied: u64::try_from(row.try_get::<i64, _>("events_applied")?).unwrap_or(0),
        last_event_at: row
            .try_get::<Option<i64>, _>("last_event_at_us")?
            .map(Timestamp::from_micros),
    })
}

/// The projection's live generations (active, building), oldest first.
pub async fn generations<'e, E: Executor<'e, Database = Any>>(
    db: E,
    projection: &str,
) -> Result<Vec<GenerationRow>, DbError> {
    sqlx::query(
        "SELECT projection, generation, version, state, txid, seq, events_applied, last_event_at_us \
         FROM rm_generations WHERE projection = $1 AND state IN ('active', 'building') ORDER BY generation",
    )
    .bind(projection)
    .fetch_all(db)
    .await?
    .iter()
    .map(generation_from_row)
    .collect()
}

/// Adds a generation after every existing one; `false` when it could not be (another replica
/// or a rebuild command made that generation, or another active or building one, first).
pub async fn generation_create_in_tx(
    tx: &mut Tx,
    projection: &str,
    generation: i64,
    version: u32,
    state: &str,
    now: Timestamp,
) -> Result<bool, DbError> {
    let done = sqlx::query(
        "INSERT INTO rm_generations (projection, generation, version, state, txid, seq, events_applied, \
         created_at_us, activated_at_us) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8) \
         ON CONFLICT DO NOTHING",
    )
    .bind(projection)
    .bind(generation)
    .bind(i64::from(version))
    .bind(state)
    .bind(OutboxPosition::START.txid)
    .bind(OutboxPosition::START.seq)
    .bind(now.as_micros())
    .bind((state == ACTIVE).then_some(now.as_micros()))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The highest generation number ever used for the projection (0: none).
pub async fn generation_max<'e, E: Executor<'e, Database = Any>>(
    db: E,
    projection: &str,
) -> Result<i64, DbError> {
    let row = sqlx::query("SELECT MAX(generation) AS g FROM rm_generations WHERE projection = $1")
        .bind(projection)
        .fetch_one(db)
        .await?;
    Ok(row.try_get::<Option<i64>, _>("g")?.unwrap_or(0))
}

/// Makes `generation` the one answering queries and retires the others; returns those it
/// retired, or `None` when it is no longer building (a concurrent swap did it).
pub async fn generation_activate_in_tx(
    tx: &mut Tx,
    projection: &str,
    generation: i64,
    now: Timestamp,
) -> Result<Option<Vec<i64>>, DbError> {
    let done = sqlx::query(
        "UPDATE rm_generations SET state = 'retired', retired_at_us = $1 \
         WHERE projection = $2 AND state = 'active' AND generation <> $3",
    )
    .bind(now.as_micros())
    .bind(projection)
    .bind(generation)
    .execute(&mut **tx)
    .await?;
    let _ = done;
    let activated = sqlx::query(
        "UPDATE rm_generations SET state = 'active', activated_at_us = $1 \
         WHERE projection = $2 AND generation = $3 AND state = 'building'",
    )
    .bind(now.as_micros())
    .bind(projection)
    .bind(generation)
    .execute(&mut **tx)
    .await?;
    if activated.rows_affected() != 1 {
        return Ok(None);
    }
    let retired = sqlx::query(
        "SELECT generation FROM rm_generations WHERE projection = $1 AND state = 'retired' AND retired_at_us = $2",
    )
    .bind(projection)
    .bind(now.as_micros())
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|row| row.try_get("generation"))
    .collect::<Result<Vec<i64>, _>>()?;
    Ok(Some(retired))
}

/// Retires a building generation that will never be swapped in (built by older code);
/// `false` when it is no longer building (swapped in meanwhile).
pub async fn generation_retire_in_tx(
    tx: &mut Tx,
    projection: &str,
    generation: i64,
    now: Timestamp,
) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE rm_generations SET state = 'retired', retired_at_us = $1 \
         WHERE projection = $2 AND generation = $3 AND state = 'building'",
    )
    .bind(now.as_micros())
    .bind(projection)
    .bind(generation)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Takes the generation's row for this transaction if it is still live: a batch and a swap
/// of the same generation queue, and a batch never writes into a retired generation.
pub async fn generation_claim_in_tx(tx: &mut Tx, projection: &str, generation: i64) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE rm_generations SET events_applied = events_applied \
         WHERE projection = $1 AND generation = $2 AND state IN ('active', 'building')",
    )
    .bind(projection)
    .bind(generation)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Retired generations whose documents may go: retired at or before `before`.
pub async fn generations_retired_before<'e, E: Executor<'e, Database = Any>>(
    db: E,
    projection: &str,
    before: Timestamp,
) -> Result<Vec<i64>, DbError> {
    sqlx::query(
        "SELECT generation FROM rm_generations WHERE projection = $1 AND state = 'retired' AND retired_at_us <= $2",
    )
    .bind(projection)
    .bind(before.as_micros())
    .fetch_all(db)
    .await?
    .iter()
    .map(|row| Ok(row.try_get("generation")?))
    .collect()
}

/// Drops a retired generation's documents and scopes.
pub async fn generation_purge_in_tx(tx: &mut Tx, projection: &str, generation: i64) -> Result<(), DbError> {
    for sql in [
        "DELETE FROM rm_docs WHERE projection = $1 AND generation = $2",
        "DELETE FROM rm_scopes WHERE projection = $1 AND generation = $2",
        "UPDATE rm_generations SET state = 'purged' WHERE projection = $1 AND generation = $2 AND state = 'retired'",
    ] {
        sqlx::query(sql)
            .bind(projection)
            .bind(generation)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Records how far the generation has read, with its cursor in the same transaction.
pub async fn generation_progress_in_tx(
    tx: &mut Tx,
    projection: &str,
    generation: i64,
    position: OutboxPosition,
    applied: u64,
    last_event_at: Option<Timestamp>,
) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE rm_generations SET txid = $1, seq = $2, events_applied = events_applied + $3, \
         last_event_at_us = COALESCE($4, last_event_at_us) WHERE projection = $5 AND generation = $6",
    )
    .bind(position.txid)
    .bind(position.seq)
    .bind(i64::try_from(applied).unwrap_or(i64::MAX))
    .bind(last_event_at.map(|t| t.as_micros()))
    .bind(projection)
    .bind(generation)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Keys per `IN (…)` list: well under both backends' bound-parameter limits.
const KEYS_PER_QUERY: usize = 200;

/// The documents under `keys` that exist, as (key, JSON text).
pub async fn docs_by_key(
    conn: &mut sqlx::AnyConnection,
    projection: &str,
    generation: i64,
    keys: &[String],
) -> Result<Vec<(String, String)>, DbError> {
    let mut found = Vec::new();
    for chunk in keys.chunks(KEYS_PER_QUERY) {
        let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 3)).collect();
        let sql = format!(
            "SELECT doc_key, body FROM rm_docs WHERE projection = $1 AND generation = $2 AND doc_key IN ({})",
            marks.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(projection)
            .bind(generation);
        for key in chunk {
            query = query.bind(key);
        }
        for row in query.fetch_all(&mut *conn).await? {
            found.push((row.try_get("doc_key")?, row.try_get("body")?));
        }
    }
    Ok(found)
}

/// The documents whose keys start with `prefix` and sort from `from` to `to` (inclusive,
/// relative to the prefix; `None`: unbounded), in key order.
pub async fn docs_by_prefix<'e, E: Executor<'e, Database = Any>>(
    db: E,
    projection: &str,
    generation: i64,
    prefix: &str,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Vec<(String, String)>, DbError> {
    // Keys are ASCII ids and dates; DEL sorts after all of them.
    let low = format!("{prefix}{}", from.unwrap_or(""));
    let high = match to {
        Some(to) => format!("{prefix}{to}"),
        None => format!("{prefix}\u{7f}"),
    };
    sqlx::query(
        "SELECT doc_key, body FROM rm_docs WHERE projection = $1 AND generation = $2 \
         AND doc_key >= $3 AND doc_key <= $4 ORDER BY doc_key",
    )
    .bind(projection)
    .bind(generation)
    .bind(low)
    .bind(high)
    .fetch_all(db)
    .await?
    .iter()
    .map(|row| Ok((row.try_get("doc_key")?, row.try_get("body")?)))
    .collect()
}

/// Writes a document (`None`: deletes it).
pub async fn doc_write_in_tx(
    tx: &mut Tx,
    projection: &str,
    generation: i64,
    key: &str,
    body: Option<&str>,
) -> Result<(), DbError> {
    match body {
        Some(body) => {
            sqlx::query(
                "INSERT INTO rm_docs (projection, generation, doc_key, body) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (projection, generation, doc_key) DO UPDATE SET body = excluded.body",
            )
            .bind(projection)
            .bind(generation)
            .bind(key)
            .bind(body)
            .execute(&mut **tx)
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM rm_docs WHERE projection = $1 AND generation = $2 AND doc_key = $3")
                .bind(projection)
                .bind(generation)
                .bind(key)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

/// Moves a scope's position to the last event applied to it.
pub async fn scope_touch_in_tx(
    tx: &mut Tx,
    projection: &str,
    generation: i64,
    scope: &str,
    position: OutboxPosition,
    at: Timestamp,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO rm_scopes (projection, generation, scope, txid, seq, last_event_at_us) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (projection, generation, scope) \
         DO UPDATE SET txid = excluded.txid, seq = excluded.seq, last_event_at_us = excluded.last_event_at_us",
    )
    .bind(projection)
    .bind(generation)
    .bind(scope)
    .bind(position.txid)
    .bind(position.seq)
    .bind(at.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The generation answering queries and where `scope` stands in it: what an answer reflects
/// and what its cache key carries. `None`: no generation is active yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScopeState {
    pub generation: i64,
    /// When the generation was made (µs): with the number, it names this generation of this
    /// installation, so two installations (or a recreated database) sharing one Redis never
    /// read each other's answers.
    pub generation_stamp: i64,
    pub position: OutboxPosition,
    pub last_event_at: Option<Timestamp>,
}

pub async fn scope_state<'e, E: Executor<'e, Database = Any>>(
    db: E,
    projection: &str,
    scope: &str,
) -> Result<Option<ScopeState>, DbError> {
    let row = sqlx::query(
        "SELECT g.generation AS generation, g.created_at_us AS stamp, s.txid AS txid, s.seq AS seq, s.last_event_at_us AS at_us \
         FROM rm_generations g LEFT JOIN rm_scopes s ON s.projection = g.projection \
         AND s.generation = g.generation AND s.scope = $2 \
         WHERE g.projection = $1 AND g.state = 'active'",
    )
    .bind(projection)
    .bind(scope)
    .fetch_optional(db)
    .await?;
    row.map(|row| {
        Ok(ScopeState {
            generation: row.try_get("generation")?,
            generation_stamp: row.try_get("stamp")?,
            position: OutboxPosition {
                txid: row.try_get::<Option<i64>, _>("txid")?.unwrap_or(0),
                seq: row.try_get::<Option<i64>, _>("seq")?.unwrap_or(0),
            },
            last_event_at: row
                .try_get::<Option<i64>, _>("at_us")?
                .map(Timestamp::from_micros),
        })
    })
    .transpose()
}

/// Every document of a generation, in key order (tests compare generations with it).
pub async fn docs_all<'e, E: Executor<'e, Database = Any>>(
    db: E,
    projection: &str,
    generation: i64,
) -> Result<Vec<(String, String)>, DbError> {
    docs_by_prefix(db, projection, generation, "", None, None).await
}
