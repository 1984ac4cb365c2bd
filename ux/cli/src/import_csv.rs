//! Operator CSV → the canonical `NodeImportRequest` body of `POST /v1/admin/nodes/import`.
//! This is the one place the CLI adapts a format: the JSON contract stays the only thing the
//! server reads, and every rule about what makes a valid node stays on the server.
//!
//! The file needs a header row; columns may come in any order and match case-insensitively:
//!
//! | column         | required | meaning                                                    |
//! | -------------- | -------- | ---------------------------------------------------------- |
//! | hostname       | yes      |                                                            |
//! | site           | yes      | site name, such as `fra1`                                  |
//! | state          | no       | `onboarding` (the server's default) or `available`         |
//! | cpu_model      | yes      |                                                            |
//! | cpu_sockets    | yes      |                                                            |
//! | cpu_cores      | yes      | physical cores across all sockets                          |
//! | ram_gib        | yes      | GiB; sent as MiB (× 1024)                                  |
//! | gpu_model      | no       | empty for none; then gpu_count and gpu_memory_gib are too  |
//! | gpu_count      | no       | required with gpu_model                                    |
//! | gpu_memory_gib | no       | per GPU, GiB; required with gpu_model; sent as MiB         |
//! | disks          | no       | `kind:size_gib` joined by `;`: `nvme:3840;ssd:960`         |
//! | nics           | no       | speeds in Gb/s joined by `;`: `100;100`                    |
//! | interconnects  | no       | `infiniband`, `roce`, `nvlink` joined by `;`               |
//! | rack           | no       |                                                            |
//! | position       | no       | slot in the rack, a whole number                           |
//! | fabric_group   | no       | the NVLink or InfiniBand domain                            |
//!
//! An empty cell means absent; cells are trimmed; rows whose cells are all empty are skipped.
//! Lines are counted as an editor shows them: the header is line 1, the first data row line 2.

use std::collections::HashMap;
use std::fmt;
use std::num::IntErrorKind;
use std::str::FromStr;

use ingot_kernel::problem::FieldError;
use ingot_sdk::ingot_contracts::inventory::{
    Cpu, Disk, DiskKind, Gpu, HardwareFacts, Interconnect, Nic, NodeImportRequest, NodeImportRow, NodeState,
    Placement,
};
use serde::de::DeserializeOwned;

/// Every column the file may have, in the order the help lists them.
pub const COLUMNS: [&str; 16] = [
    "hostname",
    "site",
    "state",
    "cpu_model",
    "cpu_sockets",
    "cpu_cores",
    "ram_gib",
    "gpu_model",
    "gpu_count",
    "gpu_memory_gib",
    "disks",
    "nics",
    "interconnects",
    "rack",
    "position",
    "fabric_group",
];

/// Columns without which no row could become a node.
const REQUIRED: [&str; 6] = [
    "hostname",
    "site",
    "cpu_model",
    "cpu_sockets",
    "cpu_cores",
    "ram_gib",
];

const MIB_PER_GIB: u64 = 1024;

/// One problem found in the file, pinned to the line the user has to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: u64,
    /// The column at fault; `None` when the whole line is.
    pub column: Option<String>,
    pub message: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(column) => write!(f, "line {}: {column}: {}", self.line, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

/// The request to send, and where each of its rows came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvImport {
    pub request: NodeImportRequest,
    /// `lines[i]` is the line `request.nodes[i]` starts on, to map the server's `nodes[i]` back.
    pub lines: Vec<u64>,
}

