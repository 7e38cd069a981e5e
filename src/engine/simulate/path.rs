//! One simulated future, a year at a time, through the one-year step of the
//! deterministic projection (`engine::year`) as specialised to the
//! simulation's columns (`columns`, equal to it bit for bit): each year draws the
//! correlated lognormal price factors of the assets (exact yearly draws), one
//! yield quantile shared by all positions (yields rise and fall together),
//! and each protocol's loss event, shared by every position on it (also
//! when a position's yield counts as zero); then the step settles income,
//! tax, prices, impermanent loss, losses and the year-end flows.
//!
//! Every path draws from its own random stream (`stream`), in a fixed order
//! (the asset normals, the yield quantile, then one uniform per protocol
//! that can suffer a loss event, in the order positions and their layers
//! first name them, and one per layer that names no protocol, such as
//! native staking), so a path's record depends on nothing but
//! the setup, the seed and its number. Paths are run in fixed chunks that
//! write their records into flat arrays: nothing is allocated per path.
//! Within a chunk the paths run in step, a batch at a time (`Lanes`, at
//! most 16 MB of them a thread): each path still draws from its own stream
//! in its own order, so its record is the same in any batch (tested).

use super::columns::{Columns, Lanes};
use super::setup::Setup;
use super::stream::{PathRng, path_rng};

/// The records of a run of consecutive paths, year-major: the value of path
/// `first + j` at the end of year `y` is `value[y * len + j]`.
pub(super) struct Chunk {
    /// How many paths the chunk holds.
    pub(super) len: usize,
    /// End-of-year portfolio value, per year and path.
    pub(super) value: Vec<f64>,
    /// Gross income earned, per year and path.
    pub(super) income: Vec<f64>,
    /// Goal paid in full, per income-phase year and path.
    pub(super) paid: Vec<bool>,
    /// Per path: true when the capital ran out.
    pub(super) depleted: Vec<bool>,
    /// Per path: whole years until the sustainable income first covered the
    /// goal (0 when it already does today, the horizon when it first does at
    /// its end), `u32::MAX` when never within the horizon.
    pub(super) years_to_goal: Vec<u32>,
}

/// The number of income-phase years within a horizon of `years`.
pub(super) fn income_years(s: &Setup, years: u32) -> usize {
    match s.goal {
        Some((_, start, _)) => years.saturating_sub(start) as usize,
        None => 0,
    }
}

/// The most bytes of lanes a batch of paths run in step may take: a chunk's
/// paths run in batches of as many paths as fit (at most the whole chunk).
/// 16 MB a thread: a profile of 10,000 positions then runs about 100 paths
/// at a time (2 MB, a dozen, took twice as long: each position's loop is
/// then over a few paths).
const LANE_BYTES: usize = 1 << 24;

/// Runs paths `first .. first + len` of a simulation seeded with `seed` for
/// `years` years, calling `progress` once per finished path. The paths run
/// in step, a batch at a time (`batch_len`); each draws from its own
/// stream, so a path's record does not depend on the batch it runs in.
pub(super) fn run_chunk(
    s: &Setup,
    years: u32,
    seed: u64,
    first: u64,
    len: usize,
    progress: &(dyn Fn() + Sync),
) -> Chunk {
    run_batches(s, (years, seed), first, len, len, progress)
}

/// [`run_chunk`] in batches of at most `batch` paths, fewer when a batch's
/// lanes would pass [`LANE_BYTES`] (at least 1; the last batch takes what
/// is left).
pub(super) fn run_batches(
    s: &Setup,
    (years, seed): (u32, u64),
    first: u64,
    len: usize,
    batch: usize,
    progress: &(dyn Fn() + Sync),
) -> Chunk {
    let columns = Columns::new(s);
    let batch = batch
        .min(LANE_BYTES / (8 * columns.lane_rows(s)))
        .clamp(1, len.max(1));
    // One batch writes its records year after year, so they are appended;
    // several write into rows laid out beforehand.
    let cells = if batch < len { years as usize * len } else { 0 };
    let phase = if batch < len {
        income_years(s, years) * len
    } else {
        0
    };
    let mut out = Chunk {
        len,
        value: vec![0.0; cells],
        income: vec![0.0; cells],
        paid: vec![false; phase],
        depleted: vec![false; len],
        years_to_goal: vec![u32::MAX; len],
    };
    let capacity = years as usize * len;
    out.value.reserve_exact(capacity - out.value.len());
    out.income.reserve_exact(capacity - out.income.len());
    let mut w = columns.lanes(s, batch);
    let mut rngs = Vec::with_capacity(batch);
    let mut from = 0;
    while from < len {
        let n = batch.min(len - from);
        if n < w.len() {
            w = columns.lanes(s, n);
        }
        rngs.clear();
        rngs.extend((from..from + n).map(|j| path_rng(seed, first + j as u64)));
        run_batch(s, &columns, years, &mut rngs, &mut w, &mut out, from);
        for _ in 0..n {
            progress();
        }
        from += n;
    }
    out
}

