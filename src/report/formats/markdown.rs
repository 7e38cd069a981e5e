//! Markdown for CI job summaries and pull-request comments: the title as a
//! heading, each section under its own heading, grids and fields as tables.

use std::fmt::Write;

use super::Renderer;
use crate::report::document::{Document, Grid, Section};

/// Writes a document as Markdown.
pub struct MarkdownRenderer;

/// Escapes the characters that would break a Markdown table cell.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\n', " ")
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
            .map(|c| format!("**{}**", escape(&c.text)))
            .collect();
        out.push_str(&table_row(&cells));
    }
    out
}

/// One section under its `##` heading.
fn section(section: &Section) -> String {
    match section {
        Section::Grid(g) => format!("## {}\n\n{}", escape(&g.title), draw(g)),
        Section::Fields { title, rows } => {
            let mut out = format!("## {}\n\n| | |\n| --- | --- |\n", escape(title));
            for (k, v) in rows {
                out.push_str(&table_row(&[escape(k), escape(v)]));
            }
            out
        }
        Section::Notes { title, items } => {
            let mut out = format!("## {}\n\n", escape(title));
            for item in items {
                // Writing to a String cannot fail.
                let _ = writeln!(out, "- {}", escape(item));
            }
            out
        }
    }
}

impl Renderer for MarkdownRenderer {
    fn render(&self, doc: &Document) -> String {
        let mut out = format!("# {}\n\n", escape(&doc.title));
        for line in &doc.lines {
            out.push_str(&escape(line));
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
}
