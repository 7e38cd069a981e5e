//! Regressions of `review` found by a new user trying to break it: every
//! flag in every format (CSV too), a band of 0, buy-only without cash, old
//! snapshots, the fewest trades, income from a position sold since, and
//! `-o -`.

use std::process::{Command, Output};

const PROFILE: &str = "tests/fixtures/real-data/sample-pools.toml";
const SNAPSHOT: &str = "data/review/plan-2026-q3.json";
const NOW: &str = "data/review/pools-2026-q4.json";
const HOLDINGS: &str = "data/review/holdings-2026-q4.csv";
const INCOME: &str = "data/review/income-2026-q4.csv";

fn review(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yieldplan"))
        .arg("review")
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap()
}

const FLAGS: [&str; 8] = [
    "apy-drop",
    "tvl-drop",
    "pool-gone",
    "emissions-up",
    "status-down",
    "new-warning",
    "drift",
    "income-below",
];

#[test]
fn every_flag_and_the_verdict_reach_every_format() {
    let base = [
        PROFILE,
        "--since",
        SNAPSHOT,
        "--pools",
        NOW,
        "--holdings",
        HOLDINGS,
        "--income",
        INCOME,
        "--deny",
        "all",
    ];
    for format in ["table", "csv", "markdown", "json"] {
        let out = review(&[&base[..], &["--format", format]].concat());
        assert_eq!(out.status.code(), Some(1), "{format}");
        let text = stdout(&out);
        for flag in FLAGS {
            assert!(text.contains(flag), "{format} lacks {flag}");
        }
        if format == "csv" {
            assert!(text.starts_with("section,position,field,value\n"), "{text}");
            assert!(text.contains("verdict,,passed,false"), "{text}");
            for part in [
                "\ndrift,stETH,",
                "\ntrade,stETH,action,sell",
                "\nincome,stETH,received,359.2",
            ] {
                assert!(text.contains(part), "csv lacks {part}");
            }
            let mut reader = csv::Reader::from_reader(text.as_bytes());
            assert!(reader.records().all(|r| r.is_ok_and(|r| r.len() == 4)));
        }
    }
}

#[test]
fn a_band_of_zero_lands_every_position_at_its_target_inside_the_band() {
    let out = review(&[
        PROFILE,
        "--since",
        SNAPSHOT,
        "--pools",
        "data/pools-sample.json",
        "--holdings",
        HOLDINGS,
        "--band",
        "0%",
        "--format",
        "json",
    ]);
    assert!(out.status.success());
    let v = json(&out);
    for row in v["drift"]["positions"].as_array().unwrap() {
        assert_eq!(row["outside_after"], false, "{row}");
        assert_eq!(row["after"], row["target"], "{row}");
    }
}

#[test]
fn buy_only_without_cash_says_what_stays_outside() {
    let out = review(&[
        PROFILE,
        "--since",
        SNAPSHOT,
        "--pools",
        "data/pools-sample.json",
        "--holdings",
        HOLDINGS,
        "--buy-only",
    ]);
    let text = stdout(&out);
    assert!(
        !text.contains("every position is inside its band"),
        "{text}"
    );
    assert!(
        text.contains("none: buy-only with no new money to place (give --cash, or leave out --buy-only to sell); stETH stays outside its band"),
        "{text}"
    );
}

