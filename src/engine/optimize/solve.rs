//! Solving the program with a pure-Rust simplex (`good_lp` over `microlp`).
//!
//! [`solve`] finds the optimal weights in two stages: the objective first,
//! then, among the mixes within a hair of that optimum, the secondary aim
//! (min-risk: the most income; max-income and min-CVaR: the least risk),
//! with a tiny preference for positions earlier in the profile, so the
//! answer does not depend on which of several equal mixes the simplex meets
//! first. [`elastic`] measures, when no mix fits, how far each row must
//! give. Pure maths on `f64`; nothing is reported here.

use good_lp::{
    Expression, ProblemVariables, ResolutionError, Solution, SolverModel, Variable, microlp,
    variable,
};

use super::problem::{Limit, Objective, Problem, Row, Sense};
use super::solution::secondary_coefs;
pub use super::solution::{Failure, Solved};

/// The variables and the objective's pieces of one model.
struct Built {
    vars: ProblemVariables,
    w: Vec<Variable>,
    alpha: Option<Variable>,
    tails: Vec<Variable>,
}

fn variables(p: &Problem) -> Built {
    let mut vars = ProblemVariables::new();
    let w =
        p.lo.iter()
            .zip(&p.hi)
            .map(|(lo, hi)| vars.add(variable().min(*lo).max(*hi)))
            .collect();
    let (alpha, tails) = if p.objective == Objective::MinCvar && !p.scenarios.is_empty() {
        let a = vars.add(variable());
        let t = (0..p.scenarios.len())
            .map(|_| vars.add(variable().min(0.0)))
            .collect();
        (Some(a), t)
    } else {
        (None, Vec::new())
    };
    Built {
        vars,
        w,
        alpha,
        tails,
    }
}

fn dot(c: &[f64], w: &[Variable]) -> Expression {
    let mut e = Expression::with_capacity(w.len());
    for (c, v) in c.iter().zip(w) {
        if *c != 0.0 {
            e.add_mul(*c, *v);
        }
    }
    e
}

/// The primary objective as an expression to minimise (fractions).
fn primary(p: &Problem, b: &Built) -> Expression {
    match (p.objective, b.alpha) {
        (Objective::MinRisk, _) => dot(&p.risk, &b.w),
        (Objective::MaxIncome, _) => -dot(&p.income, &b.w),
        (Objective::MinCvar, Some(a)) => {
            let k = 1.0 / ((1.0 - p.beta) * p.scenarios.len() as f64);
            let mut e = Expression::from(a);
            for t in &b.tails {
                e.add_mul(k, *t);
            }
            e
        }
        (Objective::MinCvar, None) => dot(&p.risk, &b.w),
    }
}

fn secondary(p: &Problem, b: &Built) -> Expression {
    dot(&secondary_coefs(p), &b.w)
}

fn row_constraint(r: &Row, w: &[Variable]) -> good_lp::Constraint {
    let e = dot(&r.coefs, w);
    match r.sense {
        Sense::AtMost => e.leq(r.rhs),
        Sense::AtLeast => e.geq(r.rhs),
    }
}

/// Solves one stage: minimise `aim` (built from the variables), with the
/// `rows`, the weights adding to 1, the scenario rows and `cap` (the
/// primary objective at most this) when given.
fn stage(
    p: &Problem,
    rows: &[Row],
    aim: fn(&Problem, &Built) -> Expression,
    cap: Option<f64>,
) -> Result<(Vec<f64>, f64), Failure> {
    let b = variables(p);
    let objective = aim(p, &b);
    let first = primary(p, &b);
    let total: Expression = b.w.iter().copied().sum();
    let mut model = b.vars.minimise(objective).using(microlp);
    model = model.with(total.eq(1.0));
    for r in rows {
        model = model.with(row_constraint(r, &b.w));
    }
    if let Some(a) = b.alpha {
        // tail_s ≥ loss_s − α, with loss_s = −return_s · w.
        for (s, t) in p.scenarios.iter().zip(&b.tails) {
            let mut e = dot(s, &b.w);
            e.add_mul(1.0, *t);
            e.add_mul(1.0, a);
            model = model.with(e.geq(0.0));
        }
    }
    if let Some(cap) = cap {
        model = model.with(first.clone().leq(cap));
    }
    let solution = model.solve().map_err(|e| match e {
        ResolutionError::Infeasible => Failure::Infeasible,
        _ => Failure::Solver,
    })?;
    let weights: Vec<f64> = b.w.iter().map(|v| solution.value(*v)).collect();
    let value = solution.eval(&first);
    Ok((weights, value))
}

