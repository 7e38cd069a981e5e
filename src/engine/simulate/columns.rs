//! The positions of a simulation as columns, and the one-year step
//! specialised to them: everything about a position that does not depend on
//! the path (which asset or pair it follows, its pool's table, the two
//! halves of its yield bands as base and slope, its loss event) is laid out
//! once in flat arrays, so a path-year reads them in straight loops with no
//! per-position branch on what the position is, no quantile branch and no
//! division.
//!
//! The step is the shared one-year step (`engine::year::step`) for `f64`,
//! operation for operation in the same order, keeping only what a path
//! records (gross income, end value, depletion): the two give the same bits
//! (tested on every shipped profile and on random inputs in `reference`).
//! Draws nothing itself beyond what the caller hands over, except in
//! [`Columns::draw_year`], which takes a path-year's random numbers in the
//! order of the stream rule (`stream`).

use rand::RngExt;
use rand_distr::StandardNormal;

use super::setup::{Ratio, Setup};
use super::stream::PathRng;

/// A single-asset position: its index and its asset's.
#[derive(Clone, Copy, Debug)]
struct Held {
    pos: usize,
    asset: usize,
}

/// A pool position: its index, its two assets and its share of value in A.
#[derive(Clone, Copy, Debug)]
struct Paired {
    pos: usize,
    a: usize,
    b: usize,
    share: f64,
    /// `1 - share`.
    other: f64,
    /// How its price ratio moves.
    ratio: Ratio,
}

/// A loss event a position can suffer: one of its protocols failing.
#[derive(Clone, Copy, Debug)]
struct Event {
    pos: usize,
    /// The year's loss draw that decides it.
    source: usize,
    /// Probability of the event in a year.
    chance: f64,
    /// Share of the value it takes.
    loss: f64,
}

/// Per position, one half of its yield bands as `[paid base, paid slope,
/// compounded base, compounded slope]`: the rate at quantile `u` is
/// `base + slope·t` with `t = u` in the lower half (`slope = (mid − low)·2`)
/// and `t = 2u − 1` in the upper half (`slope = high − mid`), the same
/// operations as the quantile of a `[low, mid, high]` band.
type Half = [f64; 4];

/// The positions of a setup as columns.
pub(super) struct Columns {
    /// Number of assets.
    assets: usize,
    /// The scaled Cholesky factor's lower triangle, row after row.
    tri: Vec<f64>,
    held: Vec<Held>,
    paired: Vec<Paired>,
    /// Every position's loss events, in position order and, within a
    /// position, in the order of its layers.
    events: Vec<Event>,
    /// The positions that have loss events, each once.
    at_risk: Vec<usize>,
    /// The lower (0) and upper (1) halves of every position's bands.
    halves: [Vec<Half>; 2],
    /// `1 − reinvest`.
    keep: f64,
    /// What a year's goal is multiplied by to get the payout after tax.
    payout_factor: f64,
    /// The sustainable yield that counts toward the goal (after tax when the
    /// goal is).
    goal_basis: f64,
}

/// What one path reuses from year to year (and from the path before it).
pub(super) struct Lanes {
    /// The year's standard normals, one per asset.
    z: Vec<f64>,
    /// The year's standard normals of the pools whose ratio moves on its own.
    ratio_z: Vec<f64>,
    /// The year's log price factor of each asset.
    log_factor: Vec<f64>,
    /// The year's price factor of each asset.
    factor: Vec<f64>,
    /// Per position: the value.
    pub(super) values: Vec<f64>,
    /// Per position: the year's price factor (1 for what follows no price).
    price: Vec<f64>,
    /// Per position: the year's impermanent loss (0 for a single asset).
    pooled: Vec<f64>,
    /// Per position: the share of value lost this year.
    loss: Vec<f64>,
    /// The year's loss draws, one per source.
    draws: Vec<f64>,
    /// The half of the bands the year's yield quantile falls in.
    half: usize,
    /// The position of the quantile within that half.
    t: f64,
}

