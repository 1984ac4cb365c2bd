//! The projections as folds: each event's effect, what the answers show, and that cutting the
//! history into other batches (as a rebuild does) builds the same documents.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use ingot_contracts::allocation::{
    AllocationEnded, AllocationRequested, AllocationState, AllocationStateChanged, NodeAssigned,
    NodeDeployRequested, NodeMeteringStarted, NodeReleased, QuotaEntry, QuotasChanged,
};
use ingot_contracts::billing::{AccountSnapshot, BalanceChanged, FundingChanged, TransactionPosted};
use ingot_contracts::iam::{KycChanged, KycLevel, KycState};
use ingot_contracts::inventory::{NodeRegistered, NodeSkuChanged, NodeState, NodeStateChanged};
use ingot_contracts::maas::{DriftFound, NodeDeployFailed, NodeDeployed};
use ingot_contracts::read_models::{AsOf, CacheOutcome};
use ingot_kernel::Timestamp;
use ingot_kernel::event::{DomainEvent, EventEnvelope};
use ingot_kernel::id::{AllocationId, NodeId, ProjectId, SiteId, SkuId, TenantId, TransactionId};
use ingot_kernel::money::{Currency, Money};

use super::capacity::{self, CapacityProjection, CellDoc};
use super::health::{self, HealthDoc, HealthProjection};
use super::revenue::{self, DayDoc, RevenueProjection};
use super::tenant_overview::{self, TenantDoc, TenantOverviewProjection};
use super::{Docs, Need, Projection};

fn t0() -> Timestamp {
    "2026-11-20T10:00:00Z".parse().unwrap()
}

fn at(hours: u64) -> Timestamp {
    t0().plus(Duration::from_secs(hours * 3600))
}

fn usd(micros: i64) -> Money {
    Money::from_micros(micros, Currency::USD)
}

fn ev(event: &impl DomainEvent, when: Timestamp) -> EventEnvelope {
    event.to_envelope(when)
}

fn as_of() -> AsOf {
    AsOf {
        projection: "test".into(),
        generation: 1,
        position: "0.1".into(),
        last_event_at: None,
        composed_at: t0(),
        cache: CacheOutcome::Miss,
    }
}

/// Folds `events` through `projection` the way the service does, `batch` events per load and
/// write-back, into a stored map of documents.
fn fold(
    projection: &dyn Projection,
    events: &[EventEnvelope],
    batch: usize,
) -> BTreeMap<String, serde_json::Value> {
    let mut stored: BTreeMap<String, serde_json::Value> = BTreeMap::new();
    for chunk in events.chunks(batch) {
        let mut docs = Docs::default();
        for event in chunk {
            for need in projection.needs(event) {
                match need {
                    Need::Key(key) => {
                        let value = stored.get(&key).cloned();
                        docs.loaded(key, value);
                    }
                    Need::Prefix(prefix) => {
                        for (key, value) in stored
                            .range(prefix.clone()..)
                            .take_while(|(k, _)| k.starts_with(&prefix))
                        {
                            docs.loaded(key.clone(), Some(value.clone()));
                        }
                    }
                }
            }
        }
        for event in chunk {
            if !projection.needs(event).is_empty() {
                projection.apply(event, &mut docs).unwrap();
            }
        }
        for (key, value) in docs.changes() {
            match value {
                Some(value) => stored.insert(key.to_string(), value.clone()),
                None => stored.remove(key),
            };
        }
    }
    stored
}

struct Story {
    tenant: TenantId,
    other: TenantId,
    project: ProjectId,
    site: SiteId,
    sku: SkuId,
    alloc: AllocationId,
    nodes: [NodeId; 3],
    events: Vec<EventEnvelope>,
}

