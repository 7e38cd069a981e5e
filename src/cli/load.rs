//! The one way a command loads its inputs: the rate book (the default,
//! extended by `--rates`), a `--pools` snapshot, and each profile with the
//! snapshot its `[rates] pools` names (relative to the profile's folder).
//! Every command that takes a profile goes through [`load_profile`], so they
//! all see the same book. It must not plan or render.

use std::path::Path;

use anyhow::Result;
use yieldplan::engine::plan::PlanInputs;
use yieldplan::engine::{PlanReport, plan};
use yieldplan::model::Portfolio;
use yieldplan::pools::Snapshot;
use yieldplan::rates::RateBook;

use super::args::Output;
use super::files::{read_limited, read_named, shown};

/// The default rate book, extended by the rate-book file at `rates` when given.
///
/// # Errors
/// The file cannot be read, is not UTF-8, or is not a valid rate book.
pub fn load_book(rates: Option<&Path>) -> Result<RateBook> {
    match rates {
        None => Ok(RateBook::default_book()),
        Some(path) => {
            let bytes = read_limited(path, "rate book")?;
            let text = yieldplan::error::utf8_text(path, &bytes, "rate book")?;
            Ok(RateBook::with_file(path, text)?)
        }
    }
}

/// Reads a pools snapshot, reporting what is wrong with it in the program's style.
///
/// # Errors
/// The file cannot be read or is not a pools snapshot.
pub fn read_pools(path: &Path) -> Result<Snapshot> {
    let bytes = read_limited(path, "pools snapshot")?;
    yieldplan::pools::read_snapshot(&bytes).map_err(|e| {
        anyhow::anyhow!(
            "pools snapshot {}: {e}\n  = help: save the response of the pools endpoint as it is, e.g. curl -o pools.json https://yields.llama.fi/pools",
            shown(path)
        )
    })
}

/// Reads a pools snapshot named in a profile: every failure to read it says
/// the same, and a malformed one says only where, so nothing is revealed
/// about an unrelated file at that path.
fn read_named_pools(path: &Path, profile: &Path) -> Result<Snapshot> {
    let bytes = read_named(path, "pools snapshot", profile)?;
    yieldplan::pools::read_snapshot(&bytes).map_err(|e| {
        let place = match e {
            yieldplan::pools::SnapshotError::Json { line, column, .. } => {
                format!("is not valid JSON at line {line}, column {column}")
            }
            yieldplan::pools::SnapshotError::Shape { line, column, .. } => {
                format!("is not a pools response at line {line}, column {column}")
            }
            other => other.to_string(),
        };
        anyhow::anyhow!(
            "pools snapshot {} named in {}: {place}\n  = help: save the response of the pools endpoint as it is, e.g. curl -o pools.json https://yields.llama.fi/pools",
            shown(path),
            shown(profile)
        )
    })
}

/// Adds a snapshot's pools to a rate book, as `pool_id` sources.
fn add_pools(book: &mut RateBook, path: &Path) -> Result<()> {
    let snapshot = read_pools(path)?;
    add_snapshot(book, path, &snapshot);
    Ok(())
}

/// The note saying how many entries of `snapshot` (read from `path`) were
/// skipped and why the first was; `None` when none was.
pub fn skipped_note(path: &Path, snapshot: &Snapshot) -> Option<String> {
    let first = snapshot.skipped.first()?;
    let read = snapshot.pools.len() + snapshot.skipped.len();
    Some(format!(
        "note: {}: {} of {read} pools skipped for impossible values (the first{}: {}); `yieldplan pools {}` lists what was read",
        path.display(),
        snapshot.skipped.len(),
        first.id.as_ref().map_or_else(String::new, |id| format!(
            ", `{}`",
            yieldplan::printable::printable(id)
        )),
        first.reason,
        path.display()
    ))
}

/// Adds the pools of `snapshot`, read from `path`, to a rate book, warning
/// about what the snapshot holds twice.
pub fn add_snapshot(book: &mut RateBook, path: &Path, snapshot: &Snapshot) {
    for w in snapshot.warnings() {
        super::files::print_error(&format!("warning: {}: {w}", path.display()));
    }
    if snapshot.pools.is_empty() && snapshot.skipped.is_empty() {
        super::files::print_error(&format!(
            "note: {}: the snapshot's `data` list is empty, so it gives no pools",
            path.display()
        ));
    }
    if let Some(note) = skipped_note(path, snapshot) {
        super::files::print_error(&note);
    }
    let source = format!("DefiLlama pools snapshot {}", path.display());
    yieldplan::pools::add_to_book(book, snapshot, &source);
}

/// Records the `--rates` and `--pools` files of `out` in a plan's inputs,
/// before any snapshot the profile names.
pub fn note_inputs(report: &mut PlanReport, out: &Output) {
    let inputs = report.inputs.get_or_insert_with(PlanInputs::default);
    inputs.rates_file = out.rates.as_ref().map(|p| p.display().to_string());
    if let Some(p) = &out.pools {
        inputs.pools_files.insert(0, p.display().to_string());
    }
}

