//! Expected impermanent loss over a horizon: the ratio volatility of a pair,
//! the closed forms for constant-product and weighted pools, and numerical
//! integration for every shape (domain.md §2).
//!
//! The price ratio is lognormal with no directional view:
//! `ln r ~ N(−s²/2, s²)`, `s = σ sqrt(T)`, so `E[r] = 1`. Expected IL is the
//! expected LP value less the expected holding value, over the entry value.
//! Pure `f64` maths; callers convert at the boundary.

use std::f64::consts::PI;
#[cfg(test)]
use std::f64::consts::SQRT_2;

use super::IlError;
#[cfg(test)]
use super::quadrature::hermite64;
use super::quadrature::legendre16;
use super::stableswap::stable_balances_from;
use crate::model::Pool;

/// Annual volatility of the price ratio of two assets (a fraction):
/// `sqrt(σ1² + σ2² − 2ρσ1σ2)` (domain.md §2), from the assets' annual
/// volatilities `σ1`, `σ2` (fractions) and their correlation `ρ`.
///
/// # Errors
///
/// [`IlError::Volatility`] for a negative or non-finite volatility,
/// [`IlError::Correlation`] for a correlation outside [-1, 1].
pub fn ratio_volatility(sigma_a: f64, sigma_b: f64, correlation: f64) -> Result<f64, IlError> {
    for s in [sigma_a, sigma_b] {
        if !(s.is_finite() && s >= 0.0) {
            return Err(IlError::Volatility(s));
        }
    }
    if !(correlation.is_finite() && (-1.0..=1.0).contains(&correlation)) {
        return Err(IlError::Correlation(correlation));
    }
    Ok(crate::model::pair_ratio_volatility(
        sigma_a,
        sigma_b,
        correlation,
    ))
}

/// Closed form of expected constant-product IL (a fraction ≤ 0) over `years`
/// for a ratio volatility `sigma` (annual, a fraction): `exp(−σ²T/8) − 1`
/// (domain.md §2), taken as `expm1` so that a small loss keeps its digits
/// (subtracting 1 from `exp` lost them: σ = 1% gave −1.249992187535298e-5
/// for −1.2499921875325520e-5).
#[must_use]
pub fn expected_il_constant_product(sigma: f64, years: f64) -> f64 {
    (-sigma * sigma * years / 8.0).exp_m1()
}

/// Closed form for a two-token weighted pool with `weight` on A:
/// `exp(−w(1−w)σ²T/2) − 1` (a fraction ≤ 0), as `expm1`.
#[must_use]
pub fn expected_il_weighted(weight: f64, sigma: f64, years: f64) -> f64 {
    (-weight * (1.0 - weight) * sigma * sigma * years / 2.0).exp_m1()
}

/// Expected IL (a fraction ≤ 0) over `years` for a ratio volatility `sigma`
/// (annual, a fraction), by numerical integration.
///
/// # Errors
///
/// The pool's [`Pool::validate`] error, [`IlError::Volatility`] for a negative
/// or non-finite `sigma`, [`IlError::Years`] for a negative or non-finite horizon.
pub fn expected_il(pool: &Pool, sigma: f64, years: f64) -> Result<f64, IlError> {
    pool.validate()?;
    if !(sigma.is_finite() && sigma >= 0.0) {
        return Err(IlError::Volatility(sigma));
    }
    if !(years.is_finite() && years >= 0.0) {
        return Err(IlError::Years(years));
    }
    Ok(integrate(pool, sigma * years.sqrt()))
}

