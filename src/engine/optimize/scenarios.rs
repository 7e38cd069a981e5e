//! One-year scenarios for min-CVaR, drawn from the same model the
//! simulation uses: correlated lognormal prices whose median follows each
//! asset's median yearly change, pools valued by their pool maths (so
//! impermanent loss comes from the prices, the ratio at the plan's ratio
//! volatility as in the simulation), yields drawn within their bands
//! by one quantile shared by all positions, and protocol loss events, one
//! draw per protocol shared by every position on it (a stacked position
//! loses `1 − Π(1 − loss)` when several of its protocols fail). Each
//! scenario is a return per choice (a fraction of its money, one year).
//! [`cvar`] evaluates the CVaR of a mix directly, by sorting, as an
//! independent check of the linear program. Seeded: same seed, same draws.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use crate::engine::floats::float;
use crate::engine::plan::SCREEN_ABOVE;
use crate::engine::risk;
use crate::engine::simulate::{cholesky, correlations};
use crate::model::{Choices, Portfolio, Position};

/// The yield at quantile `u` of a `[low, mid, high]` band (linear between).
fn quantile(b: [f64; 3], u: f64) -> f64 {
    if u < 0.5 {
        b[0] + (b[1] - b[0]) * 2.0 * u
    } else {
        b[1] + (b[2] - b[1]) * (2.0 * u - 1.0)
    }
}

/// The assets the positions hold, in first-seen order.
fn assets(p: &Portfolio) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for pos in &p.positions {
        for a in pos.asset.iter().chain(pos.pair.iter().flatten()) {
            if !out.contains(a) {
                out.push(a.clone());
            }
        }
    }
    out
}

/// What one position's one-year return needs, worked out once.
struct Setup {
    /// The asset it holds (index into the asset names), or the pool's two
    /// and its shape.
    holding: Holding,
    /// Its APY band `[low, mid, high]` (zero when screened).
    band: [f64; 3],
    /// Its loss events: its own protocol's, then each stacked layer's.
    events: Vec<risk::LossEvent>,
}

/// How a position's money follows prices.
enum Holding {
    /// One asset's price.
    Asset(usize),
    /// A pool of two assets, and how its price ratio moves.
    Pool(usize, usize, crate::model::Pool, RatioMove),
    /// No price (a farm with no asset): value stays.
    Nothing,
}

fn setup(pos: &Position, names: &[String], events: Vec<risk::LossEvent>) -> Setup {
    let at = |a: &String| names.iter().position(|n| n == a);
    let holding = match (&pos.pair, &pos.liquidity, &pos.asset) {
        (Some([a, b]), Some(l), _) => match (at(a), at(b)) {
            (Some(i), Some(j)) => Holding::Pool(i, j, l.pool, RatioMove::Assets),
            _ => Holding::Nothing,
        },
        (_, _, Some(a)) => at(a).map_or(Holding::Nothing, Holding::Asset),
        _ => Holding::Nothing,
    };
    let screened = pos.apy.mid.0 > SCREEN_ABOVE;
    let band = if screened {
        [0.0; 3]
    } else {
        [
            float(pos.apy.low.0),
            float(pos.apy.mid.0),
            float(pos.apy.high.0),
        ]
    };
    Setup {
        holding,
        band,
        events,
    }
}

/// How a pool's price ratio moves in a scenario so that its volatility is
/// the plan's `ratio_volatility` (as in the simulation).
#[derive(Clone, Copy)]
enum RatioMove {
    /// As its assets' prices move.
    Assets,
    /// The assets' shock to the ratio times this factor.
    Scaled(f64),
    /// Its own normal number `.1` of the scenario, times volatility `.0`
    /// (its assets do not move against each other).
    Own(f64, usize),
}

/// Sets each pool's [`RatioMove`] from its plan's ratio volatility and the
/// one its assets' volatilities (`vol`) and Cholesky factor give; returns
/// how many normals of their own the pools take per scenario.
fn set_ratio_moves(setups: &mut [Setup], p: &Portfolio, vol: &[f64], chol: &[Vec<f64>]) -> usize {
    let mut own = 0;
    for (s, pos) in setups.iter_mut().zip(&p.positions) {
        let (Holding::Pool(i, j, _, mv), Some(l)) = (&mut s.holding, &pos.liquidity) else {
            continue;
        };
        let planned = float(l.ratio_volatility.0);
        let natural = (0..chol.len())
            .map(|k| {
                let at = |a: usize| chol[a].get(k).copied().unwrap_or(0.0) * vol[a];
                (at(*i) - at(*j)).powi(2)
            })
            .sum::<f64>()
            .sqrt();
        *mv = if (planned - natural).abs() <= 1e-9 * planned.max(1e-3) {
            RatioMove::Assets
        } else if natural > 1e-12 {
            RatioMove::Scaled(planned / natural)
        } else {
            own += 1;
            RatioMove::Own(planned, own - 1)
        };
    }
    own
}

