//! Billing service: `contracts::billing::BillingApi`. Every use case authorizes, builds a
//! [`Posting`] with the model (so only balanced postings exist), writes it with the store in
//! one transaction together with its audit record, and renders.

use std::sync::Arc;

use ingot_contracts::BoxFuture;
use ingot_contracts::billing::{
    BalanceView, BillingApi, BillingError, ChargeRequest, CreditLimitRequest, CreditRequest, LedgerEntryView,
    LedgerVerifyReport, StatementView, TopUpRequest, TopUpStatus, TopUpView, UsageLine, UsageView,
    WebhookAck,
};
use ingot_contracts::iam::{Action, Actor, AuditEntry, AuditTrail, Authorizer, KycPolicyApi, Resource};
use ingot_kernel::Clock;
use ingot_kernel::db::{Db, DbError, Tx};
use ingot_kernel::id::TenantId;
use ingot_kernel::money::{Currency, Money};
use ingot_kernel::page::{Page, PageRequest};

use crate::model::{AccountKind, AccountRef, Posting, PostingKind, Transfer};
use crate::payments::{PaymentError, PaymentEvent, PaymentProvider};
use crate::store::payments::TopUpRow;
use crate::store::{self, LedgerError, TenantEntry};

/// The largest single top-up or credit: a typo guard, not a business limit.
const AMOUNT_MAX_MICROS: i64 = 1_000_000 * 1_000_000;

/// A hand-made movement of a tenant's money.
struct ManualPosting<'a> {
    tenant_id: TenantId,
    account: AccountRef,
    /// Into the tenant's account (a credit), or out of it (a charge).
    into_tenant: bool,
    amount: Money,
    reason: &'a str,
    idempotency_key: Option<String>,
}

/// Tunables with production defaults.
#[derive(Debug, Clone)]
pub struct BillingConfig {
    /// The currency balances are kept in.
    pub currency: Currency,
    /// Whether the `test` payment provider (credits at once, no real money) is offered: on for
    /// the embedded default, off in production.
    pub test_provider: bool,
    /// A new burn rate is approved only if the balance lasts this long at the new total rate.
    pub runway_hours: u32,
    /// How long an exhausted balance is tolerated before Allocation is told to release.
    pub grace: std::time::Duration,
}

impl Default for BillingConfig {
    fn default() -> BillingConfig {
        BillingConfig {
            currency: Currency::USD,
            test_provider: false,
            runway_hours: 24,
            grace: std::time::Duration::from_secs(15 * 60),
        }
    }
}

pub struct BillingService {
    db: Db,
    clock: Arc<dyn Clock>,
    authorizer: Arc<dyn Authorizer>,
    audit: Arc<dyn AuditTrail>,
    /// KYC limits (the daily top-up ceiling); absent only in tests of Billing alone.
    kyc: Option<Arc<dyn KycPolicyApi>>,
    /// The card provider, when configured.
    stripe: Option<Arc<dyn PaymentProvider>>,
    config: BillingConfig,
}

type Result<T> = std::result::Result<T, BillingError>;

fn internal(err: impl std::fmt::Display + 'static) -> BillingError {
    if ingot_kernel::db::unavailable_in(&err) {
        tracing::warn!(error = %err, "billing: the database is unavailable");
        return BillingError::Unavailable("the database");
    }
    tracing::error!(error = %err, "billing storage failed");
    BillingError::Internal
}

impl From<LedgerError> for BillingError {
    fn from(err: LedgerError) -> BillingError {
        match err {
            LedgerError::InsufficientFunds { .. } => BillingError::InsufficientFunds,
            LedgerError::IdempotencyConflict(_) => BillingError::IdempotencyConflict,
            LedgerError::HoldUnknown => BillingError::NotFound("hold"),
            LedgerError::Db(err) => internal(err),
            other => internal(other),
        }
    }
}

fn account_name(account: &AccountRef) -> &'static str {
    match account.kind() {
        AccountKind::TenantPromo => "promo",
        _ => "cash",
    }
}

fn entry_view(entry: TenantEntry) -> LedgerEntryView {
    LedgerEntryView {
        transaction_id: entry.transaction_id,
        at: entry.at,
        kind: entry.kind,
        account: account_name(&entry.account).into(),
        amount: entry.amount,
        memo: entry.memo,
    }
}

