//! One database handle for both backends: SQLite (embedded default) and PostgreSQL (production),
//! through sqlx's `Any` driver. Backend differences stay in this module and in the few kernel
//! statements that must differ; domain SQL is written once.

use std::path::Path;
use std::time::Duration;

use sha2::{Digest, Sha256};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyConnection, AnyPool, Connection, Executor, Row};

use crate::clock::Timestamp;

/// A write transaction. Reads that must see it, and writes, go through it.
pub type Tx = sqlx::Transaction<'static, Any>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database url: expected sqlite:… or postgres://…")]
    UnsupportedUrl,
    // The cause is in the message for logs; domains answer clients with an opaque error.
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("migration {domain}/{version:04} was edited after it was applied")]
    MigrationEdited { domain: String, version: i64 },
    #[error("migration set {domain} is invalid: {reason}")]
    MigrationInvalid { domain: &'static str, reason: String },
}

impl DbError {
    /// A unique constraint refused the write: the caller's "already exists" or "already taken".
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, DbError::Sqlx(sqlx::Error::Database(e)) if e.is_unique_violation())
    }

    /// The database cannot serve this request now but may shortly: it is restarting or
    /// unreachable, the pool had no connection in time, or the disk refused a write. Callers
    /// answer `503 unavailable` with `Retry-After` instead of `500`; the request changed nothing
    /// (its transaction did not commit) and may be repeated.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, DbError::Sqlx(err) if sqlx_unavailable(err))
    }
}

/// Whether a failure a domain caught in its catch-all path is the database being unavailable
/// (see [`DbError::is_unavailable`]). Only a `DbError` or a `sqlx::Error` is recognised; a
/// domain error wrapping one unwraps it first.
pub fn unavailable_in(err: &dyn std::any::Any) -> bool {
    if let Some(err) = err.downcast_ref::<DbError>() {
        return err.is_unavailable();
    }
    if let Some(err) = err.downcast_ref::<sqlx::Error>() {
        return sqlx_unavailable(err);
    }
    false
}

fn sqlx_unavailable(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Io(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => {
            if let Some(pg) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                // Class 08: connection exception (but 08P01, a protocol violation, is ours);
                // 57P01-57P03, 57P05: the server is shutting down, crashed, still starting, or
                // ended an idle session; class 53: out of connections, memory or disk; 25006: a
                // primary turned read-only replica during a failover.
                let state = pg.code();
                (state.starts_with("08") && state != "08P01")
                    || matches!(state, "57P01" | "57P02" | "57P03" | "57P05" | "25006")
                    || state.starts_with("53")
            } else if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                // Primary result codes: BUSY (another process held the file past the busy
                // timeout), IOERR (a read or write failed, e.g. the file size limit), FULL
                // (the disk).
                let primary = db.code().and_then(|c| c.parse::<i32>().ok()).map(|c| c & 0xff);
                matches!(primary, Some(5 | 10 | 13))
            } else {
                false
            }
        }
        _ => false,
    }
}

/// How the pools are sized. Every pool has a bound.
#[derive(Debug, Clone, Copy)]
pub struct PoolLimits {
    pub connections_max: u32,
    pub acquire_timeout: Duration,
}

impl Default for PoolLimits {
    fn default() -> PoolLimits {
        PoolLimits {
            connections_max: 16,
            acquire_timeout: Duration::from_secs(5),
        }
    }
}

/// Shared handle to the database: cheap to clone.
#[derive(Debug, Clone)]
pub struct Db {
    backend: Backend,
    /// SQLite: one connection, so writes are serialised in-process and commit in order.
    /// PostgreSQL: the one pool.
    writer: AnyPool,
    /// SQLite: several read connections (WAL lets them run beside the writer).
    reader: AnyPool,
    /// SQLite: where the latest write transaction began and when, for the log when a writer
    /// waits too long.
    writer_holder: std::sync::Arc<std::sync::Mutex<Option<WriterHolder>>>,
}

type WriterHolder = (&'static std::panic::Location<'static>, std::time::Instant);

/// SQLite pragmas applied to every connection: WAL for concurrent readers, a busy timeout so a
/// second process (say `ingotd bootstrap-admin` beside `serve`) waits instead of failing, full
/// fsync so an acknowledged write survives power loss.
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; \
    PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;";

