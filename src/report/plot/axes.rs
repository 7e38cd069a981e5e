//! The axes of the charts: where an amount is drawn (linear or log10), the
//! ticks of each axis, and the labelled mesh, years from today across, money
//! up. Every tick is chosen here (never left to plotters), so a label is
//! always written with as many decimals as the step between ticks needs.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::tick_label;

/// The coordinates of a chart: years across, drawn amounts up, each with
/// its own ticks.
pub(super) type Coords = Cartesian2d<Ticked, Ticked>;

/// A linear range of drawn coordinates with the ticks chosen here: the
/// mesh lines and labels sit at exactly these, whatever plotters would pick.
pub(super) struct Ticked {
    range: RangedCoordf64,
    ticks: Vec<f64>,
}

impl Ticked {
    /// `range` with ticks at `ticks`.
    pub(super) fn new(range: Range<f64>, ticks: Vec<f64>) -> Self {
        Ticked {
            range: range.into(),
            ticks,
        }
    }
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.range.map(value, limit)
    }
    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        // Bold lines and labels at the ticks; no light lines between them.
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }
    fn range(&self) -> Range<f64> {
        self.range.range()
    }
}

/// The y axis: where an amount is drawn, and the amount at a position.
#[derive(Clone, Copy)]
pub(super) struct Axis {
    /// Whether amounts are drawn as log10 of them.
    pub(super) log: bool,
    /// On a log axis, the lowest coordinate drawn: smaller amounts (a path
    /// that ran out) are drawn on the floor.
    pub(super) floor: f64,
    /// Whether some amount lies below the floor and is drawn on it: the
    /// floor is then labelled "≤ $10", as what sits there may be less, down
    /// to $0.
    pub(super) clamped: bool,
}

impl Axis {
    /// A linear axis, or a log axis whose floor suits amounts from `low` up
    /// to `high`.
    pub(super) fn new(log: bool, low: f64, high: f64) -> Self {
        let floor = if log {
            // At most five decades below the top, and never below $1.
            let top = high.max(1.0).log10();
            low.max(1.0).log10().max(top - 5.0).floor()
        } else {
            0.0
        };
        let clamped = log && low < 10f64.powf(floor);
        Axis {
            log,
            floor,
            clamped,
        }
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
    /// The y range `bottom..top` with its ticks: at whole powers of ten on a
    /// log axis, else at a round step (see [`linear_ticks`]).
    pub(super) fn spec(self, (bottom, top): (f64, f64)) -> Ticked {
        let ticks = if self.log {
            decade_ticks(bottom, top)
        } else {
            linear_ticks(bottom, top, MAX_MONEY_TICKS).0
        };
        Ticked::new(bottom..top, ticks)
    }
}

/// Room kept right of the horizon, as a share of the years shown: the bars
/// and dot of a one-year chart and the end of every line are drawn whole
/// inside the chart (about 17 pixels, more than half the widest bar).
const RIGHT_ROOM: f64 = 0.025;

/// The x axis of `years` from today: `0..years` and a little room after
/// the horizon, ticked at whole years (see [`year_ticks`]).
pub(super) fn years_spec(years: u32) -> Ticked {
    let end = f64::from(years.max(1));
    Ticked::new(0.0..end * (1.0 + RIGHT_ROOM), year_ticks(years))
}

/// The labelled years of an axis to `years`: every year up to 10 years, else
/// every 2, 5, 10, 20, 25 or 50 years (the first that gives at most 11
/// labels), from 0; none past the horizon.
fn year_ticks(years: u32) -> Vec<f64> {
    let years = years.max(1);
    let step: usize = if years <= 10 {
        1
    } else {
        [2_usize, 5, 10, 20, 25, 50]
            .into_iter()
            .find(|s| usize::try_from(years).is_ok_and(|y| y / s <= 10))
            .unwrap_or(100)
    };
    (0..=years).step_by(step).map(f64::from).collect()
}

/// At most this many labels on a linear money axis.
const MAX_MONEY_TICKS: usize = 8;

/// Ticks from `bottom` to `top` at a round step (1, 2, 2.5 or 5 times a
/// power of ten) giving at most `most` of them, and that step. A range that
/// is empty or not finite has the single tick `bottom` and a step of 1.
pub(super) fn linear_ticks(bottom: f64, top: f64, most: usize) -> (Vec<f64>, f64) {
    let span = top - bottom;
    if !(span.is_finite() && span > 0.0 && bottom.is_finite()) {
        return (vec![bottom], 1.0);
    }
    let gaps = f64::from(u32::try_from(most.max(2) - 1).unwrap_or(1));
    let raw = span / gaps;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw * (1.0 - 1e-12))
        .unwrap_or(10.0 * magnitude);
    let first = (bottom / step - 1e-9).ceil();
    let ticks = (0..=most)
        .map(|i| (first + f64::from(u32::try_from(i).unwrap_or(0))) * step)
        .take_while(|v| *v <= top + step * 1e-9)
        .collect();
    (ticks, step)
}

/// The whole powers of ten (as log10 coordinates) from `bottom` to `top`;
/// at least `bottom` itself.
fn decade_ticks(bottom: f64, top: f64) -> Vec<f64> {
    let first = bottom.ceil();
    let ticks: Vec<f64> = (0..=60)
        .map(|i| first + f64::from(i))
        .take_while(|d| *d <= top)
        .collect();
    if ticks.is_empty() {
        vec![bottom]
    } else {
        ticks
    }
}

