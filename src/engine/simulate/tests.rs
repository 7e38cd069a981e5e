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

/// The simulation of profile `text` over `years` years, `paths` paths,
/// seed `seed`.
fn run(text: &str, years: u32, paths: u32, seed: u64) -> Simulation {
    let (p, plan) = load(text);
    simulate(&p, &plan, SimSettings { years, paths, seed }, &|| {}).unwrap()
}

/// Asserts `l·lᵀ` is `corr` within 1e-12.
fn assert_factors(l: &[Vec<f64>], corr: &[Vec<f64>]) {
    let n = corr.len();
    for i in 0..n {
        for j in 0..n {
            let c: f64 = (0..n).map(|k| l[i][k] * l[j][k]).sum();
            assert!((c - corr[i][j]).abs() < 1e-12, "{i} {j}: {c}");
        }
    }
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
    )
    .unwrap();
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

/// The standard normal quantile at `p` (Acklam's rational approximation,
/// relative error below 1.2e-9), for the analytic lognormal percentiles.
fn normal_quantile(p: f64) -> f64 {
    let a = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    let b = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    let c = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    let d = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let tail = |q: f64| {
        (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
            / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0)
    };
    if p < 0.02425 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.02425 {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
            / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0)
    }
}

#[test]
fn percentiles_and_mean_of_one_held_asset_match_the_lognormal() {
    // ETH held with a median yearly change of 8% and its book volatility σ:
    // V_T = V0·exp(T·ln 1.08 + σ√T·Z), so the p-quantile is
    // V0·1.08^T·exp(σ√T·Φ⁻¹(p)) and the mean V0·1.08^T·exp(σ²T/2).
    let text = "[portfolio]\nvalue = 1000\n[assets.ETH]\nexpected_return = \"8%\"\n\
        [[position]]\nstrategy = \"hold\"\nasset = \"ETH\"\nweight = \"100%\"\n";
    let (p, plan) = load(text);
    let sigma = p.assets["ETH"].volatility.unwrap().to_f64();
    let years = 5u32;
    let t = f64::from(years);
    let n = 20_000u32;
    let mut v = terminal_values(
        &p,
        &plan,
        SimSettings {
            years,
            paths: n,
            seed: 42,
        },
    )
    .unwrap();
    v.sort_by(f64::total_cmp);
    let nf = f64::from(n);
    let median = 1000.0 * 1.08f64.powf(t);
    let s = sigma * t.sqrt();
    for q in [0.05, 0.25, 0.5, 0.75, 0.95] {
        let z = normal_quantile(q);
        let analytic = median * (s * z).exp();
        // The sample quantile's standard error: sqrt(q(1−q)/n) / density.
        let density = (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt() / (analytic * s);
        let se = (q * (1.0 - q) / nf).sqrt() / density;
        let simulated = v[((q * nf).ceil() as usize).clamp(1, v.len()) - 1];
        assert!(
            (simulated - analytic).abs() < 3.0 * se,
            "p{q}: {simulated} vs {analytic} (se {se})"
        );
    }
    let mean = v.iter().sum::<f64>() / nf;
    let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (nf - 1.0)).sqrt();
    let expected = median * (s * s / 2.0).exp();
    assert!(
        (mean - expected).abs() < 3.0 * sd / nf.sqrt(),
        "mean {mean} vs {expected}"
    );
}

#[test]
fn success_falls_as_the_goal_rises() {
    let base = "[portfolio]\nvalue = 1000000\n[goal]\nannual_income = GOAL\n\
        [[position]]\nstrategy = \"staking\"\nasset = \"ETH\"\nweight = \"50%\"\n\
        [[position]]\nstrategy = \"lending\"\nasset = \"USDC\"\nprotocol = \"aave\"\nweight = \"50%\"\n";
    let mut last = 2.0;
    for goal in [20_000, 40_000, 80_000, 160_000] {
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
        )
        .unwrap();
        let s = sim.success_probability.unwrap().to_f64();
        assert!(s <= last, "goal {goal}: {s} after {last}");
        last = s;
    }
    assert!(last < 0.5);
}

