//! Named warnings about a plan.
//!
//! Each lint has a stable kebab-case name, a severity, and a message that says
//! what is wrong and what to do about it (design.md §6). Lints read the
//! portfolio and its computed plan; they never change either. A profile can
//! switch a lint off with `[lints] allow = [...]` and tune thresholds there.

use std::fmt;

use rust_decimal::Decimal;
use serde::Serialize;

use super::plan::{PlanReport, Status, goal_basis};
use crate::model::{Portfolio, Strategy};
use crate::money::{Money, Rate, format_money, format_rate};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// The lint catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Lint {
    YieldAbove100,
    EmissionsHeavy,
    RequiredYieldUnsustainable,
    IncomeShortfall,
    IncomeAtRisk,
    IlExceedsFees,
    RealYieldNegative,
    ProtocolConcentration,
    ChainConcentration,
    LockedLiquidity,
    StackedRisk,
    DefiHeavy,
    AllocationTemplate,
}

impl Lint {
    pub const ALL: [Lint; 13] = [
        Lint::YieldAbove100,
        Lint::EmissionsHeavy,
        Lint::RequiredYieldUnsustainable,
        Lint::IncomeShortfall,
        Lint::IncomeAtRisk,
        Lint::IlExceedsFees,
        Lint::RealYieldNegative,
        Lint::ProtocolConcentration,
        Lint::ChainConcentration,
        Lint::LockedLiquidity,
        Lint::StackedRisk,
        Lint::DefiHeavy,
        Lint::AllocationTemplate,
    ];

    pub const NAMES: [&'static str; 13] = [
        "yield-above-100",
        "emissions-heavy",
        "required-yield-unsustainable",
        "income-shortfall",
        "income-at-risk",
        "il-exceeds-fees",
        "real-yield-negative",
        "protocol-concentration",
        "chain-concentration",
        "locked-liquidity",
        "stacked-risk",
        "defi-heavy",
        "allocation-template",
    ];

    pub fn name(self) -> &'static str {
        Lint::NAMES[Lint::ALL.iter().position(|l| *l == self).unwrap_or(0)]
    }

    pub fn parse(text: &str) -> Option<Lint> {
        Lint::ALL.into_iter().find(|l| l.name() == text)
    }

    pub fn severity(self) -> Severity {
        match self {
            Lint::AllocationTemplate => Severity::Info,
            _ => Severity::Warning,
        }
    }

    /// When the lint fires, in one line (for `--help` and the README).
    pub fn summary(self) -> &'static str {
        match self {
            Lint::YieldAbove100 => "a position's yield exceeds 100%: it is screened out",
            Lint::EmissionsHeavy => {
                "more than half of a position's yield is paid in incentive tokens"
            }
            Lint::RequiredYieldUnsustainable => "the goal needs more than the sustainable ceiling",
            Lint::IncomeShortfall => "the expected (mid) income misses the minimum goal",
            Lint::IncomeAtRisk => "the mid band meets the goal but the low band does not",
            Lint::RealYieldNegative => "staking pays less than the network's supply inflation",
            Lint::ProtocolConcentration => "one protocol holds more than 25% of the portfolio",
            Lint::ChainConcentration => "one chain holds more than 60% of the on-chain positions",
            Lint::LockedLiquidity => "most of the portfolio sits behind long unbonding periods",
            Lint::StackedRisk => "a stack is deep or its compounded loss probability is high",
            Lint::DefiHeavy => "more than half the portfolio depends on DeFi smart contracts",
            Lint::IlExceedsFees => {
                "expected one-year impermanent loss is larger than the fee income"
            }
            Lint::AllocationTemplate => {
                "the mix is outside the 40-50 / 30-40 / 10-20 / 0-10 template"
            }
        }
    }
}

impl fmt::Display for Lint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One fired lint.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Warning {
    pub lint: Lint,
    pub severity: Severity,
    /// The position it is about, if any.
    pub position: Option<String>,
    pub message: String,
}

