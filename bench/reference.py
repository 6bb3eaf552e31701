#!/usr/bin/python3
"""Reference-stack side of calibra's benchmark (issue 7).

Runs one workload on the Python reference stack (Debian's numpy / scipy / scikit-learn / torch) on the
same input files the TypeScript side reads, and prints one JSON line:
  {"workload": ..., "impl": ..., "times_s": [...], "peak_rss_mb": ..., "result": {...}, "versions": {...}}
`result` holds a few numbers so the harness can check that both sides computed the same thing.

Usage: bench/reference.py WORKLOAD DIR REPEATS
"""
import json
import resource
import sys
import time

import numpy as np


def versions():
    out = {"numpy": np.__version__, "python": sys.version.split()[0]}
    for mod in ("scipy", "sklearn", "torch"):
        try:
            out[mod] = __import__(mod).__version__
        except Exception:  # noqa: BLE001 - a missing library is reported, not fatal
            pass
    return out


def timed(fn, repeats):
    times, result = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return times, result


def log_softmax(z):
    m = z.max(axis=1, keepdims=True)
    s = z - m
    return s - np.log(np.exp(s).sum(axis=1, keepdims=True))


def bin_index(s, bins):
    # calibra's default convention: edges b/B; first bin [0, 1/B], then (lo, hi]
    e = np.arange(bins + 1) / bins
    return np.clip(np.searchsorted(e, s, side="left") - 1, 0, bins - 1)


def binned_errors(s, t, bins):
    """(ECE, MCE over non-empty bins, RMSCE) of scores s against 0/1 targets t, equal-width bins."""
    idx = bin_index(s, bins)
    n = np.bincount(idx, minlength=bins).astype(np.float64)
    gap = np.abs(np.bincount(idx, weights=s, minlength=bins) - np.bincount(idx, weights=t, minlength=bins))
    nz = n > 0
    return gap.sum() / len(s), (gap[nz] / n[nz]).max(), np.sqrt((gap[nz] ** 2 / n[nz]).sum() / len(s))


def equal_mass(s, t, bins, debiased=False):
    """Equal-mass bins by rank split (numpy array_split of the stable sort order)."""
    order = np.argsort(s, kind="stable")
    n, acc = len(s), 0.0
    for grp in np.array_split(order, bins):
        if len(grp) == 0:
            continue
        conf, a = s[grp].mean(), t[grp].mean()
        if debiased:
            if len(grp) >= 2:
                acc += len(grp) / n * ((a - conf) ** 2 - a * (1 - a) / (len(grp) - 1))
        else:
            acc += len(grp) / n * abs(a - conf)
    return float(np.sqrt(max(acc, 0.0))) if debiased else acc


def ks_error(c, a):
    order = np.argsort(c, kind="stable")
    cs, d = c[order], np.cumsum(c[order] - a[order])
    ends = np.r_[cs[1:] != cs[:-1], True]
    return float(np.max(np.abs(d[ends]))) / len(c)


def mmce_sorted(c, a, width=0.4):
    """MMCE with the Laplacian kernel in O(N log N): sort, then prefix sums of r_j exp(c_j / w)."""
    order = np.argsort(c, kind="stable")
    cs, r = c[order], (a - c)[order]
    up = np.exp((cs - cs[-1]) / width)
    prefix = np.cumsum(r * up) - r * up
    cross = (r * prefix / up).sum()
    total = (r * r).sum() + 2 * cross
    return float(np.sqrt(max(total, 0.0))) / len(c)


def aurc_ties(c, a):
    """AURC with tie blocks spreading their errors evenly (calibra's convention), vectorised."""
    n = len(c)
    vals, inv, counts = np.unique(-c, return_inverse=True, return_counts=True)
    errs = np.bincount(inv, weights=1 - a)
    before = np.cumsum(errs) - errs
    taken = np.cumsum(counts) - counts
    order = np.argsort(inv, kind="stable")
    blk = inv[order]
    j = np.arange(n) - taken[blk] + 1
    return float(((before[blk] + errs[blk] * j / counts[blk]) / (taken[blk] + j)).sum() / n)


