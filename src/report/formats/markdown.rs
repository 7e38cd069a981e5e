//! Markdown for CI job summaries and pull-request comments: the title as a
//! heading, each section under its own heading, grids and fields as tables.

use std::fmt::Write;

use super::Renderer;
use crate::printable::printable;
use crate::report::document::{Document, Grid, Section};

/// Writes a document as Markdown.
pub struct MarkdownRenderer;

/// Text shown as itself inside a Markdown line: control characters escaped
/// (see [`printable`]), then a backslash before every character that could
/// start emphasis, code, raw HTML, an entity, strikethrough or a table cell,
/// and before a `]` that would close a link (`](`, `][`).
fn escape(text: &str) -> String {
    let text = printable(text);
    let mut out = String::with_capacity(text.len() + 4);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let special = matches!(c, '\\' | '|' | '*' | '_' | '`' | '<' | '~' | '&')
            || (c == ']' && matches!(chars.peek(), Some('(' | '[')));
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// As [`escape`], for text that starts a block (a heading, a list item, a
/// line): also escapes a first character that would open a heading, list,
/// rule or link definition.
fn escape_line(text: &str) -> String {
    let out = escape(text);
    let opens_block = out.starts_with(['#', '+', '-', '=', '[']);
    let numbered = out
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .starts_with(['.', ')'])
        && out.starts_with(|c: char| c.is_ascii_digit());
    if opens_block {
        format!("\\{out}")
    } else if numbered {
        let digits = out.len() - out.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        format!("{}\\{}", &out[..digits], &out[digits..])
    } else {
        out
    }
}

/// One table row: the cells between pipes, and a line break.
fn table_row(cells: &[String]) -> String {
    format!("| {} |\n", cells.join(" | "))
}

/// A grid as a Markdown table, numbers right-aligned and the footer in bold.
fn draw(grid: &Grid) -> String {
    let titles: Vec<String> = grid.headers.iter().map(|h| escape(h.title)).collect();
    let rule: Vec<String> = grid
        .headers
        .iter()
        .map(|h| if h.right { "---:" } else { "---" }.to_string())
        .collect();
    let mut out = table_row(&titles) + &table_row(&rule);
    for row in &grid.rows {
        let cells: Vec<String> = row.iter().map(|c| escape(&c.text)).collect();
        out.push_str(&table_row(&cells));
    }
    if let Some(row) = &grid.footer {
        let cells: Vec<String> = row
            .iter()
            .map(|c| match escape(&c.text) {
                // Empty emphasis (`****`) would show literally.
                t if t.trim().is_empty() => String::new(),
                t => format!("**{t}**"),
            })
            .collect();
        out.push_str(&table_row(&cells));
    }
    out
}

/// One section under its `##` heading.
fn section(section: &Section) -> String {
    match section {
        Section::Grid(g) => format!("## {}\n\n{}", escape_line(&g.title), draw(g)),
        Section::Fields { title, rows, .. } => {
            let mut out = format!("## {}\n\n| | |\n| --- | --- |\n", escape_line(title));
            for (k, v) in rows {
                out.push_str(&table_row(&[escape(k), escape(v)]));
            }
            out
        }
        Section::Notes { title, items } => {
            let mut out = format!("## {}\n\n", escape_line(title));
            for item in items {
                // Writing to a String cannot fail.
                let _ = writeln!(out, "- {}", escape_line(item));
            }
            out
        }
    }
}

impl Renderer for MarkdownRenderer {
    fn render(&self, doc: &Document) -> String {
        let mut out = format!("# {}\n\n", escape_line(&doc.title));
        // Each line its own paragraph: lines one after another would be
        // joined into one by a Markdown renderer.
        for (i, line) in doc.lines.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&escape_line(line));
            out.push('\n');
        }
        for s in &doc.sections {
            out.push('\n');
            out.push_str(&section(s));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipes_in_cells_are_escaped() {
        assert_eq!(escape("a|b"), "a\\|b");
    }

    #[test]
    fn markup_and_control_characters_are_escaped() {
        assert_eq!(escape("<b>*x*</b> ->"), "\\<b>\\*x\\*\\</b> ->");
        assert_eq!(escape_line("# h"), "\\# h");
        assert_eq!(escape_line("1. x"), "1\\. x");
        assert_eq!(escape("[a](javascript:x)"), "[a\\](javascript:x)");
        assert_eq!(escape("warning[lint]: -5%"), "warning[lint]: -5%");
        // The escape's own backslash is escaped, so it renders as `a\u{1b}[0m\nb`.
        assert_eq!(escape("a\u{1b}[0m\nb"), "a\\\\u{1b}[0m\\\\nb");
    }
}
