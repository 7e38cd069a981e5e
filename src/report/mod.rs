//! Rendering report data as text: a table, JSON, CSV or Markdown.
//!
//! Every report is first laid out (`layouts`) as a [`Document`]: titled
//! sections of grids, key/value fields and notes (`document`), filled with
//! shared cells (`cells`). A grid's columns are defined once (title, CSV
//! keys, cell), so table, CSV and Markdown always agree; each [`Format`] is
//! one [`Renderer`] (`formats`). JSON is the report structs themselves,
//! serialised. `plot` draws the simulation's fan chart as SVG.
//!
//! This module computes nothing new: it only formats what the engine
//! produced. It does no I/O either; callers print or write what it returns.

mod cells;
mod document;
mod formats;
mod layouts;
mod plot;

pub use cells::sparkline;
pub use document::{Cell, Column, Document, Grid, Header, Section};
pub use formats::{
    Format, Renderer, TableStyle, render, render_styled, renderer, styled_renderer, to_json,
};
pub use layouts::review_records_document;
pub use layouts::{
    check_document, compare_document, il_document, optimize_document, plan_document,
    pools_document, project_document, rates_document, review_document, simulation_document,
    stress_document,
};
pub use plot::{
    COMPARE_SPREAD, ChartOptions, FAN_LEGEND, LOG_SPREAD, comparison_svg, money_label,
    simulation_svg,
};
