//! Sustainability lints: yields that cannot last, yields paid in incentive
//! tokens, and staking that loses ground to supply inflation. Reads the plan
//! only; changes nothing.

use rust_decimal::Decimal;

use super::{Lint, Warning};
use crate::engine::plan_report::PlanReport;
use crate::model::Portfolio;
use crate::money::{Rate, format_rate};

/// `yield-above-100`: every screened position.
pub(super) fn screened(r: &PlanReport, out: &mut Vec<Warning>) {
    for pos in r.positions.iter().filter(|pos| pos.screened) {
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

/// `emissions-heavy`: positions whose reward share (a fraction of the yield)
/// is above the profile's limit.
pub(super) fn emissions_heavy(p: &Portfolio, r: &PlanReport, out: &mut Vec<Warning>) {
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
}

/// `real-yield-negative`: stakes whose mid real (dilution-adjusted) yield is
/// below zero.
pub(super) fn real_yield_negative(r: &PlanReport, out: &mut Vec<Warning>) {
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
}
