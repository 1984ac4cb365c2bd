//! Operations store: SQL for the `ops_*` tables only (incidents, their timelines, pages owed).

use ingot_contracts::operations::{IncidentState, IncidentView, Severity, TimelineEntry};
use ingot_kernel::Timestamp;
use ingot_kernel::db::column::{corrupt, parse};
use ingot_kernel::db::{DbError, Tx};
use ingot_kernel::id::{IncidentId, new_ulid};
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};

/// An incident as kept: its view (timeline empty) and the paging bookkeeping.
#[derive(Debug, Clone)]
pub struct IncidentRow {
    pub view: IncidentView,
    pub paged_at: Option<Timestamp>,
}

const INCIDENT_COLUMNS: &str = "id, rule, subject, context, severity, state, title, summary, runbook, firing, \
     site_id, node_id, opened_at_us, last_fired_at_us, paged_at_us, escalated_at_us, paging_held, \
     acknowledged_at_us, acknowledged_by, resolved_at_us, resolved_by";

fn at(row: &AnyRow, column: &str) -> Result<Option<Timestamp>, DbError> {
    Ok(row.try_get::<Option<i64>, _>(column)?.map(Timestamp::from_micros))
}

fn optional_id<T: std::str::FromStr>(row: &AnyRow, column: &str, what: &str) -> Result<Option<T>, DbError> {
    row.try_get::<Option<String>, _>(column)?
        .map(|text| parse(&text, what))
        .transpose()
}

fn incident_from_row(row: &AnyRow) -> Result<IncidentRow, DbError> {
    let severity: String = row.try_get("severity")?;
    let state: String = row.try_get("state")?;
    Ok(IncidentRow {
        view: IncidentView {
            id: parse(&row.try_get::<String, _>("id")?, "incident id")?,
            rule: row.try_get("rule")?,
            subject: row.try_get("subject")?,
            context: row.try_get("context")?,
            severity: Severity::parse(&severity).ok_or_else(|| corrupt("incident severity"))?,
            state: IncidentState::parse(&state).ok_or_else(|| corrupt("incident state"))?,
            title: row.try_get("title")?,
            summary: row.try_get("summary")?,
            runbook: row.try_get("runbook")?,
            firing: row.try_get::<i64, _>("firing")? == 1,
            opened_at: Timestamp::from_micros(row.try_get("opened_at_us")?),
            last_fired_at: Timestamp::from_micros(row.try_get("last_fired_at_us")?),
            acknowledged_at: at(row, "acknowledged_at_us")?,
            acknowledged_by: optional_id(row, "acknowledged_by", "user id")?,
            resolved_at: at(row, "resolved_at_us")?,
            resolved_by: optional_id(row, "resolved_by", "user id")?,
            escalated_at: at(row, "escalated_at_us")?,
            paging_held: row.try_get("paging_held")?,
            site_id: optional_id(row, "site_id", "site id")?,
            node_id: optional_id(row, "node_id", "node id")?,
            timeline: Vec::new(),
        },
        paged_at: at(row, "paged_at_us")?,
    })
}

