//! The exact impermanent loss of each pool shape at a given price ratio `r`
//! (end price of A in B over its entry price), per domain.md §2: constant
//! product, weighted (two and N tokens), concentrated ranges and StableSwap
//! (solved in `stableswap`). Pure `f64` maths; no expectations here.

use super::IlError;
use super::stableswap::stable_values;
use crate::model::Pool;

/// The largest StableSwap amplification accepted: real pools run from about
/// 10 to a few thousand; past a million the curve is a constant sum to within
/// `f64` precision.
pub const MAX_AMPLIFICATION: f64 = 1e6;

impl Pool {
    /// Checks the pool's parameters.
    ///
    /// # Errors
    ///
    /// [`IlError::Weights`], [`IlError::Range`] or [`IlError::Amplification`]
    /// when the weight, range or amplification is out of bounds.
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
                if amplification.is_finite() && (0.0..=MAX_AMPLIFICATION).contains(&amplification) {
                    Ok(())
                } else {
                    Err(IlError::Amplification(amplification))
                }
            }
        }
    }

    /// LP value and holding value at price ratio `r`, both relative to the
    /// value at entry (so both are 1 at `r = 1`), in units of asset B.
    #[must_use]
    pub fn values(&self, r: f64) -> (f64, f64) {
        match *self {
            Pool::ConstantProduct => (r.sqrt(), 0.5 * (1.0 + r)),
            Pool::Weighted { weight: w } => (r.powf(w), w * r + 1.0 - w),
            Pool::Concentrated { lower, upper } => concentrated_values(lower, upper, r),
            Pool::Stable { amplification } => stable_values(amplification, r),
        }
    }

    /// Impermanent loss at price ratio `r` (a fraction in [−1, 0]).
    #[must_use]
    pub fn impermanent_loss(&self, r: f64) -> f64 {
        let loss = match *self {
            Pool::ConstantProduct => constant_product_loss(r),
            Pool::Weighted { weight: w } => weighted_loss(w, r),
            Pool::Concentrated { lower, upper } => concentrated_loss(lower, upper, r),
            Pool::Stable { .. } => {
                let (lp, hold) = self.values(r);
                lp / hold - 1.0
            }
        };
        // A position neither gains nor loses more than it holds; rounding
        // can take the forms above a unit or two past either bound (at the
        // largest ratios, or with a weight a hair from 0 or 1). NaN stays NaN.
        loss.clamp(-1.0, 0.0)
    }

    /// Price ratios where the value function has a kink, for the integrator.
    pub(super) fn kinks(&self) -> Vec<f64> {
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

/// Impermanent loss at price ratio `r` (a fraction ≤ 0), after checking the inputs.
///
/// # Errors
///
/// The pool's [`Pool::validate`] error, or [`IlError::Ratio`] when `r` is not
/// a finite number above 0.
pub fn impermanent_loss(pool: &Pool, r: f64) -> Result<f64, IlError> {
    pool.validate()?;
    if !(r.is_finite() && r > 0.0) {
        return Err(IlError::Ratio(r));
    }
    Ok(pool.impermanent_loss(r))
}

/// IL of an N-token weighted pool: `prod(p_i^w_i) / sum(w_i p_i) - 1`, with
/// `p_i` each token's end price over its entry price (Balancer's formula,
/// domain.md §2).
///
/// # Errors
///
/// [`IlError::Weights`] when the lists differ in length or are empty, or the
/// weights are not positive fractions adding to 1; [`IlError::Ratio`] for a
/// price ratio that is not a finite number above 0.
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

/// A constant-product pool's impermanent loss at price ratio `r` (a
/// fraction ≤ 0): `2√r/(1 + r) − 1` (domain.md §2), written as
/// `−d²/(1 + r)` with `d = √r − 1 = (r − 1)/(√r + 1)`, which subtracts
/// nothing of the same size: near `r = 1` the textbook form loses half its
/// digits to cancellation (r = 1.0001 gave −1.249874981290589e-9 for
/// −1.2498750101554688e-9).
#[inline]
#[must_use]
pub fn constant_product_loss(r: f64) -> f64 {
    let d = (r - 1.0) / (r.sqrt() + 1.0);
    let loss = if r < 1e150 {
        -(d * d) / (1.0 + r)
    } else {
        // −(d/√(1 + r))²: d² overflows for the largest ratios.
        let e = d / (1.0 + r).sqrt();
        -(e * e)
    };
    // Rounding can take the largest ratios' loss a few units past −1.
    if loss < -1.0 { -1.0 } else { loss }
}

/// A weighted pool's impermanent loss (weight `w` on A, price ratio `r`):
/// `r^w / (w r + 1 − w) − 1`. The pool with weight `1 − w` on A at ratio
/// `1/r` loses the same, so away from `r = 1` a weight above one half is
/// taken as its complement (exact for such a weight), whose parts do not
/// cancel: a weight a hair from 1 kept no correct digit.
fn weighted_loss(w: f64, r: f64) -> f64 {
    // Not near `r = 1`, where `1/r` would round away digits the series
    // below keeps for any weight.
    let (w, r) = if w > 0.5 && r.ln().abs() > 1.0 && (1.0 / r).is_finite() {
        (1.0 - w, 1.0 / r)
    } else {
        (w, r)
    };
    weighted_excess(w, r) / (w * r + 1.0 - w)
}

/// `r^w − 1 − w(r − 1)`: a weighted pool's LP value less its holding
/// value, over the entry value (weight `w` on A, price ratio `r`), as
/// `expm1(w ln r) − w(r − 1)`, each part without cancellation (a weight a
/// hair from 0 keeps its digits, where `r^w / hold − 1` subtracted two
/// numbers near 1). Near `r = 1` both parts are about `w(r − 1)` and their
/// difference about `w(w − 1)(ln r)²/2`, so for `|ln r| ≤ 1` it is the
/// series `Σ_{k≥2} (w^k − w)(ln r)^k/k!` (24 terms: the rest is below 1e-23
/// of the first), each `w^k − w` as `w(w^(k−1) − 1)` with `w^j − 1` built up
/// as `w(w^(j−1) − 1) + (w − 1)`, which adds terms of one sign.
fn weighted_excess(w: f64, r: f64) -> f64 {
    let x = r.ln();
    if x.abs() > 1.0 {
        // `r − 1` as it is, not `expm1(ln r)`, whose error grows with
        // `|ln r|` (at r = 1e100 it took the loss past −100%).
        return (w * x).exp_m1() - w * (r - 1.0);
    }
    // `power_less_one` is w^(k−1) − 1 and `term` is x^k/k! at step k.
    let (mut power_less_one, mut term, mut sum) = (w - 1.0, x, 0.0);
    for k in 2..=25 {
        term *= x / f64::from(k);
        sum += w * power_less_one * term;
        power_less_one = w * power_less_one + (w - 1.0);
    }
    sum
}

/// Concentrated liquidity on `[a, b]` (entry price 1), by token amounts with
/// liquidity 1: `x = 1/sqrt(p) - 1/sqrt(b)`, `y = sqrt(p) - sqrt(a)` inside the
/// range, all A below it, all B above it. Values relative to the entry value.
///
/// Each difference of square roots is taken as a quotient (`1 − √a` as
/// `(1 − a)/(1 + √a)`), so a range a hair wide keeps its digits.
fn concentrated_values(a: f64, b: f64, r: f64) -> (f64, f64) {
    let (sa, sb) = (a.sqrt(), b.sqrt());
    let p = r.clamp(a, b);
    let sp = p.sqrt();
    // 1/√p − 1/√b and √p − √a.
    let x = (b - p) / (sp * sb * (sb + sp));
    let y = (p - a) / (sp + sa);
    let (x0, y0) = concentrated_at_entry(a, b);
    let v0 = x0 + y0;
    ((x * r + y) / v0, (x0 * r + y0) / v0)
}

/// A concentrated position's token amounts at entry (price 1, liquidity 1):
/// `1 − 1/√b` of A and `1 − √a` of B, each without cancellation.
fn concentrated_at_entry(a: f64, b: f64) -> (f64, f64) {
    let (sa, sb) = (a.sqrt(), b.sqrt());
    ((b - 1.0) / (sb * (sb + 1.0)), (1.0 - a) / (1.0 + sa))
}

/// A concentrated position's impermanent loss on `[a, b]` at price ratio
/// `r` (a fraction ≤ 0): `(lp − hold)/hold`, with `lp − hold` worked out so
/// that nothing nearly equal is subtracted. With `p` the price held in the
/// range and `e = √p − 1 = (p − 1)/(√p + 1)`, it is `e(e − (r − 1))/√p`,
/// which in range (`p = r`) is `−e²`, as for a constant-product pool.
fn concentrated_loss(a: f64, b: f64, r: f64) -> f64 {
    let (x0, y0) = concentrated_at_entry(a, b);
    let p = r.clamp(a, b);
    let sp = p.sqrt();
    let e = (p - 1.0) / (sp + 1.0);
    // √p − r: from the small `e` and `r − 1` near the entry price, as it
    // is farther out (where `e − (r − 1)` would subtract two numbers near
    // ±1: below a lower bound of 1e-17 it kept 8 digits).
    let root_less_r = if (r - 1.0).abs() < 0.5 {
        e - (r - 1.0)
    } else {
        sp - r
    };
    if r > 1.0 {
        // Over `r`, so that nothing overflows at the largest ratios.
        let excess = if p == r {
            -(e / r.sqrt()) * (e / r.sqrt())
        } else {
            e * (root_less_r / r) / sp
        };
        excess / (x0 + y0 / r)
    } else {
        let excess = if p == r {
            -(e * e)
        } else {
            e * root_less_r / sp
        };
        excess / (x0 * r + y0)
    }
}

/// The closed form of concentrated IL while the price stays in range:
/// `(2 sqrt(k) - 1 - k) / (1 + k - sqrt(a) - k / sqrt(b))` (domain.md §2);
/// `None` out of range. Taken as [`concentrated_loss`] does, so a small loss
/// and a narrow range keep their digits.
#[must_use]
pub fn concentrated_in_range(a: f64, b: f64, k: f64) -> Option<f64> {
    if !(a <= k && k <= b) {
        return None;
    }
    Some(concentrated_loss(a, b, k))
}
