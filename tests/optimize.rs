//! `optimize` against answers worked out independently: a greedy case
//! solvable by hand, a three-position case against a brute-force grid, the
//! min-CVaR program against CVaR computed by sorting, an infeasible case and
//! its explanation, and written profiles that plan and check.

use std::path::Path;

use yieldplan::engine::optimize::report::OptimizeReport;
use yieldplan::engine::optimize::scenarios::cvar;
use yieldplan::engine::optimize::{GoalBand, Objective, OptimizeStatus, build};
use yieldplan::optimize::{OptimizeSettings, Optimized, optimize_profile};
use yieldplan::rates::RateBook;

fn settings(objective: Objective) -> OptimizeSettings {
    OptimizeSettings {
        objective,
        band: GoalBand::Low,
        scenarios: 400,
        seed: 7,
    }
}

fn run(text: &str, objective: Objective) -> Optimized {
    let path = Path::new("t.toml");
    let (text, spec, problems) = yieldplan::profile::read_profile(path, text.as_bytes()).unwrap();
    optimize_profile(
        path,
        &text,
        &spec,
        problems,
        &RateBook::default_book(),
        settings(objective),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn weights(r: &OptimizeReport) -> Vec<f64> {
    r.positions
        .iter()
        .map(|p| p.weight.unwrap().0.try_into().unwrap())
        .collect()
}

/// Lending positions on blue-chip protocols with flat yields; every cap off.
fn lending(value: u32, goal: &str, rows: &[(&str, &str, &str)]) -> String {
    let mut s = format!(
        "[portfolio]\nvalue = {value}\n{goal}\n[lints]\nallow = [\"protocol-concentration\", \"chain-concentration\", \"defi-heavy\"]\n"
    );
    for (i, (apy, protocol, weight)) in rows.iter().enumerate() {
        s.push_str(&format!(
            "[[position]]\nname = \"L{i}\"\nstrategy = \"lending\"\nasset = \"USDC\"\nprotocol = \"{protocol}\"\napy = \"{apy}\"\nweight = {weight}\n"
        ));
    }
    s
}

#[test]
fn max_income_with_bounds_only_is_greedy() {
    // All blue-chip (same 0.25% expected loss), no emissions: the
    // risk-adjusted income is the APY less 0.25%, so the best mix fills the
    // highest yield to its maximum, then the next: 8% → 50%, 6% → 30%,
    // 4% → the 20% left (its minimum is 10%).
    let text = lending(
        100_000,
        "",
        &[
            ("4%", "aave", "{ min = \"10%\", max = \"60%\" }"),
            ("8%", "compound", "{ max = \"50%\" }"),
            ("6%", "maker", "{ max = \"30%\" }"),
        ],
    );
    let done = run(&text, Objective::MaxIncome);
    assert_eq!(done.report.status, OptimizeStatus::Optimal);
    assert_eq!(weights(&done.report), vec![0.2, 0.5, 0.3]);
    // 100,000 × (0.2 × 4% + 0.5 × 8% + 0.3 × 6%) − 0.25% of it: 6,600 − 250.
    assert_eq!(
        done.report.objective.value.unwrap().0,
        rust_decimal::Decimal::from(6350)
    );
    // The two upper bounds bind; each point more would move a point from 4% to
    // the bound's position: 1,000 × (8% − 4%) = 40, 1,000 × (6% − 4%) = 20.
    let shadow: Vec<(String, String)> = done
        .report
        .binding
        .iter()
        .map(|b| {
            (
                b.constraint.clone(),
                b.shadow_price.unwrap().0.normalize().to_string(),
            )
        })
        .collect();
    assert!(
        shadow.contains(&("\"L1\" at most 50.00%".into(), "40".into())),
        "{shadow:?}"
    );
    assert!(
        shadow.contains(&("\"L2\" at most 30.00%".into(), "20".into())),
        "{shadow:?}"
    );
}

#[test]
fn min_risk_meets_the_goal_with_the_least_risk() {
    // Aave (blue-chip, 0.25% expected loss) pays 4%; Spark (established,
    // 0.75%) pays 10%. A 6,000 goal on 100,000 needs 6%: w·4% + (1−w)·10% = 6%
    // → w = 2/3 on Aave, the least Spark that meets the goal.
    let text = lending(
        100_000,
        "[goal]\nannual_income = 6000",
        &[
            ("4%", "aave", "{ max = \"100%\" }"),
            ("10%", "spark", "{ max = \"100%\" }"),
        ],
    );
    let done = run(&text, Objective::MinRisk);
    let w = weights(&done.report);
    // On the 0.01% grid, rounded so the goal is still met at the low band.
    assert!((w[0] - 2.0 / 3.0).abs() < 2e-4, "{w:?}");
    let plan = done.report.plan.as_ref().unwrap();
    assert!(plan.totals.annual_income.low.0 >= rust_decimal::Decimal::from(6000));
    assert_eq!(
        plan.goal.as_ref().unwrap().status,
        yieldplan::engine::plan::Status::Meets
    );
    assert!(
        done.report
            .binding
            .iter()
            .any(|b| b.constraint.starts_with("income goal"))
    );
}

/// Objective of a mix computed straight from the plan figures: (risk, income, goal yield).
fn grid_check(text: &str, objective: Objective) {
    let path = Path::new("g.toml");
    let book = RateBook::default_book();
    let (t, spec, problems) = yieldplan::profile::read_profile(path, text.as_bytes()).unwrap();
    let probe_spec = yieldplan::resolve::choices::probe(&spec);
    let probe = yieldplan::load_read(path, &t, &probe_spec, problems, &book).unwrap();
    let c = yieldplan::resolve::choices::choices(&spec, &probe, &book);
    let draws = if objective == Objective::MinCvar {
        yieldplan::engine::optimize::scenarios::draw(&probe, &c, 400, 7).unwrap()
    } else {
        Vec::new()
    };
    let p = build(&probe, &c, objective, GoalBand::Low, draws);
    let solved = yieldplan::engine::optimize::solve(&p, &p.rows).unwrap();
    let value = |w: &[f64]| -> f64 {
        let dot = |v: &[f64]| v.iter().zip(w).map(|(a, b)| a * b).sum::<f64>();
        match objective {
            Objective::MinRisk => dot(&p.risk),
            Objective::MaxIncome => -dot(&p.income),
            Objective::MinCvar => cvar(&p.scenarios, w, p.beta),
        }
    };
    // The program's optimum is the objective at its own weights...
    let at_solution = value(&solved.weights);
    let reported = match objective {
        Objective::MaxIncome => -solved.objective,
        _ => solved.objective,
    };
    assert!(
        (at_solution - reported).abs() < 1e-9,
        "{at_solution} vs {reported}"
    );
    // ...and no point of a 0.5% grid that meets every row does better.
    let feasible = |w: &[f64]| {
        p.rows.iter().all(|r| {
            let lhs = r.lhs(w);
            match r.sense {
                yieldplan::engine::optimize::Sense::AtMost => lhs <= r.rhs + 1e-12,
                yieldplan::engine::optimize::Sense::AtLeast => lhs >= r.rhs - 1e-12,
            }
        })
    };
    let mut best = f64::INFINITY;
    for a in 0..=200 {
        for b in 0..=(200 - a) {
            let w = [
                a as f64 / 200.0,
                b as f64 / 200.0,
                (200 - a - b) as f64 / 200.0,
            ];
            if feasible(&w) {
                best = best.min(value(&w));
            }
        }
    }
    assert!(best.is_finite(), "the grid has a feasible point");
    assert!(
        at_solution <= best + 1e-8,
        "LP {at_solution} worse than grid {best}"
    );
    assert!(
        best - at_solution < 2e-3,
        "grid {best} far from LP {at_solution}"
    );
}

/// Three positions with caps and a goal, for the grid checks.
const THREE: &str = "[portfolio]\nvalue = 100000\n[goal]\nannual_income = 5000\n\
    [lints]\nallow = [\"protocol-concentration\"]\n\
    [[position]]\nname = \"ETH staking\"\nstrategy = \"staking\"\nasset = \"ETH\"\nmethod = \"direct\"\nchain = \"ethereum\"\nweight = { max = \"100%\" }\n\
    [[position]]\nname = \"USDC on Spark\"\nstrategy = \"lending\"\nasset = \"USDC\"\nprotocol = \"spark\"\nchain = \"ethereum\"\napy = \"7%\"\nweight = { max = \"100%\" }\n\
    [[position]]\nname = \"ETH/USDC pool\"\nstrategy = \"liquidity\"\npair = [\"ETH\", \"USDC\"]\nprotocol = \"uniswap\"\nchain = \"arbitrum\"\nfee_apr = \"15%\"\nweight = { max = \"100%\" }\n";

#[test]
fn three_positions_agree_with_a_brute_force_grid() {
    grid_check(THREE, Objective::MinRisk);
    grid_check(THREE, Objective::MaxIncome);
}

#[test]
fn min_cvar_agrees_with_cvar_by_sorting_and_a_grid() {
    grid_check(THREE, Objective::MinCvar);
}

#[test]
fn an_unreachable_goal_is_explained() {
    // 4% and 6% positions, each capped at 50%: at most 5% a year, the goal
    // needs 5.5%; raising the 6% position's cap to 75% reaches it exactly.
    let text = lending(
        100_000,
        "[goal]\nannual_income = 5500",
        &[
            ("4%", "aave", "{ max = \"50%\" }"),
            ("6%", "compound", "{ max = \"50%\" }"),
        ],
    );
    let done = run(&text, Objective::MinRisk);
    assert_eq!(done.report.status, OptimizeStatus::Infeasible);
    assert!(done.sizes.is_empty());
    let why = done.report.infeasible.unwrap();
    assert_eq!(
        why.lines[0],
        "the income goal (before tax, low band) needs 5.50% of the value a year; the best mix under these bounds and caps pays 5.00%"
    );
    assert!(
        why.lines
            .contains(&"\"L1\" at most 50.00% → 75.00% would reach the goal".to_string()),
        "{:?}",
        why.lines
    );
    let c = why
        .conflicts
        .iter()
        .find(|c| c.constraint.contains("L1"))
        .unwrap();
    let needed: f64 = c.needed.unwrap().0.try_into().unwrap();
    assert!((needed - 0.75).abs() < 1e-5);
}

#[test]
fn conflicting_bounds_are_explained_before_the_goal() {
    // Minimums of 60% and 50% cannot both hold.
    let text = lending(
        1000,
        "",
        &[
            ("4%", "aave", "{ min = \"60%\" }"),
            ("6%", "compound", "{ min = \"50%\" }"),
        ],
    );
    let done = run(&text, Objective::MaxIncome);
    assert_eq!(done.report.status, OptimizeStatus::Infeasible);
    let why = done.report.infeasible.unwrap();
    assert!(
        why.lines[0].contains("conflict with each other"),
        "{:?}",
        why.lines
    );
    assert_eq!(why.conflicts.len(), 1, "{:?}", why.conflicts);
}

#[test]
fn the_same_profile_gives_the_same_answer() {
    let a = run(THREE, Objective::MinCvar);
    let b = run(THREE, Objective::MinCvar);
    assert_eq!(a, b);
}

#[test]
fn min_cvar_by_cuts_equals_the_full_rockafellar_uryasev_program() {
    // Two solutions of the same program: the cutting planes the command
    // uses, and the program written out with one row per scenario.
    let path = Path::new("c.toml");
    let book = RateBook::default_book();
    for text in [
        THREE,
        &std::fs::read_to_string("profiles/supplemental-income.toml").unwrap(),
    ] {
        let (t, spec, problems) = yieldplan::profile::read_profile(path, text.as_bytes()).unwrap();
        let probe = yieldplan::load_read(
            path,
            &t,
            &yieldplan::resolve::choices::probe(&spec),
            problems,
            &book,
        )
        .unwrap();
        let c = yieldplan::resolve::choices::choices(&spec, &probe, &book);
        let draws = yieldplan::engine::optimize::scenarios::draw(&probe, &c, 500, 11).unwrap();
        let p = build(&probe, &c, Objective::MinCvar, GoalBand::Mid, draws);
        let cuts = yieldplan::engine::optimize::solve(&p, &p.rows).unwrap();
        let full = yieldplan::engine::optimize::rockafellar_uryasev(&p, &p.rows).unwrap();
        assert!(
            (cuts.objective - full.objective).abs() < 1e-6,
            "cuts {} vs full {}",
            cuts.objective,
            full.objective
        );
        // And CVaR by sorting at the cut solution's weights is that optimum.
        assert!((cvar(&p.scenarios, &cuts.weights, p.beta) - cuts.objective).abs() < 1e-9);
    }
}

/// The min-CVaR program of a profile (500 scenarios, seed 11, mid band).
fn cvar_problem(text: &str) -> yieldplan::engine::optimize::Problem {
    let path = Path::new("c.toml");
    let book = RateBook::default_book();
    let (t, spec, problems) = yieldplan::profile::read_profile(path, text.as_bytes()).unwrap();
    let probe = yieldplan::load_read(
        path,
        &t,
        &yieldplan::resolve::choices::probe(&spec),
        problems,
        &book,
    )
    .unwrap();
    let c = yieldplan::resolve::choices::choices(&spec, &probe, &book);
    let draws = yieldplan::engine::optimize::scenarios::draw(&probe, &c, 500, 11).unwrap();
    build(&probe, &c, Objective::MinCvar, GoalBand::Mid, draws)
}

fn as_json(p: &yieldplan::engine::optimize::Problem) -> serde_json::Value {
    use yieldplan::engine::optimize::Sense;
    serde_json::json!({
        "beta": p.beta,
        "lo": p.lo,
        "hi": p.hi,
        "rows": p.rows.iter().map(|r| serde_json::json!({
            "coefs": r.coefs,
            "sense": match r.sense { Sense::AtMost => "le", Sense::AtLeast => "ge" },
            "rhs": r.rhs,
        })).collect::<Vec<_>>(),
        "scenarios": p.scenarios,
    })
}

/// Every number of `a` within `tol` of `b`'s, same shape.
fn close(a: &serde_json::Value, b: &serde_json::Value, tol: f64) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            (x.as_f64().unwrap() - y.as_f64().unwrap()).abs() <= tol
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| close(x, y, tol))
        }
        (Value::Object(x), Value::Object(y)) => x
            .iter()
            .filter(|(k, _)| k.as_str() != "scipy_optimum")
            .all(|(k, v)| y.get(k).is_some_and(|w| close(v, w, tol))),
        _ => a == b,
    }
}

