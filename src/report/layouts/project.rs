//! The layout of a deterministic projection: one row a year, a summary of
//! the assumptions and of when the goal is met, and a sparkline of the value.
//! Formats only; computes nothing.

use crate::engine::project::{Phase, Projection, YearRow};
use crate::model::Rebalance;
use crate::money::{Money, format_rate};
use crate::report::cells::{missing_cell, money_cell, trend_text};
use crate::report::document::{Cell, Column, Document, Grid, Section};

/// A column of amounts in `currency`, read from each year by `amount`.
fn money_column(
    title: &'static str,
    key: &'static [&'static str],
    currency: &str,
    amount: fn(&YearRow) -> Money,
) -> Column<YearRow> {
    let currency = currency.to_string();
    Column::new(title, key, true, move |r: &YearRow| {
        money_cell(amount(r), &currency)
    })
}

/// The columns of the year-by-year grid; amounts in `cur`.
fn year_columns(cur: &str) -> Vec<Column<YearRow>> {
    let goal_currency = cur.to_string();
    vec![
        Column::new("Year", &["year"], true, |r: &YearRow| {
            Cell::plain(r.year.to_string())
        }),
        Column::new("Phase", &["phase"], false, |r: &YearRow| {
            Cell::plain(match r.phase {
                Phase::Accumulate => "accumulate",
                Phase::Income => "income",
            })
        }),
        money_column("Start value", &["start_value"], cur, |r| r.start_value),
        money_column("Price change", &["price_growth"], cur, |r| r.price_growth),
        money_column("Imp. loss", &["impermanent_loss"], cur, |r| {
            r.impermanent_loss
        }),
        money_column("Losses", &["losses"], cur, |r| r.losses),
        money_column("Gross income", &["gross_income"], cur, |r| r.gross_income),
        money_column("Tax", &["tax"], cur, |r| r.tax),
        money_column("Paid out", &["paid_out"], cur, |r| r.paid_out),
        money_column("Reinvested", &["reinvested"], cur, |r| r.reinvested),
        money_column("Contributions", &["contributions"], cur, |r| {
            r.contributions
        }),
        money_column("Withdrawn", &["withdrawn"], cur, |r| r.withdrawn),
        money_column("End value", &["end_value"], cur, |r| r.end_value),
        Column::new("Goal", &["goal"], true, move |r: &YearRow| match r.goal {
            Some(g) => money_cell(g, &goal_currency),
            None => missing_cell(1),
        }),
        Column::new(
            "Income covers it",
            &["income_covers_goal"],
            false,
            |r: &YearRow| {
                Cell::plain(match r.income_covers_goal {
                    Some(true) => "yes",
                    Some(false) => "no",
                    None => "-",
                })
            },
        ),
    ]
}

/// A number of years to two decimals, by the one rounding rule.
fn years_text(y: rust_decimal::Decimal) -> String {
    y.round_dp_with_strategy(2, crate::money::ROUNDING)
        .normalize()
        .to_string()
}

/// The lines under the title: the yearly assumptions (rates as percents),
/// when the capital runs out and when the income covers the goal (years).
fn summary_lines(p: &Projection) -> Vec<String> {
    let mut lines = vec![
        format!(
            "Each year, along the median path: income paid out at {} a year (APY {} when reinvested){}, median price change {}, inflation {}; sustainable yield {}; {}.",
            format_rate(p.income_yield),
            format_rate(p.compounded_yield),
            // The plan's yields include the expected impermanent loss; here it
            // is a capital change of its own column.
            if p.rows.iter().any(|r| !r.impermanent_loss.0.is_zero()) {
                ", before impermanent loss (its own column)"
            } else {
                ""
            },
            format_rate(p.price_growth),
            format_rate(p.inflation),
            format_rate(p.sustainable_yield),
            match p.rebalance {
                Rebalance::Yearly => "rebalanced to the weights yearly",
                Rebalance::Never => "never rebalanced",
            }
        ),
        "Each row: start + price change + impermanent loss - losses + reinvested + contributions - withdrawn = end.".into(),
    ];
    if let Some(y) = p.depleted_after_years {
        lines.push(format!(
            "The capital runs out after {} years.",
            years_text(y)
        ));
    }
    match p.years_to_goal {
        // The years until it first covers the goal: it may stop covering
        // it later, as inflation lifts the goal, and the capital run out.
        Some(y) if y.is_zero() && p.depleted_after_years.is_some() => lines.push(
            "The sustainable income covers today's goal, but not the goal as inflation lifts it in later years.".into(),
        ),
        Some(y) if y.is_zero() => {
            lines.push("The sustainable income already covers the goal.".into());
        }
        Some(y) if p.depleted_after_years.is_some() => lines.push(format!(
            "The sustainable income first covers the goal after {} years, but not in every later year.",
            years_text(y)
        )),
        Some(y) => lines.push(format!(
            "The sustainable income covers the goal after {} years.",
            years_text(y)
        )),
        None if p.rows.iter().any(|r| r.goal.is_some()) => lines.push(format!(
            "The sustainable income does not cover the goal within {} years.",
            p.years
        )),
        None => {}
    }
    lines
}

/// Lays out a deterministic projection: one row a year, a summary, and a
/// sparkline of the value.
#[must_use]
pub fn project_document(p: &Projection) -> Document {
    let cur = p.currency.as_str();
    let end_values: Vec<Money> = p.rows.iter().map(|r| r.end_value).collect();
    Document {
        title: format!(
            "Projection: {} ({}), {} years",
            p.profile.name, p.profile.path, p.years
        ),
        lines: summary_lines(p),
        sections: vec![
            Section::Grid(Grid::build(
                "Year by year",
                &year_columns(cur),
                &p.rows,
                None,
            )),
            Section::Notes {
                title: "Value".into(),
                items: vec![trend_text(
                    &end_values,
                    p.rows.first().map(|r| r.start_value),
                    p.rows.last().map(|r| r.end_value),
                    cur,
                )],
            },
        ],
    }
}
