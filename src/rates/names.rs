//! One name per asset, chain and protocol: the book's alias tables and the
//! rules that turn what a profile or a pools snapshot writes (`WETH`,
//! `OP Mainnet`, `aave-v3`) into the book's ids (`ETH`, `optimism`, `aave`).
//!
//! The tables are data in the book (`[aliases.assets]`, `[aliases.chains]`,
//! `[aliases.protocols]`), extendable with `--rates`; the rules here only read
//! them. Nothing here knows positions or pools.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Other names of the book's assets, chains and protocols, each mapped to the
/// book's id.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aliases {
    /// Asset symbol → the book's symbol (`WETH` → `ETH`): the same exposure.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub assets: BTreeMap<String, String>,
    /// Chain name, any case → the book's chain id (`OP Mainnet` → `optimism`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub chains: BTreeMap<String, String>,
    /// Protocol or project slug, any case → the book's protocol id
    /// (`aave-v3` → `aave`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub protocols: BTreeMap<String, String>,
}

impl Aliases {
    /// Whether no alias is defined.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.assets.is_empty() && self.chains.is_empty() && self.protocols.is_empty()
    }

    /// Adds (or replaces) the aliases of `other`.
    pub fn extend(&mut self, other: Aliases) {
        self.assets.extend(other.assets);
        self.chains.extend(other.chains);
        self.protocols.extend(other.protocols);
    }

    /// The chain id for a chain as written: its alias (matched in any case),
    /// else the name in lower case with surrounding blanks removed.
    #[must_use]
    pub fn chain(&self, name: &str) -> String {
        let lower = name.trim().to_lowercase();
        lookup(&self.chains, &lower).unwrap_or(lower)
    }

    /// The protocol id for a protocol as written: its alias (matched in any
    /// case), else the name in lower case.
    #[must_use]
    pub fn protocol(&self, name: &str) -> String {
        let lower = name.trim().to_lowercase();
        lookup(&self.protocols, &lower).unwrap_or(lower)
    }

    /// The book symbol an asset alias stands for (`weth` → `ETH`), matched
    /// in any case.
    #[must_use]
    pub fn asset(&self, symbol: &str) -> Option<String> {
        lookup(&self.assets, &symbol.trim().to_lowercase())
    }
}

/// The value of the key equal to `lower` in any case.
fn lookup(table: &BTreeMap<String, String>, lower: &str) -> Option<String> {
    table
        .iter()
        .find(|(k, _)| lowers_to(k, lower))
        .map(|(_, v)| v.clone())
}

/// Whether `key.to_lowercase() == lower`, without building the lower-case
/// key when it is ASCII (every look-up of a position's chain and protocol
/// runs through the whole alias table).
fn lowers_to(key: &str, lower: &str) -> bool {
    if key.is_ascii() {
        key.len() == lower.len()
            && key
                .bytes()
                .zip(lower.bytes())
                .all(|(k, l)| k.to_ascii_lowercase() == l)
    } else {
        key.to_lowercase() == lower
    }
}

/// A protocol id without a version suffix: the snapshot's `aave-v4` is `aave`.
pub(super) fn unversioned(id: &str) -> &str {
    match id.rsplit_once("-v") {
        Some((base, v))
            if !base.is_empty() && !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) =>
        {
            base
        }
        _ => id,
    }
}

/// The one symbol among `known` equal to `symbol` in any case, when there is
/// exactly one (an exact match always wins).
#[must_use]
pub fn unique_case_match<'a>(
    symbol: &str,
    known: impl Iterator<Item = &'a String>,
) -> Option<String> {
    let mut found: Option<&String> = None;
    for k in known {
        if k == symbol {
            return Some(k.clone());
        }
        if k.eq_ignore_ascii_case(symbol) {
            if found.is_some_and(|f| f != k) {
                return None;
            }
            found = Some(k);
        }
    }
    found.cloned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn lowers_to_is_to_lowercase() {
        for key in [
            "Aave",
            "aave",
            "AAVE-v3",
            "OP Mainnet",
            "ΣΑΣ",
            "Straße",
            "aavé",
            "",
            "İ",
        ] {
            for lower in [
                "aave",
                "aave-v3",
                "op mainnet",
                "σας",
                "straße",
                "aavé",
                "",
                "i̇",
                "AAVE",
            ] {
                assert_eq!(
                    super::lowers_to(key, lower),
                    key.to_lowercase() == lower,
                    "{key} {lower}"
                );
            }
        }
    }
}
