#!/usr/bin/env python3
"""References for probability-space calibrators fed probabilities (`--probs`), for test/golden/probs-input.json.

The data are probabilities on a 0.05 grid (ties, zeros, ones, values exactly on histogram edges b/10 and b/20),
the case where calibra used to pass exp(ln p) instead of p. Each reference runs on the probabilities as given:
- isotonic: scikit-learn IsotonicRegression(out_of_bounds='clip') per class, rows divided by their sum as
  CalibratedClassifierCV does (an all-zero row becomes uniform);
- platt (identity): scikit-learn's _sigmoid_calibration on p itself (what CalibratedClassifierCV does with
  predict_proba); platt (logit): the same on log p - log(1-p) clipped to +-logit(1e-12); both as
  sklearn returns them (BFGS, gtol 1e-5) and Newton-polished to the exact optimum of the same objective;
- histogram: equal-width bins (lo, hi] with 0 in the first bin, edges b/B, mean label per bin, empty bin = its
  midpoint (verified_calibration's interval convention; written here in numpy);
- beta (abm): betacal's model sigma(a ln s - b ln(1-s) + c) with s clipped to [eps, 1-eps], as the EXACT MLE
  (scipy BFGS to gradient 1e-12 from sklearn's LogisticRegression(C=1e11) start, betacal's own solver), with
  betacal's a < 0 / b < 0 refits; betacal's sklearn-lbfgs values are stored too, for the record.
All one-vs-rest on K = 4 classes (predictions normalised), plus a binary set (K = 2, class 1 calibrated).

Run:  /usr/bin/python3 scripts/golden/probs_reference.py > test/golden/probs-input.json
"""
import json
import sys

import numpy as np
import scipy
import scipy.optimize
import sklearn
from sklearn.calibration import _sigmoid_calibration
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

EPS_BETA = np.finfo(np.float64).eps
EPS_LOGIT = 1e-12


def grid_probs(rng, n, k, sharp):
    """Dirichlet rows rounded to multiples of 0.05 summing to exactly 1 (largest remainder)."""
    p = rng.dirichlet(np.full(k, sharp), n)
    units = np.floor(p * 20).astype(int)
    rem = p * 20 - units
    for i in range(n):
        short = 20 - units[i].sum()
        units[i, np.argsort(-rem[i])[:short]] += 1
    return units / 20.0


def labels_for(rng, p, skew):
    # labels drawn from a distorted version of p, so calibration has something to fix
    q = p ** skew + 1e-3
    q /= q.sum(axis=1, keepdims=True)
    return np.array([rng.choice(p.shape[1], p=row) for row in q])


def normalise(m):
    s = m.sum(axis=1, keepdims=True)
    out = np.where(s > 0, m / np.where(s > 0, s, 1), 1.0 / m.shape[1])
    return out


def ovr(fit_apply, pv, yv, pt):
    k = pv.shape[1]
    if k == 2:
        p1 = fit_apply(pv[:, 1], (yv == 1).astype(float), pt[:, 1])
        return np.stack([1 - p1, p1], axis=1)
    cols = [fit_apply(pv[:, j], (yv == j).astype(float), pt[:, j]) for j in range(k)]
    return normalise(np.stack(cols, axis=1))


def isotonic(s, t, q):
    ir = IsotonicRegression(out_of_bounds='clip').fit(s, t)
    return ir.predict(q)


def logit(v):
    # calibra's documented clip: log(p) - log(1 - p) clipped to +-logit(1e-12) (symmetric; clipping p to
    # [1e-12, 1 - 1e-12] first would round 1 - (1 - 1e-12) to 1.0000889e-12)
    lim = np.log(EPS_LOGIT) - np.log1p(-EPS_LOGIT)
    with np.errstate(divide='ignore'):
        return np.clip(np.log(v) - np.log1p(-v), lim, -lim)


def platt_exact(f, t, a, b):
    """Newton polish of sklearn's own objective (Platt's smoothed targets) from sklearn's BFGS answer."""
    n_pos = t.sum()
    n_neg = len(t) - n_pos
    T = np.where(t == 1, (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2))
    w = np.array([a, b], dtype=np.float64)
    X = np.stack([f, np.ones_like(f)], axis=1)
    for _ in range(50):
        P = scipy.special.expit(-(X @ w))  # P = 1 / (1 + exp(a f + b))
        g = X.T @ (T - P)
        H = (X * (P * (1 - P))[:, None]).T @ X
        step = np.linalg.solve(H, g)
        w = w - step
        if np.abs(step).max() < 1e-16:
            break
    return w


def platt(transform, exact):
    def f(s, t, q):
        g = (lambda v: v) if transform == 'identity' else logit
        a, b = _sigmoid_calibration(g(s), t)
        if exact:
            a, b = platt_exact(g(s), t, a, b)
        return 1.0 / (1.0 + np.exp(a * g(q) + b))
    return f


def histogram(bins):
    def f(s, t, q):
        edges = np.arange(1, bins + 1) / bins
        bs = np.minimum(np.searchsorted(edges, s, side='left'), bins - 1)
        bq = np.minimum(np.searchsorted(edges, q, side='left'), bins - 1)
        val = (np.arange(bins) + 0.5) / bins
        for b in range(bins):
            m = bs == b
            if m.any():
                val[b] = t[m].mean()
        return val[bq]
    return f


def beta_features(s):
    s = np.clip(s, EPS_BETA, 1 - EPS_BETA)
    return np.log(s), -np.log1p(-s)


