//! Billing store: SQL for the `billing_*` tables only.
//!
//! The ledger is written in one way: [`post_in_tx`] takes a [`Posting`] (balanced by
//! construction), claims its idempotency key first, then moves each account's balance once, in
//! account-key order, with the floor checked in the same conditional UPDATE. Two writers racing
//! for one account therefore queue on its row (PostgreSQL) or on the single writer (SQLite), and
//! the second sees the first's balance: no overdraft, no deadlock. Transactions and transfers
//! are append-only (triggers refuse UPDATE and DELETE); [`ledger_verify`] recomputes everything.

use std::collections::BTreeMap;

use ingot_contracts::billing::{AccountSnapshot, BalanceChanged, TransactionPosted};
use ingot_kernel::Timestamp;
use ingot_kernel::db::column::{enum_from_text, enum_to_text, parse};
use ingot_kernel::db::{DbError, Tx};
use ingot_kernel::event::DomainEvent;
use ingot_kernel::id::{HoldId, TenantId, TransactionId};
use ingot_kernel::money::{Currency, Money};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};

use crate::model::{AccountKind, AccountRef, Hold, HoldError, HoldState, Posting, account_deltas};

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error(transparent)]
    Db(#[from] DbError),
    /// The posting would take `account` below its floor.
    #[error("insufficient funds in {account}")]
    InsufficientFunds { account: String },
    /// The idempotency key was used for a different posting.
    #[error("idempotency key {0} was used for a different posting")]
    IdempotencyConflict(String),
    #[error("no such hold")]
    HoldUnknown,
    #[error(transparent)]
    Hold(#[from] HoldError),
    /// Another writer captured from or closed the hold between reading and charging it: retry.
    #[error("the hold changed meanwhile")]
    HoldChanged,
}

impl From<sqlx::Error> for LedgerError {
    fn from(err: sqlx::Error) -> LedgerError {
        LedgerError::Db(err.into())
    }
}

/// What writing a posting did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posted {
    pub transaction_id: TransactionId,
    /// The key had been used for this same posting: nothing changed, the first result stands.
    pub replayed: bool,
}

