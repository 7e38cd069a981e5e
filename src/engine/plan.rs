//! Blending a portfolio's yields into income bands and checking the goal.
//!
//! [`plan`] turns a resolved [`Portfolio`] into a [`PlanReport`]: per position
//! the net yield band and income, per strategy and in total the blended APY
//! and income bands, after-tax and sustainable income, and the goal status.
//! The result types live in [`super::plan_report`] and are re-exported here.
//! Pure: no I/O.

use rust_decimal::Decimal;

use super::floats::decimal;
use super::{il, lints, risk};
use crate::model::{Band, Goal, Liquidity, Pool, PoolKind, Portfolio, Position, Strategy};
use crate::money::{Money, Rate};

pub use super::plan_report::{
    GoalOut, LayerOut, LiquidityOut, MoneyBand, PlanReport, PortfolioOut, PositionOut, StakingOut,
    Status, StrategyOut, Target, Totals,
};
pub use super::schema::{ProfileRef, SCHEMA_VERSION};

/// A position whose mid yield (a fraction) is above this, 100%, is screened out.
pub const SCREEN_ABOVE: Decimal = Decimal::ONE;

/// Plans a portfolio.
#[must_use]
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
    report.warnings = lints::lint(p, &report);
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
#[must_use]
pub fn expected_il(l: &Liquidity) -> Rate {
    let loss = il::expected_il(&l.pool, l.ratio_volatility.to_f64(), 1.0).unwrap_or(0.0);
    Rate(decimal(loss)).settle()
}

fn liquidity_out(l: &Liquidity) -> LiquidityOut {
    let dec = |x: f64| decimal(x).round_dp(6).normalize();
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

fn goal(p: &Portfolio, g: &Goal, totals: &Totals) -> GoalOut {
    let gross_up = |target: Money| {
        let base = if g.after_tax {
            target.0 / (Decimal::ONE - p.assumptions.tax_rate.0)
        } else {
            target.0
        };
        Money(base).share_of(p.value).settle()
    };
    let basis = totals.goal_basis(g);
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
mod tests;
