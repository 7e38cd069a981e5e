//! The paths run through the shared one-year step (`engine::year::step`),
//! position by position as the projection runs it, kept as the reference
//! the specialised step of `columns` must equal: the tests here run both
//! on every shipped profile (as planned, calm and without rebalancing) and
//! on random setups, and compare every record bit for bit.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use super::path::{Chunk, income_years, run_batches, run_chunk};
use super::setup::{LossEvent, PosSetup, Ratio, Setup};
use super::stream::{PathRng, path_rng};
use crate::engine::il::ValueTable;
use crate::engine::year::{PositionYear, YearSettings, step};
use crate::model::Pool;

/// What a reference path reuses from year to year.
struct Scratch {
    z: Vec<f64>,
    log_factor: Vec<f64>,
    factor: Vec<f64>,
    values: Vec<f64>,
    inputs: Vec<PositionYear<f64>>,
}

/// The yield at quantile `u` of a `[low, mid, high]` band.
fn quantile_yield(b: &[f64; 3], u: f64) -> f64 {
    if u < 0.5 {
        b[0] + (b[1] - b[0]) * 2.0 * u
    } else {
        b[1] + (b[2] - b[1]) * (2.0 * u - 1.0)
    }
}

/// Draws a year's price factors, then the year's inputs of every position.
fn year_inputs(s: &Setup, rng: &mut PathRng, w: &mut Scratch) {
    for zi in &mut w.z {
        *zi = rng.sample(StandardNormal);
    }
    let ratio_z: Vec<f64> = (0..s.ratio_draws)
        .map(|_| rng.sample(StandardNormal))
        .collect();
    for i in 0..w.z.len() {
        let shock: f64 = s.scaled[i][..=i]
            .iter()
            .zip(&w.z)
            .map(|(c, zj)| c * zj)
            .sum();
        w.log_factor[i] = s.drift[i] + shock;
        w.factor[i] = w.log_factor[i].exp();
    }
    let u: f64 = rng.random();
    let draws: Vec<f64> = (0..s.sources).map(|_| rng.random::<f64>()).collect();
    let (factor, log_factor) = (&w.factor, &w.log_factor);
    w.inputs.clear();
    for pos in &s.positions {
        let (price, impermanent_loss) = match (pos.asset, pos.pair) {
            (Some(a), _) => (factor[a], 0.0),
            (_, Some((a, b, pool, share))) => {
                let (ln_r, r) = pos
                    .ratio
                    .moved((a, b), (log_factor, factor), &s.drift, &ratio_z);
                let il = match &pos.table {
                    Some(t) => t.impermanent_loss_at(ln_r, r),
                    None => pool.impermanent_loss(r),
                };
                (share * factor[a] + (1.0 - share) * factor[b], il)
            }
            _ => (1.0, 0.0),
        };
        let mut loss = 0.0;
        for e in pos.events.iter().filter(|e| draws[e.source] < e.chance) {
            loss = loss + e.loss - loss * e.loss;
        }
        w.inputs.push(PositionYear {
            paid_rate: quantile_yield(&pos.paid, u),
            compound_rate: quantile_yield(&pos.compound, u),
            price,
            impermanent_loss,
            loss,
        });
    }
}

/// The year's settings of the shared step.
fn settings(s: &Setup, year: u32, index: f64) -> YearSettings<f64> {
    let payout = match s.goal {
        Some((min, start, after_tax)) if year >= start => {
            let target = min * index;
            Some(if after_tax {
                target
            } else {
                target * (1.0 - s.tax)
            })
        }
        _ => None,
    };
    YearSettings {
        tax: s.tax,
        reinvest: s.reinvest,
        contribution: s.contribution * index,
        payout,
        rebalance: s.rebalance,
    }
}

/// True when a portfolio worth `value` earns the goal of the year.
fn covers_goal(s: &Setup, value: f64, index: f64) -> bool {
    let Some((min, _, after_tax)) = s.goal else {
        return false;
    };
    let basis = if after_tax {
        s.sustainable_yield * (1.0 - s.tax)
    } else {
        s.sustainable_yield
    };
    value * basis >= min * index
}

