//! Inventory.Catalog service: the `contracts::inventory` traits. Each use case authorizes, loads,
//! decides with the model, then saves, emits its events and (for operator changes) its audit
//! record in one transaction.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use ingot_contracts::BoxFuture;
use ingot_contracts::allocation::{EvacuationError, NodeEvacuation};
use ingot_contracts::iam::{Action, Actor, AuditEntry, AuditTrail, Authorizer, DenyReason, Resource};
use ingot_contracts::inventory::{
    CapacityHistoryPoint, CapacityView, EligibleNode, HealthCondition, InventoryApi, InventoryError,
    InventoryForAllocation, MaintenanceRequest, NODE_HISTORY_MAX, NodeCommand, NodeFilter, NodeHealthChanged,
    NodeHistoryEntry, NodeImportReport, NodeImportRequest, NodeImportRow, NodeRegistered, NodeRegistration,
    NodeRegistry, NodeSkuChanged, NodeState, NodeStateChanged, NodeView, OfferPriceChanged, OfferSetRequest,
    OfferView, PriceQuote, QuarantineRequest, SiteCreateRequest, SiteStatus, SiteView, SkuChangeReport,
    SkuCreateRequest, SkuMoveView, SkuUpdateRequest, SkuView,
};
use ingot_kernel::db::{Db, DbError, Tx};
use ingot_kernel::event::DomainEvent;
use ingot_kernel::id::{NodeId, SiteId, SkuId};
use ingot_kernel::page::{Page, PageRequest};
use ingot_kernel::{Clock, Timestamp, outbox};

use crate::model::{
    HealthAction, MatchOutcome, Node, Site, Sku, SkuConstraints, fleet_rematch, node_transition, sku_match,
};
use crate::store::{self, NodeQuery};

/// The most nodes one import may carry.
pub const IMPORT_ROWS_MAX: usize = 5_000;

/// One operator lifecycle step: the command, the state that means it is already done, what the
/// audit log calls it, and whether an assigned node may take it.
struct OperatorStep {
    command: NodeCommand,
    already: NodeState,
    audit_action: &'static str,
    allow_assigned: bool,
}

/// Health condition kinds Inventory itself raises for operator states.
const HEALTH_MAINTENANCE: &str = "maintenance";
const HEALTH_QUARANTINE: &str = "quarantine";

pub struct InventoryService {
    db: Db,
    clock: Arc<dyn Clock>,
    authorizer: Arc<dyn Authorizer>,
    audit: Arc<dyn AuditTrail>,
    /// Allocation's evacuation call; absent until Allocation is wired, when forced maintenance of
    /// an assigned node is refused as unavailable.
    evacuation: Option<Arc<dyn NodeEvacuation>>,
}

type Result<T> = std::result::Result<T, InventoryError>;

/// Logs a storage failure and answers with an opaque internal error.
fn internal(err: DbError) -> InventoryError {
    if err.is_unavailable() {
        tracing::warn!(error = %err, "inventory: the database is unavailable");
        return InventoryError::Unavailable("the database");
    }
    tracing::error!(error = %err, "inventory storage failed");
    InventoryError::Internal
}

trait OrInternal<T> {
    fn or_internal(self) -> Result<T>;
}

impl<T, E: Into<DbError>> OrInternal<T> for std::result::Result<T, E> {
    fn or_internal(self) -> Result<T> {
        self.map_err(|err| internal(err.into()))
    }
}

async fn emit(tx: &mut Tx, event: &impl DomainEvent, now: Timestamp) -> Result<()> {
    outbox::append_in_tx(tx, &event.to_envelope(now))
        .await
        .or_internal()?;
    Ok(())
}

fn name_valid(name: &str, max: usize) -> bool {
    (2..=max).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-')
}

