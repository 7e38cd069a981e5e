//! The typed mirror of a profile: what the file says, field by field.
//!
//! These are plain result types, filled by the reader and consumed by
//! `resolve`. They hold values exactly as written (percents already turned
//! into fractions, every value with its span); they carry no defaults from a
//! rate book and no logic beyond construction.

use std::ops::Range;

use rust_decimal::Decimal;

use crate::model::{Method, PoolKind, Strategy};

/// Byte range in the profile's text.
pub type Span = Range<usize>;

/// A value with the place it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Sp<T> {
    /// The value, converted from the text.
    pub value: T,
    /// Where the value is written in the profile's text.
    pub span: Span,
}

impl<T> Sp<T> {
    /// A value written at `span`.
    pub fn new(value: T, span: Span) -> Self {
        Sp { value, span }
    }
}

impl Default for Sp<String> {
    fn default() -> Self {
        Sp::new(String::new(), 0..0)
    }
}

/// A profile as written, typed but not yet resolved against a rate book.
#[derive(Clone, Debug, Default)]
pub struct ProfileSpec {
    /// The profile's `name`, shown in reports.
    pub name: Option<Sp<String>>,
    /// `[portfolio]`: what the portfolio is worth; absent only in a broken profile.
    pub portfolio: Option<PortfolioSpec>,
    /// `[goal]`: the income wanted, if any.
    pub goal: Option<GoalSpec>,
    /// `[assumptions]`: planning assumptions the profile overrides.
    pub assumptions: AssumptionsSpec,
    /// `[assets.SYMBOL]`: per-asset overrides of the rate book.
    pub assets: Vec<AssetSpec>,
    /// `[[position]]`: the positions, in file order.
    pub positions: Vec<PositionSpec>,
    /// `[lints]`: lint thresholds and lints switched off.
    pub lints: LintsSpec,
    /// `[review]`: the thresholds of `yieldplan review`'s flags.
    pub review: ReviewSpec,
    /// Overrides of risk tiers' assumptions, by tier name.
    pub risk_tiers: Vec<(Sp<String>, TierSpec)>,
    /// Protocols given a tier, by protocol id.
    pub protocols: Vec<(Sp<String>, Sp<String>)>,
    /// Overrides of staking routes' provider fees (fractions of rewards), by method.
    pub staking_methods: Vec<(Sp<String>, Decimal)>,
    /// Stress scenarios the profile defines.
    pub scenarios: Vec<ScenarioSpec>,
    /// A pools snapshot to take `pool_id` yields from (`[rates] pools`),
    /// relative to the profile's folder.
    pub pools_file: Option<Sp<String>>,
    /// `[optimize]`: what `yieldplan optimize` may choose.
    pub optimize: OptimizeSpec,
}

/// `[optimize]` as written.
#[derive(Clone, Debug, Default)]
pub struct OptimizeSpec {
    /// A shipped set of strategy bounds (`template = "income"`).
    pub template: Option<Sp<crate::model::Template>>,
    /// `[optimize.bounds]`: per strategy, the least and most share
    /// (fractions), each with where it is written.
    pub bounds: Vec<Sp<crate::model::StrategyBound>>,
    /// How many of the last positions are candidates `optimize` added (not
    /// written in the file); 0 from the reader.
    pub candidates: usize,
}

/// A tier's assumptions as written (either may be left to the rate book).
#[derive(Clone, Debug, Default)]
pub struct TierSpec {
    /// Probability of a loss event in a year, as a fraction.
    pub loss_probability: Option<Decimal>,
    /// Share of the money lost in such an event, as a fraction.
    pub loss_given_event: Option<Decimal>,
}

/// A stress scenario as written.
#[derive(Clone, Debug, Default)]
pub struct ScenarioSpec {
    /// The span of the scenario's table.
    pub span: Span,
    /// The name the stress report shows.
    pub name: Option<Sp<String>>,
    /// Price change per asset, as a fraction (−0.3 = −30%).
    pub prices: Vec<(Sp<String>, Decimal)>,
    /// Price change of every non-stablecoin asset not named in `prices`, as a fraction.
    pub crypto: Option<Decimal>,
    /// Change of every yield, as a fraction (−0.5 halves them).
    pub yields: Option<Decimal>,
    /// Protocols that suffer a loss event.
    pub fail: Vec<Sp<String>>,
    /// Staked assets are slashed.
    pub slash: bool,
}

