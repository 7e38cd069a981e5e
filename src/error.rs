//! Diagnostics that point into a file.
//!
//! A [`Diagnostic`] is one problem with a byte span in some source text, a
//! message saying what is wrong and a help line saying how to fix it.
//! [`Diagnostics`] renders a batch of them for one file in a single consistent
//! style (`error: ...`, `--> file:line:col`, the offending line, a caret, `= help:`),
//! so every input error of the program reads the same. This module knows nothing
//! about profiles or rate books; it only locates and formats, and does no I/O
//! (printing is the caller's job).

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::printable::{picture, printable};

/// Longest stretch of an offending line that is echoed back.
const SNIPPET_WIDTH: usize = 100;

/// Longest user-written name (a key, a symbol) repeated inside a message.
const NAME_WIDTH: usize = 40;

/// One problem at one place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Byte range of the offending text in the file's source; `None` for a
    /// problem of the whole file (shown without a line).
    pub span: Option<Range<usize>>,
    /// What is wrong, in one line, shown after `error: `.
    pub message: String,
    /// How to fix it, shown after `= help: `.
    pub help: Option<String>,
    /// A short note printed after the caret under `span`.
    pub label: Option<String>,
    /// Other places that explain the problem, each with a short note
    /// ("first named here"), shown with `-` under them.
    pub related: Vec<(Range<usize>, String)>,
}

impl Diagnostic {
    /// A problem at `span` (or of the whole file when `None`), with no help,
    /// label or related places yet.
    pub fn new(span: Option<Range<usize>>, message: impl Into<String>) -> Self {
        Diagnostic {
            span,
            message: message.into(),
            help: None,
            label: None,
            related: Vec::new(),
        }
    }

    /// A problem at the byte range `span`.
    pub fn at(span: Range<usize>, message: impl Into<String>) -> Self {
        Self::new(Some(span), message)
    }

    /// Sets the help line saying how to fix the problem.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a note after the caret under the main place.
    #[must_use]
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds another place (a byte range) that explains the problem.
    #[must_use]
    pub fn with_related(mut self, span: Range<usize>, note: impl Into<String>) -> Self {
        self.related.push((span, note.into()));
        self
    }
}

/// A name the user wrote, cut to at most 40 characters (then `…`) so it fits
/// in a message, its control characters escaped (see [`printable`]).
#[must_use]
pub fn shorten(name: &str) -> String {
    let name = if name.chars().count() <= NAME_WIDTH {
        name.to_string()
    } else {
        let head: String = name.chars().take(NAME_WIDTH).collect();
        format!("{head}…")
    };
    printable(&name).into_owned()
}

/// All problems found in one file, ready to print.
#[derive(Debug, thiserror::Error)]
pub struct Diagnostics {
    /// The file's path, as shown in `--> path:line:col`.
    pub path: PathBuf,
    /// The file's whole text, into which every span points.
    pub text: String,
    /// The problems, in the order they are printed.
    pub items: Vec<Diagnostic>,
    /// What the file is, for the summary line: "profile", "rate book", ...
    pub kind: &'static str,
}

impl Diagnostics {
    /// The problems `items` found in the file at `path`, whose text is
    /// `source`; `kind` names the file in the summary line ("profile").
    #[must_use]
    pub fn new(path: &Path, source: &str, kind: &'static str, items: Vec<Diagnostic>) -> Self {
        Diagnostics {
            path: path.to_path_buf(),
            text: source.to_string(),
            items,
            kind,
        }
    }

