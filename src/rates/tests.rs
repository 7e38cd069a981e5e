//! Tests of the rate book: the embedded default, user files, checks and look-ups.

use std::path::Path;

use super::file;
use super::*;
use crate::money::Rate;

#[test]
fn the_built_json_book_is_the_toml_book() {
    let from_toml = parse_book(Path::new("default.toml"), DEFAULT_BOOK).unwrap();
    assert_eq!(RateBook::default_book(), from_toml);
}

#[test]
fn default_book_is_consistent() {
    let book = RateBook::default_book();
    assert_eq!(book.problems(), Vec::new());
    assert!(book.as_of.is_some());
}

#[test]
fn default_book_holds_the_seed_staking_bands() {
    let book = RateBook::default_book();
    let band = |s: &str| book.assets[s].staking.as_ref().unwrap().band();
    let pct = |p: i64| Rate::percent(p);
    assert_eq!((band("ETH").low, band("ETH").high), (pct(3), pct(5)));
    assert_eq!((band("ADA").low, band("ADA").high), (pct(4), pct(6)));
    assert_eq!((band("SOL").low, band("SOL").high), (pct(6), pct(8)));
    assert_eq!((band("DOT").low, band("DOT").high), (pct(10), pct(14)));
    assert_eq!((band("ATOM").low, band("ATOM").high), (pct(15), pct(20)));
    let stable = book.lending["stablecoin"].band();
    assert_eq!((stable.low, stable.high), (pct(2), pct(8)));
    let major = book.liquidity["major"].band();
    assert_eq!((major.low, major.high), (pct(5), pct(20)));
}

#[test]
fn every_figure_names_a_source() {
    let book = RateBook::default_book();
    for (s, a) in &book.assets {
        for src in [
            a.staking.as_ref().map(|b| &b.source),
            a.lending.as_ref().map(|b| &b.source),
            a.inflation.as_ref().map(|f| &f.source),
            a.volatility.as_ref().map(|f| &f.source),
            a.unbonding_days.as_ref().map(|d| &d.source),
        ]
        .into_iter()
        .flatten()
        {
            assert!(!src.trim().is_empty(), "{s} has a figure without a source");
        }
    }
}

#[test]
fn a_user_file_extends_the_book() {
    let extra = "[assets.XYZ]\nname = \"Xyz\"\nclass = \"alt\"\nstaking_apy = { low = \"1%\", high = \"2%\", source = \"mine\" }\n";
    let book = RateBook::with_file(Path::new("r.toml"), extra).unwrap();
    assert!(book.assets.contains_key("XYZ"));
    assert!(book.assets.contains_key("ETH"));
}

#[test]
fn a_bad_file_is_reported_with_its_place() {
    let extra = "[assets.XYZ]\nname = \"Xyz\"\nclas = \"alt\"\n";
    let e = RateBook::with_file(Path::new("r.toml"), extra)
        .unwrap_err()
        .to_string();
    assert!(e.contains("r.toml:3:1"), "{e}");
    assert!(e.contains("clas"), "{e}");
}

#[test]
fn an_incomplete_or_unknown_family_is_reported() {
    let extra = "replace = true\n[liquidity.weird]\nlow = \"1%\"\nhigh = \"2%\"\nsource = \"x\"\n";
    let e = RateBook::with_file(Path::new("r.toml"), extra)
        .unwrap_err()
        .to_string();
    assert!(e.contains("unknown entry `weird` in [liquidity]"), "{e}");
    assert!(e.contains("no [liquidity.major] band"), "{e}");
    assert!(e.contains("no [lending.stablecoin] band"), "{e}");
    assert!(e.contains("no [staking_methods.liquid] fee"), "{e}");
}

#[test]
fn bare_percent_in_a_book_is_refused() {
    let extra = "[lending.stablecoin]\nlow = 2\nhigh = \"8%\"\nsource = \"x\"\n";
    let e = RateBook::with_file(Path::new("r.toml"), extra)
        .unwrap_err()
        .to_string();
    assert!(e.contains("did you mean \"2%\""), "{e}");
}

#[test]
fn a_class_lending_band_is_the_stablecoin_or_the_volatile_one() {
    let book = RateBook::default_book();
    let stable = book.class_lending_band(AssetClass::Stablecoin);
    assert_eq!(stable, book.lending.get("stablecoin"));
    assert!(stable.is_some());
    for class in [AssetClass::Major, AssetClass::Alt] {
        let band = book.class_lending_band(class);
        assert_eq!(band, book.lending.get("volatile"));
        assert!(band.is_some());
    }
    assert_eq!(
        RateBook::default().class_lending_band(AssetClass::Major),
        None
    );
}

#[test]
fn the_default_book_reads_as_a_person_s_file_to_the_same_book() {
    // The file reader applies a profile's bounds; the shipped book passes them.
    let (book, problems, _) = file::read_file(
        Path::new("default.toml"),
        DEFAULT_BOOK,
        crate::date::Date::today(),
        |_| RateBook::default(),
    );
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(book.unwrap(), RateBook::default_book());
}

#[test]
fn a_file_overrides_one_figure_and_keeps_the_rest() {
    let text = "[assets.ETH]\nvolatility = \"65%\"\n";
    let book = RateBook::with_file(Path::new("mine.toml"), text).unwrap();
    let default = RateBook::default_book();
    let eth = &book.assets["ETH"];
    let vol = eth.volatility.as_ref().unwrap();
    assert_eq!(vol.value.0, rust_decimal::Decimal::new(65, 2));
    assert_eq!(vol.source, "your file mine.toml");
    assert_eq!(eth.name, default.assets["ETH"].name);
    assert_eq!(eth.staking, default.assets["ETH"].staking);
    assert_eq!(eth.inflation, default.assets["ETH"].inflation);
}

