//! Funding and the balance policy: the holds backing each live allocation (sized to the runway,
//! drawn on by rating, topped up or shrunk every pass, voided when the allocation's usage is
//! settled), the suspension deadline they carry, the admission check Allocation calls, and the
//! balance watch that warns on low runway and announces allocations past their deadline.

use ingot_contracts::BoxFuture;
use ingot_contracts::billing::{
    BalanceExhausted, BalanceLow, BalancePolicy, BalanceView, BillingError, BurnDecision, BurnRateRequest,
    BurnRefusal, RunwayReservation,
};
use ingot_kernel::Timestamp;
use ingot_kernel::db::{DbError, Tx};
use ingot_kernel::event::DomainEvent;
use ingot_kernel::id::{AllocationId, HoldId, TenantId};
use ingot_kernel::money::Money;

use super::{BillingService, Result, internal};
use crate::model::{
    AccountKind, AccountRef, FundingNeed, HoldState, Split, billable_micros, cost_due, funding_plan,
    runway_check,
};
use crate::store::funding::{self as fundings, Funding};
use crate::store::{self, LedgerError};

/// What an allocation uses now, read from its meters.
#[derive(Debug, Clone, Copy, Default)]
struct AllocationUse {
    /// Some node of it was metered.
    metered: bool,
    /// Nodes metered now, and their list prices per hour.
    running: u32,
    rate: i64,
    /// Due but not charged yet.
    owed: i64,
    /// Every meter stopped and charged in full.
    settled: bool,
}

/// What a tenant burns: the rate its open fundings are sized for (or were reserved at), plus
/// nodes metered in allocations not funded yet.
#[derive(Debug, Clone, Copy, Default)]
struct Burn {
    per_hour: i64,
    nodes: u32,
}

/// What `hold` still reserves of `account`, and what the account has free beside every hold
/// (never below zero).
async fn held_and_free_in_tx(
    tx: &mut Tx,
    account: &AccountRef,
    hold: Option<HoldId>,
) -> std::result::Result<(i64, i64), DbError> {
    let free = store::account_get(&mut **tx, account)
        .await?
        .and_then(|a| a.spendable())
        .map_or(0, |m| m.micros().max(0));
    let held = match hold {
        Some(id) => store::hold_get(&mut **tx, id).await?.map_or(0, |h| h.remaining()),
        None => 0,
    };
    Ok((held, free))
}

/// How many attempts an admission makes when a concurrent writer changed a hold under it.
const RESERVE_ATTEMPTS: usize = 3;

/// Makes `hold` (of `account`, backing `allocation_id`) reserve `reserve` until `expires_at`:
/// resized while pending, created when there is something to reserve and none exists,
/// voided when it would reserve nothing and never paid anything. Returns the hold now.
async fn hold_set_in_tx(
    tx: &mut Tx,
    allocation_id: AllocationId,
    account: &AccountRef,
    hold: Option<HoldId>,
    reserve: i64,
    expires_at: Timestamp,
    now: Timestamp,
) -> std::result::Result<Option<HoldId>, LedgerError> {
    let current = match hold {
        Some(id) => store::hold_get(&mut **tx, id)
            .await?
            .filter(|h| h.state == HoldState::Pending),
        None => None,
    };
    match current {
        Some(hold) if reserve == 0 && hold.captured.micros() == 0 => {
            store::hold_close_in_tx(tx, hold.id, HoldState::Voided, now).await?;
            Ok(None)
        }
        Some(hold) => {
            store::hold_resize_in_tx(tx, hold.id, reserve, expires_at, now).await?;
            Ok(Some(hold.id))
        }
        None if reserve > 0 => {
            // The funding row records the hold in this same transaction, so the key only has
            // to be unique: a retry finds the hold through the funding, not the key.
            let key = format!("funding/{allocation_id}/{}", HoldId::generate());
            let memo = format!("runway of {allocation_id}");
            let amount = Money::from_micros(reserve, account.currency());
            let (created, _) =
                store::hold_create_in_tx(tx, &key, account, amount, expires_at, &memo, now).await?;
            Ok(Some(created.id))
        }
        None => Ok(None),
    }
}

