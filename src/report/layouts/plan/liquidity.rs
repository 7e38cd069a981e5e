//! The plan's liquidity grid: for each liquidity position, its pool, the
//! price ratio's volatility, fee and reward APR against the expected
//! impermanent loss over a year, and the net APY. Rates are fractions shown
//! as percents. Formats only; computes nothing.

use crate::engine::plan::{LiquidityOut, PositionOut};
use crate::model::PoolKind;
use crate::report::cells::{band_cell, band_mid_cell, percent_text, rate_cell};
use crate::report::document::{Cell, Column, Grid, Section};

/// The pool in a few words: "weighted 80.00%", "concentrated 0.5x-2x"…
fn pool_text(l: &LiquidityOut) -> String {
    match l.pool {
        PoolKind::ConstantProduct => "constant-product".into(),
        PoolKind::Weighted => format!("weighted {}", percent_text(l.weight.unwrap_or_default())),
        PoolKind::Concentrated => {
            let [lo, hi] = l.range.unwrap_or_default();
            format!("concentrated {}x-{}x", lo.normalize(), hi.normalize())
        }
        PoolKind::Stable => format!(
            "stable (A = {})",
            l.amplification.unwrap_or_default().normalize()
        ),
    }
}

/// The liquidity part of a position listed in this grid.
fn lp(p: &PositionOut) -> &LiquidityOut {
    p.liquidity
        .as_ref()
        .expect("only liquidity positions are listed")
}

/// The columns of the liquidity grid.
fn liquidity_columns<'a>() -> Vec<Column<&'a PositionOut>> {
    vec![
        Column::new("Position", &["name"], false, |p: &&PositionOut| {
            Cell::plain(&p.name)
        }),
        Column::new("Pair", &["pair"], false, |p: &&PositionOut| {
            Cell::plain(
                p.pair
                    .as_ref()
                    .map_or("-".to_string(), |[a, b]| format!("{a}/{b}")),
            )
        })
        .detail(),
        Column::new("Pool", &["pool"], false, |p: &&PositionOut| {
            Cell::plain(pool_text(lp(p)))
        }),
        Column::new(
            "Ratio vol.",
            &["ratio_volatility"],
            true,
            |p: &&PositionOut| rate_cell(lp(p).ratio_volatility),
        )
        .detail(),
        Column::new(
            "Fee APR (mid)",
            &["fee_apr_low", "fee_apr_mid", "fee_apr_high"],
            true,
            |p: &&PositionOut| band_mid_cell(lp(p).fee_apr),
        ),
        Column::new(
            "Rewards (mid)",
            &["reward_apy_low", "reward_apy_mid", "reward_apy_high"],
            true,
            |p: &&PositionOut| band_mid_cell(lp(p).reward_apy),
        ),
        Column::new("Exp. IL", &["expected_il"], true, |p: &&PositionOut| {
            rate_cell(p.expected_il.unwrap_or_default())
        }),
        Column::new(
            "Net APY low / mid / high",
            &["net_apy_low", "net_apy_mid", "net_apy_high"],
            true,
            |p: &&PositionOut| band_cell(p.net_apy),
        )
        .essential(),
    ]
}

/// The liquidity grid, or `None` when the plan has no liquidity position.
pub(super) fn liquidity_section(positions: &[PositionOut]) -> Option<Section> {
    let lps: Vec<&PositionOut> = positions.iter().filter(|p| p.liquidity.is_some()).collect();
    (!lps.is_empty()).then(|| {
        Section::Grid(Grid::build(
            "Liquidity: fees against impermanent loss (1 year)",
            &liquidity_columns(),
            &lps,
            None,
        ))
    })
}