#[test]
fn a_partly_changed_band_keeps_its_old_source_for_the_rest() {
    let text = "[lending.stablecoin]\nhigh = \"10%\"\n";
    let book = RateBook::with_file(Path::new("mine.toml"), text).unwrap();
    let b = &book.lending["stablecoin"];
    assert_eq!(b.band().low, Rate::percent(2));
    assert_eq!(b.band().high, Rate::percent(10));
    assert!(
        b.source.starts_with("your file mine.toml (high); seed:"),
        "{}",
        b.source
    );
}

#[test]
fn shares_above_100_percent_are_refused_at_their_place_in_one_run() {
    let text = "[staking_methods.liquid]\nfee = \"150%\"\n\n[risk_tiers.emerging]\nloss_probability = \"200%\"\n\n[farming]\nreward_share = \"180%\"\n";
    let e = RateBook::with_file(Path::new("r.toml"), text)
        .unwrap_err()
        .to_string();
    assert!(e.contains("r.toml:2:7"), "{e}");
    assert!(e.contains("150% is above 100%"), "{e}");
    assert!(e.contains("r.toml:5:20"), "{e}");
    assert!(e.contains("200% is above 100%"), "{e}");
    assert!(e.contains("r.toml:8:16"), "{e}");
    assert!(e.contains("180% is above 100%"), "{e}");
    assert!(e.contains("3 problems"), "{e}");
}

#[test]
fn every_problem_of_an_entry_is_reported() {
    let text = "[assets.XYZ]\nstaking = { low = \"1%\", high = \"2%\" }\nvolatility = \"abc\"\nslashing = \"120%\"\nunbonding_days = 9999\n";
    let e = RateBook::with_file(Path::new("r.toml"), text)
        .unwrap_err()
        .to_string();
    assert!(e.contains("r.toml:2:1"), "{e}");
    assert!(e.contains("`staking` is now called `staking_apy`"), "{e}");
    assert!(e.contains("r.toml:3:14"), "{e}");
    assert!(e.contains("r.toml:4:12"), "{e}");
    assert!(e.contains("r.toml:5:18"), "{e}");
    assert!(e.contains("r.toml:1:9"), "{e}");
    assert!(e.contains("has no `class`"), "{e}");
}

#[test]
fn a_new_asset_needs_only_its_class() {
    let text = "[assets.XYZ]\nclass = \"alt\"\nvolatility = \"120%\"\n";
    let book = RateBook::with_file(Path::new("r.toml"), text).unwrap();
    assert_eq!(book.assets["XYZ"].name, "XYZ");
    assert_eq!(
        book.assets["XYZ"].volatility.as_ref().unwrap().source,
        "your file r.toml"
    );
}

#[test]
fn the_book_written_as_toml_reads_back_to_the_same_book() {
    let mut book = RateBook::with_file(
        Path::new("mine.toml"),
        "[assets.ETH]\nvolatility = \"65%\"\n[assets.XYZ]\nclass = \"alt\"\nstaking_apy = \"7.25%\"\n[correlations]\n\"XYZ/ETH\" = 0.35\n",
    )
    .unwrap();
    book.pools.insert(
        "p1".into(),
        PoolEntry {
            project: "aave-v3".into(),
            symbol: "USDC".into(),
            chain: "ethereum".into(),
            low: BookRate(rust_decimal::Decimal::new(36, 3)),
            mid: BookRate(rust_decimal::Decimal::new(45, 3)),
            high: BookRate(rust_decimal::Decimal::new(45, 1)),
            reward_share: BookRate(rust_decimal::Decimal::new(727_272, 7)),
            stablecoin: true,
            il_risk: false,
            source: "a snapshot".into(),
            tvl_usd: None,
            stand_in: false,
        },
    );
    let text = book.to_toml().unwrap();
    assert!(text.contains("replace = true"), "{text}");
    assert!(text.contains("value = \"65%\""), "{text}");
    assert!(text.contains("high = \"450%\""), "{text}");
    let back = RateBook::with_file(Path::new("book.toml"), &text).unwrap();
    assert_eq!(back, book);
    assert_eq!(
        RateBook::with_file(
            Path::new("book.toml"),
            &RateBook::default_book().to_toml().unwrap()
        )
        .unwrap(),
        RateBook::default_book()
    );
}

/// A correlation naming an asset the book lacks is a problem, not silently
/// kept.
#[test]
fn a_correlation_naming_an_unknown_asset_is_refused() {
    let err = RateBook::with_file(
        std::path::Path::new("c.toml"),
        "[correlations]\n\"ETH/NOPE\" = 0.5\n",
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("`NOPE`"), "{err}");
}

#[test]
fn an_underlying_that_follows_another_asset_is_refused_at_its_key() {
    // A cycle of two, an asset following itself, and a chain (STETH2 →
    // STETH → ETH): each leaves the price an asset follows undecided.
    let text = "[assets.AAA]\nclass = \"alt\"\nunderlying = \"BBB\"\n\n\
                [assets.BBB]\nclass = \"alt\"\nunderlying = \"AAA\"\n\n\
                [assets.CCC]\nclass = \"alt\"\nunderlying = \"CCC\"\n\n\
                [assets.STETH2]\nclass = \"major\"\nunderlying = \"STETH\"\n";
    let e = RateBook::with_file(Path::new("u.toml"), text)
        .unwrap_err()
        .to_string();
    assert!(e.contains("u.toml:3:1"), "{e}");
    assert!(e.contains("u.toml:7:1"), "{e}");
    assert!(e.contains("u.toml:11:1"), "{e}");
    assert!(e.contains("underlying is the asset itself"), "{e}");
    assert!(e.contains("u.toml:15:1"), "{e}");
    assert!(e.contains("underlying `STETH` follows `ETH`"), "{e}");
    assert!(e.contains("write underlying = \"ETH\""), "{e}");
    assert!(e.contains("4 problems"), "{e}");
}