impl Warning {
    fn new(lint: Lint, position: Option<&str>, message: String) -> Warning {
        Warning {
            lint,
            severity: lint.severity(),
            position: position.map(str::to_string),
            message,
        }
    }
}

/// Seed allocation template for an income portfolio, in percent of the value.
pub const TEMPLATE: [(Strategy, u32, u32); 4] = [
    (Strategy::Staking, 40, 50),
    (Strategy::Lending, 30, 40),
    (Strategy::Liquidity, 10, 20),
    (Strategy::Farming, 0, 10),
];

/// All lints that fire for a plan, minus those the profile allows.
pub fn lint(p: &Portfolio, r: &PlanReport) -> Vec<Warning> {
    let cur = p.currency.as_str();
    let money = |m: Money| format_money(m, cur);
    let mut out = Vec::new();
    for pos in &r.positions {
        if pos.screened {
            out.push(Warning::new(
                Lint::YieldAbove100,
                Some(&pos.name),
                format!(
                    "{}: a yield of {} is above 100% and cannot last; it is screened out and counts as 0 toward the goal. Treat it as speculation, not income, or replace it with a sustainable source",
                    pos.name,
                    format_rate(pos.apy.mid)
                ),
            ));
        }
    }
    for pos in &r.positions {
        if !pos.screened && pos.reward_share.0 > p.lints.emissions_share.0 {
            let organic = Rate(pos.apy.mid.0 * (Decimal::ONE - pos.reward_share.0));
            out.push(Warning::new(
                Lint::EmissionsHeavy,
                Some(&pos.name),
                format!(
                    "{}: {} of its {} yield is paid in incentive tokens, which dilute and tend to fall in price; plan on the organic part ({}) and sell rewards as they arrive",
                    pos.name,
                    format_rate(pos.reward_share),
                    format_rate(pos.apy.mid),
                    format_rate(organic)
                ),
            ));
        }
    }
    for pos in &r.positions {
        let (Some(l), Some(il)) = (&pos.liquidity, pos.expected_il) else {
            continue;
        };
        if pos.screened || -il.0 <= l.fee_apr.mid.0 {
            continue;
        }
        let fix = match l.pool {
            crate::model::PoolKind::Concentrated => {
                "widen the range, choose a more correlated pair, or allocate less"
            }
            crate::model::PoolKind::Stable => {
                "check that both coins hold their peg, or allocate less"
            }
            _ => {
                "choose a correlated pair (a token and its staking derivative, two stablecoins), a concentrated range only with fees to match, or allocate less"
            }
        };
        out.push(Warning::new(
            Lint::IlExceedsFees,
            Some(&pos.name),
            format!(
                "{}: expected impermanent loss of {} a year (ratio volatility {}) is larger than its fee income of {} (mid), so the fees do not pay for the loss; {fix}",
                pos.name,
                format_rate(Rate(-il.0)),
                format_rate(l.ratio_volatility),
                format_rate(l.fee_apr.mid)
            ),
        ));
    }
    if let (Some(g), Some(goal)) = (&p.goal, &r.goal) {
        if goal.required_yield > goal.ceiling {
            let needed = Money(goal.annual_target.min.0 / goal.ceiling.0.max(Decimal::new(1, 6)));
            out.push(Warning::new(
                Lint::RequiredYieldUnsustainable,
                None,
                format!(
                    "the goal needs a yield of {} a year, above the {} sustainable ceiling; lower the goal, add capital (about {} would do at the ceiling{}), or start the income later",
                    format_rate(goal.required_yield),
                    format_rate(goal.ceiling),
                    money(needed.settle()),
                    if g.after_tax { ", before tax" } else { "" }
                ),
            ));
        }
        let basis = goal_basis(g, &r.totals);
        let what = if g.after_tax {
            "after-tax income"
        } else {
            "income"
        };
        match goal.status {
            Status::AtRisk | Status::Short => out.push(Warning::new(
                Lint::IncomeShortfall,
                None,
                format!(
                    "expected {what} of {} a year (mid) misses the minimum goal of {} by {}; raise the yield with sustainable sources, add capital, or lower the goal",
                    money(basis.mid),
                    money(goal.annual_target.min),
                    money(goal.gap)
                ),
            )),
            Status::Likely => out.push(Warning::new(
                Lint::IncomeAtRisk,
                None,
                format!(
                    "the mid band meets the goal but the low band ({} a year) falls {} short; keep a cash buffer for lean years or shift toward steadier yields",
                    money(basis.low),
                    money(goal.annual_target.min - basis.low)
                ),
            )),
            Status::Meets => {}
        }
    }
    risk_warnings(p, r, &mut out);
    if let Some(w) = template_warning(r) {
        out.push(w);
    }
    out.retain(|w| !p.lints.allow.iter().any(|a| a == w.lint.name()));
    out
}

