//! Tables fit the width asked for: every command's table output, at an
//! explicit `--width`, has no line wider than it (in terminal columns), and
//! `--wide` or a pipe without `--width` gives the full tables, byte-stable.

use std::process::Command;

use unicode_width::UnicodeWidthStr;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_yieldplan"))
}

/// Every command that draws tables, with inputs that fill every table it has.
const RUNS: &[&[&str]] = &[
    &["plan", "profiles/supplemental-income.toml"],
    &["plan", "profiles/early-retirement.toml"],
    &["plan", "profiles/financial-independence.toml"],
    &["plan", "profiles/income-template.toml"],
    &[
        "plan",
        "profiles/supplemental-income.toml",
        "--simulate",
        "--paths",
        "200",
    ],
    &["plan", "tests/fixtures/liquidity.toml"],
    &[
        "check",
        "profiles/supplemental-income.toml",
        "profiles/early-retirement.toml",
        "profiles/financial-independence.toml",
    ],
    &[
        "compare",
        "profiles/supplemental-income.toml",
        "profiles/early-retirement.toml",
        "--simulate",
        "--paths",
        "200",
    ],
    &["il", "--ratio", "2"],
    &[
        "il", "--ratio", "1.2", "--range", "0.5:2", "--amount", "10000",
    ],
    &[
        "il",
        "--volatility",
        "80%",
        "--years",
        "0.25",
        "--range",
        "0.8:1.25",
        "--amount",
        "50000",
    ],
    &["stress", "profiles/early-retirement.toml"],
    &["project", "profiles/early-retirement.toml"],
    &[
        "project",
        "profiles/financial-independence.toml",
        "--simulate",
        "--paths",
        "200",
    ],
    &["pools", "data/pools-sample.json"],
    &["rates"],
    &["rates", "--rates", "data/rates-example.toml"],
    &["rates", "--pools", "data/pools-sample.json"],
    &[
        "optimize",
        "profiles/income-template.toml",
        "--objective",
        "min-cvar",
        "--scenarios",
        "200",
    ],
    &["optimize", "profiles/financial-independence.toml"],
    &[
        "review",
        "tests/fixtures/real-data/sample-pools.toml",
        "--since",
        "data/review/plan-2026-q3.json",
        "--pools",
        "data/review/pools-2026-q4.json",
        "--holdings",
        "data/review/holdings-2026-q4.csv",
        "--income",
        "data/review/income-2026-q4.csv",
    ],
];

/// Runs one command; its standard output (exit 0, or 1 for a failed check).
fn run(args: &[&str], extra: &[&str]) -> String {
    let out = bin().args(args).args(extra).output().unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{args:?} {extra:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The lines of `text` wider than `width` columns.
fn too_wide(text: &str, width: usize) -> Vec<String> {
    text.lines()
        .filter(|l| l.width() > width)
        .map(|l| format!("{} columns: {l}", l.width()))
        .collect()
}

#[test]
fn every_table_fits_the_width_asked_for() {
    for args in RUNS {
        for width in [100usize, 80, 60, 40] {
            let text = run(args, &["--width", &width.to_string()]);
            let wide = too_wide(&text, width);
            assert!(
                wide.is_empty(),
                "yieldplan {} --width {width}:\n{}\n\n{text}",
                args.join(" "),
                wide.join("\n")
            );
        }
    }
}

#[test]
fn piped_output_is_the_full_table_and_wide_keeps_it() {
    for args in [RUNS[0], RUNS[14], RUNS[15]] {
        let piped = run(args, &[]);
        assert_eq!(piped, run(args, &[]), "{args:?} is not byte-stable");
        assert_eq!(
            piped,
            run(args, &["--width", "60", "--wide"]),
            "{args:?}: --wide is not the full table"
        );
        assert!(
            !too_wide(&piped, 100).is_empty(),
            "{args:?}: expected the full table to be wider than 100 columns"
        );
    }
}

#[test]
fn what_a_narrow_table_leaves_out_is_named() {
    let text = run(
        &["plan", "profiles/supplemental-income.toml"],
        &["--width", "60"],
    );
    assert!(
        text.contains("Left out to fit 60 columns: Strategy"),
        "{text}"
    );
    // Numbers are never broken over lines.
    assert!(text.contains("$17,085.82"), "{text}");
    assert!(text.contains("4.88 / 7.00 / 9.12%"), "{text}");
}

/// `text` without its ANSI colour codes (ESC [ ... m).
fn without_colour(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn coloured_tables_fit_too() {
    for args in [RUNS[0], RUNS[6], RUNS[7]] {
        let text = run(args, &["--width", "60", "--color", "always"]);
        assert!(text.contains('\u{1b}'), "{args:?}: expected colour");
        let wide = too_wide(&without_colour(&text), 60);
        assert!(wide.is_empty(), "{args:?}:\n{}", wide.join("\n"));
    }
}
