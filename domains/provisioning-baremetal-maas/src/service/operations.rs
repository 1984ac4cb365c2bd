//! Operators' node workflows: reimage (drain, secure erase, re-commission, return to service) and
//! decommission (drain, secure erase, remove or tag in MAAS per policy, retire in Inventory).
//! The drain happens in the request, through Inventory's own rules, so an assigned node is
//! refused at once; the rest is driven pass by pass (`model::operation_step`).

use ingot_contracts::iam::{Action, Actor, AuditEntry, Resource};
use ingot_contracts::inventory::{InventoryError, MaintenanceRequest, NodeCommand, NodeState};
use ingot_contracts::maas::{DecommissionMode, MaasError, NodeOperationRequest, NodeOperationView};
use ingot_kernel::db::DbError;
use ingot_kernel::id::NodeId;

use super::deployments::DriveError;
use super::{MaasService, internal};
use crate::client::{Erase, ReleaseParams};
use crate::model::{self, OpKind, OpPhase, OpStep};
use crate::store::{self, OperationRow};

const RETIRED_TAG: &str = "retired";

fn inventory_error(err: InventoryError) -> MaasError {
    match err {
        InventoryError::Denied(reason) => MaasError::Denied(reason),
        InventoryError::NotFound(what) => MaasError::NotFound(what),
        InventoryError::NodeAssigned => MaasError::NodeAssigned,
        InventoryError::Conflict(why) => MaasError::Conflict(why),
        other => MaasError::Upstream(format!("inventory: {other}")),
    }
}

fn view(op: &OperationRow) -> NodeOperationView {
    NodeOperationView {
        id: op.id.clone(),
        node_id: op.node_id,
        kind: ingot_kernel::db::column::enum_to_text(&op.kind),
        phase: ingot_kernel::db::column::enum_to_text(&op.phase),
        reason: op.reason.clone(),
        started_at: op.started_at,
        finished_at: op.finished_at,
        message: op.message.clone(),
    }
}

impl MaasService {
    pub(super) async fn operation_begin(
        &self,
        actor: &Actor,
        node_id: NodeId,
        kind: OpKind,
        request: NodeOperationRequest,
    ) -> Result<NodeOperationView, MaasError> {
        self.authorizer
            .allow(actor, Action::NodeOperate, Resource::Platform)?;
        let reason = request.reason.trim().to_string();
        if reason.is_empty() || reason.len() > 500 {
            return Err(MaasError::invalid("reason", "1 to 500 characters"));
        }
        let machine = store::machine_of_node(self.db.reader(), node_id)
            .await
            .map_err(internal)?
            .ok_or(MaasError::NotFound("node among the machines of bound sites"))?;
        if store::deployment_live_of_node(self.db.reader(), node_id)
            .await
            .map_err(internal)?
        {
            return Err(MaasError::NodeAssigned);
        }
        if store::operations_open(self.db.reader())
            .await
            .map_err(internal)?
            .iter()
            .any(|op| op.node_id == node_id)
        {
            return Err(MaasError::Conflict(
                "an operation is already running on this node".into(),
            ));
        }
        // Drain: out of service through Inventory, which refuses an assigned node.
        let node = self
            .inventory
            .node_get(actor, node_id)
            .await
            .map_err(inventory_error)?;
        match node.state {
            NodeState::Available | NodeState::Onboarding => {
                let drain = MaintenanceRequest {
                    enabled: true,
                    reason: Some(format!(
                        "{}: {reason}",
                        ingot_kernel::db::column::enum_to_text(&kind)
                    )),
                    force: false,
                };
                self.inventory
                    .node_maintenance(actor, node_id, drain)
                    .await
                    .map_err(inventory_error)?;
            }
            NodeState::Maintenance | NodeState::Quarantined => {}
            // A decommission whose request died after Inventory took the node but before the
            // operation was recorded: this one carries it on.
            NodeState::Decommissioning if kind == OpKind::Decommission => {}
            NodeState::Decommissioning | NodeState::Retired => {
                return Err(MaasError::Conflict("the node is decommissioned already".into()));
            }
        }
        if kind == OpKind::Decommission && node.state != NodeState::Decommissioning {
            self.registry
                .node_command(node_id, NodeCommand::Decommission, reason.clone())
                .await
                .map_err(inventory_error)?;
        }
        let now = self.clock.now();
        let op = OperationRow {
            id: ingot_kernel::id::new_ulid().to_string(),
            node_id,
            kind,
            phase: OpPhase::Erasing,
            site_id: machine.site_id,
            system_id: machine.system_id.clone(),
            reason: reason.clone(),
            started_at: now,
            commission_requested_at: None,
            finished_at: None,
            message: None,
            erase_event_mark: None,
        };
        let mut tx = self.db.begin().await.map_err(internal)?;
        let running = || MaasError::Conflict("an operation is already running on this node".into());
        match store::operation_start_in_tx(&mut tx, &op).await {
            Ok(true) => {}
            Ok(false) => return Err(running()),
            // Two requests at once: the open-operation index lets one in.
            Err(err) if err.is_unique_violation() => return Err(running()),
            Err(err) => return Err(internal(err)),
        }
        let entry = AuditEntry {
            action: match kind {
                OpKind::Reimage => "maas.node.reimage",
                OpKind::Decommission => "maas.node.decommission",
            },
            target: node_id.to_string(),
            details: serde_json::json!({"reason": reason, "machine": machine.system_id, "site_id": machine.site_id}),
        };
        self.audit
            .audit_in_tx(&mut tx, actor, entry)
            .await
            .map_err(internal)?;
        tx.commit().await.map_err(internal)?;
        tracing::info!(%node_id, kind = ?kind, machine = %machine.system_id, "node operation started");
        Ok(view(&op))
    }

