//! The JSON Schema of what a profile says for `yieldplan optimize`: weight
//! bounds and the `[optimize]` table. Beside `file_schema`, which uses it.

use std::collections::BTreeMap;

use schemars::JsonSchema;

use super::file_schema::{Named, Share};
use crate::model::Template;

/// A weight `optimize` chooses, from `min` to `max` (each 0% to 100%;
/// `min` defaults to 0%, `max` to 100%).
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
pub(super) struct Bounds {
    /// The least share.
    min: Option<Share>,
    /// The most share.
    max: Option<Share>,
}

/// `[optimize]`.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
pub(super) struct OptimizeTable {
    /// Strategy bounds from a shipped template ("income": staking 40-50%,
    /// lending 30-40%, liquidity 10-20%, farming 0-10%).
    template: Option<Named<Template>>,
    /// Bounds per strategy (staking, lending, liquidity, farming, hold),
    /// replacing the template's for that strategy.
    bounds: Option<BTreeMap<String, Bounds>>,
}