/// What a path records of one year.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct YearRecord {
    /// Fees, interest and rewards earned (before tax).
    pub(super) gross_income: f64,
    /// Value at the end of the year.
    pub(super) end: f64,
    /// The goal's payout could not be met in full.
    pub(super) depleted: bool,
}

impl Columns {
    /// The columns of a setup.
    pub(super) fn new(s: &Setup) -> Columns {
        let assets = s.drift.len();
        let mut tri = Vec::new();
        for (i, r) in s.scaled.iter().enumerate() {
            tri.extend_from_slice(&r[..=i]);
        }
        let (mut held, mut paired, mut events) = (Vec::new(), Vec::new(), Vec::new());
        let mut halves = [Vec::new(), Vec::new()];
        for (pos, p) in s.positions.iter().enumerate() {
            match (p.asset, p.pair) {
                (Some(asset), _) => held.push(Held { pos, asset }),
                (_, Some((a, b, _, share))) => paired.push(Paired {
                    pos,
                    a,
                    b,
                    share,
                    other: 1.0 - share,
                    ratio: p.ratio,
                }),
                _ => {}
            }
            events.extend(p.events.iter().map(|e| Event {
                pos,
                source: e.source,
                chance: e.chance,
                loss: e.loss,
            }));
            let (pb, cb) = (&p.paid, &p.compound);
            halves[0].push([pb[0], (pb[1] - pb[0]) * 2.0, cb[0], (cb[1] - cb[0]) * 2.0]);
            halves[1].push([pb[1], pb[2] - pb[1], cb[1], cb[2] - cb[1]]);
        }
        let after_tax = s.goal.is_some_and(|(_, _, after)| after);
        let mut at_risk: Vec<usize> = events.iter().map(|e| e.pos).collect();
        at_risk.dedup();
        Columns {
            assets,
            tri,
            held,
            paired,
            events,
            at_risk,
            halves,
            keep: 1.0 - s.reinvest,
            payout_factor: 1.0 - s.tax,
            goal_basis: if after_tax {
                s.sustainable_yield * (1.0 - s.tax)
            } else {
                s.sustainable_yield
            },
        }
    }

    /// Fresh lanes for the paths of a setup.
    pub(super) fn lanes(&self, s: &Setup) -> Lanes {
        let n = s.positions.len();
        Lanes {
            z: vec![0.0; self.assets],
            ratio_z: vec![0.0; s.ratio_draws],
            log_factor: vec![0.0; self.assets],
            factor: vec![1.0; self.assets],
            values: vec![0.0; n],
            price: vec![1.0; n],
            pooled: vec![0.0; n],
            loss: vec![0.0; n],
            draws: vec![0.0; s.sources],
            half: 0,
            t: 0.0,
        }
    }

    /// True when a portfolio worth `value` earns the goal `min` of the year
    /// with inflation index `index` from its sustainable yield.
    pub(super) fn covers_goal(&self, min: f64, value: f64, index: f64) -> bool {
        value * self.goal_basis >= min * index
    }

    /// The payout of an income-phase year whose indexed goal is `target`.
    pub(super) fn payout(&self, target: f64, after_tax: bool) -> f64 {
        if after_tax {
            target
        } else {
            target * self.payout_factor
        }
    }

