//! CSV of a report's main grid, with raw numbers (exact decimals, fractions
//! for rates) under snake_case keys, for spreadsheets and scripts.

use super::{Document, Renderer};

pub struct CsvRenderer;

/// Quotes a field when it holds a comma, a quote or a line break (RFC 4180).
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

impl Renderer for CsvRenderer {
    fn render(&self, doc: &Document) -> String {
        let Some(grid) = doc.primary() else {
            return String::new();
        };
        let mut out = String::new();
        let keys: Vec<String> = grid
            .headers
            .iter()
            .flat_map(|h| h.keys.iter().map(|k| field(k)))
            .collect();
        out.push_str(&keys.join(","));
        out.push('\n');
        for row in grid.rows.iter().chain(grid.footer.iter()) {
            let cells: Vec<String> = row
                .iter()
                .flat_map(|c| c.raw.iter().map(|r| field(r)))
                .collect();
            out.push_str(&cells.join(","));
            out.push('\n');
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