def logistic_mle(X, t):
    def loss(w):
        z = X @ w[:-1] + w[-1]
        return np.mean(np.logaddexp(0, z) - t * z)

    def grad(w):
        z = X @ w[:-1] + w[-1]
        r = scipy.special.expit(z) - t
        return np.concatenate([X.T @ r, [r.sum()]]) / len(t)

    lr = LogisticRegression(C=99999999999, max_iter=100000).fit(X, t)
    w0 = np.concatenate([lr.coef_[0], lr.intercept_])
    res = scipy.optimize.minimize(loss, w0, jac=grad, method='BFGS', options={'gtol': 1e-13, 'maxiter': 100000})
    # polish with Newton steps (the loss is smooth and strictly convex on these sets)
    w = res.x
    for _ in range(20):
        z = X @ w[:-1] + w[-1]
        p = scipy.special.expit(z)
        A = np.hstack([X, np.ones((len(t), 1))])
        H = (A * (p * (1 - p))[:, None]).T @ A / len(t)
        w = w - np.linalg.solve(H, grad(w))
    return w, w0


def beta_fit(s, t):
    x1, x2 = beta_features(s)
    w, w0 = logistic_mle(np.stack([x1, x2], axis=1), t)
    a, b, c = w
    sk = list(w0)
    if a < 0:
        w, w0 = logistic_mle(x2[:, None], t)
        a, b, c = 0.0, w[0], w[1]
        sk = [0.0, w0[0], w0[1]]
    elif b < 0:
        w, w0 = logistic_mle(x1[:, None], t)
        a, b, c = w[0], 0.0, w[1]
        sk = [w0[0], 0.0, w0[1]]
    return (float(a), float(b), float(c)), [float(v) for v in sk]


def beta_case(pv, yv, pt):
    k = pv.shape[1]
    classes = [1] if k == 2 else list(range(k))
    params, sk, cols = [], [], []
    for j in classes:
        (a, b, c), s = beta_fit(pv[:, j], (yv == j).astype(float))
        params.append([a, b, c])
        sk.append(s)
        x1, x2 = beta_features(pt[:, j])
        cols.append(scipy.special.expit(a * x1 + b * x2 + c))
    pred = np.stack([1 - cols[0], cols[0]], axis=1) if k == 2 else normalise(np.stack(cols, axis=1))
    return {'params': params, 'betacal_sklearn_params': sk, 'predictions': pred.tolist()}


def main():
    rng = np.random.default_rng(20261203)
    sets = []
    for name, n_val, n_test, k, sharp, skew in (('grid K=4', 1200, 600, 4, 0.6, 0.6), ('grid K=2', 800, 400, 2, 0.8, 0.5)):
        pv = grid_probs(rng, n_val, k, sharp)
        pt = grid_probs(rng, n_test, k, sharp)
        yv = labels_for(rng, pv, skew)
        yt = labels_for(rng, pt, skew)
        methods = {
            'isotonic': ovr(isotonic, pv, yv, pt).tolist(),
            'platt identity': ovr(platt('identity', True), pv, yv, pt).tolist(),
            'platt logit': ovr(platt('logit', True), pv, yv, pt).tolist(),
            'platt identity (sklearn bfgs)': ovr(platt('identity', False), pv, yv, pt).tolist(),
            'platt logit (sklearn bfgs)': ovr(platt('logit', False), pv, yv, pt).tolist(),
            'histogram 10': ovr(histogram(10), pv, yv, pt).tolist(),
            'histogram 20': ovr(histogram(20), pv, yv, pt).tolist(),
        }
        edge = 0
        for b in (10, 20):
            edge += int(np.isin(np.round(pv * b, 9) % 1, [0]).sum())
        print(f'{name}: {int((pv == 0).sum())} zeros, {edge} entries on b/10 or b/20 edges', file=sys.stderr)
        sets.append({'name': name, 'val_probs': pv.tolist(), 'val_labels': yv.tolist(), 'test_probs': pt.tolist(),
                     'test_labels': yt.tolist(), 'methods': methods, 'beta': beta_case(pv, yv, pt)})
    # beta on non-separable scores where calibra's earlier stopping rule (Armijo search blind at float64
    # precision) reported "separable data makes the MLE diverge" (issue 16 item 3): scores on a 0.05 grid with
    # exact 0 and 1, and scores piled up near 1; seeds 21 and 50 are two of the 60 tried on which it did.
    beta_sets = []
    for name, seed, n, shape in (('grid 0.05 with 0 and 1, seed 21', 21, 5000, 'grid'), ('piled near 1, seed 50', 50, 1000, 'near1')):
        r2 = np.random.default_rng(seed)
        u = r2.uniform(size=n)
        sc = {'grid': np.round(u * 20) / 20, 'near1': 1 - u ** 8}[shape]
        t = (r2.uniform(size=n) < 0.2 + 0.6 * sc).astype(int)
        (a, b, c), sk = beta_fit(sc, t.astype(float))
        beta_sets.append({'name': name, 'scores': sc.tolist(), 'targets': t.tolist(), 'mle': [a, b, c], 'betacal_sklearn': sk})
    json.dump({'generator': 'scripts/golden/probs_reference.py', 'beta_sets': beta_sets,
               'versions': {'python': sys.version.split()[0], 'numpy': np.__version__, 'scipy': scipy.__version__, 'sklearn': sklearn.__version__},
               'sets': sets}, sys.stdout)


if __name__ == '__main__':
    main()
