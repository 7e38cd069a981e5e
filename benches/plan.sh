#!/usr/bin/env bash
# Performance benchmark of `yieldplan plan` (whole process). Not a test.
# Builds the release binary and a trivial baseline binary, generates large profiles
# into target/bench/, then times everything (see benches/plan_bench.py).
#
#   benches/plan.sh                       # full run (~1 minute after the build)
#   BENCH_RUNS=20 BENCH_SIZES=1000,10000 benches/plan.sh   # quicker
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --quiet
mkdir -p target/bench
rustc -O --edition 2021 -o target/bench/trivial benches/support/trivial.rs

exec python3 benches/plan_bench.py "$@"
