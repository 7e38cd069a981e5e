//! The shape of a fired lint: which lint, how serious, about which position,
//! and what to do. The catalogue of lints itself is vocabulary and lives in
//! [`crate::model::lint`]; which lints fire is decided in [`super::lints`].

use serde::Serialize;

pub use crate::model::lint::{Lint, Severity};

/// One fired lint.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Warning {
    /// Which lint fired.
    pub lint: Lint,
    /// The lint's severity.
    pub severity: Severity,
    /// The position it is about, if any.
    pub position: Option<String>,
    /// What is wrong and what to do about it, in one paragraph.
    pub message: String,
}

impl Warning {
    /// A fired `lint`, about `position` when given, with its severity filled in.
    pub(crate) fn new(lint: Lint, position: Option<&str>, message: String) -> Warning {
        Warning {
            lint,
            severity: lint.severity(),
            position: position.map(str::to_string),
            message,
        }
    }
}
