#!/usr/bin/env python3
"""Golden values for calibra's metrics (src/metrics/), written from the definitions in
shared/spec/metrics.md and ca-method.md §5, independently of the TypeScript code.

Uses Debian's python3-numpy / python3-scipy / python3-sklearn: sklearn's roc_auc_score,
average_precision_score, roc_curve and KBinsDiscretizer are the oracles where they apply; everything else is
a plain numpy implementation of the textbook definition (O(N^2) double sum for MMCE, loops over bins).

Run:  python3 scripts/golden/metrics_reference.py > test/golden/metrics.json
"""
import json
import sys

import numpy as np
import scipy
import scipy.integrate
import scipy.special
import sklearn
from sklearn.metrics import average_precision_score, roc_auc_score, roc_curve
from sklearn.preprocessing import KBinsDiscretizer

sys.path.insert(0, __import__('os').path.dirname(__file__))
from smece_reference import Smooth, images  # noqa: E402

NLL_EPS = 1e-12


# ---------------------------------------------------------------- binning helpers
def eq_width_bins(s, B, rule):
    e = np.arange(B + 1) / B  # edges b/B by division
    if rule == 'left':
        b = np.searchsorted(e, s, side='right') - 1
        return np.clip(b, 0, B - 1)
    b = np.searchsorted(e, s, side='left') - 1
    if rule == 'guo':
        return np.where(s <= 0, -1, np.clip(b, 0, B - 1))
    return np.clip(b, 0, B - 1)


def binned(s, t, B, rule, norm):
    n = len(s)
    b = eq_width_bins(s, B, rule)
    out = []
    for k in range(B):
        m = b == k
        if m.sum() == 0:
            continue
        out.append((m.sum() / n, abs(t[m].mean() - s[m].mean())))
    if norm == 'l1':
        return sum(w * g for w, g in out)
    if norm == 'l2':
        return float(np.sqrt(sum(w * g * g for w, g in out)))
    if norm == 'max':
        return max(g for _, g in out)
    raise ValueError(norm)


def equal_mass(s, t, B, norm):
    n = len(s)
    order = np.argsort(s, kind='stable')
    acc = 0.0
    for grp in np.array_split(order, B):
        if len(grp) == 0:
            continue
        conf, a = s[grp].mean(), t[grp].mean()
        gap, w = abs(a - conf), len(grp) / n
        if norm == 'l1':
            acc += w * gap
        elif norm == 'max':
            acc = max(acc, gap)
        elif norm == 'debiased':
            if len(grp) >= 2:
                acc += w * (gap * gap - a * (1 - a) / (len(grp) - 1))
    if norm == 'debiased':
        return float(np.sqrt(max(acc, 0.0)))
    return acc


# ---------------------------------------------------------------- metrics
def top(probs, labels):
    pred = np.argmax(probs, axis=1)
    conf = probs[np.arange(len(labels)), pred]
    return conf, (pred == labels).astype(float), pred


def ks(c, a):
    order = np.argsort(c, kind='stable')
    cs, d = c[order], np.cumsum(c[order] - a[order])
    ends = np.r_[cs[1:] != cs[:-1], True]  # evaluate at the end of each tie block
    return float(np.max(np.abs(d[ends]))) / len(c)


def mmce(c, a):
    r = a - c
    k = np.exp(-np.abs(c[:, None] - c[None, :]) / 0.4)
    return float(np.sqrt(max((r[:, None] * r[None, :] * k).sum(), 0.0))) / len(c)


def kde_ece(c, a):
    """Zhang et al. ece_kde_binary with direct (non-FFT) triweight sums on the same grid."""
    n = len(c)
    c1 = c[a == 1]
    if len(c1) == 0:
        return None
    bw = np.std(c1) * (2 * n) ** -0.2
    if not bw > 0:
        return None
    x = np.linspace(-0.6, 1.6, 2 ** 14)

    def dens(d):
        m = np.concatenate([-d[d < 0.5], d, 2 - d[d >= 0.5]])
        u = (x[:, None] - m[None, :]) / (3 * bw)
        k = np.where(np.abs(u) < 1, 35 / 32 * (1 - u * u) ** 3, 0.0) / (3 * bw)
        p = k.sum(axis=1) / len(m)
        p[(x <= 0) | (x >= 1)] = 0
        return 2 * p

    p1, p = dens(c1), dens(c)
    perc = a.mean()
    integral = np.zeros_like(x)
    for i in range(len(x)):
        if max(p1[i], p[i]) > 1e-6:
            with np.errstate(divide='ignore', invalid='ignore'):
                accu = min(perc * p1[i] / p[i], 1.0)
            if not np.isnan(accu):
                integral[i] = abs(x[i] - accu) * p[i]
        elif i > 1:
            integral[i] = integral[i - 1]
    ind = (x >= 0) & (x <= 1)
    return float(np.trapz(integral[ind], x[ind]) / np.trapz(p[ind], x[ind]))


def smece(c, a):
    """Exact smooth ECE: reflected Gaussian with all images, see smece_reference.py (direct sums, erf
    antiderivative between brentq roots, brentq fixed point)."""
    return Smooth(c, a).fixed_point()[0]


