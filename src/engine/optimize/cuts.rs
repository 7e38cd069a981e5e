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

use good_lp::{Expression, ProblemVariables, Solution, SolverModel, Variable, microlp, variable};

use super::problem::{Problem, Row};
use super::scenarios::tail;
use super::solve::{Failure, Solved, dot, row_constraint, secondary_coefs};

/// Most cuts before giving up (never reached in practice).
const MAX_CUTS: usize = 2_000;
/// How close the bound must come to CVaR, relative to CVaR's size.
const TOLERANCE: f64 = 1e-10;

/// One round's program: minimise `aim · w` (plus `t` when `cap` is `None`)
/// under the rows, the weights adding up to 1 and the cuts, each either a
/// lower bound of `t` or, with `cap`, of nothing above `cap`.
fn round(
    p: &Problem,
    rows: &[Row],
    cuts: &[Vec<f64>],
    aim: Option<&[f64]>,
    cap: Option<f64>,
    floor: f64,
) -> Result<(Vec<f64>, f64), Failure> {
    let mut vars = ProblemVariables::new();
    let w: Vec<Variable> =
        p.lo.iter()
            .zip(&p.hi)
            .map(|(lo, hi)| vars.add(variable().min(*lo).max(*hi)))
            .collect();
    let t = vars.add(variable().min(floor));
    let objective = match aim {
        Some(c) => dot(c, &w),
        None => Expression::from(t),
    };
    let total: Expression = w.iter().copied().sum();
    let mut model = vars.minimise(objective).using(microlp);
    model = model.with(total.eq(1.0));
    for r in rows {
        model = model.with(row_constraint(r, &w));
    }
    for g in cuts {
        // CVaR(w) ≥ −g·w: t ≥ −g·w, or −g·w ≤ cap.
        let mut e = dot(g, &w);
        match cap {
            None => {
                e.add_mul(1.0, t);
                model = model.with(e.geq(0.0));
            }
            Some(cap) => model = model.with(e.geq(-cap)),
        }
    }
    let solution = model.solve().map_err(|e| match e {
        good_lp::ResolutionError::Infeasible => Failure::Infeasible,
        _ => Failure::Solver,
    })?;
    Ok((
        w.iter().map(|v| solution.value(*v)).collect(),
        solution.value(t),
    ))
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
    let mut best = None;
    for _ in 0..MAX_CUTS {
        let (w, t) = round(p, rows, &cuts, None, None, floor)?;
        let (cvar, g) = tail(&p.scenarios, &w, p.beta);
        if cvar - t <= TOLERANCE * cvar.abs().max(1.0) {
            best = Some((w, cvar));
            break;
        }
        cuts.push(g);
    }
    let (first, z) = best.ok_or(Failure::Solver)?;
    let cap = z + 1e-9 * z.abs().max(1.0);
    let aim = secondary_coefs(p);
    let mut weights = first;
    for _ in 0..MAX_CUTS {
        let Ok((w, _)) = round(p, rows, &cuts, Some(&aim), Some(cap), floor) else {
            break;
        };
        let (cvar, g) = tail(&p.scenarios, &w, p.beta);
        if cvar <= cap + TOLERANCE * cvar.abs().max(1.0) {
            weights = w;
            break;
        }
        cuts.push(g);
    }
    let objective = tail(&p.scenarios, &weights, p.beta).0;
    Ok(Solved { weights, objective })
}