pub async fn incident_insert_in_tx(tx: &mut Tx, view: &IncidentView) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO ops_incidents (id, rule, subject, context, severity, state, title, summary, runbook, firing, \
         site_id, node_id, opened_at_us, last_fired_at_us) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(view.id.to_string())
    .bind(&view.rule)
    .bind(&view.subject)
    .bind(&view.context)
    .bind(view.severity.as_str())
    .bind(view.state.as_str())
    .bind(&view.title)
    .bind(&view.summary)
    .bind(&view.runbook)
    .bind(i64::from(view.firing))
    .bind(view.site_id.map(|id| id.to_string()))
    .bind(view.node_id.map(|id| id.to_string()))
    .bind(view.opened_at.as_micros())
    .bind(view.last_fired_at.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The unresolved incident for a rule and subject, if any (at most one: a unique index).
pub async fn incident_unresolved_in_tx(
    tx: &mut Tx,
    rule: &str,
    subject: &str,
) -> Result<Option<IncidentRow>, DbError> {
    let sql = format!(
        "SELECT {INCIDENT_COLUMNS} FROM ops_incidents WHERE rule = $1 AND subject = $2 AND state <> 'resolved'"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(rule)
        .bind(subject)
        .fetch_optional(&mut **tx)
        .await?
        .as_ref()
        .map(incident_from_row)
        .transpose()
}

/// The latest firing: its summary and time, and that it holds.
pub async fn incident_fired_in_tx(
    tx: &mut Tx,
    id: IncidentId,
    summary: &str,
    now: Timestamp,
) -> Result<(), DbError> {
    sqlx::query("UPDATE ops_incidents SET summary = $1, last_fired_at_us = $2, firing = 1 WHERE id = $3")
        .bind(summary)
        .bind(now.as_micros())
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn incident_cleared_in_tx(tx: &mut Tx, id: IncidentId) -> Result<(), DbError> {
    sqlx::query("UPDATE ops_incidents SET firing = 0 WHERE id = $1")
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Every incident not yet resolved, oldest first.
pub async fn incidents_unresolved<'e, E: Executor<'e, Database = Any>>(
    db: E,
) -> Result<Vec<IncidentRow>, DbError> {
    let sql = format!("SELECT {INCIDENT_COLUMNS} FROM ops_incidents WHERE state <> 'resolved' ORDER BY id");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(db)
        .await?
        .iter()
        .map(incident_from_row)
        .collect()
}

pub async fn incident_get<'e, E: Executor<'e, Database = Any>>(
    db: E,
    id: IncidentId,
) -> Result<Option<IncidentRow>, DbError> {
    let sql = format!("SELECT {INCIDENT_COLUMNS} FROM ops_incidents WHERE id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(incident_from_row)
        .transpose()
}

/// Locks the incident for a change (PostgreSQL; SQLite's writer lock already serialises).
pub async fn incident_get_in_tx(
    tx: &mut Tx,
    id: IncidentId,
    postgres: bool,
) -> Result<Option<IncidentRow>, DbError> {
    let lock = if postgres { " FOR UPDATE" } else { "" };
    let sql = format!("SELECT {INCIDENT_COLUMNS} FROM ops_incidents WHERE id = $1{lock}");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_optional(&mut **tx)
        .await?
        .as_ref()
        .map(incident_from_row)
        .transpose()
}

/// Which incidents a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateFilter {
    Unresolved,
    Only(IncidentState),
    All,
}

/// Newest first, after the cursor's id, `limit + 1` rows.
pub async fn incidents_page<'e, E: Executor<'e, Database = Any>>(
    db: E,
    states: StateFilter,
    before: Option<IncidentId>,
    limit: u32,
) -> Result<Vec<IncidentRow>, DbError> {
    let state_clause = match states {
        StateFilter::Unresolved => "state <> 'resolved'",
        StateFilter::Only(_) => "state = $3",
        StateFilter::All => "1 = 1",
    };
    let sql = format!(
        "SELECT {INCIDENT_COLUMNS} FROM ops_incidents WHERE {state_clause} AND ($1 = '' OR id < $1) \
         ORDER BY id DESC LIMIT $2"
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(before.map(|id| id.to_string()).unwrap_or_default())
        .bind(i64::from(limit) + 1);
    if let StateFilter::Only(state) = states {
        query = query.bind(state.as_str());
    }
    query.fetch_all(db).await?.iter().map(incident_from_row).collect()
}

/// Marks the first pages queued; `false` when they already were (the caller queues nothing).
pub async fn incident_paged_in_tx(tx: &mut Tx, id: IncidentId, now: Timestamp) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE ops_incidents SET paged_at_us = $1 WHERE id = $2 AND paged_at_us IS NULL AND state <> 'resolved'",
    )
    .bind(now.as_micros())
    .bind(id.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks the escalation; `false` when it already happened (the caller queues nothing).
pub async fn incident_escalated_in_tx(tx: &mut Tx, id: IncidentId, now: Timestamp) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE ops_incidents SET escalated_at_us = $1 WHERE id = $2 AND escalated_at_us IS NULL AND state <> 'resolved'",
    )
    .bind(now.as_micros())
    .bind(id.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Withdraws the pages not yet sent (the incident was resolved first); their number.
pub async fn pages_cancel_in_tx(tx: &mut Tx, incident_id: IncidentId) -> Result<u64, DbError> {
    let done = sqlx::query(
        "UPDATE ops_pages SET state = 'cancelled' WHERE incident_id = $1 AND state = 'pending' AND reason <> 'resolved'",
    )
    .bind(incident_id.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

pub async fn incident_paging_held_in_tx(
    tx: &mut Tx,
    id: IncidentId,
    held: Option<&str>,
) -> Result<(), DbError> {
    sqlx::query("UPDATE ops_incidents SET paging_held = $1 WHERE id = $2")
        .bind(held)
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Moves an incident to `acknowledged` (from open) or `resolved` (from either), recording who
/// and when; a move the state does not allow changes nothing.
pub async fn incident_state_set_in_tx(
    tx: &mut Tx,
    id: IncidentId,
    to: IncidentState,
    by: &str,
    now: Timestamp,
) -> Result<(), DbError> {
    let sql = match to {
        IncidentState::Acknowledged => {
            "UPDATE ops_incidents SET state = 'acknowledged', acknowledged_at_us = $1, acknowledged_by = $2 \
             WHERE id = $3 AND state = 'open'"
        }
        IncidentState::Resolved => {
            "UPDATE ops_incidents SET state = 'resolved', resolved_at_us = $1, resolved_by = $2 \
             WHERE id = $3 AND state <> 'resolved'"
        }
        IncidentState::Open => return Ok(()),
    };
    sqlx::query(sql)
        .bind(now.as_micros())
        .bind(by)
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn timeline_append_in_tx(
    tx: &mut Tx,
    incident_id: IncidentId,
    at: Timestamp,
    kind: &str,
    detail: &str,
) -> Result<(), DbError> {
    sqlx::query("INSERT INTO ops_incident_timeline (id, incident_id, at_us, kind, detail) VALUES ($1, $2, $3, $4, $5)")
        .bind(new_ulid().to_string())
        .bind(incident_id.to_string())
        .bind(at.as_micros())
        .bind(kind)
        .bind(detail)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Oldest first (ULIDs made by one process sort in creation order; ties across replicas fall
/// back to time).
pub async fn timeline_of<'e, E: Executor<'e, Database = Any>>(
    db: E,
    incident_id: IncidentId,
) -> Result<Vec<TimelineEntry>, DbError> {
    let rows = sqlx::query(
        "SELECT at_us, kind, detail FROM ops_incident_timeline WHERE incident_id = $1 ORDER BY at_us, id",
    )
    .bind(incident_id.to_string())
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(TimelineEntry {
                at: Timestamp::from_micros(row.try_get("at_us")?),
                kind: row.try_get("kind")?,
                detail: row.try_get("detail")?,
            })
        })
        .collect()
}

/// A page owed to one person (or role) over one channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRow {
    pub id: String,
    pub incident_id: IncidentId,
    /// `opened` or `escalated`.
    pub reason: String,
    pub role: String,
    pub person: Option<String>,
    pub channel: String,
    pub attempts: u32,
}

pub async fn page_insert_in_tx(tx: &mut Tx, page: &PageRow, now: Timestamp) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO ops_pages (id, incident_id, reason, role, person, channel, state, attempts, \
         next_attempt_at_us, created_at_us) VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7)",
    )
    .bind(&page.id)
    .bind(page.incident_id.to_string())
    .bind(&page.reason)
    .bind(&page.role)
    .bind(page.person.as_deref())
    .bind(&page.channel)
    .bind(now.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Pending pages due at `now`, oldest first.
pub async fn pages_due<'e, E: Executor<'e, Database = Any>>(
    db: E,
    now: Timestamp,
    limit: i64,
) -> Result<Vec<PageRow>, DbError> {
    let rows = sqlx::query(
        "SELECT id, incident_id, reason, role, person, channel, attempts FROM ops_pages \
         WHERE state = 'pending' AND next_attempt_at_us <= $1 ORDER BY next_attempt_at_us, id LIMIT $2",
    )
    .bind(now.as_micros())
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(PageRow {
                id: row.try_get("id")?,
                incident_id: parse(&row.try_get::<String, _>("incident_id")?, "incident id")?,
                reason: row.try_get("reason")?,
                role: row.try_get("role")?,
                person: row.try_get("person")?,
                channel: row.try_get("channel")?,
                attempts: u32::try_from(row.try_get::<i64, _>("attempts")?)
                    .map_err(|_| corrupt("page attempts"))?,
            })
        })
        .collect()
}

/// Records an attempt's outcome: `sent`, `pending` again at `next`, or `failed` for good.
/// Only a page still pending is changed, so two replicas finishing the same page record it once;
/// `false` when another got there first.
pub async fn page_attempted_in_tx(
    tx: &mut Tx,
    id: &str,
    state: &str,
    attempts: u32,
    next: Timestamp,
    error: Option<&str>,
    now: Timestamp,
) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE ops_pages SET state = $1, attempts = $2, next_attempt_at_us = $3, last_error = $4, \
         sent_at_us = CASE WHEN $1 = 'sent' THEN $5 ELSE sent_at_us END \
         WHERE id = $6 AND state = 'pending' AND attempts = $7",
    )
    .bind(state)
    .bind(i64::from(attempts))
    .bind(next.as_micros())
    .bind(error)
    .bind(now.as_micros())
    .bind(id)
    .bind(i64::from(attempts.saturating_sub(1)))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A page as kept, for deciding what a resolution must tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageState {
    pub reason: String,
    pub role: String,
    pub person: Option<String>,
    pub channel: String,
    pub state: String,
    pub attempts: u32,
}

/// Pages of an incident, oldest first.
pub async fn pages_of<'e, E: Executor<'e, Database = Any>>(
    db: E,
    incident_id: IncidentId,
) -> Result<Vec<PageState>, DbError> {
    let rows = sqlx::query(
        "SELECT reason, role, person, channel, state, attempts FROM ops_pages WHERE incident_id = $1 \
         ORDER BY created_at_us, id",
    )
    .bind(incident_id.to_string())
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(PageState {
                reason: row.try_get("reason")?,
                role: row.try_get("role")?,
                person: row.try_get("person")?,
                channel: row.try_get("channel")?,
                state: row.try_get("state")?,
                attempts: u32::try_from(row.try_get::<i64, _>("attempts")?)
                    .map_err(|_| corrupt("page attempts"))?,
            })
        })
        .collect()
}
