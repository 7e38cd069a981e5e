//! Turning snapshot pools into rate-book pool entries: the conversion of one
//! [`Pool`] into a [`PoolEntry`] (by the band rule of [`band`]), and the
//! rate-book extension text that `yieldplan rates import` writes.
//!
//! It writes text but no file, and it is the only place where snapshot pools
//! meet the rate book (the book knows nothing of snapshots).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use super::screen::{MAX_PLANNABLE_APY, band, percent_as_read, reward_share};
use super::snapshot::{Pool, Skipped, Snapshot};
use crate::money::decimal_from_f64;
use crate::rates::{BookRate, PoolEntry, RateBook};

/// The header of an imported extension: where it comes from and its band rule.
const HEADER: &str = "\
# Pool yield bands imported from a DefiLlama pools snapshot by `yieldplan rates import`.
# Band rule: mid = the total APY today (base plus rewards); low / high = mu -/+ sigma
# (low at least 0), else the lower / higher of the current and 30-day APYs.
# Use it with `--rates FILE`; positions refer to a pool by `pool_id`.
";

impl PoolEntry {
    /// The entry for a snapshot pool, with the band rule of [`band`]: figures
    /// rounded to 6 decimals of a fraction, the chain in lower case.
    #[must_use]
    pub fn from_pool(p: &Pool, source: &str) -> PoolEntry {
        let [low, mid, high] = band(p);
        PoolEntry {
            project: p.project.clone(),
            symbol: p.symbol.clone(),
            chain: p.chain.to_ascii_lowercase(),
            low: book_rate(low),
            mid: book_rate(mid),
            high: book_rate(high),
            reward_share: book_rate(reward_share(p)),
            stablecoin: p.stablecoin,
            il_risk: p.il_risk,
            source: source.to_string(),
            tvl_usd: Some(p.tvl_usd),
            stand_in: false,
        }
    }
}

/// A fraction as a book rate, rounded to 6 decimals (0 when not finite).
fn book_rate(x: f64) -> BookRate {
    BookRate(
        decimal_from_f64(x)
            .unwrap_or_default()
            .round_dp(6)
            .normalize(),
    )
}

/// Whether a pool's figures fit in a rate book (every rate at most the
/// planner's largest, 1,000,000%); why not, when they do not.
fn unplannable(p: &Pool) -> Option<String> {
    let [_, _, high] = band(p);
    (p.apy > MAX_PLANNABLE_APY || high > MAX_PLANNABLE_APY).then(|| {
        format!(
            "its APY ({}) is above the planner's largest rate, 1,000,000%",
            percent_as_read(p.apy.max(high))
        )
    })
}

/// The rate-book entries of snapshot pools, by id (the first of an id
/// listed twice), and the pools left out because their figures cannot be
/// planned, with why.
#[must_use]
pub fn pool_entries(pools: &[&Pool], source: &str) -> (BTreeMap<String, PoolEntry>, Vec<Skipped>) {
    let mut entries = BTreeMap::new();
    let mut left_out = Vec::new();
    for p in pools {
        if entries.contains_key(&p.id) {
            continue;
        }
        match unplannable(p) {
            Some(reason) => left_out.push(Skipped {
                id: Some(p.id.clone()),
                reason,
            }),
            None => {
                entries.insert(p.id.clone(), PoolEntry::from_pool(p, source));
            }
        }
    }
    (entries, left_out)
}

/// Adds a snapshot's pools to a rate book as `pool_id` sources, and
/// remembers the pools it skipped (unreadable or unplannable) with why, so a
/// position naming one is told.
pub fn add_to_book(book: &mut RateBook, snapshot: &Snapshot, source: &str) {
    let pools: Vec<&Pool> = snapshot.pools.iter().collect();
    let (entries, left_out) = pool_entries(&pools, source);
    for s in snapshot.skipped.iter().chain(&left_out) {
        if let Some(id) = &s.id {
            book.skipped_pools
                .entry(id.clone())
                .or_insert_with(|| s.reason.clone());
        }
    }
    for id in entries.keys() {
        book.skipped_pools.remove(id);
    }
    book.pools.extend(entries);
}

/// A rate-book extension, as TOML text, with how many pools it holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Extension {
    /// The text: a header comment, then `as_of` and `[pools."ID"]` tables.
    pub text: String,
    /// How many pools it holds.
    pub written: usize,
    /// Pools left out because their figures cannot be planned, with why.
    pub left_out: Vec<Skipped>,
}

/// Writes pools as a rate-book extension (`[pools."ID"]` tables) that
/// `--rates` accepts, with the `toml` serializer (any id or text is quoted
/// correctly). `as_of` dates it when given. An id listed twice is written
/// once (its first pool); pools whose APY the planner cannot hold are left
/// out and returned.
#[must_use]
pub fn rate_book_extension(pools: &[&Pool], source: &str, as_of: Option<&str>) -> Extension {
    let (entries, left_out) = pool_entries(pools, source);
    let file = ExtensionFile {
        as_of: as_of.map(str::to_string),
        pools: entries
            .iter()
            .map(|(id, e)| (id.clone(), PoolTable::of(e)))
            .collect(),
    };
    // Plain strings, booleans and tables always serialize.
    let body = toml::to_string(&file).unwrap_or_default();
    Extension {
        text: format!("{HEADER}{body}"),
        written: entries.len(),
        left_out,
    }
}

/// The extension as written: its date and its pools.
#[derive(Serialize)]
struct ExtensionFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    as_of: Option<String>,
    pools: BTreeMap<String, PoolTable>,
}

/// One pool entry as written, rates as percent strings (`"4.4%"`).
#[derive(Serialize)]
struct PoolTable {
    project: String,
    symbol: String,
    chain: String,
    low: String,
    mid: String,
    high: String,
    reward_share: String,
    stablecoin: bool,
    il_risk: bool,
    source: String,
}

impl PoolTable {
    /// The table of an entry.
    fn of(e: &PoolEntry) -> PoolTable {
        PoolTable {
            project: e.project.clone(),
            symbol: e.symbol.clone(),
            chain: e.chain.clone(),
            low: percent(e.low),
            mid: percent(e.mid),
            high: percent(e.high),
            reward_share: percent(e.reward_share),
            stablecoin: e.stablecoin,
            il_risk: e.il_risk,
            source: e.source.clone(),
        }
    }
}

/// A rate as a percent string, e.g. `4.4%`.
pub(crate) fn percent(r: BookRate) -> String {
    format!("{}%", (r.0 * Decimal::ONE_HUNDRED).normalize())
}
