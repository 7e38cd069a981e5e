//! Tests of snapshot reading, screening, listing and rate-book export.

use super::*;

const ONE: &str = r#"{"status":"success","data":[
      {"chain":"Ethereum","project":"aave-v3","symbol":"USDC","tvlUsd":1500000000,"apyBase":4.5,"apyReward":null,
       "apy":4.5,"rewardTokens":null,"pool":"aaa","stablecoin":true,"ilRisk":"no","exposure":"single",
       "predictions":{"predictedClass":"Stable/Up","predictedProbability":70,"binnedConfidence":2},
       "mu":4.2,"sigma":0.8,"count":500,"outlier":false,"apyMean30d":4.4,"newField":123},
      {"chain":"Ethereum","project":"farm","symbol":"XYZ-WETH","tvlUsd":50000,"apyBase":5,"apyReward":200,
       "apy":205,"pool":"bbb","stablecoin":false,"ilRisk":"yes","mu":NaN,"sigma":null,"count":3,"outlier":true},
      {"chain":"Ethereum","project":"bad","symbol":"X","tvlUsd":-5,"apy":3,"pool":"ccc"},
      {"chain":"Ethereum","project":"bad","symbol":"X","tvlUsd":NaN,"apy":3,"pool":"ddd"}
    ]}"#;

#[test]
fn reads_nulls_unknown_fields_and_skips_impossible_pools() {
    let s = read_snapshot(ONE.as_bytes()).unwrap();
    assert_eq!(s.pools.len(), 2);
    assert_eq!(s.skipped.len(), 2);
    let a = &s.pools[0];
    assert_eq!(a.apy, 0.045);
    assert_eq!(a.apy_reward, 0.0);
    assert_eq!(s.pools[1].mu, None);
}

#[test]
fn screening_gives_reasons() {
    let s = read_snapshot(ONE.as_bytes()).unwrap();
    assert_eq!(screen(&s.pools[0]), (Verdict::Sustainable, vec![]));
    let (v, reasons) = screen(&s.pools[1]);
    assert_eq!(v, Verdict::Unsustainable);
    for r in [
        "yield above 100%",
        "emissions-heavy",
        "outlier",
        "too little history",
        "tiny TVL",
    ] {
        assert!(reasons.contains(&r), "{r}");
    }
}

#[test]
fn band_follows_the_stated_rule() {
    let s = read_snapshot(ONE.as_bytes()).unwrap();
    let b = band(&s.pools[0]);
    // mid = the total APY today, 4.5%; low/high = mu ∓ sigma = 3.4% / 5.0%.
    assert!(
        (b[0] - 0.034).abs() < 1e-12 && (b[1] - 0.045).abs() < 1e-12 && (b[2] - 0.05).abs() < 1e-12
    );
    // Without mu/sigma: between the current APY and the 30-day mean (none here: flat).
    let b = band(&s.pools[1]);
    assert_eq!(b, [2.05, 2.05, 2.05]);
}

