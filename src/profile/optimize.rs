//! What a profile lets `yieldplan optimize` choose: a position's weight
//! written as bounds (`weight = { min = "5%", max = "20%" }`) and the
//! `[optimize]` table (a strategy `template` and `[optimize.bounds]`).
//! Other commands read these too, and refuse to plan a weight that is still
//! a range (that is `resolve`'s to say).

use std::fmt;

use rust_decimal::Decimal;
use toml::de::{DeTable, DeValue};

use super::keys::{BOUND_KEYS, OPTIMIZE_KEYS};
use super::reader::{Reader, Val, get};
use super::values::percent;
use super::{AllocationSpec, OptimizeSpec, Sp};
use crate::model::{Strategy, StrategyBound, Template};
use crate::money::Rate;

impl Reader {
    /// `weight = { min, max }` of a position: either may be left out (0% and
    /// 100%), `min` may not be above `max`.
    pub(super) fn weight_bounds(
        &mut self,
        t: &DeTable<'_>,
        v: &Val<'_>,
        context: &str,
    ) -> Option<Sp<AllocationSpec>> {
        let what = format!("`weight` of {context}");
        let (min, max) = self.bounds(t, v, &what)?;
        Some(Sp::new(AllocationSpec::Bounds { min, max }, v.span()))
    }

    /// A `{ min, max }` table of shares (fractions from 0 to 1): either may be
    /// left out (0% and 100%), `min` may not be above `max`.
    fn bounds(
        &mut self,
        t: &DeTable<'_>,
        v: &Val<'_>,
        what: &(impl fmt::Display + ?Sized),
    ) -> Option<(Decimal, Decimal)> {
        let before = self.problem_count();
        self.check_keys(t, BOUND_KEYS, what);
        let min = get(t, "min").map(|x| self.share(x, &format_args!("`min` of {what}")));
        let max = get(t, "max").map(|x| self.share(x, &format_args!("`max` of {what}")));
        if min.is_none() && max.is_none() {
            self.error(
                v.span(),
                format!("{what} has neither `min` nor `max`"),
                "write { min = \"5%\", max = \"20%\" }",
            );
            return None;
        }
        let min = min.unwrap_or(Some(Decimal::ZERO))?;
        let max = max.unwrap_or(Some(Decimal::ONE))?;
        if self.problem_count() > before {
            return None;
        }
        if min > max {
            self.error(
                v.span(),
                format!(
                    "{what} has `min` ({}) above `max` ({})",
                    percent(min),
                    percent(max)
                ),
                "swap the two figures",
            );
            return None;
        }
        Some((min, max))
    }

    /// `[optimize]`: a strategy `template` and `[optimize.bounds]`.
    pub(super) fn optimize(&mut self, v: &Val<'_>) -> OptimizeSpec {
        let mut spec = OptimizeSpec::default();
        let Some(t) = self.table(v, "[optimize]", "write [optimize] on its own line") else {
            return spec;
        };
        self.check_keys(t, OPTIMIZE_KEYS, "[optimize]");
        if let Some(x) = get(t, "template") {
            spec.template = self.word(
                x,
                "[optimize]",
                "template",
                "template",
                &Template::NAMES,
                Template::parse,
            );
        }
        if let Some(x) = get(t, "bounds") {
            spec.bounds = self.strategy_bounds(x);
        }
        spec
    }

    /// `[optimize.bounds]`: `STRATEGY = { min, max }`, one per strategy.
    fn strategy_bounds(&mut self, v: &Val<'_>) -> Vec<Sp<StrategyBound>> {
        let help =
            "write [optimize.bounds] with lines such as staking = { min = \"40%\", max = \"50%\" }";
        let Some(t) = self.table(v, "[optimize.bounds]", help) else {
            return Vec::new();
        };
        let allowed: Vec<&str> = Strategy::ALL
            .iter()
            .filter(|s| **s != Strategy::Index)
            .map(|s| s.name())
            .collect();
        let mut out = Vec::new();
        for (key, x) in t {
            let name = key.get_ref().as_ref();
            let Some(strategy) = Strategy::parse(name).filter(|s| *s != Strategy::Index) else {
                let hint = match crate::error::nearest(name, allowed.iter().copied()) {
                    Some(n) => format!("did you mean `{n}`?"),
                    None => format!("bounds are per strategy: {}", allowed.join(", ")),
                };
                self.error(
                    key.span(),
                    format!(
                        "unknown strategy `{}` in [optimize.bounds]",
                        crate::error::shorten(name)
                    ),
                    hint,
                );
                continue;
            };
            let what = format!("`{name}` in [optimize.bounds]");
            let DeValue::Table(bt) = x.get_ref() else {
                self.wrong_type(
                    x,
                    &what,
                    "a table",
                    "write { min = \"40%\", max = \"50%\" }",
                );
                continue;
            };
            if let Some((min, max)) = self.bounds(bt, x, &what) {
                out.push(Sp::new(
                    StrategyBound::new(strategy, Rate(min), Rate(max)),
                    x.span(),
                ));
            }
        }
        out
    }
}
