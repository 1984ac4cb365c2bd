//! The simulated region: machines, their asynchronous transitions, events, and the faults a
//! test can inject. Every operation takes `now`; transitions that are due are applied lazily
//! before each request, so a manual clock drives the simulation deterministically.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use ingot_kernel::Timestamp;

use crate::fleet::{self, Machine, Rng};
use crate::status::Status;

/// How long the asynchronous work takes, in simulated time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timings {
    pub commissioning: Duration,
    pub deploying: Duration,
    pub releasing: Duration,
    pub quick_erase: Duration,
    pub erase: Duration,
    pub secure_erase: Duration,
    /// Aborts and power changes land after this.
    pub power: Duration,
}

impl Timings {
    /// Real hardware's order of magnitude (MAAS fails these after 30 minutes).
    pub fn realistic() -> Timings {
        Timings {
            commissioning: Duration::from_secs(8 * 60),
            deploying: Duration::from_secs(12 * 60),
            releasing: Duration::from_secs(60),
            quick_erase: Duration::from_secs(2 * 60),
            erase: Duration::from_secs(20 * 60),
            secure_erase: Duration::from_secs(10 * 60),
            power: Duration::from_secs(5),
        }
    }

    /// Seconds instead of minutes, for a demo that must show machines within a minute.
    pub fn brisk() -> Timings {
        Timings {
            commissioning: Duration::from_secs(8),
            deploying: Duration::from_secs(15),
            releasing: Duration::from_secs(3),
            quick_erase: Duration::from_secs(4),
            erase: Duration::from_secs(12),
            secure_erase: Duration::from_secs(8),
            power: Duration::from_secs(1),
        }
    }
}

