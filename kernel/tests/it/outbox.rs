//! The outbox: order, cursors, rollbacks, concurrent producers, and the PostgreSQL commit-order trap.
use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use ingot_kernel::Timestamp;
use ingot_kernel::db::{Backend, Db};
use ingot_kernel::event::EventEnvelope;
use ingot_kernel::id::EventId;
use ingot_kernel::outbox::{append_in_tx, batch_fetch_in_tx, cursor_advance_in_tx};
use ingot_kernel::store_test;
use ingot_kernel::testing::TestDb;
use sqlx::Row;

use super::kernel_db;

const T0: Timestamp = Timestamp::from_secs(1_700_000_000);

fn event(n: i64) -> EventEnvelope {
    EventEnvelope {
        id: EventId::generate(),
        seq: 0,
        event_type: "demo.happened".into(),
        source: "demo".into(),
        subject: format!("thing_{n}"),
        tenant_id: None,
        occurred_at: T0,
        schema_version: 1,
        payload: serde_json::json!({ "n": n }),
    }
}

async fn append_committed(db: &Db, n: i64) -> EventEnvelope {
    let event = event(n);
    let mut tx = db.begin().await.unwrap();
    append_in_tx(&mut tx, &event).await.unwrap();
    tx.commit().await.unwrap();
    event
}

/// One consumer pass: fetch a batch, "handle" it, advance the cursor, commit.
async fn consume_envelopes(db: &Db, consumer: &str) -> Vec<EventEnvelope> {
    let mut tx = db.begin().await.unwrap();
    let batch = batch_fetch_in_tx(db, &mut tx, consumer, 100, T0).await.unwrap();
    if let Some(last) = batch.last {
        cursor_advance_in_tx(&mut tx, consumer, last, T0).await.unwrap();
    }
    tx.commit().await.unwrap();
    batch.events
}

/// One consumer pass, returning the subjects delivered.
async fn consume(db: &Db, consumer: &str) -> Vec<String> {
    consume_envelopes(db, consumer)
        .await
        .into_iter()
        .map(|e| e.subject)
        .collect()
}

/// Consumes until `count` events arrived. On PostgreSQL the delivery horizon is cluster-wide, so
/// open transactions of other tests (other databases) may hold events back for a moment: they are
/// delayed, never skipped. Bounded, so a lost event fails the test.
async fn consume_exactly(db: &Db, consumer: &str, count: usize) -> Vec<String> {
    let mut seen = Vec::new();
    let mut ticker = tokio::time::interval(std::time::Duration::from_millis(10));
    for _ in 0..1_000 {
        seen.extend(consume(db, consumer).await);
        if seen.len() >= count {
            break;
        }
        ticker.tick().await;
    }
    assert_eq!(seen.len(), count, "expected {count} events, got {seen:?}");
    seen
}

store_test!(consumers_read_in_order_each_behind_its_own_cursor, |t| {
    let t = kernel_db(t).await;
    for n in 0..3 {
        append_committed(&t.db, n).await;
    }
    assert_eq!(
        consume_exactly(&t.db, "a", 3).await,
        ["thing_0", "thing_1", "thing_2"]
    );
    assert!(consume(&t.db, "a").await.is_empty(), "a cursor never re-delivers");
    append_committed(&t.db, 3).await;
    assert_eq!(consume_exactly(&t.db, "a", 1).await, ["thing_3"]);
    assert_eq!(
        consume_exactly(&t.db, "b", 4).await.len(),
        4,
        "another consumer starts from the beginning"
    );
});

store_test!(envelopes_round_trip, |t| {
    let t = kernel_db(t).await;
    let mut sent = event(7);
    sent.tenant_id = Some(ingot_kernel::id::TenantId::generate());
    let mut tx = t.db.begin().await.unwrap();
    sent.seq = append_in_tx(&mut tx, &sent).await.unwrap();
    tx.commit().await.unwrap();
    consume_exactly(&t.db, "probe", 1).await;
    assert_eq!(
        consume_envelopes(&t.db, "c").await,
        [sent],
        "every field survives the outbox"
    );
});

store_test!(rolled_back_events_are_never_delivered, |t| {
    let t = kernel_db(t).await;
    let mut tx = t.db.begin().await.unwrap();
    append_in_tx(&mut tx, &event(0)).await.unwrap();
    tx.rollback().await.unwrap();
    append_committed(&t.db, 1).await;
    assert_eq!(consume_exactly(&t.db, "a", 1).await, ["thing_1"]);
});

store_test!(a_failed_handler_leaves_the_cursor_in_place, |t| {
    let t = kernel_db(t).await;
    append_committed(&t.db, 0).await;
    // A consumer that saw the event once, so we know it is deliverable.
    assert_eq!(consume_exactly(&t.db, "probe", 1).await, ["thing_0"]);
    // The handler fails: its transaction, cursor move included, rolls back.
    let mut ticker = tokio::time::interval(std::time::Duration::from_millis(10));
    let last = loop {
        let mut tx = t.db.begin().await.unwrap();
        let batch = batch_fetch_in_tx(&t.db, &mut tx, "a", 10, T0).await.unwrap();
        if let Some(last) = batch.last {
            cursor_advance_in_tx(&mut tx, "a", last, T0).await.unwrap();
            tx.rollback().await.unwrap();
            break last;
        }
        tx.rollback().await.unwrap();
        ticker.tick().await;
    };
    assert!(last.seq > 0);
    assert_eq!(
        consume_exactly(&t.db, "a", 1).await,
        ["thing_0"],
        "the event is offered again"
    );
});

