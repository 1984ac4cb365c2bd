//! `ingotd serve | migrate | version`: the control plane's entry point.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use ingotd::config::{Config, Flags, config_load};
use std::sync::Arc;

use ingotd::{Seams, VERSION_LONG, app_build, app_serve, database_open, iam_build, telemetry};

#[derive(Debug, Parser)]
#[command(name = "ingotd", version = VERSION_LONG, about = "Ingot bare-metal cloud control plane")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the control plane (API, web app, controllers). With no configuration: SQLite under
    /// ./ingot-data, in-process cache, on 127.0.0.1:8080.
    Serve {
        #[command(flatten)]
        common: CommonArgs,
        /// Address to listen on [env: INGOT_LISTEN] [default: 127.0.0.1:8080]
        #[arg(long, value_name = "ADDR")]
        listen: Option<String>,
    },
    /// Apply pending database migrations and exit. With --check, apply nothing: list what would
    /// be applied (exit 1 when something is pending, 0 when up to date; 2 when an applied
    /// migration was edited; 3 when the database could not be read).
    Migrate {
        #[command(flatten)]
        common: CommonArgs,
        #[arg(long)]
        check: bool,
    },
    /// Configuration: `check` prints the effective configuration (secrets redacted, each key's
    /// source) and whether the environment (dev, staging, prod) accepts it (exit 2 if not).
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Write a consistent copy of the embedded SQLite database to FILE while the server runs
    /// (PostgreSQL: use pg_dump, see docs/deploy.md).
    Backup {
        #[command(flatten)]
        common: CommonArgs,
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
    },
    /// Create or reset a platform admin and print one new API token, alone, on stdout.
    /// Works while `serve` runs on the same database.
    BootstrapAdmin {
        #[command(flatten)]
        common: CommonArgs,
        /// The admin's email address.
        #[arg(long, value_name = "EMAIL")]
        email: String,
    },
    /// Rebuild read-model projections (all, or those named) from the event history beside the
    /// live ones, swap each in once caught up, and exit. Works while `serve` runs on the same
    /// database: the live projections keep answering until the swap.
    RebuildReadModels {
        #[command(flatten)]
        common: CommonArgs,
        /// Projection names (`tenant-overview`, `ops-capacity`, `ops-health`, `revenue`).
        names: Vec<String>,
        /// Build this binary's version even where a newer one is live (after a downgrade).
        #[arg(long)]
        force: bool,
    },
    /// Print the version and git commit.
    Version,
}

#[derive(Debug, Subcommand)]
enum ConfigCommand {
    /// Print the effective configuration and the environment's verdict.
    Check {
        #[command(flatten)]
        common: CommonArgs,
    },
}

#[derive(Debug, Args)]
struct CommonArgs {
    /// Configuration file (TOML) [env: INGOT_CONFIG]
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Data directory for the embedded SQLite database [env: INGOT_DATA_DIR] [default: ./ingot-data]
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Log format: text or json [env: INGOT_LOG_FORMAT]
    #[arg(long, value_name = "FORMAT")]
    log_format: Option<String>,
}

