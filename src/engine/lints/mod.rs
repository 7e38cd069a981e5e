//! Which lints fire for a plan.
//!
//! Each rule reads the portfolio and its computed plan and pushes the
//! [`Warning`]s it finds; rules never change either. The catalogue (names,
//! severities, summaries) lives in [`super::lint_catalogue`] and is
//! re-exported here. A profile can switch a lint off with
//! `[lints] allow = [...]` and tune thresholds there. Rules are grouped by
//! family, one file each:
//!
//! - `sustainability`: screened yields, emissions, real staking yield;
//! - `impermanent_loss`: pools whose expected loss beats their fees;
//! - `goal`: the goal's required yield and income status;
//! - `exposure`: concentration, DeFi share, lock-ups and stacking;
//! - `template`: the seed allocation template.

mod exposure;
mod goal;
mod impermanent_loss;
mod sustainability;
mod template;

pub use super::lint_catalogue::{Lint, Severity, Warning};
pub use template::TEMPLATE;

use super::plan_report::PlanReport;
use crate::model::Portfolio;

/// All lints that fire for a plan, minus those the profile allows, in the
/// order reports show them.
#[must_use]
pub fn lint(p: &Portfolio, r: &PlanReport) -> Vec<Warning> {
    let mut out = Vec::new();
    sustainability::screened(r, &mut out);
    sustainability::emissions_heavy(p, r, &mut out);
    impermanent_loss::il_exceeds_fees(r, &mut out);
    goal::goal_warnings(p, r, &mut out);
    sustainability::real_yield_negative(r, &mut out);
    exposure::concentration(p, r, &mut out);
    exposure::locked_liquidity(p, &mut out);
    exposure::stacked_risk(p, r, &mut out);
    out.extend(template::template_warning(r));
    out.retain(|w| !p.lints.allow.iter().any(|a| a == w.lint.name()));
    out
}
