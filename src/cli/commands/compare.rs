//! `yieldplan compare`: profiles side by side.

use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Args;
use yieldplan::engine::PlanReport;
use yieldplan::engine::check::compare;
use yieldplan::engine::simulate::SimSettings;
use yieldplan::report::{self, compare_document};

use crate::cli::args::{Output, SimArgs};
use crate::cli::files::emit;
use crate::cli::load::{book_for, load_profile};
use crate::cli::outcome::Outcome;
use crate::cli::progress::simulate_with_progress;

/// `yieldplan compare PROFILE PROFILE...`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Two or more profiles
    #[arg(required = true, num_args = 2..)]
    pub profiles: Vec<PathBuf>,
    /// Horizon in years for --simulate
    #[arg(long, value_name = "N", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub years: u32,
    #[command(flatten)]
    pub sim: SimArgs,
    #[command(flatten)]
    pub out: Output,
}

/// Plans every profile (and simulates each with `--simulate`) and writes the
/// comparison.
///
/// # Errors
/// Any profile is unusable, or the output cannot be written.
pub fn run(a: &CompareArgs) -> Result<Outcome> {
    let book = book_for(&a.out)?;
    let loaded = a
        .profiles
        .iter()
        .map(|p| load_profile(p, &book))
        .collect::<Result<Vec<_>>>()?;
    let plans: Vec<PlanReport> = loaded.iter().map(|(_, plan)| plan.clone()).collect();
    let mut report = compare(&plans);
    if a.sim.simulate {
        let settings = SimSettings {
            years: a.years,
            paths: a.sim.paths,
            seed: a.sim.seed,
        };
        for (row, (portfolio, plan)) in report.profiles.iter_mut().zip(&loaded) {
            row.success_probability =
                simulate_with_progress(portfolio, plan, settings).success_probability;
        }
    }
    let text = report::render(a.out.format, &report, compare_document);
    let inputs: Vec<&Path> = a.profiles.iter().map(PathBuf::as_path).collect();
    emit(a.out.output.as_deref(), &inputs, &text)?;
    Ok(Outcome::Success)
}
