//! Pools of a snapshot offered to `optimize` as candidate positions: those
//! the screen calls sustainable, at or above a TVL floor, whose one or two
//! tokens the rate book knows. One token is a lending position, two a
//! liquidity position; either takes its yield, protocol and chain from the
//! pool (`pool_id`). Choosing among them is the optimizer's job.
//!
//! Every candidate is one a profile can hold: its name is unique (pools
//! sharing project, symbol and chain are told apart by their market or fee
//! tier, else a short pool id), at most [`MAX_TEXT_CHARS`] characters and free
//! of control characters; a pool whose id the profile reader would refuse
//! (too long, control characters, blank) is skipped and counted.

use std::collections::HashSet;

use super::{Pool, Snapshot, Verdict, screen};
use crate::model::Strategy;
use crate::rates::RateBook;

/// Default TVL floor of a candidate pool, in USD.
pub const DEFAULT_MIN_TVL: f64 = 1_000_000.0;

/// Longest name or pool id a profile accepts, in characters.
pub const MAX_TEXT_CHARS: usize = 200;

/// A pool offered as a position.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// The pool's id (its `pool_id`).
    pub id: String,
    /// The position's name: project, symbol and chain, told apart from any
    /// other position's name when they would clash.
    pub name: String,
    /// Lending for one token, liquidity for two.
    pub strategy: Strategy,
}

/// The candidates and what was left out, by reason (counts of pools).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Offer {
    /// The pools offered, in file order.
    pub candidates: Vec<Candidate>,
    /// Pools in the snapshot.
    pub read: usize,
    /// Below the TVL floor.
    pub below_floor: usize,
    /// Not called sustainable by the screen.
    pub not_sustainable: usize,
    /// A token the rate book does not know, or not one or two tokens.
    pub unknown_tokens: usize,
    /// A pool id a profile cannot hold (over [`MAX_TEXT_CHARS`] characters,
    /// control characters, or blank).
    pub unusable_id: usize,
    /// Offered under a name told apart from another position's.
    pub renamed: usize,
}

impl Offer {
    /// One line saying what was offered and why the rest was not, e.g.
    /// "0 of 12 pools offered as candidates (9 below the TVL floor, 3 not
    /// sustainable)"; `None` when every pool was offered under its own name.
    #[must_use]
    pub fn note(&self) -> Option<String> {
        let reasons: Vec<String> = [
            (self.below_floor, "below the TVL floor"),
            (self.not_sustainable, "not sustainable"),
            (self.unknown_tokens, "with tokens the rate book does not know"),
            (
                self.unusable_id,
                "with a pool id a profile cannot hold (over 200 characters, control characters or blank)",
            ),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, why)| format!("{n} {why}"))
        .collect();
        let mut line = format!(
            "{} of {} pools offered as candidates",
            self.candidates.len(),
            self.read
        );
        if !reasons.is_empty() {
            line.push_str(&format!(" ({})", reasons.join(", ")));
        }
        if self.renamed > 0 {
            line.push_str(&format!(
                "; {} named with their market, fee tier or pool id to tell them apart",
                self.renamed
            ));
        }
        (self.candidates.is_empty() || !reasons.is_empty() || self.renamed > 0).then_some(line)
    }
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

/// True when a profile can hold `id` as a `pool_id`.
fn usable_id(id: &str) -> bool {
    !id.trim().is_empty()
        && id.chars().count() <= MAX_TEXT_CHARS
        && !id.chars().any(char::is_control)
}