/// Begins a transaction on a task of its own, so that a caller dropped meanwhile (a client that
/// hung up, a timeout) cannot cancel it halfway: sqlx's `begin` is not cancellation-safe (a
/// `BEGIN` already sent with nothing left to roll it back can leave the pooled connection, on
/// SQLite the only writer, inside a transaction). Finished there, an unwanted transaction is
/// simply dropped, which rolls it back.
async fn begin_uncancellable(pool: &AnyPool, statement: &'static str) -> Result<Tx, sqlx::Error> {
    let pool = pool.clone();
    match tokio::spawn(async move { pool.begin_with(statement).await }).await {
        Ok(result) => result,
        Err(join) if join.is_panic() => std::panic::resume_unwind(join.into_panic()),
        // The runtime is shutting down.
        Err(_) => Err(sqlx::Error::PoolClosed),
    }
}

impl Db {
    /// Connects to `sqlite:…` or `postgres://…`. SQLite files are created if missing.
    pub async fn connect(url: &str, limits: PoolLimits) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options: AnyConnectOptions = url.parse()?;
            let pool = AnyPoolOptions::new()
                .max_connections(limits.connections_max)
                .acquire_timeout(limits.acquire_timeout)
                .connect_with(options)
                .await?;
            return Ok(Db {
                backend: Backend::Postgres,
                writer: pool.clone(),
                reader: pool,
                writer_holder: Default::default(),
            });
        }
        if url.starts_with("sqlite:") {
            let options: AnyConnectOptions = url.parse()?;
            let pool = |connections_max: u32| {
                AnyPoolOptions::new()
                    .max_connections(connections_max)
                    .acquire_timeout(limits.acquire_timeout)
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            conn.execute(sqlx::raw_sql(SQLITE_PRAGMAS)).await?;
                            Ok(())
                        })
                    })
            };
            let writer = pool(1).connect_with(options.clone()).await?;
            let reader = pool(limits.connections_max.clamp(1, 4))
                .connect_with(options)
                .await?;
            return Ok(Db {
                backend: Backend::Sqlite,
                writer,
                reader,
                writer_holder: Default::default(),
            });
        }
        Err(DbError::UnsupportedUrl)
    }

    /// The embedded default: a SQLite file, created with its folder if missing.
    pub async fn open_sqlite_file(path: &Path, limits: PoolLimits) -> Result<Db, DbError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| DbError::Sqlx(sqlx::Error::Io(e)))?;
        }
        Db::connect(&format!("sqlite://{}?mode=rwc", path.display()), limits).await
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A consistent copy of a SQLite database at `to` (`VACUUM INTO`), taken on a reader
    /// connection so writers go on meanwhile. PostgreSQL's copies are pg_dump's job.
    pub async fn sqlite_copy_to(&self, to: &Path) -> Result<(), DbError> {
        if self.backend != Backend::Sqlite {
            return Err(DbError::Sqlx(sqlx::Error::Configuration(
                "VACUUM INTO copies SQLite databases only".into(),
            )));
        }
        sqlx::query("VACUUM INTO $1")
            .bind(to.display().to_string())
            .execute(self.reader())
            .await?;
        Ok(())
    }

    /// `BEGIN IMMEDIATE` on the one writer connection, replacing that connection first if sqlx
    /// lost track of its transaction. When SQLite fails a `COMMIT` (a disk full or a write the
    /// file-size limit refused: SQLITE_FULL, SQLITE_IOERR) it rolls the transaction back itself;
    /// the dropped `Transaction`'s own `ROLLBACK` then fails, and sqlx goes on counting a
    /// transaction open, refusing every later `BEGIN` on that connection — every write of the
    /// process, for good. A fresh connection has no such memory.
    async fn sqlite_begin(&self) -> Result<Tx, sqlx::Error> {
        match begin_uncancellable(&self.writer, "BEGIN IMMEDIATE").await {
            Err(sqlx::Error::InvalidSavePointStatement) => {
                tracing::warn!("replacing the SQLite writer connection after a failed commit");
                let stale = self.writer.acquire().await?;
                stale.close().await?;
                begin_uncancellable(&self.writer, "BEGIN IMMEDIATE").await
            }
            other => other,
        }
    }

    /// Begins a write transaction. On SQLite it takes the write lock up front (`BEGIN IMMEDIATE`)
    /// so two writers never deadlock upgrading a read lock.
    ///
    /// On SQLite every write waits for the one writer connection; when that wait times out, the
    /// log names the code that began the transaction holding it, and for how long.
    #[track_caller]
    pub fn begin(&self) -> impl Future<Output = Result<Tx, DbError>> + Send + '_ {
        let caller = std::panic::Location::caller();
        async move {
            match self.backend {
                Backend::Sqlite => match self.sqlite_begin().await {
                    Ok(tx) => {
                        *self.writer_holder.lock().unwrap_or_else(|e| e.into_inner()) =
                            Some((caller, std::time::Instant::now()));
                        Ok(tx)
                    }
                    Err(err) => {
                        if matches!(err, sqlx::Error::PoolTimedOut) {
                            let holder = *self.writer_holder.lock().unwrap_or_else(|e| e.into_inner());
                            if let Some((at, since)) = holder {
                                tracing::warn!(
                                    waiting = %caller,
                                    holder = %at,
                                    held_ms = since.elapsed().as_millis() as u64,
                                    "the SQLite writer is busy: the latest write transaction began at `holder`"
                                );
                            }
                        }
                        Err(err.into())
                    }
                },
                Backend::Postgres => Ok(begin_uncancellable(&self.writer, "BEGIN").await?),
            }
        }
    }

    /// Pool for reads outside a transaction.
    pub fn reader(&self) -> &AnyPool {
        &self.reader
    }

    /// Round-trips a trivial query: readiness.
    pub async fn ping(&self) -> Result<(), DbError> {
        sqlx::query("SELECT 1").execute(&self.reader).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.writer.close().await;
        self.reader.close().await;
    }

    /// Applies every migration not yet applied, in order, each in its own transaction.
    /// Safe to run from several processes at once: PostgreSQL serialises them with an advisory
    /// lock, SQLite with its write lock. Returns what it applied.
    pub async fn migrate(&self, sets: &[&MigrationSet], now: Timestamp) -> Result<Vec<String>, DbError> {
        for set in sets {
            set.check().map_err(|reason| DbError::MigrationInvalid {
                domain: set.domain,
                reason,
            })?;
        }
        let mut conn = self.writer.acquire().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_lock($1)")
                .bind(MIGRATION_LOCK_KEY)
                .execute(&mut *conn)
                .await?;
        }
        let result = self.migrate_locked(&mut conn, sets, now).await;
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(MIGRATION_LOCK_KEY)
                .execute(&mut *conn)
                .await?;
        }
        result
    }

    /// What `migrate` would do, without doing it: the migrations this binary would apply, those
    /// the database has that this binary does not know (a newer release applied them), and those
    /// applied with other text than this binary's (an edited migration: never safe).
    pub async fn migrations_status(&self, sets: &[&MigrationSet]) -> Result<MigrationStatus, DbError> {
        let table = match self.backend {
            Backend::Postgres => {
                "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = 'kernel_migrations'"
            }
            Backend::Sqlite => {
                "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'kernel_migrations'"
            }
        };
        let exists: i64 = sqlx::query(table).fetch_one(self.reader()).await?.try_get("n")?;
        let mut applied: std::collections::BTreeMap<(String, i64), (String, String)> = Default::default();
        if exists > 0 {
            for row in sqlx::query("SELECT domain, version, name, checksum FROM kernel_migrations")
                .fetch_all(self.reader())
                .await?
            {
                applied.insert(
                    (row.try_get("domain")?, row.try_get("version")?),
                    (row.try_get("name")?, row.try_get("checksum")?),
                );
            }
        }
        let mut status = MigrationStatus::default();
        for set in sets {
            for migration in set.migrations {
                let label = migration_label(set.domain, migration.version, migration.name);
                let checksum = format!("{:x}", Sha256::digest(migration.sql_for(self.backend).as_bytes()));
                match applied.remove(&(set.domain.to_string(), migration.version)) {
                    None => status.pending.push(label),
                    Some((_, stored)) if stored != checksum => status.edited.push(label),
                    Some(_) => {}
                }
            }
        }
        status.unknown = applied
            .into_iter()
            .map(|((domain, version), (name, _))| migration_label(&domain, version, &name))
            .collect();
        Ok(status)
    }

    async fn migrate_locked(
        &self,
        conn: &mut AnyConnection,
        sets: &[&MigrationSet],
        now: Timestamp,
    ) -> Result<Vec<String>, DbError> {
        conn.execute(sqlx::raw_sql(
            "CREATE TABLE IF NOT EXISTS kernel_migrations (domain TEXT NOT NULL, version BIGINT NOT NULL, \
             name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at_us BIGINT NOT NULL, \
             PRIMARY KEY (domain, version))",
        ))
        .await?;
        let mut applied = Vec::new();
        for set in sets {
            for migration in set.migrations {
                let sql = migration.sql_for(self.backend);
                let checksum = format!("{:x}", Sha256::digest(sql.as_bytes()));
                let mut tx = match self.backend {
                    Backend::Sqlite => conn.begin_with("BEGIN IMMEDIATE").await?,
                    Backend::Postgres => conn.begin().await?,
                };
                let existing =
                    sqlx::query("SELECT checksum FROM kernel_migrations WHERE domain = $1 AND version = $2")
                        .bind(set.domain)
                        .bind(migration.version)
                        .fetch_optional(&mut *tx)
                        .await?;
                if let Some(row) = existing {
                    let stored: String = row.try_get("checksum")?;
                    if stored != checksum {
                        return Err(DbError::MigrationEdited {
                            domain: set.domain.into(),
                            version: migration.version,
                        });
                    }
                    continue;
                }
                tx.execute(sqlx::raw_sql(sql)).await?;
                sqlx::query(
                    "INSERT INTO kernel_migrations (domain, version, name, checksum, applied_at_us) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(set.domain)
                .bind(migration.version)
                .bind(migration.name)
                .bind(&checksum)
                .bind(now.as_micros())
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                tracing::info!(
                    domain = set.domain,
                    version = migration.version,
                    name = migration.name,
                    "migration applied"
                );
                applied.push(migration_label(set.domain, migration.version, migration.name));
            }
        }
        Ok(applied)
    }
}