/// A small cloud's history: three nodes onboarded, a tenant verified and paid, an allocation of
/// two nodes deployed and charged for, a quota set, another tenant's money moving.
fn story() -> Story {
    let tenant = TenantId::generate();
    let other = TenantId::generate();
    let project = ProjectId::generate();
    let site = SiteId::generate();
    let sku = SkuId::generate();
    let alloc = AllocationId::generate();
    let nodes = [NodeId::generate(), NodeId::generate(), NodeId::generate()];
    let mut events = Vec::new();
    for (i, node) in nodes.iter().enumerate() {
        events.push(ev(
            &NodeRegistered {
                node_id: *node,
                site_id: site,
                hostname: format!("n{i}"),
                state: NodeState::Onboarding,
                sku_id: Some(sku),
            },
            at(0),
        ));
    }
    for node in &nodes {
        events.push(ev(
            &NodeStateChanged {
                node_id: *node,
                site_id: site,
                from: NodeState::Onboarding,
                to: NodeState::Available,
                reason: None,
            },
            at(1),
        ));
    }
    events.push(ev(
        &KycChanged {
            tenant_id: tenant,
            state: KycState::Verified,
            level: KycLevel::Basic,
        },
        at(1),
    ));
    events.push(ev(
        &TransactionPosted {
            transaction_id: TransactionId::generate(),
            tenant_id: tenant,
            kind: "top_up".into(),
            reference: None,
            cash: usd(500_000_000),
            promo: usd(0),
            gross: None,
            at: at(1),
        },
        at(1),
    ));
    events.push(ev(
        &BalanceChanged {
            tenant_id: tenant,
            cash: AccountSnapshot {
                balance: usd(500_000_000),
                held: usd(0),
                version: 1,
            },
            promo: AccountSnapshot {
                balance: usd(0),
                held: usd(0),
                version: 0,
            },
            credit_limit: usd(0),
            at: at(1),
        },
        at(1),
    ));
    for node in &nodes[..2] {
        events.push(ev(
            &NodeAssigned {
                allocation_id: alloc,
                tenant_id: tenant,
                node_id: *node,
            },
            at(2),
        ));
        events.push(ev(
            &NodeDeployRequested {
                allocation_id: alloc,
                tenant_id: tenant,
                node_id: *node,
                image: "jammy".into(),
                ssh_keys: vec![],
                user_data_sealed: None,
            },
            at(2),
        ));
    }
    events.push(ev(
        &AllocationRequested {
            allocation_id: alloc,
            tenant_id: tenant,
            project_id: project,
            sku_id: sku,
            site_id: site,
            node_count: 2,
            at: at(2),
            sku_name: "cpu-64c".into(),
            site_name: "demo1".into(),
        },
        at(2),
    ));
    events.push(ev(
        &FundingChanged {
            allocation_id: alloc,
            tenant_id: tenant,
            rate_per_hour: usd(4_000_000),
            nodes: 2,
            deadline: Some(at(50)),
            open: true,
            at: at(2),
        },
        at(2),
    ));
    events.push(ev(
        &BalanceChanged {
            tenant_id: tenant,
            cash: AccountSnapshot {
                balance: usd(500_000_000),
                held: usd(96_000_000),
                version: 2,
            },
            promo: AccountSnapshot {
                balance: usd(0),
                held: usd(0),
                version: 0,
            },
            credit_limit: usd(0),
            at: at(2),
        },
        at(2),
    ));
    for node in &nodes[..2] {
        events.push(ev(
            &NodeDeployed {
                allocation_id: alloc,
                tenant_id: tenant,
                node_id: *node,
                image: "jammy".into(),
                ip_addresses: vec!["10.0.0.1".into()],
                deploy_started_at: at(2),
                deployed_at: at(3),
            },
            at(3),
        ));
        events.push(ev(
            &NodeMeteringStarted {
                allocation_id: alloc,
                tenant_id: tenant,
                node_id: *node,
                sku_id: sku,
                site_id: site,
                at: at(3),
            },
            at(3),
        ));
    }
    events.push(ev(
        &AllocationStateChanged {
            allocation_id: alloc,
            tenant_id: tenant,
            state: AllocationState::Active,
            reason: "every node deployed".into(),
            at: at(3),
        },
        at(3),
    ));
    for node in &nodes[..2] {
        events.push(ev(
            &TransactionPosted {
                transaction_id: TransactionId::generate(),
                tenant_id: tenant,
                kind: "usage".into(),
                reference: Some(format!("{alloc}/{node}")),
                cash: usd(-2_000_000),
                promo: usd(0),
                gross: None,
                at: at(4),
            },
            at(4),
        ));
    }
    events.push(ev(
        &QuotasChanged {
            tenant_id: tenant,
            quotas: vec![QuotaEntry {
                project_id: None,
                sku: "cpu-64c".into(),
                max_nodes: 3,
            }],
            at: at(4),
        },
        at(4),
    ));
    events.push(ev(
        &BalanceChanged {
            tenant_id: other,
            cash: AccountSnapshot {
                balance: usd(7_000_000),
                held: usd(0),
                version: 1,
            },
            promo: AccountSnapshot {
                balance: usd(0),
                held: usd(0),
                version: 0,
            },
            credit_limit: usd(0),
            at: at(4),
        },
        at(4),
    ));
    Story {
        tenant,
        other,
        project,
        site,
        sku,
        alloc,
        nodes,
        events,
    }
}

