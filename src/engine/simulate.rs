//! Monte Carlo projection: many possible futures, with a seed.
//!
//! Each path steps monthly. Asset prices are correlated lognormals (annual
//! volatilities and correlations from the rate book, Cholesky factor, drift
//! set so the expected price grows by the asset's expected return). A
//! liquidity position is valued by its pool maths from its two prices, so
//! impermanent loss emerges from the paths (its yield is fees and rewards
//! only). Each year every yield is drawn within its band by one quantile
//! shared by all positions (yields rise and fall together); protocol loss
//! events strike with each position's compounded probability and take its
//! loss given the event. Income accrues monthly and is settled at each year
//! end exactly as in the deterministic projection (tax, reinvestment,
//! contributions, the goal, withdrawals), the flows spread over the positions
//! by value.
//!
//! Every path has its own random stream (ChaCha8 seeded with the seed, stream
//! = path number), paths run in parallel with rayon and are gathered in path
//! order, so the same seed gives byte-identical output on any number of threads.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use rayon::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use super::plan::{PlanReport, ProfileRef, SCHEMA_VERSION};
use crate::model::{Band, Pool, Portfolio};
use crate::money::{Money, Rate, decimal_from_f64};

/// Default number of paths.
pub const DEFAULT_PATHS: u32 = 10_000;
/// Default seed: results are reproducible unless asked otherwise.
pub const DEFAULT_SEED: u64 = 20_261_128;

/// What a simulation is asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SimSettings {
    pub years: u32,
    pub paths: u32,
    pub seed: u64,
}

/// Percentiles of a quantity in one year.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Percentiles {
    pub year: u32,
    pub p5: Money,
    pub p25: Money,
    pub p50: Money,
    pub p75: Money,
    pub p95: Money,
}

/// The chance the goal is paid in one year of the income phase.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct YearChance {
    pub year: u32,
    pub probability: Rate,
}

/// The JSON output of `yieldplan project --simulate`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Simulation {
    pub schema_version: u32,
    pub profile: ProfileRef,
    pub currency: String,
    pub years: u32,
    pub paths: u32,
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
    /// The goal for each year, indexed to inflation (empty without a goal).
    pub goal_line: Vec<Money>,
}

/// Lower-triangular Cholesky factor of a correlation matrix, shrunk toward
/// the identity until it is positive definite.
pub fn cholesky(corr: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let n = corr.len();
    let mut shrink = 1.0;
    loop {
        let mut l = vec![vec![0.0; n]; n];
        let mut ok = true;
        'outer: for i in 0..n {
            for j in 0..=i {
                let c = if i == j { 1.0 } else { corr[i][j] * shrink };
                let s: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
                if i == j {
                    let d = c - s;
                    if d <= 1e-12 {
                        ok = false;
                        break 'outer;
                    }
                    l[i][i] = d.sqrt();
                } else {
                    l[i][j] = (c - s) / l[j][j];
                }
            }
        }
        if ok || shrink <= 0.0 {
            return l;
        }
        shrink -= 0.05;
    }
}

/// Everything a path needs, in flat arrays.
struct Setup {
    /// Per asset: monthly drift and volatility of the log price.
    drift: Vec<f64>,
    /// Cholesky factor of the correlations, each row scaled by its asset's monthly volatility.
    scaled: Vec<Vec<f64>>,
    positions: Vec<PosSetup>,
    tax: f64,
    inflation: f64,
    reinvest: f64,
    contribution: f64,
    goal: Option<(f64, u32, bool)>,
    sustainable_yield: f64,
}

struct PosSetup {
    amount: f64,
    /// Asset index (single-asset positions) or the two of a pool.
    asset: Option<usize>,
    pair: Option<(usize, usize, Pool)>,
    /// Yield band (gross, before any IL: fees and rewards for pools).
    band: [f64; 3],
    /// Yearly probability of a loss event, and its loss.
    event_year: f64,
    loss: f64,
}

