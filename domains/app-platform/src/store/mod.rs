//! App Platform store: SQL for the `app_*` tables only; converts rows to model values and back.

use ingot_contracts::app_platform::{SshKeyView, TemplateRequest};
use ingot_kernel::Timestamp;
use ingot_kernel::db::column::parse;
use ingot_kernel::db::{DbError, Tx};
use ingot_kernel::id::{ProjectId, SshKeyId, TemplateId, TenantId, UserId};
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};

/// Whose keys: a project's (shared by its members) or a user's own (usable in every project
/// the user allocates in).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyOwner {
    Project(ProjectId),
    User(UserId),
}

impl KeyOwner {
    /// The table, its owner column, and the columns read (a user's keys have no project; the
    /// user added them).
    fn sql(self) -> (&'static str, &'static str, &'static str) {
        match self {
            KeyOwner::Project(_) => (
                "app_ssh_keys",
                "project_id",
                "id, project_id, name, kind, bits, fingerprint, public_key, comment, added_by, created_at_us",
            ),
            KeyOwner::User(_) => (
                "app_user_ssh_keys",
                "user_id",
                "id, CAST(NULL AS TEXT) AS project_id, name, kind, bits, fingerprint, public_key, comment, \
                 user_id AS added_by, created_at_us",
            ),
        }
    }

    fn id(self) -> String {
        match self {
            KeyOwner::Project(project_id) => project_id.to_string(),
            KeyOwner::User(user_id) => user_id.to_string(),
        }
    }
}

fn ssh_key_from_row(row: &AnyRow) -> Result<SshKeyView, DbError> {
    Ok(SshKeyView {
        id: parse(&row.try_get::<String, _>("id")?, "ssh key id")?,
        project_id: row
            .try_get::<Option<String>, _>("project_id")?
            .map(|p| parse(&p, "project id"))
            .transpose()?,
        name: row.try_get("name")?,
        kind: row.try_get("kind")?,
        bits: u32::try_from(row.try_get::<i64, _>("bits")?)
            .map_err(|_| ingot_kernel::db::column::corrupt("bits"))?,
        fingerprint: row.try_get("fingerprint")?,
        public_key: row.try_get("public_key")?,
        comment: row.try_get("comment")?,
        added_by: parse(&row.try_get::<String, _>("added_by")?, "user id")?,
        created_at: Timestamp::from_micros(row.try_get("created_at_us")?),
    })
}

/// Records a key; `false` when its owner has a key with this fingerprint already. `tenant_id`:
/// the project's tenant, for a project's key.
pub async fn ssh_key_insert_in_tx(
    tx: &mut Tx,
    owner: KeyOwner,
    tenant_id: Option<TenantId>,
    key: &SshKeyView,
) -> Result<bool, DbError> {
    let query = match owner {
        KeyOwner::Project(project_id) => sqlx::query(
            "INSERT INTO app_ssh_keys (id, tenant_id, project_id, name, kind, bits, fingerprint, public_key, comment, \
             added_by, created_at_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT (project_id, fingerprint) DO NOTHING",
        )
        .bind(key.id.to_string())
        .bind(tenant_id.map(|t| t.to_string()).unwrap_or_default())
        .bind(project_id.to_string()),
        KeyOwner::User(user_id) => sqlx::query(
            "INSERT INTO app_user_ssh_keys (id, user_id, name, kind, bits, fingerprint, public_key, comment, \
             created_at_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (user_id, fingerprint) DO NOTHING",
        )
        .bind(key.id.to_string())
        .bind(user_id.to_string()),
    };
    let query = query
        .bind(&key.name)
        .bind(&key.kind)
        .bind(i64::from(key.bits))
        .bind(&key.fingerprint)
        .bind(&key.public_key)
        .bind(&key.comment);
    let query = match owner {
        KeyOwner::Project(_) => query.bind(key.added_by.to_string()),
        KeyOwner::User(_) => query,
    };
    let done = query.bind(key.created_at.as_micros()).execute(&mut **tx).await?;
    Ok(done.rows_affected() == 1)
}

/// An owner's keys, oldest first.
pub async fn ssh_keys_of<'e, E: Executor<'e, Database = Any>>(
    db: E,
    owner: KeyOwner,
) -> Result<Vec<SshKeyView>, DbError> {
    let (table, column, columns) = owner.sql();
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {columns} FROM {table} WHERE {column} = $1 ORDER BY id"
    ));
    sqlx::query(sql)
        .bind(owner.id())
        .fetch_all(db)
        .await?
        .iter()
        .map(ssh_key_from_row)
        .collect()
}

