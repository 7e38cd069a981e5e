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
    let root = (1.0 + float(parts.apy.0)).max(0.0).powf(1.0 / f64::from(f)) - 1.0;
    parts.apr.0 / Decimal::from(f) + decimal(root)
}

/// The yearly rate paid out at `f` payments a year: `f·q` (a fraction).
#[must_use]
pub fn paid_out_rate(parts: YieldParts, f: u32) -> Rate {
    Rate(periodic(parts, f) * Decimal::from(f.max(1)))
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
