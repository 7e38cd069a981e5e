//! The command-line side of `yieldplan`: clap types ([`args`]), one module per
//! command ([`commands`]), every file read and write ([`files`]), the one way a
//! profile is loaded ([`load`]) and the progress bar ([`progress`]).
//!
//! This is the only place that knows clap, prints, or touches the file system;
//! the library it calls is pure. It must not compute anything the library
//! could: it converts what the user typed into library values, calls the
//! library, and writes the result.

pub mod args;
pub mod commands;
pub mod files;
pub mod load;
pub mod progress;

use std::process::ExitCode;

use anyhow::Result;
use yieldplan::error::Diagnostics;

use args::{Cli, Command};

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

/// The text of an error in the program's one style: a profile's diagnostics
/// as they render, anything else as `error: ` and its chain of causes.
pub fn error_text(e: &anyhow::Error) -> String {
    match e.downcast_ref::<Diagnostics>() {
        Some(d) => d.to_string(),
        None => format!("error: {e:#}"),
    }
}

/// Prints an error to stderr in the program's one style.
pub fn report_error(e: &anyhow::Error) {
    files::print_error(&error_text(e));
}

/// Runs one command.
///
/// # Errors
/// Any input the command cannot use (a missing or malformed file, a flag
/// combination that makes no sense) or an output that cannot be written.
pub fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Plan(a) => commands::plan::run(&a),
        Command::Check(a) => commands::check::run(&a),
        Command::Compare(a) => commands::compare::run(&a),
        Command::Il(a) => commands::il::run(&a),
        Command::Stress(a) => commands::stress::run(&a),
        Command::Project(a) => commands::project::run(&a),
        Command::Pools(a) => commands::pools::run(&a),
        Command::Rates(a) => commands::rates::run(&a),
    }
}
