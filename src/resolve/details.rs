//! What every position carries beyond its own yield: layers stacked on it,
//! its staking route, its protocol risk, its chain, the exposure groups it
//! counts towards and whether its money depends on smart contracts (its
//! `defi` flag).
//!
//! Stacked yields are added band by band as given; nothing is projected here.

use rust_decimal::Decimal;

use super::assets::AssetView;
use super::{Resolver, band_of, share};
use crate::model::{Band, Layer, Method, Pool, Position, Staking, Strategy};
use crate::money::Rate;
use crate::profile::{LayerSpec, PositionSpec};
use crate::rates::FarmingEntry;

/// Half, the weight of each side of a pool that does not say otherwise.
const HALF: Decimal = Decimal::from_parts(5, 0, 0, false, 1);

/// Whether the money in a position depends on smart contracts: anything
/// with layers, lending, liquidity and farming, and staking through a liquid
/// token or a named protocol.
fn is_defi(pos: &Position) -> bool {
    !pos.stack.is_empty()
        || match pos.strategy {
            Strategy::Lending | Strategy::Liquidity | Strategy::Farming => true,
            Strategy::Staking => pos.method == Some(Method::Liquid) || pos.protocol.is_some(),
            // A held token issued by a protocol (stETH) depends on its contracts.
            Strategy::Hold => pos.protocol.is_some(),
            Strategy::Index => false,
        }
}

/// Staking with no protocol in between ("native" tier) risks slashing: the
/// loss given an event is the asset's slashing share, so an asset that is
/// never slashed (0%) carries no loss at all, whatever the tier's default.
fn native_risk_is_slashing(pos: &mut Position) {
    let Some(staking) = &pos.staking else {
        return;
    };
    if pos.risk.tier != "native" {
        return;
    }
    let asset = pos.asset.as_deref().unwrap_or("the asset");
    pos.risk.loss_given_event = staking.slashing;
    if staking.slashing.0.is_zero() {
        pos.risk.loss_probability = Rate::ZERO;
        pos.risk.note = Some(format!("{asset} stakers are not slashed"));
    } else {
        pos.risk.note = Some(format!(
            "slashing takes {}% of the stake",
            (staking.slashing.0 * Decimal::ONE_HUNDRED).normalize()
        ));
    }
}

/// Adds the layers' yields to the position's band (band by band) and
/// recomputes the share of the total paid in incentive tokens.
fn add_layer_yields(pos: &mut Position, layers: &[Layer]) {
    if layers.is_empty() {
        return;
    }
    let base_mid = pos.apy.mid.0;
    let base_rewards = pos.reward_share.0 * base_mid;
    for l in layers {
        pos.apy = pos.apy + l.apy;
    }
    let layer_rewards: Decimal = layers.iter().map(|l| l.reward_apy.mid.0).sum();
    pos.reward_share = share(Rate(base_rewards + layer_rewards), pos.apy.mid);
}