    /// 1-based line and column (in characters) of a byte offset in the
    /// file, as the `-->` line shows it (see [`line_col`]).
    #[must_use]
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        line_col(&self.text, offset)
    }

    /// The problems in one line, for a cell of a table: the first, where
    /// it is (`path:line:col: message`, or `path: message` for a problem of
    /// the whole file) and, when there are more, how many
    /// (`... (and 2 more problems)`).
    #[must_use]
    pub fn summary(&self) -> String {
        let path = self.path.display().to_string();
        let path = printable(&path);
        let Some(first) = self.items.first() else {
            return path.into_owned();
        };
        let place = match &first.span {
            Some(span) => {
                // Placed as the `-->` line of the full report places it.
                let (line, col) = LineIndex::new(&self.text).line_col(&self.text, span.start);
                format!("{path}:{line}:{col}")
            }
            None => path.into_owned(),
        };
        let more = self.items.len() - 1;
        let count = match more {
            0 => String::new(),
            1 => " (and 1 more problem)".to_string(),
            n => format!(" (and {n} more problems)"),
        };
        format!("{place}: {}{count}", printable(&first.message))
    }
}

/// 1-based line and column (in characters) of a byte offset in `source`,
/// as the `-->` line of a diagnostic shows it: a byte-order mark is not a
/// column (the first character after it is at column 1, as is an offset
/// within it). An offset past the end, or inside a character, is moved back
/// to the nearest character boundary.
#[must_use]
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(source, offset.min(source.len()));
    let bytes = source.as_bytes();
    let line = (0..offset).filter(|&i| ends_line(bytes, i)).count() + 1;
    let line_start = after_bom(source, line_start(source, offset));
    let col = source[line_start.min(offset)..offset].chars().count() + 1;
    (line, col)
}

/// Whether byte `i` of `bytes` ends a line: a line feed, or a carriage
/// return without one after it (old Mac OS line ends, which the CSV and JSON
/// readers take as line ends too; TOML refuses them, at their place).
fn ends_line(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        b'\n' => true,
        b'\r' => bytes.get(i + 1) != Some(&b'\n'),
        _ => false,
    }
}

/// The start of the line holding byte `offset`.
fn line_start(source: &str, offset: usize) -> usize {
    let bytes = source.as_bytes();
    (0..offset)
        .rev()
        .find(|&i| ends_line(bytes, i))
        .map_or(0, |i| i + 1)
}

/// Byte offset of 1-based `line` and `column` (in bytes) in `text`, as a
/// reader that counts only line feeds gives them (`serde_json`), clamped to
/// the text and back to the start of a character.
#[must_use]
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    floor_char_boundary(text, (start + column.saturating_sub(1)).min(text.len()))
}

/// Where in `text` a `serde_json` error is (a byte offset: the end of the
/// text when it ends too early), and what it says without serde's own
/// "at line L column C", which counts line feeds only and bytes.
#[must_use]
pub fn json_error(text: &str, e: &serde_json::Error) -> (usize, String) {
    let mut at = if e.is_eof() {
        text.len()
    } else {
        offset_of(text, e.line(), e.column())
    };
    let said = e.to_string();
    // Skipping a value (`IgnoredAny`) places a control character in a
    // string on the byte before it: point at the character itself.
    let control = |i: usize| text.as_bytes().get(i).is_some_and(u8::is_ascii_control);
    if said.starts_with("control character") && !control(at) && control(at + 1) {
        at += 1;
    }
    let message = match said.rfind(" at line ") {
        Some(i) => said[..i].to_string(),
        None => said,
    };
    (at, message)
}

/// How many problems of one file are shown; the rest are counted.
pub const MAX_SHOWN: usize = 50;

/// Where each line starts, so that many diagnostics in a large file are
/// placed without rescanning the text for each one.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(source: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(
                (0..source.len())
                    .filter(|&i| ends_line(source.as_bytes(), i))
                    .map(|i| i + 1),
            )
            .collect();
        LineIndex { starts }
    }

    /// 1-based line of a byte offset.
    fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|s| *s <= offset).max(1)
    }

    /// 1-based line and column (in characters) of a byte offset.
    fn line_col(&self, source: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(source, offset.min(source.len()));
        let line = self.line(offset);
        let start = after_bom(source, self.starts[line - 1]);
        let col = source[start.min(offset)..offset].chars().count() + 1;
        (line, col)
    }
}

