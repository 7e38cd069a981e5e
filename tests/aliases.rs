//! A profile written with other names (WETH, weth, optimism, OP Mainnet,
//! aave-v3, Aave) plans to the same numbers and warnings as the one written
//! with the rate book's ids.

use std::path::Path;

use proptest::prelude::*;
use yieldplan::engine::plan;
use yieldplan::rates::RateBook;

/// The problems `load` reports for profile `text` read as `name`; the text
/// must be refused.
fn refusal(name: &str, text: &str, book: &RateBook) -> String {
    yieldplan::load(Path::new(name), text.as_bytes(), book)
        .map(|_| ())
        .unwrap_err()
        .to_string()
}

/// The profile with each name slot filled by `names`.
fn profile(names: &[&str; 6]) -> String {
    let [eth, usdc, chain, lending, pool, lst] = names;
    format!(
        r#"name = "aliases"
[portfolio]
value = 100000
[goal]
annual_income = 4000
[[position]]
name = "eth staking"
strategy = "staking"
asset = "{eth}"
chain = "{chain}"
weight = "30%"
[[position]]
name = "usdc lending"
strategy = "lending"
asset = "{usdc}"
protocol = "{lending}"
chain = "{chain}"
weight = "30%"
[[position]]
name = "pool"
strategy = "liquidity"
pair = ["{eth}", "{usdc}"]
protocol = "{pool}"
weight = "20%"
[[position]]
name = "held lst"
strategy = "hold"
asset = "{lst}"
weight = "20%"
"#
    )
}

/// The plan as JSON, without the profile's path.
fn planned(text: &str) -> serde_json::Value {
    let book = RateBook::default_book();
    let p = yieldplan::load(Path::new("aliases.toml"), text.as_bytes(), &book)
        .unwrap_or_else(|e| panic!("{e}\n{text}"));
    let mut r = plan(&p);
    r.warnings.extend(yieldplan::note_warnings(&p));
    let mut v = serde_json::to_value(&r).unwrap();
    v.as_object_mut().unwrap().remove("profile");
    v
}

const CANONICAL: [&str; 6] = ["ETH", "USDC", "optimism", "aave", "uniswap", "STETH"];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn aliases_plan_like_the_canonical_names(
        eth in prop::sample::select(vec!["ETH", "WETH", "weth", "eth", "Eth"]),
        usdc in prop::sample::select(vec!["USDC", "usdc", "USDC.e", "USDbC"]),
        chain in prop::sample::select(vec![
            "optimism", "OP Mainnet", "op", "Optimism", "op-mainnet", "Optimism  Mainnet",
        ]),
        lending in prop::sample::select(vec![
            "aave", "aave-v3", "Aave", "AAVE-V2", "Aave V3", "AAVE V3", "aave v2",
        ]),
        pool in prop::sample::select(vec![
            "uniswap", "uniswap-v3", "Uniswap-V2", "Uniswap V3", "uniswap v4",
        ]),
        lst in prop::sample::select(vec!["STETH", "stETH", "wstETH", "steth"]),
    ) {
        let expected = planned(&profile(&CANONICAL));
        let got = planned(&profile(&[eth, usdc, chain, lending, pool, lst]));
        prop_assert_eq!(got, expected);
    }
}

