//! Values as a person writes them in a `--rates` file, and the patches that
//! change some fields of a book entry.
//!
//! A figure may be written bare (`volatility = "70%"`) or with its source
//! (`{ value = "70%", source = "..." }`); a band as one rate or as
//! `{ low, mid, high }`; a figure without a source is sourced as "your file".
//! Shares (fees, loss probabilities, reward shares, slashing) are bounded to
//! 0-100% and days to ten years, as in a profile. Each patch knows the keys
//! of its entry and how to lay itself over the entry it changes; it does not
//! read files nor place problems (that is `file.rs`).

use std::fmt;
use std::marker::PhantomData;

use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::value::{F64Deserializer, I64Deserializer, MapAccessDeserializer, U64Deserializer};
use serde::de::{self, Deserializer, MapAccess, Visitor};

use super::entries::{
    AssetClass, AssetEntry, BandEntry, BookRate, Days, FarmingEntry, Figure, MethodEntry,
    ProtocolEntry, TierEntry, UnknownAssetEntry,
};

/// A closed list of key names.
pub(super) type Keys = &'static [&'static str];

/// The largest expected yearly price change, as in a profile (+1,000%).
const MAX_GROWTH: Decimal = Decimal::TEN;

/// The most days a stake may take to come back, as in a profile (ten years).
const MAX_DAYS: u32 = 3650;

/// A fraction as a percent for messages: 1.5 → "150%".
fn percent(d: Decimal) -> String {
    format!("{}%", (d * Decimal::ONE_HUNDRED).normalize())
}

/// A share of something: a rate from 0% to 100%.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(try_from = "BookRate")]
pub(super) struct Share(pub(super) BookRate);

impl TryFrom<BookRate> for Share {
    type Error = String;
    fn try_from(r: BookRate) -> Result<Self, String> {
        if r.0 > Decimal::ONE {
            Err(format!(
                "{} is above 100%; use a share from 0% to 100%",
                percent(r.0)
            ))
        } else {
            Ok(Share(r))
        }
    }
}

/// An expected yearly price change: at most +1,000%, as in a profile.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(try_from = "BookRate")]
pub(super) struct Growth(BookRate);

impl TryFrom<BookRate> for Growth {
    type Error = String;
    fn try_from(r: BookRate) -> Result<Self, String> {
        if r.0 > MAX_GROWTH {
            Err(format!(
                "{} is above +1,000% a year; use a long-run figure such as \"6%\"",
                percent(r.0)
            ))
        } else {
            Ok(Growth(r))
        }
    }
}

/// A number of days, at most ten years.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(try_from = "u32")]
pub(super) struct DayCount(u32);

impl TryFrom<u32> for DayCount {
    type Error = String;
    fn try_from(d: u32) -> Result<Self, String> {
        if d > MAX_DAYS {
            Err(format!(
                "{d} days is more than ten years; use at most {MAX_DAYS}"
            ))
        } else {
            Ok(DayCount(d))
        }
    }
}

/// A correlation coefficient, from -1 to 1.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(try_from = "f64")]
pub(super) struct Coefficient(pub(super) f64);

impl TryFrom<f64> for Coefficient {
    type Error = String;
    fn try_from(x: f64) -> Result<Self, String> {
        if x.is_finite() && (-1.0..=1.0).contains(&x) {
            Ok(Coefficient(x))
        } else {
            Err(format!(
                "{x} is outside -1 to 1; a correlation is from -1 to 1"
            ))
        }
    }
}

/// Something written bare (a value) or as a table.
#[derive(Debug)]
pub(super) enum BareOr<B, T> {
    /// The bare value.
    Bare(B),
    /// The table.
    Table(T),
}

impl<'de, B: Deserialize<'de>, T: Deserialize<'de>> Deserialize<'de> for BareOr<B, T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(BareOrVisitor(PhantomData))
    }
}

