//! Benchmark of expected impermanent loss by numerical integration (not a test).
//!
//! Run: `cargo bench --bench il`. Target: under 10 µs for a concentrated position.

use std::hint::black_box;
use std::time::{Duration, Instant};

use yieldplan::engine::il::{Pool, expected_il, impermanent_loss};

/// Runs `f` repeatedly for about `budget` and returns the best time per call
/// over several rounds (the least disturbed by the rest of the machine).
fn time_per_call(budget: Duration, mut f: impl FnMut() -> f64) -> Duration {
    let mut calls = 1u32;
    loop {
        let start = Instant::now();
        for _ in 0..calls {
            black_box(f());
        }
        if start.elapsed() > Duration::from_millis(20) {
            break;
        }
        calls *= 2;
    }
    let rounds = (budget.as_millis() / 20).max(5);
    (0..rounds)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..calls {
                black_box(f());
            }
            start.elapsed() / calls
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let budget = Duration::from_millis(400);
    let cases = [
        ("constant product", Pool::ConstantProduct),
        ("weighted 80/20", Pool::Weighted { weight: 0.8 }),
        (
            "concentrated 0.8x-1.25x",
            Pool::Concentrated {
                lower: 0.8,
                upper: 1.25,
            },
        ),
        (
            "concentrated 0.5x-2x",
            Pool::Concentrated {
                lower: 0.5,
                upper: 2.0,
            },
        ),
        (
            "stable A = 100",
            Pool::Stable {
                amplification: 100.0,
            },
        ),
    ];
    println!("{:<26} {:>14} {:>14}", "pool", "IL at r (ns)", "E[IL] (us)");
    for (name, pool) in cases {
        let at = time_per_call(budget, || {
            impermanent_loss(black_box(&pool), black_box(1.37)).unwrap()
        });
        let expected = time_per_call(budget, || {
            expected_il(black_box(&pool), black_box(0.7), 1.0).unwrap()
        });
        println!(
            "{name:<26} {:>14.1} {:>14.3}",
            at.as_nanos() as f64,
            expected.as_nanos() as f64 / 1000.0
        );
    }
    let concentrated = time_per_call(budget, || {
        expected_il(
            &Pool::Concentrated {
                lower: 0.8,
                upper: 1.25,
            },
            black_box(0.7),
            1.0,
        )
        .unwrap()
    });
    let us = concentrated.as_nanos() as f64 / 1000.0;
    println!(
        "\nexpected IL, concentrated position: {us:.3} us per call (target < 10 us): {}",
        if us < 10.0 { "PASS" } else { "MISS" }
    );
}
