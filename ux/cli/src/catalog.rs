//! Inventory.Catalog commands: the public catalog (`ingot catalog`), capacity, and the operators'
//! sites, SKUs, offers and nodes (`ingot admin sites|skus|offers|nodes`). Parse, call the SDK,
//! print; what makes a SKU, price or node valid is the server's to say.

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Args, Subcommand, ValueEnum};
use ingot_kernel::Timestamp;
use ingot_kernel::id::{NodeId, SkuId};
use ingot_kernel::money::{Currency, Money};
use ingot_kernel::page::Page;
use ingot_sdk::Client;
use ingot_sdk::ingot_contracts::inventory::{
    Interconnect, MaintenanceRequest, NodeFilter, NodeImportRequest, NodeState, NodeView, OfferSetRequest,
    QuarantineRequest, SiteCreateRequest, SiteStatus, SkuChangeReport, SkuConstraints, SkuCreateRequest,
    SkuUpdateRequest, SkuView,
};

use crate::OutputFormat;
use crate::import_csv;
use crate::output::{self, emit, word};

const MIB_PER_GIB: u64 = 1024;

#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// The SKUs on sale and the hardware each guarantees (no login needed).
    Skus,
    /// Every SKU × site on sale: hourly list price and nodes free now (no login needed).
    Offers,
}

