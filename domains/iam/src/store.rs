//! IAM store: SQL for the `iam_*` tables only; converts rows to contracts views and back.

use ingot_contracts::iam::{
    MemberView, PlatformRole, ProjectView, TenantRole, TenantView, TokenView, UserView,
};
use ingot_kernel::Timestamp;
use ingot_kernel::db::column::{corrupt, enum_from_text, enum_to_text, parse};
use ingot_kernel::db::{DbError, Tx};
use ingot_kernel::id::{ApiTokenId, ProjectId, SessionId, TenantId, UserId};
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};

fn opt_ts(row: &AnyRow, column: &str) -> Result<Option<Timestamp>, DbError> {
    Ok(row.try_get::<Option<i64>, _>(column)?.map(Timestamp::from_micros))
}

/// A user row, with the secret hash that never leaves the service.
#[derive(Debug, Clone)]
pub struct UserRow {
    pub view: UserView,
    pub password_hash: String,
}

pub fn platform_roles_text(roles: &[PlatformRole]) -> String {
    roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(" ")
}

fn user_from_row(row: &AnyRow) -> Result<UserRow, DbError> {
    let roles: String = row.try_get("platform_roles")?;
    Ok(UserRow {
        view: UserView {
            id: parse(&row.try_get::<String, _>("id")?, "user id")?,
            email: row.try_get("email")?,
            display_name: row.try_get("display_name")?,
            platform_roles: roles.split_whitespace().filter_map(PlatformRole::parse).collect(),
            mfa_enabled: row.try_get::<i64, _>("totp_enabled")? != 0,
            created_at: Timestamp::from_micros(row.try_get("created_at_us")?),
        },
        password_hash: row.try_get("password_hash")?,
    })
}

const USER_COLUMNS: &str =
    "id, email, display_name, password_hash, platform_roles, totp_enabled, created_at_us";

pub async fn user_insert_in_tx(tx: &mut Tx, user: &UserView, password_hash: &str) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO iam_users (id, email, display_name, password_hash, platform_roles, totp_enabled, created_at_us, \
         password_changed_at_us) VALUES ($1, $2, $3, $4, $5, 0, $6, $6)",
    )
    .bind(user.id.to_string())
    .bind(&user.email)
    .bind(&user.display_name)
    .bind(password_hash)
    .bind(platform_roles_text(&user.platform_roles))
    .bind(user.created_at.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn user_by_email<'e, E: Executor<'e, Database = Any>>(
    db: E,
    email: &str,
) -> Result<Option<UserRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM iam_users WHERE email = $1"));
    sqlx::query(sql)
        .bind(email)
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(user_from_row)
        .transpose()
}

pub async fn user_by_id<'e, E: Executor<'e, Database = Any>>(
    db: E,
    id: UserId,
) -> Result<Option<UserRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM iam_users WHERE id = $1"));
    sqlx::query(sql)
        .bind(id.to_string())
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(user_from_row)
        .transpose()
}

