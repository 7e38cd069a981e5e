//! Stress scenarios the profile defines, with their assets and failing
//! protocols checked against what is known.
//!
//! Only the scenario's inputs are resolved here; running it is the engine's job.

use super::Resolver;
use crate::error::shorten;
use crate::model::Scenario;
use crate::money::Rate;
use crate::profile::{ProfileSpec, Sp};

/// The names of `stress`'s fixed built-in rows, lower case (the largest
/// protocol's failure and the most-held stablecoin's depeg are named after
/// them: "NAME fails", "NAME depegs to 0.90").
const BUILT_IN: [&str; 4] = ["no shock", "crypto crash -50%", "yields halved", "slashing"];

impl Resolver<'_> {
    /// Stress scenarios the profile defines, resolved against the book.
    /// Unnamed scenarios (already reported while reading) are skipped.
    pub(super) fn scenarios(&mut self, spec: &ProfileSpec) -> Vec<Scenario> {
        let mut out = Vec::new();
        let mut names = std::collections::HashMap::new();
        for sc in &spec.scenarios {
            let Some(name) = sc.name.as_ref() else {
                continue;
            };
            // Two scenarios of one name would be two rows no one can tell
            // apart; blanks around a name are not part of it. The built-in
            // shocks' names are taken too.
            let trimmed = name.value.trim();
            let lower = trimmed.to_lowercase();
            if BUILT_IN.contains(&lower.as_str())
                || lower.ends_with(" fails")
                || lower.ends_with(" depegs to 0.90")
            {
                let what = if BUILT_IN.contains(&lower.as_str()) {
                    "is the name of a built-in shock".to_string()
                } else {
                    "has the form of a built-in shock's name (\"PROTOCOL fails\", \"STABLECOIN depegs to 0.90\" name the largest protocol's failure and the most-held stablecoin's depeg)".to_string()
                };
                self.error(
                    name.span.clone(),
                    format!("scenario name \"{}\" {what}", shorten(trimmed)),
                    "stress shows the built-in shocks under their own names (no shock, crypto crash -50%, yields halved, PROTOCOL fails, STABLECOIN depegs to 0.90, slashing): give this scenario another",
                );
                continue;
            }
            // Names that differ only in case read as one row name.
            if !self.first_naming(
                &mut names,
                &lower,
                &name.value,
                &name.span,
                ("[[scenario]]", "scenario"),
            ) {
                continue;
            }
            let mut prices = Vec::new();
            let mut seen = std::collections::HashMap::new();
            // In file order, so the first spelling named is the first written.
            let mut prices_in_order: Vec<_> = sc.prices.iter().collect();
            prices_in_order.sort_by_key(|(written, _)| written.span.start);
            for (written, change) in prices_in_order {
                let sym = Sp::new(self.asset_id(&written.value), written.span.clone());
                if !self.first_naming(
                    &mut seen,
                    &sym.value,
                    &written.value,
                    &sym.span,
                    ("`prices`", "asset"),
                ) {
                    continue;
                }
                if self.known_asset(&sym, false, "") {
                    prices.push((sym.value.clone(), Rate(*change)));
                }
            }
            let mut fail = Vec::new();
            let mut failing = std::collections::HashMap::new();
            for id in &sc.fail {
                let canonical = self.book.canonical_protocol(&id.value);
                if !self.first_naming(
                    &mut failing,
                    &canonical,
                    &id.value,
                    &id.span,
                    ("`fail`", "protocol"),
                ) {
                    continue;
                }
                match self.protocol_loss(&canonical) {
                    Some(lgd) => fail.push((canonical, lgd)),
                    None => self.unknown_failing_protocol(id),
                }
            }
            out.push(Scenario {
                name: trimmed.to_string(),
                prices,
                crypto: sc.crypto.map(Rate),
                yields: sc.yields.map(Rate),
                fail,
                slash: sc.slash,
            });
        }
        out
    }

    /// Reports a protocol in a scenario's `fail` list that has no tier.
    fn unknown_failing_protocol(&mut self, id: &Sp<String>) {
        let names: Vec<&str> = self.protocols.keys().map(String::as_str).collect();
        let shown = shorten(&id.value);
        let key = super::table_key(&id.value);
        let help = match crate::error::nearest(&id.value, names.iter().copied()) {
            Some(n) => format!("did you mean \"{n}\"? Or name its tier under [protocols.{key}]"),
            None => format!("name its tier under [protocols.{key}] first"),
        };
        self.error(
            id.span.clone(),
            format!("unknown protocol \"{shown}\" in `fail`"),
            help,
        );
    }
}
