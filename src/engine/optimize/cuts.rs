//! Min-CVaR by cutting planes (Künzi-Bay and Mayer, 2006): the same optimum
//! as the Rockafellar–Uryasev program, found without its one row per
//! scenario.
//!
//! CVaR is the largest `Σ q_s loss_s(w)` over tail weights `q`, a convex
//! piecewise-linear function of the weights. Each round solves a small
//! program (the weights, one bound `t` on CVaR and the cuts so far), sorts
//! the scenario losses at its answer to get CVaR there and the `q` that
//! attains it, and adds that cut; it stops when the bound meets CVaR (to
//! 1e-10), which happens after finitely many cuts. The tie-breaking second
//! stage keeps CVaR within a hair of the optimum the same way.

use microlp::{ComparisonOp, OptimizationDirection, Solution, Variable};

use super::problem::{Problem, Row, Sense};
use super::scenarios::tail;
use super::solution::{Failure, Solved, secondary_coefs};

/// Most cuts before giving up (never reached in practice).
const MAX_CUTS: usize = 5_000;
/// How close the bound must come to CVaR, relative to CVaR's size.
const TOLERANCE: f64 = 1e-10;

/// The terms `c · w` with the zero coefficients left out.
fn terms(c: &[f64], w: &[Variable]) -> Vec<(Variable, f64)> {
    c.iter()
        .zip(w)
        .filter(|(c, _)| **c != 0.0)
        .map(|(c, v)| (*v, *c))
        .collect()
}

fn failure(e: &microlp::Error) -> Failure {
    match e {
        microlp::Error::Infeasible => Failure::Infeasible,
        _ => Failure::Solver,
    }
}

/// Solves the program once: minimise `aim · w` (or `t` without an aim)
/// under the rows, the weights adding up to 1 and `cuts` (each a lower
/// bound of `t`, or with `cap` a bound `−g·w ≤ cap`).
fn first(
    p: &Problem,
    rows: &[Row],
    cuts: &[Vec<f64>],
    aim: Option<&[f64]>,
    cap: Option<f64>,
    floor: f64,
) -> Result<(Solution, Vec<Variable>, Variable), Failure> {
    let mut lp = microlp::Problem::new(OptimizationDirection::Minimize);
    let w: Vec<Variable> =
        p.lo.iter()
            .zip(&p.hi)
            .enumerate()
            .map(|(j, (lo, hi))| lp.add_var(aim.map_or(0.0, |a| a[j]), (*lo, *hi)))
            .collect();
    let t = lp.add_var(
        if aim.is_none() { 1.0 } else { 0.0 },
        (floor, f64::INFINITY),
    );
    lp.add_constraint(
        w.iter().map(|v| (*v, 1.0)).collect::<Vec<_>>(),
        ComparisonOp::Eq,
        1.0,
    );
    for r in rows {
        let op = match r.sense {
            Sense::AtMost => ComparisonOp::Le,
            Sense::AtLeast => ComparisonOp::Ge,
        };
        lp.add_constraint(terms(&r.coefs, &w), op, r.rhs);
    }
    for g in cuts {
        let (expr, rhs) = cut(g, &w, t, cap);
        lp.add_constraint(expr, ComparisonOp::Ge, rhs);
    }
    let solution = lp
        .solve()
        .map_err(|e| failure(&e))?
        .into_solution()
        .map_err(|_| Failure::Solver)?;
    Ok((solution, w, t))
}

/// A cut `g·w + t ≥ 0` (t ≥ −g·w, a lower bound of CVaR), or with `cap`,
/// `g·w ≥ −cap` (−g·w ≤ cap).
fn cut(g: &[f64], w: &[Variable], t: Variable, cap: Option<f64>) -> (Vec<(Variable, f64)>, f64) {
    let mut expr = terms(g, w);
    match cap {
        None => {
            expr.push((t, 1.0));
            (expr, 0.0)
        }
        Some(cap) => (expr, -cap),
    }
}

/// Adds cuts to a solved program (warm-started: the simplex carries on from
/// its last basis) until CVaR at its answer is within the tolerance of
/// `bound` (the answer's `t`, or `cap`); returns the answer and the cuts
/// added.
fn refine(
    p: &Problem,
    mut solution: Solution,
    w: &[Variable],
    t: Variable,
    cap: Option<f64>,
    cuts: &mut Vec<Vec<f64>>,
) -> Result<(Vec<f64>, f64), Failure> {
    for _ in 0..MAX_CUTS {
        let weights: Vec<f64> = w.iter().map(|v| solution.var_value(*v)).collect();
        let (cvar, g) = tail(&p.scenarios, &weights, p.beta);
        let bound = cap.unwrap_or_else(|| solution.var_value(t));
        if cvar - bound <= TOLERANCE * cvar.abs().max(1.0) {
            return Ok((weights, cvar));
        }
        let (expr, rhs) = cut(&g, w, t, cap);
        cuts.push(g);
        solution = solution
            .add_constraint(expr, ComparisonOp::Ge, rhs)
            .map_err(|e| failure(&e))?
            .into_solution()
            .map_err(|_| Failure::Solver)?;
    }
    Err(Failure::Solver)
}

/// The least CVaR mix under `rows`, ties broken as `solve` says.
///
/// # Errors
/// [`Failure::Infeasible`] when no mix meets every row.
pub(super) fn solve(p: &Problem, rows: &[Row]) -> Result<Solved, Failure> {
    // No loss is below minus the largest return: a floor for the bound.
    let floor = -p
        .scenarios
        .iter()
        .flatten()
        .fold(0.0_f64, |m, r| m.max(r.abs()))
        - 1.0;
    let mut cuts: Vec<Vec<f64>> = Vec::new();
    let (solution, w, t) = first(p, rows, &cuts, None, None, floor)?;
    let (weights, z) = refine(p, solution, &w, t, None, &mut cuts)?;
    let cap = z + 1e-9 * z.abs().max(1.0);
    let aim = secondary_coefs(p);
    let second = first(p, rows, &cuts, Some(&aim), Some(cap), floor)
        .and_then(|(s, w2, t2)| refine(p, s, &w2, t2, Some(cap), &mut cuts));
    let weights = match second {
        Ok((w2, _)) => w2,
        Err(_) => weights,
    };
    let objective = tail(&p.scenarios, &weights, p.beta).0;
    Ok(Solved { weights, objective })
}
