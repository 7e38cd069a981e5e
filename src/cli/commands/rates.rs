//! `yieldplan rates`: print the effective rate book, or `rates import` a pools
//! snapshot into a rate-book extension.

use std::path::PathBuf;

use anyhow::Result;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Subcommand};
use yieldplan::pools::{Pool, rate_book_extension};
use yieldplan::rates::RateBook;
use yieldplan::report::{Format, rates_document};

use crate::cli::args::{PoolFilter, TOML_FORMAT, format_values};
use crate::cli::files::print_error;
use crate::cli::load::{book_from, read_pools, skipped_note};
use crate::cli::outcome::Outcome;
use crate::cli::output::emit;

/// `yieldplan rates [import FILE]`.
#[derive(Debug, Args)]
pub struct RatesArgs {
    /// `import`, or nothing to print the book.
    #[command(subcommand)]
    pub action: Option<RatesAction>,
    /// Output format; `toml` writes the effective book as a rate-book file that --rates reads back
    #[arg(short, long, value_parser = rates_format(), default_value = "table")]
    pub format: RatesFormat,
    /// A rate book file that extends (or, with `replace = true`, replaces) the default
    #[arg(long, value_name = "FILE")]
    pub rates: Option<PathBuf>,
    /// Write the output to FILE (atomically) instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// A saved DefiLlama pools snapshot whose pools are added to the book
    #[arg(long, value_name = "FILE")]
    pub pools: Option<PathBuf>,
}

/// What `rates` prints: a report, or the book as a rate-book file.
#[derive(Clone, Copy, Debug)]
pub enum RatesFormat {
    /// A report format (table, JSON, CSV, Markdown).
    Report(Format),
    /// The effective book as a rate-book file (TOML).
    Toml,
}

/// `--format` of `rates`: the report formats, and `toml`.
fn rates_format() -> impl TypedValueParser<Value = RatesFormat> {
    let toml = PossibleValue::new(TOML_FORMAT)
        .help("The effective book as a rate-book file that --rates reads back");
    PossibleValuesParser::new(format_values().chain([toml]))
        .map(|name| Format::parse(&name).map_or(RatesFormat::Toml, RatesFormat::Report))
}

/// What `rates` does besides printing the book.
#[derive(Debug, Subcommand)]
pub enum RatesAction {
    /// Turn a saved pools snapshot into a rate-book extension that --rates accepts
    Import(ImportArgs),
}

/// `yieldplan rates import POOLS.json --output FILE`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The saved pools snapshot (JSON)
    pub file: PathBuf,
    /// Where to write the rate-book extension (TOML); `--out` is accepted too
    #[arg(short, long, value_name = "FILE", visible_alias = "out")]
    pub output: PathBuf,
    /// Date the extension (written as `as_of`), as YYYY-MM-DD
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<String>,
    #[command(flatten)]
    pub filter: PoolFilter,
}

/// Prints the book, or runs `import`.
///
/// # Errors
/// An input is unusable, or the output cannot be written.
pub fn run(a: &RatesArgs) -> Result<Outcome> {
    if let Some(RatesAction::Import(i)) = &a.action {
        refuse_book_flags(a)?;
        return import(i);
    }
    let book = book_from(a.rates.as_deref(), a.pools.as_deref())?;
    let text = match a.format {
        RatesFormat::Report(f) => {
            crate::cli::terminal::render(f, a.output.as_deref(), &book, rates_document)
        }
        RatesFormat::Toml => {
            let text = book
                .to_toml()
                .map_err(|e| anyhow::anyhow!("the rate book cannot be written as TOML: {e}"))?;
            if text.len() > yieldplan::profile::MAX_PROFILE_BYTES
                || yieldplan::toml_budget::over_budget(&text, "rate book").is_some()
            {
                anyhow::bail!(
                    "the book would be larger than --rates reads (more than {} TOML tokens or {} MiB), so \
                     nothing was written: give --pools a smaller snapshot, or import only some \
                     of its pools with `yieldplan rates import` and its filters",
                    token_limit(),
                    yieldplan::profile::MAX_PROFILE_BYTES / (1024 * 1024)
                );
            }
            text
        }
    };
    emit(a.output.as_deref(), &text)?;
    Ok(Outcome::Success)
}

