//! The percentile fan of a simulation as an SVG picture: portfolio value
//! above, income against the goal line below; and the medians of several
//! simulations on one chart. Drawn with plotters' SVG backend and its
//! built-in font metrics, so no system fonts are needed.
//!
//! What makes them readable: a legend beside each chart (never over the
//! data) with a colour key for every band and line; money axes in the
//! currency with thousands and millions ($250k, $16M); the start (year 0);
//! a dashed marker where the income phase starts; and a logarithmic value
//! axis when the spread is too wide for a linear one. It draws only what the
//! simulation holds (computes nothing new) and writes no file: the caller
//! saves the SVG text.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

mod axes;

use self::axes::{Axis, Coords, draw_mesh, years_spec};
use super::cells::chart_value;
use crate::engine::simulate::{Percentiles, Simulation};
use crate::money::Money;

/// How a chart is drawn.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ChartOptions {
    /// The portfolio's value today, drawn at year 0 (all percentiles start
    /// there); `None` starts the lines at year 1.
    pub start_value: Option<Money>,
    /// A logarithmic value axis: `Some(true)` always, `Some(false)` never,
    /// `None` when the spread asks for it (see [`LOG_SPREAD`]).
    pub log: Option<bool>,
}

/// The value axis turns logarithmic by itself when, at the horizon, P95 is
/// more than this many times P50: on a linear axis the median would be a
/// flat line at the bottom.
pub const LOG_SPREAD: f64 = 20.0;

/// The area drawing is done on.
type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// Width of the legend column beside each chart, in pixels: room for the
/// longest entry ("P25-P75 (half the paths)") at 14 px.
const LEGEND_WIDTH: u32 = 230;

/// A legend label's average width per character at 14 px sans-serif, in
/// pixels (a little generous, so a label cut to fit never runs off).
const LEGEND_CHAR_WIDTH: u32 = 7;

/// The comparison chart turns logarithmic by itself when the highest median
/// at the horizon is more than this many times the lowest: on a linear axis
/// the lowest line would hug the bottom.
pub const COMPARE_SPREAD: f64 = 5.0;

/// `label` cut to `room` pixels of legend text, ending in an ellipsis when
/// cut (a long profile name must not run off the picture).
fn legend_label(label: &str, room: u32) -> String {
    let fits = usize::try_from(room / LEGEND_CHAR_WIDTH)
        .unwrap_or(usize::MAX)
        .max(2);
    if label.chars().count() <= fits {
        label.to_string()
    } else {
        let mut cut: String = label.chars().take(fits - 1).collect();
        cut.push('…');
        cut
    }
}

const BAND_OUTER: RGBColor = RGBColor(66, 133, 244);
const MEDIAN: RGBColor = RGBColor(25, 80, 190);
const GOAL: RGBColor = RGBColor(219, 68, 55);
const MARKER: RGBColor = RGBColor(90, 90, 90);

/// One entry of a legend.
enum Key {
    /// A filled band in this colour and opacity.
    Band(RGBColor, f64),
    /// A line in this colour.
    Line(RGBColor),
    /// A dashed line in this colour.
    Dashed(RGBColor),
}

/// The names of the legend entries of a simulation's fan chart, in order;
/// also what tests look for in the SVG.
pub const FAN_LEGEND: [&str; 5] = [
    "P5-P95 (9 in 10 paths)",
    "P25-P75 (half the paths)",
    "median (P50)",
    "goal before tax",
    "income phase starts",
];

/// The symbol written before an amount in `currency`, or its code after.
fn currency_parts(currency: &str) -> (&'static str, String) {
    match currency {
        "USD" => ("$", String::new()),
        "EUR" => ("€", String::new()),
        "GBP" => ("£", String::new()),
        "JPY" => ("¥", String::new()),
        other => ("", format!(" {other}")),
    }
}

/// Amounts from this on are labelled in powers of ten ("$2.5e15"): a
/// thousand trillion and more would be a long row of digits before "T".
const POWERS_FROM: f64 = 1e15;

