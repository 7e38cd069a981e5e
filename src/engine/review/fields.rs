//! What the review's CSV readers share: where each field of a line is (so
//! an error points at the field's column, not the line's start) and how an
//! amount of money is read, with the reason when it is not one. Pure.

use std::ops::Range;

use rust_decimal::Decimal;

use crate::error::Diagnostic;
use crate::money::read_amount;

/// Byte range of the CSV line at byte `start`, which may be a record's
/// position as the `csv` crate gives it: after a CRLF line end that is the
/// `\n` of the line before, so line-end bytes at `start` are skipped.
#[must_use]
pub fn line_at(text: &str, start: usize) -> Range<usize> {
    let mut start = start.min(text.len());
    while matches!(text.as_bytes().get(start), Some(b'\r' | b'\n')) {
        start += 1;
    }
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    start..end.max(start)
}

/// The problem a record of a CSV `file` ("holdings", "income") could not be
/// read as, at its line of `text`: a line of the wrong length (`line` says
/// what a line holds, e.g. "a payment line", which has `fields` of them; see
/// [`wrong_length`]), or other broken CSV; `help` says how to write a line.
/// The `csv` crate's own line count is left out of the message (it is one
/// off after CRLF line ends); the place says where.
#[must_use]
pub fn csv_problem(
    text: &str,
    e: &csv::Error,
    (file, line, fields): (&str, &str, usize),
    help: &str,
) -> Diagnostic {
    let at = e
        .position()
        .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(0));
    let span = line_at(text, at);
    match e.kind() {
        csv::ErrorKind::UnequalLengths { len, .. } => {
            let len = usize::try_from(*len).unwrap_or(0);
            wrong_length(text, span, (line, len, fields), help)
        }
        _ => Diagnostic::at(span, format!("the {file} file is not valid CSV here")).with_help(help),
    }
}

/// The problem of the CSV line at `span` of `text` (`what` it holds, e.g.
/// "a payment line") with `len` fields where it needs `fields`: a quote
/// opened on it and never closed when the quotes from there to the end of
/// the file are odd in number (the reader then takes the rest of the file
/// as one field), else the count; `help` says how to write a line.
#[must_use]
pub fn wrong_length(
    text: &str,
    span: Range<usize>,
    (what, len, fields): (&str, usize, usize),
    help: &str,
) -> Diagnostic {
    let rest = text.get(span.start..).unwrap_or_default();
    if rest.matches('"').count() % 2 == 1 {
        return Diagnostic::at(
            span,
            "a quote opened on this line is not closed, so the rest of the file reads as one field",
        )
        .with_help("close the quote on the same line, e.g. \"USDC, on Aave\",1000, or remove it");
    }
    let plural = if len == 1 { "" } else { "s" };
    Diagnostic::at(
        span,
        format!("{what} has {len} field{plural}, not {fields}"),
    )
    .with_help(help)
}

/// The byte ranges of the comma-separated fields of the CSV line `line` of
/// `text`, quotes honoured, surrounding spaces left out (an empty field is
/// an empty range at its place).
#[must_use]
pub fn field_spans(text: &str, line: Range<usize>) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let end = line.end.min(bytes.len());
    let mut spans = Vec::new();
    let first = line.start.min(end);
    let mut start = first;
    let mut in_quotes = false;
    let trim = |s: usize, e: usize| {
        let field = &text[s..e];
        let lead = field.len() - field.trim_start().len();
        let body = field.trim();
        s + lead..s + lead + body.len()
    };
    for (i, b) in bytes.iter().enumerate().take(end).skip(first) {
        match *b {
            b'"' => in_quotes = !in_quotes,
            b',' if !in_quotes => {
                spans.push(trim(start, i));
                start = i + 1;
            }
            _ => {}
        }
    }
    let last = if end > start && bytes[end - 1] == b'\r' {
        end - 1
    } else {
        end
    };
    spans.push(trim(start, last.max(start)));
    spans
}

/// The span of field `i` of `line`, else the whole line.
#[must_use]
pub fn field_at(text: &str, line: &Range<usize>, i: usize) -> Range<usize> {
    field_spans(text, line.clone())
        .get(i)
        .filter(|s| !s.is_empty())
        .cloned()
        .unwrap_or_else(|| line.clone())
}

/// An amount of money as the review's files write it: at least 0, at most
/// 10^15, in whole cents, by the one grammar of numbers
/// ([`crate::money::read_amount`]).
///
/// # Errors
/// Why `text` is not such an amount, as the end of a sentence about it:
/// "is negative", "is too large (above 10^15)", "has fractions of a cent",
/// "is not a number", "has no digit before its point; write 0.5".
pub fn amount(text: &str) -> Result<Decimal, String> {
    read_amount(text).map_err(|p| p.reason(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line short of fields because its quote never closes says so; any
    /// other short line gives its count, "1 field" in the singular.
    #[test]
    fn a_short_line_names_an_unclosed_quote_or_its_count() {
        let text = "position,value\n\"stETH,1\nUSDC,2\n";
        let d = wrong_length(text, line_at(text, 15), ("a holdings line", 1, 2), "help");
        assert!(
            d.message
                .starts_with("a quote opened on this line is not closed"),
            "{}",
            d.message
        );
        assert_eq!(d.span, Some(15..23));
        let text = "position,value\nstETH\n\"USDC, on Aave\",2\n";
        let d = wrong_length(text, line_at(text, 15), ("a holdings line", 1, 2), "help");
        assert_eq!(d.message, "a holdings line has 1 field, not 2");
        assert_eq!(d.help.as_deref(), Some("help"));
        let d = wrong_length(text, line_at(text, 15), ("a payment line", 3, 4), "help");
        assert_eq!(d.message, "a payment line has 3 fields, not 4");
    }

    #[test]
    fn fields_are_found_at_their_columns_quotes_and_all() {
        let text = "a, \"b,c\" ,d\r";
        let spans = field_spans(text, 0..text.len());
        let fields: Vec<&str> = spans.iter().map(|s| &text[s.clone()]).collect();
        assert_eq!(fields, ["a", "\"b,c\"", "d"]);
    }

    #[test]
    fn amounts_say_why_not() {
        let why = |t: &str| amount(t).unwrap_err();
        assert_eq!(amount("12.50"), Ok(Decimal::new(1250, 2)));
        assert_eq!(amount("0e99"), Ok(Decimal::ZERO));
        assert_eq!(amount("1_000"), Ok(Decimal::new(1000, 0)));
        assert_eq!(why("-10"), "is negative");
        assert_eq!(why("10.001"), "has fractions of a cent");
        assert_eq!(why("1e400"), "is too large (above 10^15)");
        assert_eq!(
            why("99999999999999999999999999999"),
            "is too large (above 10^15)"
        );
        assert_eq!(why("2e15"), "is too large (above 10^15)");
        assert_eq!(why("-1e400"), "is negative");
        assert_eq!(why(".5"), "has no digit before its point; write 0.5");
        assert_eq!(why("5."), "has no digit after its point; write 5");
        assert_eq!(why("1.e3"), "has no digit after its point; write 1e3");
        for bad in ["abc", "nan", "inf", "$5", "1,000.00", "", "1__000", "_5"] {
            assert_eq!(why(bad), "is not a number", "{bad}");
        }
    }
}