#[test]
fn broken_files_are_errors() {
    assert_eq!(
        read_snapshot(&ONE.as_bytes()[..200]),
        Err(SnapshotError::Truncated {
            line: ONE[..200].matches('\n').count() + 1,
            column: 200 - ONE[..200].rfind('\n').map_or(0, |i| i + 1) + 1,
        })
    );
    assert!(matches!(
        read_snapshot(b"<html>oops</html>"),
        Err(SnapshotError::Json { .. })
    ));
    assert_eq!(
        read_snapshot(br#"{"status":"error"}"#),
        Err(SnapshotError::NoData)
    );
}

#[test]
fn nan_inside_strings_is_left_alone() {
    let text = r#"{"data":[{"pool":"NaN-pool","symbol":"NaN","tvlUsd":1,"apy":1}]}"#;
    let s = read_snapshot(text.as_bytes()).unwrap();
    assert_eq!(s.pools[0].id, "NaN-pool");
}

#[test]
fn filters_and_sorting() {
    let s = read_snapshot(ONE.as_bytes()).unwrap();
    let all = list(&s, &Filter::default(), SortKey::Apy, 50);
    assert_eq!(all.pools[0].pool, "bbb");
    let stable = list(
        &s,
        &Filter {
            stablecoin: true,
            ..Filter::default()
        },
        SortKey::Tvl,
        50,
    );
    assert_eq!(stable.matched, 1);
    let weth = list(
        &s,
        &Filter {
            symbol: Some("weth".into()),
            ..Filter::default()
        },
        SortKey::Tvl,
        50,
    );
    assert_eq!(weth.pools[0].pool, "bbb");
    let capped = list(
        &s,
        &Filter {
            max_apy: Some(1.0),
            ..Filter::default()
        },
        SortKey::Tvl,
        50,
    );
    assert_eq!(capped.matched, 1);
}

#[test]
fn an_imported_extension_reads_back_as_a_rate_book() {
    let text = r#"{"data":[{"pool":"p-1","chain":"Ethereum","project":"aave-v3","symbol":"USDC","tvlUsd":1e9,
        "apyBase":4.5,"apy":4.5,"mu":4.2,"sigma":0.8,"count":500,"apyMean30d":4.4,"stablecoin":true,"ilRisk":"no"}]}"#;
    let s = read_snapshot(text.as_bytes()).unwrap();
    let refs: Vec<&Pool> = s.pools.iter().collect();
    let toml_text = rate_book_extension(&refs, "test snapshot", Some("2026-11-27")).text;
    let book =
        crate::rates::RateBook::with_file(std::path::Path::new("x.toml"), &toml_text).unwrap();
    let e = &book.pools["p-1"];
    assert_eq!(e.mid.0, rust_decimal::Decimal::new(45, 3));
    assert_eq!(e.low.0, rust_decimal::Decimal::new(34, 3));
    assert_eq!(e.chain, "ethereum");
    assert_eq!(book.as_of.as_deref(), Some("2026-11-27"));
}

#[test]
fn an_imported_extension_is_written_as_before() {
    let text = r#"{"data":[{"pool":"p-1","chain":"Ethereum","project":"aave-v3","symbol":"USDC","tvlUsd":1e9,
        "apyBase":4.5,"apy":4.5,"mu":4.2,"sigma":0.8,"count":500,"apyMean30d":4.4,"stablecoin":true,"ilRisk":"no"}]}"#;
    let s = read_snapshot(text.as_bytes()).unwrap();
    let refs: Vec<&Pool> = s.pools.iter().chain(s.pools.iter()).collect();
    let expected = "\
# Pool yield bands imported from a DefiLlama pools snapshot by `yieldplan rates import`.
# Band rule: mid = the total APY today (base plus rewards); low / high = mu -/+ sigma
# (low at least 0), else the lower / higher of the current and 30-day APYs.
# Use it with `--rates FILE`; positions refer to a pool by `pool_id`.
as_of = \"2026-11-27\"

[pools.p-1]
project = \"aave-v3\"
symbol = \"USDC\"
chain = \"ethereum\"
low = \"3.4%\"
mid = \"4.5%\"
high = \"5%\"
reward_share = \"0%\"
stablecoin = true
il_risk = false
source = \"test snapshot\"
";
    assert_eq!(
        rate_book_extension(&refs, "test snapshot", Some("2026-11-27")).text,
        expected
    );
}

#[test]
fn a_tvl_past_any_pool_is_skipped_not_shown_as_zero() {
    let text = r#"{"status":"success","data":[
      {"chain":"Ethereum","project":"big","symbol":"USDC","tvlUsd":1e308,"apy":3,"pool":"huge"},
      {"chain":"Ethereum","project":"ok","symbol":"USDC","tvlUsd":1e15,"apy":3,"pool":"most"}
    ]}"#;
    let s = read_snapshot(text.as_bytes()).unwrap();
    assert_eq!(s.pools.len(), 1);
    assert_eq!(s.pools[0].id, "most");
    assert_eq!(s.skipped.len(), 1);
    assert_eq!(
        s.skipped[0].reason,
        "its TVL (1e308 USD) is over 1e15 USD, more than any pool holds, at line 2, column 7"
    );
}

