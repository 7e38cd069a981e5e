//! Making text fit a width, in terminal columns: words wrapped onto lines
//! ([`wrap`]), and a table's column widths chosen so the whole table fits
//! ([`fit_columns`]). Numbers are never broken: a number column is at least as
//! wide as its widest cell, and text columns give way first; when even that
//! is too wide, whole columns are left out (the caller says which, so nothing
//! vanishes silently). Widths are display widths (a CJK character counts
//! two). Pure arithmetic on strings: no drawing, no terminal.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The display width of `text` in terminal columns.
#[must_use]
pub fn width_of(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// `word` cut into pieces no wider than `width` columns (at least one
/// character each, so a character wider than `width` still makes progress).
fn cut(word: &str, width: usize) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut piece = String::new();
    let mut used = 0;
    for c in word.chars() {
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width && !piece.is_empty() {
            pieces.push(std::mem::take(&mut piece));
            used = 0;
        }
        piece.push(c);
        used += w;
    }
    if !piece.is_empty() {
        pieces.push(piece);
    }
    pieces
}

/// A word too long for a line split into pieces no wider than `width`:
/// after a hyphen or a slash where it can be, else anywhere.
fn break_word(word: &str, width: usize) -> Vec<String> {
    let mut pieces: Vec<String> = Vec::new();
    for part in word.split_inclusive(['-', '/']) {
        match pieces.last_mut() {
            Some(last) if width_of(last) + width_of(part) <= width => last.push_str(part),
            _ => pieces.extend(cut(part, width)),
        }
    }
    pieces
}

/// `text` wrapped into lines of at most `width` columns (at least 1): words
/// (separated by spaces) are kept whole where they fit, and a word longer
/// than a line is broken. Runs of spaces between words become one; an empty
/// text is one empty line.
#[must_use]
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let w = width_of(word);
        if used > 0 && used + 1 + w <= width {
            line.push(' ');
            line.push_str(word);
            used += 1 + w;
            continue;
        }
        if used > 0 {
            lines.push(std::mem::take(&mut line));
        }
        if w <= width {
            line.push_str(word);
            used = w;
        } else {
            let mut pieces = break_word(word, width);
            let last = pieces.pop().unwrap_or_default();
            lines.extend(pieces);
            used = width_of(&last);
            line = last;
        }
    }
    if used > 0 || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// `text` wrapped to `width` columns, the first line after `first` and the
/// others after `rest` (a hanging indent). When `first` leaves fewer than
/// [`TEXT_LEAST`] columns, it goes on lines of its own (wrapped too) and the
/// text starts on the next line, indented by four.
#[must_use]
pub fn wrap_indented(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    let indent = width_of(first).max(width_of(rest));
    if width < indent + TEXT_LEAST {
        let lead = first.len() - first.trim_start().len();
        let mut out: Vec<String> = wrap(first.trim(), width.saturating_sub(lead).max(1))
            .into_iter()
            .map(|l| format!("{}{l}", &first[..lead]))
            .collect();
        let under = " ".repeat((lead + 2).min(width / 4));
        out.extend(
            wrap(text, width.saturating_sub(under.len()).max(1))
                .into_iter()
                .map(|l| format!("{under}{l}")),
        );
        return out;
    }
    wrap(text, width - indent)
        .into_iter()
        .enumerate()
        .map(|(i, line)| format!("{}{line}", if i == 0 { first } else { rest }))
        .collect()
}

/// What one column needs, in display columns of content (padding and
/// borders apart).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Need {
    /// Its width with nothing wrapped.
    pub natural: usize,
    /// The least it can be given: a number column's widest cell (numbers are
    /// never broken); a text column its longest word, from [`TEXT_LEAST`] to
    /// [`TEXT_WORD`] (and never more than its natural width).
    pub least: usize,
}

/// The width a text column may shrink to, in display columns.
const TEXT_LEAST: usize = 10;

/// The longest word a text column keeps whole when it can, in display
/// columns: a text column is never made narrower than its longest word up to
/// this width.
const TEXT_WORD: usize = 16;

impl Need {
    /// What a column with this `header` and these `cells` needs; `number`
    /// when its cells are numbers (never broken).
    #[must_use]
    pub fn of<'a>(header: &str, cells: impl Iterator<Item = &'a str>, number: bool) -> Need {
        let longest_word = |text: &str| text.split(' ').map(width_of).max().unwrap_or(0);
        let (mut widest_cell, mut longest) = (0, longest_word(header));
        for cell in cells {
            widest_cell = widest_cell.max(width_of(cell));
            longest = longest.max(longest_word(cell));
        }
        let natural = widest_cell.max(width_of(header));
        let least = if number {
            widest_cell.max(longest.min(TEXT_LEAST))
        } else {
            natural.min(longest.clamp(TEXT_LEAST, TEXT_WORD))
        };
        Need { natural, least }
    }
}

