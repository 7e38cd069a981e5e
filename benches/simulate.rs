//! Benchmark of the Monte Carlo against its floor (not a test).
//!
//! Run: `cargo bench --bench simulate` (set `BENCH_RUNS` for more than 5
//! runs per measurement). For every shipped profile (`profiles/*.toml`)
//! it times the library's yearly simulation, 10,000 paths × 30 years, in
//! process, and its floor: a loop that draws exactly the random numbers the
//! model draws per path-year (one standard normal per asset, one uniform for
//! the yield quantile, one uniform per loss source: each protocol a
//! position can lose money in, and each layer naming none) and does one
//! `exp` per asset-year, with the same generator and
//! streams (`simulate::path_rng`) and the same rayon layout (a parallel
//! iterator over the model's chunks of paths, collected in chunk order).
//! Prints both (median of the runs, interleaved) and their ratio; target:
//! within 2× of the floor.

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use rand::RngExt;
use rand_distr::StandardNormal;
use rayon::prelude::*;
use yieldplan::engine::simulate::{PATHS_PER_CHUNK, SimSettings, path_rng, simulate};
use yieldplan::rates::RateBook;

/// What the model draws per path-year: `assets` normals (each feeding one
/// `exp`), the yield quantile, and `events` loss-event uniforms, from the
/// model's own streams, in the model's chunks of paths.
fn floor(settings: SimSettings, assets: usize, events: usize) -> Vec<f64> {
    (0..settings.paths.div_ceil(PATHS_PER_CHUNK))
        .into_par_iter()
        .map(|c| {
            let first = c * PATHS_PER_CHUNK;
            let mut acc = 0.0;
            for p in first..settings.paths.min(first + PATHS_PER_CHUNK) {
                let mut rng = path_rng(settings.seed, u64::from(p));
                for _ in 0..settings.years {
                    for _ in 0..assets {
                        let z: f64 = rng.sample(StandardNormal);
                        acc += (0.05 + 0.6 * z).exp();
                    }
                    let u: f64 = rng.random();
                    acc += u;
                    for _ in 0..events {
                        let e: f64 = rng.random();
                        acc += e;
                    }
                }
            }
            acc
        })
        .collect()
}

/// Median wall seconds of each closure over `runs` interleaved runs, after
/// one warm-up run each.
fn medians(runs: usize, fs: &mut [&mut dyn FnMut()]) -> Vec<f64> {
    for f in fs.iter_mut() {
        f();
    }
    let mut times = vec![Vec::with_capacity(runs); fs.len()];
    for _ in 0..runs {
        for (f, t) in fs.iter_mut().zip(times.iter_mut()) {
            let start = Instant::now();
            f();
            t.push(start.elapsed().as_secs_f64());
        }
    }
    times
        .into_iter()
        .map(|mut t| {
            t.sort_by(f64::total_cmp);
            t[t.len() / 2]
        })
        .collect()
}

fn main() {
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5)
        .max(1);
    let book = RateBook::default_book();
    let mut profiles: Vec<_> = std::fs::read_dir("profiles")
        .expect("run from the repository root")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    profiles.sort();
    let settings = SimSettings {
        years: 30,
        paths: 10_000,
        seed: yieldplan::engine::simulate::DEFAULT_SEED,
    };
    println!(
        "{} paths x {} years, {} threads, median of {runs} runs (interleaved)",
        settings.paths,
        settings.years,
        rayon::current_num_threads()
    );
    println!(
        "{:<38} {:>6} {:>6} {:>6} {:>10} {:>10} {:>7}  target <= 2x",
        "profile", "assets", "pos.", "events", "model ms", "floor ms", "ratio"
    );
    for path in &profiles {
        let bytes = std::fs::read(path).expect("a shipped profile");
        let portfolio = yieldplan::load(Path::new(path), &bytes, &book).expect("a valid profile");
        let plan = yieldplan::engine::plan(&portfolio);
        let assets = portfolio
            .positions
            .iter()
            .flat_map(|p| p.asset.iter().chain(p.pair.iter().flatten()))
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        let events = yieldplan::engine::simulate::loss_draws(&plan);
        let t = medians(
            runs,
            &mut [
                &mut || {
                    black_box(simulate(&portfolio, &plan, settings, &|| {}).ok());
                },
                &mut || {
                    black_box(floor(settings, assets, events));
                },
            ],
        );
        let (model, base) = (t[0], t[1]);
        let ratio = model / base;
        println!(
            "{:<38} {:>6} {:>6} {:>6} {:>10.1} {:>10.1} {:>6.1}x  {}",
            path.display(),
            assets,
            portfolio.positions.len(),
            events,
            model * 1e3,
            base * 1e3,
            ratio,
            if ratio <= 2.0 { "PASS" } else { "MISS" }
        );
    }
}
