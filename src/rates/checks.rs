//! Consistency checks of a complete rate book: ordered bands, the closed
//! families every book must fill (lending and liquidity classes, staking
//! routes, risk tiers), correlations within -1 to 1, protocols whose tier
//! exists, and index templates whose weights add up to 100% and whose
//! components name known assets.
//!
//! Each check reports problems as (what is wrong, how to fix it, which entry),
//! in a fixed order; none changes the book or reads a file.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::book::RateBook;
use super::entries::{Component, IndexTemplate};
use super::{
    DEFAULT_CORRELATION, LENDING_CLASSES, LIQUIDITY_CLASSES, METHODS, REQUIRED_TIERS,
    STABLECOIN_CORRELATION,
};
use crate::model::{Band, Strategy};

/// One problem of a book: what is wrong, how to fix it, and the keys of the
/// entry it is about (`["correlations", "ETH/BTC"]`), to find it in a file;
/// empty when the problem is something missing.
pub type Problem = (String, String, Vec<String>);

/// The keys of an entry, as a [`Problem`] names them.
fn keys(path: &[&str]) -> Vec<String> {
    path.iter().map(|k| (*k).to_string()).collect()
}

/// The help given for an entry that a complete book needs but lacks.
const ADD_IT: &str = "add it, or drop `replace = true`";

