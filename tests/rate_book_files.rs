//! Rate-book files through the real binary: `rates --format toml` reads back
//! with `--rates` to the same book, `--format toml` is refused elsewhere, and
//! `rates` lists a book's pools in every format.

use std::process::{Command, Output};

/// Runs yieldplan with `args`.
fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yieldplan"))
        .args(args)
        .output()
        .unwrap()
}

/// Standard output of a run that must succeed.
fn stdout(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// JSON text as a value.
fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap()
}

/// The same JSON, numbers compared by value (a rate read from "10%" is
/// written 0.10, the same number as 0.1).
fn same_numbers(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value::{Array, Number, Object};
    match (a, b) {
        (Number(x), Number(y)) => {
            let parse = |n: &serde_json::Number| n.to_string().parse::<f64>().ok();
            parse(x) == parse(y)
        }
        (Array(x), Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_numbers(p, q))
        }
        (Object(x), Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_numbers(v, w)))
        }
        _ => a == b,
    }
}

#[test]
fn rates_format_toml_reads_back_to_the_same_book() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("book.toml");
    let file = file.to_str().unwrap();
    for extra in [
        vec![],
        vec!["--pools", "data/pools-sample.json"],
        vec!["--rates", "tests/fixtures/extra-rates.toml"],
    ] {
        let mut args = vec!["rates", "--format", "toml", "--output", file];
        args.extend(&extra);
        stdout(&args);
        let mut direct = vec!["rates", "--format", "json"];
        direct.extend(&extra);
        let again = stdout(&["rates", "--rates", file, "--format", "json"]);
        assert!(
            same_numbers(&json(&again), &json(&stdout(&direct))),
            "{extra:?}: the book read back differs"
        );
        std::fs::remove_file(file).unwrap();
    }
}

#[test]
fn format_toml_is_refused_by_every_other_command() {
    for args in [
        vec!["plan", "profiles/financial-independence.toml"],
        vec!["check", "profiles/financial-independence.toml"],
        vec!["stress", "profiles/financial-independence.toml"],
        vec!["project", "profiles/financial-independence.toml"],
        vec![
            "compare",
            "profiles/financial-independence.toml",
            "profiles/financial-independence.toml",
        ],
        vec!["il", "--ratio", "2"],
        vec!["pools", "data/pools-sample.json"],
    ] {
        let mut all = args.clone();
        all.extend(["--format", "toml"]);
        let out = run(&all);
        let err = String::from_utf8_lossy(&out.stderr);
        if args[0] == "check" {
            // `check` prints no report, so it has no --format at all.
            assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
            continue;
        }
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("--format toml is only for `yieldplan rates`"),
            "{args:?}: {err}"
        );
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn rates_lists_the_pools_of_a_book_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let imported = dir.path().join("imported.toml");
    let imported = imported.to_str().unwrap();
    run(&[
        "rates",
        "import",
        "data/pools-sample.json",
        "--output",
        imported,
    ]);
    for source in [["--pools", "data/pools-sample.json"], ["--rates", imported]] {
        for format in ["table", "csv", "markdown", "json"] {
            let text = stdout(&["rates", source[0], source[1], "--format", format]);
            for id in ["sample-0003-lido-steth", "sample-0009-pancake-cake-wbnb"] {
                assert!(text.contains(id), "{source:?} {format}: no {id}");
            }
        }
        let csv = stdout(&["rates", source[0], source[1], "--format", "csv"]);
        assert!(
            csv.starts_with("pool,project,chain,symbol,apy_low,apy_mid,apy_high,reward_share"),
            "{csv}"
        );
    }
    // Without pools, the CSV is the assets table as before.
    assert!(stdout(&["rates", "--format", "csv"]).starts_with("asset,name,class"));
}

#[test]
fn the_readme_shows_the_tested_rate_book_example() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let example = std::fs::read_to_string("data/rates-example.toml").unwrap();
    assert!(
        readme.contains(&example),
        "README lacks data/rates-example.toml as it is"
    );
    let session = std::fs::read_to_string("tests/cmd/rate-book-files.trycmd").unwrap();
    assert!(
        readme.contains(session.trim_end()),
        "README lacks the session of tests/cmd/rate-book-files.trycmd as it is"
    );
}

