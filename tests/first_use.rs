//! What a new user meets first: `init -o -` writes to standard output like
//! every other command's `-o -`, flag ranges name the bound that was missed,
//! and a terminal that reports its columns but no rows (a pseudo-terminal
//! under `script`) still gets tables fitted to its width.

use std::path::Path;
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_yieldplan"))
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    bin().current_dir(dir).args(args).output().unwrap()
}

#[test]
fn init_output_dash_is_standard_output_and_creates_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let plain = run_in(dir.path(), &["init"]);
    for args in [&["init", "-o", "-"][..], &["init", "--output", "-"][..]] {
        let out = run_in(dir.path(), args);
        assert!(out.status.success(), "{out:?}");
        assert_eq!(out.stdout, plain.stdout, "{args:?}");
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!dir.path().join("-").exists(), "a file named - was written");
    }
    // Twice in a row: nothing exists to refuse.
    assert!(run_in(dir.path(), &["init", "-o", "-"]).status.success());
    // `./-` is a file of that name, and is written as one.
    let out = run_in(dir.path(), &["init", "-o", "./-"]);
    assert!(out.status.success());
    assert!(dir.path().join("-").is_file());
}

#[test]
fn out_of_range_counts_name_the_bound_missed_and_the_flag() {
    let cases: &[(&[&str], &str)] = &[
        (&["--width", "20", "rates"], "--width is at least 40"),
        (&["--width", "39", "rates"], "--width is at least 40"),
        (&["--width", "1001", "rates"], "--width is at most 1000"),
        // Too many digits for 64 bits is still a whole number, too large.
        (
            &["--width", "99999999999999999999", "rates"],
            "--width is at most 1000",
        ),
        (
            &[
                "optimize",
                "profiles/income-template.toml",
                "--scenarios",
                "50",
            ],
            "--scenarios is at least 100",
        ),
        (
            &["project", "profiles/income-template.toml", "--years", "101"],
            "--years is at most 100",
        ),
    ];
    for (args, want) in cases {
        let out = bin().args(*args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{args:?}: {err}");
    }
}

/// Runs `command` under `script` (a pseudo-terminal), returning the widest
/// line in terminal columns, colour codes removed; `None` without `script`.
fn widest_under_script(command: &str) -> Option<usize> {
    let out = Command::new("script")
        .args(["-qc", command, "/dev/null"])
        .env_remove("COLUMNS")
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut widest = 0;
    for line in text.lines() {
        let mut plain = String::new();
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                for d in chars.by_ref() {
                    if d.is_ascii_alphabetic() {
                        break;
                    }
                }
            } else if c != '\r' {
                plain.push(c);
            }
        }
        widest = widest.max(unicode_width::UnicodeWidthStr::width(plain.as_str()));
    }
    Some(widest)
}

#[test]
fn a_terminal_reporting_columns_but_no_rows_is_fitted() {
    let exe = env!("CARGO_BIN_EXE_yieldplan");
    let profile = "profiles/supplemental-income.toml";
    let Some(w) = widest_under_script(&format!("stty rows 0 cols 70; {exe} plan {profile}")) else {
        eprintln!("skipped: no `script` here");
        return;
    };
    assert_eq!(w, 70);
    // No size at all: COLUMNS is used when valid, else nothing is fitted.
    let w = widest_under_script(&format!(
        "stty rows 0 cols 0; COLUMNS=60 {exe} plan {profile}"
    ));
    assert_eq!(w, Some(60));
    let w = widest_under_script(&format!(
        "stty rows 0 cols 0; COLUMNS=x {exe} plan {profile}"
    ));
    assert!(w.unwrap() > 200);
}

#[test]
fn piped_output_ignores_columns() {
    let profile = "profiles/supplemental-income.toml";
    let plain = bin().args(["plan", profile]).output().unwrap();
    let narrow = bin()
        .args(["plan", profile])
        .env("COLUMNS", "50")
        .output()
        .unwrap();
    assert_eq!(plain.stdout, narrow.stdout);
}