/// The rate book a command works with: the default, `--rates`, `--pools`.
///
/// # Errors
/// As [`load_book`] and [`read_pools`].
pub fn book_for(out: &Output) -> Result<RateBook> {
    book_from(out.rates.as_deref(), out.pools.as_deref())
}

/// The default book, extended by the rate-book file `rates` and the pools
/// snapshot `pools` when given.
///
/// # Errors
/// As [`load_book`] and [`read_pools`].
pub fn book_from(rates: Option<&Path>, pools: Option<&Path>) -> Result<RateBook> {
    let mut book = load_book(rates)?;
    if let Some(path) = pools {
        add_pools(&mut book, path)?;
    }
    Ok(book)
}

/// Reads, resolves and plans one profile, keeping the portfolio. A
/// `[rates] pools` snapshot named in the profile (relative to its folder) is
/// read and added to the book first.
///
/// # Errors
/// The profile cannot be read, or has problems (all of them, with places), or
/// its pools snapshot cannot be read.
pub fn load_profile(path: &Path, book: &RateBook) -> Result<(Portfolio, PlanReport)> {
    let bytes = read_limited(path, "profile")?;
    let (text, spec, problems) = yieldplan::profile::read_profile(path, &bytes)?;
    let mut inputs = PlanInputs {
        rate_book_as_of: book.as_of.clone(),
        ..PlanInputs::default()
    };
    let mut own = None;
    let portfolio = match &spec.pools_file {
        Some(file) if problems.is_empty() => {
            let base = path.parent().unwrap_or(Path::new("."));
            let mut with_pools = book.clone();
            let named = base.join(&file.value);
            let snapshot = read_named_pools(&named, path)?;
            add_snapshot(&mut with_pools, &named, &snapshot);
            inputs.pools_files.push(named.display().to_string());
            let read = yieldplan::load_read(path, &text, &spec, problems, &with_pools)?;
            own = Some(with_pools);
            read
        }
        _ => yieldplan::load_read(path, &text, &spec, problems, book)?,
    };
    if pools_given(own.as_ref().unwrap_or(book))
        && portfolio.positions.iter().all(|p| p.pool.is_none())
    {
        // `--pools`, a book with pools or the profile's own `[rates] pools`
        // given for a profile that takes no yield from a pool: say so
        // rather than seem to use it.
        note_unused_pools(path);
    }
    let mut planned = plan(&portfolio);
    planned.inputs = Some(inputs);
    planned
        .warnings
        .extend(yieldplan::note_warnings(&portfolio));
    Ok((portfolio, planned))
}

/// A profile read but not resolved, with the rate book it resolves against
/// (`book`, plus the snapshot its `[rates] pools` names): what a command
/// that resolves the profile more than once (`optimize`) needs.
pub struct ReadProfile {
    /// The profile's text.
    pub text: String,
    /// What it says.
    pub spec: yieldplan::profile::ProfileSpec,
    /// Problems reading it found.
    pub problems: Vec<yieldplan::error::Diagnostic>,
    /// The rate book to resolve it against.
    pub book: RateBook,
    /// The inputs a plan of it records: the book's date and the profile's
    /// own pools snapshot (`--rates` and `--pools` are added by
    /// [`note_inputs`]).
    pub inputs: PlanInputs,
}

/// Reads a profile and the book it resolves against, as [`load_profile`]
/// does before resolving.
///
/// # Errors
/// The profile cannot be read as TOML, or its pools snapshot cannot be read.
pub fn read_profile_with_book(path: &Path, book: &RateBook) -> Result<ReadProfile> {
    let bytes = read_limited(path, "profile")?;
    let (text, spec, problems) = yieldplan::profile::read_profile(path, &bytes)?;
    let mut own = book.clone();
    let mut inputs = PlanInputs {
        rate_book_as_of: book.as_of.clone(),
        ..PlanInputs::default()
    };
    if let Some(file) = spec.pools_file.as_ref().filter(|_| problems.is_empty()) {
        let base = path.parent().unwrap_or(Path::new("."));
        let named = base.join(&file.value);
        let snapshot = read_named_pools(&named, path)?;
        add_snapshot(&mut own, &named, &snapshot);
        inputs.pools_files.push(named.display().to_string());
    }
    Ok(ReadProfile {
        text,
        spec,
        problems,
        book: own,
        inputs,
    })
}

/// Whether `book` holds pools the user gave (`--pools`, a book with pools,
/// a profile's `[rates] pools`): not `review`'s stand-ins for pools gone.
pub fn pools_given(book: &RateBook) -> bool {
    book.pools.values().any(|e| !e.stand_in)
}

/// Notes on stderr that the pools given (`--pools`, or a book with pools)
/// are not used by the profile at `path`, which names no `pool_id`.
pub fn note_unused_pools(path: &Path) {
    super::files::print_error(&format!(
        "note: {}: no position names a `pool_id`, so the pools given are not used",
        shown(path)
    ));
}
