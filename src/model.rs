//! The resolved portfolio: only validated values, nothing left to look up.
//!
//! A [`Portfolio`] is what the engine plans. Every position here has an exact
//! amount, a yield band and its reward share; index positions are already
//! expanded into their components. Building one is `resolve`'s job; this module
//! only defines the vocabulary, and must not parse text or compute yields.

use serde::{Deserialize, Serialize};

use crate::money::{Money, Rate};

crate::closed_set! {
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

crate::closed_set! {
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

crate::closed_set! {
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
        /// StableSwap (Curve style).
        Stable = "stable",
    }
}

/// A pool shape.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Pool {
    /// Constant product, 50/50 (Uniswap v2 style).
    ConstantProduct,
    /// Two-token weighted pool (Balancer style); `weight` is asset A's share, in (0, 1).
    Weighted { weight: f64 },
    /// Concentrated liquidity between `lower` and `upper` times the entry price
    /// (Uniswap v3 style); `lower < 1 < upper`.
    Concentrated { lower: f64, upper: f64 },
    /// StableSwap (Curve style) with amplification `amplification` as in the
    /// StableSwap paper: `4A(x+y) + D = 4AD + D³/(4xy)`. It is the invariant
    /// pegged pairs actually trade on: near the peg it behaves like a
    /// constant-sum pool, so a depeg leaves the LP holding mostly the cheaper
    /// coin and the loss is far larger than constant product would say; with
    /// `A = 0` it is constant product. We solve it exactly rather than borrow
    /// the constant-product formula, which understates depeg losses.
    Stable { amplification: f64 },
}

/// What a liquidity position needs for its impermanent loss.
#[derive(Clone, Debug, PartialEq)]
pub struct Liquidity {
    pub pool: Pool,
    /// Annual volatility of the pair's price ratio.
    pub ratio_volatility: Rate,
    /// Where the ratio volatility came from.
    pub volatility_source: String,
    pub fee_apr: Band,
    pub reward_apy: Band,
}

/// A low / mid / high band of a rate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Band {
    pub low: Rate,
    pub mid: Rate,
    pub high: Rate,
}

impl Band {
    pub fn flat(rate: Rate) -> Band {
        Band {
            low: rate,
            mid: rate,
            high: rate,
        }
    }

    /// Applies `f` to each of low, mid and high.
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

/// The income goal, per year.
#[derive(Clone, Debug, PartialEq)]
pub struct Goal {
    pub annual_min: Money,
    pub annual_max: Money,
    pub starts_in_years: u32,
    pub after_tax: bool,
}

/// Planning assumptions, with the defaults filled in.
#[derive(Clone, Debug, PartialEq)]
pub struct Assumptions {
    pub tax_rate: Rate,
    pub inflation: Rate,
    pub reinvest: Rate,
    /// Required yields above this are unsustainable.
    pub sustainable_yield: Rate,
    /// Share of emissions (reward-token) income that sustainable income ignores.
    pub emissions_haircut: Rate,
    /// Money added each year while accumulating, in today's money (indexed to inflation).
    pub annual_contribution: Money,
}

/// Lint settings from the profile's `[lints]` table.
#[derive(Clone, Debug, PartialEq)]
pub struct LintSettings {
    /// Lints the profile switches off.
    pub allow: Vec<String>,
    /// `emissions-heavy` fires above this reward share.
    pub emissions_share: Rate,
    /// `protocol-concentration` fires when one protocol holds more than this.
    pub protocol_concentration: Rate,
    /// `chain-concentration` fires when one chain holds more than this of the on-chain positions.
    pub chain_concentration: Rate,
    /// `defi-heavy` fires when more than this depends on DeFi smart contracts.
    pub defi_share: Rate,
    /// `locked-liquidity` fires when more than this sits behind long unbonding.
    pub locked_share: Rate,
    /// Unbonding of at least this many days counts as long.
    pub long_unbonding_days: u32,
    /// `stacked-risk` fires for stacks deeper than this (layers under a position)...
    pub stack_depth: u32,
    /// ...or whose compounded loss probability is above this.
    pub stacked_loss_probability: Rate,
}

/// A protocol risk tier's assumptions.
#[derive(Clone, Debug, PartialEq)]
pub struct Risk {
    pub tier: String,
    /// Probability of a loss event in a year.
    pub loss_probability: Rate,
    /// Share of the money lost in such an event.
    pub loss_given_event: Rate,
    /// Why this tier, when it was a default (e.g. an unknown protocol).
    pub note: Option<String>,
}

/// How a staking position is staked, and what the network does to its yield.
#[derive(Clone, Debug, PartialEq)]
pub struct Staking {
    pub method: Method,
    /// The staking yield itself, after the provider fee (before any stacked layer).
    pub apy: Band,
    /// Share of rewards the provider keeps (already taken out of `apy`).
    pub provider_fee: Rate,
    /// The network's supply inflation, for the dilution-adjusted yield.
    pub inflation: Option<Rate>,
    /// Days to get the stake back; zero for a liquid-staking token.
    pub unbonding_days: u32,
    /// Share of the stake a slashing event takes.
    pub slashing: Rate,
}

/// A layer stacked on a position.
#[derive(Clone, Debug, PartialEq)]
pub struct Layer {
    pub strategy: Strategy,
    pub asset: Option<String>,
    pub protocol: Option<String>,
    pub chain: Option<String>,
    pub apy: Band,
    pub reward_apy: Band,
    pub risk: Risk,
}

/// A stress scenario, resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub name: String,
    /// Price change per asset (−0.3 = −30%).
    pub prices: Vec<(String, Rate)>,
    /// Price change of every other non-stablecoin asset.
    pub crypto: Option<Rate>,
    /// Change of every yield.
    pub yields: Option<Rate>,
    /// Protocols that suffer a loss event, with the share of money it takes.
    pub fail: Vec<(String, Rate)>,
    /// Staked assets are slashed.
    pub slash: bool,
}