#[test]
fn an_index_component_naming_an_unknown_asset_is_placed_at_the_symbol() {
    let text = "[index.mine]\nname = \"Mine\"\ndescription = \"d\"\nsource = \"s\"\n\
                components = [\n\
                \x20 { strategy = \"staking\", asset = \"NOPE\", weight = \"50%\" },\n\
                \x20 { strategy = \"liquidity\", pair = [\"ETH\", \"NADA\"], weight = \"50%\" },\n\
                ]\n";
    let e = RateBook::with_file(Path::new("i.toml"), text)
        .unwrap_err()
        .to_string();
    assert!(e.contains("component 1 names unknown asset `NOPE`"), "{e}");
    assert!(e.contains("i.toml:6:27"), "{e}");
    assert!(e.contains("component 2 names unknown asset `NADA`"), "{e}");
    assert!(e.contains("i.toml:7:44"), "{e}");
}

#[test]
fn a_disordered_band_names_its_figures() {
    let e = RateBook::with_file(Path::new("b.toml"), "[lending.stablecoin]\nlow = \"50%\"\n")
        .unwrap_err()
        .to_string();
    assert!(e.contains("b.toml:1:10"), "{e}");
    assert!(e.contains("(low 50%, mid 29%, high 8%)"), "{e}");
}

#[test]
fn a_file_changes_one_key_of_a_shipped_index_and_keeps_the_rest() {
    let text = "[index.large-cap-staking]\ncomponents = [\n\
                \x20 { strategy = \"staking\", asset = \"ETH\", weight = \"100%\" },\n]\n";
    let book = RateBook::with_file(Path::new("i.toml"), text).unwrap();
    let shipped = &RateBook::default_book().index["large-cap-staking"];
    let changed = &book.index["large-cap-staking"];
    assert_eq!(changed.name, shipped.name);
    assert_eq!(changed.description, shipped.description);
    assert_eq!(changed.components.len(), 1);
    assert!(
        changed
            .source
            .starts_with("your file i.toml (components); seed:"),
        "{}",
        changed.source
    );
    // A new index needs its name (and description), at its id.
    let e = RateBook::with_file(Path::new("n.toml"), "[index.new]\ncomponents = []\n")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("n.toml:1:8") && e.contains("has no `name`"),
        "{e}"
    );
}

#[test]
fn a_pool_band_out_of_order_is_refused_at_the_pool() {
    let text = "[pools.x]\nproject = \"aave-v3\"\nsymbol = \"USDC\"\nchain = \"Ethereum\"\n\
                stablecoin = true\nil_risk = false\nsource = \"me\"\nlow = \"9%\"\nmid = \"4%\"\n\
                high = \"6%\"\nreward_share = \"0%\"\n";
    let e = RateBook::with_file(Path::new("p.toml"), text)
        .unwrap_err()
        .to_string();
    assert!(e.contains("p.toml:1:8"), "{e}");
    assert!(e.contains("pool x: the band is not ordered"), "{e}");
}

#[test]
fn an_entry_or_alias_written_as_another_spelling_is_refused_at_its_key() {
    let text = "[protocols.Aave]\ntier = \"emerging\"\n\n\
                [protocols.aave-v3]\ntier = \"emerging\"\n\n\
                [assets.eth]\nvolatility = \"50%\"\n\n\
                [assets.FOO]\nclass = \"alt\"\n\n\
                [assets.foo]\nclass = \"alt\"\n\n\
                [aliases.assets]\n\"weth\" = \"BTC\"\n\n\
                [aliases.protocols]\n\"AAVE-V3\" = \"compound\"\n";
    let e = RateBook::with_file(Path::new("n.toml"), text)
        .unwrap_err()
        .to_string();
    for (place, what) in [
        (
            "n.toml:1:12",
            "[protocols.Aave] is the protocol `aave` written another way",
        ),
        ("n.toml:4:12", "[protocols.aave-v3] is the protocol `aave`"),
        (
            "n.toml:7:9",
            "[assets.eth] is the book's `ETH` written another way",
        ),
        (
            "n.toml:13:9",
            "[assets.FOO] and [assets.foo] differ only in case",
        ),
        (
            "n.toml:17:1",
            "alias `weth` in [aliases.assets] is `WETH` in another case",
        ),
        (
            "n.toml:20:1",
            "alias `AAVE-V3` in [aliases.protocols] is `aave-v3`",
        ),
    ] {
        assert!(e.contains(place) && e.contains(what), "{place} {what}: {e}");
    }
    // Only these six: a refused spelling is not read on as a new entry.
    assert!(e.contains("6 problems"), "{e}");
    // The book's own spellings change its entries.
    let ok = "[protocols.aave]\ntier = \"emerging\"\n[assets.ETH]\nvolatility = \"50%\"\n\
              [aliases.assets]\n\"WETH\" = \"ETH\"\n";
    let book = RateBook::with_file(Path::new("ok.toml"), ok).unwrap();
    assert_eq!(book.protocols["aave"].tier, "emerging");
}

