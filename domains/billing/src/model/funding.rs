//! Funding: the holds that back a live allocation, and when it runs out of money.
//!
//! Each live allocation reserves `rate × runway` of its tenant's money in holds — promotional
//! credit first, then cash, mirroring the order rating spends them in. Rating charges against
//! those holds; each pass tops them up again from what is free (or shrinks them when the rate
//! fell), and the holds' expiry is the time the reserved money runs out at the allocation's rate
//! plus the grace period: the suspension deadline. A tenant who tops up pushes the deadline out
//! on the next pass; one who does not reaches it, and Allocation is told to release.

use std::time::Duration;

use ingot_kernel::Timestamp;

const MICROS_PER_HOUR: i128 = 3_600_000_000;

/// Money in micro-units per account kind of one tenant.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Split {
    pub promo: i64,
    pub cash: i64,
}

impl Split {
    pub fn total(&self) -> i64 {
        self.promo.saturating_add(self.cash)
    }
}

/// What an allocation's holds should reserve from now on, and its suspension deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FundingPlan {
    /// What each hold should still reserve (never more than it reserves now plus what is free).
    pub reserve: Split,
    /// When the reserved money runs out at the rate, plus the grace period; `None` at a zero
    /// rate (nothing runs, nothing to suspend).
    pub deadline: Option<Timestamp>,
}

/// What an allocation needs funded: its rate, and what it used but was not charged yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FundingNeed {
    pub rate_per_hour: i64,
    /// Accrued since the last charge (or left owed when the balance ran out); the holds pay it
    /// first, so it is reserved on top of the runway and counts against the deadline.
    pub owed: i64,
}

/// Plans an allocation's holds: `owed` plus `rate` per hour for `runway`, taken from what its
/// holds reserve now (`held`) plus what the tenant has free beyond every hold (`free`),
/// promotional credit first. The deadline is when the reservation, less what is owed, runs out
/// at the rate — in the past when even the owed part is not covered — plus the grace period.
pub fn funding_plan(
    need: FundingNeed,
    runway_hours: u32,
    held: Split,
    free: Split,
    now: Timestamp,
    grace: Duration,
) -> FundingPlan {
    let rate = need.rate_per_hour.max(0);
    let owed = need.owed.max(0);
    let target = rate.saturating_mul(i64::from(runway_hours)).saturating_add(owed);
    let promo = target.min(held.promo.saturating_add(free.promo.max(0)));
    let cash = (target - promo).min(held.cash.saturating_add(free.cash.max(0)));
    let reserve = Split { promo, cash };
    FundingPlan {
        reserve,
        deadline: funded_until(reserve.total() - owed, rate, now).map(|until| until.plus(grace)),
    }
}

/// When `reserved` runs out at `rate_per_hour` counted from `now` — before `now` when
/// `reserved` is negative (money already owed) — or `None` at a zero rate.
pub fn funded_until(reserved: i64, rate_per_hour: i64, now: Timestamp) -> Option<Timestamp> {
    if rate_per_hour <= 0 {
        return None;
    }
    let micros = i128::from(reserved) * MICROS_PER_HOUR / i128::from(rate_per_hour);
    let micros = i64::try_from(micros).unwrap_or(if micros < 0 { i64::MIN } else { i64::MAX });
    Some(Timestamp::from_micros(now.as_micros().saturating_add(micros)))
}

/// Why a new burn rate is refused, in micro-units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunwayShort {
    pub needed: i64,
    pub available: i64,
}

