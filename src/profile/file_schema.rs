//! The JSON Schema of a profile file, for editors (Taplo's `#:schema`
//! directive) and for `yieldplan schema`.
//!
//! The reader is hand-written (it keeps spans and words its own errors), so
//! the schema is derived from a mirror of the file's *shape*: one plain type
//! per table, whose doc comments are the schema's descriptions (with units).
//! A test checks each mirror's keys against the reader's key lists in
//! [`super::keys`], so a key added to the reader without a line here fails
//! the build's tests. Names of closed sets (strategies, methods, pool kinds,
//! lints, rebalancing) come from their one declaration. The schema says what
//! a value may look like; ranges that depend on the form (a percent string's
//! size) and rules across keys (exactly one of `weight` and `amount`) stay
//! the reader's, which words them better. Nothing here reads a profile.
//!
//! This module is built with the tests only (schemars is a dev-dependency, so
//! a release build does not compile it): the program prints the committed
//! copy ([`super::profile_schema`]), and a test here checks the copy is what
//! these types generate.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde_json::{Value, json};

use crate::model::{Lint, Method, PoolKind, Rebalance, Strategy};

use super::optimize_schema::Weight;
use super::schema_values::{Band, Change, Income, Money, Named, Pair, Rate, Share};

/// A yieldplan profile: a portfolio, an optional income goal, and the
/// positions that earn it. Rates are percent strings ("4.5%") or fractions
/// (0.045); amounts are in the portfolio's currency.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields, title = "yieldplan profile")]
#[allow(dead_code)]
pub(super) struct ProfileFile {
    /// The profile's name, shown in reports (default: the file name).
    name: Option<String>,
    /// What the portfolio is worth (required).
    portfolio: PortfolioTable,
    /// The income wanted.
    goal: Option<GoalTable>,
    /// Planning assumptions; each absent one keeps its default.
    assumptions: Option<AssumptionsTable>,
    /// Overrides of the rate book for one asset, by symbol (e.g. [assets.ETH]).
    assets: Option<BTreeMap<String, AssetTable>>,
    /// The positions, in order (at least one).
    #[schemars(length(min = 1))]
    position: Vec<PositionTable>,
    /// Lint thresholds, and lints switched off.
    lints: Option<LintsTable>,
    /// Thresholds of the flags `yieldplan review` raises, and its drift band.
    review: Option<ReviewTable>,
    /// A risk tier's assumptions changed, or a tier added, by tier name.
    risk_tiers: Option<BTreeMap<String, TierTable>>,
    /// A tier for a protocol the rate book lacks (or a different one), by protocol id.
    protocols: Option<BTreeMap<String, ProtocolTable>>,
    /// A staking route's provider fee changed, by method (direct, delegated, liquid).
    staking_methods: Option<BTreeMap<String, MethodTable>>,
    /// Stress scenarios of this profile, beside the built-in ones.
    scenario: Option<Vec<ScenarioTable>>,
    /// Where yields come from beside the rate book.
    rates: Option<RatesTable>,
    /// What `yieldplan optimize` may choose: a strategy template and bounds.
    optimize: Option<super::optimize_schema::OptimizeTable>,
}

/// `[portfolio]`.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct PortfolioTable {
    /// Total value of the portfolio, an amount (above 0, at most 10^15, whole cents).
    value: Money,
    /// Currency code, 1 to 8 letters ("usd" is read as "USD"), for display only (default USD).
    #[schemars(pattern(r"^[A-Za-z]{1,8}$"))]
    currency: Option<String>,
}

/// `[goal]`: exactly one of `monthly_income` and `annual_income`.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct GoalTable {
    /// Income wanted each month: an amount, or { min, max }.
    monthly_income: Option<Income>,
    /// Income wanted each year: an amount, or { min, max }.
    annual_income: Option<Income>,
    /// Years until the income phase begins (0: now; at most 100).
    #[schemars(range(max = 100))]
    starts_in_years: Option<u32>,
    /// The goal is wanted after tax (net of tax_rate).
    after_tax: Option<bool>,
}