/// What the planner knows of each asset, for stress tests.
#[derive(Clone, Debug, PartialEq)]
pub struct AssetFacts {
    pub stablecoin: bool,
    /// Expected yearly price change (0 unless the book or profile says otherwise).
    pub expected_return: Rate,
    pub volatility: Option<Rate>,
    pub slashing: Rate,
}

/// One resolved position.
#[derive(Clone, Debug, PartialEq)]
pub struct Position {
    pub name: String,
    pub strategy: Strategy,
    pub asset: Option<String>,
    pub pair: Option<[String; 2]>,
    pub protocol: Option<String>,
    pub chain: Option<String>,
    pub method: Option<Method>,
    /// The name of the index position this one was expanded from.
    pub index: Option<String>,
    pub amount: Money,
    /// The position's gross yield band.
    pub apy: Band,
    /// The part of `apy.mid` paid in incentive tokens, as a share of it.
    pub reward_share: Rate,
    /// Where the band came from: "profile" or a rate-book entry.
    pub apy_source: String,
    /// Pool and volatility, for liquidity positions.
    pub liquidity: Option<Liquidity>,
    /// Route, fee and network facts, for staking positions.
    pub staking: Option<Staking>,
    /// The protocol risk of the position itself.
    pub risk: Risk,
    /// Layers stacked on it.
    pub stack: Vec<Layer>,
    /// Exposure groups and their shares of the position (a pool holds two).
    pub exposure: Vec<(String, Rate)>,
    /// True when the money depends on DeFi smart contracts.
    pub defi: bool,
}

/// A portfolio ready to plan.
#[derive(Clone, Debug, PartialEq)]
pub struct Portfolio {
    pub name: String,
    pub path: String,
    pub value: Money,
    pub currency: String,
    pub goal: Option<Goal>,
    pub assumptions: Assumptions,
    pub positions: Vec<Position>,
    pub lints: LintSettings,
    /// Stress scenarios the profile defines.
    pub scenarios: Vec<Scenario>,
    /// Facts about every asset the plan uses, by symbol.
    pub assets: std::collections::BTreeMap<String, AssetFacts>,
    /// Correlation of each asset with the market (BTC), for the crash shock.
    pub market_correlation: std::collections::BTreeMap<String, f64>,
    /// Price correlation of every pair of assets the plan uses, keyed (a, b) with a < b.
    pub correlations: std::collections::BTreeMap<(String, String), f64>,
}
