//! The layout of screened pools: APY, base against rewards, the 30-day mean,
//! mu ± sigma, TVL, flags and the sustainability verdict with its reasons.
//! Rates are fractions shown as percents; TVL is in US dollars. Formats
//! only; computes nothing.

use crate::money::format_rate;
use crate::pools::{PoolRate, PoolRow, PoolsReport, Verdict, percent_as_read};
use crate::report::cells::{money_cell, optional_rate_cell, raw_rate, yes_no_cell};
use crate::report::document::{Cell, Column, Document, Grid, Section};

/// A pool's current rate as a percent ("4.50%"; one too large for a
/// decimal as read, "1e308%").
fn pool_rate_text(r: PoolRate) -> String {
    match r {
        PoolRate::Exact(r) => format_rate(r),
        PoolRate::Read(x) => percent_as_read(x),
    }
}

/// A pool's current rate as its raw fraction for CSV ("0.045"; "1e306").
fn pool_rate_raw(r: PoolRate) -> String {
    match r {
        PoolRate::Exact(r) => raw_rate(r),
        PoolRate::Read(x) => format!("{x:e}"),
    }
}

/// A pool's current rate: the percent on screen, the fraction in CSV.
fn pool_rate_cell(r: PoolRate) -> Cell {
    Cell::new(pool_rate_text(r), vec![pool_rate_raw(r)])
}

/// Base and reward APY: "4.00% / 1.00%" on screen, both fractions in CSV.
fn base_reward_cell(p: &PoolRow) -> Cell {
    Cell::new(
        format!(
            "{} / {}",
            pool_rate_text(p.apy_base),
            pool_rate_text(p.apy_reward)
        ),
        vec![pool_rate_raw(p.apy_base), pool_rate_raw(p.apy_reward)],
    )
}

/// The pool's mean and spread: "5.00% ± 1.00%", or "-" unless both are known
/// (CSV still gets whichever is).
fn mu_sigma_cell(p: &PoolRow) -> Cell {
    match (p.mu, p.sigma) {
        (Some(m), Some(s)) => Cell::new(
            format!("{} ± {}", format_rate(m), format_rate(s)),
            vec![raw_rate(m), raw_rate(s)],
        ),
        (m, s) => Cell::new(
            "-",
            vec![
                m.map_or(String::new(), raw_rate),
                s.map_or(String::new(), raw_rate),
            ],
        ),
    }
}

/// The sustainability verdict by name.
fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::Sustainable => "sustainable",
        Verdict::Caution => "caution",
        Verdict::Unsustainable => "unsustainable",
    }
}

/// The columns of the pools grid.
fn pool_columns() -> Vec<Column<PoolRow>> {
    vec![
        Column::new("Project", &["project"], false, |p: &PoolRow| {
            Cell::plain(&p.project)
        }),
        Column::new("Chain", &["chain"], false, |p: &PoolRow| {
            Cell::plain(&p.chain)
        }),
        Column::new("Symbol", &["symbol"], false, |p: &PoolRow| {
            Cell::plain(&p.symbol)
        })
        .essential(),
        Column::new("TVL", &["tvl_usd"], true, |p: &PoolRow| {
            money_cell(p.tvl_usd, "USD")
        }),
        Column::new("APY", &["apy"], true, |p: &PoolRow| pool_rate_cell(p.apy)).essential(),
        Column::new(
            "Base / reward",
            &["apy_base", "apy_reward"],
            true,
            base_reward_cell,
        )
        .detail(),
        Column::new("30-day mean", &["apy_mean_30d"], true, |p: &PoolRow| {
            optional_rate_cell(p.apy_mean_30d)
        })
        .detail(),
        Column::new("mu ± sigma", &["mu", "sigma"], true, mu_sigma_cell).detail(),
        Column::new("IL risk", &["il_risk"], false, |p: &PoolRow| {
            yes_no_cell(p.il_risk)
        }),
        Column::new("Outlier", &["outlier"], false, |p: &PoolRow| {
            yes_no_cell(p.outlier)
        })
        .detail(),
        Column::new("Verdict", &["verdict"], false, |p: &PoolRow| {
            Cell::plain(verdict_name(p.verdict))
        })
        .essential(),
        Column::new("Reasons", &["reasons"], false, |p: &PoolRow| {
            Cell::plain(p.reasons.join("; "))
        })
        .detail(),
        Column::new("Pool id", &["pool"], false, |p: &PoolRow| {
            Cell::plain(&p.pool)
        })
        .detail(),
    ]
}

/// Lays out screened pools: APY, base against rewards, the 30-day mean,
/// mu ± sigma, TVL, flags and the sustainability verdict with its reasons.
#[must_use]
pub fn pools_document(r: &PoolsReport) -> Document {
    let mut lines = vec![format!(
        "{} {} read, {} skipped for impossible values, {} ignored as repeated ids (the first entry is kept), {} {} the filters; showing {}.",
        r.read,
        if r.read == 1 { "entry" } else { "entries" },
        r.skipped,
        r.duplicates,
        r.matched,
        if r.matched == 1 { "matches" } else { "match" },
        r.pools.len()
    )];
    if r.read == 0 {
        lines.push("The snapshot's data list is empty, so it gives no pools.".into());
    }
    for s in &r.skipped_first {
        let id = s.id.as_ref().map_or_else(
            // Its reason says what is wrong with its id, and where it is.
            || "an entry".to_string(),
            |id| format!("pool {}", crate::printable::printable(id)),
        );
        lines.push(format!("Skipped {id}: {}.", s.reason));
    }
    if r.skipped > r.skipped_first.len() {
        lines.push(format!(
            "... and {} more skipped.",
            r.skipped - r.skipped_first.len()
        ));
    }
    Document {
        title: "Pools snapshot".into(),
        lines,
        sections: vec![Section::Grid(Grid::build(
            "Pools",
            &pool_columns(),
            &r.pools,
            None,
        ))],
    }
}