#[test]
fn a_book_date_that_is_not_a_day_is_refused() {
    for bad in ["soon", "2026-02-30", "2026-13-01", "26-1-1"] {
        let e = RateBook::with_file(Path::new("d.toml"), &format!("as_of = \"{bad}\"\n"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("d.toml:1:9") && e.contains("not a date"), "{e}");
    }
    let book = RateBook::with_file(Path::new("d.toml"), "as_of = \"2024-02-29\"\n").unwrap();
    assert_eq!(book.as_of.as_deref(), Some("2024-02-29"));
}

#[test]
fn a_pool_entry_names_every_key_it_lacks_and_may_leave_out_its_source() {
    let e = RateBook::with_file(
        Path::new("p.toml"),
        "[pools.x]\nproject = \"aave-v3\"\nlow = \"3%\"\n\n[pools.\"  \"]\nproject = \"aave-v3\"\n",
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("[pools.x] has no `symbol`, `chain`, `mid`, `high`, `reward_share`, `stablecoin`, `il_risk`"),
        "{e}"
    );
    assert!(e.contains("p.toml:1:8") && e.contains("p.toml:5:8"), "{e}");
    assert!(e.contains("an id in [pools] is blank"), "{e}");
    let whole = "[pools.x]\nproject = \"aave-v3\"\nsymbol = \"USDC\"\nchain = \"ethereum\"\n\
                 low = \"3%\"\nmid = \"4%\"\nhigh = \"5%\"\nreward_share = \"0%\"\n\
                 stablecoin = true\nil_risk = false\n";
    let book = RateBook::with_file(Path::new("p.toml"), whole).unwrap();
    assert_eq!(book.pools["x"].source, "your file p.toml");
}

#[test]
fn an_alias_cannot_take_over_an_entry_the_book_has() {
    for (text, said) in [
        (
            "[aliases.assets]\nsteth = \"ETH\"\n",
            "alias `steth` in [aliases.assets] is the asset `STETH`",
        ),
        (
            "[aliases.assets]\neth = \"BTC\"\n",
            "alias `eth` in [aliases.assets] is the asset `ETH`",
        ),
        (
            "[aliases.protocols]\nuniswap = \"aave\"\n",
            "alias `uniswap` in [aliases.protocols] is the protocol `uniswap`",
        ),
        (
            "[aliases.protocols]\nLido = \"aave\"\n",
            "alias `Lido` in [aliases.protocols] is the protocol `lido`",
        ),
        (
            "[assets.\" ETH\"]\nclass = \"major\"\n",
            "the asset symbol \" ETH\" has blanks around it",
        ),
        (
            "[assets.WETH]\nclass = \"major\"\n",
            "[assets.WETH] is the book's `ETH` written another way",
        ),
    ] {
        let e = RateBook::with_file(Path::new("a.toml"), text)
            .unwrap_err()
            .to_string();
        assert!(e.contains(said) && e.contains("a.toml:"), "{text}: {e}");
        assert!(e.contains("1 problem in"), "{text}: {e}");
    }
}

#[test]
fn a_change_that_breaks_shipped_entries_is_reported_where_the_file_makes_it() {
    // ETH made to follow stETH: every ETH token now follows a follower, but
    // only the file's own line is at fault.
    let e = RateBook::with_file(
        Path::new("e.toml"),
        "[assets.ETH]\nunderlying = \"STETH\"\n",
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("e.toml:2:1") && e.contains("1 problem in"),
        "{e}"
    );
    // A reference in another case names the book's spelling.
    let e = RateBook::with_file(
        Path::new("c.toml"),
        "[assets.A1]\nclass = \"alt\"\n[assets.B1]\nclass = \"alt\"\nunderlying = \"a1\"\n",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("write underlying = \"A1\""), "{e}");
}

#[test]
fn a_new_index_names_every_key_it_lacks_at_once() {
    let e = RateBook::with_file(Path::new("i.toml"), "[index.new]\nsource = \"me\"\n")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("has no `name`, `description`, `components`"),
        "{e}"
    );
}

#[test]
fn alias_keys_with_blanks_or_naming_a_chain_the_book_has_are_refused() {
    for (text, said) in [
        (
            "[aliases.assets]\n\" XETH\" = \"ETH\"\n",
            "has blanks around it",
        ),
        (
            "[aliases.protocols]\n\" mydex \" = \"curve\"\n",
            "has blanks around it",
        ),
        (
            "[aliases.chains]\nethereum = \"base\"\n",
            "alias `ethereum` in [aliases.chains] is the chain `ethereum`",
        ),
        // The middle of a chain the file writes is where it is reported.
        (
            "[assets.ETH]\nunderlying = \"BTC\"\n",
            "assets.ETH: follows `BTC`, yet CBETH, RETH, STETH, WEETH follow `ETH`",
        ),
    ] {
        let e = RateBook::with_file(Path::new("b.toml"), text)
            .unwrap_err()
            .to_string();
        assert!(e.contains(said) && e.contains("b.toml:2:1"), "{text}: {e}");
        assert!(e.contains("1 problem in"), "{text}: {e}");
    }
    assert!(
        RateBook::with_file(
            Path::new("b.toml"),
            "[aliases.chains]\nethereum = \"ethereum\"\n"
        )
        .is_ok()
    );
}

#[test]
fn a_protocol_key_with_blanks_and_an_index_alias_say_what_to_write() {
    let e = RateBook::with_file(
        Path::new("m.toml"),
        "[protocols.\" aave\"]\ntier = \"emerging\"\n[index.x]\nname = \"x\"\ndescription = \"d\"\n\
         components = [{ strategy = \"staking\", asset = \"WETH\", weight = \"100%\" }]\n",
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("the protocol id \" aave\" has blanks around it"),
        "{e}"
    );
    assert!(e.contains("the book writes it `ETH`"), "{e}");
}

#[test]
fn chains_in_a_book_are_written_as_the_book_s_ids() {
    for (text, said) in [
        (
            "[assets.ETH]\nchain = \"eth\"\n",
            "assets.ETH: chain `eth` is the chain `ethereum` written another way",
        ),
        (
            "[aliases.chains]\nx = \"Ethereum\"\n",
            "chain alias `x` names `Ethereum`, which the book writes `ethereum`",
        ),
        (
            "[aliases.chains]\nl2 = \"op\"\n",
            "chain alias `l2` names `op`, which the book writes `optimism`",
        ),
    ] {
        let e = RateBook::with_file(Path::new("c.toml"), text)
            .unwrap_err()
            .to_string();
        assert!(e.contains(said) && e.contains("c.toml:2:1"), "{text}: {e}");
    }
}

