//! Seeded fleets: machines with the hardware of real GPU and CPU servers, deterministic per seed.

use std::collections::BTreeMap;

use crate::status::Status;

/// A small deterministic generator: the same seed builds the same fleet.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `0..below`.
    pub fn below(&mut self, below: u64) -> u64 {
        self.next_u64() % below.max(1)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        // 53 random bits → [0, 1).
        let unit = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        unit < p
    }
}

/// MAAS's system_id alphabet.
const SYSTEM_ID_ALPHABET: &[u8] = b"34678abcdefghkmnpqrstwxy";

pub fn system_id(rng: &mut Rng) -> String {
    (0..6)
        .map(|_| {
            let i = usize::try_from(rng.below(SYSTEM_ID_ALPHABET.len() as u64)).unwrap_or(0);
            char::from(SYSTEM_ID_ALPHABET[i])
        })
        .collect()
}

/// A PCI device as `nodes/{sid}/devices/` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PciDevice {
    /// 5 GPU, 4 Network, 3 Storage.
    pub hardware_type: u8,
    pub vendor_id: &'static str,
    pub product_id: &'static str,
    pub vendor_name: &'static str,
    pub product_name: &'static str,
    pub commissioning_driver: &'static str,
    pub numa_node: u32,
    pub pci_address: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nic {
    pub name: String,
    pub mac: String,
    /// Mbit/s.
    pub speed: u64,
    pub vendor: &'static str,
    pub product: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockDevice {
    pub name: String,
    pub model: &'static str,
    pub serial: String,
    pub size_bytes: u64,
}

/// What commissioning finds in a machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hardware {
    pub kind: &'static str,
    pub cpu_count: u32,
    pub cpu_speed_mhz: u32,
    pub cpu_model: &'static str,
    pub memory_mib: u64,
    pub system_vendor: &'static str,
    pub system_product: &'static str,
    pub nics: Vec<Nic>,
    pub disks: Vec<BlockDevice>,
    pub devices: Vec<PciDevice>,
    pub numa_nodes: u32,
}

/// One simulated machine.
#[derive(Debug, Clone)]
pub struct Machine {
    pub id: u64,
    pub system_id: String,
    pub hostname: String,
    pub status: Status,
    /// Where a failed or broken machine returns to (`mark_fixed`), and the status before rescue.
    pub previous_status: Status,
    pub owner: Option<String>,
    pub agent_name: String,
    pub locked: bool,
    pub power_state: &'static str,
    pub power_type: &'static str,
    pub osystem: String,
    pub distro_series: String,
    pub hwe_kernel: Option<String>,
    pub user_data: Option<String>,
    pub owner_data: BTreeMap<String, String>,
    pub error_description: String,
    pub zone: String,
    pub pool: String,
    pub tags: Vec<String>,
    pub hardware: Hardware,
    /// Commissioned at least once (a release of a never-commissioned machine ends in NEW).
    pub commissioned: bool,
    /// The address it gets when deployed.
    pub ip: String,
    pub deployed_ip: bool,
    pub serial: String,
}

fn mac(rng: &mut Rng) -> String {
    let b = rng.next_u64().to_be_bytes();
    format!("52:54:{:02x}:{:02x}:{:02x}:{:02x}", b[0], b[1], b[2], b[3])
}

fn serial(rng: &mut Rng, prefix: &str) -> String {
    format!("{prefix}{:010}", rng.below(10_000_000_000))
}

const NVIDIA: &str = "10de";
const MELLANOX: &str = "15b3";

fn gpus(count: u32, product_id: &'static str, product_name: &'static str) -> Vec<PciDevice> {
    (0..count)
        .map(|i| PciDevice {
            hardware_type: 5,
            vendor_id: NVIDIA,
            product_id,
            vendor_name: "NVIDIA Corporation",
            product_name,
            commissioning_driver: "nvidia",
            numa_node: i / 4,
            pci_address: format!("0000:{:02x}:00.0", 0x18 + i * 0x10),
        })
        .collect()
}

fn infiniband(count: u32, product_id: &'static str, product_name: &'static str) -> Vec<PciDevice> {
    (0..count)
        .map(|i| PciDevice {
            hardware_type: 4,
            vendor_id: MELLANOX,
            product_id,
            vendor_name: "Mellanox Technologies",
            product_name,
            commissioning_driver: "mlx5_core",
            numa_node: i / 4,
            pci_address: format!("0000:{:02x}:00.0", 0x19 + i * 0x10),
        })
        .collect()
}

fn nvme(rng: &mut Rng, count: u32, size_bytes: u64, model: &'static str) -> Vec<BlockDevice> {
    (0..count)
        .map(|i| BlockDevice {
            name: format!("nvme{i}n1"),
            model,
            serial: serial(rng, "S6"),
            size_bytes,
        })
        .collect()
}

