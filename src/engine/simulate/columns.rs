//! The positions of a simulation as columns, and the one-year step
//! specialised to them: everything about a position that does not depend on
//! the path (which asset or pair it follows, its pool's table, the two
//! halves of its yield bands as base and slope, its loss event) is laid out
//! once in flat arrays. The paths of a batch run in step, a year at a time:
//! every per-path quantity is a row of the batch's paths (`Lanes`), so each
//! operation of the step is one loop over the paths, with no branch on what
//! a position is (the compiler can use vector instructions), and a path's
//! random numbers are drawn path after path and then laid out as rows.
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
use crate::engine::il::constant_product_loss;
use crate::model::Pool;

/// Where a position's year reads its price factor: an asset's row of
/// `Lanes::factor`, or a row of `Lanes::price` (row 0 holds ones, for what
/// follows no price; a pool's own row is its value-weighted factor).
#[derive(Clone, Copy, Debug)]
enum PriceRow {
    Asset(usize),
    Own(usize),
}

/// A pool position: its index, its rows of `Lanes::price` and
/// `Lanes::pooled`, its two assets and its share of value in A.
#[derive(Clone, Copy, Debug)]
struct Paired {
    pos: usize,
    row: usize,
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
    /// The position's row of `Lanes::loss`.
    row: usize,
    /// The first of the position's events: it sets the row (from a loss of
    /// 0), the others add to it.
    first: bool,
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
    /// Per position: where it reads its price factor, impermanent loss and
    /// loss (rows of `Lanes::pooled` and `Lanes::loss`; row 0 of each holds
    /// zeros, for positions without a pool or without loss events).
    rows: Vec<(PriceRow, usize, usize)>,
    paired: Vec<Paired>,
    /// Every position's loss events, in position order and, within a
    /// position, in the order of its layers.
    events: Vec<Event>,
    /// Rows of `Lanes::loss` in use: one per position that has loss events,
    /// after the zero row.
    loss_rows: usize,
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

/// What a batch of paths run in step reuses from year to year: every
/// per-path quantity is a row of `len` values, one per path of the batch
/// (row `i` of a field holding one row per asset, position or draw is
/// `field[i * len .. (i + 1) * len]`), so each operation of the step runs
/// as one loop over the paths.
pub(super) struct Lanes {
    /// Paths in the batch.
    len: usize,
    /// A path-year's random numbers as drawn, path after path (`per`
    /// numbers a path, in the order of the stream rule).
    numbers: Vec<f64>,
    /// Numbers a path draws a year.
    per: usize,
    /// The year's random numbers, one row per number of the stream rule: the
    /// standard normals of the assets (rows `0 .. assets`), those of the
    /// pools whose ratio moves on its own (the next `ratio_draws` rows), the
    /// yield quantile (row [`Lanes::quantile_row`]), then the loss draws, one
    /// row per source.
    drawn: Vec<f64>,
    /// Rows of `drawn` before the yield quantile's.
    normals: usize,
    /// The year's log price factor, one row per asset.
    log_factor: Vec<f64>,
    /// The year's price factor, one row per asset.
    factor: Vec<f64>,
    /// The value, one row per position.
    pub(super) values: Vec<f64>,
    /// The year's price factor of each pool position, one row each after
    /// row 0, which holds ones (for what follows no price); a position on
    /// one asset reads its asset's row of `factor`.
    price: Vec<f64>,
    /// The year's impermanent loss of each pool position, one row each
    /// after row 0, which holds zeros (for a single asset).
    pooled: Vec<f64>,
    /// The share of value lost this year by each position that has loss
    /// events, one row each after row 0, which holds zeros.
    loss: Vec<f64>,
    /// Per path: the position of the yield quantile within its half of
    /// the bands.
    t: Vec<f64>,
    /// Per path: the year's gross income.
    pub(super) gross: Vec<f64>,
    /// Per path: the value after the year's market.
    after: Vec<f64>,
    /// Per path: the value at the end of the year.
    pub(super) end: Vec<f64>,
    /// Per path: the portfolio's value, when the goal is tested.
    total: Vec<f64>,
    /// Per path: the positions go back to their weights at the year's end.
    back: Vec<bool>,
    /// Per path: the goal's payout could not be met in full this year.
    pub(super) depleted: Vec<bool>,
}

impl Lanes {
    /// Paths in the batch.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// The row of `drawn` that holds the yield quantile.
    fn quantile_row(&self) -> usize {
        self.normals
    }
}

/// Draws a year's random numbers for every path of a batch into `numbers`,
/// path after path: path `j` takes `per` numbers from `rngs[j]` in the
/// order of the stream rule, `normals` standard normals (the assets', then
/// those of the pools whose ratio moves on its own), then uniforms (the
/// yield quantile, then one per loss source). Each generator is copied into
/// a local for its path, so its state stays in registers while it draws.
#[inline(never)]
fn draw_numbers(rngs: &mut [PathRng], numbers: &mut [f64], per: usize, normals: usize) {
    for (stream, out) in rngs.iter_mut().zip(numbers.chunks_exact_mut(per)) {
        let mut rng = stream.clone();
        let (gaussian, uniform) = out.split_at_mut(normals);
        for x in gaussian {
            *x = rng.sample(StandardNormal);
        }
        for x in uniform {
            *x = rng.random();
        }
        *stream = rng;
    }
}

/// Copies the path-major `numbers` (`per` a path) into `drawn`, one row of
/// `len` paths per number.
#[inline(always)]
fn transpose(numbers: &[f64], drawn: &mut [f64], len: usize, per: usize) {
    for (k, row) in drawn.chunks_exact_mut(len).enumerate() {
        for (x, path) in row.iter_mut().zip(numbers.chunks_exact(per)) {
            *x = path[k];
        }
    }
}

/// Row `i` of a field of rows of `len` values.
#[inline(always)]
fn row(field: &[f64], i: usize, len: usize) -> &[f64] {
    &field[i * len..(i + 1) * len]
}

/// Row `i` of a field of rows of `len` values, to write.
#[inline(always)]
fn row_mut(field: &mut [f64], i: usize, len: usize) -> &mut [f64] {
    &mut field[i * len..(i + 1) * len]
}

impl Columns {
    /// The columns of a setup.
    pub(super) fn new(s: &Setup) -> Columns {
        let assets = s.drift.len();
        let mut tri = Vec::new();
        for (i, r) in s.scaled.iter().enumerate() {
            tri.extend_from_slice(&r[..=i]);
        }
        let (mut rows, mut paired, mut events) = (Vec::new(), Vec::new(), Vec::new());
        let mut loss_rows = 1;
        let mut halves = [Vec::new(), Vec::new()];
        for (pos, p) in s.positions.iter().enumerate() {
            let (price, pooled) = match (p.asset, p.pair) {
                (Some(asset), _) => (PriceRow::Asset(asset), 0),
                (_, Some((a, b, _, share))) => {
                    let row = paired.len() + 1;
                    paired.push(Paired {
                        pos,
                        row,
                        a,
                        b,
                        share,
                        other: 1.0 - share,
                        ratio: p.ratio,
                    });
                    (PriceRow::Own(row), row)
                }
                _ => (PriceRow::Own(0), 0),
            };
            let loss = if p.events.is_empty() {
                0
            } else {
                loss_rows += 1;
                loss_rows - 1
            };
            rows.push((price, pooled, loss));
            events.extend(p.events.iter().enumerate().map(|(k, e)| Event {
                row: loss,
                first: k == 0,
                source: e.source,
                chance: e.chance,
                loss: e.loss,
            }));
            let (pb, cb) = (&p.paid, &p.compound);
            halves[0].push([pb[0], (pb[1] - pb[0]) * 2.0, cb[0], (cb[1] - cb[0]) * 2.0]);
            halves[1].push([pb[1], pb[2] - pb[1], cb[1], cb[2] - cb[1]]);
        }
        let after_tax = s.goal.is_some_and(|(_, _, after)| after);
        Columns {
            assets,
            tri,
            rows,
            paired,
            events,
            loss_rows,
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

    /// Rows of `len` values the lanes of a batch of `len` paths hold.
    pub(super) fn lane_rows(&self, s: &Setup) -> usize {
        let per = self.assets + s.ratio_draws + 1 + s.sources;
        s.positions.len()
            + 2 * (self.paired.len() + 1)
            + self.loss_rows
            + 2 * self.assets
            + 2 * per
            + 6
    }

    /// Fresh lanes for a batch of `len` paths of a setup (`len` ≥ 1).
    pub(super) fn lanes(&self, s: &Setup, len: usize) -> Lanes {
        let n = s.positions.len();
        let normals = self.assets + s.ratio_draws;
        let per = normals + 1 + s.sources;
        Lanes {
            len,
            numbers: vec![0.0; per * len],
            per,
            drawn: vec![0.0; per * len],
            normals,
            log_factor: vec![0.0; self.assets * len],
            factor: vec![1.0; self.assets * len],
            values: vec![0.0; n * len],
            price: vec![1.0; (self.paired.len() + 1) * len],
            pooled: vec![0.0; (self.paired.len() + 1) * len],
            loss: vec![0.0; self.loss_rows * len],
            t: vec![0.0; len],
            gross: vec![0.0; len],
            after: vec![0.0; len],
            end: vec![0.0; len],
            back: vec![false; len],
            total: vec![0.0; len],
            depleted: vec![false; len],
        }
    }

    /// Sets every path of the batch to today's portfolio.
    #[inline(always)]
    pub(super) fn start(&self, s: &Setup, w: &mut Lanes) {
        let len = w.len;
        for (i, t) in s.targets.iter().enumerate() {
            row_mut(&mut w.values, i, len).fill(t * s.value);
        }
    }

    /// Marks `year` as the years to the goal (`years_to_goal`, one per path
    /// of the batch) of each path that has not reached it before and whose
    /// portfolio (its positions summed in position order) earns `goal`, the
    /// year's indexed goal, from its sustainable yield.
    #[inline(always)]
    pub(super) fn reached(&self, w: &mut Lanes, years_to_goal: &mut [u32], goal: f64, year: u32) {
        w.total.fill(-0.0);
        for row in w.values.chunks_exact(w.len) {
            for (total, v) in w.total.iter_mut().zip(row) {
                *total += v;
            }
        }
        for (y, &total) in years_to_goal.iter_mut().zip(&w.total) {
            if *y == u32::MAX && total * self.goal_basis >= goal {
                *y = year;
            }
        }
    }

    /// The payout of an income-phase year whose indexed goal is `target`.
    #[inline(always)]
    pub(super) fn payout(&self, target: f64, after_tax: bool) -> f64 {
        if after_tax {
            target
        } else {
            target * self.payout_factor
        }
    }

    /// Draws one path-year for every path of the batch, path `j` from
    /// `rngs[j]` (the asset normals, the normals of the pools whose ratio
    /// moves on its own, the yield quantile, then one uniform per loss
    /// source: each protocol some position can lose money in, and each layer
    /// that names none) and sets every position's price factor, impermanent
    /// loss, loss and yield half for the year. A position whose protocols
    /// fail together loses `1 − Π(1 − loss)` of its value.
    #[inline(always)]
    pub(super) fn draw_year(&self, s: &Setup, rngs: &mut [PathRng], w: &mut Lanes) {
        let len = w.len;
        draw_numbers(rngs, &mut w.numbers, w.per, w.normals);
        transpose(&w.numbers, &mut w.drawn, len, w.per);
        let quantile = w.quantile_row();
        let Lanes {
            drawn,
            log_factor,
            factor,
            price,
            pooled,
            loss,
            t,
            ..
        } = w;
        let (z, uniforms) = drawn.split_at(quantile * len);
        let (u, draws) = uniforms.split_at(len);
        let ratio_z = &z[self.assets * len..];
        for (t, &u) in t.iter_mut().zip(u) {
            *t = if u >= 0.5 { 2.0 * u - 1.0 } else { u };
        }
        let mut start = 0;
        for i in 0..self.assets {
            // Row `i` of the triangle: `i + 1` factors from `start`; the
            // shock is their sum of products in order, then the drift added.
            let tri = &self.tri[start..start + i + 1];
            start += i + 1;
            let lf = row_mut(log_factor, i, len);
            for (l, zj) in lf.iter_mut().zip(row(z, 0, len)) {
                *l = tri[0] * zj;
            }
            for (k, c) in tri.iter().enumerate().skip(1) {
                for (l, zj) in lf.iter_mut().zip(row(z, k, len)) {
                    *l += c * zj;
                }
            }
            let drift = s.drift[i];
            let f = row_mut(factor, i, len);
            for (l, f) in lf.iter_mut().zip(f) {
                *l += drift;
                *f = l.exp();
            }
        }
        for p in &self.paired {
            let (la, lb) = (row(log_factor, p.a, len), row(log_factor, p.b, len));
            let (fa, fb) = (row(factor, p.a, len), row(factor, p.b, len));
            let drifts = (s.drift[p.a], s.drift[p.b]);
            let pos = &s.positions[p.pos];
            let il = row_mut(pooled, p.row, len);
            match (&pos.table, pos.pair, p.ratio) {
                // A constant-product pool on its two assets' prices: its
                // loss (as `Pool::impermanent_loss` takes it) in a loop with
                // no call and no branch, so it is vectorised.
                (None, Some((_, _, Pool::ConstantProduct, _)), Ratio::Assets) => {
                    for ((il, a), b) in il.iter_mut().zip(fa).zip(fb) {
                        *il = constant_product_loss(a / b);
                    }
                }
                _ => {
                    for j in 0..len {
                        let (ln_r, r) = p.ratio.at((la[j], lb[j]), (fa[j], fb[j]), drifts, |d| {
                            ratio_z[d * len + j]
                        });
                        il[j] = match &pos.table {
                            Some(t) => t.impermanent_loss_at(ln_r, r),
                            None => pos
                                .pair
                                .map_or(0.0, |(_, _, pool, _)| pool.impermanent_loss(r)),
                        };
                    }
                }
            }
            for ((pr, a), b) in row_mut(price, p.row, len).iter_mut().zip(fa).zip(fb) {
                *pr = p.share * a + p.other * b;
            }
        }
        for e in &self.events {
            let l = row_mut(loss, e.row, len);
            let lanes = l.iter_mut().zip(row(draws, e.source, len));
            if e.first {
                // What the step below gives from a loss of 0 (the year's
                // rows are not cleared first).
                let lost = 0.0;
                let more = lost + e.loss - lost * e.loss;
                for (l, d) in lanes {
                    *l = if *d < e.chance { more } else { lost };
                }
            } else {
                for (lost, d) in lanes {
                    // 1 − (1 − lost)(1 − loss): the first event's loss exactly.
                    let more = *lost + e.loss - *lost * e.loss;
                    *lost = if *d < e.chance { more } else { *lost };
                }
            }
        }
    }

    /// The year's step for every path of the batch on the drawn lanes:
    /// `payout` in the income phase, else `contribution` added; the values
    /// become the end values, and each path's gross income, end value and
    /// depletion are left in `w.gross`, `w.end` and `w.depleted`.
    #[inline(always)]
    pub(super) fn step(&self, s: &Setup, w: &mut Lanes, payout: Option<f64>, contribution: f64) {
        match payout {
            Some(_) => self.market(w, |h, t| h[0] + h[1] * t),
            None => {
                let (reinvest, keep) = (s.reinvest, self.keep);
                self.market(w, |h, t| {
                    reinvest * (h[2] + h[3] * t) + keep * (h[0] + h[1] * t)
                });
            }
        }
        let (tax, reinvest) = (s.tax, s.reinvest);
        let flows = w
            .gross
            .iter()
            .zip(&w.after)
            .zip(w.end.iter_mut().zip(&mut w.depleted));
        for ((&gross, &after_market), (end, depleted)) in flows {
            let tax = (if gross >= 0.0 { gross } else { 0.0 }) * tax;
            let net = gross - tax;
            let (available, withdrawn) = match payout {
                Some(payout) => {
                    let kept = if net >= 0.0 { net } else { 0.0 };
                    let covered = if kept <= payout { kept } else { payout };
                    let surplus = net - covered;
                    let again = if surplus > 0.0 {
                        surplus * reinvest
                    } else {
                        surplus
                    };
                    (after_market + again + 0.0, payout - covered)
                }
                None => {
                    let again = if net > 0.0 { net * reinvest } else { net };
                    (after_market + again + contribution, 0.0)
                }
            };
            let short = withdrawn > available;
            let floor = if available >= 0.0 { available } else { 0.0 };
            *depleted = short;
            *end = available - if short { floor } else { withdrawn };
        }
        let len = w.len;
        // Back to the weights (when rebalancing, or when nothing is left to
        // scale), else every position scaled by the path's end over its
        // value after the market (kept in `after`, no longer needed).
        let mut backs = 0;
        let scales = w.after.iter_mut().zip(&w.end).zip(&mut w.back);
        for ((after_market, &end), back) in scales {
            *back = s.rebalance || *after_market <= 0.0;
            backs += usize::from(*back);
            *after_market = end / *after_market;
        }
        for (i, &target) in s.targets.iter().enumerate() {
            let values = row_mut(&mut w.values, i, len);
            if backs == len {
                for (v, &end) in values.iter_mut().zip(&w.end) {
                    *v = target * end;
                }
            } else if backs == 0 {
                for (v, &scale) in values.iter_mut().zip(&w.after) {
                    *v *= scale;
                }
            } else {
                let lanes = values
                    .iter_mut()
                    .zip(&w.end)
                    .zip(w.after.iter().zip(&w.back));
                for ((v, &end), (&scale, &back)) in lanes {
                    *v = if back { target * end } else { *v * scale };
                }
            }
        }
    }

    /// Moves every value through the year's market and leaves, per path, the
    /// gross income (at the rate `rate(half, t)` of each position) in
    /// `w.gross` and the value after the market in `w.after`, both summed in
    /// position order.
    #[inline(always)]
    fn market(&self, w: &mut Lanes, rate: impl Fn(&Half, f64) -> f64) {
        let len = w.len;
        w.gross.fill(0.0);
        w.after.fill(0.0);
        let u = row(&w.drawn, w.quantile_row(), len);
        let positions = self.halves[0].iter().zip(&self.halves[1]).zip(&self.rows);
        for (i, ((lower, higher), &(price_row, pooled_row, loss_row))) in positions.enumerate() {
            let lanes = row_mut(&mut w.values, i, len)
                .iter_mut()
                .zip(match price_row {
                    PriceRow::Asset(a) => row(&w.factor, a, len),
                    PriceRow::Own(k) => row(&w.price, k, len),
                })
                .zip(row(&w.pooled, pooled_row, len))
                .zip(row(&w.loss, loss_row, len))
                .zip(u.iter().zip(&w.t))
                .zip(w.gross.iter_mut().zip(&mut w.after));
            for (((((v, price), pooled), loss), (&u, &t)), (gross, after)) in lanes {
                // Both halves' rates, then the one the quantile is in.
                let (low, high) = (rate(lower, t), rate(higher, t));
                *gross += *v * if u >= 0.5 { high } else { low };
                let held = *v * price;
                let pooled = held * pooled;
                let lost = (held + pooled) * loss;
                *v = held + pooled - lost;
                *after += *v;
            }
        }
    }
}
