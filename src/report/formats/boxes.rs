//! The plain box-drawn table: what comfy-table draws with the
//! `UTF8_FULL_CONDENSED` preset, no content arrangement, no colour and
//! single-line cells, written in one pass. A report of ten thousand
//! positions has a table of ten thousand rows; comfy-table allocates a few
//! strings per cell and line on the way, this writes each cell once into one
//! buffer (the output is byte for byte the same, checked in the tests below).

use std::borrow::Cow;

use super::fit::width_of;

/// One column of a plain table: its header text and whether its cells
/// (header included) are aligned to the right.
pub struct Column<'a> {
    /// The header text, one line.
    pub title: Cow<'a, str>,
    /// Right-aligned (numbers), else left-aligned.
    pub right: bool,
}

/// Appends `n` copies of `c` to `out`.
fn repeat_into(out: &mut String, c: char, n: usize) {
    out.extend(std::iter::repeat_n(c, n));
}

/// A horizontal rule: `left`, each column's full width (content and one
/// space each side) of `fill` joined by `junction`, then `right`.
fn rule(out: &mut String, widths: &[usize], [left, fill, junction, right]: [char; 4]) {
    out.push(left);
    for (p, &w) in widths.iter().enumerate() {
        if p > 0 {
            out.push(junction);
        }
        repeat_into(out, fill, w + 2);
    }
    out.push(right);
}

/// One content line: each cell padded to its column's width (a missing cell
/// as blanks), between `│` borders and `┆` separators.
fn line<'t>(
    out: &mut String,
    widths: &[usize],
    columns: &[Column<'_>],
    cells: impl Iterator<Item = &'t str>,
) {
    out.push('│');
    let mut cells = cells.fuse();
    for (p, &w) in widths.iter().enumerate() {
        if p > 0 {
            out.push('┆');
        }
        let Some(text) = cells.next() else {
            repeat_into(out, ' ', w + 2);
            continue;
        };
        let gap = w.saturating_sub(width_of(text));
        if columns[p].right {
            repeat_into(out, ' ', gap + 1);
            out.push_str(text);
            out.push(' ');
        } else {
            out.push(' ');
            out.push_str(text);
            repeat_into(out, ' ', gap + 1);
        }
    }
    out.push('│');
}

/// The table with `columns` and `rows` (each at most as many cells as
/// there are columns, every text on one line), without a final newline.
/// `None` when there are no columns or a cell spans lines: comfy-table
/// draws those, so the caller falls back to it.
pub fn plain_table(columns: &[Column<'_>], rows: &[Vec<Cow<'_, str>>]) -> Option<String> {
    if columns.is_empty()
        || columns.iter().any(|c| c.title.contains('\n'))
        || rows.iter().flatten().any(|c| c.contains('\n'))
        || rows.iter().any(|r| r.len() > columns.len())
    {
        return None;
    }
    // comfy-table: at least one column wide, at most u16::MAX.
    let clamp = |w: usize| w.clamp(1, usize::from(u16::MAX));
    let mut widths: Vec<usize> = columns.iter().map(|c| clamp(width_of(&c.title))).collect();
    for row in rows {
        for (w, text) in widths.iter_mut().zip(row) {
            *w = (*w).max(clamp(width_of(text)));
        }
    }
    let line_len: usize = widths.iter().map(|w| w + 3).sum::<usize>() * 3 + 8;
    let mut out = String::with_capacity(line_len * (rows.len() + 4));
    rule(&mut out, &widths, ['┌', '─', '┬', '┐']);
    out.push('\n');
    line(
        &mut out,
        &widths,
        columns,
        columns.iter().map(|c| &*c.title),
    );
    out.push('\n');
    rule(&mut out, &widths, ['╞', '═', '╪', '╡']);
    for row in rows {
        out.push('\n');
        line(&mut out, &widths, columns, row.iter().map(|c| &**c));
    }
    out.push('\n');
    rule(&mut out, &widths, ['└', '─', '┴', '┘']);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use comfy_table::{CellAlignment, ContentArrangement, Table, presets};

    /// What comfy-table draws for the same table, as `draw` configures it.
    fn comfy(columns: &[Column<'_>], rows: &[Vec<Cow<'_, str>>]) -> String {
        let mut t = Table::new();
        t.load_style(presets::UTF8_FULL_CONDENSED);
        t.set_content_arrangement(ContentArrangement::Disabled);
        t.force_no_tty();
        t.set_header(columns.iter().map(|c| comfy_table::Cell::new(&c.title)));
        for row in rows {
            t.add_row(row.iter().map(comfy_table::Cell::new));
        }
        for (p, c) in columns.iter().enumerate() {
            if !c.right {
                continue;
            }
            if let Some(col) = t.column_mut(p) {
                col.set_cell_alignment(CellAlignment::Right);
            }
        }
        t.to_string()
    }

    type Rows = Vec<Vec<Cow<'static, str>>>;

    fn cols(spec: &[(&'static str, bool)]) -> Vec<Column<'static>> {
        spec.iter()
            .map(|&(t, right)| Column {
                title: Cow::Borrowed(t),
                right,
            })
            .collect()
    }

    fn rows(spec: &[&[&'static str]]) -> Rows {
        spec.iter()
            .map(|r| r.iter().map(|&c| Cow::Borrowed(c)).collect())
            .collect()
    }

    #[test]
    fn draws_what_comfy_table_draws() {
        let cases: Vec<(Vec<Column<'static>>, Rows)> = vec![
            (
                cols(&[("Name", false), ("APY", true)]),
                rows(&[&["a", "1.00%"], &["longer name", "12.5%"]]),
            ),
            // Empty cells and headers, short rows, wide characters.
            (
                cols(&[("", false), ("x", true), ("名前", false)]),
                rows(&[&["", "", ""], &["é", "1"], &[], &["日本語", "12345", "ｱ"]]),
            ),
            // No rows at all; a combining mark and an emoji.
            (cols(&[("e\u{301}", true), ("🙂", false)]), rows(&[])),
            (cols(&[("only", false)]), rows(&[&["x"], &["y"]])),
        ];
        for (columns, body) in &cases {
            assert_eq!(
                plain_table(columns, body).as_deref(),
                Some(&*comfy(columns, body))
            );
        }
    }

    #[test]
    fn leaves_what_it_does_not_draw_to_comfy_table() {
        assert_eq!(plain_table(&[], &rows(&[&[]])), None);
        assert_eq!(
            plain_table(&cols(&[("a", false)]), &rows(&[&["x\ny"]])),
            None
        );
        assert_eq!(
            plain_table(&cols(&[("a", false)]), &rows(&[&["x", "y"]])),
            None
        );
    }
}
