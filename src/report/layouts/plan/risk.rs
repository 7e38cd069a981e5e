//! The plan's protocol-risk grid: for every position, its protocols and their
//! tiers, the yearly chance of a loss event, the expected yearly loss, and
//! the net APY before and after that loss. Rates are fractions shown as
//! percents. Formats only; computes nothing.

use crate::engine::plan::PositionOut;
use crate::report::cells::rate_cell;
use crate::report::document::{Cell, Column, Grid, Section};

/// "aave (blue-chip) + lido (established)": each protocol with its tier.
fn protocols_text(p: &PositionOut) -> String {
    let parts: Vec<String> = p
        .risk
        .sources
        .iter()
        .map(|s| format!("{} ({})", s.protocol.as_deref().unwrap_or("-"), s.tier))
        .collect();
    parts.join(" + ")
}

/// The notes on why a tier was chosen, joined by "; ".
fn notes_text(p: &PositionOut) -> String {
    let notes: Vec<&str> = p
        .risk
        .sources
        .iter()
        .filter_map(|s| s.note.as_deref())
        .collect();
    notes.join("; ")
}

/// The columns of the risk grid.
fn risk_columns<'a>() -> Vec<Column<&'a PositionOut>> {
    vec![
        Column::new("Position", &["name"], false, |p: &&PositionOut| {
            Cell::plain(&p.name)
        }),
        Column::new(
            "Protocols (tier)",
            &["protocols"],
            false,
            |p: &&PositionOut| Cell::plain(protocols_text(p)),
        )
        .detail(),
        Column::new(
            "Loss event",
            &["loss_probability"],
            true,
            |p: &&PositionOut| rate_cell(p.risk.loss_probability),
        ),
        Column::new(
            "Expected loss",
            &["expected_loss"],
            true,
            |p: &&PositionOut| rate_cell(p.risk.expected_loss),
        ),
        Column::new(
            "Net APY (mid)",
            &["net_apy_mid"],
            true,
            |p: &&PositionOut| rate_cell(p.net_apy.mid),
        ),
        Column::new(
            "Risk-adjusted (mid)",
            &["risk_adjusted_apy_mid"],
            true,
            |p: &&PositionOut| rate_cell(p.risk_adjusted_apy.mid),
        )
        .essential(),
        Column::new("Note", &["note"], false, |p: &&PositionOut| {
            Cell::plain(notes_text(p))
        }),
    ]
}

/// The protocol-risk grid, one row per position.
pub(super) fn risk_section(positions: &[PositionOut]) -> Section {
    let all: Vec<&PositionOut> = positions.iter().collect();
    Section::Grid(Grid::build(
        "Protocol risk (yearly)",
        &risk_columns(),
        &all,
        None,
    ))
}
