//! What every path of a simulation shares, prepared once in flat `f64`
//! arrays: per asset the monthly drift and correlated volatility of its log
//! price, per position its money, assets, yield band and loss events, and the
//! profile's assumptions. Holds no randomness; paths are run in
//! `path`.

use crate::engine::floats::float;
use crate::engine::plan_report::PlanReport;
use crate::model::{Band, Pool, Portfolio};

/// Everything a path needs, in flat arrays.
pub(super) struct Setup {
    /// Per asset: monthly drift of the log price.
    pub(super) drift: Vec<f64>,
    /// Cholesky factor of the correlations, each row scaled by its asset's monthly volatility.
    pub(super) scaled: Vec<Vec<f64>>,
    /// One entry per position, in plan order.
    pub(super) positions: Vec<PosSetup>,
    /// Income tax rate, a fraction.
    pub(super) tax: f64,
    /// Yearly inflation, a fraction.
    pub(super) inflation: f64,
    /// Share of surplus income reinvested, a fraction.
    pub(super) reinvest: f64,
    /// Yearly contribution before the income phase, in today's money.
    pub(super) contribution: f64,
    /// The goal: minimum yearly income, years until it starts, after tax or not.
    pub(super) goal: Option<(f64, u32, bool)>,
    /// Sustainable income over the value, a fraction.
    pub(super) sustainable_yield: f64,
}

/// One position, as a path sees it.
pub(super) struct PosSetup {
    /// Money at the start.
    pub(super) amount: f64,
    /// Asset index (single-asset positions).
    pub(super) asset: Option<usize>,
    /// The two asset indices of a pool, and its shape.
    pub(super) pair: Option<(usize, usize, Pool)>,
    /// Yield band (gross, before any IL: fees and rewards for pools), fractions.
    pub(super) band: [f64; 3],
    /// Yearly probability of a loss event, a fraction.
    pub(super) event_year: f64,
    /// Share of the money a loss event takes, a fraction.
    pub(super) loss: f64,
}

/// Lower-triangular Cholesky factor of a correlation matrix, shrunk toward
/// the identity (in steps of 0.05) until it is positive definite.
#[must_use]
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

/// A yield band as `[low, mid, high]` fractions.
fn band(b: Band) -> [f64; 3] {
    [float(b.low.0), float(b.mid.0), float(b.high.0)]
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

/// Every position as a path sees it; fills `names` with the assets they hold,
/// in order of first appearance.
fn position_setups(p: &Portfolio, plan: &PlanReport, names: &mut Vec<String>) -> Vec<PosSetup> {
    let mut positions = Vec::new();
    for (pos, out) in p.positions.iter().zip(&plan.positions) {
        let (asset, pair, yields) = match (&pos.asset, &pos.pair, &pos.liquidity) {
            (_, Some([a, b]), Some(l)) => {
                let (ia, ib) = (index_of(a, names), index_of(b, names));
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
            (Some(a), _, _) => (Some(index_of(a, names)), None, out.net_apy),
            _ => (None, None, out.net_apy),
        };
        let pr = float(out.risk.loss_probability.0);
        let el = float(out.risk.expected_loss.0);
        positions.push(PosSetup {
            amount: float(pos.amount.0),
            asset,
            pair,
            band: band(yields),
            event_year: pr,
            loss: if pr > 0.0 { (el / pr).min(1.0) } else { 0.0 },
        });
    }
    positions
}

/// The correlation matrix of the assets in `names`, from the rate book (0
/// when unknown).
fn correlations(p: &Portfolio, names: &[String]) -> Vec<Vec<f64>> {
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

/// Monthly drift of each asset's log price, set so the expected price grows
/// by the asset's expected return `m`: `(ln(1 + m) − σ²/2) / 12`; and the
/// Cholesky factor of the correlations, each row times the monthly volatility
/// `σ sqrt(1/12)`.
fn market(p: &Portfolio, names: &[String]) -> (Vec<f64>, Vec<Vec<f64>>) {
    let dt = 1.0 / 12.0;
    let mut drift = Vec::new();
    let mut vol = Vec::new();
    for n in names {
        let facts = p.assets.get(n);
        let sigma = facts.and_then(|a| a.volatility).map_or(0.0, |v| float(v.0));
        let m = facts.map_or(0.0, |a| float(a.median_growth.0));
        drift.push(((1.0 + m).ln() - 0.5 * sigma * sigma) * dt);
        vol.push(sigma * dt.sqrt());
    }
    let scaled = cholesky(&correlations(p, names))
        .into_iter()
        .zip(&vol)
        .map(|(row, v)| row.into_iter().map(|c| c * v).collect())
        .collect();
    (drift, scaled)
}

/// Prepares a planned portfolio for simulation.
pub(super) fn setup(p: &Portfolio, plan: &PlanReport) -> Setup {
    let mut names: Vec<String> = Vec::new();
    let positions = position_setups(p, plan, &mut names);
    let (drift, scaled) = market(p, &names);
    let a = &p.assumptions;
    Setup {
        drift,
        scaled,
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
    }
}
