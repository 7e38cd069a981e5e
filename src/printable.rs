//! Text from a file made safe to print: control characters (C0, DEL, C1) and
//! the Unicode bidirectional controls are written as visible escapes, so a
//! name can neither move the cursor, colour the terminal, start a fake line
//! nor reorder what follows it. Used by every text format and every error
//! message; JSON escapes them itself.

use std::borrow::Cow;

/// Whether `c` changes how the text around it is shown rather than showing
/// itself: C0 and C1 control characters, DEL, and the bidirectional
/// embedding, override and isolate controls.
#[must_use]
pub fn is_unprintable(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// What `c` is when it shows as nothing or as a plain space without being
/// one: the unprintable characters above, the zero-width and joining
/// characters, the soft hyphen, the byte-order mark, and every blank other
/// than the ASCII space (no-break, typographic and ideographic spaces, tab).
/// A name holding one looks like a name without it but is not the same
/// name, so readers of names refuse it.
#[must_use]
pub fn hidden(c: char) -> Option<&'static str> {
    Some(match c {
        ' ' => return None,
        '\u{00A0}' => "a no-break space",
        '\u{202F}' => "a narrow no-break space",
        '\u{200B}' => "a zero-width space",
        '\u{200C}' | '\u{200D}' => "a zero-width joiner",
        '\u{2060}'..='\u{2064}'
        | '\u{180B}'..='\u{180F}'
        | '\u{034F}'
        | '\u{17B4}'
        | '\u{17B5}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{E0000}'..='\u{E007F}'
        | '\u{E0100}'..='\u{E01EF}' => "an invisible character",
        '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' => {
            "a Hangul filler (it shows as a blank)"
        }
        '\u{FEFF}' => "a zero-width no-break space (byte-order mark)",
        '\u{00AD}' => "a soft hyphen",
        '\t' => "a tab",
        _ if c.is_whitespace() && !c.is_control() => "a blank other than the space",
        _ if is_unprintable(c) => "a control character",
        _ => return None,
    })
}

/// The first character of `text` that [`hidden`] describes, with its
/// description.
#[must_use]
pub fn first_hidden(text: &str) -> Option<(char, &'static str)> {
    if text.bytes().all(|b| (0x21..0x7f).contains(&b) || b == b' ') {
        return None;
    }
    text.chars().find_map(|c| hidden(c).map(|what| (c, what)))
}

/// `text` with every unprintable character escaped (`\n`, `\r`, `\t`, or
/// `\u{1b}`); borrowed unchanged when it has none.
#[must_use]
pub fn printable(text: &str) -> Cow<'_, str> {
    escape_except(text, &[])
}

/// As [`printable`], but keeping the characters in `keep` (e.g. `\n` in a
/// message of several lines).
#[must_use]
pub fn escape_except<'a>(text: &'a str, keep: &[char]) -> Cow<'a, str> {
    // Printable ASCII (the usual case) needs no closer look.
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Cow::Borrowed(text);
    }
    if !text
        .chars()
        .any(|c| is_unprintable(c) && !keep.contains(&c))
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !is_unprintable(c) || keep.contains(&c) {
            out.push(c);
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            _ => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
        }
    }
    Cow::Owned(out)
}

/// `c` as one visible character of the same width, for echoing a line of a
/// file under which a caret must stay aligned: control characters become
/// their Control Pictures (`␛` for ESC), other unprintables `�`.
#[must_use]
pub fn picture(c: char) -> char {
    match u32::from(c) {
        n @ 0..=0x1f => char::from_u32(0x2400 + n).unwrap_or('\u{FFFD}'),
        0x7f => '\u{2421}',
        _ if is_unprintable(c) => '\u{FFFD}',
        _ => c,
    }
}