/// Reads a [`BareOr`]: scalars go to the bare type, tables to the table type.
struct BareOrVisitor<B, T>(PhantomData<(B, T)>);

impl<'de, B: Deserialize<'de>, T: Deserialize<'de>> Visitor<'de> for BareOrVisitor<B, T> {
    type Value = BareOr<B, T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "a value such as \"4.5%\", or a table such as { value = \"4.5%\", source = \"...\" }",
        )
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        B::deserialize(de::value::StrDeserializer::<E>::new(s)).map(BareOr::Bare)
    }

    fn visit_f64<E: de::Error>(self, x: f64) -> Result<Self::Value, E> {
        B::deserialize(F64Deserializer::<E>::new(x)).map(BareOr::Bare)
    }

    fn visit_i64<E: de::Error>(self, x: i64) -> Result<Self::Value, E> {
        B::deserialize(I64Deserializer::<E>::new(x)).map(BareOr::Bare)
    }

    fn visit_u64<E: de::Error>(self, x: u64) -> Result<Self::Value, E> {
        B::deserialize(U64Deserializer::<E>::new(x)).map(BareOr::Bare)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(BareOr::Table)
    }
}

/// A figure written as a table: its value and, optionally, its source.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FigureTable<V> {
    /// The figure.
    value: V,
    /// Where it comes from; "your file" when absent.
    #[serde(default)]
    source: Option<String>,
}

/// A figure, bare or with its source.
pub(super) type Written<V> = BareOr<V, FigureTable<V>>;

impl<V> Written<V> {
    /// The value and the source, "your file" (`your`) when none is given.
    fn parts(self, your: &str) -> (V, String) {
        match self {
            BareOr::Bare(v) => (v, your.to_string()),
            BareOr::Table(t) => (t.value, t.source.unwrap_or_else(|| your.to_string())),
        }
    }
}

/// A rate figure as the book holds it.
fn figure<V: Into<BookRate>>(w: Written<V>, your: &str) -> Figure {
    let (value, source) = w.parts(your);
    Figure {
        value: value.into(),
        source,
    }
}

impl From<Share> for BookRate {
    fn from(s: Share) -> BookRate {
        s.0
    }
}

impl From<Growth> for BookRate {
    fn from(g: Growth) -> BookRate {
        g.0
    }
}

/// A band written as a table: low, optional mid, high, optional source;
/// ordered low <= mid <= high.
#[derive(Debug, Deserialize)]
#[serde(try_from = "RawBand")]
pub(super) struct BandTable(RawBand);

/// A band table before its order is checked.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBand {
    /// Low yearly yield.
    low: BookRate,
    /// Middle yearly yield; the average of low and high when absent.
    #[serde(default)]
    mid: Option<BookRate>,
    /// High yearly yield.
    high: BookRate,
    /// Where the figures come from; "your file" when absent.
    #[serde(default)]
    source: Option<String>,
}

impl TryFrom<RawBand> for BandTable {
    type Error = String;
    fn try_from(b: RawBand) -> Result<Self, String> {
        let mid = b.mid.map_or((b.low.0 + b.high.0) / Decimal::TWO, |m| m.0);
        if b.low.0 > b.high.0 || mid < b.low.0 || mid > b.high.0 {
            return Err(format!(
                "the band {} / {} / {} is not ordered low <= mid <= high",
                percent(b.low.0),
                percent(mid),
                percent(b.high.0)
            ));
        }
        Ok(BandTable(b))
    }
}

/// A yield band: one rate (low = mid = high) or a band table.
pub(super) type BandIn = BareOr<BookRate, BandTable>;

impl BandIn {
    /// The band as the book holds it.
    fn entry(self, your: &str) -> BandEntry {
        match self {
            BareOr::Bare(r) => BandEntry {
                low: r,
                mid: None,
                high: r,
                source: your.to_string(),
            },
            BareOr::Table(BandTable(b)) => BandEntry {
                low: b.low,
                mid: b.mid,
                high: b.high,
                source: b.source.unwrap_or_else(|| your.to_string()),
            },
        }
    }
}