/// Creates the account if it does not exist. Tenant accounts get a floor of zero; platform
/// accounts have none.
pub async fn account_ensure_in_tx(tx: &mut Tx, account: &AccountRef, now: Timestamp) -> Result<(), DbError> {
    let floor: Option<i64> = account.kind().is_tenant().then_some(0);
    sqlx::query(
        "INSERT INTO billing_accounts (key, tenant_id, kind, currency, floor_micros, created_at_us) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key) DO NOTHING",
    )
    .bind(account.key())
    .bind(account.tenant_id().map(|t| t.to_string()))
    .bind(enum_to_text(&account.kind()))
    .bind(account.currency().as_str())
    .bind(floor)
    .bind(now.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Creates the account if need be and takes its row for the rest of the transaction, so writers
/// that must see each other's effect on it (admissions of one tenant) queue.
pub async fn account_lock_in_tx(tx: &mut Tx, account: &AccountRef, now: Timestamp) -> Result<(), DbError> {
    account_ensure_in_tx(tx, account, now).await?;
    sqlx::query(
        "UPDATE billing_accounts SET held_micros = held_micros, version = version + 1 WHERE key = $1",
    )
    .bind(account.key())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Sets how far below zero a tenant account may go (a credit limit); `floor` is ≤ 0.
pub async fn account_floor_set_in_tx(
    tx: &mut Tx,
    account: &AccountRef,
    floor: i64,
    now: Timestamp,
) -> Result<(), DbError> {
    account_ensure_in_tx(tx, account, now).await?;
    sqlx::query("UPDATE billing_accounts SET floor_micros = $1, version = version + 1 WHERE key = $2")
        .bind(floor)
        .bind(account.key())
        .execute(&mut **tx)
        .await?;
    if let Some(tenant_id) = account.tenant_id() {
        balance_announce_in_tx(tx, tenant_id, account.currency(), now).await?;
    }
    Ok(())
}

/// An account's stored figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountFigures {
    pub balance: Money,
    /// Reserved by pending holds.
    pub held: Money,
    pub floor: Option<Money>,
}

impl AccountFigures {
    /// What may still be spent or reserved: balance − held − floor (unbounded without a floor).
    pub fn spendable(&self) -> Option<Money> {
        self.floor.map(|floor| {
            Money::from_micros(
                self.balance.micros() - self.held.micros() - floor.micros(),
                self.balance.currency(),
            )
        })
    }
}

pub async fn account_get<'e, E: Executor<'e, Database = Any>>(
    db: E,
    account: &AccountRef,
) -> Result<Option<AccountFigures>, DbError> {
    let currency = account.currency();
    sqlx::query("SELECT balance_micros, held_micros, floor_micros FROM billing_accounts WHERE key = $1")
        .bind(account.key())
        .fetch_optional(db)
        .await?
        .map(|row| {
            Ok(AccountFigures {
                balance: Money::from_micros(row.try_get("balance_micros")?, currency),
                held: Money::from_micros(row.try_get("held_micros")?, currency),
                floor: row
                    .try_get::<Option<i64>, _>("floor_micros")?
                    .map(|f| Money::from_micros(f, currency)),
            })
        })
        .transpose()
}

/// A tenant's money in one currency as its two accounts hold it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TenantFigures {
    pub cash: Money,
    pub promo: Money,
    /// Reserved by pending holds on either account.
    pub cash_held: Money,
    pub promo_held: Money,
    /// How far below zero cash may go (zero for prepaid).
    pub credit_limit: Money,
    /// Each account's change counter (0: the account does not exist yet).
    pub cash_version: u64,
    pub promo_version: u64,
}

impl TenantFigures {
    pub fn held(&self) -> Money {
        Money::from_micros(
            self.cash_held.micros() + self.promo_held.micros(),
            self.cash.currency(),
        )
    }

    /// What may still be spent or reserved: cash + promo − held + credit limit.
    pub fn available(&self) -> Money {
        Money::from_micros(
            self.cash.micros() + self.promo.micros() - self.held().micros() + self.credit_limit.micros(),
            self.cash.currency(),
        )
    }
}

pub async fn tenant_figures<'e, E>(
    db: E,
    tenant_id: TenantId,
    currency: Currency,
) -> Result<TenantFigures, DbError>
where
    E: Executor<'e, Database = Any>,
{
    let cash = AccountRef::tenant(tenant_id, AccountKind::TenantCash, currency).map(|a| a.key());
    let promo = AccountRef::tenant(tenant_id, AccountKind::TenantPromo, currency).map(|a| a.key());
    let rows = sqlx::query(
        "SELECT key, balance_micros, held_micros, floor_micros, version FROM billing_accounts WHERE key = $1 OR key = $2",
    )
    .bind(cash.clone())
    .bind(promo)
    .fetch_all(db)
    .await?;
    let zero = Money::zero(currency);
    let mut figures = TenantFigures {
        cash: zero,
        promo: zero,
        cash_held: zero,
        promo_held: zero,
        credit_limit: zero,
        cash_version: 0,
        promo_version: 0,
    };
    for row in rows {
        let key: String = row.try_get("key")?;
        let balance = Money::from_micros(row.try_get("balance_micros")?, currency);
        let held = Money::from_micros(row.try_get("held_micros")?, currency);
        let version = u64::try_from(row.try_get::<i64, _>("version")?).unwrap_or(0);
        if Some(&key) == cash.as_ref() {
            let floor: Option<i64> = row.try_get("floor_micros")?;
            figures.cash = balance;
            figures.cash_held = held;
            figures.cash_version = version;
            figures.credit_limit = Money::from_micros(-floor.unwrap_or(0), currency);
        } else {
            figures.promo = balance;
            figures.promo_held = held;
            figures.promo_version = version;
        }
    }
    Ok(figures)
}

/// Announces the tenant's balance as it now stands (`billing.balance_changed`), in the
/// transaction that changed it.
pub async fn balance_announce_in_tx(
    tx: &mut Tx,
    tenant_id: TenantId,
    currency: Currency,
    now: Timestamp,
) -> Result<(), DbError> {
    let figures = tenant_figures(&mut **tx, tenant_id, currency).await?;
    let event = BalanceChanged {
        tenant_id,
        cash: AccountSnapshot {
            balance: figures.cash,
            held: figures.cash_held,
            version: figures.cash_version,
        },
        promo: AccountSnapshot {
            balance: figures.promo,
            held: figures.promo_held,
            version: figures.promo_version,
        },
        credit_limit: figures.credit_limit,
        at: now,
    };
    ingot_kernel::outbox::append_in_tx(tx, &event.to_envelope(now)).await?;
    Ok(())
}

