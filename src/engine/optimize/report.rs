//! The result types of `yieldplan optimize`: the JSON contract (design.md
//! §5c). Rates are fractions, money is in the portfolio's currency a year.
//! Shapes only: filled by the optimizer, rendered by `report`.

use serde::Serialize;

use super::problem::{GoalBand, Objective};
use crate::engine::plan_report::PlanReport;
use crate::engine::schema::ProfileRef;
use crate::money::{Money, Rate};

/// Whether a mix was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OptimizeStatus {
    /// The best mix under every constraint.
    Optimal,
    /// No mix meets every constraint (or none whose weights are written in
    /// 0.01% steps does); `infeasible` says which conflict.
    Infeasible,
}

/// The objective and its value at the chosen mix.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ObjectiveOut {
    /// Which objective.
    pub kind: Objective,
    /// Its value at the chosen weights, in money a year: the expected
    /// annual loss (min-risk), the risk-adjusted sustainable income
    /// (max-income) or the 95% CVaR of the one-year loss (min-cvar); null
    /// when infeasible.
    pub value: Option<Money>,
}

/// One position's chosen weight beside the one the profile gives.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChosenWeight {
    /// The position's name, as in the profile (an index position's own name).
    pub name: String,
    /// The chosen weight, a fraction (on a 0.01% grid; null when infeasible).
    pub weight: Option<Rate>,
    /// The weight the profile gives now, a fraction (null for a range or "rest").
    pub previous_weight: Option<Rate>,
    /// The least weight allowed, a fraction.
    pub min: Rate,
    /// The most weight allowed, a fraction.
    pub max: Rate,
    /// True when the optimizer could not change it.
    pub fixed: bool,
}

/// A constraint that holds with equality at the optimum.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Binding {
    /// What it limits, in words (e.g. "protocol lido at most 25%").
    pub constraint: String,
    /// What relaxing it by one percentage point would improve the objective
    /// by, in money a year (less loss or CVaR, more income); null for the
    /// goal itself.
    pub shadow_price: Option<Money>,
}

/// A constraint that must give for any mix to fit.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Conflict {
    /// What it limits, in words.
    pub constraint: String,
    /// The bound as written, a fraction (a share, or a yield for the goal).
    pub bound: Rate,
    /// The bound that would let the goal (or the other constraints) be met,
    /// a fraction; null when relaxing this one alone is not enough, and for
    /// the constraints that no mix on the 0.01% steps meets together.
    pub needed: Option<Rate>,
    /// What the best mix would reach with this constraint fully relaxed
    /// (goal conflicts only): the goal's yield at the band, a fraction.
    pub reaches: Option<Rate>,
}

/// Why no mix fits.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Infeasibility {
    /// The explanation, one sentence per line.
    pub lines: Vec<String>,
    /// The goal's required yield at the band (after tax when the goal is),
    /// a fraction; null when the caps conflict without the goal.
    pub required_yield: Option<Rate>,
    /// The most the goal's yield can be under the other constraints, a
    /// fraction; null when they conflict by themselves, or when a mix fits
    /// only between the 0.01% steps weights are written in.
    pub best_yield: Option<Rate>,
    /// The constraints in conflict, each with the bound that would resolve it.
    pub conflicts: Vec<Conflict>,
}

/// What `yieldplan optimize` found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OptimizeReport {
    /// The JSON schema version.
    pub schema_version: u32,
    /// The profile optimized.
    pub profile: ProfileRef,
    /// `optimal` or `infeasible`.
    pub status: OptimizeStatus,
    /// The objective and its value.
    pub objective: ObjectiveOut,
    /// The band the income goal is met at (`low`: the plan `meets`).
    pub band: GoalBand,
    /// True when no position gave bounds, so every `weight` was free
    /// (0% to 100%); otherwise only ranges and "rest" were.
    pub all_free: bool,
    /// Each profile position's chosen weight beside its current one.
    pub positions: Vec<ChosenWeight>,
    /// The constraints that bind at the optimum, with shadow prices.
    pub binding: Vec<Binding>,
    /// Why no mix fits (infeasible only).
    pub infeasible: Option<Infeasibility>,
    /// The plan of the chosen mix (the same document as `plan`); null when
    /// infeasible.
    pub plan: Option<PlanReport>,
}
