//! Dashboard reads on this machine, on the same seeded data with Redis, with the in-process cache
//! and uncached: reads/s and p99, in-process through `ReadModelsApi` and through HTTP (token
//! authentication included), with cached reads as a ratio to `redis-benchmark` GET measured in
//! the same run (performance.md: ≥ 0.3, p99 < 5 ms). Also how fast the projections fold the
//! seeded history (what a rebuild costs).
//!
//! The seeding step writes, as the owning domains announce them, the events of 10,000 nodes
//! (4 sites × 8 SKUs), 1,000 tenants (KYC, top-ups, allocations, fundings) and 1,000,000 ledger
//! entries (500,000 usage postings of two entries each, each followed by its balance snapshot),
//! spread over 60 days. The read models see exactly what they would in production; the other
//! domains' tables are not filled (no dashboard reads them).
//!
//! `INGOT_BENCH_FLEET=N` seeds N nodes instead (tenants and ledger entries stay).
//!
//! `cargo bench -p ingotd --bench read_models` runs it for real; under `cargo test` it only
//! smoke-runs on a small seed.

// A benchmark reports; it does not assert. Failures to set up are fatal.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ingot_contracts::allocation::{
    AllocationRequested, AllocationState, AllocationStateChanged, NodeAssigned, NodeDeployRequested,
    NodeMeteringStarted,
};
use ingot_contracts::billing::{AccountSnapshot, BalanceChanged, FundingChanged, TransactionPosted};
use ingot_contracts::iam::{Actor, KycChanged, KycLevel, KycState, PlatformRole};
use ingot_contracts::inventory::{NodeRegistered, NodeState, NodeStateChanged};
use ingot_contracts::maas::NodeDeployed;
use ingot_contracts::read_models::ReadModelsApi;
use ingot_kernel::db::Db;
use ingot_kernel::event::{DomainEvent, EventEnvelope};
use ingot_kernel::id::{AllocationId, NodeId, ProjectId, SiteId, SkuId, TenantId, TransactionId, UserId};
use ingot_kernel::money::{Currency, Money};
use ingot_kernel::{Clock, SystemClock, Timestamp};
use ingotd::config::Config;
use ingotd::{Seams, app_build};
use support::{Figure, Run, count_for, percentile, record, report_write, serve_stoppable};

struct Scale {
    nodes: usize,
    tenants: usize,
    ledger_entries: usize,
}

/// A small deterministic generator (xorshift64*): the same seed, the same data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn usd(micros: i64) -> Money {
    Money::from_micros(micros, Currency::USD)
}

/// Appends events in transactions of a few thousand.
struct Writer<'a> {
    db: &'a Db,
    pending: Vec<EventEnvelope>,
    written: u64,
}

impl Writer<'_> {
    async fn push(&mut self, event: &impl DomainEvent, at: Timestamp) {
        self.pending.push(event.to_envelope(at));
        if self.pending.len() >= 5_000 {
            self.flush().await;
        }
    }

    async fn flush(&mut self) {
        let mut tx = self.db.begin().await.unwrap();
        for event in self.pending.drain(..) {
            ingot_kernel::outbox::append_in_tx(&mut tx, &event).await.unwrap();
            self.written += 1;
        }
        tx.commit().await.unwrap();
    }
}

struct Metered {
    tenant: usize,
    allocation: AllocationId,
    node: NodeId,
}