/// The canonical profile groups by one id: one protocol `aave`, the chain
/// `optimism`, and the held stETH counts as ETH exposure (the majors group)
/// with Lido's risk and stETH's staking yield.
#[test]
fn the_canonical_profile_groups_by_one_id() {
    let v = planned(&profile(&[
        "WETH",
        "usdc",
        "OP Mainnet",
        "aave-v3",
        "uniswap-v3",
        "wstETH",
    ]));
    let names = |key: &str| -> Vec<String> {
        v["diversification"][key]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(names("by_protocol").contains(&"aave".to_string()));
    assert!(names("by_protocol").contains(&"lido".to_string()));
    assert!(names("by_chain").contains(&"optimism".to_string()));
    let held = &v["positions"][3];
    assert_eq!(held["asset"], "STETH");
    assert_eq!(held["protocol"], "lido");
    assert_eq!(held["apy"]["mid"].to_string(), "0.036");
}

/// Two spellings of one asset or protocol in one list of a profile (an
/// override, a scenario's prices or its failing protocols) are refused at
/// the second, with the first shown: both would otherwise apply, the later
/// silently winning (or a protocol failing twice).
#[test]
fn one_thing_named_twice_in_a_list_is_refused() {
    let book = RateBook::default_book();
    let base = "[portfolio]\nvalue = 100000\n[[position]]\nstrategy = \"lending\"\n\
                asset = \"USDC\"\nprotocol = \"aave\"\nweight = \"100%\"\n";
    for (extra, said) in [
        (
            "[assets.ETH]\nvolatility = \"10%\"\n[assets.WETH]\nvolatility = \"200%\"\n",
            "[assets] names `ETH` twice: `ETH` and `WETH` are the same asset",
        ),
        (
            "[protocols.aave]\ntier = \"emerging\"\n[protocols.\"AAVE-v3\"]\ntier = \"blue-chip\"\n",
            "[protocols] names `aave` twice: `aave` and `AAVE-v3` are the same protocol",
        ),
        (
            "[[scenario]]\nname = \"s\"\nprices = { ETH = \"10%\", weth = \"-10%\" }\n",
            "`prices` names `ETH` twice",
        ),
        (
            "[[scenario]]\nname = \"s\"\nfail = [\"aave\", \"Aave-V3\"]\n",
            "`fail` names `aave` twice",
        ),
    ] {
        let text = format!("{base}{extra}");
        let err = refusal("p.toml", &text, &book);
        assert!(err.contains(said), "{extra}\n{err}");
        assert!(err.contains("first named here"), "{err}");
    }
}

/// A staking position's `provider_fee` comes off the book's yield; beside an
/// `apy` (already what is received) it would be shown but not used, so the
/// pair is refused at the fee.
#[test]
fn provider_fee_beside_apy_is_refused() {
    let book = RateBook::default_book();
    let text = "[portfolio]\nvalue = 100000\n[[position]]\nstrategy = \"staking\"\n\
                asset = \"ETH\"\nprovider_fee = \"100%\"\napy = \"5%\"\nweight = \"100%\"\n";
    let err = refusal("f.toml", text, &book);
    assert!(err.contains("f.toml:6:16"), "{err}");
    assert!(
        err.contains("`provider_fee` has no effect beside `apy`"),
        "{err}"
    );
    let without_apy = text.replace("apy = \"5%\"\n", "");
    assert!(yieldplan::load(Path::new("f.toml"), without_apy.as_bytes(), &book).is_ok());
}

/// Blanks around a position's name are not part of it: "A" and "A " are one
/// name (refused as used twice), and " B " plans as "B".
#[test]
fn blanks_around_a_name_are_not_part_of_it() {
    let book = RateBook::default_book();
    let pos = |name: &str| {
        format!(
            "[[position]]\nname = \"{name}\"\nstrategy = \"lending\"\nasset = \"USDC\"\nweight = \"50%\"\n"
        )
    };
    let text = format!("[portfolio]\nvalue = 1000\n{}{}", pos("A"), pos("A "));
    let err = refusal("n.toml", &text, &book);
    assert!(
        err.contains("two positions are named \"A\" (blanks around a name are not part of it)"),
        "{err}"
    );
    let text = format!("[portfolio]\nvalue = 1000\n{}{}", pos("A"), pos(" total "));
    let err = refusal("n.toml", &text, &book);
    assert!(err.contains("may not be named \"Total\""), "{err}");
    let text = format!("[portfolio]\nvalue = 1000\n{}{}", pos("A"), pos(" B "));
    let p = yieldplan::load(Path::new("n.toml"), text.as_bytes(), &book).unwrap();
    assert_eq!(p.positions[1].name, "B");
}

/// A weight worth less than a cent plans a position of nothing, as 0% would:
/// refused at the weight.
#[test]
fn a_weight_worth_less_than_a_cent_is_refused() {
    let book = RateBook::default_book();
    let text = "[portfolio]\nvalue = 100\n[[position]]\nstrategy = \"lending\"\nasset = \"USDC\"\n\
                weight = \"0.000001%\"\n[[position]]\nstrategy = \"hold\"\nasset = \"BTC\"\nweight = \"rest\"\n";
    let err = refusal("w.toml", text, &book);
    assert!(err.contains("w.toml:6:10"), "{err}");
    assert!(err.contains("is less than a cent (0.000001)"), "{err}");
    let index = "[portfolio]\nvalue = 100\n[[position]]\nstrategy = \"index\"\nindex = \"large-cap-staking\"\n\
                 weight = \"0.02%\"\n[[position]]\nstrategy = \"hold\"\nasset = \"BTC\"\nweight = \"rest\"\n";
    let err = refusal("w.toml", index, &book);
    assert!(
        err.contains("(0.002) in its smallest component (10%)"),
        "{err}"
    );
    let cent = text.replace("0.000001%", "0.01%");
    assert!(yieldplan::load(Path::new("w.toml"), cent.as_bytes(), &book).is_ok());
}

/// A percent written as a number a decimal cannot hold is named as such, in
/// a profile and in a rate book, not called "not a percent".
#[test]
fn a_percent_a_decimal_cannot_hold_says_why() {
    let book = RateBook::default_book();
    for (apy, said) in [
        ("1e-30%", "has more decimal places than a rate holds"),
        ("1e40%", "is too large for a rate"),
    ] {
        let text = format!(
            "[portfolio]\nvalue = 1000\n[[position]]\nstrategy = \"lending\"\nasset = \"USDC\"\n\
             apy = \"{apy}\"\nweight = \"100%\"\n"
        );
        let err = refusal("p.toml", &text, &book);
        assert!(err.contains(said) && err.contains("p.toml:6:7"), "{err}");
        let e = RateBook::with_file(
            Path::new("r.toml"),
            &format!("[assets.ETH]\nvolatility = \"{apy}\"\n"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains(said), "{e}");
    }
}

/// Two scenarios of one name (blanks around it not counted) are refused:
/// they would be two rows no one can tell apart.
#[test]
fn two_scenarios_of_one_name_are_refused() {
    let book = RateBook::default_book();
    let text = "[portfolio]\nvalue = 1000\n[[position]]\nstrategy = \"lending\"\nasset = \"USDC\"\n\
                weight = \"100%\"\n[[scenario]]\nname = \"s\"\n[[scenario]]\nname = \"s \"\n";
    let err = refusal("s.toml", text, &book);
    assert!(
        err.contains("[[scenario]] names `s` twice") && err.contains("s.toml:10:8"),
        "{err}"
    );
}

/// A scenario may not take a built-in shock's name, and "rest" on an index
/// must leave each component a cent; scenario prices name the first written
/// as first.
#[test]
fn built_in_shock_names_sub_cent_rest_and_price_order() {
    let book = RateBook::default_book();
    let base = "[portfolio]\nvalue = 100000\n[[position]]\nstrategy = \"lending\"\nasset = \"USDC\"\n\
                weight = \"100%\"\n";
    for (extra, said) in [
        (
            "[[scenario]]\nname = \"yields halved\"\n",
            "is the name of a built-in shock",
        ),
        (
            "[[scenario]]\nname = \"Aave fails\"\n",
            "has the form of a built-in shock's name",
        ),
        (
            "[[scenario]]\nname = \"s\"\nprices = { WETH = \"-10%\", ETH = \"-90%\" }\n",
            "`WETH` and `ETH` are the same asset",
        ),
    ] {
        let text = format!("{base}{extra}");
        let err = refusal("s.toml", &text, &book);
        assert!(err.contains(said), "{extra}: {err}");
    }
    let rest = "[portfolio]\nvalue = 100000\n[[position]]\nstrategy = \"hold\"\nasset = \"BTC\"\n\
                amount = 99999.98\n[[position]]\nstrategy = \"index\"\nindex = \"large-cap-staking\"\n\
                weight = \"rest\"\n";
    let err = refusal("r.toml", rest, &book);
    assert!(
        err.contains("the rest, $0.02, is less than a cent (0.002)"),
        "{err}"
    );
}

/// Scenario names that differ only in case are one name; "X fails" is the
/// form of a built-in shock's name.
#[test]
fn scenario_names_in_any_case_and_reserved_forms() {
    let book = RateBook::default_book();
    let base = "[portfolio]\nvalue = 1000\n[[position]]\nstrategy = \"lending\"\nasset = \"USDC\"\n\
                weight = \"100%\"\n";
    for (extra, said) in [
        (
            "[[scenario]]\nname = \"ETH winter\"\n[[scenario]]\nname = \"eth winter\"\n",
            "names `eth winter` twice",
        ),
        (
            "[[scenario]]\nname = \"everything fails\"\n",
            "has the form of a built-in shock's name",
        ),
    ] {
        let text = format!("{base}{extra}");
        let err = refusal("s.toml", &text, &book);
        assert!(err.contains(said), "{extra}: {err}");
    }
}

/// The warnings (lint, position, message) of a plan of `text`, the
/// resolution's lints included.
fn warnings(text: &str) -> Vec<(String, Option<String>, String)> {
    let v = planned(text);
    v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["lint"].as_str().unwrap().to_string(),
                w["position"].as_str().map(str::to_string),
                w["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// A pool of one asset under two spellings (`ETH` and `eth` or `WETH`,
/// `STETH` and `WSTETH`, `USDC` and `USDC.e`) is refused at the pair, with
/// the book's name; a token and another token that follows the same asset
/// (ETH and STETH, as Curve's pool) are two assets and make a pool.
#[test]
fn a_pair_of_one_asset_under_two_spellings_is_refused() {
    let book = RateBook::default_book();
    let pool = |a: &str, b: &str| {
        format!(
            "[portfolio]\nvalue = 1000\n[[position]]\nstrategy = \"liquidity\"\n\
             pair = [\"{a}\", \"{b}\"]\nfee_apr = \"5%\"\nweight = \"100%\"\n"
        )
    };
    for (a, b, said) in [
        (
            "ETH",
            "eth",
            "names `ETH` twice: `ETH` and `eth` are the same asset",
        ),
        (
            "ETH",
            "WETH",
            "names `ETH` twice: `ETH` and `WETH` are the same asset",
        ),
        (
            "weth",
            "ETH",
            "names `ETH` twice: `weth` and `ETH` are the same asset",
        ),
        (
            "STETH",
            "WSTETH",
            "names `STETH` twice: `STETH` and `WSTETH` are the same asset",
        ),
        (
            "USDC",
            "USDC.e",
            "names `USDC` twice: `USDC` and `USDC.e` are the same asset",
        ),
        ("USDC", "usdc", "names `USDC` twice"),
        (
            "FOO",
            "foo",
            "names `FOO` twice: `FOO` and `foo` are the same asset",
        ),
    ] {
        let err = refusal("p.toml", &pool(a, b), &book);
        assert!(err.contains(said), "{a}/{b}: {err}");
        assert!(err.contains("p.toml:5:8"), "{a}/{b}: {err}");
        assert!(err.contains("1 problem in"), "{a}/{b}: {err}");
    }
    for (a, b) in [
        ("ETH", "STETH"),
        ("WETH", "wstETH"),
        ("STETH", "RETH"),
        ("ETH", "USDC"),
    ] {
        let p = yieldplan::load(Path::new("p.toml"), pool(a, b).as_bytes(), &book)
            .unwrap_or_else(|e| panic!("{a}/{b}: {e}"));
        let [x, y] = p.positions[0].pair.clone().unwrap();
        assert_ne!(x, y, "{a}/{b}");
    }
}

/// `[protocols."Aave V3"]` in a profile is aave's tier, as `aave-v3` is;
/// beside `[protocols.aave]` it is the second spelling, refused. A scenario
/// failing "Aave V3" fails aave.
#[test]
fn a_protocol_written_with_spaces_is_the_book_s_protocol() {
    let book = RateBook::default_book();
    let base = "[portfolio]\nvalue = 100000\n[[position]]\nstrategy = \"lending\"\n\
                asset = \"USDC\"\nprotocol = \"aave\"\nweight = \"100%\"\n";
    let text = format!("{base}[protocols.\"Aave V3\"]\ntier = \"emerging\"\n");
    let p = yieldplan::load(Path::new("p.toml"), text.as_bytes(), &book).unwrap();
    assert_eq!(p.positions[0].risk.tier, "emerging");
    let text = format!(
        "{base}[protocols.aave]\ntier = \"established\"\n[protocols.\"Aave V3\"]\ntier = \"emerging\"\n"
    );
    let err = refusal("p.toml", &text, &book);
    assert!(
        err.contains("[protocols] names `aave` twice: `aave` and `Aave V3` are the same protocol")
            && err.contains("p.toml:10:12"),
        "{err}"
    );
    let text = format!("{base}[[scenario]]\nname = \"s\"\nfail = [\"Aave V3\"]\n");
    let p = yieldplan::load(Path::new("p.toml"), text.as_bytes(), &book).unwrap();
    assert_eq!(p.scenarios[0].fail[0].0, "aave");
}

/// 20% in `aave` and 20% in `Aave V3` is 40% in aave, which fires
/// protocol-concentration; names the book cannot place fire
/// `unknown-protocol` and `unknown-chain` with the nearest known name,
/// once per name; a protocol the profile declares is known.
#[test]
fn protocols_and_chains_the_book_cannot_place_fire_a_lint() {
    let text = std::fs::read_to_string("tests/fixtures/unknown-names.toml").unwrap();
    let w = warnings(&text);
    let lints: Vec<&str> = w.iter().map(|(l, _, _)| l.as_str()).collect();
    assert_eq!(
        lints,
        [
            "protocol-concentration",
            "defi-heavy",
            "unknown-protocol",
            "unknown-chain"
        ],
        "{w:?}"
    );
    assert!(
        w[0].2
            .contains("40.00% of the portfolio ($40,000.00) depends on aave")
    );
    let (_, at, said) = &w[2];
    assert_eq!(at.as_deref(), Some("Stable pool"));
    assert!(said.contains("protocol `curvee`") && said.contains("Did you mean `curve`?"));
    assert!(
        said.contains("[protocols.curvee] tier = \"emerging\""),
        "{said}"
    );
    let (_, _, said) = &w[3];
    assert!(said.contains("chain `etherium`") && said.contains("Did you mean `ethereum`?"));
    assert!(
        said.contains("[aliases.chains] \"etherium\" = \"etherium\""),
        "{said}"
    );
    // Allowed, they are silent.
    let quiet = text.replace(
        "allow = [\"allocation-template\"]",
        "allow = [\"allocation-template\", \"unknown-protocol\", \"unknown-chain\"]",
    );
    assert!(
        warnings(&quiet)
            .iter()
            .all(|(l, _, _)| !l.starts_with("unknown-"))
    );
}

/// One warning per unknown name, naming every position (and layer) that
/// uses it; a name written in Cyrillic letters that look like Latin ones is
/// said to be so, with the name it looks like.
#[test]
fn an_unknown_name_is_reported_once_with_its_positions() {
    let pos = |name: &str, protocol: &str, chain: &str| {
        format!(
            "[[position]]\nname = \"{name}\"\nstrategy = \"lending\"\nasset = \"USDC\"\n\
             protocol = \"{protocol}\"\nchain = \"{chain}\"\nweight = \"25%\"\n"
        )
    };
    let text = format!(
        "[portfolio]\nvalue = 1000\n{}{}{}{}[[position.stack]]\nstrategy = \"lending\"\n\
         asset = \"USDC\"\nprotocol = \"\u{430}\u{430}ve\"\napy = \"1%\"\n",
        pos("a", "\u{430}\u{430}ve", "\u{435}thereum"),
        pos("b", "\u{430}\u{430}ve", "ethereum"),
        pos("c", "aave", "Solana"),
        pos("d", "lido", "SOL"),
    );
    let w = warnings(&text);
    let unknown: Vec<_> = w
        .iter()
        .filter(|(l, _, _)| l.starts_with("unknown-"))
        .collect();
    assert_eq!(unknown.len(), 2, "{w:?}");
    let (lint, at, said) = unknown[0];
    assert_eq!((lint.as_str(), at), ("unknown-protocol", &None));
    assert!(said.contains("(positions `a`, `b`, `d`)"), "{said}");
    assert!(
        said.contains("holds `\u{430}` (U+0430), a Cyrillic letter that looks like the Latin `a`: did you mean `aave`?"),
        "{said}"
    );
    let (lint, at, said) = unknown[1];
    assert_eq!((lint.as_str(), at.as_deref()), ("unknown-chain", Some("a")));
    assert!(said.contains("did you mean `ethereum`?"), "{said}");
}
