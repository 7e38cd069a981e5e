//! Impermanent loss (IL) of liquidity positions, exact and expected.
//!
//! IL is the value of a liquidity position over the value of simply holding
//! what was deposited, minus one (so it is never positive). `r` is the end
//! price of asset A in asset B over its entry price. Pool shapes:
//!
//! - constant product 50/50: `2 sqrt(r) / (1 + r) - 1`;
//! - weighted, weight `w` on A: `r^w / (w r + 1 - w) - 1`, and N tokens;
//! - concentrated liquidity on `[lower, upper]` (multiples of the entry price),
//!   computed from the token amounts in and out of the range;
//! - stable pools: Curve's StableSwap invariant with amplification `A`, solved
//!   for the balances at price `r` (see [`Pool::Stable`] for why).
//!
//! Expected IL over `T` years takes `ln r ~ N(-s²/2, s²)`, `s = σ sqrt(T)`,
//! so `E[r] = 1` (no directional view), and is the expected LP value less the
//! expected holding value, over the initial value. Constant product has the
//! closed form `exp(-σ²T/8) - 1`; every shape is also integrated numerically.
//! Pure `f64` maths: callers convert at the boundary and reject non-finite values.

use std::f64::consts::PI;
use std::sync::OnceLock;

use rust_decimal::Decimal;

/// Default StableSwap amplification (an assumption; pools range from ~10 to thousands).
pub const DEFAULT_AMPLIFICATION: f64 = 100.0;

pub use crate::model::Pool;

/// Why an IL question cannot be answered.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum IlError {
    #[error("the price ratio must be a finite number above 0, not {0}")]
    Ratio(f64),
    #[error("pool weights must each be above 0% and add up to 100%")]
    Weights,
    #[error("the range [{0}, {1}] must contain the entry price 1 (lower < 1 < upper)")]
    Range(f64, f64),
    #[error("volatility must be a finite number of at least 0, not {0}")]
    Volatility(f64),
    #[error("correlation must be between -1 and 1, not {0}")]
    Correlation(f64),
    #[error("the horizon must be a finite number of years of at least 0, not {0}")]
    Years(f64),
    #[error("amplification must be a finite number of at least 0, not {0}")]
    Amplification(f64),
}

impl IlError {
    /// How to fix it, in terms of the `il` command line.
    pub fn help(&self) -> &'static str {
        match self {
            IlError::Ratio(_) => {
                "give --ratio as end price over entry price, e.g. 1.5 when A rose 50% against B"
            }
            IlError::Weights => "give --weights as two positive percents adding to 100, e.g. 80:20",
            IlError::Range(..) => {
                "give --range as LOWER:UPPER around the entry price, e.g. 0.8:1.25"
            }
            IlError::Volatility(_) => {
                "give volatility as an annual fraction or percent, e.g. 0.8 or 80%"
            }
            IlError::Correlation(_) => "give --correlation between -1 and 1, e.g. 0.8",
            IlError::Years(_) => "give --years as a number of years, e.g. 1 or 0.25",
            IlError::Amplification(_) => "give --amplification as a number of at least 0, e.g. 100",
        }
    }
}

impl Pool {
    /// Checks the pool's parameters.
    pub fn validate(&self) -> Result<(), IlError> {
        match *self {
            Pool::ConstantProduct => Ok(()),
            Pool::Weighted { weight } => {
                if weight.is_finite() && weight > 0.0 && weight < 1.0 {
                    Ok(())
                } else {
                    Err(IlError::Weights)
                }
            }
            Pool::Concentrated { lower, upper } => {
                if lower.is_finite()
                    && upper.is_finite()
                    && lower > 0.0
                    && lower < 1.0
                    && upper > 1.0
                {
                    Ok(())
                } else {
                    Err(IlError::Range(lower, upper))
                }
            }
            Pool::Stable { amplification } => {
                if amplification.is_finite() && amplification >= 0.0 {
                    Ok(())
                } else {
                    Err(IlError::Amplification(amplification))
                }
            }
        }
    }

    /// LP value and holding value at price ratio `r`, both relative to the
    /// value at entry (so both are 1 at `r = 1`), in units of asset B.
    pub fn values(&self, r: f64) -> (f64, f64) {
        match *self {
            Pool::ConstantProduct => (r.sqrt(), 0.5 * (1.0 + r)),
            Pool::Weighted { weight: w } => (r.powf(w), w * r + 1.0 - w),
            Pool::Concentrated { lower, upper } => concentrated_values(lower, upper, r),
            Pool::Stable { amplification } => stable_values(amplification, r),
        }
    }

