//! The layout of an impermanent-loss answer: the pool described in words,
//! the loss at a given price move and the expected loss over a horizon, each
//! explained in a sentence and listed as figures. Losses are fractions shown
//! as percents; amounts are in the caller's currency. Formats only; computes
//! nothing (a loss is shown as the positive share lost by negating it).

use rust_decimal::Decimal;

use crate::decimal_text::plain;
use crate::engine::il::{IlReport, PoolOut};
use crate::model::PoolKind;
use crate::money::{Money, Rate, format_money, format_rate};
use crate::report::cells::{percent_text, raw_money, raw_rate};
use crate::report::document::{Document, Section};

/// Rows of the "Figures" section: label, value as shown, raw value for CSV.
type Figures = Vec<(String, String, String)>;

/// A pool described in words.
fn pool_words(p: &PoolOut) -> String {
    match p.kind {
        PoolKind::ConstantProduct => "a constant-product 50/50 pool".to_string(),
        PoolKind::Weighted => {
            let w = p.weight.unwrap_or_default();
            format!(
                "a weighted pool ({} A / {} B)",
                percent_text(w),
                percent_text(Decimal::ONE - w)
            )
        }
        PoolKind::Concentrated => format!(
            "a concentrated position on {}x to {}x the entry price",
            p.lower.unwrap_or_default().normalize(),
            p.upper.unwrap_or_default().normalize()
        ),
        PoolKind::Stable => format!(
            "a StableSwap pool with amplification {}",
            p.amplification.unwrap_or_default().normalize()
        ),
    }
}

/// ": $50.00 on $1,000.00": the loss on the deposited amount.
fn loss_on_amount(amount: Money, loss: Money, currency: &str) -> String {
    format!(
        ": {} on {}",
        format_money(loss, currency),
        format_money(amount, currency)
    )
}

/// A price ratio as given, in scientific notation when plain digits would
/// run past 15 places (below 10^-6 or from 10^15): `1e-320`, not 320 digits.
fn ratio_text(ratio: f64) -> String {
    if ratio == 0.0 || (1e-6..1e15).contains(&ratio.abs()) {
        ratio.to_string()
    } else {
        format!("{ratio:e}")
    }
}

/// The loss at a given price ratio: its sentence, and its figures pushed to `rows`.
fn price_move_text(r: &IlReport, pool: &str, currency: &str, rows: &mut Figures) -> Option<String> {
    let (ratio, il) = (r.ratio?, r.impermanent_loss?);
    rows.push((
        "Price ratio".to_string(),
        ratio_text(ratio),
        ratio_text(ratio),
    ));
    rows.push((
        "Impermanent loss".to_string(),
        format_rate(il),
        raw_rate(il),
    ));
    let mut text = format!(
        "If asset A's price moves to {}x its entry price against asset B, {pool} is worth {} less than simply holding the deposit",
        ratio_text(ratio),
        format_rate(Rate(-il.0))
    );
    if let (Some(amount), Some(loss)) = (r.amount, r.loss) {
        text.push_str(&loss_on_amount(amount, loss, currency));
        rows.push((
            "Loss".to_string(),
            format_money(loss, currency),
            raw_money(loss),
        ));
    }
    text.push_str(". Fees and rewards must exceed this for providing liquidity to pay.");
    Some(text)
}

/// " (from 80.00% and 60.00% with correlation 0.5)" when the ratio's
/// volatility was worked out from two assets; empty otherwise.
fn volatility_source(r: &IlReport) -> String {
    match (r.volatility_a, r.volatility_b, r.correlation) {
        (Some(a), Some(b), Some(rho)) => format!(
            " (from {} and {} with correlation {})",
            format_rate(a),
            format_rate(b),
            rho.normalize()
        ),
        _ => String::new(),
    }
}

/// The expected loss over the horizon: its sentence, and its figures pushed
/// to `rows`.
fn expected_loss_text(
    r: &IlReport,
    pool: &str,
    currency: &str,
    rows: &mut Figures,
) -> Option<String> {
    let (sigma, e) = (r.ratio_volatility?, r.expected_impermanent_loss?);
    let years = r.years.unwrap_or_default().normalize();
    let source = volatility_source(r);
    rows.push((
        "Ratio volatility".to_string(),
        format!("{} a year{source}", format_rate(sigma)),
        raw_rate(sigma),
    ));
    let span = if years == Decimal::ONE {
        "1 year".to_string()
    } else {
        format!("{years} years")
    };
    rows.push(("Horizon".to_string(), span.clone(), plain(years)));
    rows.push((
        "Expected impermanent loss".to_string(),
        format_rate(e),
        raw_rate(e),
    ));
    let mut text = format!(
        "With the A/B price ratio swinging {} a year{source} and no view on its direction, {pool} is expected to lose {} against holding over {span}",
        format_rate(sigma),
        format_rate(Rate(-e.0))
    );
    if let (Some(amount), Some(loss)) = (r.amount, r.expected_loss) {
        text.push_str(&loss_on_amount(amount, loss, currency));
        rows.push((
            "Expected loss".to_string(),
            format_money(loss, currency),
            raw_money(loss),
        ));
    }
    text.push_str(". That is the fee income needed just to break even with holding.");
    Some(text)
}

/// Lays out an impermanent-loss answer, explained in words; amounts in `currency`.
#[must_use]
pub fn il_document(r: &IlReport, currency: &str) -> Document {
    let pool = pool_words(&r.pool);
    let mut rows = Vec::new();
    let lines = [
        price_move_text(r, &pool, currency, &mut rows),
        expected_loss_text(r, &pool, currency, &mut rows),
    ]
    .into_iter()
    .flatten()
    .collect();
    Document {
        title: format!("Impermanent loss: {pool}"),
        lines,
        sections: vec![Section::Fields {
            title: "Figures".into(),
            raws: rows.iter().map(|(_, _, raw)| raw.clone()).collect(),
            rows: rows
                .into_iter()
                .map(|(label, text, _)| (label, text))
                .collect(),
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::ratio_text;

    #[test]
    fn ratios_past_fifteen_places_are_in_scientific_notation() {
        assert_eq!(ratio_text(2.0), "2");
        assert_eq!(ratio_text(0.98), "0.98");
        assert_eq!(ratio_text(0.000_001), "0.000001");
        assert_eq!(ratio_text(1e-7), "1e-7");
        assert_eq!(ratio_text(1e-320), "1e-320");
        assert_eq!(ratio_text(123_456_789_012_345.0), "123456789012345");
        assert_eq!(ratio_text(1e15), "1e15");
        assert_eq!(ratio_text(1.5e300), "1.5e300");
    }
}
