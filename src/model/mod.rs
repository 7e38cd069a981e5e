//! The resolved portfolio: only validated values, nothing left to look up.
//!
//! A [`Portfolio`] is what the engine plans. Every position here has an exact
//! amount, a yield band and its reward share; index positions are already
//! expanded into their components. Building one is `resolve`'s job; this module
//! only defines the vocabulary, and must not parse text or compute yields.
//!
//! Units throughout: every [`Rate`] is a fraction (0.05 = 5%) and, where it is
//! a yield, per year; every [`Money`] is in the portfolio's currency
//! ([`Portfolio::currency`]); volatilities are annual fractions; loss
//! probabilities are per year; correlations lie in [-1, 1].

pub mod lint;
pub mod optimize;

pub use lint::{Lint, Note, Severity};
pub use optimize::{Choice, Choices, Sizing, StrategyBound, Template};

use serde::{Deserialize, Serialize};

use crate::money::{Money, Rate};

crate::names::closed_set! {
    /// How a position earns.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "kebab-case")]
    pub enum Strategy {
        /// Proof-of-stake rewards for securing a network.
        Staking = "staking",
        /// Interest paid by borrowers.
        Lending = "lending",
        /// Trading fees (and incentives) for providing pool liquidity.
        Liquidity = "liquidity",
        /// Incentive-token rewards, mostly emissions.
        Farming = "farming",
        /// A plain holding that earns nothing.
        Hold = "hold",
        /// A shipped index template, expanded into its components.
        Index = "index",
    }
}

crate::names::closed_set! {
    /// How a staking position is staked.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "kebab-case")]
    pub enum Method {
        /// Running a validator yourself: no provider fee.
        Direct = "direct",
        /// Delegating to a validator, who keeps a commission.
        Delegated = "delegated",
        /// A liquid-staking protocol (e.g. Lido), which keeps a fee.
        Liquid = "liquid",
    }
}

crate::names::closed_set! {
    /// The shape of a liquidity pool.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
    #[serde(rename_all = "kebab-case")]
    pub enum PoolKind {
        /// Constant product 50/50 (Uniswap v2 style).
        ConstantProduct = "constant-product",
        /// Weighted (Balancer style).
        Weighted = "weighted",
        /// Concentrated liquidity in a price range (Uniswap v3 style).
        Concentrated = "concentrated",
        /// `StableSwap` (Curve style).
        Stable = "stable",
    }
}

/// A pool shape.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Pool {
    /// Constant product, 50/50 (Uniswap v2 style).
    ConstantProduct,
    /// Two-token weighted pool (Balancer style). Impermanent loss is
    /// `r^w / (w r + 1 - w) - 1` (domain.md §2), `r` the relative price move of
    /// asset A.
    Weighted {
        /// Asset A's (the pair's first asset's) share of the pool's value, in
        /// (0, 1); 0.5 is the constant-product pool.
        weight: f64,
    },
    /// Concentrated liquidity in a price range (Uniswap v3 style), entered at
    /// a price inside it; impermanent loss by token amounts (domain.md §2).
    Concentrated {
        /// Lower bound of the range as a multiple of the entry price, in (0, 1).
        lower: f64,
        /// Upper bound of the range as a multiple of the entry price, above 1.
        upper: f64,
    },
    /// `StableSwap` (Curve style) with amplification `amplification` as in the
    /// `StableSwap` paper: `4A(x+y) + D = 4AD + D³/(4xy)`. It is the invariant
    /// pegged pairs actually trade on: near the peg it behaves like a
    /// constant-sum pool, so a depeg leaves the LP holding mostly the cheaper
    /// coin and the loss is far larger than constant product would say; with
    /// `A = 0` it is constant product. We solve it exactly rather than borrow
    /// the constant-product formula, which understates depeg losses.
    Stable {
        /// The amplification coefficient `A` (dimensionless, at least 0);
        /// `engine::il::DEFAULT_AMPLIFICATION` when the profile gives none.
        amplification: f64,
    },
}

/// Default StableSwap amplification `A` when a profile gives none (an
/// assumption; real pools range from about 10 to thousands).
pub const DEFAULT_AMPLIFICATION: f64 = 100.0;

