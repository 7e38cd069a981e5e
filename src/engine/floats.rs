//! The crossing between the engine's `f64` maths (impermanent loss, stress
//! shocks, Monte Carlo paths) and the exact decimals of its reports.
//!
//! Every conversion goes through [`crate::money::decimal_from_f64`]. A value
//! too large for a decimal (or infinite) goes to its limit, the largest
//! decimal of its sign, never to zero; the inputs that could produce one are
//! refused before any work (see `project::PROJECTION_LIMIT`). NaN has no
//! limit: it is a bug upstream, and becomes zero. This module only converts;
//! it does not round.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::money::{Money, Rate, decimal_from_f64};

/// `x` as a decimal: exact to `f64`'s precision, saturated at the largest
/// decimal of its sign when it does not fit.
pub(crate) fn decimal(x: f64) -> Decimal {
    match decimal_from_f64(x) {
        Some(d) => d,
        None if x.is_nan() => Decimal::ZERO,
        None if x > 0.0 => Decimal::MAX,
        None => Decimal::MIN,
    }
}

/// `x` (a fraction) as a rate.
pub(crate) fn rate(x: f64) -> Rate {
    Rate(decimal(x))
}

/// `x` (an amount in the portfolio's currency) as money.
pub(crate) fn money(x: f64) -> Money {
    Money(decimal(x))
}

/// A decimal as the nearest `f64`.
pub(crate) fn float(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(if d.is_sign_negative() {
        f64::MIN
    } else {
        f64::MAX
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overflow_goes_to_the_limit_not_to_zero() {
        assert_eq!(decimal(1e40), Decimal::MAX);
        assert_eq!(decimal(f64::INFINITY), Decimal::MAX);
        assert_eq!(decimal(f64::NEG_INFINITY), Decimal::MIN);
        assert_eq!(decimal(-1e40), Decimal::MIN);
        assert_eq!(decimal(0.25), Decimal::new(25, 2));
    }
}
