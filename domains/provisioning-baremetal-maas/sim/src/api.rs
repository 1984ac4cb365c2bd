//! The HTTP surface: one handler under `/MAAS/` that authenticates, applies due transitions,
//! injects faults, and dispatches by path, method and `op` the way MAAS's piston handlers do.

use axum::body::Bytes;
use axum::extract::State as AxumState;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::Sim;
use crate::render;
use crate::state::{Constraints, DeployOptions, Erase, Level, Refusal, State};
use crate::status::Status;
use crate::wire::{OAUTH_REQUIRED, Params, multipart_boundary, oauth_params};

/// The API description's hash, sent on every response as MAAS does.
const API_HASH: &str = "3e0a7a3b0c5d1e8b9f1a2c4d6e8f0a1b2c3d4e5f";

fn respond(status: StatusCode, content_type: &'static str, body: String) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert("x-maas-api-hash", HeaderValue::from_static(API_HASH));
    response
}

fn ok(value: Value) -> Response {
    respond(
        StatusCode::OK,
        "application/json; charset=utf-8",
        value.to_string(),
    )
}

fn text(status: StatusCode, message: impl Into<String>) -> Response {
    respond(status, "text/plain; charset=utf-8", message.into())
}

fn form_error(field: &str, message: &str) -> Response {
    respond(
        StatusCode::BAD_REQUEST,
        "application/json; charset=utf-8",
        json!({ field: [message] }).to_string(),
    )
}

