//! What the terminal is like, decided once from the global flags and the
//! environment: whether tables are coloured (`--color`, `NO_COLOR`) and how
//! wide they may be (`--width`, else the terminal's width when standard
//! output is one). Output that goes to a pipe or a file gets the plain,
//! unlimited tables, byte for byte the same on every machine.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::OnceLock;

use clap::{Args, ValueEnum};
use serde::Serialize;
use yieldplan::report::{self, Document, Format, TableStyle};

/// When to colour tables.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless the NO_COLOR environment variable is set
    #[default]
    Auto,
    /// Always, even into a pipe or a file
    Always,
    /// Never
    Never,
}

/// The flags every command shares about how output looks.
#[derive(Clone, Copy, Debug, Default, Args)]
pub struct Display {
    /// Colour tables: bold headers, goal statuses in green, yellow or red
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// Fit tables in N columns, leaving out detail columns (default: the terminal's width on a
    /// terminal, no limit into a pipe or a file)
    #[arg(long, value_name = "N", value_parser = parse_width, allow_negative_numbers = true, global = true)]
    pub width: Option<u16>,
    /// Show every column of every table at full width, even on a narrow terminal or with --width
    #[arg(long, global = true)]
    pub wide: bool,
}

/// Where the table flags would do nothing: a command that draws no table,
/// or a `--format` that is not a table.
pub enum NoTable<'a> {
    /// `yieldplan COMMAND` draws no table (`init`, `schema`, ...).
    Command(&'a str),
    /// `--format FORMAT` is not a table (`json`, `csv`, ...).
    Format(&'a str),
}

impl Display {
    /// Refuses the table flags where there is no table to fit or colour:
    /// `--width`, `--wide` and `--color always` would do nothing there
    /// (`--color never` and `auto` hold as they are).
    ///
    /// # Errors
    /// The first such flag given, naming it and the command or format.
    pub fn refuse_unused(&self, place: NoTable<'_>) -> anyhow::Result<()> {
        let flag = if self.width.is_some() {
            "--width"
        } else if self.wide {
            "--wide"
        } else if self.color == ColorChoice::Always {
            "--color always"
        } else {
            return Ok(());
        };
        match place {
            NoTable::Command(command) => anyhow::bail!(
                "{flag} does nothing for `yieldplan {command}`, which draws no table\n  = help: leave {flag} out"
            ),
            NoTable::Format(format) => anyhow::bail!(
                "{flag} does nothing with --format {format}: only table output is fitted to a width or coloured\n  = help: leave {flag} out, or use --format table"
            ),
        }
    }
}

static DISPLAY: OnceLock<Display> = OnceLock::new();

/// Records the display flags of this run (the first call wins).
pub fn set(display: Display) {
    let _ = DISPLAY.set(display);
}

/// Whether the NO_COLOR convention asks for no colour: the variable is set
/// and not empty (<https://no-color.org>).
fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// How to draw tables written to `output` (standard output when `None`);
/// `--wide` asks for every column at its full width, as into a pipe.
#[must_use]
pub fn table_style(output: Option<&Path>) -> TableStyle {
    let display = DISPLAY.get().copied().unwrap_or_default();
    let terminal = output.is_none_or(super::output::is_stdout) && std::io::stdout().is_terminal();
    let color = match display.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && !no_color_env(),
    };
    let width = display
        .width
        .or_else(|| terminal.then(terminal_columns).flatten());
    let wide = display.wide;
    let width = width.filter(|_| !wide);
    TableStyle { width, wide, color }
}

/// The width of the terminal on standard output, in columns: what the
/// terminal reports (its column count alone: a pseudo-terminal may report 0
/// rows), else the `COLUMNS` environment variable when it is a whole number
/// above 0, else `None` (tables are not fitted). Only asked when standard
/// output is a terminal, so piped output never depends on `COLUMNS`.
fn terminal_columns() -> Option<u16> {
    reported_columns().or_else(|| columns_env(std::env::var("COLUMNS").ok().as_deref()))
}

/// The column count the terminal on standard output reports, when above 0.
#[cfg(unix)]
fn reported_columns() -> Option<u16> {
    rustix::termios::tcgetwinsize(std::io::stdout())
        .ok()
        .map(|size| size.ws_col)
        .filter(|&cols| cols > 0)
}

/// The column count the terminal on standard output reports, when known.
#[cfg(not(unix))]
fn reported_columns() -> Option<u16> {
    terminal_size::terminal_size()
        .map(|(w, _)| w.0)
        .filter(|&cols| cols > 0)
}

/// `COLUMNS` as a width: a whole number above 0, else `None`.
fn columns_env(value: Option<&str>) -> Option<u16> {
    value?.trim().parse::<u16>().ok().filter(|&cols| cols > 0)
}

/// Renders a report in `format` for `output` (standard output when `None`),
/// tables drawn as [`table_style`] says.
pub fn render<T: Serialize>(
    format: Format,
    output: Option<&Path>,
    report: &T,
    layout: impl FnOnce(&T) -> Document,
) -> String {
    report::render_styled(format, table_style(output), report, layout)
}

/// `--width`: 40 to 1,000 columns; a negative number or zero says so.
fn parse_width(text: &str) -> Result<u16, String> {
    super::args::parse_count(text, "--width", 40, 1000).map(|n| u16::try_from(n).unwrap_or(1000))
}

#[cfg(test)]
mod tests {
    use super::columns_env;

    #[test]
    fn columns_env_takes_only_a_positive_whole_number() {
        assert_eq!(columns_env(Some("70")), Some(70));
        assert_eq!(columns_env(Some(" 120 ")), Some(120));
        assert_eq!(columns_env(Some("0")), None);
        assert_eq!(columns_env(Some("-5")), None);
        assert_eq!(columns_env(Some("wide")), None);
        assert_eq!(columns_env(Some("70000000")), None);
        assert_eq!(columns_env(Some("")), None);
        assert_eq!(columns_env(None), None);
    }
}
