//! The one path from a profile to its optimal mix: read what may be chosen
//! (`resolve::choices`), build and solve the linear program
//! (`engine::optimize`), put the weights on a grid a profile can hold, and
//! plan the profile with them, exactly as `plan` would plan the written
//! profile. It sits beside [`crate::load`] because it needs both `resolve`
//! and `engine`. No I/O: callers read the file and write the result.

use std::path::Path;

use rust_decimal::Decimal;

use crate::engine::floats::float;
use crate::engine::optimize::report::{
    ChosenWeight, Infeasibility, ObjectiveOut, OptimizeReport, OptimizeStatus,
};
use crate::engine::optimize::rounding::{Rounded, round};
use crate::engine::optimize::{
    GoalBand, Limit, Objective, Problem, build, explain, scenarios, solve,
};
use crate::engine::plan::{PlanReport, ProfileRef, SCHEMA_VERSION};
use crate::error::Diagnostics;
use crate::model::{Choices, Portfolio, Sizing};
use crate::profile::ProfileSpec;
use crate::rates::RateBook;
use crate::resolve::choices;

/// How many times the goal is raised when the rounded mix falls short of it.
const ROUNDING_RETRIES: u32 = 12;
/// The first extra margin (a yield, fraction of the value) added to the goal
/// on a retry; it doubles on each one, so a shortfall smaller than one 0.01%
/// grid step still moves the rounded mix.
const FIRST_MARGIN: f64 = 1e-6;

/// What to optimize.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OptimizeSettings {
    /// The objective.
    pub objective: Objective,
    /// The band the income goal must be met at.
    pub band: GoalBand,
    /// One-year scenarios for min-CVaR (at least 20).
    pub scenarios: u32,
    /// The seed of the scenarios.
    pub seed: u64,
}

/// The result: the report, and how to write each position back into the
/// profile (empty when infeasible).
#[derive(Clone, Debug, PartialEq)]
pub struct Optimized {
    /// What was found.
    pub report: OptimizeReport,
    /// One per profile position, in order; empty when infeasible.
    pub sizes: Vec<Sizing>,
}

/// Optimizes a profile already read (by [`crate::profile::read_profile`]),
/// `problems` being what reading it found.
///
/// # Errors
/// The profile has problems (all of them, with places), as [`crate::load_read`].
pub fn optimize_profile(
    path: &Path,
    text: &str,
    spec: &ProfileSpec,
    problems: Vec<crate::error::Diagnostic>,
    book: &RateBook,
    settings: OptimizeSettings,
) -> Result<Optimized, Diagnostics> {
    let probe = crate::load_read(path, text, &choices::probe(spec), problems, book)?;
    let c = choices::choices(spec, &probe, book);
    let draws = if settings.objective == Objective::MinCvar {
        scenarios::draw(&probe, &c, settings.scenarios, settings.seed).map_err(|e| {
            Diagnostics::new(
                path,
                text,
                "profile",
                vec![crate::error::Diagnostic::new(None, e.message).with_help(e.help)],
            )
        })?
    } else {
        Vec::new()
    };
    let mut problem = build(&probe, &c, settings.objective, settings.band, draws);
    let chain_cap = float(probe.lints.chain_concentration.0);
    let reference = ProfileRef {
        name: probe.name.clone(),
        path: probe.path.clone(),
    };
    let base = |status, value, positions, infeasible, plan| OptimizeReport {
        schema_version: SCHEMA_VERSION,
        profile: reference.clone(),
        status,
        objective: ObjectiveOut {
            kind: settings.objective,
            value,
        },
        band: settings.band,
        all_free: c.all_free,
        positions,
        binding: Vec::new(),
        infeasible,
        plan,
    };
    let Ok(mut solved) = solve(&problem, &problem.rows) else {
        let why = explain::explain(&problem, &c, chain_cap);
        return Ok(Optimized {
            report: base(
                OptimizeStatus::Infeasible,
                None,
                chosen(&c, None),
                Some(why),
                None,
            ),
            sizes: Vec::new(),
        });
    };
    let mut rounded = round(&solved.weights, &c);
    let mut plan = plan_with(path, text, spec, book, &rounded)?;
    let goal_rhs: Vec<f64> = problem.rows.iter().map(|r| r.rhs).collect();
    let mut margin = 0.0;
    for attempt in 0..ROUNDING_RETRIES {
        let Some(short) = shortfall(&plan, settings.band, &probe) else {
            break;
        };
        // The rounded mix (planned exactly as the written profile is: index
        // members split to the cent, amounts, "rest", tax) misses the goal by
        // a hair: ask the program for that much more plus a margin that
        // doubles on every try, and round again.
        margin += short + FIRST_MARGIN * f64::from(1u32 << attempt);
        for (r, rhs) in problem.rows.iter_mut().zip(&goal_rhs) {
            if r.limit == Limit::Goal {
                r.rhs = rhs + margin;
            }
        }
        let Ok(again) = solve(&problem, &problem.rows) else {
            break;
        };
        solved = again;
        rounded = round(&solved.weights, &c);
        plan = plan_with(path, text, spec, book, &rounded)?;
    }
    let w: Vec<f64> = rounded.weights.iter().map(|d| float(*d)).collect();
    let value = objective_at(&problem, &w);
    let mut report = base(
        OptimizeStatus::Optimal,
        Some(crate::engine::floats::money(value * problem.value).settle()),
        chosen(&c, Some(&rounded)),
        None::<Infeasibility>,
        Some(plan),
    );
    report.binding = explain::binding(&problem, &solved.weights, solved.objective, &c, chain_cap);
    Ok(Optimized {
        report,
        sizes: rounded.sizes,
    })
}

