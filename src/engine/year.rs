//! The one-year step that the deterministic projection and the Monte Carlo
//! both apply, so the two cannot tell different stories (design.md §5b).
//!
//! Each position starts the year with a value and earns on it: income that
//! is paid out earns the paid-out rate (the APR equivalent at the payout
//! frequency), income that is reinvested the compounded rate (the APY). Tax
//! falls on that income, never on losses. Prices then move each position's
//! value (a pool's by its holdings, then its impermanent loss against them),
//! and protocol loss events take their share. Finally the flows settle at the
//! year end: before the income phase the `reinvest` share of after-tax
//! income is reinvested and the contribution added; in the income phase the
//! goal is paid from income first and from capital after, and the
//! `reinvest` share of any surplus is reinvested. With yearly rebalancing the
//! end value is split back to the target weights; without, every position
//! keeps its own growth and the flows are spread by value.
//!
//! Every year satisfies, exactly: start + price change + impermanent loss −
//! losses + reinvested + contributions − withdrawn = end.
//!
//! Generic over the number type: the projection runs it in exact decimals,
//! the simulation in `f64`. Pure; no randomness (the simulation draws the
//! inputs).

use std::ops::{Add, Div, Mul, Sub};

use rust_decimal::Decimal;

/// The arithmetic the step needs, for exact decimals and for `f64`.
pub trait Num:
    Copy
    + PartialOrd
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
{
    /// 0.
    const ZERO: Self;
    /// 1.
    const ONE: Self;
    /// The larger of two numbers.
    #[must_use]
    fn max_of(self, other: Self) -> Self {
        if self >= other { self } else { other }
    }
    /// The smaller of two numbers.
    #[must_use]
    fn min_of(self, other: Self) -> Self {
        if self <= other { self } else { other }
    }
}

impl Num for Decimal {
    const ZERO: Decimal = Decimal::ZERO;
    const ONE: Decimal = Decimal::ONE;
}

impl Num for f64 {
    const ZERO: f64 = 0.0;
    const ONE: f64 = 1.0;
}

/// What one position does in one year (all fractions).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PositionYear<N> {
    /// Yearly rate of income paid out on the payout schedule (0 when screened).
    pub paid_rate: N,
    /// Yearly rate of income reinvested at each payment: the APY (0 when screened).
    pub compound_rate: N,
    /// The year's price factor of what the position holds (1.06 = +6%); for a
    /// pool, of the tokens it held at the start of the year.
    pub price: N,
    /// A pool's value against holding its start-of-year tokens, minus 1
    /// (impermanent loss, ≤ 0); 0 for anything else.
    pub impermanent_loss: N,
    /// Share of the value lost to protocol loss events this year, in [0, 1].
    pub loss: N,
}

/// What applies to the whole portfolio in one year.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct YearSettings<N> {
    /// Income tax rate, a fraction.
    pub tax: N,
    /// Share of after-tax income (of the surplus, in the income phase) reinvested.
    pub reinvest: N,
    /// Money added at the year end (accumulation phase), indexed.
    pub contribution: N,
    /// In the income phase, what must be paid out this year, after the tax
    /// withheld on it (the whole goal when it is an after-tax goal, the goal
    /// less its tax when it is a pre-tax one); `None` before it.
    pub payout: Option<N>,
    /// Split the end value back to the target weights (true) or let each
    /// position keep its own growth (false).
    pub rebalance: bool,
}

/// One year's money, summed over the positions.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct YearFlows<N> {
    /// Value at the start of the year.
    pub start: N,
    /// Fees, interest and rewards earned (before tax).
    pub gross_income: N,
    /// Tax on that income (never negative).
    pub tax: N,
    /// Income and capital paid out to the owner.
    pub paid_out: N,
    /// Income put back into the positions.
    pub reinvested: N,
    /// Money added.
    pub contributions: N,
    /// Capital sold to pay the goal.
    pub withdrawn: N,
    /// Change of value from prices (holdings at their start-of-year mix).
    pub price_change: N,
    /// Impermanent loss of the pools (≤ 0).
    pub impermanent_loss: N,
    /// Money lost to protocol loss events (≥ 0).
    pub losses: N,
    /// Value at the end of the year.
    pub end: N,
    /// The goal's payout could not be met in full: the capital ran out.
    pub depleted: bool,
    /// After-tax income plus the value change, over the start value: the
    /// year's return before flows (for the depletion time within the year).
    pub total_return: N,
}