/// Converts the whole file, or reports every bad line: a partial import is never built, so
/// nothing is sent while any row is wrong.
pub fn csv_to_import(input: &[u8]) -> Result<CsvImport, Vec<LineError>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        // Ragged rows are reported per line below instead of stopping the read.
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(input);
    let mut errors = Vec::new();
    let mut records = reader.records();

    let header = loop {
        match records.next() {
            None => {
                return Err(vec![LineError {
                    line: 1,
                    column: None,
                    message: "the file is empty; a header row naming the columns is required".into(),
                }]);
            }
            Some(Ok(record)) if record_blank(&record) => continue,
            Some(Ok(record)) => break record,
            Some(Err(err)) => {
                return Err(vec![LineError {
                    line: error_line(&err),
                    column: None,
                    message: format!("cannot read the header row: {}", csv_error_text(&err)),
                }]);
            }
        }
    };
    let header_line = line_of(&header);
    let columns = header_columns(&header, header_line, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut nodes = Vec::new();
    let mut lines = Vec::new();
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                errors.push(LineError {
                    line: error_line(&err),
                    column: None,
                    message: csv_error_text(&err),
                });
                continue;
            }
        };
        if record_blank(&record) {
            continue;
        }
        let line = line_of(&record);
        if record.len() != header.len() {
            errors.push(LineError {
                line,
                column: None,
                message: format!("has {} cells but the header has {}", record.len(), header.len()),
            });
            continue;
        }
        let mut row = Row {
            record: &record,
            columns: &columns,
            line,
            errors: Vec::new(),
        };
        let node = row.node();
        match node {
            Some(node) if row.errors.is_empty() => {
                nodes.push(node);
                lines.push(line);
            }
            _ => errors.append(&mut row.errors),
        }
    }
    if errors.is_empty() && nodes.is_empty() {
        errors.push(LineError {
            line: header_line + 1,
            column: None,
            message: "no nodes: the file has a header but no data rows".into(),
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(CsvImport {
        request: NodeImportRequest { nodes },
        lines,
    })
}

/// The server's field errors for an import built by [`csv_to_import`], as CSV lines and columns:
/// `nodes[2].facts.cpu.cores` becomes `line 4: cpu_cores: …`. Fields that name no row, or a
/// row the file does not have, are shown as the server sent them.
pub fn server_errors_map(errors: &[FieldError], lines: &[u64]) -> Vec<String> {
    errors
        .iter()
        .map(|error| {
            let Some((index, rest)) = row_field(&error.field) else {
                return format!("{}: {}", error.field, error.message);
            };
            let Some(line) = lines.get(index) else {
                return format!("{}: {}", error.field, error.message);
            };
            let column = column_of(rest);
            if column.is_empty() {
                format!("line {line}: {}", error.message)
            } else {
                format!("line {line}: {column}: {}", error.message)
            }
        })
        .collect()
}

/// `nodes[12].facts.cpu.cores` → `(12, "facts.cpu.cores")`.
fn row_field(field: &str) -> Option<(usize, &str)> {
    let (index, rest) = field.strip_prefix("nodes[")?.split_once(']')?;
    let index = index.parse().ok()?;
    Some((index, rest.strip_prefix('.').unwrap_or(rest)))
}

/// The CSV column a contract field came from; the field itself when none did.
fn column_of(field: &str) -> String {
    let simple = match field {
        "hostname" | "site" | "state" => Some(field),
        "facts.cpu.model" => Some("cpu_model"),
        "facts.cpu.sockets" => Some("cpu_sockets"),
        "facts.cpu.cores" => Some("cpu_cores"),
        "facts.ram_mib" => Some("ram_gib"),
        "placement.rack" => Some("rack"),
        "placement.position" => Some("position"),
        "placement.fabric_group" => Some("fabric_group"),
        _ => None,
    };
    if let Some(column) = simple {
        return column.to_string();
    }
    // A CSV row holds at most one kind of GPU, so `gpus[0]` is the gpu_* columns.
    if let Some(rest) = field.strip_prefix("facts.gpus[") {
        let part = rest.split_once("].").map_or("", |(_, part)| part);
        return match part {
            "count" => "gpu_count",
            "memory_mib" => "gpu_memory_gib",
            _ => "gpu_model",
        }
        .to_string();
    }
    for column in ["disks", "nics", "interconnects"] {
        if let Some(rest) = field.strip_prefix(&format!("facts.{column}[")) {
            return match rest.split_once(']').and_then(|(i, _)| i.parse::<usize>().ok()) {
                Some(i) => format!("{column} (item {})", i + 1),
                None => column.to_string(),
            };
        }
    }
    field.to_string()
}

/// Maps each known column to its index; unknown, repeated and missing columns are errors.
fn header_columns(
    header: &csv::StringRecord,
    line: u64,
    errors: &mut Vec<LineError>,
) -> HashMap<&'static str, usize> {
    let mut columns = HashMap::new();
    for (index, name) in header.iter().enumerate() {
        let lowered = name.to_ascii_lowercase();
        match COLUMNS.iter().find(|c| **c == lowered) {
            None => errors.push(LineError {
                line,
                column: Some(name.to_string()),
                message: format!("unknown column; the columns are {}", COLUMNS.join(", ")),
            }),
            Some(known) => {
                if columns.insert(*known, index).is_some() {
                    errors.push(LineError {
                        line,
                        column: Some(name.to_string()),
                        message: "appears twice in the header".into(),
                    });
                }
            }
        }
    }
    for required in REQUIRED {
        if !columns.contains_key(required) {
            errors.push(LineError {
                line,
                column: Some(required.to_string()),
                message: "required column missing from the header".into(),
            });
        }
    }
    columns
}

/// One data row being read; problems pile up in `errors` so a row reports all of them at once.
struct Row<'a> {
    record: &'a csv::StringRecord,
    columns: &'a HashMap<&'static str, usize>,
    line: u64,
    errors: Vec<LineError>,
}

