//! `yieldplan check`: profiles against their income goals and denied lints;
//! exit 1 when one fails, 2 when one is broken (the others still reported).

use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Args;
use yieldplan::engine::check::{self, CheckReport, Denied, Policy};
use yieldplan::engine::lints::Lint;
use yieldplan::engine::plan::Status;
use yieldplan::engine::simulate::{DEFAULT_PATHS, DEFAULT_SEED, SimSettings};
use yieldplan::error::Diagnostics;
use yieldplan::report::check_document;

use crate::cli::args::{Output, parse_probability};
use crate::cli::files::report_error;
use crate::cli::load::{book_for, load_profile};
use crate::cli::outcome::Outcome;
use crate::cli::output::emit;
use crate::cli::progress::simulate_with_progress;

/// Years `--min-success` simulates.
const MIN_SUCCESS_YEARS: u32 = 30;

/// `yieldplan check PROFILE...`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The profiles to check
    #[arg(required = true)]
    pub profiles: Vec<PathBuf>,
    /// Fail when this lint fires ("warnings": any warning); repeatable
    #[arg(long, value_name = "LINT", value_parser = parse_denied)]
    pub deny: Vec<Denied>,
    /// Ignore this lint; repeatable
    #[arg(long, value_name = "LINT", value_parser = parse_lint)]
    pub allow: Vec<Lint>,
    /// The goal status a profile needs to pass
    #[arg(long, value_name = "STATUS", default_value = "likely", value_parser = parse_status)]
    pub require: Status,
    /// Also fail a profile whose simulated chance of paying its goal every
    /// year is below P (a fraction or percent, e.g. 0.9 or 90%); runs the
    /// Monte Carlo with the default paths and seed over 30 years
    #[arg(long, value_name = "P", value_parser = parse_probability, allow_negative_numbers = true)]
    pub min_success: Option<f64>,
    #[command(flatten)]
    pub out: Output,
}

/// Checks every profile and writes the verdicts.
///
/// # Errors
/// The rate book or pools snapshot is unusable, or the output cannot be
/// written. A broken profile is not an error: it is reported and the run
/// exits 2 after checking the others.
pub fn run(a: &CheckArgs) -> Result<Outcome> {
    // A lint both denied and allowed would have one of the two flags do
    // nothing: refuse the pair.
    if let Some(both) = a.allow.iter().find(|l| a.deny.contains(&Denied::Lint(**l))) {
        anyhow::bail!(
            "--deny {0} and --allow {0} contradict each other\n  = help: give one of the two",
            both.name()
        );
    }
    let book = book_for(&a.out)?;
    let policy = Policy {
        require: a.require,
        deny: a.deny.clone(),
        allow: a.allow.clone(),
    };
    let mut broken = false;
    let verdicts = a
        .profiles
        .iter()
        .map(|path| match checked(path, &book, &policy, a.min_success) {
            Ok(verdict) => {
                // Planned, but the simulation could not run.
                broken |= verdict.error.is_some();
                verdict
            }
            Err(e) => {
                broken = true;
                report_error(&e);
                let path = path.display().to_string();
                match e.downcast_ref::<Diagnostics>() {
                    Some(d) => check::unplannable(&path, d),
                    None => check::broken(&path, format!("{e:#}")),
                }
            }
        })
        .collect();
    let mut report = CheckReport::new(a.require, verdicts);
    report.simulated = a.min_success.is_some();
    let text = crate::cli::terminal::render(
        a.out.format,
        a.out.output.as_deref(),
        &report,
        check_document,
    );
    emit(a.out.output.as_deref(), &text)?;
    Ok(if broken {
        Outcome::InputError
    } else if report.passed {
        Outcome::Success
    } else {
        Outcome::CheckFailed
    })
}

/// One profile's verdict: planned and judged, and simulated against
/// `min_success` when given.
fn checked(
    path: &Path,
    book: &yieldplan::rates::RateBook,
    policy: &Policy,
    min_success: Option<f64>,
) -> Result<check::Verdict> {
    let (portfolio, plan) = load_profile(path, book)?;
    let mut verdict = check::judge(&plan, policy);
    if let Some(min) = min_success {
        let settings = SimSettings {
            years: MIN_SUCCESS_YEARS,
            paths: DEFAULT_PATHS,
            seed: DEFAULT_SEED,
        };
        match simulate_with_progress(path, &portfolio, &plan, settings, false) {
            Ok(sim) => check::require_success(&mut verdict, sim.success_probability, min),
            Err(e) => {
                // The plan stands (its status and warnings are shown); the
                // chance of paying the goal could not be found.
                report_error(&e);
                check::unsimulated(&mut verdict, MIN_SUCCESS_YEARS, format!("{e:#}"));
            }
        }
    }
    Ok(verdict)
}

fn lint_help(text: &str) -> String {
    let names = Lint::NAMES.join(", ");
    match yieldplan::error::nearest(text, Lint::NAMES) {
        Some(n) => format!("unknown lint \"{text}\"; did you mean \"{n}\"? (lints: {names})"),
        None => format!("unknown lint \"{text}\" (lints: {names})"),
    }
}

fn parse_lint(text: &str) -> Result<Lint, String> {
    Lint::parse(text).ok_or_else(|| lint_help(text))
}

fn parse_denied(text: &str) -> Result<Denied, String> {
    if text == "warnings" {
        return Ok(Denied::Warnings);
    }
    Lint::parse(text)
        .map(Denied::Lint)
        .ok_or_else(|| lint_help(text) + " or \"warnings\"")
}

fn parse_status(text: &str) -> Result<Status, String> {
    Status::parse(text).ok_or_else(|| {
        format!(
            "unknown status \"{text}\"; use one of: {}",
            Status::NAMES.join(", ")
        )
    })
}