    /// Impermanent loss at price ratio `r` (≤ 0).
    pub fn impermanent_loss(&self, r: f64) -> f64 {
        let (lp, hold) = self.values(r);
        lp / hold - 1.0
    }

    /// Price ratios where the value function has a kink, for the integrator.
    fn kinks(&self) -> Vec<f64> {
        match *self {
            Pool::Concentrated { lower, upper } => vec![lower, upper],
            // A StableSwap pool bends sharply within a few percent of the peg:
            // give the integrator panel edges around it.
            Pool::Stable { .. } => [-0.3f64, -0.1, -0.03, -0.01, 0.0, 0.01, 0.03, 0.1, 0.3]
                .iter()
                .map(|x| x.exp())
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Impermanent loss at price ratio `r`, after checking the inputs.
pub fn impermanent_loss(pool: &Pool, r: f64) -> Result<f64, IlError> {
    pool.validate()?;
    if !(r.is_finite() && r > 0.0) {
        return Err(IlError::Ratio(r));
    }
    Ok(pool.impermanent_loss(r))
}

/// IL of an N-token weighted pool: `prod(p_i^w_i) / sum(w_i p_i) - 1`, with
/// `p_i` each token's end price over its entry price.
pub fn weighted_n(ratios: &[f64], weights: &[f64]) -> Result<f64, IlError> {
    let total: f64 = weights.iter().sum();
    if ratios.len() != weights.len()
        || ratios.is_empty()
        || weights.iter().any(|w| !(w.is_finite() && *w > 0.0))
        || (total - 1.0).abs() > 1e-12
    {
        return Err(IlError::Weights);
    }
    if let Some(bad) = ratios.iter().find(|r| !(r.is_finite() && **r > 0.0)) {
        return Err(IlError::Ratio(*bad));
    }
    let log_lp: f64 = ratios.iter().zip(weights).map(|(p, w)| w * p.ln()).sum();
    let hold: f64 = ratios.iter().zip(weights).map(|(p, w)| w * p).sum();
    Ok(log_lp.exp() / hold - 1.0)
}

/// Concentrated liquidity on `[a, b]` (entry price 1), by token amounts with
/// liquidity 1: `x = 1/sqrt(p) - 1/sqrt(b)`, `y = sqrt(p) - sqrt(a)` inside the
/// range, all A below it, all B above it. Values relative to the entry value.
fn concentrated_values(a: f64, b: f64, r: f64) -> (f64, f64) {
    let (sa, sb) = (a.sqrt(), b.sqrt());
    let p = r.clamp(a, b);
    let sp = p.sqrt();
    let x = 1.0 / sp - 1.0 / sb;
    let y = sp - sa;
    let (x0, y0) = (1.0 - 1.0 / sb, 1.0 - sa);
    let v0 = x0 + y0;
    ((x * r + y) / v0, (x0 * r + y0) / v0)
}

/// The closed form of concentrated IL while the price stays in range:
/// `(2 sqrt(k) - 1 - k) / (1 + k - sqrt(a) - k / sqrt(b))`; `None` out of range.
pub fn concentrated_in_range(a: f64, b: f64, k: f64) -> Option<f64> {
    if !(a <= k && k <= b) {
        return None;
    }
    Some((2.0 * k.sqrt() - 1.0 - k) / (1.0 + k - a.sqrt() - k / b.sqrt()))
}

/// StableSwap balances `(x, y)` with `D = 2` at marginal price `p` (B per A).
fn stable_balances(amp: f64, p: f64) -> (f64, f64) {
    stable_balances_from(amp, p, None)
}

/// As [`stable_balances`], starting Newton's method from `start` (ln x of a
/// nearby solution) when given: the integrator walks prices in order.
fn stable_balances_from(amp: f64, p: f64, start: Option<f64>) -> (f64, f64) {
    const D: f64 = 2.0;
    if amp == 0.0 {
        // Constant product x·y = 1 with price y/x = p.
        return (1.0 / p.sqrt(), p.sqrt());
    }
    let y_of = |x: f64| {
        // 16A x y² + 4x(4Ax + D - 4AD) y - D³ = 0, positive root, written to avoid cancellation.
        let b = 4.0 * x * (4.0 * amp * x + D - 4.0 * amp * D);
        let disc = (b * b + 64.0 * amp * x * D * D * D).sqrt();
        if b >= 0.0 {
            2.0 * D * D * D / (b + disc)
        } else {
            (disc - b) / (32.0 * amp * x)
        }
    };
    let price_at = |x: f64| {
        let y = y_of(x);
        let k = D * D * D / 4.0;
        (4.0 * amp + k / (x * x * y)) / (4.0 * amp + k / (x * y * y))
    };
    // Price falls as x grows: solve ln price(e^t) = ln p for t by Newton's
    // method, kept inside a shrinking bracket (bisection when a step leaves it).
    let target = p.ln();
    let f = |t: f64| price_at(t.exp()).ln() - target;
    let (mut lo, mut hi) = (-60.0_f64, 60.0_f64);
    let mut t = start.unwrap_or(-0.5 * target).clamp(lo, hi);
    for _ in 0..200 {
        let ft = f(t);
        if ft == 0.0 {
            break;
        }
        if ft > 0.0 {
            lo = t;
        } else {
            hi = t;
        }
        let h = 1e-7 * (1.0 + t.abs());
        let slope = (f(t + h) - ft) / h;
        let newton = t - ft / slope;
        let next = if slope < 0.0 && newton > lo && newton < hi {
            newton
        } else {
            0.5 * (lo + hi)
        };
        if (next - t).abs() <= 1e-15 * (1.0 + t.abs()) || hi - lo <= 1e-15 {
            t = next;
            break;
        }
        t = next;
    }
    let x = t.exp();
    (x, y_of(x))
}

fn stable_values(amp: f64, r: f64) -> (f64, f64) {
    let (x, y) = stable_balances(amp, r);
    // Entry balances are 1 and 1 (D = 2 at price 1): entry value 2.
    ((x * r + y) / 2.0, (r + 1.0) / 2.0)
}

/// Volatility of the price ratio of two assets: `sqrt(σ1² + σ2² − 2ρσ1σ2)`.
pub fn ratio_volatility(sigma_a: f64, sigma_b: f64, correlation: f64) -> Result<f64, IlError> {
    for s in [sigma_a, sigma_b] {
        if !(s.is_finite() && s >= 0.0) {
            return Err(IlError::Volatility(s));
        }
    }
    if !(correlation.is_finite() && (-1.0..=1.0).contains(&correlation)) {
        return Err(IlError::Correlation(correlation));
    }
    let v = sigma_a * sigma_a + sigma_b * sigma_b - 2.0 * correlation * sigma_a * sigma_b;
    Ok(v.max(0.0).sqrt())
}

/// Closed form of expected constant-product IL: `exp(−σ²T/8) − 1`.
pub fn expected_il_constant_product(sigma: f64, years: f64) -> f64 {
    (-sigma * sigma * years / 8.0).exp() - 1.0
}

/// Closed form for a two-token weighted pool: `exp(−w(1−w)σ²T/2) − 1`.
pub fn expected_il_weighted(weight: f64, sigma: f64, years: f64) -> f64 {
    (-weight * (1.0 - weight) * sigma * sigma * years / 2.0).exp() - 1.0
}

/// Expected IL over `years` for a ratio volatility `sigma`, by numerical integration.
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

/// Nodes and weights of 16-point Gauss–Legendre on [-1, 1].
fn legendre16() -> &'static ([f64; 16], [f64; 16]) {
    static RULE: OnceLock<([f64; 16], [f64; 16])> = OnceLock::new();
    RULE.get_or_init(gauss_legendre::<16>)
}

/// Gauss–Legendre nodes and weights on [-1, 1] by Newton's method on P_n.
fn gauss_legendre<const N: usize>() -> ([f64; N], [f64; N]) {
    let mut x = [0.0; N];
    let mut w = [0.0; N];
    let n = N as f64;
    for i in 0..N.div_ceil(2) {
        // Tricomi's initial guess for the i-th root.
        let mut z = (PI * (i as f64 + 0.75) / (n + 0.5)).cos();
        let mut dp = 0.0;
        for _ in 0..100 {
            let (mut p0, mut p1) = (1.0, z);
            for k in 2..=N {
                let k = k as f64;
                let p2 = ((2.0 * k - 1.0) * z * p1 - (k - 1.0) * p0) / k;
                p0 = p1;
                p1 = p2;
            }
            dp = n * (z * p1 - p0) / (z * z - 1.0);
            let step = p1 / dp;
            z -= step;
            if step.abs() < 1e-16 {
                break;
            }
        }
        x[i] = -z;
        x[N - 1 - i] = z;
        let wi = 2.0 / ((1.0 - z * z) * dp * dp);
        w[i] = wi;
        w[N - 1 - i] = wi;
    }
    (x, w)
}

/// Nodes and weights of 64-point Gauss–Hermite (weight `e^{−x²}`), by Newton's
/// method on the orthonormal Hermite recurrence.
fn hermite64() -> &'static ([f64; 64], [f64; 64]) {
    static RULE: OnceLock<([f64; 64], [f64; 64])> = OnceLock::new();
    RULE.get_or_init(|| {
        const N: usize = 64;
        let n = N as f64;
        let mut x = [0.0; N];
        let mut w = [0.0; N];
        let pim4 = PI.powf(-0.25);
        let mut z = 0.0f64;
        for i in 0..N / 2 {
            // Initial guesses for the largest roots first.
            z = match i {
                0 => (2.0 * n + 1.0).sqrt() - 1.85575 * (2.0 * n + 1.0).powf(-0.16667),
                1 => z - 1.14 * n.powf(0.426) / z,
                2 => 1.86 * z - 0.86 * x[0],
                3 => 1.91 * z - 0.91 * x[1],
                _ => 2.0 * z - x[i - 2],
            };
            let mut pp = 0.0;
            for _ in 0..100 {
                let mut p1 = pim4;
                let mut p2 = 0.0;
                for j in 0..N {
                    let p3 = p2;
                    p2 = p1;
                    let jf = j as f64;
                    p1 = z * (2.0 / (jf + 1.0)).sqrt() * p2 - (jf / (jf + 1.0)).sqrt() * p3;
                }
                pp = (2.0 * n).sqrt() * p2;
                let step = p1 / pp;
                z -= step;
                if step.abs() < 1e-15 {
                    break;
                }
            }
            x[i] = z;
            x[N - 1 - i] = -z;
            w[i] = 2.0 / (pp * pp);
            w[N - 1 - i] = w[i];
        }
        (x, w)
    })
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
    let smooth = matches!(pool, Pool::ConstantProduct | Pool::Weighted { .. });
    if smooth && s <= 4.0 {
        let (nodes, weights) = hermite64();
        let mu = -0.5 * s * s;
        let total: f64 = nodes
            .iter()
            .zip(weights)
            .map(|(x, w)| {
                let r = (mu + s * std::f64::consts::SQRT_2 * x).exp();
                let (lp, hold) = pool.values(r);
                w * (lp - hold)
            })
            .sum();
        return total / PI.sqrt();
    }
    let mu = -0.5 * s * s;
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
                let r = (mu + s * z).exp();
                let (lp, hold) = match *pool {
                    // Warm-start the StableSwap solve from the previous node's balance.
                    Pool::Stable { amplification } if amplification > 0.0 => {
                        let (bx, by) = stable_balances_from(amplification, r, last_ln_x);
                        last_ln_x = Some(bx.ln());
                        ((bx * r + by) / 2.0, (r + 1.0) / 2.0)
                    }
                    _ => pool.values(r),
                };
                total += w * h * (lp - hold) * norm * (-0.5 * z * z).exp();
            }
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pct(x: f64) -> f64 {
        x * 100.0
    }

