//! JSON for scripts: the report structs themselves, serialised (their field
//! names and units are the schema). No layout is involved and nothing is
//! computed here.

use serde::Serialize;

/// Serialises a report as pretty JSON with a final newline.
///
/// Never fails: should serialisation fail, the text is a JSON object holding
/// the error message under `"error"`.
pub fn to_json<T: Serialize>(report: &T) -> String {
    let mut text =
        serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