/// A layer stacked on a position, e.g. lending the token a liquid stake returns.
#[derive(Clone, Debug, Default)]
pub struct LayerSpec {
    /// The span of the layer's table.
    pub span: Span,
    /// What the layer does with the token (never `hold` or `index`).
    pub strategy: Option<Sp<Strategy>>,
    /// The token the layer puts to work, if not the one the position returns.
    pub asset: Option<Sp<String>>,
    /// The protocol the layer runs on.
    pub protocol: Option<Sp<String>>,
    /// The chain the layer runs on.
    pub chain: Option<Sp<String>>,
    /// Base yield, as fractions a year.
    pub apy: Option<Sp<BandSpec>>,
    /// Reward-token (emissions) yield, as fractions a year.
    pub reward_apy: Option<Sp<BandSpec>>,
    /// Override of the protocol's risk tier.
    pub risk_tier: Option<Sp<String>>,
}

/// `[portfolio]` as written.
#[derive(Clone, Debug)]
pub struct PortfolioSpec {
    /// Total value of the portfolio, an amount in `currency`.
    pub value: Sp<Decimal>,
    /// Currency code in capitals (`USD` unless written).
    pub currency: String,
}

/// The period an income goal is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    /// `monthly_income`: an amount a month.
    Monthly,
    /// `annual_income`: an amount a year.
    Annual,
}

/// `[goal]` as written.
#[derive(Clone, Debug)]
pub struct GoalSpec {
    /// Minimum income per `period`, an amount in the portfolio's currency.
    pub min: Decimal,
    /// Maximum income per `period`, an amount in the portfolio's currency.
    pub max: Decimal,
    /// Whether the income is written per month or per year.
    pub period: Period,
    /// Where the income is written.
    pub span: Span,
    /// Years until the income is needed (0: now).
    pub starts_in_years: u32,
    /// The income is wanted after tax.
    pub after_tax: bool,
}

/// `[assumptions]` as written; each absent one keeps its default.
#[derive(Clone, Debug, Default)]
pub struct AssumptionsSpec {
    /// Tax on yield income, as a fraction.
    pub tax_rate: Option<Decimal>,
    /// Consumer-price inflation, as a fraction a year.
    pub inflation: Option<Decimal>,
    /// Share of income reinvested, as a fraction.
    pub reinvest: Option<Decimal>,
    /// Required yields above this (a fraction a year) are unsustainable.
    pub sustainable_yield: Option<Decimal>,
    /// Share of emissions (reward-token) income that sustainable income ignores, as a fraction.
    pub emissions_haircut: Option<Decimal>,
    /// Money added each year while accumulating (indexed to inflation), an amount.
    pub annual_contribution: Option<Decimal>,
    /// Whether the positions are brought back to their weights each year.
    pub rebalance: Option<crate::model::Rebalance>,
}

/// A yield band as written: one value, or low/high with an optional mid;
/// all fractions a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BandSpec {
    /// The pessimistic end.
    pub low: Decimal,
    /// The expected value, when written (otherwise the average of low and high).
    pub mid: Option<Decimal>,
    /// The optimistic end.
    pub high: Decimal,
}

/// `[assets.SYMBOL]` as written: overrides of the rate book for one asset.
#[derive(Clone, Debug, Default)]
pub struct AssetSpec {
    /// The asset's symbol, from the table's name.
    pub symbol: Sp<String>,
    /// Annual price volatility, as a fraction.
    pub volatility: Option<Decimal>,
    /// The network's supply inflation, as a fraction a year.
    pub inflation: Option<Decimal>,
    /// Days to get a stake back.
    pub unbonding_days: Option<u32>,
    /// The asset is a stablecoin.
    pub stablecoin: Option<bool>,
    /// Staking yield, as fractions a year.
    pub staking_apy: Option<BandSpec>,
    /// Lending yield, as fractions a year.
    pub lending_apy: Option<BandSpec>,
    /// Expected yearly price change, as a fraction, for projections.
    pub expected_return: Option<Decimal>,
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
    /// A share `optimize` chooses, from `min` to `max` (fractions); only
    /// `optimize` can plan it.
    Bounds {
        /// The least share, a fraction.
        min: Decimal,
        /// The most share, a fraction.
        max: Decimal,
    },
}

