//! What is known about each asset: the rate book's entry with the profile's
//! `[assets]` overrides on top, whether a symbol is known, and the facts and
//! correlations the engine needs for every asset.
//!
//! Correlations come from the rate book as they are; nothing is estimated here.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::{Resolver, band_of};
use crate::error::shorten;
use crate::model::{AssetFacts, Band};
use crate::money::Rate;
use crate::profile::{AssetSpec, ProfileSpec, Sp};
use crate::rates::{AssetClass, AssetEntry};

/// What is known about one asset after the profile's overrides.
#[derive(Clone, Debug)]
pub(super) struct AssetView {
    /// Stablecoin, major or alt: picks default bands and correlations.
    pub(super) class: AssetClass,
    /// Staking yield band (fractions a year) and its source.
    pub(super) staking: Option<(Band, String)>,
    /// Lending yield band (fractions a year) and its source.
    pub(super) lending: Option<(Band, String)>,
    /// Annual price volatility (a fraction) and its source.
    pub(super) volatility: Option<(Decimal, String)>,
    /// The chain the asset is native to.
    pub(super) chain: Option<String>,
    /// The exposure group it counts towards (its own symbol when none).
    pub(super) group: Option<String>,
    /// The asset whose price it follows (a wrapped or staked form's base).
    pub(super) underlying: Option<String>,
    /// The protocol that issues it (a liquid-staking or wrapped token).
    pub(super) protocol: Option<String>,
    /// The network's yearly supply inflation (a fraction).
    pub(super) inflation: Option<Decimal>,
    /// Days to unbond a stake.
    pub(super) unbonding_days: Option<u32>,
    /// Expected yearly loss to slashing (a fraction of the stake).
    pub(super) slashing: Decimal,
    /// Expected yearly price change (a fraction).
    pub(super) expected_return: Decimal,
}

impl AssetView {
    /// The view of an asset as the rate book has it.
    fn from_book(a: &AssetEntry) -> AssetView {
        AssetView {
            class: a.class,
            staking: a
                .staking
                .as_ref()
                .map(|b| (b.band(), format!("rate book: {}", b.source))),
            lending: a
                .lending
                .as_ref()
                .map(|b| (b.band(), format!("rate book: {}", b.source))),
            volatility: a
                .volatility
                .as_ref()
                .map(|f| (f.value.0, format!("rate book: {}", f.source))),
            chain: a.chain.clone(),
            group: a.group.clone(),
            underlying: a.underlying.clone(),
            protocol: a.protocol.clone(),
            inflation: a.inflation.as_ref().map(|f| f.value.0),
            unbonding_days: a.unbonding_days.as_ref().map(|d| d.value),
            slashing: a.slashing.as_ref().map_or(Decimal::ZERO, |f| f.value.0),
            expected_return: a
                .expected_return
                .as_ref()
                .map_or(Decimal::ZERO, |f| f.value.0),
        }
    }

    /// The view of an asset the rate book lacks, before the profile's figures.
    fn unknown() -> AssetView {
        AssetView {
            class: AssetClass::Alt,
            staking: None,
            lending: None,
            volatility: None,
            chain: None,
            group: None,
            underlying: None,
            protocol: None,
            inflation: None,
            unbonding_days: None,
            slashing: Decimal::ZERO,
            expected_return: Decimal::ZERO,
        }
    }

    /// The view of a token the rate book lacks, planned on the book's
    /// assumptions for unknown tokens: not a stablecoin, the assumed
    /// volatility, the default correlation.
    fn assumed(book: &crate::rates::RateBook) -> AssetView {
        AssetView {
            volatility: book.unknown_asset.as_ref().map(|u| {
                (
                    u.volatility.value.0,
                    format!("rate book: unknown tokens: {}", u.volatility.source),
                )
            }),
            ..AssetView::unknown()
        }
    }

    /// Lays the profile's `[assets.SYMBOL]` figures over this view.
    fn override_with(&mut self, a: &AssetSpec) {
        let symbol = &a.symbol.value;
        if let Some(r) = a.expected_return {
            self.expected_return = r;
        }
        if let Some(i) = a.inflation {
            self.inflation = Some(i);
        }
        if let Some(d) = a.unbonding_days {
            self.unbonding_days = Some(d);
        }
        if let Some(v) = a.volatility {
            self.volatility = Some((v, format!("profile: [assets.{symbol}] volatility")));
        }
        if let Some(stable) = a.stablecoin {
            if stable {
                self.class = AssetClass::Stablecoin;
            } else if self.class == AssetClass::Stablecoin {
                self.class = AssetClass::Alt;
            }
        }
        if let Some(b) = a.staking_apy {
            self.staking = Some((
                band_of(b),
                format!("profile: [assets.{symbol}] staking_apy"),
            ));
        }
        if let Some(b) = a.lending_apy {
            self.lending = Some((
                band_of(b),
                format!("profile: [assets.{symbol}] lending_apy"),
            ));
        }
    }
}

