//! Deterministic year-by-year projection of a plan.
//!
//! Each year the portfolio earns its blended net yield (mid) as income and
//! moves by its expected price growth (the value-weighted expected return of
//! its assets: 0% unless the rate book or the profile says otherwise: no
//! price view by default). Income is taxed; before the income phase
//! (`goal.starts_in_years`) the `reinvest` share of the after-tax income is
//! reinvested and contributions are added (indexed to inflation, at year
//! end). From the income phase on, the portfolio pays the goal, indexed to
//! inflation from today: income first, capital withdrawals (at year end) for
//! any shortfall; the `reinvest` share of a surplus is reinvested. Income
//! tax is withheld from each year's income; a pre-tax goal is paid less the
//! tax on it, an after-tax goal in full. Exact
//! decimal arithmetic: the closed forms of domain.md §2 come out to the cent.
//! Pure: no I/O and no randomness (that is [`super::simulate`]).

use rust_decimal::Decimal;
use serde::Serialize;

use super::floats::{decimal, float};
use super::plan_report::PlanReport;
use super::schema::{ProfileRef, SCHEMA_VERSION};
use crate::model::{Assumptions, Goal, Portfolio};
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
    /// Income earned at the blended net yield, before tax.
    pub gross_income: Money,
    /// Income tax withheld.
    pub tax: Money,
    /// Income (and capital) paid out to the owner.
    pub paid_out: Money,
    /// After-tax income put back into the portfolio.
    pub reinvested: Money,
    /// New money added at year end (accumulation phase), indexed to inflation.
    pub contributions: Money,
    /// Capital sold to top the income up to the goal.
    pub withdrawn: Money,
    /// Value gained (or lost) from expected price growth.
    pub price_growth: Money,
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
    /// Blended net yield earned each year (the plan's mid), a fraction.
    pub income_yield: Rate,
    /// Sustainable yield: sustainable income over the value, a fraction.
    pub sustainable_yield: Rate,
    /// Expected yearly price growth of the portfolio, a fraction.
    pub price_growth: Rate,
    /// Yearly inflation the goal and contributions are indexed to, a fraction.
    pub inflation: Rate,
    /// One row per year.
    pub rows: Vec<YearRow>,
    /// Years until the capital runs out (fractional), if it does within the horizon.
    pub depleted_after_years: Option<Decimal>,
    /// Years until the sustainable income covers the goal (fractional), if it
    /// does within the horizon; 0 when it already does.
    pub years_to_goal: Option<Decimal>,
}

