//! Protocol risk and staking fees: the risk tiers, the protocols' tiers and the
//! staking methods' provider fees (book then profile), and the risk a position
//! or layer runs.
//!
//! Tiers only carry the book's or profile's figures; no loss is computed here.

use rust_decimal::Decimal;

use super::{Resolver, did_you_mean};
use crate::error::shorten;
use crate::model::{Method, Risk, Strategy};
use crate::money::Rate;
use crate::profile::{ProfileSpec, Sp};

/// No protocol risk (a placeholder until the position is finished).
pub(super) fn none_risk() -> Risk {
    Risk {
        tier: "none".into(),
        loss_probability: Rate::ZERO,
        loss_given_event: Rate::ZERO,
        note: None,
    }
}

impl Resolver<'_> {
    /// Book tiers, protocols and fees, with the profile's overrides on top.
    pub(super) fn risk_settings(&mut self, spec: &ProfileSpec) {
        self.risk_tiers(spec);
        for (id, p) in &self.book.protocols {
            self.protocols.insert(id.clone(), p.tier.clone());
        }
        let mut seen = std::collections::HashMap::new();
        // In file order, so the first spelling named is the first written.
        let mut written_in_order: Vec<_> = spec.protocols.iter().collect();
        written_in_order.sort_by_key(|(written, _)| written.span.start);
        for (written, tier) in written_in_order {
            let id = self.book.canonical_protocol(&written.value);
            if !self.first_naming(
                &mut seen,
                &id,
                &written.value,
                &written.span,
                ("[protocols]", "protocol"),
            ) {
                continue;
            }
            if self.tiers.contains_key(&tier.value) {
                self.protocols.insert(id, tier.value.clone());
            } else {
                self.unknown_tier(tier);
            }
        }
        self.staking_fees(spec);
    }

    /// Book risk tiers; the profile may change one figure of a known tier or
    /// add a tier with both figures.
    fn risk_tiers(&mut self, spec: &ProfileSpec) {
        for (name, t) in &self.book.risk_tiers {
            self.tiers.insert(
                name.clone(),
                (t.loss_probability.rate(), t.loss_given_event.rate()),
            );
        }
        for (name, t) in &spec.risk_tiers {
            let known = self.tiers.get(&name.value).copied();
            match (known, t.loss_probability, t.loss_given_event) {
                (_, Some(p), Some(l)) => {
                    self.tiers.insert(name.value.clone(), (Rate(p), Rate(l)));
                }
                (Some((p0, l0)), p, l) => {
                    self.tiers.insert(name.value.clone(), (p.map_or(p0, Rate), l.map_or(l0, Rate)));
                }
                (None, _, _) => self.error(
                    name.span.clone(),
                    format!("new risk tier `{}` needs both `loss_probability` and `loss_given_event`", shorten(&name.value)),
                    "give both, or name an existing tier (blue-chip, established, emerging, unknown) to change one figure",
                ),
            }
        }
    }

    /// Book provider fees per staking method, with the profile's on top.
    fn staking_fees(&mut self, spec: &ProfileSpec) {
        for (m, f) in &self.book.staking_methods {
            self.fees.insert(m.clone(), f.fee.rate());
        }
        for (m, fee) in &spec.staking_methods {
            if Method::parse(&m.value).is_some() {
                self.fees.insert(m.value.clone(), Rate(*fee));
            } else {
                self.error(
                    m.span.clone(),
                    format!(
                        "unknown staking method `{}` in [staking_methods]",
                        shorten(&m.value)
                    ),
                    format!("use one of: {}", Method::NAMES.join(", ")),
                );
            }
        }
    }

    /// Reports a tier name that is neither in the book nor the profile.
    fn unknown_tier(&mut self, tier: &Sp<String>) {
        let names: Vec<&str> = self.tiers.keys().map(String::as_str).collect();
        let help = did_you_mean(&tier.value, &names, "use one of");
        self.error(
            tier.span.clone(),
            format!("unknown risk tier \"{}\"", shorten(&tier.value)),
            help,
        );
    }

    /// The provider fee of a staking route, as a fraction of rewards: the
    /// position's own, else the method's (delegated when the profile names none).
    pub(super) fn fee_of(&self, method: Option<Method>, own: Option<Decimal>) -> Rate {
        if let Some(f) = own {
            return Rate(f);
        }
        let name = method.unwrap_or(Method::Delegated).name();
        self.fees.get(name).copied().unwrap_or(Rate::ZERO)
    }

    /// The risk of a tier, with a note on why it was chosen.
    fn tier_risk(&self, tier: &str, note: Option<String>) -> Risk {
        let (p, l) = self
            .tiers
            .get(tier)
            .copied()
            .unwrap_or((Rate::ZERO, Rate::ZERO));
        Risk {
            tier: tier.to_string(),
            loss_probability: p,
            loss_given_event: l,
            note,
        }
    }

    /// The risk of money in `protocol` under `strategy`: the position's own
    /// tier if it names a known one, else the protocol's, else a default.
    pub(super) fn risk_of(
        &mut self,
        strategy: Strategy,
        protocol: Option<&str>,
        method: Option<Method>,
        own: Option<&Sp<String>>,
    ) -> Risk {
        if let Some(t) = own {
            if self.tiers.contains_key(&t.value) {
                return self.tier_risk(&t.value, Some("profile: risk_tier".into()));
            }
            self.unknown_tier(t);
        }
        match (strategy, protocol) {
            (Strategy::Hold, None) => self.tier_risk("none", None),
            (_, Some(id)) => match self.protocols.get(id) {
                Some(tier) => self.tier_risk(tier, None),
                None => {
                    let nearest =
                        crate::error::nearest(id, self.protocols.keys().map(String::as_str))
                            .map_or_else(String::new, |n| format!(" (did you mean `{n}`?)"));
                    self.tier_risk(
                        "unknown",
                        Some(format!("protocol `{id}` is not in the rate book{nearest}")),
                    )
                }
            },
            (Strategy::Staking, None) if method != Some(Method::Liquid) => {
                self.tier_risk("native", None)
            }
            (_, None) => self.tier_risk("unknown", Some("no protocol named".into())),
        }
    }

    /// The loss given an event of a protocol's tier (a fraction of the money
    /// in it), or `None` for a protocol neither the book nor the profile names.
    pub(super) fn protocol_loss(&self, id: &str) -> Option<Rate> {
        let tier = self.protocols.get(id)?;
        Some(self.tiers.get(tier).map_or(Rate::ZERO, |t| t.1))
    }
}
