//! One simulated future, a year at a time, through the same one-year step as
//! the deterministic projection (`engine::year`): each year draws the
//! correlated lognormal price factors of the assets (exact yearly draws), one
//! yield quantile shared by all positions (yields rise and fall together),
//! and each position's protocol loss event (also when its yield counts as
//! zero); then the step settles income, tax, prices, impermanent loss,
//! losses and the year-end flows.
//!
//! Every path draws from its own random stream (`stream`), in a fixed order
//! (the asset normals, the yield quantile, then one uniform per position
//! that can suffer a loss event), so a path's record depends on nothing but
//! the setup, the seed and its number. Paths are run in fixed chunks that
//! write their records into flat arrays: nothing is allocated per path.

use rand::RngExt;
use rand_distr::StandardNormal;

use super::setup::Setup;
use super::stream::{PathRng, path_rng};
use crate::engine::year::{PositionYear, YearSettings, step};

/// The records of a run of consecutive paths, year-major: the value of path
/// `first + j` at the end of year `y` is `value[y * len + j]`.
pub(super) struct Chunk {
    /// How many paths the chunk holds.
    pub(super) len: usize,
    /// End-of-year portfolio value, per year and path.
    pub(super) value: Vec<f64>,
    /// Gross income earned, per year and path.
    pub(super) income: Vec<f64>,
    /// Goal paid in full, per income-phase year and path.
    pub(super) paid: Vec<bool>,
    /// Per path: true when the capital ran out.
    pub(super) depleted: Vec<bool>,
    /// Per path: whole years until the sustainable income first covered the
    /// goal (0 when it already does today), `u32::MAX` when never.
    pub(super) years_to_goal: Vec<u32>,
}

/// What a path reuses from the one before it in the same chunk.
struct Scratch {
    /// The year's standard normals, one per asset.
    z: Vec<f64>,
    /// The year's log price factor of each asset.
    log_factor: Vec<f64>,
    /// The year's price factor of each asset.
    factor: Vec<f64>,
    /// Position values.
    values: Vec<f64>,
    /// The year's inputs of every position.
    inputs: Vec<PositionYear<f64>>,
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
fn draw_prices(s: &Setup, rng: &mut PathRng, w: &mut Scratch) {
    for zi in &mut w.z {
        *zi = rng.sample(StandardNormal);
    }
    for (i, ((lf, f), drift)) in w
        .log_factor
        .iter_mut()
        .zip(w.factor.iter_mut())
        .zip(&s.drift)
        .enumerate()
    {
        let shock: f64 = s.scaled[i][..=i]
            .iter()
            .zip(&w.z)
            .map(|(c, zj)| c * zj)
            .sum();
        *lf = drift + shock;
        *f = lf.exp();
    }
}

/// The year's inputs of every position at the drawn price factors and yield
/// quantile `u`, drawing each position's loss event.
fn year_inputs(s: &Setup, rng: &mut PathRng, u: f64, w: &mut Scratch) {
    let (factor, log_factor) = (&w.factor, &w.log_factor);
    w.inputs.clear();
    for pos in &s.positions {
        let (price, impermanent_loss) = match (pos.asset, pos.pair) {
            (Some(a), _) => (factor[a], 0.0),
            (_, Some((a, b, pool, share))) => {
                let r = factor[a] / factor[b];
                let il = match &pos.table {
                    Some(t) => t.impermanent_loss_at(log_factor[a] - log_factor[b], r),
                    None => pool.impermanent_loss(r),
                };
                (share * factor[a] + (1.0 - share) * factor[b], il)
            }
            _ => (1.0, 0.0),
        };
        let event = pos.event_year > 0.0 && rng.random::<f64>() < pos.event_year;
        w.inputs.push(PositionYear {
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

/// The number of income-phase years within a horizon of `years`.
pub(super) fn income_years(s: &Setup, years: u32) -> usize {
    match s.goal {
        Some((_, start, _)) => years.saturating_sub(start) as usize,
        None => 0,
    }
}

/// Runs paths `first .. first + len` of a simulation seeded with `seed` for
/// `years` years, calling `progress` once per finished path.
pub(super) fn run_chunk(
    s: &Setup,
    years: u32,
    seed: u64,
    first: u64,
    len: usize,
    progress: &(dyn Fn() + Sync),
) -> Chunk {
    let k = s.drift.len();
    let cells = years as usize * len;
    let mut out = Chunk {
        len,
        value: vec![0.0; cells],
        income: vec![0.0; cells],
        paid: vec![false; income_years(s, years) * len],
        depleted: vec![false; len],
        years_to_goal: vec![u32::MAX; len],
    };
    let mut w = Scratch {
        z: vec![0.0; k],
        log_factor: vec![0.0; k],
        factor: vec![1.0; k],
        values: Vec::with_capacity(s.positions.len()),
        inputs: Vec::with_capacity(s.positions.len()),
    };
    for j in 0..len {
        run_path(
            s,
            years,
            path_rng(seed, first + j as u64),
            &mut w,
            &mut out,
            j,
        );
        progress();
    }
    out
}

/// Runs one path with generator `rng`, writing its record as path `j` of `out`.
fn run_path(s: &Setup, years: u32, mut rng: PathRng, w: &mut Scratch, out: &mut Chunk, j: usize) {
    let len = out.len;
    w.values.clear();
    w.values.extend(s.targets.iter().map(|t| t * s.value));
    let mut index = 1.0;
    let mut income_year = 0;
    for year in 0..years {
        if out.years_to_goal[j] == u32::MAX && covers_goal(s, w.values.iter().sum(), index) {
            out.years_to_goal[j] = year;
        }
        draw_prices(s, &mut rng, w);
        let u: f64 = rng.random();
        year_inputs(s, &mut rng, u, w);
        let settings = settings(s, year, index);
        let y = step(&mut w.values, &w.inputs, &s.targets, &settings);
        if settings.payout.is_some() {
            out.paid[income_year * len + j] = !y.depleted;
            income_year += 1;
        }
        if y.depleted || y.end <= 0.0 {
            out.depleted[j] = true;
        }
        let at = year as usize * len + j;
        out.value[at] = y.end;
        out.income[at] = y.gross_income;
        index *= 1.0 + s.inflation;
    }
}
