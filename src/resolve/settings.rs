//! Portfolio-wide settings: planning assumptions, the income goal and lint
//! settings, with the defaults filled in where the profile gives none.
//!
//! Checks here only need the profile itself (and the list of lint names); they
//! touch no position and compute nothing beyond converting a monthly goal to a
//! yearly one.

use rust_decimal::Decimal;

use super::{
    DEFAULT_EMISSIONS_HAIRCUT, DEFAULT_EMISSIONS_SHARE, DEFAULT_INFLATION,
    DEFAULT_SUSTAINABLE_YIELD, Resolver, did_you_mean,
};
use crate::error::shorten;
use crate::model::{Assumptions, Goal, LintSettings, ReviewSettings};
use crate::money::{Money, Rate};
use crate::profile::{Period, ProfileSpec, Sp};

/// `protocol-concentration` fires above this share of the portfolio in one protocol (a fraction).
const DEFAULT_PROTOCOL_CONCENTRATION: Decimal = Decimal::from_parts(25, 0, 0, false, 2);
/// `chain-concentration` fires above this share of on-chain money on one chain (a fraction).
const DEFAULT_CHAIN_CONCENTRATION: Decimal = Decimal::from_parts(60, 0, 0, false, 2);
/// `defi-heavy` fires above this share of the portfolio on smart contracts (a fraction).
const DEFAULT_DEFI_SHARE: Decimal = Decimal::from_parts(50, 0, 0, false, 2);
/// `locked-liquidity` fires above this share behind long unbonding (a fraction).
const DEFAULT_LOCKED_SHARE: Decimal = Decimal::from_parts(50, 0, 0, false, 2);
/// Unbonding of at least this many days counts as long.
const DEFAULT_LONG_UNBONDING_DAYS: u32 = 14;
/// `stacked-risk` fires for stacks deeper than this many layers...
const DEFAULT_STACK_DEPTH: u32 = 2;
/// ...or whose compounded yearly loss probability is above this fraction.
const DEFAULT_STACKED_LOSS_PROBABILITY: Decimal = Decimal::from_parts(5, 0, 0, false, 2);

/// The profile's `[assumptions]`, with the defaults for what it leaves out.
pub(super) fn assumptions(spec: &ProfileSpec) -> Assumptions {
    let a = &spec.assumptions;
    Assumptions {
        tax_rate: Rate(a.tax_rate.unwrap_or(Decimal::ZERO)),
        inflation: Rate(a.inflation.unwrap_or(DEFAULT_INFLATION)),
        reinvest: Rate(a.reinvest.unwrap_or(Decimal::ZERO)),
        sustainable_yield: Rate(a.sustainable_yield.unwrap_or(DEFAULT_SUSTAINABLE_YIELD)),
        emissions_haircut: Rate(a.emissions_haircut.unwrap_or(DEFAULT_EMISSIONS_HAIRCUT)),
        annual_contribution: Money(a.annual_contribution.unwrap_or(Decimal::ZERO)),
        rebalance: a.rebalance.unwrap_or(crate::model::Rebalance::Yearly),
    }
}

/// The profile's `[lints]` settings, with the defaults for what it leaves out.
pub(super) fn lint_settings(spec: &ProfileSpec) -> LintSettings {
    let l = &spec.lints;
    LintSettings {
        allow: l.allow.iter().map(|s| s.value.clone()).collect(),
        emissions_share: Rate(l.emissions_share.unwrap_or(DEFAULT_EMISSIONS_SHARE)),
        protocol_concentration: Rate(
            l.protocol_concentration
                .unwrap_or(DEFAULT_PROTOCOL_CONCENTRATION),
        ),
        chain_concentration: Rate(l.chain_concentration.unwrap_or(DEFAULT_CHAIN_CONCENTRATION)),
        defi_share: Rate(l.defi_share.unwrap_or(DEFAULT_DEFI_SHARE)),
        locked_share: Rate(l.locked_share.unwrap_or(DEFAULT_LOCKED_SHARE)),
        long_unbonding_days: l.long_unbonding_days.unwrap_or(DEFAULT_LONG_UNBONDING_DAYS),
        stack_depth: l.stack_depth.unwrap_or(DEFAULT_STACK_DEPTH),
        stacked_loss_probability: Rate(
            l.stacked_loss_probability
                .unwrap_or(DEFAULT_STACKED_LOSS_PROBABILITY),
        ),
    }
}

/// The profile's `[review]` thresholds, with the defaults for what it
/// leaves out (1 point or 25% of the APY, 50% of a pool's TVL, 10 points of
/// reward share, a 5-point band).
pub(super) fn review_settings(spec: &ProfileSpec) -> ReviewSettings {
    let r = &spec.review;
    let or = |v: Option<Decimal>, points: i64| Rate(v.unwrap_or_else(|| Decimal::new(points, 2)));
    ReviewSettings {
        apy_drop: or(r.apy_drop, 1),
        apy_drop_relative: or(r.apy_drop_relative, 25),
        tvl_drop: or(r.tvl_drop, 50),
        emissions_up: or(r.emissions_up, 10),
        band: or(r.band, 5),
    }
}

impl Resolver<'_> {
    /// Reports a portfolio value (a currency amount) with fractions of a cent.
    pub(super) fn check_whole_cents(&mut self, value: &Sp<Decimal>) {
        if value.value.scale() > 2 && value.value.normalize().scale() > 2 {
            self.error(
                value.span.clone(),
                "`value` has fractions of a cent",
                "round it to cents",
            );
        }
    }

    /// The income goal as yearly currency amounts (a monthly goal times 12),
    /// reporting an after-tax goal that a 100% tax rate makes unreachable.
    pub(super) fn goal(&mut self, spec: &ProfileSpec, assumptions: &Assumptions) -> Option<Goal> {
        let g = spec.goal.as_ref()?;
        if g.after_tax && assumptions.tax_rate.0 >= Decimal::ONE {
            self.error(
                g.span.clone(),
                "the goal is after tax but `tax_rate` is 100%",
                "lower `tax_rate` in [assumptions]",
            );
        }
        let payouts_per_year: u32 = match g.period {
            Period::Monthly => 12,
            Period::Annual => 1,
        };
        let factor = Decimal::from(payouts_per_year);
        Some(Goal {
            annual_min: Money(g.min * factor),
            annual_max: Money(g.max * factor),
            starts_in_years: g.starts_in_years,
            after_tax: g.after_tax,
            payouts_per_year,
        })
    }

    /// Reports names in `[lints] allow` that are no lint.
    pub(super) fn check_lint_names(&mut self, spec: &ProfileSpec) {
        let lint_names = crate::model::Lint::NAMES;
        for name in &spec.lints.allow {
            if !lint_names.contains(&name.value.as_str()) {
                self.error(
                    name.span.clone(),
                    format!("unknown lint \"{}\" in [lints] allow", shorten(&name.value)),
                    did_you_mean(&name.value, &lint_names, "known lints"),
                );
            }
        }
    }
}
