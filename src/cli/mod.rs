//! The command-line side of `yieldplan`: the top-level command and the option groups commands share ([`args`]), one module per
//! command ([`commands`]), every file read ([`files`]) and written ([`output`]), the one way a
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
pub mod outcome;
pub mod output;
pub mod progress;
pub mod terminal;

use anyhow::Result;
use clap::{Parser, Subcommand};

use commands::{
    check::CheckArgs,
    compare::CompareArgs,
    completions::{CompletionsArgs, ManArgs},
    il::IlArgs,
    init::InitArgs,
    optimize::OptimizeArgs,
    plan::PlanArgs,
    pools::PoolsArgs,
    project::ProjectArgs,
    rates::RatesArgs,
    review::ReviewArgs,
    schema::SchemaArgs,
    stress::StressArgs,
};
pub use files::report_error;
pub use outcome::Outcome;

const AFTER_HELP: &str = "Exit codes: 0 success; 1 a check failed (check: a goal below the required status or a denied lint; review: a denied flag; optimize: no mix meets every constraint); 2 the input or the command line is wrong.";

/// Plan a crypto yield portfolio from a TOML profile: blended income bands,
/// an income-goal check and sustainability warnings.
#[derive(Debug, Parser)]
#[command(name = "yieldplan", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
    /// How output looks.
    #[command(flatten)]
    pub display: terminal::Display,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Plan one profile: positions, blended income bands, goal status, warnings
    Plan(PlanArgs),
    /// Check profiles against their income goals; exits 1 when one fails
    Check(CheckArgs),
    /// Show profiles side by side: APY band, income, required yield, status
    Compare(CompareArgs),
    /// Impermanent loss of a liquidity position: at a price ratio, or expected from volatility
    Il(IlArgs),
    /// Shock a profile (crash, yields halved, protocol failure, depeg, slashing, its own
    /// scenarios) and show which shock breaks the income goal
    Stress(StressArgs),
    /// Choose the weights that meet the income goal with the least risk (or most income, or least
    /// CVaR) under the profile's bounds and lint caps; exits 1 when no mix fits
    Optimize(OptimizeArgs),
    /// Project a profile year by year: income, tax, reinvestment, withdrawals, value
    Project(ProjectArgs),
    /// List and screen the pools of a saved DefiLlama yields snapshot
    Pools(PoolsArgs),
    /// Print the effective rate book (the default, extended by --rates), or import pools into one
    Rates(RatesArgs),
    /// Review a profile against a saved plan: what changed, drift and trades back to target,
    /// income received; exits 1 when a denied flag is raised
    Review(ReviewArgs),
    /// Write a commented starter profile from a template, with your value and income goal
    Init(InitArgs),
    /// Print the JSON Schema of a profile file, for editors and validators
    Schema(SchemaArgs),
    /// Print the shell completion script for bash, zsh, fish, powershell or elvish
    Completions(CompletionsArgs),
    /// Print the man page (roff), of the whole program or of one command
    Man(ManArgs),
}

/// Runs one command.
///
/// # Errors
/// Any input the command cannot use (a missing or malformed file, a flag
/// combination that makes no sense) or an output that cannot be written.
pub fn run(cli: Cli) -> Result<Outcome> {
    cap_threads();
    if let Some(name) = tableless(&cli.command) {
        cli.display
            .refuse_unused(terminal::NoTable::Command(name))?;
    }
    refuse_stdin_twice(&cli.command)?;
    if let Some(format) = tableless_format(&cli.command) {
        cli.display
            .refuse_unused(terminal::NoTable::Format(format))?;
    }
    terminal::set(cli.display);
    match cli.command {
        Command::Plan(a) => commands::plan::run(&a),
        Command::Check(a) => commands::check::run(&a),
        Command::Compare(a) => commands::compare::run(&a),
        Command::Il(a) => commands::il::run(&a),
        Command::Stress(a) => commands::stress::run(&a),
        Command::Optimize(a) => commands::optimize::run(&a),
        Command::Project(a) => commands::project::run(&a),
        Command::Pools(a) => commands::pools::run(&a),
        Command::Rates(a) => commands::rates::run(&a),
        Command::Review(a) => commands::review::run(&a),
        Command::Init(a) => commands::init::run(&a),
        Command::Schema(a) => commands::schema::run(&a),
        Command::Completions(a) => commands::completions::completions(&a),
        Command::Man(a) => commands::completions::man(&a),
    }
}

/// The name of a command that draws no table (`--color`, `--width` and
/// `--wide` would do nothing there), or `None`.
fn tableless(command: &Command) -> Option<&'static str> {
    match command {
        Command::Init(_) => Some("init"),
        Command::Schema(_) => Some("schema"),
        Command::Completions(_) => Some("completions"),
        Command::Man(_) => Some("man"),
        Command::Rates(a) if a.action.is_some() => Some("rates import"),
        _ => None,
    }
}

