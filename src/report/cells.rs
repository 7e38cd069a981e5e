//! The cells and short texts the report layouts share: how an amount of
//! money, a rate, a low / mid / high band, a goal status or a warning looks
//! on screen, and which raw values stand behind it in CSV.
//!
//! Raw values are exact decimals: money in the portfolio's currency, rates as
//! fractions (0.05 for 5%). On screen, money goes through
//! [`format_money`] and rates through [`format_rate`] (percent, two
//! decimals). This module only formats: it computes nothing new and does no
//! I/O.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::decimal_text::plain;
use crate::engine::lints::Warning;
use crate::engine::plan::{MoneyBand, Status};
use crate::model::Band;
use crate::money::{Money, Rate, format_money, format_rate};

use super::document::Cell;

/// An amount of money as its exact decimal, without trailing zeros ("1234.5").
pub(crate) fn raw_money(m: Money) -> String {
    plain(m.settle().0)
}

/// A rate as its exact fraction, without trailing zeros ("0.05" for 5%).
pub(crate) fn raw_rate(r: Rate) -> String {
    plain(r.settle().0)
}

/// A plain decimal fraction (a pool weight, say) as a percent: 0.8 → "80.00%".
pub(crate) fn percent_text(fraction: Decimal) -> String {
    format_rate(Rate(fraction))
}

/// A band of rates with the percent sign once: "3.00 / 4.00 / 5.00%".
pub(crate) fn band_text(b: Band) -> String {
    let mut out = format_rate(b.low);
    out.pop();
    out.push_str(" / ");
    out.push_str(&format_rate(b.mid));
    out.pop();
    out.push_str(" / ");
    out.push_str(&format_rate(b.high));
    out
}

/// A band of money amounts in `currency`: "$1,000.00 / $2,000.00 / $3,000.00".
pub(crate) fn money_band_text(m: MoneyBand, currency: &str) -> String {
    format!(
        "{} / {} / {}",
        format_money(m.low, currency),
        format_money(m.mid, currency),
        format_money(m.high, currency)
    )
}

/// A missing value: "-" on screen, `raws` empty fields in CSV.
pub(crate) fn missing_cell(raws: usize) -> Cell {
    Cell::new("-", vec![String::new(); raws])
}

/// An amount of money in `currency`.
pub(crate) fn money_cell(m: Money, currency: &str) -> Cell {
    Cell::new(format_money(m, currency), vec![raw_money(m)])
}

/// A rate (a fraction, shown as a percent).
pub(crate) fn rate_cell(r: Rate) -> Cell {
    Cell::new(format_rate(r), vec![raw_rate(r)])
}

/// A rate, or "-" when there is none.
pub(crate) fn optional_rate_cell(r: Option<Rate>) -> Cell {
    r.map_or_else(|| missing_cell(1), rate_cell)
}

/// A band of rates: all three on screen, low, mid and high in CSV.
pub(crate) fn band_cell(b: Band) -> Cell {
    Cell::new(
        band_text(b),
        vec![raw_rate(b.low), raw_rate(b.mid), raw_rate(b.high)],
    )
}

/// A band of rates, or "-" (and three empty CSV fields) when there is none.
pub(crate) fn optional_band_cell(b: Option<Band>) -> Cell {
    b.map_or_else(|| missing_cell(3), band_cell)
}

/// A band of rates showing only its mid value; CSV still gets all three.
pub(crate) fn band_mid_cell(b: Band) -> Cell {
    Cell {
        text: format_rate(b.mid),
        ..band_cell(b)
    }
}

/// A band of income in `currency`: the mid amount on screen, low, mid and
/// high in CSV.
pub(crate) fn income_cell(m: MoneyBand, currency: &str) -> Cell {
    Cell::new(
        format_money(m.mid, currency),
        vec![raw_money(m.low), raw_money(m.mid), raw_money(m.high)],
    )
}

/// A flag: "yes" or "no" on screen, "true" or "false" in CSV.
pub(crate) fn yes_no_cell(flag: bool) -> Cell {
    Cell::new(if flag { "yes" } else { "no" }, vec![flag.to_string()])
}

/// A goal status by name ("meets", "likely"…), or "-" without a goal.
pub(crate) fn status_text(s: Option<Status>) -> String {
    s.map_or("-".to_string(), |s| s.name().to_string())
}

/// A lint warning on one line: "severity[lint]: message".
pub(crate) fn warning_text(w: &Warning) -> String {
    format!("{}[{}]: {}", w.severity.name(), w.lint, w.message)
}

/// An amount as a chart coordinate (0 if it does not fit an `f64`).
pub(crate) fn chart_value(m: Money) -> f64 {
    m.0.to_f64().unwrap_or(0.0)
}

/// A one-line chart of `values` from "▁" to "█" (empty for no values).
///
/// Each value is placed on eight levels between the lowest and the highest;
/// when all are equal, every bar sits at the fourth level.
#[must_use]
pub fn sparkline(values: &[f64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let (lo, hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        });
    values
        .iter()
        .map(|v| {
            if hi > lo {
                let i = ((v - lo) / (hi - lo) * 7.0).round() as usize;
                BARS[i.min(7)]
            } else {
                BARS[3]
            }
        })
        .collect()
}

/// A sparkline of the amounts `values` followed by the `first` and `last`
/// amounts in `currency`: "▁▃▅█  $1,000.00 -> $2,000.00" (an amount left out
/// is empty).
pub(crate) fn trend_text(
    values: &[Money],
    first: Option<Money>,
    last: Option<Money>,
    currency: &str,
) -> String {
    let heights: Vec<f64> = values.iter().map(|m| chart_value(*m)).collect();
    let amount = |m: Option<Money>| m.map_or(String::new(), |m| format_money(m, currency));
    format!(
        "{}  {} -> {}",
        sparkline(&heights),
        amount(first),
        amount(last)
    )
}

/// `n` things: "1 path", "10000 paths" (the number as given, `thing`
/// taking an "s" unless there is exactly one).
#[must_use]
pub fn counted(n: u64, thing: &str) -> String {
    if n == 1 {
        format!("1 {thing}")
    } else {
        format!("{n} {thing}s")
    }
}
