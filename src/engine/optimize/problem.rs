//! The linear program `optimize` solves, built from a resolved portfolio and
//! its [`Choices`].
//!
//! One variable per profile position: its weight, a fraction of the
//! portfolio. A resolved position's figures (yield, risk, exposure) are
//! per unit of money, so every figure of the portfolio is linear in the
//! weights: an index position's figure is its components' figures times
//! their shares. Rows are named by what they limit ([`Limit`]), so a report
//! can say which bind and what relaxing each would give. Pure: no solving
//! here, only coefficients.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::engine::floats::float;
use crate::engine::plan::{SCREEN_ABOVE, expected_il};
use crate::engine::{payout, risk};
use crate::model::{Band, Choices, Lint, Portfolio, Position, Strategy};

crate::names::closed_set! {
    /// What the optimizer aims at.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
    #[serde(rename_all = "kebab-case")]
    pub enum Objective {
        /// Least expected annual loss: protocol risk plus expected impermanent loss.
        MinRisk = "min-risk",
        /// Most risk-adjusted sustainable income a year.
        MaxIncome = "max-income",
        /// Least 95% CVaR of the one-year change in value, over scenarios.
        MinCvar = "min-cvar",
    }
}

crate::names::closed_set! {
    /// Which end of the yield bands the income goal must be met at.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
    #[serde(rename_all = "kebab-case")]
    pub enum GoalBand {
        /// The low band: the plan's goal status is `meets`.
        Low = "low",
        /// The mid band: the status is at least `likely`.
        Mid = "mid",
    }
}

/// What a row of the program limits.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Limit {
    /// The income goal, after tax when the goal is, at the chosen band.
    Goal,
    /// The least share of a strategy (`[optimize]`).
    StrategyMin(Strategy),
    /// The most share of a strategy (`[optimize]`).
    StrategyMax(Strategy),
    /// The `protocol-concentration` cap on one protocol.
    Protocol(String),
    /// The `chain-concentration` cap on one chain's share of on-chain money.
    Chain(String),
    /// The `defi-heavy` cap on money in `DeFi` contracts.
    Defi,
    /// The `locked-liquidity` cap on money behind long unbonding.
    Locked,
    /// The least weight of a position (index into the choices).
    PositionMin(usize),
    /// The most weight of a position (index into the choices).
    PositionMax(usize),
}

/// Which way a row holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sense {
    /// `coefs · w ≤ rhs`.
    AtMost,
    /// `coefs · w ≥ rhs`.
    AtLeast,
}

/// One linear constraint over the weights.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// What it limits.
    pub limit: Limit,
    /// One coefficient per choice.
    pub coefs: Vec<f64>,
    /// Which way it holds.
    pub sense: Sense,
    /// Its right-hand side: a share of the portfolio, or for the goal a
    /// yield (fractions).
    pub rhs: f64,
    /// For a cap on a share of part of the portfolio (a chain's share of the
    /// on-chain money), per choice the part's weight: raising the cap by `x`
    /// takes `x` times it off the coefficients. Empty for the other rows,
    /// whose bound moves on the right-hand side.
    pub part: Vec<f64>,
}

impl Row {
    /// The row with its bound moved by `by` (a fraction) in the direction
    /// that relaxes it.
    #[must_use]
    pub fn relaxed(&self, by: f64) -> Row {
        let mut r = self.clone();
        if self.part.is_empty() {
            r.rhs += match self.sense {
                Sense::AtMost => by,
                Sense::AtLeast => -by,
            };
        } else {
            for (c, part) in r.coefs.iter_mut().zip(&self.part) {
                *c -= by * part;
            }
        }
        r
    }

    /// `coefs · w`.
    #[must_use]
    pub fn lhs(&self, w: &[f64]) -> f64 {
        self.coefs.iter().zip(w).map(|(c, x)| c * x).sum()
    }
}

