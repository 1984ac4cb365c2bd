//! `ingot-maas-sim --machines 64 --port 5240 [--api-key CONSUMER:TOKEN:SECRET] [--new N]`: a
//! simulated MAAS region on 127.0.0.1 serving `/MAAS/`. Its first line of output is the API key
//! it accepts.

use std::sync::Arc;

use clap::Parser;
use ingot_maas_sim::{ApiKey, Sim, SimConfig, Timings};

#[derive(Debug, Parser)]
#[command(
    name = "ingot-maas-sim",
    version,
    about = "A simulated MAAS region (REST API 2.0 under /MAAS/)"
)]
struct Args {
    /// Seeded machines that start READY.
    #[arg(long, default_value_t = 64)]
    machines: usize,
    /// Seeded machines that start NEW (not commissioned).
    #[arg(long = "new", default_value_t = 0)]
    new_machines: usize,
    #[arg(long, default_value_t = 5240)]
    port: u16,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    bind: String,
    /// The key to accept (`consumer:token:secret`); one is made and printed when absent.
    #[arg(long)]
    api_key: Option<String>,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Seconds instead of minutes for commissioning, deploying and erasing.
    #[arg(long)]
    brisk: bool,
    /// Share of deployments that fail (0.0–1.0).
    #[arg(long, default_value_t = 0.0)]
    deploy_failure_rate: f64,
    /// Share of commissionings that fail (0.0–1.0).
    #[arg(long, default_value_t = 0.0)]
    commission_failure_rate: f64,
    /// Share of BMC power actions that fail (0.0–1.0).
    #[arg(long, default_value_t = 0.0)]
    power_failure_rate: f64,
    /// Milliseconds added to every request.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let api_key = match args.api_key.as_deref().map(ApiKey::parse) {
        Some(None) => {
            eprintln!("ingot-maas-sim: --api-key must be CONSUMER:TOKEN:SECRET");
            return std::process::ExitCode::from(2);
        }
        Some(Some(key)) => Some(key),
        None => None,
    };
    let sim = Sim::new(
        SimConfig {
            machines: args.machines,
            new_machines: args.new_machines,
            api_key,
            seed: args.seed,
            timings: if args.brisk {
                Timings::brisk()
            } else {
                Timings::realistic()
            },
        },
        Arc::new(ingot_kernel::SystemClock),
    );
    sim.faults_set(|faults| {
        faults.deploy_failure_rate = args.deploy_failure_rate;
        faults.commission_failure_rate = args.commission_failure_rate;
        faults.power_failure_rate = args.power_failure_rate;
        faults.latency = std::time::Duration::from_millis(args.latency_ms);
    });
    let listener = match tokio::net::TcpListener::bind((args.bind.as_str(), args.port)).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!(
                "ingot-maas-sim: cannot listen on {}:{}: {err}",
                args.bind, args.port
            );
            return std::process::ExitCode::from(1);
        }
    };
    println!("{}", sim.api_key());
    let address = listener.local_addr().map(|a| a.to_string()).unwrap_or_default();
    eprintln!(
        "ingot-maas-sim: {} machines ({} NEW) at http://{address}/MAAS/",
        args.machines + args.new_machines,
        args.new_machines
    );
    match sim.serve(listener).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("ingot-maas-sim: {err}");
            std::process::ExitCode::from(1)
        }
    }
}
