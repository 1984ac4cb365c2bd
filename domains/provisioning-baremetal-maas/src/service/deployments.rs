//! Deploy and release, driven by Allocation's requests: each node's deployment is a row whose
//! next step is decided from what Allocation wants, how far we got and what MAAS says now
//! (`model::deployment_step`), so a pass repeated after a crash continues where the machine is,
//! never deploys a machine twice, and never loses a release.

use ingot_contracts::allocation::{NodeDeployRequested, NodeReleaseRequested, user_data_seal_context};
use ingot_contracts::maas::{NodeDeployFailed, NodeDeployed, NodeReleaseCompleted};
use ingot_kernel::Timestamp;
use ingot_kernel::db::DbError;
use ingot_kernel::event::DomainEvent;
use ingot_kernel::id::AllocationId;

use super::{Binding, MaasService};
use ingot_kernel::db::column::{enum_from_text, enum_to_text};

use crate::client::{self, DeployParams, ReleaseParams, wire};
use crate::model::{self, Desired, Observed, Phase, Step};
use crate::store::{self, DeploymentChange, DeploymentRow};

/// The annotation that names the allocation a machine serves, so drift can be traced.
pub const ALLOCATION_ANNOTATION: &str = "ingot_allocation";

const CONSUMER: &str = "maas.provisioning_requests";

/// What went wrong driving one deployment; the pass goes on with the next.
#[derive(Debug, thiserror::Error)]
pub enum DriveError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("MAAS: {0}")]
    Maas(#[from] client::MaasError),
    #[error("{0}")]
    Other(String),
}

