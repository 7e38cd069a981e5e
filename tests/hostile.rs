//! Hostile input, bounded for CI: the fuzz corpora replayed through the
//! whole pipeline, regression inputs found by fuzzing, and property tests
//! over random valid and mutated profiles with a fixed number of cases.

use std::fs;
use std::path::Path;

use proptest::prelude::*;
use rust_decimal::Decimal;
use yieldplan::harness;
use yieldplan::money::Money;
use yieldplan::rates::RateBook;

fn files(dir: &str) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            if e.path().is_file() {
                out.push((e.path().display().to_string(), fs::read(e.path()).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn the_profile_corpus_replays_without_a_panic() {
    let corpus = files("fuzz/corpus/profile");
    assert!(
        corpus.len() >= 50,
        "the committed corpus is missing ({} files)",
        corpus.len()
    );
    let planned = corpus
        .iter()
        .filter(|(_, data)| harness::profile_bytes(data))
        .count();
    // The corpus holds valid profiles too: some must plan.
    assert!(planned > 0);
}

#[test]
fn the_data_corpus_replays_without_a_panic() {
    let corpus = files("fuzz/corpus/data");
    assert!(
        corpus.len() >= 5,
        "the committed corpus is missing ({} files)",
        corpus.len()
    );
    for (_, data) in &corpus {
        harness::data_bytes(data);
    }
}

#[test]
fn inputs_fuzzing_found_stay_fixed() {
    for (name, data) in files("tests/regressions") {
        if name.contains("data-") {
            harness::data_bytes(&data);
        } else {
            harness::profile_bytes(&data);
        }
    }
}

const STRATEGIES: [&str; 8] = [
    "strategy = \"staking\"\nasset = \"ETH\"\nmethod = \"liquid\"\nprotocol = \"lido\"",
    "strategy = \"staking\"\nasset = \"ATOM\"",
    "strategy = \"lending\"\nasset = \"USDC\"\nprotocol = \"aave\"",
    "strategy = \"liquidity\"\npair = [\"ETH\", \"USDC\"]\npool = \"concentrated\"\nrange = { lower = 0.8, upper = 1.25 }",
    "strategy = \"liquidity\"\npair = [\"USDC\", \"DAI\"]",
    "strategy = \"farming\"\napy = \"150%\"\nreward_apy = \"140%\"",
    "strategy = \"index\"\nindex = \"defi-yield\"",
    "strategy = \"hold\"\nasset = \"BTC\"",
];

fn profile(value_cents: u64, kinds: &[usize], goal: u64) -> String {
    let mut text = format!(
        "[portfolio]\nvalue = {}\n[goal]\nannual_income = {goal}\n",
        Decimal::new(value_cents as i64, 2)
    );
    for (i, k) in kinds.iter().enumerate() {
        let weight = if i + 1 == kinds.len() {
            "\"rest\"".to_string()
        } else {
            format!(
                "\"{}%\"",
                Decimal::new(10_000 / (kinds.len() as i64 + 1), 4) * Decimal::ONE_HUNDRED
            )
        };
        text.push_str(&format!(
            "[[position]]\nname = \"p{i}\"\n{}\nweight = {weight}\n",
            STRATEGIES[k % STRATEGIES.len()]
        ));
    }
    text
}

fn json_money(v: &serde_json::Value) -> Decimal {
    // Numbers are exact decimals in the JSON: read them back as text.
    v.to_string().parse().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn random_valid_profiles_plan_render_and_round_trip(
        value_cents in 100u64..100_000_000_000_000_000u64,
        kinds in prop::collection::vec(0usize..8, 1..10),
        goal in 1u64..10_000_000,
    ) {
        let text = profile(value_cents, &kinds, goal);
        let book = RateBook::default_book();
        let portfolio = yieldplan::load(Path::new("r.toml"), text.as_bytes(), &book)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let report = yieldplan::engine::plan(&portfolio);
        // Totals are the sum of their parts.
        let amounts: Money = report.positions.iter().map(|p| p.amount).sum();
        prop_assert_eq!(amounts, report.portfolio.value);
        let income: Money = report.positions.iter().map(|p| p.annual_income.mid).sum();
        prop_assert_eq!(income, report.totals.annual_income.mid);
        // JSON parses back to the same values.
        let json = yieldplan::report::to_json(&report);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(json_money(&v["portfolio"]["value"]), report.portfolio.value.0);
        for (p, jp) in report.positions.iter().zip(v["positions"].as_array().unwrap()) {
            prop_assert_eq!(json_money(&jp["amount"]), p.amount.0);
            prop_assert_eq!(json_money(&jp["annual_income"]["mid"]), p.annual_income.mid.0);
        }
        // Every format renders.
        for f in [yieldplan::report::Format::Table, yieldplan::report::Format::Csv, yieldplan::report::Format::Markdown] {
            let out = yieldplan::report::render(f, &report, yieldplan::report::plan_document);
            prop_assert!(out.contains("p0"));
        }
    }

    #[test]
    fn mutated_profiles_plan_or_are_rejected_never_panic(
        seed_index in 0usize..4,
        edits in prop::collection::vec((any::<u16>(), any::<u8>(), 0u8..3), 1..20),
    ) {
        let seeds = ["profiles/supplemental-income.toml", "profiles/early-retirement.toml",
            "profiles/financial-independence.toml", "profiles/income-template.toml"];
        let mut data = fs::read(seeds[seed_index]).unwrap();
        for (at, byte, op) in edits {
            let i = usize::from(at) % (data.len() + 1);
            match op {
                0 if i < data.len() => data[i] = byte,
                1 => data.insert(i, byte),
                _ if i < data.len() => { data.remove(i); }
                _ => {}
            }
        }
        // Planned or rejected with diagnostics; a panic fails the test.
        harness::profile_bytes(&data);
    }
}
