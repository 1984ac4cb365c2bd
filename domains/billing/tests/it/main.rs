//! Billing ledger store suite: every case runs on SQLite and on PostgreSQL.

// Test helpers panic on failure by design: a failed setup is a failed test.
#![allow(clippy::unwrap_used)]

use ingot_billing::MIGRATIONS;
use ingot_billing::model::{AccountKind, AccountRef, HoldState, Posting, PostingKind, Transfer};
use ingot_billing::store::{self, LedgerError};
use ingot_kernel::Timestamp;
use ingot_kernel::db::{Db, KERNEL_MIGRATIONS};
use ingot_kernel::id::TenantId;
use ingot_kernel::money::{Currency, Money};
use ingot_kernel::store_test;
use ingot_kernel::testing::TestDb;

const T0: Timestamp = Timestamp::from_secs(1_700_000_000);

async fn ledger_db(test_db: TestDb) -> TestDb {
    test_db.migrated(&[&KERNEL_MIGRATIONS, &MIGRATIONS]).await
}

fn usd(micros: i64) -> Money {
    Money::from_micros(micros, Currency::USD)
}

fn cash(tenant: TenantId) -> AccountRef {
    AccountRef::tenant(tenant, AccountKind::TenantCash, Currency::USD).unwrap()
}

fn platform(kind: AccountKind) -> AccountRef {
    AccountRef::platform(kind, Currency::USD).unwrap()
}

fn top_up(key: &str, tenant: TenantId, micros: i64) -> Posting {
    let transfer = Transfer {
        debit: platform(AccountKind::PlatformPaymentClearing),
        credit: cash(tenant),
        amount: usd(micros),
    };
    Posting::new(key, PostingKind::TopUp, Some(tenant), vec![transfer], "top-up").unwrap()
}

fn usage(key: &str, tenant: TenantId, micros: i64) -> Posting {
    let transfer = Transfer {
        debit: cash(tenant),
        credit: platform(AccountKind::PlatformRevenue),
        amount: usd(micros),
    };
    Posting::new(key, PostingKind::Usage, Some(tenant), vec![transfer], "usage").unwrap()
}

/// Writes one posting in its own transaction, committing only on success (as the service does).
async fn post(
    db: &Db,
    posting: &Posting,
    hold: Option<ingot_kernel::id::HoldId>,
) -> Result<store::Posted, LedgerError> {
    let mut tx = db.begin().await.unwrap();
    let posted = store::post_in_tx(&mut tx, posting, hold.as_slice(), T0).await?;
    tx.commit().await.unwrap();
    Ok(posted)
}

async fn balance(db: &Db, account: &AccountRef) -> i64 {
    store::account_get(db.reader(), account)
        .await
        .unwrap()
        .map_or(0, |a| a.balance.micros())
}

async fn verified(db: &Db) -> store::LedgerReport {
    let report = store::ledger_verify(db.reader()).await.unwrap();
    assert_eq!(report.breaches, Vec::<String>::new());
    report
}

store_test!(postings_move_balances_and_replays_change_nothing, |t| {
    let t = ledger_db(t).await;
    let tenant = TenantId::generate();
    let first = post(&t.db, &top_up("pay-1", tenant, 10_000_000), None)
        .await
        .unwrap();
    assert!(!first.replayed);
    let again = post(&t.db, &top_up("pay-1", tenant, 10_000_000), None)
        .await
        .unwrap();
    assert_eq!(
        (again.transaction_id, again.replayed),
        (first.transaction_id, true)
    );
    post(&t.db, &usage("use-1", tenant, 2_500_000), None)
        .await
        .unwrap();
    assert_eq!(balance(&t.db, &cash(tenant)).await, 7_500_000);
    assert_eq!(
        balance(&t.db, &platform(AccountKind::PlatformRevenue)).await,
        2_500_000
    );
    assert_eq!(
        balance(&t.db, &platform(AccountKind::PlatformPaymentClearing)).await,
        -10_000_000
    );
    let err = post(&t.db, &top_up("pay-1", tenant, 99), None).await.unwrap_err();
    assert!(matches!(err, LedgerError::IdempotencyConflict(_)), "{err:?}");
    let report = verified(&t.db).await;
    assert_eq!((report.transactions, report.transfers), (2, 2));
});

