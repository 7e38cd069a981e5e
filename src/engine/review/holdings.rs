//! What is actually held now, per position: a CSV with the header
//! `position,value`, or TOML with a `[holdings]` table of
//! `"position name" = value`. Values are in the portfolio's currency, at
//! least zero, in whole cents (see [`crate::money::read_amount`]). Blanks
//! around a name are not part of it, in both forms alike (as a profile's
//! `name` is trimmed). A position the plan does not have, one named twice,
//! or a value that is not such an amount is refused with its line.
//! Pure: it reads text handed to it.

use std::ops::Range;
use std::path::Path;

use rust_decimal::Decimal;
use toml::de::{DeTable, DeValue};

use super::fields::{amount, csv_problem, field_at, line_at};
use crate::error::{Diagnostic, Diagnostics, nearest, shorten};
use crate::money::Money;

/// Holdings by position name, in the order given.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Holdings {
    /// Position name and value held.
    pub rows: Vec<(String, Money)>,
}

impl Holdings {
    /// What is held of `position` (zero when it is not listed).
    #[must_use]
    pub fn of(&self, position: &str) -> Money {
        self.rows
            .iter()
            .find(|(n, _)| n == position)
            .map_or(Money::ZERO, |(_, v)| *v)
    }

    /// What is held of each of `positions`, in their order (zero for one
    /// not listed): [`Holdings::of`] for many, in linear time.
    #[must_use]
    pub fn of_each(&self, positions: &[String]) -> Vec<Money> {
        let by_name: std::collections::HashMap<&str, Money> = self
            .rows
            .iter()
            .rev()
            .map(|(n, v)| (n.as_str(), *v))
            .collect();
        positions
            .iter()
            .map(|p| by_name.get(p.as_str()).copied().unwrap_or(Money::ZERO))
            .collect()
    }
}

/// Collects rows and the problems found.
struct Collector<'a> {
    known: &'a [String],
    /// `known`, to look names up.
    names: std::collections::HashSet<&'a str>,
    /// Where each name listed so far is in `rows`.
    listed: std::collections::HashMap<String, usize>,
    rows: Vec<(String, Money)>,
    first: Vec<Range<usize>>,
    problems: Vec<Diagnostic>,
}

impl Collector<'_> {
    fn add(
        &mut self,
        name: &str,
        name_span: Range<usize>,
        value: Result<Decimal, String>,
        value_span: Range<usize>,
        written: &str,
    ) {
        if !self.names.contains(name) {
            let help = match nearest(name, self.known.iter().map(String::as_str)) {
                Some(n) => format!("did you mean \"{n}\"? Names are the plan's position names"),
                None => {
                    let quoted: Vec<String> = self
                        .known
                        .iter()
                        .take(10)
                        .map(|k| format!("\"{k}\""))
                        .collect();
                    let more = self.known.len().saturating_sub(quoted.len());
                    format!(
                        "use the plan's position names: {}{}",
                        quoted.join(", "),
                        if more > 0 {
                            format!(" and {more} more")
                        } else {
                            String::new()
                        }
                    )
                }
            };
            self.problems.push(
                Diagnostic::at(
                    name_span,
                    format!("no position is named \"{}\" in the profile", shorten(name)),
                )
                .with_help(help),
            );
            return;
        }
        if let Some(&i) = self.listed.get(name) {
            self.problems.push(
                Diagnostic::at(
                    name_span,
                    format!("position \"{}\" is listed twice", shorten(name)),
                )
                .with_related(self.first[i].clone(), "first listed here")
                .with_help("list each position once, with its whole value"),
            );
            return;
        }
        let v = match value {
            Ok(v) => v,
            Err(why) => {
                self.problems.push(
                    Diagnostic::at(value_span, format!("the value {} of \"{}\" {why}", quoted(written), shorten(name)))
                        .with_help("write what is held in the portfolio's currency, at least 0, in whole cents, e.g. 12500.50"),
                );
                return;
            }
        };
        self.listed.insert(name.to_string(), self.rows.len());
        self.rows.push((name.to_string(), Money(v)));
        self.first.push(name_span);
    }
}

/// `written` in double quotes, unless it already is (a TOML string).
fn quoted(written: &str) -> String {
    let w = shorten(written);
    if w.starts_with('"') {
        w
    } else {
        format!("\"{w}\"")
    }
}

/// Reads holdings from `text` (the file at `path`: CSV unless its name ends
/// in `.toml`), checking each name against the plan's positions `known`.
///
/// # Errors
/// The file is not of the form above, or names an unknown position, names
/// one twice, or gives a value that is negative, not finite, or not in
/// whole cents: every problem with its line.
pub fn read_holdings(path: &Path, text: &str, known: &[String]) -> Result<Holdings, Diagnostics> {
    let mut c = Collector {
        known,
        names: known.iter().map(String::as_str).collect(),
        listed: std::collections::HashMap::new(),
        rows: Vec::new(),
        first: Vec::new(),
        problems: Vec::new(),
    };
    let toml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    if toml {
        read_toml(text, &mut c);
    } else {
        read_csv(text, &mut c);
    }
    if c.problems.is_empty() {
        Ok(Holdings { rows: c.rows })
    } else {
        Err(Diagnostics::new(path, text, "holdings file", c.problems))
    }
}