    /// Draws one path-year from `rng` (the asset normals, the normals of
    /// the pools whose ratio moves on its own, the yield quantile, then one uniform per loss source: each protocol some
    /// position can lose money in, and each layer that names none) and sets
    /// every position's price factor, impermanent loss, loss and yield half
    /// for the year. A position whose protocols fail together loses
    /// `1 − Π(1 − loss)` of its value.
    pub(super) fn draw_year(&self, s: &Setup, rng: &mut PathRng, w: &mut Lanes) {
        for zi in w.z.iter_mut().chain(&mut w.ratio_z) {
            *zi = rng.sample(StandardNormal);
        }
        let mut start = 0;
        for i in 0..self.assets {
            // Row `i` of the triangle: `i + 1` factors from `start`.
            let row = &self.tri[start..start + i + 1];
            start += i + 1;
            let shock: f64 = row.iter().zip(&w.z).map(|(c, zj)| c * zj).sum();
            let lf = s.drift[i] + shock;
            w.log_factor[i] = lf;
            w.factor[i] = lf.exp();
        }
        let u: f64 = rng.random();
        let upper = u >= 0.5;
        w.half = usize::from(upper);
        w.t = if upper { 2.0 * u - 1.0 } else { u };
        for h in &self.held {
            w.price[h.pos] = w.factor[h.asset];
        }
        for p in &self.paired {
            let (fa, fb) = (w.factor[p.a], w.factor[p.b]);
            let (ln_r, r) =
                p.ratio
                    .moved((p.a, p.b), (&w.log_factor, &w.factor), &s.drift, &w.ratio_z);
            let pos = &s.positions[p.pos];
            w.pooled[p.pos] = match &pos.table {
                Some(t) => t.impermanent_loss_at(ln_r, r),
                None => pos
                    .pair
                    .map_or(0.0, |(_, _, pool, _)| pool.impermanent_loss(r)),
            };
            w.price[p.pos] = p.share * fa + p.other * fb;
        }
        for d in &mut w.draws {
            *d = rng.random();
        }
        for &pos in &self.at_risk {
            w.loss[pos] = 0.0;
        }
        for e in &self.events {
            if w.draws[e.source] < e.chance {
                // 1 − (1 − lost)(1 − loss): the first event's loss exactly.
                let lost = w.loss[e.pos];
                w.loss[e.pos] = lost + e.loss - lost * e.loss;
            }
        }
    }

    /// The year's step on the drawn lanes: `payout` in the income phase,
    /// else `contribution` added; the values become the end values.
    pub(super) fn step(
        &self,
        s: &Setup,
        w: &mut Lanes,
        payout: Option<f64>,
        contribution: f64,
    ) -> YearRecord {
        let (gross, after_market) = match payout {
            Some(_) => self.market(w, |h, t| h[0] + h[1] * t),
            None => {
                let (reinvest, keep) = (s.reinvest, self.keep);
                self.market(w, |h, t| {
                    reinvest * (h[2] + h[3] * t) + keep * (h[0] + h[1] * t)
                })
            }
        };
        let tax = (if gross >= 0.0 { gross } else { 0.0 }) * s.tax;
        let net = gross - tax;
        let (reinvested, contributions, mut withdrawn) = match payout {
            Some(payout) => {
                let kept = if net >= 0.0 { net } else { 0.0 };
                let covered = if kept <= payout { kept } else { payout };
                let surplus = net - covered;
                let again = if surplus > 0.0 {
                    surplus * s.reinvest
                } else {
                    surplus
                };
                (again, 0.0, payout - covered)
            }
            None => {
                let again = if net > 0.0 { net * s.reinvest } else { net };
                (again, contribution, 0.0)
            }
        };
        let available = after_market + reinvested + contributions;
        let depleted = withdrawn > available;
        if depleted {
            withdrawn = if available >= 0.0 { available } else { 0.0 };
        }
        let end = available - withdrawn;
        if s.rebalance || after_market <= 0.0 {
            for (v, t) in w.values.iter_mut().zip(&s.targets) {
                *v = *t * end;
            }
        } else {
            let scale = end / after_market;
            for v in &mut w.values {
                *v *= scale;
            }
        }
        YearRecord {
            gross_income: gross,
            end,
            depleted,
        }
    }

    /// Moves every value through the year's market and returns the gross
    /// income (at the rate `rate(half, t)` of each position) and the value
    /// after the market, both summed in position order.
    #[inline(always)]
    fn market(&self, w: &mut Lanes, rate: impl Fn(&Half, f64) -> f64) -> (f64, f64) {
        let t = w.t;
        let (mut gross, mut after) = (0.0, 0.0);
        let lanes = w
            .values
            .iter_mut()
            .zip(&w.price)
            .zip(&w.pooled)
            .zip(&w.loss)
            .zip(&self.halves[w.half]);
        for ((((v, price), pooled), loss), h) in lanes {
            gross += *v * rate(h, t);
            let held = *v * price;
            let pooled = held * pooled;
            let lost = (held + pooled) * loss;
            *v = held + pooled - lost;
            after += *v;
        }
        (gross, after)
    }
}
