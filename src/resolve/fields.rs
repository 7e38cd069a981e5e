//! Which fields a position may and must have for its strategy, and that the
//! assets it names are known.
//!
//! These checks only report problems; they fill in nothing.

use super::Resolver;
use crate::model::Strategy;
use crate::profile::{PositionSpec, Sp};

/// "a staking position", "an index position".
pub(super) fn a_or_an(strategy: Strategy) -> &'static str {
    match strategy {
        Strategy::Index => "an",
        _ => "a",
    }
}

impl Resolver<'_> {
    /// Checks that a field does not appear on a strategy it has no meaning for.
    pub(super) fn forbid<T>(
        &mut self,
        field: Option<&Sp<T>>,
        key: &str,
        p: &PositionSpec,
        strategy: Strategy,
    ) -> bool {
        if let Some(f) = field {
            self.error(
                f.span.clone(),
                format!(
                    "`{key}` does not apply to {} {strategy} position (position {})",
                    a_or_an(strategy),
                    p.number
                ),
                format!("remove `{key}`, or change the strategy"),
            );
            false
        } else {
            true
        }
    }

    /// The field a strategy needs, or a report that it is missing;
    /// `example` is the line to add.
    pub(super) fn require<'a, T>(
        &mut self,
        field: Option<&'a Sp<T>>,
        key: &str,
        p: &PositionSpec,
        strategy: Strategy,
        example: &str,
    ) -> Option<&'a Sp<T>> {
        // In a position with reported problems, a missing field may be one
        // that was written but could not be read: do not report it twice.
        if field.is_none() && !p.broken {
            self.error(
                p.span.clone(),
                format!(
                    "position {} is {} {strategy} position without `{key}`",
                    p.number,
                    a_or_an(strategy)
                ),
                format!("add {example}"),
            );
        }
        field
    }

    /// Whether every field the position gives has a meaning for its strategy
    /// (reporting each that has not), and its pool fields fit the pool kind.
    pub(super) fn fields_fit(&mut self, p: &PositionSpec, strategy: Strategy) -> bool {
        let mut ok = true;
        if strategy != Strategy::Staking {
            ok &= self.forbid(p.method.as_ref(), "method", p, strategy);
        }
        if strategy == Strategy::Liquidity {
            ok &= self.forbid(p.asset.as_ref(), "asset", p, strategy);
            ok &= self.liquidity_takes_no_apy(p);
        } else {
            ok &= self.forbid(p.pair.as_ref(), "pair", p, strategy);
            ok &= self.forbid(p.fee_apr.as_ref(), "fee_apr", p, strategy);
            ok &= self.forbid(p.pool.as_ref(), "pool", p, strategy);
            ok &= self.forbid(p.range.as_ref(), "range", p, strategy);
            ok &= self.forbid(p.weights.as_ref(), "weights", p, strategy);
            ok &= self.forbid(p.amplification.as_ref(), "amplification", p, strategy);
            ok &= self.forbid(p.ratio_volatility.as_ref(), "ratio_volatility", p, strategy);
            ok &= self.forbid(p.correlation.as_ref(), "correlation", p, strategy);
        }
        if strategy == Strategy::Index {
            ok &= self.forbid(p.apy.as_ref(), "apy", p, strategy);
            ok &= self.forbid(p.reward_apy.as_ref(), "reward_apy", p, strategy);
            ok &= self.forbid(p.asset.as_ref(), "asset", p, strategy);
        } else {
            ok &= self.forbid(p.index.as_ref(), "index", p, strategy);
        }
        if strategy == Strategy::Hold {
            ok &= self.forbid(p.reward_apy.as_ref(), "reward_apy", p, strategy);
        }
        if strategy == Strategy::Liquidity {
            ok &= self.pool_fields_fit(p);
        }
        ok
    }

    /// A liquidity position's yield is `fee_apr` (plus `reward_apy`): reports an `apy`.
    fn liquidity_takes_no_apy(&mut self, p: &PositionSpec) -> bool {
        let Some(apy) = &p.apy else {
            return true;
        };
        let help = if p.fee_apr.is_some() {
            "remove `apy`: a pool's yield is its `fee_apr` plus any `reward_apy`"
        } else {
            "rename `apy` to `fee_apr`"
        };
        self.error(
            apy.span.clone(),
            format!(
                "a liquidity position takes `fee_apr` (and `reward_apy`), not `apy` (position {})",
                p.number
            ),
            help,
        );
        false
    }

    /// Whether the position's `asset` and both symbols of its `pair` are
    /// known, reporting each that is not. A token the book lacks is planned
    /// on assumed figures when the position gives its own rate: an `apy`
    /// (staking, lending), a `fee_apr` (liquidity) or a `pool_id`; farming
    /// and holding need no rate of the token's own.
    pub(super) fn named_assets_known(&mut self, p: &PositionSpec) -> bool {
        let strategy = p.strategy.as_ref().map(|s| s.value);
        let (own_rate, needs) = match strategy {
            Some(Strategy::Liquidity) => {
                (p.fee_apr.is_some() || p.pool_id.is_some(), "a `fee_apr`")
            }
            Some(Strategy::Staking | Strategy::Lending) => {
                (p.apy.is_some() || p.pool_id.is_some(), "an `apy`")
            }
            Some(Strategy::Farming | Strategy::Hold) => (true, ""),
            Some(Strategy::Index) | None => (false, ""),
        };
        let mut ok = true;
        if let Some(asset) = &p.asset {
            ok &= self.known_asset(asset, own_rate, needs);
        }
        if let Some(pair) = &p.pair {
            for (sym, at) in pair.value.iter().zip(&p.pair_spans) {
                // A spec built by hand may not say where each symbol is.
                let at = if at.is_empty() { &pair.span } else { at };
                ok &= self.known_asset(&Sp::new(sym.clone(), at.clone()), own_rate, needs);
            }
        }
        ok
    }
}
