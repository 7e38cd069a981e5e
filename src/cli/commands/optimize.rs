//! `yieldplan optimize`: the mix that meets the income goal with the least
//! risk (or the most income, or the least CVaR), its plan, and with
//! `--output` a new profile holding it.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use yieldplan::engine::optimize::{GoalBand, Objective, OptimizeStatus};
use yieldplan::engine::simulate::DEFAULT_SEED;
use yieldplan::optimize::{OptimizeSettings, optimize_profile};
use yieldplan::pools::{Candidate, DEFAULT_MIN_TVL};
use yieldplan::profile::NewPosition;
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
    /// A DefiLlama pools snapshot whose sustainable pools (at or above --min-tvl, tokens the
    /// rate book knows) become candidate positions, free from 0% to 100%
    #[arg(long, value_name = "POOLS.json")]
    pub candidates: Option<PathBuf>,
    /// TVL floor of a candidate pool, in USD
    #[arg(long, value_name = "USD", default_value_t = DEFAULT_MIN_TVL, value_parser = crate::cli::args::parse_tvl, allow_negative_numbers = true, requires = "candidates")]
    pub min_tvl: f64,
    /// One-year scenarios for min-cvar (100 to 100,000; default 2000)
    #[arg(long, value_name = "N", value_parser = parse_scenarios, allow_negative_numbers = true)]
    pub scenarios: Option<u32>,
    /// Seed of the min-cvar scenarios: the same seed gives the same answer
    #[arg(long, value_name = "S", value_parser = parse_seed, allow_negative_numbers = true)]
    pub seed: Option<u64>,
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
    let mut read = read_profile_with_book(&a.profile, &book)?;
    let mut offered: Vec<Candidate> = Vec::new();
    if let Some(path) = &a.candidates {
        let snapshot = crate::cli::load::read_pools(path)?;
        yieldplan::pools::add_to_book(
            &mut read.book,
            &snapshot,
            &format!("DefiLlama pools snapshot {}", path.display()),
        );
        let existing: Vec<String> = read
            .spec
            .positions
            .iter()
            .filter_map(|p| p.name.as_ref().map(|n| n.value.clone()))
            .collect();
        let offer = yieldplan::pools::offer(&snapshot, &read.book, a.min_tvl, &existing);
        if let Some(note) = offer.note() {
            print_error(&format!("note: {note}"));
        }
        offered = offer.candidates;
        read.spec = yieldplan::resolve::choices::with_candidates(&read.spec, &offered);
    }
    let objective = a.objective.unwrap_or(if read.spec.goal.is_some() {
        Objective::MinRisk
    } else {
        Objective::MaxIncome
    });
    if objective != Objective::MinCvar {
        let given: Vec<&str> = [a.scenarios.map(|_| "--scenarios"), a.seed.map(|_| "--seed")]
            .into_iter()
            .flatten()
            .collect();
        if !given.is_empty() {
            return Err(anyhow::anyhow!(
                "{} only {} to --objective min-cvar (the objective here is {objective}); add --objective min-cvar or leave {} out",
                given.join(" and "),
                if given.len() == 1 { "applies" } else { "apply" },
                if given.len() == 1 { "it" } else { "them" }
            ));
        }
    }
    let settings = OptimizeSettings {
        objective,
        band: a.band,
        scenarios: a.scenarios.unwrap_or(DEFAULT_SCENARIOS),
        seed: a.seed.unwrap_or(DEFAULT_SEED),
    };
    let mut done = optimize_profile(
        &a.profile,
        &read.text,
        &read.spec,
        read.problems,
        &read.book,
        settings,
    )?;
    if let Some(plan) = done.report.plan.as_mut() {
        let mut inputs = read.inputs.clone();
        inputs.rates_file = a.rates.as_ref().map(|p| p.display().to_string());
        if let Some(p) = &a.pools {
            inputs.pools_files.insert(0, p.display().to_string());
        }
        if let Some(p) = &a.candidates {
            inputs.pools_files.push(p.display().to_string());
        }
        plan.inputs = Some(inputs);
    }
    let style = crate::cli::terminal::table_style(None);
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
        let added: Vec<NewPosition> = offered
            .iter()
            .map(|c| NewPosition {
                name: c.name.clone(),
                strategy: c.strategy,
                pool_id: c.id.clone(),
            })
            .collect();
        let pools = a
            .candidates
            .as_deref()
            .map(|c| pools_from(path, c))
            .unwrap_or_default();
        let new = yieldplan::profile::rewrite_weights(
            &read.text,
            &done.sizes,
            &names,
            &added,
            &pools,
            &note,
        )
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
        write_new("--output", path, &new)?;
    }
    emit(None, &text)?;
    Ok(Outcome::Success)
}

/// How a profile written at `profile` names the snapshot `snapshot` (a path
/// from the current folder): by file name when they share a folder, else by
/// its absolute path.
fn pools_from(profile: &std::path::Path, snapshot: &std::path::Path) -> String {
    let folder = |p: &std::path::Path| {
        std::path::absolute(p)
            .ok()
            .and_then(|a| a.parent().map(std::path::Path::to_path_buf))
    };
    match (folder(profile), folder(snapshot), snapshot.file_name()) {
        (Some(a), Some(b), Some(name)) if a == b => name.to_string_lossy().into_owned(),
        _ => std::path::absolute(snapshot)
            .unwrap_or_else(|_| snapshot.to_path_buf())
            .display()
            .to_string(),
    }
}
