//! `yieldplan init`: a commented starter profile from a template, with the
//! user's portfolio value, monthly income goal and currency filled in. The
//! templates are data files (`src/cli/templates/*.toml`, built into the
//! binary) with `{{value}}`, `{{monthly_income}}` and `{{currency}}` in
//! place of the figures. A file is written only where none exists.

use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::{Args, ValueEnum};
use rust_decimal::Decimal;
use yieldplan::money::{MAX_MONEY, parse_decimal_text};

use crate::cli::files::write_stdout;
use crate::cli::outcome::Outcome;
use crate::cli::output::write_new;

/// A starting point for a profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Template {
    /// An income portfolio on the seed's allocation template (staking, lending, liquidity, farming)
    Income,
    /// Income on top of a salary, moderate risk: large-cap staking, stablecoin lending, a stable pool
    Supplemental,
    /// Early retirement in 5 years: growth reinvested until the income phase starts
    Retirement,
    /// Financial independence in 25 years: aggressive growth, everything reinvested
    Independence,
}

impl Template {
    /// The template's text, with placeholders.
    fn text(self) -> &'static str {
        match self {
            Template::Income => include_str!("../templates/income.toml"),
            Template::Supplemental => include_str!("../templates/supplemental.toml"),
            Template::Retirement => include_str!("../templates/retirement.toml"),
            Template::Independence => include_str!("../templates/independence.toml"),
        }
    }

    /// The portfolio value and monthly income the template suggests.
    fn defaults(self) -> (&'static str, &'static str) {
        match self {
            Template::Income => ("500000", "1500"),
            Template::Supplemental => ("300000", "1500"),
            Template::Retirement => ("1500000", "6000"),
            Template::Independence => ("750000", "8000"),
        }
    }
}

/// `yieldplan init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The kind of plan to start from
    #[arg(short, long, value_enum, default_value_t = Template::Supplemental)]
    pub template: Template,
    /// What the portfolio is worth, an amount (default: the template's)
    #[arg(long, value_name = "AMOUNT", value_parser = parse_amount, allow_negative_numbers = true)]
    pub value: Option<Decimal>,
    /// The income wanted each month, an amount of at most 10^15 a year (default: the template's)
    #[arg(long, value_name = "AMOUNT", value_parser = parse_monthly, allow_negative_numbers = true)]
    pub monthly_income: Option<Decimal>,
    /// Currency code of the amounts, letters (e.g. USD or EUR; usd is written USD)
    #[arg(long, value_name = "CODE", default_value = "USD", value_parser = crate::cli::args::parse_currency)]
    pub currency: String,
    /// Write the profile to FILE, which must not exist yet, instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// An amount as a profile accepts it: above 0, at most 10^15, whole cents;
/// commas only between thousands (`300,000`, not `3,00,0`).
fn parse_amount(text: &str) -> Result<Decimal, String> {
    let t = text.trim();
    if t.contains(',') && !thousands_grouped(t) {
        return Err(format!(
            "\"{text}\" has a comma out of place; group the digits in thousands (300,000) or write none (300000)"
        ));
    }
    let cleaned: String = t.chars().filter(|c| *c != ',').collect();
    let Some(d) = parse_decimal_text(&cleaned) else {
        // Too large for an exact amount, yet a number: say so.
        return match cleaned.parse::<f64>() {
            Ok(x) if x.is_finite() && x > 1e15 => Err(format!(
                "\"{text}\" is more than the 10^15 this tool accepts"
            )),
            Ok(x) if x.is_finite() && x < 0.0 => Err(format!("\"{text}\" must be more than zero")),
            _ => Err(format!("\"{text}\" is not an amount; write e.g. 300000")),
        };
    };
    if d <= Decimal::ZERO {
        return Err(format!("\"{text}\" must be more than zero"));
    }
    if d > MAX_MONEY {
        return Err(format!(
            "\"{text}\" is more than the 10^15 this tool accepts"
        ));
    }
    if d.normalize().scale() > 2 {
        return Err(format!(
            "\"{text}\" has more than two decimal places (cents)"
        ));
    }
    Ok(d.normalize())
}

