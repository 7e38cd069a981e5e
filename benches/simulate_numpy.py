#!/usr/bin/env python3
"""A NumPy implementation of yieldplan's yearly Monte Carlo, vectorised over
paths, for the benchmark comparison (benches/simulate.sh). Not a test.

Same model as `yieldplan project PROFILE --simulate` (README, "The model in
one page"): every path steps yearly through the same one-year step (income
on the start value, tax, prices, impermanent loss, protocol losses, then the
year-end flows: reinvestment and the indexed contribution before the income
phase; the indexed goal paid from income first and capital after, the
reinvested share of any surplus, in it; yearly rebalancing back to the target
weights, or "never": each position keeps its own growth). Each year draws the
assets' correlated, exactly lognormal price factors, ONE yield quantile per
path shared by all positions (low→mid→high linear), and one uniform per
protocol for its loss event, shared by every position and stacked layer on
it (one per layer naming no protocol); a position whose protocols fail
together loses 1 − Π(1 − loss). Each path records its value and gross
income per year, whether the goal was paid in full, depletion and the years
until the sustainable income covers the goal; the summary takes the 5/25/50/
75/95th percentiles of value and income for every year (nearest rank).

Pools are valued exactly by their maths from the two price factors:
constant product `sqrt(r)`, weighted `r^w`, concentrated ranges by their
token amounts; StableSwap pools from a TABLE of the invariant's value against
ln(price ratio), built once per run (the curve is traced parametrically in
the balance x, no solving) and read with linear interpolation.

The inputs come from the binary, not from re-resolving the profile:
  - `yieldplan plan PROFILE --format json`: each position's amount (so the
    index expansion, weights and screening are the binary's), paid-out yield
    band, each risk source (protocol, loss probability, loss given the
    event), pool shape, the goal and the
    sustainable income;
  - `yieldplan rates --format json`: volatilities, expected returns (median
    yearly price change), asset classes and correlations;
  - from the profile file itself only the scalars the plan report does not
    print: `[assumptions]` (tax_rate, inflation, reinvest,
    annual_contribution, rebalance), the goal's payout frequency (monthly or
    annual) and any `[assets.X]` volatility / expected_return overrides.

The generator is NumPy's PCG64 (its random streams differ from the Rust
Xoshiro256++ streams, so results agree in distribution, not path by path).

Usage (from the repository root, after `cargo build --profile dist`, or with YIELDPLAN naming a binary):

    python3 benches/simulate_numpy.py PROFILE [--paths N] [--years N]
        [--seed S] [--runs R]

Prints one JSON object: the median wall time of the model over R runs in ms
(`ms`, loading the inputs excluded: the binary calls and the interpreter's
start-up are not counted), the final year's median value and its standard
error (from the order statistics) and the success probability and its
standard error, each the mean of the R runs (seeds S, S+1, ...; the errors
divided by sqrt(R)), and the last run's other figures.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import tomllib

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("YIELDPLAN", os.path.join(ROOT, "target", "dist", "yieldplan"))


# ---------------------------------------------------------------- inputs


def run_json(*args):
    out = subprocess.run([BIN, *args, "--format", "json"], check=True, capture_output=True)
    return json.loads(out.stdout)


def fraction(v, default):
    """A profile rate: "15%" or a number (a fraction)."""
    if v is None:
        return default
    if isinstance(v, str):
        s = v.strip()
        return float(s[:-1]) / 100.0 if s.endswith("%") else float(s)
    return float(v)


def cholesky(corr):
    """yieldplan's Cholesky factor of a positive semi-definite correlation
    matrix: an asset that moves as a combination of earlier ones gets a zero
    pivot (the binary refuses a matrix that is not semi-definite)."""
    n = len(corr)
    tol = 1e-9
    l = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1):
            c = 1.0 if i == j else corr[i][j]
            s = sum(l[i][k] * l[j][k] for k in range(j))
            if i == j:
                d = c - s
                if d < -tol:
                    raise SystemExit("correlations that cannot all hold together")
                l[i][i] = 0.0 if d <= tol * tol else d ** 0.5
            elif l[j][j] > 0.0:
                l[i][j] = (c - s) / l[j][j]
            elif abs(c - s) > tol ** 0.5:
                raise SystemExit("correlations that cannot all hold together")
    return np.array(l)


def correlation(book, a, b):
    """The rate book's correlation of two held assets (rates/book.rs)."""
    assets, corr = book["assets"], {k: v["value"] for k, v in book["correlations"].items()}
    cls = lambda s: assets.get(s, {}).get("class")
    stable_a, stable_b = cls(a) == "stablecoin", cls(b) == "stablecoin"
    if stable_a and stable_b:
        return corr.get("stablecoins", 0.0)
    if stable_a or stable_b:
        return 0.0
    pair = lambda x, y: corr.get(f"{x}/{y}", corr.get(f"{y}/{x}"))
    ua = assets.get(a, {}).get("underlying") or a
    ub = assets.get(b, {}).get("underlying") or b
    for v in (pair(a, b), 1.0 if ua == ub else None, pair(ua, ub), corr.get("default")):
        if v is not None:
            return v
    return 0.0


