//! The one path from a profile to its optimal mix: read what may be chosen
//! (`resolve::choices`), build and solve the linear program
//! (`engine::optimize`), put the weights on a grid a profile can hold, and
//! plan the profile with them, exactly as `plan` would plan the written
//! profile, checking that plan against every row of the program; a mix
//! whose plan breaks one is repaired on the grid, or none is reported. It
//! sits beside [`crate::load`] because it needs both `resolve` and
//! `engine`. No I/O: callers read the file and write the result.

use std::path::Path;

use rust_decimal::Decimal;

use crate::engine::floats::float;
use crate::engine::optimize::explain::Unsettled;
use crate::engine::optimize::grid::{self, Found};
use crate::engine::optimize::report::{
    ChosenWeight, Infeasibility, ObjectiveOut, OptimizeReport, OptimizeStatus,
};
use crate::engine::optimize::rounding::{self, Rounded, round};
use crate::engine::optimize::verify::{self, Miss};
use crate::engine::optimize::{
    GoalBand, Objective, Problem, Row, Solved, build, explain, scenarios, solve,
};
use crate::engine::plan::{PlanReport, ProfileRef, SCHEMA_VERSION};
use crate::error::Diagnostics;
use crate::model::{Choices, Portfolio, Sizing};
use crate::profile::ProfileSpec;
use crate::rates::RateBook;
use crate::resolve::choices;

/// How many times the rows a rounded mix breaks are tightened before the
/// grid is searched instead.
const ROUNDING_RETRIES: u32 = 12;
/// How many times the grid is searched again when its mix, planned
/// exactly, still breaks a row (cents lost splitting amounts).
const GRID_RETRIES: u32 = 6;
/// The first extra margin (in a row's units: a share, or for the goal a
/// yield) by which a broken row is tightened on a retry; it doubles on
/// each one, so a miss smaller than one 0.01% grid step still moves the
/// rounded mix.
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
    let problem = build(&probe, &c, settings.objective, settings.band, draws);
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
    let infeasible = |why: Infeasibility| Optimized {
        report: base(
            OptimizeStatus::Infeasible,
            None,
            chosen(&c, None),
            Some(why),
            None,
        ),
        sizes: Vec::new(),
    };
    let Ok(solved) = solve(&problem, &problem.rows) else {
        return Ok(infeasible(explain::explain(&problem, &c, chain_cap)));
    };
    let grid = OnGrid {
        path,
        text,
        spec,
        book,
        problem: &problem,
        choices: &c,
        band: settings.band,
    };
    let (rounded, plan, binding) = match grid.nearest(&solved) {
        Some((rounded, plan, tightened, at)) => {
            let binding = explain::binding(
                &tightened,
                &problem.rows,
                &at.weights,
                at.objective,
                &c,
                chain_cap,
            );
            (rounded, plan, binding)
        }
        None => match grid.search(&solved) {
            Landing::Mix(rounded, plan) => {
                let binding = explain::binding(
                    &problem,
                    &problem.rows,
                    &solved.weights,
                    solved.objective,
                    &c,
                    chain_cap,
                );
                (rounded, *plan, binding)
            }
            Landing::NoMix(rows) => {
                let why = explain::off_grid(&problem, &c, chain_cap, &rows, &solved.weights);
                return Ok(infeasible(why));
            }
            Landing::Unsettled(how) => {
                let why = explain::unsettled(&problem, &c, chain_cap, &how);
                return Ok(infeasible(why));
            }
        },
    };
    let w: Vec<f64> = rounded.weights.iter().map(|d| float(*d)).collect();
    let value = objective_at(&problem, &w);
    let mut report = base(
        OptimizeStatus::Optimal,
        Some(crate::engine::floats::money(value * problem.value).settle()),
        chosen(&c, Some(&rounded)),
        None::<Infeasibility>,
        Some(plan),
    );
    report.binding = binding;
    Ok(Optimized {
        report,
        sizes: rounded.sizes,
    })
}

/// What the search over the grid gave.
enum Landing {
    /// A mix that keeps every row, and its plan.
    Mix(Rounded, Box<PlanReport>),
    /// No mix on the grid keeps these rows (indexes into the program's).
    NoMix(Vec<usize>),
    /// Not settled, and why.
    Unsettled(Unsettled),
}

/// A nearest-rounded mix, its plan, the program as last tightened and the
/// solution it was rounded from.
type Nearest = (Rounded, PlanReport, Problem, Solved);

/// Putting the solver's mix on the grid a profile can hold, each try
/// planned as the written profile would be and checked against every row.
struct OnGrid<'a> {
    path: &'a Path,
    text: &'a str,
    spec: &'a ProfileSpec,
    book: &'a RateBook,
    problem: &'a Problem,
    choices: &'a Choices,
    band: GoalBand,
}

