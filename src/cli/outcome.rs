//! How a run ends, and the exit code each ending maps to (design.md §4:
//! 0 success, 1 a check failed, 2 bad input).

use std::process::ExitCode;

/// How a successful run ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Exit code 0.
    Success,
    /// Exit code 1: a check failed.
    CheckFailed,
    /// Exit code 2: some input was broken, reported on stderr, the rest done.
    InputError,
}

impl Outcome {
    /// The process exit code of this outcome.
    pub fn exit_code(self) -> ExitCode {
        match self {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::CheckFailed => ExitCode::from(1),
            Outcome::InputError => ExitCode::from(2),
        }
    }
}
