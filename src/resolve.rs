//! From a profile as written to a portfolio the engine can plan.
//!
//! Resolution checks what needs the rate book or the whole file at once (known
//! assets and indexes, fields that fit the strategy, unique names, weights that
//! add up), fills in rates from the book where the profile gives none, splits
//! the portfolio into exact amounts and expands index positions. Every problem
//! is collected with its span. It reads no files and computes no yields.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::engine::allocate::split_cents;
use crate::error::{Diagnostic, shorten};
use crate::model::{
    AssetFacts, Assumptions, Band, Goal, Layer, LintSettings, Method, Pool, Portfolio, Position,
    Risk, Scenario, Staking, Strategy,
};
use crate::money::{Money, Rate, format_money};
use crate::profile::{AllocationSpec, BandSpec, Period, PositionSpec, ProfileSpec, Sp, Span};
use crate::rates::{AssetClass, RateBook};

/// Default assumptions, stated once.
pub const DEFAULT_INFLATION: Decimal = Decimal::from_parts(3, 0, 0, false, 2);
pub const DEFAULT_SUSTAINABLE_YIELD: Decimal = Decimal::from_parts(8, 0, 0, false, 2);
pub const DEFAULT_EMISSIONS_HAIRCUT: Decimal = Decimal::from_parts(5, 0, 0, false, 1);
pub const DEFAULT_EMISSIONS_SHARE: Decimal = Decimal::from_parts(5, 0, 0, false, 1);

/// What is known about one asset after the profile's overrides.
#[derive(Clone, Debug)]
struct AssetView {
    class: AssetClass,
    staking: Option<(Band, String)>,
    lending: Option<(Band, String)>,
    /// Annual price volatility and its source.
    volatility: Option<(Decimal, String)>,
    chain: Option<String>,
    group: Option<String>,
    inflation: Option<Decimal>,
    unbonding_days: Option<u32>,
    slashing: Decimal,
    expected_return: Decimal,
}

fn band_of(spec: BandSpec) -> Band {
    let mid = spec.mid.unwrap_or((spec.low + spec.high) / Decimal::TWO);
    Band {
        low: Rate(spec.low),
        mid: Rate(mid),
        high: Rate(spec.high),
    }
}

/// Builds the portfolio, or returns every problem found.
pub fn resolve(
    path: &Path,
    spec: &ProfileSpec,
    book: &RateBook,
) -> Result<Portfolio, Vec<Diagnostic>> {
    let mut r = Resolver {
        book,
        diags: Vec::new(),
        assets: BTreeMap::new(),
        tiers: BTreeMap::new(),
        protocols: BTreeMap::new(),
        fees: BTreeMap::new(),
    };
    r.risk_settings(spec);
    r.assets(spec);
    let portfolio = r.portfolio(path, spec);
    if r.diags.is_empty() {
        portfolio.ok_or_default()
    } else {
        r.diags
            .sort_by_key(|d| d.span.as_ref().map_or(0, |s| s.start));
        Err(r.diags)
    }
}

/// A protocol id without a version suffix: DefiLlama's `aave-v3` is `aave`.
fn unversioned(id: &str) -> &str {
    match id.rsplit_once("-v") {
        Some((base, v))
            if !base.is_empty() && !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) =>
        {
            base
        }
        _ => id,
    }
}

/// No protocol risk (a placeholder until the position is finished).
fn none_risk() -> Risk {
    Risk {
        tier: "none".into(),
        loss_probability: Rate::ZERO,
        loss_given_event: Rate::ZERO,
        note: None,
    }
}

/// The message when resolution stopped without a problem of its own to report.
pub const UNRESOLVED: &str = "the profile could not be resolved";

trait OkOrDefault {
    fn ok_or_default(self) -> Result<Portfolio, Vec<Diagnostic>>;
}

impl OkOrDefault for Option<Portfolio> {
    fn ok_or_default(self) -> Result<Portfolio, Vec<Diagnostic>> {
        self.ok_or_else(|| vec![Diagnostic::new(None, UNRESOLVED)])
    }
}

struct Resolver<'b> {
    book: &'b RateBook,
    diags: Vec<Diagnostic>,
    assets: BTreeMap<String, AssetView>,
    /// Risk tiers: (loss probability, loss given an event), book then profile.
    tiers: BTreeMap<String, (Rate, Rate)>,
    /// Protocol id → tier, book then profile.
    protocols: BTreeMap<String, String>,
    /// Staking method → provider fee, book then profile.
    fees: BTreeMap<String, Rate>,
}

/// A position before it has an amount.
struct Draft {
    position: Position,
    allocation: Sp<AllocationSpec>,
    /// Components of an index position, before they have amounts.
    components: Vec<Position>,
    component_weights: Vec<Decimal>,
    explicit_name: Option<String>,
    default_name: String,
}

