//! The layout of an optimization: the chosen weights beside the current
//! ones, the constraints that bind with what relaxing each would give, or
//! why no mix fits; then the plan of the chosen mix, as `plan` lays it out.
//! Formats only; computes nothing.

use crate::engine::optimize::report::{ChosenWeight, OptimizeReport, OptimizeStatus};
use crate::engine::optimize::{GoalBand, Objective};
use crate::engine::plan_report::Status;
use crate::money::{format_money, format_rate};
use crate::report::cells::{missing_cell, optional_rate_cell, raw_rate};
use crate::report::document::{Cell, Column, Document, Grid, Section};

/// The columns of the weights grid.
fn weight_columns() -> Vec<Column<ChosenWeight>> {
    vec![
        Column::new("Position", &["position"], false, |w: &ChosenWeight| {
            Cell::plain(&w.name)
        }),
        Column::new(
            "Now",
            &["previous_weight"],
            true,
            |w: &ChosenWeight| match w.previous_weight {
                Some(r) => optional_rate_cell(Some(r)),
                None => Cell::new("-", vec![String::new()]),
            },
        ),
        Column::new("Chosen", &["weight"], true, |w: &ChosenWeight| {
            w.weight
                .map_or_else(|| missing_cell(1), |r| optional_rate_cell(Some(r)))
        }),
        Column::new("Allowed", &["min", "max"], true, |w: &ChosenWeight| {
            let text = if w.fixed {
                "fixed".to_string()
            } else {
                format!("{} to {}", format_rate(w.min), format_rate(w.max))
            };
            Cell::new(text, vec![raw_rate(w.min), raw_rate(w.max)])
        }),
    ]
}

/// What the objective's value means, in words.
fn objective_words(kind: Objective) -> &'static str {
    match kind {
        Objective::MinRisk => "least expected annual loss (protocol risk + expected IL)",
        Objective::MaxIncome => "most risk-adjusted sustainable income a year",
        Objective::MinCvar => "least 95% CVaR of the one-year loss",
    }
}

/// The lines under the title.
fn lines(r: &OptimizeReport, currency: &str) -> Vec<String> {
    let (band, wanted) = match r.band {
        GoalBand::Low => ("low", Status::Meets),
        GoalBand::Mid => ("mid", Status::Likely),
    };
    let goal = match r.plan.as_ref().map(|p| p.goal.as_ref()) {
        // No goal: nothing to meet.
        Some(None) => "no income goal".to_string(),
        // The status the chosen mix's plan really has, never the one asked for.
        Some(Some(g)) if g.status < wanted => format!(
            "income goal asked at the {band} band (status {}); the chosen mix is {} after rounding to 0.01% weights",
            wanted.name(),
            g.status.name()
        ),
        Some(Some(g)) => format!(
            "income goal met at the {band} band (status {})",
            g.status.name()
        ),
        None if r
            .infeasible
            .as_ref()
            .is_some_and(|i| i.required_yield.is_none()) =>
        {
            "no income goal".to_string()
        }
        None => format!(
            "income goal asked at the {band} band (status {})",
            wanted.name()
        ),
    };
    let mut out = vec![format!(
        "Objective: {} ({}); {goal}",
        r.objective.kind,
        objective_words(r.objective.kind)
    )];
    out.push(match (r.status, r.objective.value) {
        (OptimizeStatus::Optimal, Some(v)) => format!(
            "Optimal: {} {}",
            format_money(v, currency),
            match r.objective.kind {
                Objective::MinCvar => "of loss in the worst 5% of years",
                _ => "a year",
            }
        ),
        _ => "Infeasible: no mix meets every constraint (see below)".to_string(),
    });
    if r.positions.iter().all(|p| p.fixed) {
        out.push("Every position has a fixed amount, so there was nothing to choose; give some positions a `weight` (or `weight = { min, max }`) to let the optimizer move them.".into());
    } else if r.all_free {
        out.push("No position gives weight bounds, so every weight was free (0% to 100%); amounts stay fixed.".into());
    }
    out
}

/// Lays out an optimization: weights, binding constraints (or why none
/// fits), then the chosen mix's plan.
#[must_use]
pub fn optimize_document(r: &OptimizeReport) -> Document {
    let currency = r
        .plan
        .as_ref()
        .map_or("USD", |p| p.portfolio.currency.as_str())
        .to_string();
    let mut sections = vec![Section::Grid(Grid::build(
        "Weights",
        &weight_columns(),
        &r.positions,
        None,
    ))];
    if let Some(why) = &r.infeasible {
        sections.push(Section::Notes {
            title: "Why no mix fits".into(),
            items: why.lines.clone(),
        });
    }
    if r.status == OptimizeStatus::Optimal {
        let items = if r.binding.is_empty() {
            vec!["none: no bound or cap limits the mix".to_string()]
        } else {
            r.binding
                .iter()
                .map(|b| match b.shadow_price {
                    Some(m) => format!(
                        "{}: one point more room would gain {} a year",
                        b.constraint,
                        format_money(m, &currency)
                    ),
                    None => b.constraint.clone(),
                })
                .collect()
        };
        sections.push(Section::Notes {
            title: "Binding constraints".into(),
            items,
        });
    }
    let mut lines = lines(r, &currency);
    if let Some(plan) = &r.plan {
        let doc = super::plan_document(plan);
        lines.push(format!("Plan of the chosen mix: {}", doc.title));
        sections.extend(doc.sections);
    }
    Document {
        title: format!("Optimize: {} ({})", r.profile.name, r.profile.path),
        lines,
        sections,
    }
}
