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

fn stderr_of(args: &[&str]) -> (Option<i32>, String) {
    let out = bin().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A count below its least says "at least", above its most "at most", in
/// every command that reads counts.
#[test]
fn counts_out_of_range_name_the_bound_broken() {
    let p = "profiles/income-template.toml";
    for n in ["1", "2", "20", "99"] {
        let (code, err) = stderr_of(&["optimize", p, "--objective", "min-cvar", "--scenarios", n]);
        assert_eq!(code, Some(2));
        assert!(err.contains("scenarios is at least 100"), "{err}");
    }
    let (_, err) = stderr_of(&[
        "optimize",
        p,
        "--objective",
        "min-cvar",
        "--scenarios",
        "100001",
    ]);
    assert!(err.contains("scenarios is at most 100000"), "{err}");
    for n in ["0", "10"] {
        let (code, err) = stderr_of(&["plan", p, "--width", n]);
        assert_eq!(code, Some(2));
        assert!(err.contains("--width is at least 40"), "{err}");
    }
    let (_, err) = stderr_of(&["plan", p, "--simulate", "--paths", "0"]);
    assert!(err.contains("--paths must be positive"), "{err}");
}

/// Flags that would do nothing are refused: --scenarios and --seed serve
/// min-cvar only; `--output -` would mix the profile into the report.
#[test]
fn flags_that_would_do_nothing_are_refused() {
    let p = "profiles/income-template.toml";
    for (args, said) in [
        (
            vec!["--scenarios", "5000", "--seed", "5"],
            "--scenarios and --seed only apply to --objective min-cvar",
        ),
        (
            vec!["--seed", "5"],
            "--seed only applies to --objective min-cvar",
        ),
        (
            vec!["--objective", "max-income", "--scenarios", "500"],
            "(the objective here is max-income)",
        ),
        (
            vec!["--output", "-"],
            "--output - would put the new profile on standard output",
        ),
    ] {
        let mut all = vec!["optimize", p];
        all.extend(args);
        let (code, err) = stderr_of(&all);
        assert_eq!(code, Some(2), "{all:?}");
        assert!(err.contains(said), "{err}");
    }
    assert!(!Path::new("-").exists());
    let out = bin()
        .args([
            "optimize",
            p,
            "--objective",
            "min-cvar",
            "--scenarios",
            "200",
            "--seed",
            "5",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

/// No mix fits: the CSV carries only the grid, so the reasons go to stderr;
/// minimums over 100% are said as such, with the caps they break.
#[test]
fn infeasible_says_why_in_every_format() {
    let dir = scratch("infeasible");
    let p = dir.join("four.toml");
    let mut text = String::from("[portfolio]\nvalue = 100000\n");
    for (name, strategy, asset, extra) in [
        (
            "Aave",
            "lending",
            "USDC",
            "protocol = \"aave\"\nchain = \"ethereum\"\n",
        ),
        (
            "Comp",
            "lending",
            "USDT",
            "protocol = \"compound\"\nchain = \"ethereum\"\n",
        ),
        ("ETH", "staking", "ETH", ""),
        ("SOL", "staking", "SOL", ""),
    ] {
        text.push_str(&format!(
            "[[position]]\nname = \"{name}\"\nstrategy = \"{strategy}\"\nasset = \"{asset}\"\n{extra}weight = {{ min = \"30%\" }}\n"
        ));
    }
    fs::write(&p, text).unwrap();
    let ps = p.to_str().unwrap();
    let out = bin().args(["optimize", ps]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("the weights' minimums (fixed weights and amounts included) add up to 120.00%, more than 100%"), "{table}");
    assert!(
        table.contains("the minimums alone put 60.00% under DeFi at most 50.00%"),
        "{table}"
    );
    let (code, err) = stderr_of(&["optimize", ps, "--format", "csv"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("note: the weights' minimums"), "{err}");
    let (code, err) = stderr_of(&[
        "optimize",
        "profiles/financial-independence.toml",
        "--format",
        "csv",
    ]);
    assert_eq!(code, Some(1));
    assert!(err.contains("note: the income goal"), "{err}");
    fs::remove_dir_all(&dir).unwrap();
}

/// The written profile is a plan: each changed weight says what it was (a
/// range, "rest", an amount), no stale comment stays on it, and `#:schema`
/// and the pools snapshot are named from the new file's folder.
#[test]
fn the_written_profile_remembers_the_ranges_and_its_paths() {
    let dir = scratch("remember");
    let sub = dir.join("deeper");
    fs::create_dir_all(&sub).unwrap();
    let new = sub.join("mine.toml");
    let out = bin()
        .args([
            "optimize",
            "tests/fixtures/optimize-bounds.toml",
            "--output",
        ])
        .arg(&new)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = fs::read_to_string(&new).unwrap();
    assert!(
        !text.contains("# a range (up to 100%): optimize chooses"),
        "{text}"
    );
    assert!(
        text.contains("weight = \"30%\"  # optimize chose this; was weight = { min = \"10%\" }\n"),
        "{text}"
    );
    assert!(
        text.contains("weight = \"10%\"  # optimize chose this; was weight = { min = \"5%\", max = \"25%\" }\n"),
        "{text}"
    );
    assert!(text.contains("\nweight = \"rest\"\n"), "{text}");
    assert!(text.contains("# fixed: stays"), "{text}");
    assert!(
        text.contains("This file is a plan: its weights are fixed."),
        "{text}"
    );
    // The schema directive still points at the schema from the new folder.
    let cwd = std::env::current_dir().unwrap();
    {
        let target = sub.join("cand.toml");
        let args = [
            "optimize",
            "profiles/income-template.toml",
            "--candidates",
            "data/pools-sample.json",
            "--min-tvl",
            "0",
        ];
        let out = bin()
            .args(args)
            .arg("--output")
            .arg(&target)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let text = fs::read_to_string(&target).unwrap();
        let first = text.lines().next().unwrap();
        let schema = first.strip_prefix("#:schema ").unwrap();
        let resolved = if Path::new(schema).is_absolute() {
            PathBuf::from(schema)
        } else {
            sub.join(schema)
        };
        assert_eq!(
            fs::canonicalize(resolved).unwrap(),
            fs::canonicalize(cwd.join("schema/profile.schema.json")).unwrap()
        );
        // So does the snapshot the chosen pools take their yields from.
        let pools = text
            .lines()
            .find_map(|l| l.strip_prefix("pools = \""))
            .unwrap()
            .trim_end_matches('"');
        let resolved = if Path::new(pools).is_absolute() {
            PathBuf::from(pools)
        } else {
            sub.join(pools)
        };
        assert_eq!(
            fs::canonicalize(resolved).unwrap(),
            fs::canonicalize(cwd.join("data/pools-sample.json")).unwrap()
        );
        let check = bin().arg("check").arg(&target).output().unwrap();
        assert_eq!(check.status.code(), Some(0));
    }
    fs::remove_dir_all(&dir).unwrap();
}
