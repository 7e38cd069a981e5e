//! Value converters: one TOML value in, a typed value or a reported problem out.
//!
//! Strings, labels, booleans, whole numbers, exact decimals, money, rates,
//! shares, signed changes and yield bands, each with the range that makes
//! sense and a message that says how to write it. A converter looks at one
//! value only: which keys a table may hold and which are required is the
//! callers' business.

use std::fmt;

use rust_decimal::Decimal;
use toml::de::{DeTable, DeValue};

use super::keys::BAND_KEYS;
use super::reader::{Reader, Val, get};
use super::{BandSpec, Sp};
use crate::error::shorten;
use crate::money::{MAX_MONEY, MAX_RATE, group_thousands, parse_decimal_text, parse_percent};

/// Longest text accepted for a name, symbol or other string field, in characters.
const MAX_STRING_CHARS: usize = 200;

/// A number as people read it: 1e16 as 10,000,000,000,000,000.
pub(super) fn readable(d: Decimal) -> String {
    if d.fract().is_zero() && d.abs() >= Decimal::from(10_000) {
        group_thousands(d, 0)
    } else {
        d.normalize().to_string()
    }
}

/// A fraction as a percent: 0.35 as "35%".
pub(super) fn percent(d: Decimal) -> String {
    format!("{}%", (d * Decimal::ONE_HUNDRED).normalize())
}

/// A plain number that does not fit an exact decimal.
#[derive(Clone, Copy)]
pub(super) enum Unfit {
    /// Too many digits before the point.
    Large,
    /// Too many digits after it.
    Precise,
}

/// The text of a rate as written, for messages.
pub(super) fn written(v: &Val<'_>, d: Decimal) -> String {
    match v.get_ref() {
        DeValue::String(s) => s.trim().to_string(),
        _ => d.normalize().to_string(),
    }
}

impl Reader {
    /// A string of at most [`MAX_STRING_CHARS`] characters.
    pub(super) fn string(
        &mut self,
        v: &Val<'_>,
        what: &(impl fmt::Display + ?Sized),
    ) -> Option<String> {
        self.string_or(v, what, "put the text in double quotes")
    }

    /// A string of at most [`MAX_STRING_CHARS`]; `help` says what to write
    /// when the value is not a string at all.
    pub(super) fn string_or(
        &mut self,
        v: &Val<'_>,
        what: &(impl fmt::Display + ?Sized),
        help: &(impl fmt::Display + ?Sized),
    ) -> Option<String> {
        let DeValue::String(s) = v.get_ref() else {
            self.wrong_type(v, what, "a string", help);
            return None;
        };
        let chars = s.chars().count();
        if chars > MAX_STRING_CHARS {
            self.error(
                v.span(),
                format!("{what} is {chars} characters long"),
                format!("use at most {MAX_STRING_CHARS} characters"),
            );
            return None;
        }
        Some(s.to_string())
    }

    /// A string naming something (an asset, a protocol): not blank.
    pub(super) fn label(
        &mut self,
        v: &Val<'_>,
        what: &(impl fmt::Display + ?Sized),
        key: &str,
    ) -> Option<String> {
        let s = self.string(v, what)?;
        if s.trim().is_empty() {
            self.error(
                v.span(),
                format!("{what} is empty"),
                format!("write a value, or leave `{key}` out"),
            );
            return None;
        }
        // A pool id is the snapshot's, matched exactly, whatever it holds.
        let hidden = (key != "pool_id")
            .then(|| crate::printable::first_hidden(s.trim()))
            .flatten();
        if let Some((c, which)) = hidden {
            self.error(
                v.span(),
                format!(
                    "{what} holds {which} (U+{:04X}), which looks like nothing or a space but makes it another name",
                    u32::from(c)
                ),
                "retype the name, or delete that character (names are compared character by character)",
            );
            return None;
        }
        Some(s)
    }

    /// `true` or `false`.
    pub(super) fn boolean(
        &mut self,
        v: &Val<'_>,
        what: &(impl fmt::Display + ?Sized),
    ) -> Option<bool> {
        if let DeValue::Boolean(b) = v.get_ref() {
            return Some(*b);
        }
        self.wrong_type(
            v,
            what,
            "true or false",
            "write true or false without quotes",
        );
        None
    }

