//! One module per command: its arguments (clap types) and its `run`, which
//! loads the inputs, calls the library and writes the rendered result. A
//! command adds no figures of its own.

pub mod check;
pub mod compare;
pub mod completions;
pub mod il;
pub mod init;
pub mod optimize;
pub mod plan;
pub mod pools;
pub mod project;
pub mod rates;
pub mod review;
pub mod schema;
pub mod stress;
