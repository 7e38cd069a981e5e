//! One name per asset, chain and protocol inside a profile: every position
//! and layer has its symbols, chain and protocol turned into the rate book's
//! ids (through the book's alias tables) before anything else reads them, so
//! risk tiers, the diversification view, the concentration lints and stress
//! all group by one id.
//!
//! It renames, and once the positions are complete it says which protocols
//! and chains are still unknown (the `unknown-protocol` and `unknown-chain`
//! lints): a typo would otherwise be planned as a protocol or chain of its
//! own. An asset that matches nothing is left as written for the
//! known-asset check to judge.

use std::collections::HashMap;

use super::{Resolver, table_key};
use crate::error::{nearest, shorten, some_of};
use crate::model::{Lint, Note, Position};
use crate::profile::{PositionSpec, Sp};

/// The book's ids of the chain and protocol spellings a profile has used,
/// each looked up once.
#[derive(Default)]
pub(super) struct Ids {
    chains: HashMap<String, String>,
    protocols: HashMap<String, String>,
}

/// The id `memo` holds for `name`, else `id(name)`, kept in `memo`.
fn remembered(
    memo: &mut HashMap<String, String>,
    name: &str,
    id: impl FnOnce(&str) -> String,
) -> String {
    if let Some(known) = memo.get(name) {
        return known.clone();
    }
    let found = id(name);
    memo.insert(name.to_string(), found.clone());
    found
}

/// Names of one kind (protocols or chains) that nothing declares, each with
/// the positions naming it, in the order first named.
#[derive(Default)]
struct Unknown(Vec<(String, Vec<String>)>);

impl Unknown {
    /// Records that position `by` names `id`.
    fn add(&mut self, id: &str, by: &str) {
        match self.0.iter_mut().find(|(known, _)| known == id) {
            Some((_, names)) => {
                if !names.iter().any(|n| n == by) {
                    names.push(by.to_string());
                }
            }
            None => self.0.push((id.to_string(), vec![by.to_string()])),
        }
    }
}

