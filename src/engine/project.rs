//! Deterministic year-by-year projection of a plan along the median path.
//!
//! Every year runs the one-year step of [`super::year`], the same step the
//! Monte Carlo runs on each of its paths: income paid out earns the paid-out
//! rate and reinvested income the APY (design.md §5b), tax falls on that
//! income only, and every asset moves by its median (geometric) yearly price
//! change, so a pool also loses the impermanent loss of the median price
//! ratio and, around it, its expected one-year IL (compounding
//! multiplicatively year over year). No protocol loss event strikes the
//! median path unless one is more likely than not in a year. Before the
//! income phase (`goal.starts_in_years`) the `reinvest` share of after-tax
//! income is reinvested and contributions are added (indexed to inflation, at
//! year end); from it on the goal is paid, indexed to inflation, from income
//! first and from capital after. Positions go back to their weights each year
//! unless `[assumptions] rebalance = "never"`.
//!
//! Exact decimal arithmetic (the closed forms of domain.md §2 come out to the
//! cent), after an `f64` pass that refuses, up front, a horizon whose amounts
//! would pass [`PROJECTION_LIMIT`]. Pure: no I/O and no randomness (that is
//! [`super::simulate`]).

use rust_decimal::Decimal;
use serde::Serialize;

use super::floats::{decimal, float};
use super::payout;
use super::plan_report::PlanReport;
use super::schema::{ProfileRef, SCHEMA_VERSION};
use super::year::{Num, PositionYear, YearFlows, YearSettings, depletion_within_year, step};
use crate::model::{Goal, Portfolio, Position, Rebalance};
use crate::money::{Money, Rate};

/// The phase a year is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Before the goal starts: income is reinvested, contributions added.
    Accumulate,
    /// From the goal's start on: the portfolio pays the goal.
    Income,
}

/// One projected year.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct YearRow {
    /// 1 for the first year from today.
    pub year: u32,
    /// Accumulating or paying the goal.
    pub phase: Phase,
    /// Value at the start of the year.
    pub start_value: Money,
    /// Fees, interest and rewards earned, before tax (paid-out income at the
    /// paid-out rate, reinvested income at the APY).
    pub gross_income: Money,
    /// Income tax on `gross_income` (never on losses; never negative).
    pub tax: Money,
    /// Income (and capital) paid out to the owner.
    pub paid_out: Money,
    /// After-tax income put back into the portfolio.
    pub reinvested: Money,
    /// New money added at year end (accumulation phase), indexed to inflation.
    pub contributions: Money,
    /// Capital sold to top the income up to the goal.
    pub withdrawn: Money,
    /// Value gained (or lost) as the assets held move by their median yearly
    /// price change.
    pub price_growth: Money,
    /// Value lost by the pools against holding their tokens (≤ 0).
    pub impermanent_loss: Money,
    /// Value lost to protocol loss events (0 on the median path unless an
    /// event is more likely than not).
    pub losses: Money,
    /// Value at the end of the year.
    pub end_value: Money,
    /// The goal for this year, indexed to inflation; null without a goal.
    pub goal: Option<Money>,
    /// Income (after tax when the goal is) before any withdrawal, against the goal.
    pub income_covers_goal: Option<bool>,
}

/// The JSON output of `yieldplan project`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Projection {
    /// See [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The profile projected.
    pub profile: ProfileRef,
    /// The currency code every amount is in.
    pub currency: String,
    /// The horizon, in years.
    pub years: u32,
    /// Yearly rate of fees, interest and rewards paid out on the goal's
    /// schedule, weighted by the target weights (mid band), a fraction.
    pub income_yield: Rate,
    /// The same income reinvested at each payment: the weighted APY, a fraction.
    pub compounded_yield: Rate,
    /// Sustainable yield: sustainable income over the value, a fraction.
    pub sustainable_yield: Rate,
    /// Median (geometric) yearly price change of what the portfolio holds,
    /// weighted by the target weights, a fraction.
    pub price_growth: Rate,
    /// Yearly inflation the goal and contributions are indexed to, a fraction.
    pub inflation: Rate,
    /// Whether positions go back to their weights each year.
    pub rebalance: Rebalance,
    /// One row per year.
    pub rows: Vec<YearRow>,
    /// Years until the capital runs out (fractional), if it does within the horizon.
    pub depleted_after_years: Option<Decimal>,
    /// Years until the sustainable income covers the goal (fractional), if it
    /// does within the horizon; 0 when it already does.
    pub years_to_goal: Option<Decimal>,
}

