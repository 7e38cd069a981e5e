#!/usr/bin/env python3
"""A straightforward NumPy implementation of yieldplan's Monte Carlo, for the
benchmark comparison (benches/simulate.sh). Vectorised over paths: every step
draws a (paths x assets) block of normals, correlates it with the Cholesky
factor, and updates all paths at once. Same work as the Rust simulation:
10,000 paths x 30 years x 12 months, 8 assets, 10 positions (one a
constant-product pool), yields drawn within bands once a year, yearly loss
events, year-end tax, reinvestment and goal withdrawals.

Prints the best wall time of a few runs, in seconds, on the last line.
"""
import sys
import time

import numpy as np

PATHS, YEARS, SEED = 10_000, 30, 7
# Assets: ETH SOL ADA DOT ATOM USDC USDT BTC (volatilities as in the rate book).
VOL = np.array([0.70, 0.90, 0.80, 0.85, 0.90, 0.01, 0.01, 0.60])
CORR = np.full((8, 8), 0.6)
CORR[5:7, :] = CORR[:, 5:7] = 0.0
np.fill_diagonal(CORR, 1.0)
CORR[0, 7] = CORR[7, 0] = 0.8
# Positions: (weight, asset or -1, pair or None, band low/mid/high, loss probability, loss).
POSITIONS = [
    (0.15, 0, None, (0.0276, 0.0368, 0.046), 0.01, 0.05),
    (0.10, 1, None, (0.0552, 0.0644, 0.0736), 0.01, 0.05),
    (0.05, 2, None, (0.0368, 0.046, 0.0552), 0.01, 0.05),
    (0.05, 3, None, (0.092, 0.1104, 0.1288), 0.01, 0.05),
    (0.05, 4, None, (0.138, 0.161, 0.184), 0.01, 0.05),
    (0.20, 5, None, (0.02, 0.05, 0.08), 0.005, 0.5),
    (0.10, 6, None, (0.02, 0.05, 0.08), 0.005, 0.5),
    (0.10, -1, (0, 5), (0.05, 0.125, 0.20), 0.005, 0.5),
    (0.05, -1, None, (0.10, 0.25, 0.40), 0.015, 0.5),
    (0.15, 7, None, (0.0, 0.0, 0.0), 0.0, 0.0),
]
VALUE, GOAL, START, TAX, INFL, REINVEST = 1_000_000.0, 50_000.0, 5, 0.0, 0.03, 0.5


def simulate(rng):
    dt = 1.0 / 12.0
    chol = np.linalg.cholesky(CORR) * (VOL * np.sqrt(dt))[:, None]
    drift = (-0.5 * VOL**2) * dt
    n_pos = len(POSITIONS)
    units = np.tile(np.array([w * VALUE for w, *_ in POSITIONS]), (PATHS, 1))
    log_price = np.zeros((PATHS, 8))
    bands = np.array([b for _, _, _, b, _, _ in POSITIONS])
    p_event = np.array([p for *_, p, _ in POSITIONS])
    loss = np.array([l for *_, l in POSITIONS])
    values_by_year = np.zeros((YEARS, PATHS))
    index = 1.0

    def position_values(price):
        vals = np.empty((PATHS, n_pos))
        for i, (_, asset, pair, *_rest) in enumerate(POSITIONS):
            if asset >= 0:
                vals[:, i] = units[:, i] * price[:, asset]
            elif pair is not None:
                a, b = pair
                r = price[:, a] / price[:, b]
                vals[:, i] = units[:, i] * np.sqrt(r) * price[:, b]
            else:
                vals[:, i] = units[:, i]
        return vals

    for year in range(YEARS):
        u = rng.random(PATHS)[:, None]
        yields = np.where(u < 0.5, bands[:, 0] + (bands[:, 1] - bands[:, 0]) * 2 * u,
                          bands[:, 1] + (bands[:, 2] - bands[:, 1]) * (2 * u - 1))
        event = rng.random((PATHS, n_pos)) < p_event
        event_month = rng.integers(0, 12, (PATHS, n_pos))
        gross = np.zeros(PATHS)
        for month in range(12):
            z = rng.standard_normal((PATHS, 8))
            log_price += drift + z @ chol.T
            price = np.exp(log_price)
            hit = event & (event_month == month)
            units[hit] *= np.broadcast_to(1.0 - loss, units.shape)[hit]
            gross += (position_values(price) * yields).sum(axis=1) / 12.0
        total = position_values(price).sum(axis=1)
        net = gross * (1 - TAX)
        if year >= START:
            target = GOAL * index
            surplus = np.maximum(net - target, 0.0)
            need = np.maximum(target - net, 0.0)
            add = surplus * REINVEST
        else:
            add, need = net * REINVEST, 0.0
        after = np.maximum(total + add - need, 0.0)
        scale = np.where(total > 0, after / np.where(total > 0, total, 1.0), 0.0)
        units *= scale[:, None]
        values_by_year[year] = after
        index *= 1 + INFL
    return np.percentile(values_by_year, [5, 25, 50, 75, 95], axis=1)


def main():
    best = float("inf")
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    for _ in range(runs):
        rng = np.random.default_rng(SEED)
        start = time.perf_counter()
        simulate(rng)
        best = min(best, time.perf_counter() - start)
    print(f"numpy {np.__version__}: {PATHS} paths x {YEARS} years: best of {runs}: {best:.3f} s")
    print(f"{best:.6f}")


if __name__ == "__main__":
    main()
