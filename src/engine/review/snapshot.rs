//! A saved plan read back: the snapshot `yieldplan review` compares against.
//!
//! A snapshot is the JSON of `yieldplan plan PROFILE --format json`. Only
//! the fields a review needs are read (unknown ones are ignored, so later
//! additions to the plan's JSON do not break old snapshots); numbers are read
//! as exact decimals. A snapshot of another schema version or of another
//! profile is refused with where it says so. Pure: it reads text handed to it.

use std::ops::Range;
use std::path::Path;

use rust_decimal::Decimal;

use crate::error::{Diagnostic, Diagnostics, shorten};

use crate::schema::SCHEMA_VERSION;

pub use super::saved::{
    SavedBand, SavedGoal, SavedInputs, SavedPortfolio, SavedPosition, SavedProfile, SavedRisk,
    SavedRiskSource, SavedTotals, SavedWarning, Snapshot,
};

/// Byte range of the first `"key"` in `text` at or after `from`, or of the
/// first line when there is none.
fn key_span(text: &str, key: &str, from: usize) -> Range<usize> {
    let quoted = format!("\"{key}\"");
    text.get(from..)
        .and_then(|t| t.find(&quoted))
        .map_or(0..text.find('\n').unwrap_or(text.len()).min(1), |i| {
            from + i..from + i + quoted.len()
        })
}

/// The largest magnitude of a number a plan writes (money up to 10^15 a
/// position, rates up to 10^4, TVL in dollars): anything beyond is not a
/// plan's figure.
const LARGEST: Decimal = Decimal::from_parts(0x6310_0000, 0x6BC7_5E2D, 0x5, false, 0);

/// The byte range of the first number written in the JSON `text` (outside
/// strings) that is not a decimal of at most [`LARGEST`] in magnitude.
fn out_of_range(text: &str) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let (mut i, mut in_string) = (0, false);
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
        } else if b == b'"' {
            in_string = true;
            i += 1;
        } else if b == b'-' || b.is_ascii_digit() {
            let start = i;
            while i < bytes.len()
                && matches!(bytes[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
            {
                i += 1;
            }
            let token = &text[start..i];
            let fits = token
                .parse::<Decimal>()
                .or_else(|_| Decimal::from_scientific(token))
                .is_ok_and(|d| d.abs() <= LARGEST);
            if !fits {
                return Some(start..i);
            }
        } else {
            i += 1;
        }
    }
    None
}

/// What kind of JSON value `v` is, in words.
fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// What kind of JSON value valid JSON `text` holds, in words, from its first
/// character.
fn text_kind(text: &str) -> &'static str {
    match text.trim_start().bytes().next() {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}

/// A key that is written, whatever its value (null included).
fn present<'de, D: serde::Deserializer<'de>, T: serde::Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// The top of a snapshot: what is checked before it is read as a plan.
/// Every other key is skipped unread, so a large unknown key costs no
/// memory.
#[derive(serde::Deserialize)]
struct Head {
    #[serde(default, deserialize_with = "present")]
    schema_version: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "present")]
    objective: Option<serde::de::IgnoredAny>,
    #[serde(default, deserialize_with = "present")]
    plan: Option<serde::de::IgnoredAny>,
    #[serde(default, deserialize_with = "present")]
    portfolio: Option<serde::de::IgnoredAny>,
    #[serde(default, deserialize_with = "present")]
    positions: Option<serde::de::IgnoredAny>,
    #[serde(default, deserialize_with = "present")]
    totals: Option<serde::de::IgnoredAny>,
}