def smece_quad(c, a):
    """Same fixed point with scipy quad (adaptive) for the integral: an independent check of the exact pieces."""
    def f(sigma):
        r = (c - a) / len(c)
        ims = images(c, sigma)
        g = lambda u: np.exp(-0.5 * (u / sigma) ** 2) / (sigma * np.sqrt(2 * np.pi))
        h = lambda t: abs(sum((r * g(t - (s * c + k))).sum() for s, k in ims))
        return scipy.integrate.quad(h, 0, 1, limit=500, points=list(np.unique(c)), epsabs=1e-13)[0]
    return float(scipy.optimize.brentq(lambda s: f(s) - s, 1e-3, 1.0, xtol=1e-13))


def aurc(c, a):
    """Tie blocks spread their errors evenly: expected risk over all orders inside each block."""
    n = len(c)
    vals = np.unique(c)[::-1]
    total, before, taken = 0.0, 0.0, 0
    for v in vals:
        m = c == v
        size, errs = int(m.sum()), float((1 - a[m]).sum())
        j = np.arange(1, size + 1)
        total += ((before + errs * j / size) / (taken + j)).sum()
        before += errs
        taken += size
    return total / n


def fpr95(c, a):
    if a.min() == a.max():
        return None
    fpr, tpr, _ = roc_curve(a, c, drop_intermediate=False)
    return float(fpr[np.argmin(np.abs(tpr - 0.95))])


def safe(f):
    try:
        v = f()
    except ValueError:
        return None
    return None if v is None or not np.isfinite(v) else float(v)


# CA paper code (liuyvchi/Correctness-aware-calibration all_metrics.py), re-expressed without pandas
def ca_ece(c, a, B=25):
    e = np.linspace(0, 1, B + 1)
    out = 0.0
    for lo, hi in zip(e[:-1], e[1:]):
        m = (c > lo) & (c <= hi)
        if m.sum() > 0:
            out += abs(c[m].mean() - a[m].mean()) * m.sum() / len(c)
    return out


def ca_groups(c, a, bins):
    out = []
    for b in np.unique(bins):
        m = bins == b
        out.append(abs(a[m].mean() - c[m].mean()) * m.sum() / len(c))
    return out


def ca_ace(c, a, B=25):
    est = KBinsDiscretizer(n_bins=B, encode='ordinal', strategy='quantile')
    bins = est.fit_transform(c[:, None])[:, 0]
    return float(sum(ca_groups(c, a, bins)))


def ca_mce(c, a, B=25):
    bins = np.digitize(c, np.linspace(0, 1, B + 1)[1:-1])
    return float(max(ca_groups(c, a, bins)))


def ca_ks(c, a):
    scores, labels = a, c  # the code passes (correctness, confidences)
    order = scores.argsort()
    s, l = scores[order], labels[order]
    return float(np.max(np.abs(np.cumsum(s) / len(s) - np.cumsum(l) / len(l))))


def ca_sce(probs, labels, B=25):
    N, K = probs.shape
    e = np.linspace(0, 1, B + 1)
    sce = 0.0
    for k in range(K):
        p, t = probs[:, k], (labels == k).astype(int)
        for b in range(B):
            m = (p > e[b]) & (p <= e[b + 1])
            if m.sum() > 0:
                sce += m.sum() / N * abs(t[m].mean() - p[m].mean())
    return sce / K


def all_metrics(probs, labels, nll_terms):
    c, a, pred = top(probs, labels)
    N, K = probs.shape
    onehot = np.eye(K)[labels]
    m = {
        'accuracy': a.mean(),
        'brier': ((probs - onehot) ** 2).sum(axis=1).mean(),
        'brier_top': ((c - a) ** 2).mean(),
        'nll': nll_terms.mean(),
        'ks': ks(c, a),
        'mmce': mmce(c, a),
        'kde_ece': kde_ece(c, a),
        'smece': smece(c, a),
        'auroc': safe(lambda: roc_auc_score(a, c)) if a.min() != a.max() else None,
        'aupr_success': safe(lambda: average_precision_score(a, c)) if a.max() > 0 else None,
        'aupr_error': safe(lambda: average_precision_score(1 - a, -c)) if a.min() < 1 else None,
        'fpr95': fpr95(c, a),
        'aurc': aurc(c, a),
    }
    r = 1 - a.mean()
    m['eaurc'] = m['aurc'] - (1.0 if r >= 1 else r + (1 - r) * np.log(1 - r) if r > 0 else 0.0)
    for B in (1, 2, 3, 5, 10, 15, 25):
        for rule, suffix in (('right', ''), ('guo', '#guo'), ('left', '#left')):
            m[f'ece@{B}{suffix}'] = binned(c, a, B, rule, 'l1')
            m[f'mce@{B}{suffix}'] = binned(c, a, B, rule, 'max') if (rule != 'guo' or (c > 0).any()) else None
            m[f'rmsce@{B}{suffix}'] = binned(c, a, B, rule, 'l2')
            m[f'cw_ece@{B}{suffix}'] = np.mean([binned(probs[:, k], (labels == k).astype(float), B, rule, 'l1') for k in range(K)])
            tl = 0.0
            for l in np.unique(pred):
                g = pred == l
                tl += g.sum() / N * binned(c[g], a[g], B, rule, 'l1')
            m[f'tl_ece@{B}{suffix}'] = tl
        m[f'ece_em@{B}'] = equal_mass(c, a, B, 'l1')
        m[f'mce_em@{B}'] = equal_mass(c, a, B, 'max')
        m[f'dece@{B}'] = equal_mass(c, a, B, 'debiased')
        m[f'cw_ece_em@{B}'] = np.mean([equal_mass(probs[:, k], (labels == k).astype(float), B, 'l1') for k in range(K)])
    m['ca_paper.ece'] = ca_ece(c, a)
    m['ca_paper.bs'] = ((c - a) ** 2).mean()
    m['ca_paper.ace'] = ca_ace(c, a) if N >= 2 else None
    m['ca_paper.mce'] = ca_mce(c, a)
    m['ca_paper.auc'] = m['auroc']
    m['ca_paper.ks'] = ca_ks(c, a)
    m['ca_paper.sce'] = ca_sce(probs, labels)
    return {k: (None if v is None or not np.isfinite(v) else float(v)) for k, v in m.items()}, (c, a)


