//! What tenants and operators are shown of an allocation.

use ingot_contracts::allocation::{
    AllocationError, AllocationNodeView, AllocationView, ErasureRecord, Handover, NodePhase, StatusChange,
};

use super::{AllocationService, Result, internal};
use crate::store::{self, AllocationRow, NodeRow};

/// The login user of an image's cloud image: Ubuntu series log in as `ubuntu`; the others as
/// their distribution's cloud user.
fn login_user(image: &str) -> &'static str {
    let name = image.rsplit('/').next().unwrap_or(image);
    if name.starts_with("centos") {
        "centos"
    } else if name.starts_with("rocky") {
        "rocky"
    } else if name.starts_with("rhel") {
        "cloud-user"
    } else if name.starts_with("debian") {
        "debian"
    } else {
        "ubuntu"
    }
}

pub(super) fn node_view(image: &str, node: NodeRow) -> AllocationNodeView {
    let ssh_command = (node.phase == NodePhase::Active)
        .then(|| node.ip_addresses.first())
        .flatten()
        .map(|ip| format!("ssh {}@{ip}", login_user(image)));
    AllocationNodeView {
        node_id: node.node_id,
        hostname: node.hostname,
        state: node.phase,
        ip_addresses: node.ip_addresses,
        ssh_command,
        reason: node.reason,
        assigned_at: node.assigned_at,
        handover: Handover {
            previous_erasure: node
                .previous_erasure
                .map(|(erase, at)| ErasureRecord { erase, at }),
            image: image.to_string(),
            deploy_started_at: node.deploy_started_at,
            deployed_at: node.deployed_at,
            billing_started_at: node.metering_started_at,
            billing_stopped_at: node.metering_stopped_at,
        },
    }
}

impl AllocationService {
    pub(super) async fn view(&self, row: AllocationRow) -> Result<AllocationView> {
        let nodes = store::allocation_nodes(self.db.reader(), row.id)
            .await
            .map_err(internal)?;
        let history = store::allocation_history(self.db.reader(), row.id)
            .await
            .map_err(internal)?;
        let hourly_price = row
            .hourly_price
            .checked_mul(i64::from(row.node_count))
            .map_err(|_| AllocationError::Internal)?;
        Ok(AllocationView {
            id: row.id,
            tenant_id: row.tenant_id,
            project_id: row.project_id,
            sku: row.sku_name,
            site: row.site_name,
            count: row.node_count,
            nodes: nodes.into_iter().map(|n| node_view(&row.image, n)).collect(),
            image: row.image,
            placement: row.placement,
            state: row.state,
            reason: row.reason,
            release_at: row.release_at,
            hourly_price,
            replacements: row.replacements,
            created_at: row.created_at,
            updated_at: row.updated_at,
            history: history
                .into_iter()
                .map(|h| StatusChange {
                    at: h.at,
                    state: h.state,
                    reason: h.reason,
                })
                .collect(),
        })
    }
}
