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
    /// Impermanent loss of a liquidity position: at a price ratio, or expected from volatility
    Il(IlArgs),
    /// Shock a profile (crash, yields halved, protocol failure, depeg, slashing, its own
    /// scenarios) and show which shock breaks the income goal
    Stress(StressArgs),
    /// Project a profile year by year: income, tax, reinvestment, withdrawals, value
    Project(ProjectArgs),
    /// List and screen the pools of a saved DefiLlama yields snapshot
    Pools(PoolsArgs),
    /// Print the effective rate book (the default, extended by --rates), or import pools into one
    Rates(RatesArgs),
}

/// `yieldplan il`: impermanent loss for a price move or a volatility.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("question").required(true).multiple(true).args(["ratio", "volatility"])))]
#[command(
    after_help = "Examples:\n  yieldplan il --ratio 2\n  yieldplan il --ratio 1.5 --weights 80:20\n  yieldplan il --ratio 1.2 --range 0.5:2 --amount 10000\n  yieldplan il --volatility 80% --volatility-b 80% --correlation 0.8 --years 1\n  yieldplan il --ratio 0.98 --pool stable --amplification 100"
)]
pub struct IlArgs {
    /// End price of asset A in asset B over its entry price (2 = A doubled against B)
    #[arg(long, value_name = "R", allow_negative_numbers = true)]
    pub ratio: Option<f64>,
    /// Annual volatility of asset A, or of the A/B price ratio ("80%" or 0.8)
    #[arg(long, value_name = "SIGMA", value_parser = parse_fraction, allow_hyphen_values = true)]
    pub volatility: Option<f64>,
    /// Annual volatility of asset B, for two volatile assets
    #[arg(long, value_name = "SIGMA", value_parser = parse_fraction, requires = "volatility", allow_hyphen_values = true)]
    pub volatility_b: Option<f64>,
    /// Correlation of A and B, from -1 to 1 (with --volatility-b)
    #[arg(
        long,
        value_name = "RHO",
        default_value_t = 0.0,
        requires = "volatility_b",
        allow_negative_numbers = true
    )]
    pub correlation: f64,
    /// Horizon in years for the expected loss
    #[arg(
        long,
        value_name = "T",
        default_value_t = 1.0,
        allow_negative_numbers = true
    )]
    pub years: f64,
    /// Weighted pool: weights of A and B in percent, e.g. 80:20
    #[arg(long, value_name = "A:B", value_parser = parse_weights, conflicts_with = "range")]
    pub weights: Option<(f64, f64)>,
    /// Concentrated liquidity: range bounds as multiples of the entry price, e.g. 0.8:1.25
    #[arg(long, value_name = "LOWER:UPPER", value_parser = parse_range)]
    pub range: Option<(f64, f64)>,
    /// Pool kind (inferred from --weights or --range when omitted)
    #[arg(long, value_name = "KIND", value_parser = ["constant-product", "weighted", "concentrated", "stable"])]
    pub pool: Option<String>,
    /// StableSwap amplification for --pool stable
    #[arg(long, value_name = "A", allow_negative_numbers = true)]
    pub amplification: Option<f64>,
    /// Money in the position, to show the loss in money
    #[arg(long, value_name = "AMOUNT", allow_negative_numbers = true)]
    pub amount: Option<f64>,
    /// Currency of --amount, for display
    #[arg(long, value_name = "CODE", default_value = "USD")]
    pub currency: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the output to FILE (atomically) instead of standard output
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
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
    /// A saved DefiLlama pools snapshot that positions with a `pool_id` take their yield from
    #[arg(long, value_name = "FILE")]
    pub pools: Option<PathBuf>,
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
    /// Also fail a profile whose simulated chance of paying its goal every
    /// year is below P (a fraction or percent, e.g. 0.9 or 90%); runs the
    /// Monte Carlo with the default paths and seed over 30 years
    #[arg(long, value_name = "P", value_parser = parse_probability)]
    pub min_success: Option<f64>,
    #[command(flatten)]
    pub out: Output,
}

#[derive(Debug, Args)]
pub struct ProjectArgs {
    /// The profile to project
    pub profile: PathBuf,
    /// How many years to project (1 to 100)
    #[arg(long, value_name = "N", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub years: u32,
    #[command(flatten)]
    pub sim: SimArgs,
    #[command(flatten)]
    pub out: Output,
}

