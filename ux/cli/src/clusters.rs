//! `ingot clusters list|create|show|scale|delete`: named multi-node deployments from a template.

use clap::Subcommand;
use ingot_kernel::id::ProjectId;
use ingot_sdk::Client;
use ingot_sdk::ingot_contracts::app_platform::{ClusterCreateRequest, ClusterView};

use crate::OutputFormat;
use crate::output::{emit, word};

#[derive(Debug, Subcommand)]
pub enum ClustersCommand {
    List {
        #[arg(long)]
        project: Option<ProjectId>,
    },
    /// A head node and N workers, each deployed with the template's user-data wired together
    /// (the k3s built-in: `--template ingot-k3s-cluster`).
    Create {
        name: String,
        #[arg(long)]
        template: String,
        /// The head's SKU (and the workers', unless --worker-sku).
        #[arg(long)]
        sku: String,
        #[arg(long, default_value_t = 0)]
        workers: u32,
        #[arg(long)]
        worker_sku: Option<String>,
        /// A value for the template's variables: NAME=VALUE (repeatable).
        #[arg(long = "var", value_name = "NAME=VALUE")]
        vars: Vec<String>,
        /// A key id of the project (key_…), an OpenSSH public key, or a file of keys (repeatable).
        #[arg(long = "ssh-key", value_name = "ID|KEY|FILE")]
        ssh_keys: Vec<String>,
        #[arg(long)]
        site: Option<String>,
        #[arg(long)]
        image: Option<String>,
        #[arg(long)]
        project: Option<ProjectId>,
    },
    /// A cluster's state and its nodes.
    Show {
        /// Name or id.
        cluster: String,
        #[arg(long)]
        project: Option<ProjectId>,
    },
    /// Set the number of workers: more are allocated, the newest released.
    Scale {
        cluster: String,
        workers: u32,
        #[arg(long)]
        project: Option<ProjectId>,
    },
    /// Release every node of the cluster.
    Delete {
        cluster: String,
        #[arg(long)]
        project: Option<ProjectId>,
    },
}

fn cluster_print(format: OutputFormat, cluster: &ClusterView) -> anyhow::Result<()> {
    if format.is_data() {
        return crate::output::data_print(format, cluster);
    }
    println!(
        "{} {}: {} ({} of {} nodes active; {} workers wanted)",
        cluster.id,
        cluster.name,
        word(&cluster.state),
        cluster.active,
        cluster.nodes.len(),
        cluster.workers
    );
    let rows: Vec<Vec<String>> = cluster
        .nodes
        .iter()
        .map(|n| {
            vec![
                format!("{}-{}", n.role, n.index),
                n.allocation_id.to_string(),
                word(&n.state),
                n.hostname.clone().unwrap_or_default(),
                n.ip_addresses.join(","),
                n.ssh_command.clone().unwrap_or_default(),
            ]
        })
        .collect();
    println!(
        "{}",
        crate::output::table(&["NODE", "ALLOCATION", "STATE", "HOSTNAME", "IP", "SSH"], &rows)
    );
    Ok(())
}

pub async fn clusters_run(
    client: &Client,
    format: OutputFormat,
    command: ClustersCommand,
) -> anyhow::Result<()> {
    let project_of = |project: Option<ProjectId>| crate::alloc::project_resolve(client, project);
    match command {
        ClustersCommand::List { project } => {
            let project = project_of(project).await?;
            let clusters = client.clusters_list(project).await?;
            emit(format, &clusters, || {
                let rows = clusters
                    .iter()
                    .map(|c| {
                        vec![
                            c.id.to_string(),
                            c.name.clone(),
                            word(&c.state),
                            format!("{}/{}", c.active, c.nodes.len()),
                            c.template.clone(),
                        ]
                    })
                    .collect();
                (
                    String::new(),
                    vec!["ID", "NAME", "STATE", "ACTIVE", "TEMPLATE"],
                    rows,
                )
            })
        }
        ClustersCommand::Create {
            name,
            template,
            sku,
            workers,
            worker_sku,
            vars,
            ssh_keys,
            site,
            image,
            project,
        } => {
            let project = project_of(project).await?;
            let found = client.template_get(project, &template).await?;
            let request = ClusterCreateRequest {
                name,
                variables: crate::templates::values_typed(&found, &vars)?,
                template,
                sku,
                worker_sku,
                workers,
                site,
                image,
                ssh_keys: crate::alloc::ssh_keys_read(&ssh_keys)?,
            };
            cluster_print(format, &client.cluster_create(project, &request).await?)
        }
        ClustersCommand::Show { cluster, project } => {
            let project = project_of(project).await?;
            cluster_print(format, &client.cluster_get(project, &cluster).await?)
        }
        ClustersCommand::Scale {
            cluster,
            workers,
            project,
        } => {
            let project = project_of(project).await?;
            cluster_print(format, &client.cluster_scale(project, &cluster, workers).await?)
        }
        ClustersCommand::Delete { cluster, project } => {
            let project = project_of(project).await?;
            cluster_print(format, &client.cluster_delete(project, &cluster).await?)
        }
    }
}