impl RateBook {
    /// Consistency problems of a complete book, as (what, how to fix).
    #[must_use]
    pub fn problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        self.check_band_order(&mut out);
        required(&mut out, "lending", &self.lending, &LENDING_CLASSES, "band");
        required(
            &mut out,
            "liquidity",
            &self.liquidity,
            &LIQUIDITY_CLASSES,
            "band",
        );
        self.check_correlations(&mut out);
        required(
            &mut out,
            "staking_methods",
            &self.staking_methods,
            &METHODS,
            "fee",
        );
        self.check_risk_tiers(&mut out);
        self.check_defaults(&mut out);
        self.check_names(&mut out);
        for (id, template) in &self.index {
            check_index(&mut out, id, template, self);
        }
        out
    }

    /// Every band (assets' staking and lending, classes, farming, pools) is ordered
    /// low <= mid <= high.
    fn check_band_order(&self, out: &mut Vec<Problem>) {
        let mut band = |what: String, at: &[&str], b: &Band| {
            if b.low > b.high || b.mid < b.low || b.mid > b.high {
                // Exact figures: rounding could print two unequal ends alike.
                let pct = |r: crate::money::Rate| {
                    format!("{}%", (r.0 * Decimal::ONE_HUNDRED).normalize())
                };
                out.push((
                    format!(
                        "{what}: the band is not ordered low <= mid <= high \
                         (low {}, mid {}, high {})",
                        pct(b.low),
                        pct(b.mid),
                        pct(b.high)
                    ),
                    "fix the figures".to_string(),
                    keys(at),
                ));
            }
        };
        for (symbol, a) in &self.assets {
            if let Some(s) = &a.staking {
                let at = ["assets", symbol.as_str(), "staking_apy"];
                band(format!("assets.{symbol}.staking"), &at, &s.band());
            }
            if let Some(l) = &a.lending {
                let at = ["assets", symbol.as_str(), "lending_apy"];
                band(format!("assets.{symbol}.lending"), &at, &l.band());
            }
        }
        for (table, classes) in [("lending", &self.lending), ("liquidity", &self.liquidity)] {
            for (class, b) in classes {
                band(
                    format!("class {class}"),
                    &[table, class.as_str()],
                    &b.band(),
                );
            }
        }
        if let Some(f) = &self.farming {
            band("farming".into(), &["farming"], &f.band());
        }
        for (id, p) in &self.pools {
            band(format!("pool {id}"), &["pools", id.as_str()], &p.band());
        }
    }

    /// Every correlation lies within -1 to 1 and is keyed by a pair (or is
    /// one of the two named defaults).
    fn check_correlations(&self, out: &mut Vec<Problem>) {
        for (key, c) in &self.correlations {
            if !(c.value.is_finite() && (-1.0..=1.0).contains(&c.value)) {
                out.push((
                    format!("correlation `{key}` is {}, outside -1 to 1", c.value),
                    "fix the figure".into(),
                    keys(&["correlations", key]),
                ));
            }
            let named = key != DEFAULT_CORRELATION && key != STABLECOIN_CORRELATION;
            if let Some((a, b)) = key
                .split_once('/')
                .filter(|(_, b)| named && !b.contains('/'))
            {
                // An asset moves with itself: its correlation is 1, and a
                // figure for it would be used for a pool of two spellings.
                let id = |side: &str| {
                    self.canonical_asset(side)
                        .unwrap_or_else(|| side.trim().to_string())
                };
                let (ia, ib) = (id(a), id(b));
                if ia.eq_ignore_ascii_case(&ib) {
                    let same = if a == b {
                        format!("`{a}` with itself")
                    } else {
                        format!("`{ia}` with itself (`{a}` and `{b}` are the same asset)")
                    };
                    out.push((
                        format!("correlation `{key}` pairs {same}"),
                        "an asset's correlation with itself is always 1: remove this line (a token and a different token with the same underlying, such as ETH/STETH, may have one)".into(),
                        keys(&["correlations", key]),
                    ));
                    continue;
                }
            }
            if named && key.split('/').count() == 2 {
                for side in key.split('/') {
                    if !self.assets.contains_key(side) {
                        out.push((
                            format!("correlation `{key}` names `{side}`, which the rate book does not know"),
                            match self.canonical_asset(side) {
                                Some(id) => format!("the book writes `{side}` as `{id}`: write the pair with `{id}`"),
                                None => format!("add [assets.{side}] to the book, or correct the pair"),
                            },
                            keys(&["correlations", key]),
                        ));
                    }
                }
            }
            if named && key.split('/').count() != 2 {
                out.push((
                    format!("correlation key `{key}` is not a pair"),
                    format!(
                        "write pairs as \"A/B\", or use `{DEFAULT_CORRELATION}` or `{STABLECOIN_CORRELATION}`"
                    ),
                    keys(&["correlations", key]),
                ));
            }
        }
    }

    /// The required tiers exist, and every protocol's tier is defined.
    /// Unlike the other families, a book may define tiers of its own.
    fn check_risk_tiers(&self, out: &mut Vec<Problem>) {
        for t in REQUIRED_TIERS {
            if !self.risk_tiers.contains_key(t) {
                out.push((
                    format!("the rate book has no [risk_tiers.{t}]"),
                    ADD_IT.into(),
                    Vec::new(),
                ));
            }
        }
        for (id, p) in &self.protocols {
            if !self.risk_tiers.contains_key(&p.tier) {
                out.push((
                    format!(
                        "protocol `{id}` has tier `{}`, which the book does not define",
                        p.tier
                    ),
                    format!(
                        "use one of: {}",
                        self.risk_tiers
                            .keys()
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    keys(&["protocols", id, "tier"]),
                ));
            }
        }
    }

    /// The default correlation and the farming defaults are present.
    fn check_defaults(&self, out: &mut Vec<Problem>) {
        if !self.correlations.contains_key(DEFAULT_CORRELATION) {
            out.push((
                "the rate book has no [correlations] default".into(),
                ADD_IT.into(),
                Vec::new(),
            ));
        }
        if self.farming.is_none() {
            out.push((
                "the rate book has no [farming] defaults".into(),
                "add them, or drop `replace = true`".into(),
                Vec::new(),
            ));
        }
    }
}

