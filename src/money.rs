//! Money and rates as exact decimals.
//!
//! Every amount of money and every rate in a plan is a `rust_decimal::Decimal`
//! wrapped in a newtype, so the two cannot be mixed up and nothing is rounded by
//! accident. Rounding happens only through [`ROUNDING`], when a figure is settled
//! for a report. `f64` crosses into the plan only through [`decimal_from_f64`],
//! which rejects NaN and infinity. This module must not know about profiles,
//! the engine or output formats beyond plain text formatting of a figure, and
//! does no I/O.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, Sub};

use rust_decimal::prelude::*;
use serde::Serialize;

use crate::decimal_text::{plain, push_fixed};
use crate::number_text::{NumberProblem, Written};

/// The one rounding policy of the project: half away from zero, the
/// commercial rule users expect on statements.
pub const ROUNDING: RoundingStrategy = RoundingStrategy::MidpointAwayFromZero;

/// Decimal places kept for money in reports (cents).
pub const MONEY_DP: u32 = 2;

/// Decimal places kept for rates (as fractions) in reports: 6 places of a
/// fraction are 0.0001 percentage points.
pub const RATE_DP: u32 = 6;

/// The largest portfolio value accepted: 10^15 in any currency.
pub const MAX_MONEY: Decimal = Decimal::from_parts(0xA4C6_8000, 0x0003_8D7E, 0, false, 0);

/// The largest monthly amount whose year (twelve of it) is within
/// [`MAX_MONEY`]: 83,333,333,333,333.33, to the cent below.
#[must_use]
pub fn max_monthly() -> Decimal {
    (MAX_MONEY / Decimal::from(12))
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero)
}

/// The largest rate accepted: a million percent (10,000 as a fraction).
pub const MAX_RATE: Decimal = Decimal::from_parts(10_000, 0, 0, false, 0);

/// An amount of money in the portfolio's currency (the currency itself is
/// carried by the portfolio, not by each amount). Serialised as a bare decimal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(pub Decimal);

/// A rate as a fraction: 0.05 is 5%. Yields are per year; shares, weights and
/// probabilities use the same type. Serialised as a bare decimal fraction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rate(pub Decimal);

/// JSON keeps every digit of an amount or rate (it is rounded only when shown
/// in a table, CSV or Markdown), without trailing zeros.
impl Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_decimal(self.0, s)
    }
}

/// As for [`Money`]: every digit, no trailing zeros.
impl Serialize for Rate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_decimal(self.0, s)
    }
}

/// `value` without trailing zeros as an exact JSON number, the way
/// `rust_decimal`'s `serde-arbitrary-precision` writes it, from text made by
/// [`crate::decimal_text::plain`].
fn serialize_decimal<S: serde::Serializer>(value: Decimal, s: S) -> Result<S::Ok, S::Error> {
    use std::str::FromStr;
    serde_json::Number::from_str(&plain(value.normalize()))
        .map_err(serde::ser::Error::custom)?
        .serialize(s)
}

impl Money {
    /// No money.
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// Rounded to cents ([`MONEY_DP`]) with the project's [`ROUNDING`], with
    /// trailing zeros dropped (5.00 becomes 5).
    #[must_use]
    pub fn settle(self) -> Money {
        Money(
            self.0
                .round_dp_with_strategy(MONEY_DP, ROUNDING)
                .normalize(),
        )
    }

    /// What this amount earns in a year at `rate` (simple interest:
    /// amount × rate), unrounded.
    #[must_use]
    pub fn at(self, rate: Rate) -> Money {
        Money(self.0 * rate.0)
    }

    /// The share of `whole` this amount is, as a fraction; zero when `whole`
    /// is zero.
    #[must_use]
    pub fn share_of(self, whole: Money) -> Rate {
        if whole.0.is_zero() {
            Rate(Decimal::ZERO)
        } else {
            Rate(self.0 / whole.0)
        }
    }

    /// The amount in whole cents (a count, not money), truncated toward
    /// zero, for exact allocation.
    #[must_use]
    pub fn cents(self) -> Decimal {
        (self.0 * Decimal::ONE_HUNDRED).trunc()
    }