#[test]
fn compare_plot_refuses_profiles_in_different_currencies() {
    let dir = tempfile::tempdir().unwrap();
    let eur = dir.path().join("eur.toml");
    let usd = std::fs::canonicalize("profiles/supplemental-income.toml").unwrap();
    let init = bin()
        .args(["init", "--currency", "EUR", "--value", "200000", "-o"])
        .arg(&eur)
        .output()
        .unwrap();
    assert!(init.status.success());
    let svg = dir.path().join("mixed.svg");
    let out = bin()
        .arg("compare")
        .args([&eur, &usd])
        .args(["--simulate", "--paths", "20", "--plot"])
        .arg(&svg)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("different currencies"), "{err}");
    assert!(
        err.contains("is in EUR") && err.contains("is in USD"),
        "{err}"
    );
    assert!(!svg.exists());
    // Without --plot the comparison runs; one currency plots.
    let out = bin()
        .arg("compare")
        .args([&eur, &usd])
        .args(["--simulate", "--paths", "20"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = bin()
        .arg("compare")
        .args([&eur, &eur])
        .args(["--simulate", "--paths", "20", "--plot"])
        .arg(&svg)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(svg.exists());
}

/// The text of every label in an SVG document.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let body = &t[t.find('>')? + 1..];
            Some(body[..body.find("</text>")?].trim().to_string())
        })
        .collect()
}

/// Draws `project --simulate --years N --plot` and returns the SVG.
fn project_svg(dir: &Path, years: &str, paths: &str, log: bool) -> String {
    let svg = dir.join(format!("y{years}-{paths}-{log}.svg"));
    let mut cmd = bin();
    cmd.args([
        "project",
        "profiles/supplemental-income.toml",
        "--simulate",
        "--years",
        years,
        "--paths",
        paths,
        "--plot",
    ])
    .arg(&svg);
    if log {
        cmd.arg("--log");
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(&svg).unwrap()
}

#[test]
fn short_horizons_have_whole_year_ticks_ending_at_the_horizon() {
    let dir = tempfile::tempdir().unwrap();
    for years in 1..=12u32 {
        let svg = project_svg(dir.path(), &years.to_string(), "50", false);
        let mut ticks: Vec<u32> = svg_texts(&svg)
            .iter()
            .filter_map(|t| t.parse::<u32>().ok())
            .collect();
        ticks.sort_unstable();
        // Two charts (value and income), each labelled once per tick.
        let mut once = ticks.clone();
        once.dedup();
        assert_eq!(ticks.len(), 2 * once.len(), "years {years}: {ticks:?}");
        assert_eq!(once.first(), Some(&0), "years {years}: {once:?}");
        if years <= 10 {
            // A label every year, the last at the horizon.
            assert_eq!(once, (0..=years).collect::<Vec<_>>(), "years {years}");
        } else {
            // Every second year: none past the horizon.
            assert!(once.iter().all(|y| y % 2 == 0 && *y <= years), "{once:?}");
        }
    }
}

#[test]
fn a_one_year_income_chart_shows_its_point_and_a_single_path_is_singular() {
    let dir = tempfile::tempdir().unwrap();
    let svg = project_svg(dir.path(), "1", "1", false);
    assert!(svg.contains("(1 path)"), "title");
    assert!(
        svg.contains("<circle"),
        "the median of the one year is drawn"
    );
    let svg = project_svg(dir.path(), "2", "20", false);
    assert!(svg.contains("(20 paths)"));
}

#[test]
fn log_axes_are_labelled_at_powers_of_ten() {
    let dir = tempfile::tempdir().unwrap();
    for years in ["1", "5", "30"] {
        let svg = project_svg(dir.path(), years, "100", true);
        let money: Vec<String> = svg_texts(&svg)
            .into_iter()
            .filter(|t| t.starts_with('$'))
            .collect();
        assert!(money.len() >= 4, "{money:?}");
        for label in &money {
            let digits = label
                .trim_start_matches('$')
                .trim_end_matches(['k', 'M', 'B']);
            assert!(
                ["1", "10", "100"].contains(&digits),
                "years {years}: {label} is not a power of ten: {money:?}"
            );
        }
    }
}

#[test]
fn a_file_with_many_problems_shows_the_first_fifty_and_counts_the_rest() {
    let text = "x = 1\n".repeat(201);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dup.toml");
    std::fs::write(&path, &text).unwrap();
    let from_file = bin().arg("plan").arg(&path).output().unwrap();
    let mut child = bin()
        .args(["plan", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), text.as_bytes()).unwrap();
    let from_stdin = child.wait_with_output().unwrap();
    for out in [from_file, from_stdin] {
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.matches("error: `x` is set twice").count(), 50, "{err}");
        assert!(err.contains("--> ") && err.contains(":51:1"), "{err}");
        assert!(!err.contains(":52:1"), "{err}");
        assert!(
            err.contains("... and 150 more problems (only the first 50 are shown)"),
            "{err}"
        );
        assert!(err.contains("200 problems in profile"), "{err}");
    }
}

