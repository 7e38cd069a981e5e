//! The liquidity-pool lint: expected impermanent loss larger than the fees.
//! Reads the plan only; changes nothing.

use super::{Lint, Warning};
use crate::engine::plan_report::PlanReport;
use crate::model::PoolKind;
use crate::money::{Rate, format_rate};

/// `il-exceeds-fees`: unscreened pools whose expected one-year loss (a
/// fraction) is larger than their mid fee APR.
pub(super) fn il_exceeds_fees(r: &PlanReport, out: &mut Vec<Warning>) {
    for pos in &r.positions {
        let (Some(l), Some(il)) = (&pos.liquidity, pos.expected_il) else {
            continue;
        };
        if pos.screened || -il.0 <= l.fee_apr.mid.0 {
            continue;
        }
        let fix = match l.pool {
            PoolKind::Concentrated => {
                "widen the range, choose a more correlated pair, or allocate less"
            }
            PoolKind::Stable => "check that both coins hold their peg, or allocate less",
            _ => {
                "choose a correlated pair (a token and its staking derivative, two stablecoins), a concentrated range only with fees to match, or allocate less"
            }
        };
        out.push(Warning::new(
            Lint::IlExceedsFees,
            Some(&pos.name),
            format!(
                "{}: expected impermanent loss of {} a year (ratio volatility {}) is larger than its fee income of {} (mid), so the fees do not pay for the loss; {fix}",
                pos.name,
                format_rate(Rate(-il.0)),
                format_rate(l.ratio_volatility),
                format_rate(l.fee_apr.mid)
            ),
        ));
    }
}