    /// The amount of `cents` hundredths of the currency unit: the inverse of
    /// [`Money::cents`] for whole cents.
    #[must_use]
    pub fn from_cents(cents: Decimal) -> Money {
        Money(cents / Decimal::ONE_HUNDRED)
    }
}

impl Rate {
    /// A rate of 0%.
    pub const ZERO: Rate = Rate(Decimal::ZERO);

    /// Rounded to [`RATE_DP`] places of a fraction with the project's
    /// [`ROUNDING`], trailing zeros dropped, for reports.
    #[must_use]
    pub fn settle(self) -> Rate {
        Rate(self.0.round_dp_with_strategy(RATE_DP, ROUNDING).normalize())
    }

    /// The rate of `p` percent: `Rate::percent(5)` is 0.05.
    #[must_use]
    pub fn percent(p: i64) -> Rate {
        Rate(Decimal::new(p, 2))
    }

    /// The fraction as an `f64`, for the floating-point parts of the engine
    /// (impermanent loss, simulation); 0.0 if it cannot be represented (never
    /// for rates within [`MAX_RATE`]).
    #[must_use]
    pub fn to_f64(self) -> f64 {
        self.0.to_f64().unwrap_or(0.0)
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(iter.map(|m| m.0).sum())
    }
}

impl Add for Rate {
    type Output = Rate;
    fn add(self, rhs: Rate) -> Rate {
        Rate(self.0 + rhs.0)
    }
}

/// Converts a computed `f64` into a decimal, refusing NaN and infinity (and
/// values beyond `Decimal`'s range, about ±7.9 × 10^28).
#[must_use]
pub fn decimal_from_f64(x: f64) -> Option<Decimal> {
    if x.is_finite() {
        Decimal::from_f64(x)
    } else {
        None
    }
}

/// Parses a rate written as a percent string: `"4.5%"` is 0.045.
/// Returns `None` when the text is not a number followed by `%`.
#[must_use]
pub fn parse_percent(text: &str) -> Option<Decimal> {
    let number = text.trim().strip_suffix('%')?.trim();
    let value = parse_decimal_text(number)?;
    // A percent whose fraction has more places than a decimal holds
    // (`1e-28%`, which would round to 0) is not one a rate can hold.
    value
        .checked_div(Decimal::ONE_HUNDRED)
        .filter(|fraction| fraction.checked_mul(Decimal::ONE_HUNDRED) == Some(value))
}

/// Why `text`, a percent that [`parse_percent`] refused, is not one, when
/// it is a number a decimal cannot hold (`1e-30%`, `1e40%`): what is wrong
/// and how to fix it. `None` for text that is not a number at all.
#[must_use]
pub fn unheld_percent(text: &str) -> Option<(&'static str, &'static str)> {
    let x = text
        .trim()
        .strip_suffix('%')?
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite() && *x != 0.0)?;
    Some(if x.abs() < 1.0 {
        (
            "has more decimal places than a rate holds (28, as a fraction)",
            "round it; a rate this small is 0% to any figure shown",
        )
    } else {
        ("is too large for a rate", "rates are at most 1,000,000%")
    })
}

/// Parses a plain decimal number such as `1000`, `0.045`, `1_000.5` or `1e3`,
/// exactly (no binary floating point), by the one grammar of
/// [`crate::number_text`]. Returns `None` for anything else, including
/// `nan`, `inf`, a point without a digit on each side (`.5`, `5.`), a
/// stray underscore, and a number a decimal cannot hold.
#[must_use]
pub fn parse_decimal_text(text: &str) -> Option<Decimal> {
    crate::number_text::read_decimal(text).ok()
}

/// Why a text is not an amount of money as the review's files and flags
/// write it (see [`read_amount`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmountProblem {
    /// Not written as a number, or a point with no digit on one side.
    Number(NumberProblem),
    /// Below zero.
    Negative,
    /// Above [`MAX_MONEY`] (10^15).
    TooLarge,
    /// Not in whole cents.
    FractionsOfACent,
}

