//! `yieldplan optimize` flags and messages through the real binary: counts
//! out of range name the bound broken, flags that would do nothing are
//! refused, an infeasible run says why in every format, and the written
//! profile remembers the ranges it replaced and names its paths from its
//! own folder.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_yieldplan"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("yieldplan-optf-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
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
    // --band chooses where an income goal is met: without a goal it is refused.
    let no_goal = scratch("no-goal").join("p.toml");
    let text = std::fs::read_to_string("tests/fixtures/optimize-bounds.toml").unwrap();
    let start = text.find("[goal]").expect("a goal");
    let end = text[start + 1..]
        .find("\n[")
        .map_or(text.len(), |e| start + 1 + e + 1);
    std::fs::write(&no_goal, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let (code, err) = stderr_of(&["optimize", no_goal.to_str().unwrap(), "--band", "mid"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("has no [goal]"), "{err}");
    let (code, err) = stderr_of(&["optimize", no_goal.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
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

/// `--output` writes a profile: a name ending in another extension (a
/// report's `.json`) is refused before anything is written.
#[test]
fn output_must_be_named_as_a_profile() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.json");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_yieldplan"))
        .args([
            "optimize",
            "profiles/income-template.toml",
            "-f",
            "json",
            "--output",
        ])
        .arg(&file)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("ends in .json"), "{err}");
    assert!(!file.exists());
}

/// The written profile keeps the original's layout: its byte-order mark and
/// `\r\n` line ends, and it still passes `check`.
#[test]
fn the_written_profile_keeps_crlf_and_a_bom() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string("profiles/income-template.toml").unwrap();
    let crlf = format!("\u{feff}{}", original.replace('\n', "\r\n"));
    let input = dir.path().join("in.toml");
    std::fs::write(&input, &crlf).unwrap();
    let output = dir.path().join("out.toml");
    let bin = env!("CARGO_BIN_EXE_yieldplan");
    let out = std::process::Command::new(bin)
        .arg("optimize")
        .arg(&input)
        .arg("--output")
        .arg(&output)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = std::fs::read_to_string(&output).unwrap();
    assert!(written.starts_with('\u{feff}'));
    assert_eq!(
        written.matches('\n').count(),
        written.matches("\r\n").count()
    );
    assert!(written.contains("\r\n"));
    let check = std::process::Command::new(bin)
        .arg("check")
        .arg(&output)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(0));
}

/// A profile whose every position has a fixed amount leaves nothing to
/// choose, and the report says so instead of calling every weight free.
#[test]
fn fixed_amounts_leave_nothing_to_choose() {
    let dir = scratch("all-fixed");
    let p = dir.join("fixed.toml");
    fs::write(
        &p,
        "name = \"F\"\n[portfolio]\nvalue = 2000\ncurrency = \"USD\"\n\
         [[position]]\nstrategy = \"hold\"\nasset = \"BTC\"\namount = 1000\n\
         [[position]]\nstrategy = \"hold\"\nasset = \"ETH\"\namount = 1000\n",
    )
    .unwrap();
    let out = bin()
        .args(["optimize", p.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("Every position has a fixed amount"), "{text}");
    assert!(!text.contains("every weight was free"), "{text}");
}