fn hostname_valid(hostname: &str) -> bool {
    !hostname.is_empty()
        && hostname.len() <= 253
        && hostname.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// Problems with a SKU's constraints, as (field, message).
fn constraints_problems(c: &SkuConstraints, prefix: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    match (&c.gpu_model, c.gpu_count) {
        (Some(model), 0) => out.push((
            format!("{prefix}gpu_count"),
            format!("a SKU naming GPU model {model} needs gpu_count of at least 1"),
        )),
        (None, count) if count > 0 => out.push((
            format!("{prefix}gpu_model"),
            "a SKU with GPUs must name their model".into(),
        )),
        (Some(model), _) if model.trim().is_empty() => {
            out.push((format!("{prefix}gpu_model"), "must not be blank".into()))
        }
        _ => {}
    }
    if c.cores_min == 0 {
        out.push((format!("{prefix}cores_min"), "must be at least 1".into()));
    }
    if c.ram_min_mib == 0 {
        out.push((format!("{prefix}ram_min_mib"), "must be at least 1".into()));
    }
    out
}

/// Problems with reported hardware facts, as (field, message).
fn facts_problems(facts: &ingot_contracts::inventory::HardwareFacts, prefix: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if facts.cpu.cores == 0 {
        out.push((format!("{prefix}facts.cpu.cores"), "must be at least 1".into()));
    }
    if facts.cpu.sockets == 0 {
        out.push((format!("{prefix}facts.cpu.sockets"), "must be at least 1".into()));
    }
    if facts.ram_mib == 0 {
        out.push((format!("{prefix}facts.ram_mib"), "must be at least 1".into()));
    }
    for (i, gpu) in facts.gpus.iter().enumerate() {
        if gpu.model.trim().is_empty() {
            out.push((
                format!("{prefix}facts.gpus[{i}].model"),
                "must not be blank".into(),
            ));
        }
        if gpu.count == 0 {
            out.push((
                format!("{prefix}facts.gpus[{i}].count"),
                "must be at least 1".into(),
            ));
        }
    }
    for (i, disk) in facts.disks.iter().enumerate() {
        if disk.size_gib == 0 {
            out.push((
                format!("{prefix}facts.disks[{i}].size_gib"),
                "must be at least 1".into(),
            ));
        }
    }
    out
}

fn site_view(site: &Site) -> SiteView {
    SiteView {
        id: site.id,
        name: site.name.clone(),
        region: site.region.clone(),
        country: site.country.clone(),
        status: site.status,
    }
}

fn sku_view(sku: &Sku) -> SkuView {
    SkuView {
        id: sku.id,
        name: sku.name.clone(),
        description: sku.description.clone(),
        active: sku.active,
        constraints: sku.constraints.clone(),
    }
}

/// Which SKU `facts` sells as: the SKU, or none and why.
fn sku_for(facts: &ingot_contracts::inventory::HardwareFacts, skus: &[Sku]) -> (Option<SkuId>, Vec<String>) {
    match sku_match(facts, skus) {
        MatchOutcome::Matched { sku_id } => (Some(sku_id), Vec::new()),
        MatchOutcome::Unmatched { reasons } => (None, reasons),
    }
}

/// Names of sites and SKUs, for rendering views.
struct Names {
    sites: BTreeMap<SiteId, Site>,
    skus: BTreeMap<SkuId, Sku>,
}

impl Names {
    fn site(&self, id: SiteId) -> String {
        self.sites.get(&id).map(|s| s.name.clone()).unwrap_or_default()
    }

    fn sku(&self, id: Option<SkuId>) -> Option<String> {
        id.and_then(|id| self.skus.get(&id)).map(|s| s.name.clone())
    }
}

impl InventoryService {
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        authorizer: Arc<dyn Authorizer>,
        audit: Arc<dyn AuditTrail>,
        evacuation: Option<Arc<dyn NodeEvacuation>>,
    ) -> InventoryService {
        InventoryService {
            db,
            clock,
            authorizer,
            audit,
            evacuation,
        }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Every Inventory action is on the platform's fleet: tenants reach nodes only through
    /// Allocation.
    fn authorize(&self, actor: &Actor, action: Action) -> Result<()> {
        Ok(self.authorizer.allow(actor, action, Resource::Platform)?)
    }

    async fn audit(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        action: &'static str,
        target: String,
        details: serde_json::Value,
    ) -> Result<()> {
        self.audit
            .audit_in_tx(
                tx,
                actor,
                AuditEntry {
                    action,
                    target,
                    details,
                },
            )
            .await
            .or_internal()
    }

    async fn names(&self) -> Result<Names> {
        let sites = store::sites_list(self.db.reader()).await.or_internal()?;
        let skus = store::skus_list(self.db.reader()).await.or_internal()?;
        Ok(Names {
            sites: sites.into_iter().map(|s| (s.id, s)).collect(),
            skus: skus.into_iter().map(|s| (s.id, s)).collect(),
        })
    }

    async fn node_view(&self, node: Node, names: &Names) -> Result<NodeView> {
        let health = store::health_of(self.db.reader(), node.id).await.or_internal()?;
        Ok(Self::node_view_with(node, health, names))
    }

    /// Views of many nodes with one query for their health.
    async fn node_views(&self, nodes: Vec<Node>, names: &Names) -> Result<Vec<NodeView>> {
        let ids: Vec<NodeId> = nodes.iter().map(|n| n.id).collect();
        let mut health = store::health_of_many(self.db.reader(), &ids)
            .await
            .or_internal()?;
        Ok(nodes
            .into_iter()
            .map(|node| {
                let conditions = health.remove(&node.id).unwrap_or_default();
                Self::node_view_with(node, conditions, names)
            })
            .collect())
    }

    fn node_view_with(node: Node, health: Vec<HealthCondition>, names: &Names) -> NodeView {
        NodeView {
            id: node.id,
            hostname: node.hostname,
            site: names.site(node.site_id),
            site_id: node.site_id,
            state: node.state,
            assigned: node.assigned,
            sku: names.sku(node.sku_id),
            sku_id: node.sku_id,
            unmatched_reasons: node.unmatched_reasons,
            facts: node.facts,
            placement: node.placement,
            health,
            created_at: node.created_at,
            updated_at: node.updated_at,
        }
    }

    async fn node_load(&self, node_id: NodeId) -> Result<Node> {
        store::node_get(self.db.reader(), node_id)
            .await
            .or_internal()?
            .ok_or(InventoryError::NotFound("node"))
    }

    /// Re-matches every node against `skus` inside `tx`, saving and announcing each move.
    async fn rematch_in_tx(
        &self,
        tx: &mut Tx,
        skus: &[Sku],
        now: Timestamp,
    ) -> Result<Vec<(Node, Option<SkuId>)>> {
        let nodes = store::nodes_for_rematch(&mut **tx).await.or_internal()?;
        let current: Vec<_> = nodes.iter().map(|n| (n.id, n.facts.clone(), n.sku_id)).collect();
        let moves = fleet_rematch(&current, skus);
        let by_id: BTreeMap<NodeId, &Node> = nodes.iter().map(|n| (n.id, n)).collect();
        let mut moved = Vec::with_capacity(moves.len());
        for m in moves {
            let node = by_id[&m.node_id];
            let (_, reasons) = sku_for(&node.facts, skus);
            store::node_sku_update_in_tx(tx, node, m.to, &reasons, now)
                .await
                .or_internal()?;
            emit(
                tx,
                &NodeSkuChanged {
                    node_id: node.id,
                    site_id: node.site_id,
                    from: m.from,
                    to: m.to,
                },
                now,
            )
            .await?;
            moved.push(((*node).clone(), m.to));
        }
        // Unmatched nodes keep up-to-date reasons even when their SKU did not move.
        for node in nodes.iter().filter(|n| n.sku_id.is_none()) {
            let (sku_id, reasons) = sku_for(&node.facts, skus);
            if sku_id.is_none() && reasons != node.unmatched_reasons {
                store::node_sku_update_in_tx(tx, node, None, &reasons, now)
                    .await
                    .or_internal()?;
            }
        }
        Ok(moved)
    }

    fn sku_report(sku: &Sku, moved: Vec<(Node, Option<SkuId>)>, skus: &[Sku]) -> SkuChangeReport {
        let name = |id: Option<SkuId>| {
            id.and_then(|id| skus.iter().find(|s| s.id == id))
                .map(|s| s.name.clone())
        };
        SkuChangeReport {
            sku: sku_view(sku),
            moved: moved
                .into_iter()
                .map(|(node, to)| SkuMoveView {
                    node_id: node.id,
                    hostname: node.hostname,
                    from: name(node.sku_id),
                    to: name(to),
                })
                .collect(),
        }
    }

    /// Raises (or refreshes) a condition and announces it as stored (a refresh keeps `since`).
    async fn health_raise_in_tx(
        &self,
        tx: &mut Tx,
        node: &Node,
        condition: &HealthCondition,
        now: Timestamp,
    ) -> Result<()> {
        store::health_upsert_in_tx(tx, node, condition, now)
            .await
            .or_internal()?;
        let stored = store::health_of(&mut **tx, node.id)
            .await
            .or_internal()?
            .into_iter()
            .find(|c| c.kind == condition.kind)
            .ok_or(InventoryError::Internal)?;
        let event = NodeHealthChanged {
            node_id: node.id,
            site_id: node.site_id,
            condition: stored,
            cleared_at: None,
        };
        emit(tx, &event, now).await
    }

    /// Clears a condition, announcing the window it covered; clearing nothing changes nothing.
    async fn health_clear_in_tx(&self, tx: &mut Tx, node: &Node, kind: &str, now: Timestamp) -> Result<()> {
        if let Some(cleared) = store::health_clear_in_tx(tx, node, kind, now)
            .await
            .or_internal()?
        {
            let event = NodeHealthChanged {
                node_id: node.id,
                site_id: node.site_id,
                condition: cleared,
                cleared_at: Some(now),
            };
            emit(tx, &event, now).await?;
        }
        Ok(())
    }

    /// Applies a lifecycle command to a node: compare-and-set on its state, with the event and
    /// the health condition that goes with operator states, in `tx`.
    async fn node_command_in_tx(
        &self,
        tx: &mut Tx,
        node: &Node,
        command: NodeCommand,
        reason: Option<String>,
        source: &str,
        now: Timestamp,
    ) -> Result<NodeState> {
        let to =
            node_transition(node.state, command).map_err(|err| InventoryError::Conflict(err.to_string()))?;
        if !store::node_state_update_in_tx(tx, node, to, now)
            .await
            .or_internal()?
        {
            return Err(InventoryError::Conflict(
                "the node changed state meanwhile; reload and retry".into(),
            ));
        }
        // Operator states carry a health condition of their own: leaving the state clears it,
        // entering raises it, whichever command moved the node.
        let operator_condition = |state| match state {
            NodeState::Maintenance => Some((HEALTH_MAINTENANCE, HealthAction::SuppressesAlerting)),
            NodeState::Quarantined => Some((HEALTH_QUARANTINE, HealthAction::PreventsAllocation)),
            _ => None,
        };
        if let Some((kind, _)) = operator_condition(node.state) {
            self.health_clear_in_tx(tx, node, kind, now).await?;
        }
        if let Some((kind, action)) = operator_condition(to) {
            let condition = HealthCondition {
                kind: kind.into(),
                action,
                source: source.into(),
                since: now,
                detail: reason.clone(),
            };
            self.health_raise_in_tx(tx, node, &condition, now).await?;
        }
        let detail = format!(
            "{} → {} ({source}){}",
            enum_word(&node.state),
            enum_word(&to),
            reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default()
        );
        store::node_history_append_in_tx(tx, node.id, now, ("state_changed", &detail, None))
            .await
            .or_internal()?;
        emit(
            tx,
            &NodeStateChanged {
                node_id: node.id,
                site_id: node.site_id,
                from: node.state,
                to,
                reason,
            },
            now,
        )
        .await?;
        Ok(to)
    }

    /// An operator's lifecycle command: authorized, audited, a no-op when already done.
    async fn node_operate(
        &self,
        actor: &Actor,
        node_id: NodeId,
        step: OperatorStep,
        reason: Option<String>,
    ) -> Result<NodeView> {
        let OperatorStep {
            command,
            already,
            audit_action,
            allow_assigned,
        } = step;
        let node = self.node_load(node_id).await?;
        // Checked on the same read the state change is compare-and-set against, so a node
        // Allocation assigns meanwhile makes the change fail instead of slipping through.
        if !allow_assigned && node.assigned && node.state == NodeState::Available {
            return Err(InventoryError::NodeAssigned);
        }
        if node.state != already {
            let now = self.clock.now();
            let source = actor
                .user_id
                .map_or_else(|| "operator".into(), |u| format!("operator:{u}"));
            let mut tx = self.db.begin().await.or_internal()?;
            let to = self
                .node_command_in_tx(&mut tx, &node, command, reason.clone(), &source, now)
                .await?;
            self.audit(
                &mut tx,
                actor,
                audit_action,
                node.id.to_string(),
                serde_json::json!({"from": node.state, "to": to, "reason": reason}),
            )
            .await?;
            tx.commit().await.or_internal()?;
        }
        let names = self.names().await?;
        let node = self.node_load(node_id).await?;
        self.node_view(node, &names).await
    }

    /// Checks every import row against the catalog and the fleet, collecting all problems.
    async fn import_problems(
        &self,
        rows: &[NodeImportRow],
        sites: &BTreeMap<String, Site>,
    ) -> Result<Vec<(String, String)>> {
        let mut problems = Vec::new();
        if rows.is_empty() {
            problems.push(("nodes".into(), "at least one node is required".into()));
        }
        if rows.len() > IMPORT_ROWS_MAX {
            problems.push((
                "nodes".into(),
                format!("at most {IMPORT_ROWS_MAX} nodes per import"),
            ));
            return Ok(problems);
        }
        let mut seen = BTreeSet::new();
        for (i, row) in rows.iter().enumerate() {
            let at = format!("nodes[{i}].");
            let hostname = row.hostname.to_ascii_lowercase();
            if !hostname_valid(&hostname) {
                problems.push((format!("{at}hostname"), "must be a valid hostname".into()));
            } else if !seen.insert(hostname.clone()) {
                problems.push((
                    format!("{at}hostname"),
                    format!("{hostname} appears twice in this import"),
                ));
            } else if store::node_by_hostname(self.db.reader(), &hostname)
                .await
                .or_internal()?
                .is_some()
            {
                problems.push((
                    format!("{at}hostname"),
                    format!("{hostname} is already registered"),
                ));
            }
            if !sites.contains_key(&row.site) {
                problems.push((format!("{at}site"), format!("no site named {:?}", row.site)));
            }
            if let Some(state) = row
                .state
                .filter(|s| !matches!(s, NodeState::Onboarding | NodeState::Available))
            {
                problems.push((
                    format!("{at}state"),
                    format!(
                        "imported nodes start onboarding or available, not {}",
                        ingot_kernel::db::column::enum_to_text(&state)
                    ),
                ));
            }
            problems.extend(facts_problems(&row.facts, &at));
        }
        Ok(problems)
    }
}

impl InventoryApi for InventoryService {
    fn catalog_skus(&self) -> BoxFuture<'_, Result<Vec<SkuView>>> {
        Box::pin(async move {
            let skus = store::skus_list(self.db.reader()).await.or_internal()?;
            Ok(skus.iter().filter(|s| s.active).map(sku_view).collect())
        })
    }

    fn catalog_offers(&self) -> BoxFuture<'_, Result<Vec<OfferView>>> {
        Box::pin(async move {
            let offers = store::catalog_offers(self.db.reader()).await.or_internal()?;
            Ok(offers
                .into_iter()
                .map(|o| OfferView {
                    sku_id: o.sku_id,
                    sku: o.sku,
                    site_id: o.site_id,
                    site: o.site,
                    hourly_price: o.hourly_price,
                    available: o.available,
                })
                .collect())
        })
    }

    fn capacity<'a>(&'a self, actor: &'a Actor) -> BoxFuture<'a, Result<Vec<CapacityView>>> {
        Box::pin(async move {
            let full = match self.authorize(actor, Action::CapacityRead) {
                Ok(()) => true,
                Err(InventoryError::Denied(DenyReason::MissingRole)) => false,
                Err(err) => return Err(err),
            };
            let names = self.names().await?;
            let rows = store::capacity_list(self.db.reader()).await.or_internal()?;
            let mut views: Vec<CapacityView> = rows
                .into_iter()
                .filter(|((site_id, sku_id), _)| {
                    // Tenants see what is on sale: active SKUs at active sites.
                    full || (sku_id.is_some_and(|id| names.skus.get(&id).is_some_and(|s| s.active))
                        && names
                            .sites
                            .get(site_id)
                            .is_some_and(|s| s.status == SiteStatus::Active))
                })
                .map(|((site_id, sku_id), c)| CapacityView {
                    site_id,
                    site: names.site(site_id),
                    sku_id,
                    sku: names.sku(sku_id),
                    total: c.total,
                    available: c.available,
                    assigned: full.then_some(c.assigned),
                    maintenance: full.then_some(c.maintenance),
                    onboarding: full.then_some(c.onboarding),
                    unmatched: full.then_some(c.unmatched),
                })
                .collect();
            views.sort_by(|a, b| (&a.site, &a.sku).cmp(&(&b.site, &b.sku)));
            Ok(views)
        })
    }

    fn capacity_history<'a>(
        &'a self,
        actor: &'a Actor,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
    ) -> BoxFuture<'a, Result<Vec<CapacityHistoryPoint>>> {
        Box::pin(async move {
            self.authorize(actor, Action::CapacityRead)?;
            const DAY_US: i64 = 86_400_000_000;
            let to = to.unwrap_or_else(|| self.clock.now());
            let from = from.unwrap_or_else(|| Timestamp::from_micros(to.as_micros().saturating_sub(DAY_US)));
            if to <= from {
                return Err(InventoryError::invalid("to", "must be after from"));
            }
            let rows = store::capacity_history(self.db.reader(), from, to)
                .await
                .or_internal()?;
            Ok(rows
                .into_iter()
                .map(|(hour, (site_id, sku_id), c)| CapacityHistoryPoint {
                    hour,
                    site_id,
                    sku_id,
                    total: c.total,
                    available: c.available,
                    assigned: c.assigned,
                    maintenance: c.maintenance,
                    onboarding: c.onboarding,
                    unmatched: c.unmatched,
                })
                .collect())
        })
    }

    fn sites_list<'a>(&'a self, actor: &'a Actor) -> BoxFuture<'a, Result<Vec<SiteView>>> {
        Box::pin(async move {
            self.authorize(actor, Action::NodeRead)?;
            let sites = store::sites_list(self.db.reader()).await.or_internal()?;
            Ok(sites.iter().map(site_view).collect())
        })
    }

    fn site_create<'a>(
        &'a self,
        actor: &'a Actor,
        request: SiteCreateRequest,
    ) -> BoxFuture<'a, Result<SiteView>> {
        Box::pin(async move {
            self.authorize(actor, Action::CatalogManage)?;
            let mut problems = Vec::new();
            if !name_valid(&request.name, 32) {
                problems.push(("name".into(), "2–32 lowercase letters, digits or '-'".into()));
            }
            if request.region.trim().is_empty() || request.region.len() > 64 {
                problems.push(("region".into(), "1–64 characters".into()));
            }
            if request.country.len() != 2 || !request.country.bytes().all(|b| b.is_ascii_uppercase()) {
                problems.push(("country".into(), "an ISO 3166-1 alpha-2 code such as DE".into()));
            }
            if !problems.is_empty() {
                return Err(InventoryError::Invalid(problems));
            }
            let site = Site {
                id: SiteId::generate(),
                name: request.name,
                region: request.region.trim().to_string(),
                country: request.country,
                status: request.status.unwrap_or(SiteStatus::Planned),
            };
            let now = self.clock.now();
            let mut tx = self.db.begin().await.or_internal()?;
            match store::site_insert_in_tx(&mut tx, &site, now).await {
                Err(err) if err.is_unique_violation() => {
                    return Err(InventoryError::Conflict(format!(
                        "a site named {} exists",
                        site.name
                    )));
                }
                other => other.or_internal()?,
            }
            self.audit(
                &mut tx,
                actor,
                "inventory.site.create",
                site.id.to_string(),
                serde_json::json!({"name": site.name, "status": site.status}),
            )
            .await?;
            tx.commit().await.or_internal()?;
            Ok(site_view(&site))
        })
    }

    fn skus_list<'a>(&'a self, actor: &'a Actor) -> BoxFuture<'a, Result<Vec<SkuView>>> {
        Box::pin(async move {
            self.authorize(actor, Action::NodeRead)?;
            let skus = store::skus_list(self.db.reader()).await.or_internal()?;
            Ok(skus.iter().map(sku_view).collect())
        })
    }

    fn sku_create<'a>(
        &'a self,
        actor: &'a Actor,
        request: SkuCreateRequest,
    ) -> BoxFuture<'a, Result<SkuChangeReport>> {
        Box::pin(async move {
            self.authorize(actor, Action::CatalogManage)?;
            let mut problems = constraints_problems(&request.constraints, "constraints.");
            if !name_valid(&request.name, 48) {
                problems.insert(0, ("name".into(), "2–48 lowercase letters, digits or '-'".into()));
            }
            if !problems.is_empty() {
                return Err(InventoryError::Invalid(problems));
            }
            let sku = Sku {
                id: SkuId::generate(),
                name: request.name,
                description: request.description,
                active: request.active.unwrap_or(true),
                constraints: request.constraints,
            };
            let now = self.clock.now();
            let mut tx = self.db.begin().await.or_internal()?;
            match store::sku_insert_in_tx(&mut tx, &sku, now).await {
                Err(err) if err.is_unique_violation() => {
                    return Err(InventoryError::Conflict(format!(
                        "a SKU named {} exists",
                        sku.name
                    )));
                }
                other => other.or_internal()?,
            }
            let skus = store::skus_list(&mut *tx).await.or_internal()?;
            let moved = self.rematch_in_tx(&mut tx, &skus, now).await?;
            self.audit(
                &mut tx,
                actor,
                "inventory.sku.create",
                sku.id.to_string(),
                serde_json::json!({"name": sku.name, "constraints": sku.constraints, "active": sku.active, "nodes_moved": moved.len()}),
            )
            .await?;
            tx.commit().await.or_internal()?;
            Ok(Self::sku_report(&sku, moved, &skus))
        })
    }

    fn sku_update<'a>(
        &'a self,
        actor: &'a Actor,
        sku_id: SkuId,
        request: SkuUpdateRequest,
    ) -> BoxFuture<'a, Result<SkuChangeReport>> {
        Box::pin(async move {
            self.authorize(actor, Action::CatalogManage)?;
            if let Some(constraints) = &request.constraints {
                let problems = constraints_problems(constraints, "constraints.");
                if !problems.is_empty() {
                    return Err(InventoryError::Invalid(problems));
                }
            }
            let now = self.clock.now();
            let mut tx = self.db.begin().await.or_internal()?;
            let before = store::sku_get(&mut *tx, sku_id)
                .await
                .or_internal()?
                .ok_or(InventoryError::NotFound("sku"))?;
            let sku = Sku {
                description: request.description.unwrap_or_else(|| before.description.clone()),
                active: request.active.unwrap_or(before.active),
                constraints: request.constraints.unwrap_or_else(|| before.constraints.clone()),
                ..before.clone()
            };
            store::sku_update_in_tx(&mut tx, &sku, now).await.or_internal()?;
            let skus = store::skus_list(&mut *tx).await.or_internal()?;
            let moved = self.rematch_in_tx(&mut tx, &skus, now).await?;
            self.audit(
                &mut tx,
                actor,
                "inventory.sku.update",
                sku.id.to_string(),
                serde_json::json!({
                    "before": {"constraints": before.constraints, "active": before.active},
                    "after": {"constraints": sku.constraints, "active": sku.active},
                    "nodes_moved": moved.len(),
                }),
            )
            .await?;
            tx.commit().await.or_internal()?;
            Ok(Self::sku_report(&sku, moved, &skus))
        })
    }

    fn offer_set<'a>(
        &'a self,
        actor: &'a Actor,
        sku_id: SkuId,
        site: &'a str,
        request: OfferSetRequest,
    ) -> BoxFuture<'a, Result<OfferView>> {
        Box::pin(async move {
            self.authorize(actor, Action::PriceSet)?;
            if request.hourly_price.micros() <= 0 {
                return Err(InventoryError::invalid("hourly_price", "must be more than zero"));
            }
            let sku = store::sku_get(self.db.reader(), sku_id)
                .await
                .or_internal()?
                .ok_or(InventoryError::NotFound("sku"))?;
            let site = store::site_by_name(self.db.reader(), site)
                .await
                .or_internal()?
                .ok_or(InventoryError::NotFound("site"))?;
            let now = self.clock.now();
            let mut tx = self.db.begin().await.or_internal()?;
            let previous = store::offer_get(&mut *tx, sku.id, site.id).await.or_internal()?;
            if previous != Some(request.hourly_price) {
                store::offer_upsert_in_tx(&mut tx, sku.id, site.id, request.hourly_price, now)
                    .await
                    .or_internal()?;
                emit(
                    &mut tx,
                    &OfferPriceChanged {
                        sku_id: sku.id,
                        site_id: site.id,
                        previous,
                        hourly_price: request.hourly_price,
                        effective_at: now,
                    },
                    now,
                )
                .await?;
                self.audit(
                    &mut tx,
                    actor,
                    "inventory.offer.price_set",
                    format!("{}/{}", sku.id, site.name),
                    serde_json::json!({"previous": previous, "hourly_price": request.hourly_price, "reason": request.reason}),
                )
                .await?;
            }
            let available = store::capacity_list(&mut *tx)
                .await
                .or_internal()?
                .into_iter()
                .find(|(key, _)| *key == (site.id, Some(sku.id)))
                .map_or(0, |(_, c)| c.available);
            tx.commit().await.or_internal()?;
            Ok(OfferView {
                sku_id: sku.id,
                sku: sku.name,
                site_id: site.id,
                site: site.name,
                hourly_price: request.hourly_price,
                available,
            })
        })
    }

    fn nodes_list<'a>(
        &'a self,
        actor: &'a Actor,
        filter: NodeFilter,
    ) -> BoxFuture<'a, Result<Page<NodeView>>> {
        Box::pin(async move {
            self.authorize(actor, Action::NodeRead)?;
            let page = PageRequest {
                limit: filter.limit,
                cursor: filter.cursor.clone(),
            };
            let limit = page
                .limit()
                .map_err(|e| InventoryError::invalid("limit", e.to_string()))?;
            let after: Option<String> = page
                .after()
                .map_err(|e| InventoryError::invalid("cursor", e.to_string()))?;
            let names = self.names().await?;
            let site_id = match &filter.site {
                None => None,
                Some(name) => Some(
                    names
                        .sites
                        .values()
                        .find(|s| &s.name == name)
                        .map(|s| s.id)
                        .ok_or_else(|| InventoryError::invalid("site", format!("no site named {name:?}")))?,
                ),
            };
            let sku_id = match filter.sku.as_deref() {
                None => None,
                Some("unmatched") => Some(None),
                Some(name) => Some(Some(
                    names
                        .skus
                        .values()
                        .find(|s| s.name == name)
                        .map(|s| s.id)
                        .ok_or_else(|| InventoryError::invalid("sku", format!("no SKU named {name:?}")))?,
                )),
            };
            let query = NodeQuery {
                site_id,
                sku_id,
                state: filter.state,
                after,
                limit,
            };
            let nodes = store::nodes_page(self.db.reader(), &query).await.or_internal()?;
            let views = self.node_views(nodes, &names).await?;
            Ok(Page::from_overfetch(views, limit, |n| n.hostname.clone()))
        })
    }

    fn node_get<'a>(&'a self, actor: &'a Actor, node_id: NodeId) -> BoxFuture<'a, Result<NodeView>> {
        Box::pin(async move {
            self.authorize(actor, Action::NodeRead)?;
            let node = self.node_load(node_id).await?;
            let names = self.names().await?;
            self.node_view(node, &names).await
        })
    }

    fn node_history<'a>(
        &'a self,
        actor: &'a Actor,
        node_id: NodeId,
    ) -> BoxFuture<'a, Result<Vec<NodeHistoryEntry>>> {
        Box::pin(async move {
            self.authorize(actor, Action::NodeRead)?;
            self.node_load(node_id).await?;
            store::node_history(self.db.reader(), node_id, NODE_HISTORY_MAX)
                .await
                .or_internal()
        })
    }

    fn node_maintenance<'a>(
        &'a self,
        actor: &'a Actor,
        node_id: NodeId,
        request: MaintenanceRequest,
    ) -> BoxFuture<'a, Result<NodeView>> {
        Box::pin(async move {
            self.authorize(actor, Action::NodeOperate)?;
            if !request.enabled {
                return self
                    .node_operate(
                        actor,
                        node_id,
                        OperatorStep {
                            command: NodeCommand::MaintenanceEnd,
                            already: NodeState::Available,
                            audit_action: "inventory.node.maintenance_end",
                            allow_assigned: true,
                        },
                        request.reason,
                    )
                    .await;
            }
            let node = self.node_load(node_id).await?;
            if node.assigned && node.state == NodeState::Available {
                if !request.force {
                    return Err(InventoryError::NodeAssigned);
                }
                let evacuation = self
                    .evacuation
                    .as_ref()
                    .ok_or(InventoryError::Unavailable("allocation"))?;
                let reason = request
                    .reason
                    .clone()
                    .unwrap_or_else(|| "operator maintenance".into());
                evacuation
                    .node_evacuate(node_id, &reason)
                    .await
                    .map_err(|err| match err {
                        EvacuationError::Refused(why) => InventoryError::Conflict(why),
                        EvacuationError::Unavailable => InventoryError::Unavailable("allocation"),
                    })?;
            }
            self.node_operate(
                actor,
                node_id,
                OperatorStep {
                    command: NodeCommand::MaintenanceStart,
                    already: NodeState::Maintenance,
                    audit_action: "inventory.node.maintenance_start",
                    allow_assigned: request.force,
                },
                request.reason,
            )
            .await
        })
    }

    fn node_quarantine<'a>(
        &'a self,
        actor: &'a Actor,
        node_id: NodeId,
        request: QuarantineRequest,
    ) -> BoxFuture<'a, Result<NodeView>> {
        Box::pin(async move {
            self.authorize(actor, Action::NodeOperate)?;
            let (command, target, audit_action) = if request.enabled {
                (
                    NodeCommand::Quarantine,
                    NodeState::Quarantined,
                    "inventory.node.quarantine",
                )
            } else {
                (
                    NodeCommand::QuarantineRelease,
                    NodeState::Available,
                    "inventory.node.quarantine_release",
                )
            };
            // Quarantine is for suspect machines: it does not wait for their allocation to end.
            let step = OperatorStep {
                command,
                already: target,
                audit_action,
                allow_assigned: true,
            };
            self.node_operate(actor, node_id, step, request.reason).await
        })
    }

    fn nodes_import<'a>(
        &'a self,
        actor: &'a Actor,
        request: NodeImportRequest,
    ) -> BoxFuture<'a, Result<NodeImportReport>> {
        Box::pin(async move {
            self.authorize(actor, Action::NodeOperate)?;
            let sites: BTreeMap<String, Site> = store::sites_list(self.db.reader())
                .await
                .or_internal()?
                .into_iter()
                .map(|s| (s.name.clone(), s))
                .collect();
            let problems = self.import_problems(&request.nodes, &sites).await?;
            if !problems.is_empty() {
                return Err(InventoryError::Invalid(problems));
            }
            let now = self.clock.now();
            let mut tx = self.db.begin().await.or_internal()?;
            let skus = store::skus_list(&mut *tx).await.or_internal()?;
            let mut inserted = Vec::with_capacity(request.nodes.len());
            for row in request.nodes {
                let (sku_id, unmatched_reasons) = sku_for(&row.facts, &skus);
                let node = Node {
                    id: NodeId::generate(),
                    site_id: sites[&row.site].id,
                    hostname: row.hostname.to_ascii_lowercase(),
                    state: row.state.unwrap_or(NodeState::Onboarding),
                    facts: row.facts,
                    placement: row.placement,
                    source_ref: None,
                    sku_id,
                    unmatched_reasons,
                    assigned: false,
                    created_at: now,
                    updated_at: now,
                };
                emit(
                    &mut tx,
                    &NodeRegistered {
                        node_id: node.id,
                        site_id: node.site_id,
                        hostname: node.hostname.clone(),
                        state: node.state,
                        sku_id: node.sku_id,
                    },
                    now,
                )
                .await?;
                inserted.push(node);
            }
            match store::nodes_insert_in_tx(&mut tx, &inserted, now).await {
                // Validated above; a concurrent import or registration took a name since.
                Err(err) if err.is_unique_violation() => {
                    return Err(InventoryError::Conflict(
                        "a hostname in this import was registered by someone else meanwhile; nothing was imported"
                            .into(),
                    ));
                }
                other => other.or_internal()?,
            }
            for node in &inserted {
                store::node_history_append_in_tx(
                    &mut tx,
                    node.id,
                    now,
                    ("registered", "imported by an operator", None),
                )
                .await
                .or_internal()?;
            }
            self.audit(
                &mut tx,
                actor,
                "inventory.nodes.import",
                format!("{} nodes", inserted.len()),
                serde_json::json!({"node_ids": inserted.iter().map(|n| n.id).collect::<Vec<_>>()}),
            )
            .await?;
            tx.commit().await.or_internal()?;
            let names = self.names().await?;
            Ok(NodeImportReport {
                imported: self.node_views(inserted, &names).await?,
            })
        })
    }
}

