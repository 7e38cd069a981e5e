#!/usr/bin/env bash
# Monte Carlo benchmark (not a test): every ratio of the speed targets, for
# every shipped profile, from one command run at the repository root:
#
#   bash benches/simulate.sh                 # a few minutes after the build
#   BENCH_RUNS=5 bash benches/simulate.sh    # fewer runs per command (median; default 11)
#   SCALE=0 bash benches/simulate.sh         # without the scale table (the 1M-path run)
#
# Builds the published (dist) binary, the bench binaries and a trivial Rust binary
# (the start-up baseline), installs numpy into a virtual environment under
# target/bench/ (no system change), then prints:
#   1. project P --simulate (10,000 paths x 30 years), whole process, against
#      the NumPy implementation of the same model (benches/simulate_numpy.py,
#      OPENBLAS_* unset for its run), interleaved, and their agreement;
#   3/4. plan P against plan P --simulate;
#   6. start-up: plan P against a trivial binary, and plan on a generated
#      10,000-position profile against parsing it with the toml crate alone
#      (benches/simulate_bench.py);
#   2. the simulation in process against its floor (benches/simulate.rs);
#   5. time and peak memory against paths (to 1,000,000), positions and years
#      (benches/scale_simulate.py).
# The load average is printed first and last: the machine's other work
# slows every figure, so compare ratios measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."

# The binary we publish (`--profile dist`: fat LTO, one codegen unit);
# PROFILE=release measures the quicker-to-build one `cargo run --release` makes.
profile=${PROFILE:-dist}
cargo build --profile "$profile" --quiet
YIELDPLAN="$PWD/target/$profile/yieldplan"
export YIELDPLAN
cargo bench --no-run --quiet --bench simulate --bench toml_parse
TOML_PARSE=$(cargo bench --no-run --bench toml_parse --message-format=json 2>/dev/null |
  python3 -c 'import json,sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("executable") and m["target"]["name"] == "toml_parse": print(m["executable"])')
export TOML_PARSE
mkdir -p target/bench
rustc -O --edition 2021 -o target/bench/trivial benches/support/trivial.rs

venv=target/bench/venv
if ! "$venv/bin/python" -c 'import numpy' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet numpy
fi

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 benches/simulate_bench.py
echo
echo "2. the simulation in process against its floor (cargo bench --bench simulate)"
cargo bench --quiet --bench simulate
if [ "${SCALE:-1}" != 0 ]; then
  echo
  echo "5. scale (benches/scale_simulate.py)"
  python3 benches/scale_simulate.py
fi
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
