use rust_decimal::Decimal;

use super::read_spec;

/// The problems `text` has, each as "message | help".
fn errors(text: &str) -> Vec<String> {
    read_spec(text)
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|d| format!("{} | {}", d.message, d.help.unwrap_or_default()))
        .collect()
}

const MINIMAL: &str = "[portfolio]\nvalue = 1000\n[[position]]\nstrategy = \"hold\"\nasset = \"BTC\"\nweight = \"100%\"\n";

#[test]
fn minimal_profile_reads() {
    let spec = read_spec(MINIMAL).unwrap();
    assert_eq!(spec.portfolio.unwrap().value.value, Decimal::from(1000));
    assert_eq!(spec.positions.len(), 1);
}

#[test]
fn all_problems_are_reported_together() {
    let text = "[portfolio]\nvalu = 1000\n[[position]]\nstrategy = \"staking\"\nwieght = 35\n";
    let e = errors(text);
    assert!(
        e.iter()
            .any(|m| m.contains("unknown key `valu`") && m.contains("`value`")),
        "{e:?}"
    );
    assert!(
        e.iter()
            .any(|m| m.contains("unknown key `wieght`") && m.contains("`weight`")),
        "{e:?}"
    );
    // The misspellings are the problems; the keys they stand for are not
    // reported missing on top.
    assert!(!e.iter().any(|m| m.contains("has no `value`")), "{e:?}");
    assert!(
        !e.iter()
            .any(|m| m.contains("neither `weight` nor `amount`")),
        "{e:?}"
    );
}

#[test]
fn a_key_in_the_wrong_table_is_sent_home() {
    let e = errors(&MINIMAL.replace("value = 1000", "value = 1000\ntax_rate = \"20%\""));
    assert!(
        e.iter()
            .any(|m| m.contains("unknown key `tax_rate` in [portfolio]")
                && m.contains("belongs under [assumptions]")),
        "{e:?}"
    );
}

#[test]
fn syntax_errors_are_all_reported() {
    let e = errors("[portfolio\nvalue = 1\n\n[[position]\nstrategy = \"hold\"\n");
    assert!(e.len() >= 2, "{e:?}");
    assert!(e.iter().all(|m| m.starts_with("invalid TOML")), "{e:?}");
}

/// A control character inside a string is named as such; a string left
/// open at the end of its line is still "not closed".
#[test]
fn a_control_character_in_a_string_is_not_an_open_string() {
    for text in ["name = \"ab\u{1}\"\n", "name = 'ab\u{7f}'\n"] {
        let e = errors(text);
        assert!(
            e.iter().any(|m| m.contains("a control character (U+00")),
            "{e:?}"
        );
        assert!(!e.iter().any(|m| m.contains("not closed")), "{e:?}");
    }
    let e = errors("name = \"ab\n");
    assert!(
        e.iter().any(|m| m.contains("a string is not closed")),
        "{e:?}"
    );
}

#[test]
fn huge_and_tiny_numbers_say_which() {
    let e = errors(&MINIMAL.replace("1000", "1e30"));
    assert!(e.iter().any(|m| m.contains("more than the 10^15")), "{e:?}");
    let e = errors(&MINIMAL.replace("\"100%\"", "1e-40"));
    assert!(e.iter().any(|m| m.contains("decimal places")), "{e:?}");
}

#[test]
fn bare_percent_gets_a_hint() {
    let e = errors(&MINIMAL.replace("\"100%\"", "35"));
    assert!(
        e.iter().any(|m| m.contains("did you mean \"35%\"")),
        "{e:?}"
    );
}

#[test]
fn nan_and_infinity_are_refused() {
    let e = errors(&MINIMAL.replace("1000", "nan"));
    assert!(e.iter().any(|m| m.contains("not a finite number")), "{e:?}");
    let e = errors(&MINIMAL.replace("1000", "inf"));
    assert!(e.iter().any(|m| m.contains("not a finite number")), "{e:?}");
}

#[test]
fn percent_and_fraction_weights_agree() {
    let a = read_spec(&MINIMAL.replace("\"100%\"", "\"30%\"")).unwrap();
    let b = read_spec(&MINIMAL.replace("\"100%\"", "0.3")).unwrap();
    assert_eq!(
        a.positions[0].allocation.as_ref().unwrap().value,
        b.positions[0].allocation.as_ref().unwrap().value
    );
}

#[test]
fn band_checks_order() {
    let text = MINIMAL.replace(
        "weight = \"100%\"",
        "weight = \"100%\"\napy = { low = \"5%\", high = \"3%\" }",
    );
    let e = errors(&text);
    assert!(
        e.iter().any(|m| m.contains("`low` (5%) above `high` (3%)")),
        "{e:?}"
    );
}
