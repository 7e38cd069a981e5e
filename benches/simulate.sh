#!/usr/bin/env bash
# Monte Carlo benchmark (not a test), one command from the repository root:
#
#   benches/simulate.sh                 # every shipped profile (under a minute after the build)
#   BENCH_RUNS=5 benches/simulate.sh    # fewer runs per command (median; default 11)
#
# Builds the release binary and a trivial Rust binary (the start-up baseline),
# installs numpy into a virtual environment under target/bench/ (no system
# change), then for every profiles/*.toml times `project P --simulate`
# (10,000 paths x 30 years, whole process) against the NumPy implementation
# of the same model (benches/simulate_numpy.py, run with OPENBLAS_CORETYPE
# and OPENBLAS_L2_SIZE unset), checks the two agree, times `plan P` against
# `plan P --simulate`, and `plan` against the trivial binary. See
# benches/simulate_bench.py for the targets. The floor of the simulation is
# `cargo bench --bench simulate`; the scale table benches/scale_simulate.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --quiet
mkdir -p target/bench
rustc -O --edition 2021 -o target/bench/trivial benches/support/trivial.rs

venv=target/bench/venv
if ! "$venv/bin/python" -c 'import numpy' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet numpy
fi

exec python3 benches/simulate_bench.py "$@"
