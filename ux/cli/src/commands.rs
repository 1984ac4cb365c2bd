//! Every `ingot <noun> <verb>`: parse, call the SDK, print. No business rules live here.

use std::io::{BufRead as _, IsTerminal as _};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Subcommand, ValueEnum};
use ingot_kernel::id::{ApiTokenId, TenantId, UserId};
use ingot_sdk::Client;
use ingot_sdk::ingot_contracts::iam::{
    DeviceAuthorizationRequest, KycDecision, KycDecisionRequest, KycLevel, KycPersonalData, KycSubmitRequest,
    LoginRequest, MemberAddRequest, MemberUpdateRequest, ProjectCreateRequest, TenantCreateRequest,
    TenantRole, TokenCreateRequest,
};

use crate::OutputFormat;
use crate::billing::{self, AdminBillingCommand, BillingCommand};
use crate::catalog::{self, CatalogCommand, NodesCommand, OffersCommand, SitesCommand, SkusCommand};
use crate::config;
use crate::output::{self, emit};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show whether the server is alive and ready (database, cache).
    Health,
    /// Profiles: several servers or accounts, one in use (`--profile` overrides it once).
    #[command(
        after_help = "Examples:\n  ingot config use prod\n  ingot login --server https://ingot.example.com\n  \
        ingot config list\n  ingot --profile default whoami"
    )]
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  ingot completions bash > ~/.local/share/bash-completion/completions/ingot\n  \
        ingot completions zsh > \"${fpath[1]}/_ingot\"\n  ingot completions fish > ~/.config/fish/completions/ingot.fish"
    )]
    Completions { shell: clap_complete::Shell },
    /// Print the manual page (roff): `ingot man > ingot.1 && man ./ingot.1`.
    Man,
    /// Log in and keep the session token in the config file. By default you approve this
    /// terminal in the web app (it prints an address and a code); `--password` logs in with
    /// email and password instead, for scripts.
    #[command(
        after_help = "Examples:\n  ingot login\n  ingot login --password --email you@example.com\n  \
        printf '%s' \"$PASSWORD\" | ingot login --password --email you@example.com --password-stdin"
    )]
    Login {
        /// Log in with email and password instead of approving in the browser.
        #[arg(long)]
        password: bool,
        #[arg(long, requires = "password")]
        email: Option<String>,
        /// Read the password from standard input instead of prompting.
        #[arg(long, requires = "password")]
        password_stdin: bool,
        /// TOTP code or recovery code, when MFA is on.
        #[arg(long, requires = "password")]
        totp: Option<String>,
    },
    /// Create an account with its own tenant and default project, and keep the session.
    #[command(
        after_help = "Example:\n  ingot signup --email you@example.com --display-name You --tenant-name Acme\n\n\
        The password is asked (or read from standard input when it is not a terminal)."
    )]
    Signup {
        #[arg(long)]
        email: String,
        #[arg(long)]
        display_name: String,
        #[arg(long)]
        tenant_name: String,
    },
    /// End the current session and forget it.
    Logout,
    /// Who the current credential acts as.
    Whoami,
    /// Your password: change it, or reset it with a token sent by email.
    Password {
        #[command(subcommand)]
        command: crate::account::PasswordCommand,
    },
    /// Two-factor authentication (TOTP): enrol, confirm, disable.
    Mfa {
        #[command(subcommand)]
        command: crate::account::MfaCommand,
    },
    /// Your sessions: list, end one.
    Sessions {
        #[command(subcommand)]
        command: crate::account::SessionsCommand,
    },
    /// Approve (or deny) another terminal's `ingot login` by the code it shows.
    Device {
        #[command(subcommand)]
        command: crate::account::DeviceCommand,
    },
    /// Invitations to a tenant: list, invite by email, revoke.
    Invitations {
        #[command(subcommand)]
        command: InvitationsCommand,
    },
    /// API tokens: create, list, revoke.
    Tokens {
        #[command(subcommand)]
        command: TokensCommand,
    },
    /// Tenants you belong to.
    Tenants {
        #[command(subcommand)]
        command: TenantsCommand,
    },
    /// Projects of a tenant.
    Projects {
        #[command(subcommand)]
        command: ProjectsCommand,
    },
    /// Members of a tenant.
    Members {
        #[command(subcommand)]
        command: MembersCommand,
    },
    /// Your tenant's verification.
    Kyc {
        #[command(subcommand)]
        command: KycCommand,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// The public catalog: SKUs and offers on sale (no login needed).
    Catalog {
        #[command(subcommand)]
        command: CatalogCommand,
    },
    /// Nodes per site × SKU now, or hourly history with --history (operators).
    Capacity {
        /// Hourly snapshots instead of the counts now.
        #[arg(long)]
        history: bool,
        /// Start of the history, RFC 3339 [default: a day before --to]
        #[arg(long, requires = "history", value_name = "RFC3339")]
        from: Option<ingot_kernel::Timestamp>,
        /// End of the history (exclusive), RFC 3339 [default: now]
        #[arg(long, requires = "history", value_name = "RFC3339")]
        to: Option<ingot_kernel::Timestamp>,
    },
    /// Allocations: whole machines of a SKU, from create to release.
    Alloc {
        #[command(subcommand)]
        command: crate::alloc::AllocCommand,
    },
    /// The OS images you may deploy, per site (the default of each site marked).
    Images {
        /// Only this site's images.
        #[arg(long)]
        site: Option<String>,
    },
    /// Your project's SSH public keys: list, add, delete.
    SshKeys {
        #[command(subcommand)]
        command: crate::ssh_keys::SshKeysCommand,
    },
    /// cloud-init templates: the built-ins and your project's own.
    Templates {
        #[command(subcommand)]
        command: crate::templates::TemplatesCommand,
    },
    /// Webhooks: your project's event subscriptions, their deliveries, redelivery.
    Webhooks {
        #[command(subcommand)]
        command: crate::webhooks::WebhooksCommand,
    },
    /// Clusters: a head and workers from a template, created, scaled and deleted as one.
    Clusters {
        #[command(subcommand)]
        command: crate::clusters::ClustersCommand,
    },
    /// Your tenant at a glance: balance, burn and runway, spend, allocations, quota use.
    Overview {
        /// The tenant [default: the one you belong to]
        #[arg(long)]
        tenant: Option<TenantId>,
    },
    /// Your tenant's money: balance, ledger, usage, monthly statements, top-ups.
    Billing {
        #[command(subcommand)]
        command: BillingCommand,
    },
    /// Platform administration.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

/// What the approving person sees: this CLI and the machine it runs on.
fn device_name() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|name| {
            name.trim()
                .chars()
                .filter(|c| !c.is_control())
                .take(60)
                .collect::<String>()
        })
        .filter(|name| !name.is_empty());
    match host {
        Some(host) => format!("ingot CLI on {host}"),
        None => "ingot CLI".to_string(),
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Owner,
    Admin,
    Member,
    Viewer,
    Billing,
}