/// `[assumptions]`.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct AssumptionsTable {
    /// Tax on yield income, a share (default 0%).
    tax_rate: Option<Share>,
    /// Consumer-price inflation, a rate a year (default 3%).
    inflation: Option<Rate>,
    /// Share of income reinvested (default 0%).
    reinvest: Option<Share>,
    /// A required yield above this rate a year is unsustainable (default 8%).
    sustainable_yield: Option<Rate>,
    /// Share of emissions (reward-token) income that sustainable income ignores (default 50%).
    emissions_haircut: Option<Share>,
    /// Money added each year while accumulating, indexed to inflation: an amount a year.
    annual_contribution: Option<Money>,
    /// Whether the positions are brought back to their weights each year (default yearly).
    rebalance: Option<Named<Rebalance>>,
}

/// `[assets.SYMBOL]`.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct AssetTable {
    /// Expected yearly price change, a rate (for projections).
    expected_return: Option<Change>,
    /// Annual price volatility, a rate.
    volatility: Option<Rate>,
    /// The network's supply inflation, a rate a year.
    inflation: Option<Rate>,
    /// Days to get a stake back (at most 3,650).
    #[schemars(range(max = 3650))]
    unbonding_days: Option<u32>,
    /// The asset is a stablecoin.
    stablecoin: Option<bool>,
    /// Staking yield, a band of rates a year.
    staking_apy: Option<Band>,
    /// Lending yield, a band of rates a year.
    lending_apy: Option<Band>,
}

/// `[[position]]`.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct PositionTable {
    /// A name for reports.
    name: Option<String>,
    /// What the position does.
    strategy: Named<Strategy>,
    /// The asset held, for single-asset strategies (a symbol such as ETH).
    asset: Option<String>,
    /// The two assets of a liquidity pool, e.g. ["ETH", "USDC"].
    pair: Option<Pair<String>>,
    /// The index template an `index` position expands (e.g. large-cap-staking).
    index: Option<String>,
    /// Staking: how the asset is staked.
    method: Option<Named<Method>>,
    /// The protocol the position runs on (e.g. aave).
    protocol: Option<String>,
    /// The chain the position runs on (e.g. ethereum).
    chain: Option<String>,
    /// The position's size as a share of the portfolio, or "rest" (give weight or amount).
    weight: Option<Weight>,
    /// The position's size as an amount of money (give weight or amount).
    amount: Option<Money>,
    /// Base yield, a band of rates a year (default: the rate book's).
    apy: Option<Band>,
    /// Reward-token (emissions) yield, a band of rates a year.
    reward_apy: Option<Band>,
    /// Liquidity: trading-fee yield, a band of rates a year.
    fee_apr: Option<Band>,
    /// Liquidity: the pool's pricing curve.
    pool: Option<Named<PoolKind>>,
    /// Liquidity, concentrated: the price range as multiples of the entry price.
    range: Option<RangeTable>,
    /// Liquidity, weighted: the shares of the pair's first and second asset (adding up to 100%).
    weights: Option<Pair<Share>>,
    /// Liquidity, stable: the StableSwap amplification A (a plain number, 0 to 1,000,000; default 100).
    #[schemars(range(min = 0, max = 1_000_000))]
    amplification: Option<f64>,
    /// Liquidity: the volatility of the pair's price ratio, a rate a year.
    ratio_volatility: Option<Rate>,
    /// Liquidity: the correlation of the pair's prices (-1 to 1).
    #[schemars(range(min = -1, max = 1))]
    correlation: Option<f64>,
    /// Staking: the route's provider fee, a share of rewards.
    provider_fee: Option<Share>,
    /// The protocol's risk tier, overridden for this position.
    risk_tier: Option<String>,
    /// Layers stacked on this position, e.g. lending the token a liquid stake returns.
    stack: Option<Vec<LayerTable>>,
    /// A pool id of the pools snapshot or rate book that gives this position its yield.
    pool_id: Option<String>,
}

