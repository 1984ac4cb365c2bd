//! Provisioning.BareMetal.MAAS commands: a site's MAAS binding (`ingot admin sites maas
//! show|set`) and onboarding (`ingot admin onboard SITE`). The API key is read from a file or
//! the environment, never from the command line (where `ps` would show it).

use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Subcommand, ValueEnum};
use ingot_kernel::id::NodeId;
use ingot_sdk::Client;
use ingot_sdk::ingot_contracts::maas::{
    EraseMode, MaintenanceWindow, NodeOperationRequest, SiteBindingRequest, SiteBindingView, SitePolicy,
};

use crate::OutputFormat;
use crate::output::emit;

#[derive(Debug, Subcommand)]
pub enum SiteMaasCommand {
    /// The binding: region URL, the key's id (never the key), and the site policy.
    Show { site: String },
    /// Bind the site to its MAAS region, or change the binding. Policy flags left out keep their
    /// current value (or the default on a first binding).
    Set {
        site: String,
        /// The region's base URL, such as http://maas.fra1.example:5240/MAAS.
        #[arg(long)]
        url: String,
        /// A file holding the API key (consumer:token:secret); else $INGOT_MAAS_API_KEY; neither
        /// keeps the key already stored.
        #[arg(long)]
        api_key_file: Option<PathBuf>,
        /// Only machines in this MAAS zone belong to the site ('' for all).
        #[arg(long)]
        zone: Option<String>,
        /// Only machines in this resource pool belong to the site ('' for all).
        #[arg(long)]
        pool: Option<String>,
        /// Images tenants may deploy, comma-separated; the first is the default.
        #[arg(long, value_delimiter = ',')]
        images: Option<Vec<String>>,
        #[arg(long)]
        max_concurrent_deploys: Option<u32>,
        #[arg(long, value_enum)]
        erase: Option<EraseArg>,
        /// Commission new machines without an operator's word (true|false).
        #[arg(long, value_name = "true|false")]
        auto_commission: Option<bool>,
        /// `DAY HH:MM MINUTES` in UTC, such as "sat 02:00 240"; 'none' removes it.
        #[arg(long)]
        maintenance_window: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum EraseArg {
    None,
    Quick,
    Secure,
}

impl From<EraseArg> for EraseMode {
    fn from(arg: EraseArg) -> EraseMode {
        match arg {
            EraseArg::None => EraseMode::None,
            EraseArg::Quick => EraseMode::Quick,
            EraseArg::Secure => EraseMode::Secure,
        }
    }
}

fn window_parse(text: &str) -> anyhow::Result<Option<MaintenanceWindow>> {
    if text == "none" {
        return Ok(None);
    }
    let parts: Vec<&str> = text.split_whitespace().collect();
    let [weekday, start, minutes] = parts.as_slice() else {
        anyhow::bail!("--maintenance-window: expected `DAY HH:MM MINUTES`, such as \"sat 02:00 240\"");
    };
    Ok(Some(MaintenanceWindow {
        weekday: (*weekday).to_string(),
        start: (*start).to_string(),
        duration_minutes: minutes
            .parse()
            .context("--maintenance-window: MINUTES must be a whole number")?,
    }))
}

fn erase_word(mode: EraseMode) -> &'static str {
    match mode {
        EraseMode::None => "none",
        EraseMode::Quick => "quick",
        EraseMode::Secure => "secure",
    }
}

fn binding_print(format: OutputFormat, binding: &SiteBindingView) -> anyhow::Result<()> {
    emit(format, binding, || {
        let p = &binding.policy;
        let window = p.maintenance_window.as_ref().map_or("-".to_string(), |w| {
            format!("{} {} {} min", w.weekday, w.start, w.duration_minutes)
        });
        let rows = vec![
            vec!["site".into(), binding.site.clone()],
            vec!["url".into(), binding.url.clone()],
            vec!["api key id".into(), binding.api_key_id.clone()],
            vec!["zone".into(), p.zone.clone().unwrap_or_else(|| "(all)".into())],
            vec!["pool".into(), p.pool.clone().unwrap_or_else(|| "(all)".into())],
            vec!["images".into(), p.allowed_images.join(",")],
            vec![
                "max concurrent deploys".into(),
                p.max_concurrent_deploys.to_string(),
            ],
            vec!["erase on release".into(), erase_word(p.erase_on_release).into()],
            vec!["auto commission".into(), p.auto_commission.to_string()],
            vec!["maintenance window".into(), window],
        ];
        (String::new(), vec!["FIELD", "VALUE"], rows)
    })
}

pub async fn site_maas_run(
    client: &Client,
    format: OutputFormat,
    command: SiteMaasCommand,
) -> anyhow::Result<()> {
    match command {
        SiteMaasCommand::Show { site } => binding_print(format, &client.site_maas_get(&site).await?),
        SiteMaasCommand::Set {
            site,
            url,
            api_key_file,
            zone,
            pool,
            images,
            max_concurrent_deploys,
            erase,
            auto_commission,
            maintenance_window,
        } => {
            let api_key = match api_key_file {
                Some(path) => Some(
                    std::fs::read_to_string(&path)
                        .with_context(|| format!("cannot read the API key from {}", path.display()))?
                        .trim()
                        .to_string(),
                ),
                None => std::env::var("INGOT_MAAS_API_KEY").ok(),
            };
            // Start from the policy in force, so a flag changes one thing.
            let mut policy = match client.site_maas_get(&site).await {
                Ok(current) => current.policy,
                Err(ingot_sdk::Error::Api(problem)) if problem.status == 404 => SitePolicy::default(),
                Err(err) => return Err(err.into()),
            };
            let blank_is_all = |value: String| (!value.is_empty()).then_some(value);
            if let Some(zone) = zone {
                policy.zone = blank_is_all(zone);
            }
            if let Some(pool) = pool {
                policy.pool = blank_is_all(pool);
            }
            if let Some(images) = images {
                policy.allowed_images = images;
            }
            if let Some(n) = max_concurrent_deploys {
                policy.max_concurrent_deploys = n;
            }
            if let Some(erase) = erase {
                policy.erase_on_release = erase.into();
            }
            if let Some(auto) = auto_commission {
                policy.auto_commission = auto;
            }
            if let Some(window) = maintenance_window {
                policy.maintenance_window = window_parse(&window)?;
            }
            let request = SiteBindingRequest { url, api_key, policy };
            binding_print(format, &client.site_maas_set(&site, &request).await?)
        }
    }
}

pub async fn onboard_run(client: &Client, format: OutputFormat, site: &str) -> anyhow::Result<()> {
    let report =
        crate::term::while_waiting(&format!("onboarding {site}…"), client.site_onboard(site)).await?;
    emit(format, &report, || {
        let rows = vec![vec![
            report.seen.to_string(),
            report.registered.to_string(),
            report.commissioning_started.to_string(),
            report.commissioning.to_string(),
            report.failed.to_string(),
            report.awaiting_operator.to_string(),
        ]];
        (
            String::new(),
            vec![
                "SEEN",
                "REGISTERED",
                "COMMISSIONING STARTED",
                "COMMISSIONING",
                "FAILED",
                "AWAITING OPERATOR",
            ],
            rows,
        )
    })
}

pub async fn reconcile_run(client: &Client, format: OutputFormat, site: &str) -> anyhow::Result<()> {
    let report = client.site_reconcile(site).await?;
    emit(format, &report, || {
        let rows = vec![vec![
            report.machines.to_string(),
            report.findings.to_string(),
            report.new.to_string(),
            report.resolved.to_string(),
            report.repairs.to_string(),
            report.requests.to_string(),
        ]];
        (
            format!("pass {}", report.pass_id),
            vec!["MACHINES", "FINDINGS", "NEW", "RESOLVED", "REPAIRS", "REQUESTS"],
            rows,
        )
    })
}

pub async fn drift_run(client: &Client, format: OutputFormat, site: &str, all: bool) -> anyhow::Result<()> {
    let drift = client.site_drift(site, all).await?;
    emit(format, &drift, || {
        let rows = drift
            .iter()
            .map(|d| {
                vec![
                    d.found_at.to_string(),
                    d.machine_ref.clone(),
                    d.kind.clone(),
                    d.repair.clone(),
                    if d.repaired_at.is_some() { "done" } else { "-" }.into(),
                    if d.tenant_cost { "yes" } else { "no" }.into(),
                    d.resolved_at.map_or_else(|| "open".into(), |t| t.to_string()),
                    d.detail.clone(),
                ]
            })
            .collect();
        (
            String::new(),
            vec![
                "FOUND",
                "MACHINE",
                "KIND",
                "REPAIR",
                "REPAIRED",
                "TENANT COST",
                "RESOLVED",
                "DETAIL",
            ],
            rows,
        )
    })
}

pub async fn node_operation_run(
    client: &Client,
    format: OutputFormat,
    node: NodeId,
    reimage: bool,
    reason: String,
) -> anyhow::Result<()> {
    let request = NodeOperationRequest { reason };
    let started = if reimage {
        client.node_reimage(node, &request).await?
    } else {
        client.node_decommission(node, &request).await?
    };
    emit(format, &started, || {
        let rows = vec![vec![
            started.node_id.to_string(),
            started.kind.clone(),
            started.phase.clone(),
            started.id.clone(),
        ]];
        (String::new(), vec!["NODE", "OPERATION", "PHASE", "ID"], rows)
    })
}
