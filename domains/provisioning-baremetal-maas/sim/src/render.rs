//! JSON as MAAS renders it: every field of a machine present (Juju-style clients insist on a
//! minimum set), interfaces, block devices, PCI devices, events, zones, pools, tags, images.

use ingot_kernel::Timestamp;
use serde_json::{Value, json};

use crate::fleet::{Machine, PciDevice};
use crate::state::{Event, State};

const API: &str = "/MAAS/api/2.0";

fn zone(state: &State, name: &str) -> Value {
    let (id, description) = state
        .zones
        .iter()
        .find(|(_, n, _)| n == name)
        .map(|(id, _, d)| (*id, d.clone()))
        .unwrap_or((1, String::new()));
    json!({"id": id, "name": name, "description": description, "resource_uri": format!("{API}/zones/{name}/")})
}

pub fn zone_of(id: u64, name: &str, description: &str) -> Value {
    json!({"id": id, "name": name, "description": description, "resource_uri": format!("{API}/zones/{name}/")})
}

pub fn pool_of(id: u64, name: &str, description: &str) -> Value {
    json!({"id": id, "name": name, "description": description, "resource_uri": format!("{API}/resourcepool/{id}/")})
}

fn pool(state: &State, name: &str) -> Value {
    state
        .pools
        .iter()
        .find(|(_, n, _)| n == name)
        .map_or_else(|| pool_of(0, name, ""), |(id, n, d)| pool_of(*id, n, d))
}

fn vlan() -> Value {
    json!({
        "id": 5001, "vid": 0, "name": "untagged", "fabric": "fabric-0", "fabric_id": 0, "mtu": 1500,
        "dhcp_on": true, "external_dhcp": null, "relay_vlan": null, "primary_rack": "rack01",
        "secondary_rack": null, "space": "undefined", "resource_uri": format!("{API}/vlans/5001/")
    })
}

fn interfaces(m: &Machine) -> Vec<Value> {
    m.hardware
        .nics
        .iter()
        .enumerate()
        .map(|(i, nic)| {
            let id = m.id * 100 + i as u64;
            let links = if i == 0 {
                let mut link = json!({"id": id, "mode": "auto", "subnet": {
                    "id": 1, "name": "10.0.0.0/8", "cidr": "10.0.0.0/8", "vlan": vlan(), "space": "undefined",
                    "gateway_ip": "10.0.0.1", "dns_servers": [], "resource_uri": format!("{API}/subnets/1/")
                }});
                if m.deployed_ip {
                    link["ip_address"] = json!(m.ip);
                }
                vec![link]
            } else {
                Vec::new()
            };
            json!({
                "id": id, "name": nic.name, "type": "physical", "mac_address": nic.mac, "enabled": true,
                "vlan": vlan(), "links": links, "discovered": null, "parents": [], "children": [], "tags": [],
                "params": "", "effective_mtu": 1500, "vendor": nic.vendor, "product": nic.product,
                "firmware_version": "1.0", "link_connected": true, "interface_speed": nic.speed,
                "link_speed": nic.speed, "numa_node": 0, "sriov_max_vf": 0, "system_id": m.system_id,
                "resource_uri": format!("{API}/nodes/{}/interfaces/{id}/", m.system_id)
            })
        })
        .collect()
}

fn block_devices(m: &Machine) -> Vec<Value> {
    m.hardware
        .disks
        .iter()
        .enumerate()
        .map(|(i, disk)| {
            let id = m.id * 100 + i as u64;
            json!({
                "id": id, "name": disk.name, "path": format!("/dev/disk/by-dname/{}", disk.name),
                "model": disk.model, "serial": disk.serial, "id_path": format!("/dev/disk/by-id/nvme-{}", disk.serial),
                "size": disk.size_bytes, "block_size": 4096, "available_size": disk.size_bytes, "used_size": 0,
                "used_for": "Unused", "tags": ["ssd", "nvme"], "type": "physical", "uuid": null,
                "filesystem": null, "partitions": [], "partition_table_type": null, "storage_pool": null,
                "numa_node": 0, "firmware_version": "GDC7302Q", "system_id": m.system_id,
                "resource_uri": format!("{API}/nodes/{}/blockdevices/{id}/", m.system_id)
            })
        })
        .collect()
}