/// Lines and columns of many byte offsets in one text, given in increasing
/// order (the places of the problems of one file, in file order): each is
/// found in time proportional to its distance from the one before, so
/// placing every entry of a long one-line file takes linear time, not
/// quadratic. Places agree with [`line_col`].
pub struct Places<'a> {
    source: &'a str,
    index: LineIndex,
    /// The last offset placed, its line and its column.
    at: usize,
    line: usize,
    column: usize,
}

impl<'a> Places<'a> {
    /// Places in `source`.
    #[must_use]
    pub fn new(source: &'a str) -> Self {
        Places {
            source,
            index: LineIndex::new(source),
            at: after_bom(source, 0),
            line: 1,
            column: 1,
        }
    }

    /// 1-based line and column (in characters) of byte `offset`, moved back
    /// to a character boundary as [`line_col`] does.
    pub fn line_col(&mut self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.source, offset.min(self.source.len()));
        let line = self.index.line(offset);
        let column = if line == self.line && offset >= self.at {
            self.column + self.source[self.at..offset].chars().count()
        } else {
            self.index.line_col(self.source, offset).1
        };
        // An offset within a first line's byte-order mark is at column 1,
        // as the first character after the mark is.
        let at = if line == 1 {
            offset.max(after_bom(self.source, 0))
        } else {
            offset
        };
        (self.at, self.line, self.column) = (at, line, column);
        (line, column)
    }
}

/// `line_start`, or just past the byte-order mark when the line is the
/// file's first and starts with one: editors do not count it as a column.
fn after_bom(source: &str, line_start: usize) -> usize {
    if line_start == 0 && source.starts_with('\u{FEFF}') {
        '\u{FEFF}'.len_utf8()
    } else {
        line_start
    }
}

