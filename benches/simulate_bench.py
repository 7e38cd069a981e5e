#!/usr/bin/env python3
"""Whole-process benchmark of the Monte Carlo (a benchmark, not a test).

Run through benches/simulate.sh, which builds the binaries and the NumPy
venv first. For EVERY shipped profile (profiles/*.toml):

  (1) `yieldplan project P --simulate` (10,000 paths x 30 years), whole
      process: target <= 60 ms median; and against the NumPy implementation
      of the same model (benches/simulate_numpy.py): target >= 20x. The two
      are run in turn (rust, numpy, rust, numpy, ...) and the ratio is the
      median of the pairs' ratios. HOW EACH IS TIMED: the Rust figure is the
      whole process (start, read the profile and the rate book, plan,
      simulate, render); the NumPy figure is its model alone, in process,
      median of 3 calls (interpreter start-up, `import numpy` and loading
      the inputs NOT counted), which favours NumPy;
  (1b) agreement of the two: final median value and success probability
      (each with its standard error), as differences in combined standard
      errors (|z| <= 3 is agreement; NumPy's figures are the mean of 3
      runs with seeds S, S+1, S+2; the median's error from NumPy's order
      statistics, one run's assumed alike for the binary's);
  (3/4) `plan P` against `plan P --simulate`, interleaved: target
      plan --simulate <= 2 x plan + 60 ms;
  (6) start-up: `plan P` against a trivial Rust binary that only starts and
      exits, interleaved: target <= 2x; and `plan` on a generated
      10,000-position profile against parsing the same file with the `toml`
      crate alone (benches/toml_parse.rs, path in TOML_PARSE): target <= 2x.

Each command is spawned with posix_spawn (no shell), stdout and stderr on
/dev/null, and reaped with wait4; times are wall milliseconds of the child's
life (the verdicts), with its CPU milliseconds (user + system, all threads)
beside the Monte Carlo's: a loaded machine stretches the wall time of a
2-thread run far more than its CPU time. Environment: BENCH_RUNS (default 11), BENCH_NUMPY_RUNS (pairs with
NumPy, default 5), BENCH_PROFILES (comma-separated paths; default
profiles/*.toml), VENV_PYTHON (the python with numpy; default
target/bench/venv/bin/python), TOML_PARSE (the toml-only parser binary).
"""
import glob
import json
import math
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The binary measured: the published build (`--profile dist`) unless the
# calling script names another with YIELDPLAN.
YIELDPLAN = os.environ.get("YIELDPLAN", os.path.join(ROOT, "target", "dist", "yieldplan"))
TRIVIAL = os.path.join(ROOT, "target", "bench", "trivial")
sys.path.insert(0, os.path.join(ROOT, "benches"))
from gen_profile import generate  # noqa: E402

TOML_PARSE = os.environ.get("TOML_PARSE", "")
PYTHON = os.environ.get("VENV_PYTHON", os.path.join(ROOT, "target", "bench", "venv", "bin", "python"))
RUNS = int(os.environ.get("BENCH_RUNS", "11"))
NUMPY_RUNS = int(os.environ.get("BENCH_NUMPY_RUNS", "5"))
PROFILES = [p for p in os.environ.get("BENCH_PROFILES", "").split(",") if p] or sorted(
    os.path.relpath(p, ROOT) for p in glob.glob(os.path.join(ROOT, "profiles", "*.toml")))

TARGET_MS = 60.0
TARGET_VS_NUMPY = 20.0
TARGET_PLAN_FACTOR, TARGET_PLAN_PLUS_MS = 2.0, 60.0
TARGET_STARTUP = 2.0


def run_once(argv):
    """Wall milliseconds of one run of argv, output discarded; exits on failure."""
    fa = [(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
          (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)]
    t0 = time.perf_counter_ns()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=fa)
    _, status, usage = os.wait4(pid, 0)
    ms = (time.perf_counter_ns() - t0) / 1e6
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        sys.exit(f"failed: {' '.join(argv)}")
    CPU_MS.setdefault(tuple(argv), []).append((usage.ru_utime + usage.ru_stime) * 1e3)
    return ms


# CPU milliseconds (user + system) of every run, by command: on a loaded
# machine the wall time of a 2-thread run stretches, its CPU time much less.
CPU_MS = {}


def cpu(argv):
    """Median CPU ms of the runs of argv so far."""
    return statistics.median(CPU_MS[tuple(argv)])


def medians(commands, runs, warmup=1):
    """Median wall ms of each command, the commands interleaved run by run."""
    for argv in commands:
        for _ in range(warmup):
            run_once(argv)
    times = [[] for _ in commands]
    for _ in range(runs):
        for i, argv in enumerate(commands):
            times[i].append(run_once(argv))
    return [statistics.median(t) for t in times]


def verdict(ok):
    return "PASS" if ok else "MISS"


def numpy_model(profile, runs=3):
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENBLAS_")}
    out = subprocess.run([PYTHON, os.path.join(ROOT, "benches", "simulate_numpy.py"), profile,
                          "--runs", str(runs)], check=True, capture_output=True, env=env, cwd=ROOT)
    return json.loads(out.stdout)


def rust_against_numpy(profile):
    """Median Rust whole-process ms, median NumPy model ms, median of the
    pairs' ratios (NumPy / Rust), and the last NumPy result."""
    argv = [YIELDPLAN, "project", profile, "--simulate"]
    run_once(argv)
    rust, numpy, ratios, out = [], [], [], None
    for _ in range(NUMPY_RUNS):
        r = statistics.median(run_once(argv) for _ in range(3))
        out = numpy_model(profile)
        rust.append(r)
        numpy.append(out["ms"])
        ratios.append(out["ms"] / r)
    return statistics.median(rust), statistics.median(numpy), statistics.median(ratios), out