fn doc<T: serde::de::DeserializeOwned>(stored: &BTreeMap<String, serde_json::Value>, key: &str) -> T {
    serde_json::from_value(stored[key].clone()).unwrap()
}

#[test]
fn the_tenant_overview_shows_money_runway_spend_allocations_and_quota_use() {
    let s = story();
    let stored = fold(&TenantOverviewProjection, &s.events, 1_000);
    let tenant: TenantDoc = doc(&stored, &tenant_overview::doc_key(s.tenant));
    let view = tenant_overview::render(&tenant, s.tenant, Currency::USD, at(5), as_of());

    let kyc = view.kyc.unwrap();
    assert_eq!((kyc.state, kyc.level), (KycState::Verified, KycLevel::Basic));
    let balance = view.balance.unwrap();
    assert_eq!(balance.cash, usd(500_000_000));
    assert_eq!(balance.held, usd(96_000_000));
    assert_eq!(balance.available, usd(404_000_000));
    assert_eq!(view.burn_per_hour, usd(4_000_000));
    assert_eq!(view.runway_hours, Some(125), "500 at 4 an hour");
    assert_eq!(view.stopping_first.len(), 1);
    assert_eq!(view.stopping_first[0].deadline, at(50));
    assert_eq!(view.spend_this_month, usd(4_000_000));
    assert_eq!(view.spend_by_day.len(), 30);
    assert_eq!(view.spend_by_day.last().unwrap().day, "2026-11-20");
    assert_eq!(view.spend_by_day.last().unwrap().amount, usd(4_000_000));
    assert_eq!(view.allocations.len(), 1);
    let a = &view.allocations[0];
    assert_eq!((a.allocation_id, a.project_id), (s.alloc, s.project));
    assert_eq!(
        (a.state, a.node_count, a.nodes_active),
        (AllocationState::Active, 2, 2)
    );
    assert_eq!((a.sku.as_str(), a.site.as_str()), ("cpu-64c", "demo1"));
    assert_eq!(a.since, at(3));
    assert_eq!((view.nodes_live, view.nodes_active), (2, 2));
    assert_eq!(view.quotas.len(), 1);
    assert_eq!((view.quotas[0].max_nodes, view.quotas[0].used), (3, 2));

    // Another tenant's events land in its own document only.
    let other: TenantDoc = doc(&stored, &tenant_overview::doc_key(s.other));
    assert!(other.allocations.is_empty());
    assert_eq!(other.balance.unwrap().cash.balance, usd(7_000_000));

    // Next month, this month's spend is zero; the days shown move on.
    let december = tenant_overview::render(
        &tenant,
        s.tenant,
        Currency::USD,
        "2026-12-02T00:00:00Z".parse().unwrap(),
        as_of(),
    );
    assert_eq!(december.spend_this_month, usd(0));

    // Ending the allocation and its funding removes it and its burn.
    let mut events = s.events.clone();
    events.push(ev(
        &NodeReleased {
            allocation_id: s.alloc,
            tenant_id: s.tenant,
            node_id: s.nodes[0],
            at: Some(at(6)),
        },
        at(6),
    ));
    events.push(ev(
        &FundingChanged {
            allocation_id: s.alloc,
            tenant_id: s.tenant,
            rate_per_hour: usd(0),
            nodes: 0,
            deadline: None,
            open: false,
            at: at(6),
        },
        at(6),
    ));
    let stored = fold(&TenantOverviewProjection, &events, 1_000);
    let view = tenant_overview::render(
        &doc(&stored, &tenant_overview::doc_key(s.tenant)),
        s.tenant,
        Currency::USD,
        at(6),
        as_of(),
    );
    assert_eq!((view.nodes_live, view.nodes_active), (1, 1));
    assert_eq!(view.burn_per_hour, usd(0));
    assert_eq!(view.runway_hours, None);
    events.push(ev(
        &AllocationEnded {
            allocation_id: s.alloc,
            tenant_id: s.tenant,
            state: AllocationState::Released,
            reason: "released".into(),
            at: at(6),
        },
        at(6),
    ));
    let stored = fold(&TenantOverviewProjection, &events, 1_000);
    let view = tenant_overview::render(
        &doc(&stored, &tenant_overview::doc_key(s.tenant)),
        s.tenant,
        Currency::USD,
        at(6),
        as_of(),
    );
    assert!(view.allocations.is_empty());
    assert_eq!(view.quotas[0].used, 0);
}

