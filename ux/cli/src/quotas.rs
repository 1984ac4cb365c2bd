//! Provisioning.Allocation quota commands: `ingot admin quotas get|set TENANT`. Quotas are given as
//! `SKU=N` (tenant-wide) or `PROJECT/SKU=N` (one project); `set` replaces the tenant's whole set.

use clap::Subcommand;
use ingot_kernel::id::TenantId;
use ingot_sdk::Client;
use ingot_sdk::ingot_contracts::allocation::{QuotaEntry, QuotasSetRequest, QuotasView};

use crate::OutputFormat;
use crate::output::emit;

#[derive(Debug, Subcommand)]
pub enum QuotasCommand {
    /// A tenant's quotas.
    Get { tenant: TenantId },
    /// Replace a tenant's quotas: each `SKU=N` or `PROJECT_ID/SKU=N`; none clears them all.
    Set {
        tenant: TenantId,
        quotas: Vec<String>,
        #[arg(long)]
        reason: String,
    },
}

fn quota_parse(text: &str) -> anyhow::Result<QuotaEntry> {
    let Some((scope, max)) = text.split_once('=') else {
        anyhow::bail!("{text}: expected SKU=N or PROJECT_ID/SKU=N");
    };
    let max_nodes = max
        .trim()
        .parse::<u32>()
        .map_err(|_| anyhow::anyhow!("{text}: N must be a whole number of nodes"))?;
    let (project_id, sku) = match scope.split_once('/') {
        Some((project, sku)) => (
            Some(
                project
                    .parse()
                    .map_err(|_| anyhow::anyhow!("{text}: {project} is not a project id"))?,
            ),
            sku,
        ),
        None => (None, scope),
    };
    Ok(QuotaEntry {
        project_id,
        sku: sku.trim().to_string(),
        max_nodes,
    })
}

fn quotas_print(format: OutputFormat, view: &QuotasView) -> anyhow::Result<()> {
    emit(format, view, || {
        let rows = view
            .quotas
            .iter()
            .map(|q| {
                vec![
                    q.project_id
                        .map_or_else(|| "(tenant)".to_string(), |p| p.to_string()),
                    q.sku.clone(),
                    q.max_nodes.to_string(),
                ]
            })
            .collect();
        (
            format!("tenant {}", view.tenant_id),
            vec!["PROJECT", "SKU", "MAX NODES"],
            rows,
        )
    })
}

pub async fn quotas_run(client: &Client, format: OutputFormat, command: QuotasCommand) -> anyhow::Result<()> {
    match command {
        QuotasCommand::Get { tenant } => quotas_print(format, &client.quotas_get(tenant).await?),
        QuotasCommand::Set {
            tenant,
            quotas,
            reason,
        } => {
            let quotas = quotas
                .iter()
                .map(|q| quota_parse(q))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let view = client
                .quotas_set(tenant, &QuotasSetRequest { quotas, reason })
                .await?;
            quotas_print(format, &view)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotas_read_as_sku_or_project_slash_sku() {
        let tenant_wide = quota_parse("gpu-8x-h100=4").unwrap();
        assert_eq!(
            (
                tenant_wide.project_id,
                tenant_wide.sku.as_str(),
                tenant_wide.max_nodes
            ),
            (None, "gpu-8x-h100", 4)
        );
        let project = ingot_kernel::id::ProjectId::generate();
        let scoped = quota_parse(&format!("{project}/cpu-64c=0")).unwrap();
        assert_eq!((scoped.project_id, scoped.max_nodes), (Some(project), 0));
        assert!(quota_parse("gpu-8x-h100").is_err());
        assert!(quota_parse("gpu-8x-h100=many").is_err());
        assert!(quota_parse("nope/cpu-64c=1").is_err());
    }
}
