//! The best mix a profile can hold, when rounding the solver's mix to the
//! nearest 0.01% breaks a row: a small integer program over the grid.
//!
//! Each free weight is a whole number of 0.01% steps, or exactly one of its
//! own bounds (a range's `min` or `max` may lie off the grid); one position
//! balances, taking what the others leave, as [`super::rounding`] writes
//! it; fixed weights stay. The rows are the program's. Among the mixes that
//! keep them it takes the best objective (min-risk, max-income; to within
//! 0.01%), or for min-CVaR, whose objective is not linear, the mix nearest
//! the solver's; either way nearness to the solver's mix breaks ties. Each
//! weight is 0% or worth at least a cent (a profile refuses less).
//! Branch and bound (`microlp`) with a budget of nodes, so it always ends
//! and gives the same answer on any machine. When the grid has no such mix,
//! [`conflict`] finds a smallest set of rows that together leave it none.
//! Pure.

use microlp::{ComparisonOp, OptimizationDirection, SolveOptions, Variable};
use rust_decimal::Decimal;

use super::problem::{Objective, Problem, Row, Sense};
use super::rounding::Point;
use crate::engine::floats::float;
use crate::model::Choices;

/// Steps in the whole portfolio: weights are written to 0.01%.
const STEPS: f64 = 10_000.0;
/// Work one search may do before it settles for the best mix found (or
/// gives up): branch-and-bound nodes times the program's size.
const WORK: u64 = 2_000_000;
/// Relative gap to the best bound at which a mix found is good enough.
const GAP: f64 = 1e-4;
/// Weight of nearness to the solver's mix beside a linear objective (per
/// unit of weight moved, in the objective's fractions): far below any
/// figure shown.
const NEAR: f64 = 1e-7;

/// What a search over the grid found.
#[derive(Clone, Debug, PartialEq)]
pub enum Found {
    /// A mix: one point per choice.
    Mix(Vec<Point>),
    /// Proved: no mix on the grid keeps every row.
    None,
    /// The node budget ran out before a mix was found or ruled out.
    GaveUp,
}

/// How one choice's weight is built from the program's variables.
struct Weight {
    /// Terms: a variable and its factor (the weight is their sum).
    terms: Vec<(Variable, f64)>,
    /// Which kind of weight it is, to read the answer back.
    kind: Kind,
}

/// A fixed weight, the balancing one, or one on the grid: its steps, and
/// the flags putting it at its own off-grid least or most.
enum Kind {
    Keep,
    Balance,
    Grid {
        steps: Variable,
        at_min: Option<Variable>,
        at_max: Option<Variable>,
    },
}

