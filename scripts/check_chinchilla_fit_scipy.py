#!/usr/bin/env python3
"""Approach 3 on the Epoch Chinchilla points with scipy's L-BFGS-B, to compare with scalinglab's optimiser.

A developer's check, not part of the product or its tests (it needs numpy and scipy). It fits the same
objective as `scalinglab fit ... --approach 3`: the sum over the 240 points (the 5 highest losses dropped)
of Huber(delta = 1e-3) of log L_hat - log L, log L_hat = LSE(a - alpha log N, b - beta log D, e),
D = C / (6 N), from the starts of the 4,500-point grid, with the analytic gradient, once at scipy's default
tolerances and once at tight ones, and prints the best objective of each beside scalinglab's.

    python3 scripts/check_chinchilla_fit_scipy.py [--every k] [--tolerances default|tight|both] [--java <objective>]

--java takes scalinglab's objective (`approach3.objective` of `fit --json`); --every k uses every k-th start
(default 15, 300 starts: about 5 minutes on 2 cores; all 4,500 take over an hour).
"""
import argparse
import csv
import itertools
import os
import sys

import numpy as np
from scipy.optimize import minimize
from scipy.special import logsumexp

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "org",
                    "scalinglab", "fit", "validation", "epoch_chinchilla_svg_extracted_data.csv")
DELTA = 1e-3


def load():
    with open(DATA, newline="") as f:
        rows = [(float(r["Model Size"]), float(r["Training FLOP"]), float(r["loss"])) for r in csv.DictReader(f)]
    rows.sort(key=lambda r: r[2])
    rows = rows[:-5]  # the replication drops the 5 highest losses
    n, c, loss = (np.array(v) for v in zip(*rows))
    return np.log(n), np.log(c / (6 * n)), np.log(loss)


def objective(x, log_n, log_d, log_l):
    a, b, e, alpha, beta = x
    terms = np.stack([a - alpha * log_n, b - beta * log_d, np.full_like(log_n, e)])
    pred = logsumexp(terms, axis=0)
    r = pred - log_l
    small = np.abs(r) <= DELTA
    value = np.sum(np.where(small, 0.5 * r * r, DELTA * (np.abs(r) - 0.5 * DELTA)))
    w = np.exp(terms - pred)  # softmax weights of the three terms
    dr = np.clip(r, -DELTA, DELTA)
    grad = np.array([np.sum(dr * w[0]), np.sum(dr * w[1]), np.sum(dr * w[2]),
                     -np.sum(dr * w[0] * log_n), -np.sum(dr * w[1] * log_d)])
    return value, grad


def grid():
    ab = [0.0, 0.5, 1.0, 1.5, 2.0]
    es = [-1.0, -0.5, 0.0, 0.5, 1.0]
    logs = [0.0, 5.0, 10.0, 15.0, 20.0, 25.0]
    # (a, b, e, alpha, beta)
    return [np.array([a, b, e, al, be]) for al, be, e, a, b in itertools.product(ab, ab, es, logs, logs)]


def best(starts, data, options):
    top = None
    for x0 in starts:
        r = minimize(objective, x0, args=data, jac=True, method="L-BFGS-B", options=options)
        if np.isfinite(r.fun) and (top is None or r.fun < top.fun):
            top = r
    return top


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--every", type=int, default=15,
                   help="use every k-th start of the grid (default 15: 300 starts, a few minutes; 1: all 4,500)")
    p.add_argument("--java", type=float, help="scalinglab's objective, to print the relative differences")
    p.add_argument("--tolerances", choices=["default", "tight", "both"], default="both")
    args = p.parse_args()
    data = load()
    if len(data[0]) != 240:
        sys.exit(f"expected 240 points after dropping 5, got {len(data[0])}")
    starts = grid()[::args.every]
    import scipy
    print(f"scipy {scipy.__version__}, numpy {np.__version__}; {len(data[0])} points, {len(starts)} starts")
    runs = [("default", "default tolerances (ftol 2.2e-9, gtol 1e-5)", {}),
            ("tight", "tight tolerances (ftol 1e-15, gtol 1e-12, maxiter 100000)",
             {"ftol": 1e-15, "gtol": 1e-12, "maxiter": 100000, "maxfun": 100000})]
    for key, name, options in runs:
        if args.tolerances not in (key, "both"):
            continue
        r = best(starts, data, options)
        a, b, e, alpha, beta = r.x
        line = (f"{name}: objective {float(r.fun)!r}  E {np.exp(e):.4f} A {np.exp(a):.1f} B {np.exp(b):.0f} "
                f"alpha {alpha:.4f} beta {beta:.4f}")
        if args.java is not None:
            line += f"  (scipy - scalinglab) / scalinglab = {(r.fun - args.java) / args.java:.2e}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
