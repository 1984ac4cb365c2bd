//! Billing published language: balances, ledger entries, credits, top-ups and the ledger
//! verification report as served; the errors; the trait the HTTP layer and the web app call.
//! Metering, rating and the balance policy Allocation asks join here with the Billing issue.

use ingot_kernel::Timestamp;
use ingot_kernel::id::{AllocationId, NodeId, SkuId, TenantId, TransactionId};
use ingot_kernel::money::Money;
use ingot_kernel::page::{Page, PageRequest};
use ingot_kernel::problem::{Code, Problem};
use serde::{Deserialize, Serialize};

use crate::BoxFuture;
use crate::iam::{Actor, DenyReason};

/// A tenant's money in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BalanceView {
    pub tenant_id: TenantId,
    /// Paid in, minus what was charged.
    pub cash: Money,
    /// Promotional credit, spent before cash.
    pub promo: Money,
    /// Reserved by running allocations.
    pub held: Money,
    /// What may still be spent or reserved: cash + promo − held + credit limit.
    pub available: Money,
    /// How far below zero finance lets cash go (invoiced tenants); zero for prepaid.
    pub credit_limit: Money,
}

/// One ledger movement as a tenant sees it: what happened to one of its accounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LedgerEntryView {
    pub transaction_id: TransactionId,
    pub at: Timestamp,
    /// `top_up`, `credit`, `usage`, `refund`, `reversal`, `adjustment`.
    pub kind: String,
    /// `cash` or `promo`.
    pub account: String,
    /// Positive: money in; negative: money out.
    pub amount: Money,
    pub memo: String,
}

/// `POST /v1/admin/tenants/{tenant_id}/credits`: finance gives a tenant money (the manual
/// provider), audited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditRequest {
    pub amount: Money,
    /// Why: kept in the ledger memo and the audit log.
    pub reason: String,
    /// Promotional credit instead of cash.
    #[serde(default)]
    pub promotional: bool,
}

/// `POST /v1/admin/tenants/{tenant_id}/charges`: finance charges a tenant by hand (damages,
/// corrections), audited; refused with `insufficient_funds` past the tenant's floor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChargeRequest {
    pub amount: Money,
    pub reason: String,
}

/// One metered node of one allocation, as `GET /v1/tenants/{tenant_id}/usage` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct UsageView {
    pub allocation_id: AllocationId,
    pub node_id: NodeId,
    pub sku_id: Option<SkuId>,
    pub started_at: Option<Timestamp>,
    /// Absent while it runs.
    pub stopped_at: Option<Timestamp>,
    /// The list price captured at start, once rated.
    pub hourly_rate: Option<Money>,
    /// Charged so far (net of refunds).
    pub charged: Money,
}

/// `POST /v1/tenants/{tenant_id}/top-ups`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TopUpRequest {
    pub amount: Money,
    /// `test` (embedded default: credited at once, clearly labelled) or `stripe`.
    #[serde(default)]
    pub provider: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TopUpStatus {
    /// Waiting for the payer (follow `checkout_url`).
    Pending,
    Succeeded,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TopUpView {
    pub tenant_id: TenantId,
    pub provider: String,
    pub amount: Money,
    pub status: TopUpStatus,
    /// Where the payer completes payment, for providers that need it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checkout_url: Option<String>,
    /// The ledger transaction that credited it, once it succeeded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<TransactionId>,
}

/// `GET /v1/admin/ledger/verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LedgerVerifyReport {
    pub ok: bool,
    pub accounts: u64,
    pub transactions: u64,
    pub transfers: u64,
    /// Every broken invariant, named.
    pub breaches: Vec<String>,
}

/// One node's usage in a statement's month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct UsageLine {
    pub allocation_id: AllocationId,
    pub node_id: NodeId,
    pub sku_id: Option<SkuId>,
    /// Billed seconds in the month (after fault credits), at `hourly_rate`.
    pub seconds: i64,
    pub hourly_rate: Option<Money>,
    /// Charged in the month, net of refunds.
    pub amount: Money,
}

