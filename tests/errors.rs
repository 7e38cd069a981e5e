//! Error messages for malformed profiles, pinned by running the real binary.
//!
//! Each file in `tests/errors/profiles/` is one malformed profile; its case in
//! `tests/errors/cases/` (same name) runs `yieldplan plan` on it and pins the
//! exit code (2), an empty stdout and the exact stderr. Regenerate the
//! snapshots with `TRYCMD=overwrite cargo test --test errors`, then read every
//! changed `.stderr` as a user would before keeping it.
//!
//! Inputs too large to commit (deep nesting, very long lines) are generated
//! here instead, and checked by the plain tests below.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_yieldplan");

#[test]
fn malformed_profiles() {
    trycmd::TestCases::new()
        .register_bin("yieldplan", Path::new(BIN))
        .case("tests/errors/cases/*.toml");
}

/// Every profile has a case and every case a profile, so none is silently skipped.
#[test]
fn every_malformed_profile_has_a_case() {
    let names = |dir: &str| -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let profiles = names("tests/errors/profiles");
    let cases = names("tests/errors/cases");
    assert!(profiles.len() >= 60, "only {} profiles", profiles.len());
    assert_eq!(profiles, cases);
    for name in &cases {
        let case = fs::read_to_string(format!("tests/errors/cases/{name}.toml")).unwrap();
        assert!(
            case.contains(&format!("\"tests/errors/profiles/{name}.toml\"")),
            "case {name} runs another profile"
        );
        for ext in ["stdout", "stderr"] {
            let snapshot = format!("tests/errors/cases/{name}.{ext}");
            assert!(
                Path::new(&snapshot).exists(),
                "{snapshot} is missing: an absent snapshot is not checked"
            );
        }
    }
}

/// Writes `text` as a profile in the test scratch directory.
fn scratch(name: &str, text: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    fs::write(&path, text).unwrap();
    path
}

/// Runs `yieldplan plan` on `path`, printing how long it took.
fn plan(path: &Path) -> (Output, Duration) {
    let start = Instant::now();
    let out = Command::new(BIN).arg("plan").arg(path).output().unwrap();
    let took = start.elapsed();
    println!("{}: answered in {took:?}", path.display());
    (out, took)
}

