//! The option groups several commands share, and the parsers that turn what
//! the user typed into typed values, once. The top-level command is in
//! [`super`]; each command's own arguments live beside its code in
//! [`super::commands`]. Nothing here reads files or computes.

use std::path::PathBuf;

use clap::Args;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use rust_decimal::Decimal;
use yieldplan::engine::simulate::{DEFAULT_PATHS, DEFAULT_SEED};
use yieldplan::names::ClosedSet;
use yieldplan::report::Format;

/// Options every planning command shares.
#[derive(Debug, Args)]
pub struct Output {
    /// Output format
    #[arg(short, long, value_parser = report_format(), default_value_t = Format::Table)]
    pub format: Format,
    /// A rate book file that extends (or, with `replace = true`, replaces) the default
    #[arg(long, value_name = "FILE")]
    pub rates: Option<PathBuf>,
    /// Write the output to FILE (atomically) instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// A saved DefiLlama pools snapshot that positions with a `pool_id` take their yield from
    #[arg(long, value_name = "FILE")]
    pub pools: Option<PathBuf>,
}

/// Monte Carlo options.
#[derive(Debug, Args)]
pub struct SimArgs {
    /// Run the Monte Carlo simulation (project, compare: instead of the deterministic projection; plan: beside the plan)
    #[arg(long)]
    pub simulate: bool,
    /// Number of simulated paths (1 to 1,000,000)
    #[arg(long, value_name = "N", default_value_t = DEFAULT_PATHS, value_parser = parse_paths, allow_negative_numbers = true, requires = "simulate")]
    pub paths: u32,
    /// Random seed: the same seed gives the same result on any machine and thread count
    #[arg(long, value_name = "S", default_value_t = DEFAULT_SEED, value_parser = parse_seed, allow_negative_numbers = true, requires = "simulate")]
    pub seed: u64,
    /// Also draw the simulation as an SVG picture (with --simulate); the name must end in .svg
    #[arg(long, value_name = "FILE.svg", requires = "simulate", value_parser = svg_path())]
    pub plot: Option<PathBuf>,
    /// Draw the value axis of --plot on a logarithmic scale (it turns logarithmic by itself when,
    /// at the horizon, P95 is more than 20 times the median)
    #[arg(long, requires = "plot")]
    pub log: bool,
}

impl SimArgs {
    /// The chart options of `--plot`, the portfolio's value today at year 0.
    pub fn chart(&self, start_value: yieldplan::money::Money) -> yieldplan::report::ChartOptions {
        yieldplan::report::ChartOptions {
            start_value: Some(start_value),
            log: self.log.then_some(true),
        }
    }
}

/// Filters over the pools of a snapshot.
#[derive(Debug, Args)]
pub struct PoolFilter {
    /// Only pools on this chain (e.g. Ethereum)
    #[arg(long, value_parser = parse_name)]
    pub chain: Option<String>,
    /// Only pools of this project (e.g. aave-v3)
    #[arg(long, value_parser = parse_name)]
    pub project: Option<String>,
    /// Only pools whose symbol is, or holds the token, SYMBOL (e.g. USDC)
    #[arg(long, value_parser = parse_name)]
    pub symbol: Option<String>,
    /// Only pools with at least this TVL in USD
    #[arg(long, value_name = "USD", value_parser = parse_tvl, allow_negative_numbers = true)]
    pub min_tvl: Option<f64>,
    /// Only pools of stablecoins
    #[arg(long)]
    pub stablecoin: bool,
    /// Only pools whose APY is at most this ("20%" or 0.2)
    #[arg(long, value_name = "APY", value_parser = parse_max_apy, allow_hyphen_values = true)]
    pub max_apy: Option<f64>,
}

impl PoolFilter {
    /// The library's filter with these values.
    pub fn to_filter(&self) -> yieldplan::pools::Filter {
        yieldplan::pools::Filter {
            chain: self.chain.clone(),
            project: self.project.clone(),
            symbol: self.symbol.clone(),
            book: yieldplan::rates::RateBook::default_book(),
            min_tvl: self.min_tvl,
            stablecoin: self.stablecoin,
            max_apy: self.max_apy,
        }
    }
}

/// A parser for a closed set of names: clap lists the names in `--help`,
/// completes them and suggests the nearest on a typo, all from the set's one
/// spelling.
pub fn one_of<T: ClosedSet + Send + Sync>() -> impl TypedValueParser<Value = T> {
    let values = T::ALL.iter().map(|m| {
        let value = PossibleValue::new(m.name());
        match m.help() {
            "" => value,
            help => value.help(help.trim_end_matches('.')),
        }
    });
    PossibleValuesParser::new(values).map(|name| {
        // Only listed names get here, and each listed name parses.
        T::parse(&name).unwrap_or(T::ALL[0])
    })
}

