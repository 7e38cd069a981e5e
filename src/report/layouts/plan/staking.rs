//! The plan's staking grid: for each staking position, its route and
//! provider fee, nominal APY against the network's supply inflation, the real
//! (dilution-adjusted) APY and the unbonding time. Rates are fractions shown
//! as percents; unbonding is in days. Formats only; computes nothing.

use crate::engine::plan::{PositionOut, StakingOut};
use crate::model::Method;
use crate::report::cells::{band_cell, optional_band_cell, optional_rate_cell, rate_cell};
use crate::report::document::{Cell, Column, Grid, Section};

/// The staking part of a position listed in this grid.
fn st(p: &PositionOut) -> &StakingOut {
    p.staking
        .as_ref()
        .expect("only staking positions are listed")
}

/// The unbonding time: "none" or "21 days"; the number of days in CSV.
fn unbonding_cell(days: u32) -> Cell {
    Cell::new(
        if days == 0 {
            "none".to_string()
        } else {
            format!("{days} days")
        },
        vec![days.to_string()],
    )
}

/// The columns of the staking grid.
fn staking_columns<'a>() -> Vec<Column<&'a PositionOut>> {
    vec![
        Column::new("Position", &["name"], false, |p: &&PositionOut| {
            Cell::plain(&p.name)
        }),
        Column::new("Route", &["method"], false, |p: &&PositionOut| {
            Cell::plain(Method::name(st(p).method))
        }),
        Column::new(
            "Provider fee",
            &["provider_fee"],
            true,
            |p: &&PositionOut| rate_cell(st(p).provider_fee),
        )
        .detail(),
        Column::new(
            "Nominal APY",
            &["nominal_apy_low", "nominal_apy_mid", "nominal_apy_high"],
            true,
            |p: &&PositionOut| band_cell(st(p).apy),
        ),
        Column::new(
            "Supply inflation",
            &["supply_inflation"],
            true,
            |p: &&PositionOut| optional_rate_cell(st(p).supply_inflation),
        )
        .detail(),
        Column::new(
            "Real APY",
            &["real_apy_low", "real_apy_mid", "real_apy_high"],
            true,
            |p: &&PositionOut| optional_band_cell(p.real_apy),
        )
        .essential(),
        Column::new(
            "Unbonding",
            &["unbonding_days"],
            true,
            |p: &&PositionOut| unbonding_cell(st(p).unbonding_days),
        ),
    ]
}

/// The staking grid, or `None` when the plan has no staking position.
pub(super) fn staking_section(positions: &[PositionOut]) -> Option<Section> {
    let stakers: Vec<&PositionOut> = positions.iter().filter(|p| p.staking.is_some()).collect();
    (!stakers.is_empty()).then(|| {
        Section::Grid(Grid::build(
            "Staking: nominal against real (dilution-adjusted) yield",
            &staking_columns(),
            &stakers,
            None,
        ))
    })
}