pub async fn user_credentials_update_in_tx(
    tx: &mut Tx,
    id: UserId,
    password_hash: &str,
    platform_roles: &[PlatformRole],
    now: Timestamp,
) -> Result<(), DbError> {
    sqlx::query("UPDATE iam_users SET password_hash = $1, platform_roles = $2, password_changed_at_us = $3 WHERE id = $4")
        .bind(password_hash)
        .bind(platform_roles_text(platform_roles))
        .bind(now.as_micros())
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn tenant_from_row(row: &AnyRow) -> Result<TenantView, DbError> {
    Ok(TenantView {
        id: parse(&row.try_get::<String, _>("id")?, "tenant id")?,
        name: row.try_get("name")?,
        require_mfa: row.try_get::<i64, _>("require_mfa")? != 0,
        created_at: Timestamp::from_micros(row.try_get("created_at_us")?),
        role: row
            .try_get::<Option<String>, _>("role")
            .ok()
            .flatten()
            .and_then(|r| TenantRole::parse(&r)),
    })
}

pub async fn tenant_insert_in_tx(tx: &mut Tx, tenant: &TenantView) -> Result<(), DbError> {
    sqlx::query("INSERT INTO iam_tenants (id, name, require_mfa, created_at_us) VALUES ($1, $2, $3, $4)")
        .bind(tenant.id.to_string())
        .bind(&tenant.name)
        .bind(i64::from(tenant.require_mfa))
        .bind(tenant.created_at.as_micros())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn tenant_by_id<'e, E: Executor<'e, Database = Any>>(
    db: E,
    id: TenantId,
) -> Result<Option<TenantView>, DbError> {
    sqlx::query("SELECT id, name, require_mfa, created_at_us FROM iam_tenants WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(tenant_from_row)
        .transpose()
}

/// The tenants `user_id` belongs to, with the role in each.
pub async fn tenants_of_user<'e, E: Executor<'e, Database = Any>>(
    db: E,
    user_id: UserId,
) -> Result<Vec<TenantView>, DbError> {
    sqlx::query(
        "SELECT t.id, t.name, t.require_mfa, t.created_at_us, m.role FROM iam_memberships m \
         JOIN iam_tenants t ON t.id = m.tenant_id WHERE m.user_id = $1 ORDER BY t.id",
    )
    .bind(user_id.to_string())
    .fetch_all(db)
    .await?
    .iter()
    .map(tenant_from_row)
    .collect()
}

fn project_from_row(row: &AnyRow) -> Result<ProjectView, DbError> {
    Ok(ProjectView {
        id: parse(&row.try_get::<String, _>("id")?, "project id")?,
        tenant_id: parse(&row.try_get::<String, _>("tenant_id")?, "tenant id")?,
        name: row.try_get("name")?,
        created_at: Timestamp::from_micros(row.try_get("created_at_us")?),
    })
}

pub async fn project_insert_in_tx(tx: &mut Tx, project: &ProjectView) -> Result<(), DbError> {
    sqlx::query("INSERT INTO iam_projects (id, tenant_id, name, created_at_us) VALUES ($1, $2, $3, $4)")
        .bind(project.id.to_string())
        .bind(project.tenant_id.to_string())
        .bind(&project.name)
        .bind(project.created_at.as_micros())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn project_by_id<'e, E: Executor<'e, Database = Any>>(
    db: E,
    id: ProjectId,
) -> Result<Option<ProjectView>, DbError> {
    sqlx::query("SELECT id, tenant_id, name, created_at_us FROM iam_projects WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(project_from_row)
        .transpose()
}

pub async fn projects_of_tenant<'e, E: Executor<'e, Database = Any>>(
    db: E,
    tenant_id: TenantId,
) -> Result<Vec<ProjectView>, DbError> {
    sqlx::query(
        "SELECT id, tenant_id, name, created_at_us FROM iam_projects WHERE tenant_id = $1 ORDER BY id",
    )
    .bind(tenant_id.to_string())
    .fetch_all(db)
    .await?
    .iter()
    .map(project_from_row)
    .collect()
}

pub async fn membership_upsert_in_tx(
    tx: &mut Tx,
    tenant_id: TenantId,
    user_id: UserId,
    role: TenantRole,
    now: Timestamp,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO iam_memberships (tenant_id, user_id, role, created_at_us) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (tenant_id, user_id) DO UPDATE SET role = excluded.role",
    )
    .bind(tenant_id.to_string())
    .bind(user_id.to_string())
    .bind(role.as_str())
    .bind(now.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn membership_delete_in_tx(
    tx: &mut Tx,
    tenant_id: TenantId,
    user_id: UserId,
) -> Result<(), DbError> {
    sqlx::query("DELETE FROM iam_memberships WHERE tenant_id = $1 AND user_id = $2")
        .bind(tenant_id.to_string())
        .bind(user_id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn member_from_row(row: &AnyRow) -> Result<MemberView, DbError> {
    Ok(MemberView {
        user_id: parse(&row.try_get::<String, _>("user_id")?, "user id")?,
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        role: TenantRole::parse(&row.try_get::<String, _>("role")?).ok_or_else(|| corrupt("role"))?,
        joined_at: Timestamp::from_micros(row.try_get("created_at_us")?),
    })
}

pub async fn members_of_tenant<'e, E: Executor<'e, Database = Any>>(
    db: E,
    tenant_id: TenantId,
) -> Result<Vec<MemberView>, DbError> {
    sqlx::query(
        "SELECT m.user_id, u.email, u.display_name, m.role, m.created_at_us FROM iam_memberships m \
         JOIN iam_users u ON u.id = m.user_id WHERE m.tenant_id = $1 ORDER BY m.user_id",
    )
    .bind(tenant_id.to_string())
    .fetch_all(db)
    .await?
    .iter()
    .map(member_from_row)
    .collect()
}

/// Members of `tenant_id`, read inside `tx` (locking them on PostgreSQL) for last-owner checks.
pub async fn members_of_tenant_for_update_in_tx(
    tx: &mut Tx,
    tenant_id: TenantId,
    postgres: bool,
) -> Result<Vec<MemberView>, DbError> {
    let sql = if postgres {
        "SELECT m.user_id, u.email, u.display_name, m.role, m.created_at_us FROM iam_memberships m \
         JOIN iam_users u ON u.id = m.user_id WHERE m.tenant_id = $1 ORDER BY m.user_id FOR UPDATE OF m"
    } else {
        "SELECT m.user_id, u.email, u.display_name, m.role, m.created_at_us FROM iam_memberships m \
         JOIN iam_users u ON u.id = m.user_id WHERE m.tenant_id = $1 ORDER BY m.user_id"
    };
    sqlx::query(sql)
        .bind(tenant_id.to_string())
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(member_from_row)
        .collect()
}

/// A session as stored, for authentication.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub id: SessionId,
    pub user_id: UserId,
    pub last_seen_at: Timestamp,
    pub idle_expires_at: Timestamp,
    pub absolute_expires_at: Timestamp,
    pub revoked: bool,
}

pub async fn session_insert_in_tx(
    tx: &mut Tx,
    session: &SessionRow,
    secret_hash: &str,
    source_ip: Option<&str>,
    now: Timestamp,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO iam_sessions (id, user_id, secret_hash, created_at_us, last_seen_at_us, idle_expires_at_us, \
         absolute_expires_at_us, source_ip) VALUES ($1, $2, $3, $4, $4, $5, $6, $7)",
    )
    .bind(session.id.to_string())
    .bind(session.user_id.to_string())
    .bind(secret_hash)
    .bind(now.as_micros())
    .bind(session.idle_expires_at.as_micros())
    .bind(session.absolute_expires_at.as_micros())
    .bind(source_ip)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn session_by_secret_hash<'e, E: Executor<'e, Database = Any>>(
    db: E,
    hash: &str,
) -> Result<Option<SessionRow>, DbError> {
    let Some(row) = sqlx::query(
        "SELECT id, user_id, last_seen_at_us, idle_expires_at_us, absolute_expires_at_us, revoked_at_us \
         FROM iam_sessions WHERE secret_hash = $1",
    )
    .bind(hash)
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(SessionRow {
        id: parse(&row.try_get::<String, _>("id")?, "session id")?,
        user_id: parse(&row.try_get::<String, _>("user_id")?, "user id")?,
        last_seen_at: Timestamp::from_micros(row.try_get("last_seen_at_us")?),
        idle_expires_at: Timestamp::from_micros(row.try_get("idle_expires_at_us")?),
        absolute_expires_at: Timestamp::from_micros(row.try_get("absolute_expires_at_us")?),
        revoked: row.try_get::<Option<i64>, _>("revoked_at_us")?.is_some(),
    }))
}

pub async fn session_touch_in_tx(
    tx: &mut Tx,
    id: SessionId,
    now: Timestamp,
    idle_expires_at: Timestamp,
) -> Result<(), DbError> {
    sqlx::query("UPDATE iam_sessions SET last_seen_at_us = $1, idle_expires_at_us = $2 WHERE id = $3 AND revoked_at_us IS NULL")
        .bind(now.as_micros())
        .bind(idle_expires_at.as_micros())
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn session_revoke_in_tx(tx: &mut Tx, id: SessionId, now: Timestamp) -> Result<(), DbError> {
    sqlx::query("UPDATE iam_sessions SET revoked_at_us = $1 WHERE id = $2 AND revoked_at_us IS NULL")
        .bind(now.as_micros())
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// An API token as stored, for authentication and listing.
#[derive(Debug, Clone)]
pub struct TokenRow {
    pub view: TokenView,
    pub user_id: UserId,
}

const TOKEN_COLUMNS: &str = "id, user_id, name, tenant_id, project_id, role, created_at_us, expires_at_us, revoked_at_us, last_used_at_us";

fn token_from_row(row: &AnyRow) -> Result<TokenRow, DbError> {
    let tenant_id: Option<String> = row.try_get("tenant_id")?;
    let tenant_id: Option<TenantId> = tenant_id.map(|t| parse(&t, "tenant id")).transpose()?;
    let project_id: Option<String> = row.try_get("project_id")?;
    Ok(TokenRow {
        user_id: parse(&row.try_get::<String, _>("user_id")?, "user id")?,
        view: TokenView {
            id: parse(&row.try_get::<String, _>("id")?, "token id")?,
            name: row.try_get("name")?,
            tenant_id,
            project_id: project_id.map(|p| parse(&p, "project id")).transpose()?,
            role: TenantRole::parse(&row.try_get::<String, _>("role")?)
                .ok_or_else(|| corrupt("token role"))?,
            created_at: Timestamp::from_micros(row.try_get("created_at_us")?),
            expires_at: Timestamp::from_micros(row.try_get("expires_at_us")?),
            last_used_at: opt_ts(row, "last_used_at_us")?,
            revoked_at: opt_ts(row, "revoked_at_us")?,
        },
    })
}

pub async fn token_insert_in_tx(tx: &mut Tx, token: &TokenRow, secret_hash: &str) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO iam_api_tokens (id, user_id, name, secret_hash, tenant_id, project_id, role, created_at_us, \
         expires_at_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(token.view.id.to_string())
    .bind(token.user_id.to_string())
    .bind(&token.view.name)
    .bind(secret_hash)
    .bind(token.view.tenant_id.map(|t| t.to_string()))
    .bind(token.view.project_id.map(|p| p.to_string()))
    .bind(token.view.role.as_str())
    .bind(token.view.created_at.as_micros())
    .bind(token.view.expires_at.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn token_by_secret_hash<'e, E: Executor<'e, Database = Any>>(
    db: E,
    hash: &str,
) -> Result<Option<TokenRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {TOKEN_COLUMNS} FROM iam_api_tokens WHERE secret_hash = $1"
    ));
    sqlx::query(sql)
        .bind(hash)
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(token_from_row)
        .transpose()
}

pub async fn token_by_id<'e, E: Executor<'e, Database = Any>>(
    db: E,
    id: ApiTokenId,
) -> Result<Option<TokenRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {TOKEN_COLUMNS} FROM iam_api_tokens WHERE id = $1"
    ));
    sqlx::query(sql)
        .bind(id.to_string())
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(token_from_row)
        .transpose()
}

pub async fn tokens_of_user<'e, E: Executor<'e, Database = Any>>(
    db: E,
    user_id: UserId,
) -> Result<Vec<TokenRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {TOKEN_COLUMNS} FROM iam_api_tokens WHERE user_id = $1 ORDER BY id"
    ));
    sqlx::query(sql)
        .bind(user_id.to_string())
        .fetch_all(db)
        .await?
        .iter()
        .map(token_from_row)
        .collect()
}

pub async fn token_revoke_in_tx(tx: &mut Tx, id: ApiTokenId, now: Timestamp) -> Result<(), DbError> {
    sqlx::query("UPDATE iam_api_tokens SET revoked_at_us = $1 WHERE id = $2 AND revoked_at_us IS NULL")
        .bind(now.as_micros())
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn token_touch_in_tx(tx: &mut Tx, id: ApiTokenId, now: Timestamp) -> Result<(), DbError> {
    sqlx::query("UPDATE iam_api_tokens SET last_used_at_us = $1 WHERE id = $2")
        .bind(now.as_micros())
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn sessions_of_user<'e, E: Executor<'e, Database = Any>>(
    db: E,
    user_id: UserId,
    now: Timestamp,
) -> Result<Vec<(SessionRow, Option<String>, Timestamp)>, DbError> {
    let rows = sqlx::query(
        "SELECT id, user_id, last_seen_at_us, idle_expires_at_us, absolute_expires_at_us, revoked_at_us, source_ip, \
         created_at_us FROM iam_sessions WHERE user_id = $1 AND revoked_at_us IS NULL AND idle_expires_at_us > $2 \
         AND absolute_expires_at_us > $2 ORDER BY id",
    )
    .bind(user_id.to_string())
    .bind(now.as_micros())
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                SessionRow {
                    id: parse(&row.try_get::<String, _>("id")?, "session id")?,
                    user_id,
                    last_seen_at: Timestamp::from_micros(row.try_get("last_seen_at_us")?),
                    idle_expires_at: Timestamp::from_micros(row.try_get("idle_expires_at_us")?),
                    absolute_expires_at: Timestamp::from_micros(row.try_get("absolute_expires_at_us")?),
                    revoked: false,
                },
                row.try_get("source_ip")?,
                Timestamp::from_micros(row.try_get("created_at_us")?),
            ))
        })
        .collect()
}

