//! The plan's result types: the JSON contract of `yieldplan plan`.
//!
//! A [`PlanReport`] holds per position the net yield band and income, per
//! strategy and in total the blended APY and income bands, after-tax and
//! sustainable income, and the goal status. Field names are stable (design.md
//! §5) and their doc comments document the schema. Rates are fractions (0.05
//! is 5%), money is in the portfolio's currency. This module holds the shapes
//! and the small band arithmetic they need; the plan itself is computed in
//! [`super::plan()`], and nothing here reads a portfolio.

use rust_decimal::Decimal;
use serde::Serialize;

use super::lint_catalogue::Warning;
use super::risk;
use super::schema::ProfileRef;
use crate::model::{Band, Goal, Method, Strategy};
use crate::money::{Money, Rate};

/// The portfolio a plan is about.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PortfolioOut {
    /// Total value, in `currency`.
    pub value: Money,
    /// The currency code every amount of the report is in.
    pub currency: String,
}

/// A low / mid / high band of money.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MoneyBand {
    /// The pessimistic amount.
    pub low: Money,
    /// The expected amount.
    pub mid: Money,
    /// The optimistic amount.
    pub high: Money,
}

impl MoneyBand {
    /// Each amount passed through `f`.
    pub(crate) fn map(self, f: impl Fn(Money) -> Money) -> MoneyBand {
        MoneyBand {
            low: f(self.low),
            mid: f(self.mid),
            high: f(self.high),
        }
    }

    /// The sum of two bands, amount by amount.
    pub(crate) fn add(self, o: MoneyBand) -> MoneyBand {
        MoneyBand {
            low: self.low + o.low,
            mid: self.mid + o.mid,
            high: self.high + o.high,
        }
    }

    /// `amount` earning `band` for a year, settled to cents.
    pub(crate) fn earned(amount: Money, band: Band) -> MoneyBand {
        MoneyBand {
            low: amount.at(band.low),
            mid: amount.at(band.mid),
            high: amount.at(band.high),
        }
    }

    /// This income as a yield on `value` (fractions, settled).
    pub(crate) fn yield_on(self, value: Money) -> Band {
        Band {
            low: self.low.share_of(value),
            mid: self.mid.share_of(value),
            high: self.high.share_of(value),
        }
    }
}

/// One planned position.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PositionOut {
    /// The position's name, unique in the profile.
    pub name: String,
    /// How the position earns.
    pub strategy: Strategy,
    /// The asset held, for single-asset positions.
    pub asset: Option<String>,
    /// The two assets of a liquidity pool.
    pub pair: Option<[String; 2]>,
    /// The protocol the money is in, if any.
    pub protocol: Option<String>,
    /// The chain the position lives on, if known.
    pub chain: Option<String>,
    /// Staking method, when given.
    pub method: Option<Method>,
    /// The index position this component was expanded from, if any.
    pub index: Option<String>,
    /// Exact amount; all amounts add up to the portfolio value.
    pub amount: Money,
    /// Share of the portfolio value, a fraction.
    pub weight: Rate,
    /// Gross yield band (for liquidity: fee APR + reward APY).
    pub apy: Band,
    /// Part of the yield paid in incentive tokens (emissions), as a share of it.
    pub reward_share: Rate,
    /// Expected one-year impermanent loss, a fraction ≤ 0 (liquidity positions only).
    pub expected_il: Option<Rate>,
    /// The gross APY plus the expected impermanent loss (zero when screened):
    /// the yearly yield that counts toward income, as an APY (a fraction).
    pub net_apy: Band,
    /// The yearly rate of fees, interest and rewards paid out on the goal's
    /// schedule (`f·((1+APY)^(1/f) − 1)` plus any fee APR, `f` payments a
    /// year; the APY itself when paid yearly); zero when screened.
    pub paid_out_rate: Band,
    /// Fees, interest and rewards paid out in a year at `paid_out_rate`: the
    /// taxable income (money).
    pub paid_out_income: MoneyBand,
    /// Yearly income: `paid_out_income` less the expected impermanent loss
    /// (money; the figure the goal is tested against).
    pub annual_income: MoneyBand,
    /// Mid income less the emissions haircut; zero when screened.
    pub sustainable_annual_income: Money,
    /// True when the yield is above 100% and the position counts as zero.
    pub screened: bool,
    /// Where the yield band came from.
    pub apy_source: String,
    /// Pool, ratio volatility, fee and reward bands (liquidity positions only).
    pub liquidity: Option<LiquidityOut>,
    /// Dilution-adjusted staking yield: `(1 + received) / (1 + supply inflation) − 1`
    /// (staking positions whose network inflation is known; null otherwise).
    pub real_apy: Option<Band>,
    /// Route, provider fee and network facts (staking positions only).
    pub staking: Option<StakingOut>,
    /// Protocol risk, its stack included.
    pub risk: risk::RiskOut,
    /// Net APY less the expected loss from protocol risk.
    pub risk_adjusted_apy: Band,
    /// Layers stacked on this position.
    pub stack: Vec<LayerOut>,
    /// True when the money depends on DeFi smart contracts.
    pub defi: bool,
    /// The snapshot or rate-book pool the yield came from (`pool_id`);
    /// left out when the position names none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pool_id: Option<String>,
    /// The pool's total value locked in USD, when it came from a pools
    /// snapshot (`--pools` or `[rates] pools`); left out otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tvl_usd: Option<Money>,
}