/// The common promises for a malformed profile: exit code 2, nothing on
/// stdout, and an error that names the file and the line. Returns stderr.
fn assert_rejected(path: &Path, line: usize) -> String {
    let (out, _) = plan(path);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        out.stdout.is_empty(),
        "stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(stderr.starts_with("error: "), "{stderr}");
    let place = format!("--> {}:{line}:", path.display());
    assert!(stderr.contains(&place), "no `{place}` in:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

/// A long line is shown cut around the problem, never in full.
fn assert_lines_are_short(stderr: &str) {
    for line in stderr.lines() {
        assert!(
            line.chars().count() < 300,
            "a {}-character line in stderr",
            line.chars().count()
        );
    }
}

const HEAD: &str = "[portfolio]\nvalue = 100000\n\n[[position]]\nstrategy = \"hold\"\nasset = \"BTC\"\nweight = \"100%\"\n";

#[test]
fn an_inline_table_nested_ten_thousand_deep_is_refused() {
    let depth = 10_000;
    let text = format!(
        "{HEAD}apy = {}1{}\n",
        "{ a = ".repeat(depth),
        " }".repeat(depth)
    );
    let stderr = assert_rejected(&scratch("deep-table.toml", &text), 8);
    assert!(stderr.contains("nests values this deep"), "{stderr}");
    assert_lines_are_short(&stderr);
}

#[test]
fn an_array_nested_ten_thousand_deep_is_refused() {
    let depth = 10_000;
    let text = format!("{HEAD}apy = {}{}\n", "[".repeat(depth), "]".repeat(depth));
    let stderr = assert_rejected(&scratch("deep-array.toml", &text), 8);
    assert!(stderr.contains("nests values this deep"), "{stderr}");
    assert_lines_are_short(&stderr);
}

#[test]
fn a_100_kb_string_is_refused_and_shown_cut() {
    let text = format!("{HEAD}name = \"{}\"\n", "x".repeat(100_000));
    let stderr = assert_rejected(&scratch("long-string.toml", &text), 8);
    assert!(stderr.contains("is 100000 characters long"), "{stderr}");
    assert!(stderr.contains("use at most 200 characters"), "{stderr}");
    assert_lines_are_short(&stderr);
}

#[test]
fn a_syntax_error_at_the_end_of_a_100_kb_line_is_found() {
    let text = format!("{HEAD}name = \"{}\" apy = 5\n", "x".repeat(100_000));
    let stderr = assert_rejected(&scratch("long-line.toml", &text), 8);
    assert!(stderr.contains("invalid TOML"), "{stderr}");
    // The window around the column shows the text after the string.
    assert!(stderr.contains("\" apy = 5"), "{stderr}");
    assert_lines_are_short(&stderr);
}

#[test]
fn a_100_kb_key_is_named_cut() {
    let text = format!("{HEAD}{} = 1\n", "k".repeat(100_000));
    let stderr = assert_rejected(&scratch("long-key.toml", &text), 8);
    assert!(stderr.contains("unknown key `kkkk"), "{stderr}");
    assert!(stderr.contains("…` in position 1"), "{stderr}");
    assert_lines_are_short(&stderr);
}

#[test]
fn a_100_kb_comment_line_is_harmless() {
    let text = format!("{HEAD}# {}\napy = 7\n", "c".repeat(100_000));
    let stderr = assert_rejected(&scratch("long-comment.toml", &text), 9);
    assert!(
        stderr.contains("did you mean \"7%\" or \"700%\"?"),
        "{stderr}"
    );
}

#[test]
fn several_problems_are_reported_in_one_run() {
    let path = Path::new("tests/errors/profiles/several-problems.toml");
    let stderr = assert_rejected(path, 4);
    let expected = [
        ("unknown key `valeu` in [portfolio]", 4),
        ("`monthly_income` is nan, not a finite number", 7),
        ("`tax_rate` is 20, a bare number above 1", 10),
        ("unknown strategy \"stakeing\" in position 1", 13),
        (
            "`weight` of position 2 must be a percent or a fraction, found an array",
            20,
        ),
    ];
    for (message, line) in expected {
        assert!(
            stderr.contains(&format!("error: {message}")),
            "no `{message}` in:\n{stderr}"
        );
        assert!(
            stderr.contains(&format!("{}:{line}:", path.display())),
            "line {line} not named:\n{stderr}"
        );
    }
    assert_eq!(
        stderr.matches("error: ").count(),
        expected.len(),
        "{stderr}"
    );
    assert!(stderr.ends_with("5 problems in profile tests/errors/profiles/several-problems.toml; nothing was planned\n"), "{stderr}");
}

#[test]
fn several_problems_needing_the_rate_book_are_reported_in_one_run() {
    let path = Path::new("tests/errors/profiles/several-resolve-problems.toml");
    let stderr = assert_rejected(path, 7);
    for message in [
        "unknown asset `ETTH`",
        "two positions are named \"Core\"",
        "`pair` does not apply to a lending position",
        "unknown lint \"emisions-heavy\"",
    ] {
        assert!(stderr.contains(message), "no `{message}` in:\n{stderr}");
    }
    assert!(stderr.contains("4 problems in profile"), "{stderr}");
}

#[test]
fn every_position_of_a_large_profile_is_checked_in_one_run() {
    // 2,000 positions, each with one misspelt key: all are found, quickly,
    // the first 50 shown and the rest counted.
    let mut text = String::from("[portfolio]\nvalue = 100000\n");
    for _ in 0..2_000 {
        text.push_str("\n[[position]]\nstrategy = \"hold\"\nasset = \"BTC\"\nwieght = \"0.05%\"\n");
    }
    let path = scratch("many-positions.toml", &text);
    let stderr = assert_rejected(&path, 7);
    assert_eq!(stderr.matches("error: unknown key `wieght`").count(), 50);
    assert!(stderr.contains("... and 1950 more problems"), "{stderr}");
    assert!(stderr.contains("2000 problems in profile"), "{stderr}");
}

/// Runs `yieldplan` with `args` then `path`, expecting exit 2; returns stderr.
fn refused_with(args: &[&str], path: &Path) -> String {
    let out = Command::new(BIN).args(args).arg(path).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    stderr
}

/// A file whose lines end with a carriage return alone (old Mac OS) is
/// refused once, at the first such line end, with how to save it, not once
/// per line: a profile, a rate book and a holdings file alike. A CSV file,
/// which takes a lone CR as a line end, has its problems placed on its lines.
#[test]
fn lines_ended_by_a_lone_carriage_return_are_one_problem() {
    let shipped = fs::read_to_string("profiles/income-template.toml").unwrap();
    let profile = scratch("lone-cr.toml", &shipped.replace('\n', "\r"));
    let stderr = assert_rejected(&profile, 1);
    assert_eq!(stderr.matches("error: ").count(), 1, "{stderr}");
    let says = "the profile has 74 carriage returns without a line feed";
    assert!(stderr.contains(says), "{stderr}");
    assert!(stderr.contains("tr '\\r' '\\n'"), "{stderr}");

    let book = scratch("lone-cr-book.toml", "[assets.FOO]\rvolatility = \"50%\"\r");
    let stderr = refused_with(&["plan", "profiles/income-template.toml", "--rates"], &book);
    assert!(
        stderr.contains("the rate book has 2 carriage returns"),
        "{stderr}"
    );
    let place = format!("--> {}:1:13", book.display());
    assert!(stderr.contains(&place), "{stderr}");

    let review = [
        "review",
        "tests/fixtures/real-data/sample-pools.toml",
        "--since",
        "data/review/plan-2026-q3.json",
        "--pools",
        "data/review/pools-2026-q4.json",
        "--holdings",
    ];
    let holdings = scratch(
        "lone-cr-holdings.toml",
        "[holdings]\r\"ETH staking\" = 1000\n",
    );
    let stderr = refused_with(&review, &holdings);
    let says = "the holdings file has a carriage return without a line feed";
    assert!(stderr.contains(says), "{stderr}");

    let csv = fs::read_to_string("data/review/holdings-2026-q4.csv")
        .unwrap()
        .replace("stETH", "stETHH")
        .replace('\n', "\r");
    let holdings = scratch("lone-cr-holdings.csv", &csv);
    let stderr = refused_with(&review, &holdings);
    let place = format!("--> {}:4:1", holdings.display());
    assert!(stderr.contains(&place), "{stderr}");
    assert!(stderr.contains("4 | stETHH,52800.00\n"), "{stderr}");
}

/// A file that is not UTF-8 (here Latin-1's `é`, byte 0xE9) is refused the
/// same way whatever it is: at the first bad byte, naming it, with the
/// line shown and how to save the file, and the summary line naming the
/// kind of file. A profile, a rate book, a review's snapshot, holdings and
/// income files alike.
#[test]
fn a_file_that_is_not_utf8_is_refused_at_its_first_bad_byte() {
    fn write(name: &str, bytes: &[u8]) -> PathBuf {
        let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
        fs::write(&path, bytes).unwrap();
        path
    }
    let says = |stderr: &str, path: &Path, place: &str, kind: &str, stopped: &str| {
        let error = "error: the file is not UTF-8 text: byte 0xE9 here is not text";
        assert!(stderr.contains(error), "{stderr}");
        assert_eq!(stderr.matches("error: ").count(), 1, "{stderr}");
        assert!(
            stderr.contains(&format!("--> {}:{place}", path.display())),
            "{stderr}"
        );
        assert!(
            stderr.contains(&format!("save the {kind} as UTF-8")),
            "{stderr}"
        );
        let summary = format!("1 problem in {kind} {}; {stopped}", path.display());
        assert!(stderr.trim_end().ends_with(&summary), "{stderr}");
    };
    let toml = write("latin1.toml", b"# a caf\xe9 note\n[assets.FOO]\n");
    let stderr = refused_with(&["plan"], &toml);
    says(&stderr, &toml, "1:8", "profile", "nothing was planned");
    let stderr = refused_with(&["plan", "profiles/income-template.toml", "--rates"], &toml);
    says(&stderr, &toml, "1:8", "rate book", "nothing was planned");

    let csv = write("latin1.csv", b"position,value\nETH caf\xe9,1\n");
    let review = [
        "review",
        "tests/fixtures/real-data/sample-pools.toml",
        "--since",
        "data/review/plan-2026-q3.json",
        "--pools",
        "data/review/pools-2026-q4.json",
    ];
    for (flag, kind) in [("--holdings", "holdings file"), ("--income", "income file")] {
        let args: Vec<&str> = review.iter().copied().chain([flag]).collect();
        let stderr = refused_with(&args, &csv);
        says(&stderr, &csv, "2:8", kind, "nothing was reviewed");
    }
    let snapshot = write("latin1.json", b"{\"positions\": [\n  \"caf\xe9\"]}\n");
    let stderr = refused_with(
        &["review", "profiles/income-template.toml", "--since"],
        &snapshot,
    );
    says(
        &stderr,
        &snapshot,
        "2:7",
        "snapshot",
        "nothing was reviewed",
    );
}

/// A monthly goal is planned by the year: twelve months past 10^15 are
/// refused at the goal, as an annual goal past 10^15 is, in either form;
/// the most a month takes is accepted.
#[test]
fn a_monthly_goal_whose_year_passes_the_limit_is_refused() {
    for goal in ["1e15", "{ min = 1, max = 83333333333333.34 }"] {
        let text = format!("[goal]\nmonthly_income = {goal}\n{HEAD}");
        let stderr = assert_rejected(&scratch("monthly-limit.toml", &text), 2);
        assert!(stderr.contains("a year: more than 10^15"), "{stderr}");
        assert!(
            stderr.contains("give at most 83333333333333.33 a month"),
            "{stderr}"
        );
    }
    let text = format!("[goal]\nmonthly_income = 83333333333333.33\n{HEAD}");
    let (out, _) = plan(&scratch("monthly-most.toml", &text));
    assert!(out.status.success(), "{out:?}");
}
