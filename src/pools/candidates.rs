//! Pools of a snapshot offered to `optimize` as candidate positions: those
//! the screen calls sustainable, at or above a TVL floor, whose one or two
//! tokens the rate book knows. One token is a lending position, two a
//! liquidity position; either takes its yield, protocol and chain from the
//! pool (`pool_id`). Choosing among them is the optimizer's job.

use super::{Pool, Snapshot, Verdict, screen};
use crate::model::Strategy;
use crate::rates::RateBook;

/// Default TVL floor of a candidate pool, in USD.
pub const DEFAULT_MIN_TVL: f64 = 1_000_000.0;

/// A pool offered as a position.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// The pool's id (its `pool_id`).
    pub id: String,
    /// The position's name: project, symbol and chain.
    pub name: String,
    /// Lending for one token, liquidity for two.
    pub strategy: Strategy,
}

fn strategy_of(p: &Pool, book: &RateBook) -> Option<Strategy> {
    let tokens: Vec<&str> = p.symbol.split('-').map(str::trim).collect();
    let known: Option<Vec<String>> = tokens.iter().map(|t| book.canonical_asset(t)).collect();
    match known?.as_slice() {
        [_] => Some(Strategy::Lending),
        [a, b] if a != b => Some(Strategy::Liquidity),
        _ => None,
    }
}

/// The snapshot's candidate pools, in file order: sustainable, with at least
/// `min_tvl` USD locked, one or two tokens the book knows.
#[must_use]
pub fn candidates(snapshot: &Snapshot, book: &RateBook, min_tvl: f64) -> Vec<Candidate> {
    snapshot
        .pools
        .iter()
        .filter(|p| p.tvl_usd >= min_tvl && screen(p).0 == Verdict::Sustainable)
        .filter_map(|p| {
            Some(Candidate {
                id: p.id.clone(),
                name: format!("{} {} ({})", p.project, p.symbol, p.chain),
                strategy: strategy_of(p, book)?,
            })
        })
        .collect()
}
