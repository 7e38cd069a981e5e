//! APY against what is paid out (design.md §5b, domain.md §6).
//!
//! The rate book's yields, a profile's `apy` and DefiLlama's are APYs: yearly
//! equivalents that assume compounding. A liquidity pool's `fee_apr` is an APR.
//! Income paid out `f` times a year is, per payment, the periodic rate
//! `q = APR/f + (1+APY)^(1/f) − 1`; paid out over a year that is `f·q` (the
//! APR equivalent: 12% APY paid monthly is 11.3866% a year), and reinvested at
//! each payment it compounds to `(1+q)^f − 1` (the APY again, for an APY).
//! With one payment a year both are `APR + APY`. Pure maths on rates; no
//! money, no portfolio.

use rust_decimal::Decimal;

use super::floats::{decimal, float};
use crate::model::{Band, Position};
use crate::money::Rate;

/// A position's yield split by kind: the APR part (a pool's fees) and the APY
/// part (everything else), as fractions.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct YieldParts {
    /// Simple yearly rate (fee APR), a fraction.
    pub apr: Rate,
    /// Compounded yearly rate (APY), a fraction.
    pub apy: Rate,
}

/// The periodic rate of one of `f` payments a year (a fraction):
/// `apr/f + (1+apy)^(1/f) − 1`. An APY at or below −100% loses everything.
fn periodic(parts: YieldParts, f: u32) -> Decimal {
    let f = f.max(1);
    if f == 1 {
        return parts.apr.0 + parts.apy.0;
    }
    parts.apr.0 / Decimal::from(f) + root_less_one(parts.apy.0, f)
}

/// `(1 + apy)^(1/f) − 1` (a fraction, `f` ≥ 2) to the decimal's precision,
/// −1 for an APY at or below −100%.
///
/// A first estimate in `f64`, `expm1(ln1p(apy)/f)`, has a relative error
/// near 1e-16 (taking `(1 + apy)^(1/f)` and then subtracting 1 would lose
/// two or three more digits to cancellation: 4% paid monthly came out as
/// 0.03928487738638698 a year for 0.0392848773863863663…). Each Newton step
/// on `(1 + q)^f = 1 + apy` in decimals then squares the error: one takes
/// it past the decimal's 28 digits, a second is needed only near −100%,
/// where the APY as an `f64` is itself off in its eleventh digit of `1 + apy`.
fn root_less_one(apy: Decimal, f: u32) -> Decimal {
    if apy <= -Decimal::ONE {
        return -Decimal::ONE;
    }
    let mut q = decimal((float(apy).ln_1p() / f64::from(f)).exp_m1());
    for _ in 0..3 {
        let base = Decimal::ONE + q;
        // ((1 + q)^f − (1 + apy)) / (f (1 + q)^(f − 1)); none if a power
        // leaves the decimal's range (it cannot for a rate the planner
        // holds, whose f-th root is near 1): the estimate stays as it is.
        let step = power(base, f - 1).and_then(|below| {
            let miss = below.checked_mul(base)? - (Decimal::ONE + apy);
            miss.checked_div(below.checked_mul(Decimal::from(f))?)
        });
        let Some(step) = step else { break };
        q -= step;
        if step.abs() <= NEWTON_DONE {
            break;
        }
    }
    q
}

/// A Newton step at most this large leaves an error of about
/// `(f − 1)/2 · step²`, below the decimal's last place: one step from the
/// `f64` estimate (off by about 1e-16 of the root) is enough for every
/// payment schedule but those of APYs near −100%.
const NEWTON_DONE: Decimal = Decimal::from_parts(1, 0, 0, false, 15);

/// `x^n` by repeated squaring, `None` past the decimal's range.
fn power(x: Decimal, mut n: u32) -> Option<Decimal> {
    let (mut out, mut square) = (Decimal::ONE, x);
    while n > 0 {
        if n & 1 == 1 {
            out = out.checked_mul(square)?;
        }
        n >>= 1;
        if n > 0 {
            square = square.checked_mul(square)?;
        }
    }
    Some(out)
}

