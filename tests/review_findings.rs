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

/// The line and column (from 1, in characters) of byte `at` of `text`.
fn place(text: &str, at: usize) -> String {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    format!("{line}:{col}")
}

/// Byte offset just past `anchors`, found one after the other in `text`.
fn after(text: &str, anchors: &[&str]) -> usize {
    anchors.iter().fold(0, |from, a| {
        from + text[from..].find(a).unwrap_or_else(|| panic!("{a}")) + a.len()
    })
}

/// One hand edit of a snapshot: the first `old` after `anchors` becomes
/// `new`; the problem is placed at the value just after `place` (anchors
/// from the top of the edited text), or at the edit when `place` is empty.
struct Edit {
    anchors: &'static [&'static str],
    old: &'static str,
    new: &'static str,
    place: &'static [&'static str],
    says: &'static str,
}

impl Edit {
    /// The edited text and where its problem is placed.
    fn apply(&self, text: &str) -> (String, String) {
        let from = after(text, self.anchors);
        let at = from + text[from..].find(self.old).expect(self.old);
        let edited = format!(
            "{}{}{}",
            &text[..at],
            self.new,
            &text[at + self.old.len()..]
        );
        let at = if self.place.is_empty() {
            at
        } else {
            after(&edited, self.place)
        };
        let where_ = place(&edited, at);
        (edited, where_)
    }
}

const AAVE_ETH: &str = "\"name\": \"USDC on Aave v3, Ethereum\"";
const UNISWAP: &str = "\"name\": \"USDC/WETH on Uniswap v3\"";
const JITO: &str = "\"name\": \"jitoSOL\"";

/// Every figure of the snapshot the review reads or shows is held to what a
/// plan writes: the totals, the goal, every band's order, the expected IL,
/// the strategy, the risk tier, the lints, the rate book's date. Each is
/// refused (exit 2) at its place, with the summary line, and nothing is
/// shown.
#[test]
fn every_figure_a_review_reads_is_checked_at_its_place() {
    let text = std::fs::read_to_string(SNAPSHOT).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        // The tester's findings.
        Edit {
            anchors: &["\"totals\": {", "\"annual_income\": {", "\"mid\": "],
            old: "13766.384836163244",
            new: "1",
            place: &["\"totals\": {", "\"annual_income\": {", "\"low\": "],
            says: "the total annual income band is out of order: low 9516.384836163244, mid 1,",
        },
        Edit {
            anchors: &["\"totals\": {", "\"low\": "],
            old: "0.04758192418081622",
            new: "0.9",
            place: &[],
            says: "the total blended APY is out of order: low 0.9,",
        },
        Edit {
            anchors: &["\"goal\": {", "\"required_yield\": "],
            old: "0.045",
            new: "-3",
            place: &[],
            says: "the goal's required_yield is -3, below 0",
        },
        Edit {
            anchors: &[UNISWAP, "\"expected_il\": "],
            old: "-0.0594236939129668",
            new: "0.5",
            place: &[],
            says: "USDC/WETH on Uniswap v3: expected_il is 0.5, above 0",
        },
        Edit {
            anchors: &[AAVE_ETH, "\"tier\": "],
            old: "\"blue-chip\"",
            new: "\"bogus\"",
            place: &[],
            says: "USDC on Aave v3, Ethereum: the risk tier \"bogus\" is not one of the rate book's",
        },
        Edit {
            anchors: &[AAVE_ETH, "\"strategy\": "],
            old: "\"lending\"",
            new: "\"bogus\"",
            place: &[],
            says: "USDC on Aave v3, Ethereum: the strategy \"bogus\" is not one a plan writes",
        },
        // And every other field read.
        Edit {
            anchors: &[UNISWAP, "\"expected_il\": "],
            old: "-0.0594236939129668",
            new: "-1.5",
            place: &[],
            says: "expected_il is -1.5, below -1",
        },
        Edit {
            anchors: &["\"totals\": {", "\"low\": "],
            old: "0.04758192418081622",
            new: "-2",
            place: &[],
            says: "the total blended APY's low is -2, below -1",
        },
        Edit {
            anchors: &[JITO, "\"annual_income\": {", "\"low\": "],
            old: "3300",
            new: "9300",
            place: &[],
            says: "jitoSOL: the annual income band is out of order: low 9300,",
        },
        Edit {
            anchors: &["\"name\": \"stETH\"", "\"apy\": {", "\"high\": "],
            old: "0.045",
            new: "10001",
            place: &[],
            says: "stETH: the APY band's high is 10001, above 10000",
        },
        Edit {
            anchors: &[JITO, "\"tvl_usd\": "],
            old: "2500000000",
            new: "2000000000000000",
            place: &[],
            says: "jitoSOL: tvl_usd is 2000000000000000, above 10^15",
        },
        Edit {
            anchors: &["\"portfolio\": {", "\"value\": "],
            old: "200000",
            new: "2000000000000000",
            place: &[],
            says: "the portfolio's value is 2000000000000000, above 10^15",
        },
        Edit {
            anchors: &["\"warnings\": [", "\"lint\": "],
            old: "\"emissions-heavy\"",
            new: "\"bogus-lint\"",
            place: &[],
            says: "the warning's lint \"bogus-lint\" is not one a plan writes",
        },
        Edit {
            anchors: &["\"warnings\": [", "\"position\": "],
            old: "\"OP/USDC on Velodrome\"",
            new: "\"Nowhere\"",
            place: &[],
            says: "a warning is about position \"Nowhere\", which the snapshot does not list",
        },
        Edit {
            anchors: &["\"inputs\": {", "\"rate_book_as_of\": "],
            old: "\"2026-11-01\"",
            new: "\"2026-02-30\"",
            place: &[],
            says: "the rate book's date \"2026-02-30\" is not a date",
        },
    ];
    for (i, case) in cases.iter().enumerate() {
        let (bad, at) = case.apply(&text);
        let says = case.says;
        let file = dir.path().join(format!("case-{i}.json"));
        std::fs::write(&file, &bad).unwrap();
        let file = file.to_str().unwrap();
        for format in ["table", "json"] {
            let out = review(&[PROFILE, "--since", file, "--pools", NOW, "--format", format]);
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{says}: {err}");
            assert!(out.stdout.is_empty(), "{says}");
            assert!(err.contains(says), "{says}: {err}");
            assert!(
                err.contains(&format!("{file}:{at}")),
                "{says} at {at}: {err}"
            );
            assert!(
                err.contains(&format!(
                    "1 problem in snapshot {file}; nothing was reviewed"
                )),
                "{err}"
            );
        }
    }
}