impl BillingService {
    /// What `account` can pay now: what `hold` still reserves for this allocation plus what is
    /// free above the floor beside every hold.
    pub(super) async fn payable_in_tx(
        &self,
        tx: &mut Tx,
        account: &AccountRef,
        hold: Option<HoldId>,
    ) -> std::result::Result<i64, DbError> {
        let (held, free) = held_and_free_in_tx(tx, account, hold).await?;
        Ok(free.saturating_add(held))
    }

    /// A tenant's money as it stands (no authorization: callers decide who may see it).
    pub(super) async fn balance_of(&self, tenant_id: TenantId) -> Result<BalanceView> {
        let figures = store::tenant_figures(self.db.reader(), tenant_id, self.config.currency)
            .await
            .map_err(internal)?;
        Ok(BalanceView {
            tenant_id,
            cash: figures.cash,
            promo: figures.promo,
            held: figures.held(),
            available: figures.available(),
            credit_limit: figures.credit_limit,
        })
    }

    /// The list price a meter is charged at: captured at its first rating, else the price in
    /// force when it started.
    async fn meter_price(
        &self,
        conn: &mut sqlx::AnyConnection,
        meter: &store::metering::MeterRow,
    ) -> std::result::Result<Option<Money>, DbError> {
        match (meter.price, meter.sku_id, meter.site_id, meter.started_at) {
            (Some(price), ..) => Ok(Some(price)),
            (None, Some(sku), Some(site), Some(at)) => {
                store::metering::price_at(&mut *conn, sku, site, at).await
            }
            _ => Ok(None),
        }
    }

    async fn burn_of(
        &self,
        conn: &mut sqlx::AnyConnection,
        tenant_id: TenantId,
    ) -> std::result::Result<Burn, DbError> {
        let funded = fundings::fundings_of_tenant(&mut *conn, tenant_id).await?;
        let mut burn = Burn::default();
        for funding in &funded {
            burn.per_hour = burn.per_hour.saturating_add(funding.rate_micros);
            burn.nodes = burn.nodes.saturating_add(funding.nodes);
        }
        let meters = store::metering::meters_of_tenant(&mut *conn, tenant_id, 10_000).await?;
        let unfunded = meters.iter().filter(|m| {
            m.started_at.is_some()
                && m.stopped_at.is_none()
                && !funded.iter().any(|f| f.allocation_id == m.allocation_id)
        });
        for meter in unfunded {
            burn.nodes = burn.nodes.saturating_add(1);
            let price = self.meter_price(conn, meter).await?;
            burn.per_hour = burn.per_hour.saturating_add(price.map_or(0, |p| p.micros()));
        }
        Ok(burn)
    }

    async fn allocation_use(
        &self,
        tx: &mut Tx,
        allocation_id: AllocationId,
        now: Timestamp,
    ) -> std::result::Result<AllocationUse, DbError> {
        let meters = store::metering::meters_of_allocation(&mut **tx, allocation_id).await?;
        let mut usage = AllocationUse {
            settled: !meters.is_empty(),
            ..AllocationUse::default()
        };
        for meter in &meters {
            usage.settled &= meter.settled;
            let Some(started) = meter.started_at else {
                continue;
            };
            usage.metered = true;
            let Some(price) = self.meter_price(tx, meter).await? else {
                continue;
            };
            if meter.stopped_at.is_none_or(|stopped| stopped > now) {
                usage.running += 1;
                usage.rate = usage.rate.saturating_add(price.micros());
            }
            let faults = store::metering::faults_of(&mut **tx, meter.node_id).await?;
            let due = cost_due(billable_micros(started, meter.stopped_at, &faults, now), price).micros();
            usage.owed = usage.owed.saturating_add(due - meter.charged_micros);
        }
        usage.owed = usage.owed.max(0);
        Ok(usage)
    }

