use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = yieldplan::cli::Cli::parse();
    match yieldplan::app::run(cli) {
        Ok(outcome) => outcome.exit_code(),
        Err(e) => {
            yieldplan::app::report_error(&e);
            ExitCode::from(2)
        }
    }
}
