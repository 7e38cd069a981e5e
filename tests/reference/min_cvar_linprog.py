#!/usr/bin/env python3
"""Solves the min-CVaR program in a tests/reference/min-cvar-*.json file with
SciPy's linprog (HiGHS), written out in full as Rockafellar and Uryasev
(2000) state it, and stores the optimum beside it as "scipy_optimum".

    minimise   a + 1/((1 - beta) S) * sum_s u_s
    subject to u_s >= -r_s . w - a,  u_s >= 0,
               sum_j w_j = 1,  lo <= w <= hi,  the named rows.

Run: python3 tests/reference/min_cvar_linprog.py FILE... (needs numpy and
scipy).
"""
import json
import sys

import numpy as np
from scipy.optimize import linprog

def solve(path):
    with open(path) as f:
        p = json.load(f)
    r = np.array(p["scenarios"], dtype=float)
    s, n = r.shape
    k = 1.0 / ((1.0 - p["beta"]) * s)
    # Variables: w (n), a (1), u (s).
    c = np.concatenate([np.zeros(n), [1.0], np.full(s, k)])
    a_ub, b_ub = [], []
    # -r_s . w - a - u_s <= 0
    for i in range(s):
        row = np.zeros(n + 1 + s)
        row[:n] = -r[i]
        row[n] = -1.0
        row[n + 1 + i] = -1.0
        a_ub.append(row)
        b_ub.append(0.0)
    for row in p["rows"]:
        full = np.zeros(n + 1 + s)
        coefs = np.array(row["coefs"], dtype=float)
        if row["sense"] == "le":
            full[:n] = coefs
            b_ub.append(row["rhs"])
        else:
            full[:n] = -coefs
            b_ub.append(-row["rhs"])
        a_ub.append(full)
    a_eq = [np.concatenate([np.ones(n), [0.0], np.zeros(s)])]
    bounds = list(zip(p["lo"], p["hi"])) + [(None, None)] + [(0, None)] * s
    res = linprog(c, A_ub=np.array(a_ub), b_ub=np.array(b_ub), A_eq=np.array(a_eq),
                  b_eq=[1.0], bounds=bounds, method="highs",
                  options={"primal_feasibility_tolerance": 1e-10,
                           "dual_feasibility_tolerance": 1e-10})
    if res.status != 0:
        sys.exit(f"linprog: {res.message}")
    p["scipy_optimum"] = res.fun
    p["scipy_weights"] = list(res.x[:n])
    with open(path, "w") as f:
        json.dump(p, f)
    print(f"{path}: optimum {res.fun!r} at weights {list(res.x[:n])}")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        solve(name)