#[test]
fn init_writes_the_schema_directive_when_the_schema_is_beside_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["init", "-o", "before.toml"]);
    assert!(out.status.success());
    let before = std::fs::read_to_string(dir.path().join("before.toml")).unwrap();
    assert!(before.starts_with("# A starter profile"), "{before}");
    assert!(
        run_in(dir.path(), &["schema", "-o", "profile.schema.json"])
            .status
            .success()
    );
    for (args, file) in [
        (&["init", "-o", "after.toml"][..], "after.toml"),
        (
            &["init", "-t", "retirement", "-o", "./r.toml"][..],
            "r.toml",
        ),
    ] {
        assert!(run_in(dir.path(), args).status.success());
        let text = std::fs::read_to_string(dir.path().join(file)).unwrap();
        assert!(
            text.starts_with("#:schema ./profile.schema.json\n# A starter"),
            "{text}"
        );
        assert!(run_in(dir.path(), &["plan", file]).status.success());
    }
    // From another folder, the schema must be beside the profile, not here.
    let other = tempfile::tempdir().unwrap();
    let there = other.path().join("p.toml");
    let out = run_in(dir.path(), &["init", "-o", there.to_str().unwrap()]);
    assert!(out.status.success());
    assert!(
        !std::fs::read_to_string(&there)
            .unwrap()
            .starts_with("#:schema")
    );
    // Standard output: no directive (the reader's folder is unknown).
    let out = run_in(dir.path(), &["init"]);
    assert!(!String::from_utf8_lossy(&out.stdout).starts_with("#:schema"));
}

