//! Tables for people, drawn with comfy-table. No colour, no dependence on the
//! terminal's width: the same report always gives the same text.

use comfy_table::{CellAlignment, ContentArrangement, Table, presets};

use super::{Document, Grid, Renderer, Section};

pub struct TableRenderer;

fn draw(grid: &Grid) -> String {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(grid.headers.iter().map(|h| h.title));
    let rows = grid.rows.iter().chain(grid.footer.iter());
    for row in rows {
        t.add_row(row.iter().map(|c| c.text.as_str()));
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

impl Renderer for TableRenderer {
    fn render(&self, doc: &Document) -> String {
        let mut out = String::new();
        out.push_str(&doc.title);
        out.push('\n');
        for line in &doc.lines {
            out.push_str(line);
            out.push('\n');
        }
        for section in &doc.sections {
            out.push('\n');
            match section {
                Section::Grid(g) => {
                    out.push_str(&g.title);
                    out.push('\n');
                    out.push_str(&draw(g));
                    out.push('\n');
                }
                Section::Fields { title, rows } => {
                    out.push_str(title);
                    out.push('\n');
                    let width = rows
                        .iter()
                        .map(|(k, _)| k.chars().count())
                        .max()
                        .unwrap_or(0);
                    for (k, v) in rows {
                        out.push_str(&format!("  {k:<width$}  {v}\n"));
                    }
                }
                Section::Notes { title, items } => {
                    out.push_str(title);
                    out.push('\n');
                    for item in items {
                        out.push_str(&format!("  {item}\n"));
                    }
                }
            }
        }
        out
    }
}
