//! The result types of a simulation: the JSON contract of
//! `yieldplan project --simulate`. Shapes only; computed in `summary`.

use serde::Serialize;

use crate::engine::schema::ProfileRef;
use crate::money::{Money, Rate};

/// Percentiles of an amount of money in one year, across paths (nearest rank).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Percentiles {
    /// 1 for the first year from today.
    pub year: u32,
    /// 5th percentile.
    pub p5: Money,
    /// 25th percentile.
    pub p25: Money,
    /// The median.
    pub p50: Money,
    /// 75th percentile.
    pub p75: Money,
    /// 95th percentile.
    pub p95: Money,
    /// The mean across paths: above the median when volatility drags the
    /// typical path below the average one.
    pub mean: Money,
}

/// The chance the goal is paid in one year of the income phase.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct YearChance {
    /// 1 for the first year from today.
    pub year: u32,
    /// Share of the paths that paid the goal that year, a fraction.
    pub probability: Rate,
}

/// The JSON output of `yieldplan project --simulate`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Simulation {
    /// See [`crate::engine::schema::SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The profile simulated.
    pub profile: ProfileRef,
    /// The currency code every amount is in.
    pub currency: String,
    /// The horizon, in years.
    pub years: u32,
    /// How many paths were run.
    pub paths: u32,
    /// The seed of the random streams.
    pub seed: u64,
    /// Probability that the goal is paid in every year of the income phase
    /// within the horizon; null without a goal or an income phase.
    pub success_probability: Option<Rate>,
    /// Standard error of `success_probability`: sqrt(p (1 − p) / paths).
    pub success_standard_error: Option<Rate>,
    /// Probability that the capital runs out within the horizon.
    pub depletion_probability: Rate,
    /// Probability of paying the goal, year by year, in the income phase.
    pub goal_by_year: Vec<YearChance>,
    /// End-of-year portfolio value.
    pub value: Vec<Percentiles>,
    /// Gross income earned in the year.
    pub income: Vec<Percentiles>,
    /// Median number of years until the sustainable income covers the goal
    /// (null if fewer than half the paths get there within the horizon).
    pub median_years_to_goal: Option<u32>,
    /// For each year, the gross income (before tax, as `income` is) that
    /// pays the goal, indexed to inflation: the goal's minimum, grossed up
    /// by `1 / (1 − tax)` when the goal is after tax (empty without a goal).
    pub goal_line: Vec<Money>,
    /// How far the mean value ends above the median, as a fraction of the
    /// median (0.5 = 50% above): volatility drag, the typical path lagging
    /// the average one because a few strong paths lift the mean.
    pub mean_above_median: Rate,
    /// The deterministic projection's value at the horizon (every asset at
    /// its median price), to set beside the simulated median.
    pub projection_end: Money,
}

impl Simulation {
    /// The summary `plan --simulate` shows beside the deterministic status.
    #[must_use]
    pub fn for_plan(&self) -> crate::engine::plan_report::PlanSimulation {
        let first = self.income.first();
        crate::engine::plan_report::PlanSimulation {
            years: self.years,
            paths: self.paths,
            seed: self.seed,
            success_probability: self.success_probability,
            success_standard_error: self.success_standard_error,
            depletion_probability: self.depletion_probability,
            p5_first_year_income: first.map_or(Money::ZERO, |q| q.p5),
            p50_first_year_income: first.map_or(Money::ZERO, |q| q.p50),
        }
    }
}