/// `v` (at least [`POWERS_FROM`]) as "2.5e15", with `places` decimals at
/// most in the mantissa (trailing zeros dropped).
fn power_of_ten(v: f64, places: usize) -> String {
    let written = format!("{:.*e}", places.min(6), v);
    match written.split_once('e') {
        Some((mantissa, exponent)) if mantissa.contains('.') => format!(
            "{}e{exponent}",
            mantissa.trim_end_matches('0').trim_end_matches('.')
        ),
        _ => written,
    }
}

/// An amount as an axis label: "$950", "$250k", "$1.5M", "$16M", "$2B",
/// "$3T", "$2.5e15".
#[must_use]
pub fn money_label(value: f64, currency: &str) -> String {
    let (symbol, code) = currency_parts(currency);
    let sign = if value < 0.0 { "-" } else { "" };
    let v = value.abs();
    if v >= POWERS_FROM {
        return format!("{sign}{symbol}{}{code}", power_of_ten(v, 1));
    }
    let (scaled, unit) = if v >= 1e12 {
        (v / 1e12, "T")
    } else if v >= 1e9 {
        (v / 1e9, "B")
    } else if v >= 1e6 {
        (v / 1e6, "M")
    } else if v >= 1e3 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    let number = if scaled >= 10.0 || unit.is_empty() || (scaled - scaled.round()).abs() < 0.05 {
        format!("{scaled:.0}")
    } else {
        format!("{scaled:.1}")
    };
    format!("{sign}{symbol}{number}{unit}{code}")
}

/// Decimals needed to write `x` exactly, to at most 12: 0 for 250, 1 for
/// 2.5, 2 for 0.25.
fn decimals(x: f64) -> usize {
    (0..12)
        .find(|&d| {
            let scaled = x * 10f64.powi(i32::try_from(d).unwrap_or(0));
            (scaled - scaled.round()).abs() <= 1e-6 * scaled.abs().max(1.0)
        })
        .unwrap_or(12)
}

