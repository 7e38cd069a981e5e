//! Whether a mix on the grid keeps every row of the program, judged from its
//! plan: the plan of the profile written with it (index members split to
//! the cent, amounts, "rest", tax), in exact decimals, with the bounds as
//! the profile and `[lints]` state them. The program's rows are `f64` and
//! its weights were not on the grid, so this is the word that counts.
//! Pure: it reads a plan and changes nothing.

use rust_decimal::Decimal;

use super::problem::{GoalBand, Limit, Problem};
use super::rounding::Rounded;
use crate::engine::floats::float;
use crate::engine::plan_report::PlanReport;
use crate::engine::risk;
use crate::model::{Choices, Portfolio};

/// A row a planned mix breaks.
#[derive(Clone, Debug, PartialEq)]
pub struct Miss {
    /// The row (an index into [`Problem::rows`]).
    pub row: usize,
    /// By how much, in the units of its bound (a share of the portfolio; of
    /// the on-chain money for a chain; a yield for the goal), above zero.
    pub by: f64,
}

/// True when every weight of `mix` is one the profile can hold: fixed ones
/// as written, free ones at zero or more and inside their bounds (a
/// screened position at 0%). Only the balancing position can fail this,
/// when the others, rounded, leave it too little or too much.
#[must_use]
pub fn in_bounds(mix: &Rounded, p: &Problem, c: &Choices) -> bool {
    c.positions
        .iter()
        .zip(&mix.weights)
        .enumerate()
        .all(|(j, (ch, w))| {
            if ch.fixed() {
                return true;
            }
            let hi = if p.hi[j] <= 0.0 {
                Decimal::ZERO
            } else {
                ch.max.0
            };
            *w >= Decimal::ZERO && *w >= ch.min.0 && *w <= hi
        })
}

/// The share `name` has in `view` (zero when absent).
fn share(view: &[risk::Exposure], name: &str) -> Decimal {
    view.iter()
        .find(|e| e.name == name)
        .map_or(Decimal::ZERO, |e| e.share.0)
}

/// The rows of `p` that `plan` (of the portfolio `planned`, sized by `mix`)
/// breaks, the goal at `band`. A cap holds at its threshold, as its lint
/// fires only above it; the goal holds when the band covers its minimum,
/// as the plan's goal status says.
#[must_use]
pub fn misses(
    p: &Problem,
    c: &Choices,
    band: GoalBand,
    mix: &Rounded,
    planned: &Portfolio,
    plan: &PlanReport,
) -> Vec<Miss> {
    let l = &planned.lints;
    let d = &plan.diversification;
    let mut out = Vec::new();
    for (row, r) in p.rows.iter().enumerate() {
        // How far the plan is past the bound (above zero: broken).
        let past = match &r.limit {
            Limit::Goal => planned.goal.as_ref().map_or(Decimal::ZERO, |g| {
                let basis = plan.totals.goal_basis(g);
                let got = match band {
                    GoalBand::Low => basis.low,
                    GoalBand::Mid => basis.mid,
                };
                if planned.value.0.is_zero() {
                    Decimal::ZERO
                } else {
                    (g.annual_min.0 - got.0) / planned.value.0
                }
            }),
            Limit::StrategyMin(s) | Limit::StrategyMax(s) => {
                let held = share(&d.by_strategy, s.name());
                let b = c.strategy_bounds.iter().find(|b| b.strategy == *s);
                match (&r.limit, b) {
                    (Limit::StrategyMin(_), Some(b)) => b.min.0 - held,
                    (_, Some(b)) => held - b.max.0,
                    (_, None) => Decimal::ZERO,
                }
            }
            Limit::Protocol(n) => share(&d.by_protocol, n) - l.protocol_concentration.0,
            Limit::Chain(n) => share(&d.by_chain, n) - l.chain_concentration.0,
            Limit::Defi => d.defi.share.0 - l.defi_share.0,
            Limit::Locked => {
                risk::locked(planned, l.long_unbonding_days)
                    .share_of(planned.value)
                    .0
                    - l.locked_share.0
            }
            Limit::PositionMin(j) => c.positions[*j].min.0 - mix.weights[*j],
            Limit::PositionMax(j) => mix.weights[*j] - c.positions[*j].max.0,
        };
        if past > Decimal::ZERO {
            out.push(Miss {
                row,
                by: float(past).max(f64::MIN_POSITIVE),
            });
        }
    }
    out
}