#[test]
fn capacity_counts_nodes_per_site_and_sku_by_state_and_assignment() {
    let s = story();
    let stored = fold(&CapacityProjection, &s.events, 1_000);
    let cell: CellDoc = doc(&stored, &capacity::cell_key(s.site, Some(s.sku)));
    let view = capacity::render(std::slice::from_ref(&cell), &super::Names::default(), as_of());
    let c = &view.cells[0];
    assert_eq!((c.site_id, c.sku_id), (s.site, Some(s.sku)));
    assert_eq!((c.total, c.available, c.assigned, c.onboarding), (3, 1, 2, 0));
    assert!((c.utilisation - 0.6667).abs() < 1e-9, "{}", c.utilisation);
    // Hours: onboarding (0), available (1), assigned (2).
    let hours: Vec<(u32, u32)> = c.history.iter().map(|h| (h.assigned, h.in_service)).collect();
    assert_eq!(hours, [(0, 0), (0, 3), (2, 3)]);

    // A node moving to another SKU leaves this cell; a released one is available again; a
    // retired one counts nowhere.
    let other_sku = SkuId::generate();
    let mut events = s.events.clone();
    events.push(ev(
        &NodeReleased {
            allocation_id: s.alloc,
            tenant_id: s.tenant,
            node_id: s.nodes[0],
            at: None,
        },
        at(5),
    ));
    events.push(ev(
        &NodeSkuChanged {
            node_id: s.nodes[2],
            site_id: s.site,
            from: Some(s.sku),
            to: Some(other_sku),
        },
        at(5),
    ));
    events.push(ev(
        &NodeStateChanged {
            node_id: s.nodes[1],
            site_id: s.site,
            from: NodeState::Available,
            to: NodeState::Maintenance,
            reason: Some("fan".into()),
        },
        at(5),
    ));
    events.push(ev(
        &NodeStateChanged {
            node_id: s.nodes[2],
            site_id: s.site,
            from: NodeState::Available,
            to: NodeState::Retired,
            reason: None,
        },
        at(6),
    ));
    let stored = fold(&CapacityProjection, &events, 1_000);
    let here: CellDoc = doc(&stored, &capacity::cell_key(s.site, Some(s.sku)));
    let there: CellDoc = doc(&stored, &capacity::cell_key(s.site, Some(other_sku)));
    let view = capacity::render(&[here, there], &super::Names::default(), as_of());
    let (here, there) = (&view.cells[0], &view.cells[1]);
    assert_eq!(
        (here.total, here.available, here.assigned, here.maintenance),
        (2, 1, 0, 1)
    );
    assert_eq!((there.total, there.available), (0, 0));
}

