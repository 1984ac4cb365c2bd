//! The audit log: append-only and hash-chained. Each record's hash covers the previous record's
//! hash and every field of its own; `iam_audit_head` holds the latest position and hash. Appends
//! lock the head row, so records chain in commit order on both backends; verification walks the
//! chain and names the first record that was edited, removed, or cut off the end.

use ingot_contracts::iam::{Actor, AuditBreak, AuditVerifyReport, CredentialRef, Origin};
use ingot_kernel::Timestamp;
use ingot_kernel::db::{Db, DbError, Tx};
use ingot_kernel::id::{TenantId, UserId};
use sha2::{Digest, Sha256};
use sqlx::Row;

/// What happened, as the audit log records it.
#[derive(Debug, Clone)]
pub struct AuditRecord {
    /// `iam.login`, `iam.token.create`, …
    pub action: &'static str,
    /// `success`, `failure`, `denied`.
    pub outcome: &'static str,
    pub actor_user_id: Option<UserId>,
    pub credential: Option<String>,
    pub target: Option<String>,
    pub tenant_id: Option<TenantId>,
    pub origin: Origin,
    /// Decision inputs and context; never secrets or personal data beyond ids.
    pub details: serde_json::Value,
}

impl AuditRecord {
    /// A record of `actor` doing `action`.
    pub fn by(actor: &Actor, action: &'static str, outcome: &'static str) -> AuditRecord {
        AuditRecord {
            action,
            outcome,
            actor_user_id: actor.user_id,
            credential: actor.credential.map(credential_text),
            target: None,
            tenant_id: None,
            origin: actor.origin.clone(),
            details: serde_json::json!({}),
        }
    }

    pub fn anonymous(origin: &Origin, action: &'static str, outcome: &'static str) -> AuditRecord {
        AuditRecord {
            action,
            outcome,
            actor_user_id: None,
            credential: None,
            target: None,
            tenant_id: None,
            origin: origin.clone(),
            details: serde_json::json!({}),
        }
    }

    pub fn target(mut self, target: impl ToString) -> AuditRecord {
        self.target = Some(target.to_string());
        self
    }

    pub fn tenant(mut self, tenant_id: TenantId) -> AuditRecord {
        self.tenant_id = Some(tenant_id);
        self
    }

    pub fn details(mut self, details: serde_json::Value) -> AuditRecord {
        self.details = details;
        self
    }
}

/// `session:ses_…` / `api_token:tok_…`.
pub fn credential_text(credential: CredentialRef) -> String {
    match credential {
        CredentialRef::Session(id) => format!("session:{id}"),
        CredentialRef::ApiToken(id) => format!("api_token:{id}"),
    }
}

/// The stored fields, in the order they are hashed.
struct Stored {
    position: i64,
    at_us: i64,
    action: String,
    outcome: String,
    actor_user_id: Option<String>,
    credential: Option<String>,
    target: Option<String>,
    tenant_id: Option<String>,
    source_ip: Option<String>,
    request_id: Option<String>,
    details: String,
}

fn chain_hash(previous: &str, record: &Stored) -> String {
    let mut hasher = Sha256::new();
    let field = |hasher: &mut Sha256, value: Option<&str>| {
        // Length-prefixed, so no two different records hash the same text.
        match value {
            Some(text) => {
                hasher.update((text.len() as u64).to_be_bytes());
                hasher.update(text.as_bytes());
            }
            None => hasher.update(u64::MAX.to_be_bytes()),
        }
    };
    field(&mut hasher, Some(previous));
    hasher.update(record.position.to_be_bytes());
    hasher.update(record.at_us.to_be_bytes());
    field(&mut hasher, Some(&record.action));
    field(&mut hasher, Some(&record.outcome));
    field(&mut hasher, record.actor_user_id.as_deref());
    field(&mut hasher, record.credential.as_deref());
    field(&mut hasher, record.target.as_deref());
    field(&mut hasher, record.tenant_id.as_deref());
    field(&mut hasher, record.source_ip.as_deref());
    field(&mut hasher, record.request_id.as_deref());
    field(&mut hasher, Some(&record.details));
    format!("{:x}", hasher.finalize())
}