#[test]
fn init_hints_and_refusals_are_exact() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let out = run_in(dir.path(), &["init", "-o", "sub"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--output sub is a directory"), "{err}");
    let out = run_in(dir.path(), &["init", "-o", "my plan.toml"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("plan it with: yieldplan plan 'my plan.toml'"),
        "{err}"
    );
    // The hint, run by a shell, plans the file.
    let hint = err.split("plan it with: ").nth(1).unwrap().trim();
    let exe = env!("CARGO_BIN_EXE_yieldplan");
    let ran = Command::new("sh")
        .current_dir(dir.path())
        .arg("-c")
        .arg(hint.replacen("yieldplan", exe, 1))
        .output()
        .unwrap();
    assert!(
        ran.status.success(),
        "{hint}: {}",
        String::from_utf8_lossy(&ran.stderr)
    );
}

/// `--width`, `--wide` and `--color always` are refused (exit 2, naming the
/// flag) by the commands that draw no table and with every `--format` that
/// is not a table, and still accepted by a table.
#[test]
fn table_flags_are_refused_where_there_is_no_table() {
    for (args, flag) in [
        (&["schema", "--width", "60"][..], "--width"),
        (&["man", "--wide"][..], "--wide"),
        (&["init", "--color", "always"][..], "--color always"),
        (&["completions", "bash", "--width", "80"][..], "--width"),
        // Every command that writes a report, in a format that is not a table.
        (
            &[
                "plan",
                "profiles/income-template.toml",
                "-f",
                "json",
                "--width",
                "80",
            ][..],
            "--width",
        ),
        (
            &[
                "check",
                "profiles/income-template.toml",
                "-f",
                "csv",
                "--wide",
            ][..],
            "--wide",
        ),
        (
            &[
                "compare",
                "profiles/income-template.toml",
                "profiles/early-retirement.toml",
                "-f",
                "markdown",
                "--width",
                "60",
            ][..],
            "--width",
        ),
        (
            &[
                "project",
                "profiles/income-template.toml",
                "-f",
                "json",
                "--color",
                "always",
            ][..],
            "--color always",
        ),
        (
            &[
                "stress",
                "profiles/income-template.toml",
                "-f",
                "csv",
                "--width",
                "70",
            ][..],
            "--width",
        ),
        (
            &[
                "optimize",
                "profiles/income-template.toml",
                "-f",
                "json",
                "--wide",
            ][..],
            "--wide",
        ),
        (
            &["il", "--ratio", "2", "-f", "csv", "--width", "50"][..],
            "--width",
        ),
        (
            &[
                "pools",
                "data/pools-sample.json",
                "-f",
                "markdown",
                "--wide",
            ][..],
            "--wide",
        ),
        (
            &["rates", "-f", "toml", "--color", "always"][..],
            "--color always",
        ),
        (
            &[
                "review",
                "tests/fixtures/real-data/sample-pools.toml",
                "--since",
                "data/review/plan-2026-q3.json",
                "-f",
                "json",
                "--width",
                "90",
            ][..],
            "--width",
        ),
    ] {
        let out = bin().args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(&format!("{flag} does nothing")),
            "{args:?}: {err}"
        );
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    let out = bin().args(["schema", "--color", "never"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let out = bin()
        .args([
            "plan",
            "profiles/income-template.toml",
            "--width",
            "60",
            "--wide",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

/// `init -o` writes a profile, which is TOML: a name ending in another
/// extension (`x.json`) is refused and nothing is written, as `optimize -o`
/// refuses it; `.toml` in any case, and a name without one, are written.
#[test]
fn init_output_must_be_named_as_toml() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["init", "-o", "x.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("which is TOML"));
    assert!(!dir.path().join("x.json").exists());
    for name in ["mine.TOML", "mine"] {
        let out = run_in(dir.path(), &["init", "-o", name]);
        assert!(out.status.success(), "{name}: {out:?}");
        assert!(dir.path().join(name).exists(), "{name}");
    }
}

#[test]
fn money_axes_of_tiny_amounts_have_distinct_labels_in_cents() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("tiny.toml");
    let text = std::fs::read_to_string("profiles/supplemental-income.toml")
        .unwrap()
        .replace("value = 300000", "value = 2")
        .replace(
            "monthly_income = { min = 1000, max = 2000 }",
            "monthly_income = 0.01",
        );
    std::fs::write(&profile, text).unwrap();
    let svg = dir.path().join("tiny.svg");
    let out = bin()
        .arg("project")
        .arg(&profile)
        .args(["--simulate", "--years", "5", "--paths", "50", "--plot"])
        .arg(&svg)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let texts = svg_texts(&std::fs::read_to_string(&svg).unwrap());
    // The labels of each chart's money axis, one run of `$` labels each.
    let mut axes: Vec<Vec<String>> = Vec::new();
    let mut in_axis = false;
    for t in texts {
        if t.starts_with('$') {
            if !in_axis {
                axes.push(Vec::new());
            }
            axes.last_mut().unwrap().push(t);
            in_axis = true;
        } else {
            in_axis = false;
        }
    }
    assert_eq!(axes.len(), 2, "{axes:?}");
    for labels in &axes {
        let mut distinct = labels.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), labels.len(), "{labels:?}");
        assert!(labels.len() >= 4, "{labels:?}");
    }
    // The income, a few cents a year, is labelled in cents.
    assert!(axes[1].iter().any(|l| l.contains('.')), "{:?}", axes[1]);
}

/// An attribute's value in one SVG element.
fn attr<'a>(element: &'a str, name: &str) -> Option<&'a str> {
    let start = element.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = element[start..].find('"')?;
    Some(&element[start..start + len])
}

/// The right end of each chart's x axis (the black horizontal lines), and
/// the right-most pixel each drawn data element reaches with its stroke or
/// radius, skipping the legend (right of every axis).
fn right_edges(svg: &str) -> (f64, Vec<(f64, String)>) {
    let mut axis_end = 0.0_f64;
    let mut data = Vec::new();
    for element in svg.split('<').skip(1) {
        let kind = element.split_whitespace().next().unwrap_or("");
        let xs: Vec<f64> = match kind {
            "polyline" | "polygon" => attr(element, "points")
                .unwrap_or("")
                .split_whitespace()
                .filter_map(|p| p.split(',').next()?.parse().ok())
                .collect(),
            "circle" => attr(element, "cx")
                .and_then(|x| x.parse().ok())
                .into_iter()
                .collect(),
            _ => continue,
        };
        let reach = match kind {
            "circle" => attr(element, "r")
                .and_then(|r| r.parse().ok())
                .unwrap_or(0.0),
            _ => attr(element, "stroke-width")
                .and_then(|w| w.parse::<f64>().ok())
                .map_or(0.0, |w| w / 2.0),
        };
        let (Some(lo), Some(hi)) = (
            xs.iter().copied().reduce(f64::min),
            xs.iter().copied().reduce(f64::max),
        ) else {
            continue;
        };
        if attr(element, "stroke") == Some("#000000") {
            axis_end = axis_end.max(hi);
        } else {
            data.push((lo, hi + reach));
        }
    }
    let data = data
        .into_iter()
        .filter(|(lo, _)| *lo < axis_end)
        .map(|(lo, reach)| (reach, format!("from x={lo}")))
        .collect();
    (axis_end, data)
}

#[test]
fn every_horizon_draws_its_last_year_whole_inside_the_chart() {
    let dir = tempfile::tempdir().unwrap();
    let horizons = (1..=12u32).chain([15, 20, 25, 30, 50, 70]);
    for years in horizons {
        let svg = project_svg(dir.path(), &years.to_string(), "20", false);
        let (axis_end, data) = right_edges(&svg);
        assert!(axis_end > 500.0, "years {years}: axis ends at {axis_end}");
        assert!(!data.is_empty(), "years {years}");
        for (reach, what) in data {
            assert!(
                reach <= axis_end,
                "years {years}: an element {what} reaches x={reach}, past the chart's edge at {axis_end}"
            );
        }
    }
}

#[test]
fn a_log_axis_marks_its_floor_as_a_bound_when_a_path_runs_out_below_it() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("runs-out.toml");
    let text = std::fs::read_to_string("profiles/supplemental-income.toml")
        .unwrap()
        .replace(
            "monthly_income = { min = 1000, max = 2000 }",
            "monthly_income = 4000",
        );
    std::fs::write(&profile, text).unwrap();
    let svg = dir.path().join("runs-out.svg");
    let out = bin()
        .arg("project")
        .arg(&profile)
        .args(["--simulate", "--paths", "200", "--log", "--plot"])
        .arg(&svg)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("-> $0.00"), "the median runs out: {stdout}");
    let texts = svg_texts(&std::fs::read_to_string(&svg).unwrap());
    let bounds: Vec<&String> = texts.iter().filter(|t| t.starts_with("≤ $")).collect();
    // Both charts: the value and the income reach $0, drawn on the floor.
    assert_eq!(bounds.len(), 2, "{texts:?}");
    // A chart whose amounts all stay above its floor has no bound.
    let svg = project_svg(dir.path(), "1", "100", true);
    assert!(!svg.contains('≤'), "no amount is below the floor");
}