def w1_metrics(d):
    from sklearn.metrics import average_precision_score, roc_auc_score, roc_curve

    logits = np.load(f"{d}/logits.npy")
    labels = np.load(f"{d}/labels.npy").astype(np.int64)

    def run():
        z = logits.astype(np.float64)
        lsm = log_softmax(z)
        p = np.exp(lsm)
        n, k = p.shape
        rows = np.arange(n)
        pred = p.argmax(axis=1)
        conf = p[rows, pred]
        correct = (pred == labels).astype(np.float64)
        ece, mce, rms = binned_errors(conf, correct, 15)
        cw = np.mean([binned_errors(p[:, c], (labels == c).astype(np.float64), 15)[0] for c in range(k)])
        tl = 0.0
        for lab in np.unique(pred):
            g = pred == lab
            tl += g.sum() / n * binned_errors(conf[g], correct[g], 15)[0]
        onehot_sq = (p ** 2).sum(axis=1) - 2 * p[rows, labels] + 1
        fpr, tpr, _ = roc_curve(correct, conf, drop_intermediate=False)
        aurc = aurc_ties(conf, correct)
        risk = 1 - correct.mean()
        optimal = risk + (1 - risk) * np.log(1 - risk) if 0 < risk < 1 else (1.0 if risk >= 1 else 0.0)
        return {"accuracy": correct.mean(), "ece": ece, "ece_em": equal_mass(conf, correct, 15), "mce": mce,
                "rmsce": rms, "cw_ece": cw, "tl_ece": tl, "dece": equal_mass(conf, correct, 15, debiased=True),
                "ks": ks_error(conf, correct), "mmce": mmce_sorted(conf, correct),
                "brier": onehot_sq.mean(), "brier_top": ((conf - correct) ** 2).mean(),
                "nll": -lsm[rows, labels].mean(), "auroc": roc_auc_score(correct, conf),
                "aupr_success": average_precision_score(correct, conf),
                "aupr_error": average_precision_score(1 - correct, -conf),
                "fpr95": fpr[np.argmin(np.abs(tpr - 0.95))], "aurc": aurc, "eaurc": aurc - optimal}

    return run


def w2_ts_torch(d):
    import torch

    logits = torch.from_numpy(np.load(f"{d}/logits.npy").astype(np.float32))
    labels = torch.from_numpy(np.load(f"{d}/labels.npy").astype(np.int64))

    def run():
        # The CA paper's code: nn.Parameter T=1.5, LBFGS(lr=0.01, max_iter=50), CE on logits / T.
        t = torch.nn.Parameter(torch.ones(1) * 1.5)
        opt = torch.optim.LBFGS([t], lr=0.01, max_iter=50)
        ce = torch.nn.CrossEntropyLoss()

        def closure():
            opt.zero_grad()
            loss = ce(logits / t, labels)
            loss.backward()
            return loss

        opt.step(closure)
        return {"T": float(t.item())}

    return run


def w2_ts_scipy(d):
    from scipy.optimize import minimize_scalar
    from scipy.special import logsumexp

    logits = np.load(f"{d}/logits.npy").astype(np.float64)
    labels = np.load(f"{d}/labels.npy").astype(np.int64)
    n = logits.shape[0]
    true_logit = logits[np.arange(n), labels]

    def run():
        def nll(log_t):
            inv = np.exp(-log_t)
            return (logsumexp(logits * inv, axis=1) - true_logit * inv).mean()

        res = minimize_scalar(nll, bounds=(-5.0, 5.0), method="bounded", options={"xatol": 1e-8})
        return {"T": float(np.exp(res.x)), "nll": float(res.fun)}

    return run


def w3_isotonic(d):
    from sklearn.isotonic import IsotonicRegression

    scores = np.load(f"{d}/scores.npy").astype(np.float64)
    targets = np.load(f"{d}/targets.npy").astype(np.float64)

    def run():
        iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0)
        iso.fit(scores, targets)
        pred = iso.predict(scores)
        return {"mean_prediction": float(pred.mean()), "thresholds": int(len(iso.X_thresholds_))}

    return run


