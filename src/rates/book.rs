//! The rate book as a whole: the embedded default, reading a user's file,
//! merging one book into another, and the look-ups the planner asks of it
//! (correlations, a class's lending band, the nearest known name).
//!
//! It only answers from what the book holds; it computes no plan and does not
//! judge a book's consistency (that is `checks.rs`).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::entries::{
    AssetClass, AssetEntry, BandEntry, CorrelationEntry, FarmingEntry, IndexTemplate, MethodEntry,
    PoolEntry, ProtocolEntry, TierEntry, UnknownAssetEntry,
};
use super::names::{Aliases, unique_case_match, unversioned};
use super::{DEFAULT_CORRELATION, STABLECOIN_CORRELATION, STABLECOIN_LENDING, VOLATILE_LENDING};
use crate::error::{Diagnostic, Diagnostics, nearest};

/// The embedded default book, as written.
pub const DEFAULT_BOOK: &str = include_str!("default.toml");

/// The same book converted to JSON at build time (faster to read at start-up).
const DEFAULT_BOOK_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/default_book.json"));

/// A rate book as stored in TOML.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateBook {
    /// The date the figures were taken, as written (e.g. `2026-11-27`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// In a `--rates` file: replace the default book instead of extending it.
    #[serde(default, skip_serializing)]
    pub replace: bool,
    /// Assets by symbol.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub assets: BTreeMap<String, AssetEntry>,
    /// Lending bands by class: `stablecoin` and `volatile`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub lending: BTreeMap<String, BandEntry>,
    /// Liquidity-pool bands by pair class: `stable`, `major` and `exotic`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub liquidity: BTreeMap<String, BandEntry>,
    /// Farming defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub farming: Option<FarmingEntry>,
    /// Shipped index templates by id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub index: BTreeMap<String, IndexTemplate>,
    /// Correlations of asset prices: `"A/B"` pairs, plus `default` (crypto
    /// pairs not listed) and `stablecoins` (two stablecoins).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub correlations: BTreeMap<String, CorrelationEntry>,
    /// Provider fees of the staking routes: direct, delegated, liquid.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub staking_methods: BTreeMap<String, MethodEntry>,
    /// Protocol risk tiers by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub risk_tiers: BTreeMap<String, TierEntry>,
    /// Known protocols and their tiers.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub protocols: BTreeMap<String, ProtocolEntry>,
    /// Yield bands of individual pools by id (from `yieldplan rates import`
    /// or a `--pools` snapshot), for positions with a `pool_id`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pools: BTreeMap<String, PoolEntry>,
    /// Other names of the book's assets, chains and protocols.
    #[serde(default, skip_serializing_if = "Aliases::is_empty")]
    pub aliases: Aliases,
    /// What is assumed of an asset the book lacks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unknown_asset: Option<UnknownAssetEntry>,
    /// Pools a snapshot lists but that could not be read into the book, by
    /// id, with the reason (never written: a position naming one is told why).
    #[serde(skip)]
    pub skipped_pools: BTreeMap<String, String>,
}

impl RateBook {
    /// The embedded default book.
    ///
    /// # Panics
    ///
    /// Never in a correct build: the embedded book is checked by the test suite.
    #[must_use]
    pub fn default_book() -> RateBook {
        // The default book is checked by the test suite; failing here is a build bug.
        serde_json::from_str(DEFAULT_BOOK_JSON)
            .unwrap_or_else(|e| panic!("embedded rate book is invalid: {e}"))
    }

    /// Entries of `other` replace entries of the same name here.
    pub fn merge(&mut self, other: RateBook) {
        if other.as_of.is_some() {
            self.as_of = other.as_of;
        }
        self.assets.extend(other.assets);
        self.lending.extend(other.lending);
        self.liquidity.extend(other.liquidity);
        if other.farming.is_some() {
            self.farming = other.farming;
        }
        self.index.extend(other.index);
        self.correlations.extend(other.correlations);
        self.staking_methods.extend(other.staking_methods);
        self.risk_tiers.extend(other.risk_tiers);
        self.protocols.extend(other.protocols);
        self.pools.extend(other.pools);
        self.aliases.extend(other.aliases);
        if other.unknown_asset.is_some() {
            self.unknown_asset = other.unknown_asset;
        }
        self.skipped_pools.extend(other.skipped_pools);
    }