impl BillingService {
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        authorizer: Arc<dyn Authorizer>,
        audit: Arc<dyn AuditTrail>,
        config: BillingConfig,
    ) -> BillingService {
        BillingService {
            db,
            clock,
            authorizer,
            audit,
            kyc: None,
            stripe: None,
            config,
        }
    }

    /// Top-ups respect the tenant's KYC daily ceiling, asked from IAM's contract.
    pub fn with_kyc(mut self, kyc: Arc<dyn KycPolicyApi>) -> BillingService {
        self.kyc = Some(kyc);
        self
    }

    /// Card top-ups through a Stripe-compatible provider.
    pub fn with_stripe(mut self, stripe: Arc<dyn PaymentProvider>) -> BillingService {
        self.stripe = Some(stripe);
        self
    }

    /// Refuses a top-up that would take the tenant past its KYC level's daily ceiling.
    async fn top_up_limit_check(&self, tenant_id: TenantId, amount: Money) -> Result<()> {
        let Some(kyc) = &self.kyc else { return Ok(()) };
        let policy = kyc
            .kyc_policy_get(tenant_id)
            .await
            .map_err(|_| BillingError::Unavailable("the KYC policy"))?;
        let since = self.clock.now().minus(std::time::Duration::from_secs(86_400));
        let today = store::payments::top_ups_since(self.db.reader(), tenant_id, since)
            .await
            .map_err(internal)?;
        if today + amount.micros() > policy.max_top_up_per_day.micros() {
            return Err(BillingError::invalid(
                "amount",
                format!(
                    "over the daily top-up limit of {} {} for your verification level; verify your identity to raise it",
                    policy.max_top_up_per_day.amount_string(),
                    policy.max_top_up_per_day.currency().as_str()
                ),
            ));
        }
        Ok(())
    }

    /// What a verified payment event does: credits a paid checkout, marks a failed one, and
    /// posts refunds (the part the tenant already spent is carried by the platform's refunds
    /// account, so no floor is crossed and the loss is visible to finance).
    async fn payment_event_apply_in_tx(
        &self,
        tx: &mut Tx,
        provider: &str,
        event: &PaymentEvent,
        now: ingot_kernel::Timestamp,
    ) -> Result<()> {
        match event {
            PaymentEvent::Succeeded {
                provider_ref,
                payment_ref,
                amount,
                ..
            } => {
                let Some(top_up) = store::payments::top_up_find(&mut **tx, provider, provider_ref, false)
                    .await
                    .map_err(internal)?
                else {
                    tracing::warn!(
                        provider,
                        provider_ref,
                        "payment for a checkout Ingot did not open: ignored"
                    );
                    return Ok(());
                };
                if *amount != top_up.amount {
                    tracing::error!(
                        provider,
                        provider_ref,
                        "paid amount differs from the checkout's: crediting what was paid"
                    );
                }
                let posting = Posting::new(
                    format!("payment/{provider}/{provider_ref}"),
                    PostingKind::TopUp,
                    Some(top_up.tenant_id),
                    vec![Transfer {
                        debit: self.platform(AccountKind::PlatformPaymentClearing),
                        credit: self.account(top_up.tenant_id, AccountKind::TenantCash),
                        amount: *amount,
                    }],
                    format!("card top-up ({provider} {provider_ref})"),
                )
                .map_err(|e| BillingError::invalid("amount", e.to_string()))?;
                store::post_in_tx(tx, &posting, &[], now).await?;
                store::payments::top_up_update_in_tx(
                    tx,
                    &top_up.id,
                    "succeeded",
                    payment_ref.as_deref(),
                    0,
                    now,
                )
                .await
                .map_err(internal)?;
            }
            PaymentEvent::Failed { provider_ref, .. } => {
                if let Some(top_up) = store::payments::top_up_find(&mut **tx, provider, provider_ref, false)
                    .await
                    .map_err(internal)?
                    .filter(|t| t.status == "pending")
                {
                    store::payments::top_up_update_in_tx(tx, &top_up.id, "failed", None, 0, now)
                        .await
                        .map_err(internal)?;
                }
            }
            PaymentEvent::Refunded {
                event_id,
                payment_ref,
                refunded,
            } => {
                let Some(top_up) = store::payments::top_up_find(&mut **tx, provider, payment_ref, true)
                    .await
                    .map_err(internal)?
                else {
                    tracing::warn!(
                        provider,
                        payment_ref,
                        "refund of a payment Ingot does not know: ignored"
                    );
                    return Ok(());
                };
                let more = refunded.micros() - top_up.refunded.micros();
                if more <= 0 {
                    return Ok(());
                }
                let cash = self.account(top_up.tenant_id, AccountKind::TenantCash);
                let spendable = store::account_get(&mut **tx, &cash)
                    .await
                    .map_err(internal)?
                    .and_then(|a| a.spendable())
                    .map_or(0, |m| m.micros().max(0));
                let from_tenant = more.min(spendable);
                let clearing = self.platform(AccountKind::PlatformPaymentClearing);
                let mut transfers = Vec::new();
                for (account, micros) in [
                    (cash, from_tenant),
                    (self.platform(AccountKind::PlatformRefunds), more - from_tenant),
                ] {
                    if micros > 0 {
                        transfers.push(Transfer {
                            debit: account,
                            credit: clearing,
                            amount: Money::from_micros(micros, refunded.currency()),
                        });
                    }
                }
                let posting = Posting::new(
                    format!("refund/{provider}/{event_id}"),
                    PostingKind::Refund,
                    Some(top_up.tenant_id),
                    transfers,
                    format!("card refund ({provider} {payment_ref})"),
                )
                .map_err(|e| BillingError::invalid("amount", e.to_string()))?;
                store::post_in_tx(tx, &posting, &[], now).await?;
                store::payments::top_up_update_in_tx(
                    tx,
                    &top_up.id,
                    &top_up.status,
                    None,
                    refunded.micros(),
                    now,
                )
                .await
                .map_err(internal)?;
            }
            PaymentEvent::Ignored { .. } => {}
        }
        Ok(())
    }

    fn account(&self, tenant_id: TenantId, kind: AccountKind) -> AccountRef {
        // Invariant: the kinds passed here are tenant kinds.
        AccountRef::tenant(tenant_id, kind, self.config.currency).expect("a tenant account kind")
    }

    fn platform(&self, kind: AccountKind) -> AccountRef {
        // Invariant: the kinds passed here are platform kinds.
        AccountRef::platform(kind, self.config.currency).expect("a platform account kind")
    }

    fn amount_checked(&self, amount: Money) -> Result<()> {
        if amount.currency() != self.config.currency {
            return Err(BillingError::invalid(
                "amount.currency",
                format!("balances are kept in {}", self.config.currency.as_str()),
            ));
        }
        if amount.micros() <= 0 || amount.micros() > AMOUNT_MAX_MICROS {
            return Err(BillingError::invalid(
                "amount",
                "must be more than zero and at most 1000000",
            ));
        }
        Ok(())
    }

    /// Writes `posting` with its audit record in one transaction; a replay of the same posting
    /// returns the first transaction and writes nothing.
    async fn post_audited(
        &self,
        actor: &Actor,
        posting: &Posting,
        audit_action: &'static str,
        details: serde_json::Value,
    ) -> Result<store::Posted> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await.map_err(internal)?;
        let posted = store::post_in_tx(&mut tx, posting, &[], now).await?;
        if !posted.replayed {
            self.audit_in_tx(
                &mut tx,
                actor,
                audit_action,
                posted.transaction_id.to_string(),
                details,
            )
            .await?;
        }
        tx.commit().await.map_err(internal)?;
        Ok(posted)
    }

    async fn audit_in_tx(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        action: &'static str,
        target: String,
        details: serde_json::Value,
    ) -> Result<()> {
        self.audit
            .audit_in_tx(
                tx,
                actor,
                AuditEntry {
                    action,
                    target,
                    details,
                },
            )
            .await
            .map_err(|err: DbError| internal(err))
    }

    /// Finance moves money into or out of a tenant account by hand (the manual provider): the
    /// other side is the platform's adjustments account; authorized, reasoned and audited.
    async fn manual_post(
        &self,
        actor: &Actor,
        manual: ManualPosting<'_>,
        mut details: serde_json::Value,
    ) -> Result<LedgerEntryView> {
        self.authorizer
            .allow(actor, Action::CreditGrant, Resource::Platform)?;
        self.amount_checked(manual.amount)?;
        let reason = manual.reason.trim();
        if reason.is_empty() || reason.len() > 500 {
            return Err(BillingError::invalid(
                "reason",
                "say why, in at most 500 characters",
            ));
        }
        let tenant_id = manual.tenant_id;
        let adjustments = self.platform(AccountKind::PlatformAdjustments);
        let (debit, credit, kind, verb, audit_action) = if manual.into_tenant {
            (
                adjustments,
                manual.account,
                PostingKind::Credit,
                "credit",
                "billing.credit.grant",
            )
        } else {
            (
                manual.account,
                adjustments,
                PostingKind::Adjustment,
                "charge",
                "billing.charge",
            )
        };
        let key = format!(
            "{verb}/{tenant_id}/{}",
            manual
                .idempotency_key
                .unwrap_or_else(|| ingot_kernel::id::new_ulid().to_string())
        );
        let transfer = Transfer {
            debit,
            credit,
            amount: manual.amount,
        };
        let posting = Posting::new(key, kind, Some(tenant_id), vec![transfer], reason)
            .map_err(|e| BillingError::invalid("amount", e.to_string()))?;
        if let Some(fields) = details.as_object_mut() {
            fields.insert("tenant_id".into(), serde_json::json!(tenant_id));
            fields.insert("amount".into(), serde_json::json!(manual.amount));
            fields.insert("reason".into(), serde_json::json!(reason));
        }
        let posted = self.post_audited(actor, &posting, audit_action, details).await?;
        self.posted_entry(posted, manual.account).await
    }

    /// The one entry `posted` made on `account`, as the tenant sees it.
    async fn posted_entry(&self, posted: store::Posted, account: AccountRef) -> Result<LedgerEntryView> {
        // Posted: a failure from here on must not answer 503, which clients repeat automatically.
        store::entries_of_transaction(self.db.reader(), posted.transaction_id, &account)
            .await
            .map_err(|err| {
                tracing::error!(error = %err, transaction_id = %posted.transaction_id, "posted but not read back");
                BillingError::Internal
            })?
            .into_iter()
            .next()
            .map(entry_view)
            .ok_or(BillingError::Internal)
    }
}