/// Paths `first .. first + len` through the shared step.
fn reference_chunk(s: &Setup, years: u32, seed: u64, first: u64, len: usize) -> Chunk {
    let k = s.drift.len();
    let cells = years as usize * len;
    let mut out = Chunk {
        len,
        value: vec![0.0; cells],
        income: vec![0.0; cells],
        paid: vec![false; income_years(s, years) * len],
        depleted: vec![false; len],
        years_to_goal: vec![u32::MAX; len],
    };
    let mut w = Scratch {
        z: vec![0.0; k],
        log_factor: vec![0.0; k],
        factor: vec![1.0; k],
        values: Vec::new(),
        inputs: Vec::new(),
    };
    for j in 0..len {
        let mut rng = path_rng(seed, first + j as u64);
        w.values.clear();
        w.values.extend(s.targets.iter().map(|t| t * s.value));
        let (mut index, mut income_year) = (1.0, 0);
        for year in 0..years {
            if out.years_to_goal[j] == u32::MAX && covers_goal(s, w.values.iter().sum(), index) {
                out.years_to_goal[j] = year;
            }
            year_inputs(s, &mut rng, &mut w);
            let settings = settings(s, year, index);
            let y = step(&mut w.values, &w.inputs, &s.targets, &settings);
            if settings.payout.is_some() {
                out.paid[income_year * len + j] = !y.depleted;
                income_year += 1;
            }
            if y.depleted || y.end <= 0.0 {
                out.depleted[j] = true;
            }
            let at = year as usize * len + j;
            out.value[at] = y.end;
            out.income[at] = y.gross_income;
            index *= 1.0 + s.inflation;
        }
        if out.years_to_goal[j] == u32::MAX && covers_goal(s, w.values.iter().sum(), index) {
            out.years_to_goal[j] = years;
        }
    }
    out
}

/// Runs `paths` paths of `s` both ways and asserts the records equal, bit
/// for bit.
fn assert_same_paths(s: &Setup, years: u32, paths: usize, name: &str) {
    let fast = run_chunk(s, years, 11, 5, paths, &|| {});
    let slow = reference_chunk(s, years, 11, 5, paths);
    assert_same_records(&fast, &slow, name);
}

/// Asserts two runs' records equal, bit for bit.
fn assert_same_records(fast: &Chunk, slow: &Chunk, name: &str) {
    let bits = |xs: &[f64]| xs.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&fast.value), bits(&slow.value), "{name}: values");
    assert_eq!(bits(&fast.income), bits(&slow.income), "{name}: income");
    assert_eq!(fast.paid, slow.paid, "{name}: paid");
    assert_eq!(fast.depleted, slow.depleted, "{name}: depleted");
    assert_eq!(fast.years_to_goal, slow.years_to_goal, "{name}: years");
}

/// The setups of every shipped profile: as planned, calm (no volatility,
/// spread or loss, the projection's path) and without rebalancing.
fn shipped_setups() -> Vec<(String, Setup)> {
    let book = crate::rates::RateBook::default_book();
    let mut out = Vec::new();
    for entry in std::fs::read_dir("profiles").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let p = crate::load(&path, &bytes, &book).unwrap_or_else(|e| panic!("{e}"));
        let plan = crate::engine::plan(&p);
        let name = path.display().to_string();
        let calm = super::tests::calm(p.clone());
        let calm_plan = crate::engine::plan(&calm);
        out.push((
            format!("{name} calm"),
            super::setup::setup(&calm, &calm_plan).unwrap(),
        ));
        let mut free = super::setup::setup(&p, &plan).unwrap();
        free.rebalance = !free.rebalance;
        out.push((format!("{name} rebalance flipped"), free));
        out.push((name, super::setup::setup(&p, &plan).unwrap()));
    }
    out
}

#[test]
fn the_specialised_step_equals_the_shared_step_on_every_shipped_profile() {
    let setups = shipped_setups();
    assert!(setups.len() >= 12);
    for (name, s) in &setups {
        assert_same_paths(s, 30, 200, name);
    }
}

/// A band with `low <= mid <= high` drawn from `rng`.
fn band(rng: &mut ChaCha8Rng) -> [f64; 3] {
    let mid: f64 = rng.random::<f64>() * 0.3 - 0.02;
    [
        mid - rng.random::<f64>() * 0.1,
        mid,
        mid + rng.random::<f64>() * 0.2,
    ]
}