    /// A whole number from 0 to `max`, written in decimal.
    pub(super) fn whole(
        &mut self,
        v: &Val<'_>,
        what: &(impl fmt::Display + ?Sized),
        max: u32,
    ) -> Option<u32> {
        let i = match v.get_ref() {
            DeValue::Integer(i) if i.radix() == 10 => i,
            _ => {
                self.wrong_type(v, what, "a whole number", "write a whole number such as 5");
                return None;
            }
        };
        let n = i.as_str().parse::<i64>().ok();
        let fits = n.and_then(|n| u32::try_from(n).ok()).filter(|n| *n <= max);
        if fits.is_none() {
            self.error(
                v.span(),
                format!("{what} is {}, outside 0 to {max}", shorten(i.as_str())),
                format!("use a whole number from 0 to {max}"),
            );
        }
        fits
    }

    /// A plain number (integer or float), exactly. Rejects NaN and infinity,
    /// with `example` as the fix; a number too large or too precise for an
    /// exact decimal is returned as [`Unfit`] for the caller to report, since
    /// only it knows the largest value that makes sense.
    pub(super) fn number(
        &mut self,
        v: &Val<'_>,
        what: &(impl fmt::Display + ?Sized),
        example: &str,
    ) -> Option<Result<Decimal, Unfit>> {
        let raw = match v.get_ref() {
            DeValue::Integer(i) if i.radix() == 10 => i.as_str(),
            DeValue::Integer(i) => {
                return Some(
                    i64::from_str_radix(i.as_str(), i.radix())
                        .map(Decimal::from)
                        .map_err(|_| Unfit::Large),
                );
            }
            DeValue::Float(f) => f.as_str(),
            DeValue::String(s) => {
                let help = match parse_decimal_text(s.trim()) {
                    Some(_) => format!("remove the quotes: {}", s.trim()),
                    None => format!("write {example}"),
                };
                self.wrong_type(v, what, "a number", &help);
                return None;
            }
            _ => {
                self.wrong_type(v, what, "a number", &format!("write {example}"));
                return None;
            }
        };
        let lower = raw.to_ascii_lowercase();
        if lower.contains("nan") || lower.contains("inf") {
            self.error(
                v.span(),
                format!("{what} is {raw}, not a finite number"),
                format!("write {example}"),
            );
            return None;
        }
        Some(parse_decimal_text(raw).ok_or_else(|| {
            // Only the size can make a valid TOML number unparsable here.
            let cleaned: String = raw.chars().filter(|c| *c != '_').collect();
            match cleaned.parse::<f64>() {
                Ok(f) if f.abs() < 1.0 => Unfit::Precise,
                _ => Unfit::Large,
            }
        }))
    }

    /// Reports a number that does not fit, given the largest value accepted.
    pub(super) fn unfit(
        &mut self,
        v: &Val<'_>,
        what: &(impl fmt::Display + ?Sized),
        unfit: Unfit,
        largest: &str,
    ) {
        let raw = match v.get_ref() {
            DeValue::Integer(i) => i.as_str(),
            DeValue::Float(f) => f.as_str(),
            _ => "",
        };
        let raw = shorten(raw);
        match unfit {
            Unfit::Large => self.error(
                v.span(),
                format!("{what} is {raw}, more than the {largest} this tool accepts"),
                "check the number of digits",
            ),
            Unfit::Precise => self.error(
                v.span(),
                format!("{what} is {raw}, more decimal places than this tool can hold (28)"),
                "round it",
            ),
        }
    }

    /// An amount of money: a number above zero and at most 10^15, in the
    /// portfolio's currency.
    pub(super) fn money(
        &mut self,
        v: &Val<'_>,
        what: &(impl fmt::Display + ?Sized),
    ) -> Option<Decimal> {
        let d = match self.number(v, what, "an amount such as 300000")? {
            Ok(d) => d,
            Err(unfit) => {
                self.unfit(v, what, unfit, "10^15");
                return None;
            }
        };
        if d <= Decimal::ZERO {
            self.error(
                v.span(),
                format!("{what} is {}; it must be more than zero", readable(d)),
                "write a positive amount",
            );
            return None;
        }
        if d > MAX_MONEY {
            self.error(
                v.span(),
                format!(
                    "{what} is {}, more than the 10^15 this tool accepts",
                    readable(d)
                ),
                "check the number of digits",
            );
            return None;
        }
        Some(d)
    }