/// Amounts above this (10^20 in the portfolio's currency) are beyond what the
/// projection computes exactly; a profile that gets there is refused before
/// any work is done, naming the parameter that drives it.
pub const PROJECTION_LIMIT: f64 = 1e20;

/// A projection the planner cannot compute exactly.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ProjectionError {
    /// What overflows, in which year, and what drives it.
    pub message: String,
    /// How to get a projection that fits.
    pub help: String,
}

/// What every year of a projection applies, prepared once from the plan.
struct Setup {
    /// Per position: the year's rates and median-path factors.
    inputs: Vec<PositionYear<Decimal>>,
    /// Target weights (fractions of the value, summing to 1).
    targets: Vec<Decimal>,
    /// Sustainable income over the value, a fraction.
    sustainable: Decimal,
    /// Weighted paid-out rate, compounded rate and median price change.
    income_yield: Decimal,
    compounded_yield: Decimal,
    growth: Decimal,
}

/// A pool's share of its value held in asset A at entry (a fraction): the
/// slope of its holding value in the price of A.
fn entry_share_a(pool: &crate::model::Pool) -> f64 {
    pool.values(2.0).1 - pool.values(1.0).1
}

/// The year's price factor and impermanent loss of a position on the median
/// price path: each asset moves by its median yearly change; a pool holds
/// its start-of-year mix, loses the exact IL of the median price ratio and,
/// around it, its expected one-year IL (multiplicatively).
fn median_path(p: &Portfolio, pos: &Position, expected_il: Option<Rate>) -> (Decimal, Decimal) {
    let g = |s: &str| p.assets.get(s).map_or(0.0, |a| float(a.median_growth.0));
    match (&pos.asset, &pos.pair, &pos.liquidity) {
        (_, Some([a, b]), Some(l)) => {
            let (ma, mb) = (1.0 + g(a), 1.0 + g(b));
            let share = entry_share_a(&l.pool);
            let held = share * ma + (1.0 - share) * mb;
            let drift = if mb > 0.0 {
                l.pool.impermanent_loss(ma / mb)
            } else {
                -1.0
            };
            let expected = expected_il.map_or(0.0, |r| float(r.0));
            (
                decimal(held),
                decimal((1.0 + drift) * (1.0 + expected) - 1.0),
            )
        }
        (Some(a), _, _) => (decimal(1.0 + g(a)), Decimal::ZERO),
        (None, Some([a, b]), None) => (decimal(1.0 + (g(a) + g(b)) / 2.0), Decimal::ZERO),
        _ => (Decimal::ONE, Decimal::ZERO),
    }
}