/// Resolves and plans the profile with the rounded weights, as `plan` would
/// plan the profile written with them.
fn plan_with(
    path: &Path,
    text: &str,
    spec: &ProfileSpec,
    book: &RateBook,
    rounded: &Rounded,
) -> Result<PlanReport, Diagnostics> {
    let sized = choices::with_sizes(spec, &rounded.sizes);
    let portfolio = crate::load_read(path, text, &sized, Vec::new(), book)?;
    let mut planned = crate::engine::plan(&portfolio);
    planned.warnings.extend(crate::note_warnings(&portfolio));
    Ok(planned)
}

/// How far (a yield, fraction of the value) the plan's goal basis at `band`
/// falls short of the goal; `None` when it covers it or there is no goal.
fn shortfall(plan: &PlanReport, band: GoalBand, p: &Portfolio) -> Option<f64> {
    let g = p.goal.as_ref()?;
    let basis = plan.totals.goal_basis(g);
    let got = match band {
        GoalBand::Low => basis.low,
        GoalBand::Mid => basis.mid,
    };
    let gap = g.annual_min.0 - got.0;
    (gap > Decimal::ZERO).then(|| float(gap) / float(p.value.0).max(f64::MIN_POSITIVE))
}

/// The objective at weights `w` (a fraction of the value a year).
fn objective_at(p: &Problem, w: &[f64]) -> f64 {
    let dot = |c: &[f64]| c.iter().zip(w).map(|(a, b)| a * b).sum::<f64>();
    match p.objective {
        Objective::MinRisk => dot(&p.risk),
        Objective::MaxIncome => dot(&p.income),
        Objective::MinCvar => scenarios::cvar(&p.scenarios, w, p.beta),
    }
}

/// The positions' chosen weights beside their current ones.
fn chosen(c: &Choices, rounded: Option<&Rounded>) -> Vec<ChosenWeight> {
    c.positions
        .iter()
        .enumerate()
        .map(|(i, ch)| ChosenWeight {
            name: ch.name.clone(),
            // An amount's share is exact (e.g. 0.06000006); shown on the
            // same 0.01% grid as the weights chosen.
            weight: rounded.map(|r| crate::money::Rate(on_grid(r.weights[i], ch.amount))),
            previous_weight: ch
                .current
                .map(|r| crate::money::Rate(on_grid(r.0, ch.amount))),
            min: ch.min,
            max: ch.max,
            fixed: ch.fixed(),
        })
        .collect()
}

/// `w` on the 0.01% grid when it is an amount's exact share.
fn on_grid(w: Decimal, amount: bool) -> Decimal {
    if amount { w.round_dp(4) } else { w }
}

/// Whether `new_text` (the profile written with the chosen weights, read as
/// if at `path`) plans to exactly `shown` (the report's plan; its `inputs`,
/// which name the files read, are not compared).
///
/// # Errors
/// The new text does not read or resolve as a profile (all its problems).
pub fn plans_as_shown(
    path: &Path,
    new_text: &str,
    book: &RateBook,
    shown: &PlanReport,
) -> Result<bool, Diagnostics> {
    let (text, spec, problems) = crate::profile::read_profile(path, new_text.as_bytes())?;
    let portfolio = crate::load_read(path, &text, &spec, problems, book)?;
    let mut planned = crate::engine::plan(&portfolio);
    planned.warnings.extend(crate::note_warnings(&portfolio));
    planned.inputs.clone_from(&shown.inputs);
    Ok(&planned == shown)
}
