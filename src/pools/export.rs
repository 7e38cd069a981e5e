//! Turning snapshot pools into rate-book pool entries: the conversion of one
//! [`Pool`] into a [`PoolEntry`] (by the band rule of [`band`]), and the
//! rate-book extension text that `yieldplan rates import` writes.
//!
//! It writes text but no file, and it is the only place where snapshot pools
//! meet the rate book (the book knows nothing of snapshots).

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::screen::{band, reward_share};
use super::snapshot::Pool;
use crate::money::decimal_from_f64;
use crate::rates::{BookRate, PoolEntry};

/// The header of an imported extension: where it comes from and its band rule.
const HEADER: &str = "\
# Pool yield bands imported from a DefiLlama pools snapshot by `yieldplan rates import`.
# Band rule: mid = 30-day mean APY (else the current APY); low / high = mu -/+ sigma
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

/// Writes pools as a rate-book extension (`[pools."ID"]` tables) that
/// `--rates` accepts. `as_of` dates it when given. Pools are written by id;
/// an id listed twice is written once (its first pool).
#[must_use]
pub fn rate_book_extension(pools: &[&Pool], source: &str, as_of: Option<&str>) -> String {
    let mut out = String::from(HEADER);
    if let Some(date) = as_of {
        // Writing to a String cannot fail.
        let _ = writeln!(out, "as_of = {}", quote(date));
    }
    let mut sorted: Vec<&&Pool> = pools.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    // A snapshot can list an id twice; a rate book holds it once (the first).
    sorted.dedup_by(|a, b| a.id == b.id);
    for p in sorted {
        write_pool(&mut out, &p.id, &PoolEntry::from_pool(p, source));
    }
    out
}

/// Appends one `[pools."ID"]` table.
fn write_pool(out: &mut String, id: &str, e: &PoolEntry) {
    // Writing to a String cannot fail.
    let _ = write!(
        out,
        "\n[pools.{}]\n\
         project = {}\nsymbol = {}\nchain = {}\n\
         low = {}\nmid = {}\nhigh = {}\nreward_share = {}\n\
         stablecoin = {}\nil_risk = {}\nsource = {}\n",
        quote(id),
        quote(&e.project),
        quote(&e.symbol),
        quote(&e.chain),
        percent(e.low),
        percent(e.mid),
        percent(e.high),
        percent(e.reward_share),
        e.stablecoin,
        e.il_risk,
        quote(&e.source)
    );
}

/// A TOML string literal.
fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A rate as a TOML percent string, e.g. `"4.4%"`.
fn percent(r: BookRate) -> String {
    quote(&format!("{}%", (r.0 * Decimal::ONE_HUNDRED).normalize()))
}
