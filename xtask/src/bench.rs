//! `cargo xtask bench [--quick] [--fleet 1000,5000,20000] [BENCH…]`: builds ingotd's benches once
//! (release profile), runs each with `INGOT_BENCH_REPORT` naming `target/bench/NAME[-fleetN].json`
//! — the fleet-sensitive ones once per fleet size, with `INGOT_BENCH_FLEET` — and writes
//! `BENCHMARKS.md` from the figures they recorded. Figures are reported, never asserted; a bench
//! that fails to run fails the command, named.
//!
//! `--quick` smoke-runs every bench (0.2 s phases, 2 clients; fleets of 100, 200 and 400 unless
//! `--fleet` says otherwise) and writes `target/bench/BENCHMARKS.quick.md`, so nobody mistakes its
//! figures for real ones. A run of only some benches, or one with a failure, writes
//! `target/bench/BENCHMARKS.partial.md`; only a full, clean, timed run replaces the root file.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use anyhow::{Context as _, bail};
use serde::Deserialize;

/// Every bench of `server/benches`, in report order, and whether it runs once per fleet size.
const BENCHES: &[(&str, &str, bool)] = &[
    ("iam", "IAM", false),
    ("catalog", "Inventory.Catalog", true),
    ("ledger", "Billing: ledger", false),
    ("allocation", "Provisioning.Allocation", true),
    ("maas", "Provisioning.BareMetal.MAAS", true),
    ("read_models", "Read models", true),
    ("embedded", "The embedded default", false),
];

const FLEETS: &[usize] = &[1_000, 5_000, 20_000];
const FLEETS_QUICK: &[usize] = &[100, 200, 400];

/// performance.md's scenarios no bench measures, and why.
const NOT_MEASURED: &[(&str, &str)] = &[
    (
        "metering ingest (usage intervals / events, deduplicated): events/s ÷ raw multi-row insert",
        "Billing has no usage-ingest API: usage is metered from Allocation's own events (node \
         metering started and stopped) through the outbox, so there is no ingest path to load.",
    ),
    (
        "hot-account posting with micro-batching: batched ÷ unbatched API",
        "the ledger has no micro-batching writer; every posting is its own transaction (the \
         hot-account figures above are the unbatched side).",
    ),
    (
        "reconcile 5,000 simulated machines over 5 sites",
        "the bench reconciles one site holding the whole fleet (one simulated region), not five.",
    ),
    (
        "any scenario on the PostgreSQL backend",
        "every bench runs the embedded default (SQLite, one writer); Redis appears only as the \
         read models' dashboard cache. performance.md's PostgreSQL ceilings are not re-measured.",
    ),
];

/// One figure a bench recorded (`server/benches/support`'s `Figure`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Figure {
    pub scenario: String,
    pub measure: String,
    pub value: f64,
    pub unit: String,
    pub baseline: Option<String>,
    pub baseline_value: Option<f64>,
    pub ratio: Option<f64>,
    pub target: Option<String>,
    pub met: Option<bool>,
    pub fleet: Option<usize>,
    #[serde(default)]
    pub notes: Vec<String>,
}

/// What one run of one bench binary recorded.
#[derive(Debug, Clone)]
pub struct BenchRun {
    pub bench: String,
    /// The `INGOT_BENCH_FLEET` it ran with, for the fleet-sensitive ones.
    pub fleet: Option<usize>,
    pub figures: Vec<Figure>,
}

/// How the figures were produced, for the report's head.
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    pub command: String,
    pub date: String,
    pub commit: String,
    pub quick: bool,
    /// (what, value) lines about the machine.
    pub machine: Vec<(String, String)>,
    /// Benches that failed to run.
    pub failed: Vec<String>,
}

