//! Tables for people, drawn with comfy-table. With the default
//! [`TableStyle`] there is no colour and no dependence on a width: the same
//! report always gives the same text (what scripts and snapshots see). A
//! width makes each table fit it (comfy-table's dynamic arrangement wraps
//! cells) and leaves out detail columns; colour makes headers bold and goal
//! statuses green, yellow or red. The caller decides both; nothing here asks
//! the terminal.

use std::fmt::Write;

use comfy_table::{
    Attribute, CellAlignment, Color, ColumnConstraint, ContentArrangement, Table, Width, presets,
};

use super::Renderer;
use crate::printable::printable;
use crate::report::document::{Cell, Document, Grid, Section};

/// How tables are drawn.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TableStyle {
    /// Fit every table in this many columns (characters), leaving out detail
    /// columns unless `wide`; `None`: no limit, every column.
    pub width: Option<u16>,
    /// Keep the detail columns even when fitting a width.
    pub wide: bool,
    /// Bold headers and coloured goal statuses (ANSI escape codes).
    pub color: bool,
}

/// Writes a document as plain-text tables.
pub struct TableRenderer {
    /// How to draw them.
    pub style: TableStyle,
}

/// The colour of a goal status or verdict word, if the cell is one.
fn status_color(text: &str) -> Option<Color> {
    match text {
        "meets" | "pass" | "ok" => Some(Color::Green),
        "likely" | "at-risk" => Some(Color::Yellow),
        "short" | "fail" => Some(Color::Red),
        _ => None,
    }
}

/// A cell of a table in `style`.
fn styled(cell: &Cell, style: TableStyle) -> comfy_table::Cell {
    let out = comfy_table::Cell::new(printable(&cell.text));
    match status_color(&cell.text) {
        Some(color) if style.color => out.fg(color),
        _ => out,
    }
}

/// A grid as a box-drawn table, numbers right-aligned, the footer as a last
/// row; fitted to the style's width, without detail columns, when it has one.
fn draw(grid: &Grid, style: TableStyle) -> String {
    let keep: Vec<usize> = (0..grid.headers.len())
        .filter(|&i| style.wide || style.width.is_none() || !grid.headers[i].detail)
        .collect();
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    match style.width {
        Some(w) => t
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(w),
        None => t.set_content_arrangement(ContentArrangement::Disabled),
    };
    if style.color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    t.set_header(keep.iter().map(|&i| {
        let h = comfy_table::Cell::new(printable(grid.headers[i].title));
        if style.color {
            h.add_attribute(Attribute::Bold)
        } else {
            h
        }
    }));
    let rows = grid.rows.iter().chain(grid.footer.iter());
    for row in rows {
        t.add_row(
            keep.iter()
                .filter_map(|&i| row.get(i))
                .map(|c| styled(c, style)),
        );
    }
    for (to, &from) in keep.iter().enumerate() {
        if !grid.headers[from].right {
            continue;
        }
        // A number is never broken over lines: when the table must fit a
        // width, its header wraps and text columns give way instead.
        let widest = grid
            .rows
            .iter()
            .chain(grid.footer.iter())
            .filter_map(|row| row.get(from))
            .map(|c| printable(&c.text).chars().count())
            .max()
            .unwrap_or(0);
        if let Some(col) = t.column_mut(to) {
            col.set_cell_alignment(CellAlignment::Right);
            if style.width.is_some() {
                // The boundary counts the padding of one space either side.
                let widest = u16::try_from(widest + 2).unwrap_or(u16::MAX);
                col.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(widest)));
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
fn section(section: &Section, style: TableStyle) -> String {
    match section {
        Section::Grid(g) => format!("{}\n{}\n", printable(&g.title), draw(g, style)),
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
            out.push_str(&section(s, self.style));
        }
        out
    }
}
