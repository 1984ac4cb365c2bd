//! Allocation commands: `ingot alloc create|list|show|release|extend|wait` and
//! `ingot admin alloc force-release`.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use clap::Subcommand;
use ingot_kernel::Timestamp;
use ingot_kernel::id::{AllocationId, ProjectId, TenantId};
use ingot_sdk::Client;
use ingot_sdk::ingot_contracts::allocation::{
    AdminAllocationFilter, AdmissionView, AllocationCreateRequest, AllocationState, AllocationView,
    ExtendRequest, ForceReleaseRequest, PlacementPolicy, ReleaseRequest, TemplateChoice,
};

use crate::OutputFormat;
use crate::output::{emit, money_text, word};

#[derive(Debug, Subcommand)]
pub enum AllocCommand {
    /// Allocate whole machines of a SKU.
    Create {
        #[arg(long)]
        sku: String,
        #[arg(long, default_value_t = 1)]
        count: u32,
        /// Site name [default: one that can serve the whole request]
        #[arg(long)]
        site: Option<String>,
        /// Image to deploy [default: jammy]
        #[arg(long)]
        image: Option<String>,
        /// A key id of the project (key_…, see `ingot ssh-keys list`), an OpenSSH public key,
        /// or a file holding keys one per line (repeatable).
        #[arg(long = "ssh-key", value_name = "ID|KEY|FILE")]
        ssh_keys: Vec<String>,
        /// A cloud-init user-data file (#cloud-config YAML or a #! script).
        #[arg(long, value_name = "FILE", conflicts_with = "template")]
        user_data: Option<std::path::PathBuf>,
        /// Render the user-data from a template (see `ingot templates list`).
        #[arg(long)]
        template: Option<String>,
        /// A value for the template's variables: NAME=VALUE (repeatable).
        #[arg(long = "var", value_name = "NAME=VALUE", requires = "template")]
        vars: Vec<String>,
        /// Release automatically at this time (RFC 3339).
        #[arg(long, value_name = "RFC3339")]
        release_at: Option<Timestamp>,
        /// Keep every node in one fabric group (NVLink / InfiniBand domain), or refuse.
        #[arg(long)]
        same_fabric: bool,
        /// Show the admission decision (every reason it would be refused); allocate nothing.
        #[arg(long)]
        dry_run: bool,
        /// Block until the allocation is active or has failed.
        #[arg(long)]
        wait: bool,
        /// Project id [default: your project, when you have exactly one]
        #[arg(long)]
        project: Option<ProjectId>,
    },
    /// A project's allocations, newest first.
    List {
        #[arg(long)]
        project: Option<ProjectId>,
    },
    /// An allocation: its nodes (state, IPs, SSH command, handover) and its history.
    Show { allocation: AllocationId },
    /// Give an allocation's machines back (metering stops now).
    Release {
        allocation: AllocationId,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Move the automatic release time, or remove it with --no-expiry.
    Extend {
        allocation: AllocationId,
        #[arg(long, value_name = "RFC3339", required_unless_present = "no_expiry")]
        release_at: Option<Timestamp>,
        #[arg(long, conflicts_with = "release_at")]
        no_expiry: bool,
    },
    /// Block, showing progress, until the allocation is active (exit 0) or failed or ended (exit 1).
    Wait {
        allocation: AllocationId,
        /// Give up after this long.
        #[arg(long, default_value_t = 3_600)]
        timeout_s: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminAllocCommand {
    /// Every tenant's allocations, newest first (one page).
    List {
        /// Only this tenant's.
        #[arg(long)]
        tenant: Option<TenantId>,
        /// Only allocations in this state: pending, provisioning, active, releasing, released, failed.
        #[arg(long)]
        state: Option<String>,
        /// Start after this `next_cursor` of an earlier page.
        #[arg(long)]
        cursor: Option<String>,
    },
    /// End any tenant's allocation now, with a reason (audited).
    ForceRelease {
        allocation: AllocationId,
        #[arg(long)]
        reason: String,
    },
}

pub(crate) async fn project_resolve(
    client: &Client,
    project: Option<ProjectId>,
) -> anyhow::Result<ProjectId> {
    if let Some(project) = project {
        return Ok(project);
    }
    let tenant = crate::billing::tenant_resolve(client, None).await?;
    let projects = client.project_list(tenant).await?;
    match projects.as_slice() {
        [only] => Ok(only.id),
        [] => anyhow::bail!("your tenant has no project; pass --project PROJECT_ID"),
        several => {
            let choices: Vec<String> = several.iter().map(|p| format!("  {} {}", p.id, p.name)).collect();
            anyhow::bail!(
                "your tenant has {} projects; pass --project with one of:\n{}",
                several.len(),
                choices.join("\n")
            )
        }
    }
}

/// Keys as given, or read from files (one per line, blank lines and comments skipped).
pub(crate) fn ssh_keys_read(given: &[String]) -> anyhow::Result<Vec<String>> {
    let mut keys = Vec::new();
    for item in given {
        let path = std::path::Path::new(item);
        if !item.contains(' ') && path.exists() {
            let text = std::fs::read_to_string(path).with_context(|| format!("reading {item}"))?;
            keys.extend(
                text.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .map(String::from),
            );
        } else {
            keys.push(item.clone());
        }
    }
    Ok(keys)
}

fn state_word(state: AllocationState) -> String {
    word(&state)
}

fn allocation_print(format: OutputFormat, view: &AllocationView) -> anyhow::Result<()> {
    if format == OutputFormat::Quiet {
        println!("{}", view.id);
        return Ok(());
    }
    emit(format, view, || {
        let mut title = format!(
            "{} {} × {} at {}: {}",
            view.id,
            view.count,
            view.sku,
            view.site,
            crate::term::state(&state_word(view.state), crate::term::stdout_decorated())
        );
        if let Some(reason) = &view.reason {
            title.push_str(&format!(" ({reason})"));
        }
        let rows = view
            .nodes
            .iter()
            .map(|n| {
                vec![
                    n.hostname.clone(),
                    word(&n.state),
                    n.ip_addresses.join(","),
                    n.ssh_command.clone().unwrap_or_default(),
                ]
            })
            .collect();
        (title, vec!["HOSTNAME", "STATE", "IP ADDRESSES", "SSH"], rows)
    })
}

fn admission_print(format: OutputFormat, view: &AdmissionView) -> anyhow::Result<()> {
    emit(format, view, || {
        let title = if view.admitted {
            format!(
                "would be admitted at {} for {} per hour",
                view.site.as_deref().unwrap_or("?"),
                view.hourly_price.as_ref().map_or_else(String::new, money_text)
            )
        } else {
            "would be refused:".to_string()
        };
        let rows = view
            .refusals
            .iter()
            .map(|r| vec![r.field().to_string(), r.describe()])
            .collect();
        (title, vec!["REASON", "DETAIL"], rows)
    })
}

/// Polls until active (success) or failed / ended, printing each change of state.
async fn wait(
    client: &Client,
    format: OutputFormat,
    allocation: AllocationId,
    timeout: Duration,
) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let mut ticker = tokio::time::interval(Duration::from_secs(2));
    let mut last = String::new();
    // On a terminal one line redraws itself with a spinner; elsewhere each change is a line.
    let mut spinner =
        (format == OutputFormat::Table && crate::term::stderr_decorated()).then(crate::term::Spinner::new);
    let mut spin = tokio::time::interval(Duration::from_millis(100));
    loop {
        loop {
            tokio::select! {
                _ = ticker.tick() => break,
                _ = spin.tick(), if spinner.is_some() => {
                    if let Some(spinner) = spinner.as_mut() {
                        spinner.show(&last);
                    }
                }
            }
        }
        let view = client.allocation_get(allocation).await?;
        let ready = view
            .nodes
            .iter()
            .filter(|n| n.state == ingot_sdk::ingot_contracts::allocation::NodePhase::Active)
            .count();
        let progress = format!(
            "{}: {} of {} nodes active",
            crate::term::state(&state_word(view.state), spinner.is_some()),
            ready,
            view.count
        );
        if progress != last && format == OutputFormat::Table {
            if spinner.is_none() {
                eprintln!("{progress}");
            }
            last = progress;
        }
        if !matches!(
            view.state,
            AllocationState::Pending | AllocationState::Provisioning
        ) && let Some(spinner) = spinner.take()
        {
            spinner.done();
        }
        match view.state {
            AllocationState::Active => {
                allocation_print(format, &view)?;
                return Ok(ExitCode::SUCCESS);
            }
            AllocationState::Failed | AllocationState::Releasing | AllocationState::Released => {
                allocation_print(format, &view)?;
                return Ok(ExitCode::FAILURE);
            }
            AllocationState::Pending | AllocationState::Provisioning => {}
        }
        if started.elapsed() > timeout {
            if let Some(spinner) = spinner.take() {
                spinner.done();
            }
            anyhow::bail!("still {} after {} s", state_word(view.state), timeout.as_secs());
        }
    }
}

pub async fn alloc_run(
    client: &Client,
    format: OutputFormat,
    command: AllocCommand,
) -> anyhow::Result<ExitCode> {
    match command {
        AllocCommand::Create {
            sku,
            count,
            site,
            image,
            ssh_keys,
            user_data,
            template,
            vars,
            release_at,
            same_fabric,
            dry_run,
            wait: wait_after,
            project,
        } => {
            let project = project_resolve(client, project).await?;
            let user_data = match user_data {
                Some(path) => Some(
                    std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?,
                ),
                None => None,
            };
            let template = match template {
                Some(name) => {
                    let found = client.template_get(project, &name).await?;
                    Some(TemplateChoice {
                        variables: crate::templates::values_typed(&found, &vars)?,
                        name,
                    })
                }
                None => None,
            };
            let request = AllocationCreateRequest {
                sku,
                count,
                site,
                image,
                ssh_keys: ssh_keys_read(&ssh_keys)?,
                user_data,
                template,
                release_at,
                placement: if same_fabric {
                    PlacementPolicy::SameFabric
                } else {
                    PlacementPolicy::Any
                },
                dry_run,
            };
            if dry_run {
                let decision = client.allocation_admission(project, &request).await?;
                admission_print(format, &decision)?;
                return Ok(if decision.admitted {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                });
            }
            let view = client.allocation_create(project, &request, None).await?;
            if wait_after {
                return wait(client, format, view.id, Duration::from_secs(3_600)).await;
            }
            allocation_print(format, &view)?;
        }
        AllocCommand::List { project } => {
            let project = project_resolve(client, project).await?;
            let mut items = Vec::new();
            let mut cursor: Option<String> = None;
            loop {
                let page = client.allocation_list(project, cursor.as_deref()).await?;
                items.extend(page.items);
                match page.next_cursor {
                    Some(next) => cursor = Some(next),
                    None => break,
                }
            }
            emit(format, &items, || {
                let rows = items
                    .iter()
                    .map(|a| {
                        vec![
                            a.id.to_string(),
                            a.sku.clone(),
                            a.count.to_string(),
                            a.site.clone(),
                            state_word(a.state),
                            a.created_at.to_string(),
                        ]
                    })
                    .collect();
                (
                    String::new(),
                    vec!["ID", "SKU", "COUNT", "SITE", "STATE", "CREATED"],
                    rows,
                )
            })?;
        }
        AllocCommand::Show { allocation } => {
            allocation_print(format, &client.allocation_get(allocation).await?)?
        }
        AllocCommand::Release { allocation, reason } => {
            let view = client
                .allocation_release(allocation, &ReleaseRequest { reason })
                .await?;
            allocation_print(format, &view)?;
        }
        AllocCommand::Extend {
            allocation,
            release_at,
            no_expiry: _,
        } => {
            let view = client
                .allocation_extend(allocation, &ExtendRequest { release_at })
                .await?;
            allocation_print(format, &view)?;
        }
        AllocCommand::Wait {
            allocation,
            timeout_s,
        } => return wait(client, format, allocation, Duration::from_secs(timeout_s)).await,
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn admin_alloc_run(
    client: &Client,
    format: OutputFormat,
    command: AdminAllocCommand,
) -> anyhow::Result<()> {
    match command {
        AdminAllocCommand::List {
            tenant,
            state,
            cursor,
        } => {
            let state = state
                .map(|text| {
                    serde_json::from_value::<AllocationState>(serde_json::Value::String(text.clone()))
                        .with_context(|| format!("--state {text}: not an allocation state"))
                })
                .transpose()?;
            let filter = AdminAllocationFilter {
                tenant_id: tenant,
                state,
                limit: None,
                cursor,
            };
            let page = client.allocation_admin_list(&filter).await?;
            emit(format, &page, || {
                let rows = page
                    .items
                    .iter()
                    .map(|a| {
                        vec![
                            a.id.to_string(),
                            a.tenant_id.to_string(),
                            a.sku.clone(),
                            a.count.to_string(),
                            a.site.clone(),
                            state_word(a.state),
                            a.created_at.to_string(),
                        ]
                    })
                    .collect();
                let title = match &page.next_cursor {
                    Some(next) => format!("more: --cursor {next}"),
                    None => String::new(),
                };
                (
                    title,
                    vec!["ID", "TENANT", "SKU", "COUNT", "SITE", "STATE", "CREATED"],
                    rows,
                )
            })
        }
        AdminAllocCommand::ForceRelease { allocation, reason } => {
            let view = client
                .allocation_force_release(allocation, &ForceReleaseRequest { reason })
                .await?;
            allocation_print(format, &view)
        }
    }
}
