//! The figures of a snapshot that no plan writes, found after it is read.
//! Every field a review reads is held to what a plan can write: money from
//! 0 to 10^15, APYs from 0 to 1,000,000%, the blended net APY at least -1,
//! shares from 0 to 1, expected impermanent loss from -1 to 0, a required
//! yield of at least 0, every band (the totals' too) in order low <= mid <=
//! high, a strategy, goal status and lint that exist, a risk tier of the
//! rate book, a rate-book date that is a date, a warning about a position
//! the snapshot lists, each position listed once. A hand-edited or corrupt
//! snapshot is refused at the value's place rather than compared or shown
//! (a negative income band would silence `income-below`, an unknown status
//! `status-down`, a low above the mid would show as the band). Pure.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Range;

use rust_decimal::Decimal;

use super::saved::{SavedBand, Snapshot};
use crate::date::Date;
use crate::engine::plan::Status;
use crate::error::{Diagnostic, shorten};
use crate::model::{Lint, Strategy};
use crate::money::{MAX_MONEY, MAX_RATE};

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

/// The least and the most a figure of a plan can be, each with how it is
/// said in a message ("0", "-1 (a loss of everything)").
#[derive(Clone, Copy)]
struct Bounds {
    least: Option<(Decimal, &'static str)>,
    most: Option<(Decimal, &'static str)>,
}

/// At least 0, with no top: money and rates that cannot be negative.
const NOT_NEGATIVE: Bounds = Bounds {
    least: Some((Decimal::ZERO, "0")),
    most: None,
};

/// No bound: a band that only needs its order (income that impermanent
/// loss can make negative).
const ANY: Bounds = Bounds {
    least: None,
    most: None,
};

/// An APY: from 0 to the planner's largest rate.
const APY: Bounds = Bounds {
    least: Some((Decimal::ZERO, "0")),
    most: Some((MAX_RATE, "10000 (1,000,000%, the planner's largest rate)")),
};

/// A blended net APY: expected impermanent loss can take it below 0, but
/// never below -1 (a loss of everything).
const NET_APY: Bounds = Bounds {
    least: Some((Decimal::NEGATIVE_ONE, "-1 (a loss of everything)")),
    most: Some((MAX_RATE, "10000 (1,000,000%, the planner's largest rate)")),
};

/// Money a plan holds: from 0 to 10^15.
const MONEY: Bounds = Bounds {
    least: Some((Decimal::ZERO, "0")),
    most: Some((MAX_MONEY, "10^15, the most this tool plans")),
};

/// Expected impermanent loss: from -1 (everything) to 0 (a loss is never a gain).
const LOSS: Bounds = Bounds {
    least: Some((Decimal::NEGATIVE_ONE, "-1 (a loss of everything)")),
    most: Some((
        Decimal::ZERO,
        "0 (impermanent loss is a loss, never a gain)",
    )),
};

/// A share of a whole, from 0 to 1.
const SHARE: Bounds = Bounds {
    least: Some((Decimal::ZERO, "0")),
    most: Some((Decimal::ONE, "1 (100%)")),
};

/// A share of a position's yield, from 0 to 1.
const YIELD_SHARE: Bounds = Bounds {
    least: Some((Decimal::ZERO, "0")),
    most: Some((Decimal::ONE, "1 (100% of the yield)")),
};

/// Checks one figure `v` (`what` it is) against `bounds`; a problem goes to
/// `out`, at `span`.
fn check_figure(
    v: Decimal,
    what: &str,
    bounds: Bounds,
    span: impl Fn() -> Range<usize>,
    out: &mut Vec<Diagnostic>,
) {
    let said = match (bounds.least, bounds.most) {
        (Some((least, said)), _) if v < least => format!("below {said}"),
        (_, Some((most, said))) if v > most => format!("above {said}"),
        _ => return,
    };
    out.push(problem(span(), format!("{what} is {v}, {said}")));
}

/// Checks a low / mid / high band: each end within `bounds` and the three
/// in order; problems go to `out`, at the offending end.
fn check_band(
    band: SavedBand,
    what: &str,
    bounds: Bounds,
    at: &dyn Fn(&str) -> Range<usize>,
    out: &mut Vec<Diagnostic>,
) {
    for (end, v) in [("low", band.low), ("mid", band.mid), ("high", band.high)] {
        check_figure(v, &format!("{what}'s {end}"), bounds, || at(end), out);
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

/// A name from a closed set that is not one of `names`: the problem, or
/// nothing when it is.
fn unknown_name(
    name: &str,
    what: &str,
    names: &[&str],
    span: impl Fn() -> Range<usize>,
) -> Option<Diagnostic> {
    (!names.contains(&name)).then(|| {
        problem(
            span(),
            format!(
                "{what} \"{}\" is not one a plan writes ({})",
                shorten(name),
                names.join(", ")
            ),
        )
    })
}

/// The top-level figures of `s`: the portfolio, the totals, the goal and
/// where the figures came from.
fn top_values(s: &Snapshot, places: &Places<'_>, out: &mut Vec<Diagnostic>) {
    check_figure(
        s.portfolio.value,
        "the portfolio's value",
        MONEY,
        || places.top(&["portfolio", "value"]),
        out,
    );
    check_band(
        s.totals.apy,
        "the total blended APY",
        NET_APY,
        &|end| places.top(&["totals", "apy", end]),
        out,
    );
    check_band(
        s.totals.annual_income,
        "the total annual income band",
        ANY,
        &|end| places.top(&["totals", "annual_income", end]),
        out,
    );
    if let Some(goal) = &s.goal {
        out.extend(unknown_name(
            &goal.status,
            "the goal status",
            &Status::NAMES,
            || places.top(&["goal", "status"]),
        ));
        check_figure(
            goal.required_yield,
            "the goal's required_yield",
            NOT_NEGATIVE,
            || places.top(&["goal", "required_yield"]),
            out,
        );
    }
    let as_of = s.inputs.as_ref().and_then(|i| i.rate_book_as_of.as_deref());
    if let Some(as_of) = as_of.filter(|d| Date::parse(d).is_none()) {
        out.push(problem(
            places.top(&["inputs", "rate_book_as_of"]),
            format!(
                "the rate book's date \"{}\" is not a date (YYYY-MM-DD, a day that exists)",
                shorten(as_of)
            ),
        ));
    }
}

/// The snapshot's warnings: each of a lint that exists, about a position
/// the snapshot lists (or none).
fn warning_values(s: &Snapshot, places: &Places<'_>, out: &mut Vec<Diagnostic>) {
    let listed: HashSet<&str> = s.positions.iter().map(|p| p.name.as_str()).collect();
    let warnings = value_of(places.text, 0..places.text.len(), "warnings")
        .map(|r| elements(places.text, r.start))
        .unwrap_or_default();
    for (i, w) in s.warnings.iter().enumerate() {
        let within = warnings.get(i).cloned().unwrap_or(0..places.text.len());
        out.extend(unknown_name(
            &w.lint,
            "the warning's lint",
            &Lint::NAMES,
            || places.at(within.clone(), &["lint"]),
        ));
        if let Some(name) = w.position.as_deref().filter(|n| !listed.contains(n)) {
            out.push(problem(
                places.at(within.clone(), &["position"]),
                format!(
                    "a warning is about position \"{}\", which the snapshot does not list",
                    shorten(name)
                ),
            ));
        }
    }
}

/// Every figure of `s` (read from `text`) that no plan writes. A risk tier
/// must be one of `tiers` (the rate book's and the built-in ones) when
/// they are given.
pub(super) fn impossible_values(
    s: &Snapshot,
    text: &str,
    tiers: Option<&BTreeSet<String>>,
) -> Vec<Diagnostic> {
    let places = Places::new(text);
    let mut out = Vec::new();
    top_values(s, &places, &mut out);
    // Where each name is first listed, to find a repeat in linear time.
    let mut first_of: HashMap<&str, usize> = HashMap::new();
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
        out.extend(unknown_name(
            &p.strategy,
            &format!("{name}: the strategy"),
            &Strategy::NAMES,
            || at(&["strategy"]),
        ));
        check_figure(
            p.amount,
            &format!("{name}: amount"),
            MONEY,
            || at(&["amount"]),
            &mut out,
        );
        check_figure(
            p.weight,
            &format!("{name}: weight"),
            SHARE,
            || at(&["weight"]),
            &mut out,
        );
        check_figure(
            p.reward_share,
            &format!("{name}: reward_share"),
            YIELD_SHARE,
            || at(&["reward_share"]),
            &mut out,
        );
        if let Some(il) = p.expected_il {
            check_figure(
                il,
                &format!("{name}: expected_il"),
                LOSS,
                || at(&["expected_il"]),
                &mut out,
            );
        }
        if let Some(tvl) = p.tvl_usd {
            check_figure(
                tvl,
                &format!("{name}: tvl_usd"),
                MONEY,
                || at(&["tvl_usd"]),
                &mut out,
            );
        }
        check_band(
            p.apy,
            &format!("{name}: the APY band"),
            APY,
            &|end| at(&["apy", end]),
            &mut out,
        );
        check_band(
            p.paid_out_income,
            &format!("{name}: the paid-out income band"),
            NOT_NEGATIVE,
            &|end| at(&["paid_out_income", end]),
            &mut out,
        );
        check_band(
            p.annual_income,
            &format!("{name}: the annual income band"),
            ANY,
            &|end| at(&["annual_income", end]),
            &mut out,
        );
        if let Some(tiers) = tiers {
            let sources = elements(text, at(&["risk", "sources"]).start);
            for (j, source) in p.risk.sources.iter().enumerate() {
                if tiers.contains(&source.tier) {
                    continue;
                }
                let within = sources.get(j).cloned().unwrap_or_else(|| at(&["risk"]));
                let known: Vec<&str> = tiers.iter().map(String::as_str).collect();
                out.push(problem(
                    places.at(within, &["tier"]),
                    format!(
                        "{name}: the risk tier \"{}\" is not one of the rate book's ({})",
                        shorten(&source.tier),
                        known.join(", ")
                    ),
                ).with_help("no plan writes this: restore the tier the plan wrote, give the --rates file the snapshot was planned with, or take a new snapshot with `yieldplan plan PROFILE --format json --output SNAPSHOT.json`"));
            }
        }
    }
    warning_values(s, &places, &mut out);
    out
}
