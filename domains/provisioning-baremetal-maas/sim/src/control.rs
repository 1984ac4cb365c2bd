//! The simulator's own control surface, outside MAAS's API (`/_sim/…`, no authentication: the
//! simulator listens on loopback by default): inject faults into a running region from a shell,
//! as tests do through [`crate::Sim::faults_set`].
//!
//! * `GET /_sim/faults` — the faults in force.
//! * `POST /_sim/faults` — JSON with any of `deploy_failure_rate`, `commission_failure_rate`,
//!   `power_failure_rate`, `latency_ms`, `unavailable_next`, `retry_after_s`, `power_unknown`
//!   (system ids), `commission_fails` and `deploy_fails` (system ids); fields left out keep
//!   their value.
//! * `POST /_sim/machines/{system_id}/vanish` — the machine disappears from the region.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::Sim;
use crate::state::Faults;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultsChange {
    deploy_failure_rate: Option<f64>,
    commission_failure_rate: Option<f64>,
    power_failure_rate: Option<f64>,
    latency_ms: Option<u64>,
    unavailable_next: Option<u32>,
    retry_after_s: Option<u32>,
    power_unknown: Option<Vec<String>>,
    commission_fails: Option<Vec<String>>,
    deploy_fails: Option<Vec<String>>,
}

fn faults_json(f: &Faults) -> Value {
    json!({
        "deploy_failure_rate": f.deploy_failure_rate,
        "commission_failure_rate": f.commission_failure_rate,
        "power_failure_rate": f.power_failure_rate,
        "latency_ms": u64::try_from(f.latency.as_millis()).unwrap_or(u64::MAX),
        "unavailable_next": f.unavailable_next,
        "retry_after_s": f.retry_after_s,
        "power_unknown": f.power_unknown,
        "commission_fails": f.commission_fails,
        "deploy_fails": f.deploy_fails,
    })
}

pub async fn faults_get(State(sim): State<Sim>) -> Json<Value> {
    Json(faults_json(&sim.lock().faults))
}

pub async fn faults_set(
    State(sim): State<Sim>,
    Json(change): Json<FaultsChange>,
) -> Result<Json<Value>, (StatusCode, String)> {
    let rates = [
        change.deploy_failure_rate,
        change.commission_failure_rate,
        change.power_failure_rate,
    ];
    if rates.iter().flatten().any(|r| !(0.0..=1.0).contains(r)) {
        return Err((
            StatusCode::UNPROCESSABLE_ENTITY,
            "rates are between 0.0 and 1.0".into(),
        ));
    }
    let mut state = sim.lock();
    let f = &mut state.faults;
    if let Some(v) = change.deploy_failure_rate {
        f.deploy_failure_rate = v;
    }
    if let Some(v) = change.commission_failure_rate {
        f.commission_failure_rate = v;
    }
    if let Some(v) = change.power_failure_rate {
        f.power_failure_rate = v;
    }
    if let Some(v) = change.latency_ms {
        f.latency = std::time::Duration::from_millis(v);
    }
    if let Some(v) = change.unavailable_next {
        f.unavailable_next = v;
    }
    if let Some(v) = change.retry_after_s {
        f.retry_after_s = v;
    }
    if let Some(v) = change.power_unknown {
        f.power_unknown = v;
    }
    if let Some(v) = change.commission_fails {
        f.commission_fails = v;
    }
    if let Some(v) = change.deploy_fails {
        f.deploy_fails = v;
    }
    Ok(Json(faults_json(f)))
}

pub async fn vanish(State(sim): State<Sim>, Path(system_id): Path<String>) -> StatusCode {
    if sim.vanish(&system_id) {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::NOT_FOUND
    }
}
