//! Liquidity pools: the pool kind and parameters of a liquidity position, the
//! volatility of a pair's price ratio, and positions that take their yield,
//! assets, chain and protocol from a snapshot pool (`pool_id`).
//!
//! The impermanent loss itself is the engine's: here a pool is only described.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::{Resolver, percent};
use crate::error::shorten;
use crate::model::{Pool, PoolKind, Strategy};
use crate::money::Rate;
use crate::profile::{BandSpec, PositionSpec, Sp, Span};
use crate::rates::{AssetClass, PoolEntry};

/// A value from a snapshot pool, placed at the position's `pool_id`.
fn at<T>(v: T, id: &Sp<String>) -> Sp<T> {
    Sp::new(v, id.span.clone())
}

/// A decimal as `f64` for the pool maths (0 if it does not fit).
fn float(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

impl Resolver<'_> {
    /// The asset a snapshot token stands for: a known asset through the
    /// book's aliases and case (`WETH` is ETH), else the token itself in
    /// upper case (planned on assumed figures, since a pool gives its rate).
    fn token_asset(&self, token: &str) -> Option<String> {
        let t = token.trim();
        if t.is_empty() {
            return None;
        }
        let id = self.asset_id(t);
        if self.assets.contains_key(&id) {
            Some(id)
        } else {
            Some(t.to_uppercase())
        }
    }

    /// The snapshot or rate-book entry of pool `id`, or a report that there is none.
    pub(super) fn pool_entry(&mut self, id: &Sp<String>) -> Option<PoolEntry> {
        if let Some(entry) = self.book.pools.get(&id.value) {
            return Some(entry.clone());
        }
        if let Some(reason) = self.book.skipped_pools.get(&id.value) {
            self.error(
                id.span.clone(),
                format!(
                    "pool `{}` is in the pools snapshot, but it was skipped: {reason}",
                    shorten(&id.value)
                ),
                "choose another pool, or remove `pool_id` and give the position its own rate",
            );
            return None;
        }
        let help = if self.book.pools.is_empty() {
            "give the snapshot it comes from with `--pools FILE` or `[rates] pools = \"FILE\"`, or import it into a rate book".to_string()
        } else {
            format!(
                "check the id: the snapshot and rate book hold {} pools, none with this id",
                self.book.pools.len()
            )
        };
        self.error(
            id.span.clone(),
            format!(
                "pool `{}` is not in the pools snapshot or the rate book",
                shorten(&id.value)
            ),
            help,
        );
        None
    }

    /// A position spec with the yield, assets, chain and protocol of its pool
    /// filled in where the profile leaves them out.
    pub(super) fn fill_from_pool(
        &mut self,
        p: &PositionSpec,
        id: &Sp<String>,
    ) -> Option<PositionSpec> {
        let entry = self.pool_entry(id)?;
        let strategy = p.strategy.as_ref()?.value;
        if !self.pool_id_fits(p, id, strategy) {
            return None;
        }
        let mut out = p.clone();
        let rs = entry.reward_share.0;
        let scaled = |k: Decimal| BandSpec {
            low: entry.low.0 * k,
            mid: Some(entry.mid.0 * k),
            high: entry.high.0 * k,
        };
        if strategy == Strategy::Liquidity {
            out.fee_apr = Some(at(scaled(Decimal::ONE - rs), id));
            if out.pair.is_none() {
                let pair = self.pool_pair(&entry, id)?;
                out.pair = Some(at(pair, id));
                out.pair_spans = [id.span.clone(), id.span.clone()];
            }
        } else {
            out.apy = Some(at(scaled(Decimal::ONE), id));
            if out.asset.is_none() && strategy != Strategy::Farming {
                out.asset = Some(at(self.pool_asset(&entry, id)?, id));
            }
        }
        if rs > Decimal::ZERO {
            out.reward_apy = Some(at(scaled(rs), id));
        }
        if out.chain.is_none() && !entry.chain.is_empty() {
            out.chain = Some(at(entry.chain.clone(), id));
        }
        if out.protocol.is_none() && !entry.project.is_empty() {
            out.protocol = Some(at(entry.project.clone(), id));
        }
        Some(out)
    }

    /// Whether a position may take its yield from a pool: it gives no yield of
    /// its own and its strategy earns one. Reports each conflict.
    fn pool_id_fits(&mut self, p: &PositionSpec, id: &Sp<String>, strategy: Strategy) -> bool {
        let mut ok = true;
        for (given, key) in [
            (&p.apy, "apy"),
            (&p.fee_apr, "fee_apr"),
            (&p.reward_apy, "reward_apy"),
        ] {
            if let Some(g) = given {
                self.error(
                    g.span.clone(),
                    format!("position {} takes its yield from pool `{}`, so `{key}` cannot be given too", p.number, shorten(&id.value)),
                    format!("remove `{key}`, or remove `pool_id` to set the yield yourself"),
                );
                ok = false;
            }
        }
        if matches!(strategy, Strategy::Hold | Strategy::Index) {
            self.error(
                id.span.clone(),
                format!(
                    "`pool_id` does not apply to a {strategy} position (position {})",
                    p.number
                ),
                "remove `pool_id`",
            );
            ok = false;
        }
        ok
    }

    /// The tokens of a snapshot pool (`WETH-USDC`), as known assets where they are.
    fn pool_tokens(&self, entry: &PoolEntry) -> Vec<Option<String>> {
        entry
            .symbol
            .split('-')
            .map(|t| self.token_asset(t))
            .collect()
    }

    /// The two distinct known assets a snapshot pool trades, or a report.
    fn pool_pair(&mut self, entry: &PoolEntry, id: &Sp<String>) -> Option<[String; 2]> {
        if let [Some(a), Some(b)] = self.pool_tokens(entry).as_slice() {
            if a != b {
                return Some([a.clone(), b.clone()]);
            }
        }
        self.error(
            id.span.clone(),
            format!(
                "pool `{}` ({}) does not hold exactly two different tokens",
                shorten(&id.value),
                entry.symbol
            ),
            "give the pair yourself: pair = [\"ETH\", \"USDC\"]",
        );
        None
    }

    /// The one known asset a single-asset snapshot pool holds, or a report.
    fn pool_asset(&mut self, entry: &PoolEntry, id: &Sp<String>) -> Option<String> {
        if let [Some(a)] = self.pool_tokens(entry).as_slice() {
            return Some(a.clone());
        }
        self.error(
            id.span.clone(),
            format!(
                "pool `{}` ({}) does not hold exactly one token",
                shorten(&id.value),
                entry.symbol
            ),
            "give the asset yourself: asset = \"USDC\"",
        );
        None
    }

    /// Whether the pool parameters match the pool kind, reporting each that
    /// does not (a parameter of another kind, or one the kind needs).
    pub(super) fn pool_fields_fit(&mut self, p: &PositionSpec) -> bool {
        let mut ok = true;
        if !p.broken {
            ok &= self.pool_field_fits(
                p,
                p.range.as_ref().map(|r| r.span.clone()),
                PoolKind::Concentrated,
                "range",
                "range = { lower = 0.8, upper = 1.25 }",
            );
            ok &= self.pool_field_fits(
                p,
                p.weights.as_ref().map(|r| r.span.clone()),
                PoolKind::Weighted,
                "weights",
                "weights = [\"80%\", \"20%\"]",
            );
            ok &= self.pool_field_fits(
                p,
                p.amplification.as_ref().map(|r| r.span.clone()),
                PoolKind::Stable,
                "amplification",
                "",
            );
        }
        if p.ratio_volatility.is_some() && p.correlation.is_some() {
            let span = p
                .correlation
                .as_ref()
                .map_or(p.span.clone(), |c| c.span.clone());
            self.error(
                span,
                format!(
                    "position {} gives both `ratio_volatility` and `correlation`",
                    p.number
                ),
                "`correlation` only serves to compute the ratio volatility; keep one of the two",
            );
            ok = false;
        }
        ok
    }

    /// Whether the pool field `key` (at `given`, when the position has it) is
    /// there exactly when the pool is of kind `wanted`. `example` is the line
    /// to add when the kind needs the field; empty when it has a default.
    fn pool_field_fits(
        &mut self,
        p: &PositionSpec,
        given: Option<Span>,
        wanted: PoolKind,
        key: &str,
        example: &str,
    ) -> bool {
        let name = PoolKind::NAMES[wanted as usize];
        let kind = p.pool.as_ref().map(|k| k.value);
        match (given, kind == Some(wanted)) {
            (Some(span), false) => {
                self.error(
                    span,
                    format!("`{key}` needs pool = \"{name}\" (position {})", p.number),
                    format!("set pool = \"{name}\", or remove `{key}`"),
                );
                false
            }
            (None, true) if !example.is_empty() => {
                self.error(
                    p.pool.as_ref().map_or(p.span.clone(), |k| k.span.clone()),
                    format!("a {name} pool needs `{key}` (position {})", p.number),
                    format!("add {example}"),
                );
                false
            }
            _ => true,
        }
    }

    /// The pool a pair trades in when the profile does not say: `StableSwap` for
    /// two stablecoins, constant product otherwise.
    pub(super) fn default_pool(&self, pair: &[String; 2]) -> Pool {
        if pair.iter().all(|s| self.is_stablecoin(s)) {
            Pool::Stable {
                amplification: crate::model::DEFAULT_AMPLIFICATION,
            }
        } else {
            Pool::ConstantProduct
        }
    }

    /// The pool a liquidity position names, with its parameters; the default
    /// pool for the pair when it names none.
    pub(super) fn pool_of(&self, p: &PositionSpec, pair: &[String; 2]) -> Pool {
        match p.pool.as_ref().map(|k| k.value) {
            None => self.default_pool(pair),
            Some(PoolKind::ConstantProduct) => Pool::ConstantProduct,
            Some(PoolKind::Weighted) => Pool::Weighted {
                weight: p.weights.as_ref().map_or(0.5, |w| float(w.value[0])),
            },
            Some(PoolKind::Concentrated) => match &p.range {
                Some(r) => Pool::Concentrated {
                    lower: float(r.value.lower),
                    upper: float(r.value.upper),
                },
                None => Pool::ConstantProduct,
            },
            Some(PoolKind::Stable) => Pool::Stable {
                amplification: p
                    .amplification
                    .as_ref()
                    .map_or(crate::model::DEFAULT_AMPLIFICATION, |a| float(a.value)),
            },
        }
    }

    /// An asset's annual volatility (a fraction), its source and class, or a
    /// report at `at` that the book has none.
    fn volatility_of(&mut self, sym: &str, at: &Span) -> Option<(Decimal, String, AssetClass)> {
        let view = self.assets.get(sym)?;
        if let Some((v, src)) = &view.volatility {
            return Some((*v, src.clone(), view.class));
        }
        self.error(
            at.clone(),
            format!("the rate book has no volatility for `{sym}`, needed for the impermanent loss of this pair"),
            format!("set volatility under [assets.{sym}], or ratio_volatility on the position"),
        );
        None
    }

    /// The annual volatility of a pair's price ratio (a fraction) and its
    /// source: the position's override, or from the two assets' volatilities
    /// and their correlation, `sqrt(σa² + σb² − 2ρσaσb)` (see the engine's
    /// impermanent-loss module).
    pub(super) fn pair_volatility(
        &mut self,
        pair: &Sp<[String; 2]>,
        p: &PositionSpec,
    ) -> Option<(Rate, String)> {
        let own = p
            .strategy
            .as_ref()
            .is_some_and(|s| s.value == Strategy::Liquidity);
        if let (true, Some(v)) = (own, &p.ratio_volatility) {
            return Some((Rate(v.value), "profile: ratio_volatility".into()));
        }
        let [a, b] = &pair.value;
        let (sa, src_a, class_a) = self.volatility_of(a, &pair.span)?;
        let (sb, src_b, class_b) = self.volatility_of(b, &pair.span)?;
        let (rho, rho_source) = match p.correlation.as_ref().filter(|_| own) {
            Some(c) => (float(c.value), "profile: correlation".to_string()),
            None => self.book.correlation(a, b, class_a, class_b),
        };
        let ratio = crate::model::pair_ratio_volatility(float(sa), float(sb), rho);
        let value = crate::money::decimal_from_f64(ratio).unwrap_or_default();
        Some((
            Rate(value),
            format!(
                "{a} {} ({src_a}), {b} {} ({src_b}), correlation {rho} ({rho_source})",
                percent(sa),
                percent(sb)
            ),
        ))
    }
}