/// The program: bounds, rows, objective coefficients and scenarios.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// The portfolio's value, in its currency (objectives in money are
    /// these fractions times it).
    pub value: f64,
    /// Each weight's hard lower and upper bound (fixed positions: equal;
    /// screened free positions: 0).
    pub lo: Vec<f64>,
    /// See `lo`.
    pub hi: Vec<f64>,
    /// The named rows (the weights adding up to 1 is implied).
    pub rows: Vec<Row>,
    /// Per choice: expected annual loss per unit weight (protocol expected
    /// loss plus expected IL cost), a fraction.
    pub risk: Vec<f64>,
    /// Per choice: risk-adjusted sustainable income per unit weight (mid
    /// band, before tax), a fraction.
    pub income: Vec<f64>,
    /// Per choice: the goal's income per unit weight at the band (after tax
    /// when the goal is), a fraction; zero without a goal.
    pub goal_income: Vec<f64>,
    /// The objective.
    pub objective: Objective,
    /// One-year returns per scenario and choice (fractions), for min-CVaR.
    pub scenarios: Vec<Vec<f64>>,
    /// The CVaR level (0.95).
    pub beta: f64,
    /// How the goal row reads: what income, at which band.
    pub goal_label: String,
}

/// Per unit of money in one resolved position: (risk, income, goal income).
fn unit_figures(p: &Portfolio, pos: &Position, band: GoalBand) -> (f64, f64, f64) {
    let screened = pos.apy.mid.0 > SCREEN_ABOVE;
    let il = pos
        .liquidity
        .as_ref()
        .map_or(0.0, |l| float(expected_il(l).0));
    let el = float(risk::position_risk(pos).expected_loss.0);
    let risk_rate = el - il;
    if screened {
        return (risk_rate, -el, 0.0);
    }
    let paid = payout::paid_out_band(pos, p.payouts_per_year());
    let haircut = float(pos.reward_share.0 * p.assumptions.emissions_haircut.0);
    let sustainable = float(paid.mid.0) * (1.0 - haircut) + il;
    let pick = |b: Band| match band {
        GoalBand::Low => float(b.low.0),
        GoalBand::Mid => float(b.mid.0),
    };
    let tax = match &p.goal {
        Some(g) if g.after_tax => float(p.assumptions.tax_rate.0),
        _ => 0.0,
    };
    (risk_rate, sustainable - el, pick(paid) * (1.0 - tax) + il)
}

/// Sums a per-position figure into per-choice coefficients.
fn per_choice(c: &Choices, f: impl Fn(usize) -> f64) -> Vec<f64> {
    c.positions
        .iter()
        .map(|ch| {
            ch.members
                .iter()
                .map(|(k, share)| float(share.0) * f(*k))
                .sum()
        })
        .collect()
}

/// Builds the program for `objective`, the goal met at `band`; `scenarios`
/// are the one-year returns for min-CVaR (empty otherwise).
#[must_use]
pub fn build(
    p: &Portfolio,
    c: &Choices,
    objective: Objective,
    band: GoalBand,
    scenarios: Vec<Vec<f64>>,
) -> Problem {
    let figures: Vec<(f64, f64, f64)> = p
        .positions
        .iter()
        .map(|pos| unit_figures(p, pos, band))
        .collect();
    let value = float(p.value.0);
    let mut lo = Vec::new();
    let mut hi = Vec::new();
    for ch in &c.positions {
        let screened = ch
            .members
            .iter()
            .any(|(k, _)| p.positions[*k].apy.mid.0 > SCREEN_ABOVE);
        if ch.fixed() {
            lo.push(float(ch.min.0));
            hi.push(float(ch.max.0));
        } else {
            lo.push(0.0);
            hi.push(if screened { 0.0 } else { 1.0 });
        }
    }
    let mut problem = Problem {
        value,
        lo,
        hi,
        rows: Vec::new(),
        risk: per_choice(c, |k| figures[k].0),
        income: per_choice(c, |k| figures[k].1),
        goal_income: per_choice(c, |k| figures[k].2),
        objective,
        scenarios,
        beta: 0.95,
        goal_label: format!(
            "income goal ({}, {} band)",
            if p.goal.as_ref().is_some_and(|g| g.after_tax) {
                "after tax"
            } else {
                "before tax"
            },
            band
        ),
    };
    problem.rows = rows(p, c, &problem.goal_income);
    problem
}

