//! Drafting positions: each position spec becomes a position with its yield,
//! pool, risk and layers filled in (one drafting step per strategy), and a
//! name that is unique in the portfolio.
//!
//! A draft has no amount yet: splitting the portfolio's value is the
//! allocation's job, and nothing here projects income.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::risk::none_risk;
use super::{Resolver, band_of, share};
use crate::error::{Diagnostic, shorten};
use crate::model::{Band, Liquidity, Position, Strategy};
use crate::money::{Money, Rate};
use crate::profile::{AllocationSpec, PositionSpec, ProfileSpec, Sp, Span};

/// A position before it has an amount.
pub(super) struct Draft {
    /// The position, complete but for its amount (and name, until named).
    pub(super) position: Position,
    /// Its share of the portfolio: an amount, a weight or the rest.
    pub(super) allocation: Sp<AllocationSpec>,
    /// Components of an index position, before they have amounts.
    pub(super) components: Vec<Position>,
    /// The components' weights in the index (fractions of it).
    pub(super) component_weights: Vec<Decimal>,
    /// The name the profile gives it.
    pub(super) explicit_name: Option<String>,
    /// The name it gets when the profile gives none (made unique later).
    pub(super) default_name: String,
}

/// The name a position gets when the profile gives none.
#[must_use]
pub fn default_name(strategy: Strategy, asset: Option<&str>, pair: Option<&[String; 2]>) -> String {
    match (strategy, asset, pair) {
        (Strategy::Liquidity, _, Some([a, b])) => format!("{a}/{b} liquidity"),
        (s, Some(a), _) => format!("{a} {s}"),
        (s, None, _) => s.name().to_string(),
    }
}

/// A position of `strategy` with nothing filled in yet: no name, assets,
/// amount, yield or risk.
pub(super) fn blank_position(strategy: Strategy) -> Position {
    Position {
        name: String::new(),
        strategy,
        asset: None,
        pair: None,
        protocol: None,
        chain: None,
        method: None,
        index: None,
        amount: Money::ZERO,
        apy: Band::default(),
        reward_share: Rate::ZERO,
        apy_source: String::new(),
        liquidity: None,
        staking: None,
        risk: none_risk(),
        stack: Vec::new(),
        exposure: Vec::new(),
        defi: false,
        pool: None,
    }
}

impl Draft {
    /// The draft of a position spec, with what the spec says as written.
    fn new(p: &PositionSpec, strategy: Strategy, allocation: Sp<AllocationSpec>) -> Draft {
        let position = Position {
            asset: p.asset.as_ref().map(|a| a.value.clone()),
            pair: p.pair.as_ref().map(|a| a.value.clone()),
            protocol: p.protocol.as_ref().map(|a| a.value.clone()),
            chain: p.chain.as_ref().map(|a| a.value.clone()),
            method: p.method.as_ref().map(|m| m.value),
            apy_source: "profile".into(),
            ..blank_position(strategy)
        };
        Draft {
            position,
            allocation,
            components: Vec::new(),
            component_weights: Vec::new(),
            // Blanks around a name are not part of it ("A " is "A").
            explicit_name: p.name.as_ref().map(|n| n.value.trim().to_string()),
            default_name: default_name(
                strategy,
                p.asset.as_ref().map(|a| a.value.as_str()),
                p.pair.as_ref().map(|x| &x.value),
            ),
        }
    }
}

