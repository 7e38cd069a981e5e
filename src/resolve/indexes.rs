//! Index positions: the rate book's template for the index, expanded into one
//! component position per entry, each with the book's yield for it.
//!
//! Components get their amounts later, when the allocation splits the index
//! position's amount by the template's weights.

use super::positions::{Draft, blank_position};
use super::{Resolver, did_you_mean};
use crate::model::{Band, Liquidity, Position, Strategy};
use crate::money::Rate;
use crate::profile::{PositionSpec, Sp};
use crate::rates::{Component, IndexTemplate};

/// How a component is labelled in its index: its name, else its asset or
/// pair, else its strategy.
fn component_label(c: &Component) -> String {
    c.name
        .clone()
        .or_else(|| c.asset.clone())
        .or_else(|| c.pair.as_ref().map(|[a, b]| format!("{a}/{b}")))
        .unwrap_or_else(|| c.strategy.name().to_string())
}

impl<'b> Resolver<'b> {
    /// Expands an index position into its components, from the template its
    /// `index` names.
    pub(super) fn expand_index(&mut self, draft: &mut Draft, p: &PositionSpec) -> Option<()> {
        let id = self
            .require(
                p.index.as_ref(),
                "index",
                p,
                Strategy::Index,
                "index = \"large-cap-staking\"",
            )?
            .clone();
        let template = self.index_template(&id)?;
        draft.position.apy_source = format!("index: {}", template.source);
        draft.default_name.clone_from(&template.name);
        for c in &template.components {
            let pos = self.component(c, &draft.position, &id, p)?;
            draft.components.push(pos);
            draft.component_weights.push(c.weight.0);
        }
        Some(())
    }

    /// The rate book's template for index `id`, or a report with a suggestion.
    fn index_template(&mut self, id: &Sp<String>) -> Option<&'b IndexTemplate> {
        let book = self.book;
        if let Some(template) = book.index.get(&id.value) {
            return Some(template);
        }
        let known: Vec<&str> = book.index.keys().map(String::as_str).collect();
        let help = did_you_mean(&id.value, &known, "shipped indexes");
        self.error(
            id.span.clone(),
            format!("unknown index \"{}\"", crate::error::shorten(&id.value)),
            help,
        );
        None
    }

    /// One component of an index, with the book's yield for it; protocol and
    /// chain default to the index position's own.
    fn component(
        &mut self,
        c: &Component,
        index: &Position,
        id: &Sp<String>,
        p: &PositionSpec,
    ) -> Option<Position> {
        let mut pos = Position {
            name: component_label(c),
            asset: c.asset.clone(),
            pair: c.pair.clone(),
            protocol: c
                .protocol
                .as_deref()
                .map(|x| self.book.canonical_protocol(x))
                .or_else(|| index.protocol.clone()),
            chain: c
                .chain
                .as_deref()
                .map(|x| self.book.canonical_chain(x))
                .or_else(|| index.chain.clone()),
            method: c.method,
            ..blank_position(c.strategy)
        };
        let (band, source, reward_share) = self.component_yield(c, &mut pos, id, p)?;
        pos.apy = band;
        pos.apy_source = source;
        pos.reward_share = reward_share;
        self.finish(&mut pos, None, None);
        Some(pos)
    }

    /// A component's yield band, its source and the share paid in incentive
    /// tokens, all from the rate book; a liquidity component also gets its
    /// pool (the pair's default) and ratio volatility.
    fn component_yield(
        &mut self,
        c: &Component,
        pos: &mut Position,
        id: &Sp<String>,
        p: &PositionSpec,
    ) -> Option<(Band, String, Rate)> {
        match c.strategy {
            Strategy::Staking | Strategy::Lending => {
                let asset = Sp::new(c.asset.clone().unwrap_or_default(), id.span.clone());
                let (b, s) = self.book_yield(c.strategy, &asset, c.method, None)?;
                Some((b, s, Rate::ZERO))
            }
            Strategy::Liquidity => {
                let pair = c.pair.clone()?;
                let (b, s) = self.pair_band(&pair);
                let at = Sp::new(pair.clone(), id.span.clone());
                let (sigma, volatility_source) = self.pair_volatility(&at, p)?;
                pos.liquidity = Some(Liquidity {
                    pool: self.default_pool(&pair),
                    ratio_volatility: sigma,
                    volatility_source,
                    fee_apr: b,
                    reward_apy: Band::default(),
                });
                Some((b, s, Rate::ZERO))
            }
            Strategy::Farming => {
                let f = self.book.farming.as_ref()?;
                Some((
                    f.band(),
                    format!("rate book: {}", f.source),
                    f.reward_share.rate(),
                ))
            }
            Strategy::Hold | Strategy::Index => {
                Some((Band::default(), "hold".to_string(), Rate::ZERO))
            }
        }
    }
}