/// Revokes every live session of `user_id` except `keep`.
pub async fn sessions_revoke_all_in_tx(
    tx: &mut Tx,
    user_id: UserId,
    keep: Option<SessionId>,
    now: Timestamp,
) -> Result<u64, DbError> {
    let done = sqlx::query(
        "UPDATE iam_sessions SET revoked_at_us = $1 WHERE user_id = $2 AND revoked_at_us IS NULL AND id <> $3",
    )
    .bind(now.as_micros())
    .bind(user_id.to_string())
    .bind(keep.map(|k| k.to_string()).unwrap_or_default())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

pub async fn user_password_update_in_tx(
    tx: &mut Tx,
    id: UserId,
    password_hash: &str,
    now: Timestamp,
) -> Result<(), DbError> {
    sqlx::query("UPDATE iam_users SET password_hash = $1, password_changed_at_us = $2 WHERE id = $3")
        .bind(password_hash)
        .bind(now.as_micros())
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A tenant's KYC record as stored.
#[derive(Clone)]
pub struct KycRow {
    pub tenant_id: TenantId,
    pub state: ingot_contracts::iam::KycState,
    pub level: ingot_contracts::iam::KycLevel,
    pub provider: Option<String>,
    pub provider_ref: Option<String>,
    pub personal_data: Option<String>,
    pub submitted_at: Option<Timestamp>,
    pub decided_at: Option<Timestamp>,
    pub reviewer_user_id: Option<UserId>,
    pub reason: Option<String>,
}

impl std::fmt::Debug for KycRow {
    // Personal data never reaches a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KycRow")
            .field("tenant_id", &self.tenant_id)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl KycRow {
    pub fn unverified(tenant_id: TenantId) -> KycRow {
        KycRow {
            tenant_id,
            state: ingot_contracts::iam::KycState::Unverified,
            level: ingot_contracts::iam::KycLevel::None,
            provider: None,
            provider_ref: None,
            personal_data: None,
            submitted_at: None,
            decided_at: None,
            reviewer_user_id: None,
            reason: None,
        }
    }
}

/// The tenant's KYC row, locked for this transaction on PostgreSQL.
pub async fn kyc_get_for_update_in_tx(
    tx: &mut Tx,
    tenant_id: TenantId,
    postgres: bool,
) -> Result<Option<KycRow>, DbError> {
    let sql = if postgres {
        "SELECT * FROM iam_kyc WHERE tenant_id = $1 FOR UPDATE"
    } else {
        "SELECT * FROM iam_kyc WHERE tenant_id = $1"
    };
    sqlx::query(sql)
        .bind(tenant_id.to_string())
        .fetch_optional(&mut **tx)
        .await?
        .as_ref()
        .map(kyc_from_row)
        .transpose()
}

pub async fn kyc_get<'e, E: Executor<'e, Database = Any>>(
    db: E,
    tenant_id: TenantId,
) -> Result<Option<KycRow>, DbError> {
    sqlx::query("SELECT * FROM iam_kyc WHERE tenant_id = $1")
        .bind(tenant_id.to_string())
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(kyc_from_row)
        .transpose()
}

/// Tenants whose KYC is in `state`, oldest submission first, with the tenant's name.
pub async fn kyc_queue<'e, E: Executor<'e, Database = Any>>(
    db: E,
    state: &str,
    limit: u32,
) -> Result<Vec<(String, KycRow)>, DbError> {
    let rows = sqlx::query(
        "SELECT k.*, t.name AS tenant_name FROM iam_kyc k JOIN iam_tenants t ON t.id = k.tenant_id \
         WHERE k.state = $1 ORDER BY k.submitted_at_us, k.tenant_id LIMIT $2",
    )
    .bind(state.to_string())
    .bind(i64::from(limit))
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|row| Ok((row.try_get::<String, _>("tenant_name")?, kyc_from_row(row)?)))
        .collect()
}

fn kyc_from_row(row: &AnyRow) -> Result<KycRow, DbError> {
    let reviewer: Option<String> = row.try_get("reviewer_user_id")?;
    Ok(KycRow {
        tenant_id: parse(&row.try_get::<String, _>("tenant_id")?, "tenant id")?,
        state: enum_from_text(&row.try_get::<String, _>("state")?, "kyc state")?,
        level: enum_from_text(&row.try_get::<String, _>("level")?, "kyc level")?,
        provider: row.try_get("provider")?,
        provider_ref: row.try_get("provider_ref")?,
        personal_data: row.try_get("personal_data")?,
        submitted_at: opt_ts(row, "submitted_at_us")?,
        decided_at: opt_ts(row, "decided_at_us")?,
        reviewer_user_id: reviewer.map(|r| parse(&r, "user id")).transpose()?,
        reason: row.try_get("reason")?,
    })
}

pub async fn kyc_upsert_in_tx(tx: &mut Tx, kyc: &KycRow, now: Timestamp) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO iam_kyc (tenant_id, state, level, provider, provider_ref, personal_data, submitted_at_us, \
         decided_at_us, reviewer_user_id, reason, updated_at_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (tenant_id) DO UPDATE SET state = excluded.state, level = excluded.level, \
         provider = excluded.provider, provider_ref = excluded.provider_ref, personal_data = excluded.personal_data, \
         submitted_at_us = excluded.submitted_at_us, decided_at_us = excluded.decided_at_us, \
         reviewer_user_id = excluded.reviewer_user_id, reason = excluded.reason, updated_at_us = excluded.updated_at_us",
    )
    .bind(kyc.tenant_id.to_string())
    .bind(enum_to_text(&kyc.state))
    .bind(enum_to_text(&kyc.level))
    .bind(kyc.provider.as_deref())
    .bind(kyc.provider_ref.as_deref())
    .bind(kyc.personal_data.as_deref())
    .bind(kyc.submitted_at.map(Timestamp::as_micros))
    .bind(kyc.decided_at.map(Timestamp::as_micros))
    .bind(kyc.reviewer_user_id.map(|u| u.to_string()))
    .bind(kyc.reason.as_deref())
    .bind(now.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records a provider event id; a unique violation means it was seen before.
pub async fn kyc_webhook_event_insert_in_tx(
    tx: &mut Tx,
    provider: &str,
    event_id: &str,
    now: Timestamp,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO iam_kyc_webhook_events (provider, event_id, received_at_us) VALUES ($1, $2, $3)",
    )
    .bind(provider)
    .bind(event_id)
    .bind(now.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn user_platform_roles_update_in_tx(
    tx: &mut Tx,
    id: UserId,
    roles: &[PlatformRole],
) -> Result<(), DbError> {
    sqlx::query("UPDATE iam_users SET platform_roles = $1 WHERE id = $2")
        .bind(platform_roles_text(roles))
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A user's TOTP enrolment as stored.
#[derive(Clone)]
pub struct MfaRow {
    pub secret_sealed: String,
    pub confirmed: bool,
    pub last_step: i64,
    pub recovery_hashes: Vec<String>,
}

impl std::fmt::Debug for MfaRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MfaRow")
            .field("confirmed", &self.confirmed)
            .finish_non_exhaustive()
    }
}

pub async fn mfa_get<'e, E: Executor<'e, Database = Any>>(
    db: E,
    user_id: UserId,
) -> Result<Option<MfaRow>, DbError> {
    let Some(row) = sqlx::query(
        "SELECT secret_sealed, confirmed, last_step, recovery_hashes FROM iam_mfa WHERE user_id = $1",
    )
    .bind(user_id.to_string())
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    let hashes: String = row.try_get("recovery_hashes")?;
    Ok(Some(MfaRow {
        secret_sealed: row.try_get("secret_sealed")?,
        confirmed: row.try_get::<i64, _>("confirmed")? != 0,
        last_step: row.try_get("last_step")?,
        recovery_hashes: serde_json::from_str(&hashes).map_err(|_| corrupt("recovery codes"))?,
    }))
}

pub async fn mfa_upsert_in_tx(
    tx: &mut Tx,
    user_id: UserId,
    mfa: &MfaRow,
    now: Timestamp,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO iam_mfa (user_id, secret_sealed, confirmed, last_step, recovery_hashes, created_at_us) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id) DO UPDATE SET secret_sealed = excluded.secret_sealed, \
         confirmed = excluded.confirmed, last_step = excluded.last_step, recovery_hashes = excluded.recovery_hashes",
    )
    .bind(user_id.to_string())
    .bind(&mfa.secret_sealed)
    .bind(i64::from(mfa.confirmed))
    .bind(mfa.last_step)
    .bind(serde_json::to_string(&mfa.recovery_hashes).unwrap_or_else(|_| "[]".into()))
    .bind(now.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn mfa_delete_in_tx(tx: &mut Tx, user_id: UserId) -> Result<(), DbError> {
    sqlx::query("DELETE FROM iam_mfa WHERE user_id = $1")
        .bind(user_id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn user_mfa_enabled_set_in_tx(tx: &mut Tx, user_id: UserId, enabled: bool) -> Result<(), DbError> {
    sqlx::query("UPDATE iam_users SET totp_enabled = $1 WHERE id = $2")
        .bind(i64::from(enabled))
        .bind(user_id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn tenant_update_in_tx(tx: &mut Tx, tenant: &TenantView) -> Result<(), DbError> {
    sqlx::query("UPDATE iam_tenants SET name = $1, require_mfa = $2 WHERE id = $3")
        .bind(&tenant.name)
        .bind(i64::from(tenant.require_mfa))
        .bind(tenant.id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Live API tokens scoped to `tenant_id`, oldest first.
pub async fn tokens_of_tenant<'e, E: Executor<'e, Database = Any>>(
    db: E,
    tenant_id: TenantId,
    now: Timestamp,
) -> Result<Vec<TokenRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {TOKEN_COLUMNS} FROM iam_api_tokens WHERE tenant_id = $1 AND revoked_at_us IS NULL \
         AND expires_at_us > $2 ORDER BY created_at_us"
    ));
    sqlx::query(sql)
        .bind(tenant_id.to_string())
        .bind(now.as_micros())
        .fetch_all(db)
        .await?
        .iter()
        .map(token_from_row)
        .collect()
}

/// (members, members with MFA) of `tenant_id`.
pub async fn mfa_coverage<'e, E: Executor<'e, Database = Any>>(
    db: E,
    tenant_id: TenantId,
) -> Result<(i64, i64), DbError> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS members, COALESCE(SUM(u.totp_enabled), 0) AS with_mfa FROM iam_memberships m \
         JOIN iam_users u ON u.id = m.user_id WHERE m.tenant_id = $1",
    )
    .bind(tenant_id.to_string())
    .fetch_one(db)
    .await?;
    Ok((row.try_get("members")?, row.try_get("with_mfa")?))
}

/// Failed (and throttled) logins since `since`, on any account, known or not.
pub async fn failed_logins_since<'e, E: Executor<'e, Database = Any>>(
    db: E,
    since: Timestamp,
) -> Result<i64, DbError> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM iam_audit_events WHERE action = 'iam.login' \
         AND outcome IN ('failure', 'throttled') AND at_us > $1",
    )
    .bind(since.as_micros())
    .fetch_one(db)
    .await?;
    Ok(row.try_get("n")?)
}

/// Failed logins since `since` on accounts that are members of `tenant_id`.
pub async fn failed_logins_of_members<'e, E: Executor<'e, Database = Any>>(
    db: E,
    tenant_id: TenantId,
    since: Timestamp,
) -> Result<i64, DbError> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM iam_audit_events WHERE action = 'iam.login' AND outcome = 'failure' \
         AND at_us > $1 AND target IN (SELECT user_id FROM iam_memberships WHERE tenant_id = $2)",
    )
    .bind(since.as_micros())
    .bind(tenant_id.to_string())
    .fetch_one(db)
    .await?;
    Ok(row.try_get("n")?)
}

