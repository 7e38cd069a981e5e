//! The percentile fan of a simulation as an SVG picture: portfolio value
//! above, income against the goal line below. Drawn with plotters' SVG
//! backend and its built-in font metrics, so no system fonts are needed.
//! Amounts are in the simulation's currency, plotted in thousands. It draws
//! only what the simulation holds (computes nothing new) and writes no
//! file: the caller saves the SVG text.

use plotters::prelude::*;

use super::cells::chart_value;
use crate::engine::simulate::{Percentiles, Simulation};

/// Draws one fan on `area`: the P5-P95 and P25-P75 bands of `bands`, their
/// median, and the `goal` line (one amount a year from year 1) if any.
fn fan(
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    title: &str,
    bands: &[Percentiles],
    goal: &[crate::money::Money],
) -> Result<(), String> {
    let years = u32::try_from(bands.len()).unwrap_or(u32::MAX);
    let top = bands
        .iter()
        .map(|b| chart_value(b.p95))
        .chain(goal.iter().map(|g| chart_value(*g)))
        .fold(1.0, f64::max)
        * 1.05;
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(30)
        .y_label_area_size(80)
        .build_cartesian_2d(1u32..years.max(2), 0f64..top)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .x_desc("year")
        .y_label_formatter(&|v| format!("{:.0}k", v / 1000.0))
        .draw()
        .map_err(|e| e.to_string())?;
    let outer = RGBColor(66, 133, 244).mix(0.18);
    let inner = RGBColor(66, 133, 244).mix(0.35);
    let band = |lo: fn(&Percentiles) -> f64, hi: fn(&Percentiles) -> f64| {
        let mut pts: Vec<(u32, f64)> = bands.iter().map(|b| (b.year, hi(b))).collect();
        pts.extend(bands.iter().rev().map(|b| (b.year, lo(b))));
        pts
    };
    chart
        .draw_series(std::iter::once(Polygon::new(
            band(|b| chart_value(b.p5), |b| chart_value(b.p95)),
            outer,
        )))
        .map_err(|e| e.to_string())?
        .label("P5-P95");
    chart
        .draw_series(std::iter::once(Polygon::new(
            band(|b| chart_value(b.p25), |b| chart_value(b.p75)),
            inner,
        )))
        .map_err(|e| e.to_string())?
        .label("P25-P75");
    chart
        .draw_series(LineSeries::new(
            bands.iter().map(|b| (b.year, chart_value(b.p50))),
            BLUE.stroke_width(2),
        ))
        .map_err(|e| e.to_string())?
        .label("median");
    if !goal.is_empty() {
        chart
            .draw_series(LineSeries::new(
                (1u32..).zip(goal).map(|(year, g)| (year, chart_value(*g))),
                RED.stroke_width(2),
            ))
            .map_err(|e| e.to_string())?
            .label("goal");
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// Renders the fan chart of a simulation as an SVG document.
///
/// # Errors
///
/// Returns plotters' message when a chart cannot be laid out or drawn.
pub fn simulation_svg(sim: &Simulation) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 760)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let (upper, lower) = root.split_vertically(380);
        fan(
            &upper,
            &format!(
                "{}: portfolio value",
                crate::printable::printable(&sim.profile.name)
            ),
            &sim.value,
            &[],
        )?;
        fan(
            &lower,
            "Yearly income against the goal",
            &sim.income,
            &sim.goal_line,
        )?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// Line colours of the comparison chart, one per profile in turn.
const PALETTE: [RGBColor; 6] = [
    RGBColor(66, 133, 244),
    RGBColor(219, 68, 55),
    RGBColor(15, 157, 88),
    RGBColor(244, 160, 0),
    RGBColor(171, 71, 188),
    RGBColor(0, 172, 193),
];

/// Renders the median portfolio value of several simulations, one line per
/// profile (labelled with its name), as an SVG document. Amounts are drawn
/// as they are: the simulations should share a currency.
///
/// # Errors
///
/// Returns plotters' message when the chart cannot be laid out or drawn.
pub fn comparison_svg(sims: &[Simulation]) -> Result<String, String> {
    let years = sims
        .iter()
        .map(|s| u32::try_from(s.value.len()).unwrap_or(u32::MAX))
        .max()
        .unwrap_or(0);
    let top = sims
        .iter()
        .flat_map(|s| s.value.iter().map(|b| chart_value(b.p50)))
        .fold(1.0, f64::max)
        * 1.05;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 420)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let mut chart = ChartBuilder::on(&root)
            .caption("Median portfolio value", ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(30)
            .y_label_area_size(80)
            .build_cartesian_2d(1u32..years.max(2), 0f64..top)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .x_desc("year")
            .y_label_formatter(&|v| format!("{:.0}k", v / 1000.0))
            .draw()
            .map_err(|e| e.to_string())?;
        for (sim, colour) in sims.iter().zip(PALETTE.iter().cycle()) {
            let label = crate::printable::printable(&sim.profile.name).into_owned();
            chart
                .draw_series(LineSeries::new(
                    sim.value.iter().map(|b| (b.year, chart_value(b.p50))),
                    colour.stroke_width(2),
                ))
                .map_err(|e| e.to_string())?
                .label(label)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], *colour));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}
