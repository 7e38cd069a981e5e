//! Blending a portfolio's yields into income bands and checking the goal.
//!
//! [`plan`] turns a resolved [`Portfolio`] into a [`PlanReport`]: per position
//! the net yield band and income, per strategy and in total the blended APY
//! and income bands, after-tax and sustainable income, and the goal status.
//! The structs here are the JSON contract (design.md §5): their field names are
//! stable, and their doc comments document the schema. Pure: no I/O.

use rust_decimal::Decimal;
use serde::Serialize;

use super::lints::{Warning, lint};
use crate::model::{Band, Goal, Method, Portfolio, Position, Strategy};
use crate::money::{Money, Rate};

/// The JSON schema version of every report.
pub const SCHEMA_VERSION: u32 = 1;

/// A position whose mid yield is above this is screened out.
pub const SCREEN_ABOVE: Decimal = Decimal::ONE;

/// Which profile a report is about.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProfileRef {
    pub name: String,
    pub path: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PortfolioOut {
    /// Total value, in `currency`.
    pub value: Money,
    pub currency: String,
}

/// A low / mid / high band of money.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MoneyBand {
    pub low: Money,
    pub mid: Money,
    pub high: Money,
}

impl MoneyBand {
    fn map(self, f: impl Fn(Money) -> Money) -> MoneyBand {
        MoneyBand {
            low: f(self.low),
            mid: f(self.mid),
            high: f(self.high),
        }
    }

    fn add(self, o: MoneyBand) -> MoneyBand {
        MoneyBand {
            low: self.low + o.low,
            mid: self.mid + o.mid,
            high: self.high + o.high,
        }
    }

    /// `amount` earning `band` for a year, settled to cents.
    fn earned(amount: Money, band: Band) -> MoneyBand {
        MoneyBand {
            low: amount.at(band.low).settle(),
            mid: amount.at(band.mid).settle(),
            high: amount.at(band.high).settle(),
        }
    }

    /// This income as a yield on `value`.
    fn yield_on(self, value: Money) -> Band {
        Band {
            low: self.low.share_of(value).settle(),
            mid: self.mid.share_of(value).settle(),
            high: self.high.share_of(value).settle(),
        }
    }
}

/// One planned position.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PositionOut {
    pub name: String,
    pub strategy: Strategy,
    pub asset: Option<String>,
    pub pair: Option<[String; 2]>,
    pub protocol: Option<String>,
    pub chain: Option<String>,
    /// Staking method, when given.
    pub method: Option<Method>,
    /// The index position this component was expanded from, if any.
    pub index: Option<String>,
    /// Exact amount; all amounts add up to the portfolio value.
    pub amount: Money,
    /// Share of the portfolio value.
    pub weight: Rate,
    /// Gross yield band (for liquidity: fee APR + reward APY).
    pub apy: Band,
    /// Part of the yield paid in incentive tokens (emissions), as a share of it.
    pub reward_share: Rate,
    /// Expected one-year impermanent loss (liquidity positions; not yet modelled).
    pub expected_il: Option<Rate>,
    /// The yield band that counts toward income (zero when screened).
    pub net_apy: Band,
    /// Yearly income band at `net_apy`.
    pub annual_income: MoneyBand,
    /// Mid income less the emissions haircut; zero when screened.
    pub sustainable_annual_income: Money,
    /// True when the yield is above 100% and the position counts as zero.
    pub screened: bool,
    /// Where the yield band came from.
    pub apy_source: String,
}

/// Blended figures for one strategy.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StrategyOut {
    pub strategy: Strategy,
    pub amount: Money,
    pub weight: Rate,
    pub apy: Band,
    pub annual_income: MoneyBand,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Totals {
    /// Blended net yield of the whole portfolio.
    pub apy: Band,
    pub annual_income: MoneyBand,
    pub monthly_income: MoneyBand,
    pub after_tax_annual_income: MoneyBand,
    /// Mid income from non-screened positions, emissions counted at the haircut.
    pub sustainable_annual_income: Money,
    /// The same per strategy, in a fixed order.
    pub strategies: Vec<StrategyOut>,
}

/// Goal status, from best to worst.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Not even the high band covers the minimum target.
    Short,
    /// Only the high band covers it.
    AtRisk,
    /// The mid band covers it.
    Likely,
    /// The low band covers it.
    Meets,
}

