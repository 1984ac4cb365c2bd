//! `ingot`, the command-line interface: `ingot <noun> <verb>`, talking HTTP through `ingot-sdk`.
//! Server from `--server`, `INGOT_SERVER` or the profile in use; token from `INGOT_TOKEN` or the
//! profile (`~/.config/ingot/config.toml`, which `ingot login` writes; see `config.rs`).

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
mod incidents;
mod maas;
mod output;
mod quotas;
mod ssh_keys;
mod templates;
mod term;
mod webhooks;

use std::process::ExitCode;

use clap::{Parser, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "ingot",
    version,
    about = "Command-line client of the Ingot bare-metal cloud",
    after_help = "Examples:\n  ingot login\n  ingot catalog offers\n  ingot alloc create --sku cpu-64c --count 2 --ssh-key ~/.ssh/id_ed25519.pub --wait\n  \
        ingot alloc list --quiet | xargs -n1 ingot alloc release\n\n\
        Exit codes: 0 done, 1 error, 2 usage, 3 not found, 4 refused (not logged in, or not allowed)."
)]
struct Cli {
    /// Server URL [env: INGOT_SERVER] [default: the profile's, else http://127.0.0.1:8080]
    #[arg(long, global = true, value_name = "URL")]
    server: Option<String>,
    /// Profile of the config file to use for this command [env: INGOT_PROFILE] [default: the one
    /// `ingot config use` chose, else `default`]
    #[arg(long, global = true, value_name = "NAME")]
    profile: Option<String>,
    /// Output format
    #[arg(long, global = true, value_enum, default_value_t = OutputFormat::Table)]
    output: OutputFormat,
    /// Print only ids (a list's first column, one per line), for scripts.
    #[arg(long, short, global = true, conflicts_with = "output")]
    quiet: bool,
    #[command(subcommand)]
    command: commands::Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
    Yaml,
    /// `--quiet`: ids only.
    #[value(skip)]
    Quiet,
}

impl OutputFormat {
    /// JSON or YAML: the API's own documents, for machines.
    pub fn is_data(self) -> bool {
        matches!(self, OutputFormat::Json | OutputFormat::Yaml)
    }
}

/// The exit code for a failure: 3 when the thing asked for does not exist, 4 when the server
/// refused the caller (not logged in, or not allowed), else 1. Usage errors exit 2 (clap).
fn exit_code_of(err: &anyhow::Error) -> u8 {
    match err.downcast_ref::<ingot_sdk::Error>() {
        Some(ingot_sdk::Error::Api(problem)) => match problem.status {
            404 => 3,
            401 | 403 => 4,
            _ => 1,
        },
        _ => 1,
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if let commands::Command::Man = cli.command {
        let page = clap_mangen::Man::new(<Cli as clap::CommandFactory>::command());
        return match page.render(&mut std::io::stdout()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("ingot: {err}");
                ExitCode::FAILURE
            }
        };
    }
    if let commands::Command::Completions { shell } = cli.command {
        clap_complete::generate(
            shell,
            &mut <Cli as clap::CommandFactory>::command(),
            "ingot",
            &mut std::io::stdout(),
        );
        return ExitCode::SUCCESS;
    }
    let format = if cli.quiet {
        OutputFormat::Quiet
    } else {
        cli.output
    };
    match commands::run(cli.server.as_deref(), cli.profile.as_deref(), format, cli.command).await {
        Ok(code) => code,
        Err(err) => {
            eprintln!("ingot: {err}");
            // A 422 names each bad field; without them the user cannot tell what to fix.
            if let Some(ingot_sdk::Error::Api(problem)) = err.downcast_ref::<ingot_sdk::Error>() {
                for field in &problem.errors {
                    eprintln!("  {}: {}", field.field, field.message);
                }
            }
            ExitCode::from(exit_code_of(&err))
        }
    }
}
