//! The axes of the charts: where an amount is drawn (linear or log10), and
//! the labelled mesh, years from today across, money up.

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::money_label;

/// The y axis: where an amount is drawn, and the amount at a position.
#[derive(Clone, Copy)]
pub(super) struct Axis {
    /// Whether amounts are drawn as log10 of them.
    pub(super) log: bool,
    /// On a log axis, the lowest coordinate drawn: smaller amounts (a path
    /// that ran out) are drawn on the floor.
    pub(super) floor: f64,
}

impl Axis {
    /// A linear axis, or a log axis whose floor suits amounts up to `high`.
    pub(super) fn new(log: bool, low: f64, high: f64) -> Self {
        let floor = if log {
            // At most five decades below the top, and never below $1.
            let top = high.max(1.0).log10();
            low.max(1.0).log10().max(top - 5.0).floor()
        } else {
            0.0
        };
        Axis { log, floor }
    }
    /// The drawn coordinate of an amount (log10 of it on a log axis).
    pub(super) fn at(self, v: f64) -> f64 {
        if self.log {
            v.max(1.0).log10().max(self.floor)
        } else {
            v
        }
    }
    /// The amount at a drawn coordinate.
    pub(super) fn amount(self, y: f64) -> f64 {
        if self.log { 10f64.powf(y) } else { y }
    }
}

/// The axes of a money chart: years from today across (whole years only,
/// `0..=years`), `currency` up (on a log scale when `log`, labelled at whole
/// powers of ten; `bottom` and `top` are the drawn range), labelled in
/// thousands and millions.
pub(super) fn draw_mesh(
    chart: &mut ChartContext<'_, SVGBackend<'_>, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    axis: &Axis,
    currency: &str,
    years: u32,
    (bottom, top): (f64, f64),
) -> Result<(), String> {
    let log = axis.log;
    let y_desc = if log {
        format!("{currency}, log scale")
    } else {
        currency.to_string()
    };
    let whole = |v: f64| (v - v.round()).abs() < 1e-9;
    let x_label = |v: &f64| {
        if whole(*v) {
            format!("{v:.0}")
        } else {
            String::new()
        }
    };
    let y_label = |v: &f64| {
        if log && !whole(*v) {
            String::new()
        } else {
            money_label(axis.amount(*v), currency)
        }
    };
    let mut mesh = chart.configure_mesh();
    // At most one label a year (so never a fractional year), at most 11.
    mesh.x_labels(year_labels(years))
        .x_desc("years from today")
        .y_desc(y_desc)
        .x_label_formatter(&x_label)
        .y_label_formatter(&y_label);
    if log {
        // At most one label a decade: labels at powers of ten, not at
        // half decades ($316k).
        mesh.y_labels(decade_labels(bottom, top));
    }
    mesh.draw().map_err(|e| e.to_string())
}

/// How many labels the year axis `0..=years` may carry: one a year, at most 11.
fn year_labels(years: u32) -> usize {
    usize::try_from(years.saturating_add(1).min(11)).unwrap_or(11)
}

/// How many labels a log axis from `bottom` to `top` (log10 of amounts) may
/// carry: one a decade, at least 2.
fn decade_labels(bottom: f64, top: f64) -> usize {
    let decades = (top - bottom).floor();
    if decades.is_finite() && decades >= 1.0 {
        // At most a few dozen decades: an f64 this small converts exactly.
        (decades.min(60.0) as usize) + 1
    } else {
        2
    }
}