fn load(common: &CommonArgs, listen: Option<String>) -> Result<Config, ExitCode> {
    let flags = Flags {
        config: common.config.clone(),
        listen,
        data_dir: common.data_dir.clone(),
        log_format: common.log_format.clone(),
    };
    let env: BTreeMap<String, String> = std::env::vars()
        .filter(|(k, _)| k.starts_with("INGOT_"))
        .collect();
    config_load(&flags, &env).map_err(|err| {
        eprintln!("ingotd: {err}");
        ExitCode::from(2)
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Version => {
            println!("ingotd {}", VERSION_LONG);
            ExitCode::SUCCESS
        }
        Command::Config {
            command: ConfigCommand::Check { common },
        } => match load(&common, None) {
            Ok(config) => config_check(&config),
            Err(code) => code,
        },
        Command::Backup { common, to } => {
            let config = match load(&common, None) {
                Ok(config) => config,
                Err(code) => return code,
            };
            telemetry::logging_init(config.log_format, "warn");
            match backup(&config, &to).await {
                Ok(()) => {
                    println!("{}", to.display());
                    ExitCode::SUCCESS
                }
                Err(err) => fail(err.as_ref()),
            }
        }
        Command::Migrate { common, check: true } => {
            let config = match load(&common, None) {
                Ok(config) => config,
                Err(code) => return code,
            };
            telemetry::logging_init(config.log_format, "warn");
            match migrate_check(&config).await {
                Ok(code) => code,
                // Not "pending" (1): the check itself could not be made.
                Err(err) => {
                    fail(err.as_ref());
                    ExitCode::from(3)
                }
            }
        }
        Command::Migrate { common, check: false } => {
            let config = match load(&common, None) {
                Ok(config) => config,
                Err(code) => return code,
            };
            telemetry::logging_init(config.log_format, &config.log_level);
            match database_open(&config, &ingot_kernel::SystemClock).await {
                Ok(db) => {
                    db.close().await;
                    println!("migrations applied");
                    ExitCode::SUCCESS
                }
                Err(err) => fail(&err),
            }
        }
        Command::BootstrapAdmin { common, email } => {
            let config = match load(&common, None) {
                Ok(config) => config,
                Err(code) => return code,
            };
            // Logs go to stderr at warn: stdout carries the token alone, for scripts.
            telemetry::logging_init(config.log_format, "warn");
            match bootstrap_admin(&config, &email).await {
                Ok(token) => {
                    println!("{token}");
                    ExitCode::SUCCESS
                }
                Err(err) => fail(err.as_ref()),
            }
        }
        Command::RebuildReadModels { common, names, force } => {
            let config = match load(&common, None) {
                Ok(config) => config,
                Err(code) => return code,
            };
            telemetry::logging_init(config.log_format, "warn");
            match rebuild_read_models(&config, names, force).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => fail(err.as_ref()),
            }
        }
        Command::Serve { common, listen } => {
            let config = match load(&common, listen) {
                Ok(config) => config,
                Err(code) => return code,
            };
            let problems = config.environment_problems();
            if !problems.is_empty() {
                for problem in &problems {
                    eprintln!(
                        "ingotd: refusing to start ({}): {problem}",
                        config.environment.as_str()
                    );
                }
                return ExitCode::from(2);
            }
            let tracing = match telemetry::tracing_init(
                config.log_format,
                &config.log_level,
                config.telemetry_otlp_endpoint.as_deref(),
            ) {
                Ok(tracing) => tracing,
                Err(err) => {
                    eprintln!("ingotd: {err}");
                    return ExitCode::from(2);
                }
            };
            let code = match serve(config).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => fail(err.as_ref()),
            };
            // The exporter's thread blocks while it flushes: off the runtime's workers.
            let _ = tokio::task::spawn_blocking(move || tracing.shutdown()).await;
            code
        }
    }
}

/// `ingotd config check`: every key, its value (secrets redacted) and its source, then the
/// environment's verdict (and the on-call file's, when one is named).
fn config_check(config: &Config) -> ExitCode {
    let effective = config.effective();
    let width = effective.iter().map(|(key, _, _)| key.len()).max().unwrap_or(0);
    for (key, value, origin) in &effective {
        println!("{key:<width$}  {value} ({origin})");
    }
    let mut problems = config.environment_problems();
    let registry = ingot_operations::model::ownership_registry_parse(ingot_operations::model::OWNERS_TOML);
    if let Err(err) = registry.and_then(|registry| ingotd::on_call_load(config, &registry)) {
        problems.push(format!("paging.oncall_file: {err}"));
    }
    println!();
    if problems.is_empty() {
        println!("environment {}: ok", config.environment.as_str());
        ExitCode::SUCCESS
    } else {
        for problem in &problems {
            println!("environment {}: refused: {problem}", config.environment.as_str());
        }
        ExitCode::from(2)
    }
}

