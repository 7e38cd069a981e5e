//! Monte Carlo projection: many possible futures, with a seed.
//!
//! Each path steps yearly through the one-year step of the deterministic
//! projection (`engine::year`), specialised to the simulation's columns
//! (`columns`) and equal to it bit for bit (`reference`). Asset prices are correlated,
//! exactly lognormal yearly factors (annual volatilities and correlations
//! from the rate book, a Cholesky factor) whose median follows the asset's
//! median yearly change, so the projection is the median path: with every
//! volatility, yield spread and loss probability at zero the simulation is
//! the projection, to the cent. A liquidity position is valued by its pool
//! maths from its two prices, so impermanent loss emerges from the paths.
//! Each year every yield is drawn within its band by one quantile shared by
//! all positions (yields rise and fall together), and each protocol has its
//! loss event with its tier's probability, striking every position (and
//! stacked layer) on it at once and taking its loss given the event; a
//! position whose protocols fail together loses `1 − Π(1 − loss)` (a
//! screened position, whose yield counts as zero, still carries its risk).
//!
//! Every path has its own random stream (`stream`: Xoshiro256++ seeded
//! from the seed and the path number), paths run in parallel with rayon in
//! fixed chunks of paths and are gathered in path order, so the same seed
//! gives byte-identical output on any number of threads.
//!
//! Where is each thing? `setup` prepares what all paths share, `columns`
//! lays it out per position and steps a year, `stream` says which random
//! numbers each path draws, `path` runs the futures,
//! `summary` gathers the paths, and `results` holds the report's types. No I/O: progress is reported through a callback.

mod columns;
mod cpu;
mod path;
#[cfg(test)]
mod reference;
mod results;
mod select;
mod setup;
mod stream;
mod summary;
mod tally;

use rayon::prelude::*;

use crate::engine::plan_report::PlanReport;
use crate::engine::project::ProjectionError;
use crate::model::Portfolio;

pub use results::{Percentiles, Simulation, YearChance};
pub(crate) use setup::contradictory;
pub use setup::{cholesky, correlations};
pub use stream::{PathRng, path_rng};

/// How many loss draws a path takes each year for a plan's positions: one
/// per protocol some position (or stacked layer) can lose money in, and one
/// per layer that names no protocol (the stream rule of `path`).
#[must_use]
pub fn loss_draws(plan: &PlanReport) -> usize {
    crate::engine::risk::loss_events(plan.positions.iter().map(|p| &p.risk)).1
}

/// Default number of paths.
pub const DEFAULT_PATHS: u32 = 10_000;
/// Default seed: results are reproducible unless asked otherwise.
pub const DEFAULT_SEED: u64 = 20_261_128;

/// What a simulation is asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SimSettings {
    /// The horizon, in years.
    pub years: u32,
    /// How many paths to run (at least 1).
    pub paths: u32,
    /// The seed of the random streams.
    pub seed: u64,
}

/// Paths per chunk: the unit of parallel work, fixed so that the chunks do
/// not depend on the number of threads.
pub const PATHS_PER_CHUNK: u32 = 128;

/// Path-years up to which a run keeps every path in memory (about 17 bytes
/// a path-year); a larger run keeps only counts and runs its paths again to
/// find its percentiles (`select`), so its memory stays bounded.
pub const KEEP_PATH_YEARS: u64 = 3_000_000;

/// Runs chunk number `c` of a run.
fn run_chunk(
    s: &setup::Setup,
    settings: SimSettings,
    c: u32,
    progress: &(dyn Fn() + Sync),
) -> path::Chunk {
    let first = c * PATHS_PER_CHUNK;
    let len = PATHS_PER_CHUNK.min(settings.paths - first) as usize;
    path::run_chunk(
        s,
        settings.years,
        settings.seed,
        u64::from(first),
        len,
        progress,
    )
}

/// Runs every path in parallel chunks, gathered in path order.
fn run_chunks(
    s: &setup::Setup,
    settings: SimSettings,
    progress: &(dyn Fn() + Sync),
) -> Vec<path::Chunk> {
    (0..settings.paths.div_ceil(PATHS_PER_CHUNK))
        .into_par_iter()
        .map(|c| run_chunk(s, settings, c, progress))
        .collect()
}

