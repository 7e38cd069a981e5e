//! The closing sections of a plan: the totals, the income goal and the
//! warnings. Rates are fractions shown as percents, amounts are in the
//! portfolio's currency, bands read low / mid / high. Formats only; computes
//! nothing (a surplus is shown as the positive amount by negating the gap).

use crate::engine::lints::Warning;
use crate::engine::plan::{GoalOut, PlanSimulation, Status, Totals};
use crate::money::{Money, format_money, format_rate};
use crate::report::cells::{band_text, money_band_text, warning_text};
use crate::report::document::Section;

/// The totals as labelled low / mid / high bands; amounts in `cur`.
pub(super) fn totals_section(t: &Totals, cur: &str) -> Section {
    let money_band = |b| money_band_text(b, cur);
    Section::Fields {
        raws: Vec::new(),
        title: "Totals (low / mid / high)".into(),
        rows: vec![
            ("Blended APY".into(), band_text(t.apy)),
            ("Paid-out yield".into(), band_text(t.paid_out_rate)),
            (
                "Annual income (paid out)".into(),
                money_band(t.annual_income),
            ),
            (
                "Monthly income (paid out)".into(),
                money_band(t.monthly_income),
            ),
            ("Tax".into(), money_band(t.tax)),
            (
                "After-tax annual income".into(),
                money_band(t.after_tax_annual_income),
            ),
            (
                "Expected loss from protocol risk".into(),
                format!("{} a year", format_money(t.expected_annual_loss, cur)),
            ),
            ("Risk-adjusted APY".into(), band_text(t.risk_adjusted_apy)),
            (
                "Risk-adjusted annual income".into(),
                money_band(t.risk_adjusted_annual_income),
            ),
            (
                "Sustainable annual income".into(),
                format!(
                    "{} (mid, emissions at a haircut, screened positions excluded)",
                    format_money(t.sustainable_annual_income, cur)
                ),
            ),
        ],
    }
}

/// What a goal status means, in words.
fn status_meaning(s: Status) -> &'static str {
    match s {
        Status::Meets => "the low band covers the minimum",
        Status::Likely => "the mid band covers the minimum, the low band does not",
        Status::AtRisk => "only the high band covers the minimum",
        Status::Short => "not even the high band covers the minimum",
    }
}

/// The yearly target: "$30,000.00 a year" or "$20,000.00 to $30,000.00 a
/// year", with ", after tax" when the goal is net of tax.
fn target_text(g: &GoalOut, cur: &str) -> String {
    let t = g.annual_target;
    let range = if t.min == t.max {
        format!("{} a year", format_money(t.min, cur))
    } else {
        format!(
            "{} to {} a year",
            format_money(t.min, cur),
            format_money(t.max, cur)
        )
    };
    format!("{range}{}", if g.after_tax { ", after tax" } else { "" })
}

/// The gap at the mid band: a shortfall, or the amount to spare.
fn gap_text(gap: Money, cur: &str) -> String {
    if gap.0.is_sign_positive() && !gap.0.is_zero() {
        format!("{} a year short", format_money(gap, cur))
    } else {
        format!(
            "covered with {} a year to spare",
            format_money(Money(-gap.0), cur)
        )
    }
}

/// The goal: target, required yield, ceiling, status and gap; amounts in `cur`.
pub(super) fn goal_section(g: &GoalOut, cur: &str) -> Section {
    let mut rows = vec![
        ("Target".into(), target_text(g, cur)),
        (
            "Required yield".into(),
            format!(
                "{} (for the maximum: {})",
                format_rate(g.required_yield),
                format_rate(g.required_yield_max)
            ),
        ),
        ("Sustainable ceiling".into(), format_rate(g.ceiling)),
        (
            "Status".into(),
            format!("{} ({})", g.status.name(), status_meaning(g.status)),
        ),
        ("Gap (mid)".into(), gap_text(g.gap, cur)),
    ];
    if g.starts_in_years > 0 {
        rows.push((
            "Income starts".into(),
            format!(
                "in {} years (compared here with today's income)",
                g.starts_in_years
            ),
        ));
    }
    Section::Fields {
        raws: Vec::new(),
        title: "Goal".into(),
        rows,
    }
}

/// Every warning on its own line, or "none".
pub(super) fn warnings_section(warnings: &[Warning]) -> Section {
    Section::Notes {
        title: "Warnings".into(),
        items: if warnings.is_empty() {
            vec!["none".into()]
        } else {
            warnings.iter().map(warning_text).collect()
        },
    }
}

/// With `plan --simulate`: the chance of paying the goal every year and the
/// first year's P5 income, beside the deterministic status.
pub(super) fn simulation_section(sim: &PlanSimulation, cur: &str) -> Section {
    let mut rows = vec![(
        "Run".to_string(),
        format!(
            "{} over {}, seed {}",
            crate::report::cells::counted(u64::from(sim.paths), "path"),
            crate::report::cells::counted(u64::from(sim.years), "year"),
            sim.seed
        ),
    )];
    if let (Some(p), Some(se)) = (sim.success_probability, sim.success_standard_error) {
        rows.push((
            "Chance of paying the goal every year".to_string(),
            format!("{} (standard error {})", format_rate(p), format_rate(se)),
        ));
    }
    rows.push((
        "Chance the capital runs out".to_string(),
        format_rate(sim.depletion_probability),
    ));
    rows.push((
        "First-year gross income, P5 / P50".to_string(),
        format!(
            "{} / {}",
            format_money(sim.p5_first_year_income, cur),
            format_money(sim.p50_first_year_income, cur)
        ),
    ));
    Section::Fields {
        raws: Vec::new(),
        title: "Simulated (the same Monte Carlo as project --simulate)".into(),
        rows,
    }
}