#[test]
fn min_cvar_agrees_with_an_independent_solver() {
    // tests/reference/min-cvar-*.json hold these programs and their optima
    // found by SciPy's linprog (HiGHS) over the full Rockafellar–Uryasev
    // program (tests/reference/min_cvar_linprog.py). Regenerate with
    // WRITE_REFERENCE=1 cargo test --test optimize, then run the script on
    // each file.
    let supplemental = std::fs::read_to_string("profiles/supplemental-income.toml").unwrap();
    for (name, text) in [("three", THREE), ("supplemental", supplemental.as_str())] {
        let file = format!("tests/reference/min-cvar-{name}.json");
        let p = cvar_problem(text);
        let mine = as_json(&p);
        if std::env::var_os("WRITE_REFERENCE").is_some() {
            std::fs::write(&file, serde_json::to_string(&mine).unwrap()).unwrap();
            continue;
        }
        let reference: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        assert!(
            close(&mine, &reference, 1e-12),
            "{name}: the program changed: regenerate"
        );
        let scipy = reference["scipy_optimum"].as_f64().expect("run the script");
        let solved = yieldplan::engine::optimize::solve(&p, &p.rows).unwrap();
        assert!(
            (solved.objective - scipy).abs() < 1e-6,
            "{name}: ours {} vs SciPy {scipy}",
            solved.objective
        );
    }
}