/// Writes `posting` in the caller's transaction, drawing on `against_holds` first: each hold
/// pays as much of its account's debit in this posting as it still reserves, and whatever the
/// holds do not cover must fit above the account's floor beside every other hold. Each capture
/// is recorded with the transaction, so `ledger_verify` can re-add them. On any error the caller
/// must roll back: nothing of the posting may remain.
pub async fn post_in_tx(
    tx: &mut Tx,
    posting: &Posting,
    against_holds: &[HoldId],
    now: Timestamp,
) -> Result<Posted, LedgerError> {
    let transaction_id = TransactionId::generate();
    let fingerprint = posting.fingerprint();
    let claimed = sqlx::query(
        "INSERT INTO billing_transactions (id, idempotency_key, fingerprint, kind, tenant_id, memo, reverses, \
         created_at_us, reference) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (idempotency_key) DO NOTHING",
    )
    .bind(transaction_id.to_string())
    .bind(posting.idempotency_key())
    .bind(&fingerprint)
    .bind(enum_to_text(&posting.kind()))
    .bind(posting.tenant().map(|t| t.to_string()))
    .bind(posting.memo())
    .bind(posting.reverses().map(|t| t.to_string()))
    .bind(now.as_micros())
    .bind(posting.reference())
    .execute(&mut **tx)
    .await?;
    if claimed.rows_affected() == 1 {
        // Written in the caller's transaction: one its caller then rolls back (an audit or commit
        // failure, rare) is counted too.
        metrics::counter!("ingot_ledger_postings_total", "kind" => enum_to_text(&posting.kind()))
            .increment(1);
    }
    if claimed.rows_affected() == 0 {
        let row = sqlx::query("SELECT id, fingerprint FROM billing_transactions WHERE idempotency_key = $1")
            .bind(posting.idempotency_key())
            .fetch_one(&mut **tx)
            .await?;
        if row.try_get::<String, _>("fingerprint")? != fingerprint {
            return Err(LedgerError::IdempotencyConflict(
                posting.idempotency_key().to_string(),
            ));
        }
        return Ok(Posted {
            transaction_id: parse(&row.try_get::<String, _>("id")?, "transaction id")?,
            replayed: true,
        });
    }

    let deltas = account_deltas(posting.transfers());
    for account in deltas.keys() {
        account_ensure_in_tx(tx, account, now).await?;
    }
    // What the holds pay for, per account: up to what each still reserves.
    let mut covered: BTreeMap<AccountRef, i64> = BTreeMap::new();
    for hold_id in against_holds {
        let hold = hold_get(&mut **tx, *hold_id)
            .await?
            .ok_or(LedgerError::HoldUnknown)?;
        let debit = -deltas.get(&hold.account).copied().unwrap_or(0);
        let already = covered.get(&hold.account).copied().unwrap_or(0);
        let charged = (debit - already).min(hold.remaining());
        if charged <= 0 {
            continue;
        }
        hold.capture(Money::from_micros(charged, hold.account.currency()))?;
        // Conditional on the hold as read (captured and amount): a writer that captured from,
        // resized or closed it meanwhile makes this a conflict to retry, never an over-capture.
        let done = sqlx::query(
            "UPDATE billing_holds SET captured_micros = captured_micros + $1, updated_at_us = $2 \
             WHERE id = $3 AND state = 'pending' AND captured_micros = $4 AND amount_micros = $5 \
             AND captured_micros + $1 <= amount_micros",
        )
        .bind(charged)
        .bind(now.as_micros())
        .bind(hold_id.to_string())
        .bind(hold.captured.micros())
        .bind(hold.amount.micros())
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(LedgerError::HoldChanged);
        }
        sqlx::query(
            "INSERT INTO billing_hold_captures (hold_id, transaction_id, amount_micros) VALUES ($1, $2, $3)",
        )
        .bind(hold_id.to_string())
        .bind(transaction_id.to_string())
        .bind(charged)
        .execute(&mut **tx)
        .await?;
        covered.insert(hold.account, already + charged);
    }
    for (account, delta) in &deltas {
        let from_hold = covered.get(account).copied().unwrap_or(0);
        // Debits must leave balance − held at or above the floor; what a hold covers was
        // reserved already, so it moves out of `held` and the check sees no change for it.
        let done = sqlx::query(
            "UPDATE billing_accounts SET balance_micros = balance_micros + $1, held_micros = held_micros - $2, version = version + 1 \
             WHERE key = $3 AND ($1 >= 0 OR floor_micros IS NULL \
             OR balance_micros + $1 - (held_micros - $2) >= floor_micros)",
        )
        .bind(*delta)
        .bind(from_hold)
        .bind(account.key())
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(LedgerError::InsufficientFunds {
                account: account.key(),
            });
        }
    }
    for (position, transfer) in posting.transfers().iter().enumerate() {
        sqlx::query(
            "INSERT INTO billing_transfers (transaction_id, position, debit_key, credit_key, amount_micros, currency) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(transaction_id.to_string())
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(transfer.debit.key())
        .bind(transfer.credit.key())
        .bind(transfer.amount.micros())
        .bind(transfer.amount.currency().as_str())
        .execute(&mut **tx)
        .await?;
    }
    if let Some(tenant_id) = posting.tenant()
        && let Some(first) = posting.transfers().first()
    {
        let currency = first.amount.currency();
        let change = |kind: AccountKind| {
            let micros = deltas
                .iter()
                .filter(|(a, _)| a.kind() == kind && a.tenant_id() == Some(tenant_id))
                .map(|(_, d)| *d)
                .sum::<i64>();
            Money::from_micros(micros, currency)
        };
        let event = TransactionPosted {
            transaction_id,
            tenant_id,
            kind: enum_to_text(&posting.kind()),
            reference: posting.reference().map(str::to_string),
            cash: change(AccountKind::TenantCash),
            promo: change(AccountKind::TenantPromo),
            gross: Some(Money::from_micros(
                posting.transfers().iter().map(|t| t.amount.micros()).sum(),
                currency,
            )),
            at: now,
        };
        ingot_kernel::outbox::append_in_tx(tx, &event.to_envelope(now)).await?;
        balance_announce_in_tx(tx, tenant_id, currency, now).await?;
    }
    Ok(Posted {
        transaction_id,
        replayed: false,
    })
}