impl BillingApi for BillingService {
    fn balance_get<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
    ) -> BoxFuture<'a, Result<BalanceView>> {
        Box::pin(async move {
            self.authorizer
                .allow(actor, Action::BalanceRead, Resource::Tenant(tenant_id))?;
            self.balance_of(tenant_id).await
        })
    }

    fn credit_limit_set<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        request: CreditLimitRequest,
    ) -> BoxFuture<'a, Result<BalanceView>> {
        Box::pin(async move {
            self.authorizer
                .allow(actor, Action::CreditGrant, Resource::Platform)?;
            let limit = request.credit_limit;
            if limit.currency() != self.config.currency
                || limit.micros() < 0
                || limit.micros() > AMOUNT_MAX_MICROS
            {
                return Err(BillingError::invalid(
                    "credit_limit",
                    format!("zero or more {}, at most 1000000", self.config.currency.as_str()),
                ));
            }
            let reason = request.reason.trim();
            if reason.is_empty() || reason.len() > 500 {
                return Err(BillingError::invalid(
                    "reason",
                    "say why, in at most 500 characters",
                ));
            }
            let now = self.clock.now();
            let mut tx = self.db.begin().await.map_err(internal)?;
            store::account_floor_set_in_tx(
                &mut tx,
                &self.account(tenant_id, AccountKind::TenantCash),
                -limit.micros(),
                now,
            )
            .await
            .map_err(internal)?;
            self.audit_in_tx(
                &mut tx,
                actor,
                "billing.credit_limit.set",
                tenant_id.to_string(),
                serde_json::json!({"credit_limit": limit, "reason": reason}),
            )
            .await?;
            tx.commit().await.map_err(internal)?;
            self.balance_of(tenant_id).await
        })
    }

    fn ledger_list<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        page: PageRequest,
    ) -> BoxFuture<'a, Result<Page<LedgerEntryView>>> {
        Box::pin(async move {
            self.authorizer
                .allow(actor, Action::BalanceRead, Resource::Tenant(tenant_id))?;
            let limit = page
                .limit()
                .map_err(|e| BillingError::invalid("limit", e.to_string()))?;
            let after: Option<(i64, String, i64)> = page
                .after()
                .map_err(|e| BillingError::invalid("cursor", e.to_string()))?;
            let accounts = [
                self.account(tenant_id, AccountKind::TenantCash),
                self.account(tenant_id, AccountKind::TenantPromo),
            ];
            let entries = store::entries_of(self.db.reader(), &accounts, after, limit)
                .await
                .map_err(internal)?;
            let keyed: Vec<((i64, String, i64), LedgerEntryView)> = entries
                .into_iter()
                .map(|e| {
                    (
                        (e.at.as_micros(), e.transaction_id.to_string(), e.position),
                        entry_view(e),
                    )
                })
                .collect();
            let page = Page::from_overfetch(keyed, limit, |(key, _)| key.clone());
            Ok(Page {
                items: page.items.into_iter().map(|(_, view)| view).collect(),
                next_cursor: page.next_cursor,
            })
        })
    }

    fn top_up<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        request: TopUpRequest,
        idempotency_key: Option<String>,
    ) -> BoxFuture<'a, Result<TopUpView>> {
        Box::pin(async move {
            self.authorizer
                .allow(actor, Action::TopUp, Resource::Tenant(tenant_id))?;
            self.amount_checked(request.amount)?;
            let default = if self.config.test_provider {
                "test"
            } else {
                "stripe"
            };
            let provider = request.provider.as_deref().unwrap_or(default);
            let stripe = self.stripe.as_ref().filter(|_| provider == "stripe");
            if !(provider == "test" && self.config.test_provider) && stripe.is_none() {
                return Err(BillingError::invalid(
                    "provider",
                    format!("the {provider:?} provider is not configured here"),
                ));
            }
            self.top_up_limit_check(tenant_id, request.amount).await?;
            let key = format!(
                "top-up/{tenant_id}/{}",
                idempotency_key.unwrap_or_else(|| ingot_kernel::id::new_ulid().to_string())
            );
            let now = self.clock.now();
            if let Some(stripe) = stripe {
                // The provider call happens outside any transaction; its idempotency key makes a
                // retry open the same checkout, and the row below is keyed by it too.
                let checkout = stripe
                    .checkout_create(tenant_id, request.amount, &key)
                    .await
                    .map_err(|err| match err {
                        PaymentError::Refused(why) => BillingError::invalid("amount", why),
                        other => BillingError::Provider(other.to_string()),
                    })?;
                let row = TopUpRow {
                    id: key.clone(),
                    tenant_id,
                    provider: stripe.name().into(),
                    provider_ref: checkout.provider_ref.clone(),
                    payment_ref: None,
                    amount: request.amount,
                    status: "pending".into(),
                    refunded: Money::zero(request.amount.currency()),
                };
                let mut tx = self.db.begin().await.map_err(internal)?;
                store::payments::top_up_insert_in_tx(&mut tx, &row, now)
                    .await
                    .map_err(internal)?;
                self.audit_in_tx(
                    &mut tx,
                    actor,
                    "billing.top_up.checkout",
                    checkout.provider_ref.clone(),
                    serde_json::json!({"tenant_id": tenant_id, "amount": request.amount, "provider": provider}),
                )
                .await?;
                tx.commit().await.map_err(internal)?;
                return Ok(TopUpView {
                    tenant_id,
                    provider: provider.into(),
                    amount: request.amount,
                    status: TopUpStatus::Pending,
                    checkout_url: Some(checkout.url),
                    transaction_id: None,
                });
            }
            let posting = Posting::new(
                key.clone(),
                PostingKind::TopUp,
                Some(tenant_id),
                vec![Transfer {
                    debit: self.platform(AccountKind::PlatformPaymentClearing),
                    credit: self.account(tenant_id, AccountKind::TenantCash),
                    amount: request.amount,
                }],
                "top-up through the test provider (no real money)",
            )
            .map_err(|e| BillingError::invalid("amount", e.to_string()))?;
            let mut tx = self.db.begin().await.map_err(internal)?;
            let posted = store::post_in_tx(&mut tx, &posting, &[], now).await?;
            if !posted.replayed {
                let row = TopUpRow {
                    id: key.clone(),
                    tenant_id,
                    provider: "test".into(),
                    provider_ref: key,
                    payment_ref: None,
                    amount: request.amount,
                    status: "succeeded".into(),
                    refunded: Money::zero(request.amount.currency()),
                };
                store::payments::top_up_insert_in_tx(&mut tx, &row, now)
                    .await
                    .map_err(internal)?;
                self.audit_in_tx(
                    &mut tx,
                    actor,
                    "billing.top_up",
                    posted.transaction_id.to_string(),
                    serde_json::json!({"tenant_id": tenant_id, "amount": request.amount, "provider": provider}),
                )
                .await?;
            }
            tx.commit().await.map_err(internal)?;
            Ok(TopUpView {
                tenant_id,
                provider: provider.into(),
                amount: request.amount,
                status: TopUpStatus::Succeeded,
                checkout_url: None,
                transaction_id: Some(posted.transaction_id),
            })
        })
    }

    fn payment_webhook<'a>(
        &'a self,
        provider: &'a str,
        signature: Option<&'a str>,
        body: &'a [u8],
    ) -> BoxFuture<'a, Result<WebhookAck>> {
        Box::pin(async move {
            let stripe = self
                .stripe
                .as_ref()
                .filter(|s| s.name() == provider)
                .ok_or(BillingError::NotFound("payment provider"))?;
            let now = self.clock.now();
            let event = stripe
                .webhook_parse(signature, body, now)
                .map_err(|err| match err {
                    PaymentError::SignatureInvalid => BillingError::SignatureInvalid,
                    other => BillingError::invalid("body", other.to_string()),
                })?;
            let mut tx = self.db.begin().await.map_err(internal)?;
            let fresh = store::payments::webhook_event_claim_in_tx(
                &mut tx,
                provider,
                event.event_id(),
                event.event_type(),
                now,
            )
            .await
            .map_err(internal)?;
            if fresh {
                self.payment_event_apply_in_tx(&mut tx, provider, &event, now)
                    .await?;
            }
            tx.commit().await.map_err(internal)?;
            Ok(WebhookAck {
                event_id: event.event_id().to_string(),
                duplicate: !fresh,
            })
        })
    }

    fn credit_grant<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        request: CreditRequest,
        idempotency_key: Option<String>,
    ) -> BoxFuture<'a, Result<LedgerEntryView>> {
        Box::pin(async move {
            let kind = if request.promotional {
                AccountKind::TenantPromo
            } else {
                AccountKind::TenantCash
            };
            let manual = ManualPosting {
                tenant_id,
                account: self.account(tenant_id, kind),
                into_tenant: true,
                amount: request.amount,
                reason: &request.reason,
                idempotency_key,
            };
            self.manual_post(
                actor,
                manual,
                serde_json::json!({"promotional": request.promotional}),
            )
            .await
        })
    }

    fn statement_get<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        month: &'a str,
    ) -> BoxFuture<'a, Result<StatementView>> {
        Box::pin(async move {
            self.authorizer
                .allow(actor, Action::BalanceRead, Resource::Tenant(tenant_id))?;
            let bad_month = || BillingError::invalid("month", "a month such as 2026-11");
            let (year, number) = month.split_once('-').ok_or_else(bad_month)?;
            let (year, number): (i64, u32) = match (year.len(), number.len()) {
                (4, 2) => (
                    year.parse().map_err(|_| bad_month())?,
                    number.parse().map_err(|_| bad_month())?,
                ),
                _ => return Err(bad_month()),
            };
            let from = ingot_kernel::Timestamp::month_start(year, number).ok_or_else(bad_month)?;
            let to = if number == 12 {
                ingot_kernel::Timestamp::month_start(year + 1, 1)
            } else {
                ingot_kernel::Timestamp::month_start(year, number + 1)
            }
            .ok_or_else(bad_month)?;
            let accounts = [
                self.account(tenant_id, AccountKind::TenantCash),
                self.account(tenant_id, AccountKind::TenantPromo),
            ];
            let (opening, movements) = store::statement_movements(self.db.reader(), &accounts, from, to)
                .await
                .map_err(internal)?;
            let (mut top_ups, mut credits, mut other) = (0i64, 0i64, 0i64);
            let mut usage: std::collections::BTreeMap<String, i64> = std::collections::BTreeMap::new();
            for m in &movements {
                match (m.kind.as_str(), &m.reference) {
                    ("top_up", _) => top_ups += m.delta_micros,
                    ("credit", _) => credits += m.delta_micros,
                    ("usage" | "refund", Some(reference)) => {
                        *usage.entry(reference.clone()).or_insert(0) -= m.delta_micros
                    }
                    _ => other += m.delta_micros,
                }
            }
            let currency = self.config.currency;
            let money = |micros| Money::from_micros(micros, currency);
            let mut lines = Vec::with_capacity(usage.len());
            for (reference, amount) in &usage {
                let parsed = reference
                    .split_once('/')
                    .and_then(|(a, n)| Some((a.parse().ok()?, n.parse().ok()?)));
                let Some((allocation_id, node_id)) = parsed else {
                    other -= amount;
                    continue;
                };
                let meter = store::metering::meter_get(self.db.reader(), allocation_id, node_id)
                    .await
                    .map_err(internal)?;
                let rate = meter.as_ref().and_then(|m| m.price);
                let seconds = rate.map_or(0, |r| {
                    // Rounded to the nearest second: the amount is exact, the seconds informative.
                    let micros = i128::from(*amount) * 3_600 * 2 / i128::from(r.micros().max(1));
                    i64::try_from((micros + micros.signum()) / 2).unwrap_or(0)
                });
                lines.push(UsageLine {
                    allocation_id,
                    node_id,
                    sku_id: meter.and_then(|m| m.sku_id),
                    seconds,
                    hourly_rate: rate,
                    amount: money(*amount),
                });
            }
            let usage_total: i64 = lines.iter().map(|l| l.amount.micros()).sum();
            let closing = opening + top_ups + credits - usage_total + other;
            Ok(StatementView {
                tenant_id,
                month: format!("{year:04}-{number:02}"),
                opening_balance: money(opening),
                top_ups: money(top_ups),
                credits: money(credits),
                usage: lines,
                usage_total: money(usage_total),
                other: money(other),
                closing_balance: money(closing),
            })
        })
    }

    fn charge_post<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        request: ChargeRequest,
        idempotency_key: Option<String>,
    ) -> BoxFuture<'a, Result<LedgerEntryView>> {
        Box::pin(async move {
            let manual = ManualPosting {
                tenant_id,
                account: self.account(tenant_id, AccountKind::TenantCash),
                into_tenant: false,
                amount: request.amount,
                reason: &request.reason,
                idempotency_key,
            };
            self.manual_post(actor, manual, serde_json::json!({})).await
        })
    }

    fn usage_list<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
    ) -> BoxFuture<'a, Result<Vec<UsageView>>> {
        Box::pin(async move {
            self.authorizer
                .allow(actor, Action::BalanceRead, Resource::Tenant(tenant_id))?;
            let meters = store::metering::meters_of_tenant(self.db.reader(), tenant_id, 500)
                .await
                .map_err(internal)?;
            Ok(meters
                .into_iter()
                .map(|m| UsageView {
                    allocation_id: m.allocation_id,
                    node_id: m.node_id,
                    sku_id: m.sku_id,
                    started_at: m.started_at,
                    stopped_at: m.stopped_at,
                    hourly_rate: m.price,
                    charged: Money::from_micros(m.charged_micros, self.config.currency),
                })
                .collect())
        })
    }

    fn ledger_verify<'a>(&'a self, actor: &'a Actor) -> BoxFuture<'a, Result<LedgerVerifyReport>> {
        Box::pin(async move {
            self.authorizer
                .allow(actor, Action::LedgerVerify, Resource::Platform)?;
            let report = store::ledger_verify(self.db.reader()).await.map_err(internal)?;
            Ok(LedgerVerifyReport {
                ok: report.breaches.is_empty(),
                accounts: report.accounts,
                transactions: report.transactions,
                transfers: report.transfers,
                breaches: report.breaches,
            })
        })
    }
}

