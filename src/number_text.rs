//! Numbers as text, read exactly: the one grammar of every decimal number
//! read from a file or a flag (a profile's TOML numbers and percent strings,
//! the amounts of holdings and income files, `--cash`), and what is wrong
//! with one that is not such a number.
//!
//! The grammar is TOML's for a decimal number: an optional sign, digits
//! (an underscore only between two digits, as in `1_000`), an optional
//! point with digits on both sides, an optional exponent (`1e3`, `2.5E-2`).
//! The value is read from the digits themselves, never through `f64`, so
//! `0e999999` is 0 and `1e400` is too large, whatever a float would make of
//! them. Pure: no I/O; it knows nothing of money (see [`crate::money`]).

use rust_decimal::Decimal;

/// Why a text is not a decimal number this tool can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberProblem {
    /// Not written as a number (letters, a comma, two points, a stray
    /// underscore, nothing at all).
    NotANumber,
    /// A point with no digit before it: `.5`.
    LeadingPoint,
    /// A point with no digit after it: `5.`, `1.e3`.
    TrailingPoint,
    /// Beyond a decimal's range (about 7.9 × 10^28 in magnitude).
    TooLarge,
    /// More decimal places or significant digits than a decimal holds (28).
    TooPrecise,
}

impl NumberProblem {
    /// What is wrong with `text`, as the end of a sentence that begins with
    /// the text ("\".5\" has no digit before its point; write 0.5").
    #[must_use]
    pub fn reason(self, text: &str) -> String {
        match self {
            NumberProblem::NotANumber => "is not a number".to_string(),
            NumberProblem::LeadingPoint => format!(
                "has no digit before its point; write {}",
                text.replacen('.', "0.", 1)
            ),
            NumberProblem::TrailingPoint => {
                let fixed = text.replacen('.', "", 1);
                format!("has no digit after its point; write {fixed}")
            }
            NumberProblem::TooLarge => "is too large for this tool".to_string(),
            NumberProblem::TooPrecise => {
                "has more decimal places than this tool holds (28)".to_string()
            }
        }
    }
}

/// A number's text taken apart: its sign, its digits without leading
/// zeros, and the power of ten of the last of them (value = digits ×
/// 10^`exp`). No digits at all is zero.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    /// Whether a minus sign leads.
    pub negative: bool,
    /// The digits, 0 to 9, without leading zeros; empty for zero.
    digits: Vec<u8>,
    /// The power of ten of the last digit.
    exp: i64,
}

/// The largest exponent read: past it every number is far beyond any
/// limit, so larger ones count as this (no overflow, same verdict).
const EXP_CAP: i64 = 1_000_000_000_000;

/// A run of digits from `at` in `b`, underscores only between two digits:
/// the digits and where the run ends.
fn digit_run(b: &[u8], at: usize) -> Result<(Vec<u8>, usize), NumberProblem> {
    let mut digits = Vec::new();
    let mut i = at;
    while let Some(&c) = b.get(i) {
        match c {
            b'0'..=b'9' => digits.push(c - b'0'),
            b'_' => {
                let before = i > at && b[i - 1].is_ascii_digit();
                let after = b.get(i + 1).is_some_and(u8::is_ascii_digit);
                if !(before && after) {
                    return Err(NumberProblem::NotANumber);
                }
            }
            _ => break,
        }
        i += 1;
    }
    Ok((digits, i))
}