/// The width a table takes with columns of these content widths: one space of
/// padding either side of each, and a border before, between and after them.
#[must_use]
pub fn table_width(widths: &[usize]) -> usize {
    widths.iter().map(|w| w + 3).sum::<usize>() + 1
}

/// Content widths for a table to fit `width` columns, or `None` when even
/// the least widths are too wide. Columns keep their natural width when the
/// table fits as it is; otherwise each starts at its least and the room left
/// goes, a column at a time, to the one furthest below its natural width.
#[must_use]
pub fn fit_widths(needs: &[Need], width: usize) -> Option<Vec<usize>> {
    let natural: Vec<usize> = needs.iter().map(|n| n.natural).collect();
    if table_width(&natural) <= width {
        return Some(natural);
    }
    let mut widths: Vec<usize> = needs.iter().map(|n| n.least).collect();
    let mut spare = width.checked_sub(table_width(&widths))?;
    while spare > 0 {
        let short = (0..needs.len())
            .filter(|&i| widths[i] < needs[i].natural)
            .max_by_key(|&i| (needs[i].natural - widths[i], std::cmp::Reverse(i)));
        let Some(i) = short else { break };
        widths[i] += 1;
        spare -= 1;
    }
    Some(widths)
}

/// Which columns to keep (indices into `needs`) and their content widths for
/// a table to fit `width` columns. `ranks` says what each column is worth:
/// when they do not all fit, the columns of the lowest rank are left out
/// first, the rightmost first, until the rest fit. The first column is
/// always kept: alone, it is given what is left (at least one character).
#[must_use]
pub fn fit_columns(needs: &[Need], ranks: &[u8], width: usize) -> (Vec<usize>, Vec<usize>) {
    let mut keep: Vec<usize> = (0..needs.len()).collect();
    loop {
        let kept: Vec<Need> = keep.iter().map(|&i| needs[i]).collect();
        if let Some(widths) = fit_widths(&kept, width) {
            return (keep, widths);
        }
        let drop = (1..keep.len()).rev().min_by_key(|&p| ranks[keep[p]]);
        if let Some(p) = drop {
            keep.remove(p);
            continue;
        }
        let first = keep.first().copied().unwrap_or(0);
        let room = width.saturating_sub(table_width(&[0])).max(1);
        let w = needs.get(first).map_or(room, |n| n.natural.min(room));
        return (vec![first], vec![w]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_words_and_breaks_long_ones() {
        assert_eq!(wrap("Paid out / yr (mid)", 10), ["Paid out /", "yr (mid)"]);
        assert_eq!(
            wrap("Large-cap staking: ETH", 8),
            ["Large-", "cap", "staking:", "ETH"]
        );
        assert_eq!(
            wrap("Risk-adjusted (mid)", 10),
            ["Risk-", "adjusted", "(mid)"]
        );
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 5), [""]);
        assert_eq!(wrap("a  b", 5), ["a b"]);
        // A CJK character is two columns wide.
        assert_eq!(wrap("日本語", 4), ["日本", "語"]);
    }

    #[test]
    fn wrap_indented_hangs_and_stays_inside() {
        let lines = wrap_indented("one two three four five six", 16, "  - ", "    ");
        assert!(lines.iter().all(|l| width_of(l) <= 16), "{lines:?}");
        assert_eq!(lines[0], "  - one two");
        assert!(lines[1].starts_with("    "));
        let lines = wrap_indented("a value", 20, "  A very long label indeed  ", "    ");
        assert_eq!(lines, ["  A very long label", "  indeed", "    a value"]);
    }

    #[test]
    fn a_table_that_fits_keeps_its_natural_widths() {
        let needs = [
            Need {
                natural: 5,
                least: 5,
            },
            Need {
                natural: 8,
                least: 3,
            },
        ];
        assert_eq!(fit_widths(&needs, 40), Some(vec![5, 8]));
        assert_eq!(table_width(&[5, 8]), 20);
        assert_eq!(fit_widths(&needs, 17), Some(vec![5, 5]));
        assert_eq!(fit_widths(&needs, 14), None);
    }

    #[test]
    fn text_columns_go_before_numbers_and_the_first_stays() {
        let needs = [
            Need {
                natural: 20,
                least: 10,
            },
            Need {
                natural: 9,
                least: 9,
            },
            Need {
                natural: 12,
                least: 12,
            },
            Need {
                natural: 7,
                least: 7,
            },
        ];
        let ranks = [0, 0, 1, 1];
        let (keep, widths) = fit_columns(&needs, &ranks, 40);
        assert_eq!(keep, [0, 2, 3]);
        assert!(table_width(&widths) <= 40);
        let (keep, widths) = fit_columns(&needs, &ranks, 30);
        assert_eq!(keep, [0, 2]);
        assert!(table_width(&widths) <= 30);
        let (keep, widths) = fit_columns(&needs, &ranks, 8);
        assert_eq!(keep, [0]);
        assert_eq!(widths, [4]);
    }
}
