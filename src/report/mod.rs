//! Rendering report data as text: a table, JSON, CSV or Markdown.
//!
//! Every report is first laid out as a [`Document`]: titled sections of grids,
//! key/value fields and notes. A grid's columns are defined once (title, CSV
//! keys, cell), so table, CSV and Markdown always agree; each [`Format`] is one
//! [`Renderer`]. JSON is the report structs themselves, serialised. This module
//! computes nothing new: it only formats what the engine produced.

mod csv;
mod documents;
mod markdown;
mod plot;
mod table;

use serde::Serialize;

pub use documents::{
    check_document, compare_document, il_document, plan_document, pools_document, project_document,
    rates_document, simulation_document, sparkline, stress_document,
};
pub use plot::simulation_svg;

/// Output format, chosen with `--format`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Human-readable tables
    #[default]
    Table,
    /// Stable JSON for scripts (schema_version 1)
    Json,
    /// The main table as CSV, with raw numbers
    Csv,
    /// Markdown, fit for a CI job summary
    Markdown,
}

/// One cell: what people see, and the raw values behind it (one per CSV key).
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub text: String,
    pub raw: Vec<String>,
}

impl Cell {
    /// A cell whose raw value is its text.
    pub fn plain(text: impl Into<String>) -> Cell {
        let text = text.into();
        Cell {
            raw: vec![text.clone()],
            text,
        }
    }

    pub fn new(text: impl Into<String>, raw: Vec<String>) -> Cell {
        Cell {
            text: text.into(),
            raw,
        }
    }
}

/// A column: its title, its CSV keys (one per raw value) and alignment.
#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    pub title: &'static str,
    pub keys: &'static [&'static str],
    pub right: bool,
}

/// A column definition over items of type `T`.
pub struct Column<T> {
    pub header: Header,
    pub cell: Box<dyn Fn(&T) -> Cell>,
}

impl<T> Column<T> {
    pub fn new(
        title: &'static str,
        keys: &'static [&'static str],
        right: bool,
        cell: impl Fn(&T) -> Cell + 'static,
    ) -> Self {
        Column {
            header: Header { title, keys, right },
            cell: Box::new(cell),
        }
    }
}

/// Rows under shared headers.
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    pub title: String,
    pub headers: Vec<Header>,
    pub rows: Vec<Vec<Cell>>,
    /// A final row set apart (totals).
    pub footer: Option<Vec<Cell>>,
}

impl Grid {
    pub fn build<T>(
        title: impl Into<String>,
        columns: &[Column<T>],
        items: &[T],
        footer: Option<&T>,
    ) -> Grid {
        let row = |item: &T| columns.iter().map(|c| (c.cell)(item)).collect::<Vec<_>>();
        Grid {
            title: title.into(),
            headers: columns.iter().map(|c| c.header.clone()).collect(),
            rows: items.iter().map(row).collect(),
            footer: footer.map(row),
        }
    }
}

/// A section of a document.
#[derive(Clone, Debug, PartialEq)]
pub enum Section {
    Grid(Grid),
    /// Labelled values.
    Fields {
        title: String,
        rows: Vec<(String, String)>,
    },
    /// Free lines, such as warnings.
    Notes {
        title: String,
        items: Vec<String>,
    },
}

/// A laid-out report.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub title: String,
    pub lines: Vec<String>,
    pub sections: Vec<Section>,
}

impl Document {
    /// The first grid: what CSV prints.
    pub fn primary(&self) -> Option<&Grid> {
        self.sections.iter().find_map(|s| match s {
            Section::Grid(g) => Some(g),
            _ => None,
        })
    }
}

/// Turns a document into text in one format.
pub trait Renderer {
    fn render(&self, doc: &Document) -> String;
}

/// The renderer for a text format; `None` for JSON, which serialises the report itself.
pub fn renderer(format: Format) -> Option<Box<dyn Renderer>> {
    match format {
        Format::Table => Some(Box::new(table::TableRenderer)),
        Format::Csv => Some(Box::new(csv::CsvRenderer)),
        Format::Markdown => Some(Box::new(markdown::MarkdownRenderer)),
        Format::Json => None,
    }
}

/// Serialises a report as pretty JSON with a final newline.
pub fn to_json<T: Serialize>(report: &T) -> String {
    let mut text =
        serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

/// Renders a report in `format`, given how to lay it out as a document.
pub fn render<T: Serialize>(
    format: Format,
    report: &T,
    layout: impl FnOnce(&T) -> Document,
) -> String {
    match renderer(format) {
        Some(r) => r.render(&layout(report)),
        None => to_json(report),
    }
}
