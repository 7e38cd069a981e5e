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
    assert_eq!(
        without_profile(plan),
        without_profile(report["plan"].clone()),
        "{profile} {extra:?}: the written profile plans differently"
    );
    let check = bin()
        .args(["check", new_s, "--require", "likely"])
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
                &["--objective", objective, "--scenarios", "300"],
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