impl Resolver<'_> {
    /// Layers stacked under a position, with their yields and risks; `None`
    /// when one of them has a problem (reported).
    pub(super) fn layers(&mut self, p: &PositionSpec) -> Option<Vec<Layer>> {
        let mut out = Vec::new();
        let mut ok = true;
        for l in &p.stack {
            match self.layer(l, p) {
                Some(layer) => out.push(layer),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// One stacked layer; `None` when it has a problem (reported, or already
    /// reported while reading).
    fn layer(&mut self, l: &LayerSpec, p: &PositionSpec) -> Option<Layer> {
        let strategy = l.strategy.as_ref().map(|s| s.value)?;
        if let Some(a) = &l.asset {
            if !self.known_asset(a, l.apy.is_some(), "") {
                return None;
            }
        }
        let apy = self.layer_yield(l, strategy, p)?;
        // A farming layer that does not say how much of its yield is
        // incentive tokens counts the rate book's share, like a standalone farm.
        let reward_apy = match (&l.reward_apy, strategy, self.book.farming.as_ref()) {
            (Some(b), _, _) => band_of(b.value),
            (None, Strategy::Farming, Some(f)) => {
                let share = f.reward_share.rate().0;
                apy.map(|r| Rate(r.0 * share))
            }
            _ => Band::default(),
        };
        let risk = self.risk_of(
            strategy,
            l.protocol.as_ref().map(|x| x.value.as_str()),
            None,
            l.risk_tier.as_ref(),
        );
        Some(Layer {
            strategy,
            asset: l.asset.as_ref().map(|a| a.value.clone()),
            protocol: l.protocol.as_ref().map(|a| a.value.clone()),
            chain: l.chain.as_ref().map(|a| a.value.clone()),
            apy,
            reward_apy,
            risk,
        })
    }

    /// A layer's yield band: its `apy`, else the rate book's for its asset
    /// or for farming; reported when the book has none.
    fn layer_yield(&mut self, l: &LayerSpec, strategy: Strategy, p: &PositionSpec) -> Option<Band> {
        match (&l.apy, &l.asset, strategy) {
            (Some(b), _, _) => Some(band_of(b.value)),
            (None, Some(a), Strategy::Staking | Strategy::Lending) => {
                self.book_band(strategy, a).map(|(b, _)| b)
            }
            (None, _, Strategy::Farming) => Some(
                self.book
                    .farming
                    .as_ref()
                    .map(FarmingEntry::band)
                    .unwrap_or_default(),
            ),
            _ => {
                self.error(
                    l.span.clone(),
                    format!("a {strategy} layer of position {} needs an `apy`", p.number),
                    "add apy = \"2%\" (the rate book has no band for it)",
                );
                None
            }
        }
    }

    /// Fills in what every position carries beyond its yield: staking route,
    /// risk, stacked layers, chain, exposure groups and `defi` flag.
    pub(super) fn finish(
        &mut self,
        pos: &mut Position,
        spec: Option<&PositionSpec>,
        layers: Option<Vec<Layer>>,
    ) {
        if pos.strategy == Strategy::Staking {
            let own_fee = spec.and_then(|p| p.provider_fee.as_ref().map(|f| f.value));
            let view = pos.asset.as_ref().and_then(|a| self.assets.get(a));
            self.set_staking(pos, view, own_fee);
        }
        let own_tier = spec.and_then(|p| p.risk_tier.as_ref());
        pos.risk = self.risk_of(pos.strategy, pos.protocol.as_deref(), pos.method, own_tier);
        if own_tier.is_none() {
            native_risk_is_slashing(pos);
        }
        if let Some(layers) = layers {
            add_layer_yields(pos, &layers);
            pos.stack = layers;
        }
        if pos.chain.is_none() {
            pos.chain = self.native_chain(pos);
        }
        pos.exposure = self.exposure(pos);
        pos.defi = is_defi(pos);
    }

    /// A staking position's route (delegated when the profile names none),
    /// provider fee and network facts: supply inflation, unbonding days (none
    /// for a liquid token) and slashing.
    fn set_staking(&self, pos: &mut Position, view: Option<&AssetView>, own_fee: Option<Decimal>) {
        let method = pos.method.unwrap_or(Method::Delegated);
        let fee = self.fee_of(Some(method), own_fee);
        pos.method = Some(method);
        pos.staking = Some(Staking {
            method,
            apy: pos.apy,
            provider_fee: fee,
            inflation: view.and_then(|v| v.inflation.map(Rate)),
            unbonding_days: if method == Method::Liquid {
                0
            } else {
                view.and_then(|v| v.unbonding_days).unwrap_or(0)
            },
            slashing: Rate(view.map_or(Decimal::ZERO, |v| v.slashing)),
        });
    }

    /// The chain a position lives on when the profile does not say: its
    /// asset's native chain; for a pair, the non-stablecoin's (else the first's).
    fn native_chain(&self, pos: &Position) -> Option<String> {
        let native = |s: &String| self.assets.get(s).and_then(|v| v.chain.clone());
        match (&pos.asset, &pos.pair) {
            (None, Some([a, b])) if self.is_stablecoin(a) && !self.is_stablecoin(b) => native(b),
            (Some(a), _) | (None, Some([a, _])) => native(a),
            _ => None,
        }
    }

    /// The exposure groups a position counts towards, with their shares of
    /// it (fractions): a pool splits by its weight (half and half unless
    /// weighted), anything else is all its asset's group, or "other".
    fn exposure(&self, pos: &Position) -> Vec<(String, Rate)> {
        // A wrapped or staked form counts towards its underlying asset's group.
        let group = |s: &String| {
            let view = self.assets.get(s);
            let base = view.and_then(|v| v.underlying.clone());
            view.and_then(|v| v.group.clone())
                .or_else(|| {
                    base.as_ref()
                        .and_then(|b| self.assets.get(b)?.group.clone())
                })
                .or(base)
                .unwrap_or_else(|| s.clone())
        };
        match (&pos.asset, &pos.pair, &pos.liquidity) {
            (_, Some([a, b]), Some(l)) => {
                let w = match l.pool {
                    Pool::Weighted { weight } => crate::money::decimal_from_f64(weight)
                        .unwrap_or(HALF)
                        .round_dp(6),
                    _ => HALF,
                };
                vec![(group(a), Rate(w)), (group(b), Rate(Decimal::ONE - w))]
            }
            (Some(a), _, _) => vec![(group(a), Rate(Decimal::ONE))],
            _ => vec![("other".to_string(), Rate(Decimal::ONE))],
        }
    }
}
