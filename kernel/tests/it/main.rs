//! Kernel store suite: every case runs on SQLite and on PostgreSQL (`name::sqlite`, `name::postgres`).

// Test helpers panic on failure by design: a failed setup is a failed test.
#![allow(clippy::unwrap_used, clippy::zombie_processes)]

mod idempotency;
mod lease;
mod migrations;
mod outbox;

use ingot_kernel::db::{KERNEL_MIGRATIONS, MigrationSet};
use ingot_kernel::testing::TestDb;

/// The kernel's tables, freshly migrated.
pub async fn kernel_db(test_db: TestDb) -> TestDb {
    test_db.migrated(&[&KERNEL_MIGRATIONS as &MigrationSet]).await
}
