//! The rate book: default yields, asset facts and index templates.
//!
//! The default book (`default.toml` beside this file) is embedded in the binary,
//! so a plan needs no other input. `--rates FILE` extends it entry by entry, or
//! replaces it with `replace = true`. Every figure carries its source. This
//! module loads, merges and checks books and answers look-ups; it does not
//! plan anything.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use crate::error::{Diagnostic, Diagnostics, nearest};
use crate::model::{Band, Method, Strategy};
use crate::money::{MAX_RATE, Rate, decimal_from_f64, parse_percent};

/// The embedded default book, as written.
pub const DEFAULT_BOOK: &str = include_str!("default.toml");

/// The same book converted to JSON at build time (faster to read at start-up).
const DEFAULT_BOOK_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/default_book.json"));

/// A rate in a rate book: `"4.5%"` or a fraction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct BookRate(pub Decimal);

impl<'de> Deserialize<'de> for BookRate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = BookRate;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a percent string such as \"4.5%\" or a fraction such as 0.045")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<BookRate, E> {
                let d = parse_percent(s).ok_or_else(|| {
                    E::custom(format!("\"{s}\" is not a percent; write e.g. \"4.5%\""))
                })?;
                check(d)
            }
            fn visit_f64<E: de::Error>(self, x: f64) -> Result<BookRate, E> {
                // The shortest decimal that round-trips is the number as written.
                let d = decimal_from_f64(x)
                    .and_then(|_| x.to_string().parse::<Decimal>().ok())
                    .ok_or_else(|| E::custom("not a finite number"))?;
                fraction(d)
            }
            fn visit_i64<E: de::Error>(self, x: i64) -> Result<BookRate, E> {
                fraction(Decimal::from(x))
            }
            fn visit_u64<E: de::Error>(self, x: u64) -> Result<BookRate, E> {
                fraction(Decimal::from(x))
            }
        }
        fn fraction<E: de::Error>(d: Decimal) -> Result<BookRate, E> {
            if d > Decimal::ONE {
                return Err(E::custom(format!(
                    "{d} is a bare number above 1; did you mean \"{d}%\"?"
                )));
            }
            check(d)
        }
        fn check<E: de::Error>(d: Decimal) -> Result<BookRate, E> {
            if d < Decimal::ZERO || d > MAX_RATE {
                return Err(E::custom("a rate must be between 0% and 1,000,000%"));
            }
            Ok(BookRate(d))
        }
        d.deserialize_any(V)
    }
}

impl BookRate {
    pub fn rate(self) -> Rate {
        Rate(self.0)
    }
}

/// Asset class, which picks the lending and liquidity bands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AssetClass {
    Stablecoin,
    Major,
    Alt,
}

impl AssetClass {
    pub fn name(self) -> &'static str {
        match self {
            AssetClass::Stablecoin => "stablecoin",
            AssetClass::Major => "major",
            AssetClass::Alt => "alt",
        }
    }
}

/// A low / high band (mid defaults to their average) with its source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BandEntry {
    pub low: BookRate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mid: Option<BookRate>,
    pub high: BookRate,
    pub source: String,
}

impl BandEntry {
    pub fn band(&self) -> Band {
        let mid = self
            .mid
            .map_or((self.low.0 + self.high.0) / Decimal::TWO, |m| m.0);
        Band {
            low: self.low.rate(),
            mid: Rate(mid),
            high: self.high.rate(),
        }
    }
}

/// One figure with its source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    pub value: BookRate,
    pub source: String,
}

/// A number of days with its source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Days {
    pub value: u32,
    pub source: String,
}

/// What the book knows of one asset.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssetEntry {
    pub name: String,
    pub class: AssetClass,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staking: Option<BandEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lending: Option<BandEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inflation: Option<Figure>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volatility: Option<Figure>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unbonding_days: Option<Days>,
    /// Share of a stake lost in a slashing event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slashing: Option<Figure>,
    /// Expected yearly price change, for projections (0% when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_return: Option<Figure>,
    /// The chain the asset lives on natively, for the diversification view.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain: Option<String>,
    /// Assets of one group move together and count as one exposure
    /// (the majors; a token and its staking derivative). Defaults to the symbol.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

/// A staking route's provider fee (a share of rewards).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MethodEntry {
    pub fee: BookRate,
    pub source: String,
}

/// A protocol risk tier: how likely a loss event is in a year, and how much
/// of the money in it such an event takes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierEntry {
    pub loss_probability: BookRate,
    pub loss_given_event: BookRate,
    pub source: String,
}

/// A protocol the book knows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProtocolEntry {
    pub name: String,
    pub tier: String,
    pub source: String,
}