impl Written {
    /// Takes `text` apart by the grammar above (no blanks around it).
    ///
    /// # Errors
    /// [`NumberProblem::NotANumber`], [`NumberProblem::LeadingPoint`] or
    /// [`NumberProblem::TrailingPoint`] when the text is not written as a
    /// number.
    pub fn read(text: &str) -> Result<Written, NumberProblem> {
        let b = text.as_bytes();
        let (negative, start) = match b.first() {
            Some(b'-') => (true, 1),
            Some(b'+') => (false, 1),
            _ => (false, 0),
        };
        let (int, mut i) = digit_run(b, start)?;
        let mut point = false;
        let mut frac = Vec::new();
        if b.get(i) == Some(&b'.') {
            point = true;
            let (f, next) = digit_run(b, i + 1)?;
            frac = f;
            i = next;
        }
        let mut exp: i64 = 0;
        if matches!(b.get(i), Some(b'e' | b'E')) {
            let (sign, from) = match b.get(i + 1) {
                Some(b'-') => (-1, i + 2),
                Some(b'+') => (1, i + 2),
                _ => (1, i + 1),
            };
            let (e, next) = digit_run(b, from)?;
            if e.is_empty() {
                return Err(NumberProblem::NotANumber);
            }
            let magnitude = e.iter().fold(0i64, |acc, d| {
                acc.saturating_mul(10)
                    .saturating_add(i64::from(*d))
                    .min(EXP_CAP)
            });
            exp = sign * magnitude;
            i = next;
        }
        if i != b.len() || (int.is_empty() && frac.is_empty()) {
            return Err(NumberProblem::NotANumber);
        }
        if point && int.is_empty() {
            return Err(NumberProblem::LeadingPoint);
        }
        if point && frac.is_empty() {
            return Err(NumberProblem::TrailingPoint);
        }
        // The text's length bounds the count of fraction digits.
        exp -= i64::try_from(frac.len()).unwrap_or(EXP_CAP);
        let mut digits = int;
        digits.extend(frac);
        let lead = digits.iter().take_while(|d| **d == 0).count();
        digits.drain(..lead);
        Ok(Written {
            negative,
            digits,
            exp,
        })
    }

    /// Whether the number is zero.
    #[must_use]
    pub fn is_zero(&self) -> bool {
        self.digits.iter().all(|d| *d == 0)
    }

    /// The digits without trailing zeros and the power of ten of the last.
    fn significant(&self) -> (&[u8], i64) {
        let zeros = self.digits.iter().rev().take_while(|d| **d == 0).count();
        let kept = &self.digits[..self.digits.len() - zeros];
        (kept, self.exp + i64::try_from(zeros).unwrap_or(0))
    }

    /// The power of ten of the leading digit (1 for 10 to 99); `None` for
    /// zero.
    #[must_use]
    pub fn magnitude(&self) -> Option<i64> {
        let (digits, exp) = self.significant();
        (!digits.is_empty()).then(|| exp + i64::try_from(digits.len()).unwrap_or(0) - 1)
    }

    /// Decimal places the value needs (0 for a whole number).
    #[must_use]
    pub fn places(&self) -> i64 {
        let (_, exp) = self.significant();
        (-exp).max(0)
    }

    /// Whether the value is exactly 1 × 10^`power`.
    #[must_use]
    pub fn is_power_of_ten(&self, power: i64) -> bool {
        let (digits, exp) = self.significant();
        digits == [1] && exp == power
    }

    /// The exact decimal of `digits` × 10^`exp`, when it holds one.
    fn decimal_of(&self, digits: &[u8], exp: i64) -> Option<Decimal> {
        let scale = u32::try_from((-exp).max(0)).ok().filter(|s| *s <= 28)?;
        let shift = u32::try_from(exp.max(0)).ok().filter(|s| *s <= 29)?;
        if digits.len() > 29 {
            return None;
        }
        let mut mantissa: i128 = 0;
        for d in digits {
            mantissa = mantissa * 10 + i128::from(*d);
        }
        let mantissa = mantissa.checked_mul(10i128.checked_pow(shift)?)?;
        let signed = if self.negative { -mantissa } else { mantissa };
        Decimal::try_from_i128_with_scale(signed, scale).ok()
    }

