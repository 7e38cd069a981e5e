//! `yieldplan stress`: shock a profile and show which shock breaks its goal.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use yieldplan::engine::stress::stress;
use yieldplan::report::stress_document;

use crate::cli::args::Output;
use crate::cli::load::{book_for, load_profile};
use crate::cli::outcome::Outcome;
use crate::cli::output::emit;

/// `yieldplan stress PROFILE`.
#[derive(Debug, Args)]
pub struct StressArgs {
    /// The profile to stress
    pub profile: PathBuf,
    #[command(flatten)]
    pub out: Output,
}

/// Stresses the profile and writes the report.
///
/// # Errors
/// As `plan`.
pub fn run(a: &StressArgs) -> Result<Outcome> {
    let book = book_for(&a.out)?;
    let (portfolio, planned) = load_profile(&a.profile, &book)?;
    let report = stress(&portfolio, &planned);
    let text = crate::cli::terminal::render(
        a.out.format,
        a.out.output.as_deref(),
        &report,
        stress_document,
    );
    emit(a.out.output.as_deref(), &text)?;
    Ok(Outcome::Success)
}
