//! The profile file: TOML in, a typed mirror of it out.
//!
//! This module reads the bytes of a profile, parses the TOML keeping every
//! span, and converts it into a [`ProfileSpec`]: the same shape as the file,
//! with percent strings turned into fractions and every field typed. It checks
//! what can be checked from the file alone (types, unknown keys, ranges, bare
//! numbers meant as percents) and reports *all* such problems in one go. It
//! knows nothing of rate books or the engine: resolving assets, weights and
//! rates is `resolve`'s job.

mod read;

use std::ops::Range;
use std::path::Path;

use rust_decimal::Decimal;

use crate::error::{Diagnostic, Diagnostics};
use crate::model::{Method, PoolKind, Strategy};

pub use read::{read_spec, read_spec_lenient, sort_by_place};

/// Byte range in the profile's text.
pub type Span = Range<usize>;

/// A value with the place it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Sp<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Sp<T> {
    pub fn new(value: T, span: Span) -> Self {
        Sp { value, span }
    }
}

/// Largest profile accepted, in bytes.
pub const MAX_PROFILE_BYTES: usize = 64 * 1024 * 1024;

/// A profile as written, typed but not yet resolved against a rate book.
#[derive(Clone, Debug, Default)]
pub struct ProfileSpec {
    pub name: Option<Sp<String>>,
    pub portfolio: Option<PortfolioSpec>,
    pub goal: Option<GoalSpec>,
    pub assumptions: AssumptionsSpec,
    pub assets: Vec<AssetSpec>,
    pub positions: Vec<PositionSpec>,
    pub lints: LintsSpec,
    /// Overrides of risk tiers' assumptions, by tier name.
    pub risk_tiers: Vec<(Sp<String>, TierSpec)>,
    /// Protocols given a tier, by protocol id.
    pub protocols: Vec<(Sp<String>, Sp<String>)>,
    /// Overrides of staking routes' provider fees, by method.
    pub staking_methods: Vec<(Sp<String>, Decimal)>,
    /// Stress scenarios the profile defines.
    pub scenarios: Vec<ScenarioSpec>,
    /// A pools snapshot to take `pool_id` yields from (`[rates] pools`),
    /// relative to the profile's folder.
    pub pools_file: Option<Sp<String>>,
}

/// A tier's assumptions as written (either may be left to the rate book).
#[derive(Clone, Debug, Default)]
pub struct TierSpec {
    pub loss_probability: Option<Decimal>,
    pub loss_given_event: Option<Decimal>,
}

/// A stress scenario as written.
#[derive(Clone, Debug, Default)]
pub struct ScenarioSpec {
    pub span: Span,
    pub name: Option<Sp<String>>,
    /// Price change per asset (−0.3 = −30%).
    pub prices: Vec<(Sp<String>, Decimal)>,
    /// Price change of every non-stablecoin asset not named in `prices`.
    pub crypto: Option<Decimal>,
    /// Change of every yield (−0.5 halves them).
    pub yields: Option<Decimal>,
    /// Protocols that suffer a loss event.
    pub fail: Vec<Sp<String>>,
    /// Staked assets are slashed.
    pub slash: bool,
}

/// A layer stacked on a position, e.g. lending the token a liquid stake returns.
#[derive(Clone, Debug, Default)]
pub struct LayerSpec {
    pub span: Span,
    pub strategy: Option<Sp<Strategy>>,
    pub asset: Option<Sp<String>>,
    pub protocol: Option<Sp<String>>,
    pub chain: Option<Sp<String>>,
    pub apy: Option<Sp<BandSpec>>,
    pub reward_apy: Option<Sp<BandSpec>>,
    pub risk_tier: Option<Sp<String>>,
}

#[derive(Clone, Debug)]
pub struct PortfolioSpec {
    pub value: Sp<Decimal>,
    pub currency: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    Monthly,
    Annual,
}

#[derive(Clone, Debug)]
pub struct GoalSpec {
    /// Minimum and maximum income per `period`.
    pub min: Decimal,
    pub max: Decimal,
    pub period: Period,
    pub span: Span,
    pub starts_in_years: u32,
    pub after_tax: bool,
}

#[derive(Clone, Debug, Default)]
pub struct AssumptionsSpec {
    pub tax_rate: Option<Decimal>,
    pub inflation: Option<Decimal>,
    pub reinvest: Option<Decimal>,
    pub sustainable_yield: Option<Decimal>,
    pub emissions_haircut: Option<Decimal>,
    /// Money added each year while accumulating (indexed to inflation).
    pub annual_contribution: Option<Decimal>,
}

/// A yield band as written: one value, or low/high with an optional mid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BandSpec {
    pub low: Decimal,
    pub mid: Option<Decimal>,
    pub high: Decimal,
}

#[derive(Clone, Debug, Default)]
pub struct AssetSpec {
    pub symbol: Sp<String>,
    pub volatility: Option<Decimal>,
    pub inflation: Option<Decimal>,
    pub unbonding_days: Option<u32>,
    pub stablecoin: Option<bool>,
    pub staking_apy: Option<BandSpec>,
    pub lending_apy: Option<BandSpec>,
    /// Expected yearly price change, for projections.
    pub expected_return: Option<Decimal>,
}

impl Default for Sp<String> {
    fn default() -> Self {
        Sp::new(String::new(), 0..0)
    }
}