/// The label of a tick at `value` on an axis whose ticks are `step` apart:
/// in thousands and millions as [`money_label`], but with the decimals the
/// step needs, so ticks never share a label at any scale: "$0.05" and
/// "$0.10" for a step of five cents, "$1.25M" for a step of $250k. Amounts
/// under a thousand with a fractional step show whole cents at least
/// ("$0.50"). A `step` of 0 or less labels as [`money_label`].
#[must_use]
pub fn tick_label(value: f64, step: f64, currency: &str) -> String {
    if !(step.is_finite() && step > 0.0) {
        return money_label(value, currency);
    }
    let (symbol, code) = currency_parts(currency);
    let v = value.abs();
    // Zero for a tick at zero up to float noise (0.1 + 0.2 − 0.3).
    let v = if v < step * 1e-9 { 0.0 } else { v };
    let sign = if value < 0.0 && v > 0.0 { "-" } else { "" };
    if v >= POWERS_FROM {
        // The mantissa with the decimals the step needs in its power.
        let power = 10f64.powi(v.log10().floor() as i32);
        let label = power_of_ten(v, decimals(step / power));
        return format!("{sign}{symbol}{label}{code}");
    }
    // The largest unit the amount reaches, but never one so large that
    // the step would need more than three decimals in it.
    let (unit, suffix) = [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")]
        .into_iter()
        .find(|(u, _)| v >= *u && *u <= step * 1e3)
        .unwrap_or((1.0, ""));
    let places = decimals(step / unit);
    let mut number = format!("{:.*}", places, v / unit);
    if suffix.is_empty() {
        if places > 0 && places < 2 {
            number = format!("{:.2}", v);
        }
    } else if number.contains('.') {
        number = number
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string();
    }
    format!("{sign}{symbol}{number}{suffix}{code}")
}

/// Draws a legend of `entries` in the column `area`, from the top.
fn legend(area: &Area<'_>, entries: &[(&str, Key)]) -> Result<(), String> {
    let font = ("sans-serif", 14).into_font().color(&BLACK);
    let font = font.pos(Pos::new(HPos::Left, VPos::Center));
    for (i, (label, key)) in entries.iter().enumerate() {
        let y = 60 + 24 * i32::try_from(i).unwrap_or(0);
        let (x0, x1) = (8, 34);
        match key {
            Key::Band(colour, opacity) => {
                area.draw(&Rectangle::new(
                    [(x0, y - 7), (x1, y + 7)],
                    colour.mix(*opacity).filled(),
                ))
                .map_err(|e| e.to_string())?;
            }
            Key::Line(colour) => {
                area.draw(&PathElement::new(
                    vec![(x0, y), (x1, y)],
                    colour.stroke_width(3),
                ))
                .map_err(|e| e.to_string())?;
            }
            Key::Dashed(colour) => {
                for x in (x0..x1).step_by(8) {
                    area.draw(&PathElement::new(
                        vec![(x, y), ((x + 4).min(x1), y)],
                        colour.stroke_width(2),
                    ))
                    .map_err(|e| e.to_string())?;
                }
            }
        }
        let room = area
            .dim_in_pixel()
            .0
            .saturating_sub(u32::try_from(x1 + 8).unwrap_or(0));
        area.draw(&Text::new(
            legend_label(label, room),
            (x1 + 8, y),
            font.clone(),
        ))
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Whether the value axis is logarithmic for these bands.
fn wants_log(bands: &[Percentiles], options: ChartOptions) -> bool {
    options.log.unwrap_or_else(|| {
        bands.last().is_some_and(|b| {
            let (p50, p95) = (chart_value(b.p50), chart_value(b.p95));
            p95 > LOG_SPREAD * p50.max(1e-9)
        })
    })
}

/// What one fan chart shows.
struct Fan<'a> {
    title: String,
    bands: &'a [Percentiles],
    /// One amount a year from year 1 (empty: no goal line).
    goal: &'a [Money],
    /// The year the income phase starts, for the marker.
    income_starts: Option<u32>,
    start: Option<Money>,
    currency: &'a str,
    log: bool,
}

/// The points of a band between `lo` and `hi`, with the start at year 0.
fn band_points(
    fan: &Fan<'_>,
    axis: Axis,
    lo: fn(&Percentiles) -> Money,
    hi: fn(&Percentiles) -> Money,
) -> Vec<(f64, f64)> {
    let start = fan.start.map(|s| (0.0, axis.at(chart_value(s))));
    let mut pts: Vec<(f64, f64)> = start.into_iter().collect();
    pts.extend(
        fan.bands
            .iter()
            .map(|b| (f64::from(b.year), axis.at(chart_value(hi(b))))),
    );
    pts.extend(
        fan.bands
            .iter()
            .rev()
            .map(|b| (f64::from(b.year), axis.at(chart_value(lo(b))))),
    );
    pts
}

/// Draws one fan on `area`: the P5-P95 and P25-P75 bands, the median, the
/// goal line and the income-phase marker, with its legend at the right.
fn fan(area: &Area<'_>, fan: &Fan<'_>) -> Result<(), String> {
    let (plot, side) = area.split_horizontally(area.dim_in_pixel().0 - LEGEND_WIDTH);
    let amounts = fan
        .bands
        .iter()
        .flat_map(|b| [b.p5, b.p95])
        .chain(fan.goal.iter().copied())
        .chain(fan.start)
        .map(chart_value);
    let (low, high) = amounts.fold((f64::INFINITY, 0.0_f64), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    // Nothing above zero: an axis to $1.
    let high = if high > 0.0 { high } else { 1.0 };
    let axis = Axis::new(fan.log, low, high);
    let (bottom, top) = if fan.log {
        (axis.floor, axis.at(high).max(axis.floor + 1.0) + 0.05)
    } else {
        (0.0, high * 1.05)
    };
    let years = fan.bands.last().map_or(1, |b| b.year.max(1));
    let first = 0.0;
    let mut chart = ChartBuilder::on(&plot)
        .caption(&fan.title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(axes::label_room(&axis, fan.currency, (bottom, top)))
        .build_cartesian_2d(years_spec(years), axis.spec((bottom, top)))
        .map_err(|e| e.to_string())?;
    let currency = fan.currency;
    draw_mesh(&mut chart, &axis, currency, (bottom, top))?;
    let outer = BAND_OUTER.mix(0.18);
    let inner = BAND_OUTER.mix(0.40);
    chart
        .draw_series(std::iter::once(Polygon::new(
            band_points(fan, axis, |b| b.p5, |b| b.p95),
            outer,
        )))
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(std::iter::once(Polygon::new(
            band_points(fan, axis, |b| b.p25, |b| b.p75),
            inner,
        )))
        .map_err(|e| e.to_string())?;
    let start = fan.start.map(|s| (0.0, axis.at(chart_value(s))));
    chart
        .draw_series(LineSeries::new(
            start.into_iter().chain(
                fan.bands
                    .iter()
                    .map(|b| (f64::from(b.year), axis.at(chart_value(b.p50)))),
            ),
            MEDIAN.stroke_width(2),
        ))
        .map_err(|e| e.to_string())?;
    if fan.start.is_none() {
        if let [only] = fan.bands {
            single_year(&mut chart, axis, only, (outer, inner))?;
        }
    }
    let mut keys = vec![
        (FAN_LEGEND[0], Key::Band(BAND_OUTER, 0.18)),
        (FAN_LEGEND[1], Key::Band(BAND_OUTER, 0.40)),
        (FAN_LEGEND[2], Key::Line(MEDIAN)),
    ];
    if !fan.goal.is_empty() {
        chart
            .draw_series(LineSeries::new(
                (1u32..)
                    .zip(fan.goal)
                    .map(|(year, g)| (f64::from(year), axis.at(chart_value(*g)))),
                GOAL.stroke_width(2),
            ))
            .map_err(|e| e.to_string())?;
        if let [only] = fan.goal {
            // One year: a line of one point draws nothing; a short dash does.
            let y = axis.at(chart_value(*only));
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(0.85, y), (1.0, y)],
                    GOAL.stroke_width(3),
                )))
                .map_err(|e| e.to_string())?;
        }
        keys.push((FAN_LEGEND[3], Key::Line(GOAL)));
    }
    if let Some(year) = fan.income_starts {
        // The income of year N is paid during year N: the phase starts at N − 1.
        let x = f64::from(year.saturating_sub(1)).max(first);
        let steps = 40;
        let dashes = (0..steps).step_by(2).map(|i| {
            let at = |k: i32| bottom + (top - bottom) * f64::from(k) / f64::from(steps);
            PathElement::new(vec![(x, at(i)), (x, at(i + 1))], MARKER.stroke_width(2))
        });
        chart.draw_series(dashes).map_err(|e| e.to_string())?;
        keys.push((FAN_LEGEND[4], Key::Dashed(MARKER)));
    }
    legend(&side, &keys)
}

