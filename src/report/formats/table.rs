//! Tables for people, drawn with comfy-table. With the default
//! [`TableStyle`] there is no colour and no dependence on a width: the same
//! report always gives the same text (what scripts and snapshots see). A
//! width makes each table fit it (comfy-table's dynamic arrangement wraps
//! cells) and leaves out detail columns; colour makes headers bold and goal
//! statuses green, yellow or red. The caller decides both; nothing here asks
//! the terminal.

use std::borrow::Cow;
use std::fmt::Write;

use comfy_table::{Attribute, CellAlignment, Color, ContentArrangement, Table, presets};

use super::Renderer;
use super::fit::{Need, fit_columns, table_width, width_of, wrap, wrap_indented};
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

/// The columns to draw and their content widths (`None`: as wide as their
/// text) for `grid` in `style`, and the titles of the columns left out so
/// the table fits. A table that fits the width as it is keeps every column;
/// otherwise its detail columns go first (unless wide), then, when the rest
/// still does not fit, whole columns as [`fit_columns`] chooses. Every column
/// left out is named, detail columns too.
fn layout(grid: &Grid, style: TableStyle) -> (Vec<usize>, Option<Vec<usize>>, Vec<&'static str>) {
    let all: Vec<usize> = (0..grid.headers.len()).collect();
    let Some(width) = style.width else {
        return (all, None, Vec::new());
    };
    let rows: Vec<&Vec<Cell>> = grid.rows.iter().chain(grid.footer.iter()).collect();
    let needs: Vec<Need> = all
        .iter()
        .map(|&i| {
            let h = &grid.headers[i];
            let cells: Vec<String> = rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|c| printable(&c.text).into_owned())
                .collect();
            Need::of(
                &printable(h.title),
                cells.iter().map(String::as_str),
                h.right,
            )
        })
        .collect();
    let natural: Vec<usize> = needs.iter().map(|n| n.natural).collect();
    let keep: Vec<usize> = if style.wide || table_width(&natural) <= usize::from(width) {
        all.clone()
    } else {
        all.iter()
            .copied()
            .filter(|&i| !grid.headers[i].detail)
            .collect()
    };
    let kept_needs: Vec<Need> = keep.iter().map(|&i| needs[i]).collect();
    // Text columns give way first, then numbers, then the essential ones.
    let ranks: Vec<u8> = keep
        .iter()
        .map(|&i| {
            let h = &grid.headers[i];
            if h.essential { 2 } else { u8::from(h.right) }
        })
        .collect();
    let (fitted, widths) = fit_columns(&kept_needs, &ranks, usize::from(width));
    let columns: Vec<usize> = fitted.iter().map(|&p| keep[p]).collect();
    let left_out = all
        .iter()
        .filter(|i| !columns.contains(i))
        .map(|&i| grid.headers[i].title)
        .collect();
    (columns, Some(widths), left_out)
}

/// `text` wrapped to `width` columns when there is one, one line per row
/// (borrowed when it is printable as it is and fits).
fn fitted(text: &str, width: Option<usize>) -> Cow<'_, str> {
    let text = printable(text);
    match width {
        Some(w) if width_of(&text) > w => Cow::Owned(wrap(&text, w).join("\n")),
        _ => text,
    }
}

/// A grid as a box-drawn table, numbers right-aligned, the footer as a last
/// row. Fitted to the style's width when it has one: detail columns left out
/// (unless wide), text wrapped at words, numbers whole, and when that is not
/// enough whole columns left out, named on a line under the table.
fn draw(grid: &Grid, style: TableStyle) -> String {
    let (columns, widths, left_out) = layout(grid, style);
    let width_of_column = |p: usize| widths.as_ref().map(|w| w[p]);
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    t.set_content_arrangement(ContentArrangement::Disabled);
    if style.color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    t.set_header(columns.iter().enumerate().map(|(p, &i)| {
        let h = comfy_table::Cell::new(fitted(grid.headers[i].title, width_of_column(p)).as_ref());
        if style.color {
            h.add_attribute(Attribute::Bold)
        } else {
            h
        }
    }));
    for row in grid.rows.iter().chain(grid.footer.iter()) {
        t.add_row(columns.iter().enumerate().filter_map(|(p, &i)| {
            let cell = row.get(i)?;
            let out = comfy_table::Cell::new(fitted(&cell.text, width_of_column(p)).as_ref());
            Some(match status_color(&cell.text) {
                Some(color) if style.color => out.fg(color),
                _ => out,
            })
        }));
    }
    for (p, &i) in columns.iter().enumerate() {
        if !grid.headers[i].right {
            continue;
        }
        if let Some(col) = t.column_mut(p) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    let mut out = t.to_string();
    if let (Some(width), false) = (style.width, left_out.is_empty()) {
        let note = format!(
            "Left out to fit {width} columns: {} (--wide shows every column).",
            left_out.join(", ")
        );
        for line in wrap(&printable(&note), usize::from(width)) {
            out.push('\n');
            out.push_str(&line);
        }
    }
    out
}

/// Labelled values, the labels padded to one width; values wrapped under
/// themselves when the style has a width.
fn fields(rows: &[(String, String)], style: TableStyle) -> String {
    let width = rows
        .iter()
        .map(|(k, _)| width_of(&printable(k)))
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (k, v) in rows {
        let k = printable(k);
        let pad = " ".repeat(width - width_of(&k));
        let label = format!("  {k}{pad}  ");
        lines_into(
            &mut out,
            &printable(v),
            style,
            &label,
            &" ".repeat(width + 4),
        );
    }
    out
}

/// Writes `text` after `first` as one line, or wrapped to the style's width
/// with the following lines after `rest`.
fn lines_into(out: &mut String, text: &str, style: TableStyle, first: &str, rest: &str) {
    match style.width {
        None => {
            // Writing to a String cannot fail.
            let _ = writeln!(out, "{first}{text}");
        }
        Some(w) => {
            for line in wrap_indented(text, usize::from(w), first, rest) {
                let _ = writeln!(out, "{}", line.trim_end());
            }
        }
    }
}

/// One section: its title on a line, then its body.
fn section(section: &Section, style: TableStyle) -> String {
    let mut out = String::new();
    match section {
        Section::Grid(g) => {
            lines_into(&mut out, &printable(&g.title), style, "", "");
            let _ = writeln!(out, "{}", draw(g, style));
        }
        Section::Fields { title, rows, .. } => {
            lines_into(&mut out, &printable(title), style, "", "");
            out.push_str(&fields(rows, style));
        }
        Section::Notes { title, items } => {
            lines_into(&mut out, &printable(title), style, "", "");
            for item in items {
                lines_into(&mut out, &printable(item), style, "  ", "    ");
            }
        }
    }
    out
}

impl Renderer for TableRenderer {
    fn render(&self, doc: &Document) -> String {
        let mut out = String::new();
        lines_into(&mut out, &printable(&doc.title), self.style, "", "");
        for line in &doc.lines {
            lines_into(&mut out, &printable(line), self.style, "", "");
        }
        for s in &doc.sections {
            out.push('\n');
            out.push_str(&section(s, self.style));
        }
        out
    }
}
