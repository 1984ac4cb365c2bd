//! Inventory.Catalog store suite: every case runs on SQLite and on PostgreSQL.

// Test helpers panic on failure by design: a failed setup is a failed test.
#![allow(clippy::unwrap_used)]

use ingot_inventory_catalog::model::{
    Cpu, Disk, DiskKind, Gpu, HardwareFacts, Node, NodeState, Site, SiteStatus, Sku, SkuConstraints,
};
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
        rack: Some("r01".into()),
        position: Some(1),
        fabric_group: Some("ib-a".into()),
        sku_id: Some(sku.id),
        unmatched_reasons: Vec::new(),
    };
    let mut tx = db.begin().await.unwrap();
    store::site_insert_in_tx(&mut tx, &site, T0).await.unwrap();
    store::sku_insert_in_tx(&mut tx, &sku, T0).await.unwrap();
    store::node_insert_in_tx(&mut tx, &node, T0).await.unwrap();
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
    assert_eq!(
        store::nodes_of_site(t.db.reader(), site.id).await.unwrap(),
        [node]
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
            ..node
        },
        T0,
    )
    .await
    .unwrap_err();
    assert!(err.is_unique_violation(), "hostnames are unique: {err:?}");
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
        handles.push(tokio::spawn(async move {
            let mut tx = db.begin().await.unwrap();
            let won = store::node_state_update_in_tx(&mut tx, node.id, NodeState::Available, to, T0)
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
    store::node_sku_update_in_tx(&mut tx, node.id, None, &reasons, T0)
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
