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
    /// Apply pending database migrations and exit.
    Migrate {
        #[command(flatten)]
        common: CommonArgs,
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
        Command::Migrate { common } => {
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
            telemetry::logging_init(config.log_format, &config.log_level);
            match serve(config).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => fail(err.as_ref()),
            }
        }
    }
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
