//! The document model every report is laid out in: a title, a few lines, and
//! titled sections of grids, key/value fields and notes.
//!
//! A grid's columns are defined once (title, CSV keys, how to fill a cell), so
//! the table, CSV and Markdown formats always agree. This module holds data
//! shapes only: it formats nothing, computes nothing and does no I/O.

/// One cell: what people see, and the raw values behind it (one per CSV key).
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    /// The text shown in tables and Markdown.
    pub text: String,
    /// The raw values written to CSV, one per key of the cell's column.
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

    /// A cell showing `text`, with `raw` behind it (one value per CSV key).
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
    /// The title shown above the column.
    pub title: &'static str,
    /// The CSV keys, one per raw value of the column's cells.
    pub keys: &'static [&'static str],
    /// Whether the column is right-aligned (numbers are).
    pub right: bool,
    /// A detail column: a table that does not fit a terminal's width as it
    /// is leaves it out first, naming it under the table
    /// (CSV, Markdown and a table of unlimited width keep it).
    pub detail: bool,
    /// An essential column: a table made to fit a width that cannot hold
    /// every other column leaves the others out first (the first column is
    /// always kept).
    pub essential: bool,
}

/// A column definition over items of type `T`.
pub struct Column<T> {
    /// Title, CSV keys and alignment.
    pub header: Header,
    /// Fills the column's cell for one item.
    pub cell: Box<dyn Fn(&T) -> Cell>,
}

impl<T> Column<T> {
    /// A column titled `title`, with CSV `keys`, right-aligned when `right`,
    /// whose cells `cell` fills.
    pub fn new(
        title: &'static str,
        keys: &'static [&'static str],
        right: bool,
        cell: impl Fn(&T) -> Cell + 'static,
    ) -> Self {
        Column {
            header: Header {
                title,
                keys,
                right,
                detail: false,
                essential: false,
            },
            cell: Box::new(cell),
        }
    }

    /// The same column, marked as a detail (see [`Header::detail`]).
    #[must_use]
    pub fn detail(mut self) -> Self {
        self.header.detail = true;
        self
    }

    /// The same column, marked as essential (see [`Header::essential`]).
    #[must_use]
    pub fn essential(mut self) -> Self {
        self.header.essential = true;
        self
    }
}

/// Rows under shared headers.
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    /// The grid's title.
    pub title: String,
    /// One header per column.
    pub headers: Vec<Header>,
    /// One row per item, one cell per column.
    pub rows: Vec<Vec<Cell>>,
    /// A final row set apart (totals).
    pub footer: Option<Vec<Cell>>,
}

impl Grid {
    /// Fills a grid titled `title`: one row per item of `items` through
    /// `columns`, and the `footer` item, if any, as a final row set apart.
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
    /// Rows under shared headers.
    Grid(Grid),
    /// Labelled values.
    Fields {
        /// The section's title.
        title: String,
        /// Label and value pairs, in order.
        rows: Vec<(String, String)>,
        /// The raw value behind each row for CSV (an exact decimal; a
        /// fraction for a rate), one per row; empty when the values are
        /// only text.
        raws: Vec<String>,
    },
    /// Free lines, such as warnings.
    Notes {
        /// The section's title.
        title: String,
        /// One line per note.
        items: Vec<String>,
    },
}

/// A laid-out report.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// The report's title.
    pub title: String,
    /// Lines shown under the title, before the sections.
    pub lines: Vec<String>,
    /// The sections, in order.
    pub sections: Vec<Section>,
}

impl Document {
    /// The first grid: what CSV prints.
    #[must_use]
    pub fn primary(&self) -> Option<&Grid> {
        self.sections.iter().find_map(|s| match s {
            Section::Grid(g) => Some(g),
            _ => None,
        })
    }
}