/// `GET /v1/tenants/{tenant_id}/statements/{yyyy-mm}`: the month's money, adding up exactly:
/// opening + top_ups + credits − usage_total + other = closing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StatementView {
    pub tenant_id: TenantId,
    /// `2026-11`.
    pub month: String,
    pub opening_balance: Money,
    pub top_ups: Money,
    pub credits: Money,
    pub usage: Vec<UsageLine>,
    pub usage_total: Money,
    /// Everything else that moved the balance (reversals, adjustments).
    pub other: Money,
    pub closing_balance: Money,
}

impl StatementView {
    /// The statement as CSV (the JSON API's `Accept: text/csv` and the web app's download).
    /// One row per figure and per usage line; every cell is an id, a number or a fixed word, so
    /// nothing needs quoting.
    pub fn to_csv(&self) -> String {
        let statement = self;
        let currency = statement.closing_balance.currency().as_str().to_string();
        let mut out = String::from("line,allocation_id,node_id,sku_id,seconds,hourly_rate,amount,currency\n");
        let mut figure = |line: &str, amount: &ingot_kernel::money::Money| {
            out.push_str(&format!("{line},,,,,,{},{currency}\n", amount.amount_string()));
        };
        figure("opening_balance", &statement.opening_balance);
        figure("top_ups", &statement.top_ups);
        figure("credits", &statement.credits);
        for line in &statement.usage {
            out.push_str(&format!(
                "usage,{},{},{},{},{},{},{currency}\n",
                line.allocation_id,
                line.node_id,
                line.sku_id.map(|s| s.to_string()).unwrap_or_default(),
                line.seconds,
                line.hourly_rate.map(|r| r.amount_string()).unwrap_or_default(),
                line.amount.amount_string(),
            ));
        }
        let mut figure = |line: &str, amount: &ingot_kernel::money::Money| {
            out.push_str(&format!("{line},,,,,,{},{currency}\n", amount.amount_string()));
        };
        figure("usage_total", &statement.usage_total);
        figure("other", &statement.other);
        figure("closing_balance", &statement.closing_balance);
        out
    }
}

/// What Allocation asks before it assigns nodes: may this tenant add `node_count` nodes at
/// `hourly_price` each to what it already burns?
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BurnRateRequest {
    pub tenant_id: TenantId,
    pub node_count: u32,
    /// List price per node-hour of what would be added.
    pub hourly_price: Money,
}

/// Why the balance policy refuses a new burn rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum BurnRefusal {
    /// The balance would not last `runway_hours` at the new total rate.
    #[error(
        "the balance does not cover {runway_hours} h at the new rate: {needed} needed, {available} available"
    )]
    InsufficientRunway {
        runway_hours: u32,
        needed: Money,
        available: Money,
    },
    /// The tenant's KYC level allows at most `max` nodes at once.
    #[error("your verification level allows {max} nodes at once; {running} are running")]
    NodeLimit { max: u32, running: u32 },
}

/// The policy's answer: approved with the resulting runway, or refused with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum BurnDecision {
    Approved {
        /// How long the balance lasts at the new total rate (`None`: the rate is zero).
        runway_hours: Option<u64>,
    },
    Refused(BurnRefusal),
}

/// Admission of one allocation's burn: decided like [`BurnRateRequest`], and on approval the
/// allocation's runway is reserved (held) in the same transaction, so two admissions racing for
/// one balance cannot both be approved on the same money.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunwayReservation {
    pub allocation_id: AllocationId,
    pub request: BurnRateRequest,
}

