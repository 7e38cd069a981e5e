//! `yieldplan optimize` through the real binary: the profile `--output`
//! writes plans to exactly the plan shown and passes `check`, an existing
//! file is never overwritten, and every shipped profile gets a mix or an
//! explanation in every format.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_yieldplan"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("yieldplan-opt-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn json(args: &[&str]) -> (i32, serde_json::Value) {
    let out = bin().args(args).output().unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    (out.status.code().unwrap(), v)
}

/// The plan without its reference to the file it came from, nor the
/// sources of pool yields and the pools files it read (which name the
/// snapshot by the path it was read from); the number of pools files read
/// is kept.
fn without_profile(mut plan: serde_json::Value) -> serde_json::Value {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                m.remove("apy_source");
                m.values_mut().for_each(strip);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    plan.as_object_mut().unwrap().remove("profile");
    if let Some(files) = plan["inputs"]["pools_files"].as_array_mut() {
        for f in files.iter_mut() {
            *f = serde_json::Value::from("(pools file)");
        }
    }
    strip(&mut plan);
    plan
}

/// Optimizes `profile` with `extra` flags into a new file; when a mix is
/// found, the file's own plan is the plan shown and `check` passes it.
fn written_profile_plans_as_shown(profile: &str, extra: &[&str], dir: &Path, tag: &str) -> bool {
    let new = dir.join(format!("{tag}.toml"));
    let new_s = new.to_str().unwrap();
    let mut args = vec!["optimize", profile, "--format", "json", "--output", new_s];
    args.extend_from_slice(extra);
    let (code, report) = json(&args);
    if code == 1 {
        assert_eq!(report["status"], "infeasible");
        assert!(!new.exists(), "nothing is written when no mix fits");
        assert!(!report["infeasible"]["lines"].as_array().unwrap().is_empty());
        return false;
    }
    assert_eq!(code, 0, "{profile} {extra:?}");
    assert_eq!(report["status"], "optimal");
    let (plan_code, plan) = json(&["plan", new_s, "--format", "json"]);
    assert_eq!(plan_code, 0);
    let plan_again = plan.clone();
    assert_eq!(
        without_profile(plan),
        without_profile(report["plan"].clone()),
        "{profile} {extra:?}: the written profile plans differently"
    );
    let plan = plan_again;
    // The file meets what was asked: `meets` at the low band (the default),
    // `likely` at the mid band; the report's header says the same.
    let mid = extra.windows(2).any(|w| w == ["--band", "mid"]);
    let require = if mid { "likely" } else { "meets" };
    let status = plan["goal"]["status"].as_str();
    if let Some(status) = status {
        assert!(
            status == "meets" || (mid && status == "likely"),
            "{profile} {extra:?}: the written profile is {status}"
        );
    }
    let check = bin()
        .args(["check", new_s, "--require", require])
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    true
}