#[test]
fn help_for_a_reference_names_what_to_write() {
    for (text, said) in [
        (
            "[assets.FOO]\nclass = \"alt\"\nunderlying = \"foo\"\n",
            "that is the asset itself",
        ),
        (
            "[assets.FOO]\nclass = \"alt\"\nunderlying = \"wsteth\"\n",
            "which follows `ETH`: write underlying = \"ETH\"",
        ),
        (
            "[aliases.assets]\n\"\" = \"ETH\"\n",
            "an alias in [aliases.assets] is empty",
        ),
        (
            "[assets.STETH]\nprotocol = \"Lido\"\n",
            "write protocol = \"lido\"",
        ),
        (
            "[correlations]\n\"weth/BTC\" = 0.5\n",
            "write the pair with `ETH`",
        ),
    ] {
        let e = RateBook::with_file(Path::new("h.toml"), text)
            .unwrap_err()
            .to_string();
        assert!(e.contains(said), "{text}: {e}");
    }
}

#[test]
fn a_correlation_of_an_asset_with_itself_is_refused_at_its_key() {
    for (key, said) in [
        ("ETH/ETH", "correlation `ETH/ETH` pairs `ETH` with itself"),
        (
            "ETH/WETH",
            "correlation `ETH/WETH` pairs `ETH` with itself (`ETH` and `WETH` are the same asset)",
        ),
        (
            "STETH/wsteth",
            "correlation `STETH/wsteth` pairs `STETH` with itself",
        ),
        ("FOO/foo", "correlation `FOO/foo` pairs `FOO` with itself"),
    ] {
        let text = format!("[assets.FOO]\nclass = \"alt\"\n[correlations]\n\"{key}\" = 0.5\n");
        let e = RateBook::with_file(Path::new("c.toml"), &text)
            .unwrap_err()
            .to_string();
        assert!(e.contains(said) && e.contains("c.toml:4:1"), "{key}: {e}");
        assert!(e.contains("1 problem in"), "{key}: {e}");
    }
    // A token and another token that follows the same asset are two assets.
    let book = RateBook::with_file(
        Path::new("c.toml"),
        "[correlations]\n\"ETH/STETH\" = 0.97\n\"RETH/STETH\" = 0.95\n",
    )
    .unwrap();
    assert_eq!(book.correlations["RETH/STETH"].value, 0.95);
}

#[test]
fn index_components_name_two_assets_and_the_book_s_protocols_and_chains() {
    let index = |component: &str| {
        format!(
            "[index.x]\nname = \"x\"\ndescription = \"d\"\nsource = \"s\"\n\
             components = [{component}]\n"
        )
    };
    for (component, said) in [
        (
            "{ strategy = \"liquidity\", pair = [\"ETH\", \"WETH\"], weight = \"100%\" }",
            "index `x`: component 1 pairs `ETH` with itself",
        ),
        (
            "{ strategy = \"lending\", asset = \"USDC\", protocol = \"aavee\", weight = \"100%\" }",
            "index `x`: component 1 names protocol `aavee`, which the book does not have",
        ),
        (
            "{ strategy = \"lending\", asset = \"USDC\", protocol = \"Aave V3\", weight = \"100%\" }",
            "the book writes it `aave`: write protocol = \"aave\"",
        ),
        (
            "{ strategy = \"lending\", asset = \"USDC\", chain = \"etherium\", weight = \"100%\" }",
            "index `x`: component 1 is on chain `etherium`, which the book does not know",
        ),
        (
            "{ strategy = \"lending\", asset = \"USDC\", chain = \"Arbitrum One\", weight = \"100%\" }",
            "writes chain `Arbitrum One`, the chain `arbitrum` written another way",
        ),
    ] {
        let e = RateBook::with_file(Path::new("i.toml"), &index(component))
            .unwrap_err()
            .to_string();
        assert!(e.contains(said), "{component}: {e}");
        assert!(e.contains("i.toml:5:"), "{component}: {e}");
    }
    let e = RateBook::with_file(
        Path::new("i.toml"),
        &index(
            "{ strategy = \"lending\", asset = \"USDC\", chain = \"etherium\", weight = \"100%\" }",
        ),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("did you mean `ethereum`?"), "{e}");
    let ok = index(
        "{ strategy = \"lending\", asset = \"USDC\", protocol = \"aave\", chain = \"base\", weight = \"100%\" }",
    );
    assert!(RateBook::with_file(Path::new("i.toml"), &ok).is_ok());
}

#[test]
fn chain_and_protocol_names_are_found_in_any_case_with_spaces_as_hyphens() {
    let book = RateBook::default_book();
    for (written, id) in [
        ("Arbitrum One", "arbitrum"),
        ("arbitrum-one", "arbitrum"),
        ("Binance Smart Chain", "bsc"),
        ("SOL", "solana"),
        ("OP Mainnet", "optimism"),
        ("op-mainnet", "optimism"),
        ("Base", "base"),
    ] {
        assert_eq!(book.canonical_chain(written), id, "{written}");
        assert!(book.chains().contains(id), "{id}");
    }
    for (written, id) in [
        ("AAVE V3", "aave"),
        ("Aave v3", "aave"),
        ("compound v3", "compound"),
        ("uniswap v3", "uniswap"),
        ("Aave V9", "aave"),
        ("Rocket Pool", "rocket-pool"),
        ("curvee", "curvee"),
    ] {
        assert_eq!(book.canonical_protocol(written), id, "{written}");
    }
    for unknown in ["etherium", "\u{435}thereum", "sonic"] {
        assert!(!book.chains().contains(unknown), "{unknown}");
    }
}

