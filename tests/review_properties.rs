//! Property tests of `review`'s trades back to target, over random plans,
//! holdings, new money and bands: the total is conserved to the cent, every
//! position lands inside its band, buy-only never sells, and nothing in band
//! with no new money means no trade.

use proptest::prelude::*;
use rust_decimal::Decimal;
use yieldplan::engine::review::rebalance;
use yieldplan::money::{Money, Rate};

fn cents(c: i64) -> Money {
    Money(Decimal::new(c, 2))
}

/// A plan (amounts), what is held, new money and a band from 1 to 20 points.
fn case() -> impl Strategy<Value = (Vec<Money>, Vec<Money>, Money, Rate)> {
    (1usize..9).prop_flat_map(|n| {
        (
            prop::collection::vec(1i64..100_000_000, n),
            prop::collection::vec(0i64..100_000_000, n),
            0i64..10_000_000,
            1i64..=20,
        )
            .prop_map(|(plan, held, cash, band)| {
                (
                    plan.into_iter().map(cents).collect(),
                    held.into_iter().map(cents).collect(),
                    cents(cash),
                    Rate(Decimal::new(band, 2)),
                )
            })
    })
}

fn weight_gap(planned: &[Money], amount: Money, i: usize, total: Money) -> Decimal {
    let value: Money = planned.iter().copied().sum();
    (amount.share_of(total).0 - planned[i].share_of(value).0).abs()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn trades_conserve_the_total_and_land_inside_the_band((planned, held, cash, band) in case()) {
        let total: Money = held.iter().copied().sum::<Money>() + cash;
        prop_assume!(total.0 >= Decimal::ONE_HUNDRED);
        let after = rebalance(&planned, &held, cash, band, false);
        prop_assert_eq!(after.iter().copied().sum::<Money>(), total);
        for (i, a) in after.iter().enumerate() {
            prop_assert!(a.0 >= Decimal::ZERO);
            prop_assert_eq!(a.0.round_dp(2), a.0, "whole cents");
            prop_assert!(weight_gap(&planned, *a, i, total) <= band.0, "position {} outside its band", i);
        }
    }

    #[test]
    fn buy_only_never_sells_and_spends_exactly_the_cash((planned, held, cash, band) in case()) {
        let after = rebalance(&planned, &held, cash, band, true);
        let total: Money = held.iter().copied().sum::<Money>() + cash;
        prop_assert_eq!(after.iter().copied().sum::<Money>(), total);
        for (a, h) in after.iter().zip(&held) {
            prop_assert!(a >= h, "sold {:?} -> {:?}", h, a);
        }
    }

    #[test]
    fn nothing_out_of_band_and_no_cash_means_no_trade(
        (planned, jitter) in (1usize..9).prop_flat_map(|n| (
            prop::collection::vec(100i64..100_000_000, n),
            prop::collection::vec(-100i64..=100, n),
        ))
    ) {
        // Each held amount within 1% of its plan: every weight within 2
        // points of its target, inside a 5-point band.
        let band = Rate(Decimal::new(5, 2));
        let planned: Vec<Money> = planned.into_iter().map(cents).collect();
        let held: Vec<Money> = planned
            .iter()
            .zip(&jitter)
            .map(|(p, j)| Money((p.0 * (Decimal::from(10_000 + j)) / Decimal::from(10_000)).round_dp(2)))
            .collect();
        let total: Money = held.iter().copied().sum();
        prop_assert!((0..held.len()).all(|i| weight_gap(&planned, held[i], i, total) <= band.0));
        prop_assert_eq!(rebalance(&planned, &held, Money::ZERO, band, false), held);
    }
}

/// Text that looks like the input files, with their quirks: quotes, commas,
/// signs, exponents, multi-byte characters, broken lines.
fn near_input() -> impl Strategy<Value = String> {
    let header = prop_oneof![
        Just("position,value\n".to_string()),
        Just("date,position,amount,currency\n".to_string()),
        Just("[holdings]\n".to_string()),
        Just("{\"schema_version\": 1, \"profile\": {\"name\": \"x\"}, ".to_string()),
        Just(String::new()),
    ];
    (header, "[A-Bé, \"=\\n.0-9eE+\\-:\\[\\]{}]{0,80}").prop_map(|(h, body)| h + &body)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_review_readers_never_panic(text in prop_oneof![any::<String>(), near_input()]) {
        use std::path::Path;
        use yieldplan::engine::review::{read_holdings, read_income, read_snapshot};
        let known = vec!["A".to_string(), "B, é".to_string()];
        for file in ["h.csv", "h.toml"] {
            if let Err(e) = read_holdings(Path::new(file), &text, &known) {
                let _ = e.to_string();
            }
        }
        if let Err(e) = read_income(Path::new("i.csv"), &text, &known, "USD") {
            let _ = e.to_string();
        }
        if let Err(e) = read_snapshot(Path::new("s.json"), &text, Some("x")) {
            let _ = e.to_string();
        }
    }
}