#[derive(Debug, Subcommand)]
pub enum SitesCommand {
    List,
    /// Add a site; it starts `planned` (nodes onboard, nothing is sold) unless --status says.
    Add {
        /// Short name used in URLs and CSV files: lowercase letters, digits and `-`, such as fra1.
        #[arg(long)]
        name: String,
        #[arg(long)]
        region: String,
        /// ISO 3166-1 alpha-2 code, such as DE.
        #[arg(long)]
        country: String,
        #[arg(long, value_enum)]
        status: Option<SiteStatusArg>,
    },
    /// The site's MAAS region: binding and policy.
    Maas {
        #[command(subcommand)]
        command: crate::maas::SiteMaasCommand,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SiteStatusArg {
    Planned,
    Active,
    Draining,
    Closed,
}

impl From<SiteStatusArg> for SiteStatus {
    fn from(status: SiteStatusArg) -> SiteStatus {
        match status {
            SiteStatusArg::Planned => SiteStatus::Planned,
            SiteStatusArg::Active => SiteStatus::Active,
            SiteStatusArg::Draining => SiteStatus::Draining,
            SiteStatusArg::Closed => SiteStatus::Closed,
        }
    }
}

/// `none` stands for "no interconnect required".
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum InterconnectArg {
    Infiniband,
    Roce,
    Nvlink,
    None,
}

impl InterconnectArg {
    fn required(self) -> Option<Interconnect> {
        match self {
            InterconnectArg::Infiniband => Some(Interconnect::Infiniband),
            InterconnectArg::Roce => Some(Interconnect::Roce),
            InterconnectArg::Nvlink => Some(Interconnect::Nvlink),
            InterconnectArg::None => None,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum SkusCommand {
    /// Every SKU, on sale or not.
    List,
    /// Add a SKU; the fleet is re-matched and the nodes that moved to it are printed.
    Add {
        /// Lowercase letters, digits and `-`, such as gpu-8x-h100.
        #[arg(long)]
        name: String,
        /// Exact GPU model, such as H100-SXM5-80GB; leave out for a CPU-only SKU.
        #[arg(long)]
        gpu_model: Option<String>,
        /// Exact number of GPUs (machines are sold whole).
        #[arg(long, default_value_t = 0)]
        gpu_count: u32,
        /// Minimum physical cores.
        #[arg(long)]
        cores_min: u32,
        /// Minimum RAM in GiB.
        #[arg(long)]
        ram_min_gib: u64,
        /// Minimum total storage in GiB.
        #[arg(long, default_value_t = 0)]
        storage_min_gib: u64,
        #[arg(long, value_enum)]
        interconnect: Option<InterconnectArg>,
        #[arg(long, default_value = "")]
        description: String,
        /// Create it off sale.
        #[arg(long)]
        inactive: bool,
    },
    /// Change a SKU; flags left out keep their value. The nodes that moved are printed.
    Update {
        sku: SkuId,
        /// Exact GPU model; '' makes the SKU CPU-only (with --gpu-count 0).
        #[arg(long)]
        gpu_model: Option<String>,
        #[arg(long)]
        gpu_count: Option<u32>,
        #[arg(long)]
        cores_min: Option<u32>,
        /// GiB.
        #[arg(long)]
        ram_min_gib: Option<u64>,
        /// GiB.
        #[arg(long)]
        storage_min_gib: Option<u64>,
        #[arg(long, value_enum)]
        interconnect: Option<InterconnectArg>,
        #[arg(long)]
        description: Option<String>,
        /// Put the SKU on sale (true) or take it off (false).
        #[arg(long, value_name = "true|false")]
        active: Option<bool>,
    },
}

#[derive(Debug, Subcommand)]
pub enum OffersCommand {
    /// Set the hourly list price of a SKU at a site; audited, and Billing prices usage with it
    /// from now on.
    Set {
        sku: SkuId,
        /// Site name, such as fra1.
        site: String,
        /// Per node-hour in major units, such as 12.50.
        #[arg(long)]
        price: String,
        #[arg(long, default_value = "USD")]
        currency: Currency,
        /// Why the price changes; kept in the audit log.
        #[arg(long)]
        reason: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum NodeStateArg {
    Onboarding,
    Available,
    Maintenance,
    Quarantined,
    Decommissioning,
    Retired,
}

impl From<NodeStateArg> for NodeState {
    fn from(state: NodeStateArg) -> NodeState {
        match state {
            NodeStateArg::Onboarding => NodeState::Onboarding,
            NodeStateArg::Available => NodeState::Available,
            NodeStateArg::Maintenance => NodeState::Maintenance,
            NodeStateArg::Quarantined => NodeState::Quarantined,
            NodeStateArg::Decommissioning => NodeState::Decommissioning,
            NodeStateArg::Retired => NodeState::Retired,
        }
    }
}

/// `--on` or `--off`, exactly one.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct Switch {
    /// Put the node in this state.
    #[arg(long)]
    on: bool,
    /// Take it out of this state, back to available.
    #[arg(long)]
    off: bool,
}

/// Where `nodes import` reads from, exactly one.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct ImportSource {
    /// Operator CSV with a header row; the columns are listed above.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// The NodeImportRequest body as the API takes it: {"nodes": [...]}.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum NodesCommand {
    /// Nodes in hostname order: one page, or every page with --all.
    List {
        /// Site name.
        #[arg(long)]
        site: Option<String>,
        /// SKU name, or `unmatched`.
        #[arg(long)]
        sku: Option<String>,
        #[arg(long, value_enum)]
        state: Option<NodeStateArg>,
        /// Nodes per page (1–500; the server's default is 50).
        #[arg(long)]
        limit: Option<u32>,
        /// Start after this `next_cursor` of an earlier page.
        #[arg(long, conflicts_with = "all")]
        cursor: Option<String>,
        /// Follow the pages to the end.
        #[arg(long)]
        all: bool,
    },
    /// One node in full: hardware, placement, health.
    Show {
        /// Node id, such as nod_01jdq3v0k4x2m8n5p7r9s1t3w5.
        node: NodeId,
    },
    /// The node's history, newest first: registered, lifecycle moves, assignments.
    History { node: NodeId },
    /// Take a node out of service (--on) or return it (--off).
    Maintenance {
        node: NodeId,
        #[command(flatten)]
        switch: Switch,
        /// Take an assigned node anyway; its allocation is moved or ended first.
        #[arg(long)]
        force: bool,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Quarantine a suspect node (--on), or clear it back to available (--off).
    Quarantine {
        node: NodeId,
        #[command(flatten)]
        switch: Switch,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Reimage a node: drained (refused while it serves an allocation), erased securely,
    /// re-commissioned, returned to service; it runs in the background.
    Reimage {
        node: NodeId,
        #[arg(long)]
        reason: String,
    },
    /// Decommission a node: drained, erased securely, removed or tagged in its region per the
    /// site's policy, retired; it runs in the background.
    Decommission {
        node: NodeId,
        #[arg(long)]
        reason: String,
    },
    /// Import nodes in bulk from CSV or JSON; one bad row imports nothing.
    ///
    /// CSV columns (header row required, any order; an empty cell means absent):
    ///
    ///   hostname        required
    ///   site            required; site name, such as fra1
    ///   state           onboarding (default) or available
    ///   cpu_model       required
    ///   cpu_sockets     required
    ///   cpu_cores       required; physical cores across all sockets
    ///   ram_gib         required; GiB
    ///   gpu_model       empty for none
    ///   gpu_count       required with gpu_model
    ///   gpu_memory_gib  per GPU, GiB; required with gpu_model
    ///   disks           kind:size_gib joined by ';', such as nvme:3840;nvme:3840;ssd:960
    ///   nics            speeds in Gb/s joined by ';', such as 100;100
    ///   interconnects   infiniband, roce or nvlink joined by ';'
    ///   rack
    ///   position        slot in the rack, a whole number
    ///   fabric_group    the NVLink or InfiniBand domain
    ///
    /// Problems are reported by CSV line (the header is line 1) and column, all at once.
    #[command(verbatim_doc_comment)]
    Import {
        #[command(flatten)]
        source: ImportSource,
    },
}

pub async fn catalog_run(
    client: &Client,
    format: OutputFormat,
    command: CatalogCommand,
) -> anyhow::Result<()> {
    match command {
        CatalogCommand::Skus => {
            let skus = client.catalog_skus().await?;
            emit(format, &skus, || {
                let rows = skus
                    .iter()
                    .map(|s| {
                        let mut row = vec![s.name.clone()];
                        row.extend(constraints_cells(&s.constraints));
                        row.push(s.description.clone());
                        row
                    })
                    .collect();
                (
                    String::new(),
                    vec![
                        "NAME",
                        "GPUS",
                        "MIN CORES",
                        "MIN RAM",
                        "MIN STORAGE",
                        "INTERCONNECT",
                        "DESCRIPTION",
                    ],
                    rows,
                )
            })
        }
        CatalogCommand::Offers => {
            let offers = client.catalog_offers().await?;
            emit(format, &offers, || {
                let rows = offers
                    .iter()
                    .map(|o| {
                        vec![
                            o.sku.clone(),
                            o.site.clone(),
                            output::money_text(&o.hourly_price),
                            o.available.to_string(),
                        ]
                    })
                    .collect();
                (
                    String::new(),
                    vec!["SKU", "SITE", "PRICE/HOUR", "AVAILABLE"],
                    rows,
                )
            })
        }
    }
}

pub async fn capacity_run(
    client: &Client,
    format: OutputFormat,
    history: bool,
    from: Option<Timestamp>,
    to: Option<Timestamp>,
) -> anyhow::Result<()> {
    if !history {
        let capacity = client.capacity_get().await?;
        // Tenants are served total and available only; show the other columns to operators.
        let operator = capacity.iter().any(|c| c.assigned.is_some());
        return emit(format, &capacity, || {
            let count = |n: Option<u32>| n.map_or(String::new(), |n| n.to_string());
            let rows = capacity
                .iter()
                .map(|c| {
                    let mut row = vec![
                        c.site.clone(),
                        c.sku.clone().unwrap_or_else(|| "(unmatched)".into()),
                        c.total.to_string(),
                        c.available.to_string(),
                    ];
                    if operator {
                        row.extend([
                            count(c.assigned),
                            count(c.maintenance),
                            count(c.onboarding),
                            count(c.unmatched),
                        ]);
                    }
                    row
                })
                .collect();
            let mut header = vec!["SITE", "SKU", "TOTAL", "AVAILABLE"];
            if operator {
                header.extend(["ASSIGNED", "MAINTENANCE", "ONBOARDING", "UNMATCHED"]);
            }
            (String::new(), header, rows)
        });
    }
    let points = client.capacity_history(from, to).await?;
    if format.is_data() {
        return output::data_print(format, &points);
    }
    // Points carry ids only; names make the table readable. Without the rights to list sites
    // or SKUs the ids are shown instead.
    let sites: HashMap<String, String> = client
        .site_list()
        .await
        .map(|sites| sites.into_iter().map(|s| (s.id.to_string(), s.name)).collect())
        .unwrap_or_default();
    let skus: HashMap<String, String> = client
        .sku_list()
        .await
        .map(|skus| skus.into_iter().map(|s| (s.id.to_string(), s.name)).collect())
        .unwrap_or_default();
    let name = |names: &HashMap<String, String>, id: String| names.get(&id).cloned().unwrap_or(id);
    emit(format, &points, || {
        let rows = points
            .iter()
            .map(|p| {
                vec![
                    p.hour.to_string(),
                    name(&sites, p.site_id.to_string()),
                    p.sku_id
                        .map_or_else(|| "(unmatched)".into(), |id| name(&skus, id.to_string())),
                    p.total.to_string(),
                    p.available.to_string(),
                    p.assigned.to_string(),
                    p.maintenance.to_string(),
                    p.onboarding.to_string(),
                    p.unmatched.to_string(),
                ]
            })
            .collect();
        (
            String::new(),
            vec![
                "HOUR",
                "SITE",
                "SKU",
                "TOTAL",
                "AVAILABLE",
                "ASSIGNED",
                "MAINTENANCE",
                "ONBOARDING",
                "UNMATCHED",
            ],
            rows,
        )
    })
}

pub async fn sites_run(client: &Client, format: OutputFormat, command: SitesCommand) -> anyhow::Result<()> {
    match command {
        SitesCommand::List => {
            let sites = client.site_list().await?;
            emit(format, &sites, || {
                let rows = sites
                    .iter()
                    .map(|s| {
                        vec![
                            s.id.to_string(),
                            s.name.clone(),
                            s.region.clone(),
                            s.country.clone(),
                            word(&s.status),
                        ]
                    })
                    .collect();
                (
                    String::new(),
                    vec!["ID", "NAME", "REGION", "COUNTRY", "STATUS"],
                    rows,
                )
            })
        }
        SitesCommand::Add {
            name,
            region,
            country,
            status,
        } => {
            let request = SiteCreateRequest {
                name,
                region,
                country,
                status: status.map(Into::into),
            };
            let site = client.site_create(&request).await?;
            output::json_or_id(format, &site, |s| {
                format!("{} {} {}", s.id, s.name, word(&s.status))
            })
        }
        SitesCommand::Maas { command } => crate::maas::site_maas_run(client, format, command).await,
    }
}

pub async fn skus_run(client: &Client, format: OutputFormat, command: SkusCommand) -> anyhow::Result<()> {
    match command {
        SkusCommand::List => {
            let skus = client.sku_list().await?;
            emit(format, &skus, || {
                let rows = skus
                    .iter()
                    .map(|s| {
                        let mut row = vec![
                            s.id.to_string(),
                            s.name.clone(),
                            if s.active { "yes" } else { "no" }.into(),
                        ];
                        row.extend(constraints_cells(&s.constraints));
                        row
                    })
                    .collect();
                (
                    String::new(),
                    vec![
                        "ID",
                        "NAME",
                        "ACTIVE",
                        "GPUS",
                        "MIN CORES",
                        "MIN RAM",
                        "MIN STORAGE",
                        "INTERCONNECT",
                    ],
                    rows,
                )
            })
        }
        SkusCommand::Add {
            name,
            gpu_model,
            gpu_count,
            cores_min,
            ram_min_gib,
            storage_min_gib,
            interconnect,
            description,
            inactive,
        } => {
            let request = SkuCreateRequest {
                name,
                description,
                constraints: SkuConstraints {
                    gpu_model: gpu_model.filter(|m| !m.is_empty()),
                    gpu_count,
                    cores_min,
                    ram_min_mib: gib_as_mib(ram_min_gib)?,
                    storage_min_gib,
                    interconnect: interconnect.and_then(InterconnectArg::required),
                },
                active: inactive.then_some(false),
            };
            let report = client.sku_create(&request).await?;
            sku_change_print(format, &report)
        }
        SkusCommand::Update {
            sku,
            gpu_model,
            gpu_count,
            cores_min,
            ram_min_gib,
            storage_min_gib,
            interconnect,
            description,
            active,
        } => {
            let constraint_flags = gpu_model.is_some()
                || gpu_count.is_some()
                || cores_min.is_some()
                || ram_min_gib.is_some()
                || storage_min_gib.is_some()
                || interconnect.is_some();
            // The API replaces constraints whole: start from the SKU as it is, change what was asked.
            let constraints = if constraint_flags {
                let mut constraints = sku_find(client, sku).await?.constraints;
                if let Some(model) = gpu_model {
                    constraints.gpu_model = Some(model).filter(|m| !m.is_empty());
                }
                if let Some(count) = gpu_count {
                    constraints.gpu_count = count;
                }
                if let Some(cores) = cores_min {
                    constraints.cores_min = cores;
                }
                if let Some(gib) = ram_min_gib {
                    constraints.ram_min_mib = gib_as_mib(gib)?;
                }
                if let Some(gib) = storage_min_gib {
                    constraints.storage_min_gib = gib;
                }
                if let Some(interconnect) = interconnect {
                    constraints.interconnect = interconnect.required();
                }
                Some(constraints)
            } else {
                None
            };
            let request = SkuUpdateRequest {
                description,
                constraints,
                active,
            };
            let report = client.sku_update(sku, &request).await?;
            sku_change_print(format, &report)
        }
    }
}

pub async fn offers_run(client: &Client, format: OutputFormat, command: OffersCommand) -> anyhow::Result<()> {
    match command {
        OffersCommand::Set {
            sku,
            site,
            price,
            currency,
            reason,
        } => {
            let hourly_price =
                Money::parse(&price, currency).map_err(|err| anyhow::anyhow!("--price {price:?}: {err}"))?;
            let offer = client
                .offer_set(sku, &site, &OfferSetRequest { hourly_price, reason })
                .await?;
            output::json_or_id(format, &offer, |o| {
                format!(
                    "{} at {}: {} per hour",
                    o.sku,
                    o.site,
                    output::money_text(&o.hourly_price)
                )
            })
        }
    }
}

pub async fn nodes_run(client: &Client, format: OutputFormat, command: NodesCommand) -> anyhow::Result<()> {
    match command {
        NodesCommand::List {
            site,
            sku,
            state,
            limit,
            cursor,
            all,
        } => {
            let mut filter = NodeFilter {
                site,
                sku,
                state: state.map(Into::into),
                limit,
                cursor,
            };
            let mut page = client.node_list(&filter).await?;
            while all && let Some(next) = page.next_cursor.take() {
                filter.cursor = Some(next);
                let more = client.node_list(&filter).await?;
                page.items.extend(more.items);
                page.next_cursor = more.next_cursor;
            }
            nodes_print(format, &page)?;
            if format == OutputFormat::Table && page.next_cursor.is_some() {
                eprintln!("more nodes follow: pass --all, or --cursor from --output json");
            }
            Ok(())
        }
        NodesCommand::Show { node } => {
            let node = client.node_get(node).await?;
            node_print(format, &node)
        }
        NodesCommand::History { node } => {
            let history = client.node_history(node).await?;
            output::emit(format, &history, || {
                let rows = history
                    .iter()
                    .map(|entry| {
                        vec![
                            entry.at.to_string(),
                            entry.kind.clone(),
                            entry.detail.clone(),
                            entry.allocation_id.map(|id| id.to_string()).unwrap_or_default(),
                        ]
                    })
                    .collect();
                (String::new(), vec!["AT", "KIND", "DETAIL", "ALLOCATION"], rows)
            })
        }
        NodesCommand::Maintenance {
            node,
            switch,
            force,
            reason,
        } => {
            let request = MaintenanceRequest {
                enabled: switch.on,
                reason,
                force,
            };
            let node = client.node_maintenance(node, &request).await?;
            output::json_or_id(format, &node, |n| format!("{} {}", n.hostname, word(&n.state)))
        }
        NodesCommand::Quarantine { node, switch, reason } => {
            let request = QuarantineRequest {
                enabled: switch.on,
                reason,
            };
            let node = client.node_quarantine(node, &request).await?;
            output::json_or_id(format, &node, |n| format!("{} {}", n.hostname, word(&n.state)))
        }
        NodesCommand::Reimage { node, reason } => {
            crate::maas::node_operation_run(client, format, node, true, reason).await
        }
        NodesCommand::Decommission { node, reason } => {
            crate::maas::node_operation_run(client, format, node, false, reason).await
        }
        NodesCommand::Import { source } => nodes_import(client, format, source).await,
    }
}

async fn nodes_import(client: &Client, format: OutputFormat, source: ImportSource) -> anyhow::Result<()> {
    // `lines` maps the server's `nodes[i]` back to the CSV; a JSON file is the contract itself.
    let (request, lines, path) = match (source.csv, source.json) {
        (Some(path), _) => {
            let bytes = file_read(&path)?;
            match import_csv::csv_to_import(&bytes) {
                Ok(import) => (import.request, Some(import.lines), path),
                Err(errors) => {
                    let lines: Vec<String> = errors.iter().map(|e| format!("  {e}")).collect();
                    anyhow::bail!(
                        "{}: {} problem(s); nothing was sent\n{}",
                        path.display(),
                        errors.len(),
                        lines.join("\n")
                    );
                }
            }
        }
        (None, Some(path)) => {
            let bytes = file_read(&path)?;
            let request: NodeImportRequest = serde_json::from_slice(&bytes)
                .map_err(|err| anyhow::anyhow!("{} is not a NodeImportRequest: {err}", path.display()))?;
            (request, None, path)
        }
        // clap's group makes one of the two required.
        (None, None) => anyhow::bail!("pass --csv FILE or --json FILE"),
    };
    let report = match client.node_import(&request).await {
        Ok(report) => report,
        Err(ingot_sdk::Error::Api(problem)) if !problem.errors.is_empty() => {
            let details = match &lines {
                Some(lines) => import_csv::server_errors_map(&problem.errors, lines),
                None => problem
                    .errors
                    .iter()
                    .map(|e| format!("{}: {}", e.field, e.message))
                    .collect(),
            };
            let details: Vec<String> = details.iter().map(|d| format!("  {d}")).collect();
            anyhow::bail!(
                "{}: the server refused the import ({}); nothing was imported\n{}",
                path.display(),
                problem.code,
                details.join("\n")
            );
        }
        Err(err) => return Err(err.into()),
    };
    emit(format, &report, || {
        (
            format!("imported {} node(s)", report.imported.len()),
            NODE_HEADER.to_vec(),
            report.imported.iter().map(node_row).collect(),
        )
    })
}

/// The file's bytes; the error names the file and the cause, since only the top message is shown.
fn file_read(path: &std::path::Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).map_err(|err| anyhow::anyhow!("cannot read {}: {err}", path.display()))
}

async fn sku_find(client: &Client, sku_id: SkuId) -> anyhow::Result<SkuView> {
    client
        .sku_list()
        .await?
        .into_iter()
        .find(|s| s.id == sku_id)
        .with_context(|| format!("no SKU {sku_id}"))
}

fn sku_change_print(format: OutputFormat, report: &SkuChangeReport) -> anyhow::Result<()> {
    emit(format, report, || {
        let sku = &report.sku;
        let title = format!(
            "{} {} ({}); {} node(s) moved",
            sku.id,
            sku.name,
            if sku.active { "active" } else { "inactive" },
            report.moved.len()
        );
        let rows = report
            .moved
            .iter()
            .map(|m| {
                let name = |n: &Option<String>| n.clone().unwrap_or_else(|| "(unmatched)".into());
                vec![
                    m.node_id.to_string(),
                    m.hostname.clone(),
                    name(&m.from),
                    name(&m.to),
                ]
            })
            .collect();
        (title, vec!["NODE", "HOSTNAME", "FROM", "TO"], rows)
    })
}

const NODE_HEADER: [&str; 6] = ["ID", "HOSTNAME", "SITE", "STATE", "SKU", "ASSIGNED"];

fn node_row(node: &NodeView) -> Vec<String> {
    vec![
        node.id.to_string(),
        node.hostname.clone(),
        node.site.clone(),
        word(&node.state),
        node.sku.clone().unwrap_or_else(|| "(unmatched)".into()),
        if node.assigned { "yes" } else { "no" }.into(),
    ]
}

fn nodes_print(format: OutputFormat, page: &Page<NodeView>) -> anyhow::Result<()> {
    emit(format, page, || {
        (
            String::new(),
            NODE_HEADER.to_vec(),
            page.items.iter().map(node_row).collect(),
        )
    })
}

fn node_print(format: OutputFormat, node: &NodeView) -> anyhow::Result<()> {
    emit(format, node, || {
        let facts = &node.facts;
        let joined = |items: Vec<String>| {
            if items.is_empty() {
                "-".to_string()
            } else {
                items.join(", ")
            }
        };
        let mut rows = vec![
            vec!["site".into(), node.site.clone()],
            vec!["state".into(), word(&node.state)],
            vec!["assigned".into(), if node.assigned { "yes" } else { "no" }.into()],
            vec![
                "sku".into(),
                node.sku.clone().unwrap_or_else(|| "(unmatched)".into()),
            ],
        ];
        if !node.unmatched_reasons.is_empty() {
            rows.push(vec!["unmatched".into(), node.unmatched_reasons.join("; ")]);
        }
        rows.extend([
            vec![
                "cpu".into(),
                format!(
                    "{} ({} socket(s), {} cores)",
                    facts.cpu.model, facts.cpu.sockets, facts.cpu.cores
                ),
            ],
            vec!["ram".into(), format!("{} GiB", facts.ram_mib / MIB_PER_GIB)],
            vec![
                "gpus".into(),
                joined(
                    facts
                        .gpus
                        .iter()
                        .map(|g| format!("{}x {} ({} GiB)", g.count, g.model, g.memory_mib / MIB_PER_GIB))
                        .collect(),
                ),
            ],
            vec![
                "disks".into(),
                joined(
                    facts
                        .disks
                        .iter()
                        .map(|d| format!("{} {} GiB", word(&d.kind), d.size_gib))
                        .collect(),
                ),
            ],
            vec![
                "nics".into(),
                joined(
                    facts
                        .nics
                        .iter()
                        .map(|n| format!("{} Gb/s", n.speed_gbps))
                        .collect(),
                ),
            ],
            vec![
                "interconnects".into(),
                joined(facts.interconnects.iter().map(word).collect()),
            ],
            vec![
                "placement".into(),
                joined(
                    [
                        node.placement.rack.as_ref().map(|r| format!("rack {r}")),
                        node.placement.position.map(|p| format!("position {p}")),
                        node.placement
                            .fabric_group
                            .as_ref()
                            .map(|f| format!("fabric group {f}")),
                    ]
                    .into_iter()
                    .flatten()
                    .collect(),
                ),
            ],
        ]);
        for condition in &node.health {
            let mut text = format!(
                "{} ({}, from {} since {})",
                condition.kind,
                word(&condition.action),
                condition.source,
                condition.since
            );
            if let Some(detail) = &condition.detail {
                text.push_str(": ");
                text.push_str(detail);
            }
            rows.push(vec!["health".into(), text]);
        }
        (
            format!("{} {}", node.id, node.hostname),
            vec!["FIELD", "VALUE"],
            rows,
        )
    })
}

/// GPUS, MIN CORES, MIN RAM, MIN STORAGE, INTERCONNECT cells of a SKU.
fn constraints_cells(c: &SkuConstraints) -> Vec<String> {
    let gpus = match &c.gpu_model {
        Some(model) => format!("{}x {model}", c.gpu_count),
        None => "-".into(),
    };
    vec![
        gpus,
        c.cores_min.to_string(),
        format!("{} GiB", c.ram_min_mib / MIB_PER_GIB),
        format!("{} GiB", c.storage_min_gib),
        c.interconnect.as_ref().map_or_else(|| "-".into(), word),
    ]
}

fn gib_as_mib(gib: u64) -> anyhow::Result<u64> {
    gib.checked_mul(MIB_PER_GIB)
        .with_context(|| format!("{gib} GiB is too large"))
}

#[cfg(test)]
mod tests {
    // Unit tests fail by panicking.
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn enums_print_as_the_api_spells_them() {
        assert_eq!(word(&NodeState::Decommissioning), "decommissioning");
        assert_eq!(
            word(&ingot_sdk::ingot_contracts::inventory::HealthAction::PreventsAllocation),
            "prevents_allocation"
        );
    }
}
