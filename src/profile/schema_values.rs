//! The JSON Schemas of a profile's values (rates, shares, money, bands,
//! closed-set names), shared by the schemas of its tables
//! ([`super::file_schema`], [`super::optimize_schema`]). Built with the tests
//! only, like them.

use std::borrow::Cow;
use std::marker::PhantomData;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::{Value, json};

use crate::names::ClosedSet;

/// A percent string such as `"4.5%"` (underscores and an exponent allowed).
pub(super) const PERCENT_PATTERN: &str =
    r"^\s*[+-]?[0-9][0-9_]*(\.[0-9][0-9_]*)?([eE][+-]?[0-9]+)?\s*%\s*$";

/// A percent string or a bare fraction from `min` to `max`.
pub(super) fn percent_or_fraction(description: &str, min: f64, max: f64) -> Schema {
    json_schema!({
        "description": description,
        "anyOf": [
            { "type": "string", "pattern": PERCENT_PATTERN },
            { "type": "number", "minimum": min, "maximum": max }
        ]
    })
}

/// A yearly rate, as a percent string (`"4.5%"`, up to 1,000,000%) or a
/// fraction from 0 to 1 (`0.045`).
pub(super) struct Rate;

impl JsonSchema for Rate {
    fn schema_name() -> Cow<'static, str> {
        "Rate".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        percent_or_fraction(
            "A rate: a percent string such as \"4.5%\", or a fraction from 0 to 1 such as 0.045 (a bare number above 1 is refused: write \"35%\", not 35).",
            0.0,
            1.0,
        )
    }
}

/// A share from 0% to 100%.
pub(super) struct Share;

impl JsonSchema for Share {
    fn schema_name() -> Cow<'static, str> {
        "Share".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        percent_or_fraction(
            "A share from 0% to 100%: a percent string such as \"35%\", or a fraction such as 0.35.",
            0.0,
            1.0,
        )
    }
}

/// A signed change, at least −100%.
pub(super) struct Change;

impl JsonSchema for Change {
    fn schema_name() -> Cow<'static, str> {
        "Change".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        percent_or_fraction(
            "A change from -100% to +1,000%: a percent string such as \"-30%\", or a fraction such as -0.3.",
            -1.0,
            1.0,
        )
    }
}

/// An amount of money in the portfolio's currency.
pub(super) struct Money;

impl JsonSchema for Money {
    fn schema_name() -> Cow<'static, str> {
        "Money".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An amount of money in the portfolio's currency: a number above 0, at most 10^15.",
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 1_000_000_000_000_000_i64
        })
    }
}

/// A yield band: one rate, or `{ low, mid, high }`.
pub(super) struct Band;

impl JsonSchema for Band {
    fn schema_name() -> Cow<'static, str> {
        "Band".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A yearly yield band: one rate, or { low, high } with an optional mid (each a rate).",
            "anyOf": [
                generator.subschema_for::<Rate>(),
                generator.subschema_for::<BandTable>()
            ]
        })
    }
}

/// A yield band written as a table.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
pub(super) struct BandTable {
    /// The pessimistic end, a rate a year.
    low: Rate,
    /// The expected value, a rate a year (default: the average of low and high).
    mid: Option<Rate>,
    /// The optimistic end, a rate a year.
    high: Rate,
}

/// An income: one amount, or `{ min, max }`.
pub(super) struct Income;

impl JsonSchema for Income {
    fn schema_name() -> Cow<'static, str> {
        "Income".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An income: one amount, or { min, max } (amounts in the portfolio's currency).",
            "anyOf": [
                generator.subschema_for::<Money>(),
                generator.subschema_for::<IncomeRange>()
            ]
        })
    }
}

/// An income written as a range.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
pub(super) struct IncomeRange {
    /// The least income wanted, an amount per period.
    min: Money,
    /// The most income wanted, an amount per period.
    max: Money,
}

/// A name from a closed set, listed with what each name means.
pub(super) struct Named<T>(PhantomData<T>);

impl<T: ClosedSet> JsonSchema for Named<T> {
    fn schema_name() -> Cow<'static, str> {
        let full = std::any::type_name::<T>();
        full.rsplit("::").next().unwrap_or(full).to_string().into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let names: Vec<Value> = T::ALL
            .iter()
            .map(|m| match m.help() {
                "" => json!({ "const": m.name() }),
                help => json!({ "const": m.name(), "description": help }),
            })
            .collect();
        json_schema!({ "type": "string", "oneOf": names })
    }
}

/// Two of something, in order.
pub(super) type Pair<T> = [T; 2];
