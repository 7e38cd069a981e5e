//! Words for the program's rows: which bind at the optimum and what
//! relaxing each would give (shadow prices, by solving again with the row one
//! percentage point looser, exact in meaning), and, when no mix fits, which
//! rows conflict and by how much.

use super::problem::{Limit, Objective, Problem, Row, Sense};
use super::report::{Binding, Conflict, Infeasibility};
use super::solve::{elastic, solve};
use crate::engine::floats::{money, rate};
use crate::model::Choices;
use crate::money::format_rate;

/// How close a row's two sides must be to bind, in fractions.
const BIND: f64 = 1e-6;
/// A shadow price is for relaxing a row by this (one percentage point).
const ONE_POINT: f64 = 0.01;

/// A fraction as a percentage for sentences.
fn pct(x: f64) -> String {
    format_rate(rate(x))
}

/// The row in words, with its bound `rhs` (a fraction); `goal` names the
/// goal row ([`Problem::goal_label`]).
#[must_use]
pub fn describe(limit: &Limit, rhs: f64, c: &Choices, chain_cap: f64, goal: &str) -> String {
    match limit {
        Limit::Goal => format!("{goal}: at least {} of the value a year", pct(rhs)),
        Limit::StrategyMin(s) => format!("{s} at least {}", pct(rhs)),
        Limit::StrategyMax(s) => format!("{s} at most {}", pct(rhs)),
        Limit::Protocol(n) => format!("protocol {n} at most {}", pct(rhs)),
        Limit::Chain(n) => format!(
            "chain {n} at most {} of on-chain money",
            pct(chain_cap + rhs)
        ),
        Limit::Defi => format!("DeFi at most {}", pct(rhs)),
        Limit::Locked => format!("long unbonding at most {}", pct(rhs)),
        Limit::PositionMin(j) => format!("\"{}\" at least {}", c.positions[*j].name, pct(rhs)),
        Limit::PositionMax(j) => format!("\"{}\" at most {}", c.positions[*j].name, pct(rhs)),
    }
}

/// The bound a row states, as a fraction (a chain row's is its cap).
fn bound_of(r: &Row, chain_cap: f64) -> f64 {
    match r.limit {
        Limit::Chain(_) => chain_cap + r.rhs,
        _ => r.rhs,
    }
}

/// How much better the objective is after relaxing (a fraction of value):
/// less loss or CVaR, more income.
fn gain(p: &Problem, before: f64, after: f64) -> f64 {
    match p.objective {
        Objective::MaxIncome => after - before,
        Objective::MinRisk | Objective::MinCvar => before - after,
    }
}

/// The rows that bind at `w`, each with its shadow price (money a year).
#[must_use]
pub fn binding(
    p: &Problem,
    w: &[f64],
    objective: f64,
    c: &Choices,
    chain_cap: f64,
) -> Vec<Binding> {
    let mut out = Vec::new();
    for (i, r) in p.rows.iter().enumerate() {
        if (r.lhs(w) - r.rhs).abs() > BIND {
            continue;
        }
        let shadow_price = if r.limit == Limit::Goal {
            None
        } else {
            let mut rows = p.rows.clone();
            rows[i] = r.relaxed(ONE_POINT);
            solve(p, &rows)
                .ok()
                .map(|s| money((gain(p, objective, s.objective) * p.value).max(0.0)).settle())
        };
        out.push(Binding {
            constraint: describe(&r.limit, r.rhs, c, chain_cap, &p.goal_label),
            shadow_price,
        });
    }
    out
}

/// The goal's yield the best mix reaches under `rows` (the goal row left
/// out), or `None` when they have no mix.
fn best_goal_yield(p: &Problem, rows: &[Row]) -> Option<(f64, Vec<f64>)> {
    let mut q = p.clone();
    q.objective = Objective::MaxIncome;
    q.income = p.goal_income.clone();
    q.scenarios = Vec::new();
    solve(&q, rows).ok().map(|s| (s.objective, s.weights))
}

/// Why no mix fits `p`.
#[must_use]
pub fn explain(p: &Problem, c: &Choices, chain_cap: f64) -> Infeasibility {
    let others: Vec<Row> = p
        .rows
        .iter()
        .filter(|r| r.limit != Limit::Goal)
        .cloned()
        .collect();
    let goal = p.rows.iter().find(|r| r.limit == Limit::Goal);
    let words = |r: &Row| describe(&r.limit, r.rhs, c, chain_cap, &p.goal_label);
    let Some(give) = elastic(p, &others, |_| false) else {
        return Infeasibility {
            lines: vec![
                "the fixed weights and amounts cannot add up to 100% with the free positions' bounds (a screened position counts as 0%)".into(),
            ],
            required_yield: goal.map(|g| rate(g.rhs)),
            best_yield: None,
            conflicts: Vec::new(),
        };
    };
    if give.iter().sum::<f64>() > BIND {
        let mut lines =
            vec!["the bounds and caps conflict with each other, before the goal:".into()];
        lines.extend(sum_lines(p, c, chain_cap));
        let mut conflicts = Vec::new();
        for (r, g) in others.iter().zip(&give).filter(|(_, g)| **g > BIND) {
            let needed = bound_of(r, chain_cap)
                + match r.sense {
                    Sense::AtMost => *g,
                    Sense::AtLeast => -*g,
                };
            lines.push(format!("{} would have to be {}", words(r), pct(needed)));
            conflicts.push(Conflict {
                constraint: words(r),
                bound: rate(bound_of(r, chain_cap)),
                needed: Some(rate(needed)),
                reaches: None,
            });
        }
        return Infeasibility {
            lines,
            required_yield: goal.map(|g| rate(g.rhs)),
            best_yield: None,
            conflicts,
        };
    }
    goal_conflicts(p, c, chain_cap, &others, goal)
}