/// The step between the money ticks of `bottom..top`: 0 on a log axis,
/// labelled at powers of ten, each its own whole amount.
fn money_step(axis: &Axis, (bottom, top): (f64, f64)) -> f64 {
    if axis.log {
        0.0
    } else {
        linear_ticks(bottom, top, MAX_MONEY_TICKS).1
    }
}

/// The label of the money tick at drawn coordinate `v` (ticks `step`
/// apart): "≤ $10" at a floor that amounts below it are drawn on.
fn money_tick(axis: &Axis, currency: &str, step: f64, v: f64) -> String {
    let label = tick_label(axis.amount(v), step, currency);
    if axis.clamped && (v - axis.floor).abs() < 1e-9 {
        format!("≤ {label}")
    } else {
        label
    }
}

/// Pixels left of a money chart for its tick labels and its title: about 7
/// a character of the widest label, plus the title's room, at least 70
/// ("0.00005 USDC" and "$1.25e16 ABCDEFGH" are drawn whole).
pub(super) fn label_room(axis: &Axis, currency: &str, range: (f64, f64)) -> u32 {
    let step = money_step(axis, range);
    let ticks = if axis.log {
        decade_ticks(range.0, range.1)
    } else {
        linear_ticks(range.0, range.1, MAX_MONEY_TICKS).0
    };
    let widest = ticks
        .iter()
        .map(|v| money_tick(axis, currency, step, *v).chars().count())
        .max()
        .unwrap_or(0);
    u32::try_from(26 + 7 * widest).unwrap_or(u32::MAX).max(70)
}

/// The axes of a money chart: years from today across (whole years only,
/// see [`years_spec`]), `currency` up (on a log scale when `log`, labelled at whole
/// powers of ten; `bottom` and `top` are the drawn range), labelled in
/// thousands and millions with the decimals the step between ticks needs.
pub(super) fn draw_mesh(
    chart: &mut ChartContext<'_, SVGBackend<'_>, Coords>,
    axis: &Axis,
    currency: &str,
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
    let step = money_step(axis, (bottom, top));
    let y_label = |v: &f64| money_tick(axis, currency, step, *v);
    let mut mesh = chart.configure_mesh();
    mesh.x_desc("years from today")
        .y_desc(y_desc)
        .x_label_formatter(&x_label)
        .y_label_formatter(&y_label);
    mesh.draw().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The room left of a chart grows with its widest money label, so a
    /// long currency code or a power of ten is drawn whole beside the
    /// axis title; short labels keep the usual 70 pixels.
    #[test]
    fn the_label_room_holds_the_widest_label() {
        let linear = Axis::new(false, 0.0, 1.3e16);
        let room = label_room(&linear, "ABCDEFGH", (0.0, 1.3e16));
        assert!(room >= 26 + 7 * "1.2e16 ABCDEFGH".len() as u32, "{room}");
        let small = Axis::new(false, 0.0, 1_000.0);
        assert_eq!(label_room(&small, "USD", (0.0, 1_050.0)), 70);
        let tiny = Axis::new(false, 0.0, 0.012);
        let room = label_room(&tiny, "USDC", (0.0, 0.0126));
        assert!(room >= 26 + 7 * "0.012 USDC".len() as u32, "{room}");
    }

    #[test]
    fn linear_ticks_take_a_round_step_and_stay_in_range() {
        let (ticks, step) = linear_ticks(0.0, 630_000.0, 8);
        assert_eq!(step, 100_000.0);
        assert_eq!(ticks.len(), 7);
        let (ticks, step) = linear_ticks(0.0, 0.0525, 8);
        assert!((step - 0.01).abs() < 1e-15, "{step}");
        assert_eq!(ticks.len(), 6);
        let (ticks, step) = linear_ticks(0.0, 1.05, 8);
        assert!((step - 0.2).abs() < 1e-15, "{step}");
        assert!(ticks.iter().all(|t| *t <= 1.05));
        assert_eq!(linear_ticks(3.0, 3.0, 8), (vec![3.0], 1.0));
    }

    #[test]
    fn years_are_ticked_whole_to_the_horizon_at_most_eleven_times() {
        assert_eq!(year_ticks(1), vec![0.0, 1.0]);
        assert_eq!(year_ticks(10).len(), 11);
        assert_eq!(year_ticks(12), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0]);
        assert_eq!(year_ticks(30).last(), Some(&30.0));
        for years in 1..=100 {
            let ticks = year_ticks(years);
            assert!(ticks.len() <= 11 && ticks.len() >= 2, "{years}: {ticks:?}");
            assert!(ticks.iter().all(|t| *t <= f64::from(years)), "{years}");
        }
    }

    #[test]
    fn a_log_floor_under_a_smaller_amount_is_marked_as_a_bound() {
        // A path at $0 under a $1M top: the floor is $10, and it stands for
        // everything from $0 to $10.
        let axis = Axis::new(true, 0.0, 1e6);
        assert_eq!((axis.floor, axis.clamped), (1.0, true));
        assert_eq!(axis.at(0.0), 1.0);
        assert!(!Axis::new(true, 20.0, 1e6).clamped);
        assert!(!Axis::new(false, 0.0, 1e6).clamped);
    }

    #[test]
    fn decades_are_whole_powers_of_ten() {
        assert_eq!(decade_ticks(1.0, 6.3), vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        assert_eq!(decade_ticks(5.2, 5.8), vec![5.2]);
    }
}
