//! Benchmark of the Monte Carlo (not a test).
//!
//! Run: `cargo bench --bench simulate`. Measures 10,000 paths × 30 years of
//! monthly steps × 10 positions, and the floor: drawing the same normal
//! variates and applying one exp per asset per step with the same generator
//! and the same parallel layout. Prints both and their ratio (target: the
//! simulation under 0.5 s and within 2× of the floor).

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use rayon::prelude::*;
use yieldplan::engine::simulate::{SimSettings, simulate};
use yieldplan::rates::RateBook;

/// Ten positions over seven assets, a goal with an income phase.
const PROFILE: &str = r#"
[portfolio]
value = 1000000
[goal]
annual_income = 50000
starts_in_years = 5
[assumptions]
reinvest = "50%"
[[position]]
strategy = "staking"
asset = "ETH"
weight = "15%"
[[position]]
strategy = "staking"
asset = "SOL"
weight = "10%"
[[position]]
strategy = "staking"
asset = "ADA"
weight = "5%"
[[position]]
strategy = "staking"
asset = "DOT"
weight = "5%"
[[position]]
strategy = "staking"
asset = "ATOM"
weight = "5%"
[[position]]
strategy = "lending"
asset = "USDC"
protocol = "aave"
weight = "20%"
[[position]]
strategy = "lending"
asset = "USDT"
protocol = "compound"
weight = "10%"
[[position]]
strategy = "liquidity"
pair = ["ETH", "USDC"]
protocol = "uniswap"
weight = "10%"
[[position]]
strategy = "farming"
protocol = "yearn"
weight = "5%"
[[position]]
strategy = "hold"
asset = "BTC"
weight = "15%"
"#;

fn floor(paths: u32, years: u32, assets: usize, seed: u64) -> f64 {
    (0..paths)
        .into_par_iter()
        .map(|p| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(u64::from(p));
            let mut acc = 0.0;
            let mut log = vec![0.0f64; assets];
            for _ in 0..years {
                let _u: f64 = rng.random();
                for _ in 0..12 {
                    for l in log.iter_mut() {
                        let z: f64 = rng.sample(StandardNormal);
                        *l += 0.01 * z;
                        acc += l.exp();
                    }
                }
            }
            acc
        })
        .sum()
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> f64 {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let book = RateBook::default_book();
    let portfolio =
        yieldplan::load(Path::new("bench.toml"), PROFILE.as_bytes(), &book).expect("bench profile");
    let plan = yieldplan::engine::plan(&portfolio);
    let settings = SimSettings {
        years: 30,
        paths: 10_000,
        seed: 7,
    };
    let assets = portfolio
        .positions
        .iter()
        .flat_map(|p| p.asset.iter().chain(p.pair.iter().flatten()))
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let sim = best_of(5, || simulate(&portfolio, &plan, settings, &|| {}));
    let base = best_of(5, || {
        floor(settings.paths, settings.years, assets, settings.seed)
    });
    println!(
        "positions {}, assets {assets}, paths {}, years {}, threads {}",
        portfolio.positions.len(),
        settings.paths,
        settings.years,
        rayon::current_num_threads()
    );
    println!(
        "simulation: {:.3} s (target < 0.5 s): {}",
        sim,
        if sim < 0.5 { "PASS" } else { "MISS" }
    );
    println!(
        "floor (normals + one exp per asset per step): {:.3} s",
        base
    );
    println!(
        "simulation / floor: {:.2}x (target <= 2x): {}",
        sim / base,
        if sim / base <= 2.0 { "PASS" } else { "MISS" }
    );
}
