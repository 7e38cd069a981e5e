//! `yieldplan project`: a profile year by year, deterministic or simulated.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use yieldplan::engine::project::project;
use yieldplan::engine::simulate::SimSettings;
use yieldplan::report;

use crate::cli::args::{Output, SimArgs};
use crate::cli::load::{book_for, load_profile};
use crate::cli::outcome::Outcome;
use crate::cli::output::{commit, distinct_outputs, stage_file, stage_output};
use crate::cli::progress::simulate_with_progress;

/// `yieldplan project PROFILE`.
#[derive(Debug, Args)]
pub struct ProjectArgs {
    /// The profile to project
    pub profile: PathBuf,
    /// How many years to project (1 to 100)
    #[arg(long, value_name = "N", default_value_t = 30, value_parser = crate::cli::args::parse_years, allow_negative_numbers = true)]
    pub years: u32,
    #[command(flatten)]
    pub sim: SimArgs,
    #[command(flatten)]
    pub out: Output,
}

/// Projects (or simulates) the profile and writes the result, and the plot
/// when asked.
///
/// # Errors
/// As `plan`, or the plot cannot be drawn or written.
pub fn run(a: &ProjectArgs) -> Result<Outcome> {
    distinct_outputs(&[
        ("--output", a.out.output.as_deref()),
        ("--plot", a.sim.plot.as_deref()),
    ])?;
    let mut plot = None;
    let book = book_for(&a.out)?;
    let (portfolio, planned) = load_profile(&a.profile, &book)?;
    let text = if a.sim.simulate {
        let settings = SimSettings {
            years: a.years,
            paths: a.sim.paths,
            seed: a.sim.seed,
        };
        let sim = simulate_with_progress(&a.profile, &portfolio, &planned, settings, true)?;
        if let Some(path) = &a.sim.plot {
            let svg = report::simulation_svg(&sim, a.sim.chart(planned.portfolio.value))
                .map_err(|e| anyhow::anyhow!("cannot draw the plot: {e}"))?;
            plot = Some(stage_file("--plot", path, &svg)?);
        }
        crate::cli::terminal::render(
            a.out.format,
            a.out.output.as_deref(),
            &sim,
            report::simulation_document,
        )
    } else {
        let projection = project(&portfolio, &planned, a.years).map_err(|e| {
            anyhow::anyhow!(
                "{}: {e}\n  = help: {}",
                crate::cli::files::shown(&a.profile),
                e.help
            )
        })?;
        crate::cli::terminal::render(
            a.out.format,
            a.out.output.as_deref(),
            &projection,
            report::project_document,
        )
    };
    // The report and the plot are written together or not at all.
    let report = stage_output(a.out.output.as_deref(), &text)?;
    commit(std::iter::once(report).chain(plot).collect())?;
    Ok(Outcome::Success)
}