def case_probs(name, probs, labels):
    probs = np.asarray(probs, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.int64)
    nll = -np.log(np.maximum(probs[np.arange(len(labels)), labels], NLL_EPS))
    metrics, (c, a) = all_metrics(probs, labels, nll)
    out = {'name': name, 'input': 'probs', 'rows': probs.tolist(), 'labels': labels.tolist(), 'metrics': metrics}
    if len(labels) <= 64 and metrics['smece'] is not None and 0 < metrics['smece'] < 0.9:
        out['smece_quad'] = smece_quad(c, a)
    return out


def case_logits(name, logits, labels):
    logits = np.asarray(logits, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.int64)
    logp = scipy.special.log_softmax(logits, axis=1)
    metrics, _ = all_metrics(np.exp(logp), labels, -logp[np.arange(len(labels)), labels])
    return {'name': name, 'input': 'logits', 'rows': logits.tolist(), 'labels': labels.tolist(), 'metrics': metrics}


def main():
    rng = np.random.default_rng(20261128)
    cases = []
    d1 = [[.71, .17, .09, .03], [.63, .27, .07, .03], [.23, .57, .13, .07], [.07, .09, .83, .01],
          [.31, .13, .43, .13], [.01, .93, .03, .03], [.47, .37, .09, .07], [.11, .19, .67, .03]]
    cases.append(case_probs('fixture D1 (metrics.md §0)', d1, [0, 1, 1, 2, 0, 1, 1, 2]))
    for n, k, scale in ((40, 3, 2.0), (200, 10, 3.0), (120, 2, 1.5), (600, 5, 2.5)):
        z = rng.normal(size=(n, k)) * scale
        y = rng.integers(0, k, n)
        z[np.arange(n), y] += 1.0
        cases.append(case_logits(f'random logits n={n} k={k}', z, y))
        cases.append(case_probs(f'random probs n={n} k={k}', scipy.special.softmax(z, axis=1), y))
    # ties: probabilities on a coarse grid, many equal confidences
    n, k = 60, 3
    raw = rng.integers(1, 6, size=(n, k)).astype(float)
    cases.append(case_probs('ties (coarse grid)', raw / raw.sum(axis=1, keepdims=True), rng.integers(0, k, n)))
    # values exactly on bin edges b/B for B = 2, 5, 10 (and 0 and 1)
    edge = np.array([[0.0, 1.0], [0.1, 0.9], [0.2, 0.8], [0.5, 0.5], [1.0, 0.0], [0.3, 0.7], [0.6, 0.4], [0.8, 0.2], [0.4, 0.6], [0.7, 0.3]])
    cases.append(case_probs('bin edges (multiples of 1/10, 0 and 1)', edge, [0, 0, 1, 1, 0, 1, 0, 1, 1, 0]))
    cases.append(case_probs('one class present in labels', scipy.special.softmax(rng.normal(size=(30, 4)) * 2, axis=1), np.full(30, 2)))
    cases.append(case_probs('one sample', [[0.2, 0.7, 0.1]], [1]))
    z = rng.normal(size=(25, 3)) * 2
    y = np.argmax(z, axis=1)
    cases.append(case_logits('all correct', z, y))
    cases.append(case_logits('all wrong', z, (y + 1) % 3))
    cases.append(case_logits('large logits (1e3 scale)', rng.normal(size=(20, 4)) * 1000, rng.integers(0, 4, 20)))
    doc = {
        'generator': 'scripts/golden/metrics_reference.py',
        'versions': {'python': sys.version.split()[0], 'numpy': np.__version__, 'scipy': scipy.__version__, 'sklearn': sklearn.__version__},
        'note': "metric keys 'id#guo' / 'id#left' are the same id under the 'guo' / 'left' edge rule; null = undefined (NaN)",
        'cases': cases,
    }
    json.dump(doc, sys.stdout, indent=1)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
