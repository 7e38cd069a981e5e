//! The JSON Schema of what a profile says for `yieldplan optimize`: weight
//! bounds and the `[optimize]` table. Beside `file_schema`, which uses it.

use std::borrow::Cow;
use std::collections::BTreeMap;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use super::schema_values::{Named, Share};
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

/// A position's weight: a share, or `"rest"`.
pub(super) struct Weight;

impl JsonSchema for Weight {
    fn schema_name() -> Cow<'static, str> {
        "Weight".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A share of the portfolio above 0% and at most 100% (\"30%\" or 0.3), \"rest\" for what the other positions leave, or { min, max } for `yieldplan optimize` to choose.",
            "anyOf": [
                generator.subschema_for::<Share>(),
                { "const": "rest" },
                generator.subschema_for::<Bounds>()
            ]
        })
    }
}
