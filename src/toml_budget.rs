//! A bound on what a TOML input may cost to parse.
//!
//! The `toml` parser holds every token, parse event and value of a file at
//! once: about 75 to 140 bytes of memory per token. The size limit on files
//! (64 MiB) therefore does not bound memory: 16 MB of `1,1,1,…` took 1.2 GB,
//! 30 MB of repeated keys 1.3 GB. A TOML input (profile, rate book, holdings)
//! may have at most [`MAX_TOML_TOKENS`] tokens, counted with the parser's own
//! lexer (`toml_parser`) before anything is parsed. The 100,000-position
//! bench profile (`benches/gen_profile.py`) has 3.9 million.

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

#[cfg(test)]
mod tests {
    use super::*;

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