def ca_features(orig, views, k=4):
    top = np.argsort(-orig, axis=1, kind="stable")[:, :k]
    feats = []
    for v in views:
        p = np.exp(log_softmax(v))
        feats.append(np.take_along_axis(p, top, axis=1))
    return np.concatenate(feats, axis=1)


def w4_ca_torch(d):
    import torch

    z = np.load(f"{d}/original.npy").astype(np.float32)
    views = [np.load(f"{d}/{name}.npy").astype(np.float32) for name in ("rotation", "greyscale", "colorjitter")]
    labels = np.load(f"{d}/labels.npy").astype(np.int64)
    feats = torch.from_numpy(ca_features(z, views).astype(np.float32))
    logits = torch.from_numpy(z)
    y = torch.from_numpy(labels)

    def run():
        torch.manual_seed(10)
        net = torch.nn.Sequential(torch.nn.Linear(12, 5), torch.nn.ReLU(), torch.nn.Linear(5, 1))
        opt = torch.optim.Adam(net.parameters(), lr=1e-4)
        n = logits.shape[0]
        last = 0.0
        for _epoch in range(10):
            perm = torch.randperm(n)
            for s in range(0, n, 1000):
                idx = perm[s:s + 1000]
                zt, ft, yt = logits[idx], feats[idx], y[idx]
                t = torch.clamp(net(ft), 0.1, 10.0)
                p = torch.softmax(zt / t, dim=1)
                conf, pred = p.max(dim=1)
                correct = (pred == yt).float()
                a = correct.mean()
                w = torch.where(correct > 0, 1 - a, a)
                l = (conf - correct) ** 2
                loss = (w * l).sum() / w.sum().clamp_min(1e-12)
                opt.zero_grad()
                loss.backward()
                opt.step()
                last = float(loss.item())
        return {"final_batch_loss": last}

    return run


def w5_matrix_scaling_torch(d):
    import torch

    logits = torch.from_numpy(np.load(f"{d}/logits.npy").astype(np.float64))
    labels = torch.from_numpy(np.load(f"{d}/labels.npy").astype(np.int64))
    k = logits.shape[1]

    def run():
        # Matrix scaling on logits with an L2 penalty on W - I and b, float64, L-BFGS (strong Wolfe).
        w = torch.nn.Parameter(torch.eye(k, dtype=torch.float64))
        b = torch.nn.Parameter(torch.zeros(k, dtype=torch.float64))
        opt = torch.optim.LBFGS([w, b], lr=1.0, max_iter=500, tolerance_grad=1e-7, tolerance_change=1e-12,
                                history_size=10, line_search_fn="strong_wolfe")
        lam = 1e-3
        eye = torch.eye(k, dtype=torch.float64)

        def closure():
            opt.zero_grad()
            out = logits @ w.T + b
            loss = torch.nn.functional.cross_entropy(out, labels) + lam * (((w - eye) ** 2).sum() + (b ** 2).sum())
            loss.backward()
            return loss

        opt.step(closure)  # returns the loss at the start of the step, so evaluate again at the end
        with torch.no_grad():
            out = logits @ w.T + b
            loss = torch.nn.functional.cross_entropy(out, labels) + lam * (((w - eye) ** 2).sum() + (b ** 2).sum())
        return {"loss": float(loss.item())}

    return run


WORKLOADS = {
    "W1-metrics": w1_metrics,
    "W2-ts-torch": w2_ts_torch,
    "W2-ts-scipy": w2_ts_scipy,
    "W3-isotonic": w3_isotonic,
    "W4-ca-torch": w4_ca_torch,
    "W5-matrix-scaling-torch": w5_matrix_scaling_torch,
}


def main():
    name, d, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
    run = WORKLOADS[name](d)
    times, result = timed(run, repeats)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(json.dumps({"workload": name, "times_s": times, "peak_rss_mb": peak,
                      "result": {k: float(v) for k, v in result.items()}, "versions": versions()}))


if __name__ == "__main__":
    main()
