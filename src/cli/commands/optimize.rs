//! `yieldplan optimize`: the mix that meets the income goal with the least
//! risk (or the most income, or the least CVaR), its plan, and with
//! `--output` a new profile holding it.

use std::path::{Component, Path, PathBuf};

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
use crate::cli::output::{commit, emit, stage_new, stage_output};

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
    /// The band the income goal must be met at: low (the plan meets it; the default) or mid
    /// (likely); only with an income goal
    #[arg(long, value_parser = one_of::<GoalBand>())]
    pub band: Option<GoalBand>,
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
    crate::cli::args::parse_count(text, "--scenarios", 100, 100_000).map(|n| n as u32)
}

/// Optimizes the profile, prints the report and writes `--output`.
///
/// # Errors
/// The profile, rate book or snapshot is unusable, or an output cannot be written.
pub fn run(a: &OptimizeArgs) -> Result<Outcome> {
    if a.output.as_deref() == Some(std::path::Path::new("-")) {
        return Err(anyhow::anyhow!(
            "--output - would put the new profile on standard output, where the report goes; give --output a file name (e.g. --output mine.toml)"
        ));
    }
    crate::cli::output::toml_output(
        a.output.as_deref(),
        "a profile",
        "name it NEW.toml; the report itself goes to standard output (e.g. `-f json > report.json`)",
    )?;
    let book = book_from(a.rates.as_deref(), a.pools.as_deref())?;
    let mut read = read_profile_with_book(&a.profile, &book)?;
    if crate::cli::load::pools_given(&read.book)
        && read.spec.positions.iter().all(|p| p.pool_id.is_none())
    {
        crate::cli::load::note_unused_pools(&a.profile);
    }
    let mut offered: Vec<Candidate> = Vec::new();
    if let Some(path) = &a.candidates {
        let snapshot = crate::cli::load::read_pools(path)?;
        // Its repeated ids and skipped entries are said as for --pools.
        crate::cli::load::add_snapshot(&mut read.book, path, &snapshot);
        let existing: Vec<String> = read
            .spec
            .positions
            .iter()
            .filter_map(|p| p.name.as_ref().map(|n| n.value.clone()))
            .collect();
        let offer = yieldplan::pools::offer(&snapshot, &read.book, a.min_tvl, &existing);
        if offer.candidates.len() > MAX_CANDIDATES {
            return Err(too_many_candidates(&snapshot, &offer.candidates, a.min_tvl));
        }
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
    if let (Some(band), None) = (a.band, &read.spec.goal) {
        return Err(anyhow::anyhow!(
            "--band {band} sets the band the income goal must be met at, and {} has no [goal]; add a [goal] or leave --band out",
            crate::cli::files::shown(&a.profile)
        ));
    }
    let settings = OptimizeSettings {
        objective,
        band: a.band.unwrap_or(GoalBand::Low),
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
        if a.format == Format::Csv {
            // CSV holds the weights grid only: the reason goes to stderr.
            for line in done.report.infeasible.iter().flat_map(|w| &w.lines) {
                print_error(&format!("note: {line}"));
            }
        }
        if a.output.is_some() {
            print_error("no profile written: no mix meets every constraint");
        }
        return Ok(Outcome::CheckFailed);
    }
    if let Some(path) = &a.output {
        let new = new_profile(a, path, &done, &read.text, &offered, objective)?;
        // By construction the new file plans to the plan shown; planned here
        // from its own text, so a file that would not is never written.
        let same = done.report.plan.as_ref().is_some_and(|shown| {
            yieldplan::optimize::plans_as_shown(&a.profile, &new, &read.book, shown)
                .unwrap_or(false)
        });
        if !same {
            return Err(anyhow::anyhow!(
                "no profile written to {}: planned from its own text, the new profile differs from the plan shown; please report this with the profile",
                path.display()
            ));
        }
        // The new profile and the report are written together or not at all.
        let profile = stage_new("--output", path, &new)?;
        commit(vec![stage_output(None, &text)?, profile])?;
        return Ok(Outcome::Success);
    }
    emit(None, &text)?;
    Ok(Outcome::Success)
}

/// The text of the profile `--output` writes at `path`: `text` (the
/// original) with the chosen weights and candidates, its `#:schema` path
/// made to resolve from `path`'s folder.
fn new_profile(
    a: &OptimizeArgs,
    path: &Path,
    done: &yieldplan::optimize::Optimized,
    text: &str,
    offered: &[Candidate],
    objective: Objective,
) -> Result<String> {
    let names: Vec<String> = done
        .report
        .positions
        .iter()
        .map(|p| p.name.clone())
        .collect();
    let note = format!(
        "Weights chosen by `yieldplan optimize --objective {objective} --band {}`.",
        a.band.unwrap_or(GoalBand::Low)
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
    let new = yieldplan::profile::rewrite_weights(text, &done.sizes, &names, &added, &pools, &note)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    let relocated = relocate_schema(&new, &a.profile, path);
    Ok(yieldplan::profile::with_layout_of(text, &relocated))
}

/// How a profile written at `profile` names the snapshot `snapshot` (a path
/// from the current folder): relative to the profile's folder when both
/// have one, else by its absolute path.
fn pools_from(profile: &Path, snapshot: &Path) -> String {
    match (folder_of(profile), std::path::absolute(snapshot)) {
        (Some(dir), Ok(target)) => relative(&normal(&target), &dir),
        _ => snapshot.display().to_string(),
    }
}

/// The absolute, lexically normal folder of `file`.
fn folder_of(file: &Path) -> Option<PathBuf> {
    std::path::absolute(file)
        .ok()
        .map(|a| normal(&a))
        .and_then(|a| a.parent().map(Path::to_path_buf))
}

/// `path` with `.` left out and `..` taken back (no file system access).
fn normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `target` (absolute, normal) as seen from the folder `from` (likewise),
/// with `/` between parts; absolute when they share no folder but the root.
fn relative(target: &Path, from: &Path) -> String {
    let t: Vec<Component> = target.components().collect();
    let f: Vec<Component> = from.components().collect();
    let same = t.iter().zip(&f).take_while(|(a, b)| a == b).count();
    // Sharing only the root: the absolute path says more.
    if same <= 1 {
        return target.display().to_string();
    }
    let mut parts: Vec<String> = vec!["..".to_string(); f.len() - same];
    parts.extend(
        t[same..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// `text` (the new profile) with a relative `#:schema` path on its first
/// line made relative to `output`'s folder instead of `input`'s.
fn relocate_schema(text: &str, input: &Path, output: &Path) -> String {
    let Some(first) = text.lines().next() else {
        return text.to_string();
    };
    let Some(target) = first.strip_prefix("#:schema").map(str::trim) else {
        return text.to_string();
    };
    let target_path = Path::new(target);
    if target.is_empty() || target.contains("://") || target_path.is_absolute() {
        return text.to_string();
    }
    let (Some(from), Some(to)) = (folder_of(input), folder_of(output)) else {
        return text.to_string();
    };
    if from == to || input == Path::new("-") || input.starts_with("/dev") {
        return text.to_string();
    }
    let moved = relative(&normal(&from.join(target_path)), &to);
    format!("#:schema {moved}{}", &text[first.len()..])
}

/// The most candidate pools `optimize` weighs at once. The solver's time
/// grows faster than the number of weights (measured on one 2-core machine:
/// 3,000 candidates 0.5 s, 10,000 about 5 s, 100,000 not done after 8
/// minutes), so a larger offer is refused with the TVL floor that would
/// bring it under the limit.
const MAX_CANDIDATES: usize = 5_000;

/// The refusal of more than [`MAX_CANDIDATES`] candidates, naming the
/// `--min-tvl` that keeps the largest ones.
fn too_many_candidates(
    snapshot: &yieldplan::pools::Snapshot,
    offered: &[Candidate],
    min_tvl: f64,
) -> anyhow::Error {
    let tvl: std::collections::HashMap<&str, f64> = snapshot
        .pools
        .iter()
        .map(|p| (p.id.as_str(), p.tvl_usd))
        .collect();
    let mut tvls: Vec<f64> = offered
        .iter()
        .filter_map(|c| tvl.get(c.id.as_str()).copied())
        .collect();
    tvls.sort_by(|a, b| b.total_cmp(a));
    // The smallest TVL strictly above the one just past the limit.
    let floor = tvls
        .get(MAX_CANDIDATES)
        .map(|cut| (cut.floor() + 1.0).max(min_tvl));
    // A floor that keeps none (every pool at one TVL) is no advice.
    let hint = match floor {
        Some(f) if tvls.first().is_some_and(|top| *top >= f) => {
            let kept = tvls.iter().filter(|t| **t >= f).count();
            format!(" (--min-tvl {f:.0} keeps the {kept} largest)")
        }
        _ => " (their TVLs are too alike for a floor to keep some: filter the snapshot instead)"
            .to_string(),
    };
    anyhow::anyhow!(
        "{} pools qualify as candidates at --min-tvl {min_tvl:.0}, more than the {} optimize weighs at once\n  = help: raise --min-tvl{hint}, or give a snapshot of the pools you would consider",
        offered.len(),
        MAX_CANDIDATES
    )
}