#[test]
fn health_counts_deploys_drift_and_shows_stuck_and_quarantined_nodes() {
    let s = story();
    let mut events = s.events.clone();
    events.push(ev(
        &NodeDeployFailed {
            allocation_id: s.alloc,
            tenant_id: s.tenant,
            node_id: s.nodes[2],
            reason: "pxe".into(),
            at: at(4),
        },
        at(4),
    ));
    events.push(ev(
        &DriftFound {
            site_id: s.site,
            machine_ref: "abc".into(),
            node_id: Some(s.nodes[2]),
            kind: "power_drift".into(),
            detail: "off".into(),
            repair: "power on".into(),
            tenant_cost: false,
        },
        at(4),
    ));
    events.push(ev(
        &NodeStateChanged {
            node_id: s.nodes[2],
            site_id: s.site,
            from: NodeState::Available,
            to: NodeState::Quarantined,
            reason: Some("disk errors".into()),
        },
        at(4),
    ));
    let late = NodeId::generate();
    events.push(ev(
        &NodeRegistered {
            node_id: late,
            site_id: s.site,
            hostname: "late".into(),
            state: NodeState::Onboarding,
            sku_id: None,
        },
        at(4),
    ));
    events.push(ev(
        &NodeDeployRequested {
            allocation_id: s.alloc,
            tenant_id: s.tenant,
            node_id: s.nodes[2],
            image: "jammy".into(),
            ssh_keys: vec![],
            user_data_sealed: None,
        },
        at(4),
    ));
    let stored = fold(&HealthProjection, &events, 1_000);
    let doc: HealthDoc = doc(&stored, health::DOC_KEY);

    let view = health::render(&doc, vec![], at(5), as_of());
    assert_eq!((view.deploys_24h.succeeded, view.deploys_24h.failed), (2, 1));
    assert!((view.deploys_24h.failure_rate - 0.3333).abs() < 1e-9);
    assert_eq!(view.drift.len(), 1);
    assert_eq!(
        (
            view.drift[0].kind.as_str(),
            view.drift[0].total,
            view.drift[0].last_24h
        ),
        ("power_drift", 1, 1)
    );
    assert_eq!(view.quarantined.len(), 1);
    assert_eq!(view.quarantined[0].node_id, s.nodes[2]);
    assert_eq!(view.quarantined[0].reason.as_deref(), Some("disk errors"));
    assert_eq!(view.onboarding.nodes, 1);
    assert!(
        view.stuck.is_empty(),
        "an hour in, nothing is past its budget: {:?}",
        view.stuck
    );

    // Three hours on: the onboarding node and the deploy are past their budgets; a day on,
    // the 24-hour figures are empty but the totals stay.
    let later = health::render(&doc, vec![], at(8), as_of());
    let stuck: Vec<(&str, NodeId)> = later
        .stuck
        .iter()
        .map(|n| (n.phase.as_str(), n.node_id))
        .collect();
    assert_eq!(stuck, [("onboarding", late), ("deploying", s.nodes[2])]);
    let next_day = health::render(&doc, vec![], at(40), as_of());
    assert_eq!(
        (
            next_day.deploys_24h.succeeded,
            next_day.drift[0].last_24h,
            next_day.drift[0].total
        ),
        (0, 0, 1)
    );
}

#[test]
fn revenue_puts_usage_on_its_sku_and_site_and_counts_top_ups() {
    let s = story();
    let stored = fold(&RevenueProjection, &s.events, 1_000);
    let day: DayDoc = doc(&stored, &revenue::day_key("2026-11-20"));
    let found = BTreeMap::from([("2026-11-20".to_string(), day)]);
    let view = revenue::render(&found, &super::Names::default(), 7, Currency::USD, at(5), as_of());
    assert_eq!(view.days.len(), 7);
    assert_eq!(view.days.last().unwrap().day, "2026-11-20");
    assert_eq!(view.totals.usage, usd(4_000_000));
    assert_eq!(view.totals.top_ups, usd(500_000_000));
    assert_eq!(view.by_sku_site.len(), 1);
    assert_eq!(
        (view.by_sku_site[0].sku_id, view.by_sku_site[0].site_id),
        (s.sku, s.site)
    );
    assert_eq!(view.by_sku_site[0].usage, usd(4_000_000));
    // Outside the window, nothing.
    let later = revenue::render(
        &found,
        &super::Names::default(),
        7,
        Currency::USD,
        at(24 * 10),
        as_of(),
    );
    assert_eq!(later.totals.usage, usd(0));
}