impl AmountProblem {
    /// What is wrong with `text`, as the end of a sentence that begins with
    /// it: "is negative", "is too large (above 10^15)", "has fractions of a
    /// cent", "is not a number", "has no digit before its point; write 0.5".
    #[must_use]
    pub fn reason(self, text: &str) -> String {
        match self {
            AmountProblem::Number(p) => p.reason(text),
            AmountProblem::Negative => "is negative".to_string(),
            AmountProblem::TooLarge => "is too large (above 10^15)".to_string(),
            AmountProblem::FractionsOfACent => "has fractions of a cent".to_string(),
        }
    }
}

/// Reads an amount of money as the review's inputs write it (holdings and
/// income files, `--cash`): a number by the grammar of
/// [`crate::number_text`] (the profile's: `1000`, `1_000.50`, `1e3`), at
/// least 0, at most [`MAX_MONEY`], in whole cents. The problem is judged on
/// the digits written, so `-1e400` is negative, `1e400` too large and
/// `1e-400` a fraction of a cent, and `0e999999` is zero.
///
/// # Errors
/// The first of: not a number (or a point with no digit on one side),
/// negative, too large, fractions of a cent.
pub fn read_amount(text: &str) -> Result<Decimal, AmountProblem> {
    let written = Written::read(text).map_err(AmountProblem::Number)?;
    let Some(magnitude) = written.magnitude() else {
        return Ok(Decimal::ZERO);
    };
    if written.negative {
        return Err(AmountProblem::Negative);
    }
    if magnitude > 15 || (magnitude == 15 && !written.is_power_of_ten(15)) {
        return Err(AmountProblem::TooLarge);
    }
    if written.places() > 2 {
        return Err(AmountProblem::FractionsOfACent);
    }
    written.decimal().map_err(AmountProblem::Number)
}

/// A symbol for display, `None` when the currency is shown by its code.
fn currency_symbol(code: &str) -> Option<&'static str> {
    match code {
        "USD" => Some("$"),
        "EUR" => Some("€"),
        "GBP" => Some("£"),
        "JPY" => Some("¥"),
        _ => None,
    }
}

/// Rounds `value` to `dp` decimal places with [`ROUNDING`] and groups its
/// integer digits with commas: 1234567.5 at 2 places → "1,234,567.50". A
/// value that rounds to zero has no minus sign.
#[must_use]
pub fn group_thousands(value: Decimal, dp: u32) -> String {
    let mut out = String::with_capacity(24);
    push_grouped(&mut out, value, dp);
    out
}

/// Appends [`group_thousands`]`(value, dp)` to `out`.
fn push_grouped(out: &mut String, value: Decimal, dp: u32) {
    let rounded = value.round_dp_with_strategy(dp, ROUNDING);
    if rounded.is_sign_negative() && !rounded.is_zero() {
        out.push('-');
    }
    push_fixed(out, rounded, dp, true);
}

/// Formats money for people, rounded to cents: `$1,234.50`, `-€20.00`,
/// `1,000.00 CHF`. USD, EUR, GBP and JPY show as a symbol, other codes after
/// the amount, an empty code not at all.
#[must_use]
pub fn format_money(amount: Money, currency: &str) -> String {
    let mut out = String::with_capacity(24);
    match currency_symbol(currency) {
        Some(symbol) => {
            let rounded = amount.0.round_dp_with_strategy(MONEY_DP, ROUNDING);
            if rounded.is_sign_negative() && !rounded.is_zero() {
                out.push('-');
            }
            out.push_str(symbol);
            push_fixed(&mut out, rounded, MONEY_DP, true);
        }
        None => {
            push_grouped(&mut out, amount.0, MONEY_DP);
            if !currency.is_empty() {
                out.push(' ');
                out.push_str(currency);
            }
        }
    }
    out
}

/// Formats a rate (a fraction) as a percent with two decimals, rounded with
/// [`ROUNDING`]: 0.05125 → "5.13%".
#[must_use]
pub fn format_rate(rate: Rate) -> String {
    // A rate past a hundredth of the decimal's range shows at the range's
    // end rather than overflow (no rate the engine reports comes near it).
    let scaled = rate
        .0
        .checked_mul(Decimal::ONE_HUNDRED)
        .unwrap_or(if rate.0.is_sign_negative() {
            Decimal::MIN
        } else {
            Decimal::MAX
        });
    let pct = scaled.round_dp_with_strategy(2, ROUNDING);
    let mut out = String::with_capacity(12);
    if pct.is_sign_negative() {
        out.push('-');
    }
    push_fixed(&mut out, pct, 2, false);
    out.push('%');
    out
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_rate(*self))
    }
}

