//! Webhooks: which events a subscription can name and how they look to a receiver, when a
//! failed delivery is tried again, and which destinations are refused. Deliveries are signed
//! with `ingot_kernel::crypto::webhook_signature_make`, the scheme Ingot verifies on the
//! webhooks it receives.

// Plain address types from core: nothing here touches the network.
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use ingot_contracts::allocation::{
    AllocationEnded, AllocationRequested, AllocationStateChanged, NodeAssigned, NodeMeteringStarted,
    NodeReleased,
};
use ingot_contracts::billing::{BalanceExhausted, BalanceLow};
use ingot_contracts::iam::KycChanged;
use ingot_kernel::Timestamp;
use ingot_kernel::event::DomainEvent as _;
use ingot_kernel::id::{AllocationId, ProjectId, TenantId};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// The events a project can subscribe to, as receivers see them, with what each means.
pub const PUBLIC_EVENTS: [(&str, &str); 9] = [
    (
        "allocation.created",
        "an allocation was admitted and its nodes assigned",
    ),
    ("allocation.state_changed", "an allocation moved to another state"),
    (
        "allocation.ended",
        "an allocation was released, expired, force-released or failed",
    ),
    ("node.assigned", "a node was assigned to an allocation"),
    (
        "node.active",
        "a node finished deploying: reachable, metered from now",
    ),
    ("node.released", "a node was given back and erased"),
    (
        "balance.low",
        "the tenant's runway fell under a threshold (24 h, 6 h, 1 h)",
    ),
    (
        "balance.exhausted",
        "an allocation's funding ran out; it is force-released",
    ),
    ("kyc.changed", "the tenant's verification state or level changed"),
];

/// Field errors of a subscription's event list: public event types, `family.*` or `*`.
pub fn event_filter_check(patterns: &[String]) -> Vec<(String, String)> {
    let mut errors = Vec::new();
    if patterns.is_empty() || patterns.len() > PUBLIC_EVENTS.len() {
        errors.push((
            "events".to_string(),
            format!("1 to {} event types", PUBLIC_EVENTS.len()),
        ));
    }
    for (i, pattern) in patterns.iter().enumerate() {
        let known = pattern == "*"
            || PUBLIC_EVENTS.iter().any(|(name, _)| name == pattern)
            || pattern.strip_suffix(".*").is_some_and(|family| {
                PUBLIC_EVENTS
                    .iter()
                    .any(|(name, _)| name.split('.').next() == Some(family))
            });
        if !known {
            let names: Vec<&str> = PUBLIC_EVENTS.iter().map(|(name, _)| *name).collect();
            errors.push((
                format!("events[{i}]"),
                format!("one of {}, a family such as allocation.*, or *", names.join(", ")),
            ));
        }
    }
    errors
}

/// Whether a subscription's patterns take `event_type`.
pub fn event_matches(patterns: &[String], event_type: &str) -> bool {
    patterns.iter().any(|pattern| {
        pattern == "*"
            || pattern == event_type
            || pattern
                .strip_suffix(".*")
                .is_some_and(|family| event_type.split('.').next() == Some(family))
    })
}

/// The first retry waits this long; each later one twice the one before.
const RETRY_FIRST: Duration = Duration::from_secs(10);
const RETRY_LONGEST: Duration = Duration::from_secs(3_600);

/// How long to wait after failed attempt number `attempt` (1 = the first), given `unit` in
/// [0, 1): exponential from 10 s, at most an hour, spread ±20% so that a receiver coming back
/// is not hit by every waiting delivery at once.
pub fn retry_delay(attempt: u32, unit: f64) -> Duration {
    let doublings = attempt.saturating_sub(1).min(20);
    let base = RETRY_FIRST.saturating_mul(1u32 << doublings).min(RETRY_LONGEST);
    base.mul_f64(0.8 + 0.4 * unit.clamp(0.0, 1.0))
}

fn v4_is_public(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        // Shared address space (carrier-grade NAT), 100.64.0.0/10.
        || (a == 100 && (64..128).contains(&b))
        // IETF protocol assignments, 192.0.0.0/24; benchmarking, 198.18.0.0/15.
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (b == 18 || b == 19))
        // Reserved, 240.0.0.0/4.
        || a >= 240)
}

fn v6_is_public(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return v4_is_public(v4);
    }
    let segments = ip.segments();
    // NAT64 (64:ff9b::/96) reaches the IPv4 address in its last 32 bits.
    if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        let [.., hi, lo] = segments;
        return v4_is_public(Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo)));
    }
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        // Unique local, fc00::/7; link-local, fe80::/10; documentation, 2001:db8::/32.
        || (segments[0] & 0xfe00) == 0xfc00
        || (segments[0] & 0xffc0) == 0xfe80
        || (segments[0] == 0x2001 && segments[1] == 0x0db8))
}

/// Whether an address is on the public internet: not loopback, private, link-local (cloud
/// metadata lives there), shared, multicast, reserved or documentation space.
pub fn address_is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4_is_public(v4),
        IpAddr::V6(v6) => v6_is_public(v6),
    }
}

