//! From what MAAS commissioning found to Inventory's generic hardware facts and placement.
//!
//! Conventions, since MAAS has no words for some of it:
//! * cores: MAAS's `cpu_count`, the logical CPUs commissioning counted. MAAS does not report
//!   sockets; two are assumed above 64 logical CPUs, else one.
//! * GPUs: PCI devices of hardware type GPU, grouped by product; the model is the bracketed
//!   marketing name with spaces as dashes (`GH100 [H100 SXM5 80GB]` → `H100-SXM5-80GB`) and the
//!   memory is read from its trailing `NNGB`.
//! * InfiniBand: a Mellanox ConnectX network device that is not an Ethernet-only `Dx`/`Lx` part.
//! * Placement: operators tag machines `rack-<name>` and `fabric-<name>` in MAAS.

use std::collections::BTreeMap;

use ingot_contracts::inventory::{
    Cpu, Disk, DiskKind, Gpu, HardwareFacts, Interconnect, Nic, NodeRegistration, Placement,
};

use crate::client::wire::{Device, Machine, hardware_type};

fn gpu_model(product_name: &str) -> String {
    let name = product_name
        .split_once('[')
        .and_then(|(_, rest)| rest.split_once(']'))
        .map_or(product_name, |(inside, _)| inside);
    name.split_whitespace().collect::<Vec<_>>().join("-")
}

fn gpu_memory_mib(model: &str) -> u64 {
    model
        .rsplit('-')
        .next()
        .and_then(|last| last.strip_suffix("GB"))
        .and_then(|n| n.parse::<u64>().ok())
        .map_or(0, |gb| gb * 1_024)
}

pub fn hardware_facts(machine: &Machine, devices: &[Device]) -> HardwareFacts {
    let mut gpus: BTreeMap<String, u32> = BTreeMap::new();
    for device in devices.iter().filter(|d| d.hardware_type == hardware_type::GPU) {
        *gpus.entry(gpu_model(&device.product_name)).or_default() += 1;
    }
    let infiniband = devices.iter().any(|d| {
        d.hardware_type == hardware_type::NETWORK
            && d.vendor_id == "15b3"
            && d.product_name.contains("ConnectX")
            && !d.product_name.contains(" Dx")
            && !d.product_name.contains(" Lx")
    });
    HardwareFacts {
        cpu: Cpu {
            model: machine
                .hardware_info
                .get("cpu_model")
                .filter(|m| *m != "Unknown")
                .cloned()
                .unwrap_or_else(|| "unknown".into()),
            sockets: if machine.cpu_count > 64 { 2 } else { 1 },
            cores: machine.cpu_count,
        },
        ram_mib: machine.memory,
        gpus: gpus
            .into_iter()
            .map(|(model, count)| Gpu {
                memory_mib: gpu_memory_mib(&model),
                model,
                count,
            })
            .collect(),
        nics: machine
            .interface_set
            .iter()
            .filter(|i| i.link_speed > 0)
            .map(|i| Nic {
                speed_gbps: u32::try_from(i.link_speed / 1_000).unwrap_or(u32::MAX).max(1),
            })
            .collect(),
        disks: machine
            .physicalblockdevice_set
            .iter()
            .map(|d| Disk {
                size_gib: d.size / (1 << 30),
                kind: if d.name.starts_with("nvme") {
                    DiskKind::Nvme
                } else if d.model.to_ascii_lowercase().contains("ssd") {
                    DiskKind::Ssd
                } else {
                    DiskKind::Hdd
                },
            })
            .collect(),
        interconnects: if infiniband {
            vec![Interconnect::Infiniband]
        } else {
            Vec::new()
        },
    }
}

/// What Inventory is told of a machine: keyed by its system id, so telling it twice updates it.
pub fn registration(
    site_id: ingot_kernel::id::SiteId,
    machine: &Machine,
    devices: &[Device],
) -> NodeRegistration {
    NodeRegistration {
        site_id,
        source_ref: format!("maas:{}", machine.system_id),
        hostname: machine.hostname.clone(),
        facts: hardware_facts(machine, devices),
        placement: placement(machine),
    }
}

pub fn placement(machine: &Machine) -> Placement {
    let tagged = |prefix: &str| {
        machine
            .tag_names
            .iter()
            .find_map(|t| t.strip_prefix(prefix).map(str::to_string))
    };
    Placement {
        rack: tagged("rack-"),
        position: None,
        fabric_group: tagged("fabric-"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::wire::{BlockDevice, Interface};

    fn device(hardware_type: u8, vendor_id: &str, product_name: &str) -> Device {
        Device {
            hardware_type,
            vendor_id: vendor_id.into(),
            product_name: product_name.into(),
            ..Device::default()
        }
    }

    #[test]
    fn an_h100_box_reads_as_eight_h100s_on_infiniband_in_its_rack_and_fabric() {
        let mut machine = Machine {
            cpu_count: 224,
            memory: 2 * 1_024 * 1_024,
            tag_names: vec!["rack-r03".into(), "fabric-ib2".into(), "gpu".into()],
            ..Machine::default()
        };
        machine
            .hardware_info
            .insert("cpu_model".into(), "Intel(R) Xeon(R) Platinum 8480+".into());
        machine.interface_set = vec![Interface {
            name: "eno1".into(),
            link_speed: 100_000,
            ..Interface::default()
        }];
        machine.physicalblockdevice_set = (0..8)
            .map(|i| BlockDevice {
                name: format!("nvme{i}n1"),
                size: 3_840_000_000_000,
                ..BlockDevice::default()
            })
            .collect();
        let mut devices: Vec<Device> = (0..8)
            .map(|_| device(5, "10de", "GH100 [H100 SXM5 80GB]"))
            .collect();
        devices.push(device(4, "15b3", "MT2910 Family [ConnectX-7]"));
        let facts = hardware_facts(&machine, &devices);
        assert_eq!(facts.gpu_model(), Some("H100-SXM5-80GB"));
        assert_eq!((facts.gpu_count(), facts.gpus[0].memory_mib), (8, 80 * 1_024));
        assert_eq!(facts.interconnects, [Interconnect::Infiniband]);
        assert_eq!((facts.cpu.cores, facts.ram_mib), (224, 2 * 1_024 * 1_024));
        assert_eq!(facts.storage_gib(), 8 * (3_840_000_000_000 / (1 << 30)));
        assert_eq!(facts.nics[0].speed_gbps, 100);
        let place = placement(&machine);
        assert_eq!(
            (place.rack.as_deref(), place.fabric_group.as_deref()),
            (Some("r03"), Some("ib2"))
        );
    }

    #[test]
    fn ethernet_only_connectx_is_not_infiniband_and_no_gpu_means_none() {
        let machine = Machine {
            cpu_count: 128,
            ..Machine::default()
        };
        let facts = hardware_facts(&machine, &[device(4, "15b3", "MT2892 Family [ConnectX-6 Dx]")]);
        assert!(facts.interconnects.is_empty());
        assert!(facts.gpus.is_empty());
        assert_eq!(facts.cpu.model, "unknown");
    }
}
