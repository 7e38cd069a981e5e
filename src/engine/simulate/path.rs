//! One simulated future: monthly correlated lognormal prices, yearly yield
//! draws and protocol loss events, and the year-end flows of the
//! deterministic projection (tax, reinvestment, contributions, the goal,
//! withdrawals), spread over the positions by value.
//!
//! Every path has its own random stream (`ChaCha8` seeded with the seed, stream
//! = path number), and draws its numbers in a fixed order, so a path's record
//! depends on nothing but the setup, the seed and its number.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use super::setup::Setup;

/// One path's record.
pub(super) struct PathOut {
    /// End-of-year portfolio value, per year.
    pub(super) value: Vec<f64>,
    /// Gross income earned, per year.
    pub(super) income: Vec<f64>,
    /// Goal paid in each year (income phase only).
    pub(super) paid: Vec<bool>,
    /// True when the capital ran out.
    pub(super) depleted: bool,
    /// Years until the sustainable income first covered the goal.
    pub(super) years_to_goal: Option<u32>,
}

/// Asset prices along a path (entry price 1).
struct Prices {
    log: Vec<f64>,
    /// Prices (not logs), refreshed each month: one exp per asset per step.
    now: Vec<f64>,
    /// Sum of this year's monthly prices, per asset.
    year_sum: Vec<f64>,
    /// This month's independent standard normal draws.
    z: Vec<f64>,
}

impl Prices {
    fn new(k: usize) -> Prices {
        Prices {
            log: vec![0.0; k],
            now: vec![1.0; k],
            year_sum: vec![0.0; k],
            z: vec![0.0; k],
        }
    }

    /// One monthly step: correlated shocks, new prices, added to the year's sums.
    fn step(&mut self, s: &Setup, rng: &mut ChaCha8Rng) {
        for zi in &mut self.z {
            *zi = rng.sample(StandardNormal);
        }
        for i in 0..self.log.len() {
            // `scaled` is the Cholesky factor with each row times the asset's volatility.
            let shock: f64 = s.scaled[i][..=i]
                .iter()
                .zip(&self.z)
                .map(|(c, zj)| c * zj)
                .sum();
            self.log[i] += s.drift[i] + shock;
            self.now[i] = self.log[i].exp();
            self.year_sum[i] += self.now[i];
        }
    }
}