/// How a migration is named to people: `iam/0009_audit_by_action`.
pub fn migration_label(domain: &str, version: i64, name: &str) -> String {
    format!("{domain}/{version:04}_{name}")
}

/// [`Db::migrations_status`]'s answer; labels are `domain/0001_name`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MigrationStatus {
    pub pending: Vec<String>,
    pub unknown: Vec<String>,
    pub edited: Vec<String>,
}

impl MigrationStatus {
    /// A database that does not exist yet: every migration pending.
    pub fn all_pending(sets: &[&MigrationSet]) -> MigrationStatus {
        MigrationStatus {
            pending: sets
                .iter()
                .flat_map(|set| {
                    set.migrations
                        .iter()
                        .map(|m| migration_label(set.domain, m.version, m.name))
                })
                .collect(),
            ..MigrationStatus::default()
        }
    }
}

/// Column conversions every store needs: stored values that do not decode are corruption, named
/// by what they should have been. Structured values are JSON text and enums their serde names,
/// which both backends store alike.
pub mod column {
    use serde::Serialize;
    use serde::de::DeserializeOwned;

    use super::DbError;

    /// A stored value that does not decode to what it should.
    pub fn corrupt(what: &str) -> DbError {
        DbError::Sqlx(sqlx::Error::Decode(format!("corrupt {what}").into()))
    }

