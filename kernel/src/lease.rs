//! Database leases: with several `ingotd` replicas, each controller runs where it holds its lease.
//! A lease is a row with a holder and an expiry; taking it over is one conditional upsert, so two
//! holders can never both be granted overlapping terms. A crashed holder simply stops renewing and
//! the lease is taken over once its term ends. Each change of holder bumps a fencing `token`.
//!
//! Time comes from the callers' `Clock`; replicas are assumed to keep clocks within a small
//! fraction of the TTL of each other (NTP), which is why TTLs are seconds, not milliseconds.

use std::time::Duration;

use sqlx::Row;

use crate::clock::Timestamp;
use crate::db::{Db, DbError};

/// A term granted to `holder` until `expires_at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub name: String,
    pub holder: String,
    /// Increases every time the lease changes hands; never on renewal.
    pub token: i64,
    pub expires_at: Timestamp,
}

/// Takes or renews `name` for `holder` until `now + ttl`. `None` when another holder's term has
/// not yet ended.
pub async fn lease_acquire(
    db: &Db,
    name: &str,
    holder: &str,
    ttl: Duration,
    now: Timestamp,
) -> Result<Option<Lease>, DbError> {
    let expires_at = now.plus(ttl);
    let mut tx = db.begin().await?;
    // Invariant: terms never overlap. The WHERE only lets a new holder in once the old term ended,
    // and PostgreSQL re-checks it against the latest row version under the row lock.
    let row = sqlx::query(
        "INSERT INTO kernel_leases (name, holder, token, expires_at_us) VALUES ($1, $2, 1, $3) \
         ON CONFLICT (name) DO UPDATE SET \
           token = CASE WHEN kernel_leases.holder = excluded.holder THEN kernel_leases.token \
                        ELSE kernel_leases.token + 1 END, \
           holder = excluded.holder, \
           expires_at_us = excluded.expires_at_us \
         WHERE kernel_leases.holder = excluded.holder OR kernel_leases.expires_at_us <= $4 \
         RETURNING holder, token, expires_at_us",
    )
    .bind(name)
    .bind(holder)
    .bind(expires_at.as_micros())
    .bind(now.as_micros())
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(Lease {
        name: name.to_string(),
        holder: row.try_get("holder")?,
        token: row.try_get("token")?,
        expires_at: Timestamp::from_micros(row.try_get("expires_at_us")?),
    }))
}

/// Ends `holder`'s term early (on clean shutdown), so another replica need not wait for expiry.
pub async fn lease_release(db: &Db, name: &str, holder: &str, now: Timestamp) -> Result<(), DbError> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE kernel_leases SET expires_at_us = $1 WHERE name = $2 AND holder = $3 AND expires_at_us > $1",
    )
    .bind(now.as_micros())
    .bind(name)
    .bind(holder)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Every lease as it stands (current or last holder, term end), by name: what watches whether
/// each controller is being driven reads this, never the table.
pub async fn leases_all(db: &Db) -> Result<Vec<Lease>, DbError> {
    let rows = sqlx::query("SELECT name, holder, token, expires_at_us FROM kernel_leases ORDER BY name")
        .fetch_all(db.reader())
        .await?;
    rows.iter()
        .map(|row| {
            Ok(Lease {
                name: row.try_get("name")?,
                holder: row.try_get("holder")?,
                token: row.try_get("token")?,
                expires_at: Timestamp::from_micros(row.try_get("expires_at_us")?),
            })
        })
        .collect()
}
