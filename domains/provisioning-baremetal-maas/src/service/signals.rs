//! What this domain tells Operations' alert rules about itself: open drift per machine, the
//! deploy failure rate per site, regions not answering; and which sites are in their declared
//! maintenance window (paging about them is held).

use ingot_contracts::BoxFuture;
use ingot_contracts::operations::{MaintenanceSource, Signal, SignalQuery, SignalSource};
use ingot_kernel::Timestamp;
use ingot_kernel::db::DbError;
use ingot_kernel::id::{NodeId, SiteId};

use super::MaasService;
use crate::model;
use crate::store;

impl MaasService {
    async fn signals_measure(&self, query: SignalQuery) -> Result<Vec<Signal>, DbError> {
        let mut signals = Vec::new();
        for (site_id, system_id, node_id, kinds) in store::drift_open_by_machine(self.db.reader()).await? {
            let node = node_id.map(|n| format!(" (node {n})")).unwrap_or_default();
            let mut signal = Signal::new(
                "maas.drift_open",
                format!("machine:{site_id}/{system_id}"),
                kinds.len() as f64,
                format!("site {site_id}, machine {system_id}{node}: {}", kinds.join(", ")),
            )
            .at_site(site_id);
            if let Some(node_id) = node_id {
                signal = signal.at_node(node_id);
            }
            signals.push(signal);
        }
        let since = query.now.minus(query.window);
        for (site_id, succeeded, failed) in store::deploy_outcomes_since(self.db.reader(), since).await? {
            let finished = succeeded + failed;
            if finished == 0 {
                continue;
            }
            signals.push(
                Signal::new(
                    "maas.deploy_failure_rate",
                    format!("site:{site_id}"),
                    failed as f64 / finished as f64,
                    format!(
                        "site {site_id}: {failed} of {finished} deploys failed in the last {} min",
                        query.window.as_secs() / 60
                    ),
                )
                .from_samples(finished)
                .at_site(site_id),
            );
        }
        for (site_id, since, error) in store::sites_out_of_contact(self.db.reader()).await? {
            let silent = query.now.since(since).as_secs_f64();
            signals.push(
                Signal::new(
                    "maas.site_unreachable_s",
                    format!("site:{site_id}"),
                    silent,
                    format!("site {site_id}: the region has not answered for {silent:.0} s ({error})"),
                )
                .at_site(site_id),
            );
        }
        Ok(signals)
    }

    async fn site_in_maintenance(&self, site_id: SiteId, now: Timestamp) -> Result<Option<String>, DbError> {
        let Some(row) = store::binding_get(self.db.reader(), site_id).await? else {
            return Ok(None);
        };
        let policy: ingot_contracts::maas::SitePolicy = serde_json::from_str(&row.policy)
            .map_err(|_| ingot_kernel::db::column::corrupt("site policy"))?;
        Ok(match &policy.maintenance_window {
            Some(window) if model::window_open(Some(window), now) => Some(format!(
                "site {site_id} is in its maintenance window ({} {} UTC, {} min)",
                window.weekday, window.start, window.duration_minutes
            )),
            _ => None,
        })
    }
}

impl SignalSource for MaasService {
    fn signal_names(&self) -> &'static [&'static str] {
        &[
            "maas.drift_open",
            "maas.deploy_failure_rate",
            "maas.site_unreachable_s",
        ]
    }

    fn signals(&self, query: SignalQuery) -> BoxFuture<'_, Result<Vec<Signal>, String>> {
        Box::pin(async move { self.signals_measure(query).await.map_err(|e| e.to_string()) })
    }
}

impl MaintenanceSource for MaasService {
    fn maintenance_of(
        &self,
        site_id: Option<SiteId>,
        _node_id: Option<NodeId>,
        now: Timestamp,
    ) -> BoxFuture<'_, Result<Option<String>, String>> {
        Box::pin(async move {
            match site_id {
                Some(site_id) => self
                    .site_in_maintenance(site_id, now)
                    .await
                    .map_err(|e| e.to_string()),
                None => Ok(None),
            }
        })
    }
}
