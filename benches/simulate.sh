#!/usr/bin/env bash
# Monte Carlo benchmark (not a test): the Rust simulation against its floor and
# against a NumPy implementation of the same simulation, vectorised over paths.
# Installs numpy into a virtual environment under target/ (no system change).
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/bench/venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet numpy
fi

rust_out=$(cargo bench --quiet --bench simulate 2>/dev/null | tail -4)
echo "$rust_out"
rust_s=$(echo "$rust_out" | sed -n 's/^simulation: \([0-9.]*\) s.*/\1/p')

np_out=$("$venv/bin/python" benches/simulate_numpy.py 3)
echo "$np_out" | head -1
np_s=$(echo "$np_out" | tail -1)

python3 - "$rust_s" "$np_s" <<'PY'
import sys
rust, numpy = float(sys.argv[1]), float(sys.argv[2])
ratio = numpy / rust
print(f"numpy / rust: {ratio:.1f}x (target >= 20x): {'PASS' if ratio >= 20 else 'MISS'}")
PY