#[test]
fn the_same_seed_gives_identical_output_on_one_two_or_sixteen_threads() {
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
        let sim = pool.install(|| simulate(&p, &plan, settings, &|| {}).unwrap());
        serde_json::to_string(&sim).unwrap()
    };
    // 500 paths: three full chunks and a short one.
    let one = run(1);
    assert_eq!(one, run(2));
    assert_eq!(one, run(16));
    // A different seed gives a different result.
    let other = simulate(
        &p,
        &plan,
        SimSettings {
            seed: 124,
            ..settings
        },
        &|| {},
    )
    .unwrap();
    assert_ne!(one, serde_json::to_string(&other).unwrap());
}

/// A token and its underlying at correlation 1 (a singular matrix) are
/// factored exactly, with no shock of the token's own, and nothing else is
/// shrunk; correlations that cannot all hold together are refused, naming
/// the asset where they stop fitting.
#[test]
fn cholesky_is_exact_on_dependent_assets_and_refuses_contradictions() {
    let corr = vec![
        vec![1.0, 1.0, 0.6],
        vec![1.0, 1.0, 0.6],
        vec![0.6, 0.6, 1.0],
    ];
    let l = cholesky(&corr).unwrap();
    assert_eq!(l[1][1], 0.0);
    assert_factors(&l, &corr);
    let contradictory = vec![
        vec![1.0, 0.99, 0.99],
        vec![0.99, 1.0, -0.99],
        vec![0.99, -0.99, 1.0],
    ];
    assert_eq!(cholesky(&contradictory), Err(2));
    // A dependent asset must correlate with a third as its twin does.
    let twins_apart = vec![
        vec![1.0, 1.0, 0.6],
        vec![1.0, 1.0, 0.2],
        vec![0.6, 0.2, 1.0],
    ];
    assert_eq!(cholesky(&twins_apart), Err(2));
}

#[test]
fn cholesky_reproduces_the_correlations() {
    let corr = vec![
        vec![1.0, 0.8, 0.3],
        vec![0.8, 1.0, 0.5],
        vec![0.3, 0.5, 1.0],
    ];
    assert_factors(&cholesky(&corr).unwrap(), &corr);
}

/// The portfolio with every source of randomness switched off: price
/// volatilities (and so pools' ratio volatilities), yield spreads (bands at
/// their mid) and protocol loss probabilities.
pub(super) fn calm(mut p: Portfolio) -> Portfolio {
    for a in p.assets.values_mut() {
        a.volatility = Some(Rate::ZERO);
    }
    let flat = |b: crate::model::Band| crate::model::Band::flat(b.mid);
    for pos in &mut p.positions {
        pos.apy = flat(pos.apy);
        pos.risk.loss_probability = Rate::ZERO;
        for l in &mut pos.stack {
            l.apy = flat(l.apy);
            l.reward_apy = flat(l.reward_apy);
            l.risk.loss_probability = Rate::ZERO;
        }
        if let Some(l) = &mut pos.liquidity {
            l.ratio_volatility = Rate::ZERO;
            l.fee_apr = flat(l.fee_apr);
            l.reward_apy = flat(l.reward_apy);
        }
        if let Some(s) = &mut pos.staking {
            s.apy = flat(s.apy);
        }
    }
    p
}

/// One path model: with every volatility, yield spread and loss probability
/// at zero, every simulated path is the deterministic projection, to the
/// cent, year by year, for every shipped profile.
#[test]
fn a_calm_simulation_is_the_projection_to_the_cent_for_every_shipped_profile() {
    let mut checked = 0;
    for entry in std::fs::read_dir("profiles").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let (p, _) = load(&text);
        let p = calm(p);
        let plan = crate::engine::plan(&p);
        let years = 30;
        let det = crate::engine::project::project(&p, &plan, years).unwrap();
        let sim = simulate(
            &p,
            &plan,
            SimSettings {
                years,
                paths: 3,
                seed: 7,
            },
            &|| {},
        )
        .unwrap();
        for (q, row) in sim.value.iter().zip(&det.rows) {
            let name = path.display();
            assert_eq!(q.p5.settle(), q.p95.settle(), "{name} year {}", q.year);
            assert_eq!(
                q.p50.settle(),
                row.end_value.settle(),
                "{name} year {}",
                q.year
            );
        }
        for (q, row) in sim.income.iter().zip(&det.rows) {
            assert_eq!(q.p50.settle(), row.gross_income.settle());
        }
        checked += 1;
    }
    assert!(checked >= 4);
}