    /// Rounds to `dp` decimals, as the reference values are shown.
    fn round(x: f64, dp: i32) -> f64 {
        let f = 10f64.powi(dp);
        (x * f).round() / f
    }

    #[test]
    fn constant_product_reference_values() {
        // domain.md §2: r = 1.25, 1.5, 1.75, 2, 3, 4, 5.
        let cases = [
            (1.25, -0.62),
            (1.5, -2.02),
            (1.75, -3.79),
            (2.0, -5.72),
            (3.0, -13.40),
            (4.0, -20.00),
            (5.0, -25.46),
        ];
        for (r, want) in cases {
            let got = pct(impermanent_loss(&Pool::ConstantProduct, r).unwrap());
            assert_eq!(round(got, 2), want, "r = {r}");
        }
    }

    #[test]
    fn weighted_reference_values() {
        // domain.md §2: w = 0.8: r = 1.5 → −1.2027%, r = 2 → −3.2722%.
        let pool = Pool::Weighted { weight: 0.8 };
        assert_eq!(round(pct(pool.impermanent_loss(1.5)), 4), -1.2027);
        assert_eq!(round(pct(pool.impermanent_loss(2.0)), 4), -3.2722);
    }

    #[test]
    fn n_token_reference_values() {
        // Balancer's example: COMP ×2, WETH ×1.15.
        let even = weighted_n(&[2.0, 1.15], &[0.5, 0.5]).unwrap();
        assert_eq!(round(pct(even), 6), -3.709518);
        let heavy = weighted_n(&[2.0, 1.15], &[0.8, 0.2]).unwrap();
        assert_eq!(round(pct(heavy), 5), -2.16089);
    }

