//! The keys a profile may hold, table by table, and what to say about the others.
//!
//! Each table of the format has a closed list of keys. A key not in its list
//! is reported with the nearest valid key, or with the table it belongs in
//! when it is a valid key written under the wrong header. This file knows no
//! values: it never reads what a key is set to.

use std::fmt;

use toml::de::DeTable;

use super::reader::Reader;
use crate::error::{nearest, shorten};

/// A closed list of key names.
pub(super) type Keys = &'static [&'static str];

/// Keys at the top of the file, outside any table.
pub(super) const TOP_KEYS: Keys = &[
    "name",
    "portfolio",
    "goal",
    "assumptions",
    "assets",
    "position",
    "lints",
    "risk_tiers",
    "protocols",
    "staking_methods",
    "scenario",
    "rates",
    "review",
    "optimize",
];
/// Keys of `[review]`: the thresholds of `yieldplan review`'s flags.
pub(super) const REVIEW_KEYS: Keys = &[
    "apy_drop",
    "apy_drop_relative",
    "tvl_drop",
    "emissions_up",
    "band",
];
/// Keys of `[optimize]`.
pub(super) const OPTIMIZE_KEYS: Keys = &["template", "bounds"];
/// Keys of weight bounds, `{ min, max }`.
pub(super) const BOUND_KEYS: Keys = &["min", "max"];
/// Keys of `[rates]`.
pub(super) const RATES_KEYS: Keys = &["pools"];
/// Keys of one `[risk_tiers.NAME]`.
pub(super) const TIER_KEYS: Keys = &["loss_probability", "loss_given_event"];
/// Keys of one `[protocols.NAME]`.
pub(super) const PROTOCOL_KEYS: Keys = &["tier"];
/// Keys of one `[staking_methods.NAME]`.
pub(super) const METHOD_KEYS: Keys = &["fee"];
/// Keys of one `[[scenario]]`.
pub(super) const SCENARIO_KEYS: Keys = &["name", "prices", "crypto", "yields", "fail", "slash"];
/// Keys of one `[[position.stack]]` layer.
pub(super) const LAYER_KEYS: Keys = &[
    "strategy",
    "asset",
    "protocol",
    "chain",
    "apy",
    "reward_apy",
    "risk_tier",
];
/// Keys of `[portfolio]`.
pub(super) const PORTFOLIO_KEYS: Keys = &["value", "currency"];
/// Keys of `[goal]`.
pub(super) const GOAL_KEYS: Keys = &[
    "monthly_income",
    "annual_income",
    "starts_in_years",
    "after_tax",
];
/// Keys of `[assumptions]`.
pub(super) const ASSUMPTION_KEYS: Keys = &[
    "tax_rate",
    "inflation",
    "reinvest",
    "sustainable_yield",
    "emissions_haircut",
    "annual_contribution",
    "rebalance",
];
/// Keys of one `[assets.SYMBOL]`.
pub(super) const ASSET_KEYS: Keys = &[
    "expected_return",
    "volatility",
    "inflation",
    "unbonding_days",
    "stablecoin",
    "staking_apy",
    "lending_apy",
];
/// Keys of one `[[position]]`.
pub(super) const POSITION_KEYS: Keys = &[
    "name",
    "strategy",
    "asset",
    "pair",
    "index",
    "method",
    "protocol",
    "chain",
    "weight",
    "amount",
    "apy",
    "reward_apy",
    "fee_apr",
    "pool",
    "range",
    "weights",
    "amplification",
    "ratio_volatility",
    "correlation",
    "provider_fee",
    "risk_tier",
    "stack",
    "pool_id",
];
/// Keys of a yield band written as a table, `{ low, mid, high }`.
pub(super) const BAND_KEYS: Keys = &["low", "mid", "high"];
/// Keys of a liquidity `range`.
pub(super) const RANGE_KEYS: Keys = &["lower", "upper"];
/// Keys of an income written as a table, `{ min, max }`.
pub(super) const INCOME_KEYS: Keys = &["min", "max"];
/// Keys of `[lints]`.
pub(super) const LINT_KEYS: Keys = &[
    "allow",
    "emissions_share",
    "protocol_concentration",
    "chain_concentration",
    "defi_share",
    "locked_share",
    "long_unbonding_days",
    "stack_depth",
    "stacked_loss_probability",
];

/// Where each key of the format lives, to point a key written in the wrong
/// table to its home. Position keys come last: `name` is a top-level key first.
const HOMES: &[(Keys, &str)] = &[
    (
        &["name"],
        "at the top of the file, before any [table] header",
    ),
    (PORTFOLIO_KEYS, "under [portfolio]"),
    (GOAL_KEYS, "under [goal]"),
    (ASSUMPTION_KEYS, "under [assumptions]"),
    (LINT_KEYS, "under [lints]"),
    (POSITION_KEYS, "in a [[position]]"),
];

impl Reader {
    /// Reports keys of `table` not in `known`, suggesting the nearest valid one
    /// or the table the key belongs in. Returns the keys suggested, so a missing
    /// key that was only misspelt is not reported a second time.
    pub(super) fn check_keys(
        &mut self,
        table: &DeTable<'_>,
        known: Keys,
        context: &(impl fmt::Display + ?Sized),
    ) -> Vec<&'static str> {
        let mut suggested = Vec::new();
        for (key, _) in table {
            let name = key.get_ref().as_ref();
            if known.contains(&name) {
                continue;
            }
            let home = HOMES
                .iter()
                .find_map(|(keys, home)| keys.iter().find(|k| **k == name).map(|k| (*k, *home)));
            if let Some((key, _)) = home {
                self.misplaced.push(key);
            }
            let home = home.map(|(_, home)| home);
            let help = match (home, nearest(name, known.iter().copied())) {
                (Some(home), _) => format!(
                    "`{name}` belongs {home}; move it there (keys after a [table] header belong to that table)"
                ),
                (None, Some(n)) => {
                    suggested.push(n);
                    format!("did you mean `{n}`?")
                }
                (None, None) => format!("valid keys here: {}", known.join(", ")),
            };
            self.error(
                key.span(),
                format!("unknown key `{}` in {context}", shorten(name)),
                help,
            );
        }
        suggested
    }
}