    /// The value as an exact decimal, with the scale it is written with
    /// when a decimal holds that (`1000.50` keeps its two places), else
    /// without its trailing zeros.
    ///
    /// # Errors
    /// [`NumberProblem::TooLarge`] past a decimal's range,
    /// [`NumberProblem::TooPrecise`] with more places or digits than it
    /// holds.
    pub fn decimal(&self) -> Result<Decimal, NumberProblem> {
        if self.is_zero() {
            return Ok(Decimal::ZERO);
        }
        if let Some(d) = self.decimal_of(&self.digits, self.exp) {
            return Ok(d);
        }
        let (digits, exp) = self.significant();
        if let Some(d) = self.decimal_of(digits, exp) {
            return Ok(d);
        }
        match self.magnitude() {
            Some(m) if m >= 28 => Err(NumberProblem::TooLarge),
            _ => Err(NumberProblem::TooPrecise),
        }
    }
}

/// Reads `text` (no blanks around it) as an exact decimal.
///
/// # Errors
/// Why it is not one a decimal holds: see [`NumberProblem`].
pub fn read_decimal(text: &str) -> Result<Decimal, NumberProblem> {
    Written::read(text)?.decimal()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn decimals_read_exactly_in_every_written_form() {
        for (text, want) in [
            ("0", "0"),
            ("1000.50", "1000.50"),
            ("1_000.25", "1000.25"),
            ("+5", "5"),
            ("-12.5", "-12.5"),
            ("1e3", "1000"),
            ("2.5E-2", "0.025"),
            ("1e+2", "100"),
            ("1_0e1_0", "100000000000"),
            ("0e999999", "0"),
            ("-0", "0"),
            ("007", "7"),
            ("1.000000000000000000000000000000000", "1"),
        ] {
            assert_eq!(read_decimal(text), Ok(d(want)), "{text}");
        }
        assert_eq!(read_decimal("1000.50").unwrap().scale(), 2);
    }

    #[test]
    fn each_problem_is_named() {
        use NumberProblem::*;
        for (text, want) in [
            (".5", LeadingPoint),
            ("-.5", LeadingPoint),
            ("5.", TrailingPoint),
            ("1.e3", TrailingPoint),
            ("1e400", TooLarge),
            ("99999999999999999999999999999999", TooLarge),
            ("1e-400", TooPrecise),
            ("0.00000000000000000000000000001", TooPrecise),
            ("", NotANumber),
            (".", NotANumber),
            ("-", NotANumber),
            ("e5", NotANumber),
            ("1e", NotANumber),
            ("_1", NotANumber),
            ("1_", NotANumber),
            ("1__0", NotANumber),
            ("1_.5", NotANumber),
            ("1._5", NotANumber),
            ("1.2.3", NotANumber),
            ("1,000", NotANumber),
            ("nan", NotANumber),
            ("inf", NotANumber),
            ("$5", NotANumber),
            (" 5", NotANumber),
            ("0x10", NotANumber),
            ("--5", NotANumber),
        ] {
            assert_eq!(read_decimal(text), Err(want), "{text}");
        }
    }

    #[test]
    fn a_point_problem_says_how_to_write_it() {
        assert_eq!(
            NumberProblem::LeadingPoint.reason(".5"),
            "has no digit before its point; write 0.5"
        );
        assert_eq!(
            NumberProblem::TrailingPoint.reason("5."),
            "has no digit after its point; write 5"
        );
        assert_eq!(
            NumberProblem::TrailingPoint.reason("1.e3"),
            "has no digit after its point; write 1e3"
        );
    }

    #[test]
    fn magnitude_and_places_come_from_the_digits() {
        let w = Written::read("0012.3400e1").unwrap();
        assert_eq!(w.magnitude(), Some(2));
        assert_eq!(w.places(), 1);
        assert!(Written::read("1e15").unwrap().is_power_of_ten(15));
        assert!(
            Written::read("1000000000000000.000")
                .unwrap()
                .is_power_of_ten(15)
        );
        assert!(
            !Written::read("1000000000000000.01")
                .unwrap()
                .is_power_of_ten(15)
        );
        assert_eq!(Written::read("0.000").unwrap().magnitude(), None);
    }
}
