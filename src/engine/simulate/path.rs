//! One simulated future, a year at a time, through the same one-year step as
//! the deterministic projection (`engine::year`): each year draws the
//! correlated lognormal price factors of the assets (exact yearly draws), one
//! yield quantile shared by all positions (yields rise and fall together),
//! and each position's protocol loss event (also when its yield counts as
//! zero); then the step settles income, tax, prices, impermanent loss,
//! losses and the year-end flows.
//!
//! Every path has its own random stream (`ChaCha8` seeded with the seed, stream
//! = path number), and draws its numbers in a fixed order (the asset normals,
//! the yield quantile, then one uniform per position), so a path's record
//! depends on nothing but the setup, the seed and its number.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use super::setup::Setup;
use crate::engine::year::{PositionYear, YearSettings, step};

/// One path's record.
pub(super) struct PathOut {
    /// End-of-year portfolio value, per year.
    pub(super) value: Vec<f64>,
    /// Gross income earned, per year.
    pub(super) income: Vec<f64>,
    /// Goal paid in full in each year (income phase only).
    pub(super) paid: Vec<bool>,
    /// True when the capital ran out.
    pub(super) depleted: bool,
    /// Whole years until the sustainable income first covered the goal (0
    /// when it already does today).
    pub(super) years_to_goal: Option<u32>,
}

/// The yield at quantile `u` of a `[low, mid, high]` band: linear from low to
/// mid below the median, from mid to high above it.
fn quantile_yield(b: &[f64; 3], u: f64) -> f64 {
    if u < 0.5 {
        b[0] + (b[1] - b[0]) * 2.0 * u
    } else {
        b[1] + (b[2] - b[1]) * (2.0 * u - 1.0)
    }
}

/// This year's price factor of each asset: `exp(drift + Σ scaled·z)`.
fn draw_prices(s: &Setup, rng: &mut ChaCha8Rng, z: &mut [f64], factor: &mut [f64]) {
    for zi in z.iter_mut() {
        *zi = rng.sample(StandardNormal);
    }
    for (i, f) in factor.iter_mut().enumerate() {
        let shock: f64 = s.scaled[i][..=i]
            .iter()
            .zip(z.iter())
            .map(|(c, zj)| c * zj)
            .sum();
        *f = (s.drift[i] + shock).exp();
    }
}

/// The year's inputs of every position at price factors `factor`, yield
/// quantile `u`, drawing each position's loss event.
fn year_inputs(
    s: &Setup,
    rng: &mut ChaCha8Rng,
    factor: &[f64],
    u: f64,
    inputs: &mut Vec<PositionYear<f64>>,
) {
    inputs.clear();
    for pos in &s.positions {
        let (price, impermanent_loss) = match (pos.asset, pos.pair) {
            (Some(a), _) => (factor[a], 0.0),
            (_, Some((a, b, pool, share))) => {
                let r = factor[a] / factor[b];
                let il = match &pos.table {
                    Some(t) => t.impermanent_loss(r),
                    None => pool.impermanent_loss(r),
                };
                (share * factor[a] + (1.0 - share) * factor[b], il)
            }
            _ => (1.0, 0.0),
        };
        let event = pos.event_year > 0.0 && rng.random::<f64>() < pos.event_year;
        inputs.push(PositionYear {
            paid_rate: quantile_yield(&pos.paid, u),
            compound_rate: quantile_yield(&pos.compound, u),
            price,
            impermanent_loss,
            loss: if event { pos.loss } else { 0.0 },
        });
    }
}

/// True when a portfolio worth `value` earns the goal of the year with
/// inflation index `index` from its sustainable yield (after tax when the
/// goal is).
fn covers_goal(s: &Setup, value: f64, index: f64) -> bool {
    let Some((min, _, after_tax)) = s.goal else {
        return false;
    };
    let basis = if after_tax {
        s.sustainable_yield * (1.0 - s.tax)
    } else {
        s.sustainable_yield
    };
    value * basis >= min * index
}

/// The year's settings: in the income phase the indexed goal to pay, less
/// the tax on it for a pre-tax goal; before it the indexed contribution.
fn settings(s: &Setup, year: u32, index: f64) -> YearSettings<f64> {
    let payout = match s.goal {
        Some((min, start, after_tax)) if year >= start => {
            let target = min * index;
            Some(if after_tax {
                target
            } else {
                target * (1.0 - s.tax)
            })
        }
        _ => None,
    };
    YearSettings {
        tax: s.tax,
        reinvest: s.reinvest,
        contribution: s.contribution * index,
        payout,
        rebalance: s.rebalance,
    }
}

/// Runs path number `path` of a simulation seeded with `seed` for `years` years.
pub(super) fn run_path(s: &Setup, years: u32, seed: u64, path: u64) -> PathOut {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(path);
    let k = s.drift.len();
    let (mut z, mut factor) = (vec![0.0; k], vec![1.0; k]);
    let mut values: Vec<f64> = s.targets.iter().map(|w| w * s.value).collect();
    let mut inputs = Vec::with_capacity(s.positions.len());
    let mut out = PathOut {
        value: Vec::with_capacity(years as usize),
        income: Vec::with_capacity(years as usize),
        paid: Vec::new(),
        depleted: false,
        years_to_goal: None,
    };
    let mut index = 1.0;
    for year in 0..years {
        if out.years_to_goal.is_none() && covers_goal(s, values.iter().sum(), index) {
            out.years_to_goal = Some(year);
        }
        draw_prices(s, &mut rng, &mut z, &mut factor);
        let u: f64 = rng.random();
        year_inputs(s, &mut rng, &factor, u, &mut inputs);
        let settings = settings(s, year, index);
        let y = step(&mut values, &inputs, &s.targets, &settings);
        if settings.payout.is_some() {
            out.paid.push(!y.depleted);
        }
        if y.depleted || y.end <= 0.0 {
            out.depleted = true;
        }
        out.value.push(y.end);
        out.income.push(y.gross_income);
        index *= 1.0 + s.inflation;
    }
    out
}