/// The tally of every path and the wanted order statistics of every series
/// (`summary::wanted_ranks`), keeping the paths in memory when they number
/// at most `keep` path-years, else running them again as often as the exact
/// selection needs.
fn gather(
    s: &setup::Setup,
    settings: SimSettings,
    keep: u64,
    progress: &(dyn Fn() + Sync),
) -> (tally::Tally, Vec<Vec<f64>>) {
    let ranks = summary::wanted_ranks(u64::from(settings.paths), settings.years);
    if u64::from(settings.paths) * u64::from(settings.years) <= keep {
        let chunks = run_chunks(s, settings, progress);
        let tallies: Vec<tally::Tally> = chunks
            .par_iter()
            .map(|c| tally::Tally::of(c, settings.years))
            .collect();
        let stats = summary::order_statistics(&chunks, &ranks);
        return (tally::Tally::total(&tallies), stats);
    }
    let n = settings.paths.div_ceil(PATHS_PER_CHUNK);
    let tallies: Vec<std::sync::OnceLock<tally::Tally>> =
        (0..n).map(|_| std::sync::OnceLock::new()).collect();
    let (stats, _passes) = select::order_statistics(
        &ranks,
        (u64::from(settings.paths), n),
        summary::series,
        // Progress counts the first pass only.
        &|c, pass| run_chunk(s, settings, c, if pass == 0 { progress } else { &|| {} }),
        &|c, chunk| {
            let _ = tallies[c as usize].set(tally::Tally::of(chunk, settings.years));
        },
        select::FIRST_COLLECT,
    );
    let tallies: Vec<tally::Tally> = tallies
        .into_iter()
        .map(|t| t.into_inner().unwrap_or_default())
        .collect();
    (tally::Tally::total(&tallies), stats)
}

/// End values after `settings.years` years, one per path, in path order.
///
/// # Errors
/// The assets' correlations cannot all hold together.
pub fn terminal_values(
    p: &Portfolio,
    plan: &PlanReport,
    settings: SimSettings,
) -> Result<Vec<f64>, ProjectionError> {
    let s = setup::setup(p, plan)?;
    let chunks = run_chunks(&s, settings, &|| {});
    Ok(chunks
        .iter()
        .flat_map(|c| match settings.years {
            0 => vec![0.0; c.len],
            y => c.value[(y as usize - 1) * c.len..].to_vec(),
        })
        .collect())
}

/// The refusal of a run whose reported amounts (a percentile or the mean of
/// a year's value or income) pass `project::PROJECTION_LIMIT`: a few paths
/// beyond the upper ones checked before the run (say on a portfolio whose
/// median path runs out while a very volatile asset soars) can lift the
/// mean there. Never shown as a figure it cannot hold.
fn past_limit(
    tally: &tally::Tally,
    stats: &[Vec<f64>],
    settings: SimSettings,
) -> Result<(), ProjectionError> {
    let limit = crate::engine::project::PROJECTION_LIMIT;
    let years = settings.years as usize;
    let within = |x: f64| x.is_finite() && x.abs() <= limit;
    // Year by year, value before income, so the first year past is named.
    for y in 0..years {
        for (s, what) in [(y, "value"), (years + y, "income")] {
            let mean = tally.mean(s);
            let percentiles = stats.get(s).map_or(&[][..], Vec::as_slice);
            if within(mean) && percentiles.iter().all(|&x| within(x)) {
                continue;
            }
            let year = y + 1;
            let which = if within(mean) {
                format!("{what} percentiles pass")
            } else {
                format!("mean {what} passes")
            };
            let paths = crate::money::group_thousands(settings.paths.into(), 0);
            return Err(ProjectionError {
                message: format!(
                    "the simulation's {which} 10^20 (the largest amount it computes \
                     exactly) in year {year}: a few of its {paths} paths grow that far, \
                     beyond the upper paths checked before the run"
                ),
                help: match year {
                    1 => "lower the volatility of the most volatile asset".to_string(),
                    2 => "simulate 1 year (--years 1), or lower the volatility of the most \
                          volatile asset"
                        .to_string(),
                    _ => format!(
                        "simulate at most {} years (--years), or lower the volatility of the \
                         most volatile asset",
                        year - 1
                    ),
                },
            });
        }
    }
    Ok(())
}

/// Runs the simulation. `progress` is called once per finished path.
///
/// # Errors
/// [`ProjectionError`] when the median path, or the upper paths around it,
/// would pass `project::PROJECTION_LIMIT` within the horizon: refused before
/// any path is drawn, never capped. Also when a run's reported amounts pass
/// it all the same (a mean lifted by a few extreme paths), after the run.
pub fn simulate(
    p: &Portfolio,
    plan: &PlanReport,
    settings: SimSettings,
    progress: &(dyn Fn() + Sync),
) -> Result<Simulation, ProjectionError> {
    let s = setup::setup(p, plan)?;
    // The upper paths reach about exp(4σ√t) above the median path by year t;
    // refuse up front what would pass the limit, as the projection does.
    let sigma = s
        .scaled
        .iter()
        .map(|row| row.iter().map(|c| c * c).sum::<f64>().sqrt())
        .fold(0.0f64, f64::max);
    let projection_end = crate::engine::project::median_path_end(p, plan, settings.years, sigma)?;
    let (tally, stats) = gather(&s, settings, KEEP_PATH_YEARS, progress);
    past_limit(&tally, &stats, settings)?;
    Ok(summary::summarise(
        p,
        plan,
        settings,
        &tally,
        &stats,
        projection_end,
    ))
}

#[cfg(test)]
mod tests;