fn refused(refusal: Refusal) -> Response {
    match refusal {
        Refusal::BadRequest(message) => text(StatusCode::BAD_REQUEST, message),
        Refusal::Form(field, message) => form_error(&field, &message),
        Refusal::Forbidden(message) => text(StatusCode::FORBIDDEN, message),
        Refusal::NotFound(message) => text(StatusCode::NOT_FOUND, message),
        Refusal::Conflict(message) => text(StatusCode::CONFLICT, message),
        Refusal::Unavailable(message, retry_after) => {
            let mut response = text(StatusCode::SERVICE_UNAVAILABLE, message);
            if let Some(seconds) = retry_after
                && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
            {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
    }
}

fn unrecognised(method: &Method, op: Option<&str>) -> Response {
    text(
        StatusCode::BAD_REQUEST,
        format!(
            "Unrecognised signature: method={method} op={}",
            op.unwrap_or("None")
        ),
    )
}

/// Who is calling: the simulator's one admin user, or nobody.
enum Caller {
    Admin,
    Anonymous,
}

fn authenticate(sim: &Sim, state: &mut State, headers: &HeaderMap) -> Result<Caller, Box<Response>> {
    let Some(params) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(oauth_params)
    else {
        return Ok(Caller::Anonymous);
    };
    if !OAUTH_REQUIRED.iter().all(|k| params.contains_key(*k)) {
        return Ok(Caller::Anonymous);
    }
    let unauthorized = |message: String| {
        let mut response = text(StatusCode::UNAUTHORIZED, message);
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("OAuth realm=\"OAuth\""),
        );
        Err(Box::new(response))
    };
    if params.get("oauth_version").is_some_and(|v| v != "1.0") {
        return unauthorized(format!(
            "OAuth version {} not supported.",
            params["oauth_version"]
        ));
    }
    let key = &sim.key;
    if params["oauth_consumer_key"] != key.consumer {
        return unauthorized("Authorization Error: Invalid API key.".into());
    }
    if params["oauth_token"] != key.token {
        return unauthorized(format!(
            "Authorization Error: 'Invalid access token: {}'",
            params["oauth_token"]
        ));
    }
    if params["oauth_signature_method"] != "PLAINTEXT"
        || params["oauth_signature"] != format!("&{}", key.secret)
    {
        return unauthorized(
            "Authorization Error: 'Invalid signature. Expected signature base string: '".into(),
        );
    }
    let Ok(timestamp) = params["oauth_timestamp"].parse::<i64>() else {
        return Err(Box::new(text(
            StatusCode::BAD_REQUEST,
            "Invalid parameter: oauth_timestamp",
        )));
    };
    // OAuth timestamps are wall-clock time by protocol, whatever clock drives the simulation.
    let unix_now = ingot_kernel::Clock::now(&ingot_kernel::SystemClock).as_micros() / 1_000_000;
    if unix_now - timestamp > 300 {
        return unauthorized(format!(
            "Authorization Error: 'Expired timestamp: given {timestamp} and now {unix_now} has a greater difference than threshold 300'"
        ));
    }
    let nonce = &params["oauth_nonce"];
    if !state.nonce_fresh(format!("{}/{}/{nonce}", key.consumer, key.token), unix_now) {
        return unauthorized(format!("Authorization Error: 'Nonce already used: {nonce}'"));
    }
    Ok(Caller::Admin)
}

/// The one handler for everything under `/MAAS/`.
pub async fn handle(
    AxumState(sim): AxumState<Sim>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let latency = sim.lock().faults.latency;
    if !latency.is_zero() {
        // Injected latency is the fault itself, not a stand-in for synchronisation.
        #[allow(clippy::disallowed_methods)]
        tokio::time::sleep(latency).await;
    }
    let path = uri.path().to_string();
    let query = Params::from_urlencoded(uri.query().unwrap_or("").as_bytes());
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let form = match multipart_boundary(content_type) {
        Some(boundary) => Params::from_multipart(&body, &boundary),
        None if method != Method::GET => Params::from_urlencoded(&body),
        None => Params::default(),
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost:5240")
        .to_string();
    let now = sim.clock.now();
    let mut state = sim.lock();
    state.requests += 1;
    if state.faults.unavailable_next > 0 {
        state.faults.unavailable_next -= 1;
        let seconds = state.faults.retry_after_s;
        return refused(Refusal::Unavailable(
            "Unable to connect to any rack controller".into(),
            Some(seconds),
        ));
    }
    state.advance(now);
    if path == "/MAAS/api/version/" {
        return respond(StatusCode::OK, "text/plain; charset=utf-8", "2.0".into());
    }
    if path.starts_with("/MAAS/api/1.0/") {
        return text(
            StatusCode::GONE,
            "The 1.0 API is no longer available. Please use API version 2.0.",
        );
    }
    let Some(rest) = path.strip_prefix("/MAAS/api/2.0/") else {
        return text(StatusCode::NOT_FOUND, format!("Unknown API endpoint: {path}."));
    };
    if !rest.is_empty() && !rest.ends_with('/') {
        return text(StatusCode::NOT_FOUND, format!("Unknown API endpoint: {path}."));
    }
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    // `op` from the query first, then the body; empty counts as absent.
    let op = query
        .get("op")
        .or_else(|| form.get("op"))
        .filter(|op| !op.is_empty())
        .map(str::to_string);
    let caller = match authenticate(&sim, &mut state, &headers) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let request = Request {
        method: &method,
        op: op.as_deref(),
        query: &query,
        form: &form,
        now,
    };
    match (caller, segments.as_slice()) {
        (_, ["version"]) if method == Method::GET => ok(json!({
            "capabilities": [
                "networks-management", "static-ipaddresses", "ipv6-deployment-ubuntu", "devices-management",
                "storage-deployment-ubuntu", "network-deployment-ubuntu", "bridging-interface-ubuntu",
                "bridging-automatic-ubuntu", "authenticate-api"
            ],
            "version": "3.5.4-16319-g.ingot-sim",
            "subversion": ""
        })),
        (_, ["describe"]) if method == Method::GET => ok(crate::describe::document(&host)),
        (Caller::Anonymous, ["machines"]) => match (&method, request.op) {
            (&Method::POST, None) => {
                let system_id = state.enlist("", false, now);
                machine_response(&state, &system_id)
            }
            _ => unrecognised(&method, request.op),
        },
        (Caller::Anonymous, _) => text(
            StatusCode::UNAUTHORIZED,
            "Authorization Error: not authenticated.",
        ),
        (Caller::Admin, segments) => admin(&mut state, &request, segments),
    }
}

struct Request<'a> {
    method: &'a Method,
    op: Option<&'a str>,
    query: &'a Params,
    form: &'a Params,
    now: ingot_kernel::Timestamp,
}

/// The simulator's one user: a MAAS admin called `admin`.
const USER: &str = "admin";

fn machine_response(state: &State, system_id: &str) -> Response {
    match state.machine(system_id) {
        Ok(machine) => ok(render::machine(state, machine)),
        Err(refusal) => refused(refusal),
    }
}

fn done(state: &State, system_id: &str, outcome: Result<(), Refusal>) -> Response {
    match outcome {
        Ok(()) => machine_response(state, system_id),
        Err(refusal) => refused(refusal),
    }
}

fn admin(state: &mut State, r: &Request<'_>, segments: &[&str]) -> Response {
    let (method, op, now) = (r.method, r.op, r.now);
    match (segments, method.as_str(), op) {
        (["users"], "GET", Some("whoami")) => ok(json!({
            "username": USER, "email": "admin@sim.invalid", "is_local": true, "is_superuser": true,
            "resource_uri": "/MAAS/api/2.0/users/admin/"
        })),
        (["maas"], "GET", Some("get_config")) => ok(match r.query.get("name") {
            Some("default_distro_series") => json!("jammy"),
            Some("default_osystem") => json!("ubuntu"),
            Some("node_timeout") => json!(30),
            Some("maas_name") => json!("ingot-sim"),
            Some("enable_disk_erasing_on_release") => json!(false),
            _ => Value::Null,
        }),
        (["machines"], "GET", None) => machines_list(state, r.query),
        (["machines"], "GET", Some("list_allocated")) => {
            let machines: Vec<Value> = state
                .machines
                .values()
                .filter(|m| m.status == Status::Allocated && m.owner.as_deref() == Some(USER))
                .map(|m| render::machine(state, m))
                .collect();
            ok(Value::Array(machines))
        }
        (["machines"], "POST", Some("allocate")) => allocate(state, r.form, now),
        (["machines"], "POST", Some("release")) => {
            let ids = r.form.all("machines");
            let unknown: Vec<&str> = ids
                .iter()
                .filter(|id| !state.machines.contains_key(id.as_str()))
                .map(String::as_str)
                .collect();
            if !unknown.is_empty() {
                return text(
                    StatusCode::BAD_REQUEST,
                    format!("Unknown machine(s): {}.", unknown.join(", ")),
                );
            }
            let mut released = Vec::new();
            let mut stuck = Vec::new();
            for id in &ids {
                match state.release(id, USER, Erase::None, r.form.get("comment"), now) {
                    Ok(()) => released.push(id.clone()),
                    Err(_) => stuck.push(format!(
                        "{id} ('{}')",
                        state.machine(id).map_or("?", |m| m.status.label())
                    )),
                }
            }
            if !stuck.is_empty() {
                return text(
                    StatusCode::CONFLICT,
                    format!(
                        "Machine(s) cannot be released in their current state: {}",
                        stuck.join(", ")
                    ),
                );
            }
            ok(json!(released))
        }
        (["machines"], "POST", Some("accept")) => {
            let accepted: Vec<String> = r
                .form
                .all("machines")
                .into_iter()
                .filter(|id| state.machine(id).is_ok_and(|m| m.status == Status::New))
                .collect();
            for id in &accepted {
                let _ = state.commission(id, USER, now);
            }
            ok(Value::Array(
                accepted
                    .iter()
                    .filter_map(|id| state.machine(id).ok())
                    .map(|m| render::machine(state, m))
                    .collect(),
            ))
        }
        (["machines"], "POST", None) => {
            let commission = r.form.get("commission").is_none_or(|v| v != "false" && v != "0");
            let system_id = state.enlist(USER, commission, now);
            if let Some(hostname) = r.form.get("hostname")
                && let Some(machine) = state.machines.get_mut(&system_id)
            {
                machine.hostname = hostname.to_string();
            }
            machine_response(state, &system_id)
        }
        (["machines"], _, op) => unrecognised(method, op),
        ([_, sid], _, _) if segments[0] == "machines" => machine_op(state, r, sid),
        (["nodes", sid, "devices"], "GET", None) => {
            let Ok(machine) = state.machine(sid) else {
                return refused(Refusal::NotFound("No Node matches the given query.".into()));
            };
            let wanted = r.query.get("hardware_type").and_then(|t| t.parse::<u8>().ok());
            let devices: Vec<Value> = machine
                .hardware
                .devices
                .iter()
                .enumerate()
                .filter(|(_, d)| wanted.is_none_or(|w| w == d.hardware_type))
                .map(|(i, d)| render::device(machine, i, d))
                .collect();
            ok(Value::Array(devices))
        }
        (["events"], "GET", Some("query")) => events_query(state, r.query),
        (["zones"], "GET", None) => ok(Value::Array(
            state
                .zones
                .iter()
                .map(|(id, n, d)| render::zone_of(*id, n, d))
                .collect(),
        )),
        (["zones"], "POST", None) => {
            let Some(name) = r.form.get("name").filter(|n| !n.is_empty()) else {
                return form_error("name", "This field is required.");
            };
            if state.zones.iter().any(|(_, n, _)| n == name) {
                return form_error("name", "Zone with this Name already exists.");
            }
            let id = state.zones.iter().map(|(id, ..)| *id).max().unwrap_or(0) + 1;
            let description = r.form.get("description").unwrap_or("").to_string();
            state.zones.push((id, name.to_string(), description.clone()));
            ok(render::zone_of(id, name, &description))
        }
        (["zones", name], "GET", None) => match state.zones.iter().find(|(_, n, _)| n == name) {
            Some((id, n, d)) => ok(render::zone_of(*id, n, d)),
            None => refused(Refusal::NotFound("No Zone matches the given query.".into())),
        },
        (["resourcepools"], "GET", None) => ok(Value::Array(
            state
                .pools
                .iter()
                .map(|(id, n, d)| render::pool_of(*id, n, d))
                .collect(),
        )),
        (["resourcepools"], "POST", None) => {
            let Some(name) = r.form.get("name").filter(|n| !n.is_empty()) else {
                return form_error("name", "This field is required.");
            };
            if state.pools.iter().any(|(_, n, _)| n == name) {
                return form_error("name", "Resource pool with this Name already exists.");
            }
            let id = state.pools.iter().map(|(id, ..)| *id).max().unwrap_or(0) + 1;
            let description = r.form.get("description").unwrap_or("").to_string();
            state.pools.push((id, name.to_string(), description.clone()));
            ok(render::pool_of(id, name, &description))
        }
        (["resourcepool", key], "GET", None) => {
            match state
                .pools
                .iter()
                .find(|(id, n, _)| n == key || id.to_string() == *key)
            {
                Some((id, n, d)) => ok(render::pool_of(*id, n, d)),
                None => refused(Refusal::NotFound(
                    "No ResourcePool matches the given query.".into(),
                )),
            }
        }
        (["tags"], "GET", None) => ok(Value::Array(
            state.tags.iter().map(|(n, d)| render::tag(n, d)).collect(),
        )),
        (["tags"], "POST", None) => {
            let Some(name) = r.form.get("name").filter(|n| !n.is_empty()) else {
                return form_error("name", "This field is required.");
            };
            if state.tags.contains_key(name) {
                return form_error("name", "Tag with this Name already exists.");
            }
            let definition = r.form.get("definition").unwrap_or("").to_string();
            state.tags.insert(name.to_string(), definition.clone());
            ok(render::tag(name, &definition))
        }
        (["tags", name], "GET", None) => match state.tags.get(*name) {
            Some(definition) => ok(render::tag(name, definition)),
            None => refused(Refusal::NotFound("No Tag matches the given query.".into())),
        },
        (["tags", name], "GET", Some("machines")) => {
            if !state.tags.contains_key(*name) {
                return refused(Refusal::NotFound("No Tag matches the given query.".into()));
            }
            let tagged: Vec<Value> = state
                .machines
                .values()
                .filter(|m| m.tags.iter().any(|t| t == name))
                .map(|m| render::machine(state, m))
                .collect();
            ok(Value::Array(tagged))
        }
        (["tags", name], "POST", Some("update_nodes")) => {
            if !state.tags.contains_key(*name) {
                return refused(Refusal::NotFound("No Tag matches the given query.".into()));
            }
            let (mut added, mut removed) = (0, 0);
            for id in r.form.all("add") {
                if let Some(m) = state.machines.get_mut(&id)
                    && !m.tags.iter().any(|t| t == name)
                {
                    m.tags.push((*name).to_string());
                    added += 1;
                }
            }
            for id in r.form.all("remove") {
                if let Some(m) = state.machines.get_mut(&id) {
                    let before = m.tags.len();
                    m.tags.retain(|t| t != name);
                    removed += before - m.tags.len();
                }
            }
            ok(json!({"added": added, "removed": removed}))
        }
        (["tags", name], "DELETE", None) => {
            if state.tags.remove(*name).is_none() {
                return refused(Refusal::NotFound("No Tag matches the given query.".into()));
            }
            for m in state.machines.values_mut() {
                m.tags.retain(|t| t != name);
            }
            respond(StatusCode::NO_CONTENT, "text/plain; charset=utf-8", String::new())
        }
        (["boot-resources"], "GET", None) => match r.query.get("type") {
            None | Some("synced") => ok(render::boot_resources()),
            Some("uploaded") => ok(json!([])),
            Some(other) => text(StatusCode::BAD_REQUEST, format!("'{other}' is not a valid type.")),
        },
        (["boot-resources"], "GET", Some("is_importing")) => ok(json!(false)),
        (["boot-resources", id], "GET", None) => {
            let all = render::boot_resources();
            match all.as_array().and_then(|a| {
                a.iter()
                    .find(|r| r["id"].as_u64().is_some_and(|n| id.parse() == Ok(n)))
            }) {
                Some(resource) => ok(resource.clone()),
                None => refused(Refusal::NotFound(
                    "No BootResource matches the given query.".into(),
                )),
            }
        }
        _ => {
            if segments.is_empty() || !KNOWN_COLLECTIONS.contains(&segments[0]) {
                text(
                    StatusCode::NOT_FOUND,
                    format!("Unknown API endpoint: /MAAS/api/2.0/{}/.", segments.join("/")),
                )
            } else {
                unrecognised(method, op)
            }
        }
    }
}

const KNOWN_COLLECTIONS: &[&str] = &[
    "users",
    "maas",
    "machines",
    "nodes",
    "events",
    "zones",
    "resourcepools",
    "resourcepool",
    "tags",
    "boot-resources",
];

fn machine_op(state: &mut State, r: &Request<'_>, sid: &str) -> Response {
    let (method, op, now, form) = (r.method, r.op, r.now, r.form);
    if state.machine(sid).is_err() {
        return refused(Refusal::NotFound("No Machine matches the given query.".into()));
    }
    let comment = form.get("comment");
    match (method.as_str(), op) {
        ("GET", None) => machine_response(state, sid),
        ("GET", Some("query_power_state")) => match state.power_query(sid) {
            Ok(power) => ok(json!({ "state": power })),
            Err(refusal) => refused(refusal),
        },
        ("PUT", None) => {
            if let Some(machine) = state.machines.get_mut(sid) {
                if let Some(hostname) = form.get("hostname") {
                    machine.hostname = hostname.to_string();
                }
                if let Some(zone) = form.get("zone") {
                    machine.zone = zone.to_string();
                }
                if let Some(pool) = form.get("pool") {
                    machine.pool = pool.to_string();
                }
            }
            machine_response(state, sid)
        }
        ("DELETE", None) => match state.delete(sid) {
            Ok(()) => respond(StatusCode::NO_CONTENT, "text/plain; charset=utf-8", String::new()),
            Err(refusal) => refused(refusal),
        },
        ("POST", Some("deploy")) => {
            for removed in ["install_kvm", "register_vmhost", "install_rackd"] {
                if form.flag(removed) {
                    return text(
                        StatusCode::BAD_REQUEST,
                        format!("Support for {removed} allocation parameter has been removed."),
                    );
                }
            }
            let options = DeployOptions {
                distro_series: form
                    .get("distro_series")
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
                hwe_kernel: form.get("hwe_kernel").map(str::to_string),
                user_data: form.get("user_data").map(str::to_string),
                agent_name: form.get("agent_name").map(str::to_string),
                comment: comment.map(str::to_string),
            };
            let outcome = state.deploy(sid, USER, &options, now);
            done(state, sid, outcome)
        }
        ("POST", Some("release")) => {
            let erase = if form.flag("secure_erase") {
                Erase::Secure
            } else if form.flag("quick_erase") {
                Erase::Quick
            } else if form.flag("erase") {
                Erase::Full
            } else {
                Erase::None
            };
            let outcome = state.release(sid, USER, erase, comment, now);
            done(state, sid, outcome)
        }
        ("POST", Some("commission")) => {
            let outcome = state.commission(sid, USER, now);
            done(state, sid, outcome)
        }
        ("POST", Some("abort")) => {
            // The response shows the status before the abort lands.
            let before = state.machine(sid).map(|m| render::machine(state, m));
            match state.abort(sid, USER, comment, now) {
                Ok(()) => before.map_or_else(refused, ok),
                Err(refusal) => refused(refusal),
            }
        }
        ("POST", Some("mark_broken")) => {
            let comment = comment.or_else(|| form.get("error_description"));
            let outcome = state.mark_broken(sid, USER, comment, now);
            done(state, sid, outcome)
        }
        ("POST", Some("mark_fixed")) => {
            let outcome = state.mark_fixed(sid, USER, comment, now);
            done(state, sid, outcome)
        }
        ("POST", Some("power_on")) => {
            let outcome = state.power(sid, USER, true, now);
            done(state, sid, outcome)
        }
        ("POST", Some("power_off")) => {
            let outcome = state.power(sid, USER, false, now);
            done(state, sid, outcome)
        }
        ("POST", Some("lock")) => {
            let outcome = state.lock(sid, USER, true, comment, now);
            done(state, sid, outcome)
        }
        ("POST", Some("unlock")) => {
            let outcome = state.lock(sid, USER, false, comment, now);
            done(state, sid, outcome)
        }
        ("POST", Some("set_workload_annotations" | "set_owner_data")) => {
            let pairs: Vec<(String, String)> = form.0.iter().filter(|(k, _)| k != "op").cloned().collect();
            let outcome = state.annotate(sid, USER, &pairs);
            done(state, sid, outcome)
        }
        (_, op) => unrecognised(method, op),
    }
}

const LIST_FILTERS: &[&str] = &[
    "id",
    "not_id",
    "hostname",
    "not_hostname",
    "status",
    "not_status",
    "simple_status",
    "not_simple_status",
    "zone",
    "not_in_zone",
    "pool",
    "not_in_pool",
    "tags",
    "not_tags",
    "owner",
    "not_owner",
    "agent_name",
    "not_agent_name",
    "power_state",
    "not_power_state",
    "mac_address",
    "op",
];

fn machines_list(state: &State, query: &Params) -> Response {
    if let Some(unknown) = query.keys().find(|k| !LIST_FILTERS.contains(k)) {
        return form_error(unknown, "No such constraint.");
    }
    for status in query.all("status").iter().chain(query.all("not_status").iter()) {
        if Status::from_filter_name(status).is_none() {
            return form_error("status", &format!("Invalid status: {status}"));
        }
    }
    let any_of = |key: &str, value: &str| {
        let wanted = query.all(key);
        wanted.is_empty() || wanted.iter().any(|w| w == value)
    };
    let none_of = |key: &str, value: &str| !query.all(key).iter().any(|w| w == value);
    let mut machines: Vec<&crate::fleet::Machine> = state
        .machines
        .values()
        .filter(|m| {
            let owner = m.owner.as_deref().unwrap_or("");
            any_of("id", &m.system_id)
                && none_of("not_id", &m.system_id)
                && any_of("hostname", &m.hostname)
                && none_of("not_hostname", &m.hostname)
                && any_of("status", m.status.filter_name())
                && none_of("not_status", m.status.filter_name())
                && any_of("simple_status", m.status.simple())
                && none_of("not_simple_status", m.status.simple())
                && any_of("zone", &m.zone)
                && none_of("not_in_zone", &m.zone)
                && any_of("pool", &m.pool)
                && none_of("not_in_pool", &m.pool)
                && query.all("tags").iter().all(|t| m.tags.contains(t))
                && !query.all("not_tags").iter().any(|t| m.tags.contains(t))
                && any_of("owner", owner)
                && none_of("not_owner", owner)
                && any_of("agent_name", &m.agent_name)
                && none_of("not_agent_name", &m.agent_name)
                && any_of("power_state", m.power_state)
                && none_of("not_power_state", m.power_state)
                && (query.all("mac_address").is_empty()
                    || m.hardware
                        .nics
                        .iter()
                        .any(|n| query.all("mac_address").contains(&n.mac)))
        })
        .collect();
    machines.sort_by_key(|m| m.id);
    // Rendered machine by machine into one body: a fleet of thousands never exists as one JSON
    // tree in memory.
    let mut body = String::from("[");
    for (i, machine) in machines.into_iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&render::machine(state, machine).to_string());
    }
    body.push(']');
    respond(StatusCode::OK, "application/json; charset=utf-8", body)
}

