//! ingotd end to end: a real server on a real socket (port 0), driven over HTTP through
//! `ingot-sdk` or a raw client where the test is about the wire itself.

// Test helpers panic on failure by design: a failed setup is a failed test.
#![allow(clippy::unwrap_used, clippy::zombie_processes)]

/// `on_both_backends!(flow)` runs `async fn flow(Backend)` as two tests, `flow::sqlite` and
/// `flow::postgres`, as `store_test!` does for store cases.
macro_rules! on_both_backends {
    ($flow:ident) => {
        mod $flow {
            #[tokio::test]
            async fn sqlite() {
                super::$flow(ingot_kernel::db::Backend::Sqlite).await;
            }

            #[tokio::test]
            async fn postgres() {
                super::$flow(ingot_kernel::db::Backend::Postgres).await;
            }
        }
    };
}

mod allocation;
mod api_fuzz;
mod app;
mod app_platform;
mod backup;
mod billing;
mod browser;
mod clusters;
mod conventions;
mod crash;
mod device;
mod faults;
mod iam;
mod incidents;
mod inventory;
mod kyc;
mod maas;
mod process;
mod python_sdk;
mod read_models;
mod replicas;
mod sdk;
mod tutorial;
mod web;
mod webhooks;

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use ingot_contracts::BoxFuture;
use ingot_contracts::iam::{
    Actor, AuthenticationError, Authenticator, CredentialRef, PlatformRole, PresentedCredential,
    SessionCreated, SignupRequest,
};
use ingot_kernel::db::Backend;
use ingot_kernel::id::{ApiTokenId, UserId};
use ingot_kernel::testing::TestDb;
use ingot_kernel::{Clock, ManualClock, SystemClock};
use ingotd::config::Config;
use ingotd::{Seams, app_build, app_serve};
use tokio::sync::oneshot;

pub const ADMIN_TOKEN: &str = "test-admin";
pub const MEMBER_TOKEN: &str = "test-member";

/// Two fixed bearer tokens, for tests of the HTTP conventions alone (no IAM behind them).
pub struct FixedTokens;

impl Authenticator for FixedTokens {
    fn authenticate<'a>(
        &'a self,
        credential: &'a PresentedCredential,
    ) -> BoxFuture<'a, Result<Actor, AuthenticationError>> {
        Box::pin(async move {
            static IDS: OnceLock<[(UserId, ApiTokenId); 2]> = OnceLock::new();
            let ids = IDS.get_or_init(|| {
                [
                    (UserId::generate(), ApiTokenId::generate()),
                    (UserId::generate(), ApiTokenId::generate()),
                ]
            });
            let ((user_id, token_id), roles) = match credential {
                PresentedCredential::Bearer(token) if token == ADMIN_TOKEN => {
                    (ids[0], vec![PlatformRole::PlatformAdmin])
                }
                PresentedCredential::Bearer(token) if token == MEMBER_TOKEN => (ids[1], vec![]),
                _ => return Err(AuthenticationError::InvalidCredential),
            };
            Ok(Actor {
                user_id: Some(user_id),
                credential: Some(CredentialRef::ApiToken(token_id)),
                platform_roles: roles.into_iter().collect(),
                ..Actor::anonymous()
            })
        })
    }
}

pub struct TestApp {
    pub addr: SocketAddr,
    /// A platform admin's API token, made as operators make one (`bootstrap-admin`).
    pub admin_token: String,
    pub url: String,
    /// IAM in-process, to call contracts other domains use (the KYC policy).
    pub iam: Arc<ingot_iam::IamService>,
    /// Billing in-process, to drive metering and rating passes.
    pub billing: Arc<ingot_billing::service::BillingService>,
    /// Inventory in-process, to play the provisioning side and Allocation's events.
    pub inventory: Arc<ingot_inventory_catalog::service::InventoryService>,
    /// The MAAS domain in-process, to drive onboarding and deployment passes.
    pub maas: Arc<ingot_provisioning_baremetal_maas::service::MaasService>,
    /// Allocation in-process, to drive its lifecycle passes.
    pub allocation: Arc<ingot_provisioning_allocation::service::AllocationService>,
    /// Operations in-process, to drive alert and paging passes.
    pub operations: Arc<ingot_operations::OperationsService>,
    /// App Platform in-process, to drive webhook passes.
    pub app_platform: Arc<ingot_app_platform::service::AppPlatformService>,
    /// Read Models in-process, to follow and rebuild projections.
    pub read_models: Arc<ingot_read_models::service::ReadModelsService>,
    /// The installation key, to seal what a domain would.
    pub secrets: ingot_kernel::crypto::SecretBox,
    /// What the notifier handed out, in order.
    pub delivered: Arc<Capture>,
    /// The server's clock: tests move it instead of sleeping.
    pub clock: ManualClock,
    stop: Option<oneshot::Sender<()>>,
    served: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    pub db: TestDb,
}