pub fn run(root: &Path, args: &[String]) -> anyhow::Result<()> {
    let mut quick = false;
    let mut fleets: Option<Vec<usize>> = None;
    let mut chosen = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--quick" => quick = true,
            "--fleet" => {
                let list = rest.next().context("--fleet takes sizes: 1000,5000,20000")?;
                let sizes = list
                    .split(',')
                    .map(|n| n.trim().replace('_', "").parse::<usize>())
                    .collect::<Result<Vec<_>, _>>()
                    .with_context(|| format!("--fleet {list}: not a list of node counts"))?;
                fleets = Some(sizes);
            }
            name if BENCHES.iter().any(|(b, _, _)| *b == name) => chosen.push(name.to_string()),
            other => bail!(
                "no bench {other}; there are: {}",
                BENCHES.iter().map(|(b, _, _)| *b).collect::<Vec<_>>().join(", ")
            ),
        }
    }
    let fleets = fleets.unwrap_or_else(|| if quick { FLEETS_QUICK } else { FLEETS }.to_vec());
    let selected: Vec<(&str, bool)> = BENCHES
        .iter()
        .filter(|(b, _, _)| chosen.is_empty() || chosen.iter().any(|c| c == b))
        .map(|(b, _, sensitive)| (*b, *sensitive))
        .collect();

    let load = load_average();
    if let Some(load) = load.filter(|l| *l > 0.5) {
        eprintln!(
            "bench: warning: load average {load:.2} before starting (above 0.5); the machine is not idle, \
             so the figures will be low and noisy"
        );
    }
    let executables = build(root)?;
    let out_dir = root.join("target/bench");
    std::fs::create_dir_all(&out_dir)?;
    let mut runs = Vec::new();
    let mut failed = Vec::new();
    for (bench, sensitive) in &selected {
        let sizes: Vec<Option<usize>> = if *sensitive {
            fleets.iter().copied().map(Some).collect()
        } else {
            vec![None]
        };
        for fleet in sizes {
            let name = match fleet {
                Some(n) => format!("{bench}-fleet{n}"),
                None => (*bench).to_string(),
            };
            match bench_run(
                root,
                &executables,
                bench,
                fleet,
                quick,
                &out_dir.join(format!("{name}.json")),
            ) {
                Ok(figures) => runs.push(BenchRun {
                    bench: (*bench).to_string(),
                    fleet,
                    figures,
                }),
                Err(err) => {
                    eprintln!("bench: {name} failed: {err:#}");
                    failed.push(name);
                }
            }
        }
    }

    let mut command = String::from("cargo xtask bench");
    for arg in args {
        command.push(' ');
        command.push_str(arg);
    }
    let mut machine = machine(root);
    if let Some(load) = load {
        machine.push(("load average before the run".into(), format!("{load:.2}")));
    }
    let provenance = Provenance {
        command,
        date: output_of(root, "date", &["-u", "+%Y-%m-%d %H:%M UTC"]).unwrap_or_default(),
        commit: commit(root),
        quick,
        machine,
        failed: failed.clone(),
    };
    let path = if quick {
        out_dir.join("BENCHMARKS.quick.md")
    } else if !failed.is_empty() || selected.len() < BENCHES.len() {
        out_dir.join("BENCHMARKS.partial.md")
    } else {
        root.join("BENCHMARKS.md")
    };
    std::fs::write(&path, markdown(&provenance, &runs))?;
    println!("bench: wrote {}", path.display());
    if !failed.is_empty() {
        bail!("benches failed: {}", failed.join(", "));
    }
    Ok(())
}

/// Builds every bench of ingotd once (`cargo bench --no-run`, release profile) and returns each
/// bench's executable by name.
fn build(root: &Path) -> anyhow::Result<BTreeMap<String, String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let args = [
        "bench",
        "-p",
        "ingotd",
        "--no-run",
        "--message-format=json-render-diagnostics",
    ];
    eprintln!("+ cargo {}", args.join(" "));
    let output = Command::new(&cargo)
        .args(args)
        .current_dir(root)
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("cannot start cargo")?;
    if !output.status.success() {
        bail!("`cargo bench -p ingotd --no-run` failed ({})", output.status);
    }
    let mut executables = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let is_bench = message["target"]["kind"]
            .as_array()
            .is_some_and(|kinds| kinds.iter().any(|k| k == "bench"));
        if let (true, Some(name), Some(executable)) = (
            is_bench,
            message["target"]["name"].as_str(),
            message["executable"].as_str(),
        ) {
            executables.insert(name.to_string(), executable.to_string());
        }
    }
    Ok(executables)
}

