//! Start-up baseline (not a test): parses a profile with the `toml` crate
//! alone and exits, so `benches/simulate.sh` can time `yieldplan plan` on a
//! 10,000-position profile against parsing the same file and nothing more.
//!
//! Run: `target/release/deps/toml_parse-* FILE` (the script finds it); under
//! `cargo bench` (no file) it does nothing.

use std::hint::black_box;

fn main() {
    let Some(path) = std::env::args().skip(1).find(|a| !a.starts_with("--")) else {
        return;
    };
    let text = std::fs::read_to_string(&path).expect("a readable file");
    let table: toml::Table = text.parse().expect("valid TOML");
    black_box(table);
}