    #[test]
    fn concentrated_reference_values() {
        // [0.5, 2], k = 1.2 → −1.4138%.
        let pool = Pool::Concentrated {
            lower: 0.5,
            upper: 2.0,
        };
        assert_eq!(round(pct(pool.impermanent_loss(1.2)), 4), -1.4138);
        // [1500, 3000] entered at 2000, price to 2500 → −3.8343%.
        let pool = Pool::Concentrated {
            lower: 0.75,
            upper: 1.5,
        };
        assert_eq!(round(pct(pool.impermanent_loss(1.25)), 4), -3.8343);
    }

    #[test]
    fn concentrated_amounts_agree_with_the_closed_form_in_range() {
        for (a, b) in [(0.5, 2.0), (0.75, 1.5), (0.9, 1.2), (0.1, 30.0)] {
            let pool = Pool::Concentrated { lower: a, upper: b };
            for i in 0..=40 {
                let k = a + (b - a) * f64::from(i) / 40.0;
                let closed = concentrated_in_range(a, b, k).unwrap();
                assert!(
                    (pool.impermanent_loss(k) - closed).abs() < 1e-12,
                    "[{a},{b}] k={k}"
                );
            }
        }
        assert_eq!(concentrated_in_range(0.5, 2.0, 3.0), None);
    }