def stable_table(amp, n=20001):
    """StableSwap value against ln r, traced along the invariant
    `4A(x+y) + D = 4AD + D³/(4xy)` (D = 2, entry balances 1 and 1) by the
    balance x: y(x) and the marginal price p(x) are closed forms, p falls as
    x grows. Returns (ln r ascending, LP value relative to entry)."""
    d = 2.0
    t = np.concatenate([np.linspace(-30, -3, n // 4), np.linspace(-3, 3, n // 2), np.linspace(3, 30, n // 4)])
    x = np.exp(t)
    b = 4.0 * x * (4.0 * amp * x + d - 4.0 * amp * d)
    disc = np.sqrt(b * b + 64.0 * amp * x * d**3)
    with np.errstate(divide="ignore", invalid="ignore"):
        y = np.where(b >= 0, 2.0 * d**3 / (b + disc), (disc - b) / (32.0 * amp * x))
    k = d**3 / 4.0
    p = (4.0 * amp + k / (x * x * y)) / (4.0 * amp + k / (x * y * y))
    lnp = np.log(p)
    order = np.argsort(lnp)
    lnp, x, y, p = lnp[order], x[order], y[order], p[order]
    keep = np.concatenate([[True], np.diff(lnp) > 0])
    return lnp[keep], ((x * p + y) / 2.0)[keep]


def load(profile):
    """The model inputs of `profile`, mostly from the binary's own output."""
    plan = run_json("plan", profile)
    book = run_json("rates")
    with open(profile, "rb") as f:
        raw = tomllib.load(f)
    assume = raw.get("assumptions", {})
    own = raw.get("assets", {})
    goal_raw = raw.get("goal", {})
    freq = 12 if "monthly_income" in goal_raw else 1

    names, positions, protocols = [], [], []

    def source(protocol):
        """The loss draw of a protocol (shared), or a new one for a layer naming none."""
        if protocol is None or protocol not in protocols:
            protocols.append(protocol)
            return len(protocols) - 1
        return protocols.index(protocol)

    def index(s):
        if s not in names:
            names.append(s)
        return names.index(s)

    for p in plan["positions"]:
        paid = np.array([p["paid_out_rate"][k] for k in ("low", "mid", "high")], dtype=float)
        if p["screened"]:
            paid = np.zeros(3)
        # Reinvested at each of f payments, the paid-out rate f·q compounds to (1+q)^f − 1.
        compound = (1.0 + paid / freq) ** freq - 1.0
        events = [(source(r["protocol"]), float(r["loss_probability"]),
                   min(max(float(r["loss_given_event"]), 0.0), 1.0))
                  for r in p["risk"]["sources"] if float(r["loss_probability"]) > 0]
        pos = {"amount": float(p["amount"]), "paid": paid, "compound": compound,
               "events": events, "asset": None, "pair": None}
        liq = p.get("liquidity")
        if p["pair"] and liq:
            a, b = index(p["pair"][0]), index(p["pair"][1])
            shape = liq["pool"]
            if shape == "constant-product":
                pool, share = ("cp", None), 0.5
            elif shape == "weighted":
                w = liq["weight"]
                w = w[0] if isinstance(w, list) else w
                pool, share = ("weighted", float(w)), float(w)
            elif shape == "concentrated":
                lo, hi = (float(v) for v in liq["range"])
                x0, y0 = 1 - 1 / hi**0.5, 1 - lo**0.5
                pool, share = ("range", (lo, hi)), x0 / (x0 + y0)
            elif shape == "stable":
                pool, share = ("stable", stable_table(float(liq["amplification"]))), 0.5
            else:
                raise SystemExit(f"unknown pool shape {shape}")
            pos["pair"] = (a, b, pool, share)
            pos["ratio_volatility"] = float(liq["ratio_volatility"])
        elif p["asset"]:
            pos["asset"] = index(p["asset"])
        positions.append(pos)

    vol, drift = [], []
    for n in names:
        facts = book["assets"].get(n, {})
        sigma = (facts.get("volatility") or book.get("unknown_asset", {}).get("volatility") or {}).get("value", 0.0)
        g = (facts.get("expected_return") or {}).get("value", 0.0)
        if n in own:
            sigma = fraction(own[n].get("volatility"), sigma)
            g = fraction(own[n].get("expected_return"), g)
        vol.append(float(sigma))
        drift.append(np.log(max(1.0 + float(g), sys.float_info.min)))
    corr = [[1.0 if a == b else correlation(book, a, b) for b in names] for a in names]
    scaled = cholesky(corr) * np.array(vol)[:, None] if names else np.zeros((0, 0))

    value = float(plan["portfolio"]["value"])
    goal = plan.get("goal")
    tax = fraction(assume.get("tax_rate"), 0.0)
    sustainable = plan["totals"]["sustainable_annual_income"] / value
    # A pool's price ratio moves with the plan's ratio volatility: the assets'
    # shock to it scaled, or a normal of its own when the assets do not move
    # against each other (the binary's rule).
    own_draws = 0
    for pos in positions:
        if pos["pair"] is None:
            continue
        a, b = pos["pair"][0], pos["pair"][1]
        planned = pos["ratio_volatility"]
        natural = float(np.sqrt(((scaled[a] - scaled[b]) ** 2).sum())) if names else 0.0
        if abs(planned - natural) <= 1e-9 * max(planned, 1e-3):
            pos["ratio"] = ("assets",)
        elif natural > 1e-12:
            pos["ratio"] = ("scaled", planned / natural)
        else:
            pos["ratio"] = ("own", planned, own_draws)
            own_draws += 1
    return {
        "drift": np.array(drift), "scaled": scaled, "positions": positions,
        "targets": np.array([p["amount"] / value for p in positions]), "value": value,
        "tax": tax, "inflation": fraction(assume.get("inflation"), 0.03),
        "reinvest": fraction(assume.get("reinvest"), 0.0),
        "contribution": float(assume.get("annual_contribution", 0)),
        "rebalance": assume.get("rebalance", "yearly") == "yearly",
        "goal": (float(goal["annual_target"]["min"]), int(goal["starts_in_years"]), bool(goal["after_tax"]))
        if goal else None,
        "sustainable": sustainable, "sources": len(protocols), "own_draws": own_draws,
    }


# ---------------------------------------------------------------- model


def pool_values(pool, r):
    """LP value and holding value at price ratio r, relative to entry."""
    kind, arg = pool
    if kind == "cp":
        return np.sqrt(r), 0.5 * (1.0 + r)
    if kind == "weighted":
        return r**arg, arg * r + 1.0 - arg
    if kind == "range":
        a, b = arg
        sa, sb = a**0.5, b**0.5
        sp = np.sqrt(np.clip(r, a, b))
        x, y = 1.0 / sp - 1.0 / sb, sp - sa
        x0, y0 = 1.0 - 1.0 / sb, 1.0 - sa
        v0 = x0 + y0
        return (x * r + y) / v0, (x0 * r + y0) / v0
    lnr, lp = arg
    return np.interp(np.log(r), lnr, lp), 0.5 * (1.0 + r)


def quantile(band, u):
    """Yield at quantile u (paths × 1) of bands (positions × 3)."""
    lo, mid, hi = band[:, 0], band[:, 1], band[:, 2]
    return np.where(u < 0.5, lo + (mid - lo) * 2.0 * u, mid + (hi - mid) * (2.0 * u - 1.0))


def nearest_rank(xs, qs):
    """Nearest-rank percentiles of each row of xs (years × paths)."""
    n = xs.shape[1]
    idx = [min(max(int(np.ceil(q * n)), 1), n) - 1 for q in qs]
    return np.partition(xs, idx, axis=1)[:, idx]


def median_years(to_goal):
    """The paths' median years to the goal; None when fewer than half get there."""
    m = int(np.partition(to_goal, len(to_goal) // 2)[len(to_goal) // 2])
    return None if m == np.iinfo(np.int64).max else m


def simulate(s, paths, years, rng):
    pos = s["positions"]
    n, k = len(pos), len(s["drift"])
    paid_band = np.array([p["paid"] for p in pos])
    comp_band = np.array([p["compound"] for p in pos])
    sources = s["sources"]
    targets = s["targets"]
    values = np.tile(targets * s["value"], (paths, 1))
    value_rec = np.empty((years, paths))
    income_rec = np.empty((years, paths))
    paid_all = np.ones(paths, dtype=bool)
    depleted_any = np.zeros(paths, dtype=bool)
    to_goal = np.full(paths, np.iinfo(np.int64).max)
    price = np.ones((paths, n))
    il = np.zeros((paths, n))
    goal = s["goal"]
    basis = None
    if goal:
        basis = s["sustainable"] * (1.0 - s["tax"]) if goal[2] else s["sustainable"]
    index = 1.0
    phase_years = 0
    for year in range(years):
        if goal:
            covers = values.sum(axis=1) * basis >= goal[0] * index
            to_goal = np.where((to_goal == np.iinfo(np.int64).max) & covers, year, to_goal)
        z = rng.standard_normal((paths, k))
        own_z = rng.standard_normal((paths, s["own_draws"]))
        shock = z @ s["scaled"].T
        factor = np.exp(s["drift"] + shock)
        u = rng.random((paths, 1))
        draws = rng.random((paths, sources))
        lost = np.zeros((paths, n))
        for i, p in enumerate(pos):
            for src, chance, share in p["events"]:
                hit = draws[:, src] < chance
                lost[:, i] = np.where(hit, lost[:, i] + share - lost[:, i] * share, lost[:, i])
        for i, p in enumerate(pos):
            if p["asset"] is not None:
                price[:, i] = factor[:, p["asset"]]
            elif p["pair"] is not None:
                a, b, pool, share = p["pair"]
                fa, fb = factor[:, a], factor[:, b]
                price[:, i] = share * fa + (1.0 - share) * fb
                centre = s["drift"][a] - s["drift"][b]
                mode = p["ratio"]
                if mode[0] == "assets":
                    r = fa / fb
                elif mode[0] == "scaled":
                    r = np.exp(centre + mode[1] * (shock[:, a] - shock[:, b]))
                else:
                    r = np.exp(centre + mode[1] * own_z[:, mode[2]])
                lp, hold = pool_values(pool, r)
                il[:, i] = lp / hold - 1.0
        payout = None
        if goal and year >= goal[1]:
            target = goal[0] * index
            payout = target if goal[2] else target * (1.0 - s["tax"])
        paid_rate = quantile(paid_band, u)
        if payout is not None:
            rate = paid_rate
        else:
            rate = s["reinvest"] * quantile(comp_band, u) + (1.0 - s["reinvest"]) * paid_rate
        gross = (values * rate).sum(axis=1)
        held = values * price
        pooled = held * il
        values = (held + pooled) * (1.0 - lost)
        after_market = values.sum(axis=1)
        net = gross - np.maximum(gross, 0.0) * s["tax"]
        if payout is not None:
            covered = np.minimum(np.maximum(net, 0.0), payout)
            surplus = net - covered
            again = np.where(surplus > 0, surplus * s["reinvest"], surplus)
            withdrawn = payout - covered
            available = after_market + again
        else:
            again = np.where(net > 0, net * s["reinvest"], net)
            withdrawn = 0.0
            available = after_market + again + s["contribution"] * index
        depleted = withdrawn > available
        end = available - np.where(depleted, np.maximum(available, 0.0), withdrawn)
        if s["rebalance"]:
            values = np.outer(end, targets)
        else:
            ok = after_market > 0
            scale = np.where(ok, end / np.where(ok, after_market, 1.0), 0.0)
            values = np.where(ok[:, None], values * scale[:, None], np.outer(end, targets))
        if payout is not None:
            phase_years += 1
            paid_all &= ~depleted
        depleted_any |= depleted | (end <= 0)
        value_rec[year] = end
        income_rec[year] = gross
        index *= 1.0 + s["inflation"]
    if goal:
        # The value at the horizon's end is tested too.
        covers = values.sum(axis=1) * basis >= goal[0] * index
        to_goal = np.where((to_goal == np.iinfo(np.int64).max) & covers, years, to_goal)
    qs = [0.05, 0.25, 0.50, 0.75, 0.95]
    value_pct = nearest_rank(value_rec, qs)
    income_pct = nearest_rank(income_rec, qs)
    success = float(paid_all.mean()) if phase_years else None
    # Standard error of the final median: the median's rank has a standard
    # deviation of sqrt(n)/2, so half the spread of the values one such step
    # either side of it.
    final = np.sort(value_rec[-1])
    m, h = paths // 2, max(1, round(paths**0.5 / 2))
    median_se = float(final[min(m + h, paths - 1)] - final[max(m - h, 0)]) / 2.0
    return {
        "median_value": float(value_pct[-1, 2]),
        "median_value_se": median_se,
        "p5_value": float(value_pct[-1, 0]),
        "p95_value": float(value_pct[-1, 4]),
        "median_income": float(income_pct[-1, 2]),
        "success_probability": success,
        "success_standard_error": (success * (1 - success) / paths) ** 0.5 if success is not None else None,
        "depletion_probability": float(depleted_any.mean()),
        "median_years_to_goal": median_years(to_goal) if goal else None,
        "value_mean": value_rec.mean(axis=1).tolist()[-1],
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("profile")
    ap.add_argument("--paths", type=int, default=10_000)
    ap.add_argument("--years", type=int, default=30)
    ap.add_argument("--seed", type=int, default=20_261_128)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    setup = load(args.profile)
    times, results = [], []
    for run in range(args.runs):
        rng = np.random.default_rng(args.seed + run)
        start = time.perf_counter()
        results.append(simulate(setup, args.paths, args.years, rng))
        times.append((time.perf_counter() - start) * 1000.0)
    # The runs are independent estimates (seed, seed + 1, ...): report their
    # mean, with the standard errors shrunk accordingly.
    result = dict(results[-1])
    k = len(results)
    result["median_value"] = statistics.fmean(r["median_value"] for r in results)
    result["median_value_se_per_run"] = statistics.fmean(r["median_value_se"] for r in results)
    result["median_value_se"] = result["median_value_se_per_run"] / k**0.5
    if result["success_probability"] is not None:
        result["success_probability"] = statistics.fmean(r["success_probability"] for r in results)
        result["success_standard_error"] = statistics.fmean(
            r["success_standard_error"] for r in results) / k**0.5
    result.update({"profile": args.profile, "paths": args.paths, "years": args.years,
                   "positions": len(setup["positions"]), "assets": len(setup["drift"]),
                   "ms": statistics.median(times), "runs": args.runs, "numpy": np.__version__})
    print(json.dumps(result))


if __name__ == "__main__":
    main()