/// The seeding step: the history of a fleet, its tenants and their money, as events.
async fn seed(db: &Db, scale: &Scale, now: Timestamp) -> (Vec<TenantId>, u64) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let start = now.minus(Duration::from_secs(60 * 86_400));
    let mut w = Writer {
        db,
        pending: Vec::new(),
        written: 0,
    };
    let sites: Vec<SiteId> = (0..4).map(|_| SiteId::generate()).collect();
    let skus: Vec<SkuId> = (0..8).map(|_| SkuId::generate()).collect();
    let nodes: Vec<(NodeId, SiteId, SkuId)> = (0..scale.nodes)
        .map(|i| (NodeId::generate(), sites[i % sites.len()], skus[i % skus.len()]))
        .collect();
    for (i, (node, site, sku)) in nodes.iter().enumerate() {
        let registered = NodeRegistered {
            node_id: *node,
            site_id: *site,
            hostname: format!("n{i:05}"),
            state: NodeState::Onboarding,
            sku_id: Some(*sku),
        };
        w.push(&registered, start).await;
        let ready = NodeStateChanged {
            node_id: *node,
            site_id: *site,
            from: NodeState::Onboarding,
            to: NodeState::Available,
            reason: None,
        };
        w.push(&ready, start.plus(Duration::from_secs(3_600))).await;
    }
    let tenants: Vec<TenantId> = (0..scale.tenants).map(|_| TenantId::generate()).collect();
    let mut cash: Vec<i64> = vec![0; tenants.len()];
    let at = start.plus(Duration::from_secs(2 * 3_600));
    for (t, tenant) in tenants.iter().enumerate() {
        let kyc = KycChanged {
            tenant_id: *tenant,
            state: KycState::Verified,
            level: KycLevel::Full,
        };
        w.push(&kyc, at).await;
        cash[t] = 100_000_000_000;
        let top_up = TransactionPosted {
            transaction_id: TransactionId::generate(),
            tenant_id: *tenant,
            kind: "top_up".into(),
            reference: None,
            cash: usd(cash[t]),
            promo: usd(0),
            gross: None,
            at,
        };
        w.push(&top_up, at).await;
        let balance = BalanceChanged {
            tenant_id: *tenant,
            cash: AccountSnapshot {
                balance: usd(cash[t]),
                held: usd(0),
                version: 1,
            },
            promo: AccountSnapshot {
                balance: usd(0),
                held: usd(0),
                version: 0,
            },
            credit_limit: usd(0),
            at,
        };
        w.push(&balance, at).await;
    }
    // Six nodes in ten are in allocations of up to four, dealt round the tenants.
    let mut metered: Vec<Metered> = Vec::new();
    let assigned = scale.nodes * 6 / 10;
    let mut next = 0;
    let mut t = 0;
    while next < assigned {
        let tenant = tenants[t % tenants.len()];
        let take = (1 + rng.below(4)).min(assigned - next);
        let allocation = AllocationId::generate();
        let (_, site, sku) = nodes[next];
        let requested = AllocationRequested {
            allocation_id: allocation,
            tenant_id: tenant,
            project_id: ProjectId::generate(),
            sku_id: sku,
            site_id: site,
            node_count: u32::try_from(take).unwrap(),
            at,
            sku_name: format!("sku-{}", skus.iter().position(|s| *s == sku).unwrap()),
            site_name: format!("site-{}", sites.iter().position(|s| *s == site).unwrap()),
        };
        w.push(&requested, at).await;
        for (node, site, sku) in &nodes[next..next + take] {
            let assigned = NodeAssigned {
                allocation_id: allocation,
                tenant_id: tenant,
                node_id: *node,
            };
            w.push(&assigned, at).await;
            let deploy = NodeDeployRequested {
                allocation_id: allocation,
                tenant_id: tenant,
                node_id: *node,
                image: "jammy".into(),
                ssh_keys: vec![],
                user_data_sealed: None,
            };
            w.push(&deploy, at).await;
            let deployed_at = at.plus(Duration::from_secs(600));
            let deployed = NodeDeployed {
                allocation_id: allocation,
                tenant_id: tenant,
                node_id: *node,
                image: "jammy".into(),
                ip_addresses: vec!["10.0.0.1".into()],
                deploy_started_at: at,
                deployed_at,
            };
            w.push(&deployed, deployed_at).await;
            let started = NodeMeteringStarted {
                allocation_id: allocation,
                tenant_id: tenant,
                node_id: *node,
                sku_id: *sku,
                site_id: *site,
                at: deployed_at,
            };
            w.push(&started, deployed_at).await;
            metered.push(Metered {
                tenant: t % tenants.len(),
                allocation,
                node: *node,
            });
        }
        let active_at = at.plus(Duration::from_secs(600));
        let active = AllocationStateChanged {
            allocation_id: allocation,
            tenant_id: tenant,
            state: AllocationState::Active,
            reason: "every node deployed".into(),
            at: active_at,
        };
        w.push(&active, active_at).await;
        let funding = FundingChanged {
            allocation_id: allocation,
            tenant_id: tenant,
            rate_per_hour: usd(2_000_000 * i64::try_from(take).unwrap()),
            nodes: u32::try_from(take).unwrap(),
            deadline: Some(now.plus(Duration::from_secs(86_400 * (1 + rng.below(30) as u64)))),
            open: true,
            at: active_at,
        };
        w.push(&funding, active_at).await;
        next += take;
        t += 1;
    }
    // The ledger: usage postings (two entries each: the tenant's cash, the platform's revenue),
    // each followed by the balance snapshot Billing announces with it, in time order.
    let postings = scale.ledger_entries / 2;
    let from = at.plus(Duration::from_secs(3_600)).as_micros();
    let span = now.as_micros() - from;
    for p in 0..postings {
        let m = &metered[rng.below(metered.len())];
        let when = Timestamp::from_micros(from + span / postings as i64 * p as i64);
        let amount = 100_000 + i64::try_from(rng.below(2_000_000)).unwrap();
        cash[m.tenant] -= amount;
        let tenant = tenants[m.tenant];
        let usage = TransactionPosted {
            transaction_id: TransactionId::generate(),
            tenant_id: tenant,
            kind: "usage".into(),
            reference: Some(format!("{}/{}", m.allocation, m.node)),
            cash: usd(-amount),
            promo: usd(0),
            gross: None,
            at: when,
        };
        w.push(&usage, when).await;
        let balance = BalanceChanged {
            tenant_id: tenant,
            cash: AccountSnapshot {
                balance: usd(cash[m.tenant]),
                held: usd(1_000_000_000),
                version: u64::try_from(p).unwrap() + 2,
            },
            promo: AccountSnapshot {
                balance: usd(0),
                held: usd(0),
                version: 0,
            },
            credit_limit: usd(0),
            at: when,
        };
        w.push(&balance, when).await;
    }
    w.flush().await;
    // The owning domains' own followers consumed this history as it happened (their tables
    // are what it left behind, which no dashboard reads): their cursors stand at its end, so
    // they do not replay a million synthetic events into tables that never held them.
    let last: i64 = sqlx::query_scalar("SELECT MAX(seq) FROM kernel_outbox")
        .fetch_one(db.reader())
        .await
        .unwrap();
    let mut tx = db.begin().await.unwrap();
    for consumer in [
        "allocation.lifecycle",
        "billing.usage",
        "inventory-catalog.assignments",
        "maas.provisioning_requests",
    ] {
        sqlx::query(
            "INSERT INTO kernel_outbox_cursors (consumer, txid, seq, updated_at_us) VALUES ($1, 0, $2, 0) \
             ON CONFLICT (consumer) DO UPDATE SET txid = 0, seq = $2",
        )
        .bind(consumer)
        .bind(last)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    (tenants, w.written)
}

