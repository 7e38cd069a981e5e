//! The allocation-template lint: the strategy mix against the seed income
//! template (domain.md §1). Reads the plan only; changes nothing.

use rust_decimal::Decimal;

use super::{Lint, Warning};
use crate::engine::plan_report::PlanReport;
use crate::model::Strategy;

/// Seed allocation template for an income portfolio: per strategy the lowest
/// and highest share, in percent of the value (domain.md §1).
pub const TEMPLATE: [(Strategy, u32, u32); 4] = [
    (Strategy::Staking, 40, 50),
    (Strategy::Lending, 30, 40),
    (Strategy::Liquidity, 10, 20),
    (Strategy::Farming, 0, 10),
];

/// `allocation-template`, when any strategy's share is outside its range.
pub(super) fn template_warning(r: &PlanReport) -> Option<Warning> {
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