/// Annual volatility of the price ratio of two assets (a fraction):
/// `sqrt(σa² + σb² − 2ρσaσb)` (domain.md §2), from the assets' annual
/// volatilities (fractions, ≥ 0) and their correlation `ρ` in [-1, 1]. This
/// is what [`Liquidity::ratio_volatility`] holds; callers validate the inputs.
#[must_use]
pub fn pair_ratio_volatility(sigma_a: f64, sigma_b: f64, correlation: f64) -> f64 {
    let v = sigma_a * sigma_a + sigma_b * sigma_b - 2.0 * correlation * sigma_a * sigma_b;
    v.max(0.0).sqrt()
}

/// What a liquidity position needs for its impermanent loss.
#[derive(Clone, Debug, PartialEq)]
pub struct Liquidity {
    /// The pool's shape; the price ratio `r` it reacts to is the pair's first
    /// asset priced in its second.
    pub pool: Pool,
    /// Annual volatility of the pair's price ratio, as a fraction (0.8 = 80%):
    /// the profile's `ratio_volatility`, or `sqrt(σ1² + σ2² − 2 ρ σ1 σ2)` from
    /// the two assets' volatilities and correlation (domain.md §2).
    pub ratio_volatility: Rate,
    /// Where the ratio volatility came from, as shown in reports: "profile:
    /// `ratio_volatility`", or both assets' volatilities and the correlation,
    /// each with its source.
    pub volatility_source: String,
    /// Trading-fee APR band, a fraction per year (the organic part of the yield).
    pub fee_apr: Band,
    /// Incentive-token reward APY band, a fraction per year (zero when none);
    /// the position's `apy` is `fee_apr + reward_apy`.
    pub reward_apy: Band,
}

/// A low / mid / high band of a rate (each a fraction, per year for yields).
/// The engine plans on `mid`; `low` and `high` bound the range shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Band {
    /// The pessimistic end of the band.
    pub low: Rate,
    /// The central figure planned on; the midpoint of `low` and `high` unless
    /// the profile or rate book gives it.
    pub mid: Rate,
    /// The optimistic end of the band.
    pub high: Rate,
}

impl Band {
    /// A band with `low`, `mid` and `high` all equal to `rate`.
    #[must_use]
    pub fn flat(rate: Rate) -> Band {
        Band {
            low: rate,
            mid: rate,
            high: rate,
        }
    }

    /// Applies `f` to each of low, mid and high.
    #[must_use]
    pub fn map(self, f: impl Fn(Rate) -> Rate) -> Band {
        Band {
            low: f(self.low),
            mid: f(self.mid),
            high: f(self.high),
        }
    }
}

impl std::ops::Add for Band {
    type Output = Band;
    fn add(self, other: Band) -> Band {
        Band {
            low: self.low + other.low,
            mid: self.mid + other.mid,
            high: self.high + other.high,
        }
    }
}

/// The income goal, per year, in today's money (the engine indexes it to
/// [`Assumptions::inflation`] over time).
#[derive(Clone, Debug, PartialEq)]
pub struct Goal {
    /// The least income wanted a year (a monthly goal times 12); goal status,
    /// projections and simulations test against this figure.
    pub annual_min: Money,
    /// The most income wanted a year (equal to `annual_min` when the profile
    /// gives one figure); reported, with its required yield.
    pub annual_max: Money,
    /// Whole years from today until the income phase starts (0 = now);
    /// before it, income is reinvested at [`Assumptions::reinvest`].
    pub starts_in_years: u32,
    /// True when the goal is income after [`Assumptions::tax_rate`], so the
    /// required yield is grossed up: `g / ((1 - t) V)` (domain.md §2).
    pub after_tax: bool,
    /// How many times a year the income is paid out: 12 for a monthly goal,
    /// 1 for an annual one. Income paid out `f` times a year earns the APR
    /// equivalent of an APY at that frequency, `f·((1+APY)^(1/f) − 1)`.
    pub payouts_per_year: u32,
}

crate::names::closed_set! {
    /// Whether positions are brought back to their target weights each year
    /// (`[assumptions] rebalance`), in the projection and the simulation alike.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
    #[serde(rename_all = "kebab-case")]
    pub enum Rebalance {
        /// Back to the target weights at each year end (the default, as FI
        /// Calc and cFIREsim do); a concentrated range is re-centred then.
        Yearly = "yearly",
        /// Each position keeps its own growth; flows are spread by value.
        Never = "never",
    }
}

