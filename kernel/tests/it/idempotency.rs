//! Idempotency records: replay, mismatch, in-flight, expiry, racing first uses.
use std::time::Duration;

use ingot_kernel::Timestamp;
use ingot_kernel::idempotency::{
    IDEMPOTENCY_PENDING_TTL, IDEMPOTENCY_TTL, IdempotencyBegin, StoredResponse, idempotency_abandon,
    idempotency_begin, idempotency_complete, idempotency_purge_expired,
};
use ingot_kernel::store_test;

use super::kernel_db;

const T0: Timestamp = Timestamp::from_secs(1_700_000_000);

fn created() -> StoredResponse {
    StoredResponse {
        status: 201,
        content_type: Some("application/json".into()),
        body: "{\"id\":1}".into(),
    }
}

store_test!(same_key_same_request_replays_the_stored_response, |t| {
    let t = kernel_db(t).await;
    let db = &t.db;
    assert_eq!(
        idempotency_begin(db, "tok_1", "k", "h1", T0).await.unwrap(),
        IdempotencyBegin::Fresh
    );
    assert_eq!(
        idempotency_begin(db, "tok_1", "k", "h1", T0).await.unwrap(),
        IdempotencyBegin::InFlight
    );
    idempotency_complete(db, "tok_1", "k", &created(), T0)
        .await
        .unwrap();
    assert_eq!(
        idempotency_begin(db, "tok_1", "k", "h1", T0).await.unwrap(),
        IdempotencyBegin::Replay(created())
    );
    assert_eq!(
        idempotency_begin(db, "tok_1", "k", "h2", T0).await.unwrap(),
        IdempotencyBegin::Mismatch
    );
    assert_eq!(
        idempotency_begin(db, "tok_2", "k", "h2", T0).await.unwrap(),
        IdempotencyBegin::Fresh,
        "keys are per scope"
    );
});

store_test!(abandoned_and_expired_keys_run_again, |t| {
    let t = kernel_db(t).await;
    let db = &t.db;
    assert_eq!(
        idempotency_begin(db, "s", "k", "h", T0).await.unwrap(),
        IdempotencyBegin::Fresh
    );
    // Only the claim made at that time is forgotten: a later one is another request's.
    idempotency_abandon(db, "s", "k", T0.minus(Duration::from_micros(1)))
        .await
        .unwrap();
    assert_eq!(
        idempotency_begin(db, "s", "k", "h", T0).await.unwrap(),
        IdempotencyBegin::InFlight
    );
    idempotency_abandon(db, "s", "k", T0).await.unwrap();
    assert_eq!(
        idempotency_begin(db, "s", "k", "h", T0).await.unwrap(),
        IdempotencyBegin::Fresh
    );
    // A claim whose process died stays in flight for its pending TTL only.
    let later = T0.plus(IDEMPOTENCY_PENDING_TTL);
    assert_eq!(
        idempotency_begin(db, "s", "k", "h", later.minus(Duration::from_micros(1)))
            .await
            .unwrap(),
        IdempotencyBegin::InFlight
    );
    assert_eq!(
        idempotency_begin(db, "s", "k", "h", later).await.unwrap(),
        IdempotencyBegin::Fresh
    );
    idempotency_complete(db, "s", "k", &created(), later)
        .await
        .unwrap();
    let end = later.plus(IDEMPOTENCY_TTL);
    assert!(matches!(
        idempotency_begin(db, "s", "k", "h", end.minus(Duration::from_micros(1)))
            .await
            .unwrap(),
        IdempotencyBegin::Replay(_)
    ));
    assert_eq!(idempotency_purge_expired(db, end, 100).await.unwrap(), 1);
    assert_eq!(
        idempotency_begin(db, "s", "k", "other", end).await.unwrap(),
        IdempotencyBegin::Fresh
    );
});

store_test!(racing_first_uses_let_exactly_one_run, |t| {
    let t = kernel_db(t).await;
    let mut handles = Vec::new();
    for _ in 0..8 {
        let db = t.db.clone();
        handles.push(tokio::spawn(async move {
            idempotency_begin(&db, "s", "race", "h", T0).await.unwrap()
        }));
    }
    let mut fresh = 0;
    for handle in handles {
        match handle.await.unwrap() {
            IdempotencyBegin::Fresh => fresh += 1,
            IdempotencyBegin::InFlight => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(fresh, 1);
});