/// Faults a test or an operator demo injects.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Faults {
    /// Share of deployments that end in FAILED_DEPLOYMENT.
    pub deploy_failure_rate: f64,
    /// Share of commissionings that end in FAILED_COMMISSIONING.
    pub commission_failure_rate: f64,
    /// Machines whose commissioning fails, whatever the rate.
    pub commission_fails: Vec<String>,
    /// Machines whose deployments fail, whatever the rate.
    pub deploy_fails: Vec<String>,
    /// Share of power actions whose BMC does not answer (503, and a deploy falls back to
    /// ALLOCATED).
    pub power_failure_rate: f64,
    /// Added to every request.
    pub latency: Duration,
    /// The next this-many requests answer 503 with `Retry-After`.
    pub unavailable_next: u32,
    /// The `Retry-After` of those 503s, in seconds.
    pub retry_after_s: u32,
    /// Machines whose BMC reports `unknown`.
    pub power_unknown: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Audit = 0,
    Debug = 10,
    Info = 20,
    Warning = 30,
    Error = 40,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Audit => "AUDIT",
            Level::Debug => "DEBUG",
            Level::Info => "INFO",
            Level::Warning => "WARNING",
            Level::Error => "ERROR",
        }
    }

    pub fn parse(name: &str) -> Option<Level> {
        match name {
            "AUDIT" => Some(Level::Audit),
            "DEBUG" => Some(Level::Debug),
            "INFO" => Some(Level::Info),
            "WARNING" => Some(Level::Warning),
            "ERROR" | "CRITICAL" => Some(Level::Error),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Event {
    pub id: u64,
    pub system_id: String,
    pub hostname: String,
    pub username: String,
    pub level: Level,
    pub at: Timestamp,
    pub kind: &'static str,
    pub description: String,
}

/// One step of asynchronous work: at `at`, the machine becomes `to` and these events happen.
#[derive(Debug, Clone)]
struct Step {
    at: Timestamp,
    to: Status,
    events: Vec<(Level, &'static str)>,
}

/// An API refusal: the status and the plain-text (or JSON) body MAAS would send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// 400 with a text body.
    BadRequest(String),
    /// 400 with `{"field": ["message"]}`.
    Form(String, String),
    Forbidden(String),
    NotFound(String),
    /// 409 without Retry-After.
    Conflict(String),
    /// 503 (power problems), optionally with Retry-After.
    Unavailable(String, Option<u32>),
}

pub type Outcome<T> = Result<T, Refusal>;

fn no_machine() -> Refusal {
    Refusal::NotFound("No Machine matches the given query.".into())
}

/// The series images exist for, by their accepted spellings.
pub const SERIES: &[(&str, &str)] = &[("jammy", "22.04"), ("noble", "24.04")];

pub struct State {
    pub machines: BTreeMap<String, Machine>,
    steps: HashMap<String, Vec<Step>>,
    pub events: Vec<Event>,
    next_event: u64,
    next_machine: u64,
    nonces: HashMap<String, i64>,
    pub rng: Rng,
    pub faults: Faults,
    pub timings: Timings,
    pub tags: BTreeMap<String, String>,
    pub zones: Vec<(u64, String, String)>,
    pub pools: Vec<(u64, String, String)>,
    /// Requests served (the reconciliation benchmark reports it).
    pub requests: u64,
}

impl State {
    pub fn new(seed: u64, timings: Timings) -> State {
        State {
            machines: BTreeMap::new(),
            steps: HashMap::new(),
            events: Vec::new(),
            next_event: 1,
            next_machine: 1,
            nonces: HashMap::new(),
            rng: Rng::new(seed),
            faults: Faults {
                retry_after_s: 1,
                ..Faults::default()
            },
            timings,
            tags: BTreeMap::new(),
            zones: vec![(1, "default".into(), "Default zone".into())],
            pools: vec![(0, "default".into(), "Default pool".into())],
            requests: 0,
        }
    }

    /// Adds `count` seeded machines in `status` (READY or NEW).
    pub fn seed_machines(&mut self, count: usize, status: Status) -> Vec<String> {
        let mut added = Vec::with_capacity(count);
        for _ in 0..count {
            let id = self.next_machine;
            self.next_machine += 1;
            let index = usize::try_from(id - 1).unwrap_or(0);
            let mut machine = fleet::machine(&mut self.rng, id, index, status);
            while self.machines.contains_key(&machine.system_id) {
                machine.system_id = fleet::system_id(&mut self.rng);
            }
            for tag in &machine.tags {
                self.tags.entry(tag.clone()).or_default();
            }
            added.push(machine.system_id.clone());
            self.machines.insert(machine.system_id.clone(), machine);
        }
        added
    }

    /// Records a nonce; `false` when it was used within the last 300 s.
    pub fn nonce_fresh(&mut self, key: String, unix_now: i64) -> bool {
        if self.nonces.len() > 100_000 {
            self.nonces.retain(|_, at| unix_now - *at <= 300);
        }
        match self.nonces.get(&key) {
            Some(at) if unix_now - *at <= 300 => false,
            _ => {
                self.nonces.insert(key, unix_now);
                true
            }
        }
    }

    fn event(
        &mut self,
        system_id: &str,
        username: &str,
        level: Level,
        kind: &'static str,
        description: String,
        at: Timestamp,
    ) {
        let hostname = self
            .machines
            .get(system_id)
            .map(|m| m.hostname.clone())
            .unwrap_or_default();
        self.events.push(Event {
            id: self.next_event,
            system_id: system_id.into(),
            hostname,
            username: username.into(),
            level,
            at,
            kind,
            description,
        });
        self.next_event += 1;
    }

    fn user_event(
        &mut self,
        system_id: &str,
        user: &str,
        kind: &'static str,
        comment: Option<&str>,
        at: Timestamp,
    ) {
        let description = match comment.filter(|c| !c.is_empty()) {
            Some(comment) => format!("({user}) - {comment}"),
            None => format!("({user})"),
        };
        self.event(system_id, user, Level::Debug, kind, description, at);
    }

    /// The newest INFO-or-higher event of a machine: its `status_message`.
    pub fn status_message(&self, system_id: &str) -> Option<String> {
        self.events
            .iter()
            .rev()
            .find(|e| e.system_id == system_id && e.level >= Level::Info)
            .map(|e| {
                if e.description.is_empty() {
                    e.kind.to_string()
                } else {
                    format!("{} - {}", e.kind, e.description)
                }
            })
    }

    fn schedule(&mut self, system_id: &str, steps: Vec<Step>) {
        self.steps.insert(system_id.into(), steps);
    }

    pub fn busy(&self, system_id: &str) -> bool {
        self.steps.get(system_id).is_some_and(|s| !s.is_empty())
    }

    /// Applies every asynchronous step that is due by `now`, oldest first.
    pub fn advance(&mut self, now: Timestamp) {
        let due: Vec<String> = self
            .steps
            .iter()
            .filter(|(_, steps)| steps.first().is_some_and(|s| s.at <= now))
            .map(|(sid, _)| sid.clone())
            .collect();
        for system_id in due {
            while let Some(steps) = self.steps.get_mut(&system_id) {
                if steps.first().is_none_or(|s| s.at > now) {
                    if steps.is_empty() {
                        self.steps.remove(&system_id);
                    }
                    break;
                }
                let step = steps.remove(0);
                self.land(&system_id, step);
            }
        }
    }

    fn land(&mut self, system_id: &str, step: Step) {
        let Some(machine) = self.machines.get_mut(system_id) else {
            return;
        };
        // Every move the simulator makes is one MAAS's transition table allows.
        debug_assert!(
            machine.status.may_become(step.to),
            "{:?} -> {:?}",
            machine.status,
            step.to
        );
        machine.status = step.to;
        match step.to {
            Status::Ready | Status::New => {
                if machine.owner.is_some() || !machine.osystem.is_empty() {
                    machine.owner = None;
                    machine.agent_name.clear();
                    machine.osystem.clear();
                    machine.distro_series.clear();
                    machine.hwe_kernel = None;
                    machine.user_data = None;
                    machine.owner_data.clear();
                    machine.locked = false;
                }
                machine.deployed_ip = false;
                machine.power_state = "off";
                machine.commissioned = true;
            }
            Status::Deployed => {
                machine.deployed_ip = true;
                machine.power_state = "on";
            }
            Status::FailedDeployment => machine.power_state = "on",
            Status::Allocated => machine.power_state = "off",
            _ => {}
        }
        for (level, kind) in step.events {
            self.event(system_id, "", level, kind, String::new(), step.at);
        }
    }

    fn machine_mut(&mut self, system_id: &str) -> Outcome<&mut Machine> {
        self.machines.get_mut(system_id).ok_or_else(no_machine)
    }

    pub fn machine(&self, system_id: &str) -> Outcome<&Machine> {
        self.machines.get(system_id).ok_or_else(no_machine)
    }

    fn bmc_fails(&mut self) -> bool {
        let rate = self.faults.power_failure_rate;
        rate > 0.0 && self.rng.chance(rate)
    }

    /// `POST machines/?op=allocate`: the cheapest READY machine matching `constraints`.
    pub fn allocate(&mut self, user: &str, constraints: &Constraints, now: Timestamp) -> Outcome<String> {
        for tag in &constraints.tags {
            if !self.tags.contains_key(tag) {
                return Err(Refusal::Form("tags".into(), format!("No such tag(s): '{tag}'.")));
            }
        }
        for zone in &constraints.zones {
            if !self.zones.iter().any(|(_, name, _)| name == zone) {
                return Err(Refusal::BadRequest(format!("No such zone(s): {zone}.")));
            }
        }
        for pool in &constraints.pools {
            if !self.pools.iter().any(|(_, name, _)| name == pool) {
                return Err(Refusal::BadRequest(format!("No such pool(s): {pool}.")));
            }
        }
        let mut candidates: Vec<&Machine> = self
            .machines
            .values()
            .filter(|m| m.status == Status::Ready && !m.locked && constraints.admit(m))
            .collect();
        candidates.sort_by_key(|m| {
            (
                u64::from(m.hardware.cpu_count) + m.hardware.memory_mib / 1_024,
                m.id,
            )
        });
        let Some(chosen) = candidates.first().map(|m| m.system_id.clone()) else {
            return Err(Refusal::Conflict(constraints.no_match_message()));
        };
        if constraints.dry_run {
            return Ok(chosen);
        }
        let machine = self.machine_mut(&chosen)?;
        machine.status = Status::Allocated;
        machine.owner = Some(user.into());
        machine.agent_name = constraints.agent_name.clone();
        self.user_event(
            &chosen,
            user,
            "User acquiring node",
            constraints.comment.as_deref(),
            now,
        );
        Ok(chosen)
    }

    /// `POST machines/{sid}/?op=deploy`.
    pub fn deploy(
        &mut self,
        system_id: &str,
        user: &str,
        options: &DeployOptions,
        now: Timestamp,
    ) -> Outcome<()> {
        let series = match &options.distro_series {
            None => "jammy".to_string(),
            Some(given) => {
                let bare = given.strip_prefix("ubuntu/").unwrap_or(given);
                SERIES
                    .iter()
                    .find(|(name, version)| bare == *name || bare == *version)
                    .map(|(name, _)| (*name).to_string())
                    .ok_or_else(|| {
                        let known: Vec<String> = SERIES.iter().map(|(n, _)| format!("ubuntu/{n}")).collect();
                        Refusal::Form(
                            "distro_series".into(),
                            format!(
                                "'{given}' is not a valid distro_series.  It should be one of: '', {}.",
                                known.join(", ")
                            ),
                        )
                    })?
            }
        };
        let machine = self.machine_mut(system_id)?;
        if machine.locked {
            return Err(Refusal::Forbidden(String::new()));
        }
        if machine.owner.as_deref().is_some_and(|owner| owner != user) {
            return Err(Refusal::Conflict(
                "Can't allocate a machine belonging to another user.".into(),
            ));
        }
        if machine.status == Status::Ready {
            machine.status = Status::Allocated;
            machine.owner = Some(user.into());
        }
        if machine.status != Status::Allocated {
            return Err(Refusal::Conflict(format!(
                "Can't deploy a machine that is in the '{}' state",
                machine.status.label()
            )));
        }
        machine.status = Status::Deploying;
        machine.osystem = "ubuntu".into();
        machine.distro_series = series;
        machine.hwe_kernel = options.hwe_kernel.clone().or(Some("ga-22.04".into()));
        machine.user_data = options.user_data.clone();
        if let Some(agent) = &options.agent_name {
            machine.agent_name = agent.clone();
        }
        self.user_event(
            system_id,
            user,
            "User starting deployment",
            options.comment.as_deref(),
            now,
        );
        self.event(system_id, "", Level::Info, "Deploying", String::new(), now);
        let power = now.plus(self.timings.power);
        if self.bmc_fails() {
            // The power-on after commit failed: MAAS reverts to ALLOCATED.
            self.schedule(
                system_id,
                vec![Step {
                    at: power,
                    to: Status::Allocated,
                    events: vec![(Level::Warning, "Failed to query node's BMC")],
                }],
            );
            return Ok(());
        }
        let rate = self.faults.deploy_failure_rate;
        let fails =
            self.faults.deploy_fails.iter().any(|s| s == system_id) || (rate > 0.0 && self.rng.chance(rate));
        let done = now.plus(self.timings.deploying);
        let midway = now.plus(self.timings.deploying / 2);
        let last = if fails {
            Step {
                at: done,
                to: Status::FailedDeployment,
                events: vec![(Level::Error, "Node installation failure")],
            }
        } else {
            Step {
                at: done,
                to: Status::Deployed,
                events: vec![(Level::Info, "Deployed")],
            }
        };
        self.schedule(
            system_id,
            vec![
                Step {
                    at: power,
                    to: Status::Deploying,
                    events: vec![
                        (Level::Debug, "Node powered on"),
                        (Level::Info, "Performing PXE boot"),
                    ],
                },
                Step {
                    at: midway,
                    to: Status::Deploying,
                    events: vec![(Level::Info, "Installing OS")],
                },
                last,
            ],
        );
        Ok(())
    }

    /// `POST machines/{sid}/?op=release`. Returns nothing; the machine shows the new status.
    pub fn release(
        &mut self,
        system_id: &str,
        user: &str,
        erase: Erase,
        comment: Option<&str>,
        now: Timestamp,
    ) -> Outcome<()> {
        let timings = self.timings;
        let machine = self.machine_mut(system_id)?;
        if machine.locked {
            return Err(Refusal::Forbidden(String::new()));
        }
        use Status::*;
        match machine.status {
            Ready | Releasing => return Ok(()),
            Allocated | Reserved | Broken | Deploying | Deployed | FailedDeployment | FailedDiskErasing
            | FailedReleasing => {}
            other => {
                return Err(Refusal::Conflict(format!(
                    "Machine cannot be released in its current state ('{}').",
                    other.label()
                )));
            }
        }
        let powered = machine.power_state == "on";
        let to_ready = |at: Timestamp, events: Vec<(Level, &'static str)>| Step {
            at,
            to: Ready,
            events,
        };
        self.user_event(system_id, user, "User releasing node", comment, now);
        self.steps.remove(system_id);
        let (now_status, steps) = match erase {
            Erase::None if !powered => (Ready, Vec::new()),
            Erase::None => (
                Releasing,
                vec![to_ready(
                    now.plus(timings.releasing),
                    vec![(Level::Info, "Released")],
                )],
            ),
            erase => {
                let took = match erase {
                    Erase::Quick => timings.quick_erase,
                    Erase::Secure => timings.secure_erase,
                    _ => timings.erase,
                };
                self.user_event(system_id, user, "User erasing disk", comment, now);
                (
                    DiskErasing,
                    vec![to_ready(
                        now.plus(took),
                        vec![(Level::Info, "Disks erased"), (Level::Info, "Released")],
                    )],
                )
            }
        };
        if now_status == Ready {
            self.land(
                system_id,
                Step {
                    at: now,
                    to: Ready,
                    events: vec![(Level::Info, "Released")],
                },
            );
        } else {
            let label = if now_status == Releasing {
                "Releasing"
            } else {
                "Disk erasing"
            };
            if let Some(machine) = self.machines.get_mut(system_id) {
                machine.status = now_status;
            }
            self.event(system_id, "", Level::Info, label, String::new(), now);
            self.schedule(system_id, steps);
        }
        Ok(())
    }

    /// `POST machines/{sid}/?op=commission`.
    pub fn commission(&mut self, system_id: &str, user: &str, now: Timestamp) -> Outcome<()> {
        let took = self.timings.commissioning;
        let rate = self.faults.commission_failure_rate;
        let fails = self.faults.commission_fails.iter().any(|s| s == system_id)
            || (rate > 0.0 && self.rng.chance(rate));
        let machine = self.machine_mut(system_id)?;
        use Status::*;
        if !matches!(machine.status, New | Ready | FailedCommissioning | Broken) {
            return Err(Refusal::Form(
                "__all__".into(),
                "Commission is not available because of the current state of the node.".into(),
            ));
        }
        machine.status = Commissioning;
        machine.power_state = "on";
        self.user_event(system_id, user, "User starting node commissioning", None, now);
        self.event(system_id, "", Level::Info, "Commissioning", String::new(), now);
        self.schedule(
            system_id,
            vec![
                Step {
                    at: now.plus(took / 2),
                    to: Commissioning,
                    events: vec![(Level::Info, "Gathering information")],
                },
                if fails {
                    Step {
                        at: now.plus(took),
                        to: FailedCommissioning,
                        events: vec![(Level::Error, "Commissioning failed: 00-maas-01-cpuinfo timed out")],
                    }
                } else {
                    Step {
                        at: now.plus(took),
                        to: Ready,
                        events: vec![(Level::Info, "Ready")],
                    }
                },
            ],
        );
        Ok(())
    }

    /// `POST machines/{sid}/?op=abort`: the new status lands once the power-off completes.
    pub fn abort(
        &mut self,
        system_id: &str,
        user: &str,
        comment: Option<&str>,
        now: Timestamp,
    ) -> Outcome<()> {
        let at = now.plus(self.timings.power);
        let machine = self.machine(system_id)?;
        use Status::*;
        let to = match machine.status {
            Deploying => Allocated,
            Commissioning => New,
            DiskErasing => FailedDiskErasing,
            other => {
                return Err(Refusal::Conflict(format!(
                    "Cannot abort in current state: node {system_id} is in state {}.",
                    other.label()
                )));
            }
        };
        self.user_event(system_id, user, "User aborting deployment", comment, now);
        self.schedule(
            system_id,
            vec![Step {
                at,
                to,
                events: vec![(Level::Debug, "Node powered off")],
            }],
        );
        Ok(())
    }

    pub fn mark_broken(
        &mut self,
        system_id: &str,
        user: &str,
        comment: Option<&str>,
        now: Timestamp,
    ) -> Outcome<()> {
        let machine = self.machine_mut(system_id)?;
        if machine.owner.as_deref().is_some_and(|owner| owner != user) {
            return Err(Refusal::Forbidden(String::new()));
        }
        machine.previous_status = machine.status;
        machine.status = Status::Broken;
        machine.error_description = comment.unwrap_or_default().to_string();
        self.steps.remove(system_id);
        self.user_event(system_id, user, "User marking node broken", comment, now);
        Ok(())
    }

    pub fn mark_fixed(
        &mut self,
        system_id: &str,
        user: &str,
        comment: Option<&str>,
        now: Timestamp,
    ) -> Outcome<()> {
        let machine = self.machine_mut(system_id)?;
        if machine.status != Status::Broken {
            return Err(Refusal::Conflict(
                "Can't mark a non-broken node as 'Ready'.".into(),
            ));
        }
        machine.status = if machine.previous_status == Status::Deployed {
            Status::Deployed
        } else {
            Status::Ready
        };
        machine.error_description.clear();
        if machine.status == Status::Ready {
            machine.owner = None;
        }
        self.user_event(system_id, user, "User marking node fixed", comment, now);
        Ok(())
    }

    pub fn power(&mut self, system_id: &str, user: &str, on: bool, now: Timestamp) -> Outcome<()> {
        let machine = self.machine(system_id)?;
        if on && machine.owner.is_none() {
            return Err(Refusal::Conflict(
                "Can't start node: it hasn't been allocated.".into(),
            ));
        }
        if on && machine.status == Status::Allocated {
            return self.deploy(system_id, user, &DeployOptions::default(), now);
        }
        if self.bmc_fails() {
            let kind = if on {
                "Failed to power on node"
            } else {
                "Failed to power off node"
            };
            self.event(system_id, "", Level::Error, kind, String::new(), now);
            return Err(Refusal::Unavailable(format!("{kind}: BMC did not answer"), None));
        }
        let kind = if on {
            "User powering up node"
        } else {
            "User powering down node"
        };
        self.user_event(system_id, user, kind, None, now);
        let machine = self.machine_mut(system_id)?;
        machine.power_state = if on { "on" } else { "off" };
        Ok(())
    }

    pub fn power_query(&mut self, system_id: &str) -> Outcome<&'static str> {
        let unknown = self.faults.power_unknown.iter().any(|s| s == system_id);
        let fails = self.bmc_fails();
        let machine = self.machine(system_id)?;
        if fails {
            return Err(Refusal::Unavailable("Failed to query node's BMC".into(), None));
        }
        Ok(if unknown { "unknown" } else { machine.power_state })
    }

    pub fn lock(
        &mut self,
        system_id: &str,
        user: &str,
        lock: bool,
        comment: Option<&str>,
        now: Timestamp,
    ) -> Outcome<()> {
        let machine = self.machine_mut(system_id)?;
        if lock {
            if machine.locked {
                return Err(Refusal::Conflict("Machine is already locked".into()));
            }
            if !matches!(machine.status, Status::Deployed | Status::Deploying) {
                return Err(Refusal::Conflict(
                    "Can't lock, node is not deployed or deploying".into(),
                ));
            }
        } else if !machine.locked {
            return Err(Refusal::Conflict("Machine is not locked".into()));
        }
        machine.locked = lock;
        let kind = if lock {
            "User locking node"
        } else {
            "User unlocking node"
        };
        self.user_event(system_id, user, kind, comment, now);
        Ok(())
    }

    pub fn annotate(&mut self, system_id: &str, user: &str, pairs: &[(String, String)]) -> Outcome<()> {
        let machine = self.machine_mut(system_id)?;
        if !machine.status.owned() || machine.owner.is_none() {
            return Err(Refusal::Conflict(
                "Cannot set workload annotation: it hasn't been acquired.".into(),
            ));
        }
        if machine.owner.as_deref() != Some(user) {
            return Err(Refusal::Forbidden(String::new()));
        }
        for (key, value) in pairs {
            if value.is_empty() {
                machine.owner_data.remove(key);
            } else {
                machine.owner_data.insert(key.clone(), value.clone());
            }
        }
        Ok(())
    }

    pub fn delete(&mut self, system_id: &str) -> Outcome<()> {
        if self.machine(system_id)?.locked {
            return Err(Refusal::Forbidden(String::new()));
        }
        self.machines.remove(system_id);
        self.steps.remove(system_id);
        Ok(())
    }

    /// A machine that vanishes from MAAS (deleted behind our back, or its region lost it).
    pub fn vanish(&mut self, system_id: &str) -> bool {
        self.steps.remove(system_id);
        self.machines.remove(system_id).is_some()
    }

    /// `POST machines/` by an admin: enlisted and commissioned, or NEW with `commission=false`.
    pub fn enlist(&mut self, user: &str, commission: bool, now: Timestamp) -> String {
        let added = self.seed_machines(1, Status::New);
        let system_id = added.into_iter().next().unwrap_or_default();
        if commission {
            let _ = self.commission(&system_id, user, now);
        }
        system_id
    }
}

/// How a release erases disks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Erase {
    None,
    Quick,
    Full,
    Secure,
}