pub fn device(m: &Machine, index: usize, d: &PciDevice) -> Value {
    let names = ["Node", "CPU", "Memory", "Storage", "Network", "GPU"];
    json!({
        "id": m.id * 1_000 + index as u64, "bus": 1, "bus_name": "PCIE", "hardware_type": d.hardware_type,
        "hardware_type_name": names.get(usize::from(d.hardware_type)).copied().unwrap_or("Node"),
        "system_id": m.system_id, "numa_node": d.numa_node, "physical_blockdevice": null,
        "physical_interface": null, "vendor_id": d.vendor_id, "product_id": d.product_id,
        "vendor_name": d.vendor_name, "product_name": d.product_name,
        "commissioning_driver": d.commissioning_driver, "bus_number": index, "device_number": 0,
        "pci_address": d.pci_address,
        "resource_uri": format!("{API}/nodes/{}/devices/{}/", m.system_id, m.id * 1_000 + index as u64)
    })
}

fn script_status(m: &Machine) -> (i64, &'static str) {
    if m.commissioned {
        (2, "Passed")
    } else {
        (-1, "Unknown")
    }
}

pub fn machine(state: &State, m: &Machine) -> Value {
    let interfaces = interfaces(m);
    let blocks = block_devices(m);
    let storage_mb: f64 = m.hardware.disks.iter().map(|d| d.size_bytes as f64 / 1e6).sum();
    let (script, script_name) = script_status(m);
    let message = state.status_message(&m.system_id);
    let ip_addresses: Vec<&str> = if m.deployed_ip {
        vec![m.ip.as_str()]
    } else {
        Vec::new()
    };
    let hw = &m.hardware;
    let commissioned = m.commissioned;
    let unknown = |known: &str| {
        if commissioned {
            known.to_string()
        } else {
            "Unknown".to_string()
        }
    };
    let numa: Vec<Value> = (0..hw.numa_nodes)
        .map(|i| {
            let per = hw.cpu_count / hw.numa_nodes.max(1);
            json!({"index": i, "cores": (i * per..(i + 1) * per).collect::<Vec<u32>>(),
                   "memory": hw.memory_mib / u64::from(hw.numa_nodes.max(1)), "hugepages_set": []})
        })
        .collect();
    json!({
        "system_id": m.system_id,
        "resource_uri": format!("{API}/machines/{}/", m.system_id),
        "hostname": m.hostname,
        "fqdn": format!("{}.maas", m.hostname),
        "description": "",
        "domain": {"id": 0, "name": "maas", "ttl": null, "authoritative": true, "resource_record_count": 0,
                   "is_default": true, "resource_uri": format!("{API}/domains/0/")},
        "status": m.status.code(),
        "status_name": m.status.label(),
        "status_message": message,
        "status_action": message.as_ref().map(|_| ""),
        "error_description": m.error_description,
        "owner": m.owner,
        "owner_data": m.owner_data,
        "workload_annotations": m.owner_data,
        "locked": m.locked,
        "architecture": if commissioned { "amd64/generic" } else { "" },
        "min_hwe_kernel": null,
        "hwe_kernel": m.hwe_kernel,
        "osystem": m.osystem,
        "distro_series": m.distro_series,
        "cpu_count": if commissioned { hw.cpu_count } else { 0 },
        "cpu_speed": if commissioned { hw.cpu_speed_mhz } else { 0 },
        "memory": if commissioned { hw.memory_mib } else { 0 },
        "swap_size": null,
        "storage": if commissioned { storage_mb } else { 0.0 },
        "power_type": m.power_type,
        "power_state": m.power_state,
        "netboot": !m.status.owned() || m.osystem.is_empty(),
        "ephemeral_deploy": false,
        "enable_hw_sync": false,
        "enable_kernel_crash_dump": false,
        "is_dpu": false,
        "last_sync": null,
        "next_sync": null,
        "sync_interval": null,
        "bios_boot_method": "uefi",
        "hardware_uuid": format!("{:08x}-0000-4000-8000-{:012x}", m.id, m.id),
        "tag_names": m.tags,
        "zone": zone(state, &m.zone),
        "pool": pool(state, &m.pool),
        "ip_addresses": ip_addresses,
        "boot_interface": interfaces.first().cloned().unwrap_or(Value::Null),
        "interface_set": interfaces,
        "default_gateways": {"ipv4": {"gateway_ip": null, "link_id": null}, "ipv6": {"gateway_ip": null, "link_id": null}},
        "boot_disk": blocks.first().cloned().unwrap_or(Value::Null),
        "blockdevice_set": blocks,
        "physicalblockdevice_set": blocks,
        "virtualblockdevice_set": [],
        "volume_groups": [],
        "raids": [],
        "bcaches": [],
        "cache_sets": [],
        "special_filesystems": [],
        "numanode_set": numa,
        "hardware_info": {
            "system_vendor": unknown(hw.system_vendor), "system_product": unknown(hw.system_product),
            "system_family": "Unknown", "system_version": "Unknown", "system_sku": "Unknown",
            "system_serial": unknown(&m.serial), "cpu_model": unknown(hw.cpu_model),
            "mainboard_vendor": unknown(hw.system_vendor), "mainboard_product": "Unknown",
            "mainboard_serial": "Unknown", "mainboard_version": "Unknown",
            "mainboard_firmware_vendor": "Unknown", "mainboard_firmware_date": "Unknown",
            "mainboard_firmware_version": "Unknown", "chassis_vendor": unknown(hw.system_vendor),
            "chassis_type": "Rack Mount Chassis", "chassis_serial": "Unknown", "chassis_version": "Unknown"
        },
        "node_type": 0,
        "node_type_name": "Machine",
        "parent": null,
        "address_ttl": null,
        "disable_ipv4": false,
        "current_commissioning_result_id": if commissioned { Some(m.id) } else { None },
        "current_testing_result_id": null,
        "current_installation_result_id": null,
        "commissioning_status": script, "commissioning_status_name": script_name,
        "testing_status": script, "testing_status_name": script_name,
        "cpu_test_status": script, "cpu_test_status_name": script_name,
        "memory_test_status": script, "memory_test_status_name": script_name,
        "network_test_status": script, "network_test_status_name": script_name,
        "storage_test_status": script, "storage_test_status_name": script_name,
        "other_test_status": -1, "other_test_status_name": "Unknown",
        "interface_test_status": -1, "interface_test_status_name": "Unknown"
    })
}

