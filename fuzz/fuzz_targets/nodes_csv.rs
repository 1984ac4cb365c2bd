//! `ingot admin nodes import --csv`: any bytes become a whole import or errors naming lines,
//! never a panic, and every node of an import has the line it came from.
#![no_main]

use libfuzzer_sys::fuzz_target;

// The CLI is a binary crate; its CSV reader is one self-contained module.
#[path = "../../ux/cli/src/import_csv.rs"]
#[allow(dead_code)]
mod import_csv;

fuzz_target!(|data: &[u8]| {
    match import_csv::csv_to_import(data) {
        Ok(import) => assert_eq!(import.request.nodes.len(), import.lines.len()),
        Err(errors) => assert!(!errors.is_empty(), "a refusal names at least one line"),
    }
});