    /// A rate as written: `"4.5%"` or a fraction up to 1 (`0.045`), of any
    /// sign; returned as a fraction.
    pub(super) fn rate_as_written(
        &mut self,
        v: &Val<'_>,
        what: &(impl fmt::Display + ?Sized),
    ) -> Option<Decimal> {
        const EXAMPLE: &str = "a percent such as \"4.5%\" or a fraction such as 0.045";
        match v.get_ref() {
            DeValue::String(s) => parse_percent(s).or_else(|| {
                // A number a decimal cannot hold (1e-30%, 1e40%) is a number
                // all the same: say what is wrong with it.
                if let Some((why, help)) = crate::money::unheld_percent(s) {
                    self.error(
                        v.span(),
                        format!("{what} is \"{}\", which {why}", shorten(s)),
                        help,
                    );
                    return None;
                }
                let help = match parse_decimal_text(s.trim()) {
                    Some(d) if d <= Decimal::ONE => {
                        format!(
                            "write \"{}\" or the fraction {} without quotes",
                            percent(d),
                            d.normalize()
                        )
                    }
                    Some(d) => format!("did you mean \"{}%\"?", d.normalize()),
                    None => format!("write {EXAMPLE}"),
                };
                self.error(
                    v.span(),
                    format!("{what} is \"{}\", which is not a percent", shorten(s)),
                    help,
                );
                None
            }),
            DeValue::Integer(_) | DeValue::Float(_) => {
                let d = match self.number(v, what, EXAMPLE)? {
                    Ok(d) => d,
                    Err(unfit) => {
                        self.unfit(v, what, unfit, "1,000,000%");
                        return None;
                    }
                };
                if d > Decimal::ONE {
                    let d = d.normalize();
                    let help = if d <= Decimal::TEN {
                        // Both readings, the likelier first: a volatility of
                        // 1.5 is most likely 150%, an APY of 1.5 1.5%.
                        let as_percent = format!("\"{d}%\"");
                        let as_fraction =
                            format!("\"{}%\"", (d * Decimal::ONE_HUNDRED).normalize());
                        let both = if what.to_string().contains("volatility") {
                            format!("{as_fraction} or {as_percent}")
                        } else {
                            format!("{as_percent} or {as_fraction}")
                        };
                        format!("did you mean {both}? A bare number is a fraction (0.35 = 35%)")
                    } else if d <= Decimal::ONE_HUNDRED {
                        format!("did you mean \"{d}%\"? A bare number is a fraction (0.35 = 35%)")
                    } else {
                        format!(
                            "a bare number is a fraction (0.35 = 35%); write a rate above 100% as a percent string, e.g. \"{d}%\""
                        )
                    };
                    self.error(
                        v.span(),
                        format!("{what} is {}, a bare number above 1", readable(d)),
                        help,
                    );
                    return None;
                }
                Some(d)
            }
            _ => {
                self.wrong_type(
                    v,
                    what,
                    "a percent or a fraction",
                    &format!("write {EXAMPLE}"),
                );
                None
            }
        }
    }

    /// A rate from 0 up to a million percent, returned as a fraction (0 to 10,000).
    pub(super) fn rate(
        &mut self,
        v: &Val<'_>,
        what: &(impl fmt::Display + ?Sized),
    ) -> Option<Decimal> {
        let value = self.rate_as_written(v, what)?;
        if value < Decimal::ZERO {
            self.error(
                v.span(),
                format!("{what} is {}, below zero", written(v, value)),
                "write a rate of 0% or more",
            );
            return None;
        }
        if value > MAX_RATE {
            self.error(
                v.span(),
                format!(
                    "{what} is {}, more than the 1,000,000% this tool accepts",
                    written(v, value)
                ),
                "check the figure: no yield this large can be planned on",
            );
            return None;
        }
        Some(value)
    }

    /// A share from 0% to 100%, returned as a fraction (0 to 1).
    pub(super) fn share(
        &mut self,
        v: &Val<'_>,
        what: &(impl fmt::Display + ?Sized),
    ) -> Option<Decimal> {
        let value = self.rate(v, what)?;
        if value > Decimal::ONE {
            self.error(
                v.span(),
                format!("{what} is {}, above 100%", written(v, value)),
                "use a share from 0% to 100%",
            );
            return None;
        }
        Some(value)
    }

