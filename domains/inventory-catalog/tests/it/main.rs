//! Inventory.Catalog store suite: every case runs on SQLite and on PostgreSQL.

// Test helpers panic on failure by design: a failed setup is a failed test.
#![allow(clippy::unwrap_used)]

use ingot_inventory_catalog::model::{
    Capacity, Cpu, Disk, DiskKind, Gpu, HardwareFacts, HealthAction, HealthCondition, Node, NodeStanding,
    NodeState, Placement, Site, SiteStatus, Sku, SkuConstraints, capacity_recount,
};
use ingot_inventory_catalog::store::NodeQuery;
use ingot_inventory_catalog::{MIGRATIONS, store};
use ingot_kernel::Timestamp;
use ingot_kernel::db::{Db, KERNEL_MIGRATIONS};
use ingot_kernel::id::{NodeId, SiteId, SkuId};
use ingot_kernel::money::{Currency, Money};
use ingot_kernel::store_test;
use ingot_kernel::testing::TestDb;

const T0: Timestamp = Timestamp::from_secs(1_700_000_000);

async fn catalog_db(test_db: TestDb) -> TestDb {
    test_db.migrated(&[&KERNEL_MIGRATIONS, &MIGRATIONS]).await
}

fn facts() -> HardwareFacts {
    HardwareFacts {
        cpu: Cpu {
            model: "EPYC 9554".into(),
            sockets: 2,
            cores: 128,
        },
        ram_mib: 2 * 1024 * 1024,
        gpus: vec![Gpu {
            model: "H100".into(),
            count: 8,
            memory_mib: 80 * 1024,
        }],
        nics: Vec::new(),
        disks: vec![Disk {
            size_gib: 15_000,
            kind: DiskKind::Nvme,
        }],
        interconnects: Vec::new(),
    }
}

async fn seed(db: &Db) -> (Site, Sku, Node) {
    let site = Site {
        id: SiteId::generate(),
        name: "fra1".into(),
        region: "eu-central".into(),
        country: "DE".into(),
        status: SiteStatus::Active,
    };
    let sku = Sku {
        id: SkuId::generate(),
        name: "gpu-8x-h100".into(),
        description: "8× H100".into(),
        active: true,
        constraints: SkuConstraints {
            gpu_model: Some("H100".into()),
            gpu_count: 8,
            cores_min: 96,
            ram_min_mib: 1024 * 1024,
            storage_min_gib: 7_000,
            interconnect: None,
        },
    };
    let node = Node {
        id: NodeId::generate(),
        site_id: site.id,
        hostname: "fra1-r01-n01".into(),
        state: NodeState::Available,
        facts: facts(),
        placement: Placement {
            rack: Some("r01".into()),
            position: Some(1),
            fabric_group: Some("ib-a".into()),
        },
        source_ref: Some("machine-1".into()),
        sku_id: Some(sku.id),
        unmatched_reasons: Vec::new(),
        assigned: false,
        created_at: T0,
        updated_at: T0,
    };
    let mut tx = db.begin().await.unwrap();
    store::site_insert_in_tx(&mut tx, &site, T0).await.unwrap();
    store::sku_insert_in_tx(&mut tx, &sku, T0).await.unwrap();
    store::node_insert_in_tx(&mut tx, &node).await.unwrap();
    tx.commit().await.unwrap();
    (site, sku, node)
}

store_test!(sites_skus_and_nodes_round_trip, |t| {
    let t = catalog_db(t).await;
    let (site, sku, node) = seed(&t.db).await;
    assert_eq!(
        store::sites_list(t.db.reader()).await.unwrap(),
        std::slice::from_ref(&site)
    );
    assert_eq!(store::skus_list(t.db.reader()).await.unwrap(), [sku]);
    assert_eq!(
        store::node_get(t.db.reader(), node.id).await.unwrap(),
        Some(node.clone())
    );
    let all = NodeQuery {
        limit: 10,
        ..NodeQuery::default()
    };
    assert_eq!(
        store::nodes_page(t.db.reader(), &all).await.unwrap(),
        std::slice::from_ref(&node)
    );
    assert_eq!(
        store::node_by_source_ref(t.db.reader(), "machine-1")
            .await
            .unwrap(),
        Some(node.clone())
    );
    assert_eq!(
        store::node_by_hostname(t.db.reader(), &node.hostname)
            .await
            .unwrap(),
        Some(node)
    );
    assert_eq!(
        store::node_get(t.db.reader(), NodeId::generate()).await.unwrap(),
        None
    );
});