store_test!(concurrent_producers_lose_and_duplicate_nothing, |t| {
    let t = kernel_db(t).await;
    let producers = 8;
    let per_producer = 40;
    let done = Arc::new(AtomicBool::new(false));
    let mut handles = Vec::new();
    for p in 0..producers {
        let db = t.db.clone();
        handles.push(tokio::spawn(async move {
            let mut committed = Vec::new();
            for i in 0..per_producer {
                let n = p * 1_000 + i;
                let mut tx = db.begin().await.unwrap();
                append_in_tx(&mut tx, &event(n)).await.unwrap();
                // Hold the transaction open across scheduler turns so commits interleave.
                for _ in 0..(n % 5) {
                    tokio::task::yield_now().await;
                }
                if n % 7 == 3 {
                    tx.rollback().await.unwrap();
                } else {
                    tx.commit().await.unwrap();
                    committed.push(format!("thing_{n}"));
                }
            }
            committed
        }));
    }
    let consumer = {
        let db = t.db.clone();
        let done = done.clone();
        tokio::spawn(async move {
            let mut seen = Vec::new();
            loop {
                let finished = done.load(Ordering::SeqCst);
                let batch = consume(&db, "watcher").await;
                if batch.is_empty() && finished {
                    break seen;
                }
                seen.extend(batch);
                tokio::task::yield_now().await;
            }
        })
    };
    let mut expected = BTreeSet::new();
    for handle in handles {
        expected.extend(handle.await.unwrap());
    }
    done.store(true, Ordering::SeqCst);
    let seen = consumer.await.unwrap();
    let unique: BTreeSet<String> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "an event was delivered twice");
    assert_eq!(
        unique, expected,
        "the consumer must see exactly the committed events"
    );
});

/// DESIGN.md §2's trap on PostgreSQL: sequence numbers taken in one order, commits in the other.
#[tokio::test]
async fn postgres_commit_order_differs_from_seq_order_and_nothing_is_skipped() {
    let t = kernel_db(TestDb::new(Backend::Postgres).await).await;
    // tx1 takes the lower seq and stays open; tx2 takes the higher seq and commits first.
    let mut tx1 = t.db.begin().await.unwrap();
    let seq1 = append_in_tx(&mut tx1, &event(1)).await.unwrap();
    let mut tx2 = t.db.begin().await.unwrap();
    let seq2 = append_in_tx(&mut tx2, &event(2)).await.unwrap();
    assert!(seq1 < seq2);
    tx2.commit().await.unwrap();

    // A naive `seq > cursor` reader would see seq2 now, move past seq1, and never return to it.
    let naive = sqlx::query("SELECT seq FROM kernel_outbox WHERE seq > 0 ORDER BY seq")
        .fetch_all(t.db.reader())
        .await
        .unwrap();
    assert_eq!(
        naive
            .iter()
            .map(|r| r.try_get::<i64, _>("seq").unwrap())
            .collect::<Vec<_>>(),
        [seq2]
    );

    let while_open = consume(&t.db, "a").await;
    assert!(
        while_open.is_empty(),
        "nothing past the oldest open transaction is delivered: {while_open:?}"
    );
    tx1.commit().await.unwrap();
    assert_eq!(consume_exactly(&t.db, "a", 2).await, ["thing_1", "thing_2"]);
    assert!(consume(&t.db, "a").await.is_empty());
}

/// The other interleaving: the transaction that commits first is also the older one.
#[tokio::test]
async fn postgres_older_transaction_with_higher_seq_is_delivered_without_skipping() {
    let t = kernel_db(TestDb::new(Backend::Postgres).await).await;
    let mut tx2 = t.db.begin().await.unwrap();
    sqlx::query("SELECT pg_current_xact_id()::text")
        .execute(&mut *tx2)
        .await
        .unwrap(); // older xid
    let mut tx1 = t.db.begin().await.unwrap();
    sqlx::query("SELECT pg_current_xact_id()::text")
        .execute(&mut *tx1)
        .await
        .unwrap(); // newer xid
    let seq1 = append_in_tx(&mut tx1, &event(1)).await.unwrap();
    let seq2 = append_in_tx(&mut tx2, &event(2)).await.unwrap();
    assert!(seq1 < seq2);
    tx2.commit().await.unwrap();
    assert_eq!(
        consume_exactly(&t.db, "a", 1).await,
        ["thing_2"],
        "the older transaction's event is safe to deliver"
    );
    tx1.commit().await.unwrap();
    assert_eq!(
        consume_exactly(&t.db, "a", 1).await,
        ["thing_1"],
        "the lower seq committed later is still delivered"
    );
    assert!(consume(&t.db, "a").await.is_empty());
}
