//! Gaussian quadrature rules for the expected-loss integrals: Gauss–Legendre
//! (16 nodes, on panels) and Gauss–Hermite (64 nodes, weight `e^{−x²}`),
//! each built once by Newton's method on the orthogonal polynomials
//! (Press et al., Numerical Recipes §4.6). Holds nodes and weights only;
//! knows nothing about pools.

use std::f64::consts::PI;
use std::sync::OnceLock;

/// Nodes and weights of 16-point Gauss–Legendre on [-1, 1].
pub(super) fn legendre16() -> &'static ([f64; 16], [f64; 16]) {
    static RULE: OnceLock<([f64; 16], [f64; 16])> = OnceLock::new();
    RULE.get_or_init(gauss_legendre::<16>)
}

/// Gauss–Legendre nodes and weights on [-1, 1] by Newton's method on `P_n`.
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
#[cfg(test)]
pub(super) fn hermite64() -> &'static ([f64; 64], [f64; 64]) {
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
