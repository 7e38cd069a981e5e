//! Unit tests of the projection: closed forms to the cent, the issue's
//! reference values, rows that add up, and refusals past the limit.
use std::path::Path;

use super::*;
use crate::rates::RateBook;

fn run(text: &str, years: u32) -> Projection {
    let book = RateBook::default_book();
    let p =
        crate::load(Path::new("p.toml"), text.as_bytes(), &book).unwrap_or_else(|e| panic!("{e}"));
    let plan = crate::engine::plan(&p);
    project(&p, &plan, years).unwrap_or_else(|e| panic!("{e}"))
}

fn fixture(name: &str, years: u32) -> Projection {
    let text = std::fs::read_to_string(format!("tests/fixtures/{name}.toml")).unwrap();
    run(&text, years)
}

fn refused(name: &str, years: u32) -> ProjectionError {
    let text = std::fs::read_to_string(format!("tests/fixtures/{name}.toml")).unwrap();
    let book = RateBook::default_book();
    let p = crate::load(Path::new("p.toml"), text.as_bytes(), &book).unwrap();
    let plan = crate::engine::plan(&p);
    project(&p, &plan, years).unwrap_err()
}

/// One USDC lending position at `apy`, with extra TOML.
fn profile(value: &str, apy: &str, extra: &str) -> String {
    format!(
        "[portfolio]\nvalue = {value}\n{extra}\n[[position]]\nstrategy = \"lending\"\nasset = \"USDC\"\napy = \"{apy}\"\nweight = \"100%\"\n"
    )
}

fn money(s: &str) -> Money {
    Money(Decimal::from_str_exact(s).unwrap())
}

fn last(p: &Projection) -> Money {
    p.rows.last().unwrap().end_value.settle()
}

#[test]
fn compounding_matches_the_closed_form() {
    // domain.md §2: 100,000 at 5% for 10 years → 162,889.46.
    let p = run(
        &profile("100000", "5%", "[assumptions]\nreinvest = \"100%\""),
        10,
    );
    assert_eq!(last(&p), money("162889.46"));
}

#[test]
fn contributions_add_an_ordinary_annuity() {
    // 162,889.4627 plus an ordinary annuity of 1,000 for 10 years at 5%
    // (12,577.8925): 175,467.3552 (computed independently with Python's decimal).
    let p = run(
        &profile(
            "100000",
            "5%",
            "[assumptions]\nreinvest = \"100%\"\ninflation = \"0%\"\nannual_contribution = 1000",
        ),
        10,
    );
    assert_eq!(last(&p), money("175467.36"));
    // Indexed to 3% inflation they grow: the growing annuity is 14,248.9124,
    // so 177,138.3750.
    let p = run(
        &profile(
            "100000",
            "5%",
            "[assumptions]\nreinvest = \"100%\"\ninflation = \"3%\"\nannual_contribution = 1000",
        ),
        10,
    );
    assert_eq!(last(&p), money("177138.38"));
}

#[test]
fn withdrawals_match_the_closed_forms() {
    // 1,000,000 at 5% paying 80,000 at each year end for 10 years → 622,663.22.
    let flat = run(
        &profile(
            "1000000",
            "5%",
            "[goal]\nannual_income = 80000\n[assumptions]\ninflation = \"0%\"",
        ),
        10,
    );
    assert_eq!(last(&flat), money("622663.22"));
    assert_eq!(flat.rows[0].withdrawn, money("30000"));
    assert_eq!(flat.rows[0].paid_out, money("80000"));
    // With the payment indexed to 3% inflation → 488,981.64.
    let indexed = run(
        &profile(
            "1000000",
            "5%",
            "[goal]\nannual_income = 80000\n[assumptions]\ninflation = \"3%\"",
        ),
        10,
    );
    assert_eq!(last(&indexed), money("488981.64"));
}

#[test]
fn depletion_years_match_the_closed_form() {
    // 1,000,000 at 5%, 80,000 a year → 20.10 years.
    let p = run(
        &profile(
            "1000000",
            "5%",
            "[goal]\nannual_income = 80000\n[assumptions]\ninflation = \"0%\"",
        ),
        30,
    );
    assert_eq!(
        p.depleted_after_years.map(|y| y.round_dp(2)),
        Some(Decimal::from_str_exact("20.10").unwrap())
    );
}

