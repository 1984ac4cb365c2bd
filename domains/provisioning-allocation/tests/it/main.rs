//! Provisioning.Allocation store suite: every case runs on SQLite and on PostgreSQL.

// Test helpers panic on failure by design: a failed setup is a failed test.
#![allow(clippy::unwrap_used)]

use std::collections::HashSet;

use ingot_contracts::allocation::PlacementPolicy;
use ingot_kernel::db::{Db, KERNEL_MIGRATIONS};
use ingot_kernel::id::{AllocationId, NodeId, ProjectId, SiteId, SkuId, TenantId};
use ingot_kernel::store_test;
use ingot_kernel::{Currency, Money, Timestamp};
use ingot_provisioning_allocation::MIGRATIONS;
use ingot_provisioning_allocation::model::{Candidate, NodePhase};
use ingot_provisioning_allocation::store::{self, AssignError, NewAllocation};

const T0: Timestamp = Timestamp::from_secs(1_800_000_000);

fn candidate(node_id: NodeId, hostname: &str) -> Candidate {
    Candidate {
        node_id,
        hostname: hostname.into(),
        fabric_group: None,
    }
}

async fn allocation(db: &Db) -> AllocationId {
    let id = AllocationId::generate();
    let mut tx = db.begin().await.unwrap();
    store::allocation_insert_in_tx(
        &mut tx,
        &NewAllocation {
            id,
            tenant_id: TenantId::generate(),
            project_id: ProjectId::generate(),
            sku_id: SkuId::generate(),
            sku_name: "cpu-64c".into(),
            site_id: SiteId::generate(),
            site_name: "fra1".into(),
            node_count: 1,
            image: "jammy".into(),
            placement: PlacementPolicy::Any,
            ssh_keys: Vec::new(),
            user_data_sealed: None,
            hourly_price: Money::from_micros(1_200_000, Currency::USD),
            release_at: None,
        },
        T0,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

store_test!(a_node_serves_one_live_allocation_at_a_time, |t| {
    let t = t.migrated(&[&KERNEL_MIGRATIONS, &MIGRATIONS]).await;
    let (first, second) = (allocation(&t.db).await, allocation(&t.db).await);
    let node = NodeId::generate();
    let mut tx = t.db.begin().await.unwrap();
    store::node_assign_in_tx(&mut tx, first, &candidate(node, "gpu-1"), T0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut tx = t.db.begin().await.unwrap();
    let err = store::node_assign_in_tx(&mut tx, second, &candidate(node, "gpu-1"), T0)
        .await
        .unwrap_err();
    assert!(matches!(err, AssignError::Taken(n) if n == node), "{err:?}");
    drop(tx);
    assert_eq!(
        store::node_live_allocation(t.db.reader(), node).await.unwrap(),
        Some(first)
    );
    // Given back, it is free for the next allocation.
    let mut tx = t.db.begin().await.unwrap();
    store::node_phase_set_in_tx(&mut tx, first, node, NodePhase::Releasing, T0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut tx = t.db.begin().await.unwrap();
    assert!(
        store::node_assign_in_tx(&mut tx, second, &candidate(node, "gpu-1"), T0)
            .await
            .is_err(),
        "not while releasing"
    );
    drop(tx);
    let mut tx = t.db.begin().await.unwrap();
    store::node_phase_set_in_tx(&mut tx, first, node, NodePhase::Released, T0)
        .await
        .unwrap();
    store::node_assign_in_tx(&mut tx, second, &candidate(node, "gpu-1"), T0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        store::node_live_allocation(t.db.reader(), node).await.unwrap(),
        Some(second)
    );
});

// 64 allocations race for the last 10 nodes, each trying them in the same order and moving on
// when the database says a node is taken: exactly 10 win, none shares a node.
store_test!(racing_allocations_never_share_a_node, |t| {
    let t = t.migrated(&[&KERNEL_MIGRATIONS, &MIGRATIONS]).await;
    let nodes: Vec<NodeId> = (0..10).map(|_| NodeId::generate()).collect();
    let mut racers = Vec::new();
    for _ in 0..64 {
        let db = t.db.clone();
        let nodes = nodes.clone();
        racers.push(tokio::spawn(async move {
            let me = allocation(&db).await;
            for node in nodes {
                let mut tx = db.begin().await.unwrap();
                match store::node_assign_in_tx(&mut tx, me, &candidate(node, "n"), T0).await {
                    Ok(()) => {
                        tx.commit().await.unwrap();
                        return Some((me, node));
                    }
                    Err(AssignError::Taken(_)) => continue,
                    Err(err) => panic!("{err:?}"),
                }
            }
            None
        }));
    }
    let mut winners = Vec::new();
    for racer in racers {
        winners.extend(racer.await.unwrap());
    }
    assert_eq!(winners.len(), 10, "exactly as many winners as nodes");
    let taken: HashSet<NodeId> = winners.iter().map(|(_, node)| *node).collect();
    assert_eq!(taken.len(), 10, "no node twice");
    for (allocation, node) in winners {
        assert_eq!(
            store::node_live_allocation(t.db.reader(), node).await.unwrap(),
            Some(allocation)
        );
    }
});
