//! The `yieldplan` command: parse the command line, run it, map the outcome
//! to an exit code (0 success, 1 a check failed, 2 bad input). Everything else
//! is in [`cli`] (the command-line side) and the `yieldplan` library.

mod cli;

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    // A panic is a bug: say so in one line, without a stack trace.
    std::panic::set_hook(Box::new(|info| {
        cli::files::print_error(&format!(
            "error: internal error ({info}); this is a bug in yieldplan, please report it with the input that caused it"
        ));
    }));
    let args = match cli::Cli::try_parse() {
        Ok(args) => args,
        Err(e) if e.use_stderr() => {
            // A usage error (exit 2); what the user typed is echoed escaped.
            cli::files::print_error(e.render().to_string().trim_end());
            return ExitCode::from(2);
        }
        Err(e) => {
            // --help or --version: exit 0 only when it could be written.
            let mut text = e.render().to_string();
            if !text.ends_with('\n') {
                text.push('\n');
            }
            return match cli::files::write_stdout(&text) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => {
                    cli::report_error(&err);
                    ExitCode::from(2)
                }
            };
        }
    };
    match cli::run(args) {
        Ok(outcome) => outcome.exit_code(),
        Err(e) => {
            cli::report_error(&e);
            ExitCode::from(2)
        }
    }
}
