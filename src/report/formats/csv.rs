//! CSV of a report's main grid, with raw numbers (exact decimals, fractions
//! for rates) under `snake_case` keys, for spreadsheets and scripts. Only the
//! first grid is written; titles, fields and notes are left out.

use super::Renderer;
use crate::report::document::Document;

/// Writes the document's first grid as CSV (RFC 4180).
pub struct CsvRenderer;

/// Quotes a field when it holds a comma, a quote or a line break (RFC 4180).
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// One CSV record: the fields quoted where needed, joined by commas, and a
/// line break.
fn record<'a>(fields: impl Iterator<Item = &'a str>) -> String {
    let mut line = fields.map(field).collect::<Vec<_>>().join(",");
    line.push('\n');
    line
}

impl Renderer for CsvRenderer {
    fn render(&self, doc: &Document) -> String {
        let Some(grid) = doc.primary() else {
            return String::new();
        };
        let mut out = record(grid.headers.iter().flat_map(|h| h.keys.iter().copied()));
        for row in grid.rows.iter().chain(grid.footer.iter()) {
            out.push_str(&record(
                row.iter().flat_map(|c| c.raw.iter().map(String::as_str)),
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
