//! The output formats: a table for people, CSV for spreadsheets, Markdown for
//! CI summaries, and JSON for scripts.
//!
//! Each text format is one [`Renderer`] over a laid-out
//! [`Document`](super::Document); JSON serialises the report structs
//! themselves. Renderers only turn text into other text: they compute nothing
//! and do no I/O (the caller prints what they return).

mod boxes;
mod csv;
mod fit;
mod json;
mod markdown;
mod table;

use serde::Serialize;

use super::Document;

pub use json::to_json;
pub use table::TableStyle;

crate::names::closed_set! {
    /// Output format, chosen with `--format`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Format {
        /// Human-readable tables
        Table = "table",
        /// Stable JSON for scripts (schema_version 1)
        Json = "json",
        /// The main table as CSV, with raw numbers
        Csv = "csv",
        /// Markdown, fit for a CI job summary
        Markdown = "markdown",
    }
}

/// Turns a document into text in one format.
pub trait Renderer {
    /// The whole document as text in this format.
    fn render(&self, doc: &Document) -> String;
}

/// The renderer for a text format; `None` for JSON, which serialises the report itself.
#[must_use]
pub fn renderer(format: Format) -> Option<Box<dyn Renderer>> {
    styled_renderer(format, TableStyle::default())
}

/// As [`renderer`], tables drawn in `style`.
#[must_use]
pub fn styled_renderer(format: Format, style: TableStyle) -> Option<Box<dyn Renderer>> {
    match format {
        Format::Table => Some(Box::new(table::TableRenderer { style })),
        Format::Csv => Some(Box::new(csv::CsvRenderer)),
        Format::Markdown => Some(Box::new(markdown::MarkdownRenderer)),
        Format::Json => None,
    }
}

/// Renders a report in `format`, given how to lay it out as a document.
pub fn render<T: Serialize>(
    format: Format,
    report: &T,
    layout: impl FnOnce(&T) -> Document,
) -> String {
    render_styled(format, TableStyle::default(), report, layout)
}

/// As [`render`], tables drawn in `style` (the other formats ignore it).
pub fn render_styled<T: Serialize>(
    format: Format,
    style: TableStyle,
    report: &T,
    layout: impl FnOnce(&T) -> Document,
) -> String {
    match styled_renderer(format, style) {
        Some(r) => r.render(&layout(report)),
        None => to_json(report),
    }
}