impl Resolver<'_> {
    /// The drafts of every position that resolves, each with a unique name.
    pub(super) fn drafts(&mut self, spec: &ProfileSpec) -> Vec<Draft> {
        let mut drafts: Vec<Draft> = spec
            .positions
            .iter()
            .filter_map(|p| self.draft(p))
            .collect();
        self.unique_names(&mut drafts, spec);
        drafts
    }

    /// The draft of one position, with its pool's figures filled in first
    /// when it names a snapshot pool.
    fn draft(&mut self, p: &PositionSpec) -> Option<Draft> {
        let filled = match &p.pool_id {
            Some(id) => std::borrow::Cow::Owned(self.fill_from_pool(p, id)?),
            None => std::borrow::Cow::Borrowed(p),
        };
        let canonical = self.canonical_spec(&filled);
        if !self.pair_of_two(&filled, &canonical) {
            return None;
        }
        let p = &canonical;
        let mut draft = self.draft_spec(p)?;
        if let Some(id) = &p.pool_id {
            if let Some(e) = self.book.pools.get(&id.value) {
                let source = format!(
                    "pool {} ({} {} on {}): {}",
                    id.value, e.project, e.symbol, e.chain, e.source
                );
                draft.position.apy_source = source;
                draft.position.pool = Some(crate::model::PoolSource {
                    id: id.value.clone(),
                    tvl_usd: e
                        .tvl_usd
                        .and_then(crate::money::decimal_from_f64)
                        .map(Money),
                });
            }
        }
        Some(draft)
    }

    /// False (and reported at the pair) when a pair names one asset twice
    /// under two spellings (`ETH` and `WETH` or `eth`, `STETH` and `WSTETH`):
    /// `written` is the spec as written, `canonical` with the book's ids. A
    /// token and another token that follows it (ETH and STETH) are two
    /// assets, and may be paired.
    fn pair_of_two(&mut self, written: &PositionSpec, canonical: &PositionSpec) -> bool {
        let (Some(w), Some(c)) = (&written.pair, &canonical.pair) else {
            return true;
        };
        let [a, b] = &c.value;
        // Tokens the book lacks are one token in any case, as known ones are.
        if !a.eq_ignore_ascii_case(b) {
            return true;
        }
        let [wa, wb] = &w.value;
        let what = if wa.trim() == wb.trim() {
            String::new()
        } else {
            format!(
                ": `{}` and `{}` are the same asset",
                shorten(wa),
                shorten(wb)
            )
        };
        self.error(
            c.span.clone(),
            format!(
                "`pair` of position {} names `{}` twice{what}",
                written.number,
                shorten(a)
            ),
            "a pool pairs two different assets; a token and another token that follows the same asset (ETH and STETH) are two",
        );
        false
    }

    /// The draft of a position spec: its fields checked, then its yield
    /// filled in by strategy, then its layers, risk and exposure.
    fn draft_spec(&mut self, p: &PositionSpec) -> Option<Draft> {
        let strategy = p.strategy.as_ref()?.value;
        let before = self.diags.len();
        // Checked before the allocation is needed, so a position whose weight
        // could not be read still has its other problems reported.
        let fit = self.fields_fit(p, strategy);
        let known = self.named_assets_known(p);
        let allocation = p.allocation.clone()?;
        if !(fit && known) || self.diags.len() > before {
            return None;
        }
        let mut draft = Draft::new(p, strategy, allocation);
        let given = p.apy.as_ref().map(|b| band_of(b.value));
        let reward = p.reward_apy.as_ref().map(|b| band_of(b.value));
        let pos = &mut draft.position;
        match strategy {
            Strategy::Staking | Strategy::Lending => {
                self.draft_rate_yield(pos, p, strategy, given, reward)?;
            }
            Strategy::Liquidity => self.draft_liquidity(pos, p, reward)?,
            Strategy::Farming => self.draft_farming(pos, p, given, reward)?,
            Strategy::Hold => self.draft_hold(pos, p, given)?,
            Strategy::Index => {
                self.expand_index(&mut draft, p)?;
                return Some(draft);
            }
        }
        let layers = self.layers(p)?;
        self.finish(&mut draft.position, Some(p), Some(layers));
        Some(draft)
    }

    /// The yield of a staking or lending position: its `apy`, else the rate
    /// book's band for its asset (after the provider's fee, for staking).
    fn draft_rate_yield(
        &mut self,
        pos: &mut Position,
        p: &PositionSpec,
        strategy: Strategy,
        given: Option<Band>,
        reward: Option<Band>,
    ) -> Option<()> {
        let asset = self
            .require(p.asset.as_ref(), "asset", p, strategy, "asset = \"ETH\"")?
            .clone();
        if let (Some(fee), Some(_)) = (&p.provider_fee, &given) {
            // The fee comes off the book's yield; an `apy` is already what
            // the position receives, so the fee would be shown but not used.
            self.error(
                fee.span.clone(),
                "`provider_fee` has no effect beside `apy`: an `apy` is the yield received, the fee already out",
                "leave `provider_fee` out, or leave `apy` out to plan on the rate book's yield less this fee",
            );
            return None;
        }
        if strategy == Strategy::Staking && given.is_none() && !self.not_already_staked(&asset) {
            return None;
        }
        let (band, source) = match given {
            Some(b) => (b, "profile".to_string()),
            None => self.book_yield(
                strategy,
                &asset,
                p.method.as_ref().map(|m| m.value),
                p.provider_fee.as_ref().map(|f| f.value),
            )?,
        };
        self.set_yield(pos, band, source, reward, p)
    }

    /// The yield and pool of a liquidity position: its `fee_apr` (else the
    /// book's band for the pair) plus any `reward_apy`, the pool kind and the
    /// volatility of the pair's price ratio.
    fn draft_liquidity(
        &mut self,
        pos: &mut Position,
        p: &PositionSpec,
        reward: Option<Band>,
    ) -> Option<()> {
        let pair = self
            .require(
                p.pair.as_ref(),
                "pair",
                p,
                Strategy::Liquidity,
                "pair = [\"ETH\", \"USDC\"]",
            )?
            .clone();
        let (fee, source) = match &p.fee_apr {
            Some(b) => (band_of(b.value), "profile".to_string()),
            None => self.pair_band(&pair.value),
        };
        let total = fee + reward.unwrap_or_default();
        pos.apy = total;
        pos.apy_source = source;
        pos.reward_share = reward.map_or(Rate::ZERO, |r| share(r.mid, total.mid));
        let pool = self.pool_of(p, &pair.value);
        let (sigma, volatility_source) = self.pair_volatility(&pair, p)?;
        pos.liquidity = Some(Liquidity {
            pool,
            ratio_volatility: sigma,
            volatility_source,
            fee_apr: fee,
            reward_apy: reward.unwrap_or_default(),
        });
        Some(())
    }

    /// The yield of a farming position: its `apy`, else the rate book's
    /// farming band, whose reward share applies when the profile gives none.
    fn draft_farming(
        &mut self,
        pos: &mut Position,
        p: &PositionSpec,
        given: Option<Band>,
        reward: Option<Band>,
    ) -> Option<()> {
        let farming = self.book.farming.as_ref()?;
        let (band, source) = match given {
            Some(b) => (b, "profile".to_string()),
            None => (farming.band(), format!("rate book: {}", farming.source)),
        };
        self.set_yield(pos, band, source, reward, p)?;
        if reward.is_none() {
            pos.reward_share = farming.reward_share.rate();
        }
        Some(())
    }

    /// False (and reported) when a staking position takes the rate book's band
    /// for a token that is already staked (a liquid-staking token such as
    /// stETH): staking it again would take a provider fee twice and hide its
    /// issuer's risk. A position that gives its own yield (or a pool's) is
    /// left alone.
    fn not_already_staked(&mut self, asset: &Sp<String>) -> bool {
        let Some(base) = self
            .assets
            .get(&asset.value)
            .filter(|v| v.staking.is_some())
            .and_then(|v| v.underlying.clone())
        else {
            return true;
        };
        self.error(
            asset.span.clone(),
            format!(
                "`{}` is already staked {base}: a staking position on it would take a provider fee twice",
                asset.value
            ),
            format!(
                "hold it (strategy = \"hold\") to earn its staking yield and carry its issuer's risk, or stake {base} with method = \"liquid\""
            ),
        );
        false
    }

    /// The yield of a plain holding: its `apy`, else nothing, except for a
    /// token that carries a staking yield (a liquid-staking token), which
    /// earns the book's band for it and carries its issuer's risk.
    fn draft_hold(
        &mut self,
        pos: &mut Position,
        p: &PositionSpec,
        given: Option<Band>,
    ) -> Option<()> {
        let view = pos.asset.as_ref().and_then(|a| self.assets.get(a)).cloned();
        let issued = view.as_ref().filter(|v| v.underlying.is_some());
        if pos.protocol.is_none() {
            pos.protocol = issued.and_then(|v| v.protocol.clone());
        }
        let (band, source) = match (given, issued.and_then(|v| v.staking.clone())) {
            (Some(b), _) => (b, "profile".to_string()),
            (None, Some((b, src))) => (b, format!("{src} (the held token's staking yield)")),
            (None, None) => (Band::default(), "profile".to_string()),
        };
        self.set_yield(pos, band, source, None, p)
    }

    /// Rejects duplicate explicit names and gives unnamed positions a unique default.
    fn unique_names(&mut self, drafts: &mut [Draft], spec: &ProfileSpec) {
        let mut taken = self.explicit_names(spec);
        let mut seen: HashMap<String, usize> = HashMap::new();
        for draft in drafts.iter_mut() {
            if let Some(n) = &draft.explicit_name {
                draft.position.name = n.clone();
                continue;
            }
            let base = draft.default_name.clone();
            let count = seen.entry(base.clone()).or_insert(0);
            *count += 1;
            let mut candidate = if *count == 1 {
                base.clone()
            } else {
                format!("{base} {count}")
            };
            while taken.contains_key(&candidate) {
                *count += 1;
                candidate = format!("{base} {count}");
            }
            taken.insert(candidate.clone(), 0..0);
            draft.position.name = candidate;
        }
    }

    /// The names the profile gives, with where each is first used; reports
    /// empty and duplicate names.
    fn explicit_names(&mut self, spec: &ProfileSpec) -> HashMap<String, Span> {
        let mut taken: HashMap<String, Span> = HashMap::new();
        for name in spec.positions.iter().filter_map(|p| p.name.as_ref()) {
            if name.value.trim().is_empty() {
                self.error(
                    name.span.clone(),
                    "a position's `name` is empty",
                    "give it a name, or leave `name` out",
                );
            } else if name.value.trim().eq_ignore_ascii_case("total") {
                // The tables' and CSV's last row is named so.
                self.error(
                    name.span.clone(),
                    "a position may not be named \"Total\": it names the plan's total row",
                    "give it another name",
                );
            } else if let Some(first) = taken.get(name.value.trim()) {
                self.diags.push(
                    Diagnostic::at(
                        name.span.clone(),
                        format!(
                            "two positions are named \"{}\"{}",
                            shorten(name.value.trim()),
                            if name.value.trim() == name.value {
                                ""
                            } else {
                                " (blanks around a name are not part of it)"
                            }
                        ),
                    )
                    .with_related(first.clone(), "first used here")
                    .with_help("position names must be unique; rename one of them"),
                );
            } else {
                taken.insert(name.value.trim().to_string(), name.span.clone());
            }
        }
        taken
    }
}