/// Farming defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FarmingEntry {
    pub low: BookRate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mid: Option<BookRate>,
    pub high: BookRate,
    /// Share of the yield paid in incentive tokens.
    pub reward_share: BookRate,
    pub source: String,
}

impl FarmingEntry {
    pub fn band(&self) -> Band {
        BandEntry {
            low: self.low,
            mid: self.mid,
            high: self.high,
            source: String::new(),
        }
        .band()
    }
}

/// One component of an index template.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    pub strategy: Strategy,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asset: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pair: Option<[String; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<Method>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain: Option<String>,
    pub weight: BookRate,
}

/// A shipped index: a named mix of components.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexTemplate {
    pub name: String,
    pub description: String,
    pub source: String,
    pub components: Vec<Component>,
}

/// A rate book as stored in TOML.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateBook {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// In a `--rates` file: replace the default book instead of extending it.
    #[serde(default, skip_serializing)]
    pub replace: bool,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub assets: BTreeMap<String, AssetEntry>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub lending: BTreeMap<String, BandEntry>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub liquidity: BTreeMap<String, BandEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub farming: Option<FarmingEntry>,
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
}

/// One pool's yield band, from a snapshot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolEntry {
    pub project: String,
    pub symbol: String,
    pub chain: String,
    pub low: BookRate,
    pub mid: BookRate,
    pub high: BookRate,
    /// Share of the yield paid in incentive tokens.
    pub reward_share: BookRate,
    pub stablecoin: bool,
    /// The snapshot's impermanent-loss flag.
    pub il_risk: bool,
    pub source: String,
}

impl PoolEntry {
    /// The entry for a snapshot pool, with the band rule of [`crate::pools::band`].
    pub fn from_pool(p: &crate::pools::Pool, source: &str) -> PoolEntry {
        let rate = |x: f64| {
            BookRate(
                crate::money::decimal_from_f64(x)
                    .unwrap_or_default()
                    .round_dp(6)
                    .normalize(),
            )
        };
        let [low, mid, high] = crate::pools::band(p);
        PoolEntry {
            project: p.project.clone(),
            symbol: p.symbol.clone(),
            chain: p.chain.to_ascii_lowercase(),
            low: rate(low),
            mid: rate(mid),
            high: rate(high),
            reward_share: rate(crate::pools::reward_share(p)),
            stablecoin: p.stablecoin,
            il_risk: p.il_risk,
            source: source.to_string(),
        }
    }

    pub fn band(&self) -> Band {
        Band {
            low: self.low.rate(),
            mid: self.mid.rate(),
            high: self.high.rate(),
        }
    }
}

/// Staking routes every complete book prices.
pub const METHODS: [&str; 3] = ["direct", "delegated", "liquid"];
/// Tiers every complete book has: `unknown` for protocols it does not know,
/// `native` for staking with no protocol, `none` for plain holdings.
pub const REQUIRED_TIERS: [&str; 3] = ["unknown", "native", "none"];

/// A correlation of two assets' prices, from -1 to 1, with its source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrelationEntry {
    pub value: f64,
    pub source: String,
}

/// Key of the correlation used for crypto pairs the book does not list.
pub const DEFAULT_CORRELATION: &str = "default";
/// Key of the correlation of two stablecoins.
pub const STABLECOIN_CORRELATION: &str = "stablecoins";

/// Lending classes every complete book has.
pub const LENDING_CLASSES: [&str; 2] = ["stablecoin", "volatile"];
/// Liquidity classes every complete book has.
pub const LIQUIDITY_CLASSES: [&str; 3] = ["stable", "major", "exotic"];

impl RateBook {
    /// The embedded default book.
    pub fn default_book() -> RateBook {
        // The default book is checked by the test suite; failing here is a build bug.
        serde_json::from_str(DEFAULT_BOOK_JSON)
            .unwrap_or_else(|e| panic!("embedded rate book is invalid: {e}"))
    }

    /// The default book extended (or replaced) by a user's file.
    pub fn with_file(path: &Path, text: &str) -> Result<RateBook, Diagnostics> {
        let extra = parse_book(path, text)?;
        let book = if extra.replace {
            extra
        } else {
            let mut book = RateBook::default_book();
            book.merge(extra);
            book
        };
        let problems = book.problems();
        if problems.is_empty() {
            Ok(book)
        } else {
            Err(Diagnostics::new(
                path,
                text,
                "rate book",
                problems
                    .into_iter()
                    .map(|m| Diagnostic::new(None, m.0).with_help(m.1))
                    .collect(),
            ))
        }
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
    }

