//! The allocation's life after admission. The provisioning domain's reports (deployed, failed,
//! released) move its nodes; a failed node is given back and replaced from spare capacity up to
//! the configured number of times; its end is asked for by the tenant, an operator, expiry,
//! Billing (`balance_exhausted`), IAM (KYC revoked) or Inventory (forced maintenance). Every
//! change lands in one transaction with its history line and its events; reports are read
//! behind this domain's outbox cursor in that same transaction, so each lands exactly once.

use std::collections::HashSet;

use ingot_contracts::allocation::{
    AllocationEnded, AllocationError, AllocationStateChanged, AllocationView, EvacuationError, ExtendRequest,
    ForceReleaseRequest, NodeEvacuation, NodeMeteringStarted, NodeMeteringStopped, NodePhase,
    NodeReleaseRequested, NodeReleased, ReleaseRequest,
};
use ingot_contracts::billing::BalanceExhausted;
use ingot_contracts::iam::{Action, Actor, AuditEntry, KycChanged, KycState, Resource};
use ingot_contracts::maas::{NodeDeployFailed, NodeDeployed, NodeReleaseCompleted};
use ingot_kernel::Timestamp;
use ingot_kernel::db::{DbError, Tx};
use ingot_kernel::event::DomainEvent;
use ingot_kernel::id::{AllocationId, NodeId};

use super::{AllocationService, Result, internal};
use crate::model::{NodeEvent, allocation_state_of, node_transition};
use crate::store::{self, AllocationChange, AllocationRow, NodeRow};

const CONSUMER: &str = "allocation.lifecycle";
const REASON_CHARS_MAX: usize = 500;

/// Who asked for an allocation's end, for its history, its events and the audit log.
struct EndRequest<'a> {
    actor: &'a Actor,
    audit_action: &'static str,
    reason: String,
    /// Expiry: end it only if, under the lock, `release_at` is still due at this time (the
    /// tenant may have extended it since it was read).
    only_if_due: Option<Timestamp>,
}

async fn emit(tx: &mut Tx, event: &impl DomainEvent, now: Timestamp) -> std::result::Result<(), DbError> {
    ingot_kernel::outbox::append_in_tx(tx, &event.to_envelope(now)).await?;
    Ok(())
}