    /// The correlation of two assets' prices (from -1 to 1) and where it
    /// comes from. A stablecoin against a non-stablecoin is taken as
    /// uncorrelated; a pair the book does not list is looked up by the
    /// assets' underlying assets (`STETH/BTC` as `ETH/BTC`; a token and its
    /// own underlying are perfectly correlated unless the book says otherwise).
    #[must_use]
    pub fn correlation(
        &self,
        a: &str,
        b: &str,
        a_class: AssetClass,
        b_class: AssetClass,
    ) -> (f64, String) {
        use AssetClass::Stablecoin;
        let entry = |key: &str| {
            self.correlations
                .get(key)
                .map(|c| (c.value, c.source.clone()))
        };
        match (a_class == Stablecoin, b_class == Stablecoin) {
            (true, true) => entry(STABLECOIN_CORRELATION)
                .unwrap_or((0.0, "assumption: stablecoins move independently".into())),
            (true, false) | (false, true) => (
                0.0,
                "a stablecoin does not move with crypto prices (assumption)".into(),
            ),
            (false, false) => {
                let pair = |x: &str, y: &str| {
                    entry(&format!("{x}/{y}")).or_else(|| entry(&format!("{y}/{x}")))
                };
                let (ua, ub) = (self.underlying(a), self.underlying(b));
                pair(a, b)
                    .or_else(|| {
                        (ua == ub)
                            .then(|| (1.0, format!("{a} and {b} follow the same asset, {ua}")))
                    })
                    .or_else(|| pair(ua, ub))
                    .or_else(|| entry(DEFAULT_CORRELATION))
                    .unwrap_or((0.0, "no correlation in the rate book".into()))
            }
        }
    }

    /// The lending band of an asset class: `[lending.stablecoin]` for
    /// stablecoins, `[lending.volatile]` for every other class. It is the
    /// band of an asset that has no `lending` band of its own.
    #[must_use]
    pub fn class_lending_band(&self, class: AssetClass) -> Option<&BandEntry> {
        let key = if class == AssetClass::Stablecoin {
            STABLECOIN_LENDING
        } else {
            VOLATILE_LENDING
        };
        self.lending.get(key)
    }

    /// The nearest known index id to a misspelt one.
    #[must_use]
    pub fn nearest_index(&self, id: &str) -> Option<&str> {
        nearest(id, self.index.keys().map(String::as_str))
    }

    /// The nearest known asset symbol to a misspelt one.
    #[must_use]
    pub fn nearest_asset(&self, symbol: &str) -> Option<&str> {
        nearest(symbol, self.assets.keys().map(String::as_str))
    }
}

/// Parses one rate-book file, reporting TOML and shape errors with their place.
///
/// # Errors
///
/// The first TOML syntax or shape error (unknown field, bad rate, ...), at
/// its place in `text`.
pub fn parse_book(path: &Path, text: &str) -> Result<RateBook, Diagnostics> {
    if let Some(d) = crate::toml_budget::over_budget(text, "rate book")
        .or_else(|| crate::toml_budget::lone_carriage_return(text, "rate book"))
    {
        return Err(Diagnostics::new(path, text, "rate book", vec![d]));
    }
    toml::from_str::<RateBook>(text).map_err(|e| {
        Diagnostics::new(
            path,
            text,
            "rate book",
            vec![
                Diagnostic::new(e.span(), e.message().trim_end().to_string())
                    .with_help("see src/rates/default.toml for the format"),
            ],
        )
    })
}

impl RateBook {
    /// The book's chain id for a chain as written (see [`Aliases::chain`]).
    #[must_use]
    pub fn canonical_chain(&self, name: &str) -> String {
        self.aliases.chain(name)
    }

    /// The chains the book knows, by id: its assets' native chains, what its
    /// chain aliases name, and the chains its pools (a `DefiLlama` snapshot's)
    /// are on. A chain outside them is one no one declared: a typo, or a
    /// chain to add through `[aliases.chains]`.
    #[must_use]
    pub fn chains(&self) -> std::collections::BTreeSet<String> {
        // Distinct spellings first: a whole snapshot has thousands of pools
        // on a few hundred chains.
        let written: std::collections::BTreeSet<&str> = self
            .assets
            .values()
            .filter_map(|a| a.chain.as_deref())
            .chain(self.aliases.chains.values().map(String::as_str))
            .chain(self.pools.values().map(|p| p.chain.as_str()))
            .filter(|c| !c.trim().is_empty())
            .collect();
        written
            .into_iter()
            .map(|c| self.canonical_chain(c))
            .collect()
    }

    /// The book's protocol id for a protocol as written: its alias, else the
    /// name in lower case, else (for an unknown `NAME-vN`) `NAME` when the
    /// book knows it.
    #[must_use]
    pub fn canonical_protocol(&self, name: &str) -> String {
        let id = self.aliases.protocol(name);
        if self.protocols.contains_key(&id) {
            return id;
        }
        let base = unversioned(&id);
        if self.protocols.contains_key(base) {
            return base.to_string();
        }
        id
    }

    /// The book's symbol for an asset as written: the symbol itself, its
    /// alias, or the one book symbol equal to it in any case. `None` when the
    /// book has no such asset.
    #[must_use]
    pub fn canonical_asset(&self, symbol: &str) -> Option<String> {
        let symbol = symbol.trim();
        if self.assets.contains_key(symbol) {
            return Some(symbol.to_string());
        }
        self.aliases
            .asset(symbol)
            .or_else(|| unique_case_match(symbol, self.assets.keys()))
    }

    /// The asset whose price an asset follows: its `underlying` (`STETH` →
    /// `ETH`), else itself.
    #[must_use]
    pub fn underlying<'a>(&'a self, symbol: &'a str) -> &'a str {
        self.assets
            .get(symbol)
            .and_then(|a| a.underlying.as_deref())
            .unwrap_or(symbol)
    }
}