#[test]
fn a_snapshot_without_pool_ids_still_raises_pool_gone() {
    let out = review(&[
        PROFILE,
        "--since",
        "tests/fixtures/review/plan-2026-q3-old.json",
        "--pools",
        NOW,
        "--deny",
        "pool-gone",
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(v["denied"], serde_json::json!(["pool-gone"]));
    assert_eq!(v["since"]["rate_book_as_of"], serde_json::Value::Null);
}

fn trade_count(holdings: &str, extra: &[&str]) -> usize {
    let out = review(
        &[
            &[
                PROFILE,
                "--since",
                SNAPSHOT,
                "--pools",
                "data/pools-sample.json",
                "--holdings",
                holdings,
                "--format",
                "json",
            ][..],
            extra,
        ]
        .concat(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    json(&out)["drift"]["trades"].as_array().unwrap().len()
}

#[test]
fn the_trades_are_the_fewest_the_band_edges_allow() {
    // One position out of band and new money: 3 buys, not 6 (two small
    // ones into positions inside their bands).
    let h = "tests/fixtures/review/holdings-cash-one-out.csv";
    assert_eq!(trade_count(h, &["--cash", "48374.75"]), 3);
    // One sale of $40,663.96 that no single position can take inside a
    // 20-point band: 2 buys, not 3.
    let h = "tests/fixtures/review/holdings-one-sale.csv";
    assert_eq!(trade_count(h, &["--band", "20%"]), 3);
}

#[test]
fn income_from_a_position_sold_since_is_compared_with_the_snapshot() {
    let out = review(&[
        "tests/fixtures/review/sample-without-steth.toml",
        "--since",
        SNAPSHOT,
        "--pools",
        "data/pools-sample.json",
        "--income",
        INCOME,
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    let rows = v["income"]["positions"].as_array().unwrap();
    let steth = rows.iter().find(|r| r["position"] == "stETH").unwrap();
    assert_eq!(steth["expected_from"], "snapshot");
    assert_eq!(steth["received"], serde_json::json!(359.2));
    // 3 months of the snapshot's $1,440 a year (mid): $360.
    assert_eq!(steth["expected"]["mid"], serde_json::json!(360));
}

#[test]
fn dash_output_is_standard_output_for_every_command() {
    for args in [
        &[
            "review", PROFILE, "--since", SNAPSHOT, "--pools", NOW, "-o", "-",
        ][..],
        &["plan", "profiles/supplemental-income.toml", "-o", "-"][..],
        &["schema", "-o", "-"][..],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_yieldplan"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        assert!(!out.stdout.is_empty(), "{args:?}");
        assert!(
            !std::path::Path::new("-").exists(),
            "{args:?} wrote a file named -"
        );
    }
}

#[test]
fn a_snapshot_with_a_byte_order_mark_reads_as_without() {
    let plain = review(&[
        PROFILE, "--since", SNAPSHOT, "--pools", NOW, "--format", "json",
    ]);
    let bom = review(&[
        PROFILE,
        "--since",
        "tests/fixtures/review/plan-2026-q3-bom.json",
        "--pools",
        NOW,
        "--format",
        "json",
    ]);
    assert!(
        bom.status.success(),
        "{}",
        String::from_utf8_lossy(&bom.stderr)
    );
    let (mut a, mut b) = (json(&plain), json(&bom));
    a["since"]["path"] = serde_json::Value::Null;
    b["since"]["path"] = serde_json::Value::Null;
    assert_eq!(a, b);
}

#[test]
fn holdings_of_nothing_say_so() {
    let out = review(&[
        PROFILE,
        "--since",
        SNAPSHOT,
        "--pools",
        "data/pools-sample.json",
        "--holdings",
        "tests/fixtures/review/holdings-empty.csv",
    ]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(
        text.contains("none: the holdings file holds nothing"),
        "{text}"
    );
}

#[test]
fn standard_input_given_twice_names_both_inputs() {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_yieldplan"))
        .args(["review", "-", "--since", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let snapshot = std::fs::read(SNAPSHOT).unwrap();
    let _ = child.stdin.take().unwrap().write_all(&snapshot);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    // Refused before either is read: both inputs are named.
    assert!(
        err.contains("standard input (-) is given for the profile and --since"),
        "{err}"
    );
}

/// A report of another command given as the snapshot says what it is and
/// how to take a snapshot, at its place.
#[test]
fn another_commands_report_is_not_a_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    for (args, expect) in [
        (
            &["optimize", "profiles/income-template.toml", "-f", "json"][..],
            "a `yieldplan optimize` report",
        ),
        (
            &["check", "profiles/income-template.toml", "-f", "json"][..],
            "has no `portfolio`",
        ),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_yieldplan"))
            .args(args)
            .output()
            .unwrap();
        let file = dir.path().join("report.json");
        std::fs::write(&file, &out.stdout).unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_yieldplan"))
            .args(["review", "profiles/income-template.toml", "--since"])
            .arg(&file)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(expect), "{err}");
        assert!(err.contains("yieldplan plan"), "{err}");
    }
}

/// CSV files saved with CRLF line ends (as spreadsheets write them): an
/// error in the holdings or the income file is shown on its own line, not
/// the one before.
#[test]
fn csv_errors_with_crlf_line_ends_point_at_their_own_line() {
    let dir = std::env::temp_dir().join(format!("yieldplan-crlf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let holdings = dir.join("holdings.csv");
    std::fs::write(
        &holdings,
        "position,value\r\n\"USDC on Aave v3, Ethereum\",100\r\n\"USDC on Aave v3, Arbitrum\",-3\r\n",
    )
    .unwrap();
    let income = dir.join("income.csv");
    std::fs::write(
        &income,
        "date,position,amount,currency\r\n2026-10-01,\"USDC on Aave v3, Ethereum\",abc,USD\r\n",
    )
    .unwrap();
    for (flag, file, place) in [
        ("--holdings", &holdings, "holdings.csv:3:29"),
        ("--income", &income, "income.csv:2:40"),
    ] {
        let out = review(&[
            PROFILE,
            "--since",
            SNAPSHOT,
            "--pools",
            NOW,
            flag,
            file.to_str().unwrap(),
        ]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(place), "{flag}: {err}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// A rate book `rates import` wrote is a pools source for `review`, as
/// `--pools` is: a pool it lacks raises `pool-gone` instead of a refusal.
/// A snapshot's currency is matched in any case, as a profile's is.
#[test]
fn an_imported_book_is_a_pools_source_and_currencies_match_in_any_case() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("q4.toml");
    let out = Command::new(env!("CARGO_BIN_EXE_yieldplan"))
        .args(["rates", "import", NOW, "-o", book.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = review(&[
        PROFILE,
        "--since",
        SNAPSHOT,
        "--rates",
        book.to_str().unwrap(),
        "-f",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(json(&out).to_string().contains("pool-gone"));
    let lower = dir.path().join("lower.json");
    let text = std::fs::read_to_string(SNAPSHOT).unwrap();
    assert!(text.contains("\"currency\": \"USD\""));
    std::fs::write(
        &lower,
        text.replace("\"currency\": \"USD\"", "\"currency\": \"usd\""),
    )
    .unwrap();
    let out = review(&[PROFILE, "--since", lower.to_str().unwrap(), "--pools", NOW]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
