//! The changes a rate-book file makes to one entry of the book: each patch
//! lists the keys of its entry, and lays itself over the entry it changes
//! (or makes a new one, saying which required key it lacks). Values are read
//! and bounded in `written.rs`; problems are placed in `file.rs`.

use serde::Deserialize;

use super::entries::{
    AssetClass, AssetEntry, BandEntry, BookRate, Component, Days, FarmingEntry, IndexTemplate,
    MethodEntry, ProtocolEntry, TierEntry, UnknownAssetEntry,
};
use super::written::{BandIn, Coefficient, DayCount, Growth, Keys, Share, Written, figure};

/// A required key a new entry lacks, with how to write it.
pub(super) type Missing = (&'static str, &'static str);

/// The source of an entry some of whose figures a file changes: the
/// file's own when given, else "your file" for the figures it changed and
/// the old source for the rest.
fn merged_source(given: Option<String>, old: Option<&str>, changed: &[&str], your: &str) -> String {
    match (given, old) {
        (Some(s), _) => s,
        (None, Some(old)) if !changed.is_empty() => {
            format!("{your} ({}); {old} (the rest)", changed.join(", "))
        }
        (None, Some(old)) => old.to_string(),
        (None, None) => your.to_string(),
    }
}

/// Keys of one `[assets.SYMBOL]` in a rate book.
pub(super) const ASSET_KEYS: Keys = &[
    "name",
    "class",
    "staking_apy",
    "lending_apy",
    "inflation",
    "volatility",
    "unbonding_days",
    "slashing",
    "expected_return",
    "chain",
    "group",
    "underlying",
    "protocol",
];

/// Asset keys of the book's earlier format, with their names now.
pub(super) const RENAMED_ASSET_KEYS: &[(&str, &str)] =
    &[("staking", "staking_apy"), ("lending", "lending_apy")];

/// Changes to one asset.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AssetPatch {
    name: Option<String>,
    class: Option<AssetClass>,
    staking_apy: Option<BandIn>,
    lending_apy: Option<BandIn>,
    inflation: Option<Written<BookRate>>,
    volatility: Option<Written<BookRate>>,
    unbonding_days: Option<Written<DayCount>>,
    slashing: Option<Written<Share>>,
    expected_return: Option<Written<Growth>>,
    chain: Option<String>,
    group: Option<String>,
    underlying: Option<String>,
    protocol: Option<String>,
}

impl AssetPatch {
    /// The asset `symbol` with these changes over `old` (when the book has it).
    ///
    /// # Errors
    /// A new asset without a `class`.
    pub(super) fn apply(
        self,
        old: Option<AssetEntry>,
        symbol: &str,
        your: &str,
    ) -> Result<AssetEntry, Missing> {
        let class = self
            .class
            .or(old.as_ref().map(|o| o.class))
            .ok_or(("class", "add class = \"stablecoin\", \"major\" or \"alt\""))?;
        let old = old.unwrap_or_else(|| AssetEntry::blank(symbol, class));
        Ok(AssetEntry {
            name: self.name.unwrap_or(old.name),
            class,
            staking: self.staking_apy.map(|b| b.entry(your)).or(old.staking),
            lending: self.lending_apy.map(|b| b.entry(your)).or(old.lending),
            inflation: self.inflation.map(|f| figure(f, your)).or(old.inflation),
            volatility: self.volatility.map(|f| figure(f, your)).or(old.volatility),
            unbonding_days: self
                .unbonding_days
                .map(|w| {
                    let (d, source) = w.parts(your);
                    Days { value: d.0, source }
                })
                .or(old.unbonding_days),
            slashing: self.slashing.map(|f| figure(f, your)).or(old.slashing),
            expected_return: self
                .expected_return
                .map(|f| figure(f, your))
                .or(old.expected_return),
            chain: self.chain.or(old.chain),
            group: self.group.or(old.group),
            underlying: self.underlying.or(old.underlying),
            protocol: self.protocol.or(old.protocol),
        })
    }
}

/// Keys of a class band (`[lending.CLASS]`, `[liquidity.CLASS]`).
pub(super) const BAND_KEYS: Keys = &["low", "mid", "high", "source"];

/// Changes to a class band.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct BandPatch {
    low: Option<BookRate>,
    mid: Option<BookRate>,
    high: Option<BookRate>,
    source: Option<String>,
}

