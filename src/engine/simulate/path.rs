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

use super::columns::{Columns, Lanes, YearRecord};
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

/// Runs paths `first .. first + len` of a simulation seeded with `seed` for
/// `years` years, calling `progress` once per finished path.
pub(super) fn run_chunk(
    s: &Setup,
    years: u32,
    seed: u64,
    first: u64,
    len: usize,
    progress: &(dyn Fn() + Sync),
) -> Chunk {
    let cells = years as usize * len;
    let mut out = Chunk {
        len,
        value: vec![0.0; cells],
        income: vec![0.0; cells],
        paid: vec![false; income_years(s, years) * len],
        depleted: vec![false; len],
        years_to_goal: vec![u32::MAX; len],
    };
    let columns = Columns::new(s);
    let mut w = columns.lanes(s);
    for j in 0..len {
        run_path(
            s,
            &columns,
            years,
            path_rng(seed, first + j as u64),
            &mut w,
            &mut out,
            j,
        );
        progress();
    }
    out
}

/// Runs one path with generator `rng`, writing its record as path `j` of `out`.
fn run_path(
    s: &Setup,
    columns: &Columns,
    years: u32,
    mut rng: PathRng,
    w: &mut Lanes,
    out: &mut Chunk,
    j: usize,
) {
    let len = out.len;
    for (v, t) in w.values.iter_mut().zip(&s.targets) {
        *v = t * s.value;
    }
    let mut index = 1.0;
    let mut income_year = 0;
    for year in 0..years {
        let mut payout = None;
        if let Some((min, start, after_tax)) = s.goal {
            if out.years_to_goal[j] == u32::MAX
                && columns.covers_goal(min, w.values.iter().sum(), index)
            {
                out.years_to_goal[j] = year;
            }
            if year >= start {
                payout = Some(columns.payout(min * index, after_tax));
            }
        }
        columns.draw_year(s, &mut rng, w);
        let y = columns.step(s, w, payout, s.contribution * index);
        if payout.is_some() {
            out.paid[income_year * len + j] = !y.depleted;
            income_year += 1;
        }
        record(out, year, j, y);
        index *= 1.0 + s.inflation;
    }
    // The value at the horizon's end is tested too: a path whose income
    // first covers the goal there got there in `years` years.
    if let Some((min, ..)) = s.goal {
        if out.years_to_goal[j] == u32::MAX
            && columns.covers_goal(min, w.values.iter().sum(), index)
        {
            out.years_to_goal[j] = years;
        }
    }
}

/// Writes year `year` of path `j`.
fn record(out: &mut Chunk, year: u32, j: usize, y: YearRecord) {
    if y.depleted || y.end <= 0.0 {
        out.depleted[j] = true;
    }
    let at = year as usize * out.len + j;
    out.value[at] = y.end;
    out.income[at] = y.gross_income;
}