/// The name of the rate-book file format, which only `rates` prints.
pub const TOML_FORMAT: &str = "toml";

/// The possible values of `--format` for reports, from [`Format`]'s one spelling.
pub fn format_values() -> impl Iterator<Item = PossibleValue> {
    Format::ALL
        .iter()
        .map(|f| PossibleValue::new(f.name()).help(f.help().trim_end_matches('.')))
}

/// `--format` of every command but `rates`: a report format; `toml` (the
/// rate-book file `rates` prints) is refused by name, with where it works.
pub fn report_format() -> impl TypedValueParser<Value = Format> {
    let values = format_values().chain([PossibleValue::new(TOML_FORMAT).hide(true)]);
    PossibleValuesParser::new(values).try_map(|name| {
        Format::parse(&name).ok_or_else(|| {
            format!(
                "--format {TOML_FORMAT} is only for `yieldplan rates` (the rate book as a file); \
                 use table, json, csv or markdown here"
            )
        })
    })
}

/// Most Monte Carlo paths a run may ask for.
pub const MAX_PATHS: u32 = 1_000_000;

/// Most years a projection or simulation may cover.
pub const MAX_YEARS: u32 = 100;

/// A whole number from `min` to `max`, named `what` in errors; a negative
/// number or zero gets "must be positive" rather than clap's tip about `--`.
pub fn parse_count(text: &str, what: &str, min: u64, max: u64) -> Result<u64, String> {
    let t = text.trim();
    if t.starts_with('-') && t[1..].parse::<f64>().is_ok() {
        return Err(format!(
            "{what} must be positive; write a whole number from {min} to {max}"
        ));
    }
    match t.parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        Ok(0) if min == 1 => Err(format!(
            "{what} must be positive; write a whole number from {min} to {max}"
        )),
        Ok(n) if n < min => Err(format!(
            "{what} is at least {min}; write a whole number from {min} to {max}"
        )),
        Ok(_) => Err(format!(
            "{what} is at most {max}; write a whole number from {min} to {max}"
        )),
        // Digits too many for 64 bits: a whole number, far above the maximum.
        Err(e) if *e.kind() == std::num::IntErrorKind::PosOverflow => Err(format!(
            "{what} is at most {max}; write a whole number from {min} to {max}"
        )),
        Err(_) => Err(format!(
            "\"{text}\" is not a whole number; write one from {min} to {max}"
        )),
    }
}

/// `--seed`: any whole number from 0 to 2^64 − 1.
pub fn parse_seed(text: &str) -> Result<u64, String> {
    parse_count(text.trim(), "--seed", 0, u64::MAX).or_else(|e| {
        if text.trim() == "0" {
            Ok(0)
        } else {
            Err(e.replace("must be positive", "must not be negative"))
        }
    })
}

/// `--min-tvl`: an amount in USD of at least 0.
pub fn parse_tvl(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
        Ok(x) if x.is_finite() => Err(format!(
            "--min-tvl {x} must not be negative; write e.g. 1000000"
        )),
        _ => Err(format!(
            "\"{text}\" is not a finite amount; write e.g. 1000000"
        )),
    }
}

/// `--max-apy`: a fraction or percent of at least 0.
pub fn parse_max_apy(text: &str) -> Result<f64, String> {
    let x = parse_rate(text)?;
    if x < 0.0 {
        return Err(format!(
            "--max-apy \"{text}\" must not be negative; write e.g. 20% or 0.2"
        ));
    }
    Ok(x)
}

/// `--paths`: 1 to [`MAX_PATHS`].
pub fn parse_paths(text: &str) -> Result<u32, String> {
    parse_count(text, "--paths", 1, u64::from(MAX_PATHS))
        .map(|n| u32::try_from(n).unwrap_or(MAX_PATHS))
}

/// `--years` of `project` and `compare`: 1 to [`MAX_YEARS`].
pub fn parse_years(text: &str) -> Result<u32, String> {
    parse_count(text, "--years", 1, u64::from(MAX_YEARS))
        .map(|n| u32::try_from(n).unwrap_or(MAX_YEARS))
}

/// The parser of a `--plot` path: any path the operating system takes (not
/// only UTF-8 ones, as `--output` takes them), whose name ends in `.svg`,
/// the only picture format drawn.
pub fn svg_path() -> impl TypedValueParser<Value = PathBuf> {
    clap::builder::PathBufValueParser::new().try_map(svg_only)
}

