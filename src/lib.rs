//! `yieldplan`: plan a crypto yield portfolio from a TOML profile.
//!
//! The data flows one way: [`profile`] reads a file into a typed spec,
//! [`resolve`] checks it against a [`rates::RateBook`] and builds a
//! [`model::Portfolio`], [`engine`] plans it into report data, and [`report`]
//! renders that as a table, JSON, CSV or Markdown. The `yieldplan` binary
//! (its own `cli` modules) glues these to the command line and does all file
//! I/O. Use [`load`] and [`engine::plan()`] to plan from Rust.
//!
//! The library has no command-line parsing, prints nothing and writes no
//! files: it takes bytes and values and returns values.

#![warn(clippy::print_stdout, clippy::print_stderr)]
#![warn(missing_docs, clippy::missing_errors_doc)]

pub mod date;
pub mod decimal_text;
pub mod engine;
pub mod error;
pub mod harness;
pub mod model;
pub mod money;
pub mod names;
pub mod number_text;
pub mod optimize;
pub mod pools;
pub mod printable;
pub mod profile;
pub mod rates;
pub mod report;
pub mod resolve;
pub mod schema;
pub mod toml_budget;

use std::path::Path;

use error::Diagnostics;

/// Reads, checks and resolves a profile from its text, against `book`.
/// `path` only names the file in messages and reports; nothing is read from it.
///
/// # Errors
/// The profile is larger than [`profile::MAX_PROFILE_BYTES`], not UTF-8 or
/// not TOML, or has problems (unknown keys, bad values, unknown assets,
/// weights that do not add up, ...): the error lists every problem found,
/// with file, line and column.
pub fn load(
    path: &Path,
    bytes: &[u8],
    book: &rates::RateBook,
) -> Result<model::Portfolio, Diagnostics> {
    let (text, spec, problems) = profile::read_profile(path, bytes)?;
    load_read(path, &text, &spec, problems, book)
}

/// The second half of [`load`]: resolves a profile already read (by
/// [`profile::read_profile`]), adding its problems to those found reading it.
/// `text` is the profile's text, into which the spans of `spec` and
/// `problems` point.
///
/// # Errors
/// `problems` is not empty, or resolving finds more: the error holds them
/// all, in file order, without duplicates.
pub fn load_read(
    path: &Path,
    text: &str,
    spec: &profile::ProfileSpec,
    mut problems: Vec<error::Diagnostic>,
    book: &rates::RateBook,
) -> Result<model::Portfolio, Diagnostics> {
    // Resolve even when reading found problems, so one run reports them all.
    match resolve::resolve(path, spec, book) {
        Ok(portfolio) if problems.is_empty() => Ok(portfolio),
        Ok(_) => Err(Diagnostics::new(path, text, "profile", problems)),
        Err(more) => {
            if problems.is_empty() {
                problems = more;
            } else {
                problems.extend(more.into_iter().filter(|d| !is_generic(d)));
            }
            profile::sort_by_place(&mut problems);
            problems.dedup();
            Err(Diagnostics::new(path, text, "profile", problems))
        }
    }
}

/// The catch-all resolve reports when it stopped on problems already reported.
fn is_generic(d: &error::Diagnostic) -> bool {
    d.span.is_none() && d.message == resolve::UNRESOLVED
}

/// The lints resolution fired for a portfolio (e.g. `assumed-asset`) as plan
/// warnings, minus those the profile allows; a plan's warnings are the
/// engine's followed by these.
#[must_use]
pub fn note_warnings(p: &model::Portfolio) -> Vec<engine::lint_catalogue::Warning> {
    p.notes
        .iter()
        .filter(|n| !p.lints.allow.iter().any(|a| a == n.lint.name()))
        .map(|n| engine::lint_catalogue::Warning {
            lint: n.lint,
            severity: n.lint.severity(),
            position: n.position.clone(),
            message: n.message.clone(),
        })
        .collect()
}