/// `[[position.stack]]`.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct LayerTable {
    /// What the layer does with the token (not hold or index).
    strategy: Named<Strategy>,
    /// The token the layer puts to work, if not the one the position returns.
    asset: Option<String>,
    /// The protocol the layer runs on.
    protocol: Option<String>,
    /// The chain the layer runs on.
    chain: Option<String>,
    /// Base yield, a band of rates a year.
    apy: Option<Band>,
    /// Reward-token (emissions) yield, a band of rates a year.
    reward_apy: Option<Band>,
    /// The protocol's risk tier, overridden for this layer.
    risk_tier: Option<String>,
}

/// A concentrated position's `range`.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct RangeTable {
    /// Lower bound, a multiple of the entry price between 0 and 1.
    #[schemars(range(min = 0, max = 1))]
    lower: f64,
    /// Upper bound, a multiple of the entry price above 1.
    #[schemars(range(min = 1))]
    upper: f64,
}

/// `[lints]`.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct LintsTable {
    /// Lints this profile switches off, by name.
    allow: Option<Vec<Named<Lint>>>,
    /// emissions-heavy fires above this reward share (default 50%).
    emissions_share: Option<Share>,
    /// protocol-concentration fires when one protocol holds more than this share (default 25%).
    protocol_concentration: Option<Share>,
    /// chain-concentration fires when one chain holds more than this share of on-chain money (default 60%).
    chain_concentration: Option<Share>,
    /// defi-heavy fires when more than this share depends on DeFi contracts (default 50%).
    defi_share: Option<Share>,
    /// locked-liquidity fires when more than this share sits behind long unbonding (default 50%).
    locked_share: Option<Share>,
    /// Unbonding of at least this many days counts as long (default 14; at most 3,650).
    #[schemars(range(max = 3650))]
    long_unbonding_days: Option<u32>,
    /// stacked-risk fires for stacks of more layers than this (default 2; at most 100)...
    #[schemars(range(max = 100))]
    stack_depth: Option<u32>,
    /// ...or whose compounded yearly loss probability is above this share (default 5%).
    stacked_loss_probability: Option<Share>,
}

/// `[review]`.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct ReviewTable {
    /// apy-drop fires when a position's mid APY falls by more than this many points (default 1%)...
    apy_drop: Option<Share>,
    /// ...or by more than this share of what it was (default 25%).
    apy_drop_relative: Option<Share>,
    /// tvl-drop fires when a pool's TVL falls by more than this share (default 50%).
    tvl_drop: Option<Share>,
    /// emissions-up fires when a position's reward share rises by more than this many points (default 10%).
    emissions_up: Option<Share>,
    /// Drift tolerance: a held weight more than this many points from its target is out of band (default 5%).
    band: Option<Share>,
}

/// `[risk_tiers.NAME]`.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct TierTable {
    /// Yearly probability of a loss event, a share.
    loss_probability: Option<Share>,
    /// Share of the money such an event takes.
    loss_given_event: Option<Share>,
}

/// `[protocols.NAME]`.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct ProtocolTable {
    /// The protocol's risk tier (blue-chip, established, emerging, or a tier of [risk_tiers]).
    tier: String,
}

/// `[staking_methods.NAME]`.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct MethodTable {
    /// The route's provider fee, a share of rewards.
    fee: Share,
}

/// `[[scenario]]`.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct ScenarioTable {
    /// The name the stress report shows.
    name: Option<String>,
    /// Price change per asset, by symbol (e.g. { ETH = "-40%" }).
    prices: Option<BTreeMap<String, Change>>,
    /// Price change of every non-stablecoin asset not named in prices.
    crypto: Option<Change>,
    /// Change of every yield (-50% halves them).
    yields: Option<Change>,
    /// Protocols that suffer a loss event.
    fail: Option<Vec<String>>,
    /// Staked assets are slashed.
    slash: Option<bool>,
}

/// `[rates]`.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct RatesTable {
    /// A saved DefiLlama pools snapshot that positions with a pool_id take their yield from, relative to the profile's folder.
    pools: Option<String>,
}

