#!/usr/bin/env python3
"""Whole-process benchmark of `yieldplan plan` (a benchmark, not a test).

Run through benches/plan.sh, which builds the binaries first; or directly, from the
repository root, after `cargo build --release` and compiling benches/support/trivial.rs to
target/bench/trivial.

Targets measured:
  (a) `yieldplan plan profiles/supplemental-income.toml` within 2x of a trivial Rust
      binary that only starts and exits (both measured in the same run, interleaved);
  (b) generated profiles with 1,000 / 10,000 / 100,000 positions: 10,000 must plan in
      under 50 ms, and time should grow linearly in positions. Measured with
      `--format json` and the default table format, stdout to /dev/null.

Each command is spawned with posix_spawn (no shell) and reaped with wait4, so the
wall time is the child's life as seen by the parent and the CPU time is the child's
user + system time. Times are in milliseconds.

Options (environment):
  BENCH_RUNS       runs per command for the fast commands (default 40)
  BENCH_RUNS_100K  runs per command for the 100k profiles (default 5)
  BENCH_WARMUP     warm-up runs per command (default 3; 1 for 100k)
  BENCH_SIZES      comma-separated position counts (default 1000,10000,100000)
  BENCH_LP_SIZES   the same for liquidity-only profiles (default 1000,10000)
"""
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "benches"))
from gen_profile import generate  # noqa: E402

YIELDPLAN = os.path.join(ROOT, "target", "release", "yieldplan")
TRIVIAL = os.path.join(ROOT, "target", "bench", "trivial")
BENCH_DIR = os.path.join(ROOT, "target", "bench")
SHIPPED = "profiles/supplemental-income.toml"

RUNS = int(os.environ.get("BENCH_RUNS", "40"))
RUNS_100K = int(os.environ.get("BENCH_RUNS_100K", "5"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "3"))
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",") if s]
LP_SIZES = [int(s) for s in os.environ.get("BENCH_LP_SIZES", "1000,10000").split(",") if s]

TARGET_RATIO = 2.0
TARGET_10K_MS = 50.0


def run_once(argv):
    """Spawns argv with stdout and stderr on /dev/null; returns (wall ms, cpu ms, status)."""
    fa = [
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
    ]
    t0 = time.perf_counter_ns()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=fa)
    _, status, ru = os.wait4(pid, 0)
    t1 = time.perf_counter_ns()
    code = os.waitstatus_to_exitcode(status)
    return (t1 - t0) / 1e6, (ru.ru_utime + ru.ru_stime) * 1e3, code


class Bench:
    def __init__(self, label, argv):
        self.label = label
        self.argv = argv
        self.wall = []
        self.cpu = []

    def sample(self):
        wall, cpu, code = run_once(self.argv)
        if code != 0:
            sys.exit(f"error: `{' '.join(self.argv)}` exited with {code} during timing")
        self.wall.append(wall)
        self.cpu.append(cpu)

    def stats(self):
        return min(self.wall), statistics.median(self.wall), statistics.fmean(self.wall)

    def median(self):
        return statistics.median(self.wall)


def measure(benches, runs, warmup):
    """Warm-up, then `runs` rounds, interleaving the benches round-robin."""
    for b in benches:
        for _ in range(warmup):
            run_once(b.argv)
    for _ in range(runs):
        for b in benches:
            b.sample()


def validate(argv, expect_positions=None):
    """Runs once, checks exit code 0 (and the JSON position count when given)."""
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.stderr.write(p.stderr.decode(errors="replace")[:4000])
        sys.exit(f"error: `{' '.join(argv)}` exited with {p.returncode}; fix the profile before timing")
    if expect_positions is not None:
        doc = json.loads(p.stdout)
        got = len(doc["positions"])
        if got != expect_positions:
            sys.exit(f"error: `{' '.join(argv)}` planned {got} positions, expected {expect_positions}")
        if doc.get("problems") or doc.get("errors"):
            sys.exit(f"error: `{' '.join(argv)}` reported problems")
    elif not p.stdout:
        sys.exit(f"error: `{' '.join(argv)}` printed nothing")


def row(b):
    mn, med, mean = b.stats()
    cpu = statistics.median(b.cpu)
    return f"  {b.label:<34} {len(b.wall):>5} {mn:>10.3f} {med:>10.3f} {mean:>10.3f} {cpu:>10.3f}"


def header():
    return f"  {'command':<34} {'runs':>5} {'min ms':>10} {'median ms':>10} {'mean ms':>10} {'cpu ms':>10}"


def verdict(ok):
    return "PASS" if ok else "MISS"