fn template_warning(r: &PlanReport) -> Option<Warning> {
    let share = |s: Strategy| {
        r.totals
            .strategies
            .iter()
            .find(|x| x.strategy == s)
            .map_or(Decimal::ZERO, |x| x.weight.0 * Decimal::ONE_HUNDRED)
    };
    let mut outside = Vec::new();
    let mut mix = Vec::new();
    for (s, lo, hi) in TEMPLATE {
        let pct = share(s);
        mix.push(format!("{s} {}%", pct.round_dp(1).normalize()));
        if pct < Decimal::from(lo) || pct > Decimal::from(hi) {
            outside.push(format!("{s} ({lo}-{hi}%)"));
        }
    }
    if outside.is_empty() {
        return None;
    }
    Some(Warning::new(
        Lint::AllocationTemplate,
        None,
        format!(
            "the mix is {}; outside the seed income template for {}. That is fine for a growth plan; for income, move toward staking 40-50%, stablecoin lending 30-40%, liquidity 10-20%, farming 0-10%",
            mix.join(", "),
            outside.join(", ")
        ),
    ))
}

/// The sustainability and risk lints (issue of real yield, concentration,
/// lock-ups and stacking).
fn risk_warnings(p: &Portfolio, r: &PlanReport, out: &mut Vec<Warning>) {
    let cur = p.currency.as_str();
    let pct = |x: Rate| format_rate(x);
    for pos in &r.positions {
        if let (Some(real), Some(st)) = (pos.real_apy, &pos.staking) {
            if real.mid.0 < Decimal::ZERO {
                out.push(Warning::new(
                    Lint::RealYieldNegative,
                    Some(&pos.name),
                    format!(
                        "{}: staking pays {} after the provider's fee, less than the network's {} supply inflation, so the stake's share of supply shrinks by {} a year; prefer a network whose rewards beat its issuance, or a cheaper staking route",
                        pos.name,
                        pct(st.apy.mid),
                        pct(st.supply_inflation.unwrap_or_default()),
                        pct(Rate(-real.mid.0))
                    ),
                ));
            }
        }
    }
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
    if let Some(g) = &p.goal {
        let locked = super::risk::locked(p, l.long_unbonding_days);
        let share = locked.share_of(p.value);
        if g.starts_in_years == 0 && share.0 > l.locked_share.0 {
            out.push(Warning::new(
                Lint::LockedLiquidity,
                None,
                format!(
                    "{} of the portfolio ({}) is staked behind unbonding of {} days or more while the income is needed now; a sudden need for cash would wait weeks. Keep more in liquid staking tokens, lending or stablecoins",
                    pct(share.settle()),
                    format_money(locked, cur),
                    l.long_unbonding_days
                ),
            ));
        }
    }
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
                    pct(prob),
                    l.stack_depth,
                    pct(l.stacked_loss_probability)
                ),
            ));
        }
    }
}
