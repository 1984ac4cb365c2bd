//! Metering: how many seconds of a node a tenant used, and what they cost.
//!
//! Usage is folded from facts that may arrive late, twice or out of order (Allocation's start and
//! stop of each node's metering, Inventory's fault windows), so the fold only ever *sets* values
//! a fact determines: replaying, duplicating or reordering facts yields the same meters. Cost is
//! computed cumulatively — `due(t) = ⌊billable_µs(t) × price_µ/h ÷ 3.6e9⌋` — and each rating
//! posts `due(now) − charged`, so charges always sum to exactly the final `due`: no second is
//! charged twice or lost, whatever the rating schedule. The difference can be negative: a stop
//! or a fault window reported late can shrink what was due after time was already charged, and
//! then the rating refunds the excess (a posting the other way, never an edit).

use std::collections::BTreeMap;

use ingot_kernel::Timestamp;
use ingot_kernel::id::{AllocationId, NodeId, SiteId, SkuId, TenantId};
use ingot_kernel::money::Money;

const MICROS_PER_HOUR: i128 = 3_600_000_000;

/// One node of one allocation: what is metered.
pub type MeterKey = (AllocationId, NodeId);

/// What metering learns from its neighbours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsageFact {
    /// The node became usable by the tenant (deployed): metering starts at `at`.
    Started {
        key: MeterKey,
        tenant_id: TenantId,
        sku_id: SkuId,
        site_id: SiteId,
        at: Timestamp,
    },
    /// Metering stops at `at` (release, force-release, expiry, balance exhausted).
    Stopped { key: MeterKey, at: Timestamp },
    /// A fault that prevents use, declared by an operator, opened at `since` and (once known)
    /// cleared at `until`: the time inside it is not charged.
    Fault {
        node_id: NodeId,
        kind: String,
        since: Timestamp,
        until: Option<Timestamp>,
    },
}

/// A meter as folded so far. `start` may be unknown while only the stop has arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meter {
    pub tenant_id: Option<TenantId>,
    pub sku_id: Option<SkuId>,
    pub site_id: Option<SiteId>,
    pub started_at: Option<Timestamp>,
    pub stopped_at: Option<Timestamp>,
}

/// Every meter and fault window, folded from facts in any order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Usage {
    pub meters: BTreeMap<MeterKey, Meter>,
    /// (node, kind, since) → until.
    pub faults: BTreeMap<(NodeId, String, Timestamp), Option<Timestamp>>,
}

impl Usage {
    pub fn apply(&mut self, fact: &UsageFact) {
        let empty = Meter {
            tenant_id: None,
            sku_id: None,
            site_id: None,
            started_at: None,
            stopped_at: None,
        };
        match fact {
            UsageFact::Started {
                key,
                tenant_id,
                sku_id,
                site_id,
                at,
            } => {
                let meter = self.meters.entry(*key).or_insert(empty);
                meter.tenant_id = Some(*tenant_id);
                meter.sku_id = Some(*sku_id);
                meter.site_id = Some(*site_id);
                meter.started_at = Some(*at);
            }
            UsageFact::Stopped { key, at } => {
                self.meters.entry(*key).or_insert(empty).stopped_at = Some(*at);
            }
            UsageFact::Fault {
                node_id,
                kind,
                since,
                until,
            } => {
                let window = self
                    .faults
                    .entry((*node_id, kind.clone(), *since))
                    .or_insert(None);
                // A cleared window stays cleared, whichever of the two facts came first.
                if until.is_some() {
                    *window = *until;
                }
            }
        }
    }

    /// Fault windows of `node_id`, as (since, until) with `until` open-ended when unknown.
    pub fn faults_of(&self, node_id: NodeId) -> Vec<(Timestamp, Option<Timestamp>)> {
        self.faults
            .iter()
            .filter(|((node, _, _), _)| *node == node_id)
            .map(|((_, _, since), until)| (*since, *until))
            .collect()
    }
}

/// Microseconds of `[started, min(stopped, now))` not covered by any fault window.
pub fn billable_micros(
    started: Timestamp,
    stopped: Option<Timestamp>,
    faults: &[(Timestamp, Option<Timestamp>)],
    now: Timestamp,
) -> i64 {
    let start = started.as_micros();
    let end = stopped.map_or(now.as_micros(), |s| s.as_micros().min(now.as_micros()));
    if end <= start {
        return 0;
    }
    // Clip each window to the interval, then merge overlaps so shared time is subtracted once.
    let mut windows: Vec<(i64, i64)> = faults
        .iter()
        .map(|(since, until)| {
            let from = since.as_micros().max(start);
            let to = until.map_or(end, |u| u.as_micros().min(end));
            (from, to)
        })
        .filter(|(from, to)| from < to)
        .collect();
    windows.sort_unstable();
    let mut covered = 0;
    let mut reach = start;
    for (from, to) in windows {
        let from = from.max(reach);
        if to > from {
            covered += to - from;
            reach = to;
        }
    }
    end - start - covered
}