#[test]
fn any_cut_of_the_history_into_batches_builds_the_same_documents() {
    let s = story();
    let projections: Vec<Arc<dyn Projection>> = crate::service::projections();
    for projection in &projections {
        let whole = fold(projection.as_ref(), &s.events, 1_000);
        assert!(!whole.is_empty(), "{} built nothing", projection.name());
        for batch in [1, 2, 3, 7] {
            assert_eq!(
                fold(projection.as_ref(), &s.events, batch),
                whole,
                "{} differs in batches of {batch}",
                projection.name()
            );
        }
    }
}

#[test]
fn events_a_projection_does_not_read_need_nothing() {
    let e = ev(
        &KycChanged {
            tenant_id: TenantId::generate(),
            state: KycState::Verified,
            level: KycLevel::Full,
        },
        t0(),
    );
    assert!(CapacityProjection.needs(&e).is_empty());
    assert!(RevenueProjection.needs(&e).is_empty());
    assert!(HealthProjection.needs(&e).is_empty());
    assert_eq!(TenantOverviewProjection.needs(&e).len(), 1);
}

#[test]
fn balance_snapshots_arriving_out_of_order_keep_each_accounts_newest() {
    let tenant = TenantId::generate();
    let snapshot = |cash: i64, cash_version: u64, promo: i64, promo_version: u64| BalanceChanged {
        tenant_id: tenant,
        cash: AccountSnapshot {
            balance: usd(cash),
            held: usd(0),
            version: cash_version,
        },
        promo: AccountSnapshot {
            balance: usd(promo),
            held: usd(0),
            version: promo_version,
        },
        credit_limit: usd(0),
        at: t0(),
    };
    // Two transactions: one moved cash (version 2), the other promo (version 2); each read the
    // other account as it was. Whichever order their events come in, both newest values win.
    let a = ev(&snapshot(150, 2, 10, 1), t0());
    let b = ev(&snapshot(100, 1, 30, 2), t0());
    for events in [vec![a.clone(), b.clone()], vec![b, a]] {
        let stored = fold(&TenantOverviewProjection, &events, 1);
        let doc: TenantDoc = doc(&stored, &tenant_overview::doc_key(tenant));
        let view = tenant_overview::render(&doc, tenant, Currency::USD, t0(), as_of());
        let balance = view.balance.unwrap();
        assert_eq!((balance.cash, balance.promo), (usd(150), usd(30)));
    }
}

#[test]
fn a_usage_refund_lowers_spend_and_usage_and_a_card_refund_is_neither() {
    let s = story();
    let mut events = s.events.clone();
    let refund = |micros: i64, reference: Option<String>, gross: i64| TransactionPosted {
        transaction_id: TransactionId::generate(),
        tenant_id: s.tenant,
        kind: "refund".into(),
        reference,
        cash: usd(micros),
        promo: usd(0),
        gross: Some(usd(gross)),
        at: at(5),
    };
    let meter = Some(format!("{}/{}", s.alloc, s.nodes[0]));
    events.push(ev(&refund(1_000_000, meter, 1_000_000), at(5)));
    // A card refund of 80: 50 from the tenant's cash, 30 from the platform's refunds account.
    events.push(ev(&refund(-50_000_000, None, 80_000_000), at(5)));
    let stored = fold(&TenantOverviewProjection, &events, 1_000);
    let view = tenant_overview::render(
        &doc(&stored, &tenant_overview::doc_key(s.tenant)),
        s.tenant,
        Currency::USD,
        at(6),
        as_of(),
    );
    assert_eq!(
        view.spend_this_month,
        usd(3_000_000),
        "4 charged, 1 given back; the card refund is not spend"
    );
    let stored = fold(&RevenueProjection, &events, 1_000);
    let day: DayDoc = doc(&stored, &revenue::day_key("2026-11-20"));
    let found = BTreeMap::from([("2026-11-20".to_string(), day)]);
    let view = revenue::render(&found, &super::Names::default(), 1, Currency::USD, at(6), as_of());
    assert_eq!(view.totals.usage, usd(3_000_000));
    assert_eq!(view.totals.refunds, usd(80_000_000));
    assert_eq!(view.by_sku_site[0].usage, usd(3_000_000));
}
