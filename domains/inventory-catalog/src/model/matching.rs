//! SKUs as hardware constraints, and deterministic node→SKU matching. Machines are sold whole,
//! so a SKU names the exact GPU model and count; cores, RAM and storage are minimums. A node
//! matches the most demanding active SKU it satisfies; when two equally demanding SKUs fit, or
//! none does, the node is unmatched and the reasons say why.

use ingot_kernel::id::{NodeId, SkuId};
use serde::{Deserialize, Serialize};

use super::hardware::{HardwareFacts, Interconnect};

pub use ingot_contracts::inventory::SkuConstraints;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sku {
    pub id: SkuId,
    /// Stable, human name: `gpu-8x-h100`.
    pub name: String,
    pub description: String,
    pub active: bool,
    pub constraints: SkuConstraints,
}

/// One reason a node does not fit a SKU.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Mismatch {
    GpuModel {
        wanted: Option<String>,
        found: Option<String>,
    },
    GpuCount {
        wanted: u32,
        found: u32,
    },
    Cores {
        min: u32,
        found: u32,
    },
    Ram {
        min_mib: u64,
        found_mib: u64,
    },
    Storage {
        min_gib: u64,
        found_gib: u64,
    },
    Interconnect {
        wanted: Interconnect,
    },
}

/// Every constraint of `sku` that `facts` fails; empty when the node fits.
pub fn sku_mismatches(sku: &SkuConstraints, facts: &HardwareFacts) -> Vec<Mismatch> {
    let mut out = Vec::new();
    let found_model = facts.gpu_model();
    let model_ok = match &sku.gpu_model {
        None => facts.gpus.is_empty(),
        Some(wanted) => found_model == Some(wanted.as_str()),
    };
    if !model_ok {
        out.push(Mismatch::GpuModel {
            wanted: sku.gpu_model.clone(),
            found: found_model.map(str::to_string),
        });
    }
    if facts.gpu_count() != sku.gpu_count {
        out.push(Mismatch::GpuCount {
            wanted: sku.gpu_count,
            found: facts.gpu_count(),
        });
    }
    if facts.cpu.cores < sku.cores_min {
        out.push(Mismatch::Cores {
            min: sku.cores_min,
            found: facts.cpu.cores,
        });
    }
    if facts.ram_mib < sku.ram_min_mib {
        out.push(Mismatch::Ram {
            min_mib: sku.ram_min_mib,
            found_mib: facts.ram_mib,
        });
    }
    if facts.storage_gib() < sku.storage_min_gib {
        out.push(Mismatch::Storage {
            min_gib: sku.storage_min_gib,
            found_gib: facts.storage_gib(),
        });
    }
    if let Some(wanted) = sku.interconnect.filter(|i| !facts.interconnects.contains(i)) {
        out.push(Mismatch::Interconnect { wanted });
    }
    out
}

/// How demanding a SKU is, for picking among several that fit: GPUs, then interconnect, then
/// RAM, cores and storage.
fn demand(sku: &SkuConstraints) -> (u32, bool, u64, u32, u64) {
    (
        sku.gpu_count,
        sku.interconnect.is_some(),
        sku.ram_min_mib,
        sku.cores_min,
        sku.storage_min_gib,
    )
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum MatchOutcome {
    Matched {
        sku_id: SkuId,
    },
    /// No active SKU fits (reasons per SKU), or two equally demanding ones do.
    Unmatched {
        reasons: Vec<String>,
    },
}

/// The one active SKU `facts` fits best, or why there is none: `Err(None)` when nothing fits,
/// `Err(Some((a, b)))` when `a` and `b` (first by name) fit equally well.
fn sku_pick<'a>(facts: &HardwareFacts, skus: &'a [Sku]) -> Result<&'a Sku, Option<(&'a Sku, &'a Sku)>> {
    let mut fitting: Vec<&Sku> = skus
        .iter()
        .filter(|s| s.active && sku_mismatches(&s.constraints, facts).is_empty())
        .collect();
    fitting.sort_by(|a, b| {
        demand(&b.constraints)
            .cmp(&demand(&a.constraints))
            .then(a.name.cmp(&b.name))
    });
    match fitting.as_slice() {
        [] => Err(None),
        [first, second, ..] if demand(&first.constraints) == demand(&second.constraints) => {
            Err(Some((first, second)))
        }
        [first, ..] => Ok(first),
    }
}

