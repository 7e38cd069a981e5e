//! Safe to run unattended: bounded reads of regular files only, outputs that
//! never overwrite an input or replace a device, control characters escaped
//! in every format, and every flag either doing something or refused. Runs
//! the real binary.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use proptest::prelude::*;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_yieldplan"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).stdin(Stdio::null()).output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("yieldplan-safe-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Files in `dir` left by an interrupted or failed write.
fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}

const PROFILE: &str = "profiles/supplemental-income.toml";

#[cfg(unix)]
#[test]
fn devices_and_pipes_are_refused_as_inputs() {
    for args in [
        vec!["plan", "/dev/zero"],
        vec!["pools", "/dev/zero"],
        vec!["plan", PROFILE, "--rates", "/dev/urandom"],
        vec!["plan", PROFILE, "--pools", "/dev/zero"],
        vec!["check", "/dev/zero"],
        vec![
            "rates",
            "import",
            "/dev/zero",
            "--output",
            "/tmp/never.toml",
        ],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).contains("not a regular file"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[cfg(unix)]
#[test]
fn a_profiles_pools_path_is_relative_to_it_and_its_errors_reveal_nothing() {
    let dir = scratch("named");
    let original = fs::read_to_string(PROFILE).unwrap();
    let mut messages = Vec::new();
    for (i, target) in ["/dev/zero", "/etc", "/nonexistent/x.json", "/etc/hostname"]
        .iter()
        .enumerate()
    {
        let profile = dir.join(format!("p{i}.toml"));
        fs::write(
            &profile,
            format!("{original}\n[rates]\npools = \"{target}\"\n"),
        )
        .unwrap();
        let out = run(&["plan", s(&profile)]);
        assert_eq!(out.status.code(), Some(2), "{target}");
        let text = stderr(&out);
        assert!(
            !text.contains("directory") && !text.contains("device"),
            "{text}"
        );
        messages.push(text.replace(target, "X").replace(&format!("p{i}"), "P"));
    }
    // Missing, a directory and a device read the same.
    assert_eq!(messages[0], messages[1]);
    assert_eq!(messages[0], messages[2]);
    // A profile's pools file is found beside it, not beside the working folder.
    let out = run(&["plan", "tests/fixtures/with-pools.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_file_past_the_limit_is_refused_while_reading() {
    let dir = scratch("big");
    let big = dir.join("big.toml");
    let f = fs::File::create(&big).unwrap();
    // Sparse: 64 MiB and one byte, without writing them.
    f.set_len(64 * 1024 * 1024 + 1).unwrap();
    let out = run(&["plan", s(&big)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("more than the 64 MiB"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn no_output_overwrites_an_input_of_the_run() {
    let dir = scratch("clobber");
    let profile = dir.join("p.toml");
    let rates = dir.join("r.toml");
    let pools = dir.join("pools.json");
    fs::copy(PROFILE, &profile).unwrap();
    fs::copy("tests/fixtures/extra-rates.toml", &rates).unwrap();
    fs::copy("tests/fixtures/pools.json", &pools).unwrap();
    let named = dir.join("named.toml");
    fs::copy("tests/fixtures/with-pools.toml", &named).unwrap();
    let before: Vec<Vec<u8>> = [&profile, &rates, &pools, &named]
        .iter()
        .map(|p| fs::read(p).unwrap())
        .collect();
    let (p, r, j, n) = (s(&profile), s(&rates), s(&pools), s(&named));
    for args in [
        vec!["plan", p, "--rates", r, "--output", r],
        vec!["plan", p, "--pools", j, "--output", j],
        vec!["stress", p, "--output", p],
        vec!["plan", n, "--output", j],
        vec!["check", p, n, "--output", j],
        vec!["pools", j, "--output", j],
        vec!["rates", "import", j, "--output", j],
        vec!["project", p, "--simulate", "--paths", "10", "--plot", r],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let text = stderr(&out);
        // `rates import` refuses a JSON name first: it writes TOML.
        assert!(
            text.contains("is an input of this run")
                || text.contains(".svg")
                || text.contains("which is TOML"),
            "{args:?}: {text}"
        );
    }
    // Through a symbolic link and a hard link too.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&rates, dir.join("link")).unwrap();
        fs::hard_link(&profile, dir.join("hard")).unwrap();
        let out = run(&["plan", p, "--rates", r, "--output", s(&dir.join("link"))]);
        assert_eq!(out.status.code(), Some(2));
        let out = run(&["plan", p, "--output", s(&dir.join("hard"))]);
        assert_eq!(out.status.code(), Some(2));
    }
    let after: Vec<Vec<u8>> = [&profile, &rates, &pools, &named]
        .iter()
        .map(|p| fs::read(p).unwrap())
        .collect();
    assert_eq!(before, after);
    assert!(leftovers(&dir).is_empty());
}

#[test]
fn plot_and_output_at_one_path_are_refused_before_any_work() {
    let dir = scratch("same");
    let x = dir.join("x.svg");
    for cmd in ["project", "compare"] {
        let mut args = vec![cmd, PROFILE];
        if cmd == "compare" {
            args.push("profiles/income-template.toml");
        }
        args.extend([
            "--simulate",
            "--paths",
            "10",
            "--plot",
            s(&x),
            "--output",
            s(&x),
        ]);
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).contains("are the same file"),
            "{}",
            stderr(&out)
        );
        assert!(!x.exists());
    }
}

#[cfg(unix)]
#[test]
fn devices_and_fifos_are_written_as_streams_and_links_through() {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    let out = run(&["plan", PROFILE, "--output", "/dev/null"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );

    let dir = scratch("stream");
    let fifo = dir.join("fifo");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|st| st.success()) {
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || fs::read(&fifo).unwrap())
        };
        let out = run(&["plan", PROFILE, "--output", s(&fifo)]);
        assert!(out.status.success(), "{}", stderr(&out));
        let got = reader.join().unwrap();
        assert!(String::from_utf8_lossy(&got).contains("Positions"));
        assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
    }

    // A symbolic link is written through: the link stays, its target is
    // replaced and keeps its permissions.
    let target = dir.join("report.txt");
    fs::write(&target, "old").unwrap();
    fs::set_permissions(&target, fs::Permissions::from_mode(0o640)).unwrap();
    let link = dir.join("link.txt");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let out = run(&["plan", PROFILE, "--output", s(&link)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(fs::read_to_string(&target).unwrap().contains("Positions"));
    let mode = fs::metadata(&target).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    // A link to nothing is refused.
    std::os::unix::fs::symlink(dir.join("missing"), dir.join("dangling")).unwrap();
    let out = run(&["plan", PROFILE, "--output", s(&dir.join("dangling"))]);
    assert_eq!(out.status.code(), Some(2));
    assert!(leftovers(&dir).is_empty());
}

#[cfg(unix)]
#[test]
fn a_full_stderr_or_stdout_never_aborts() {
    let full = fs::OpenOptions::new().write(true).open("/dev/full");
    let Ok(full) = full else { return };
    for args in [
        vec!["plan", "missing.toml"],
        vec!["plan", "--bogus"],
        vec!["plan", "tests/fixtures/broken.toml"],
    ] {
        let out = bin()
            .args(&args)
            .stderr(full.try_clone().unwrap())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
    for args in [vec!["plan", PROFILE], vec!["--help"]] {
        let out = bin()
            .args(&args)
            .stdout(full.try_clone().unwrap())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

const HOSTILE: &str = "tests/fixtures/control-characters-in-name.toml";

#[test]
fn control_characters_are_escaped_in_every_format_and_message() {
    for format in ["table", "json", "csv", "markdown"] {
        let out = run(&["plan", HOSTILE, "--format", format]);
        assert!(out.status.success(), "{format}: {}", stderr(&out));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.contains('\u{1b}') && !text.contains('\r'), "{format}");
        assert!(!text.contains("\nfake line"), "{format}: a fake line");
        if format == "csv" {
            let mut reader = csv::Reader::from_reader(text.as_bytes());
            let header_len = reader.headers().unwrap().len();
            let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
            // One position and the total, each one record of the header's width.
            assert_eq!(records.len(), 2);
            assert!(records.iter().all(|r| r.len() == header_len));
            assert_eq!(&records[0][0], "a,\"b\"\\n=cmd|calc!A1 | md | <script>");
        }
        if format == "markdown" {
            // Escaped, so it is not raw HTML (every_markdown_output_renders parses it).
            assert!(text.contains("\\<script>"), "raw HTML in Markdown");
        }
    }
    // An error message quoting the name.
    let dir = scratch("ctl-error");
    let bad = dir.join("bad.toml");
    fs::write(
        &bad,
        "name = \"x\"\n[portfolio]\nvalue = 1000\n[[position]]\nname = \"\\u001b[2Jz\"\nstrategy = \"nope\"\nasset = \"USDC\"\nweight = \"100%\"\n",
    )
    .unwrap();
    let out = run(&["plan", s(&bad)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!out.stderr.contains(&0x1b));
}

#[test]
fn every_markdown_output_renders() {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut runs: Vec<Vec<&str>> = Vec::new();
    for p in [
        PROFILE,
        "profiles/early-retirement.toml",
        "profiles/income-template.toml",
        "profiles/financial-independence.toml",
        HOSTILE,
        "tests/fixtures/screened.toml",
        "tests/fixtures/liquidity.toml",
    ] {
        runs.push(vec!["plan", p]);
        runs.push(vec!["stress", p]);
        runs.push(vec!["project", p, "--years", "5"]);
        runs.push(vec!["check", p]);
    }
    runs.push(vec!["compare", PROFILE, "profiles/early-retirement.toml"]);
    runs.push(vec!["il", "--ratio", "2", "--amount", "1000"]);
    runs.push(vec!["pools", "tests/fixtures/pools.json"]);
    runs.push(vec!["rates"]);
    runs.push(vec![
        "project",
        PROFILE,
        "--simulate",
        "--paths",
        "20",
        "--years",
        "3",
    ]);
    for mut args in runs {
        args.extend(["--format", "markdown"]);
        let out = run(&args);
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.is_empty(), "{args:?}");
        let mut rows = 0;
        let mut columns = Vec::new();
        let mut cells = 0;
        for event in Parser::new_ext(&text, Options::ENABLE_TABLES) {
            match event {
                Event::Text(t) => assert!(!t.contains("**"), "{args:?}: literal ** in {t}"),
                Event::Html(h) | Event::InlineHtml(h) => panic!("{args:?}: raw HTML {h}"),
                Event::Start(Tag::Table(a)) => columns.push(a.len()),
                Event::Start(Tag::TableHead | Tag::TableRow) => cells = 0,
                Event::Start(Tag::TableCell) => cells += 1,
                Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                    rows += 1;
                    assert_eq!(Some(&cells), columns.last(), "{args:?}: a ragged row");
                }
                _ => {}
            }
        }
        // Every `|` line of the source is a row of some table (the rule
        // lines aside), so none was dropped or merged.
        let source_rows = text
            .lines()
            .filter(|l| l.starts_with('|') && !l.starts_with("| ---") && !l.starts_with("| :"))
            .count();
        assert_eq!(rows, source_rows, "{args:?}");
    }
}

#[test]
fn every_flag_does_something_or_is_refused() {
    let dir = scratch("flags");
    // il as CSV is its figures as raw numbers, not nothing.
    let out = run(&["il", "--ratio", "2", "--format", "csv"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Impermanent loss,-0.057191"));
    // compare --simulate --plot draws one SVG with a line per profile.
    let svg = dir.join("cmp.svg");
    let out = run(&[
        "compare",
        PROFILE,
        "profiles/income-template.toml",
        "--simulate",
        "--paths",
        "20",
        "--years",
        "5",
        "--plot",
        s(&svg),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let drawn = fs::read_to_string(&svg).unwrap();
    assert!(drawn.starts_with("<svg") && drawn.contains("Income template"));
    // Flags that only make sense with another are refused without it.
    for args in [
        vec!["compare", PROFILE, PROFILE, "--years", "10"],
        vec!["il", "--ratio", "2", "--years", "3"],
        vec!["il", "--ratio", "2", "--currency", "EUR"],
        vec!["project", PROFILE, "--plot", "x.svg"],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
    // A picture is SVG only.
    let out = run(&["project", PROFILE, "--simulate", "--plot", "chart.png"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains(".svg"));
    // Negative counts are "must be positive", not a tip about `--`.
    for args in [
        vec!["project", PROFILE, "--simulate", "--paths", "-5"],
        vec!["project", PROFILE, "--years", "-1"],
        vec!["check", PROFILE, "--min-success", "-0.5"],
        vec!["pools", "tests/fixtures/pools.json", "--limit", "-1"],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let text = stderr(&out);
        assert!(
            text.contains("must be positive") && !text.contains("tip"),
            "{text}"
        );
    }
    // Documented upper bounds, refused by name.
    for (args, limit) in [
        (vec!["project", PROFILE, "--years", "101"], "at most 100"),
        (
            vec!["project", PROFILE, "--simulate", "--paths", "1000001"],
            "at most 1000000",
        ),
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains(limit), "{}", stderr(&out));
    }
    // rates import takes --output, and --out as an alias.
    for flag in ["--output", "--out"] {
        let target = dir.join(format!("import{flag}.toml"));
        let out = run(&[
            "rates",
            "import",
            "tests/fixtures/pools.json",
            flag,
            s(&target),
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(target.exists());
    }
    let out = run(&[
        "rates",
        "import",
        "tests/fixtures/pools.json",
        "--out",
        s(&dir),
    ]);
    assert!(stderr(&out).contains("--output"), "{}", stderr(&out));
}

/// Where a property-test write goes.
#[derive(Clone, Copy, Debug)]
enum Target {
    New,
    Existing,
    Symlink,
    Directory,
    Device,
    MissingDirectory,
    TheInput,
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        Just(Target::New),
        Just(Target::Existing),
        Just(Target::Symlink),
        Just(Target::Directory),
        Just(Target::Device),
        Just(Target::MissingDirectory),
        Just(Target::TheInput),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 21, failure_persistence: None, ..ProptestConfig::default() })]

    /// Whatever the target, the input survives, no temporary file is left,
    /// and the result is either the report at the target or exit 2.
    #[test]
    fn the_writer_never_destroys_and_never_leaves_debris(kind in target(), n in 0u32..1000) {
        let dir = scratch(&format!("prop-{n}"));
        let input = dir.join("p.toml");
        fs::copy(PROFILE, &input).unwrap();
        let before = fs::read(&input).unwrap();
        let path = match kind {
            Target::New => dir.join("new.txt"),
            Target::Existing => {
                fs::write(dir.join("old.txt"), "old").unwrap();
                dir.join("old.txt")
            }
            Target::Symlink => {
                fs::write(dir.join("real.txt"), "old").unwrap();
                #[cfg(unix)]
                std::os::unix::fs::symlink(dir.join("real.txt"), dir.join("link.txt")).unwrap();
                #[cfg(not(unix))]
                fs::copy(dir.join("real.txt"), dir.join("link.txt")).unwrap();
                dir.join("link.txt")
            }
            Target::Directory => dir.clone(),
            Target::Device => PathBuf::from(if cfg!(unix) { "/dev/null" } else { "NUL" }),
            Target::MissingDirectory => dir.join("nowhere").join("x.txt"),
            Target::TheInput => input.clone(),
        };
        let out = run(&["plan", s(&input), "--output", s(&path)]);
        let expect_ok = matches!(kind, Target::New | Target::Existing | Target::Symlink | Target::Device);
        prop_assert_eq!(out.status.success(), expect_ok, "{:?}: {}", kind, stderr(&out));
        if !expect_ok {
            prop_assert_eq!(out.status.code(), Some(2));
        }
        prop_assert_eq!(fs::read(&input).unwrap(), before);
        prop_assert!(leftovers(&dir).is_empty());
        if matches!(kind, Target::New | Target::Existing | Target::Symlink) {
            prop_assert!(fs::read_to_string(&path).unwrap().contains("Positions"));
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            prop_assert!(fs::metadata("/dev/null").unwrap().file_type().is_char_device());
        }
    }
}

#[test]
fn declared_assets_cost_nothing_until_held() {
    let book = yieldplan::rates::RateBook::default_book();
    let pairs = |n: usize| {
        let mut text = String::from(
            "name = \"a\"\n[portfolio]\nvalue = 1000\n[[position]]\nstrategy = \"hold\"\nasset = \"BTC\"\nweight = \"100%\"\n[[position]]\nstrategy = \"hold\"\nasset = \"X0\"\namount = 0\n",
        );
        for i in 0..n {
            text.push_str(&format!("[assets.X{i}]\nvolatility = \"50%\"\n"));
        }
        let portfolio = yieldplan::load(Path::new("a.toml"), text.as_bytes(), &book);
        portfolio.map(|p| p.correlations.len())
    };
    // Only pairs of held assets have an entry: as many for 8,000 declared
    // assets as for 10.
    if let (Ok(small), Ok(large)) = (pairs(10), pairs(8000)) {
        assert_eq!(small, large);
        assert!(large <= 1);
    } else {
        let text = "name = \"a\"\n[portfolio]\nvalue = 1000\n[[position]]\nstrategy = \"hold\"\nasset = \"BTC\"\nweight = \"100%\"\n[assets.X1]\nvolatility = \"50%\"\n";
        let p = yieldplan::load(Path::new("a.toml"), text.as_bytes(), &book).unwrap();
        assert!(p.correlations.is_empty());
    }
}

/// A TOML input of many tiny tokens (`1,1,1,…`) would make the parser hold
/// about 75 bytes a token; past 5,000,000 tokens every TOML input (profile,
/// rate book, holdings) is refused before it is parsed, at the first token
/// past the limit, with exit 2.
#[test]
fn a_toml_input_past_the_token_limit_is_refused_at_its_place() {
    let dir = scratch("tokens");
    // `z = [` is 5 tokens and `1,` two: the 5,000,001st token is on line 2.
    let body = format!("name = \"x\"\nz = [{}1]\n", "1,".repeat(2_500_000));
    let profile = dir.join("tokens.toml");
    fs::write(&profile, &body).unwrap();
    let out = run(&["check", s(&profile)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("more than 5,000,000 TOML tokens"), "{err}");
    assert!(err.contains("tokens.toml:2:"), "{err}");
    // The same for a rate book and a holdings file.
    let out = run(&["plan", PROFILE, "--rates", s(&profile)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("TOML tokens"), "{}", stderr(&out));
    let out = run(&[
        "review",
        "tests/fixtures/real-data/sample-pools.toml",
        "--since",
        "data/review/plan-2026-q3.json",
        "--pools",
        "data/review/pools-2026-q4.json",
        "--holdings",
        s(&profile),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("TOML tokens"), "{}", stderr(&out));
}

/// `rates import` and `rates --pools -f toml` refuse a snapshot whose pools
/// would make a rate book past the token limit (one `--rates` would
/// refuse), and write nothing.
#[test]
fn rates_import_refuses_a_book_too_large_to_read_back() {
    let dir = scratch("many-pools");
    let pools: Vec<String> = (0..80_000)
        .map(|i| {
            format!(
                r#"{{"chain":"Ethereum","project":"aave-v3","symbol":"USDC","tvlUsd":1000000,"apy":4.5,"pool":"p{i}"}}"#
            )
        })
        .collect();
    let snapshot = dir.join("pools.json");
    fs::write(
        &snapshot,
        format!(r#"{{"status":"success","data":[{}]}}"#, pools.join(",")),
    )
    .unwrap();
    let book = dir.join("book.toml");
    let out = run(&["rates", "import", s(&snapshot), "-o", s(&book)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("80000 pools make a rate book larger"), "{err}");
    assert!(err.contains("--min-tvl"), "{err}");
    assert!(!book.exists(), "nothing may be written");
    // The same book printed by `rates --pools -f toml` is refused too.
    let out = run(&[
        "rates",
        "--pools",
        s(&snapshot),
        "-f",
        "toml",
        "-o",
        s(&book),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("larger than --rates reads"),
        "{}",
        stderr(&out)
    );
    assert!(!book.exists(), "nothing may be written");
}

/// A profile may have at most 100,000 positions, 10,000 entries in any
/// other named list or table and 250 distinct assets held; past that it is
/// refused (exit 2) at the first entry past the limit.
#[test]
fn a_profile_past_the_entry_limits_is_refused_at_its_place() {
    let dir = scratch("entries");
    let head = "name = \"x\"\n[portfolio]\nvalue = 100000\ncurrency = \"USD\"\n";
    let positions = dir.join("positions.toml");
    fs::write(
        &positions,
        format!(
            "{head}{}",
            "[[position]]\nstrategy = \"hold\"\nasset = \"BTC\"\namount = 1\n".repeat(100_001)
        ),
    )
    .unwrap();
    let out = run(&["check", s(&positions)]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("100,001 [[position]] tables, more than the 100,000 accepted"),
        "{err}"
    );
    // Line 5 is the first position; each takes 4 lines.
    assert!(
        err.contains(&format!("positions.toml:{}:1", 5 + 4 * 100_000)),
        "{err}"
    );
    let assets = dir.join("assets.toml");
    let overrides: String = (0..10_001)
        .map(|i| format!("[assets.X{i}]\nvolatility = \"50%\"\n"))
        .collect();
    fs::write(
        &assets,
        format!(
            "{head}{overrides}[[position]]\nstrategy = \"hold\"\nasset = \"BTC\"\namount = 1\n"
        ),
    )
    .unwrap();
    let out = run(&["plan", s(&assets)]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("10,001 [assets] entries, more than the 10,000 accepted"),
        "{err}"
    );
    // The first entry past the limit in file order (`X10000`, whose name
    // sorts among the first), not in the order of names.
    assert!(err.contains("assets.toml:20005:9"), "{err}");
    // At most 250 distinct assets held: the 251st is named at the position
    // that adds it, here written by an alias (WETH is ETH) before a later
    // position that writes ETH itself.
    let held = dir.join("held.toml");
    let positions: String = (0..250)
        .map(|i| format!("[[position]]\nstrategy = \"hold\"\nasset = \"TK{i}\"\namount = 1\n"))
        .collect();
    let tail = "[[position]]\nstrategy = \"hold\"\nasset = \"WETH\"\namount = 1\n\
                [[position]]\nname = \"later\"\nstrategy = \"hold\"\nasset = \"ETH\"\namount = 1\n";
    fs::write(
        &held,
        format!("name = \"x\"\n[portfolio]\nvalue = 252\ncurrency = \"USD\"\n{positions}{tail}"),
    )
    .unwrap();
    let out = run(&["plan", s(&held)]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("more than 250 distinct assets; `ETH`"),
        "{err}"
    );
    assert!(
        err.contains(&format!("held.toml:{}:1", 5 + 4 * 250)),
        "{err}"
    );
}

/// Every command that writes a file with `-o`, with the rest of its arguments.
fn writers() -> Vec<Vec<&'static str>> {
    vec![
        vec!["init"],
        vec!["plan", PROFILE],
        vec!["check", PROFILE],
        vec!["compare", PROFILE, PROFILE],
        vec!["stress", PROFILE],
        vec!["project", PROFILE],
        vec!["il", "--ratio", "2"],
        vec!["pools", "data/pools-sample.json"],
        vec!["rates"],
        vec!["rates", "import", "data/pools-sample.json"],
        vec!["schema"],
        vec!["completions", "bash"],
        vec!["optimize", PROFILE],
    ]
}

/// Runs `args` with `-o out`, which must fail with exit 2 and say `said`.
fn fails_saying(args: &[&str], out: &str, said: &str) {
    let mut all = args.to_vec();
    all.extend(["-o", out]);
    let run = run(&all);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(2), "{all:?}: {err}");
    assert!(err.contains(said), "{all:?}: {err}");
    assert!(
        !err.contains(".tmp"),
        "{all:?} names its temporary file: {err}"
    );
}

#[cfg(unix)]
#[test]
fn a_failed_write_says_what_happened_and_leaves_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("failed-writes");
    let missing = dir.join("missing").join("out.toml");
    let locked = dir.join("locked");
    fs::create_dir(&locked).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
    // Whoever may write anywhere (root) cannot be refused by a folder's mode.
    let refused = fs::write(locked.join("probe"), "").is_err();
    for args in writers() {
        if fs::OpenOptions::new().write(true).open("/dev/full").is_ok() {
            fails_saying(&args, "/dev/full", "/dev/full: the device is full");
        }
        fails_saying(&args, s(&dir), "is a directory");
        fails_saying(&args, s(&missing), "does not exist");
        if refused {
            let inside = locked.join("out.toml");
            fails_saying(&args, s(&inside), "cannot be written to");
        }
        // A folder that takes no new file, whoever writes.
        if Path::new("/proc/self").exists() {
            fails_saying(&args, "/proc/yieldplan-out.toml", "cannot be created in");
        }
        assert!(leftovers(&dir).is_empty() && leftovers(&locked).is_empty());
    }
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
}

/// A file name that is not UTF-8 (Linux allows any bytes but `/` and NUL):
/// every output flag takes it, `--plot` as `--output` does.
#[cfg(unix)]
#[test]
fn plot_takes_any_file_name_output_takes() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = scratch("non-utf8");
    let svg = dir.join(OsStr::from_bytes(b"fan-\xff.svg"));
    let txt = dir.join(OsStr::from_bytes(b"report-\xfe.txt"));
    for cmd in ["project", "plan", "compare"] {
        let mut command = bin();
        command.args([cmd, PROFILE]);
        if cmd == "compare" {
            command.arg("profiles/income-template.toml");
        }
        let out = command
            .args(["--simulate", "--paths", "10", "--years", "2", "--plot"])
            .arg(&svg)
            .arg("--output")
            .arg(&txt)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{cmd}: {}", stderr(&out));
        assert!(
            fs::read_to_string(&svg).unwrap().starts_with("<svg"),
            "{cmd}"
        );
        assert!(!fs::read_to_string(&txt).unwrap().is_empty(), "{cmd}");
        fs::remove_file(&svg).unwrap();
        fs::remove_file(&txt).unwrap();
    }
    // Its name must still end in .svg.
    let png = dir.join(OsStr::from_bytes(b"fan-\xff.png"));
    let out = bin()
        .args(["project", PROFILE, "--simulate", "--plot"])
        .arg(&png)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("SVG only"), "{}", stderr(&out));
    assert!(!png.exists());
}

/// `/dev/full` as a writer: every write to it fails (no space left).
#[cfg(target_os = "linux")]
fn full() -> fs::File {
    fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap()
}

/// A run with a plot beside its report writes both or neither: when the
/// report cannot be written (to `-o /dev/full`, or to standard output on
/// /dev/full), no plot is left either, and an earlier plot stays as it was.
#[cfg(target_os = "linux")]
#[test]
fn a_failed_report_leaves_no_plot() {
    let dir = scratch("all-or-nothing");
    let fresh = dir.join("fresh.svg");
    let kept = dir.join("kept.svg");
    fs::write(&kept, "earlier chart").unwrap();
    for cmd in ["project", "plan", "compare"] {
        for svg in [&fresh, &kept] {
            for to_stdout in [false, true] {
                let mut command = bin();
                command.args([cmd, PROFILE]);
                if cmd == "compare" {
                    command.arg("profiles/income-template.toml");
                }
                command
                    .args(["--simulate", "--paths", "10", "--years", "2", "--plot"])
                    .arg(svg)
                    .stdin(Stdio::null());
                if to_stdout {
                    command.stdout(full());
                } else {
                    command.args(["-o", "/dev/full"]);
                }
                let out = command.output().unwrap();
                let what = format!("{cmd} --plot {} (stdout: {to_stdout})", svg.display());
                assert_eq!(out.status.code(), Some(2), "{what}: {}", stderr(&out));
                assert!(
                    stderr(&out).contains("No space left"),
                    "{what}: {}",
                    stderr(&out)
                );
                assert!(!fresh.exists(), "{what}: a plot was written");
                assert_eq!(
                    fs::read_to_string(&kept).unwrap(),
                    "earlier chart",
                    "{what}"
                );
                assert!(leftovers(&dir).is_empty(), "{what}: {:?}", leftovers(&dir));
            }
        }
    }
    // Written together when both can be.
    let report = dir.join("report.txt");
    let out = bin()
        .args(["project", PROFILE, "--simulate", "--paths", "10", "--plot"])
        .arg(&fresh)
        .arg("-o")
        .arg(&report)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(fresh.exists() && report.exists());
}

/// `optimize -o NEW.toml` writes the new profile only if its report reached
/// standard output too.
#[cfg(target_os = "linux")]
#[test]
fn optimize_writes_no_profile_when_its_report_fails() {
    let dir = scratch("optimize-full");
    let new = dir.join("new.toml");
    let out = bin()
        .args(["optimize", "profiles/income-template.toml", "--output"])
        .arg(&new)
        .stdout(full())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(!new.exists(), "the profile was written");
    assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
}
