//! What `optimize` may choose: the strategy bounds a profile asks for
//! (`[optimize]`), resolved into fractions. Vocabulary only: the linear
//! program that uses them is `engine::optimize`'s.

use serde::Serialize;

use super::Strategy;
use crate::money::Rate;

crate::names::closed_set! {
    /// A shipped set of strategy bounds for `[optimize] template`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
    #[serde(rename_all = "kebab-case")]
    pub enum Template {
        /// The seed's income template: staking 40–50%, lending 30–40%,
        /// liquidity 10–20%, farming 0–10%.
        Income = "income",
    }
}

impl Template {
    /// The template's bounds per strategy, as fractions of the portfolio.
    #[must_use]
    pub fn bounds(self) -> Vec<StrategyBound> {
        let pct = |x: i64| Rate(rust_decimal::Decimal::new(x, 2));
        match self {
            Template::Income => vec![
                StrategyBound::new(Strategy::Staking, pct(40), pct(50)),
                StrategyBound::new(Strategy::Lending, pct(30), pct(40)),
                StrategyBound::new(Strategy::Liquidity, pct(10), pct(20)),
                StrategyBound::new(Strategy::Farming, pct(0), pct(10)),
            ],
        }
    }
}

/// The least and most of the portfolio one strategy may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct StrategyBound {
    /// The strategy (an index position counts under its components').
    pub strategy: Strategy,
    /// The least share of the portfolio, a fraction.
    pub min: Rate,
    /// The most share of the portfolio, a fraction.
    pub max: Rate,
}

impl StrategyBound {
    /// Bounds `min`..=`max` (fractions) on `strategy`.
    #[must_use]
    pub fn new(strategy: Strategy, min: Rate, max: Rate) -> StrategyBound {
        StrategyBound { strategy, min, max }
    }
}

/// The strategy bounds of a profile: its template's, with any
/// `[optimize.bounds]` entry replacing the template's for that strategy.
#[must_use]
pub fn strategy_bounds(template: Option<Template>, own: &[StrategyBound]) -> Vec<StrategyBound> {
    let mut out: Vec<StrategyBound> = template.map(Template::bounds).unwrap_or_default();
    for b in own {
        match out.iter_mut().find(|x| x.strategy == b.strategy) {
            Some(slot) => *slot = *b,
            None => out.push(*b),
        }
    }
    out
}

/// One weight `optimize` decides (or keeps): a position as the profile
/// writes it, with the resolved positions it stands for.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    /// The position's name (an index position's own name, not its components').
    pub name: String,
    /// The weight the profile gives it now, a fraction; `None` for a range
    /// or "rest".
    pub current: Option<Rate>,
    /// The least weight it may take, a fraction.
    pub min: Rate,
    /// The most weight it may take, a fraction (equal to `min` when fixed).
    pub max: Rate,
    /// The resolved positions it holds (indexes into `Portfolio::positions`),
    /// each with its share of this choice's weight (fractions adding up to 1;
    /// one member at 1 unless it is an index position).
    pub members: Vec<(usize, Rate)>,
    /// It takes "rest" in the profile (it stays "rest" in a written profile).
    pub rest: bool,
    /// It is sized by `amount` (fixed; its weight is the amount over the value).
    pub amount: bool,
}

impl Choice {
    /// True when the weight is not the optimizer's to change.
    #[must_use]
    pub fn fixed(&self) -> bool {
        self.min == self.max
    }
}

/// Everything `optimize` may choose in a profile.
#[derive(Clone, Debug, PartialEq)]
pub struct Choices {
    /// One per profile position, in profile order.
    pub positions: Vec<Choice>,
    /// Strategy bounds, from `[optimize]`.
    pub strategy_bounds: Vec<StrategyBound>,
    /// True when no position wrote a range, so every `weight` was freed
    /// (0% to 100%) rather than kept.
    pub all_free: bool,
}

/// How a chosen weight is written back into a profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sizing {
    /// As the profile writes it (a fixed weight or an amount).
    Keep,
    /// This weight, a fraction above 0.
    Weight(rust_decimal::Decimal),
    /// `weight = "rest"`: what the others leave.
    Rest,
    /// Nothing: the position is left out (a profile cannot hold a 0% weight).
    Zero,
}