/// A user's explicit project roles.
pub async fn project_roles_of_user<'e, E: Executor<'e, Database = Any>>(
    db: E,
    user_id: UserId,
) -> Result<Vec<(ProjectId, ingot_contracts::iam::ProjectRole)>, DbError> {
    let rows = sqlx::query("SELECT project_id, role FROM iam_project_members WHERE user_id = $1")
        .bind(user_id.to_string())
        .fetch_all(db)
        .await?;
    rows.iter()
        .map(|row| {
            let role: String = row.try_get("role")?;
            Ok((
                parse(&row.try_get::<String, _>("project_id")?, "project id")?,
                ingot_contracts::iam::ProjectRole::parse(&role).ok_or_else(|| corrupt("project role"))?,
            ))
        })
        .collect()
}

pub async fn project_members<'e, E: Executor<'e, Database = Any>>(
    db: E,
    project_id: ProjectId,
) -> Result<Vec<ingot_contracts::iam::ProjectMemberView>, DbError> {
    let rows =
        sqlx::query("SELECT user_id, role FROM iam_project_members WHERE project_id = $1 ORDER BY user_id")
            .bind(project_id.to_string())
            .fetch_all(db)
            .await?;
    rows.iter()
        .map(|row| {
            let role: String = row.try_get("role")?;
            Ok(ingot_contracts::iam::ProjectMemberView {
                project_id,
                user_id: parse(&row.try_get::<String, _>("user_id")?, "user id")?,
                role: ingot_contracts::iam::ProjectRole::parse(&role)
                    .ok_or_else(|| corrupt("project role"))?,
            })
        })
        .collect()
}

