//! The saved plan's figures as a review reads them back: the typed shape of
//! a snapshot (only the fields a review needs; numbers as exact decimals).

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::model::Band;
use crate::money::{Money, Rate};

use super::super::plan::MoneyBand;

/// A low / mid / high band of rates as saved (fractions).
#[derive(Clone, Copy, Debug, Default, PartialEq, Deserialize)]
pub struct SavedBand {
    /// Low end.
    pub low: Decimal,
    /// Mid figure.
    pub mid: Decimal,
    /// High end.
    pub high: Decimal,
}

impl SavedBand {
    /// As a band of rates.
    #[must_use]
    pub fn band(self) -> Band {
        Band {
            low: Rate(self.low),
            mid: Rate(self.mid),
            high: Rate(self.high),
        }
    }

    /// As a band of money.
    #[must_use]
    pub fn money(self) -> MoneyBand {
        MoneyBand {
            low: Money(self.low),
            mid: Money(self.mid),
            high: Money(self.high),
        }
    }
}

/// Which profile the snapshot is of.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct SavedProfile {
    /// The profile's name.
    pub name: String,
    /// Its path when the snapshot was taken.
    pub path: String,
}

/// Value and currency when the snapshot was taken.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct SavedPortfolio {
    /// Total value, in `currency`.
    pub value: Decimal,
    /// Currency code.
    pub currency: String,
}

/// One protocol behind a position's risk.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct SavedRiskSource {
    /// The risk tier's name.
    pub tier: String,
}

/// A position's risk as saved.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct SavedRisk {
    /// The position's own protocol first, then its layers'.
    #[serde(default)]
    pub sources: Vec<SavedRiskSource>,
}

/// One position of the snapshot.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct SavedPosition {
    /// Its unique name.
    pub name: String,
    /// Its strategy's name.
    pub strategy: String,
    /// The protocol, if any.
    #[serde(default)]
    pub protocol: Option<String>,
    /// The chain, if any.
    #[serde(default)]
    pub chain: Option<String>,
    /// The asset, for single-asset positions.
    #[serde(default)]
    pub asset: Option<String>,
    /// The pair, for pools.
    #[serde(default)]
    pub pair: Option<[String; 2]>,
    /// Planned amount.
    pub amount: Decimal,
    /// Planned weight, a fraction.
    pub weight: Decimal,
    /// Gross APY band.
    pub apy: SavedBand,
    /// Share of the yield paid in incentive tokens.
    pub reward_share: Decimal,
    /// Expected one-year impermanent loss.
    #[serde(default)]
    pub expected_il: Option<Decimal>,
    /// Income paid out in a year.
    pub paid_out_income: SavedBand,
    /// Yearly income counted toward the goal.
    pub annual_income: SavedBand,
    /// Protocol risk.
    #[serde(default)]
    pub risk: SavedRisk,
    /// The pool the yield came from.
    #[serde(default)]
    pub pool_id: Option<String>,
    /// The pool's TVL in USD.
    #[serde(default)]
    pub tvl_usd: Option<Decimal>,
    /// Where the APY came from ("pool ID (...): ..." for a pool's).
    #[serde(default)]
    pub apy_source: String,
}

impl SavedPosition {
    /// The pool the yield came from: `pool_id`, or for a snapshot written
    /// before plans recorded it, the id its `apy_source` names.
    #[must_use]
    pub fn pool(&self) -> Option<String> {
        self.pool_id.clone().or_else(|| {
            let rest = self.apy_source.strip_prefix("pool ")?;
            let id = rest.split(" (").next()?.trim();
            (!id.is_empty() && !id.contains(char::is_whitespace)).then(|| id.to_string())
        })
    }

    /// The tier of the position's own protocol.
    #[must_use]
    pub fn tier(&self) -> Option<&str> {
        self.risk.sources.first().map(|s| s.tier.as_str())
    }
}

/// Blended figures as saved.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct SavedTotals {
    /// Blended net APY.
    pub apy: SavedBand,
    /// Yearly income band.
    pub annual_income: SavedBand,
}

/// The goal as saved.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct SavedGoal {
    /// The goal status's name.
    pub status: String,
    /// The required yield, a fraction.
    pub required_yield: Decimal,
}

/// A warning as saved.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
pub struct SavedWarning {
    /// The lint's name.
    pub lint: String,
    /// The position it is about.
    #[serde(default)]
    pub position: Option<String>,
    /// Its message.
    pub message: String,
}

/// Where the snapshot's figures came from.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct SavedInputs {
    /// The rate book's date.
    #[serde(default)]
    pub rate_book_as_of: Option<String>,
    /// The `--rates` file.
    #[serde(default)]
    pub rates_file: Option<String>,
    /// Pools snapshots read.
    #[serde(default)]
    pub pools_files: Vec<String>,
}

/// A saved plan: what a review compares the current plan against.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Snapshot {
    /// The plan's JSON schema version.
    pub schema_version: u32,
    /// The profile planned.
    pub profile: SavedProfile,
    /// Value and currency.
    pub portfolio: SavedPortfolio,
    /// Every position, in profile order.
    pub positions: Vec<SavedPosition>,
    /// Blended figures.
    pub totals: SavedTotals,
    /// The goal, if any.
    #[serde(default)]
    pub goal: Option<SavedGoal>,
    /// Warnings that fired.
    #[serde(default)]
    pub warnings: Vec<SavedWarning>,
    /// Where the figures came from (absent in snapshots of older plans).
    #[serde(default)]
    pub inputs: Option<SavedInputs>,
}

impl Snapshot {
    /// The snapshot's positions by name, so a large plan is matched in
    /// linear time; a name listed twice (refused when read) maps to its
    /// first entry.
    #[must_use]
    pub fn by_name(&self) -> std::collections::HashMap<&str, &SavedPosition> {
        self.positions
            .iter()
            .rev()
            .map(|o| (o.name.as_str(), o))
            .collect()
    }
}