/// Runs one bench binary and reads back what it recorded.
fn bench_run(
    root: &Path,
    executables: &BTreeMap<String, String>,
    bench: &str,
    fleet: Option<usize>,
    quick: bool,
    report: &Path,
) -> anyhow::Result<Vec<Figure>> {
    let executable = executables
        .get(bench)
        .with_context(|| format!("cargo built no bench named {bench}"))?;
    let _ = std::fs::remove_file(report);
    let mut command = Command::new(executable);
    // Cargo runs benches from the package's folder; so does this.
    command
        .current_dir(root.join("server"))
        .env("INGOT_BENCH_REPORT", report)
        .env_remove("INGOT_BENCH_FLEET");
    // `cargo bench` passes `--bench`, which makes the real, timed run; without it a bench
    // smoke-runs, as under `cargo test`.
    if !quick {
        command.arg("--bench");
    }
    if let Some(n) = fleet {
        command.env("INGOT_BENCH_FLEET", n.to_string());
    }
    eprintln!(
        "+ {}{executable}{}",
        fleet
            .map(|n| format!("INGOT_BENCH_FLEET={n} "))
            .unwrap_or_default(),
        if quick { "" } else { " --bench" }
    );
    let status = command
        .status()
        .with_context(|| format!("cannot start {executable}"))?;
    if !status.success() {
        bail!("exited with {status}");
    }
    let text = std::fs::read_to_string(report)
        .with_context(|| format!("it wrote no report at {}", report.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not a list of figures", report.display()))
}

fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// The first line a command prints, when it runs and succeeds.
fn output_of(root: &Path, program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).current_dir(root).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&output.stdout);
    Some(text.lines().next()?.trim().to_string()).filter(|l| !l.is_empty())
}

fn commit(root: &Path) -> String {
    let Some(head) = output_of(root, "git", &["rev-parse", "--short=12", "HEAD"]) else {
        return "unknown".into();
    };
    let dirty = Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=no"])
        .current_dir(root)
        .output()
        .is_ok_and(|o| !o.stdout.is_empty());
    if dirty {
        format!("{head} (with uncommitted changes)")
    } else {
        head
    }
}

/// What the figures depend on: CPU, cores, memory, and the database and cache versions.
fn machine(root: &Path) -> Vec<(String, String)> {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map_or_else(|| "unknown".to_string(), |m| m.trim().to_string());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory = meminfo
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or_else(
            || "unknown".to_string(),
            |kb| format!("{:.1} GiB", kb / 1024.0 / 1024.0),
        );
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let unavailable = || "not found".to_string();
    vec![
        ("CPU".into(), cpu),
        ("cores (nproc)".into(), cores.to_string()),
        ("memory".into(), memory),
        (
            "rustc".into(),
            output_of(root, "rustc", &["--version"]).unwrap_or_else(unavailable),
        ),
        (
            "PostgreSQL".into(),
            output_of(root, "psql", &["--version"]).unwrap_or_else(unavailable),
        ),
        (
            "Redis".into(),
            output_of(root, "redis-server", &["--version"]).unwrap_or_else(unavailable),
        ),
    ]
}