def main():
    os.chdir(ROOT)
    for exe in (YIELDPLAN, TRIVIAL):
        if not os.access(exe, os.X_OK):
            sys.exit(f"error: {exe} is missing; run benches/plan.sh (it builds both binaries)")
    os.makedirs(BENCH_DIR, exist_ok=True)

    started = time.perf_counter()

    # Generate and validate the large profiles before any timing.
    profiles = {}
    for n in SIZES:
        path = os.path.join(BENCH_DIR, f"positions-{n}.toml")
        text = generate(n)
        with open(path, "w") as f:
            f.write(text)
        profiles[n] = os.path.relpath(path, ROOT)
        validate([YIELDPLAN, "plan", profiles[n], "--format", "json"], expect_positions=n)
        validate([YIELDPLAN, "plan", profiles[n]])
    # Liquidity-only profiles: every position integrates an expected IL.
    lp_profiles = {}
    for n in LP_SIZES:
        path = os.path.join(BENCH_DIR, f"liquidity-{n}.toml")
        with open(path, "w") as f:
            f.write(generate(n, liquidity=True))
        lp_profiles[n] = os.path.relpath(path, ROOT)
        validate([YIELDPLAN, "plan", lp_profiles[n], "--format", "json"], expect_positions=n)
    validate([YIELDPLAN, "plan", SHIPPED])
    validate([YIELDPLAN, "plan", SHIPPED, "--format", "json"])
    print(f"generated and checked {len(SIZES)} profiles in {BENCH_DIR} (all exit 0)\n")

    # (a) start-up: trivial binary vs the shipped profile, interleaved.
    trivial = Bench("trivial (rustc -O, empty main)", [TRIVIAL])
    shipped_table = Bench("plan supplemental-income (table)", [YIELDPLAN, "plan", SHIPPED])
    shipped_json = Bench("plan supplemental-income (json)", [YIELDPLAN, "plan", SHIPPED, "--format", "json"])
    measure([trivial, shipped_table, shipped_json], max(RUNS, 30) * 2, WARMUP * 2)

    print("(a) shipped profile vs trivial binary")
    print(header())
    for b in (trivial, shipped_table, shipped_json):
        print(row(b))
    ratio_t = shipped_table.median() / trivial.median()
    ratio_j = shipped_json.median() / trivial.median()
    ratio_t_min = shipped_table.stats()[0] / trivial.stats()[0]
    print(f"  ratio yieldplan/trivial (median): table {ratio_t:.2f}x, json {ratio_j:.2f}x "
          f"(min/min table {ratio_t_min:.2f}x); target <= {TARGET_RATIO:.0f}x: "
          f"{verdict(max(ratio_t, ratio_j) <= TARGET_RATIO)}\n")

    # (b) scaling with positions.
    scale = {}
    for n in SIZES:
        runs, warm = (RUNS_100K, 1) if n >= 100000 else (RUNS, WARMUP)
        j = Bench(f"plan {n} positions (json)", [YIELDPLAN, "plan", profiles[n], "--format", "json"])
        t = Bench(f"plan {n} positions (table)", [YIELDPLAN, "plan", profiles[n]])
        measure([j, t], runs, warm)
        scale[n] = (j, t)

    print("(b) generated profiles, stdout to /dev/null")
    print(header())
    for n in SIZES:
        for b in scale[n]:
            print(row(b))

    base = {"json": shipped_json.median(), "table": shipped_table.median()}
    print("\n  time per position (median; raw = total/N, marginal = (total - shipped profile)/N)")
    print(f"  {'positions':>10} {'json us/pos':>12} {'json marg':>10} {'table us/pos':>13} {'table marg':>11}")
    for n in SIZES:
        j, t = scale[n]
        print(f"  {n:>10} {j.median() * 1e3 / n:>12.2f} {(j.median() - base['json']) * 1e3 / n:>10.2f}"
              f" {t.median() * 1e3 / n:>13.2f} {(t.median() - base['table']) * 1e3 / n:>11.2f}")
    for a, b in zip(SIZES, SIZES[1:]):
        f = b / a
        gj = scale[b][0].median() / scale[a][0].median()
        gt = scale[b][1].median() / scale[a][1].median()
        print(f"  growth {a} -> {b} ({f:.0f}x positions): json {gj:.1f}x, table {gt:.1f}x "
              f"(linear = {f:.0f}x) -> {verdict(max(gj, gt) <= f * 1.25)}")
    if 10000 in scale:
        j, t = scale[10000]
        print(f"  10,000 positions vs {TARGET_10K_MS:.0f} ms target: json {j.median():.1f} ms "
              f"({verdict(j.median() < TARGET_10K_MS)}), table {t.median():.1f} ms "
              f"({verdict(t.median() < TARGET_10K_MS)})")

    # (c) liquidity positions: expected IL integrated per distinct pool and pair.
    lp = {}
    for n in LP_SIZES:
        b = Bench(f"plan {n} liquidity positions (json)", [YIELDPLAN, "plan", lp_profiles[n], "--format", "json"])
        measure([b], RUNS, WARMUP)
        lp[n] = b
    if lp:
        print("\n(c) liquidity-only profiles (constant-product, weighted, 50 ranges, 10 StableSwap amplifications)")
        print(header())
        for n in LP_SIZES:
            print(row(lp[n]))
            if n in scale:
                print(f"  {n} liquidity positions vs {n} mixed positions (json): "
                      f"{lp[n].median() / scale[n][0].median():.2f}x")

    print(f"\nbenchmark took {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
