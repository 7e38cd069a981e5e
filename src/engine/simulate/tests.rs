//! Unit tests of the Monte Carlo projection: agreement with the deterministic
//! projection and the lognormal mean, monotonicity, reproducibility.

use std::path::Path;

use super::*;
use crate::money::Rate;
use crate::rates::RateBook;

fn load(text: &str) -> (Portfolio, PlanReport) {
    let book = RateBook::default_book();
    let p =
        crate::load(Path::new("m.toml"), text.as_bytes(), &book).unwrap_or_else(|e| panic!("{e}"));
    let plan = crate::engine::plan(&p);
    (p, plan)
}

const CALM: &str = "[portfolio]\nvalue = 500000\n[goal]\nannual_income = 30000\nstarts_in_years = 3\n\
    [assumptions]\ninflation = \"2%\"\nreinvest = \"50%\"\ntax_rate = \"10%\"\n\
    [assets.USDC]\nvolatility = \"0%\"\n[assets.DAI]\nvolatility = \"0%\"\n\
    [[position]]\nstrategy = \"lending\"\nasset = \"USDC\"\napy = \"6%\"\nrisk_tier = \"none\"\nweight = \"60%\"\n\
    [[position]]\nstrategy = \"lending\"\nasset = \"DAI\"\napy = \"4%\"\nrisk_tier = \"none\"\nweight = \"40%\"\n";

#[test]
fn zero_volatility_reproduces_the_deterministic_projection() {
    let (p, plan) = load(CALM);
    let years = 12;
    let sim = simulate(
        &p,
        &plan,
        SimSettings {
            years,
            paths: 50,
            seed: 1,
        },
        &|| {},
    );
    let det = crate::engine::project::project(&p, &plan, years).unwrap();
    for (q, row) in sim.value.iter().zip(&det.rows) {
        // Every path is the same path: all percentiles equal the projection.
        let diff = (q.p50.0 - row.end_value.0).abs();
        assert!(
            diff <= rust_decimal::Decimal::new(2, 2),
            "year {}: {} vs {}",
            q.year,
            q.p50.0,
            row.end_value.0
        );
        assert_eq!(q.p5, q.p95);
    }
    assert_eq!(
        sim.success_probability,
        Some(Rate(rust_decimal::Decimal::ONE))
    );
}

#[test]
fn mean_terminal_price_matches_the_lognormal_expectation() {
    // ETH held with an expected return of 8% a year: E[V_T] = V0 × 1.08^T.
    let text = "[portfolio]\nvalue = 1000\n[assets.ETH]\nexpected_return = \"8%\"\n\
        [[position]]\nstrategy = \"hold\"\nasset = \"ETH\"\nweight = \"100%\"\n";
    let (p, plan) = load(text);
    let years = 5;
    let v = terminal_values(
        &p,
        &plan,
        SimSettings {
            years,
            paths: 20_000,
            seed: 42,
        },
    );
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let expected = 1000.0 * 1.08f64.powi(years as i32);
    let se = sd / n.sqrt();
    assert!(
        (mean - expected).abs() < 3.0 * se,
        "mean {mean} vs {expected} (se {se})"
    );
}

#[test]
fn success_falls_as_the_goal_rises() {
    let base = "[portfolio]\nvalue = 1000000\n[goal]\nannual_income = GOAL\n\
        [[position]]\nstrategy = \"staking\"\nasset = \"ETH\"\nweight = \"50%\"\n\
        [[position]]\nstrategy = \"lending\"\nasset = \"USDC\"\nprotocol = \"aave\"\nweight = \"50%\"\n";
    let mut last = 2.0;
    for goal in [20_000, 40_000, 60_000, 90_000] {
        let (p, plan) = load(&base.replace("GOAL", &goal.to_string()));
        let sim = simulate(
            &p,
            &plan,
            SimSettings {
                years: 20,
                paths: 2_000,
                seed: 9,
            },
            &|| {},
        );
        let s = sim.success_probability.unwrap().to_f64();
        assert!(s <= last, "goal {goal}: {s} after {last}");
        last = s;
    }
    assert!(last < 0.5);
}

#[test]
fn the_same_seed_gives_identical_output_on_one_or_two_threads() {
    let (p, plan) = load(&CALM.replace("volatility = \"0%\"", "volatility = \"30%\""));
    let settings = SimSettings {
        years: 10,
        paths: 500,
        seed: 123,
    };
    let run = |threads| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let sim = pool.install(|| simulate(&p, &plan, settings, &|| {}));
        serde_json::to_string(&sim).unwrap()
    };
    assert_eq!(run(1), run(2));
    // A different seed gives a different result.
    let other = simulate(
        &p,
        &plan,
        SimSettings {
            seed: 124,
            ..settings
        },
        &|| {},
    );
    assert_ne!(run(1), serde_json::to_string(&other).unwrap());
}

#[test]
fn cholesky_reproduces_the_correlations() {
    let corr = vec![
        vec![1.0, 0.8, 0.3],
        vec![0.8, 1.0, 0.5],
        vec![0.3, 0.5, 1.0],
    ];
    let l = cholesky(&corr);
    for i in 0..3 {
        for j in 0..3 {
            let c: f64 = (0..3).map(|k| l[i][k] * l[j][k]).sum();
            assert!((c - corr[i][j]).abs() < 1e-12);
        }
    }
}
