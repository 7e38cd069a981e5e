//! The plan's "By strategy" grid: amount, weight, APY band and yearly income
//! of each strategy, as the engine summed them. Formats only; computes
//! nothing.

use crate::engine::plan::StrategyOut;
use crate::report::cells::{band_cell, income_cell, money_cell, rate_cell};
use crate::report::document::{Cell, Column, Grid, Section};

/// The columns of the strategies grid; amounts in `currency`.
fn strategy_columns(currency: &str) -> Vec<Column<StrategyOut>> {
    let (c1, c2) = (currency.to_string(), currency.to_string());
    vec![
        Column::new("Strategy", &["strategy"], false, |s: &StrategyOut| {
            Cell::plain(s.strategy.name())
        }),
        Column::new("Amount", &["amount"], true, move |s: &StrategyOut| {
            money_cell(s.amount, &c1)
        }),
        Column::new("Weight", &["weight"], true, |s: &StrategyOut| {
            rate_cell(s.weight)
        }),
        Column::new(
            "APY low / mid / high",
            &["apy_low", "apy_mid", "apy_high"],
            true,
            |s: &StrategyOut| band_cell(s.apy),
        ),
        Column::new(
            "Paid out / yr (mid)",
            &["income_low", "income_mid", "income_high"],
            true,
            move |s: &StrategyOut| income_cell(s.annual_income, &c2),
        )
        .essential(),
    ]
}

/// The strategies grid; amounts in `currency`.
pub(super) fn strategies_section(strategies: &[StrategyOut], currency: &str) -> Section {
    Section::Grid(Grid::build(
        "By strategy",
        &strategy_columns(currency),
        strategies,
        None,
    ))
}