fn read_csv(text: &str, c: &mut Collector<'_>) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header_ok = reader
        .headers()
        .is_ok_and(|h| h.len() == 2 && &h[0] == "position" && &h[1] == "value");
    if !header_ok {
        c.problems.push(
            Diagnostic::at(line_at(text, 0), "the holdings file does not start with the header `position,value`")
                .with_help("write `position,value` on the first line, then one position per line, or use a .toml file with a [holdings] table"),
        );
        return;
    }
    for record in reader.records() {
        match record {
            Ok(r) => {
                let at = r
                    .position()
                    .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(0));
                let line = line_at(text, at);
                if r.len() != 2 {
                    c.problems.push(super::fields::wrong_length(
                        text,
                        line,
                        ("a holdings line", r.len(), 2),
                        "write `position name,value`; quote a name that holds a comma",
                    ));
                    continue;
                }
                let spans = (field_at(text, &line, 0), field_at(text, &line, 1));
                c.add(&r[0], spans.0, amount(&r[1]), spans.1, &r[1]);
            }
            Err(e) => {
                c.problems.push(csv_problem(
                    text,
                    &e,
                    ("holdings", "a holdings line", 2),
                    "write `position name,value` on each line; quote a name that holds a comma",
                ));
            }
        }
    }
}

fn read_toml(text: &str, c: &mut Collector<'_>) {
    if let Some(d) = crate::toml_budget::over_budget(text, "holdings file")
        .or_else(|| crate::toml_budget::lone_carriage_return(text, "holdings file"))
    {
        c.problems.push(d);
        return;
    }
    let root = match DeTable::parse(text) {
        Ok(r) => r,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            c.problems.push(
                Diagnostic::at(
                    span,
                    format!("the holdings file is not valid TOML: {}", e.message()),
                )
                .with_help("write [holdings] then one `\"position name\" = value` per line"),
            );
            return;
        }
    };
    let root = root.get_ref();
    let Some(table) = root.get("holdings") else {
        c.problems.push(
            Diagnostic::new(None, "the holdings file has no [holdings] table")
                .with_help("write [holdings] then one `\"position name\" = value` per line"),
        );
        return;
    };
    for (key, _) in root.iter().filter(|(k, _)| k.get_ref() != "holdings") {
        c.problems.push(
            Diagnostic::at(
                key.span(),
                format!(
                    "unknown key `{}` in the holdings file",
                    shorten(key.get_ref())
                ),
            )
            .with_help("put every position under [holdings]"),
        );
    }
    let DeValue::Table(items) = table.get_ref() else {
        c.problems.push(
            Diagnostic::at(table.span(), "`holdings` is not a table")
                .with_help("write [holdings] then one `\"position name\" = value` per line"),
        );
        return;
    };
    for (key, value) in items {
        let written = &text[value.span().start.min(text.len())..value.span().end.min(text.len())];
        let number = match value.get_ref() {
            // 0x, 0o and 0b integers are whole numbers, as in a profile.
            DeValue::Integer(i) if i.radix() != 10 => i64::from_str_radix(i.as_str(), i.radix())
                .map_err(|_| "is too large (above 10^15)".to_string())
                .and_then(|v| amount(&v.to_string())),
            DeValue::Integer(_) | DeValue::Float(_) => amount(written.trim()),
            DeValue::String(_) => {
                Err("is text in quotes; write the number without quotes".to_string())
            }
            _ => Err("is not a number".to_string()),
        };
        // Blanks around a name are not part of it, as in the CSV form and
        // in a profile's `name`.
        c.add(
            key.get_ref().trim(),
            key.span(),
            number,
            value.span(),
            written,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Vec<String> {
        vec!["ETH staking".into(), "USDC, lent".into()]
    }

    #[test]
    fn csv_and_toml_read_the_same() {
        let csv = "position,value\nETH staking,1000.50\n\"USDC, lent\",250\n";
        let toml = "[holdings]\n\"ETH staking\" = 1000.50\n\"USDC, lent\" = 250\n";
        let a = read_holdings(Path::new("h.csv"), csv, &known()).unwrap();
        let b = read_holdings(Path::new("h.toml"), toml, &known()).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.of("ETH staking"), Money(Decimal::new(100_050, 2)));
    }

    #[test]
    fn unknown_duplicate_and_negative_are_reported_with_lines() {
        let csv = "position,value\nETH stakin,1\nUSDC, lent,2\nETH staking,-3\n";
        let e = read_holdings(Path::new("h.csv"), csv, &known()).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("h.csv:2:1"), "{text}");
        assert!(text.contains("did you mean \"ETH staking\""), "{text}");
        assert!(text.contains("h.csv:3:1"), "{text}");
        assert!(text.contains("is negative"), "{text}");
        let dup = "position,value\nETH staking,1\nETH staking,2\n";
        let text = read_holdings(Path::new("h.csv"), dup, &known())
            .unwrap_err()
            .to_string();
        assert!(
            text.contains("listed twice") && text.contains("h.csv:3:1"),
            "{text}"
        );
    }

    #[test]
    fn non_finite_and_sub_cent_values_are_refused() {
        for v in ["nan", "inf", "1.001", "1e400"] {
            let csv = format!("position,value\nETH staking,{v}\n");
            assert!(
                read_holdings(Path::new("h.csv"), &csv, &known()).is_err(),
                "{v}"
            );
        }
        let toml = "[holdings]\n\"ETH staking\" = nan\n";
        assert!(read_holdings(Path::new("h.toml"), toml, &known()).is_err());
    }
}