/// Splits `total` whole cents in proportion to `shares` by the
/// largest-remainder method: each part first gets the whole cents of its
/// exact share; the cents left over go one each to the parts with the
/// largest fractional remainders (earlier parts first on ties), so the split
/// is deterministic and sums to `total` exactly. `shares` are any
/// non-negative numbers; with none, or all zero, every part is zero.
#[must_use]
pub fn split_cents(total: Decimal, shares: &[Decimal]) -> Vec<Decimal> {
    let sum: Decimal = shares.iter().copied().sum();
    if shares.is_empty() || sum <= Decimal::ZERO {
        return vec![Decimal::ZERO; shares.len()];
    }
    let exact: Vec<Decimal> = shares.iter().map(|s| total * *s / sum).collect();
    let mut parts: Vec<Decimal> = exact.iter().map(Decimal::floor).collect();
    let given: Decimal = parts.iter().copied().sum();
    let mut left = (total - given).to_usize().unwrap_or(0);
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - parts[b])
            .cmp(&(exact[a] - parts[a]))
            .then(a.cmp(&b))
    });
    for &i in order.iter().cycle() {
        if left == 0 {
            break;
        }
        parts[i] += Decimal::ONE;
        left -= 1;
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros_free::dec;

    /// A tiny stand-in for the `dec!` macro, to avoid a dependency in tests.
    mod rust_decimal_macros_free {
        macro_rules! dec {
            ($t:literal) => {
                rust_decimal::Decimal::from_str_exact(stringify!($t)).unwrap()
            };
        }
        pub(crate) use dec;
    }

    #[test]
    fn bounds_are_what_their_names_say() {
        assert_eq!(MAX_MONEY, Decimal::from(1_000_000_000_000_000_i64));
        assert_eq!(MAX_RATE, Decimal::from(10_000));
    }

    #[test]
    fn percent_strings_parse_exactly() {
        assert_eq!(parse_percent("4.5%"), Some(dec!(0.045)));
        assert_eq!(parse_percent(" 35 % "), Some(dec!(0.35)));
        assert_eq!(parse_percent("0.1%"), Some(dec!(0.001)));
        assert_eq!(parse_percent("35"), None);
        assert_eq!(parse_percent("abc%"), None);
        assert_eq!(parse_percent("%"), None);
        // A fraction past the decimal's 28 places is refused, not rounded
        // (to 0 for 1e-28%); at 28 places it is exact.
        assert_eq!(parse_percent("0.0000000000000000000000000001%"), None);
        assert_eq!(parse_percent("0.00000000000000000000000001234567%"), None);
        assert_eq!(
            parse_percent("0.00000000000000000000000001%"),
            Some(dec!(0.0000000000000000000000000001))
        );
        assert_eq!(parse_percent("0%"), Some(Decimal::ZERO));
    }

    #[test]
    fn plain_numbers_parse_exactly() {
        assert_eq!(parse_decimal_text("1_000.25"), Some(dec!(1000.25)));
        assert_eq!(parse_decimal_text("1e3"), Some(dec!(1000)));
        assert_eq!(parse_decimal_text("2.5E-2"), Some(dec!(0.025)));
        assert_eq!(parse_decimal_text("nan"), None);
        assert_eq!(parse_decimal_text("inf"), None);
        assert_eq!(parse_decimal_text("1.e3"), None);
        assert_eq!(parse_decimal_text("_1"), None);
    }

    /// One grammar, and the problem named from the digits written.
    #[test]
    fn amounts_say_what_is_wrong() {
        use AmountProblem::*;
        assert_eq!(read_amount("12.50"), Ok(dec!(12.50)));
        assert_eq!(read_amount("1_000"), Ok(dec!(1000)));
        assert_eq!(read_amount("1e3"), Ok(dec!(1000)));
        assert_eq!(read_amount("1e15"), Ok(MAX_MONEY));
        assert_eq!(read_amount("0e999999"), Ok(Decimal::ZERO));
        assert_eq!(read_amount("-0.00"), Ok(Decimal::ZERO));
        for (text, want) in [
            (".5", Number(NumberProblem::LeadingPoint)),
            ("5.", Number(NumberProblem::TrailingPoint)),
            ("1.e3", Number(NumberProblem::TrailingPoint)),
            ("1__000", Number(NumberProblem::NotANumber)),
            ("abc", Number(NumberProblem::NotANumber)),
            ("-10", Negative),
            ("-1e400", Negative),
            ("-1e-400", Negative),
            ("1e400", TooLarge),
            ("1000000000000000.01", TooLarge),
            ("99999999999999999999999999999", TooLarge),
            ("10.001", FractionsOfACent),
            ("1e-400", FractionsOfACent),
            ("0.0000000000000000000000000000001", FractionsOfACent),
        ] {
            assert_eq!(read_amount(text), Err(want), "{text}");
        }
        assert_eq!(
            Number(NumberProblem::LeadingPoint).reason(".05"),
            "has no digit before its point; write 0.05"
        );
    }

    #[test]
    fn money_is_grouped_and_signed() {
        assert_eq!(format_money(Money(dec!(1234567.5)), "USD"), "$1,234,567.50");
        assert_eq!(format_money(Money(dec!(-20)), "EUR"), "-€20.00");
        assert_eq!(format_money(Money(dec!(999.999)), "CHF"), "1,000.00 CHF");
        assert_eq!(format_money(Money(dec!(0.004)), "USD"), "$0.00");
        assert_eq!(format_money(Money(dec!(100)), ""), "100.00");
    }

    #[test]
    fn rates_show_as_percent() {
        assert_eq!(format_rate(Rate(dec!(0.05125))), "5.13%");
        assert_eq!(format_rate(Rate(dec!(0.1))), "10.00%");
        assert_eq!(format_rate(Rate(dec!(-0.0572))), "-5.72%");
        // Past a hundredth of the decimal's range: its end, not an overflow.
        let (max, min) = (
            format_rate(Rate(Decimal::MAX)),
            format_rate(Rate(Decimal::MIN)),
        );
        assert!(max.starts_with("79228162514264"), "{max}");
        assert!(min.starts_with("-79228162514264"), "{min}");
    }

    #[test]
    fn settling_rounds_half_away_from_zero() {
        assert_eq!(Money(dec!(0.125)).settle(), Money(dec!(0.13)));
        assert_eq!(Money(dec!(-0.125)).settle(), Money(dec!(-0.13)));
        assert_eq!(Rate(dec!(0.0123455)).settle(), Rate(dec!(0.012346)));
    }

    #[test]
    fn f64_boundary_rejects_non_finite() {
        assert!(decimal_from_f64(f64::NAN).is_none());
        assert!(decimal_from_f64(f64::INFINITY).is_none());
        assert!(decimal_from_f64(0.5).is_some());
    }

    fn cents(x: i64) -> Decimal {
        Decimal::from(x)
    }

    #[test]
    fn thirds_of_a_hundred_dollars() {
        let parts = split_cents(cents(10_000), &[cents(1), cents(1), cents(1)]);
        assert_eq!(parts, vec![cents(3334), cents(3333), cents(3333)]);
    }

    #[test]
    fn largest_remainder_wins_the_extra_cent() {
        // 1.01 split 0.2 / 0.8: exact 20.2 and 80.8 cents → 20 and 81.
        let parts = split_cents(cents(101), &[Decimal::new(2, 1), Decimal::new(8, 1)]);
        assert_eq!(parts, vec![cents(20), cents(81)]);
    }

    #[test]
    fn zero_shares_give_zero() {
        assert_eq!(
            split_cents(cents(100), &[cents(0), cents(0)]),
            vec![cents(0), cents(0)]
        );
        assert!(split_cents(cents(100), &[]).is_empty());
    }
}