/// In the min-CVaR scenarios a protocol's loss event strikes every position
/// on it at once: two lending positions on one protocol of a tier that
/// takes everything lose all their money in the same scenarios (about 20%
/// of them), never one without the other, while a position on another
/// protocol of that tier fails on its own draws.
#[test]
fn min_cvar_scenarios_fail_a_protocol_in_every_position_on_it() {
    let text = "[portfolio]\nvalue = 100000\n[assets.USDC]\nvolatility = \"0%\"\n\
        [risk_tiers.shaky]\nloss_probability = \"20%\"\nloss_given_event = \"100%\"\n\
        [protocols.onedex]\ntier = \"shaky\"\n[protocols.twodex]\ntier = \"shaky\"\n\
        [[position]]\nname = \"A\"\nstrategy = \"lending\"\nasset = \"USDC\"\nprotocol = \"onedex\"\napy = \"5%\"\nweight = { min = \"0%\", max = \"100%\" }\n\
        [[position]]\nname = \"B\"\nstrategy = \"lending\"\nasset = \"USDC\"\nprotocol = \"onedex\"\napy = \"5%\"\nweight = { min = \"0%\", max = \"100%\" }\n\
        [[position]]\nname = \"C\"\nstrategy = \"lending\"\nasset = \"USDC\"\nprotocol = \"twodex\"\napy = \"5%\"\nweight = \"rest\"\n";
    let path = Path::new("s.toml");
    let book = RateBook::default_book();
    let (t, spec, problems) = yieldplan::profile::read_profile(path, text.as_bytes()).unwrap();
    let probe_spec = yieldplan::resolve::choices::probe(&spec);
    let probe = yieldplan::load_read(path, &t, &probe_spec, problems, &book).unwrap();
    let c = yieldplan::resolve::choices::choices(&spec, &probe, &book);
    let names: Vec<&str> = c.positions.iter().map(|ch| ch.name.as_str()).collect();
    assert_eq!(names, ["A", "B", "C"]);
    let draws = yieldplan::engine::optimize::scenarios::draw(&probe, &c, 2000, 3).unwrap();
    let lost = |r: f64| r <= -1.0 + 1e-12;
    let (mut both, mut c_alone) = (0, 0);
    for s in &draws {
        assert_eq!(lost(s[0]), lost(s[1]), "{s:?}");
        both += usize::from(lost(s[0]));
        c_alone += usize::from(lost(s[2]) && !lost(s[0]));
    }
    // 20% of 2,000 is 400, with a standard deviation near 18.
    assert!((300..500).contains(&both), "{both}");
    assert!(c_alone > 200, "{c_alone}");
}