    /// A typed id, `Money` currency or other `FromStr` value stored as text.
    pub fn parse<T: std::str::FromStr>(text: &str, what: &str) -> Result<T, DbError> {
        text.parse().map_err(|_| corrupt(what))
    }

    pub fn to_json<T: Serialize>(value: &T) -> String {
        // Invariant: stored values are plain serde data, which always serialises.
        serde_json::to_string(value).expect("stored values serialise to JSON")
    }

    pub fn from_json<T: DeserializeOwned>(text: &str, what: &str) -> Result<T, DbError> {
        serde_json::from_str(text).map_err(|_| corrupt(what))
    }

    /// A unit enum as its serde name: `available`, `kyc_state`…
    pub fn enum_to_text<T: Serialize>(value: &T) -> String {
        serde_json::to_value(value)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default()
    }

    pub fn enum_from_text<T: DeserializeOwned>(text: &str, what: &str) -> Result<T, DbError> {
        serde_json::from_value(serde_json::Value::String(text.to_string())).map_err(|_| corrupt(what))
    }
}

/// Arbitrary constant naming Ingot's migration lock among PostgreSQL advisory locks.
const MIGRATION_LOCK_KEY: i64 = 0x1460_7d00_0001;

/// One schema change of one domain. Portable SQL by default; a PostgreSQL variant only where the
/// dialects truly differ (identity columns, system functions).
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
    pub postgres_sql: Option<&'static str>,
}

