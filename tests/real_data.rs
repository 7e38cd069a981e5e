//! Real portfolios and real DefiLlama snapshots: tokens the rate book lacks,
//! one name per asset, chain and protocol, and the snapshot quirks (negative
//! base APY, duplicate ids, skipped pools). Each case's right value was worked
//! out by hand from the inputs in tests/fixtures/real-data/.

use std::process::{Command, Output};

use serde_json::Value;

const DIR: &str = "tests/fixtures/real-data";

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yieldplan"))
        .args(args)
        .output()
        .unwrap()
}

fn fixture(name: &str) -> String {
    format!("{DIR}/{name}")
}

fn json(args: &[&str]) -> Value {
    let out = run(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn lints(plan: &Value) -> Vec<(String, Option<String>)> {
    plan["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["lint"].as_str().unwrap().to_string(),
                w["position"].as_str().map(str::to_string),
            )
        })
        .collect()
}

/// A farm on a token the book lacks, with its own rates, plans; the farm is
/// screened (450% > 100%) and the assumption is named as an info lint.
#[test]
fn an_unknown_token_with_its_own_rate_plans() {
    let plan = json(&[
        "plan",
        &fixture("unknown-token-farm.toml"),
        "--format",
        "json",
    ]);
    let l = lints(&plan);
    assert!(
        l.contains(&("yield-above-100".into(), Some("xyz farm".into()))),
        "{l:?}"
    );
    let note = plan["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["lint"] == "assumed-asset")
        .expect("assumed-asset fires");
    assert_eq!(note["severity"], "info");
    let msg = note["message"].as_str().unwrap();
    assert!(
        msg.contains("XYZ") && msg.contains("100%") && msg.contains("[assets.XYZ]"),
        "{msg}"
    );
}

/// Without a rate of its own, the refusal says what to add and never
/// suggests what the position already has.
#[test]
fn an_unknown_token_without_a_rate_is_told_what_to_add() {
    let dir = std::env::temp_dir().join(format!("yieldplan-real-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let staking = dir.join("staking.toml");
    std::fs::write(
        &staking,
        "[portfolio]\nvalue = 1000\n[[position]]\nstrategy = \"staking\"\nasset = \"XYZ\"\nweight = \"100%\"\n",
    )
    .unwrap();
    let out = run(&["plan", staking.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("give the position an `apy`"), "{err}");
    let pool = dir.join("pool.toml");
    std::fs::write(
        &pool,
        "[portfolio]\nvalue = 1000\n[[position]]\nstrategy = \"liquidity\"\npair = [\"XYZ\", \"USDC\"]\nweight = \"100%\"\n",
    )
    .unwrap();
    let out = run(&["plan", pool.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`fee_apr`") && !err.contains("an `apy`"),
        "{err}"
    );
    // With a fee_apr of its own, the pool plans on the assumed volatility.
    std::fs::write(
        &pool,
        "[portfolio]\nvalue = 1000\n[[position]]\nstrategy = \"liquidity\"\npair = [\"XYZ\", \"USDC\"]\nfee_apr = \"30%\"\nweight = \"100%\"\n",
    )
    .unwrap();
    let plan = json(&["plan", pool.to_str().unwrap(), "--format", "json"]);
    assert!(lints(&plan).iter().any(|(l, _)| l == "assumed-asset"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// 24% in `aave` by hand plus 24% in an `aave-v3` snapshot pool is 48% in
/// one protocol: protocol-concentration fires and check fails.
#[test]
fn aave_written_two_ways_is_one_protocol() {
    let profile = fixture("aave-alias.toml");
    let pools = fixture("aave-alias-pools.json");
    let plan = json(&["plan", &profile, "--pools", &pools, "--format", "json"]);
    let by_protocol = plan["diversification"]["by_protocol"].as_array().unwrap();
    assert_eq!(by_protocol.len(), 1, "{by_protocol:?}");
    assert_eq!(by_protocol[0]["name"], "aave");
    assert_eq!(by_protocol[0]["share"].to_string(), "0.48");
    assert!(
        lints(&plan)
            .iter()
            .any(|(l, _)| l == "protocol-concentration")
    );
    let out = run(&["check", &profile, "--pools", &pools, "--deny", "warnings"]);
    assert_eq!(out.status.code(), Some(1));
    // The stress test's largest-protocol shock hits both positions.
    let out = run(&["stress", &profile, "--pools", &pools]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("aave fails"));
}

/// A pool with a negative base APY and a positive total is planned on its
/// total APY, 2.5% (the band's mid), all of it paid in rewards; a pool the
/// reader skipped is named with why.
#[test]
fn a_negative_base_pool_plans_and_a_skipped_pool_says_why() {
    let pools = fixture("negative-base-pools.json");
    let plan = json(&[
        "plan",
        &fixture("negative-base-pool.toml"),
        "--pools",
        &pools,
        "--format",
        "json",
    ]);
    let pos = &plan["positions"][0];
    assert_eq!(pos["apy"]["mid"].to_string(), "0.025");
    assert_eq!(pos["apy"]["low"].to_string(), "0.022");
    assert_eq!(pos["apy"]["high"].to_string(), "0.034");
    assert_eq!(pos["reward_share"].to_string(), "1");
    assert_eq!(pos["protocol"], "curve");
    // `pools` keeps it, and keeps the 2,000,000% pool marked unsustainable.
    let listed = json(&["pools", &pools, "--format", "json"]);
    assert_eq!(listed["read"], 4);
    assert_eq!(listed["skipped"], 1);
    let rows = listed["pools"].as_array().unwrap();
    let huge = rows
        .iter()
        .find(|r| r["pool"] == "huge-apy-bsc-0002")
        .unwrap();
    assert_eq!(huge["verdict"], "unsustainable");
    assert!(rows.iter().any(|r| r["pool"] == "negbase-steth-eth-0001"));
    // A position on the all-null pool is told it was skipped, and why.
    let dir = std::env::temp_dir().join(format!("yieldplan-skip-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (id, why) in [
        ("all-null-arb-0003", "gives no APY"),
        ("huge-apy-bsc-0002", "above the planner's largest rate"),
    ] {
        let p = dir.join(format!("{id}.toml"));
        std::fs::write(
            &p,
            format!("[portfolio]\nvalue = 1000\n[[position]]\nstrategy = \"lending\"\npool_id = \"{id}\"\nweight = \"100%\"\n"),
        )
        .unwrap();
        let out = run(&["plan", p.to_str().unwrap(), "--pools", &pools]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("it was skipped") && err.contains(why), "{err}");
        assert!(!err.contains("not in the pools snapshot"), "{err}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// An id listed twice: the first entry wins in plan, pools and import, each
/// warns naming the id, and import counts the pools it wrote.
#[test]
fn a_duplicate_pool_id_has_one_rule_everywhere() {
    let id = "0xdeadbeef00000000000000000000000000000001";
    let pools = fixture("duplicate-pool-id.json");
    let out = run(&[
        "plan",
        &fixture("duplicate-pool-id.toml"),
        "--pools",
        &pools,
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains(id));
    let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plan["positions"][0]["apy"]["mid"].to_string(), "0.04");
    assert_eq!(plan["positions"][0]["chain"], "ethereum");

    let out = run(&["pools", &pools, "--format", "json"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains(id));
    let listed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed["pools"].as_array().unwrap().len(), 1);
    assert_eq!(listed["pools"][0]["apy"].to_string(), "0.04");
    assert_eq!(listed["duplicates"], 1);

    let dir = std::env::temp_dir().join(format!("yieldplan-dup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let book = dir.join("book.toml");
    let out = run(&["rates", "import", &pools, "--out", book.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(id) && err.contains("wrote 1 pool to"), "{err}");
    let text = std::fs::read_to_string(&book).unwrap();
    assert!(text.contains("mid = \"4%\""), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// An id with a newline or quotes still gives a valid rate book.
#[test]
fn import_writes_valid_toml_for_any_id() {
    let dir = std::env::temp_dir().join(format!("yieldplan-odd-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let snap = dir.join("odd.json");
    std::fs::write(
        &snap,
        r#"{"data":[{"pool":"a\n[b]\"c","chain":"Ethereum","project":"x\ny","symbol":"USDC","tvlUsd":1e6,"apy":3}]}"#,
    )
    .unwrap();
    let book = dir.join("book.toml");
    let out = run(&[
        "rates",
        "import",
        snap.to_str().unwrap(),
        "--out",
        book.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&book).unwrap();
    let value: toml::Table = toml::from_str(&text).unwrap();
    assert!(value["pools"].as_table().unwrap().contains_key("a\n[b]\"c"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `pools --symbol ETH` matches USDC-WETH; `--project aave` (or `Aave V3`)
/// matches aave-v3; `--chain optimism` (or `op-mainnet`) matches OP Mainnet.
#[test]
fn pool_filters_know_aliases() {
    let dir = std::env::temp_dir().join(format!("yieldplan-filter-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let snap = dir.join("s.json");
    std::fs::write(
        &snap,
        r#"{"data":[
        {"pool":"a","chain":"OP Mainnet","project":"uniswap-v3","symbol":"USDC-WETH","tvlUsd":1e7,"apy":12},
        {"pool":"b","chain":"Arbitrum","project":"aave-v3","symbol":"USDC","tvlUsd":1e8,"apy":4},
        {"pool":"c","chain":"Ethereum","project":"lido","symbol":"STETH","tvlUsd":1e9,"apy":3}]}"#,
    )
    .unwrap();
    let s = snap.to_str().unwrap();
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["pools", s, "--format", "json"];
        all.extend_from_slice(args);
        json(&all)["pools"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["pool"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&["--symbol", "ETH"]), ["a"]);
    assert_eq!(ids(&["--symbol", "weth"]), ["a"]);
    assert_eq!(ids(&["--project", "aave"]), ["b"]);
    assert_eq!(ids(&["--project", "uniswap"]), ["a"]);
    assert_eq!(ids(&["--chain", "optimism"]), ["a"]);
    // As in a profile: any case, a space and a hyphen alike, and the
    // book's NAME-vN rule for a project.
    assert_eq!(ids(&["--project", "Aave V3"]), ["b"]);
    assert_eq!(ids(&["--project", "aave-v4"]), ["b"]);
    assert_eq!(ids(&["--project", "Uniswap V2"]), ["a"]);
    assert_eq!(ids(&["--chain", "arbitrum-one"]), ["b"]);
    assert_eq!(ids(&["--chain", "Arbitrum One"]), ["b"]);
    assert_eq!(ids(&["--chain", "op-mainnet"]), ["a"]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `rates import` of the shipped sample snapshot writes exactly the committed
/// extension (regenerate with `yieldplan rates import data/pools-sample.json
/// --out tests/fixtures/real-data/pools-sample-import.toml --as-of 2026-11-01`).
#[test]
fn the_sample_snapshot_imports_as_committed() {
    let dir = std::env::temp_dir().join(format!("yieldplan-sample-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out_file = dir.join("pools-sample-import.toml");
    let out = run(&[
        "rates",
        "import",
        "data/pools-sample.json",
        "--out",
        out_file.to_str().unwrap(),
        "--as-of",
        "2026-11-01",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("wrote 9 pools"), "{err}");
    assert!(err.contains("sample-0010-moon-farm"), "{err}");
    let got = std::fs::read_to_string(&out_file).unwrap();
    let expected = std::fs::read_to_string(fixture("pools-sample-import.toml")).unwrap();
    assert_eq!(got, expected);
    let _ = std::fs::remove_dir_all(&dir);
}

/// All problems of a profile in one run: an unknown asset and an unreadable
/// weight are both reported, and weights that do not add up are not hidden
/// behind an asset error.
#[test]
fn every_problem_of_a_profile_is_reported_in_one_run() {
    let out = run(&["plan", &fixture("asset-and-weight.toml")]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown asset `ETHX`") && err.contains("a bare number above 1"),
        "{err}"
    );
    assert!(err.contains("2 problems"), "{err}");
    let out = run(&["plan", &fixture("asset-and-sum.toml")]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown asset `ETHX`") && err.contains("add up to 85%"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}
