use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // A panic is a bug: say so in one line, without a stack trace.
    std::panic::set_hook(Box::new(|info| {
        eprintln!(
            "error: internal error ({info}); this is a bug in yieldplan, please report it with the input that caused it"
        );
    }));
    let cli = yieldplan::cli::Cli::parse();
    match yieldplan::app::run(cli) {
        Ok(outcome) => outcome.exit_code(),
        Err(e) => {
            yieldplan::app::report_error(&e);
            ExitCode::from(2)
        }
    }
}
