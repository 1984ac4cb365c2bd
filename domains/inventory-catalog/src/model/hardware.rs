//! What a node is made of and where it sits, and what is wrong with it. Units are in the names.

use ingot_kernel::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cpu {
    pub model: String,
    pub sockets: u32,
    /// Physical cores across all sockets.
    pub cores: u32,
}

/// A kind of GPU fitted `count` times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gpu {
    /// Normalised model name, such as `H100-SXM5-80GB`.
    pub model: String,
    pub count: u32,
    pub memory_mib: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nic {
    pub speed_gbps: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiskKind {
    Nvme,
    Ssd,
    Hdd,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disk {
    pub size_gib: u64,
    pub kind: DiskKind,
}

/// A high-speed fabric a node is wired into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Interconnect {
    Infiniband,
    Roce,
    Nvlink,
}

/// A node's hardware, as discovered (by MAAS commissioning, or an operator's import).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HardwareFacts {
    pub cpu: Cpu,
    pub ram_mib: u64,
    #[serde(default)]
    pub gpus: Vec<Gpu>,
    #[serde(default)]
    pub nics: Vec<Nic>,
    #[serde(default)]
    pub disks: Vec<Disk>,
    #[serde(default)]
    pub interconnects: Vec<Interconnect>,
}

impl HardwareFacts {
    pub fn gpu_count(&self) -> u32 {
        self.gpus.iter().map(|g| g.count).sum()
    }

    pub fn storage_gib(&self) -> u64 {
        self.disks.iter().map(|d| d.size_gib).sum()
    }

    /// The single GPU model fitted, if exactly one kind is.
    pub fn gpu_model(&self) -> Option<&str> {
        match self.gpus.as_slice() {
            [only] => Some(only.model.as_str()),
            _ => None,
        }
    }
}

/// Where a node sits: site, rack and position, and the fabric group (an NVLink or InfiniBand
/// domain) that decides which nodes can form one cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topology {
    pub site: String,
    pub rack: Option<String>,
    pub position: Option<u32>,
    pub fabric_group: Option<String>,
}

/// What a health condition means for operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthAction {
    /// The node must not be handed out while this holds.
    PreventsAllocation,
    /// Expected during maintenance: do not page for it.
    SuppressesAlerting,
    /// Worth showing, changes nothing.
    Informational,
}

/// Something observed about a node's health. Separate from its lifecycle state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthCondition {
    /// `gpu_xid_error`, `ib_link_down`, `power_drift`…
    pub kind: String,
    pub action: HealthAction,
    /// Who reported it: `maas`, `reconciler`, `operator:usr_…`.
    pub source: String,
    pub since: Timestamp,
}