impl TestApp {
    pub fn client(&self) -> ingot_sdk::Client {
        ingot_sdk::Client::new(&self.url).unwrap()
    }

    pub fn admin(&self) -> ingot_sdk::Client {
        self.client().with_token(&self.admin_token)
    }

    /// Signs up `name` and has `owner` add them to `tenant_id` with `role`.
    pub async fn joined(
        &self,
        owner: &ingot_sdk::Client,
        tenant_id: ingot_kernel::id::TenantId,
        name: &str,
        role: ingot_contracts::iam::TenantRole,
    ) -> (ingot_sdk::Client, SessionCreated) {
        let (client, created) = self.signed_up(name).await;
        let request = ingot_contracts::iam::MemberAddRequest {
            email: created.user.email.clone(),
            role,
        };
        owner.member_add(tenant_id, &request).await.unwrap();
        (client, created)
    }

    /// Signs up `name` (a fresh account, tenant and project) and returns a client with its session.
    pub async fn signed_up(&self, name: &str) -> (ingot_sdk::Client, SessionCreated) {
        let request = SignupRequest {
            email: format!(
                "{name}-{}@example.com",
                ingot_kernel::id::new_ulid().to_string().to_lowercase()
            ),
            password: format!("{name}-long-enough-passphrase-9"),
            display_name: name.to_string(),
            tenant_name: format!("{name}'s tenant"),
        };
        let created = self.client().signup(&request).await.unwrap();
        (self.client().with_token(&created.session_token), created)
    }

    /// Stops the server the way SIGTERM does and waits for it.
    pub async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        self.served.take().unwrap().await.unwrap().unwrap();
    }
}

/// A fresh ingotd on `backend`, with a fresh database, on 127.0.0.1:0.
pub async fn spawn_app(backend: Backend, tune: impl FnOnce(&mut Config)) -> TestApp {
    spawn_app_with(backend, tune, |_| {}).await
}

/// [`spawn_app`], with seams the test sets (a neighbour domain's contract standing in, say).
pub async fn spawn_app_with(
    backend: Backend,
    tune: impl FnOnce(&mut Config),
    seams_tune: impl FnOnce(&mut Seams),
) -> TestApp {
    spawn_app_on(TestDb::new(backend).await, tune, seams_tune).await
}

/// [`spawn_app_with`] on a database the test prepared (a restored dump, say).
pub async fn spawn_app_on(
    test_db: TestDb,
    tune: impl FnOnce(&mut Config),
    seams_tune: impl FnOnce(&mut Seams),
) -> TestApp {
    // Errors the server logs show up in a failing test's output.
    ingotd::telemetry::logging_init_for_tests();
    let mut config = Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: Some(test_db.url.clone()),
        // Each app keeps its key file (and anything else on disk) to itself.
        data_dir: std::env::temp_dir().join(format!("ingot-app-{}", ingot_kernel::id::new_ulid())),
        ..Config::default()
    };
    tune(&mut config);
    let clock = ManualClock::new(SystemClock.now());
    let delivered = Arc::new(Capture::default());
    let mut seams = Seams {
        clock: Arc::new(clock.clone()),
        notifier: Some(delivered.clone()),
        ..Seams::default()
    };
    seams_tune(&mut seams);
    let app = app_build(config, seams).await.expect("app builds");
    let admin_token = app
        .iam
        .bootstrap_admin("admin@example.com")
        .await
        .expect("bootstrap admin");
    let iam = app.iam.clone();
    let inventory = app.inventory.clone();
    let maas = app.maas.clone();
    let billing = app.billing.clone();
    let allocation = app.allocation.clone();
    let read_models = app.read_models.clone();
    let app_platform = app.app_platform.clone();
    let operations = app.operations.clone();
    let secrets = app.secrets.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let served = tokio::spawn(app_serve(app, listener, async move {
        let _ = stopped.await;
    }));
    TestApp {
        addr,
        admin_token,
        iam,
        billing,
        inventory,
        maas,
        allocation,
        read_models,
        app_platform,
        operations,
        secrets,
        clock,
        delivered,
        url: format!("http://{addr}"),
        stop: Some(stop),
        served: Some(served),
        db: test_db,
    }
}

/// A notifier that keeps what it is given, standing in for a mail transport.
#[derive(Default)]
pub struct Capture(std::sync::Mutex<Vec<ingot_iam::notify::OutgoingMessage>>);

impl Capture {
    pub fn messages(&self) -> Vec<ingot_iam::notify::OutgoingMessage> {
        self.0.lock().unwrap().clone()
    }
}