fn f(d: rust_decimal::Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

fn band(b: Band) -> [f64; 3] {
    [f(b.low.0), f(b.mid.0), f(b.high.0)]
}

fn setup(p: &Portfolio, plan: &PlanReport) -> Setup {
    let mut names: Vec<String> = Vec::new();
    let index = |s: &str, names: &mut Vec<String>| -> usize {
        match names.iter().position(|n| n == s) {
            Some(i) => i,
            None => {
                names.push(s.to_string());
                names.len() - 1
            }
        }
    };
    let mut positions = Vec::new();
    for (pos, out) in p.positions.iter().zip(&plan.positions) {
        let (asset, pair, yields) = match (&pos.asset, &pos.pair, &pos.liquidity) {
            (_, Some([a, b]), Some(l)) => {
                let (ia, ib) = (index(a, &mut names), index(b, &mut names));
                // Pools earn fees and rewards; their loss comes from the prices.
                (
                    None,
                    Some((ia, ib, l.pool)),
                    if out.screened {
                        Band::default()
                    } else {
                        pos.apy
                    },
                )
            }
            (Some(a), _, _) => (Some(index(a, &mut names)), None, out.net_apy),
            _ => (None, None, out.net_apy),
        };
        let pr = f(out.risk.loss_probability.0);
        let el = f(out.risk.expected_loss.0);
        positions.push(PosSetup {
            amount: f(pos.amount.0),
            asset,
            pair,
            band: band(yields),
            event_year: pr,
            loss: if pr > 0.0 { (el / pr).min(1.0) } else { 0.0 },
        });
    }
    let dt = 1.0 / 12.0;
    let mut drift = Vec::new();
    let mut vol = Vec::new();
    for n in &names {
        let facts = p.assets.get(n);
        let sigma = facts.and_then(|a| a.volatility).map_or(0.0, |v| f(v.0));
        let m = facts.map_or(0.0, |a| f(a.expected_return.0));
        drift.push(((1.0 + m).ln() - 0.5 * sigma * sigma) * dt);
        vol.push(sigma * dt.sqrt());
    }
    let corr: Vec<Vec<f64>> = names
        .iter()
        .map(|a| {
            names
                .iter()
                .map(|b| {
                    if a == b {
                        1.0
                    } else {
                        let key = if a < b {
                            (a.clone(), b.clone())
                        } else {
                            (b.clone(), a.clone())
                        };
                        p.correlations.get(&key).copied().unwrap_or(0.0)
                    }
                })
                .collect()
        })
        .collect();
    let a = &p.assumptions;
    let scaled = cholesky(&corr)
        .into_iter()
        .zip(&vol)
        .map(|(row, v)| row.into_iter().map(|c| c * v).collect())
        .collect();
    Setup {
        drift,
        scaled,
        positions,
        tax: f(a.tax_rate.0),
        inflation: f(a.inflation.0),
        reinvest: f(a.reinvest.0),
        contribution: f(a.annual_contribution.0),
        goal: p
            .goal
            .as_ref()
            .map(|g| (f(g.annual_min.0), g.starts_in_years, g.after_tax)),
        sustainable_yield: f(plan.totals.sustainable_annual_income.share_of(p.value).0),
    }
}

/// One path's record.
struct PathOut {
    value: Vec<f64>,
    income: Vec<f64>,
    /// Goal paid in each year (income phase only).
    paid: Vec<bool>,
    depleted: bool,
    years_to_goal: Option<u32>,
}

fn quantile_yield(b: &[f64; 3], u: f64) -> f64 {
    if u < 0.5 {
        b[0] + (b[1] - b[0]) * 2.0 * u
    } else {
        b[1] + (b[2] - b[1]) * (2.0 * u - 1.0)
    }
}

fn run_path(s: &Setup, years: u32, seed: u64, path: u64) -> PathOut {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(path);
    let k = s.drift.len();
    let mut log_price = vec![0.0; k];
    let mut z = vec![0.0; k];
    // Each position: units (value at entry price 1 for single assets), or a pool's entry value.
    let mut units: Vec<f64> = s.positions.iter().map(|p| p.amount).collect();
    let mut out = PathOut {
        value: Vec::with_capacity(years as usize),
        income: Vec::with_capacity(years as usize),
        paid: Vec::new(),
        depleted: false,
        years_to_goal: None,
    };
    // Prices (not logs) of every asset, refreshed each month: one exp per asset per step.
    let mut price = vec![1.0; k];
    let mut price_sum = vec![0.0; k];
    let value_of = |i: usize, units: f64, price: &[f64]| -> f64 {
        let pos = &s.positions[i];
        match (pos.asset, pos.pair) {
            (Some(a), _) => units * price[a],
            (_, Some((a, b, pool))) => units * pool.values(price[a] / price[b]).0 * price[b],
            _ => units,
        }
    };
    let mut index = 1.0;
    let n = s.positions.len();
    let mut monthly = vec![0.0; n];
    let mut events: Vec<Option<u32>> = vec![None; n];
    for year in 0..years {
        let u: f64 = rng.random();
        for (m, p) in monthly.iter_mut().zip(&s.positions) {
            *m = quantile_yield(&p.band, u) / 12.0;
        }
        // At most one loss event a year per position, in a month drawn at random.
        for (e, p) in events.iter_mut().zip(&s.positions) {
            *e = if p.event_year > 0.0 && rng.random::<f64>() < p.event_year {
                Some(rng.random_range(0..12u32))
            } else {
                None
            };
        }
        let mut gross = 0.0;
        // A single-asset position with no loss event this year earns
        // units × yield × the sum of its asset's monthly prices: add prices up
        // per asset and settle those positions once, at year end.
        price_sum.iter_mut().for_each(|x| *x = 0.0);
        for month in 0..12u32 {
            for zi in z.iter_mut() {
                *zi = rng.sample(StandardNormal);
            }
            for i in 0..k {
                // `scaled` is the Cholesky factor with each row times the asset's volatility.
                let shock: f64 = s.scaled[i][..=i].iter().zip(&z).map(|(c, zj)| c * zj).sum();
                log_price[i] += s.drift[i] + shock;
                price[i] = log_price[i].exp();
                price_sum[i] += price[i];
            }
            for (i, pos) in s.positions.iter().enumerate() {
                if monthly[i] == 0.0 || (pos.asset.is_some() && events[i].is_none()) {
                    continue;
                }
                if events[i] == Some(month) {
                    units[i] *= 1.0 - pos.loss;
                }
                gross += value_of(i, units[i], &price) * monthly[i];
            }
        }
        for (i, pos) in s.positions.iter().enumerate() {
            if let (Some(a), None) = (pos.asset, events[i]) {
                gross += units[i] * monthly[i] * price_sum[a];
            }
        }
        let values: Vec<f64> = (0..units.len())
            .map(|i| value_of(i, units[i], &price))
            .collect();
        let total: f64 = values.iter().sum();
        let tax = gross * s.tax;
        let net = gross - tax;
        let (add, withdraw, paid_ok) = match s.goal {
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
        };
        // Spread the year's flows over the positions by value.
        let after = (total + add - withdraw).max(0.0);
        if total > 0.0 {
            let scale = after / total;
            for u in units.iter_mut() {
                *u *= scale;
            }
        } else if add > 0.0 && !units.is_empty() {
            // Everything was lost; new money goes to the first position.
            units[0] = add;
        }
        if let Some(ok) = paid_ok {
            out.paid.push(ok);
        }
        if after <= 0.0 {
            out.depleted = true;
        }
        if out.years_to_goal.is_none() {
            if let Some((min, _, after_tax)) = s.goal {
                let basis = if after_tax {
                    s.sustainable_yield * (1.0 - s.tax)
                } else {
                    s.sustainable_yield
                };
                if after * basis >= min * index * (1.0 + s.inflation) {
                    out.years_to_goal = Some(year + 1);
                }
            }
        }
        out.value.push(after);
        out.income.push(gross);
        index *= 1.0 + s.inflation;
    }
    out
}

fn money(x: f64) -> Money {
    Money(decimal_from_f64(x).unwrap_or_default()).settle()
}

fn rate(x: f64) -> Rate {
    Rate(decimal_from_f64(x).unwrap_or_default()).settle()
}

fn percentiles(year: u32, mut xs: Vec<f64>) -> Percentiles {
    let len = xs.len();
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
    }
}