#[test]
fn a_second_spelling_of_a_chain_alias_or_protocol_in_a_book_is_refused() {
    for (text, said) in [
        (
            "[aliases.chains]\n\"arbitrum-one\" = \"arbitrum\"\n",
            "alias `arbitrum-one` in [aliases.chains] is `arbitrum one` written another way",
        ),
        (
            "[aliases.protocols]\n\"rocket pool\" = \"rocket-pool\"\n",
            "alias `rocket pool` in [aliases.protocols] is the protocol `rocket-pool`",
        ),
    ] {
        let e = RateBook::with_file(Path::new("a.toml"), text)
            .unwrap_err()
            .to_string();
        assert!(e.contains(said) && e.contains("a.toml:2:1"), "{text}: {e}");
    }
    let e = RateBook::with_file(
        Path::new("a.toml"),
        "[protocols.\"Aave V3\"]\ntier = \"emerging\"\n",
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("[protocols.Aave V3] is the protocol `aave` written another way")
            && e.contains("write [protocols.aave]")
            && e.contains("a.toml:1:12"),
        "{e}"
    );
    let e = RateBook::with_file(
        Path::new("a.toml"),
        "[aliases.chains]\n\"zk sync\" = \"zksync era\"\n",
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("chain alias `zk sync` names `zksync era`, which the book writes `zksync-era`"),
        "{e}"
    );
    // A chain of one's own is declared by an alias naming itself.
    let book =
        RateBook::with_file(Path::new("a.toml"), "[aliases.chains]\nsonic = \"sonic\"\n").unwrap();
    assert!(book.chains().contains("sonic"));
    assert_eq!(book.canonical_chain("Sonic"), "sonic");
}

#[test]
fn an_entry_that_cannot_be_read_is_reported_once() {
    // Each file has one fault; what the book says of the entry the fault
    // spoils (a required key missing, references to it unknown) follows from
    // it and is not reported.
    for (text, said) in [
        (
            "[assets.NEAR]\nclass = \"altt\"\n\n[aliases.assets]\nnear-token = \"NEAR\"\n",
            "unknown variant `altt`",
        ),
        (
            "[assets.NEAR]\nclas = \"alt\"\n\n[assets.STNEAR]\nclass = \"alt\"\nunderlying = \"NEAR\"\n",
            "unknown key `clas` in [assets.NEAR]",
        ),
        (
            "[protocols.newp]\ntier = 5\n\n[aliases.protocols]\nnp = \"newp\"\n",
            "`tier` in [protocols.newp]: invalid type",
        ),
        (
            "[protocols.newp]\ntiers = \"emerging\"\n\n[assets.FOO]\nclass = \"alt\"\nprotocol = \"newp\"\n",
            "unknown key `tiers` in [protocols.newp]",
        ),
        (
            "[protocols.lido]\ntier = \"emerging\"\nindex = \"large-cap-staking\"\n",
            "unknown key `index` in [protocols.lido]",
        ),
        (
            "[index.mine]\nname = \"Mine\"\ndescription = \"mine\"\ncomponents = 3\n",
            "`components` in [index.mine]",
        ),
        (
            "replace = true\n[farming]\nlow = \"1%\"\nhigh = \"2%\"\nreward_share = \"x\"\n",
            "`reward_share` in [farming]",
        ),
        // A chain declared by an alias or a pool that could not be read
        // stays declared.
        (
            "[assets.SUIX]\nclass = \"alt\"\nchain = \"sui\"\n[aliases.chains]\nsui = 5\n",
            "[aliases.chains]: invalid type: integer `5`",
        ),
        (
            "[assets.SUIX]\nclass = \"alt\"\nchain = \"sui\"\n[aliases.chains]\nsui = 5\n\
             suinet = \"sui\"\n",
            "[aliases.chains]: invalid type: integer `5`",
        ),
        (
            "[assets.SUIX]\nclass = \"alt\"\nchain = \"sui\"\n[aliases.chains]\nsui = \"suii\"\n",
            "chain alias `sui` names `suii`",
        ),
        (
            "[assets.SUIX]\nclass = \"alt\"\nchain = \"suii\"\n[pools.p1]\nproject = \"aave-v3\"\n\
             symbol = \"USDC\"\nchain = \"suii\"\nlow = \"1%\"\nmid = \"2%\"\nhigh = \"3%\"\n\
             reward_share = \"0%\"\nstablecoin = \"yes\"\nil_risk = false\n",
            "[pools.p1]: invalid type: string \"yes\"",
        ),
        (
            "[assets.SUIX]\nclass = \"alt\"\nchain = \"suii\"\n[pools.p1]\nproject = \"aave-v3\"\n\
             chain = \"suii\"\n",
            "[pools.p1] has no `symbol`",
        ),
        (
            "[index.mine]\nname = \"Mine\"\ndescription = \"mine\"\ncomponents = [{ strategy = \
             \"lending\", asset = \"USDC\", chain = \"suii\", weight = \"100%\" }]\n[pools.p1]\n\
             chain = \"suii\"\nreward_share = \"150%\"\nproject = \"aave-v3\"\nsymbol = \"USDC\"\n\
             low = \"1%\"\nmid = \"2%\"\nhigh = \"3%\"\nstablecoin = true\nil_risk = false\n",
            "`reward_share` in [pools.p1]: 150% is above 100%",
        ),
        // A table that could not be read as a whole hides every name it
        // declares: references to them are not said to be unknown.
        (
            "[assets.SUIX]\nclass = \"alt\"\nchain = \"sui\"\n[aliases]\nchains = 5\n",
            "[aliases.chains]: invalid type: integer `5`, expected a table",
        ),
        (
            "aliases = 5\n[assets.SUIX]\nclass = \"alt\"\nchain = \"sui\"\n",
            "[aliases] must be a table",
        ),
        (
            "pools = 5\n[assets.SUIX]\nclass = \"alt\"\nchain = \"suii\"\n",
            "[pools] must be a table",
        ),
        (
            "protocols = 5\n[assets.SUIX]\nclass = \"alt\"\nprotocol = \"newp\"\n",
            "[protocols] must be a table",
        ),
        (
            "risk_tiers = 5\n[protocols.newp]\ntier = \"mine\"\n",
            "[risk_tiers] must be a table",
        ),
        (
            "assets = 5\n[aliases.assets]\nnt = \"NEAR\"\n[correlations]\n\"NEAR/ETH\" = 0.5\n",
            "[assets] must be a table",
        ),
    ] {
        let e = RateBook::with_file(Path::new("c.toml"), text).unwrap_err();
        let messages: Vec<&str> = e
            .items
            .iter()
            .map(|d| d.message.as_str())
            .filter(|m| !m.starts_with("the rate book has no"))
            .collect();
        assert!(
            messages.len() == 1 && messages[0].contains(said),
            "{text}: {messages:#?}"
        );
    }
    // A required key that is really missing is still reported beside a bad
    // value of another key.
    let e = RateBook::with_file(Path::new("c.toml"), "[assets.NEAR]\nvolatility = \"x\"\n")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("has no `class`") && e.contains("`volatility` in"),
        "{e}"
    );
}