/// The optimal mix under `rows` (normally `p.rows`), ties broken as the
/// module says. Min-CVaR is solved by cutting planes (`cuts`), which reach
/// the optimum of the same program as [`rockafellar_uryasev`] far faster.
///
/// # Errors
/// [`Failure::Infeasible`] when no mix meets every row.
pub fn solve(p: &Problem, rows: &[Row]) -> Result<Solved, Failure> {
    if p.objective == Objective::MinCvar && !p.scenarios.is_empty() {
        return super::cuts::solve(p, rows);
    }
    rockafellar_uryasev(p, rows)
}

/// As [`solve`], min-CVaR written out in full as the Rockafellar–Uryasev
/// linear program (one tail variable and one row per scenario), the
/// reference formulation (domain.md §6).
///
/// # Errors
/// [`Failure::Infeasible`] when no mix meets every row.
pub fn rockafellar_uryasev(p: &Problem, rows: &[Row]) -> Result<Solved, Failure> {
    let (weights, z) = stage(p, rows, primary, None)?;
    let tolerance = 1e-9 * z.abs().max(1.0);
    let weights = match stage(p, rows, secondary, Some(z + tolerance)) {
        Ok((w, _)) => w,
        Err(_) => weights,
    };
    let objective = linear_objective(p, &weights);
    Ok(Solved { weights, objective })
}

/// The primary objective at `w`, as [`Solved::objective`] reports it (for
/// min-CVaR written out in full, CVaR by sorting).
fn linear_objective(p: &Problem, w: &[f64]) -> f64 {
    let dot = |c: &[f64]| c.iter().zip(w).map(|(a, b)| a * b).sum::<f64>();
    match p.objective {
        Objective::MinRisk => dot(&p.risk),
        Objective::MaxIncome => dot(&p.income),
        Objective::MinCvar if p.scenarios.is_empty() => dot(&p.risk),
        Objective::MinCvar => super::scenarios::cvar(&p.scenarios, w, p.beta),
    }
}

/// The least each row must give (a fraction, ≥ 0; in the units of its
/// left-hand side, a share of the whole value even for a chain's cap on a
/// share of the on-chain money) for some mix to meet all the others,
/// minimising the total given, and that mix; rows in `hard` must hold as
/// written. `None` when even that has no solution (the fixed weights and
/// hard rows conflict by themselves).
#[must_use]
pub fn elastic(
    p: &Problem,
    rows: &[Row],
    hard: fn(&Limit) -> bool,
) -> Option<(Vec<f64>, Vec<f64>)> {
    let mut vars = ProblemVariables::new();
    let w: Vec<Variable> =
        p.lo.iter()
            .zip(&p.hi)
            .map(|(lo, hi)| vars.add(variable().min(*lo).max(*hi)))
            .collect();
    let give: Vec<Option<Variable>> = rows
        .iter()
        .map(|r| (!hard(&r.limit)).then(|| vars.add(variable().min(0.0))))
        .collect();
    let total_give: Expression = give.iter().flatten().copied().sum();
    let total: Expression = w.iter().copied().sum();
    let mut model = vars.minimise(total_give).using(microlp);
    model = model.with(total.eq(1.0));
    for (r, g) in rows.iter().zip(&give) {
        let mut e = dot(&r.coefs, &w);
        if let Some(g) = g {
            match r.sense {
                Sense::AtMost => e.add_mul(-1.0, *g),
                Sense::AtLeast => e.add_mul(1.0, *g),
            }
        }
        model = model.with(match r.sense {
            Sense::AtMost => e.leq(r.rhs),
            Sense::AtLeast => e.geq(r.rhs),
        });
    }
    let solution = model.solve().ok()?;
    Some((
        give.iter()
            .map(|g| g.map_or(0.0, |g| solution.value(g).max(0.0)))
            .collect(),
        w.iter().map(|v| solution.value(*v)).collect(),
    ))
}