/// How a staking position is staked.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StakingOut {
    /// Direct, delegated or liquid staking.
    pub method: Method,
    /// Share of rewards the provider keeps (already out of `apy`).
    pub provider_fee: Rate,
    /// The staking yield received, after the fee (before stacked layers).
    pub apy: Band,
    /// The network's yearly supply inflation, a fraction; null when unknown.
    pub supply_inflation: Option<Rate>,
    /// Days to get the stake back (0 for a liquid-staking token).
    pub unbonding_days: u32,
    /// Share of the stake a slashing event takes, a fraction.
    pub slashing: Rate,
}

/// A layer stacked on a position.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayerOut {
    /// How the layer earns.
    pub strategy: Strategy,
    /// The asset the layer holds, if any.
    pub asset: Option<String>,
    /// The layer's protocol, if any.
    pub protocol: Option<String>,
    /// The yield the layer adds, fractions.
    pub apy: Band,
}

/// The liquidity-provider economics of a position.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LiquidityOut {
    /// The pool's shape.
    pub pool: crate::model::PoolKind,
    /// Concentrated pools: range bounds as multiples of the entry price.
    pub range: Option<[Decimal; 2]>,
    /// Weighted pools: the first asset's weight.
    pub weight: Option<Decimal>,
    /// StableSwap pools: amplification.
    pub amplification: Option<Decimal>,
    /// Annual volatility of the pair's price ratio, a fraction.
    pub ratio_volatility: Rate,
    /// Where the ratio volatility came from.
    pub volatility_source: String,
    /// Trading-fee yield band, fractions.
    pub fee_apr: Band,
    /// Incentive-token yield band, fractions.
    pub reward_apy: Band,
}

/// Blended figures for one strategy.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StrategyOut {
    /// The strategy.
    pub strategy: Strategy,
    /// Money in its positions.
    pub amount: Money,
    /// Share of the portfolio value, a fraction.
    pub weight: Rate,
    /// Its blended net APY (gross APY plus expected impermanent loss,
    /// weighted by amount; screened positions at zero), fractions.
    pub apy: Band,
    /// Yearly income band of its positions.
    pub annual_income: MoneyBand,
}

/// Blended figures for the whole portfolio.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Totals {
    /// Blended net APY of the whole portfolio: gross APY plus expected
    /// impermanent loss, screened positions at zero (fractions).
    pub apy: Band,
    /// Blended gross yield: before expected impermanent loss and screening.
    pub gross_apy: Band,
    /// Share of the (mid) gross yield paid in incentive tokens.
    pub reward_share: Rate,
    /// Yearly income band: fees, interest and rewards paid out on the goal's
    /// schedule, less expected impermanent loss (money).
    pub annual_income: MoneyBand,
    /// The paid-out income as a yield on the portfolio value (fractions):
    /// below the APY when income is paid out more than once a year.
    pub paid_out_rate: Band,
    /// Income tax on the paid-out fees, interest and rewards (never on
    /// impermanent loss; never negative), money.
    pub tax: MoneyBand,
    /// `annual_income` over twelve.
    pub monthly_income: MoneyBand,
    /// `annual_income` less the assumed income tax.
    pub after_tax_annual_income: MoneyBand,
    /// Mid income from non-screened positions, emissions counted at the haircut.
    pub sustainable_annual_income: Money,
    /// The same per strategy, in a fixed order.
    pub strategies: Vec<StrategyOut>,
    /// Expected yearly loss from protocol risk, in money.
    pub expected_annual_loss: Money,
    /// Blended net APY less the expected loss from protocol risk.
    pub risk_adjusted_apy: Band,
    /// Income less the expected loss from protocol risk.
    pub risk_adjusted_annual_income: MoneyBand,
}

