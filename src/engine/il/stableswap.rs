//! Curve's StableSwap invariant for two coins, solved for the balances at a
//! given marginal price: the value function of
//! [`Pool::Stable`](crate::model::Pool::Stable) pools.
//!
//! The invariant (Egorov, "StableSwap", 2019) with `n = 2` and `D = 2`:
//! `4A(x + y) + D = 4AD + D³ / (4xy)`. Pure `f64` maths; no expectations here.

/// StableSwap balances `(x, y)` with `D = 2` at marginal price `p` (B per A).
fn stable_balances(amp: f64, p: f64) -> (f64, f64) {
    stable_balances_from(amp, p, None)
}

/// As [`stable_balances`], starting Newton's method from `start` (ln x of a
/// nearby solution) when given: the integrator walks prices in order.
pub(super) fn stable_balances_from(amp: f64, p: f64, start: Option<f64>) -> (f64, f64) {
    const D: f64 = 2.0;
    if amp == 0.0 {
        // Constant product x·y = 1 with price y/x = p.
        return (1.0 / p.sqrt(), p.sqrt());
    }
    if p == 1.0 {
        // At the peg the invariant is symmetric: equal balances, exactly.
        return (D / 2.0, D / 2.0);
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

/// LP value and holding value at price ratio `r`, relative to the entry value.
pub(super) fn stable_values(amp: f64, r: f64) -> (f64, f64) {
    let (x, y) = stable_balances(amp, r);
    // Entry balances are 1 and 1 (D = 2 at price 1): entry value 2.
    ((x * r + y) / 2.0, (r + 1.0) / 2.0)
}
