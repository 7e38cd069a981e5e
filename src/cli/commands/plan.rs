//! `yieldplan plan`: one profile's positions, blended income bands, goal
//! status and warnings.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use yieldplan::report::{self, plan_document};

use crate::cli::args::{Output, SimArgs};
use crate::cli::load::{book_for, load_profile, note_inputs};
use crate::cli::outcome::Outcome;
use crate::cli::output::{commit, distinct_outputs, stage_file, stage_output};
use crate::cli::progress::simulate_with_progress;
use yieldplan::engine::simulate::SimSettings;

/// `yieldplan plan PROFILE`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The profile to plan
    pub profile: PathBuf,
    /// Horizon in years for --simulate (1 to 100)
    #[arg(long, value_name = "N", default_value_t = 30, value_parser = crate::cli::args::parse_years, allow_negative_numbers = true, requires = "simulate")]
    pub years: u32,
    #[command(flatten)]
    pub sim: SimArgs,
    #[command(flatten)]
    pub out: Output,
}

/// Plans the profile (and with `--simulate` runs the Monte Carlo beside it)
/// and writes the plan.
///
/// # Errors
/// The profile, rate book or pools snapshot is unusable, or the output cannot
/// be written.
pub fn run(a: &PlanArgs) -> Result<Outcome> {
    distinct_outputs(&[
        ("--output", a.out.output.as_deref()),
        ("--plot", a.sim.plot.as_deref()),
    ])?;
    if a.sim.simulate && a.sim.plot.is_none() && a.out.format == yieldplan::report::Format::Csv {
        anyhow::bail!(
            "--simulate adds the simulation's summary, which a plan's CSV (one row per position) has no place for\n  = help: use --format json or a table, `yieldplan project PROFILE --simulate --format csv` for the simulation's yearly figures, or --plot FILE.svg for its chart"
        );
    }
    let mut plot = None;
    let book = book_for(&a.out)?;
    let (portfolio, mut report) = load_profile(&a.profile, &book)?;
    note_inputs(&mut report, &a.out);
    if a.sim.simulate {
        let settings = SimSettings {
            years: a.years,
            paths: a.sim.paths,
            seed: a.sim.seed,
        };
        let sim = simulate_with_progress(&a.profile, &portfolio, &report, settings, true)?;
        if let Some(path) = &a.sim.plot {
            let svg = report::simulation_svg(&sim, a.sim.chart(report.portfolio.value))
                .map_err(|e| anyhow::anyhow!("cannot draw the plot: {e}"))?;
            plot = Some(stage_file("--plot", path, &svg)?);
        }
        report.simulation = Some(sim.for_plan());
    }
    let style = crate::cli::terminal::table_style(a.out.output.as_deref());
    let text = report::render_styled(a.out.format, style, &report, plan_document);
    // The report and the plot are written together or not at all.
    let report = stage_output(a.out.output.as_deref(), &text)?;
    commit(std::iter::once(report).chain(plot).collect())?;
    Ok(Outcome::Success)
}