/// A monthly income as [`parse_amount`] reads it, whose year (twelve
/// months, the goal a plan checks) is at most 10^15 as every amount of a
/// profile: a larger one would write a goal no plan can hold.
fn parse_monthly(text: &str) -> Result<Decimal, String> {
    let monthly = parse_amount(text)?;
    let most = yieldplan::money::max_monthly();
    if monthly > most {
        return Err(format!(
            "\"{text}\" a month is {} a year, more than the 10^15 this tool accepts; give at most {most} a month",
            monthly * Decimal::from(12)
        ));
    }
    Ok(monthly)
}

/// Whether the commas of `text` group its whole part in thousands: 1 to 3
/// digits, then groups of exactly 3 (`1,234,567.5`, `-12,000`).
fn thousands_grouped(text: &str) -> bool {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let whole = unsigned.split('.').next().unwrap_or_default();
    if unsigned[whole.len()..].contains(',') {
        return false;
    }
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or_default();
    let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    (1..=3).contains(&first.len()) && digits(first) && groups.all(|g| g.len() == 3 && digits(g))
}

/// The starter profile for these arguments.
#[must_use]
pub fn starter(a: &InitArgs) -> String {
    let (value, income) = a.template.defaults();
    let value = a.value.map_or_else(|| value.to_string(), |d| d.to_string());
    let income = a
        .monthly_income
        .map_or_else(|| income.to_string(), |d| d.to_string());
    let text = fill(a.template.text(), "{{value}}", &value);
    let text = fill(&text, "{{monthly_income}}", &income);
    fill(&text, "{{currency}}", &a.currency)
}