/// A risk tier a `--rates` file adds is known when the snapshot is
/// reviewed with that file, and refused, with the file named as the fix,
/// without it.
#[test]
fn a_tier_from_a_rates_file_is_known_with_that_file() {
    let dir = tempfile::tempdir().unwrap();
    let rates = dir.path().join("house.toml");
    std::fs::write(
        &rates,
        "[risk_tiers.house]\nloss_probability = \"2%\"\nloss_given_event = \"50%\"\n\n[protocols.jito]\ntier = \"house\"\n",
    )
    .unwrap();
    let rates = rates.to_str().unwrap();
    let snapshot = dir.path().join("q3.json");
    let snapshot = snapshot.to_str().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_yieldplan"))
        .args(["plan", PROFILE, "--pools", "data/pools-sample.json"])
        .args(["--rates", rates, "--format", "json", "--output", snapshot])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        std::fs::read_to_string(snapshot)
            .unwrap()
            .contains("\"tier\": \"house\"")
    );
    let with = review(&[
        PROFILE, "--since", snapshot, "--pools", NOW, "--rates", rates,
    ]);
    assert_eq!(
        with.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&with.stderr)
    );
    let without = review(&[PROFILE, "--since", snapshot, "--pools", NOW]);
    let err = String::from_utf8_lossy(&without.stderr);
    assert_eq!(without.status.code(), Some(2), "{err}");
    assert!(err.contains("jitoSOL: the risk tier \"house\""), "{err}");
    assert!(err.contains("give the --rates file"), "{err}");
}

/// One grammar of amounts in every review input: the holdings CSV and TOML,
/// the income CSV and `--cash` name the same problem in the same words.
#[test]
fn amounts_are_read_alike_in_every_review_input() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    };
    for (value, says) in [
        (".5", "has no digit before its point; write 0.5"),
        ("5.", "has no digit after its point; write 5"),
        ("1.e3", "has no digit after its point; write 1e3"),
        ("10.001", "has fractions of a cent"),
        ("1e400", "is too large (above 10^15)"),
        ("-1e400", "is negative"),
        ("1__000", "is not a number"),
    ] {
        let csv = write("h.csv", &format!("position,value\nstETH,{value}\n"));
        let income = write(
            "i.csv",
            &format!("date,position,amount,currency\n2026-10-31,stETH,{value},USD\n"),
        );
        let mut runs: Vec<Vec<String>> = vec![
            vec!["--holdings".into(), csv],
            vec!["--income".into(), income],
            vec![
                "--holdings".into(),
                HOLDINGS.into(),
                format!("--cash={value}"),
            ],
        ];
        // TOML has its own grammar for what it takes at all: only values
        // TOML parses reach the amount rules.
        if !value.starts_with('.') && !value.contains(".e") && !value.ends_with('.') {
            let toml = write("h.toml", &format!("[holdings]\n\"stETH\" = {value}\n"));
            runs.push(vec!["--holdings".into(), toml]);
        }
        for extra in runs {
            let mut args: Vec<&str> = vec![PROFILE, "--since", SNAPSHOT, "--pools", NOW];
            args.extend(extra.iter().map(String::as_str));
            let out = review(&args);
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{value} {extra:?}: {err}");
            let said =
                if value == "1__000" && extra[0] == "--holdings" && extra[1].ends_with(".toml") {
                    "not valid TOML"
                } else {
                    says
                };
            assert!(err.contains(said), "{value} {extra:?}: {err}");
        }
    }
    // Zero written with an exponent is zero, and underscores between digits
    // are a profile's thousands separator: both are read.
    let csv = write("h.csv", "position,value\nstETH,0e999999\njitoSOL,47_310\n");
    let out = review(&[
        PROFILE,
        "--since",
        SNAPSHOT,
        "--pools",
        NOW,
        "--holdings",
        &csv,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Blanks around a holding's name are not part of it, quoted or not, in the
/// CSV and in the TOML form alike, as a profile's `name` is trimmed.
#[test]
fn holdings_names_are_trimmed_alike_in_csv_and_toml() {
    let read = |holdings: &str| {
        let out = review(&[
            PROFILE,
            "--since",
            SNAPSHOT,
            "--pools",
            NOW,
            "--holdings",
            holdings,
            "--format",
            "json",
        ]);
        assert!(
            out.status.success(),
            "{holdings}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        json(&out)["drift"].clone()
    };
    let plain = read(HOLDINGS);
    assert_eq!(read("tests/fixtures/review/holdings-blanks.csv"), plain);
    assert_eq!(read("tests/fixtures/review/holdings-blanks.toml"), plain);
}