store_test!(names_are_unique, |t| {
    let t = catalog_db(t).await;
    let (site, _, node) = seed(&t.db).await;
    let mut tx = t.db.begin().await.unwrap();
    let twin = Site {
        id: SiteId::generate(),
        ..site
    };
    let err = store::site_insert_in_tx(&mut tx, &twin, T0).await.unwrap_err();
    assert!(err.is_unique_violation(), "{err:?}");
    drop(tx);
    let mut tx = t.db.begin().await.unwrap();
    let err = store::node_insert_in_tx(
        &mut tx,
        &Node {
            id: NodeId::generate(),
            source_ref: None,
            ..node.clone()
        },
    )
    .await
    .unwrap_err();
    assert!(err.is_unique_violation(), "hostnames are unique: {err:?}");
    drop(tx);
    let mut tx = t.db.begin().await.unwrap();
    let err = store::node_insert_in_tx(
        &mut tx,
        &Node {
            id: NodeId::generate(),
            hostname: "other".into(),
            ..node
        },
    )
    .await
    .unwrap_err();
    assert!(err.is_unique_violation(), "source refs are unique: {err:?}");
});

store_test!(concurrent_state_changes_cannot_both_win, |t| {
    let t = catalog_db(t).await;
    let (_, _, node) = seed(&t.db).await;
    let mut handles = Vec::new();
    for to in [
        NodeState::Maintenance,
        NodeState::Quarantined,
        NodeState::Decommissioning,
        NodeState::Maintenance,
    ] {
        let db = t.db.clone();
        let node = node.clone();
        handles.push(tokio::spawn(async move {
            let mut tx = db.begin().await.unwrap();
            let won = store::node_state_update_in_tx(&mut tx, &node, to, T0)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            won
        }));
    }
    let mut winners = 0;
    for handle in handles {
        winners += usize::from(handle.await.unwrap());
    }
    assert_eq!(winners, 1, "exactly one transition out of Available wins");
    assert_ne!(
        store::node_get(t.db.reader(), node.id)
            .await
            .unwrap()
            .unwrap()
            .state,
        NodeState::Available
    );
});

