//! The rate book: default yields, asset facts and index templates.
//!
//! The default book (`default.toml` beside this file) is embedded in the binary,
//! so a plan needs no other input. `--rates FILE` extends it entry by entry, or
//! replaces it with `replace = true`. Every figure carries its source.
//!
//! The entries a book is made of live in `entries.rs`, the book itself with its
//! loading, merging and look-ups in `book.rs`, its alias tables and canonical
//! names in `names.rs`, and its consistency checks in `checks.rs`. This module names the keys every complete book must have. It
//! loads, merges and checks books and answers look-ups; it does not plan
//! anything, and it knows nothing of pool snapshots (those turn themselves into
//! [`PoolEntry`]s on their side).

mod book;
mod book_file;
mod checks;
mod entries;
mod file;
mod names;
mod patches;
mod stand_in;
mod written;

pub use book::{DEFAULT_BOOK, RateBook, parse_book};
pub use entries::{
    AssetClass, AssetEntry, BandEntry, BookRate, Component, CorrelationEntry, Days, FarmingEntry,
    Figure, IndexTemplate, MethodEntry, PoolEntry, ProtocolEntry, TierEntry, UnknownAssetEntry,
};
pub use file::TOP_KEYS;
pub use names::{Aliases, slug, unique_case_match};

/// Staking routes every complete book prices (`[staking_methods.NAME]`).
pub const METHODS: [&str; 3] = crate::model::Method::NAMES;
/// Tiers every complete book has: `unknown` for protocols it does not know,
/// `native` for staking with no protocol, `none` for plain holdings.
pub const REQUIRED_TIERS: [&str; 3] = ["unknown", "native", "none"];

/// Key of the correlation used for crypto pairs the book does not list.
pub const DEFAULT_CORRELATION: &str = "default";
/// Key of the correlation of two stablecoins.
pub const STABLECOIN_CORRELATION: &str = "stablecoins";

/// Lending class of stablecoins (`[lending.stablecoin]`).
const STABLECOIN_LENDING: &str = "stablecoin";
/// Lending class of every asset that is not a stablecoin (`[lending.volatile]`).
const VOLATILE_LENDING: &str = "volatile";
/// Lending classes every complete book has.
pub const LENDING_CLASSES: [&str; 2] = [STABLECOIN_LENDING, VOLATILE_LENDING];
/// Liquidity classes every complete book has.
pub const LIQUIDITY_CLASSES: [&str; 3] = ["stable", "major", "exotic"];

#[cfg(test)]
mod tests;