/// Planning assumptions from the profile's `[assumptions]`, with the
/// defaults (`resolve::DEFAULT_*`) filled in. Every rate is a fraction.
#[derive(Clone, Debug, PartialEq)]
pub struct Assumptions {
    /// Tax withheld from each year's yield income (default 0); below 1 when
    /// the goal is after tax.
    pub tax_rate: Rate,
    /// Consumer-price inflation per year (default 0.03): indexes the goal and
    /// contributions, and turns nominal rates into real ones with
    /// `(1 + r) / (1 + i) - 1` (domain.md §2).
    pub inflation: Rate,
    /// Share of after-tax income reinvested before the income phase, and of
    /// any surplus over the goal after it (default 0).
    pub reinvest: Rate,
    /// Required yields above this are unsustainable (default 0.08, an
    /// *assumption* after the seed's rule of thumb: 5% is fine, 10% is not).
    pub sustainable_yield: Rate,
    /// Share of emissions (reward-token) income that sustainable income
    /// ignores (default 0.5, an *assumption*): sustainable income is net
    /// income × (1 − reward share × haircut).
    pub emissions_haircut: Rate,
    /// Money added each year while accumulating, at year end, in today's
    /// money (indexed to inflation); default 0.
    pub annual_contribution: Money,
    /// Whether positions go back to their target weights each year.
    pub rebalance: Rebalance,
}

/// Lint settings from the profile's `[lints]` table, defaults filled in.
/// Every share is a fraction of the portfolio's value unless stated.
#[derive(Clone, Debug, PartialEq)]
pub struct LintSettings {
    /// Names of the lints the profile switches off (each a known lint name).
    pub allow: Vec<String>,
    /// `emissions-heavy` fires above this reward share of income (default 0.5).
    pub emissions_share: Rate,
    /// `protocol-concentration` fires when one protocol holds more than this
    /// (default 0.25).
    pub protocol_concentration: Rate,
    /// `chain-concentration` fires when one chain holds more than this of the
    /// on-chain positions (default 0.6).
    pub chain_concentration: Rate,
    /// `defi-heavy` fires when more than this depends on `DeFi` smart contracts
    /// (default 0.5).
    pub defi_share: Rate,
    /// `locked-liquidity` fires, when income is needed now, if more than this
    /// sits behind long unbonding (default 0.5).
    pub locked_share: Rate,
    /// Unbonding of at least this many days counts as long (default 14).
    pub long_unbonding_days: u32,
    /// `stacked-risk` fires for stacks deeper than this many layers under a
    /// position (default 2)...
    pub stack_depth: u32,
    /// ...or whose compounded loss probability per year, `1 − prod(1 − p_i)`
    /// (domain.md §2), is above this (default 0.05).
    pub stacked_loss_probability: Rate,
}

/// The thresholds of `yieldplan review`'s flags, from the profile's
/// `[review]` table, defaults filled in. Every value is a fraction.
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewSettings {
    /// `apy-drop` fires when a position's mid APY falls by more than this
    /// many points (default 0.01: one percentage point)...
    pub apy_drop: Rate,
    /// ...or by more than this share of what it was (default 0.25).
    pub apy_drop_relative: Rate,
    /// `tvl-drop` fires when a pool's TVL falls by more than this share of
    /// what it was (default 0.5).
    pub tvl_drop: Rate,
    /// `emissions-up` fires when a position's reward share rises by more
    /// than this many points (default 0.1).
    pub emissions_up: Rate,
    /// Drift tolerance: a held weight more than this many points from its
    /// target is out of band (default 0.05); `--band` overrides it.
    pub band: Rate,
}

/// A protocol risk tier's assumptions (the rate book's `[risk_tiers]`,
/// *assumptions*); the expected loss a year is
/// `loss_probability × loss_given_event`.
#[derive(Clone, Debug, PartialEq)]
pub struct Risk {
    /// The tier's name: a rate-book tier such as "blue-chip", "native" (direct
    /// network staking), "none" (a plain holding) or "unknown".
    pub tier: String,
    /// Probability of a loss event in a year, a fraction.
    pub loss_probability: Rate,
    /// Share of the money lost in such an event, a fraction.
    pub loss_given_event: Rate,
    /// Why this tier, when it was a default (e.g. an unknown protocol).
    pub note: Option<String>,
}