impl RateBook {
    /// Asset aliases and underlying assets name assets the book has, protocol
    /// aliases and issuers name protocols it has, and no alias hides an
    /// entry of the same name.
    fn check_names(&self, out: &mut Vec<Problem>) {
        // A name holding a character that shows as nothing or as a space is
        // another name than the one it looks like. (Pool ids are the
        // snapshot's, matched exactly, whatever they hold.)
        let sections = [
            ("assets", self.assets.keys().collect::<Vec<_>>()),
            ("protocols", self.protocols.keys().collect()),
            ("risk_tiers", self.risk_tiers.keys().collect()),
            ("index", self.index.keys().collect()),
        ];
        let aliases = [
            ("assets", &self.aliases.assets),
            ("chains", &self.aliases.chains),
            ("protocols", &self.aliases.protocols),
        ];
        let named = sections
            .iter()
            .flat_map(|(section, names)| names.iter().map(move |n| (keys(&[section, n]), *n)))
            .chain(aliases.iter().flat_map(|(kind, table)| {
                table.iter().flat_map(move |(alias, target)| {
                    let at = keys(&["aliases", kind, alias]);
                    [(at.clone(), alias), (at, target)]
                })
            }));
        for (at, name) in named {
            if let Some((c, which)) = crate::printable::first_hidden(name.trim()) {
                out.push((
                    format!(
                        "`{}` holds {which} (U+{:04X}), which looks like nothing or a space but makes it another name",
                        crate::printable::printable(name),
                        u32::from(c)
                    ),
                    "retype the name, or delete that character (names are compared character by character)".into(),
                    at,
                ));
            }
        }
        for (alias, target) in &self.aliases.assets {
            if !self.assets.contains_key(target) {
                out.push((
                    format!("asset alias `{alias}` names `{target}`, which the book does not have"),
                    "add the asset under [assets], or fix the alias".into(),
                    keys(&["aliases", "assets", alias]),
                ));
            }
            if self.assets.contains_key(alias) {
                out.push((
                    format!("`{alias}` is both an asset and an alias of `{target}`"),
                    "keep one of the two".into(),
                    keys(&["aliases", "assets", alias]),
                ));
            }
        }
        // Chains are found through their aliases and in lower case, so an
        // alias names a chain id itself, written as one.
        for (alias, target) in &self.aliases.chains {
            let mut id = self.aliases.chain(target);
            // A chain's id is a slug (`zksync-era`), as every name is found.
            if id == *target {
                id = super::slug(target);
            }
            if id != *target {
                out.push((
                    format!("chain alias `{alias}` names `{target}`, which the book writes `{id}`"),
                    format!("write {alias:?} = \"{id}\""),
                    keys(&["aliases", "chains", alias]),
                ));
            }
        }
        for (alias, target) in &self.aliases.protocols {
            if !self.protocols.contains_key(target) {
                out.push((
                    format!(
                        "protocol alias `{alias}` names `{target}`, which the book does not have"
                    ),
                    "add the protocol under [protocols], or fix the alias".into(),
                    keys(&["aliases", "protocols", alias]),
                ));
            }
        }
        let declared = self.declared_chains();
        // Which assets follow each asset, to report a chain where its middle
        // link is written too (the file may write only that one).
        let mut followers: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (symbol, a) in &self.assets {
            if let Some(u) = a.underlying.as_deref().filter(|u| *u != symbol) {
                followers.entry(u).or_default().push(symbol);
            }
        }
        for (symbol, a) in &self.assets {
            // When `next` follows an asset in turn, this asset's own line
            // already says so (below); say it once.
            let next = a.underlying.as_deref().filter(|n| {
                *n != symbol && self.assets.get(*n).is_none_or(|x| x.underlying.is_none())
            });
            if let (Some(next), Some(by)) = (next, followers.get(symbol.as_str())) {
                out.push((
                    format!(
                        "assets.{symbol}: follows `{next}`, yet {} follow{} `{symbol}` (an underlying must be an asset that follows no other)",
                        by.join(", "),
                        if by.len() == 1 { "s" } else { "" }
                    ),
                    format!(
                        "drop `{symbol}`'s underlying, or make {} follow `{next}` directly",
                        by.join(", ")
                    ),
                    keys(&["assets", symbol, "underlying"]),
                ));
            }
            if let Some(u) = a
                .underlying
                .as_ref()
                .filter(|u| !self.assets.contains_key(*u))
            {
                let help = match self.canonical_asset(u) {
                    Some(id) if id == *symbol => {
                        "that is the asset itself: drop the `underlying` key".to_string()
                    }
                    // An underlying follows no other asset: name the one
                    // `id` follows, when it follows one.
                    Some(id) => match self.assets.get(&id).and_then(|x| x.underlying.clone()) {
                        Some(base) if base != *symbol => format!(
                            "the book writes it `{id}`, which follows `{base}`: write underlying = \"{base}\""
                        ),
                        _ => format!("the book writes it `{id}`: write underlying = \"{id}\""),
                    },
                    None => "add it under [assets], or fix the symbol".into(),
                };
                out.push((
                    format!("assets.{symbol}: underlying `{u}` is not in the book"),
                    help,
                    keys(&["assets", symbol, "underlying"]),
                ));
            }
            // An underlying is followed one step (`underlying`), so it must
            // follow no asset itself: a chain or a cycle would leave the
            // price an asset follows undecided.
            if let Some((u, next)) = a.underlying.as_ref().and_then(|u| {
                let next = self.assets.get(u)?.underlying.as_ref()?;
                Some((u, next))
            }) {
                let what = if u == symbol {
                    format!("assets.{symbol}: underlying is the asset itself")
                } else {
                    format!(
                        "assets.{symbol}: underlying `{u}` follows `{next}` in turn \
                         (an underlying must be an asset that follows no other)"
                    )
                };
                out.push((
                    what,
                    if u == symbol {
                        "drop the `underlying` key".to_string()
                    } else if next == symbol {
                        format!(
                            "two assets cannot follow each other: drop `{u}`'s or this underlying"
                        )
                    } else {
                        format!("write underlying = \"{next}\", or drop `{u}`'s own underlying")
                    },
                    keys(&["assets", symbol, "underlying"]),
                ));
            }
            if let Some(c) = &a.chain {
                let id = self.aliases.chain(c);
                if id != *c {
                    out.push((
                        format!(
                            "assets.{symbol}: chain `{c}` is the chain `{id}` written another way"
                        ),
                        format!("write chain = \"{id}\": positions on it are counted as `{id}`"),
                        keys(&["assets", symbol, "chain"]),
                    ));
                } else if !declared.contains(c) {
                    out.push(undeclared_chain(symbol, c, &declared));
                }
            }
            if let Some(p) = a
                .protocol
                .as_ref()
                .filter(|p| !self.protocols.contains_key(*p))
            {
                let id = self.canonical_protocol(p);
                out.push((
                    format!("assets.{symbol}: protocol `{p}` is not in the book"),
                    if self.protocols.contains_key(&id) {
                        format!("the book writes it `{id}`: write protocol = \"{id}\"")
                    } else {
                        "add it under [protocols], or fix the name".into()
                    },
                    keys(&["assets", symbol, "protocol"]),
                ));
            }
        }
    }
}