    /// Re-sizes a funding's holds to its rate and what it owes, from what is free now, and moves
    /// its deadline; closes it once its usage is settled. The caller holds the funding's row.
    async fn funding_renew_in_tx(
        &self,
        tx: &mut Tx,
        mut funding: Funding,
        now: Timestamp,
    ) -> std::result::Result<Funding, LedgerError> {
        if !funding.open {
            return Ok(funding);
        }
        let usage = self.allocation_use(tx, funding.allocation_id, now).await?;
        // A reservation stands until Allocation releases it (`runway_release`): nodes still to
        // come (a replacement after a failed deploy) must find their money there. Once released,
        // or for an allocation only ever seen through its metering, the funding closes when all
        // its usage is charged.
        let reserved = funding.reserved_rate_micros > 0;
        if !reserved && (usage.settled || !usage.metered) {
            return self.funding_close_in_tx(tx, funding, now).await;
        }
        (funding.rate_micros, funding.nodes) = (
            funding.reserved_rate_micros.max(usage.rate),
            funding.reserved_nodes.max(usage.running),
        );
        let promo = self.account(funding.tenant_id, AccountKind::TenantPromo);
        let cash = self.account(funding.tenant_id, AccountKind::TenantCash);
        let mut held = Split::default();
        let mut free = Split::default();
        for (account, hold, held_slot, free_slot) in [
            (&promo, funding.promo_hold, &mut held.promo, &mut free.promo),
            (&cash, funding.cash_hold, &mut held.cash, &mut free.cash),
        ] {
            (*held_slot, *free_slot) = held_and_free_in_tx(tx, account, hold).await?;
        }
        let need = FundingNeed {
            rate_per_hour: funding.rate_micros,
            owed: usage.owed,
        };
        let plan = funding_plan(need, self.config.runway_hours, held, free, now, self.config.grace);
        let expires_at = plan.deadline.unwrap_or(now);
        funding.promo_hold = hold_set_in_tx(
            tx,
            funding.allocation_id,
            &promo,
            funding.promo_hold,
            plan.reserve.promo,
            expires_at,
            now,
        )
        .await?;
        funding.cash_hold = hold_set_in_tx(
            tx,
            funding.allocation_id,
            &cash,
            funding.cash_hold,
            plan.reserve.cash,
            expires_at,
            now,
        )
        .await?;
        funding.deadline = plan.deadline;
        fundings::funding_save_in_tx(tx, &funding, now).await?;
        Ok(funding)
    }

    /// Voids what the funding's holds still reserve and closes it.
    async fn funding_close_in_tx(
        &self,
        tx: &mut Tx,
        mut funding: Funding,
        now: Timestamp,
    ) -> std::result::Result<Funding, LedgerError> {
        for hold in [funding.promo_hold, funding.cash_hold].into_iter().flatten() {
            let pending = store::hold_get(&mut **tx, hold)
                .await?
                .is_some_and(|h| h.state == HoldState::Pending);
            if pending {
                store::hold_close_in_tx(tx, hold, HoldState::Voided, now).await?;
            }
        }
        funding.open = false;
        funding.rate_micros = 0;
        funding.nodes = 0;
        funding.deadline = None;
        fundings::funding_save_in_tx(tx, &funding, now).await?;
        Ok(funding)
    }