/// Runs the paths of a batch, path `from + j` of `out` with generator
/// `rngs[j]`, writing their records.
///
/// On an x86-64 processor with AVX2 the batch runs through a copy compiled
/// for it ([`run_batch_avx2`]): the year's loops over the batch's paths then
/// take four paths an instruction instead of two, with the same bits
/// (`cpu`).
pub(super) fn run_batch(
    s: &Setup,
    columns: &Columns,
    years: u32,
    rngs: &mut [PathRng],
    w: &mut Lanes,
    out: &mut Chunk,
    from: usize,
) {
    #[cfg(target_arch = "x86_64")]
    if super::cpu::has_avx2() {
        // SAFETY: the processor has AVX2, checked just above.
        unsafe { run_batch_avx2(s, columns, years, rngs, w, out, from) };
        return;
    }
    run_batch_any(s, columns, years, rngs, w, out, from);
}

/// [`run_batch_any`] compiled for processors with AVX2.
///
/// # Safety
///
/// The processor must have AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn run_batch_avx2(
    s: &Setup,
    columns: &Columns,
    years: u32,
    rngs: &mut [PathRng],
    w: &mut Lanes,
    out: &mut Chunk,
    from: usize,
) {
    run_batch_any(s, columns, years, rngs, w, out, from);
}

/// [`run_batch`] for any processor of the target; inlined into
/// [`run_batch_avx2`], with the year's steps, to be compiled for AVX2 there.
#[inline(always)]
fn run_batch_any(
    s: &Setup,
    columns: &Columns,
    years: u32,
    rngs: &mut [PathRng],
    w: &mut Lanes,
    out: &mut Chunk,
    from: usize,
) {
    let len = out.len;
    columns.start(s, w);
    let mut index = 1.0;
    let mut income_year = 0;
    for year in 0..years {
        let mut payout = None;
        if let Some((min, start, after_tax)) = s.goal {
            columns.reached(w, &mut out.years_to_goal[from..], min * index, year);
            if year >= start {
                payout = Some(columns.payout(min * index, after_tax));
            }
        }
        columns.draw_year(s, rngs, w);
        columns.step(s, w, payout, s.contribution * index);
        let at = year as usize * len + from;
        let n = w.len();
        if payout.is_some() {
            let at = income_year * len + from;
            if out.paid.len() == at {
                out.paid.extend(w.depleted.iter().map(|d| !d));
            } else {
                let paid = &mut out.paid[at..at + n];
                for (p, d) in paid.iter_mut().zip(&w.depleted) {
                    *p = !d;
                }
            }
            income_year += 1;
        }
        if out.value.len() == at {
            out.value.extend_from_slice(&w.end);
            out.income.extend_from_slice(&w.gross);
        } else {
            out.value[at..at + n].copy_from_slice(&w.end);
            out.income[at..at + n].copy_from_slice(&w.gross);
        }
        let ran_out = w.depleted.iter().zip(&w.end);
        for (d, (&depleted, &end)) in out.depleted[from..].iter_mut().zip(ran_out) {
            if depleted || end <= 0.0 {
                *d = true;
            }
        }
        index *= 1.0 + s.inflation;
    }
    // The value at the horizon's end is tested too: a path whose income
    // first covers the goal there got there in `years` years.
    if let Some((min, ..)) = s.goal {
        columns.reached(w, &mut out.years_to_goal[from..], min * index, years);
    }
}
