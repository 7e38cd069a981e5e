//! The entries a rate book is made of, as written in its TOML: rates, bands,
//! figures with their sources, assets, staking routes, risk tiers, protocols,
//! farming defaults, index templates, correlations and pools.
//!
//! Each entry reads and writes itself and turns its figures into the planner's
//! [`Band`]s; it does not look anything up in a book nor check a book as a
//! whole (that is `book.rs` and `checks.rs`).

use std::fmt;

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use crate::model::{Band, Method, Strategy};
use crate::money::{MAX_RATE, Rate, decimal_from_f64, parse_percent};

/// A rate in a rate book, held as a fraction (0.045 = 4.5%). Written as a
/// percent string (`"4.5%"`) or as a fraction of at most 1 (`0.045`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct BookRate(pub Decimal);

impl<'de> Deserialize<'de> for BookRate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(BookRateVisitor)
    }
}

/// Reads a [`BookRate`] from a percent string or a bare fraction.
pub(super) struct BookRateVisitor;

impl Visitor<'_> for BookRateVisitor {
    type Value = BookRate;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a percent string such as \"4.5%\" or a fraction such as 0.045")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<BookRate, E> {
        let d = parse_percent(s).ok_or_else(|| match crate::money::unheld_percent(s) {
            Some((why, help)) => E::custom(format!("\"{s}\" {why}; {help}")),
            None => E::custom(format!("\"{s}\" is not a percent; write e.g. \"4.5%\"")),
        })?;
        in_range(d)
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

/// A bare number is a fraction: above 1 it is most likely a percent without `%`.
fn fraction<E: de::Error>(d: Decimal) -> Result<BookRate, E> {
    if d > Decimal::ONE {
        return Err(E::custom(format!(
            "{d} is a bare number above 1; did you mean \"{d}%\"?"
        )));
    }
    in_range(d)
}

/// A rate must lie between 0 and the planner's largest rate ([`MAX_RATE`]).
fn in_range<E: de::Error>(d: Decimal) -> Result<BookRate, E> {
    if d < Decimal::ZERO || d > MAX_RATE {
        return Err(E::custom("a rate must be between 0% and 1,000,000%"));
    }
    Ok(BookRate(d))
}

impl BookRate {
    /// The same fraction as a planner [`Rate`].
    #[must_use]
    pub fn rate(self) -> Rate {
        Rate(self.0)
    }
}

/// Asset class, which picks the lending and liquidity bands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AssetClass {
    /// A coin pegged to a currency (USDC, DAI, ...).
    Stablecoin,
    /// A large, liquid crypto asset (BTC, ETH, ...).
    Major,
    /// Any other crypto asset.
    Alt,
}

impl AssetClass {
    /// The class as written in a rate book.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            AssetClass::Stablecoin => "stablecoin",
            AssetClass::Major => "major",
            AssetClass::Alt => "alt",
        }
    }
}

/// A low / high band of yearly yields, as fractions (mid defaults to their
/// average), with its source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BandEntry {
    /// Low yearly yield, as a fraction.
    pub low: BookRate,
    /// Middle yearly yield, as a fraction; the average of low and high when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mid: Option<BookRate>,
    /// High yearly yield, as a fraction.
    pub high: BookRate,
    /// Where the figures come from.
    pub source: String,
}

impl BandEntry {
    /// The band with its mid filled in: `(low + high) / 2` when not given.
    #[must_use]
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

/// One figure (a fraction) with its source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// The figure, as a fraction.
    pub value: BookRate,
    /// Where it comes from.
    pub source: String,
}

/// A number of days with its source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Days {
    /// The number of days.
    pub value: u32,
    /// Where it comes from.
    pub source: String,
}

/// What the book knows of one asset.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssetEntry {
    /// The asset's full name.
    pub name: String,
    /// Its class, which picks the lending and liquidity bands.
    pub class: AssetClass,
    /// Yearly staking yield band (fractions), written `staking_apy` like a
    /// profile's `[assets.X]`.
    #[serde(
        rename = "staking_apy",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub staking: Option<BandEntry>,
    /// Yearly lending yield band (fractions), written `lending_apy`; the
    /// class's band when absent.
    #[serde(
        rename = "lending_apy",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub lending: Option<BandEntry>,
    /// Yearly supply inflation, as a fraction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inflation: Option<Figure>,
    /// Annualised price volatility σ, as a fraction (0.7 = 70%).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volatility: Option<Figure>,
    /// Days to get a stake back after unbonding starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unbonding_days: Option<Days>,
    /// Share of a stake lost in a slashing event, as a fraction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slashing: Option<Figure>,
    /// Expected yearly price change, as a fraction, for projections (0% when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_return: Option<Figure>,
    /// The chain the asset lives on natively, for the diversification view.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain: Option<String>,
    /// Assets of one group move together and count as one exposure
    /// (the majors; a token and its staking derivative). Defaults to the
    /// underlying asset's group, else the symbol.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// For a wrapped, bridged or liquid-staking token: the asset whose price
    /// it follows (`STETH` → `ETH`). It counts as exposure to that asset in
    /// the diversification view, correlations and stress.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub underlying: Option<String>,
    /// For a liquid-staking or wrapped token: the protocol that issues it,
    /// whose risk tier money in the token carries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
}