/// Whether a tenant may add `added` per hour: what is free beyond every hold must cover the
/// addition's whole runway (it is about to be reserved), and all the tenant's money — free and
/// held — must cover the runway at the new total rate (holds that could not be filled do not
/// hide a shortfall). Returns how many whole hours the money lasts at the new total rate.
pub fn runway_check(
    free: i64,
    held: i64,
    burn: i64,
    added: i64,
    runway_hours: u32,
) -> Result<Option<u64>, RunwayShort> {
    let hours = i64::from(runway_hours);
    let new_burn = burn.saturating_add(added);
    let total = free.saturating_add(held);
    let addition = added.saturating_mul(hours);
    if free < addition {
        return Err(RunwayShort {
            needed: addition,
            available: free,
        });
    }
    if total < new_burn.saturating_mul(hours) {
        return Err(RunwayShort {
            needed: new_burn.saturating_mul(hours),
            available: total,
        });
    }
    Ok((new_burn > 0).then(|| u64::try_from(total / new_burn).unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ingot_kernel::testing::XorShift;

    const HOUR: i64 = 3_600;

    fn need(rate_per_hour: i64, owed: i64) -> FundingNeed {
        FundingNeed { rate_per_hour, owed }
    }

    fn t(seconds: i64) -> Timestamp {
        Timestamp::from_secs(1_700_000_000 + seconds)
    }

    #[test]
    fn holds_fill_from_promotional_credit_first_then_cash() {
        let plan = funding_plan(
            need(1_000_000, 0),
            24,
            Split::default(),
            Split {
                promo: 5_000_000,
                cash: 100_000_000,
            },
            t(0),
            Duration::ZERO,
        );
        assert_eq!(
            plan.reserve,
            Split {
                promo: 5_000_000,
                cash: 19_000_000
            }
        );
        assert_eq!(plan.deadline, Some(t(24 * HOUR)));
    }

    #[test]
    fn a_short_balance_moves_the_deadline_in_and_grace_follows_it() {
        // 3.00 at 1.20/h lasts 2 h 30 min; the grace period comes after that.
        let plan = funding_plan(
            need(1_200_000, 0),
            24,
            Split {
                promo: 0,
                cash: 1_000_000,
            },
            Split {
                promo: 0,
                cash: 2_000_000,
            },
            t(0),
            Duration::from_secs(900),
        );
        assert_eq!(plan.reserve.total(), 3_000_000);
        assert_eq!(plan.deadline, Some(t(2 * HOUR + 1_800 + 900)));
        // At a zero rate nothing is reserved and nothing can run out.
        let idle = funding_plan(
            need(0, 0),
            24,
            plan.reserve,
            Split::default(),
            t(0),
            Duration::ZERO,
        );
        assert_eq!((idle.reserve, idle.deadline), (Split::default(), None));
    }

    #[test]
    fn usage_owed_beyond_the_reservation_puts_the_deadline_in_the_past() {
        // The money ran out: 0.60 used at 1.20/h was not charged and nothing is left, so the
        // reservation ran out 30 minutes ago, and a 15-minute grace has passed too.
        let plan = funding_plan(
            need(1_200_000, 600_000),
            24,
            Split::default(),
            Split::default(),
            t(HOUR),
            Duration::from_secs(900),
        );
        assert_eq!(plan.reserve.total(), 0);
        assert_eq!(plan.deadline, Some(t(HOUR - 1_800 + 900)));
        // Money arrives: the owed part and the full runway are reserved, the deadline moves out.
        let plan = funding_plan(
            need(1_200_000, 600_000),
            24,
            Split::default(),
            Split {
                promo: 0,
                cash: 100_000_000,
            },
            t(HOUR),
            Duration::ZERO,
        );
        assert_eq!(plan.reserve.cash, 24 * 1_200_000 + 600_000);
        assert_eq!(plan.deadline, Some(t(HOUR + 24 * HOUR)));
    }

    #[test]
    fn plans_never_take_more_than_held_plus_free_and_never_exceed_the_runway() {
        let mut rng = XorShift(7);
        for _ in 0..2_000 {
            let pick = |rng: &mut XorShift, max: usize| i64::try_from(rng.next(max)).unwrap_or(0);
            let rate = pick(&mut rng, 50_000_000);
            let held = Split {
                promo: pick(&mut rng, 500_000_000),
                cash: pick(&mut rng, 500_000_000),
            };
            let free = Split {
                promo: pick(&mut rng, 500_000_000),
                cash: pick(&mut rng, 500_000_000),
            };
            let plan = funding_plan(need(rate, 0), 24, held, free, t(0), Duration::ZERO);
            assert!(plan.reserve.promo <= held.promo + free.promo);
            assert!(plan.reserve.cash <= held.cash + free.cash);
            assert!(plan.reserve.total() <= rate * 24);
            // Cash is reserved only once the promotional credit is all reserved.
            if plan.reserve.cash > 0 {
                assert_eq!(plan.reserve.promo, held.promo + free.promo);
            }
            // Whatever could fill the runway does.
            let could = (held.total() + free.total()).min(rate * 24);
            assert_eq!(plan.reserve.total(), could);
            if let Some(deadline) = plan.deadline {
                let covered = deadline.as_micros() - t(0).as_micros();
                // The deadline is when the reserved money is spent at the rate (to the µs).
                let spent = i128::from(covered) * i128::from(rate) / MICROS_PER_HOUR;
                assert!(
                    (i128::from(plan.reserve.total()) - spent).abs() <= 1,
                    "{plan:?} at {rate}"
                );
            }
        }
    }

    #[test]
    fn the_runway_check_needs_the_addition_free_and_the_total_covered() {
        // 30.00 free, nothing running: 1.20/h for 24 h = 28.80 fits, 2 × 1.20 does not.
        assert_eq!(runway_check(30_000_000, 0, 0, 1_200_000, 24), Ok(Some(25)));
        assert_eq!(
            runway_check(30_000_000, 0, 0, 2_400_000, 24),
            Err(RunwayShort {
                needed: 57_600_000,
                available: 30_000_000
            })
        );
        // Holds that could not be filled: 10.00 held for a 1.00/h allocation, 20.00 free.
        // Adding 0.50/h needs 12.00 free (fine) but 36.00 in all (only 30.00).
        assert_eq!(
            runway_check(20_000_000, 10_000_000, 1_000_000, 500_000, 24),
            Err(RunwayShort {
                needed: 36_000_000,
                available: 30_000_000
            })
        );
        assert_eq!(runway_check(0, 0, 0, 0, 24), Ok(None));
    }
}
