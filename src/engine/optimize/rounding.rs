//! The solver's weights put on a 0.01% grid a profile can hold, still adding
//! up to the whole portfolio exactly.
//!
//! Fixed weights stay as written. Every free weight is rounded to the
//! nearest 0.01% inside its bounds (a weight the solver put at one of its
//! own bounds is written as that bound, even one off the grid), except one
//! that balances: a position taking "rest", else the free position with the
//! largest weight, which takes exactly what the others leave. With `amount`
//! positions in the profile that remainder is not a round share, so the
//! balancing position is written as "rest".
//!
//! Rounding to the nearest point can break a row of the program (the goal
//! missed by cents, a cap passed by 0.01%); [`from_points`] builds the mix
//! from points the grid search (`grid`) chose instead. Whether a mix keeps
//! every row is `verify`'s to say.

use rust_decimal::Decimal;

use crate::engine::floats::{decimal, float};
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

/// How close (a fraction) a solver's weight must come to one of its bounds
/// to be written as that bound.
const AT_BOUND: f64 = 1e-9;

/// The position that balances the weights `w` (one per choice): the one
/// taking "rest", else the free one with the largest weight (the first of
/// equals); `None` when nothing is free.
#[must_use]
pub fn balancer(w: &[f64], c: &Choices) -> Option<usize> {
    c.positions.iter().position(|ch| ch.rest).or_else(|| {
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
    })
}

/// Rounds `w` (one weight per choice, fractions).
#[must_use]
pub fn round(w: &[f64], c: &Choices) -> Rounded {
    let grid = |x: f64| decimal(x).round_dp(4);
    let near = |x: f64, bound: Decimal| (x - float(bound)).abs() <= AT_BOUND;
    let weights: Vec<Decimal> = c
        .positions
        .iter()
        .zip(w)
        .map(|(ch, x)| {
            if ch.fixed() {
                ch.min.0
            } else if near(*x, ch.max.0) {
                ch.max.0
            } else if near(*x, ch.min.0) {
                ch.min.0
            } else {
                grid(*x).clamp(ch.min.0, ch.max.0)
            }
        })
        .collect();
    balanced(weights, c, balancer(w, c))
}

/// Where the grid search put one chosen weight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Point {
    /// Fixed: as the profile writes it.
    Keep,
    /// This many 0.01% steps.
    Steps(u32),
    /// The position's own least weight (which may be off the grid).
    Min,
    /// The position's own most weight (which may be off the grid).
    Max,
    /// What the others leave (the balancing position).
    Balance,
}

/// The mix the grid search chose (one point per choice, at most one
/// [`Point::Balance`]), written as [`round`] writes its mixes.
#[must_use]
pub fn from_points(points: &[Point], c: &Choices) -> Rounded {
    let weights: Vec<Decimal> = c
        .positions
        .iter()
        .zip(points)
        .map(|(ch, p)| match p {
            Point::Keep | Point::Min => ch.min.0,
            Point::Max => ch.max.0,
            Point::Steps(k) => Decimal::new(i64::from(*k), 4),
            Point::Balance => Decimal::ZERO,
        })
        .collect();
    let b = points.iter().position(|p| *p == Point::Balance);
    balanced(weights, c, b)
}

/// `weights` with the balancing position `b` (when there is one) given
/// what the others leave.
fn balanced(mut weights: Vec<Decimal>, c: &Choices, b: Option<usize>) -> Rounded {
    let Some(b) = b else {
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
    // Below zero (or outside its bounds) when the others, rounded, leave
    // too little: such a mix is not a profile, and `verify` refuses it.
    weights[b] = Decimal::ONE - others;
    let amounts = c.positions.iter().any(|ch| ch.amount);
    let rest = (amounts || c.positions[b].rest).then_some(b);
    Rounded {
        sizes: sizes(&weights, c, rest),
        weights,
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::model::{Choice, Choices};
    use crate::money::Rate;

    /// A one-member choice named "x" between fractions `min` and `max`
    /// (also the grid search's tests' fixture).
    pub(in crate::engine::optimize) fn choice(
        min: &str,
        max: &str,
        rest: bool,
        amount: bool,
    ) -> Choice {
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

    #[test]
    fn a_weight_at_its_own_bound_off_the_grid_is_written_as_that_bound() {
        let c = choices(vec![
            choice("0", "0.333333333", false, false),
            choice("0", "1", true, false),
        ]);
        let r = round(&[0.333_333_333, 0.666_666_667], &c);
        assert_eq!(r.weights[0], "0.333333333".parse::<Decimal>().unwrap());
        assert_eq!(r.sizes[1], Sizing::Rest);
        // Away from the bound, the nearest step.
        let r = round(&[0.333_32, 0.666_68], &c);
        assert_eq!(r.weights[0], Decimal::new(3333, 4));
    }

    #[test]
    fn points_are_written_as_the_grid_search_chose_them() {
        let c = choices(vec![
            choice("0.0777", "0.0777", false, false),
            choice("0.05", "0.116551", false, false),
            choice("0", "1", false, false),
        ]);
        let r = from_points(&[Point::Keep, Point::Max, Point::Balance], &c);
        assert_eq!(
            r.weights,
            vec![
                Decimal::new(777, 4),
                Decimal::new(116_551, 6),
                Decimal::new(805_749, 6)
            ]
        );
        let r = from_points(&[Point::Keep, Point::Steps(1166), Point::Balance], &c);
        assert_eq!(r.weights[2], Decimal::new(8057, 4));
        assert_eq!(r.sizes[1], Sizing::Weight(Decimal::new(1166, 4)));
    }
}