/// Appends `record` inside the caller's transaction: it is kept exactly when the change it
/// describes is.
pub async fn audit_append_in_tx(tx: &mut Tx, record: &AuditRecord, now: Timestamp) -> Result<i64, DbError> {
    let head = sqlx::query(
        "UPDATE iam_audit_head SET position = position + 1 WHERE id = 1 RETURNING position, hash",
    )
    .fetch_one(&mut **tx)
    .await?;
    let position: i64 = head.try_get("position")?;
    let previous: String = head.try_get("hash")?;
    let stored = Stored {
        position,
        at_us: now.as_micros(),
        action: record.action.to_string(),
        outcome: record.outcome.to_string(),
        actor_user_id: record.actor_user_id.map(|id| id.to_string()),
        credential: record.credential.clone(),
        target: record.target.clone(),
        tenant_id: record.tenant_id.map(|id| id.to_string()),
        source_ip: record.origin.source_ip.clone(),
        request_id: record.origin.request_id.clone(),
        details: record.details.to_string(),
    };
    let hash = chain_hash(&previous, &stored);
    sqlx::query(
        "INSERT INTO iam_audit_events (position, at_us, action, outcome, actor_user_id, credential, target, \
         tenant_id, source_ip, request_id, details, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(stored.position)
    .bind(stored.at_us)
    .bind(&stored.action)
    .bind(&stored.outcome)
    .bind(stored.actor_user_id.as_deref())
    .bind(stored.credential.as_deref())
    .bind(stored.target.as_deref())
    .bind(stored.tenant_id.as_deref())
    .bind(stored.source_ip.as_deref())
    .bind(stored.request_id.as_deref())
    .bind(&stored.details)
    .bind(&hash)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE iam_audit_head SET hash = $1 WHERE id = 1")
        .bind(&hash)
        .execute(&mut **tx)
        .await?;
    Ok(position)
}

/// Appends `record` in a transaction of its own (failed logins and other events that change nothing).
pub async fn audit_append(db: &Db, record: &AuditRecord, now: Timestamp) -> Result<i64, DbError> {
    let mut tx = db.begin().await?;
    let position = audit_append_in_tx(&mut tx, record, now).await?;
    tx.commit().await?;
    Ok(position)
}

/// Records are verified in batches of this many.
const VERIFY_BATCH: i64 = 1_000;

/// Walks the whole chain. Reads one snapshot per batch; records appended meanwhile past the head
/// read at the start are not checked this time.
pub async fn audit_verify(db: &Db) -> Result<AuditVerifyReport, DbError> {
    let head = sqlx::query("SELECT position, hash FROM iam_audit_head WHERE id = 1")
        .fetch_one(db.reader())
        .await?;
    let head_position: i64 = head.try_get("position")?;
    let head_hash: String = head.try_get("hash")?;
    let mut previous = "genesis".to_string();
    let mut expected = 1;
    let broken = |position: i64, reason: &str, checked: i64| AuditVerifyReport {
        ok: false,
        records_checked: checked,
        first_break: Some(AuditBreak {
            position,
            reason: reason.into(),
        }),
    };
    while expected <= head_position {
        let rows = sqlx::query(
            "SELECT position, at_us, action, outcome, actor_user_id, credential, target, tenant_id, source_ip, \
             request_id, details, hash FROM iam_audit_events WHERE position >= $1 AND position <= $2 \
             ORDER BY position LIMIT $3",
        )
        .bind(expected)
        .bind(head_position)
        .bind(VERIFY_BATCH)
        .fetch_all(db.reader())
        .await?;
        if rows.is_empty() {
            return Ok(broken(expected, "truncated", expected - 1));
        }
        for row in rows {
            let stored = Stored {
                position: row.try_get("position")?,
                at_us: row.try_get("at_us")?,
                action: row.try_get("action")?,
                outcome: row.try_get("outcome")?,
                actor_user_id: row.try_get("actor_user_id")?,
                credential: row.try_get("credential")?,
                target: row.try_get("target")?,
                tenant_id: row.try_get("tenant_id")?,
                source_ip: row.try_get("source_ip")?,
                request_id: row.try_get("request_id")?,
                details: row.try_get("details")?,
            };
            if stored.position != expected {
                return Ok(broken(expected, "missing", expected - 1));
            }
            let hash: String = row.try_get("hash")?;
            if chain_hash(&previous, &stored) != hash {
                return Ok(broken(expected, "edited", expected - 1));
            }
            previous = hash;
            expected += 1;
        }
    }
    if previous != head_hash && head_position > 0 {
        return Ok(broken(head_position, "edited", head_position));
    }
    Ok(AuditVerifyReport {
        ok: true,
        records_checked: head_position,
        first_break: None,
    })
}

/// Records after `after_position`, oldest first, all or one tenant's; `limit` rows at most.
pub async fn audit_list(
    db: &Db,
    tenant_id: Option<TenantId>,
    after_position: i64,
    limit: i64,
) -> Result<Vec<ingot_contracts::iam::AuditEventView>, DbError> {
    let rows = match tenant_id {
        Some(tenant_id) => {
            sqlx::query("SELECT * FROM iam_audit_events WHERE tenant_id = $1 AND position > $2 ORDER BY position LIMIT $3")
                .bind(tenant_id.to_string())
                .bind(after_position)
                .bind(limit)
                .fetch_all(db.reader())
                .await?
        }
        None => {
            sqlx::query("SELECT * FROM iam_audit_events WHERE position > $1 ORDER BY position LIMIT $2")
                .bind(after_position)
                .bind(limit)
                .fetch_all(db.reader())
                .await?
        }
    };
    rows.iter().map(audit_view).collect()
}

fn audit_view(row: &sqlx::any::AnyRow) -> Result<ingot_contracts::iam::AuditEventView, DbError> {
    use ingot_kernel::db::column::{from_json, parse};
    let actor: Option<String> = row.try_get("actor_user_id")?;
    let tenant: Option<String> = row.try_get("tenant_id")?;
    Ok(ingot_contracts::iam::AuditEventView {
        position: row.try_get("position")?,
        at: Timestamp::from_micros(row.try_get("at_us")?),
        action: row.try_get("action")?,
        outcome: row.try_get("outcome")?,
        actor_user_id: actor.map(|a| parse(&a, "audit actor")).transpose()?,
        credential: row.try_get("credential")?,
        target: row.try_get("target")?,
        tenant_id: tenant.map(|t| parse(&t, "audit tenant")).transpose()?,
        source_ip: row.try_get("source_ip")?,
        request_id: row.try_get("request_id")?,
        details: from_json(&row.try_get::<String, _>("details")?, "audit details")?,
    })
}