def rust_simulation(profile):
    out = subprocess.run([YIELDPLAN, "project", profile, "--simulate", "--format", "json"],
                         check=True, capture_output=True, cwd=ROOT)
    return json.loads(out.stdout)


def z(a, b, se):
    return (a - b) / se if se > 0 else (0.0 if a == b else math.inf)


def table(title, header, rows):
    print(f"\n{title}")
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    for r in [header] + rows:
        print("  " + "  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(r, widths))))


def main():
    os.chdir(ROOT)
    print(f"threads: {os.cpu_count()} cores; runs per command: {RUNS} (median); NumPy model runs: {NUMPY_RUNS}")
    sim_rows, agree_rows, plan_rows = [], [], []
    for p in PROFILES:
        rust_ms, = medians([[YIELDPLAN, "project", p, "--simulate"]], RUNS)
        _, np_ms, ratio, np_out = rust_against_numpy(p)
        sim_rows.append([p, f"{rust_ms:.1f}", f"{cpu([YIELDPLAN, 'project', p, '--simulate']):.1f}",
                         f"{np_ms:.1f}", f"{ratio:.1f}x",
                         f"{verdict(rust_ms <= TARGET_MS)} / {verdict(ratio >= TARGET_VS_NUMPY)}"])
        rs = rust_simulation(p)
        r_med, n_med = rs["value"][-1]["p50"], np_out["median_value"]
        # The binary's median has about the error of one NumPy run's.
        med_z = z(r_med, n_med, math.hypot(np_out["median_value_se_per_run"], np_out["median_value_se"]))
        r_succ, n_succ = rs["success_probability"], np_out["success_probability"]
        if r_succ is None or n_succ is None:
            succ, succ_z = "no goal phase", 0.0
        else:
            r_se, n_se = rs["success_standard_error"], np_out["success_standard_error"]
            succ_z = z(r_succ, n_succ, math.hypot(r_se, n_se))
            succ = f"{r_succ:.4f} ± {r_se:.4f} / {n_succ:.4f} ± {n_se:.4f} (z {succ_z:+.1f})"
        agree_rows.append([p, f"{r_med:,.0f} / {n_med:,.0f} (z {med_z:+.1f})", succ,
                           verdict(abs(med_z) <= 3 and abs(succ_z) <= 3)])
        plan_ms, plan_sim_ms = medians([[YIELDPLAN, "plan", p], [YIELDPLAN, "plan", p, "--simulate"]], RUNS)
        limit = TARGET_PLAN_FACTOR * plan_ms + TARGET_PLAN_PLUS_MS
        plan_rows.append([p, f"{plan_ms:.1f}", f"{plan_sim_ms:.1f}",
                          f"{cpu([YIELDPLAN, 'plan', p, '--simulate']):.1f}", f"{limit:.1f}",
                          verdict(plan_sim_ms <= limit)])

    table("1. project P --simulate, 10,000 paths x 30 years (target <= 60 ms and >= 20x NumPy); "
          "rust: whole process, median; numpy: its model alone in process; ratio: median of interleaved pairs",
          ["profile", "rust ms", "rust cpu ms", "numpy ms", "numpy/rust", "<= 60 ms / >= 20x"], sim_rows)
    table("1b. agreement, rust / numpy: final median value, success probability ± its standard error (|z| <= 3)",
          ["profile", "median value (year 30)", "success probability", "agree"], agree_rows)
    table("3/4. plan P vs plan P --simulate, interleaved (target: plan --simulate <= 2 x plan + 60 ms)",
          ["profile", "plan ms", "plan --simulate ms", "its cpu ms", "limit ms", "verdict"], plan_rows)

    shipped = "profiles/supplemental-income.toml" if "profiles/supplemental-income.toml" in PROFILES else PROFILES[0]
    startup_runs = max(RUNS, 30)
    trivial_ms, plan_ms = medians([[TRIVIAL], [YIELDPLAN, "plan", shipped]], startup_runs, warmup=3)
    rows = [["trivial", f"{trivial_ms:.2f}", "", ""],
            [f"plan {shipped}", f"{plan_ms:.2f}", f"{plan_ms / trivial_ms:.2f}x",
             verdict(plan_ms / trivial_ms <= TARGET_STARTUP)]]
    if TOML_PARSE:
        big = os.path.join(ROOT, "target", "bench", "positions-10000.toml")
        with open(big, "w") as f:
            f.write(generate(10_000))
        rel = os.path.relpath(big, ROOT)
        parse_ms, big_ms, check_ms = medians(
            [[TOML_PARSE, big], [YIELDPLAN, "plan", big], [YIELDPLAN, "check", big]], RUNS, warmup=2)
        rows += [[f"toml crate alone: parse {rel}", f"{parse_ms:.2f}", "", ""],
                 [f"plan {rel}", f"{big_ms:.2f}", f"{big_ms / parse_ms:.2f}x",
                  verdict(big_ms / parse_ms <= TARGET_STARTUP)],
                 [f"check {rel} (the same work, a one-line output)", f"{check_ms:.2f}",
                  f"{check_ms / parse_ms:.2f}x", verdict(check_ms / parse_ms <= TARGET_STARTUP)]]
    table(f"6. start-up, interleaved, median of {startup_runs} (trivial) / {RUNS} (10,000 positions) (target <= 2x)",
          ["command", "ms", "ratio", "verdict"], rows)
    print(f"\nnumpy {np_out['numpy']} (OPENBLAS_* unset for its run).")


if __name__ == "__main__":
    main()