impl InventoryForAllocation for InventoryService {
    fn eligible_nodes(
        &self,
        sku_id: SkuId,
        site_id: SiteId,
        sample: Option<u32>,
    ) -> BoxFuture<'_, Result<Vec<EligibleNode>>> {
        Box::pin(async move {
            let site = store::site_get(self.db.reader(), site_id)
                .await
                .or_internal()?
                .ok_or(InventoryError::NotFound("site"))?;
            let sku = store::sku_get(self.db.reader(), sku_id)
                .await
                .or_internal()?
                .ok_or(InventoryError::NotFound("sku"))?;
            if site.status != SiteStatus::Active || !sku.active {
                return Ok(Vec::new());
            }
            store::nodes_eligible(self.db.reader(), sku_id, site_id, sample)
                .await
                .or_internal()
        })
    }

    fn price_quote(&self, sku_id: SkuId, site_id: SiteId) -> BoxFuture<'_, Result<PriceQuote>> {
        Box::pin(async move {
            let hourly_price = store::offer_get(self.db.reader(), sku_id, site_id)
                .await
                .or_internal()?
                .ok_or(InventoryError::NotFound("offer"))?;
            Ok(PriceQuote {
                sku_id,
                site_id,
                hourly_price,
            })
        })
    }
}

impl NodeRegistry for InventoryService {
    fn node_register(&self, registration: NodeRegistration) -> BoxFuture<'_, Result<NodeId>> {
        Box::pin(async move {
            let mut problems = facts_problems(&registration.facts, "");
            let hostname = registration.hostname.to_ascii_lowercase();
            if !hostname_valid(&hostname) {
                problems.push(("hostname".into(), "must be a valid hostname".into()));
            }
            if !problems.is_empty() {
                return Err(InventoryError::Invalid(problems));
            }
            let now = self.clock.now();
            let mut tx = self.db.begin().await.or_internal()?;
            let skus = store::skus_list(&mut *tx).await.or_internal()?;
            let (sku_id, reasons) = sku_for(&registration.facts, &skus);
            let known = store::node_by_source_ref(&mut *tx, &registration.source_ref)
                .await
                .or_internal()?;
            let node_id = match known {
                Some(node) => {
                    if node.site_id != registration.site_id {
                        return Err(InventoryError::Conflict(format!(
                            "{} is registered at another site",
                            registration.source_ref
                        )));
                    }
                    store::node_facts_update_in_tx(
                        &mut tx,
                        node.id,
                        &hostname,
                        &registration.facts,
                        &registration.placement,
                        now,
                    )
                    .await
                    .or_internal()?;
                    if sku_id != node.sku_id || reasons != node.unmatched_reasons {
                        store::node_sku_update_in_tx(&mut tx, &node, sku_id, &reasons, now)
                            .await
                            .or_internal()?;
                    }
                    if sku_id != node.sku_id {
                        emit(
                            &mut tx,
                            &NodeSkuChanged {
                                node_id: node.id,
                                site_id: node.site_id,
                                from: node.sku_id,
                                to: sku_id,
                            },
                            now,
                        )
                        .await?;
                    }
                    node.id
                }
                None => {
                    let node = Node {
                        id: NodeId::generate(),
                        site_id: registration.site_id,
                        hostname,
                        state: NodeState::Onboarding,
                        facts: registration.facts,
                        placement: registration.placement,
                        source_ref: Some(registration.source_ref),
                        sku_id,
                        unmatched_reasons: reasons,
                        assigned: false,
                        created_at: now,
                        updated_at: now,
                    };
                    match store::node_insert_in_tx(&mut tx, &node).await {
                        Err(err) if err.is_unique_violation() => {
                            return Err(InventoryError::Conflict(format!(
                                "hostname {} is taken by another node",
                                node.hostname
                            )));
                        }
                        other => other.or_internal()?,
                    }
                    store::node_history_append_in_tx(
                        &mut tx,
                        node.id,
                        now,
                        (
                            "registered",
                            "registered by its provisioning system; onboarding",
                            None,
                        ),
                    )
                    .await
                    .or_internal()?;
                    emit(
                        &mut tx,
                        &NodeRegistered {
                            node_id: node.id,
                            site_id: node.site_id,
                            hostname: node.hostname.clone(),
                            state: node.state,
                            sku_id: node.sku_id,
                        },
                        now,
                    )
                    .await?;
                    node.id
                }
            };
            tx.commit().await.or_internal()?;
            Ok(node_id)
        })
    }

    fn node_command(
        &self,
        node_id: NodeId,
        command: NodeCommand,
        reason: String,
    ) -> BoxFuture<'_, Result<NodeState>> {
        Box::pin(async move {
            let node = self.node_load(node_id).await?;
            let now = self.clock.now();
            let mut tx = self.db.begin().await.or_internal()?;
            let to = self
                .node_command_in_tx(&mut tx, &node, command, Some(reason), "provisioning", now)
                .await?;
            tx.commit().await.or_internal()?;
            Ok(to)
        })
    }

    fn node_health_raise(&self, node_id: NodeId, condition: HealthCondition) -> BoxFuture<'_, Result<()>> {
        Box::pin(async move {
            let node = self.node_load(node_id).await?;
            let mut tx = self.db.begin().await.or_internal()?;
            self.health_raise_in_tx(&mut tx, &node, &condition, self.clock.now())
                .await?;
            tx.commit().await.or_internal()?;
            Ok(())
        })
    }

    fn node_health_clear<'a>(&'a self, node_id: NodeId, kind: &'a str) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let node = self.node_load(node_id).await?;
            let mut tx = self.db.begin().await.or_internal()?;
            self.health_clear_in_tx(&mut tx, &node, kind, self.clock.now())
                .await?;
            tx.commit().await.or_internal()?;
            Ok(())
        })
    }
}

