#!/usr/bin/env python3
"""Golden values for calibra's paired bootstrap (src/metrics/paired-bootstrap.ts) and the verdict
(src/report/verdict.ts), computed with plain numpy from the textbook definitions, independently of the
TypeScript code.

Two parts:
  * "fixed": numpy's own resampling indices are written out; for each replicate the metric of two methods is
    computed on the same rows and the 2.5 / 97.5 percentiles (np.percentile, linear) of the differences are the
    golden interval. The TypeScript code is fed the same indices and must agree to rounding.
  * "free": a 4000-replicate interval with numpy's generator; calibra's own generator must land within a
    fraction of the interval's width (a statistical check of the resampling itself).

Methods: "none" = softmax of over-confident logits, "ts" = softmax(z / T) with T fitted by scipy on a separate
validation draw, "sharp" = softmax(1.3 z) (worse), so TS beats none beyond noise and "sharp" loses.

Run:  python3 scripts/golden/paired_bootstrap_reference.py > test/golden/paired-bootstrap.json
"""
import json
import sys

import numpy as np
import scipy
import scipy.optimize
import scipy.special

NLL_EPS = 1e-12


def make_logits(rng, n, k, scale):
    y = rng.integers(0, k, size=n)
    z = rng.normal(size=(n, k))
    z[np.arange(n), y] += 1.6
    return (z * scale), y


def softmax(z):
    return scipy.special.softmax(z, axis=1)


def nll(p, y):
    return float(np.mean(-np.log(np.maximum(p[np.arange(len(y)), y], NLL_EPS))))


def brier(p, y):
    onehot = np.zeros_like(p)
    onehot[np.arange(len(y)), y] = 1
    return float(np.mean(np.sum((p - onehot) ** 2, axis=1)))


def accuracy(p, y):
    return float(np.mean(np.argmax(p, axis=1) == y))


def ece(p, y, B=15):
    # equal-width bins, edges b/B, first bin [0, 1/B], then (lo, hi]
    c = p.max(axis=1)
    a = (np.argmax(p, axis=1) == y).astype(float)
    e = np.arange(B + 1) / B
    b = np.clip(np.searchsorted(e, c, side='left') - 1, 0, B - 1)
    tot = 0.0
    for j in range(B):
        m = b == j
        if m.any():
            tot += m.sum() / len(c) * abs(a[m].mean() - c[m].mean())
    return float(tot)


METRICS = {'nll': nll, 'brier': brier, 'accuracy': accuracy, 'ece': ece}


def main():
    rng = np.random.default_rng(20261203)
    k = 4
    zv, yv = make_logits(rng, 600, k, 2.5)
    zt, yt = make_logits(rng, 240, k, 2.5)
    res = scipy.optimize.minimize_scalar(lambda t: nll(softmax(zv / t), yv), bounds=(0.05, 20), method='bounded', options={'xatol': 1e-10})
    T = float(res.x)
    methods = {'none': softmax(zt), 'ts': softmax(zt / T), 'sharp': softmax(1.3 * zt)}
    R_fixed = 60
    idx = rng.integers(0, len(yt), size=(R_fixed, len(yt)))
    fixed = {}
    for mid, fn in METRICS.items():
        per = {name: np.array([fn(p[r], yt[r]) for r in idx]) for name, p in methods.items()}
        fixed[mid] = {}
        for a, b in [('ts', 'none'), ('sharp', 'ts'), ('none', 'sharp')]:
            d = per[a] - per[b]
            fixed[mid][f'{a}-{b}'] = {
                'diff': fn(methods[a], yt) - fn(methods[b], yt),
                'low': float(np.percentile(d, 2.5)),
                'high': float(np.percentile(d, 97.5)),
            }
    R_free = 4000
    free_idx = rng.integers(0, len(yt), size=(R_free, len(yt)))
    free = {}
    for mid in ['nll', 'ece']:
        fn = METRICS[mid]
        d = np.array([fn(methods['ts'][r], yt[r]) - fn(methods['none'][r], yt[r]) for r in free_idx])
        free[mid] = {'low': float(np.percentile(d, 2.5)), 'high': float(np.percentile(d, 97.5))}
    out = {
        'generator': 'scripts/golden/paired_bootstrap_reference.py',
        'versions': {'python': sys.version.split()[0], 'numpy': np.__version__, 'scipy': scipy.__version__},
        'classes': k,
        'temperature': T,
        'labels': yt.tolist(),
        'probs': {name: p.ravel().tolist() for name, p in methods.items()},
        'points': {name: {mid: fn(p, yt) for mid, fn in METRICS.items()} for name, p in methods.items()},
        'fixedIndices': idx.tolist(),
        'fixed': fixed,
        'free': free,
    }
    json.dump(out, sys.stdout, indent=None, separators=(',', ':'))
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