/// The balance policy, as Allocation calls it before it assigns nodes.
pub trait BalancePolicy: Send + Sync {
    /// Would this burn be approved now? Reserves nothing (dry runs, quotes).
    fn burn_rate_approve(&self, request: BurnRateRequest) -> Answer<'_, BurnDecision>;
    /// Approves and reserves the allocation's runway in holds that back it while it lives:
    /// metered charges draw on them, and their expiry is the suspension deadline. The same
    /// allocation twice is approved once (the second call reserves nothing more).
    fn runway_reserve(&self, reservation: RunwayReservation) -> Answer<'_, BurnDecision>;
    /// [`BalancePolicy::runway_reserve`] inside the caller's transaction, so an admission
    /// records its allocation and reserves its runway in one commit, neither without the other
    /// (Billing's tables are still written by Billing alone, as the audit trail's are by IAM).
    /// `Ok(None)`: the balance moved meanwhile; roll the transaction back and try again.
    /// `kyc_node_limit` is the tenant's KYC node limit as IAM's policy gave it to the caller,
    /// asked before the transaction opened: a read inside it would wait for a second
    /// connection while holding the first.
    #[cfg(feature = "sql")]
    fn runway_reserve_in_tx<'a>(
        &'a self,
        tx: &'a mut ingot_kernel::db::Tx,
        reservation: RunwayReservation,
        kyc_node_limit: u32,
    ) -> Answer<'a, Option<BurnDecision>>;
    /// The allocation ended or never started: what its holds reserve beyond the usage still to
    /// be charged is freed, and the rest once that usage is charged. Idempotent.
    fn runway_release(&self, allocation_id: AllocationId) -> Answer<'_, ()>;
}

/// `PUT /v1/admin/tenants/{tenant_id}/credit-limit`: how far below zero finance lets an invoiced
/// tenant's cash go (zero for prepaid).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditLimitRequest {
    pub credit_limit: Money,
    pub reason: String,
}

/// The tenant's balance fell below `runway_hours` of its current burn (announced once per
/// crossing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BalanceLow {
    pub tenant_id: TenantId,
    pub runway_hours: u32,
    pub available: Money,
    pub burn_per_hour: Money,
}

/// An allocation's funding ran out and the grace period passed (its holds' expiry, the
/// suspension deadline): Allocation force-releases it. Announced once per allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BalanceExhausted {
    pub tenant_id: TenantId,
    pub allocation_id: AllocationId,
    /// When the reserved money ran out.
    pub funded_until: Timestamp,
    /// `funded_until` plus the grace period.
    pub deadline: Timestamp,
}

/// A ledger transaction moved a tenant's money: what its cash and promotional accounts changed
/// by (negative: money out), with the posting's kind (`top_up`, `credit`, `usage`, `refund`,
/// `reversal`, `adjustment`) and reference (`alc_…/nod_…` for one node's usage). Announced once,
/// when the transaction is written; replays of the same posting announce nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionPosted {
    pub transaction_id: TransactionId,
    pub tenant_id: TenantId,
    pub kind: String,
    #[serde(default)]
    pub reference: Option<String>,
    pub cash: Money,
    pub promo: Money,
    /// What the posting moved in all (its transfers added up), the tenant's part and the
    /// platform's: a card refund paid partly from the platform's refunds account counts whole.
    #[serde(default)]
    pub gross: Option<Money>,
    pub at: Timestamp,
}

/// One of a tenant's accounts as it stood after a change. `version` is bumped by every change
/// to the account, so of two snapshots the higher version is the newer one, whatever order
/// their events arrive in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSnapshot {
    pub balance: Money,
    /// Reserved by pending holds.
    pub held: Money,
    pub version: u64,
}

/// A tenant's balance after a change to its accounts or holds: a snapshot of both accounts, so
/// a reader that keeps, per account, the highest version is right without adding anything up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BalanceChanged {
    pub tenant_id: TenantId,
    pub cash: AccountSnapshot,
    pub promo: AccountSnapshot,
    /// How far below zero cash may go (part of the cash account: it moves with its version).
    pub credit_limit: Money,
    pub at: Timestamp,
}

/// An allocation's funding changed: the rate its holds are sized for, how many nodes, its
/// suspension deadline (announced when it moves by more than a minute), and whether it is
/// still open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundingChanged {
    pub allocation_id: AllocationId,
    pub tenant_id: TenantId,
    pub rate_per_hour: Money,
    pub nodes: u32,
    #[serde(default)]
    pub deadline: Option<Timestamp>,
    pub open: bool,
    pub at: Timestamp,
}

domain_event!(BalanceLow, "billing.balance_low", "billing", subject: tenant_id, tenant: tenant_id);
domain_event!(BalanceExhausted, "billing.balance_exhausted", "billing", subject: allocation_id, tenant: tenant_id);
domain_event!(TransactionPosted, "billing.transaction_posted", "billing", subject: transaction_id, tenant: tenant_id);
domain_event!(BalanceChanged, "billing.balance_changed", "billing", subject: tenant_id, tenant: tenant_id);
domain_event!(FundingChanged, "billing.funding_changed", "billing", subject: allocation_id, tenant: tenant_id);

