//! Syntax errors: what the TOML parser rejects, said in plain words.
//!
//! Turns the parser's errors into problems a reader can act on, names keys
//! and tables written twice, and keeps a table written twice from also being
//! reported key by key. Nothing here looks at what a well-formed file says.

use super::Span;
use crate::error::{Diagnostic, shorten};

/// Plain words for the syntax errors people make most: the start of the
/// parser's message, the problem, and its fix. Others keep the parser's words.
const KNOWN: &[(&str, &str, &str)] = &[
    (
        "invalid basic string",
        "a string is not closed",
        "end it with `\"` on the same line",
    ),
    (
        "invalid literal string",
        "a string is not closed",
        "end it with `'` on the same line",
    ),
    (
        "key with no value",
        "`=` is missing after the key",
        "write the key, `=`, then the value, e.g. value = 300000",
    ),
    (
        "missing assignment",
        "`=` is missing after the key",
        "write the key, `=`, then the value, e.g. value = 300000",
    ),
    (
        "unclosed table",
        "the table header is not closed",
        "close it with `]`, e.g. [portfolio]",
    ),
    (
        "unclosed array table",
        "the [[table]] header is not closed",
        "close it with `]]`, e.g. [[position]]",
    ),
    (
        "unclosed inline table",
        "an inline table is not closed",
        "close it with `}` on the same line",
    ),
    (
        "unclosed array",
        "an array is not closed",
        "close it with `]`",
    ),
    (
        "string values must be quoted",
        "text must be in quotes",
        "put it in double quotes, e.g. strategy = \"staking\"",
    ),
    (
        "cannot recurse further",
        "values are nested too deeply",
        "no profile nests values this deep: look for `{` or `[` that are never closed",
    ),
];

/// Every syntax error of `text`, in file order, one problem per place; the
/// keys of a table written twice are not reported on top of the table.
pub(super) fn syntax_errors(text: &str, errors: &[toml::de::Error]) -> Vec<Diagnostic> {
    let mut found: Vec<(Diagnostic, Twice)> =
        errors.iter().map(|e| syntax_error(text, e)).collect();
    found.sort_by_key(|(d, _)| d.span.as_ref().map(|s| s.start));
    // Every key of a table written twice is "set twice" too: report the table only.
    let mut echo_until = 0;
    let mut diags: Vec<Diagnostic> = Vec::new();
    for (d, twice) in found {
        let start = d.span.as_ref().map_or(0, |s| s.start);
        match twice {
            Twice::Table => echo_until = next_header(text, start),
            Twice::Key if start < echo_until => continue,
            _ => {}
        }
        if diags.last().is_none_or(|last| last.span != d.span) {
            diags.push(d);
        }
    }
    diags
}

/// What a syntax error says was written twice.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Twice {
    /// Not a duplicate.
    Nothing,
    /// A key set twice in one table.
    Key,
    /// A table written twice: its keys come back as set twice too.
    Table,
}

/// The start of the first `[header]` line after the line holding `from`.
fn next_header(text: &str, from: usize) -> usize {
    let mut pos = text[from..].find('\n').map_or(text.len(), |i| from + i + 1);
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if text[pos..end].trim_start().starts_with('[') {
            return pos;
        }
        pos = end;
    }
    text.len()
}

/// The problem and its fix for one TOML syntax error.
fn syntax_error(text: &str, e: &toml::de::Error) -> (Diagnostic, Twice) {
    let span = e.span().unwrap_or(0..0);
    let message = e.message().trim_end();
    if message.starts_with("duplicate key") {
        return duplicate_key(text, span);
    }
    // The parser calls a control character inside a string an invalid
    // string, as it does a string left open: tell the two apart.
    let at = text.get(span.start..).and_then(|t| t.chars().next());
    if message.starts_with("invalid basic string") || message.starts_with("invalid literal string")
    {
        if let Some(c) = at.filter(|c| c.is_control() && !matches!(c, '\n' | '\r')) {
            let d = Diagnostic::at(
                span,
                format!(
                    "invalid TOML: a control character (U+{:04X}) stands inside a string",
                    u32::from(c)
                ),
            )
            .with_help("remove it, or in a \"...\" string write it as an escape such as \\u0007");
            return (d, Twice::Nothing);
        }
    }
    let (message, help) = KNOWN
        .iter()
        .find(|(start, _, _)| message.starts_with(start))
        .map_or(
            (
                message,
                "fix the TOML syntax here (see https://toml.io for the format)",
            ),
            |(_, m, h)| (*m, *h),
        );
    (
        Diagnostic::at(span, format!("invalid TOML: {message}")).with_help(help),
        Twice::Nothing,
    )
}

/// A key or table written twice: name it, and say what to keep.
fn duplicate_key(text: &str, span: Span) -> (Diagnostic, Twice) {
    let key = shorten(text.get(span.clone()).unwrap_or_default());
    let line_start = text[..span.start.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or_default().trim();
    let at = Diagnostic::at(span, "");
    if line.starts_with("[[") {
        let d = Diagnostic {
            message: format!(
                "`{key}` is already a single table, so `{}` cannot add to it",
                shorten(line)
            ),
            ..at
        };
        let help = format!("use either [{key}] or [[{key}]] throughout, not both");
        (d.with_help(help), Twice::Table)
    } else if line.starts_with('[') {
        let header = line
            .split(']')
            .next()
            .unwrap_or(line)
            .trim_start_matches('[');
        let header = shorten(header.trim());
        let help = if header == "position" {
            "write each position under [[position]] (double brackets); [position] is a single table"
                .to_string()
        } else {
            format!("merge the two [{header}] tables into one")
        };
        let d = Diagnostic {
            message: format!("the table [{header}] is written twice"),
            ..at
        };
        (d.with_help(help), Twice::Table)
    } else {
        let d = Diagnostic {
            message: format!("`{key}` is set twice in the same table"),
            ..at
        };
        (d.with_help("keep one of the two"), Twice::Key)
    }
}
