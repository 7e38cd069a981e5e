#!/usr/bin/env bash
# How the Monte Carlo scales (not a test), one command from the repository root:
#
#   benches/scale_simulate.sh
#   SCALE_PROFILE=profiles/early-retirement.toml benches/scale_simulate.sh
#
# Builds the published (dist) binary, then prints wall time and peak RSS of
# `project P --simulate` at 10k / 100k / 1M paths, for generated 11-,
# 50- and 200-position profiles and the shipped one, and at 10 / 30 / 60 years
# (see benches/scale_simulate.py).
set -euo pipefail
cd "$(dirname "$0")/.."
# The binary we publish (`--profile dist`: fat LTO, one codegen unit);
# PROFILE=release measures the quicker-to-build one `cargo run --release` makes.
profile=${PROFILE:-dist}
cargo build --profile "$profile" --quiet
YIELDPLAN="$PWD/target/$profile/yieldplan"
export YIELDPLAN
exec python3 benches/scale_simulate.py "$@"