/// Allocation's assignment facts, applied by the assignment consumer.
impl InventoryService {
    /// Reads Allocation's assignment events behind this domain's outbox cursor and records them,
    /// cursor and effects in one transaction. Returns how many events were read.
    pub async fn assignments_follow(&self, batch_max: i64) -> std::result::Result<usize, DbError> {
        use ingot_contracts::allocation::{NodeAssigned, NodeReleased};
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let batch =
            outbox::batch_fetch_in_tx(&self.db, &mut tx, "inventory-catalog.assignments", batch_max, now)
                .await?;
        let mut touched = std::collections::BTreeSet::new();
        for event in &batch.events {
            let (node_id, assigned, allocation_id) = match event.event_type.as_str() {
                NodeAssigned::EVENT_TYPE => {
                    match serde_json::from_value::<NodeAssigned>(event.payload.clone()) {
                        Ok(e) => (e.node_id, true, e.allocation_id),
                        Err(err) => {
                            tracing::error!(event_id = %event.id, error = %err, "unreadable assignment event skipped");
                            continue;
                        }
                    }
                }
                NodeReleased::EVENT_TYPE => {
                    match serde_json::from_value::<NodeReleased>(event.payload.clone()) {
                        Ok(e) => (e.node_id, false, e.allocation_id),
                        Err(err) => {
                            tracing::error!(event_id = %event.id, error = %err, "unreadable release event skipped");
                            continue;
                        }
                    }
                }
                _ => continue,
            };
            match store::node_assigned_mark_in_tx(&mut tx, node_id, assigned, now).await? {
                Some(row) => {
                    touched.insert(row);
                    let (kind, detail) = if assigned {
                        ("assigned", "assigned to an allocation")
                    } else {
                        ("freed", "released by the allocation it served")
                    };
                    store::node_history_append_in_tx(
                        &mut tx,
                        node_id,
                        event.occurred_at,
                        (kind, detail, Some(allocation_id)),
                    )
                    .await?;
                }
                None => tracing::warn!(%node_id, "assignment event for a node Inventory does not know"),
            }
        }
        // Each capacity row the batch touched is recounted once, not once per event.
        for (site_id, sku_id) in touched {
            store::capacity_refresh_in_tx(&mut tx, site_id, sku_id, now).await?;
        }
        if let Some(last) = batch.last {
            outbox::cursor_advance_in_tx(&mut tx, "inventory-catalog.assignments", last, now).await?;
        }
        tx.commit().await?;
        Ok(batch.events.len())
    }

