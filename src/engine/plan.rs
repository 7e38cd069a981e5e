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
use super::{il, risk};
use crate::model::{Band, Goal, Liquidity, Method, Pool, PoolKind, Portfolio, Position, Strategy};
use crate::money::{Money, Rate, decimal_from_f64};

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
    /// Expected one-year impermanent loss, a fraction ≤ 0 (liquidity positions only).
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
}

/// How a staking position is staked.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StakingOut {
    pub method: Method,
    /// Share of rewards the provider keeps (already out of `apy`).
    pub provider_fee: Rate,
    /// The staking yield received, after the fee (before stacked layers).
    pub apy: Band,
    /// The network's supply inflation.
    pub supply_inflation: Option<Rate>,
    /// Days to get the stake back (0 for a liquid-staking token).
    pub unbonding_days: u32,
    /// Share of the stake a slashing event takes.
    pub slashing: Rate,
}

/// A layer stacked on a position.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayerOut {
    pub strategy: Strategy,
    pub asset: Option<String>,
    pub protocol: Option<String>,
    pub apy: Band,
}

/// The liquidity-provider economics of a position.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LiquidityOut {
    pub pool: crate::model::PoolKind,
    /// Concentrated pools: range bounds as multiples of the entry price.
    pub range: Option<[Decimal; 2]>,
    /// Weighted pools: the first asset's weight.
    pub weight: Option<Decimal>,
    /// StableSwap pools: amplification.
    pub amplification: Option<Decimal>,
    /// Annual volatility of the pair's price ratio.
    pub ratio_volatility: Rate,
    /// Where the ratio volatility came from.
    pub volatility_source: String,
    pub fee_apr: Band,
    pub reward_apy: Band,
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
    /// Blended net yield of the whole portfolio (what the income bands earn).
    pub apy: Band,
    /// Blended gross yield: before expected impermanent loss and screening.
    pub gross_apy: Band,
    /// Share of the (mid) gross yield paid in incentive tokens.
    pub reward_share: Rate,
    pub annual_income: MoneyBand,
    pub monthly_income: MoneyBand,
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

    /// The status of an income band against a minimum target: the best band
    /// (low, then mid, then high) that covers it.
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
    /// Exposure by protocol, chain, asset group, strategy and DeFi vs not.
    pub diversification: risk::Diversification,
    pub warnings: Vec<Warning>,
}

/// Plans a portfolio.
pub fn plan(p: &Portfolio) -> PlanReport {
    // Positions often share a pool shape and pair: integrate each once.
    let mut losses = IlCache::default();
    let positions: Vec<PositionOut> = p
        .positions
        .iter()
        .map(|pos| plan_position(p, pos, &mut losses))
        .collect();
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
        diversification: risk::diversify(p),
        warnings: Vec::new(),
    };
    report.warnings = lint(p, &report);
    report
}

/// Expected losses already computed, by pool shape and ratio volatility.
#[derive(Default)]
struct IlCache(std::collections::HashMap<(u8, u64, u64, u64), Rate>);

impl IlCache {
    fn get(&mut self, l: &Liquidity) -> Rate {
        let key = match l.pool {
            Pool::ConstantProduct => (0, 0, 0, 0),
            Pool::Weighted { weight } => (1, weight.to_bits(), 0, 0),
            Pool::Concentrated { lower, upper } => (2, lower.to_bits(), upper.to_bits(), 0),
            Pool::Stable { amplification } => (3, amplification.to_bits(), 0, 0),
        };
        let key = (
            key.0,
            key.1,
            key.2,
            l.ratio_volatility.to_f64().to_bits() ^ key.3,
        );
        *self.0.entry(key).or_insert_with(|| expected_il(l))
    }
}

/// Expected one-year IL of a liquidity position, as a settled rate.
pub fn expected_il(l: &Liquidity) -> Rate {
    let loss = il::expected_il(&l.pool, l.ratio_volatility.to_f64(), 1.0).unwrap_or(0.0);
    Rate(decimal_from_f64(loss).unwrap_or_default()).settle()
}

