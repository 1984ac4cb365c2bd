//! Stored responses for `Idempotency-Key`: the first request with a key runs and its response is
//! kept; a retry with the same key and body gets that response back, a reuse with another body is
//! refused. The HTTP middleware in `ingotd` drives this; domains never see it.
//!
//! Limit (see docs/adr/0003-idempotency-at-the-edge.md): the response is stored after the handler's
//! own transaction commits, so a crash between the two leaves a `pending` record. A retry during
//! its short TTL gets 409; after it, the request runs again. Money movements therefore carry their
//! own idempotency ids inside the ledger as well.

use std::time::Duration;

use sqlx::Row;

use crate::clock::Timestamp;
use crate::db::{Db, DbError};

/// How long a finished response is replayed.
pub const IDEMPOTENCY_TTL: Duration = Duration::from_secs(24 * 3_600);
/// How long a request may stay `pending` before a retry may run it again.
pub const IDEMPOTENCY_PENDING_TTL: Duration = Duration::from_secs(120);

/// A response kept for replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdempotencyBegin {
    /// First use of the key: run the request, then `complete` or `abandon`.
    Fresh,
    /// Same key, same request, already answered.
    Replay(StoredResponse),
    /// Same key, same request, still running.
    InFlight,
    /// Same key, different request.
    Mismatch,
}

/// Claims `key` within `scope` (the credential) for a request with hash `request_hash`.
pub async fn idempotency_begin(
    db: &Db,
    scope: &str,
    key: &str,
    request_hash: &str,
    now: Timestamp,
) -> Result<IdempotencyBegin, DbError> {
    let mut tx = db.begin().await?;
    // An expired record no longer speaks for its key.
    sqlx::query("DELETE FROM kernel_idempotency WHERE scope = $1 AND idem_key = $2 AND expires_at_us <= $3")
        .bind(scope)
        .bind(key)
        .bind(now.as_micros())
        .execute(&mut *tx)
        .await?;
    let inserted = sqlx::query(
        "INSERT INTO kernel_idempotency (scope, idem_key, request_hash, state, created_at_us, expires_at_us) \
         VALUES ($1, $2, $3, 'pending', $4, $5) ON CONFLICT (scope, idem_key) DO NOTHING",
    )
    .bind(scope)
    .bind(key)
    .bind(request_hash)
    .bind(now.as_micros())
    .bind(now.plus(IDEMPOTENCY_PENDING_TTL).as_micros())
    .execute(&mut *tx)
    .await?;
    let outcome = if inserted.rows_affected() == 1 {
        IdempotencyBegin::Fresh
    } else {
        let row = sqlx::query(
            "SELECT request_hash, state, status, content_type, body FROM kernel_idempotency \
             WHERE scope = $1 AND idem_key = $2",
        )
        .bind(scope)
        .bind(key)
        .fetch_one(&mut *tx)
        .await?;
        let stored_hash: String = row.try_get("request_hash")?;
        let state: String = row.try_get("state")?;
        if stored_hash != request_hash {
            IdempotencyBegin::Mismatch
        } else if state == "done" {
            let status: i64 = row.try_get("status")?;
            IdempotencyBegin::Replay(StoredResponse {
                status: u16::try_from(status).unwrap_or(500),
                content_type: row.try_get("content_type")?,
                body: row.try_get("body")?,
            })
        } else {
            IdempotencyBegin::InFlight
        }
    };
    tx.commit().await?;
    Ok(outcome)
}

/// Stores the response of a `Fresh` request for replay.
pub async fn idempotency_complete(
    db: &Db,
    scope: &str,
    key: &str,
    response: &StoredResponse,
    now: Timestamp,
) -> Result<(), DbError> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE kernel_idempotency SET state = 'done', status = $1, content_type = $2, body = $3, \
         expires_at_us = $4 WHERE scope = $5 AND idem_key = $6",
    )
    .bind(i64::from(response.status))
    .bind(response.content_type.as_deref())
    .bind(&response.body)
    .bind(now.plus(IDEMPOTENCY_TTL).as_micros())
    .bind(scope)
    .bind(key)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Forgets a `Fresh` claim whose request failed in a way worth retrying (5xx, timeout).
/// `claimed_at` is the time the claim was made with: a later claim of the same key (once this one
/// expired, or was already forgotten) is another request's, and is left alone.
pub async fn idempotency_abandon(
    db: &Db,
    scope: &str,
    key: &str,
    claimed_at: Timestamp,
) -> Result<(), DbError> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "DELETE FROM kernel_idempotency WHERE scope = $1 AND idem_key = $2 AND state = 'pending' \
         AND created_at_us = $3",
    )
    .bind(scope)
    .bind(key)
    .bind(claimed_at.as_micros())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes up to `batch_max` expired records; returns how many.
pub async fn idempotency_purge_expired(db: &Db, now: Timestamp, batch_max: i64) -> Result<u64, DbError> {
    let mut tx = db.begin().await?;
    let done = sqlx::query(
        "DELETE FROM kernel_idempotency WHERE (scope, idem_key) IN \
         (SELECT scope, idem_key FROM kernel_idempotency WHERE expires_at_us <= $1 LIMIT $2)",
    )
    .bind(now.as_micros())
    .bind(batch_max)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(done.rows_affected())
}

/// Deletes expired idempotency records, a bounded batch per pass.
#[derive(Debug)]
pub struct IdempotencyPurge {
    pub db: Db,
    pub clock: std::sync::Arc<dyn crate::clock::Clock>,
}

impl crate::worker::Controller for IdempotencyPurge {
    fn name(&self) -> &'static str {
        "kernel.idempotency_purge"
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(60)
    }

    fn reconcile(&self) -> crate::worker::ReconcileFuture<'_> {
        Box::pin(async move {
            idempotency_purge_expired(&self.db, self.clock.now(), 1_000).await?;
            Ok(())
        })
    }
}
