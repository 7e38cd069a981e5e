//! Values as a person writes them in a `--rates` file, and the patches that
//! change some fields of a book entry.
//!
//! A figure may be written bare (`volatility = "70%"`) or with its source
//! (`{ value = "70%", source = "..." }`); a band as one rate or as
//! `{ low, mid, high }`; a figure without a source is sourced as "your file".
//! Shares (fees, loss probabilities, reward shares, slashing) are bounded to
//! 0-100% and days to ten years, as in a profile. Nothing here knows entries
//! as a whole (that is `patches.rs`) nor places problems (that is `file.rs`).

use std::fmt;
use std::marker::PhantomData;

use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::value::{F64Deserializer, I64Deserializer, MapAccessDeserializer, U64Deserializer};
use serde::de::{self, Deserializer, MapAccess, Visitor};

use super::entries::{BandEntry, BookRate, Figure};

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
pub(super) struct DayCount(pub(super) u32);

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
    pub(super) fn parts(self, your: &str) -> (V, String) {
        match self {
            BareOr::Bare(v) => (v, your.to_string()),
            BareOr::Table(t) => (t.value, t.source.unwrap_or_else(|| your.to_string())),
        }
    }
}

/// A rate figure as the book holds it.
pub(super) fn figure<V: Into<BookRate>>(w: Written<V>, your: &str) -> Figure {
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
    pub(super) fn entry(self, your: &str) -> BandEntry {
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
