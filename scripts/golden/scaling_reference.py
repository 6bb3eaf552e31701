#!/usr/bin/env python3
"""Golden values for calibra's scaling calibrators (TS, VS, MS, Dirichlet, ETS, Platt, beta).

Independent references: torch (float64, L-BFGS with strong-Wolfe line search), scipy.optimize and
scikit-learn. Writes test/golden/scaling.json with the data, the outputs and the library versions.
Run: python3 scripts/golden/scaling_reference.py   (Debian python3-numpy/scipy/sklearn/torch)
"""
import json
import os
import numpy as np
import scipy
import scipy.optimize as so
import sklearn
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.calibration import _sigmoid_calibration

torch.set_default_dtype(torch.float64)
rng = np.random.default_rng(20240601)
N, K = 300, 5
z = np.round(rng.normal(size=(N, K)) * 2.5 + np.array([0.5, 0, -0.3, 0.2, 0.0]), 6)
true_logits = 0.55 * z + np.array([0.2, -0.1, 0.0, 0.3, -0.4])
pt = np.exp(true_logits - true_logits.max(1, keepdims=True)); pt /= pt.sum(1, keepdims=True)
y = np.array([rng.choice(K, p=p) for p in pt])
Y = np.eye(K)[y]
ROWS = [0, 1, 2, 3, 4, 57, 299]


def softmax(s):
    s = s - s.max(1, keepdims=True)
    e = np.exp(s)
    return e / e.sum(1, keepdims=True)


def torch_lbfgs(params, closure_loss, iters=20):
    opt = torch.optim.LBFGS(params, lr=1, max_iter=2000, tolerance_grad=1e-14, tolerance_change=1e-16,
                            history_size=50, line_search_fn='strong_wolfe')
    for _ in range(iters):
        def closure():
            opt.zero_grad()
            l = closure_loss()
            l.backward()
            return l
        opt.step(closure)
    return closure_loss().item()


zt, yt = torch.tensor(z), torch.tensor(y)
ce = torch.nn.functional.cross_entropy

# --- TS by NLL: torch L-BFGS on log T, x-checked by scipy bounded minimisation over log T
logT = torch.zeros(1, requires_grad=True)
ts_nll = torch_lbfgs([logT], lambda: ce(zt / torch.exp(logT), yt))
T_torch = float(torch.exp(logT).item())
nll = lambda u: float(ce(zt / np.exp(u), yt).item())
T_scipy = float(np.exp(so.minimize_scalar(nll, bounds=(-5, 5), method='bounded', options={'xatol': 1e-12}).x))

# --- TS by Brier (mean over N of sum_k (q - Y)^2): scipy bounded over log T
brier = lambda u: float(((softmax(z / np.exp(u)) - Y) ** 2).sum(1).mean())
T_brier = float(np.exp(so.minimize_scalar(brier, bounds=(-5, 5), method='bounded', options={'xatol': 1e-12}).x))

# --- ETS: T by MSE (same argmin as Brier), weights by SLSQP on the simplex (the paper's code path)
pa, pb, pu = softmax(z / T_brier), softmax(z), np.full((N, K), 1.0 / K)
mse_w = lambda w: float((((w[0] * pa + w[1] * pb + w[2] * pu) - Y) ** 2).mean())
res = so.minimize(mse_w, x0=np.array([1.0, 0.0, 0.0]), method='SLSQP', bounds=[(0, 1)] * 3,
                  constraints={'type': 'eq', 'fun': lambda w: np.sum(w) - 1}, options={'ftol': 1e-15, 'maxiter': 1000})
ets_w = [float(v) for v in res.x]


# --- VS / MS / Dirichlet: torch L-BFGS from the identity, mean NLL (+ penalties)
def fit_linear(features, form, lam_w=0.0, target='identity', lam_b=0.0):
    X = torch.tensor(features)
    if form == 'diag':
        w = torch.ones(K, requires_grad=True)
    else:
        w = torch.eye(K).clone().requires_grad_(True)
    b = torch.zeros(K, requires_grad=True)
    W0 = (torch.ones(K) if form == 'diag' else torch.eye(K)) if target == 'identity' else torch.zeros_like(w)

    def loss():
        s = X * w + b if form == 'diag' else X @ w.T + b
        return ce(s, yt) + lam_w * ((w - W0) ** 2).sum() + lam_b * (b ** 2).sum()
    j = torch_lbfgs([w, b], loss)
    with torch.no_grad():
        s = X * w + b if form == 'diag' else X @ w.T + b
        q = torch.softmax(s, 1).numpy()
    return j, q