impl Migration {
    pub const fn portable(version: i64, name: &'static str, sql: &'static str) -> Migration {
        Migration {
            version,
            name,
            sql,
            postgres_sql: None,
        }
    }

    pub const fn per_backend(
        version: i64,
        name: &'static str,
        sqlite: &'static str,
        postgres: &'static str,
    ) -> Migration {
        Migration {
            version,
            name,
            sql: sqlite,
            postgres_sql: Some(postgres),
        }
    }

    pub fn sql_for(&self, backend: Backend) -> &'static str {
        match (backend, self.postgres_sql) {
            (Backend::Postgres, Some(postgres)) => postgres,
            _ => self.sql,
        }
    }
}

/// A domain's migrations. Its tables all start with `table_prefix`: each domain owns its tables.
#[derive(Debug, Clone, Copy)]
pub struct MigrationSet {
    pub domain: &'static str,
    pub table_prefix: &'static str,
    pub migrations: &'static [Migration],
}

impl MigrationSet {
    /// Versions strictly increase, and every table or index created carries the domain's prefix.
    pub fn check(&self) -> Result<(), String> {
        let mut last = 0;
        for migration in self.migrations {
            if migration.version <= last {
                return Err(format!("version {} does not follow {last}", migration.version));
            }
            last = migration.version;
            for sql in std::iter::once(migration.sql).chain(migration.postgres_sql) {
                for name in created_names(sql) {
                    if !name.starts_with(self.table_prefix) {
                        return Err(format!("`{name}` lacks the prefix `{}`", self.table_prefix));
                    }
                }
            }
        }
        Ok(())
    }
}

/// Names after `CREATE [UNIQUE] TABLE|INDEX [IF NOT EXISTS]` in a script.
fn created_names(sql: &str) -> Vec<String> {
    let words: Vec<String> = sql
        .split(|c: char| c.is_whitespace() || c == '(' || c == ';')
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let mut names = Vec::new();
    for (i, word) in words.iter().enumerate() {
        if word != "create" {
            continue;
        }
        let mut j = i + 1;
        if words.get(j).map(String::as_str) == Some("unique") {
            j += 1;
        }
        if !matches!(words.get(j).map(String::as_str), Some("table" | "index")) {
            continue;
        }
        j += 1;
        if words.get(j).map(String::as_str) == Some("if") {
            j += 3;
        }
        if let Some(name) = words.get(j) {
            names.push(name.trim_matches('"').to_string());
        }
    }
    names
}

/// The kernel's own tables (outbox, cursors, leases, idempotency records); applied first.
pub const KERNEL_MIGRATIONS: MigrationSet = MigrationSet {
    domain: "kernel",
    table_prefix: "kernel_",
    migrations: &[Migration::per_backend(
        1,
        "plumbing",
        include_str!("../migrations/0001_plumbing.sqlite.sql"),
        include_str!("../migrations/0001_plumbing.postgres.sql"),
    )],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_created_tables_and_indexes() {
        let sql = "CREATE TABLE alloc_a (id TEXT);\nCREATE UNIQUE INDEX IF NOT EXISTS alloc_b ON alloc_a (id);\n\
                   create index \"alloc_c\" on alloc_a(id); -- CREATE VIEW x";
        assert_eq!(created_names(sql), ["alloc_a", "alloc_b", "alloc_c"]);
    }

    #[test]
    fn refuses_foreign_prefixes_and_unordered_versions() {
        const BAD_PREFIX: &[Migration] = &[Migration::portable(1, "init", "CREATE TABLE nodes (id TEXT)")];
        let set = MigrationSet {
            domain: "inventory-catalog",
            table_prefix: "inv_",
            migrations: BAD_PREFIX,
        };
        assert_eq!(set.check(), Err("`nodes` lacks the prefix `inv_`".to_string()));
        const UNORDERED: &[Migration] = &[
            Migration::portable(2, "b", "CREATE TABLE inv_b (id TEXT)"),
            Migration::portable(1, "a", "CREATE TABLE inv_a (id TEXT)"),
        ];
        let set = MigrationSet {
            domain: "inventory-catalog",
            table_prefix: "inv_",
            migrations: UNORDERED,
        };
        assert_eq!(set.check(), Err("version 1 does not follow 2".to_string()));
    }
}
