//! A profile's text with new weights written in, keeping everything else
//! (comments, order, layout) as it was: the `--output` of `optimize`.
//! Text in, text out; it reads no file and checks nothing the reader does.

use std::fmt::Write as _;

use rust_decimal::Decimal;
use toml_edit::{DocumentMut, Item, Value};

use crate::model::Sizing;

/// Why a profile's text could not be rewritten.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RewriteError {
    /// The text is not TOML (it was read before, so this is unexpected).
    #[error("the profile is not valid TOML: {0}")]
    Syntax(String),
    /// Positions written other than as `[[position]]` tables, or a count
    /// that does not match.
    #[error(
        "the profile's positions are not [[position]] tables one per position; write each under its own [[position]] header"
    )]
    Shape,
    /// Candidate pools were chosen but the profile names another snapshot.
    #[error(
        "the profile takes pools from its own snapshot ([rates] pools = \"{0}\"), so chosen candidates from another cannot be written; add them to that snapshot, or remove [rates] pools"
    )]
    PoolsTaken(String),
}

/// A position the optimizer added (a candidate pool), to be written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPosition {
    /// Its name.
    pub name: String,
    /// Its strategy.
    pub strategy: crate::model::Strategy,
    /// The pool it takes its yield from.
    pub pool_id: String,
}

/// How a position's size was written before optimizing, for the comment
/// on its new weight: `weight = { max = "40%" }` or `amount = 20000`.
fn was_written(table: &toml_edit::Table) -> String {
    let one_line = |key: &str, v: &Value| {
        let mut v = v.clone();
        v.decor_mut().clear();
        format!("{key} = {}", v.to_string().replace(['\n', '\r'], " "))
    };
    if let Some(v) = table.get("weight").and_then(Item::as_value) {
        one_line("weight", v)
    } else if let Some(v) = table.get("amount").and_then(Item::as_value) {
        one_line("amount", v)
    } else {
        "no weight".to_string()
    }
}

/// A weight as a percent string: 0.1234 → "12.34%".
fn percent(w: Decimal) -> String {
    format!("{}%", (w * Decimal::ONE_HUNDRED).normalize())
}

/// `text` with each `[[position]]` sized as `sizes` says (one per position,
/// in order, then one per `added` position); positions sized
/// [`Sizing::Zero`] are left out and named in a closing comment, with `note`
/// (a line saying where the weights came from). Added positions chosen above
/// zero are written at the end, and `[rates] pools` is set to `pools` for
/// them.
///
/// # Errors
/// The text is not TOML, its positions are not one `[[position]]` table
/// each, or added positions need `pools` where the profile names another.
pub fn rewrite_weights(
    text: &str,
    sizes: &[Sizing],
    names: &[String],
    added: &[NewPosition],
    pools: &str,
    note: &str,
) -> Result<String, RewriteError> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| RewriteError::Syntax(e.message().to_string()))?;
    let positions = doc
        .get_mut("position")
        .and_then(Item::as_array_of_tables_mut)
        .ok_or(RewriteError::Shape)?;
    if positions.len() + added.len() != sizes.len() {
        return Err(RewriteError::Shape);
    }
    let own = positions.len();
    let mut dropped = Vec::new();
    for (i, (table, size)) in positions.iter_mut().zip(sizes).enumerate() {
        let new = match size {
            Sizing::Keep => continue,
            Sizing::Zero => {
                dropped.push(i);
                continue;
            }
            Sizing::Weight(w) => percent(*w),
            // Already "rest": the line stays as written.
            Sizing::Rest if table.get("weight").and_then(Item::as_str) == Some("rest") => continue,
            Sizing::Rest => "rest".to_string(),
        };
        let mut value = Value::from(new);
        let was = was_written(table);
        if let Some(old) = table.get("weight").and_then(Item::as_value) {
            // Keep the space before the value; the comment after it spoke of
            // the old value, so it gives way to what the line was.
            value.decor_mut().set_prefix(
                old.decor()
                    .prefix()
                    .and_then(toml_edit::RawString::as_str)
                    .unwrap_or(" ")
                    .to_string(),
            );
        }
        value
            .decor_mut()
            .set_suffix(format!("  # optimize chose this; was {was}"));
        table.remove("amount");
        table.insert("weight", Item::Value(value));
    }
    for i in dropped.iter().rev() {
        positions.remove(*i);
    }
    let mut wrote_added = false;
    for (p, size) in added.iter().zip(&sizes[own..]) {
        let Sizing::Weight(w) = *size else {
            continue;
        };
        let mut t = toml_edit::Table::new();
        t.insert("name", toml_edit::value(p.name.as_str()));
        t.insert("strategy", toml_edit::value(p.strategy.name()));
        t.insert("pool_id", toml_edit::value(p.pool_id.as_str()));
        t.insert("weight", toml_edit::value(percent(w)));
        positions.push(t);
        wrote_added = true;
    }
    if wrote_added {
        set_pools(&mut doc, pools)?;
    }
    let mut trailing = doc.trailing().as_str().unwrap_or_default().to_string();
    let _ = write!(
        trailing,
        "\n# {note}\n# This file is a plan: its weights are fixed. To optimize again, start from\n# the original profile, or put back the ranges noted beside each weight.\n"
    );
    if !dropped.is_empty() {
        let left: Vec<String> = dropped
            .iter()
            .map(|i| format!("\"{}\"", names.get(*i).map_or("", String::as_str)))
            .collect();
        let _ = writeln!(trailing, "# Left out (chosen at 0%): {}", left.join(", "));
    }
    doc.set_trailing(trailing);
    Ok(doc.to_string())
}

