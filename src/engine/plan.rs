//! Blending a portfolio's yields into income bands and checking the goal.
//!
//! [`plan`] turns a resolved [`Portfolio`] into a [`PlanReport`]: per position
//! the net yield band and income, per strategy and in total the blended APY
//! and income bands, after-tax and sustainable income, and the goal status.
//! The result types live in [`super::plan_report`] and are re-exported here.
//! Pure: no I/O.

use rust_decimal::Decimal;

use super::floats::decimal;
use super::{il, lints, payout, risk};
use crate::model::{Band, Goal, Liquidity, Pool, PoolKind, Portfolio, Position, Strategy};
use crate::money::{Money, Rate};

pub use super::plan_report::{
    GoalOut, LayerOut, LiquidityOut, MoneyBand, PlanInputs, PlanReport, PlanSimulation,
    PortfolioOut, PositionOut, StakingOut, Status, StrategyOut, Target, Totals,
};
pub use super::schema::{ProfileRef, SCHEMA_VERSION};

/// A position whose mid yield (a fraction) is above this, 100%, is screened out.
pub const SCREEN_ABOVE: Decimal = Decimal::ONE;

/// Plans a portfolio.
#[must_use]
pub fn plan(p: &Portfolio) -> PlanReport {
    // Positions often share a pool shape and pair: integrate each once.
    let mut losses = IlCache::default();
    let mut rates = PaidCache::default();
    let positions: Vec<PositionOut> = p
        .positions
        .iter()
        .map(|pos| plan_position(p, pos, &mut losses, &mut rates))
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
        simulation: None,
        warnings: Vec::new(),
        inputs: None,
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

/// Paid-out rates already computed, by yield parts (their exact decimal
/// representations) and payments a year: positions on the rate book's
/// bands share them, and each rate takes a root to the decimal's precision.
#[derive(Default)]
struct PaidCache(std::collections::HashMap<([u8; 16], [u8; 16], u32), Rate>);

impl PaidCache {
    /// [`payout::paid_out_band`] of `pos` at `f` payments a year.
    fn band(&mut self, pos: &Position, f: u32) -> Band {
        let mut rate = |pick: fn(Band) -> Rate| {
            let parts = payout::parts_of(pos, pick);
            let key = (parts.apr.0.serialize(), parts.apy.0.serialize(), f);
            *self
                .0
                .entry(key)
                .or_insert_with(|| payout::paid_out_rate(parts, f))
        };
        Band {
            low: rate(|b| b.low),
            mid: rate(|b| b.mid),
            high: rate(|b| b.high),
        }
    }
}

/// Expected one-year IL of a liquidity position, a fraction in [−1, 0], kept
/// exact (rounded only when shown).
#[must_use]
pub fn expected_il(l: &Liquidity) -> Rate {
    let loss = il::expected_il(&l.pool, l.ratio_volatility.to_f64(), 1.0).unwrap_or(-1.0);
    Rate(decimal(loss.clamp(-1.0, 0.0)))
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
        ratio_volatility: l.ratio_volatility,
        volatility_source: l.volatility_source.clone(),
        fee_apr: l.fee_apr,
        reward_apy: l.reward_apy,
    }
}