    #[test]
    fn symmetric_range_amplifies_constant_product() {
        // [1/R, R] multiplies v2 IL by sqrt(R)/(sqrt(R) − 1): R = 2 → ×3.4142.
        let pool = Pool::Concentrated {
            lower: 0.5,
            upper: 2.0,
        };
        let factor = pool.impermanent_loss(1.3) / Pool::ConstantProduct.impermanent_loss(1.3);
        assert!((factor - 2f64.sqrt() / (2f64.sqrt() - 1.0)).abs() < 1e-12);
        assert_eq!(round(factor, 4), 3.4142);
    }

    #[test]
    fn expected_il_reference_values() {
        // domain.md §2: σ = 0.5 → −3.0767%; 0.8 → −7.6884%; 1.0 → −11.7503%; σ = 0.8, T = 0.25 → −1.9801%.
        for (sigma, years, want) in [
            (0.5, 1.0, -3.0767),
            (0.8, 1.0, -7.6884),
            (1.0, 1.0, -11.7503),
            (0.8, 0.25, -1.9801),
        ] {
            assert_eq!(
                round(pct(expected_il_constant_product(sigma, years)), 4),
                want
            );
            let numeric = expected_il(&Pool::ConstantProduct, sigma, years).unwrap();
            assert_eq!(round(pct(numeric), 4), want);
        }
    }

    #[test]
    fn ratio_volatility_reference_values() {
        // σ1 = σ2 = 0.8, ρ = 0.8 → 0.506 → E[IL] −3.149%.
        let s = ratio_volatility(0.8, 0.8, 0.8).unwrap();
        assert_eq!(round(s, 3), 0.506);
        assert_eq!(round(pct(expected_il_constant_product(s, 1.0)), 3), -3.149);
        // Against a stablecoin (σ2 = 0) the ratio volatility is σ1.
        assert_eq!(ratio_volatility(0.7, 0.0, 0.0).unwrap(), 0.7);
    }

