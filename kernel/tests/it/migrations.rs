//! Migrations: applied once, in order, whole or not at all, safely from several replicas.
use ingot_kernel::Timestamp;
use ingot_kernel::db::{DbError, KERNEL_MIGRATIONS, Migration, MigrationSet};
use ingot_kernel::store_test;
use sqlx::Row;

const T0: Timestamp = Timestamp::from_secs(1_700_000_000);

const V1: &[Migration] = &[Migration::portable(
    1,
    "things",
    "CREATE TABLE demo_things (id TEXT PRIMARY KEY, n BIGINT NOT NULL)",
)];
const V1_EDITED: &[Migration] = &[Migration::portable(
    1,
    "things",
    "CREATE TABLE demo_things (id TEXT PRIMARY KEY)",
)];
const V2: &[Migration] = &[
    Migration::portable(
        1,
        "things",
        "CREATE TABLE demo_things (id TEXT PRIMARY KEY, n BIGINT NOT NULL)",
    ),
    Migration::portable(
        2,
        "index",
        "CREATE INDEX demo_things_n ON demo_things (n);\nINSERT INTO demo_things (id, n) VALUES ('a', 1);",
    ),
];

fn demo(migrations: &'static [Migration]) -> MigrationSet {
    MigrationSet {
        domain: "demo",
        table_prefix: "demo_",
        migrations,
    }
}

store_test!(applies_once_and_in_order, |t| {
    let applied = t.db.migrate(&[&KERNEL_MIGRATIONS, &demo(V1)], T0).await.unwrap();
    assert_eq!(applied, ["kernel/0001_plumbing", "demo/0001_things"]);
    let applied = t.db.migrate(&[&KERNEL_MIGRATIONS, &demo(V2)], T0).await.unwrap();
    assert_eq!(applied, ["demo/0002_index"], "only the new migration runs");
    assert!(
        t.db.migrate(&[&KERNEL_MIGRATIONS, &demo(V2)], T0)
            .await
            .unwrap()
            .is_empty()
    );
    let row = sqlx::query("SELECT n FROM demo_things WHERE id = 'a'")
        .fetch_one(t.db.reader())
        .await
        .unwrap();
    assert_eq!(
        row.try_get::<i64, _>("n").unwrap(),
        1,
        "a multi-statement script ran whole"
    );
});

store_test!(an_edited_migration_is_refused, |t| {
    t.db.migrate(&[&demo(V1)], T0).await.unwrap();
    let err = t.db.migrate(&[&demo(V1_EDITED)], T0).await.unwrap_err();
    assert!(
        matches!(err, DbError::MigrationEdited { ref domain, version: 1 } if domain == "demo"),
        "{err:?}"
    );
});

store_test!(a_failing_migration_leaves_nothing_behind, |t| {
    const BROKEN: &[Migration] = &[Migration::portable(
        1,
        "broken",
        "CREATE TABLE demo_half (id TEXT);\nTHIS IS NOT SQL;",
    )];
    assert!(t.db.migrate(&[&demo(BROKEN)], T0).await.is_err());
    let recorded = sqlx::query("SELECT COUNT(*) AS n FROM kernel_migrations WHERE domain = 'demo'")
        .fetch_one(t.db.reader())
        .await
        .unwrap();
    assert_eq!(recorded.try_get::<i64, _>("n").unwrap(), 0);
    // Fixing the script lets it apply: nothing half-applied is in the way.
    const FIXED: &[Migration] = &[Migration::portable(
        1,
        "broken",
        "CREATE TABLE demo_half (id TEXT)",
    )];
    assert_eq!(
        t.db.migrate(&[&demo(FIXED)], T0).await.unwrap(),
        ["demo/0001_broken"]
    );
});

store_test!(replicas_migrating_at_once_apply_each_migration_once, |t| {
    let mut handles = Vec::new();
    for _ in 0..4 {
        let db = ingot_kernel::db::Db::connect(&t.url, Default::default())
            .await
            .unwrap();
        handles.push(tokio::spawn(async move {
            db.migrate(&[&KERNEL_MIGRATIONS, &demo(V2)], T0).await.unwrap()
        }));
    }
    let mut total = 0;
    for handle in handles {
        total += handle.await.unwrap().len();
    }
    assert_eq!(
        total, 3,
        "each of the three migrations applied by exactly one replica"
    );
});
