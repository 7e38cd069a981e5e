//! The layout of `compare`: profiles side by side, one row each. The success
//! column appears only when at least one profile was simulated. Formats
//! only; computes nothing.

use crate::engine::check::{CompareReport, CompareRow};
use crate::report::cells::{band_cell, income_cell, money_cell, optional_rate_cell, status_text};
use crate::report::document::{Cell, Column, Document, Grid, Section};

/// The columns every comparison shows.
fn profile_columns() -> Vec<Column<CompareRow>> {
    vec![
        // CSV rows carry the path and the currency too: two copies of one
        // profile (or one in another currency) would otherwise read alike.
        Column::new("Profile", &["profile", "path"], false, |c: &CompareRow| {
            Cell {
                text: c.profile.name.clone(),
                raw: vec![c.profile.name.clone(), c.profile.path.clone()],
            }
        }),
        Column::new("Value", &["value", "currency"], true, |c: &CompareRow| {
            let mut cell = money_cell(c.value, &c.currency);
            cell.raw.push(c.currency.clone());
            cell
        }),
        Column::new(
            "APY low / mid / high",
            &["apy_low", "apy_mid", "apy_high"],
            true,
            |c: &CompareRow| band_cell(c.apy),
        ),
        Column::new(
            "Income / yr (mid)",
            &["income_low", "income_mid", "income_high"],
            true,
            |c: &CompareRow| income_cell(c.annual_income, &c.currency),
        ),
        Column::new(
            "Income / mo (mid)",
            &["monthly_low", "monthly_mid", "monthly_high"],
            true,
            |c: &CompareRow| income_cell(c.monthly_income, &c.currency),
        )
        .detail(),
        Column::new(
            "Sustainable / yr",
            &["sustainable_income"],
            true,
            |c: &CompareRow| money_cell(c.sustainable_annual_income, &c.currency),
        )
        .detail(),
        Column::new(
            "Required yield",
            &["required_yield"],
            true,
            |c: &CompareRow| optional_rate_cell(c.required_yield),
        ),
        Column::new("Status", &["status"], false, |c: &CompareRow| {
            Cell::plain(status_text(c.status))
        })
        .essential(),
        Column::new("Warnings", &["warnings"], true, |c: &CompareRow| {
            Cell::plain(c.warnings.to_string())
        }),
    ]
}

/// The simulated chance of paying the goal (a fraction, shown as a percent).
fn success_column() -> Column<CompareRow> {
    Column::new(
        "Success (sim.)",
        &["success_probability"],
        true,
        |c: &CompareRow| optional_rate_cell(c.success_probability),
    )
}

/// Lays out profiles side by side for `compare`.
#[must_use]
pub fn compare_document(r: &CompareReport) -> Document {
    let mut columns = profile_columns();
    if r.profiles.iter().any(|c| c.success_probability.is_some()) {
        columns.push(success_column());
    }
    Document {
        title: "Compare".into(),
        lines: vec![format!("{} profiles", r.profiles.len())],
        sections: vec![Section::Grid(Grid::build(
            "Profiles",
            &columns,
            &r.profiles,
            None,
        ))],
    }
}
