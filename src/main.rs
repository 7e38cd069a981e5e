//! The `yieldplan` command: parse the command line, run it, map the outcome
//! to an exit code (0 success, 1 a check failed, 2 bad input). Everything else
//! is in [`cli`] (the command-line side) and the `yieldplan` library.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // A panic is a bug: say so in one line, without a stack trace.
    std::panic::set_hook(Box::new(|info| {
        cli::files::print_error(&format!(
            "error: internal error ({info}); this is a bug in yieldplan, please report it with the input that caused it"
        ));
    }));
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(outcome) => outcome.exit_code(),
        Err(e) => {
            cli::report_error(&e);
            ExitCode::from(2)
        }
    }
}