/// What one rating pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RatingPass {
    pub meters: usize,
    pub postings: usize,
    /// Meters whose charge did not fit the tenant's balance; retried next pass.
    pub refused: usize,
    /// Allocation fundings renewed after charging.
    pub fundings: usize,
}

/// Metering and rating: following the events usage is folded from, and charging it.
impl BillingService {
    /// Reads the events metering needs behind Billing's outbox cursor (prices, Allocation's
    /// metering starts and stops, operator-declared faults) and folds them, cursor and effects
    /// in one transaction. Returns how many events were read.
    pub async fn usage_follow(&self, batch_max: i64) -> std::result::Result<usize, DbError> {
        use ingot_contracts::allocation::{NodeMeteringStarted, NodeMeteringStopped};
        use ingot_contracts::inventory::{HealthAction, NodeHealthChanged, OfferPriceChanged};
        use ingot_kernel::event::DomainEvent;
        use store::metering as meters;

        const CONSUMER: &str = "billing.usage";
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let batch =
            ingot_kernel::outbox::batch_fetch_in_tx(&self.db, &mut tx, CONSUMER, batch_max, now).await?;
        for event in &batch.events {
            let payload = event.payload.clone();
            let unreadable = |err: serde_json::Error| {
                tracing::error!(event_id = %event.id, event_type = %event.event_type, error = %err, "unreadable event skipped");
            };
            match event.event_type.as_str() {
                OfferPriceChanged::EVENT_TYPE => match serde_json::from_value::<OfferPriceChanged>(payload) {
                    Ok(e) => {
                        meters::price_record_in_tx(
                            &mut tx,
                            e.sku_id,
                            e.site_id,
                            e.effective_at,
                            e.hourly_price,
                        )
                        .await?
                    }
                    Err(err) => unreadable(err),
                },
                NodeMeteringStarted::EVENT_TYPE => {
                    match serde_json::from_value::<NodeMeteringStarted>(payload) {
                        Ok(e) => {
                            meters::meter_started_in_tx(
                                &mut tx,
                                e.allocation_id,
                                e.node_id,
                                e.tenant_id,
                                e.sku_id,
                                e.site_id,
                                e.at,
                            )
                            .await?
                        }
                        Err(err) => unreadable(err),
                    }
                }
                NodeMeteringStopped::EVENT_TYPE => {
                    match serde_json::from_value::<NodeMeteringStopped>(payload) {
                        Ok(e) => {
                            meters::meter_stopped_in_tx(
                                &mut tx,
                                e.allocation_id,
                                e.node_id,
                                e.tenant_id,
                                e.at,
                            )
                            .await?
                        }
                        Err(err) => unreadable(err),
                    }
                }
                NodeHealthChanged::EVENT_TYPE => match serde_json::from_value::<NodeHealthChanged>(payload) {
                    // Only faults an operator declared, and that stop the node being used, are
                    // credited: the tenant could not use the machine and it was not their doing.
                    Ok(e)
                        if e.condition.action == HealthAction::PreventsAllocation
                            && e.condition.source.starts_with("operator") =>
                    {
                        meters::fault_record_in_tx(
                            &mut tx,
                            e.node_id,
                            &e.condition.kind,
                            e.condition.since,
                            e.cleared_at,
                        )
                        .await?
                    }
                    Ok(_) => {}
                    Err(err) => unreadable(err),
                },
                _ => {}
            }
        }
        if let Some(last) = batch.last {
            ingot_kernel::outbox::cursor_advance_in_tx(&mut tx, CONSUMER, last, now).await?;
        }
        tx.commit().await?;
        Ok(batch.events.len())
    }

