//! `yieldplan il`: impermanent loss at a price ratio, or expected from a
//! volatility, for any pool kind.

use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Args;
use rust_decimal::Decimal;
use yieldplan::engine::il::{self, IlQuery, Pool};
use yieldplan::model::PoolKind;
use yieldplan::money::Money;
use yieldplan::report::{Format, il_document};

use crate::cli::args::{
    one_of, parse_correlation, parse_number, parse_range, parse_volatility, parse_weights,
};
use crate::cli::outcome::Outcome;
use crate::cli::output::emit;

/// `yieldplan il`: impermanent loss for a price move or a volatility.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("question").required(true).multiple(true).args(["ratio", "volatility"])))]
#[command(
    after_help = "Examples:\n  yieldplan il --ratio 2\n  yieldplan il --ratio 1.5 --weights 80:20\n  yieldplan il --ratio 1.2 --range 0.5:2 --amount 10000\n  yieldplan il --volatility 80% --volatility-b 80% --correlation 0.8 --years 1\n  yieldplan il --ratio 0.98 --pool stable --amplification 100"
)]
pub struct IlArgs {
    /// End price of asset A in asset B over its entry price (2 = A doubled against B)
    #[arg(long, value_name = "R", value_parser = parse_number, allow_negative_numbers = true)]
    pub ratio: Option<f64>,
    /// Annual volatility of asset A, or of the A/B price ratio ("80%" or 0.8)
    #[arg(long, value_name = "SIGMA", value_parser = parse_volatility, allow_hyphen_values = true)]
    pub volatility: Option<f64>,
    /// Annual volatility of asset B, for two volatile assets
    #[arg(long, value_name = "SIGMA", value_parser = parse_volatility, requires = "volatility", allow_hyphen_values = true)]
    pub volatility_b: Option<f64>,
    /// Correlation of A and B, from -1 to 1 (with --volatility-b)
    #[arg(
        long,
        value_name = "RHO",
        default_value_t = 0.0,
        value_parser = parse_correlation,
        requires = "volatility_b",
        allow_negative_numbers = true
    )]
    pub correlation: f64,
    /// Horizon in years for the expected loss (with --volatility)
    #[arg(
        long,
        value_name = "T",
        default_value_t = 1.0,
        value_parser = parse_number,
        requires = "volatility",
        allow_negative_numbers = true
    )]
    pub years: f64,
    /// Weighted pool: weights of A and B in percent, e.g. 80:20
    #[arg(long, value_name = "A:B", value_parser = parse_weights, conflicts_with = "range", allow_hyphen_values = true)]
    pub weights: Option<(f64, f64)>,
    /// Concentrated liquidity: range bounds as multiples of the entry price, e.g. 0.8:1.25
    #[arg(long, value_name = "LOWER:UPPER", value_parser = parse_range)]
    pub range: Option<(f64, f64)>,
    /// Pool kind (inferred from --weights or --range when omitted)
    #[arg(long, value_name = "KIND", value_parser = one_of::<PoolKind>())]
    pub pool: Option<PoolKind>,
    /// StableSwap amplification for --pool stable
    #[arg(long, value_name = "A", value_parser = parse_number, allow_negative_numbers = true)]
    pub amplification: Option<f64>,
    /// Money in the position, to show the loss in money (whole cents, at most 10^15)
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true, value_parser = parse_il_amount)]
    pub amount: Option<Decimal>,
    /// Currency of --amount, for display
    #[arg(long, value_name = "CODE", default_value = "USD", requires = "amount", value_parser = crate::cli::args::parse_currency)]
    pub currency: String,
    /// Output format
    #[arg(short, long, value_parser = crate::cli::args::report_format(), default_value_t = Format::Table)]
    pub format: Format,
    /// Write the output to FILE (atomically) instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The pool an `il` command line describes.
fn il_pool(a: &IlArgs) -> Result<Pool> {
    let kind = a.pool.unwrap_or(match (a.weights, a.range) {
        (Some(_), _) => PoolKind::Weighted,
        (_, Some(_)) => PoolKind::Concentrated,
        _ if a.amplification.is_some() => PoolKind::Stable,
        _ => PoolKind::ConstantProduct,
    });
    let pool = match (kind, a.weights, a.range) {
        (PoolKind::Weighted, Some((w, _)), None) => Pool::Weighted { weight: w },
        (PoolKind::Weighted, None, _) => {
            bail!("--pool weighted needs --weights A:B, e.g. --weights 80:20")
        }
        (PoolKind::Concentrated, None, Some((lower, upper))) => Pool::Concentrated { lower, upper },
        (PoolKind::Concentrated, _, None) => {
            bail!("--pool concentrated needs --range LOWER:UPPER, e.g. --range 0.8:1.25")
        }
        (PoolKind::Stable, None, None) => Pool::Stable {
            amplification: a.amplification.unwrap_or(il::DEFAULT_AMPLIFICATION),
        },
        (PoolKind::ConstantProduct, None, None) => Pool::ConstantProduct,
        (kind, _, _) => {
            bail!("--pool {kind} does not take --weights or --range; drop them or change --pool")
        }
    };
    if a.amplification.is_some() && !matches!(pool, Pool::Stable { .. }) {
        bail!("--amplification applies only to --pool stable");
    }
    Ok(pool)
}

/// Computes the loss and writes the report.
///
/// # Errors
/// The flags describe no valid pool or question, or the output cannot be
/// written.
pub fn run(a: &IlArgs) -> Result<Outcome> {
    let pool = il_pool(a)?;
    let amount = a.amount.map(Money);
    let query = IlQuery {
        pool,
        ratio: a.ratio,
        volatility: a.volatility,
        volatility_b: a.volatility_b,
        correlation: a.correlation,
        years: a.years,
        amount,
    };
    let report =
        il::il_report(&query).map_err(|e| anyhow::anyhow!("{e}\n  = help: {}", e.help()))?;
    let currency = a.currency.to_ascii_uppercase();
    let text = crate::cli::terminal::render(a.format, a.output.as_deref(), &report, |r| {
        il_document(r, &currency)
    });
    emit(a.output.as_deref(), &text)?;
    Ok(Outcome::Success)
}

/// An `--amount`: money in the position, above 0, in whole cents.
fn parse_il_amount(text: &str) -> Result<Decimal, String> {
    crate::cli::args::parse_amount("--amount", text, "the money in the position", false)
}
