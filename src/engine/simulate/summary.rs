//! Gathering the paths of a simulation into its report: percentiles of value
//! and income per year, the chance of paying the goal, depletion and the
//! median years to the goal. Reads finished paths only; runs none.

use rayon::prelude::*;
use rust_decimal::Decimal;

use super::SimSettings;
use super::path::Chunk;
use super::results::{Percentiles, Simulation, YearChance};
use crate::engine::floats::{money, rate};
use crate::engine::plan_report::PlanReport;
use crate::engine::schema::SCHEMA_VERSION;
use crate::model::Portfolio;
use crate::money::Money;

/// The nearest-rank index of quantile `q` among `len` values (`len` ≥ 1).
fn rank(q: f64, len: usize) -> usize {
    ((q * len as f64).ceil() as usize).clamp(1, len) - 1
}

/// The 5th, 25th, 50th, 75th and 95th percentiles of `xs` by nearest rank,
/// and their mean (summed in path order). Each selection after the median
/// searches only the part of `xs` the earlier ones left on its side.
fn percentiles(year: u32, xs: &mut [f64]) -> Percentiles {
    let len = xs.len();
    if len == 0 {
        let zero = money(0.0);
        return Percentiles {
            year,
            p5: zero,
            p25: zero,
            p50: zero,
            p75: zero,
            p95: zero,
            mean: zero,
        };
    }
    let mean = xs.iter().sum::<f64>() / len as f64;
    let [i5, i25, i50, i75, i95] = [0.05, 0.25, 0.50, 0.75, 0.95].map(|q| rank(q, len));
    // The value of rank `i` within `xs[lo..hi]`, which holds exactly the
    // ranks lo..hi of the whole; `known` is the value of rank `at`, already
    // selected next to this range (equal ranks share it).
    let mut select = |i: usize, lo: usize, hi: usize, (at, known): (usize, f64)| {
        if i == at {
            known
        } else {
            *xs[lo..hi].select_nth_unstable_by(i - lo, f64::total_cmp).1
        }
    };
    let p50 = select(i50, 0, len, (len, 0.0));
    let p25 = select(i25, 0, i50, (i50, p50));
    let p5 = select(i5, 0, i25, (i25, p25));
    let p75 = select(i75, i50 + 1, len, (i50, p50));
    let p95 = select(i95, i75 + 1, len, (i75, p75));
    Percentiles {
        year,
        p5: money(p5),
        p25: money(p25),
        p50: money(p50),
        p75: money(p75),
        p95: money(p95),
        mean: money(mean),
    }
}

/// Every path's entry of a year-major field in path order: year `year` of
/// `field` gathered from each chunk.
fn gather(chunks: &[Chunk], year: usize, field: fn(&Chunk) -> &[f64]) -> Vec<f64> {
    let mut xs = Vec::with_capacity(chunks.iter().map(|c| c.len).sum());
    for c in chunks {
        xs.extend_from_slice(&field(c)[year * c.len..(year + 1) * c.len]);
    }
    xs
}

/// Percentiles of `field` for each year of the horizon, the years in parallel.
fn yearly(chunks: &[Chunk], years: u32, field: fn(&Chunk) -> &[f64]) -> Vec<Percentiles> {
    (0..years as usize)
        .into_par_iter()
        .map(|y| percentiles(y as u32 + 1, &mut gather(chunks, y, field)))
        .collect()
}

/// The median of the paths' years to the goal; `None` when fewer than half
/// the paths get there within the horizon.
fn median_years_to_goal(chunks: &[Chunk]) -> Option<u32> {
    let mut to_goal: Vec<u32> = chunks
        .iter()
        .flat_map(|c| c.years_to_goal.iter().copied())
        .collect();
    let i = to_goal.len() / 2;
    if to_goal.is_empty() {
        return None;
    }
    Some(*to_goal.select_nth_unstable(i).1).filter(|y| *y != u32::MAX)
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
fn mean_above_median(chunks: &[Chunk], years: u32) -> crate::money::Rate {
    if years == 0 {
        return rate(0.0);
    }
    let mut last = gather(chunks, years as usize - 1, |c| &c.value);
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

/// How many paths paid the goal in full in each income-phase year, and in
/// every one of them.
fn goal_counts(chunks: &[Chunk], phase_years: usize) -> (Vec<usize>, usize) {
    let mut by_year = vec![0; phase_years];
    let mut always = 0;
    for c in chunks {
        for (k, n) in by_year.iter_mut().enumerate() {
            *n += c.paid[k * c.len..(k + 1) * c.len]
                .iter()
                .filter(|ok| **ok)
                .count();
        }
        always += (0..c.len)
            .filter(|j| (0..phase_years).all(|k| c.paid[k * c.len + j]))
            .count();
    }
    (by_year, always)
}

/// The report of a simulation whose paths, in path order, are `chunks`.
pub(super) fn summarise(
    p: &Portfolio,
    plan: &PlanReport,
    settings: SimSettings,
    chunks: &[Chunk],
    projection_end: f64,
) -> Simulation {
    let paths: usize = chunks.iter().map(|c| c.len).sum();
    let n = paths.max(1) as f64;
    let years = settings.years;
    let share = |hits: usize| hits as f64 / n;
    let phase_years = chunks.first().map_or(0, |c| c.paid.len() / c.len.max(1));
    let first_income_year = years as usize - phase_years;
    let (by_year, always) = goal_counts(chunks, phase_years);
    let goal_by_year = by_year
        .iter()
        .enumerate()
        .map(|(k, hits)| YearChance {
            year: (first_income_year + k + 1) as u32,
            probability: rate(share(*hits)),
        })
        .collect();
    let success = (phase_years > 0).then(|| share(always));
    let depleted = chunks
        .iter()
        .map(|c| c.depleted.iter().filter(|d| **d).count())
        .sum();
    Simulation {
        schema_version: SCHEMA_VERSION,
        profile: plan.profile.clone(),
        currency: p.currency.clone(),
        years,
        paths: settings.paths,
        seed: settings.seed,
        success_probability: success.map(rate),
        success_standard_error: success.map(|q| rate((q * (1.0 - q) / n).sqrt())),
        depletion_probability: rate(share(depleted)),
        goal_by_year,
        value: yearly(chunks, years, |c| &c.value),
        income: yearly(chunks, years, |c| &c.income),
        median_years_to_goal: if p.goal.is_some() {
            median_years_to_goal(chunks)
        } else {
            None
        },
        goal_line: goal_line(p, years),
        mean_above_median: mean_above_median(chunks, years),
        projection_end: money(projection_end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The narrowing selections give the nearest-rank percentiles of a full
    /// sort, for every length from 1 to 60 and with ties.
    #[test]
    fn percentiles_match_a_full_sort() {
        for len in 1..=60usize {
            for ties in [1, 3] {
                let xs: Vec<f64> = (0..len)
                    .map(|i| ((i * 37 + 11) % len / ties) as f64)
                    .collect();
                let mut sorted = xs.clone();
                sorted.sort_by(f64::total_cmp);
                let got = percentiles(1, &mut xs.clone());
                let want = |q: f64| money(sorted[rank(q, len)]);
                assert_eq!(
                    [got.p5, got.p25, got.p50, got.p75, got.p95],
                    [want(0.05), want(0.25), want(0.5), want(0.75), want(0.95)],
                    "len {len}"
                );
            }
        }
    }
}