/// The integer program under `rows`; `aim` adds the objective (else any mix
/// that fits will do).
fn model(
    p: &Problem,
    rows: &[Row],
    c: &Choices,
    near: &[f64],
    balancer: usize,
    aim: bool,
) -> (microlp::Problem, Vec<Weight>) {
    let mut lp = microlp::Problem::new(OptimizationDirection::Minimize);
    let linear = match p.objective {
        Objective::MinRisk => Some(p.risk.clone()),
        Objective::MaxIncome => Some(p.income.iter().map(|x| -x).collect()),
        Objective::MinCvar => None,
    };
    let coef = |j: usize| match (&linear, aim) {
        (Some(l), true) => l[j],
        _ => 0.0,
    };
    let step = 1.0 / STEPS;
    let mut weights = Vec::with_capacity(c.positions.len());
    for (j, ch) in c.positions.iter().enumerate() {
        if ch.fixed() {
            let v = lp.add_var(0.0, (p.lo[j], p.hi[j]));
            weights.push(Weight {
                terms: vec![(v, 1.0)],
                kind: Kind::Keep,
            });
            continue;
        }
        if j == balancer {
            let v = lp.add_var(coef(j), (p.lo[j], p.hi[j]));
            weights.push(Weight {
                terms: vec![(v, 1.0)],
                kind: Kind::Balance,
            });
            continue;
        }
        // Whole steps inside the hard bounds (a screened position: none).
        let top = (p.hi[j] * STEPS + 1e-9).floor().clamp(0.0, STEPS);
        let steps = lp.add_integer_var(coef(j) * step, (0, top as i32));
        let mut terms = vec![(steps, step)];
        let mut at = |exact: Decimal, up: bool, lp: &mut microlp::Problem| {
            // A bound off the grid is a point of its own: the flag puts the
            // weight there exactly (steps at the grid point next to it, plus
            // the difference), and only there.
            let bound = float(exact);
            if exact.round_dp(4) == exact || bound <= 0.0 || bound > p.hi[j] {
                return None;
            }
            let k = if up {
                (bound * STEPS).floor()
            } else {
                (bound * STEPS).ceil()
            };
            let gap = bound - k * step;
            if k < 0.0 || k > top {
                return None;
            }
            let flag = lp.add_binary_var(coef(j) * gap);
            terms.push((flag, gap));
            // flag ⇒ steps = k.
            lp.add_constraint([(steps, 1.0), (flag, -k)], ComparisonOp::Ge, 0.0);
            lp.add_constraint([(steps, 1.0), (flag, STEPS)], ComparisonOp::Le, k + STEPS);
            Some(flag)
        };
        let at_max = at(ch.max.0, true, &mut lp);
        let at_min = at(ch.min.0, false, &mut lp);
        if let (Some(a), Some(b)) = (at_min, at_max) {
            lp.add_constraint([(a, 1.0), (b, 1.0)], ComparisonOp::Le, 1.0);
        }
        weights.push(Weight {
            terms,
            kind: Kind::Grid {
                steps,
                at_min,
                at_max,
            },
        });
    }
    for (j, w) in weights.iter().enumerate() {
        worth_a_cent(&mut lp, p, c, j, w);
    }
    let all: Vec<(Variable, f64)> = weights.iter().flat_map(|w| w.terms.clone()).collect();
    lp.add_constraint(all, ComparisonOp::Eq, 1.0);
    for r in rows {
        let mut expr = Vec::new();
        for (w, c) in weights.iter().zip(&r.coefs).filter(|(_, c)| **c != 0.0) {
            expr.extend(w.terms.iter().map(|(v, f)| (*v, f * c)));
        }
        let op = match r.sense {
            Sense::AtMost => ComparisonOp::Le,
            Sense::AtLeast => ComparisonOp::Ge,
        };
        lp.add_constraint(expr, op, r.rhs);
    }
    if aim {
        // Nearness: d_j ≥ |w_j − near_j| for each free weight.
        let scale = if linear.is_some() { NEAR } else { 1.0 };
        for (j, w) in weights.iter().enumerate() {
            if matches!(w.kind, Kind::Keep) {
                continue;
            }
            let d = lp.add_var(scale, (0.0, f64::INFINITY));
            let mut above: Vec<(Variable, f64)> = vec![(d, 1.0)];
            let mut below: Vec<(Variable, f64)> = vec![(d, 1.0)];
            for (v, f) in &w.terms {
                above.push((*v, -f));
                below.push((*v, *f));
            }
            lp.add_constraint(above, ComparisonOp::Ge, -near[j]);
            lp.add_constraint(below, ComparisonOp::Ge, near[j]);
        }
    }
    (lp, weights)
}

/// A profile refuses a weight worth less than a cent (in an index
/// position, in its smallest component): a free weight whose first step is
/// worth less is either 0% or at least a cent's worth.
fn worth_a_cent(lp: &mut microlp::Problem, p: &Problem, c: &Choices, j: usize, w: &Weight) {
    if matches!(w.kind, Kind::Keep) || p.hi[j] <= 0.0 {
        return;
    }
    let smallest = c.positions[j]
        .members
        .iter()
        .map(|(_, share)| float(share.0))
        .fold(1.0_f64, f64::min);
    let least = 0.01 / (p.value * smallest).max(f64::MIN_POSITIVE) * (1.0 + 1e-9);
    if least <= 1.0 / STEPS {
        return;
    }
    let used = lp.add_binary_var(0.0);
    let mut above: Vec<(Variable, f64)> = w.terms.clone();
    above.push((used, -least));
    lp.add_constraint(above, ComparisonOp::Ge, 0.0);
    let mut below: Vec<(Variable, f64)> = w.terms.clone();
    below.push((used, -p.hi[j]));
    lp.add_constraint(below, ComparisonOp::Le, 0.0);
}

/// Solves the program (of `size` variables and rows); `None` when it was
/// cut short with nothing found.
fn run(lp: &microlp::Problem, size: usize) -> Result<Option<microlp::Solution>, ()> {
    let mut options = SolveOptions::default();
    options.node_limit = Some((WORK / size.max(1) as u64).clamp(100, 20_000));
    options.mip_gap = GAP;
    match lp.solve_with(options) {
        Ok(outcome) => Ok(outcome.into_solution().ok()),
        Err(microlp::Error::Infeasible) => Err(()),
        // Numerical trouble: nothing found, nothing proved.
        Err(_) => Ok(None),
    }
}

/// The best mix on the grid under `rows` (normally the program's), near
/// `near` (the solver's weights), `balancer` taking what the others leave.
#[must_use]
pub fn best(p: &Problem, rows: &[Row], c: &Choices, near: &[f64], balancer: usize) -> Found {
    let size = c.positions.len() + rows.len();
    let (lp, weights) = model(p, rows, c, near, balancer, true);
    let solution = match run(&lp, size) {
        Err(()) => return Found::None,
        Ok(Some(s)) => s,
        // Out of work before any mix: any that fits will do.
        Ok(None) => {
            let (lp, _) = model(p, rows, c, near, balancer, false);
            match run(&lp, size) {
                Err(()) => return Found::None,
                Ok(None) => return Found::GaveUp,
                Ok(Some(s)) => s,
            }
        }
    };
    let on = |v: Option<Variable>| v.is_some_and(|v| solution.var_value_raw(v) > 0.5);
    let points = weights
        .iter()
        .map(|w| match w.kind {
            Kind::Keep => Point::Keep,
            Kind::Balance => Point::Balance,
            Kind::Grid {
                steps,
                at_min,
                at_max,
            } => {
                if on(at_max) {
                    Point::Max
                } else if on(at_min) {
                    Point::Min
                } else {
                    Point::Steps(solution.var_value_raw(steps).round().max(0.0) as u32)
                }
            }
        })
        .collect();
    Found::Mix(points)
}

