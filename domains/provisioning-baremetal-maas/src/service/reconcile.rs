//! Reconciliation: a pass per site diffs the region against what this domain expects
//! (`model::drift_assess`), records each disagreement in the site's drift history (an event when
//! first found), repairs what the policy allows — only on confirmed states — and closes what a
//! pass no longer finds. Passes of one site never overlap: each holds the site's lease.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use ingot_contracts::maas::{DriftFound, DriftView, MaasError, ReconcileReport};
use ingot_kernel::db::DbError;
use ingot_kernel::event::DomainEvent;
use ingot_kernel::id::{NodeId, SiteId};

use super::{ALLOCATION_ANNOTATION, MaasService, internal};
use ingot_kernel::db::column::enum_to_text;

use crate::client::ReleaseParams;
use crate::model::{self, Expected, Phase, Repair, Seen, Tolerance};
use crate::store::{self, DeploymentRow, DriftRow, MachineRow};

pub(super) fn drift_view(row: DriftRow) -> DriftView {
    DriftView {
        id: row.id,
        site_id: row.site_id,
        machine_ref: row.system_id,
        node_id: row.node_id,
        kind: row.kind,
        detail: row.detail,
        repair: row.repair,
        repaired_at: row.repaired_at,
        tenant_cost: row.tenant_cost,
        found_at: row.found_at,
        found_by_pass: row.found_by_pass,
        last_seen_at: row.last_seen_at,
        resolved_at: row.resolved_at,
    }
}

/// The deployment a node's machine answers to: its live one, else its latest.
fn deployment_of(rows: &[DeploymentRow]) -> Option<&DeploymentRow> {
    rows.iter()
        .rev()
        .find(|d| d.phase != Phase::Released)
        .or_else(|| rows.last())
}

impl MaasService {
    /// One reconciliation pass at every bound site; errors are logged per site.
    pub async fn reconcile_all(&self) -> Result<usize, DbError> {
        let mut sites = 0;
        for binding in store::bindings_all(self.db.reader()).await? {
            match self.reconcile_site(binding.site_id).await {
                Ok(report) => {
                    sites += 1;
                    if report.new + report.resolved + report.repairs > 0 {
                        tracing::info!(site_id = %binding.site_id, ?report, "reconciliation pass");
                    }
                }
                Err(err) => {
                    tracing::warn!(site_id = %binding.site_id, error = %err, "reconciliation pass failed")
                }
            }
        }
        Ok(sites)
    }

    /// One pass at one site, under the site's lease.
    #[tracing::instrument(name = "maas.reconcile_site", skip_all, fields(%site_id))]
    pub async fn reconcile_site(&self, site_id: SiteId) -> Result<ReconcileReport, MaasError> {
        let pass_id = ingot_kernel::id::new_ulid().to_string();
        let lease = format!("maas.reconcile/{site_id}");
        let held = ingot_kernel::lease::lease_acquire(
            &self.db,
            &lease,
            &pass_id,
            // Longer than any pass: a pass outliving its lease would let a second one repair the
            // same machine.
            Duration::from_secs(15 * 60),
            self.clock.now(),
        )
        .await
        .map_err(internal)?;
        if held.is_none() {
            return Err(MaasError::Upstream(
                "another reconciliation pass of this site is running".into(),
            ));
        }
        let outcome = self.reconcile_site_held(site_id, &pass_id).await;
        if let Err(err) =
            ingot_kernel::lease::lease_release(&self.db, &lease, &pass_id, self.clock.now()).await
        {
            tracing::warn!(%site_id, error = %err, "reconciliation lease not released; it expires");
        }
        outcome
    }

