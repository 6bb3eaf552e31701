#!/usr/bin/env python3
"""netcal's ACE (netcal.metrics.ACE, Average Calibration Error) written out in numpy from netcal's definition
(`_Miscalibration._measure`, classification mode), for test/golden/netcal-ace.json. netcal itself is not
installable here (it imports torch at package import); this follows its steps:
  prediction = argmax(X, axis=1) (first on ties), X = max(X, axis=1); X = clip(X, eps, 1 - eps) with
  eps = float64 machine epsilon; edges = linspace(0, 1, B + 1); acc / conf per bin by
  scipy.stats.binned_statistic_dd(..., statistic='mean', bins=[edges]) and counts by np.histogramdd;
  ACE = sum(|acc - conf|) / count_nonzero(counts)  (empty bins contribute 0 to the sum; sample_threshold = 1).
Cases: metrics.md fixture D1 (oracle 4a: B = 10 -> 0.26, B = 15 -> 0.358571428571), random softmax sets, a set
with confidences exactly on linspace edges and at 0 and 1, and a binary N x 2 set.

Run:  /usr/bin/python3 scripts/golden/netcal_reference.py > test/golden/netcal-ace.json
"""
import json
import sys

import numpy as np
import scipy
from scipy.stats import binned_statistic_dd

EPS = np.finfo(np.float64).eps


def netcal_ace(probs, labels, bins):
    X = np.asarray(probs, dtype=np.float64)
    y = np.asarray(labels)
    pred = np.argmax(X, axis=1)
    X = np.clip(np.max(X, axis=1).reshape(-1, 1), EPS, 1 - EPS)
    matched = (pred == y).astype(np.float64)
    edges = [np.linspace(0.0, 1.0, bins + 1)]
    acc, _, _ = binned_statistic_dd(X, matched, statistic='mean', bins=edges)
    conf, _, _ = binned_statistic_dd(X, X[:, 0], statistic='mean', bins=edges)
    count, _ = np.histogramdd(X, bins=edges)
    acc, conf, count = (np.nan_to_num(a, nan=0.0) for a in (acc, conf, count))
    return float(np.abs(acc - conf).sum() / np.count_nonzero(count))


def main():
    rng = np.random.default_rng(20261203)
    cases = []
    d1 = [[0.71, 0.17, 0.09, 0.03], [0.63, 0.27, 0.07, 0.03], [0.23, 0.57, 0.13, 0.07], [0.07, 0.09, 0.83, 0.01],
          [0.31, 0.13, 0.43, 0.13], [0.01, 0.93, 0.03, 0.03], [0.47, 0.37, 0.09, 0.07], [0.11, 0.19, 0.67, 0.03]]
    cases.append(('D1 (metrics.md fixture)', d1, [0, 1, 1, 2, 0, 1, 1, 2]))
    for n, k, scale in ((500, 10, 3.0), (2000, 5, 1.5)):
        z = rng.normal(0, scale, (n, k))
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        cases.append((f'random softmax N={n} K={k}', p.tolist(), rng.integers(0, k, n).tolist()))
    # confidences exactly on linspace edges (k * 0.1 and k / 15 as numpy computes them), and 0.5 ties, 1.0
    e10 = np.linspace(0, 1, 11)[5:]
    e15 = np.linspace(0, 1, 16)[8:]
    top = np.concatenate([e10, e15, [1.0, 1.0, 0.5, 0.5]])
    rows = [[c, 1 - c] for c in top]
    cases.append(('edges: top confidences on linspace edges, 1.0, ties (K = 2)', rows, rng.integers(0, 2, len(rows)).tolist()))
    p1 = rng.uniform(size=300)
    cases.append(('binary N x 2', np.stack([1 - p1, p1], axis=1).tolist(), (rng.uniform(size=300) < p1).astype(int).tolist()))
    out = []
    for name, p, y in cases:
        out.append({'name': name, 'probs': p, 'labels': y, 'ace': {str(b): netcal_ace(p, y, b) for b in (5, 10, 15, 25)}})
    json.dump({'generator': 'scripts/golden/netcal_reference.py',
               'versions': {'python': sys.version.split()[0], 'numpy': np.__version__, 'scipy': scipy.__version__},
               'cases': out}, sys.stdout)


if __name__ == '__main__':
    main()
