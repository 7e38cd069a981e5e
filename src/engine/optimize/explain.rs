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

/// A fraction as a percentage with the digits it has (two to six places).
fn precise(x: f64) -> String {
    let s = format!("{:.6}", x * 100.0);
    let s = s.trim_end_matches('0');
    let places = s.split_once('.').map_or(0, |(_, f)| f.len());
    let s = if places < 2 {
        format!("{:.2}", x * 100.0)
    } else {
        s.to_string()
    };
    format!("{s}%")
}

/// The row in words, with its bound `rhs` (a fraction); `goal` names the
/// goal row ([`Problem::goal_label`]).
#[must_use]
pub fn describe(limit: &Limit, rhs: f64, c: &Choices, chain_cap: f64, goal: &str) -> String {
    describe_with(limit, rhs, c, chain_cap, goal, pct)
}

/// As [`describe`], each percentage written by `pct`.
fn describe_with(
    limit: &Limit,
    rhs: f64,
    c: &Choices,
    chain_cap: f64,
    goal: &str,
    pct: fn(f64) -> String,
) -> String {
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

/// The rows of `p` that bind at `w`, each with its shadow price (money a
/// year), in words with their bounds as `written` (the same rows before any
/// was tightened to keep a rounded mix inside them).
#[must_use]
pub fn binding(
    p: &Problem,
    written: &[Row],
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
        let as_written = written.get(i).unwrap_or(r);
        out.push(Binding {
            constraint: describe(
                &as_written.limit,
                as_written.rhs,
                c,
                chain_cap,
                &p.goal_label,
            ),
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
    let Some((give, mix)) = elastic(p, &others, |_| false) else {
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
            let needed = needed_share(r, *g, &mix, chain_cap);
            lines.push(match needed {
                Some(n) => format!("{} would have to be {}", words(r), pct(n)),
                None => format!("{} cannot hold", words(r)),
            });
            conflicts.push(Conflict {
                constraint: words(r),
                bound: rate(bound_of(r, chain_cap)),
                needed: needed.map(rate),
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

/// The bound row `r` would need for the mix `w` of the elastic solve, in
/// which it gives `g` (a share of the whole value), on the base the row is
/// written on: a share of the value, or for a chain's cap the chain's share
/// of the on-chain money at `w` (so a chain holding all the on-chain money
/// needs 100%, whatever is held off-chain). `None` when that base is empty.
fn needed_share(r: &Row, g: f64, w: &[f64], chain_cap: f64) -> Option<f64> {
    if r.part.is_empty() {
        return Some(
            bound_of(r, chain_cap)
                + match r.sense {
                    Sense::AtMost => g,
                    Sense::AtLeast => -g,
                },
        );
    }
    let base: f64 = r.part.iter().zip(w).map(|(p, x)| p * x).sum();
    // The row's left side is the chain's money less the cap's share of the
    // on-chain money; the chain's money is that plus the cap's share.
    (base > BIND).then(|| ((r.lhs(w) + chain_cap * base) / base).clamp(0.0, 1.0))
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

/// Why no mix a profile can hold fits, though one between the grid's steps
/// does: `rows` (indexes into `p.rows`, from `grid::conflict`) together
/// leave the 0.01% grid no mix; `w` is the solver's mix off the grid.
#[must_use]
pub fn off_grid(
    p: &Problem,
    c: &Choices,
    chain_cap: f64,
    rows: &[usize],
    w: &[f64],
) -> Infeasibility {
    let words = |r: &Row| describe_with(&r.limit, r.rhs, c, chain_cap, &p.goal_label, precise);
    let named: Vec<String> = rows.iter().map(|i| words(&p.rows[*i])).collect();
    let mut lines = vec![format!(
        "weights are written in 0.01% steps (or at a range's own ends), and no such mix meets {}: {}",
        if named.len() == 1 {
            "this"
        } else {
            "these together"
        },
        named.join("; ")
    )];
    // The free weights those rows involve, where the solver put them.
    let involved: Vec<String> = c
        .positions
        .iter()
        .enumerate()
        .filter(|(j, ch)| {
            !ch.fixed()
                && rows.iter().any(|i| p.rows[*i].coefs[*j] != 0.0)
                && (w[*j] * 1e4 - (w[*j] * 1e4).round()).abs() > 1e-6
        })
        .map(|(j, ch)| format!("\"{}\" at {}", ch.name, precise(w[j])))
        .collect();
    if !involved.is_empty() {
        lines.push(format!(
            "the best mix between the steps puts {}",
            involved.join(", ")
        ));
    }
    lines.push(
        "loosen one of them a little (a bound, a cap under [lints], the goal), or let more positions move, and run again"
            .into(),
    );
    rows_conflict(p, rows, lines, &words, chain_cap)
}

/// Why the search over the grid settled nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unsettled {
    /// It ran out of nodes before finding a mix or ruling one out.
    OutOfNodes,
    /// The mix it found is not one a profile can hold (a weight worth less
    /// than a cent).
    Refused,
    /// Its mixes, planned exactly, kept breaking these rows (indexes into
    /// the program's).
    Missed(Vec<usize>),
}

/// The infeasibility of rows `rows` of `p` (indexes into its rows), said
/// by `lines`, each row named by `words`.
fn rows_conflict(
    p: &Problem,
    rows: &[usize],
    lines: Vec<String>,
    words: &dyn Fn(&Row) -> String,
    chain_cap: f64,
) -> Infeasibility {
    Infeasibility {
        lines,
        required_yield: p
            .rows
            .iter()
            .find(|r| r.limit == Limit::Goal)
            .map(|g| rate(g.rhs)),
        best_yield: None,
        conflicts: rows
            .iter()
            .map(|i| {
                let r = &p.rows[*i];
                Conflict {
                    constraint: words(r),
                    bound: rate(bound_of(r, chain_cap)),
                    needed: None,
                    reaches: None,
                }
            })
            .collect(),
    }
}

/// Why no mix a profile can hold fits when the grid search could not
/// settle it.
#[must_use]
pub fn unsettled(p: &Problem, c: &Choices, chain_cap: f64, how: &Unsettled) -> Infeasibility {
    let words = |r: &Row| describe_with(&r.limit, r.rhs, c, chain_cap, &p.goal_label, precise);
    let missed: &[usize] = match how {
        Unsettled::Missed(rows) => rows,
        _ => &[],
    };
    let lines = match how {
        Unsettled::OutOfNodes => vec![
            "a mix meets every constraint only between the 0.01% steps weights are written in, and the search for one on the steps ran out of room before finding one or ruling it out".into(),
            "let more positions move, or loosen a bound or cap a little, and run again".into(),
        ],
        Unsettled::Refused => vec![
            "a mix meets every constraint only between the 0.01% steps weights are written in, and the one found on the steps gives a position less than a cent, which a profile cannot hold".into(),
            "raise the portfolio's value, or loosen a bound or cap a little, and run again".into(),
        ],
        Unsettled::Missed(_) => {
            let named: Vec<String> = missed.iter().map(|i| words(&p.rows[*i])).collect();
            vec![
                format!(
                    "the mixes on the 0.01% steps that meet the program's constraints break {} once planned exactly (amounts split to the cent)",
                    named.join("; ")
                ),
                "loosen it a little and run again".into(),
            ]
        }
    };
    rows_conflict(p, missed, lines, &words, chain_cap)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Choice;
    use crate::money::Rate;
    use rust_decimal::Decimal;

    fn free() -> Choice {
        Choice {
            name: "x".into(),
            current: None,
            min: Rate(Decimal::ZERO),
            max: Rate(Decimal::ONE),
            members: vec![(0, Rate(Decimal::ONE))],
            rest: false,
            amount: false,
        }
    }

    #[test]
    fn a_row_tightened_for_rounding_is_named_with_its_bound_as_written() {
        // The most income puts the DeFi position at the cap; the cap was
        // tightened by 0.01 point to keep a rounded mix under it.
        let c = Choices {
            positions: vec![free(), free()],
            strategy_bounds: Vec::new(),
            all_free: true,
        };
        let written = vec![Row {
            limit: Limit::Defi,
            coefs: vec![1.0, 0.0],
            sense: Sense::AtMost,
            rhs: 0.5,
            part: Vec::new(),
        }];
        let p = Problem {
            value: 1000.0,
            lo: vec![0.0, 0.0],
            hi: vec![1.0, 1.0],
            rows: vec![written[0].relaxed(-0.0001)],
            risk: vec![0.0, 0.0],
            income: vec![0.1, 0.0],
            goal_income: vec![0.0, 0.0],
            objective: Objective::MaxIncome,
            scenarios: Vec::new(),
            beta: 0.95,
            goal_label: "income goal".into(),
        };
        let s = solve(&p, &p.rows).unwrap();
        assert!((s.weights[0] - 0.4999).abs() < 1e-9);
        let b = binding(&p, &written, &s.weights, s.objective, &c, 0.6);
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].constraint, "DeFi at most 50.00%");
        // One point more room: 1% of 1,000 moved to the 10% position.
        assert_eq!(b[0].shadow_price.unwrap().0, Decimal::ONE);
    }

    #[test]
    fn bounds_off_the_grid_are_named_to_the_digit() {
        assert_eq!(precise(0.007_186), "0.7186%");
        assert_eq!(precise(0.6), "60.00%");
        assert_eq!(precise(0.333_333_333), "33.333333%");
    }
}