pub async fn project_member_upsert_in_tx(
    tx: &mut Tx,
    member: &ingot_contracts::iam::ProjectMemberView,
    now: Timestamp,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO iam_project_members (project_id, user_id, role, created_at_us) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (project_id, user_id) DO UPDATE SET role = excluded.role",
    )
    .bind(member.project_id.to_string())
    .bind(member.user_id.to_string())
    .bind(member.role.as_str())
    .bind(now.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn project_member_delete_in_tx(
    tx: &mut Tx,
    project_id: ProjectId,
    user_id: UserId,
) -> Result<u64, DbError> {
    let done = sqlx::query("DELETE FROM iam_project_members WHERE project_id = $1 AND user_id = $2")
        .bind(project_id.to_string())
        .bind(user_id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

/// Leaving a tenant ends one's roles on its projects.
pub async fn project_members_of_tenant_delete_in_tx(
    tx: &mut Tx,
    tenant_id: TenantId,
    user_id: UserId,
) -> Result<(), DbError> {
    sqlx::query(
        "DELETE FROM iam_project_members WHERE user_id = $1 AND project_id IN (SELECT id FROM iam_projects WHERE tenant_id = $2)",
    )
    .bind(user_id.to_string())
    .bind(tenant_id.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn invitation_from_row(row: &AnyRow) -> Result<ingot_contracts::iam::InvitationView, DbError> {
    let role: String = row.try_get("role")?;
    Ok(ingot_contracts::iam::InvitationView {
        id: parse(&row.try_get::<String, _>("id")?, "invitation id")?,
        tenant_id: parse(&row.try_get::<String, _>("tenant_id")?, "tenant id")?,
        email: row.try_get("email")?,
        role: TenantRole::parse(&role).ok_or_else(|| corrupt("invitation role"))?,
        invited_by: parse(&row.try_get::<String, _>("invited_by")?, "user id")?,
        created_at: Timestamp::from_micros(row.try_get("created_at_us")?),
        expires_at: Timestamp::from_micros(row.try_get("expires_at_us")?),
    })
}

/// A unique violation means the email already has an open invitation to the tenant.
pub async fn invitation_insert_in_tx(
    tx: &mut Tx,
    invitation: &ingot_contracts::iam::InvitationView,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO iam_invitations (id, tenant_id, email, role, invited_by, created_at_us, expires_at_us) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(invitation.id.to_string())
    .bind(invitation.tenant_id.to_string())
    .bind(&invitation.email)
    .bind(invitation.role.as_str())
    .bind(invitation.invited_by.to_string())
    .bind(invitation.created_at.as_micros())
    .bind(invitation.expires_at.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Open (unaccepted, unrevoked, unexpired) invitations of a tenant.
pub async fn invitations_open_of_tenant<'e, E: Executor<'e, Database = Any>>(
    db: E,
    tenant_id: TenantId,
    now: Timestamp,
) -> Result<Vec<ingot_contracts::iam::InvitationView>, DbError> {
    sqlx::query(
        "SELECT * FROM iam_invitations WHERE tenant_id = $1 AND accepted_at_us IS NULL AND revoked_at_us IS NULL \
         AND expires_at_us > $2 ORDER BY id",
    )
    .bind(tenant_id.to_string())
    .bind(now.as_micros())
    .fetch_all(db)
    .await?
    .iter()
    .map(invitation_from_row)
    .collect()
}

/// Open invitations addressed to `email`, read inside the sign-up transaction.
pub async fn invitations_open_for_email_in_tx(
    tx: &mut Tx,
    email: &str,
    now: Timestamp,
) -> Result<Vec<ingot_contracts::iam::InvitationView>, DbError> {
    sqlx::query(
        "SELECT * FROM iam_invitations WHERE email = $1 AND accepted_at_us IS NULL AND revoked_at_us IS NULL \
         AND expires_at_us > $2",
    )
    .bind(email)
    .bind(now.as_micros())
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(invitation_from_row)
    .collect()
}

/// Whether an open invitation of `tenant_id` was revoked.
pub async fn invitation_revoke_in_tx(
    tx: &mut Tx,
    tenant_id: TenantId,
    id: ingot_kernel::id::InvitationId,
    now: Timestamp,
) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE iam_invitations SET revoked_at_us = $1 WHERE id = $2 AND tenant_id = $3 \
         AND accepted_at_us IS NULL AND revoked_at_us IS NULL",
    )
    .bind(now.as_micros())
    .bind(id.to_string())
    .bind(tenant_id.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn invitation_accept_in_tx(
    tx: &mut Tx,
    id: ingot_kernel::id::InvitationId,
    now: Timestamp,
) -> Result<(), DbError> {
    sqlx::query("UPDATE iam_invitations SET accepted_at_us = $1 WHERE id = $2")
        .bind(now.as_micros())
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn password_reset_insert_in_tx(
    tx: &mut Tx,
    user_id: UserId,
    token_hash: &str,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO iam_password_resets (id, user_id, token_hash, created_at_us, expires_at_us) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(format!("rst_{}", ingot_kernel::id::new_ulid().to_string().to_lowercase()))
    .bind(user_id.to_string())
    .bind(token_hash)
    .bind(now.as_micros())
    .bind(expires_at.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The unused, unexpired reset with this token hash: (reset id, user).
pub async fn password_reset_valid<'e, E: Executor<'e, Database = Any>>(
    db: E,
    token_hash: &str,
    now: Timestamp,
) -> Result<Option<(String, UserId)>, DbError> {
    let row = sqlx::query(
        "SELECT id, user_id FROM iam_password_resets WHERE token_hash = $1 AND used_at_us IS NULL AND expires_at_us > $2",
    )
    .bind(token_hash)
    .bind(now.as_micros())
    .fetch_optional(db)
    .await?;
    row.map(|row| {
        Ok((
            row.try_get("id")?,
            parse(&row.try_get::<String, _>("user_id")?, "user id")?,
        ))
    })
    .transpose()
}

/// Marks a reset used; false when it already was (the update decides between racing confirms).
pub async fn password_reset_use_in_tx(tx: &mut Tx, id: &str, now: Timestamp) -> Result<bool, DbError> {
    let used =
        sqlx::query("UPDATE iam_password_resets SET used_at_us = $1 WHERE id = $2 AND used_at_us IS NULL")
            .bind(now.as_micros())
            .bind(id)
            .execute(&mut **tx)
            .await?;
    Ok(used.rows_affected() == 1)
}

/// A queued notification, body still sealed.
#[derive(Debug, Clone)]
pub struct NotificationRow {
    pub id: String,
    pub recipient: String,
    pub subject: String,
    pub body_sealed: String,
    pub created_at: Timestamp,
    pub attempts: i64,
}

fn notification_from_row(row: &AnyRow) -> Result<NotificationRow, DbError> {
    Ok(NotificationRow {
        id: row.try_get("id")?,
        recipient: row.try_get("recipient")?,
        subject: row.try_get("subject")?,
        body_sealed: row.try_get("body_sealed")?,
        created_at: Timestamp::from_micros(row.try_get("created_at_us")?),
        attempts: row.try_get("attempts")?,
    })
}

pub async fn notification_insert_in_tx(tx: &mut Tx, row: &NotificationRow) -> Result<(), DbError> {
    sqlx::query("INSERT INTO iam_notifications (id, recipient, subject, body_sealed, created_at_us) VALUES ($1, $2, $3, $4, $5)")
        .bind(&row.id)
        .bind(&row.recipient)
        .bind(&row.subject)
        .bind(&row.body_sealed)
        .bind(row.created_at.as_micros())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

const NOTIFICATION_COLUMNS: &str = "id, recipient, subject, body_sealed, created_at_us, attempts";

/// The newest `limit` notifications.
pub async fn notifications_recent<'e, E: Executor<'e, Database = Any>>(
    db: E,
    limit: i64,
) -> Result<Vec<NotificationRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {NOTIFICATION_COLUMNS} FROM iam_notifications ORDER BY id DESC LIMIT $1"
    ));
    sqlx::query(sql)
        .bind(limit)
        .fetch_all(db)
        .await?
        .iter()
        .map(notification_from_row)
        .collect()
}

/// Undelivered notifications with attempts left, oldest first.
pub async fn notifications_pending<'e, E: Executor<'e, Database = Any>>(
    db: E,
    attempts_max: i64,
    limit: i64,
) -> Result<Vec<NotificationRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {NOTIFICATION_COLUMNS} FROM iam_notifications WHERE delivered_at_us IS NULL AND attempts < $1 \
         ORDER BY id LIMIT $2"
    ));
    sqlx::query(sql)
        .bind(attempts_max)
        .bind(limit)
        .fetch_all(db)
        .await?
        .iter()
        .map(notification_from_row)
        .collect()
}

/// Claims the next delivery attempt; false when another deliverer took it first.
pub async fn notification_attempt_claim_in_tx(
    tx: &mut Tx,
    id: &str,
    attempts_seen: i64,
) -> Result<bool, DbError> {
    let claimed = sqlx::query(
        "UPDATE iam_notifications SET attempts = attempts + 1 WHERE id = $1 AND attempts = $2 AND delivered_at_us IS NULL",
    )
    .bind(id)
    .bind(attempts_seen)
    .execute(&mut **tx)
    .await?;
    Ok(claimed.rows_affected() == 1)
}

pub async fn notification_delivered_in_tx(tx: &mut Tx, id: &str, now: Timestamp) -> Result<(), DbError> {
    sqlx::query("UPDATE iam_notifications SET delivered_at_us = $1 WHERE id = $2")
        .bind(now.as_micros())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A device authorization grant (RFC 8628), codes hashed.
#[derive(Debug, Clone)]
pub struct DeviceGrantRow {
    pub id: String,
    pub client_name: String,
    pub requested_ip: Option<String>,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub interval_s: i64,
    pub polled_at: Option<Timestamp>,
    pub state: ingot_contracts::iam::DeviceGrantState,
    pub user_id: Option<UserId>,
}

fn device_grant_from_row(row: &AnyRow) -> Result<DeviceGrantRow, DbError> {
    Ok(DeviceGrantRow {
        id: row.try_get("id")?,
        client_name: row.try_get("client_name")?,
        requested_ip: row.try_get("requested_ip")?,
        created_at: Timestamp::from_micros(row.try_get("created_at_us")?),
        expires_at: Timestamp::from_micros(row.try_get("expires_at_us")?),
        interval_s: row.try_get("interval_s")?,
        polled_at: opt_ts(row, "polled_at_us")?,
        state: enum_from_text(&row.try_get::<String, _>("state")?, "device grant state")?,
        user_id: row
            .try_get::<Option<String>, _>("user_id")?
            .map(|id| parse(&id, "user id"))
            .transpose()?,
    })
}

const DEVICE_GRANT_COLUMNS: &str = "id, client_name, requested_ip, created_at_us, expires_at_us, interval_s, \
     polled_at_us, state, user_id";

pub async fn device_grant_insert_in_tx(
    tx: &mut Tx,
    grant: &DeviceGrantRow,
    device_code_hash: &str,
    user_code_hash: &str,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO iam_device_grants (id, device_code_hash, user_code_hash, client_name, requested_ip, \
         created_at_us, expires_at_us, interval_s, state) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&grant.id)
    .bind(device_code_hash)
    .bind(user_code_hash)
    .bind(&grant.client_name)
    .bind(grant.requested_ip.as_deref())
    .bind(grant.created_at.as_micros())
    .bind(grant.expires_at.as_micros())
    .bind(grant.interval_s)
    .bind(enum_to_text(&grant.state))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn device_grant_by_device_code<'e, E: Executor<'e, Database = Any>>(
    db: E,
    device_code_hash: &str,
) -> Result<Option<DeviceGrantRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {DEVICE_GRANT_COLUMNS} FROM iam_device_grants WHERE device_code_hash = $1"
    ));
    sqlx::query(sql)
        .bind(device_code_hash)
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(device_grant_from_row)
        .transpose()
}

/// The unexpired grant showing this user code (the newest, should two ever share one).
pub async fn device_grant_by_user_code<'e, E: Executor<'e, Database = Any>>(
    db: E,
    user_code_hash: &str,
    now: Timestamp,
) -> Result<Option<DeviceGrantRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {DEVICE_GRANT_COLUMNS} FROM iam_device_grants WHERE user_code_hash = $1 AND expires_at_us > $2 \
         ORDER BY created_at_us DESC LIMIT 1"
    ));
    sqlx::query(sql)
        .bind(user_code_hash)
        .bind(now.as_micros())
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(device_grant_from_row)
        .transpose()
}