impl ingot_iam::notify::Notifier for Capture {
    fn deliver<'a>(
        &'a self,
        message: &'a ingot_iam::notify::OutgoingMessage,
    ) -> BoxFuture<'a, Result<(), ingot_iam::notify::NotifyError>> {
        self.0.lock().unwrap().push(message.clone());
        Box::pin(async { Ok(()) })
    }
}

pub fn http() -> reqwest::Client {
    ingot_kernel::outbound::client_builder().build().unwrap()
}

/// One JSON request as a client sends it; the answer's status and body (JSON, or the text as a
/// JSON string when it is not JSON).
pub async fn send(
    app: &TestApp,
    token: Option<&str>,
    method: &str,
    path: &str,
    body: Option<serde_json::Value>,
) -> (reqwest::StatusCode, serde_json::Value) {
    send_with(app, token, method, path, body, None).await
}

/// [`send`] with an `Idempotency-Key`.
pub async fn send_with(
    app: &TestApp,
    token: Option<&str>,
    method: &str,
    path: &str,
    body: Option<serde_json::Value>,
    idempotency_key: Option<&str>,
) -> (reqwest::StatusCode, serde_json::Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = http().request(method, format!("{}{path}", app.url));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(key) = idempotency_key {
        request = request.header("idempotency-key", key);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}

/// The audited actions starting with `prefix` (`app.template.`), in the order recorded.
pub async fn audited(app: &TestApp, prefix: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT action FROM iam_audit_events WHERE action LIKE $1 ORDER BY position")
        .bind(format!("{prefix}%"))
        .fetch_all(app.db.db.reader())
        .await
        .unwrap()
}

/// Appends one of Allocation's events to the outbox, as Allocation will.
pub async fn allocation_says(app: &TestApp, event: &impl ingot_kernel::event::DomainEvent) {
    let mut tx = app.db.db.begin().await.unwrap();
    ingot_kernel::outbox::append_in_tx(&mut tx, &event.to_envelope(ingot_kernel::Clock::now(&app.clock)))
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// A tenant verified at `level` by a security reviewer, through the API.
pub async fn kyc_verified(
    app: &TestApp,
    owner: &ingot_sdk::Client,
    tenant: ingot_kernel::id::TenantId,
    level: ingot_contracts::iam::KycLevel,
) {
    use ingot_contracts::iam::{KycDecision, KycDecisionRequest, KycSubmitRequest};
    owner
        .kyc_submit(
            tenant,
            &KycSubmitRequest {
                provider_ref: None,
                personal_data: Some(ingot_contracts::iam::KycPersonalData {
                    legal_name: "A".into(),
                    country: "DE".into(),
                    address: "1 Test Street, Testville".into(),
                }),
            },
        )
        .await
        .unwrap();
    let (reviewer, created) = app.signed_up("reviewer").await;
    app.admin()
        .platform_roles_set(
            created.user.id,
            &ingot_contracts::iam::PlatformRolesRequest {
                platform_roles: vec![ingot_contracts::iam::PlatformRole::Security],
            },
        )
        .await
        .unwrap();
    reviewer
        .kyc_decide(
            tenant,
            &KycDecisionRequest {
                decision: KycDecision::Verify,
                level: Some(level),
                reason: "ok".into(),
            },
        )
        .await
        .unwrap();
}

/// A running `ingotd serve` in `dir` (JSON logs, port 0, nothing from the test runner's
/// `INGOT_*` environment) with `env` set; with its `host:port`. Its log is drained so it never
/// blocks on a full pipe.
pub fn ingotd_spawn(dir: &std::path::Path, env: &[(&str, &str)]) -> (std::process::Child, String) {
    use std::io::BufRead as _;
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_ingotd"));
    for (key, _) in std::env::vars().filter(|(k, _)| k.starts_with("INGOT_")) {
        command.env_remove(key);
    }
    let mut child = command
        .args(["serve", "--listen", "127.0.0.1:0", "--log-format", "json"])
        .envs(env.iter().copied())
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let address = loop {
        line.clear();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "ingotd exited before serving"
        );
        let entry: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
        if entry["message"] == "ingotd serving" {
            break entry["listen"].as_str().unwrap().to_string();
        }
    };
    // Errors and warnings the server logs show up in a failing test's output.
    std::thread::spawn(move || {
        let mut sink = String::new();
        while stderr.read_line(&mut sink).unwrap_or(0) > 0 {
            if sink.contains("\"level\":\"ERROR\"") || sink.contains("\"level\":\"WARN\"") {
                eprint!("ingotd: {sink}");
            }
            sink.clear();
        }
    });
    (child, address)
}
