//! `ingotd`, the composition root: builds each domain's service from its dependencies (handed to
//! one another only as `contracts` traits), merges their routers under the house HTTP conventions,
//! and runs their controllers. It holds no business rules.

pub mod config;
pub mod http;
pub mod openapi;
pub mod telemetry;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use axum::Router;
use ingot_contracts::iam::{Authenticator, Authorizer};
use ingot_kernel::Clock;
use ingot_kernel::SystemClock;
use ingot_kernel::cache::{Cache, CacheError};
use ingot_kernel::crypto::SecretBox;
use ingot_kernel::db::{Db, DbError, KERNEL_MIGRATIONS, MigrationSet, PoolLimits};
use ingot_kernel::idempotency::IdempotencyPurge;
use ingot_kernel::worker::{Controller, controller_run};
use tokio::net::TcpListener;
use tokio::sync::watch;
use utoipa::OpenApi as _;
use utoipa_axum::router::OpenApiRouter;

use crate::config::Config;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");
pub const GIT_COMMIT: &str = env!("INGOT_GIT_COMMIT");

/// `0.1.0 (commit 1a2b3c4d5e6f)`.
pub const VERSION_LONG: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("INGOT_GIT_COMMIT"),
    ")"
);

/// Every domain's migrations, kernel first. Adding a domain adds one line here.
pub fn migration_sets() -> [&'static MigrationSet; 9] {
    [
        &KERNEL_MIGRATIONS,
        &ingot_iam::MIGRATIONS,
        &ingot_billing::MIGRATIONS,
        &ingot_inventory_catalog::MIGRATIONS,
        &ingot_provisioning_allocation::MIGRATIONS,
        &ingot_provisioning_baremetal_maas::MIGRATIONS,
        &ingot_app_platform::MIGRATIONS,
        &ingot_read_models::MIGRATIONS,
        &ingot_operations::MIGRATIONS,
    ]
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot open the database")]
    Database(#[source] DbError),
    #[error("cannot apply migrations")]
    Migrate(#[source] DbError),
    #[error("invalid redis url")]
    Cache(#[source] CacheError),
    #[error("OWNERS.toml is invalid: {0}")]
    Ownership(String),
    #[error("on-call file: {0}")]
    OnCall(String),
    #[error("secret key: {0}")]
    SecretKey(String),
    #[error("cannot start IAM")]
    Iam(#[source] ingot_iam::secrets::SecretError),
    #[error("cannot start the simulated MAAS region: {0}")]
    MaasSim(String),
}

/// IAM over `db`, as `serve` and `bootstrap-admin` both build it.
pub fn iam_build(
    config: &Config,
    db: &Db,
    clock: Arc<dyn Clock>,
    cache: Cache,
    notifier: Option<Arc<dyn ingot_iam::notify::Notifier>>,
) -> Result<Arc<ingot_iam::IamService>, StartError> {
    let mut iam_config = ingot_iam::IamConfig::default();
    if let Some(secret) = &config.kyc_webhook_secret {
        iam_config
            .kyc_webhook_secrets
            .insert(config.kyc_provider.clone(), secret.clone());
    }
    let secret_box = secret_box_load(config)?;
    let mut iam = ingot_iam::IamService::new(db.clone(), clock, cache, secret_box, iam_config)
        .map_err(StartError::Iam)?;
    if let Some(notifier) = notifier {
        iam = iam.with_notifier(notifier);
    }
    Ok(Arc::new(iam))
}

/// The on-call file `paging.oncall_file` names, read and checked against OWNERS.toml's roles;
/// outside `dev`, a routing key or webhook secret copied from an example is refused. No file:
/// nobody named (pages go to the roles, in the log). `serve` and `config check` both load it here.
pub fn on_call_load(
    config: &Config,
    registry: &ingot_contracts::operations::OwnershipRegistry,
) -> Result<ingot_operations::model::OnCall, String> {
    let Some(path) = &config.paging_oncall_file else {
        return Ok(ingot_operations::model::OnCall::default());
    };
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let on_call = ingot_operations::model::OnCall::parse(&text, registry)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if config.environment != config::Environment::Dev
        && let Some(person) = on_call.people.iter().find(|p| {
            [&p.pagerduty_routing_key, &p.webhook_secret]
                .into_iter()
                .flatten()
                .any(|secret| config::looks_like_an_example(secret))
        })
    {
        return Err(format!(
            "{}: {}: an example key or secret; make one for this installation",
            path.display(),
            person.name
        ));
    }
    Ok(on_call)
}

/// The key sealing secrets at rest: `INGOT_SECRET_KEY`, else `<data_dir>/secret.key`, made on
/// first start readable by its owner only.
pub fn secret_box_load(config: &Config) -> Result<SecretBox, StartError> {
    if let Some(key) = &config.secret_key {
        return SecretBox::from_base64(key)
            .map_err(|_| StartError::SecretKey("INGOT_SECRET_KEY is invalid".into()));
    }
    let path = config.data_dir.join("secret.key");
    let key = match std::fs::read_to_string(&path) {
        Ok(key) => key,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            let fail =
                |e: std::io::Error| StartError::SecretKey(format!("cannot write {}: {e}", path.display()));
            let key = SecretBox::key_generate().map_err(|e| StartError::SecretKey(e.to_string()))?;
            std::fs::create_dir_all(&config.data_dir).map_err(fail)?;
            // Written aside, then linked into place: a second process starting at the same moment
            // (bootstrap-admin beside serve) either links first or reads the finished file.
            let aside = config
                .data_dir
                .join(format!("secret.key.{}.tmp", std::process::id()));
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create(true).truncate(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            std::io::Write::write_all(&mut options.open(&aside).map_err(fail)?, key.as_bytes())
                .map_err(fail)?;
            let linked = std::fs::hard_link(&aside, &path);
            let _ = std::fs::remove_file(&aside);
            match linked {
                Ok(()) => key,
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                    std::fs::read_to_string(&path).map_err(fail)?
                }
                Err(err) => return Err(fail(err)),
            }
        }
        Err(err) => {
            return Err(StartError::SecretKey(format!(
                "cannot read {}: {err}",
                path.display()
            )));
        }
    };
    SecretBox::from_base64(&key)
        .map_err(|_| StartError::SecretKey(format!("{} is not a valid key", path.display())))
}

/// What tests (and future embedders) may swap; production uses the defaults.
#[derive(Clone)]
pub struct Seams {
    pub clock: Arc<dyn Clock>,
    /// `None`: IAM authenticates (production). Tests of the HTTP layer alone may stand in.
    pub authenticator: Option<Arc<dyn Authenticator>>,
    /// `None`: notifications are logged and kept in the outbox (the embedded default).
    pub notifier: Option<Arc<dyn ingot_iam::notify::Notifier>>,
    /// Allocation's answer when an operator forces maintenance on an assigned node. `None`:
    /// Allocation's own (the allocation the node serves is ended).
    pub node_evacuation: Option<Arc<dyn ingot_contracts::allocation::NodeEvacuation>>,
    /// Controllers not to run, by name: tests that drive those passes themselves.
    pub controllers_off: Vec<&'static str>,
}

impl Default for Seams {
    fn default() -> Seams {
        Seams {
            clock: Arc::new(SystemClock),
            authenticator: None,
            notifier: None,
            node_evacuation: None,
            controllers_off: Vec::new(),
        }
    }
}

/// A built, migrated control plane, ready to serve.
pub struct App {
    pub router: Router,
    pub db: Db,
    /// IAM, for the composition root's own commands (`bootstrap-admin`) and tests.
    pub iam: Arc<ingot_iam::IamService>,
    /// Billing, for tests that drive metering and rating passes themselves.
    pub billing: Arc<ingot_billing::service::BillingService>,
    /// Inventory, for tests that play the provisioning side (`NodeRegistry`) or Allocation.
    pub inventory: Arc<ingot_inventory_catalog::service::InventoryService>,
    /// Allocation, for tests that drive its lifecycle passes themselves.
    pub allocation: Arc<ingot_provisioning_allocation::service::AllocationService>,
    /// Read Models, for tests and commands that follow or rebuild projections themselves.
    pub read_models: Arc<ingot_read_models::service::ReadModelsService>,
    /// The installation key, for tests that seal what a domain would.
    pub secrets: ingot_kernel::crypto::SecretBox,
    /// The MAAS domain, for tests that drive onboarding passes themselves.
    pub maas: Arc<ingot_provisioning_baremetal_maas::service::MaasService>,
    /// Operations, for tests that drive alert and paging passes themselves.
    pub operations: Arc<ingot_operations::OperationsService>,
    /// App Platform, for tests that drive webhook passes themselves.
    pub app_platform: Arc<ingot_app_platform::service::AppPlatformService>,
    /// The simulated MAAS region of the embedded default, when it runs.
    pub maas_sim: Option<ingot_maas_sim::Sim>,
    /// Its HTTP task, stopped with the app.
    maas_sim_task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    pub openapi: utoipa::openapi::OpenApi,
    pub config: Config,
    clock: Arc<dyn Clock>,
    controllers: Vec<Arc<dyn Controller>>,
}

/// Inventory's evacuation seam, answered by Allocation once it is built.
#[derive(Default)]
struct EvacuationLate(OnceLock<Arc<dyn ingot_contracts::allocation::NodeEvacuation>>);

impl ingot_contracts::allocation::NodeEvacuation for EvacuationLate {
    fn node_evacuate<'a>(
        &'a self,
        node_id: ingot_kernel::id::NodeId,
        reason: &'a str,
    ) -> ingot_contracts::BoxFuture<'a, Result<(), ingot_contracts::allocation::EvacuationError>> {
        match self.0.get() {
            Some(allocation) => allocation.node_evacuate(node_id, reason),
            None => Box::pin(async { Err(ingot_contracts::allocation::EvacuationError::Unavailable) }),
        }
    }
}

/// Opens the configured database (SQLite under the data dir by default) without migrating it.
pub async fn database_connect(config: &Config) -> Result<Db, StartError> {
    match &config.database_url {
        Some(url) => Db::connect(url, PoolLimits::default()).await,
        None => Db::open_sqlite_file(&config.sqlite_path(), PoolLimits::default()).await,
    }
    .map_err(StartError::Database)
}

/// Opens the configured database (SQLite under the data dir by default) and migrates it.
pub async fn database_open(config: &Config, clock: &dyn Clock) -> Result<Db, StartError> {
    let db = database_connect(config).await?;
    db.migrate(&migration_sets(), clock.now())
        .await
        .map_err(StartError::Migrate)?;
    Ok(db)
}

pub async fn app_build(config: Config, seams: Seams) -> Result<App, StartError> {
    let clock = seams.clock.clone();
    let db = database_open(&config, clock.as_ref()).await?;
    let cache = match &config.redis_url {
        Some(url) => Cache::redis(url).map_err(StartError::Cache)?,
        None => Cache::in_process(),
    };
    let authorizer: Arc<dyn Authorizer> = Arc::new(ingot_iam::IamAuthorizer);
    let iam = iam_build(&config, &db, clock.clone(), cache.clone(), seams.notifier.clone())?;
    let mut registry =
        ingot_operations::model::ownership_registry_parse(ingot_operations::model::OWNERS_TOML)
            .map_err(StartError::Ownership)?;
    registry.projections = ingot_read_models::service::ownerships();
    let on_call = on_call_load(&config, &registry).map_err(StartError::OnCall)?;
    registry.on_call = on_call.by_role();

    // Inventory is built before Allocation (which asks it for nodes); Allocation answers
    // Inventory's evacuations once it is built.
    let evacuation_late = Arc::new(EvacuationLate::default());
    let inventory = Arc::new(ingot_inventory_catalog::service::InventoryService::new(
        db.clone(),
        clock.clone(),
        authorizer.clone(),
        iam.clone(),
        Some(
            seams
                .node_evacuation
                .clone()
                .unwrap_or_else(|| evacuation_late.clone()),
        ),
    ));
    if config.demo_catalog_enabled()
        && inventory
            .demo_catalog_seed()
            .await
            .map_err(StartError::Database)?
    {
        tracing::info!("seeded the demo catalog: site demo1 with SKUs gpu-8x-h100, gpu-8x-a100 and cpu-64c");
    }

    let mut billing = ingot_billing::service::BillingService::new(
        db.clone(),
        clock.clone(),
        authorizer.clone(),
        iam.clone(),
        ingot_billing::service::BillingConfig {
            test_provider: config.billing_test_provider_enabled(),
            runway_hours: config.billing_runway_hours,
            grace: config.billing_grace,
            ..ingot_billing::service::BillingConfig::default()
        },
    )
    .with_kyc(iam.clone());
    if let (Some(api_key), Some(webhook_secret)) = (&config.stripe_api_key, &config.stripe_webhook_secret) {
        billing = billing.with_stripe(Arc::new(ingot_billing::payments::Stripe::new(
            ingot_billing::payments::StripeConfig {
                base_url: config.stripe_base_url.clone(),
                api_key: api_key.clone(),
                webhook_secret: webhook_secret.clone(),
                return_url: config.stripe_return_url.clone(),
            },
        )));
    }
    let billing = Arc::new(billing);

    let secrets = secret_box_load(&config)?;
    let maas = Arc::new(ingot_provisioning_baremetal_maas::service::MaasService::new(
        db.clone(),
        clock.clone(),
        authorizer.clone(),
        iam.clone(),
        secrets.clone(),
        ingot_provisioning_baremetal_maas::service::InventoryLink {
            api: inventory.clone(),
            registry: inventory.clone(),
        },
        ingot_provisioning_baremetal_maas::service::MaasConfig::default(),
    ));
    let app_platform = Arc::new(ingot_app_platform::service::AppPlatformService::new(
        db.clone(),
        clock.clone(),
        secrets.clone(),
        ingot_app_platform::service::AppPlatformDeps {
            authorizer: authorizer.clone(),
            audit: iam.clone(),
            projects: iam.clone(),
            catalog: inventory.clone(),
            images: maas.clone(),
        },
        ingot_app_platform::service::WebhookConfig {
            private_destinations_ok: config.webhooks_private_destinations_allowed(),
            timeout: config.webhooks_timeout,
            attempts_max: config.webhooks_attempts_max,
            ..ingot_app_platform::service::WebhookConfig::default()
        },
    ));
    let allocation = Arc::new(ingot_provisioning_allocation::service::AllocationService::new(
        db.clone(),
        clock.clone(),
        secrets.clone(),
        ingot_provisioning_allocation::service::AllocationDeps {
            authorizer: authorizer.clone(),
            audit: iam.clone(),
            projects: iam.clone(),
            kyc: iam.clone(),
            catalog: inventory.clone(),
            inventory: inventory.clone(),
            balance: billing.clone(),
            launch: app_platform.clone(),
            images: maas.clone(),
        },
        ingot_provisioning_allocation::service::AllocationConfig {
            replacements_max: config.allocation_replacements_max,
            ..ingot_provisioning_allocation::service::AllocationConfig::default()
        },
    ));
    let _ = evacuation_late.0.set(allocation.clone());
    app_platform.allocations_attach(allocation.clone());
    let read_models = Arc::new(
        ingot_read_models::service::ReadModelsService::new(
            db.clone(),
            clock.clone(),
            cache.clone(),
            authorizer.clone(),
            ingot_read_models::service::ReadModelsConfig {
                cache_ttl: config.read_models_cache_ttl,
                cache_enabled: config.read_models_cache,
                currency: ingot_billing::service::BillingConfig::default().currency,
                ..ingot_read_models::service::ReadModelsConfig::default()
            },
        )
        .with_catalog(inventory.clone()),
    );
    let (maas_sim, maas_sim_task) = if config.maas_simulated_enabled() {
        match maas_sim_start(&config, clock.clone(), &inventory, &maas).await? {
            Some((sim, task)) => (Some(sim), Some(task)),
            None => (None, None),
        }
    } else {
        (None, None)
    };

    let domain_controllers: Vec<Arc<dyn Controller>> = [
        vec![Arc::new(IdempotencyPurge {
            db: db.clone(),
            clock: clock.clone(),
        }) as Arc<dyn Controller>],
        ingot_iam::workers::controllers(iam.clone()),
        ingot_billing::workers::controllers(billing.clone(), config.billing_rating_interval),
        ingot_inventory_catalog::workers::controllers(inventory.clone()),
        ingot_provisioning_allocation::workers::controllers(
            allocation.clone(),
            config.allocation_lifecycle_interval,
        ),
        ingot_provisioning_baremetal_maas::workers::controllers(
            maas.clone(),
            ingot_provisioning_baremetal_maas::workers::Intervals {
                onboarding: config.maas_onboarding_interval,
                deployments: config.maas_deployments_interval,
                reconcile: config.maas_reconcile_interval,
                images: config.maas_images_interval,
            },
        ),
        ingot_app_platform::workers::controllers(app_platform.clone(), config.webhooks_interval),
        ingot_read_models::workers::controllers(read_models.clone(), config.read_models_follow_interval),
    ]
    .concat();
    let watched: Vec<(String, std::time::Duration)> = domain_controllers
        .iter()
        .map(|c| (c.name().to_string(), c.interval()))
        .chain([
            ("operations.alerts".to_string(), config.alerts_interval),
            ("operations.paging".to_string(), config.paging_interval),
        ])
        .collect();
    use ingot_contracts::operations::{MaintenanceSource, SignalSource};
    let operations = Arc::new(
        ingot_operations::OperationsService::new(
            VERSION_LONG.to_string(),
            registry,
            authorizer.clone(),
            db.clone(),
            cache.clone(),
            telemetry::metrics_handle(),
            clock.clone(),
        )
        .with_alerting(
            ingot_operations::service::AlertingConfig {
                interval: config.alerts_interval,
                window: config.alerts_window,
                thresholds: config.alerts_thresholds.clone(),
                escalate_after: config.paging_escalate_after,
                on_call,
                pagerduty_url: config.paging_pagerduty_url.clone(),
                page_timeout: config.paging_timeout,
            },
            ingot_operations::service::AlertingDeps {
                audit: iam.clone(),
                sources: vec![
                    Arc::new(ingot_operations::signals::KernelSignals::new(
                        db.clone(),
                        clock.clone(),
                        watched,
                    )) as Arc<dyn SignalSource>,
                    iam.clone(),
                    billing.clone(),
                    inventory.clone(),
                    maas.clone(),
                ],
                maintenance: vec![inventory.clone() as Arc<dyn MaintenanceSource>, maas.clone()],
            },
        ),
    );

    let openapi_json: openapi::OpenApiJson = Arc::new(OnceLock::new());
    let (router, openapi) = OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .merge(ingot_iam::http::router(iam.clone()))
        .merge(ingot_billing::http::router(billing.clone()))
        .merge(ingot_inventory_catalog::http::router(inventory.clone()))
        .merge(ingot_provisioning_allocation::http::router(
            allocation.clone() as Arc<dyn ingot_contracts::allocation::AllocationApi>
        ))
        .merge(ingot_provisioning_baremetal_maas::http::router(maas.clone()))
        .merge(ingot_app_platform::http::router(
            app_platform.clone() as Arc<dyn ingot_contracts::app_platform::AppPlatformApi>
        ))
        .merge(ingot_read_models::http::router(
            read_models.clone() as Arc<dyn ingot_contracts::read_models::ReadModelsApi>
        ))
        .merge(ingot_operations::http::router(operations.clone()))
        .merge(openapi::router(openapi_json.clone()))
        .split_for_parts();
    let rendered = openapi::render(&openapi);
    openapi_json.set(rendered).expect("the document is rendered once");

    let router = router.merge(ingot_web::router(ingot_web::WebDeps {
        iam: iam.clone(),
        billing: billing.clone(),
        inventory: inventory.clone(),
        allocation: allocation.clone(),
        app_platform: app_platform.clone(),
        read_models: read_models.clone(),
        maas: maas.clone(),
        operations: operations.clone(),
        secrets: secrets.clone(),
        clock: clock.clone(),
        version: VERSION,
    }));
    let edge = http::EdgeState {
        db: db.clone(),
        clock: clock.clone(),
        authenticator: seams
            .authenticator
            .unwrap_or_else(|| iam.clone() as Arc<dyn Authenticator>),
        limits: config.http.clone(),
        rate_limiter: Arc::new(http::rate_limit::RateLimiter::new(
            config.http.rate_limit_per_s,
            config.http.rate_limit_burst,
        )),
        secrets: secrets.clone(),
    };
    let router = http::conventions(router, edge);

    let controllers: Vec<Arc<dyn Controller>> = [
        domain_controllers,
        ingot_operations::workers::controllers(operations.clone(), config.paging_interval),
    ]
    .concat()
    .into_iter()
    .filter(|controller| !seams.controllers_off.contains(&controller.name()))
    .collect();

    Ok(App {
        router,
        db,
        iam,
        billing,
        inventory,
        allocation,
        read_models,
        secrets,
        maas,
        operations,
        app_platform,
        maas_sim,
        maas_sim_task,
        openapi,
        config,
        clock,
        controllers,
    })
}

/// Serves until `shutdown` resolves, then stops accepting, lets in-flight requests finish (up to
/// the configured grace), stops the controllers and closes the database.
pub async fn app_serve(
    app: App,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send,
) -> std::io::Result<()> {
    let (stop_tx, stop_rx) = watch::channel(false);
    let holder = format!("{}-{}", std::process::id(), ingot_kernel::id::new_ulid());
    let workers: Vec<_> = app
        .controllers
        .iter()
        .map(|controller| {
            tokio::spawn(controller_run(
                app.db.clone(),
                app.clock.clone(),
                holder.clone(),
                controller.clone(),
                stop_rx.clone(),
            ))
        })
        .collect();

    // Controllers stop when shutdown begins, or when the sender drops because the server ended.
    let stopping = async move {
        shutdown.await;
        let _ = stop_tx.send(true);
    };
    let result = http_serve(app.router, listener, app.config.http.shutdown_grace, stopping).await;
    for worker in workers {
        let _ = worker.await;
    }
    if let Some(task) = app.maas_sim_task {
        task.abort();
    }
    app.db.close().await;
    result
}

/// The embedded default's MAAS region: a simulator in-process on a loopback port, with machines
/// that commission and deploy in seconds, bound to the demo site so onboarding fills the catalog.
/// The fleet is seeded the same way on every start, so its machines keep their identities (and
/// their Inventory nodes) across restarts; their MAAS-side state starts afresh. Without the demo
/// site (the demo catalog turned off) there is nothing to bind it to, and it does not start.
async fn maas_sim_start(
    config: &Config,
    clock: Arc<dyn Clock>,
    inventory: &ingot_inventory_catalog::service::InventoryService,
    maas: &ingot_provisioning_baremetal_maas::service::MaasService,
) -> Result<Option<(ingot_maas_sim::Sim, tokio::task::JoinHandle<std::io::Result<()>>)>, StartError> {
    let Some(site_id) = inventory
        .site_id_by_name("demo1")
        .await
        .map_err(StartError::Database)?
    else {
        tracing::warn!("no site demo1 (the demo catalog is off): the simulated MAAS region is not started");
        return Ok(None);
    };
    let sim = ingot_maas_sim::Sim::new(
        ingot_maas_sim::SimConfig {
            machines: config.maas_sim_machines,
            // A few arrive NEW, so the demo shows commissioning before they go on sale.
            new_machines: 4,
            timings: ingot_maas_sim::Timings::brisk(),
            ..ingot_maas_sim::SimConfig::default()
        },
        clock,
    );
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|err| StartError::MaasSim(err.to_string()))?;
    let address = listener
        .local_addr()
        .map_err(|err| StartError::MaasSim(err.to_string()))?;
    let task = tokio::spawn(sim.clone().serve(listener));
    let request = ingot_contracts::maas::SiteBindingRequest {
        url: format!("http://{address}/MAAS"),
        api_key: Some(sim.api_key().to_string()),
        policy: ingot_contracts::maas::SitePolicy::default(),
    };
    maas.binding_set_system(site_id, request)
        .await
        .map_err(|err| StartError::MaasSim(err.to_string()))?;
    tracing::info!(%address, machines = config.maas_sim_machines, "simulated MAAS region bound to site demo1");
    Ok(Some((sim, task)))
}

/// Serves `router` until `shutdown` resolves; then stops accepting connections and gives
/// in-flight requests up to `grace` to finish before dropping them.
pub async fn http_serve(
    router: Router,
    listener: TcpListener,
    grace: std::time::Duration,
    shutdown: impl Future<Output = ()> + Send,
) -> std::io::Result<()> {
    let (stop_tx, mut stop_rx) = watch::channel(false);
    let server = axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        let _ = stop_rx.wait_for(|stop| *stop).await;
    });
    let mut server = tokio::spawn(async move { server.await });
    let finished_early = tokio::select! {
        finished = &mut server => Some(finished),
        () = shutdown => None,
    };
    if let Some(finished) = finished_early {
        return finished.unwrap_or_else(|e| Err(std::io::Error::other(e)));
    }
    let _ = stop_tx.send(true);
    tracing::info!("shutting down: waiting for in-flight requests");
    match tokio::time::timeout(grace, &mut server).await {
        Ok(finished) => finished.unwrap_or_else(|e| Err(std::io::Error::other(e))),
        Err(_) => {
            tracing::warn!("in-flight requests outlived the shutdown grace period; dropping them");
            server.abort();
            Ok(())
        }
    }
}