const HOLD_COLUMNS: &str = "id, account_key, amount_micros, captured_micros, currency, state, expires_at_us";

fn hold_from_row(row: &AnyRow) -> Result<Hold, DbError> {
    let currency: Currency = parse(&row.try_get::<String, _>("currency")?, "currency")?;
    let key: String = row.try_get("account_key")?;
    Ok(Hold {
        id: parse(&row.try_get::<String, _>("id")?, "hold id")?,
        account: AccountRef::parse(&key).ok_or_else(|| ingot_kernel::db::column::corrupt("account key"))?,
        amount: Money::from_micros(row.try_get("amount_micros")?, currency),
        captured: Money::from_micros(row.try_get("captured_micros")?, currency),
        state: enum_from_text(&row.try_get::<String, _>("state")?, "hold state")?,
        expires_at: Timestamp::from_micros(row.try_get("expires_at_us")?),
    })
}

pub async fn hold_get<'e, E: Executor<'e, Database = Any>>(
    db: E,
    id: HoldId,
) -> Result<Option<Hold>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {HOLD_COLUMNS} FROM billing_holds WHERE id = $1"));
    sqlx::query(sql)
        .bind(id.to_string())
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(hold_from_row)
        .transpose()
}

/// Reserves `amount` of `account` until `expires_at`, if balance − held − amount stays at or
/// above the floor. The same key twice returns the first hold (`true` = replayed).
pub async fn hold_create_in_tx(
    tx: &mut Tx,
    idempotency_key: &str,
    account: &AccountRef,
    amount: Money,
    expires_at: Timestamp,
    memo: &str,
    now: Timestamp,
) -> Result<(Hold, bool), LedgerError> {
    if amount.micros() <= 0 || amount.currency() != account.currency() {
        return Err(HoldError::BadAmount.into());
    }
    account_ensure_in_tx(tx, account, now).await?;
    let id = HoldId::generate();
    let claimed = sqlx::query(
        "INSERT INTO billing_holds (id, idempotency_key, account_key, amount_micros, currency, state, expires_at_us, \
         memo, created_at_us, updated_at_us) VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8, $8) \
         ON CONFLICT (idempotency_key) DO NOTHING",
    )
    .bind(id.to_string())
    .bind(idempotency_key)
    .bind(account.key())
    .bind(amount.micros())
    .bind(amount.currency().as_str())
    .bind(expires_at.as_micros())
    .bind(memo)
    .bind(now.as_micros())
    .execute(&mut **tx)
    .await?;
    if claimed.rows_affected() == 0 {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {HOLD_COLUMNS} FROM billing_holds WHERE idempotency_key = $1"
        ));
        let first = hold_from_row(
            &sqlx::query(sql)
                .bind(idempotency_key)
                .fetch_one(&mut **tx)
                .await?,
        )?;
        if first.account != *account || first.amount != amount {
            return Err(LedgerError::IdempotencyConflict(idempotency_key.to_string()));
        }
        return Ok((first, true));
    }
    let reserved = sqlx::query(
        "UPDATE billing_accounts SET held_micros = held_micros + $1, version = version + 1 WHERE key = $2 \
         AND (floor_micros IS NULL OR balance_micros - held_micros - $1 >= floor_micros)",
    )
    .bind(amount.micros())
    .bind(account.key())
    .execute(&mut **tx)
    .await?;
    if reserved.rows_affected() != 1 {
        return Err(LedgerError::InsufficientFunds {
            account: account.key(),
        });
    }
    if let Some(tenant_id) = account.tenant_id() {
        balance_announce_in_tx(tx, tenant_id, account.currency(), now).await?;
    }
    let hold = Hold {
        id,
        account: *account,
        amount,
        captured: Money::zero(amount.currency()),
        state: HoldState::Pending,
        expires_at,
    };
    Ok((hold, false))
}

