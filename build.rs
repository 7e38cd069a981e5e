//! Converts the default rate book from TOML to JSON at build time: the binary
//! reads JSON several times faster, and every run starts by reading the book.
//! The TOML stays the source (and is what `cargo test` checks).

use std::env;
use std::fs;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=src/rates/default.toml");
    let text =
        fs::read_to_string("src/rates/default.toml").expect("src/rates/default.toml is readable");
    let value: toml::Value = toml::from_str(&text).expect("src/rates/default.toml is valid TOML");
    let json = serde_json::to_string(&value).expect("the rate book converts to JSON");
    let out =
        Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("default_book.json");
    fs::write(out, json).expect("OUT_DIR is writable");
}
