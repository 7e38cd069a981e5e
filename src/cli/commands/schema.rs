//! `yieldplan schema`: the JSON Schema of a profile file, for editors and
//! validators. The schema itself is the library's
//! ([`yieldplan::profile::profile_schema`]); this only writes it.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use crate::cli::outcome::Outcome;
use crate::cli::output::emit;

/// `yieldplan schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Write the schema to FILE instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Writes the profile's JSON Schema.
///
/// # Errors
/// The output cannot be written.
pub fn run(a: &SchemaArgs) -> Result<Outcome> {
    emit(a.output.as_deref(), &yieldplan::profile::profile_schema())?;
    Ok(Outcome::Success)
}
