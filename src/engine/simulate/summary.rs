//! Gathering the paths of a simulation into its report: percentiles of value
//! and income per year, the chance of paying the goal, depletion and the
//! median years to the goal. Reads finished paths only; runs none.

use rust_decimal::Decimal;

use super::SimSettings;
use super::path::PathOut;
use super::results::{Percentiles, Simulation, YearChance};
use crate::engine::floats::{money, rate};
use crate::engine::plan_report::PlanReport;
use crate::engine::schema::SCHEMA_VERSION;
use crate::model::Portfolio;
use crate::money::Money;

/// The 5th, 25th, 50th, 75th and 95th percentiles of `xs` by nearest rank.
fn percentiles(year: u32, mut xs: Vec<f64>) -> Percentiles {
    let len = xs.len();
    let mean = if len == 0 {
        0.0
    } else {
        xs.iter().sum::<f64>() / len as f64
    };
    let mut at = |q: f64| {
        if len == 0 {
            return 0.0;
        }
        // Nearest rank.
        let i = ((q * len as f64).ceil() as usize).clamp(1, len) - 1;
        *xs.select_nth_unstable_by(i, f64::total_cmp).1
    };
    Percentiles {
        year,
        p5: money(at(0.05)),
        p25: money(at(0.25)),
        p50: money(at(0.50)),
        p75: money(at(0.75)),
        p95: money(at(0.95)),
        mean: money(mean),
    }
}

/// Percentiles of `field` for each year of the horizon.
fn yearly(paths: &[PathOut], years: u32, field: fn(&PathOut) -> &[f64]) -> Vec<Percentiles> {
    (0..years as usize)
        .map(|y| percentiles(y as u32 + 1, paths.iter().map(|x| field(x)[y]).collect()))
        .collect()
}

/// The median of the paths' years to the goal; `None` when fewer than half
/// the paths get there within the horizon.
fn median_years_to_goal(paths: &[PathOut]) -> Option<u32> {
    let mut to_goal: Vec<u32> = paths
        .iter()
        .map(|x| x.years_to_goal.unwrap_or(u32::MAX))
        .collect();
    to_goal.sort_unstable();
    to_goal
        .get(to_goal.len() / 2)
        .copied()
        .filter(|y| *y != u32::MAX)
}

/// The goal's minimum for each year of the horizon, indexed to inflation.
fn goal_line(p: &Portfolio, years: u32) -> Vec<Money> {
    p.goal.as_ref().map_or_else(Vec::new, |g| {
        let mut index = Decimal::ONE;
        (0..years)
            .map(|_| {
                let v = Money(g.annual_min.0 * index);
                index *= Decimal::ONE + p.assumptions.inflation.0;
                v
            })
            .collect()
    })
}

/// How far the mean final value sits above the median one, a fraction of
/// the median (0 when the median is 0).
fn mean_above_median(paths: &[PathOut]) -> crate::money::Rate {
    let mut last: Vec<f64> = paths
        .iter()
        .filter_map(|x| x.value.last().copied())
        .collect();
    if last.is_empty() {
        return rate(0.0);
    }
    let mean = last.iter().sum::<f64>() / last.len() as f64;
    let i = last.len() / 2;
    let median = *last.select_nth_unstable_by(i, f64::total_cmp).1;
    rate(if median > 0.0 {
        mean / median - 1.0
    } else {
        0.0
    })
}

/// The report of a simulation whose paths, in path order, are `paths`.
pub(super) fn summarise(
    p: &Portfolio,
    plan: &PlanReport,
    settings: SimSettings,
    paths: &[PathOut],
    projection_end: f64,
) -> Simulation {
    let n = paths.len().max(1) as f64;
    let years = settings.years;
    let share = |hits: usize| hits as f64 / n;
    let phase_years = paths.first().map_or(0, |x| x.paid.len());
    let first_income_year = years as usize - phase_years;
    let goal_by_year = (0..phase_years)
        .map(|k| YearChance {
            year: (first_income_year + k + 1) as u32,
            probability: rate(share(paths.iter().filter(|x| x.paid[k]).count())),
        })
        .collect();
    let success = (phase_years > 0)
        .then(|| share(paths.iter().filter(|x| x.paid.iter().all(|ok| *ok)).count()));
    Simulation {
        schema_version: SCHEMA_VERSION,
        profile: plan.profile.clone(),
        currency: p.currency.clone(),
        years,
        paths: settings.paths,
        seed: settings.seed,
        success_probability: success.map(rate),
        success_standard_error: success.map(|q| rate((q * (1.0 - q) / n).sqrt())),
        depletion_probability: rate(share(paths.iter().filter(|x| x.depleted).count())),
        goal_by_year,
        value: yearly(paths, years, |x| &x.value),
        income: yearly(paths, years, |x| &x.income),
        median_years_to_goal: if p.goal.is_some() {
            median_years_to_goal(paths)
        } else {
            None
        },
        goal_line: goal_line(p, years),
        mean_above_median: mean_above_median(paths),
        projection_end: money(projection_end),
    }
}