/// Makes a pending hold reserve `reserve` from now on (growing it only if the account's balance
/// − held stays at or above its floor; shrinking it frees the difference) and moves its expiry.
/// Reading the hold and changing it are conditional on what was read, so a concurrent capture
/// makes this fail with [`LedgerError::HoldChanged`] rather than reserve the wrong amount.
pub async fn hold_resize_in_tx(
    tx: &mut Tx,
    id: HoldId,
    reserve: i64,
    expires_at: Timestamp,
    now: Timestamp,
) -> Result<Hold, LedgerError> {
    let hold = hold_get(&mut **tx, id).await?.ok_or(LedgerError::HoldUnknown)?;
    if hold.state != HoldState::Pending {
        return Err(HoldError::NotPending(hold.state).into());
    }
    if reserve < 0 {
        return Err(HoldError::BadAmount.into());
    }
    let change = reserve - hold.remaining();
    if change > 0 {
        let reserved = sqlx::query(
            "UPDATE billing_accounts SET held_micros = held_micros + $1, version = version + 1 WHERE key = $2 \
             AND (floor_micros IS NULL OR balance_micros - held_micros - $1 >= floor_micros)",
        )
        .bind(change)
        .bind(hold.account.key())
        .execute(&mut **tx)
        .await?;
        if reserved.rows_affected() != 1 {
            return Err(LedgerError::InsufficientFunds {
                account: hold.account.key(),
            });
        }
    } else if change < 0 {
        sqlx::query("UPDATE billing_accounts SET held_micros = held_micros + $1, version = version + 1 WHERE key = $2")
            .bind(change)
            .bind(hold.account.key())
            .execute(&mut **tx)
            .await?;
    }
    let amount = hold.captured.micros() + reserve;
    let done = sqlx::query(
        "UPDATE billing_holds SET amount_micros = $1, expires_at_us = $2, updated_at_us = $3 \
         WHERE id = $4 AND state = 'pending' AND captured_micros = $5 AND amount_micros = $6",
    )
    .bind(amount)
    .bind(expires_at.as_micros())
    .bind(now.as_micros())
    .bind(id.to_string())
    .bind(hold.captured.micros())
    .bind(hold.amount.micros())
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(LedgerError::HoldChanged);
    }
    if change != 0
        && let Some(tenant_id) = hold.account.tenant_id()
    {
        balance_announce_in_tx(tx, tenant_id, hold.account.currency(), now).await?;
    }
    Ok(Hold {
        amount: Money::from_micros(amount, hold.amount.currency()),
        expires_at,
        ..hold
    })
}

/// Posts or voids a pending hold, releasing what it still reserves. Closing it again into the
/// same state returns it unchanged.
pub async fn hold_close_in_tx(
    tx: &mut Tx,
    id: HoldId,
    to: HoldState,
    now: Timestamp,
) -> Result<Hold, LedgerError> {
    let hold = hold_get(&mut **tx, id).await?.ok_or(LedgerError::HoldUnknown)?;
    if hold.state == to {
        return Ok(hold);
    }
    let closed = hold.close(to)?;
    let done = sqlx::query(
        "UPDATE billing_holds SET state = $1, updated_at_us = $2 WHERE id = $3 AND state = 'pending'",
    )
    .bind(enum_to_text(&to))
    .bind(now.as_micros())
    .bind(id.to_string())
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(HoldError::NotPending(HoldState::Posted).into());
    }
    // Read after the row lock: captures that committed meanwhile count.
    let locked = hold_get(&mut **tx, id).await?.ok_or(LedgerError::HoldUnknown)?;
    let remaining = locked.amount.micros() - locked.captured.micros();
    sqlx::query(
        "UPDATE billing_accounts SET held_micros = held_micros - $1, version = version + 1 WHERE key = $2",
    )
    .bind(remaining)
    .bind(hold.account.key())
    .execute(&mut **tx)
    .await?;
    if remaining != 0
        && let Some(tenant_id) = hold.account.tenant_id()
    {
        balance_announce_in_tx(tx, tenant_id, hold.account.currency(), now).await?;
    }
    Ok(Hold {
        captured: locked.captured,
        ..closed
    })
}

/// Pending holds whose expiry has passed, oldest first.
pub async fn holds_expired<'e, E: Executor<'e, Database = Any>>(
    db: E,
    now: Timestamp,
    limit: i64,
) -> Result<Vec<HoldId>, DbError> {
    sqlx::query("SELECT id FROM billing_holds WHERE state = 'pending' AND expires_at_us <= $1 ORDER BY expires_at_us LIMIT $2")
        .bind(now.as_micros())
        .bind(limit)
        .fetch_all(db)
        .await?
        .iter()
        .map(|row| parse(&row.try_get::<String, _>("id")?, "hold id"))
        .collect()
}

/// What `GET /v1/admin/ledger/verify` reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LedgerReport {
    pub accounts: u64,
    pub transactions: u64,
    pub transfers: u64,
    /// Each broken invariant, named so an operator can find it.
    pub breaches: Vec<String>,
}