impl Totals {
    /// The income band a goal is compared with: after tax when the goal is.
    #[must_use]
    pub fn goal_basis(&self, goal: &Goal) -> MoneyBand {
        if goal.after_tax {
            self.after_tax_annual_income
        } else {
            self.annual_income
        }
    }
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
    /// The statuses' names, from best to worst.
    pub const NAMES: [&'static str; 4] = ["meets", "likely", "at-risk", "short"];

    /// The status's kebab-case name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Status::Meets => "meets",
            Status::Likely => "likely",
            Status::AtRisk => "at-risk",
            Status::Short => "short",
        }
    }

    /// The status of an income band against a minimum target: the best band
    /// (low, then mid, then high) that covers it.
    #[must_use]
    pub fn of(basis: MoneyBand, min: Money) -> Status {
        if basis.low >= min {
            Status::Meets
        } else if basis.mid >= min {
            Status::Likely
        } else if basis.high >= min {
            Status::AtRisk
        } else {
            Status::Short
        }
    }

    /// The status with this name, if any.
    #[must_use]
    pub fn parse(text: &str) -> Option<Status> {
        [Status::Meets, Status::Likely, Status::AtRisk, Status::Short]
            .into_iter()
            .find(|s| s.name() == text)
    }
}

/// A yearly income goal, as a range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Target {
    /// The least yearly income that meets the goal.
    pub min: Money,
    /// The yearly income wished for.
    pub max: Money,
}

/// The goal and how the plan fares against it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GoalOut {
    /// The yearly income goal.
    pub annual_target: Target,
    /// Minimum target over the portfolio value (a fraction), grossed up for
    /// tax when `after_tax`.
    pub required_yield: Rate,
    /// The same for the maximum target.
    pub required_yield_max: Rate,
    /// The sustainable-yield ceiling from the assumptions, a fraction.
    pub ceiling: Rate,
    /// The best band that covers the minimum target.
    pub status: Status,
    /// Minimum target less the mid income it is compared with: positive is a
    /// shortfall, zero or negative means the mid band covers the goal.
    pub gap: Money,
    /// True when the goal is net of tax (income compared after tax).
    pub after_tax: bool,
    /// Years until the income phase starts.
    pub starts_in_years: u32,
}

/// What `plan --simulate` adds to a plan: the same Monte Carlo as `project
/// --simulate`, summed up next to the deterministic goal status.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlanSimulation {
    /// The horizon simulated, in years.
    pub years: u32,
    /// Paths simulated.
    pub paths: u32,
    /// The seed (the same seed gives the same result).
    pub seed: u64,
    /// Chance of paying the goal in every year of the income phase within
    /// the horizon, a fraction; null without an income phase.
    pub success_probability: Option<Rate>,
    /// Standard error of that chance, `sqrt(p(1−p)/N)`, a fraction.
    pub success_standard_error: Option<Rate>,
    /// Chance the capital runs out within the horizon, a fraction.
    pub depletion_probability: Rate,
    /// The 5th percentile of the first year's income (fees, interest and
    /// rewards earned, before tax), to set beside the low band.
    pub p5_first_year_income: Money,
    /// The median of the first year's income.
    pub p50_first_year_income: Money,
}

/// The plan of one profile: the JSON output of `yieldplan plan`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlanReport {
    /// See [`super::schema::SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The profile planned.
    pub profile: ProfileRef,
    /// Its value and currency.
    pub portfolio: PortfolioOut,
    /// Every position, in profile order.
    pub positions: Vec<PositionOut>,
    /// Blended figures.
    pub totals: Totals,
    /// The goal and its status; null without a goal.
    pub goal: Option<GoalOut>,
    /// Exposure by protocol, chain, asset group, strategy and DeFi vs not.
    pub diversification: risk::Diversification,
    /// With `plan --simulate`: the Monte Carlo's verdict beside the
    /// deterministic status; null otherwise.
    pub simulation: Option<PlanSimulation>,
    /// The lints that fired, minus those the profile allows.
    pub warnings: Vec<Warning>,
    /// Where the figures came from: the rate book's date and the files read
    /// (what `review` compares a later plan against); null when the plan was
    /// made from the library without files.
    pub inputs: Option<PlanInputs>,
}

/// The data a plan was made from.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PlanInputs {
    /// The rate book's `as_of` date as written (the embedded book's, or the
    /// last `--rates` file's that gives one); null when none gives one.
    pub rate_book_as_of: Option<String>,
    /// The `--rates` file, as given; null for the embedded book alone.
    pub rates_file: Option<String>,
    /// Pools snapshots read (`--pools`, then the profile's `[rates] pools`),
    /// as given.
    pub pools_files: Vec<String>,
}