store_test!(unmatched_nodes_keep_their_reasons_and_offers_upsert, |t| {
    let t = catalog_db(t).await;
    let (site, sku, node) = seed(&t.db).await;
    let reasons = vec!["gpu-8x-h100: 4 GPUs (wanted 8)".to_string()];
    let mut tx = t.db.begin().await.unwrap();
    store::node_sku_update_in_tx(&mut tx, &node, None, &reasons, T0)
        .await
        .unwrap();
    let usd = |text: &str| Money::parse(text, Currency::USD).unwrap();
    store::offer_upsert_in_tx(&mut tx, sku.id, site.id, usd("24.50"), T0)
        .await
        .unwrap();
    store::offer_upsert_in_tx(&mut tx, sku.id, site.id, usd("23.99"), T0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let stored = store::node_get(t.db.reader(), node.id).await.unwrap().unwrap();
    assert_eq!((stored.sku_id, stored.unmatched_reasons), (None, reasons));
    assert_eq!(
        store::offers_list(t.db.reader()).await.unwrap(),
        [(sku.id, site.id, usd("23.99"))]
    );
});

/// `count` more nodes like `template` at its site and SKU, hostnames `n000`, `n001`, ….
async fn more_nodes(db: &Db, template: &Node, count: usize) -> Vec<Node> {
    let mut tx = db.begin().await.unwrap();
    let mut nodes = Vec::new();
    for i in 0..count {
        let node = Node {
            id: NodeId::generate(),
            hostname: format!("n{i:03}"),
            source_ref: None,
            ..template.clone()
        };
        store::node_insert_in_tx(&mut tx, &node).await.unwrap();
        nodes.push(node);
    }
    tx.commit().await.unwrap();
    nodes
}

async fn stored_capacity(db: &Db) -> std::collections::BTreeMap<(SiteId, Option<SkuId>), Capacity> {
    store::capacity_list(db.reader())
        .await
        .unwrap()
        .into_iter()
        .filter(|(_, c)| *c != Capacity::default())
        .collect()
}

async fn recounted_capacity(db: &Db) -> std::collections::BTreeMap<(SiteId, Option<SkuId>), Capacity> {
    let all = NodeQuery {
        limit: 10_000,
        ..NodeQuery::default()
    };
    let mut standings = Vec::new();
    for n in store::nodes_page(db.reader(), &all).await.unwrap() {
        let health = store::health_of(db.reader(), n.id).await.unwrap();
        standings.push(NodeStanding {
            site_id: n.site_id,
            sku_id: n.sku_id,
            state: n.state,
            assigned: n.assigned,
            blocked: health
                .iter()
                .any(|h| h.action == HealthAction::PreventsAllocation),
        });
    }
    capacity_recount(&standings)
}

store_test!(stored_capacity_follows_every_node_change, |t| {
    let t = catalog_db(t).await;
    let (site, sku, node) = seed(&t.db).await;
    let others = more_nodes(&t.db, &node, 3).await;
    let mut tx = t.db.begin().await.unwrap();
    assert!(
        store::node_state_update_in_tx(&mut tx, &others[0], NodeState::Maintenance, T0)
            .await
            .unwrap()
    );
    store::node_sku_update_in_tx(&mut tx, &others[1], None, &["why".into()], T0)
        .await
        .unwrap();
    store::node_assigned_set_in_tx(&mut tx, others[2].id, true, T0)
        .await
        .unwrap();
    // A condition that prevents allocation takes the last available node out of service.
    let broken = HealthCondition {
        kind: "ib_link_down".into(),
        action: HealthAction::PreventsAllocation,
        source: "test".into(),
        since: T0,
        detail: None,
    };
    store::health_upsert_in_tx(&mut tx, &node, &broken, T0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let expected = Capacity {
        total: 3,
        available: 0,
        assigned: 1,
        maintenance: 2,
        onboarding: 0,
        unmatched: 0,
    };
    let stored = stored_capacity(&t.db).await;
    assert_eq!(stored.get(&(site.id, Some(sku.id))), Some(&expected));
    assert_eq!(stored.get(&(site.id, None)).map(|c| c.unmatched), Some(1));
    assert_eq!(stored, recounted_capacity(&t.db).await);
});

// Many writers change different nodes of the same site × SKU at once: each recount waits for the
// row lock, so the stored row ends equal to a recount instead of the last writer's stale view.
store_test!(concurrent_node_changes_leave_capacity_equal_to_a_recount, |t| {
    let t = catalog_db(t).await;
    let (_, _, node) = seed(&t.db).await;
    let nodes = more_nodes(&t.db, &node, 16).await;
    let mut handles = Vec::new();
    for (i, node) in nodes.into_iter().enumerate() {
        let db = t.db.clone();
        handles.push(tokio::spawn(async move {
            let mut tx = db.begin().await.unwrap();
            if i % 2 == 0 {
                store::node_state_update_in_tx(&mut tx, &node, NodeState::Maintenance, T0)
                    .await
                    .unwrap();
            } else {
                store::node_assigned_set_in_tx(&mut tx, node.id, true, T0)
                    .await
                    .unwrap();
            }
            tx.commit().await.unwrap();
        }));
    }
    for handle in handles {
        handle.await.unwrap();
    }
    let stored = stored_capacity(&t.db).await;
    assert_eq!(stored, recounted_capacity(&t.db).await);
    let row = stored.values().next().unwrap();
    assert_eq!((row.maintenance, row.assigned, row.available), (8, 8, 1));
});

store_test!(
    eligible_nodes_exclude_assigned_unhealthy_and_out_of_service,
    |t| {
        let t = catalog_db(t).await;
        let (site, sku, node) = seed(&t.db).await;
        let others = more_nodes(&t.db, &node, 4).await;
        let mut tx = t.db.begin().await.unwrap();
        store::node_assigned_set_in_tx(&mut tx, others[0].id, true, T0)
            .await
            .unwrap();
        store::node_state_update_in_tx(&mut tx, &others[1], NodeState::Maintenance, T0)
            .await
            .unwrap();
        let broken = HealthCondition {
            kind: "gpu_xid_error".into(),
            action: HealthAction::PreventsAllocation,
            source: "test".into(),
            since: T0,
            detail: None,
        };
        store::health_upsert_in_tx(&mut tx, &others[2], &broken, T0)
            .await
            .unwrap();
        let cosmetic = HealthCondition {
            kind: "fan_noise".into(),
            action: HealthAction::Informational,
            ..broken.clone()
        };
        store::health_upsert_in_tx(&mut tx, &others[3], &cosmetic, T0)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let eligible: Vec<String> = store::nodes_eligible(t.db.reader(), sku.id, site.id, None)
            .await
            .unwrap()
            .into_iter()
            .map(|n| n.hostname)
            .collect();
        assert_eq!(eligible, [node.hostname.as_str(), "n003"]);
        assert_eq!(
            store::health_of(t.db.reader(), others[2].id).await.unwrap(),
            [broken]
        );
        let mut tx = t.db.begin().await.unwrap();
        store::health_clear_in_tx(&mut tx, &others[2], "gpu_xid_error", T0)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            store::nodes_eligible(t.db.reader(), sku.id, site.id, None)
                .await
                .unwrap()
                .len(),
            3
        );
    }
);

store_test!(capacity_history_keeps_one_snapshot_per_hour, |t| {
    let t = catalog_db(t).await;
    let (site, sku, _) = seed(&t.db).await;
    let hour = Timestamp::from_secs(1_700_002_800);
    for _ in 0..2 {
        let mut tx = t.db.begin().await.unwrap();
        store::capacity_snapshot_in_tx(&mut tx, hour).await.unwrap();
        tx.commit().await.unwrap();
    }
    let history = store::capacity_history(t.db.reader(), hour, Timestamp::from_secs(1_700_006_400))
        .await
        .unwrap();
    assert_eq!(
        history.len(),
        1,
        "a repeated snapshot of the same hour adds nothing"
    );
    assert_eq!(history[0].1, (site.id, Some(sku.id)));
    assert_eq!(history[0].2.available, 1);
    let later = store::capacity_history(
        t.db.reader(),
        Timestamp::from_secs(1_700_006_400),
        Timestamp::from_secs(1_800_000_000),
    )
    .await
    .unwrap();
    assert!(later.is_empty());
});

store_test!(node_pages_filter_and_continue, |t| {
    let t = catalog_db(t).await;
    let (site, sku, node) = seed(&t.db).await;
    let others = more_nodes(&t.db, &node, 5).await;
    let mut tx = t.db.begin().await.unwrap();
    store::node_sku_update_in_tx(&mut tx, &others[4], None, &[], T0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let hostnames = |nodes: Vec<Node>| nodes.into_iter().map(|n| n.hostname).collect::<Vec<_>>();
    let first = NodeQuery {
        site_id: Some(site.id),
        sku_id: Some(Some(sku.id)),
        limit: 2,
        ..NodeQuery::default()
    };
    assert_eq!(
        hostnames(store::nodes_page(t.db.reader(), &first).await.unwrap()),
        ["fra1-r01-n01", "n000", "n001"],
        "limit + 1 rows tell the caller more follow"
    );
    let next = NodeQuery {
        after: Some("n001".into()),
        ..first.clone()
    };
    assert_eq!(
        hostnames(store::nodes_page(t.db.reader(), &next).await.unwrap()),
        ["n002", "n003"]
    );
    let unmatched = NodeQuery {
        sku_id: Some(None),
        limit: 10,
        ..NodeQuery::default()
    };
    assert_eq!(
        hostnames(store::nodes_page(t.db.reader(), &unmatched).await.unwrap()),
        ["n004"]
    );
});

// A state change decided on a stale read of the assignment (Allocation assigned the node since)
// is not made.
store_test!(
    state_changes_fail_when_the_assignment_changed_since_the_read,
    |t| {
        let t = catalog_db(t).await;
        let (_, _, node) = seed(&t.db).await;
        let mut tx = t.db.begin().await.unwrap();
        store::node_assigned_set_in_tx(&mut tx, node.id, true, T0)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let mut tx = t.db.begin().await.unwrap();
        let moved = store::node_state_update_in_tx(&mut tx, &node, NodeState::Maintenance, T0)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(!moved, "the read said unassigned; it no longer is");
        let fresh = store::node_get(t.db.reader(), node.id).await.unwrap().unwrap();
        assert_eq!((fresh.state, fresh.assigned), (NodeState::Available, true));
    }
);
