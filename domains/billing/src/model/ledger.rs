//! Accounts, transfers, postings and two-phase holds.
//!
//! Sign convention: an account's balance is what was credited to it minus what was debited
//! from it. A top-up debits payment clearing and credits the tenant's cash; usage debits the
//! tenant's cash and credits revenue. Platform accounts may go negative; tenant accounts have a
//! floor (zero, or minus a credit limit) that no posting may cross.

use std::collections::BTreeMap;

use ingot_kernel::Timestamp;
use ingot_kernel::id::{HoldId, TenantId, TransactionId};
use ingot_kernel::money::{Currency, Money};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    /// What a tenant paid in and may spend.
    TenantCash,
    /// Promotional credit: spent before cash, never paid out.
    TenantPromo,
    PlatformRevenue,
    /// Money a payment provider has announced but not yet settled with us.
    PlatformPaymentClearing,
    PlatformRefunds,
    /// Credits and corrections made by finance.
    PlatformAdjustments,
}

impl AccountKind {
    fn as_str(self) -> &'static str {
        match self {
            AccountKind::TenantCash => "cash",
            AccountKind::TenantPromo => "promo",
            AccountKind::PlatformRevenue => "revenue",
            AccountKind::PlatformPaymentClearing => "payment_clearing",
            AccountKind::PlatformRefunds => "refunds",
            AccountKind::PlatformAdjustments => "adjustments",
        }
    }

    const ALL: [AccountKind; 6] = [
        AccountKind::TenantCash,
        AccountKind::TenantPromo,
        AccountKind::PlatformRevenue,
        AccountKind::PlatformPaymentClearing,
        AccountKind::PlatformRefunds,
        AccountKind::PlatformAdjustments,
    ];

    pub fn is_tenant(self) -> bool {
        matches!(self, AccountKind::TenantCash | AccountKind::TenantPromo)
    }
}

/// One account: a kind, the tenant it belongs to (tenant kinds only) and its currency. Its key
/// (`tenant/ten_…/cash/USD`, `platform/revenue/USD`) is how the store names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AccountRef {
    kind: AccountKind,
    tenant: Option<TenantId>,
    currency: Currency,
}

impl AccountRef {
    pub fn tenant(tenant: TenantId, kind: AccountKind, currency: Currency) -> Option<AccountRef> {
        kind.is_tenant().then_some(AccountRef {
            kind,
            tenant: Some(tenant),
            currency,
        })
    }

    pub fn platform(kind: AccountKind, currency: Currency) -> Option<AccountRef> {
        (!kind.is_tenant()).then_some(AccountRef {
            kind,
            tenant: None,
            currency,
        })
    }

    pub fn kind(&self) -> AccountKind {
        self.kind
    }

    pub fn tenant_id(&self) -> Option<TenantId> {
        self.tenant
    }

    pub fn currency(&self) -> Currency {
        self.currency
    }

    pub fn key(&self) -> String {
        match self.tenant {
            Some(tenant) => format!(
                "tenant/{tenant}/{}/{}",
                self.kind.as_str(),
                self.currency.as_str()
            ),
            None => format!("platform/{}/{}", self.kind.as_str(), self.currency.as_str()),
        }
    }

    pub fn parse(key: &str) -> Option<AccountRef> {
        let parts: Vec<&str> = key.split('/').collect();
        let (tenant, kind, currency) = match parts.as_slice() {
            ["tenant", tenant, kind, currency] => (Some(tenant.parse().ok()?), *kind, *currency),
            ["platform", kind, currency] => (None, *kind, *currency),
            _ => return None,
        };
        let kind = AccountKind::ALL.into_iter().find(|k| k.as_str() == kind)?;
        let currency: Currency = currency.parse().ok()?;
        match tenant {
            Some(tenant) => AccountRef::tenant(tenant, kind, currency),
            None => AccountRef::platform(kind, currency),
        }
    }
}

