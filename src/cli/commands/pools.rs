//! `yieldplan pools`: list and screen the pools of a saved `DefiLlama` snapshot.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use yieldplan::pools::{SortKey, list};
use yieldplan::report::{Format, pools_document};

use crate::cli::args::{PoolFilter, one_of};
use crate::cli::files::print_error;
use crate::cli::load::read_pools;
use crate::cli::outcome::Outcome;
use crate::cli::output::emit;

/// `yieldplan pools POOLS.json`.
#[derive(Debug, Args)]
pub struct PoolsArgs {
    /// The saved pools snapshot (JSON), e.g. from `curl -o pools.json https://yields.llama.fi/pools`
    pub file: PathBuf,
    #[command(flatten)]
    pub filter: PoolFilter,
    /// Sort key (descending)
    #[arg(long, value_parser = one_of::<SortKey>(), default_value_t = SortKey::Tvl)]
    pub sort: SortKey,
    /// How many pools to list (1 to 1,000,000)
    #[arg(long, default_value_t = 50, value_parser = parse_limit, allow_negative_numbers = true)]
    pub limit: usize,
    /// Output format
    #[arg(short, long, value_parser = crate::cli::args::report_format(), default_value_t = Format::Table)]
    pub format: Format,
    /// Write the output to FILE (atomically) instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `--limit`: 1 to 1,000,000.
fn parse_limit(text: &str) -> Result<usize, String> {
    crate::cli::args::parse_count(text, "--limit", 1, 1_000_000)
        .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
}

/// Reads, filters, screens and lists the pools.
///
/// # Errors
/// The snapshot is unusable, or the output cannot be written.
pub fn run(a: &PoolsArgs) -> Result<Outcome> {
    let snapshot = read_pools(&a.file)?;
    for w in snapshot.warnings() {
        print_error(&format!("warning: {w}"));
    }
    let filter = a.filter.to_filter();
    for w in filter.unmatched(&snapshot.pools) {
        print_error(&format!("warning: {w}"));
    }
    // CSV holds the pools alone: what was skipped is said on stderr, as
    // `plan --pools` says it (the other formats carry it).
    if a.format == Format::Csv {
        if let Some(note) = crate::cli::load::skipped_note(&a.file, &snapshot) {
            print_error(&note);
        }
    }
    let report = list(&snapshot, &filter, a.sort, a.limit);
    let text = crate::cli::terminal::render(a.format, a.output.as_deref(), &report, pools_document);
    emit(a.output.as_deref(), &text)?;
    Ok(Outcome::Success)
}