impl MaasService {
    /// Reads Allocation's deploy and release requests behind this domain's outbox cursor into
    /// deployment rows, cursor and rows in one transaction. Returns how many events were read.
    pub async fn requests_follow(&self, batch_max: i64) -> Result<usize, DbError> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let batch =
            ingot_kernel::outbox::batch_fetch_in_tx(&self.db, &mut tx, CONSUMER, batch_max, now).await?;
        for event in &batch.events {
            let unreadable = |err: serde_json::Error| {
                tracing::error!(event_id = %event.id, event_type = %event.event_type, error = %err, "unreadable event skipped");
            };
            match event.event_type.as_str() {
                NodeDeployRequested::EVENT_TYPE => {
                    match serde_json::from_value::<NodeDeployRequested>(event.payload.clone()) {
                        Ok(request) => {
                            let row = DeploymentRow {
                                allocation_id: request.allocation_id,
                                node_id: request.node_id,
                                tenant_id: request.tenant_id,
                                image: request.image,
                                ssh_keys: request.ssh_keys,
                                user_data_sealed: request.user_data_sealed,
                                desired: Desired::Deployed,
                                phase: Phase::Requested,
                                deploy_started_at: None,
                                deployed_at: None,
                                message: None,
                                release_event_mark: None,
                                release_erase: None,
                            };
                            store::deployment_request_in_tx(&mut tx, &row, now).await?;
                        }
                        Err(err) => unreadable(err),
                    }
                }
                NodeReleaseRequested::EVENT_TYPE => {
                    match serde_json::from_value::<NodeReleaseRequested>(event.payload.clone()) {
                        Ok(request) => {
                            store::deployment_release_in_tx(
                                &mut tx,
                                request.allocation_id,
                                request.node_id,
                                request.tenant_id,
                                now,
                            )
                            .await?;
                        }
                        Err(err) => unreadable(err),
                    }
                }
                _ => {}
            }
        }
        if let Some(last) = batch.last {
            ingot_kernel::outbox::cursor_advance_in_tx(&mut tx, CONSUMER, last, now).await?;
        }
        tx.commit().await?;
        Ok(batch.events.len())
    }

    /// One pass over every deployment with work left. Returns how many steps were taken.
    pub async fn deployments_drive(&self) -> Result<usize, DbError> {
        let mut acted = 0;
        for row in store::deployments_open(self.db.reader(), 500).await? {
            match self.deployment_drive(&row).await {
                Ok(true) => acted += 1,
                Ok(false) => {}
                Err(DriveError::Db(err)) => return Err(err),
                Err(err) => tracing::warn!(
                    allocation_id = %row.allocation_id, node_id = %row.node_id, error = %err,
                    "deployment step failed; it is retried next pass"
                ),
            }
        }
        Ok(acted)
    }

    /// Takes the next step of one deployment; `true` when something changed.
    #[tracing::instrument(name = "maas.deployment_drive", skip_all, fields(allocation_id = %row.allocation_id, node_id = %row.node_id))]
    pub async fn deployment_drive(&self, row: &DeploymentRow) -> Result<bool, DriveError> {
        let Some(machine_row) = store::machine_of_node(self.db.reader(), row.node_id).await? else {
            // Not a machine of a bound site: nothing was ever sent anywhere.
            return match (row.desired, row.phase) {
                (Desired::Released, _) => self.report_released(row, None).await,
                (Desired::Deployed, Phase::Failed) => Ok(false),
                (Desired::Deployed, _) => {
                    self.report_failed(row, "the node is not a machine of a bound site".into())
                        .await
                }
            };
        };
        let binding = self
            .binding_load(machine_row.site_id)
            .await
            .map_err(|err| DriveError::Other(err.to_string()))?;
        let system_id = machine_row.system_id.as_str();
        let machine = match binding.client.machine(system_id).await {
            Ok(machine) => Some(machine),
            Err(err) if err.is_not_found() => None,
            Err(err) => return Err(err.into()),
        };
        let ours = match &machine {
            Some(m) => self.is_ours(&binding, m, row.allocation_id).await?,
            None => false,
        };
        let observed = machine.as_ref().map(|m| Observed {
            status: m.status,
            status_name: &m.status_name,
            ours,
        });
        let step = model::deployment_step(row.desired, row.phase, observed);
        tracing::debug!(allocation_id = %row.allocation_id, node_id = %row.node_id, ?step, "deployment step");
        match step {
            Step::AllocateAndDeploy | Step::Deploy => {
                if !binding.policy.allowed_images.contains(&row.image) {
                    let reason = format!("the image {} is not allowed at this site", row.image);
                    return self.report_failed(row, reason).await;
                }
                let in_flight = store::deployments_in_flight(self.db.reader(), machine_row.site_id).await?;
                if in_flight >= binding.policy.max_concurrent_deploys {
                    return Ok(false);
                }
                if step == Step::AllocateAndDeploy {
                    let allocated = binding
                        .client
                        .allocate(&client::AllocateParams {
                            system_id: Some(system_id.to_string()),
                            agent_name: Some(row.allocation_id.to_string()),
                            comment: Some(format!("ingot allocation {}", row.allocation_id)),
                            ..client::AllocateParams::default()
                        })
                        .await;
                    match allocated {
                        Ok(_) => {}
                        Err(err) if err.is_conflict() => {
                            // Another pass (a second replica) may have allocated it for this very
                            // allocation meanwhile: only someone else's allocation is a failure.
                            let now_ours = match binding.client.machine(system_id).await {
                                Ok(m) => self.is_ours(&binding, &m, row.allocation_id).await?,
                                Err(_) => false,
                            };
                            if !now_ours {
                                return self
                                    .report_failed(row, format!("the machine could not be allocated: {err}"))
                                    .await;
                            }
                        }
                        Err(err) => return Err(err.into()),
                    }
                }
                match self.deploy_send(&binding, system_id, row).await {
                    Ok(()) => {}
                    // MAAS refused the deployment itself (an image it lacks, a missing network):
                    // retrying will not help. A 409 means another pass got there first.
                    Err(DriveError::Maas(err)) if matches!(err.status(), Some(400 | 403 | 404)) => {
                        return self
                            .report_failed(row, format!("MAAS refused the deployment: {err}"))
                            .await;
                    }
                    Err(DriveError::Maas(err)) if err.is_conflict() => return Ok(false),
                    Err(err) => return Err(err),
                }
                let change = DeploymentChange {
                    deploy_started_at: Some(self.clock.now()),
                    ..DeploymentChange::default()
                };
                self.advance(row, Phase::Deploying, &change, None).await
            }
            Step::Wait(Some(phase)) if phase != row.phase => {
                self.advance(row, phase, &DeploymentChange::default(), None).await
            }
            Step::Wait(_) | Step::Idle => Ok(false),
            Step::ReportDeployed => {
                let Some(machine) = machine else {
                    return Ok(false);
                };
                // MAAS's clock is not ours: its time is kept only within [deploy sent, now].
                let now = self.clock.now();
                let started = row.deploy_started_at.unwrap_or(now);
                let deployed_at = self.deployed_at(&binding, system_id).await?.max(started).min(now);
                let event = NodeDeployed {
                    allocation_id: row.allocation_id,
                    tenant_id: row.tenant_id,
                    node_id: row.node_id,
                    image: row.image.clone(),
                    ip_addresses: machine.ip_addresses.clone(),
                    deploy_started_at: started,
                    deployed_at,
                };
                let change = DeploymentChange {
                    deploy_started_at: Some(started),
                    deployed_at: Some(deployed_at),
                    ip_addresses: Some(machine.ip_addresses.clone()),
                    ..DeploymentChange::default()
                };
                self.advance(
                    row,
                    Phase::Deployed,
                    &change,
                    Some(event.to_envelope(self.clock.now())),
                )
                .await
            }
            Step::ReportFailed(reason) => self.report_failed(row, reason).await,
            Step::Release => {
                // What MAAS logs after this point proves the erase.
                let mark = self.event_mark(&binding, system_id).await?;
                let erase = enum_to_text(&binding.policy.erase_on_release);
                let mut tx = self.db.begin().await?;
                store::deployment_release_mark_in_tx(&mut tx, row.allocation_id, row.node_id, mark, &erase)
                    .await?;
                tx.commit().await.map_err(DbError::from)?;
                if machine.as_ref().is_some_and(|m| m.locked) {
                    match binding.client.unlock(system_id, "ingot release").await {
                        Ok(_) => {}
                        Err(err) if err.is_conflict() => {}
                        Err(err) => return Err(err.into()),
                    }
                }
                let params = ReleaseParams {
                    erase: binding.policy.erase_on_release.into(),
                    comment: Some(format!("ingot allocation {} released", row.allocation_id)),
                };
                binding.client.release(system_id, &params).await?;
                self.advance(row, Phase::Releasing, &DeploymentChange::default(), None)
                    .await
            }
            Step::ReportReleased => {
                // A machine this domain had (it got past `requested`) is clean only when MAAS
                // logged its erase after our release; a release by hand without one is erased now.
                let erase = row
                    .release_erase
                    .as_deref()
                    .and_then(|e| enum_from_text(e, "erase mode").ok())
                    .unwrap_or(binding.policy.erase_on_release);
                let had_it = row.phase != Phase::Requested && machine.is_some();
                if had_it && erase != ingot_contracts::maas::EraseMode::None {
                    let proven = match row.release_event_mark {
                        Some(mark) => self.erased_since(&binding, system_id, mark).await?,
                        None => false,
                    };
                    if !proven {
                        return self.erase_again(&binding, system_id, row).await;
                    }
                }
                if row.desired == Desired::Deployed {
                    // A failed deployment's machine is clean again; Allocation's release request
                    // for it is what reports the node free.
                    return Ok(false);
                }
                self.report_released(row, Some(erase)).await
            }
            Step::Blocked(why) => {
                if row.message.as_deref() != Some(why.as_str()) {
                    tracing::warn!(allocation_id = %row.allocation_id, node_id = %row.node_id, %why, "deployment blocked");
                    let change = DeploymentChange {
                        message: Some(why),
                        ..DeploymentChange::default()
                    };
                    return self.advance(row, row.phase, &change, None).await;
                }
                Ok(false)
            }
        }
    }

    /// Whether the machine serves this allocation: annotated with it, or (after a crash between
    /// allocating and annotating) allocated under its agent name.
    async fn is_ours(
        &self,
        binding: &Binding,
        machine: &wire::Machine,
        allocation_id: AllocationId,
    ) -> Result<bool, DriveError> {
        if machine.annotation(ALLOCATION_ANNOTATION) == Some(allocation_id.to_string().as_str()) {
            return Ok(true);
        }
        if machine.status != wire::status::ALLOCATED {
            return Ok(false);
        }
        let filters = vec![
            ("id".to_string(), machine.system_id.clone()),
            ("agent_name".to_string(), allocation_id.to_string()),
        ];
        Ok(!binding.client.machines(&filters).await?.is_empty())
    }

    /// Annotates the machine with the allocation, deploys it with the tenant's keys and
    /// user-data, and locks it against accidental release.
    async fn deploy_send(
        &self,
        binding: &Binding,
        system_id: &str,
        row: &DeploymentRow,
    ) -> Result<(), DriveError> {
        let allocation = row.allocation_id.to_string();
        binding
            .client
            .annotate(system_id, &[(ALLOCATION_ANNOTATION, allocation.as_str())])
            .await?;
        let tenant_user_data = match &row.user_data_sealed {
            Some(sealed) => Some(
                self.secrets
                    .open(sealed, &user_data_seal_context(row.allocation_id))
                    .map_err(|err| DriveError::Other(format!("user-data unreadable: {err}")))?,
            ),
            None => None,
        };
        let tenant_user_data = tenant_user_data.map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
        let params = DeployParams {
            distro_series: Some(row.image.clone()),
            user_data: Some(model::user_data_compose(
                &row.ssh_keys,
                tenant_user_data.as_deref(),
            )),
            agent_name: Some(allocation.clone()),
            comment: Some(format!("ingot allocation {allocation}")),
        };
        binding.client.deploy(system_id, &params).await?;
        match binding
            .client
            .lock(system_id, &format!("ingot allocation {allocation}"))
            .await
        {
            Ok(_) => {}
            // Already locked (a repeated pass), or MAAS moved on meanwhile: not worth failing for.
            Err(err) if err.is_conflict() => {}
            Err(err) => return Err(err.into()),
        }
        Ok(())
    }

    /// The machine's newest event id now (0 without events).
    pub(super) async fn event_mark(&self, binding: &Binding, system_id: &str) -> Result<i64, DriveError> {
        let newest = binding.client.events_of(system_id, 1).await?;
        Ok(newest
            .first()
            .map_or(0, |e| i64::try_from(e.id).unwrap_or(i64::MAX)))
    }

    /// Whether MAAS logged `Disks erased` for the machine after event `mark`.
    pub(super) async fn erased_since(
        &self,
        binding: &Binding,
        system_id: &str,
        mark: i64,
    ) -> Result<bool, DriveError> {
        let events = binding.client.events_of(system_id, 100).await?;
        Ok(events
            .iter()
            .any(|e| e.kind == "Disks erased" && i64::try_from(e.id).unwrap_or(i64::MAX) > mark))
    }

    /// A READY machine whose erase is not proven: allocate it under the allocation's name and
    /// release it with the erase, marking first.
    async fn erase_again(
        &self,
        binding: &Binding,
        system_id: &str,
        row: &DeploymentRow,
    ) -> Result<bool, DriveError> {
        tracing::warn!(allocation_id = %row.allocation_id, node_id = %row.node_id, "no proof of the erase: erasing again");
        let mark = self.event_mark(binding, system_id).await?;
        let erase = match &row.release_erase {
            Some(e) => e.clone(),
            None => enum_to_text(&binding.policy.erase_on_release),
        };
        let mut tx = self.db.begin().await?;
        store::deployment_release_mark_in_tx(&mut tx, row.allocation_id, row.node_id, mark, &erase).await?;
        tx.commit().await.map_err(DbError::from)?;
        let mode = enum_from_text(&erase, "erase mode").unwrap_or(binding.policy.erase_on_release);
        let params = ReleaseParams {
            erase: mode.into(),
            comment: Some(format!("ingot allocation {}: erase", row.allocation_id)),
        };
        self.erase_from_ready(binding, system_id, &row.allocation_id.to_string(), &params)
            .await
    }

    /// Erases a READY machine: MAAS erases only on release, so it is allocated (under
    /// `agent_name`) and released with the erase. `false` when someone took it meanwhile (the
    /// next pass sees it owned and goes on from there).
    pub(super) async fn erase_from_ready(
        &self,
        binding: &Binding,
        system_id: &str,
        agent_name: &str,
        release: &ReleaseParams,
    ) -> Result<bool, DriveError> {
        let allocated = binding
            .client
            .allocate(&client::AllocateParams {
                system_id: Some(system_id.to_string()),
                agent_name: Some(agent_name.to_string()),
                ..client::AllocateParams::default()
            })
            .await;
        match allocated {
            Ok(_) => {}
            Err(err) if err.is_conflict() => return Ok(false),
            Err(err) => return Err(err.into()),
        }
        binding.client.release(system_id, release).await?;
        Ok(true)
    }

    /// When MAAS reported the machine deployed: its newest `Deployed` event, else now.
    async fn deployed_at(&self, binding: &Binding, system_id: &str) -> Result<Timestamp, DriveError> {
        let events = binding.client.events_of(system_id, 50).await?;
        Ok(events
            .iter()
            .find(|e| e.kind == "Deployed")
            .and_then(|e| model::maas_time_parse(&e.created))
            .map_or_else(|| self.clock.now(), Timestamp::from_micros))
    }

    async fn report_failed(&self, row: &DeploymentRow, reason: String) -> Result<bool, DriveError> {
        if row.phase == Phase::Failed {
            return Ok(false);
        }
        let now = self.clock.now();
        let event = NodeDeployFailed {
            allocation_id: row.allocation_id,
            tenant_id: row.tenant_id,
            node_id: row.node_id,
            reason: reason.clone(),
            at: now,
        };
        tracing::warn!(allocation_id = %row.allocation_id, node_id = %row.node_id, %reason, "deployment failed");
        let change = DeploymentChange {
            message: Some(reason),
            ..DeploymentChange::default()
        };
        self.advance(row, Phase::Failed, &change, Some(event.to_envelope(now)))
            .await
    }

    async fn report_released(
        &self,
        row: &DeploymentRow,
        erase: Option<ingot_contracts::maas::EraseMode>,
    ) -> Result<bool, DriveError> {
        let now = self.clock.now();
        let event = NodeReleaseCompleted {
            allocation_id: row.allocation_id,
            tenant_id: row.tenant_id,
            node_id: row.node_id,
            erase: erase.unwrap_or(ingot_contracts::maas::EraseMode::None),
            at: now,
        };
        let change = DeploymentChange {
            released_at: Some(now),
            ..DeploymentChange::default()
        };
        self.advance(row, Phase::Released, &change, Some(event.to_envelope(now)))
            .await
    }

    /// Moves the row from its phase as read to `to`, with the event (if any) in the same
    /// transaction; a concurrent pass that moved it first makes this a no-op.
    async fn advance(
        &self,
        row: &DeploymentRow,
        to: Phase,
        change: &DeploymentChange,
        event: Option<ingot_kernel::event::EventEnvelope>,
    ) -> Result<bool, DriveError> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let moved = store::deployment_advance_in_tx(&mut tx, row, row.phase, to, change, now).await?;
        if !moved {
            return Ok(false);
        }
        if let Some(event) = event {
            ingot_kernel::outbox::append_in_tx(&mut tx, &event).await?;
        }
        tx.commit().await.map_err(DbError::from)?;
        Ok(true)
    }
}
