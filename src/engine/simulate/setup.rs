//! What every path of a simulation shares, prepared once in flat `f64`
//! arrays: per asset the yearly median drift and correlated volatility of its
//! log price, per position its target weight, what it holds, its paid-out and
//! compounded yield bands and its loss events, and the profile's
//! assumptions. The rates come from the same functions the projection uses
//! (`payout`), so the two agree. Holds no randomness; paths are run in
//! `path`.

use crate::engine::floats::float;
use crate::engine::il::ValueTable;
use crate::engine::payout;
use crate::engine::plan_report::PlanReport;
use crate::engine::project::ProjectionError;
pub(super) use crate::engine::risk::{LossEvent, loss_events};
use crate::model::{Band, Pool, Portfolio, Rebalance};

/// Everything a path needs, shared by all paths.
pub(super) struct Setup {
    /// Per asset: the yearly drift of its log price, `ln(1 + g)` for a median
    /// yearly change `g` (so the median price after `t` years is `(1+g)^t`).
    pub(super) drift: Vec<f64>,
    /// The Cholesky factor of the asset correlations, each row times the
    /// asset's annual volatility.
    pub(super) scaled: Vec<Vec<f64>>,
    /// One entry per position, in profile order.
    pub(super) positions: Vec<PosSetup>,
    /// Target weights of the positions (fractions summing to 1).
    pub(super) targets: Vec<f64>,
    /// The portfolio's value today.
    pub(super) value: f64,
    /// Income tax rate, a fraction.
    pub(super) tax: f64,
    /// Yearly inflation, a fraction.
    pub(super) inflation: f64,
    /// Share of after-tax income reinvested, a fraction.
    pub(super) reinvest: f64,
    /// Yearly contribution in today's money.
    pub(super) contribution: f64,
    /// The goal: yearly minimum, the year its income phase starts, after tax.
    pub(super) goal: Option<(f64, u32, bool)>,
    /// Sustainable income over today's value, a fraction.
    pub(super) sustainable_yield: f64,
    /// Whether positions go back to their weights each year.
    pub(super) rebalance: bool,
    /// How many loss draws a year takes (the sources of the positions'
    /// [`LossEvent`]s).
    pub(super) sources: usize,
    /// How many standard normals a year takes for pools whose ratio moves on
    /// its own ([`Ratio::Own`]).
    pub(super) ratio_draws: usize,
}

/// What one position holds and earns, for the paths.
pub(super) struct PosSetup {
    /// The asset held (index into the asset arrays), for single-asset positions.
    pub(super) asset: Option<usize>,
    /// A pool's two assets, its shape and its share of value in A at entry.
    pub(super) pair: Option<(usize, usize, Pool, f64)>,
    /// A StableSwap pool's value precomputed over the price ratios the paths
    /// reach, so no path solves the invariant.
    pub(super) table: Option<std::sync::Arc<ValueTable>>,
    /// Yearly rate paid out, low / mid / high (zero when screened).
    pub(super) paid: [f64; 3],
    /// Yearly rate when reinvested (the APY), low / mid / high.
    pub(super) compound: [f64; 3],
    /// Its loss events (even when screened): the position's own protocol,
    /// then each stacked layer's, those that can happen.
    pub(super) events: Vec<LossEvent>,
    /// How a pool's price ratio moves ([`Ratio::Assets`] for anything else).
    pub(super) ratio: Ratio,
}

/// How a pool position's price ratio `r` (its first asset priced in its
/// second) moves in a year. The plan values the pool's expected impermanent
/// loss at its `ratio_volatility` (the profile's, or the one its assets'
/// volatilities and correlation give), so the paths move the ratio with that
/// volatility too.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Ratio {
    /// As the two assets' prices move: `r = fa / fb` (their volatilities and
    /// correlation give the plan's ratio volatility).
    Assets,
    /// The assets' moves with the ratio's shock scaled by `k`, so its
    /// volatility is the plan's: `ln r = centre + k·(shock_a − shock_b)`,
    /// where `centre` is the assets' drift apart.
    Scaled {
        /// `drift_a − drift_b`: the median of `ln r`.
        centre: f64,
        /// The plan's ratio volatility over the one the assets give.
        k: f64,
    },
    /// The assets do not move against each other, yet the plan gives the
    /// ratio a volatility: `ln r = centre + sigma·z` with a standard normal
    /// `z` of its own, the year's ratio draw number `draw`.
    Own {
        /// `drift_a − drift_b`: the median of `ln r`.
        centre: f64,
        /// The plan's ratio volatility, a fraction per year.
        sigma: f64,
        /// Which of the year's ratio draws is its `z`.
        draw: usize,
    },
}

