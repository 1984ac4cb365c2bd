//! Fresh, migrated databases for tests: a SQLite file in a temp folder, or a new PostgreSQL
//! database on the server named by `INGOT_TEST_DATABASE_URL` (default: the local one, as the
//! README's test command starts it). Store suites run every case on both.

use std::path::PathBuf;
use std::time::Duration;

use sqlx::{AnyConnection, Connection, Executor, Row};

use crate::clock::Timestamp;
use crate::db::{Backend, Db, MigrationSet, PoolLimits};
use crate::id::new_ulid;

pub const TEST_DATABASE_URL_DEFAULT: &str = "postgres://postgres@127.0.0.1:5432/postgres";
/// Test databases older than this are left over from crashed runs and are dropped.
const STALE_AFTER: Duration = Duration::from_secs(3_600);

/// The PostgreSQL server tests use.
pub fn test_postgres_url() -> String {
    std::env::var("INGOT_TEST_DATABASE_URL").unwrap_or_else(|_| TEST_DATABASE_URL_DEFAULT.into())
}

/// A database for one test. SQLite files live under the temp dir; PostgreSQL databases are named
/// `ingot_t_<ulid>` and dropped by a later run once stale.
#[derive(Debug)]
pub struct TestDb {
    pub db: Db,
    /// The URL a second process would connect with.
    pub url: String,
    sqlite_dir: Option<PathBuf>,
}

impl TestDb {
    pub async fn new(backend: Backend) -> TestDb {
        match backend {
            Backend::Sqlite => TestDb::sqlite().await,
            Backend::Postgres => TestDb::postgres().await,
        }
    }

    pub async fn sqlite() -> TestDb {
        let dir = std::env::temp_dir().join(format!("ingot-test-{}", new_ulid()));
        std::fs::create_dir_all(&dir).expect("temp dir is writable");
        let path = dir.join("ingot.db");
        let db = Db::open_sqlite_file(&path, PoolLimits::default())
            .await
            .expect("sqlite opens");
        TestDb {
            db,
            url: format!("sqlite://{}?mode=rwc", path.display()),
            sqlite_dir: Some(dir),
        }
    }

    pub async fn postgres() -> TestDb {
        let server = test_postgres_url();
        sqlx::any::install_default_drivers();
        let mut admin = AnyConnection::connect(&server).await.unwrap_or_else(|e| {
            panic!("PostgreSQL for tests is unreachable at {server} ({e}); run the README's test command")
        });
        drop_stale_databases(&mut admin).await;
        let name = format!("ingot_t_{}", new_ulid().to_string().to_ascii_lowercase());
        admin
            .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .await
            .expect("test database is created");
        let _ = admin.close().await;
        let url = database_url_with_name(&server, &name);
        let limits = PoolLimits {
            connections_max: 24,
            acquire_timeout: Duration::from_secs(10),
        };
        let db = Db::connect(&url, limits).await.expect("test database connects");
        TestDb {
            db,
            url,
            sqlite_dir: None,
        }
    }

    /// Applies `sets` (usually kernel's plus the crate's own).
    pub async fn migrated(self, sets: &[&MigrationSet]) -> TestDb {
        self.db
            .migrate(sets, Timestamp::from_secs(1_700_000_000))
            .await
            .expect("migrations apply");
        self
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(dir) = &self.sqlite_dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

fn database_url_with_name(server: &str, name: &str) -> String {
    let (base, query) = server
        .split_once('?')
        .map_or((server, None), |(b, q)| (b, Some(q)));
    let authority_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let path_start = base[authority_end..]
        .find('/')
        .map(|i| i + authority_end)
        .unwrap_or(base.len());
    let mut url = format!("{}/{name}", &base[..path_start]);
    if let Some(query) = query {
        url.push('?');
        url.push_str(query);
    }
    url
}

async fn drop_stale_databases(admin: &mut AnyConnection) {
    let Ok(rows) = sqlx::query("SELECT datname FROM pg_database WHERE datname LIKE 'ingot_t_%'")
        .fetch_all(&mut *admin)
        .await
    else {
        return;
    };
    #[allow(clippy::disallowed_methods)] // Age of leftovers from other runs: wall-clock time is the point.
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis();
    for row in rows {
        let Ok(name) = row.try_get::<String, _>("datname") else {
            continue;
        };
        let Ok(ulid) = ulid::Ulid::from_string(&name["ingot_t_".len()..].to_ascii_uppercase()) else {
            continue;
        };
        if now_ms.saturating_sub(u128::from(ulid.timestamp_ms())) > STALE_AFTER.as_millis() {
            let _ = admin
                .execute(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .await;
        }
    }
}

/// Runs the body once per backend as two tests: `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! store_test {
    ($name:ident, |$db:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                #[allow(unused_variables)]
                let $db = $crate::testing::TestDb::new($crate::db::Backend::Sqlite).await;
                $body
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                #[allow(unused_variables)]
                let $db = $crate::testing::TestDb::new($crate::db::Backend::Postgres).await;
                $body
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps_the_database_name_keeping_credentials_and_options() {
        assert_eq!(
            database_url_with_name("postgres://u:p@h:5432/postgres", "x"),
            "postgres://u:p@h:5432/x"
        );
        assert_eq!(
            database_url_with_name("postgres://h/postgres?sslmode=disable", "x"),
            "postgres://h/x?sslmode=disable"
        );
        assert_eq!(database_url_with_name("postgres://h", "x"), "postgres://h/x");
    }
}

/// A small deterministic generator for property tests: the same seed replays the same sequence,
/// so a failing seed can be rerun.
#[derive(Debug, Clone)]
pub struct XorShift(pub u64);

impl XorShift {
    /// The next number in `0..below`.
    pub fn next(&mut self, below: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % below as u64) as usize
    }
}