/// `ingotd migrate --check`.
async fn migrate_check(config: &Config) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let status = if config.database_url.is_none() && !config.sqlite_path().exists() {
        // No database yet: everything is pending, and checking creates nothing.
        ingot_kernel::db::MigrationStatus::all_pending(&ingotd::migration_sets())
    } else {
        let db = ingotd::database_connect(config).await?;
        let status = db.migrations_status(&ingotd::migration_sets()).await?;
        db.close().await;
        status
    };
    for label in &status.pending {
        println!("pending: {label}");
    }
    for label in &status.unknown {
        println!("unknown to this binary (applied by a newer release): {label}");
    }
    for label in &status.edited {
        println!("edited after it was applied: {label}");
    }
    Ok(if !status.edited.is_empty() {
        println!("refused: an applied migration differs from this binary's");
        ExitCode::from(2)
    } else if !status.pending.is_empty() {
        println!(
            "{} migrations pending: run `ingotd migrate`",
            status.pending.len()
        );
        ExitCode::from(1)
    } else {
        println!("up to date");
        ExitCode::SUCCESS
    })
}

/// `ingotd backup --to FILE`: SQLite's `VACUUM INTO`, a consistent copy taken beside writers.
async fn backup(config: &Config, to: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    if config
        .database_url
        .as_deref()
        .is_some_and(|url| !url.starts_with("sqlite:"))
    {
        return Err(
            "backup copies the embedded SQLite database; for PostgreSQL use pg_dump (docs/deploy.md)".into(),
        );
    }
    if to.exists() {
        return Err(format!("{} exists: backup never overwrites", to.display()).into());
    }
    if config.database_url.is_none() && !config.sqlite_path().exists() {
        return Err(format!("no database at {}", config.sqlite_path().display()).into());
    }
    let db = ingotd::database_connect(config).await?;
    db.sqlite_copy_to(to).await?;
    db.close().await;
    Ok(())
}

async fn bootstrap_admin(config: &Config, email: &str) -> Result<String, Box<dyn std::error::Error>> {
    let clock: Arc<dyn ingot_kernel::Clock> = Arc::new(ingot_kernel::SystemClock);
    let db = database_open(config, clock.as_ref()).await?;
    let iam = iam_build(config, &db, clock, ingot_kernel::cache::Cache::in_process(), None)?;
    let token = iam.bootstrap_admin(email).await?;
    db.close().await;
    Ok(token)
}

async fn rebuild_read_models(
    config: &Config,
    names: Vec<String>,
    force: bool,
) -> Result<(), Box<dyn std::error::Error>> {
    use ingot_read_models::service::{ReadModelsConfig, ReadModelsService};
    let clock: Arc<dyn ingot_kernel::Clock> = Arc::new(ingot_kernel::SystemClock);
    let db = database_open(config, clock.as_ref()).await?;
    let read_models = ReadModelsService::new(
        db.clone(),
        clock,
        ingot_kernel::cache::Cache::in_process(),
        Arc::new(ingot_iam::IamAuthorizer),
        ReadModelsConfig::default(),
    );
    let all: Vec<String> = ingot_read_models::service::ownerships()
        .into_iter()
        .map(|o| o.name)
        .collect();
    let names = if names.is_empty() { all.clone() } else { names };
    if let Some(unknown) = names.iter().find(|n| !all.contains(n)) {
        return Err(format!("no projection named {unknown}; known: {}", all.join(", ")).into());
    }
    let swapped = read_models
        .rebuild_to_the_end(&names, force, &mut |line| eprintln!("{line}"))
        .await?;
    for (name, generation) in &swapped {
        println!("{name}: generation {generation} swapped in");
    }
    db.close().await;
    Ok(())
}

async fn serve(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    let listen = config.listen;
    let app = app_build(config, Seams::default()).await?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    tracing::info!(listen = %listener.local_addr()?, version = %VERSION_LONG, config = ?app.config, "ingotd serving");
    app_serve(app, listener, shutdown_signal()).await?;
    tracing::info!("ingotd stopped");
    Ok(())
}

/// SIGTERM (from an orchestrator) or Ctrl-C.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}

/// Prints the error and its causes on one line.
fn fail(err: &dyn std::error::Error) -> ExitCode {
    let mut line = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        line.push_str(": ");
        line.push_str(&cause.to_string());
        source = cause.source();
    }
    eprintln!("ingotd: {line}");
    ExitCode::FAILURE
}