/// How a staking position is staked, and what the network does to its yield.
#[derive(Clone, Debug, PartialEq)]
pub struct Staking {
    /// The staking route (delegated when the profile names none).
    pub method: Method,
    /// The staking yield itself, a fraction per year, after the provider fee
    /// (before any stacked layer).
    pub apy: Band,
    /// Share of rewards the provider keeps, a fraction (e.g. 0.1 for Lido);
    /// already taken out of `apy`.
    pub provider_fee: Rate,
    /// The network's supply inflation per year, a fraction, for the
    /// dilution-adjusted yield `(1 + apy) / (1 + inflation) − 1` (domain.md
    /// §2); `None` when the rate book and profile do not give it.
    pub inflation: Option<Rate>,
    /// Days to get the stake back; zero for a liquid-staking token (and when
    /// the network's unbonding is unknown).
    pub unbonding_days: u32,
    /// Share of the stake a slashing event takes, a fraction (domain.md §3).
    pub slashing: Rate,
}

/// A layer stacked on a position (e.g. lending out a liquid-staking token):
/// its yield adds to the position's, its loss probability compounds with it.
#[derive(Clone, Debug, PartialEq)]
pub struct Layer {
    /// How the layer earns.
    pub strategy: Strategy,
    /// The asset symbol the layer holds, when it names one.
    pub asset: Option<String>,
    /// The protocol id (rate-book key, e.g. "aave"), when it names one.
    pub protocol: Option<String>,
    /// The chain it runs on, when it names one.
    pub chain: Option<String>,
    /// The layer's yield band, a fraction per year, added to the position's.
    pub apy: Band,
    /// The part of `apy` paid in incentive tokens, a fraction per year.
    pub reward_apy: Band,
    /// The layer's own protocol risk.
    pub risk: Risk,
}

/// A stress scenario from the profile's `[[scenario]]`, resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// The scenario's name, as shown in the stress report.
    pub name: String,
    /// Price change per asset symbol, a fraction (−0.3 = −30%).
    pub prices: Vec<(String, Rate)>,
    /// Price change of every other non-stablecoin asset, a fraction.
    pub crypto: Option<Rate>,
    /// Relative change of every gross yield, a fraction (−0.5 halves them);
    /// expected impermanent loss does not scale.
    pub yields: Option<Rate>,
    /// Protocols (rate-book ids) that suffer a loss event, each with the
    /// share of the money in it that the event takes (its tier's loss given
    /// event).
    pub fail: Vec<(String, Rate)>,
    /// True when staked positions lose their [`Staking::slashing`] share.
    pub slash: bool,
}

/// What the planner knows of each asset, for stress tests, projections and
/// simulations.
#[derive(Clone, Debug, PartialEq)]
pub struct AssetFacts {
    /// True for a stablecoin: it holds its price in the crash shock, and the
    /// largest one is the one the depeg shock hits.
    pub stablecoin: bool,
    /// Median (geometric) yearly price change, a fraction: the price's
    /// median after `t` years is `(1 + g)^t` (the book's or profile's
    /// `expected_return`; 0 when neither gives one).
    pub median_growth: Rate,
    /// Annual price volatility, a fraction (0.8 = 80%); `None` when unknown
    /// (the stress crash then uses BTC's, the simulation none).
    pub volatility: Option<Rate>,
    /// Share of a stake a slashing event takes, a fraction (0 where the
    /// network does not slash).
    pub slashing: Rate,
}

