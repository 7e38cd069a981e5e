#!/usr/bin/env python3
"""How `yieldplan project P --simulate` scales (a benchmark, not a test): wall
time and peak memory (RSS, from /usr/bin/time -v) of the whole process
against the number of paths (10k / 100k / 200k / 1M), positions (generated 11-, 50-
and 200-position profiles, benches/gen_profile.py, each position one of its
11 kinds in turn; the shipped profile last, against the same base) and years
(10 / 30 / 60; 100 years of the shipped profile pass the
simulation's limit on amounts and are refused). "size x" and "time x" are against the first row of each
group.
Time should grow about linearly in each (past the fixed start-up), and
memory stay bounded at 1,000,000 paths x 30 years. Past 3,000,000
path-years a run keeps no paths and runs them again to select its exact
percentiles (a pilot of its first paths, then one pass up to about 200,000
paths x 30 years, two beyond), so its time per path steps up about twofold
past that size (200k against 1M paths).

Run through benches/scale_simulate.sh (which builds the binary first).
Environment: SCALE_PROFILE (default profiles/supplemental-income.toml),
SCALE_RUNS (runs per small case, median; default 3; the 1M case runs once).
"""
import os
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "benches"))
from gen_profile import generate  # noqa: E402

# The binary measured: the published build (`--profile dist`) unless the
# calling script names another with YIELDPLAN.
YIELDPLAN = os.environ.get("YIELDPLAN", os.path.join(ROOT, "target", "dist", "yieldplan"))
PROFILE = os.environ.get("SCALE_PROFILE", "profiles/supplemental-income.toml")
RUNS = int(os.environ.get("SCALE_RUNS", "3"))


def measure(profile, paths, years):
    """(median wall s, median CPU s, max peak RSS MB) of `project --simulate` on profile."""
    argv = ["/usr/bin/time", "-v", YIELDPLAN, "project", profile, "--simulate",
            "--paths", str(paths), "--years", str(years), "--format", "json"]
    walls, cpus, rss = [], [], 0.0
    for _ in range(1 if paths * years >= 10_000_000 else RUNS):
        start = time.perf_counter()
        out = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        walls.append(time.perf_counter() - start)
        if out.returncode not in (0, 1):
            sys.exit(f"failed ({out.returncode}): {' '.join(argv)}\n{out.stderr}")
        user = re.search(r"User time \(seconds\): ([\d.]+)", out.stderr)
        system = re.search(r"System time \(seconds\): ([\d.]+)", out.stderr)
        cpus.append(float(user.group(1)) + float(system.group(1)) if user and system else float("nan"))
        kb = re.search(r"Maximum resident set size \(kbytes\): (\d+)", out.stderr)
        rss = max(rss, int(kb.group(1)) / 1024 if kb else float("nan"))
    return statistics.median(walls), statistics.median(cpus), rss


def positions_of(profile):
    out = subprocess.run([YIELDPLAN, "plan", profile, "--format", "json"], capture_output=True, cwd=ROOT)
    import json
    return len(json.loads(out.stdout)["positions"])


def main():
    os.chdir(ROOT)
    os.makedirs("target/bench", exist_ok=True)
    generated = {}
    for n in (11, 50, 200):
        path = f"target/bench/simulate-{n}-positions.toml"
        with open(path, "w") as f:
            f.write(generate(n))
        generated[n] = path
    shipped_positions = positions_of(PROFILE)
    cases = [
        ("paths", PROFILE, shipped_positions, 10_000, 30),
        ("paths", PROFILE, shipped_positions, 100_000, 30),
        ("paths", PROFILE, shipped_positions, 200_000, 30),
        ("paths", PROFILE, shipped_positions, 1_000_000, 30),
        ("positions", generated[11], 11, 10_000, 30),
        ("positions", generated[50], 50, 10_000, 30),
        ("positions", generated[200], 200, 10_000, 30),
        ("positions", PROFILE, shipped_positions, 10_000, 30),
        ("years", PROFILE, shipped_positions, 10_000, 10),
        ("years", PROFILE, shipped_positions, 10_000, 30),
        ("years", PROFILE, shipped_positions, 10_000, 60),
    ]
    print(f"project P --simulate, whole process; P = {PROFILE} unless named; "
          f"{os.cpu_count()} cores; median of {RUNS} runs (1 run at 1M paths)")
    header = ["vary", "profile", "positions", "paths", "years", "wall s", "cpu s", "peak RSS MB",
              "size x", "time x", "ns / path-year-position"]
    rows, base, done = [], {}, {}
    for vary, profile, npos, paths, years in cases:
        key = (profile, paths, years)
        if key not in done:
            done[key] = measure(profile, paths, years)
        wall, cpu, rss = done[key]
        size = paths * years * npos
        b = base.setdefault(vary, (size, wall))
        rows.append([vary, os.path.basename(profile), npos, f"{paths:,}", years, f"{wall:.3f}", f"{cpu:.2f}", f"{rss:.1f}",
                     f"{size / b[0]:.1f}", f"{wall / b[1]:.1f}", f"{wall * 1e9 / size:.1f}"])
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    for r in [header] + rows:
        print("  " + "  ".join(str(c).rjust(w) if i > 1 else str(c).ljust(w)
                               for i, (c, w) in enumerate(zip(r, widths))))


if __name__ == "__main__":
    main()