/// The Latin letter a Cyrillic or Greek letter looks the same as (`а`,
/// U+0430, is `a`), with the alphabet it is from; `None` for any other
/// character. A name spelt with one (`аave`) is another name than the one it
/// looks like, so a suggestion compares names with these folded.
#[must_use]
pub fn latin_lookalike(c: char) -> Option<(char, &'static str)> {
    let latin = match c {
        'а' | 'А' | 'α' | 'Α' => 'a',
        'В' | 'Β' => 'b',
        'с' | 'С' | 'ϲ' => 'c',
        'ԁ' => 'd',
        'е' | 'Е' | 'Ε' => 'e',
        'Η' | 'Н' => 'h',
        'і' | 'І' | 'ι' | 'Ι' => 'i',
        'ј' | 'Ј' => 'j',
        'К' | 'Κ' | 'κ' => 'k',
        'М' | 'Μ' => 'm',
        'Ν' | 'ν' => 'n',
        'о' | 'О' | 'ο' | 'Ο' => 'o',
        'р' | 'Р' | 'ρ' | 'Ρ' => 'p',
        'ѕ' | 'Ѕ' => 's',
        'Т' | 'Τ' => 't',
        'у' | 'υ' | 'У' | 'Υ' => 'y',
        'х' | 'Х' | 'Χ' | 'χ' => 'x',
        'Ζ' => 'z',
        _ => return None,
    };
    let alphabet = if ('\u{0370}'..='\u{03FF}').contains(&c) {
        "Greek"
    } else {
        "Cyrillic"
    };
    Some((latin, alphabet))
}

/// `text` in lower case with every [`latin_lookalike`] folded to its Latin
/// letter: the name it looks like.
#[must_use]
pub fn as_it_looks(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.chars()
        .map(|c| latin_lookalike(c).map_or(c, |(l, _)| l))
        .collect::<String>()
        .to_lowercase()
}

/// The first letter of `text` that looks like a Latin one but is not, with
/// the Latin letter and its alphabet.
#[must_use]
pub fn first_lookalike(text: &str) -> Option<(char, char, &'static str)> {
    if text.is_ascii() {
        return None;
    }
    text.chars()
        .find_map(|c| latin_lookalike(c).map(|(l, alphabet)| (c, l, alphabet)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookalike_letters_fold_to_the_latin_ones() {
        assert_eq!(as_it_looks("\u{430}\u{430}ve"), "aave");
        assert_eq!(as_it_looks("\u{435}thereum"), "ethereum");
        assert_eq!(as_it_looks("Aave"), "aave");
        assert_eq!(as_it_looks("日本"), "日本");
        assert_eq!(
            first_lookalike("a\u{430}ve"),
            Some(('\u{430}', 'a', "Cyrillic"))
        );
        assert_eq!(first_lookalike("\u{3bf}p"), Some(('\u{3bf}', 'o', "Greek")));
        assert_eq!(first_lookalike("aave"), None);
        assert_eq!(first_lookalike("é"), None);
    }

    #[test]
    fn hidden_characters_are_named_and_visible_ones_are_not() {
        assert_eq!(first_hidden("aave-v3 (x)"), None);
        assert_eq!(first_hidden("Lido on Ethereum, é ü 日本"), None);
        for (text, c) in [
            ("aave\u{200B}", '\u{200B}'),
            ("aave\u{00A0}v3", '\u{00A0}'),
            ("\u{FEFF}aave", '\u{FEFF}'),
            ("a\tb", '\t'),
            ("a\u{3000}b", '\u{3000}'),
            ("a\u{2009}b", '\u{2009}'),
            ("a\u{202E}b", '\u{202E}'),
            ("a\u{7}b", '\u{7}'),
            ("co\u{00AD}op", '\u{00AD}'),
            ("aave\u{034F}", '\u{034F}'),
            ("aave\u{FE0F}", '\u{FE0F}'),
            ("aave\u{3164}", '\u{3164}'),
            ("aave\u{115F}", '\u{115F}'),
            ("aave\u{E0020}", '\u{E0020}'),
        ] {
            assert_eq!(first_hidden(text).map(|(h, _)| h), Some(c), "{text:?}");
        }
    }

    #[test]
    fn escapes_terminal_sequences_and_line_breaks() {
        assert_eq!(
            printable("evil\u{1b}[31mRED\r\nx"),
            "evil\\u{1b}[31mRED\\r\\nx"
        );
        assert_eq!(printable("a\u{202E}b\u{85}"), "a\\u{202e}b\\u{85}");
        assert!(matches!(printable("plain é"), Cow::Borrowed(_)));
        assert_eq!(escape_except("a\nb\u{7}", &['\n']), "a\nb\\u{7}");
    }

    #[test]
    fn pictures_keep_one_column() {
        assert_eq!(picture('\u{1b}'), '␛');
        assert_eq!(picture('\u{7f}'), '␡');
        assert_eq!(picture('a'), 'a');
    }
}