/// A pool whose profile gives its price ratio a volatility loses to
/// impermanent loss in the min-CVaR scenarios even with both prices flat,
/// as the plan expects it to (the ratio moves on a normal of its own); the
/// same pool with the ratio left to its flat assets never does.
#[test]
fn min_cvar_scenarios_move_a_pools_ratio_at_its_own_volatility() {
    let losses = |extra: &str| {
        let text = format!(
            "[portfolio]\nvalue = 100000\n\
             [assets.ETH]\nexpected_return = \"0%\"\nvolatility = \"0%\"\n\
             [assets.USDC]\nexpected_return = \"0%\"\nvolatility = \"0%\"\n\
             [[position]]\nname = \"pool\"\nstrategy = \"liquidity\"\npair = [\"ETH\", \"USDC\"]\n\
             risk_tier = \"none\"\nfee_apr = \"0%\"\nweight = \"100%\"\n{extra}"
        );
        let path = Path::new("r.toml");
        let book = RateBook::default_book();
        let (t, spec, problems) = yieldplan::profile::read_profile(path, text.as_bytes()).unwrap();
        let probe_spec = yieldplan::resolve::choices::probe(&spec);
        let probe = yieldplan::load_read(path, &t, &probe_spec, problems, &book).unwrap();
        let c = yieldplan::resolve::choices::choices(&spec, &probe, &book);
        let draws = yieldplan::engine::optimize::scenarios::draw(&probe, &c, 4000, 5).unwrap();
        draws.iter().map(|s| -s[0]).collect::<Vec<f64>>()
    };
    assert!(losses("").iter().all(|l| l.abs() < 1e-12));
    let own = losses("ratio_volatility = \"80%\"\n");
    assert!(own.iter().all(|l| *l >= -1e-12 && *l < 1.0));
    let mean = own.iter().sum::<f64>() / own.len() as f64;
    // The mean constant-product loss for ln r ~ N(0, 0.64) is 6.75%; the
    // losses' standard deviation is below 0.15, so 4,000 scenarios put the
    // mean within 0.01 of it.
    assert!((mean - 0.0675).abs() < 0.01, "{mean}");
}