fn count_of(row: &AnyRow) -> Result<u64, DbError> {
    u64::try_from(row.try_get::<i64, _>("n")?).map_err(|_| ingot_kernel::db::column::corrupt("count"))
}

/// Recomputes every ledger invariant from the entries themselves.
pub async fn ledger_verify<'e, E>(db: E) -> Result<LedgerReport, DbError>
where
    E: Executor<'e, Database = Any> + Copy,
{
    let mut report = LedgerReport {
        accounts: count_of(
            &sqlx::query("SELECT COUNT(*) AS n FROM billing_accounts")
                .fetch_one(db)
                .await?,
        )?,
        transactions: count_of(
            &sqlx::query("SELECT COUNT(*) AS n FROM billing_transactions")
                .fetch_one(db)
                .await?,
        )?,
        transfers: count_of(
            &sqlx::query("SELECT COUNT(*) AS n FROM billing_transfers")
                .fetch_one(db)
                .await?,
        )?,
        breaches: Vec::new(),
    };
    // Every balance equals credits − debits.
    let rows = sqlx::query(
        "SELECT a.key, a.balance_micros, \
         COALESCE((SELECT CAST(SUM(t.amount_micros) AS BIGINT) FROM billing_transfers t WHERE t.credit_key = a.key), 0) \
         - COALESCE((SELECT CAST(SUM(t.amount_micros) AS BIGINT) FROM billing_transfers t WHERE t.debit_key = a.key), 0) AS derived \
         FROM billing_accounts a WHERE a.balance_micros <> \
         COALESCE((SELECT CAST(SUM(t.amount_micros) AS BIGINT) FROM billing_transfers t WHERE t.credit_key = a.key), 0) \
         - COALESCE((SELECT CAST(SUM(t.amount_micros) AS BIGINT) FROM billing_transfers t WHERE t.debit_key = a.key), 0) \
         ORDER BY a.key",
    )
    .fetch_all(db)
    .await?;
    for row in rows {
        report.breaches.push(format!(
            "account {}: balance {} but entries sum to {}",
            row.try_get::<String, _>("key")?,
            row.try_get::<i64, _>("balance_micros")?,
            row.try_get::<i64, _>("derived")?
        ));
    }
    // What accounts hold equals what pending holds still reserve.
    let rows = sqlx::query(
        "SELECT a.key, a.held_micros, COALESCE((SELECT CAST(SUM(h.amount_micros - h.captured_micros) AS BIGINT) FROM billing_holds h \
         WHERE h.account_key = a.key AND h.state = 'pending'), 0) AS reserved FROM billing_accounts a \
         WHERE a.held_micros <> COALESCE((SELECT CAST(SUM(h.amount_micros - h.captured_micros) AS BIGINT) FROM billing_holds h \
         WHERE h.account_key = a.key AND h.state = 'pending'), 0) ORDER BY a.key",
    )
    .fetch_all(db)
    .await?;
    for row in rows {
        report.breaches.push(format!(
            "account {}: holds {} but pending holds reserve {}",
            row.try_get::<String, _>("key")?,
            row.try_get::<i64, _>("held_micros")?,
            row.try_get::<i64, _>("reserved")?
        ));
    }
    // What each hold captured equals the captures recorded with the postings that drew on it.
    let rows = sqlx::query(
        "SELECT h.id, h.captured_micros, COALESCE((SELECT CAST(SUM(c.amount_micros) AS BIGINT) FROM billing_hold_captures c \
         WHERE c.hold_id = h.id), 0) AS recorded FROM billing_holds h \
         WHERE h.captured_micros <> COALESCE((SELECT CAST(SUM(c.amount_micros) AS BIGINT) FROM billing_hold_captures c \
         WHERE c.hold_id = h.id), 0) ORDER BY h.id",
    )
    .fetch_all(db)
    .await?;
    for row in rows {
        report.breaches.push(format!(
            "hold {}: captured {} but postings drew {}",
            row.try_get::<String, _>("id")?,
            row.try_get::<i64, _>("captured_micros")?,
            row.try_get::<i64, _>("recorded")?
        ));
    }
    // No account is below its floor.
    let rows = sqlx::query(
        "SELECT key FROM billing_accounts WHERE floor_micros IS NOT NULL \
         AND balance_micros - held_micros < floor_micros ORDER BY key",
    )
    .fetch_all(db)
    .await?;
    for row in rows {
        report.breaches.push(format!(
            "account {}: below its floor",
            row.try_get::<String, _>("key")?
        ));
    }
    // Every transaction has transfers numbered 0..n without gaps, in the accounts' currency.
    let rows = sqlx::query(
        "SELECT x.id FROM billing_transactions x LEFT JOIN billing_transfers t ON t.transaction_id = x.id \
         GROUP BY x.id HAVING COUNT(t.position) = 0 OR MAX(t.position) + 1 <> COUNT(t.position) ORDER BY x.id",
    )
    .fetch_all(db)
    .await?;
    for row in rows {
        report.breaches.push(format!(
            "transaction {}: transfers missing or out of sequence",
            row.try_get::<String, _>("id")?
        ));
    }
    let rows = sqlx::query(
        "SELECT t.transaction_id, t.position FROM billing_transfers t \
         JOIN billing_accounts d ON d.key = t.debit_key JOIN billing_accounts c ON c.key = t.credit_key \
         WHERE d.currency <> t.currency OR c.currency <> t.currency ORDER BY t.transaction_id, t.position",
    )
    .fetch_all(db)
    .await?;
    for row in rows {
        report.breaches.push(format!(
            "transaction {} transfer {}: currency differs from its accounts'",
            row.try_get::<String, _>("transaction_id")?,
            row.try_get::<i64, _>("position")?
        ));
    }
    // Double entry overall: per currency, all balances sum to zero.
    let rows = sqlx::query(
        "SELECT currency, CAST(SUM(balance_micros) AS BIGINT) AS total FROM billing_accounts GROUP BY currency \
         HAVING CAST(SUM(balance_micros) AS BIGINT) <> 0 ORDER BY currency",
    )
    .fetch_all(db)
    .await?;
    for row in rows {
        report.breaches.push(format!(
            "currency {}: balances sum to {}, not zero",
            row.try_get::<String, _>("currency")?,
            row.try_get::<i64, _>("total")?
        ));
    }
    Ok(report)
}