#[derive(Debug, Clone, Default)]
pub struct DeployOptions {
    pub distro_series: Option<String>,
    pub hwe_kernel: Option<String>,
    pub user_data: Option<String>,
    pub agent_name: Option<String>,
    pub comment: Option<String>,
}

/// Allocation constraints the simulator understands (all AND-ed).
#[derive(Debug, Clone, Default)]
pub struct Constraints {
    pub name: Option<String>,
    pub system_id: Option<String>,
    pub arch: Vec<String>,
    pub cpu_count: Option<f64>,
    pub mem: Option<f64>,
    pub tags: Vec<String>,
    pub not_tags: Vec<String>,
    pub zones: Vec<String>,
    pub not_in_zone: Vec<String>,
    pub pools: Vec<String>,
    pub not_in_pool: Vec<String>,
    pub agent_name: String,
    pub comment: Option<String>,
    pub dry_run: bool,
    /// As given, for the no-match message.
    pub given: Vec<(String, String)>,
}

impl Constraints {
    fn admit(&self, m: &Machine) -> bool {
        let arch_ok = self.arch.is_empty() || self.arch.iter().any(|a| a == "amd64" || a == "amd64/generic");
        self.name
            .as_ref()
            .is_none_or(|n| n == &m.hostname || *n == format!("{}.maas", m.hostname))
            && self.system_id.as_ref().is_none_or(|s| s == &m.system_id)
            && arch_ok
            && self
                .cpu_count
                .is_none_or(|c| f64::from(m.hardware.cpu_count) >= c)
            && self.mem.is_none_or(|mem| m.hardware.memory_mib as f64 >= mem)
            && self.tags.iter().all(|t| m.tags.contains(t))
            && !self.not_tags.iter().any(|t| m.tags.contains(t))
            && (self.zones.is_empty() || self.zones.contains(&m.zone))
            && !self.not_in_zone.contains(&m.zone)
            && (self.pools.is_empty() || self.pools.contains(&m.pool))
            && !self.not_in_pool.contains(&m.pool)
    }

