// Baseline for benches/plan_bench.py: a Rust binary that only starts and exits.
fn main() {}