impl<'a> Row<'a> {
    /// The node, or `None` when a required part is missing or bad (see `errors`).
    fn node(&mut self) -> Option<NodeImportRow> {
        let hostname = self.required("hostname");
        let site = self.required("site");
        let state = self.word::<NodeState>("state", "onboarding or available");
        let cpu_model = self.required("cpu_model");
        let sockets = self.number::<u32>("cpu_sockets", true);
        let cores = self.number::<u32>("cpu_cores", true);
        let ram_mib = self.gib_as_mib("ram_gib", true);
        let gpus = self.gpus();
        let disks = self.list("disks", disk_parse);
        let nics = self.list("nics", |item| {
            number_parse::<u32>(item).map(|speed_gbps| Nic { speed_gbps })
        });
        let interconnects = self.list("interconnects", |item| {
            word_parse::<Interconnect>(item, "infiniband, roce or nvlink")
        });
        let placement = Placement {
            rack: self.text("rack").map(str::to_string),
            position: self.number::<u32>("position", false),
            fabric_group: self.text("fabric_group").map(str::to_string),
        };
        Some(NodeImportRow {
            hostname: hostname?,
            site: site?,
            state,
            facts: HardwareFacts {
                cpu: Cpu {
                    model: cpu_model?,
                    sockets: sockets?,
                    cores: cores?,
                },
                ram_mib: ram_mib?,
                gpus,
                nics,
                disks,
                interconnects,
            },
            placement,
        })
    }