#[test]
fn a_byte_order_mark_is_skipped_and_is_not_a_column() {
    let with_bom = format!("\u{feff}{ONE}");
    let s = read_snapshot(with_bom.as_bytes()).unwrap();
    assert_eq!(s.pools.len(), 2);
    match read_snapshot("\u{feff}{\"data\": x}".as_bytes()) {
        Err(SnapshotError::Json { line, column, .. }) => assert_eq!((line, column), (1, 10)),
        other => panic!("{other:?}"),
    }
}

/// A byte that is not UTF-8 is named as such at its place, whatever the line
/// ends (CR alone included) and whatever serde made of it; a file of blanks
/// is called empty, not cut short.
#[test]
fn a_byte_not_utf8_is_named_at_its_place_and_blanks_are_empty() {
    for end in ["\n", "\r", "\r\n"] {
        let text = [
            b"{\"data\": [".as_slice(),
            end.as_bytes(),
            b"  {\"pool\": \"a\xff\"}]}",
        ]
        .concat();
        match read_snapshot(&text) {
            Err(SnapshotError::Json {
                line,
                column,
                message,
            }) => {
                assert_eq!((line, column), (2, 14), "{end:?}");
                assert!(message.contains("not UTF-8"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }
    match read_snapshot(b"{\"data\": [\n  {\xff\"pool\": \"a\"}]}") {
        Err(SnapshotError::Json {
            line,
            column,
            message,
        }) => {
            assert_eq!((line, column), (2, 4));
            assert!(message.contains("not UTF-8"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    // The data list alone (say, `jq .data` of a response) is not a snapshot,
    // cut short or not.
    for list in [&b"\n  [{\"pool\": \"x\"}]"[..], b"\n  [{\"a\":1"] {
        assert_eq!(
            read_snapshot(list),
            Err(SnapshotError::List { line: 2, column: 3 })
        );
    }
    assert!(matches!(
        read_snapshot(b" \r\n "),
        Err(SnapshotError::Empty)
    ));
    assert!(matches!(
        read_snapshot(b"{\"data\": ["),
        Err(SnapshotError::Truncated {
            line: 1,
            column: 11
        })
    ));
}

#[test]
fn a_chain_or_project_no_pool_has_is_said_with_the_nearest() {
    let s = read_snapshot(ONE.as_bytes()).unwrap();
    let filter = |chain: Option<&str>, project: Option<&str>| Filter {
        chain: chain.map(str::to_string),
        project: project.map(str::to_string),
        book: crate::rates::RateBook::default_book(),
        ..Filter::default()
    };
    assert!(
        filter(Some("ETHEREUM"), Some("Aave V3"))
            .unmatched(&s.pools)
            .is_empty()
    );
    assert_eq!(
        filter(Some("etherium"), Some("aave v3"))
            .unmatched(&s.pools)
            .as_slice(),
        ["no pool of the snapshot is on chain `etherium`; did you mean `ethereum`?"]
    );
    assert_eq!(
        filter(None, Some("Farmm")).unmatched(&s.pools),
        ["no pool of the snapshot is of project `Farmm` (read as `farmm`); did you mean `farm`?"]
    );
    // Another filter leaving a pool out is not the name's fault.
    let mut f = filter(Some("ethereum"), None);
    f.min_tvl = Some(1e12);
    assert!(f.unmatched(&s.pools).is_empty());
}

/// An entry of the wrong shape (a field of the wrong type, a `null` or a
/// number in the list) is skipped with its id when it has one and the
/// place of the problem in the file; the file's other pools are read.
#[test]
fn an_entry_of_the_wrong_shape_is_skipped_at_its_place() {
    let text = concat!(
        "{\"data\": [\n",
        "  {\"pool\": \"typed\", \"chain\": 5, \"tvlUsd\": 1, \"apy\": 1},\n",
        "  null, 7,\n",
        "  {\"pool\": \"good\", \"chain\": \"Ethereum\", \"tvlUsd\": 1, \"apy\": 1}\n",
        "]}"
    );
    let s = read_snapshot(text.as_bytes()).unwrap();
    assert_eq!(s.pools.len(), 1);
    assert_eq!(s.pools[0].id, "good");
    assert_eq!(s.skipped.len(), 3);
    assert_eq!(s.skipped[0].id.as_deref(), Some("typed"));
    assert!(
        s.skipped[0].reason.contains("at line 2, column 30"),
        "{}",
        s.skipped[0].reason
    );
    assert!(
        s.skipped[0]
            .reason
            .contains("`chain` is a number (5); expected a string"),
        "{}",
        s.skipped[0].reason
    );
    assert_eq!(s.skipped[1].id, None);
    assert!(
        s.skipped[1].reason.contains("line 3, column 3"),
        "{}",
        s.skipped[1].reason
    );
    assert!(
        s.skipped[2].reason.contains("line 3, column 9"),
        "{}",
        s.skipped[2].reason
    );
}

/// Many entries of the wrong shape are placed in one pass (a one-line file
/// of 40,000 `null`s), each at its own column.
#[test]
fn many_entries_of_the_wrong_shape_are_placed_in_order() {
    let text = format!("{{\"data\":[{}]}}", vec!["null"; 40_000].join(","));
    let s = read_snapshot(text.as_bytes()).unwrap();
    assert_eq!(s.skipped.len(), 40_000);
    // Entry k (from 0) starts at column 10 + 5k.
    for k in [0usize, 1, 39_999] {
        let at = format!("line 1, column {})", 10 + 5 * k);
        assert!(
            s.skipped[k].reason.contains(&at),
            "{k}: {}",
            s.skipped[k].reason
        );
    }
}

/// The first entry of an id decides it, also when it is skipped: a later
/// entry with that id is ignored (and the repetition warned about), not
/// used in its place.
#[test]
fn a_skipped_first_entry_is_not_replaced_by_a_later_one() {
    let text = concat!(
        "{\"data\": [",
        "{\"pool\": \"a\", \"tvlUsd\": \"x\", \"apy\": 5},",
        "{\"pool\": \"a\", \"tvlUsd\": 1000000, \"apy\": 5},",
        "{\"pool\": \"b\", \"tvlUsd\": -1, \"apy\": 5},",
        "{\"pool\": \"b\", \"tvlUsd\": 1000000, \"apy\": 7},",
        "{\"pool\": \"c\", \"tvlUsd\": 1000000, \"apy\": 7}",
        "]}"
    );
    let s = read_snapshot(text.as_bytes()).unwrap();
    assert_eq!(
        s.pools.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
        ["c"]
    );
    assert_eq!(s.skipped.len(), 2);
    assert_eq!(s.duplicates, [("a".to_string(), 2), ("b".to_string(), 2)]);
    assert_eq!(s.entries(), 5);
    let w = s.warnings();
    assert!(
        w[0].contains("the first entry is skipped") && w[0].contains("expected a number"),
        "{w:?}"
    );
    assert!(w[1].contains("TVL is negative"), "{w:?}");
}

/// JSON that is not the response's shape is named as such, not as JSON
/// that is not valid.
#[test]
fn json_of_another_shape_is_not_called_invalid() {
    match read_snapshot(br#"{"data": {}}"#) {
        Err(e @ SnapshotError::Shape { line: 1, .. }) => {
            assert!(e.to_string().contains("not a pools response"), "{e}");
            assert!(e.to_string().contains("expected a list of pools"), "{e}");
        }
        other => panic!("{other:?}"),
    }
}

/// Repeated ids are warned about one by one up to a limit, then counted:
/// a snapshot listing thousands of ids twice does not flood the terminal.
#[test]
fn repeated_ids_are_warned_about_up_to_a_limit() {
    let entries: Vec<String> = (0..2_000)
        .map(|i| {
            format!(
                "{{\"pool\": \"id-{}\", \"tvlUsd\": 1, \"apy\": 1}}",
                i % 1_000
            )
        })
        .collect();
    let text = format!("{{\"data\": [{}]}}", entries.join(","));
    let s = read_snapshot(text.as_bytes()).unwrap();
    assert_eq!(s.duplicates.len(), 1_000);
    let w = s.warnings();
    assert_eq!(w.len(), WARNED_IDS + 1);
    assert!(w[0].contains("`id-0` is listed 2 times"), "{}", w[0]);
    assert!(
        w[WARNED_IDS].contains("and 980 more pool ids"),
        "{}",
        w[WARNED_IDS]
    );
}

/// A wrong-shape entry's reason is said in JSON's terms (a list, an
/// object), not the reader's (a sequence, a map).
#[test]
fn wrong_shape_reasons_use_json_words() {
    let text = r#"{"data": [{"pool": "x", "tvlUsd": [1]}, {"pool": "y", "apy": {"a": 1}}]}"#;
    let s = read_snapshot(text.as_bytes()).unwrap();
    for (skipped, want) in s.skipped.iter().zip([
        "`tvlUsd` is a list ([1]); expected a number",
        "`apy` is an object ({\"a\": 1}); expected a number",
    ]) {
        assert!(skipped.reason.contains(want), "{}", skipped.reason);
    }
    assert_eq!(s.skipped.len(), 2);
}

/// The reason an entry of the wrong shape is skipped names the field that
/// is wrong (a nested one by its path), what it holds and what it should
/// hold, placed where its value starts, whatever the value's type and
/// however it is spaced; a long value is cut.
#[test]
fn a_wrong_shape_reason_names_the_field() {
    let long = "x".repeat(100);
    // Each field after `  {"pool": "p", ` (it starts at column 17), with
    // the column of the value that is wrong.
    let cases: [(String, usize, &str); 11] = [
        (
            r#""tvlUsd": "x""#.into(),
            27,
            r#"`tvlUsd` is a string ("x"); expected a number"#,
        ),
        (
            r#""apy": "5""#.into(),
            24,
            r#"`apy` is a string ("5"); expected a number"#,
        ),
        (
            r#""symbol": 7"#.into(),
            27,
            "`symbol` is a number (7); expected a string",
        ),
        (
            r#""chain": 1.5e3"#.into(),
            26,
            "`chain` is a number (1.5e3); expected a string",
        ),
        (
            r#""outlier": "no""#.into(),
            28,
            r#"`outlier` is a string ("no"); expected a boolean"#,
        ),
        (
            r#""stablecoin": 1"#.into(),
            31,
            "`stablecoin` is a number (1); expected a boolean",
        ),
        (
            r#""mu": true"#.into(),
            23,
            "`mu` is a boolean (true); expected a number",
        ),
        (
            r#""sigma" :  [ ]"#.into(),
            28,
            "`sigma` is a list ([ ]); expected a number",
        ),
        (
            r#""predictions": 5"#.into(),
            32,
            "`predictions` is a number (5); expected an object",
        ),
        (
            r#""predictions": {"predictedProbability": 1, "predictedClass": [3]}"#.into(),
            78,
            "`predictions.predictedClass` is a list ([3]); expected a string",
        ),
        (
            format!(r#""apyBase": "{long}""#),
            28,
            r#"`apyBase` is a string ("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…); expected a number"#,
        ),
    ];
    for (field, column, want) in &cases {
        let text = format!("{{\"data\": [\n  {{\"pool\": \"p\", {field}}}\n]}}");
        let s = read_snapshot(text.as_bytes()).unwrap();
        assert_eq!(s.skipped.len(), 1, "{field}");
        assert_eq!(s.skipped[0].id.as_deref(), Some("p"));
        assert_eq!(
            s.skipped[0].reason,
            format!(
                "it is not a pool as the endpoint writes one ({want}, at line 2, column {column})"
            ),
            "{field}"
        );
    }
}

/// An entry whose pool id is empty, blank, of another type than a string,
/// null or missing is skipped, the reason saying which and where (its value,
/// or the entry when there is none), with no id; one with no id and another
/// problem is skipped for its id. The other pools are read.
#[test]
fn an_entry_without_a_usable_id_says_why_and_where() {
    let text = concat!(
        "{\"data\": [\n",
        "  {\"pool\": \"good\", \"tvlUsd\": 1, \"apy\": 1},\n",
        "  {\"pool\": \"\", \"tvlUsd\": 1, \"apy\": 1},\n",
        "  {\"pool\": \" \\t \", \"tvlUsd\": 1, \"apy\": 1},\n",
        "  {\"tvlUsd\": 1, \"pool\":   7, \"apy\": 1},\n",
        "  {\"pool\": true, \"tvlUsd\": 1, \"apy\": 1},\n",
        "  {\"pool\": null, \"tvlUsd\": 1, \"apy\": 1},\n",
        "  {\"tvlUsd\": -1, \"apy\": -1}\n",
        "]}"
    );
    let s = read_snapshot(text.as_bytes()).unwrap();
    assert_eq!(
        s.pools.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
        ["good"]
    );
    let reasons: Vec<&str> = s.skipped.iter().map(|k| k.reason.as_str()).collect();
    assert_eq!(
        reasons,
        [
            "its pool id (`pool`) is empty; expected a non-empty string, at line 3, column 12",
            r#"its pool id (`pool`) is blank (" \t "); expected a non-empty string, at line 4, column 12"#,
            "its pool id (`pool`) is a number (7); expected a non-empty string, at line 5, column 27",
            "its pool id (`pool`) is a boolean (true); expected a non-empty string, at line 6, column 12",
            "it has no pool id (`pool` is null), at line 7, column 12",
            "it has no pool id (`pool` is missing), at line 8, column 3",
        ]
    );
    assert!(s.skipped.iter().all(|k| k.id.is_none()));
    assert!(s.duplicates.is_empty());
    // Every entry of the endpoint's shape, one without an id: placed too.
    let text = "{\"data\": [{\"pool\": \"good\", \"tvlUsd\": 1, \"apy\": 1},\n {\"tvlUsd\": 1, \"apy\": 1}]}";
    let s = read_snapshot(text.as_bytes()).unwrap();
    assert_eq!(s.pools.len(), 1);
    assert_eq!(
        s.skipped,
        [Skipped {
            id: None,
            reason: "it has no pool id (`pool` is missing), at line 2, column 2".into()
        }]
    );
}

/// An entry without a usable id is placed also when the file has entries
/// of the wrong shape, and an entry of the wrong shape keeps its id for the
/// position that names it.
#[test]
fn ids_and_wrong_shapes_are_placed_together() {
    let text = "{\"data\": [{\"pool\": \"a\", \"tvlUsd\": \"x\", \"apy\": 1}, {\"pool\": \"\", \"tvlUsd\": 1, \"apy\": 1}]}";
    let s = read_snapshot(text.as_bytes()).unwrap();
    assert_eq!(s.skipped.len(), 2);
    assert_eq!(s.skipped[0].id.as_deref(), Some("a"));
    assert_eq!(
        s.skipped[0].reason,
        r#"it is not a pool as the endpoint writes one (`tvlUsd` is a string ("x"); expected a number, at line 1, column 35)"#
    );
    assert_eq!(s.skipped[1].id, None);
    assert_eq!(
        s.skipped[1].reason,
        "its pool id (`pool`) is empty; expected a non-empty string, at line 1, column 60"
    );
}

/// A number past the largest float in one entry (`1e400`, `-1e999`, a
/// 400-digit integer), in any field the reader converts, skips that entry
/// only, the reason naming the field and saying the number is too large to
/// hold, placed where the value starts; the other entries are read. One in
/// a field the reader ignores (`apyPct30D`) or outside `data` changes
/// nothing.
#[test]
fn a_number_too_large_for_a_float_skips_its_entry_only() {
    let digits = format!("1{}", "0".repeat(400));
    // Each field after `  {"pool": "p", ` (it starts at column 17), with
    // the column of the value and the value as the reason shows it.
    let cases: [(String, usize, &str); 7] = [
        (
            r#""tvlUsd": 1e400"#.into(),
            27,
            "`tvlUsd` is a number too large to hold (1e400",
        ),
        (
            r#""apy": -1e999"#.into(),
            24,
            "`apy` is a number too large to hold (-1e999",
        ),
        (
            r#""apyBase": 1E+309"#.into(),
            28,
            "`apyBase` is a number too large to hold (1E+309",
        ),
        (
            r#""apyReward": 2e308"#.into(),
            30,
            "`apyReward` is a number too large to hold (2e308",
        ),
        (
            r#""mu": 1e400"#.into(),
            23,
            "`mu` is a number too large to hold (1e400",
        ),
        (
            r#""count": 1e999"#.into(),
            26,
            "`count` is a number too large to hold (1e999",
        ),
        (
            format!(r#""tvlUsd": {digits}"#),
            27,
            "`tvlUsd` is a number too large to hold (1000000000000000000000000000000000000000…",
        ),
    ];
    for (field, column, want) in &cases {
        let text = format!(
            "{{\"status\": \"success\", \"data\": [\n  {{\"pool\": \"p\", {field}}},\n  {{\"pool\": \"q\", \"tvlUsd\": 5, \"apy\": 4}}\n]}}"
        );
        let s = read_snapshot(text.as_bytes()).unwrap();
        assert_eq!(s.pools.len(), 1, "{field}");
        assert_eq!(s.pools[0].id, "q");
        assert_eq!(s.skipped.len(), 1, "{field}");
        assert_eq!(s.skipped[0].id.as_deref(), Some("p"));
        assert_eq!(
            s.skipped[0].reason,
            format!("{want}; the largest is ±1.8e308), at line 2, column {column}"),
            "{field}"
        );
    }
    // Ignored fields are not converted, so their size does not matter.
    let ignored = r#"{"status": 1e400, "data": [
      {"pool": "p", "tvlUsd": 5, "apy": 4, "apyPct30D": 1e400, "predictions": {"predictedProbability": -1e999}}
    ]}"#;
    let s = read_snapshot(ignored.as_bytes()).unwrap();
    assert_eq!((s.pools.len(), s.skipped.len()), (1, 0));
}

/// The largest float and numbers near it are held as read: a TVL past 10^15
/// is skipped, an APY is kept (and screened as beyond the planner's largest
/// rate), history figures past the cap are unknown; base plus reward past
/// the largest float is skipped.
#[test]
fn finite_huge_numbers_are_judged_as_read() {
    let text = r#"{"data": [
      {"pool": "tvl", "tvlUsd": 1.7976931348623157e308, "apy": 4},
      {"pool": "apy", "tvlUsd": 5, "apy": 1e308},
      {"pool": "history", "tvlUsd": 5, "apy": 4, "mu": 1e308, "sigma": 1e308, "apyMean30d": 1e308},
      {"pool": "sum", "tvlUsd": 5, "apyBase": 1.7e308, "apyReward": 1.7e308}
    ]}"#;
    let s = read_snapshot(text.as_bytes()).unwrap();
    let ids: Vec<&str> = s.pools.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["apy", "history"]);
    assert_eq!(s.pools[0].apy, 1e306);
    assert_eq!(
        (s.pools[1].mu, s.pools[1].sigma, s.pools[1].apy_mean_30d),
        (None, None, None)
    );
    let reasons: Vec<&str> = s.skipped.iter().map(|k| k.reason.as_str()).collect();
    assert_eq!(
        reasons,
        [
            "its TVL (1.7976931348623157e308 USD) is over 1e15 USD, more than any pool holds, at line 2, column 7",
            "its APY (apyBase + apyReward) is larger than any number this tool holds, at line 5, column 7",
        ]
    );
}

/// A number nearer 0 than the smallest float (`1e-400`) is read as 0, as
/// the float nearest it; a negative one is 0 too, not -0 and not a
/// negative APY or TVL.
#[test]
fn a_number_too_small_for_a_float_reads_as_zero() {
    let text = r#"{"data": [
      {"pool": "tvl", "tvlUsd": 1e-400, "apy": 4},
      {"pool": "apy", "tvlUsd": 5, "apy": -1e-400, "apyReward": -1e-400, "apyBase": -1e-400, "mu": -1e-400},
      {"pool": "zero", "tvlUsd": -0.0, "apy": -0}
    ]}"#;
    let s = read_snapshot(text.as_bytes()).unwrap();
    assert!(s.skipped.is_empty(), "{:?}", s.skipped);
    for p in &s.pools {
        for x in [p.tvl_usd, p.apy, p.apy_base, p.apy_reward] {
            assert!(x >= 0.0, "{}: {x}", p.id);
            assert!(x.is_sign_positive(), "{}: {x}", p.id);
        }
    }
    assert_eq!(s.pools[0].tvl_usd, 0.0);
    assert_eq!(s.pools[0].apy, 0.04);
    assert_eq!(s.pools[1].apy, 0.0);
    assert_eq!(s.pools[1].mu, Some(0.0));
    assert!(s.pools[1].mu.unwrap().is_sign_positive());
}

/// A string the typed reader cannot make text of (a lone UTF-16 surrogate
/// escape) skips its entry, named and placed, rather than the file.
#[test]
fn a_string_that_is_not_text_skips_its_entry_only() {
    let text = "{\"data\": [\n  {\"pool\": \"p\", \"chain\": \"\\ud800\", \"tvlUsd\": 5, \"apy\": 4},\n  {\"pool\": \"q\", \"tvlUsd\": 5, \"apy\": 4}\n]}";
    let s = read_snapshot(text.as_bytes()).unwrap();
    assert_eq!(s.pools.len(), 1);
    assert_eq!(s.skipped.len(), 1);
    assert_eq!(s.skipped[0].id.as_deref(), Some("p"));
    let reason = &s.skipped[0].reason;
    assert!(
        reason.starts_with(r#"it is not a pool as the endpoint writes one (`chain` is a string that is not text ("\ud800": "#),
        "{reason}"
    );
    assert!(
        reason.ends_with("; expected a string of text, at line 2, column 26)"),
        "{reason}"
    );
}

/// A syntax error outside the numbers still refuses the file, at its place.
#[test]
fn a_syntax_error_is_still_an_error_of_the_file() {
    let text = "{\"data\": [\n  {\"pool\": \"p\", \"tvlUsd\": 1e400, \"apy\": 4},\n  {\"pool\": \"q\" \"apy\": 4}\n]}";
    match read_snapshot(text.as_bytes()) {
        Err(SnapshotError::Json { line, column, .. }) => assert_eq!((line, column), (3, 16)),
        other => panic!("{other:?}"),
    }
}

/// A list in the `data` list, or where an object of fields belongs, is of
/// the wrong shape: it is skipped at its place, not read as the fields in
/// order (a list of an id, a chain, a project, a symbol, a TVL and an APY
/// used to plan as a pool at that APY), and an empty list is not an entry
/// without an id.
#[test]
fn a_list_is_not_read_as_an_object_of_fields() {
    let text = concat!(
        "{\"data\": [\n",
        "  [\"arr-id\", \"Ethereum\", \"aave-v3\", \"USDC\", 5000000, 4],\n",
        "  [],\n",
        "  {\"pool\": \"pred\", \"tvlUsd\": 1, \"apy\": 1, \"predictions\": [\"Down\"]},\n",
        "  {\"pool\": \"good\", \"tvlUsd\": 1, \"apy\": 1, \"predictions\": {\"predictedClass\": \"Down\"}}\n",
        "]}"
    );
    let s = read_snapshot(text.as_bytes()).unwrap();
    let ids: Vec<&str> = s.pools.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["good"]);
    assert!(s.pools[0].predicted_down);
    let reasons: Vec<(Option<&str>, &str)> = s
        .skipped
        .iter()
        .map(|k| (k.id.as_deref(), k.reason.as_str()))
        .collect();
    assert_eq!(
        reasons,
        [
            (
                None,
                "it is not a pool as the endpoint writes one (`[\"arr-id\", \"Ethereum\", \"aave-v3\", \"USDC\"…` is not an object of pool fields, at line 2, column 3)"
            ),
            (
                None,
                "it is not a pool as the endpoint writes one (`[]` is not an object of pool fields, at line 3, column 3)"
            ),
            (
                Some("pred"),
                "it is not a pool as the endpoint writes one (`predictions` is a list ([\"Down\"]); expected an object, at line 4, column 58)"
            ),
        ]
    );
}