/// BENCHMARKS.md from the collected runs: how they were produced, one table per scenario, how
/// cost grows with the fleet, and what is not measured.
pub fn markdown(provenance: &Provenance, runs: &[BenchRun]) -> String {
    let mut out = String::from("# Benchmarks\n\n");
    if provenance.quick {
        out.push_str(
            "**Quick mode: smoke runs (0.2 s phases, 2 clients, tiny fleets). These figures only show that \
             the benches run; they say nothing about speed.**\n\n",
        );
    }
    out.push_str(&format!(
        "Produced by `{}` on {} at commit {}.\n",
        provenance.command, provenance.date, provenance.commit
    ));
    out.push_str(
        "Figures are reported, never asserted. Each ratio divides our figure by a baseline measured in the \
         same run on the same machine; judge by those, not by absolute numbers from another day \
         (performance.md's rule). Whether a target is met is informational.\n",
    );
    if !provenance.failed.is_empty() {
        out.push_str(&format!(
            "\n**Failed to run: {}.** Their figures are missing below.\n",
            provenance.failed.join(", ")
        ));
    }
    out.push_str("\n## Machine\n\n| | |\n|---|---|\n");
    for (what, value) in &provenance.machine {
        out.push_str(&format!("| {what} | {} |\n", cell(value)));
    }

    for (bench, title, _) in BENCHES {
        let of_bench: Vec<&BenchRun> = runs.iter().filter(|r| r.bench == *bench).collect();
        if of_bench.is_empty() {
            continue;
        }
        out.push_str(&format!("\n## {title} (`{bench}`)\n"));
        let rows: Vec<(Option<usize>, &Figure)> = of_bench
            .iter()
            .flat_map(|run| run.figures.iter().map(|f| (f.fleet.or(run.fleet), f)))
            .collect();
        for scenario in first_seen(rows.iter().map(|(_, f)| f.scenario.as_str())) {
            let in_scenario: Vec<&(Option<usize>, &Figure)> =
                rows.iter().filter(|(_, f)| f.scenario == scenario).collect();
            let with_fleet = in_scenario.iter().any(|(fleet, _)| fleet.is_some());
            out.push_str(&format!("\n### {scenario}\n\n"));
            out.push_str(if with_fleet {
                "| measure | fleet | figure | baseline (same run) | ratio | target | met | notes |\n\
                 |---|--:|--:|---|--:|---|---|---|\n"
            } else {
                "| measure | figure | baseline (same run) | ratio | target | met | notes |\n\
                 |---|--:|---|--:|---|---|---|\n"
            });
            for measure in first_seen(in_scenario.iter().map(|(_, f)| f.measure.as_str())) {
                let mut of_measure: Vec<&&(Option<usize>, &Figure)> =
                    in_scenario.iter().filter(|(_, f)| f.measure == measure).collect();
                of_measure.sort_by_key(|(fleet, _)| *fleet);
                for (fleet, figure) in of_measure {
                    let baseline = match (&figure.baseline, figure.baseline_value) {
                        (Some(name), Some(value)) => format!("{name}: {}", quantity(value, &figure.unit)),
                        _ => String::new(),
                    };
                    let met = match figure.met {
                        Some(true) => "met",
                        Some(false) => "not met",
                        None => "",
                    };
                    let fleet_cell = if with_fleet {
                        format!(" {} |", fleet.map(thousands).unwrap_or_default())
                    } else {
                        String::new()
                    };
                    out.push_str(&format!(
                        "| {} |{fleet_cell} {} | {} | {} | {} | {met} | {} |\n",
                        cell(measure),
                        quantity(figure.value, &figure.unit),
                        cell(&baseline),
                        figure.ratio.map(|r| format!("{r:.2}")).unwrap_or_default(),
                        cell(figure.target.as_deref().unwrap_or("")),
                        cell(&figure.notes.join("; ")),
                    ));
                }
            }
        }
    }

    out.push_str(&fleet_section(runs));
    out.push_str("\n## Not measured\n\n");
    for (what, why) in NOT_MEASURED {
        out.push_str(&format!("- {what}: {why}\n"));
    }
    out
}