/// Every named row: goal, strategy bounds, caps, position bounds.
fn rows(p: &Portfolio, c: &Choices, goal_income: &[f64]) -> Vec<Row> {
    let mut rows = Vec::new();
    let n = c.positions.len();
    if let Some(g) = &p.goal {
        let value = float(p.value.0);
        rows.push(Row {
            limit: Limit::Goal,
            coefs: goal_income.to_vec(),
            sense: Sense::AtLeast,
            rhs: if value > 0.0 {
                float(g.annual_min.0) / value
            } else {
                0.0
            },
            part: Vec::new(),
        });
    }
    for b in &c.strategy_bounds {
        let coefs = per_choice(c, |k| {
            f64::from(u8::from(p.positions[k].strategy == b.strategy))
        });
        if b.min.0 > Decimal::ZERO {
            rows.push(Row {
                limit: Limit::StrategyMin(b.strategy),
                coefs: coefs.clone(),
                sense: Sense::AtLeast,
                rhs: float(b.min.0),
                part: Vec::new(),
            });
        }
        if b.max.0 < Decimal::ONE {
            rows.push(Row {
                limit: Limit::StrategyMax(b.strategy),
                coefs,
                sense: Sense::AtMost,
                rhs: float(b.max.0),
                part: Vec::new(),
            });
        }
    }
    caps(p, c, &mut rows);
    for (j, ch) in c.positions.iter().enumerate().filter(|(_, ch)| !ch.fixed()) {
        let mut coefs = vec![0.0; n];
        coefs[j] = 1.0;
        if ch.min.0 > Decimal::ZERO {
            rows.push(Row {
                limit: Limit::PositionMin(j),
                coefs: coefs.clone(),
                sense: Sense::AtLeast,
                rhs: float(ch.min.0),
                part: Vec::new(),
            });
        }
        if ch.max.0 < Decimal::ONE {
            rows.push(Row {
                limit: Limit::PositionMax(j),
                coefs,
                sense: Sense::AtMost,
                rhs: float(ch.max.0),
                part: Vec::new(),
            });
        }
    }
    rows
}

/// The lint thresholds as caps, each unless the profile allows its lint.
fn caps(p: &Portfolio, c: &Choices, rows: &mut Vec<Row>) {
    let l = &p.lints;
    let allowed = |lint: Lint| l.allow.iter().any(|a| a == lint.name());
    let protocols_of = |pos: &Position| -> BTreeSet<String> {
        pos.protocol
            .iter()
            .chain(pos.stack.iter().filter_map(|x| x.protocol.as_ref()))
            .cloned()
            .collect()
    };
    if !allowed(Lint::ProtocolConcentration) {
        let all: BTreeSet<String> = p.positions.iter().flat_map(protocols_of).collect();
        for name in all {
            rows.push(Row {
                limit: Limit::Protocol(name.clone()),
                coefs: per_choice(c, |k| {
                    f64::from(u8::from(protocols_of(&p.positions[k]).contains(&name)))
                }),
                sense: Sense::AtMost,
                rhs: float(l.protocol_concentration.0),
                part: Vec::new(),
            });
        }
    }
    if !allowed(Lint::ChainConcentration) {
        let on_chain = |pos: &Position| pos.strategy != Strategy::Hold;
        let chains: BTreeSet<String> = p
            .positions
            .iter()
            .filter(|x| on_chain(x))
            .filter_map(|x| x.chain.clone())
            .collect();
        let cap = float(l.chain_concentration.0);
        for name in chains {
            rows.push(Row {
                limit: Limit::Chain(name.clone()),
                coefs: per_choice(c, |k| {
                    let pos = &p.positions[k];
                    let here = f64::from(u8::from(pos.chain.as_deref() == Some(name.as_str())));
                    if on_chain(pos) { here - cap } else { 0.0 }
                }),
                sense: Sense::AtMost,
                rhs: 0.0,
                part: per_choice(c, |k| f64::from(u8::from(on_chain(&p.positions[k])))),
            });
        }
    }
    if !allowed(Lint::DefiHeavy) {
        rows.push(Row {
            limit: Limit::Defi,
            coefs: per_choice(c, |k| f64::from(u8::from(p.positions[k].defi))),
            sense: Sense::AtMost,
            rhs: float(l.defi_share.0),
            part: Vec::new(),
        });
    }
    let now = p.goal.as_ref().is_some_and(|g| g.starts_in_years == 0);
    if now && !allowed(Lint::LockedLiquidity) {
        let days = l.long_unbonding_days;
        rows.push(Row {
            limit: Limit::Locked,
            coefs: per_choice(c, |k| {
                let locked = p.positions[k].staking.as_ref().is_some_and(|s| {
                    s.method != crate::model::Method::Liquid && s.unbonding_days >= days
                });
                f64::from(u8::from(locked))
            }),
            sense: Sense::AtMost,
            rhs: float(l.locked_share.0),
            part: Vec::new(),
        });
    }
}