/// A problem of the book as a whole (an unknown tier, a correlation naming
/// an unknown asset, a default band the file's figure disorders) is shown at the
/// key of the file that causes it; one that comes from what the file leaves
/// out (`replace = true` without a required entry) has no place.
#[test]
fn whole_book_problems_point_at_the_key_that_causes_them() {
    let dir = std::env::temp_dir().join(format!("yieldplan-book-places-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let book = dir.join("book.toml");
    std::fs::write(
        &book,
        "# a user's book\n\
         [correlations]\n\
         \"ETH/FOO\" = 0.5\n\
         \n\
         [protocols.newproto]\n\
         tier = \"mythic\"\n\
         \n\
         [lending.stablecoin]\n\
         high = \"1%\"\n",
    )
    .unwrap();
    let out = run(&[
        "plan",
        "profiles/early-retirement.toml",
        "--rates",
        book.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    for (what, place) in [
        ("names `FOO`", "book.toml:3:1"),
        ("tier `mythic`", "book.toml:6:1"),
        // A file's own band is checked as it is read; a figure that
        // disorders the default band is found in the whole book.
        (
            "class stablecoin: the band is not ordered",
            "book.toml:8:10",
        ),
    ] {
        let at = err.find(what).unwrap_or_else(|| panic!("{what} in {err}"));
        let next = err[at..].lines().nth(1).unwrap_or_default();
        assert!(next.contains(place), "{what}: {next}\n{err}");
    }
    // `replace = true` with nothing else: what is missing has no place.
    std::fs::write(&book, "replace = true\n").unwrap();
    let out = run(&[
        "plan",
        "profiles/early-retirement.toml",
        "--rates",
        book.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("the rate book has no [risk_tiers."), "{err}");
    assert!(!err.contains("book.toml:1:"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

/// The options of `rates` itself do nothing for `rates import`: given
/// before `import`, each is refused (exit 2, naming it) and nothing is
/// written.
#[test]
fn rates_options_before_import_are_refused() {
    let dir = std::env::temp_dir().join(format!("yieldplan-import-flags-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let book = dir.join("book.toml");
    let b = book.to_str().unwrap();
    for (before, flag) in [
        (&["-f", "json"][..], "--format"),
        (&["--format", "toml"][..], "--format"),
        (&["--rates", "data/rates-example.toml"][..], "--rates"),
        (&["--pools", "data/pools-sample.json"][..], "--pools"),
        (&["-o", "-"][..], "--output"),
    ] {
        let mut args = vec!["rates"];
        args.extend_from_slice(before);
        args.extend_from_slice(&["import", "data/pools-sample.json", "-o", b]);
        let out = run(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(&format!("{flag} before `import`")),
            "{args:?}: {err}"
        );
        assert!(!book.exists(), "{args:?} wrote the book");
    }
    let out = run(&["rates", "import", "data/pools-sample.json", "-o", b]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// An index's components are named "index: component", and never take a
/// name another position has: two components of one asset (from a book's
/// index), or a position named like a component, number the component.
#[test]
fn index_components_never_share_a_name() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book.toml");
    std::fs::write(
        &book,
        "[index.dup]\nname = \"Dup\"\ndescription = \"d\"\ncomponents = [\n\
         \x20 { strategy = \"staking\", asset = \"ETH\", weight = \"50%\" },\n\
         \x20 { strategy = \"staking\", asset = \"ETH\", weight = \"50%\" },\n]\n",
    )
    .unwrap();
    let profile = dir.path().join("p.toml");
    std::fs::write(
        &profile,
        "[portfolio]\nvalue = 100000\n\
         [[position]]\nname = \"D\"\nstrategy = \"index\"\nindex = \"dup\"\nweight = \"50%\"\n\
         [[position]]\nname = \"A\"\nstrategy = \"index\"\nindex = \"large-cap-staking\"\nweight = \"25%\"\n\
         [[position]]\nname = \"A: ETH\"\nstrategy = \"staking\"\nasset = \"SOL\"\nweight = \"25%\"\n",
    )
    .unwrap();
    let (p, b) = (profile.to_str().unwrap(), book.to_str().unwrap());
    let plan = json(&stdout(&["plan", p, "--rates", b, "-f", "json"]));
    let names: Vec<&str> = plan["positions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap())
        .collect();
    let mut unique = names.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), names.len(), "{names:?}");
    for name in ["D: ETH", "D: ETH 2", "A: ETH 2", "A: SOL", "A: ETH"] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    // The plan's own snapshot reviews against itself.
    let snap = dir.path().join("snap.json");
    stdout(&[
        "plan",
        p,
        "--rates",
        b,
        "-f",
        "json",
        "-o",
        snap.to_str().unwrap(),
    ]);
    let out = run(&["review", p, "--rates", b, "--since", snap.to_str().unwrap()]);
    assert_ne!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `rates import --as-of` takes a day that exists, written YYYY-MM-DD, and
/// writes nothing otherwise.
#[test]
fn rates_import_refuses_a_date_that_is_not_a_day() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("book.toml");
    for bad in ["2026-02-30", "2026-13-01", "26-1-1", "tomorrow"] {
        let r = run(&[
            "rates",
            "import",
            "data/review/pools-2026-q4.json",
            "-o",
            out.to_str().unwrap(),
            "--as-of",
            bad,
        ]);
        assert_eq!(r.status.code(), Some(2), "{bad}");
        assert!(String::from_utf8_lossy(&r.stderr).contains("is not a date"));
        assert!(!out.exists());
    }
}

/// A name in a rate book holding a character that shows as nothing or as a
/// space (a zero-width space in a protocol, a no-break space in an alias) is
/// refused at its key, as in a profile: it would be another name than the
/// one it looks like.
#[test]
fn a_book_name_with_a_hidden_character_is_refused_at_its_key() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let book = dir.join("hidden-names.toml");
    std::fs::write(
        &book,
        "[protocols.\"aave\u{200B}\"]\ntier = \"blue-chip\"\n\n[aliases.protocols]\n\"my\u{A0}aave\" = \"aave\"\n",
    )
    .unwrap();
    let out = run(&[
        "plan",
        "profiles/income-template.toml",
        "--rates",
        book.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    for (says, at) in [
        ("holds a zero-width space (U+200B)", ":1:12"),
        ("holds a no-break space (U+00A0)", ":5:1"),
    ] {
        assert!(stderr.contains(says), "{stderr}");
        let place = format!("--> {}{at}", book.display());
        assert!(stderr.contains(&place), "{stderr}");
    }
    assert!(stderr.contains("2 problems in rate book"), "{stderr}");
}