/// The JSON Schema (draft 7, which editors' TOML tools read) of a profile
/// file, generated from the mirror types, as pretty-printed JSON ending in a
/// line break.
#[must_use]
pub(super) fn generated_schema() -> String {
    let schema = SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<ProfileFile>();
    let mut schema = schema.to_value();
    without_null(&mut schema);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// Takes `null` out of every type the schema allows: TOML has no null, an
/// absent key is the only way to leave an optional value out.
fn without_null(node: &mut Value) {
    match node {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    map.insert("type".into(), only);
                }
            }
            if let Some(Value::Array(choices)) = map.get_mut("anyOf") {
                choices.retain(|c| c != &json!({ "type": "null" }));
                if choices.len() == 1 {
                    let only = choices.remove(0);
                    map.remove("anyOf");
                    map.insert("allOf".into(), json!([only]));
                }
            }
            map.values_mut().for_each(without_null);
        }
        Value::Array(items) => items.iter_mut().for_each(without_null),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::keys;
    use super::*;

    /// The property names of one definition (or of the root) of the schema.
    fn properties(schema: &Value, definition: Option<&str>) -> Vec<String> {
        let node = match definition {
            None => schema,
            Some(d) => &schema["definitions"][d],
        };
        let mut names: Vec<String> = node["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("{definition:?} has no properties"))
            .keys()
            .cloned()
            .collect();
        names.sort();
        names
    }

    fn sorted(keys: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = keys.iter().map(|k| (*k).to_string()).collect();
        v.sort();
        v
    }

    #[test]
    fn the_committed_schema_is_current() {
        let generated = generated_schema();
        if std::env::var_os("UPDATE_SCHEMA").is_some() {
            std::fs::write(super::super::SCHEMA_FILE, &generated).unwrap();
        }
        assert!(
            generated == super::super::profile_schema(),
            "{} is stale: run `UPDATE_SCHEMA=1 cargo test --lib the_committed_schema_is_current`",
            super::super::SCHEMA_FILE
        );
    }

    #[test]
    fn every_table_of_the_schema_has_exactly_the_readers_keys() {
        let schema: Value = serde_json::from_str(&generated_schema()).unwrap();
        let tables: &[(Option<&str>, keys::Keys)] = &[
            (None, keys::TOP_KEYS),
            (Some("PortfolioTable"), keys::PORTFOLIO_KEYS),
            (Some("GoalTable"), keys::GOAL_KEYS),
            (Some("AssumptionsTable"), keys::ASSUMPTION_KEYS),
            (Some("AssetTable"), keys::ASSET_KEYS),
            (Some("PositionTable"), keys::POSITION_KEYS),
            (Some("LayerTable"), keys::LAYER_KEYS),
            (Some("RangeTable"), keys::RANGE_KEYS),
            (Some("BandTable"), keys::BAND_KEYS),
            (Some("IncomeRange"), keys::INCOME_KEYS),
            (Some("LintsTable"), keys::LINT_KEYS),
            (Some("TierTable"), keys::TIER_KEYS),
            (Some("ProtocolTable"), keys::PROTOCOL_KEYS),
            (Some("MethodTable"), keys::METHOD_KEYS),
            (Some("ScenarioTable"), keys::SCENARIO_KEYS),
            (Some("RatesTable"), keys::RATES_KEYS),
        ];
        for (definition, keys) in tables {
            assert_eq!(
                properties(&schema, *definition),
                sorted(keys),
                "{definition:?} differs from the reader's keys"
            );
            let node = definition.map_or(&schema, |d| &schema["definitions"][d]);
            assert_eq!(node["additionalProperties"], json!(false), "{definition:?}");
        }
    }

    #[test]
    fn every_property_is_described() {
        let schema: Value = serde_json::from_str(&generated_schema()).unwrap();
        let mut nodes = vec![&schema];
        nodes.extend(schema["definitions"].as_object().unwrap().values());
        for node in nodes {
            for (key, property) in node["properties"].as_object().into_iter().flatten() {
                assert!(
                    property.get("description").is_some(),
                    "{key} has no description: {property}"
                );
            }
        }
    }

    #[test]
    fn closed_sets_list_their_names() {
        let schema: Value = serde_json::from_str(&generated_schema()).unwrap();
        let strategies: Vec<&str> = schema["definitions"]["Strategy"]["oneOf"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["const"].as_str().unwrap())
            .collect();
        assert_eq!(strategies, Strategy::NAMES);
    }
}