lnp = z - np.log(np.exp(z - z.max(1, keepdims=True)).sum(1, keepdims=True)) - z.max(1, keepdims=True)
fits = {}
for name, feats, form, kw in [
    ('vs', z, 'diag', {}), ('ms', z, 'full', {}), ('vs_l2', z, 'diag', {'lam_w': 0.01, 'lam_b': 0.01}),
    ('dirichlet', lnp, 'full', {}), ('dirichlet_diag', lnp, 'diag', {}),
]:
    j, q = fit_linear(feats, form, **kw)
    fits[name] = {'objective': j, 'rows': ROWS, 'probs': q[ROWS].tolist(), 'argmax': q.argmax(1).tolist()}

# --- MS with L2 towards zero, no bias penalty == sklearn multinomial LogisticRegression with C = 1/(2 lam N)
lam = 0.005
lr = LogisticRegression(C=1.0 / (2 * lam * N), multi_class='multinomial', solver='lbfgs', tol=1e-12, max_iter=100000)
lr.fit(z, y)
q_lr = lr.predict_proba(z)
fits['ms_l2_zero_sklearn'] = {'lambda': lam, 'rows': ROWS, 'probs': q_lr[ROWS].tolist()}

# --- Platt on binary scores (class 1 of a 2-class problem): sklearn _sigmoid_calibration, and exact scipy
zb = z[:, :2]
yb_mask = y <= 1
zb, ybin = zb[yb_mask], (y[yb_mask] == 1).astype(int)
f = zb[:, 1] - zb[:, 0]
A_sk, B_sk = _sigmoid_calibration(f, ybin)
npos, nneg = ybin.sum(), len(ybin) - ybin.sum()
tt = np.where(ybin == 1, (npos + 1) / (npos + 2), 1 / (nneg + 2))
def platt_loss(ab):
    u = -(ab[0] * f + ab[1])
    return float(np.sum(np.logaddexp(0, -u) + (1 - tt) * u))
ab = so.minimize(platt_loss, x0=[0.0, np.log((nneg + 1) / (npos + 1))], method='BFGS', options={'gtol': 1e-12}).x

# --- beta (abm) on the same binary problem, s = softmax(zb)[:, 1]: exact MLE by scipy, and sklearn LR (betacal's path)
s = softmax(zb)[:, 1]
eps = np.finfo(float).eps
sc = np.clip(s, eps, 1 - eps)
Xb = np.column_stack([np.log(sc), -np.log(1 - sc)])
def beta_loss(p):
    u = Xb @ p[:2] + p[2]
    return float(np.mean(np.logaddexp(0, u) - ybin * u))
pbeta = so.minimize(beta_loss, x0=[0.0, 0.0, 0.0], method='BFGS', options={'gtol': 1e-13}).x
lrb = LogisticRegression(C=99999999999, tol=1e-12, max_iter=10000).fit(Xb, ybin)

out = {
    'generator': 'scripts/golden/scaling_reference.py',
    'versions': {'numpy': np.__version__, 'scipy': scipy.__version__, 'sklearn': sklearn.__version__, 'torch': torch.__version__},
    'data': {'N': N, 'K': K, 'logits': z.tolist(), 'labels': y.tolist()},
    'ts': {'T_torch_lbfgs': T_torch, 'T_scipy_bounded': T_scipy, 'nll': ts_nll, 'T_brier_scipy': T_brier},
    'ets': {'T': T_brier, 'weights_slsqp': ets_w, 'mse': float(res.fun)},
    'linear': fits,
    'binary': {'rows': np.nonzero(yb_mask)[0].tolist(), 'platt_sklearn': [float(A_sk), float(B_sk)], 'platt_exact': [float(ab[0]), float(ab[1])],
               'beta_exact': [float(v) for v in pbeta], 'beta_sklearn': [float(lrb.coef_[0][0]), float(lrb.coef_[0][1]), float(lrb.intercept_[0])]},
}
path = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'golden', 'scaling.json')
with open(path, 'w') as fh:
    json.dump(out, fh, indent=1)
print('wrote', os.path.normpath(path), 'T', T_torch, T_scipy, 'brier T', T_brier, 'ets', ets_w, 'platt', A_sk, B_sk, ab, 'beta', pbeta)