/// `path` when its name ends in `.svg` (any case).
///
/// # Errors
/// Another extension, or none.
pub fn svg_only(path: PathBuf) -> Result<PathBuf, String> {
    let is_svg = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    if is_svg {
        Ok(path)
    } else {
        Err("the plot is drawn as SVG only; give a file name ending in .svg, e.g. fan.svg".into())
    }
}

/// A plain number, blanks around it ignored as every other numeric flag
/// ignores them; whether it is finite and in range is the command's check,
/// which names the flag's bounds.
pub fn parse_number(text: &str) -> Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .map_err(|_| format!("\"{text}\" is not a number; write e.g. 2 or 0.25"))
}

/// A correlation flag: a plain number (its range, -1 to 1, is the
/// command's check). A percent or other text is refused with the form a
/// correlation takes (`"50%"`: did you mean 0.5?).
pub fn parse_correlation(text: &str) -> Result<f64, String> {
    text.trim().parse::<f64>().map_err(|_| {
        let meant = text
            .trim()
            .strip_suffix('%')
            .and_then(|p| p.trim().parse::<Decimal>().ok())
            .map(|d| d / Decimal::ONE_HUNDRED)
            .filter(|d| d.abs() <= Decimal::ONE)
            .map(|d| format!("; did you mean {}?", d.normalize()))
            .unwrap_or_default();
        format!("\"{text}\" is not a correlation; write a number from -1 to 1, e.g. 0.8{meant}")
    })
}

/// A name to filter by (a chain, project or token): anything but blanks,
/// which would match nothing and name nothing.
pub fn parse_name(text: &str) -> Result<String, String> {
    if text.trim().is_empty() {
        return Err("a blank name matches no pool; give a name such as Ethereum, aave-v3 or USDC, or leave the flag out".into());
    }
    // A character that shows as nothing would make two names look alike
    // (profiles and rate books refuse them too).
    if let Some((c, what)) = yieldplan::printable::first_hidden(text) {
        return Err(format!(
            "the name holds {what} (U+{:04X}), which shows as nothing or as a space; type the name again without it",
            u32::from(c)
        ));
    }
    Ok(text.to_string())
}

/// A currency code as a profile accepts it: 1 to 8 letters, any case,
/// written in capitals.
pub fn parse_currency(text: &str) -> Result<String, String> {
    let t = text.trim();
    if (1..=8).contains(&t.len()) && t.chars().all(|c| c.is_ascii_alphabetic()) {
        Ok(t.to_ascii_uppercase())
    } else {
        Err(format!(
            "\"{text}\" is not a currency code; write its letters, e.g. USD or EUR"
        ))
    }
}

/// "80%" or 0.8 as a fraction.
pub fn parse_fraction(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let value = match t.strip_suffix('%') {
        Some(p) => p.trim().parse::<f64>().map(|x| x / 100.0),
        None => t.parse::<f64>(),
    }
    .map_err(|_| format!("\"{text}\" is not a number; write e.g. 80% or 0.8"))?;
    if !value.is_finite() {
        return Err(format!("\"{text}\" is not a finite number"));
    }
    Ok(value)
}

/// Which reading of a bare number above 1 a rate flag most likely meant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Likelier {
    /// That many percent: `--max-apy 20` is 20%.
    Percent,
    /// A fraction above 1: `--volatility 1.5` is 150%, a volatility
    /// common for a small token.
    Fraction,
}

/// A bare number up to this is offered in both readings: a fraction (×100,
/// at most 1000%) and a percent; above it only as a percent.
const BOTH_READINGS_UP_TO: f64 = 10.0;

/// An APY or other rate flag ("20%" or 0.2), read as a profile reads a rate:
/// a bare number above 1 is refused rather than taken as over 100%, with
/// the percent it most likely meant first (see [`parse_rate_as`]).
pub fn parse_rate(text: &str) -> Result<f64, String> {
    parse_rate_as(text, Likelier::Percent)
}

/// A volatility flag ("80%" or 0.8): as [`parse_rate`], but a bare number
/// above 1 is most likely a fraction (1.5 is 150%), offered first.
pub fn parse_volatility(text: &str) -> Result<f64, String> {
    parse_rate_as(text, Likelier::Fraction)
}