/// `created` as MAAS formats it: `Fri, 07 Dec. 2018 20:11:08`.
pub fn maas_time(at: Timestamp) -> String {
    let secs = at.as_micros().div_euclid(1_000_000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let weekday =
        ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][usize::try_from(days.rem_euclid(7)).unwrap_or(0)];
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{weekday}, {day:02} {}. {year} {:02}:{:02}:{:02}",
        months[usize::try_from(month - 1).unwrap_or(0)],
        rem / 3_600,
        rem % 3_600 / 60,
        rem % 60
    )
}

pub fn event(e: &Event) -> Value {
    json!({
        "username": if e.username.is_empty() { "unknown" } else { e.username.as_str() },
        "node": e.system_id, "hostname": e.hostname, "id": e.id, "level": e.level.name(),
        "created": maas_time(e.at), "type": e.kind, "description": e.description
    })
}

pub fn tag(name: &str, definition: &str) -> Value {
    json!({"name": name, "definition": definition, "comment": "", "kernel_opts": "",
           "resource_uri": format!("{API}/tags/{name}/")})
}

pub fn boot_resources() -> Value {
    let image = |id: u64, name: &str, arch: &str, title: &str| {
        json!({"id": id, "type": "Synced", "name": name, "architecture": arch, "title": title,
               "resource_uri": format!("{API}/boot-resources/{id}/")})
    };
    json!([
        image(1, "grub-efi-signed/uefi", "amd64/generic", ""),
        image(2, "pxelinux/pxe", "i386/generic", ""),
        image(7, "ubuntu/jammy", "amd64/ga-22.04", "Ubuntu 22.04 LTS"),
        image(8, "ubuntu/noble", "amd64/ga-24.04", "Ubuntu 24.04 LTS"),
        image(9, "ubuntu/noble", "arm64/ga-24.04", "Ubuntu 24.04 LTS")
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_render_as_maas_does() {
        // 2018-12-07 20:11:08 UTC, a Friday (the reference's sample event).
        assert_eq!(
            maas_time(Timestamp::from_secs(1_544_213_468)),
            "Fri, 07 Dec. 2018 20:11:08"
        );
    }
}
