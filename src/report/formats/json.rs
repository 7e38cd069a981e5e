//! JSON for scripts: the report structs themselves, serialised (their field
//! names and units are the schema). No layout is involved and nothing is
//! computed here.

use std::fmt::Write;

use serde::Serialize;

/// Serialises a report as pretty JSON with a final newline.
///
/// Never fails: should serialisation fail, the text is a JSON object holding
/// the error message under `"error"`.
pub fn to_json<T: Serialize>(report: &T) -> String {
    let text =
        serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    let mut text = escape_unprintable(&text);
    text.push('\n');
    text
}

/// JSON escapes the C0 controls itself; the other characters that can
/// rewrite a terminal line (DEL, C1 controls, bidirectional overrides) are
/// written as `\uXXXX` escapes too. They can only stand inside strings, where
/// the escape means the same character.
fn escape_unprintable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut start = 0;
    let mut at = 0;
    // Printable ASCII, newlines and tabs are kept: only the rest is decoded.
    while let Some(skip) = text.as_bytes()[at..]
        .iter()
        .position(|&b| b >= 0x7f || (b < 0x20 && b != b'\n' && b != b'\t'))
    {
        at += skip;
        // `at` starts a character: everything skipped was ASCII.
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        if crate::printable::is_unprintable(c) {
            out.push_str(&text[start..at]);
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                // Writing to a String cannot fail.
                let _ = write!(out, "\\u{u:04x}");
            }
            start = at + c.len_utf8();
        }
        at += c.len_utf8();
    }
    out.push_str(&text[start..]);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn bidirectional_overrides_are_escaped_and_the_json_reads_back() {
        let text = super::to_json(&"aa\u{202e}ve\u{1b}");
        assert!(!text.contains('\u{202e}'));
        assert!(text.contains("\\u202e"));
        let back: String = serde_json::from_str(&text).unwrap();
        assert_eq!(back, "aa\u{202e}ve\u{1b}");
    }

    /// Every kind of character around the escaped ones: multi-byte text is
    /// kept, DEL and C1 controls escaped, and the result reads back.
    #[test]
    fn mixed_text_reads_back() {
        let raw = "é\u{7f}ü€\u{85}x\u{200f}\u{1F600}\nend\t";
        let text = super::to_json(&raw);
        for c in ['\u{7f}', '\u{85}', '\u{200f}'] {
            assert!(!text.contains(c), "{c:?} in {text}");
        }
        assert!(text.contains("é") && text.contains("€") && text.contains('\u{1F600}'));
        let back: String = serde_json::from_str(&text).unwrap();
        assert_eq!(back, raw);
    }
}
