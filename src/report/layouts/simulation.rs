//! The layout of a Monte Carlo simulation: the chances (fractions shown as
//! percents), percentile bands of value and income year by year, and a
//! sparkline of the median value. Formats only; computes nothing.

use crate::engine::simulate::{Percentiles, Simulation};
use crate::money::{Money, format_money, format_rate};
use crate::report::cells::{raw_money, trend_text};
use crate::report::document::{Cell, Column, Document, Grid, Section};

/// One year's percentiles of value and of income.
type YearBands = (Percentiles, Percentiles);

/// CSV keys of the value percentiles.
const VALUE_KEYS: &[&str] = &[
    "value_p5",
    "value_p25",
    "value_p50",
    "value_p75",
    "value_p95",
    "value_mean",
];

/// CSV keys of the income percentiles.
const INCOME_KEYS: &[&str] = &[
    "income_p5",
    "income_p25",
    "income_p50",
    "income_p75",
    "income_p95",
    "income_mean",
];

/// Percentiles of an amount in `currency`: P5 / P50 / P95 on screen, all
/// five (P5, P25, P50, P75, P95) and the mean in CSV.
fn percentiles_cell(q: &Percentiles, currency: &str) -> Cell {
    Cell::new(
        format!(
            "{} / {} / {}",
            format_money(q.p5, currency),
            format_money(q.p50, currency),
            format_money(q.p95, currency)
        ),
        [q.p5, q.p25, q.p50, q.p75, q.p95, q.mean]
            .iter()
            .map(|m| raw_money(*m))
            .collect(),
    )
}

/// The columns of the percentile grid; amounts in `cur`.
fn percentile_columns(cur: &str) -> Vec<Column<YearBands>> {
    let (c1, c2) = (cur.to_string(), cur.to_string());
    vec![
        Column::new("Year", &["year"], true, |x: &YearBands| {
            Cell::plain(x.0.year.to_string())
        }),
        Column::new(
            "Value P5 / P50 / P95",
            VALUE_KEYS,
            true,
            move |x: &YearBands| percentiles_cell(&x.0, &c1),
        ),
        Column::new(
            "Gross income P5 / P50 / P95",
            INCOME_KEYS,
            true,
            move |x: &YearBands| percentiles_cell(&x.1, &c2),
        ),
    ]
}

/// The lines under the title: the run, and the chances of paying the goal
/// and of running out of capital.
fn chance_lines(r: &Simulation) -> Vec<String> {
    let mut lines = vec![format!(
        "{} over {}, seed {} (the same seed gives the same result).",
        crate::report::cells::counted(u64::from(r.paths), "path"),
        crate::report::cells::counted(u64::from(r.years), "year"),
        r.seed
    )];
    match (r.success_probability, r.success_standard_error) {
        (Some(p), Some(se)) => lines.push(format!(
            "Chance of paying the goal in every year of the income phase: {} (standard error {}).",
            format_rate(p),
            format_rate(se)
        )),
        _ => lines.push("No income phase within the horizon: no success probability.".into()),
    }
    lines.push(format!(
        "Chance the capital runs out: {}.",
        format_rate(r.depletion_probability)
    ));
    if let Some(last) = r.value.last() {
        lines.push(format!(
            "Value in year {}: the projection (every asset at its median price) ends at {}; the simulated median at {}, the mean at {}.",
            last.year,
            format_money(r.projection_end, &r.currency),
            format_money(last.p50, &r.currency),
            format_money(last.mean, &r.currency),
        ));
        // Above by a tenth, and by more than sampling noise: three standard
        // errors of the median, about 0.93·IQR/√paths (the normal's
        // 1.2533·σ/√n with σ ≈ IQR/1.349).
        let gap = crate::engine::floats::float(last.p50.0 - r.projection_end.0);
        let iqr = crate::engine::floats::float(last.p75.0 - last.p25.0);
        let noise = 3.0 * 0.93 * iqr / f64::from(r.paths.max(1)).sqrt();
        if last.p50.0 > r.projection_end.0 * rust_decimal::Decimal::new(11, 1) && gap > noise {
            lines.push(
                "The simulated median runs above the projection: rebalancing each year between assets that swing widely sells what rose and buys what fell, which lifts the typical path above its assets' medians. The projection is the cautious reading.".into(),
            );
        }
        if r.mean_above_median.0 > rust_decimal::Decimal::new(5, 2) {
            lines.push(format!(
                "The mean ends {} above the median: a few strong paths lift the average (volatility drag, or the skew of rare losses), so plan on the median.",
                format_rate(r.mean_above_median)
            ));
        }
    }
    if let Some(y) = r.median_years_to_goal {
        lines.push(format!(
            "Median years until the sustainable income covers the goal: {y}."
        ));
    }
    lines
}

/// The sparkline of the median value, from the first year to the last.
fn median_section(r: &Simulation) -> Section {
    let median: Vec<Money> = r.value.iter().map(|q| q.p50).collect();
    Section::Notes {
        title: "Median value".into(),
        items: vec![trend_text(
            &median,
            r.value.first().map(|q| q.p50),
            r.value.last().map(|q| q.p50),
            &r.currency,
        )],
    }
}

/// Lays out a Monte Carlo simulation: the chances, then percentile bands of
/// value and income year by year, and a sparkline of the median value.
#[must_use]
pub fn simulation_document(r: &Simulation) -> Document {
    let rows: Vec<YearBands> = r
        .value
        .iter()
        .cloned()
        .zip(r.income.iter().cloned())
        .collect();
    let mut sections = vec![Section::Grid(Grid::build(
        "Percentiles by year",
        &percentile_columns(&r.currency),
        &rows,
        None,
    ))];
    if !r.goal_by_year.is_empty() {
        sections.push(Section::Fields {
            raws: Vec::new(),
            title: "Chance of paying the goal, by year".into(),
            rows: r
                .goal_by_year
                .iter()
                .map(|y| (format!("year {}", y.year), format_rate(y.probability)))
                .collect(),
        });
    }
    sections.push(median_section(r));
    Document {
        title: format!("Simulation: {} ({})", r.profile.name, r.profile.path),
        lines: chance_lines(r),
        sections,
    }
}
