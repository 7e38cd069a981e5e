//! `yieldplan optimize`: the mix that meets the income goal with the least
//! risk (or the most income, or the least CVaR), its plan, and with
//! `--output` a new profile holding it.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use yieldplan::engine::optimize::{GoalBand, Objective, OptimizeStatus};
use yieldplan::engine::simulate::DEFAULT_SEED;
use yieldplan::optimize::{OptimizeSettings, optimize_profile};
use yieldplan::report::{self, Format, optimize_document};

use crate::cli::args::{one_of, parse_seed, report_format};
use crate::cli::files::print_error;
use crate::cli::load::{book_from, read_profile_with_book};
use crate::cli::outcome::Outcome;
use crate::cli::output::{emit, write_new};

/// Default number of one-year scenarios for min-CVaR.
pub const DEFAULT_SCENARIOS: u32 = 2_000;

/// `yieldplan optimize PROFILE`.
#[derive(Debug, Args)]
pub struct OptimizeArgs {
    /// The profile whose weights to choose
    pub profile: PathBuf,
    /// What to aim at (default: min-risk with an income goal, max-income without)
    #[arg(long, value_parser = one_of::<Objective>())]
    pub objective: Option<Objective>,
    /// The band the income goal must be met at: low (the plan meets it) or mid (likely)
    #[arg(long, value_parser = one_of::<GoalBand>(), default_value = "low")]
    pub band: GoalBand,
    /// Output format of the report
    #[arg(short, long, value_parser = report_format(), default_value_t = Format::Table)]
    pub format: Format,
    /// Write the profile with the chosen weights to NEW.toml (never overwrites a file)
    #[arg(short, long, value_name = "NEW.toml")]
    pub output: Option<PathBuf>,
    /// A rate book file that extends (or, with `replace = true`, replaces) the default
    #[arg(long, value_name = "FILE")]
    pub rates: Option<PathBuf>,
    /// A saved DefiLlama pools snapshot that positions with a `pool_id` take their yield from
    #[arg(long, value_name = "FILE")]
    pub pools: Option<PathBuf>,
    /// One-year scenarios for min-cvar (100 to 100,000)
    #[arg(long, value_name = "N", default_value_t = DEFAULT_SCENARIOS, value_parser = parse_scenarios, allow_negative_numbers = true)]
    pub scenarios: u32,
    /// Seed of the min-cvar scenarios: the same seed gives the same answer
    #[arg(long, value_name = "S", default_value_t = DEFAULT_SEED, value_parser = parse_seed, allow_negative_numbers = true)]
    pub seed: u64,
}

fn parse_scenarios(text: &str) -> Result<u32, String> {
    crate::cli::args::parse_count(text, "scenarios", 100, 100_000).map(|n| n as u32)
}

/// Optimizes the profile, prints the report and writes `--output`.
///
/// # Errors
/// The profile, rate book or snapshot is unusable, or an output cannot be written.
pub fn run(a: &OptimizeArgs) -> Result<Outcome> {
    let book = book_from(a.rates.as_deref(), a.pools.as_deref())?;
    let read = read_profile_with_book(&a.profile, &book)?;
    let objective = a.objective.unwrap_or(if read.spec.goal.is_some() {
        Objective::MinRisk
    } else {
        Objective::MaxIncome
    });
    let settings = OptimizeSettings {
        objective,
        band: a.band,
        scenarios: a.scenarios,
        seed: a.seed,
    };
    let done = optimize_profile(
        &a.profile,
        &read.text,
        &read.spec,
        read.problems,
        &read.book,
        settings,
    )?;
    let style = crate::cli::terminal::table_style(None, false);
    let text = report::render_styled(a.format, style, &done.report, optimize_document);
    if done.report.status == OptimizeStatus::Infeasible {
        emit(None, &text)?;
        if a.output.is_some() {
            print_error("no profile written: no mix meets every constraint");
        }
        return Ok(Outcome::CheckFailed);
    }
    if let Some(path) = &a.output {
        let names: Vec<String> = done
            .report
            .positions
            .iter()
            .map(|p| p.name.clone())
            .collect();
        let note = format!(
            "Weights chosen by `yieldplan optimize --objective {objective} --band {}`.",
            a.band
        );
        let new = yieldplan::profile::rewrite_weights(&read.text, &done.sizes, &names, &note)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
        write_new("--output", path, &new)?;
    }
    emit(None, &text)?;
    Ok(Outcome::Success)
}