/// `redis-benchmark` GET on this machine (50 clients), when it and Redis are there.
fn redis_benchmark_get(url: &str) -> Option<f64> {
    let port = url
        .rsplit(':')
        .next()?
        .trim_end_matches('/')
        .parse::<u16>()
        .ok()?;
    let output = std::process::Command::new("redis-benchmark")
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            &port.to_string(),
            "-t",
            "get",
            "-n",
            "200000",
            "-c",
            "50",
            "-q",
        ])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    // "GET: 56179.78 requests per second, p50=…", after progress lines ending in a carriage return.
    text.rsplit("GET:")
        .next()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

struct Measured {
    rps: f64,
    p50: Duration,
    p99: Duration,
}

/// Runs `work` (one read) from the run's clients; reads/s and latency percentiles.
async fn measure<F, Fut>(run: &Run, work: F) -> Measured
where
    F: Fn(u64) -> Fut + Send + Sync + Clone + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let counter = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let rps = {
        let latencies = latencies.clone();
        count_for(run, run.clients, None, move || {
            let (work, latencies, counter) = (work.clone(), latencies.clone(), counter.clone());
            async move {
                let n = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let started = Instant::now();
                let ok = work(n).await;
                latencies.lock().unwrap().push(started.elapsed());
                ok
            }
        })
        .await
    };
    let mut sorted = std::mem::take(&mut *latencies.lock().unwrap());
    sorted.sort_unstable();
    Measured {
        rps,
        p50: percentile(&sorted, 0.5),
        p99: percentile(&sorted, 0.99),
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1_000.0
}