    /// Renews one allocation's funding in its own transaction (creating it for an allocation
    /// seen only through its metering). Returns it as it stands afterwards.
    async fn funding_renew(
        &self,
        allocation_id: AllocationId,
        tenant_id: Option<TenantId>,
    ) -> std::result::Result<Option<Funding>, LedgerError> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let funding = match fundings::funding_lock_in_tx(&mut tx, allocation_id, now).await? {
            Some(funding) => funding,
            None => {
                let Some(tenant_id) = tenant_id else {
                    return Ok(None);
                };
                let fresh = Funding {
                    allocation_id,
                    tenant_id,
                    currency: self.config.currency,
                    reserved_rate_micros: 0,
                    reserved_nodes: 0,
                    rate_micros: 0,
                    nodes: 0,
                    promo_hold: None,
                    cash_hold: None,
                    deadline: None,
                    open: true,
                    exhausted_announced: false,
                    announced_deadline: None,
                };
                fundings::funding_insert_in_tx(&mut tx, &fresh, now).await?;
                fresh
            }
        };
        let renewed = self.funding_renew_in_tx(&mut tx, funding, now).await?;
        tx.commit().await?;
        Ok(Some(renewed))
    }

    /// Funds allocations metered without a reservation, then renews every open funding: run by
    /// the rating after it charged, so holds and deadlines follow what was just paid.
    pub(super) async fn fundings_refresh(&self) -> std::result::Result<usize, DbError> {
        let mut renewed = 0;
        for (allocation_id, tenant_id) in fundings::allocations_unfunded(self.db.reader(), 1_000).await? {
            renewed += self.renew_logged(allocation_id, Some(tenant_id)).await?;
        }
        let mut after = None;
        loop {
            let page = fundings::fundings_open(self.db.reader(), after, 500).await?;
            for allocation_id in &page {
                renewed += self.renew_logged(*allocation_id, None).await?;
            }
            match page.last() {
                Some(last) if page.len() == 500 => after = Some(*last),
                _ => return Ok(renewed),
            }
        }
    }

    async fn renew_logged(
        &self,
        allocation_id: AllocationId,
        tenant_id: Option<TenantId>,
    ) -> std::result::Result<usize, DbError> {
        match self.funding_renew(allocation_id, tenant_id).await {
            Ok(found) => Ok(usize::from(found.is_some())),
            Err(LedgerError::Db(err)) => Err(err),
            // A concurrent capture or top-up changed a hold under us: the next pass redoes it.
            Err(err) => {
                tracing::warn!(%allocation_id, error = %err, "funding not renewed this pass");
                Ok(0)
            }
        }
    }

    /// One pass of the balance watch: announces each runway threshold a tenant crosses once
    /// (runway = all its money, held or free, over what it burns), and each allocation whose
    /// funding deadline passed — after renewing it once more, so money that arrived since the
    /// last rating counts — once.
    #[tracing::instrument(name = "billing.balance_watch", skip_all)]
    pub async fn balance_watch(&self) -> std::result::Result<usize, DbError> {
        const THRESHOLDS_H: [i64; 3] = [24, 6, 1];
        let mut announced = 0;
        for tenant_id in store::metering::tenants_watched(self.db.reader()).await? {
            let burn = {
                let mut conn = self.db.reader().acquire().await?;
                self.burn_of(&mut conn, tenant_id).await?
            };
            let Ok(balance) = self.balance_of(tenant_id).await else {
                continue;
            };
            let now = self.clock.now();
            let warned = store::metering::watch_get(self.db.reader(), tenant_id).await?;
            let funds = balance.available.micros() + balance.held.micros();
            let runway_h = (burn.per_hour > 0).then(|| funds.max(0) / burn.per_hour);
            // The lowest threshold now crossed, if any.
            let crossed = runway_h.and_then(|h| THRESHOLDS_H.iter().rev().find(|t| h < **t).copied());
            let (warned_now, event) = match (crossed, warned) {
                (Some(t), Some(w)) if t >= w => (Some(w), None),
                (Some(t), _) => {
                    let low = BalanceLow {
                        tenant_id,
                        runway_hours: u32::try_from(t).unwrap_or(u32::MAX),
                        available: balance.available,
                        burn_per_hour: Money::from_micros(burn.per_hour, self.config.currency),
                    };
                    (Some(t), Some(low.to_envelope(now)))
                }
                (None, _) => (None, None),
            };
            if warned_now == warned {
                continue;
            }
            let mut tx = self.db.begin().await?;
            if let Some(event) = &event {
                ingot_kernel::outbox::append_in_tx(&mut tx, event).await?;
                announced += 1;
            }
            store::metering::watch_set_in_tx(&mut tx, tenant_id, warned_now, now).await?;
            tx.commit().await?;
        }
        let now = self.clock.now();
        for allocation_id in fundings::fundings_past_deadline(self.db.reader(), now, 1_000).await? {
            match self.exhaustion_announce(allocation_id).await {
                Ok(told) => announced += usize::from(told),
                Err(LedgerError::Db(err)) => return Err(err),
                Err(err) => tracing::warn!(%allocation_id, error = %err, "exhaustion not checked this pass"),
            }
        }
        Ok(announced)
    }

    /// Renews the allocation's funding and, if its deadline has still passed, announces
    /// `BalanceExhausted` once, in the same transaction that records it was announced.
    async fn exhaustion_announce(
        &self,
        allocation_id: AllocationId,
    ) -> std::result::Result<bool, LedgerError> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let Some(funding) = fundings::funding_lock_in_tx(&mut tx, allocation_id, now).await? else {
            return Ok(false);
        };
        let mut funding = self.funding_renew_in_tx(&mut tx, funding, now).await?;
        let Some(deadline) = funding.deadline.filter(|d| *d <= now && funding.open) else {
            tx.commit().await?;
            return Ok(false);
        };
        if funding.exhausted_announced {
            tx.commit().await?;
            return Ok(false);
        }
        let event = BalanceExhausted {
            tenant_id: funding.tenant_id,
            allocation_id,
            funded_until: deadline.minus(self.config.grace),
            deadline,
        };
        ingot_kernel::outbox::append_in_tx(&mut tx, &event.to_envelope(now)).await?;
        funding.exhausted_announced = true;
        fundings::funding_save_in_tx(&mut tx, &funding, now).await?;
        fundings::funding_exhausted_at_in_tx(&mut tx, allocation_id, now).await?;
        tx.commit().await?;
        tracing::info!(%allocation_id, tenant_id = %funding.tenant_id, "allocation's funding ran out");
        Ok(true)
    }

    /// The tenant's KYC node limit, asked from IAM before any transaction opens (a call to
    /// another domain must not run while this one holds a row); `None` without IAM.
    fn price_check(&self, request: &BurnRateRequest) -> Result<()> {
        if request.hourly_price.currency() != self.config.currency || request.hourly_price.micros() < 0 {
            return Err(BillingError::invalid(
                "hourly_price",
                "a non-negative price in the balance's currency",
            ));
        }
        Ok(())
    }

    async fn node_limit(&self, request: &BurnRateRequest) -> Result<Option<u32>> {
        self.price_check(request)?;
        let Some(kyc) = &self.kyc else {
            return Ok(None);
        };
        let policy = kyc
            .kyc_policy_get(request.tenant_id)
            .await
            .map_err(|_| BillingError::Unavailable("the KYC policy"))?;
        Ok(Some(policy.max_concurrent_nodes))
    }

    /// The admission decision for `request`, read in the caller's transaction (which holds the
    /// tenant's cash row when reserving).
    async fn burn_decide_in(
        &self,
        conn: &mut sqlx::AnyConnection,
        request: &BurnRateRequest,
        node_limit: Option<u32>,
    ) -> Result<std::result::Result<Option<u64>, BurnRefusal>> {
        let tenant_id = request.tenant_id;
        let burn = self.burn_of(conn, tenant_id).await.map_err(internal)?;
        if let Some(max) = node_limit.filter(|max| burn.nodes.saturating_add(request.node_count) > *max) {
            return Ok(Err(BurnRefusal::NodeLimit {
                max,
                running: burn.nodes,
            }));
        }
        let (mut free, mut held) = (0i64, 0i64);
        for kind in [AccountKind::TenantCash, AccountKind::TenantPromo] {
            if let Some(figures) = store::account_get(&mut *conn, &self.account(tenant_id, kind))
                .await
                .map_err(internal)?
            {
                free += figures.spendable().map_or(0, |m| m.micros().max(0));
                held += figures.held.micros();
            }
        }
        let added = request
            .hourly_price
            .micros()
            .saturating_mul(i64::from(request.node_count));
        Ok(
            runway_check(free, held, burn.per_hour, added, self.config.runway_hours).map_err(|short| {
                BurnRefusal::InsufficientRunway {
                    runway_hours: self.config.runway_hours,
                    needed: Money::from_micros(short.needed, self.config.currency),
                    available: Money::from_micros(short.available, self.config.currency),
                }
            }),
        )
    }

    /// One attempt at reserving in a transaction of its own: `Ok(None)` when a concurrent
    /// writer got in the way.
    async fn runway_reserve_once(
        &self,
        reservation: &RunwayReservation,
        node_limit: Option<u32>,
    ) -> Result<Option<BurnDecision>> {
        let mut tx = self.db.begin().await.map_err(internal)?;
        let decision = self
            .runway_reserve_once_in(&mut tx, reservation, node_limit)
            .await?;
        if matches!(decision, Some(BurnDecision::Approved { .. })) {
            tx.commit().await.map_err(internal)?;
        }
        Ok(decision)
    }

    /// One attempt at reserving within `tx`, which the caller commits (approved) or rolls back.
    async fn runway_reserve_once_in(
        &self,
        tx: &mut Tx,
        reservation: &RunwayReservation,
        node_limit: Option<u32>,
    ) -> Result<Option<BurnDecision>> {
        let request = &reservation.request;
        let now = self.clock.now();
        // Admissions of one tenant queue on its cash row, so each sees the holds of the last.
        let cash = self.account(request.tenant_id, AccountKind::TenantCash);
        store::account_lock_in_tx(tx, &cash, now)
            .await
            .map_err(internal)?;
        if let Some(existing) = fundings::funding_get(&mut **tx, reservation.allocation_id)
            .await
            .map_err(internal)?
        {
            // Reserved before: approved once, nothing more is reserved.
            if existing.tenant_id != request.tenant_id {
                return Err(BillingError::IdempotencyConflict);
            }
            return Ok(Some(BurnDecision::Approved {
                runway_hours: Some(u64::from(self.config.runway_hours)),
            }));
        }
        let decision = match self.burn_decide_in(tx, request, node_limit).await? {
            Err(refusal) => return Ok(Some(BurnDecision::Refused(refusal))),
            Ok(runway_hours) => BurnDecision::Approved { runway_hours },
        };
        let added = request
            .hourly_price
            .micros()
            .saturating_mul(i64::from(request.node_count));
        let funding = Funding {
            allocation_id: reservation.allocation_id,
            tenant_id: request.tenant_id,
            currency: self.config.currency,
            reserved_rate_micros: added,
            reserved_nodes: request.node_count,
            rate_micros: added,
            nodes: request.node_count,
            promo_hold: None,
            cash_hold: None,
            deadline: None,
            open: true,
            exhausted_announced: false,
            announced_deadline: None,
        };
        fundings::funding_insert_in_tx(tx, &funding, now)
            .await
            .map_err(internal)?;
        match self.funding_renew_in_tx(tx, funding, now).await {
            Ok(_) => {}
            Err(LedgerError::InsufficientFunds { .. } | LedgerError::HoldChanged) => return Ok(None),
            Err(err) => return Err(err.into()),
        }
        Ok(Some(decision))
    }
}