/// `E[lp(r) − hold(r)]` for `ln r = −s²/2 + s z`, `z ~ N(0, 1)`.
///
/// Constant-product and weighted pools, whose value functions are smooth
/// powers of `r`, use 64-point Gauss–Hermite. A concentrated position's value
/// function is only once differentiable at the range bounds, and a StableSwap
/// pool's bends sharply near the peg (nearly a kink at high amplification):
/// both cost Gauss–Hermite its fast convergence (64 nodes miss a stable
/// pool's loss by up to 2e-5), so they use composite Gauss–Legendre in `z`,
/// with panel edges at the kinks and around the peg; that agrees with a
/// brute-force sum to about 1e-10.
fn integrate(pool: &Pool, s: f64) -> f64 {
    if s == 0.0 {
        return 0.0;
    }
    match *pool {
        // Closed forms, exact for every volatility and horizon.
        Pool::ConstantProduct => expected_il_constant_product(s, 1.0),
        Pool::Weighted { weight } => expected_il_weighted(weight, s, 1.0),
        // Past this spread E[LP] is below e^(−s²/8) ≈ 1e-87 of the deposit
        // (the pool holds a bounded amount of the asset that gained and all
        // of the one that lost), so the loss is at its limit, −100%.
        _ if s > LIMIT_SPREAD => -1.0,
        _ => by_legendre_panels(pool, s),
    }
}

/// The spread `σ√T` beyond which a concentrated or StableSwap pool's
/// expected loss is −100% to within `f64` precision.
const LIMIT_SPREAD: f64 = 40.0;

/// The expectation by 64-point Gauss–Hermite, for smooth value functions: an
/// independent check of the closed forms (tests only).
#[cfg(test)]
pub(super) fn by_hermite(pool: &Pool, s: f64) -> f64 {
    let (nodes, weights) = hermite64();
    let mu = -0.5 * s * s;
    let total: f64 = nodes
        .iter()
        .zip(weights)
        .map(|(x, w)| {
            let r = (mu + s * SQRT_2 * x).exp();
            let (lp, hold) = pool.values(r);
            w * (lp - hold)
        })
        .sum();
    total / PI.sqrt()
}

/// Panel edges in `z` for the composite rule: the ends of the range that holds
/// the mass, and every kink of the pool's value function inside it.
fn panel_edges(pool: &Pool, mu: f64, s: f64) -> Vec<f64> {
    // The integrand is g(r)·φ(z); g grows at most like r = e^{μ+sz}, so the
    // mass sits within ~12 of z = 0 and of z = s.
    let (lo, hi) = (-12.0, 12.0 + s);
    let mut edges = vec![lo, hi];
    for k in pool.kinks() {
        let z = (k.ln() - mu) / s;
        if z > lo && z < hi {
            edges.push(z);
        }
    }
    edges.sort_by(f64::total_cmp);
    edges
}

/// The expectation by composite 16-point Gauss–Legendre in `z`, on panels at
/// most 2 wide between the edges of [`panel_edges`].
pub(super) fn by_legendre_panels(pool: &Pool, s: f64) -> f64 {
    let mu = -0.5 * s * s;
    let edges = panel_edges(pool, mu, s);
    let (nodes, weights) = legendre16();
    let norm = 1.0 / (2.0 * PI).sqrt();
    let mut total = 0.0;
    let mut last_ln_x: Option<f64> = None;
    for pair in edges.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let panels = ((b - a) / 2.0).ceil().max(1.0) as usize;
        let width = (b - a) / panels as f64;
        for j in 0..panels {
            let left = a + j as f64 * width;
            let (c, h) = (left + 0.5 * width, 0.5 * width);
            for (x, w) in nodes.iter().zip(weights) {
                let z = c + h * x;
                let density = norm * (-0.5 * z * z).exp();
                if density == 0.0 {
                    continue;
                }
                // The holding value is linear in r and E[r] = 1, so E[hold] = 1
                // exactly: integrate the LP value alone (it stays bounded where
                // the holding value would overflow) and subtract 1 at the end.
                let r = (mu + s * z).clamp(-700.0, 700.0).exp();
                let lp = match *pool {
                    // Warm-start the StableSwap solve from the previous node's balance.
                    Pool::Stable { amplification } if amplification > 0.0 => {
                        let (bx, by) = stable_balances_from(amplification, r, last_ln_x);
                        last_ln_x = Some(bx.ln());
                        (bx * r + by) / 2.0
                    }
                    _ => pool.values(r).0,
                };
                total += w * h * lp * density;
            }
        }
    }
    total - 1.0
}