#[tokio::main]
async fn main() {
    let run = Run::from_args();
    let real = run.seconds > 1.0;
    let scale = if real {
        Scale {
            nodes: support::fleet(10_000),
            tenants: 1_000,
            ledger_entries: 1_000_000,
        }
    } else {
        Scale {
            nodes: support::fleet(40),
            tenants: 10,
            ledger_entries: 400,
        }
    };
    let redis_url = std::env::var("INGOT_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let data_dir = std::env::temp_dir().join(format!("ingot-bench-rm-{}", ingot_kernel::id::new_ulid()));
    let config = |redis: Option<String>, cache: bool| {
        let mut config = Config {
            data_dir: data_dir.clone(),
            maas_simulated: Some(false),
            demo_catalog: Some(false),
            redis_url: redis,
            read_models_cache: cache,
            read_models_cache_ttl: Duration::from_secs(120),
            ..Config::default()
        };
        config.http.rate_limit_per_s = 0;
        config.log_level = "error".into();
        config
    };

    // Seed, then fold the history into every projection (what a rebuild costs).
    let app = app_build(config(None, true), Seams::default()).await.unwrap();
    let started = Instant::now();
    let (tenants, events) = seed(&app.db, &scale, SystemClock.now()).await;
    let seeded = started.elapsed();
    println!(
        "seeded {events} events ({} nodes, {} tenants, {} ledger entries) in {:.1} s",
        scale.nodes,
        scale.tenants,
        scale.ledger_entries,
        seeded.as_secs_f64()
    );
    let started = Instant::now();
    loop {
        let report = app.read_models.follow_pass().await.unwrap();
        if !report.behind && report.events_applied == 0 {
            break;
        }
    }
    let folded = started.elapsed();
    println!(
        "projections built: 4 projections × {events} events in {:.1} s = {:.0} events/s per projection",
        folded.as_secs_f64(),
        events as f64 / folded.as_secs_f64()
    );
    let seeded_notes = format!(
        "{events} events: {} nodes, {} tenants, {} ledger entries",
        scale.nodes, scale.tenants, scale.ledger_entries
    );
    record(
        Figure::new(
            "folding the history into every projection (a rebuild)",
            "4 projections",
            folded.as_secs_f64(),
            "s",
        )
        .fleet(scale.nodes)
        .note(format!(
            "{:.0} events/s per projection",
            events as f64 / folded.as_secs_f64()
        ))
        .note(seeded_notes.clone()),
    );
    let load = format!("{} clients, {} s; {seeded_notes}", run.clients, run.seconds);
    drop(app);

    let admin = Actor {
        user_id: Some(UserId::generate()),
        platform_roles: [PlatformRole::PlatformAdmin].into_iter().collect(),
        ..Actor::anonymous()
    };
    let redis_ceiling = redis_benchmark_get(&redis_url);
    match redis_ceiling {
        Some(rps) => println!("redis-benchmark GET (50 clients): {rps:.0} req/s"),
        None => println!("redis-benchmark GET: not available (Redis mode skipped)"),
    }
    let tenants = Arc::new(tenants);
    let mut modes = vec![("in-process cache", None, true), ("uncached", None, false)];
    if redis_ceiling.is_some() {
        modes.insert(0, ("redis", Some(redis_url.clone()), true));
    }
    let mut first_mode = true;
    for (label, redis, cache) in modes {
        let app = app_build(config(redis, cache), Seams::default()).await.unwrap();
        let token = app.iam.bootstrap_admin("bench-admin@example.com").await.unwrap();
        let read_models = app.read_models.clone();
        let (base, server) = serve_stoppable(app).await;
        let http = ingot_kernel::outbound::client_builder()
            .pool_max_idle_per_host(64)
            .build()
            .unwrap();

        let service = {
            let (read_models, admin, tenants) = (read_models.clone(), admin.clone(), tenants.clone());
            measure(&run, move |n| {
                let (read_models, admin, tenants) = (read_models.clone(), admin.clone(), tenants.clone());
                async move {
                    let tenant = tenants[(n as usize * 7_919) % tenants.len()];
                    read_models.tenant_overview(&admin, tenant).await.is_ok()
                }
            })
            .await
        };
        let overview = {
            let (http, base, token, tenants) = (http.clone(), base.clone(), token.clone(), tenants.clone());
            measure(&run, move |n| {
                let (http, base, token, tenants) =
                    (http.clone(), base.clone(), token.clone(), tenants.clone());
                async move {
                    let tenant = tenants[(n as usize * 7_919) % tenants.len()];
                    http.get(format!("{base}/v1/tenants/{tenant}/overview"))
                        .bearer_auth(&token)
                        .send()
                        .await
                        .is_ok_and(|r| r.status().is_success())
                }
            })
            .await
        };
        let ops = {
            let (http, base, token) = (http.clone(), base.clone(), token.clone());
            measure(&run, move |n| {
                let (http, base, token) = (http.clone(), base.clone(), token.clone());
                async move {
                    let path = ["capacity", "health", "revenue?days=30"][n as usize % 3];
                    http.get(format!("{base}/v1/admin/dashboards/{path}"))
                        .bearer_auth(&token)
                        .send()
                        .await
                        .is_ok_and(|r| r.status().is_success())
                }
            })
            .await
        };
        if first_mode {
            // What any token-authenticated read costs on this server (`GET /v1/me`): the floor
            // under every dashboard answer through HTTP.
            first_mode = false;
            let me = {
                let (http, base, token) = (http.clone(), base.clone(), token.clone());
                measure(&run, move |_| {
                    let (http, base, token) = (http.clone(), base.clone(), token.clone());
                    async move {
                        http.get(format!("{base}/v1/me"))
                            .bearer_auth(&token)
                            .send()
                            .await
                            .is_ok_and(|r| r.status().is_success())
                    }
                })
                .await
            };
            println!(
                "token-authenticated GET /v1/me: {:.0}/s (p50 {:.2} ms, p99 {:.2} ms)",
                me.rps,
                ms(me.p50),
                ms(me.p99)
            );
            record(
                Figure::new(
                    "dashboard reads",
                    "token GET /v1/me (the floor under HTTP reads)",
                    me.rps,
                    "/s",
                )
                .fleet(scale.nodes)
                .note(format!("p50 {:.2} ms, p99 {:.2} ms", ms(me.p50), ms(me.p99)))
                .note(format!("{label} server; {load}")),
            );
        }
        let ratio =
            |m: &Measured| redis_ceiling.map_or_else(|| "-".to_string(), |r| format!("{:.2}", m.rps / r));
        println!(
            "{label:>16}: overview in-process {:.0} reads/s (p50 {:.2} ms, p99 {:.2} ms, ÷ redis GET {}); \
             overview HTTP {:.0}/s (p50 {:.2} ms, p99 {:.2} ms, ÷ redis GET {}); ops dashboards HTTP {:.0}/s (p99 {:.2} ms)",
            service.rps,
            ms(service.p50),
            ms(service.p99),
            ratio(&service),
            overview.rps,
            ms(overview.p50),
            ms(overview.p99),
            ratio(&overview),
            ops.rps,
            ms(ops.p99),
        );
        for (measure, measured, target) in [
            ("tenant overview in-process", &service, cache),
            ("tenant overview through HTTP", &overview, cache),
            ("ops dashboards through HTTP", &ops, false),
        ] {
            let mut figure = Figure::new(&format!("dashboard reads, {label}"), measure, measured.rps, "/s")
                .fleet(scale.nodes)
                .note(format!(
                    "p50 {:.2} ms, p99 {:.2} ms",
                    ms(measured.p50),
                    ms(measured.p99)
                ))
                .note(load.clone());
            if let Some(ceiling) = redis_ceiling {
                figure = figure.baseline("redis-benchmark GET, 50 clients", ceiling);
                if target {
                    let met = measured.rps / ceiling >= 0.3 && ms(measured.p99) < 5.0;
                    figure = figure.target("≥ 0.3; p99 < 5 ms", met);
                }
            } else {
                figure = figure.note("redis-benchmark not available: no baseline");
            }
            record(figure);
        }
        // One server at a time on the data: the next mode's starts once this one has stopped.
        server.stop().await;
    }
    let _ = std::fs::remove_dir_all(&data_dir);
    report_write();
}