    /// Copies current capacity into the hourly history for the hour `now` falls in.
    pub async fn capacity_snapshot(&self) -> std::result::Result<u64, DbError> {
        const HOUR_US: i64 = 3_600_000_000;
        let now = self.clock.now().as_micros();
        let hour = Timestamp::from_micros(now - now.rem_euclid(HOUR_US));
        let mut tx = self.db.begin().await?;
        let written = store::capacity_snapshot_in_tx(&mut tx, hour).await?;
        tx.commit().await?;
        Ok(written)
    }
}

/// The demo catalog a fresh embedded install starts with, so a new user never sees an empty
/// catalog: one active site and three SKUs at realistic list prices (USD per node-hour).
pub fn demo_catalog() -> (Site, Vec<(Sku, &'static str)>) {
    const GIB: u64 = 1024;
    let site = Site {
        id: SiteId::generate(),
        name: "demo1".into(),
        region: "demo".into(),
        country: "DE".into(),
        status: SiteStatus::Active,
    };
    let sku = |name: &str, description: &str, constraints| Sku {
        id: SkuId::generate(),
        name: name.into(),
        description: description.into(),
        active: true,
        constraints,
    };
    let gpu_box = |model: &str, cores_min| SkuConstraints {
        gpu_model: Some(model.into()),
        gpu_count: 8,
        cores_min,
        ram_min_mib: 1_024 * GIB,
        storage_min_gib: 7_000,
        interconnect: Some(ingot_contracts::inventory::Interconnect::Infiniband),
    };
    let skus = vec![
        (
            sku(
                "gpu-8x-h100",
                "8× NVIDIA H100 SXM5 80 GB, NVLink, 400 Gb/s InfiniBand per GPU",
                gpu_box("H100-SXM5-80GB", 96),
            ),
            "19.920000",
        ),
        (
            sku(
                "gpu-8x-a100",
                "8× NVIDIA A100 SXM4 80 GB, NVLink, 200 Gb/s InfiniBand per GPU",
                gpu_box("A100-SXM4-80GB", 64),
            ),
            "11.920000",
        ),
        (
            sku(
                "cpu-64c",
                "64 cores, 256 GB RAM, NVMe; no GPU",
                SkuConstraints {
                    gpu_model: None,
                    gpu_count: 0,
                    cores_min: 64,
                    ram_min_mib: 256 * GIB,
                    storage_min_gib: 1_800,
                    interconnect: None,
                },
            ),
            "1.200000",
        ),
    ];
    (site, skus)
}

impl InventoryService {
    /// A site's id by its name (for the composition root, which binds the demo site).
    pub async fn site_id_by_name(&self, name: &str) -> std::result::Result<Option<SiteId>, DbError> {
        Ok(store::site_by_name(self.db.reader(), name)
            .await?
            .map(|site| site.id))
    }

    /// Seeds [`demo_catalog`] when the catalog is empty (no site, no SKU). Returns whether it did.
    /// Two processes starting together cannot both seed: the loser's insert hits the unique
    /// site name and its transaction changes nothing.
    pub async fn demo_catalog_seed(&self) -> std::result::Result<bool, DbError> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        if !store::sites_list(&mut *tx).await?.is_empty() || !store::skus_list(&mut *tx).await?.is_empty() {
            return Ok(false);
        }
        let (site, skus) = demo_catalog();
        match store::site_insert_in_tx(&mut tx, &site, now).await {
            Err(err) if err.is_unique_violation() => return Ok(false),
            other => other?,
        }
        for (sku, price) in &skus {
            store::sku_insert_in_tx(&mut tx, sku, now).await?;
            let price = ingot_kernel::money::Money::parse(price, ingot_kernel::money::Currency::USD)
                .map_err(|_| ingot_kernel::db::column::corrupt("demo price"))?;
            store::offer_upsert_in_tx(&mut tx, sku.id, site.id, price, now).await?;
            let event = OfferPriceChanged {
                sku_id: sku.id,
                site_id: site.id,
                previous: None,
                hourly_price: price,
                effective_at: now,
            };
            outbox::append_in_tx(&mut tx, &event.to_envelope(now)).await?;
        }
        tx.commit().await?;
        Ok(true)
    }
}