/// A run too large to keep (here: any run, with the limit at 0) runs its
/// paths again to select its percentiles, and reports exactly what keeping
/// every path reports: for a volatile shipped profile (spread values, and
/// incomes with ties) and a calm one (every path the same value, resolved
/// to the last bit of the key).
#[test]
fn percentiles_found_by_passes_equal_those_of_kept_paths() {
    let text = std::fs::read_to_string("profiles/early-retirement.toml").unwrap();
    let (volatile, _) = load(&text);
    for p in [volatile.clone(), calm(volatile)] {
        let plan = crate::engine::plan(&p);
        let s = setup::setup(&p, &plan).unwrap();
        let settings = SimSettings {
            years: 6,
            paths: 700,
            seed: 11,
        };
        let (kept_tally, kept) = gather(&s, settings, u64::MAX, &|| {});
        let (tally, by_passes) = gather(&s, settings, 0, &|| {});
        assert_eq!(kept_tally, tally);
        // On any number of threads.
        for threads in [1, 16] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let again = pool.install(|| gather(&s, settings, 0, &|| {}));
            assert_eq!(again, (tally.clone(), by_passes.clone()));
        }
        for (a, b) in kept.iter().zip(&by_passes) {
            let bits = |v: &Vec<f64>| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(a), bits(b));
        }
        assert_eq!(kept.len(), 12);
    }
}

/// A profile of lending positions at 6% with zero volatility on protocol
/// `mydex` of a tier that loses `loss` with probability `chance`: `split`
/// positions sharing the value.
fn on_one_protocol(split: usize, chance: &str, loss: &str) -> String {
    let mut text = format!(
        "[portfolio]\nvalue = 1000000\n[goal]\nannual_income = 45000\n\
         [assumptions]\ninflation = \"0%\"\n[assets.USDC]\nvolatility = \"0%\"\n\
         [risk_tiers.shaky]\nloss_probability = \"{chance}\"\nloss_given_event = \"{loss}\"\n\
         [protocols.mydex]\ntier = \"shaky\"\n"
    );
    for i in 0..split {
        text.push_str(&format!(
            "[[position]]\nname = \"USDC {i}\"\nstrategy = \"lending\"\nasset = \"USDC\"\n\
             protocol = \"mydex\"\napy = \"6%\"\nweight = \"{}%\"\n",
            100.0 / split as f64
        ));
    }
    text
}

/// Money split over positions on one protocol fails together: one draw per
/// protocol and year, so four quarters on `mydex` have the same chance of
/// paying the goal and the same tail as the whole on it (not the thinner
/// tail of four independent events).
#[test]
fn positions_on_one_protocol_share_its_loss_events() {
    let one = run(&on_one_protocol(1, "5%", "70%"), 20, 4000, 5);
    let four = run(&on_one_protocol(4, "5%", "70%"), 20, 4000, 5);
    assert_eq!(one.success_probability, four.success_probability);
    assert_eq!(one.depletion_probability, four.depletion_probability);
    for (a, b) in one.value.iter().zip(&four.value) {
        for (x, y) in [(a.p5, b.p5), (a.p50, b.p50), (a.p95, b.p95)] {
            let gap = (x.0 - y.0).abs();
            assert!(
                gap <= rust_decimal::Decimal::new(1, 6),
                "year {}: {x:?} vs {y:?}",
                a.year
            );
        }
    }
    // With a total loss, every quarter goes at once: the year-1 P5 of a
    // 20% chance is nothing left, as `stress` says of the protocol failing.
    let total = run(&on_one_protocol(4, "20%", "100%"), 20, 4000, 5);
    assert_eq!(total.value[0].p5.0, rust_decimal::Decimal::ZERO);
}

