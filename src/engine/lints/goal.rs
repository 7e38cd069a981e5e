//! Goal lints: a required yield above the sustainable ceiling, and income
//! that misses or barely meets the minimum goal. Reads the plan only.

use rust_decimal::Decimal;

use super::{Lint, Warning};
use crate::engine::plan_report::{PlanReport, Status};
use crate::model::Portfolio;
use crate::money::{Money, format_money, format_rate};

/// `required-yield-unsustainable`, then `income-shortfall` or
/// `income-at-risk`, for a portfolio with a goal.
pub(super) fn goal_warnings(p: &Portfolio, r: &PlanReport, out: &mut Vec<Warning>) {
    let (Some(g), Some(goal)) = (&p.goal, &r.goal) else {
        return;
    };
    let money = |m: Money| format_money(m, &p.currency);
    if goal.required_yield > goal.ceiling {
        let needed = Money(goal.annual_target.min.0 / goal.ceiling.0.max(Decimal::new(1, 6)));
        out.push(Warning::new(
            Lint::RequiredYieldUnsustainable,
            None,
            format!(
                "the goal needs a yield of {} a year, above the {} sustainable ceiling; lower the goal, add capital (a portfolio of about {} would do at the ceiling{}, {} more than today), or start the income later",
                format_rate(goal.required_yield),
                format_rate(goal.ceiling),
                money(needed.settle()),
                if g.after_tax { ", before tax" } else { "" },
                money(Money(needed.0 - p.value.0).settle())
            ),
        ));
    }
    let basis = r.totals.goal_basis(g);
    let what = if g.after_tax {
        "after-tax income"
    } else {
        "income"
    };
    match goal.status {
        Status::AtRisk | Status::Short => out.push(Warning::new(
            Lint::IncomeShortfall,
            None,
            format!(
                "expected {what} of {} a year (mid) misses the minimum goal of {} by {}; raise the yield with sustainable sources, add capital, or lower the goal",
                money(basis.mid),
                money(goal.annual_target.min),
                money(goal.gap)
            ),
        )),
        Status::Likely => out.push(Warning::new(
            Lint::IncomeAtRisk,
            None,
            format!(
                "the mid band meets the goal but the low band ({} a year) falls {} short; keep a cash buffer for lean years or shift toward steadier yields",
                money(basis.low),
                money(goal.annual_target.min - basis.low)
            ),
        )),
        Status::Meets => {}
    }
}