/// The yearly rate paid out at `f` payments a year: `f·q` (a fraction),
/// taken as `apr + f·((1+apy)^(1/f) − 1)`; for an APY within 0.1% of zero,
/// by series ([`paid_root_series`]), since `f` times a periodic rate held to
/// 28 places would keep few digits of a tiny one (an APY of 1e-28 paid
/// monthly would come out as 0).
#[must_use]
pub fn paid_out_rate(parts: YieldParts, f: u32) -> Rate {
    let f = f.max(1);
    if f == 1 {
        return Rate(parts.apr.0 + parts.apy.0);
    }
    let root = if parts.apy.0.abs() < SERIES_BELOW {
        paid_root_series(parts.apy.0, f)
    } else {
        root_less_one(parts.apy.0, f) * Decimal::from(f)
    };
    Rate(parts.apr.0 + root)
}

/// APYs nearer zero than this (0.1%) are paid out by series.
const SERIES_BELOW: Decimal = Decimal::from_parts(1, 0, 0, false, 3);

/// `f·((1 + a)^(1/f) − 1)` for `|a|` below 0.001, by series in decimals:
/// `L = ln(1 + a) = Σ (−1)^(k+1) a^k/k`, then `f·expm1(L/f) = Σ L^k/(k! f^(k−1))`,
/// twelve terms of each (the rest is below 1e-36 of the first).
fn paid_root_series(a: Decimal, f: u32) -> Decimal {
    let mut log = Decimal::ZERO;
    let mut power = a;
    for k in 1..=12u32 {
        let term = power / Decimal::from(k);
        if k % 2 == 1 {
            log += term;
        } else {
            log -= term;
        }
        power *= a;
    }
    let f = Decimal::from(f);
    let (mut sum, mut term) = (Decimal::ZERO, log);
    for k in 1..=12u32 {
        sum += term;
        term = term * log / (Decimal::from(k + 1) * f);
    }
    sum
}

/// The yearly growth of income reinvested at each of `f` payments: `(1+q)^f − 1`
/// (a fraction; the APY itself when there is no APR part).
#[must_use]
pub fn compounded_rate(parts: YieldParts, f: u32) -> Rate {
    let f = f.max(1);
    if f == 1 {
        return Rate(parts.apr.0 + parts.apy.0);
    }
    let q = periodic(parts, f);
    let mut growth = Decimal::ONE;
    for _ in 0..f {
        growth *= Decimal::ONE + q;
    }
    Rate(growth - Decimal::ONE)
}

/// A position's yield parts at one point of its band: `pick` chooses low,
/// mid or high of each band.
#[must_use]
pub fn parts_of(pos: &Position, pick: impl Fn(Band) -> Rate) -> YieldParts {
    let total = pick(pos.apy);
    let apr = pos
        .liquidity
        .as_ref()
        .map_or(Rate::ZERO, |l| pick(l.fee_apr));
    YieldParts {
        apr,
        apy: Rate(total.0 - apr.0),
    }
}