/// Value-weighted expected price growth of the portfolio's assets, a
/// fraction a year (a pool counts each of its assets at half).
#[must_use]
pub fn price_growth(p: &Portfolio) -> Rate {
    let ret = |s: &str| {
        p.assets
            .get(s)
            .map_or(Decimal::ZERO, |a| a.expected_return.0)
    };
    let total: Decimal = p
        .positions
        .iter()
        .map(|pos| {
            let r = match (&pos.asset, &pos.pair) {
                (Some(a), _) => ret(a),
                (None, Some([a, b])) => (ret(a) + ret(b)) / Decimal::TWO,
                _ => Decimal::ZERO,
            };
            pos.amount.0 * r
        })
        .sum();
    Money(total).share_of(p.value)
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

/// The yearly rates a projection applies, as fractions.
struct Rates {
    /// Blended net yield (the plan's mid).
    income: Decimal,
    /// Sustainable income over the value.
    sustainable: Decimal,
    /// Expected price growth.
    growth: Decimal,
    /// Income tax.
    tax: Decimal,
    /// Inflation.
    inflation: Decimal,
}

/// One year's money flows, before any cap on the withdrawal.
struct Flows {
    paid: Decimal,
    reinvested: Decimal,
    contributions: Decimal,
    withdrawn: Decimal,
}

/// The yield that must cover the goal: the sustainable yield, after tax when
/// the goal is.
fn goal_yield(goal: &Goal, r: &Rates) -> Decimal {
    if goal.after_tax {
        r.sustainable * (Decimal::ONE - r.tax)
    } else {
        r.sustainable
    }
}

/// A year's flows from after-tax income `net`. In the income phase (`target`
/// is the year's indexed goal) the goal is paid from income first, then from
/// capital, and the `reinvest` share of a surplus is reinvested; before it,
/// the `reinvest` share of income is reinvested and the indexed contribution
/// is added.
fn flows(
    a: &Assumptions,
    target: Option<Decimal>,
    after_tax: bool,
    net: Decimal,
    index: Decimal,
) -> Flows {
    if let Some(target) = target {
        let payout = if after_tax {
            target
        } else {
            target * (Decimal::ONE - a.tax_rate.0)
        };
        let covered = net.min(payout);
        let surplus = net - covered;
        let again = surplus * a.reinvest.0;
        Flows {
            paid: covered + surplus - again,
            reinvested: again,
            contributions: Decimal::ZERO,
            withdrawn: (payout - net).max(Decimal::ZERO),
        }
    } else {
        let again = net * a.reinvest.0;
        Flows {
            paid: net - again,
            reinvested: again,
            contributions: a.annual_contribution.0 * index,
            withdrawn: Decimal::ZERO,
        }
    }
}

/// When, within year `t`, the sustainable income comes to cover next year's
/// goal, if the year-end `value` gets there; in years from today, to 0.01.
fn goal_crossing(
    p: &Portfolio,
    r: &Rates,
    t: u32,
    start: Decimal,
    value: Decimal,
    contributions: Decimal,
    index: Decimal,
) -> Option<Decimal> {
    let gl = p.goal.as_ref()?;
    if r.sustainable <= Decimal::ZERO {
        return None;
    }
    // Crossing within this year: the value the sustainable yield needs.
    let next_goal = gl.annual_min.0 * index * (Decimal::ONE + r.inflation);
    let needed = next_goal / goal_yield(gl, r);
    if value < needed {
        return None;
    }
    let rate = r.income * (Decimal::ONE - r.tax) * p.assumptions.reinvest.0 + r.growth;
    let x = within_year(start, rate, contributions, needed);
    Some((Decimal::from(t) + x).round_dp(2))
}

/// Projects a planned portfolio `years` years ahead.
#[must_use]
pub fn project(p: &Portfolio, plan: &PlanReport, years: u32) -> Projection {
    let r = Rates {
        income: plan.totals.apy.mid.0,
        sustainable: plan.totals.sustainable_annual_income.share_of(p.value).0,
        growth: price_growth(p).0,
        tax: p.assumptions.tax_rate.0,
        inflation: p.assumptions.inflation.0,
    };
    let after_tax = p.goal.as_ref().is_some_and(|gl| gl.after_tax);
    let mut value = p.value.0;
    let mut rows = Vec::with_capacity(years as usize);
    let mut depleted = None;
    let mut to_goal = None;
    let mut index = Decimal::ONE; // (1 + inflation)^t
    for t in 0..years {
        let income_phase = p
            .goal
            .as_ref()
            .is_some_and(|goal| t >= goal.starts_in_years);
        let goal = p.goal.as_ref().map(|goal| goal.annual_min.0 * index);
        if to_goal.is_none() {
            if let (Some(goal), Some(gl)) = (goal, &p.goal) {
                if value * goal_yield(gl, &r) >= goal {
                    to_goal = Some(Decimal::from(t));
                }
            }
        }
        let start = value;
        let gross = start * r.income;
        let tax_paid = gross * r.tax;
        let net = gross - tax_paid;
        let growth = start * r.growth;
        // Income tax is withheld from every year's income. The goal is paid
        // out of what is left: in full when it is an after-tax goal, less the
        // tax on it when it is a pre-tax one.
        let basis = if after_tax { net } else { gross };
        let target = income_phase.then(|| goal.unwrap_or_default());
        let mut f = flows(&p.assumptions, target, after_tax, net, index);
        let before_withdrawal = start + growth + f.reinvested + f.contributions;
        if f.withdrawn > before_withdrawal {
            if depleted.is_none() {
                let x = within_year(start, r.income + r.growth, -f.withdrawn, Decimal::ZERO);
                depleted = Some((Decimal::from(t) + x).round_dp(2));
            }
            f.withdrawn = before_withdrawal.max(Decimal::ZERO);
        }
        f.paid += f.withdrawn;
        value = before_withdrawal - f.withdrawn;
        if to_goal.is_none() {
            to_goal = goal_crossing(p, &r, t, start, value, f.contributions, index);
        }
        rows.push(YearRow {
            year: t + 1,
            phase: if income_phase {
                Phase::Income
            } else {
                Phase::Accumulate
            },
            start_value: Money(start).settle(),
            gross_income: Money(gross).settle(),
            tax: Money(tax_paid).settle(),
            paid_out: Money(f.paid).settle(),
            reinvested: Money(f.reinvested.max(Decimal::ZERO)).settle(),
            contributions: Money(f.contributions).settle(),
            withdrawn: Money(f.withdrawn).settle(),
            price_growth: Money(growth).settle(),
            end_value: Money(value).settle(),
            goal: goal.map(|x| Money(x).settle()),
            income_covers_goal: goal.map(|x| basis >= x),
        });
        index *= Decimal::ONE + r.inflation;
        if value <= Decimal::ZERO {
            value = Decimal::ZERO;
        }
    }
    Projection {
        schema_version: SCHEMA_VERSION,
        profile: plan.profile.clone(),
        currency: p.currency.clone(),
        years,
        income_yield: Rate(r.income).settle(),
        sustainable_yield: Rate(r.sustainable).settle(),
        price_growth: Rate(r.growth).settle(),
        inflation: Rate(r.inflation).settle(),
        rows,
        depleted_after_years: depleted,
        years_to_goal: to_goal,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::rates::RateBook;

    fn run(text: &str, years: u32) -> Projection {
        let book = RateBook::default_book();
        let p = crate::load(Path::new("p.toml"), text.as_bytes(), &book)
            .unwrap_or_else(|e| panic!("{e}"));
        let plan = crate::engine::plan(&p);
        project(&p, &plan, years)
    }

    /// One USDC lending position at `apy`, with extra TOML.
    fn profile(value: &str, apy: &str, extra: &str) -> String {
        format!(
            "[portfolio]\nvalue = {value}\n{extra}\n[[position]]\nstrategy = \"lending\"\nasset = \"USDC\"\napy = \"{apy}\"\nweight = \"100%\"\n"
        )
    }

    fn money(s: &str) -> Money {
        Money(Decimal::from_str_exact(s).unwrap())
    }

    fn last(p: &Projection) -> Money {
        p.rows.last().unwrap().end_value
    }

    #[test]
    fn compounding_matches_the_closed_form() {
        // domain.md §2: 100,000 at 5% for 10 years → 162,889.46.
        let p = run(
            &profile("100000", "5%", "[assumptions]\nreinvest = \"100%\""),
            10,
        );
        assert_eq!(last(&p), money("162889.46"));
    }

    #[test]
    fn contributions_add_an_ordinary_annuity() {
        // 162,889.4627 plus an ordinary annuity of 1,000 for 10 years at 5%
        // (12,577.8925): 175,467.3552 (computed independently with Python's decimal).
        let p = run(
            &profile(
                "100000",
                "5%",
                "[assumptions]\nreinvest = \"100%\"\ninflation = \"0%\"\nannual_contribution = 1000",
            ),
            10,
        );
        assert_eq!(last(&p), money("175467.36"));
        // Indexed to 3% inflation they grow: the growing annuity is 14,248.9124,
        // so 177,138.3750.
        let p = run(
            &profile(
                "100000",
                "5%",
                "[assumptions]\nreinvest = \"100%\"\ninflation = \"3%\"\nannual_contribution = 1000",
            ),
            10,
        );
        assert_eq!(last(&p), money("177138.38"));
    }

    #[test]
    fn withdrawals_match_the_closed_forms() {
        // 1,000,000 at 5% paying 80,000 at each year end for 10 years → 622,663.22.
        let flat = run(
            &profile(
                "1000000",
                "5%",
                "[goal]\nannual_income = 80000\n[assumptions]\ninflation = \"0%\"",
            ),
            10,
        );
        assert_eq!(last(&flat), money("622663.22"));
        assert_eq!(flat.rows[0].withdrawn, money("30000"));
        assert_eq!(flat.rows[0].paid_out, money("80000"));
        // With the payment indexed to 3% inflation → 488,981.64.
        let indexed = run(
            &profile(
                "1000000",
                "5%",
                "[goal]\nannual_income = 80000\n[assumptions]\ninflation = \"3%\"",
            ),
            10,
        );
        assert_eq!(last(&indexed), money("488981.64"));
    }

    #[test]
    fn depletion_years_match_the_closed_form() {
        // 1,000,000 at 5%, 80,000 a year → 20.10 years.
        let p = run(
            &profile(
                "1000000",
                "5%",
                "[goal]\nannual_income = 80000\n[assumptions]\ninflation = \"0%\"",
            ),
            30,
        );
        assert_eq!(
            p.depleted_after_years,
            Some(Decimal::from_str_exact("20.10").unwrap())
        );
    }

    #[test]
    fn years_to_goal_match_the_closed_form() {
        // 100k → 1M with 20k a year at 7%: 17.79 years. The sustainable yield is 7%,
        // so a 70,000 goal is covered once the value reaches 1,000,000.
        let text = profile(
            "100000",
            "7%",
            "[goal]\nannual_income = 70000\nstarts_in_years = 40\n[assumptions]\nreinvest = \"100%\"\ninflation = \"0%\"\nannual_contribution = 20000",
        );
        let p = run(&text, 30);
        assert_eq!(
            p.years_to_goal,
            Some(Decimal::from_str_exact("17.79").unwrap())
        );
    }

    #[test]
    fn accumulation_then_income_phase() {
        let text = profile(
            "100000",
            "6%",
            "[goal]\nannual_income = 5000\nstarts_in_years = 2\n[assumptions]\nreinvest = \"100%\"\ninflation = \"0%\"",
        );
        let p = run(&text, 3);
        assert_eq!(p.rows[0].phase, Phase::Accumulate);
        assert_eq!(p.rows[1].end_value, money("112360"));
        assert_eq!(p.rows[2].phase, Phase::Income);
        // 112,360 × 6% = 6,741.60: 5,000 paid, the surplus reinvested.
        assert_eq!(p.rows[2].paid_out, money("5000"));
        assert_eq!(p.rows[2].end_value, money("114101.6"));
    }
}