#[test]
fn the_written_profile_plans_as_shown_and_passes_check() {
    let dir = scratch("written");
    assert!(written_profile_plans_as_shown(
        "tests/fixtures/optimize-bounds.toml",
        &[],
        &dir,
        "bounds"
    ));
    assert!(written_profile_plans_as_shown(
        "tests/fixtures/optimize-bounds.toml",
        &["--objective", "max-income"],
        &dir,
        "bounds-income"
    ));
    assert!(written_profile_plans_as_shown(
        "profiles/income-template.toml",
        &[],
        &dir,
        "income"
    ));
    // Candidate pools chosen are written with their pool ids and snapshot.
    assert!(written_profile_plans_as_shown(
        "profiles/income-template.toml",
        &["--candidates", "data/pools-sample.json", "--min-tvl", "0"],
        &dir,
        "candidates"
    ));
    let text = fs::read_to_string(dir.join("candidates.toml")).unwrap();
    assert!(
        text.contains("pool_id = \"sample-0002-aave-usdc-arb\""),
        "{text}"
    );
    assert!(text.contains("[rates]\npools = "), "{text}");
    // The new file keeps the original's comments.
    let text = fs::read_to_string(dir.join("bounds.toml")).unwrap();
    assert!(text.contains("# fixed: stays"));
    assert!(text.contains("weight = \"rest\""));
    assert!(text.contains("# Weights chosen by `yieldplan optimize"));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn every_shipped_profile_gets_a_mix_or_an_explanation() {
    let dir = scratch("shipped");
    for entry in fs::read_dir("profiles").unwrap() {
        let path = entry.unwrap().path();
        let p = path.to_str().unwrap();
        for (i, objective) in ["min-risk", "max-income", "min-cvar"].iter().enumerate() {
            written_profile_plans_as_shown(
                p,
                &if *objective == "min-cvar" {
                    vec!["--objective", objective, "--scenarios", "300"]
                } else {
                    vec!["--objective", objective]
                },
                &dir,
                &format!("{}-{i}", path.file_stem().unwrap().to_string_lossy()),
            );
        }
        for format in ["table", "csv", "markdown"] {
            let out = bin()
                .args(["optimize", p, "--format", format])
                .output()
                .unwrap();
            assert!(matches!(out.status.code(), Some(0 | 1)), "{p} {format}");
            assert!(!out.stdout.is_empty());
        }
    }
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_existing_file_is_never_overwritten() {
    let dir = scratch("existing");
    let target = dir.join("mine.toml");
    fs::write(&target, "keep me").unwrap();
    let out = bin()
        .args(["optimize", "profiles/income-template.toml", "--output"])
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("never overwritten"));
    assert_eq!(fs::read_to_string(&target).unwrap(), "keep me");
    fs::remove_dir_all(&dir).unwrap();
}

/// Profiles whose index positions (split to the cent), amounts, "rest" and
/// after-tax goals lose cents on the 0.01% grid: at both bands and every
/// objective the written profile plans as shown and meets what was asked.
#[test]
fn rounding_never_leaves_the_written_profile_short_of_the_band() {
    let dir = scratch("rounding");
    let mut n = 0;
    let mut inputs: Vec<String> = fs::read_dir("profiles")
        .unwrap()
        .map(|e| e.unwrap().path().to_str().unwrap().to_string())
        .collect();
    inputs.sort();
    inputs.extend(
        [
            "tests/fixtures/optimize-kinds.toml",
            "tests/fixtures/optimize-index-goal.toml",
            "tests/fixtures/optimize-bounds.toml",
        ]
        .map(String::from),
    );
    for p in &inputs {
        for band in ["low", "mid"] {
            for objective in ["min-risk", "max-income"] {
                n += 1;
                written_profile_plans_as_shown(
                    p,
                    &["--band", band, "--objective", objective],
                    &dir,
                    &format!("r{n}"),
                );
            }
        }
    }
    // The reported case: an index range, an amount, "rest", an after-tax goal.
    for band in ["low", "mid"] {
        n += 1;
        assert!(written_profile_plans_as_shown(
            "tests/fixtures/optimize-kinds.toml",
            &[
                "--band",
                band,
                "--objective",
                "min-cvar",
                "--scenarios",
                "300"
            ],
            &dir,
            &format!("r{n}"),
        ));
    }
    fs::remove_dir_all(&dir).unwrap();
}

/// The header says the status the chosen mix's plan has, and "no income
/// goal" when there is none.
#[test]
fn the_header_states_the_plans_own_goal_status() {
    let out = bin()
        .args([
            "optimize",
            "tests/fixtures/optimize-kinds.toml",
            "--band",
            "mid",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("income goal met at the mid band (status likely)"),
        "{text}"
    );
    let dir = scratch("nogoal");
    let p = dir.join("nogoal.toml");
    fs::write(
        &p,
        "[portfolio]\nvalue = 1000\n[[position]]\nname = \"A\"\nstrategy = \"hold\"\nasset = \"BTC\"\nweight = \"rest\"\n",
    )
    .unwrap();
    let out = bin().arg("optimize").arg(&p).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("; no income goal"), "{text}");
    assert!(!text.contains("goal met"), "{text}");
    fs::remove_dir_all(&dir).unwrap();
}

/// A goal met exactly is listed as binding when an index position is
/// chosen (the solver lands a hair above the goal).
#[test]
fn the_goal_binds_beside_an_index_position() {
    for (profile, objective) in [
        ("tests/fixtures/optimize-index-goal.toml", "min-risk"),
        ("tests/fixtures/optimize-kinds.toml", "min-risk"),
    ] {
        let (code, report) = json(&[
            "optimize",
            profile,
            "--objective",
            objective,
            "--format",
            "json",
        ]);
        assert_eq!(code, 0);
        let binding: Vec<&str> = report["binding"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["constraint"].as_str().unwrap())
            .collect();
        assert!(
            binding.iter().any(|b| b.starts_with("income goal")),
            "{profile}: {binding:?}"
        );
    }
}

/// Pools sharing project, symbol and chain get names of their own; a pool id
/// or chain a profile cannot hold is skipped or shortened, with a note; the
/// written profile passes `check`.
#[test]
fn awkward_candidate_pools_still_give_a_profile_check_passes() {
    let dir = scratch("awkward");
    for (tag, pools) in [
        ("two", "tests/fixtures/pools-two-aave.json"),
        ("awkward", "tests/fixtures/pools-awkward.json"),
    ] {
        let new = dir.join(format!("{tag}.toml"));
        let out = bin()
            .args([
                "optimize",
                "profiles/income-template.toml",
                "--candidates",
                pools,
            ])
            .arg("--output")
            .arg(&new)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{err}");
        assert!(err.contains("note: "), "{err}");
        let check = bin().arg("check").arg(&new).output().unwrap();
        assert_eq!(
            check.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&check.stdout)
        );
        assert!(written_profile_plans_as_shown(
            "profiles/income-template.toml",
            &["--candidates", pools],
            &dir,
            &format!("{tag}-again"),
        ));
    }
    let out = bin()
        .args([
            "optimize",
            "profiles/income-template.toml",
            "--candidates",
            "tests/fixtures/pools-awkward.json",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("3 of 4 pools offered as candidates (1 with a pool id a profile cannot hold"),
        "{err}"
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = report["positions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"aave-v3 USDC (Arbitrum)"), "{names:?}");
    assert!(
        names.contains(&"aave-v3 USDC (Arbitrum) Prime market"),
        "{names:?}"
    );
    assert!(names.iter().all(|n| n.chars().count() <= 200), "{names:?}");
    // No pool qualifies: said on stderr.
    let out = bin()
        .args([
            "optimize",
            "profiles/income-template.toml",
            "--candidates",
            "data/pools-sample.json",
            "--min-tvl",
            "1e12",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("note: 0 of 10 pools offered as candidates (10 below the TVL floor)"),
        "{err}"
    );
    fs::remove_dir_all(&dir).unwrap();
}

/// More than 5,000 qualifying candidates are refused before any solving,
/// naming the `--min-tvl` that keeps the 5,000 largest; that floor runs.
#[test]
fn too_many_candidates_are_refused_with_the_floor_that_fits() {
    let dir = scratch("many-candidates");
    let pools: Vec<serde_json::Value> = (0..5_001)
        .map(|i| {
            serde_json::json!({
                "chain": "Ethereum", "project": "aave-v3", "symbol": "USDC",
                "tvlUsd": 2_000_000.0 + f64::from(i) * 1000.0, "apyBase": 4.0,
                "apyReward": null, "apy": 4.0, "pool": format!("pool-{i:05}"),
                "stablecoin": true, "ilRisk": "no", "exposure": "single",
                "mu": 4.0, "sigma": 0.5, "count": 400, "outlier": false, "apyMean30d": 4.0,
                "poolMeta": null,
                "predictions": {"predictedClass": "Stable/Up", "predictedProbability": 60,
                                "binnedConfidence": 2},
            })
        })
        .collect();
    let path = dir.join("many.json");
    std::fs::write(
        &path,
        serde_json::json!({"status": "success", "data": pools}).to_string(),
    )
    .unwrap();
    let out = bin()
        .args(["optimize", "profiles/income-template.toml", "--candidates"])
        .arg(&path)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("5001 pools qualify as candidates"), "{err}");
    // The smallest pool (TVL 2,000,000) is the one past the limit.
    assert!(
        err.contains("--min-tvl 2000001 keeps the 5000 largest"),
        "{err}"
    );
    assert!(!err.contains("offered as candidates"), "{err}");
}
