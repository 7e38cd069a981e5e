//! A position's yield band: the profile's own, or the rate book's for its
//! asset, pair or strategy, with the staking provider's fee taken off and the
//! share paid in incentive tokens.
//!
//! Bands are fractions a year, taken as given; nothing is projected here.

use rust_decimal::Decimal;

use super::{Resolver, band_text, share};
use crate::error::Diagnostic;
use crate::model::{Band, Method, Position, Strategy};
use crate::money::Rate;
use crate::profile::{PositionSpec, Sp};
use crate::rates::AssetClass;

impl Resolver<'_> {
    /// Sets a position's yield band and source; with `reward`, the part paid in
    /// incentive tokens, which may not exceed the band (reported if it does).
    pub(super) fn set_yield(
        &mut self,
        pos: &mut Position,
        band: Band,
        source: String,
        reward: Option<Band>,
        p: &PositionSpec,
    ) -> Option<()> {
        pos.apy = band;
        pos.apy_source = source;
        if let Some(r) = reward {
            if r.mid > band.mid || r.low > band.low || r.high > band.high {
                self.reward_above_yield(band, r, p);
                return None;
            }
            pos.reward_share = share(r.mid, band.mid);
        }
        Some(())
    }

    /// Reports a `reward_apy` above the position's total yield.
    fn reward_above_yield(&mut self, band: Band, reward: Band, p: &PositionSpec) {
        let span = p
            .reward_apy
            .as_ref()
            .map_or(p.span.clone(), |s| s.span.clone());
        let total = match &p.apy {
            Some(_) => format!("its `apy` ({})", band_text(band)),
            None => format!("its yield from the rate book ({})", band_text(band)),
        };
        let mut d = Diagnostic::at(
            span,
            format!(
                "`reward_apy` ({}) of position {} is more than {total}",
                band_text(reward),
                p.number
            ),
        )
        .with_help(
            "`reward_apy` is the part of `apy` paid in incentive tokens; it cannot exceed `apy`",
        );
        if let Some(apy) = &p.apy {
            d = d.with_related(apy.span.clone(), "the total yield");
        }
        self.diags.push(d);
    }

    /// The rate book's staking or lending band for an asset, and its source;
    /// lending falls back on the book's band for stablecoins or volatile
    /// assets. Reports when there is none.
    pub(super) fn book_band(
        &mut self,
        strategy: Strategy,
        asset: &Sp<String>,
    ) -> Option<(Band, String)> {
        let view = self.assets.get(&asset.value)?;
        let found = match strategy {
            Strategy::Staking => view.staking.clone(),
            _ => view.lending.clone().or_else(|| {
                self.book
                    .class_lending_band(view.class)
                    .map(|b| (b.band(), format!("rate book: {}", b.source)))
            }),
        };
        if found.is_none() {
            self.error(
                asset.span.clone(),
                format!("the rate book has no {strategy} rate for `{}`", asset.value),
                format!(
                    "give the position an `apy`, or set {strategy}_apy under [assets.{}]",
                    asset.value
                ),
            );
        }
        found
    }

    /// What a staking or lending position earns by the rate book: the book's
    /// band, and for staking, after the provider's fee (the position's own
    /// fee, or its method's). Book bands are the network's rates; the route's
    /// provider keeps its fee: `apy × (1 − fee)`.
    pub(super) fn book_yield(
        &mut self,
        strategy: Strategy,
        asset: &Sp<String>,
        method: Option<Method>,
        own_fee: Option<Decimal>,
    ) -> Option<(Band, String)> {
        let (band, source) = self.book_band(strategy, asset)?;
        if strategy != Strategy::Staking {
            return Some((band, source));
        }
        let fee = self.fee_of(method, own_fee);
        Some((band.map(|r| Rate(r.0 * (Decimal::ONE - fee.0))), source))
    }

    /// The rate book's fee band for a pair (stable, major or exotic pairs by
    /// the assets' classes), and its source.
    pub(super) fn pair_band(&self, pair: &[String; 2]) -> (Band, String) {
        let class = |s: &String| self.assets.get(s).map_or(AssetClass::Alt, |a| a.class);
        let key = match (class(&pair[0]), class(&pair[1])) {
            (AssetClass::Stablecoin, AssetClass::Stablecoin) => "stable",
            (AssetClass::Alt, _) | (_, AssetClass::Alt) => "exotic",
            _ => "major",
        };
        match self.book.liquidity.get(key) {
            Some(e) => (e.band(), format!("rate book: {key} pairs: {}", e.source)),
            None => (Band::default(), format!("rate book has no {key} band")),
        }
    }
}
