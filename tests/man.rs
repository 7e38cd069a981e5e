//! Every man page a man page cites is one `yieldplan man` prints: starting
//! from the main page, each `yieldplan-…(1)` named in a page is printed in
//! turn (by its name and by its command words), and its title is that name.

use std::collections::BTreeSet;
use std::process::Command;

/// The page `yieldplan man ARGS` prints; fails unless it exits 0.
fn man(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_yieldplan"))
        .arg("man")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "yieldplan man {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The pages a page cites, as `yieldplan-…` names (roff escapes undone).
fn cited(page: &str) -> Vec<String> {
    let text = page.replace("\\-", "-");
    let mut names = Vec::new();
    for (at, _) in text.match_indices("(1)") {
        let start = text[..at]
            .rfind(|c: char| c.is_whitespace() || c == '>')
            .map_or(0, |i| i + 1);
        let name = text[start..at].trim_start_matches("\\fB");
        if name.starts_with("yieldplan") {
            names.push(name.to_string());
        }
    }
    names
}

/// The `.TH` title of a page.
fn title(page: &str) -> String {
    let th = page.lines().find(|l| l.starts_with(".TH ")).unwrap();
    th.split_whitespace().nth(1).unwrap().replace("\\-", "-")
}

#[test]
fn every_page_a_page_cites_is_printable() {
    let main = man(&[]);
    assert_eq!(title(&main), "yieldplan");
    let mut seen = BTreeSet::new();
    let mut todo = cited(&main);
    assert!(todo.iter().any(|n| n == "yieldplan-plan"), "{todo:?}");
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let page = man(&[&name]);
        assert_eq!(title(&page), name);
        // The same page by its command words: `rates-import` and `rates import`.
        let short = name.trim_start_matches("yieldplan-");
        assert_eq!(man(&[short]), page, "{short}");
        let words: Vec<&str> = short.split('-').collect();
        if words.len() > 1 && !short.contains("--") {
            assert_eq!(man(&words), page, "{words:?}");
        }
        todo.extend(cited(&page));
    }
    assert!(seen.contains("yieldplan-rates-import"), "{seen:?}");
}

/// Every page the main page cites, followed recursively.
fn every_cited_page() -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = cited(&man(&[]));
    while let Some(name) = todo.pop() {
        if seen.insert(name.clone()) {
            todo.extend(cited(&man(&[&name])));
        }
    }
    seen
}

#[test]
fn the_readme_install_loop_installs_every_cited_page_and_no_help_page() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let line = readme
        .lines()
        .find(|l| l.starts_with("for c in ") && l.contains("rates-import"))
        .expect("the README's man install loop");
    let installed: BTreeSet<String> = line
        .trim_start_matches("for c in ")
        .trim_end_matches("; do")
        .split_whitespace()
        .map(|c| format!("yieldplan-{c}"))
        .collect();
    let cited = every_cited_page();
    assert_eq!(cited, installed);
    assert!(cited.iter().all(|n| !n.contains("help")), "{cited:?}");
    let help = Command::new(env!("CARGO_BIN_EXE_yieldplan"))
        .args(["man", "help"])
        .output()
        .unwrap();
    assert_eq!(help.status.code(), Some(2));
}

#[test]
fn a_command_page_synopsis_names_the_command_as_typed() {
    for (args, typed) in [
        (&["plan"][..], "\\fByieldplan plan\\fR"),
        (&["rates", "import"][..], "\\fByieldplan rates import\\fR"),
        (&[][..], "\\fByieldplan\\fR ["),
    ] {
        let page = man(args);
        let synopsis = page
            .lines()
            .skip_while(|l| *l != ".SH SYNOPSIS")
            .nth(1)
            .unwrap();
        assert!(synopsis.starts_with(typed), "{args:?}: {synopsis}");
    }
}

#[test]
fn an_unknown_page_is_refused_with_the_commands() {
    let out = Command::new(env!("CARGO_BIN_EXE_yieldplan"))
        .args(["man", "frobnicate"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no command is named \"frobnicate\""), "{err}");
    assert!(err.contains("yieldplan-frobnicate(1)"), "{err}");
    assert!(err.contains("rates import"), "{err}");
}

/// `man yieldplan` (as `man` itself is asked) prints the program's page.
#[test]
fn the_program_s_own_page_prints_by_its_name() {
    let whole = man(&[]);
    assert_eq!(man(&["yieldplan"]), whole);
    assert_eq!(man(&["yieldplan(1)"]), whole);
}