/// A required key a new entry lacks, with how to write it.
pub(super) type Missing = (&'static str, &'static str);

/// The source of an entry some of whose figures a file changes: the
/// file's own when given, else "your file" for the figures it changed and
/// the old source for the rest.
fn merged_source(given: Option<String>, old: Option<&str>, changed: &[&str], your: &str) -> String {
    match (given, old) {
        (Some(s), _) => s,
        (None, Some(old)) if !changed.is_empty() => {
            format!("{your} ({}); {old} (the rest)", changed.join(", "))
        }
        (None, Some(old)) => old.to_string(),
        (None, None) => your.to_string(),
    }
}

/// Keys of one `[assets.SYMBOL]` in a rate book.
pub(super) const ASSET_KEYS: Keys = &[
    "name",
    "class",
    "staking_apy",
    "lending_apy",
    "inflation",
    "volatility",
    "unbonding_days",
    "slashing",
    "expected_return",
    "chain",
    "group",
    "underlying",
    "protocol",
];

/// Asset keys of the book's earlier format, with their names now.
pub(super) const RENAMED_ASSET_KEYS: &[(&str, &str)] =
    &[("staking", "staking_apy"), ("lending", "lending_apy")];

/// Changes to one asset.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AssetPatch {
    name: Option<String>,
    class: Option<AssetClass>,
    staking_apy: Option<BandIn>,
    lending_apy: Option<BandIn>,
    inflation: Option<Written<BookRate>>,
    volatility: Option<Written<BookRate>>,
    unbonding_days: Option<Written<DayCount>>,
    slashing: Option<Written<Share>>,
    expected_return: Option<Written<Growth>>,
    chain: Option<String>,
    group: Option<String>,
    underlying: Option<String>,
    protocol: Option<String>,
}

impl AssetPatch {
    /// The asset `symbol` with these changes over `old` (when the book has it).
    ///
    /// # Errors
    /// A new asset without a `class`.
    pub(super) fn apply(
        self,
        old: Option<AssetEntry>,
        symbol: &str,
        your: &str,
    ) -> Result<AssetEntry, Missing> {
        let class = self
            .class
            .or(old.as_ref().map(|o| o.class))
            .ok_or(("class", "add class = \"stablecoin\", \"major\" or \"alt\""))?;
        let old = old.unwrap_or_else(|| AssetEntry {
            name: symbol.to_string(),
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
        });
        Ok(AssetEntry {
            name: self.name.unwrap_or(old.name),
            class,
            staking: self.staking_apy.map(|b| b.entry(your)).or(old.staking),
            lending: self.lending_apy.map(|b| b.entry(your)).or(old.lending),
            inflation: self.inflation.map(|f| figure(f, your)).or(old.inflation),
            volatility: self.volatility.map(|f| figure(f, your)).or(old.volatility),
            unbonding_days: self
                .unbonding_days
                .map(|w| {
                    let (d, source) = w.parts(your);
                    Days { value: d.0, source }
                })
                .or(old.unbonding_days),
            slashing: self.slashing.map(|f| figure(f, your)).or(old.slashing),
            expected_return: self
                .expected_return
                .map(|f| figure(f, your))
                .or(old.expected_return),
            chain: self.chain.or(old.chain),
            group: self.group.or(old.group),
            underlying: self.underlying.or(old.underlying),
            protocol: self.protocol.or(old.protocol),
        })
    }
}

/// Keys of a class band (`[lending.CLASS]`, `[liquidity.CLASS]`).
pub(super) const BAND_KEYS: Keys = &["low", "mid", "high", "source"];

/// Changes to a class band.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct BandPatch {
    low: Option<BookRate>,
    mid: Option<BookRate>,
    high: Option<BookRate>,
    source: Option<String>,
}

