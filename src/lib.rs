//! `yieldplan`: plan a crypto yield portfolio from a TOML profile.
//!
//! The data flows one way: [`profile`] reads a file into a typed spec,
//! [`resolve`] checks it against a [`rates::RateBook`] and builds a
//! [`model::Portfolio`], [`engine`] plans it into report data, and [`report`]
//! renders that as a table, JSON, CSV or Markdown. [`app`] glues these to the
//! command line in [`cli`]. Use [`load`] and [`engine::plan`] to plan from Rust.

pub mod app;
pub mod cli;
pub mod engine;
pub mod error;
pub mod model;
pub mod money;
pub mod profile;
pub mod rates;
pub mod report;
pub mod resolve;

use std::path::Path;

use error::Diagnostics;

/// Reads, checks and resolves a profile from its text, against `book`.
/// The error lists every problem found, with file, line and column.
pub fn load(
    path: &Path,
    bytes: &[u8],
    book: &rates::RateBook,
) -> Result<model::Portfolio, Diagnostics> {
    let (text, spec) = profile::load_profile_text(path, bytes)?;
    resolve::resolve(path, &spec, book)
        .map_err(|items| Diagnostics::new(path, &text, "profile", items))
}