/// The largest character boundary of `s` at or before byte `i`.
fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The line holding `offset`, cut to a window around the column when it is long;
/// returns the text shown and the caret's column (0-based, in characters) within it.
fn snippet(source: &str, offset: usize, len: usize) -> (String, usize, usize) {
    let offset = floor_char_boundary(source, offset.min(source.len()));
    let line_start = line_start(source, offset);
    let line_end = (offset..source.len())
        .find(|&i| ends_line(source.as_bytes(), i))
        .unwrap_or(source.len());
    let line_start = after_bom(source, line_start).min(offset);
    // Tabs are shown as one space so the caret stays under the column it
    // names; the CR of a CRLF line end is dropped.
    let text = &source[line_start..line_end];
    let line: Vec<char> = text
        .strip_suffix('\r')
        .unwrap_or(text)
        .chars()
        .map(|c| if c == '\t' { ' ' } else { picture(c) })
        .collect();
    let col = source[line_start..offset].chars().count();
    let end = floor_char_boundary(source, (offset + len).min(line_end)).max(offset);
    let caret_len = source[offset..end].chars().count().max(1);
    if line.len() <= SNIPPET_WIDTH {
        return (line.iter().collect(), col, caret_len);
    }
    let start = col.saturating_sub(SNIPPET_WIDTH / 2).min(line.len());
    let end = (start + SNIPPET_WIDTH).min(line.len());
    let mut text = String::new();
    if start > 0 {
        text.push('…');
    }
    text.extend(&line[start..end]);
    if end < line.len() {
        text.push('…');
    }
    let shift = usize::from(start > 0);
    let caret_len = caret_len.min(end.saturating_sub(col).max(1));
    (text, col - start + shift, caret_len)
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display().to_string();
        let path = printable(&path);
        let index = LineIndex::new(&self.text);
        for (i, d) in self.items.iter().take(MAX_SHOWN).enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "error: {}", printable(&d.message))?;
            let Some(span) = &d.span else {
                // A problem of the whole file: there is no line to show.
                writeln!(f, " --> {path}")?;
                if let Some(help) = &d.help {
                    writeln!(f, "  = help: {}", printable(help))?;
                }
                continue;
            };
            // The main place (`^`) and the related ones (`-`), in file order.
            let mut marks: Vec<(&Range<usize>, Option<&str>, char)> =
                vec![(span, d.label.as_deref(), '^')];
            marks.extend(d.related.iter().map(|(s, n)| (s, Some(n.as_str()), '-')));
            marks.sort_by_key(|m| m.0.start);
            let lines: Vec<usize> = marks.iter().map(|m| index.line(m.0.start)).collect();
            let gutter = lines.iter().max().map_or(1, |l| l.to_string().len());
            let pad = " ".repeat(gutter);
            let (line, col) = index.line_col(&self.text, span.start);
            writeln!(f, "{pad}--> {path}:{line}:{col}")?;
            writeln!(f, "{pad} |")?;
            let mut shown: Option<(usize, String)> = None;
            for ((s, note, mark), line) in marks.iter().zip(&lines) {
                let (text, caret_col, caret_len) = snippet(&self.text, s.start, s.len());
                let same = shown.as_ref().is_some_and(|(l, t)| l == line && *t == text);
                if !same {
                    if shown.as_ref().is_some_and(|(l, _)| *line > l + 1) {
                        writeln!(f, "...")?;
                    }
                    writeln!(f, "{line:>gutter$} | {text}")?;
                }
                let note = match note {
                    Some(n) if !n.is_empty() => format!(" {}", printable(n)),
                    _ => String::new(),
                };
                // The caret goes under the place on screen: a wide character
                // (CJK, emoji) takes two cells, a combining mark none.
                let cells = |chars: &[char]| -> usize {
                    chars
                        .iter()
                        .map(|c| unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0))
                        .sum()
                };
                let chars: Vec<char> = text.chars().collect();
                let before = &chars[..caret_col.min(chars.len())];
                let under =
                    &chars[caret_col.min(chars.len())..(caret_col + caret_len).min(chars.len())];
                writeln!(
                    f,
                    "{pad} | {}{}{note}",
                    " ".repeat(cells(before)),
                    mark.to_string().repeat(cells(under).max(1))
                )?;
                shown = Some((*line, text));
            }
            if let Some(help) = &d.help {
                writeln!(f, "{pad} = help: {}", printable(help))?;
            }
        }
        let n = self.items.len();
        if n > MAX_SHOWN {
            writeln!(
                f,
                "\n... and {} more problem{} (only the first {MAX_SHOWN} are shown)",
                n - MAX_SHOWN,
                if n - MAX_SHOWN == 1 { "" } else { "s" }
            )?;
        }
        // A review's own inputs stop the review; a profile or rate book
        // stops the plan.
        let stopped = match self.kind {
            "snapshot" | "holdings file" | "income file" => "nothing was reviewed",
            _ => "nothing was planned",
        };
        write!(
            f,
            "\n{n} problem{} in {} {path}; {stopped}",
            if n == 1 { "" } else { "s" },
            self.kind
        )
    }
}

/// The text of a file read as `bytes`, or, when they are not UTF-8, the one
/// problem that says so, placed on the first byte that is not text (the
/// line shown with the bad bytes replaced), with `kind` ("profile",
/// "rate book", "holdings file", ...) naming the file.
///
/// # Errors
///
/// The bytes are not UTF-8: the problem, naming up to four bad bytes.
pub fn utf8_text<'a>(
    path: &Path,
    bytes: &'a [u8],
    kind: &'static str,
) -> Result<&'a str, Diagnostics> {
    std::str::from_utf8(bytes).map_err(|e| {
        let shown = String::from_utf8_lossy(bytes).into_owned();
        let at = e.valid_up_to();
        let bad = &bytes[at..at + e.error_len().unwrap_or(bytes.len() - at).min(4)];
        let hex: Vec<String> = bad.iter().map(|b| format!("0x{b:02X}")).collect();
        let problem = Diagnostic::at(
            at..at + '\u{FFFD}'.len_utf8(),
            format!(
                "the file is not UTF-8 text: byte {} here is not text",
                hex.join(" ")
            ),
        )
        .with_help(format!(
            "save the {kind} as UTF-8 (in your editor's encoding setting); \
             it may have been saved as Latin-1 or Windows-1252"
        ));
        Diagnostics::new(path, &shown, kind, vec![problem])
    })
}

