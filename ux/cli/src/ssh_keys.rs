//! App Platform SSH key commands: `ingot ssh-keys list|add|delete`. `--project` defaults to your
//! project when you have exactly one.

use clap::Subcommand;
use ingot_kernel::id::{ProjectId, SshKeyId};
use ingot_sdk::Client;
use ingot_sdk::ingot_contracts::app_platform::{SshKeyCreateRequest, SshKeyView};

use crate::OutputFormat;
use crate::output::{emit, json_or_id};

#[derive(Debug, Subcommand)]
pub enum SshKeysCommand {
    /// The project's keys (or, with --mine, your own), with their fingerprints.
    List {
        #[arg(long, conflicts_with = "project")]
        mine: bool,
        #[arg(long)]
        project: Option<ProjectId>,
    },
    /// Add a public key: the key itself or a file holding it (such as ~/.ssh/id_ed25519.pub).
    Add {
        /// KEY or FILE.
        key: String,
        /// A name to tell it apart [default: the key's comment, else its fingerprint].
        #[arg(long)]
        name: Option<String>,
        /// One of your own keys (usable by id in any project) rather than the project's.
        #[arg(long, conflicts_with = "project")]
        mine: bool,
        #[arg(long)]
        project: Option<ProjectId>,
    },
    /// Remove a key from the project (or, with --mine, one of your own).
    Delete {
        key_id: SshKeyId,
        #[arg(long, conflicts_with = "project")]
        mine: bool,
        #[arg(long)]
        project: Option<ProjectId>,
    },
}

fn keys_print(format: OutputFormat, keys: &[SshKeyView]) -> anyhow::Result<()> {
    emit(format, &keys, || {
        let rows = keys
            .iter()
            .map(|k| {
                vec![
                    k.id.to_string(),
                    k.name.clone(),
                    format!("{} {}", k.kind, k.bits),
                    k.fingerprint.clone(),
                ]
            })
            .collect();
        (String::new(), vec!["ID", "NAME", "TYPE", "FINGERPRINT"], rows)
    })
}

pub async fn ssh_keys_run(
    client: &Client,
    format: OutputFormat,
    command: SshKeysCommand,
) -> anyhow::Result<()> {
    match command {
        SshKeysCommand::List { mine: true, .. } => keys_print(format, &client.my_ssh_keys_list().await?),
        SshKeysCommand::List { project, .. } => {
            let project = crate::alloc::project_resolve(client, project).await?;
            keys_print(format, &client.ssh_keys_list(project).await?)
        }
        SshKeysCommand::Add {
            key,
            name,
            mine,
            project,
        } => {
            let text = if std::path::Path::new(&key).is_file() {
                std::fs::read_to_string(&key).map_err(|e| anyhow::anyhow!("cannot read {key}: {e}"))?
            } else {
                key
            };
            let name = name.unwrap_or_else(|| {
                text.split_whitespace()
                    .nth(2)
                    .map_or_else(|| "key".to_string(), |comment| comment.to_string())
            });
            let request = SshKeyCreateRequest {
                name,
                public_key: text.trim().to_string(),
            };
            let added = if mine {
                client.my_ssh_key_create(&request).await?
            } else {
                let project = crate::alloc::project_resolve(client, project).await?;
                client.ssh_key_create(project, &request).await?
            };
            json_or_id(format, &added, |k| {
                format!("{} added: {} {} {}", k.id, k.kind, k.bits, k.fingerprint)
            })
        }
        SshKeysCommand::Delete {
            key_id,
            mine,
            project,
        } => {
            if mine {
                client.my_ssh_key_delete(key_id).await?;
            } else {
                let project = crate::alloc::project_resolve(client, project).await?;
                client.ssh_key_delete(project, key_id).await?;
            }
            eprintln!("{key_id} deleted");
            Ok(())
        }
    }
}