/// Reads the snapshot at `path` whose text is `file`, and checks that it is
/// a plan of this schema version and, when `profile` is given, of the
/// profile of that name; when `tiers` are given (the rate book's and the
/// built-in ones), that every risk tier it names is one of them.
///
/// # Errors
/// The text is not a plan's JSON (with the line and column where it stops
/// being one), its `schema_version` is not this program's, it holds a
/// figure no plan writes (see [`super::snapshot_checks`]), or it is the plan
/// of another profile: each with where and how to fix it.
pub fn read_snapshot(
    path: &Path,
    file: &str,
    profile: Option<&str>,
    tiers: Option<&std::collections::BTreeSet<String>>,
) -> Result<Snapshot, Diagnostics> {
    // A byte-order mark is skipped, as the CSV readers do; places are
    // shifted back onto the file.
    let text = file.strip_prefix('\u{feff}').unwrap_or(file);
    let bom = file.len() - text.len();
    let shift = |r: Range<usize>| r.start + bom..r.end + bom;
    let refuse = |items: Vec<Diagnostic>| {
        let items = items
            .into_iter()
            .map(|mut d| {
                d.span = d.span.map(shift);
                d.related = d.related.into_iter().map(|(r, n)| (shift(r), n)).collect();
                d
            })
            .collect();
        Diagnostics::new(path, file, "snapshot", items)
    };
    let fail = |span: Option<Range<usize>>, message: String, help: &str| {
        refuse(vec![Diagnostic::new(span, message).with_help(help)])
    };
    let retake =
        "take a snapshot with `yieldplan plan PROFILE --format json --output SNAPSHOT.json`";
    let not_json = |e: serde_json::Error| {
        let (at, said) = crate::error::json_error(text, &e);
        fail(
            Some(at..at),
            format!("the snapshot is not valid JSON: {said}"),
            retake,
        )
    };
    // Checked without building the document: only the keys read below are
    // kept (a snapshot may be as large as the read limit).
    serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(not_json)?;
    let head: Option<Head> = if text_kind(text) == "an object" {
        Some(serde_json::from_str(text).map_err(|e| {
            let (at, said) = crate::error::json_error(text, &e);
            fail(
                Some(at..at),
                format!("the snapshot is not a plan's JSON: {said}"),
                retake,
            )
        })?)
    } else {
        None
    };
    let given = head.as_ref().and_then(|h| h.schema_version.as_ref());
    let found = given.and_then(serde_json::Value::as_u64);
    if found != Some(u64::from(SCHEMA_VERSION)) {
        let shown = match given {
            None if head.is_none() => format!(
                "missing: the file holds {}, not a plan's object",
                text_kind(text)
            ),
            None => "missing".to_string(),
            Some(v) if found.is_none() && !v.is_number() => {
                format!(
                    "{} ({}, not a number)",
                    shorten(&v.to_string()),
                    json_kind(v)
                )
            }
            Some(v) if found.is_none() => v.to_string(),
            Some(_) => found.map_or_else(String::new, |v| v.to_string()),
        };
        return Err(fail(
            Some(key_span(text, "schema_version", 0)),
            format!(
                "the snapshot's schema_version is {shown}; this yieldplan reads plans of schema_version {SCHEMA_VERSION}"
            ),
            "take a new snapshot of the profile with this yieldplan (`yieldplan plan PROFILE --format json --output SNAPSHOT.json`)",
        ));
    }
    let Some(head) = head else {
        return Err(fail(
            Some(0..0),
            "the snapshot is not a plan's object".into(),
            retake,
        ));
    };
    if head.objective.is_some() || head.plan.is_some() {
        return Err(fail(
            Some(key_span(text, "objective", 0)),
            "the snapshot is a `yieldplan optimize` report, not a saved plan".to_string(),
            "write the chosen mix with `yieldplan optimize PROFILE --output NEW.toml`, then save its plan with `yieldplan plan NEW.toml --format json --output SNAPSHOT.json`",
        ));
    }
    let missing = [
        ("portfolio", head.portfolio.is_none()),
        ("positions", head.positions.is_none()),
        ("totals", head.totals.is_none()),
    ]
    .into_iter()
    .find_map(|(k, absent)| absent.then_some(k));
    if let Some(missing) = missing {
        return Err(fail(
            Some(0..0),
            format!("the snapshot has no `{missing}`: it is not the JSON of `yieldplan plan`"),
            retake,
        ));
    }
    if let Some(span) = out_of_range(text) {
        return Err(fail(
            Some(span.clone()),
            format!(
                "the snapshot holds the number {}, which no plan writes",
                shorten(&text[span])
            ),
            retake,
        ));
    }
    let snapshot: Snapshot = serde_json::from_str(text).map_err(|e| {
        let (at, said) = crate::error::json_error(text, &e);
        fail(
            Some(at..at),
            format!("the snapshot is not a plan's JSON: {said}"),
            retake,
        )
    })?;
    let impossible = super::snapshot_checks::impossible_values(&snapshot, text, tiers);
    if !impossible.is_empty() {
        return Err(refuse(impossible));
    }
    let Some(profile) = profile else {
        return Ok(snapshot);
    };
    if snapshot.profile.name != profile {
        let from = key_span(text, "profile", 0).end;
        return Err(fail(
            Some(key_span(text, "name", from)),
            format!(
                "the snapshot is of profile \"{}\", not of \"{}\"",
                shorten(&snapshot.profile.name),
                shorten(profile)
            ),
            "give the snapshot taken of this profile, or take one now with `yieldplan plan PROFILE --format json --output SNAPSHOT.json`",
        ));
    }
    Ok(snapshot)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = r#"{
  "schema_version": 1,
  "profile": {
    "name": "Mine",
    "path": "mine.toml"
  },
  "portfolio": {"value": 1000, "currency": "USD"},
  "positions": [],
  "totals": {"apy": {"low": 0.01, "mid": 0.02, "high": 0.03},
             "annual_income": {"low": 10, "mid": 20, "high": 30}},
  "goal": null,
  "warnings": []
}"#;

    #[test]
    fn a_plan_reads_back_with_exact_decimals() {
        let s = read_snapshot(Path::new("s.json"), PLAN, Some("Mine"), None).unwrap();
        assert_eq!(s.totals.apy.mid, Decimal::new(2, 2));
        assert!(s.inputs.is_none());
    }

    /// The head of a snapshot is read without building the document: a
    /// large unknown key is skipped, a value that is not an object is named
    /// by its kind, and keys written as null are present.
    #[test]
    fn the_head_is_read_without_the_rest() {
        let junk = format!(
            "{{\"junk\": [{}[{{}}]], {}",
            "[{}],".repeat(10_000),
            &PLAN[1..]
        );
        assert!(read_snapshot(Path::new("s.json"), &junk, Some("Mine"), None).is_ok());
        for (text, kind) in [
            ("[1, 2]", "an array"),
            ("\"x\"", "a string"),
            ("null", "null"),
            ("7", "a number"),
        ] {
            let e = read_snapshot(Path::new("s.json"), text, None, None)
                .unwrap_err()
                .to_string();
            assert!(
                e.contains(&format!("the file holds {kind}, not a plan's object")),
                "{e}"
            );
        }
        let null_totals = PLAN.replace(
            r#""totals": {"apy": {"low": 0.01, "mid": 0.02, "high": 0.03},
             "annual_income": {"low": 10, "mid": 20, "high": 30}},"#,
            r#""totals": null,"#,
        );
        assert_ne!(null_totals, PLAN);
        let e = read_snapshot(Path::new("s.json"), &null_totals, None, None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a plan's JSON"), "{e}");
        let e = read_snapshot(Path::new("s.json"), "{\"a\": [1,", None, None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("not valid JSON"), "{e}");
    }

    #[test]
    fn another_profile_is_refused_at_its_name() {
        let e = read_snapshot(Path::new("s.json"), PLAN, Some("Other"), None).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("s.json:4:5"), "{text}");
        assert!(text.contains("not of \"Other\""), "{text}");
    }

    #[test]
    fn another_schema_version_is_refused_at_its_line() {
        let old = PLAN.replace("\"schema_version\": 1", "\"schema_version\": 7");
        let text = read_snapshot(Path::new("s.json"), &old, Some("Mine"), None)
            .unwrap_err()
            .to_string();
        assert!(text.contains("s.json:2:3"), "{text}");
        assert!(text.contains("schema_version is 7"), "{text}");
    }

    #[test]
    fn the_largest_number_is_ten_to_the_twentieth() {
        assert_eq!(
            LARGEST,
            Decimal::from(10u64.pow(10)) * Decimal::from(10u64.pow(10))
        );
    }

    #[test]
    fn a_number_no_plan_writes_is_refused() {
        let huge = PLAN.replace("\"value\": 1000", "\"value\": -1e300");
        let text = read_snapshot(Path::new("s.json"), &huge, Some("Mine"), None)
            .unwrap_err()
            .to_string();
        assert!(text.contains("-1e300"), "{text}");
    }

    #[test]
    fn every_digit_a_plan_writes_reads_back() {
        let long = PLAN.replace(
            "\"mid\": 0.02",
            "\"mid\": 0.0200000000000000000000000000123456",
        );
        let s = read_snapshot(Path::new("s.json"), &long, Some("Mine"), None).unwrap();
        assert_eq!(s.totals.apy.mid.round_dp(6), Decimal::new(2, 2));
    }

    #[test]
    fn broken_json_says_where() {
        let text = read_snapshot(Path::new("s.json"), "{\n  \"a\": ,\n}", Some("Mine"), None)
            .unwrap_err()
            .to_string();
        assert!(text.contains("s.json:2:"), "{text}");
    }
}