/// Constraints the simulator evaluates, and options that do not constrain.
const ALLOCATE_KNOWN: &[&str] = &[
    "name",
    "system_id",
    "arch",
    "cpu_count",
    "mem",
    "tags",
    "not_tags",
    "zone",
    "not_in_zone",
    "pool",
    "not_in_pool",
    "agent_name",
    "comment",
    "dry_run",
    "verbose",
    "bridge_all",
    "bridge_type",
    "bridge_stp",
    "bridge_fd",
    "enable_hw_sync",
    "ephemeral_deploy",
    "op",
];

/// Real MAAS constraints the simulator does not evaluate: refused rather than ignored, so a
/// client never gets a machine that does not match what it asked for.
const ALLOCATE_UNSUPPORTED: &[&str] = &[
    "storage",
    "interfaces",
    "devices",
    "subnets",
    "not_subnets",
    "fabrics",
    "not_fabrics",
    "fabric_classes",
    "not_fabric_classes",
    "vlans",
    "not_vlans",
    "link_speed",
    "cpu_speed",
    "pod",
    "not_pod",
    "pod_type",
    "not_pod_type",
];

fn allocate(state: &mut State, form: &Params, now: ingot_kernel::Timestamp) -> Response {
    if let Some(key) = form.keys().find(|k| ALLOCATE_UNSUPPORTED.contains(k)) {
        return text(
            StatusCode::BAD_REQUEST,
            format!("The simulator does not evaluate the '{key}' constraint."),
        );
    }
    if let Some(unknown) = form.keys().find(|k| !ALLOCATE_KNOWN.contains(k)) {
        return form_error(unknown, "No such constraint.");
    }
    let number = |key: &str| -> Result<Option<f64>, Box<Response>> {
        match form.get(key) {
            None | Some("") => Ok(None),
            Some(value) => value
                .parse::<f64>()
                .map(Some)
                .map_err(|_| Box::new(form_error(key, "Enter a number."))),
        }
    };
    let split = |key: &str| -> Vec<String> {
        form.all(key)
            .iter()
            .flat_map(|v| v.split([',', ' ']).map(str::to_string).collect::<Vec<_>>())
            .filter(|v| !v.is_empty())
            .collect()
    };
    for arch in form.all("arch") {
        if !matches!(arch.as_str(), "amd64" | "amd64/generic") {
            return form_error("arch", "Architecture not recognised.");
        }
    }
    let (cpu_count, mem) = match (number("cpu_count"), number("mem")) {
        (Ok(c), Ok(m)) => (c, m),
        (Err(response), _) | (_, Err(response)) => return *response,
    };
    let constraints = Constraints {
        name: form.get("name").map(str::to_string),
        system_id: form.get("system_id").map(str::to_string),
        arch: form.all("arch"),
        cpu_count,
        mem,
        tags: split("tags"),
        not_tags: split("not_tags"),
        zones: form.all("zone"),
        not_in_zone: form.all("not_in_zone"),
        pools: form.all("pool"),
        not_in_pool: form.all("not_in_pool"),
        agent_name: form.get("agent_name").unwrap_or("").to_string(),
        comment: form.get("comment").map(str::to_string),
        dry_run: form.flag("dry_run"),
        given: form
            .0
            .iter()
            .filter(|(k, _)| {
                !matches!(
                    k.as_str(),
                    "op" | "agent_name"
                        | "comment"
                        | "dry_run"
                        | "verbose"
                        | "bridge_all"
                        | "bridge_type"
                        | "bridge_stp"
                        | "bridge_fd"
                        | "enable_hw_sync"
                        | "ephemeral_deploy"
                )
            })
            .cloned()
            .collect(),
    };
    match state.allocate(USER, &constraints, now) {
        Ok(system_id) => match state.machine(&system_id) {
            Ok(machine) => {
                let mut value = render::machine(state, machine);
                value["constraints_by_type"] = json!({});
                ok(value)
            }
            Err(refusal) => refused(refusal),
        },
        Err(refusal) => refused(refusal),
    }
}

