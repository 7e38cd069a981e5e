//! The simulation refuses a horizon whose upper paths would pass 10^20, and
//! the refusal names the first year that would and a horizon that runs: a
//! large allowed portfolio ($10^12) simulates for as many years as it says.

use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_yieldplan"))
}

fn run(years: u32) -> (i32, String) {
    let out = bin()
        .args(["project", "tests/fixtures/trillion.toml", "--simulate"])
        .args(["--paths", "500", "--years", &years.to_string()])
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The year a refusal names ("... in year N: ...").
fn year_named(err: &str) -> u32 {
    err.split("in year ")
        .nth(1)
        .and_then(|t| t.split(':').next())
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("no year in: {err}"))
}

#[test]
fn a_refused_horizon_names_one_that_runs() {
    let (code, err) = run(30);
    assert_eq!(code, 2, "{err}");
    let year = year_named(&err);
    assert!(year > 1 && year <= 30, "{err}");
    assert!(err.contains("upper paths"), "{err}");
    let allowed = year - 1;
    assert!(
        err.contains(&format!("simulate at most {allowed} years")),
        "{err}"
    );
    assert_eq!(run(allowed).0, 0, "the horizon the help names must run");
    assert_eq!(run(year).0, 2, "the year named must be refused");
    // The projection (median path only) runs the full horizon.
    let out = bin()
        .args(["project", "tests/fixtures/trillion.toml", "--years", "30"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

/// `check --min-success` has no `--years`: its refusal names the profile and
/// points at a command that takes one; `compare` names which profile failed.
#[test]
fn a_refusal_names_the_profile_and_a_flag_the_command_has() {
    let out = bin()
        .args([
            "check",
            "tests/fixtures/trillion.toml",
            "--min-success",
            "50%",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("tests/fixtures/trillion.toml: the simulation"),
        "{err}"
    );
    assert!(!err.contains("(--years)"), "{err}");
    assert!(err.contains("always simulates 30 years"), "{err}");
    assert!(
        err.contains("yieldplan project tests/fixtures/trillion.toml --simulate --years N"),
        "{err}"
    );
    // The plan stands: its status is shown, and the failure says the
    // simulation (not the plan) could not run.
    let out = bin()
        .args([
            "check",
            "tests/fixtures/trillion.toml",
            "--min-success",
            "50%",
        ])
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let verdict = &report["profiles"][0];
    assert!(verdict["status"].is_string(), "{verdict}");
    let failures = verdict["failures"].to_string();
    assert!(
        failures.contains("simulation of 30 years could not run"),
        "{failures}"
    );
    assert!(!failures.contains("could not be planned"), "{failures}");
    // The failure (the table's Why) gives the reason, the first line of
    // the error, which holds it all.
    let why = verdict["failures"][0].as_str().unwrap();
    let error = verdict["error"].as_str().unwrap();
    let first = error.lines().next().unwrap();
    assert!(first.contains("upper paths"), "{error}");
    assert_eq!(
        why,
        format!(
            "the simulation of 30 years could not run, so the chance of paying the goal is unknown: {first}"
        )
    );
    assert!(error.contains("= help: simulate at most"), "{error}");
    for format in ["table", "csv", "markdown"] {
        let out = bin()
            .args(["check", "tests/fixtures/trillion.toml"])
            .args(["--min-success", "50%", "--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{format}");
        let shown = String::from_utf8_lossy(&out.stdout);
        assert!(shown.contains(first), "{format}: {shown}");
    }
    let out = bin()
        .args([
            "compare",
            "profiles/early-retirement.toml",
            "tests/fixtures/trillion.toml",
        ])
        .args(["--simulate", "--paths", "100"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("tests/fixtures/trillion.toml: the simulation"),
        "{err}"
    );
    assert!(err.contains("(--years)"), "{err}");
}

/// The goal and contributions do not move with prices: a large goal on a
/// small portfolio is not spread over the upper paths, so it simulates (the
/// goal of 10^15 a year, the largest, indexed at 3% reaches about 2.4e15 by year 30, far below
/// 10^20), and the median-path projection agrees.
#[test]
fn a_large_goal_alone_does_not_refuse_the_simulation() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("g.toml");
    std::fs::write(
        &p,
        "[portfolio]\nvalue = 100000\n[goal]\nannual_income = 1e15\n\
         [[position]]\nstrategy = \"hold\"\nasset = \"BTC\"\nweight = \"100%\"\n",
    )
    .unwrap();
    for sim in [false, true] {
        let mut cmd = bin();
        cmd.args(["project", p.to_str().unwrap()]);
        if sim {
            cmd.args(["--simulate", "--paths", "200"]);
        }
        let out = cmd.output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A mean lifted past 10^20 by a few extreme paths (the median path runs
/// out, so the check before the run passes) is refused after the run, naming
/// the year; the horizon its help names runs.
#[test]
fn a_mean_past_the_limit_is_refused_and_the_named_horizon_runs() {
    let run = |years: &str| {
        let out = bin()
            .args([
                "project",
                "tests/fixtures/soaring-volatility.toml",
                "--simulate",
            ])
            .args(["--years", years, "--format", "json"])
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, err) = run("30");
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("the simulation's mean value passes 10^20"),
        "{err}"
    );
    let year = year_named(&err);
    let allowed = year - 1;
    assert!(
        err.contains(&format!("simulate at most {allowed} years")),
        "{err}"
    );
    let (code, err) = run(&allowed.to_string());
    assert_eq!(code, 0, "{err}");
    assert_eq!(run(&year.to_string()).0, 2);
}

/// A median path shrinking toward zero (not run out) while a few paths soar
/// leaves no base for "the mean ends N% above the median": it is not shown
/// (0 in JSON), in every format, and nothing overflows.
#[test]
fn a_median_under_a_cent_gives_no_ratio_to_the_mean() {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("median-shrinks.toml");
    std::fs::write(
        &path,
        "name = \"Median shrinks\"\n[portfolio]\nvalue = 1000000\n\
         [assets.WLD]\nvolatility = \"400%\"\nexpected_return = \"-99%\"\n\
         [[position]]\nstrategy = \"hold\"\nasset = \"WLD\"\nweight = \"100%\"\n",
    )
    .unwrap();
    for format in ["table", "markdown", "csv", "json"] {
        let out = bin()
            .args([
                "project",
                path.to_str().unwrap(),
                "--simulate",
                "--format",
                format,
            ])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{format}: {stderr}");
        assert!(!stdout.contains("above the median"), "{format}: {stdout}");
        if format == "json" {
            assert!(stdout.contains("\"mean_above_median\": 0"), "{stdout}");
        }
    }
}

/// A refusal that volatility alone causes names the volatility, not the
/// growth: ETH swinging 1000% a year (no growth) has upper paths past 10^20
/// in the first year, so the help asks for a lower volatility or value.
#[test]
fn a_refusal_caused_by_volatility_names_it() {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("wild-eth.toml");
    std::fs::write(
        &path,
        "[portfolio]\nvalue = 1000000\n[assumptions]\ninflation = \"0%\"\n\
         [assets.ETH]\nvolatility = \"1000%\"\nexpected_return = \"0%\"\n\
         [[position]]\nstrategy = \"staking\"\nasset = \"ETH\"\napy = \"4%\"\nweight = \"100%\"\n",
    )
    .unwrap();
    let out = bin()
        .args([
            "project",
            path.to_str().unwrap(),
            "--simulate",
            "--years",
            "1",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("in year 1"), "{err}");
    assert!(
        err.contains("the most volatile asset swings 1000% a year"),
        "{err}"
    );
    assert!(err.contains("lower the asset's volatility"), "{err}");
    assert!(!err.contains("grows 0%"), "{err}");
}

/// The projection's refusal names the profile, as the simulation's does:
/// a goal indexed by 80% inflation passes 10^20 in year 68.
#[test]
fn the_projections_refusal_names_the_profile() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("inflation.toml");
    std::fs::write(
        &p,
        "[portfolio]\nvalue = 1000000\n[assumptions]\ninflation = \"80%\"\n\
         [goal]\nannual_income = 1000\n\
         [[position]]\nstrategy = \"lending\"\nasset = \"USDC\"\napy = \"5%\"\nweight = \"100%\"\n",
    )
    .unwrap();
    let out = bin()
        .args(["project", p.to_str().unwrap(), "--years", "100"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let said = format!("error: {}: the projection passes 10^20", p.display());
    assert!(err.contains(&said), "{err}");
    assert!(err.contains("in year 68"), "{err}");
}
