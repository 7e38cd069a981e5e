//! Runs the real binary: snapshot cases for every command, format and exit
//! code (tests/cmd/*.trycmd), and file-writing behaviour.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_yieldplan"))
}

#[test]
fn snapshot_cases() {
    trycmd::TestCases::new()
        .case("tests/cmd/*.trycmd")
        .case("tests/cmd/*.toml");
}

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("yieldplan-test-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn every_shipped_profile_plans() {
    let mut count = 0;
    for entry in fs::read_dir("profiles").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            count += 1;
            for format in ["table", "json", "csv", "markdown"] {
                let out = bin()
                    .args(["plan"])
                    .arg(&path)
                    .args(["--format", format])
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{} --format {format}: {}",
                    path.display(),
                    String::from_utf8_lossy(&out.stderr)
                );
                assert!(!out.stdout.is_empty());
            }
        }
    }
    assert!(count >= 4, "expected the four seed profiles, found {count}");
}

#[test]
fn json_output_parses_and_matches_the_contract() {
    let out = bin()
        .args([
            "plan",
            "profiles/supplemental-income.toml",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "schema_version",
        "profile",
        "portfolio",
        "positions",
        "totals",
        "goal",
        "warnings",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["schema_version"], 1);
    let p = &v["positions"][0];
    for key in [
        "name",
        "strategy",
        "asset",
        "pair",
        "protocol",
        "chain",
        "amount",
        "weight",
        "apy",
        "reward_share",
        "expected_il",
        "net_apy",
        "annual_income",
        "screened",
    ] {
        assert!(p.get(key).is_some(), "position lacks {key}");
    }
    for key in [
        "annual_target",
        "required_yield",
        "required_yield_max",
        "ceiling",
        "status",
        "gap",
    ] {
        assert!(v["goal"].get(key).is_some(), "goal lacks {key}");
    }
    // Money is a JSON number, not a string.
    assert!(v["portfolio"]["value"].is_number());
    assert!(v["totals"]["apy"]["mid"].is_number());
}

#[test]
fn output_is_written_whole_and_replaces_an_earlier_file() {
    let dir = scratch("output");
    let target = dir.join("plan.json");
    fs::write(&target, "old").unwrap();
    let status = bin()
        .args([
            "plan",
            "profiles/supplemental-income.toml",
            "--format",
            "json",
            "--output",
        ])
        .arg(&target)
        .status()
        .unwrap();
    assert!(status.success());
    let text = fs::read_to_string(&target).unwrap();
    assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok());
    // No temporary file is left behind.
    assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
}

#[test]
fn a_failed_run_leaves_an_earlier_output_intact() {
    let dir = scratch("intact");
    let target = dir.join("plan.json");
    fs::write(&target, "earlier").unwrap();
    let out = bin()
        .args(["plan", "tests/fixtures/broken.toml", "--output"])
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(fs::read_to_string(&target).unwrap(), "earlier");
}

#[test]
fn the_input_profile_is_never_overwritten() {
    let dir = scratch("input");
    let profile = dir.join("p.toml");
    fs::copy("profiles/supplemental-income.toml", &profile).unwrap();
    let before = fs::read(&profile).unwrap();
    let out = bin()
        .arg("plan")
        .arg(&profile)
        .arg("--output")
        .arg(&profile)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is an input of this run"));
    assert_eq!(fs::read(&profile).unwrap(), before);
}

