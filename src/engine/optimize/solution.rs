//! What a solve gives back ([`Solved`], or why not: [`Failure`]) and the
//! second stage's aim, shared by the simplex ([`super::solve`]) and the
//! min-CVaR cutting planes ([`super::cuts`]).

use super::problem::{Objective, Problem};

/// Weight of the profile-order preference in the second stage (per unit
/// weight, in the objective's fractions): far below any figure shown.
const ORDER_TIE: f64 = 1e-7;

/// Why no mix came back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// No mix meets every row.
    Infeasible,
    /// The solver gave up (numerical trouble); should not happen on a
    /// bounded program.
    Solver,
}

/// Optimal weights (one per choice, fractions) and the objective at them
/// (a fraction of the portfolio's value a year).
#[derive(Clone, Debug, PartialEq)]
pub struct Solved {
    /// The weights, one per choice.
    pub weights: Vec<f64>,
    /// The primary objective at these weights, a fraction of the value
    /// (loss or CVaR as a positive loss; income as income).
    pub objective: f64,
}

/// The second stage's aim per weight: the secondary figure plus the order
/// preference.
pub(super) fn secondary_coefs(p: &Problem) -> Vec<f64> {
    let n = p.lo.len().max(1) as f64;
    let aim = match p.objective {
        Objective::MinRisk => p.income.iter().map(|x| -x).collect::<Vec<_>>(),
        Objective::MaxIncome | Objective::MinCvar => p.risk.clone(),
    };
    aim.iter()
        .enumerate()
        .map(|(j, a)| a + ORDER_TIE * j as f64 / n)
        .collect()
}