/// What a payment provider's webhook call is answered with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WebhookAck {
    pub event_id: String,
    /// The event was received before: nothing changed this time.
    pub duplicate: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BillingError {
    #[error("not allowed")]
    Denied(DenyReason),
    #[error("no such {0}")]
    NotFound(&'static str),
    #[error("invalid request")]
    Invalid(Vec<(String, String)>),
    #[error("insufficient funds")]
    InsufficientFunds,
    #[error("this idempotency key was used for a different request")]
    IdempotencyConflict,
    #[error("{0} is unavailable")]
    Unavailable(&'static str),
    /// A payment webhook whose signature is missing, wrong or stale.
    #[error("the webhook signature is missing, wrong or stale")]
    SignatureInvalid,
    /// The payment provider refused or failed the request.
    #[error("{0}")]
    Provider(String),
    #[error("internal error")]
    Internal,
}

impl BillingError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> BillingError {
        BillingError::Invalid(vec![(field.into(), message.into())])
    }
}

impl From<DenyReason> for BillingError {
    fn from(reason: DenyReason) -> BillingError {
        BillingError::Denied(reason)
    }
}

impl From<BillingError> for Problem {
    fn from(err: BillingError) -> Problem {
        match err {
            BillingError::Denied(reason) => reason.into(),
            BillingError::NotFound(what) => Problem::new(Code::NotFound).detail(format!("no such {what}")),
            BillingError::Invalid(fields) => Problem::invalid_fields(fields),
            BillingError::InsufficientFunds => Problem::new(Code::InsufficientFunds),
            BillingError::IdempotencyConflict => Problem::new(Code::IdempotencyKeyReused),
            BillingError::Unavailable(what) => {
                Problem::new(Code::Unavailable).detail(format!("{what} is unavailable"))
            }
            BillingError::SignatureInvalid => Problem::new(Code::PaymentSignatureInvalid),
            BillingError::Provider(why) => Problem::new(Code::PaymentProviderFailed).detail(why),
            BillingError::Internal => Problem::new(Code::Internal),
        }
    }
}

type Answer<'a, T> = BoxFuture<'a, Result<T, BillingError>>;

/// Billing's service: what the HTTP layer and the web app call. Every call is authorized
/// against `actor`.
pub trait BillingApi: Send + Sync {
    fn balance_get<'a>(&'a self, actor: &'a Actor, tenant_id: TenantId) -> Answer<'a, BalanceView>;
    fn ledger_list<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        page: PageRequest,
    ) -> Answer<'a, Page<LedgerEntryView>>;
    /// `idempotency_key` makes a retried call land once (the HTTP edge passes the request's
    /// `Idempotency-Key`, or one is made per call).
    fn top_up<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        request: TopUpRequest,
        idempotency_key: Option<String>,
    ) -> Answer<'a, TopUpView>;
    fn credit_grant<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        request: CreditRequest,
        idempotency_key: Option<String>,
    ) -> Answer<'a, LedgerEntryView>;
    fn charge_post<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        request: ChargeRequest,
        idempotency_key: Option<String>,
    ) -> Answer<'a, LedgerEntryView>;
    fn usage_list<'a>(&'a self, actor: &'a Actor, tenant_id: TenantId) -> Answer<'a, Vec<UsageView>>;
    fn credit_limit_set<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        request: CreditLimitRequest,
    ) -> Answer<'a, BalanceView>;
    fn ledger_verify<'a>(&'a self, actor: &'a Actor) -> Answer<'a, LedgerVerifyReport>;
    /// A payment provider's signed webhook: verified, then applied once per event id.
    fn payment_webhook<'a>(
        &'a self,
        provider: &'a str,
        signature: Option<&'a str>,
        body: &'a [u8],
    ) -> Answer<'a, WebhookAck>;
    /// `month` is `YYYY-MM`.
    fn statement_get<'a>(
        &'a self,
        actor: &'a Actor,
        tenant_id: TenantId,
        month: &'a str,
    ) -> Answer<'a, StatementView>;
}