/// Why a webhook URL is refused, if it is. `private_ok` (the test and embedded profiles) lets
/// plain HTTP and private destinations through; otherwise only https to a public host. A host
/// name is checked again at every delivery, against every address it resolves to.
pub fn url_check(text: &str, private_ok: bool) -> Result<url::Url, String> {
    if text.len() > 2_000 {
        return Err("at most 2000 characters".into());
    }
    let url = url::Url::parse(text).map_err(|err| format!("not a URL: {err}"))?;
    match url.scheme() {
        "https" => {}
        "http" if private_ok => {}
        "http" => return Err("https only".into()),
        other => return Err(format!("{other}: https only")),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("no credentials in the URL: verify the signature instead".into());
    }
    if url.fragment().is_some() {
        return Err("no #fragment".into());
    }
    let refused = "a private, loopback or link-local destination";
    match url.host() {
        None => return Err("a host is needed".into()),
        Some(url::Host::Ipv4(ip)) if !private_ok && !v4_is_public(ip) => return Err(refused.into()),
        Some(url::Host::Ipv6(ip)) if !private_ok && !v6_is_public(ip) => return Err(refused.into()),
        Some(url::Host::Domain(name)) if !private_ok => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            if name == "localhost"
                || [".localhost", ".local", ".internal"]
                    .iter()
                    .any(|s| name.ends_with(s))
            {
                return Err(refused.into());
            }
            if !name.contains('.') {
                return Err("a fully qualified host name".into());
            }
        }
        Some(_) => {}
    }
    Ok(url)
}

/// Whose event it is: a project's, an allocation's (whose project App Platform looks up), or
/// the whole tenant's (every project's webhooks may take it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Project(ProjectId),
    Allocation(AllocationId),
    Tenant,
}

/// An event as webhooks show it: a public type and curated data — never the internal payload,
/// which may carry sealed user-data or ids receivers have no use for.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicEvent {
    pub event_type: &'static str,
    pub scope: Scope,
    pub data: Value,
}

fn read<T: DeserializeOwned>(payload: &Value) -> Option<T> {
    serde_json::from_value(payload.clone()).ok()
}

/// The public event for an internal one, if webhooks show it.
pub fn public_event(internal_type: &str, payload: &Value) -> Option<PublicEvent> {
    let (event_type, scope, data) = match internal_type {
        AllocationRequested::EVENT_TYPE => {
            let e: AllocationRequested = read(payload)?;
            (
                "allocation.created",
                Scope::Project(e.project_id),
                json!({"allocation_id": e.allocation_id, "sku": e.sku_name, "site": e.site_name,
                       "node_count": e.node_count, "at": e.at}),
            )
        }
        AllocationStateChanged::EVENT_TYPE => {
            let e: AllocationStateChanged = read(payload)?;
            (
                "allocation.state_changed",
                Scope::Allocation(e.allocation_id),
                json!({"allocation_id": e.allocation_id, "state": e.state, "reason": e.reason, "at": e.at}),
            )
        }
        AllocationEnded::EVENT_TYPE => {
            let e: AllocationEnded = read(payload)?;
            (
                "allocation.ended",
                Scope::Allocation(e.allocation_id),
                json!({"allocation_id": e.allocation_id, "state": e.state, "reason": e.reason, "at": e.at}),
            )
        }
        NodeAssigned::EVENT_TYPE => {
            let e: NodeAssigned = read(payload)?;
            (
                "node.assigned",
                Scope::Allocation(e.allocation_id),
                json!({"allocation_id": e.allocation_id, "node_id": e.node_id}),
            )
        }
        NodeMeteringStarted::EVENT_TYPE => {
            let e: NodeMeteringStarted = read(payload)?;
            (
                "node.active",
                Scope::Allocation(e.allocation_id),
                json!({"allocation_id": e.allocation_id, "node_id": e.node_id, "at": e.at}),
            )
        }
        NodeReleased::EVENT_TYPE => {
            let e: NodeReleased = read(payload)?;
            (
                "node.released",
                Scope::Allocation(e.allocation_id),
                json!({"allocation_id": e.allocation_id, "node_id": e.node_id, "at": e.at}),
            )
        }
        BalanceLow::EVENT_TYPE => {
            let e: BalanceLow = read(payload)?;
            (
                "balance.low",
                Scope::Tenant,
                json!({"runway_hours": e.runway_hours, "available": e.available, "burn_per_hour": e.burn_per_hour}),
            )
        }
        BalanceExhausted::EVENT_TYPE => {
            let e: BalanceExhausted = read(payload)?;
            (
                "balance.exhausted",
                Scope::Allocation(e.allocation_id),
                json!({"allocation_id": e.allocation_id, "funded_until": e.funded_until, "deadline": e.deadline}),
            )
        }
        KycChanged::EVENT_TYPE => {
            let e: KycChanged = read(payload)?;
            (
                "kyc.changed",
                Scope::Tenant,
                json!({"state": e.state, "level": e.level}),
            )
        }
        _ => return None,
    };
    Some(PublicEvent {
        event_type,
        scope,
        data,
    })
}

