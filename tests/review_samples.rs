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
