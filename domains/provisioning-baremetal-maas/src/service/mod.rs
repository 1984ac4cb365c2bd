//! Provisioning.BareMetal.MAAS service: site bindings (the region's URL and sealed key, and the
//! site's policy) and onboarding (commission what is new, hand what is commissioned to
//! Inventory, report what failed). Authorization is decided here for every call.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use ingot_contracts::BoxFuture;
use ingot_contracts::iam::{Action, Actor, AuditEntry, AuditTrail, Authorizer, Resource};
use ingot_contracts::inventory::{InventoryApi, NodeCommand, NodeRegistry};
use ingot_contracts::maas::{
    DriftView, MaasApi, MaasError, MachineOnboardingFailed, NodeOperationRequest, NodeOperationView,
    OnboardReport, ReconcileReport, SiteBindingRequest, SiteBindingView, SitePolicy,
};
use ingot_kernel::Clock;
use ingot_kernel::crypto::SecretBox;
use ingot_kernel::db::{Db, DbError};
use ingot_kernel::event::DomainEvent as _;
use ingot_kernel::id::NodeId;
use ingot_kernel::id::SiteId;

mod deployments;
mod images;
mod operations;
mod reconcile;
mod signals;

pub use deployments::{ALLOCATION_ANNOTATION, DriveError};

use crate::client::{self, ApiKey, MaasClient, RetryPolicy};
use crate::model::{self, OnboardingStep};
use crate::store::{self, BindingRow};

type Result<T> = std::result::Result<T, MaasError>;

fn internal(err: impl std::fmt::Display + 'static) -> MaasError {
    if ingot_kernel::db::unavailable_in(&err) {
        tracing::warn!(error = %err, "MAAS domain: the database is unavailable");
        return MaasError::Unavailable("the database");
    }
    tracing::error!(error = %err, "MAAS domain storage failed");
    MaasError::Internal
}

fn upstream(err: client::MaasError) -> MaasError {
    MaasError::Upstream(err.to_string())
}

/// The context the API key is sealed under: a key sealed for one site opens for no other.
fn key_context(site_id: SiteId) -> String {
    format!("maas-api-key:{site_id}")
}

/// Tunables.
#[derive(Debug, Clone)]
pub struct MaasConfig {
    /// Requests in flight per region.
    pub in_flight_per_site: usize,
    pub retry: RetryPolicy,
}

impl Default for MaasConfig {
    fn default() -> MaasConfig {
        MaasConfig {
            in_flight_per_site: 8,
            retry: RetryPolicy::default(),
        }
    }
}

/// What the domain needs of Inventory: sites by name, and the registry machines go into.
pub struct InventoryLink {
    pub api: Arc<dyn InventoryApi>,
    pub registry: Arc<dyn NodeRegistry>,
}

pub struct MaasService {
    db: Db,
    clock: Arc<dyn Clock>,
    authorizer: Arc<dyn Authorizer>,
    audit: Arc<dyn AuditTrail>,
    secrets: SecretBox,
    inventory: Arc<dyn InventoryApi>,
    registry: Arc<dyn NodeRegistry>,
    config: MaasConfig,
    /// One client per site (its limit on requests in flight is per client), rebuilt when the
    /// binding changes.
    clients: Mutex<HashMap<SiteId, (String, MaasClient)>>,
}

/// A binding opened for use.
struct Binding {
    row: BindingRow,
    policy: SitePolicy,
    client: MaasClient,
}