/// One movement of one of a tenant's accounts, for its ledger listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantEntry {
    pub transaction_id: TransactionId,
    pub position: i64,
    pub at: Timestamp,
    pub kind: String,
    pub account: AccountRef,
    /// Positive into the account, negative out of it.
    pub amount: Money,
    pub memo: String,
}

/// The movements of `accounts` (one tenant's), oldest first, after `after` = (time, transaction
/// id, position); `limit + 1` rows so the caller can tell whether more follow.
pub async fn entries_of<'e, E: Executor<'e, Database = Any>>(
    db: E,
    accounts: &[AccountRef],
    after: Option<(i64, String, i64)>,
    limit: u32,
) -> Result<Vec<TenantEntry>, DbError> {
    let keys: Vec<String> = accounts.iter().map(AccountRef::key).collect();
    let mut binds: Vec<String> = keys.clone();
    let placeholders: Vec<String> = (1..=keys.len()).map(|i| format!("${i}")).collect();
    let list = placeholders.join(", ");
    let (after_sql, after_values) = match after {
        Some((at, id, position)) => {
            let n = binds.len();
            (
                format!(
                    "AND (x.created_at_us > ${a} OR (x.created_at_us = ${a} AND (x.id > ${b} OR (x.id = ${b} AND t.position > ${c}))))",
                    a = n + 1,
                    b = n + 2,
                    c = n + 3
                ),
                Some((at, id, position)),
            )
        }
        None => (String::new(), None),
    };
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {ENTRY_COLUMNS} FROM billing_transfers t JOIN billing_transactions x ON x.id = t.transaction_id \
         WHERE (t.credit_key IN ({list}) OR t.debit_key IN ({list})) {after_sql} \
         ORDER BY x.created_at_us, x.id, t.position LIMIT {}",
        i64::from(limit) + 1
    ));
    let mut query = sqlx::query(sql);
    for key in binds.drain(..) {
        query = query.bind(key);
    }
    if let Some((at, id, position)) = after_values {
        query = query.bind(at).bind(id).bind(position);
    }
    query
        .fetch_all(db)
        .await?
        .iter()
        .map(|row| entry_from_row(row, &keys))
        .collect()
}

const ENTRY_COLUMNS: &str = "x.id, t.position, x.created_at_us, x.kind, x.memo, t.debit_key, t.credit_key, \
     t.amount_micros, t.currency";

/// A transfer row seen from whichever of `keys` it touches.
fn entry_from_row(row: &AnyRow, keys: &[String]) -> Result<TenantEntry, DbError> {
    let currency: Currency = parse(&row.try_get::<String, _>("currency")?, "currency")?;
    let credit: String = row.try_get("credit_key")?;
    let debit: String = row.try_get("debit_key")?;
    let amount: i64 = row.try_get("amount_micros")?;
    let (key, signed) = if keys.contains(&credit) {
        (credit, amount)
    } else {
        (debit, -amount)
    };
    Ok(TenantEntry {
        transaction_id: parse(&row.try_get::<String, _>("id")?, "transaction id")?,
        position: row.try_get("position")?,
        at: Timestamp::from_micros(row.try_get("created_at_us")?),
        kind: row.try_get("kind")?,
        account: AccountRef::parse(&key).ok_or_else(|| ingot_kernel::db::column::corrupt("account key"))?,
        amount: Money::from_micros(signed, currency),
        memo: row.try_get("memo")?,
    })
}