fn liquidity_out(l: &Liquidity) -> LiquidityOut {
    let dec = |x: f64| {
        decimal_from_f64(x)
            .unwrap_or_default()
            .round_dp(6)
            .normalize()
    };
    let (range, weight, amplification) = match l.pool {
        Pool::Concentrated { lower, upper } => (Some([dec(lower), dec(upper)]), None, None),
        Pool::Weighted { weight } => (None, Some(dec(weight)), None),
        Pool::Stable { amplification } => (None, None, Some(dec(amplification))),
        Pool::ConstantProduct => (None, None, None),
    };
    LiquidityOut {
        pool: match l.pool {
            Pool::ConstantProduct => PoolKind::ConstantProduct,
            Pool::Weighted { .. } => PoolKind::Weighted,
            Pool::Concentrated { .. } => PoolKind::Concentrated,
            Pool::Stable { .. } => PoolKind::Stable,
        },
        range,
        weight,
        amplification,
        ratio_volatility: l.ratio_volatility.settle(),
        volatility_source: l.volatility_source.clone(),
        fee_apr: l.fee_apr.map(Rate::settle),
        reward_apy: l.reward_apy.map(Rate::settle),
    }
}

fn plan_position(p: &Portfolio, pos: &Position, losses: &mut IlCache) -> PositionOut {
    let screened = pos.apy.mid.0 > SCREEN_ABOVE;
    let il = pos.liquidity.as_ref().map(|l| losses.get(l));
    let loss = il.unwrap_or(Rate::ZERO);
    // Net yield: gross yield plus the (negative) expected IL; nothing when screened.
    let net = if screened {
        Band::default()
    } else {
        pos.apy.map(|r| r + loss)
    };
    let income = MoneyBand::earned(pos.amount, net);
    // Sustainable: emissions count at the haircut, IL counts in full.
    let kept = pos.apy.mid.0
        * (Decimal::ONE - pos.reward_share.0 * p.assumptions.emissions_haircut.0)
        + loss.0;
    let sustainable = if screened {
        Money::ZERO
    } else {
        Money(pos.amount.0 * kept).settle()
    };
    let risk = risk::position_risk(pos);
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
        expected_il: il,
        net_apy: net.map(Rate::settle),
        annual_income: income,
        sustainable_annual_income: sustainable,
        screened,
        apy_source: pos.apy_source.clone(),
        liquidity: pos.liquidity.as_ref().map(liquidity_out),
        real_apy: risk::staking_real(pos),
        staking: pos.staking.as_ref().map(|s| StakingOut {
            method: s.method,
            provider_fee: s.provider_fee.settle(),
            apy: s.apy.map(Rate::settle),
            supply_inflation: s.inflation.map(Rate::settle),
            unbonding_days: s.unbonding_days,
            slashing: s.slashing.settle(),
        }),
        risk_adjusted_apy: net.map(|r| Rate(r.0 - risk.expected_loss.0).settle()),
        risk,
        stack: pos
            .stack
            .iter()
            .map(|l| LayerOut {
                strategy: l.strategy,
                asset: l.asset.clone(),
                protocol: l.protocol.clone(),
                apy: l.apy.map(Rate::settle),
            })
            .collect(),
        defi: pos.defi,
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
    let gross = positions.iter().fold(MoneyBand::default(), |acc, x| {
        acc.add(MoneyBand {
            low: x.amount.at(x.apy.low),
            mid: x.amount.at(x.apy.mid),
            high: x.amount.at(x.apy.high),
        })
    });
    let expected_loss: Money = positions
        .iter()
        .map(|x| Money(x.amount.0 * x.risk.expected_loss.0).settle())
        .sum();
    let adjusted = income.map(|m| m - expected_loss);
    let rewards: Money = positions
        .iter()
        .map(|x| x.amount.at(Rate(x.apy.mid.0 * x.reward_share.0)))
        .sum();
    let gross_mid: Money = positions.iter().map(|x| x.amount.at(x.apy.mid)).sum();
    Totals {
        reward_share: rewards.share_of(gross_mid).settle(),
        expected_annual_loss: expected_loss,
        risk_adjusted_apy: adjusted.yield_on(p.value),
        risk_adjusted_annual_income: adjusted,
        apy: income.yield_on(p.value),
        gross_apy: gross.yield_on(p.value),
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
    let status = Status::of(basis, min);
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use rust_decimal::Decimal;

    use super::*;
    use crate::rates::RateBook;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    fn plan_text(text: &str) -> PlanReport {
        let book = RateBook::default_book();
        let p = crate::load(Path::new("t.toml"), text.as_bytes(), &book)
            .unwrap_or_else(|e| panic!("{e}"));
        plan(&p)
    }

    /// A one-position portfolio of `value` yielding `apy`, with a goal.
    fn simple(value: &str, apy: &str, goal: &str, extra: &str) -> PlanReport {
        plan_text(&format!(
            "[portfolio]\nvalue = {value}\n[goal]\n{goal}\n[assumptions]\n{extra}\n[[position]]\nstrategy = \"lending\"\nasset = \"USDC\"\napy = {apy}\nweight = \"100%\"\n"
        ))
    }

    #[test]
    fn required_yield_is_goal_over_value() {
        // domain.md §2: 30,000 / 500,000 = 6.0%; with t = 20%: 7.5%.
        let r = simple("500000", "\"6%\"", "annual_income = 30000", "");
        assert_eq!(r.goal.unwrap().required_yield, Rate(dec("0.06")));
        let r = simple(
            "500000",
            "\"6%\"",
            "annual_income = 30000\nafter_tax = true",
            "tax_rate = \"20%\"",
        );
        assert_eq!(r.goal.unwrap().required_yield, Rate(dec("0.075")));
    }

    #[test]
    fn seed_rule_of_thumb_for_sustainable_yield() {
        // domain.md §1: $1,000,000 for $50,000 needs 5%; $500,000 needs 10%, unsustainable.
        let ok = simple("1000000", "\"5%\"", "annual_income = 50000", "");
        assert_eq!(ok.goal.as_ref().unwrap().required_yield, Rate(dec("0.05")));
        assert!(
            !ok.warnings
                .iter()
                .any(|w| w.lint.name() == "required-yield-unsustainable")
        );
        let bad = simple("500000", "\"5%\"", "annual_income = 50000", "");
        assert_eq!(bad.goal.as_ref().unwrap().required_yield, Rate(dec("0.1")));
        assert!(
            bad.warnings
                .iter()
                .any(|w| w.lint.name() == "required-yield-unsustainable")
        );
    }

    #[test]
    fn status_follows_the_band_that_covers_the_minimum() {
        // 100,000 at 4% / 6% / 8% earns 4,000 / 6,000 / 8,000.
        let band = "{ low = \"4%\", high = \"8%\" }";
        let status = |min: u32| {
            simple("100000", band, &format!("annual_income = {min}"), "")
                .goal
                .unwrap()
                .status
        };
        assert_eq!(status(4000), Status::Meets);
        assert_eq!(status(4001), Status::Likely);
        assert_eq!(status(6000), Status::Likely);
        assert_eq!(status(7000), Status::AtRisk);
        assert_eq!(status(8001), Status::Short);
    }

    #[test]
    fn monthly_goals_are_twelve_times_a_month() {
        let r = simple(
            "300000",
            "\"5%\"",
            "monthly_income = { min = 1000, max = 2000 }",
            "",
        );
        let g = r.goal.unwrap();
        assert_eq!(g.annual_target.min, Money(dec("12000")));
        assert_eq!(g.annual_target.max, Money(dec("24000")));
        assert_eq!(g.required_yield, Rate(dec("0.04")));
        assert_eq!(g.required_yield_max, Rate(dec("0.08")));
        // 15,000 mid income against a 12,000 minimum: 3,000 to spare.
        assert_eq!(g.gap, Money(dec("-3000")));
    }

    #[test]
    fn after_tax_goals_compare_after_tax_income() {
        // 10,000 gross at 25% tax is 7,500 net: short of an 8,000 net goal.
        let r = simple(
            "100000",
            "\"10%\"",
            "annual_income = 8000\nafter_tax = true",
            "tax_rate = \"25%\"",
        );
        assert_eq!(r.totals.after_tax_annual_income.mid, Money(dec("7500")));
        assert_eq!(r.goal.unwrap().status, Status::Short);
    }

    #[test]
    fn yields_above_100_percent_are_screened_out() {
        let r = simple("100000", "\"150%\"", "annual_income = 1000", "");
        let p = &r.positions[0];
        assert!(p.screened);
        assert_eq!(p.annual_income.mid, Money::ZERO);
        assert_eq!(r.totals.sustainable_annual_income, Money::ZERO);
        assert!(
            r.warnings
                .iter()
                .any(|w| w.lint.name() == "yield-above-100")
        );
    }

    #[test]
    fn emissions_count_at_the_haircut_in_sustainable_income() {
        // 10% yield of which 6% is rewards (60% share): 10,000 income on 100,000,
        // sustainable = 10,000 × (1 − 0.6 × 0.5) = 7,000.
        let text = "[portfolio]\nvalue = 100000\n[[position]]\nstrategy = \"farming\"\napy = \"10%\"\nreward_apy = \"6%\"\nweight = \"100%\"\n";
        let r = plan_text(text);
        assert_eq!(r.positions[0].reward_share, Rate(dec("0.6")));
        assert_eq!(r.totals.sustainable_annual_income, Money(dec("7000")));
        assert!(
            r.warnings
                .iter()
                .any(|w| w.lint.name() == "emissions-heavy")
        );
    }

    #[test]
    fn blended_apy_is_income_weighted_by_amount() {
        // 60% at 5% and 40% at 10% → 7% blended.
        let text = "[portfolio]\nvalue = 1000\n[[position]]\nstrategy = \"lending\"\nasset = \"USDC\"\napy = \"5%\"\nweight = \"60%\"\n[[position]]\nstrategy = \"staking\"\nasset = \"ETH\"\napy = \"10%\"\nweight = \"40%\"\n";
        let r = plan_text(text);
        assert_eq!(r.totals.apy.mid, Rate(dec("0.07")));
        assert_eq!(r.totals.annual_income.mid, Money(dec("70")));
        assert_eq!(r.totals.monthly_income.mid, Money(dec("5.83")));
    }

    #[test]
    fn seed_scenario_one_blends_five_to_seven_percent_and_meets_its_minimum() {
        let text = std::fs::read_to_string("profiles/supplemental-income.toml").unwrap();
        let r = plan_text(&text);
        let mid = r.totals.apy.mid.0;
        assert!(mid >= dec("0.05") && mid <= dec("0.07"), "mid APY {mid}");
        assert!(r.totals.monthly_income.low.0 >= dec("1000"));
        assert_eq!(r.goal.unwrap().status, Status::Meets);
    }

    #[test]
    fn template_lint_fires_outside_the_seed_mix_only() {
        let inside = "[portfolio]\nvalue = 1000\n[[position]]\nstrategy = \"staking\"\nasset = \"ETH\"\nweight = \"45%\"\n[[position]]\nstrategy = \"lending\"\nasset = \"USDC\"\nweight = \"35%\"\n[[position]]\nstrategy = \"liquidity\"\npair = [\"ETH\", \"USDC\"]\nweight = \"15%\"\n[[position]]\nstrategy = \"farming\"\nweight = \"5%\"\n";
        assert!(
            !plan_text(inside)
                .warnings
                .iter()
                .any(|w| w.lint.name() == "allocation-template")
        );
        let outside = inside.replace("45%", "30%").replace("\"35%\"", "\"50%\"");
        assert!(
            plan_text(&outside)
                .warnings
                .iter()
                .any(|w| w.lint.name() == "allocation-template")
        );
    }

    #[test]
    fn the_portfolio_reward_share_weighs_positions_by_their_yield() {
        // Half at 10% with 6% in rewards, half at 5% with none: 3% of a 7.5% yield.
        let text = "[portfolio]\nvalue = 1000\n\
            [[position]]\nstrategy = \"farming\"\napy = \"10%\"\nreward_apy = \"6%\"\nweight = \"50%\"\n\
            [[position]]\nstrategy = \"lending\"\nasset = \"USDC\"\napy = \"5%\"\nweight = \"50%\"\n";
        assert_eq!(plan_text(text).totals.reward_share, Rate(dec("0.4")));
    }

    #[test]
    fn lints_can_be_allowed_in_the_profile() {
        let text = "[portfolio]\nvalue = 1000\n[lints]\nallow = [\"allocation-template\"]\n[[position]]\nstrategy = \"hold\"\nasset = \"BTC\"\nweight = \"100%\"\n";
        assert!(plan_text(text).warnings.is_empty());
    }
}

#[cfg(test)]
mod liquidity_tests {
    use std::path::Path;

    use super::*;
    use crate::rates::RateBook;

    fn plan_text(text: &str) -> PlanReport {
        let book = RateBook::default_book();
        let p = crate::load(Path::new("t.toml"), text.as_bytes(), &book)
            .unwrap_or_else(|e| panic!("{e}"));
        plan(&p)
    }

    fn lp(extra: &str) -> String {
        format!(
            "[portfolio]\nvalue = 10000\n[[position]]\nstrategy = \"liquidity\"\nweight = \"100%\"\n{extra}\n"
        )
    }

    #[test]
    fn expected_il_comes_from_the_pair_volatilities() {
        // Rate book: ETH 70%, USDC 1%, uncorrelated (a stablecoin against crypto).
        let r = plan_text(&lp("pair = [\"ETH\", \"USDC\"]\nfee_apr = \"10%\""));
        let sigma2 = 0.7f64 * 0.7 + 0.01 * 0.01;
        let want = (-sigma2 / 8.0).exp() - 1.0;
        let p = &r.positions[0];
        let got = p.expected_il.unwrap().to_f64();
        assert!((got - want).abs() < 1e-6, "{got} vs {want}");
        // Net APY = fee APR + reward APY + expected IL.
        assert_eq!(
            p.net_apy.mid,
            Rate(Decimal::new(1, 1) + p.expected_il.unwrap().0)
        );
        assert_eq!(
            p.liquidity.as_ref().unwrap().pool,
            PoolKind::ConstantProduct
        );
    }

    #[test]
    fn correlated_pairs_lose_less() {
        let uncorrelated = plan_text(&lp(
            "pair = [\"ETH\", \"SOL\"]\nfee_apr = \"10%\"\ncorrelation = 0",
        ));
        let correlated = plan_text(&lp(
            "pair = [\"ETH\", \"SOL\"]\nfee_apr = \"10%\"\ncorrelation = 0.95",
        ));
        assert!(correlated.positions[0].expected_il > uncorrelated.positions[0].expected_il);
    }

    #[test]
    fn two_stablecoins_default_to_a_stable_pool() {
        let r = plan_text(&lp("pair = [\"USDC\", \"DAI\"]\nfee_apr = \"3%\""));
        let l = r.positions[0].liquidity.as_ref().unwrap();
        assert_eq!(l.pool, PoolKind::Stable);
        assert!(r.positions[0].expected_il.unwrap().0 < Decimal::ZERO);
    }

    #[test]
    fn il_exceeds_fees_fires_only_when_the_loss_beats_the_fees() {
        let fires = |extra: &str| {
            plan_text(&lp(extra))
                .warnings
                .iter()
                .any(|w| w.lint.name() == "il-exceeds-fees")
        };
        // σ = 70%: expected loss ≈ 5.9% a year.
        assert!(fires("pair = [\"ETH\", \"USDC\"]\nfee_apr = \"5%\""));
        assert!(!fires("pair = [\"ETH\", \"USDC\"]\nfee_apr = \"7%\""));
        // A narrow range amplifies the loss past generous fees.
        assert!(fires(
            "pair = [\"ETH\", \"USDC\"]\npool = \"concentrated\"\nrange = { lower = 0.95, upper = 1.05 }\nfee_apr = \"25%\""
        ));
    }
}
