//! One name per asset, chain and protocol inside a profile: every position
//! and layer has its symbols, chain and protocol turned into the rate book's
//! ids (through the book's alias tables) before anything else reads them, so
//! risk tiers, the diversification view, the concentration lints and stress
//! all group by one id.
//!
//! It only renames; an asset that matches nothing is left as written for the
//! known-asset check to judge.

use super::Resolver;
use crate::profile::{PositionSpec, Sp};

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
            s.as_ref()
                .map(|c| Sp::new(self.book.canonical_chain(&c.value), c.span.clone()))
        };
        let protocol = |s: &Option<Sp<String>>| {
            s.as_ref()
                .map(|c| Sp::new(self.book.canonical_protocol(&c.value), c.span.clone()))
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
}