impl From<RoleArg> for TenantRole {
    fn from(role: RoleArg) -> TenantRole {
        match role {
            RoleArg::Owner => TenantRole::Owner,
            RoleArg::Admin => TenantRole::Admin,
            RoleArg::Member => TenantRole::Member,
            RoleArg::Viewer => TenantRole::Viewer,
            RoleArg::Billing => TenantRole::Billing,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ProviderEventKind {
    /// A KYC provider's decision.
    Kyc,
    /// A payment provider's event.
    Payment,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Use this profile from now on (made, empty, if it is new: then `ingot login --server …`).
    Use { profile: String },
    /// Every profile: its server, whether it holds a session, which is in use.
    List,
    /// The server and profile this command line would use, and whether it has a credential.
    Show,
}

#[derive(Debug, Subcommand)]
pub enum TokensCommand {
    /// Create a token; its secret is printed once.
    Create {
        #[arg(long)]
        name: String,
        #[arg(long)]
        tenant: TenantId,
        #[arg(long)]
        project: Option<ingot_kernel::id::ProjectId>,
        #[arg(long, value_enum)]
        role: RoleArg,
        #[arg(long, default_value_t = 90)]
        expires_in_days: u32,
    },
    List,
    Revoke {
        id: ApiTokenId,
    },
}

#[derive(Debug, Subcommand)]
pub enum TenantsCommand {
    List,
    Create {
        name: String,
    },
    Get {
        id: TenantId,
    },
    /// Rename a tenant, or require two-factor of its members (owners, admins).
    Update {
        id: TenantId,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        require_mfa: Option<bool>,
    },
    /// Its security posture: two-factor coverage, verification, tokens expiring soon.
    Posture {
        id: TenantId,
    },
}

#[derive(Debug, Subcommand)]
pub enum InvitationsCommand {
    List {
        #[arg(long)]
        tenant: TenantId,
    },
    /// Invite someone by email (they join when they sign up with it).
    Create {
        #[arg(long)]
        tenant: TenantId,
        #[arg(long)]
        email: String,
        #[arg(long, value_enum)]
        role: RoleArg,
    },
    Revoke {
        #[arg(long)]
        tenant: TenantId,
        id: ingot_kernel::id::InvitationId,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ProjectRoleArg {
    Admin,
    Member,
    Viewer,
}

#[derive(Debug, Subcommand)]
pub enum ProjectMembersCommand {
    /// Who holds a role on this project alone.
    List { project: ingot_kernel::id::ProjectId },
    /// Give a person a role on this project alone.
    Set {
        project: ingot_kernel::id::ProjectId,
        user: UserId,
        #[arg(long, value_enum)]
        role: ProjectRoleArg,
    },
    Remove {
        project: ingot_kernel::id::ProjectId,
        user: UserId,
    },
}

#[derive(Debug, Subcommand)]
pub enum ProjectsCommand {
    List {
        #[arg(long)]
        tenant: TenantId,
    },
    Create {
        #[arg(long)]
        tenant: TenantId,
        name: String,
    },
    Get {
        id: ingot_kernel::id::ProjectId,
    },
    /// Roles on one project (beside tenant-wide roles).
    Members {
        #[command(subcommand)]
        command: ProjectMembersCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum MembersCommand {
    List {
        #[arg(long)]
        tenant: TenantId,
    },
    Add {
        #[arg(long)]
        tenant: TenantId,
        #[arg(long)]
        email: String,
        #[arg(long, value_enum)]
        role: RoleArg,
    },
    Update {
        #[arg(long)]
        tenant: TenantId,
        user: UserId,
        #[arg(long, value_enum)]
        role: RoleArg,
    },
    Remove {
        #[arg(long)]
        tenant: TenantId,
        user: UserId,
    },
}

#[derive(Debug, Subcommand)]
pub enum KycCommand {
    /// Submit the tenant for verification (owners). A review by the operator needs the legal
    /// name, country and address; a provider's case reference may stand in for them.
    Submit {
        #[arg(long)]
        tenant: TenantId,
        /// The organisation's or person's legal name.
        #[arg(long)]
        legal_name: Option<String>,
        /// ISO 3166-1 alpha-2 country code, e.g. DE.
        #[arg(long)]
        country: Option<String>,
        /// The registered address.
        #[arg(long)]
        address: Option<String>,
        /// The provider's case reference, if verification runs at a provider.
        #[arg(long)]
        provider_ref: Option<String>,
    },
    Status {
        #[arg(long)]
        tenant: TenantId,
    },
    /// Erase the personal data submitted (the decision stays).
    Redact {
        #[arg(long)]
        tenant: TenantId,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    List {
        /// One tenant's events; without it, all (security roles).
        #[arg(long)]
        tenant: Option<TenantId>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Check the audit hash chain.
    Verify,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Who owns which bounded context (OWNERS.toml as the server serves it).
    Ownership,
    /// Incidents: list, show, acknowledge, resolve (the people on call).
    Incidents {
        #[command(subcommand)]
        command: crate::incidents::IncidentsCommand,
    },
    /// Messages waiting in the platform's outbox (password resets on the embedded default).
    Notifications,
    /// Deliver a provider's signed event by hand, exactly as the provider sends it (for one its
    /// dashboard shows as undelivered); the server checks the signature as always.
    ProviderEvent {
        #[arg(value_enum)]
        kind: ProviderEventKind,
        /// The provider's name, such as `stripe` or `sim`.
        provider: String,
        /// The event's body, byte for byte.
        #[arg(long, value_name = "FILE")]
        body: std::path::PathBuf,
        /// The signature header's value (`t=…,v1=…`).
        #[arg(long)]
        signature: String,
    },
    /// Set a person's platform roles (platform admins): platform_admin, operator, finance,
    /// security, support; none withdraws them all.
    Roles {
        /// The user id, as `ingot whoami` shows it.
        user: UserId,
        roles: Vec<String>,
    },
    /// KYC decisions (security, support).
    Kyc {
        #[command(subcommand)]
        command: AdminKycCommand,
    },
    /// Sites nodes live in, and each site's MAAS region.
    Sites {
        #[command(subcommand)]
        command: SitesCommand,
    },
    /// Run an onboarding pass at a site now: commission new machines, register commissioned ones.
    Onboard { site: String },
    /// Run a reconciliation pass at a site now: the region diffed against what is expected.
    Reconcile { site: String },
    /// A site's drift: open disagreements with its region (--all adds the resolved history).
    Drift {
        site: String,
        #[arg(long)]
        all: bool,
    },
    /// Any tenant's allocations: force-release.
    Alloc {
        #[command(subcommand)]
        command: crate::alloc::AdminAllocCommand,
    },
    /// Node quotas of a tenant, per SKU (tenant-wide or per project).
    Quotas {
        #[command(subcommand)]
        command: crate::quotas::QuotasCommand,
    },
    /// SKUs: what a node must have to sell as one.
    Skus {
        #[command(subcommand)]
        command: SkusCommand,
    },
    /// List prices of SKUs at sites.
    Offers {
        #[command(subcommand)]
        command: OffersCommand,
    },
    /// The fleet: list, inspect, maintenance, quarantine, bulk import.
    Nodes {
        #[command(subcommand)]
        command: NodesCommand,
    },
    /// Credits, charges and ledger verification (finance).
    Billing {
        #[command(subcommand)]
        command: AdminBillingCommand,
    },
    /// Operators' dashboards: capacity, health, revenue.
    Dashboard {
        #[command(subcommand)]
        command: crate::dashboards::DashboardCommand,
    },
    /// The dashboards' projections: their state, and rebuilding one from the event history.
    ReadModels {
        #[command(subcommand)]
        command: crate::dashboards::ReadModelsCommand,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DecisionArg {
    Verify,
    Reject,
    Revoke,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LevelArg {
    Basic,
    Full,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KycStateArg {
    Submitted,
    Verified,
    Rejected,
    Revoked,
}

#[derive(Debug, Subcommand)]
pub enum AdminKycCommand {
    /// The review queue: tenants whose verification waits for a decision (oldest first).
    List {
        /// Another state instead: verified, rejected, revoked.
        #[arg(long, value_enum)]
        state: Option<KycStateArg>,
    },
    /// The personal data a tenant submitted (reviewers; every read is audited).
    Show { tenant: TenantId },
    Decide {
        tenant: TenantId,
        #[arg(long, value_enum)]
        decision: DecisionArg,
        #[arg(long, value_enum)]
        level: Option<LevelArg>,
        #[arg(long)]
        reason: String,
    },
}

fn password_read(from_stdin: bool) -> anyhow::Result<String> {
    if from_stdin || !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from stdin")?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    rpassword::prompt_password("Password: ").context("cannot read the password")
}

pub async fn run(
    server: Option<&str>,
    profile: Option<&str>,
    format: OutputFormat,
    command: Command,
) -> anyhow::Result<ExitCode> {
    let settings = config::settings_resolve(server, profile)?;
    let mut client = Client::new(&settings.server)?;
    if let Some(token) = &settings.token {
        client = client.with_token(token);
    }
    match command {
        // Answered in main, which holds the whole command tree.
        Command::Completions { .. } | Command::Man => {}
        Command::Config { command } => config_run(&settings, format, command)?,
        Command::Health => {
            let health = client.health_get().await?;
            let readiness = client.readiness_get().await?;
            output::health_print(format, &health, &readiness)?;
            // A degraded server (the cache down) still answers correctly: healthy.
            return Ok(if readiness.status != "unavailable" {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            });
        }
        Command::Login { password: false, .. } => {
            let authorization = client
                .device_authorize(&DeviceAuthorizationRequest {
                    client_name: Some(device_name()),
                })
                .await?;
            eprintln!(
                "To log in, open this address in a browser where you are logged in to Ingot:\n\n  {}\n\n\
                 and check that it shows the code {}. Waiting for your approval (the code lasts {} minutes)…",
                authorization.verification_uri_complete,
                authorization.user_code,
                authorization.expires_in / 60
            );
            let session = client.device_login_wait(&authorization).await?;
            let path = config::login_save(&settings.profile, &settings.server, &session.session_token)?;
            eprintln!(
                "logged in as {}; session kept in {}",
                session.user.email,
                path.display()
            );
        }
        Command::Login {
            password: true,
            email,
            password_stdin,
            totp,
        } => {
            let email = email.context("--password needs --email")?;
            let password = password_read(password_stdin)?;
            let session = client
                .login(&LoginRequest {
                    email,
                    password,
                    totp_code: totp,
                })
                .await?;
            let path = config::login_save(&settings.profile, &settings.server, &session.session_token)?;
            eprintln!(
                "logged in as {}; session kept in {}",
                session.user.email,
                path.display()
            );
        }
        Command::Signup {
            email,
            display_name,
            tenant_name,
        } => {
            let password = password_read(false)?;
            let request = ingot_sdk::ingot_contracts::iam::SignupRequest {
                email,
                password,
                display_name,
                tenant_name,
            };
            crate::account::signup_run(&client, &settings, format, request).await?;
        }
        Command::Logout => crate::account::logout_run(&client, &settings.profile).await?,
        Command::Password { command } => crate::account::password_run(&client, command).await?,
        Command::Mfa { command } => crate::account::mfa_run(&client, format, command).await?,
        Command::Sessions { command } => crate::account::sessions_run(&client, format, command).await?,
        Command::Device { command } => crate::account::device_run(&client, format, command).await?,
        Command::Invitations { command } => invitations_run(&client, format, command).await?,
        Command::Whoami => {
            let me = client.me_get().await?;
            if format == OutputFormat::Quiet {
                println!("{}", me.user.id);
                return Ok(ExitCode::SUCCESS);
            }
            emit(format, &me, || {
                let rows = me
                    .memberships
                    .iter()
                    .map(|m| {
                        vec![
                            m.tenant_id.to_string(),
                            m.tenant_name.clone(),
                            m.role.as_str().into(),
                        ]
                    })
                    .collect();
                (
                    format!("{} <{}> {}", me.user.display_name, me.user.email, me.user.id),
                    vec!["TENANT", "NAME", "ROLE"],
                    rows,
                )
            })?;
        }
        Command::Tokens { command } => match command {
            TokensCommand::Create {
                name,
                tenant,
                project,
                role,
                expires_in_days,
            } => {
                let request = TokenCreateRequest {
                    name,
                    tenant_id: tenant,
                    project_id: project,
                    role: role.into(),
                    expires_in_days: Some(expires_in_days),
                };
                let created = client.token_create(&request).await?;
                if format.is_data() {
                    output::data_print(format, &created)?;
                } else {
                    eprintln!(
                        "token {} created; its secret is shown this once:",
                        created.view.id
                    );
                    println!("{}", created.token);
                }
            }
            TokensCommand::List => {
                let tokens = client.token_list().await?;
                emit(format, &tokens, || {
                    let rows = tokens
                        .iter()
                        .map(|t| {
                            let state = if t.revoked_at.is_some() {
                                "revoked"
                            } else {
                                "active"
                            };
                            vec![
                                t.id.to_string(),
                                t.name.clone(),
                                t.role.as_str().into(),
                                t.expires_at.to_string(),
                                state.into(),
                            ]
                        })
                        .collect();
                    (
                        String::new(),
                        vec!["ID", "NAME", "ROLE", "EXPIRES", "STATE"],
                        rows,
                    )
                })?;
            }
            TokensCommand::Revoke { id } => {
                client.token_revoke(id).await?;
                eprintln!("token {id} revoked");
            }
        },
        Command::Tenants { command } => match command {
            TenantsCommand::List => {
                let tenants = client.tenant_list().await?;
                emit(format, &tenants, || {
                    let rows = tenants
                        .iter()
                        .map(|t| {
                            vec![
                                t.id.to_string(),
                                t.name.clone(),
                                t.role.map_or("", |r| r.as_str()).into(),
                            ]
                        })
                        .collect();
                    (String::new(), vec!["ID", "NAME", "ROLE"], rows)
                })?;
            }
            TenantsCommand::Create { name } => output::json_or_id(
                format,
                &client.tenant_create(&TenantCreateRequest { name }).await?,
                |t| t.id.to_string(),
            )?,
            TenantsCommand::Get { id } => output::json_or_id(format, &client.tenant_get(id).await?, |t| {
                format!("{} {}", t.id, t.name)
            })?,
            TenantsCommand::Update {
                id,
                name,
                require_mfa,
            } => {
                let request = ingot_sdk::ingot_contracts::iam::TenantUpdateRequest { name, require_mfa };
                output::json_or_id(format, &client.tenant_update(id, &request).await?, |t| {
                    format!("{} {}", t.id, t.name)
                })?
            }
            TenantsCommand::Posture { id } => {
                let posture = client.posture_get(id).await?;
                output::json_or_id(format, &posture, |p| {
                    format!(
                        "two-factor required: {} · members with two-factor: {}/{} · verification: {} {} · tokens expiring soon: {}",
                        p.require_mfa,
                        p.members_with_mfa,
                        p.members,
                        output::word(&p.kyc_state),
                        output::word(&p.kyc_level),
                        p.tokens_expiring_soon
                    )
                })?
            }
        },
        Command::Projects { command } => match command {
            ProjectsCommand::List { tenant } => {
                let projects = client.project_list(tenant).await?;
                emit(format, &projects, || {
                    (
                        String::new(),
                        vec!["ID", "NAME"],
                        projects
                            .iter()
                            .map(|p| vec![p.id.to_string(), p.name.clone()])
                            .collect(),
                    )
                })?;
            }
            ProjectsCommand::Create { tenant, name } => output::json_or_id(
                format,
                &client
                    .project_create(tenant, &ProjectCreateRequest { name })
                    .await?,
                |p| p.id.to_string(),
            )?,
            ProjectsCommand::Get { id } => output::json_or_id(format, &client.project_get(id).await?, |p| {
                format!("{} {}", p.id, p.name)
            })?,
            ProjectsCommand::Members { command } => project_members_run(&client, format, command).await?,
        },
        Command::Members { command } => match command {
            MembersCommand::List { tenant } => {
                let members = client.member_list(tenant).await?;
                emit(format, &members, || {
                    let rows = members
                        .iter()
                        .map(|m| vec![m.user_id.to_string(), m.email.clone(), m.role.as_str().into()])
                        .collect();
                    (String::new(), vec!["USER", "EMAIL", "ROLE"], rows)
                })?;
            }
            MembersCommand::Add { tenant, email, role } => output::json_or_id(
                format,
                &client
                    .member_add(
                        tenant,
                        &MemberAddRequest {
                            email,
                            role: role.into(),
                        },
                    )
                    .await?,
                |m| m.user_id.to_string(),
            )?,
            MembersCommand::Update { tenant, user, role } => output::json_or_id(
                format,
                &client
                    .member_update(tenant, user, &MemberUpdateRequest { role: role.into() })
                    .await?,
                |m| format!("{} {}", m.user_id, m.role.as_str()),
            )?,
            MembersCommand::Remove { tenant, user } => {
                client.member_remove(tenant, user).await?;
                eprintln!("{user} removed from {tenant}");
            }
        },
        Command::Kyc { command } => match command {
            KycCommand::Submit {
                tenant,
                legal_name,
                country,
                address,
                provider_ref,
            } => {
                // Whatever is missing goes as blank, so IAM names every field it still needs.
                let details_given = legal_name.is_some() || country.is_some() || address.is_some();
                let personal_data = (details_given || provider_ref.is_none()).then(|| KycPersonalData {
                    legal_name: legal_name.unwrap_or_default(),
                    country: country.unwrap_or_default(),
                    address: address.unwrap_or_default(),
                });
                let kyc = client
                    .kyc_submit(
                        tenant,
                        &KycSubmitRequest {
                            provider_ref,
                            personal_data,
                        },
                    )
                    .await?;
                output::json_or_id(format, &kyc, |k| format!("{:?}", k.state).to_lowercase())?
            }
            KycCommand::Redact { tenant } => {
                let kyc = client.kyc_personal_data_redact(tenant).await?;
                output::json_or_id(format, &kyc, |k| {
                    format!("personal data on file: {}", k.personal_data_on_file)
                })?
            }
            KycCommand::Status { tenant } => {
                output::json_or_id(format, &client.kyc_get(tenant).await?, |k| {
                    format!("{:?} {:?}", k.state, k.level).to_lowercase()
                })?
            }
        },
        Command::Audit { command } => match command {
            AuditCommand::List { tenant, limit } => {
                let page = client.audit_list(tenant, Some(limit), None).await?;
                emit(format, &page, || {
                    let rows = page
                        .items
                        .iter()
                        .map(|e| {
                            vec![
                                e.position.to_string(),
                                e.at.to_string(),
                                e.action.clone(),
                                e.outcome.clone(),
                                e.credential.clone().unwrap_or_default(),
                            ]
                        })
                        .collect();
                    (
                        String::new(),
                        vec!["#", "AT", "ACTION", "OUTCOME", "CREDENTIAL"],
                        rows,
                    )
                })?;
            }
            AuditCommand::Verify => {
                let report = client.audit_verify().await?;
                output::json_or_id(format, &report, |r| match &r.first_break {
                    None => format!("ok: {} records chain correctly", r.records_checked),
                    Some(b) => format!("BROKEN at record {}: {}", b.position, b.reason),
                })?;
                return Ok(if report.ok {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                });
            }
        },
        Command::Catalog { command } => catalog::catalog_run(&client, format, command).await?,
        Command::Capacity { history, from, to } => {
            catalog::capacity_run(&client, format, history, from, to).await?
        }
        Command::Billing { command } => return billing::billing_run(&client, format, command).await,
        Command::Alloc { command } => return crate::alloc::alloc_run(&client, format, command).await,
        Command::Templates { command } => crate::templates::templates_run(&client, format, command).await?,
        Command::Webhooks { command } => crate::webhooks::webhooks_run(&client, format, command).await?,
        Command::Clusters { command } => crate::clusters::clusters_run(&client, format, command).await?,
        Command::Images { site } => crate::images::images_run(&client, format, site).await?,
        Command::SshKeys { command } => crate::ssh_keys::ssh_keys_run(&client, format, command).await?,
        Command::Overview { tenant } => crate::dashboards::overview_run(&client, format, tenant).await?,
        Command::Admin { command } => match command {
            AdminCommand::Billing { command } => {
                return billing::admin_billing_run(&client, format, command).await;
            }
            AdminCommand::Sites { command } => catalog::sites_run(&client, format, command).await?,
            AdminCommand::Onboard { site } => crate::maas::onboard_run(&client, format, &site).await?,
            AdminCommand::Reconcile { site } => crate::maas::reconcile_run(&client, format, &site).await?,
            AdminCommand::Drift { site, all } => crate::maas::drift_run(&client, format, &site, all).await?,
            AdminCommand::Quotas { command } => crate::quotas::quotas_run(&client, format, command).await?,
            AdminCommand::Dashboard { command } => {
                crate::dashboards::dashboard_run(&client, format, command).await?
            }
            AdminCommand::ReadModels { command } => {
                crate::dashboards::read_models_run(&client, format, command).await?
            }
            AdminCommand::Alloc { command } => {
                crate::alloc::admin_alloc_run(&client, format, command).await?
            }
            AdminCommand::Skus { command } => catalog::skus_run(&client, format, command).await?,
            AdminCommand::Offers { command } => catalog::offers_run(&client, format, command).await?,
            AdminCommand::Nodes { command } => catalog::nodes_run(&client, format, command).await?,
            AdminCommand::Roles { user, roles } => {
                let platform_roles = roles
                    .iter()
                    .map(|r| {
                        ingot_sdk::ingot_contracts::iam::PlatformRole::parse(r)
                            .ok_or_else(|| anyhow::anyhow!("{r}: not a platform role"))
                    })
                    .collect::<anyhow::Result<Vec<_>>>()?;
                let user = client
                    .platform_roles_set(
                        user,
                        &ingot_sdk::ingot_contracts::iam::PlatformRolesRequest { platform_roles },
                    )
                    .await?;
                output::json_or_id(format, &user, |u| {
                    let roles: Vec<&str> = u.platform_roles.iter().map(|r| r.as_str()).collect();
                    format!("{} <{}>: {}", u.display_name, u.email, roles.join(", "))
                })?;
            }
            AdminCommand::ProviderEvent {
                kind,
                provider,
                body,
                signature,
            } => {
                let bytes =
                    std::fs::read(&body).with_context(|| format!("cannot read {}", body.display()))?;
                match kind {
                    ProviderEventKind::Kyc => {
                        let kyc = client.kyc_webhook(&provider, &bytes, &signature).await?;
                        output::json_or_id(format, &kyc, |k| {
                            format!("{} {}", k.tenant_id, output::word(&k.state))
                        })?;
                    }
                    ProviderEventKind::Payment => {
                        let ack = client.payment_webhook(&provider, &bytes, &signature).await?;
                        output::data_print(OutputFormat::Json, &ack)?;
                    }
                }
            }
            AdminCommand::Notifications => {
                let notifications = client.notification_list().await?;
                output::emit(format, &notifications, || {
                    let rows = notifications
                        .iter()
                        .map(|n| vec![n.created_at.to_string(), n.recipient.clone(), n.subject.clone()])
                        .collect();
                    (String::new(), vec!["AT", "TO", "SUBJECT"], rows)
                })?;
            }
            AdminCommand::Incidents { command } => {
                crate::incidents::incidents_run(&client, format, command).await?
            }
            AdminCommand::Ownership => {
                let registry = client.ownership_get().await?;
                output::ownership_print(format, &registry)?;
            }
            AdminCommand::Kyc {
                command: AdminKycCommand::Show { tenant },
            } => {
                output::data_print(format, &client.kyc_personal_data_get(tenant).await?)?;
            }
            AdminCommand::Kyc {
                command: AdminKycCommand::List { state },
            } => {
                let state = state.map(|state| match state {
                    KycStateArg::Submitted => ingot_sdk::ingot_contracts::iam::KycState::Submitted,
                    KycStateArg::Verified => ingot_sdk::ingot_contracts::iam::KycState::Verified,
                    KycStateArg::Rejected => ingot_sdk::ingot_contracts::iam::KycState::Rejected,
                    KycStateArg::Revoked => ingot_sdk::ingot_contracts::iam::KycState::Revoked,
                });
                let queue = client.kyc_queue(state).await?;
                output::emit(format, &queue, || {
                    let rows = queue
                        .iter()
                        .map(|item| {
                            vec![
                                item.kyc.tenant_id.to_string(),
                                item.tenant_name.clone(),
                                output::word(&item.kyc.state),
                                item.kyc.submitted_at.map(|t| t.to_string()).unwrap_or_default(),
                            ]
                        })
                        .collect();
                    (String::new(), vec!["TENANT", "NAME", "STATE", "SUBMITTED"], rows)
                })?;
            }
            AdminCommand::Kyc {
                command:
                    AdminKycCommand::Decide {
                        tenant,
                        decision,
                        level,
                        reason,
                    },
            } => {
                let decision = match decision {
                    DecisionArg::Verify => KycDecision::Verify,
                    DecisionArg::Reject => KycDecision::Reject,
                    DecisionArg::Revoke => KycDecision::Revoke,
                };
                let level = level.map(|l| match l {
                    LevelArg::Basic => KycLevel::Basic,
                    LevelArg::Full => KycLevel::Full,
                });
                let kyc = client
                    .kyc_decide(
                        tenant,
                        &KycDecisionRequest {
                            decision,
                            level,
                            reason,
                        },
                    )
                    .await?;
                output::json_or_id(format, &kyc, |k| {
                    format!("{:?} {:?}", k.state, k.level).to_lowercase()
                })?
            }
        },
    }
    Ok(ExitCode::SUCCESS)
}

async fn invitations_run(
    client: &Client,
    format: OutputFormat,
    command: InvitationsCommand,
) -> anyhow::Result<()> {
    match command {
        InvitationsCommand::List { tenant } => {
            let invitations = client.invitation_list(tenant).await?;
            emit(format, &invitations, || {
                let rows = invitations
                    .iter()
                    .map(|i| {
                        vec![
                            i.id.to_string(),
                            i.email.clone(),
                            i.role.as_str().into(),
                            i.expires_at.to_string(),
                        ]
                    })
                    .collect();
                (String::new(), vec!["ID", "EMAIL", "ROLE", "EXPIRES"], rows)
            })?;
        }
        InvitationsCommand::Create { tenant, email, role } => {
            let request = ingot_sdk::ingot_contracts::iam::InvitationCreateRequest {
                email,
                role: role.into(),
            };
            output::json_or_id(format, &client.invitation_create(tenant, &request).await?, |i| {
                i.id.to_string()
            })?;
        }
        InvitationsCommand::Revoke { tenant, id } => {
            client.invitation_revoke(tenant, id).await?;
            eprintln!("invitation {id} revoked");
        }
    }
    Ok(())
}

async fn project_members_run(
    client: &Client,
    format: OutputFormat,
    command: ProjectMembersCommand,
) -> anyhow::Result<()> {
    use ingot_sdk::ingot_contracts::iam::{ProjectMemberSetRequest, ProjectRole};
    match command {
        ProjectMembersCommand::List { project } => {
            let members = client.project_member_list(project).await?;
            emit(format, &members, || {
                let rows = members
                    .iter()
                    .map(|m| vec![m.user_id.to_string(), output::word(&m.role)])
                    .collect();
                (String::new(), vec!["USER", "ROLE"], rows)
            })?;
        }
        ProjectMembersCommand::Set { project, user, role } => {
            let role = match role {
                ProjectRoleArg::Admin => ProjectRole::Admin,
                ProjectRoleArg::Member => ProjectRole::Member,
                ProjectRoleArg::Viewer => ProjectRole::Viewer,
            };
            let member = client
                .project_member_set(project, user, &ProjectMemberSetRequest { role })
                .await?;
            output::json_or_id(format, &member, |m| {
                format!("{} {}", m.user_id, output::word(&m.role))
            })?;
        }
        ProjectMembersCommand::Remove { project, user } => {
            client.project_member_remove(project, user).await?;
            eprintln!("{user} no longer has a role on {project}");
        }
    }
    Ok(())
}

fn config_run(
    settings: &config::Settings,
    format: OutputFormat,
    command: ConfigCommand,
) -> anyhow::Result<()> {
    match command {
        ConfigCommand::Use { profile } => {
            config::profile_name_check(&profile)?;
            let mut file = config::config_file_read()?;
            let new = !file.profiles.contains_key(&profile);
            file.profiles.entry(profile.clone()).or_default();
            file.profile = Some(profile.clone());
            config::config_file_write(&file)?;
            eprintln!(
                "using profile {profile}{}",
                if new {
                    " (new: log in with ingot login --server URL)"
                } else {
                    ""
                }
            );
        }
        ConfigCommand::List => {
            let file = config::config_file_read()?;
            let current = file.current().to_string();
            let profiles: Vec<serde_json::Value> = file
                .profiles
                .iter()
                .map(|(name, profile)| {
                    serde_json::json!({
                        "name": name,
                        "server": profile.server.clone().unwrap_or_else(|| ingot_sdk::SERVER_DEFAULT.to_string()),
                        "logged_in": profile.token.is_some(),
                        "current": *name == current,
                    })
                })
                .collect();
            emit(format, &profiles, || {
                let rows = profiles
                    .iter()
                    .map(|p| {
                        vec![
                            p["name"].as_str().unwrap_or_default().to_string(),
                            p["server"].as_str().unwrap_or_default().to_string(),
                            if p["logged_in"] == true { "yes" } else { "no" }.into(),
                            if p["current"] == true { "in use" } else { "" }.into(),
                        ]
                    })
                    .collect();
                (String::new(), vec!["PROFILE", "SERVER", "LOGGED IN", ""], rows)
            })?;
        }
        ConfigCommand::Show => {
            let shown = serde_json::json!({
                "profile": settings.profile,
                "server": settings.server,
                "credential": settings.token.is_some(),
                "file": config::config_path().map(|p| p.display().to_string()),
            });
            output::json_or_id(format, &shown, |_| {
                format!(
                    "{} at {} ({})",
                    settings.profile,
                    settings.server,
                    if settings.token.is_some() {
                        "with a credential"
                    } else {
                        "no credential: ingot login"
                    }
                )
            })?;
        }
    }
    Ok(())
}
