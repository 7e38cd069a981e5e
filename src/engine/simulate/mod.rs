//! Monte Carlo projection: many possible futures, with a seed.
//!
//! Each path steps yearly through the same one-year step as the
//! deterministic projection (`engine::year`). Asset prices are correlated,
//! exactly lognormal yearly factors (annual volatilities and correlations
//! from the rate book, a Cholesky factor) whose median follows the asset's
//! median yearly change, so the projection is the median path: with every
//! volatility, yield spread and loss probability at zero the simulation is
//! the projection, to the cent. A liquidity position is valued by its pool
//! maths from its two prices, so impermanent loss emerges from the paths.
//! Each year every yield is drawn within its band by one quantile shared by
//! all positions (yields rise and fall together), and protocol loss events
//! strike with each position's compounded probability and take its loss
//! given the event (a screened position, whose yield counts as zero, still
//! carries its risk).
//!
//! Every path has its own random stream (`stream`: Xoshiro256++ seeded
//! from the seed and the path number), paths run in parallel with rayon in
//! fixed chunks of paths and are gathered in path order, so the same seed
//! gives byte-identical output on any number of threads.
//!
//! Where is each thing? `setup` prepares what all paths share, `stream`
//! says which random numbers each path draws, `path` runs the futures,
//! `summary` gathers the paths, and `results` holds the report's types. No I/O: progress is reported through a callback.

mod path;
mod results;
mod setup;
mod stream;
mod summary;

use rayon::prelude::*;

use crate::engine::plan_report::PlanReport;
use crate::engine::project::ProjectionError;
use crate::model::Portfolio;

pub use results::{Percentiles, Simulation, YearChance};
pub use setup::cholesky;
pub use stream::{PathRng, path_rng};

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

/// Runs every path in parallel chunks, gathered in path order.
fn run_chunks(
    s: &setup::Setup,
    settings: SimSettings,
    progress: &(dyn Fn() + Sync),
) -> Vec<path::Chunk> {
    (0..settings.paths.div_ceil(PATHS_PER_CHUNK))
        .into_par_iter()
        .map(|c| {
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
        })
        .collect()
}

/// End values after `settings.years` years, one per path, in path order.
#[must_use]
pub fn terminal_values(p: &Portfolio, plan: &PlanReport, settings: SimSettings) -> Vec<f64> {
    let s = setup::setup(p, plan);
    let chunks = run_chunks(&s, settings, &|| {});
    chunks
        .iter()
        .flat_map(|c| match settings.years {
            0 => vec![0.0; c.len],
            y => c.value[(y as usize - 1) * c.len..].to_vec(),
        })
        .collect()
}

/// Runs the simulation. `progress` is called once per finished path.
///
/// # Errors
/// [`ProjectionError`] when the median path, or the upper paths around it,
/// would pass `project::PROJECTION_LIMIT` within the horizon: refused before
/// any path is drawn, never capped.
pub fn simulate(
    p: &Portfolio,
    plan: &PlanReport,
    settings: SimSettings,
    progress: &(dyn Fn() + Sync),
) -> Result<Simulation, ProjectionError> {
    let s = setup::setup(p, plan);
    // The upper paths reach about exp(4σ√T) above the median path; refuse up
    // front what would pass the limit, as the projection does.
    let sigma = s
        .scaled
        .iter()
        .map(|row| row.iter().map(|c| c * c).sum::<f64>().sqrt())
        .fold(0.0f64, f64::max);
    let spread = (4.0 * sigma * f64::from(settings.years).sqrt()).exp();
    let projection_end = crate::engine::project::median_path_end(p, plan, settings.years, spread)?;
    let chunks = run_chunks(&s, settings, progress);
    Ok(summary::summarise(
        p,
        plan,
        settings,
        &chunks,
        projection_end,
    ))
}

#[cfg(test)]
mod tests;