    /// Charges (or refunds) every unsettled meter up to now.
    #[tracing::instrument(name = "billing.rate_due", skip_all)]
    pub async fn rate_due(&self) -> std::result::Result<RatingPass, DbError> {
        let mut pass = RatingPass::default();
        loop {
            let meters = store::metering::meters_unsettled(self.db.reader(), 200).await?;
            let batch = meters.len();
            for meter in meters {
                pass.meters += 1;
                match self.meter_rate(meter.allocation_id, meter.node_id).await {
                    Ok(true) => pass.postings += 1,
                    Ok(false) => {}
                    Err(LedgerError::InsufficientFunds { account }) => {
                        pass.refused += 1;
                        tracing::warn!(%account, allocation_id = %meter.allocation_id, "usage charge refused: balance exhausted");
                    }
                    Err(LedgerError::Db(err)) => return Err(err),
                    Err(err) => {
                        tracing::error!(error = %err, allocation_id = %meter.allocation_id, "usage not rated")
                    }
                }
            }
            // Settled meters leave the unsettled set; a full batch of still-open ones would loop
            // forever, so one pass reads each page once.
            if batch < 200 || pass.meters >= 10_000 {
                // Then the holds follow what was just paid, and deadlines what is owed.
                pass.fundings = self.fundings_refresh().await?;
                return Ok(pass);
            }
        }
    }