/// One resolved position.
#[derive(Clone, Debug, PartialEq)]
pub struct Position {
    /// The position's unique name: the profile's `name`, or one made from its
    /// strategy and asset or pair; an index component's is "index: component".
    pub name: String,
    /// How the position earns (an index position appears as its components).
    pub strategy: Strategy,
    /// The asset symbol held (e.g. "ETH"); `None` for pools and unnamed farms.
    pub asset: Option<String>,
    /// The two asset symbols of a liquidity pool, `[A, B]`; prices move as A
    /// priced in B.
    pub pair: Option<[String; 2]>,
    /// The protocol id (rate-book key, e.g. "aave"), when named.
    pub protocol: Option<String>,
    /// The chain the money sits on: the profile's, or the asset's native
    /// chain (a pool's non-stablecoin side); `None` when unknown.
    pub chain: Option<String>,
    /// The staking route; always `Some` for staking positions.
    pub method: Option<Method>,
    /// The name of the index position this one was expanded from.
    pub index: Option<String>,
    /// Money allocated to the position, exact to the cent; the amounts of all
    /// positions add up to [`Portfolio::value`].
    pub amount: Money,
    /// The position's gross yield band, a fraction per year, including any
    /// stacked layers (before tax, impermanent loss and protocol risk).
    pub apy: Band,
    /// The part of `apy.mid` paid in incentive tokens, as a fraction of it.
    pub reward_share: Rate,
    /// Where the band came from: "profile", a rate-book entry or a pool id.
    pub apy_source: String,
    /// Pool and volatility, for liquidity positions.
    pub liquidity: Option<Liquidity>,
    /// Route, fee and network facts, for staking positions.
    pub staking: Option<Staking>,
    /// The protocol risk of the position itself.
    pub risk: Risk,
    /// Layers stacked on it.
    pub stack: Vec<Layer>,
    /// Exposure groups (an asset's rate-book `group`, else its symbol) and
    /// their shares of the position, fractions adding to 1 (a pool holds two,
    /// split by its weight; a position with no asset is "other").
    pub exposure: Vec<(String, Rate)>,
    /// True when the money depends on `DeFi` smart contracts: lending,
    /// liquidity and farming, liquid or protocol staking, or any stack.
    pub defi: bool,
    /// The snapshot or rate-book pool the yield came from (`pool_id`), if any.
    pub pool: Option<PoolSource>,
}

/// The pool a position takes its yield from.
#[derive(Clone, Debug, PartialEq)]
pub struct PoolSource {
    /// The pool's id, as in the snapshot.
    pub id: String,
    /// Its total value locked in USD, when it came from a pools snapshot
    /// read in this run; `None` from a rate-book file.
    pub tvl_usd: Option<Money>,
}

/// A portfolio ready to plan.
#[derive(Clone, Debug, PartialEq)]
pub struct Portfolio {
    /// The profile's `name`, or its file name without extension.
    pub name: String,
    /// The profile's path as given, for reports.
    pub path: String,
    /// The portfolio's total value, in `currency`.
    pub value: Money,
    /// The currency code every amount is in (e.g. "USD", the default).
    pub currency: String,
    /// The income goal, when the profile sets one.
    pub goal: Option<Goal>,
    /// Tax, inflation, reinvestment and sustainability assumptions.
    pub assumptions: Assumptions,
    /// The positions in profile order, each index position replaced by its
    /// components.
    pub positions: Vec<Position>,
    /// Lint thresholds and the lints switched off.
    pub lints: LintSettings,
    /// Thresholds of `yieldplan review`'s flags.
    pub review: ReviewSettings,
    /// Stress scenarios the profile defines.
    pub scenarios: Vec<Scenario>,
    /// Facts about every asset the rate book and profile know, by symbol.
    pub assets: std::collections::BTreeMap<String, AssetFacts>,
    /// Price correlation, in [-1, 1], of each asset with the market (BTC,
    /// itself 1), for the crash shock.
    pub market_correlation: std::collections::BTreeMap<String, f64>,
    /// Price correlation, in [-1, 1], of every pair of known assets, keyed
    /// (a, b) with a < b; used to correlate simulated prices.
    pub correlations: std::collections::BTreeMap<(String, String), f64>,
    /// Lints resolution fired (e.g. `assumed-asset`), in the order found.
    pub notes: Vec<Note>,
}

impl Portfolio {
    /// How many times a year income is paid out: the goal's schedule (12 for
    /// a monthly goal), or once a year without a goal.
    #[must_use]
    pub fn payouts_per_year(&self) -> u32 {
        self.goal.as_ref().map_or(1, |g| g.payouts_per_year.max(1))
    }
}