/// A stacked position on two protocols draws each protocol's event: it loses
/// `1 − (1 − a)(1 − b)` when both fail (here 30% × 50% and 40% × 25%: both
/// fail 12% of the time, leaving 37.5%), and its mean loss is the plan's
/// expected loss, `1 − (1 − 0.15)(1 − 0.10) = 23.5%`.
#[test]
fn a_stacked_position_loses_to_each_of_its_protocols() {
    let text = "[portfolio]\nvalue = 100000\n[assumptions]\ninflation = \"0%\"\n\
        [assets.ETH]\nvolatility = \"0%\"\nexpected_return = \"0%\"\n\
        [assets.STETH]\nvolatility = \"0%\"\nexpected_return = \"0%\"\n\
        [risk_tiers.tier_a]\nloss_probability = \"30%\"\nloss_given_event = \"50%\"\n\
        [risk_tiers.tier_b]\nloss_probability = \"40%\"\nloss_given_event = \"25%\"\n\
        [protocols.pa]\ntier = \"tier_a\"\n[protocols.pb]\ntier = \"tier_b\"\n\
        [[position]]\nstrategy = \"staking\"\nasset = \"ETH\"\nmethod = \"liquid\"\nprotocol = \"pa\"\n\
        apy = \"0%\"\nweight = \"100%\"\n\
        [[position.stack]]\nstrategy = \"lending\"\nasset = \"STETH\"\nprotocol = \"pb\"\napy = \"0%\"\n";
    let sim = run(text, 1, 40_000, 9);
    let year = &sim.value[0];
    assert_eq!(year.p5.0, rust_decimal::Decimal::from(37_500));
    assert_eq!(year.p95.0, rust_decimal::Decimal::from(100_000));
    // The mean loss within 4 standard errors of 23.5%: the loss takes 0,
    // 25%, 50% or 62.5% of the value, so its standard deviation is below
    // 0.25 and the error of the mean of 40,000 paths below 0.00125.
    let mean = crate::engine::floats::float(year.mean.0) / 100_000.0;
    assert!(
        (1.0 - mean - 0.235).abs() < 0.005,
        "mean loss {}",
        1.0 - mean
    );
}

/// An ETH/USDC pool earning nothing, with both prices flat, under the
/// profile's `extra` lines: its year-1 value over 40,000 paths.
fn flat_pool_year_one(extra: &str) -> Percentiles {
    let text = format!(
        "[portfolio]\nvalue = 1000000\n[assumptions]\ninflation = \"0%\"\n\
         [assets.ETH]\nexpected_return = \"0%\"\nvolatility = \"{}\"\n\
         [assets.USDC]\nexpected_return = \"0%\"\nvolatility = \"0%\"\n\
         [[position]]\nstrategy = \"liquidity\"\npair = [\"ETH\", \"USDC\"]\nrisk_tier = \"none\"\n\
         fee_apr = \"0%\"\nweight = \"100%\"\n{}",
        if extra.contains("eth_volatility") {
            "80%"
        } else {
            "0%"
        },
        extra.replace("eth_volatility", "")
    );
    let sim = run(&text, 1, 40_000, 3);
    sim.value[0].clone()
}

/// The mean of `2√r/(1+r) − 1` for `ln r ~ N(0, σ²)`, by Gauss–Hermite
/// quadrature on a fine grid (an independent reference, not the pool code).
fn mean_constant_product_il(sigma: f64) -> f64 {
    let n = 20_001;
    let (mut sum, mut weight) = (0.0, 0.0);
    for i in 0..n {
        let x = -10.0 + 20.0 * i as f64 / (n - 1) as f64;
        let w = (-x * x / 2.0).exp();
        let r = (sigma * x).exp();
        sum += w * (2.0 * r.sqrt() / (1.0 + r) - 1.0);
        weight += w;
    }
    sum / weight
}