/// How each fleet-sensitive figure grows from the smallest fleet to the largest: one table per
/// scenario, its measures' rows in fleet order.
fn fleet_section(runs: &[BenchRun]) -> String {
    // (bench, scenario) → (measure, fleet, figure), for measures seen at two sizes or more.
    type Point<'a> = (&'a str, usize, &'a Figure);
    let mut scenarios: Vec<((&str, &str), Vec<Point>)> = Vec::new();
    for run in runs {
        for figure in &run.figures {
            let Some(fleet) = run.fleet.or(figure.fleet) else {
                continue;
            };
            let key = (run.bench.as_str(), figure.scenario.as_str());
            let point = (figure.measure.as_str(), fleet, figure);
            match scenarios.iter_mut().find(|(k, _)| *k == key) {
                Some((_, points)) => points.push(point),
                None => scenarios.push((key, vec![point])),
            }
        }
    }
    for (_, points) in &mut scenarios {
        let once: Vec<&str> = first_seen(points.iter().map(|(m, _, _)| *m))
            .into_iter()
            .filter(|measure| points.iter().filter(|(m, _, _)| m == measure).count() < 2)
            .collect();
        points.retain(|(m, _, _)| !once.contains(m));
    }
    scenarios.retain(|(_, points)| !points.is_empty());
    if scenarios.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "\n## Fleet size\n\nThe fleet-sensitive benches ran once per fleet size (nodes imported, machines in the \
         simulated region, or nodes seeded). \"× smallest\" is the figure over its value at the smallest fleet; \
         for times, \"per node\" divides by the fleet.\n",
    );
    for ((bench, scenario), points) in scenarios {
        out.push_str(&format!("\n### {scenario} (`{bench}`)\n\n"));
        out.push_str(
            "| measure | fleet | figure | × smallest | per node | ratio to baseline |\n\
             |---|--:|--:|--:|--:|--:|\n",
        );
        for measure in first_seen(points.iter().map(|(m, _, _)| *m)) {
            let mut series: Vec<(usize, &Figure)> = points
                .iter()
                .filter(|(m, _, _)| *m == measure)
                .map(|(_, fleet, figure)| (*fleet, *figure))
                .collect();
            series.sort_by_key(|(fleet, _)| *fleet);
            let smallest = series[0].1.value;
            for (fleet, figure) in series {
                let growth = if smallest > 0.0 {
                    format!("{:.2}", figure.value / smallest)
                } else {
                    String::new()
                };
                // Only a whole-fleet time divides by the fleet; a latency says its unit
                // ("ms per create") and is left alone.
                let micros = match figure.unit.as_str() {
                    "s" => Some(figure.value * 1e6),
                    "ms" => Some(figure.value * 1e3),
                    _ => None,
                };
                let per_node = micros
                    .filter(|_| fleet > 0)
                    .map(|us| quantity(us / fleet as f64, "µs"))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "| {} | {} | {} | {growth} | {per_node} | {} |\n",
                    cell(measure),
                    thousands(fleet),
                    quantity(figure.value, &figure.unit),
                    figure.ratio.map(|r| format!("{r:.2}")).unwrap_or_default(),
                ));
            }
        }
    }
    out
}

/// Distinct values in the order they first appear.
fn first_seen<'a>(values: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen: Vec<&str> = Vec::new();
    for value in values {
        if !seen.contains(&value) {
            seen.push(value);
        }
    }
    seen
}