/// `text` with every `placeholder` replaced by `value`, the spaces after it
/// adjusted (at least one) so a comment that follows stays in its column.
fn fill(text: &str, placeholder: &str, value: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(placeholder) {
        out.push_str(&rest[..at]);
        let after = &rest[at + placeholder.len()..];
        let spaces = after.len() - after.trim_start_matches(' ').len();
        out.push_str(value);
        if spaces > 0 && after[spaces..].starts_with('#') {
            let column = placeholder.len() + spaces;
            out.push_str(&" ".repeat(column.saturating_sub(value.len()).max(1)));
            rest = &after[spaces..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// The name the starter profile's comment gives the schema file
/// (`yieldplan schema -o profile.schema.json`).
const SCHEMA_FILE: &str = "profile.schema.json";

/// `text` to be written at `path`, with the Taplo `#:schema` directive as
/// its first line when the schema file is beside `path` (a directive to a
/// missing file would be an error in the editor).
fn with_schema_line(path: &Path, text: String) -> String {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if dir.join(SCHEMA_FILE).is_file() {
        format!("#:schema ./{SCHEMA_FILE}\n{text}")
    } else {
        text
    }
}

/// Writes the starter profile to standard output, or to a new file.
///
/// # Errors
/// The output file exists already, or cannot be written.
pub fn run(a: &InitArgs) -> Result<Outcome> {
    // What init writes is a profile, which is TOML, whatever the name says.
    crate::cli::output::toml_output(
        a.output.as_deref(),
        "a profile",
        "name it with .toml, e.g. --output mine.toml",
    )?;
    let text = starter(a);
    // What init writes, plan reads: a value too small for the template's
    // split (every position must be worth a cent) is refused here, not by
    // the plan that follows.
    let book = yieldplan::rates::RateBook::default_book();
    if let Err(e) = yieldplan::load(
        std::path::Path::new("(the starter profile)"),
        text.as_bytes(),
        &book,
    ) {
        anyhow::bail!(
            "the starter profile for these values would not plan:\n{e}\n  = help: give a larger --value (or other figures) and run init again; nothing was written"
        );
    }
    match &a.output {
        None => write_stdout(&text)?,
        Some(path) if crate::cli::output::is_stdout(path) => write_new("--output", path, &text)?,
        Some(path) => {
            let text = with_schema_line(path, text);
            write_new("--output", path, &text)?;
            // A device or a pipe took the text: there is no file to plan.
            if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
                return Ok(Outcome::Success);
            }
            crate::cli::files::print_error(&format!(
                "wrote {}; plan it with: yieldplan plan {}",
                crate::cli::files::shown(path),
                crate::cli::files::shell_word(path)
            ));
        }
    }
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    use super::{fill, parse_amount, parse_monthly};
    use crate::cli::args::parse_currency;
    use crate::cli::files::shell_word;

    #[test]
    fn amounts_take_commas_only_between_thousands() {
        for ok in ["300,000", "1,234,567.25", "999", "1,000", "300000"] {
            assert!(parse_amount(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            parse_amount("1,234,567.25").unwrap().to_string(),
            "1234567.25"
        );
        for bad in [
            "3,00,0",
            "30,0000",
            ",300",
            "300,",
            "1,000.000,5",
            "1000,000",
            "1,,000",
        ] {
            let e = parse_amount(bad).unwrap_err();
            assert!(e.contains("comma out of place"), "{bad}: {e}");
        }
        assert!(
            parse_amount("1e300")
                .unwrap_err()
                .contains("more than the 10^15")
        );
        assert!(
            parse_amount("1e20")
                .unwrap_err()
                .contains("more than the 10^15")
        );
        assert!(parse_amount("abc").unwrap_err().contains("not an amount"));
        assert!(
            parse_amount("-1e300")
                .unwrap_err()
                .contains("more than zero")
        );
    }

    #[test]
    fn a_monthly_income_is_refused_when_its_year_passes_the_limit() {
        assert_eq!(
            parse_monthly("83,333,333,333,333.33").unwrap().to_string(),
            "83333333333333.33"
        );
        for bad in ["83333333333333.34", "1e15", "100000000000000"] {
            let e = parse_monthly(bad).unwrap_err();
            assert!(
                e.contains("a year, more than the 10^15")
                    && e.contains("give at most 83333333333333.33 a month"),
                "{bad}: {e}"
            );
        }
        assert!(parse_monthly("0").unwrap_err().contains("more than zero"));
    }

    #[test]
    fn currencies_are_read_as_a_profile_reads_them() {
        assert_eq!(parse_currency("usd").unwrap(), "USD");
        assert_eq!(parse_currency("Eur").unwrap(), "EUR");
        assert_eq!(parse_currency("USDT").unwrap(), "USDT");
        for bad in ["", "€", "US1", "ABCDEFGHI", "U S"] {
            assert!(parse_currency(bad).is_err(), "{bad}");
        }
    }
    use std::path::Path;

    #[test]
    fn paths_in_the_hint_are_one_shell_word() {
        assert_eq!(shell_word(Path::new("p.toml")), "p.toml");
        assert_eq!(shell_word(Path::new("a/b-c_1.toml")), "a/b-c_1.toml");
        assert_eq!(shell_word(Path::new("my plan.toml")), "'my plan.toml'");
        assert_eq!(
            shell_word(Path::new("ünï cødé 📈.toml")),
            "'ünï cødé 📈.toml'"
        );
        assert_eq!(shell_word(Path::new("it's.toml")), "'it'\\''s.toml'");
        assert_eq!(shell_word(Path::new("$HOME.toml")), "'$HOME.toml'");
        assert_eq!(shell_word(Path::new("-x.toml")), "./-x.toml");
        #[cfg(unix)]
        {
            use std::ffi::OsStr;
            use std::os::unix::ffi::OsStrExt;
            let odd = Path::new(OsStr::from_bytes(b"i\xfe 'x'\\.toml"));
            assert_eq!(shell_word(odd), "$'i\\xfe \\'x\\'\\\\.toml'");
        }
    }

    #[test]
    fn a_filled_value_keeps_its_comment_in_column() {
        assert_eq!(
            fill("v = {{x}}      # c\n", "{{x}}", "12"),
            "v = 12         # c\n"
        );
        assert_eq!(
            fill("v = {{x}} # c", "{{x}}", "123456789"),
            "v = 123456789 # c"
        );
        assert_eq!(fill("name = \"{{x}}\"", "{{x}}", "USD"), "name = \"USD\"");
    }
}