impl OnGrid<'_> {
    /// The plan of `mix` and the rows it breaks; `None` when the mix is not
    /// one a profile can hold (the balancing position left below zero or
    /// outside its bounds, a weight worth less than a cent).
    fn check(&self, mix: &Rounded) -> Option<(PlanReport, Vec<Miss>)> {
        if !verify::in_bounds(mix, self.problem, self.choices) {
            return None;
        }
        // The probe resolved, so only the chosen sizes can be refused.
        let (plan, planned) = plan_with(self.path, self.text, self.spec, self.book, mix).ok()?;
        let misses = verify::misses(self.problem, self.choices, self.band, mix, &planned, &plan);
        Some((plan, misses))
    }

    /// `rows` with each tightened by its amount in `by` (in its bound's units).
    fn tightened(&self, by: &[f64]) -> Vec<Row> {
        self.problem
            .rows
            .iter()
            .zip(by)
            .map(|(r, t)| if *t > 0.0 { r.relaxed(-t) } else { r.clone() })
            .collect()
    }

    /// The solver's mix rounded to the nearest 0.01%. When its plan breaks
    /// a row (the goal missed by cents, a cap passed by a step), that row
    /// is tightened by what it missed plus a margin that doubles on each
    /// try, and the program solved and rounded again. `None` when no try
    /// keeps every row.
    fn nearest(&self, solved: &Solved) -> Option<Nearest> {
        let mut by = vec![0.0; self.problem.rows.len()];
        let mut at = solved.clone();
        let mut problem = self.problem.clone();
        for attempt in 0..ROUNDING_RETRIES {
            let rounded = round(&at.weights, self.choices);
            let (plan, misses) = self.check(&rounded)?;
            if misses.is_empty() {
                return Some((rounded, plan, problem, at));
            }
            for m in &misses {
                by[m.row] += m.by + FIRST_MARGIN * f64::from(1u32 << attempt);
            }
            problem.rows = self.tightened(&by);
            let Ok(again) = solve(&problem, &problem.rows) else {
                return None;
            };
            at = again;
        }
        None
    }

    /// The best mix on the grid (`grid::best`), its plan checked the same
    /// way; a row its plan breaks is tightened and the search run again.
    fn search(&self, solved: &Solved) -> Landing {
        let Some(balancer) = rounding::balancer(&solved.weights, self.choices) else {
            // Nothing free: the mix is the fixed weights, and the program
            // kept them, so only the plan's cents can break a row.
            let mix = round(&solved.weights, self.choices);
            return Landing::Unsettled(match self.check(&mix) {
                Some((_, missed)) if !missed.is_empty() => {
                    Unsettled::Missed(missed.iter().map(|m| m.row).collect())
                }
                _ => Unsettled::Refused,
            });
        };
        let mut by = vec![0.0; self.problem.rows.len()];
        let mut missed: Vec<usize> = Vec::new();
        for attempt in 0..GRID_RETRIES {
            let rows = self.tightened(&by);
            match grid::best(self.problem, &rows, self.choices, &solved.weights, balancer) {
                Found::Mix(points) => {
                    let mix = rounding::from_points(&points, self.choices);
                    let Some((plan, misses)) = self.check(&mix) else {
                        return Landing::Unsettled(Unsettled::Refused);
                    };
                    if misses.is_empty() {
                        return Landing::Mix(mix, Box::new(plan));
                    }
                    for m in &misses {
                        by[m.row] += m.by + FIRST_MARGIN * f64::from(1u32 << attempt);
                        if !missed.contains(&m.row) {
                            missed.push(m.row);
                        }
                    }
                }
                Found::None if attempt == 0 => {
                    return Landing::NoMix(grid::conflict(
                        self.problem,
                        &self.problem.rows,
                        self.choices,
                        balancer,
                    ));
                }
                Found::None | Found::GaveUp => break,
            }
        }
        missed.sort_unstable();
        Landing::Unsettled(if missed.is_empty() {
            Unsettled::OutOfNodes
        } else {
            Unsettled::Missed(missed)
        })
    }
}

/// Resolves and plans the profile with the rounded weights, as `plan` would
/// plan the profile written with them.
fn plan_with(
    path: &Path,
    text: &str,
    spec: &ProfileSpec,
    book: &RateBook,
    rounded: &Rounded,
) -> Result<(PlanReport, Portfolio), Diagnostics> {
    let sized = choices::with_sizes(spec, &rounded.sizes);
    let portfolio = crate::load_read(path, text, &sized, Vec::new(), book)?;
    let mut planned = crate::engine::plan(&portfolio);
    planned.warnings.extend(crate::note_warnings(&portfolio));
    Ok((planned, portfolio))
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