fn plan_position(
    p: &Portfolio,
    pos: &Position,
    losses: &mut IlCache,
    rates: &mut PaidCache,
) -> PositionOut {
    let screened = pos.apy.mid.0 > SCREEN_ABOVE;
    let il = pos.liquidity.as_ref().map(|l| losses.get(l));
    let loss = il.unwrap_or(Rate::ZERO);
    // Net yield: gross yield plus the (negative) expected IL; nothing when screened.
    let net = if screened {
        Band::default()
    } else {
        pos.apy.map(|r| r + loss)
    };
    // What is paid out on the goal's schedule; IL is a capital change that
    // eats it (and is not paid, nor taxed).
    let paid = if screened {
        Band::default()
    } else {
        rates.band(pos, p.payouts_per_year())
    };
    let paid_income = MoneyBand::earned(pos.amount, paid);
    // A screened position counts as 0 toward the goal, its IL included.
    let income = if screened {
        MoneyBand::default()
    } else {
        MoneyBand::earned(pos.amount, paid.map(|r| r + loss))
    };
    // Sustainable: emissions count at the haircut, IL counts in full.
    let kept = paid.mid.0 * (Decimal::ONE - pos.reward_share.0 * p.assumptions.emissions_haircut.0)
        + loss.0;
    let sustainable = if screened {
        Money::ZERO
    } else {
        Money(pos.amount.0 * kept)
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
        weight: pos.amount.share_of(p.value),
        apy: pos.apy,
        reward_share: pos.reward_share,
        expected_il: il,
        net_apy: net,
        paid_out_rate: paid,
        paid_out_income: paid_income,
        annual_income: income,
        sustainable_annual_income: sustainable,
        screened,
        apy_source: pos.apy_source.clone(),
        liquidity: pos.liquidity.as_ref().map(liquidity_out),
        real_apy: risk::staking_real(pos),
        staking: pos.staking.as_ref().map(|s| StakingOut {
            method: s.method,
            provider_fee: s.provider_fee,
            apy: s.apy,
            supply_inflation: s.inflation,
            unbonding_days: s.unbonding_days,
            slashing: s.slashing,
        }),
        risk_adjusted_apy: net.map(|r| Rate(r.0 - risk.expected_loss.0)),
        risk,
        stack: pos
            .stack
            .iter()
            .map(|l| LayerOut {
                strategy: l.strategy,
                asset: l.asset.clone(),
                protocol: l.protocol.clone(),
                apy: l.apy,
            })
            .collect(),
        defi: pos.defi,
        pool_id: pos.pool.as_ref().map(|s| s.id.clone()),
        tvl_usd: pos.pool.as_ref().and_then(|s| s.tvl_usd),
    }
}

fn totals(p: &Portfolio, positions: &[PositionOut]) -> Totals {
    let income = positions
        .iter()
        .fold(MoneyBand::default(), |acc, x| acc.add(x.annual_income));
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
            let earned = members.iter().fold(MoneyBand::default(), |acc, x| {
                acc.add(MoneyBand::earned(x.amount, x.net_apy))
            });
            Some(StrategyOut {
                strategy: s,
                amount,
                weight: amount.share_of(p.value),
                apy: earned.yield_on(amount),
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
        .map(|x| Money(x.amount.0 * x.risk.expected_loss.0))
        .sum();
    let adjusted = income.map(|m| m - expected_loss);
    // The share of the counted yield paid in incentive tokens: screened
    // positions count for nothing, their rewards included.
    let counted = || positions.iter().filter(|x| !x.screened);
    let rewards: Money = counted()
        .map(|x| x.amount.at(Rate(x.apy.mid.0 * x.reward_share.0)))
        .sum();
    let gross_mid: Money = counted().map(|x| x.amount.at(x.apy.mid)).sum();
    // Tax falls on the fees, interest and rewards paid out, never on the
    // impermanent loss, and is never negative.
    let paid = positions
        .iter()
        .fold(MoneyBand::default(), |acc, x| acc.add(x.paid_out_income));
    let tax = paid.map(|m| Money(m.0.max(Decimal::ZERO) * p.assumptions.tax_rate.0));
    let net_apy = positions.iter().fold(MoneyBand::default(), |acc, x| {
        acc.add(MoneyBand::earned(x.amount, x.net_apy))
    });
    Totals {
        reward_share: rewards.share_of(gross_mid),
        expected_annual_loss: expected_loss,
        risk_adjusted_apy: net_apy.map(|m| m - expected_loss).yield_on(p.value),
        risk_adjusted_annual_income: adjusted,
        apy: net_apy.yield_on(p.value),
        gross_apy: gross.yield_on(p.value),
        paid_out_rate: income.yield_on(p.value),
        annual_income: income,
        monthly_income: income.map(|m| Money(m.0 / twelve)),
        tax,
        after_tax_annual_income: MoneyBand {
            low: income.low - tax.low,
            mid: income.mid - tax.mid,
            high: income.high - tax.high,
        },
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
        Money(base).share_of(p.value)
    };
    let basis = totals.goal_basis(g);
    let min = g.annual_min;
    let status = Status::of(basis, min);
    GoalOut {
        annual_target: Target {
            min: g.annual_min,
            max: g.annual_max,
        },
        required_yield: gross_up(g.annual_min),
        required_yield_max: gross_up(g.annual_max),
        ceiling: p.assumptions.sustainable_yield,
        status,
        gap: (min - basis.mid),
        after_tax: g.after_tax,
        starts_in_years: g.starts_in_years,
    }
}

#[cfg(test)]
mod tests;