/// Runs one year: `values` (one per position) are the start values and become
/// the end values; `targets` are the target weights (summing to 1) used when
/// rebalancing.
pub fn step<N: Num>(
    values: &mut [N],
    inputs: &[PositionYear<N>],
    targets: &[N],
    s: &YearSettings<N>,
) -> YearFlows<N> {
    let start = sum(values.iter().copied());
    let mut gross = N::ZERO;
    let (mut price_change, mut il, mut losses) = (N::ZERO, N::ZERO, N::ZERO);
    for (v, p) in values.iter_mut().zip(inputs) {
        let rate = match s.payout {
            Some(_) => p.paid_rate,
            None => s.reinvest * p.compound_rate + (N::ONE - s.reinvest) * p.paid_rate,
        };
        gross = gross + *v * rate;
        let held = *v * p.price;
        let pooled = held * p.impermanent_loss;
        let lost = (held + pooled) * p.loss;
        price_change = price_change + (held - *v);
        il = il + pooled;
        losses = losses + lost;
        *v = held + pooled - lost;
    }
    let after_market = sum(values.iter().copied());
    let tax = gross.max_of(N::ZERO) * s.tax;
    let net = gross - tax;
    let (reinvested, mut paid_out, contributions, mut withdrawn) = match s.payout {
        Some(payout) => {
            let covered = net.max_of(N::ZERO).min_of(payout);
            let surplus = net - covered;
            let again = if surplus > N::ZERO {
                surplus * s.reinvest
            } else {
                surplus
            };
            (again, covered + surplus - again, N::ZERO, payout - covered)
        }
        None => {
            let again = if net > N::ZERO { net * s.reinvest } else { net };
            (again, net - again, s.contribution, N::ZERO)
        }
    };
    let available = after_market + reinvested + contributions;
    let depleted = withdrawn > available;
    if depleted {
        withdrawn = available.max_of(N::ZERO);
    }
    paid_out = paid_out + withdrawn;
    let end = available - withdrawn;
    settle_values(values, targets, after_market, end, s.rebalance);
    let total_return = if start > N::ZERO {
        (after_market - start + net) / start
    } else {
        N::ZERO
    };
    YearFlows {
        start,
        gross_income: gross,
        tax,
        paid_out,
        reinvested,
        contributions,
        withdrawn,
        price_change,
        impermanent_loss: il,
        losses,
        end,
        depleted,
        total_return,
    }
}

/// Splits the end value over the positions: to the target weights when
/// rebalancing, else in proportion to their values after the market moved.
fn settle_values<N: Num>(
    values: &mut [N],
    targets: &[N],
    after_market: N,
    end: N,
    rebalance: bool,
) {
    if rebalance || after_market <= N::ZERO {
        for (v, w) in values.iter_mut().zip(targets) {
            *v = *w * end;
        }
    } else {
        let scale = end / after_market;
        for v in values.iter_mut() {
            *v = *v * scale;
        }
    }
}

fn sum<N: Num>(xs: impl Iterator<Item = N>) -> N {
    xs.fold(N::ZERO, |a, b| a + b)
}

/// Years (a fraction of one, in [0, 1]) into a year at which a value `start`
/// earning `rate` a year and paying `payout` a year runs out: solves
/// `V(1+r)ⁿ − P((1+r)ⁿ − 1)/r = 0`, so `n = ln(P / (P − rV)) / ln(1+r)`
/// (NPER; domain.md §6: $100,000 at 5% paying $200,000 → 0.52 years).
#[must_use]
pub fn depletion_within_year(start: f64, rate: f64, payout: f64) -> f64 {
    if start <= 0.0 {
        return 0.0;
    }
    if payout <= 0.0 {
        return 1.0;
    }
    let n = if rate.abs() < 1e-12 {
        start / payout
    } else if payout > rate * start && rate > -1.0 {
        (payout / (payout - rate * start)).ln() / (1.0 + rate).ln()
    } else {
        1.0
    };
    if n.is_finite() {
        n.clamp(0.0, 1.0)
    } else {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lend(rate: f64) -> PositionYear<f64> {
        PositionYear {
            paid_rate: rate,
            compound_rate: rate,
            price: 1.0,
            impermanent_loss: 0.0,
            loss: 0.0,
        }
    }

    #[test]
    fn every_year_adds_up() {
        let inputs = [
            PositionYear {
                paid_rate: 0.02,
                compound_rate: 0.02,
                price: 1.3,
                impermanent_loss: -0.05,
                loss: 0.1,
            },
            lend(0.05),
        ];
        let mut values = [60_000.0, 40_000.0];
        let s = YearSettings {
            tax: 0.3,
            reinvest: 0.5,
            contribution: 1_000.0,
            payout: None,
            rebalance: false,
        };
        let y = step(&mut values, &inputs, &[0.6, 0.4], &s);
        let sides = y.start + y.price_change + y.impermanent_loss - y.losses
            + y.reinvested
            + y.contributions
            - y.withdrawn;
        assert!((sides - y.end).abs() < 1e-9);
        assert!((values.iter().sum::<f64>() - y.end).abs() < 1e-9);
        assert!(y.tax >= 0.0);
    }

    #[test]
    fn a_goal_beyond_the_capital_depletes_it_within_the_year() {
        // domain.md §6: $100,000 at 5% paying $200,000 a year is empty after
        // ln(200/195)/ln(1.05) = 0.52 years.
        let n = depletion_within_year(100_000.0, 0.05, 200_000.0);
        assert_eq!((n * 100.0).round() / 100.0, 0.52);
        let mut values = [100_000.0];
        let s = YearSettings {
            tax: 0.0,
            reinvest: 0.0,
            contribution: 0.0,
            payout: Some(200_000.0),
            rebalance: true,
        };
        let y = step(&mut values, &[lend(0.05)], &[1.0], &s);
        assert!(y.depleted);
        assert_eq!(y.end, 0.0);
        assert!((y.total_return - 0.05).abs() < 1e-12);
    }
}
