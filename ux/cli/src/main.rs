//! `ingot`, the command-line interface: `ingot <noun> <verb>`, talking HTTP through `ingot-sdk`.
//! Server from `--server`, `INGOT_SERVER` or the config file; token from `INGOT_TOKEN` or the
//! config file (`~/.config/ingot/config.toml`), which `ingot login` writes.

mod account;
mod alloc;
mod billing;
mod catalog;
mod clusters;
mod commands;
mod config;
mod dashboards;
mod images;
mod import_csv;
mod maas;
mod output;
mod quotas;
mod ssh_keys;
mod templates;
mod webhooks;

use std::process::ExitCode;

use clap::{Parser, ValueEnum};

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
    command: commands::Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match commands::run(cli.server.as_deref(), cli.output, cli.command).await {
        Ok(code) => code,
        Err(err) => {
            eprintln!("ingot: {err}");
            // A 422 names each bad field; without them the user cannot tell what to fix.
            if let Some(ingot_sdk::Error::Api(problem)) = err.downcast_ref::<ingot_sdk::Error>() {
                for field in &problem.errors {
                    eprintln!("  {}: {}", field.field, field.message);
                }
            }
            ExitCode::FAILURE
        }
    }
}