fn ethernet(rng: &mut Rng, speed: u64) -> Vec<Nic> {
    vec![
        Nic {
            name: "eno1".into(),
            mac: mac(rng),
            speed: 1_000,
            vendor: "Intel Corporation",
            product: "I350 Gigabit Network Connection",
        },
        Nic {
            name: "enp1s0f0".into(),
            mac: mac(rng),
            speed,
            vendor: "Mellanox Technologies",
            product: "MT2892 Family [ConnectX-6 Dx]",
        },
    ]
}

/// The hardware of the `index`-th machine of a fleet: one H100 box in four, one A100 box in
/// four, the rest CPU servers.
pub fn hardware(rng: &mut Rng, index: usize) -> Hardware {
    match index % 4 {
        0 => {
            let mut devices = gpus(8, "2330", "GH100 [H100 SXM5 80GB]");
            devices.extend(infiniband(8, "1021", "MT2910 Family [ConnectX-7]"));
            Hardware {
                kind: "gpu-h100",
                cpu_count: 224,
                cpu_speed_mhz: 2_000,
                cpu_model: "Intel(R) Xeon(R) Platinum 8480+",
                memory_mib: 2 * 1_024 * 1_024,
                system_vendor: "Supermicro",
                system_product: "SYS-821GE-TNHR",
                nics: ethernet(rng, 100_000),
                disks: nvme(rng, 8, 3_840_000_000_000, "SAMSUNG MZWLR3T8HCLS-00A07"),
                devices,
                numa_nodes: 2,
            }
        }
        1 => {
            let mut devices = gpus(8, "20b2", "GA100 [A100 SXM4 80GB]");
            devices.extend(infiniband(8, "101b", "MT28908 Family [ConnectX-6]"));
            Hardware {
                kind: "gpu-a100",
                cpu_count: 256,
                cpu_speed_mhz: 2_450,
                cpu_model: "AMD EPYC 7763 64-Core Processor",
                memory_mib: 2 * 1_024 * 1_024,
                system_vendor: "NVIDIA",
                system_product: "DGXA100 920-23687-2530-000",
                nics: ethernet(rng, 100_000),
                disks: nvme(rng, 4, 3_840_000_000_000, "SAMSUNG MZWLJ3T8HBLS-00007"),
                devices,
                numa_nodes: 8,
            }
        }
        _ => Hardware {
            kind: "cpu",
            cpu_count: 128,
            cpu_speed_mhz: 2_800,
            cpu_model: "AMD EPYC 7543 32-Core Processor",
            memory_mib: 512 * 1_024,
            system_vendor: "Dell Inc.",
            system_product: "PowerEdge R7525",
            nics: ethernet(rng, 25_000),
            disks: nvme(rng, 2, 1_920_000_000_000, "Dell Ent NVMe P5600 MU U.2 1.6TB"),
            devices: Vec::new(),
            numa_nodes: 2,
        },
    }
}

/// A seeded machine. `rack` and `fabric` become tags, as operators tag machines in MAAS.
pub fn machine(rng: &mut Rng, id: u64, index: usize, status: Status) -> Machine {
    let hardware = hardware(rng, index);
    let rack = index / 8 + 1;
    let unit = index % 8 + 1;
    let hostname = format!("{}-r{rack:02}-u{unit:02}", hardware.kind);
    let mut tags = vec![format!("rack-r{rack:02}")];
    if hardware.kind.starts_with("gpu") {
        tags.push(format!("fabric-ib{}", index / 16 + 1));
        tags.push("gpu".into());
    }
    let ip = format!(
        "10.{}.{}.{}",
        20 + index / 65_000,
        (index / 250) % 250,
        index % 250 + 2
    );
    Machine {
        id,
        system_id: system_id(rng),
        hostname,
        status,
        previous_status: status,
        owner: None,
        agent_name: String::new(),
        locked: false,
        power_state: "off",
        power_type: "ipmi",
        osystem: String::new(),
        distro_series: String::new(),
        hwe_kernel: None,
        user_data: None,
        owner_data: BTreeMap::new(),
        error_description: String::new(),
        zone: "default".into(),
        pool: "default".into(),
        tags,
        commissioned: status != Status::New,
        ip,
        deployed_ip: false,
        serial: serial(rng, "SN"),
        hardware,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_builds_the_same_fleet() {
        let build = |seed| {
            let mut rng = Rng::new(seed);
            (0..12)
                .map(|i| machine(&mut rng, i as u64, i, Status::Ready))
                .map(|m| (m.system_id, m.hostname, m.hardware.nics[0].mac.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(build(7), build(7));
        assert_ne!(build(7), build(8));
        let ids = build(7);
        assert!(
            ids.iter()
                .all(|(sid, ..)| sid.len() == 6 && sid.bytes().all(|b| SYSTEM_ID_ALPHABET.contains(&b)))
        );
    }
}