impl BandPatch {
    /// The band with these changes over `old`. Changing low or high without
    /// mid drops an old mid (it becomes their average).
    ///
    /// # Errors
    /// A new band without `low` or `high`.
    pub(super) fn apply(self, old: Option<BandEntry>, your: &str) -> Result<BandEntry, Missing> {
        let changed = changed(&[
            ("low", self.low.is_some()),
            ("mid", self.mid.is_some()),
            ("high", self.high.is_some()),
        ]);
        let ends_moved = self.low.is_some() || self.high.is_some();
        let low = self
            .low
            .or(old.as_ref().map(|o| o.low))
            .ok_or(("low", "add low = \"1%\""))?;
        let high = self
            .high
            .or(old.as_ref().map(|o| o.high))
            .ok_or(("high", "add high = \"4%\""))?;
        let old_mid = old.as_ref().and_then(|o| o.mid).filter(|_| !ends_moved);
        Ok(BandEntry {
            low,
            mid: self.mid.or(old_mid),
            high,
            source: merged_source(
                self.source,
                old.as_ref().map(|o| o.source.as_str()),
                &changed,
                your,
            ),
        })
    }
}

/// The names of the keys a patch sets.
fn changed(keys: &[(&'static str, bool)]) -> Vec<&'static str> {
    keys.iter()
        .filter(|(_, set)| *set)
        .map(|(k, _)| *k)
        .collect()
}

/// Keys of `[farming]`.
pub(super) const FARMING_KEYS: Keys = &["low", "mid", "high", "reward_share", "source"];

/// Changes to the farming defaults.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FarmingPatch {
    low: Option<BookRate>,
    mid: Option<BookRate>,
    high: Option<BookRate>,
    reward_share: Option<Share>,
    source: Option<String>,
}

impl FarmingPatch {
    /// The farming defaults with these changes over `old`.
    ///
    /// # Errors
    /// New defaults without a band or a `reward_share`.
    pub(super) fn apply(
        self,
        old: Option<FarmingEntry>,
        your: &str,
    ) -> Result<FarmingEntry, Missing> {
        let share = self
            .reward_share
            .map(|s| s.0)
            .or(old.as_ref().map(|o| o.reward_share))
            .ok_or(("reward_share", "add reward_share = \"80%\""))?;
        let band = BandPatch {
            low: self.low,
            mid: self.mid,
            high: self.high,
            source: self.source,
        };
        let mut changed_share = band_changed(&band);
        if self.reward_share.is_some() {
            changed_share.push("reward_share");
        }
        let old_band = old.map(|o| BandEntry {
            low: o.low,
            mid: o.mid,
            high: o.high,
            source: o.source,
        });
        let given = band.source.clone();
        let old_source = old_band.as_ref().map(|b| b.source.clone());
        let b = band.apply(old_band, your)?;
        Ok(FarmingEntry {
            low: b.low,
            mid: b.mid,
            high: b.high,
            reward_share: share,
            source: merged_source(given, old_source.as_deref(), &changed_share, your),
        })
    }
}

/// The figures of a band patch that are set.
fn band_changed(b: &BandPatch) -> Vec<&'static str> {
    changed(&[
        ("low", b.low.is_some()),
        ("mid", b.mid.is_some()),
        ("high", b.high.is_some()),
    ])
}

/// Keys of one `[staking_methods.NAME]`.
pub(super) const METHOD_KEYS: Keys = &["fee", "source"];

/// Changes to a staking route.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MethodPatch {
    fee: Option<Share>,
    source: Option<String>,
}

impl MethodPatch {
    /// The route with these changes over `old`.
    ///
    /// # Errors
    /// A new route without a `fee`.
    pub(super) fn apply(
        self,
        old: Option<MethodEntry>,
        your: &str,
    ) -> Result<MethodEntry, Missing> {
        let changed = changed(&[("fee", self.fee.is_some())]);
        let fee = self
            .fee
            .map(|s| s.0)
            .or(old.as_ref().map(|o| o.fee))
            .ok_or(("fee", "add fee = \"10%\""))?;
        Ok(MethodEntry {
            fee,
            source: merged_source(
                self.source,
                old.as_ref().map(|o| o.source.as_str()),
                &changed,
                your,
            ),
        })
    }
}

/// Keys of one `[risk_tiers.NAME]`.
pub(super) const TIER_KEYS: Keys = &["loss_probability", "loss_given_event", "source"];

/// Changes to a risk tier.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TierPatch {
    loss_probability: Option<Share>,
    loss_given_event: Option<Share>,
    source: Option<String>,
}

impl TierPatch {
    /// The tier with these changes over `old`.
    ///
    /// # Errors
    /// A new tier without one of its two figures.
    pub(super) fn apply(self, old: Option<TierEntry>, your: &str) -> Result<TierEntry, Missing> {
        let changed = changed(&[
            ("loss_probability", self.loss_probability.is_some()),
            ("loss_given_event", self.loss_given_event.is_some()),
        ]);
        Ok(TierEntry {
            loss_probability: self
                .loss_probability
                .map(|s| s.0)
                .or(old.as_ref().map(|o| o.loss_probability))
                .ok_or(("loss_probability", "add loss_probability = \"1%\""))?,
            loss_given_event: self
                .loss_given_event
                .map(|s| s.0)
                .or(old.as_ref().map(|o| o.loss_given_event))
                .ok_or(("loss_given_event", "add loss_given_event = \"50%\""))?,
            source: merged_source(
                self.source,
                old.as_ref().map(|o| o.source.as_str()),
                &changed,
                your,
            ),
        })
    }
}

