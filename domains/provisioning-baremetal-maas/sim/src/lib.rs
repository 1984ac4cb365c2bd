//! The MAAS region simulator: MAAS REST API 2.0 under `/MAAS/` — the same paths, OAuth 1.0a
//! PLAINTEXT authentication, `op=` conventions, JSON shapes and NODE_STATUS lifecycle as the
//! reference (`shared/reference/maas-api.md`) — with asynchronous transitions that take
//! simulated time, seeded fleets of GPU and CPU machines, and fault injection. It is the
//! embedded default's site and the stand-in for a MAAS region in tests; MAAS's own Python client
//! is driven against it in the test suite.

// The machine JSON is one large `json!` literal.
#![recursion_limit = "256"]

mod api;
mod control;
mod describe;
pub mod fleet;
mod render;
pub mod state;
pub mod status;
pub mod wire;

use std::sync::{Arc, Mutex, MutexGuard};

use ingot_kernel::Clock;

pub use state::{Faults, Timings};
pub use status::Status;
pub use wire::ApiKey;

/// What to simulate.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Seeded machines that start READY.
    pub machines: usize,
    /// Seeded machines that start NEW (not commissioned).
    pub new_machines: usize,
    /// The key the region accepts; `None` makes one.
    pub api_key: Option<ApiKey>,
    pub seed: u64,
    pub timings: Timings,
}

impl Default for SimConfig {
    fn default() -> SimConfig {
        SimConfig {
            machines: 16,
            new_machines: 0,
            api_key: None,
            seed: 1,
            timings: Timings::realistic(),
        }
    }
}

/// A running simulated region: cheap to clone, shared by the HTTP handler and whoever drives it.
#[derive(Clone)]
pub struct Sim {
    state: Arc<Mutex<state::State>>,
    clock: Arc<dyn Clock>,
    key: ApiKey,
}

impl Sim {
    pub fn new(config: SimConfig, clock: Arc<dyn Clock>) -> Sim {
        let mut state = state::State::new(config.seed, config.timings);
        let key = config.api_key.unwrap_or_else(|| ApiKey::generate(&mut state.rng));
        state.seed_machines(config.machines, Status::Ready);
        state.seed_machines(config.new_machines, Status::New);
        Sim {
            state: Arc::new(Mutex::new(state)),
            clock,
            key,
        }
    }

    /// The API key the region accepts.
    pub fn api_key(&self) -> &ApiKey {
        &self.key
    }

    /// The state, with every due transition applied.
    pub fn lock(&self) -> MutexGuard<'_, state::State> {
        let mut guard = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        guard.advance(self.clock.now());
        guard
    }

    /// Serves everything under `/MAAS/`, and the simulator's own fault controls under `/_sim/`.
    pub fn router(&self) -> axum::Router {
        use axum::routing::{get, post};
        axum::Router::new()
            .route("/_sim/faults", get(control::faults_get).post(control::faults_set))
            .route("/_sim/machines/{system_id}/vanish", post(control::vanish))
            .fallback(api::handle)
            .with_state(self.clone())
    }

    /// Serves on `listener` until the task is dropped.
    pub async fn serve(self, listener: tokio::net::TcpListener) -> std::io::Result<()> {
        axum::serve(listener, self.router()).await
    }

    /// Changes the injected faults.
    pub fn faults_set(&self, change: impl FnOnce(&mut Faults)) {
        change(&mut self.lock().faults);
    }

    /// Makes a machine disappear from the region.
    pub fn vanish(&self, system_id: &str) -> bool {
        self.lock().vanish(system_id)
    }

    /// Requests served so far.
    pub fn requests(&self) -> u64 {
        self.lock().requests
    }
}