impl Resolver<'_> {
    /// Book assets, with the profile's declarations and overrides on top.
    pub(super) fn assets(&mut self, spec: &ProfileSpec) {
        for (symbol, a) in &self.book.assets {
            self.insert_asset(symbol.clone(), AssetView::from_book(a));
        }
        let mut seen = std::collections::HashMap::new();
        // In file order, so the first spelling named is the first written.
        let mut in_order: Vec<_> = spec.assets.iter().collect();
        in_order.sort_by_key(|a| a.symbol.span.start);
        for a in in_order {
            // `[assets.weth]` overrides the book's ETH: one name per asset.
            let symbol = self.asset_id(&a.symbol.value);
            if !self.first_naming(
                &mut seen,
                &symbol,
                &a.symbol.value,
                &a.symbol.span,
                ("[assets]", "asset"),
            ) {
                continue;
            }
            if !self.assets.contains_key(&symbol) {
                self.insert_asset(symbol.clone(), AssetView::unknown());
            }
            if let Some(view) = self.assets.get_mut(&symbol) {
                view.override_with(a);
            }
        }
    }

    /// Adds an asset's view under `symbol`, keeping the lower-case index.
    pub(super) fn insert_asset(&mut self, symbol: String, view: AssetView) {
        let spellings = self.by_lowercase.entry(symbol.to_lowercase()).or_default();
        if !spellings.contains(&symbol) {
            spellings.push(symbol.clone());
        }
        self.assets.insert(symbol, view);
    }

    /// Whether `symbol` is a known asset. A token the book lacks is taken on
    /// the book's assumptions when the position gives its own rate
    /// (`own_rate`; an `assumed-asset` note says so); otherwise it is
    /// reported, with `needs` (what the position should add, e.g. "an
    /// `apy`") as the way to plan it anyway.
    pub(super) fn known_asset(&mut self, symbol: &Sp<String>, own_rate: bool, needs: &str) -> bool {
        if self.assets.contains_key(&symbol.value) {
            return true;
        }
        let shown = shorten(&symbol.value);
        if own_rate && self.book.unknown_asset.is_some() {
            let view = AssetView::assumed(self.book);
            let volatility = view.volatility.as_ref().map_or(Decimal::ZERO, |v| v.0);
            self.insert_asset(symbol.value.clone(), view);
            let rho = self
                .book
                .correlations
                .get(crate::rates::DEFAULT_CORRELATION)
                .map_or(0.0, |c| c.value);
            self.notes.push(crate::model::Note {
                lint: crate::model::Lint::AssumedAsset,
                position: None,
                message: format!(
                    "`{shown}` is not in the rate book: it is planned as a crypto token (not a stablecoin) with the book's assumed volatility of {} a year and correlation {rho} with other crypto assets; declare [assets.{shown}] with `volatility` (and `stablecoin = true` for a stablecoin) to use your own figures",
                    super::percent(volatility)
                ),
            });
            return true;
        }
        let nearest = crate::error::nearest(&symbol.value, self.assets.keys().map(String::as_str));
        let way = if needs.is_empty() {
            format!("declare it under [assets.{shown}]")
        } else {
            format!(
                "give the position {needs} (the token is then planned on assumed figures), or declare it under [assets.{shown}]"
            )
        };
        let help = match nearest {
            Some(n) => format!("did you mean `{n}`? To plan a token the rate book lacks, {way}"),
            None => way,
        };
        self.error(
            symbol.span.clone(),
            format!("unknown asset `{shown}`: it is not in the rate book"),
            help,
        );
        false
    }

    /// Whether `symbol` is a known stablecoin.
    pub(super) fn is_stablecoin(&self, symbol: &str) -> bool {
        self.assets
            .get(symbol)
            .is_some_and(|a| a.class == AssetClass::Stablecoin)
    }

    /// The facts the engine needs about every known asset.
    pub(super) fn asset_facts(&self) -> BTreeMap<String, AssetFacts> {
        self.assets
            .iter()
            .map(|(s, v)| {
                (
                    s.clone(),
                    AssetFacts {
                        stablecoin: v.class == AssetClass::Stablecoin,
                        median_growth: Rate(v.expected_return),
                        volatility: v.volatility.as_ref().map(|(d, _)| Rate(*d)),
                        slashing: Rate(v.slashing),
                    },
                )
            })
            .collect()
    }

    /// The correlation of every pair of the assets positions hold (`held`),
    /// for simulation: an asset only declared has no entry, so the map grows
    /// with the held assets, not with every declaration.
    pub(super) fn pair_correlations(
        &self,
        held: &std::collections::BTreeSet<&str>,
    ) -> BTreeMap<(String, String), f64> {
        let mut out = BTreeMap::new();
        let symbols: Vec<(&String, AssetClass)> = self
            .assets
            .iter()
            .filter(|(s, _)| held.contains(s.as_str()))
            .map(|(s, v)| (s, v.class))
            .collect();
        for (i, (a, ca)) in symbols.iter().enumerate() {
            for (b, cb) in &symbols[i + 1..] {
                out.insert(
                    ((*a).clone(), (*b).clone()),
                    self.book.correlation(a, b, *ca, *cb).0,
                );
            }
        }
        out
    }

    /// Each asset's correlation with BTC, the market the crash shock starts from.
    pub(super) fn market_correlations(&self) -> BTreeMap<String, f64> {
        let btc = self
            .assets
            .get("BTC")
            .map_or(AssetClass::Major, |b| b.class);
        self.assets
            .iter()
            .map(|(s, v)| {
                let rho = if s == "BTC" {
                    1.0
                } else {
                    self.book.correlation(s, "BTC", v.class, btc).0
                };
                (s.clone(), rho)
            })
            .collect()
    }
}