    fn no_match_message(&self) -> String {
        if let Some(sid) = self.system_id.as_ref().filter(|_| self.given.len() == 1) {
            return format!("No machine with system ID {sid} available.");
        }
        if self.given.is_empty() {
            return "No machine available.".into();
        }
        let pairs: Vec<String> = self
            .given
            .iter()
            .map(|(k, v)| format!("('{k}', ['{v}'])"))
            .collect();
        let resolved: Vec<String> = self.given.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!(
            "No available machine matches constraints: [{}] (resolved to \"{}\")",
            pairs.join(", "),
            resolved.join(" ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: Timestamp = Timestamp::from_secs(1_800_000_000);

    fn state() -> (State, String) {
        let mut state = State::new(1, Timings::realistic());
        let sid = state.seed_machines(4, Status::Ready)[2].clone();
        (state, sid)
    }

    #[test]
    fn deploy_takes_time_and_release_with_erase_ends_ready_and_unowned() {
        let (mut s, _) = state();
        let constraints = Constraints {
            cpu_count: Some(100.0),
            given: vec![("cpu_count".into(), "100".into())],
            ..Constraints::default()
        };
        let sid = s.allocate("admin", &constraints, T0).unwrap();
        assert!(s.machine(&sid).unwrap().hardware.cpu_count >= 100);
        s.deploy(&sid, "admin", &DeployOptions::default(), T0).unwrap();
        assert_eq!(s.machine(&sid).unwrap().status, Status::Deploying);
        s.advance(T0.plus(Duration::from_secs(60)));
        assert_eq!(s.machine(&sid).unwrap().status, Status::Deploying);
        assert_eq!(s.status_message(&sid).as_deref(), Some("Performing PXE boot"));
        s.advance(T0.plus(Timings::realistic().deploying));
        assert_eq!(s.machine(&sid).unwrap().status, Status::Deployed);
        assert!(s.machine(&sid).unwrap().deployed_ip);
        let later = T0.plus(Duration::from_secs(3_600));
        s.release(&sid, "admin", Erase::Secure, Some("done"), later)
            .unwrap();
        assert_eq!(s.machine(&sid).unwrap().status, Status::DiskErasing);
        s.advance(later.plus(Timings::realistic().secure_erase));
        let m = s.machine(&sid).unwrap();
        assert_eq!(
            (m.status, m.owner.as_deref(), m.osystem.as_str()),
            (Status::Ready, None, "")
        );
        assert_eq!(s.status_message(&sid).as_deref(), Some("Released"));
    }

    #[test]
    fn allocation_refusals_use_maas_words() {
        let (mut s, _) = state();
        let too_big = Constraints {
            mem: Some(1e12),
            given: vec![("mem".into(), "1000000000000".into())],
            ..Constraints::default()
        };
        let err = s.allocate("admin", &too_big, T0).unwrap_err();
        assert!(
            matches!(&err, Refusal::Conflict(m) if m.starts_with("No available machine matches constraints")),
            "{err:?}"
        );
        let unknown_tag = Constraints {
            tags: vec!["nope".into()],
            ..Constraints::default()
        };
        assert!(matches!(s.allocate("admin", &unknown_tag, T0), Err(Refusal::Form(f, _)) if f == "tags"));
        let (mut s, sid) = state();
        let err = s.release(&sid, "admin", Erase::None, None, T0);
        assert_eq!(err, Ok(()), "releasing a READY machine is a no-op");
        s.commission(&sid, "admin", T0).unwrap();
        assert!(matches!(
            s.release(&sid, "admin", Erase::None, None, T0),
            Err(Refusal::Conflict(_))
        ));
    }

    #[test]
    fn a_failed_bmc_sends_a_deploy_back_to_allocated() {
        let (mut s, sid) = state();
        s.faults.power_failure_rate = 1.0;
        let constraints = Constraints {
            system_id: Some(sid.clone()),
            ..Constraints::default()
        };
        s.allocate("admin", &constraints, T0).unwrap();
        s.deploy(&sid, "admin", &DeployOptions::default(), T0).unwrap();
        s.advance(T0.plus(Duration::from_secs(10)));
        assert_eq!(s.machine(&sid).unwrap().status, Status::Allocated);
        assert_eq!(
            s.status_message(&sid).as_deref(),
            Some("Failed to query node's BMC")
        );
    }
}
