//! Read Models commands: `ingot overview` (a tenant's dashboard) and `ingot admin dashboard
//! capacity|health|revenue`, `ingot admin read-models list|rebuild`. Each prints what the
//! answer reflects (its event position) so a reader knows how fresh it is.

use clap::Subcommand;
use ingot_kernel::id::TenantId;
use ingot_sdk::Client;
use ingot_sdk::ingot_contracts::read_models::{AsOf, ProjectionStatus};

use crate::OutputFormat;
use crate::output::{emit, money_text, word};

#[derive(Debug, Subcommand)]
pub enum DashboardCommand {
    /// Nodes per site × SKU by state, and utilisation.
    Capacity,
    /// Drift, deploy failures, quarantined and stuck nodes, onboarding, controller lag.
    Health,
    /// Revenue per day: usage, top-ups, credits, refunds; usage by SKU and site.
    Revenue {
        /// Days back from today (1–366).
        #[arg(long, default_value_t = 30)]
        days: u32,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReadModelsCommand {
    /// Every projection: owners, version, generations and positions.
    List,
    /// Rebuild a projection from the event history beside the live one (swapped in when caught up).
    Rebuild {
        name: String,
        /// Build the server's version even where a newer one is live (after a downgrade).
        #[arg(long)]
        force: bool,
    },
}

fn as_of_line(as_of: &AsOf) -> String {
    format!(
        "as of event {} (generation {}, {})",
        as_of.position,
        as_of.generation,
        word(&as_of.cache)
    )
}

pub async fn overview_run(
    client: &Client,
    format: OutputFormat,
    tenant: Option<TenantId>,
) -> anyhow::Result<()> {
    let tenant = crate::billing::tenant_resolve(client, tenant).await?;
    let view = client.tenant_overview(tenant).await?;
    emit(format, &view, || {
        let mut lines = vec![format!("tenant {} — {}", view.tenant_id, as_of_line(&view.as_of))];
        if let Some(kyc) = &view.kyc {
            lines.push(format!("kyc: {} ({})", word(&kyc.state), word(&kyc.level)));
        }
        if let Some(b) = &view.balance {
            lines.push(format!(
                "balance: {} available (cash {}, promo {}, held {})",
                money_text(&b.available),
                money_text(&b.cash),
                money_text(&b.promo),
                money_text(&b.held)
            ));
        }
        let runway = view
            .runway_hours
            .map_or_else(|| "no burn".to_string(), |h| format!("{h} h of runway"));
        lines.push(format!("burn: {}/h, {runway}", money_text(&view.burn_per_hour)));
        for s in &view.stopping_first {
            lines.push(format!("  stops first: {} at {}", s.allocation_id, s.deadline));
        }
        lines.push(format!(
            "spend this month: {}",
            money_text(&view.spend_this_month)
        ));
        lines.push(format!(
            "nodes: {} live, {} active",
            view.nodes_live, view.nodes_active
        ));
        for q in &view.quotas {
            lines.push(format!("quota {}: {}/{}", q.sku, q.used, q.max_nodes));
        }
        let rows = view
            .allocations
            .iter()
            .map(|a| {
                vec![
                    a.allocation_id.to_string(),
                    a.sku.clone(),
                    a.site.clone(),
                    word(&a.state),
                    format!("{}/{}", a.nodes_active, a.node_count),
                    a.since.to_string(),
                ]
            })
            .collect();
        (
            lines.join("\n"),
            vec!["ALLOCATION", "SKU", "SITE", "STATE", "ACTIVE", "SINCE"],
            rows,
        )
    })
}

pub async fn dashboard_run(
    client: &Client,
    format: OutputFormat,
    command: DashboardCommand,
) -> anyhow::Result<()> {
    match command {
        DashboardCommand::Capacity => {
            let view = client.dashboard_capacity().await?;
            emit(format, &view, || {
                let rows = view
                    .cells
                    .iter()
                    .map(|c| {
                        vec![
                            c.site.clone().unwrap_or_else(|| c.site_id.to_string()),
                            match (&c.sku, c.sku_id) {
                                (Some(name), _) => name.clone(),
                                (None, Some(id)) => id.to_string(),
                                (None, None) => "(unmatched)".into(),
                            },
                            c.total.to_string(),
                            c.available.to_string(),
                            c.assigned.to_string(),
                            c.maintenance.to_string(),
                            c.onboarding.to_string(),
                            c.quarantined.to_string(),
                            format!("{:.1}%", c.utilisation * 100.0),
                        ]
                    })
                    .collect();
                (
                    as_of_line(&view.as_of),
                    vec![
                        "SITE",
                        "SKU",
                        "TOTAL",
                        "AVAILABLE",
                        "ASSIGNED",
                        "MAINT",
                        "ONBOARDING",
                        "QUARANTINED",
                        "UTIL",
                    ],
                    rows,
                )
            })
        }
        DashboardCommand::Health => {
            let view = client.dashboard_health().await?;
            emit(format, &view, || {
                let mut lines = vec![as_of_line(&view.as_of)];
                lines.push(format!(
                    "deploys (24 h): {} ok, {} failed ({:.1}% failed)",
                    view.deploys_24h.succeeded,
                    view.deploys_24h.failed,
                    view.deploys_24h.failure_rate * 100.0
                ));
                for d in &view.drift {
                    lines.push(format!("drift {}: {} (24 h: {})", d.kind, d.total, d.last_24h));
                }
                lines.push(format!(
                    "onboarding: {} node(s), {} failure(s) in 24 h",
                    view.onboarding.nodes, view.onboarding.failures_24h
                ));
                for n in view.quarantined.iter().chain(&view.stuck) {
                    lines.push(format!("{} {} since {}", n.phase, n.node_id, n.since));
                }
                let rows = view
                    .controllers
                    .iter()
                    .map(|c| {
                        vec![
                            c.consumer.clone(),
                            c.behind.to_string(),
                            format!("{:.1}", c.lag_seconds),
                        ]
                    })
                    .collect();
                (lines.join("\n"), vec!["CONSUMER", "BEHIND", "LAG S"], rows)
            })
        }
        DashboardCommand::Revenue { days } => {
            let view = client.dashboard_revenue(days).await?;
            emit(format, &view, || {
                let t = &view.totals;
                let mut title = format!(
                    "{}\ntotal: usage {}, top-ups {}, credits {}, refunds {}",
                    as_of_line(&view.as_of),
                    money_text(&t.usage),
                    money_text(&t.top_ups),
                    money_text(&t.credits),
                    money_text(&t.refunds)
                );
                for cell in &view.by_sku_site {
                    let sku = cell.sku.clone().unwrap_or_else(|| cell.sku_id.to_string());
                    let site = cell.site.clone().unwrap_or_else(|| cell.site_id.to_string());
                    title.push_str(&format!(
                        "\nusage of {sku} at {site}: {}",
                        money_text(&cell.usage)
                    ));
                }
                let rows = view
                    .days
                    .iter()
                    .map(|d| {
                        vec![
                            d.day.clone(),
                            money_text(&d.usage),
                            money_text(&d.top_ups),
                            money_text(&d.credits),
                            money_text(&d.refunds),
                        ]
                    })
                    .collect();
                (title, vec!["DAY", "USAGE", "TOP-UPS", "CREDITS", "REFUNDS"], rows)
            })
        }
    }
}

fn statuses_print(format: OutputFormat, statuses: &[ProjectionStatus]) -> anyhow::Result<()> {
    emit(format, &statuses, || {
        let generation = |g: &Option<ingot_sdk::ingot_contracts::read_models::GenerationStatus>| {
            g.as_ref().map_or_else(
                || "-".to_string(),
                |g| {
                    format!(
                        "g{} v{} @{} ({} events)",
                        g.generation, g.version, g.position, g.events_applied
                    )
                },
            )
        };
        let rows = statuses
            .iter()
            .map(|s| {
                vec![
                    s.ownership.name.clone(),
                    s.ownership.sources.join(","),
                    s.ownership.bff_owner.clone(),
                    generation(&s.active),
                    generation(&s.building),
                ]
            })
            .collect();
        (
            String::new(),
            vec!["PROJECTION", "SOURCES", "BFF", "ACTIVE", "BUILDING"],
            rows,
        )
    })
}

pub async fn read_models_run(
    client: &Client,
    format: OutputFormat,
    command: ReadModelsCommand,
) -> anyhow::Result<()> {
    match command {
        ReadModelsCommand::List => statuses_print(format, &client.read_models_list().await?),
        ReadModelsCommand::Rebuild { name, force } => {
            let status = client.read_model_rebuild(&name, force).await?;
            statuses_print(format, std::slice::from_ref(&status))
        }
    }
}