/// The body a receiver gets: the event's id (the same on every attempt: receivers dedupe on
/// it), its public type and time, whose it is, and its data.
pub fn delivery_body(
    event_id: &str,
    event: &PublicEvent,
    occurred_at: Timestamp,
    tenant_id: TenantId,
    project_id: ProjectId,
) -> Value {
    json!({
        "id": event_id,
        "type": event.event_type,
        "created_at": occurred_at,
        "tenant_id": tenant_id,
        "project_id": project_id,
        "data": event.data,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_name_public_events_families_or_everything() {
        let patterns = |list: &[&str]| list.iter().map(|p| (*p).to_string()).collect::<Vec<_>>();
        assert!(event_filter_check(&patterns(&["allocation.*", "kyc.changed"])).is_empty());
        assert!(event_filter_check(&patterns(&["*"])).is_empty());
        let fields: Vec<String> =
            event_filter_check(&patterns(&["allocation.node_deploy_requested", "vm.*"]))
                .into_iter()
                .map(|(f, _)| f)
                .collect();
        assert_eq!(fields, ["events[0]", "events[1]"]);
        assert_eq!(event_filter_check(&[])[0].0, "events");
        assert!(event_matches(&patterns(&["node.*"]), "node.active"));
        assert!(!event_matches(&patterns(&["node.*"]), "allocation.ended"));
        assert!(event_matches(&patterns(&["balance.low", "*"]), "kyc.changed"));
        assert!(!event_matches(&patterns(&["balance.low"]), "balance.exhausted"));
    }

    #[test]
    fn retries_back_off_exponentially_with_bounded_jitter() {
        assert_eq!(retry_delay(1, 0.5), Duration::from_secs(10));
        assert_eq!(retry_delay(2, 0.5), Duration::from_secs(20));
        assert_eq!(retry_delay(4, 0.5), Duration::from_secs(80));
        assert_eq!(retry_delay(1, 0.0), Duration::from_secs(8));
        assert!(retry_delay(1, 0.999) < Duration::from_secs(12));
        assert_eq!(retry_delay(30, 0.5), Duration::from_secs(3_600));
    }

    #[test]
    fn private_loopback_and_link_local_destinations_are_refused() {
        for refused in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "64:ff9b::a00:1",
            "224.0.0.1",
        ] {
            assert!(!address_is_public(refused.parse().unwrap()), "{refused}");
        }
        for public in ["1.1.1.1", "8.8.8.8", "2606:4700:4700::1111", "64:ff9b::808:808"] {
            assert!(address_is_public(public.parse().unwrap()), "{public}");
        }
        for url in [
            "http://hooks.example.com/x",
            "https://127.0.0.1/x",
            "https://[::1]/x",
            "https://169.254.169.254/latest/meta-data",
            "https://localhost/x",
            "https://db.internal/x",
            "https://intranet/x",
            "https://user:pw@hooks.example.com/x",
            "ftp://hooks.example.com/x",
        ] {
            assert!(url_check(url, false).is_err(), "{url}");
        }
        assert!(url_check("https://hooks.example.com/ingot?x=1", false).is_ok());
        assert!(url_check("http://127.0.0.1:8080/hook", true).is_ok());
        assert!(url_check("https://user:pw@127.0.0.1/", true).is_err());
    }

    #[test]
    fn internal_events_become_curated_public_ones() {
        let allocation_id = AllocationId::generate();
        let tenant_id = TenantId::generate();
        let deploy = json!({"allocation_id": allocation_id, "tenant_id": tenant_id,
            "node_id": ingot_kernel::id::NodeId::generate(), "image": "jammy", "ssh_keys": [],
            "user_data_sealed": "c2VjcmV0"});
        assert_eq!(
            public_event("allocation.node_deploy_requested", &deploy),
            None,
            "never shown"
        );
        let ended = json!({"allocation_id": allocation_id, "tenant_id": tenant_id, "state": "released",
            "reason": "released by the tenant", "at": "2026-12-05T01:00:00Z"});
        let event = public_event("allocation.ended", &ended).unwrap();
        assert_eq!(
            (event.event_type, event.scope),
            ("allocation.ended", Scope::Allocation(allocation_id))
        );
        assert_eq!(event.data["state"], "released");
        assert!(event.data.get("tenant_id").is_none());
        let kyc = json!({"tenant_id": tenant_id, "state": "verified", "level": "basic"});
        assert_eq!(public_event("kyc.changed", &kyc).unwrap().scope, Scope::Tenant);
        assert_eq!(public_event("allocation.ended", &json!({"broken": true})), None);
        for (name, _) in PUBLIC_EVENTS {
            assert!(event_filter_check(&[name.to_string()]).is_empty());
        }
    }
}