/// One position of a random profile: (what it is, where it sits).
const MENU: [&str; 8] = [
    "strategy = \"lending\"\nasset = \"USDC\"\nprotocol = \"aave\"\nchain = \"ethereum\"",
    "strategy = \"lending\"\nasset = \"USDC\"\nprotocol = \"compound\"\nchain = \"arbitrum\"",
    "strategy = \"lending\"\nasset = \"USDT\"\nprotocol = \"aave\"\nchain = \"base\"",
    "strategy = \"staking\"\nasset = \"SOL\"\nmethod = \"direct\"",
    "strategy = \"staking\"\nasset = \"DOT\"\nmethod = \"direct\"",
    "strategy = \"staking\"\nasset = \"ETH\"\nmethod = \"liquid\"\nprotocol = \"lido\"\nchain = \"ethereum\"",
    "strategy = \"index\"\nindex = \"large-cap-staking\"",
    "strategy = \"hold\"\nasset = \"BTC\"",
];

/// A fraction with up to seven places, as a percentage string (e.g.
/// 3333333 → "33.33333%").
fn share(millionths_of_a_percent: u32) -> String {
    format!(
        "\"{}%\"",
        rust_decimal::Decimal::new(i64::from(millionths_of_a_percent), 5).normalize()
    )
}