impl RateBook {
    /// The chains the book declares, by id: what its chain aliases name
    /// (`sonic = "sonic"` declares a chain of one's own) and the chains its
    /// pools (a snapshot's) are on. An asset's `chain` must be one of them,
    /// so a misspelt chain is not silently a new one.
    fn declared_chains(&self) -> std::collections::BTreeSet<String> {
        self.aliases
            .chains
            .values()
            .map(String::as_str)
            .chain(self.pools.values().map(|p| p.chain.as_str()))
            .filter(|c| !c.trim().is_empty())
            .map(|c| self.canonical_chain(c))
            .collect()
    }
}

/// The problem of asset `symbol` whose `chain` the book does not declare,
/// with the nearest chain it does.
fn undeclared_chain(
    symbol: &str,
    chain: &str,
    declared: &std::collections::BTreeSet<String>,
) -> Problem {
    let near = crate::error::nearest(chain, declared.iter().map(String::as_str))
        .map_or_else(String::new, |n| format!("did you mean `{n}`? "));
    (
        format!("assets.{symbol}: chain `{chain}` is not a chain the book knows"),
        format!(
            "{near}Write a chain the book knows (`yieldplan rates --format toml` lists them under [aliases.chains]), or declare a chain of its own under [aliases.chains] (\"{chain}\" = \"{chain}\")"
        ),
        keys(&["assets", symbol, "chain"]),
    )
}

/// An index's weights add up to 100%, and each component is complete.
fn check_index(out: &mut Vec<Problem>, id: &str, template: &IndexTemplate, book: &RateBook) {
    let total: Decimal = template.components.iter().map(|c| c.weight.0).sum();
    if total != Decimal::ONE {
        out.push((
            format!(
                "index `{id}`: component weights add up to {}%, not 100%",
                total * Decimal::ONE_HUNDRED
            ),
            "adjust the component weights".into(),
            keys(&["index", id]),
        ));
    }
    for (n, c) in template.components.iter().enumerate() {
        check_component(out, id, n, c, book);
    }
}