impl AllocationService {
    /// Reads what other domains reported behind this domain's outbox cursor and applies it,
    /// effects and cursor in one transaction. Returns how many events were read.
    #[tracing::instrument(name = "allocation.events_follow", skip_all)]
    pub async fn events_follow(&self, batch_max: i64) -> std::result::Result<usize, DbError> {
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
                NodeDeployed::EVENT_TYPE => match serde_json::from_value::<NodeDeployed>(payload) {
                    Ok(report) => self.node_deployed_in_tx(&mut tx, &report, now).await?,
                    Err(err) => unreadable(err),
                },
                NodeDeployFailed::EVENT_TYPE => match serde_json::from_value::<NodeDeployFailed>(payload) {
                    Ok(report) => self.node_failed_in_tx(&mut tx, &report, now).await?,
                    Err(err) => unreadable(err),
                },
                NodeReleaseCompleted::EVENT_TYPE => {
                    match serde_json::from_value::<NodeReleaseCompleted>(payload) {
                        Ok(report) => self.node_released_in_tx(&mut tx, &report, now).await?,
                        Err(err) => unreadable(err),
                    }
                }
                BalanceExhausted::EVENT_TYPE => match serde_json::from_value::<BalanceExhausted>(payload) {
                    Ok(exhausted) => {
                        let end = EndRequest {
                            actor: &Actor::anonymous(),
                            audit_action: "allocation.force_release.balance_exhausted",
                            reason: format!(
                                "balance exhausted: funded until {}, grace ended {}",
                                exhausted.funded_until, exhausted.deadline
                            ),
                            only_if_due: None,
                        };
                        self.end_in_tx(&mut tx, exhausted.allocation_id, &end, now)
                            .await?;
                    }
                    Err(err) => unreadable(err),
                },
                KycChanged::EVENT_TYPE => match serde_json::from_value::<KycChanged>(payload) {
                    Ok(changed) if changed.state == KycState::Revoked => {
                        let running = store::tenant_allocations_running(&mut *tx, changed.tenant_id).await?;
                        for allocation_id in running {
                            let end = EndRequest {
                                actor: &Actor::anonymous(),
                                audit_action: "allocation.force_release.kyc_revoked",
                                reason: "the tenant's verification was revoked".into(),
                                only_if_due: None,
                            };
                            self.end_in_tx(&mut tx, allocation_id, &end, now).await?;
                        }
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

    /// Time-driven work: allocations past `release_at` are released; ended ones have their
    /// runway released at Billing (retried until Billing answers). Returns how many were handled.
    #[tracing::instrument(name = "allocation.attention_pass", skip_all)]
    pub async fn attention_pass(&self) -> std::result::Result<usize, DbError> {
        let now = self.clock.now();
        let mut handled = 0;
        for row in store::allocations_expired(self.db.reader(), now, 200).await? {
            let mut tx = self.db.begin().await?;
            let end = EndRequest {
                actor: &Actor::anonymous(),
                audit_action: "allocation.expire",
                reason: "release_at reached".into(),
                only_if_due: Some(now),
            };
            if self.end_in_tx(&mut tx, row.id, &end, now).await? {
                handled += 1;
            }
            tx.commit().await?;
        }
        for row in store::allocations_unfunded(self.db.reader(), 200).await? {
            match self.deps.balance.runway_release(row.id).await {
                Ok(()) => {
                    let mut tx = self.db.begin().await?;
                    store::funding_released_set_in_tx(&mut tx, row.id, now).await?;
                    tx.commit().await?;
                    handled += 1;
                }
                Err(err) => {
                    tracing::warn!(allocation_id = %row.id, error = %err, "runway release failed; retried next pass");
                }
            }
        }
        Ok(handled)
    }

    /// Writes the allocation's state as read off its nodes, with a history line and, when it
    /// has ended, `allocation.ended`.
    async fn settle_in_tx(
        &self,
        tx: &mut Tx,
        row: &AllocationRow,
        mut change: AllocationChange,
        why: &str,
        now: Timestamp,
    ) -> std::result::Result<(), DbError> {
        let nodes = store::allocation_nodes(&mut **tx, row.id).await?;
        let phases: Vec<NodePhase> = nodes.iter().map(|n| n.phase).collect();
        change.state = allocation_state_of(&phases, change.ending, change.failed);
        let moved = change.state != row.state;
        if moved || change != AllocationChange::of(row) {
            store::allocation_update_in_tx(tx, row.id, &change, now).await?;
        }
        if moved {
            store::history_append_in_tx(tx, row.id, change.state, why, now).await?;
            let changed = AllocationStateChanged {
                allocation_id: row.id,
                tenant_id: row.tenant_id,
                state: change.state,
                reason: why.to_string(),
                at: now,
            };
            emit(tx, &changed, now).await?;
            if change.state.is_final() {
                let ended = AllocationEnded {
                    allocation_id: row.id,
                    tenant_id: row.tenant_id,
                    state: change.state,
                    reason: change.reason.clone().unwrap_or_else(|| why.to_string()),
                    at: now,
                };
                emit(tx, &ended, now).await?;
            }
        }
        Ok(())
    }

    /// The node row of `node_id` in the locked allocation, if it belongs to it.
    async fn node_of(
        &self,
        tx: &mut Tx,
        allocation_id: AllocationId,
        node_id: NodeId,
    ) -> std::result::Result<Option<(AllocationRow, NodeRow)>, DbError> {
        let Some(row) = store::allocation_lock_in_tx(tx, allocation_id).await? else {
            return Ok(None);
        };
        let node = store::allocation_nodes(&mut **tx, allocation_id)
            .await?
            .into_iter()
            .find(|n| n.node_id == node_id);
        Ok(node.map(|n| (row, n)))
    }

    async fn node_deployed_in_tx(
        &self,
        tx: &mut Tx,
        report: &NodeDeployed,
        now: Timestamp,
    ) -> std::result::Result<(), DbError> {
        let Some((row, mut node)) = self.node_of(tx, report.allocation_id, report.node_id).await? else {
            return Ok(());
        };
        let Some(phase) = node_transition(node.phase, NodeEvent::Deployed) else {
            return Ok(());
        };
        node.phase = phase;
        node.ip_addresses = report.ip_addresses.clone();
        node.deploy_started_at = Some(report.deploy_started_at);
        node.deployed_at = Some(report.deployed_at);
        node.metering_started_at = Some(report.deployed_at);
        store::node_update_in_tx(tx, &node, now).await?;
        let started = NodeMeteringStarted {
            allocation_id: row.id,
            tenant_id: row.tenant_id,
            node_id: node.node_id,
            sku_id: row.sku_id,
            site_id: row.site_id,
            at: report.deployed_at,
        };
        emit(tx, &started, now).await?;
        self.settle_in_tx(tx, &row, AllocationChange::of(&row), "every node deployed", now)
            .await
    }

    async fn node_failed_in_tx(
        &self,
        tx: &mut Tx,
        report: &NodeDeployFailed,
        now: Timestamp,
    ) -> std::result::Result<(), DbError> {
        let Some((row, mut node)) = self.node_of(tx, report.allocation_id, report.node_id).await? else {
            return Ok(());
        };
        if node_transition(node.phase, NodeEvent::DeployFailed).is_none() {
            return Ok(());
        }
        // Failed, then given back at once: it is not clean until its release completes.
        node.phase = NodePhase::Releasing;
        node.reason = Some(format!("deploy failed: {}", report.reason));
        store::node_update_in_tx(tx, &node, now).await?;
        let release = NodeReleaseRequested {
            allocation_id: row.id,
            tenant_id: row.tenant_id,
            node_id: node.node_id,
            reason: "deploy failed".into(),
        };
        emit(tx, &release, now).await?;

        let mut change = AllocationChange::of(&row);
        if row.ending || row.failed {
            return self
                .settle_in_tx(tx, &row, change, "a node failed while ending", now)
                .await;
        }
        if row.replacements < self.config.replacements_max
            && let Some(replacement) = self.replacement_assign_in_tx(tx, &row, now).await?
        {
            change.replacements += 1;
            store::history_append_in_tx(
                tx,
                row.id,
                row.state,
                &format!(
                    "node {} failed to deploy ({}); replaced by {replacement}",
                    node.node_id, report.reason
                ),
                now,
            )
            .await?;
            return self
                .settle_in_tx(tx, &row, change, "replacement deploying", now)
                .await;
        }
        // Given up: everything it holds goes back, nothing more is billed.
        change.failed = true;
        change.reason = Some(format!(
            "node {} failed to deploy ({}) and {} replacement(s) were used or none is available",
            node.node_id, report.reason, row.replacements
        ));
        self.nodes_release_in_tx(tx, &row, "allocation failed", now)
            .await?;
        self.settle_in_tx(tx, &row, change, "failed", now).await
    }

    /// Binds a spare node to the allocation in place of a failed one and asks for its deploy.
    /// `None`: no spare node (of the SKU, at the site, within the placement) is free.
    async fn replacement_assign_in_tx(
        &self,
        tx: &mut Tx,
        row: &AllocationRow,
        now: Timestamp,
    ) -> std::result::Result<Option<NodeId>, DbError> {
        let sample = match row.placement {
            ingot_contracts::allocation::PlacementPolicy::Any => Some(32),
            ingot_contracts::allocation::PlacementPolicy::SameFabric => None,
        };
        let eligible = match self
            .deps
            .inventory
            .eligible_nodes(row.sku_id, row.site_id, sample)
            .await
        {
            Ok(eligible) => eligible,
            Err(err) => {
                // Not "no spare node": the whole batch is retried next pass rather than failing a
                // healthy allocation for a passing outage.
                tracing::warn!(allocation_id = %row.id, error = %err, "the inventory did not answer; retried next pass");
                return Err(DbError::Sqlx(sqlx::Error::Protocol(
                    "the inventory did not answer".into(),
                )));
            }
        };
        let nodes = store::allocation_nodes(&mut **tx, row.id).await?;
        // Nodes serving other allocations are refused by the database, one by one, below.
        let excluded: HashSet<NodeId> = nodes.iter().map(|n| n.node_id).collect();
        // Under `same_fabric` the replacement must share the group of the nodes still serving.
        let group: Option<Option<String>> = match row.placement {
            ingot_contracts::allocation::PlacementPolicy::Any => None,
            ingot_contracts::allocation::PlacementPolicy::SameFabric => Some(
                nodes
                    .iter()
                    .find(|n| matches!(n.phase, NodePhase::Deploying | NodePhase::Active))
                    .and_then(|n| n.fabric_group.clone()),
            ),
        };
        for eligible in eligible.iter().filter(|e| !excluded.contains(&e.node_id)) {
            match &group {
                // The group of the nodes still serving, or (none left) any group.
                Some(Some(group)) if eligible.fabric_group.as_ref() != Some(group) => continue,
                Some(_) if eligible.fabric_group.is_none() => continue,
                _ => {}
            }
            let candidate = crate::model::Candidate::from(eligible);
            match store::node_assign_in_tx(tx, row.id, &candidate, now).await {
                Ok(()) => {
                    self.deploy_request_in_tx(
                        tx,
                        &super::admission::DeployOrder::of_row(row),
                        candidate.node_id,
                        now,
                    )
                    .await?;
                    return Ok(Some(candidate.node_id));
                }
                Err(store::AssignError::Taken(_)) => continue,
                Err(store::AssignError::Db(err)) => return Err(err),
            }
        }
        Ok(None)
    }

    async fn node_released_in_tx(
        &self,
        tx: &mut Tx,
        report: &NodeReleaseCompleted,
        now: Timestamp,
    ) -> std::result::Result<(), DbError> {
        let Some((row, mut node)) = self.node_of(tx, report.allocation_id, report.node_id).await? else {
            return Ok(());
        };
        let Some(phase) = node_transition(node.phase, NodeEvent::ReleaseCompleted) else {
            return Ok(());
        };
        node.phase = phase;
        node.released_at = Some(report.at);
        store::node_update_in_tx(tx, &node, now).await?;
        let erase = ingot_kernel::db::column::enum_to_text(&report.erase);
        store::erasure_record_in_tx(tx, node.node_id, &erase, report.at).await?;
        let released = NodeReleased {
            allocation_id: row.id,
            tenant_id: row.tenant_id,
            node_id: node.node_id,
            at: Some(report.at),
        };
        emit(tx, &released, now).await?;
        let why = if row.failed {
            "failed; every node given back"
        } else {
            "every node given back"
        };
        self.settle_in_tx(tx, &row, AllocationChange::of(&row), why, now)
            .await
    }

    /// Asks for every node still held to be given back; metering stops now for active ones.
    async fn nodes_release_in_tx(
        &self,
        tx: &mut Tx,
        row: &AllocationRow,
        reason: &str,
        now: Timestamp,
    ) -> std::result::Result<(), DbError> {
        for mut node in store::allocation_nodes(&mut **tx, row.id).await? {
            let was = node.phase;
            let Some(phase) = node_transition(was, NodeEvent::ReleaseRequested) else {
                continue;
            };
            node.phase = phase;
            if was == NodePhase::Active {
                node.metering_stopped_at = Some(now);
                let stopped = NodeMeteringStopped {
                    allocation_id: row.id,
                    tenant_id: row.tenant_id,
                    node_id: node.node_id,
                    at: now,
                    reason: reason.to_string(),
                };
                emit(tx, &stopped, now).await?;
            }
            store::node_update_in_tx(tx, &node, now).await?;
            let release = NodeReleaseRequested {
                allocation_id: row.id,
                tenant_id: row.tenant_id,
                node_id: node.node_id,
                reason: reason.to_string(),
            };
            emit(tx, &release, now).await?;
        }
        Ok(())
    }

    /// Ends the allocation: `false` when it had already ended or was ending (nothing changes).
    async fn end_in_tx(
        &self,
        tx: &mut Tx,
        allocation_id: AllocationId,
        end: &EndRequest<'_>,
        now: Timestamp,
    ) -> std::result::Result<bool, DbError> {
        let Some(row) = store::allocation_lock_in_tx(tx, allocation_id).await? else {
            return Ok(false);
        };
        if row.ending || row.failed || row.state.is_final() {
            return Ok(false);
        }
        if let Some(due) = end.only_if_due
            && row.release_at.is_none_or(|at| at > due)
        {
            return Ok(false);
        }
        self.nodes_release_in_tx(tx, &row, &end.reason, now).await?;
        let mut change = AllocationChange::of(&row);
        change.ending = true;
        change.reason = Some(end.reason.clone());
        self.settle_in_tx(tx, &row, change, &end.reason, now).await?;
        let entry = AuditEntry {
            action: end.audit_action,
            target: allocation_id.to_string(),
            details: serde_json::json!({"reason": end.reason, "tenant_id": row.tenant_id}),
        };
        self.deps.audit.audit_in_tx(tx, end.actor, entry).await?;
        Ok(true)
    }

    async fn end_by(&self, allocation_id: AllocationId, end: EndRequest<'_>) -> Result<AllocationView> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await.map_err(internal)?;
        let ended = self
            .end_in_tx(&mut tx, allocation_id, &end, now)
            .await
            .map_err(internal)?;
        if !ended {
            return Err(AllocationError::Ended);
        }
        tx.commit().await.map_err(internal)?;
        let row = store::allocation_get(self.db.reader(), allocation_id)
            .await
            .map_err(internal)?
            .ok_or(AllocationError::NotFound("allocation"))?;
        self.view(row).await
    }

    pub(super) async fn release(
        &self,
        actor: &Actor,
        allocation_id: AllocationId,
        request: ReleaseRequest,
    ) -> Result<AllocationView> {
        self.allocation_authorize(actor, allocation_id, Action::AllocationManage)
            .await?;
        let reason = reason_check(request.reason.as_deref().unwrap_or("released by the tenant"))?;
        self.end_by(
            allocation_id,
            EndRequest {
                actor,
                audit_action: "allocation.release",
                reason,
                only_if_due: None,
            },
        )
        .await
    }

    pub(super) async fn force_release(
        &self,
        actor: &Actor,
        allocation_id: AllocationId,
        request: ForceReleaseRequest,
    ) -> Result<AllocationView> {
        self.deps
            .authorizer
            .allow(actor, Action::AllocationForceRelease, Resource::Platform)?;
        let reason = reason_check(&request.reason)?;
        store::allocation_get(self.db.reader(), allocation_id)
            .await
            .map_err(internal)?
            .ok_or(AllocationError::NotFound("allocation"))?;
        self.end_by(
            allocation_id,
            EndRequest {
                actor,
                audit_action: "allocation.force_release",
                reason: format!("force-released by an operator: {reason}"),
                only_if_due: None,
            },
        )
        .await
    }

    pub(super) async fn extend(
        &self,
        actor: &Actor,
        allocation_id: AllocationId,
        request: ExtendRequest,
    ) -> Result<AllocationView> {
        self.allocation_authorize(actor, allocation_id, Action::AllocationManage)
            .await?;
        let now = self.clock.now();
        if let Some(at) = request.release_at
            && at <= now
        {
            return Err(AllocationError::Invalid(vec![(
                "release_at".into(),
                "must be in the future".into(),
            )]));
        }
        let mut tx = self.db.begin().await.map_err(internal)?;
        let row = store::allocation_lock_in_tx(&mut tx, allocation_id)
            .await
            .map_err(internal)?
            .ok_or(AllocationError::NotFound("allocation"))?;
        if row.ending || row.failed || row.state.is_final() {
            return Err(AllocationError::Ended);
        }
        let mut change = AllocationChange::of(&row);
        change.release_at = request.release_at;
        store::allocation_update_in_tx(&mut tx, allocation_id, &change, now)
            .await
            .map_err(internal)?;
        let entry = AuditEntry {
            action: "allocation.extend",
            target: allocation_id.to_string(),
            details: serde_json::json!({"from": row.release_at, "to": request.release_at}),
        };
        self.deps
            .audit
            .audit_in_tx(&mut tx, actor, entry)
            .await
            .map_err(internal)?;
        tx.commit().await.map_err(internal)?;
        let row = store::allocation_get(self.db.reader(), allocation_id)
            .await
            .map_err(internal)?
            .ok_or(AllocationError::NotFound("allocation"))?;
        self.view(row).await
    }
}

fn reason_check(reason: &str) -> Result<String> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > REASON_CHARS_MAX {
        return Err(AllocationError::Invalid(vec![(
            "reason".into(),
            format!("1 to {REASON_CHARS_MAX} characters"),
        )]));
    }
    Ok(reason.to_string())
}

/// Inventory's call when an operator forces maintenance on an assigned node: the allocation it
/// serves is ended (its nodes released, metering stopped), audited with the operator's reason.
impl NodeEvacuation for AllocationService {
    fn node_evacuate<'a>(
        &'a self,
        node_id: NodeId,
        reason: &'a str,
    ) -> ingot_contracts::BoxFuture<'a, std::result::Result<(), EvacuationError>> {
        Box::pin(async move {
            let Some(allocation_id) = store::node_live_allocation(self.db.reader(), node_id)
                .await
                .map_err(|_| EvacuationError::Unavailable)?
            else {
                return Ok(());
            };
            let now = self.clock.now();
            let mut tx = self.db.begin().await.map_err(|_| EvacuationError::Unavailable)?;
            let end = EndRequest {
                actor: &Actor::anonymous(),
                audit_action: "allocation.force_release.node_maintenance",
                reason: format!("node {node_id} taken for maintenance: {reason}"),
                only_if_due: None,
            };
            self.end_in_tx(&mut tx, allocation_id, &end, now)
                .await
                .map_err(|_| EvacuationError::Unavailable)?;
            tx.commit().await.map_err(|_| EvacuationError::Unavailable)?;
            Ok(())
        })
    }
}