store_test!(a_posting_past_the_floor_is_refused_whole, |t| {
    let t = ledger_db(t).await;
    let tenant = TenantId::generate();
    post(&t.db, &top_up("pay", tenant, 1_000), None).await.unwrap();
    let err = post(&t.db, &usage("too-much", tenant, 1_001), None)
        .await
        .unwrap_err();
    assert!(matches!(err, LedgerError::InsufficientFunds { .. }), "{err:?}");
    assert_eq!(balance(&t.db, &cash(tenant)).await, 1_000);
    // A refused posting leaves no trace: its key is free for a corrected posting.
    post(&t.db, &usage("too-much", tenant, 1_000), None)
        .await
        .unwrap();
    assert_eq!(balance(&t.db, &cash(tenant)).await, 0);
    // A credit limit lowers the floor.
    let mut tx = t.db.begin().await.unwrap();
    store::account_floor_set_in_tx(&mut tx, &cash(tenant), -500, T0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    post(&t.db, &usage("on-credit", tenant, 500), None).await.unwrap();
    assert!(post(&t.db, &usage("past-credit", tenant, 1), None).await.is_err());
    verified(&t.db).await;
});

store_test!(holds_reserve_capture_and_release, |t| {
    let t = ledger_db(t).await;
    let tenant = TenantId::generate();
    post(&t.db, &top_up("pay", tenant, 100), None).await.unwrap();
    let mut tx = t.db.begin().await.unwrap();
    let (hold, replayed) = store::hold_create_in_tx(
        &mut tx,
        "hold-1",
        &cash(tenant),
        usd(80),
        Timestamp::from_secs(1_800_000_000),
        "alloc",
        T0,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert!(!replayed);
    let figures = store::account_get(t.db.reader(), &cash(tenant))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (figures.held.micros(), figures.spendable().unwrap().micros()),
        (80, 20)
    );
    // Outside the hold only the unreserved 20 may be spent; a second hold cannot take more.
    assert!(post(&t.db, &usage("free", tenant, 21), None).await.is_err());
    let mut tx = t.db.begin().await.unwrap();
    let err = store::hold_create_in_tx(&mut tx, "hold-2", &cash(tenant), usd(21), T0, "x", T0)
        .await
        .unwrap_err();
    assert!(matches!(err, LedgerError::InsufficientFunds { .. }), "{err:?}");
    drop(tx);
    // Charges against the hold capture from it, up to what it reserves; the rest of a charge
    // must fit in the free balance beside it.
    post(&t.db, &usage("metered-1", tenant, 50), Some(hold.id))
        .await
        .unwrap();
    let err = post(&t.db, &usage("metered-2", tenant, 51), Some(hold.id))
        .await
        .unwrap_err();
    assert!(matches!(err, LedgerError::InsufficientFunds { .. }), "{err:?}");
    post(&t.db, &usage("metered-2", tenant, 31), Some(hold.id))
        .await
        .unwrap();
    let figures = store::account_get(t.db.reader(), &cash(tenant))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (figures.balance.micros(), figures.held.micros()),
        (19, 0),
        "30 from the hold, 1 from the free 20"
    );
    let mut tx = t.db.begin().await.unwrap();
    let closed = store::hold_close_in_tx(&mut tx, hold.id, HoldState::Voided, T0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!((closed.state, closed.captured.micros()), (HoldState::Voided, 80));
    // A closed hold pays nothing more: charges against it come from the free balance alone.
    assert!(
        post(&t.db, &usage("metered-3", tenant, 20), Some(hold.id))
            .await
            .is_err()
    );
    post(&t.db, &usage("metered-3", tenant, 19), Some(hold.id))
        .await
        .unwrap();
    assert_eq!(balance(&t.db, &cash(tenant)).await, 0);
    verified(&t.db).await;
});

fn promo(tenant: TenantId) -> AccountRef {
    AccountRef::tenant(tenant, AccountKind::TenantPromo, Currency::USD).unwrap()
}

store_test!(holds_resize_within_the_floor_and_one_posting_draws_on_two, |t| {
    let t = ledger_db(t).await;
    let tenant = TenantId::generate();
    post(&t.db, &top_up("pay", tenant, 100), None).await.unwrap();
    let gift = Transfer {
        debit: platform(AccountKind::PlatformAdjustments),
        credit: promo(tenant),
        amount: usd(10),
    };
    post(
        &t.db,
        &Posting::new("gift", PostingKind::Credit, Some(tenant), vec![gift], "promo").unwrap(),
        None,
    )
    .await
    .unwrap();
    let far = Timestamp::from_secs(1_800_000_000);
    let mut tx = t.db.begin().await.unwrap();
    let (on_cash, _) = store::hold_create_in_tx(&mut tx, "c", &cash(tenant), usd(40), far, "a", T0)
        .await
        .unwrap();
    // Growing past what is free is refused (and rolled back); growing within it and shrinking
    // move `held`.
    let err = store::hold_resize_in_tx(&mut tx, on_cash.id, 101, far, T0)
        .await
        .unwrap_err();
    assert!(matches!(err, LedgerError::InsufficientFunds { .. }), "{err:?}");
    drop(tx);
    let mut tx = t.db.begin().await.unwrap();
    let (on_promo, _) = store::hold_create_in_tx(&mut tx, "p", &promo(tenant), usd(10), far, "a", T0)
        .await
        .unwrap();
    let (on_cash, _) = store::hold_create_in_tx(&mut tx, "c", &cash(tenant), usd(40), far, "a", T0)
        .await
        .unwrap();
    let grown = store::hold_resize_in_tx(&mut tx, on_cash.id, 100, T0, T0)
        .await
        .unwrap();
    assert_eq!((grown.amount.micros(), grown.expires_at), (100, T0));
    store::hold_resize_in_tx(&mut tx, on_cash.id, 60, far, T0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    // One usage of 65 against both: 10 from the promo hold, 55 from the cash hold.
    let both = Posting::new(
        "both",
        PostingKind::Usage,
        Some(tenant),
        vec![
            Transfer {
                debit: promo(tenant),
                credit: platform(AccountKind::PlatformRevenue),
                amount: usd(10),
            },
            Transfer {
                debit: cash(tenant),
                credit: platform(AccountKind::PlatformRevenue),
                amount: usd(55),
            },
        ],
        "usage",
    )
    .unwrap();
    let mut tx = t.db.begin().await.unwrap();
    store::post_in_tx(&mut tx, &both, &[on_promo.id, on_cash.id], T0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let cash_now = store::account_get(t.db.reader(), &cash(tenant))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((cash_now.balance.micros(), cash_now.held.micros()), (45, 5));
    let promo_now = store::account_get(t.db.reader(), &promo(tenant))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((promo_now.balance.micros(), promo_now.held.micros()), (0, 0));
    let held = store::hold_get(t.db.reader(), on_cash.id).await.unwrap().unwrap();
    assert_eq!((held.captured.micros(), held.remaining()), (55, 5));
    verified(&t.db).await;
    // The verifier re-adds each hold's captures from the postings that drew on it.
    let mut tx = t.db.begin().await.unwrap();
    sqlx::query("UPDATE billing_holds SET captured_micros = 50, amount_micros = 55 WHERE id = $1")
        .bind(on_cash.id.to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let report = store::ledger_verify(t.db.reader()).await.unwrap();
    assert!(
        report
            .breaches
            .iter()
            .any(|b| b.contains(&on_cash.id.to_string())),
        "{:?}",
        report.breaches
    );
});

store_test!(voiding_releases_what_was_not_captured, |t| {
    let t = ledger_db(t).await;
    let tenant = TenantId::generate();
    post(&t.db, &top_up("pay", tenant, 100), None).await.unwrap();
    let mut tx = t.db.begin().await.unwrap();
    let (hold, _) = store::hold_create_in_tx(&mut tx, "h", &cash(tenant), usd(90), T0, "alloc", T0)
        .await
        .unwrap();
    let (again, replayed) = store::hold_create_in_tx(&mut tx, "h", &cash(tenant), usd(90), T0, "alloc", T0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!((again.id, replayed), (hold.id, true));
    post(&t.db, &usage("m", tenant, 10), Some(hold.id)).await.unwrap();
    assert_eq!(
        store::holds_expired(t.db.reader(), Timestamp::from_secs(1_700_000_001), 10)
            .await
            .unwrap(),
        [hold.id]
    );
    let mut tx = t.db.begin().await.unwrap();
    store::hold_close_in_tx(&mut tx, hold.id, HoldState::Voided, T0)
        .await
        .unwrap();
    let twice = store::hold_close_in_tx(&mut tx, hold.id, HoldState::Voided, T0)
        .await
        .unwrap();
    assert!(
        store::hold_close_in_tx(&mut tx, hold.id, HoldState::Posted, T0)
            .await
            .is_err()
    );
    tx.commit().await.unwrap();
    assert_eq!(twice.state, HoldState::Voided);
    let figures = store::account_get(t.db.reader(), &cash(tenant))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((figures.balance.micros(), figures.held.micros()), (90, 0));
    assert!(
        store::holds_expired(t.db.reader(), Timestamp::from_secs(1_800_000_000), 10)
            .await
            .unwrap()
            .is_empty()
    );
    verified(&t.db).await;
});

store_test!(entries_cannot_be_edited_or_deleted, |t| {
    let t = ledger_db(t).await;
    let tenant = TenantId::generate();
    post(&t.db, &top_up("pay", tenant, 100), None).await.unwrap();
    for statement in [
        "UPDATE billing_transfers SET amount_micros = 1",
        "DELETE FROM billing_transfers",
        "UPDATE billing_transactions SET memo = 'edited'",
        "DELETE FROM billing_transactions",
    ] {
        let mut tx = t.db.begin().await.unwrap();
        let refused = sqlx::query(statement).execute(&mut *tx).await;
        assert!(refused.is_err(), "{statement} must be refused");
    }
    verified(&t.db).await;
});

store_test!(verify_names_a_tampered_balance, |t| {
    let t = ledger_db(t).await;
    let tenant = TenantId::generate();
    post(&t.db, &top_up("pay", tenant, 100), None).await.unwrap();
    let mut tx = t.db.begin().await.unwrap();
    sqlx::query("UPDATE billing_accounts SET balance_micros = balance_micros + 1 WHERE key = $1")
        .bind(cash(tenant).key())
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let report = store::ledger_verify(t.db.reader()).await.unwrap();
    assert_eq!(report.breaches.len(), 2, "{:?}", report.breaches);
    assert!(
        report.breaches[0].contains(&cash(tenant).key()),
        "{:?}",
        report.breaches
    );
    assert!(
        report.breaches[1].starts_with("currency USD"),
        "{:?}",
        report.breaches
    );
});

// 32 writers spend from one hot account at once: the floor holds, every success is counted,
// and the ledger verifies afterwards.
store_test!(racing_writers_never_overdraw_a_hot_account, |t| {
    let t = ledger_db(t).await;
    let tenant = TenantId::generate();
    post(&t.db, &top_up("pay", tenant, 1_000), None).await.unwrap();
    let mut handles = Vec::new();
    for writer in 0..32 {
        let db = t.db.clone();
        handles.push(tokio::spawn(async move {
            let mut spent = 0;
            for i in 0..5 {
                let mut tx = db.begin().await.unwrap();
                match store::post_in_tx(&mut tx, &usage(&format!("w{writer}-{i}"), tenant, 7), &[], T0).await
                {
                    Ok(_) => {
                        tx.commit().await.unwrap();
                        spent += 7;
                    }
                    Err(LedgerError::InsufficientFunds { .. }) => {}
                    Err(err) => panic!("{err:?}"),
                }
            }
            spent
        }));
    }
    let mut spent = 0;
    for handle in handles {
        spent += handle.await.unwrap();
    }
    assert_eq!(spent, 994, "every 7 that fits in 1,000 is spent, and no more");
    assert_eq!(balance(&t.db, &cash(tenant)).await, 6);
    verified(&t.db).await;
});