#[test]
fn a_book_dated_after_today_is_refused_at_its_date() {
    let today = crate::date::Date::parse("2026-11-30").unwrap();
    let read = |as_of: &str| {
        RateBook::with_file_on(
            Path::new("d.toml"),
            &format!("as_of = \"{as_of}\"\n"),
            today,
        )
    };
    for day in ["2026-11-30", "2026-11-29", "2020-01-01"] {
        assert_eq!(read(day).unwrap().as_of.as_deref(), Some(day));
    }
    for day in ["2026-12-01", "2027-11-30", "9999-01-01"] {
        let e = read(day).unwrap_err().to_string();
        assert!(
            e.contains(&format!("`as_of` is {day}, after today (2026-11-30)"))
                && e.contains("d.toml:1:9")
                && e.contains("today or earlier"),
            "{e}"
        );
    }
}

#[test]
fn an_asset_on_a_chain_the_book_does_not_know_is_refused_with_the_nearest() {
    let e = RateBook::with_file(
        Path::new("c.toml"),
        "[assets.NEAR]\nclass = \"alt\"\nchain = \"etherum\"\n",
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("assets.NEAR: chain `etherum` is not a chain the book knows")
            && e.contains("c.toml:3:1")
            && e.contains("did you mean `ethereum`?"),
        "{e}"
    );
    // A chain of one's own is declared by an alias naming itself.
    let book = RateBook::with_file(
        Path::new("c.toml"),
        "[assets.SUIX]\nclass = \"alt\"\nchain = \"sui\"\n\n[aliases.chains]\nsui = \"sui\"\n",
    )
    .unwrap();
    assert!(book.chains().contains("sui"));
    assert!(
        RateBook::with_file(
            Path::new("c.toml"),
            "[assets.SUIX]\nclass = \"alt\"\nchain = \"sui\"\n"
        )
        .is_err()
    );
}

#[test]
fn a_version_of_a_protocol_the_book_has_is_not_an_entry_of_its_own() {
    for (text, key, base) in [
        (
            "[protocols.aave-v9]\ntier = \"emerging\"\n",
            "aave-v9",
            "aave",
        ),
        (
            "[protocols.\"Aave V9\"]\ntier = \"emerging\"\n",
            "Aave V9",
            "aave",
        ),
        (
            "[protocols.foo]\ntier = \"emerging\"\n[protocols.foo-v2]\ntier = \"emerging\"\n",
            "foo-v2",
            "foo",
        ),
    ] {
        let e = RateBook::with_file(Path::new("v.toml"), text)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains(&format!(
                "[protocols.{key}] is a version of the protocol `{base}`"
            )) && e.contains(&format!("write [protocols.{base}]"))
                && e.matches("error:").count() == 1,
            "{text}: {e}"
        );
    }
    // A versioned id whose protocol the book lacks is a protocol of its own,
    // and a profile finds it.
    let book = RateBook::with_file(
        Path::new("v.toml"),
        "[protocols.bar-v2]\ntier = \"emerging\"\n",
    )
    .unwrap();
    assert_eq!(book.canonical_protocol("Bar V2"), "bar-v2");
}

#[test]
fn a_chain_alias_names_a_chain_the_book_knows_or_itself() {
    // A target that is neither is a typo that would become a new chain.
    for (text, alias, target, near, at) in [
        (
            "[aliases.chains]\n\"eth mainnet\" = \"etherium\"\n",
            "eth mainnet",
            "etherium",
            Some("ethereum"),
            "t.toml:2:17",
        ),
        (
            "[aliases.chains]\nmychain = \"etherium\"\n",
            "mychain",
            "etherium",
            Some("ethereum"),
            "t.toml:2:11",
        ),
        (
            "[aliases.chains]\nsui = \"suii\"\n",
            "sui",
            "suii",
            None,
            "t.toml:2:7",
        ),
        // Under `replace = true` too: the file's own aliases declare nothing.
        (
            "replace = true\n[aliases.chains]\nmainnet = \"etherium\"\n",
            "mainnet",
            "etherium",
            Some("ethereum"),
            "t.toml:3:11",
        ),
    ] {
        let e = RateBook::with_file(Path::new("t.toml"), text).unwrap_err();
        let said: Vec<&str> = e
            .items
            .iter()
            .map(|d| d.message.as_str())
            .filter(|m| m.contains("chain"))
            .collect();
        assert_eq!(
            said,
            [format!(
                "chain alias `{alias}` names `{target}`, which is not a chain the book knows"
            )],
            "{text}"
        );
        let e = e.to_string();
        assert!(e.contains(at), "{text}: {e}");
        assert!(e.contains(&format!("(\"{target}\" = \"{target}\")")), "{e}");
        match near {
            Some(n) => assert!(e.contains(&format!("did you mean `{n}`?")), "{e}"),
            None => assert!(!e.contains("did you mean"), "{e}"),
        }
    }
    // A chain the shipped book, a pool or a self-alias anywhere in the file
    // declares may be named, as may an alias of one (rewritten by the book).
    for text in [
        "[aliases.chains]\nmynet = \"base\"\n",
        "[aliases.chains]\nsuinet = \"sui\"\nsui = \"sui\"\n",
        "[aliases.chains]\nsui = \"sui\"\nsuinet = \"sui\"\n",
        "[aliases.chains]\n\"sonic mainnet\" = \"sonic\"\n\n[pools.p1]\nproject = \"aave-v3\"\n\
         symbol = \"USDC\"\nchain = \"Sonic\"\nlow = \"1%\"\nmid = \"2%\"\nhigh = \"3%\"\n\
         reward_share = \"0%\"\nstablecoin = true\nil_risk = false\n",
    ] {
        let book = RateBook::with_file(Path::new("t.toml"), text);
        assert!(book.is_ok(), "{text}: {}", book.unwrap_err());
    }
    let e = RateBook::with_file(Path::new("t.toml"), "[aliases.chains]\nl2 = \"op\"\n")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("names `op`, which the book writes `optimism`") && e.contains("1 problem"),
        "{e}"
    );
}

