//! Saved snapshots of DefiLlama's yields "pools" endpoint: reading them
//! (`snapshot.rs`), screening pools for sustainability, turning one into a
//! yield band by a stated rule and listing them (`screen.rs`), and exporting
//! pools as rate-book entries (`export.rs`), and offering them to `optimize`
//! as candidate positions (`candidates.rs`).
//!
//! APYs are yearly fractions once read (0.045 = 4.5%). This module does no
//! I/O: callers hand it bytes and write what it returns.

mod candidates;
mod export;
mod screen;
mod snapshot;

pub use candidates::{Candidate, DEFAULT_MIN_TVL, MAX_TEXT_CHARS, Offer, candidates, offer};
pub use export::{Extension, add_to_book, pool_entries, rate_book_extension};
pub use screen::{
    Filter, MAX_PLANNABLE_APY, PoolRate, PoolRow, PoolsReport, SHORT_HISTORY_DAYS, SortKey,
    TINY_TVL, Verdict, band, list, percent_as_read, reward_share, screen,
};
pub use snapshot::{Pool, Skipped, Snapshot, SnapshotError, WARNED_IDS, read_snapshot};

#[cfg(test)]
mod tests;
