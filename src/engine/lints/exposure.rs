//! Exposure lints: too much money behind one protocol, one chain, DeFi
//! contracts, long unbonding or a deep stack. Thresholds come from the
//! profile's `[lints]` table. Reads the plan only; changes nothing.

use super::{Lint, Warning};
use crate::engine::plan_report::PlanReport;
use crate::engine::risk;
use crate::model::Portfolio;
use crate::money::{Rate, format_money, format_rate};

/// `protocol-concentration`, `chain-concentration` and `defi-heavy`, from the
/// plan's diversification view.
pub(super) fn concentration(p: &Portfolio, r: &PlanReport, out: &mut Vec<Warning>) {
    let cur = p.currency.as_str();
    let pct = |x: Rate| format_rate(x);
    let l = &p.lints;
    let d = &r.diversification;
    for e in d
        .by_protocol
        .iter()
        .filter(|e| e.share.0 > l.protocol_concentration.0)
    {
        out.push(Warning::new(
            Lint::ProtocolConcentration,
            None,
            format!(
                "{} of the portfolio ({}) depends on {}, above the {} limit; one exploit or insolvency there would hit all of it. Spread the money over other protocols",
                pct(e.share),
                format_money(e.amount, cur),
                e.name,
                pct(l.protocol_concentration)
            ),
        ));
    }
    if d.by_chain.len() > 1 || d.by_chain.first().is_some_and(|c| c.name != "unknown") {
        for e in d
            .by_chain
            .iter()
            .filter(|e| e.name != "unknown" && e.share.0 > l.chain_concentration.0)
        {
            out.push(Warning::new(
                Lint::ChainConcentration,
                None,
                format!(
                    "{} of the on-chain positions ({}) sit on {}, above the {} limit; an outage or exploit of that chain would hit them together. Spread across chains (Ethereum, Solana, Avalanche, ...)",
                    pct(e.share),
                    format_money(e.amount, cur),
                    e.name,
                    pct(l.chain_concentration)
                ),
            ));
        }
    }
    if d.defi.share.0 > l.defi_share.0 {
        out.push(Warning::new(
            Lint::DefiHeavy,
            None,
            format!(
                "{} of the portfolio ({}) depends on DeFi smart contracts, above the {} limit; only risk in DeFi what you can afford to lose entirely, and balance it with native staking or plain holdings",
                pct(d.defi.share),
                format_money(d.defi.amount, cur),
                pct(l.defi_share)
            ),
        ));
    }
}

/// `locked-liquidity`: income is due now but too much of the value is behind
/// long unbonding.
pub(super) fn locked_liquidity(p: &Portfolio, out: &mut Vec<Warning>) {
    let Some(g) = &p.goal else {
        return;
    };
    let l = &p.lints;
    let locked = risk::locked(p, l.long_unbonding_days);
    let share = locked.share_of(p.value);
    if g.starts_in_years == 0 && share.0 > l.locked_share.0 {
        out.push(Warning::new(
            Lint::LockedLiquidity,
            None,
            format!(
                "{} of the portfolio ({}) is staked behind unbonding of {} days or more while the income is needed now; a sudden need for cash would wait weeks. Keep more in liquid staking tokens, lending or stablecoins",
                format_rate(share.settle()),
                format_money(locked, &p.currency),
                l.long_unbonding_days
            ),
        ));
    }
}

/// `stacked-risk`: stacks deeper than the limit, or whose compounded yearly
/// loss probability is above it.
pub(super) fn stacked_risk(p: &Portfolio, r: &PlanReport, out: &mut Vec<Warning>) {
    let l = &p.lints;
    for pos in r.positions.iter().filter(|pos| !pos.stack.is_empty()) {
        let depth = pos.stack.len() as u32;
        let prob = pos.risk.loss_probability;
        if depth > l.stack_depth || prob.0 > l.stacked_loss_probability.0 {
            out.push(Warning::new(
                Lint::StackedRisk,
                Some(&pos.name),
                format!(
                    "{}: {} layer{} stacked on it, so a loss at any of {} protocols hits the money: a {} yearly chance of a loss event (limits: {} layers, {}); yields add but so do risks. Remove a layer or use a lower-risk protocol",
                    pos.name,
                    depth,
                    if depth == 1 { "" } else { "s" },
                    pos.risk.sources.len(),
                    format_rate(prob),
                    l.stack_depth,
                    format_rate(l.stacked_loss_probability)
                ),
            ));
        }
    }
}
