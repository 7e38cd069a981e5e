//! A bound on what a TOML input may cost to parse.
//!
//! The `toml` parser holds every token, parse event and value of a file at
//! once: about 75 to 140 bytes of memory per token. The size limit on files
//! (64 MiB) therefore does not bound memory: 16 MB of `1,1,1,…` took 1.2 GB,
//! 30 MB of repeated keys 1.3 GB. A TOML input (profile, rate book, holdings)
//! may have at most [`MAX_TOML_TOKENS`] tokens, counted with the parser's own
//! lexer (`toml_parser`) before anything is parsed. The 100,000-position
//! bench profile (`benches/gen_profile.py`) has 3.9 million.
//!
//! Also checked before parsing: carriage returns without a line feed after
//! them (the line ends of old Mac OS files), which TOML does not take and
//! the parser would report once per line.

use rust_decimal::Decimal;

use crate::error::Diagnostic;
use crate::money::group_thousands;

/// The most tokens (keys, values, punctuation, blanks, comments, line ends)
/// a TOML input may have.
pub const MAX_TOML_TOKENS: usize = 5_000_000;

/// The refusal of a TOML input (`what`: "profile", "rate book", ...) with
/// more than [`MAX_TOML_TOKENS`] tokens, pointing at the first token past
/// the limit; `None` when it is within it. Only a text longer than the limit
/// in bytes is lexed, since every token but the end is at least one byte.
#[must_use]
pub fn over_budget(text: &str, what: &str) -> Option<Diagnostic> {
    if text.len() < MAX_TOML_TOKENS {
        return None;
    }
    let past = toml_parser::Source::new(text)
        .lex()
        .filter(|t| t.kind() != toml_parser::lexer::TokenKind::Eof)
        .nth(MAX_TOML_TOKENS)?;
    let at = past.span().start();
    let width = text
        .get(at..)
        .and_then(|t| t.chars().next())
        .map_or(0, char::len_utf8);
    Some(
        Diagnostic::at(
            at..at + width,
            format!(
                "the {what} has more than {} TOML tokens (keys, values, punctuation, blanks, \
                 comments, line ends); this one is past the limit",
                group_thousands(Decimal::from(MAX_TOML_TOKENS), 0)
            ),
        )
        .with_help(format!(
            "no {what} needs that much (the limit bounds what parsing a file can take, \
             75 to 140 bytes a token): check that this is the right file{}",
            if what == "profile" {
                ", or split the portfolio"
            } else {
                ""
            }
        )),
    )
}

/// The refusal of a TOML input (`what`: "profile", "rate book", ...) that
/// holds a carriage return without a line feed after it (a lone CR: the line
/// ends of old Mac OS files, or a stray CR), pointing at the first; `None`
/// when it has none. TOML takes CR only as part of a CR LF line end, not
/// alone anywhere (not in comments or strings either).
#[must_use]
pub fn lone_carriage_return(text: &str, what: &str) -> Option<Diagnostic> {
    let bytes = text.as_bytes();
    let mut lone = bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
        .map(|(i, _)| i);
    let first = lone.next()?;
    let count = lone.count() + 1;
    let message = if count == 1 {
        format!(
            "the {what} has a carriage return without a line feed after it (a lone CR); \
             TOML takes CR only as part of a CR LF line end"
        )
    } else {
        format!(
            "the {what} has {} carriage returns without a line feed after them (lone CRs); \
             TOML takes CR only as part of a CR LF line end; the first is here",
            group_thousands(Decimal::from(count), 0)
        )
    };
    // Most line ends a lone CR: a file saved with old Mac OS line ends.
    let mac = count > bytes.iter().filter(|&&b| b == b'\n').count();
    Some(Diagnostic::at(first..first + 1, message).with_help(if mac {
        "its lines end with CR alone (old Mac OS): save it with LF (Unix) or CR LF \
             (Windows) line ends, e.g. tr '\\r' '\\n' < old.toml > new.toml"
    } else {
        "save it with LF (Unix) or CR LF (Windows) line ends throughout; inside a \
             string, write a carriage return as \\r"
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_ended_by_a_lone_carriage_return_are_refused_once_at_the_first() {
        assert!(lone_carriage_return("a = 1\r\nb = 2\n", "profile").is_none());
        let d = lone_carriage_return("a = 1\rb = 2\rc = 3\r", "profile").unwrap();
        assert_eq!(d.span, Some(5..6));
        assert!(
            d.message.starts_with("the profile has 3 carriage returns"),
            "{}",
            d.message
        );
        assert!(d.help.as_deref().unwrap().contains("tr '\\r' '\\n'"));
        // Old Mac line ends with one LF at the end: still the conversion.
        let d = lone_carriage_return("a = 1\rb = 2\rc = 3\n", "profile").unwrap();
        assert!(d.help.as_deref().unwrap().contains("tr '\\r' '\\n'"));
        // One stray CR among LF lines: named alone, no conversion suggested.
        let d = lone_carriage_return("a = 1\r\nb = 2\rc = 3\n", "rate book").unwrap();
        assert_eq!(d.span, Some(12..13));
        assert!(
            d.message.starts_with("the rate book has a carriage return"),
            "{}",
            d.message
        );
        assert!(!d.help.as_deref().unwrap().contains("tr "));
        // CR CR LF (a Windows file converted twice) is not old Mac OS.
        let d = lone_carriage_return("a = 1\r\r\nb = 2\r\r\n", "profile").unwrap();
        assert_eq!(d.span, Some(5..6));
        assert!(!d.help.as_deref().unwrap().contains("Mac"));
        // A CR at the very end.
        assert_eq!(
            lone_carriage_return("a = 1\r", "profile").unwrap().span,
            Some(5..6)
        );
    }

    #[test]
    fn a_short_text_is_not_lexed_and_passes() {
        assert!(over_budget("a = 1\n", "profile").is_none());
    }

    #[test]
    fn the_first_token_past_the_limit_is_named() {
        // `1,` is two tokens: the limit falls inside the array.
        let text = format!("z = [{}1]\n", "1,".repeat(MAX_TOML_TOKENS / 2));
        let d = over_budget(&text, "profile").expect("over the limit");
        let at = d.span.clone().expect("a place").start;
        // `z`, ` `, `=`, ` `, `[` come first: token number MAX (0-based) is
        // the `1` or `,` at byte MAX - 5 + 5 = MAX of the text.
        assert_eq!(at, MAX_TOML_TOKENS);
        assert!(d.message.contains("5,000,000 TOML tokens"), "{}", d.message);
    }

    #[test]
    fn exactly_the_limit_passes() {
        // `z = [` is 5 tokens, then n `1,` pairs, then `1]` and a newline: 5 + 2n + 3.
        let n = (MAX_TOML_TOKENS - 8) / 2;
        let text = format!("z = [{}1]\n", "1,".repeat(n));
        assert!(over_budget(&text, "profile").is_none());
    }
}