fn setup(p: &Portfolio, plan: &PlanReport) -> Setup {
    let f = p.payouts_per_year();
    let mut inputs = Vec::with_capacity(p.positions.len());
    let mut targets = Vec::with_capacity(p.positions.len());
    let (mut paid_sum, mut compound_sum, mut growth_sum) =
        (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for (pos, out) in p.positions.iter().zip(&plan.positions) {
        let (paid, compound) = if out.screened {
            (Decimal::ZERO, Decimal::ZERO)
        } else {
            let parts = payout::parts_of(pos, |b| b.mid);
            (
                payout::paid_out_rate(parts, f).0,
                payout::compounded_rate(parts, f).0,
            )
        };
        let (price, il) = median_path(p, pos, out.expected_il);
        // The median path meets a loss event only when one is more likely
        // than not in a year.
        let loss = if out.risk.loss_probability.0 >= Decimal::new(5, 1) {
            loss_given_event(out)
        } else {
            Decimal::ZERO
        };
        let weight = pos.amount.share_of(p.value).0;
        paid_sum += weight * paid;
        compound_sum += weight * compound;
        growth_sum += weight * (price - Decimal::ONE);
        targets.push(weight);
        inputs.push(PositionYear {
            paid_rate: paid,
            compound_rate: compound,
            price,
            impermanent_loss: il,
            loss,
        });
    }
    Setup {
        inputs,
        targets,
        sustainable: plan.totals.sustainable_annual_income.share_of(p.value).0,
        income_yield: paid_sum,
        compounded_yield: compound_sum,
        growth: growth_sum,
    }
}

/// The share a position loses in a loss event: expected loss over its
/// probability, at most 1.
fn loss_given_event(out: &crate::engine::plan_report::PositionOut) -> Decimal {
    let p = out.risk.loss_probability.0;
    if p > Decimal::ZERO {
        (out.risk.expected_loss.0 / p).min(Decimal::ONE)
    } else {
        Decimal::ZERO
    }
}

/// The yield that must cover the goal: the sustainable yield, after tax when
/// the goal is.
fn goal_yield(goal: &Goal, sustainable: Decimal, tax: Decimal) -> Decimal {
    if goal.after_tax {
        sustainable * (Decimal::ONE - tax)
    } else {
        sustainable
    }
}

/// What the goal pays out in year `t` (0 = this year) when the income phase
/// has started: the indexed minimum goal, less the tax on it for a pre-tax
/// goal.
fn payout_of<N: Num>(goal: Option<&Goal>, t: u32, index: N, tax: N, min: N) -> Option<N> {
    let g = goal?;
    (t >= g.starts_in_years).then(|| {
        let target = min * index;
        if g.after_tax {
            target
        } else {
            target * (N::ONE - tax)
        }
    })
}

/// Runs the projection in `f64` first, to find out whether every amount of
/// year `t` (1-based), times `headroom(t)`, stays below [`PROJECTION_LIMIT`],
/// before any exact work; returns the median path's end value.
fn check_limits(p: &Portfolio, s: &Setup, years: u32, sigma: f64) -> Result<f64, ProjectionError> {
    let headroom = |t: u32| (4.0 * sigma * f64::from(t).sqrt()).exp();
    let a = &p.assumptions;
    let (tax, infl) = (float(a.tax_rate.0), float(a.inflation.0));
    let mut values: Vec<f64> = s
        .targets
        .iter()
        .map(|w| float(*w) * float(p.value.0))
        .collect();
    let inputs: Vec<PositionYear<f64>> = s
        .inputs
        .iter()
        .map(|i| PositionYear {
            paid_rate: float(i.paid_rate),
            compound_rate: float(i.compound_rate),
            price: float(i.price),
            impermanent_loss: float(i.impermanent_loss),
            loss: float(i.loss),
        })
        .collect();
    let targets: Vec<f64> = s.targets.iter().map(|w| float(*w)).collect();
    let min = p.goal.as_ref().map_or(0.0, |g| float(g.annual_min.0));
    let mut index = 1.0f64;
    for t in 0..years {
        let settings = YearSettings {
            tax,
            reinvest: float(a.reinvest.0),
            contribution: float(a.annual_contribution.0) * index,
            payout: payout_of(p.goal.as_ref(), t, index, tax, min),
            rebalance: a.rebalance == Rebalance::Yearly,
        };
        let y = step(&mut values, &inputs, &targets, &settings);
        // What moves with prices (value, income, what is paid out of them)
        // spreads on the upper paths; the goal and contributions, fixed in
        // money and indexed to inflation, are the same on every path.
        let biggest = |xs: &[f64]| xs.iter().fold(0.0f64, |m, x| m.max(x.abs()));
        let moving = biggest(&[y.end, y.gross_income, y.paid_out]);
        let fixed = biggest(&[settings.contribution, min * index]);
        let room = headroom(t + 1).max(1.0);
        if !(fixed.is_finite() && fixed <= PROJECTION_LIMIT) {
            return Err(limit_error(p, s, t + 1, index, Outgrown::Fixed(fixed)));
        }
        if !moving.is_finite() || moving * room > PROJECTION_LIMIT {
            let by = if room > 1.0 {
                Outgrown::UpperPaths {
                    sigma,
                    median_alone: moving.is_finite() && moving <= PROJECTION_LIMIT,
                }
            } else {
                Outgrown::MedianPath
            };
            return Err(limit_error(p, s, t + 1, index, by));
        }
        index *= 1.0 + infl;
    }
    Ok(values.iter().sum())
}

/// The median path's value after `years` years (in the portfolio's
/// currency), after checking that every amount of year `t`, times
/// `exp(4·sigma·√t)` (how far above the median the simulation's upper paths
/// reach by then; `sigma` is the largest yearly log-price volatility, a
/// fraction), stays below [`PROJECTION_LIMIT`]. The simulation asks this
/// before it draws anything.
///
/// # Errors
/// [`ProjectionError`] when an amount would pass the limit, naming the first
/// year it would and its cause.
pub fn median_path_end(
    p: &Portfolio,
    plan: &PlanReport,
    years: u32,
    sigma: f64,
) -> Result<f64, ProjectionError> {
    let s = setup(p, plan);
    check_limits(p, &s, years, sigma)
}

/// What passes [`PROJECTION_LIMIT`] first.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Outgrown {
    /// An amount of the median path (value, income, payout).
    MedianPath,
    /// The simulation's upper paths around the median path, `sigma` the
    /// largest yearly log-price volatility; `median_alone` when the median
    /// path itself stays below the limit (the volatility is the cause).
    UpperPaths {
        /// The largest asset volatility, a fraction per year.
        sigma: f64,
        /// Whether the median path alone stays within the limit.
        median_alone: bool,
    },
    /// The goal or the contributions, indexed to inflation (this amount).
    Fixed(f64),
}