    /// A signed change such as "-30%" or -0.3: at least −100%, at most
    /// +1,000%; returned as a fraction (−1 to 10).
    pub(super) fn change(
        &mut self,
        v: &Val<'_>,
        what: &(impl fmt::Display + ?Sized),
    ) -> Option<Decimal> {
        let value = match v.get_ref() {
            DeValue::String(s) => parse_percent(s),
            DeValue::Integer(_) | DeValue::Float(_) => match self.number(v, what, "-0.3")? {
                Ok(d) => Some(d),
                Err(unfit) => {
                    self.unfit(v, what, unfit, "10");
                    return None;
                }
            },
            _ => None,
        };
        match value {
            Some(d) if d >= -Decimal::ONE && d <= Decimal::TEN => Some(d),
            Some(_) => {
                self.error(
                    v.span(),
                    format!("{what} is outside -100% to +1,000%"),
                    "a price or yield can fall at most 100%",
                );
                None
            }
            None => {
                self.error(
                    v.span(),
                    format!("{what} is not a change"),
                    "write a percent change such as \"-30%\" or a fraction such as -0.3",
                );
                None
            }
        }
    }

    /// A plain number between `min` and `max`, with where it is written.
    pub(super) fn bounded(
        &mut self,
        v: &Val<'_>,
        what: &(impl fmt::Display + ?Sized),
        example: &str,
        min: Decimal,
        max: Decimal,
    ) -> Option<Sp<Decimal>> {
        match self.number(v, what, example)? {
            Ok(d) if d >= min && d <= max => Some(Sp::new(d, v.span())),
            Ok(d) => {
                self.error(
                    v.span(),
                    format!(
                        "{what} is {}, outside {} to {}",
                        d.normalize(),
                        min.normalize(),
                        max.normalize()
                    ),
                    format!(
                        "use a number from {} to {}, e.g. {example}",
                        min.normalize(),
                        max.normalize()
                    ),
                );
                None
            }
            Err(unfit) => {
                self.unfit(v, what, unfit, &max.normalize().to_string());
                None
            }
        }
    }

    /// A band: one rate, or `{ low, high }` with an optional `mid`; all fractions.
    pub(super) fn band(
        &mut self,
        v: &Val<'_>,
        what: &(impl fmt::Display + ?Sized),
    ) -> Option<BandSpec> {
        let DeValue::Table(t) = v.get_ref() else {
            let r = self.rate(v, what)?;
            return Some(BandSpec {
                low: r,
                mid: None,
                high: r,
            });
        };
        let suggested = self.check_keys(t, BAND_KEYS, what);
        let mut field = |key: &str| -> Option<Option<Decimal>> {
            match get(t, key) {
                Some(x) => self.rate(x, &format_args!("`{key}` of {what}")).map(Some),
                None => Some(None),
            }
        };
        let (low, mid, high) = (field("low"), field("mid"), field("high"));
        let (low, mid, high) = (low?, mid?, high?);
        let (Some(low), Some(high)) = (low, high) else {
            let misspelt = (low.is_none() && suggested.contains(&"low"))
                || (high.is_none() && suggested.contains(&"high"));
            if !misspelt {
                self.error(
                    v.span(),
                    format!("{what} needs both `low` and `high`"),
                    "write { low = \"3%\", high = \"5%\" }, or a single rate",
                );
            }
            return None;
        };
        if low > high {
            self.error(
                v.span(),
                format!(
                    "{what} has `low` ({}) above `high` ({})",
                    percent(low),
                    percent(high)
                ),
                "swap the two figures",
            );
            return None;
        }
        if let Some(m) = mid {
            if m < low || m > high {
                self.error(
                    v.span(),
                    format!("{what} has `mid` outside `low`..`high`"),
                    "put mid between low and high, or leave it out (it defaults to their average)",
                );
                return None;
            }
        }
        Some(BandSpec { low, mid, high })
    }

    /// The label written under `key` in `table`, described as "`key` of
    /// `owner`", with where it is written; `None` when absent or invalid.
    pub(super) fn label_of(
        &mut self,
        table: &DeTable<'_>,
        key: &str,
        owner: &str,
    ) -> Option<Sp<String>> {
        let x = get(table, key)?;
        self.label(x, &format_args!("`{key}` of {owner}"), key)
            .map(|s| Sp::new(s, x.span()))
    }

    /// The band written under `key` in `table`, described as "`key` of
    /// `owner`", with where it is written; `None` when absent or invalid.
    pub(super) fn band_of(
        &mut self,
        table: &DeTable<'_>,
        key: &str,
        owner: &str,
    ) -> Option<Sp<BandSpec>> {
        let x = get(table, key)?;
        self.band(x, &format_args!("`{key}` of {owner}"))
            .map(|b| Sp::new(b, x.span()))
    }
}