/// A small random profile: a goal, caps off the 0.01% grid, ranges with
/// ends off it, fixed weights and a last position taking the rest.
#[allow(clippy::too_many_arguments)]
fn random_profile(
    value: u32,
    goal: u32,
    after_tax: bool,
    caps: [u32; 4],
    allow: u8,
    strategy_min: Option<u32>,
    positions: &[(usize, u32, u8, u32, u32)],
) -> String {
    let mut s = format!("[portfolio]\nvalue = {value}\n[goal]\nannual_income = {goal}\n");
    if after_tax {
        s.push_str("after_tax = true\n[assumptions]\ntax_rate = \"15%\"\n");
    }
    let names = [
        "protocol-concentration",
        "chain-concentration",
        "defi-heavy",
        "locked-liquidity",
    ];
    let allowed: Vec<String> = names
        .iter()
        .enumerate()
        .filter(|(i, _)| allow & (1 << i) != 0)
        .map(|(_, n)| format!("\"{n}\""))
        .collect();
    s.push_str(&format!(
        "[lints]\nallow = [{}]\nprotocol_concentration = {}\nchain_concentration = {}\ndefi_share = {}\nlocked_share = {}\n",
        allowed.join(", "),
        share(caps[0]),
        share(caps[1]),
        share(caps[2]),
        share(caps[3]),
    ));
    if let Some(min) = strategy_min {
        s.push_str(&format!(
            "[optimize.bounds]\nlending = {{ min = {} }}\n",
            share(min)
        ));
    }
    for (i, (kind, apy, sizing, a, b)) in positions.iter().enumerate() {
        let weight = if i + 1 == positions.len() {
            "\"rest\"".to_string()
        } else {
            let (lo, hi) = (a.min(b), a.max(b));
            match sizing % 4 {
                0 => format!("{{ max = {} }}", share(*hi)),
                1 => format!("{{ min = {}, max = {} }}", share(*lo), share(*hi)),
                2 => share(*lo / 8),
                _ => "{ max = \"100%\" }".to_string(),
            }
        };
        let apy = format!(
            "apy = \"{}%\"\n",
            rust_decimal::Decimal::new(i64::from(*apy), 3).normalize()
        );
        let apy = if MENU[*kind].contains("index") || MENU[*kind].contains("hold") {
            String::new()
        } else {
            apy
        };
        s.push_str(&format!(
            "[[position]]\nname = \"P{i}\"\n{}\n{apy}weight = {weight}\n",
            MENU[*kind]
        ));
    }
    s
}

