//! `GET describe/`: the machine-readable API description python-libmaas builds its whole client
//! from at connect time. It lists exactly the handlers and actions the simulator serves, with
//! `uri` absolute on the host the client used, as MAAS does.

use serde_json::{Value, json};

/// (handler name, path below `/MAAS/api/2.0/`, path parameters, anonymous, actions as
/// (name, method, op)).
type Handler = (
    &'static str,
    &'static str,
    &'static [&'static str],
    bool,
    &'static [(&'static str, &'static str, Option<&'static str>)],
);

const HANDLERS: &[Handler] = &[
    ("VersionHandler", "version/", &[], true, &[("read", "GET", None)]),
    (
        "AnonMachinesHandler",
        "machines/",
        &[],
        true,
        &[("create", "POST", None)],
    ),
    (
        "MachinesHandler",
        "machines/",
        &[],
        false,
        &[
            ("read", "GET", None),
            ("create", "POST", None),
            ("allocate", "POST", Some("allocate")),
            ("release", "POST", Some("release")),
            ("accept", "POST", Some("accept")),
            ("list_allocated", "GET", Some("list_allocated")),
        ],
    ),
    (
        "MachineHandler",
        "machines/{system_id}/",
        &["system_id"],
        false,
        &[
            ("read", "GET", None),
            ("update", "PUT", None),
            ("delete", "DELETE", None),
            ("deploy", "POST", Some("deploy")),
            ("release", "POST", Some("release")),
            ("commission", "POST", Some("commission")),
            ("abort", "POST", Some("abort")),
            ("mark_broken", "POST", Some("mark_broken")),
            ("mark_fixed", "POST", Some("mark_fixed")),
            ("power_on", "POST", Some("power_on")),
            ("power_off", "POST", Some("power_off")),
            ("query_power_state", "GET", Some("query_power_state")),
            ("lock", "POST", Some("lock")),
            ("unlock", "POST", Some("unlock")),
            (
                "set_workload_annotations",
                "POST",
                Some("set_workload_annotations"),
            ),
            ("set_owner_data", "POST", Some("set_owner_data")),
        ],
    ),
    (
        "NodeDevicesHandler",
        "nodes/{system_id}/devices/",
        &["system_id"],
        false,
        &[("read", "GET", None)],
    ),
    (
        "EventsHandler",
        "events/",
        &[],
        false,
        &[("query", "GET", Some("query"))],
    ),
    (
        "UsersHandler",
        "users/",
        &[],
        false,
        &[("whoami", "GET", Some("whoami"))],
    ),
    (
        "MaasHandler",
        "maas/",
        &[],
        false,
        &[("get_config", "GET", Some("get_config"))],
    ),
    (
        "ZonesHandler",
        "zones/",
        &[],
        false,
        &[("read", "GET", None), ("create", "POST", None)],
    ),
    (
        "ZoneHandler",
        "zones/{name}/",
        &["name"],
        false,
        &[("read", "GET", None)],
    ),
    (
        "ResourcePoolsHandler",
        "resourcepools/",
        &[],
        false,
        &[("read", "GET", None), ("create", "POST", None)],
    ),
    (
        "ResourcePoolHandler",
        "resourcepool/{id}/",
        &["id"],
        false,
        &[("read", "GET", None)],
    ),
    (
        "TagsHandler",
        "tags/",
        &[],
        false,
        &[("read", "GET", None), ("create", "POST", None)],
    ),
    (
        "TagHandler",
        "tags/{name}/",
        &["name"],
        false,
        &[
            ("read", "GET", None),
            ("delete", "DELETE", None),
            ("machines", "GET", Some("machines")),
            ("update_nodes", "POST", Some("update_nodes")),
        ],
    ),
    (
        "BootResourcesHandler",
        "boot-resources/",
        &[],
        false,
        &[
            ("read", "GET", None),
            ("is_importing", "GET", Some("is_importing")),
        ],
    ),
    (
        "BootResourceHandler",
        "boot-resources/{id}/",
        &["id"],
        false,
        &[("read", "GET", None)],
    ),
];

fn handler(host: &str, (name, path, params, _, actions): &Handler) -> Value {
    let path = format!("/MAAS/api/2.0/{path}");
    json!({
        "name": name,
        "doc": "",
        "path": path,
        "uri": format!("http://{host}{path}"),
        "params": params,
        "actions": actions.iter().map(|(action, method, op)| json!({
            "name": action, "method": method, "op": op, "restful": op.is_none(), "doc": ""
        })).collect::<Vec<_>>()
    })
}

/// The description as served to a client that reached us at `host`.
pub fn document(host: &str) -> Value {
    let handlers: Vec<Value> = HANDLERS.iter().map(|h| handler(host, h)).collect();
    // A resource pairs a path's anonymous and authenticated handlers under the latter's name.
    let mut resources: Vec<Value> = Vec::new();
    for h in HANDLERS.iter().filter(|h| !h.0.starts_with("Anon")) {
        let anon = HANDLERS
            .iter()
            .find(|other| other.3 && other.1 == h.1)
            .map(|other| handler(host, other));
        let (anon, auth) = if h.3 {
            (Some(handler(host, h)), None)
        } else {
            (anon, Some(handler(host, h)))
        };
        resources.push(json!({"name": h.0, "anon": anon, "auth": auth}));
    }
    json!({
        "doc": "MAAS API",
        "hash": "3e0a7a3b0c5d1e8b9f1a2c4d6e8f0a1b2c3d4e5f",
        "resources": resources,
        "handlers": handlers,
    })
}