/// Each weight's least and most, from its hard bounds and its own rows.
fn box_of(p: &Problem) -> (Vec<f64>, Vec<f64>) {
    let mut lo = p.lo.clone();
    let mut hi = p.hi.clone();
    for r in &p.rows {
        match r.limit {
            Limit::PositionMin(j) => lo[j] = lo[j].max(r.rhs),
            Limit::PositionMax(j) => hi[j] = hi[j].min(r.rhs),
            _ => {}
        }
    }
    (lo, hi)
}

/// Sentences for conflicts the bounds show by themselves: minimums adding
/// up to more than 100%, maximums to less, and each cap (DeFi, protocol,
/// long unbonding, a strategy's most) that the minimums alone break.
fn sum_lines(p: &Problem, c: &Choices, chain_cap: f64) -> Vec<String> {
    let (lo, hi) = box_of(p);
    let least: f64 = lo.iter().sum();
    let most: f64 = hi.iter().sum();
    let mut out = Vec::new();
    if least > 1.0 + BIND {
        out.push(format!(
            "the weights' minimums (fixed weights and amounts included) add up to {}, more than 100%",
            pct(least)
        ));
    }
    if most < 1.0 - BIND {
        out.push(format!(
            "the weights' maximums add up to {}, less than 100%",
            pct(most)
        ));
    }
    for r in &p.rows {
        let cap = matches!(
            r.limit,
            Limit::Defi | Limit::Protocol(_) | Limit::Locked | Limit::StrategyMax(_)
        );
        if !cap || r.coefs.iter().any(|x| *x < 0.0) {
            continue;
        }
        let at_least = r.lhs(&lo);
        if at_least > r.rhs + BIND {
            out.push(format!(
                "the minimums alone put {} under {}",
                pct(at_least),
                describe(&r.limit, r.rhs, c, chain_cap, &p.goal_label)
            ));
        }
    }
    out
}

/// The goal cannot be met: the best yield under the caps, and for each cap
/// binding there, the bound that would reach the goal.
fn goal_conflicts(
    p: &Problem,
    c: &Choices,
    chain_cap: f64,
    others: &[Row],
    goal: Option<&Row>,
) -> Infeasibility {
    let need = goal.map_or(0.0, |g| g.rhs);
    let words = |r: &Row| describe(&r.limit, r.rhs, c, chain_cap, &p.goal_label);
    let Some((best, w)) = best_goal_yield(p, others) else {
        return Infeasibility {
            lines: vec!["no mix fits (the solver found none)".into()],
            required_yield: Some(rate(need)),
            best_yield: None,
            conflicts: Vec::new(),
        };
    };
    let mut lines = vec![format!(
        "the {} needs {} of the value a year; the best mix under these bounds and caps pays {}",
        p.goal_label,
        pct(need),
        pct(best)
    )];
    let mut conflicts = Vec::new();
    for (i, r) in others.iter().enumerate() {
        if (r.lhs(&w) - r.rhs).abs() > BIND {
            continue;
        }
        let reach = |by: f64| {
            let mut rows = others.to_vec();
            rows[i] = r.relaxed(by);
            best_goal_yield(p, &rows).map_or(f64::NEG_INFINITY, |x| x.0)
        };
        let room = match r.sense {
            Sense::AtMost => 1.0 - bound_of(r, chain_cap),
            Sense::AtLeast => bound_of(r, chain_cap),
        };
        let full = reach(room.max(0.0));
        let needed = if full + 1e-12 >= need {
            // Bisection on the relaxation, to 0.0001 points.
            let (mut lo, mut hi) = (0.0, room.max(0.0));
            while hi - lo > 1e-6 {
                let mid = 0.5 * (lo + hi);
                if reach(mid) + 1e-12 >= need {
                    hi = mid
                } else {
                    lo = mid
                }
            }
            Some(match r.sense {
                Sense::AtMost => bound_of(r, chain_cap) + hi,
                Sense::AtLeast => bound_of(r, chain_cap) - hi,
            })
        } else {
            None
        };
        lines.push(match needed {
            Some(n) => format!("{} → {} would reach the goal", words(r), pct(n)),
            None => format!(
                "relaxing {} alone is not enough (at most {})",
                words(r),
                pct(full)
            ),
        });
        conflicts.push(Conflict {
            constraint: words(r),
            bound: rate(bound_of(r, chain_cap)),
            needed: needed.map(rate),
            reaches: Some(rate(full)),
        });
    }
    if conflicts.iter().all(|c| c.needed.is_none()) {
        // No one constraint stands in the way: say what freeing them all gives.
        let free = best_goal_yield(p, &[]).map_or(best, |x| x.0);
        lines.push(if free + 1e-12 >= need {
            format!(
                "only relaxing several bounds or caps together reaches the goal (with none at all: {})",
                pct(free)
            )
        } else {
            format!(
                "even with no bound or cap the best mix pays {}: the goal needs higher-yielding positions, a larger portfolio or a smaller goal",
                pct(free)
            )
        });
    }
    Infeasibility {
        lines,
        required_yield: Some(rate(need)),
        best_yield: Some(rate(best)),
        conflicts,
    }
}