impl BandPatch {
    /// The band with these changes over `old`. Changing low or high without
    /// mid drops an old mid (it becomes their average).
    ///
    /// # Errors
    /// A new band without `low` or `high`.
    pub(super) fn apply(self, old: Option<BandEntry>, your: &str) -> Result<BandEntry, Missing> {
        let changed = changed(&[
            ("low", self.low.is_some()),
            ("mid", self.mid.is_some()),
            ("high", self.high.is_some()),
        ]);
        let ends_moved = self.low.is_some() || self.high.is_some();
        let low = self
            .low
            .or(old.as_ref().map(|o| o.low))
            .ok_or(("low", "add low = \"1%\""))?;
        let high = self
            .high
            .or(old.as_ref().map(|o| o.high))
            .ok_or(("high", "add high = \"4%\""))?;
        let old_mid = old.as_ref().and_then(|o| o.mid).filter(|_| !ends_moved);
        Ok(BandEntry {
            low,
            mid: self.mid.or(old_mid),
            high,
            source: merged_source(
                self.source,
                old.as_ref().map(|o| o.source.as_str()),
                &changed,
                your,
            ),
        })
    }
}

/// The names of the keys a patch sets.
fn changed(keys: &[(&'static str, bool)]) -> Vec<&'static str> {
    keys.iter()
        .filter(|(_, set)| *set)
        .map(|(k, _)| *k)
        .collect()
}

/// Keys of `[farming]`.
pub(super) const FARMING_KEYS: Keys = &["low", "mid", "high", "reward_share", "source"];

/// Changes to the farming defaults.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FarmingPatch {
    low: Option<BookRate>,
    mid: Option<BookRate>,
    high: Option<BookRate>,
    reward_share: Option<Share>,
    source: Option<String>,
}

impl FarmingPatch {
    /// The farming defaults with these changes over `old`.
    ///
    /// # Errors
    /// New defaults without a band or a `reward_share`.
    pub(super) fn apply(
        self,
        old: Option<FarmingEntry>,
        your: &str,
    ) -> Result<FarmingEntry, Missing> {
        let share = self
            .reward_share
            .map(|s| s.0)
            .or(old.as_ref().map(|o| o.reward_share))
            .ok_or(("reward_share", "add reward_share = \"80%\""))?;
        let band = BandPatch {
            low: self.low,
            mid: self.mid,
            high: self.high,
            source: self.source,
        };
        let mut changed_share = band_changed(&band);
        if self.reward_share.is_some() {
            changed_share.push("reward_share");
        }
        let old_band = old.map(|o| BandEntry {
            low: o.low,
            mid: o.mid,
            high: o.high,
            source: o.source,
        });
        let given = band.source.clone();
        let old_source = old_band.as_ref().map(|b| b.source.clone());
        let b = band.apply(old_band, your)?;
        Ok(FarmingEntry {
            low: b.low,
            mid: b.mid,
            high: b.high,
            reward_share: share,
            source: merged_source(given, old_source.as_deref(), &changed_share, your),
        })
    }
}

/// The figures of a band patch that are set.
fn band_changed(b: &BandPatch) -> Vec<&'static str> {
    changed(&[
        ("low", b.low.is_some()),
        ("mid", b.mid.is_some()),
        ("high", b.high.is_some()),
    ])
}

/// Keys of one `[staking_methods.NAME]`.
pub(super) const METHOD_KEYS: Keys = &["fee", "source"];

/// Changes to a staking route.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MethodPatch {
    fee: Option<Share>,
    source: Option<String>,
}

impl MethodPatch {
    /// The route with these changes over `old`.
    ///
    /// # Errors
    /// A new route without a `fee`.
    pub(super) fn apply(
        self,
        old: Option<MethodEntry>,
        your: &str,
    ) -> Result<MethodEntry, Missing> {
        let changed = changed(&[("fee", self.fee.is_some())]);
        let fee = self
            .fee
            .map(|s| s.0)
            .or(old.as_ref().map(|o| o.fee))
            .ok_or(("fee", "add fee = \"10%\""))?;
        Ok(MethodEntry {
            fee,
            source: merged_source(
                self.source,
                old.as_ref().map(|o| o.source.as_str()),
                &changed,
                your,
            ),
        })
    }
}

