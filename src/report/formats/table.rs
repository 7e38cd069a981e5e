//! Tables for people, drawn with comfy-table. No colour, no dependence on the
//! terminal's width: the same report always gives the same text.

use std::fmt::Write;

use comfy_table::{CellAlignment, ContentArrangement, Table, presets};

use super::Renderer;
use crate::printable::printable;
use crate::report::document::{Document, Grid, Section};

/// Writes a document as plain-text tables.
pub struct TableRenderer;

/// A grid as a box-drawn table, numbers right-aligned, the footer as a last row.
fn draw(grid: &Grid) -> String {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(grid.headers.iter().map(|h| printable(h.title)));
    let rows = grid.rows.iter().chain(grid.footer.iter());
    for row in rows {
        t.add_row(row.iter().map(|c| printable(&c.text)));
    }
    for (i, h) in grid.headers.iter().enumerate() {
        if h.right {
            if let Some(col) = t.column_mut(i) {
                col.set_cell_alignment(CellAlignment::Right);
            }
        }
    }
    t.to_string()
}

/// Labelled values, the labels padded to one width.
fn fields(rows: &[(String, String)]) -> String {
    let width = rows
        .iter()
        .map(|(k, _)| printable(k).chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (k, v) in rows {
        // Writing to a String cannot fail.
        let _ = writeln!(out, "  {:<width$}  {}", printable(k), printable(v));
    }
    out
}

/// One section: its title on a line, then its body.
fn section(section: &Section) -> String {
    match section {
        Section::Grid(g) => format!("{}\n{}\n", printable(&g.title), draw(g)),
        Section::Fields { title, rows } => format!("{}\n{}", printable(title), fields(rows)),
        Section::Notes { title, items } => {
            let mut out = format!("{}\n", printable(title));
            for item in items {
                let _ = writeln!(out, "  {}", printable(item));
            }
            out
        }
    }
}

impl Renderer for TableRenderer {
    fn render(&self, doc: &Document) -> String {
        let mut out = format!("{}\n", printable(&doc.title));
        for line in &doc.lines {
            out.push_str(&printable(line));
            out.push('\n');
        }
        for s in &doc.sections {
            out.push('\n');
            out.push_str(&section(s));
        }
        out
    }
}