/// "(position `a`)" or "(positions `a`, `b` and 3 more)".
fn named_by(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{}`", shorten(n))).collect();
    let list = some_of(quoted.iter().map(String::as_str), 3);
    if names.len() == 1 {
        format!("(position {list})")
    } else {
        format!("(positions {list})")
    }
}

/// What to do about an unknown name `id`: retype it when it holds a letter
/// of another alphabet that looks like a Latin one, else take the nearest
/// known name (`near`), or declare it as `declare` says.
fn what_to_do(id: &str, near: Option<&str>, declare: &str) -> String {
    match (crate::printable::first_lookalike(id), near) {
        (Some((c, latin, alphabet)), Some(near)) => format!(
            "`{}` holds `{c}` (U+{:04X}), a {alphabet} letter that looks like the Latin `{latin}`: did you mean `{near}`? Retype it",
            shorten(id),
            u32::from(c)
        ),
        (_, Some(near)) => format!("Did you mean `{near}`? If not, {declare}"),
        (_, None) => {
            let mut first = declare.chars();
            first.next().map_or_else(String::new, |c| {
                c.to_uppercase().chain(first).collect::<String>()
            })
        }
    }
}

impl Resolver<'_> {
    /// The symbol an asset is known by: itself when known, else its alias in
    /// the book, else the one known symbol equal to it in any case; as
    /// written when none matches.
    pub(super) fn asset_id(&self, symbol: &str) -> String {
        // Blanks around a symbol are not part of it.
        let symbol = symbol.trim();
        if self.assets.contains_key(symbol) {
            return symbol.to_string();
        }
        if let Some(target) = self.book.aliases.asset(symbol) {
            if self.assets.contains_key(&target) {
                return target;
            }
        }
        match self
            .by_lowercase
            .get(&symbol.to_lowercase())
            .map(Vec::as_slice)
        {
            Some([only]) => only.clone(),
            _ => symbol.to_string(),
        }
    }

    /// A position spec with its assets, pair, chain and protocol (and its
    /// layers') written as the book's ids; places are kept.
    pub(super) fn canonical_spec(&self, p: &PositionSpec) -> PositionSpec {
        let mut out = p.clone();
        let asset = |s: &Option<Sp<String>>| {
            s.as_ref()
                .map(|a| Sp::new(self.asset_id(&a.value), a.span.clone()))
        };
        let chain = |s: &Option<Sp<String>>| {
            s.as_ref().map(|c| {
                let id = remembered(&mut self.ids.borrow_mut().chains, &c.value, |n| {
                    self.book.canonical_chain(n)
                });
                Sp::new(id, c.span.clone())
            })
        };
        let protocol = |s: &Option<Sp<String>>| {
            s.as_ref().map(|c| {
                let id = remembered(&mut self.ids.borrow_mut().protocols, &c.value, |n| {
                    self.book.canonical_protocol(n)
                });
                Sp::new(id, c.span.clone())
            })
        };
        out.asset = asset(&p.asset);
        out.chain = chain(&p.chain);
        out.protocol = protocol(&p.protocol);
        if let Some(pair) = &mut out.pair {
            pair.value = pair.value.clone().map(|s| self.asset_id(&s));
        }
        for l in &mut out.stack {
            l.asset = asset(&l.asset);
            l.chain = chain(&l.chain);
            l.protocol = protocol(&l.protocol);
        }
        out
    }

    /// Fires `unknown-protocol` for each protocol the positions (and their
    /// layers) name that neither the book nor the profile's `[protocols]`
    /// gives a tier, and `unknown-chain` for each chain the book does not
    /// know ([`RateBook::chains`](crate::rates::RateBook::chains)); once per
    /// name, naming the positions and the nearest known name.
    pub(super) fn unknown_names(&mut self, positions: &[Position]) {
        let known_chains = self.book.chains();
        let (mut protocols, mut chains) = (Unknown::default(), Unknown::default());
        for p in positions {
            let layers = p
                .stack
                .iter()
                .map(|l| (l.protocol.as_deref(), l.chain.as_deref()));
            for (protocol, chain) in
                std::iter::once((p.protocol.as_deref(), p.chain.as_deref())).chain(layers)
            {
                if let Some(id) = protocol.filter(|id| !self.protocols.contains_key(*id)) {
                    protocols.add(id, &p.name);
                }
                if let Some(id) = chain.filter(|id| !known_chains.contains(*id)) {
                    chains.add(id, &p.name);
                }
            }
        }
        for (id, names) in protocols.0 {
            let near = nearest(&id, self.protocols.keys().map(String::as_str));
            let shown = shorten(&id);
            self.notes.push(Note {
                lint: Lint::UnknownProtocol,
                position: (names.len() == 1).then(|| names[0].clone()),
                message: format!(
                    "protocol `{shown}` {} is neither in the rate book nor under [protocols] in the profile, so it is planned as a protocol of its own at the `unknown` risk tier (unless a position gives `risk_tier`) and counted apart from every other. {}",
                    named_by(&names),
                    what_to_do(
                        &id,
                        near,
                        &format!(
                            "give it a tier: [protocols.{}] tier = \"emerging\" (in the profile or a rate book)",
                            table_key(&id)
                        )
                    )
                ),
            });
        }
        for (id, names) in chains.0 {
            let near = nearest(&id, known_chains.iter().map(String::as_str));
            let shown = shorten(&id);
            self.notes.push(Note {
                lint: Lint::UnknownChain,
                position: (names.len() == 1).then(|| names[0].clone()),
                message: format!(
                    "chain `{shown}` {} is not a chain the rate book knows, so positions on it are counted apart from every other chain. {}",
                    named_by(&names),
                    what_to_do(
                        &id,
                        near,
                        &format!(
                            "declare it in a rate book (--rates) as a chain of its own: [aliases.chains] {id:?} = {id:?}"
                        )
                    )
                ),
            });
        }
    }
}