/// What `billable` microseconds cost at `price_per_hour`, rounded down to the micro-unit.
pub fn cost_due(billable: i64, price_per_hour: Money) -> Money {
    let micros = i128::from(billable) * i128::from(price_per_hour.micros()) / MICROS_PER_HOUR;
    Money::from_micros(
        i64::try_from(micros).unwrap_or(i64::MAX),
        price_per_hour.currency(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use ingot_kernel::money::Currency;

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_secs(1_700_000_000 + seconds)
    }

    #[test]
    fn faults_are_subtracted_once_and_clipped() {
        let faults = [
            (at(10), Some(at(20))),
            (at(15), Some(at(25))),
            (at(-100), Some(at(2))),
            (at(90), None),
        ];
        // [0, 100) minus [0, 2), [10, 25), [90, 100) = 100 − 2 − 15 − 10.
        assert_eq!(
            billable_micros(at(0), Some(at(100)), &faults, at(1_000)),
            73_000_000
        );
        // Still running at 50: [0, 50) minus 2 and 15; the open fault at 90 is in the future.
        assert_eq!(billable_micros(at(0), None, &faults, at(50)), 33_000_000);
        assert_eq!(
            billable_micros(at(0), Some(at(100)), &[], at(0)),
            0,
            "nothing before it starts"
        );
        assert_eq!(
            billable_micros(at(10), Some(at(5)), &[], at(100)),
            0,
            "a stop before the start bills nothing"
        );
    }

    #[test]
    fn cost_rounds_down_to_the_micro_unit() {
        let price = Money::parse("19.92", Currency::USD).unwrap();
        assert_eq!(cost_due(3_600_000_000, price), price);
        assert_eq!(
            cost_due(1_000_000, price).micros(),
            5_533,
            "19.92 / 3600 = 0.005533…"
        );
        assert_eq!(cost_due(0, price).micros(), 0);
    }
    use ingot_kernel::testing::XorShift;

    /// Random facts, delivered shuffled and with duplicates, rated at random moments with
    /// "crashes" (a rating whose effect is lost and redone later): the meters fold to the same
    /// usage as in-order delivery, and what ends up charged for a stopped meter is its usage ×
    /// price. (That the ledger's postings add up to it is the rating store test's claim.)
    #[test]
    fn any_order_any_duplicates_any_schedule_fold_to_the_same_usage() {
        let price = Money::parse("11.92", Currency::USD).unwrap();
        let nodes: Vec<NodeId> = (0..4).map(|_| NodeId::generate()).collect();
        let allocations: Vec<AllocationId> = (0..3).map(|_| AllocationId::generate()).collect();
        let (tenant, sku, site) = (TenantId::generate(), SkuId::generate(), SiteId::generate());
        for seed in 1..=300u64 {
            let mut random = XorShift(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let mut facts = Vec::new();
            for allocation in &allocations {
                for node in &nodes {
                    if random.next(3) == 0 {
                        continue;
                    }
                    let start = random.next(5_000) as i64;
                    facts.push(UsageFact::Started {
                        key: (*allocation, *node),
                        tenant_id: tenant,
                        sku_id: sku,
                        site_id: site,
                        at: at(start),
                    });
                    if random.next(4) != 0 {
                        facts.push(UsageFact::Stopped {
                            key: (*allocation, *node),
                            at: at(start + random.next(5_000) as i64),
                        });
                    }
                }
            }
            for node in &nodes {
                let since = random.next(8_000) as i64;
                facts.push(UsageFact::Fault {
                    node_id: *node,
                    kind: "gpu".into(),
                    since: at(since),
                    until: None,
                });
                if random.next(2) == 0 {
                    facts.push(UsageFact::Fault {
                        node_id: *node,
                        kind: "gpu".into(),
                        since: at(since),
                        until: Some(at(since + random.next(2_000) as i64)),
                    });
                }
            }
            let mut in_order = Usage::default();
            facts.iter().for_each(|f| in_order.apply(f));

            // Shuffle, and deliver about a third of the facts twice.
            let mut delivered = facts.clone();
            for i in (1..delivered.len()).rev() {
                delivered.swap(i, random.next(i + 1));
            }
            let repeats: Vec<UsageFact> = delivered
                .iter()
                .filter(|_| random.next(3) == 0)
                .cloned()
                .collect();
            delivered.extend(repeats);
            for i in (1..delivered.len()).rev() {
                delivered.swap(i, random.next(i + 1));
            }

            // Rate at random moments while facts trickle in; a crash loses a rating's result.
            let mut usage = Usage::default();
            let mut charged: BTreeMap<MeterKey, i64> = BTreeMap::new();
            let mut clock = 0i64;
            for fact in &delivered {
                usage.apply(fact);
                clock += random.next(300) as i64;
                let crashed = random.next(5) == 0;
                for (key, meter) in &usage.meters {
                    let Some(started) = meter.started_at else { continue };
                    let due = cost_due(
                        billable_micros(started, meter.stopped_at, &usage.faults_of(key.1), at(clock)),
                        price,
                    );
                    // Charge or refund the difference; a crash loses this rating's effect.
                    if !crashed {
                        charged.insert(*key, due.micros());
                    }
                }
            }
            assert_eq!(
                usage, in_order,
                "seed {seed}: the fold depends on order or duplicates"
            );
            // Finally rate far in the future: everything stopped is fully charged.
            let end = at(1_000_000);
            for (key, meter) in &usage.meters {
                let Some(started) = meter.started_at else { continue };
                let due = cost_due(
                    billable_micros(started, meter.stopped_at, &usage.faults_of(key.1), end),
                    price,
                );
                charged.insert(*key, due.micros());
                if let Some(stopped) = meter.stopped_at {
                    let seconds = billable_micros(started, Some(stopped), &usage.faults_of(key.1), end);
                    assert_eq!(charged[key], cost_due(seconds, price).micros(), "seed {seed}");
                }
            }
        }
    }
}
