//! The saved plans `review` is tried and tested on are what `plan` writes
//! today, so they cannot drift from the plan's JSON. When the plan's JSON
//! changes, rewrite each with the command named in the failure.

use std::fs;
use std::process::Command;

/// Each saved plan and the arguments of `yieldplan plan` that make it.
const SAVED: &[(&str, &[&str])] = &[
    (
        "data/review/plan-2026-q3.json",
        &[
            "tests/fixtures/real-data/sample-pools.toml",
            "--pools",
            "data/pools-sample.json",
        ],
    ),
    (
        "tests/fixtures/review/supplemental-q3.json",
        &["profiles/supplemental-income.toml"],
    ),
    (
        "tests/fixtures/review/with-pools-q3.json",
        &["tests/fixtures/with-pools.toml"],
    ),
    (
        "tests/fixtures/review/one-position-q3.json",
        &["tests/fixtures/review/one-position.toml"],
    ),
    (
        "tests/fixtures/review/formula-names-q3.json",
        &["tests/fixtures/formula-names.toml"],
    ),
];

#[test]
fn saved_plans_are_what_plan_writes_today() {
    for (file, args) in SAVED {
        let out = Command::new(env!("CARGO_BIN_EXE_yieldplan"))
            .arg("plan")
            .args(*args)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{file}");
        let saved = fs::read_to_string(file).unwrap();
        assert!(
            saved.as_bytes() == out.stdout.as_slice(),
            "{file} is stale; rewrite it with: yieldplan plan {} --format json --output {file}",
            args.join(" ")
        );
    }
}

/// Every `.toml` file directly in `dir`.
fn profiles_in(dir: &str) -> Vec<std::path::PathBuf> {
    let mut out: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    out.sort();
    out
}

/// The checks a snapshot is held to refuse only what no plan writes: the
/// plan of every shipped profile and of every test profile that plans
/// (liquidity with large expected losses, screened yields, stacks, indexes,
/// pools, negative income) reads back, and its review of itself passes.
#[test]
fn every_plan_reads_back_as_a_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = dir.path().join("snapshot.json");
    let mut planned = 0;
    for profile in ["profiles", "tests/fixtures", "tests/fixtures/review"]
        .iter()
        .flat_map(|d| profiles_in(d))
    {
        let out = Command::new(env!("CARGO_BIN_EXE_yieldplan"))
            .arg("plan")
            .arg(&profile)
            .args(["--format", "json", "--output"])
            .arg(&snapshot)
            .output()
            .unwrap();
        if !out.status.success() {
            continue;
        }
        planned += 1;
        let out = Command::new(env!("CARGO_BIN_EXE_yieldplan"))
            .arg("review")
            .arg(&profile)
            .arg("--since")
            .arg(&snapshot)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}: {}",
            profile.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(planned >= 20, "only {planned} profiles planned");
}