/// The movements one transaction made on `account`.
pub async fn entries_of_transaction<'e, E: Executor<'e, Database = Any>>(
    db: E,
    transaction_id: TransactionId,
    account: &AccountRef,
) -> Result<Vec<TenantEntry>, DbError> {
    let key = account.key();
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {ENTRY_COLUMNS} FROM billing_transfers t JOIN billing_transactions x ON x.id = t.transaction_id \
         WHERE x.id = $1 AND (t.credit_key = $2 OR t.debit_key = $2) ORDER BY t.position"
    ));
    sqlx::query(sql)
        .bind(transaction_id.to_string())
        .bind(&key)
        .fetch_all(db)
        .await?
        .iter()
        .map(|row| entry_from_row(row, std::slice::from_ref(&key)))
        .collect()
}

pub mod funding;
pub mod metering;

/// One transaction's effect on a tenant's accounts (cash and promo together), for statements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementMovement {
    pub transaction_id: TransactionId,
    pub kind: String,
    pub reference: Option<String>,
    pub at: Timestamp,
    /// Net change of the tenant's accounts: positive in, negative out.
    pub delta_micros: i64,
}

/// The tenant's movements in `[from, to)`, one per transaction, and the net of everything
/// before `from` (the opening balance).
pub async fn statement_movements<'e, E>(
    db: E,
    accounts: &[AccountRef],
    from: Timestamp,
    to: Timestamp,
) -> Result<(i64, Vec<StatementMovement>), DbError>
where
    E: Executor<'e, Database = Any> + Copy,
{
    let keys: Vec<String> = accounts.iter().map(AccountRef::key).collect();
    let list = (1..=keys.len())
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let (from_at, to_at) = (keys.len() + 1, keys.len() + 2);
    let delta = format!(
        "CAST(SUM(CASE WHEN t.credit_key IN ({list}) THEN t.amount_micros ELSE 0 END) AS BIGINT) \
         - CAST(SUM(CASE WHEN t.debit_key IN ({list}) THEN t.amount_micros ELSE 0 END) AS BIGINT)"
    );
    let touching = format!("(t.credit_key IN ({list}) OR t.debit_key IN ({list}))");
    let opening_sql = sqlx::AssertSqlSafe(format!(
        "SELECT COALESCE({delta}, 0) AS delta FROM billing_transfers t JOIN billing_transactions x \
         ON x.id = t.transaction_id WHERE {touching} AND x.created_at_us < ${from_at}"
    ));
    let mut opening = sqlx::query(opening_sql);
    for key in &keys {
        opening = opening.bind(key.clone());
    }
    let opening: i64 = opening
        .bind(from.as_micros())
        .fetch_one(db)
        .await?
        .try_get::<Option<i64>, _>("delta")?
        .unwrap_or(0);
    let rows_sql = sqlx::AssertSqlSafe(format!(
        "SELECT x.id, x.kind, x.reference, x.created_at_us, {delta} AS delta FROM billing_transfers t \
         JOIN billing_transactions x ON x.id = t.transaction_id WHERE {touching} \
         AND x.created_at_us >= ${from_at} AND x.created_at_us < ${to_at} \
         GROUP BY x.id, x.kind, x.reference, x.created_at_us ORDER BY x.created_at_us, x.id"
    ));
    let mut rows = sqlx::query(rows_sql);
    for key in &keys {
        rows = rows.bind(key.clone());
    }
    let movements = rows
        .bind(from.as_micros())
        .bind(to.as_micros())
        .fetch_all(db)
        .await?
        .iter()
        .map(|row| {
            Ok(StatementMovement {
                transaction_id: parse(&row.try_get::<String, _>("id")?, "transaction id")?,
                kind: row.try_get("kind")?,
                reference: row.try_get("reference")?,
                at: Timestamp::from_micros(row.try_get("created_at_us")?),
                delta_micros: row.try_get("delta")?,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    Ok((opening, movements))
}
pub mod payments;

/// Tenants with an allocation whose funding was announced exhausted after `since`.
pub async fn balances_exhausted_since<'e, E: Executor<'e, Database = Any>>(
    db: E,
    since: Timestamp,
) -> Result<i64, DbError> {
    let row =
        sqlx::query("SELECT COUNT(DISTINCT tenant_id) AS n FROM billing_fundings WHERE exhausted_at_us > $1")
            .bind(since.as_micros())
            .fetch_one(db)
            .await?;
    Ok(row.try_get("n")?)
}