impl BalancePolicy for BillingService {
    fn burn_rate_approve(&self, request: BurnRateRequest) -> BoxFuture<'_, Result<BurnDecision>> {
        Box::pin(async move {
            let node_limit = self.node_limit(&request).await?;
            let mut conn = self.db.reader().acquire().await.map_err(internal)?;
            Ok(
                match self.burn_decide_in(&mut conn, &request, node_limit).await? {
                    Ok(runway_hours) => BurnDecision::Approved { runway_hours },
                    Err(refusal) => BurnDecision::Refused(refusal),
                },
            )
        })
    }

    fn runway_reserve(&self, reservation: RunwayReservation) -> BoxFuture<'_, Result<BurnDecision>> {
        Box::pin(async move {
            let node_limit = self.node_limit(&reservation.request).await?;
            for _ in 0..RESERVE_ATTEMPTS {
                if let Some(decision) = self.runway_reserve_once(&reservation, node_limit).await? {
                    return Ok(decision);
                }
            }
            // Still contended after retries: refuse rather than guess; Allocation may ask again.
            Err(BillingError::Unavailable("the balance (busy)"))
        })
    }

    fn runway_reserve_in_tx<'a>(
        &'a self,
        tx: &'a mut Tx,
        reservation: RunwayReservation,
        kyc_node_limit: u32,
    ) -> BoxFuture<'a, Result<Option<BurnDecision>>> {
        Box::pin(async move {
            self.price_check(&reservation.request)?;
            let node_limit = self.kyc.as_ref().map(|_| kyc_node_limit);
            self.runway_reserve_once_in(tx, &reservation, node_limit).await
        })
    }

    fn runway_release(&self, allocation_id: AllocationId) -> BoxFuture<'_, Result<()>> {
        Box::pin(async move {
            let now = self.clock.now();
            let mut tx = self.db.begin().await.map_err(internal)?;
            let Some(mut funding) = fundings::funding_lock_in_tx(&mut tx, allocation_id, now)
                .await
                .map_err(internal)?
            else {
                return Ok(());
            };
            // Nothing more is reserved for nodes that will not come; what the metered ones
            // still owe stays held until it is charged, then the funding closes.
            funding.reserved_rate_micros = 0;
            funding.reserved_nodes = 0;
            fundings::funding_reservation_end_in_tx(&mut tx, allocation_id)
                .await
                .map_err(internal)?;
            self.funding_renew_in_tx(&mut tx, funding, now).await?;
            tx.commit().await.map_err(internal)?;
            Ok(())
        })
    }
}