    async fn reconcile_site_held(
        &self,
        site_id: SiteId,
        pass_id: &str,
    ) -> Result<ReconcileReport, MaasError> {
        let binding = self.binding_load(site_id).await?;
        let mut report = ReconcileReport {
            pass_id: pass_id.to_string(),
            ..ReconcileReport::default()
        };
        let machines = self.machines_observed(&binding).await?;
        report.requests += 1;
        let known: HashMap<String, MachineRow> = store::machines_of_site(self.db.reader(), site_id)
            .await
            .map_err(internal)?
            .into_iter()
            .map(|m| (m.system_id.clone(), m))
            .collect();
        let mut deployments: HashMap<NodeId, Vec<DeploymentRow>> = HashMap::new();
        for row in store::deployments_of_site(self.db.reader(), site_id)
            .await
            .map_err(internal)?
        {
            deployments.entry(row.node_id).or_default().push(row);
        }
        let now = self.clock.now();
        let admitted: Vec<_> = machines
            .iter()
            .filter(|m| model::site_admits(&binding.policy, m))
            .collect();
        report.machines = u32::try_from(admitted.len()).unwrap_or(u32::MAX);
        // What this pass saw becomes the domain's memory (status age, the power state before).
        let mut tx = self.db.begin().await.map_err(internal)?;
        for m in &admitted {
            let seen = store::Observation {
                site_id,
                system_id: &m.system_id,
                hostname: &m.hostname,
                status: (m.status, &m.status_name),
                power_state: &m.power_state,
                power_pass: true,
            };
            store::machine_observe_in_tx(&mut tx, &seen, now)
                .await
                .map_err(internal)?;
        }
        tx.commit().await.map_err(internal)?;

        let tolerance = Tolerance {
            transitional_timeout: Duration::from_secs(
                u64::from(binding.policy.transitional_timeout_minutes) * 60,
            ),
            auto_repair: binding.policy.auto_repair,
        };
        let mut findings = Vec::new();
        // Until the site's first complete onboarding pass, every machine is new: that is
        // onboarding's business, not drift.
        let first_look = known.is_empty() || binding.row.onboarded_at.is_none();
        let present: HashSet<&str> = admitted.iter().map(|m| m.system_id.as_str()).collect();
        // The live deployment on a machine's node, as (allocation, desired, phase).
        let deployment_on = |row: &MachineRow| {
            row.node_id
                .and_then(|node| deployments.get(&node))
                .and_then(|rows| deployment_of(rows))
                .map(|d| (d.allocation_id.to_string(), d.desired, d.phase))
        };
        for m in &admitted {
            let row = known.get(&m.system_id);
            let deployment = row.and_then(deployment_on);
            let expected = Expected {
                known: row.is_some() || first_look,
                power_before: row.map(|r| r.power_state.as_str()),
                status_since: row.and_then(|r| {
                    if r.status == m.status {
                        r.status_since
                    } else {
                        Some(now)
                    }
                }),
                deployment: deployment
                    .as_ref()
                    .map(|(a, desired, phase)| (a.as_str(), *desired, *phase)),
            };
            let seen = Seen {
                status: m.status,
                status_name: &m.status_name,
                power_state: &m.power_state,
                annotation: m.annotation(ALLOCATION_ANNOTATION),
            };
            for finding in model::drift_assess(Some(seen), expected, now, tolerance) {
                findings.push((
                    m.system_id.clone(),
                    row.and_then(|r| r.node_id),
                    m.locked,
                    finding,
                ));
            }
        }
        // Machines known before and gone from the region now.
        for row in known.values().filter(|r| !present.contains(r.system_id.as_str())) {
            let deployment = deployment_on(row);
            let expected = Expected {
                known: true,
                power_before: Some(row.power_state.as_str()),
                status_since: row.status_since,
                deployment: deployment
                    .as_ref()
                    .map(|(a, desired, phase)| (a.as_str(), *desired, *phase)),
            };
            for finding in model::drift_assess(None, expected, now, tolerance) {
                findings.push((row.system_id.clone(), row.node_id, false, finding));
            }
        }

        let open: Vec<DriftRow> = store::drift_of_site(self.db.reader(), site_id, false, 100_000)
            .await
            .map_err(internal)?;
        let mut found_now: HashSet<(String, String)> = HashSet::new();
        for (system_id, node_id, locked, finding) in findings {
            report.findings += 1;
            let kind = enum_to_text(&finding.kind);
            found_now.insert((system_id.clone(), kind.clone()));
            let drift = DriftRow {
                id: ingot_kernel::id::new_ulid().to_string(),
                site_id,
                system_id: system_id.clone(),
                node_id,
                kind: kind.clone(),
                detail: finding.detail.clone(),
                repair: enum_to_text(&finding.repair),
                repaired_at: None,
                tenant_cost: finding.tenant_cost,
                found_at: now,
                found_by_pass: pass_id.to_string(),
                last_seen_at: now,
                resolved_at: None,
            };
            let mut tx = self.db.begin().await.map_err(internal)?;
            let new = store::drift_record_in_tx(&mut tx, &drift)
                .await
                .map_err(internal)?;
            if new {
                report.new += 1;
                let event = DriftFound {
                    site_id,
                    machine_ref: system_id.clone(),
                    node_id,
                    kind: kind.clone(),
                    detail: finding.detail.clone(),
                    repair: drift.repair.clone(),
                    tenant_cost: finding.tenant_cost,
                };
                ingot_kernel::outbox::append_in_tx(&mut tx, &event.to_envelope(now))
                    .await
                    .map_err(internal)?;
                tracing::warn!(%site_id, machine = %system_id, %kind, detail = %finding.detail, "drift found");
            }
            tx.commit().await.map_err(internal)?;
            // Read right before acting (not from the pass's start): a repair is never sent twice.
            if !matches!(finding.repair, Repair::ObserveAgain | Repair::Report)
                && store::drift_repaired(self.db.reader(), site_id, &system_id, &kind)
                    .await
                    .map_err(internal)?
            {
                continue;
            }
            let repaired = match finding.repair {
                Repair::ObserveAgain | Repair::Report => false,
                Repair::Release => {
                    if locked {
                        let _ = binding.client.unlock(&system_id, "ingot reconciliation").await;
                        report.requests += 1;
                    }
                    let params = ReleaseParams {
                        erase: binding.policy.erase_on_release.into(),
                        comment: Some("ingot reconciliation: no live allocation".into()),
                    };
                    report.requests += 1;
                    binding.client.release(&system_id, &params).await.is_ok()
                }
                Repair::PowerOn => {
                    // Twice off in the region's cache; now ask the BMC itself before acting.
                    report.requests += 1;
                    match binding.client.power_query(&system_id).await {
                        Ok(state) if state == "off" => {
                            report.requests += 1;
                            binding.client.power_on(&system_id).await.is_ok()
                        }
                        _ => false,
                    }
                }
                Repair::Abort => {
                    report.requests += 1;
                    binding
                        .client
                        .abort(&system_id, "ingot reconciliation: stuck")
                        .await
                        .is_ok()
                }
            };
            if repaired {
                report.repairs += 1;
                let mut tx = self.db.begin().await.map_err(internal)?;
                store::drift_repaired_in_tx(&mut tx, site_id, &system_id, &kind, now)
                    .await
                    .map_err(internal)?;
                tx.commit().await.map_err(internal)?;
                tracing::info!(%site_id, machine = %system_id, %kind, "drift repaired");
            }
        }
        let gone: Vec<&DriftRow> = open
            .iter()
            .filter(|d| !found_now.contains(&(d.system_id.clone(), d.kind.clone())))
            .collect();
        if !gone.is_empty() {
            let mut tx = self.db.begin().await.map_err(internal)?;
            for drift in gone {
                store::drift_resolve_in_tx(&mut tx, &drift.id, now)
                    .await
                    .map_err(internal)?;
                report.resolved += 1;
            }
            tx.commit().await.map_err(internal)?;
        }
        Ok(report)
    }

    pub(super) async fn drift_views(&self, site_id: SiteId, all: bool) -> Result<Vec<DriftView>, MaasError> {
        Ok(store::drift_of_site(self.db.reader(), site_id, all, 1_000)
            .await
            .map_err(internal)?
            .into_iter()
            .map(drift_view)
            .collect())
    }
}