#[test]
fn a_file_whose_chains_cannot_all_be_read_says_no_chain_is_unknown() {
    // A table or a pool that could declare any chain hides the chain checks
    // that depend on it: its own problem is the only one.
    let pool = "project = \"aave-v3\"\nsymbol = \"USDC\"\nlow = \"1%\"\nmid = \"2%\"\n\
                high = \"3%\"\nreward_share = \"0%\"\nstablecoin = true\nil_risk = false\n";
    let sui = "[assets.SUI]\nclass = \"alt\"\nchain = \"mychain\"\n";
    for (text, said) in [
        (
            "pools = 5\n[aliases.chains]\nx = \"mychain\"\n".to_string(),
            "[pools] must be a table",
        ),
        (format!("[pools]\nx = 5\n{sui}"), "[pools.x]: invalid type"),
        (
            format!("[pools.x]\n{pool}{sui}"),
            "[pools.x] has no `chain`",
        ),
        (
            format!("[pools.x]\n{pool}chain = 5\n{sui}"),
            "[pools.x]: invalid type: integer `5`",
        ),
        (
            format!("[pools.x]\n{pool}chain = 5\n[aliases.chains]\ny = \"mychain\"\n"),
            "[pools.x]: invalid type: integer `5`",
        ),
    ] {
        let e = RateBook::with_file(Path::new("t.toml"), &text).unwrap_err();
        let messages: Vec<&str> = e.items.iter().map(|d| d.message.as_str()).collect();
        assert!(
            messages.len() == 1 && messages[0].starts_with(said),
            "{text}: {messages:?}"
        );
    }
    // A pool whose chain was read still declares it, and a misspelt chain
    // elsewhere is said.
    let text = format!(
        "[pools.x]\n{pool}chain = \"mychain\"\n[assets.SUI]\nclass = \"alt\"\nchain = \"ethereumm\"\n"
    );
    let e = RateBook::with_file(Path::new("t.toml"), &text)
        .unwrap_err()
        .to_string();
    assert!(e.contains("chain `ethereumm` is not a chain"), "{e}");
}

#[test]
fn every_bad_value_of_a_pool_is_said_in_one_run() {
    let text = "[pools.x]\nproject = \"aave-v3\"\nsymbol = \"USDC\"\nchain = 5\nmid = true\n";
    let e = RateBook::with_file(Path::new("t.toml"), text).unwrap_err();
    let messages: Vec<&str> = e.items.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(messages[0].contains("has no `low`, `high`"), "{messages:?}");
    assert!(
        messages[1].contains("integer `5`, expected a string"),
        "{messages:?}"
    );
    assert!(messages[2].contains("boolean `true`"), "{messages:?}");
    let e = e.to_string();
    assert!(e.contains("t.toml:4:9") && e.contains("t.toml:5:7"), "{e}");
}

#[test]
fn an_empty_alias_is_one_problem() {
    for table in ["assets", "chains", "protocols"] {
        for text in [
            format!("[aliases.{table}]\n\" \" = \" \"\n"),
            format!("[aliases.{table}]\n\"\" = \"etherium\"\n"),
        ] {
            let e = RateBook::with_file(Path::new("t.toml"), &text).unwrap_err();
            let messages: Vec<&str> = e.items.iter().map(|d| d.message.as_str()).collect();
            assert_eq!(
                messages,
                [format!("an alias in [aliases.{table}] is empty")],
                "{text}"
            );
        }
    }
}

#[test]
fn a_book_s_problems_name_no_type_of_the_program() {
    for (text, said) in [
        ("[pools]\nx = 5\n", "expected a table of the pool's figures"),
        (
            "[index.x]\nname = \"X\"\ndescription = \"x\"\ncomponents = [5]\n",
            "integer `5`, expected a table",
        ),
        ("pools = 5\n", "[pools] must be a table, found an integer"),
        (
            "farming = []\n",
            "[farming] must be a table, found an array",
        ),
        ("[lending]\nmajor = \"x\"\n", "found a string"),
        ("[aliases]\nchains = 5\n", "expected a table"),
        ("[aliases.chains]\nx = []\n", "invalid type: array"),
        (
            "[assets.ETH]\nclass = 5\n",
            "expected a name, written as a string",
        ),
    ] {
        let e = RateBook::with_file(Path::new("t.toml"), text)
            .unwrap_err()
            .to_string();
        assert!(e.contains(said), "{text}: {e}");
        for leak in [
            "struct",
            "enum",
            "found a integer",
            "found a array",
            "sequence",
            "map",
            "wanted",
        ] {
            assert!(!e.contains(leak), "{text}: {e}");
        }
    }
}
