//! Entries that stand for ones a rate-book file writes but that could not be
//! read (a bad value, a misspelt or missing required key): the problem is
//! already reported at its place, so the book is given a blank entry of that
//! name, and checks of the whole book do not report a second, false problem
//! for every reference to it (an alias naming it, an index component, an
//! asset's `underlying`, an asset on the chain a pool or chain alias that
//! could not be read declares).
//!
//! A book holding a stand-in is never used: the file has a problem, so
//! nothing is planned. Nothing here reads a file or checks a book.

use rust_decimal::Decimal;

use super::entries::{
    AssetClass, AssetEntry, BandEntry, BookRate, FarmingEntry, Figure, IndexTemplate, MethodEntry,
    PoolEntry, ProtocolEntry, TierEntry, UnknownAssetEntry,
};

/// An entry that can stand, blank, for one the file could not give.
pub(super) trait StandIn {
    /// A blank entry named `id`, with no figure that a check could fault.
    fn stand_in(id: &str) -> Self;
}

/// A zero rate.
const ZERO: BookRate = BookRate(Decimal::ZERO);

impl StandIn for AssetEntry {
    fn stand_in(id: &str) -> Self {
        AssetEntry::blank(id, AssetClass::Alt)
    }
}

impl StandIn for BandEntry {
    fn stand_in(_: &str) -> Self {
        BandEntry {
            low: ZERO,
            mid: None,
            high: ZERO,
            source: String::new(),
        }
    }
}

impl StandIn for MethodEntry {
    fn stand_in(_: &str) -> Self {
        MethodEntry {
            fee: ZERO,
            source: String::new(),
        }
    }
}

impl StandIn for TierEntry {
    fn stand_in(_: &str) -> Self {
        TierEntry {
            loss_probability: ZERO,
            loss_given_event: ZERO,
            source: String::new(),
        }
    }
}

impl StandIn for ProtocolEntry {
    fn stand_in(id: &str) -> Self {
        ProtocolEntry {
            name: id.to_string(),
            // Every complete book has this tier; a book without it is told so.
            tier: "unknown".to_string(),
            source: String::new(),
        }
    }
}

impl StandIn for IndexTemplate {
    fn stand_in(id: &str) -> Self {
        IndexTemplate {
            name: id.to_string(),
            description: String::new(),
            source: String::new(),
            components: Vec::new(),
        }
    }
}

impl StandIn for FarmingEntry {
    fn stand_in(_: &str) -> Self {
        FarmingEntry {
            low: ZERO,
            mid: None,
            high: ZERO,
            reward_share: ZERO,
            source: String::new(),
        }
    }
}

impl StandIn for PoolEntry {
    fn stand_in(_: &str) -> Self {
        PoolEntry {
            project: String::new(),
            symbol: String::new(),
            // No chain: a blank one declares none.
            chain: String::new(),
            low: ZERO,
            mid: ZERO,
            high: ZERO,
            reward_share: ZERO,
            stablecoin: false,
            il_risk: false,
            source: String::new(),
            tvl_usd: None,
            stand_in: false,
        }
    }
}

impl StandIn for UnknownAssetEntry {
    fn stand_in(_: &str) -> Self {
        UnknownAssetEntry {
            volatility: Figure {
                value: ZERO,
                source: String::new(),
            },
        }
    }
}