impl Resolver<'_> {
    fn error(&mut self, span: Span, message: impl Into<String>, help: impl Into<String>) {
        self.diags
            .push(Diagnostic::at(span, message).with_help(help));
    }

    fn assets(&mut self, spec: &ProfileSpec) {
        for (symbol, a) in &self.book.assets {
            self.assets.insert(
                symbol.clone(),
                AssetView {
                    class: a.class,
                    staking: a
                        .staking
                        .as_ref()
                        .map(|b| (b.band(), format!("rate book: {}", b.source))),
                    lending: a
                        .lending
                        .as_ref()
                        .map(|b| (b.band(), format!("rate book: {}", b.source))),
                    volatility: a
                        .volatility
                        .as_ref()
                        .map(|f| (f.value.0, format!("rate book: {}", f.source))),
                    chain: a.chain.clone(),
                    group: a.group.clone(),
                    inflation: a.inflation.as_ref().map(|f| f.value.0),
                    unbonding_days: a.unbonding_days.as_ref().map(|d| d.value),
                    slashing: a.slashing.as_ref().map_or(Decimal::ZERO, |f| f.value.0),
                    expected_return: a
                        .expected_return
                        .as_ref()
                        .map_or(Decimal::ZERO, |f| f.value.0),
                },
            );
        }
        for a in &spec.assets {
            let view = self
                .assets
                .entry(a.symbol.value.clone())
                .or_insert(AssetView {
                    class: AssetClass::Alt,
                    staking: None,
                    lending: None,
                    volatility: None,
                    chain: None,
                    group: None,
                    inflation: None,
                    unbonding_days: None,
                    slashing: Decimal::ZERO,
                    expected_return: Decimal::ZERO,
                });
            if let Some(r) = a.expected_return {
                view.expected_return = r;
            }
            if let Some(i) = a.inflation {
                view.inflation = Some(i);
            }
            if let Some(d) = a.unbonding_days {
                view.unbonding_days = Some(d);
            }
            if let Some(v) = a.volatility {
                view.volatility = Some((
                    v,
                    format!("profile: [assets.{}] volatility", a.symbol.value),
                ));
            }
            if let Some(stable) = a.stablecoin {
                view.class = if stable {
                    AssetClass::Stablecoin
                } else if view.class == AssetClass::Stablecoin {
                    AssetClass::Alt
                } else {
                    view.class
                };
            }
            if let Some(b) = a.staking_apy {
                view.staking = Some((
                    band_of(b),
                    format!("profile: [assets.{}] staking_apy", a.symbol.value),
                ));
            }
            if let Some(b) = a.lending_apy {
                view.lending = Some((
                    band_of(b),
                    format!("profile: [assets.{}] lending_apy", a.symbol.value),
                ));
            }
        }
    }

    fn known_asset(&mut self, symbol: &Sp<String>) -> bool {
        if self.assets.contains_key(&symbol.value) {
            return true;
        }
        let shown = shorten(&symbol.value);
        let help = match nearest_symbol(&symbol.value, self.assets.keys()) {
            Some(n) => format!(
                "did you mean `{n}`? To plan an asset the rate book lacks, declare it under [assets.{shown}]"
            ),
            None => format!(
                "declare it under [assets.{shown}] (with staking_apy or lending_apy as needed), or give the position an `apy`"
            ),
        };
        self.error(
            symbol.span.clone(),
            format!("unknown asset `{shown}`: it is not in the rate book"),
            help,
        );
        false
    }

    fn portfolio(&mut self, path: &Path, spec: &ProfileSpec) -> Option<Portfolio> {
        let portfolio = spec.portfolio.as_ref();
        let value = portfolio.map(|p| p.value.clone());
        if let Some(v) = &value {
            if v.value.scale() > 2 && v.value.normalize().scale() > 2 {
                self.error(
                    v.span.clone(),
                    "`value` has fractions of a cent",
                    "round it to cents",
                );
            }
        }
        let a = &spec.assumptions;
        let assumptions = Assumptions {
            tax_rate: Rate(a.tax_rate.unwrap_or(Decimal::ZERO)),
            inflation: Rate(a.inflation.unwrap_or(DEFAULT_INFLATION)),
            reinvest: Rate(a.reinvest.unwrap_or(Decimal::ZERO)),
            sustainable_yield: Rate(a.sustainable_yield.unwrap_or(DEFAULT_SUSTAINABLE_YIELD)),
            emissions_haircut: Rate(a.emissions_haircut.unwrap_or(DEFAULT_EMISSIONS_HAIRCUT)),
            annual_contribution: Money(a.annual_contribution.unwrap_or(Decimal::ZERO)),
        };
        let goal = spec.goal.as_ref().map(|g| {
            let factor = match g.period {
                Period::Monthly => Decimal::from(12),
                Period::Annual => Decimal::ONE,
            };
            Goal {
                annual_min: Money(g.min * factor),
                annual_max: Money(g.max * factor),
                starts_in_years: g.starts_in_years,
                after_tax: g.after_tax,
            }
        });
        if let Some(g) = &spec.goal {
            if g.after_tax && assumptions.tax_rate.0 >= Decimal::ONE {
                self.error(
                    g.span.clone(),
                    "the goal is after tax but `tax_rate` is 100%",
                    "lower `tax_rate` in [assumptions]",
                );
            }
        }
        let lint_names = crate::engine::lints::Lint::NAMES;
        for name in &spec.lints.allow {
            if !lint_names.contains(&name.value.as_str()) {
                let help = match crate::error::nearest(&name.value, lint_names.iter().copied()) {
                    Some(n) => format!("did you mean \"{n}\"?"),
                    None => format!("known lints: {}", lint_names.join(", ")),
                };
                self.error(
                    name.span.clone(),
                    format!("unknown lint \"{}\" in [lints] allow", shorten(&name.value)),
                    help,
                );
            }
        }
        let l = &spec.lints;
        let lints = LintSettings {
            allow: l.allow.iter().map(|s| s.value.clone()).collect(),
            emissions_share: Rate(l.emissions_share.unwrap_or(DEFAULT_EMISSIONS_SHARE)),
            protocol_concentration: Rate(l.protocol_concentration.unwrap_or(Decimal::new(25, 2))),
            chain_concentration: Rate(l.chain_concentration.unwrap_or(Decimal::new(60, 2))),
            defi_share: Rate(l.defi_share.unwrap_or(Decimal::new(50, 2))),
            locked_share: Rate(l.locked_share.unwrap_or(Decimal::new(50, 2))),
            long_unbonding_days: l.long_unbonding_days.unwrap_or(14),
            stack_depth: l.stack_depth.unwrap_or(2),
            stacked_loss_probability: Rate(
                l.stacked_loss_probability.unwrap_or(Decimal::new(5, 2)),
            ),
        };
        let scenarios = self.scenarios(spec);

        let mut drafts: Vec<Draft> = spec
            .positions
            .iter()
            .filter_map(|p| self.draft(p))
            .collect();
        self.unique_names(&mut drafts, spec);
        let all_sound =
            spec.positions.iter().all(|p| !p.broken) && drafts.len() == spec.positions.len();
        let value = value?;
        if !all_sound {
            return None;
        }
        let positions = self.allocate(value.clone(), drafts, spec)?;
        let name = spec
            .name
            .as_ref()
            .map(|n| n.value.clone())
            .unwrap_or_else(|| {
                path.file_stem()
                    .map_or_else(|| "profile".into(), |s| s.to_string_lossy().into_owned())
            });
        Some(Portfolio {
            name,
            path: path.display().to_string(),
            value: Money(value.value),
            currency: portfolio.map_or_else(|| "USD".into(), |p| p.currency.clone()),
            goal,
            assumptions,
            positions,
            lints,
            scenarios,
            assets: self.asset_facts(),
            market_correlation: self.market_correlations(),
            correlations: self.pair_correlations(),
        })
    }

    /// Checks that a field does not appear on a strategy it has no meaning for.
    fn forbid<T>(
        &mut self,
        field: &Option<Sp<T>>,
        key: &str,
        p: &PositionSpec,
        strategy: Strategy,
    ) -> bool {
        if let Some(f) = field {
            self.error(
                f.span.clone(),
                format!(
                    "`{key}` does not apply to {} {strategy} position (position {})",
                    a_or_an(strategy),
                    p.number
                ),
                format!("remove `{key}`, or change the strategy"),
            );
            false
        } else {
            true
        }
    }

    fn require<'a, T>(
        &mut self,
        field: &'a Option<Sp<T>>,
        key: &str,
        p: &PositionSpec,
        strategy: Strategy,
        example: &str,
    ) -> Option<&'a Sp<T>> {
        // In a position with reported problems, a missing field may be one
        // that was written but could not be read: do not report it twice.
        if field.is_none() && !p.broken {
            self.error(
                p.span.clone(),
                format!(
                    "position {} is {} {strategy} position without `{key}`",
                    p.number,
                    a_or_an(strategy)
                ),
                format!("add {example}"),
            );
        }
        field.as_ref()
    }

    fn draft(&mut self, p: &PositionSpec) -> Option<Draft> {
        let filled;
        let p = match &p.pool_id {
            Some(id) => {
                filled = self.fill_from_pool(p, id)?;
                &filled
            }
            None => p,
        };
        let mut draft = self.draft_spec(p)?;
        if let Some(id) = &p.pool_id {
            if let Some(e) = self.book.pools.get(&id.value) {
                let source = format!(
                    "pool {} ({} {} on {}): {}",
                    id.value, e.project, e.symbol, e.chain, e.source
                );
                draft.position.apy_source = source;
            }
        }
        Some(draft)
    }

    /// Maps a snapshot token symbol to a known asset: `WETH` is ETH, `WBTC` BTC.
    fn token_asset(&self, token: &str) -> Option<String> {
        let t = token.trim().to_ascii_uppercase();
        if self.assets.contains_key(&t) {
            return Some(t);
        }
        t.strip_prefix('W')
            .filter(|rest| self.assets.contains_key(*rest))
            .map(str::to_string)
    }

    /// A position spec with the yield, assets, chain and protocol of its pool
    /// filled in where the profile leaves them out.
    fn fill_from_pool(&mut self, p: &PositionSpec, id: &Sp<String>) -> Option<PositionSpec> {
        let Some(entry) = self.book.pools.get(&id.value).cloned() else {
            let help = if self.book.pools.is_empty() {
                "give the snapshot it comes from with `--pools FILE` or `[rates] pools = \"FILE\"`, or import it into a rate book".to_string()
            } else {
                format!(
                    "check the id: the snapshot and rate book hold {} pools, none with this id",
                    self.book.pools.len()
                )
            };
            self.error(
                id.span.clone(),
                format!(
                    "pool `{}` is not in the pools snapshot or the rate book",
                    shorten(&id.value)
                ),
                help,
            );
            return None;
        };
        let strategy = p.strategy.as_ref()?.value;
        let mut ok = true;
        for (given, key) in [
            (&p.apy, "apy"),
            (&p.fee_apr, "fee_apr"),
            (&p.reward_apy, "reward_apy"),
        ] {
            if let Some(g) = given {
                self.error(
                    g.span.clone(),
                    format!("position {} takes its yield from pool `{}`, so `{key}` cannot be given too", p.number, shorten(&id.value)),
                    format!("remove `{key}`, or remove `pool_id` to set the yield yourself"),
                );
                ok = false;
            }
        }
        if matches!(strategy, Strategy::Hold | Strategy::Index) {
            self.error(
                id.span.clone(),
                format!(
                    "`pool_id` does not apply to a {strategy} position (position {})",
                    p.number
                ),
                "remove `pool_id`",
            );
            ok = false;
        }
        if !ok {
            return None;
        }
        let mut out = p.clone();
        let rs = entry.reward_share.0;
        let scaled = |k: Decimal| BandSpec {
            low: entry.low.0 * k,
            mid: Some(entry.mid.0 * k),
            high: entry.high.0 * k,
        };
        let tokens: Vec<Option<String>> = entry
            .symbol
            .split('-')
            .map(|t| self.token_asset(t))
            .collect();
        fn at<T>(v: T, id: &Sp<String>) -> Sp<T> {
            Sp::new(v, id.span.clone())
        }
        if strategy == Strategy::Liquidity {
            out.fee_apr = Some(at(scaled(Decimal::ONE - rs), id));
            if out.pair.is_none() {
                match tokens.as_slice() {
                    [Some(a), Some(b)] if a != b => {
                        out.pair = Some(at([a.clone(), b.clone()], id));
                        out.pair_spans = [id.span.clone(), id.span.clone()];
                    }
                    _ => {
                        self.error(
                            id.span.clone(),
                            format!(
                                "pool `{}` ({}) does not name two assets the rate book knows",
                                shorten(&id.value),
                                entry.symbol
                            ),
                            "give the pair yourself: pair = [\"ETH\", \"USDC\"]",
                        );
                        return None;
                    }
                }
            }
        } else {
            out.apy = Some(at(scaled(Decimal::ONE), id));
            if out.asset.is_none() && strategy != Strategy::Farming {
                match tokens.as_slice() {
                    [Some(a)] => out.asset = Some(at(a.clone(), id)),
                    _ => {
                        self.error(
                            id.span.clone(),
                            format!(
                                "pool `{}` ({}) is not one asset the rate book knows",
                                shorten(&id.value),
                                entry.symbol
                            ),
                            "give the asset yourself: asset = \"USDC\"",
                        );
                        return None;
                    }
                }
            }
        }
        if rs > Decimal::ZERO {
            out.reward_apy = Some(at(scaled(rs), id));
        }
        if out.chain.is_none() && !entry.chain.is_empty() {
            out.chain = Some(at(entry.chain.clone(), id));
        }
        if out.protocol.is_none() && !entry.project.is_empty() {
            out.protocol = Some(at(entry.project.clone(), id));
        }
        Some(out)
    }

    fn draft_spec(&mut self, p: &PositionSpec) -> Option<Draft> {
        let strategy = p.strategy.as_ref()?.value;
        let allocation = p.allocation.clone()?;
        let before = self.diags.len();
        let mut ok = true;
        use Strategy::*;
        if strategy != Staking {
            ok &= self.forbid(&p.method, "method", p, strategy);
        }
        if strategy != Liquidity {
            ok &= self.forbid(&p.pair, "pair", p, strategy);
            ok &= self.forbid(&p.fee_apr, "fee_apr", p, strategy);
            ok &= self.forbid(&p.pool, "pool", p, strategy);
            ok &= self.forbid(&p.range, "range", p, strategy);
            ok &= self.forbid(&p.weights, "weights", p, strategy);
            ok &= self.forbid(&p.amplification, "amplification", p, strategy);
            ok &= self.forbid(&p.ratio_volatility, "ratio_volatility", p, strategy);
            ok &= self.forbid(&p.correlation, "correlation", p, strategy);
        } else {
            ok &= self.forbid(&p.asset, "asset", p, strategy);
            if let Some(apy) = &p.apy {
                let help = if p.fee_apr.is_some() {
                    "remove `apy`: a pool's yield is its `fee_apr` plus any `reward_apy`"
                } else {
                    "rename `apy` to `fee_apr`"
                };
                self.error(
                    apy.span.clone(),
                    format!(
                        "a liquidity position takes `fee_apr` (and `reward_apy`), not `apy` (position {})",
                        p.number
                    ),
                    help,
                );
                ok = false;
            }
        }
        if strategy != Index {
            ok &= self.forbid(&p.index, "index", p, strategy);
        } else {
            for (f, key) in [(&p.apy, "apy"), (&p.reward_apy, "reward_apy")] {
                ok &= self.forbid(f, key, p, strategy);
            }
            ok &= self.forbid(&p.asset, "asset", p, strategy);
        }
        if strategy == Hold {
            ok &= self.forbid(&p.reward_apy, "reward_apy", p, strategy);
        }
        if strategy == Liquidity {
            ok &= self.pool_fields_fit(p);
        }
        if let Some(asset) = &p.asset {
            ok &= self.known_asset(asset);
        }
        if let Some(pair) = &p.pair {
            for (sym, at) in pair.value.iter().zip(&p.pair_spans) {
                // A spec built by hand may not say where each symbol is.
                let at = if at.is_empty() { &pair.span } else { at };
                ok &= self.known_asset(&Sp::new(sym.clone(), at.clone()));
            }
        }
        if !ok || self.diags.len() > before {
            return None;
        }
        let reward = p.reward_apy.as_ref().map(|b| band_of(b.value));
        let base = Position {
            name: String::new(),
            strategy,
            asset: p.asset.as_ref().map(|a| a.value.clone()),
            pair: p.pair.as_ref().map(|a| a.value.clone()),
            protocol: p.protocol.as_ref().map(|a| a.value.clone()),
            chain: p.chain.as_ref().map(|a| a.value.clone()),
            method: p.method.as_ref().map(|m| m.value),
            index: None,
            amount: Money::ZERO,
            apy: Band::default(),
            reward_share: Rate::ZERO,
            apy_source: "profile".into(),
            liquidity: None,
            staking: None,
            risk: none_risk(),
            stack: Vec::new(),
            exposure: Vec::new(),
            defi: false,
        };
        let mut draft = Draft {
            position: base,
            allocation,
            components: Vec::new(),
            component_weights: Vec::new(),
            explicit_name: p.name.as_ref().map(|n| n.value.clone()),
            default_name: default_name(
                strategy,
                p.asset.as_ref().map(|a| a.value.as_str()),
                p.pair.as_ref().map(|x| &x.value),
            ),
        };
        let given = p.apy.as_ref().map(|b| band_of(b.value));
        match strategy {
            Staking | Lending => {
                let asset = self
                    .require(&p.asset, "asset", p, strategy, "asset = \"ETH\"")?
                    .clone();
                let (band, source) = match given {
                    Some(b) => (b, "profile".to_string()),
                    None => {
                        let (b, src) = self.book_band(strategy, &asset)?;
                        if strategy == Staking {
                            // Book bands are the network's rates; the route's provider keeps its fee.
                            let fee = self.fee_of(
                                p.method.as_ref().map(|m| m.value),
                                p.provider_fee.as_ref().map(|f| f.value),
                            );
                            (b.map(|r| Rate(r.0 * (Decimal::ONE - fee.0))), src)
                        } else {
                            (b, src)
                        }
                    }
                };
                self.set_yield(&mut draft.position, band, source, reward, p)?;
            }
            Liquidity => {
                let pair =
                    self.require(&p.pair, "pair", p, strategy, "pair = [\"ETH\", \"USDC\"]")?;
                let (fee, source) = match &p.fee_apr {
                    Some(b) => (band_of(b.value), "profile".to_string()),
                    None => self.pair_band(&pair.value),
                };
                let total = fee + reward.unwrap_or_default();
                draft.position.apy = total;
                draft.position.apy_source = source;
                draft.position.reward_share =
                    reward.map_or(Rate::ZERO, |r| share(r.mid, total.mid));
                let pair = pair.clone();
                let pool = self.pool_of(p, &pair.value);
                let (sigma, volatility_source) = self.pair_volatility(&pair, p)?;
                draft.position.liquidity = Some(crate::model::Liquidity {
                    pool,
                    ratio_volatility: sigma,
                    volatility_source,
                    fee_apr: fee,
                    reward_apy: reward.unwrap_or_default(),
                });
            }
            Farming => {
                let farming = self.book.farming.as_ref()?;
                let (band, source) = match given {
                    Some(b) => (b, "profile".to_string()),
                    None => (farming.band(), format!("rate book: {}", farming.source)),
                };
                self.set_yield(&mut draft.position, band, source, reward, p)?;
                if reward.is_none() {
                    draft.position.reward_share = farming.reward_share.rate();
                }
            }
            Hold => {
                let band = given.unwrap_or_default();
                self.set_yield(&mut draft.position, band, "profile".into(), None, p)?;
            }
            Index => {
                let id = self
                    .require(
                        &p.index,
                        "index",
                        p,
                        strategy,
                        "index = \"large-cap-staking\"",
                    )?
                    .clone();
                let Some(template) = self.book.index.get(&id.value) else {
                    let help = match self.book.nearest_index(&id.value) {
                        Some(n) => format!("did you mean \"{n}\"?"),
                        None => format!(
                            "shipped indexes: {}",
                            self.book
                                .index
                                .keys()
                                .cloned()
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    };
                    self.error(
                        id.span.clone(),
                        format!("unknown index \"{}\"", shorten(&id.value)),
                        help,
                    );
                    return None;
                };
                draft.position.apy_source = format!("index: {}", template.source);
                draft.default_name = template.name.clone();
                for c in &template.components {
                    let label = c
                        .name
                        .clone()
                        .or_else(|| c.asset.clone())
                        .or_else(|| c.pair.as_ref().map(|[a, b]| format!("{a}/{b}")))
                        .unwrap_or_else(|| c.strategy.name().to_string());
                    let mut pos = Position {
                        name: label,
                        strategy: c.strategy,
                        asset: c.asset.clone(),
                        pair: c.pair.clone(),
                        protocol: c
                            .protocol
                            .clone()
                            .or_else(|| draft.position.protocol.clone()),
                        chain: c.chain.clone().or_else(|| draft.position.chain.clone()),
                        method: c.method,
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
                    };
                    let (band, source, reward_share) = match c.strategy {
                        Staking | Lending => {
                            let asset =
                                Sp::new(c.asset.clone().unwrap_or_default(), id.span.clone());
                            let (b, s) = self.book_band(c.strategy, &asset)?;
                            let b = if c.strategy == Staking {
                                let fee = self.fee_of(c.method, None);
                                b.map(|r| Rate(r.0 * (Decimal::ONE - fee.0)))
                            } else {
                                b
                            };
                            (b, s, Rate::ZERO)
                        }
                        Liquidity => {
                            let pair = c.pair.clone()?;
                            let (b, s) = self.pair_band(&pair);
                            let at = Sp::new(pair.clone(), id.span.clone());
                            let (sigma, volatility_source) = self.pair_volatility(&at, p)?;
                            pos.liquidity = Some(crate::model::Liquidity {
                                pool: self.default_pool(&pair),
                                ratio_volatility: sigma,
                                volatility_source,
                                fee_apr: b,
                                reward_apy: Band::default(),
                            });
                            (b, s, Rate::ZERO)
                        }
                        Farming => {
                            let f = self.book.farming.as_ref()?;
                            (
                                f.band(),
                                format!("rate book: {}", f.source),
                                f.reward_share.rate(),
                            )
                        }
                        Hold | Index => (Band::default(), "hold".to_string(), Rate::ZERO),
                    };
                    pos.apy = band;
                    pos.apy_source = source;
                    pos.reward_share = reward_share;
                    self.finish(&mut pos, None, None);
                    draft.components.push(pos);
                    draft.component_weights.push(c.weight.0);
                }
            }
        }
        if strategy != Index {
            let layers = self.layers(p)?;
            self.finish(&mut draft.position, Some(p), Some(layers));
        }
        Some(draft)
    }

    /// The provider fee of a staking route: the position's own, else the method's
    /// (delegated when the profile names none).
    fn fee_of(&self, method: Option<Method>, own: Option<Decimal>) -> Rate {
        if let Some(f) = own {
            return Rate(f);
        }
        let name = method_name(method.unwrap_or(Method::Delegated));
        self.fees.get(name).copied().unwrap_or(Rate::ZERO)
    }

    /// Book tiers, protocols and fees, with the profile's overrides on top.
    fn risk_settings(&mut self, spec: &ProfileSpec) {
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
        for (id, p) in &self.book.protocols {
            self.protocols.insert(id.clone(), p.tier.clone());
        }
        for (id, tier) in &spec.protocols {
            if self.tiers.contains_key(&tier.value) {
                self.protocols.insert(id.value.clone(), tier.value.clone());
            } else {
                self.unknown_tier(tier);
            }
        }
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

    fn unknown_tier(&mut self, tier: &Sp<String>) {
        let names: Vec<&str> = self.tiers.keys().map(String::as_str).collect();
        let help = match crate::error::nearest(&tier.value, names.iter().copied()) {
            Some(n) => format!("did you mean \"{n}\"?"),
            None => format!("use one of: {}", names.join(", ")),
        };
        self.error(
            tier.span.clone(),
            format!("unknown risk tier \"{}\"", shorten(&tier.value)),
            help,
        );
    }

    /// The risk of money in `protocol` under `strategy`.
    fn risk_of(
        &mut self,
        strategy: Strategy,
        protocol: Option<&str>,
        method: Option<Method>,
        own: Option<&Sp<String>>,
    ) -> Risk {
        let pick = |r: &Self, tier: &str, note: Option<String>| {
            let (p, l) = r
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
        };
        if let Some(t) = own {
            if self.tiers.contains_key(&t.value) {
                return pick(self, &t.value, Some("profile: risk_tier".into()));
            }
            self.unknown_tier(t);
        }
        match (strategy, protocol) {
            (Strategy::Hold, _) => pick(self, "none", None),
            (_, Some(id)) => match self
                .protocols
                .get(id)
                .or_else(|| self.protocols.get(unversioned(id)))
                .cloned()
            {
                Some(tier) => pick(self, &tier, None),
                None => pick(
                    self,
                    "unknown",
                    Some(format!("protocol `{id}` is not in the rate book")),
                ),
            },
            (Strategy::Staking, None) if method != Some(Method::Liquid) => {
                pick(self, "native", None)
            }
            (_, None) => pick(self, "unknown", Some("no protocol named".into())),
        }
    }

    /// Layers stacked under a position, with their yields and risks.
    fn layers(&mut self, p: &PositionSpec) -> Option<Vec<Layer>> {
        let mut out = Vec::new();
        let mut ok = true;
        for l in &p.stack {
            let Some(strategy) = l.strategy.as_ref().map(|s| s.value) else {
                ok = false;
                continue;
            };
            if let Some(a) = &l.asset {
                if !self.known_asset(a) {
                    ok = false;
                    continue;
                }
            }
            let apy = match (&l.apy, &l.asset, strategy) {
                (Some(b), _, _) => band_of(b.value),
                (None, Some(a), Strategy::Staking | Strategy::Lending) => {
                    match self.book_band(strategy, a) {
                        Some((b, _)) => b,
                        None => {
                            ok = false;
                            continue;
                        }
                    }
                }
                (None, _, Strategy::Farming) => self
                    .book
                    .farming
                    .as_ref()
                    .map(|f| f.band())
                    .unwrap_or_default(),
                _ => {
                    self.error(
                        l.span.clone(),
                        format!("a {strategy} layer of position {} needs an `apy`", p.number),
                        "add apy = \"2%\" (the rate book has no band for it)",
                    );
                    ok = false;
                    continue;
                }
            };
            let reward_apy = l
                .reward_apy
                .as_ref()
                .map(|b| band_of(b.value))
                .unwrap_or_default();
            let risk = self.risk_of(
                strategy,
                l.protocol.as_ref().map(|x| x.value.as_str()),
                None,
                l.risk_tier.as_ref(),
            );
            out.push(Layer {
                strategy,
                asset: l.asset.as_ref().map(|a| a.value.clone()),
                protocol: l.protocol.as_ref().map(|a| a.value.clone()),
                chain: l.chain.as_ref().map(|a| a.value.clone()),
                apy,
                reward_apy,
                risk,
            });
        }
        ok.then_some(out)
    }

    /// Fills in what every position carries beyond its yield: staking route,
    /// risk, stacked layers, chain, exposure groups and whether it is DeFi.
    fn finish(
        &mut self,
        pos: &mut Position,
        spec: Option<&PositionSpec>,
        layers: Option<Vec<Layer>>,
    ) {
        let asset = pos.asset.clone();
        let view = asset.as_ref().and_then(|a| self.assets.get(a)).cloned();
        if pos.strategy == Strategy::Staking {
            let method = pos.method.unwrap_or(Method::Delegated);
            let own_fee = spec.and_then(|p| p.provider_fee.as_ref().map(|f| f.value));
            let fee = self.fee_of(Some(method), own_fee);
            pos.method = Some(method);
            pos.staking = Some(Staking {
                method,
                apy: pos.apy,
                provider_fee: fee,
                inflation: view.as_ref().and_then(|v| v.inflation.map(Rate)),
                unbonding_days: if method == Method::Liquid {
                    0
                } else {
                    view.as_ref().and_then(|v| v.unbonding_days).unwrap_or(0)
                },
                slashing: Rate(view.as_ref().map_or(Decimal::ZERO, |v| v.slashing)),
            });
        }
        let own_tier = spec.and_then(|p| p.risk_tier.as_ref());
        pos.risk = self.risk_of(pos.strategy, pos.protocol.as_deref(), pos.method, own_tier);
        if let Some(layers) = layers {
            if !layers.is_empty() {
                let base_mid = pos.apy.mid.0;
                let base_rewards = pos.reward_share.0 * base_mid;
                for l in &layers {
                    pos.apy = pos.apy + l.apy;
                }
                let layer_rewards: Decimal = layers.iter().map(|l| l.reward_apy.mid.0).sum();
                pos.reward_share = share(Rate(base_rewards + layer_rewards), pos.apy.mid);
            }
            pos.stack = layers;
        }
        if pos.chain.is_none() {
            let native = |s: &String| self.assets.get(s).and_then(|v| v.chain.clone());
            let stable = |s: &String| {
                self.assets
                    .get(s)
                    .is_some_and(|v| v.class == AssetClass::Stablecoin)
            };
            pos.chain = match (&pos.asset, &pos.pair) {
                (Some(a), _) => native(a),
                (None, Some([a, b])) if stable(a) && !stable(b) => native(b),
                (None, Some([a, _])) => native(a),
                _ => None,
            };
        }
        let group = |s: &String| {
            self.assets
                .get(s)
                .and_then(|v| v.group.clone())
                .unwrap_or_else(|| s.clone())
        };
        pos.exposure = match (&pos.asset, &pos.pair, &pos.liquidity) {
            (_, Some([a, b]), Some(l)) => {
                let w = match l.pool {
                    Pool::Weighted { weight } => crate::money::decimal_from_f64(weight)
                        .unwrap_or(Decimal::new(5, 1))
                        .round_dp(6),
                    _ => Decimal::new(5, 1),
                };
                vec![(group(a), Rate(w)), (group(b), Rate(Decimal::ONE - w))]
            }
            (Some(a), _, _) => vec![(group(a), Rate(Decimal::ONE))],
            _ => vec![("other".to_string(), Rate(Decimal::ONE))],
        };
        pos.defi = !pos.stack.is_empty()
            || match pos.strategy {
                Strategy::Lending | Strategy::Liquidity | Strategy::Farming => true,
                Strategy::Staking => pos.method == Some(Method::Liquid) || pos.protocol.is_some(),
                Strategy::Hold | Strategy::Index => false,
            };
    }

    /// Stress scenarios the profile defines, resolved against the book.
    fn scenarios(&mut self, spec: &ProfileSpec) -> Vec<Scenario> {
        let mut out = Vec::new();
        for sc in &spec.scenarios {
            let Some(name) = sc.name.as_ref() else {
                continue;
            };
            let mut prices = Vec::new();
            for (sym, change) in &sc.prices {
                if self.known_asset(sym) {
                    prices.push((sym.value.clone(), Rate(*change)));
                }
            }
            let mut fail = Vec::new();
            for id in &sc.fail {
                match self.protocols.get(&id.value).cloned() {
                    Some(tier) => {
                        let lgd = self.tiers.get(&tier).map_or(Rate::ZERO, |t| t.1);
                        fail.push((id.value.clone(), lgd));
                    }
                    None => {
                        let names: Vec<&str> = self.protocols.keys().map(String::as_str).collect();
                        let help = match crate::error::nearest(&id.value, names.iter().copied()) {
                            Some(n) => format!(
                                "did you mean \"{n}\"? Or name its tier under [protocols.{}]",
                                shorten(&id.value)
                            ),
                            None => format!(
                                "name its tier under [protocols.{}] first",
                                shorten(&id.value)
                            ),
                        };
                        self.error(
                            id.span.clone(),
                            format!("unknown protocol \"{}\" in `fail`", shorten(&id.value)),
                            help,
                        );
                    }
                }
            }
            out.push(Scenario {
                name: name.value.clone(),
                prices,
                crypto: sc.crypto.map(Rate),
                yields: sc.yields.map(Rate),
                fail,
                slash: sc.slash,
            });
        }
        out
    }

    fn asset_facts(&self) -> BTreeMap<String, AssetFacts> {
        self.assets
            .iter()
            .map(|(s, v)| {
                (
                    s.clone(),
                    AssetFacts {
                        stablecoin: v.class == AssetClass::Stablecoin,
                        expected_return: Rate(v.expected_return),
                        volatility: v.volatility.as_ref().map(|(d, _)| Rate(*d)),
                        slashing: Rate(v.slashing),
                    },
                )
            })
            .collect()
    }

    /// The correlation of every pair of known assets, for simulation.
    fn pair_correlations(&self) -> BTreeMap<(String, String), f64> {
        let mut out = BTreeMap::new();
        let symbols: Vec<(&String, AssetClass)> =
            self.assets.iter().map(|(s, v)| (s, v.class)).collect();
        for (i, (a, ca)) in symbols.iter().enumerate() {
            for (b, cb) in &symbols[i + 1..] {
                out.insert(
                    ((*a).clone(), (*b).clone()),
                    self.book.correlation(a, b, *ca, *cb).0,
                );
            }
        }
        out
    }

    /// Each asset's correlation with BTC, the market the crash shock starts from.
    fn market_correlations(&self) -> BTreeMap<String, f64> {
        let btc = self
            .assets
            .get("BTC")
            .map_or(AssetClass::Major, |b| b.class);
        self.assets
            .iter()
            .map(|(s, v)| {
                let rho = if s == "BTC" {
                    1.0
                } else {
                    self.book.correlation(s, "BTC", v.class, btc).0
                };
                (s.clone(), rho)
            })
            .collect()
    }

    /// Pool parameters must match the pool kind.
    fn pool_fields_fit(&mut self, p: &PositionSpec) -> bool {
        use crate::model::PoolKind;
        let kind = p.pool.as_ref().map(|k| k.value);
        let mut ok = true;
        let mut needs = |r: &mut Self,
                         present: bool,
                         wanted: PoolKind,
                         key: &str,
                         span: Option<Span>,
                         example: &str| {
            let name = PoolKind::NAMES[wanted as usize];
            match (present, kind == Some(wanted)) {
                (true, false) => {
                    r.error(
                        span.unwrap_or_else(|| p.span.clone()),
                        format!("`{key}` needs pool = \"{name}\" (position {})", p.number),
                        format!("set pool = \"{name}\", or remove `{key}`"),
                    );
                    ok = false;
                }
                (false, true) if !example.is_empty() => {
                    r.error(
                        p.pool.as_ref().map_or(p.span.clone(), |k| k.span.clone()),
                        format!("a {name} pool needs `{key}` (position {})", p.number),
                        format!("add {example}"),
                    );
                    ok = false;
                }
                _ => {}
            }
        };
        if !p.broken {
            needs(
                self,
                p.range.is_some(),
                PoolKind::Concentrated,
                "range",
                p.range.as_ref().map(|r| r.span.clone()),
                "range = { lower = 0.8, upper = 1.25 }",
            );
            needs(
                self,
                p.weights.is_some(),
                PoolKind::Weighted,
                "weights",
                p.weights.as_ref().map(|r| r.span.clone()),
                "weights = [\"80%\", \"20%\"]",
            );
            needs(
                self,
                p.amplification.is_some(),
                PoolKind::Stable,
                "amplification",
                p.amplification.as_ref().map(|r| r.span.clone()),
                "",
            );
        }
        if p.ratio_volatility.is_some() && p.correlation.is_some() {
            let span = p
                .correlation
                .as_ref()
                .map_or(p.span.clone(), |c| c.span.clone());
            self.error(
                span,
                format!(
                    "position {} gives both `ratio_volatility` and `correlation`",
                    p.number
                ),
                "`correlation` only serves to compute the ratio volatility; keep one of the two",
            );
            ok = false;
        }
        ok
    }

    /// The pool a pair trades in when the profile does not say: StableSwap for
    /// two stablecoins, constant product otherwise.
    fn default_pool(&self, pair: &[String; 2]) -> Pool {
        let stable = pair.iter().all(|s| {
            self.assets
                .get(s)
                .is_some_and(|a| a.class == AssetClass::Stablecoin)
        });
        if stable {
            Pool::Stable {
                amplification: crate::engine::il::DEFAULT_AMPLIFICATION,
            }
        } else {
            Pool::ConstantProduct
        }
    }

    fn pool_of(&self, p: &PositionSpec, pair: &[String; 2]) -> Pool {
        use crate::model::PoolKind;
        let f = |d: Decimal| d.to_f64().unwrap_or(0.0);
        match p.pool.as_ref().map(|k| k.value) {
            None => self.default_pool(pair),
            Some(PoolKind::ConstantProduct) => Pool::ConstantProduct,
            Some(PoolKind::Weighted) => Pool::Weighted {
                weight: p.weights.as_ref().map_or(0.5, |w| f(w.value[0])),
            },
            Some(PoolKind::Concentrated) => match &p.range {
                Some(r) => Pool::Concentrated {
                    lower: f(r.value.lower),
                    upper: f(r.value.upper),
                },
                None => Pool::ConstantProduct,
            },
            Some(PoolKind::Stable) => Pool::Stable {
                amplification: p
                    .amplification
                    .as_ref()
                    .map_or(crate::engine::il::DEFAULT_AMPLIFICATION, |a| f(a.value)),
            },
        }
    }

    /// The volatility of a pair's price ratio: the position's override, or
    /// from the two assets' volatilities and their correlation.
    fn pair_volatility(
        &mut self,
        pair: &Sp<[String; 2]>,
        p: &PositionSpec,
    ) -> Option<(Rate, String)> {
        if p.strategy
            .as_ref()
            .is_some_and(|s| s.value == Strategy::Liquidity)
        {
            if let Some(v) = &p.ratio_volatility {
                return Some((Rate(v.value), "profile: ratio_volatility".into()));
            }
        }
        let [a, b] = &pair.value;
        let sigma = |r: &mut Self, sym: &String| -> Option<(Decimal, String, AssetClass)> {
            let view = r.assets.get(sym)?;
            match &view.volatility {
                Some((v, src)) => Some((*v, src.clone(), view.class)),
                None => {
                    r.error(
                        pair.span.clone(),
                        format!("the rate book has no volatility for `{sym}`, needed for the impermanent loss of this pair"),
                        format!("set volatility under [assets.{sym}], or ratio_volatility on the position"),
                    );
                    None
                }
            }
        };
        let (sa, src_a, class_a) = sigma(self, a)?;
        let (sb, src_b, class_b) = sigma(self, b)?;
        let (rho, rho_source) = match p.correlation.as_ref().filter(|_| {
            p.strategy
                .as_ref()
                .is_some_and(|s| s.value == Strategy::Liquidity)
        }) {
            Some(c) => (
                c.value.to_f64().unwrap_or(0.0),
                "profile: correlation".to_string(),
            ),
            None => self.book.correlation(a, b, class_a, class_b),
        };
        let f = |d: Decimal| d.to_f64().unwrap_or(0.0);
        let ratio = crate::engine::il::ratio_volatility(f(sa), f(sb), rho).unwrap_or(0.0);
        let value = crate::money::decimal_from_f64(ratio)
            .unwrap_or_default()
            .round_dp(6);
        Some((
            Rate(value),
            format!(
                "{a} {}% ({src_a}), {b} {}% ({src_b}), correlation {rho} ({rho_source})",
                (sa * Decimal::ONE_HUNDRED).normalize(),
                (sb * Decimal::ONE_HUNDRED).normalize()
            ),
        ))
    }

    fn set_yield(
        &mut self,
        pos: &mut Position,
        band: Band,
        source: String,
        reward: Option<Band>,
        p: &PositionSpec,
    ) -> Option<()> {
        pos.apy = band;
        pos.apy_source = source;
        if let Some(r) = reward {
            if r.mid > band.mid || r.low > band.low || r.high > band.high {
                let span = p
                    .reward_apy
                    .as_ref()
                    .map_or(p.span.clone(), |s| s.span.clone());
                let total = match &p.apy {
                    Some(_) => format!("its `apy` ({})", band_text(band)),
                    None => format!("its yield from the rate book ({})", band_text(band)),
                };
                let mut d = Diagnostic::at(
                    span,
                    format!(
                        "`reward_apy` ({}) of position {} is more than {total}",
                        band_text(r),
                        p.number
                    ),
                )
                .with_help(
                    "`reward_apy` is the part of `apy` paid in incentive tokens; it cannot exceed `apy`",
                );
                if let Some(apy) = &p.apy {
                    d = d.with_related(apy.span.clone(), "the total yield");
                }
                self.diags.push(d);
                return None;
            }
            pos.reward_share = share(r.mid, band.mid);
        }
        Some(())
    }

    fn book_band(&mut self, strategy: Strategy, asset: &Sp<String>) -> Option<(Band, String)> {
        let view = self.assets.get(&asset.value)?.clone();
        let found = match strategy {
            Strategy::Staking => view.staking,
            _ => view.lending.or_else(|| {
                let class = if view.class == AssetClass::Stablecoin {
                    "stablecoin"
                } else {
                    "volatile"
                };
                self.book
                    .lending
                    .get(class)
                    .map(|b| (b.band(), format!("rate book: {}", b.source)))
            }),
        };
        if found.is_none() {
            self.error(
                asset.span.clone(),
                format!("the rate book has no {strategy} rate for `{}`", asset.value),
                format!(
                    "give the position an `apy`, or set {strategy}_apy under [assets.{}]",
                    asset.value
                ),
            );
        }
        found
    }

    fn pair_band(&self, pair: &[String; 2]) -> (Band, String) {
        let class = |s: &String| self.assets.get(s).map_or(AssetClass::Alt, |a| a.class);
        let (a, b) = (class(&pair[0]), class(&pair[1]));
        let key = match (a, b) {
            (AssetClass::Stablecoin, AssetClass::Stablecoin) => "stable",
            (AssetClass::Alt, _) | (_, AssetClass::Alt) => "exotic",
            _ => "major",
        };
        match self.book.liquidity.get(key) {
            Some(e) => (e.band(), format!("rate book: {key} pairs: {}", e.source)),
            None => (Band::default(), format!("rate book has no {key} band")),
        }
    }

    /// Rejects duplicate explicit names and gives unnamed positions a unique default.
    fn unique_names(&mut self, drafts: &mut [Draft], spec: &ProfileSpec) {
        let mut taken: HashMap<String, Span> = HashMap::new();
        for name in spec.positions.iter().filter_map(|p| p.name.as_ref()) {
            if name.value.trim().is_empty() {
                self.error(
                    name.span.clone(),
                    "a position's `name` is empty",
                    "give it a name, or leave `name` out",
                );
            } else if let Some(first) = taken.get(&name.value) {
                self.diags.push(
                    Diagnostic::at(
                        name.span.clone(),
                        format!("two positions are named \"{}\"", shorten(&name.value)),
                    )
                    .with_related(first.clone(), "first used here")
                    .with_help("position names must be unique; rename one of them"),
                );
            } else {
                taken.insert(name.value.clone(), name.span.clone());
            }
        }
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

    fn allocate(
        &mut self,
        value: Sp<Decimal>,
        drafts: Vec<Draft>,
        spec: &ProfileSpec,
    ) -> Option<Vec<Position>> {
        if drafts.is_empty() {
            // No position survived reading; that problem is already reported.
            return None;
        }
        let total_cents = Money(value.value).cents();
        let mut fixed = Decimal::ZERO;
        let mut weight_sum = Decimal::ZERO;
        let mut rest: Vec<&Sp<AllocationSpec>> = Vec::new();
        for d in &drafts {
            match d.allocation.value {
                AllocationSpec::Amount(a) => {
                    if a.normalize().scale() > 2 {
                        self.error(
                            d.allocation.span.clone(),
                            "`amount` has fractions of a cent",
                            "round it to cents",
                        );
                    }
                    fixed += a;
                }
                AllocationSpec::Weight(w) => weight_sum += w,
                AllocationSpec::Rest => rest.push(&d.allocation),
            }
        }
        if rest.len() > 1 {
            self.diags.push(
                Diagnostic::at(
                    rest[1].span.clone(),
                    "more than one position takes the rest",
                )
                .with_related(rest[0].span.clone(), "the first one")
                .with_help("give all but one of them a weight or an amount"),
            );
            return None;
        }
        let currency = spec
            .portfolio
            .as_ref()
            .map_or("USD", |p| p.currency.as_str());
        let money = |d: Decimal| format_money(Money(d), currency);
        let pct = |d: Decimal| format!("{}%", (d * Decimal::ONE_HUNDRED).normalize());
        let weighted_value = weight_sum * value.value;
        let taken = fixed + weighted_value;
        let leftover = value.value - taken;
        // With amounts in the mix, only money says exactly how far off the total is.
        let in_money = !fixed.is_zero();
        if rest.is_empty() && !leftover.is_zero() {
            let (message, gap) = if in_money {
                (
                    format!(
                        "the positions add up to {}, not the portfolio's value of {}",
                        money(taken),
                        money(value.value)
                    ),
                    money(leftover.abs()),
                )
            } else {
                (
                    format!("the weights add up to {}, not 100%", pct(weight_sum)),
                    pct((Decimal::ONE - weight_sum).abs()),
                )
            };
            let help = if leftover > Decimal::ZERO {
                format!(
                    "add {gap} in total, or give one position weight = \"rest\" to take what is left"
                )
            } else {
                format!("take {gap} off in total, so they add up to the whole portfolio")
            };
            let mut d = Diagnostic::at(drafts[0].allocation.span.clone(), message).with_help(help);
            // Point at every share when there are few enough to read.
            if drafts.len() <= 12 {
                for (i, draft) in drafts.iter().enumerate() {
                    let note = match draft.allocation.value {
                        AllocationSpec::Amount(a) => {
                            let exact = a / value.value;
                            let shown = exact.round_dp(4);
                            if shown.is_zero() {
                                "under 0.01% of the portfolio".to_string()
                            } else if shown == exact {
                                format!("{} of the portfolio", pct(shown))
                            } else {
                                format!("about {} of the portfolio", pct(shown))
                            }
                        }
                        _ => String::new(),
                    };
                    if i == 0 {
                        if !note.is_empty() {
                            d = d.with_label(note);
                        }
                    } else {
                        d = d.with_related(draft.allocation.span.clone(), note);
                    }
                }
            }
            self.diags.push(d);
            return None;
        }
        if !rest.is_empty() && leftover <= Decimal::ZERO {
            let message = if in_money {
                format!(
                    "the other positions already take {} of the portfolio's {}, leaving nothing for the rest",
                    money(taken),
                    money(value.value)
                )
            } else {
                format!(
                    "the other weights already add up to {}, leaving nothing for the rest",
                    pct(weight_sum)
                )
            };
            self.error(
                rest[0].span.clone(),
                message,
                "lower the other weights or amounts, or remove this position",
            );
            return None;
        }
        if !self.diags.is_empty() {
            return None;
        }
        // Whole cents: fixed amounts as given, weights by largest remainder, the rest takes what is left.
        let fixed_cents: Decimal = drafts
            .iter()
            .filter_map(|d| match d.allocation.value {
                AllocationSpec::Amount(a) => Some(Money(a).cents()),
                _ => None,
            })
            .sum();
        let weighted_cents = if rest.is_empty() {
            total_cents - fixed_cents
        } else {
            (weighted_value * Decimal::ONE_HUNDRED).floor()
        };
        let weights: Vec<Decimal> = drafts
            .iter()
            .filter_map(|d| match d.allocation.value {
                AllocationSpec::Weight(w) => Some(w),
                _ => None,
            })
            .collect();
        let mut weighted = split_cents(weighted_cents, &weights).into_iter();
        let rest_cents = total_cents - fixed_cents - weighted_cents;
        let mut out = Vec::with_capacity(drafts.len());
        for d in drafts {
            let cents = match d.allocation.value {
                AllocationSpec::Amount(a) => Money(a).cents(),
                AllocationSpec::Weight(_) => weighted.next().unwrap_or_default(),
                AllocationSpec::Rest => rest_cents,
            };
            if d.position.strategy == Strategy::Index {
                let parts = split_cents(cents, &d.component_weights);
                for (mut c, part) in d.components.into_iter().zip(parts) {
                    c.name = format!("{}: {}", d.position.name, c.name);
                    c.index = Some(d.position.name.clone());
                    c.amount = Money::from_cents(part);
                    out.push(c);
                }
            } else {
                let mut p = d.position;
                p.amount = Money::from_cents(cents);
                out.push(p);
            }
        }
        Some(out)
    }
}

/// "a staking position", "an index position".
fn a_or_an(strategy: Strategy) -> &'static str {
    match strategy {
        Strategy::Index => "an",
        _ => "a",
    }
}

/// A band for messages: "5%", or "3% to 5%".
fn band_text(b: Band) -> String {
    let pct = |r: Rate| format!("{}%", (r.0 * Decimal::ONE_HUNDRED).normalize());
    if b.low == b.high {
        pct(b.low)
    } else {
        format!("{} to {}", pct(b.low), pct(b.high))
    }
}

fn share(part: Rate, whole: Rate) -> Rate {
    if whole.0.is_zero() {
        Rate::ZERO
    } else {
        Rate(part.0 / whole.0)
    }
}

/// The name a position gets when the profile gives none.
pub fn default_name(strategy: Strategy, asset: Option<&str>, pair: Option<&[String; 2]>) -> String {
    match (strategy, asset, pair) {
        (Strategy::Liquidity, _, Some([a, b])) => format!("{a}/{b} liquidity"),
        (s, Some(a), _) => format!("{a} {s}"),
        (s, None, _) => s.name().to_string(),
    }
}

fn nearest_symbol<'a>(word: &str, symbols: impl Iterator<Item = &'a String>) -> Option<&'a str> {
    crate::error::nearest(word, symbols.map(String::as_str))
}

/// Staking method names, re-exported for messages.
pub fn method_name(m: Method) -> &'static str {
    match m {
        Method::Direct => "direct",
        Method::Delegated => "delegated",
        Method::Liquid => "liquid",
    }
}
