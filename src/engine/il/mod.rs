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
//!
//! Where is each thing? `shapes` holds the exact loss of each pool shape,
//! `stableswap` solves the StableSwap invariant, `quadrature` builds the
//! integration rules, `expected` takes the expectation, and `report`
//! answers the `il` command's query. The maths must not touch decimals
//! except in `report`, the boundary to the JSON output.

mod error;
mod expected;
mod quadrature;
mod report;
mod shapes;
mod stableswap;
mod table;

pub use crate::model::Pool;
pub use error::IlError;
pub use expected::{
    expected_il, expected_il_constant_product, expected_il_weighted, ratio_volatility,
};
pub use report::{IlQuery, IlReport, PoolOut, il_report};
pub use shapes::{concentrated_in_range, constant_product_loss, impermanent_loss, weighted_n};
pub use table::ValueTable;

pub use crate::model::DEFAULT_AMPLIFICATION;

#[cfg(test)]
mod tests;
