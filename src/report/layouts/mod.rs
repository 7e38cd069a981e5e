//! How each report is laid out as a [`Document`](super::Document): one file
//! per report. Column definitions live with their report, once per grid, and
//! serve the table, CSV and Markdown formats alike. Layouts only arrange and
//! format what the engine produced: they compute nothing new and do no I/O.

mod check;
mod compare;
mod il;
mod optimize;
mod plan;
mod pools;
mod project;
mod rates;
mod review;
mod review_records;
mod simulation;
mod stress;

pub use check::check_document;
pub use compare::compare_document;
pub use il::il_document;
pub use optimize::optimize_document;
pub use plan::plan_document;
pub use pools::pools_document;
pub use project::project_document;
pub use rates::rates_document;
pub use review::review_document;
pub use review_records::review_records_document;
pub use simulation::simulation_document;
pub use stress::stress_document;