/// A position's paid-out yearly rate band at `f` payments a year.
#[must_use]
pub fn paid_out_band(pos: &Position, f: u32) -> Band {
    Band {
        low: paid_out_rate(parts_of(pos, |b| b.low), f),
        mid: paid_out_rate(parts_of(pos, |b| b.mid), f),
        high: paid_out_rate(parts_of(pos, |b| b.high), f),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(s: &str) -> Rate {
        Rate(Decimal::from_str_exact(s).unwrap())
    }

    /// The paid-out rate `f·((1 + apy)^(1/f) − 1)` to 25 significant
    /// digits (22 near −100%) or the decimal's last place, against values
    /// computed independently with mpmath at 40 digits, over APYs from 1e-28
    /// (which must not come out as 0) to 1,000,000% and down to −99.9999%.
    #[test]
    fn paid_out_rates_hold_every_digit_a_decimal_holds() {
        // f·((1 + apy)^(1/f) − 1) by mpmath at 40 digits, cut to 26
        // significant digits or 28 places.
        let cases = [
            ("0.04", 12, "0.039284877386386366311531845"),
            ("0.12", 12, "0.11386551521499568951626083"),
            ("0.05", 12, "0.048889485403779619265035232"),
            ("10000", 12, "13.853431713977746344516801"),
            ("-0.999999", 12, "-8.2052668077979448016013277"),
            ("0.07", 365, "0.067664919673234236829334145"),
            ("-0.5", 12, "-0.67350824781967804029704212"),
            ("0.0000001", 52, "0.0000000999999950961541699334"),
            (
                "0.00000000000000000001",
                12,
                "0.0000000000000000000099999999",
            ),
            (
                "0.000000000000000000000001",
                12,
                "0.000000000000000000000001",
            ),
            (
                "0.0000000000000000000000000001",
                12,
                "0.0000000000000000000000000001",
            ),
            ("-0.00001", 12, "-0.0000100000458336261595425997"),
            ("0.0009", 12, "0.0008996289633287598226817772"),
        ];
        for (apy, f, want) in cases {
            let parts = YieldParts {
                apr: Rate::ZERO,
                apy: rate(apy),
            };
            let got = paid_out_rate(parts, f).0;
            let want = Decimal::from_str_exact(want).unwrap();
            // To 25 significant digits, or within two units of the
            // decimal's last place (of 28), which is all a tiny rate holds.
            // Near −100% the root is near 0.3 and its powers near 1e-6,
            // which keep fewer digits.
            let within_a_place = (got - want).abs() <= Decimal::from_scientific("2e-28").unwrap();
            let error = ((got - want) / want).abs();
            let bound = if apy == "-0.999999" { "1e-22" } else { "1e-25" };
            assert!(
                within_a_place || error < Decimal::from_scientific(bound).unwrap(),
                "{apy} paid {f} times a year: {got}, want {want}"
            );
        }
        // At or below −100% everything is lost each period.
        let gone = YieldParts {
            apr: Rate::ZERO,
            apy: rate("-1"),
        };
        assert_eq!(paid_out_rate(gone, 12).0, Decimal::from(-12));
    }

    #[test]
    fn an_apy_paid_monthly_is_its_apr_equivalent() {
        // domain.md §6: 12% APY paid monthly on 120,000 is 1,138.66 a month.
        let parts = YieldParts {
            apr: Rate::ZERO,
            apy: rate("0.12"),
        };
        let yearly = paid_out_rate(parts, 12).0 * Decimal::from(120_000);
        let monthly = (yearly / Decimal::from(12)).round_dp(2);
        assert_eq!(monthly, Decimal::from_str_exact("1138.66").unwrap());
        // 5% APY paid monthly is 4.889% a year.
        let five = YieldParts {
            apr: Rate::ZERO,
            apy: rate("0.05"),
        };
        assert_eq!(
            paid_out_rate(five, 12).0.round_dp(5),
            Decimal::from_str_exact("0.04889").unwrap()
        );
        // Reinvested monthly it compounds back to the APY.
        assert_eq!(
            compounded_rate(parts, 12).0.round_dp(12),
            Decimal::from_str_exact("0.12").unwrap()
        );
    }

    #[test]
    fn an_apr_paid_at_any_frequency_is_itself() {
        let parts = YieldParts {
            apr: rate("0.12"),
            apy: Rate::ZERO,
        };
        assert_eq!(paid_out_rate(parts, 12), rate("0.12"));
        assert_eq!(paid_out_rate(parts, 1), rate("0.12"));
        // Reinvested monthly: (1 + 0.01)^12 − 1.
        assert_eq!(
            compounded_rate(parts, 12).0.round_dp(10),
            Decimal::from_str_exact("0.1268250301").unwrap()
        );
    }

    #[test]
    fn a_total_loss_apy_does_not_turn_into_nan() {
        let parts = YieldParts {
            apr: Rate::ZERO,
            apy: rate("-1.5"),
        };
        assert_eq!(paid_out_rate(parts, 12), rate("-12"));
    }
}
