//! Decimals as fixed-point text, the way `rust_decimal` prints them, from the
//! mantissa as a machine integer instead of one long division per digit.
//!
//! A report of 10,000 positions prints about 200,000 figures; printing each
//! through `Decimal`'s `Display` (which divides its 96-bit mantissa by ten
//! once per digit) was the largest single cost of such a report. The text is
//! the same byte for byte (tested against `Display` on random values).

use rust_decimal::Decimal;

/// Appends `value` without its sign, with exactly `dp` decimals (`dp` ≤ 28),
/// the integer digits grouped by thousands with commas when `grouped`:
/// 1234567.5 at 2 places grouped is "1,234,567.50". `value` must already have
/// at most `dp` decimals (as after `round_dp(dp)`); more are cut off, as
/// `Decimal`'s `{:.dp}` does.
pub fn push_fixed(out: &mut String, value: Decimal, dp: u32, grouped: bool) {
    let scale = value.scale();
    let mantissa = value.mantissa().unsigned_abs();
    // Both scales are at most 28 and 10^28 < 2^128: nothing here overflows.
    let pow = |n: u32| 10u128.pow(n);
    let (units, kept) = if scale <= dp {
        (mantissa, scale)
    } else {
        (mantissa / pow(scale - dp), dp)
    };
    let mut digits = [0u8; 40];
    push_integer_text(out, integer_digits(units / pow(kept), &mut digits), grouped);
    if dp > 0 {
        out.push('.');
        if kept > 0 {
            let frac = integer_digits(units % pow(kept), &mut digits);
            for _ in frac.len()..kept as usize {
                out.push('0');
            }
            out.push_str(frac);
        }
        for _ in kept..dp {
            out.push('0');
        }
    }
}

/// `value` as `Decimal`'s `Display` prints it: a minus sign when negative
/// (negative zero included), every decimal of its scale.
#[must_use]
pub fn plain(value: Decimal) -> String {
    let mut out = String::with_capacity(24);
    if value.is_sign_negative() {
        out.push('-');
    }
    push_fixed(&mut out, value, value.scale(), false);
    out
}

/// The decimal digits of `n` (at least one), written into the end of `buf`.
fn integer_digits(mut n: u128, buf: &mut [u8; 40]) -> &str {
    let mut at = buf.len();
    if let Ok(mut small) = u64::try_from(n) {
        loop {
            at -= 1;
            buf[at] = b'0' + (small % 10) as u8;
            small /= 10;
            if small == 0 {
                break;
            }
        }
    } else {
        while n > 0 {
            at -= 1;
            buf[at] = b'0' + (n % 10) as u8;
            n /= 10;
        }
    }
    // Only ASCII digits were written.
    std::str::from_utf8(&buf[at..]).unwrap_or("0")
}

/// Appends the integer digits `int`, with a comma before every group of three
/// from the right when `grouped`.
fn push_integer_text(out: &mut String, int: &str, grouped: bool) {
    if !grouped {
        out.push_str(int);
        return;
    }
    for (i, ch) in int.char_indices() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fixed(value: Decimal, dp: u32) -> String {
        let mut s = String::new();
        push_fixed(&mut s, value, dp, false);
        s
    }

    #[test]
    fn known_figures() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let mut s = String::new();
        push_fixed(&mut s, d("1234567.5"), 2, true);
        assert_eq!(s, "1,234,567.50");
        assert_eq!(fixed(d("0.05"), 2), "0.05");
        assert_eq!(fixed(d("0"), 2), "0.00");
        assert_eq!(fixed(d("7"), 0), "7");
        assert_eq!(fixed(d("-12.3"), 2), "12.30");
        let negative_zero = Decimal::from_parts(0, 0, 0, true, 3);
        assert_eq!(plain(negative_zero), negative_zero.to_string());
        assert_eq!(plain(Decimal::MAX), Decimal::MAX.to_string());
        assert_eq!(plain(Decimal::MIN), Decimal::MIN.to_string());
        // Past what `Display` can print (it panics): 29 digits and 28 zeros.
        let max = fixed(Decimal::MAX, 28);
        assert_eq!(max, format!("{}.{}", Decimal::MAX, "0".repeat(28)));
    }

    proptest! {
        /// The same bytes as `Decimal`'s `Display`, with and without a
        /// precision, over the whole range of mantissas and scales.
        #[test]
        fn matches_display(lo: u32, mid: u32, hi: u32, negative: bool, scale in 0u32..=28, dp in 0u32..=28) {
            let value = Decimal::from_parts(lo, mid, hi, negative, scale);
            prop_assert_eq!(plain(value), value.to_string());
            let rounded = value.round_dp(dp);
            // `Display` with a precision panics past 32 characters.
            let want = std::panic::catch_unwind(|| format!("{:.*}", dp as usize, rounded.abs()));
            if let Ok(want) = want {
                prop_assert_eq!(fixed(rounded, dp), want);
            }
        }

        /// Small values too, where most figures of a report lie.
        #[test]
        fn matches_display_small(m: i64, scale in 0u32..=10, dp in 0u32..=6) {
            let value = Decimal::new(m, scale);
            prop_assert_eq!(plain(value), value.to_string());
            let rounded = value.round_dp(dp);
            prop_assert_eq!(fixed(rounded, dp), format!("{:.*}", dp as usize, rounded.abs()));
        }
    }
}
