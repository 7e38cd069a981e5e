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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Choice, Choices};
    use crate::money::Rate;

    fn choice(min: &str, max: &str, rest: bool, amount: bool) -> Choice {
        let d = |s: &str| Rate(s.parse().unwrap());
        Choice {
            name: "x".into(),
            current: None,
            min: d(min),
            max: d(max),
            members: vec![(0, Rate(Decimal::ONE))],
            rest,
            amount,
        }
    }

    fn choices(positions: Vec<Choice>) -> Choices {
        Choices {
            positions,
            strategy_bounds: Vec::new(),
            all_free: false,
        }
    }

    #[test]
    fn weights_land_on_the_grid_and_add_up_to_one_exactly() {
        let c = choices(vec![
            choice("0", "1", false, false),
            choice("0", "1", false, false),
            choice("0", "1", false, false),
        ]);
        let r = round(&[1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0], &c);
        assert_eq!(r.weights.iter().copied().sum::<Decimal>(), Decimal::ONE);
        assert!(r.weights.iter().all(|w| w.scale() <= 4));
        // The first of equal weights balances: 1 − 2 × 0.3333.
        assert_eq!(r.weights[0], Decimal::new(3334, 4));
        assert_eq!(r.sizes[1], Sizing::Weight(Decimal::new(3333, 4)));
    }

    #[test]
    fn fixed_weights_stay_and_zeros_are_left_out() {
        let c = choices(vec![
            choice("0.25", "0.25", false, false),
            choice("0", "1", false, false),
            choice("0", "1", false, false),
        ]);
        let r = round(&[0.25, 0.75, 1e-12], &c);
        assert_eq!(
            r.sizes,
            vec![
                Sizing::Keep,
                Sizing::Weight(Decimal::new(75, 2)),
                Sizing::Zero
            ]
        );
    }

    #[test]
    fn with_amounts_the_balancing_position_takes_the_rest() {
        let c = choices(vec![
            choice("0.3333333", "0.3333333", false, true),
            choice("0", "1", false, false),
        ]);
        let r = round(&[0.3333333, 0.6666667], &c);
        assert_eq!(r.sizes, vec![Sizing::Keep, Sizing::Rest]);
    }
}