/// A value with its unit, to three significant figures or whole thousands.
fn quantity(value: f64, unit: &str) -> String {
    let number = if value.abs() >= 100.0 {
        thousands(value.round() as usize)
    } else if value.abs() >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    };
    if unit.starts_with('/') {
        format!("{number}{unit}")
    } else {
        format!("{number} {unit}")
    }
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(scenario: &str, measure: &str, value: f64, unit: &str) -> Figure {
        Figure {
            scenario: scenario.into(),
            measure: measure.into(),
            value,
            unit: unit.into(),
            ..Figure::default()
        }
    }

    fn allocation_at(fleet: usize, creates: f64, raw: f64) -> BenchRun {
        BenchRun {
            bench: "allocation".into(),
            fleet: Some(fleet),
            figures: vec![Figure {
                baseline: Some("raw assign transaction (SQL)".into()),
                baseline_value: Some(raw),
                ratio: Some(creates / raw),
                target: Some("≥ 0.6, 0 double-bookings".into()),
                met: Some(creates / raw >= 0.6),
                fleet: Some(fleet),
                notes: vec!["0 refused".into(), "16 clients".into()],
                ..figure(
                    "allocate through HTTP, 1 SKU",
                    "HTTP creates (1 node each)",
                    creates,
                    "/s",
                )
            }],
        }
    }

    fn report(quick: bool) -> String {
        let provenance = Provenance {
            command: "cargo xtask bench".into(),
            date: "2026-12-06 10:00 UTC".into(),
            commit: "0123456789ab".into(),
            quick,
            machine: vec![("cores (nproc)".into(), "2".into())],
            failed: Vec::new(),
        };
        let runs = vec![
            BenchRun {
                bench: "iam".into(),
                fleet: None,
                figures: vec![Figure {
                    baseline: Some("raw argon2id verifications".into()),
                    baseline_value: Some(50.0),
                    ratio: Some(0.5),
                    target: Some("≥ 0.8".into()),
                    met: Some(false),
                    ..figure("login storm", "logins through HTTP", 25.0, "/s")
                }],
            },
            allocation_at(1_000, 300.0, 400.0),
            allocation_at(5_000, 250.0, 400.0),
            BenchRun {
                bench: "maas".into(),
                fleet: Some(5_000),
                figures: vec![Figure {
                    fleet: Some(5_000),
                    ..figure("reconcile", "pass 2 wall time", 1.25, "s")
                }],
            },
            BenchRun {
                bench: "maas".into(),
                fleet: Some(20_000),
                figures: vec![Figure {
                    fleet: Some(20_000),
                    ..figure("reconcile", "pass 2 wall time", 5.0, "s")
                }],
            },
        ];
        markdown(&provenance, &runs)
    }

    #[test]
    fn a_scenario_is_one_table_with_its_baseline_ratio_and_target() {
        let text = report(false);
        assert!(
            text.contains("Produced by `cargo xtask bench` on 2026-12-06 10:00 UTC at commit 0123456789ab.")
        );
        assert!(
            text.contains("\n## IAM (`iam`)\n\n### login storm\n\n| measure | figure |"),
            "{text}"
        );
        assert!(
            text.contains("| logins through HTTP | 25.0/s | raw argon2id verifications: 50.0/s | 0.50 | ≥ 0.8 | not met |  |\n"),
            "{text}"
        );
        // A fleet-sensitive scenario lists every fleet size, smallest first.
        assert!(
            text.contains(
                "| HTTP creates (1 node each) | 1,000 | 300/s | raw assign transaction (SQL): 400/s | 0.75 | ≥ 0.6, 0 double-bookings | met | 0 refused; 16 clients |\n\
                 | HTTP creates (1 node each) | 5,000 | 250/s |"
            ),
            "{text}"
        );
        assert!(!text.contains("Quick mode"));
        assert!(text.contains("\n## Not measured\n\n- metering ingest"));
    }

    #[test]
    fn fleet_growth_is_relative_to_the_smallest_fleet_and_per_node_for_times() {
        let text = report(false);
        assert!(
            text.contains(
                "### allocate through HTTP, 1 SKU (`allocation`)\n\n\
                 | measure | fleet | figure | × smallest | per node | ratio to baseline |\n\
                 |---|--:|--:|--:|--:|--:|\n\
                 | HTTP creates (1 node each) | 1,000 | 300/s | 1.00 |  | 0.75 |\n\
                 | HTTP creates (1 node each) | 5,000 | 250/s | 0.83 |  | 0.62 |\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "| pass 2 wall time | 5,000 | 1.25 s | 1.00 | 250 µs |  |\n\
                 | pass 2 wall time | 20,000 | 5.00 s | 4.00 | 250 µs |  |\n"
            ),
            "{text}"
        );
        // Measured at one size only: no growth table.
        assert!(!text.contains("### login storm (`iam`)"));
    }

    #[test]
    fn quick_mode_says_so_first() {
        let text = report(true);
        assert!(text.starts_with("# Benchmarks\n\n**Quick mode:"), "{text}");
    }

    #[test]
    fn numbers_read_easily() {
        assert_eq!(quantity(12_345.6, "/s"), "12,346/s");
        assert_eq!(quantity(4.567, "ms"), "4.57 ms");
        assert_eq!(quantity(42.0, "MiB"), "42.0 MiB");
        assert_eq!(thousands(20_000), "20,000");
        assert_eq!(thousands(999), "999");
    }
}