/// The nearest of `candidates` to `word`, when it is close enough to be a
/// likely typo: a case-insensitive Jaro–Winkler similarity of at least 0.8
/// (`strsim`), Cyrillic and Greek letters that look like Latin ones read as
/// those. Words longer than 160 bytes get no suggestion.
#[must_use]
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    /// Name comparisons made so far in this run (see [`SUGGESTION_BUDGET`]).
    static COMPARED: AtomicUsize = AtomicUsize::new(0);
    // No typo of a short name is this long; and comparing a huge word costs time.
    if word.len() > 4 * NAME_WIDTH || COMPARED.load(Ordering::Relaxed) >= SUGGESTION_BUDGET {
        return None;
    }
    // As it looks: `ааve` written with Cyrillic letters is nearest `aave`.
    let lower = crate::printable::as_it_looks(word);
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        if COMPARED.fetch_add(1, Ordering::Relaxed) >= SUGGESTION_BUDGET {
            return None;
        }
        let score = strsim::jaro_winkler(&lower, &crate::printable::as_it_looks(c));
        // The last of equal scores, as `max_by` picks.
        if score >= 0.8 && best.is_none_or(|(b, _)| score >= b) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Up to `most` of `names`, joined with commas, then how many more there
/// are: "a, b, c and 97 more". A help line names some of a long list, not
/// all of it (a plan may have 100,000 positions).
#[must_use]
pub fn some_of<'a>(names: impl ExactSizeIterator<Item = &'a str>, most: usize) -> String {
    let total = names.len();
    let shown: Vec<&str> = names.take(most).collect();
    let mut out = shown.join(", ");
    if total > shown.len() {
        out.push_str(&format!(" and {} more", total - shown.len()));
    }
    out
}

/// How many name comparisons "did you mean" suggestions may make in one run
/// (about a second): a file of thousands of misspelled names, each compared
/// with thousands of known ones, is still refused in seconds; its later
/// problems (past the 50 shown) go without a suggestion.
pub const SUGGESTION_BUDGET: usize = 5_000_000;

#[cfg(test)]
mod tests {
    use super::*;

    /// Places, met in increasing order or not, agree with `line_col` at
    /// every offset of texts with every line end, wide characters and a
    /// byte-order mark.
    #[test]
    fn places_agree_with_line_col() {
        for text in [
            "ab\ncd\r\nef\rgh",
            "\u{feff}{\"a\": 1,\n \"é€\": [null, 7]}\r\n",
            "one line only, with ünïcode",
            "",
        ] {
            let mut places = Places::new(text);
            for at in 0..=text.len() {
                let want = line_col(text, at);
                assert_eq!(LineIndex::new(text).line_col(text, at), want);
                assert_eq!(places.line_col(at), want, "{text:?} at {at}");
            }
            let mut places = Places::new(text);
            for at in (0..=text.len()).rev() {
                let want = line_col(text, at);
                assert_eq!(places.line_col(at), want, "{text:?} back at {at}");
            }
        }
    }

    #[test]
    fn only_the_first_problems_are_shown_and_the_rest_counted() {
        let src = "x = 1\n".repeat(60);
        let render = |n: usize| {
            let items = (0..n)
                .map(|i| Diagnostic::at(i * 6..i * 6 + 1, "twice"))
                .collect();
            Diagnostics::new(Path::new("p.toml"), &src, "profile", items).to_string()
        };
        let exact = render(MAX_SHOWN);
        assert_eq!(exact.matches("error: twice").count(), MAX_SHOWN);
        assert!(!exact.contains("more problem"), "{exact}");
        let over = render(MAX_SHOWN + 1);
        assert_eq!(over.matches("error: twice").count(), MAX_SHOWN);
        assert!(
            over.contains("... and 1 more problem (only the first 50"),
            "{over}"
        );
        assert!(over.ends_with("51 problems in profile p.toml; nothing was planned"));
    }