/// One movement of a positive amount from `debit` to `credit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transfer {
    pub debit: AccountRef,
    pub credit: AccountRef,
    pub amount: Money,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostingKind {
    TopUp,
    Credit,
    Usage,
    Refund,
    Reversal,
    Adjustment,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PostingError {
    #[error("a posting needs at least one transfer")]
    Empty,
    #[error("transfer {0}: the amount must be more than zero")]
    NotPositive(usize),
    #[error("transfer {0}: an account cannot pay itself")]
    SameAccount(usize),
    #[error("transfer {0}: the amount's currency differs from the accounts'")]
    CurrencyMismatch(usize),
    #[error("the idempotency key must be 1–200 visible characters")]
    IdempotencyKey,
    #[error("at most {0} transfers per posting")]
    TooManyTransfers(usize),
}

/// A ledger transaction waiting to be written: balanced by construction, checked by [`Posting::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    idempotency_key: String,
    kind: PostingKind,
    tenant: Option<TenantId>,
    transfers: Vec<Transfer>,
    memo: String,
    reverses: Option<TransactionId>,
    /// What the posting is for, for statements: `alc_…/nod_…` for usage of one node.
    reference: Option<String>,
}

const TRANSFERS_MAX: usize = 64;

impl Posting {
    pub fn new(
        idempotency_key: impl Into<String>,
        kind: PostingKind,
        tenant: Option<TenantId>,
        transfers: Vec<Transfer>,
        memo: impl Into<String>,
    ) -> Result<Posting, PostingError> {
        let idempotency_key = idempotency_key.into();
        if idempotency_key.is_empty()
            || idempotency_key.len() > 200
            || !idempotency_key.bytes().all(|b| b.is_ascii_graphic())
        {
            return Err(PostingError::IdempotencyKey);
        }
        if transfers.is_empty() {
            return Err(PostingError::Empty);
        }
        if transfers.len() > TRANSFERS_MAX {
            return Err(PostingError::TooManyTransfers(TRANSFERS_MAX));
        }
        for (i, t) in transfers.iter().enumerate() {
            if t.amount.micros() <= 0 {
                return Err(PostingError::NotPositive(i));
            }
            if t.debit == t.credit {
                return Err(PostingError::SameAccount(i));
            }
            if t.debit.currency != t.amount.currency() || t.credit.currency != t.amount.currency() {
                return Err(PostingError::CurrencyMismatch(i));
            }
        }
        Ok(Posting {
            idempotency_key,
            kind,
            tenant,
            transfers,
            memo: memo.into(),
            reverses: None,
            reference: None,
        })
    }

    /// The same posting, tagged with what it is for.
    pub fn with_reference(mut self, reference: impl Into<String>) -> Posting {
        self.reference = Some(reference.into());
        self
    }

    pub fn reference(&self) -> Option<&str> {
        self.reference.as_deref()
    }

    /// The posting that undoes `original` (written as transaction `original_id`): every transfer
    /// runs the other way. Entries are never edited; this is how a mistake is corrected.
    pub fn reversal(
        original_id: TransactionId,
        original: &Posting,
        idempotency_key: impl Into<String>,
        memo: impl Into<String>,
    ) -> Result<Posting, PostingError> {
        let transfers = original
            .transfers
            .iter()
            .map(|t| Transfer {
                debit: t.credit,
                credit: t.debit,
                amount: t.amount,
            })
            .collect();
        let mut reversal = Posting::new(
            idempotency_key,
            PostingKind::Reversal,
            original.tenant,
            transfers,
            memo,
        )?;
        reversal.reverses = Some(original_id);
        Ok(reversal)
    }

    pub fn idempotency_key(&self) -> &str {
        &self.idempotency_key
    }

    pub fn kind(&self) -> PostingKind {
        self.kind
    }

    pub fn tenant(&self) -> Option<TenantId> {
        self.tenant
    }

    pub fn transfers(&self) -> &[Transfer] {
        &self.transfers
    }