/// A rate, "80%" or 0.8 as a fraction. A bare number above 1 is refused
/// with a suggestion of what it may have meant: up to 10, both readings,
/// `likelier` first ("150%" or "1.5%" for 1.5); above, that many percent.
pub fn parse_rate_as(text: &str, likelier: Likelier) -> Result<f64, String> {
    let value = parse_fraction(text)?;
    let t = text.trim();
    if !t.ends_with('%') && value.abs() > 1.0 {
        return Err(format!(
            "\"{text}\" is a bare number above 1; did you mean {}? A bare number is a fraction (0.35 = 35%)",
            readings(t, value, likelier)
        ));
    }
    Ok(value)
}

/// The percent strings a bare number `t` (of value `value`) may have meant,
/// quoted, the likelier first: `"150%" or "1.5%"`.
fn readings(t: &str, value: f64, likelier: Likelier) -> String {
    let as_percent = format!("\"{t}%\"");
    let times_100 = t
        .parse::<Decimal>()
        .ok()
        .map(|d| format!("\"{}%\"", (d * Decimal::ONE_HUNDRED).normalize()));
    match times_100 {
        Some(as_fraction) if value.abs() <= BOTH_READINGS_UP_TO => match likelier {
            Likelier::Fraction => format!("{as_fraction} or {as_percent}"),
            Likelier::Percent => format!("{as_percent} or {as_fraction}"),
        },
        _ => as_percent,
    }
}

/// A probability as a fraction or percent ("0.9" or "90%").
pub fn parse_probability(text: &str) -> Result<f64, String> {
    let p = parse_fraction(text)?;
    if p < 0.0 {
        return Err(format!(
            "\"{text}\" must be positive: a probability from 0 to 1, e.g. 0.9 or 90%"
        ));
    }
    if (0.0..=1.0).contains(&p) {
        Ok(p)
    } else {
        Err(format!(
            "\"{text}\" is not a probability; write e.g. 0.9 or 90%"
        ))
    }
}

/// Two numbers separated by a colon.
fn parse_pair(text: &str, example: &str) -> Result<(f64, f64), String> {
    let (a, b) = text.split_once(':').ok_or_else(|| {
        format!("\"{text}\" is not two numbers separated by ':'; write e.g. {example}")
    })?;
    let num = |s: &str| {
        s.trim()
            .trim_end_matches('%')
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| format!("\"{s}\" in \"{text}\" is not a number; write e.g. {example}"))
    };
    Ok((num(a)?, num(b)?))
}

/// Pool weights in percent, `80:20`, as fractions.
pub fn parse_weights(text: &str) -> Result<(f64, f64), String> {
    let (a, b) = parse_pair(text, "80:20")?;
    if a <= 0.0 || b <= 0.0 || (a + b - 100.0).abs() > 1e-9 {
        return Err(format!(
            "weights {a}:{b} must both be above 0 and add up to 100, e.g. 80:20"
        ));
    }
    Ok((a / 100.0, b / 100.0))
}

/// A concentrated range as multiples of the entry price, `0.8:1.25`.
pub fn parse_range(text: &str) -> Result<(f64, f64), String> {
    let (lower, upper) = parse_pair(text, "0.8:1.25")?;
    if !(lower > 0.0 && lower < 1.0 && upper > 1.0) {
        return Err(format!(
            "range {lower}:{upper} must contain the entry price 1: lower between 0 and 1, upper above 1, e.g. 0.8:1.25"
        ));
    }
    Ok((lower, upper))
}

/// An amount of money given as flag `flag` (`what` it is, for the message):
/// a number by the one grammar of amounts ([`yieldplan::money::read_amount`],
/// as in the review's files), in whole cents, from 0 (when `zero` is
/// allowed, else above it) to 10^15.
///
/// # Errors
/// The text is not a number (or has a point with no digit on one side), is
/// negative (or zero when not allowed), is above 10^15 or has fractions of
/// a cent.
pub fn parse_amount(flag: &str, text: &str, what: &str, zero: bool) -> Result<Decimal, String> {
    use yieldplan::money::{AmountProblem, read_amount};
    use yieldplan::number_text::NumberProblem;
    let t = text.trim();
    let problem = match read_amount(t) {
        Ok(v) if zero || !v.is_zero() => return Ok(v),
        Ok(_) => "must be above 0".to_string(),
        Err(AmountProblem::Negative) if !zero => "must be above 0".to_string(),
        Err(p) => p.reason(t),
    };
    let example = match read_amount(t) {
        Err(AmountProblem::FractionsOfACent) => "write whole cents, e.g. 5000.25",
        Err(AmountProblem::Number(p)) if p != NumberProblem::NotANumber => {
            return Err(format!("{flag} {text} {problem}"));
        }
        _ => "write e.g. 5000",
    };
    Err(format!("{flag} {text} {problem}: it is {what}; {example}"))
}
