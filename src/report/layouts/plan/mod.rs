//! The layout of a plan: positions, then the liquidity, staking and risk
//! views of them, diversification, strategies, totals, the goal and the
//! warnings. Each section lives in its own file here. Formats only: every
//! figure comes from the engine's [`PlanReport`].

mod diversification;
mod liquidity;
mod positions;
mod risk;
mod staking;
mod strategies;
mod summary;

use crate::engine::plan::PlanReport;
use crate::money::format_money;
use crate::report::document::Document;

/// Lays out a plan: positions, strategies, totals, goal, warnings.
#[must_use]
pub fn plan_document(r: &PlanReport) -> Document {
    let cur = r.portfolio.currency.as_str();
    let mut sections = vec![positions::positions_section(r)];
    sections.extend(liquidity::liquidity_section(&r.positions));
    sections.extend(staking::staking_section(&r.positions));
    sections.push(risk::risk_section(&r.positions));
    sections.push(diversification::diversification_section(
        &r.diversification,
        cur,
    ));
    sections.push(strategies::strategies_section(&r.totals.strategies, cur));
    sections.push(summary::totals_section(&r.totals, cur));
    if let Some(g) = &r.goal {
        sections.push(summary::goal_section(g, cur));
    }
    if let Some(sim) = &r.simulation {
        sections.push(summary::simulation_section(sim, cur));
    }
    sections.push(summary::warnings_section(&r.warnings));
    Document {
        title: format!("{} ({})", r.profile.name, r.profile.path),
        lines: vec![format!(
            "Portfolio value {} ({})",
            format_money(r.portfolio.value, cur),
            r.portfolio.currency
        )],
        sections,
    }
}
