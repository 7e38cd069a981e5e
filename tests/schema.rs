//! The profile's JSON Schema: the committed copy is what `yieldplan schema`
//! prints, every shipped profile carries the Taplo `#:schema` directive and
//! is valid against the schema by an independent validator (the `jsonschema`
//! crate), and the validator refuses what the reader refuses.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const COMMITTED: &str = "schema/profile.schema.json";
const DIRECTIVE: &str = "#:schema ../schema/profile.schema.json";

fn printed_schema() -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_yieldplan"))
        .arg("schema")
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&fs::read_to_string(COMMITTED).unwrap()).unwrap();
    jsonschema::draft7::new(&schema).unwrap()
}

/// A TOML profile as JSON, for the validator.
fn as_json(text: &str) -> Value {
    toml::from_str::<Value>(text).unwrap()
}

fn shipped_profiles() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = fs::read_dir("profiles")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 4, "{paths:?}");
    paths
}

/// Errors of the validator, one line each.
fn errors(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn the_committed_schema_is_current() {
    let committed = fs::read_to_string(COMMITTED).unwrap();
    assert!(
        committed == printed_schema(),
        "{COMMITTED} is not what `yieldplan schema` prints"
    );
}

#[test]
fn the_schema_is_a_valid_draft_7_schema() {
    let schema: Value = serde_json::from_str(&printed_schema()).unwrap();
    assert!(jsonschema::meta::is_valid(&schema));
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
}

#[test]
fn every_shipped_profile_names_the_schema_and_is_valid_against_it() {
    let validator = validator();
    for path in shipped_profiles() {
        let text = fs::read_to_string(&path).unwrap();
        assert_eq!(
            text.lines().next(),
            Some(DIRECTIVE),
            "{} must start with the Taplo directive",
            path.display()
        );
        let target = Path::new("profiles").join(DIRECTIVE.trim_start_matches("#:schema "));
        assert!(target.exists(), "{} does not exist", target.display());
        let errs = errors(&validator, &as_json(&text));
        assert!(errs.is_empty(), "{}: {errs:#?}", path.display());
    }
}

#[test]
fn the_schema_refuses_what_the_reader_refuses() {
    let validator = validator();
    let base = "[portfolio]\nvalue = 1000\n[[position]]\nstrategy = \"lending\"\nasset = \"USDC\"\nweight = \"100%\"\n";
    assert!(errors(&validator, &as_json(base)).is_empty());
    let bad = [
        // an unknown key, in a table and at the top
        base.replace("value = 1000", "value = 1000\nvaleu = 3"),
        format!("nme = \"x\"\n{base}"),
        // a bare number above 1 meant as a percent
        base.replace("\"100%\"", "35"),
        // a strategy that does not exist
        base.replace("\"lending\"", "\"lendng\""),
        // a value of zero
        base.replace("value = 1000", "value = 0"),
        // no position
        "[portfolio]\nvalue = 1000\n".to_string(),
        // a band missing its high end
        base.replace("weight", "apy = { low = \"3%\" }\nweight"),
        // a currency that is not a code of letters
        base.replace("value = 1000", "value = 1000\ncurrency = \"€\""),
        base.replace("value = 1000", "value = 1000\ncurrency = \"US1\""),
        base.replace("value = 1000", "value = 1000\ncurrency = \"\""),
    ];
    for text in bad {
        assert!(
            !errors(&validator, &as_json(&text)).is_empty(),
            "the schema accepts:\n{text}"
        );
        let out = Command::new(env!("CARGO_BIN_EXE_yieldplan"))
            .args(["plan", "-"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child.stdin.take().unwrap().write_all(text.as_bytes())?;
                child.wait()
            })
            .unwrap();
        assert_eq!(out.code(), Some(2), "the reader accepts:\n{text}");
    }
}

#[test]
fn a_lower_case_currency_is_accepted_by_both() {
    let text = "[portfolio]\nvalue = 1000\ncurrency = \"usd\"\n[[position]]\nstrategy = \"lending\"\nasset = \"USDC\"\nweight = \"100%\"\n";
    assert!(errors(&validator(), &as_json(text)).is_empty());
}

#[test]
fn every_fixture_the_reader_accepts_the_schema_accepts() {
    let validator = validator();
    let mut checked = 0;
    for entry in fs::read_dir("tests/fixtures").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        let out = Command::new(env!("CARGO_BIN_EXE_yieldplan"))
            .arg("plan")
            .arg(&path)
            .output()
            .unwrap();
        if out.status.code() == Some(2) {
            continue;
        }
        checked += 1;
        let errs = errors(&validator, &as_json(&text));
        assert!(errs.is_empty(), "{}: {errs:#?}", path.display());
    }
    assert!(checked >= 5, "only {checked} fixtures plan");
}

#[test]
fn every_init_template_is_valid_against_the_schema() {
    let validator = validator();
    for template in ["income", "supplemental", "retirement", "independence"] {
        let out = Command::new(env!("CARGO_BIN_EXE_yieldplan"))
            .args(["init", "--template", template])
            .args(["--value", "250000", "--monthly-income", "1200.50"])
            .output()
            .unwrap();
        assert!(out.status.success(), "init --template {template}");
        let text = String::from_utf8(out.stdout).unwrap();
        let errs = errors(&validator, &as_json(&text));
        assert!(errs.is_empty(), "init --template {template}: {errs:#?}");
    }
}