/// End values after `settings.years` years, one per path, in path order.
pub fn terminal_values(p: &Portfolio, plan: &PlanReport, settings: SimSettings) -> Vec<f64> {
    let s = setup(p, plan);
    (0..settings.paths)
        .into_par_iter()
        .map(|i| {
            let out = run_path(&s, settings.years, settings.seed, u64::from(i));
            out.value.last().copied().unwrap_or(0.0)
        })
        .collect()
}

/// Runs the simulation. `progress` is called once per finished path.
pub fn simulate(
    p: &Portfolio,
    plan: &PlanReport,
    settings: SimSettings,
    progress: &(dyn Fn() + Sync),
) -> Simulation {
    let s = setup(p, plan);
    let paths: Vec<PathOut> = (0..settings.paths)
        .into_par_iter()
        .map(|i| {
            let out = run_path(&s, settings.years, settings.seed, u64::from(i));
            progress();
            out
        })
        .collect();
    let n = paths.len().max(1) as f64;
    let years = settings.years;
    let value = (0..years as usize)
        .map(|y| percentiles(y as u32 + 1, paths.iter().map(|x| x.value[y]).collect()))
        .collect();
    let income = (0..years as usize)
        .map(|y| percentiles(y as u32 + 1, paths.iter().map(|x| x.income[y]).collect()))
        .collect();
    let phase_years = paths.first().map_or(0, |x| x.paid.len());
    let first_income_year = years as usize - phase_years;
    let goal_by_year = (0..phase_years)
        .map(|k| YearChance {
            year: (first_income_year + k + 1) as u32,
            probability: rate(paths.iter().filter(|x| x.paid[k]).count() as f64 / n),
        })
        .collect();
    let success = (phase_years > 0)
        .then(|| paths.iter().filter(|x| x.paid.iter().all(|ok| *ok)).count() as f64 / n);
    let mut to_goal: Vec<u32> = paths
        .iter()
        .map(|x| x.years_to_goal.unwrap_or(u32::MAX))
        .collect();
    to_goal.sort_unstable();
    let median = to_goal
        .get(to_goal.len() / 2)
        .copied()
        .filter(|y| *y != u32::MAX);
    Simulation {
        schema_version: SCHEMA_VERSION,
        profile: plan.profile.clone(),
        currency: p.currency.clone(),
        years,
        paths: settings.paths,
        seed: settings.seed,
        success_probability: success.map(rate),
        success_standard_error: success.map(|q| rate((q * (1.0 - q) / n).sqrt())),
        depletion_probability: rate(paths.iter().filter(|x| x.depleted).count() as f64 / n),
        goal_by_year,
        value,
        income,
        median_years_to_goal: if p.goal.is_some() { median } else { None },
        goal_line: p.goal.as_ref().map_or_else(Vec::new, |g| {
            let mut index = rust_decimal::Decimal::ONE;
            (0..years)
                .map(|_| {
                    let v = Money(g.annual_min.0 * index).settle();
                    index *= rust_decimal::Decimal::ONE + p.assumptions.inflation.0;
                    v
                })
                .collect()
        }),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::rates::RateBook;

    fn load(text: &str) -> (Portfolio, PlanReport) {
        let book = RateBook::default_book();
        let p = crate::load(Path::new("m.toml"), text.as_bytes(), &book)
            .unwrap_or_else(|e| panic!("{e}"));
        let plan = crate::engine::plan(&p);
        (p, plan)
    }

    const CALM: &str = "[portfolio]\nvalue = 500000\n[goal]\nannual_income = 30000\nstarts_in_years = 3\n\
        [assumptions]\ninflation = \"2%\"\nreinvest = \"50%\"\ntax_rate = \"10%\"\n\
        [assets.USDC]\nvolatility = \"0%\"\n[assets.DAI]\nvolatility = \"0%\"\n\
        [[position]]\nstrategy = \"lending\"\nasset = \"USDC\"\napy = \"6%\"\nrisk_tier = \"none\"\nweight = \"60%\"\n\
        [[position]]\nstrategy = \"lending\"\nasset = \"DAI\"\napy = \"4%\"\nrisk_tier = \"none\"\nweight = \"40%\"\n";

    #[test]
    fn zero_volatility_reproduces_the_deterministic_projection() {
        let (p, plan) = load(CALM);
        let years = 12;
        let sim = simulate(
            &p,
            &plan,
            SimSettings {
                years,
                paths: 50,
                seed: 1,
            },
            &|| {},
        );
        let det = crate::engine::project::project(&p, &plan, years);
        for (q, row) in sim.value.iter().zip(&det.rows) {
            // Every path is the same path: all percentiles equal the projection.
            let diff = (q.p50.0 - row.end_value.0).abs();
            assert!(
                diff <= rust_decimal::Decimal::new(2, 2),
                "year {}: {} vs {}",
                q.year,
                q.p50.0,
                row.end_value.0
            );
            assert_eq!(q.p5, q.p95);
        }
        assert_eq!(
            sim.success_probability,
            Some(Rate(rust_decimal::Decimal::ONE))
        );
    }

    #[test]
    fn mean_terminal_price_matches_the_lognormal_expectation() {
        // ETH held with an expected return of 8% a year: E[V_T] = V0 × 1.08^T.
        let text = "[portfolio]\nvalue = 1000\n[assets.ETH]\nexpected_return = \"8%\"\n\
            [[position]]\nstrategy = \"hold\"\nasset = \"ETH\"\nweight = \"100%\"\n";
        let (p, plan) = load(text);
        let years = 5;
        let v = terminal_values(
            &p,
            &plan,
            SimSettings {
                years,
                paths: 20_000,
                seed: 42,
            },
        );
        let n = v.len() as f64;
        let mean = v.iter().sum::<f64>() / n;
        let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let expected = 1000.0 * 1.08f64.powi(years as i32);
        let se = sd / n.sqrt();
        assert!(
            (mean - expected).abs() < 3.0 * se,
            "mean {mean} vs {expected} (se {se})"
        );
    }

    #[test]
    fn success_falls_as_the_goal_rises() {
        let base = "[portfolio]\nvalue = 1000000\n[goal]\nannual_income = GOAL\n\
            [[position]]\nstrategy = \"staking\"\nasset = \"ETH\"\nweight = \"50%\"\n\
            [[position]]\nstrategy = \"lending\"\nasset = \"USDC\"\nprotocol = \"aave\"\nweight = \"50%\"\n";
        let mut last = 2.0;
        for goal in [20_000, 40_000, 60_000, 90_000] {
            let (p, plan) = load(&base.replace("GOAL", &goal.to_string()));
            let sim = simulate(
                &p,
                &plan,
                SimSettings {
                    years: 20,
                    paths: 2_000,
                    seed: 9,
                },
                &|| {},
            );
            let s = sim.success_probability.unwrap().to_f64();
            assert!(s <= last, "goal {goal}: {s} after {last}");
            last = s;
        }
        assert!(last < 0.5);
    }

    #[test]
    fn the_same_seed_gives_identical_output_on_one_or_two_threads() {
        let (p, plan) = load(&CALM.replace("volatility = \"0%\"", "volatility = \"30%\""));
        let settings = SimSettings {
            years: 10,
            paths: 500,
            seed: 123,
        };
        let run = |threads| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let sim = pool.install(|| simulate(&p, &plan, settings, &|| {}));
            serde_json::to_string(&sim).unwrap()
        };
        assert_eq!(run(1), run(2));
        // A different seed gives a different result.
        let other = simulate(
            &p,
            &plan,
            SimSettings {
                seed: 124,
                ..settings
            },
            &|| {},
        );
        assert_ne!(run(1), serde_json::to_string(&other).unwrap());
    }

    #[test]
    fn cholesky_reproduces_the_correlations() {
        let corr = vec![
            vec![1.0, 0.8, 0.3],
            vec![0.8, 1.0, 0.5],
            vec![0.3, 0.5, 1.0],
        ];
        let l = cholesky(&corr);
        for i in 0..3 {
            for j in 0..3 {
                let c: f64 = (0..3).map(|k| l[i][k] * l[j][k]).sum();
                assert!((c - corr[i][j]).abs() < 1e-12);
            }
        }
    }
}