    /// The correlation of two assets' prices and where it comes from.
    /// A stablecoin against a non-stablecoin is taken as uncorrelated.
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
            (false, false) => entry(&format!("{a}/{b}"))
                .or_else(|| entry(&format!("{b}/{a}")))
                .or_else(|| entry(DEFAULT_CORRELATION))
                .unwrap_or((0.0, "no correlation in the rate book".into())),
        }
    }

    /// Consistency problems of a complete book, as (what, how to fix).
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut band = |what: String, b: &Band| {
            if b.low > b.high || b.mid < b.low || b.mid > b.high {
                out.push((
                    format!("{what}: the band is not ordered low <= mid <= high"),
                    "fix the figures".to_string(),
                ));
            }
        };
        for (symbol, a) in &self.assets {
            if let Some(s) = &a.staking {
                band(format!("assets.{symbol}.staking"), &s.band());
            }
            if let Some(l) = &a.lending {
                band(format!("assets.{symbol}.lending"), &l.band());
            }
        }
        for (class, b) in self.lending.iter().chain(self.liquidity.iter()) {
            band(format!("class {class}"), &b.band());
        }
        if let Some(f) = &self.farming {
            band("farming".into(), &f.band());
        }
        required(&mut out, "lending", &self.lending, &LENDING_CLASSES, "band");
        required(
            &mut out,
            "liquidity",
            &self.liquidity,
            &LIQUIDITY_CLASSES,
            "band",
        );
        for (key, c) in &self.correlations {
            if !(c.value.is_finite() && (-1.0..=1.0).contains(&c.value)) {
                out.push((
                    format!("correlation `{key}` is {}, outside -1 to 1", c.value),
                    "fix the figure".into(),
                ));
            }
            if key != DEFAULT_CORRELATION
                && key != STABLECOIN_CORRELATION
                && key.split('/').count() != 2
            {
                out.push((
                    format!("correlation key `{key}` is not a pair"),
                    "write pairs as \"A/B\", or use `default` or `stablecoins`".into(),
                ));
            }
        }
        required(
            &mut out,
            "staking_methods",
            &self.staking_methods,
            &METHODS,
            "fee",
        );
        for t in REQUIRED_TIERS {
            if !self.risk_tiers.contains_key(t) {
                out.push((
                    format!("the rate book has no [risk_tiers.{t}]"),
                    "add it, or drop `replace = true`".into(),
                ));
            }
        }
        for (id, p) in &self.protocols {
            if !self.risk_tiers.contains_key(&p.tier) {
                out.push((
                    format!(
                        "protocol `{id}` has tier `{}`, which the book does not define",
                        p.tier
                    ),
                    format!(
                        "use one of: {}",
                        self.risk_tiers
                            .keys()
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        }
        if !self.correlations.contains_key(DEFAULT_CORRELATION) {
            out.push((
                "the rate book has no [correlations] default".into(),
                "add it, or drop `replace = true`".into(),
            ));
        }
        if self.farming.is_none() {
            out.push((
                "the rate book has no [farming] defaults".into(),
                "add them, or drop `replace = true`".into(),
            ));
        }
        for (id, t) in &self.index {
            let total: Decimal = t.components.iter().map(|c| c.weight.0).sum();
            if total != Decimal::ONE {
                out.push((
                    format!(
                        "index `{id}`: component weights add up to {}%, not 100%",
                        total * Decimal::ONE_HUNDRED
                    ),
                    "adjust the component weights".into(),
                ));
            }
            for c in &t.components {
                let needs = match c.strategy {
                    Strategy::Index => {
                        out.push((
                            format!("index `{id}` nests another index"),
                            "list plain components only".into(),
                        ));
                        continue;
                    }
                    Strategy::Staking | Strategy::Lending => c.asset.is_none(),
                    Strategy::Liquidity => c.pair.is_none(),
                    Strategy::Farming | Strategy::Hold => false,
                };
                if needs {
                    out.push((
                        format!(
                            "index `{id}`: a {} component needs {}",
                            c.strategy,
                            if c.strategy == Strategy::Liquidity {
                                "a `pair`"
                            } else {
                                "an `asset`"
                            }
                        ),
                        "add it".into(),
                    ));
                }
                for sym in c.asset.iter().chain(c.pair.iter().flatten()) {
                    if !self.assets.contains_key(sym) {
                        out.push((
                            format!("index `{id}` names unknown asset `{sym}`"),
                            "add it under [assets] or fix the symbol".into(),
                        ));
                    }
                }
            }
        }
        out
    }

    /// The nearest known index id to a misspelt one.
    pub fn nearest_index(&self, id: &str) -> Option<&str> {
        nearest(id, self.index.keys().map(String::as_str))
    }

    /// The nearest known asset symbol to a misspelt one.
    pub fn nearest_asset(&self, symbol: &str) -> Option<&str> {
        nearest(symbol, self.assets.keys().map(String::as_str))
    }
}

/// Reports entries of the `[table.NAME]` family that a complete book needs
/// but lacks, and names the table does not know.
fn required<V>(
    out: &mut Vec<(String, String)>,
    table: &str,
    entries: &BTreeMap<String, V>,
    names: &[&str],
    what: &str,
) {
    for name in names.iter().filter(|n| !entries.contains_key(**n)) {
        out.push((
            format!("the rate book has no [{table}.{name}] {what}"),
            "add it, or drop `replace = true`".into(),
        ));
    }
    for name in entries.keys().filter(|k| !names.contains(&k.as_str())) {
        out.push((
            format!("unknown entry `{name}` in [{table}]"),
            format!("use one of: {}", names.join(", ")),
        ));
    }
}

/// Parses one rate-book file, reporting TOML and shape errors with their place.
pub fn parse_book(path: &Path, text: &str) -> Result<RateBook, Diagnostics> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_json_book_is_the_toml_book() {
        let from_toml = parse_book(Path::new("default.toml"), DEFAULT_BOOK).unwrap();
        assert_eq!(RateBook::default_book(), from_toml);
    }

    #[test]
    fn default_book_is_consistent() {
        let book = RateBook::default_book();
        assert_eq!(book.problems(), Vec::<(String, String)>::new());
        assert!(book.as_of.is_some());
    }

    #[test]
    fn default_book_holds_the_seed_staking_bands() {
        let book = RateBook::default_book();
        let band = |s: &str| book.assets[s].staking.as_ref().unwrap().band();
        let pct = |p: i64| Rate::percent(p);
        assert_eq!((band("ETH").low, band("ETH").high), (pct(3), pct(5)));
        assert_eq!((band("ADA").low, band("ADA").high), (pct(4), pct(6)));
        assert_eq!((band("SOL").low, band("SOL").high), (pct(6), pct(8)));
        assert_eq!((band("DOT").low, band("DOT").high), (pct(10), pct(14)));
        assert_eq!((band("ATOM").low, band("ATOM").high), (pct(15), pct(20)));
        let stable = book.lending["stablecoin"].band();
        assert_eq!((stable.low, stable.high), (pct(2), pct(8)));
        let major = book.liquidity["major"].band();
        assert_eq!((major.low, major.high), (pct(5), pct(20)));
    }

    #[test]
    fn every_figure_names_a_source() {
        let book = RateBook::default_book();
        for (s, a) in &book.assets {
            for src in [
                a.staking.as_ref().map(|b| &b.source),
                a.lending.as_ref().map(|b| &b.source),
                a.inflation.as_ref().map(|f| &f.source),
                a.volatility.as_ref().map(|f| &f.source),
                a.unbonding_days.as_ref().map(|d| &d.source),
            ]
            .into_iter()
            .flatten()
            {
                assert!(!src.trim().is_empty(), "{s} has a figure without a source");
            }
        }
    }

    #[test]
    fn a_user_file_extends_the_book() {
        let extra = "[assets.XYZ]\nname = \"Xyz\"\nclass = \"alt\"\nstaking = { low = \"1%\", high = \"2%\", source = \"mine\" }\n";
        let book = RateBook::with_file(Path::new("r.toml"), extra).unwrap();
        assert!(book.assets.contains_key("XYZ"));
        assert!(book.assets.contains_key("ETH"));
    }

    #[test]
    fn a_bad_file_is_reported_with_its_place() {
        let extra = "[assets.XYZ]\nname = \"Xyz\"\nclas = \"alt\"\n";
        let e = RateBook::with_file(Path::new("r.toml"), extra)
            .unwrap_err()
            .to_string();
        assert!(e.contains("r.toml:3:1"), "{e}");
        assert!(e.contains("clas"), "{e}");
    }

    #[test]
    fn an_incomplete_or_unknown_family_is_reported() {
        let extra =
            "replace = true\n[liquidity.weird]\nlow = \"1%\"\nhigh = \"2%\"\nsource = \"x\"\n";
        let e = RateBook::with_file(Path::new("r.toml"), extra)
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown entry `weird` in [liquidity]"), "{e}");
        assert!(e.contains("no [liquidity.major] band"), "{e}");
        assert!(e.contains("no [lending.stablecoin] band"), "{e}");
        assert!(e.contains("no [staking_methods.liquid] fee"), "{e}");
    }

    #[test]
    fn bare_percent_in_a_book_is_refused() {
        let extra = "[lending.stablecoin]\nlow = 2\nhigh = \"8%\"\nsource = \"x\"\n";
        let e = RateBook::with_file(Path::new("r.toml"), extra)
            .unwrap_err()
            .to_string();
        assert!(e.contains("did you mean \"2%\""), "{e}");
    }
}