/// The refusal for a projection that outgrows [`PROJECTION_LIMIT`] in `year`,
/// naming what drives it (`by`).
fn limit_error(p: &Portfolio, s: &Setup, year: u32, index: f64, by: Outgrown) -> ProjectionError {
    let a = &p.assumptions;
    let pct = |d: Decimal| format!("{}%", (d * Decimal::ONE_HUNDRED).round_dp(2).normalize());
    let growth = float(s.compounded_yield * a.reinvest.0 + s.growth);
    let upper_paths = matches!(by, Outgrown::UpperPaths { .. });
    let driver = if let Outgrown::UpperPaths {
        sigma,
        median_alone: true,
    } = by
    {
        format!(
            "the most volatile asset swings {} a year, so its upper paths run about {:.3e} times above the median path by then (the median path itself stays below)",
            pct(decimal(sigma)),
            (4.0 * sigma * f64::from(year).sqrt()).exp()
        )
    } else if let Outgrown::Fixed(amount) = by {
        format!(
            "the goal's minimum or the contributions, indexed by inflation of {} a year, reach {amount:.3e} a year by then",
            pct(a.inflation.0)
        )
    } else if index > 1e6 && index.ln() >= (1.0 + growth).ln() * f64::from(year) {
        format!(
            "inflation of {} a year indexes the goal and contributions by {index:.3e} by then",
            pct(a.inflation.0)
        )
    } else {
        format!(
            "the portfolio grows {} a year ({} reinvested yield, {} median price change)",
            pct(decimal(growth)),
            pct(s.compounded_yield * a.reinvest.0),
            pct(s.growth)
        )
    };
    let (what, verb) = if let Outgrown::Fixed(_) = by {
        ("the projection passes", "project")
    } else if upper_paths {
        (
            "the simulation's upper paths (about exp(4σ√t) above the median path) pass",
            "simulate",
        )
    } else {
        ("the projection passes", "project")
    };
    ProjectionError {
        message: format!(
            "{what} 10^20 (the largest amount it computes exactly) in year {year}: {driver}"
        ),
        help: {
            let lower = if let Outgrown::UpperPaths {
                median_alone: true, ..
            } = by
            {
                "lower the asset's volatility"
            } else {
                "lower the rate that drives it"
            };
            match year {
                1 => format!(
                    "lower the portfolio's value, or {lower} ({verb} a single year passes 10^20 already)"
                ),
                2 => format!("{verb} 1 year (--years 1), or {lower}"),
                _ => format!("{verb} at most {} years (--years), or {lower}", year - 1),
            }
        },
    }
}