/// A pool's `ratio_volatility` (or `correlation`) drives its simulated
/// impermanent loss as it drives the plan's: with both prices flat and a
/// ratio volatility of 80% the ratio moves on its own draw; with ETH at 80%
/// and the ratio set to 40% the assets' shock is halved. Either way the
/// year's mean loss is the lognormal mean about the median ratio, within
/// four standard errors, and the money held follows the prices.
#[test]
fn a_pools_own_ratio_volatility_moves_its_simulated_ratio() {
    // Flat prices, no override: no loss at all.
    let calm = flat_pool_year_one("");
    assert_eq!(calm.p5, calm.p95);
    assert_eq!(calm.p5.0, rust_decimal::Decimal::from(1_000_000));
    // Flat prices, the ratio at 80%: a loss, as the plan expects one.
    let own = flat_pool_year_one("ratio_volatility = \"80%\"\n");
    let mean = crate::engine::floats::float(own.mean.0) / 1e6 - 1.0;
    let want = mean_constant_product_il(0.8);
    // The loss's standard deviation is below 0.15: 4 errors of the mean of
    // 40,000 paths is 0.003.
    assert!((mean - want).abs() < 0.003, "{mean} vs {want}");
    assert!(own.p95.0 <= rust_decimal::Decimal::from(1_000_000));
    // ETH at 80% against USDC with the ratio set to 40%: the pool's loss is
    // that of a 40% ratio, while its value still follows ETH's price half
    // way; with the ratio left to the assets, the loss of an 80% ratio.
    let halved = flat_pool_year_one("eth_volatility ratio_volatility = \"40%\"\n");
    let natural = flat_pool_year_one("eth_volatility");
    assert!(halved.p5.0 > natural.p5.0, "{halved:?} vs {natural:?}");
}

/// The years until the sustainable income covers the goal count the value
/// at the horizon's end: a calm profile of $100,000 reinvesting 5% a year
/// toward an $8,000 goal (its 5% yield pays that on $160,000, which it
/// reaches after 9.63 years, as the projection says) gets there in year 10,
/// also with a horizon of exactly 10 years, and not within 9.
#[test]
fn years_to_the_goal_count_the_horizons_end() {
    let text = "[portfolio]\nvalue = 100000\n[goal]\nannual_income = 8000\nstarts_in_years = 30\n\
        [assumptions]\ninflation = \"0%\"\nreinvest = \"100%\"\n[assets.USDC]\nvolatility = \"0%\"\n\
        [[position]]\nstrategy = \"lending\"\nasset = \"USDC\"\napy = \"5%\"\nrisk_tier = \"none\"\nweight = \"100%\"\n";
    let years = |horizon: u32| run(text, horizon, 20, 1).median_years_to_goal;
    assert_eq!(years(9), None);
    assert_eq!(years(10), Some(10));
    assert_eq!(years(12), Some(10));
}

/// The simulated income is gross (before tax), so the goal line it is set
/// against is the gross income that pays the goal: an after-tax goal of
/// $12,000 at 25% tax needs $16,000 before tax, indexed by 2% a year.
#[test]
fn the_goal_line_of_an_after_tax_goal_is_grossed_up() {
    let text = "[portfolio]\nvalue = 500000\n[goal]\nannual_income = 12000\nafter_tax = true\n\
        [assumptions]\ninflation = \"2%\"\ntax_rate = \"25%\"\n[assets.USDC]\nvolatility = \"0%\"\n\
        [[position]]\nstrategy = \"lending\"\nasset = \"USDC\"\napy = \"4%\"\nrisk_tier = \"none\"\nweight = \"100%\"\n";
    let sim = run(text, 2, 10, 1);
    let line: Vec<String> = sim
        .goal_line
        .iter()
        .map(|m| m.0.normalize().to_string())
        .collect();
    assert_eq!(line, ["16000", "16320"]);
}
