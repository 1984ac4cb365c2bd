//! `ingot webhooks list|events|create|show|update|delete|deliveries|redeliver`: a project's
//! event subscriptions and their delivery log.

use clap::Subcommand;
use ingot_kernel::id::{DeliveryId, ProjectId, WebhookId};
use ingot_sdk::Client;
use ingot_sdk::ingot_contracts::app_platform::{
    DeliveryView, WebhookCreateRequest, WebhookUpdateRequest, WebhookView,
};

use crate::OutputFormat;
use crate::output::{emit, json_or_id, word};

#[derive(Debug, Subcommand)]
pub enum WebhooksCommand {
    /// The project's webhooks.
    List {
        #[arg(long)]
        project: Option<ProjectId>,
    },
    /// The event types a webhook can subscribe to.
    Events,
    /// Subscribe a URL to event types; prints the signing secret, this once.
    Create {
        url: String,
        /// Event types, families (allocation.*) or * (comma-separated).
        #[arg(long, value_delimiter = ',', required = true)]
        events: Vec<String>,
        #[arg(long, default_value = "")]
        description: String,
        #[arg(long)]
        project: Option<ProjectId>,
    },
    Show {
        webhook: WebhookId,
        #[arg(long)]
        project: Option<ProjectId>,
    },
    /// Change the URL, the events, or turn it off and on.
    Update {
        webhook: WebhookId,
        #[arg(long)]
        url: Option<String>,
        #[arg(long, value_delimiter = ',')]
        events: Option<Vec<String>>,
        #[arg(long, conflicts_with = "disable")]
        enable: bool,
        #[arg(long)]
        disable: bool,
        #[arg(long)]
        project: Option<ProjectId>,
    },
    Delete {
        webhook: WebhookId,
        #[arg(long)]
        project: Option<ProjectId>,
    },
    /// The delivery log, newest first: each attempt's status or error.
    Deliveries {
        webhook: WebhookId,
        #[arg(long, default_value_t = 20)]
        limit: u32,
        #[arg(long)]
        project: Option<ProjectId>,
    },
    /// Send a delivery again now.
    Redeliver {
        webhook: WebhookId,
        delivery: DeliveryId,
        #[arg(long)]
        project: Option<ProjectId>,
    },
}

fn webhooks_print(format: OutputFormat, hooks: &[WebhookView]) -> anyhow::Result<()> {
    emit(format, &hooks, || {
        let rows = hooks
            .iter()
            .map(|h| {
                vec![
                    h.id.to_string(),
                    h.url.clone(),
                    h.events.join(","),
                    if h.enabled {
                        "enabled".into()
                    } else {
                        "disabled".into()
                    },
                ]
            })
            .collect();
        (String::new(), vec!["ID", "URL", "EVENTS", "STATE"], rows)
    })
}

fn deliveries_print(format: OutputFormat, deliveries: &[DeliveryView]) -> anyhow::Result<()> {
    emit(format, &deliveries, || {
        let rows = deliveries
            .iter()
            .map(|d| {
                let last = d.attempts.last();
                vec![
                    d.id.to_string(),
                    d.event_type.clone(),
                    word(&d.state),
                    d.attempts.len().to_string(),
                    last.map_or_else(String::new, |a| match (a.status, &a.error) {
                        (Some(status), None) => status.to_string(),
                        (_, Some(error)) => error.clone(),
                        (None, None) => String::new(),
                    }),
                    d.next_attempt_at.map_or_else(String::new, |t| t.to_string()),
                ]
            })
            .collect();
        (
            String::new(),
            vec!["ID", "EVENT", "STATE", "ATTEMPTS", "LAST", "NEXT"],
            rows,
        )
    })
}

pub async fn webhooks_run(
    client: &Client,
    format: OutputFormat,
    command: WebhooksCommand,
) -> anyhow::Result<()> {
    let project_of = |project: Option<ProjectId>| crate::alloc::project_resolve(client, project);
    match command {
        WebhooksCommand::List { project } => {
            let project = project_of(project).await?;
            webhooks_print(format, &client.webhooks_list(project).await?)
        }
        WebhooksCommand::Events => {
            let types = client.webhook_event_types().await?;
            emit(format, &types, || {
                let rows = types
                    .iter()
                    .map(|t| vec![t.name.clone(), t.description.clone()])
                    .collect();
                (String::new(), vec!["EVENT", "MEANING"], rows)
            })
        }
        WebhooksCommand::Create {
            url,
            events,
            description,
            project,
        } => {
            let project = project_of(project).await?;
            let created = client
                .webhook_create(
                    project,
                    &WebhookCreateRequest {
                        url,
                        events,
                        description,
                    },
                )
                .await?;
            if format.is_data() {
                return crate::output::data_print(format, &created);
            }
            println!(
                "{} created for {}",
                created.webhook.id,
                created.webhook.events.join(",")
            );
            println!("signing secret (shown once, keep it): {}", created.secret);
            Ok(())
        }
        WebhooksCommand::Show { webhook, project } => {
            let project = project_of(project).await?;
            webhooks_print(format, &[client.webhook_get(project, webhook).await?])
        }
        WebhooksCommand::Update {
            webhook,
            url,
            events,
            enable,
            disable,
            project,
        } => {
            let project = project_of(project).await?;
            let request = WebhookUpdateRequest {
                url,
                events,
                description: None,
                enabled: if enable {
                    Some(true)
                } else if disable {
                    Some(false)
                } else {
                    None
                },
            };
            let updated = client.webhook_update(project, webhook, &request).await?;
            json_or_id(format, &updated, |h| {
                format!("{} {}", h.id, if h.enabled { "enabled" } else { "disabled" })
            })
        }
        WebhooksCommand::Delete { webhook, project } => {
            let project = project_of(project).await?;
            client.webhook_delete(project, webhook).await?;
            eprintln!("{webhook} deleted");
            Ok(())
        }
        WebhooksCommand::Deliveries {
            webhook,
            limit,
            project,
        } => {
            let project = project_of(project).await?;
            deliveries_print(format, &client.deliveries_list(project, webhook, limit).await?)
        }
        WebhooksCommand::Redeliver {
            webhook,
            delivery,
            project,
        } => {
            let project = project_of(project).await?;
            let again = client.delivery_redeliver(project, webhook, delivery).await?;
            json_or_id(format, &again, |d| {
                format!("{} queued again ({} attempts so far)", d.id, d.attempts.len())
            })
        }
    }
}