/// A random setup: 1–6 assets with random drifts and a random lower
/// triangular factor, 1–12 positions of every kind (held, each pool shape
/// with and without a table, holding nothing), random bands (screened ones
/// too), loss events, tax, reinvestment, contributions, goals and
/// rebalancing.
fn random_setup(rng: &mut ChaCha8Rng, stable: &ValueTable) -> Setup {
    let k = rng.random_range(1..=6usize);
    let drift = (0..k).map(|_| rng.random::<f64>() * 0.3 - 0.1).collect();
    let scaled: Vec<Vec<f64>> = (0..k)
        .map(|i| (0..=i).map(|_| rng.random::<f64>() * 0.8 - 0.2).collect())
        .collect();
    let n = rng.random_range(1..=12usize);
    let mut positions = Vec::new();
    let mut ratio_draws = 0;
    let mut weights: Vec<f64> = (0..n).map(|_| rng.random::<f64>() + 0.01).collect();
    let total: f64 = weights.iter().sum();
    weights.iter_mut().for_each(|w| *w /= total);
    for _ in 0..n {
        let (a, b) = (rng.random_range(0..k), rng.random_range(0..k));
        let pool = match rng.random_range(0..4) {
            0 => Pool::ConstantProduct,
            1 => Pool::Weighted { weight: 0.8 },
            2 => Pool::Concentrated {
                lower: 0.5,
                upper: 2.0,
            },
            _ => Pool::Stable {
                amplification: 100.0,
            },
        };
        let kind = rng.random_range(0..4);
        let pair = (kind >= 2).then(|| {
            let share = pool.values(2.0).1 - pool.values(1.0).1;
            (a, b, pool, share)
        });
        let table = pair
            .filter(|(.., pool, _)| kind == 3 && matches!(pool, Pool::Stable { .. }))
            .map(|_| stable.clone());
        let screened = rng.random::<f64>() < 0.15;
        // 0 to 3 layers, on 4 protocols shared across positions.
        let events = (0..rng.random_range(0..4))
            .map(|_| LossEvent {
                source: rng.random_range(0..4),
                chance: rng.random::<f64>() * 0.3,
                loss: rng.random::<f64>(),
            })
            .collect();
        // A pool's ratio: as its assets move, scaled, or on its own draw.
        let ratio = match (pair.is_some(), rng.random_range(0..3)) {
            (true, 1) => Ratio::Scaled {
                centre: rng.random::<f64>() * 0.2 - 0.1,
                k: rng.random::<f64>() * 3.0,
            },
            (true, 2) => {
                ratio_draws += 1;
                Ratio::Own {
                    centre: rng.random::<f64>() * 0.2 - 0.1,
                    sigma: rng.random::<f64>(),
                    draw: ratio_draws - 1,
                }
            }
            _ => Ratio::Assets,
        };
        positions.push(PosSetup {
            asset: (kind == 0).then_some(a),
            pair,
            table: table.map(std::sync::Arc::new),
            paid: if screened { [0.0; 3] } else { band(rng) },
            compound: if screened { [0.0; 3] } else { band(rng) },
            events,
            ratio,
        });
    }
    let goal = (rng.random::<f64>() < 0.7).then(|| {
        (
            rng.random::<f64>() * 120_000.0,
            rng.random_range(0..8u32),
            rng.random::<bool>(),
        )
    });
    Setup {
        drift,
        scaled,
        positions,
        targets: weights,
        value: rng.random::<f64>() * 2e6,
        tax: rng.random::<f64>() * 0.5,
        inflation: rng.random::<f64>() * 0.06,
        reinvest: rng.random::<f64>(),
        contribution: rng.random::<f64>() * 40_000.0,
        goal,
        sustainable_yield: rng.random::<f64>() * 0.1,
        rebalance: rng.random::<bool>(),
        sources: 4,
        ratio_draws,
    }
}

/// Paths run in step a few at a time (batches of 1, 3 and 7 of 20 paths,
/// the last batch short) give the records of the shared step: a path's
/// record does not depend on the batch it runs in.
#[test]
fn batches_of_any_size_give_the_same_records() {
    for (name, s) in shipped_setups().iter().take(6) {
        let slow = reference_chunk(s, 12, 3, 40, 20);
        for batch in [1, 3, 7] {
            let fast = run_batches(s, (12, 3), 40, 20, batch, &|| {});
            assert_same_records(&fast, &slow, &format!("{name}, batches of {batch}"));
        }
    }
}

/// The copy of the batch's year for any processor and the one for AVX2
/// (when this processor has it) give the shared step's records.
#[test]
fn the_copies_for_any_processor_and_for_avx2_give_the_same_records() {
    for (name, s) in shipped_setups() {
        let slow = reference_chunk(&s, 12, 3, 40, 20);
        let any = super::cpu::generic_only(|| run_batches(&s, (12, 3), 40, 20, 7, &|| {}));
        let best = run_batches(&s, (12, 3), 40, 20, 7, &|| {});
        assert_same_records(&any, &slow, &format!("{name}, any processor"));
        assert_same_records(&best, &slow, &format!("{name}, this processor"));
    }
}

#[test]
fn the_specialised_step_equals_the_shared_step_on_random_setups() {
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    // Ratios beyond the table's range are solved exactly: both are tried.
    let stable = ValueTable::new(
        Pool::Stable {
            amplification: 100.0,
        },
        -1.0,
        1.0,
    )
    .unwrap();
    for case in 0..300 {
        let s = random_setup(&mut rng, &stable);
        assert_same_paths(&s, 25, 20, &format!("random setup {case}"));
    }
}
