//! `ingot`, the command-line interface: `ingot <noun> <verb>`, talking HTTP through `ingot-sdk`.
//! Server from `--server`, `INGOT_SERVER` or the config file; token from `INGOT_TOKEN` or the
//! config file (`~/.config/ingot/config.toml`).

mod config;
mod output;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use ingot_sdk::Client;

#[derive(Debug, Parser)]
#[command(
    name = "ingot",
    version,
    about = "Command-line client of the Ingot bare-metal cloud"
)]
struct Cli {
    /// Server URL [env: INGOT_SERVER] [default: config file, else http://127.0.0.1:8080]
    #[arg(long, global = true, value_name = "URL")]
    server: Option<String>,
    /// Output format
    #[arg(long, global = true, value_enum, default_value_t = OutputFormat::Table)]
    output: OutputFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show whether the server is alive and ready (database, cache).
    Health,
    /// Platform administration.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Who owns which bounded context (OWNERS.toml as the server serves it).
    Ownership,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(code) => code,
        Err(err) => {
            eprintln!("ingot: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let settings = config::settings_resolve(cli.server.as_deref())?;
    let mut client = Client::new(&settings.server)?;
    if let Some(token) = settings.token {
        client = client.with_token(token);
    }
    match cli.command {
        Command::Health => {
            let health = client.health_get().await?;
            let readiness = client.readiness_get().await?;
            output::health_print(cli.output, &health, &readiness)?;
            Ok(if readiness.status == "ok" {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Admin {
            command: AdminCommand::Ownership,
        } => {
            let registry = client.ownership_get().await?;
            output::ownership_print(cli.output, &registry)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
