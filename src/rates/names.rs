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

    /// The chain id for a chain as written: its alias (matched as a
    /// [`slug`]: in any case, spaces and hyphens alike), else its slug
    /// (`Arbitrum One` and `arbitrum-one` are `arbitrum`; `Sonic` is `sonic`).
    #[must_use]
    pub fn chain(&self, name: &str) -> String {
        let id = slug(name);
        lookup_slug(&self.chains, &id).unwrap_or(id)
    }

    /// The protocol id for a protocol as written: its alias (matched as a
    /// [`slug`]), else its slug (`Compound V3` is `compound-v3`, an alias
    /// of `compound`).
    #[must_use]
    pub fn protocol(&self, name: &str) -> String {
        let id = slug(name);
        lookup_slug(&self.protocols, &id).unwrap_or(id)
    }

    /// The book symbol an asset alias stands for (`weth` → `ETH`), matched
    /// in any case.
    #[must_use]
    pub fn asset(&self, symbol: &str) -> Option<String> {
        lookup(&self.assets, &symbol.trim().to_lowercase())
    }
}

/// A chain or protocol name as an id: without the blanks around it, in lower
/// case, each run of blanks inside it a hyphen (`Aave V3` → `aave-v3`,
/// `Arbitrum One` → `arbitrum-one`), so the ways people write one slug are
/// one id. Asset symbols are not slugs (`USDC.e` keeps its dot and case
/// is matched separately).
#[must_use]
pub fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for (i, word) in name.split_whitespace().enumerate() {
        if i > 0 {
            out.push('-');
        }
        out.push_str(word);
    }
    out.to_lowercase()
}

/// The value of the key equal to `lower` in any case.
fn lookup(table: &BTreeMap<String, String>, lower: &str) -> Option<String> {
    table
        .iter()
        .find(|(k, _)| lowers_to(k, lower))
        .map(|(_, v)| v.clone())
}

/// The value of the key whose [`slug`] is `id`.
fn lookup_slug(table: &BTreeMap<String, String>, id: &str) -> Option<String> {
    table
        .iter()
        .find(|(k, _)| slugs_to(k, id))
        .map(|(_, v)| v.clone())
}

/// Whether `slug(key) == id`, without building the slug when the key is
/// ASCII with single spaces inside it (every look-up of a position's chain
/// and protocol runs through the whole alias table).
fn slugs_to(key: &str, id: &str) -> bool {
    let simple = key.is_ascii()
        && !key.starts_with(' ')
        && !key.ends_with(' ')
        && !key.contains("  ")
        && !key.bytes().any(|b| b.is_ascii_whitespace() && b != b' ');
    if simple {
        key.len() == id.len()
            && key.bytes().zip(id.bytes()).all(|(k, i)| {
                let k = if k == b' ' {
                    b'-'
                } else {
                    k.to_ascii_lowercase()
                };
                k == i
            })
    } else {
        slug(key) == id
    }
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
    use super::{Aliases, slug};

    #[test]
    fn slugs_treat_case_and_blanks_alike() {
        assert_eq!(slug("  Aave V3 "), "aave-v3");
        assert_eq!(slug("Arbitrum   One"), "arbitrum-one");
        assert_eq!(slug("arbitrum-one"), "arbitrum-one");
        assert_eq!(slug("ether.fi-stake"), "ether.fi-stake");
        assert_eq!(slug(""), "");
        let mut a = Aliases::default();
        a.chains.insert("arbitrum one".into(), "arbitrum".into());
        a.protocols.insert("aave-v3".into(), "aave".into());
        for written in [
            "Arbitrum One",
            "arbitrum-one",
            "ARBITRUM  ONE",
            " arbitrum one",
        ] {
            assert_eq!(a.chain(written), "arbitrum", "{written}");
        }
        for written in ["Aave V3", "AAVE-V3", "aave v3", "aave-v3"] {
            assert_eq!(a.protocol(written), "aave", "{written}");
        }
        assert_eq!(a.chain("Binance Smart Chain"), "binance-smart-chain");
        assert_eq!(a.protocol("My Dex"), "my-dex");
    }

    #[test]
    fn slugs_to_is_slug_equality() {
        for key in [
            "arbitrum one",
            "Arbitrum One",
            "arbitrum-one",
            "arbitrum  one",
            " arbitrum one",
            "arbitrum\tone",
            "ΣΑΣ",
            "aave",
            "",
        ] {
            for id in ["arbitrum-one", "arbitrum--one", "σας", "aave", ""] {
                assert_eq!(super::slugs_to(key, id), slug(key) == id, "{key:?} {id}");
            }
        }
    }

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