    /// Rates one meter in one transaction: the posting and the meter's new charged total commit
    /// together, so a crash between them cannot charge twice or lose a charge. Returns whether a
    /// posting was made.
    async fn meter_rate(
        &self,
        allocation_id: ingot_kernel::id::AllocationId,
        node_id: ingot_kernel::id::NodeId,
    ) -> std::result::Result<bool, LedgerError> {
        use crate::model::{billable_micros, cost_due};
        use store::metering as meters;

        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let Some(meter) = meters::meter_lock_in_tx(&mut tx, allocation_id, node_id, now).await? else {
            return Ok(false);
        };
        let (Some(tenant_id), Some(sku_id), Some(site_id), Some(started)) =
            (meter.tenant_id, meter.sku_id, meter.site_id, meter.started_at)
        else {
            return Ok(false);
        };
        let price = match meter.price {
            Some(price) => price,
            None => match meters::price_at(&mut *tx, sku_id, site_id, started).await? {
                Some(price) => price,
                None => {
                    tracing::warn!(%sku_id, %site_id, "no list price known for metered usage yet");
                    return Ok(false);
                }
            },
        };
        if price.currency() != self.config.currency {
            tracing::error!(
                currency = price.currency().as_str(),
                "usage priced in a currency balances are not kept in"
            );
            return Ok(false);
        }
        let faults = meters::faults_of(&mut *tx, node_id).await?;
        let due = cost_due(billable_micros(started, meter.stopped_at, &faults, now), price).micros();
        let delta = due - meter.charged_micros;
        let key = format!("usage/{allocation_id}/{node_id}/{}", meter.postings);
        let memo = format!("usage of {node_id} in {allocation_id}");
        let reference = format!("{allocation_id}/{node_id}");
        let revenue = self.platform(AccountKind::PlatformRevenue);
        let cash = self.account(tenant_id, AccountKind::TenantCash);
        // What can be charged now: all of `delta`, or as much as the allocation's holds and the
        // free balance above the floors allow. The rest stays owed (`charged < due`), and the
        // allocation's funding deadline moves into the past by as much.
        let mut charged = due;
        let mut holds = Vec::new();
        let posting = if delta > 0 {
            let promo = self.account(tenant_id, AccountKind::TenantPromo);
            let funding = store::funding::funding_get(&mut *tx, allocation_id).await?;
            let mut payable_from = |account: AccountRef| {
                let hold = funding.as_ref().and_then(|f| match account.kind() {
                    AccountKind::TenantPromo => f.promo_hold,
                    _ => f.cash_hold,
                });
                holds.extend(hold);
                hold
            };
            let (promo_hold, cash_hold) = (payable_from(promo), payable_from(cash));
            let promo_payable = self.payable_in_tx(&mut tx, &promo, promo_hold).await?;
            let cash_payable = self.payable_in_tx(&mut tx, &cash, cash_hold).await?;
            // Promotional credit is spent first.
            let payable = delta.min(promo_payable.saturating_add(cash_payable));
            if payable < delta {
                charged = meter.charged_micros + payable;
                tracing::warn!(%allocation_id, owed = delta - payable, "usage exceeds the balance; the rest stays owed");
            }
            let from_promo = payable.min(promo_payable);
            let mut transfers = Vec::new();
            for (account, micros) in [(promo, from_promo), (cash, payable - from_promo)] {
                if micros > 0 {
                    transfers.push(Transfer {
                        debit: account,
                        credit: revenue,
                        amount: Money::from_micros(micros, price.currency()),
                    });
                }
            }
            if transfers.is_empty() {
                meters::meter_rated_in_tx(&mut tx, &meter, price, charged, false, false).await?;
                tx.commit().await?;
                return Err(LedgerError::InsufficientFunds { account: cash.key() });
            }
            Some(
                Posting::new(key, PostingKind::Usage, Some(tenant_id), transfers, memo)
                    .map(|p| p.with_reference(reference)),
            )
        } else if delta < 0 {
            let transfer = Transfer {
                debit: revenue,
                credit: cash,
                amount: Money::from_micros(-delta, price.currency()),
            };
            Some(
                Posting::new(key, PostingKind::Refund, Some(tenant_id), vec![transfer], memo)
                    .map(|p| p.with_reference(reference)),
            )
        } else {
            None
        };
        let posted = match posting {
            Some(posting) => {
                let posting = posting
                    .map_err(|err| LedgerError::Db(ingot_kernel::db::column::corrupt(&err.to_string())))?;
                store::post_in_tx(&mut tx, &posting, &holds, now).await?;
                true
            }
            None => false,
        };
        let settled = charged == due && meter.stopped_at.is_some_and(|stopped| stopped <= now);
        meters::meter_rated_in_tx(&mut tx, &meter, price, charged, posted, settled).await?;
        tx.commit().await?;
        Ok(posted)
    }
}

mod funding;
mod signals;