/// Removes one of an owner's keys; the key as it was, or `None` when it has no such key.
pub async fn ssh_key_delete_in_tx(
    tx: &mut Tx,
    owner: KeyOwner,
    key_id: SshKeyId,
) -> Result<Option<SshKeyView>, DbError> {
    let (table, column, columns) = owner.sql();
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {columns} FROM {table} WHERE {column} = $1 AND id = $2"
    ));
    let Some(key) = sqlx::query(sql)
        .bind(owner.id())
        .bind(key_id.to_string())
        .fetch_optional(&mut **tx)
        .await?
        .as_ref()
        .map(ssh_key_from_row)
        .transpose()?
    else {
        return Ok(None);
    };
    let sql = sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE {column} = $1 AND id = $2"));
    sqlx::query(sql)
        .bind(owner.id())
        .bind(key_id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(Some(key))
}

/// A project template as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateRow {
    pub id: TemplateId,
    pub project_id: ProjectId,
    pub spec: TemplateRequest,
    pub version: u32,
    pub updated_at: Timestamp,
}

const TEMPLATE_COLUMNS: &str = "id, project_id, name, description, variables, body, version, updated_at_us";

fn template_from_row(row: &AnyRow) -> Result<TemplateRow, DbError> {
    let variables: String = row.try_get("variables")?;
    Ok(TemplateRow {
        id: parse(&row.try_get::<String, _>("id")?, "template id")?,
        project_id: parse(&row.try_get::<String, _>("project_id")?, "project id")?,
        spec: TemplateRequest {
            name: row.try_get("name")?,
            description: row.try_get("description")?,
            variables: serde_json::from_str(&variables)
                .map_err(|_| ingot_kernel::db::column::corrupt("template variables"))?,
            body: row.try_get("body")?,
        },
        version: u32::try_from(row.try_get::<i64, _>("version")?)
            .map_err(|_| ingot_kernel::db::column::corrupt("template version"))?,
        updated_at: Timestamp::from_micros(row.try_get("updated_at_us")?),
    })
}

fn variables_json(spec: &TemplateRequest) -> Result<String, DbError> {
    serde_json::to_string(&spec.variables)
        .map_err(|_| ingot_kernel::db::column::corrupt("template variables"))
}

/// Keeps a new template; `false` when the project has one of this name already.
pub async fn template_insert_in_tx(
    tx: &mut Tx,
    tenant_id: TenantId,
    row: &TemplateRow,
) -> Result<bool, DbError> {
    let done = sqlx::query(
        "INSERT INTO app_templates (id, tenant_id, project_id, name, description, variables, body, version, \
         created_at_us, updated_at_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
         ON CONFLICT (project_id, name) DO NOTHING",
    )
    .bind(row.id.to_string())
    .bind(tenant_id.to_string())
    .bind(row.project_id.to_string())
    .bind(&row.spec.name)
    .bind(&row.spec.description)
    .bind(variables_json(&row.spec)?)
    .bind(&row.spec.body)
    .bind(i64::from(row.version))
    .bind(row.updated_at.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A project's templates by name.
pub async fn templates_of<'e, E: Executor<'e, Database = Any>>(
    db: E,
    project_id: ProjectId,
) -> Result<Vec<TemplateRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {TEMPLATE_COLUMNS} FROM app_templates WHERE project_id = $1 ORDER BY name"
    ));
    sqlx::query(sql)
        .bind(project_id.to_string())
        .fetch_all(db)
        .await?
        .iter()
        .map(template_from_row)
        .collect()
}

/// One of a project's templates, by id or by name.
pub async fn template_find<'e, E: Executor<'e, Database = Any>>(
    db: E,
    project_id: ProjectId,
    id_or_name: &str,
) -> Result<Option<TemplateRow>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {TEMPLATE_COLUMNS} FROM app_templates WHERE project_id = $1 AND (id = $2 OR name = $2)"
    ));
    sqlx::query(sql)
        .bind(project_id.to_string())
        .bind(id_or_name)
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(template_from_row)
        .transpose()
}

/// Replaces a template whole at `row.version`, if it is still at `row.version - 1`; `false`
/// when a concurrent change came first.
pub async fn template_replace_in_tx(tx: &mut Tx, row: &TemplateRow) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE app_templates SET name = $1, description = $2, variables = $3, body = $4, version = $5, \
         updated_at_us = $6 WHERE id = $7 AND project_id = $8 AND version = $9",
    )
    .bind(&row.spec.name)
    .bind(&row.spec.description)
    .bind(variables_json(&row.spec)?)
    .bind(&row.spec.body)
    .bind(i64::from(row.version))
    .bind(row.updated_at.as_micros())
    .bind(row.id.to_string())
    .bind(row.project_id.to_string())
    .bind(i64::from(row.version) - 1)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn template_delete_in_tx(
    tx: &mut Tx,
    project_id: ProjectId,
    id: TemplateId,
) -> Result<bool, DbError> {
    let done = sqlx::query("DELETE FROM app_templates WHERE project_id = $1 AND id = $2")
        .bind(project_id.to_string())
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub mod clusters;
pub mod webhooks;
