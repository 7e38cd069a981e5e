//! The crossing between the engine's `f64` maths (impermanent loss, stress
//! shocks, Monte Carlo paths) and the exact decimals of its reports.
//!
//! Every conversion goes through [`crate::money::decimal_from_f64`], so NaN
//! and infinity never reach a report: they become zero. This module only
//! converts; it must not round beyond the settling rules of [`crate::money`].

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::money::{Money, Rate, decimal_from_f64};

/// `x` as a decimal; zero when `x` is not finite.
pub(crate) fn decimal(x: f64) -> Decimal {
    decimal_from_f64(x).unwrap_or_default()
}

/// `x` (a fraction) as a rate settled for reports; zero when not finite.
pub(crate) fn rate(x: f64) -> Rate {
    Rate(decimal(x)).settle()
}

/// `x` (an amount in the portfolio's currency) settled to cents; zero when not finite.
pub(crate) fn money(x: f64) -> Money {
    Money(decimal(x)).settle()
}

/// A decimal as the nearest `f64`; zero when it does not fit.
pub(crate) fn float(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}