    /// A byte-order mark is not a column, in [`line_col`], in
    /// [`Diagnostics::line_col`], in [`Places`] and on the `-->` line alike:
    /// the first character after it is at column 1 (an offset within it
    /// too); one that is not at the file's start is a character like any.
    #[test]
    fn a_byte_order_mark_is_not_a_column_anywhere() {
        let text = "\u{feff}valu = 5\n\u{feff}x = 1\n";
        let key = text.find("valu").unwrap();
        let five = text.find('5').unwrap();
        let x = text.find('x').unwrap();
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 1), (1, 1));
        assert_eq!(line_col(text, key), (1, 1));
        assert_eq!(line_col(text, five), (1, 8));
        assert_eq!(line_col(text, x), (2, 2));
        let d = Diagnostics::new(
            Path::new("p.toml"),
            text,
            "profile",
            vec![Diagnostic::at(five..five + 1, "here")],
        );
        assert_eq!(d.line_col(five), (1, 8));
        assert_eq!(d.line_col(key), (1, 1));
        assert_eq!(Places::new(text).line_col(five), (1, 8));
        assert!(d.to_string().contains(" --> p.toml:1:8\n"), "{d}");
        assert!(d.summary().starts_with("p.toml:1:8: "), "{}", d.summary());
    }

    #[test]
    fn line_and_column_count_characters() {
        let src = "a = 1\nbé = 2\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 6), (2, 1));
        // byte 10 is the `=` after "bé " (é is two bytes): column 4
        assert_eq!(line_col(src, 10), (2, 4));
    }

    #[test]
    fn rendering_names_file_place_and_fix() {
        let src = "[portfolio]\nvalu = 5\n";
        let d = Diagnostics::new(
            Path::new("p.toml"),
            src,
            "profile",
            vec![Diagnostic::at(12..16, "unknown key `valu`").with_help("did you mean `value`?")],
        );
        let text = d.to_string();
        assert!(text.contains("error: unknown key `valu`"), "{text}");
        assert!(text.contains("--> p.toml:2:1"), "{text}");
        assert!(text.contains("2 | valu = 5"), "{text}");
        assert!(text.contains("  | ^^^^"), "{text}");
        assert!(text.contains("= help: did you mean `value`?"), "{text}");
        assert!(text.ends_with("1 problem in profile p.toml; nothing was planned"));
    }

    #[test]
    fn related_places_are_shown_in_file_order_with_one_gutter() {
        let src = "name = \"A\"\n\n\n\n\n\n\n\n\n\nname = \"A\"\n";
        let d = Diagnostics::new(
            Path::new("p.toml"),
            src,
            "profile",
            vec![
                Diagnostic::at(27..30, "two positions are named \"A\"")
                    .with_related(7..10, "first used here")
                    .with_help("rename one"),
            ],
        );
        let text = d.to_string();
        let expected = "error: two positions are named \"A\"\n  --> p.toml:11:8\n   |\n 1 | name = \"A\"\n   |        --- first used here\n...\n11 | name = \"A\"\n   |        ^^^\n   = help: rename one\n";
        assert!(text.starts_with(expected), "{text}");
    }

    #[test]
    fn a_problem_of_the_whole_file_has_no_line() {
        let d = Diagnostics::new(
            Path::new("p.toml"),
            "# nothing\n",
            "profile",
            vec![Diagnostic::new(None, "the profile has no [portfolio] table").with_help("add it")],
        );
        let text = d.to_string();
        assert!(
            text.starts_with(
                "error: the profile has no [portfolio] table\n --> p.toml\n  = help: add it\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn the_line_index_agrees_with_line_col() {
        for src in [
            "a = 1\nbé = 2\n\nc = 3",
            "a,1\rbé,2\r\rc,3\r\nd,4\r",
            "\u{feff}a = 1\n\u{feff}b = 2",
            "\u{feff}",
        ] {
            let index = LineIndex::new(src);
            for offset in 0..=src.len() {
                assert_eq!(
                    index.line_col(src, offset),
                    line_col(src, offset),
                    "at {offset}"
                );
            }
        }
    }

    /// A `serde_json` error is placed by byte offset (the end for a text
    /// cut short) and said without serde's own LF-only place.
    #[test]
    fn a_json_error_is_placed_on_the_lines_an_editor_shows() {
        let place = |text: &str| {
            let e = serde_json::from_str::<serde_json::Value>(text).unwrap_err();
            let (at, said) = json_error(text, &e);
            (line_col(text, at), said)
        };
        for text in ["{\n\"a\": 1,\n\"bé\": x}", "{\r\"a\": 1,\r\"bé\": x}"] {
            let ((line, col), said) = place(text);
            assert_eq!((line, col), (3, 7), "{text:?}");
            assert!(!said.contains(" at line "), "{said}");
        }
        // A control character in a string, on either of serde's paths
        // (building a value, or skipping one, which places it a byte early).
        let text = "{\"a\": \"\u{1}\"}";
        for e in [
            serde_json::from_str::<serde_json::Value>(text).unwrap_err(),
            serde_json::from_str::<serde::de::IgnoredAny>(text).unwrap_err(),
        ] {
            let (at, _) = json_error(text, &e);
            assert_eq!(line_col(text, at), (1, 8));
        }
        let ((line, col), said) = place("{\r\"a\": 1,\r");
        assert_eq!((line, col), (3, 1));
        assert!(said.starts_with("EOF while parsing"), "{said}");
    }

    /// A carriage return without a line feed ends a line, as the CSV and
    /// JSON readers take it; the CR of CR LF does not end one of its own.
    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let src = "a,1\rbé,2\r\nc,3";
        assert_eq!(line_col(src, 4), (2, 1));
        assert_eq!(line_col(src, 9), (2, 5));
        assert_eq!(line_col(src, 11), (3, 1));
        let (text, caret, _) = snippet(src, 5, 1);
        assert_eq!((text.as_str(), caret), ("bé,2", 1));
        // serde_json's place (it counts line feeds only) maps back to bytes.
        assert_eq!(offset_of(src, 2, 1), 11);
        assert_eq!(offset_of(src, 1, 5), 4);
    }

    #[test]
    fn tabs_keep_the_caret_under_its_column() {
        let (text, caret, _) = snippet("\tweight\t= 35", 10, 2);
        assert_eq!(text, " weight = 35");
        assert_eq!(&text[caret..caret + 2], "35");
    }

    #[test]
    fn long_names_are_shortened() {
        assert_eq!(shorten("ETH"), "ETH");
        let long = "k".repeat(1000);
        assert_eq!(shorten(&long).chars().count(), NAME_WIDTH + 1);
        assert!(shorten(&long).ends_with('…'));
        assert_eq!(nearest(&long, ["weight"]), None);
    }

    #[test]
    fn long_lines_are_cut_around_the_place() {
        let src = format!("x = \"{}\" # here", "y".repeat(5000));
        let at = src.find("# here").unwrap();
        let (text, caret, _) = snippet(&src, at, 1);
        assert!(text.chars().count() <= SNIPPET_WIDTH + 2);
        assert_eq!(text.chars().nth(caret), Some('#'));
    }

    /// A span that ends inside a character, a line of lone CRs and a
    /// byte-order mark: the place is shown, short, and never panics.
    #[test]
    fn awkward_spans_and_lines_are_shown_without_panic() {
        let src = "name = \"P\"\né\né\n";
        let at = src.rfind('é').unwrap();
        let (text, caret, len) = snippet(src, at, 1);
        assert_eq!((text.as_str(), caret, len), ("é", 0, 1));
        let crs = format!("a\n{}", "\r".repeat(100_000));
        let (text, caret, _) = snippet(&crs, crs.len() - 1, 1);
        assert!(text.chars().count() <= SNIPPET_WIDTH + 2, "{}", text.len());
        assert!(caret <= SNIPPET_WIDTH + 1);
        let bom = "\u{FEFF}name = 5 5\n";
        let at = bom.find("5 5").unwrap();
        let index = LineIndex::new(bom);
        assert_eq!(index.line_col(bom, at), (1, 8));
        let (text, caret, _) = snippet(bom, at, 3);
        assert_eq!(text, "name = 5 5");
        assert_eq!(text.chars().nth(caret), Some('5'));
        let shown = Diagnostics::new(
            std::path::Path::new("p.toml"),
            src,
            "profile",
            vec![Diagnostic::at(at..at + 1, "here")],
        )
        .to_string();
        assert!(shown.contains("p.toml:"), "{shown}");
    }

    /// The caret stands under its place on screen after wide characters.
    #[test]
    fn the_caret_counts_screen_cells() {
        let src = "name = \"😀中\" ; x\n";
        let at = src.find(';').unwrap();
        let shown = Diagnostics::new(
            std::path::Path::new("p.toml"),
            src,
            "profile",
            vec![Diagnostic::at(at..at + 1, "here")],
        )
        .to_string();
        let caret = shown.lines().find(|l| l.trim_end().ends_with('^')).unwrap();
        let quoted = shown.lines().find(|l| l.contains(';')).unwrap();
        let cells = |t: &str| -> usize {
            t.chars()
                .map(|c| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0))
                .sum()
        };
        let (before, _) = quoted.split_at(quoted.find(';').unwrap());
        assert_eq!(cells(before), caret.find('^').unwrap(), "{shown}");
    }

    #[test]
    fn a_long_list_is_named_in_part() {
        let names = ["a", "b", "c", "d"];
        assert_eq!(some_of(names.iter().copied(), 2), "a, b and 2 more");
        assert_eq!(some_of(names.iter().copied(), 4), "a, b, c, d");
    }

    /// The one-line summary of a file's problems names the first with its
    /// `path:line:col` (columns in characters, not counting a byte-order
    /// mark, as the full report's `-->` line), or the path alone for a
    /// problem of the whole file, and counts the others, one or many.
    #[test]
    fn a_summary_places_the_first_problem_and_counts_the_rest() {
        let text = "\u{feff}name = \"é\"\nvalue = -5\nweight = 35\n";
        let value = text.find("-5").unwrap();
        let weight = text.find("35").unwrap();
        let problems = |items: Vec<Diagnostic>| {
            Diagnostics::new(Path::new("dir/p.toml"), text, "profile", items).summary()
        };
        let negative = || Diagnostic::at(value..value + 2, "`value` is -5");
        let bare = || Diagnostic::at(weight..weight + 2, "`weight` is 35");
        assert_eq!(problems(vec![negative()]), "dir/p.toml:2:9: `value` is -5");
        assert_eq!(
            problems(vec![bare(), negative()]),
            "dir/p.toml:3:10: `weight` is 35 (and 1 more problem)"
        );
        assert_eq!(
            problems(vec![negative(), bare(), bare()]),
            "dir/p.toml:2:9: `value` is -5 (and 2 more problems)"
        );
        assert_eq!(
            problems(vec![Diagnostic::new(None, "the profile is empty"), bare()]),
            "dir/p.toml: the profile is empty (and 1 more problem)"
        );
        // A control character in a message is shown escaped, on one line.
        assert_eq!(
            problems(vec![Diagnostic::at(0..1, "a\nb")]),
            "dir/p.toml:1:1: a\\nb"
        );
        let first = text.find('é').unwrap() + 'é'.len_utf8();
        assert_eq!(
            problems(vec![Diagnostic::at(first..first + 1, "after é")]),
            "dir/p.toml:1:10: after é"
        );
        // Where the full report's `-->` line says it is.
        let after = Diagnostic::at(first..first + 1, "after é");
        let d = Diagnostics::new(Path::new("dir/p.toml"), text, "profile", vec![after]);
        assert!(d.to_string().contains(" --> dir/p.toml:1:10\n"), "{d}");
    }

    #[test]
    fn nearest_finds_typos_only() {
        assert_eq!(nearest("wieght", ["weight", "amount"]), Some("weight"));
        assert_eq!(nearest("zzz", ["weight", "amount"]), None);
    }
}