impl Ratio {
    /// The year's `(ln r, r)` of a pool of assets `a` and `b`, from the
    /// assets' log price factors and price factors, their drifts and the
    /// year's ratio draws.
    #[cfg(test)]
    pub(super) fn moved(
        self,
        (a, b): (usize, usize),
        (log_factor, factor): (&[f64], &[f64]),
        drift: &[f64],
        draws: &[f64],
    ) -> (f64, f64) {
        self.at(
            (log_factor[a], log_factor[b]),
            (factor[a], factor[b]),
            (drift[a], drift[b]),
            |d| draws[d],
        )
    }

    /// The year's `(ln r, r)` of a pool from its two assets' log price
    /// factors, price factors and drifts; `draw(d)` is the year's ratio draw
    /// number `d` (taken only by [`Ratio::Own`]).
    #[inline(always)]
    pub(super) fn at(
        self,
        (la, lb): (f64, f64),
        (fa, fb): (f64, f64),
        (da, db): (f64, f64),
        draw: impl FnOnce(usize) -> f64,
    ) -> (f64, f64) {
        match self {
            Ratio::Assets => (la - lb, fa / fb),
            Ratio::Scaled { centre, k } => {
                let ln_r = centre + k * ((la - da) - (lb - db));
                (ln_r, ln_r.exp())
            }
            Ratio::Own {
                centre,
                sigma,
                draw: d,
            } => {
                let ln_r = centre + sigma * draw(d);
                (ln_r, ln_r.exp())
            }
        }
    }
}

/// The volatility of `ln(fa / fb)` a year from the scaled Cholesky rows of
/// assets `a` and `b`: `sqrt(Σ (row_a − row_b)²)`.
fn assets_ratio_volatility(scaled: &[Vec<f64>], a: usize, b: usize) -> f64 {
    let (ra, rb) = (&scaled[a], &scaled[b]);
    (0..ra.len().max(rb.len()))
        .map(|k| {
            let d = ra.get(k).copied().unwrap_or(0.0) - rb.get(k).copied().unwrap_or(0.0);
            d * d
        })
        .sum::<f64>()
        .sqrt()
}

/// Sets how each pool position's ratio moves so that its volatility is the
/// plan's `ratio_volatility`; returns how many ratio draws a year takes.
fn set_ratios(
    positions: &mut [PosSetup],
    p: &Portfolio,
    drift: &[f64],
    scaled: &[Vec<f64>],
) -> usize {
    let mut draws = 0;
    for (pos, model) in positions.iter_mut().zip(&p.positions) {
        let (Some((a, b, ..)), Some(l)) = (pos.pair, &model.liquidity) else {
            continue;
        };
        let planned = float(l.ratio_volatility.0);
        let natural = assets_ratio_volatility(scaled, a, b);
        let centre = drift[a] - drift[b];
        pos.ratio = if (planned - natural).abs() <= 1e-9 * planned.max(1e-3) {
            Ratio::Assets
        } else if natural > 1e-12 {
            Ratio::Scaled {
                centre,
                k: planned / natural,
            }
        } else {
            draws += 1;
            Ratio::Own {
                centre,
                sigma: planned,
                draw: draws - 1,
            }
        };
    }
    draws
}

/// The lower Cholesky factor `L` of a correlation matrix (`L·Lᵀ = corr`),
/// for a matrix that is positive semi-definite: an asset that moves as a
/// combination of earlier ones (a token and its underlying at correlation
/// 1) gets a zero pivot and no shock of its own, exactly.
///
/// # Errors
/// The index of the first asset whose correlations with the earlier ones
/// cannot all hold together (the matrix is not positive semi-definite, say
/// BTC/ETH 0.99, ETH/SOL 0.99 and BTC/SOL −0.99): nothing is shrunk to fit.
pub fn cholesky(corr: &[Vec<f64>]) -> Result<Vec<Vec<f64>>, usize> {
    /// Rounding allowed on a pivot (1 − Σ l²) and on a dependent entry.
    const TOLERANCE: f64 = 1e-9;
    let n = corr.len();
    let mut l = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..=i {
            let c = if i == j { 1.0 } else { corr[i][j] };
            let s: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            if i == j {
                let d = c - s;
                if d < -TOLERANCE {
                    return Err(i);
                }
                l[i][i] = if d <= TOLERANCE * TOLERANCE {
                    0.0
                } else {
                    d.sqrt()
                };
            } else if l[j][j] > 0.0 {
                l[i][j] = (c - s) / l[j][j];
            } else if (c - s).abs() > TOLERANCE.sqrt() {
                // Asset `j` moves as a combination of earlier assets, so
                // asset `i` must correlate with it as with that combination.
                return Err(i);
            }
        }
    }
    Ok(l)
}