    /// The trimmed cell, `None` when the column is absent or the cell empty.
    fn text(&self, column: &str) -> Option<&'a str> {
        let index = *self.columns.get(column)?;
        let record: &'a csv::StringRecord = self.record;
        record.get(index).filter(|cell| !cell.is_empty())
    }

    fn fail(&mut self, column: &str, message: impl Into<String>) {
        self.errors.push(LineError {
            line: self.line,
            column: Some(column.to_string()),
            message: message.into(),
        });
    }

    fn required(&mut self, column: &str) -> Option<String> {
        let value = self.text(column).map(str::to_string);
        if value.is_none() {
            self.fail(column, "is required");
        }
        value
    }

    fn number<T: FromStr<Err = std::num::ParseIntError>>(
        &mut self,
        column: &str,
        required: bool,
    ) -> Option<T> {
        let Some(text) = self.text(column) else {
            if required {
                self.fail(column, "is required");
            }
            return None;
        };
        match number_parse(text) {
            Ok(value) => Some(value),
            Err(message) => {
                self.fail(column, message);
                None
            }
        }
    }

    fn gib_as_mib(&mut self, column: &str, required: bool) -> Option<u64> {
        let gib = self.number::<u64>(column, required)?;
        let mib = gib.checked_mul(MIB_PER_GIB);
        if mib.is_none() {
            self.fail(column, "is too large");
        }
        mib
    }

    fn word<T: DeserializeOwned>(&mut self, column: &str, expected: &str) -> Option<T> {
        let text = self.text(column)?;
        match word_parse(text, expected) {
            Ok(value) => Some(value),
            Err(message) => {
                self.fail(column, message);
                None
            }
        }
    }

    /// At most one kind of GPU per row. Without a model, count and memory may only be empty or 0.
    fn gpus(&mut self) -> Vec<Gpu> {
        let model = self.text("gpu_model").map(str::to_string);
        let count = self.number::<u32>("gpu_count", model.is_some());
        let memory_mib = self.gib_as_mib("gpu_memory_gib", model.is_some());
        let Some(model) = model else {
            if count.is_some_and(|c| c > 0) {
                self.fail("gpu_count", "needs a gpu_model");
            }
            if memory_mib.is_some_and(|m| m > 0) {
                self.fail("gpu_memory_gib", "needs a gpu_model");
            }
            return Vec::new();
        };
        match (count, memory_mib) {
            (Some(count), Some(memory_mib)) => vec![Gpu {
                model,
                count,
                memory_mib,
            }],
            _ => Vec::new(),
        }
    }

    /// A `;`-separated cell; each bad item is reported, naming the item.
    fn list<T>(&mut self, column: &str, parse: impl Fn(&str) -> Result<T, String>) -> Vec<T> {
        let Some(text) = self.text(column) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in text.split(';').map(str::trim).filter(|i| !i.is_empty()) {
            match parse(item) {
                Ok(value) => out.push(value),
                Err(message) => self.fail(column, format!("{item:?}: {message}")),
            }
        }
        out
    }
}

fn number_parse<T: FromStr<Err = std::num::ParseIntError>>(text: &str) -> Result<T, String> {
    text.parse()
        .map_err(|err: std::num::ParseIntError| match err.kind() {
            IntErrorKind::PosOverflow => "is too large".to_string(),
            _ => format!("must be a whole number, not {text:?}"),
        })
}

/// An enum by its contract name, so the names accepted are exactly the API's.
fn word_parse<T: DeserializeOwned>(text: &str, expected: &str) -> Result<T, String> {
    serde_json::from_value(serde_json::Value::String(text.to_ascii_lowercase()))
        .map_err(|_| format!("must be {expected}, not {text:?}"))
}

/// `nvme:3840` → an NVMe disk of 3840 GiB.
fn disk_parse(item: &str) -> Result<Disk, String> {
    let Some((kind, size)) = item.split_once(':') else {
        return Err("must be kind:size_gib, such as nvme:3840".into());
    };
    let kind = word_parse::<DiskKind>(kind.trim(), "a disk kind: nvme, ssd or hdd")?;
    let size_gib = number_parse::<u64>(size.trim()).map_err(|message| format!("size {message}"))?;
    Ok(Disk { size_gib, kind })
}

fn record_blank(record: &csv::StringRecord) -> bool {
    record.iter().all(str::is_empty)
}

fn line_of(record: &csv::StringRecord) -> u64 {
    // Records read from a reader always carry their position; 0 would only mark a bug here.
    record.position().map_or(0, csv::Position::line)
}

fn error_line(err: &csv::Error) -> u64 {
    err.position().map_or(0, csv::Position::line)
}

