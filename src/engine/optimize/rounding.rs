//! The solver's weights put on a 0.01% grid a profile can hold, still adding
//! up to the whole portfolio exactly.
//!
//! Fixed weights stay as written. Every free weight is rounded to the
//! nearest 0.01% inside its bounds, except one that balances: a position
//! taking "rest", else the free position with the largest weight, which
//! takes exactly what the others leave. With `amount` positions in the
//! profile that remainder is not a round share, so the balancing position
//! is written as "rest".

use rust_decimal::Decimal;

use crate::engine::floats::decimal;
use crate::model::{Choices, Sizing};

/// Weights on the grid, one per choice, and how each is written.
#[derive(Clone, Debug, PartialEq)]
pub struct Rounded {
    /// One weight per choice, fractions adding up to 1 (up to the amounts'
    /// exact shares).
    pub weights: Vec<Decimal>,
    /// How each choice is written back into the profile.
    pub sizes: Vec<Sizing>,
}

fn sizes(weights: &[Decimal], c: &Choices, rest: Option<usize>) -> Vec<Sizing> {
    c.positions
        .iter()
        .zip(weights)
        .enumerate()
        .map(|(i, (ch, w))| {
            if ch.fixed() {
                Sizing::Keep
            } else if w.is_zero() {
                Sizing::Zero
            } else if rest == Some(i) {
                Sizing::Rest
            } else {
                Sizing::Weight(*w)
            }
        })
        .collect()
}

/// Rounds `w` (one weight per choice, fractions).
#[must_use]
pub fn round(w: &[f64], c: &Choices) -> Rounded {
    let grid = |x: f64| decimal(x).round_dp(4);
    let mut weights: Vec<Decimal> = c
        .positions
        .iter()
        .zip(w)
        .map(|(ch, x)| {
            if ch.fixed() {
                ch.min.0
            } else {
                grid(*x).clamp(ch.min.0, ch.max.0)
            }
        })
        .collect();
    let balancer = c.positions.iter().position(|ch| ch.rest).or_else(|| {
        c.positions
            .iter()
            .enumerate()
            .filter(|(_, ch)| !ch.fixed())
            .max_by(|a, b| {
                w[a.0]
                    .partial_cmp(&w[b.0])
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(b.0.cmp(&a.0))
            })
            .map(|(i, _)| i)
    });
    let Some(b) = balancer else {
        return Rounded {
            sizes: sizes(&weights, c, None),
            weights,
        };
    };
    let others: Decimal = weights
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != b)
        .map(|(_, x)| *x)
        .sum();
    weights[b] = (Decimal::ONE - others).max(Decimal::ZERO);
    let amounts = c.positions.iter().any(|ch| ch.amount);
    let rest = (amounts || c.positions[b].rest).then_some(b);
    Rounded {
        sizes: sizes(&weights, c, rest),
        weights,
    }
}