/// Sets `[rates] pools`, unless the profile already names that file.
fn set_pools(doc: &mut DocumentMut, pools: &str) -> Result<(), RewriteError> {
    let rates = doc
        .entry("rates")
        .or_insert_with(|| Item::Table(toml_edit::Table::new()));
    let Some(rates) = rates.as_table_like_mut() else {
        return Err(RewriteError::Shape);
    };
    match rates.get("pools").and_then(Item::as_str) {
        Some(existing) if existing == pools => Ok(()),
        Some(existing) => Err(RewriteError::PoolsTaken(existing.to_string())),
        None => {
            rates.insert("pools", toml_edit::value(pools));
            Ok(())
        }
    }
}

/// `new` (a profile's text as rewritten, with `\n` line ends) laid out as
/// `original` was: `\r\n` line ends when the original used them, and its
/// byte-order mark when it began with one.
#[must_use]
pub fn with_layout_of(original: &str, new: &str) -> String {
    let mut out = if original.contains("\r\n") {
        new.replace("\r\n", "\n").replace('\n', "\r\n")
    } else {
        new.to_string()
    };
    if original.starts_with('\u{feff}') && !out.starts_with('\u{feff}') {
        out.insert(0, '\u{feff}');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# my plan\n[portfolio]\nvalue = 100\n\n# first\n[[position]]\nname = \"A\"\nweight = { max = \"80%\" }  # range\n\n# second\n[[position]]\nname = \"B\"\namount = 20\n\n[[position]]\nname = \"C\"\nweight = \"rest\"\n";

    #[test]
    fn weights_are_written_and_comments_kept() {
        let out = rewrite_weights(
            TEXT,
            &[
                Sizing::Weight(Decimal::new(8, 1)),
                Sizing::Keep,
                Sizing::Zero,
            ],
            &["A".into(), "B".into(), "C".into()],
            &[],
            "",
            "chosen.",
        )
        .unwrap();
        assert!(out.starts_with("# my plan\n"));
        // The stale comment gives way to the range the line had.
        assert!(
            out.contains(
                "# first\n[[position]]\nname = \"A\"\nweight = \"80%\"  # optimize chose this; was weight = { max = \"80%\" }\n"
            ),
            "{out}"
        );
        assert!(!out.contains("# range"));
        assert!(out.contains("To optimize again"));
        assert!(out.contains("amount = 20"));
        assert!(!out.contains("name = \"C\""));
        assert!(out.contains("# Left out (chosen at 0%): \"C\""));
        // What was written is still TOML with two positions.
        let doc: DocumentMut = out.parse().unwrap();
        assert_eq!(doc["position"].as_array_of_tables().unwrap().len(), 2);
    }

    #[test]
    fn candidates_need_the_profiles_own_snapshot_or_none() {
        let added = [NewPosition {
            name: "pool".into(),
            strategy: crate::model::Strategy::Lending,
            pool_id: "p1".into(),
        }];
        let text = format!("{TEXT}[rates]\npools = \"other.json\"\n");
        let sizes = [
            Sizing::Keep,
            Sizing::Keep,
            Sizing::Keep,
            Sizing::Weight(Decimal::new(1, 1)),
        ];
        let names = ["A".into(), "B".into(), "C".into()];
        assert_eq!(
            rewrite_weights(&text, &sizes, &names, &added, "pools.json", ""),
            Err(RewriteError::PoolsTaken("other.json".into()))
        );
        let out = rewrite_weights(TEXT, &sizes, &names, &added, "pools.json", "").unwrap();
        assert!(out.contains("pool_id = \"p1\"\nweight = \"10%\""), "{out}");
        assert!(out.contains("[rates]\npools = \"pools.json\""), "{out}");
    }
}