/// Keys of one `[risk_tiers.NAME]`.
pub(super) const TIER_KEYS: Keys = &["loss_probability", "loss_given_event", "source"];

/// Changes to a risk tier.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TierPatch {
    loss_probability: Option<Share>,
    loss_given_event: Option<Share>,
    source: Option<String>,
}

impl TierPatch {
    /// The tier with these changes over `old`.
    ///
    /// # Errors
    /// A new tier without one of its two figures.
    pub(super) fn apply(self, old: Option<TierEntry>, your: &str) -> Result<TierEntry, Missing> {
        let changed = changed(&[
            ("loss_probability", self.loss_probability.is_some()),
            ("loss_given_event", self.loss_given_event.is_some()),
        ]);
        Ok(TierEntry {
            loss_probability: self
                .loss_probability
                .map(|s| s.0)
                .or(old.as_ref().map(|o| o.loss_probability))
                .ok_or(("loss_probability", "add loss_probability = \"1%\""))?,
            loss_given_event: self
                .loss_given_event
                .map(|s| s.0)
                .or(old.as_ref().map(|o| o.loss_given_event))
                .ok_or(("loss_given_event", "add loss_given_event = \"50%\""))?,
            source: merged_source(
                self.source,
                old.as_ref().map(|o| o.source.as_str()),
                &changed,
                your,
            ),
        })
    }
}

/// Keys of one `[protocols.NAME]`.
pub(super) const PROTOCOL_KEYS: Keys = &["name", "tier", "source"];

/// Changes to a protocol.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ProtocolPatch {
    name: Option<String>,
    tier: Option<String>,
    source: Option<String>,
}

impl ProtocolPatch {
    /// The protocol `id` with these changes over `old`; its name defaults to `id`.
    ///
    /// # Errors
    /// A new protocol without a `tier`.
    pub(super) fn apply(
        self,
        old: Option<ProtocolEntry>,
        id: &str,
        your: &str,
    ) -> Result<ProtocolEntry, Missing> {
        let changed = changed(&[("tier", self.tier.is_some())]);
        Ok(ProtocolEntry {
            name: self
                .name
                .or(old.as_ref().map(|o| o.name.clone()))
                .unwrap_or_else(|| id.to_string()),
            tier: self
                .tier
                .or(old.as_ref().map(|o| o.tier.clone()))
                .ok_or(("tier", "add tier = \"established\" (a key of [risk_tiers])"))?,
            source: merged_source(
                self.source,
                old.as_ref().map(|o| o.source.as_str()),
                &changed,
                your,
            ),
        })
    }
}

/// Keys of `[unknown_asset]`.
pub(super) const UNKNOWN_ASSET_KEYS: Keys = &["volatility"];

/// Changes to what is assumed of an unknown asset.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct UnknownAssetPatch {
    volatility: Option<Written<BookRate>>,
}

impl UnknownAssetPatch {
    /// The assumption with these changes over `old`.
    ///
    /// # Errors
    /// A new assumption without a `volatility`.
    pub(super) fn apply(
        self,
        old: Option<UnknownAssetEntry>,
        your: &str,
    ) -> Result<UnknownAssetEntry, Missing> {
        Ok(UnknownAssetEntry {
            volatility: self
                .volatility
                .map(|f| figure(f, your))
                .or(old.map(|o| o.volatility))
                .ok_or(("volatility", "add volatility = \"100%\""))?,
        })
    }
}

/// A correlation, bare or with its source, as the book holds it.
pub(super) fn correlation(w: Written<Coefficient>, your: &str) -> super::CorrelationEntry {
    let (c, source) = w.parts(your);
    super::CorrelationEntry { value: c.0, source }
}