/// A component (number `n` of the list, from 0) is not itself an index, has
/// the asset or pair its strategy needs (a pair of two different assets), and
/// names only assets, protocols and chains the book knows, as it writes them.
fn check_component(out: &mut Vec<Problem>, id: &str, n: usize, c: &Component, book: &RateBook) {
    let assets = &book.assets;
    let lacks = match c.strategy {
        Strategy::Index => {
            out.push((
                format!("index `{id}` nests another index"),
                "list plain components only".into(),
                keys(&["index", id]),
            ));
            return;
        }
        Strategy::Staking | Strategy::Lending => c.asset.is_none(),
        Strategy::Liquidity => c.pair.is_none(),
        Strategy::Farming | Strategy::Hold => false,
    };
    if lacks {
        let needed = if c.strategy == Strategy::Liquidity {
            "a `pair`"
        } else {
            "an `asset`"
        };
        out.push((
            format!("index `{id}`: a {} component needs {needed}", c.strategy),
            "add it".into(),
            keys(&["index", id]),
        ));
    }
    let component = n.to_string();
    let named = c.asset.iter().map(|a| (vec!["asset".to_string()], a));
    let paired = c
        .pair
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, a)| (vec!["pair".to_string(), i.to_string()], a));
    for (key, sym) in named.chain(paired) {
        if !assets.contains_key(sym) {
            let mut at = keys(&["index", id, "components", &component]);
            at.extend(key);
            // The book's own spelling, when `sym` is one in another case or
            // an alias (an index names the book's symbols themselves).
            let spelt = book.canonical_asset(sym);
            out.push((
                format!(
                    "index `{id}`: component {} names unknown asset `{sym}`",
                    n + 1
                ),
                match spelt {
                    Some(k) => format!("the book writes it `{k}`: write that"),
                    None => "add it under [assets] or fix the symbol".into(),
                },
                at,
            ));
        }
    }
    let place = |key: &str| {
        let mut at = keys(&["index", id, "components", &component]);
        at.push(key.to_string());
        at
    };
    if let Some([a, b]) = &c.pair {
        let same = |x: &str| book.canonical_asset(x).unwrap_or_else(|| x.to_string());
        if same(a).eq_ignore_ascii_case(&same(b)) {
            out.push((
                format!(
                    "index `{id}`: component {} pairs `{}` with itself",
                    n + 1,
                    same(a)
                ),
                "a pool pairs two different assets: fix the pair".into(),
                place("pair"),
            ));
        }
    }
    if let Some(p) = c
        .protocol
        .as_ref()
        .filter(|p| !book.protocols.contains_key(*p))
    {
        let id_of = book.canonical_protocol(p);
        out.push((
            format!(
                "index `{id}`: component {} names protocol `{p}`, which the book does not have",
                n + 1
            ),
            if book.protocols.contains_key(&id_of) {
                format!("the book writes it `{id_of}`: write protocol = \"{id_of}\"")
            } else {
                match crate::error::nearest(p, book.protocols.keys().map(String::as_str)) {
                    Some(near) => format!("did you mean `{near}`? Or add it under [protocols]"),
                    None => "add it under [protocols], or fix the name".into(),
                }
            },
            place("protocol"),
        ));
    }
    if let Some(ch) = &c.chain {
        let id_of = book.canonical_chain(ch);
        let chains = book.chains();
        if chains.contains(&id_of) && id_of != *ch {
            out.push((
                format!(
                    "index `{id}`: component {} writes chain `{ch}`, the chain `{id_of}` written another way",
                    n + 1
                ),
                format!("write chain = \"{id_of}\": the book writes chains as their ids"),
                place("chain"),
            ));
        } else if !chains.contains(&id_of) {
            let near = crate::error::nearest(&id_of, chains.iter().map(String::as_str))
                .map_or_else(String::new, |n| format!("did you mean `{n}`? "));
            out.push((
                format!(
                    "index `{id}`: component {} is on chain `{ch}`, which the book does not know",
                    n + 1
                ),
                format!(
                    "{near}Name a chain the book knows, or add this one under [aliases.chains] (\"{id_of}\" = \"{id_of}\")"
                ),
                place("chain"),
            ));
        }
    }
}

/// Reports entries of the `[table.NAME]` family that a complete book needs
/// but lacks, and names the table does not know.
fn required<V>(
    out: &mut Vec<Problem>,
    table: &str,
    entries: &BTreeMap<String, V>,
    names: &[&str],
    what: &str,
) {
    for name in names.iter().filter(|n| !entries.contains_key(**n)) {
        out.push((
            format!("the rate book has no [{table}.{name}] {what}"),
            ADD_IT.into(),
            Vec::new(),
        ));
    }
    for name in entries.keys().filter(|k| !names.contains(&k.as_str())) {
        out.push((
            format!("unknown entry `{name}` in [{table}]"),
            format!("use one of: {}", names.join(", ")),
            keys(&[table, name]),
        ));
    }
}