#[test]
fn years_to_goal_match_the_closed_form() {
    // 100k → 1M with 20k a year at 7%: 17.79 years. The sustainable yield is 7%,
    // so a 70,000 goal is covered once the value reaches 1,000,000.
    let text = profile(
        "100000",
        "7%",
        "[goal]\nannual_income = 70000\nstarts_in_years = 40\n[assumptions]\nreinvest = \"100%\"\ninflation = \"0%\"\nannual_contribution = 20000",
    );
    let p = run(&text, 30);
    assert_eq!(
        p.years_to_goal.map(|y| y.round_dp(2)),
        Some(Decimal::from_str_exact("17.79").unwrap())
    );
}

#[test]
fn accumulation_then_income_phase() {
    let text = profile(
        "100000",
        "6%",
        "[goal]\nannual_income = 5000\nstarts_in_years = 2\n[assumptions]\nreinvest = \"100%\"\ninflation = \"0%\"",
    );
    let p = run(&text, 3);
    assert_eq!(p.rows[0].phase, Phase::Accumulate);
    assert_eq!(p.rows[1].end_value, money("112360"));
    assert_eq!(p.rows[2].phase, Phase::Income);
    // 112,360 × 6% = 6,741.60: 5,000 paid, the surplus reinvested.
    assert_eq!(p.rows[2].paid_out, money("5000"));
    assert_eq!(p.rows[2].end_value, money("114101.6"));
}

/// The projection's yield is Σ amount × rate ÷ value, unrounded: $100 at
/// 4.444% with $10,000 a year for 30 years is the closed form
/// 100·1.04444³⁰ + 10,000·(1.04444³⁰ − 1)/0.04444 = $604,682.66.
#[test]
fn a_small_value_compounds_at_its_exact_yield() {
    let p = fixture("model-m5-small-value", 30);
    assert_eq!(last(&p), money("604682.66"));
    assert_eq!(
        p.rows.last().unwrap().end_value.0.round_dp(2),
        dec("604682.66")
    );
}

/// NPER without counting income twice: $100,000 at 5% paying $200,000 a
/// year is empty after ln(200/195)/ln(1.05) = 0.52 years.
#[test]
fn depletion_counts_income_once() {
    let p = fixture("model-m7-depletion", 5);
    assert_eq!(
        p.depleted_after_years.map(|y| y.round_dp(2)),
        Some(dec("0.52"))
    );
}

/// Tax falls on the fees only and is never negative; every row adds up:
/// start + price change + IL − losses + reinvested + contributions −
/// withdrawn = end (a losing ETH/SOL pool, 30% tax, 50% reinvested).
#[test]
fn every_row_adds_up_and_tax_is_never_negative() {
    for name in [
        "model-m6-negative-income",
        "model-m7-depletion",
        "model-m5-small-value",
    ] {
        let p = fixture(name, 10);
        for r in &p.rows {
            assert!(r.tax.0 >= Decimal::ZERO, "{name} year {}", r.year);
            assert!(r.paid_out.0 >= Decimal::ZERO, "{name} year {}", r.year);
            let sides = r.start_value.0 + r.price_growth.0 + r.impermanent_loss.0 - r.losses.0
                + r.reinvested.0
                + r.contributions.0
                - r.withdrawn.0;
            assert_eq!(sides, r.end_value.0, "{name} year {}", r.year);
        }
    }
    let first = &fixture("model-m6-negative-income", 1).rows[0];
    // 2% of 100,000 in fees, taxed at 30%: 600, whatever the IL.
    assert_eq!(first.tax, money("600"));
    assert!(first.impermanent_loss.0 < Decimal::ZERO);
}

/// An overflow is refused up front with the parameter and a limit, never
/// a panic and never a silent zero.
#[test]
fn amounts_past_the_limit_are_refused_naming_the_cause() {
    let e = refused("overflow-inflation-80", 100);
    assert!(e.message.contains("inflation of 80%"), "{}", e.message);
    assert!(e.help.contains("--years"), "{}", e.help);
    let e = refused("overflow-apy-99-reinvested", 100);
    assert!(e.message.contains("99%"), "{}", e.message);
    // Within the limit the same profiles project.
    let ok = fixture("overflow-apy-99-reinvested", 40);
    assert!(last(&ok).0 > Decimal::from(10u64.pow(15)));
    let growth = profile(
        "100000",
        "1%",
        "[assets.USDC]\nexpected_return = \"1000%\"\n[assumptions]\nreinvest = \"100%\"",
    );
    let book = RateBook::default_book();
    let p = crate::load(Path::new("p.toml"), growth.as_bytes(), &book).unwrap();
    let plan = crate::engine::plan(&p);
    let e = project(&p, &plan, 100).unwrap_err();
    assert!(e.message.contains("median price change"), "{}", e.message);
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}