    pub fn memo(&self) -> &str {
        &self.memo
    }

    pub fn reverses(&self) -> Option<TransactionId> {
        self.reverses
    }

    /// A stable fingerprint of what the posting does, to tell a replay (same key, same posting)
    /// from a conflict (same key, another posting).
    pub fn fingerprint(&self) -> String {
        let mut text = format!(
            "{:?}|{:?}|{}|{:?}",
            self.kind, self.tenant, self.memo, self.reverses
        );
        for t in &self.transfers {
            text.push_str(&format!(
                "|{}>{}:{}",
                t.debit.key(),
                t.credit.key(),
                t.amount.micros()
            ));
        }
        text
    }
}

/// What a set of transfers does to each account's balance, in account order (the order the
/// store locks them in, so concurrent postings cannot deadlock).
pub fn account_deltas(transfers: &[Transfer]) -> BTreeMap<AccountRef, i64> {
    let mut deltas = BTreeMap::new();
    for t in transfers {
        *deltas.entry(t.debit).or_insert(0) -= t.amount.micros();
        *deltas.entry(t.credit).or_insert(0) += t.amount.micros();
    }
    deltas
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HoldState {
    /// Reserving `amount - captured` of the account's balance.
    Pending,
    /// Finished: what was captured stays charged, the rest is released.
    Posted,
    /// Released without (further) charges, by the caller or at expiry.
    Voided,
}

/// A two-phase reservation against a tenant account: charges capture from it, the end posts or
/// voids it, and its expiry is the deadline by which the reservation must be renewed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    pub id: HoldId,
    pub account: AccountRef,
    pub amount: Money,
    pub captured: Money,
    pub state: HoldState,
    pub expires_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HoldError {
    #[error("the hold is {0:?}, not pending")]
    NotPending(HoldState),
    #[error("the hold has {remaining} left; {wanted} was asked")]
    Exceeded { remaining: i64, wanted: i64 },
    #[error("the amount must be more than zero, in the hold's currency")]
    BadAmount,
}

impl Hold {
    /// What is still reserved.
    pub fn remaining(&self) -> i64 {
        match self.state {
            HoldState::Pending => self.amount.micros() - self.captured.micros(),
            HoldState::Posted | HoldState::Voided => 0,
        }
    }

    /// The hold after charging `amount` against it.
    pub fn capture(&self, amount: Money) -> Result<Hold, HoldError> {
        if self.state != HoldState::Pending {
            return Err(HoldError::NotPending(self.state));
        }
        if amount.micros() <= 0 || amount.currency() != self.amount.currency() {
            return Err(HoldError::BadAmount);
        }
        if amount.micros() > self.remaining() {
            return Err(HoldError::Exceeded {
                remaining: self.remaining(),
                wanted: amount.micros(),
            });
        }
        Ok(Hold {
            captured: Money::from_micros(self.captured.micros() + amount.micros(), amount.currency()),
            ..self.clone()
        })
    }

    /// The hold finished (`Posted`) or released (`Voided`); either frees what is left.
    pub fn close(&self, to: HoldState) -> Result<Hold, HoldError> {
        match (self.state, to) {
            (HoldState::Pending, HoldState::Posted | HoldState::Voided) => Ok(Hold {
                state: to,
                ..self.clone()
            }),
            (from, _) => Err(HoldError::NotPending(from)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(micros: i64) -> Money {
        Money::from_micros(micros, Currency::USD)
    }

    fn cash(tenant: TenantId) -> AccountRef {
        AccountRef::tenant(tenant, AccountKind::TenantCash, Currency::USD).unwrap()
    }

    fn revenue() -> AccountRef {
        AccountRef::platform(AccountKind::PlatformRevenue, Currency::USD).unwrap()
    }

    #[test]
    fn account_keys_round_trip_and_kinds_stay_in_their_lane() {
        let tenant = TenantId::generate();
        for account in [cash(tenant), revenue()] {
            assert_eq!(AccountRef::parse(&account.key()), Some(account));
        }
        assert_eq!(cash(tenant).key(), format!("tenant/{tenant}/cash/USD"));
        assert_eq!(
            AccountRef::tenant(tenant, AccountKind::PlatformRevenue, Currency::USD),
            None
        );
        assert_eq!(AccountRef::platform(AccountKind::TenantCash, Currency::USD), None);
        for bad in [
            "",
            "platform/cash/USD",
            "tenant/nope/cash/USD",
            "platform/revenue/usd",
            "platform/revenue",
        ] {
            assert_eq!(AccountRef::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn every_posting_balances_and_bad_ones_cannot_be_made() {
        let tenant = TenantId::generate();
        let eur_revenue = AccountRef::platform(AccountKind::PlatformRevenue, Currency::EUR).unwrap();
        let t = |debit, credit, amount| Transfer {
            debit,
            credit,
            amount,
        };
        let make = |transfers| Posting::new("k1", PostingKind::Usage, Some(tenant), transfers, "m");
        assert_eq!(make(vec![]), Err(PostingError::Empty));
        assert_eq!(
            make(vec![t(cash(tenant), revenue(), usd(0))]),
            Err(PostingError::NotPositive(0))
        );
        assert_eq!(
            make(vec![t(cash(tenant), revenue(), usd(-5))]),
            Err(PostingError::NotPositive(0))
        );
        assert_eq!(
            make(vec![t(revenue(), revenue(), usd(5))]),
            Err(PostingError::SameAccount(0))
        );
        assert_eq!(
            make(vec![
                t(cash(tenant), revenue(), usd(1)),
                t(cash(tenant), eur_revenue, usd(1))
            ]),
            Err(PostingError::CurrencyMismatch(1))
        );
        assert_eq!(
            Posting::new(
                "",
                PostingKind::Usage,
                None,
                vec![t(cash(tenant), revenue(), usd(1))],
                ""
            ),
            Err(PostingError::IdempotencyKey)
        );
        let posting = make(vec![
            t(cash(tenant), revenue(), usd(7)),
            t(revenue(), cash(tenant), usd(2)),
        ])
        .unwrap();
        let deltas = account_deltas(posting.transfers());
        assert_eq!(deltas.values().sum::<i64>(), 0, "balanced by construction");
        assert_eq!(deltas[&cash(tenant)], -5);
        let reversal = Posting::reversal(TransactionId::generate(), &posting, "k2", "oops").unwrap();
        let undone = account_deltas(reversal.transfers());
        assert!(deltas.iter().all(|(account, delta)| undone[account] == -delta));
        assert_ne!(posting.fingerprint(), reversal.fingerprint());
    }

    #[test]
    fn holds_capture_up_to_their_amount_then_close_once() {
        let hold = Hold {
            id: HoldId::generate(),
            account: cash(TenantId::generate()),
            amount: usd(100),
            captured: usd(0),
            state: HoldState::Pending,
            expires_at: Timestamp::from_secs(1),
        };
        let hold = hold.capture(usd(60)).unwrap();
        assert_eq!(hold.remaining(), 40);
        assert_eq!(
            hold.capture(usd(41)),
            Err(HoldError::Exceeded {
                remaining: 40,
                wanted: 41
            })
        );
        assert_eq!(
            hold.capture(Money::from_micros(1, Currency::EUR)),
            Err(HoldError::BadAmount)
        );
        let hold = hold.capture(usd(40)).unwrap();
        assert_eq!(hold.remaining(), 0);
        let voided = hold.close(HoldState::Voided).unwrap();
        assert_eq!(voided.remaining(), 0);
        assert_eq!(
            voided.close(HoldState::Posted),
            Err(HoldError::NotPending(HoldState::Voided))
        );
        assert_eq!(
            voided.capture(usd(1)),
            Err(HoldError::NotPending(HoldState::Voided))
        );
        assert!(hold.close(HoldState::Pending).is_err());
    }
}