/// The refusal of a simulation whose assets' correlations cannot all hold
/// together: asset `bad` of `names` against the ones before it.
pub(crate) fn contradictory(names: &[String], corr: &[Vec<f64>], bad: usize) -> ProjectionError {
    let pairs: Vec<String> = (0..bad)
        .filter(|&j| corr[bad][j] != 0.0)
        .map(|j| format!("{}/{} {}", names[j], names[bad], corr[bad][j]))
        .collect();
    ProjectionError {
        message: format!(
            "the correlations of {} with the assets before it cannot all hold together ({}): no market moves that way, so there is nothing to simulate",
            names[bad],
            pairs.join(", ")
        ),
        help: "fix the [correlations] of the profile or rate book so that they agree (two assets that move together move alike against a third)".into(),
    }
}

/// The index of asset `s` in `names`, appending it when new.
fn index_of(s: &str, names: &mut Vec<String>) -> usize {
    if let Some(i) = names.iter().position(|n| n == s) {
        i
    } else {
        names.push(s.to_string());
        names.len() - 1
    }
}

/// A band as `[low, mid, high]` fractions.
fn band(b: Band) -> [f64; 3] {
    [float(b.low.0), float(b.mid.0), float(b.high.0)]
}

/// Each position's setup, adding the assets it holds to `names`; and how
/// many loss draws a year takes.
fn position_setups(
    p: &Portfolio,
    plan: &PlanReport,
    names: &mut Vec<String>,
) -> (Vec<PosSetup>, usize) {
    let (mut events, sources) = loss_events(plan.positions.iter().map(|out| &out.risk));
    let f = p.payouts_per_year();
    let mut positions = Vec::new();
    for (pos, out) in p.positions.iter().zip(&plan.positions) {
        let (asset, pair) = match (&pos.asset, &pos.pair, &pos.liquidity) {
            (_, Some([a, b]), Some(l)) => {
                let share = l.pool.values(2.0).1 - l.pool.values(1.0).1;
                (
                    None,
                    Some((index_of(a, names), index_of(b, names), l.pool, share)),
                )
            }
            (Some(a), _, _) => (Some(index_of(a, names)), None),
            _ => (None, None),
        };
        let (paid, compound) = if out.screened {
            ([0.0; 3], [0.0; 3])
        } else {
            let at = |pick: fn(Band) -> crate::money::Rate| payout::parts_of(pos, pick);
            let paid = Band {
                low: payout::paid_out_rate(at(|b| b.low), f),
                mid: payout::paid_out_rate(at(|b| b.mid), f),
                high: payout::paid_out_rate(at(|b| b.high), f),
            };
            let compound = Band {
                low: payout::compounded_rate(at(|b| b.low), f),
                mid: payout::compounded_rate(at(|b| b.mid), f),
                high: payout::compounded_rate(at(|b| b.high), f),
            };
            (band(paid), band(compound))
        };
        positions.push(PosSetup {
            asset,
            pair,
            table: None,
            paid,
            compound,
            events: std::mem::take(&mut events[positions.len()]),
            ratio: Ratio::Assets,
        });
    }
    (positions, sources)
}

/// The correlation matrix of the assets in `names` (`names.len()` square,
/// 1 on the diagonal), from the portfolio's correlations (0 when unknown).
#[must_use]
pub fn correlations(p: &Portfolio, names: &[String]) -> Vec<Vec<f64>> {
    names
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
        .collect()
}

