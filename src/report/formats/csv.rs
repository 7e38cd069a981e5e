//! CSV of a report's main grid, with raw numbers (exact decimals, fractions
//! for rates) under `snake_case` keys, for spreadsheets and scripts. Only the
//! first grid is written; titles, fields and notes are left out (a report
//! with no grid is written as its labelled values instead). Records
//! follow RFC 4180 (written by the `csv` crate); control characters inside a
//! field are escaped (see [`printable`]) so a record is always one line.
//!
//! Text from a user's files (names of positions, protocols, pools, symbols,
//! messages that quote them) may start like a spreadsheet formula: a field
//! that starts with `=`, `+`, `-`, `@`, a tab or a carriage return and is
//! not a number gets a leading `'` (OWASP's advice on CSV injection), so a
//! spreadsheet shows it as text instead of running it. A number (`-0.0594`,
//! `-1175.14`) is left as it is, so it stays a number, and so is a lone `-`
//! (the mark for "none"), which no spreadsheet reads as a formula.

use std::borrow::Cow;

use super::Renderer;
use crate::printable::printable;
use crate::report::document::{Document, Section};

/// Writes the document's first grid as CSV (RFC 4180).
pub struct CsvRenderer;

/// The records as CSV text: quoted where needed, CRLF-free (`\n` ends a record).
fn write<'a>(records: impl Iterator<Item = Vec<&'a str>>) -> String {
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for record in records {
        let fields: Vec<String> = record.iter().map(|f| cell(f).into_owned()).collect();
        // Writing to memory cannot fail.
        let _ = writer.write_record(&fields);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// The characters a spreadsheet takes as the start of a formula (OWASP's
/// list for CSV injection).
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether `field` is a number as a spreadsheet reads one (`-0.05`,
/// `1e306`): digits, a sign, a point, an exponent and nothing else.
fn is_number(field: &str) -> bool {
    field
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        && field.parse::<f64>().is_ok()
}

/// One field as written: control characters escaped, and text that starts
/// like a formula behind a `'` (a number is left a number, and a lone `-`,
/// the reports' mark for "none", is no formula).
fn cell(field: &str) -> Cow<'_, str> {
    let shown = printable(field);
    if field.starts_with(FORMULA_START) && !is_number(field) && field != "-" {
        Cow::Owned(format!("'{shown}"))
    } else {
        shown
    }
}

/// A document without a grid (e.g. `il`) as `section,field,value` records
/// of its labelled values, so CSV is never empty: the raw value of a row
/// when the section has them, else the value as shown.
fn fields(doc: &Document) -> String {
    let rows = doc.sections.iter().flat_map(|s| match s {
        Section::Fields { title, rows, raws } => rows
            .iter()
            .enumerate()
            .map(|(i, (k, v))| {
                let value = raws
                    .get(i)
                    .filter(|_| raws.len() == rows.len())
                    .unwrap_or(v);
                vec![title.as_str(), k.as_str(), value.as_str()]
            })
            .collect(),
        _ => Vec::new(),
    });
    write(std::iter::once(vec!["section", "field", "value"]).chain(rows))
}

impl Renderer for CsvRenderer {
    fn render(&self, doc: &Document) -> String {
        let Some(grid) = doc.primary() else {
            return fields(doc);
        };
        let header = grid
            .headers
            .iter()
            .flat_map(|h| h.keys.iter().copied())
            .collect::<Vec<&str>>();
        let rows = grid.rows.iter().chain(grid.footer.iter()).map(|row| {
            row.iter()
                .flat_map(|c| c.raw.iter().map(String::as_str))
                .collect::<Vec<&str>>()
        });
        write(std::iter::once(header).chain(rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        let text = write([vec!["plain", "a,b", "say \"hi\"", "esc\u{1b}[0m\r\nx"]].into_iter());
        assert_eq!(
            text,
            "plain,\"a,b\",\"say \"\"hi\"\"\",esc\\u{1b}[0m\\r\\nx\n"
        );
    }

    /// Text that starts like a formula is kept as text; numbers, negative
    /// ones included, stay numbers.
    #[test]
    fn formulas_are_neutralised_and_numbers_are_not() {
        let text = write(
            [vec![
                "=HYPERLINK(\"http://x\",\"y\")",
                "+1+2",
                "-2+3",
                "@SUM(A1)",
                "\tcmd",
                "\rcmd",
                "-",
                "-0.0594",
                "-1175.14",
                "+5",
                "1e306",
                "a=b",
            ]]
            .into_iter(),
        );
        assert_eq!(
            text,
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'+1+2,'-2+3,'@SUM(A1),'\\tcmd,'\\rcmd,-,-0.0594,-1175.14,+5,1e306,a=b\n"
        );
    }
}