impl MaasService {
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        authorizer: Arc<dyn Authorizer>,
        audit: Arc<dyn AuditTrail>,
        secrets: SecretBox,
        inventory: InventoryLink,
        config: MaasConfig,
    ) -> MaasService {
        MaasService {
            db,
            clock,
            authorizer,
            audit,
            secrets,
            inventory: inventory.api,
            registry: inventory.registry,
            config,
            clients: Mutex::new(HashMap::new()),
        }
    }

    async fn site_resolve(&self, actor: &Actor, site: &str) -> Result<(SiteId, String)> {
        let sites = self
            .inventory
            .sites_list(actor)
            .await
            .map_err(|err| MaasError::Upstream(format!("inventory: {err}")))?;
        sites
            .into_iter()
            .find(|s| s.name == site || s.id.to_string() == site)
            .map(|s| (s.id, s.name))
            .ok_or(MaasError::NotFound("site"))
    }

    fn client_build(&self, url: &str, key: ApiKey) -> Result<MaasClient> {
        MaasClient::new(url, key, self.config.in_flight_per_site, self.config.retry)
            .map_err(|err| MaasError::invalid("url", err.to_string()))
    }

    /// The site's API key, unsealed.
    fn key_open(&self, site_id: SiteId, sealed: &str) -> Result<ApiKey> {
        let opened = self
            .secrets
            .open(sealed, &key_context(site_id))
            .map_err(internal)?;
        ApiKey::parse(&String::from_utf8_lossy(&opened)).ok_or_else(|| internal("sealed key unreadable"))
    }

    fn binding_open(&self, row: BindingRow) -> Result<Binding> {
        let policy: SitePolicy = serde_json::from_str(&row.policy).map_err(internal)?;
        let signature = format!("{}|{}", row.url, row.api_key_sealed);
        let mut clients = self
            .clients
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let client = match clients.get(&row.site_id) {
            Some((seen, client)) if *seen == signature => client.clone(),
            _ => {
                let client = self.client_build(&row.url, self.key_open(row.site_id, &row.api_key_sealed)?)?;
                clients.insert(row.site_id, (signature, client.clone()));
                client
            }
        };
        Ok(Binding { row, policy, client })
    }

    async fn binding_load(&self, site_id: SiteId) -> Result<Binding> {
        let row = store::binding_get(self.db.reader(), site_id)
            .await
            .map_err(internal)?
            .ok_or(MaasError::NotFound("MAAS binding for this site"))?;
        self.binding_open(row)
    }

    fn view(binding: &Binding, site: String) -> SiteBindingView {
        SiteBindingView {
            site_id: binding.row.site_id,
            site,
            url: binding.row.url.clone(),
            api_key_id: binding.row.api_key_id.clone(),
            policy: binding.policy.clone(),
            updated_at: binding.row.updated_at,
        }
    }

    /// Stores a binding after checking the key against the region. `actor` is audited when the
    /// change is an operator's; the embedded default binds its simulated site with `None`.
    async fn binding_store(
        &self,
        actor: Option<&Actor>,
        site_id: SiteId,
        request: SiteBindingRequest,
    ) -> Result<Binding> {
        let mut errors = model::policy_validate(&request.policy);
        let url = request.url.trim().trim_end_matches('/').to_string();
        if !(url.starts_with("http://") || url.starts_with("https://")) || url.len() > 2_000 {
            errors.push((
                "url".into(),
                "an http(s) URL such as http://maas.example:5240/MAAS".into(),
            ));
        }
        let existing = store::binding_get(self.db.reader(), site_id)
            .await
            .map_err(internal)?;
        let key = match (&request.api_key, &existing) {
            (Some(text), _) => match ApiKey::parse(text) {
                Some(key) => Some(key),
                None => {
                    errors.push((
                        "api_key".into(),
                        "consumer:token:secret, as MAAS prints it".into(),
                    ));
                    None
                }
            },
            (None, Some(row)) => Some(self.key_open(site_id, &row.api_key_sealed)?),
            (None, None) => {
                errors.push(("api_key".into(), "required when a site is first bound".into()));
                None
            }
        };
        if !errors.is_empty() {
            return Err(MaasError::Invalid(errors));
        }
        let host = url
            .split("://")
            .nth(1)
            .unwrap_or_default()
            .split(['/', ':'])
            .next()
            .unwrap_or_default();
        if url.starts_with("http://")
            && !matches!(host, "127.0.0.1" | "localhost" | "[")
            && !host.starts_with("[::1]")
        {
            // MAAS serves plain HTTP on 5240 by default; PLAINTEXT OAuth then carries the key's
            // secret in clear. Allowed (it is MAAS's default), said loudly.
            tracing::warn!(%site_id, %url, "the region is reached over plain HTTP: its API key crosses the network in clear; prefer https");
        }
        let Some(key) = key else {
            return Err(internal("no key after validation"));
        };
        // The region must accept the key before it is kept.
        let client = self.client_build(&url, key.clone())?;
        match client.whoami().await {
            Ok(_) => {}
            Err(err) if matches!(err.status(), Some(401 | 403)) => {
                return Err(MaasError::invalid(
                    "api_key",
                    format!("the region refused this key: {err}"),
                ));
            }
            Err(err) => return Err(upstream(err)),
        }
        let sealed = self
            .secrets
            .seal(key.expose().as_bytes(), &key_context(site_id))
            .map_err(internal)?;
        let key_id = key.expose().split(':').next().unwrap_or_default().to_string();
        let row = BindingRow {
            site_id,
            url,
            api_key_id: key_id,
            api_key_sealed: sealed,
            policy: serde_json::to_string(&request.policy).map_err(internal)?,
            updated_at: self.clock.now(),
            onboarded_at: existing.as_ref().and_then(|row| row.onboarded_at),
        };
        let mut tx = self.db.begin().await.map_err(internal)?;
        store::binding_upsert_in_tx(&mut tx, &row)
            .await
            .map_err(internal)?;
        if let Some(actor) = actor {
            let entry = AuditEntry {
                action: "maas.site.bind",
                target: site_id.to_string(),
                details: serde_json::json!({
                    "url": row.url, "api_key_id": row.api_key_id, "key_changed": request.api_key.is_some(),
                    "policy": request.policy,
                }),
            };
            self.audit
                .audit_in_tx(&mut tx, actor, entry)
                .await
                .map_err(internal)?;
        }
        tx.commit().await.map_err(internal)?;
        tracing::info!(%site_id, url = %row.url, api_key_id = %row.api_key_id, "site bound to its MAAS region");
        let binding = self.binding_open(row)?;
        // Tenants see the site's images at once rather than after the next sync; a region that
        // cannot list them now is tried again by the images controller.
        if let Err(err) = self.images_sync_site(site_id).await {
            tracing::warn!(%site_id, error = %err, "image sync after binding failed; the images controller tries again");
        }
        Ok(binding)
    }

    /// Binds a site without an operator (the embedded default's simulated region).
    pub async fn binding_set_system(&self, site_id: SiteId, request: SiteBindingRequest) -> Result<()> {
        self.binding_store(None, site_id, request).await.map(|_| ())
    }

    /// Every machine of the site's region, recording whether the region answered (Operations
    /// alerts on a region silent for too long).
    async fn machines_observed(&self, binding: &Binding) -> Result<Vec<client::Machine>> {
        let answer = binding.client.machines(&Vec::new()).await;
        let error = answer.as_ref().err().map(|err| err.to_string());
        let mut tx = self.db.begin().await.map_err(internal)?;
        store::site_contact_in_tx(&mut tx, binding.row.site_id, error.as_deref(), self.clock.now())
            .await
            .map_err(internal)?;
        tx.commit().await.map_err(internal)?;
        answer.map_err(upstream)
    }

    /// One onboarding pass over every bound site; errors are logged per site.
    pub async fn onboard_all(&self) -> std::result::Result<usize, DbError> {
        let mut sites = 0;
        for row in store::bindings_all(self.db.reader()).await? {
            let site_id = row.site_id;
            match self.onboard_site(site_id).await {
                Ok(report) => {
                    sites += 1;
                    if report.registered + report.commissioning_started + report.failed > 0 {
                        tracing::info!(%site_id, ?report, "onboarding pass");
                    }
                }
                Err(err) => tracing::warn!(%site_id, error = %err, "onboarding pass failed"),
            }
        }
        Ok(sites)
    }

    /// One onboarding pass at a site: commission what is new (policy allowing), register what is
    /// commissioned with Inventory and mark it available, report failed commissioning once. One
    /// machine's trouble (an error from MAAS or Inventory) is logged and counted; the pass goes on.
    #[tracing::instrument(name = "maas.onboard_site", skip_all, fields(%site_id))]
    pub async fn onboard_site(&self, site_id: SiteId) -> Result<OnboardReport> {
        let binding = self.binding_load(site_id).await?;
        let machines = self.machines_observed(&binding).await?;
        let known: HashMap<String, store::MachineRow> = store::machines_of_site(self.db.reader(), site_id)
            .await
            .map_err(internal)?
            .into_iter()
            .map(|m| (m.system_id.clone(), m))
            .collect();
        let mut report = OnboardReport::default();
        for machine in machines.iter().filter(|m| model::site_admits(&binding.policy, m)) {
            report.seen += 1;
            let row = known.get(&machine.system_id);
            if let Err(err) = self.onboard_machine(&binding, machine, row, &mut report).await {
                report.errors += 1;
                tracing::warn!(%site_id, machine = %machine.system_id, error = %err, "onboarding step failed; retried next pass");
            }
        }
        let mut tx = self.db.begin().await.map_err(internal)?;
        store::site_onboarded_in_tx(&mut tx, site_id, self.clock.now())
            .await
            .map_err(internal)?;
        tx.commit().await.map_err(internal)?;
        Ok(report)
    }

    async fn onboard_machine(
        &self,
        binding: &Binding,
        machine: &client::Machine,
        row: Option<&store::MachineRow>,
        report: &mut OnboardReport,
    ) -> Result<()> {
        let site_id = binding.row.site_id;
        let now = self.clock.now();
        let mut tx = self.db.begin().await.map_err(internal)?;
        let seen = store::Observation {
            site_id,
            system_id: &machine.system_id,
            hostname: &machine.hostname,
            status: (machine.status, &machine.status_name),
            power_state: &machine.power_state,
            power_pass: false,
        };
        store::machine_observe_in_tx(&mut tx, &seen, now)
            .await
            .map_err(internal)?;
        tx.commit().await.map_err(internal)?;
        let has_node = row.is_some_and(|r| r.node_id.is_some());
        let onboarded = row.is_some_and(|r| r.onboarded_at.is_some());
        match model::onboarding_step(
            machine.status,
            has_node,
            onboarded,
            binding.policy.auto_commission,
        ) {
            OnboardingStep::Commission => {
                match binding.client.commission(&machine.system_id).await {
                    Ok(_) => report.commissioning_started += 1,
                    // Someone (or a concurrent pass) started it first.
                    Err(err) if err.status() == Some(400) => report.commissioning += 1,
                    Err(err) => return Err(upstream(err)),
                }
                let mut tx = self.db.begin().await.map_err(internal)?;
                store::machine_commission_requested_in_tx(&mut tx, site_id, &machine.system_id, now)
                    .await
                    .map_err(internal)?;
                tx.commit().await.map_err(internal)?;
            }
            OnboardingStep::AwaitOperator => report.awaiting_operator += 1,
            OnboardingStep::Wait => report.commissioning += 1,
            OnboardingStep::ReportFailure => {
                report.failed += 1;
                let message = [&machine.status_message, &machine.error_description]
                    .into_iter()
                    .find(|m| !m.is_empty())
                    .cloned()
                    .unwrap_or_else(|| machine.status_name.clone());
                let mut tx = self.db.begin().await.map_err(internal)?;
                let first =
                    store::machine_failure_report_in_tx(&mut tx, site_id, &machine.system_id, &message)
                        .await
                        .map_err(internal)?;
                if first {
                    let event = MachineOnboardingFailed {
                        site_id,
                        machine_ref: machine.system_id.clone(),
                        hostname: machine.hostname.clone(),
                        message: message.clone(),
                        node_id: row.and_then(|r| r.node_id),
                    };
                    ingot_kernel::outbox::append_in_tx(&mut tx, &event.to_envelope(now))
                        .await
                        .map_err(internal)?;
                    tracing::warn!(%site_id, machine = %machine.system_id, %message, "commissioning failed");
                }
                tx.commit().await.map_err(internal)?;
            }
            OnboardingStep::Register => {
                self.register(binding, machine).await?;
                report.registered += 1;
            }
            OnboardingStep::Skip => {}
        }
        Ok(())
    }

    /// Hands a commissioned machine to Inventory and, when it is free, completes its onboarding
    /// (it is then on sale); `onboarded_at` is recorded only once that succeeded.
    async fn register(&self, binding: &Binding, machine: &client::Machine) -> Result<()> {
        let site_id = binding.row.site_id;
        let devices = binding
            .client
            .devices(&machine.system_id)
            .await
            .map_err(upstream)?;
        let registration = model::registration(site_id, machine, &devices);
        let node_id = self
            .registry
            .node_register(registration)
            .await
            .map_err(|err| MaasError::Upstream(format!("inventory: {err}")))?;
        let onboarded = if machine.status == client::wire::status::READY {
            match self
                .registry
                .node_command(node_id, NodeCommand::OnboardingComplete, "commissioned".into())
                .await
            {
                Ok(_) => true,
                // A node Inventory already moved past onboarding (an operator's maintenance, a
                // refresh) is onboarded; anything else is retried next pass.
                Err(ingot_contracts::inventory::InventoryError::Conflict(why)) => {
                    tracing::info!(%node_id, %why, "node is past onboarding already");
                    true
                }
                Err(err) => return Err(MaasError::Upstream(format!("inventory: {err}"))),
            }
        } else {
            false
        };
        let mut tx = self.db.begin().await.map_err(internal)?;
        store::machine_registered_in_tx(
            &mut tx,
            site_id,
            &machine.system_id,
            node_id,
            onboarded.then(|| self.clock.now()),
        )
        .await
        .map_err(internal)?;
        tx.commit().await.map_err(internal)?;
        Ok(())
    }
}

