//! The command line, as clap types. What the user typed becomes typed values
//! here, once; nothing downstream parses strings again.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::engine::check::Denied;
use crate::engine::lints::Lint;
use crate::engine::plan::Status;
use crate::report::Format;

const AFTER_HELP: &str = "Exit codes: 0 success; 1 a check failed (goal below the required status, or a denied lint fired); 2 the input or the command line is wrong.";

/// Plan a crypto yield portfolio from a TOML profile: blended income bands,
/// an income-goal check and sustainability warnings.
#[derive(Debug, Parser)]
#[command(name = "yieldplan", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Plan one profile: positions, blended income bands, goal status, warnings
    Plan(PlanArgs),
    /// Check profiles against their income goals; exits 1 when one fails
    Check(CheckArgs),
    /// Show profiles side by side: APY band, income, required yield, status
    Compare(CompareArgs),
    /// Print the effective rate book (the default, extended by --rates)
    Rates(RatesArgs),
}

/// Options every planning command shares.
#[derive(Debug, Args)]
pub struct Output {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// A rate book file that extends (or, with `replace = true`, replaces) the default
    #[arg(long, value_name = "FILE")]
    pub rates: Option<PathBuf>,
    /// Write the output to FILE (atomically) instead of standard output
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The profile to plan
    pub profile: PathBuf,
    #[command(flatten)]
    pub out: Output,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The profiles to check
    #[arg(required = true)]
    pub profiles: Vec<PathBuf>,
    /// Fail when this lint fires ("warnings": any warning); repeatable
    #[arg(long, value_name = "LINT", value_parser = parse_denied)]
    pub deny: Vec<Denied>,
    /// Ignore this lint; repeatable
    #[arg(long, value_name = "LINT", value_parser = parse_lint)]
    pub allow: Vec<Lint>,
    /// The goal status a profile needs to pass
    #[arg(long, value_name = "STATUS", default_value = "likely", value_parser = parse_status)]
    pub require: Status,
    #[command(flatten)]
    pub out: Output,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Two or more profiles
    #[arg(required = true, num_args = 2..)]
    pub profiles: Vec<PathBuf>,
    #[command(flatten)]
    pub out: Output,
}

#[derive(Debug, Args)]
pub struct RatesArgs {
    #[command(flatten)]
    pub out: Output,
}

fn lint_help(text: &str) -> String {
    let names = Lint::NAMES.join(", ");
    match crate::error::nearest(text, Lint::NAMES) {
        Some(n) => format!("unknown lint \"{text}\"; did you mean \"{n}\"? (lints: {names})"),
        None => format!("unknown lint \"{text}\" (lints: {names})"),
    }
}

fn parse_lint(text: &str) -> Result<Lint, String> {
    Lint::parse(text).ok_or_else(|| lint_help(text))
}

fn parse_denied(text: &str) -> Result<Denied, String> {
    if text == "warnings" {
        return Ok(Denied::Warnings);
    }
    Lint::parse(text)
        .map(Denied::Lint)
        .ok_or_else(|| lint_help(text) + " or \"warnings\"")
}

fn parse_status(text: &str) -> Result<Status, String> {
    Status::parse(text).ok_or_else(|| {
        format!(
            "unknown status \"{text}\"; use one of: {}",
            Status::NAMES.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