impl Status {
    pub const NAMES: [&'static str; 4] = ["meets", "likely", "at-risk", "short"];

    pub fn name(self) -> &'static str {
        match self {
            Status::Meets => "meets",
            Status::Likely => "likely",
            Status::AtRisk => "at-risk",
            Status::Short => "short",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        [Status::Meets, Status::Likely, Status::AtRisk, Status::Short]
            .into_iter()
            .find(|s| s.name() == text)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Target {
    pub min: Money,
    pub max: Money,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GoalOut {
    /// The yearly income goal.
    pub annual_target: Target,
    /// Minimum target over the portfolio value, grossed up for tax when `after_tax`.
    pub required_yield: Rate,
    /// The same for the maximum target.
    pub required_yield_max: Rate,
    /// The sustainable-yield ceiling from the assumptions.
    pub ceiling: Rate,
    pub status: Status,
    /// Minimum target less the mid income it is compared with: positive is a
    /// shortfall, zero or negative means the mid band covers the goal.
    pub gap: Money,
    /// True when the goal is net of tax (income compared after tax).
    pub after_tax: bool,
    /// Years until the income phase starts.
    pub starts_in_years: u32,
}

/// The plan of one profile: the JSON output of `yieldplan plan`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlanReport {
    pub schema_version: u32,
    pub profile: ProfileRef,
    pub portfolio: PortfolioOut,
    pub positions: Vec<PositionOut>,
    pub totals: Totals,
    pub goal: Option<GoalOut>,
    pub warnings: Vec<Warning>,
}

/// Plans a portfolio.
pub fn plan(p: &Portfolio) -> PlanReport {
    let positions: Vec<PositionOut> = p.positions.iter().map(|pos| plan_position(p, pos)).collect();
    let totals = totals(p, &positions);
    let goal = p.goal.as_ref().map(|g| goal(p, g, &totals));
    let mut report = PlanReport {
        schema_version: SCHEMA_VERSION,
        profile: ProfileRef {
            name: p.name.clone(),
            path: p.path.clone(),
        },
        portfolio: PortfolioOut {
            value: p.value,
            currency: p.currency.clone(),
        },
        positions,
        totals,
        goal,
        warnings: Vec::new(),
    };
    report.warnings = lint(p, &report);
    report
}

fn plan_position(p: &Portfolio, pos: &Position) -> PositionOut {
    let screened = pos.apy.mid.0 > SCREEN_ABOVE;
    let net = if screened { Band::default() } else { pos.apy };
    let income = MoneyBand::earned(pos.amount, net);
    let haircut = Decimal::ONE - pos.reward_share.0 * p.assumptions.emissions_haircut.0;
    let sustainable = if screened {
        Money::ZERO
    } else {
        Money(income.mid.0 * haircut).settle()
    };
    PositionOut {
        name: pos.name.clone(),
        strategy: pos.strategy,
        asset: pos.asset.clone(),
        pair: pos.pair.clone(),
        protocol: pos.protocol.clone(),
        chain: pos.chain.clone(),
        method: pos.method,
        index: pos.index.clone(),
        amount: pos.amount,
        weight: pos.amount.share_of(p.value).settle(),
        apy: pos.apy.map(Rate::settle),
        reward_share: pos.reward_share.settle(),
        expected_il: None,
        net_apy: net.map(Rate::settle),
        annual_income: income,
        sustainable_annual_income: sustainable,
        screened,
        apy_source: pos.apy_source.clone(),
    }
}

fn totals(p: &Portfolio, positions: &[PositionOut]) -> Totals {
    let income = positions
        .iter()
        .fold(MoneyBand::default(), |acc, x| acc.add(x.annual_income));
    let keep = Decimal::ONE - p.assumptions.tax_rate.0;
    let twelve = Decimal::from(12);
    let strategies = Strategy::ALL
        .into_iter()
        .filter_map(|s| {
            let members: Vec<&PositionOut> = positions.iter().filter(|x| x.strategy == s).collect();
            if members.is_empty() {
                return None;
            }
            let amount: Money = members.iter().map(|x| x.amount).sum();
            let income = members
                .iter()
                .fold(MoneyBand::default(), |acc, x| acc.add(x.annual_income));
            Some(StrategyOut {
                strategy: s,
                amount,
                weight: amount.share_of(p.value).settle(),
                apy: income.yield_on(amount),
                annual_income: income,
            })
        })
        .collect();
    Totals {
        apy: income.yield_on(p.value),
        annual_income: income,
        monthly_income: income.map(|m| Money(m.0 / twelve).settle()),
        after_tax_annual_income: income.map(|m| Money(m.0 * keep).settle()),
        sustainable_annual_income: positions.iter().map(|x| x.sustainable_annual_income).sum(),
        strategies,
    }
}

/// The income band a goal is compared with: after tax when the goal is.
pub fn goal_basis(goal: &Goal, totals: &Totals) -> MoneyBand {
    if goal.after_tax {
        totals.after_tax_annual_income
    } else {
        totals.annual_income
    }
}

fn goal(p: &Portfolio, g: &Goal, totals: &Totals) -> GoalOut {
    let gross_up = |target: Money| {
        let base = if g.after_tax {
            target.0 / (Decimal::ONE - p.assumptions.tax_rate.0)
        } else {
            target.0
        };
        Money(base).share_of(p.value).settle()
    };
    let basis = goal_basis(g, totals);
    let min = g.annual_min;
    let status = if basis.low >= min {
        Status::Meets
    } else if basis.mid >= min {
        Status::Likely
    } else if basis.high >= min {
        Status::AtRisk
    } else {
        Status::Short
    };
    GoalOut {
        annual_target: Target {
            min: g.annual_min.settle(),
            max: g.annual_max.settle(),
        },
        required_yield: gross_up(g.annual_min),
        required_yield_max: gross_up(g.annual_max),
        ceiling: p.assumptions.sustainable_yield.settle(),
        status,
        gap: (min - basis.mid).settle(),
        after_tax: g.after_tax,
        starts_in_years: g.starts_in_years,
    }
}