/// The value of position `i` holding `units` at prices `price`: units times
/// the asset's price, or a pool's value by its pool maths.
fn value_of(s: &Setup, i: usize, units: f64, price: &[f64]) -> f64 {
    let pos = &s.positions[i];
    match (pos.asset, pos.pair) {
        (Some(a), _) => units * price[a],
        (_, Some((a, b, pool))) => units * pool.values(price[a] / price[b]).0 * price[b],
        _ => units,
    }
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

/// This year's monthly yields (one quantile shared by all positions) and, per
/// position, the month of its loss event if it has one (at most one a year).
fn draw_year(s: &Setup, rng: &mut ChaCha8Rng, monthly: &mut [f64], events: &mut [Option<u32>]) {
    let u: f64 = rng.random();
    for (m, p) in monthly.iter_mut().zip(&s.positions) {
        *m = quantile_yield(&p.band, u) / 12.0;
    }
    for (e, p) in events.iter_mut().zip(&s.positions) {
        *e = if p.event_year > 0.0 && rng.random::<f64>() < p.event_year {
            Some(rng.random_range(0..12u32))
        } else {
            None
        };
    }
}

/// Steps the prices through a year and returns the gross income earned;
/// loss events take their share of the units in their month.
fn earn_year(
    s: &Setup,
    rng: &mut ChaCha8Rng,
    prices: &mut Prices,
    units: &mut [f64],
    monthly: &[f64],
    events: &[Option<u32>],
) -> f64 {
    let mut gross = 0.0;
    // A single-asset position with no loss event this year earns
    // units × yield × the sum of its asset's monthly prices: add prices up
    // per asset and settle those positions once, at year end.
    prices.year_sum.iter_mut().for_each(|x| *x = 0.0);
    for month in 0..12u32 {
        prices.step(s, rng);
        for (i, pos) in s.positions.iter().enumerate() {
            if monthly[i] == 0.0 || (pos.asset.is_some() && events[i].is_none()) {
                continue;
            }
            if events[i] == Some(month) {
                units[i] *= 1.0 - pos.loss;
            }
            gross += value_of(s, i, units[i], &prices.now) * monthly[i];
        }
    }
    for (i, pos) in s.positions.iter().enumerate() {
        if let (Some(a), None) = (pos.asset, events[i]) {
            gross += units[i] * monthly[i] * prices.year_sum[a];
        }
    }
    gross
}

/// The year-end flows for after-tax income `net` on a portfolio worth
/// `total`, with prices indexed by `index` since today: money added, money
/// withdrawn, and whether the goal was paid (income phase only).
fn year_flows(s: &Setup, year: u32, index: f64, net: f64, total: f64) -> (f64, f64, Option<bool>) {
    match s.goal {
        Some((min, start, after_tax)) if year >= start => {
            let target = min * index;
            let payout = if after_tax {
                target
            } else {
                target * (1.0 - s.tax)
            };
            let surplus = (net - payout).max(0.0);
            let need = (payout - net).max(0.0);
            let ok = need <= total + surplus * s.reinvest + 1e-9;
            (surplus * s.reinvest, need, Some(ok))
        }
        _ => (net * s.reinvest + s.contribution * index, 0.0, None),
    }
}

/// Spreads the year's flows over the positions by value, so the units add up
/// to `after`.
fn rescale(units: &mut [f64], total: f64, after: f64, add: f64) {
    if total > 0.0 {
        let scale = after / total;
        for u in units.iter_mut() {
            *u *= scale;
        }
    } else if add > 0.0 && !units.is_empty() {
        // Everything was lost; new money goes to the first position.
        units[0] = add;
    }
}

/// True when a portfolio worth `value` earns next year's goal from its
/// sustainable yield (after tax when the goal is).
fn covers_goal(s: &Setup, value: f64, index: f64) -> bool {
    let Some((min, _, after_tax)) = s.goal else {
        return false;
    };
    let basis = if after_tax {
        s.sustainable_yield * (1.0 - s.tax)
    } else {
        s.sustainable_yield
    };
    value * basis >= min * index * (1.0 + s.inflation)
}

/// Runs path number `path` of a simulation seeded with `seed` for `years` years.
pub(super) fn run_path(s: &Setup, years: u32, seed: u64, path: u64) -> PathOut {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(path);
    let mut prices = Prices::new(s.drift.len());
    // Each position: units (value at entry price 1 for single assets), or a pool's entry value.
    let mut units: Vec<f64> = s.positions.iter().map(|p| p.amount).collect();
    let mut out = PathOut {
        value: Vec::with_capacity(years as usize),
        income: Vec::with_capacity(years as usize),
        paid: Vec::new(),
        depleted: false,
        years_to_goal: None,
    };
    let mut index = 1.0;
    let n = s.positions.len();
    let mut monthly = vec![0.0; n];
    let mut events: Vec<Option<u32>> = vec![None; n];
    for year in 0..years {
        draw_year(s, &mut rng, &mut monthly, &mut events);
        let gross = earn_year(s, &mut rng, &mut prices, &mut units, &monthly, &events);
        let total: f64 = (0..units.len())
            .map(|i| value_of(s, i, units[i], &prices.now))
            .sum();
        let net = gross - gross * s.tax;
        let (add, withdraw, paid_ok) = year_flows(s, year, index, net, total);
        let after = (total + add - withdraw).max(0.0);
        rescale(&mut units, total, after, add);
        if let Some(ok) = paid_ok {
            out.paid.push(ok);
        }
        if after <= 0.0 {
            out.depleted = true;
        }
        if out.years_to_goal.is_none() && covers_goal(s, after, index) {
            out.years_to_goal = Some(year + 1);
        }
        out.value.push(after);
        out.income.push(gross);
        index *= 1.0 + s.inflation;
    }
    out
}