/// Every rule the program had, checked on the plan of the mix reported (and
/// of the profile written from it): the goal at the band, no cap lint the
/// profile does not allow, the strategy bound, every weight inside its
/// range and on the 0.01% grid or at one of its range's ends.
fn holds_every_rule(text: &str, objective: Objective, band: GoalBand) -> Result<bool, String> {
    use yieldplan::engine::plan::Status;
    let path = Path::new("r.toml");
    let book = RateBook::default_book();
    let (t, spec, problems) =
        yieldplan::profile::read_profile(path, text.as_bytes()).map_err(|e| e.to_string())?;
    let done = optimize_profile(
        path,
        &t,
        &spec,
        problems,
        &book,
        OptimizeSettings {
            objective,
            band,
            scenarios: 100,
            seed: 3,
        },
    )
    .map_err(|e| e.to_string())?;
    if done.report.status == OptimizeStatus::Infeasible {
        assert!(done.report.plan.is_none() && done.sizes.is_empty());
        return Ok(false);
    }
    let plan = done.report.plan.as_ref().unwrap();
    let wanted = match band {
        GoalBand::Low => Status::Meets,
        GoalBand::Mid => Status::Likely,
    };
    let status = plan.goal.as_ref().unwrap().status;
    if status < wanted {
        return Err(format!("goal status {status:?} below {wanted:?}"));
    }
    let caps = [
        "protocol-concentration",
        "chain-concentration",
        "defi-heavy",
        "locked-liquidity",
    ];
    if let Some(w) = plan.warnings.iter().find(|w| caps.contains(&w.lint.name())) {
        return Err(format!("{}: {}", w.lint.name(), w.message));
    }
    if let Some(min) = text
        .split_once("lending = { min = \"")
        .and_then(|(_, r)| r.split_once("%\""))
    {
        let min: rust_decimal::Decimal = min.0.parse().unwrap();
        let lending = plan
            .diversification
            .by_strategy
            .iter()
            .find(|e| e.name == "lending")
            .map_or(rust_decimal::Decimal::ZERO, |e| e.share.0);
        if lending * rust_decimal::Decimal::ONE_HUNDRED < min {
            return Err(format!("lending {lending} below its {min}% minimum"));
        }
    }
    let mut off_grid = 0;
    for p in &done.report.positions {
        let w = p.weight.unwrap().0;
        if w < p.min.0 || w > p.max.0 {
            return Err(format!(
                "{} at {w} outside {}..{}",
                p.name, p.min.0, p.max.0
            ));
        }
        if !p.fixed && w.round_dp(4) != w && w != p.min.0 && w != p.max.0 {
            off_grid += 1;
        }
    }
    // Only the balancing position may be off the grid, taking what fixed
    // weights and ends off it leave.
    if off_grid > 1 {
        return Err(format!("{off_grid} weights off the grid"));
    }
    // The profile `--output` writes plans to the plan shown.
    let names: Vec<String> = done
        .report
        .positions
        .iter()
        .map(|p| p.name.clone())
        .collect();
    let new = yieldplan::profile::rewrite_weights(&t, &done.sizes, &names, &[], "", "chosen.")
        .map_err(|e| e.to_string())?;
    if !yieldplan::optimize::plans_as_shown(path, &new, &book, plan).map_err(|e| e.to_string())? {
        return Err("the written profile plans differently".into());
    }
    Ok(true)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(96))]

    /// Whatever the profile, a mix reported as found keeps every rule once
    /// planned exactly, as `plan` would plan the profile written with it.
    #[test]
    fn every_mix_found_keeps_every_rule_once_planned(
        value in proptest::sample::select(vec![1_000u32, 12_345, 100_000, 1_000_000, 2_500_000]),
        goal_per_mille in 5u32..60,
        after_tax in proptest::bool::ANY,
        caps in proptest::array::uniform4(3_000_000u32..9_500_000),
        allow in 0u8..16,
        strategy_min in proptest::option::weighted(0.3, 500_000u32..4_000_000),
        positions in proptest::collection::vec(
            (0usize..8, 500u32..12_000, 0u8..4, 1_000u32..9_999_999, 1_000u32..9_999_999),
            2..7,
        ),
        objective in proptest::sample::select(vec![Objective::MinRisk, Objective::MaxIncome, Objective::MinCvar]),
        band in proptest::sample::select(vec![GoalBand::Low, GoalBand::Mid]),
    ) {
        // A goal of 0.5% to 6% of the value, off the cent now and then.
        let goal = value / 1000 * goal_per_mille + goal_per_mille % 7;
        let text = random_profile(value, goal, after_tax, caps, allow, strategy_min, &positions);
        if let Err(e) = holds_every_rule(&text, objective, band) {
            proptest::prop_assert!(false, "{objective:?} {band:?}: {e}\n{text}");
        }
    }
}
