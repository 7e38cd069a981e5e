//! `yieldplan plan`: one profile's positions, blended income bands, goal
//! status and warnings.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use yieldplan::report::{self, plan_document};

use crate::cli::args::Output;
use crate::cli::load::{book_for, load_profile};
use crate::cli::outcome::Outcome;
use crate::cli::output::emit;

/// `yieldplan plan PROFILE`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The profile to plan
    pub profile: PathBuf,
    #[command(flatten)]
    pub out: Output,
}

/// Plans the profile and writes the plan.
///
/// # Errors
/// The profile, rate book or pools snapshot is unusable, or the output cannot
/// be written.
pub fn run(a: &PlanArgs) -> Result<Outcome> {
    let book = book_for(&a.out)?;
    let (_, report) = load_profile(&a.profile, &book)?;
    let text = report::render(a.out.format, &report, plan_document);
    emit(a.out.output.as_deref(), &text)?;
    Ok(Outcome::Success)
}