/// The SKU `facts` is sold as, among the active `skus`, or why none.
pub fn sku_match(facts: &HardwareFacts, skus: &[Sku]) -> MatchOutcome {
    match sku_pick(facts, skus) {
        Ok(sku) => MatchOutcome::Matched { sku_id: sku.id },
        Err(Some((a, b))) => MatchOutcome::Unmatched {
            reasons: vec![format!(
                "ambiguous: {} and {} fit equally; make their constraints differ",
                a.name, b.name
            )],
        },
        Err(None) => {
            let mut reasons: Vec<String> = skus
                .iter()
                .filter(|s| s.active)
                .map(|s| format!("{}: {}", s.name, describe(&sku_mismatches(&s.constraints, facts))))
                .collect();
            if reasons.is_empty() {
                reasons.push("no active SKU".into());
            }
            MatchOutcome::Unmatched { reasons }
        }
    }
}

fn describe(mismatches: &[Mismatch]) -> String {
    mismatches
        .iter()
        .map(|m| match m {
            Mismatch::GpuModel { wanted, found } => format!(
                "gpu model {} (wanted {})",
                found.as_deref().unwrap_or("none/mixed"),
                wanted.as_deref().unwrap_or("none")
            ),
            Mismatch::GpuCount { wanted, found } => format!("{found} GPUs (wanted {wanted})"),
            Mismatch::Cores { min, found } => format!("{found} cores (min {min})"),
            Mismatch::Ram { min_mib, found_mib } => format!("{found_mib} MiB RAM (min {min_mib})"),
            Mismatch::Storage { min_gib, found_gib } => format!("{found_gib} GiB storage (min {min_gib})"),
            Mismatch::Interconnect { wanted } => format!("no {wanted:?} interconnect"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A node whose SKU changed when the catalog did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkuMove {
    pub node_id: NodeId,
    pub from: Option<SkuId>,
    pub to: Option<SkuId>,
}

/// Re-matches every node against `skus` and reports the nodes whose SKU changed.
/// `nodes` carries each node's facts and current SKU (`None` = unmatched).
pub fn fleet_rematch(nodes: &[(NodeId, HardwareFacts, Option<SkuId>)], skus: &[Sku]) -> Vec<SkuMove> {
    nodes
        .iter()
        .filter_map(|(node_id, facts, current)| {
            // Reasons are only worth their strings for nodes that end unmatched and moved; the
            // caller asks `sku_match` for those.
            let next = sku_pick(facts, skus).ok().map(|sku| sku.id);
            (next != *current).then_some(SkuMove {
                node_id: *node_id,
                from: *current,
                to: next,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::hardware::{Cpu, Disk, DiskKind, Gpu};

    const GIB: u64 = 1024;

    fn node(
        gpus: &[(&str, u32)],
        cores: u32,
        ram_gib: u64,
        storage_gib: u64,
        fabric: &[Interconnect],
    ) -> HardwareFacts {
        HardwareFacts {
            cpu: Cpu {
                model: "EPYC 9554".into(),
                sockets: 2,
                cores,
            },
            ram_mib: ram_gib * GIB,
            gpus: gpus
                .iter()
                .map(|(model, count)| Gpu {
                    model: (*model).into(),
                    count: *count,
                    memory_mib: 80 * GIB,
                })
                .collect(),
            nics: Vec::new(),
            disks: vec![Disk {
                size_gib: storage_gib,
                kind: DiskKind::Nvme,
            }],
            interconnects: fabric.to_vec(),
        }
    }

    fn sku(
        name: &str,
        gpu: Option<(&str, u32)>,
        cores_min: u32,
        ram_min_gib: u64,
        storage_min_gib: u64,
        interconnect: Option<Interconnect>,
    ) -> Sku {
        Sku {
            id: SkuId::generate(),
            name: name.into(),
            description: String::new(),
            active: true,
            constraints: SkuConstraints {
                gpu_model: gpu.map(|(m, _)| m.to_string()),
                gpu_count: gpu.map_or(0, |(_, c)| c),
                cores_min,
                ram_min_mib: ram_min_gib * GIB,
                storage_min_gib,
                interconnect,
            },
        }
    }

    fn catalog() -> Vec<Sku> {
        vec![
            sku(
                "gpu-8x-h100",
                Some(("H100", 8)),
                96,
                1_536,
                7_000,
                Some(Interconnect::Infiniband),
            ),
            sku("gpu-8x-h100-eth", Some(("H100", 8)), 96, 1_024, 7_000, None),
            sku("gpu-8x-a100", Some(("A100", 8)), 64, 1_024, 3_500, None),
            sku("cpu-64c", None, 64, 256, 1_000, None),
        ]
    }

    fn matched_name(outcome: &MatchOutcome, skus: &[Sku]) -> String {
        match outcome {
            MatchOutcome::Matched { sku_id } => skus.iter().find(|s| s.id == *sku_id).unwrap().name.clone(),
            MatchOutcome::Unmatched { reasons } => format!("unmatched: {}", reasons.join(" | ")),
        }
    }

    #[test]
    fn a_node_fitting_two_skus_gets_the_more_demanding_one() {
        let skus = catalog();
        let ib_node = node(&[("H100", 8)], 112, 2_048, 15_000, &[Interconnect::Infiniband]);
        assert_eq!(matched_name(&sku_match(&ib_node, &skus), &skus), "gpu-8x-h100");
        let eth_node = node(&[("H100", 8)], 112, 2_048, 15_000, &[]);
        assert_eq!(
            matched_name(&sku_match(&eth_node, &skus), &skus),
            "gpu-8x-h100-eth"
        );
    }

    #[test]
    fn boundaries_are_inclusive_minimums_and_exact_gpu_counts() {
        let skus = catalog();
        let at_min = node(&[("A100", 8)], 64, 1_024, 3_500, &[]);
        assert_eq!(matched_name(&sku_match(&at_min, &skus), &skus), "gpu-8x-a100");
        let one_under = HardwareFacts {
            ram_mib: 1_024 * GIB - 1,
            ..at_min.clone()
        };
        assert!(matches!(
            sku_match(&one_under, &skus),
            MatchOutcome::Unmatched { .. }
        ));
        let four_gpus = node(&[("A100", 4)], 64, 1_024, 3_500, &[]);
        assert!(
            matches!(sku_match(&four_gpus, &skus), MatchOutcome::Unmatched { .. }),
            "whole machines: 4 GPUs is not an 8-GPU SKU"
        );
        let cpu_with_gpu = node(&[("L4", 1)], 64, 512, 2_000, &[]);
        assert!(
            matches!(sku_match(&cpu_with_gpu, &skus), MatchOutcome::Unmatched { .. }),
            "CPU-only SKUs take no GPU"
        );
    }

    #[test]
    fn no_fit_lists_the_reasons_per_sku() {
        let skus = catalog();
        let small = node(&[], 32, 128, 500, &[]);
        let outcome = sku_match(&small, &skus);
        let MatchOutcome::Unmatched { reasons } = outcome else {
            panic!("should not match")
        };
        assert_eq!(reasons.len(), 4);
        assert!(
            reasons.iter().any(|r| r
                == "cpu-64c: 32 cores (min 64), 131072 MiB RAM (min 262144), 500 GiB storage (min 1000)"),
            "{reasons:?}"
        );
        let mixed = node(&[("H100", 4), ("A100", 4)], 128, 2_048, 20_000, &[]);
        let MatchOutcome::Unmatched { reasons } = sku_match(&mixed, &skus) else {
            panic!("mixed GPUs match nothing")
        };
        assert!(reasons[0].contains("gpu model none/mixed"), "{reasons:?}");
    }

    #[test]
    fn equally_demanding_skus_are_flagged_not_guessed() {
        let mut skus = catalog();
        skus.push(sku("cpu-64c-copy", None, 64, 256, 1_000, None));
        let cpu = node(&[], 64, 512, 2_000, &[]);
        let MatchOutcome::Unmatched { reasons } = sku_match(&cpu, &skus) else {
            panic!("ambiguous")
        };
        assert_eq!(
            reasons,
            ["ambiguous: cpu-64c and cpu-64c-copy fit equally; make their constraints differ"]
        );
        assert_eq!(
            sku_match(&cpu, &[]),
            MatchOutcome::Unmatched {
                reasons: vec!["no active SKU".into()]
            }
        );
    }

    #[test]
    fn inactive_skus_are_ignored_and_rematch_reports_moves() {
        let mut skus = catalog();
        let ib = NodeId::generate();
        let eth = NodeId::generate();
        let nodes = vec![
            (
                ib,
                node(&[("H100", 8)], 112, 2_048, 15_000, &[Interconnect::Infiniband]),
                Some(skus[0].id),
            ),
            (
                eth,
                node(&[("H100", 8)], 112, 2_048, 15_000, &[]),
                Some(skus[1].id),
            ),
        ];
        assert!(
            fleet_rematch(&nodes, &skus).is_empty(),
            "nothing moves when nothing changed"
        );
        skus[0].active = false;
        let moves = fleet_rematch(&nodes, &skus);
        assert_eq!(
            moves,
            [SkuMove {
                node_id: ib,
                from: Some(skus[0].id),
                to: Some(skus[1].id)
            }]
        );
        skus[1].active = false;
        assert_eq!(fleet_rematch(&nodes, &skus).len(), 2, "both fall to unmatched");
    }

    #[test]
    fn matching_is_deterministic_whatever_the_catalog_order() {
        let skus = catalog();
        let mut reversed = skus.clone();
        reversed.reverse();
        for facts in [
            node(&[("H100", 8)], 112, 2_048, 15_000, &[Interconnect::Infiniband]),
            node(&[], 64, 512, 2_000, &[]),
        ] {
            assert_eq!(sku_match(&facts, &skus), sku_match(&facts, &reversed));
        }
    }
}