/// Refuses a command given standard input (`-`) for two of its inputs
/// (`plan - --rates -`), before either is read: it can be read only once,
/// and whichever came first would otherwise be read as the other.
fn refuse_stdin_twice(command: &Command) -> Result<()> {
    use std::path::PathBuf;
    let out = |o: &args::Output| -> Vec<(&'static str, Option<PathBuf>)> {
        vec![("--rates", o.rates.clone()), ("--pools", o.pools.clone())]
    };
    let profiles = |ps: &[PathBuf]| -> Vec<(&'static str, Option<PathBuf>)> {
        ps.iter()
            .map(|p| ("the profile", Some(p.clone())))
            .collect()
    };
    let inputs: Vec<(&'static str, Option<PathBuf>)> = match command {
        Command::Plan(a) => [profiles(std::slice::from_ref(&a.profile)), out(&a.out)].concat(),
        Command::Project(a) => [profiles(std::slice::from_ref(&a.profile)), out(&a.out)].concat(),
        Command::Stress(a) => [profiles(std::slice::from_ref(&a.profile)), out(&a.out)].concat(),
        Command::Check(a) => [profiles(&a.profiles), out(&a.out)].concat(),
        Command::Compare(a) => [profiles(&a.profiles), out(&a.out)].concat(),
        Command::Review(a) => [
            profiles(std::slice::from_ref(&a.profile)),
            out(&a.out),
            vec![
                ("--since", Some(a.since.clone())),
                ("--holdings", a.holdings.clone()),
                ("--income", a.income.clone()),
            ],
        ]
        .concat(),
        Command::Optimize(a) => vec![
            ("the profile", Some(a.profile.clone())),
            ("--rates", a.rates.clone()),
            ("--pools", a.pools.clone()),
            ("--candidates", a.candidates.clone()),
        ],
        Command::Pools(a) => vec![("the snapshot", Some(a.file.clone()))],
        Command::Rates(a) => vec![("--rates", a.rates.clone()), ("--pools", a.pools.clone())],
        _ => Vec::new(),
    };
    let mut stdin: Vec<String> = Vec::new();
    for (what, p) in &inputs {
        if p.as_deref().is_some_and(files::is_stdin) {
            stdin.push((*what).to_string());
        }
    }
    let profiles = stdin.iter().filter(|w| *w == "the profile").count();
    if profiles > 1 {
        stdin.retain(|w| w != "the profile");
        stdin.insert(0, format!("{profiles} profiles"));
    }
    if stdin.len() > 1 || profiles > 1 {
        if stdin.len() == 1 {
            anyhow::bail!(
                "standard input (-) is given for {}, and can be read only once\n  = help: give all but one of them as files",
                stdin[0]
            );
        }
        anyhow::bail!(
            "standard input (-) is given for {} and {}, and can be read only once\n  = help: give all but one of them as files",
            stdin[..stdin.len() - 1].join(", "),
            stdin[stdin.len() - 1]
        );
    }
    Ok(())
}

/// The format a command was asked for when it is not a table (`--width`,
/// `--wide` and `--color always` would do nothing there), or `None`.
fn tableless_format(command: &Command) -> Option<&'static str> {
    let format = match command {
        Command::Plan(a) => a.out.format,
        Command::Check(a) => a.out.format,
        Command::Compare(a) => a.out.format,
        Command::Project(a) => a.out.format,
        Command::Review(a) => a.out.format,
        Command::Stress(a) => a.out.format,
        Command::Il(a) => a.format,
        Command::Pools(a) => a.format,
        Command::Optimize(a) => a.format,
        Command::Rates(a) => match a.format {
            commands::rates::RatesFormat::Report(f) => f,
            commands::rates::RatesFormat::Toml => return Some(args::TOML_FORMAT),
        },
        _ => return None,
    };
    (format != yieldplan::report::Format::Table).then(|| format.name())
}

/// At most this many worker threads per core: `RAYON_NUM_THREADS` asking
/// for more (20,000 took minutes just to start them) gets this many. The
/// output does not depend on the number of threads, so nothing changes but
/// the time.
const THREADS_PER_CORE: usize = 4;

/// Caps the worker threads at [`THREADS_PER_CORE`] per core (at least 8)
/// when `RAYON_NUM_THREADS` asks for more.
fn cap_threads() {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let cap = (cores * THREADS_PER_CORE).max(8);
    let asked = std::env::var("RAYON_NUM_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok());
    if asked.is_some_and(|n| n > cap) {
        // Fails only when the pool was already built, which it is not yet.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(cap)
            .build_global();
    }
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
