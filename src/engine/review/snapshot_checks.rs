//! The figures of a snapshot that no plan writes, found after it is read:
//! a negative amount, weight, APY, income or TVL, an APY band out of order,
//! a reward share outside 0 to 100%, a goal status that does not exist, a
//! position listed twice. A hand-edited or corrupt snapshot is refused at
//! the value's place rather than compared (a negative income band would
//! silence `income-below`, an unknown status `status-down`). Pure.

use std::ops::Range;

use rust_decimal::Decimal;

use super::saved::{SavedBand, Snapshot};
use crate::engine::plan::Status;
use crate::error::{Diagnostic, shorten};

/// Byte offset just past the JSON value that starts at `at` (a string, a
/// number, a literal, an object or an array).
fn value_end(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let (mut i, mut depth, mut in_string) = (at, 0usize, false);
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => {
                    in_string = false;
                    if depth == 0 {
                        return i + 1;
                    }
                }
                _ => {}
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' if depth > 0 => {
                    depth -= 1;
                    if depth == 0 {
                        return i + 1;
                    }
                }
                b',' | b'}' | b']' | b'\n' | b'\r' | b' ' | b'\t' if depth == 0 => return i,
                _ => {}
            }
        }
        i += 1;
    }
    text.len()
}

/// The span of the value of the first `"key"` inside `within` (keys
/// followed by a colon only, so a string value equal to the key is passed).
fn value_of(text: &str, within: Range<usize>, key: &str) -> Option<Range<usize>> {
    let quoted = format!("\"{key}\"");
    let mut from = within.start;
    while from < within.end {
        let i = from + text.get(from..within.end)?.find(&quoted)?;
        let after = i + quoted.len();
        let rest = text.get(after..within.end)?;
        let colon = rest.len() - rest.trim_start().len();
        if rest.trim_start().starts_with(':') {
            let value = after + colon + 1;
            let skip = text.get(value..within.end)?;
            let start = value + (skip.len() - skip.trim_start().len());
            return Some(start..value_end(text, start).min(within.end));
        }
        from = after;
    }
    None
}

/// The spans of the elements of the array that starts at `at` (a `[`).
fn elements(text: &str, at: usize) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = at + 1;
    while i < bytes.len() {
        match bytes[i] {
            b']' => break,
            b',' | b' ' | b'\n' | b'\r' | b'\t' => i += 1,
            _ => {
                let end = value_end(text, i);
                out.push(i..end);
                i = end.max(i + 1);
            }
        }
    }
    out
}

/// Where each figure of a snapshot is: the positions' objects, the
/// portfolio's and the goal's.
struct Places<'a> {
    text: &'a str,
    positions: Vec<Range<usize>>,
}

impl<'a> Places<'a> {
    fn new(text: &'a str) -> Self {
        let all = 0..text.len();
        let positions = value_of(text, all, "positions")
            .map(|r| elements(text, r.start))
            .unwrap_or_default();
        Places { text, positions }
    }

    /// The value at `keys`, one inside the other, from `within`; else
    /// the last found, else the start of `within`.
    fn at(&self, within: Range<usize>, keys: &[&str]) -> Range<usize> {
        let mut span = within.start..within.start;
        let mut inside = within;
        for key in keys {
            match value_of(self.text, inside.clone(), key) {
                Some(s) => {
                    span = s.clone();
                    inside = s;
                }
                None => break,
            }
        }
        span
    }

    /// The value at `keys` in position `i`.
    fn position(&self, i: usize, keys: &[&str]) -> Range<usize> {
        let within = self.positions.get(i).cloned().unwrap_or(0..self.text.len());
        self.at(within, keys)
    }

    /// The value at `keys` from the top of the file.
    fn top(&self, keys: &[&str]) -> Range<usize> {
        self.at(0..self.text.len(), keys)
    }
}

const RETAKE: &str = "no plan writes this: restore the value the plan wrote, or take a new snapshot with `yieldplan plan PROFILE --format json --output SNAPSHOT.json`";

/// A problem at `span`.
fn problem(span: Range<usize>, message: String) -> Diagnostic {
    Diagnostic::at(span, message).with_help(RETAKE)
}

/// Checks a low / mid / high band: each at least 0 (when `positive`) and
/// in order; problems go to `out`, at the offending end.
fn check_band(
    band: SavedBand,
    what: &str,
    at: &dyn Fn(&str) -> Range<usize>,
    out: &mut Vec<Diagnostic>,
) {
    for (end, v) in [("low", band.low), ("mid", band.mid), ("high", band.high)] {
        if v < Decimal::ZERO {
            out.push(problem(at(end), format!("{what}'s {end} is {v}, below 0")));
        }
    }
    if band.low > band.mid || band.mid > band.high {
        out.push(problem(
            at("low"),
            format!(
                "{what} is out of order: low {}, mid {}, high {} (low <= mid <= high)",
                band.low, band.mid, band.high
            ),
        ));
    }
}

/// Every figure of `s` (read from `text`) that no plan writes.
pub(super) fn impossible_values(s: &Snapshot, text: &str) -> Vec<Diagnostic> {
    let places = Places::new(text);
    let mut out = Vec::new();
    if s.portfolio.value < Decimal::ZERO {
        out.push(problem(
            places.top(&["portfolio", "value"]),
            format!("the portfolio's value is {}, below 0", s.portfolio.value),
        ));
    }
    if let Some(goal) = &s.goal {
        if Status::parse(&goal.status).is_none() {
            out.push(problem(
                places.top(&["goal", "status"]),
                format!(
                    "the goal status \"{}\" is not one a plan writes ({})",
                    shorten(&goal.status),
                    Status::NAMES.join(", ")
                ),
            ));
        }
    }
    // Where each name is first listed, to find a repeat in linear time.
    let mut first_of: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, p) in s.positions.iter().enumerate() {
        let name = shorten(&p.name);
        let at = |keys: &[&str]| places.position(i, keys);
        let first = *first_of.entry(p.name.as_str()).or_insert(i);
        if let Some(first) = (first < i).then_some(first) {
            out.push(
                problem(
                    at(&["name"]),
                    format!("position \"{name}\" is listed twice"),
                )
                .with_related(places.position(first, &["name"]), "first listed here"),
            );
        }
        for (key, v) in [("amount", p.amount), ("weight", p.weight)] {
            if v < Decimal::ZERO {
                out.push(problem(
                    at(&[key]),
                    format!("{name}: {key} is {v}, below 0"),
                ));
            }
        }
        if p.weight > Decimal::ONE {
            out.push(problem(
                at(&["weight"]),
                format!("{name}: weight is {}, above 1 (100%)", p.weight),
            ));
        }
        if !(Decimal::ZERO..=Decimal::ONE).contains(&p.reward_share) {
            out.push(problem(
                at(&["reward_share"]),
                format!(
                    "{name}: reward_share is {}, outside 0 to 1 (0 to 100% of the yield)",
                    p.reward_share
                ),
            ));
        }
        if let Some(tvl) = p.tvl_usd.filter(|t| *t < Decimal::ZERO) {
            out.push(problem(
                at(&["tvl_usd"]),
                format!("{name}: tvl_usd is {tvl}, below 0"),
            ));
        }
        check_band(
            p.apy,
            &format!("{name}: the APY band"),
            &|end| at(&["apy", end]),
            &mut out,
        );
        check_band(
            p.paid_out_income,
            &format!("{name}: the paid-out income band"),
            &|end| at(&["paid_out_income", end]),
            &mut out,
        );
    }
    out
}
