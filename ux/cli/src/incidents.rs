//! `ingot admin incidents list|show|ack|resolve`: Operations' incidents, for the people on call.

use clap::{Subcommand, ValueEnum};
use ingot_kernel::id::IncidentId;
use ingot_sdk::Client;
use ingot_sdk::ingot_contracts::operations::{
    IncidentFilter, IncidentNoteRequest, IncidentState, IncidentView,
};

use crate::OutputFormat;
use crate::output::{emit, word};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum IncidentStateArg {
    Open,
    Acknowledged,
    Resolved,
}

#[derive(Debug, Subcommand)]
pub enum IncidentsCommand {
    /// Incidents, newest first: those not yet resolved, or --state, or --all.
    List {
        #[arg(long, value_enum, conflicts_with = "all")]
        state: Option<IncidentStateArg>,
        /// Every incident, resolved ones included.
        #[arg(long)]
        all: bool,
        /// Start after this `next_cursor` of an earlier page.
        #[arg(long)]
        cursor: Option<String>,
    },
    /// One incident and its timeline: firings, pages (to whom, how, delivered or not),
    /// maintenance holds, escalation, acknowledgement, resolution.
    Show { incident: IncidentId },
    /// Acknowledge: you are on it (audited). Escalation still happens unless it is resolved.
    Ack {
        incident: IncidentId,
        /// What you are doing, for the timeline.
        #[arg(long)]
        note: Option<String>,
    },
    /// Resolve: it is over (audited); PagerDuty is told.
    Resolve {
        incident: IncidentId,
        /// What was wrong and what was done.
        #[arg(long)]
        note: Option<String>,
    },
}

fn incident_print(format: OutputFormat, incident: &IncidentView) -> anyhow::Result<()> {
    if format == OutputFormat::Quiet {
        println!("{}", incident.id);
        return Ok(());
    }
    emit(format, incident, || {
        let mut title = format!(
            "{} {} [{} {}] {}\n{}\ncontext: {}   subject: {}   runbook: {}{}{}",
            incident.id,
            word(&incident.state),
            incident.severity.as_str(),
            if incident.firing { "firing" } else { "cleared" },
            incident.title,
            incident.summary,
            incident.context,
            incident.subject,
            incident.runbook,
            incident
                .escalated_at
                .map(|at| format!("\nescalated at {at}"))
                .unwrap_or_default(),
            incident
                .paging_held
                .as_ref()
                .map(|held| format!("\npaging held: {held}"))
                .unwrap_or_default(),
        );
        title.push('\n');
        let rows = incident
            .timeline
            .iter()
            .map(|entry| vec![entry.at.to_string(), entry.kind.clone(), entry.detail.clone()])
            .collect();
        (title, vec!["AT", "WHAT", "DETAIL"], rows)
    })
}

pub async fn incidents_run(
    client: &Client,
    format: OutputFormat,
    command: IncidentsCommand,
) -> anyhow::Result<()> {
    match command {
        IncidentsCommand::List { state, all, cursor } => {
            let filter = IncidentFilter {
                state: state.map(|state| match state {
                    IncidentStateArg::Open => IncidentState::Open,
                    IncidentStateArg::Acknowledged => IncidentState::Acknowledged,
                    IncidentStateArg::Resolved => IncidentState::Resolved,
                }),
                all: all.then_some(true),
                limit: None,
                cursor,
            };
            let page = client.incident_list(&filter).await?;
            emit(format, &page, || {
                let rows = page
                    .items
                    .iter()
                    .map(|i| {
                        vec![
                            i.id.to_string(),
                            i.severity.as_str().to_string(),
                            word(&i.state),
                            if i.firing { "yes".into() } else { "no".into() },
                            i.context.clone(),
                            i.title.clone(),
                            i.subject.clone(),
                            i.opened_at.to_string(),
                        ]
                    })
                    .collect();
                let title = match &page.next_cursor {
                    Some(next) => format!("more: --cursor {next}"),
                    None => String::new(),
                };
                (
                    title,
                    vec![
                        "ID", "SEV", "STATE", "FIRING", "CONTEXT", "TITLE", "SUBJECT", "OPENED",
                    ],
                    rows,
                )
            })
        }
        IncidentsCommand::Show { incident } => incident_print(format, &client.incident_get(incident).await?),
        IncidentsCommand::Ack { incident, note } => incident_print(
            format,
            &client
                .incident_ack(incident, &IncidentNoteRequest { note })
                .await?,
        ),
        IncidentsCommand::Resolve { incident, note } => incident_print(
            format,
            &client
                .incident_resolve(incident, &IncidentNoteRequest { note })
                .await?,
        ),
    }
}