/// How a position's size is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AllocationSpec {
    /// A share of the portfolio value, as a fraction.
    Weight(Decimal),
    /// A fixed amount of money.
    Amount(Decimal),
    /// Whatever the other positions leave.
    Rest,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RangeSpec {
    pub lower: Decimal,
    pub upper: Decimal,
}

#[derive(Clone, Debug, Default)]
pub struct PositionSpec {
    /// 1-based place in the file, for messages.
    pub number: usize,
    /// The span of the position's table.
    pub span: Span,
    pub name: Option<Sp<String>>,
    pub strategy: Option<Sp<Strategy>>,
    pub asset: Option<Sp<String>>,
    pub pair: Option<Sp<[String; 2]>>,
    /// Where each symbol of `pair` is written, for messages about one of them.
    pub pair_spans: [Span; 2],
    pub index: Option<Sp<String>>,
    pub method: Option<Sp<Method>>,
    pub protocol: Option<Sp<String>>,
    pub chain: Option<Sp<String>>,
    pub allocation: Option<Sp<AllocationSpec>>,
    pub apy: Option<Sp<BandSpec>>,
    pub reward_apy: Option<Sp<BandSpec>>,
    pub fee_apr: Option<Sp<BandSpec>>,
    pub pool: Option<Sp<PoolKind>>,
    pub range: Option<Sp<RangeSpec>>,
    /// Weighted pool: the shares of the pair's first and second asset.
    pub weights: Option<Sp<[Decimal; 2]>>,
    /// StableSwap amplification.
    pub amplification: Option<Sp<Decimal>>,
    /// Override of the pair's price-ratio volatility.
    pub ratio_volatility: Option<Sp<Decimal>>,
    /// Override of the pair's price correlation.
    pub correlation: Option<Sp<Decimal>>,
    /// Staking: override of the route's provider fee.
    pub provider_fee: Option<Sp<Decimal>>,
    /// Override of the protocol's risk tier.
    pub risk_tier: Option<Sp<String>>,
    /// Layers stacked on this position.
    pub stack: Vec<LayerSpec>,
    /// A pool in the snapshot or rate book that gives this position its yield.
    pub pool_id: Option<Sp<String>>,
    /// A problem was reported in this position; later checks skip it.
    pub broken: bool,
}

#[derive(Clone, Debug, Default)]
pub struct LintsSpec {
    pub allow: Vec<Sp<String>>,
    pub emissions_share: Option<Decimal>,
    pub protocol_concentration: Option<Decimal>,
    pub chain_concentration: Option<Decimal>,
    pub defi_share: Option<Decimal>,
    pub locked_share: Option<Decimal>,
    pub long_unbonding_days: Option<u32>,
    pub stack_depth: Option<u32>,
    pub stacked_loss_probability: Option<Decimal>,
}

/// Reads and checks a profile file. Errors carry every problem found.
pub fn load_profile_text(path: &Path, bytes: &[u8]) -> Result<(String, ProfileSpec), Diagnostics> {
    let (text, spec, problems) = read_profile(path, bytes)?;
    if problems.is_empty() {
        Ok((text, spec))
    } else {
        Err(Diagnostics::new(path, &text, "profile", problems))
    }
}

/// Reads a profile file as far as it can be read. A file that cannot be read
/// as TOML is an error; otherwise the spec comes back with the problems found
/// in it (its broken positions marked), so later checks can add theirs.
pub fn read_profile(
    path: &Path,
    bytes: &[u8],
) -> Result<(String, ProfileSpec, Vec<Diagnostic>), Diagnostics> {
    let fail = |source: &str, d: Diagnostic| Diagnostics::new(path, source, "profile", vec![d]);
    if bytes.len() > MAX_PROFILE_BYTES {
        return Err(fail(
            "",
            Diagnostic::new(
                None,
                format!(
                    "the file is {} bytes, more than the {} MiB a profile may have",
                    bytes.len(),
                    MAX_PROFILE_BYTES / (1024 * 1024)
                ),
            )
            .with_help("split the portfolio into several profiles"),
        ));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            // Show the line with the bad bytes replaced, the caret on the first one.
            let shown = String::from_utf8_lossy(bytes).into_owned();
            let at = e.valid_up_to();
            let bad = &bytes[at..at + e.error_len().unwrap_or(bytes.len() - at).min(4)];
            let hex: Vec<String> = bad.iter().map(|b| format!("0x{b:02X}")).collect();
            return Err(fail(
                &shown,
                Diagnostic::at(
                    at..at + '\u{FFFD}'.len_utf8(),
                    format!(
                        "the file is not UTF-8 text: byte {} here is not text",
                        hex.join(" ")
                    ),
                )
                .with_help(
                    "save the profile as UTF-8 (in your editor's encoding setting); \
                     it may have been saved as Latin-1 or Windows-1252",
                ),
            ));
        }
    };
    if text.trim().is_empty() {
        return Err(fail(
            text,
            Diagnostic::new(None, "the profile is empty").with_help(
                "a profile needs at least [portfolio] with `value` and one [[position]]; \
                 see profiles/ for examples",
            ),
        ));
    }
    let (spec, problems) = read::read_spec_lenient(text)
        .map_err(|items| Diagnostics::new(path, text, "profile", items))?;
    Ok((text.to_string(), spec, problems))
}