/// Records a poll, and the interval from now on (raised after a too-fast poll).
pub async fn device_grant_polled_in_tx(
    tx: &mut Tx,
    id: &str,
    now: Timestamp,
    interval_s: i64,
) -> Result<(), DbError> {
    sqlx::query("UPDATE iam_device_grants SET polled_at_us = $1, interval_s = $2 WHERE id = $3")
        .bind(now.as_micros())
        .bind(interval_s)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Moves a pending, unexpired grant to approved (with its user) or denied; false when it was not
/// pending any more (decided already, or expired): the update decides between racing decisions.
pub async fn device_grant_decide_in_tx(
    tx: &mut Tx,
    id: &str,
    user_id: UserId,
    approve: bool,
    now: Timestamp,
) -> Result<bool, DbError> {
    use ingot_contracts::iam::DeviceGrantState;
    let to = if approve {
        DeviceGrantState::Approved
    } else {
        DeviceGrantState::Denied
    };
    let done = sqlx::query(
        "UPDATE iam_device_grants SET state = $1, user_id = $2, decided_at_us = $3 \
         WHERE id = $4 AND state = $5 AND expires_at_us > $3",
    )
    .bind(enum_to_text(&to))
    .bind(user_id.to_string())
    .bind(now.as_micros())
    .bind(id)
    .bind(enum_to_text(&DeviceGrantState::Pending))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks an approved grant's session issued; false when another poll got there first.
pub async fn device_grant_issue_in_tx(tx: &mut Tx, id: &str) -> Result<bool, DbError> {
    use ingot_contracts::iam::DeviceGrantState;
    let done = sqlx::query("UPDATE iam_device_grants SET state = $1 WHERE id = $2 AND state = $3")
        .bind(enum_to_text(&DeviceGrantState::Issued))
        .bind(id)
        .bind(enum_to_text(&DeviceGrantState::Approved))
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}
