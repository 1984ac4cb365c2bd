//! MAAS wire types as the client reads them: tolerant of missing and `null` fields (older
//! regions lack newer ones), never dependent on `status_message` text for control flow.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

fn null_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// NODE_STATUS codes the client acts on.
pub mod status {
    pub const NEW: u8 = 0;
    pub const COMMISSIONING: u8 = 1;
    pub const FAILED_COMMISSIONING: u8 = 2;
    pub const MISSING: u8 = 3;
    pub const READY: u8 = 4;
    pub const RESERVED: u8 = 5;
    pub const DEPLOYED: u8 = 6;
    pub const RETIRED: u8 = 7;
    pub const BROKEN: u8 = 8;
    pub const DEPLOYING: u8 = 9;
    pub const ALLOCATED: u8 = 10;
    pub const FAILED_DEPLOYMENT: u8 = 11;
    pub const RELEASING: u8 = 12;
    pub const FAILED_RELEASING: u8 = 13;
    pub const DISK_ERASING: u8 = 14;
    pub const FAILED_DISK_ERASING: u8 = 15;
    pub const TESTING: u8 = 21;
    pub const FAILED_TESTING: u8 = 22;

    /// Statuses MAAS moves out of by itself (work in progress).
    pub fn transitional(code: u8) -> bool {
        matches!(
            code,
            COMMISSIONING | DEPLOYING | RELEASING | DISK_ERASING | TESTING | 17 | 19
        )
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct NamedRef {
    #[serde(default)]
    pub id: u64,
    #[serde(default)]
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Interface {
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    #[serde(default, deserialize_with = "null_default")]
    pub mac_address: String,
    #[serde(default, deserialize_with = "null_default")]
    pub vendor: String,
    #[serde(default, deserialize_with = "null_default")]
    pub product: String,
    #[serde(default, deserialize_with = "null_default")]
    pub link_speed: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct BlockDevice {
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    #[serde(default, deserialize_with = "null_default")]
    pub model: String,
    /// Bytes.
    #[serde(default, deserialize_with = "null_default")]
    pub size: u64,
    #[serde(default, rename = "type", deserialize_with = "null_default")]
    pub kind: String,
}

/// A machine as `GET machines/{sid}/` renders it (the fields the client uses).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Machine {
    pub system_id: String,
    #[serde(default, deserialize_with = "null_default")]
    pub hostname: String,
    #[serde(default, deserialize_with = "null_default")]
    pub status: u8,
    #[serde(default, deserialize_with = "null_default")]
    pub status_name: String,
    #[serde(default, deserialize_with = "null_default")]
    pub status_message: String,
    #[serde(default, deserialize_with = "null_default")]
    pub error_description: String,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub locked: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub power_state: String,
    #[serde(default, deserialize_with = "null_default")]
    pub power_type: String,
    #[serde(default, deserialize_with = "null_default")]
    pub osystem: String,
    #[serde(default, deserialize_with = "null_default")]
    pub distro_series: String,
    #[serde(default, deserialize_with = "null_default")]
    pub architecture: String,
    #[serde(default, deserialize_with = "null_default")]
    pub cpu_count: u32,
    /// MiB.
    #[serde(default, deserialize_with = "null_default")]
    pub memory: u64,
    #[serde(default, deserialize_with = "null_default")]
    pub tag_names: Vec<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub ip_addresses: Vec<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub zone: NamedRef,
    #[serde(default, deserialize_with = "null_default")]
    pub pool: NamedRef,
    #[serde(default, deserialize_with = "null_default")]
    pub workload_annotations: BTreeMap<String, String>,
    #[serde(default, deserialize_with = "null_default")]
    pub owner_data: BTreeMap<String, String>,
    #[serde(default, deserialize_with = "null_default")]
    pub hardware_info: BTreeMap<String, String>,
    #[serde(default, deserialize_with = "null_default")]
    pub interface_set: Vec<Interface>,
    #[serde(default, deserialize_with = "null_default")]
    pub physicalblockdevice_set: Vec<BlockDevice>,
}

impl Machine {
    /// Annotations, from either spelling (3.0+ `workload_annotations`, older `owner_data`).
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.workload_annotations
            .get(key)
            .or_else(|| self.owner_data.get(key))
            .map(String::as_str)
    }
}

/// A PCI or USB device of a machine (`nodes/{sid}/devices/`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Device {
    #[serde(default, deserialize_with = "null_default")]
    pub hardware_type: u8,
    #[serde(default, deserialize_with = "null_default")]
    pub vendor_id: String,
    #[serde(default, deserialize_with = "null_default")]
    pub product_id: String,
    #[serde(default, deserialize_with = "null_default")]
    pub vendor_name: String,
    #[serde(default, deserialize_with = "null_default")]
    pub product_name: String,
    #[serde(default, deserialize_with = "null_default")]
    pub numa_node: i64,
}

pub mod hardware_type {
    pub const NETWORK: u8 = 4;
    pub const GPU: u8 = 5;
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Event {
    pub id: u64,
    #[serde(default, deserialize_with = "null_default")]
    pub node: String,
    #[serde(default, deserialize_with = "null_default")]
    pub hostname: String,
    #[serde(default, deserialize_with = "null_default")]
    pub level: String,
    #[serde(default, deserialize_with = "null_default")]
    pub created: String,
    #[serde(default, rename = "type", deserialize_with = "null_default")]
    pub kind: String,
    #[serde(default, deserialize_with = "null_default")]
    pub description: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct EventsPage {
    #[serde(default)]
    pub count: u64,
    #[serde(default)]
    pub events: Vec<Event>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Version {
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub capabilities: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Whoami {
    pub username: String,
    #[serde(default)]
    pub is_superuser: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Zone {
    pub id: u64,
    pub name: String,
    #[serde(default, deserialize_with = "null_default")]
    pub description: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Tag {
    pub name: String,
    #[serde(default, deserialize_with = "null_default")]
    pub definition: String,
    #[serde(default, deserialize_with = "null_default")]
    pub comment: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct BootResource {
    pub id: u64,
    #[serde(default, rename = "type", deserialize_with = "null_default")]
    pub kind: String,
    pub name: String,
    #[serde(default, deserialize_with = "null_default")]
    pub architecture: String,
    /// `Ubuntu 22.04 LTS`; absent on older regions and on bootloaders.
    #[serde(default, deserialize_with = "null_default")]
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PowerState {
    pub state: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_absent_or_null_are_tolerated() {
        let machine: Machine = serde_json::from_str(
            r#"{"system_id": "g8xyqs", "hostname": "causal-quagga", "status": 4, "memory": 8192,
                "zone": {"id": 2, "name": "zone-north", "description": "x", "resource_uri": "/MAAS/api/2.0/zones/zone-north/"},
                "owner_data": {"ingot": "alc_1"}, "interface_set": [{"name": "eth0", "vendor": null, "link_speed": 1000}]}"#,
        )
        .unwrap();
        assert_eq!(
            (machine.memory, machine.zone.name.as_str()),
            (8_192, "zone-north")
        );
        assert_eq!(machine.annotation("ingot"), Some("alc_1"));
        let sparse: Machine = serde_json::from_str(
            r#"{"system_id": "abc123", "status_message": null, "owner": null, "tag_names": null}"#,
        )
        .unwrap();
        assert_eq!((sparse.status, sparse.status_message.as_str()), (0, ""));
        let events: EventsPage = serde_json::from_str(
            r#"{"count": 1, "events": [{"username": "admin", "node": "g8xyqs", "hostname": "node1", "id": 1667,
                "level": "INFO", "created": "Fri, 07 Dec. 2018 20:11:08", "type": "Deploying", "description": ""}],
                "next_uri": "/MAAS/api/2.0/events/?op=query&after=1667", "prev_uri": null}"#,
        )
        .unwrap();
        assert_eq!(events.events[0].kind, "Deploying");
    }
}