/// Yearly drift of each asset's log price, `ln(1 + g)` for its median yearly
/// change `g`, and the Cholesky factor of the correlations, each row times
/// the asset's annual volatility `σ`: a year's price factor is then
/// `exp(ln(1+g) + σ·z)`, exactly lognormal with median `1 + g` and mean
/// `(1 + g)·e^(σ²/2)`.
fn market(p: &Portfolio, names: &[String]) -> Result<(Vec<f64>, Vec<Vec<f64>>), ProjectionError> {
    let mut drift = Vec::new();
    let mut vol = Vec::new();
    for n in names {
        let facts = p.assets.get(n);
        let sigma = facts.and_then(|a| a.volatility).map_or(0.0, |v| float(v.0));
        let g = facts.map_or(0.0, |a| float(a.median_growth.0));
        drift.push((1.0 + g).max(f64::MIN_POSITIVE).ln());
        vol.push(sigma);
    }
    let corr = correlations(p, names);
    let scaled = cholesky(&corr)
        .map_err(|bad| contradictory(names, &corr, bad))?
        .into_iter()
        .zip(&vol)
        .map(|(row, v)| row.into_iter().map(|c| c * v).collect())
        .collect();
    Ok((drift, scaled))
}

/// Prepares a planned portfolio for simulation.
///
/// # Errors
/// The assets' correlations cannot all hold together.
pub(super) fn setup(p: &Portfolio, plan: &PlanReport) -> Result<Setup, ProjectionError> {
    let mut names: Vec<String> = Vec::new();
    let (mut positions, sources) = position_setups(p, plan, &mut names);
    let (drift, scaled) = market(p, &names)?;
    let ratio_draws = set_ratios(&mut positions, p, &drift, &scaled);
    add_tables(&mut positions, &drift, &scaled);
    let a = &p.assumptions;
    let value = float(p.value.0);
    Ok(Setup {
        drift,
        scaled,
        targets: p
            .positions
            .iter()
            .map(|pos| float(pos.amount.share_of(p.value).0))
            .collect(),
        value,
        positions,
        tax: float(a.tax_rate.0),
        inflation: float(a.inflation.0),
        reinvest: float(a.reinvest.0),
        contribution: float(a.annual_contribution.0),
        goal: p
            .goal
            .as_ref()
            .map(|g| (float(g.annual_min.0), g.starts_in_years, g.after_tax)),
        sustainable_yield: float(plan.totals.sustainable_annual_income.share_of(p.value).0),
        rebalance: a.rebalance == Rebalance::Yearly,
        sources,
        ratio_draws,
    })
}

/// Gives every StableSwap position a value table over the yearly price ratios
/// its paths reach: the ratio's log drift ± 12 of its standard deviations
/// (a draw outside has a chance below 1e-32, and is solved exactly anyway).
/// Positions in the same pool over the same range share one table: building
/// one solves the invariant at every node.
fn add_tables(positions: &mut [PosSetup], drift: &[f64], scaled: &[Vec<f64>]) {
    use rayon::prelude::*;
    type Key = (u64, u64, u64);
    // Each position's pool and range, then each distinct one built once,
    // the distinct ones in parallel (a table is a pure function of its key).
    let wanted: Vec<Option<(Key, Pool, f64, f64)>> = positions
        .iter()
        .map(|pos| {
            let (a, b, pool, _) = pos.pair?;
            let Pool::Stable { amplification } = pool else {
                return None;
            };
            let sigma = match pos.ratio {
                Ratio::Assets => assets_ratio_volatility(scaled, a, b),
                Ratio::Scaled { k, .. } => k * assets_ratio_volatility(scaled, a, b),
                Ratio::Own { sigma, .. } => sigma,
            };
            let centre = drift[a] - drift[b];
            let reach = 12.0 * sigma + 1e-3;
            let (lo, hi) = (centre - reach, centre + reach);
            Some((
                (amplification.to_bits(), lo.to_bits(), hi.to_bits()),
                pool,
                lo,
                hi,
            ))
        })
        .collect();
    let mut distinct: Vec<(Key, Pool, f64, f64)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for w in wanted.iter().flatten() {
        if seen.insert(w.0) {
            distinct.push(*w);
        }
    }
    let built: std::collections::HashMap<Key, Option<std::sync::Arc<ValueTable>>> = distinct
        .into_par_iter()
        .map(|(key, pool, lo, hi)| (key, ValueTable::new(pool, lo, hi).map(std::sync::Arc::new)))
        .collect();
    for (pos, w) in positions.iter_mut().zip(&wanted) {
        if let Some((key, ..)) = w {
            pos.table = built.get(key).cloned().flatten();
        }
    }
}