impl AssetEntry {
    /// An entry named `name` of class `class` with no figure of its own:
    /// every rate, volatility and link left to the defaults.
    #[must_use]
    pub fn blank(name: &str, class: AssetClass) -> Self {
        AssetEntry {
            name: name.to_string(),
            class,
            staking: None,
            lending: None,
            inflation: None,
            volatility: None,
            unbonding_days: None,
            slashing: None,
            expected_return: None,
            chain: None,
            group: None,
            underlying: None,
            protocol: None,
        }
    }
}

/// What is assumed of a token the rate book lacks, when a position gives its
/// own rate for it: the volatility here, the book's `default` correlation
/// with other crypto assets, and not a stablecoin.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnknownAssetEntry {
    /// Annualised price volatility σ, as a fraction.
    pub volatility: Figure,
}

/// A staking route's provider fee.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MethodEntry {
    /// The fee, as a fraction of the staking rewards.
    pub fee: BookRate,
    /// Where it comes from.
    pub source: String,
}

/// A protocol risk tier: how likely a loss event is in a year, and how much
/// of the money in it such an event takes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierEntry {
    /// Probability of a loss event in one year, as a fraction.
    pub loss_probability: BookRate,
    /// Share of the money lost when such an event happens, as a fraction.
    pub loss_given_event: BookRate,
    /// Where the figures come from.
    pub source: String,
}

impl TierEntry {
    /// The tier's expected yearly loss, as a fraction of the money in it: the
    /// loss-event probability times the share lost in such an event.
    #[must_use]
    pub fn expected_loss(&self) -> Rate {
        Rate(self.loss_probability.0 * self.loss_given_event.0)
    }
}

/// A protocol the book knows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProtocolEntry {
    /// The protocol's display name.
    pub name: String,
    /// Its risk tier, a key of the book's `[risk_tiers]`.
    pub tier: String,
    /// Where the tier comes from.
    pub source: String,
}

/// Farming defaults: a yearly yield band (fractions) and the share paid in
/// incentive tokens.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FarmingEntry {
    /// Low yearly yield, as a fraction.
    pub low: BookRate,
    /// Middle yearly yield, as a fraction; the average of low and high when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mid: Option<BookRate>,
    /// High yearly yield, as a fraction.
    pub high: BookRate,
    /// Share of the yield paid in incentive tokens, as a fraction.
    pub reward_share: BookRate,
    /// Where the figures come from.
    pub source: String,
}

impl FarmingEntry {
    /// The band, with the same mid rule as [`BandEntry::band`].
    #[must_use]
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
    /// What the component does with its money.
    pub strategy: Strategy,
    /// The asset, for staking, lending and holding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asset: Option<String>,
    /// The two assets of a liquidity pair.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pair: Option<[String; 2]>,
    /// A display name; a default one is made when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The staking route.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<Method>,
    /// The protocol, a key of the book's `[protocols]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// The chain the position sits on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain: Option<String>,
    /// Share of the index's money, as a fraction (an index's weights add up to 1).
    pub weight: BookRate,
}

/// A shipped index: a named mix of components.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexTemplate {
    /// The index's display name.
    pub name: String,
    /// What it holds and why, in a sentence.
    pub description: String,
    /// Where the mix comes from.
    pub source: String,
    /// Its components, whose weights add up to 100%.
    pub components: Vec<Component>,
}

/// A correlation of two assets' prices, from -1 to 1, with its source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrelationEntry {
    /// The correlation coefficient, from -1 to 1.
    pub value: f64,
    /// Where it comes from.
    pub source: String,
}

/// One pool's yield band, from a snapshot (`yieldplan rates import` or a
/// `--pools` file).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolEntry {
    /// The protocol the pool belongs to (the snapshot's project slug).
    pub project: String,
    /// The pool's token symbol(s), e.g. `USDC-WETH`.
    pub symbol: String,
    /// The chain, lower case.
    pub chain: String,
    /// Low yearly yield, as a fraction.
    pub low: BookRate,
    /// Middle yearly yield, as a fraction.
    pub mid: BookRate,
    /// High yearly yield, as a fraction.
    pub high: BookRate,
    /// Share of the yield paid in incentive tokens, as a fraction.
    pub reward_share: BookRate,
    /// Whether the snapshot marks the pool as a stablecoin pool.
    pub stablecoin: bool,
    /// The snapshot's impermanent-loss flag.
    pub il_risk: bool,
    /// Where the figures come from (a rate-book file that leaves it out is
    /// the source: "your file PATH").
    #[serde(default)]
    pub source: String,
    /// The pool's total value locked in USD, when it came from a pools
    /// snapshot read in this run (a rate-book file does not carry it).
    #[serde(skip)]
    pub tvl_usd: Option<f64>,
    /// A stand-in at zero yield `review` makes for a pool its snapshot names
    /// and the pools read now lack; never read from or written to a file.
    #[serde(skip)]
    pub stand_in: bool,
}

impl PoolEntry {
    /// The band as written (a pool entry always states its mid).
    #[must_use]
    pub fn band(&self) -> Band {
        Band {
            low: self.low.rate(),
            mid: self.mid.rate(),
            high: self.high.rate(),
        }
    }
}