/// A concentrated-liquidity price range, as multiples of the entry price.
#[derive(Clone, Debug, PartialEq)]
pub struct RangeSpec {
    /// Lower bound, between 0 and 1.
    pub lower: Decimal,
    /// Upper bound, above 1.
    pub upper: Decimal,
}

/// `[[position]]` as written.
#[derive(Clone, Debug, Default)]
pub struct PositionSpec {
    /// 1-based place in the file, for messages.
    pub number: usize,
    /// The span of the position's table.
    pub span: Span,
    /// A name for reports.
    pub name: Option<Sp<String>>,
    /// What the position does (staking, lending, liquidity, ...).
    pub strategy: Option<Sp<Strategy>>,
    /// The asset held, for single-asset strategies.
    pub asset: Option<Sp<String>>,
    /// The two assets of a liquidity pool.
    pub pair: Option<Sp<[String; 2]>>,
    /// Where each symbol of `pair` is written, for messages about one of them.
    pub pair_spans: [Span; 2],
    /// The index template an `index` position expands.
    pub index: Option<Sp<String>>,
    /// Staking: how the asset is staked.
    pub method: Option<Sp<Method>>,
    /// The protocol the position runs on.
    pub protocol: Option<Sp<String>>,
    /// The chain the position runs on.
    pub chain: Option<Sp<String>>,
    /// The position's size (`weight` or `amount`).
    pub allocation: Option<Sp<AllocationSpec>>,
    /// Base yield, as fractions a year.
    pub apy: Option<Sp<BandSpec>>,
    /// Reward-token (emissions) yield, as fractions a year.
    pub reward_apy: Option<Sp<BandSpec>>,
    /// Liquidity: trading-fee yield, as fractions a year.
    pub fee_apr: Option<Sp<BandSpec>>,
    /// Liquidity: the pool's pricing curve.
    pub pool: Option<Sp<PoolKind>>,
    /// Liquidity: a concentrated position's price range.
    pub range: Option<Sp<RangeSpec>>,
    /// Weighted pool: the shares (fractions) of the pair's first and second asset.
    pub weights: Option<Sp<[Decimal; 2]>>,
    /// `StableSwap` amplification (a plain number, 0 to 1,000,000).
    pub amplification: Option<Sp<Decimal>>,
    /// Override of the pair's price-ratio volatility, as a fraction a year.
    pub ratio_volatility: Option<Sp<Decimal>>,
    /// Override of the pair's price correlation (−1 to 1).
    pub correlation: Option<Sp<Decimal>>,
    /// Staking: override of the route's provider fee, as a fraction of rewards.
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

/// `[review]` as written; each absent threshold keeps its default. Every
/// value is a fraction.
#[derive(Clone, Debug, Default)]
pub struct ReviewSpec {
    /// `apy-drop` fires when a mid APY falls by more than this many points.
    pub apy_drop: Option<Decimal>,
    /// ...or by more than this share of what it was.
    pub apy_drop_relative: Option<Decimal>,
    /// `tvl-drop` fires when a pool's TVL falls by more than this share.
    pub tvl_drop: Option<Decimal>,
    /// `emissions-up` fires when a reward share rises by more than this many points.
    pub emissions_up: Option<Decimal>,
    /// The drift tolerance: a weight this many points from its target is out of band.
    pub band: Option<Decimal>,
}

/// `[lints]` as written; each absent threshold keeps its default.
#[derive(Clone, Debug, Default)]
pub struct LintsSpec {
    /// Lints switched off, by name.
    pub allow: Vec<Sp<String>>,
    /// `emissions-heavy` fires above this reward share (a fraction).
    pub emissions_share: Option<Decimal>,
    /// `protocol-concentration` fires when one protocol holds more than this fraction.
    pub protocol_concentration: Option<Decimal>,
    /// `chain-concentration` fires when one chain holds more than this fraction.
    pub chain_concentration: Option<Decimal>,
    /// `defi-heavy` fires when more than this fraction depends on `DeFi` contracts.
    pub defi_share: Option<Decimal>,
    /// `locked-liquidity` fires when more than this fraction sits behind long unbonding.
    pub locked_share: Option<Decimal>,
    /// Unbonding of at least this many days counts as long.
    pub long_unbonding_days: Option<u32>,
    /// `stacked-risk` fires for stacks deeper than this many layers...
    pub stack_depth: Option<u32>,
    /// ...or whose compounded loss probability is above this fraction.
    pub stacked_loss_probability: Option<Decimal>,
}