/// Monte Carlo options.
#[derive(Debug, Args)]
pub struct SimArgs {
    /// Run a Monte Carlo simulation instead of the deterministic projection
    #[arg(long)]
    pub simulate: bool,
    /// Number of simulated paths (1 to 1,000,000)
    #[arg(long, value_name = "N", default_value_t = crate::engine::simulate::DEFAULT_PATHS, value_parser = clap::value_parser!(u32).range(1..=1_000_000), requires = "simulate")]
    pub paths: u32,
    /// Random seed: the same seed gives the same result on any machine and thread count
    #[arg(long, value_name = "S", default_value_t = crate::engine::simulate::DEFAULT_SEED, requires = "simulate")]
    pub seed: u64,
    /// Also draw the percentile fan of value and income as an SVG picture (with --simulate)
    #[arg(long, value_name = "FILE.svg", requires = "simulate")]
    pub plot: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct StressArgs {
    /// The profile to stress
    pub profile: PathBuf,
    #[command(flatten)]
    pub out: Output,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Two or more profiles
    #[arg(required = true, num_args = 2..)]
    pub profiles: Vec<PathBuf>,
    /// Horizon in years for --simulate
    #[arg(long, value_name = "N", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub years: u32,
    #[command(flatten)]
    pub sim: SimArgs,
    #[command(flatten)]
    pub out: Output,
}

#[derive(Debug, Args)]
pub struct RatesArgs {
    #[command(subcommand)]
    pub action: Option<RatesAction>,
    #[command(flatten)]
    pub out: Output,
}

#[derive(Debug, Subcommand)]
pub enum RatesAction {
    /// Turn a saved pools snapshot into a rate-book extension that --rates accepts
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The saved pools snapshot (JSON)
    pub file: PathBuf,
    /// Where to write the rate-book extension (TOML)
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Date the extension (written as `as_of`)
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    #[command(flatten)]
    pub filter: PoolFilter,
}

/// Filters over the pools of a snapshot.
#[derive(Debug, Args)]
pub struct PoolFilter {
    /// Only pools on this chain (e.g. Ethereum)
    #[arg(long)]
    pub chain: Option<String>,
    /// Only pools of this project (e.g. aave-v3)
    #[arg(long)]
    pub project: Option<String>,
    /// Only pools whose symbol is, or holds the token, SYMBOL (e.g. USDC)
    #[arg(long)]
    pub symbol: Option<String>,
    /// Only pools with at least this TVL in USD
    #[arg(long, value_name = "USD")]
    pub min_tvl: Option<f64>,
    /// Only pools of stablecoins
    #[arg(long)]
    pub stablecoin: bool,
    /// Only pools whose APY is at most this ("20%" or 0.2)
    #[arg(long, value_name = "APY", value_parser = parse_fraction)]
    pub max_apy: Option<f64>,
}

#[derive(Debug, Args)]
pub struct PoolsArgs {
    /// The saved pools snapshot (JSON), e.g. from `curl -o pools.json https://yields.llama.fi/pools`
    pub file: PathBuf,
    #[command(flatten)]
    pub filter: PoolFilter,
    /// Sort key (descending)
    #[arg(long, value_enum, default_value_t = crate::pools::SortKey::Tvl)]
    pub sort: crate::pools::SortKey,
    /// How many pools to list
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the output to FILE (atomically) instead of standard output
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
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

/// "80%" or 0.8 as a fraction.
fn parse_fraction(text: &str) -> Result<f64, String> {
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

fn parse_probability(text: &str) -> Result<f64, String> {
    let p = parse_fraction(text)?;
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

fn parse_weights(text: &str) -> Result<(f64, f64), String> {
    let (a, b) = parse_pair(text, "80:20")?;
    if a <= 0.0 || b <= 0.0 || (a + b - 100.0).abs() > 1e-9 {
        return Err(format!(
            "weights {a}:{b} must both be above 0 and add up to 100, e.g. 80:20"
        ));
    }
    Ok((a / 100.0, b / 100.0))
}

fn parse_range(text: &str) -> Result<(f64, f64), String> {
    let (lower, upper) = parse_pair(text, "0.8:1.25")?;
    if !(lower > 0.0 && lower < 1.0 && upper > 1.0) {
        return Err(format!(
            "range {lower}:{upper} must contain the entry price 1: lower between 0 and 1, upper above 1, e.g. 0.8:1.25"
        ));
    }
    Ok((lower, upper))
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