/// Keys of one `[protocols.NAME]`.
pub(super) const PROTOCOL_KEYS: Keys = &["name", "tier", "source"];

/// Changes to a protocol.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ProtocolPatch {
    name: Option<String>,
    tier: Option<String>,
    source: Option<String>,
}

impl ProtocolPatch {
    /// The protocol `id` with these changes over `old`; its name defaults to `id`.
    ///
    /// # Errors
    /// A new protocol without a `tier`.
    pub(super) fn apply(
        self,
        old: Option<ProtocolEntry>,
        id: &str,
        your: &str,
    ) -> Result<ProtocolEntry, Missing> {
        let changed = changed(&[("tier", self.tier.is_some())]);
        Ok(ProtocolEntry {
            name: self
                .name
                .or(old.as_ref().map(|o| o.name.clone()))
                .unwrap_or_else(|| id.to_string()),
            tier: self
                .tier
                .or(old.as_ref().map(|o| o.tier.clone()))
                .ok_or(("tier", "add tier = \"established\" (a key of [risk_tiers])"))?,
            source: merged_source(
                self.source,
                old.as_ref().map(|o| o.source.as_str()),
                &changed,
                your,
            ),
        })
    }
}

/// Keys of `[unknown_asset]`.
pub(super) const UNKNOWN_ASSET_KEYS: Keys = &["volatility"];

/// Changes to what is assumed of an unknown asset.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct UnknownAssetPatch {
    volatility: Option<Written<BookRate>>,
}

impl UnknownAssetPatch {
    /// The assumption with these changes over `old`.
    ///
    /// # Errors
    /// A new assumption without a `volatility`.
    pub(super) fn apply(
        self,
        old: Option<UnknownAssetEntry>,
        your: &str,
    ) -> Result<UnknownAssetEntry, Missing> {
        Ok(UnknownAssetEntry {
            volatility: self
                .volatility
                .map(|f| figure(f, your))
                .or(old.map(|o| o.volatility))
                .ok_or(("volatility", "add volatility = \"100%\""))?,
        })
    }
}

/// A correlation, bare or with its source, as the book holds it.
pub(super) fn correlation(w: Written<Coefficient>, your: &str) -> super::CorrelationEntry {
    let (c, source) = w.parts(your);
    super::CorrelationEntry { value: c.0, source }
}

/// Keys of one `[index.ID]` in a rate book.
pub(super) const INDEX_KEYS: Keys = &["name", "description", "source", "components"];

/// Changes to one index template: a new one needs a name, a description and
/// its components; a shipped one keeps whatever the file does not give.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct IndexPatch {
    name: Option<String>,
    description: Option<String>,
    source: Option<String>,
    components: Option<Vec<Component>>,
}

impl IndexPatch {
    /// The index with these changes over `old` (when the book has it).
    ///
    /// # Errors
    /// A new index without `components`, `name` or `description`.
    pub(super) fn apply(
        self,
        old: Option<IndexTemplate>,
        your: &str,
    ) -> Result<IndexTemplate, Missing> {
        let changed: Vec<&str> = [
            ("name", self.name.is_some()),
            ("description", self.description.is_some()),
            ("components", self.components.is_some()),
        ]
        .into_iter()
        .filter_map(|(key, given)| given.then_some(key))
        .collect();
        let Some(old) = old else {
            // Every key a new index lacks, at once.
            let lacking: &'static str = match (
                self.name.is_some(),
                self.description.is_some(),
                self.components.is_some(),
            ) {
                (true, true, true) => "",
                (false, true, true) => "name",
                (true, false, true) => "description",
                (true, true, false) => "components",
                (false, false, true) => "name`, `description",
                (false, true, false) => "name`, `components",
                (true, false, false) => "description`, `components",
                (false, false, false) => "name`, `description`, `components",
            };
            let (Some(name), Some(description), Some(components)) =
                (self.name, self.description, self.components)
            else {
                return Err((
                    lacking,
                    "a new index gives name = \"...\" (how it is shown), description = \"...\" (what it holds and why) and components = [{ strategy = \"staking\", asset = \"ETH\", weight = \"100%\" }]",
                ));
            };
            return Ok(IndexTemplate {
                components,
                name,
                description,
                source: merged_source(self.source, None, &changed, your),
            });
        };
        Ok(IndexTemplate {
            source: merged_source(self.source, Some(&old.source), &changed, your),
            name: self.name.unwrap_or(old.name),
            description: self.description.unwrap_or(old.description),
            components: self.components.unwrap_or(old.components),
        })
    }
}