/// One position's one-year return given the assets' price factors and log
/// price shocks, the pools' own normals, the yield quantile `u` and the
/// year's loss draws (one per protocol: a protocol's event strikes every
/// position on it).
fn position_return(
    s: &Setup,
    (price, shock, own): (&[f64], &[f64], &[f64]),
    u: f64,
    draws: &[f64],
) -> f64 {
    let value = match &s.holding {
        Holding::Pool(i, j, pool, RatioMove::Assets) => {
            price[*j] * pool.values(price[*i] / price[*j]).0
        }
        Holding::Pool(i, j, pool, mv) => {
            // The ratio moves with the plan's volatility about the assets'
            // median ratio; the money held follows the two prices.
            let centre = (price[*i] / price[*j]).ln() - (shock[*i] - shock[*j]);
            let ln_r = match mv {
                RatioMove::Scaled(k) => centre + k * (shock[*i] - shock[*j]),
                RatioMove::Own(sigma, n) => centre + sigma * own[*n],
                RatioMove::Assets => centre,
            };
            let (lp, hold) = pool.values(ln_r.exp());
            let share = pool.values(2.0).1 - pool.values(1.0).1;
            (share * price[*i] + (1.0 - share) * price[*j]) * (lp / hold)
        }
        Holding::Asset(i) => price[*i],
        Holding::Nothing => 1.0,
    };
    let mut loss = 0.0;
    for e in s.events.iter().filter(|e| draws[e.source] < e.chance) {
        loss = loss + e.loss - loss * e.loss;
    }
    value * (1.0 + quantile(s.band, u)) * (1.0 - loss) - 1.0
}

/// `count` one-year scenarios: per scenario, a return per choice.
///
/// # Errors
/// The assets' correlations cannot all hold together.
pub fn draw(
    p: &Portfolio,
    c: &Choices,
    count: u32,
    seed: u64,
) -> Result<Vec<Vec<f64>>, crate::engine::project::ProjectionError> {
    let names = assets(p);
    let facts: Vec<(f64, f64)> = names
        .iter()
        .map(|a| {
            p.assets.get(a).map_or((0.0, 0.0), |f| {
                (
                    float(f.median_growth.0),
                    f.volatility.map_or(0.0, |v| float(v.0)),
                )
            })
        })
        .collect();
    let corr = correlations(p, &names);
    let chol = cholesky(&corr)
        .map_err(|bad| crate::engine::simulate::contradictory(&names, &corr, bad))?;
    let risks: Vec<risk::RiskOut> = p.positions.iter().map(risk::position_risk).collect();
    let (events, sources) = risk::loss_events(&risks);
    let mut setups: Vec<Setup> = p
        .positions
        .iter()
        .zip(events)
        .map(|(pos, events)| setup(pos, &names, events))
        .collect();
    let vol: Vec<f64> = facts.iter().map(|f| f.1).collect();
    let own_normals = set_ratio_moves(&mut setups, p, &vol, &chol);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let z: Vec<f64> = (0..names.len())
            .map(|_| rng.sample(StandardNormal))
            .collect();
        let own: Vec<f64> = (0..own_normals)
            .map(|_| rng.sample(StandardNormal))
            .collect();
        let shock: Vec<f64> = (0..names.len())
            .map(|i| facts[i].1 * (0..=i).map(|k| chol[i][k] * z[k]).sum::<f64>())
            .collect();
        let price: Vec<f64> = (0..names.len())
            .map(|i| (1.0 + facts[i].0).max(f64::MIN_POSITIVE) * shock[i].exp())
            .collect();
        let u: f64 = rng.random();
        let draws: Vec<f64> = (0..sources).map(|_| rng.random()).collect();
        let returns: Vec<f64> = setups
            .iter()
            .map(|s| position_return(s, (&price, &shock, &own), u, &draws))
            .collect();
        out.push(
            c.positions
                .iter()
                .map(|ch| {
                    ch.members
                        .iter()
                        .map(|(k, share)| float(share.0) * returns[*k])
                        .sum()
                })
                .collect(),
        );
    }
    Ok(out)
}

/// The `beta` CVaR of the one-year loss of mix `w` over `scenarios` (a
/// fraction of the value), found by sorting: the mean of the worst
/// `(1 − β)` share of the losses (the boundary scenario counted in part),
/// which is the minimum of the Rockafellar–Uryasev function over `α`.
#[must_use]
pub fn cvar(scenarios: &[Vec<f64>], w: &[f64], beta: f64) -> f64 {
    tail(scenarios, w, beta).0
}

/// The CVaR of mix `w` and its cut: the tail weights `q` (each at most
/// `1/((1 − β) S)`, adding up to 1, on the largest losses) give
/// `CVaR(v) ≥ Σ q_s loss_s(v) = −g·v` for every mix `v`, with equality at
/// `w`; returns (CVaR, `g`), `g = Σ q_s r_s`.
#[must_use]
pub fn tail(scenarios: &[Vec<f64>], w: &[f64], beta: f64) -> (f64, Vec<f64>) {
    let n = w.len();
    if scenarios.is_empty() {
        return (0.0, vec![0.0; n]);
    }
    let losses: Vec<f64> = scenarios
        .iter()
        .map(|s| -s.iter().zip(w).map(|(r, x)| r * x).sum::<f64>())
        .collect();
    let mut order: Vec<usize> = (0..losses.len()).collect();
    order.sort_by(|a, b| losses[*b].total_cmp(&losses[*a]).then(a.cmp(b)));
    let cap = 1.0 / ((1.0 - beta) * losses.len() as f64);
    let mut left = 1.0;
    let mut value = 0.0;
    let mut g = vec![0.0; n];
    for s in order {
        if left <= 0.0 {
            break;
        }
        let q = cap.min(left);
        left -= q;
        value += q * losses[s];
        for (gj, r) in g.iter_mut().zip(&scenarios[s]) {
            *gj += q * r;
        }
    }
    (value, g)
}