#[test]
fn a_directory_or_missing_directory_as_output_is_a_clear_error() {
    let dir = scratch("dir");
    let out = bin()
        .args(["plan", "profiles/supplemental-income.toml", "--output"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a directory"));
    // The example path fits the flag: --plot takes an SVG.
    let svg = dir.join("chart.svg");
    std::fs::create_dir_all(&svg).unwrap();
    let out = bin()
        .args(["project", "profiles/supplemental-income.toml", "--simulate"])
        .args(["--paths", "10", "--plot"])
        .arg(&svg)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is a directory") && err.contains("fan.svg"),
        "{err}"
    );
    let out = bin()
        .args(["plan", "profiles/supplemental-income.toml", "--output"])
        .arg(dir.join("no/such/dir/plan.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let mut child = bin()
        .args(["rates", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close our end at once, like `| head -0`.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty());
}

#[test]
fn output_does_not_depend_on_the_terminal_width() {
    let run = |cols: &str| {
        bin()
            .args(["plan", "profiles/supplemental-income.toml"])
            .env("COLUMNS", cols)
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(run("40"), run("300"));
}

#[test]
fn imported_pool_bands_replay_through_rates() {
    let dir = scratch("import");
    let book = dir.join("rates.toml");
    let out = bin()
        .args([
            "rates",
            "import",
            "tests/fixtures/pools.json",
            "--as-of",
            "2026-11-27",
            "--out",
        ])
        .arg(&book)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Five good pools, three skipped.
    assert!(String::from_utf8_lossy(&out.stderr).contains("wrote 5 pools"));
    // A profile naming a pool id, without any snapshot of its own.
    let profile = dir.join("p.toml");
    fs::write(
        &profile,
        "[portfolio]\nvalue = 1000\n[[position]]\nstrategy = \"lending\"\npool_id = \"aa70268e-4b52-42bf-a116-608b370f9501\"\nweight = \"100%\"\n",
    )
    .unwrap();
    let with_book = bin()
        .arg("plan")
        .arg(&profile)
        .arg("--rates")
        .arg(&book)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        with_book.status.success(),
        "{}",
        String::from_utf8_lossy(&with_book.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&with_book.stdout).unwrap();
    // mid = the total APY today, 4.51%.
    assert_eq!(v["positions"][0]["apy"]["mid"].as_f64(), Some(0.0451));
    assert_eq!(v["positions"][0]["asset"], "USDC");
    // The same with the snapshot given directly.
    let with_snapshot = bin()
        .arg("plan")
        .arg(&profile)
        .args(["--pools", "tests/fixtures/pools.json", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        with_snapshot.status.success(),
        "{}",
        String::from_utf8_lossy(&with_snapshot.stderr)
    );
    let w: serde_json::Value = serde_json::from_slice(&with_snapshot.stdout).unwrap();
    assert_eq!(w["positions"][0]["apy"], v["positions"][0]["apy"]);
    // Without either, the id is unknown: exit 2, naming it.
    let without = bin().arg("plan").arg(&profile).output().unwrap();
    assert_eq!(without.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&without.stderr).contains("aa70268e-4b52-42bf-a116-608b370f9501")
    );
}

/// Every command that takes a profile loads it the same way: a profile's
/// `[rates] pools` snapshot is read for plan, check, compare, stress,
/// project and project --simulate alike (stress once ignored it).
#[test]
fn every_profile_command_honours_the_profiles_pools_snapshot() {
    let profile = "tests/fixtures/with-pools.toml";
    let runs: [&[&str]; 6] = [
        &["plan", profile],
        &["check", profile],
        &["compare", profile, profile],
        &["stress", profile],
        &["project", profile, "--years", "3"],
        &[
            "project",
            profile,
            "--years",
            "3",
            "--simulate",
            "--paths",
            "50",
        ],
    ];
    for args in runs {
        let out = bin().args(args).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{args:?} exited {:?}: {stderr}",
            out.status.code()
        );
        assert!(
            !stderr.contains("not in the pools snapshot"),
            "{args:?}: {stderr}"
        );
        assert!(stdout.contains("From the snapshot"), "{args:?}: {stdout}");
    }
    // The snapshot's figures reach the stressed plan: the largest protocol
    // is the snapshot's `aave-v3`, known by its one id `aave`.
    let out = bin().args(["stress", profile]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("aave fails"));
}

/// `plan --simulate`, `check --min-success` and `compare --simulate` run the
/// same Monte Carlo: the same profile, paths and seed give the same chance.
#[test]
fn plan_check_and_compare_share_one_simulation() {
    let profile = "profiles/supplemental-income.toml";
    let json = |args: &[&str]| -> serde_json::Value {
        let out = bin().args(args).output().unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let plan = json(&["plan", profile, "--simulate", "--format", "json"]);
    let chance = plan["simulation"]["success_probability"].as_f64().unwrap();
    assert!(chance > 0.0 && chance <= 1.0);
    let compare = json(&[
        "compare",
        profile,
        profile,
        "--simulate",
        "--format",
        "json",
    ]);
    let rows = compare["profiles"].as_array().unwrap();
    assert_eq!(rows[0]["success_probability"].as_f64(), Some(chance));
    // check passes a floor just below the chance and fails one just above.
    let below = format!("{}", (chance - 0.01).max(0.0));
    let above = format!("{}", (chance + 0.01).min(1.0));
    let code = |p: &str| {
        bin()
            .args(["check", profile, "--min-success", p])
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(code(&below), Some(0));
    if chance < 0.99 {
        assert_eq!(code(&above), Some(1));
    }
    // Without --simulate the plan carries no simulation.
    let plain = json(&["plan", profile, "--format", "json"]);
    assert!(plain["simulation"].is_null());
}

/// Every command pasted in the README, with its output, is run and compared
/// (`...` stands for lines left out), so the README cannot go stale.
#[test]
fn the_readme_examples_are_current() {
    trycmd::TestCases::new().case("README.md");
}

/// The simulation refuses, before drawing anything, a horizon whose amounts
/// would pass the limit, exactly as `project` does: never a panic, never a
/// capped number; `check` still reports the profiles that are fine.
#[test]
fn every_simulating_command_refuses_an_overflowing_horizon() {
    let hot = "tests/fixtures/overflow-inflation-80.toml";
    let good = "profiles/supplemental-income.toml";
    let runs: [&[&str]; 3] = [
        &[
            "project",
            hot,
            "--years",
            "100",
            "--simulate",
            "--paths",
            "20",
        ],
        &["plan", hot, "--simulate", "--years", "100", "--paths", "20"],
        &[
            "compare",
            hot,
            good,
            "--simulate",
            "--years",
            "100",
            "--paths",
            "20",
        ],
    ];
    for args in runs {
        let out = bin().args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("10^20 (the largest amount") && err.contains("inflation"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("internal error"), "{args:?}: {err}");
    }
    // 99% reinvested for 100 years: refused, not capped at the largest decimal.
    let out = bin()
        .args([
            "project",
            "tests/fixtures/overflow-apy-99-reinvested.toml",
            "--years",
            "100",
        ])
        .args(["--simulate", "--paths", "20", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("79228162514264337593543950335"));
}

/// `yieldplan man` prints roff pages, for the program and each command.
#[test]
fn man_pages_are_roff_for_the_program_and_each_command() {
    let out = bin().arg("man").output().unwrap();
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains(".TH yieldplan 1"), "{page}");
    assert!(page.contains("completions"), "{page}");
    let out = bin().args(["man", "plan"]).output().unwrap();
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains(".TH yieldplan-plan 1"), "{page}");
    assert!(page.contains("\\-\\-format"), "{page}");
    let out = bin().args(["man", "nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("no command is named \"nope\""), "{err}");
}

#[test]
fn every_init_template_plans_and_is_never_written_over_a_file() {
    let dir = scratch("init");
    for template in ["income", "supplemental", "retirement", "independence"] {
        let path = dir.join(format!("{template}.toml"));
        let out = bin()
            .args(["init", "--template", template, "--value", "300000"])
            .args(["--monthly-income", "1500", "-o"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(out.status.success(), "{template}: {out:?}");
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains("value = 300000"), "{text}");
        assert!(text.contains("monthly_income = 1500"), "{text}");
        assert!(!text.contains("{{"), "{text}");
        let plan = bin().arg("plan").arg(&path).output().unwrap();
        assert!(plan.status.success(), "{template}: {plan:?}");
        let again = bin()
            .args(["init", "--template", template, "-o"])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(again.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
        assert_eq!(fs::read_to_string(&path).unwrap(), text);
    }
}

#[test]
fn a_profile_on_standard_input_plans_and_is_never_overwritten() {
    let dir = scratch("stdin");
    let path = dir.join("p.toml");
    fs::copy("profiles/supplemental-income.toml", &path).unwrap();
    let before = fs::read(&path).unwrap();
    let from_file = bin().arg("plan").arg(&path).output().unwrap();
    let piped = bin()
        .args(["plan", "-"])
        .stdin(fs::File::open(&path).unwrap())
        .output()
        .unwrap();
    assert!(piped.status.success());
    let body = |o: &[u8]| {
        String::from_utf8_lossy(o)
            .lines()
            .skip(1)
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(body(&piped.stdout), body(&from_file.stdout));
    let clobber = bin()
        .args(["plan", "-", "-o"])
        .arg(&path)
        .stdin(fs::File::open(&path).unwrap())
        .output()
        .unwrap();
    assert_eq!(clobber.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&clobber.stderr).contains("is an input of this run"));
    assert_eq!(fs::read(&path).unwrap(), before);
    // Standard input for two inputs is refused before either is read, so
    // the profile is never read as the rate book (or the other way round).
    for (args, named) in [
        (&["compare", "-", "-"][..], "2 profiles"),
        (
            &["plan", "-", "--rates", "-"][..],
            "the profile and --rates",
        ),
        (
            &["check", "-", "--pools", "-"][..],
            "the profile and --pools",
        ),
        (
            &["rates", "--rates", "-", "--pools", "-"][..],
            "--rates and --pools",
        ),
        (
            &[
                "review",
                "-",
                "--since",
                "data/review/plan-2026-q3.json",
                "--holdings",
                "-",
            ][..],
            "the profile and --holdings",
        ),
    ] {
        let twice = bin()
            .args(args)
            .stdin(fs::File::open(&path).unwrap())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&twice.stderr);
        assert_eq!(twice.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(&format!(
                "standard input (-) is given for {named}, and can be read only once"
            )),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn tables_fit_a_given_width_and_numbers_are_never_broken() {
    for args in [
        &["plan", "profiles/supplemental-income.toml"][..],
        &["plan", "profiles/income-template.toml"][..],
        &[
            "compare",
            "profiles/supplemental-income.toml",
            "profiles/early-retirement.toml",
        ][..],
        &["stress", "profiles/supplemental-income.toml"][..],
    ] {
        let out = bin().args(args).args(["--width", "100"]).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        for line in text.lines().filter(|l| l.starts_with(['│', '┌', '└', '╞'])) {
            assert!(line.chars().count() <= 100, "{args:?}: {line}");
        }
        // The positions table leaves out its detail columns, names them
        // under the table, and keeps them for --wide or a width they fit in.
        if args[0] == "plan" {
            let tables: String = text.lines().filter(|l| l.starts_with('│')).collect();
            assert!(!tables.contains("Risk-adj."), "{text}");
            assert!(
                text.contains("Left out to fit 100 columns: Asset,"),
                "{text}"
            );
            let wide = bin()
                .args(args)
                .args(["--width", "100", "--wide"])
                .output()
                .unwrap();
            let full = bin().args(args).output().unwrap();
            assert_eq!(wide.stdout, full.stdout);
            let roomy = bin().args(args).args(["--width", "300"]).output().unwrap();
            assert_eq!(roomy.stdout, full.stdout, "every table fits in 300 columns");
        }
    }
}

#[test]
fn colour_is_used_only_when_asked_or_on_a_terminal() {
    let plan = |extra: &[&str], no_color: bool| {
        let mut cmd = bin();
        cmd.args(["plan", "profiles/supplemental-income.toml"])
            .args(extra);
        if no_color {
            cmd.env("NO_COLOR", "1");
        } else {
            cmd.env_remove("NO_COLOR");
        }
        String::from_utf8(cmd.output().unwrap().stdout).unwrap()
    };
    // Piped: no colour unless asked, and byte for byte the plain table.
    assert!(!plan(&[], false).contains('\u{1b}'));
    assert_eq!(plan(&["--color", "never"], false), plan(&[], false));
    assert_eq!(plan(&["--color", "auto"], true), plan(&[], false));
    let coloured = plan(&["--color", "always"], true);
    assert!(coloured.contains("\u{1b}[1m"), "{coloured}");
    let compared = bin()
        .args([
            "compare",
            "profiles/supplemental-income.toml",
            "profiles/early-retirement.toml",
        ])
        .args(["--color", "always"])
        .output()
        .unwrap();
    let compared = String::from_utf8(compared.stdout).unwrap();
    // Each goal status is coloured: an escape code right before the word.
    let statuses = ["meets", "likely", "at-risk", "short"];
    let coloured_status = compared.lines().any(|line| {
        statuses
            .iter()
            .any(|s| line.contains(&format!("m {s}")) && line.contains("\u{1b}[38;5;"))
    });
    assert!(coloured_status, "{compared}");
}

/// The legend entries of an SVG chart, in order: the texts drawn at the
/// legend's left edge.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let body = t.split_once('>')?.1;
            Some(body.split_once("</text>")?.0.trim().to_string())
        })
        .collect()
}

#[test]
fn simulation_charts_have_a_legend_money_axes_year_0_and_the_income_phase() {
    let dir = scratch("plot");
    let fan = dir.join("fan.svg");
    let out = bin()
        .args([
            "project",
            "profiles/financial-independence.toml",
            "--simulate",
        ])
        .args(["--paths", "300", "--plot"])
        .arg(&fan)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let texts = svg_texts(&fs::read_to_string(&fan).unwrap());
    let legend: Vec<&str> = texts
        .iter()
        .map(String::as_str)
        .filter(|t| {
            t.starts_with("P5-")
                || t.starts_with("P25-")
                || t.starts_with("median")
                || t.starts_with("goal")
                || t.starts_with("income phase")
        })
        .collect();
    assert_eq!(
        legend,
        [
            "P5-P95 (9 in 10 paths)",
            "P25-P75 (half the paths)",
            "median (P50)",
            "income phase starts",
            "P5-P95 (9 in 10 paths)",
            "P25-P75 (half the paths)",
            "median (P50)",
            "goal before tax",
            "income phase starts",
        ]
    );
    assert!(
        texts.iter().any(|t| t == "0"),
        "year 0 is labelled: {texts:?}"
    );
    assert!(
        texts.iter().any(|t| t == "$1M"),
        "money in millions: {texts:?}"
    );
    assert!(texts.iter().any(|t| t == "USD, log scale"), "{texts:?}");
    assert!(!texts.iter().any(|t| t.ends_with("000k")), "{texts:?}");

    let linear = dir.join("linear.svg");
    let out = bin()
        .args([
            "compare",
            "profiles/supplemental-income.toml",
            "profiles/early-retirement.toml",
        ])
        .args(["--simulate", "--paths", "200", "--plot"])
        .arg(&linear)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let texts = svg_texts(&fs::read_to_string(&linear).unwrap());
    for name in [
        "Supplemental income",
        "Early retirement",
        "years from today",
        "0",
    ] {
        assert!(texts.iter().any(|t| t == name), "{name}: {texts:?}");
    }
    let forced = dir.join("log.svg");
    let out = bin()
        .args([
            "compare",
            "profiles/supplemental-income.toml",
            "profiles/early-retirement.toml",
        ])
        .args(["--simulate", "--paths", "200", "--log", "--plot"])
        .arg(&forced)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let texts = svg_texts(&fs::read_to_string(&forced).unwrap());
    assert!(texts.iter().any(|t| t == "USD, log scale"), "{texts:?}");
}

/// Flags a new user tried: short flags on `rates`, negative numbers that get
/// a reason (not clap's tip about `--`), bounds on `il`.
#[test]
fn flags_found_by_a_new_user_work_or_say_why() {
    let run = |args: &[&str]| {
        let out = bin().args(args).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert_eq!(run(&["rates", "-f", "csv"]).0, Some(0));
    for (args, says) in [
        (&["init", "--value", "-5"][..], "must be more than zero"),
        (
            &["plan", "profiles/supplemental-income.toml", "--width", "-5"][..],
            "must be positive",
        ),
        (
            &["il", "--ratio", "2", "--weights", "-80:20"][..],
            "must both be above 0",
        ),
        (
            &[
                "il",
                "--ratio",
                "2",
                "--pool",
                "stable",
                "--amplification",
                "1e30",
            ][..],
            "from 0 to 1,000,000",
        ),
        (
            &["il", "--volatility", "0.5", "--years", "0"][..],
            "from 0.0001 years (about an hour) to 1000 years, not 0",
        ),
        (
            &["il", "--volatility", "0.5", "--years", "1e308"][..],
            "to 1000 years, not 1e308",
        ),
        (
            &["il", "--volatility", "0.5", "--years", "1e-300"][..],
            "from 0.0001 years (about an hour) to 1000 years, not 1e-300",
        ),
        (
            &["il", "--ratio", "2", "--amount", "0.001"][..],
            "--amount 0.001 has fractions of a cent",
        ),
        (
            &[
                "plan",
                "profiles/income-template.toml",
                "-f",
                "csv",
                "--simulate",
            ][..],
            "a plan's CSV (one row per position) has no place for",
        ),
        (
            &["init", "--template", "retirement", "--value", "0.01"][..],
            "the starter profile for these values would not plan",
        ),
    ] {
        let (code, err) = run(args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(!err.contains("tip:"), "{args:?}: {err}");
    }
}

/// `--pools` given for a profile that takes no yield from a pool is said to
/// be unused, not silently accepted.
#[test]
fn pools_given_for_a_profile_without_pool_ids_are_said_unused() {
    let out = bin()
        .args([
            "plan",
            "profiles/income-template.toml",
            "--pools",
            "data/pools-sample.json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no position names a `pool_id`, so the pools given are not used"),
        "{err}"
    );
    let out = bin()
        .args([
            "plan",
            "tests/fixtures/real-data/sample-pools.toml",
            "--pools",
            "data/pools-sample.json",
        ])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("are not used"));
}

/// `check --min-success` shows its Success column for every profile, "-"
/// (an empty CSV field) for one without a goal, so the CSV's columns do not
/// depend on the profiles; `optimize --pools` on a profile without pool_ids
/// says they are unused.
#[test]
fn check_success_column_and_optimize_pools_note() {
    let out = bin()
        .args([
            "check",
            "profiles/income-template.toml",
            "--min-success",
            "50%",
            "-f",
            "csv",
        ])
        .output()
        .unwrap();
    let with_goal = String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()
        .unwrap_or("")
        .to_string();
    let dir = scratch("check-nogoal");
    let p = dir.join("nogoal.toml");
    std::fs::write(
        &p,
        "[portfolio]\nvalue = 1000\n[[position]]\nstrategy = \"lending\"\nasset = \"USDC\"\nweight = \"100%\"\n",
    )
    .unwrap();
    let out = bin()
        .args(["check"])
        .arg(&p)
        .args(["--min-success", "50%", "-f", "csv"])
        .output()
        .unwrap();
    let without = String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()
        .unwrap_or("")
        .to_string();
    assert_eq!(with_goal, without);
    assert!(without.contains("success_probability"), "{without}");
    let out = bin()
        .args([
            "optimize",
            "tests/fixtures/optimize-bounds.toml",
            "--pools",
            "data/pools-sample.json",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("so the pools given are not used"));
}

/// Pools count as given however they come (a `--rates` book with pools, for
/// `optimize` too; a profile's own `[rates] pools`; a pool whose source reads
/// like `review`'s stand-ins), and `review`'s stand-ins for pools its
/// snapshot names never do.
#[test]
fn pools_given_any_way_are_said_unused_and_stand_ins_are_not_given() {
    let note = "so the pools given are not used";
    let stderr = |args: &[&str]| {
        let out = bin().args(args).output().unwrap();
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let book = "tests/fixtures/real-data/pools-sample-import.toml";
    for command in ["plan", "check", "optimize"] {
        let err = stderr(&[command, "profiles/income-template.toml", "--rates", book]);
        assert!(err.contains(note), "{command}: {err}");
    }
    let dir = scratch("pools-given");
    let profile = fs::read_to_string("profiles/income-template.toml").unwrap();
    let own = dir.join("own.toml");
    fs::write(
        &own,
        format!("{profile}\n[rates]\npools = \"pools.json\"\n"),
    )
    .unwrap();
    fs::copy("data/pools-sample.json", dir.join("pools.json")).unwrap();
    let err = stderr(&["plan", own.to_str().unwrap()]);
    assert!(err.contains(note), "{err}");
    let spoof = dir.join("spoof.toml");
    let text = fs::read_to_string(book).unwrap().replace(
        "DefiLlama pools snapshot pools-sample.json",
        "gone from the pools snapshot",
    );
    fs::write(&spoof, text).unwrap();
    let err = stderr(&[
        "plan",
        "profiles/income-template.toml",
        "--rates",
        spoof.to_str().unwrap(),
    ]);
    assert!(err.contains(note), "{err}");
    // A snapshot whose positions took pools, reviewed against a profile
    // that no longer does: the stand-ins for its pools were not given.
    let mut sample = fs::read_to_string("tests/fixtures/real-data/sample-pools.toml").unwrap();
    for (id, instead) in [
        ("sample-0001-aave-usdc-eth", "asset = \"USDC\""),
        ("sample-0002-aave-usdc-arb", "asset = \"USDC\""),
        ("sample-0004-univ3-usdc-weth", "pair = [\"USDC\", \"ETH\"]"),
        ("sample-0007-velo-op-usdc", "pair = [\"OP\", \"USDC\"]"),
        ("sample-0008-jito-jitosol", "asset = \"SOL\""),
    ] {
        sample = sample.replace(&format!("pool_id = \"{id}\""), instead);
    }
    let edited = dir.join("edited.toml");
    fs::write(&edited, sample).unwrap();
    let out = bin()
        .args([
            "review",
            edited.to_str().unwrap(),
            "--since",
            "data/review/plan-2026-q3.json",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains(note), "{err}");
    // It reviewed, every position kept under its name.
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("OP/USDC on Velodrome      ┆ kept"),
        "{err}"
    );
    // A snapshot with an empty `data` list gives nothing, and says so, given
    // as `--pools` or named by the profile.
    let empty = "the snapshot's `data` list is empty, so it gives no pools";
    fs::write(
        dir.join("pools.json"),
        r#"{"status": "success", "data": []}"#,
    )
    .unwrap();
    let given = dir.join("pools.json");
    for args in [
        vec![
            "plan",
            "profiles/income-template.toml",
            "--pools",
            given.to_str().unwrap(),
        ],
        vec!["plan", own.to_str().unwrap()],
    ] {
        let err = stderr(&args);
        assert!(err.contains(empty), "{args:?}: {err}");
        assert!(!err.contains(note), "{args:?}: {err}");
    }
}

/// Blanks around a number are ignored by every numeric flag of `il`, as by
/// `--amount`, `--volatility` and every other command's counts and rates:
/// the same output as without them. A word is still refused (exit 2).
#[test]
fn il_numbers_with_blanks_around_them_read_as_without() {
    let run = |args: &[&str]| {
        let out = bin().arg("il").args(args).output().unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    for args in [
        ["--ratio", " 2 ", "--amount", " 1000"].as_slice(),
        &["--volatility", "80%", "--years", " 2"],
        &[
            "--volatility",
            "0.8",
            "--volatility-b",
            "0.5",
            "--correlation",
            " -0.5 ",
        ],
        &[
            "--ratio",
            "0.98",
            "--pool",
            "stable",
            "--amplification",
            "\t100",
        ],
    ] {
        let trimmed: Vec<&str> = args.iter().map(|a| a.trim()).collect();
        let (code, with_blanks) = run(args);
        assert_eq!(code, Some(0), "{args:?}");
        assert_eq!(with_blanks, run(&trimmed).1, "{args:?}");
    }
    assert_eq!(run(&["--ratio", "two"]).0, Some(2));
}

/// `RAYON_NUM_THREADS` asking for thousands of threads is capped (at most
/// four per core, at least 8) instead of starting them all, which took
/// minutes; the output is the same bytes as on two threads.
#[test]
fn a_huge_thread_count_is_capped_and_changes_nothing() {
    let run = |threads: &str| {
        let out = bin()
            .env("RAYON_NUM_THREADS", threads)
            .args([
                "project",
                "profiles/income-template.toml",
                "--simulate",
                "--paths",
                "2000",
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        out.stdout
    };
    assert_eq!(run("20000"), run("2"));
}

/// Correlations that cannot all hold together (BTC/ETH 0.99, BTC/SOL 0.99,
/// ETH/SOL −0.99) are refused by the simulation and by min-CVaR (exit 2,
/// naming them) instead of being shrunk silently; `plan`, which uses each
/// pair alone, still plans.
#[test]
fn contradictory_correlations_are_refused_where_they_are_factored() {
    let dir = scratch("contradictory");
    let book = dir.join("corr.toml");
    fs::write(
        &book,
        "[correlations]\n\"BTC/ETH\" = 0.99\n\"BTC/SOL\" = 0.99\n\"ETH/SOL\" = -0.99\n",
    )
    .unwrap();
    let three = |name: &str, weights: [&str; 3]| {
        let path = dir.join(name);
        let mut text = "[portfolio]\nvalue = 100000\n".to_string();
        for (asset, weight) in ["BTC", "ETH", "SOL"].into_iter().zip(weights) {
            text.push_str(&format!(
                "[[position]]\nstrategy = \"hold\"\nasset = \"{asset}\"\nweight = {weight}\n"
            ));
        }
        fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    };
    let p = &three("three.toml", ["\"40%\"", "\"30%\"", "\"30%\""]);
    let range = "{ min = \"10%\", max = \"80%\" }";
    let free = &three("free.toml", [range, range, "\"rest\""]);
    let b = book.to_str().unwrap();
    let run = |args: &[&str]| {
        let out = bin().args(args).args(["--rates", b]).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    for args in [
        vec!["project", p, "--simulate", "--paths", "100"],
        vec!["plan", p, "--simulate", "--paths", "100"],
        vec!["optimize", free, "--objective", "min-cvar"],
    ] {
        let (code, err) = run(&args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains("cannot all hold together"), "{args:?}: {err}");
        assert!(
            err.contains("ETH/SOL -0.99") || err.contains("BTC/SOL"),
            "{err}"
        );
    }
    assert_eq!(run(&["plan", p]).0, Some(0));
}

/// A rate flag reads a bare number as a profile does: a fraction, and one
/// above 1 is refused with the percent it likely meant (`il --volatility
/// 80` was read as 8,000%, `pools --max-apy 5` as 500%).
#[test]
fn rate_flags_refuse_a_bare_number_above_one() {
    for args in [
        ["il", "--volatility", "80"].as_slice(),
        &["il", "--volatility", "0.8", "--volatility-b", "50"],
        &["pools", "data/pools-sample.json", "--max-apy", "5"],
    ] {
        let out = bin().args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("did you mean"), "{err}");
    }
    for args in [
        ["il", "--volatility", "1"].as_slice(),
        &["il", "--volatility", "150%"],
        &["pools", "data/pools-sample.json", "--max-apy", "0.5"],
    ] {
        let out = bin().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
    }
}

/// Every field of `csv` that starts like a spreadsheet formula (`=`, `+`,
/// `-`, `@`, tab, CR) and is not a number or a lone `-`.
fn formula_fields(csv_text: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv_text.as_bytes());
    reader
        .records()
        .flat_map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>())
        .filter(|f| {
            f.starts_with(['=', '+', '-', '@', '\t', '\r']) && f != "-" && f.parse::<f64>().is_err()
        })
        .collect()
}

/// Names from a user's files that start like formulas are written to every
/// command's CSV as text (behind a `'`), and a negative number stays a
/// number.
#[test]
fn no_command_writes_a_formula_into_csv() {
    let profile = "tests/fixtures/formula-names.toml";
    let runs: [&[&str]; 6] = [
        &["plan", profile],
        &["compare", profile, "profiles/income-template.toml"],
        &["check", profile],
        &["stress", profile],
        &["project", profile],
        &[
            "review",
            profile,
            "--since",
            "tests/fixtures/review/formula-names-q3.json",
            "--holdings",
            "tests/fixtures/review/formula-names-holdings.csv",
        ],
    ];
    for args in runs {
        let out = bin().args(args).args(["--format", "csv"]).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.is_empty(), "{args:?}");
        assert_eq!(formula_fields(&text), Vec::<String>::new(), "{args:?}");
    }
    let out = bin()
        .args(["plan", profile, "--format", "csv"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("'@SUM(1+1),"), "{text}");
    assert!(text.contains("'-2+3,"), "{text}");
    // The liquidity position's expected IL: a negative number, unquoted.
    assert!(text.contains(",-0.059424,"), "{text}");
}

/// A pool's APY too large for a decimal is shown as read in every format of
/// `pools`, never as 0.
#[test]
fn a_pool_apy_past_a_decimal_is_never_shown_as_zero() {
    let run = |format: &str| {
        let out = bin()
            .args([
                "pools",
                "tests/fixtures/pools-huge-apy.json",
                "--format",
                format,
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "{format}");
        String::from_utf8(out.stdout).unwrap()
    };
    let v: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let pool = |id: &str| {
        v["pools"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["pool"] == id)
            .unwrap()
            .clone()
    };
    let near = |x: Option<f64>, want: f64| x.is_some_and(|x| (x / want - 1.0).abs() < 1e-12);
    assert!(near(pool("huge-1e308")["apy"].as_f64(), 1e306));
    assert!(near(pool("huge-2.5e20")["apy"].as_f64(), 2.5e18));
    assert_eq!(pool("plain")["apy"].as_f64(), Some(0.051));
    let csv = run("csv");
    assert!(csv.contains(",1e306,1e306,0,"), "{csv}");
    for format in ["table", "markdown"] {
        let text = run(format);
        assert!(text.contains("1e308%"), "{format}: {text}");
        assert!(text.contains("2.5e20%"), "{format}: {text}");
    }
}

/// A projection whose capital runs out does not also say the sustainable
/// income "already covers the goal": it covers today's goal only.
#[test]
fn a_projection_that_runs_out_does_not_say_the_goal_is_covered() {
    let out = bin()
        .args(["project", "profiles/income-template.toml", "--years", "100"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("The capital runs out after"), "{text}");
    assert!(!text.contains("already covers the goal"), "{text}");
    assert!(text.contains("covers today's goal, but not the goal as inflation lifts it"));
}

/// `check --deny L --allow L` would leave one of the two flags doing
/// nothing: it is refused (exit 2); `--deny warnings --allow L` narrows.
#[test]
fn a_lint_both_denied_and_allowed_is_refused() {
    let run = |args: &[&str]| {
        let out = bin()
            .args(["check", "profiles/income-template.toml"])
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, err) = run(&["--deny", "income-at-risk", "--allow", "income-at-risk"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("contradict each other"), "{err}");
    let (code, _) = run(&["--deny", "warnings", "--allow", "income-at-risk"]);
    assert_ne!(code, Some(2));
}

/// `il --currency` takes a currency code as `init` and profiles do (1 to 8
/// letters, written in capitals); an empty, spaced or long one is refused.
#[test]
fn il_currency_is_a_currency_code() {
    let run = |code: &str| {
        bin()
            .args(["il", "--ratio", "2", "--amount", "100", "--currency", code])
            .output()
            .unwrap()
    };
    for bad in ["", "US D", "ABCDEFGHIJKLMNOPQ", "€"] {
        assert_eq!(run(bad).status.code(), Some(2), "{bad:?}");
    }
    let out = run("eur");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("€5.72"));
}

/// "The simulated median runs above the projection: rebalancing ..." is
/// said only when the gap is more than sampling noise: one BTC holding
/// (nothing to rebalance) whose 1,000-path median lands 22% above the
/// projection by chance does not get it; early retirement, whose
/// rebalancing lifts its median threefold, does.
#[test]
fn the_rebalancing_remark_is_not_made_on_noise() {
    let dir = scratch("noise");
    let btc = dir.join("btc.toml");
    fs::write(
        &btc,
        "[portfolio]\nvalue = 100000\n[[position]]\nstrategy = \"hold\"\nasset = \"BTC\"\nweight = \"100%\"\n",
    )
    .unwrap();
    let remark = |args: &[&str]| {
        let out = bin()
            .arg("project")
            .args(args)
            .arg("--simulate")
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).contains("runs above the projection")
    };
    assert!(!remark(&[
        btc.to_str().unwrap(),
        "--paths",
        "1000",
        "--seed",
        "10"
    ]));
    assert!(remark(&[
        "profiles/early-retirement.toml",
        "--paths",
        "300",
        "--years",
        "15"
    ]));
}

/// A StableSwap pool of two stablecoins that never move: its price ratio
/// stays 1, so the simulation values it at exactly what went in, year after
/// year (no float residue such as 99999.9999996992).
#[test]
fn a_flat_stable_pool_keeps_its_value_exactly() {
    let dir = scratch("flat-stable");
    let profile = dir.join("flat.toml");
    fs::write(
        &profile,
        "[portfolio]\nvalue = 100000\n[assets.USDC]\nvolatility = \"0%\"\n[assets.USDT]\n\
         volatility = \"0%\"\n[[position]]\nstrategy = \"liquidity\"\npair = [\"USDC\", \"USDT\"]\n\
         pool = \"stable\"\namplification = 100\nfee_apr = \"3%\"\nprotocol = \"curve\"\n\
         weight = \"100%\"\n",
    )
    .unwrap();
    let json = simulated_json(&profile, "20", "5");
    for year in json["value"].as_array().unwrap() {
        assert_eq!(year["p50"].as_f64(), Some(100_000.0), "{year}");
        assert_eq!(year["p95"].as_f64(), Some(100_000.0), "{year}");
    }
    for year in json["income"].as_array().unwrap() {
        assert_eq!(year["p50"].as_f64(), Some(3_000.0), "{year}");
    }
}

/// Paths that all end a year at one value have exactly that mean, in value
/// and in income, at any number of paths: the division of the sum leaves no
/// residue (99999.9899000002 for 99999.9899).
#[test]
fn identical_paths_have_their_value_as_mean() {
    let dir = scratch("flat-mean");
    let profile = dir.join("flat.toml");
    fs::write(
        &profile,
        "[portfolio]\nvalue = 99999.99\n[goal]\nannual_income = 1000\n[assumptions]\ntax_rate = \"15%\"\n\
         reinvest = \"50%\"\n[assets.USDC]\nvolatility = \"0%\"\n[assets.DAI]\nvolatility = \"0%\"\n\
         [[position]]\nstrategy = \"liquidity\"\npair = [\"USDC\", \"DAI\"]\nfee_apr = \"3%\"\n\
         protocol = \"curve\"\nrisk_tier = \"none\"\nweight = \"100%\"\n",
    )
    .unwrap();
    for paths in ["100", "10000"] {
        let json = simulated_json(&profile, paths, "3");
        for series in ["value", "income"] {
            for year in json[series].as_array().unwrap() {
                assert_eq!(year["p5"], year["p95"], "{paths} {series}: {year}");
                assert_eq!(year["mean"], year["p50"], "{paths} {series}: {year}");
            }
        }
    }
}

/// The JSON of `project PROFILE --simulate` over `paths` paths and `years`
/// years, which must succeed.
fn simulated_json(profile: &Path, paths: &str, years: &str) -> serde_json::Value {
    let out = bin()
        .arg("project")
        .arg(profile)
        .args(["--simulate", "--paths", paths, "--years", years])
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Simulated amounts carry no float residue: a flat holding paying 3.3333%
/// on 99,999.99 earns 3333.29966667 on every path, as the plan says, not
/// 3333.299666670001.
#[test]
fn simulated_amounts_carry_no_float_residue() {
    let dir = scratch("flat-income");
    let profile = dir.join("flat.toml");
    fs::write(
        &profile,
        "[portfolio]\nvalue = 99999.99\n[goal]\nannual_income = 1\n[assets.USDC]\nvolatility = \"0%\"\n\
         [[position]]\nstrategy = \"hold\"\nasset = \"USDC\"\napy = \"3.3333%\"\nweight = \"100%\"\n",
    )
    .unwrap();
    let json = simulated_json(&profile, "200", "3");
    for year in json["income"].as_array().unwrap() {
        for key in ["p5", "p50", "p95", "mean"] {
            assert_eq!(year[key].to_string(), "3333.29966667", "{year}");
        }
    }
}

/// `optimize --candidates` says what the snapshot holds twice or skips, as
/// `--pools` does for the same file.
#[test]
fn optimize_candidates_warn_as_pools_do() {
    for flag in ["--candidates", "--pools"] {
        let out = bin()
            .args(["optimize", "profiles/income-template.toml", flag])
            .arg("data/pools-sample.json")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("pool id `sample-0001-aave-usdc-eth` is listed 2 times"),
            "{flag}: {err}"
        );
        assert!(err.contains("1 of 11 pools skipped"), "{flag}: {err}");
    }
}

/// `pools` names skipped entries with their ids as written (quotes are not
/// escaped, control characters are), and in CSV, which holds the pools
/// alone, says on stderr what was skipped.
#[test]
fn pools_names_skipped_entries_as_written() {
    let dir = scratch("skipped-ids");
    let file = dir.join("s.json");
    fs::write(
        &file,
        r#"{"data": [{"pool": "it's", "tvlUsd": -1, "apy": 5}, {"pool": "q\"uote\n", "tvlUsd": -1, "apy": 5}]}"#,
    )
    .unwrap();
    let out = bin().arg("pools").arg(&file).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Skipped pool it's: its TVL is negative"),
        "{text}"
    );
    assert!(text.contains("Skipped pool q\"uote\\n: "), "{text}");
    let out = bin()
        .arg("pools")
        .arg(&file)
        .args(["--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2 of 2 pools skipped"), "{err}");
}

/// A profile saved with a byte-order mark is placed the same everywhere a
/// place is reported: the `-->` line on stderr (`plan`, `check`), the Why
/// of `check` in every format, and JSON's `failures` and `error`; the mark
/// is not a column. So is a pools snapshot with one: an entry's place on
/// line 1 counts from the first character after the mark.
#[test]
fn a_byte_order_mark_is_not_a_column_wherever_a_place_is_reported() {
    let profile = "tests/fixtures/bom-problems.toml";
    assert!(fs::read(profile).unwrap().starts_with(b"\xef\xbb\xbf"));
    let place = format!("{profile}:1:8");
    let arrow = format!("--> {place}\n");
    let plan = bin().args(["plan", profile]).output().unwrap();
    assert_eq!(plan.status.code(), Some(2));
    let err = String::from_utf8_lossy(&plan.stderr);
    assert!(err.contains(&arrow), "{err}");
    // (Markdown escapes the backticks of the message that follows.)
    let why = format!("the profile could not be planned: {place}: ");
    for format in ["table", "csv", "markdown", "json"] {
        let out = bin()
            .args(["check", profile, "--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{format}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&arrow), "{format}: {err}");
        let shown = String::from_utf8_lossy(&out.stdout);
        assert!(shown.contains(&why), "{format}: {shown}");
        if format == "json" {
            let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            let verdict = &report["profiles"][0];
            assert!(
                verdict["failures"][0].as_str().unwrap().starts_with(&why),
                "{verdict}"
            );
            let error = verdict["error"].as_str().unwrap();
            assert!(error.contains(&arrow), "{error}");
        }
        // No other place for that problem is reported anywhere.
        for wrong in [":1:9", ":1:7"] {
            assert!(
                !shown.contains(&format!("{profile}{wrong}")),
                "{format}: {shown}"
            );
            assert!(
                !err.contains(&format!("{profile}{wrong}")),
                "{format}: {err}"
            );
        }
    }
    // A snapshot with a mark: the entry's `"x"` is the 42nd character after it.
    let snapshot = "tests/fixtures/pools-bom.json";
    assert!(fs::read(snapshot).unwrap().starts_with(b"\xef\xbb\xbf"));
    let out = bin()
        .args(["pools", snapshot, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let reason = report["skipped_first"][0]["reason"].as_str().unwrap();
    assert!(reason.ends_with("at line 1, column 42)"), "{reason}");
}