    #[test]
    fn numerical_expected_il_matches_the_closed_forms_to_1e9() {
        for sigma in [0.05, 0.2, 0.5, 0.8, 1.0, 1.5, 2.0] {
            for years in [0.25, 1.0, 2.0] {
                let cp = expected_il(&Pool::ConstantProduct, sigma, years).unwrap();
                assert!(
                    (cp - expected_il_constant_product(sigma, years)).abs() < 1e-9,
                    "cp σ={sigma} T={years}"
                );
                for w in [0.2, 0.5, 0.8] {
                    let num = expected_il(&Pool::Weighted { weight: w }, sigma, years).unwrap();
                    assert!(
                        (num - expected_il_weighted(w, sigma, years)).abs() < 1e-9,
                        "w={w} σ={sigma}"
                    );
                }
                // A stable pool with A = 0 is constant product.
                let st = expected_il(&Pool::Stable { amplification: 0.0 }, sigma, years).unwrap();
                assert!((st - cp).abs() < 1e-9, "stable A=0 σ={sigma}");
            }
        }
    }

    #[test]
    fn stable_pool_integral_matches_a_brute_force_sum() {
        // An independent trapezoid sum over z with 200,000 steps.
        for (amp, s) in [(100.0, 0.2), (2000.0, 0.05)] {
            let pool = Pool::Stable { amplification: amp };
            let (lo, hi, n) = (-12.0f64, 12.0 + s, 200_000);
            let h = (hi - lo) / f64::from(n);
            let mu = -0.5 * s * s;
            let sum: f64 = (0..=n)
                .map(|i| {
                    let z = lo + h * f64::from(i);
                    let (lp, hold) = pool.values((mu + s * z).exp());
                    let w = if i == 0 || i == n { 0.5 } else { 1.0 };
                    w * (lp - hold) * (-0.5 * z * z).exp()
                })
                .sum::<f64>()
                * h
                / (2.0 * PI).sqrt();
            let q = expected_il(&pool, s, 1.0).unwrap();
            assert!((q - sum).abs() < 1e-8, "A={amp} s={s}: {q} vs {sum}");
        }
    }

    #[test]
    fn wide_ranges_tend_to_constant_product() {
        let cp = Pool::ConstantProduct.impermanent_loss(2.0);
        let mut last = f64::NEG_INFINITY;
        for r in [4.0, 16.0, 256.0, 65536.0, 1e12] {
            let il = Pool::Concentrated {
                lower: 1.0 / r,
                upper: r,
            }
            .impermanent_loss(2.0);
            assert!(il > last && il <= cp + 1e-15);
            last = il;
        }
        assert!((last - cp).abs() < 1e-5);
    }

    #[test]
    fn stable_pool_loses_little_at_the_peg_and_much_on_a_depeg() {
        let stable = Pool::Stable {
            amplification: DEFAULT_AMPLIFICATION,
        };
        assert!(stable.impermanent_loss(1.0).abs() < 1e-12);
        // A 0.1% wobble costs almost nothing...
        assert!(stable.impermanent_loss(0.999).abs() < 1e-4);
        // ...a 10% depeg leaves the pool holding mostly the cheap coin: close to
        // the constant-sum loss 2·0.9/1.9 − 1 = −5.26%, far beyond constant product.
        let depeg = stable.impermanent_loss(0.9);
        let cp = Pool::ConstantProduct.impermanent_loss(0.9);
        assert!(depeg < 10.0 * cp, "stable {depeg} vs cp {cp}");
        assert!(depeg > 2.0 * 0.9 / 1.9 - 1.0 - 1e-9);
    }

    #[test]
    fn bad_inputs_are_errors() {
        assert_eq!(
            impermanent_loss(&Pool::ConstantProduct, 0.0),
            Err(IlError::Ratio(0.0))
        );
        assert!(impermanent_loss(&Pool::Weighted { weight: 1.0 }, 2.0).is_err());
        assert!(
            impermanent_loss(
                &Pool::Concentrated {
                    lower: 1.1,
                    upper: 2.0
                },
                2.0
            )
            .is_err()
        );
        assert!(expected_il(&Pool::ConstantProduct, -0.1, 1.0).is_err());
        assert!(ratio_volatility(0.5, 0.5, 1.5).is_err());
        assert!(weighted_n(&[1.0, 2.0], &[0.5, 0.4]).is_err());
    }
}

