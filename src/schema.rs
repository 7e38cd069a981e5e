//! What every JSON report shares: the schema version and the reference to
//! the profile the report is about.
//!
//! It sits at the bottom of the library, beside `money` and `error`, so every
//! report type (the engine's and the pools screen's) can use it without an
//! arrow running up. It computes nothing.

use serde::Serialize;

/// The JSON schema version of every report (a whole number, raised when a
/// field changes meaning or disappears).
pub const SCHEMA_VERSION: u32 = 1;

/// Which profile a report is about.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProfileRef {
    /// The profile's name (its file stem).
    pub name: String,
    /// The profile's path, as given on the command line.
    pub path: String,
}
