//! `yieldplan completions SHELL` and `yieldplan man`: the shell completion
//! script and the man page, both generated from the one command-line
//! definition ([`crate::cli::Cli`]), so neither can fall behind a flag.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args, CommandFactory, ValueEnum};
use clap_complete::Shell;

use crate::cli::Cli;
use crate::cli::outcome::Outcome;
use crate::cli::output::emit;

/// A shell `completions` writes a script for.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ShellName {
    /// Bash
    Bash,
    /// Zsh
    Zsh,
    /// Fish
    Fish,
    /// `PowerShell`
    Powershell,
    /// Elvish
    Elvish,
}

impl From<ShellName> for Shell {
    fn from(s: ShellName) -> Self {
        match s {
            ShellName::Bash => Shell::Bash,
            ShellName::Zsh => Shell::Zsh,
            ShellName::Fish => Shell::Fish,
            ShellName::Powershell => Shell::PowerShell,
            ShellName::Elvish => Shell::Elvish,
        }
    }
}

/// `yieldplan completions SHELL`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in
    #[arg(value_enum)]
    pub shell: ShellName,
    /// Write the script to FILE instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `yieldplan man [COMMAND...]`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// The page to write: a command (`plan`), a command under another
    /// (`rates import` or `rates-import`), or a page's name as the pages
    /// cite it (`yieldplan-rates-import`); the main page when absent
    #[arg(value_name = "COMMAND")]
    pub command: Vec<String>,
    /// Write the page to FILE (e.g. yieldplan.1) instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Writes the completion script for one shell.
///
/// # Errors
/// The output cannot be written.
pub fn completions(a: &CompletionsArgs) -> Result<Outcome> {
    let mut cmd = Cli::command();
    let mut bytes = Vec::new();
    clap_complete::generate(Shell::from(a.shell), &mut cmd, "yieldplan", &mut bytes);
    let text = String::from_utf8(bytes).context("the completion script is not UTF-8")?;
    emit(a.output.as_deref(), &text)?;
    Ok(Outcome::Success)
}

/// Every man page, by name: `yieldplan`, then `yieldplan-COMMAND` for each
/// command and `yieldplan-COMMAND-SUB` for each command under it, the names
/// the pages' SUBCOMMANDS sections cite. Each page's SYNOPSIS names the
/// command as it is typed (`yieldplan rates import`), from `words`.
fn pages(cmd: &clap::Command, name: &str, words: &str, out: &mut Vec<(String, clap::Command)>) {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let title = format!("{name}-{}", sub.get_name());
        let typed = format!("{words} {}", sub.get_name());
        let page = sub
            .clone()
            .name(title.clone())
            .display_name(title.clone())
            .bin_name(typed.clone())
            .version(env!("CARGO_PKG_VERSION"));
        pages(&page, &title, &typed, out);
        out.push((title, page));
    }
}

/// The command for the man pages: without clap's `help` subcommand at any
/// level (its pages would only repeat `--help`), so no page cites one.
fn without_help(cmd: clap::Command) -> clap::Command {
    cmd.disable_help_subcommand(true)
        .mut_subcommands(without_help)
}

/// Writes the man page (roff) of the whole command, or of one command as
/// `yieldplan-COMMAND(1)` (and `yieldplan-COMMAND-SUB(1)` for a command
/// under another).
///
/// # Errors
/// No page has that name, or the output cannot be written.
pub fn man(a: &ManArgs) -> Result<Outcome> {
    let mut cmd = without_help(Cli::command());
    cmd.build();
    // `man yieldplan` (or `yieldplan(1)`) names the program's own page.
    let whole = a.command.is_empty()
        || (a.command.len() == 1 && a.command[0].trim_end_matches("(1)") == "yieldplan");
    let page = if whole {
        cmd
    } else {
        let mut all = Vec::new();
        pages(&cmd, "yieldplan", "yieldplan", &mut all);
        let asked = a.command.join("-");
        let asked = asked.trim_end_matches("(1)");
        let wanted = if asked.starts_with("yieldplan-") {
            asked.to_string()
        } else {
            format!("yieldplan-{asked}")
        };
        let Some((_, page)) = all.into_iter().find(|(name, _)| *name == wanted) else {
            let names: Vec<String> = cmd
                .get_subcommands()
                .filter(|s| !s.is_hide_set() && s.get_name() != "help")
                .map(|s| s.get_name().to_string())
                .collect();
            bail!(
                "no command is named \"{}\" (there is no page {wanted}(1)); the commands are {} (a command under another: `yieldplan man rates import`)",
                a.command.join(" "),
                names.join(", ")
            );
        };
        page
    };
    let mut bytes = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut bytes)
        .context("cannot render the man page")?;
    let text = String::from_utf8(bytes).context("the man page is not UTF-8")?;
    emit(a.output.as_deref(), &text)?;
    Ok(Outcome::Success)
}