fn csv_error_text(err: &csv::Error) -> String {
    match err.kind() {
        csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8".into(),
        _ => err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    // Unit tests fail by panicking.
    #![allow(clippy::unwrap_used)]

    use super::*;

    const HEADER: &str = "hostname,site,state,cpu_model,cpu_sockets,cpu_cores,ram_gib,gpu_model,gpu_count,gpu_memory_gib,disks,nics,interconnects,rack,position,fabric_group";

    fn errors_of(text: &str) -> Vec<String> {
        csv_to_import(text.as_bytes())
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn a_good_file_converts_to_the_contract_rows() {
        let text = format!(
            "{HEADER}\n\
             gpu-001,fra1,available,\"AMD EPYC 9654, 96-Core\",2,192,2048,H100-SXM5-80GB,8,80,nvme:3840;nvme:3840;ssd:960,400;100,infiniband;nvlink,r12,7,ib-a\n\
             cpu-001,fra1,,Xeon 8480,1,64,256,,,,nvme:1920,25,,,,\n"
        );
        let import = csv_to_import(text.as_bytes()).unwrap();
        assert_eq!(import.lines, vec![2, 3]);
        let expected = NodeImportRequest {
            nodes: vec![
                NodeImportRow {
                    hostname: "gpu-001".into(),
                    site: "fra1".into(),
                    state: Some(NodeState::Available),
                    facts: HardwareFacts {
                        cpu: Cpu {
                            model: "AMD EPYC 9654, 96-Core".into(),
                            sockets: 2,
                            cores: 192,
                        },
                        ram_mib: 2048 * 1024,
                        gpus: vec![Gpu {
                            model: "H100-SXM5-80GB".into(),
                            count: 8,
                            memory_mib: 80 * 1024,
                        }],
                        nics: vec![Nic { speed_gbps: 400 }, Nic { speed_gbps: 100 }],
                        disks: vec![
                            Disk {
                                size_gib: 3840,
                                kind: DiskKind::Nvme,
                            },
                            Disk {
                                size_gib: 3840,
                                kind: DiskKind::Nvme,
                            },
                            Disk {
                                size_gib: 960,
                                kind: DiskKind::Ssd,
                            },
                        ],
                        interconnects: vec![Interconnect::Infiniband, Interconnect::Nvlink],
                    },
                    placement: Placement {
                        rack: Some("r12".into()),
                        position: Some(7),
                        fabric_group: Some("ib-a".into()),
                    },
                },
                NodeImportRow {
                    hostname: "cpu-001".into(),
                    site: "fra1".into(),
                    state: None,
                    facts: HardwareFacts {
                        cpu: Cpu {
                            model: "Xeon 8480".into(),
                            sockets: 1,
                            cores: 64,
                        },
                        ram_mib: 256 * 1024,
                        gpus: vec![],
                        nics: vec![Nic { speed_gbps: 25 }],
                        disks: vec![Disk {
                            size_gib: 1920,
                            kind: DiskKind::Nvme,
                        }],
                        interconnects: vec![],
                    },
                    placement: Placement::default(),
                },
            ],
        };
        assert_eq!(import.request, expected);
    }

    #[test]
    fn columns_come_in_any_order_and_optional_ones_may_be_left_out() {
        let text = "\u{feff}RAM_GIB, hostname ,site,cpu_cores,cpu_sockets,cpu_model\n512,n1,fra1,32,1,\"Epyc \"\"Genoa\"\"\"\n\n,,,,,\n";
        let import = csv_to_import(text.as_bytes()).unwrap();
        let node = &import.request.nodes[0];
        assert_eq!(node.hostname, "n1");
        assert_eq!(node.facts.cpu.model, "Epyc \"Genoa\"");
        assert_eq!(node.facts.ram_mib, 512 * 1024);
        assert!(node.facts.gpus.is_empty() && node.placement == Placement::default());
        assert_eq!(import.request.nodes.len(), 1, "blank rows are skipped");
    }

    #[test]
    fn quoted_cells_keep_commas_and_newlines_and_lines_count_from_where_a_row_starts() {
        let text = "hostname,site,cpu_model,cpu_sockets,cpu_cores,ram_gib,rack\n\
                    n1,fra1,\"Xeon, Platinum\",1,8,64,\"row 1,\nrack 2\"\n\
                    n2,fra1,Xeon,x,8,64,\n";
        let errors = errors_of(text);
        assert_eq!(
            errors,
            vec!["line 4: cpu_sockets: must be a whole number, not \"x\""]
        );
        let good = text.replace(",x,", ",1,");
        let import = csv_to_import(good.as_bytes()).unwrap();
        assert_eq!(import.request.nodes[0].facts.cpu.model, "Xeon, Platinum");
        assert_eq!(
            import.request.nodes[0].placement.rack.as_deref(),
            Some("row 1,\nrack 2")
        );
        assert_eq!(import.lines, vec![2, 4]);
    }

    #[test]
    fn a_bad_file_reports_every_bad_line_and_column() {
        let text = format!(
            "{HEADER}\n\
             ok-1,fra1,,Xeon,1,64,256,,,,,,,,,\n\
             ,fra1,,Xeon,1,sixty,256,,,,,,,,,\n\
             ok-2,fra1,,Xeon,1,64,256,,,,nvme:1920,,,,,\n\
             bad-3,fra1,broken,Xeon,1,64,256,H100,,80,tape:10;nvme,100;fast,infiniband;carrier-pigeon,,-1,\n\
             short,fra1,Xeon\n\
             bad-4,fra1,,Xeon,1,64,99999999999999999999,,8,,,,,,,\n"
        );
        assert_eq!(
            errors_of(&text),
            vec![
                "line 3: hostname: is required",
                "line 3: cpu_cores: must be a whole number, not \"sixty\"",
                "line 5: state: must be onboarding or available, not \"broken\"",
                "line 5: gpu_count: is required",
                "line 5: disks: \"tape:10\": must be a disk kind: nvme, ssd or hdd, not \"tape\"",
                "line 5: disks: \"nvme\": must be kind:size_gib, such as nvme:3840",
                "line 5: nics: \"fast\": must be a whole number, not \"fast\"",
                "line 5: interconnects: \"carrier-pigeon\": must be infiniband, roce or nvlink, not \"carrier-pigeon\"",
                "line 5: position: must be a whole number, not \"-1\"",
                "line 6: has 3 cells but the header has 16",
                "line 7: ram_gib: is too large",
                "line 7: gpu_count: needs a gpu_model",
            ]
        );
    }

    #[test]
    fn the_header_must_name_known_columns_once_and_all_required_ones() {
        assert_eq!(
            errors_of("hostname,site,cpu_model,cpu_cores,ram_gib,colour,site\nn1,fra1,x,1,1,red,fra1\n"),
            vec![
                format!(
                    "line 1: colour: unknown column; the columns are {}",
                    COLUMNS.join(", ")
                ),
                "line 1: site: appears twice in the header".to_string(),
                "line 1: cpu_sockets: required column missing from the header".to_string(),
            ]
        );
        assert_eq!(
            errors_of(""),
            vec!["line 1: the file is empty; a header row naming the columns is required"]
        );
        assert_eq!(
            errors_of("hostname,site,cpu_model,cpu_sockets,cpu_cores,ram_gib\n"),
            vec!["line 2: no nodes: the file has a header but no data rows"]
        );
    }

    #[test]
    fn invalid_utf8_is_one_bad_line_not_a_failed_read() {
        let mut bytes = b"hostname,site,cpu_model,cpu_sockets,cpu_cores,ram_gib\n".to_vec();
        bytes.extend_from_slice(b"n1,fra1,X\xff,1,1,1\nn2,fra1,,1,1,1\n");
        let errors: Vec<String> = csv_to_import(&bytes)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            errors,
            vec!["line 2: is not valid UTF-8", "line 3: cpu_model: is required"]
        );
    }

    #[test]
    fn server_field_errors_map_back_to_lines_and_columns() {
        let field = |field: &str, message: &str| FieldError {
            field: field.into(),
            message: message.into(),
        };
        let errors = [
            field("nodes[0].hostname", "n1 is already registered"),
            field("nodes[1].facts.cpu.cores", "must be at least 1"),
            field("nodes[1].facts.gpus[0].memory_mib", "must be at least 1"),
            field("nodes[0].facts.disks[2].size_gib", "must be at least 1"),
            field("nodes[1]", "is odd"),
            field("nodes[7].site", "no such site"),
            field("nodes", "at most 1000 nodes per import"),
        ];
        assert_eq!(
            server_errors_map(&errors, &[2, 5]),
            vec![
                "line 2: hostname: n1 is already registered",
                "line 5: cpu_cores: must be at least 1",
                "line 5: gpu_memory_gib: must be at least 1",
                "line 2: disks (item 3): must be at least 1",
                "line 5: is odd",
                "nodes[7].site: no such site",
                "nodes: at most 1000 nodes per import",
            ]
        );
    }
}
