//! Property tests: whatever the split, amounts add up to the portfolio value
//! to the cent, and totals are the sum of their parts.

use std::path::Path;

use proptest::prelude::*;
use rust_decimal::Decimal;
use yieldplan::engine::plan;
use yieldplan::money::Money;
use yieldplan::rates::RateBook;

const STRATEGIES: [&str; 5] = [
    "strategy = \"staking\"\nasset = \"ETH\"",
    "strategy = \"lending\"\nasset = \"USDC\"",
    "strategy = \"liquidity\"\npair = [\"ETH\", \"USDC\"]",
    "strategy = \"index\"\nindex = \"large-cap-staking\"",
    "strategy = \"hold\"\nasset = \"BTC\"",
];

/// Splits 10,000 basis points into `n` positive parts from random cut points.
fn basis_points(cuts: &[u16]) -> Vec<u32> {
    let mut points: Vec<u32> = cuts.iter().map(|c| 1 + u32::from(*c) % 9_999).collect();
    points.sort_unstable();
    points.dedup();
    let mut parts = Vec::new();
    let mut last = 0;
    for p in points.into_iter().chain(std::iter::once(10_000)) {
        parts.push(p - last);
        last = p;
    }
    parts
}

fn profile(
    value_cents: u64,
    parts: &[u32],
    kinds: &[usize],
    rest: bool,
    fixed_cents: Option<u64>,
) -> String {
    let mut text = format!(
        "[portfolio]\nvalue = {}\n",
        Decimal::new(value_cents as i64, 2)
    );
    for (i, bp) in parts.iter().enumerate() {
        let kind = STRATEGIES[kinds[i % kinds.len()] % STRATEGIES.len()];
        let weight = if rest && i == parts.len() - 1 {
            "weight = \"rest\"".to_string()
        } else {
            format!("weight = \"{}%\"", Decimal::new(i64::from(*bp), 2))
        };
        text.push_str(&format!(
            "[[position]]\nname = \"p{i}\"\n{kind}\n{weight}\n"
        ));
    }
    if let Some(c) = fixed_cents {
        text.push_str(&format!(
            "[[position]]\nname = \"fixed\"\nstrategy = \"hold\"\namount = {}\n",
            Decimal::new(c as i64, 2)
        ));
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn amounts_sum_exactly_to_the_value(
        value_cents in 1_000u64..100_000_000_000_000u64,
        cuts in prop::collection::vec(any::<u16>(), 0..12),
        kinds in prop::collection::vec(0usize..5, 1..6),
        rest in any::<bool>(),
    ) {
        let parts = basis_points(&cuts);
        let text = profile(value_cents, &parts, &kinds, rest, None);
        let book = RateBook::default_book();
        let portfolio = yieldplan::load(Path::new("p.toml"), text.as_bytes(), &book)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let value = Money(Decimal::new(value_cents as i64, 2));
        let total: Money = portfolio.positions.iter().map(|p| p.amount).sum();
        prop_assert_eq!(total, value);
        for p in &portfolio.positions {
            prop_assert!(p.amount.0 >= Decimal::ZERO);
            prop_assert_eq!(p.amount.0.normalize().scale().min(2), p.amount.0.normalize().scale());
        }
        let report = plan(&portfolio);
        let income: Money = report.positions.iter().map(|p| p.annual_income.mid).sum();
        prop_assert_eq!(income, report.totals.annual_income.mid);
        let by_strategy: Money = report.totals.strategies.iter().map(|s| s.amount).sum();
        prop_assert_eq!(by_strategy, value);
    }

    #[test]
    fn fixed_amounts_and_weights_share_the_value_exactly(
        weighted_cents in 1_000u64..1_000_000_000u64,
        fixed_cents in 1u64..1_000_000_000u64,
        cuts in prop::collection::vec(any::<u16>(), 0..6),
    ) {
        // Weights describe shares of the whole value, so the fixed amount must be
        // exactly what the weights leave: make the value weighted + fixed, with the
        // weights adding to weighted/value. Easiest exact case: let the last weighted
        // position take the rest.
        let parts = basis_points(&cuts);
        let value_cents = weighted_cents + fixed_cents;
        let halves: Vec<u32> = parts.iter().map(|p| (p / 2).max(1)).collect();
        let text = profile(value_cents, &halves, &[0, 1, 2], true, Some(fixed_cents));
        let book = RateBook::default_book();
        let portfolio = yieldplan::load(Path::new("p.toml"), text.as_bytes(), &book);
        match portfolio {
            Ok(portfolio) => {
                let total: Money = portfolio.positions.iter().map(|p| p.amount).sum();
                prop_assert_eq!(total, Money(Decimal::new(value_cents as i64, 2)));
                let fixed = portfolio.positions.iter().find(|p| p.name == "fixed").map(|p| p.amount);
                prop_assert_eq!(fixed, Some(Money(Decimal::new(fixed_cents as i64, 2))));
            }
            // Refused only when the weights and the amount leave the rest nothing.
            Err(e) => prop_assert!(e.to_string().contains("rest"), "{}", e),
        }
    }
}

/// The amounts of the positions of a profile of `value` with one lending
/// position per weight (each a percent string) and a holding taking the
/// rest, in order, the rest last.
fn amounts_with_rest(value: &str, weights: &[&str]) -> Vec<Decimal> {
    let mut text = format!("[portfolio]\nvalue = {value}\n");
    for (i, w) in weights.iter().enumerate() {
        text.push_str(&format!(
            "[[position]]\nname = \"w{i}\"\nstrategy = \"lending\"\nasset = \"USDC\"\nweight = \"{w}\"\n"
        ));
    }
    text.push_str(
        "[[position]]\nname = \"rest\"\nstrategy = \"hold\"\nasset = \"ETH\"\nweight = \"rest\"\n",
    );
    let book = RateBook::default_book();
    let portfolio = yieldplan::load(Path::new("p.toml"), text.as_bytes(), &book).unwrap();
    portfolio.positions.iter().map(|p| p.amount.0).collect()
}

/// Beside a position taking the rest, each weight is its exact share of the
/// value rounded to the cent; the rest absorbs every rounding.
#[test]
fn weights_beside_a_rest_are_exact_to_the_cent() {
    let d = |s: &str| Decimal::from_str_exact(s).unwrap();
    assert_eq!(
        amounts_with_rest("100.00", &["33.3333%", "33.3333%"]),
        [d("33.33"), d("33.33"), d("33.34")]
    );
    // 10.006% of $100 is $10.006: each $10.01, not one of them $10.00.
    assert_eq!(
        amounts_with_rest("100.00", &["10.006%", "10.006%"]),
        [d("10.01"), d("10.01"), d("79.98")]
    );
    assert_eq!(
        amounts_with_rest("100", &["10.005%", "10.005%", "10.005%"]),
        [d("10.01"), d("10.01"), d("10.01"), d("69.97")]
    );
    for value in ["100.00", "999.99", "12345.67", "1000000"] {
        for weights in [
            &["33.3333%", "33.3333%", "30%"][..],
            &["0.123%", "45.678%", "12.3456%"],
            &["10.006%", "20.0049%", "30.0051%", "5.5555%"],
        ] {
            let amounts = amounts_with_rest(value, weights);
            let v = d(value);
            for (w, a) in weights.iter().zip(&amounts) {
                let exact = v * d(w.trim_end_matches('%')) / Decimal::ONE_HUNDRED;
                assert_eq!(
                    *a,
                    exact.round_dp_with_strategy(2, yieldplan::money::ROUNDING),
                    "{value} × {w}"
                );
            }
            assert_eq!(amounts.iter().copied().sum::<Decimal>(), v, "{value}");
        }
    }
}