    /// One pass over every open operation.
    pub async fn operations_drive(&self) -> Result<usize, DbError> {
        let mut acted = 0;
        for op in store::operations_open(self.db.reader()).await? {
            match self.operation_drive(&op).await {
                Ok(true) => acted += 1,
                Ok(false) => {}
                Err(DriveError::Db(err)) => return Err(err),
                Err(err) => {
                    tracing::warn!(node_id = %op.node_id, error = %err, "node operation step failed; retried next pass")
                }
            }
        }
        Ok(acted)
    }

    async fn operation_drive(&self, op: &OperationRow) -> Result<bool, DriveError> {
        let binding = self
            .binding_load(op.site_id)
            .await
            .map_err(|err| DriveError::Other(err.to_string()))?;
        let system_id = op.system_id.as_str();
        // Operator work on machines advances only inside the site's maintenance window (what
        // MAAS has begun, such as an erase, runs on in the region meanwhile).
        if !model::window_open(binding.policy.maintenance_window.as_ref(), self.clock.now()) {
            return Ok(false);
        }
        let machine = match binding.client.machine(system_id).await {
            Ok(machine) => Some(machine),
            Err(err) if err.is_not_found() => None,
            Err(err) => return Err(err.into()),
        };
        // Only an erase MAAS logged after this operation marked the machine's event log counts
        // (event ids, not either side's clock).
        let erased = match (&machine, op.phase, op.erase_event_mark) {
            (Some(_), OpPhase::Erasing, Some(mark)) => self.erased_since(&binding, system_id, mark).await?,
            _ => false,
        };
        let step = model::operation_step(
            op.kind,
            op.phase,
            machine.as_ref().map(|m| (m.status, m.status_name.as_str())),
            erased,
            op.commission_requested_at.is_some(),
        );
        let secure = ReleaseParams {
            erase: Erase::Secure,
            comment: Some(format!(
                "ingot {}: {}",
                ingot_kernel::db::column::enum_to_text(&op.kind),
                op.reason
            )),
        };
        match step {
            OpStep::EraseFromReady => {
                self.operation_erase_mark(&binding, op).await?;
                self.erase_from_ready(&binding, system_id, &format!("ingot-op:{}", op.id), &secure)
                    .await
            }
            OpStep::Erase => {
                self.operation_erase_mark(&binding, op).await?;
                if machine.as_ref().is_some_and(|m| m.locked) {
                    let _ = binding.client.unlock(system_id, "ingot node operation").await;
                }
                binding.client.release(system_id, &secure).await?;
                Ok(true)
            }
            OpStep::Wait => Ok(false),
            OpStep::Next(phase) => self.operation_advance(op, phase, None).await,
            OpStep::Commission => {
                binding.client.commission(system_id).await?;
                let mut tx = self.db.begin().await?;
                store::operation_commission_requested_in_tx(&mut tx, &op.id, self.clock.now()).await?;
                tx.commit().await.map_err(DbError::from)?;
                Ok(true)
            }
            OpStep::Return => {
                let Some(machine) = machine else {
                    return Ok(false);
                };
                let devices = binding.client.devices(system_id).await?;
                let registration = model::registration(op.site_id, &machine, &devices);
                self.registry
                    .node_register(registration)
                    .await
                    .map_err(|err| DriveError::Other(format!("inventory: {err}")))?;
                let back = self
                    .registry
                    .node_command(op.node_id, NodeCommand::MaintenanceEnd, "reimaged".into())
                    .await;
                let note = match back {
                    Ok(_) => None,
                    // Drained from quarantine rather than maintenance.
                    Err(_) => match self
                        .registry
                        .node_command(op.node_id, NodeCommand::QuarantineRelease, "reimaged".into())
                        .await
                    {
                        Ok(_) => None,
                        // Moved by someone meanwhile: the machine is reimaged; its state is theirs.
                        Err(err) => Some(format!("reimaged; the node's state was left as it was: {err}")),
                    },
                };
                self.operation_advance(op, OpPhase::Done, note.as_deref()).await
            }
            OpStep::Remove => {
                if machine.is_some() {
                    match binding.policy.decommission {
                        DecommissionMode::Remove => match binding.client.delete(system_id).await {
                            Ok(()) => {}
                            Err(err) if err.is_not_found() => {}
                            Err(err) => return Err(err.into()),
                        },
                        DecommissionMode::Tag => {
                            match binding.client.tag_create(RETIRED_TAG, "retired by ingot").await {
                                Ok(_) => {}
                                // It exists already.
                                Err(err) if err.status() == Some(400) => {}
                                Err(err) => return Err(err.into()),
                            }
                            binding
                                .client
                                .tag_machines(RETIRED_TAG, &[system_id], &[])
                                .await?;
                        }
                    }
                }
                self.registry
                    .node_command(op.node_id, NodeCommand::DecommissionComplete, op.reason.clone())
                    .await
                    .map_err(|err| DriveError::Other(format!("inventory: {err}")))?;
                self.operation_advance(op, OpPhase::Done, None).await
            }
            OpStep::Fail(why) => {
                tracing::warn!(node_id = %op.node_id, %why, "node operation failed");
                self.operation_advance(op, OpPhase::Failed, Some(&why)).await
            }
        }
    }

    async fn operation_erase_mark(
        &self,
        binding: &super::Binding,
        op: &OperationRow,
    ) -> Result<(), DriveError> {
        let mark = self.event_mark(binding, &op.system_id).await?;
        let mut tx = self.db.begin().await?;
        store::operation_erase_mark_in_tx(&mut tx, &op.id, mark).await?;
        tx.commit().await.map_err(DbError::from)?;
        Ok(())
    }

    async fn operation_advance(
        &self,
        op: &OperationRow,
        to: OpPhase,
        message: Option<&str>,
    ) -> Result<bool, DriveError> {
        let mut tx = self.db.begin().await?;
        let moved = store::operation_advance_in_tx(&mut tx, op, to, message, self.clock.now()).await?;
        tx.commit().await.map_err(DbError::from)?;
        Ok(moved)
    }

    /// An operation as it stands.
    pub async fn operation_get(&self, id: &str) -> Result<Option<NodeOperationView>, DbError> {
        Ok(store::operation_get(self.db.reader(), id)
            .await?
            .as_ref()
            .map(view))
    }
}