/// An enum as the API spells it (`maintenance`), for history lines.
fn enum_word<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        _ => String::new(),
    }
}

/// Operations holds paging about a node an operator has put in maintenance, or whose health
/// condition is one that is expected during maintenance.
impl ingot_contracts::operations::MaintenanceSource for InventoryService {
    fn maintenance_of(
        &self,
        _site_id: Option<SiteId>,
        node_id: Option<NodeId>,
        _now: Timestamp,
    ) -> BoxFuture<'_, std::result::Result<Option<String>, String>> {
        Box::pin(async move {
            let Some(node_id) = node_id else { return Ok(None) };
            let node = store::node_get(self.db.reader(), node_id)
                .await
                .map_err(|e| e.to_string())?;
            let Some(node) = node else { return Ok(None) };
            if node.state == NodeState::Maintenance {
                return Ok(Some(format!(
                    "node {} ({node_id}) is in maintenance",
                    node.hostname
                )));
            }
            let conditions = store::health_of(self.db.reader(), node_id)
                .await
                .map_err(|e| e.to_string())?;
            Ok(conditions
                .iter()
                .find(|c| c.action == ingot_contracts::inventory::HealthAction::SuppressesAlerting)
                .map(|c| {
                    format!(
                        "node {} ({node_id}) has {}, expected during maintenance",
                        node.hostname, c.kind
                    )
                }))
        })
    }
}

/// What Inventory tells Operations' alert rules: each quarantined node (it waits for a person).
impl ingot_contracts::operations::SignalSource for InventoryService {
    fn signal_names(&self) -> &'static [&'static str] {
        &["inventory.node_quarantined"]
    }

    fn signals(
        &self,
        _query: ingot_contracts::operations::SignalQuery,
    ) -> BoxFuture<'_, std::result::Result<Vec<ingot_contracts::operations::Signal>, String>> {
        Box::pin(async move {
            let nodes = store::nodes_in_state(self.db.reader(), NodeState::Quarantined)
                .await
                .map_err(|e| e.to_string())?;
            Ok(nodes
                .into_iter()
                .map(|node| {
                    ingot_contracts::operations::Signal::new(
                        "inventory.node_quarantined",
                        format!("node:{}", node.id),
                        1.0,
                        format!("node {} ({}) is quarantined", node.hostname, node.id),
                    )
                    .at_site(node.site_id)
                    .at_node(node.id)
                })
                .collect())
        })
    }
}