/// `text` with control characters as spaces, cut to `max` characters.
fn clean(text: &str, max: usize) -> String {
    let t: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if t.chars().count() <= max {
        t
    } else {
        let mut cut: String = t.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// A name for `p` no other position has (`taken` holds every name so far,
/// lower-cased); the boolean says whether it had to be told apart.
fn unique_name(p: &Pool, taken: &mut HashSet<String>) -> (String, bool) {
    let base = format!(
        "{} {} ({})",
        clean(&p.project, 60),
        clean(&p.symbol, 60),
        clean(&p.chain, 60)
    );
    let short_id: String = clean(p.id.trim(), 12);
    let mut tries = vec![base.clone()];
    if let Some(meta) = p.meta.as_deref().filter(|m| !m.trim().is_empty()) {
        tries.push(format!("{base} {}", clean(meta.trim(), 40)));
    }
    tries.push(format!("{base} pool {short_id}"));
    for (k, name) in tries.into_iter().enumerate() {
        if taken.insert(name.to_lowercase()) {
            return (name, k > 0);
        }
    }
    let mut n = 2usize;
    loop {
        let name = format!("{base} pool {short_id} #{n}");
        if taken.insert(name.to_lowercase()) {
            return (name, true);
        }
        n += 1;
    }
}

/// The snapshot's candidate pools, in file order: sustainable, with at least
/// `min_tvl` USD locked, one or two tokens the book knows, an id a profile
/// can hold; named apart from each other and from `existing` (the
/// profile's own position names).
#[must_use]
pub fn offer(snapshot: &Snapshot, book: &RateBook, min_tvl: f64, existing: &[String]) -> Offer {
    let mut taken: HashSet<String> = existing.iter().map(|n| n.to_lowercase()).collect();
    let mut out = Offer {
        read: snapshot.pools.len(),
        ..Offer::default()
    };
    for p in &snapshot.pools {
        if p.tvl_usd < min_tvl || p.tvl_usd.is_nan() {
            out.below_floor += 1;
            continue;
        }
        if screen(p).0 != Verdict::Sustainable {
            out.not_sustainable += 1;
            continue;
        }
        let Some(strategy) = strategy_of(p, book) else {
            out.unknown_tokens += 1;
            continue;
        };
        if !usable_id(&p.id) {
            out.unusable_id += 1;
            continue;
        }
        let (name, renamed) = unique_name(p, &mut taken);
        out.renamed += usize::from(renamed);
        out.candidates.push(Candidate {
            id: p.id.clone(),
            name,
            strategy,
        });
    }
    out
}

/// The snapshot's candidate pools ([`offer`] for a profile with no
/// positions of its own).
#[must_use]
pub fn candidates(snapshot: &Snapshot, book: &RateBook, min_tvl: f64) -> Vec<Candidate> {
    offer(snapshot, book, min_tvl, &[]).candidates
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pools::read_snapshot;

    /// A snapshot of sustainable aave-v3 USDC pools, one per (id, chain, meta).
    fn snapshot(pools: &[(&str, &str, Option<&str>)]) -> Snapshot {
        let one = |(id, chain, meta): &(&str, &str, Option<&str>)| {
            serde_json::json!({
                "chain": chain, "project": "aave-v3", "symbol": "USDC",
                "tvlUsd": 310_000_000.0, "apyBase": 5.1, "apyReward": 0.0, "apy": 5.1,
                "pool": id, "stablecoin": true, "ilRisk": "no", "exposure": "single",
                "poolMeta": meta, "mu": 5.0, "sigma": 1.0, "count": 700,
                "outlier": false, "apyMean30d": 5.0
            })
        };
        let data: Vec<serde_json::Value> = pools.iter().map(one).collect();
        let text = serde_json::json!({ "status": "success", "data": data }).to_string();
        read_snapshot(text.as_bytes()).unwrap()
    }

    #[test]
    fn pools_sharing_project_symbol_and_chain_get_names_of_their_own() {
        let s = snapshot(&[
            ("a", "Arbitrum", None),
            ("b", "Arbitrum", Some("Prime market")),
            ("c", "Arbitrum", None),
            ("d", "Arbitrum", Some("Prime market")),
        ]);
        let book = RateBook::default_book();
        let o = offer(&s, &book, 0.0, &["AAVE-V3 usdc (Arbitrum) pool c".into()]);
        let names: Vec<&str> = o.candidates.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "aave-v3 USDC (Arbitrum)",
                "aave-v3 USDC (Arbitrum) Prime market",
                // "pool c" is the profile's own (in another case): numbered.
                "aave-v3 USDC (Arbitrum) pool c #2",
                "aave-v3 USDC (Arbitrum) pool d",
            ]
        );
        assert_eq!(o.renamed, 3);
        assert!(
            o.note()
                .unwrap()
                .ends_with("; 3 named with their market, fee tier or pool id to tell them apart")
        );
    }

    #[test]
    fn ids_a_profile_cannot_hold_are_skipped_and_names_cut_to_fit() {
        let long_id = "p".repeat(201);
        let long_chain = "C".repeat(500);
        let s = snapshot(&[
            (&long_id, "Arbitrum", None),
            ("bad\u{1}id", "Arbitrum", None),
            ("ok", &long_chain, None),
            (&"q".repeat(200), "Base", None),
        ]);
        let o = offer(&s, &RateBook::default_book(), 0.0, &[]);
        assert_eq!(o.unusable_id, 2);
        assert_eq!(o.candidates.len(), 2);
        assert!(
            o.candidates
                .iter()
                .all(|c| c.name.chars().count() <= MAX_TEXT_CHARS)
        );
        assert!(
            o.candidates
                .iter()
                .all(|c| !c.name.chars().any(char::is_control))
        );
        assert_eq!(
            o.note().unwrap(),
            "2 of 4 pools offered as candidates (2 with a pool id a profile cannot hold (over 200 characters, control characters or blank))"
        );
    }

    #[test]
    fn nothing_offered_is_said() {
        let s = snapshot(&[("a", "Arbitrum", None)]);
        let o = offer(&s, &RateBook::default_book(), 1e12, &[]);
        assert!(o.candidates.is_empty());
        assert_eq!(
            o.note().unwrap(),
            "0 of 1 pools offered as candidates (1 below the TVL floor)"
        );
        // Every pool offered under its own name: nothing to say.
        let o = offer(&s, &RateBook::default_book(), 0.0, &[]);
        assert_eq!(o.note(), None);
    }
}