/// Projects a planned portfolio `years` years ahead along the median path.
///
/// # Errors
/// [`ProjectionError`] when an amount would pass [`PROJECTION_LIMIT`] within
/// the horizon (found before any exact work is done).
pub fn project(
    p: &Portfolio,
    plan: &PlanReport,
    years: u32,
) -> Result<Projection, ProjectionError> {
    let s = setup(p, plan);
    check_limits(p, &s, years, 0.0)?;
    let a = &p.assumptions;
    let (tax, infl) = (a.tax_rate.0, a.inflation.0);
    let min = p.goal.as_ref().map_or(Decimal::ZERO, |g| g.annual_min.0);
    let mut values: Vec<Decimal> = s.targets.iter().map(|w| *w * p.value.0).collect();
    let mut rows = Vec::with_capacity(years as usize);
    let mut depleted = None;
    let mut to_goal = None;
    let mut index = Decimal::ONE; // (1 + inflation)^t
    for t in 0..years {
        let goal = p.goal.as_ref().map(|g| g.annual_min.0 * index);
        let start: Decimal = values.iter().copied().sum();
        if to_goal.is_none() {
            if let (Some(goal), Some(gl)) = (goal, &p.goal) {
                if start * goal_yield(gl, s.sustainable, tax) >= goal {
                    to_goal = Some(Decimal::from(t));
                }
            }
        }
        let settings = YearSettings {
            tax,
            reinvest: a.reinvest.0,
            contribution: a.annual_contribution.0 * index,
            payout: payout_of(p.goal.as_ref(), t, index, tax, min),
            rebalance: a.rebalance == Rebalance::Yearly,
        };
        let y = step(&mut values, &s.inputs, &s.targets, &settings);
        if y.depleted && depleted.is_none() {
            let x = depletion_within_year(
                float(y.start),
                float(y.total_return),
                float(settings.payout.unwrap_or_default()),
            );
            depleted = Some(Decimal::from(t) + decimal(x));
        }
        if to_goal.is_none() {
            to_goal = goal_crossing(p, &s, t, &y, index);
        }
        let after_tax = p.goal.as_ref().is_some_and(|g| g.after_tax);
        let basis = if after_tax {
            y.gross_income - y.tax
        } else {
            y.gross_income
        };
        rows.push(YearRow {
            year: t + 1,
            phase: if settings.payout.is_some() {
                Phase::Income
            } else {
                Phase::Accumulate
            },
            start_value: Money(y.start),
            gross_income: Money(y.gross_income),
            tax: Money(y.tax),
            paid_out: Money(y.paid_out),
            reinvested: Money(y.reinvested),
            contributions: Money(y.contributions),
            withdrawn: Money(y.withdrawn),
            price_growth: Money(y.price_change),
            impermanent_loss: Money(y.impermanent_loss),
            losses: Money(y.losses),
            end_value: Money(y.end),
            goal: goal.map(Money),
            income_covers_goal: goal.map(|x| basis >= x),
        });
        index *= Decimal::ONE + infl;
    }
    Ok(Projection {
        schema_version: SCHEMA_VERSION,
        profile: plan.profile.clone(),
        currency: p.currency.clone(),
        years,
        income_yield: Rate(s.income_yield),
        compounded_yield: Rate(s.compounded_yield),
        sustainable_yield: Rate(s.sustainable),
        price_growth: Rate(s.growth),
        inflation: Rate(infl),
        rebalance: a.rebalance,
        rows,
        depleted_after_years: depleted,
        years_to_goal: to_goal,
    })
}

/// When, within year `t`, the sustainable income comes to cover next year's
/// goal, if the year-end value gets there; in years from today, to 0.01.
fn goal_crossing(
    p: &Portfolio,
    s: &Setup,
    t: u32,
    y: &YearFlows<Decimal>,
    index: Decimal,
) -> Option<Decimal> {
    let gl = p.goal.as_ref()?;
    let tax = p.assumptions.tax_rate.0;
    if s.sustainable <= Decimal::ZERO {
        return None;
    }
    let next_goal = gl.annual_min.0 * index * (Decimal::ONE + p.assumptions.inflation.0);
    let needed = next_goal / goal_yield(gl, s.sustainable, tax);
    if y.end < needed {
        return None;
    }
    // The value grows within the year at its return on capital (reinvested
    // income and prices), with the contribution at the end.
    let grown = y.end - y.contributions;
    let rate = if y.start > Decimal::ZERO {
        grown / y.start - Decimal::ONE
    } else {
        Decimal::ZERO
    };
    let x = within_year(y.start, rate, y.contributions, needed);
    Some(Decimal::from(t) + x)
}

/// Fraction of a year, within `(0, 1]`, at which a value `v` compounding at
/// `r` with level flows `c` a year (positive in, negative out) reaches
/// `target`: solves `v(1+r)^x + c((1+r)^x − 1)/r = target`.
fn within_year(v: Decimal, r: Decimal, c: Decimal, target: Decimal) -> Decimal {
    let (v, r, c, t) = (float(v), float(r), float(c), float(target));
    let x = if r.abs() < 1e-12 {
        if c.abs() < 1e-12 { 1.0 } else { (t - v) / c }
    } else {
        let k = c / r;
        ((t + k) / (v + k)).ln() / (1.0 + r).ln()
    };
    decimal(if x.is_finite() {
        x.clamp(0.0, 1.0)
    } else {
        1.0
    })
}

#[cfg(test)]
mod tests;