fn events_query(state: &State, query: &Params) -> Response {
    let level = match query.get("level") {
        None => Level::Info,
        Some(name) => match Level::parse(name) {
            Some(level) => level,
            None => return text(StatusCode::BAD_REQUEST, format!("Unrecognised log level: {name}")),
        },
    };
    let limit = match query.get("limit").map(str::parse::<i64>) {
        None => 100,
        Some(Ok(n)) if n > 1_000 => {
            return text(
                StatusCode::BAD_REQUEST,
                "Requested number of events 1001 is greater than limit 1000",
            );
        }
        Some(Ok(n)) => usize::try_from(n.max(1)).unwrap_or(1),
        Some(Err(_)) => return text(StatusCode::BAD_REQUEST, "Invalid limit"),
    };
    let after = query.get("after").and_then(|v| v.parse::<u64>().ok());
    let before = query.get("before").and_then(|v| v.parse::<u64>().ok());
    if after.is_some() && before.is_some() {
        return text(
            StatusCode::BAD_REQUEST,
            "There is undetermined behaviour when both 'after' and 'before' are specified.",
        );
    }
    let ids = query.all("id");
    let hostnames = query.all("hostname");
    let matching = state.events.iter().filter(|e| {
        let level_ok = if level == Level::Audit {
            e.level == Level::Audit
        } else {
            e.level >= level
        };
        level_ok
            && (ids.is_empty() || ids.contains(&e.system_id))
            && (hostnames.is_empty() || hostnames.contains(&e.hostname))
            && after.is_none_or(|a| e.id > a)
            && before.is_none_or(|b| e.id < b)
    });
    // With `after`, the oldest `limit` newer events; otherwise the newest `limit`; newest first.
    let mut page: Vec<&crate::state::Event> = if after.is_some() {
        matching.take(limit).collect()
    } else {
        let all: Vec<_> = matching.collect();
        all[all.len().saturating_sub(limit)..].to_vec()
    };
    page.reverse();
    let newest = page.first().map(|e| e.id).or(after).unwrap_or(0);
    let oldest = page.last().map(|e| e.id);
    ok(json!({
        "count": page.len(),
        "events": page.iter().map(|e| render::event(e)).collect::<Vec<_>>(),
        "next_uri": format!("/MAAS/api/2.0/events/?op=query&after={newest}"),
        "prev_uri": oldest.map(|o| format!("/MAAS/api/2.0/events/?op=query&before={o}")),
    }))
}