/// What `yieldplan il` is asked.
#[derive(Clone, Debug, PartialEq)]
pub struct IlQuery {
    pub pool: Pool,
    /// End price of A in B over the entry price.
    pub ratio: Option<f64>,
    /// Annual volatility of asset A (or of the ratio, when `volatility_b` is absent).
    pub volatility: Option<f64>,
    pub volatility_b: Option<f64>,
    pub correlation: f64,
    pub years: f64,
    /// Money in the position, to show the loss in money.
    pub amount: Option<crate::money::Money>,
}

/// The pool of an IL report, for JSON.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct PoolOut {
    pub kind: crate::model::PoolKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lower: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upper: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amplification: Option<Decimal>,
}

/// The JSON output of `yieldplan il`. Loss fields are fractions (−0.0572 = −5.72%).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct IlReport {
    pub schema_version: u32,
    pub pool: PoolOut,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ratio: Option<Decimal>,
    /// IL at `ratio`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impermanent_loss: Option<crate::money::Rate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub years: Option<Decimal>,
    /// Volatility of the price ratio used for the expectation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ratio_volatility: Option<crate::money::Rate>,
    /// Expected IL over `years` (E[r] = 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_impermanent_loss: Option<crate::money::Rate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<crate::money::Money>,
    /// `amount` × `impermanent_loss`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loss: Option<crate::money::Money>,
    /// `amount` × `expected_impermanent_loss`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_loss: Option<crate::money::Money>,
    /// The volatility inputs, when two assets were given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volatility_a: Option<crate::money::Rate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volatility_b: Option<crate::money::Rate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correlation: Option<Decimal>,
}

fn dec(x: f64) -> Decimal {
    crate::money::decimal_from_f64(x).unwrap_or_default()
}

fn rate(x: f64) -> crate::money::Rate {
    crate::money::Rate(dec(x)).settle()
}

/// Answers an IL query.
pub fn il_report(q: &IlQuery) -> Result<IlReport, IlError> {
    use crate::model::PoolKind;
    q.pool.validate()?;
    let pool = match q.pool {
        Pool::ConstantProduct => PoolOut {
            kind: PoolKind::ConstantProduct,
            weight: None,
            lower: None,
            upper: None,
            amplification: None,
        },
        Pool::Weighted { weight } => PoolOut {
            kind: PoolKind::Weighted,
            weight: Some(dec(weight)),
            lower: None,
            upper: None,
            amplification: None,
        },
        Pool::Concentrated { lower, upper } => PoolOut {
            kind: PoolKind::Concentrated,
            weight: None,
            lower: Some(dec(lower)),
            upper: Some(dec(upper)),
            amplification: None,
        },
        Pool::Stable { amplification } => PoolOut {
            kind: PoolKind::Stable,
            weight: None,
            lower: None,
            upper: None,
            amplification: Some(dec(amplification)),
        },
    };
    let il = q.ratio.map(|r| impermanent_loss(&q.pool, r)).transpose()?;
    let (sigma, two) = match (q.volatility, q.volatility_b) {
        (Some(a), Some(b)) => (Some(ratio_volatility(a, b, q.correlation)?), true),
        (Some(a), None) => (Some(ratio_volatility(a, 0.0, 0.0)?), false),
        (None, Some(b)) => return Err(IlError::Volatility(b)),
        (None, None) => (None, false),
    };
    let expected = sigma
        .map(|s| expected_il(&q.pool, s, q.years))
        .transpose()?;
    let money = |x: f64| q.amount.map(|m| crate::money::Money(m.0 * dec(x)).settle());
    Ok(IlReport {
        schema_version: super::plan::SCHEMA_VERSION,
        pool,
        ratio: q.ratio.map(dec),
        impermanent_loss: il.map(rate),
        years: sigma.map(|_| dec(q.years)),
        ratio_volatility: sigma.map(rate),
        expected_impermanent_loss: expected.map(rate),
        amount: q.amount,
        loss: il.and_then(money),
        expected_loss: expected.and_then(money),
        volatility_a: if two { q.volatility.map(rate) } else { None },
        volatility_b: if two { q.volatility_b.map(rate) } else { None },
        correlation: if two { Some(dec(q.correlation)) } else { None },
    })
}
