//! Whole-pipeline entry points for hostile input: the fuzz targets and the
//! corpus replay test drive these with arbitrary bytes.
//!
//! Each runs what the program does with a file, end to end and without I/O:
//! a profile is read, resolved, planned, rendered in every format, stressed
//! and projected; a rate book is read and merged; a pools snapshot is read,
//! screened, listed and exported, and the export read back. None may panic;
//! bad input must come back as an error value.

use std::path::Path;

use crate::engine::{plan, project, stress};
use crate::report::{self, Format};

const FORMATS: [Format; 4] = [Format::Table, Format::Json, Format::Csv, Format::Markdown];

/// Runs a profile through everything `plan`, `stress` and `project` do
/// (projection over 5 years). Returns whether it planned (false: it was
/// rejected with diagnostics).
pub fn profile_bytes(data: &[u8]) -> bool {
    let book = crate::rates::RateBook::default_book();
    let path = Path::new("fuzz.toml");
    let portfolio = match crate::load(path, data, &book) {
        Ok(p) => p,
        Err(e) => {
            // The message must render without panicking.
            let _ = e.to_string();
            return false;
        }
    };
    let planned = plan(&portfolio);
    for f in FORMATS {
        let _ = report::render(f, &planned, report::plan_document);
    }
    let shocks = stress::stress(&portfolio, &planned);
    let _ = report::render(Format::Table, &shocks, report::stress_document);
    match project::project(&portfolio, &planned, 5) {
        Ok(projection) => {
            let _ = report::render(Format::Csv, &projection, report::project_document);
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
    true
}

/// Runs bytes as a rate-book extension and as a pools snapshot.
///
/// # Panics
/// When a rate book exported from a snapshot that reads does not read back:
/// that is the property this entry point checks, so a panic is a bug found.
pub fn data_bytes(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(e) = crate::rates::RateBook::with_file(Path::new("fuzz-rates.toml"), text) {
            let _ = e.to_string();
        }
    }
    if let Ok(snapshot) = crate::pools::read_snapshot(data) {
        let report = crate::pools::list(
            &snapshot,
            &crate::pools::Filter::default(),
            crate::pools::SortKey::Apy,
            50,
        );
        let _ = report::render(Format::Table, &report, report::pools_document);
        let refs: Vec<&crate::pools::Pool> = snapshot.pools.iter().take(200).collect();
        let text = crate::pools::rate_book_extension(&refs, "fuzz", None).text;
        // What the importer writes must read back.
        if let Err(e) = crate::rates::RateBook::with_file(Path::new("fuzz-export.toml"), &text) {
            panic!("an exported rate book does not read back: {e}\n{text}");
        }
    }
}