/// Writes the snapshot's (filtered) pools as a rate-book extension, checked
/// by reading it back first.
fn import(a: &ImportArgs) -> Result<Outcome> {
    crate::cli::output::toml_output(
        Some(&a.output),
        "a rate-book extension",
        "name it with .toml, e.g. --output pools.toml, and use it with --rates",
    )?;
    let snapshot = read_pools(&a.file)?;
    let filter = a.filter.to_filter();
    for w in filter.unmatched(&snapshot.pools) {
        print_error(&format!("warning: {w}"));
    }
    let pools: Vec<&Pool> = snapshot.pools.iter().filter(|p| filter.keeps(p)).collect();
    let source = format!(
        "DefiLlama pools snapshot {}",
        a.file
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    );
    let ext = rate_book_extension(&pools, &source, a.as_of.as_deref());
    if ext.text.len() > yieldplan::profile::MAX_PROFILE_BYTES
        || yieldplan::toml_budget::over_budget(&ext.text, "rate book").is_some()
    {
        anyhow::bail!(
            "{} pools make a rate book larger than --rates reads (more than {} TOML tokens); \
             nothing was written: import fewer with --min-tvl, --chain, --project or --symbol",
            ext.written,
            token_limit()
        );
    }
    // A book with no pool is not what an import is for: say why, write
    // nothing (a script would otherwise plan on an empty book).
    if ext.written == 0 {
        if let Some(note) = skipped_note(&a.file, &snapshot) {
            print_error(&note);
        }
        let filtered = snapshot.pools.len() - pools.len();
        // Loosening the filters helps only when they left something out.
        let help = if filtered > 0 {
            "loosen --min-tvl, --chain, --project or --symbol"
        } else {
            "the snapshot holds no pool a rate book can take"
        };
        anyhow::bail!(
            "no pool is left to import ({} read, {} skipped for impossible values, {filtered} left out by the filters, {} above the largest rate); nothing was written\n  = help: {help} (`yieldplan pools {}` lists what the snapshot holds)",
            snapshot.pools.len() + snapshot.skipped.len(),
            snapshot.skipped.len(),
            ext.left_out.len(),
            crate::cli::files::shell_word(&a.file)
        );
    }
    // The file must read back as a rate book before it is written.
    RateBook::with_file(&a.output, &ext.text)?;
    emit(Some(&a.output), &ext.text)?;
    for w in snapshot.warnings() {
        print_error(&format!("warning: {w}"));
    }
    // What was skipped and why the first was, as `plan --pools` says it.
    if let Some(note) = skipped_note(&a.file, &snapshot) {
        print_error(&note);
    }
    for s in &ext.left_out {
        print_error(&format!(
            "warning: pool `{}` is not written: {}",
            s.id.as_deref().unwrap_or_default(),
            s.reason
        ));
    }
    print_error(&format!(
        "wrote {} pool{} to {} ({} skipped for impossible values, {} left out by the filters, {} above the largest rate)",
        ext.written,
        if ext.written == 1 { "" } else { "s" },
        crate::cli::files::shown(&a.output),
        snapshot.skipped.len(),
        snapshot.pools.len() - pools.len(),
        ext.left_out.len()
    ));
    Ok(Outcome::Success)
}

/// The token limit of a TOML input, as shown: "5,000,000".
fn token_limit() -> String {
    yieldplan::money::group_thousands(yieldplan::toml_budget::MAX_TOML_TOKENS.into(), 0)
}

/// Refuses the options of `rates` itself given with `rates import`, which
/// has its own (`--output`) and reads no book: they would do nothing.
fn refuse_book_flags(a: &RatesArgs) -> Result<()> {
    let given = [
        (
            !matches!(a.format, RatesFormat::Report(Format::Table)),
            "--format",
        ),
        (a.rates.is_some(), "--rates"),
        (a.output.is_some(), "--output"),
        (a.pools.is_some(), "--pools"),
    ];
    match given.iter().find(|(set, _)| *set) {
        Some((_, flag)) => anyhow::bail!(
            "{flag} before `import` is an option of `yieldplan rates` and does nothing for `rates import`\n  = help: leave it out; `rates import` reads only the snapshot it is given and writes to its own --output"
        ),
        None => Ok(()),
    }
}

/// An `--as-of` date: `YYYY-MM-DD`, a day that exists, kept as written.
fn parse_date(text: &str) -> Result<String, String> {
    use yieldplan::date::Date;
    let date = Date::parse(text).ok_or_else(|| {
        format!("\"{text}\" is not a date; write YYYY-MM-DD, a day that exists, e.g. 2026-11-01")
    })?;
    let today = Date::today();
    if date > today {
        return Err(format!(
            "{date} is after today ({today}); date the book the day its figures were read, today or earlier"
        ));
    }
    Ok(text.to_string())
}