/// Whether some mix on the grid keeps `rows`: `Some(false)` only when
/// proved not.
fn fits(p: &Problem, rows: &[Row], c: &Choices, balancer: usize) -> Option<bool> {
    let (lp, _) = model(p, rows, c, &[], balancer, false);
    match run(&lp, c.positions.len() + rows.len()) {
        Err(()) => Some(false),
        Ok(Some(_)) => Some(true),
        Ok(None) => None,
    }
}

/// A smallest set of `rows` (indexes, in order) that together leave the
/// grid no mix, found by leaving each row out in turn and keeping it out
/// when the others still leave none. All of them when `rows` is not proved
/// to leave none.
#[must_use]
pub fn conflict(p: &Problem, rows: &[Row], c: &Choices, balancer: usize) -> Vec<usize> {
    let mut kept: Vec<usize> = (0..rows.len()).collect();
    for i in 0..rows.len() {
        let without: Vec<usize> = kept.iter().copied().filter(|k| *k != i).collect();
        let trial: Vec<Row> = without.iter().map(|k| rows[*k].clone()).collect();
        if fits(p, &trial, c, balancer) == Some(false) {
            kept = without;
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::optimize::problem::Limit;
    use crate::model::Choice;
    use crate::money::Rate;

    /// A one-member choice that is not an amount.
    fn choice(min: &str, max: &str, rest: bool) -> Choice {
        crate::engine::optimize::rounding::tests::choice(min, max, rest, false)
    }

    /// A fixed 7.77% at 1%, a free position at 5.5% and a "rest" paying
    /// nothing; the goal needs 0.7186% a year, the free one is capped at
    /// `cap`. (The reported case: the goal needs the free one at 11.6527%.)
    fn between(cap: f64) -> (Problem, Choices) {
        let c = Choices {
            positions: vec![
                choice("0.0777", "0.0777", false),
                choice("0", "1", false),
                choice("0", "1", true),
            ],
            strategy_bounds: Vec::new(),
            all_free: false,
        };
        let row = |limit, coefs: Vec<f64>, sense, rhs| Row {
            limit,
            coefs,
            sense,
            rhs,
            part: Vec::new(),
        };
        let p = Problem {
            value: 1_000_000.0,
            lo: vec![0.0777, 0.0, 0.0],
            hi: vec![0.0777, 1.0, 1.0],
            rows: vec![
                row(
                    Limit::Goal,
                    vec![0.01, 0.055, 0.0],
                    Sense::AtLeast,
                    0.007_186,
                ),
                row(Limit::Defi, vec![0.0, 1.0, 0.0], Sense::AtMost, cap),
            ],
            risk: vec![0.0, 0.0025, 0.0],
            income: vec![0.01, 0.0525, 0.0],
            goal_income: vec![0.01, 0.055, 0.0],
            objective: Objective::MinRisk,
            scenarios: Vec::new(),
            beta: 0.95,
            goal_label: "income goal".into(),
        };
        (p, c)
    }

    #[test]
    fn the_least_step_that_meets_the_goal_is_chosen() {
        let (p, c) = between(0.2);
        let near = [0.0777, 0.116_527, 0.805_773];
        assert_eq!(
            best(&p, &p.rows, &c, &near, 2),
            Found::Mix(vec![Point::Keep, Point::Steps(1166), Point::Balance])
        );
    }

    #[test]
    fn no_step_between_the_goal_and_a_cap_is_proved_and_both_are_named() {
        let (p, c) = between(0.116_55);
        let near = [0.0777, 0.116_527, 0.805_773];
        assert_eq!(best(&p, &p.rows, &c, &near, 2), Found::None);
        assert_eq!(conflict(&p, &p.rows, &c, 2), vec![0, 1]);
    }

    #[test]
    fn a_range_end_off_the_grid_is_a_point_of_its_own() {
        // The cap as the position's own most: 11.6551% is written as it is.
        let (mut p, mut c) = between(1.0);
        c.positions[1].max = Rate("0.116551".parse().unwrap());
        p.rows[1].rhs = 0.116_551;
        let near = [0.0777, 0.116_527, 0.805_773];
        assert_eq!(
            best(&p, &p.rows, &c, &near, 2),
            Found::Mix(vec![Point::Keep, Point::Max, Point::Balance])
        );
    }
}