impl MaasApi for MaasService {
    fn binding_get<'a>(&'a self, actor: &'a Actor, site: &'a str) -> BoxFuture<'a, Result<SiteBindingView>> {
        Box::pin(async move {
            self.authorizer
                .allow(actor, Action::CatalogManage, Resource::Platform)?;
            let (site_id, name) = self.site_resolve(actor, site).await?;
            let binding = self.binding_load(site_id).await?;
            Ok(Self::view(&binding, name))
        })
    }

    fn binding_set<'a>(
        &'a self,
        actor: &'a Actor,
        site: &'a str,
        request: SiteBindingRequest,
    ) -> BoxFuture<'a, Result<SiteBindingView>> {
        Box::pin(async move {
            self.authorizer
                .allow(actor, Action::CatalogManage, Resource::Platform)?;
            let (site_id, name) = self.site_resolve(actor, site).await?;
            let binding = self.binding_store(Some(actor), site_id, request).await?;
            Ok(Self::view(&binding, name))
        })
    }

    fn onboard<'a>(&'a self, actor: &'a Actor, site: &'a str) -> BoxFuture<'a, Result<OnboardReport>> {
        Box::pin(async move {
            self.authorizer
                .allow(actor, Action::NodeOperate, Resource::Platform)?;
            let (site_id, _) = self.site_resolve(actor, site).await?;
            self.onboard_site(site_id).await
        })
    }

    fn node_reimage<'a>(
        &'a self,
        actor: &'a Actor,
        node_id: NodeId,
        request: NodeOperationRequest,
    ) -> BoxFuture<'a, Result<NodeOperationView>> {
        Box::pin(self.operation_begin(actor, node_id, model::OpKind::Reimage, request))
    }

    fn node_decommission<'a>(
        &'a self,
        actor: &'a Actor,
        node_id: NodeId,
        request: NodeOperationRequest,
    ) -> BoxFuture<'a, Result<NodeOperationView>> {
        Box::pin(self.operation_begin(actor, node_id, model::OpKind::Decommission, request))
    }

    fn reconcile<'a>(&'a self, actor: &'a Actor, site: &'a str) -> BoxFuture<'a, Result<ReconcileReport>> {
        Box::pin(async move {
            self.authorizer
                .allow(actor, Action::NodeOperate, Resource::Platform)?;
            let (site_id, _) = self.site_resolve(actor, site).await?;
            self.reconcile_site(site_id).await
        })
    }

    fn drift_list<'a>(
        &'a self,
        actor: &'a Actor,
        site: &'a str,
        all: bool,
    ) -> BoxFuture<'a, Result<Vec<DriftView>>> {
        Box::pin(async move {
            self.authorizer
                .allow(actor, Action::NodeRead, Resource::Platform)?;
            let (site_id, _) = self.site_resolve(actor, site).await?;
            self.drift_views(site_id, all).await
        })
    }
}
