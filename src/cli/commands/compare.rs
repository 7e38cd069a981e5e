//! `yieldplan compare`: profiles side by side.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use yieldplan::engine::PlanReport;
use yieldplan::engine::check::compare;
use yieldplan::engine::simulate::SimSettings;
use yieldplan::report::{self, compare_document};

use crate::cli::args::{Output, SimArgs};
use crate::cli::files::shown;
use crate::cli::load::{book_for, load_profile};
use crate::cli::outcome::Outcome;
use crate::cli::output::{commit, distinct_outputs, stage_file, stage_output};
use crate::cli::progress::simulate_with_progress;

/// `yieldplan compare PROFILE PROFILE...`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Two or more profiles
    #[arg(required = true, num_args = 2..)]
    pub profiles: Vec<PathBuf>,
    /// Horizon in years for --simulate (1 to 100)
    #[arg(long, value_name = "N", default_value_t = 30, requires = "simulate", value_parser = crate::cli::args::parse_years, allow_negative_numbers = true)]
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
    distinct_outputs(&[
        ("--output", a.out.output.as_deref()),
        ("--plot", a.sim.plot.as_deref()),
    ])?;
    let mut plot = None;
    let book = book_for(&a.out)?;
    let loaded = a
        .profiles
        .iter()
        .map(|p| load_profile(p, &book))
        .collect::<Result<Vec<_>>>()?;
    let plans: Vec<PlanReport> = loaded.iter().map(|(_, plan)| plan.clone()).collect();
    if a.sim.simulate && a.sim.plot.is_some() {
        one_currency(&a.profiles, &plans)?;
    }
    let mut report = compare(&plans);
    if a.sim.simulate {
        let settings = SimSettings {
            years: a.years,
            paths: a.sim.paths,
            seed: a.sim.seed,
        };
        let mut sims = Vec::with_capacity(loaded.len());
        for ((row, (portfolio, plan)), path) in
            report.profiles.iter_mut().zip(&loaded).zip(&a.profiles)
        {
            let sim = simulate_with_progress(path, portfolio, plan, settings, true)?;
            row.success_probability = sim.success_probability;
            sims.push(sim);
        }
        if let Some(path) = &a.sim.plot {
            let svg = report::comparison_svg(
                &sims,
                &plans.iter().map(|p| p.portfolio.value).collect::<Vec<_>>(),
                a.sim.chart(yieldplan::money::Money::ZERO),
            )
            .map_err(|e| anyhow::anyhow!("cannot draw the plot: {e}"))?;
            plot = Some(stage_file("--plot", path, &svg)?);
        }
    }
    let text = crate::cli::terminal::render(
        a.out.format,
        a.out.output.as_deref(),
        &report,
        compare_document,
    );
    // The report and the plot are written together or not at all.
    let report = stage_output(a.out.output.as_deref(), &text)?;
    commit(std::iter::once(report).chain(plot).collect())?;
    Ok(Outcome::Success)
}

/// Refuses `--plot` over profiles in different currencies: their medians
/// would share one money axis, labelled in the first profile's currency.
///
/// # Errors
/// Two profiles are in different currencies.
fn one_currency(paths: &[PathBuf], plans: &[PlanReport]) -> Result<()> {
    let Some(first) = plans.first() else {
        return Ok(());
    };
    if plans
        .iter()
        .all(|p| p.portfolio.currency == first.portfolio.currency)
    {
        return Ok(());
    }
    let each: Vec<String> = paths
        .iter()
        .zip(plans)
        .map(|(path, plan)| format!("{} is in {}", shown(path), plan.portfolio.currency))
        .collect();
    anyhow::bail!(
        "--plot draws every profile on one money axis, but the profiles are in different currencies ({}); plot them one at a time (yieldplan project PROFILE --simulate --plot FILE.svg), or leave out --plot",
        each.join(", ")
    )
}
