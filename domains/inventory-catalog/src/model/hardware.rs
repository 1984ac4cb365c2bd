//! What a node is made of, where it sits and what is wrong with it. The data types are the
//! published language (`contracts::inventory`); the rules about them live in this model.

pub use ingot_contracts::inventory::{
    Cpu, Disk, DiskKind, Gpu, HardwareFacts, HealthAction, HealthCondition, Interconnect, Nic, Placement,
};
