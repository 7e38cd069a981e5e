//! The `il` command's question and answer: an [`IlQuery`] in, an [`IlReport`]
//! out. This is the boundary where the `f64` maths becomes settled decimals
//! for JSON; it adds no maths of its own.

use rust_decimal::Decimal;
use serde::Serialize;

use super::{IlError, expected_il, impermanent_loss, ratio_volatility};
use crate::engine::floats::{decimal, rate};
use crate::engine::schema::SCHEMA_VERSION;
use crate::model::{Pool, PoolKind};
use crate::money::{Money, Rate};

/// What `yieldplan il` is asked.
#[derive(Clone, Debug, PartialEq)]
pub struct IlQuery {
    /// The pool's shape.
    pub pool: Pool,
    /// End price of A in B over the entry price.
    pub ratio: Option<f64>,
    /// Annual volatility of asset A (or of the ratio, when `volatility_b` is
    /// absent), a fraction.
    pub volatility: Option<f64>,
    /// Annual volatility of asset B, a fraction.
    pub volatility_b: Option<f64>,
    /// Correlation of A and B, in [-1, 1] (used with two volatilities).
    pub correlation: f64,
    /// Horizon of the expectation, in years.
    pub years: f64,
    /// Money in the position, to show the loss in money.
    pub amount: Option<Money>,
}

/// The pool of an IL report, for JSON.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PoolOut {
    /// The pool's shape.
    pub kind: PoolKind,
    /// Weighted pools: the first asset's weight, a fraction.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<Decimal>,
    /// Concentrated pools: the range's lower bound, a multiple of the entry price.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lower: Option<Decimal>,
    /// Concentrated pools: the range's upper bound, a multiple of the entry price.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upper: Option<Decimal>,
    /// StableSwap pools: the amplification `A`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amplification: Option<Decimal>,
}

/// The JSON output of `yieldplan il`. Loss fields are fractions (−0.0572 = −5.72%).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IlReport {
    /// See [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The pool asked about.
    pub pool: PoolOut,
    /// End price of A in B over the entry price, when asked, exactly as given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ratio: Option<f64>,
    /// IL at `ratio`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impermanent_loss: Option<Rate>,
    /// Horizon of the expectation, in years.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub years: Option<Decimal>,
    /// Annual volatility of the price ratio used for the expectation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ratio_volatility: Option<Rate>,
    /// Expected IL over `years` (`E[r] = 1`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_impermanent_loss: Option<Rate>,
    /// Money in the position, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    /// `amount` × `impermanent_loss`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loss: Option<Money>,
    /// `amount` × `expected_impermanent_loss`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_loss: Option<Money>,
    /// Annual volatility of asset A, when two assets were given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volatility_a: Option<Rate>,
    /// Annual volatility of asset B, when two assets were given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volatility_b: Option<Rate>,
    /// Correlation of A and B, when two assets were given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correlation: Option<Decimal>,
}

/// A pool's shape and parameters, for JSON.
fn pool_out(pool: &Pool) -> PoolOut {
    let mut out = PoolOut {
        kind: PoolKind::ConstantProduct,
        weight: None,
        lower: None,
        upper: None,
        amplification: None,
    };
    match *pool {
        Pool::ConstantProduct => {}
        Pool::Weighted { weight } => {
            out.kind = PoolKind::Weighted;
            out.weight = Some(decimal(weight));
        }
        Pool::Concentrated { lower, upper } => {
            out.kind = PoolKind::Concentrated;
            out.lower = Some(decimal(lower));
            out.upper = Some(decimal(upper));
        }
        Pool::Stable { amplification } => {
            out.kind = PoolKind::Stable;
            out.amplification = Some(decimal(amplification));
        }
    }
    out
}

/// The shortest horizon of an expected loss, in years (about an hour).
pub const MIN_YEARS: f64 = 1e-4;

/// The longest horizon of an expected loss, in years.
pub const MAX_YEARS: f64 = 1000.0;

/// Answers an IL query.
///
/// # Errors
///
/// Any [`IlError`] of the pool, the ratio, the volatilities, the correlation
/// or the horizon; [`IlError::Volatility`] when only asset B's volatility is given.
pub fn il_report(q: &IlQuery) -> Result<IlReport, IlError> {
    q.pool.validate()?;
    let pool = pool_out(&q.pool);
    let il = q.ratio.map(|r| impermanent_loss(&q.pool, r)).transpose()?;
    let (sigma, two) = match (q.volatility, q.volatility_b) {
        (Some(a), Some(b)) => (Some(ratio_volatility(a, b, q.correlation)?), true),
        (Some(a), None) => (Some(ratio_volatility(a, 0.0, 0.0)?), false),
        (None, Some(b)) => return Err(IlError::Volatility(b)),
        (None, None) => (None, false),
    };
    // A horizon of no time asks nothing: the expected loss over it is 0 by
    // definition, so the question is refused rather than answered trivially;
    // the report states the horizon exactly, so it must be one a decimal
    // holds (not 1e-300, not 1e308).
    if sigma.is_some() && !(MIN_YEARS..=MAX_YEARS).contains(&q.years) {
        return Err(IlError::Years(q.years));
    }
    let expected = sigma
        .map(|s| expected_il(&q.pool, s, q.years))
        .transpose()?;
    // Every digit: JSON is never rounded; the table rounds to cents.
    let money = |x: f64| q.amount.map(|m| Money(m.0 * decimal(x)));
    Ok(IlReport {
        schema_version: SCHEMA_VERSION,
        pool,
        ratio: q.ratio,
        impermanent_loss: il.map(rate),
        years: sigma.map(|_| decimal(q.years)),
        ratio_volatility: sigma.map(rate),
        expected_impermanent_loss: expected.map(rate),
        amount: q.amount,
        loss: il.and_then(money),
        expected_loss: expected.and_then(money),
        volatility_a: if two { q.volatility.map(rate) } else { None },
        volatility_b: if two { q.volatility_b.map(rate) } else { None },
        correlation: if two {
            Some(decimal(q.correlation))
        } else {
            None
        },
    })
}