/// Draws a fan of one year, which has no area or line to show: the bands as
/// bars and the median as a dot at that year.
fn single_year(
    chart: &mut ChartContext<'_, SVGBackend<'_>, Coords>,
    axis: Axis,
    band: &Percentiles,
    (outer, inner): (RGBAColor, RGBAColor),
) -> Result<(), String> {
    let x = f64::from(band.year);
    let bar = |lo: Money, hi: Money, colour: RGBAColor, width: u32| {
        PathElement::new(
            vec![(x, axis.at(chart_value(lo))), (x, axis.at(chart_value(hi)))],
            colour.stroke_width(width),
        )
    };
    chart
        .draw_series([
            bar(band.p5, band.p95, outer, 16),
            bar(band.p25, band.p75, inner, 16),
        ])
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(std::iter::once(Circle::new(
            (x, axis.at(chart_value(band.p50))),
            5,
            MEDIAN.filled(),
        )))
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// Renders the fan chart of a simulation as an SVG document, as `options`
/// say.
///
/// # Errors
///
/// Returns plotters' message when a chart cannot be laid out or drawn.
pub fn simulation_svg(sim: &Simulation, options: ChartOptions) -> Result<String, String> {
    // No marker when the income is wanted from the first year.
    let income_starts = sim
        .goal_by_year
        .first()
        .map(|y| y.year)
        .filter(|&year| year > 1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1000, 780)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let (upper, lower) = root.split_vertically(390);
        let name = crate::printable::printable(&sim.profile.name);
        let log = wants_log(&sim.value, options);
        fan(
            &upper,
            &Fan {
                title: format!(
                    "{name}: portfolio value ({} {})",
                    sim.paths,
                    if sim.paths == 1 { "path" } else { "paths" }
                ),
                bands: &sim.value,
                goal: &[],
                income_starts,
                start: options.start_value,
                currency: &sim.currency,
                log,
            },
        )?;
        fan(
            &lower,
            &Fan {
                title: "Yearly gross income (before tax) against the goal".into(),
                bands: &sim.income,
                goal: &sim.goal_line,
                income_starts,
                start: None,
                currency: &sim.currency,
                log: wants_log(&sim.income, options),
            },
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
/// profile (labelled with its name in the legend beside the chart), as an
/// SVG document. `starts` holds each profile's value today, drawn at year 0
/// (empty: lines start at year 1). Amounts are drawn as they are: the
/// simulations must share a currency (the first one's labels the axis;
/// `compare` refuses others).
///
/// # Errors
///
/// Returns plotters' message when the chart cannot be laid out or drawn.
pub fn comparison_svg(
    sims: &[Simulation],
    starts: &[Money],
    options: ChartOptions,
) -> Result<String, String> {
    let years = sims.iter().map(|s| s.years).max().unwrap_or(0).max(1);
    let log = options.log.unwrap_or_else(|| {
        let ends: Vec<f64> = sims
            .iter()
            .filter_map(|s| s.value.last().map(|b| chart_value(b.p50)))
            .collect();
        let (lo, hi) = ends
            .iter()
            .fold((f64::INFINITY, 0.0_f64), |(l, h), v| (l.min(*v), h.max(*v)));
        hi > COMPARE_SPREAD * lo.max(1e-9)
    });
    let amounts = sims
        .iter()
        .flat_map(|s| s.value.iter().map(|b| chart_value(b.p50)))
        .chain(starts.iter().map(|v| chart_value(*v)));
    let (low_amount, high_amount) =
        amounts.fold((f64::INFINITY, 0.0_f64), |(l, h), v| (l.min(v), h.max(v)));
    let high_amount = if high_amount > 0.0 { high_amount } else { 1.0 };
    let axis = Axis::new(log, low_amount, high_amount);
    let medians = |i: usize, s: &Simulation| -> Vec<(f64, f64)> {
        let start = starts.get(i).map(|v| (0.0, axis.at(chart_value(*v))));
        start
            .into_iter()
            .chain(
                s.value
                    .iter()
                    .map(|b| (f64::from(b.year), axis.at(chart_value(b.p50)))),
            )
            .collect()
    };
    let lines: Vec<Vec<(f64, f64)>> = sims
        .iter()
        .enumerate()
        .map(|(i, s)| medians(i, s))
        .collect();
    let (low, high) = lines
        .iter()
        .flatten()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), p| {
            (l.min(p.1), h.max(p.1))
        });
    let (bottom, top) = if log {
        (axis.floor.min(low), high.max(axis.floor + 1.0) + 0.05)
    } else {
        (0.0, if high > 0.0 { high } else { 1.0 } * 1.05)
    };
    let currency = sims.first().map_or("USD", |s| s.currency.as_str());
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1000, 440)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let (plot, side) = root.split_horizontally(1000 - LEGEND_WIDTH - 40);
        let mut chart = ChartBuilder::on(&plot)
            .caption("Median portfolio value", ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(axes::label_room(&axis, currency, (bottom, top)))
            .build_cartesian_2d(years_spec(years), axis.spec((bottom, top)))
            .map_err(|e| e.to_string())?;
        draw_mesh(&mut chart, &axis, currency, (bottom, top))?;
        let mut keys = Vec::new();
        let names: Vec<String> = sims
            .iter()
            .map(|s| crate::printable::printable(&s.profile.name).into_owned())
            .collect();
        for ((line, colour), name) in lines.into_iter().zip(PALETTE.iter().cycle()).zip(&names) {
            chart
                .draw_series(LineSeries::new(line, colour.stroke_width(2)))
                .map_err(|e| e.to_string())?;
            keys.push((name.as_str(), Key::Line(*colour)));
        }
        legend(&side, &keys)?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_labels_read_in_thousands_and_millions() {
        assert_eq!(money_label(0.0, "USD"), "$0");
        assert_eq!(money_label(950.0, "USD"), "$950");
        assert_eq!(money_label(250_000.0, "USD"), "$250k");
        assert_eq!(money_label(1_500_000.0, "USD"), "$1.5M");
        assert_eq!(money_label(16_000_000.0, "USD"), "$16M");
        assert_eq!(money_label(2_000_000_000.0, "EUR"), "€2B");
        assert_eq!(money_label(3_000.0, "CHF"), "3k CHF");
        assert_eq!(money_label(3e12, "USD"), "$3T");
        assert_eq!(money_label(999e12, "USD"), "$999T");
        assert_eq!(money_label(2.5e15, "USD"), "$2.5e15");
        assert_eq!(money_label(-1e20, "USD"), "-$1e20");
    }

    #[test]
    fn tick_labels_take_their_decimals_from_the_step() {
        assert_eq!(tick_label(0.05, 0.01, "USD"), "$0.05");
        assert_eq!(tick_label(0.5, 0.5, "USD"), "$0.50");
        assert_eq!(tick_label(0.003, 0.001, "USD"), "$0.003");
        assert_eq!(tick_label(250_000.0, 50_000.0, "USD"), "$250k");
        assert_eq!(tick_label(1_250_000.0, 250_000.0, "USD"), "$1.25M");
        assert_eq!(tick_label(1_000_000.0, 250_000.0, "USD"), "$1M");
        assert_eq!(tick_label(1_500.0, 500.0, "CHF"), "1.5k CHF");
        assert_eq!(tick_label(0.30000000000000004, 0.1, "USD"), "$0.30");
        assert_eq!(tick_label(1.5e12, 5e11, "USD"), "$1.5T");
        assert_eq!(tick_label(1.5e15, 5e14, "USD"), "$1.5e15");
        assert_eq!(tick_label(3e15, 5e14, "USD"), "$3e15");
        assert_eq!(tick_label(1.25e16, 2.5e15, "USD"), "$1.25e16");
    }

    #[test]
    fn tick_labels_are_distinct_at_any_scale() {
        for top in [
            0.012, 0.05, 0.7, 3.0, 42.0, 999.0, 1_050.0, 12_345.0, 2.6e6, 7.7e9, 3.1e12, 3e15,
            4.4e17, 1e20,
        ] {
            let (ticks, step) = axes::linear_ticks(0.0, top, 8);
            let labels: Vec<String> = ticks.iter().map(|t| tick_label(*t, step, "USD")).collect();
            let mut distinct = labels.clone();
            distinct.sort();
            distinct.dedup();
            assert_eq!(distinct.len(), labels.len(), "top {top}: {labels:?}");
            assert!(labels.len() >= 4, "top {top}: {labels:?}");
        }
    }

    #[test]
    fn legend_labels_are_cut_to_their_room() {
        assert_eq!(legend_label("median (P50)", 200), "median (P50)");
        assert_eq!(
            legend_label("A very long profile name indeed", 80),
            "A very lon…"
        );
        // The longest fan-chart entry fits the legend column whole.
        let room = LEGEND_WIDTH - 42;
        for entry in FAN_LEGEND {
            assert_eq!(legend_label(entry, room), entry);
        }
    }
}
