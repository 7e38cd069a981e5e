//! The layout of a stress test: the baseline and one row per shock, so a user
//! sees in one screen which shock breaks the income goal, then what each
//! shock does. Formats only; computes nothing.

use crate::engine::stress::{ShockOut, StressReport};
use crate::money::format_money;
use crate::money::format_rate;
use crate::report::cells::{income_cell, money_cell, raw_money, raw_rate, status_text};
use crate::report::document::{Cell, Column, Document, Grid, Section};

/// The columns of the shocks grid; amounts in `currency`; income after tax
/// when the goal is (`after_tax`), so the column shows what the verdict tests.
fn shock_columns(currency: &str, after_tax: bool) -> Vec<Column<ShockOut>> {
    let c1 = currency.to_string();
    let c2 = currency.to_string();
    vec![
        Column::new("Shock", &["shock"], false, |s: &ShockOut| {
            Cell::plain(&s.name)
        }),
        Column::new("Value after", &["value"], true, move |s: &ShockOut| {
            money_cell(s.value, &c1)
        }),
        Column::new(
            "Change",
            &["value_change", "value_change_share"],
            true,
            |s: &ShockOut| {
                Cell::new(
                    format_rate(s.value_change_share),
                    vec![raw_money(s.value_change), raw_rate(s.value_change_share)],
                )
            },
        ),
        if after_tax {
            Column::new(
                "Income after tax / yr (mid)",
                &[
                    "after_tax_income_low",
                    "after_tax_income_mid",
                    "after_tax_income_high",
                ],
                true,
                move |s: &ShockOut| income_cell(s.after_tax_annual_income, &c2),
            )
        } else {
            Column::new(
                "Income / yr (mid)",
                &["income_low", "income_mid", "income_high"],
                true,
                move |s: &ShockOut| income_cell(s.annual_income, &c2),
            )
        },
        Column::new("Goal status", &["status"], false, |s: &ShockOut| {
            Cell::plain(status_text(s.status))
        }),
        Column::new("Verdict", &["breaks_goal"], false, |s: &ShockOut| {
            Cell::new(
                match s.status {
                    None => "-",
                    Some(_) if s.breaks_goal => "BREAKS the goal",
                    Some(_) => "holds",
                },
                vec![s.breaks_goal.to_string()],
            )
        })
        .essential(),
    ]
}

/// The lines under the title: the goal, and which shocks break it.
fn goal_lines(r: &StressReport) -> Vec<String> {
    let Some(min) = r.goal_min else {
        return vec!["The profile has no goal: values and income only.".into()];
    };
    let breaking: Vec<&str> = r
        .shocks
        .iter()
        .filter(|s| s.breaks_goal)
        .map(|s| s.name.as_str())
        .collect();
    vec![
        format!(
            "Goal: at least {} a year{}",
            format_money(min, &r.currency),
            if r.after_tax { " after tax" } else { "" }
        ),
        if breaking.is_empty() {
            "No shock below breaks the goal: the mid income still covers it after each.".to_string()
        } else {
            format!(
                "Breaks the goal (mid income below the minimum): {}.",
                breaking.join(", ")
            )
        },
    ]
}

/// Lays out a stress test: one row per shock, so a user sees in one screen
/// which shock breaks the income goal.
#[must_use]
pub fn stress_document(r: &StressReport) -> Document {
    let mut rows = vec![r.baseline.clone()];
    rows.extend(r.shocks.iter().cloned());
    Document {
        title: format!("Stress test: {} ({})", r.profile.name, r.profile.path),
        lines: goal_lines(r),
        sections: vec![
            Section::Grid(Grid::build(
                "Shocks",
                &shock_columns(&r.currency, r.after_tax),
                &rows,
                None,
            )),
            Section::Notes {
                title: "What each shock does".into(),
                items: r
                    .shocks
                    .iter()
                    .map(|s| format!("{}: {}", s.name, s.description))
                    .collect(),
            },
        ],
    }
}
